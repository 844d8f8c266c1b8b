//! The Quit confirmation.

use crate::tui::test_support::*;

#[test]
fn quit_asks_while_a_task_runs() {
    let mut app = app_with(pip_project(), 100, 30);
    running_create(&mut app);
    assert_eq!(update(&mut app, key('q')), vec![]);
    assert!(!app.quit);
    assert!(matches!(app.overlay, Some(Overlay::QuitConfirm)));
    snapshot!("quit_confirm", screen(&app));
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
