//! `init`: decide what to do with the env (reuse, create, update, recreate), hand the
//! steps to the task queue, and commit the result (state file last, then config).
//!
//! The caller holds `.pyve/lock` from before [`plan`] until after [`commit`], so the
//! state it plans from is the state it commits over: eight concurrent `init`s create
//! once and the other seven find a ready env.

use std::path::{Path, PathBuf};

use super::config::{self, Config};
use super::context::{Context, EnvTarget};
use super::error::NotOwned;
use super::project::{EnvFileKind, Project};
use super::resolve::{self, PythonRequest, Resolution};
use super::state::{self, Activation, EnvRecord, EnvState, PythonRecord, ToolRecord};
use super::venv::{self, Install, PyprojectManager};
use super::{BackendKind, Error, Result};
use crate::engine::step::Step;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    /// Ready and unchanged: nothing runs.
    Reuse,
    Create,
    /// The spec changed: install into the existing env.
    Update,
    /// Incomplete, a changed python request, or `--force`: remove and build again.
    Recreate,
    /// `--adopt`: a venv pyve did not make already fits the spec; record it as pyve's,
    /// run nothing.
    Adopt,
}

#[derive(Clone, Debug, Default)]
pub struct InitOptions {
    pub force: bool,
    /// `--install-deps` / `--no-install-deps`; `None` leaves it to the defaults (and to
    /// the CLI's question for a pyproject-only project).
    pub install_deps: Option<bool>,
    /// `--adopt`: take over a venv pyve did not make when it fits the spec.
    pub adopt: bool,
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
    /// The tool that builds the env: the base python of a venv, or micromamba.
    /// `None` on a reuse and on a venv update (the venv's own pip does the work).
    pub tool: Option<Resolution>,
    /// micromamba: the env file it is built from, relative to the root.
    pub env_file: Option<PathBuf>,
    pub install: Install,
    pub steps: Vec<Step>,
    /// Things to tell the user that do not stop the init (a manager hint, …).
    pub notes: Vec<String>,
    /// A pyproject-only project, nobody said whether to install it, and the env is
    /// about to be built: an interactive face should ask.
    pub needs_answer: bool,
    previous: Option<EnvRecord>,
}

/// The refusals that need neither the lock nor a subprocess, checked before `.pyve/`
/// is touched so that "nothing was changed" holds: the target env, the python request,
/// and a backend this version cannot build.
pub fn preflight(ctx: &Context) -> Result<EnvTarget> {
    let target = ctx.target()?;
    ctx.python_request()?;
    if target.backend == BackendKind::Micromamba {
        if ctx.env_file().is_none() {
            return Err(Error::Usage(format!(
                "the micromamba backend ({}) needs an environment.yml, environment.yaml or conda-lock.yml in {}; none was found and nothing was changed. Write one, or use `pyve init --backend venv`",
                ctx.detection.summary(),
                ctx.project.root.display()
            )));
        }
        let root_prefix = super::micromamba::root_prefix(&ctx.pyve_home);
        if crate::sys::fs::normalize(&target.prefix) == crate::sys::fs::normalize(&root_prefix) {
            return Err(Error::Refused(format!(
                "refusing to build an env at {}: that is pyve's MAMBA_ROOT_PREFIX (a base env); choose another micromamba.prefix",
                target.prefix.display()
            )));
        }
    }
    Ok(target)
}

/// Decides what `init` does. `editable` is the answer, if one was given, to "install
/// the project itself?" for a pyproject-only project; when none was and it matters,
/// the plan says so in `needs_answer` and the caller may ask and plan again.
///
/// `micromamba` resolves (or bootstraps) micromamba; it is called only when the env
/// has to be built or updated, so a reuse never looks for it.
pub fn plan(
    ctx: &Context,
    opts: &InitOptions,
    editable: Option<bool>,
    micromamba: &mut dyn FnMut() -> Result<Resolution>,
) -> Result<InitPlan> {
    let target = preflight(ctx)?;
    let state = ctx.env_state(&target)?;
    // An env whose project was installed keeps it installed across updates.
    let was_editable = state
        .record()
        .is_some_and(|r| r.inputs.contains_key("file:pyproject.toml"));
    let (action, reason, previous) = decide(ctx, opts, &target, state)?;
    let decided = Decided {
        action,
        reason,
        target,
        previous,
    };
    match decided.target.backend {
        BackendKind::Micromamba => micromamba_plan(ctx, decided, micromamba),
        BackendKind::Venv => venv_plan(
            ctx,
            opts,
            decided,
            editable.unwrap_or(was_editable),
            editable.is_none(),
        ),
    }
}

/// What to do with the env, before either backend's steps are planned.
struct Decided {
    action: Action,
    reason: String,
    target: EnvTarget,
    previous: Option<EnvRecord>,
}

/// Reuse, create, update or rebuild, and why, from the env's state and the options.
fn decide(
    ctx: &Context,
    opts: &InitOptions,
    target: &EnvTarget,
    state: EnvState,
) -> Result<(Action, String, Option<EnvRecord>)> {
    let root = &ctx.project.root;
    let deps_were_skipped = state
        .record()
        .is_some_and(|r| r.inputs.contains_key("deps"));
    Ok(match state {
        EnvState::Ready { record }
            if !opts.force
                && deps_were_skipped
                && opts.install_deps != Some(false)
                && root.join("requirements.txt").is_file() =>
        {
            (
                Action::Update,
                "requirements.txt was not installed (--no-install-deps)".to_string(),
                Some(*record),
            )
        }
        // Asked to install: the install step runs again as an update (pip brings the
        // env to the spec; nothing is rebuilt).
        EnvState::Ready { record } if !opts.force && opts.install_deps == Some(true) => (
            Action::Update,
            "--install-deps: installing the spec into it again".to_string(),
            Some(*record),
        ),
        EnvState::Ready { record } if !opts.force => (
            Action::Reuse,
            "ready and unchanged".to_string(),
            Some(*record),
        ),
        EnvState::Ready { .. } => (Action::Recreate, "--force".to_string(), None),
        EnvState::Missing if opts.adopt => {
            return Err(Error::Missing(format!(
                "nothing to adopt: there is no venv at {}",
                ctx.project.display(&target.prefix)
            )));
        }
        EnvState::Missing => (Action::Create, "no environment yet".to_string(), None),
        EnvState::Unmanaged { venv, reason } => {
            let shown = ctx.project.display(&target.prefix).into_owned();
            if !opts.adopt {
                return Err(Error::NotOwned(Box::new(NotOwned {
                    reason: format!(
                        "{reason} (`pyve run` uses it as it is; `pyve init --adopt` takes it over when it fits the spec)"
                    ),
                    path: target.prefix.clone(),
                    key: "venv.directory",
                })));
            }
            if let Some(why) = super::adopt::misfit(ctx, &target.prefix, &venv, opts.install_deps)?
            {
                return Err(Error::Refused(format!(
                    "refused to adopt {shown}: {why}. Nothing was changed; make it fit (e.g. `pyve run --no-sync pip install -r requirements.txt`), or remove it and run `pyve init`"
                )));
            }
            (
                Action::Adopt,
                format!("made by {}, fits the spec", venv.made_by),
                None,
            )
        }
        EnvState::Incomplete { reason, foreign } => {
            if foreign {
                return Err(Error::NotOwned(Box::new(NotOwned {
                    reason,
                    path: target.prefix.clone(),
                    key: match target.backend {
                        BackendKind::Venv => "venv.directory",
                        BackendKind::Micromamba => "micromamba.prefix",
                    },
                })));
            }
            (Action::Recreate, reason, None)
        }
        EnvState::Stale { record, changed } => {
            let python_changed = changed.iter().any(|c| c.is_python());
            // A lock is reproduced exactly by creating from it; `install` never
            // removes, so a change is applied by `install` only when all that changed
            // is the content of an environment file.
            let lock = |f: &Path| EnvFileKind::of(f) == EnvFileKind::Lock;
            let rebuild_conda = target.backend == BackendKind::Micromamba
                && (ctx.env_file().is_some_and(|(f, _)| lock(&f))
                    || changed
                        .iter()
                        .any(|c| c.now.is_none() || c.file().is_none_or(|f| lock(Path::new(f)))));
            let reason = state::describe_changes(&changed);
            if opts.force || python_changed || rebuild_conda {
                (Action::Recreate, reason, None)
            } else {
                (Action::Update, reason, Some(*record))
            }
        }
    })
}

/// A conda env: `micromamba create` or `install` from the env file.
fn micromamba_plan(
    ctx: &Context,
    d: Decided,
    micromamba: &mut dyn FnMut() -> Result<Resolution>,
) -> Result<InitPlan> {
    let root = &ctx.project.root;
    let (file, why) = ctx
        .env_file()
        .ok_or_else(|| Error::Bug("a micromamba plan without an env file".into()))?;
    let mut steps = Vec::new();
    let mut notes = Vec::new();
    let tool = match d.action {
        Action::Reuse => None,
        action => {
            let mm = micromamba()?;
            let (verb, said) = if action == Action::Update {
                ("install", "update")
            } else {
                ("create", "create")
            };
            steps.push(Step {
                label: format!(
                    "{said} env {} from {} with micromamba {}",
                    d.target.name,
                    file.display(),
                    mm.version
                ),
                program: mm.path.clone(),
                args: super::micromamba::env_args(
                    verb,
                    &d.target.prefix,
                    &root.join(&file),
                    &super::channels::names(&super::channels::effective(ctx)),
                ),
                cwd: root.clone(),
                env: super::micromamba::fetch_env(&ctx.pyve_home),
                env_remove: super::micromamba::removed_vars(),
                env_clear: false,
                argv0: None,
                interactive: false,
            });
            Some(mm)
        }
    };
    if EnvFileKind::of(&file) == EnvFileKind::Lock {
        notes.push(format!("built from {} ({why})", file.display()));
    }
    Ok(InitPlan {
        action: d.action,
        reason: d.reason,
        target: d.target,
        request: None,
        tool,
        env_file: Some(file),
        install: Install::Nothing,
        steps,
        notes,
        needs_answer: false,
        previous: d.previous,
    })
}

/// A venv: what to install into it, and `python -m venv` when it is built.
/// `editable`: install the project itself (the answer, or what the env had);
/// `unanswered`: nobody said, so an interactive face may ask.
fn venv_plan(
    ctx: &Context,
    opts: &InitOptions,
    d: Decided,
    editable: bool,
    unanswered: bool,
) -> Result<InitPlan> {
    let root = &ctx.project.root;
    let request = ctx.python_request()?;
    let mut notes = ctx.includes_now().notes;
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
            EditableChoice::Ask if editable => Install::Editable,
            EditableChoice::Ask => {
                needs_answer = unanswered && d.action != Action::Reuse;
                notes.push("the project itself was not installed; `pyve init --install-deps` installs it (`pip install -e .`)".into());
                Install::Nothing
            }
            EditableChoice::NotApplicable => Install::Nothing,
        }
    };
    let mut steps = Vec::new();
    let tool = match d.action {
        Action::Reuse | Action::Update | Action::Adopt => None,
        Action::Create | Action::Recreate => {
            let r = resolve::resolve_python(request.as_ref(), &resolve::Lookup::from_env())?;
            steps.push(venv::create_step(
                root,
                &r.path,
                &r.version,
                &d.target.prefix,
                &d.target.name,
            ));
            Some(r)
        }
    };
    if !matches!(d.action, Action::Reuse | Action::Adopt)
        && let Some(s) = venv::install_step(root, &d.target.prefix, &install)
    {
        steps.push(s);
    }
    Ok(InitPlan {
        action: d.action,
        reason: d.reason,
        target: d.target,
        request,
        tool,
        env_file: None,
        install,
        steps,
        notes,
        needs_answer,
        previous: d.previous,
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
    // The env's directory is reached through the project's own directories only: a link
    // on the way (`.pyve/envs` → elsewhere) would send the build outside.
    if let Some(parent) = plan.target.prefix.parent() {
        project
            .tree()
            .and_then(|t| t.create_dir_all(parent))
            .map_err(|e| Error::io_at("create", parent, e))?;
    }
    let token = super::ownership::claim(&ctx.pyve_home, &plan.target.prefix)
        .map_err(|e| Error::io_at("write", &ctx.pyve_home.join("owned"), e))?;
    state::begin(project, key, &token)
        .map_err(|e| Error::io_at("write", &project.marker_path(key), e))?;
    super::gitignore::ensure(ctx)?;
    if plan.action == Action::Recreate {
        remove_env_dir(&ctx.project, &plan.target.prefix)?;
    }
    Ok(())
}

/// Removes an env's directory inside the project: a link is unlinked, never followed;
/// nothing outside the project is touched.
pub fn remove_env_dir(project: &Project, prefix: &Path) -> Result<()> {
    project
        .tree()
        .and_then(|t| t.remove_all(prefix))
        .map_err(|e| Error::io_at("remove", prefix, e))
}

/// After the steps succeeded: the state file, the env's last word. Returns the record
/// and warnings that do not undo the init (an activation that could not be captured).
pub fn commit(ctx: &Context, plan: &InitPlan) -> Result<(EnvRecord, Vec<String>)> {
    let prefix = &plan.target.prefix;
    let previous = plan.previous.as_ref();
    let mut warnings = Vec::new();
    let tool = match (&plan.tool, previous) {
        (Some(r), _) => ToolRecord {
            kind: r.kind.into(),
            path: r.path.clone(),
            version: r.version.clone(),
        },
        (None, Some(prev)) => prev.tool.clone(),
        (None, None) if plan.action == Action::Adopt => adopted_tool(prefix),
        (None, None) => {
            return Err(Error::Bug(
                "an env was planned without the tool that builds it".into(),
            ));
        }
    };
    let (inputs, python, activation) = match plan.target.backend {
        BackendKind::Venv => {
            let editable = plan.install == Install::Editable
                || (plan.action == Action::Update
                    && previous.is_some_and(|r| r.inputs.contains_key("file:pyproject.toml")));
            let python_path = venv::venv_python(prefix);
            if !python_path.exists() {
                return Err(Error::TaskFailed(format!(
                    "{} has no bin/python after creation",
                    plan.target.name
                )));
            }
            let version = venv::pyvenv_version(prefix).unwrap_or_else(|| tool.version.clone());
            // A venv's own .gitignore keeps it out of git (Python ≥ 3.13 writes one itself).
            let gi = prefix.join(".gitignore");
            if let Ok(tree) = ctx.project.tree()
                && !tree.exists(&gi)
            {
                let _ = tree.write(&gi, b"# created by pyve\n*\n");
            }
            let mut activation = Activation::default();
            activation.path_prepend.push(prefix.join("bin"));
            activation
                .set
                .insert("VIRTUAL_ENV".into(), prefix.to_string_lossy().into_owned());
            (
                ctx.venv_inputs(
                    plan.request.as_ref(),
                    editable,
                    plan.install == Install::Nothing
                        && ctx.project.root.join("requirements.txt").is_file(),
                    &ctx.includes_now().files,
                ),
                PythonRecord {
                    path: python_path,
                    version,
                },
                activation,
            )
        }
        BackendKind::Micromamba => {
            if !prefix.join("conda-meta").join("history").is_file() {
                return Err(Error::TaskFailed(format!(
                    "micromamba reported success but {} has no conda-meta/history",
                    prefix.display()
                )));
            }
            let (py_path, py_version) = super::micromamba::conda_python(prefix)
                .unwrap_or_else(|| (prefix.join("bin").join("python"), String::new()));
            let activation = match super::micromamba::capture_activation(
                &tool.path,
                prefix,
                &super::micromamba::root_prefix(&ctx.pyve_home),
            ) {
                Ok(a) => a,
                Err(why) => {
                    warnings.push(format!(
                        "could not capture the env's activation ({why}); `pyve run` will go through `micromamba run` (slower). `pyve init --force` tries again"
                    ));
                    fallback_activation(prefix, &plan.target.name)
                }
            };
            (
                ctx.micromamba_inputs(),
                PythonRecord {
                    path: py_path,
                    version: py_version,
                },
                activation,
            )
        }
    };
    let record = EnvRecord {
        schema: state::SCHEMA,
        backend: plan.target.backend,
        env_name: plan.target.name.clone(),
        prefix: prefix.clone(),
        fingerprint: state::fingerprint(&inputs),
        inputs,
        tool,
        python,
        activation,
        created_at: state::now_secs(),
        pyve_version: env!("CARGO_PKG_VERSION").into(),
        // The token `begin` drew and wrote into the marker: this build's proof.
        owner: state::marker_token(&ctx.project, &plan.target.key).unwrap_or_default(),
    };
    state::write_record(&ctx.project, &plan.target.key, &record)
        .map_err(|e| Error::io_at("write", &ctx.project.state_path(&plan.target.key), e))?;
    Ok((record, warnings))
}

/// The base python an adopted venv was made from, as its `pyvenv.cfg` says (`home`).
fn adopted_tool(prefix: &Path) -> ToolRecord {
    let home = crate::sys::fs::read_text(&prefix.join("pyvenv.cfg"), 64 * 1024)
        .ok()
        .and_then(|t| {
            t.lines().find_map(|l| {
                let (k, v) = l.split_once('=')?;
                (k.trim() == "home").then(|| PathBuf::from(v.trim()))
            })
        });
    ToolRecord {
        kind: "adopted".into(),
        path: home
            .map(|h| h.join("python3"))
            .unwrap_or_else(|| venv::venv_python(prefix)),
        version: venv::pyvenv_version(prefix).unwrap_or_default(),
    }
}

/// What activation is known to do when it could not be observed; `run` does not
/// apply it but execs `micromamba run`, which activates for real.
fn fallback_activation(prefix: &Path, name: &str) -> Activation {
    let mut a = Activation {
        fallback: true,
        ..Activation::default()
    };
    a.path_prepend.push(prefix.join("bin"));
    let p = prefix.to_string_lossy().into_owned();
    a.set.insert("CONDA_PREFIX".into(), p);
    a.set.insert("CONDA_DEFAULT_ENV".into(), name.to_string());
    a.set.insert("CONDA_SHLVL".into(), "1".into());
    a
}

/// The config `init` writes: when there is none yet, the decision it acted on; when
/// a flag changed a value, the file with that value replaced; a new env, the file with
/// its table added. `None`: leave it be.
pub fn config_to_write(ctx: &Context, answered_backend: Option<BackendKind>) -> Option<Config> {
    let (next, changed) = env_config_to_write(ctx, answered_backend);
    let whole = super::envs::with_env(&ctx.whole, &ctx.env.name, &next);
    if ctx.config.file.is_none() || !ctx.env.defined {
        // The backend is pinned only when someone chose it (a flag, the both-specs
        // answer); a decision the spec files made stays theirs, so it follows them.
        return Some(whole);
    }
    changed.then_some(whole)
}

/// The selected env's keys as `init` leaves them, and whether a flag changed one.
fn env_config_to_write(ctx: &Context, answered_backend: Option<BackendKind>) -> (Config, bool) {
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
    if let Some(n) = &ctx.overrides.env_name
        && let Ok(n) = super::envname::sanitize(n)
        && ctx.config.micromamba.env_name.as_deref() != Some(n.as_str())
    {
        next.micromamba.env_name = Some(n);
        changed = true;
    }
    let channels = ctx.channels();
    if channels != ctx.config.micromamba.channels {
        next.micromamba.channels = channels;
        changed = true;
    }
    (next, changed)
}

pub fn write_config(ctx: &Context, config: &Config) -> Result<()> {
    let path = ctx.project.config_path();
    ctx.project
        .tree()
        .and_then(|t| t.write(&path, config::render(config).as_bytes()))
        .map_err(|e| Error::io_at("write", &path, e))
}

/// The files and directories an init will write, and why each: what a face shows
/// before running it (the TUI's review screen).
pub fn files_written(ctx: &Context, plan: &InitPlan) -> Vec<(String, String)> {
    let p = &ctx.project;
    let show = |path: &Path| p.display(path).into_owned();
    let mut v = Vec::new();
    let env_what = match (plan.action, plan.target.backend) {
        (Action::Reuse, _) => None,
        (Action::Create, BackendKind::Venv) => Some("the venv, created"),
        (Action::Create, BackendKind::Micromamba) => Some("the conda env, created"),
        (Action::Recreate, _) => Some("removed and built again"),
        (Action::Update, _) => Some("updated in place"),
        (Action::Adopt, _) => Some("adopted as it is: nothing in it changes"),
    };
    if let Some(what) = env_what {
        v.push((format!("{}/", show(&plan.target.prefix)), what.to_string()));
        v.push((
            show(&p.state_path(&plan.target.key)),
            "state record, written last: only then is the env ready".to_string(),
        ));
        if !super::gitignore::has_block(p) {
            v.push((
                show(&super::gitignore::path(p)),
                "pyve's block added: keeps the env, state, bin, lock and .env out of git"
                    .to_string(),
            ));
        }
        if plan.target.backend == BackendKind::Venv
            && !plan.target.prefix.join(".gitignore").exists()
        {
            v.push((
                show(&plan.target.prefix.join(".gitignore")),
                "keeps the venv out of git".to_string(),
            ));
        }
    }
    if config_to_write(ctx, None).is_some() {
        let (next, _) = env_config_to_write(ctx, None);
        let old = &ctx.config;
        let mut keys = Vec::new();
        if next.backend != old.backend {
            keys.push("backend");
        }
        if next.python_version != old.python_version {
            keys.push("python.version");
        }
        if next.micromamba.env_name != old.micromamba.env_name {
            keys.push("micromamba.env_name");
        }
        if next.micromamba.channels != old.micromamba.channels {
            keys.push("micromamba.channels");
        }
        let added = (!ctx.env.defined).then(|| format!("env `{}` added", ctx.env.name));
        keys.extend(added.as_deref());
        let what = match (old.file.is_some(), keys.is_empty()) {
            (false, true) => "created (defaults; hand-editable)".to_string(),
            (false, false) => format!("created: {}", keys.join(", ")),
            (true, _) => format!("updated: {}", keys.join(", ")),
        };
        v.push((show(&p.config_path()), what));
    }
    if env_what.is_some() {
        v.push((
            show(&p.lock_path()),
            "held while init runs (other pyve commands wait)".to_string(),
        ));
    }
    v
}
