//! Every key, in one table: the Help overlay lists it, the footer shows the focused
//! pane's part of it, and docs/tui.md copies it. `update` is where keys act.

use super::app::{BootstrapPhase, Overlay, Pane, SetupStep};

/// One row of the key table.
pub type Key = (&'static str, &'static str);

pub const GLOBAL: &[Key] = &[
    ("Tab / Shift-Tab", "focus the next / previous pane"),
    ("1 2 3 4", "focus Backend, Tools, Health, Log"),
    (
        "mouse click",
        "focus the pane under the pointer (wheel scrolls it)",
    ),
    ("z", "zoom the focused pane to the whole screen, and back"),
    (
        "i",
        "Setup wizard: choose backend, name, python or channels, then run init",
    ),
    ("b", "Bootstrap wizard: install micromamba"),
    (
        "r or :",
        "Run prompt: run a command in the env, output to Log",
    ),
    ("p", "Purge: remove what pyve created here (asks first)"),
    ("R or F5", "refresh detection and health now"),
    (
        "Ctrl-C",
        "cancel the running task (its whole process group)",
    ),
    ("?", "this help"),
    ("q", "quit (asks first while a task runs)"),
];

pub const SCROLLING: &[Key] = &[
    ("j / Down", "scroll down (Health: next check)"),
    ("k / Up", "scroll up (Health: previous check)"),
    ("g / Home", "top"),
    ("G / End", "bottom (Log: and follow again)"),
    ("PgDn / Ctrl-d", "a page down"),
    ("PgUp / Ctrl-u", "a page up"),
];

pub const HEALTH: &[Key] = &[(
    "Enter",
    "run the selected check's fix when it is a pyve command (opens the wizard or prompt it needs)",
)];

pub const LOG: &[Key] = &[
    (
        "f",
        "follow mode on / off (on: the newest line stays in view)",
    ),
    ("G / End", "jump to the newest line and follow"),
];

pub const SETUP: &[Key] = &[
    ("Enter", "next step; on Review: run init"),
    ("Esc", "previous step; on the first: close"),
    ("j/k, arrows", "choose (backend, yes/no)"),
    ("y / n", "answer the install-the-project question"),
    ("f", "Review: toggle --force (rebuild the env)"),
    (
        "b",
        "Review: open the Bootstrap wizard when micromamba is missing",
    ),
];

pub const BOOTSTRAP: &[Key] = &[
    ("1 2 3 4", "pick an option"),
    ("j/k + Enter", "choose the highlighted option"),
    ("y / n", "option 3: run the package manager or not"),
    ("Esc", "close (a running download goes on; Ctrl-C stops it)"),
    ("Enter", "when done: continue with the Setup wizard"),
];

pub const RUN: &[Key] = &[
    (
        "Enter",
        "run the command in the env (stdin is empty; output to Log)",
    ),
    ("Esc", "close"),
    ("Up / Down", "previous commands"),
    (
        "Ctrl-a/e/w/u",
        "line editing (start, end, delete word, delete line)",
    ),
];

pub const PURGE: &[Key] = &[("y", "remove the listed paths"), ("n / Esc", "keep them")];

pub const QUIT: &[Key] = &[
    ("y / q / Enter", "cancel the running task and quit"),
    ("n / Esc", "stay"),
];

/// The Help overlay's sections, in order.
pub const SECTIONS: &[(&str, &[Key])] = &[
    ("Everywhere", GLOBAL),
    ("Scrolling (focused pane)", SCROLLING),
    ("Health pane", HEALTH),
    ("Log pane", LOG),
    ("Setup wizard", SETUP),
    ("Bootstrap wizard", BOOTSTRAP),
    ("Run prompt", RUN),
    ("Purge confirmation", PURGE),
    ("Quit confirmation", QUIT),
];

/// The footer: the focused pane's keys first, then the ones that always work.
pub fn footer(focus: Pane, overlay: Option<&Overlay>, running: bool) -> Vec<Key> {
    let mut v: Vec<Key> = Vec::new();
    if let Some(o) = overlay {
        match o {
            Overlay::Setup(w) => {
                v.push((
                    "Enter",
                    if w.step == SetupStep::Review {
                        "run init"
                    } else {
                        "next"
                    },
                ));
                v.push(("Esc", "back"));
                match w.step {
                    SetupStep::Backend => v.push(("j/k", "choose")),
                    SetupStep::Editable => v.push(("y/n", "answer")),
                    SetupStep::Review => {
                        v.push(("f", "force"));
                        v.push(("b", "bootstrap"));
                    }
                    _ => {}
                }
            }
            Overlay::Bootstrap(w) => match w.phase {
                BootstrapPhase::Choose => {
                    v.push(("1-4", "pick"));
                    v.push(("Enter", "choose"));
                    v.push(("Esc", "close"));
                }
                BootstrapPhase::ConfirmSystem => {
                    v.push(("y", "run it"));
                    v.push(("n", "back"));
                }
                BootstrapPhase::Done(_, Ok(_)) => {
                    v.push(("Enter", "setup"));
                    v.push(("Esc", "close"));
                }
                _ => v.push(("Esc", "close")),
            },
            Overlay::Run(_) => {
                v.push(("Enter", "run"));
                v.push(("Esc", "close"));
                v.push(("Up/Down", "history"));
            }
            Overlay::Purge(_) => {
                v.push(("y", "remove"));
                v.push(("n", "keep"));
            }
            Overlay::Help { .. } => {
                v.push(("j/k", "scroll"));
                v.push(("Esc", "close"));
            }
            Overlay::QuitConfirm => {
                v.push(("y", "quit"));
                v.push(("n", "stay"));
            }
        }
        if running {
            v.push(("Ctrl-C", "cancel task"));
        }
        return v;
    }
    if running {
        v.push(("Ctrl-C", "cancel"));
    }
    match focus {
        Pane::Backend | Pane::Tools => v.push(("j/k", "scroll")),
        Pane::Health => {
            v.push(("j/k", "select"));
            v.push(("Enter", "fix"));
        }
        Pane::Log => {
            v.push(("j/k", "scroll"));
            v.push(("f", "follow"));
            v.push(("G", "end"));
        }
    }
    v.push(("?", "help"));
    v.push(("q", "quit"));
    v.push(("Tab", "pane"));
    v.push(("i", "setup"));
    v.push(("b", "bootstrap"));
    v.push(("r", "run"));
    v.push(("p", "purge"));
    v
}
