//! The Purge confirmation's state: the paths `purge` would remove, once listed.

use std::path::PathBuf;

pub use pyve_core::jobs::purge::Scope;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PurgeItemView {
    pub path: PathBuf,
    pub shown: String,
    pub what: String,
    pub is_link: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PurgeConfirm {
    /// What is listed: everything, or the env shown (`pyve purge --env NAME`).
    pub scope: Scope,
    /// With several envs, the env shown: `a` switches between it and everything.
    pub env_shown: Option<String>,
    /// `None` while the list loads.
    pub items: Option<Result<Vec<PurgeItemView>, String>>,
}

impl PurgeConfirm {
    /// With several envs the confirmation starts on the env shown, as every other job
    /// started from the TUI acts on it; with one, on everything, as `pyve purge` does.
    pub fn new(env_shown: Option<String>) -> PurgeConfirm {
        PurgeConfirm {
            scope: env_shown.clone().map_or(Scope::All, Scope::Env),
            env_shown,
            items: None,
        }
    }

    /// `a`: the env shown ⇄ everything; the list loads again.
    pub fn widen_or_narrow(&mut self) -> Option<Scope> {
        let env = self.env_shown.clone()?;
        self.scope = match self.scope {
            Scope::All => Scope::Env(env),
            Scope::Env(_) => Scope::All,
        };
        self.items = None;
        Some(self.scope.clone())
    }
}
