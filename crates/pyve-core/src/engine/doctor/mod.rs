//! `pyve doctor` (docs/doctor.md): health checks as data. Each check has a stable id;
//! the CLI renders them one line each (✓ ⚠ ✗), the TUI's Health pane lists them.
//!
//! Doctor reads metadata (the state file, pyvenv.cfg, conda-meta records, dist-info
//! INSTALLER files) rather than spawning interpreters; the one process it may start,
//! `micromamba --version`, is cached by the binary's path, size and mtime.

use std::path::{Path, PathBuf};

use serde::Serialize;

use super::context::{Context, EnvTarget};
use super::detect::DecisionSource;
use super::fix::{Fix, InitFix};
use super::inventory::{self, Inventory};
use super::spec::{self, Spec};
use super::state::EnvState;
use super::{BackendKind, micromamba, resolve};

mod drift;
mod pip;
pub mod plan;
mod runnable;

/// How doctor runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Options {
    /// Start the env's python once (cached by its identity) to see that it runs.
    pub probe: bool,
}

impl Default for Options {
    fn default() -> Options {
        Options { probe: true }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Ok,
    Warn,
    Fail,
    Skip,
}

/// Every check doctor runs, in the order it runs them. The ids are stable (they are
/// `doctor --json`'s `id`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CheckId {
    Config,
    Backend,
    Tool,
    Env,
    EnvFresh,
    Python,
    Runnable,
    EnvFile,
    LockFile,
    PipInConda,
    Drift,
    RuntimeMixing,
    Gitignore,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Check {
    pub id: CheckId,
    pub status: Status,
    /// One line, in the original pyve's style: "Backend: micromamba (from environment.yml)".
    pub label: String,
    /// `--verbose`: tried places, versions, paths.
    pub detail: Vec<String>,
    /// What fixes a non-ok check, in words (the command in backticks).
    pub fix: Option<String>,
    /// The same fix as data, when there is an action a face can take or show (`init
    /// --force`, the bootstrap, a shell command, an edit of a file).
    pub action: Option<Fix>,
}

/// `doctor --json`'s check: the fields, plus `command`, the fix's command line.
impl Serialize for Check {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct Json<'a> {
            id: CheckId,
            status: Status,
            label: &'a str,
            detail: &'a [String],
            fix: &'a Option<String>,
            command: Option<String>,
            action: &'a Option<Fix>,
        }
        Json {
            id: self.id,
            status: self.status,
            label: &self.label,
            detail: &self.detail,
            fix: &self.fix,
            command: self.action.as_ref().and_then(Fix::command_line),
            action: &self.action,
        }
        .serialize(s)
    }
}

impl Check {
    fn new(id: CheckId, status: Status, label: impl Into<String>) -> Check {
        Check {
            id,
            status,
            label: label.into(),
            detail: vec![],
            fix: None,
            action: None,
        }
    }
    /// The fix as an action, and the words that explain it.
    fn fix(mut self, action: Fix, words: impl Into<String>) -> Check {
        self.action = Some(action);
        self.fix = Some(words.into());
        self
    }
    fn detail(mut self, d: impl Into<String>) -> Check {
        self.detail.push(d.into());
        self
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    pub ok: usize,
    pub warn: usize,
    pub fail: usize,
    pub skip: usize,
}

#[derive(Clone, Debug, Serialize)]
pub struct Report {
    pub project_root: String,
    /// Which of the project's envs was checked (`default` unless `--env`/`PYVE_ENV`).
    pub env: String,
    pub backend: String,
    pub checks: Vec<Check>,
    pub summary: Summary,
}

impl Report {
    pub fn failed(&self) -> bool {
        self.summary.fail > 0
    }
}

fn summarize(checks: &[Check]) -> Summary {
    let mut s = Summary::default();
    for c in checks {
        match c.status {
            Status::Ok => s.ok += 1,
            Status::Warn => s.warn += 1,
            Status::Fail => s.fail += 1,
            Status::Skip => s.skip += 1,
        }
    }
    s
}

/// A project whose config does not even load still gets a report: one failing check.
/// `fix` is the error's own (the file and line to edit: `.pyve/config` or the original
/// pyve's `pyve.toml`; the command that adds an env `PYVE_ENV` names).
pub fn config_failure(root: &Path, message: String, hint: Option<String>, fix: Fix) -> Report {
    let words = hint.unwrap_or_else(|| match &fix {
        Fix::Edit { file, .. } => format!("edit {} (docs/configuration.md)", file.display()),
        other => other
            .command_line()
            .map(|c| format!("run `{c}`"))
            .unwrap_or_else(|| "edit .pyve/config (docs/configuration.md)".into()),
    });
    let c = Check::new(CheckId::Config, Status::Fail, format!("Config: {message}")).fix(fix, words);
    let checks = vec![c];
    Report {
        project_root: root.display().to_string(),
        env: super::envs::DEFAULT.into(),
        backend: "unknown".into(),
        summary: summarize(&checks),
        checks,
    }
}

/// Runs every check for the context's backend, the probe included.
pub fn run(ctx: &Context) -> Report {
    run_with(ctx, Options::default())
}

/// Runs every check for the context's backend.
pub fn run_with(ctx: &Context, opts: Options) -> Report {
    let mut checks = Vec::new();
    let backend = ctx.backend();

    checks.push(match &ctx.config.file {
        Some(_) => Check::new(CheckId::Config, Status::Ok, "Config: .pyve/config valid"),
        None => Check::new(CheckId::Config, Status::Ok, "Config: none yet (defaults)")
            .detail("`pyve init` writes .pyve/config"),
    });

    let d = &ctx.detection;
    let mut bc = Check::new(
        CheckId::Backend,
        Status::Ok,
        format!("Backend: {} ({})", d.backend, detection_why(ctx)),
    );
    for n in &d.notes {
        bc = bc.detail(n.message.clone());
    }
    if d.warnings().next().is_some() {
        bc.status = Status::Warn;
        bc.label = format!(
            "Backend: {} ({}) — {}",
            d.backend,
            detection_why(ctx),
            short_warning(ctx)
        );
        if d.ambiguous {
            bc = bc.fix(
                Fix::ChooseBackend,
                "make it explicit: `pyve init --backend micromamba` or `pyve init --backend venv`",
            );
        } else {
            // The warning says what is off; it names no command to run.
            bc.fix = d.warnings().next().map(|n| n.message.clone());
        }
    }
    checks.push(bc);

    let target = match ctx.target() {
        Ok(t) => t,
        Err(e) => {
            checks.push(
                Check::new(CheckId::Env, Status::Fail, format!("Environment: {e}")).fix(
                    Fix::Init(InitFix {
                        choose_env_name: true,
                        ..InitFix::default()
                    }),
                    "set a valid env name: `pyve init --env NAME`",
                ),
            );
            return finish(ctx, checks);
        }
    };

    checks.push(tool_check(ctx, backend));
    let state = ctx.env_state(&target);
    let state = match state {
        Ok(s) => s,
        Err(e) => {
            checks.push(Check::new(
                CheckId::Env,
                Status::Fail,
                format!("Environment: {e}"),
            ));
            return finish(ctx, checks);
        }
    };
    checks.extend(env_checks(ctx, &target, &state));
    checks.push(python_check(ctx, &target, &state));
    checks.push(runnable::check(ctx, &target, &state, opts));
    if backend == BackendKind::Micromamba {
        checks.push(env_file_check(ctx));
        checks.push(lock_check(ctx));
        let spec = spec::current(ctx).and_then(Result::ok);
        let inv = inventory::scan(&target.prefix);
        checks.push(pip_in_conda_check(ctx, &state, &inv, spec.as_ref()));
        checks.push(drift::check(&state, &inv, spec.as_ref()));
    } else {
        for id in [CheckId::EnvFile, CheckId::LockFile, CheckId::PipInConda] {
            checks.push(Check::new(id, Status::Skip, skip_label(id)));
        }
        let inv = inventory::scan_names(&target.prefix);
        checks.push(drift::venv_check(&ctx.project.root, &state, &inv));
    }
    checks.push(mixing_check(ctx, &target));
    checks.push(gitignore_check(ctx, &target));
    finish(ctx, checks)
}

fn finish(ctx: &Context, mut checks: Vec<Check>) -> Report {
    if !ctx.env.is_default() {
        for c in &mut checks {
            for_named_env(c, &ctx.env.name);
        }
    }
    Report {
        project_root: ctx.project.root.display().to_string(),
        env: ctx.env.name.clone(),
        backend: ctx.backend().to_string(),
        summary: summarize(&checks),
        checks,
    }
}

/// The commands a fix may name that act on one env: for a named env they take
/// `--env NAME`.
const PER_ENV_COMMANDS: &[&str] = &["init", "lock", "purge"];

/// A check of a named env: its fixes are for that env (`--env NAME`), in the data and
/// in the words.
fn for_named_env(c: &mut Check, name: &str) {
    if let Some(Fix::Init(i)) = &mut c.action {
        i.env = Some(name.to_string());
    }
    if let Some(words) = &mut c.fix {
        for cmd in PER_ENV_COMMANDS {
            for end in [" ", "`"] {
                *words = words.replace(
                    &format!("`pyve {cmd}{end}"),
                    &format!("`pyve {cmd} --env {name}{end}"),
                );
            }
        }
    }
}

fn skip_label(id: CheckId) -> &'static str {
    match id {
        CheckId::EnvFile => "Environment file: not used by the venv backend",
        CheckId::LockFile => "Lock file: not used by the venv backend",
        _ => "pip in conda env: not a conda env",
    }
}

fn detection_why(ctx: &Context) -> String {
    let d = &ctx.detection;
    match d.source {
        DecisionSource::Flag => "from --backend".into(),
        DecisionSource::Config => "from .pyve/config".into(),
        DecisionSource::CondaSpec | DecisionSource::PipSpec => {
            format!("from {}", d.evidence.join(", "))
        }
        DecisionSource::Default => "default".into(),
    }
}

fn short_warning(ctx: &Context) -> String {
    let d = &ctx.detection;
    if d.ambiguous {
        format!(
            "both {} and {} present",
            ctx.specs.conda.join(", "),
            ctx.specs.pip.join(", ")
        )
    } else if d.backend == BackendKind::Venv && !ctx.specs.conda.is_empty() {
        format!("{} ignored", ctx.specs.conda.join(", "))
    } else {
        "no conda spec".into()
    }
}

fn tool_check(ctx: &Context, backend: BackendKind) -> Check {
    let t = ctx.resolve_tool_for(backend);
    let mut c = match (&t.found, t.kind) {
        (Some(r), "micromamba") => Check::new(
            CheckId::Tool,
            Status::Ok,
            format!("Micromamba: {} (v{})", r.path.display(), r.version),
        ),
        (Some(r), _) => Check::new(
            CheckId::Tool,
            Status::Ok,
            format!(
                "Base python: {} ({}, {})",
                r.path.display(),
                r.version,
                r.place
            ),
        ),
        (None, "micromamba") => Check::new(CheckId::Tool, Status::Fail, "Micromamba: not found"),
        (None, _) => Check::new(
            CheckId::Tool,
            Status::Fail,
            format!(
                "Base python: {} not found",
                t.request
                    .as_ref()
                    .map(|r| r.version.as_str())
                    .unwrap_or("python3")
            ),
        ),
    };
    if let (Some(words), Some(action)) = (&t.fix, &t.action) {
        c = c.fix(action.clone(), words.clone());
    }
    for tr in &t.tried {
        c = c.detail(format!(
            "{} {}: {}",
            tr.place,
            tr.path.display(),
            tr.outcome
        ));
    }
    for f in &t.others {
        c = c.detail(format!("found {f}"));
    }
    c
}

/// The config key that moves an env elsewhere.
fn config_key(backend: BackendKind) -> &'static str {
    match backend {
        BackendKind::Venv => "venv.directory",
        BackendKind::Micromamba => "micromamba.prefix",
    }
}

fn env_checks(ctx: &Context, target: &EnvTarget, state: &EnvState) -> Vec<Check> {
    let shown = ctx.project.display(&target.prefix).into_owned();
    let env = match state {
        EnvState::Missing => Check::new(
            CheckId::Env,
            Status::Fail,
            format!("Environment: {shown} missing"),
        )
        .fix(Fix::init(), "`pyve init` creates it"),
        EnvState::Incomplete { reason, foreign } => Check::new(
            CheckId::Env,
            Status::Fail,
            format!("Environment: {shown} incomplete"),
        )
        .detail(reason.clone())
        .fix(
            if *foreign {
                Fix::edit(".pyve/config", Some(config_key(target.backend)))
            } else {
                Fix::init()
            },
            if *foreign {
                format!(
                    "pyve did not make it and will not delete it: remove it yourself if you no longer need it, or set {} in .pyve/config",
                    config_key(target.backend)
                )
            } else {
                "`pyve init` rebuilds it".to_string()
            },
        ),
        EnvState::Unmanaged { reason, .. } => Check::new(
            CheckId::Env,
            Status::Warn,
            format!("Environment: {shown} not managed by pyve"),
        )
        .detail(reason.clone())
        .fix(
            Fix::adopt(),
            "`pyve run` uses it as it is; `pyve init --adopt` takes it over when it fits the spec",
        ),
        EnvState::Stale { .. } | EnvState::Ready { .. } => {
            Check::new(CheckId::Env, Status::Ok, format!("Environment: {shown}"))
                .detail(target.prefix.display().to_string())
        }
    };
    let fresh = match state {
        EnvState::Stale { changed, .. } => Check::new(
            CheckId::EnvFresh,
            Status::Warn,
            format!(
                "Environment up to date: no — {}",
                super::state::describe_changes(changed)
            ),
        )
        .fix(Fix::init(), "`pyve init` updates it"),
        EnvState::Ready { .. } => {
            Check::new(CheckId::EnvFresh, Status::Ok, "Environment up to date: yes")
        }
        _ => Check::new(
            CheckId::EnvFresh,
            Status::Skip,
            "Environment up to date: no environment",
        ),
    };
    vec![env, fresh]
}

fn python_check(ctx: &Context, target: &EnvTarget, state: &EnvState) -> Check {
    let Some(record) = state.record() else {
        return Check::new(CheckId::Python, Status::Skip, "Python: no environment");
    };
    let python = &record.python;
    // The python really there: pyvenv.cfg for a venv, conda-meta for a conda env.
    let now = match target.backend {
        BackendKind::Venv => super::venv::pyvenv_version(&target.prefix),
        BackendKind::Micromamba => micromamba::conda_python(&target.prefix).map(|(_, v)| v),
    };
    let Some(version) = now.filter(|v| !v.is_empty()) else {
        return match target.backend {
            BackendKind::Micromamba => {
                Check::new(CheckId::Python, Status::Warn, "Python: none in the env").fix(
                    Fix::init(),
                    "add `python` to the env file's dependencies and run `pyve init`",
                )
            }
            BackendKind::Venv => Check::new(
                CheckId::Python,
                Status::Fail,
                "Python: the venv's python is gone",
            )
            .fix(Fix::rebuild(), "`pyve init --force` rebuilds the venv"),
        };
    };
    if !python.path.exists() {
        return Check::new(
            CheckId::Python,
            Status::Fail,
            format!("Python: {} missing", python.path.display()),
        )
        .fix(Fix::rebuild(), "`pyve init --force` rebuilds the env");
    }
    let request = match target.backend {
        BackendKind::Venv => ctx.python_request().ok().flatten(),
        BackendKind::Micromamba => None,
    };
    match request {
        Some(r) if !resolve::version_matches(&r.version, &version) => Check::new(
            CheckId::Python,
            Status::Fail,
            format!(
                "Python: {version}, but {} asks for {}",
                r.source.as_str(),
                r.version
            ),
        )
        .fix(
            Fix::init(),
            "`pyve init` rebuilds the venv with the requested python",
        ),
        _ => Check::new(CheckId::Python, Status::Ok, format!("Python: {version}"))
            .detail(python.path.display().to_string()),
    }
}

fn env_file_check(ctx: &Context) -> Check {
    let Some((file, why)) = ctx.env_file() else {
        return Check::new(CheckId::EnvFile, Status::Fail, "Environment file: none").fix(
            Fix::edit("environment.yml", None),
            "write environment.yml (or conda-lock.yml), or `pyve init --backend venv`",
        );
    };
    let path = ctx.project.root.join(&file);
    let shown = file.display().to_string();
    match crate::sys::fs::read_text(&path, crate::sys::fs::FILE_CAP) {
        Err(e) => Check::new(
            CheckId::EnvFile,
            Status::Fail,
            format!("Environment file: {shown} unreadable ({e})"),
        ),
        Ok(text) => match serde_saphyr::from_str::<serde_json::Value>(&text) {
            Ok(serde_json::Value::Object(_)) => Check::new(
                CheckId::EnvFile,
                Status::Ok,
                format!(
                    "Environment file: {shown}; channels: {}",
                    super::channels::describe(&super::channels::effective(ctx), &shown)
                ),
            )
            .detail(why),
            Ok(_) => Check::new(
                CheckId::EnvFile,
                Status::Fail,
                format!("Environment file: {shown} is not a mapping"),
            )
            .fix(
                Fix::edit(&file, None),
                "an env file has `name:`, `channels:` and `dependencies:` keys",
            ),
            Err(e) => {
                let err = super::config::yaml_error(&shown, &e);
                Check::new(
                    CheckId::EnvFile,
                    Status::Fail,
                    format!("Environment file: {err}"),
                )
                .fix(Fix::edit(&file, None), format!("fix the YAML in {shown}"))
            }
        },
    }
}

fn lock_check(ctx: &Context) -> Check {
    let lock = ctx.project.root.join("conda-lock.yml");
    if !lock.is_file() {
        return Check::new(
            CheckId::LockFile,
            Status::Skip,
            "Lock file: none (conda-lock.yml)",
        );
    }
    match condalock::check(&lock, &ctx.project.root) {
        Ok(v) if v.is_up_to_date() => {
            let mut c = Check::new(
                CheckId::LockFile,
                Status::Ok,
                "Lock file: conda-lock.yml (up to date)",
            );
            for (p, _) in &v.per_platform {
                c = c.detail(format!("{p}: content hash matches its sources"));
            }
            c
        }
        Ok(v) => {
            let explained = super::lockdiff::explain(&ctx.project.root, &v);
            let mut c = Check::new(
                CheckId::LockFile,
                Status::Warn,
                format!(
                    "Lock file: conda-lock.yml stale for {}{}",
                    v.stale_platforms().join(", "),
                    super::lockdiff::summary(&explained)
                        .map(|s| format!(" — {s}"))
                        .unwrap_or_default()
                ),
            )
            .fix(Fix::Lock, lock_fix(&v));
            for (p, verdict) in &v.per_platform {
                c = c.detail(format!("{p}: {}", describe_verdict(verdict)));
                if let Some((_, Some(changes))) = explained.iter().find(|(q, _)| q == p) {
                    for ch in changes {
                        c = c.detail(format!("{p}: {ch}"));
                    }
                }
            }
            c
        }
        Err(e) => Check::new(CheckId::LockFile, Status::Fail, format!("Lock file: {e}")).fix(
            Fix::edit("conda-lock.yml", None),
            "fix conda-lock.yml, or regenerate it with `pyve lock`",
        ),
    }
}

/// What a platform's verdict means, in words (doctor details, `pyve lock --check`).
pub fn describe_verdict(v: &condalock::PlatformVerdict) -> String {
    use condalock::PlatformVerdict as V;
    match v {
        V::UpToDate => "up to date".into(),
        V::Stale { expected, actual } => format!(
            "stale: the sources hash to {}…, the lock records {}",
            &expected[..expected.len().min(12)],
            if actual.is_empty() {
                "nothing".to_string()
            } else {
                format!("{}…", &actual[..actual.len().min(12)])
            }
        ),
        V::SourceMissing(paths) => format!(
            "cannot check: source {} missing",
            paths
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        ),
        V::NotLocked { .. } => {
            "not locked: the sources name this platform, the lock has no entry".into()
        }
    }
}

/// The command that regenerates the lock from its sources: `pyve lock` (conda-lock
/// with pyve's micromamba, then the env from the lock).
pub fn lock_command(_: &condalock::LockVerdict) -> String {
    "pyve lock".to_string()
}

/// The fix for a stale lock, in words.
pub fn lock_fix(v: &condalock::LockVerdict) -> String {
    format!("regenerate it: `{}`", lock_command(v))
}

fn pip_in_conda_check(
    ctx: &Context,
    state: &EnvState,
    inv: &Inventory,
    spec: Option<&Spec>,
) -> Check {
    if state.record().is_none() {
        return Check::new(
            CheckId::PipInConda,
            Status::Skip,
            "pip in conda env: no environment",
        );
    }
    pip::check(inv, spec, ctx.config.micromamba.allow_pip == Some(true))
}

fn mixing_check(ctx: &Context, target: &EnvTarget) -> Check {
    let mut problems: Vec<(Status, String, String)> = Vec::new();
    let venv = ctx.venv_dir();
    match target.backend {
        BackendKind::Venv => {
            // The venv's base python, from pyvenv.cfg's `home`, must not be a conda python.
            if let Some(home) = pyvenv_home(&target.prefix)
                && let Some((what, prefix)) = resolve::foreign_prefix(&home)
                && what == "conda prefix"
            {
                problems.push((
                    Status::Fail,
                    format!(
                        "the venv's base python lives in a conda prefix ({})",
                        prefix.display()
                    ),
                    "`pyve init --force` rebuilds it from an asdf, pyenv or system python".into(),
                ));
            }
            if let Some(first) = first_python_on_path()
                && let Some(dir) = first.parent()
                && let Some((what, prefix)) = resolve::foreign_prefix(dir)
                && what == "conda prefix"
            {
                problems.push((
                    Status::Warn,
                    format!("a conda python is first on PATH ({})", prefix.display()),
                    "`conda deactivate` (pyve run is not affected: it strips it)".into(),
                ));
            }
            let envs = ctx.project.envs_dir();
            // With several envs configured, envs of both kinds are the point.
            if ctx.whole.envs.is_empty()
                && envs.is_dir()
                && std::fs::read_dir(&envs)
                    .map(|mut d| d.next().is_some())
                    .unwrap_or(false)
            {
                problems.push((
                    Status::Warn,
                    "both .venv and a micromamba env (.pyve/envs) exist".into(),
                    "remove the one you do not use: `pyve purge` then `pyve init`".into(),
                ));
            }
        }
        BackendKind::Micromamba => {
            if ctx.whole.envs.is_empty() && venv.join("pyvenv.cfg").is_file() {
                problems.push((
                    Status::Warn,
                    format!(
                        "both {} and a micromamba env exist",
                        ctx.project.display(&venv)
                    ),
                    format!("remove {} if it is not used", ctx.project.display(&venv)),
                ));
            }
        }
    }
    if problems.is_empty() {
        return Check::new(CheckId::RuntimeMixing, Status::Ok, "Runtime mixing: none");
    }
    let status = if problems.iter().any(|p| p.0 == Status::Fail) {
        Status::Fail
    } else {
        Status::Warn
    };
    let mut c = Check::new(
        CheckId::RuntimeMixing,
        status,
        format!(
            "Runtime mixing: {}",
            problems
                .iter()
                .map(|p| p.1.as_str())
                .collect::<Vec<_>>()
                .join("; ")
        ),
    );
    c.fix = Some(
        problems
            .iter()
            .map(|p| p.2.as_str())
            .collect::<Vec<_>>()
            .join("; "),
    );
    c
}

fn pyvenv_home(prefix: &Path) -> Option<PathBuf> {
    let text = crate::sys::fs::read_small(&prefix.join("pyvenv.cfg"))?;
    text.lines().find_map(|l| {
        let (k, v) = l.split_once('=')?;
        (k.trim() == "home").then(|| PathBuf::from(v.trim()))
    })
}

fn first_python_on_path() -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    crate::sys::process::find_program(std::ffi::OsStr::new("python"), &path)
        .or_else(|| crate::sys::process::find_program(std::ffi::OsStr::new("python3"), &path))
}

fn gitignore_check(ctx: &Context, target: &EnvTarget) -> Check {
    let root = &ctx.project.root;
    // The project may live anywhere inside a repository (a monorepo, an example dir).
    let Some(repo) = root.ancestors().find(|d| d.join(".git").exists()) else {
        return Check::new(
            CheckId::Gitignore,
            Status::Skip,
            "Git: not a git repository",
        );
    };
    let mut missing = Vec::new();
    let ignored_by_own_file = |dir: &Path| {
        crate::sys::fs::read_small(&dir.join(".gitignore"))
            .map(|t| t.lines().any(|l| l.trim() == "*"))
            .unwrap_or(false)
    };
    // pyve's own .gitignore files settle the usual case by reading a file; anything
    // else is git's call (its patterns, nested and global excludes): one
    // `git check-ignore`, only then.
    // The repository's own configuration may name commands (core.fsmonitor) that git
    // would run: switched off, so asking git runs nothing the project chose.
    // Watched like every helper (decision 0017): it dies with pyve.
    let git_ignores = |path: &Path| {
        let mut git = std::process::Command::new("git");
        git.arg("-C")
            .arg(repo)
            .args([
                "-c",
                "core.fsmonitor=false",
                "-c",
                "core.hooksPath=/dev/null",
            ])
            .args(["check-ignore", "-q", "--"])
            .arg(path)
            .stdin(std::process::Stdio::null());
        crate::sys::watchdog::output(&mut git).is_ok_and(|o| o.status.code() == Some(0))
    };
    match target.backend {
        BackendKind::Venv => {
            let rel = ctx.project.display(&target.prefix).into_owned();
            if target.prefix.exists()
                && !ignored_by_own_file(&target.prefix)
                && !git_ignores(&target.prefix)
            {
                missing.push(rel);
            }
        }
        BackendKind::Micromamba => {
            let pyve_ignores_envs =
                crate::sys::fs::read_small(&ctx.project.pyve_dir().join(".gitignore"))
                    .map(|t| {
                        t.lines().any(|l| {
                            l.trim().trim_start_matches('/').trim_end_matches('/') == "envs"
                        })
                    })
                    .unwrap_or(false);
            let envs = ctx.project.envs_dir();
            if envs.exists() && !pyve_ignores_envs && !git_ignores(&envs) {
                missing.push(".pyve/envs".to_string());
            }
        }
    }
    if missing.is_empty() {
        Check::new(CheckId::Gitignore, Status::Ok, "Git: environments ignored")
    } else {
        Check::new(
            CheckId::Gitignore,
            Status::Warn,
            format!("Git: {} not ignored", missing.join(", ")),
        )
        .fix(
            Fix::edit(".gitignore", None),
            format!(
                "add {} to .gitignore",
                missing
                    .iter()
                    .map(|m| format!("/{m}/"))
                    .collect::<Vec<_>>()
                    .join(" and ")
            ),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_named_envs_fixes_name_it_in_every_per_env_command() {
        let mut c = Check::new(CheckId::PipInConda, Status::Fail, "pip".to_string()).fix(
            Fix::rebuild(),
            "add them to the lock's sources, re-lock with `pyve lock`, then `pyve init --force`; `pyve purge` removes it; `pyve initialize` and `pyve run` are left",
        );
        for_named_env(&mut c, "dev");
        assert_eq!(
            c.fix.as_deref(),
            Some(
                "add them to the lock's sources, re-lock with `pyve lock --env dev`, then `pyve init --env dev --force`; `pyve purge --env dev` removes it; `pyve initialize` and `pyve run` are left"
            )
        );
        assert_eq!(
            c.action.and_then(|a| a.command_line()).as_deref(),
            Some("pyve init --env dev --force")
        );
    }
}
