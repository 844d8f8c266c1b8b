//! The Bootstrap wizard's state: the menu, the option chosen, and the phase (choosing,
//! confirming the system package manager, downloading with its checklist, done), with
//! the pure transitions a download's progress and end make to it.

use crate::tui::data::BootstrapMenu;
use pyve_core::engine::bootstrap::Progress;
use pyve_core::sys::term::human_size;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StepState {
    Pending,
    Active,
    Done(String),
    Failed,
}

/// The verification steps of a download, shown as a checklist.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BootstrapRun {
    pub target: String,
    /// checksum, download, sha256, runs, installed.
    pub steps: [StepState; 5],
    pub bytes: Option<(u64, Option<u64>)>,
}

impl BootstrapRun {
    pub const LABELS: [&'static str; 5] = [
        "fetch the published sha256",
        "download",
        "verify sha256",
        "run --version",
        "install",
    ];

    pub fn new(target: String) -> BootstrapRun {
        BootstrapRun {
            target,
            steps: [
                StepState::Active,
                StepState::Pending,
                StepState::Pending,
                StepState::Pending,
                StepState::Pending,
            ],
            bytes: None,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BootstrapPhase {
    Choose,
    /// Option 3: "Run `brew install micromamba`?"
    ConfirmSystem,
    Downloading(BootstrapRun),
    /// Option 3 running; its output is in the Log.
    SystemRunning(String),
    /// Finished: the download's checklist (if it was one), and a success line or the
    /// error.
    Done(Option<BootstrapRun>, Result<String, String>),
}

#[derive(Clone, Debug)]
pub struct BootstrapWizard {
    pub menu: BootstrapMenu,
    /// 0..=3: the four options.
    pub selected: usize,
    pub phase: BootstrapPhase,
    /// Why option 3 or an abort was refused, shown under the menu.
    pub message: Option<String>,
}

/// A download's progress, onto its checklist.
pub fn apply_progress(run: &mut BootstrapRun, p: Progress) {
    use StepState::*;
    match p {
        Progress::Checksum { .. } => run.steps[0] = Active,
        Progress::Downloading { total, .. } => {
            run.steps[0] = Done("ok".into());
            run.steps[1] = Active;
            run.bytes = Some((0, total));
        }
        Progress::Bytes { done, total } => run.bytes = Some((done, total)),
        Progress::Downloaded { bytes } => {
            run.steps[1] = Done(human_size(bytes));
            run.steps[2] = Active;
            run.bytes = Some((bytes, Some(bytes)));
        }
        Progress::Verified { sha256 } => {
            run.steps[2] = Done(sha256.chars().take(16).collect::<String>() + "…");
            run.steps[3] = Active;
        }
        Progress::Runs { version } => {
            run.steps[3] = Done(version);
            run.steps[4] = Active;
        }
        Progress::Installed { .. } => run.steps[4] = Done(run.target.clone()),
    }
}

/// The phase after the install job ended with `result`.
pub fn finished(phase: BootstrapPhase, result: Result<(), String>) -> BootstrapPhase {
    match (phase, result) {
        (BootstrapPhase::Downloading(run), Ok(())) => {
            let version = match &run.steps[3] {
                StepState::Done(v) => format!("micromamba {v}"),
                _ => "micromamba".into(),
            };
            let msg = format!("{version} installed to {}", run.target);
            BootstrapPhase::Done(Some(run), Ok(msg))
        }
        (BootstrapPhase::Downloading(mut run), Err(e)) => {
            if let Some(s) = run.steps.iter_mut().find(|s| **s == StepState::Active) {
                *s = StepState::Failed;
            }
            BootstrapPhase::Done(Some(run), Err(e))
        }
        (BootstrapPhase::SystemRunning(cmd), Ok(())) => {
            BootstrapPhase::Done(None, Ok(format!("`{cmd}` installed micromamba")))
        }
        (_, Err(e)) => BootstrapPhase::Done(None, Err(e)),
        (_, Ok(())) => BootstrapPhase::Done(None, Ok("micromamba installed".into())),
    }
}
