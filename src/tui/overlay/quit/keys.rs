//! The Quit confirmation's keys: `y` cancels the running task and quits.

use crossterm::event::{KeyCode, KeyEvent};

use crate::tui::action::Effect;
use crate::tui::app::App;
use crate::tui::overlay::Flow;
use crate::tui::update::cancel_for_quit;

pub fn on_key(app: &mut App, k: KeyEvent) -> (Flow, Vec<Effect>) {
    match k.code {
        KeyCode::Char('y') | KeyCode::Char('Y') | KeyCode::Char('q') | KeyCode::Enter => {
            app.quit = true;
            (Flow::Close, cancel_for_quit(app))
        }
        KeyCode::Char('n') | KeyCode::Char('N') | KeyCode::Esc => (Flow::Close, vec![]),
        _ => (Flow::Keep, vec![]),
    }
}
