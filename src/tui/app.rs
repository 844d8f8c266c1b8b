//! The TUI's state. Only [`super::update::update`] changes it; the drawing code reads
//! it; background work never touches it (it sends actions). Each overlay's state is
//! defined in its folder under `overlay/` and re-exported here.

use super::data::Snapshot;
use super::log::LogRing;
use super::theme::Theme;
use pyve_core::tasks::TaskId;

// What the overlays hold, each defined beside its keys and view.
pub use super::overlay::Overlay;
pub use super::overlay::bootstrap::state::{
    BootstrapPhase, BootstrapRun, BootstrapWizard, StepState,
};
pub use super::overlay::purge::state::{PurgeConfirm, PurgeItemView};
pub use super::overlay::run::state::RunPrompt;
pub use super::overlay::setup::state::{
    InitPreview, Preview, PreviewError, SetupStep, SetupWizard,
};

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
    /// The tick it started at: the title bar shows how long it has run.
    pub started_tick: u64,
    /// Its header in the Log (sequence number), once written.
    pub header: Option<u64>,
}

impl Job {
    /// Whole seconds since it started, at `now` (a tick).
    pub fn elapsed_secs(&self, now: u64) -> u64 {
        now.saturating_sub(self.started_tick) / TICKS_PER_SECOND
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum JobKind {
    Init,
    Bootstrap,
    SystemInstall,
    Purge,
    Lock,
    Run,
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
    /// The check the user moved the selection to: a refresh keeps it selected. Until
    /// then each refresh selects the first problem.
    pub health_pinned: Option<pyve_core::engine::doctor::CheckId>,
    pub backend_scroll: u16,
    pub tools_scroll: u16,
    pub log: LogRing,
    /// Log lines between the bottom of the ring and the last line shown.
    pub log_scroll: usize,
    pub follow: bool,
    /// The Log's search (`/`), while one is typed or shown.
    pub log_search: Option<super::pane::log::search::LogSearch>,
    /// The Log line a search or `e` found (sequence number): marked in the view.
    pub log_found: Option<u64>,
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
            health_pinned: None,
            backend_scroll: 0,
            tools_scroll: 0,
            log: LogRing::default(),
            log_scroll: 0,
            follow: true,
            log_search: None,
            log_found: None,
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
