//! The Fix plan's state: doctor's plan once loaded, and which rebuilds the user chose.

use pyve_core::engine::doctor::plan::{FixKind, FixPlan, PlannedFix};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FixAll {
    /// `None` while the plan loads; `Err` with what went wrong.
    pub plan: Option<Result<FixPlan, String>>,
    /// One per destructive fix, in the plan's order: apply it too? (No by default: a
    /// rebuild is chosen on purpose, as `doctor --fix` asks for each one.)
    pub rebuilds: Vec<bool>,
    /// The destructive fix the cursor is on.
    pub cursor: usize,
}

impl FixAll {
    pub fn loading() -> FixAll {
        FixAll {
            plan: None,
            rebuilds: vec![],
            cursor: 0,
        }
    }

    pub fn loaded(&mut self, plan: Result<FixPlan, String>) {
        self.rebuilds = match &plan {
            Ok(p) => vec![false; p.of(FixKind::Destructive).count()],
            Err(_) => vec![],
        };
        self.cursor = 0;
        self.plan = Some(plan);
    }

    pub fn of(&self, kind: FixKind) -> Vec<&PlannedFix> {
        match &self.plan {
            Some(Ok(p)) => p.of(kind).collect(),
            _ => vec![],
        }
    }

    /// Whether Enter would apply anything: a safe fix, or a rebuild that is chosen.
    pub fn applies_something(&self) -> bool {
        !self.of(FixKind::Safe).is_empty() || self.rebuilds.iter().any(|&r| r)
    }
}
