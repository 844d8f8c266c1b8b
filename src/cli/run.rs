//! `pyve run`: plan in the engine, then `exec`, so the command owns our pid, its
//! signals and its exit status. Nothing else runs first.

use std::ffi::OsString;

use clap::Args;

use super::{EnvSelect, Global};
use pyve_core::engine::ExitStatus;
use pyve_core::engine::{Result, run as engine_run};

#[derive(Debug, Args)]
pub struct RunArgs {
    #[command(flatten)]
    pub select: EnvSelect,
    /// Allow `pip install`/`uninstall` into a conda env (refused by default; docs/policies.md).
    #[arg(long)]
    pub allow_pip: bool,
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
    let plan = engine_run::plan(&ctx, &args.command, args.allow_pip)?;
    for w in &plan.warnings {
        g.out.warn(w);
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

/// `pyve run CMD ARG…` with no pyve flag before CMD: the common form of the hot path,
/// answered without building clap's whole command tree (a third of the instructions
/// pyve spends before the exec). Anything else goes through clap as usual.
pub fn fast_path(args: &[OsString]) -> Option<RunArgs> {
    if args.get(1)? != "run" {
        return None;
    }
    let first = args.get(2)?.as_encoded_bytes();
    if first.is_empty() || first[0] == b'-' {
        return None;
    }
    Some(RunArgs {
        select: EnvSelect::default(),
        allow_pip: false,
        command: args[2..].to_vec(),
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
            assert_eq!(fast.select.env_name, slow.select.env_name);
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
        ] {
            assert!(fast_path(&v(args)).is_none(), "{args:?}");
        }
    }
}
