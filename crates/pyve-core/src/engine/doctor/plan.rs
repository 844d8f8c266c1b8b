//! `pyve doctor --fix`'s plan: each failing or warning check's typed [`Fix`], merged
//! when several checks want the same one (a rebuild also does what a plain `init`
//! would), sorted into what pyve can apply safely in one batch, what destroys an env
//! (each confirmed on its own), and what only a person can do (an edit, a shell
//! command outside pyve, a choice).

use serde::Serialize;

use super::{CheckId, Report, Status};
use crate::engine::fix::{Fix, InitFix};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FixKind {
    /// Builds or installs without removing anything (`pyve init`, `pyve bootstrap`).
    Safe,
    /// Replaces an env (`pyve init --force`).
    Destructive,
    /// Not pyve's to do: shown with its words.
    Manual,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PlannedFix {
    pub fix: Fix,
    pub kind: FixKind,
    /// The checks it fixes, and their labels.
    pub checks: Vec<CheckId>,
    pub labels: Vec<String>,
    /// What to do, in words (the first check's `fix`).
    pub words: String,
}

impl PlannedFix {
    /// The command it is, when it is one.
    pub fn command(&self) -> Option<String> {
        self.fix.command_line()
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct FixPlan {
    pub fixes: Vec<PlannedFix>,
}

impl FixPlan {
    pub fn of(&self, kind: FixKind) -> impl Iterator<Item = &PlannedFix> {
        self.fixes.iter().filter(move |f| f.kind == kind)
    }
    pub fn is_empty(&self) -> bool {
        self.fixes.is_empty()
    }
}

fn kind_of(fix: &Fix) -> FixKind {
    match fix {
        Fix::Init(InitFix {
            choose_env_name: true,
            ..
        }) => FixKind::Manual,
        Fix::Init(InitFix { force: true, .. }) => FixKind::Destructive,
        Fix::Init(_) | Fix::Bootstrap => FixKind::Safe,
        // A download the user asks for, and the plan itself: never applied by a plan.
        Fix::BootstrapUser
        | Fix::FixAll
        | Fix::Purge
        | Fix::Lock
        | Fix::ChooseBackend
        | Fix::Edit { .. }
        | Fix::Shell { .. } => FixKind::Manual,
    }
}

/// The plan for a report: only checks that warn or fail, with an action.
pub fn plan(report: &Report) -> FixPlan {
    let mut fixes: Vec<PlannedFix> = Vec::new();
    for c in &report.checks {
        if !matches!(c.status, Status::Warn | Status::Fail) {
            continue;
        }
        let Some(fix) = &c.action else { continue };
        if let Some(p) = fixes.iter_mut().find(|p| &p.fix == fix) {
            p.checks.push(c.id);
            p.labels.push(c.label.clone());
            continue;
        }
        fixes.push(PlannedFix {
            fix: fix.clone(),
            kind: kind_of(fix),
            checks: vec![c.id],
            labels: vec![c.label.clone()],
            words: c.fix.clone().unwrap_or_default(),
        });
    }
    // A rebuild does what `pyve init` would: fold the plain init into it.
    let rebuild_backend = fixes.iter().find_map(|p| match &p.fix {
        Fix::Init(i) if i.force && !i.choose_env_name => Some(i.backend),
        _ => None,
    });
    if let Some(b) = rebuild_backend
        && let Some(i) = fixes.iter().position(
            |p| matches!(&p.fix, Fix::Init(f) if !f.force && !f.choose_env_name && f.backend == b),
        )
    {
        let plain = fixes.remove(i);
        if let Some(r) = fixes
            .iter_mut()
            .find(|p| matches!(&p.fix, Fix::Init(f) if f.force))
        {
            r.checks.extend(plain.checks);
            r.labels.extend(plain.labels);
        }
    }
    // Bootstrap before init; then the rebuilds; then what is left to a person.
    fixes.sort_by_key(|p| (p.kind, !matches!(p.fix, Fix::Bootstrap)));
    FixPlan { fixes }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::doctor::{Check, Summary};

    fn check(id: CheckId, status: Status, fix: Option<Fix>) -> Check {
        Check {
            id,
            status,
            label: format!("{id:?}"),
            detail: vec![],
            fix: fix.as_ref().map(|f| format!("{f:?}")),
            action: fix,
        }
    }

    #[test]
    fn fixes_are_merged_folded_and_sorted() {
        let report = Report {
            project_root: "/p".into(),
            env: "default".into(),
            backend: "venv".into(),
            checks: vec![
                check(
                    CheckId::Gitignore,
                    Status::Warn,
                    Some(Fix::edit(".gitignore", None)),
                ),
                check(CheckId::EnvFresh, Status::Warn, Some(Fix::init())),
                check(CheckId::Runnable, Status::Fail, Some(Fix::rebuild())),
                check(CheckId::Drift, Status::Warn, Some(Fix::rebuild())),
                check(CheckId::Python, Status::Ok, Some(Fix::rebuild())),
                check(CheckId::Tool, Status::Fail, Some(Fix::Bootstrap)),
            ],
            summary: Summary::default(),
        };
        let p = plan(&report);
        let got: Vec<(FixKind, Option<String>, Vec<CheckId>)> = p
            .fixes
            .iter()
            .map(|f| (f.kind, f.command(), f.checks.clone()))
            .collect();
        assert_eq!(
            got,
            [
                (
                    FixKind::Safe,
                    Some("pyve bootstrap".into()),
                    vec![CheckId::Tool]
                ),
                (
                    FixKind::Destructive,
                    Some("pyve init --force".into()),
                    vec![CheckId::Runnable, CheckId::Drift, CheckId::EnvFresh]
                ),
                (FixKind::Manual, None, vec![CheckId::Gitignore]),
            ]
        );
    }
}
