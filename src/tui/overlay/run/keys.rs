//! The Run prompt's updates: opening it (empty, or prefilled by a Health fix), running
//! the line, browsing the history, and editing the line.

use crossterm::event::{Event, KeyCode, KeyEvent};
use tui_input::Input;
use tui_input::backend::crossterm::to_input_request;

use super::state::{RunPrompt, split_command};
use crate::tui::action::Effect;
use crate::tui::app::{App, JobKind, Pane};
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

pub fn on_key(app: &mut App, p: &mut RunPrompt, k: KeyEvent) -> (Flow, Vec<Effect>) {
    match k.code {
        KeyCode::Esc => (Flow::Close, vec![]),
        KeyCode::Enter => {
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
                    start_job(app, JobKind::Run, format!("run {line}"));
                    app.focus = Pane::Log;
                    (Flow::Close, vec![Effect::Run(argv)])
                }
                Err(e) => {
                    p.error = Some(e);
                    (Flow::Keep, vec![])
                }
            }
        }
        KeyCode::Up | KeyCode::Down if !app.history.is_empty() => {
            let n = app.history.len();
            let pos = match (k.code, p.history_pos) {
                (KeyCode::Up, None) => Some(n - 1),
                (KeyCode::Up, Some(i)) => Some(i.saturating_sub(1)),
                (KeyCode::Down, Some(i)) if i + 1 < n => Some(i + 1),
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
