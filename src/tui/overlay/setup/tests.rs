//! The Setup wizard: its screens and its flows, key by key.

use crate::tui::test_support::*;

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
    snapshot!("setup_review", screen(&app));
}

#[test]
fn screen_setup_wizard_micromamba_missing() {
    let mut app = app_with(conda_project(), 100, 30);
    update(&mut app, key('i'));
    snapshot!("setup_backend_conda", screen(&app));
    update(&mut app, code(KeyCode::Enter));
    update(&mut app, code(KeyCode::Enter));
    update(&mut app, code(KeyCode::Enter));
    update(
        &mut app,
        Action::InitPreview(Err(PreviewError {
            message: "Backend 'micromamba' required but not found".into(),
            needs_bootstrap: true,
        })),
    );
    snapshot!("setup_review_needs_bootstrap", screen(&app));
    // Enter goes to the Bootstrap wizard.
    update(&mut app, code(KeyCode::Enter));
    assert!(matches!(app.overlay, Some(Overlay::Bootstrap(_))));
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
        s.contains("pyve init --backend micromamba --env-name ml --channel bioconda"),
        "{s}"
    );
}

#[test]
fn the_python_step_offers_the_installed_pythons() {
    let mut app = app_with(pip_project(), 100, 30);
    update(&mut app, key('i'));
    update(&mut app, code(KeyCode::Enter));
    let python = |app: &App| match &app.overlay {
        Some(Overlay::Setup(w)) => w.python.value().to_string(),
        _ => panic!("no wizard"),
    };
    // The project's request first (the default), then each installed python.
    assert_eq!(python(&app), "3.11");
    let s = screen(&app);
    assert!(
        s.contains("3.11      asked for by .python-version (the default)"),
        "{s}"
    );
    assert!(s.contains("3.10.12   system  /usr/bin/python3.10"), "{s}");
    snapshot!("setup_python_step", s);
    update(&mut app, code(KeyCode::Down));
    assert_eq!(python(&app), "3.12.1");
    update(&mut app, code(KeyCode::Down));
    update(&mut app, code(KeyCode::Down));
    update(&mut app, code(KeyCode::Down));
    assert_eq!(python(&app), "3.10.12", "the list ends there");
    update(&mut app, code(KeyCode::Up));
    assert_eq!(python(&app), "3.11.7");
    // Typed text still works, and only a changed answer becomes a flag.
    update(&mut app, code(KeyCode::Backspace));
    update(&mut app, key('9'));
    let fx = update(&mut app, code(KeyCode::Enter));
    assert_eq!(
        fx,
        vec![Effect::PreviewInit(InitRequest {
            python_version: Some("3.11.9".into()),
            ..InitRequest::default()
        })]
    );
}

/// The mouse wheel moves through the python step's list as Up / Down do.
#[test]
fn the_mouse_wheel_moves_the_python_choice() {
    let mut app = app_with(pip_project(), 100, 30);
    update(&mut app, key('i'));
    update(&mut app, code(KeyCode::Enter));
    let python = |app: &App| match &app.overlay {
        Some(Overlay::Setup(w)) => w.python.value().to_string(),
        _ => panic!("no wizard"),
    };
    let wheel = |kind| {
        Action::Mouse(MouseEvent {
            kind,
            column: 50,
            row: 15,
            modifiers: KeyModifiers::NONE,
        })
    };
    assert_eq!(python(&app), "3.11");
    update(&mut app, wheel(MouseEventKind::ScrollDown));
    assert_eq!(python(&app), "3.12.1");
    update(&mut app, wheel(MouseEventKind::ScrollUp));
    assert_eq!(python(&app), "3.11");
    // A click does nothing in a wizard (it does not reach the dashboard behind it).
    update(&mut app, wheel(MouseEventKind::Down(MouseButton::Left)));
    assert_eq!(python(&app), "3.11");
    assert!(matches!(app.overlay, Some(Overlay::Setup(_))));
}

#[test]
fn the_env_step_lists_the_envs_and_a_new_name_adds_one() {
    // One env: no env step.
    let mut app = app_with(pip_project(), 100, 30);
    update(&mut app, key('i'));
    assert!(
        screen(&app).contains("step 1 of 3: Backend"),
        "{}",
        screen(&app)
    );
    // Several: the first step lists them, the shown one chosen.
    let mut app = app_with_envs(&["default", "dev", "prod"], "dev");
    update(&mut app, key('i'));
    let s = screen(&app);
    assert!(s.contains("step 1 of 4: Environment"), "{s}");
    assert_contains_all(
        &s,
        &["default", "ready", "dev", "missing, shown now", "prod"],
    );
    // The env shown: on to its backend, and the init is the runtime's (no --env).
    let mut a = app.clone();
    update(&mut a, code(KeyCode::Enter));
    assert!(
        screen(&a).contains("step 2 of 4: Backend"),
        "{}",
        screen(&a)
    );
    update(&mut a, code(KeyCode::Enter));
    let fx = update(&mut a, code(KeyCode::Enter));
    assert_eq!(fx, vec![Effect::PreviewInit(InitRequest::default())]);
    // Another of the project's envs (Down): the panes switch to it.
    let mut a = app.clone();
    update(&mut a, code(KeyCode::Down));
    let fx = update(&mut a, code(KeyCode::Enter));
    assert_eq!(fx, vec![Effect::SelectEnv("prod".into())]);
    assert!(a.overlay.is_none());
    assert_eq!(a.status.as_ref().unwrap().text, "env prod: i sets it up");
    // A new name: the init adds it, and the CLI line says so.
    let mut a = app.clone();
    for _ in 0..3 {
        update(&mut a, code(KeyCode::Backspace));
    }
    for c in "ci".chars() {
        update(&mut a, key(c));
    }
    assert!(
        screen(&a).contains("new env `ci`: built at .pyve/envs/ci"),
        "{}",
        screen(&a)
    );
    update(&mut a, code(KeyCode::Enter));
    update(&mut a, code(KeyCode::Enter));
    let fx = update(&mut a, code(KeyCode::Enter));
    assert_eq!(
        fx,
        vec![Effect::PreviewInit(InitRequest {
            env: Some("ci".into()),
            ..InitRequest::default()
        })]
    );
    // An invalid name is refused with the engine's words.
    let mut a = app.clone();
    for c in "X!".chars() {
        update(&mut a, key(c));
    }
    update(&mut a, code(KeyCode::Enter));
    let s = screen(&a);
    assert!(s.contains("invalid env name `devX!`"), "{s}");
}

fn assert_contains_all(s: &str, needles: &[&str]) {
    for n in needles {
        assert!(s.contains(n), "{n:?} not in:\n{s}");
    }
}

#[test]
fn the_review_toggles_direnv_and_dotenv_into_the_init() {
    let mut app = app_with(pip_project(), 100, 30);
    update(&mut app, key('i'));
    update(&mut app, code(KeyCode::Enter));
    update(&mut app, code(KeyCode::Enter));
    update(
        &mut app,
        Action::InitPreview(Ok(InitPreview {
            action: "create".into(),
            summary: "Create .venv".into(),
            reason: String::new(),
            steps: vec![],
            files: vec![],
            notes: vec![],
        })),
    );
    assert!(screen(&app).contains("[ ] --direnv"), "{}", screen(&app));
    update(&mut app, key('d'));
    update(&mut app, key('e'));
    let s = screen(&app);
    assert!(
        s.contains("[x] --direnv") && s.contains("[x] --dotenv"),
        "{s}"
    );
    assert!(s.contains("same as: pyve init --direnv --dotenv"), "{s}");
    let fx = update(&mut app, code(KeyCode::Enter));
    assert_eq!(
        fx,
        vec![Effect::Init(InitRequest {
            direnv: true,
            dotenv: true,
            ..InitRequest::default()
        })]
    );
}
