//! `pyve doctor --fix`, and the Health pane's fixes: doctor's checks → a plan of their
//! typed fixes → confirmation → the fixes, each through the job that does it (`init`,
//! `init --force`, the bootstrap). Safe fixes are confirmed once, as a batch; each
//! destructive one (a rebuild) on its own, and never without a person unless `yes`:
//! a face that cannot ask gets a refusal naming `--yes` before anything runs. What
//! only a person can do (an edit, a shell command) is listed, not done.

use std::path::Path;

use super::bootstrap::{BootstrapRequest, WhenMissing};
use super::init::InitRequest;
use super::{Reporter, Runner};
use crate::engine::context::{Context, Overrides};
use crate::engine::doctor::plan::{FixKind, FixPlan, PlannedFix};
use crate::engine::doctor::{self, CheckId, Report};
use crate::engine::fix::Fix;
use crate::engine::{Error, Result};

/// The face's answers to the fix job's questions.
pub trait Confirm {
    /// Whether a person can answer (a terminal, no `--no-input`).
    fn can_ask(&self) -> bool;
    /// Apply these safe fixes?
    fn batch(&mut self, fixes: &[&PlannedFix]) -> bool;
    /// Apply this destructive fix?
    fn destructive(&mut self, fix: &PlannedFix) -> bool;
}

/// Which fixes, and how sure the user is.
#[derive(Clone, Debug, Default)]
pub struct FixRequest {
    /// `--backend` / `--env`.
    pub overrides: Overrides,
    /// `--yes`: apply everything without asking, destructive fixes included.
    pub yes: bool,
    /// Only the fix of this check (the Health pane's Enter).
    pub only: Option<CheckId>,
}

/// What the job did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Fixed {
    pub applied: Vec<Fix>,
    /// Declined by the user.
    pub declined: Vec<Fix>,
    /// Left to a person (with their words).
    pub manual: Vec<PlannedFix>,
}

/// Doctor's report and the plan of its fixes (read-only).
pub fn plan(start: &Path, req: &FixRequest) -> Result<(Report, FixPlan)> {
    let ctx = Context::load(start, req.overrides.clone())?;
    let report = doctor::run(&ctx);
    let mut plan = doctor::plan::plan(&report);
    if let Some(id) = req.only {
        plan.fixes.retain(|f| f.checks.contains(&id));
    }
    Ok((report, plan))
}

/// Applies `plan`: the refusal first (destructive fixes, no person, no `yes`), then the
/// safe batch, then each destructive fix.
pub fn apply(
    start: &Path,
    req: &FixRequest,
    plan: &FixPlan,
    confirm: &mut dyn Confirm,
    reporter: &mut dyn Reporter,
    runner: &mut dyn Runner,
) -> Result<Fixed> {
    let safe: Vec<&PlannedFix> = plan.of(FixKind::Safe).collect();
    let destructive: Vec<&PlannedFix> = plan.of(FixKind::Destructive).collect();
    let mut done = Fixed {
        manual: plan.of(FixKind::Manual).cloned().collect(),
        ..Fixed::default()
    };
    if !destructive.is_empty() && !req.yes && !confirm.can_ask() {
        let cmds: Vec<String> = destructive.iter().filter_map(|f| f.command()).collect();
        return Err(Error::Refused(format!(
            "refused: `{}` would replace the environment, and there is no terminal to confirm it (nothing was changed)",
            cmds.join("`, `")
        ))
        .with_fix(Fix::FixAll));
    }
    // Safe fixes: one question for all (applied as `pyve init` would be without a terminal).
    let go = safe.is_empty() || req.yes || !confirm.can_ask() || confirm.batch(&safe);
    for f in &safe {
        if go {
            apply_one(start, req, &f.fix, reporter, runner)?;
            done.applied.push(f.fix.clone());
        } else {
            done.declined.push(f.fix.clone());
        }
    }
    for f in destructive {
        if req.yes || confirm.destructive(f) {
            apply_one(start, req, &f.fix, reporter, runner)?;
            done.applied.push(f.fix.clone());
        } else {
            done.declined.push(f.fix.clone());
        }
    }
    Ok(done)
}

fn apply_one(
    start: &Path,
    req: &FixRequest,
    fix: &Fix,
    reporter: &mut dyn Reporter,
    runner: &mut dyn Runner,
) -> Result<()> {
    match fix {
        Fix::Init(i) => {
            let init = InitRequest {
                env: i.env.clone().or_else(|| req.overrides.env.clone()),
                backend: i.backend.or(req.overrides.backend),
                env_name: req.overrides.env_name.clone(),
                force: i.force,
                ..InitRequest::default()
            };
            super::init::run(start, &init, WhenMissing::Ask, reporter, runner)?;
        }
        Fix::Bootstrap => {
            let ctx = Context::load(start, req.overrides.clone())?;
            let to = crate::engine::bootstrap::Target::default_for(&ctx);
            super::bootstrap::run(
                &ctx,
                &BootstrapRequest {
                    to: Some(to),
                    version: None,
                },
                reporter,
                runner,
            )?;
        }
        // Not pyve's to apply: the plan lists them as manual.
        // Re-locking re-solves every package: the user's call, never a side effect.
        Fix::BootstrapUser
        | Fix::FixAll
        | Fix::Purge
        | Fix::Lock
        | Fix::ChooseBackend
        | Fix::Edit { .. }
        | Fix::Shell { .. } => {}
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Answers {
        can_ask: bool,
        batch: bool,
        destructive: bool,
        asked: Vec<String>,
    }

    impl Confirm for Answers {
        fn can_ask(&self) -> bool {
            self.can_ask
        }
        fn batch(&mut self, fixes: &[&PlannedFix]) -> bool {
            self.asked.push(format!("batch of {}", fixes.len()));
            self.batch
        }
        fn destructive(&mut self, fix: &PlannedFix) -> bool {
            self.asked.push(fix.command().unwrap_or_default());
            self.destructive
        }
    }

    fn planned(fix: Fix, kind: FixKind) -> PlannedFix {
        PlannedFix {
            fix,
            kind,
            checks: vec![CheckId::Env],
            labels: vec!["x".into()],
            words: "w".into(),
        }
    }

    fn the_plan() -> FixPlan {
        FixPlan {
            fixes: vec![
                planned(Fix::init(), FixKind::Safe),
                planned(Fix::rebuild(), FixKind::Destructive),
                planned(Fix::edit(".gitignore", None), FixKind::Manual),
            ],
        }
    }

    #[test]
    fn declined_fixes_are_not_applied_and_each_rebuild_is_asked_alone() {
        let mut a = Answers {
            can_ask: true,
            batch: false,
            destructive: false,
            asked: vec![],
        };
        let done = apply(
            Path::new("/nonexistent"),
            &FixRequest::default(),
            &the_plan(),
            &mut a,
            &mut super::super::Silent,
            &mut super::super::Silent,
        )
        .unwrap();
        assert_eq!(a.asked, ["batch of 1", "pyve init --force"]);
        assert!(done.applied.is_empty());
        assert_eq!(done.declined, [Fix::init(), Fix::rebuild()]);
        assert_eq!(done.manual.len(), 1);
    }

    #[test]
    fn a_rebuild_without_a_person_or_yes_is_refused_before_anything_runs() {
        let mut a = Answers {
            can_ask: false,
            batch: true,
            destructive: true,
            asked: vec![],
        };
        let e = apply(
            Path::new("/nonexistent"),
            &FixRequest::default(),
            &the_plan(),
            &mut a,
            &mut super::super::Silent,
            &mut super::super::Silent,
        )
        .unwrap_err();
        assert_eq!(e.exit_status(), crate::engine::ExitStatus::Usage);
        assert!(e.to_string().contains("no terminal to confirm it"), "{e}");
        assert_eq!(e.fix(), Some(Fix::FixAll));
        assert!(a.asked.is_empty());
    }
}
