//! Enter on a Health check: what its fix means, and doing it. The engine gives each
//! fix as words with the command in backticks; [`fix_action`] reads the first `pyve …`
//! command out of them and [`activate`] opens what that command needs. (Self-contained
//! on purpose: a typed fix from the engine replaces the parsing here and nothing else.)

use crate::tui::action::{Effect, InitRequest};
use crate::tui::app::{App, Pane};
use crate::tui::overlay::{bootstrap, purge, run, setup};
use pyve_core::engine::BackendKind;

/// What Enter does with a check's fix text. The engine gives the fix as words with
/// the command in backticks; the first `pyve …` command is the one Enter runs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Fix {
    /// `pyve init …`: the Setup wizard, prefilled; `ask_backend` when the fix offers
    /// several inits (the wizard asks which).
    Setup {
        request: InitRequest,
        ask_backend: bool,
    },
    Bootstrap,
    Purge,
    /// `pyve run …`: the Run prompt, prefilled.
    Run(String),
    /// A command for a shell, not for pyve (`pyenv install 3.11`).
    Shell(String),
    /// An edit to make by hand.
    Edit,
}

pub fn fix_action(fix: &str) -> Fix {
    let code: Vec<&str> = fix
        .split('`')
        .enumerate()
        .filter(|(i, _)| i % 2 == 1)
        .map(|(_, s)| s.trim())
        .collect();
    let pyve: Vec<Vec<&str>> = code
        .iter()
        .filter(|c| c.starts_with("pyve "))
        .map(|c| c.split_whitespace().collect())
        .collect();
    let Some(first) = pyve.first() else {
        return match code.first() {
            Some(c) => Fix::Shell(c.to_string()),
            None => Fix::Edit,
        };
    };
    match first.get(1).copied() {
        Some("init") => {
            let mut request = InitRequest::default();
            let mut args = first[2..].iter();
            while let Some(a) = args.next() {
                match *a {
                    "--force" => request.force = true,
                    "--install-deps" => request.editable = Some(true),
                    "--backend" => {
                        request.backend = match args.next().copied() {
                            Some("venv") => Some(BackendKind::Venv),
                            Some("micromamba") => Some(BackendKind::Micromamba),
                            _ => None,
                        }
                    }
                    _ => {}
                }
            }
            let ask_backend = pyve.len() > 1 && pyve.iter().all(|c| c.get(1) == Some(&"init"));
            if ask_backend {
                request.backend = None;
            }
            Fix::Setup {
                request,
                ask_backend,
            }
        }
        Some("bootstrap") => Fix::Bootstrap,
        Some("purge") => Fix::Purge,
        Some("run") => Fix::Run(first[2..].join(" ")),
        _ => Fix::Shell(first.join(" ")),
    }
}

/// The selected Health check and what Enter does with it.
pub fn selected_fix(app: &App) -> Option<(Fix, String)> {
    let s = app.snapshot.as_ref()?;
    let c = s.doctor.checks.get(app.health_selected)?;
    let fix = c.fix.as_ref()?;
    // The engine names the command when the fix is one; otherwise read the words.
    let action = match &c.command {
        Some(cmd) if !fix.contains(" or `pyve") => fix_action(&format!("`{cmd}`")),
        _ => fix_action(fix),
    };
    Some((action, fix.clone()))
}

pub fn activate(app: &mut App) -> Vec<Effect> {
    if app.focus != Pane::Health {
        return vec![];
    }
    let Some((fix, text)) = selected_fix(app) else {
        app.set_status("this check has nothing to fix");
        return vec![];
    };
    match fix {
        Fix::Setup {
            request,
            ask_backend,
        } => setup::keys::open(app, Some((request, ask_backend))),
        Fix::Bootstrap => bootstrap::keys::open(app),
        Fix::Purge => purge::keys::open(app),
        Fix::Run(cmd) => run::keys::open(app, cmd),
        Fix::Shell(cmd) => {
            app.set_status(format!("not a pyve command: run `{cmd}` in a shell"));
            vec![]
        }
        Fix::Edit => {
            app.set_status(format!("a fix by hand: {text}"));
            vec![]
        }
    }
}
