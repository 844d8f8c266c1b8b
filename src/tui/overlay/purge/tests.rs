//! The Purge confirmation.

use crate::tui::test_support::*;

#[test]
fn screen_purge_confirm() {
    let mut app = app_with(pip_project(), 100, 40);
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
    snapshot!("purge_confirm", screen(&app30));
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
