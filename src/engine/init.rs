//! `init`: decide what to do with the env (reuse, create, update, recreate), hand the
//! steps to the task queue, and commit the result (state file last, then config).
//!
//! The caller holds `.pyve/lock` from before [`plan`] until after [`commit`], so the
//! state it plans from is the state it commits over: eight concurrent `init`s create
//! once and the other seven find a ready env.

use std::path::Path;

use super::config::{self, Config};
use super::context::{Context, EnvTarget};
use super::resolve::{self, PythonRequest, Resolution};
use super::state::{self, Activation, EnvRecord, EnvState, PythonRecord, ToolRecord};
use super::venv::{self, Install, PyprojectManager};
use super::{BackendKind, Error, Result};
use crate::tasks::Step;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    /// Ready and unchanged: nothing runs.
    Reuse,
    Create,
    /// The spec changed: install into the existing env.
    Update,
    /// Incomplete, a changed python request, or `--force`: remove and build again.
    Recreate,
}

#[derive(Clone, Debug, Default)]
pub struct InitOptions {
    pub force: bool,
    /// `--install-deps` / `--no-install-deps`; `None` leaves it to the defaults (and to
    /// the CLI's question for a pyproject-only project).
    pub install_deps: Option<bool>,
}

/// For a pyproject-only project: may pyve run `pip install -e .`?
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EditableChoice {
    /// requirements.txt exists, or there is no pyproject.toml.
    NotApplicable,
    /// Poetry, pdm, uv or hatch manages it: pyve gives a hint instead.
    Managed(PyprojectManager),
    /// Ask the user (interactive) or decide by flag/default.
    Ask,
}

pub fn editable_choice(ctx: &Context) -> EditableChoice {
    let root = &ctx.project.root;
    if ctx.backend() != BackendKind::Venv
        || root.join("requirements.txt").is_file()
        || !root.join("pyproject.toml").is_file()
    {
        return EditableChoice::NotApplicable;
    }
    match venv::pyproject_manager(root) {
        Some(m) => EditableChoice::Managed(m),
        None => EditableChoice::Ask,
    }
}

#[derive(Clone, Debug)]
pub struct InitPlan {
    pub action: Action,
    /// Why, in words ("requirements.txt changed").
    pub reason: String,
    pub target: EnvTarget,
    pub request: Option<PythonRequest>,
    /// The python that builds (or built) the venv.
    pub python: Option<Resolution>,
    pub install: Install,
    pub steps: Vec<Step>,
    /// Things to tell the user that do not stop the init (a manager hint, …).
    pub notes: Vec<String>,
    /// A pyproject-only project, nobody said whether to install it, and the env is
    /// about to be built: an interactive face should ask.
    pub needs_answer: bool,
    previous: Option<EnvRecord>,
}

/// Decides what `init` does. `editable` is the answer, if one was given, to "install
/// the project itself?" for a pyproject-only project; when none was and it matters,
/// the plan says so in `needs_answer` and the caller may ask and plan again.
pub fn plan(ctx: &Context, opts: &InitOptions, editable: Option<bool>) -> Result<InitPlan> {
    let target = ctx.target()?;
    if target.backend == BackendKind::Micromamba {
        return Err(Error::Missing(format!(
            "the micromamba backend is not implemented yet in pyve {} (selected: {}); nothing was changed. Use `pyve init --backend venv` for a pip-style venv meanwhile",
            env!("CARGO_PKG_VERSION"),
            ctx.detection.summary()
        )));
    }
    let request = ctx.python_request()?;
    let root = &ctx.project.root;
    let mut notes = Vec::new();
    let state = ctx.env_state(&target)?;
    // An env whose project was installed keeps it installed across updates.
    let was_editable = state
        .record()
        .is_some_and(|r| r.inputs.contains_key("file:pyproject.toml"));
    let (action, reason, previous) = match state {
        EnvState::Ready { record } if !opts.force => (
            Action::Reuse,
            "ready and unchanged".to_string(),
            Some(*record),
        ),
        EnvState::Ready { .. } => (Action::Recreate, "--force".to_string(), None),
        EnvState::Missing => (Action::Create, "no environment yet".to_string(), None),
        EnvState::Incomplete { reason, foreign } => {
            if foreign && !opts.force {
                return Err(Error::Refused(format!(
                    "{reason}; pyve will not touch it. Rerun `pyve init --force` to replace it (its contents are deleted), or set venv.directory in .pyve/config to use another directory"
                )));
            }
            (Action::Recreate, reason, None)
        }
        EnvState::Stale { record, changed } => {
            let python_changed = changed.iter().any(|c| c.starts_with("python changed"));
            if opts.force || python_changed {
                (Action::Recreate, changed.join(", "), None)
            } else {
                (Action::Update, changed.join(", "), Some(*record))
            }
        }
    };

    let mut needs_answer = false;
    let install = if root.join("requirements.txt").is_file() {
        if opts.install_deps == Some(false) {
            notes.push("requirements.txt not installed (--no-install-deps)".into());
            Install::Nothing
        } else {
            Install::Requirements
        }
    } else {
        match editable_choice(ctx) {
            EditableChoice::Managed(m) => {
                notes.push(m.hint());
                Install::Nothing
            }
            EditableChoice::Ask if editable.unwrap_or(was_editable) => Install::Editable,
            EditableChoice::Ask => {
                needs_answer = editable.is_none() && action != Action::Reuse;
                notes.push("the project itself was not installed; `pyve init --install-deps --force` or `pyve run pip install -e .` installs it".into());
                Install::Nothing
            }
            EditableChoice::NotApplicable => Install::Nothing,
        }
    };

    let mut steps = Vec::new();
    let display = target.name.clone();
    let python = match action {
        Action::Reuse => None,
        Action::Update => None,
        Action::Create | Action::Recreate => {
            let r = resolve::resolve_python(request.as_ref(), &resolve::Lookup::from_env())?;
            steps.push(venv::create_step(
                root,
                &r.path,
                &r.version,
                &target.prefix,
                &display,
            ));
            Some(r)
        }
    };
    if action != Action::Reuse
        && let Some(s) = venv::install_step(root, &target.prefix, &install)
    {
        steps.push(s);
    }
    Ok(InitPlan {
        action,
        reason,
        target,
        request,
        python,
        install,
        steps,
        notes,
        needs_answer,
        previous,
    })
}

impl InitPlan {
    /// The record of the reused env (for messages).
    pub fn previous(&self) -> Option<&EnvRecord> {
        self.previous.as_ref()
    }
}

/// Before the steps run: mark the env as being built, and clear what a recreate
/// replaces. A symlinked env directory is unlinked, never followed.
pub fn begin(ctx: &Context, plan: &InitPlan) -> Result<()> {
    let project = &ctx.project;
    let key = &plan.target.key;
    state::begin(project, key).map_err(|e| Error::io_at("write", &project.marker_path(key), e))?;
    write_pyve_gitignore(&ctx.project.pyve_dir())?;
    if plan.action == Action::Recreate {
        remove_env_dir(&plan.target.prefix)?;
    }
    Ok(())
}

pub fn remove_env_dir(prefix: &Path) -> Result<()> {
    match prefix.symlink_metadata() {
        Ok(m) if m.file_type().is_symlink() || m.is_file() => {
            std::fs::remove_file(prefix).map_err(|e| Error::io_at("remove", prefix, e))
        }
        Ok(_) => std::fs::remove_dir_all(prefix).map_err(|e| Error::io_at("remove", prefix, e)),
        Err(_) => Ok(()),
    }
}

fn write_pyve_gitignore(pyve_dir: &Path) -> Result<()> {
    let path = pyve_dir.join(".gitignore");
    if !path.exists() {
        crate::sys::fs::atomic_write(
            &path,
            b"# Written by pyve: envs, state and the sandbox binary are per machine;\n# .pyve/config is meant to be committed.\n/envs/\n/state/\n/bin/\n/lock\n",
        )
        .map_err(|e| Error::io_at("write", &path, e))?;
    }
    Ok(())
}

/// After the steps succeeded: the state file (last word on the env), then the config.
/// Returns the config file written, if one was.
pub fn commit(ctx: &Context, plan: &InitPlan) -> Result<EnvRecord> {
    let prefix = &plan.target.prefix;
    let previous = plan.previous.as_ref();
    let editable = plan.install == Install::Editable
        || (plan.action == Action::Update
            && previous.is_some_and(|r| r.inputs.contains_key("file:pyproject.toml")));
    let inputs = ctx.venv_inputs(plan.request.as_ref(), editable);
    let python_path = venv::venv_python(prefix);
    let tool = match (&plan.python, previous) {
        (Some(r), _) => ToolRecord {
            kind: "python".into(),
            path: r.path.clone(),
            version: r.version.clone(),
        },
        (None, Some(prev)) => prev.tool.clone(),
        (None, None) => {
            return Err(Error::TaskFailed(
                "internal: no python recorded for the venv".into(),
            ));
        }
    };
    let version = venv::pyvenv_version(prefix).unwrap_or_else(|| tool.version.clone());
    if !python_path.exists() {
        return Err(Error::TaskFailed(format!(
            "{} has no bin/python after creation",
            plan.target.name
        )));
    }
    // A venv's own .gitignore keeps it out of git (Python ≥ 3.13 writes one itself).
    let gi = prefix.join(".gitignore");
    if !gi.exists() {
        let _ = crate::sys::fs::atomic_write(&gi, b"# created by pyve\n*\n");
    }
    let mut activation = Activation::default();
    activation.path_prepend.push(prefix.join("bin"));
    activation
        .set
        .insert("VIRTUAL_ENV".into(), prefix.to_string_lossy().into_owned());
    let record = EnvRecord {
        schema: state::SCHEMA,
        backend: plan.target.backend,
        env_name: plan.target.name.clone(),
        prefix: prefix.clone(),
        fingerprint: state::fingerprint(&inputs),
        inputs,
        tool,
        python: PythonRecord {
            path: python_path,
            version,
        },
        activation,
        created_at: state::now_secs(),
        pyve_version: env!("CARGO_PKG_VERSION").into(),
    };
    state::write_record(&ctx.project, &plan.target.key, &record)
        .map_err(|e| Error::io_at("write", &ctx.project.state_path(&plan.target.key), e))?;
    Ok(record)
}

/// The config `init` writes: when there is none yet, the decision it acted on; when
/// a flag changed a value, the file with that value replaced. `None`: leave it be.
pub fn config_to_write(ctx: &Context, answered_backend: Option<BackendKind>) -> Option<Config> {
    let mut next = ctx.config.clone();
    next.file = None;
    let flag_backend = ctx.overrides.backend.or(answered_backend);
    let mut changed = false;
    if let Some(b) = flag_backend
        && ctx.config.backend != Some(b)
    {
        next.backend = Some(b);
        changed = true;
    }
    if let Some(v) = &ctx.overrides.python_version
        && ctx.config.python_version.as_deref() != Some(v.as_str())
    {
        next.python_version = Some(v.clone());
        changed = true;
    }
    if ctx.config.file.is_none() {
        next.backend = Some(next.backend.unwrap_or(ctx.backend()));
        return Some(next);
    }
    changed.then_some(next)
}

pub fn write_config(ctx: &Context, config: &Config) -> Result<()> {
    let path = ctx.project.config_path();
    crate::sys::fs::atomic_write(&path, config::render(config).as_bytes())
        .map_err(|e| Error::io_at("write", &path, e))
}
