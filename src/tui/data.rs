//! What the panes show, read from the engine in one read-only pass: the engine's
//! [`Status`] (detection, the tool's resolution chain, the env's state — what `pyve
//! status` prints), doctor's checks, and the defaults the wizards start from. Loading spawns at most what `doctor` and `status` spawn (a
//! cached `micromamba --version`, a `python3.X --version` when a patch level is
//! requested); the runtime runs it on a blocking thread after the first frame.
//!
//! The status keeps the engine's paths; the panes show them with [`Snapshot::show`].
//! The wizards' defaults are turned into the strings the user reads here.

use std::path::{Path, PathBuf};

use crate::words;
use pyve_core::engine::bootstrap::{self, SystemInstall, Target};
use pyve_core::engine::context::{Context, Overrides, ToolStatus};
use pyve_core::engine::detect::Detection;
use pyve_core::engine::doctor::{self, Report};
use pyve_core::engine::init::{self, EditableChoice};
use pyve_core::engine::project::RootMarker;
use pyve_core::engine::resolve::{self, Lookup, PythonRequest, Tried};
use pyve_core::engine::status::{self, EnvStatus, Status};
use pyve_core::engine::{BackendKind, Error, micromamba};

#[derive(Clone, Debug)]
pub struct Snapshot {
    /// The header, known even when loading failed: the root, how it was found, and
    /// the config file as the user reads it.
    pub project_root: String,
    pub found_by: RootMarker,
    pub config_file: Option<String>,
    /// The project could not be loaded (an invalid `.pyve/config`): the message. The
    /// Health pane has the failing `config` check with its fix.
    pub load_error: Option<String>,
    /// What `pyve status` shows: detection, the tool's resolution, the env's state
    /// (`None` when the project could not be loaded).
    pub status: Option<Status>,
    pub doctor: Report,
    pub setup: Option<SetupDefaults>,
    pub bootstrap: Option<BootstrapMenu>,
    /// `purge` would remove something (the footer offers `p` only then).
    pub purgeable: bool,
}

/// Where the Setup wizard starts: the engine's defaults for each question.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SetupDefaults {
    /// The micromamba env name and where it came from, or why there is none.
    pub env_name: Result<(String, String), String>,
    pub python: Option<PythonRequest>,
    pub channels: Vec<String>,
    /// A venv of a pyproject-only project: may `init` run `pip install -e .`?
    pub editable: EditableChoice,
    /// The venv directory, as the user reads it (`.venv`).
    pub venv_dir: String,
    /// The env file a micromamba env is built from (`environment.yml`), if any.
    pub env_file: Option<String>,
    /// micromamba was found (otherwise the wizard points at the bootstrap wizard).
    pub micromamba_found: bool,
    /// The pythons installed where a venv's python is looked for (asdf, pyenv, PATH),
    /// newest first, one per version: the python step offers them.
    pub pythons: Vec<Tried>,
    /// The project's root, which the pythons' paths are shown from.
    pub root: PathBuf,
    /// The project's envs (name, state), `default` first, when it has several: the
    /// wizard's first step lists them.
    pub envs: Vec<(String, &'static str)>,
    /// The env the panes show.
    pub shown_env: String,
}

/// The Bootstrap wizard's menu (the original pyve's four options): the target path of
/// each option, and option 3's command or why not.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BootstrapMenu {
    pub project: String,
    pub user: String,
    pub system: SystemInstall,
    pub default: Target,
    /// Where the download comes from ("latest linux-64 from https://…"), or why it
    /// cannot (a refused `PYVE_MICROMAMBA_URL`, no build for this platform).
    pub source: Result<String, String>,
}

impl Snapshot {
    pub fn backend(&self) -> Option<BackendKind> {
        self.detection().map(|d| d.backend)
    }

    pub fn detection(&self) -> Option<&Detection> {
        self.status.as_ref().map(|s| &s.detection)
    }

    /// The backend's tool, resolved.
    pub fn tool(&self) -> Option<&ToolStatus> {
        self.status.as_ref().map(|s| &s.tool)
    }

    /// The env the project targets (`None` without a usable env name).
    pub fn env(&self) -> Option<&EnvStatus> {
        self.status.as_ref()?.env.as_ref().ok()
    }

    /// A path as the panes show it: relative inside the project, `~/…` under HOME.
    pub fn show(&self, p: &Path) -> String {
        match &self.status {
            Some(s) => words::show_path(&s.project_root, p),
            None => words::show_path(Path::new(&self.project_root), p),
        }
    }
}

/// The micromamba channels, in order, each with where it was named (an env built
/// from a lock: one line saying the lock names them).
pub fn channel_views(s: &Status) -> Vec<String> {
    use pyve_core::engine::channels;
    use pyve_core::engine::project::EnvFileKind;
    let Some(f) = &s.env_file else {
        return Vec::new();
    };
    let file = f.display().to_string();
    if EnvFileKind::of(f) == EnvFileKind::Lock {
        return vec![channels::describe(&[], &file)];
    }
    s.channels
        .iter()
        .map(|c| format!("{} ({})", c.name, c.source.words(&file)))
        .collect()
}

/// Reads everything the panes show for the project found from `start`, for env `env`
/// (`None`: the one `--env`-less commands use).
pub fn load(start: &Path, env: Option<&str>) -> Snapshot {
    let selected = Overrides {
        env: env.map(str::to_string),
        ..Overrides::default()
    };
    let ctx = match Context::load(start, selected.clone()) {
        Ok(c) => c,
        Err(e) => return load_failed(start, e),
    };
    let root = ctx.project.root.clone();
    let show = |p: &Path| words::show_path(&root, p);
    let backend = ctx.backend();
    let path_var = std::env::var_os("PATH").unwrap_or_default();
    let status = status::read(&ctx);
    let micromamba_found = match backend {
        BackendKind::Micromamba => status.tool.found.is_some(),
        BackendKind::Venv => {
            micromamba::resolve_cached(&ctx.project.sandbox_micromamba(), &ctx.pyve_home, &path_var)
                .is_ok()
        }
    };

    // The venv questions are asked of a venv even when detection chose micromamba.
    let editable = match backend {
        BackendKind::Venv => init::editable_choice(&ctx),
        BackendKind::Micromamba => Context::load(
            start,
            Overrides {
                backend: Some(BackendKind::Venv),
                ..selected
            },
        )
        .map(|c| init::editable_choice(&c))
        .unwrap_or(EditableChoice::NotApplicable),
    };
    let setup = SetupDefaults {
        env_name: ctx
            .micromamba_env_name()
            .map(|(n, from)| (n, from.to_string()))
            .map_err(|e| e.to_string()),
        python: ctx.python_request().ok().flatten(),
        channels: ctx.channels(),
        editable,
        venv_dir: show(&ctx.venv_dir()),
        env_file: ctx.env_file().map(|(f, _)| f.display().to_string()),
        micromamba_found,
        pythons: resolve::installed_pythons(status.tool.request.as_ref(), &Lookup::from_env()),
        root: root.clone(),
        envs: match status.envs.len() {
            0 | 1 => vec![],
            _ => status
                .envs
                .iter()
                .map(|e| (e.name.clone(), e.state))
                .collect(),
        },
        shown_env: ctx.env.name.clone(),
    };
    let bootstrap = BootstrapMenu {
        project: show(&Target::Project.path(&ctx)),
        user: show(&Target::User.path(&ctx)),
        system: bootstrap::system_install(&path_var),
        default: Target::default_for(&ctx),
        source: bootstrap::Source::for_this_machine(None)
            .map(|s| format!("{} {} from {}", s.version_label(), s.platform, s.base))
            .map_err(|e| e.to_string()),
    };

    Snapshot {
        project_root: root.display().to_string(),
        found_by: ctx.project.found_by.clone(),
        config_file: ctx.config.file.as_ref().map(|p| show(p)),
        load_error: None,
        status: Some(status),
        doctor: doctor::run(&ctx),
        setup: Some(setup),
        bootstrap: Some(bootstrap),
        purgeable: ctx.project.pyve_dir().is_dir()
            && !pyve_core::engine::purge::plan(&ctx).is_empty(),
    }
}

fn load_failed(start: &Path, e: Error) -> Snapshot {
    let pyve_home = pyve_core::engine::project::pyve_home();
    let project = pyve_core::engine::project::Project::discover(start, &pyve_home);
    // The error's own fix: the file and line to edit (`.pyve/config`, `pyve.toml`), or
    // the command that adds the env `PYVE_ENV` names.
    let fix = e
        .fix()
        .unwrap_or_else(|| pyve_core::engine::fix::Fix::edit(".pyve/config", None));
    let (message, hint) = match &e {
        Error::Config(c) => (c.to_string(), c.hint.clone()),
        other => (
            other.to_string(),
            fix.command_line().map(|c| {
                format!(
                    "run `{c}`, or start pyve without {}",
                    pyve_core::engine::envs::VAR
                )
            }),
        ),
    };
    let doctor = doctor::config_failure(&project.root, message, hint, fix);
    Snapshot {
        project_root: project.root.display().to_string(),
        found_by: project.found_by.clone(),
        config_file: Some(".pyve/config".into()),
        load_error: Some(e.to_string()),
        status: None,
        doctor,
        setup: None,
        bootstrap: None,
        purgeable: false,
    }
}

/// Files whose change means the panes are out of date: a cheap stat of each, polled
/// about once a second by the runtime. The project directory itself is listed so a
/// spec file appearing or disappearing counts.
pub fn watched_paths(start: &Path) -> Vec<PathBuf> {
    let pyve_home = pyve_core::engine::project::pyve_home();
    let project = pyve_core::engine::project::Project::discover(start, &pyve_home);
    let root = project.root.clone();
    let mut v = vec![
        root.clone(),
        project.pyve_dir(),
        project.config_path(),
        project.state_dir(),
        project.sandbox_micromamba(),
        project.envs_dir(),
        pyve_core::sys::platform::sandbox_micromamba(&pyve_home),
        root.join(".venv"),
        root.join(".venv").join("pyvenv.cfg"),
        root.join(".tool-versions"),
        root.join(".python-version"),
        root.join(".gitignore"),
    ];
    for f in pyve_core::engine::project::CONDA_SPECS
        .iter()
        .chain(pyve_core::engine::project::PIP_SPECS)
    {
        v.push(root.join(f));
    }
    if let Ok(entries) = std::fs::read_dir(project.state_dir()) {
        v.extend(entries.flatten().map(|e| e.path()));
    }
    v
}

/// A fingerprint of the watched files' metadata (mtime, size, existence).
pub fn fingerprint(paths: &[PathBuf]) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    for p in paths {
        p.hash(&mut h);
        if let Ok(m) = std::fs::symlink_metadata(p) {
            m.len().hash(&mut h);
            m.modified().ok().hash(&mut h);
        } else {
            0u8.hash(&mut h);
        }
    }
    h.finish()
}
