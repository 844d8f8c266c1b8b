//! The work the TUI starts: the core's jobs (`pyve_core::jobs`), the same ones the CLI
//! runs, on tokio's blocking pool, with the TUI as their face. The [`TuiFace`] turns a
//! job's events into Log lines and answers no questions (the wizards asked them
//! already); the [`TuiWork`] runs the job's steps on the shared [`Queue`], whose task
//! events reach the Log directly. A job never touches the `App`: it sends actions.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use tokio::sync::{mpsc, watch};

use super::action::{Action, InitRequest, JobEvent};
use super::app::{InitPreview, PreviewError, PurgeItemView};
use super::log::LineKind;
use crate::words;
use pyve_core::engine::Error;
use pyve_core::engine::bootstrap::{Progress, SystemInstall, Target};
use pyve_core::engine::context::{Context, Overrides};
use pyve_core::engine::init::Action as InitAction;
use pyve_core::engine::step::Step;
use pyve_core::jobs::bootstrap::{BootstrapRequest, WhenMissing};
use pyve_core::jobs::purge::Confirmed;
use pyve_core::jobs::{self, BootstrapChoice, BootstrapOffer, Event, Question, Reporter, Runner};
use pyve_core::tasks::{Outcome, Queue};

/// What every job gets from the runtime.
#[derive(Clone)]
pub struct JobCtx {
    /// Where project discovery starts (the working directory).
    pub start: PathBuf,
    pub queue: Queue,
    pub tx: mpsc::UnboundedSender<Action>,
    /// The queue's cancel signal: it stops the step's whole process group.
    pub cancel: watch::Receiver<bool>,
    /// The same cancel, for engine calls that poll a flag (the download).
    pub cancel_flag: Arc<AtomicBool>,
}

impl JobCtx {
    fn say(&self, kind: LineKind, text: impl Into<String>) {
        let _ = self.tx.send(Action::Job(JobEvent::Line(kind, text.into())));
    }

    fn done(&self, result: std::result::Result<(), String>) {
        let _ = self.tx.send(Action::Job(JobEvent::Done(result)));
    }

    /// Ends the job: an error goes to the Log in full, and its first line to `Done`; a
    /// task that failed has said why in its own output.
    fn finish(&self, result: pyve_core::engine::Result<Outcome>) {
        match result {
            Ok(Outcome::Succeeded) => self.done(Ok(())),
            Ok(Outcome::Failed(why)) => self.done(Err(why)),
            Ok(Outcome::Cancelled) => self.done(Err("cancelled".into())),
            Err(Error::Incomplete { env, why }) => {
                let (text, done) = match why {
                    Some(why) => (
                        format!(
                            "{env} is left incomplete: fix the problem above and run init again (i); it rebuilds it"
                        ),
                        why,
                    ),
                    None => (
                        format!("{env} is left incomplete; the next init rebuilds it"),
                        "cancelled".to_string(),
                    ),
                };
                self.say(LineKind::Warn, text);
                self.done(Err(done));
            }
            Err(e) => {
                let m = describe(&e);
                self.say(LineKind::Error, m.clone());
                self.done(Err(m.lines().next().unwrap_or("").to_string()));
            }
        }
    }
}

/// An engine error in the TUI's words (with the config's hint).
pub fn describe(e: &Error) -> String {
    match e {
        Error::Config(c) => match &c.hint {
            Some(h) => format!("invalid configuration: {c}\nhint: {h}"),
            None => format!("invalid configuration: {c}"),
        },
        Error::MicromambaMissing(_) => {
            "Backend 'micromamba' required but not found: the Bootstrap wizard (b) installs it"
                .into()
        }
        other => other.to_string(),
    }
}

/// The TUI as a job's face: events become Log lines (and the download's steps feed
/// the Bootstrap wizard's bar); questions were answered by the wizards beforehand.
struct TuiFace {
    jc: JobCtx,
}

impl Reporter for TuiFace {
    fn event(&mut self, event: Event) {
        let j = &self.jc;
        match event {
            Event::Detected(d) => {
                for n in d.warnings() {
                    j.say(LineKind::Warn, n.message.clone());
                }
                j.say(LineKind::Info, format!("backend {}", d.summary()));
            }
            Event::WaitingForLock { holder } => {
                j.say(LineKind::Info, words::waiting_for_lock(&holder))
            }
            Event::Planned { plan, prefix } => j.say(
                LineKind::Info,
                format!(
                    "{} — {}",
                    words::plan_summary(&plan, &prefix, true),
                    plan.reason
                ),
            ),
            Event::Reused { env, python } => j.say(
                LineKind::Success,
                format!("{env} is ready ({python}): reused, nothing to do"),
            ),
            Event::Committed {
                env,
                action,
                elapsed,
                python,
            } => j.say(
                LineKind::Success,
                format!(
                    "{env} {} in {:.1}s ({python}); r runs a command in it (`pyve run CMD` outside)",
                    words::done_verb(action),
                    elapsed.as_secs_f64(),
                ),
            ),
            Event::ConfigWritten { .. } => j.say(LineKind::Info, "wrote .pyve/config"),
            Event::Warning(w) => j.say(LineKind::Warn, w),
            Event::Note(n) => j.say(LineKind::Info, n),
            Event::PurgePlanned { .. } | Event::NothingToPurge { .. } => {}
            Event::Removed { shown, what } => {
                j.say(LineKind::Info, format!("removed {shown} ({what})"))
            }
            Event::Installing {
                version,
                platform,
                target,
            } => j.say(
                LineKind::Info,
                format!(
                    "Installing micromamba ({version}, {platform}) to {}",
                    target.display()
                ),
            ),
            Event::Download(p) => {
                match &p {
                    Progress::Downloading { url, total } => j.say(
                        LineKind::Info,
                        format!(
                            "downloading {url}{}",
                            total
                                .map(|t| format!(" ({})", super::update::size(t)))
                                .unwrap_or_default()
                        ),
                    ),
                    Progress::Verified { sha256 } => {
                        j.say(LineKind::Success, format!("sha256 verified ({sha256})"))
                    }
                    Progress::Runs { version } => {
                        j.say(LineKind::Success, format!("micromamba {version} runs"))
                    }
                    Progress::Installed { path } => j.say(
                        LineKind::Success,
                        format!("installed to {}", path.display()),
                    ),
                    _ => {}
                }
                let _ = j.tx.send(Action::Job(JobEvent::Bootstrap(p)));
            }
            Event::Found(r) => j.say(
                LineKind::Success,
                format!("micromamba {} at {}", r.version, r.path.display()),
            ),
        }
    }

    fn confirm(&mut self, _: Question) -> Option<bool> {
        None
    }

    fn choose(&mut self, _: &BootstrapOffer) -> Option<BootstrapChoice> {
        None
    }
}

/// Runs a job's steps on the TUI's queue, from the blocking thread the job runs on.
struct TuiWork {
    jc: JobCtx,
    handle: tokio::runtime::Handle,
}

impl Runner for TuiWork {
    fn steps(&mut self, title: &str, steps: Vec<Step>, mutating: bool) -> Outcome {
        let (queue, cancel) = (&self.jc.queue, self.jc.cancel.clone());
        self.handle.block_on(async {
            if mutating {
                queue.run_mutating(title, steps, cancel).await
            } else {
                queue.run(title, steps, cancel).await
            }
        })
    }

    fn interruptible(&mut self, work: &mut dyn FnMut(&AtomicBool)) {
        work(&self.jc.cancel_flag);
    }
}

/// Runs `job` on the blocking pool with the TUI as its face, then reports how it ended.
async fn spawn_job(
    jc: JobCtx,
    job: impl FnOnce(&mut TuiFace, &mut TuiWork) -> pyve_core::engine::Result<Outcome> + Send + 'static,
) {
    let handle = tokio::runtime::Handle::current();
    let j = jc.clone();
    let result = tokio::task::spawn_blocking(move || {
        let mut face = TuiFace { jc: j.clone() };
        let mut work = TuiWork { jc: j, handle };
        job(&mut face, &mut work)
    })
    .await
    .unwrap_or_else(|e| Ok(Outcome::Failed(format!("the job crashed: {e}"))));
    jc.finish(result);
}

/// Plans an init read-only, for the Setup wizard's review screen.
pub fn preview(start: &Path, req: &InitRequest) -> std::result::Result<InitPreview, PreviewError> {
    let p = jobs::init::preview(start, req).map_err(|e| PreviewError {
        message: describe(&e),
        needs_bootstrap: matches!(e, Error::MicromambaMissing(_)),
    })?;
    let plan = &p.plan;
    let action = match plan.action {
        InitAction::Create => "create",
        InitAction::Recreate => "rebuild",
        InitAction::Update => "update",
        InitAction::Adopt => "adopt",
        InitAction::Reuse => "reuse",
    };
    let (summary, reason) = if plan.action == InitAction::Reuse {
        let v = plan
            .previous()
            .map(|r| jobs::python_label(&r.python.version))
            .unwrap_or_default();
        (
            format!("{} is ready ({v}): nothing to build", plan.target.name),
            String::new(),
        )
    } else {
        (
            words::plan_summary(plan, &p.prefix, false),
            plan.reason.clone(),
        )
    };
    Ok(InitPreview {
        action: action.into(),
        summary,
        reason,
        steps: plan
            .steps
            .iter()
            .map(|s| (s.label.clone(), s.command_line()))
            .collect(),
        files: p.files.clone(),
        notes: plan.notes.clone(),
    })
}

/// `init`, as `pyve init` runs it; micromamba missing points at the Bootstrap wizard.
pub async fn init(jc: JobCtx, req: InitRequest) {
    let start = jc.start.clone();
    spawn_job(jc, move |face, work| {
        jobs::init::run(&start, &req, WhenMissing::Fail, face, work).map(|_| Outcome::Succeeded)
    })
    .await
}

/// The paths `purge` would remove, for the confirmation.
pub fn purge_plan(start: &Path) -> std::result::Result<Vec<PurgeItemView>, String> {
    let (ctx, items) = jobs::purge::plan(start).map_err(|e| describe(&e))?;
    Ok(items
        .into_iter()
        .map(|i| PurgeItemView {
            shown: ctx.project.display(&i.path).into_owned(),
            path: i.path,
            what: i.what,
            is_link: i.is_link,
        })
        .collect())
}

/// `purge`, under the lock, of the confirmed paths that the plan still lists.
pub async fn purge(jc: JobCtx, confirmed: Vec<PathBuf>) {
    let start = jc.start.clone();
    let j = jc.clone();
    spawn_job(jc, move |face, _| {
        let n = jobs::purge::run(&start, Confirmed::These(confirmed), face)?;
        j.say(LineKind::Success, words::purged(n, "the Setup wizard"));
        Ok(Outcome::Succeeded)
    })
    .await
}

/// Downloads, verifies and installs micromamba at `target` (option 1 or 2).
pub async fn bootstrap(jc: JobCtx, target: Target) {
    let start = jc.start.clone();
    spawn_job(jc, move |face, work| {
        let ctx = Context::load(&start, Overrides::default())?;
        let req = BootstrapRequest {
            to: Some(target),
            version: None,
        };
        jobs::bootstrap::run(&ctx, &req, face, work).map(|_| Outcome::Succeeded)
    })
    .await
}

/// Option 3: the package manager's command, as a task whose output goes to the Log.
pub async fn system_install(jc: JobCtx, system: SystemInstall) {
    let start = jc.start.clone();
    spawn_job(jc, move |face, work| {
        let ctx = Context::load(&start, Overrides::default())?;
        jobs::bootstrap::system_install(&ctx, &system, face, work).map(|_| Outcome::Succeeded)
    })
    .await
}

/// A command in the env, as `pyve run` would start it, its output to the Log.
pub async fn run_command(jc: JobCtx, argv: Vec<String>) {
    let start = jc.start.clone();
    spawn_job(jc, move |face, work| {
        jobs::run_command::run(&start, &argv, face, work)
    })
    .await
}
