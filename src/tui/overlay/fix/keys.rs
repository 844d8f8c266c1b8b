//! The Fix plan's updates: opening it (the plan loads in the background) and its keys:
//! Enter applies the safe fixes and the chosen rebuilds, Space chooses a rebuild,
//! j/k move between rebuilds, Esc closes with nothing applied.

use crossterm::event::{KeyCode, KeyEvent};

use super::state::FixAll;
use crate::tui::action::Effect;
use crate::tui::app::{App, JobKind};
use crate::tui::keys::{Binding, Foot, Key, always, ch, lookup};
use crate::tui::overlay::{Flow, Overlay};
use crate::tui::update::{busy, start_job_as};

pub fn open(app: &mut App) -> Vec<Effect> {
    if busy(app) {
        return vec![];
    }
    app.overlay = Some(Overlay::Fix(FixAll::loading()));
    vec![Effect::LoadFixPlan]
}

/// What a key does in the Fix plan.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cmd {
    Apply,
    Toggle,
    Down,
    Up,
    Close,
}

fn has_rebuilds(_: &App, s: &FixAll) -> bool {
    !s.rebuilds.is_empty()
}

fn can_apply(_: &App, s: &FixAll) -> bool {
    s.applies_something()
}

pub const BINDINGS: &[Binding<Cmd, FixAll>] = &[
    Binding {
        keys: &[(Key::Is(KeyCode::Enter), Cmd::Apply)],
        shown: "Enter",
        help: "apply the safe fixes together, and the rebuilds you chose",
        when: always,
        footer: &[Foot::new("Enter", "apply").when(can_apply)],
    },
    Binding {
        keys: &[(ch(' '), Cmd::Toggle), (Key::Letter('y'), Cmd::Toggle)],
        shown: "Space or y",
        help: "choose (or unchoose) the rebuild under the cursor",
        when: has_rebuilds,
        footer: &[Foot::new("Space", "choose rebuild")],
    },
    Binding {
        keys: &[
            (ch('j'), Cmd::Down),
            (Key::Is(KeyCode::Down), Cmd::Down),
            (ch('k'), Cmd::Up),
            (Key::Is(KeyCode::Up), Cmd::Up),
        ],
        shown: "j / k, Up/Down",
        help: "move between the rebuilds",
        when: has_rebuilds,
        footer: &[],
    },
    Binding {
        keys: &[
            (Key::Is(KeyCode::Esc), Cmd::Close),
            (ch('q'), Cmd::Close),
            (Key::Letter('n'), Cmd::Close),
        ],
        shown: "Esc / q / n",
        help: "close, applying nothing",
        when: always,
        footer: &[Foot::new("Esc", "close")],
    },
    Binding {
        // update's on_mouse: a wheel notch is Up / Down here.
        keys: &[],
        shown: "mouse wheel",
        help: "moves the choice, as Up / Down do",
        when: always,
        footer: &[],
    },
];

pub fn on_key(app: &mut App, s: &mut FixAll, k: KeyEvent) -> (Flow, Vec<Effect>) {
    let n = s.rebuilds.len();
    match lookup(BINDINGS, app, s, &k) {
        Some(Cmd::Apply) => match &s.plan {
            Some(Ok(plan)) if s.applies_something() => {
                let chosen = s.rebuilds.clone();
                start_job_as(
                    app,
                    JobKind::Init,
                    "fix".into(),
                    Some("pyve doctor --fix".into()),
                );
                (
                    Flow::Close,
                    vec![Effect::ApplyFixes {
                        plan: plan.clone(),
                        rebuilds: chosen,
                    }],
                )
            }
            Some(Ok(_)) => {
                app.set_status("nothing applied: the fixes listed are yours to make");
                (Flow::Close, vec![])
            }
            Some(Err(_)) => (Flow::Close, vec![]),
            None => (Flow::Keep, vec![]),
        },
        Some(Cmd::Toggle) => {
            if let Some(r) = s.rebuilds.get_mut(s.cursor) {
                *r = !*r;
            }
            (Flow::Keep, vec![])
        }
        Some(Cmd::Down) => {
            s.cursor = (s.cursor + 1).min(n.saturating_sub(1));
            (Flow::Keep, vec![])
        }
        Some(Cmd::Up) => {
            s.cursor = s.cursor.saturating_sub(1);
            (Flow::Keep, vec![])
        }
        Some(Cmd::Close) => (Flow::Close, vec![]),
        None => (Flow::Keep, vec![]),
    }
}
