//! The TUI's tests: whole screens drawn on ratatui's `TestBackend` and compared with
//! insta snapshots (src/tui/snapshots/), and `update` driven action by action. Every
//! screen is built from fixed data (no temp paths, no clocks), so snapshots are
//! deterministic; `INSTA_UPDATE=always cargo test tui::` rewrites them after a
//! deliberate change (review the diff).

use std::path::PathBuf;
use std::time::Duration;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers, MouseButton, MouseEvent, MouseEventKind};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::style::Color;

use super::action::{Action, Effect, InitRequest, JobEvent};
use super::app::*;
use super::data::{BootstrapMenu, EnvView, SetupDefaults, Snapshot, ToolView, TriedView};
use super::log::LineKind;
use super::theme::Theme;
use super::ui;
use super::update::{split_command, update};
use pyve_core::engine::BackendKind;
use pyve_core::engine::bootstrap::{Progress, SystemInstall, Target};
use pyve_core::engine::detect::detect;
use pyve_core::engine::doctor::{Check, CheckId, Report, Status, Summary};
use pyve_core::engine::fix::Fix;
use pyve_core::engine::init::EditableChoice;
use pyve_core::engine::project::{RootMarker, SpecFiles};
use pyve_core::engine::resolve::{PythonRequest, RequestSource};
use pyve_core::tasks::{Outcome, Stream, TaskEvent};

// ---------------------------------------------------------------------------------
// Fixed data

const ROOT: &str = "/home/me/proj";

fn check(id: CheckId, status: Status, label: &str, fix: Option<(Fix, &str)>) -> Check {
    Check {
        id,
        status,
        label: label.into(),
        detail: vec![],
        action: fix.as_ref().map(|(a, _)| a.clone()),
        fix: fix.map(|(_, words)| words.to_string()),
    }
}

fn report(backend: &str, checks: Vec<Check>) -> Report {
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
        backend: backend.into(),
        checks,
        summary,
    }
}

fn tried(place: &str, path: &str, version: Option<&str>, outcome: &str, taken: bool) -> TriedView {
    TriedView {
        place: place.into(),
        path: path.into(),
        version: version.map(str::to_string),
        outcome: outcome.into(),
        taken,
    }
}

fn menu(system: SystemInstall) -> BootstrapMenu {
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

fn no_system() -> SystemInstall {
    SystemInstall::Unavailable {
        why: "no package manager here packages micromamba (apt has no micromamba package)".into(),
    }
}

/// A fresh pip project: requirements.txt, no env yet, python 3.11.7 from pyenv.
fn pip_project() -> Snapshot {
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
        detection: Some(detection),
        env: Some(EnvView {
            name: ".venv".into(),
            path: ".venv".into(),
            state: "missing",
            reason: None,
            python: None,
        }),
        tool: Some(ToolView {
            kind: "python",
            found: Some((
                "~/.pyenv/versions/3.11.7/bin/python3".into(),
                "3.11.7".into(),
                "pyenv".into(),
            )),
            request: Some(PythonRequest {
                version: "3.11".into(),
                source: RequestSource::PythonVersionFile,
            }),
            tried: vec![
                tried(
                    "asdf",
                    "~/.asdf/installs/python",
                    None,
                    "not installed",
                    false,
                ),
                tried(
                    "pyenv",
                    "~/.pyenv/versions/3.12.1",
                    Some("3.12.1"),
                    "does not match 3.11",
                    false,
                ),
                tried(
                    "pyenv",
                    "~/.pyenv/versions/3.11.7/bin/python3",
                    Some("3.11.7"),
                    "taken",
                    true,
                ),
            ],
            error: None,
        }),
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
        }),
        bootstrap: Some(menu(no_system())),
    }
}

/// A conda project (environment.yml) on a machine without micromamba.
fn conda_project() -> Snapshot {
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
        detection: Some(detection),
        env: Some(EnvView {
            name: "science".into(),
            path: ".pyve/envs/science".into(),
            state: "missing",
            reason: None,
            python: None,
        }),
        tool: Some(ToolView {
            kind: "micromamba",
            found: None,
            request: None,
            tried: vec![
                tried(
                    "project",
                    ".pyve/bin/micromamba",
                    None,
                    "not installed",
                    false,
                ),
                tried(
                    "user",
                    "~/.pyve/bin/micromamba",
                    None,
                    "not installed",
                    false,
                ),
                tried("path", "micromamba", None, "not on PATH", false),
            ],
            error: Some("micromamba not found".into()),
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
        }),
        bootstrap: Some(menu(no_system())),
    }
}

/// A venv project whose env is built but stale, with both kinds of spec and a git
/// repository that does not ignore the venv: doctor warns three times.
fn warning_project() -> Snapshot {
    let mut s = pip_project();
    s.detection = Some(detect(
        None,
        None,
        &SpecFiles {
            conda: vec!["environment.yml"],
            pip: vec!["requirements.txt"],
        },
    ));
    // The user chose venv explicitly in .pyve/config.
    s.detection = Some(detect(
        None,
        Some(BackendKind::Venv),
        &SpecFiles {
            conda: vec!["environment.yml"],
            pip: vec!["requirements.txt"],
        },
    ));
    s.found_by = RootMarker::PyveDir;
    s.config_file = Some(".pyve/config".into());
    s.env = Some(EnvView {
        name: ".venv".into(),
        path: ".venv".into(),
        state: "stale",
        reason: Some("requirements.txt changed".into()),
        python: Some("3.11.7".into()),
    });
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

fn app_with(snapshot: Snapshot, w: u16, h: u16) -> App {
    let mut app = App::new(Theme::new(true, true), (w, h));
    update(&mut app, Action::Refreshed(Box::new(snapshot)));
    app
}

fn render(app: &App) -> Terminal<TestBackend> {
    let mut t = Terminal::new(TestBackend::new(app.size.0, app.size.1)).unwrap();
    t.draw(|f| ui::draw(app, f)).unwrap();
    t
}

fn screen(app: &App) -> String {
    render(app).backend().to_string()
}

fn key(c: char) -> Action {
    Action::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE))
}

fn code(k: KeyCode) -> Action {
    Action::Key(KeyEvent::new(k, KeyModifiers::NONE))
}

fn ctrl_c() -> Action {
    Action::Key(KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL))
}

fn task(ev: TaskEvent) -> Action {
    Action::Task(ev)
}

fn line(id: u64, text: &str) -> Action {
    task(TaskEvent::Line {
        id,
        stream: Stream::Stdout,
        text: text.into(),
    })
}

fn log_texts(app: &App) -> Vec<String> {
    (0..app.log.len())
        .map(|i| app.log.get(i).unwrap().text.clone())
        .collect()
}

/// An init that started streaming: the job as update sets it, then the queue's events.
fn running_create(app: &mut App) {
    app.job = Some(Job {
        kind: JobKind::Init,
        title: "init .venv".into(),
        task: None,
        progress: None,
        cancelling: false,
    });
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

// ---------------------------------------------------------------------------------
// Screens

#[test]
fn screen_fresh_pip_project() {
    let mut app = app_with(pip_project(), 100, 30);
    // The env check, whose fix Enter runs.
    update(&mut app, Action::ScrollDown(3));
    insta::assert_snapshot!("fresh_pip_project", screen(&app));
}

#[test]
fn screen_first_frame_before_detection() {
    let app = App::new(Theme::new(true, true), (80, 24));
    let s = screen(&app);
    assert!(s.contains("detecting"), "{s}");
    insta::assert_snapshot!("first_frame", s);
}

#[test]
fn screen_conda_project_micromamba_missing_bootstrap_wizard() {
    let mut app = app_with(conda_project(), 100, 30);
    update(&mut app, key('b'));
    assert!(matches!(app.overlay, Some(Overlay::Bootstrap(_))));
    insta::assert_snapshot!("conda_bootstrap_wizard", screen(&app));
}

#[test]
fn screen_bootstrap_download_in_progress() {
    let mut app = app_with(conda_project(), 100, 30);
    update(&mut app, key('b'));
    let fx = update(&mut app, key('1'));
    assert_eq!(fx, vec![Effect::Bootstrap(Target::Project)]);
    for p in [
        Progress::Checksum {
            url: "u.sha256".into(),
        },
        Progress::Downloading {
            url: "u".into(),
            total: Some(8 * 1024 * 1024),
        },
        Progress::Bytes {
            done: 3 * 1024 * 1024,
            total: Some(8 * 1024 * 1024),
        },
    ] {
        update(&mut app, Action::Job(JobEvent::Bootstrap(p)));
    }
    insta::assert_snapshot!("bootstrap_downloading", screen(&app));
    for p in [
        Progress::Downloaded {
            bytes: 8 * 1024 * 1024,
        },
        Progress::Verified {
            sha256: "ab".repeat(32),
        },
        Progress::Runs {
            version: "2.0.5".into(),
        },
        Progress::Installed {
            path: PathBuf::from("/home/me/science/.pyve/bin/micromamba"),
        },
    ] {
        update(&mut app, Action::Job(JobEvent::Bootstrap(p)));
    }
    update(&mut app, Action::Job(JobEvent::Done(Ok(()))));
    let s = screen(&app);
    assert!(
        s.contains("micromamba 2.0.5 installed to .pyve/bin/micromamba"),
        "{s}"
    );
    insta::assert_snapshot!("bootstrap_done", s);
}

#[test]
fn screen_running_create_streaming() {
    let mut app = app_with(pip_project(), 100, 30);
    running_create(&mut app);
    app.tick = 3;
    insta::assert_snapshot!("running_create", screen(&app));
}

#[test]
fn screen_failed_task() {
    let mut app = app_with(pip_project(), 100, 40);
    running_create(&mut app);
    update(
        &mut app,
        Action::Task(TaskEvent::Line {
            id: 1,
            stream: Stream::Stderr,
            text: "ERROR: Could not find a version that satisfies the requirement requests>=2.31 (from versions: none)".into(),
        }),
    );
    update(
        &mut app,
        task(TaskEvent::Finished {
            id: 1,
            outcome: Outcome::Failed("install requirements.txt failed (exit status 1)".into()),
            duration: Duration::from_millis(3400),
        }),
    );
    update(
        &mut app,
        Action::Job(JobEvent::Line(
            LineKind::Warn,
            ".venv is left incomplete: fix the problem above and run init again (i); it rebuilds it".into(),
        )),
    );
    update(
        &mut app,
        Action::Job(JobEvent::Done(Err(
            "install requirements.txt failed (exit status 1)".into(),
        ))),
    );
    assert!(app.job.is_none());
    let s = screen(&app);
    assert!(s.contains("init .venv — failed after 3.4s"), "{s}");
    insta::assert_snapshot!("failed_task", s);
}

#[test]
fn screen_doctor_with_warnings() {
    let mut app = app_with(warning_project(), 100, 30);
    update(&mut app, Action::ScrollDown(4));
    let s = screen(&app);
    assert!(s.contains("3 warn"), "{s}");
    insta::assert_snapshot!("doctor_warnings", s);
}

#[test]
fn screen_tiny_terminal() {
    let app = app_with(pip_project(), 40, 10);
    insta::assert_snapshot!("tiny_40x10", screen(&app));
    let mut app = app_with(conda_project(), 40, 10);
    update(&mut app, key('b'));
    update(&mut app, key('j'));
    update(&mut app, key('j'));
    let s = screen(&app);
    // The selected option stays in view on a small screen.
    assert!(s.contains("3 System package"), "{s}");
    insta::assert_snapshot!("tiny_40x10_bootstrap", s);
}

#[test]
fn screen_resizes() {
    let mut app = app_with(pip_project(), 100, 30);
    for (w, h) in [
        (60, 16),
        (59, 16),
        (200, 50),
        (20, 5),
        (10, 3),
        (4, 3),
        (3, 2),
    ] {
        update(&mut app, Action::Resize(w, h));
        // Every size draws without panicking, with every overlay open too.
        let _ = screen(&app);
        for open in [
            Action::OpenHelp,
            Action::OpenSetup,
            Action::OpenBootstrap,
            Action::OpenRun,
            Action::OpenPurge,
        ] {
            update(&mut app, open);
            let _ = screen(&app);
            if let Some(Overlay::Setup(_)) = &app.overlay {
                for _ in 0..3 {
                    update(&mut app, code(KeyCode::Enter));
                    let _ = screen(&app);
                }
            }
            update(&mut app, Action::CloseOverlay);
        }
        running_create(&mut app);
        update(&mut app, Action::Quit);
        let _ = screen(&app);
        update(&mut app, Action::CloseOverlay);
        update(&mut app, Action::Job(JobEvent::Done(Ok(()))));
    }
}

#[test]
fn screen_no_color() {
    let mut app = app_with(pip_project(), 100, 30);
    app.theme = Theme::new(false, true);
    update(&mut app, Action::ScrollDown(3));
    let t = render(&app);
    for cell in t.backend().buffer().content() {
        assert!(
            matches!(cell.fg, Color::Reset) && matches!(cell.bg, Color::Reset),
            "a coloured cell under NO_COLOR: {cell:?}"
        );
    }
    let s = t.backend().to_string();
    // Meaning is in the marks, not in colour.
    assert!(s.contains("✗ Environment: .venv missing"), "{s}");
    insta::assert_snapshot!("no_color", s);
}

#[test]
fn screen_ascii_locale() {
    let mut app = app_with(warning_project(), 80, 24);
    app.theme = Theme::new(false, false);
    running_create(&mut app);
    let t = render(&app);
    for cell in t.backend().buffer().content() {
        assert!(cell.symbol().is_ascii(), "non-ASCII cell: {cell:?}");
    }
    insta::assert_snapshot!("ascii_locale", t.backend().to_string());
}

#[test]
fn screen_setup_wizard_review() {
    let mut app = app_with(pip_project(), 100, 30);
    update(&mut app, key('i'));
    update(&mut app, code(KeyCode::Enter));
    let fx = update(&mut app, code(KeyCode::Enter));
    assert_eq!(fx, vec![Effect::PreviewInit(InitRequest::default())]);
    update(
        &mut app,
        Action::InitPreview(Ok(InitPreview {
            action: "create".into(),
            summary:
                "Create .venv with python 3.11.7 (~/.pyenv/versions/3.11.7/bin/python3, pyenv)"
                    .into(),
            reason: "no environment yet".into(),
            steps: vec![
                (
                    "create .venv with python 3.11.7".into(),
                    "~/.pyenv/versions/3.11.7/bin/python3 -m venv /home/me/proj/.venv".into(),
                ),
                (
                    "install requirements.txt".into(),
                    "/home/me/proj/.venv/bin/python -m pip install -r requirements.txt".into(),
                ),
            ],
            files: vec![
                (".venv/".into(), "the venv, created".into()),
                (
                    ".pyve/state/venv.json".into(),
                    "state record, written last: only then is the env ready".into(),
                ),
                (
                    ".pyve/config".into(),
                    "created (defaults; hand-editable)".into(),
                ),
            ],
            notes: vec![],
        })),
    );
    insta::assert_snapshot!("setup_review", screen(&app));
}

#[test]
fn screen_setup_wizard_micromamba_missing() {
    let mut app = app_with(conda_project(), 100, 30);
    update(&mut app, key('i'));
    insta::assert_snapshot!("setup_backend_conda", screen(&app));
    update(&mut app, code(KeyCode::Enter));
    update(&mut app, code(KeyCode::Enter));
    update(&mut app, code(KeyCode::Enter));
    update(
        &mut app,
        Action::InitPreview(Err(PreviewError {
            message:
                "Backend 'micromamba' required but not found: the Bootstrap wizard (b) installs it"
                    .into(),
            needs_bootstrap: true,
        })),
    );
    insta::assert_snapshot!("setup_review_needs_bootstrap", screen(&app));
    // Enter goes to the Bootstrap wizard.
    update(&mut app, code(KeyCode::Enter));
    assert!(matches!(app.overlay, Some(Overlay::Bootstrap(_))));
}

#[test]
fn screen_help_and_purge() {
    let mut app = app_with(pip_project(), 100, 40);
    update(&mut app, key('?'));
    insta::assert_snapshot!("help", screen(&app));
    update(&mut app, code(KeyCode::Esc));
    update(&mut app, key('p'));
    update(
        &mut app,
        Action::PurgePlan(Ok(vec![
            PurgeItemView {
                path: PathBuf::from("/home/me/proj/.venv"),
                shown: ".venv".into(),
                what: "the venv pyve created".into(),
                is_link: false,
            },
            PurgeItemView {
                path: PathBuf::from("/home/me/proj/.pyve/state"),
                shown: ".pyve/state".into(),
                what: "pyve's state files".into(),
                is_link: false,
            },
        ])),
    );
    let mut app30 = app.clone();
    app30.size = (100, 30);
    insta::assert_snapshot!("purge_confirm", screen(&app30));
}

// ---------------------------------------------------------------------------------
// update(), action by action

#[test]
fn focus_actions() {
    let mut app = app_with(pip_project(), 100, 30);
    assert_eq!(app.focus, Pane::Health);
    update(&mut app, Action::FocusNext);
    assert_eq!(app.focus, Pane::Log);
    update(&mut app, Action::FocusNext);
    assert_eq!(app.focus, Pane::Backend);
    update(&mut app, Action::FocusPrev);
    assert_eq!(app.focus, Pane::Log);
    update(&mut app, Action::Focus(Pane::Tools));
    assert_eq!(app.focus, Pane::Tools);
    update(&mut app, code(KeyCode::Tab));
    assert_eq!(app.focus, Pane::Health);
    update(&mut app, code(KeyCode::BackTab));
    assert_eq!(app.focus, Pane::Tools);
    update(&mut app, key('4'));
    assert_eq!(app.focus, Pane::Log);
    update(&mut app, Action::ToggleZoom);
    assert!(app.zoom);
    update(&mut app, code(KeyCode::Esc));
    assert!(!app.zoom);
}

#[test]
fn mouse_focuses_and_scrolls() {
    let mut app = app_with(pip_project(), 100, 30);
    // The Tools pane is on the left, below Backend.
    let areas = ui::areas(ratatui::layout::Rect::new(0, 0, 100, 30), &app);
    let (_, tools) = areas.panes.iter().find(|(p, _)| *p == Pane::Tools).unwrap();
    let click = |x, y| {
        Action::Mouse(MouseEvent {
            kind: MouseEventKind::Down(MouseButton::Left),
            column: x,
            row: y,
            modifiers: KeyModifiers::NONE,
        })
    };
    update(&mut app, click(tools.x + 2, tools.y + 1));
    assert_eq!(app.focus, Pane::Tools);
    // The wheel over the Log scrolls it (and stops following).
    for i in 0..50 {
        app.log.push(LineKind::Stdout, &format!("line {i}"));
    }
    let (_, log) = areas.panes.iter().find(|(p, _)| *p == Pane::Log).unwrap();
    update(
        &mut app,
        Action::Mouse(MouseEvent {
            kind: MouseEventKind::ScrollUp,
            column: log.x + 2,
            row: log.y + 2,
            modifiers: KeyModifiers::NONE,
        }),
    );
    assert_eq!(app.focus, Pane::Log);
    assert_eq!(app.log_scroll, 3);
    assert!(!app.follow);
    // Compact layout: a click on a tab focuses its pane.
    update(&mut app, Action::Resize(40, 10));
    update(&mut app, click(12, 0));
    assert_eq!(app.focus, Pane::Tools);
}

#[test]
fn resize_and_tick() {
    let mut app = app_with(pip_project(), 100, 30);
    update(&mut app, Action::Resize(40, 10));
    assert_eq!(app.size, (40, 10));
    app.set_status("hello");
    for _ in 0..(4 * TICKS_PER_SECOND) {
        assert!(app.status.is_some());
        update(&mut app, Action::Tick);
    }
    assert!(app.status.is_none());
    assert_eq!(app.tick, 16);
}

#[test]
fn scrolling_each_pane() {
    let mut app = app_with(pip_project(), 100, 30);
    // Health: the selection moves and stays in range.
    update(&mut app, Action::ScrollDown(100));
    assert_eq!(app.health_selected, 10);
    update(&mut app, Action::ScrollTop);
    assert_eq!(app.health_selected, 0);
    update(&mut app, Action::ScrollBottom);
    assert_eq!(app.health_selected, 10);
    update(&mut app, key('k'));
    assert_eq!(app.health_selected, 9);
    // Tools: scrolls only as far as its content goes.
    update(&mut app, Action::Focus(Pane::Tools));
    update(&mut app, Action::Resize(100, 16));
    update(&mut app, Action::ScrollDown(100));
    let max = ui::max_scroll(&app, Pane::Tools);
    assert!(max > 0);
    assert_eq!(app.tools_scroll, max);
    update(&mut app, key('g'));
    assert_eq!(app.tools_scroll, 0);
    // Log: up pauses following, G follows again.
    update(&mut app, Action::Focus(Pane::Log));
    for i in 0..100 {
        app.log.push(LineKind::Stdout, &format!("{i}"));
    }
    update(&mut app, Action::ScrollUp(10));
    assert_eq!((app.log_scroll, app.follow), (10, false));
    update(&mut app, code(KeyCode::PageDown));
    assert_eq!((app.log_scroll, app.follow), (2, false));
    update(&mut app, Action::ScrollDown(5));
    assert_eq!((app.log_scroll, app.follow), (0, true));
    update(&mut app, Action::ScrollTop);
    assert_eq!(app.log_scroll, 99);
    update(&mut app, key('G'));
    assert_eq!((app.log_scroll, app.follow), (0, true));
}

#[test]
fn follow_mode_keeps_a_paused_view_still() {
    let mut app = app_with(pip_project(), 100, 30);
    app.focus = Pane::Log;
    for i in 0..20 {
        update(&mut app, line(1, &format!("{i}")));
    }
    update(&mut app, Action::ToggleFollow);
    assert!(!app.follow);
    update(&mut app, Action::ScrollUp(5));
    let shown = |app: &App| ui::log::visible_rows(app, 50, 3);
    let before = shown(&app);
    update(&mut app, line(1, "new"));
    update(&mut app, line(1, "newer"));
    assert_eq!(shown(&app), before, "new lines must not move a paused view");
    update(&mut app, key('f'));
    assert!(app.follow);
    assert_eq!(app.log_scroll, 0);
}

#[test]
fn log_ring_is_bounded_under_a_flood() {
    let mut app = app_with(pip_project(), 100, 30);
    update(
        &mut app,
        task(TaskEvent::Started {
            id: 1,
            title: "flood".into(),
        }),
    );
    for i in 0..30_000 {
        update(&mut app, line(1, &format!("line {i}")));
    }
    assert_eq!(app.log.len(), super::log::DEFAULT_CAPACITY);
    assert_eq!(
        app.log.dropped,
        30_001 - super::log::DEFAULT_CAPACITY as u64
    );
    assert_eq!(app.log.get(app.log.len() - 1).unwrap().text, "line 29999");
    // The header was dropped: finishing the task is harmless.
    update(
        &mut app,
        task(TaskEvent::Finished {
            id: 1,
            outcome: Outcome::Succeeded,
            duration: Duration::from_secs(1),
        }),
    );
    let s = screen(&app);
    assert!(s.contains("older dropped"), "{s}");
}

#[test]
fn task_events_fill_the_log_with_headers() {
    let mut app = app_with(pip_project(), 100, 30);
    running_create(&mut app);
    assert_eq!(app.job.as_ref().unwrap().task, Some(1));
    assert_eq!(app.job.as_ref().unwrap().progress, Some((1, 2)));
    update(
        &mut app,
        task(TaskEvent::Line {
            id: 1,
            stream: Stream::Stderr,
            text: "\x1b[33mWARNING\x1b[0m: something".into(),
        }),
    );
    assert_eq!(log_texts(&app).last().unwrap(), "WARNING: something");
    update(
        &mut app,
        task(TaskEvent::Finished {
            id: 1,
            outcome: Outcome::Succeeded,
            duration: Duration::from_millis(1500),
        }),
    );
    let header = (0..app.log.len())
        .map(|i| app.log.get(i).unwrap())
        .find(|l| matches!(l.kind, LineKind::Header { .. }))
        .unwrap();
    assert_eq!(
        header.kind,
        LineKind::Header {
            title: "init .venv".into(),
            end: Some((Outcome::Succeeded, Duration::from_millis(1500)))
        }
    );
}

#[test]
fn job_events() {
    let mut app = app_with(pip_project(), 100, 30);
    running_create(&mut app);
    update(
        &mut app,
        Action::Job(JobEvent::Line(
            LineKind::Success,
            ".venv created in 2.0s".into(),
        )),
    );
    assert_eq!(log_texts(&app).last().unwrap(), ".venv created in 2.0s");
    let fx = update(&mut app, Action::Job(JobEvent::Done(Ok(()))));
    assert_eq!(fx, vec![Effect::Refresh]);
    assert!(app.job.is_none());
    assert!(app.refreshing);
}

#[test]
fn refresh_actions() {
    let mut app = App::new(Theme::new(true, true), (100, 30));
    assert!(app.snapshot.is_none());
    assert_eq!(update(&mut app, Action::Refresh), vec![Effect::Refresh]);
    assert_eq!(update(&mut app, key('R')), vec![Effect::Refresh]);
    assert_eq!(update(&mut app, code(KeyCode::F(5))), vec![Effect::Refresh]);
    app.health_selected = 50;
    update(&mut app, Action::Refreshed(Box::new(pip_project())));
    assert!(!app.refreshing);
    assert_eq!(
        app.health_selected, 10,
        "the selection is clamped to the checks"
    );
    assert_eq!(
        update(&mut app, Action::FilesChanged),
        vec![Effect::Refresh]
    );
    assert!(app.refreshing);
}

#[test]
fn cancel_is_ctrl_c_and_says_so() {
    let mut app = app_with(pip_project(), 100, 30);
    // Nothing runs: Ctrl-C does not quit, it says there is nothing to cancel.
    assert_eq!(update(&mut app, ctrl_c()), vec![]);
    assert!(!app.quit);
    assert!(
        app.status
            .as_ref()
            .unwrap()
            .text
            .contains("no task is running")
    );
    running_create(&mut app);
    assert_eq!(update(&mut app, ctrl_c()), vec![Effect::Cancel]);
    assert!(app.job.as_ref().unwrap().cancelling);
    assert!(
        log_texts(&app)
            .last()
            .unwrap()
            .contains("Ctrl-C: cancelling init .venv")
    );
    // A second Ctrl-C does not cancel twice.
    assert_eq!(update(&mut app, Action::Cancel), vec![]);
    update(
        &mut app,
        task(TaskEvent::Finished {
            id: 1,
            outcome: Outcome::Cancelled,
            duration: Duration::from_millis(200),
        }),
    );
    assert!(log_texts(&app).last().unwrap().contains("cancelled"));
    update(
        &mut app,
        Action::Job(JobEvent::Done(Err("cancelled".into()))),
    );
    assert!(app.job.is_none());
    assert!(!app.quit);
}

#[test]
fn quit_asks_while_a_task_runs() {
    let mut app = app_with(pip_project(), 100, 30);
    running_create(&mut app);
    assert_eq!(update(&mut app, key('q')), vec![]);
    assert!(!app.quit);
    assert!(matches!(app.overlay, Some(Overlay::QuitConfirm)));
    insta::assert_snapshot!("quit_confirm", screen(&app));
    // n stays.
    update(&mut app, key('n'));
    assert!(app.overlay.is_none() && !app.quit);
    // y cancels the task and quits.
    update(&mut app, Action::Quit);
    assert_eq!(update(&mut app, key('y')), vec![Effect::Cancel]);
    assert!(app.quit);
    assert_eq!(app.exit_code, 0);
}

#[test]
fn quit_without_a_task_is_immediate() {
    let mut app = app_with(pip_project(), 100, 30);
    assert_eq!(update(&mut app, key('q')), vec![]);
    assert!(app.quit);
}

#[test]
fn signal_quits_and_cancels() {
    let mut app = app_with(pip_project(), 100, 30);
    running_create(&mut app);
    assert_eq!(update(&mut app, Action::Signal(15)), vec![Effect::Cancel]);
    assert!(app.quit);
    assert_eq!(app.exit_code, 143);
}

#[test]
fn overlays_open_and_close() {
    let mut app = app_with(pip_project(), 100, 30);
    update(&mut app, Action::OpenHelp);
    assert!(matches!(app.overlay, Some(Overlay::Help { .. })));
    update(&mut app, key('j'));
    assert!(matches!(app.overlay, Some(Overlay::Help { scroll: 1 })));
    update(&mut app, key('G'));
    let max = ui::help::max_scroll(&app);
    assert!(max > 1);
    update(&mut app, key('j'));
    assert!(matches!(app.overlay, Some(Overlay::Help { scroll }) if scroll == max));
    update(&mut app, Action::CloseOverlay);
    assert!(app.overlay.is_none());
    update(&mut app, Action::OpenRun);
    assert!(matches!(app.overlay, Some(Overlay::Run(_))));
    update(&mut app, code(KeyCode::Esc));
    assert!(app.overlay.is_none());
    assert_eq!(
        update(&mut app, Action::OpenPurge),
        vec![Effect::LoadPurgePlan]
    );
    update(&mut app, code(KeyCode::Esc));
    update(&mut app, Action::OpenSetup);
    assert!(matches!(app.overlay, Some(Overlay::Setup(_))));
    update(&mut app, code(KeyCode::Esc));
    update(&mut app, Action::OpenBootstrap);
    assert!(matches!(app.overlay, Some(Overlay::Bootstrap(_))));
    update(&mut app, code(KeyCode::Esc));
    assert!(app.overlay.is_none());
    // Nothing that starts a task opens while one runs.
    running_create(&mut app);
    for a in [
        Action::OpenSetup,
        Action::OpenBootstrap,
        Action::OpenRun,
        Action::OpenPurge,
    ] {
        assert_eq!(update(&mut app, a), vec![]);
        assert!(app.overlay.is_none());
        assert!(
            app.status
                .as_ref()
                .unwrap()
                .text
                .contains("a task is running")
        );
    }
    // Before detection there is nothing to set up yet.
    let mut fresh = App::new(Theme::new(true, true), (100, 30));
    update(&mut fresh, Action::OpenSetup);
    assert!(fresh.overlay.is_none());
    assert!(fresh.status.unwrap().text.contains("detecting"));
}

#[test]
fn setup_wizard_venv_flow() {
    let mut app = app_with(pip_project(), 100, 30);
    update(&mut app, key('i'));
    // Backend: the detected one is preselected.
    let Some(Overlay::Setup(w)) = &app.overlay else {
        panic!()
    };
    assert_eq!(w.backend, BackendKind::Venv);
    update(&mut app, code(KeyCode::Enter));
    // Python: prefilled with the request; a bad version is refused.
    for _ in 0..4 {
        update(&mut app, code(KeyCode::Backspace));
    }
    for c in "abc".chars() {
        update(&mut app, key(c));
    }
    assert_eq!(update(&mut app, code(KeyCode::Enter)), vec![]);
    let Some(Overlay::Setup(w)) = &app.overlay else {
        panic!()
    };
    assert!(w.error.as_ref().unwrap().contains("not a python version"));
    for _ in 0..3 {
        update(&mut app, code(KeyCode::Backspace));
    }
    for c in "3.12".chars() {
        update(&mut app, key(c));
    }
    let fx = update(&mut app, code(KeyCode::Enter));
    let want = InitRequest {
        python_version: Some("3.12".into()),
        ..InitRequest::default()
    };
    assert_eq!(fx, vec![Effect::PreviewInit(want.clone())]);
    // Review: f toggles --force and plans again.
    let fx = update(&mut app, key('f'));
    assert_eq!(
        fx,
        vec![Effect::PreviewInit(InitRequest {
            force: true,
            ..want.clone()
        })]
    );
    update(&mut app, key('f'));
    // Enter before the plan arrived does nothing.
    assert_eq!(update(&mut app, code(KeyCode::Enter)), vec![]);
    update(
        &mut app,
        Action::InitPreview(Ok(InitPreview {
            action: "create".into(),
            summary: "Create .venv".into(),
            reason: "no environment yet".into(),
            steps: vec![],
            files: vec![],
            notes: vec![],
        })),
    );
    assert_eq!(
        update(&mut app, code(KeyCode::Enter)),
        vec![Effect::Init(want)]
    );
    assert!(app.overlay.is_none());
    assert_eq!(app.focus, Pane::Log);
    assert_eq!(app.job.as_ref().unwrap().title, "init .venv");
}

#[test]
fn setup_wizard_editable_question_and_back() {
    let mut snap = pip_project();
    snap.setup.as_mut().unwrap().editable = EditableChoice::Ask;
    let mut app = app_with(snap, 100, 30);
    update(&mut app, key('i'));
    update(&mut app, code(KeyCode::Enter));
    update(&mut app, code(KeyCode::Enter));
    let Some(Overlay::Setup(w)) = &app.overlay else {
        panic!()
    };
    assert_eq!(w.step, SetupStep::Editable);
    let fx = update(&mut app, key('n'));
    assert_eq!(
        fx,
        vec![Effect::PreviewInit(InitRequest {
            install_deps: Some(false),
            ..InitRequest::default()
        })]
    );
    // Esc walks back, and closes from the first step.
    update(&mut app, code(KeyCode::Esc));
    update(&mut app, code(KeyCode::Esc));
    update(&mut app, code(KeyCode::Esc));
    let Some(Overlay::Setup(w)) = &app.overlay else {
        panic!()
    };
    assert_eq!(w.step, SetupStep::Backend);
    update(&mut app, code(KeyCode::Esc));
    assert!(app.overlay.is_none());
}

#[test]
fn setup_wizard_micromamba_flow() {
    let mut app = app_with(pip_project(), 100, 30);
    update(&mut app, key('i'));
    // Switching the backend makes it a flag (written to .pyve/config).
    update(&mut app, key('j'));
    update(&mut app, code(KeyCode::Enter));
    let Some(Overlay::Setup(w)) = &app.overlay else {
        panic!()
    };
    assert_eq!(w.step, SetupStep::EnvName);
    for _ in 0..4 {
        update(&mut app, code(KeyCode::Backspace));
    }
    for c in "base".chars() {
        update(&mut app, key(c));
    }
    update(&mut app, code(KeyCode::Enter));
    let Some(Overlay::Setup(w)) = &app.overlay else {
        panic!()
    };
    assert!(
        w.error.as_ref().unwrap().contains("reserved"),
        "{:?}",
        w.error
    );
    for _ in 0..4 {
        update(&mut app, code(KeyCode::Backspace));
    }
    for c in "ml".chars() {
        update(&mut app, key(c));
    }
    update(&mut app, code(KeyCode::Enter));
    for c in "bioconda, conda-forge".chars() {
        update(&mut app, key(c));
    }
    let fx = update(&mut app, code(KeyCode::Enter));
    assert_eq!(
        fx,
        vec![Effect::PreviewInit(InitRequest {
            backend: Some(BackendKind::Micromamba),
            env_name: Some("ml".into()),
            channels: vec!["bioconda".into(), "conda-forge".into()],
            ..InitRequest::default()
        })]
    );
    let s = screen(&app);
    assert!(
        s.contains("pyve init --backend micromamba --env ml --channel bioconda --channel"),
        "{s}"
    );
}

#[test]
fn bootstrap_wizard_options() {
    let mut app = app_with(conda_project(), 100, 30);
    update(&mut app, key('b'));
    // Option 3 is unavailable here: it says why and stays.
    assert_eq!(update(&mut app, key('3')), vec![]);
    let Some(Overlay::Bootstrap(w)) = &app.overlay else {
        panic!()
    };
    assert!(
        w.message
            .as_ref()
            .unwrap()
            .contains("apt has no micromamba package")
    );
    // Option 4 aborts.
    update(&mut app, key('4'));
    assert!(app.overlay.is_none());
    assert!(app.status.as_ref().unwrap().text.contains("aborted"));
    // Option 2 with j + Enter.
    update(&mut app, key('b'));
    update(&mut app, key('j'));
    assert_eq!(
        update(&mut app, code(KeyCode::Enter)),
        vec![Effect::Bootstrap(Target::User)]
    );
    assert_eq!(app.job.as_ref().unwrap().kind, JobKind::Bootstrap);
    // A failed download says so, with the step that failed.
    update(
        &mut app,
        Action::Job(JobEvent::Bootstrap(Progress::Checksum { url: "u".into() })),
    );
    update(
        &mut app,
        Action::Job(JobEvent::Done(
            Err("cannot download micromamba: 404".into()),
        )),
    );
    let Some(Overlay::Bootstrap(w)) = &app.overlay else {
        panic!()
    };
    match &w.phase {
        BootstrapPhase::Done(Some(run), Err(e)) => {
            assert_eq!(run.steps[0], StepState::Failed);
            assert!(e.contains("404"));
        }
        other => panic!("{other:?}"),
    }
    // Enter goes back to the options.
    update(&mut app, code(KeyCode::Enter));
    let Some(Overlay::Bootstrap(w)) = &app.overlay else {
        panic!()
    };
    assert_eq!(w.phase, BootstrapPhase::Choose);
}

#[test]
fn bootstrap_wizard_system_package_manager() {
    let mut snap = conda_project();
    let brew = SystemInstall::Available {
        manager: "brew",
        program: PathBuf::from("/opt/homebrew/bin/brew"),
        args: vec!["install".into(), "micromamba".into()],
        command: "brew install micromamba".into(),
    };
    snap.bootstrap = Some(menu(brew.clone()));
    let mut app = app_with(snap, 100, 30);
    update(&mut app, key('b'));
    assert_eq!(update(&mut app, key('3')), vec![]);
    let s = screen(&app);
    assert!(s.contains("Run `brew install micromamba`?"), "{s}");
    update(&mut app, key('n'));
    update(&mut app, key('3'));
    assert_eq!(
        update(&mut app, key('y')),
        vec![Effect::SystemInstall(brew)]
    );
    update(&mut app, Action::Job(JobEvent::Done(Ok(()))));
    let Some(Overlay::Bootstrap(w)) = &app.overlay else {
        panic!()
    };
    assert!(matches!(&w.phase, BootstrapPhase::Done(None, Ok(m)) if m.contains("brew")));
    // Done: Enter continues with the Setup wizard.
    update(&mut app, code(KeyCode::Enter));
    assert!(matches!(app.overlay, Some(Overlay::Setup(_))));
}

#[test]
fn activate_runs_the_selected_fix() {
    let mut app = app_with(pip_project(), 100, 30);
    // Not on Health: nothing.
    app.focus = Pane::Log;
    assert_eq!(update(&mut app, Action::Activate), vec![]);
    app.focus = Pane::Health;
    // An ok check has nothing to fix.
    update(&mut app, code(KeyCode::Enter));
    assert!(app.overlay.is_none());
    // The env check's `pyve init`: the wizard, straight to its review.
    update(&mut app, Action::ScrollDown(3));
    let fx = update(&mut app, code(KeyCode::Enter));
    assert_eq!(fx, vec![Effect::PreviewInit(InitRequest::default())]);
    let Some(Overlay::Setup(w)) = &app.overlay else {
        panic!()
    };
    assert_eq!(w.step, SetupStep::Review);
    update(&mut app, code(KeyCode::Esc));
    update(&mut app, code(KeyCode::Esc));
    update(&mut app, code(KeyCode::Esc));
    assert!(app.overlay.is_none());
    // micromamba missing: `pyve bootstrap` opens the Bootstrap wizard.
    let mut app = app_with(conda_project(), 100, 30);
    update(&mut app, Action::ScrollDown(2));
    update(&mut app, Action::Activate);
    assert!(matches!(app.overlay, Some(Overlay::Bootstrap(_))));
}

#[test]
fn enter_on_a_fix_is_a_match_on_its_action() {
    use super::update::selected_fix;
    let mut app = app_with(pip_project(), 100, 30);
    app.focus = Pane::Health;
    let fixes = |app: &mut App| -> Vec<Effect> { update(app, Action::Activate) };
    // `pyve init --force`: the Setup wizard, straight to the review of a forced init.
    let s = app.snapshot.as_mut().unwrap();
    s.doctor.checks[3].action = Some(Fix::rebuild());
    s.doctor.checks[3].fix = Some("`pyve init --force` replaces it".into());
    app.health_selected = 3;
    assert_eq!(
        fixes(&mut app),
        vec![Effect::PreviewInit(InitRequest {
            force: true,
            ..InitRequest::default()
        })]
    );
    app.overlay = None;
    // The backend is ambiguous: the wizard asks for it.
    let s = app.snapshot.as_mut().unwrap();
    s.doctor.checks[1].status = Status::Warn;
    s.doctor.checks[1].action = Some(Fix::ChooseBackend);
    s.doctor.checks[1].fix = Some("make it explicit".into());
    app.health_selected = 1;
    fixes(&mut app);
    let Some(Overlay::Setup(w)) = &app.overlay else {
        panic!("the Setup wizard opens")
    };
    assert_eq!(w.step, SetupStep::Backend);
    app.overlay = None;
    // A shell command is shown, not run; an edit is shown as one.
    let s = app.snapshot.as_mut().unwrap();
    s.doctor.checks[2].action = Some(Fix::shell("pyenv install 3.11"));
    s.doctor.checks[2].fix = Some("pyenv install 3.11 (or asdf)".into());
    app.health_selected = 2;
    assert_eq!(fixes(&mut app), vec![]);
    assert!(app.overlay.is_none());
    let status = |app: &App| {
        app.status
            .as_ref()
            .map(|s| s.text.clone())
            .unwrap_or_default()
    };
    assert_eq!(
        status(&app),
        "not a pyve command: run `pyenv install 3.11` in a shell"
    );
    let s = app.snapshot.as_mut().unwrap();
    s.doctor.checks[2].action = Some(Fix::edit(".pyve/config", Some("backend")));
    assert_eq!(fixes(&mut app), vec![]);
    assert_eq!(status(&app), "a fix by hand: pyenv install 3.11 (or asdf)");
    // Purge and bootstrap open their overlays.
    let s = app.snapshot.as_mut().unwrap();
    s.doctor.checks[2].action = Some(Fix::Purge);
    assert_eq!(selected_fix(&app).map(|(f, _)| f), Some(Fix::Purge));
}

#[test]
fn run_prompt_runs_argv() {
    let mut app = app_with(pip_project(), 100, 30);
    update(&mut app, key('r'));
    // Empty: refused with a hint.
    assert_eq!(update(&mut app, code(KeyCode::Enter)), vec![]);
    for c in "python -c 'print(1)'".chars() {
        update(&mut app, key(c));
    }
    let fx = update(&mut app, code(KeyCode::Enter));
    assert_eq!(
        fx,
        vec![Effect::Run(vec![
            "python".into(),
            "-c".into(),
            "print(1)".into()
        ])]
    );
    assert_eq!(app.job.as_ref().unwrap().kind, JobKind::Run);
    assert_eq!(app.history, vec!["python -c 'print(1)'".to_string()]);
    update(&mut app, Action::Job(JobEvent::Done(Ok(()))));
    // ↑ recalls it.
    update(&mut app, key('r'));
    update(&mut app, code(KeyCode::Up));
    let Some(Overlay::Run(p)) = &app.overlay else {
        panic!()
    };
    assert_eq!(p.input.value(), "python -c 'print(1)'");
}

#[test]
fn command_lines_split_like_a_shell() {
    assert_eq!(
        split_command(r#"pytest -k "a and b" 'x y' c\ d"#).unwrap(),
        vec!["pytest", "-k", "a and b", "x y", "c d"]
    );
    assert_eq!(
        split_command(r#"python -c "print('a\n', \"q\")""#).unwrap(),
        vec!["python", "-c", r#"print('a\n', "q")"#]
    );
    assert_eq!(split_command("  ").unwrap(), Vec::<String>::new());
    assert_eq!(split_command("''").unwrap(), vec![""]);
    assert!(split_command("echo 'open").is_err());
}

#[test]
fn purge_confirmation() {
    let mut app = app_with(pip_project(), 100, 30);
    update(&mut app, key('p'));
    // y before the list arrived does nothing.
    assert_eq!(update(&mut app, key('y')), vec![]);
    let items = vec![PurgeItemView {
        path: PathBuf::from("/home/me/proj/.venv"),
        shown: ".venv".into(),
        what: "the venv pyve created".into(),
        is_link: false,
    }];
    update(&mut app, Action::PurgePlan(Ok(items)));
    assert_eq!(
        update(&mut app, key('y')),
        vec![Effect::Purge(vec![PathBuf::from("/home/me/proj/.venv")])]
    );
    assert_eq!(app.job.as_ref().unwrap().kind, JobKind::Purge);
    update(&mut app, Action::Job(JobEvent::Done(Ok(()))));
    // Enter keeps (the default is no).
    update(&mut app, key('p'));
    update(&mut app, Action::PurgePlan(Ok(vec![])));
    assert_eq!(update(&mut app, code(KeyCode::Enter)), vec![]);
    assert!(app.overlay.is_none());
}

#[test]
fn a_project_that_cannot_load_still_renders() {
    let snap = Snapshot {
        project_root: ROOT.into(),
        found_by: RootMarker::PyveDir,
        config_file: Some(".pyve/config".into()),
        load_error: Some("invalid configuration: .pyve/config:2:1: unknown key `backnd`".into()),
        detection: None,
        env: None,
        tool: None,
        doctor: report(
            "unknown",
            vec![check(
                CheckId::Config,
                Status::Fail,
                "Config: .pyve/config:2:1: unknown key `backnd`",
                Some((Fix::edit(".pyve/config", None), "did you mean `backend`?")),
            )],
        ),
        setup: None,
        bootstrap: None,
    };
    let mut app = app_with(snap, 80, 24);
    let s = screen(&app);
    assert!(s.contains("the project cannot be loaded"), "{s}");
    update(&mut app, key('i'));
    assert!(app.overlay.is_none());
    assert!(
        app.status
            .as_ref()
            .unwrap()
            .text
            .contains("fix the project first")
    );
}
