//! `pyve run`: plan in the engine, then `exec`, so the command owns our pid, its
//! signals and its exit status. A ready env runs nothing else first; a missing or
//! stale one is brought in step by the init job (said on stderr), unless `--frozen`
//! or `--no-sync` says otherwise.

use std::ffi::OsString;

use clap::Args;

use super::face::{Face, Work};
use super::{EnvSelect, Global};
use pyve_core::engine::context::Context;
use pyve_core::engine::run::{Planned, RunOptions, RunPlan, SyncMode};
use pyve_core::engine::{Error, ExitStatus};
use pyve_core::engine::{Result, run as engine_run};
use pyve_core::jobs;
use pyve_core::jobs::bootstrap::WhenMissing;
use pyve_core::jobs::init::InitRequest;

#[derive(Debug, Args)]
pub struct RunArgs {
    #[command(flatten)]
    pub select: EnvSelect,
    /// Allow `pip install`/`uninstall` into a conda env (refused by default; docs/policies.md).
    #[arg(long)]
    pub allow_pip: bool,
    /// Never create or update the env: fail when it is missing or stale (also PYVE_FROZEN=1).
    #[arg(long, conflicts_with = "no_sync")]
    pub frozen: bool,
    /// Run in the env as it is: a stale env is warned about, not updated.
    #[arg(long)]
    pub no_sync: bool,
    /// Load this dotenv file into the command's environment (default: `run.env_file` in .pyve/config).
    #[arg(long, value_name = "PATH")]
    pub env_file: Option<std::path::PathBuf>,
    /// The command and its arguments (use `--` before a command that starts with `-`).
    #[arg(
        value_name = "CMD",
        trailing_var_arg = true,
        required = true,
        num_args = 1..
    )]
    pub command: Vec<OsString>,
}

pub fn run(g: &Global, args: RunArgs) -> Result<ExitStatus> {
    let ctx = g.context(args.select.overrides())?;
    let opts = RunOptions {
        allow_pip: args.allow_pip,
        sync: match (args.frozen, args.no_sync) {
            (true, _) => SyncMode::Frozen,
            (_, true) => SyncMode::NoSync,
            _ => SyncMode::Auto,
        },
        env_file: args.env_file.clone(),
    };
    let plan = match engine_run::plan(&ctx, &args.command, &opts)? {
        Planned::Run(plan) => plan,
        Planned::Sync(out_of_step) => {
            g.out.info(&out_of_step.announce());
            sync(g, &args)?
        }
    };
    for w in &plan.warnings {
        g.out.warn(w);
    }
    for n in &plan.notes {
        g.out.info(n);
    }
    let err = pyve_core::sys::process::exec(&plan.program, &plan.argv0, &plan.args, &plan.env);
    // exec returned: it failed. The plan found an executable file, so it exists but
    // cannot be executed: 126, as a shell says (127 only if it vanished meanwhile).
    // "Not found" for a file that is there means its `#!` interpreter is missing.
    let missing = err.kind() == std::io::ErrorKind::NotFound;
    let (code, why) = match (missing, plan.program.exists()) {
        (true, false) => (ExitStatus::CommandNotFound, String::new()),
        (true, true) => (
            ExitStatus::CannotExecute,
            " (is its `#!` interpreter missing?)".to_string(),
        ),
        (false, _) => (ExitStatus::CannotExecute, String::new()),
    };
    g.out.error(&format!(
        "cannot run {}: {err}{why}",
        plan.program.display()
    ));
    Ok(code)
}

/// The init job, as `pyve init` with run's `--backend`/`--env` runs it (micromamba
/// missing: the same menu or refusal), then the plan again in the env it left.
fn sync(g: &Global, args: &RunArgs) -> Result<RunPlan> {
    let ctx = bring_in_step(g, &args.select)?;
    let opts = RunOptions {
        allow_pip: args.allow_pip,
        sync: SyncMode::NoSync,
        env_file: args.env_file.clone(),
    };
    match engine_run::plan(&ctx, &args.command, &opts)? {
        Planned::Run(plan) => Ok(plan),
        Planned::Sync(_) => Err(Error::Bug("a no-sync run plan asked to sync".into())),
    }
}

/// The init job as `pyve init` with these `--backend`/`--env` runs it (micromamba
/// missing: the same menu or refusal); the context it leaves. `run` and `shell` use it.
pub fn bring_in_step(g: &Global, select: &EnvSelect) -> Result<Context> {
    let select = select.overrides();
    let req = InitRequest {
        env: select.env.clone(),
        backend: select.backend,
        ..InitRequest::default()
    };
    let out = &g.out;
    jobs::init::run(
        &g.start,
        &req,
        WhenMissing::Ask,
        &mut Face::new(out),
        &mut Work { out },
    )?;
    g.context(select)
}

/// `pyve run CMD ARG…` with no pyve flag before CMD: the common form of the hot path,
/// answered without building clap's whole command tree (a third of the instructions
/// pyve spends before the exec). Anything else goes through clap as usual.
pub fn fast_path(args: &[OsString]) -> Option<RunArgs> {
    if args.get(1)? != "run" {
        return None;
    }
    // `pyve run --env NAME CMD…`, the common form with several envs, too.
    let (env, at) = match args.get(2)?.to_str() {
        Some("--env") => (Some(args.get(3)?.to_str()?.to_string()), 4),
        _ => (None, 2),
    };
    let first = args.get(at)?.as_encoded_bytes();
    if first.is_empty() || first[0] == b'-' || env.as_deref().is_some_and(|e| e.starts_with('-')) {
        return None;
    }
    Some(RunArgs {
        select: EnvSelect { backend: None, env },
        allow_pip: false,
        frozen: false,
        no_sync: false,
        env_file: None,
        command: args[at..].to_vec(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    fn v(args: &[&str]) -> Vec<OsString> {
        args.iter().map(OsString::from).collect()
    }

    /// The fast path takes exactly what clap would parse the same way.
    #[test]
    fn fast_path_agrees_with_clap() {
        for args in [
            &["pyve", "run", "python", "-c", "pass"][..],
            &["pyve", "run", "pytest", "-x", "--", "-k", "a b"],
            &["pyve", "run", "help"],
            &["pyve", "run", "--env", "dev", "pytest", "--env", "x"],
        ] {
            let fast = fast_path(&v(args)).expect("fast path");
            let Some(crate::cli::Command::Run(slow)) =
                crate::cli::Cli::try_parse_from(v(args)).unwrap().command
            else {
                panic!("not a run")
            };
            assert_eq!(fast.command, slow.command, "{args:?}");
            assert_eq!(fast.allow_pip, slow.allow_pip);
            assert_eq!(fast.select.backend, slow.select.backend);
            assert_eq!(fast.select.env, slow.select.env);
        }
        // Before CMD only run's own flags: a typo is a usage error, `--` a separator.
        let parse = |args: &[&str]| crate::cli::Cli::try_parse_from(v(args));
        let e = parse(&["pyve", "run", "--alow-pip", "python"]).unwrap_err();
        assert_eq!(e.kind(), clap::error::ErrorKind::UnknownArgument);
        let Some(crate::cli::Command::Run(r)) = parse(&["pyve", "run", "--", "-x", "--allow-pip"])
            .unwrap()
            .command
        else {
            panic!("not a run")
        };
        assert_eq!((r.command, r.allow_pip), (v(&["-x", "--allow-pip"]), false));
        for args in [
            &["pyve", "run"][..],
            &["pyve", "run", "--allow-pip", "pip"],
            &["pyve", "run", "--", "python"],
            &["pyve", "-C", "x", "run", "python"],
            &["pyve", "status"],
            &["pyve", "run", "--env", "dev"],
            &["pyve", "run", "--env", "dev", "--frozen", "python"],
            &["pyve", "run", "--env", "--frozen", "python"],
            &["pyve", "run", "--env=dev", "python"],
        ] {
            assert!(fast_path(&v(args)).is_none(), "{args:?}");
        }
    }
}
