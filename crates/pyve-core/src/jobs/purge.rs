//! `purge`: the list of what pyve made here, the face's confirmation, the removal under
//! the lock. The TUI confirms first and passes the confirmed paths; a path the plan no
//! longer lists when the lock is held is not removed.

use std::path::{Path, PathBuf};

use super::{Event, Question, Reporter, take_lock};
use crate::engine::context::{Context, Overrides};
use crate::engine::purge::{self, PurgeItem};
use crate::engine::{Error, Result};

/// What to purge: everything pyve made here, or one env.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Scope {
    #[default]
    All,
    /// `--env NAME`: that env only; the others and what they share stay.
    Env(String),
}

impl Scope {
    fn load(&self, start: &Path) -> Result<Context> {
        let env = match self {
            Scope::All => None,
            Scope::Env(name) => Some(name.clone()),
        };
        Context::load(
            start,
            Overrides {
                env,
                ..Overrides::default()
            },
        )
    }

    fn items(&self, ctx: &Context) -> Vec<PurgeItem> {
        match self {
            Scope::All => purge::plan(ctx),
            Scope::Env(_) => purge::plan_env(ctx),
        }
    }
}

/// What `purge` would remove here; empty when pyve has not set the project up.
pub fn plan(start: &Path, scope: &Scope) -> Result<(Context, Vec<PurgeItem>)> {
    let ctx = scope.load(start)?;
    if !ctx.project.pyve_dir().is_dir() {
        return Ok((ctx, vec![]));
    }
    let items = scope.items(&ctx);
    Ok((ctx, items))
}

/// Which paths the user agreed to remove.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Confirmed {
    /// Ask the face, after listing the plan (`pyve purge`).
    Ask,
    /// `--yes`.
    All,
    /// These, confirmed beforehand (the TUI's dialog).
    These(Vec<PathBuf>),
}

/// Removes what pyve made; returns how many paths went.
pub fn run(
    start: &Path,
    scope: &Scope,
    confirmed: Confirmed,
    reporter: &mut dyn Reporter,
) -> Result<usize> {
    let ctx = scope.load(start)?;
    if !ctx.project.pyve_dir().is_dir() {
        reporter.event(Event::NothingToPurge {
            pyve_dir_exists: false,
        });
        return Ok(0);
    }
    let _lock = take_lock(&ctx, reporter)?;
    let mut items = scope.items(&ctx);
    if let Confirmed::These(paths) = &confirmed {
        items.retain(|i| paths.contains(&i.path));
    }
    if items.is_empty() {
        reporter.event(Event::NothingToPurge {
            pyve_dir_exists: true,
        });
        return Ok(0);
    }
    reporter.event(Event::PurgePlanned {
        root: ctx.project.root.clone(),
        items: items
            .iter()
            .map(|i| (ctx.project.display(&i.path).into_owned(), i.clone()))
            .collect(),
    });
    if confirmed == Confirmed::Ask {
        match reporter.confirm(Question::Purge) {
            Some(true) => {}
            Some(false) => return Ok(0),
            None => {
                return Err(Error::Usage(
                    "purge needs confirmation: rerun with `pyve purge --yes` to remove the paths listed above".into(),
                ));
            }
        }
    }
    let done = purge::execute(&ctx, &items)?;
    for i in &done {
        reporter.event(Event::Removed {
            shown: ctx.project.display(&i.path).into_owned(),
            what: i.what.clone(),
        });
    }
    Ok(done.len())
}
