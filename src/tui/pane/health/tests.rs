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
fn every_kind_of_fix_reads_as_its_key_or_what_to_do_outside() {
    use crate::tui::pane::health::fix::words;
    use pyve_core::engine::fix::InitFix;
    let cases = [
        (Fix::init(), "i opens the Setup wizard, which runs init"),
        (
            Fix::Init(InitFix {
                force: true,
                ..InitFix::default()
            }),
            "i opens the Setup wizard, which runs init",
        ),
        (
            Fix::ChooseBackend,
            "i opens the Setup wizard, which asks for the backend",
        ),
        (
            Fix::Bootstrap,
            "b opens the Bootstrap wizard, which installs micromamba",
        ),
        (Fix::Purge, "p purges what pyve made here (it asks first)"),
        (
            Fix::shell("pyenv install 3.12"),
            "in a shell: `pyenv install 3.12`",
        ),
        (
            Fix::edit(".pyve/config", Some("venv.directory")),
            "set `venv.directory` in .pyve/config",
        ),
        (
            Fix::Edit {
                file: ".pyve/config".into(),
                line: Some(3),
                key: None,
            },
            "edit .pyve/config at line 3",
        ),
    ];
    for (fix, said) in cases {
        assert_eq!(words(&fix), said, "{fix:?}");
    }
}

#[test]
fn an_error_in_the_log_ends_with_its_fix() {
    use crate::tui::jobs::describe;
    use pyve_core::engine::Error;
    let e = Error::Missing("no conda-lock.yml here".into()).with_fix(Fix::shell("conda-lock lock"));
    assert_eq!(
        describe(&e),
        "no conda-lock.yml here\nhint: in a shell: `conda-lock lock`"
    );
    let e = Error::Incomplete {
        env: ".venv".into(),
        why: None,
    };
    assert_eq!(
        describe(&e),
        "interrupted: .venv is left incomplete; the next init rebuilds it\nhint: i opens the Setup wizard, which runs init"
    );
    // Without a fix, the message alone.
    assert_eq!(describe(&Error::Usage("no".into())), "no");
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
