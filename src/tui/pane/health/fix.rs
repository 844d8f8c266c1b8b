//! Enter on a Health check: doctor gives each problem's fix as data (the engine's
//! [`Fix`]); [`selected_fix`] reads the selected check's, and [`activate`] opens what
//! it needs (the Setup wizard prefilled, the Bootstrap wizard, the Purge confirmation)
//! or says what to do by hand.

use crate::tui::action::{Action, Effect, InitRequest};
use crate::tui::app::{App, Pane};
use crate::tui::keys::key_for;
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
        env: fix.env.clone(),
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
        Fix::Bootstrap | Fix::BootstrapUser => bootstrap::keys::open(app),
        Fix::FixAll => crate::tui::overlay::fix::keys::open(app),
        Fix::Purge => purge::keys::open(app),
        Fix::Lock => {
            if app.job.is_some() {
                app.set_status("a task is running: lock when it is done");
                return vec![];
            }
            crate::tui::update::start_job_as(
                app,
                crate::tui::app::JobKind::Lock,
                "lock conda-lock.yml".into(),
                Some("pyve lock".into()),
            );
            app.focus = Pane::Log;
            vec![Effect::Lock]
        }
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

/// A fix in the TUI's words, for an error in the Log: the key of the wizard that does
/// it (the same `match` as Enter's), or what to do outside the TUI.
pub fn words(fix: &Fix) -> String {
    let key = |is: fn(&Action) -> bool| key_for(is);
    match fix {
        Fix::Init(_) => format!(
            "{} opens the Setup wizard, which runs init",
            key(|a| matches!(a, Action::OpenSetup))
        ),
        Fix::ChooseBackend => format!(
            "{} opens the Setup wizard, which asks for the backend",
            key(|a| matches!(a, Action::OpenSetup))
        ),
        Fix::Bootstrap => format!(
            "{} opens the Bootstrap wizard, which installs micromamba",
            key(|a| matches!(a, Action::OpenBootstrap))
        ),
        Fix::BootstrapUser => format!(
            "{} opens the Bootstrap wizard: choose pyve's own copy in your user sandbox",
            key(|a| matches!(a, Action::OpenBootstrap))
        ),
        Fix::FixAll => "F on the Health pane shows every fix and applies them".into(),
        Fix::Purge => format!(
            "{} purges what pyve made here (it asks first)",
            key(|a| matches!(a, Action::OpenPurge))
        ),
        Fix::Lock => "Enter on the Lock file check runs pyve lock".into(),
        Fix::Shell { command } => format!("in a shell: `{command}`"),
        Fix::Edit { file, line, key } => crate::words::edit(file, *line, key.as_deref()),
    }
}
