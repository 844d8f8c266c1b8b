//! The work the TUI starts: the same engine calls the CLI makes, in the same order
//! (load → preflight → lock → plan → begin → the queue runs the steps → commit), with
//! what the CLI prints sent as [`JobEvent`]s instead. Engine calls that block run on
//! tokio's blocking pool; steps run on the shared [`Queue`], whose events reach the
//! Log directly. A job never touches the `App`: it sends actions.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use std::time::Instant;

use tokio::sync::{mpsc, watch};

use super::action::{Action, InitRequest, JobEvent};
use super::app::{InitPreview, PreviewError, PurgeItemView};
use super::log::LineKind;
use pyve_core::engine::bootstrap::{self, Install, SystemInstall, Target};
use pyve_core::engine::context::{Context, Overrides};
use pyve_core::engine::init::{self, Action as InitAction, InitOptions, InitPlan};
use pyve_core::engine::resolve::Resolution;
use pyve_core::engine::{Error, Result, micromamba, purge, run};
use pyve_core::sys::fs::FileLock;
use pyve_core::tasks::{Outcome, Queue, Step};

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
}

/// An engine error as the CLI words it (with the config's hint).
pub fn describe(e: &Error) -> String {
    match e {
        Error::Config(c) => match &c.hint {
            Some(h) => format!("invalid configuration: {c}\nhint: {h}"),
            None => format!("invalid configuration: {c}"),
        },
        other => other.to_string(),
    }
}

async fn blocking<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    tokio::task::spawn_blocking(f)
        .await
        .expect("a blocking engine call panicked")
}

fn overrides(req: &InitRequest) -> Overrides {
    Overrides {
        backend: req.backend,
        env_name: req.env_name.clone(),
        python_version: req.python_version.clone(),
        channels: req.channels.clone(),
    }
}

fn options(req: &InitRequest) -> InitOptions {
    InitOptions {
        force: req.force,
        install_deps: None,
    }
}

/// micromamba for an init started from the TUI: found, or an error pointing at the
/// Bootstrap wizard (the TUI never downloads without the user choosing an option).
fn find_micromamba(ctx: &Context, missing: &mut bool) -> Result<Resolution> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    micromamba::resolve(&ctx.project.sandbox_micromamba(), &ctx.pyve_home, &path).map_err(|_| {
        *missing = true;
        Error::Missing(
            "Backend 'micromamba' required but not found: the Bootstrap wizard (b) installs it"
                .into(),
        )
    })
}

fn python_label(version: &str) -> String {
    if version.is_empty() {
        "no python in it".to_string()
    } else {
        format!("python {version}")
    }
}

/// "Creating .venv with python 3.11.7 (/usr/bin/python3.11, system)", as `init` says it.
/// `ing`: "Creating …" (the Log, as it happens) rather than "Create …" (the review).
fn plan_summary(ctx: &Context, plan: &InitPlan, ing: bool) -> (String, String) {
    let name = &plan.target.name;
    let verb = match (plan.action, ing) {
        (InitAction::Create, false) => "Create",
        (InitAction::Recreate, false) => "Rebuild",
        (InitAction::Update, false) => "Update",
        (InitAction::Create, true) => "Creating",
        (InitAction::Recreate, true) => "Rebuilding",
        (InitAction::Update, true) => "Updating",
        (InitAction::Reuse, _) => "Reuse",
    };
    let summary = match (&plan.tool, &plan.env_file) {
        (Some(mm), Some(file)) => format!(
            "{verb} micromamba env {name} at {} from {} with micromamba {} ({}, {})",
            ctx.project.display(&plan.target.prefix),
            file.display(),
            mm.version,
            mm.path.display(),
            mm.place
        ),
        (Some(py), None) => format!(
            "{verb} {name} with python {} ({}, {})",
            py.version,
            py.path.display(),
            py.place
        ),
        (None, _) => format!("{verb} {name}"),
    };
    (summary, plan.reason.clone())
}

/// Plans an init read-only, for the Setup wizard's review screen.
pub fn preview(start: &Path, req: &InitRequest) -> std::result::Result<InitPreview, PreviewError> {
    let mut missing = false;
    let result = (|| -> Result<InitPreview> {
        let ctx = Context::load(start, overrides(req))?;
        init::preflight(&ctx)?;
        let plan = init::plan(&ctx, &options(req), req.editable, &mut || {
            find_micromamba(&ctx, &mut missing)
        })?;
        let (summary, reason) = plan_summary(&ctx, &plan, false);
        let action = match plan.action {
            InitAction::Create => "create",
            InitAction::Recreate => "rebuild",
            InitAction::Update => "update",
            InitAction::Reuse => "reuse",
        };
        let summary = if plan.action == InitAction::Reuse {
            let v = plan
                .previous()
                .map(|r| python_label(&r.python.version))
                .unwrap_or_default();
            format!("{} is ready ({v}): nothing to build", plan.target.name)
        } else {
            summary
        };
        Ok(InitPreview {
            action: action.into(),
            summary,
            reason: if plan.action == InitAction::Reuse {
                String::new()
            } else {
                reason
            },
            steps: plan
                .steps
                .iter()
                .map(|s| (s.label.clone(), s.command_line()))
                .collect(),
            files: init::files_written(&ctx, &plan),
            notes: plan.notes.clone(),
        })
    })();
    result.map_err(|e| PreviewError {
        message: describe(&e),
        needs_bootstrap: missing,
    })
}

/// What `init` needs between planning and committing.
struct Prepared {
    ctx: Context,
    plan: InitPlan,
    _lock: FileLock,
}

/// `init`, as `pyve init` runs it.
pub async fn init(jc: JobCtx, req: InitRequest) {
    let result = init_steps(&jc, req).await;
    if let Err(e) = &result {
        jc.say(LineKind::Error, e.clone());
    }
    jc.done(result.map_err(|e| e.lines().next().unwrap_or("").to_string()));
}

async fn init_steps(jc: &JobCtx, req: InitRequest) -> std::result::Result<(), String> {
    let start = jc.start.clone();
    let j = jc.clone();
    let prepared = blocking(move || -> Result<Option<Prepared>> {
        let ctx = Context::load(&start, overrides(&req))?;
        for n in ctx.detection.warnings() {
            j.say(LineKind::Warn, n.message.clone());
        }
        j.say(LineKind::Info, format!("backend {}", ctx.detection.summary()));
        init::preflight(&ctx)?;
        let lock = FileLock::acquire(
            &ctx.project.lock_path(),
            pyve_core::engine::project::lock_timeout(),
            |holder| {
                j.say(
                    LineKind::Info,
                    format!(
                        "waiting for .pyve/lock: held by {holder} (another pyve command is changing this project)…"
                    ),
                )
            },
        )?;
        let mut missing = false;
        let plan = init::plan(&ctx, &options(&req), req.editable, &mut || {
            find_micromamba(&ctx, &mut missing)
        })?;
        if plan.action == InitAction::Reuse {
            write_config(&ctx, &j)?;
            let v = plan
                .previous()
                .map(|r| python_label(&r.python.version))
                .unwrap_or_default();
            j.say(
                LineKind::Success,
                format!("{} is ready ({v}): reused, nothing to do", plan.target.name),
            );
            return Ok(None);
        }
        let (summary, reason) = plan_summary(&ctx, &plan, true);
        j.say(LineKind::Info, format!("{summary} — {reason}"));
        init::begin(&ctx, &plan)?;
        Ok(Some(Prepared {
            ctx,
            plan,
            _lock: lock,
        }))
    })
    .await
    .map_err(|e| describe(&e))?;
    let Some(prepared) = prepared else {
        return Ok(());
    };
    let started = Instant::now();
    let name = prepared.plan.target.name.clone();
    let outcome = jc
        .queue
        .run_mutating(
            &format!("init {name}"),
            prepared.plan.steps.clone(),
            jc.cancel.clone(),
        )
        .await;
    match outcome {
        Outcome::Succeeded => {}
        Outcome::Failed(why) => {
            jc.say(
                LineKind::Warn,
                format!(
                    "{name} is left incomplete: fix the problem above and run init again (i); it rebuilds it"
                ),
            );
            return Err(why);
        }
        Outcome::Cancelled => {
            jc.say(
                LineKind::Warn,
                format!("{name} is left incomplete; the next init rebuilds it"),
            );
            return Err("cancelled".into());
        }
    }
    let j = jc.clone();
    blocking(move || -> Result<()> {
        let Prepared { ctx, plan, _lock } = prepared;
        let (record, warnings) = init::commit(&ctx, &plan)?;
        for w in warnings {
            j.say(LineKind::Warn, w);
        }
        write_config(&ctx, &j)?;
        for n in &plan.notes {
            j.say(LineKind::Info, n.clone());
        }
        let verb = match plan.action {
            InitAction::Create => "created",
            InitAction::Recreate => "rebuilt",
            _ => "updated",
        };
        j.say(
            LineKind::Success,
            format!(
                "{} {verb} in {:.1}s ({}); r runs a command in it (`pyve run CMD` outside)",
                plan.target.name,
                started.elapsed().as_secs_f64(),
                python_label(&record.python.version)
            ),
        );
        Ok(())
    })
    .await
    .map_err(|e| describe(&e))
}

fn write_config(ctx: &Context, j: &JobCtx) -> Result<()> {
    if let Some(cfg) = init::config_to_write(ctx, None) {
        init::write_config(ctx, &cfg)?;
        j.say(LineKind::Info, "wrote .pyve/config");
    }
    Ok(())
}

/// The paths `purge` would remove, for the confirmation.
pub fn purge_plan(start: &Path) -> std::result::Result<Vec<PurgeItemView>, String> {
    let ctx = Context::load(start, Overrides::default()).map_err(|e| describe(&e))?;
    if !ctx.project.pyve_dir().is_dir() {
        return Ok(vec![]);
    }
    Ok(purge::plan(&ctx)
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
    let result = blocking(move || -> Result<usize> {
        let ctx = Context::load(&start, Overrides::default())?;
        let _lock = FileLock::acquire(
            &ctx.project.lock_path(),
            pyve_core::engine::project::lock_timeout(),
            |holder| {
                j.say(
                    LineKind::Info,
                    format!("waiting for .pyve/lock: held by {holder}…"),
                )
            },
        )?;
        let items: Vec<_> = purge::plan(&ctx)
            .into_iter()
            .filter(|i| confirmed.contains(&i.path))
            .collect();
        let done = purge::execute(&items)?;
        for i in &done {
            j.say(
                LineKind::Info,
                format!("removed {} ({})", ctx.project.display(&i.path), i.what),
            );
        }
        Ok(done.len())
    })
    .await;
    match result {
        Ok(n) => {
            jc.say(
                LineKind::Success,
                format!(
                    "removed {n} path{} (.pyve/config kept; the Setup wizard builds the env again)",
                    if n == 1 { "" } else { "s" }
                ),
            );
            jc.done(Ok(()));
        }
        Err(e) => {
            let m = describe(&e);
            jc.say(LineKind::Error, m.clone());
            jc.done(Err(m));
        }
    }
}

/// Downloads, verifies and installs micromamba at `target` (option 1 or 2).
pub async fn bootstrap(jc: JobCtx, target: Target) {
    let start = jc.start.clone();
    let j = jc.clone();
    let result = blocking(move || -> Result<String> {
        let ctx = Context::load(&start, Overrides::default())?;
        let source = bootstrap::Source::for_this_machine(None)?;
        let timeout = pyve_core::sys::http::timeout_from_env().map_err(Error::Usage)?;
        // The project sandbox is part of the project: a mutation, under its lock.
        let _lock = match target {
            Target::Project => Some(FileLock::acquire(
                &ctx.project.lock_path(),
                pyve_core::engine::project::lock_timeout(),
                |holder| {
                    j.say(
                        LineKind::Info,
                        format!("waiting for .pyve/lock: held by {holder}…"),
                    )
                },
            )?),
            Target::User => None,
        };
        let path = target.path(&ctx);
        j.say(
            LineKind::Info,
            format!(
                "Installing micromamba ({}, {}) to {}",
                source.version_label(),
                source.platform,
                path.display()
            ),
        );
        let retry = format!("pyve bootstrap --to {}", target.as_str());
        let installed = bootstrap::install(
            &Install {
                target: &path,
                source: &source,
                timeout,
                cancel: &j.cancel_flag,
                retry: &retry,
            },
            &mut |p| {
                match &p {
                    bootstrap::Progress::Downloading { url, total } => j.say(
                        LineKind::Info,
                        format!(
                            "downloading {url}{}",
                            total
                                .map(|t| format!(" ({})", super::update::size(t)))
                                .unwrap_or_default()
                        ),
                    ),
                    bootstrap::Progress::Verified { sha256 } => {
                        j.say(LineKind::Success, format!("sha256 verified ({sha256})"))
                    }
                    bootstrap::Progress::Runs { version } => {
                        j.say(LineKind::Success, format!("micromamba {version} runs"))
                    }
                    bootstrap::Progress::Installed { path } => j.say(
                        LineKind::Success,
                        format!("installed to {}", path.display()),
                    ),
                    _ => {}
                }
                let _ = j.tx.send(Action::Job(JobEvent::Bootstrap(p)));
            },
        )?;
        Ok(installed.version)
    })
    .await;
    match result {
        Ok(_) => jc.done(Ok(())),
        Err(e) => {
            let m = describe(&e);
            jc.say(LineKind::Error, m.clone());
            jc.done(Err(m));
        }
    }
}

/// Option 3: the package manager's command, as a task whose output goes to the Log.
pub async fn system_install(jc: JobCtx, system: SystemInstall) {
    let SystemInstall::Available {
        program,
        args,
        command,
        ..
    } = system
    else {
        jc.done(Err("no package manager offers micromamba here".into()));
        return;
    };
    let step = Step {
        label: command.clone(),
        program,
        args: args.into_iter().map(OsString::from).collect(),
        cwd: jc.start.clone(),
        env: vec![],
        env_remove: vec![],
        env_clear: false,
        argv0: None,
    };
    let outcome = jc.queue.run(&command, vec![step], jc.cancel.clone()).await;
    match outcome {
        Outcome::Succeeded => {
            let start = jc.start.clone();
            let found = blocking(move || {
                let ctx = Context::load(&start, Overrides::default())?;
                let path = std::env::var_os("PATH").unwrap_or_default();
                micromamba::resolve(&ctx.project.sandbox_micromamba(), &ctx.pyve_home, &path)
                    .map_err(|_| {
                        Error::Missing(format!(
                            "`{command}` finished, but micromamba is still not on PATH; add the package manager's bin directory to PATH and restart pyve"
                        ))
                    })
            })
            .await;
            match found {
                Ok(r) => {
                    jc.say(
                        LineKind::Success,
                        format!("micromamba {} at {}", r.version, r.path.display()),
                    );
                    jc.done(Ok(()));
                }
                Err(e) => {
                    let m = describe(&e);
                    jc.say(LineKind::Error, m.clone());
                    jc.done(Err(m));
                }
            }
        }
        Outcome::Failed(why) => jc.done(Err(why)),
        Outcome::Cancelled => jc.done(Err("cancelled".into())),
    }
}

/// A command in the env: the environment `pyve run` would exec with, given to a
/// queue step instead (the TUI keeps the terminal, the command gets no stdin).
pub async fn run_command(jc: JobCtx, argv: Vec<String>) {
    let start = jc.start.clone();
    let j = jc.clone();
    let line = argv.join(" ");
    let planned = blocking(move || -> Result<Step> {
        let ctx = Context::load(&start, Overrides::default())?;
        let cmd: Vec<OsString> = argv.iter().map(OsString::from).collect();
        let plan = run::plan(&ctx, &cmd, false)?;
        for w in &plan.warnings {
            j.say(LineKind::Warn, w.clone());
        }
        // The plan's environment replaces ours entirely, as exec would.
        Ok(Step {
            label: format!("run {}", argv.join(" ")),
            program: plan.program,
            args: plan.args,
            cwd: std::path::absolute(&start).unwrap_or(start),
            env: plan.env,
            env_remove: vec![],
            env_clear: true,
            argv0: Some(plan.argv0),
        })
    })
    .await;
    let step = match planned {
        Ok(s) => s,
        Err(e) => {
            let m = describe(&e);
            jc.say(LineKind::Error, m.clone());
            jc.done(Err(m));
            return;
        }
    };
    let outcome = jc
        .queue
        .run(&format!("run {line}"), vec![step], jc.cancel.clone())
        .await;
    jc.done(match outcome {
        Outcome::Succeeded => Ok(()),
        Outcome::Failed(why) => Err(why),
        Outcome::Cancelled => Err("cancelled".into()),
    });
}
