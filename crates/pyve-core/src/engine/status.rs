//! What `pyve status` prints and the TUI's Backend and Tools panes draw: the project,
//! the backend decision, the backend's tool resolved, and the target env's state, read
//! in one read-only pass. Both faces render this one struct (the CLI as lines or
//! `--json`, the TUI as panes); neither computes any of it.

use std::path::PathBuf;
use std::sync::Arc;

use super::BackendKind;
use super::channels::{self, Channel};
use super::context::{Context, ToolStatus};
use super::detect::Detection;
use super::project::RootMarker;
use super::resolve::PythonChoice;
use super::state::{self, EnvState};
use super::{Error, Result};

/// The project's status. Paths are absolute; each face shows them its own way.
#[derive(Clone, Debug)]
pub struct Status {
    pub project_root: PathBuf,
    pub found_by: RootMarker,
    pub config_file: Option<PathBuf>,
    pub detection: Detection,
    pub tool: ToolStatus,
    /// python: where the request came from, `requires-python`, a pin that violates it.
    /// Empty for micromamba.
    pub choice: PythonChoice,
    /// The env the project targets, or why there is none (an env name that cannot be
    /// used). Shared so that the TUI's snapshot can be cloned.
    pub env: std::result::Result<EnvStatus, Arc<Error>>,
    /// micromamba: the channels the env is solved from, in order, each with where it
    /// was named (empty for a venv; an env built from a lock takes its packages' URLs,
    /// which `channels::describe` says).
    pub channels: Vec<Channel>,
    /// micromamba: the env file, relative to the root (`environment.yml`).
    pub env_file: Option<PathBuf>,
    /// Which of the project's envs this is, and who chose it.
    pub selected: super::envs::Selected,
    /// Every env of the project with its state, `default` first.
    pub envs: Vec<EnvListing>,
}

/// One of the project's envs, as the env list shows it.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct EnvListing {
    pub name: String,
    pub backend: BackendKind,
    pub path: PathBuf,
    /// `missing|incomplete|stale|ready|unmanaged`, or `invalid` when it cannot be
    /// judged (an unusable env name); `reason` says why.
    pub state: &'static str,
    pub reason: Option<String>,
    pub selected: bool,
}

/// Every env's state, judged without spawning anything; the selected one as `this`
/// already judged it.
fn list(ctx: &Context, this: &std::result::Result<EnvStatus, Arc<Error>>) -> Vec<EnvListing> {
    ctx.all_envs()
        .iter()
        .map(|c| {
            let judged = (c.env.name == ctx.env.name).then_some(this);
            let (path, state, reason) = match (judged, c.target()) {
                (Some(Ok(e)), _) if e.unreadable.is_none() => {
                    (e.prefix.clone(), e.state, e.reason.clone())
                }
                (_, Ok(t)) => match c.env_state(&t) {
                    Ok(s) => (t.prefix, s.name(), self::reason(&s)),
                    Err(e) => (t.prefix, "invalid", Some(e.to_string())),
                },
                (_, Err(e)) => (PathBuf::new(), "invalid", Some(e.to_string())),
            };
            EnvListing {
                name: c.env.name.clone(),
                backend: c.backend(),
                path,
                state,
                reason,
                selected: c.env.name == ctx.env.name,
            }
        })
        .collect()
}

/// The target env and its state.
#[derive(Clone, Debug)]
pub struct EnvStatus {
    /// As users call it: `.venv`, or the micromamba env name.
    pub name: String,
    pub prefix: PathBuf,
    /// `missing|incomplete|stale|ready`.
    pub state: &'static str,
    /// Why it is incomplete or stale (or why its state could not be judged).
    pub reason: Option<String>,
    /// The python the env was built with, from its record.
    pub python: Option<String>,
    /// The state could not be judged (an unreadable python request): `state` reads
    /// `missing` and `reason` says why; `pyve status` fails with it.
    pub unreadable: Option<Arc<Error>>,
}

/// Reads the status. Spawns at most a cached `micromamba --version` or a
/// `python3.X --version` (as [`Context::resolve_tool`] does).
pub fn read(ctx: &Context) -> Status {
    let tool = ctx.resolve_tool();
    let choice = match tool.kind {
        "python" => ctx.python_choice().unwrap_or_default(),
        _ => PythonChoice::default(),
    };
    let env = ctx.target().map_err(Arc::new).map(|target| {
        let (state, reason, python, unreadable) = match ctx.env_state(&target) {
            Ok(s) => (s.name(), reason(&s), python(&s), None),
            Err(e) => ("missing", Some(e.to_string()), None, Some(Arc::new(e))),
        };
        EnvStatus {
            name: target.name,
            prefix: target.prefix,
            state,
            reason,
            python,
            unreadable,
        }
    });
    Status {
        project_root: ctx.project.root.clone(),
        found_by: ctx.project.found_by.clone(),
        config_file: ctx.config.file.clone(),
        detection: ctx.detection.clone(),
        tool,
        choice,
        channels: match ctx.backend() {
            BackendKind::Micromamba => channels::effective(ctx),
            _ => Vec::new(),
        },
        env_file: match ctx.backend() {
            BackendKind::Micromamba => ctx.env_file().map(|(f, _)| f),
            BackendKind::Venv => None,
        },
        selected: ctx.env.clone(),
        envs: list(ctx, &env),
        env,
    }
}

impl Status {
    /// The status with its judged env, or the error that kept the env from being
    /// judged: what `pyve status` ends with (exit 2 for an unusable env name or python
    /// request).
    pub fn strict(self) -> Result<(Status, EnvStatus)> {
        let mut env = self.env.map_err(unshare)?;
        if let Some(e) = env.unreadable.take() {
            return Err(unshare(e));
        }
        let status = Status {
            env: Ok(env.clone()),
            ..self
        };
        Ok((status, env))
    }
}

/// The error itself when nothing else holds it, else its message as a bug report
/// (`strict` owns the status, so nothing does).
fn unshare(e: Arc<Error>) -> Error {
    Arc::try_unwrap(e).unwrap_or_else(|e| Error::Bug(format!("a shared status error: {e}")))
}

fn reason(s: &EnvState) -> Option<String> {
    match s {
        EnvState::Incomplete { reason, .. } | EnvState::Unmanaged { reason, .. } => {
            Some(reason.clone())
        }
        EnvState::Stale { changed, .. } => Some(state::describe_changes(changed)),
        _ => None,
    }
}

/// The recorded python version; a record without one says nothing.
fn python(s: &EnvState) -> Option<String> {
    s.record()
        .map(|r| r.python.version.clone())
        .filter(|v| !v.is_empty())
}
