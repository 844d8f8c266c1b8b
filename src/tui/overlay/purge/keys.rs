//! The Purge confirmation's updates: opening it (the list loads in the background),
//! and its keys: `y` removes, `n` keeps.

use crossterm::event::{KeyCode, KeyEvent};

use super::state::PurgeConfirm;
use crate::tui::action::Effect;
use crate::tui::app::{App, JobKind};
use crate::tui::keys::{Binding, Foot, Key, always, ch, lookup};
use crate::tui::overlay::{Flow, Overlay};
use crate::tui::update::{busy, start_job};

pub fn open(app: &mut App) -> Vec<Effect> {
    if busy(app) {
        return vec![];
    }
    app.overlay = Some(Overlay::Purge(PurgeConfirm { items: None }));
    vec![Effect::LoadPurgePlan]
}

/// What a key does in the confirmation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cmd {
    Remove,
    Keep,
}

pub const BINDINGS: &[Binding<Cmd, PurgeConfirm>] = &[
    Binding {
        keys: &[(Key::Letter('y'), Cmd::Remove)],
        shown: "y",
        help: "remove the listed paths",
        when: always,
        footer: &[Foot::new("y", "remove")],
    },
    Binding {
        keys: &[
            (Key::Letter('n'), Cmd::Keep),
            (Key::Is(KeyCode::Esc), Cmd::Keep),
            (ch('q'), Cmd::Keep),
            (Key::Is(KeyCode::Enter), Cmd::Keep),
        ],
        shown: "n / Esc / q",
        help: "keep them (Enter too)",
        when: always,
        footer: &[Foot::new("n", "keep")],
    },
];

pub fn on_key(app: &mut App, p: &mut PurgeConfirm, k: KeyEvent) -> (Flow, Vec<Effect>) {
    match lookup(BINDINGS, app, p, &k) {
        Some(Cmd::Remove) => match &p.items {
            Some(Ok(items)) if !items.is_empty() => {
                let paths = items.iter().map(|i| i.path.clone()).collect();
                start_job(app, JobKind::Purge, "purge".into());
                (Flow::Close, vec![Effect::Purge(paths)])
            }
            Some(_) => (Flow::Close, vec![]),
            None => (Flow::Keep, vec![]),
        },
        Some(Cmd::Keep) => {
            if matches!(&p.items, Some(Ok(items)) if !items.is_empty()) {
                app.set_status("nothing removed");
            }
            (Flow::Close, vec![])
        }
        None => (Flow::Keep, vec![]),
    }
}
