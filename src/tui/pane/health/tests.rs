//! The Health pane: its screen with warnings, and Enter on a check.

use crate::tui::test_support::*;

#[test]
fn screen_doctor_with_warnings() {
    let mut app = app_with(warning_project(), 100, 30);
    update(&mut app, Action::ScrollDown(4));
    let s = screen(&app);
    assert!(s.contains("3 warn"), "{s}");
    snapshot!("doctor_warnings", s);
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
fn fixes_are_parsed_from_the_engine_text() {
    assert_eq!(
        fix_action("`pyve init` creates it"),
        Fix::Setup {
            request: InitRequest::default(),
            ask_backend: false
        }
    );
    assert_eq!(
        fix_action("`pyve init --force` replaces it"),
        Fix::Setup {
            request: InitRequest {
                force: true,
                ..InitRequest::default()
            },
            ask_backend: false
        }
    );
    assert_eq!(
        fix_action(
            "make it explicit: `pyve init --backend micromamba` or `pyve init --backend venv`"
        ),
        Fix::Setup {
            request: InitRequest::default(),
            ask_backend: true
        }
    );
    assert_eq!(
        fix_action("`pyve bootstrap` (or `pyve init --auto-bootstrap`) installs it into .pyve/bin"),
        Fix::Bootstrap
    );
    assert_eq!(
        fix_action("remove the one you do not use: `pyve purge` then `pyve init`"),
        Fix::Purge
    );
    assert_eq!(
        fix_action("`pyve run pip install -e .` installs it"),
        Fix::Run("pip install -e .".into())
    );
    assert_eq!(fix_action("pyenv install 3.11"), Fix::Edit);
    assert_eq!(
        fix_action("run `conda deactivate`"),
        Fix::Shell("conda deactivate".into())
    );
    assert_eq!(fix_action("add /.venv/ to .gitignore"), Fix::Edit);
}
