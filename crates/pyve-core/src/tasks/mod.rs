//! The task queue: long work (creating an env, installing packages) runs here as a
//! sequence of process steps, and everything observable about it comes out as
//! [`TaskEvent`]s on a channel. The CLI prints them; the TUI renders them. Mutating
//! tasks run one at a time; read-only ones may run beside them.
//!
//! Each step's child runs in its own process group, so cancelling kills the step and
//! everything it started (pip's build backends, micromamba's extractors), and a Ctrl-C
//! at the terminal reaches pyve, which decides, rather than the child.

use std::process::Stdio;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

pub use crate::engine::step::Step;
use crate::sys::process::describe_status;

pub mod lines;

use tokio::io::{AsyncRead, AsyncReadExt};
use tokio::sync::{Mutex, mpsc, watch};

pub type TaskId = u64;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stream {
    Stdout,
    Stderr,
}

/// How a task ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    Succeeded,
    /// A step failed: which one and how.
    Failed(String),
    Cancelled,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TaskEvent {
    Started {
        id: TaskId,
        title: String,
    },
    /// A step began: the command about to run, for the log.
    Step {
        id: TaskId,
        label: String,
        command: String,
    },
    /// A finished line of a step's output. It replaces a pending [`TaskEvent::Redraw`]
    /// of the same stream.
    Line {
        id: TaskId,
        stream: Stream,
        text: String,
    },
    /// An unfinished line redrawn in place (a progress display: text ended by `\r`, or
    /// micromamba's `… ⧖ Starting`). It replaces the previous redraw of the stream; the
    /// next `Line` of the stream replaces it for good. A face on a terminal shows it as
    /// one updating line; a log or a pipe can wait for the `Line`.
    Redraw {
        id: TaskId,
        stream: Stream,
        text: String,
    },
    Progress {
        id: TaskId,
        done: u64,
        total: u64,
    },
    Finished {
        id: TaskId,
        outcome: Outcome,
        duration: Duration,
    },
}

/// The queue. Cheap to clone; all clones share the mutation slot and the id counter.
#[derive(Clone)]
pub struct Queue {
    events: mpsc::UnboundedSender<TaskEvent>,
    mutating: Arc<Mutex<()>>,
    next_id: Arc<AtomicU64>,
}

impl Queue {
    pub fn new() -> (Queue, mpsc::UnboundedReceiver<TaskEvent>) {
        let (tx, rx) = mpsc::unbounded_channel();
        (
            Queue {
                events: tx,
                mutating: Arc::new(Mutex::new(())),
                next_id: Arc::new(AtomicU64::new(1)),
            },
            rx,
        )
    }

    fn emit(&self, ev: TaskEvent) {
        // A face that stopped listening is not the task's problem.
        let _ = self.events.send(ev);
    }

    /// Runs `steps` in order as one mutating task; stops at the first failure or on
    /// cancel. Returns the outcome that was also sent as `Finished`.
    pub async fn run_mutating(
        &self,
        title: &str,
        steps: Vec<Step>,
        cancel: watch::Receiver<bool>,
    ) -> Outcome {
        let _slot = self.mutating.lock().await;
        self.run(title, steps, cancel).await
    }

    /// Runs `steps` without taking the mutation slot (read-only work).
    pub async fn run(
        &self,
        title: &str,
        steps: Vec<Step>,
        mut cancel: watch::Receiver<bool>,
    ) -> Outcome {
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        let started = Instant::now();
        self.emit(TaskEvent::Started {
            id,
            title: title.to_string(),
        });
        let total = steps.len() as u64;
        let mut outcome = Outcome::Succeeded;
        for (i, step) in steps.into_iter().enumerate() {
            self.emit(TaskEvent::Progress {
                id,
                done: i as u64,
                total,
            });
            outcome = self.run_step(id, &step, &mut cancel).await;
            if outcome != Outcome::Succeeded {
                break;
            }
        }
        if outcome == Outcome::Succeeded {
            self.emit(TaskEvent::Progress {
                id,
                done: total,
                total,
            });
        }
        self.emit(TaskEvent::Finished {
            id,
            outcome: outcome.clone(),
            duration: started.elapsed(),
        });
        outcome
    }

    async fn run_step(
        &self,
        id: TaskId,
        step: &Step,
        cancel: &mut watch::Receiver<bool>,
    ) -> Outcome {
        self.emit(TaskEvent::Step {
            id,
            label: step.label.clone(),
            command: step.command_line(),
        });
        if *cancel.borrow() {
            return Outcome::Cancelled;
        }
        let mut cmd = tokio::process::Command::new(&step.program);
        cmd.args(&step.args)
            .current_dir(&step.cwd)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .process_group(0)
            .kill_on_drop(true);
        if step.env_clear {
            cmd.env_clear();
        }
        if let Some(a) = &step.argv0 {
            cmd.arg0(a);
        }
        for k in &step.env_remove {
            cmd.env_remove(k);
        }
        cmd.envs(step.env.iter().cloned());
        if let Some(fd) = crate::sys::watchdog::fd() {
            // SAFETY: register_in_child makes only async-signal-safe calls.
            unsafe {
                cmd.pre_exec(move || {
                    crate::sys::watchdog::register_in_child(fd);
                    Ok(())
                });
            }
        }
        let mut child = match cmd.spawn() {
            Ok(c) => c,
            Err(e) => {
                return Outcome::Failed(format!(
                    "{}: cannot start {}: {e}",
                    step.label,
                    step.program.display()
                ));
            }
        };
        let pgid = child.id();
        let tail: Tail = Arc::default();
        let out = child
            .stdout
            .take()
            .map(|s| self.pump(id, Stream::Stdout, s, tail.clone()));
        let err = child
            .stderr
            .take()
            .map(|s| self.pump(id, Stream::Stderr, s, tail.clone()));
        let pumps = async {
            if let Some(o) = out {
                let _ = o.await;
            }
            if let Some(e) = err {
                let _ = e.await;
            }
        };
        let waited = async {
            let status = child.wait().await;
            if let Some(pgid) = pgid {
                crate::sys::watchdog::forget(pgid);
            }
            pumps.await;
            status
        };
        tokio::select! {
            status = waited => match status {
                Ok(s) if s.success() => Outcome::Succeeded,
                Ok(s) => {
                    let mut why = format!("{} failed ({})", step.label, describe_status(s));
                    let seen: Vec<String> = tail.lock().await.iter().cloned().collect();
                    if let Some(hint) = crate::engine::micromamba::failure_hint(step, &seen) {
                        why.push('\n');
                        why.push_str(&hint);
                    }
                    Outcome::Failed(why)
                }
                Err(e) => Outcome::Failed(format!("{}: {e}", step.label)),
            },
            _ = wait_cancel(cancel) => {
                if let Some(pgid) = pgid {
                    crate::sys::process::kill_group(pgid, nix::sys::signal::Signal::SIGTERM);
                    tokio::time::sleep(Duration::from_millis(200)).await;
                    crate::sys::process::kill_group(pgid, nix::sys::signal::Signal::SIGKILL);
                    crate::sys::watchdog::forget(pgid);
                }
                Outcome::Cancelled
            }
        }
    }

    fn pump<R: AsyncRead + Unpin + Send + 'static>(
        &self,
        id: TaskId,
        stream: Stream,
        mut reader: R,
        tail: Tail,
    ) -> tokio::task::JoinHandle<()> {
        let tx = self.events.clone();
        tokio::spawn(async move {
            let mut split = lines::Splitter::default();
            let mut chunk = vec![0u8; 16 * 1024];
            let send = |p: lines::Piece| {
                let ev = match p {
                    lines::Piece::Line(text) => TaskEvent::Line { id, stream, text },
                    lines::Piece::Redraw(text) => TaskEvent::Redraw { id, stream, text },
                };
                let _ = tx.send(ev);
            };
            loop {
                let n = match reader.read(&mut chunk).await {
                    Ok(0) | Err(_) => break,
                    Ok(n) => n,
                };
                let pieces = split.feed(&chunk[..n]);
                remember(&tail, &pieces).await;
                pieces.into_iter().for_each(send);
                // A child that writes faster than it is read keeps the pipe ready, and a
                // ready read yields only when tokio's budget (128 per turn) is spent:
                // 2 MiB, some 175,000 short lines in one turn of a runtime the TUI shares
                // with its keys (50-70 ms, docs/performance.md). One read per turn.
                tokio::task::yield_now().await;
            }
            if let Some(p) = split.finish() {
                remember(&tail, std::slice::from_ref(&p)).await;
                send(p);
            }
        })
    }
}

/// The last lines of a step's output (both streams), for [`crate::engine::micromamba::failure_hint`].
type Tail = Arc<Mutex<std::collections::VecDeque<String>>>;
// conda-lock says which platform failed before a Python traceback of ~60 lines.
const TAIL_LINES: usize = 200;

async fn remember(tail: &Tail, pieces: &[lines::Piece]) {
    // Only a read's last TAIL_LINES lines can stay: the others are not copied.
    let mut kept: Vec<&String> = pieces
        .iter()
        .rev()
        .filter_map(|p| match p {
            lines::Piece::Line(text) => Some(text),
            lines::Piece::Redraw(_) => None,
        })
        .take(TAIL_LINES)
        .collect();
    kept.reverse();
    let mut t = tail.lock().await;
    for text in kept {
        if t.len() == TAIL_LINES {
            t.pop_front();
        }
        t.push_back(text.clone());
    }
}

async fn wait_cancel(cancel: &mut watch::Receiver<bool>) {
    loop {
        if *cancel.borrow_and_update() {
            return;
        }
        if cancel.changed().await.is_err() {
            // The handle is gone: nobody can cancel any more.
            std::future::pending::<()>().await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sh(script: &str) -> Step {
        Step {
            label: "script".into(),
            program: "/bin/sh".into(),
            args: vec!["-c".into(), script.into()],
            cwd: std::env::temp_dir(),
            env: vec![],
            env_remove: vec![],
            env_clear: false,
            argv0: None,
            interactive: false,
        }
    }

    async fn collect(
        steps: Vec<Step>,
        cancel_after_line: Option<&str>,
    ) -> (Outcome, Vec<TaskEvent>) {
        let (queue, mut rx) = Queue::new();
        let (cancel_tx, cancel_rx) = watch::channel(false);
        let task = tokio::spawn(async move { queue.run_mutating("t", steps, cancel_rx).await });
        let mut events = Vec::new();
        while let Some(ev) = rx.recv().await {
            if let (Some(stop), TaskEvent::Line { text, .. }) = (cancel_after_line, &ev)
                && text == stop
            {
                cancel_tx.send(true).unwrap();
            }
            let done = matches!(ev, TaskEvent::Finished { .. });
            events.push(ev);
            if done {
                break;
            }
        }
        (task.await.unwrap(), events)
    }

    fn lines(events: &[TaskEvent]) -> Vec<(Stream, String)> {
        events
            .iter()
            .filter_map(|e| match e {
                TaskEvent::Line { stream, text, .. } => Some((*stream, text.clone())),
                _ => None,
            })
            .collect()
    }

    #[tokio::test(flavor = "current_thread")]
    async fn streams_both_outputs_line_by_line_and_stops_at_failure() {
        let (outcome, events) = collect(
            vec![
                sh("echo one; echo two >&2; printf 'no newline'"),
                sh("exit 3"),
                sh("echo never"),
            ],
            None,
        )
        .await;
        assert_eq!(
            outcome,
            Outcome::Failed("script failed (exit status 3)".into())
        );
        let mut got = lines(&events);
        got.sort_by_key(|(s, t)| (*s as u8, t.clone()));
        assert_eq!(
            got,
            vec![
                (Stream::Stdout, "no newline".into()),
                (Stream::Stdout, "one".into()),
                (Stream::Stderr, "two".into())
            ]
        );
        assert!(matches!(events[0], TaskEvent::Started { .. }));
        assert!(matches!(
            events.last(),
            Some(TaskEvent::Finished {
                outcome: Outcome::Failed(_),
                ..
            })
        ));
    }

    #[tokio::test(flavor = "current_thread")]
    async fn carriage_return_progress_comes_as_redraws_then_a_line() {
        let (outcome, events) = collect(vec![sh("printf '1%%\\r2%%\\rok\\n'")], None).await;
        assert_eq!(outcome, Outcome::Succeeded);
        let got: Vec<(bool, String)> = events
            .iter()
            .filter_map(|e| match e {
                TaskEvent::Line { text, .. } => Some((false, text.clone())),
                TaskEvent::Redraw { text, .. } => Some((true, text.clone())),
                _ => None,
            })
            .collect();
        assert_eq!(
            got,
            [
                (true, "1%".into()),
                (true, "2%".into()),
                (false, "ok".into())
            ]
        );
    }

    #[tokio::test(flavor = "current_thread")]
    async fn cancel_kills_the_whole_process_group() {
        let marker = tempfile::tempdir().unwrap();
        let pidfile = marker.path().join("grandchild");
        let script = format!(
            "sleep 30 & echo $! > {}; echo ready; wait",
            pidfile.display()
        );
        let (outcome, _) = collect(vec![sh(&script)], Some("ready")).await;
        assert_eq!(outcome, Outcome::Cancelled);
        let pid: i32 = std::fs::read_to_string(&pidfile)
            .unwrap()
            .trim()
            .parse()
            .unwrap();
        // The grandchild got the signal too: poll until it is gone (reaped by init).
        let gone = (0..100).any(|_| {
            std::thread::sleep(Duration::from_millis(20));
            gone_or_zombie(pid)
        });
        assert!(gone, "grandchild {pid} survived the cancel");
    }

    /// Whether `pid` is gone or a zombie not yet reaped: Linux reads `/proc`, other
    /// systems ask `ps`.
    fn gone_or_zombie(pid: i32) -> bool {
        let alive = nix::sys::signal::kill(nix::unistd::Pid::from_raw(pid), None);
        if alive == Err(nix::errno::Errno::ESRCH) {
            return true;
        }
        if cfg!(target_os = "linux") {
            return std::fs::read_to_string(format!("/proc/{pid}/stat"))
                .map(|s| s.contains(") Z "))
                .unwrap_or(true);
        }
        let out = std::process::Command::new("ps")
            .args(["-o", "stat=", "-p", &pid.to_string()])
            .output()
            .unwrap();
        let stat = String::from_utf8_lossy(&out.stdout);
        stat.trim().is_empty() || stat.trim_start().starts_with('Z')
    }

    #[tokio::test(flavor = "current_thread")]
    async fn env_clear_shapes_the_child_like_exec() {
        let mut step = sh("");
        step.program = "/usr/bin/env".into();
        step.args = vec![];
        step.env_clear = true;
        step.env = vec![("ONLY".into(), "this".into())];
        let (outcome, events) = collect(vec![step], None).await;
        assert_eq!(outcome, Outcome::Succeeded);
        assert_eq!(
            lines(&events),
            vec![(Stream::Stdout, "ONLY=this".to_string())]
        );
    }

    /// argv[0] as the child sees it, read from `/proc/self/cmdline`: Linux only.
    #[cfg(target_os = "linux")]
    #[tokio::test(flavor = "current_thread")]
    async fn argv0_is_what_the_child_sees_as_its_name() {
        let mut step = sh("");
        step.program = "/bin/cat".into();
        step.args = vec!["/proc/self/cmdline".into()];
        step.argv0 = Some("kitty".into());
        let (_, events) = collect(vec![step], None).await;
        assert_eq!(
            lines(&events),
            vec![(Stream::Stdout, "kitty\0/proc/self/cmdline\0".to_string())]
        );
    }

    #[tokio::test(flavor = "current_thread")]
    async fn a_missing_program_is_a_failure_naming_it() {
        let mut step = sh("");
        step.program = "/nonexistent/python".into();
        let (outcome, _) = collect(vec![step], None).await;
        match outcome {
            Outcome::Failed(m) => assert!(m.contains("cannot start /nonexistent/python"), "{m}"),
            o => panic!("{o:?}"),
        }
    }
}
