//! The Setup wizard's updates: opening it (from `i` or a Health fix, prefilled), its
//! key table, and what each key does on each step.

use crossterm::event::{Event, KeyCode, KeyEvent};
use tui_input::Input;
use tui_input::backend::crossterm::to_input_request;

use super::state::{Preview, SetupStep, SetupWizard, init_request, setup_steps, validate_step};
use crate::tui::action::{Action, Effect, InitRequest};
use crate::tui::app::{App, JobKind, Pane};
use crate::tui::data::{SetupDefaults, Snapshot};
use crate::tui::keys::{Binding, Foot, Key, always, ch, lookup};
use crate::tui::overlay::{Flow, Overlay};
use crate::tui::update::{busy, start_job_as};
use pyve_core::engine::BackendKind;

/// Opens the wizard; a prefilled request (a Health fix) goes straight to the review
/// unless the backend is to be asked.
pub fn open(app: &mut App, prefill: Option<(InitRequest, bool)>) -> Vec<Effect> {
    if busy(app) {
        return vec![];
    }
    let Some(snap) = &app.snapshot else {
        app.set_status("still detecting the project…");
        return vec![];
    };
    let (Some(det), Some(d)) = (snap.detection(), &snap.setup) else {
        let why = snap.load_error.clone().unwrap_or_default();
        app.set_status(format!("fix the project first (see Health): {why}"));
        return vec![];
    };
    let mut w = SetupWizard {
        step: if d.envs.is_empty() {
            SetupStep::Backend
        } else {
            SetupStep::Env
        },
        backend: det.backend,
        detected: det.backend,
        env: Input::new(d.shown_env.clone()),
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
        direnv: false,
        dotenv: false,
        error: None,
        preview: None,
    };
    let mut effects = vec![];
    if let Some((req, ask_backend)) = prefill {
        if let Some(b) = req.backend {
            w.backend = b;
        }
        w.force = req.force;
        if let Some(e) = req.install_deps {
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

/// What a key does in the wizard.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cmd {
    /// The next step; on the review, run init.
    Enter,
    /// The previous step; on the first, close.
    Back,
    /// The other backend, or the other answer.
    Toggle,
    Choose(BackendKind),
    Answer(bool),
    ToggleForce,
    /// The review: `--direnv`, `--dotenv`.
    ToggleDirenv,
    ToggleDotenv,
    OpenBootstrap,
    /// The python step: the previous / next installed python.
    Pick(i8),
}

fn on_review(_: &App, w: &SetupWizard) -> bool {
    w.step == SetupStep::Review
}

/// On the review, with a plan Enter runs.
fn review_ready(_: &App, w: &SetupWizard) -> bool {
    w.step == SetupStep::Review && matches!(w.preview, Some(Preview::Ready(_)))
}

/// On the review, micromamba missing: Enter opens the Bootstrap wizard.
fn review_needs_bootstrap(_: &App, w: &SetupWizard) -> bool {
    w.step == SetupStep::Review
        && matches!(&w.preview, Some(Preview::Failed(e)) if e.needs_bootstrap)
}

fn not_on_review(_: &App, w: &SetupWizard) -> bool {
    w.step != SetupStep::Review
}

fn on_backend(_: &App, w: &SetupWizard) -> bool {
    w.step == SetupStep::Backend
}

fn on_editable(_: &App, w: &SetupWizard) -> bool {
    w.step == SetupStep::Editable
}

/// The steps with a list to choose from: the python versions, the envs.
fn on_list(_: &App, w: &SetupWizard) -> bool {
    matches!(w.step, SetupStep::Python | SetupStep::Env)
}

fn choosing(_: &App, w: &SetupWizard) -> bool {
    matches!(w.step, SetupStep::Backend | SetupStep::Editable)
}

const T: Cmd = Cmd::Toggle;

/// The wizard's keys. On the text steps (env name, python version, channels) every
/// other key edits the answer.
pub const BINDINGS: &[Binding<Cmd, SetupWizard>] = &[
    Binding {
        keys: &[(Key::Is(KeyCode::Enter), Cmd::Enter)],
        shown: "Enter",
        help: "next step; on Review: run init",
        when: always,
        footer: &[
            Foot::new("Enter", "next").when(not_on_review),
            Foot::new("Enter", "run init").when(review_ready),
            Foot::new("Enter", "bootstrap").when(review_needs_bootstrap),
        ],
    },
    Binding {
        keys: &[(Key::Is(KeyCode::Esc), Cmd::Back)],
        shown: "Esc",
        help: "previous step; on the first: close",
        when: always,
        footer: &[Foot::new("Esc", "back")],
    },
    Binding {
        keys: &[
            (ch('j'), T),
            (ch('k'), T),
            (ch('h'), T),
            (ch('l'), T),
            (ch(' '), T),
            (Key::Is(KeyCode::Up), T),
            (Key::Is(KeyCode::Down), T),
            (Key::Is(KeyCode::Left), T),
            (Key::Is(KeyCode::Right), T),
        ],
        shown: "j k h l, arrows",
        help: "choose (backend, yes/no); Space too",
        when: choosing,
        footer: &[Foot::new("j/k", "choose").when(on_backend)],
    },
    Binding {
        keys: &[
            (Key::Is(KeyCode::Up), Cmd::Pick(-1)),
            (Key::Is(KeyCode::Down), Cmd::Pick(1)),
        ],
        shown: "Up / Down",
        help: "Python version, Environment: choose from the list (typing works too)",
        when: on_list,
        footer: &[Foot::new("Up/Down", "choose")],
    },
    Binding {
        keys: &[
            (ch('1'), Cmd::Choose(BackendKind::Venv)),
            (ch('2'), Cmd::Choose(BackendKind::Micromamba)),
        ],
        shown: "1 / 2",
        help: "Backend: venv / micromamba",
        when: on_backend,
        footer: &[],
    },
    Binding {
        keys: &[
            (Key::Letter('y'), Cmd::Answer(true)),
            (Key::Letter('n'), Cmd::Answer(false)),
        ],
        shown: "y / n",
        help: "answer the install-the-project question",
        when: on_editable,
        footer: &[Foot::new("y/n", "answer")],
    },
    Binding {
        keys: &[(ch('f'), Cmd::ToggleForce)],
        shown: "f",
        help: "Review: toggle --force (rebuild the env)",
        when: on_review,
        footer: &[Foot::new("f", "force").when(review_ready)],
    },
    Binding {
        keys: &[(ch('d'), Cmd::ToggleDirenv), (ch('e'), Cmd::ToggleDotenv)],
        shown: "d / e",
        help: "Review: toggle --direnv (an .envrc) / --dotenv (an empty .env)",
        when: on_review,
        // The review shows each with its key.
        footer: &[],
    },
    Binding {
        keys: &[(ch('b'), Cmd::OpenBootstrap)],
        shown: "b",
        help: "Review: open the Bootstrap wizard when micromamba is missing",
        when: on_review,
        footer: &[],
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

/// The step after this one, if the answer is accepted; the review asks for its plan.
fn next(w: &mut SetupWizard, d: &SetupDefaults, snap: &Snapshot) -> Vec<Effect> {
    if let Err(e) = validate_step(w) {
        w.error = Some(e);
        return vec![];
    }
    w.error = None;
    // Another of the project's envs: the panes switch to it, and `i` sets it up
    // with its own defaults.
    let env = w.env.value().trim().to_string();
    if w.step == SetupStep::Env && env != d.shown_env && d.envs.iter().any(|(n, _)| *n == env) {
        return vec![Effect::SelectEnv(env)];
    }
    let steps = setup_steps(w, d);
    let pos = steps.iter().position(|s| *s == w.step).unwrap_or(0);
    w.step = steps[(pos + 1).min(steps.len() - 1)];
    if w.step == SetupStep::Review {
        w.preview = Some(Preview::Loading);
        return vec![Effect::PreviewInit(init_request(w, snap))];
    }
    vec![]
}

pub fn on_key(app: &mut App, w: &mut SetupWizard, k: KeyEvent) -> (Flow, Vec<Effect>) {
    let Some(snap) = app.snapshot.clone() else {
        return (Flow::Close, vec![]);
    };
    let Some(d) = snap.setup.clone() else {
        return (Flow::Close, vec![]);
    };
    let Some(cmd) = lookup(BINDINGS, app, w, &k) else {
        // The text steps take every other key.
        let input = match w.step {
            SetupStep::Env => &mut w.env,
            SetupStep::EnvName => &mut w.env_name,
            SetupStep::Python => &mut w.python,
            SetupStep::Channels => &mut w.channels,
            _ => return (Flow::Keep, vec![]),
        };
        if let Some(req) = to_input_request(&Event::Key(k)) {
            input.handle(req);
            w.error = None;
        }
        return (Flow::Keep, vec![]);
    };
    match *cmd {
        Cmd::Back => {
            w.error = None;
            let steps = setup_steps(w, &d);
            let pos = steps.iter().position(|s| *s == w.step).unwrap_or(0);
            if pos == 0 {
                return (Flow::Close, vec![]);
            }
            w.step = steps[pos - 1];
            w.preview = None;
        }
        Cmd::Enter if w.step == SetupStep::Review => return run_init(app, w, &d, &snap),
        Cmd::Enter => {
            let effects = next(w, &d, &snap);
            if let [Effect::SelectEnv(name)] = &effects[..] {
                app.refreshing = true;
                app.set_status(format!("env {name}: i sets it up"));
                return (Flow::Close, effects);
            }
            return (Flow::Keep, effects);
        }
        Cmd::Toggle if w.step == SetupStep::Backend => {
            w.backend = match w.backend {
                BackendKind::Venv => BackendKind::Micromamba,
                BackendKind::Micromamba => BackendKind::Venv,
            }
        }
        Cmd::Toggle => w.editable = !w.editable,
        Cmd::Choose(b) => w.backend = b,
        Cmd::Pick(delta) if w.step == SetupStep::Env => super::state::pick_env(w, &d, delta),
        Cmd::Pick(delta) => super::state::pick_python(w, &d, delta),
        Cmd::Answer(yes) => {
            w.editable = yes;
            return (Flow::Keep, next(w, &d, &snap));
        }
        Cmd::ToggleForce => {
            w.force = !w.force;
            w.preview = Some(Preview::Loading);
            return (
                Flow::Keep,
                vec![Effect::PreviewInit(init_request(w, &snap))],
            );
        }
        // The plan is the same: these files are written once the env is ready.
        Cmd::ToggleDirenv => w.direnv = !w.direnv,
        Cmd::ToggleDotenv => w.dotenv = !w.dotenv,
        Cmd::OpenBootstrap => return (Flow::Then(Action::OpenBootstrap), vec![]),
    }
    (Flow::Keep, vec![])
}

/// Enter on the review: init runs once its plan is ready; a missing micromamba opens
/// the Bootstrap wizard.
fn run_init(
    app: &mut App,
    w: &mut SetupWizard,
    d: &SetupDefaults,
    snap: &Snapshot,
) -> (Flow, Vec<Effect>) {
    match &w.preview {
        Some(Preview::Ready(_)) => {
            let req = init_request(w, snap);
            let name = match w.backend {
                BackendKind::Venv => d.venv_dir.clone(),
                BackendKind::Micromamba => req
                    .env_name
                    .clone()
                    .or_else(|| d.env_name.as_ref().ok().map(|(n, _)| n.clone()))
                    .unwrap_or_default(),
            };
            let command = super::view::cli_equivalent(&req);
            start_job_as(app, JobKind::Init, format!("init {name}"), Some(command));
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
    }
    (Flow::Keep, vec![])
}
