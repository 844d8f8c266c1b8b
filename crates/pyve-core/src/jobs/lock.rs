//! `lock`, the same from `pyve lock` and from the TUI (Enter on the Health pane's lock
//! check): plan → lock `.pyve/lock` → conda-lock on the queue, into a temp file →
//! rename it over `conda-lock.yml` → release → `init`, which builds the env from the
//! new lock. A conda-lock that fails or is cancelled leaves the old lock as it was.

use std::path::Path;

use super::bootstrap::WhenMissing;
use super::init::{InitRequest, Initialized};
use super::{Event, Reporter, Runner, take_lock};
use crate::engine::context::{Context, Overrides};
use crate::engine::lock;
use crate::engine::{Error, Result};
use crate::tasks::Outcome;

/// What to lock, as `pyve lock`'s flags set it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LockRequest {
    /// `--update PKG`, each: only these are re-solved.
    pub update: Vec<String>,
    /// `--env NAME`: the env whose env file is locked and then built from the lock.
    pub env: Option<String>,
}

/// How a lock ended: the platforms written, and the init that followed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Locked {
    pub platforms: Vec<String>,
    pub init: Initialized,
}

pub fn run(
    start: &Path,
    req: &LockRequest,
    reporter: &mut dyn Reporter,
    runner: &mut dyn Runner,
) -> Result<Locked> {
    let ctx = Context::load(
        start,
        Overrides {
            env: req.env.clone(),
            ..Overrides::default()
        },
    )?;
    let plan = lock::plan(&ctx, &req.update)?;
    {
        let _lock = take_lock(&ctx, reporter)?;
        let pending = lock::prepare(&ctx)?;
        let step = lock::step(&ctx, &plan, &pending);
        reporter.event(Event::Locking {
            source: plan.source.display().to_string(),
            platforms: plan.platforms.clone(),
            update: plan.update.clone(),
        });
        match runner.steps("lock", vec![step], true) {
            Outcome::Succeeded => lock::commit(pending)?,
            Outcome::Failed(why) => {
                return Err(Error::TaskFailed(format!(
                    "{why}\n{} is unchanged",
                    lock::LOCK_FILE
                )));
            }
            Outcome::Cancelled => {
                return Err(Error::Interrupted(Some(format!(
                    "{} is unchanged",
                    lock::LOCK_FILE
                ))));
            }
        }
        reporter.event(Event::LockWritten {
            platforms: plan.platforms.clone(),
        });
    }
    // The env follows the lock (init prefers a lock that covers this platform).
    let init = super::init::run(
        start,
        &InitRequest {
            env: req.env.clone(),
            ..InitRequest::default()
        },
        WhenMissing::Fail,
        reporter,
        runner,
    )?;
    Ok(Locked {
        platforms: plan.platforms,
        init,
    })
}
