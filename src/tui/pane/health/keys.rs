//! The Health pane's own keys: Enter runs the selected check's fix (see `fix`), `F`
//! opens the plan of every fix.

use crossterm::event::KeyCode;

use crate::tui::action::Action;
use crate::tui::keys::{Binding, Cmd, Foot, Key, ch, on_dashboard};

pub const BINDINGS: &[Binding<Cmd>] = &[
    Binding {
        keys: &[(Key::Is(KeyCode::Enter), Cmd::Act(Action::Activate))],
        shown: "Enter",
        help: "run the selected check's fix when it is a pyve command (opens the wizard or confirmation it needs)",
        when: on_dashboard,
        footer: &[Foot::new("Enter", "fix").at(2)],
    },
    Binding {
        keys: &[(ch('F'), Cmd::Act(Action::OpenFixPlan))],
        shown: "F",
        help: "fix all: the plan of every check's fix, as `pyve doctor --fix` applies it (rebuilds chosen one by one)",
        when: on_dashboard,
        footer: &[Foot::new("F", "fix all").at(6).when(has_problems)],
    },
];

/// The footer offers "fix all" when some check is not ok.
fn has_problems(app: &crate::tui::app::App, _: &()) -> bool {
    app.snapshot.as_ref().is_some_and(|s| {
        s.doctor
            .checks
            .iter()
            .any(|c| c.action.is_some() && c.status != pyve_core::engine::doctor::Status::Ok)
    })
}
