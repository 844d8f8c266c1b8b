//! `pyve run`: the hot path. Reads the state file, builds the child's environment from
//! the env's recorded activation, finds the program, and hands back a plan the CLI
//! `exec`s. No tokio, no subprocess, and nothing parsed that can be skipped: a ready
//! env is planned before anything else is looked at (`PYVE_FROZEN` included).
//!
//! An env that is missing, stale or half-built is not run in by default: the plan
//! says so ([`Planned::Sync`]) and the face runs the init job first, as `uv run` does
//! (docs/decisions/0019-run-keeps-the-env-in-step.md).

use std::ffi::{OsStr, OsString};
use std::path::{Path, PathBuf};

use super::context::{Context, EnvTarget};
use super::fix::Fix;
use super::state::{Activation, Change, EnvRecord, EnvState};
use super::{Error, Result};

#[derive(Debug)]
pub struct RunPlan {
    pub program: PathBuf,
    pub argv0: OsString,
    pub args: Vec<OsString>,
    pub env: Vec<(OsString, OsString)>,
    /// Said once on stderr before the command runs (a stale env, …).
    pub warnings: Vec<String>,
    /// Said once on stderr, not a warning (a venv pyve did not make).
    pub notes: Vec<String>,
}

/// What `run` does with an env that is not ready.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum SyncMode {
    /// Create, update or rebuild it first (the default), unless `PYVE_FROZEN=1`.
    #[default]
    Auto,
    /// `--frozen`: never change the env; fail when it is missing or stale.
    Frozen,
    /// `--no-sync` (and the TUI's Run prompt): run in what is there; a stale env is
    /// warned about, a missing one is an error.
    NoSync,
}

/// How `run` was asked to behave.
#[derive(Clone, Debug, Default)]
pub struct RunOptions {
    /// `--allow-pip`.
    pub allow_pip: bool,
    pub sync: SyncMode,
    /// `--env-file PATH` (as given, from the working directory); `run.env_file` in
    /// .pyve/config when not given.
    pub env_file: Option<PathBuf>,
}

/// A plan to exec, or the env to bring in step first.
#[derive(Debug)]
pub enum Planned {
    Run(RunPlan),
    Sync(OutOfStep),
}

/// The env `run` needs and why it is not ready: what the face says before it runs
/// the init job.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OutOfStep {
    /// The env as the project shows it (`.venv`, `demo`).
    pub env: String,
    pub why: OutOfStepWhy,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum OutOfStepWhy {
    Missing,
    Stale(Vec<Change>),
    /// A previous init did not finish (never a directory pyve did not make).
    Incomplete(String),
}

impl OutOfStep {
    /// "no environment yet (.venv): creating it first".
    pub fn announce(&self) -> String {
        match &self.why {
            OutOfStepWhy::Missing => {
                format!("no environment yet ({}): creating it first", self.env)
            }
            OutOfStepWhy::Stale(changed) => format!(
                "{} since {} was built: updating it first",
                super::state::describe_changes(changed),
                self.env
            ),
            OutOfStepWhy::Incomplete(reason) => {
                format!("{} is incomplete ({reason}): rebuilding it first", self.env)
            }
        }
    }
}

/// Variables by which a shell says "this env is active": they must not leak from the
/// caller into a child running in another env.
pub fn is_activation_var(key: &OsStr) -> bool {
    // On the bytes: every name here is ASCII, and this runs for each variable.
    let k = key.as_encoded_bytes();
    k.starts_with(b"CONDA_")
        || k.starts_with(b"MAMBA_")
        || k.starts_with(b"_CE_")
        || k.starts_with(b"VIRTUAL_ENV")
        || k == b"PYTHONHOME"
        || k == b"__PYVENV_LAUNCHER__"
}

/// Whether PATH entries are other envs' bin directories (a venv's or a conda
/// prefix's, `condabin` included). The answer is the parent's, so siblings and
/// repeated entries (`/usr/bin`, `/usr/sbin`) cost one look, not one each.
#[derive(Default)]
struct EnvBins {
    seen: Vec<(PathBuf, bool)>,
}

impl EnvBins {
    fn is_env_bin(&mut self, dir: &Path) -> bool {
        let Some(parent) = dir.parent() else {
            return false;
        };
        // The same bytes, not the same components: a miss only costs a second look.
        let parent_bytes = parent.as_os_str();
        if let Some((_, known)) = self
            .seen
            .iter()
            .find(|(p, _)| p.as_os_str() == parent_bytes)
        {
            return *known;
        }
        let answer = super::resolve::foreign_prefix(dir).is_some();
        self.seen.push((parent.to_path_buf(), answer));
        answer
    }
}

/// The child's environment: the caller's, minus other envs' activation variables and
/// bin dirs, plus this env's activation.
pub fn child_env(
    caller: impl Iterator<Item = (OsString, OsString)>,
    activation: &Activation,
) -> Vec<(OsString, OsString)> {
    let mut path: Vec<PathBuf> = activation.path_prepend.clone();
    let mut env: Vec<(OsString, OsString)> = Vec::new();
    let mut env_bins = EnvBins::default();
    for (k, v) in caller {
        if k == "PATH" {
            path.extend(
                std::env::split_paths(&v)
                    .filter(|d| !activation.path_prepend.contains(d) && !env_bins.is_env_bin(d)),
            );
        } else if !is_activation_var(&k) && !activation_sets(activation, &k) {
            env.push((k, v));
        }
    }
    for (k, v) in &activation.set {
        env.push((k.into(), v.into()));
    }
    let joined = std::env::join_paths(&path).unwrap_or_default();
    env.push(("PATH".into(), joined));
    env
}

/// The activation sets `key` (a name that is not UTF-8 compared as it is shown).
fn activation_sets(activation: &Activation, key: &OsStr) -> bool {
    match key.to_str() {
        Some(k) => activation.set.contains_key(k),
        None => activation.set.contains_key(&*key.to_string_lossy()),
    }
}

/// Plans running `cmd` in the project's env.
pub fn plan(ctx: &Context, cmd: &[OsString], opts: &RunOptions) -> Result<Planned> {
    let Some((program, args)) = cmd.split_first() else {
        return Err(Error::Usage(
            "pyve run needs a command, e.g. `pyve run python -V` or `pyve run -- pytest -x`".into(),
        ));
    };
    let found = match find(ctx, opts.sync)? {
        Found::Sync(o) => return Ok(Planned::Sync(o)),
        Found::Env(found) => found,
    };
    let mut plan = plan_in(ctx, found, program, args, cmd, opts)?;
    with_env_file(ctx, opts, &mut plan.env)?;
    Ok(Planned::Run(plan))
}

/// The plan in the env [`find`] chose.
fn plan_in(
    ctx: &Context,
    found: Chosen,
    program: &OsString,
    args: &[OsString],
    cmd: &[OsString],
    opts: &RunOptions,
) -> Result<RunPlan> {
    let Chosen {
        target,
        record,
        activation,
        warnings,
        notes,
    } = found;
    if let Some(record) = &record {
        pip_guard(ctx, &target, cmd, opts.allow_pip)?;
        // No cached activation (capture failed, or a record without one): let micromamba
        // activate for real.
        if activation.is_none() {
            return Ok(through_micromamba(ctx, &target, record, cmd, warnings));
        }
    }
    let activation = activation.unwrap_or_default();
    // A conda env without python: `python` must not silently be another one on PATH.
    let no_python = record.as_ref().is_some_and(|record| {
        target.backend == super::BackendKind::Micromamba
            && record.python.version.is_empty()
            && is_python_command(program)
            && !record.prefix.join("bin").join(program).exists()
    });
    let mut plan = direct(
        ctx,
        &target,
        &activation,
        no_python,
        program,
        args,
        warnings,
    )?;
    plan.notes.extend(notes);
    Ok(plan)
}

/// The dotenv file's variables (`--env-file`, else `run.env_file`) added to the
/// command's environment: over the caller's variables, never over the env's
/// activation (`PATH`, `VIRTUAL_ENV`, `CONDA_*`), which is the env's own.
fn with_env_file(
    ctx: &Context,
    opts: &RunOptions,
    env: &mut Vec<(OsString, OsString)>,
) -> Result<()> {
    let (path, shown) = match (&opts.env_file, &ctx.config.run_env_file) {
        (Some(p), _) => (p.clone(), p.display().to_string()),
        (None, Some(p)) => (ctx.project.root.join(p), p.display().to_string()),
        (None, None) => return Ok(()),
    };
    for (k, v) in super::dotenv::load(&path, &shown)? {
        let key = OsString::from(&k);
        if k == "PATH" || is_activation_var(&key) {
            continue;
        }
        env.retain(|(n, _)| *n != key);
        env.push((key, v.into()));
    }
    Ok(())
}

/// The env run would use, with its activation: what `pyve shell` starts with and what
/// `pyve shell-hook` prints.
pub struct Active {
    pub target: EnvTarget,
    /// The caller's environment with the env's activation applied (as `run`'s child
    /// gets it).
    pub env: Vec<(OsString, OsString)>,
    pub warnings: Vec<String>,
    pub notes: Vec<String>,
}

/// An active env, or the env to bring in step first.
pub enum Activated {
    Ready(Active),
    Sync(OutOfStep),
}

/// The activation `run` applies, without a command: for shells.
pub fn activate(ctx: &Context, sync: SyncMode) -> Result<Activated> {
    let found = match find(ctx, sync)? {
        Found::Sync(o) => return Ok(Activated::Sync(o)),
        Found::Env(found) => found,
    };
    let Some(activation) = found.activation else {
        return Err(Error::Missing(format!(
            "no cached activation for {}: a shell cannot be set up without it — `pyve init --force` captures it again",
            found.target.name
        )));
    };
    let mut warnings = found.warnings;
    let env = applied(&activation, &mut warnings);
    Ok(Activated::Ready(Active {
        target: found.target,
        env,
        warnings,
        notes: found.notes,
    }))
}

/// What [`find`] found: the env, its record when pyve made it, and its activation
/// (`None`: not cached, micromamba must activate for real).
struct Chosen {
    target: EnvTarget,
    record: Option<Box<EnvRecord>>,
    activation: Option<Activation>,
    warnings: Vec<String>,
    notes: Vec<String>,
}

enum Found {
    Env(Chosen),
    Sync(OutOfStep),
}

/// The env to run in and how it is activated, as `sync` allows.
fn find(ctx: &Context, sync: SyncMode) -> Result<Found> {
    let target = ctx.target()?;
    let mut warnings = Vec::new();
    let record = match ctx.env_state(&target)? {
        // The hot path: nothing else is read before this.
        EnvState::Ready { record } => record,
        state => match not_ready(ctx, &target, state, sync)? {
            Usable::Record(record, warning) => {
                warnings.push(warning);
                record
            }
            Usable::Unmanaged(activation, note) => {
                return Ok(Found::Env(Chosen {
                    target,
                    record: None,
                    activation: Some(activation),
                    warnings,
                    notes: vec![note],
                }));
            }
            Usable::Sync(o) => return Ok(Found::Sync(o)),
        },
    };
    let cache_missing = record.activation.fallback
        || (target.backend == super::BackendKind::Micromamba
            && record.activation.path_prepend.is_empty());
    let activation = (!cache_missing).then(|| record.activation.clone());
    Ok(Found::Env(Chosen {
        target,
        record: Some(record),
        activation,
        warnings,
        notes: vec![],
    }))
}

enum Usable {
    /// Run in it as it is, after this warning.
    Record(Box<EnvRecord>, String),
    /// A venv pyve did not make: run in it with this activation, after this note.
    Unmanaged(Activation, String),
    Sync(OutOfStep),
}

/// An env that is not ready: what `sync` allows (bring it in step, run as is, fail).
fn not_ready(ctx: &Context, target: &EnvTarget, state: EnvState, sync: SyncMode) -> Result<Usable> {
    // An env file changed since the env was built (or never built) must parse before
    // anything runs (exit 2 at file:line:col); a ready env's file is the one it was
    // built from, so the hot path parses nothing.
    super::spec::validate_files(ctx)?;
    let frozen = match sync {
        SyncMode::Auto if crate::sys::envvar::flag("PYVE_FROZEN")? => Some("PYVE_FROZEN=1"),
        SyncMode::Frozen => Some("--frozen"),
        _ => None,
    };
    let backend = target.backend;
    let name = &target.name;
    let out_of_step = |why| OutOfStep {
        env: name.clone(),
        why,
    };
    match state {
        EnvState::Missing => match (sync, frozen) {
            (SyncMode::Auto, None) => Ok(Usable::Sync(out_of_step(OutOfStepWhy::Missing))),
            (_, Some(by)) => Err(Error::OutOfStep(format!(
                "no {backend} environment yet ({name}) and {by} forbids creating it"
            ))),
            _ => Err(
                Error::Missing(format!("no {backend} environment yet ({name})"))
                    .with_fix(Fix::init()),
            ),
        },
        EnvState::Incomplete { reason, foreign } => {
            if !foreign && sync == SyncMode::Auto && frozen.is_none() {
                return Ok(Usable::Sync(out_of_step(OutOfStepWhy::Incomplete(reason))));
            }
            let head = format!("the {backend} environment {name} is incomplete: {reason}");
            Err(match (foreign, frozen) {
                (true, _) => Error::Missing(format!(
                    "{head} — pyve did not make it here and will not run in it (docs/security.md)"
                )),
                (false, Some(by)) => Error::Missing(format!("{head} — {by} forbids rebuilding it"))
                    .with_fix(Fix::init()),
                (false, None) => {
                    Error::Missing(format!("{head}; `pyve init` rebuilds it")).with_fix(Fix::init())
                }
            })
        }
        EnvState::Stale { record, changed } => match (sync, frozen) {
            (SyncMode::Auto, None) => Ok(Usable::Sync(out_of_step(OutOfStepWhy::Stale(changed)))),
            (_, Some(by)) => Err(Error::OutOfStep(format!(
                "{} since {name} was built, and {by} forbids updating it (`pyve run --no-sync …` runs in it as it is)",
                super::state::describe_changes(&changed)
            ))),
            _ => Ok(Usable::Record(
                record,
                format!(
                    "{} since {name} was built; running anyway — `pyve init` updates it",
                    super::state::describe_changes(&changed)
                ),
            )),
        },
        EnvState::Unmanaged { reason, .. } => {
            let mut activation = Activation::default();
            activation.path_prepend.push(target.prefix.join("bin"));
            activation.set.insert(
                "VIRTUAL_ENV".into(),
                target.prefix.to_string_lossy().into_owned(),
            );
            Ok(Usable::Unmanaged(
                activation,
                format!("{reason}: running in it as it is (`pyve init --adopt` takes it over)"),
            ))
        }
        EnvState::Ready { record } => Err(Error::Bug(format!(
            "{} was judged ready after it was not",
            record.env_name
        ))),
    }
}

/// pip into a conda env is refused unless allowed (docs/policies.md).
fn pip_guard(ctx: &Context, target: &EnvTarget, cmd: &[OsString], allow_pip: bool) -> Result<()> {
    if target.backend == super::BackendKind::Micromamba
        && !allow_pip
        && ctx.config.micromamba.allow_pip != Some(true)
        && let Some(form) = super::policy::pip_mutation(cmd)
    {
        return Err(Error::Refused(format!(
            "refused: `{form}` would put pip packages into the conda environment {} behind micromamba's back. Add the package to {} (conda packages, or a `pip:` list) and run `pyve init`; or allow it with `pyve run --allow-pip …` or `micromamba.allow_pip: true` in .pyve/config",
            target.name,
            env_file_shown(ctx)
        )));
    }
    Ok(())
}

fn env_file_shown(ctx: &Context) -> String {
    ctx.env_file()
        .map(|(f, _)| f.display().to_string())
        .unwrap_or_else(|| "environment.yml".into())
}

/// No cached activation: `micromamba run -p PREFIX` activates for real (one extra
/// process).
fn through_micromamba(
    ctx: &Context,
    target: &EnvTarget,
    record: &EnvRecord,
    cmd: &[OsString],
    mut warnings: Vec<String>,
) -> RunPlan {
    let mut env: Vec<(OsString, OsString)> = std::env::vars_os()
        .filter(|(k, _)| !is_activation_var(k))
        .collect();
    env.push((
        "MAMBA_ROOT_PREFIX".into(),
        super::micromamba::root_prefix(&ctx.pyve_home).into_os_string(),
    ));
    warnings.push(format!(
        "no cached activation for {}: running through `micromamba run` (slower); `pyve init --force` captures it again",
        target.name
    ));
    let mut args: Vec<OsString> = vec![
        "run".into(),
        "-p".into(),
        record.prefix.clone().into_os_string(),
    ];
    args.extend(undo_micromamba_process_vars(std::env::var_os("LC_ALL")));
    args.extend(cmd.iter().cloned());
    RunPlan {
        program: record.tool.path.clone(),
        argv0: record.tool.path.clone().into_os_string(),
        args,
        env,
        warnings,
        notes: vec![],
    }
}

/// The cached activation applied to the caller's environment, and the program found
/// on the env's PATH.
fn direct(
    ctx: &Context,
    target: &EnvTarget,
    activation: &Activation,
    conda_without_python: bool,
    program: &OsString,
    args: &[OsString],
    mut warnings: Vec<String>,
) -> Result<RunPlan> {
    let backend = target.backend;
    let env = applied(activation, &mut warnings);
    let path = env
        .iter()
        .find(|(k, _)| k == "PATH")
        .map(|(_, v)| v.clone())
        .unwrap_or_default();
    if conda_without_python {
        return Err(Error::CommandNotFound(format!(
            "`{}`: the conda environment {} has no python — add `python` to {}'s dependencies and run `pyve init`",
            program.to_string_lossy(),
            target.name,
            env_file_shown(ctx)
        )));
    }
    let Some(found) = crate::sys::process::find_program(program, &path) else {
        return Err(Error::CommandNotFound(format!(
            "command not found: `{}` (looked in the {backend} environment {} and on PATH)",
            program.to_string_lossy(),
            target.name
        )));
    };
    // argv[0] as the user typed it, as a shell passes it.
    Ok(RunPlan {
        program: found,
        argv0: program.clone(),
        args: args.to_vec(),
        env,
        warnings,
        notes: vec![],
    })
}

/// The caller's environment with `activation` applied. A conda env active in the
/// caller is replaced, not stacked: its deactivate.d scripts run first (one bash,
/// only when it has some), as `micromamba activate` does.
fn applied(activation: &Activation, warnings: &mut Vec<String>) -> Vec<(OsString, OsString)> {
    let caller: Vec<(OsString, OsString)> = std::env::vars_os().collect();
    let caller = match super::micromamba::deactivate_caller(&caller) {
        None => caller,
        Some(Ok(env)) => env,
        Some(Err(why)) => {
            warnings.push(format!(
                "the active conda env's deactivate.d scripts failed ({why}); running with its variables left in place"
            ));
            caller
        }
    };
    child_env(caller.into_iter(), activation)
}

/// `micromamba run` sets `LC_ALL=C.UTF-8` and `MAMBA_EXE` in its own process and
/// passes them on; they are not the env's activation. The command runs under
/// `env -u MAMBA_EXE` with the caller's `LC_ALL` (or none) put back.
pub fn undo_micromamba_process_vars(caller_lc_all: Option<OsString>) -> Vec<OsString> {
    let env = if Path::new("/usr/bin/env").exists() {
        "/usr/bin/env"
    } else {
        "env"
    };
    let mut v: Vec<OsString> = vec![env.into(), "-u".into(), "MAMBA_EXE".into()];
    match caller_lc_all {
        Some(lc) => {
            let mut a = OsString::from("LC_ALL=");
            a.push(lc);
            v.push(a);
        }
        None => v.extend(["-u".into(), "LC_ALL".into()]),
    }
    v
}

/// `python`, `python3`, `python3.11`.
fn is_python_command(program: &OsStr) -> bool {
    let p = program.to_string_lossy();
    p.strip_prefix("python")
        .is_some_and(|rest| rest.chars().all(|c| c.is_ascii_digit() || c == '.'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn child_env_strips_other_envs_and_applies_ours() {
        let t = tempfile::tempdir().unwrap();
        let conda = t.path().join("miniconda3");
        std::fs::create_dir_all(conda.join("conda-meta")).unwrap();
        std::fs::create_dir_all(conda.join("bin")).unwrap();
        let venv = t.path().join("other-venv");
        std::fs::create_dir_all(venv.join("bin")).unwrap();
        std::fs::write(venv.join("pyvenv.cfg"), "").unwrap();
        let ours = t.path().join("proj/.venv/bin");
        let caller_path = std::env::join_paths([
            conda.join("bin"),
            conda.join("condabin"),
            venv.join("bin"),
            PathBuf::from("/usr/bin"),
        ])
        .unwrap();
        let caller = vec![
            ("PATH".into(), caller_path),
            ("CONDA_PREFIX".into(), conda.clone().into()),
            ("CONDA_DEFAULT_ENV".into(), "base".into()),
            ("VIRTUAL_ENV".into(), venv.clone().into()),
            ("HOME".into(), "/home/x".into()),
        ];
        let mut activation = Activation::default();
        activation.path_prepend.push(ours.clone());
        activation.set.insert(
            "VIRTUAL_ENV".into(),
            t.path().join("proj/.venv").display().to_string(),
        );
        let env = child_env(caller.into_iter(), &activation);
        let get = |k: &str| env.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
        let path: Vec<PathBuf> = std::env::split_paths(&get("PATH").unwrap()).collect();
        assert_eq!(path, vec![ours, PathBuf::from("/usr/bin")]);
        assert_eq!(get("CONDA_PREFIX"), None);
        assert_eq!(get("CONDA_DEFAULT_ENV"), None);
        assert_eq!(
            get("VIRTUAL_ENV"),
            Some(t.path().join("proj/.venv").into_os_string())
        );
        assert_eq!(get("HOME"), Some("/home/x".into()));
    }
}
