//! Help's keys: scrolling, and closing.

use crossterm::event::{KeyCode, KeyEvent};

use super::view::max_scroll;
use crate::tui::action::{Action, Effect};
use crate::tui::app::App;
use crate::tui::overlay::Flow;
use crate::tui::update::page;

pub fn on_key(app: &mut App, scroll: &mut u16, k: KeyEvent) -> (Flow, Vec<Effect>) {
    let max = max_scroll(app);
    match k.code {
        KeyCode::Char('j') | KeyCode::Down => *scroll = (*scroll + 1).min(max),
        KeyCode::Char('k') | KeyCode::Up => *scroll = scroll.saturating_sub(1),
        KeyCode::PageDown => *scroll = (*scroll + page(app) as u16).min(max),
        KeyCode::PageUp => *scroll = scroll.saturating_sub(page(app) as u16),
        KeyCode::Char('g') | KeyCode::Home => *scroll = 0,
        KeyCode::Char('G') | KeyCode::End => *scroll = max,
        KeyCode::Esc | KeyCode::Char('?') | KeyCode::Char('q') | KeyCode::Enter => {
            return (Flow::Then(Action::CloseOverlay), vec![]);
        }
        _ => {}
    }
    (Flow::Keep, vec![])
}
