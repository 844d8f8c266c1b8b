//! The Bootstrap wizard's updates: opening it, choosing an option (a download, the
//! system package manager after a confirmation, or abort), and what keys do in each
//! phase.

use crossterm::event::{KeyCode, KeyEvent};

use super::state::{BootstrapPhase, BootstrapRun, BootstrapWizard};
use crate::tui::action::{Action, Effect};
use crate::tui::app::{App, JobKind};
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

pub fn on_key(app: &mut App, w: &mut BootstrapWizard, k: KeyEvent) -> (Flow, Vec<Effect>) {
    match &w.phase {
        BootstrapPhase::Choose => match k.code {
            KeyCode::Char('j') | KeyCode::Down => w.selected = (w.selected + 1).min(3),
            KeyCode::Char('k') | KeyCode::Up => w.selected = w.selected.saturating_sub(1),
            KeyCode::Char(c @ '1'..='4') => {
                return choose(app, w, c as usize - '1' as usize);
            }
            KeyCode::Enter => return choose(app, w, w.selected),
            KeyCode::Esc | KeyCode::Char('q') => return (Flow::Close, vec![]),
            _ => {}
        },
        BootstrapPhase::ConfirmSystem => match k.code {
            KeyCode::Char('y' | 'Y') | KeyCode::Enter => {
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
            KeyCode::Char('n' | 'N') | KeyCode::Esc => w.phase = BootstrapPhase::Choose,
            _ => {}
        },
        BootstrapPhase::Downloading(_) | BootstrapPhase::SystemRunning(_) => {
            if k.code == KeyCode::Esc {
                app.set_status("the install goes on in the background; Ctrl-C cancels it");
                return (Flow::Close, vec![]);
            }
        }
        BootstrapPhase::Done(_, result) => match (k.code, result.is_ok()) {
            (KeyCode::Enter, true) => return (Flow::Then(Action::OpenSetup), vec![]),
            (KeyCode::Enter, false) => w.phase = BootstrapPhase::Choose,
            (KeyCode::Esc | KeyCode::Char('q'), _) => return (Flow::Close, vec![]),
            _ => {}
        },
    }
    (Flow::Keep, vec![])
}
