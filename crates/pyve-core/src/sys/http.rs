//! Downloading one URL into a writer, with the guarantees a bootstrap needs and an HTTP
//! client does not give by default (docs/decisions/0006-http-client.md):
//!
//! - **HTTPS only**, except on loopback hosts (127.0.0.0/8, ::1, localhost) where plain
//!   http serves tests and local mirrors. Checked before any connection is made.
//! - **Redirects followed by hand** (GitHub's release URLs redirect to a CDN), so each hop
//!   is checked: a redirect from https to http is refused, even to loopback.
//! - **Bounded waits**: connecting, waiting for the response headers, and every single read
//!   of the body each have the timeout (`PYVE_HTTP_TIMEOUT`), so a server that accepts and
//!   then stalls fails in bounded time while a slow but moving download never does.
//! - **Truncation detected**: fewer bytes than `Content-Length`, or a connection closed
//!   mid-body, is an error naming both numbers.
//! - **Cancellable at once**: the network runs on a worker thread and hands chunks over a
//!   small channel; the calling thread writes them and checks the cancel flag at least
//!   every 50 ms, so Ctrl-C is honoured even while a read is blocked. A cancelled worker
//!   notices the closed channel at its next chunk (or its read timeout) and ends.
//!
//! The caller's thread is the only one that touches the sink, so a caller that removes its
//! temp file after an error knows no other thread will write to it later.

use std::io::{Read, Write};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::Duration;

/// The default for `PYVE_HTTP_TIMEOUT`.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
/// Redirect hops followed before giving up (GitHub uses one or two).
const MAX_REDIRECTS: usize = 10;
/// Size of one chunk handed from the network thread to the writer.
const CHUNK: usize = 64 * 1024;
/// How often the writer looks at the cancel flag while no chunk arrives.
const CANCEL_POLL: Duration = Duration::from_millis(50);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HttpError {
    #[error(
        "refusing to download over plain http: {url} (only https is allowed, except on loopback: 127.0.0.1, ::1, localhost)"
    )]
    Insecure { url: String },

    #[error("invalid URL {url:?}: {why}")]
    BadUrl { url: String, why: String },

    #[error("refusing a redirect from https to plain http: {from} → {to}")]
    InsecureRedirect { from: String, to: String },

    #[error("too many redirects (more than {MAX_REDIRECTS}) starting at {url}")]
    TooManyRedirects { url: String },

    #[error("HTTP {status} {reason} for {url}")]
    Status {
        status: u16,
        reason: String,
        url: String,
    },

    #[error("timed out after {} {phase} {url}", secs(*.after))]
    Timeout {
        url: String,
        after: Duration,
        phase: &'static str,
    },

    #[error("truncated: got {got} of {expected} bytes from {url} ({why})")]
    Truncated {
        url: String,
        got: u64,
        expected: u64,
        why: String,
    },

    #[error("response from {url} is larger than {limit} bytes")]
    TooLarge { url: String, limit: u64 },

    #[error("cannot connect to {url}: {why}")]
    Connect { url: String, why: String },

    #[error("download of {url} failed after {got} bytes: {why}")]
    Transfer { url: String, got: u64, why: String },

    #[error("cannot write the download of {url}: {why}")]
    Write { url: String, why: String },

    #[error("interrupted")]
    Interrupted,
}

/// "30s", "1.5s": how a timeout is shown.
pub fn secs(d: Duration) -> String {
    let s = d.as_secs_f64();
    if s.fract() == 0.0 {
        format!("{}s", s as u64)
    } else {
        format!("{s}s")
    }
}

/// `PYVE_HTTP_TIMEOUT` (seconds, fractions allowed), else [`DEFAULT_TIMEOUT`].
pub fn timeout_from_env() -> Result<Duration, crate::sys::envvar::EnvVarError> {
    crate::sys::envvar::seconds("PYVE_HTTP_TIMEOUT", DEFAULT_TIMEOUT, false)
}

/// What a download needs besides the URL.
pub struct Options<'a> {
    pub timeout: Duration,
    /// Set from another thread (or a signal handler) to stop; the download then returns
    /// [`HttpError::Interrupted`] within ~50 ms.
    pub cancel: &'a AtomicBool,
    /// Refuse bodies larger than this (for small files such as checksums).
    pub limit: Option<u64>,
}

/// What a finished download was.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fetched {
    /// The URL the body came from, after redirects.
    pub final_url: String,
    pub bytes: u64,
}

/// Downloads `url` into `sink`, calling `progress(done, total)` after each chunk, where
/// `total` is the `Content-Length` when the server sent one.
pub fn download(
    url: &str,
    opts: &Options<'_>,
    sink: &mut dyn Write,
    progress: &mut dyn FnMut(u64, Option<u64>),
) -> Result<Fetched, HttpError> {
    check_url(url)?;
    if opts.cancel.load(Ordering::SeqCst) {
        return Err(HttpError::Interrupted);
    }
    // Small buffer: at most ~256 KiB in flight, and the worker blocks (rather than
    // reading ahead without bound) when the disk is slower than the network.
    let (tx, rx) = mpsc::sync_channel::<Msg>(4);
    let worker_url = url.to_string();
    let timeout = opts.timeout;
    let limit = opts.limit;
    std::thread::Builder::new()
        .name("pyve-download".into())
        .spawn(move || fetch_on_worker(&worker_url, timeout, limit, &tx))
        .map_err(|e| HttpError::Connect {
            url: url.to_string(),
            why: format!("cannot start the download thread: {e}"),
        })?;

    let mut final_url = url.to_string();
    let mut total = None;
    let mut done = 0u64;
    loop {
        if opts.cancel.load(Ordering::SeqCst) {
            return Err(HttpError::Interrupted);
        }
        match rx.recv_timeout(CANCEL_POLL) {
            Ok(Msg::Headers {
                url,
                content_length,
            }) => {
                final_url = url;
                total = content_length;
                progress(0, total);
            }
            Ok(Msg::Chunk(bytes)) => {
                sink.write_all(&bytes).map_err(|e| HttpError::Write {
                    url: final_url.clone(),
                    why: e.to_string(),
                })?;
                done += bytes.len() as u64;
                progress(done, total);
            }
            Ok(Msg::End(Ok(()))) => {
                sink.flush().map_err(|e| HttpError::Write {
                    url: final_url.clone(),
                    why: e.to_string(),
                })?;
                return Ok(Fetched {
                    final_url,
                    bytes: done,
                });
            }
            Ok(Msg::End(Err(e))) => return Err(e),
            Err(RecvTimeoutError::Timeout) => {}
            Err(RecvTimeoutError::Disconnected) => {
                return Err(HttpError::Transfer {
                    url: final_url,
                    got: done,
                    why: "the download thread stopped unexpectedly".into(),
                });
            }
        }
    }
}

/// Downloads a small text file (a checksum) into memory.
pub fn fetch_text(url: &str, opts: &Options<'_>) -> Result<(String, Fetched), HttpError> {
    let mut buf = Vec::new();
    let fetched = download(url, opts, &mut buf, &mut |_, _| {})?;
    Ok((String::from_utf8_lossy(&buf).into_owned(), fetched))
}

enum Msg {
    Headers {
        url: String,
        content_length: Option<u64>,
    },
    Chunk(Vec<u8>),
    End(Result<(), HttpError>),
}

fn fetch_on_worker(url: &str, timeout: Duration, limit: Option<u64>, tx: &mpsc::SyncSender<Msg>) {
    let result = fetch_into_channel(url, timeout, limit, tx);
    // The receiver is gone when the caller was cancelled: nobody to tell.
    let _ = tx.send(Msg::End(result));
}

/// Marker error: the caller stopped listening (cancelled); end quietly.
fn hung_up(url: &str) -> HttpError {
    HttpError::Write {
        url: url.to_string(),
        why: "the caller stopped listening".into(),
    }
}

/// One request on the worker thread: connect, follow redirects, stream the body into
/// `tx` chunk by chunk, honouring `limit`.
fn fetch_into_channel(
    url: &str,
    timeout: Duration,
    limit: Option<u64>,
    tx: &mpsc::SyncSender<Msg>,
) -> Result<(), HttpError> {
    let (current, response) = follow_redirects(&agent(timeout), url, timeout)?;
    let content_length = response
        .headers()
        .get("content-length")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    if let (Some(limit), Some(len)) = (limit, content_length)
        && len > limit
    {
        return Err(HttpError::TooLarge {
            url: current,
            limit,
        });
    }
    tx.send(Msg::Headers {
        url: current.clone(),
        content_length,
    })
    .map_err(|_| hung_up(&current))?;
    let body = Body {
        url: &current,
        timeout,
        limit,
        content_length,
    };
    body.stream(response.into_body().into_reader(), tx)
}

/// The client: statuses and redirects are judged here, hop by hop; every wait is
/// bounded by `timeout`.
fn agent(timeout: Duration) -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .timeout_connect(Some(timeout))
        .timeout_send_request(Some(timeout))
        .timeout_recv_response(Some(timeout))
        // Per read, not for the whole body: a 15 MB binary on a slow link may take
        // minutes, but no single read may stall longer than the timeout.
        .timeout_per_read(Some(timeout))
        .user_agent(concat!("pyve/", env!("CARGO_PKG_VERSION")))
        .build()
        .into()
}

/// GETs `url`, following up to [`MAX_REDIRECTS`] redirects that [`check_redirect`]
/// allows: the final URL and its successful response, or the status that ended it.
fn follow_redirects(
    agent: &ureq::Agent,
    url: &str,
    timeout: Duration,
) -> Result<(String, ureq::http::Response<ureq::Body>), HttpError> {
    let mut current = url.to_string();
    let mut hops = 0;
    loop {
        let response = agent
            .get(&current)
            .call()
            .map_err(|e| classify(e, &current, timeout, Phase::Response, 0, None))?;
        let status = response.status();
        if status.is_redirection() {
            let Some(location) = response
                .headers()
                .get("location")
                .and_then(|v| v.to_str().ok())
            else {
                return Err(HttpError::Status {
                    status: status.as_u16(),
                    reason: "redirect without a Location header".into(),
                    url: current,
                });
            };
            let next = join_url(&current, location).ok_or_else(|| HttpError::BadUrl {
                url: location.to_string(),
                why: format!("cannot follow the redirect from {current}"),
            })?;
            check_redirect(&current, &next)?;
            hops += 1;
            if hops > MAX_REDIRECTS {
                return Err(HttpError::TooManyRedirects {
                    url: url.to_string(),
                });
            }
            current = next;
            continue;
        }
        if !status.is_success() {
            return Err(HttpError::Status {
                status: status.as_u16(),
                reason: status.canonical_reason().unwrap_or("").to_string(),
                url: current,
            });
        }
        return Ok((current, response));
    }
}

/// A response body being read: where from, and the bounds it is held to.
struct Body<'a> {
    url: &'a str,
    timeout: Duration,
    limit: Option<u64>,
    content_length: Option<u64>,
}

impl Body<'_> {
    /// Sends the body to `tx` chunk by chunk; more than `limit`, or less than the
    /// announced length, is an error.
    fn stream(&self, mut reader: impl Read, tx: &mpsc::SyncSender<Msg>) -> Result<(), HttpError> {
        let url = self.url.to_string();
        let mut got = 0u64;
        loop {
            let mut buf = vec![0u8; CHUNK];
            let n = match reader.read(&mut buf) {
                Ok(n) => n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => {
                    return Err(classify(
                        ureq::Error::from(e),
                        &url,
                        self.timeout,
                        Phase::Body,
                        got,
                        self.content_length,
                    ));
                }
            };
            if n == 0 {
                break;
            }
            got += n as u64;
            if let Some(limit) = self.limit
                && got > limit
            {
                return Err(HttpError::TooLarge { url, limit });
            }
            buf.truncate(n);
            tx.send(Msg::Chunk(buf)).map_err(|_| hung_up(&url))?;
        }
        // ureq already errors on a Content-Length it did not get; this is the belt to
        // its braces, since a short binary must never be mistaken for a complete one.
        if let Some(expected) = self.content_length
            && got < expected
        {
            return Err(HttpError::Truncated {
                url,
                got,
                expected,
                why: "the connection closed early".into(),
            });
        }
        Ok(())
    }
}

#[derive(Clone, Copy)]
enum Phase {
    Response,
    Body,
}

fn classify(
    e: ureq::Error,
    url: &str,
    timeout: Duration,
    phase: Phase,
    got: u64,
    expected: Option<u64>,
) -> HttpError {
    let url = url.to_string();
    let timed_out = |phase| HttpError::Timeout {
        url: url.clone(),
        after: timeout,
        phase,
    };
    match e {
        ureq::Error::Timeout(ureq::Timeout::Connect | ureq::Timeout::Resolve) => {
            timed_out("connecting to")
        }
        ureq::Error::Timeout(_) => timed_out(match phase {
            Phase::Response => "waiting for a response from",
            Phase::Body => "waiting for more data from",
        }),
        ureq::Error::Io(io)
            if matches!(
                io.kind(),
                std::io::ErrorKind::TimedOut | std::io::ErrorKind::WouldBlock
            ) =>
        {
            timed_out(match phase {
                Phase::Response => "waiting for a response from",
                Phase::Body => "waiting for more data from",
            })
        }
        other => match (phase, expected) {
            (Phase::Body, Some(expected)) if got < expected => HttpError::Truncated {
                url,
                got,
                expected,
                why: describe(&other),
            },
            (Phase::Body, _) => HttpError::Transfer {
                url,
                got,
                why: describe(&other),
            },
            (Phase::Response, _) => match other {
                ureq::Error::HostNotFound => HttpError::Connect {
                    url,
                    why: "host not found".into(),
                },
                other => HttpError::Connect {
                    url,
                    why: describe(&other),
                },
            },
        },
    }
}

fn describe(e: &ureq::Error) -> String {
    match e {
        ureq::Error::Io(io) if io.kind() == std::io::ErrorKind::UnexpectedEof => {
            "the connection closed early".into()
        }
        other => other.to_string(),
    }
}

/// Scheme, authority and the rest (path, query) of an absolute http(s) URL.
fn split_url(url: &str) -> Option<(&str, &str, &str)> {
    let (scheme, rest) = url.split_once("://")?;
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, path) = rest.split_at(end);
    if scheme.is_empty() || authority.is_empty() {
        return None;
    }
    Some((scheme, authority, path))
}

/// The host of an authority: without `user@` and `:port`, IPv6 brackets removed.
fn host_of(authority: &str) -> &str {
    let hostport = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    if let Some(inner) = hostport.strip_prefix('[') {
        return inner.split(']').next().unwrap_or("");
    }
    hostport.split(':').next().unwrap_or("")
}

/// True for hosts that never leave this machine.
pub fn is_loopback_host(host: &str) -> bool {
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    if host == "localhost" {
        return true;
    }
    host.parse::<std::net::IpAddr>()
        .is_ok_and(|ip| ip.is_loopback())
}

/// Accepts `https://…` and, on loopback hosts only, `http://…`.
pub fn check_url(url: &str) -> Result<(), HttpError> {
    let bad = |why: &str| HttpError::BadUrl {
        url: url.to_string(),
        why: why.to_string(),
    };
    let (scheme, authority, _) = split_url(url).ok_or_else(|| bad("not an absolute URL"))?;
    match scheme.to_ascii_lowercase().as_str() {
        "https" => Ok(()),
        "http" if is_loopback_host(host_of(authority)) => Ok(()),
        "http" => Err(HttpError::Insecure {
            url: url.to_string(),
        }),
        _ => Err(bad("only https:// URLs are supported")),
    }
}

/// A redirect hop must itself be acceptable and must not downgrade https to http.
fn check_redirect(from: &str, to: &str) -> Result<(), HttpError> {
    let scheme = |u: &str| split_url(u).map(|(s, _, _)| s.to_ascii_lowercase());
    if scheme(from).as_deref() == Some("https") && scheme(to).as_deref() == Some("http") {
        return Err(HttpError::InsecureRedirect {
            from: from.to_string(),
            to: to.to_string(),
        });
    }
    check_url(to)
}

/// Resolves a `Location` header against the URL that sent it.
fn join_url(base: &str, location: &str) -> Option<String> {
    if split_url(location).is_some() {
        return Some(location.to_string());
    }
    let (scheme, authority, path) = split_url(base)?;
    if let Some(rest) = location.strip_prefix("//") {
        return Some(format!("{scheme}://{rest}"));
    }
    if location.starts_with('/') {
        return Some(format!("{scheme}://{authority}{location}"));
    }
    let path = path.split(['?', '#']).next().unwrap_or("");
    let dir = path.rsplit_once('/').map_or("", |(d, _)| d);
    Some(format!("{scheme}://{authority}{dir}/{location}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn https_everywhere_http_only_on_loopback() {
        assert!(check_url("https://github.com/x").is_ok());
        assert!(check_url("http://127.0.0.1:8080/x").is_ok());
        assert!(check_url("http://127.1.2.3/x").is_ok());
        assert!(check_url("http://[::1]:99/x").is_ok());
        assert!(check_url("http://localhost/x").is_ok());
        assert!(check_url("HTTP://LOCALHOST./x").is_ok());
        assert!(matches!(
            check_url("http://example.com/x"),
            Err(HttpError::Insecure { .. })
        ));
        // A userinfo part must not smuggle a remote host past the check.
        assert!(matches!(
            check_url("http://127.0.0.1@example.com/x"),
            Err(HttpError::Insecure { .. })
        ));
        assert!(matches!(
            check_url("http://localhost.example.com/x"),
            Err(HttpError::Insecure { .. })
        ));
        assert!(matches!(
            check_url("ftp://example.com/x"),
            Err(HttpError::BadUrl { .. })
        ));
        assert!(matches!(
            check_url("example.com/x"),
            Err(HttpError::BadUrl { .. })
        ));
    }

    #[test]
    fn redirects_never_downgrade() {
        assert!(check_redirect("https://a.example/x", "https://b.example/y").is_ok());
        assert!(matches!(
            check_redirect("https://a.example/x", "http://127.0.0.1/y"),
            Err(HttpError::InsecureRedirect { .. })
        ));
        assert!(matches!(
            check_redirect("http://127.0.0.1/x", "http://example.com/y"),
            Err(HttpError::Insecure { .. })
        ));
        assert!(check_redirect("http://127.0.0.1/x", "https://example.com/y").is_ok());
    }

    #[test]
    fn relative_locations_resolve_against_the_sender() {
        let base = "https://h.example:8443/a/b/c?q=1";
        assert_eq!(
            join_url(base, "https://cdn.example/z").as_deref(),
            Some("https://cdn.example/z")
        );
        assert_eq!(
            join_url(base, "/root").as_deref(),
            Some("https://h.example:8443/root")
        );
        assert_eq!(
            join_url(base, "//other.example/p").as_deref(),
            Some("https://other.example/p")
        );
        assert_eq!(
            join_url(base, "sib").as_deref(),
            Some("https://h.example:8443/a/b/sib")
        );
    }

    #[test]
    fn timeouts_read_as_seconds() {
        assert_eq!(secs(Duration::from_secs(30)), "30s");
        assert_eq!(secs(Duration::from_millis(1500)), "1.5s");
    }

    #[test]
    fn a_cancelled_download_never_connects() {
        let cancel = AtomicBool::new(true);
        let opts = Options {
            timeout: Duration::from_secs(1),
            cancel: &cancel,
            limit: None,
        };
        let mut sink = Vec::new();
        let r = download("http://127.0.0.1:9/x", &opts, &mut sink, &mut |_, _| {});
        assert_eq!(r, Err(HttpError::Interrupted));
    }
}
