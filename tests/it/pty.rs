//! pyve running in a pseudo-terminal: the real binary on a temp project in its own
//! session with the pty as controlling terminal, keys written to the master, the screen
//! read back through a vt100 parser. Shared by the TUI tests (`tui_pty`) and the
//! hostile-repository suite (`hostile`, the TUI's start).

use std::io::{Read, Write};
use std::os::fd::OwnedFd;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::common::TestEnv;

pub(crate) const ROWS: u16 = 30;
pub(crate) const COLS: u16 = 100;

/// pyve running in a pseudo-terminal, its screen parsed as it arrives.
pub(crate) struct Tui {
    pub(crate) child: Child,
    pub(crate) master: std::fs::File,
    pub(crate) parser: Arc<Mutex<vt100::Parser>>,
    /// Bytes received so far (to tell the first frame from nothing).
    pub(crate) received: Arc<Mutex<usize>>,
    /// The reader saw the end: every process holding the terminal closed it.
    pub(crate) ended: Arc<std::sync::atomic::AtomicBool>,
    pub(crate) started: Instant,
}

impl Tui {
    pub(crate) fn start(env: &TestEnv, args: &[&str], extra_env: &[(&str, &str)]) -> Tui {
        Tui::start_in(env, &env.project, args, extra_env, ROWS, COLS)
    }

    pub(crate) fn start_in(
        env: &TestEnv,
        dir: &Path,
        args: &[&str],
        extra_env: &[(&str, &str)],
        rows: u16,
        cols: u16,
    ) -> Tui {
        let winsize = nix::pty::Winsize {
            ws_row: rows,
            ws_col: cols,
            ws_xpixel: 0,
            ws_ypixel: 0,
        };
        let pty = nix::pty::openpty(Some(&winsize), None).expect("openpty");
        // Not inherited by what other tests start meanwhile: a stray copy of the slave
        // would keep the terminal open after pyve exits (see `drained`).
        for fd in [&pty.master, &pty.slave] {
            use std::os::fd::AsRawFd;
            // SAFETY: F_SETFD on a descriptor this function owns.
            let rc = unsafe {
                nix::libc::fcntl(fd.as_raw_fd(), nix::libc::F_SETFD, nix::libc::FD_CLOEXEC)
            };
            assert_eq!(rc, 0, "FD_CLOEXEC");
        }
        let slave: OwnedFd = pty.slave;
        let master = std::fs::File::from(pty.master);
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_pyve"));
        cmd.args(args)
            .env_clear()
            .envs(env.base_env())
            .env("TERM", "xterm-256color")
            .envs(extra_env.iter().copied())
            .current_dir(dir)
            .stdin(Stdio::from(slave.try_clone().unwrap()))
            .stdout(Stdio::from(slave.try_clone().unwrap()))
            .stderr(Stdio::from(slave));
        // Its own session with the pty as controlling terminal, as a terminal emulator
        // would start it.
        unsafe {
            use std::os::unix::process::CommandExt;
            cmd.pre_exec(|| {
                nix::unistd::setsid().map_err(std::io::Error::from)?;
                if nix::libc::ioctl(0, nix::libc::TIOCSCTTY as _, 0) != 0 {
                    return Err(std::io::Error::last_os_error());
                }
                Ok(())
            });
        }
        let started = Instant::now();
        let child = cmd.spawn().expect("spawn pyve");
        let parser = Arc::new(Mutex::new(vt100::Parser::new(
            std::num::NonZeroU16::new(rows).unwrap(),
            std::num::NonZeroU16::new(cols).unwrap(),
            0,
        )));
        let received = Arc::new(Mutex::new(0usize));
        let mut reader = master.try_clone().unwrap();
        let ended = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let (p, r, e) = (parser.clone(), received.clone(), ended.clone());
        std::thread::spawn(move || {
            let mut buf = [0u8; 65536];
            loop {
                match reader.read(&mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => {
                        p.lock().unwrap().process(&buf[..n]);
                        *r.lock().unwrap() += n;
                    }
                }
            }
            e.store(true, std::sync::atomic::Ordering::SeqCst);
        });
        Tui {
            child,
            master,
            parser,
            received,
            ended,
            started,
        }
    }

    pub(crate) fn screen(&self) -> String {
        self.parser.lock().unwrap().screen().contents()
    }

    /// Polls (bounded) until the screen shows every needle; panics with the screen.
    #[track_caller]
    pub(crate) fn wait_for(&self, needles: &[&str], timeout: Duration) -> String {
        let start = Instant::now();
        loop {
            let s = self.screen();
            if needles.iter().all(|n| s.contains(n)) {
                return s;
            }
            if start.elapsed() > timeout {
                panic!("waited {timeout:?} for {needles:?}; the screen shows:\n{s}");
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Spins (bounded, 10 s) until `needle` is on screen (`present`) or gone: for
    /// timing, where a 20 ms poll would be the measurement.
    pub(crate) fn wait_for_fast(&self, needle: &str, present: bool) {
        let start = Instant::now();
        while self.screen().contains(needle) != present {
            assert!(
                start.elapsed() < Duration::from_secs(10),
                "{needle:?} present={present}:\n{}",
                self.screen()
            );
            std::thread::sleep(Duration::from_micros(200));
        }
    }

    /// Polls (bounded) until the screen no longer shows `needle`.
    #[track_caller]
    pub(crate) fn wait_gone(&self, needle: &str, timeout: Duration) {
        let start = Instant::now();
        while self.screen().contains(needle) {
            if start.elapsed() > timeout {
                panic!(
                    "waited {timeout:?} for {needle:?} to go:\n{}",
                    self.screen()
                );
            }
            std::thread::sleep(Duration::from_millis(5));
        }
    }

    pub(crate) fn keys(&mut self, bytes: &str) {
        self.master.write_all(bytes.as_bytes()).unwrap();
        self.master.flush().unwrap();
    }

    /// Types `text` one key at a time, as a person would.
    pub(crate) fn type_text(&mut self, text: &str) {
        for c in text.chars() {
            self.keys(&c.to_string());
        }
    }

    /// Resizes the terminal (the kernel sends pyve SIGWINCH) and the parser with it.
    pub(crate) fn resize(&mut self, rows: u16, cols: u16) {
        use std::os::fd::AsRawFd;
        let ws = nix::libc::winsize {
            ws_row: rows,
            ws_col: cols,
            ws_xpixel: 0,
            ws_ypixel: 0,
        };
        self.parser.lock().unwrap().screen_mut().set_size(
            std::num::NonZeroU16::new(rows).unwrap(),
            std::num::NonZeroU16::new(cols).unwrap(),
        );
        // SAFETY: TIOCSWINSZ reads one winsize from the pointer.
        let rc = unsafe { nix::libc::ioctl(self.master.as_raw_fd(), nix::libc::TIOCSWINSZ, &ws) };
        assert_eq!(rc, 0, "TIOCSWINSZ");
    }

    /// Waits (bounded) for pyve to exit; its exit code.
    pub(crate) fn wait_exit(&mut self, timeout: Duration) -> i32 {
        let start = Instant::now();
        loop {
            if let Some(st) = self.child.try_wait().unwrap() {
                use std::os::unix::process::ExitStatusExt;
                self.drained();
                return st.code().unwrap_or(128 + st.signal().unwrap_or(0));
            }
            if start.elapsed() > timeout {
                let _ = self.child.kill();
                panic!(
                    "pyve did not exit within {timeout:?}; screen:\n{}",
                    self.screen()
                );
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// After the exit: the last bytes pyve wrote may still be in the reader thread;
    /// waits (bounded) until it read to the end, so the screen is the final one. A
    /// process pyve left holding the terminal past the bound is not waited for.
    fn drained(&self) {
        let start = Instant::now();
        while !self.ended.load(std::sync::atomic::Ordering::SeqCst) {
            if start.elapsed() > Duration::from_secs(5) {
                eprintln!("pty: the terminal was still open 5 s after pyve exited");
                return;
            }
            std::thread::sleep(Duration::from_millis(5));
        }
    }

    /// Presses `q` with nothing running: pyve must exit 0 within `timeout` and give the
    /// terminal back.
    #[track_caller]
    pub(crate) fn quit_restored(&mut self, timeout: Duration) {
        self.keys("q");
        assert_eq!(self.wait_exit(timeout), 0, "the TUI's exit code after q");
        self.assert_restored();
    }

    /// The terminal is back to normal: main screen, cursor visible.
    #[track_caller]
    pub(crate) fn assert_restored(&self) {
        // The last bytes may still be in the reader thread.
        let start = Instant::now();
        loop {
            let (alt, hidden) = {
                let p = self.parser.lock().unwrap();
                (p.screen().alternate_screen(), p.screen().hide_cursor())
            };
            if !alt && !hidden {
                return;
            }
            if start.elapsed() > Duration::from_secs(5) {
                panic!(
                    "terminal not restored: alternate screen {alt}, cursor hidden {hidden}:\n{}",
                    self.screen()
                );
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Tui {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
