//! The CLI as a job's face: it prints a job's events on stderr, asks its questions on
//! the terminal (when there is one and `--no-input` is not given), and runs its steps
//! on a task queue of its own, streaming their lines (buffered with `-q`, shown if the
//! task fails). Ctrl-C cancels the running step's process group, or the download.

use std::io::Write;
use std::sync::atomic::AtomicBool;

use super::out::Out;
use super::progress::{InterruptGuard, ProgressView, Redraw};
use crate::words;
use pyve_core::engine::bootstrap::{Progress, SystemInstall, Target};
use pyve_core::engine::step::Step;
use pyve_core::jobs::{BootstrapChoice, BootstrapOffer, Event, Question, Reporter, Runner};
use pyve_core::tasks::{Outcome, Queue, Stream, TaskEvent};

pub struct Face<'a> {
    out: &'a Out,
    progress: Option<ProgressView<'a>>,
}

impl<'a> Face<'a> {
    pub fn new(out: &'a Out) -> Face<'a> {
        Face {
            out,
            progress: None,
        }
    }

    /// Ends a half-drawn progress bar (also after a download that failed).
    fn end_progress(&mut self) {
        if let Some(mut p) = self.progress.take() {
            p.finish_line();
        }
    }
}

impl Drop for Face<'_> {
    fn drop(&mut self) {
        self.end_progress();
    }
}

impl Reporter for Face<'_> {
    fn event(&mut self, event: Event) {
        let out = self.out;
        if !matches!(event, Event::Download(_)) {
            self.end_progress();
        }
        match event {
            Event::Detected(d) => {
                for n in d.warnings() {
                    out.warn(&n.message);
                }
                out.info(&format!("{} {}", out.dim("backend"), d.summary()));
            }
            Event::WaitingForLock { holder } => out.info(&words::waiting_for_lock(&holder)),
            Event::Planned { plan, prefix } => {
                out.info(&format!(
                    "{} {} {}",
                    words::plan_summary(&plan, &prefix, true),
                    out.dash(),
                    plan.reason
                ));
                if out.verbose > 0
                    && let Some(tool) = &plan.tool
                {
                    for t in &tool.tried {
                        let mark = if t.taken() {
                            out.ok_mark()
                        } else {
                            out.fail_mark()
                        };
                        eprintln!(
                            "  {mark} {:<7} {}  {}",
                            t.place,
                            t.path.display(),
                            t.outcome
                        );
                    }
                }
            }
            Event::Reused { env, python } => {
                out.success(&format!("{env} is ready ({python}): reused, nothing to do"))
            }
            Event::Committed {
                env,
                action,
                elapsed,
                python,
            } => out.success(&format!(
                "{env} {} in {:.1}s ({python}); run commands with `pyve run CMD`",
                words::done_verb(action),
                elapsed.as_secs_f64(),
            )),
            Event::ConfigWritten { .. } => {
                if out.verbose > 0 {
                    out.info("wrote .pyve/config");
                }
            }
            Event::Envrc(e) => {
                let (said, hint) = words::envrc(e);
                match hint {
                    Some(h) => {
                        out.warn(said);
                        out.hint(&h);
                    }
                    None => out.info(said),
                }
            }
            Event::Dotenv { created } => out.info(words::dotenv(created)),
            Event::Warning(w) => out.warn(&w),
            Event::Note(n) => out.hint(&n),
            Event::PurgePlanned { root, items } => {
                eprintln!("pyve created these in {}:", root.display());
                for (shown, i) in &items {
                    let link = if i.is_link {
                        " (symlink: only the link is removed)"
                    } else {
                        ""
                    };
                    eprintln!("  {shown}  {}{link}", out.dim(&i.what));
                }
            }
            Event::Removed { .. } => {}
            Event::Locking {
                source,
                platforms,
                update,
            } => out.info(&words::locking(&source, &platforms, &update)),
            Event::LockWritten { platforms } => out.success(&words::lock_written(&platforms)),
            Event::SpecWritten { file } => out.success(&format!("wrote {file}")),
            Event::NothingToPurge { pyve_dir_exists } => out.success(if pyve_dir_exists {
                "nothing to purge: pyve created nothing here (.pyve/config is kept)"
            } else {
                "nothing to purge: pyve has not set up this project"
            }),
            Event::Installing {
                version,
                platform,
                target,
            } => {
                out.info(&format!(
                    "Installing micromamba ({version}, {platform}) to {}",
                    target.display()
                ));
                self.progress = Some(ProgressView::new(out));
            }
            Event::Download(p) => {
                let last = matches!(p, Progress::Installed { .. });
                if let Some(view) = &mut self.progress {
                    view.show(p);
                }
                if last {
                    self.end_progress();
                }
            }
            Event::Found(_) => {}
        }
    }

    fn confirm(&mut self, question: Question) -> Option<bool> {
        let out = self.out;
        if !out.interactive {
            return None;
        }
        Some(match question {
            Question::UseMicromamba => out.confirm("Initialize with micromamba backend?", true),
            Question::InstallProject => out.confirm(
                "Install this project into the venv (pip install -e .)?",
                true,
            ),
            Question::Purge => {
                let yes = out.confirm("Remove them?", false);
                if !yes {
                    out.info("nothing removed");
                }
                yes
            }
        })
    }

    fn choose(&mut self, offer: &BootstrapOffer) -> Option<BootstrapChoice> {
        self.out.interactive.then(|| menu(self.out, offer))
    }
}

/// The bootstrap menu on stderr, in the original pyve's words; the answer is a line on
/// stdin. An empty answer takes the default, end of input aborts, anything else asks
/// again (three times at most).
fn menu(out: &Out, offer: &BootstrapOffer) -> BootstrapChoice {
    let default_n = match offer.default {
        Target::Project => 1,
        Target::User => 2,
    };
    let mark = |n| if n == default_n { "   [default]" } else { "" };
    eprintln!("{}", out.text(&offer.header));
    eprintln!(
        "  1) Install to project sandbox: {}{}",
        offer.project.display(),
        mark(1)
    );
    eprintln!(
        "  2) Install to user sandbox:    {}{}",
        offer.user.display(),
        mark(2)
    );
    eprintln!(
        "  3) Install with system package manager: {}",
        out.text(&offer.system.describe())
    );
    eprintln!("  4) Abort");
    for _ in 0..3 {
        eprint!("Choose [1-4] (default {default_n}): ");
        let _ = std::io::stderr().flush();
        let mut answer = String::new();
        if std::io::stdin().read_line(&mut answer).unwrap_or(0) == 0 {
            eprintln!();
            return BootstrapChoice::Abort;
        }
        match answer.trim() {
            "" => return BootstrapChoice::Install(offer.default),
            "1" => return BootstrapChoice::Install(Target::Project),
            "2" => return BootstrapChoice::Install(Target::User),
            "3" => match &offer.system {
                SystemInstall::Available { command, .. } => {
                    if out.confirm(&format!("Run `{command}`?"), true) {
                        return BootstrapChoice::System;
                    }
                }
                SystemInstall::Unavailable { why } => {
                    eprintln!("option 3 is unavailable: {}", out.text(why));
                }
            },
            "4" | "q" | "quit" | "abort" => return BootstrapChoice::Abort,
            other => eprintln!("{other:?} is not one of 1, 2, 3, 4"),
        }
    }
    BootstrapChoice::Abort
}

/// The CLI's way to run a job's long work (see the module docs).
pub struct Work<'a> {
    pub out: &'a Out,
}

impl Runner for Work<'_> {
    fn steps(&mut self, title: &str, steps: Vec<Step>, _mutating: bool) -> Outcome {
        if steps.iter().any(|s| s.interactive) {
            return attached(self.out, &steps);
        }
        run_steps(self.out, title, steps)
    }

    fn interruptible(&mut self, work: &mut dyn FnMut(&AtomicBool)) {
        let guard = InterruptGuard::install();
        work(guard.flag());
    }
}

/// Steps that may need the terminal (a package manager's password prompt) run with it
/// attached, one after the other.
fn attached(out: &Out, steps: &[Step]) -> Outcome {
    for step in steps {
        out.info(&format!("running {}", step.label));
        let status = std::process::Command::new(&step.program)
            .args(&step.args)
            .current_dir(&step.cwd)
            .status();
        match status {
            Ok(s) if s.success() => {}
            Ok(s) => {
                return Outcome::Failed(format!(
                    "`{}` failed ({})",
                    step.label,
                    pyve_core::sys::process::describe_status(s)
                ));
            }
            Err(e) => return Outcome::Failed(format!("cannot run `{}`: {e}", step.label)),
        }
    }
    Outcome::Succeeded
}

/// Runs steps as one mutating task on a current-thread runtime, printing its events:
/// lines as they come (buffered with `-q`, dumped if the task fails). Ctrl-C or
/// SIGTERM cancels the task's process group and returns `Cancelled`.
fn run_steps(out: &Out, title: &str, steps: Vec<Step>) -> Outcome {
    let rt = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => return Outcome::Failed(format!("cannot start the task runtime: {e}")),
    };
    rt.block_on(async {
        let (queue, mut events) = Queue::new();
        let (cancel_tx, cancel_rx) = tokio::sync::watch::channel(false);
        let title = title.to_string();
        let task = tokio::spawn(async move { queue.run_mutating(&title, steps, cancel_rx).await });
        let mut buffered: Vec<String> = Vec::new();
        let mut redraw = Redraw::on_stderr();
        let mut ctrl_c = std::pin::pin!(tokio::signal::ctrl_c());
        // SIGTERM (a CI runner's timeout, `kill`) cancels like Ctrl-C: the step's
        // process group is stopped and the job cleans up, instead of pyve dying with
        // the step still running.
        let mut term =
            tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()).ok();
        let terminated = async {
            match term.as_mut() {
                Some(t) => {
                    t.recv().await;
                }
                None => std::future::pending::<()>().await,
            }
        };
        let mut terminated = std::pin::pin!(terminated);
        let mut interrupted = false;
        loop {
            tokio::select! {
                ev = events.recv() => {
                    let Some(ev) = ev else { break };
                    if print_event(out, ev, &mut buffered, &mut redraw) {
                        break;
                    }
                }
                _ = &mut ctrl_c, if !interrupted => {
                    interrupted = true;
                    let _ = cancel_tx.send(true);
                }
                _ = &mut terminated, if !interrupted => {
                    interrupted = true;
                    let _ = cancel_tx.send(true);
                }
            }
        }
        task.await
            .unwrap_or_else(|e| Outcome::Failed(format!("the task crashed: {e}")))
    })
}

/// Prints one task event; true when the task is over.
fn print_event(out: &Out, ev: TaskEvent, buffered: &mut Vec<String>, redraw: &mut Redraw) -> bool {
    match ev {
        TaskEvent::Step { label, command, .. } => {
            redraw.clear();
            let line = format!("{} {label}: {command}", out.dim("»"));
            if out.quiet {
                buffered.push(line)
            } else if out.verbose > 0 {
                eprintln!("{line}");
            } else {
                eprintln!("{} {label}", out.dim("»"));
            }
        }
        TaskEvent::Line { stream, text, .. } => {
            let line = match stream {
                Stream::Stdout => format!("  {text}"),
                Stream::Stderr => format!("  {}", out.dim(&text)),
            };
            if out.quiet {
                buffered.push(line)
            } else {
                redraw.clear();
                eprintln!("{line}")
            }
        }
        // A progress line: one updating line on a terminal, nothing in a log or a pipe
        // (the Line that ends it is printed).
        TaskEvent::Redraw { text, .. } => {
            if !out.quiet {
                redraw.show(&text);
            }
        }
        TaskEvent::Finished { outcome, .. } => {
            if out.quiet && matches!(outcome, Outcome::Failed(_)) {
                for l in buffered.iter() {
                    eprintln!("{l}");
                }
            }
            return true;
        }
        TaskEvent::Started { .. } | TaskEvent::Progress { .. } => {}
    }
    false
}
