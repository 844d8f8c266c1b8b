//! A command run in the env from the TUI's Run prompt: the environment `pyve run` would
//! exec with, given to a queue step instead (the TUI keeps the terminal; the command
//! gets no stdin).

use std::ffi::OsString;
use std::path::Path;

use super::{Event, Reporter, Runner};
use crate::engine::context::{Context, Overrides};
use crate::engine::run::{Planned, RunOptions, SyncMode};
use crate::engine::step::Step;
use crate::engine::{Error, Result, run};
use crate::tasks::Outcome;

/// Plans `argv` as `pyve run` would and runs it as one (read-only) task.
pub fn run(
    start: &Path,
    overrides: &Overrides,
    argv: &[String],
    reporter: &mut dyn Reporter,
    runner: &mut dyn Runner,
) -> Result<Outcome> {
    let step = step(start, overrides, argv, reporter)?;
    let title = step.label.clone();
    Ok(runner.steps(&title, vec![step], false))
}

fn step(
    start: &Path,
    overrides: &Overrides,
    argv: &[String],
    reporter: &mut dyn Reporter,
) -> Result<Step> {
    let ctx = Context::load(start, overrides.clone())?;
    let cmd: Vec<OsString> = argv.iter().map(OsString::from).collect();
    // The TUI's Setup builds envs; its Run prompt runs in what is there.
    let opts = RunOptions {
        allow_pip: false,
        sync: SyncMode::NoSync,
        env_file: None,
    };
    let Planned::Run(plan) = run::plan(&ctx, &cmd, &opts)? else {
        return Err(Error::Bug("a no-sync run plan asked to sync".into()));
    };
    for w in &plan.warnings {
        reporter.event(Event::Warning(w.clone()));
    }
    for n in &plan.notes {
        reporter.event(Event::Note(n.clone()));
    }
    // The plan's environment replaces ours entirely, as exec would.
    Ok(Step {
        label: format!("run {}", argv.join(" ")),
        program: plan.program,
        args: plan.args,
        cwd: std::path::absolute(start).unwrap_or_else(|_| start.to_path_buf()),
        env: plan.env,
        env_remove: vec![],
        env_clear: true,
        argv0: Some(plan.argv0),
        interactive: false,
    })
}
