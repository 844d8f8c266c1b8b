//! What the panes show, read from the engine in one read-only pass: detection, the
//! tool's resolution chain, the env's state, doctor's checks, and the defaults the
//! wizards start from. Loading spawns at most what `doctor` and `status` spawn (a
//! cached `micromamba --version`, a `python3.X --version` when a patch level is
//! requested); the runtime runs it on a blocking thread after the first frame.
//!
//! Every path is turned into the string the user reads here, so the drawing code (and
//! the snapshot tests, which build a [`Snapshot`] from fixed data) handle no paths.

use std::path::{Path, PathBuf};

use pyve_core::engine::bootstrap::{self, SystemInstall, Target};
use pyve_core::engine::context::{Context, Overrides};
use pyve_core::engine::detect::Detection;
use pyve_core::engine::doctor::{self, Report};
use pyve_core::engine::init::{self, EditableChoice};
use pyve_core::engine::project::RootMarker;
use pyve_core::engine::resolve::{PythonRequest, Tried};
use pyve_core::engine::state::EnvState;
use pyve_core::engine::{BackendKind, Error, micromamba};

#[derive(Clone, Debug)]
pub struct Snapshot {
    pub project_root: String,
    pub found_by: RootMarker,
    pub config_file: Option<String>,
    /// The project could not be loaded (an invalid `.pyve/config`): the message. The
    /// Health pane has the failing `config` check with its fix.
    pub load_error: Option<String>,
    pub detection: Option<Detection>,
    pub env: Option<EnvView>,
    pub tool: Option<ToolView>,
    pub doctor: Report,
    pub setup: Option<SetupDefaults>,
    pub bootstrap: Option<BootstrapMenu>,
    /// `purge` would remove something (the footer offers `p` only then).
    pub purgeable: bool,
}

/// The env the project targets, and its state.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EnvView {
    pub name: String,
    pub path: String,
    /// `missing|incomplete|stale|ready`.
    pub state: &'static str,
    pub reason: Option<String>,
    pub python: Option<String>,
}

/// The resolution chain of the backend's tool: a python for a venv, or micromamba.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ToolView {
    pub kind: &'static str,
    /// Path, version and place of the tool taken.
    pub found: Option<(String, String, String)>,
    pub request: Option<PythonRequest>,
    pub tried: Vec<TriedView>,
    /// Why nothing was taken, and how to get one.
    pub error: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TriedView {
    pub place: String,
    pub path: String,
    pub version: Option<String>,
    pub outcome: String,
    pub taken: bool,
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
    pub pythons: Vec<TriedView>,
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
        self.detection.as_ref().map(|d| d.backend)
    }
}

/// How a path reads: relative inside the project, `~/…` under HOME.
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

fn tried_views(root: &Path, tried: &[Tried]) -> Vec<TriedView> {
    tried
        .iter()
        .map(|t| TriedView {
            place: t.place.to_string(),
            path: show_path(root, &t.path),
            version: t.version.clone(),
            outcome: t.outcome.to_string(),
            taken: t.taken(),
        })
        .collect()
}

/// The pythons a venv could be built from. The engine has no "list the installed
/// pythons" call; its resolution lists every version it looked at on the way, so this
/// asks it twice — with the project's request (which walks every version that does not
/// match) and with none — and keeps each version once (the first place that has it).
fn installed_pythons(root: &Path, request: Option<&PythonRequest>) -> Vec<TriedView> {
    use pyve_core::engine::resolve::{self, Lookup};
    let lookup = Lookup::from_env();
    let mut tried = Vec::new();
    for r in [request, None] {
        match resolve::resolve_python(r, &lookup) {
            Ok(res) => tried.extend(res.tried),
            Err(e) => tried.extend(e.tried.clone()),
        }
    }
    let mut out: Vec<TriedView> = Vec::new();
    for t in tried_views(root, &tried) {
        // A python that does not run, or one a venv never uses (a conda prefix's).
        let usable = t.version.is_some()
            && !t.outcome.starts_with("skipped")
            && !t.outcome.contains("conda");
        if usable && !out.iter().any(|o| o.version == t.version) {
            out.push(TriedView {
                taken: false,
                outcome: String::new(),
                ..t
            });
        }
    }
    out.sort_by(|a, b| {
        resolve::version_key(b.version.as_deref().unwrap_or(""))
            .cmp(&resolve::version_key(a.version.as_deref().unwrap_or("")))
    });
    out
}

/// Reads everything the panes show for the project found from `start`.
pub fn load(start: &Path) -> Snapshot {
    let ctx = match Context::load(start, Overrides::default()) {
        Ok(c) => c,
        Err(e) => return load_failed(start, e),
    };
    let root = ctx.project.root.clone();
    let show = |p: &Path| show_path(&root, p);
    let backend = ctx.backend();
    let path_var = std::env::var_os("PATH").unwrap_or_default();

    let t = ctx.resolve_tool();
    let tool = ToolView {
        kind: t.kind,
        found: t
            .found
            .as_ref()
            .map(|r| (show(&r.path), r.version.clone(), r.place.to_string())),
        request: t.request.clone(),
        tried: tried_views(&root, &t.tried),
        error: t.error.clone(),
    };
    let micromamba_found = match backend {
        BackendKind::Micromamba => tool.found.is_some(),
        BackendKind::Venv => {
            micromamba::resolve_cached(&ctx.project.sandbox_micromamba(), &ctx.pyve_home, &path_var)
                .is_ok()
        }
    };

    let env = ctx.target().ok().map(|t| {
        let state = ctx.env_state(&t);
        let (state_name, reason, python) = match &state {
            Ok(s) => (
                s.name(),
                match s {
                    EnvState::Incomplete { reason, .. } | EnvState::Unmanaged { reason, .. } => {
                        Some(reason.clone())
                    }
                    EnvState::Stale { changed, .. } => {
                        Some(pyve_core::engine::state::describe_changes(changed))
                    }
                    _ => None,
                },
                s.record()
                    .map(|r| r.python.version.clone())
                    .filter(|v| !v.is_empty()),
            ),
            Err(e) => ("missing", Some(e.to_string()), None),
        };
        EnvView {
            name: t.name.clone(),
            path: show(&t.prefix),
            state: state_name,
            reason,
            python,
        }
    });

    // The venv questions are asked of a venv even when detection chose micromamba.
    let editable = match backend {
        BackendKind::Venv => init::editable_choice(&ctx),
        BackendKind::Micromamba => Context::load(
            start,
            Overrides {
                backend: Some(BackendKind::Venv),
                ..Overrides::default()
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
        pythons: installed_pythons(&root, tool.request.as_ref()),
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
        detection: Some(ctx.detection.clone()),
        env,
        tool: Some(tool),
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
    let doctor = match &e {
        Error::Config(c) => doctor::config_failure(&project.root, c.to_string(), c.hint.clone()),
        other => doctor::config_failure(&project.root, other.to_string(), None),
    };
    Snapshot {
        project_root: project.root.display().to_string(),
        found_by: project.found_by.clone(),
        config_file: Some(".pyve/config".into()),
        load_error: Some(e.to_string()),
        detection: None,
        env: None,
        tool: None,
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
        pyve_home.join("bin").join("micromamba"),
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
