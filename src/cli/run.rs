//! `pyve run`: plan in the engine, then `exec`, so the command owns our pid, its
//! signals and its exit status. Nothing else runs first.

use std::ffi::OsString;

use clap::Args;

use super::{BackendArg, EnvSelect, Global};
use crate::engine::context::Overrides;
use crate::engine::{Result, run as engine_run};

#[derive(Debug, Args)]
pub struct RunArgs {
    #[command(flatten)]
    pub select: EnvSelect,
    /// Allow `pip install`/`uninstall` into a conda env (policy, product.md §6).
    #[arg(long)]
    pub allow_pip: bool,
    /// The command and its arguments (use `--` before a command that starts with `-`).
    #[arg(
        value_name = "CMD",
        trailing_var_arg = true,
        allow_hyphen_values = true,
        required = true,
        num_args = 1..
    )]
    pub command: Vec<OsString>,
}

pub fn run(g: &Global, args: RunArgs) -> Result<i32> {
    let ctx = g.context(Overrides {
        backend: args.select.backend.and_then(BackendArg::kind),
        env_name: args.select.env_name.clone(),
        python_version: None,
        channels: vec![],
    })?;
    let plan = engine_run::plan(&ctx, &args.command, args.allow_pip)?;
    for w in &plan.warnings {
        g.out.warn(w);
    }
    let err = crate::sys::process::exec(&plan.program, &plan.argv0, &plan.args, &plan.env);
    // exec returned: it failed.
    let code = if err.kind() == std::io::ErrorKind::PermissionDenied {
        126
    } else {
        127
    };
    g.out
        .error(&format!("cannot run {}: {err}", plan.program.display()));
    Ok(code)
}
