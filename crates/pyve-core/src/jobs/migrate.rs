//! `migrate`: the other backend's spec file, then its env, then (with `--yes`) the old
//! env goes. Plan → refuse an overwrite without `--yes` → lock → write the file →
//! release → `init --backend TO` (which pins the backend in `.pyve/config`) → only once
//! the new env is ready, and only with `--yes`, remove the old one (if pyve made it).

use std::path::Path;

use super::bootstrap::WhenMissing;
use super::init::InitRequest;
use super::{Event, Reporter, Runner, take_lock};
use crate::engine::context::{Context, Overrides};
use crate::engine::migrate::{self, MigratePlan};
use crate::engine::{BackendKind, Error, Result, purge};

/// `pyve migrate --from F --to T [--yes]`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MigrateRequest {
    pub from: BackendKind,
    pub to: BackendKind,
    /// Overwrite the target file, and remove the old env once the new one is ready.
    pub yes: bool,
}

/// What `--dry-run` prints: the plan, nothing written.
pub fn preview(start: &Path, req: &MigrateRequest) -> Result<MigratePlan> {
    let ctx = Context::load(start, Overrides::default())?;
    migrate::plan(&ctx, req.from, req.to)
}

pub fn run(
    start: &Path,
    req: &MigrateRequest,
    reporter: &mut dyn Reporter,
    runner: &mut dyn Runner,
) -> Result<MigratePlan> {
    let ctx = Context::load(start, Overrides::default())?;
    let plan = migrate::plan(&ctx, req.from, req.to)?;
    if plan.exists && !req.yes {
        return Err(Error::Refused(format!(
            "{} exists: `--yes` replaces it (`--dry-run` shows what would be written)",
            plan.file.display()
        )));
    }
    warn_unmapped(&plan, reporter);
    // The old env, as it is now: it stays until the new one is ready.
    let old = ctx.target()?;
    {
        let _lock = take_lock(&ctx, reporter)?;
        let tree = ctx
            .project
            .tree()
            .map_err(|e| Error::io_at("open", &ctx.project.root, e))?;
        tree.write(&plan.file, plan.content.as_bytes())
            .map_err(|e| Error::io_at("write", &ctx.project.root.join(&plan.file), e))?;
        reporter.event(Event::SpecWritten {
            file: plan.file.display().to_string(),
        });
    }
    let init = InitRequest {
        backend: Some(req.to),
        ..InitRequest::default()
    };
    super::init::run(start, &init, WhenMissing::Ask, reporter, runner)?;
    let shown = ctx.project.display(&old.prefix).into_owned();
    if !req.yes {
        if old.prefix.exists() {
            reporter.event(Event::Note(format!(
                "the {} env {shown} is kept; `pyve migrate … --yes` (or removing it yourself) lets it go",
                req.from
            )));
        }
        return Ok(plan);
    }
    let _lock = take_lock(&ctx, reporter)?;
    let items: Vec<_> = purge::plan(&ctx)
        .into_iter()
        .filter(|i| i.path == old.prefix)
        .collect();
    for i in purge::execute(&ctx, &items)? {
        reporter.event(Event::Removed {
            shown: ctx.project.display(&i.path).into_owned(),
            what: i.what.clone(),
        });
    }
    Ok(plan)
}

/// What could not be carried over, said before anything is written.
pub fn warn_unmapped(plan: &MigratePlan, reporter: &mut dyn Reporter) {
    if !plan.not_mapped.is_empty() {
        let what = match plan.to {
            BackendKind::Micromamba => "no conda package pyve knows; kept under `pip:`",
            BackendKind::Venv => {
                "conda-only, not installable with pip; written as comments, not installed"
            }
        };
        reporter.event(Event::Warning(format!(
            "{} ({what}): {}",
            plan.not_mapped.len(),
            plan.not_mapped.join(", ")
        )));
    }
    for n in &plan.notes {
        reporter.event(Event::Note(n.clone()));
    }
}
