//! The Purge confirmation's updates: opening it (the list loads in the background),
//! and its keys: `y` removes, `n` keeps, `a` (several envs) switches between the env
//! shown and everything.

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
    let p = PurgeConfirm::new(crate::tui::envs::shown_of_several(app));
    let scope = p.scope.clone();
    app.overlay = Some(Overlay::Purge(p));
    vec![Effect::LoadPurgePlan(scope)]
}

/// What a key does in the confirmation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cmd {
    Remove,
    Keep,
    /// The env shown ⇄ everything.
    Scope,
}

/// `a` is offered only when there are several envs.
fn several(_: &App, p: &PurgeConfirm) -> bool {
    p.env_shown.is_some()
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
    Binding {
        keys: &[(Key::Letter('a'), Cmd::Scope)],
        shown: "a",
        help: "list every env's paths, or only the env shown's (several envs)",
        when: several,
        footer: &[Foot::new("a", "all envs / this env")],
    },
];

pub fn on_key(app: &mut App, p: &mut PurgeConfirm, k: KeyEvent) -> (Flow, Vec<Effect>) {
    match lookup(BINDINGS, app, p, &k) {
        Some(Cmd::Remove) => match &p.items {
            Some(Ok(items)) if !items.is_empty() => {
                let paths = items.iter().map(|i| i.path.clone()).collect();
                start_job(app, JobKind::Purge, "purge".into());
                (Flow::Close, vec![Effect::Purge(p.scope.clone(), paths)])
            }
            Some(_) => (Flow::Close, vec![]),
            None => (Flow::Keep, vec![]),
        },
        Some(Cmd::Scope) => match p.widen_or_narrow() {
            Some(scope) => (Flow::Keep, vec![Effect::LoadPurgePlan(scope)]),
            None => (Flow::Keep, vec![]),
        },
        Some(Cmd::Keep) => {
            if matches!(&p.items, Some(Ok(items)) if !items.is_empty()) {
                app.set_status("nothing removed");
            }
            (Flow::Close, vec![])
        }
        // "nothing to purge": any other key closes it, as it says.
        None if matches!(&p.items, Some(Ok(items)) if items.is_empty()) => (Flow::Close, vec![]),
        None => (Flow::Keep, vec![]),
    }
}
