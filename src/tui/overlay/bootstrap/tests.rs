//! The Bootstrap wizard: its screens and its options.

use crate::tui::test_support::*;

#[test]
fn screen_conda_project_micromamba_missing_bootstrap_wizard() {
    let mut app = app_with(conda_project(), 100, 30);
    update(&mut app, key('b'));
    assert!(matches!(app.overlay, Some(Overlay::Bootstrap(_))));
    snapshot!("conda_bootstrap_wizard", screen(&app));
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
    snapshot!("bootstrap_downloading", screen(&app));
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
    snapshot!("bootstrap_done", s);
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
