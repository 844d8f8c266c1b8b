//! The Log pane's own keys: follow mode, the newest line, search, the next error.

use crossterm::event::KeyCode;

use crate::tui::action::Action;
use crate::tui::app::App;
use crate::tui::keys::{Binding, Cmd, Foot, Key, ch, on_dashboard};
use crate::tui::pane::log::search::Toward;

pub const BINDINGS: &[Binding<Cmd>] = &[
    Binding {
        keys: &[(ch('f'), Cmd::Act(Action::ToggleFollow))],
        shown: "f",
        help: "follow mode on / off (on: the newest line stays in view)",
        when: on_dashboard,
        footer: &[Foot::new("f", "follow").at(2)],
    },
    Binding {
        keys: &[
            (ch('G'), Cmd::Act(Action::ScrollBottom)),
            (Key::Is(KeyCode::End), Cmd::Act(Action::ScrollBottom)),
        ],
        shown: "G / End",
        help: "jump to the newest line and follow",
        when: on_dashboard,
        footer: &[Foot::new("G", "end").at(2)],
    },
    Binding {
        keys: &[(ch('/'), Cmd::Act(Action::LogSearch))],
        shown: "/",
        help: "find a text (type it, Enter; Esc gives up)",
        when: on_dashboard,
        footer: &[Foot::new("/", "find").at(2)],
    },
    Binding {
        keys: &[
            (ch('n'), Cmd::Act(Action::LogFind(Toward::Older))),
            (ch('N'), Cmd::Act(Action::LogFind(Toward::Newer))),
        ],
        shown: "n / N",
        help: "the search's next match up (older) / down (newer)",
        when: searched,
        footer: &[Foot::new("n/N", "match").at(2)],
    },
    Binding {
        keys: &[(ch('e'), Cmd::Act(Action::LogNextError))],
        shown: "e",
        help: "the next error up (a failed task, an error line); G comes back",
        when: on_dashboard,
        footer: &[Foot::new("e", "error").at(2).when(has_error)],
    },
];

/// A search was made: `n` and `N` find its matches.
fn searched(app: &App, _: &()) -> bool {
    on_dashboard(app, &()) && app.log_search.as_ref().is_some_and(|s| !s.editing)
}

/// The footer offers `e` when the Log has an error (the newest screenful is looked
/// at: cheap enough to ask on every frame).
fn has_error(app: &App, _: &()) -> bool {
    let n = app.log.len();
    (n.saturating_sub(500)..n).any(|i| {
        app.log
            .get(i)
            .is_some_and(crate::tui::pane::log::search::is_error)
    })
}
