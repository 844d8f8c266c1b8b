//! `pyve purge [--yes]`: the purge job (`pyve_core::jobs::purge`) lists what pyve made
//! here, the CLI asks, the job removes it.

use clap::Args;

use super::Global;
use super::face::Face;
use crate::words;
use pyve_core::engine::ExitStatus;
use pyve_core::engine::Result;
use pyve_core::jobs::{self, purge::Confirmed};

#[derive(Debug, Args)]
pub struct PurgeArgs {
    /// Do not ask for confirmation (needed when not on a terminal).
    #[arg(short, long)]
    pub yes: bool,
}

pub fn run(g: &Global, args: PurgeArgs) -> Result<ExitStatus> {
    let out = &g.out;
    let confirmed = if args.yes {
        Confirmed::All
    } else {
        Confirmed::Ask
    };
    let done = jobs::purge::run(&g.start, confirmed, &mut Face::new(out))?;
    if done > 0 {
        out.success(&words::purged(done, "`pyve init`"));
    }
    Ok(ExitStatus::Ok)
}
