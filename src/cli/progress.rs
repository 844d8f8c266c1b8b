//! What the CLI draws while a download runs (a bar redrawn in place on a terminal,
//! plain lines otherwise), and the Ctrl-C handler that turns an interrupt into the
//! download's cancel flag for as long as it runs.

use std::io::{IsTerminal, Write};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use super::out::Out;
use pyve_core::engine::bootstrap::Progress;

/// Draws [`Progress`]: a redrawn bar on a terminal, plain lines otherwise, nothing with
/// `-q` (errors are printed by the caller either way).
pub struct ProgressView<'a> {
    out: &'a Out,
    bar: bool,
    open: bool,
    last_draw: Option<Instant>,
    last_percent: Option<u64>,
    last_done: Option<u64>,
    name: String,
}

impl<'a> ProgressView<'a> {
    pub fn new(out: &'a Out) -> ProgressView<'a> {
        ProgressView {
            out,
            bar: !out.quiet && std::io::stderr().is_terminal(),
            open: false,
            last_draw: None,
            last_percent: None,
            last_done: None,
            name: String::new(),
        }
    }

    pub fn show(&mut self, p: Progress) {
        let out = self.out;
        if out.quiet {
            return;
        }
        match p {
            Progress::Checksum { url } => {
                if out.verbose > 0 {
                    eprintln!("fetching {url}");
                }
            }
            Progress::Downloading { url, total } => {
                self.name = url.rsplit('/').next().unwrap_or("micromamba").to_string();
                if !self.bar {
                    let size = total.map(|t| format!(" ({})", size(t))).unwrap_or_default();
                    eprintln!("downloading {url}{size} …");
                }
            }
            Progress::Bytes { done, total } => {
                if self.bar {
                    self.draw(done, total);
                }
            }
            Progress::Downloaded { bytes } => {
                if self.bar {
                    if self.last_done != Some(bytes) {
                        self.draw_now(bytes, Some(bytes));
                    }
                    self.finish_line();
                } else {
                    eprintln!("done: {}", size(bytes));
                }
            }
            Progress::Verified { sha256 } => {
                if out.verbose > 0 {
                    out.success(&format!("sha256 verified ({sha256})"));
                } else {
                    out.success("sha256 verified");
                }
            }
            Progress::Runs { version } => out.success(&format!("micromamba {version} runs")),
            Progress::Installed { path } => {
                out.success(&format!("installed to {}", path.display()))
            }
        }
    }

    fn draw(&mut self, done: u64, total: Option<u64>) {
        let percent = total.filter(|t| *t > 0).map(|t| done * 100 / t);
        let due = self
            .last_draw
            .is_none_or(|t| t.elapsed() >= Duration::from_millis(100));
        if due || percent != self.last_percent {
            self.draw_now(done, total);
        }
    }

    fn draw_now(&mut self, done: u64, total: Option<u64>) {
        const WIDTH: u64 = 24;
        let line = match total.filter(|t| *t > 0) {
            Some(t) => {
                let pct = (done * 100 / t).min(100);
                let filled = (done * WIDTH / t).min(WIDTH) as usize;
                format!(
                    "  {} [{}{}] {pct:>3}%  {} / {}",
                    self.name,
                    "#".repeat(filled),
                    "-".repeat(WIDTH as usize - filled),
                    size(done),
                    size(t)
                )
            }
            None => format!("  {} {}", self.name, size(done)),
        };
        eprint!("\r{line}\x1b[K");
        let _ = std::io::stderr().flush();
        self.open = true;
        self.last_draw = Some(Instant::now());
        self.last_done = Some(done);
        self.last_percent = total.filter(|t| *t > 0).map(|t| done * 100 / t);
    }

    /// Ends a half-drawn bar so the next message starts on its own line.
    pub fn finish_line(&mut self) {
        if self.open {
            eprintln!();
            self.open = false;
        }
    }
}

use pyve_core::sys::term::human_size as size;

/// Set by the handler while a download runs.
static INTERRUPTED: AtomicBool = AtomicBool::new(false);
/// The signal that set it.
static SIGNALLED: std::sync::atomic::AtomicI32 = std::sync::atomic::AtomicI32::new(0);

extern "C" fn on_interrupt(sig: std::ffi::c_int) {
    SIGNALLED.store(sig, Ordering::SeqCst);
    INTERRUPTED.store(true, Ordering::SeqCst);
}

/// What ends a download early: Ctrl-C, and SIGTERM and SIGHUP (a `kill`, a closed
/// terminal), which would otherwise end pyve before it removes its temp file.
const INTERRUPTS: [nix::sys::signal::Signal; 3] = [
    nix::sys::signal::Signal::SIGINT,
    nix::sys::signal::Signal::SIGTERM,
    nix::sys::signal::Signal::SIGHUP,
];

/// Turns Ctrl-C, SIGTERM and SIGHUP into the cancel flag for as long as it lives, then
/// puts back whatever handled them before (usually the default, which kills pyve). A
/// raw `sigaction` rather than signal-hook or tokio: those keep their handler installed
/// for the rest of the process, which would leave a later Ctrl-C swallowed; this one
/// restores exactly.
pub struct InterruptGuard {
    previous: Vec<(nix::sys::signal::Signal, nix::sys::signal::SigAction)>,
}

impl InterruptGuard {
    pub fn install() -> InterruptGuard {
        use nix::sys::signal::{SaFlags, SigAction, SigHandler, SigSet, sigaction};
        INTERRUPTED.store(false, Ordering::SeqCst);
        SIGNALLED.store(0, Ordering::SeqCst);
        let action = SigAction::new(
            SigHandler::Handler(on_interrupt),
            SaFlags::SA_RESTART,
            SigSet::empty(),
        );
        let previous = INTERRUPTS
            .iter()
            // SAFETY: the handler only stores to atomics, which is async-signal-safe.
            .filter_map(|&s| unsafe { sigaction(s, &action) }.ok().map(|p| (s, p)))
            .collect();
        InterruptGuard { previous }
    }

    pub fn flag(&self) -> &'static AtomicBool {
        &INTERRUPTED
    }
}

impl Drop for InterruptGuard {
    fn drop(&mut self) {
        for (s, prev) in self.previous.drain(..) {
            // SAFETY: restores the action that was installed before ours.
            let _ = unsafe { nix::sys::signal::sigaction(s, &prev) };
        }
    }
}

/// The exit status of a run a SIGTERM or SIGHUP interrupted: 128 + the signal, as a
/// shell reports a process that signal ended (Ctrl-C's 130 is the interrupted status
/// already).
pub fn interrupted_by(status: pyve_core::engine::ExitStatus) -> pyve_core::engine::ExitStatus {
    use pyve_core::engine::ExitStatus;
    match SIGNALLED.load(Ordering::SeqCst) {
        sig @ (nix::libc::SIGTERM | nix::libc::SIGHUP) if status == ExitStatus::Interrupted => {
            ExitStatus::Code(128 + sig)
        }
        _ => status,
    }
}

/// One updating line on stderr for a step's progress display ([`TaskEvent::Redraw`]):
/// redrawn in place on a terminal, never printed to a log or a pipe.
///
/// [`TaskEvent::Redraw`]: pyve_core::tasks::TaskEvent::Redraw
pub struct Redraw {
    /// stderr is a terminal of this many columns; `None`: not a terminal.
    width: Option<usize>,
    showing: bool,
}

impl Redraw {
    pub fn on_stderr() -> Redraw {
        let width = std::io::stderr().is_terminal().then(|| {
            crossterm::terminal::size()
                .map(|(w, _)| usize::from(w))
                .unwrap_or(80)
        });
        Redraw {
            width,
            showing: false,
        }
    }

    /// Shows `text` (indented like step output, cut to the terminal's width) in place
    /// of what was shown.
    pub fn show(&mut self, text: &str) {
        let Some(width) = self.width else { return };
        let cut: String = text.chars().take(width.saturating_sub(3)).collect();
        let mut e = std::io::stderr().lock();
        let _ = write!(e, "\r\x1b[2K  {cut}");
        let _ = e.flush();
        self.showing = true;
    }

    /// Erases the progress line, if one is shown, so that a line can be printed.
    pub fn clear(&mut self) {
        if self.showing {
            self.showing = false;
            let mut e = std::io::stderr().lock();
            let _ = write!(e, "\r\x1b[2K");
            let _ = e.flush();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes() {
        assert_eq!(size(812), "812 B");
        assert_eq!(size(2048), "2.0 KiB");
        assert_eq!(size(15 * 1024 * 1024 + 100), "15.0 MiB");
    }
}
