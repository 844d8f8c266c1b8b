//! Help.

use crate::tui::test_support::*;

#[test]
fn screen_help() {
    let mut app = app_with(pip_project(), 100, 40);
    update(&mut app, key('?'));
    snapshot!("help", screen(&app));
}
