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
use super::pane::health::fix;
use crate::words;
use pyve_core::engine::Error;
use pyve_core::engine::bootstrap::{Progress, SystemInstall, Target};
use pyve_core::engine::context::{Context, Overrides};
use pyve_core::engine::doctor::plan::{FixPlan, PlannedFix};
use pyve_core::engine::init::Action as InitAction;
use pyve_core::engine::step::Step;
use pyve_core::jobs::bootstrap::{BootstrapRequest, WhenMissing};
use pyve_core::jobs::fix::FixRequest;
use pyve_core::jobs::purge::{Confirmed, Scope};
use pyve_core::jobs::{self, BootstrapChoice, BootstrapOffer, Event, Question, Reporter, Runner};
use pyve_core::tasks::{Outcome, Queue};

/// What every job gets from the runtime.
#[derive(Clone)]
pub struct JobCtx {
    /// Where project discovery starts (the working directory).
    pub start: PathBuf,
    /// The env the user switched to, if any (`None`: the one `--env`-less commands use).
    pub env: Option<String>,
    pub queue: Queue,
    pub tx: mpsc::UnboundedSender<Action>,
    /// The queue's cancel signal: it stops the step's whole process group.
    pub cancel: watch::Receiver<bool>,
    /// The same cancel, for engine calls that poll a flag (the download).
    pub cancel_flag: Arc<AtomicBool>,
}

impl JobCtx {
    /// The overrides every job loads the project with: the selected env.
    fn overrides(&self) -> Overrides {
        Overrides {
            env: self.env.clone(),
            ..Overrides::default()
        }
    }

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
            // An init left incomplete: its task said why in its own output.
            Err(e @ Error::Incomplete { .. }) => {
                let Error::Incomplete { env, why } = &e else {
                    unreachable!("matched above")
                };
                self.say(LineKind::Warn, with_fix(Error::left_incomplete(env), &e));
                self.done(Err(why.clone().unwrap_or_else(|| "cancelled".into())));
            }
            Err(e) => {
                let m = describe(&e);
                self.say(LineKind::Error, m.clone());
                self.done(Err(m.lines().next().unwrap_or("").to_string()));
            }
        }
    }
}

/// An engine error in the TUI's words, its fix as a last `hint:` line.
pub fn describe(e: &Error) -> String {
    let m = match e {
        Error::Config(c) => match &c.hint {
            Some(h) => format!("invalid configuration: {c}\nhint: {h}"),
            None => format!("invalid configuration: {c}"),
        },
        other => other.to_string(),
    };
    with_fix(m, e)
}

/// `message`, then the error's fix in the TUI's words ([`fix::words`]: the wizard's
/// key). A config error's fix is the edit at the place its message starts with (its
/// own hint says what to write); a missing python's message names the install
/// command with its alternatives.
fn with_fix(message: String, e: &Error) -> String {
    match e.fix() {
        Some(f) if !matches!(e, Error::Config(_) | Error::PythonNotFound(_)) => {
            format!("{message}\nhint: {}", fix::words(&f))
        }
        _ => message,
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
            Event::Envrc(e) => {
                let (said, hint) = words::envrc(e);
                match hint {
                    Some(h) => j.say(LineKind::Warn, format!("{said}; {h}")),
                    None => j.say(LineKind::Success, said),
                }
            }
            Event::Dotenv { created } => j.say(LineKind::Success, words::dotenv(created)),
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
            Event::Locking {
                source,
                platforms,
                update,
            } => j.say(LineKind::Info, words::locking(&source, &platforms, &update)),
            Event::LockWritten { platforms } => {
                j.say(LineKind::Success, words::lock_written(&platforms))
            }
            Event::SpecWritten { file } => j.say(LineKind::Success, format!("wrote {file}")),
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
    let p = jobs::init::preview(start, req).map_err(|e| match e {
        // The review offers the Bootstrap wizard itself (Enter or b).
        Error::MicromambaMissing(_) => PreviewError {
            message: e.to_string(),
            needs_bootstrap: true,
        },
        e => PreviewError {
            message: describe(&e),
            needs_bootstrap: false,
        },
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
pub fn purge_plan(start: &Path, scope: &Scope) -> std::result::Result<Vec<PurgeItemView>, String> {
    let (ctx, items) = jobs::purge::plan(start, scope).map_err(|e| describe(&e))?;
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

/// `lock`: conda-lock on the queue, then the init that builds the env from the lock.
pub async fn lock(jc: JobCtx) {
    let start = jc.start.clone();
    let req = jobs::lock::LockRequest {
        env: jc.env.clone(),
        ..jobs::lock::LockRequest::default()
    };
    spawn_job(jc, move |face, work| {
        jobs::lock::run(&start, &req, face, work)?;
        Ok(Outcome::Succeeded)
    })
    .await
}

/// `purge`, under the lock, of the confirmed paths that the plan still lists.
pub async fn purge(jc: JobCtx, scope: Scope, confirmed: Vec<PathBuf>) {
    let start = jc.start.clone();
    let j = jc.clone();
    spawn_job(jc, move |face, _| {
        let n = jobs::purge::run(&start, &scope, Confirmed::These(confirmed), face)?;
        j.say(LineKind::Success, words::purged(n, "the Setup wizard"));
        Ok(Outcome::Succeeded)
    })
    .await
}

/// Downloads, verifies and installs micromamba at `target` (option 1 or 2).
pub async fn bootstrap(jc: JobCtx, target: Target) {
    let start = jc.start.clone();
    let o = jc.overrides();
    spawn_job(jc, move |face, work| {
        let ctx = Context::load(&start, o)?;
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
    let o = jc.overrides();
    spawn_job(jc, move |face, work| {
        let ctx = Context::load(&start, o)?;
        jobs::bootstrap::system_install(&ctx, &system, face, work).map(|_| Outcome::Succeeded)
    })
    .await
}

/// A command in the env, as `pyve run` would start it, its output to the Log.
pub async fn run_command(jc: JobCtx, argv: Vec<String>) {
    let start = jc.start.clone();
    let o = jc.overrides();
    spawn_job(jc, move |face, work| {
        jobs::run_command::run(&start, &o, &argv, face, work)
    })
    .await
}

/// Doctor's fix plan for the Fix plan overlay (read-only).
pub fn fix_plan(start: &Path, env: Option<String>) -> std::result::Result<FixPlan, String> {
    let req = FixRequest {
        overrides: Overrides {
            env,
            ..Overrides::default()
        },
        ..FixRequest::default()
    };
    jobs::fix::plan(start, &req)
        .map(|(_, plan)| plan)
        .map_err(|e| describe(&e))
}

/// The Fix plan overlay's answers, given before the job starts: Enter confirmed the
/// safe batch, and each rebuild was chosen (or not) in the list.
struct Chosen {
    rebuilds: Vec<bool>,
    next: usize,
}

impl jobs::fix::Confirm for Chosen {
    fn can_ask(&self) -> bool {
        true
    }
    fn batch(&mut self, _: &[&PlannedFix]) -> bool {
        true
    }
    /// The fix job asks for the destructive fixes in the plan's order.
    fn destructive(&mut self, _: &PlannedFix) -> bool {
        let yes = self.rebuilds.get(self.next).copied().unwrap_or(false);
        self.next += 1;
        yes
    }
}

/// `pyve doctor --fix` from the Fix plan: the same job, the overlay's answers.
pub async fn apply_fixes(jc: JobCtx, plan: FixPlan, rebuilds: Vec<bool>) {
    let start = jc.start.clone();
    let req = FixRequest {
        overrides: jc.overrides(),
        ..FixRequest::default()
    };
    let j = jc.clone();
    spawn_job(jc, move |face, work| {
        let mut chosen = Chosen { rebuilds, next: 0 };
        let done = jobs::fix::apply(&start, &req, &plan, &mut chosen, face, work)?;
        j.say(LineKind::Success, words::fixes_applied(&done));
        Ok(Outcome::Succeeded)
    })
    .await
}
