//! The sentences both faces say the same way: the plan of an init, a path as a user
//! reads it, the wait for the lock. The CLI and the TUI never import each other; what
//! they share in words lives here, under both.

use std::path::Path;

use pyve_core::engine::init::{Action, InitPlan};
use pyve_core::engine::resolve::{PythonRequest, RequestSource};

/// "Creating .venv with python 3.11.7 (/usr/bin/python3.11, system)" and the reason
/// ("no environment yet"). `ing`: "Creating …" (as it happens) rather than "Create …"
/// (a review before it runs). `prefix` is the env's prefix as the project shows it.
pub fn plan_summary(plan: &InitPlan, prefix: &str, ing: bool) -> String {
    let name = &plan.target.name;
    let verb = match (plan.action, ing) {
        (Action::Create, false) => "Create",
        (Action::Recreate, false) => "Rebuild",
        (Action::Update, false) => "Update",
        (Action::Create, true) => "Creating",
        (Action::Recreate, true) => "Rebuilding",
        (Action::Update, true) => "Updating",
        (Action::Adopt, false) => "Adopt",
        (Action::Adopt, true) => "Adopting",
        (Action::Reuse, _) => "Reuse",
    };
    match (&plan.tool, &plan.env_file) {
        (Some(mm), Some(file)) => format!(
            "{verb} micromamba env {name} at {prefix} from {} with micromamba {} ({}, {})",
            file.display(),
            mm.version,
            mm.path.display(),
            mm.place
        ),
        (Some(py), None) => format!(
            "{verb} {name} with python {} ({}, {})",
            py.version,
            py.path.display(),
            py.place
        ),
        (None, _) => format!("{verb} {name}"),
    }
}

/// "created", "rebuilt", "updated": what an init did.
pub fn done_verb(action: Action) -> &'static str {
    match action {
        Action::Create => "created",
        Action::Recreate => "rebuilt",
        Action::Adopt => "adopted",
        _ => "updated",
    }
}

/// Another pyve command holds the project's lock.
pub fn waiting_for_lock(holder: &str) -> String {
    format!(
        "waiting for .pyve/lock: held by {holder} (another pyve command is changing this project)…"
    )
}

/// How a path reads in messages: relative inside the project, `~/…` under HOME.
pub fn show_path(root: &Path, p: &Path) -> String {
    if let Ok(rel) = p.strip_prefix(root) {
        return rel.display().to_string();
    }
    if let Some(home) = std::env::var_os("HOME").filter(|h| !h.is_empty())
        && let Ok(rel) = p.strip_prefix(&home)
    {
        return format!("~/{}", rel.display());
    }
    p.display().to_string()
}

/// "removed 3 paths (.pyve/config kept; …)", with what builds the env again.
pub fn purged(n: usize, again: &str) -> String {
    format!(
        "removed {n} path{} (.pyve/config kept; {again} builds the env again)",
        if n == 1 { "" } else { "s" }
    )
}

/// Why this python when nothing requests a version: where it was found says it.
pub fn unrequested_reason(place: Option<&str>) -> &'static str {
    match place {
        Some("pyenv") => "pyenv's global version (nothing requests one)",
        Some("system") => "python3 on PATH (nothing requests a version)",
        _ => "nothing requests a version: pyenv's global version, else python3 on PATH",
    }
}

/// Why this python: "requested 3.12 by .python-version", "requested 3.12 by
/// ~/work/.python-version" (an ancestor's), "`system` (the python on PATH) requested by
/// PYENV_VERSION", "the newest satisfying requires-python `>=3.10` (pyproject.toml)".
pub fn python_reason(r: &PythonRequest, file: Option<&Path>, root: &Path) -> String {
    let by = match (r.source, file) {
        (RequestSource::PythonVersionFile, Some(f)) if f.parent() != Some(root) => {
            show_path(root, f)
        }
        _ => r.source.as_str().to_string(),
    };
    match r.source {
        RequestSource::RequiresPython => format!(
            "the newest satisfying requires-python `{}` (pyproject.toml)",
            r.version
        ),
        _ if r.version == pyve_core::engine::resolve::SYSTEM => {
            format!("`system` (the python on PATH) requested by {by}")
        }
        _ => format!("requested {} by {by}", r.version),
    }
}
