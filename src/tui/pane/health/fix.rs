//! Enter on a Health check: doctor gives each problem's fix as data (the engine's
//! [`Fix`]); [`selected_fix`] reads the selected check's, and [`activate`] opens what
//! it needs (the Setup wizard prefilled, the Bootstrap wizard, the Purge confirmation)
//! or says what to do by hand.

use crate::tui::action::{Effect, InitRequest};
use crate::tui::app::{App, Pane};
use crate::tui::overlay::{bootstrap, purge, setup};
use pyve_core::engine::fix::{Fix, InitFix};

/// The selected Health check's fix: what Enter does, and its words.
pub fn selected_fix(app: &App) -> Option<(Fix, String)> {
    let s = app.snapshot.as_ref()?;
    let c = s.doctor.checks.get(app.health_selected)?;
    let words = c.fix.clone()?;
    let action = c.action.clone().unwrap_or(Fix::Edit {
        file: ".".into(),
        line: None,
        key: None,
    });
    Some((action, words))
}

/// The Setup wizard's request for a `pyve init` fix.
fn fix_request(fix: &InitFix) -> InitRequest {
    InitRequest {
        backend: fix.backend,
        force: fix.force,
        ..InitRequest::default()
    }
}

/// Enter on the Health pane: the selected check's fix.
pub fn activate(app: &mut App) -> Vec<Effect> {
    if app.focus != Pane::Health {
        return vec![];
    }
    let Some((fix, text)) = selected_fix(app) else {
        app.set_status("this check has nothing to fix");
        return vec![];
    };
    match fix {
        // The Setup wizard builds envs; taking one over is said as the command to type.
        Fix::Init(i) if i.adopt => {
            app.set_status(format!("run `{text}` in a terminal to take it over"));
            vec![]
        }
        Fix::Init(i) => setup::keys::open(app, Some((fix_request(&i), false))),
        Fix::ChooseBackend => setup::keys::open(app, Some((InitRequest::default(), true))),
        Fix::Bootstrap => bootstrap::keys::open(app),
        Fix::Purge => purge::keys::open(app),
        Fix::Shell { command } => {
            app.set_status(format!("not a pyve command: run `{command}` in a shell"));
            vec![]
        }
        Fix::Edit { .. } => {
            app.set_status(format!("a fix by hand: {text}"));
            vec![]
        }
    }
}
