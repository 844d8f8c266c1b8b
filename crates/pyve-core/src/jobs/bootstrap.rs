//! Getting micromamba: `pyve bootstrap`, the Bootstrap wizard, and the bootstrap an
//! `init` needs when micromamba is missing. The menu is the face's
//! ([`Reporter::choose`]); the download, its verification and the package manager's
//! command are this job's, the same for both faces.

use std::ffi::OsString;
use std::path::PathBuf;

use super::{BootstrapChoice, BootstrapOffer, Event, Reporter, Runner, take_lock};
use crate::engine::bootstrap::{self, Install, Installed, Source, SystemInstall, Target};
use crate::engine::context::Context;
use crate::engine::error::MicromambaMissing;
use crate::engine::resolve::Resolution;
use crate::engine::step::Step;
use crate::engine::{Error, Result, micromamba};
use crate::sys::http;
use crate::tasks::Outcome;

/// How `init` may get micromamba when it is missing.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum WhenMissing {
    /// Show the menu when the face can ask; fail with the options otherwise.
    #[default]
    Ask,
    /// `--auto-bootstrap` (the project sandbox) or `--bootstrap-to T`.
    InstallTo(Target),
    /// Fail at once: the face offers its own way (the TUI's Bootstrap wizard).
    Fail,
}

/// `pyve bootstrap [--to T] [--version V]`, or the wizard's choice.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BootstrapRequest {
    pub to: Option<Target>,
    pub version: Option<String>,
}

/// What a bootstrap ended with: where micromamba is now.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Bootstrapped {
    pub path: PathBuf,
    pub version: String,
}

fn path_var() -> OsString {
    std::env::var_os("PATH").unwrap_or_default()
}

fn resolve(ctx: &Context) -> std::result::Result<Resolution, micromamba::NotFound> {
    micromamba::resolve(
        &ctx.project.sandbox_micromamba(),
        &ctx.pyve_home,
        &path_var(),
    )
}

fn aborted() -> Error {
    Error::Missing(
        "aborted: micromamba was not installed (install it when you want it; the venv backend does without)".into(),
    )
    .with_fix(crate::engine::fix::Fix::Bootstrap)
}

fn not_on_path_after(system: &SystemInstall) -> Error {
    Error::Missing(format!(
        "`{}` finished, but micromamba is still not on PATH; open a new shell (or add the package manager's bin directory to PATH) and rerun",
        system.describe()
    ))
}

/// micromamba for an `init`: found, or installed the way `when` allows.
pub fn ensure_micromamba(
    ctx: &Context,
    when: WhenMissing,
    reporter: &mut dyn Reporter,
    runner: &mut dyn Runner,
) -> Result<Resolution> {
    let not_found = match resolve(ctx) {
        Ok(r) => return Ok(r),
        Err(nf) => nf,
    };
    let system = bootstrap::system_install(&path_var());
    let missing = || {
        Error::MicromambaMissing(Box::new(MicromambaMissing {
            detection: ctx.detection.clone(),
            tried: not_found.tried.clone(),
            system: system.clone(),
            project_target: Target::Project.path(ctx),
            user_target: Target::User.path(ctx),
        }))
    };
    let picked = match when {
        WhenMissing::InstallTo(t) => BootstrapChoice::Install(t),
        WhenMissing::Fail => return Err(missing()),
        WhenMissing::Ask => {
            let why = ctx.detection.evidence.join(", ");
            let header = if why.is_empty() {
                "micromamba is required for this project but was not found.".to_string()
            } else {
                format!("micromamba is required for this project ({why}) but was not found.")
            };
            let offer = offer(ctx, header, system.clone(), Target::Project);
            match reporter.choose(&offer) {
                Some(c) => c,
                None => return Err(missing()),
            }
        }
    };
    match picked {
        BootstrapChoice::Install(t) => {
            let retry = format!("pyve init --bootstrap-to {}", t.as_str());
            download(ctx, t, None, &retry, reporter, runner)?;
        }
        BootstrapChoice::System => return system_install(ctx, &system, reporter, runner),
        BootstrapChoice::Abort => return Err(aborted()),
    }
    resolve(ctx).map_err(|nf| {
        Error::Missing(format!(
            "micromamba was installed but still cannot be used: {}",
            nf.tried
                .iter()
                .map(|t| format!("{} ({})", t.path.display(), t.outcome))
                .collect::<Vec<_>>()
                .join(", ")
        ))
    })
}

/// The menu's offer.
pub fn offer(
    ctx: &Context,
    header: String,
    system: SystemInstall,
    default: Target,
) -> BootstrapOffer {
    BootstrapOffer {
        header,
        project: Target::Project.path(ctx),
        user: Target::User.path(ctx),
        system,
        default,
    }
}

/// `pyve bootstrap`: always installs (replacing what is at the target, atomically),
/// since asking for it is the point of the command.
pub fn run(
    ctx: &Context,
    req: &BootstrapRequest,
    reporter: &mut dyn Reporter,
    runner: &mut dyn Runner,
) -> Result<Bootstrapped> {
    // Refuse a bad mirror URL or version before asking anything.
    Source::for_this_machine(req.version.as_deref())?;
    let default = Target::default_for(ctx);
    let system = bootstrap::system_install(&path_var());
    let picked = match req.to {
        Some(t) => BootstrapChoice::Install(t),
        None => {
            let label = req.version.as_deref().unwrap_or("latest");
            let offer = offer(
                ctx,
                format!("Install micromamba ({label}):"),
                system.clone(),
                default,
            );
            reporter
                .choose(&offer)
                .unwrap_or(BootstrapChoice::Install(default))
        }
    };
    match picked {
        BootstrapChoice::Install(t) => {
            // The project sandbox is part of the project: a mutation, under its lock.
            let _lock = match t {
                Target::Project => Some(take_lock(ctx, reporter)?),
                Target::User => None,
            };
            let mut retry = format!("pyve bootstrap --to {}", t.as_str());
            if let Some(v) = &req.version {
                retry.push_str(&format!(" --version {v}"));
            }
            let installed = download(ctx, t, req.version.as_deref(), &retry, reporter, runner)?;
            Ok(Bootstrapped {
                path: installed.path,
                version: installed.version,
            })
        }
        BootstrapChoice::System => {
            let r = system_install(ctx, &system, reporter, runner)?;
            Ok(Bootstrapped {
                path: r.path,
                version: r.version,
            })
        }
        BootstrapChoice::Abort => Err(aborted()),
    }
}

/// Downloads, verifies and installs micromamba at `to`, its progress reported as
/// events, the face's cancel wired to the download.
pub fn download(
    ctx: &Context,
    to: Target,
    version: Option<&str>,
    retry: &str,
    reporter: &mut dyn Reporter,
    runner: &mut dyn Runner,
) -> Result<Installed> {
    let source = Source::for_this_machine(version)?;
    let timeout = http::timeout_from_env()?;
    let (root, target) = (to.root(ctx), to.path(ctx));
    let target = target.as_path();
    reporter.event(Event::Installing {
        version: source.version_label().to_string(),
        platform: source.platform.to_string(),
        target: target.to_path_buf(),
    });
    let mut result = None;
    runner.interruptible(&mut |cancel| {
        result = Some(bootstrap::install(
            &Install {
                root: &root,
                target,
                pyve_home: &ctx.pyve_home,
                source: &source,
                timeout,
                cancel,
                retry,
            },
            &mut |p| reporter.event(Event::Download(p)),
        ));
    });
    result.unwrap_or(Err(Error::Interrupted(None)))
}

/// Option 3: the package manager's command (the menu's choice was the user's
/// confirmation), then micromamba found on PATH.
pub fn system_install(
    ctx: &Context,
    system: &SystemInstall,
    reporter: &mut dyn Reporter,
    runner: &mut dyn Runner,
) -> Result<Resolution> {
    let SystemInstall::Available {
        program,
        args,
        command,
        ..
    } = system
    else {
        return Err(Error::Missing(system.describe()));
    };
    let step = Step {
        label: command.clone(),
        program: program.clone(),
        args: args.iter().map(OsString::from).collect(),
        cwd: ctx.project.root.clone(),
        env: vec![],
        env_remove: vec![],
        env_clear: false,
        argv0: None,
        // A package manager may ask for a password: on a terminal, it gets it.
        interactive: true,
    };
    match runner.steps(command, vec![step], false) {
        Outcome::Succeeded => {}
        Outcome::Failed(why) => {
            return Err(Error::Download(format!("{why}; nothing else was changed"))
                .with_fix(crate::engine::fix::Fix::BootstrapUser));
        }
        Outcome::Cancelled => return Err(Error::Interrupted(None)),
    }
    let found = resolve(ctx).map_err(|_| not_on_path_after(system))?;
    reporter.event(Event::Found(found.clone()));
    Ok(found)
}
