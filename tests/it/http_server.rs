//! A loopback HTTP/1.1 server for the bootstrap tests: serves fixed replies by path,
//! including the faults a real download meets (404, 500, a body cut short, a server
//! that accepts and then says nothing, one that stalls mid-body). It records what it
//! did so tests can wait for "the client asked for X and got N bytes" instead of
//! sleeping. Only ever binds 127.0.0.1; dropping it releases every held connection.

#![allow(dead_code)] // not every test uses every reply

use std::collections::HashMap;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

/// What the server does for one path.
#[derive(Clone, Debug)]
pub enum Reply {
    /// 200 with the body and its Content-Length.
    Ok(Vec<u8>),
    /// That status, with a short text body.
    Status(u16),
    /// 302 to this location (absolute or a path).
    Redirect(String),
    /// Content-Length of the whole body, then only its first `send` bytes, then close.
    Truncated { body: Vec<u8>, send: usize },
    /// Reads the request, sends nothing, holds the connection until the server drops.
    Silent,
    /// Headers (Content-Length `len`), then nothing, held until the server drops.
    StallAfterHeaders { len: usize },
    /// Headers and the first `send` bytes of `body`, then held until the server drops.
    StallMidBody { body: Vec<u8>, send: usize },
}

/// Something the server did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Event {
    /// A request for this path arrived.
    Request(String),
    /// This many body bytes were written for this path (cumulative per connection).
    Sent(String, usize),
}

struct Shared {
    routes: HashMap<String, Reply>,
    events: Mutex<Vec<Event>>,
    changed: Condvar,
    stop: AtomicBool,
}

pub struct Server {
    addr: SocketAddr,
    shared: Arc<Shared>,
}

impl Server {
    pub fn start(routes: Vec<(String, Reply)>) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
        let addr = listener.local_addr().unwrap();
        let shared = Arc::new(Shared {
            routes: routes.into_iter().collect(),
            events: Mutex::new(Vec::new()),
            changed: Condvar::new(),
            stop: AtomicBool::new(false),
        });
        let s = shared.clone();
        std::thread::spawn(move || {
            for conn in listener.incoming() {
                if s.stop.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(conn) = conn else { continue };
                let s = s.clone();
                std::thread::spawn(move || serve(conn, &s));
            }
        });
        Server { addr, shared }
    }

    /// `http://127.0.0.1:PORT`: what PYVE_MICROMAMBA_URL is set to.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn events(&self) -> Vec<Event> {
        self.shared.events.lock().unwrap().clone()
    }

    /// The paths requested, in order.
    pub fn requests(&self) -> Vec<String> {
        self.events()
            .into_iter()
            .filter_map(|e| match e {
                Event::Request(p) => Some(p),
                Event::Sent(..) => None,
            })
            .collect()
    }

    /// Blocks until `pred` holds for the events so far, or `timeout` passes (false).
    pub fn wait_until(&self, timeout: Duration, pred: impl Fn(&[Event]) -> bool) -> bool {
        let deadline = Instant::now() + timeout;
        let mut events = self.shared.events.lock().unwrap();
        loop {
            if pred(&events) {
                return true;
            }
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return false;
            }
            events = self.shared.changed.wait_timeout(events, left).unwrap().0;
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.shared.stop.store(true, Ordering::SeqCst);
        {
            let _g = self.shared.events.lock().unwrap();
            self.shared.changed.notify_all();
        }
        // Wake the accept loop so it sees `stop`.
        let _ = TcpStream::connect_timeout(&self.addr, Duration::from_secs(1));
    }
}

fn record(s: &Shared, e: Event) {
    s.events.lock().unwrap().push(e);
    s.changed.notify_all();
}

/// Holds a connection open until the server is dropped.
fn hold(s: &Shared) {
    let mut events = s.events.lock().unwrap();
    while !s.stop.load(Ordering::SeqCst) {
        events = s
            .changed
            .wait_timeout(events, Duration::from_millis(200))
            .unwrap()
            .0;
    }
}

fn serve(mut conn: TcpStream, s: &Shared) {
    let _ = conn.set_read_timeout(Some(Duration::from_secs(10)));
    let Some(path) = read_request_path(&mut conn) else {
        return;
    };
    if s.stop.load(Ordering::SeqCst) {
        return;
    }
    record(s, Event::Request(path.clone()));
    let reply = s.routes.get(&path).cloned().unwrap_or(Reply::Status(404));
    let head = |status: &str, len: usize, extra: &str| {
        format!(
            "HTTP/1.1 {status}\r\nContent-Length: {len}\r\nContent-Type: application/octet-stream\r\nConnection: close\r\n{extra}\r\n"
        )
    };
    let send_body = |conn: &mut TcpStream, bytes: &[u8]| {
        let ok = conn.write_all(bytes).and_then(|_| conn.flush()).is_ok();
        record(s, Event::Sent(path.clone(), bytes.len()));
        ok
    };
    match reply {
        Reply::Ok(body) => {
            let _ = conn.write_all(head("200 OK", body.len(), "").as_bytes());
            send_body(&mut conn, &body);
        }
        Reply::Status(code) => {
            let body = format!("status {code}\n");
            let reason = match code {
                404 => "Not Found",
                500 => "Internal Server Error",
                503 => "Service Unavailable",
                _ => "Status",
            };
            let _ = conn.write_all(head(&format!("{code} {reason}"), body.len(), "").as_bytes());
            send_body(&mut conn, body.as_bytes());
        }
        Reply::Redirect(to) => {
            let _ = conn.write_all(head("302 Found", 0, &format!("Location: {to}\r\n")).as_bytes());
        }
        Reply::Truncated { body, send } => {
            let _ = conn.write_all(head("200 OK", body.len(), "").as_bytes());
            send_body(&mut conn, &body[..send]);
        }
        Reply::Silent => hold(s),
        Reply::StallAfterHeaders { len } => {
            let _ = conn.write_all(head("200 OK", len, "").as_bytes());
            let _ = conn.flush();
            record(s, Event::Sent(path.clone(), 0));
            hold(s);
        }
        Reply::StallMidBody { body, send } => {
            let _ = conn.write_all(head("200 OK", body.len(), "").as_bytes());
            send_body(&mut conn, &body[..send]);
            hold(s);
        }
    }
    let _ = conn.shutdown(std::net::Shutdown::Both);
}

/// The path of a `GET /path HTTP/1.1` request, after reading all its headers.
fn read_request_path(conn: &mut TcpStream) -> Option<String> {
    let mut buf = Vec::new();
    let mut byte = [0u8; 1];
    while !buf.ends_with(b"\r\n\r\n") {
        match conn.read(&mut byte) {
            Ok(1) => buf.push(byte[0]),
            _ => return None,
        }
        if buf.len() > 64 * 1024 {
            return None;
        }
    }
    let text = String::from_utf8_lossy(&buf);
    let mut words = text.lines().next()?.split_whitespace();
    let _method = words.next()?;
    Some(words.next()?.to_string())
}
