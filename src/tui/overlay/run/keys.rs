//! The Run prompt's updates: opening it (empty, or prefilled by a Health fix), running
//! the line, browsing the history, and editing the line; its key table.

use crossterm::event::{Event, KeyCode, KeyEvent};
use tui_input::Input;
use tui_input::backend::crossterm::to_input_request;

use super::state::{RunPrompt, split_command};
use crate::tui::action::Effect;
use crate::tui::app::{App, JobKind, Pane};
use crate::tui::keys::{Binding, Foot, Key, always, lookup};
use crate::tui::overlay::{Flow, Overlay};
use crate::tui::update::{busy, start_job};

pub fn open(app: &mut App, prefill: String) -> Vec<Effect> {
    if busy(app) {
        return vec![];
    }
    app.overlay = Some(Overlay::Run(RunPrompt {
        input: Input::new(prefill),
        error: None,
        history_pos: None,
    }));
    vec![]
}

/// What a key does in the prompt.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cmd {
    Run,
    Close,
    /// ↑: an older command.
    Older,
    /// ↓: a newer one (past the newest: an empty line).
    Newer,
}

/// The prompt's keys; every other key edits the line (tui-input).
pub const BINDINGS: &[Binding<Cmd, RunPrompt>] = &[
    Binding {
        keys: &[(Key::Is(KeyCode::Enter), Cmd::Run)],
        shown: "Enter",
        help: "run the command in the env (stdin is empty; output to Log)",
        when: always,
        footer: &[Foot::new("Enter", "run")],
    },
    Binding {
        keys: &[(Key::Is(KeyCode::Esc), Cmd::Close)],
        shown: "Esc",
        help: "close",
        when: always,
        footer: &[Foot::new("Esc", "close")],
    },
    Binding {
        keys: &[
            (Key::Is(KeyCode::Up), Cmd::Older),
            (Key::Is(KeyCode::Down), Cmd::Newer),
        ],
        shown: "Up / Down",
        help: "previous commands",
        when: always,
        footer: &[Foot::new("Up/Down", "history")],
    },
    Binding {
        // tui-input's, for every key no row above takes.
        keys: &[],
        shown: "Ctrl-a/e/w/u",
        help: "line editing (start, end, delete word, delete line)",
        when: always,
        footer: &[],
    },
];

pub fn on_key(app: &mut App, p: &mut RunPrompt, k: KeyEvent) -> (Flow, Vec<Effect>) {
    match lookup(BINDINGS, app, p, &k) {
        Some(Cmd::Close) => (Flow::Close, vec![]),
        Some(Cmd::Run) => run(app, p),
        Some(cmd @ (Cmd::Older | Cmd::Newer)) if !app.history.is_empty() => {
            let n = app.history.len();
            let pos = match (cmd, p.history_pos) {
                (Cmd::Older, None) => Some(n - 1),
                (Cmd::Older, Some(i)) => Some(i.saturating_sub(1)),
                (Cmd::Newer, Some(i)) if i + 1 < n => Some(i + 1),
                _ => None,
            };
            p.history_pos = pos;
            p.input = Input::new(pos.map(|i| app.history[i].clone()).unwrap_or_default());
            (Flow::Keep, vec![])
        }
        _ => {
            if let Some(req) = to_input_request(&Event::Key(k)) {
                p.input.handle(req);
                p.error = None;
            }
            (Flow::Keep, vec![])
        }
    }
}

/// Enter: the line as argv, run as a task (an empty or unbalanced line says why not).
fn run(app: &mut App, p: &mut RunPrompt) -> (Flow, Vec<Effect>) {
    let line = p.input.value().trim().to_string();
    match split_command(&line) {
        Ok(argv) if argv.is_empty() => {
            p.error = Some("type a command, e.g. python -V".into());
            (Flow::Keep, vec![])
        }
        Ok(argv) => {
            if app.history.last() != Some(&line) {
                app.history.push(line.clone());
            }
            let title = format!("run {}", crate::tui::log::shell_line(&argv));
            start_job(app, JobKind::Run, title);
            app.focus = Pane::Log;
            (Flow::Close, vec![Effect::Run(argv)])
        }
        Err(e) => {
            p.error = Some(e);
            (Flow::Keep, vec![])
        }
    }
}
