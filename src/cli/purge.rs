//! `pyve purge [--yes]`: the purge job (`pyve_core::jobs::purge`) lists what pyve made
//! here, the CLI asks, the job removes it.

use clap::Args;

use super::Global;
use super::face::Face;
use crate::words;
use pyve_core::engine::ExitStatus;
use pyve_core::engine::Result;
use pyve_core::jobs::{
    self,
    purge::{Confirmed, Scope},
};

#[derive(Debug, Args)]
pub struct PurgeArgs {
    /// Do not ask for confirmation (needed when not on a terminal).
    #[arg(short, long)]
    pub yes: bool,
    /// Remove only this env (its directory and state); the other envs stay.
    #[arg(long, value_name = "NAME")]
    pub env: Option<String>,
}

pub fn run(g: &Global, args: PurgeArgs) -> Result<ExitStatus> {
    let out = &g.out;
    let confirmed = if args.yes {
        Confirmed::All
    } else {
        Confirmed::Ask
    };
    let scope = match &args.env {
        Some(name) => Scope::Env(name.clone()),
        None => Scope::All,
    };
    let done = jobs::purge::run(&g.start, &scope, confirmed, &mut Face::new(out))?;
    if done > 0 {
        let again = match &args.env {
            Some(name) => format!("`pyve init --env {name}`"),
            None => "`pyve init`".to_string(),
        };
        out.success(&words::purged(done, &again));
    }
    Ok(ExitStatus::Ok)
}
