//! The Setup wizard's updates: opening it (from `i` or a Health fix, prefilled), and
//! what each key does on each step.

use crossterm::event::{Event, KeyCode, KeyEvent};
use tui_input::Input;
use tui_input::backend::crossterm::to_input_request;

use super::state::{Preview, SetupStep, SetupWizard, init_request, setup_steps, validate_step};
use crate::tui::action::{Action, Effect, InitRequest};
use crate::tui::app::{App, JobKind, Pane};
use crate::tui::overlay::{Flow, Overlay};
use crate::tui::update::{busy, start_job};
use pyve_core::engine::BackendKind;

pub fn open(app: &mut App, prefill: Option<(InitRequest, bool)>) -> Vec<Effect> {
    if busy(app) {
        return vec![];
    }
    let Some(snap) = &app.snapshot else {
        app.set_status("still detecting the project…");
        return vec![];
    };
    let (Some(det), Some(d)) = (&snap.detection, &snap.setup) else {
        let why = snap.load_error.clone().unwrap_or_default();
        app.set_status(format!("fix the project first (see Health): {why}"));
        return vec![];
    };
    let mut w = SetupWizard {
        step: SetupStep::Backend,
        backend: det.backend,
        detected: det.backend,
        env_name: Input::new(
            d.env_name
                .as_ref()
                .map(|(n, _)| n.clone())
                .unwrap_or_default(),
        ),
        python: Input::new(
            d.python
                .as_ref()
                .map(|p| p.version.clone())
                .unwrap_or_default(),
        ),
        channels: Input::default(),
        editable: true,
        force: false,
        error: None,
        preview: None,
    };
    let mut effects = vec![];
    if let Some((req, ask_backend)) = prefill {
        if let Some(b) = req.backend {
            w.backend = b;
        }
        w.force = req.force;
        if let Some(e) = req.editable {
            w.editable = e;
        }
        if !ask_backend {
            w.step = SetupStep::Review;
            w.preview = Some(Preview::Loading);
            effects.push(Effect::PreviewInit(init_request(&w, snap)));
        }
    }
    app.overlay = Some(Overlay::Setup(Box::new(w)));
    effects
}

pub fn on_key(app: &mut App, w: &mut SetupWizard, k: KeyEvent) -> (Flow, Vec<Effect>) {
    let Some(snap) = app.snapshot.clone() else {
        return (Flow::Close, vec![]);
    };
    let Some(d) = snap.setup.clone() else {
        return (Flow::Close, vec![]);
    };
    let steps = setup_steps(w, &d);
    let pos = steps.iter().position(|s| *s == w.step).unwrap_or(0);
    let next = |w: &mut SetupWizard| -> Vec<Effect> {
        if let Err(e) = validate_step(w) {
            w.error = Some(e);
            return vec![];
        }
        w.error = None;
        let steps = setup_steps(w, &d);
        let pos = steps.iter().position(|s| *s == w.step).unwrap_or(0);
        w.step = steps[(pos + 1).min(steps.len() - 1)];
        if w.step == SetupStep::Review {
            w.preview = Some(Preview::Loading);
            return vec![Effect::PreviewInit(init_request(w, &snap))];
        }
        vec![]
    };
    if k.code == KeyCode::Esc {
        w.error = None;
        if pos == 0 {
            return (Flow::Close, vec![]);
        }
        w.step = steps[pos - 1];
        w.preview = None;
        return (Flow::Keep, vec![]);
    }
    match w.step {
        SetupStep::Backend => match k.code {
            KeyCode::Enter => return (Flow::Keep, next(w)),
            KeyCode::Char('1') => w.backend = BackendKind::Venv,
            KeyCode::Char('2') => w.backend = BackendKind::Micromamba,
            KeyCode::Char('j' | 'k' | 'h' | 'l' | ' ')
            | KeyCode::Up
            | KeyCode::Down
            | KeyCode::Left
            | KeyCode::Right => {
                w.backend = match w.backend {
                    BackendKind::Venv => BackendKind::Micromamba,
                    BackendKind::Micromamba => BackendKind::Venv,
                }
            }
            _ => {}
        },
        SetupStep::EnvName | SetupStep::Python | SetupStep::Channels => {
            if k.code == KeyCode::Enter {
                return (Flow::Keep, next(w));
            }
            let input = match w.step {
                SetupStep::EnvName => &mut w.env_name,
                SetupStep::Python => &mut w.python,
                _ => &mut w.channels,
            };
            if let Some(req) = to_input_request(&Event::Key(k)) {
                input.handle(req);
                w.error = None;
            }
        }
        SetupStep::Editable => match k.code {
            KeyCode::Char('y' | 'Y') => {
                w.editable = true;
                return (Flow::Keep, next(w));
            }
            KeyCode::Char('n' | 'N') => {
                w.editable = false;
                return (Flow::Keep, next(w));
            }
            KeyCode::Enter => return (Flow::Keep, next(w)),
            KeyCode::Char('j' | 'k' | 'h' | 'l' | ' ')
            | KeyCode::Up
            | KeyCode::Down
            | KeyCode::Left
            | KeyCode::Right => w.editable = !w.editable,
            _ => {}
        },
        SetupStep::Review => match k.code {
            KeyCode::Char('f') => {
                w.force = !w.force;
                w.preview = Some(Preview::Loading);
                return (
                    Flow::Keep,
                    vec![Effect::PreviewInit(init_request(w, &snap))],
                );
            }
            KeyCode::Char('b') => return (Flow::Then(Action::OpenBootstrap), vec![]),
            KeyCode::Enter => match &w.preview {
                Some(Preview::Ready(_)) => {
                    let req = init_request(w, &snap);
                    let name = match w.backend {
                        BackendKind::Venv => d.venv_dir.clone(),
                        BackendKind::Micromamba => req
                            .env_name
                            .clone()
                            .or_else(|| d.env_name.as_ref().ok().map(|(n, _)| n.clone()))
                            .unwrap_or_default(),
                    };
                    start_job(app, JobKind::Init, format!("init {name}"));
                    app.focus = Pane::Log;
                    return (Flow::Close, vec![Effect::Init(req)]);
                }
                Some(Preview::Failed(e)) if e.needs_bootstrap => {
                    return (Flow::Then(Action::OpenBootstrap), vec![]);
                }
                Some(Preview::Failed(_)) => {
                    app.set_status("init cannot run: see the problem on the review screen");
                }
                Some(Preview::Loading) | None => app.set_status("still planning…"),
            },
            _ => {}
        },
    }
    (Flow::Keep, vec![])
}
