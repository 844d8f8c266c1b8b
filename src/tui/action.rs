//! Everything that can happen to the TUI ([`Action`]) and everything it can ask the
//! runtime to do ([`Effect`]). Input, task events and finished background work all
//! arrive as actions; `update` answers with effects, which the runtime carries out
//! and whose results come back as actions. `update` itself does no I/O.

use std::path::PathBuf;

use crossterm::event::{KeyEvent, MouseEvent};

use super::app::{InitPreview, Pane, PreviewError, PurgeItemView};
use super::data::Snapshot;
use super::log::LineKind;
use pyve_core::engine::bootstrap::{Progress, SystemInstall, Target};
use pyve_core::engine::doctor::plan::FixPlan;
use pyve_core::jobs::purge::Scope;
use pyve_core::tasks::TaskEvent;

#[derive(Clone, Debug)]
pub enum Action {
    // Input.
    Key(KeyEvent),
    Mouse(MouseEvent),
    Resize(u16, u16),
    /// 4 Hz: spinners, status expiry.
    Tick,
    /// SIGTERM or SIGHUP: leave now, cancelling what runs.
    Signal(i32),

    // What keys mean, also sent directly by tests.
    FocusNext,
    FocusPrev,
    Focus(Pane),
    ToggleZoom,
    ScrollUp(usize),
    ScrollDown(usize),
    ScrollTop,
    ScrollBottom,
    ToggleFollow,
    /// `/` on the Log: type a text to find.
    LogSearch,
    /// `n` / `N`: the search's next match up (older) / down (newer).
    LogFind(super::pane::log::search::Toward),
    /// `e`: the next error up.
    LogNextError,
    /// Enter on the Health pane: run the selected check's fix.
    Activate,
    OpenSetup,
    OpenBootstrap,
    OpenRun,
    OpenPurge,
    /// `F` on the Health pane: the plan of every fix, as `pyve doctor --fix` shows it.
    OpenFixPlan,
    OpenHelp,
    /// `]` / `[`: the project's next / previous env.
    NextEnv,
    PrevEnv,
    CloseOverlay,
    Refresh,
    /// Ctrl-C: cancel the running task (its process group), not the app.
    Cancel,
    /// `q`: quit, asking first while a task runs.
    Quit,

    // Results of background work.
    Refreshed(Box<Snapshot>),
    /// The mtime poll saw a project file change.
    FilesChanged,
    Task(TaskEvent),
    Job(JobEvent),
    InitPreview(Result<InitPreview, PreviewError>),
    /// What `purge` would remove for this scope (a list for another scope is stale).
    PurgePlan(Scope, Result<Vec<PurgeItemView>, String>),
    FixPlan(Result<FixPlan, String>),
}

/// What a TUI job says besides its queue task's events.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum JobEvent {
    /// A message for the Log (plans, notes, results), from engine data.
    Line(LineKind, String),
    /// A step of a micromamba download.
    Bootstrap(Progress),
    /// The job is over; `Err` holds what went wrong (already logged).
    Done(Result<(), String>),
}

/// The flags of an `init`, as the Setup wizard (or a Health fix) sets them: the init
/// job's own request.
pub use pyve_core::jobs::init::InitRequest;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Effect {
    /// Detection, resolution, env state and doctor, read-only.
    Refresh,
    /// Show env NAME and act on it from now on (`]`/`[`), then refresh.
    SelectEnv(String),
    /// Plan an init read-only for the review screen.
    PreviewInit(InitRequest),
    Init(InitRequest),
    LoadPurgePlan(Scope),
    /// Doctor's fix plan, read-only, for the Fix plan overlay.
    LoadFixPlan,
    /// Apply `plan` as `pyve doctor --fix` does: the safe fixes together, and each
    /// destructive one whose entry in `rebuilds` (in the plan's order) is `true`.
    ApplyFixes {
        plan: FixPlan,
        rebuilds: Vec<bool>,
    },
    /// Remove these (the confirmed list; re-planned under the lock, intersected).
    Purge(Scope, Vec<PathBuf>),
    Bootstrap(Target),
    SystemInstall(SystemInstall),
    /// Run a command in the env (argv).
    Run(Vec<String>),
    /// `pyve lock`: re-lock with conda-lock, then init from the lock.
    Lock,
    /// Cancel the running job.
    Cancel,
}
