//! `pyve init`: prints the decision, takes the lock, runs the plan's steps on the task
//! queue (their output streamed live), and commits.

use std::time::Instant;

use clap::Args;

use super::bootstrap::{BootstrapChoice, ensure_micromamba};
use super::out::Out;
use super::{EnvSelect, Global};
use pyve_core::engine::context::{Context, Overrides};
use pyve_core::engine::init::{self, Action, InitOptions};
use pyve_core::engine::{BackendKind, Error, Result};
use pyve_core::sys::fs::FileLock;
use pyve_core::tasks::{Outcome, Queue, Stream, TaskEvent};

#[derive(Debug, Args)]
pub struct InitArgs {
    #[command(flatten)]
    pub select: EnvSelect,
    /// The python version for a venv (3.11 matches 3.11.7).
    #[arg(long, value_name = "V")]
    pub python_version: Option<String>,
    /// Remove the env and build it again (also replaces a venv pyve did not make).
    #[arg(long)]
    pub force: bool,
    /// Install requirements.txt, or the project itself (`pip install -e .`), without asking.
    #[arg(long, conflicts_with = "no_install_deps")]
    pub install_deps: bool,
    /// Create the env only; install nothing into it.
    #[arg(long)]
    pub no_install_deps: bool,
    /// micromamba: a channel added after the config's (repeatable; written to .pyve/config).
    #[arg(long = "channel", short = 'c', value_name = "C")]
    pub channels: Vec<String>,
    /// micromamba missing: install it into the project sandbox (.pyve/bin) without asking.
    #[arg(long)]
    pub auto_bootstrap: bool,
    /// micromamba missing: install it there without asking.
    #[arg(long, value_enum, value_name = "WHERE")]
    pub bootstrap_to: Option<super::TargetArg>,
}

/// Takes `.pyve/lock`, saying so when another pyve holds it.
pub fn take_lock(ctx: &Context, out: &Out) -> Result<FileLock> {
    let path = ctx.project.lock_path();
    let lock = FileLock::acquire(
        &path,
        pyve_core::engine::project::lock_timeout(),
        |holder| {
            out.info(&format!(
            "waiting for .pyve/lock: held by {holder} (another pyve command is changing this project)…"
        ))
        },
    )?;
    Ok(lock)
}

pub fn run(g: &Global, args: InitArgs) -> Result<i32> {
    let out = &g.out;
    let overrides = Overrides {
        python_version: args.python_version.clone(),
        channels: args.channels.clone(),
        ..args.select.overrides()
    };
    let mut ctx = g.context(overrides)?;

    // Both kinds of spec and nothing explicit: ask on a terminal, warn otherwise.
    let mut answered = None;
    if ctx.detection.ambiguous {
        if out.interactive {
            let micromamba = out.confirm("Initialize with micromamba backend?", true);
            let b = if micromamba {
                BackendKind::Micromamba
            } else {
                BackendKind::Venv
            };
            answered = Some(b);
            ctx.overrides.backend = Some(b);
            ctx = Context::load(&g.start, ctx.overrides.clone())?;
        } else {
            for n in ctx.detection.warnings() {
                out.warn(&n.message);
            }
        }
    }
    if !ctx.detection.ambiguous {
        for n in ctx.detection.warnings() {
            out.warn(&n.message);
        }
    }
    out.info(&format!(
        "{} {}",
        out.dim("backend"),
        ctx.detection.summary()
    ));

    let install_deps = if args.no_install_deps {
        Some(false)
    } else if args.install_deps {
        Some(true)
    } else {
        None
    };
    let opts = InitOptions {
        force: args.force,
        install_deps,
    };
    init::preflight(&ctx)?;
    let _lock = take_lock(&ctx, out)?;
    let choice = BootstrapChoice {
        auto: args.auto_bootstrap,
        to: args.bootstrap_to.map(Into::into),
    };
    let mut get_micromamba = || ensure_micromamba(g, &ctx, choice);
    let mut plan = init::plan(&ctx, &opts, install_deps, &mut get_micromamba)?;
    if plan.needs_answer && out.interactive {
        let yes = out.confirm(
            "Install this project into the venv (pip install -e .)?",
            true,
        );
        plan = init::plan(&ctx, &opts, Some(yes), &mut get_micromamba)?;
    }
    let name = plan.target.name.clone();
    if plan.action == Action::Reuse {
        let version = plan
            .previous()
            .map(|r| python_label(&r.python.version))
            .unwrap_or_default();
        write_config_if_needed(&ctx, answered, out)?;
        out.success(&format!(
            "{name} is ready ({version}): reused, nothing to do"
        ));
        return Ok(0);
    }

    let verb = match plan.action {
        Action::Create => "Creating",
        Action::Recreate => "Rebuilding",
        _ => "Updating",
    };
    match (&plan.tool, &plan.env_file) {
        (Some(mm), Some(file)) => out.info(&format!(
            "{verb} micromamba env {name} at {} from {} with micromamba {} ({}, {}) {} {}",
            ctx.project.display(&plan.target.prefix),
            file.display(),
            mm.version,
            mm.path.display(),
            mm.place,
            out.dash(),
            plan.reason
        )),
        (Some(py), None) => out.info(&format!(
            "{verb} {name} with python {} ({}, {}) {} {}",
            py.version,
            py.path.display(),
            py.place,
            out.dash(),
            plan.reason
        )),
        (None, _) => out.info(&format!("{verb} {name} {} {}", out.dash(), plan.reason)),
    }
    if out.verbose > 0
        && let Some(py) = &plan.tool
    {
        for t in &py.tried {
            let mark = if t.taken {
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

    init::begin(&ctx, &plan)?;
    let started = Instant::now();
    let outcome = run_steps(out, &format!("init {name}"), plan.steps.clone())?;
    match outcome {
        Outcome::Succeeded => {}
        Outcome::Failed(why) => {
            return Err(Error::TaskFailed(format!(
                "{why}\n{name} is left incomplete: fix the problem above and rerun `pyve init` (it rebuilds it)"
            )));
        }
        Outcome::Cancelled => {
            return Err(Error::Interrupted(Some(format!(
                "{name} is left incomplete; the next `pyve init` rebuilds it"
            ))));
        }
    }
    let (record, warnings) = init::commit(&ctx, &plan)?;
    for w in &warnings {
        out.warn(w);
    }
    write_config_if_needed(&ctx, answered, out)?;
    for n in &plan.notes {
        out.hint(n);
    }
    let verb = match plan.action {
        Action::Create => "created",
        Action::Recreate => "rebuilt",
        _ => "updated",
    };
    out.success(&format!(
        "{name} {verb} in {:.1}s ({}); run commands with `pyve run CMD`",
        started.elapsed().as_secs_f64(),
        python_label(&record.python.version)
    ));
    Ok(0)
}

fn python_label(version: &str) -> String {
    if version.is_empty() {
        "no python in it".to_string()
    } else {
        format!("python {version}")
    }
}

fn write_config_if_needed(ctx: &Context, answered: Option<BackendKind>, out: &Out) -> Result<()> {
    if let Some(cfg) = init::config_to_write(ctx, answered) {
        init::write_config(ctx, &cfg)?;
        if out.verbose > 0 {
            out.info("wrote .pyve/config");
        }
    }
    Ok(())
}

/// Runs steps as one mutating task on a current-thread runtime, printing its events:
/// lines as they come (buffered with `-q`, dumped if the task fails). Ctrl-C cancels
/// the task's process group and returns `Cancelled`.
pub fn run_steps(out: &Out, title: &str, steps: Vec<pyve_core::tasks::Step>) -> Result<Outcome> {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| Error::io("cannot start the task runtime", e))?;
    rt.block_on(async {
        let (queue, mut events) = Queue::new();
        let (cancel_tx, cancel_rx) = tokio::sync::watch::channel(false);
        let title = title.to_string();
        let task = tokio::spawn(async move { queue.run_mutating(&title, steps, cancel_rx).await });
        let mut buffered: Vec<String> = Vec::new();
        let mut redraw = super::progress::Redraw::on_stderr();
        let mut ctrl_c = std::pin::pin!(tokio::signal::ctrl_c());
        let mut interrupted = false;
        loop {
            tokio::select! {
                ev = events.recv() => {
                    let Some(ev) = ev else { break };
                    match ev {
                        TaskEvent::Step { label, command, .. } => {
                            redraw.clear();
                            let line = format!("{} {label}: {command}", out.dim("»"));
                            if out.quiet { buffered.push(line) } else if out.verbose > 0 {
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
                            if out.quiet { buffered.push(line) } else {
                                redraw.clear();
                                eprintln!("{line}")
                            }
                        }
                        // A progress line: one updating line on a terminal, nothing in
                        // a log or a pipe (the Line that ends it is printed).
                        TaskEvent::Redraw { text, .. } => {
                            if !out.quiet { redraw.show(&text); }
                        }
                        TaskEvent::Finished { outcome, .. } => {
                            if out.quiet && matches!(outcome, Outcome::Failed(_)) {
                                for l in &buffered { eprintln!("{l}"); }
                            }
                            break;
                        }
                        TaskEvent::Started { .. } | TaskEvent::Progress { .. } => {}
                    }
                }
                _ = &mut ctrl_c, if !interrupted => {
                    interrupted = true;
                    let _ = cancel_tx.send(true);
                }
            }
        }
        task.await
            .map_err(|e| Error::TaskFailed(format!("the task crashed: {e}")))
    })
}
