//! The sentences both faces say the same way: the plan of an init, a path as a user
//! reads it, the wait for the lock. The CLI and the TUI never import each other; what
//! they share in words lives here, under both.

use std::path::Path;

use pyve_core::engine::init::{Action, InitPlan};
use pyve_core::engine::resolve::{Place, PythonChoice, PythonRequest, RequestSource, Resolution};

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

/// What `lock` is about to do: "Locking environment.yml for linux-64, osx-arm64 with
/// conda-lock" (and the packages `--update` re-solves).
pub fn locking(source: &str, platforms: &[String], update: &[String]) -> String {
    let only = if update.is_empty() {
        String::new()
    } else {
        format!(" (updating {})", update.join(", "))
    };
    format!(
        "Locking {source} for {} with conda-lock{only}",
        platforms.join(", ")
    )
}

/// `lock` replaced conda-lock.yml.
pub fn lock_written(platforms: &[String]) -> String {
    format!("conda-lock.yml written for {}", platforms.join(", "))
}

/// Another pyve command holds the project's lock.
pub fn waiting_for_lock(holder: &str) -> String {
    format!(
        "waiting for .pyve/lock: held by {holder} (another pyve command is changing this project)…"
    )
}

/// How a path reads, in the CLI's messages and the TUI's panes alike: relative inside
/// the project (`.` for the root itself), `~/…` under HOME.
pub fn show_path(root: &Path, p: &Path) -> String {
    if let Ok(rel) = p.strip_prefix(root) {
        return if rel.as_os_str().is_empty() {
            ".".into()
        } else {
            rel.display().to_string()
        };
    }
    let home = pyve_core::engine::project::home_dir();
    if home != Path::new("/")
        && let Ok(rel) = p.strip_prefix(&home)
    {
        return format!("~/{}", rel.display());
    }
    p.display().to_string()
}

/// An edit to make by hand, as both faces say it: "set `venv.directory` in
/// .pyve/config", "edit .pyve/config at line 3".
pub fn edit(file: &Path, line: Option<usize>, key: Option<&str>) -> String {
    match (key, line) {
        (Some(k), _) => format!("set `{k}` in {}", file.display()),
        (None, Some(l)) => format!("edit {} at line {l}", file.display()),
        (None, None) => format!("edit {}", file.display()),
    }
}

/// "removed 3 paths (.pyve/config kept; …)", with what builds the env again.
/// What became of `.envrc` (`init --direnv`), and the hint when it was left alone.
pub fn envrc(e: pyve_core::engine::dotfiles::Envrc) -> (&'static str, Option<String>) {
    use pyve_core::engine::dotfiles::{ENVRC_LINE, Envrc};
    match e {
        Envrc::Written => (
            "wrote .envrc: `direnv allow` makes direnv activate the env here",
            None,
        ),
        Envrc::AlreadyThere => (".envrc already activates the env", None),
        Envrc::Foreign => (
            ".envrc is not pyve's: left as it is, nothing written",
            Some(format!("add this line to it: {ENVRC_LINE}")),
        ),
    }
}

/// What became of `.env` (`init --dotenv`).
pub fn dotenv(created: bool) -> &'static str {
    if created {
        "created .env (empty, mode 0600; ignored by git): `pyve run --env-file .env` loads it"
    } else {
        ".env is already there: left as it is"
    }
}

/// `pyve init`, with `--env NAME` when the env is a named one.
pub fn init_command(env: &pyve_core::engine::envs::Selected) -> String {
    if env.is_default() {
        "pyve init".to_string()
    } else {
        format!("pyve init --env {}", env.name)
    }
}

pub fn purged(n: usize, again: &str) -> String {
    format!(
        "removed {n} path{} (.pyve/config kept; {again} builds the env again)",
        if n == 1 { "" } else { "s" }
    )
}

/// Why this python when nothing requests a version: where it was found says it.
pub fn unrequested_reason(place: Option<Place>) -> &'static str {
    match place {
        Some(Place::Pyenv) => "pyenv's global version (nothing requests one)",
        Some(Place::System) => "python3 on PATH (nothing requests a version)",
        _ => "nothing requests a version: pyenv's global version, else python3 on PATH",
    }
}

/// Why this python was taken: what requested it, or where it was found when nothing did.
pub fn python_choice_reason(
    choice: &PythonChoice,
    root: &Path,
    found: Option<&Resolution>,
) -> String {
    match &choice.request {
        Some(r) => python_reason(r, choice.file.as_deref(), root),
        None => unrequested_reason(found.map(|r| r.place)).to_string(),
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

/// What a fix job did, in one line: the fixes applied and those the user declined.
pub fn fixes_applied(done: &pyve_core::jobs::fix::Fixed) -> String {
    let cmds = |v: &[pyve_core::engine::fix::Fix]| {
        v.iter()
            .filter_map(|f| f.command_line())
            .map(|c| format!("`{c}`"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut parts = Vec::new();
    if !done.applied.is_empty() {
        parts.push(format!("applied {}", cmds(&done.applied)));
    }
    if !done.declined.is_empty() {
        parts.push(format!("not applied {}", cmds(&done.declined)));
    }
    if parts.is_empty() {
        "nothing applied".into()
    } else {
        format!("fixes: {}", parts.join("; "))
    }
}
