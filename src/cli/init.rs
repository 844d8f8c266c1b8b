//! `pyve init`: its flags, as a request to the init job (`pyve_core::jobs::init`),
//! which the CLI's face reports and runs.

use clap::Args;

use super::face::{Face, Work};
use super::{EnvSelect, Global};
use pyve_core::engine::bootstrap::Target;
use pyve_core::engine::fix::Fix;
use pyve_core::engine::{Error, ExitStatus, Result, pyinstall, resolve};
use pyve_core::jobs;
use pyve_core::jobs::Runner;
use pyve_core::jobs::bootstrap::WhenMissing;
use pyve_core::jobs::init::InitRequest;
use pyve_core::tasks::Outcome;

#[derive(Debug, Args)]
pub struct InitArgs {
    #[command(flatten)]
    pub select: EnvSelect,
    /// The micromamba env's own name (default: micromamba.env_name, the env file's name:, the directory name).
    #[arg(long, value_name = "NAME")]
    pub env_name: Option<String>,
    /// The python version for a venv (3.11 matches 3.11.7).
    #[arg(long, value_name = "V")]
    pub python_version: Option<String>,
    /// Remove the env and build it again (also replaces a venv pyve did not make).
    #[arg(long)]
    pub force: bool,
    /// Take over a venv pyve did not make (uv, poetry, python -m venv) when it fits the spec; rebuilds nothing.
    #[arg(long, conflicts_with = "force")]
    pub adopt: bool,
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
    /// No python matches the request: install it with pyenv or asdf (the command the error names), then go on.
    #[arg(long)]
    pub install_python: bool,
    /// Write an `.envrc` for direnv that activates the env (never over one pyve did not write).
    #[arg(long)]
    pub direnv: bool,
    /// Create an empty `.env` (mode 0600) when there is none, for `pyve run --env-file .env`.
    #[arg(long)]
    pub dotenv: bool,
}

pub fn run(g: &Global, args: InitArgs) -> Result<ExitStatus> {
    let out = &g.out;
    let req = request(&args);
    let when_missing = when_missing(&args);
    // A pin that violates requires-python is said before anything is built.
    let mut overrides = req.overrides();
    overrides.python_version = args.python_version.clone();
    if let Ok(ctx) = g.context(overrides)
        && ctx.backend() == pyve_core::engine::BackendKind::Venv
        && let Ok(choice) = ctx.python_choice()
    {
        for w in &choice.warnings {
            out.warn(w);
        }
    }
    let attempt = || {
        let mut face = Face::new(out);
        jobs::init::run(&g.start, &req, when_missing, &mut face, &mut Work { out })
    };
    let result = match attempt() {
        // Nothing was built: install the python, then init again, once.
        Err(Error::PythonNotFound(nf)) if args.install_python => {
            let lookup = resolve::Lookup::from_env();
            let step = pyinstall::install_step(&nf, &lookup, &g.start)?;
            out.info(&format!(
                "{}; installing it: {}",
                nf.summary(),
                nf.install_command
            ));
            match (Work { out }).steps("install python", vec![step], true) {
                Outcome::Succeeded => attempt(),
                Outcome::Failed(why) => {
                    return Err(Error::TaskFailed(format!(
                        "installing python failed: {why}; run its command yourself to see why"
                    ))
                    .with_fix(Fix::shell(nf.install_command.clone())));
                }
                Outcome::Cancelled => return Err(Error::Interrupted(None)),
            }
        }
        other => other,
    };
    result?;
    Ok(ExitStatus::Ok)
}

/// What `--auto-bootstrap` / `--bootstrap-to` allow when micromamba is missing.
pub fn when_missing(args: &InitArgs) -> WhenMissing {
    if args.auto_bootstrap {
        WhenMissing::InstallTo(Target::Project)
    } else {
        match args.bootstrap_to {
            Some(t) => WhenMissing::InstallTo(t.into()),
            None => WhenMissing::Ask,
        }
    }
}

/// The job's request from `pyve init`'s flags.
pub fn request(args: &InitArgs) -> InitRequest {
    let select = args.select.overrides();
    InitRequest {
        env: select.env,
        backend: select.backend,
        env_name: args.env_name.clone(),
        python_version: args.python_version.clone(),
        channels: args.channels.clone(),
        install_deps: if args.no_install_deps {
            Some(false)
        } else if args.install_deps {
            Some(true)
        } else {
            None
        },
        force: args.force,
        adopt: args.adopt,
        direnv: args.direnv,
        dotenv: args.dotenv,
    }
}
