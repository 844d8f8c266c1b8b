//! `pyve init --adopt`: whether a venv pyve did not make (uv's, poetry's, `python -m
//! venv`'s) already is what the project asks for, so pyve can record it as its own
//! without rebuilding anything. Judged from files alone: its `pyvenv.cfg` and the
//! `*.dist-info` records of its site-packages; nothing in it is run.

use std::path::Path;

use super::context::Context;
use super::inventory;
use super::venv::ForeignVenv;
use super::venv_spec::{Requirement, Unmet};

/// Why the venv at `prefix` does not fit the project's spec, or `None` when it does:
/// its python answers the python request, and each requirement of requirements.txt
/// (and of the files it includes) is installed, at the pinned version for `==`.
pub fn misfit(
    ctx: &Context,
    prefix: &Path,
    venv: &ForeignVenv,
    install_deps: Option<bool>,
) -> super::Result<Option<String>> {
    let choice = ctx.python_choice()?;
    if let Some(req) = &choice.request {
        match &venv.version {
            Some(v) if req.matches(v) => {}
            Some(v) => {
                return Ok(Some(format!(
                    "its python is {v}, the project asks for {} ({})",
                    req.version,
                    req.source.as_str()
                )));
            }
            None => {
                return Ok(Some(
                    "its pyvenv.cfg says no python version, so it cannot be judged".into(),
                ));
            }
        }
    }
    let root = &ctx.project.root;
    if install_deps == Some(false) || !root.join("requirements.txt").is_file() {
        return Ok(None);
    }
    let installed = inventory::scan(prefix);
    let mut missing = Vec::new();
    for (file, req) in super::venv_spec::requirements(root) {
        match req {
            Requirement::None => {}
            Requirement::Unjudged(what) => {
                return Ok(Some(format!(
                    "{file}: `{what}` is not a name pyve can look up in the venv's records"
                )));
            }
            Requirement::Named { name, pinned } => {
                match super::venv_spec::unmet(&name, pinned.as_deref(), &installed.dists) {
                    Some(Unmet {
                        pinned: Some(v),
                        installed: Some(has),
                        ..
                    }) => missing.push(format!("{name}=={v} (it has {has})")),
                    Some(_) => missing.push(name),
                    None => {}
                }
            }
        }
    }
    Ok((!missing.is_empty()).then(|| format!("it lacks {}", missing.join(", "))))
}
