//! `init`, the same from `pyve init`'s flags and from the Setup wizard: load → ask
//! about an ambiguous backend → preflight → lock → plan (bootstrapping micromamba if
//! allowed) → ask about installing the project → begin → the steps on the queue →
//! commit → config. The lock is held from before the plan until after the commit.

use std::path::Path;
use std::time::Instant;

use super::bootstrap::{WhenMissing, ensure_micromamba};
use super::{Event, Question, Reporter, Runner, backend_of, python_label, take_lock};
use crate::engine::context::{Context, Overrides};
use crate::engine::init::{self, Action, InitOptions, InitPlan};
use crate::engine::{BackendKind, Error, Result};
use crate::tasks::Outcome;

/// What to initialise, as `pyve init`'s flags or the Setup wizard set it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct InitRequest {
    /// `--env NAME`: which of the project's envs; a new name adds one.
    pub env: Option<String>,
    /// `--backend`: set when the user chose (or had to choose) the backend.
    pub backend: Option<BackendKind>,
    /// `--env-name`.
    pub env_name: Option<String>,
    /// `--python-version`.
    pub python_version: Option<String>,
    /// `--channel`, each.
    pub channels: Vec<String>,
    /// `--install-deps` / `--no-install-deps`, or the wizard's answer to "install this
    /// project?"; `None` leaves it to the defaults (and to the question).
    pub install_deps: Option<bool>,
    /// `--force`.
    pub force: bool,
    /// `--adopt`.
    pub adopt: bool,
    /// `--direnv`: once the env is ready, an `.envrc` that activates it.
    pub direnv: bool,
    /// `--dotenv`: once the env is ready, an empty `.env` when there is none.
    pub dotenv: bool,
}

impl InitRequest {
    pub fn overrides(&self) -> Overrides {
        Overrides {
            env: self.env.clone(),
            creating: true,
            backend: self.backend,
            env_name: self.env_name.clone(),
            python_version: self.python_version.clone(),
            channels: self.channels.clone(),
        }
    }

    fn options(&self) -> InitOptions {
        InitOptions {
            force: self.force,
            install_deps: self.install_deps,
            adopt: self.adopt,
        }
    }
}

/// How an init ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Initialized {
    pub env: String,
    pub action: Action,
}

/// Runs `init` in the project found from `start`.
pub fn run(
    start: &Path,
    req: &InitRequest,
    when_missing: WhenMissing,
    reporter: &mut dyn Reporter,
    runner: &mut dyn Runner,
) -> Result<Initialized> {
    let mut ctx = Context::load(start, req.overrides())?;
    // Both kinds of spec and nothing explicit: the face asks if it can.
    let mut answered = None;
    if ctx.detection.ambiguous
        && let Some(yes) = reporter.confirm(Question::UseMicromamba)
    {
        let b = backend_of(yes);
        answered = Some(b);
        let mut o = ctx.overrides.clone();
        o.backend = Some(b);
        ctx = Context::load(start, o)?;
    }
    reporter.event(Event::Detected(ctx.detection.clone()));
    for note in crate::engine::spec::validate(&ctx)? {
        reporter.event(Event::Warning(note));
    }
    init::preflight(&ctx)?;
    let _lock = take_lock(&ctx, reporter)?;

    let opts = req.options();
    let mut plan = plan(
        &ctx,
        &opts,
        req.install_deps,
        when_missing,
        reporter,
        runner,
    )?;
    if plan.needs_answer
        && let Some(yes) = reporter.confirm(Question::InstallProject)
    {
        plan = self::plan(&ctx, &opts, Some(yes), when_missing, reporter, runner)?;
    }
    let env = plan.target.name.clone();
    if plan.action == Action::Reuse {
        write_config(&ctx, answered, reporter)?;
        shell_files(&ctx, req, reporter)?;
        let python = plan
            .previous()
            .map(|r| python_label(&r.python.version))
            .unwrap_or_default();
        reporter.event(Event::Reused {
            env: env.clone(),
            python,
        });
        return Ok(Initialized {
            env,
            action: Action::Reuse,
        });
    }

    reporter.event(Event::Planned {
        prefix: ctx.project.display(&plan.target.prefix).into_owned(),
        plan: Box::new(plan.clone()),
    });
    init::begin(&ctx, &plan)?;
    let started = Instant::now();
    match runner.steps(&format!("init {env}"), plan.steps.clone(), true) {
        Outcome::Succeeded => {}
        Outcome::Failed(why) => {
            return Err(Error::Incomplete {
                env,
                why: Some(why),
            });
        }
        Outcome::Cancelled => return Err(Error::Incomplete { env, why: None }),
    }
    let (record, warnings) = init::commit(&ctx, &plan)?;
    for w in warnings {
        reporter.event(Event::Warning(w));
    }
    write_config(&ctx, answered, reporter)?;
    shell_files(&ctx, req, reporter)?;
    for n in &plan.notes {
        reporter.event(Event::Note(n.clone()));
    }
    reporter.event(Event::Committed {
        env: env.clone(),
        action: plan.action,
        elapsed: started.elapsed(),
        python: python_label(&record.python.version),
    });
    Ok(Initialized {
        env,
        action: plan.action,
    })
}

fn plan(
    ctx: &Context,
    opts: &InitOptions,
    install_deps: Option<bool>,
    when_missing: WhenMissing,
    reporter: &mut dyn Reporter,
    runner: &mut dyn Runner,
) -> Result<InitPlan> {
    init::plan(ctx, opts, install_deps, &mut || {
        ensure_micromamba(ctx, when_missing, reporter, runner)
    })
}

/// `--direnv` and `--dotenv`, once the env is ready (docs/decisions/0030).
fn shell_files(ctx: &Context, req: &InitRequest, reporter: &mut dyn Reporter) -> Result<()> {
    use crate::engine::dotfiles;
    if req.direnv {
        reporter.event(Event::Envrc(dotfiles::ensure_envrc(ctx)?));
    }
    if req.dotenv {
        reporter.event(Event::Dotenv {
            created: dotfiles::ensure_dotenv(ctx)?,
        });
    }
    Ok(())
}

fn write_config(
    ctx: &Context,
    answered: Option<BackendKind>,
    reporter: &mut dyn Reporter,
) -> Result<()> {
    if let Some(cfg) = init::config_to_write(ctx, answered) {
        init::write_config(ctx, &cfg)?;
        reporter.event(Event::ConfigWritten {
            path: ctx.project.config_path(),
        });
    }
    Ok(())
}

/// An init planned read-only, for a review before it runs: what it would do, where,
/// and the files it would write. micromamba is looked for, never installed.
#[derive(Clone, Debug)]
pub struct Preview {
    pub plan: InitPlan,
    /// The env's prefix as the project shows it.
    pub prefix: String,
    /// `(path, what)` for each file the init writes.
    pub files: Vec<(String, String)>,
}

pub fn preview(start: &Path, req: &InitRequest) -> Result<Preview> {
    let ctx = Context::load(start, req.overrides())?;
    init::preflight(&ctx)?;
    let plan = plan(
        &ctx,
        &req.options(),
        req.install_deps,
        WhenMissing::Fail,
        &mut super::Silent,
        &mut super::Silent,
    )?;
    Ok(Preview {
        prefix: ctx.project.display(&plan.target.prefix).into_owned(),
        files: init::files_written(&ctx, &plan),
        plan,
    })
}
