//! The TUI's state. Only [`super::update::update`] changes it; the drawing code reads
//! it; background work never touches it (it sends actions).

use std::path::PathBuf;

use tui_input::Input;

use super::data::{BootstrapMenu, Snapshot};
use super::log::LogRing;
use super::theme::Theme;
use pyve_core::engine::BackendKind;
use pyve_core::tasks::TaskId;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Pane {
    Backend,
    Tools,
    Health,
    Log,
}

impl Pane {
    pub const ALL: [Pane; 4] = [Pane::Backend, Pane::Tools, Pane::Health, Pane::Log];

    pub fn title(self) -> &'static str {
        match self {
            Pane::Backend => "Backend",
            Pane::Tools => "Tools",
            Pane::Health => "Health",
            Pane::Log => "Log",
        }
    }

    fn index(self) -> usize {
        Pane::ALL.iter().position(|p| *p == self).unwrap_or(0)
    }

    pub fn next(self) -> Pane {
        Pane::ALL[(self.index() + 1) % Pane::ALL.len()]
    }

    pub fn prev(self) -> Pane {
        Pane::ALL[(self.index() + Pane::ALL.len() - 1) % Pane::ALL.len()]
    }
}

/// The work the TUI started and is waiting for (one at a time).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Job {
    pub kind: JobKind,
    pub title: String,
    /// The queue's task, once it started (an init plans before it has one).
    pub task: Option<TaskId>,
    /// Steps done of total, from the queue.
    pub progress: Option<(u64, u64)>,
    pub cancelling: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum JobKind {
    Init,
    Bootstrap,
    SystemInstall,
    Purge,
    Run,
}

#[derive(Clone, Debug)]
pub enum Overlay {
    Setup(Box<SetupWizard>),
    Bootstrap(Box<BootstrapWizard>),
    Run(RunPrompt),
    Purge(PurgeConfirm),
    Help { scroll: u16 },
    QuitConfirm,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SetupStep {
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
    pub env_name: Input,
    pub python: Input,
    /// Channels added after the config's.
    pub channels: Input,
    /// `pip install -e .` for a pyproject-only venv.
    pub editable: bool,
    pub force: bool,
    /// Why the current step's answer was not accepted.
    pub error: Option<String>,
    pub preview: Option<Preview>,
}

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

#[derive(Clone, Debug, Default)]
pub struct RunPrompt {
    pub input: Input,
    pub error: Option<String>,
    /// Position in the history while browsing it with ↑/↓.
    pub history_pos: Option<usize>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PurgeItemView {
    pub path: PathBuf,
    pub shown: String,
    pub what: String,
    pub is_link: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PurgeConfirm {
    /// `None` while the list loads.
    pub items: Option<Result<Vec<PurgeItemView>, String>>,
}

/// A message in the footer, until the tick it expires at.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Status {
    pub text: String,
    pub until_tick: u64,
}

#[derive(Clone, Debug)]
pub struct App {
    pub theme: Theme,
    /// The terminal's size, for layout-dependent input (mouse, paging).
    pub size: (u16, u16),
    pub focus: Pane,
    /// The focused pane fills the screen.
    pub zoom: bool,
    pub overlay: Option<Overlay>,
    /// `None` until the first detection finishes.
    pub snapshot: Option<Snapshot>,
    pub refreshing: bool,
    pub health_selected: usize,
    pub backend_scroll: u16,
    pub tools_scroll: u16,
    pub log: LogRing,
    /// Log lines between the bottom of the ring and the last line shown.
    pub log_scroll: usize,
    pub follow: bool,
    pub job: Option<Job>,
    pub status: Option<Status>,
    pub tick: u64,
    pub history: Vec<String>,
    pub quit: bool,
    pub exit_code: i32,
}

/// Ticks per second (the runtime's tick interval is 250 ms).
pub const TICKS_PER_SECOND: u64 = 4;

impl App {
    pub fn new(theme: Theme, size: (u16, u16)) -> App {
        App {
            theme,
            size,
            focus: Pane::Health,
            zoom: false,
            overlay: None,
            snapshot: None,
            refreshing: true,
            health_selected: 0,
            backend_scroll: 0,
            tools_scroll: 0,
            log: LogRing::default(),
            log_scroll: 0,
            follow: true,
            job: None,
            status: None,
            tick: 0,
            history: Vec::new(),
            quit: false,
            exit_code: 0,
        }
    }

    pub fn set_status(&mut self, text: impl Into<String>) {
        self.status = Some(Status {
            text: text.into(),
            until_tick: self.tick + 4 * TICKS_PER_SECOND,
        });
    }

    /// Something moves on screen without input (a spinner, a status that expires).
    pub fn animating(&self) -> bool {
        self.job.is_some() || self.refreshing || self.status.is_some()
    }
}
