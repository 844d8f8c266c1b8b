//! The Purge confirmation's updates: opening it (the list loads in the background),
//! and `y` or anything else.

use crossterm::event::{KeyCode, KeyEvent};

use super::state::PurgeConfirm;
use crate::tui::action::Effect;
use crate::tui::app::{App, JobKind};
use crate::tui::overlay::{Flow, Overlay};
use crate::tui::update::{busy, start_job};

pub fn open(app: &mut App) -> Vec<Effect> {
    if busy(app) {
        return vec![];
    }
    app.overlay = Some(Overlay::Purge(PurgeConfirm { items: None }));
    vec![Effect::LoadPurgePlan]
}

pub fn on_key(app: &mut App, p: &mut PurgeConfirm, k: KeyEvent) -> (Flow, Vec<Effect>) {
    match k.code {
        KeyCode::Char('y' | 'Y') => match &p.items {
            Some(Ok(items)) if !items.is_empty() => {
                let paths = items.iter().map(|i| i.path.clone()).collect();
                start_job(app, JobKind::Purge, "purge".into());
                (Flow::Close, vec![Effect::Purge(paths)])
            }
            Some(_) => (Flow::Close, vec![]),
            None => (Flow::Keep, vec![]),
        },
        KeyCode::Char('n' | 'N' | 'q') | KeyCode::Esc | KeyCode::Enter => {
            if matches!(&p.items, Some(Ok(items)) if !items.is_empty()) {
                app.set_status("nothing removed");
            }
            (Flow::Close, vec![])
        }
        _ => (Flow::Keep, vec![]),
    }
}
