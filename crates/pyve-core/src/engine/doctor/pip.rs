//! `pip_in_conda`: pip packages in a conda env, judged by the spec. Those the env file
//! declares (its `pip:` list, or `manager: pip` in conda-lock.yml) are expected, and
//! so are the dependencies pip pulled in for them (no `REQUESTED`); what is left was
//! installed behind the spec's back. A distribution both conda and pip installed (a
//! conda-meta record and a pip RECORD claiming its files) is a clash either way.

use std::collections::BTreeSet;

use super::{Check, CheckId, Status};
use crate::engine::fix::Fix;
use crate::engine::inventory::{Clash, Dist, Inventory};
use crate::engine::spec::Spec;

fn plural(n: usize, one: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {one}s")
    }
}

/// The check, from what the env holds and what the spec says (`None`: unreadable).
pub fn check(inv: &Inventory, spec: Option<&Spec>, allowed: bool) -> Check {
    let declared: BTreeSet<&str> = spec
        .map(|s| s.pip.iter().map(|p| p.name.as_str()).collect())
        .unwrap_or_default();
    let file = spec.map(|s| s.file.as_str()).unwrap_or("the env file");
    let pip: Vec<&Dist> = inv.pip().collect();
    let (expected, undeclared): (Vec<&Dist>, Vec<&Dist>) = pip.iter().partition(|d| {
        declared.contains(d.name.as_str()) || (!d.requested && !declared.is_empty())
    });
    let clashes = inv.clashes();
    if pip.is_empty() {
        return Check::new(
            CheckId::PipInConda,
            Status::Ok,
            "pip in conda env: none (all packages from conda)",
        );
    }
    let mut c = if !undeclared.is_empty() && !allowed {
        let names: Vec<&str> = undeclared.iter().map(|d| d.name.as_str()).collect();
        Check::new(
            CheckId::PipInConda,
            Status::Warn,
            format!(
                "pip in conda env: {} not declared in {file} ({})",
                plural(undeclared.len(), "pip package"),
                names.join(", ")
            ),
        )
        .fix(
            Fix::rebuild(),
            if spec.is_some_and(|s| s.locked) {
                "add them to the lock's sources (conda packages, or a `pip:` list), re-lock with `pyve lock`, then `pyve init --force`; or set `micromamba.allow_pip: true` to accept them".to_string()
            } else {
                format!(
                    "add them to {file} (conda packages, or its `pip:` list) and `pyve init --force`; or set `micromamba.allow_pip: true` to accept them"
                )
            },
        )
    } else if !undeclared.is_empty() {
        Check::new(
            CheckId::PipInConda,
            Status::Ok,
            format!(
                "pip in conda env: {}, {} allowed by micromamba.allow_pip",
                plural(pip.len(), "pip package"),
                plural(undeclared.len(), "undeclared one")
            ),
        )
    } else {
        Check::new(
            CheckId::PipInConda,
            Status::Ok,
            format!(
                "pip in conda env: {}, declared in {file}",
                plural(expected.len(), "pip package")
            ),
        )
    };
    for d in &pip {
        let why = if declared.contains(d.name.as_str()) {
            format!("declared in {file}")
        } else if undeclared.iter().any(|u| u.name == d.name) {
            "not declared".to_string()
        } else {
            "a dependency of a declared pip package".to_string()
        };
        c = c.detail(format!("{} {} ({why})", d.name, d.version));
    }
    if !clashes.is_empty() {
        c.status = Status::Warn;
        let names: Vec<&str> = clashes.iter().map(|k| k.name.as_str()).collect();
        c.label = format!(
            "{}; installed by both conda and pip: {}",
            c.label,
            names.join(", ")
        );
        for k in &clashes {
            c = c.detail(describe_clash(k));
        }
        c = c.fix(
            Fix::rebuild(),
            format!(
                "keep each package in one place in {file} (its conda dependencies or its `pip:` list) and `pyve init --force`"
            ),
        );
    }
    c
}

/// "six: conda 1.16.0 and pip 1.17.0 (2 files claimed by both); pip's copy wins …"
pub fn describe_clash(k: &Clash) -> String {
    let shared = if k.shared_files > 0 {
        format!(" ({} claimed by both)", plural(k.shared_files, "file"))
    } else {
        String::new()
    };
    let wins = if k.pip_wins {
        "pip's copy wins: its files are the ones on disk, conda's record of it is stale"
    } else {
        "pip's files overwrote conda's, and both dist-infos remain (importlib.metadata reports whichever it finds first)"
    };
    format!(
        "{}: conda {} and pip {}{shared}; {wins}",
        k.name, k.conda_version, k.pip_version
    )
}
