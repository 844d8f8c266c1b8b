//! The Quit confirmation's keys: `y` cancels the running task and quits.

use crossterm::event::{KeyCode, KeyEvent};

use crate::tui::action::Effect;
use crate::tui::app::App;
use crate::tui::keys::{Binding, Foot, Key, always, ch, lookup};
use crate::tui::overlay::Flow;
use crate::tui::update::cancel_for_quit;

/// What a key does in the confirmation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cmd {
    Quit,
    Stay,
}

pub const BINDINGS: &[Binding<Cmd>] = &[
    Binding {
        keys: &[
            (Key::Letter('y'), Cmd::Quit),
            (ch('q'), Cmd::Quit),
            (Key::Is(KeyCode::Enter), Cmd::Quit),
        ],
        shown: "y / q / Enter",
        help: "cancel the running task and quit",
        when: always,
        footer: &[Foot::new("y", "quit")],
    },
    Binding {
        keys: &[
            (Key::Letter('n'), Cmd::Stay),
            (Key::Is(KeyCode::Esc), Cmd::Stay),
        ],
        shown: "n / Esc",
        help: "stay",
        when: always,
        footer: &[Foot::new("n", "stay")],
    },
];

pub fn on_key(app: &mut App, k: KeyEvent) -> (Flow, Vec<Effect>) {
    match lookup(BINDINGS, app, &(), &k) {
        Some(Cmd::Quit) => {
            app.quit = true;
            (Flow::Close, cancel_for_quit(app))
        }
        Some(Cmd::Stay) => (Flow::Close, vec![]),
        None => (Flow::Keep, vec![]),
    }
}
