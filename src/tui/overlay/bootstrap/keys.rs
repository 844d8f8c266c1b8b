//! The Bootstrap wizard's updates: opening it, choosing an option (a download, the
//! system package manager after a confirmation, or abort), its key table, and what
//! each key does in each phase.

use crossterm::event::{KeyCode, KeyEvent};

use super::state::{BootstrapPhase, BootstrapRun, BootstrapWizard};
use crate::tui::action::{Action, Effect};
use crate::tui::app::{App, JobKind};
use crate::tui::keys::{Binding, Foot, Key, always, ch, lookup};
use crate::tui::overlay::{Flow, Overlay};
use crate::tui::update::{busy, start_job};
use pyve_core::engine::bootstrap::{SystemInstall, Target};

pub fn open(app: &mut App) -> Vec<Effect> {
    if busy(app) {
        return vec![];
    }
    let Some(snap) = &app.snapshot else {
        app.set_status("still detecting the project…");
        return vec![];
    };
    let Some(menu) = snap.bootstrap.clone() else {
        let why = snap.load_error.clone().unwrap_or_default();
        app.set_status(format!("fix the project first (see Health): {why}"));
        return vec![];
    };
    let selected = match menu.default {
        Target::Project => 0,
        Target::User => 1,
    };
    app.overlay = Some(Overlay::Bootstrap(Box::new(BootstrapWizard {
        menu,
        selected,
        phase: BootstrapPhase::Choose,
        message: None,
    })));
    vec![]
}

fn choose(app: &mut App, w: &mut BootstrapWizard, option: usize) -> (Flow, Vec<Effect>) {
    w.selected = option;
    w.message = None;
    let target = match option {
        0 => Target::Project,
        1 => Target::User,
        2 => {
            match &w.menu.system {
                SystemInstall::Available { .. } => w.phase = BootstrapPhase::ConfirmSystem,
                SystemInstall::Unavailable { why } => {
                    w.message = Some(format!("option 3 is unavailable: {why}"));
                }
            }
            return (Flow::Keep, vec![]);
        }
        _ => {
            app.set_status(
                "aborted: micromamba was not installed; b opens this again, or choose the venv backend in the Setup wizard",
            );
            return (Flow::Close, vec![]);
        }
    };
    if let Err(why) = &w.menu.source {
        w.message = Some(why.clone());
        return (Flow::Keep, vec![]);
    }
    let shown = match target {
        Target::Project => w.menu.project.clone(),
        Target::User => w.menu.user.clone(),
    };
    w.phase = BootstrapPhase::Downloading(BootstrapRun::new(shown));
    start_job(app, JobKind::Bootstrap, "bootstrap micromamba".into());
    (Flow::Keep, vec![Effect::Bootstrap(target)])
}

/// What a key does in the wizard.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cmd {
    /// Option 1–4.
    Pick(usize),
    Down,
    Up,
    /// The highlighted option.
    ChooseSelected,
    /// Option 3, confirmed: run the package manager.
    RunSystem,
    BackToMenu,
    /// Done: on to the Setup wizard (after a failure: back to the options).
    Continue,
    Close,
    /// Close while the install goes on.
    Hide,
}

fn choosing(_: &App, w: &BootstrapWizard) -> bool {
    w.phase == BootstrapPhase::Choose
}

fn confirming(_: &App, w: &BootstrapWizard) -> bool {
    w.phase == BootstrapPhase::ConfirmSystem
}

fn installing(_: &App, w: &BootstrapWizard) -> bool {
    matches!(
        w.phase,
        BootstrapPhase::Downloading(_) | BootstrapPhase::SystemRunning(_)
    )
}

fn done(_: &App, w: &BootstrapWizard) -> bool {
    matches!(w.phase, BootstrapPhase::Done(..))
}

fn done_ok(_: &App, w: &BootstrapWizard) -> bool {
    matches!(w.phase, BootstrapPhase::Done(_, Ok(_)))
}

fn choosing_or_done(app: &App, w: &BootstrapWizard) -> bool {
    choosing(app, w) || done(app, w)
}

pub const BINDINGS: &[Binding<Cmd, BootstrapWizard>] = &[
    Binding {
        keys: &[
            (ch('1'), Cmd::Pick(0)),
            (ch('2'), Cmd::Pick(1)),
            (ch('3'), Cmd::Pick(2)),
            (ch('4'), Cmd::Pick(3)),
        ],
        shown: "1 2 3 4",
        help: "pick an option",
        when: choosing,
        footer: &[Foot::new("1-4", "pick")],
    },
    Binding {
        keys: &[
            (ch('j'), Cmd::Down),
            (Key::Is(KeyCode::Down), Cmd::Down),
            (ch('k'), Cmd::Up),
            (Key::Is(KeyCode::Up), Cmd::Up),
            (Key::Is(KeyCode::Enter), Cmd::ChooseSelected),
        ],
        shown: "j/k + Enter",
        help: "choose the highlighted option (arrows too)",
        when: choosing,
        footer: &[Foot::new("Enter", "choose")],
    },
    Binding {
        keys: &[
            (Key::Letter('y'), Cmd::RunSystem),
            (Key::Is(KeyCode::Enter), Cmd::RunSystem),
            (Key::Letter('n'), Cmd::BackToMenu),
            (Key::Is(KeyCode::Esc), Cmd::BackToMenu),
        ],
        shown: "y / n",
        help: "option 3: run the package manager (y, Enter) or not (n, Esc)",
        when: confirming,
        footer: &[Foot::new("y", "run it"), Foot::new("n", "back")],
    },
    Binding {
        keys: &[(Key::Is(KeyCode::Enter), Cmd::Continue)],
        shown: "Enter",
        help: "when done: continue with the Setup wizard (after a failure: back to the options)",
        when: done,
        footer: &[Foot::new("Enter", "setup").when(done_ok)],
    },
    Binding {
        keys: &[(Key::Is(KeyCode::Esc), Cmd::Close), (ch('q'), Cmd::Close)],
        shown: "Esc / q",
        help: "close",
        when: choosing_or_done,
        footer: &[Foot::new("Esc", "close")],
    },
    Binding {
        keys: &[(Key::Is(KeyCode::Esc), Cmd::Hide)],
        shown: "Esc",
        help: "while it installs: close (the install goes on; Ctrl-C stops it)",
        when: installing,
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

pub fn on_key(app: &mut App, w: &mut BootstrapWizard, k: KeyEvent) -> (Flow, Vec<Effect>) {
    let Some(cmd) = lookup(BINDINGS, app, w, &k) else {
        return (Flow::Keep, vec![]);
    };
    match *cmd {
        Cmd::Pick(option) => return choose(app, w, option),
        Cmd::Down => w.selected = (w.selected + 1).min(3),
        Cmd::Up => w.selected = w.selected.saturating_sub(1),
        Cmd::ChooseSelected => return choose(app, w, w.selected),
        Cmd::RunSystem => {
            if let SystemInstall::Available { command, .. } = &w.menu.system {
                let command = command.clone();
                w.phase = BootstrapPhase::SystemRunning(command.clone());
                start_job(app, JobKind::SystemInstall, command);
                return (
                    Flow::Keep,
                    vec![Effect::SystemInstall(w.menu.system.clone())],
                );
            }
        }
        Cmd::BackToMenu => w.phase = BootstrapPhase::Choose,
        Cmd::Continue => {
            if done_ok(app, w) {
                return (Flow::Then(Action::OpenSetup), vec![]);
            }
            w.phase = BootstrapPhase::Choose;
        }
        Cmd::Close => return (Flow::Close, vec![]),
        Cmd::Hide => {
            app.set_status("the install goes on in the background; Ctrl-C cancels it");
            return (Flow::Close, vec![]);
        }
    }
    (Flow::Keep, vec![])
}
