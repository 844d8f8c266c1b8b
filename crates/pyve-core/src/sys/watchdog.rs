//! The step watchdog: when pyve dies — SIGKILL included, with no chance to clean up —
//! the step processes it started die too (docs/decisions/0017-step-watchdog.md).
//!
//! Each step runs in its own process group (so a Ctrl-C at the terminal reaches pyve,
//! which decides). A group outlives its parent, and `PR_SET_PDEATHSIG` does not help:
//! it fires when the *thread* that forked exits, and the TUI forks from tokio's
//! blocking pool, whose threads come and go. So pyve starts, on its first step, a copy
//! of itself as a watchdog, in a group of its own and deaf to the terminal's signals,
//! holding the read end of a pipe whose only write end is pyve's. Each step's child
//! writes `+PGID` to that pipe before it execs (so a pyve killed between fork and exec
//! still leaves a trace), pyve writes `-PGID` once it has reaped the step, and when the
//! pipe reaches end-of-file — pyve is gone, however it died — the watchdog kills every
//! group still listed and exits.

use std::collections::BTreeSet;
use std::io::{BufRead, Write};
use std::os::fd::{AsRawFd, BorrowedFd, RawFd};
use std::path::PathBuf;
use std::sync::{Mutex, OnceLock};

use nix::sys::signal::{self, SigHandler, Signal};

/// Set in the watchdog's environment: the binary's `main` serves instead of parsing a
/// command line.
pub const ENV: &str = "PYVE_INTERNAL_WATCHDOG";

static EXE: OnceLock<PathBuf> = OnceLock::new();
static PIPE: OnceLock<Option<Mutex<std::process::ChildStdin>>> = OnceLock::new();

/// Steps started from now on are watched by a copy of `exe` (the running binary). A
/// process that never calls this (a library's tests) runs steps unwatched.
pub fn enable(exe: PathBuf) {
    let _ = EXE.set(exe);
}

fn pipe() -> Option<&'static Mutex<std::process::ChildStdin>> {
    PIPE.get_or_init(|| {
        let exe = EXE.get()?;
        let mut cmd = std::process::Command::new(exe);
        cmd.env(ENV, "1")
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null());
        std::os::unix::process::CommandExt::process_group(&mut cmd, 0);
        // Never waited for: it outlives pyve by design and exits on its own.
        let child = cmd.spawn().ok()?;
        child.stdin.map(Mutex::new)
    })
    .as_ref()
}

/// The descriptor a step's child registers itself on, starting the watchdog on first
/// use; `None` when watching is off or the watchdog could not start.
pub fn fd() -> Option<RawFd> {
    pipe().and_then(|p| p.lock().ok().map(|s| s.as_raw_fd()))
}

/// In a step's child between fork and exec: registers its process group (its pid) with
/// the watchdog. Only async-signal-safe calls; SIGPIPE is ignored around the write so a
/// dead watchdog cannot kill the step.
pub fn register_in_child(fd: RawFd) {
    let mut buf = [0u8; 24];
    let mut n = nix::unistd::getpid().as_raw() as u32;
    let mut digits = [0u8; 10];
    let mut len = 0;
    loop {
        digits[len] = b'0' + (n % 10) as u8;
        len += 1;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    buf[0] = b'+';
    for i in 0..len {
        buf[1 + i] = digits[len - 1 - i];
    }
    buf[1 + len] = b'\n';
    // SAFETY: sigaction and write are async-signal-safe; the handler is restored.
    unsafe {
        let ignore = signal::SigAction::new(
            SigHandler::SigIgn,
            signal::SaFlags::empty(),
            signal::SigSet::empty(),
        );
        let old = signal::sigaction(Signal::SIGPIPE, &ignore).ok();
        let _ = rustix::io::write(BorrowedFd::borrow_raw(fd), &buf[..len + 2]);
        if let Some(old) = old {
            let _ = signal::sigaction(Signal::SIGPIPE, &old);
        }
    }
}

/// The step in group `pgid` has been reaped: the watchdog forgets it (its number may
/// be reused by a stranger's group).
pub fn forget(pgid: u32) {
    if let Some(p) = PIPE.get().and_then(Option::as_ref)
        && let Ok(mut s) = p.lock()
    {
        let _ = writeln!(s, "-{pgid}");
    }
}

/// Puts a helper process pyve waits for (a probe, the activation capture) in a group
/// of its own, watched like a step: it dies with pyve too. Call [`forget`] with its pid
/// once it is reaped (or use [`output`]).
pub fn watch(cmd: &mut std::process::Command) {
    use std::os::unix::process::CommandExt;
    let Some(fd) = fd() else { return };
    cmd.process_group(0);
    // SAFETY: register_in_child makes only async-signal-safe calls.
    unsafe {
        cmd.pre_exec(move || {
            register_in_child(fd);
            Ok(())
        });
    }
}

/// Forgets the watched process when dropped: hold it until the process is reaped.
pub struct Reaped(pub u32);

impl Drop for Reaped {
    fn drop(&mut self) {
        forget(self.0);
    }
}

/// `cmd.output()`, watched.
pub fn output(cmd: &mut std::process::Command) -> std::io::Result<std::process::Output> {
    watch(cmd);
    let child = cmd
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()?;
    let pid = child.id();
    let out = child.wait_with_output();
    forget(pid);
    out
}

/// The watchdog's life: read `+PGID`/`-PGID` lines until pyve's end closes, then kill
/// every group still listed. The terminal's signals are ignored: a Ctrl-C or a hang-up
/// that kills pyve must not kill its watchdog first.
pub fn serve() -> ! {
    for s in [
        Signal::SIGINT,
        Signal::SIGTERM,
        Signal::SIGHUP,
        Signal::SIGQUIT,
        Signal::SIGPIPE,
        Signal::SIGTSTP,
        Signal::SIGTTIN,
        Signal::SIGTTOU,
        Signal::SIGUSR1,
    ] {
        // SAFETY: installing SIG_IGN runs no code of ours in a handler.
        unsafe {
            let _ = signal::signal(s, SigHandler::SigIgn);
        }
    }
    let mut groups = BTreeSet::new();
    for line in std::io::stdin().lock().lines() {
        let Ok(line) = line else { break };
        let (sign, number) = line.split_at(line.len().min(1));
        match (sign, number.parse::<i32>()) {
            ("+", Ok(g)) if g > 1 => {
                groups.insert(g);
            }
            ("-", Ok(g)) => {
                groups.remove(&g);
            }
            _ => {}
        }
    }
    // pyve is gone and nobody reads the steps' output any more: no grace period, so
    // no straggler writes into an env the next `pyve init` removes.
    for g in groups {
        let _ = signal::killpg(nix::unistd::Pid::from_raw(g), Signal::SIGKILL);
    }
    std::process::exit(0)
}
