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
    // exec returned: it failed. The plan found an executable file, so it exists but
    // cannot be executed: 126, as a shell says (127 only if it vanished meanwhile).
    // "Not found" for a file that is there means its `#!` interpreter is missing.
    let missing = err.kind() == std::io::ErrorKind::NotFound;
    let (code, why) = match (missing, plan.program.exists()) {
        (true, false) => (127, String::new()),
        (true, true) => (126, " (is its `#!` interpreter missing?)".to_string()),
        (false, _) => (126, String::new()),
    };
    g.out.error(&format!(
        "cannot run {}: {err}{why}",
        plan.program.display()
    ));
    Ok(code)
}
