//! The Health pane's own key: Enter runs the selected check's fix (see `fix`).

use crossterm::event::KeyCode;

use crate::tui::action::Action;
use crate::tui::keys::{Binding, Cmd, Foot, Key, on_dashboard};

pub const BINDINGS: &[Binding<Cmd>] = &[Binding {
    keys: &[(Key::Is(KeyCode::Enter), Cmd::Act(Action::Activate))],
    shown: "Enter",
    help: "run the selected check's fix when it is a pyve command (opens the wizard or confirmation it needs)",
    when: on_dashboard,
    footer: &[Foot::new("Enter", "fix").at(2)],
}];
