//! The Health pane: its screen with warnings, and Enter on a check.

use crate::tui::test_support::*;

#[test]
fn screen_doctor_with_warnings() {
    // The first problem is selected, its detail and fix shown in full.
    let app = app_with(warning_project(), 100, 30);
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
    update(&mut app, Action::ScrollTop);
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
    // (the first problem, selected as the dashboard opens).
    let mut app = app_with(conda_project(), 100, 30);
    assert_eq!(app.health_selected, 2);
    update(&mut app, Action::Activate);
    assert!(matches!(app.overlay, Some(Overlay::Bootstrap(_))));
}

#[test]
fn enter_on_a_fix_is_a_match_on_its_action() {
    use crate::tui::pane::health::fix::selected_fix;
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
fn enter_on_a_stale_lock_runs_the_lock_job_once() {
    let mut app = app_with(conda_project(), 100, 30);
    app.focus = Pane::Health;
    let s = app.snapshot.as_mut().unwrap();
    s.doctor.checks[2].status = Status::Warn;
    s.doctor.checks[2].action = Some(Fix::Lock);
    s.doctor.checks[2].fix = Some("regenerate it: `pyve lock`".into());
    app.health_selected = 2;
    assert_eq!(update(&mut app, Action::Activate), vec![Effect::Lock]);
    let job = app.job.as_ref().expect("the lock job runs");
    assert_eq!(job.kind, crate::tui::app::JobKind::Lock);
    assert_eq!(app.focus, Pane::Log);
    // While it runs, Enter again starts nothing.
    app.focus = Pane::Health;
    assert_eq!(update(&mut app, Action::Activate), vec![]);
    assert_eq!(
        app.status.as_ref().map(|s| s.text.as_str()),
        Some("a task is running: lock when it is done")
    );
}
