//! What the TUI's tests share: fixed data (projects, checks, a bootstrap menu; no temp
//! paths, no clocks, so screens are deterministic), an `App` built from it, the screen
//! drawn on ratatui's `TestBackend`, key and task-event shorthands, and [`snapshot!`].
//! The tests themselves live beside each feature (`tests.rs` in each pane and overlay
//! folder; the dashboard's in `src/tui/tests.rs`).

pub use std::path::PathBuf;
pub use std::time::Duration;

pub use crossterm::event::{
    KeyCode, KeyEvent, KeyModifiers, MouseButton, MouseEvent, MouseEventKind,
};
pub use ratatui::Terminal;
pub use ratatui::backend::TestBackend;
pub use ratatui::style::Color;

pub use crate::tui::action::{Action, Effect, InitRequest, JobEvent};
pub use crate::tui::app::*;
pub use crate::tui::data::{BootstrapMenu, SetupDefaults, Snapshot};
pub use crate::tui::log::LineKind;
pub use crate::tui::overlay::run::state::split_command;
pub use crate::tui::theme::Theme;
pub use crate::tui::ui;
pub use crate::tui::update::update;
pub use pyve_core::engine::BackendKind;
pub use pyve_core::engine::bootstrap::{Progress, SystemInstall, Target};
pub use pyve_core::engine::context::ToolStatus;
pub use pyve_core::engine::detect::Detection;
pub use pyve_core::engine::detect::detect;
pub use pyve_core::engine::doctor::{Check, CheckId, Report, Status, Summary};
pub use pyve_core::engine::fix::Fix;
pub use pyve_core::engine::init::EditableChoice;
pub use pyve_core::engine::project::{RootMarker, SpecFiles};
pub use pyve_core::engine::resolve::{
    Outcome as Looked, Place, PythonChoice, PythonRequest, RequestSource, Resolution, Tried,
};
pub use pyve_core::engine::status::EnvStatus;
pub use pyve_core::jobs::purge::Scope;
pub use pyve_core::tasks::{Outcome, Stream, TaskEvent};

/// `insta::assert_snapshot!`, into `src/tui/snapshots/` under the names the screens
/// have always had (`pyve__tui__tests__NAME.snap`) wherever the test lives: insta would
/// otherwise name a snapshot after its test's module and keep it beside that file.
/// `INSTA_UPDATE=always cargo test tui::` rewrites them after a deliberate change
/// (review the diff).
macro_rules! snapshot {
    ($name:literal, $value:expr) => {
        insta::with_settings!({
            snapshot_path => concat!(env!("CARGO_MANIFEST_DIR"), "/src/tui/snapshots"),
            prepend_module_to_snapshot => false,
        }, {
            insta::assert_snapshot!(concat!("pyve__tui__tests__", $name), $value);
        })
    };
}
pub(crate) use snapshot;

// ---------------------------------------------------------------------------------
// Fixed data

pub const ROOT: &str = "/home/me/proj";

pub fn check(id: CheckId, status: Status, label: &str, fix: Option<(Fix, &str)>) -> Check {
    Check {
        id,
        status,
        label: label.into(),
        detail: vec![],
        action: fix.as_ref().map(|(a, _)| a.clone()),
        fix: fix.map(|(_, words)| words.to_string()),
    }
}

pub fn report(backend: &str, checks: Vec<Check>) -> Report {
    let mut summary = Summary::default();
    for c in &checks {
        match c.status {
            Status::Ok => summary.ok += 1,
            Status::Warn => summary.warn += 1,
            Status::Fail => summary.fail += 1,
            Status::Skip => summary.skip += 1,
        }
    }
    Report {
        project_root: ROOT.into(),
        env: "default".into(),
        backend: backend.into(),
        checks,
        summary,
    }
}

pub fn tried(place: Place, path: &str, version: Option<&str>, outcome: Looked) -> Tried {
    Tried {
        place,
        path: path.into(),
        version: version.map(str::to_string),
        outcome,
    }
}

/// The engine's status of a project at [`ROOT`]-like `root`, as a fixture.
pub fn status(
    root: &str,
    detection: Detection,
    env: EnvStatus,
    tool: ToolStatus,
) -> pyve_core::engine::status::Status {
    pyve_core::engine::status::Status {
        project_root: root.into(),
        found_by: RootMarker::SpecFile,
        config_file: None,
        detection,
        tool,
        choice: PythonChoice::default(),
        env: Ok(env),
        channels: vec![],
        env_file: None,
        selected: pyve_core::engine::envs::Selected {
            name: "default".into(),
            source: pyve_core::engine::envs::Source::Default,
            defined: true,
        },
        envs: vec![],
    }
}

pub fn env_status(name: &str, prefix: &str, state: &'static str) -> EnvStatus {
    EnvStatus {
        name: name.into(),
        prefix: prefix.into(),
        state,
        reason: None,
        python: None,
        unreadable: None,
    }
}

/// The fixture's env, to change a test's copy.
pub fn env_mut(s: &mut Snapshot) -> &mut EnvStatus {
    s.status
        .as_mut()
        .and_then(|st| st.env.as_mut().ok())
        .expect("the fixture has an env")
}

pub fn menu(system: SystemInstall) -> BootstrapMenu {
    BootstrapMenu {
        project: ".pyve/bin/micromamba".into(),
        user: "~/.pyve/bin/micromamba".into(),
        system,
        default: Target::Project,
        source: Ok(
            "latest linux-64 from https://github.com/mamba-org/micromamba-releases/releases".into(),
        ),
    }
}

pub fn no_system() -> SystemInstall {
    SystemInstall::Unavailable {
        why: "no package manager here packages micromamba (apt has no micromamba package)".into(),
    }
}

/// A fresh pip project: requirements.txt, no env yet, python 3.11.7 from pyenv.
///
/// Longer than the ~120 lines a function gets, on purpose: it is one literal, the whole
/// project as the screens show it, read top to bottom.
/// An installed python, as the python step offers it.
pub fn python_choice(version: &str, place: Place, path: &str) -> Tried {
    tried(place, path, Some(version), Looked::Rejected(String::new()))
}

pub fn pip_project() -> Snapshot {
    let detection = detect(
        None,
        None,
        &SpecFiles {
            conda: vec![],
            pip: vec!["requirements.txt"],
        },
    );
    let mut tool_check = check(
        CheckId::Tool,
        Status::Ok,
        "Base python: ~/.pyenv/versions/3.11.7/bin/python3 (3.11.7, pyenv)",
        None,
    );
    tool_check.detail = vec!["pyenv ~/.pyenv/versions/3.11.7/bin/python3: taken".into()];
    let mut env_check = check(
        CheckId::Env,
        Status::Fail,
        "Environment: .venv missing",
        Some((Fix::init(), "`pyve init` creates it")),
    );
    env_check.detail = vec![];
    Snapshot {
        project_root: ROOT.into(),
        found_by: RootMarker::SpecFile,
        config_file: None,
        load_error: None,
        status: Some(status(
            ROOT,
            detection,
            env_status(".venv", ".venv", "missing"),
            ToolStatus {
                kind: "python",
                found: Some(Resolution {
                    kind: "python",
                    path: "~/.pyenv/versions/3.11.7/bin/python3".into(),
                    version: "3.11.7".into(),
                    place: Place::Pyenv,
                    tried: vec![],
                }),
                request: Some(PythonRequest {
                    version: "3.11".into(),
                    source: RequestSource::PythonVersionFile,
                }),
                tried: vec![
                    tried(
                        Place::Asdf,
                        "~/.asdf/installs/python",
                        None,
                        Looked::NotInstalled,
                    ),
                    tried(
                        Place::Pyenv,
                        "~/.pyenv/versions/3.12.1",
                        Some("3.12.1"),
                        Looked::Rejected("does not match 3.11".into()),
                    ),
                    tried(
                        Place::Pyenv,
                        "~/.pyenv/versions/3.11.7/bin/python3",
                        Some("3.11.7"),
                        Looked::Taken,
                    ),
                ],
                error: None,
                fix: None,
                action: None,
                others: vec![],
            },
        )),
        doctor: report(
            "venv",
            vec![
                check(
                    CheckId::Config,
                    Status::Ok,
                    "Config: none yet (defaults)",
                    None,
                ),
                check(
                    CheckId::Backend,
                    Status::Ok,
                    "Backend: venv (from requirements.txt)",
                    None,
                ),
                tool_check,
                env_check,
                check(
                    CheckId::EnvFresh,
                    Status::Skip,
                    "Environment up to date: no environment",
                    None,
                ),
                check(
                    CheckId::Python,
                    Status::Skip,
                    "Python: no environment",
                    None,
                ),
                check(
                    CheckId::EnvFile,
                    Status::Skip,
                    "Environment file: not used by the venv backend",
                    None,
                ),
                check(
                    CheckId::LockFile,
                    Status::Skip,
                    "Lock file: not used by the venv backend",
                    None,
                ),
                check(
                    CheckId::PipInConda,
                    Status::Skip,
                    "pip in conda env: not a conda env",
                    None,
                ),
                check(
                    CheckId::RuntimeMixing,
                    Status::Ok,
                    "Runtime mixing: none",
                    None,
                ),
                check(
                    CheckId::Gitignore,
                    Status::Skip,
                    "Git: not a git repository",
                    None,
                ),
            ],
        ),
        setup: Some(SetupDefaults {
            env_name: Ok(("proj".into(), "project directory".into())),
            python: Some(PythonRequest {
                version: "3.11".into(),
                source: RequestSource::PythonVersionFile,
            }),
            channels: vec![],
            editable: EditableChoice::NotApplicable,
            venv_dir: ".venv".into(),
            env_file: None,
            micromamba_found: false,
            root: ROOT.into(),
            envs: vec![],
            shown_env: "default".into(),
            pythons: vec![
                python_choice(
                    "3.12.1",
                    Place::Pyenv,
                    "~/.pyenv/versions/3.12.1/bin/python3",
                ),
                python_choice(
                    "3.11.7",
                    Place::Pyenv,
                    "~/.pyenv/versions/3.11.7/bin/python3",
                ),
                python_choice("3.10.12", Place::System, "/usr/bin/python3.10"),
            ],
        }),
        bootstrap: Some(menu(no_system())),
        purgeable: false,
    }
}

/// A conda project (environment.yml) on a machine without micromamba.
/// Long for the same reason as [`pip_project`]: one literal, read top to bottom.
pub fn conda_project() -> Snapshot {
    let detection = detect(
        None,
        None,
        &SpecFiles {
            conda: vec!["environment.yml"],
            pip: vec![],
        },
    );
    let mut tool = check(
        CheckId::Tool,
        Status::Fail,
        "Micromamba: not found",
        Some((
            Fix::Bootstrap,
            "`pyve bootstrap` (or `pyve init --auto-bootstrap`) installs it into .pyve/bin",
        )),
    );
    tool.detail = vec![
        "project .pyve/bin/micromamba: not installed".into(),
        "user ~/.pyve/bin/micromamba: not installed".into(),
        "path micromamba: not on PATH".into(),
    ];
    Snapshot {
        project_root: "/home/me/science".into(),
        found_by: RootMarker::SpecFile,
        config_file: None,
        load_error: None,
        status: Some(status(
            "/home/me/science",
            detection,
            env_status("science", ".pyve/envs/science", "missing"),
            ToolStatus {
                kind: "micromamba",
                found: None,
                request: None,
                tried: vec![
                    tried(
                        Place::Project,
                        ".pyve/bin/micromamba",
                        None,
                        Looked::NotInstalled,
                    ),
                    tried(
                        Place::User,
                        "~/.pyve/bin/micromamba",
                        None,
                        Looked::NotInstalled,
                    ),
                    tried(Place::Path, "micromamba", None, Looked::NotOnPath),
                ],
                error: Some("micromamba not found".into()),
                fix: None,
                action: None,
                others: vec![],
            },
        ))
        .map(|mut s| {
            use pyve_core::engine::channels::{Channel, ChannelSource};
            s.env_file = Some("environment.yml".into());
            s.channels = vec![
                Channel {
                    name: "conda-forge".into(),
                    source: ChannelSource::EnvFile,
                },
                Channel {
                    name: "bioconda".into(),
                    source: ChannelSource::Config,
                },
            ];
            s
        }),
        doctor: report(
            "micromamba",
            vec![
                check(
                    CheckId::Config,
                    Status::Ok,
                    "Config: none yet (defaults)",
                    None,
                ),
                check(
                    CheckId::Backend,
                    Status::Ok,
                    "Backend: micromamba (from environment.yml)",
                    None,
                ),
                tool,
                check(
                    CheckId::Env,
                    Status::Fail,
                    "Environment: .pyve/envs/science missing",
                    Some((Fix::init(), "`pyve init` creates it")),
                ),
                check(
                    CheckId::EnvFresh,
                    Status::Skip,
                    "Environment up to date: no environment",
                    None,
                ),
                check(
                    CheckId::Python,
                    Status::Skip,
                    "Python: no environment",
                    None,
                ),
                check(
                    CheckId::EnvFile,
                    Status::Ok,
                    "Environment file: environment.yml",
                    None,
                ),
                check(
                    CheckId::LockFile,
                    Status::Skip,
                    "Lock file: none (conda-lock.yml)",
                    None,
                ),
                check(
                    CheckId::PipInConda,
                    Status::Skip,
                    "pip in conda env: no environment",
                    None,
                ),
                check(
                    CheckId::RuntimeMixing,
                    Status::Ok,
                    "Runtime mixing: none",
                    None,
                ),
                check(
                    CheckId::Gitignore,
                    Status::Skip,
                    "Git: not a git repository",
                    None,
                ),
            ],
        ),
        setup: Some(SetupDefaults {
            env_name: Ok(("science".into(), "env file".into())),
            python: None,
            channels: vec!["conda-forge".into()],
            editable: EditableChoice::NotApplicable,
            venv_dir: ".venv".into(),
            env_file: Some("environment.yml".into()),
            micromamba_found: false,
            root: "/home/me/science".into(),
            pythons: vec![],
            envs: vec![],
            shown_env: "default".into(),
        }),
        bootstrap: Some(menu(no_system())),
        purgeable: false,
    }
}

/// A venv project whose env is built but stale, with both kinds of spec and a git
/// repository that does not ignore the venv: doctor warns three times.
pub fn warning_project() -> Snapshot {
    let mut s = pip_project();
    // The user chose venv explicitly in .pyve/config.
    let st = s.status.as_mut().expect("the fixture has a status");
    st.detection = detect(
        None,
        Some(BackendKind::Venv),
        &SpecFiles {
            conda: vec!["environment.yml"],
            pip: vec!["requirements.txt"],
        },
    );
    s.found_by = RootMarker::PyveDir;
    s.config_file = Some(".pyve/config".into());
    let env = env_mut(&mut s);
    env.state = "stale";
    env.reason = Some("requirements.txt changed".into());
    env.python = Some("3.11.7".into());
    let mut backend = check(
        CheckId::Backend,
        Status::Warn,
        "Backend: venv (from .pyve/config) — environment.yml ignored",
        None,
    );
    // The warning itself is the fix's words; there is no action to take from it.
    backend.fix = Some(
        "venv chosen (by .pyve/config) although environment.yml exists: its conda packages will not be installed".into(),
    );
    backend.detail = vec![
        "venv chosen (by .pyve/config) although environment.yml exists: its conda packages will not be installed".into(),
    ];
    s.doctor = report(
        "venv",
        vec![
            check(
                CheckId::Config,
                Status::Ok,
                "Config: .pyve/config valid",
                None,
            ),
            backend,
            check(
                CheckId::Tool,
                Status::Ok,
                "Base python: ~/.pyenv/versions/3.11.7/bin/python3 (3.11.7, pyenv)",
                None,
            ),
            check(CheckId::Env, Status::Ok, "Environment: .venv", None),
            check(
                CheckId::EnvFresh,
                Status::Warn,
                "Environment up to date: no — requirements.txt changed",
                Some((Fix::init(), "`pyve init` updates it")),
            ),
            check(CheckId::Python, Status::Ok, "Python: 3.11.7", None),
            check(
                CheckId::EnvFile,
                Status::Skip,
                "Environment file: not used by the venv backend",
                None,
            ),
            check(
                CheckId::LockFile,
                Status::Skip,
                "Lock file: not used by the venv backend",
                None,
            ),
            check(
                CheckId::PipInConda,
                Status::Skip,
                "pip in conda env: not a conda env",
                None,
            ),
            check(
                CheckId::RuntimeMixing,
                Status::Ok,
                "Runtime mixing: none",
                None,
            ),
            check(
                CheckId::Gitignore,
                Status::Warn,
                "Git: .venv not ignored",
                Some((Fix::edit(".gitignore", None), "add /.venv/ to .gitignore")),
            ),
        ],
    );
    s
}

pub fn app_with(snapshot: Snapshot, w: u16, h: u16) -> App {
    let mut app = App::new(Theme::new(true, true), (w, h));
    update(&mut app, Action::Refreshed(Box::new(snapshot)));
    app
}

pub fn render(app: &App) -> Terminal<TestBackend> {
    let mut t = Terminal::new(TestBackend::new(app.size.0, app.size.1)).unwrap();
    t.draw(|f| ui::draw(app, f)).unwrap();
    t
}

pub fn screen(app: &App) -> String {
    render(app).backend().to_string()
}

pub fn key(c: char) -> Action {
    Action::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE))
}

pub fn code(k: KeyCode) -> Action {
    Action::Key(KeyEvent::new(k, KeyModifiers::NONE))
}

pub fn ctrl_c() -> Action {
    Action::Key(KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL))
}

pub fn task(ev: TaskEvent) -> Action {
    Action::Task(ev)
}

pub fn line(id: u64, text: &str) -> Action {
    task(TaskEvent::Line {
        id,
        stream: Stream::Stdout,
        text: text.into(),
    })
}

pub fn log_texts(app: &App) -> Vec<String> {
    (0..app.log.len())
        .map(|i| app.log.get(i).unwrap().text.clone())
        .collect()
}

/// An init that started streaming: the job as update sets it, then the queue's events.
pub fn running_create(app: &mut App) {
    crate::tui::update::start_job_as(
        app,
        JobKind::Init,
        "init .venv".into(),
        Some("pyve init".into()),
    );
    app.focus = Pane::Log;
    update(
        app,
        Action::Job(JobEvent::Line(
            LineKind::Info,
            "backend venv — from requirements.txt".into(),
        )),
    );
    update(
        app,
        Action::Job(JobEvent::Line(
            LineKind::Info,
            "Creating .venv with python 3.11.7 (~/.pyenv/versions/3.11.7/bin/python3, pyenv) — no environment yet".into(),
        )),
    );
    update(
        app,
        task(TaskEvent::Started {
            id: 1,
            title: "init .venv".into(),
        }),
    );
    update(
        app,
        task(TaskEvent::Progress {
            id: 1,
            done: 1,
            total: 2,
        }),
    );
    update(
        app,
        task(TaskEvent::Step {
            id: 1,
            label: "create .venv with python 3.11.7".into(),
            command: "~/.pyenv/versions/3.11.7/bin/python3 -m venv /home/me/proj/.venv".into(),
        }),
    );
    update(
        app,
        task(TaskEvent::Step {
            id: 1,
            label: "install requirements.txt".into(),
            command: "/home/me/proj/.venv/bin/python -m pip install -r requirements.txt".into(),
        }),
    );
    for l in [
        "Collecting requests>=2.31 (from -r requirements.txt (line 1))",
        "  Downloading requests-2.32.3-py3-none-any.whl (64 kB)",
        "Collecting charset-normalizer<4,>=2 (from requests>=2.31)",
        "Collecting idna<4,>=2.5 (from requests>=2.31)",
        "Collecting urllib3<3,>=1.21.1 (from requests>=2.31)",
        "Installing collected packages: urllib3, idna, charset-normalizer, requests",
    ] {
        update(app, line(1, l));
    }
}

/// `snapshot` in a project with these envs (the first is `default`, a ready venv; the
/// others venvs in `.pyve/envs`, missing), `selected` shown.
pub fn with_envs(mut snapshot: Snapshot, names: &[&str], selected: &str) -> Snapshot {
    use pyve_core::engine::envs::{Selected, Source};
    use pyve_core::engine::status::EnvListing;
    let s = snapshot.status.as_mut().expect("a loaded snapshot");
    s.selected = Selected {
        name: selected.into(),
        source: Source::Flag,
        defined: true,
    };
    s.envs = names
        .iter()
        .map(|n| EnvListing {
            name: n.to_string(),
            backend: pyve_core::engine::BackendKind::Venv,
            path: if *n == "default" {
                format!("{ROOT}/.venv").into()
            } else {
                format!("{ROOT}/.pyve/envs/{n}").into()
            },
            state: if *n == "default" { "ready" } else { "missing" },
            reason: None,
            selected: *n == selected,
        })
        .collect();
    if let Some(d) = snapshot.setup.as_mut() {
        d.envs = names
            .iter()
            .map(|n| {
                (
                    n.to_string(),
                    if *n == "default" { "ready" } else { "missing" },
                )
            })
            .collect();
        d.shown_env = selected.into();
    }
    let s = snapshot.status.as_mut().expect("a loaded snapshot");
    if selected != "default"
        && let Ok(e) = s.env.as_mut()
    {
        e.name = format!(".pyve/envs/{selected}");
        e.prefix = format!("{ROOT}/.pyve/envs/{selected}").into();
    }
    snapshot
}

/// The pip project's dashboard at 100×30 with these envs.
pub fn app_with_envs(names: &[&str], selected: &str) -> App {
    app_with(with_envs(pip_project(), names, selected), 100, 30)
}

/// A job that runs (started at tick 0, no task yet).
pub fn running_job() -> crate::tui::app::Job {
    crate::tui::app::Job {
        kind: JobKind::Run,
        title: "run pytest".into(),
        task: None,
        progress: None,
        cancelling: false,
        started_tick: 0,
        header: None,
    }
}
