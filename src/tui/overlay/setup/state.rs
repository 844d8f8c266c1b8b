//! The Setup wizard's state, and the pure questions asked of it: which steps this
//! backend has, whether an answer is acceptable, and the `init` the answers describe.

use tui_input::Input;

use crate::tui::action::InitRequest;
use crate::tui::data::{SetupDefaults, Snapshot};
use crate::words;
use pyve_core::engine::BackendKind;
use pyve_core::engine::init::EditableChoice;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SetupStep {
    /// Which of the project's envs (only when it has several).
    Env,
    Backend,
    EnvName,
    Python,
    Channels,
    Editable,
    Review,
}

impl SetupStep {
    pub fn title(self) -> &'static str {
        match self {
            SetupStep::Env => "Environment",
            SetupStep::Backend => "Backend",
            SetupStep::EnvName => "Environment name",
            SetupStep::Python => "Python version",
            SetupStep::Channels => "Channels",
            SetupStep::Editable => "Install the project",
            SetupStep::Review => "Review",
        }
    }
}

/// What `init` will do, planned read-only for the review screen.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InitPreview {
    /// `create`, `reuse`, `update`, `rebuild`.
    pub action: String,
    /// "Create .venv with python 3.11.7 (/usr/bin/python3.11, system)".
    pub summary: String,
    pub reason: String,
    /// Each step: what it does, and the command line.
    pub steps: Vec<(String, String)>,
    /// Each file or directory it writes, and why.
    pub files: Vec<(String, String)>,
    pub notes: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PreviewError {
    pub message: String,
    /// micromamba is missing: the bootstrap wizard gets it.
    pub needs_bootstrap: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Preview {
    Loading,
    Ready(InitPreview),
    Failed(PreviewError),
}

/// The Setup wizard: backend → env name or python version → channels or the editable
/// question → review → `init` as a task.
#[derive(Clone, Debug)]
pub struct SetupWizard {
    pub step: SetupStep,
    pub backend: BackendKind,
    pub detected: BackendKind,
    /// The env to set up: the one shown, another of the project's, or a new name.
    pub env: Input,
    pub env_name: Input,
    pub python: Input,
    /// Channels added after the config's.
    pub channels: Input,
    /// `pip install -e .` for a pyproject-only venv.
    pub editable: bool,
    pub force: bool,
    /// `--direnv` / `--dotenv`, toggled on the review.
    pub direnv: bool,
    pub dotenv: bool,
    /// Why the current step's answer was not accepted.
    pub error: Option<String>,
    pub preview: Option<Preview>,
}

/// The steps for the wizard's current backend.
pub fn setup_steps(w: &SetupWizard, d: &SetupDefaults) -> Vec<SetupStep> {
    let mut steps = backend_steps(w, d);
    if !d.envs.is_empty() {
        steps.insert(0, SetupStep::Env);
    }
    steps
}

fn backend_steps(w: &SetupWizard, d: &SetupDefaults) -> Vec<SetupStep> {
    match w.backend {
        BackendKind::Venv => {
            let mut v = vec![SetupStep::Backend, SetupStep::Python];
            if d.editable == EditableChoice::Ask {
                v.push(SetupStep::Editable);
            }
            v.push(SetupStep::Review);
            v
        }
        BackendKind::Micromamba => vec![
            SetupStep::Backend,
            SetupStep::EnvName,
            SetupStep::Channels,
            SetupStep::Review,
        ],
    }
}

fn channel_words(s: &str) -> Vec<String> {
    s.split([',', ' '])
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .map(str::to_string)
        .collect()
}

/// The init the wizard describes: only what the user changed from the engine's
/// defaults becomes a flag, so `.pyve/config` records choices, not defaults.
pub fn init_request(w: &SetupWizard, snap: &Snapshot) -> InitRequest {
    let ambiguous = snap.detection().is_some_and(|d| d.ambiguous);
    let d = snap.setup.as_ref();
    let env = w.env.value().trim();
    let mut r = InitRequest {
        // A new env's name; the env shown is the runtime's to pass.
        env: d
            .filter(|d| !env.is_empty() && env != d.shown_env)
            .map(|_| env.to_string()),
        backend: (w.backend != w.detected || ambiguous).then_some(w.backend),
        force: w.force,
        direnv: w.direnv,
        dotenv: w.dotenv,
        ..InitRequest::default()
    };
    match w.backend {
        BackendKind::Micromamba => {
            let name = w.env_name.value().trim();
            let default = d
                .and_then(|d| d.env_name.as_ref().ok())
                .map(|(n, _)| n.as_str());
            if !name.is_empty() && Some(name) != default {
                r.env_name = Some(name.to_string());
            }
            let have = d.map(|d| d.channels.clone()).unwrap_or_default();
            r.channels = channel_words(w.channels.value())
                .into_iter()
                .filter(|c| !have.contains(c))
                .collect();
        }
        BackendKind::Venv => {
            let v = w.python.value().trim();
            let default = d
                .and_then(|d| d.python.as_ref())
                .map(|p| p.version.as_str());
            if !v.is_empty() && Some(v) != default {
                r.python_version = Some(v.to_string());
            }
            if d.is_some_and(|d| d.editable == EditableChoice::Ask) {
                r.install_deps = Some(w.editable);
            }
        }
    }
    r
}

/// The python step's list: the version the project asks for (`requires-python`, a
/// pin), then each installed python, newest first. Each is (the version to answer,
/// what it is).
pub fn python_choices(d: &SetupDefaults) -> Vec<(String, String)> {
    let mut v = Vec::new();
    if let Some(r) = &d.python {
        v.push((
            r.version.clone(),
            format!("asked for by {} (the default)", r.source.as_str()),
        ));
    }
    for p in &d.pythons {
        if let Some(ver) = &p.version
            && !v.iter().any(|(x, _)| x == ver)
        {
            v.push((
                ver.clone(),
                format!("{:<7} {}", p.place, words::show_path(&d.root, &p.path)),
            ));
        }
    }
    v
}

/// Up / Down on the python step: the next choice from the one typed (or the first).
pub fn pick_python(w: &mut SetupWizard, d: &SetupDefaults, delta: i8) {
    let choices: Vec<String> = python_choices(d).into_iter().map(|(v, _)| v).collect();
    if let Some(v) = pick(&choices, w.python.value(), delta) {
        w.python = tui_input::Input::new(v);
        w.error = None;
    }
}

/// The choice `delta` places from `typed` in `choices` (clamped), or the first when
/// what is typed is none of them; `None` when there is nothing to choose.
fn pick(choices: &[String], typed: &str, delta: i8) -> Option<String> {
    let last = choices.len().checked_sub(1)?;
    let next = match choices.iter().position(|c| c == typed.trim()) {
        Some(i) => (i as isize + delta as isize).clamp(0, last as isize) as usize,
        None => 0,
    };
    Some(choices[next].clone())
}

/// The env step's list: the project's envs, each with its state.
pub fn env_choices(d: &SetupDefaults) -> Vec<(String, String)> {
    d.envs
        .iter()
        .map(|(n, state)| {
            let shown = if *n == d.shown_env { ", shown now" } else { "" };
            (n.clone(), format!("{state}{shown}"))
        })
        .collect()
}

/// Up / Down on the env step: the next env from the one typed (or the first).
pub fn pick_env(w: &mut SetupWizard, d: &SetupDefaults, delta: i8) {
    let names: Vec<String> = d.envs.iter().map(|(n, _)| n.clone()).collect();
    if let Some(n) = pick(&names, w.env.value(), delta) {
        w.env = tui_input::Input::new(n);
        w.error = None;
    }
}

/// Whether the current step's answer is one the engine accepts, as it checks it.
pub fn validate_step(w: &SetupWizard) -> Result<(), String> {
    match w.step {
        SetupStep::Env => pyve_core::engine::envs::check_name(w.env.value().trim()),
        SetupStep::EnvName => pyve_core::engine::envname::sanitize(w.env_name.value())
            .map(|_| ())
            .map_err(|e| e.to_string()),
        SetupStep::Python => {
            let v = w.python.value().trim();
            if v.is_empty() || pyve_core::engine::config::is_version_request(v) {
                Ok(())
            } else {
                Err(format!(
                    "`{v}` is not a python version: expected one like 3.11 or 3.11.7"
                ))
            }
        }
        _ => Ok(()),
    }
}
