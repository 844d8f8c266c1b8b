//! `drift`: an env against its spec, from its records alone (conda-meta and
//! dist-info; no pip, no micromamba). A conda env: packages the spec names that are
//! not installed, and conda packages installed on request that the spec does not name
//! (with a lock, anything the lock does not list); undeclared pip packages are
//! `pip_in_conda`'s. A venv: requirements (requirements.txt, its includes,
//! pyproject's dependencies) that are not installed or not at their `==` pin, and
//! distributions installed on request (pip's `REQUESTED` mark) that none names.

use std::collections::BTreeSet;
use std::path::Path;

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

/// What a venv installs besides its requirements on its own (pip's tools, the build
/// backends `pip install -e .` pulls in), never drift.
const VENV_TOOLS: &[&str] = &["pip", "setuptools", "wheel"];

/// The venv check: its dist-info records against what the project declares.
pub fn venv_check(root: &Path, state: &EnvState, inv: &Inventory) -> Check {
    use crate::engine::venv_spec::{self, Requirement, Unmet};
    let new = |status, label: String| Check::new(CheckId::Drift, status, label);
    if state.record().is_none() {
        return new(Status::Skip, "Drift: no environment pyve built".into());
    }
    // The project's own dependencies count once the project is installed in the venv.
    let pyproject = venv_spec::pyproject(root);
    let project = pyproject
        .name
        .filter(|n| inv.dists.iter().any(|d| &d.name == n));
    let mut reqs: Vec<Requirement> = venv_spec::requirements(root)
        .into_iter()
        .map(|(_, r)| r)
        .collect();
    if project.is_some() {
        reqs.extend(
            pyproject
                .dependencies
                .iter()
                .map(|d| venv_spec::requirement(d)),
        );
    }
    let mut declared: BTreeSet<String> = BTreeSet::new();
    let mut missing = Vec::new();
    let mut unjudged = 0usize;
    for req in reqs {
        match req {
            Requirement::None => {}
            Requirement::Unjudged(_) => unjudged += 1,
            Requirement::Named { name, pinned } => {
                match venv_spec::unmet(&name, pinned.as_deref(), &inv.dists) {
                    Some(Unmet {
                        pinned: Some(v),
                        installed: Some(has),
                        ..
                    }) => missing.push(format!("{name}=={v} (installed: {has})")),
                    Some(_) => missing.push(name.clone()),
                    None => {}
                }
                declared.insert(name);
            }
        }
    }
    let extra: Vec<String> = inv
        .dists
        .iter()
        .filter(|d| d.requested && !declared.contains(&d.name))
        .filter(|d| Some(&d.name) != project.as_ref() && !VENV_TOOLS.contains(&d.name.as_str()))
        .map(|d| format!("{} {}", d.name, d.version))
        .collect();
    let spec = if project.is_some() {
        "requirements.txt and pyproject.toml"
    } else {
        "requirements.txt"
    };
    if missing.is_empty() && extra.is_empty() {
        let mut label = format!(
            "Drift: none ({} requirements installed as declared",
            declared.len()
        );
        if unjudged > 0 {
            label.push_str(&format!(
                "; {unjudged} not judged by name: a URL, a path or an editable"
            ));
        }
        label.push(')');
        return new(Status::Ok, label);
    }
    let mut parts = Vec::new();
    if !missing.is_empty() {
        parts.push(format!("missing {}", missing.join(", ")));
    }
    if !extra.is_empty() {
        parts.push(format!(
            "installed by hand, not in {spec}: {}",
            extra.join(", ")
        ));
    }
    new(Status::Warn, format!("Drift: {}", parts.join("; "))).fix(
        Fix::rebuild(),
        format!("`pyve init --force` rebuilds the venv from {spec} (or add what you keep to it)"),
    )
}
