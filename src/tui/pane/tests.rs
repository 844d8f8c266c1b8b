//! Scrolling each pane.

use crate::tui::test_support::*;

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
    // (Lines in the Log, so it is a pane and the one above is short.)
    for i in 0..100 {
        app.log.push(LineKind::Stdout, &format!("{i}"));
    }
    update(&mut app, Action::Resize(100, 16));
    update(&mut app, Action::ScrollDown(100));
    let max = ui::max_scroll(&app, Pane::Tools);
    assert!(max > 0);
    assert_eq!(app.tools_scroll, max);
    update(&mut app, key('g'));
    assert_eq!(app.tools_scroll, 0);
    // Log: up pauses following, G follows again.
    update(&mut app, Action::Focus(Pane::Log));
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
