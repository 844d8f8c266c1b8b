//! The Log pane's own keys: follow mode, and the newest line.

use crossterm::event::KeyCode;

use crate::tui::action::Action;
use crate::tui::keys::{Binding, Cmd, Foot, Key, ch, on_dashboard};

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
];
