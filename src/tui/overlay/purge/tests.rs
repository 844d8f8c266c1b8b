//! The Purge confirmation.

use crate::tui::test_support::*;

#[test]
fn screen_purge_confirm() {
    let mut app = app_with(pip_project(), 100, 40);
    update(&mut app, key('p'));
    update(
        &mut app,
        Action::PurgePlan(
            Scope::All,
            Ok(vec![
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
            ]),
        ),
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
    update(&mut app, Action::PurgePlan(Scope::All, Ok(items)));
    assert_eq!(
        update(&mut app, key('y')),
        vec![Effect::Purge(
            Scope::All,
            vec![PathBuf::from("/home/me/proj/.venv")]
        )]
    );
    assert_eq!(app.job.as_ref().unwrap().kind, JobKind::Purge);
    update(&mut app, Action::Job(JobEvent::Done(Ok(()))));
    // Enter keeps (the default is no).
    update(&mut app, key('p'));
    update(&mut app, Action::PurgePlan(Scope::All, Ok(vec![])));
    assert_eq!(update(&mut app, code(KeyCode::Enter)), vec![]);
    assert!(app.overlay.is_none());
}

fn item(shown: &str) -> PurgeItemView {
    PurgeItemView {
        path: PathBuf::from("/home/me/proj").join(shown),
        shown: shown.into(),
        what: "an env pyve created".into(),
        is_link: false,
    }
}

/// With several envs the confirmation lists the env shown (as every job started here
/// acts on it); `a` widens it to everything and back, and a list that arrives for the
/// other scope is stale and ignored.
#[test]
fn with_several_envs_purge_starts_on_the_env_shown_and_a_widens_it() {
    let mut app = app_with_envs(&["default", "dev"], "dev");
    let dev = Scope::Env("dev".into());
    assert_eq!(
        update(&mut app, key('p')),
        vec![Effect::LoadPurgePlan(dev.clone())]
    );
    update(
        &mut app,
        Action::PurgePlan(dev.clone(), Ok(vec![item(".pyve/envs/dev")])),
    );
    let shown = screen(&app);
    assert!(
        shown.contains("pyve created these for env dev (the other envs stay):"),
        "{shown}"
    );
    assert!(shown.contains("a list every env's paths"), "{shown}");
    assert_eq!(
        update(&mut app, key('a')),
        vec![Effect::LoadPurgePlan(Scope::All)]
    );
    // The dev list, late: not shown as everything's.
    update(
        &mut app,
        Action::PurgePlan(dev.clone(), Ok(vec![item(".pyve/envs/dev")])),
    );
    let Some(Overlay::Purge(p)) = &app.overlay else {
        panic!("the confirmation closed")
    };
    assert_eq!(p.items, None);
    update(
        &mut app,
        Action::PurgePlan(
            Scope::All,
            Ok(vec![
                item(".venv"),
                item(".pyve/envs/dev"),
                item(".pyve/state"),
            ]),
        ),
    );
    let shown = screen(&app);
    assert!(
        shown.contains("pyve created these in this project, for every env:"),
        "{shown}"
    );
    assert!(shown.contains("a list only env dev's"), "{shown}");
    assert_eq!(
        update(&mut app, key('y')),
        vec![Effect::Purge(
            Scope::All,
            vec![
                PathBuf::from("/home/me/proj/.venv"),
                PathBuf::from("/home/me/proj/.pyve/envs/dev"),
                PathBuf::from("/home/me/proj/.pyve/state"),
            ]
        )]
    );
}

/// One env: everything, as `pyve purge` does, and no `a`.
#[test]
fn with_one_env_purge_lists_everything_and_offers_no_scope() {
    let mut app = app_with(pip_project(), 100, 30);
    assert_eq!(
        update(&mut app, key('p')),
        vec![Effect::LoadPurgePlan(Scope::All)]
    );
    update(
        &mut app,
        Action::PurgePlan(Scope::All, Ok(vec![item(".venv")])),
    );
    let shown = screen(&app);
    assert!(
        shown.contains("pyve created these in this project:"),
        "{shown}"
    );
    assert!(!shown.contains("every env"), "{shown}");
    assert_eq!(update(&mut app, key('a')), vec![]);
    assert!(matches!(app.overlay, Some(Overlay::Purge(_))));
}

/// An env that is not built: nothing to purge for it, and `a` still widens.
#[test]
fn an_env_not_built_has_nothing_to_purge_and_a_still_widens() {
    let mut app = app_with_envs(&["default", "dev"], "dev");
    update(&mut app, key('p'));
    update(
        &mut app,
        Action::PurgePlan(Scope::Env("dev".into()), Ok(vec![])),
    );
    let shown = screen(&app);
    assert!(
        shown.contains("nothing to purge for env dev: it is not built"),
        "{shown}"
    );
    assert_eq!(
        update(&mut app, key('a')),
        vec![Effect::LoadPurgePlan(Scope::All)]
    );
    update(&mut app, Action::PurgePlan(Scope::All, Ok(vec![])));
    // Any other key closes "nothing to purge".
    assert_eq!(update(&mut app, key('x')), vec![]);
    assert!(app.overlay.is_none());
}
