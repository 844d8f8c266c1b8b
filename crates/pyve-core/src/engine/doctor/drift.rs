//! `drift`: a conda env against its spec, from its records alone (conda-meta and
//! dist-info; no pip, no micromamba): packages the spec names that are not installed,
//! and conda packages installed on request that the spec does not name (with a lock,
//! anything the lock does not list). Undeclared pip packages are `pip_in_conda`'s.

use std::collections::BTreeSet;

use super::{Check, CheckId, Status};
use crate::engine::fix::Fix;
use crate::engine::inventory::Inventory;
use crate::engine::spec::Spec;
use crate::engine::state::EnvState;

pub fn check(state: &EnvState, inv: &Inventory, spec: Option<&Spec>) -> Check {
    let new = |status, label: String| Check::new(CheckId::Drift, status, label);
    if state.record().is_none() {
        return new(Status::Skip, "Drift: no environment".into());
    }
    let Some(spec) = spec else {
        return new(Status::Skip, "Drift: the env file cannot be read".into());
    };
    let conda: BTreeSet<&str> = inv.conda.iter().map(|r| r.name.as_str()).collect();
    let dists: BTreeSet<&str> = inv.dists.iter().map(|d| d.name.as_str()).collect();
    let mut missing: Vec<String> = spec
        .conda
        .iter()
        .filter(|p| !p.name.starts_with("__") && !conda.contains(p.name.as_str()))
        .map(|p| p.name.clone())
        .collect();
    missing.extend(
        spec.pip
            .iter()
            .filter(|p| !dists.contains(p.name.as_str()))
            .map(|p| format!("{} (pip)", p.name)),
    );
    let named: BTreeSet<&str> = spec.conda.iter().map(|p| p.name.as_str()).collect();
    let extra: Vec<String> = inv
        .conda
        .iter()
        .filter(|r| !named.contains(r.name.as_str()))
        .filter(|r| spec.locked || !r.requested_spec.is_empty())
        .map(|r| format!("{} {}", r.name, r.version))
        .collect();
    if missing.is_empty() && extra.is_empty() {
        return new(
            Status::Ok,
            format!(
                "Drift: none ({} conda and {} pip packages as {} says)",
                spec.conda.len(),
                spec.pip.len(),
                spec.file
            ),
        );
    }
    let mut parts = Vec::new();
    if !missing.is_empty() {
        parts.push(format!("missing {}", missing.join(", ")));
    }
    if !extra.is_empty() {
        parts.push(format!("not in {}: {}", spec.file, extra.join(", ")));
    }
    new(Status::Warn, format!("Drift: {}", parts.join("; "))).fix(
        Fix::rebuild(),
        format!(
            "`pyve init --force` rebuilds the env from {} (or add what you keep to it)",
            spec.file
        ),
    )
}
