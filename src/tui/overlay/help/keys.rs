//! Help's keys: scrolling, and closing.

use crossterm::event::{KeyCode, KeyEvent};

use super::view::max_scroll;
use crate::tui::action::{Action, Effect};
use crate::tui::app::App;
use crate::tui::keys::{Binding, Foot, Key, always, ch, lookup};
use crate::tui::overlay::Flow;
use crate::tui::update::page;

/// What a key does in Help.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cmd {
    Down,
    Up,
    PageDown,
    PageUp,
    Top,
    Bottom,
    Close,
}

/// Help's state is its scroll offset.
pub const BINDINGS: &[Binding<Cmd, u16>] = &[
    Binding {
        keys: &[(ch('j'), Cmd::Down), (Key::Is(KeyCode::Down), Cmd::Down)],
        shown: "j / Down",
        help: "scroll down",
        when: always,
        footer: &[Foot::new("j/k", "scroll")],
    },
    Binding {
        keys: &[(ch('k'), Cmd::Up), (Key::Is(KeyCode::Up), Cmd::Up)],
        shown: "k / Up",
        help: "scroll up",
        when: always,
        footer: &[],
    },
    Binding {
        keys: &[
            (Key::Is(KeyCode::PageDown), Cmd::PageDown),
            (Key::Is(KeyCode::PageUp), Cmd::PageUp),
        ],
        shown: "PgDn / PgUp",
        help: "a page down / up",
        when: always,
        footer: &[],
    },
    Binding {
        keys: &[
            (ch('g'), Cmd::Top),
            (Key::Is(KeyCode::Home), Cmd::Top),
            (ch('G'), Cmd::Bottom),
            (Key::Is(KeyCode::End), Cmd::Bottom),
        ],
        shown: "g / G",
        help: "top, bottom (Home, End too)",
        when: always,
        footer: &[],
    },
    Binding {
        keys: &[
            (Key::Is(KeyCode::Esc), Cmd::Close),
            (ch('?'), Cmd::Close),
            (ch('q'), Cmd::Close),
            (Key::Is(KeyCode::Enter), Cmd::Close),
        ],
        shown: "Esc ? q Enter",
        help: "close",
        when: always,
        footer: &[Foot::new("Esc", "close")],
    },
];

pub fn on_key(app: &mut App, scroll: &mut u16, k: KeyEvent) -> (Flow, Vec<Effect>) {
    let max = max_scroll(app);
    let Some(cmd) = lookup(BINDINGS, app, scroll, &k) else {
        return (Flow::Keep, vec![]);
    };
    match cmd {
        Cmd::Down => *scroll = (*scroll + 1).min(max),
        Cmd::Up => *scroll = scroll.saturating_sub(1),
        Cmd::PageDown => *scroll = (*scroll + page(app) as u16).min(max),
        Cmd::PageUp => *scroll = scroll.saturating_sub(page(app) as u16),
        Cmd::Top => *scroll = 0,
        Cmd::Bottom => *scroll = max,
        Cmd::Close => return (Flow::Then(Action::CloseOverlay), vec![]),
    }
    (Flow::Keep, vec![])
}
