//! One job per use case — init, purge, bootstrap, a command run from the TUI — written
//! once for both faces. A job makes the engine's calls in order and says what happens
//! as typed [`Event`]s to a [`Reporter`] the face implements; it asks the face the
//! questions only a person can answer ([`Reporter::confirm`], [`Reporter::choose`]);
//! and it runs its long work through the face's [`Runner`]: process steps on the task
//! queue, blocking work (a download) with the face's cancel wired to a flag.
//!
//! The CLI's reporter prints; the TUI's sends actions to its event loop. Neither
//! decides what to do next: the job does, and an error comes back as an engine error
//! whose fix is data.

pub mod bootstrap;
pub mod fix;
pub mod init;
pub mod lock;
pub mod migrate;
pub mod purge;
pub mod run_command;

use std::path::PathBuf;
use std::sync::atomic::AtomicBool;
use std::time::Duration;

use crate::engine::bootstrap::{Progress, SystemInstall, Target};
use crate::engine::context::Context;
use crate::engine::detect::Detection;
use crate::engine::init::{Action as InitAction, InitPlan};
use crate::engine::project::lock_timeout;
use crate::engine::resolve::Resolution;
use crate::engine::step::Step;
use crate::engine::{BackendKind, Result};
use crate::sys::fs::FileLock;
use crate::tasks::Outcome;

/// What a job says while it works, in the order it happens.
#[derive(Clone, Debug)]
pub enum Event {
    /// The backend decision, with its notes and warnings.
    Detected(Detection),
    /// Another pyve command holds `.pyve/lock`; the job waits for it.
    WaitingForLock { holder: String },
    /// What `init` is about to do (`prefix` as the project shows it).
    Planned { plan: Box<InitPlan>, prefix: String },
    /// `init` found the env ready and unchanged: nothing ran.
    Reused { env: String, python: String },
    /// `init` built the env (its state file is written).
    Committed {
        env: String,
        action: InitAction,
        elapsed: Duration,
        python: String,
    },
    /// `.pyve/config` was written.
    ConfigWritten { path: PathBuf },
    /// `init --direnv`: what became of `.envrc`.
    Envrc(crate::engine::dotfiles::Envrc),
    /// `init --dotenv`: an empty `.env` was created (`false`: one was already there).
    Dotenv { created: bool },
    /// Something the user should know that does not stop the job.
    Warning(String),
    /// A hint for afterwards ("the project itself was not installed; …").
    Note(String),
    /// What `purge` will remove (each with how the project shows it), before it asks.
    PurgePlanned {
        root: PathBuf,
        items: Vec<(String, crate::engine::purge::PurgeItem)>,
    },
    /// `purge` removed a path (`shown` relative to the project).
    Removed { shown: String, what: String },
    /// `purge` found nothing pyve made.
    NothingToPurge { pyve_dir_exists: bool },
    /// The bootstrap starts a download.
    Installing {
        version: String,
        platform: String,
        target: PathBuf,
    },
    /// A step of the download: bytes, checksum, the binary runs, installed.
    Download(Progress),
    /// micromamba was found after a system package manager installed it.
    Found(Resolution),
    /// `lock` starts conda-lock on `source` for these platforms (`update`: only these
    /// packages are re-solved).
    Locking {
        source: String,
        platforms: Vec<String>,
        update: Vec<String>,
    },
    /// `lock` replaced `conda-lock.yml`.
    LockWritten { platforms: Vec<String> },
    /// `migrate` wrote the other backend's spec file (relative to the root).
    SpecWritten { file: String },
}

/// The questions a job may ask. A face that cannot ask (no terminal, `--no-input`, the
/// TUI whose wizard already answered) returns `None` and the job takes its default path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Question {
    /// Both a conda and a pip spec: "Initialize with micromamba backend?" (yes: micromamba).
    UseMicromamba,
    /// A pyproject-only project: "Install this project into the venv (pip install -e .)?"
    InstallProject,
    /// Remove the paths listed by the purge's plan?
    Purge,
}

/// The bootstrap menu's answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BootstrapChoice {
    Install(Target),
    System,
    Abort,
}

/// What the bootstrap menu offers: why it is shown, the two sandboxes, the package
/// manager (or why not), and the default.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BootstrapOffer {
    pub header: String,
    pub project: PathBuf,
    pub user: PathBuf,
    pub system: SystemInstall,
    pub default: Target,
}

/// The face's half of a job: it hears the events and answers the questions.
pub trait Reporter {
    fn event(&mut self, event: Event);
    /// A yes/no question; `None` when the face cannot ask.
    fn confirm(&mut self, question: Question) -> Option<bool>;
    /// The bootstrap menu; `None` when the face cannot ask (then the job fails with the
    /// options as commands).
    fn choose(&mut self, offer: &BootstrapOffer) -> Option<BootstrapChoice>;
}

/// How the face runs a job's long work.
pub trait Runner {
    /// Runs `steps` as one task on the queue (mutating: one at a time), its output
    /// streamed as the queue's task events; the face's cancel stops the step's whole
    /// process group.
    fn steps(&mut self, title: &str, steps: Vec<Step>, mutating: bool) -> Outcome;
    /// Runs blocking work that polls `cancel` (a download) with the face's cancel
    /// (Ctrl-C, the TUI's cancel key) wired to it for as long as `work` runs.
    fn interruptible(&mut self, work: &mut dyn FnMut(&AtomicBool));
}

/// Takes `.pyve/lock` for a mutation, saying so while another pyve holds it.
pub fn take_lock(ctx: &Context, reporter: &mut dyn Reporter) -> Result<FileLock> {
    let tree = ctx
        .project
        .tree()
        .map_err(|e| crate::engine::Error::io_at("open", &ctx.project.root, e))?;
    Ok(FileLock::acquire(
        &tree,
        &ctx.project.lock_path(),
        lock_timeout()?,
        |holder| {
            reporter.event(Event::WaitingForLock {
                holder: holder.to_string(),
            })
        },
    )?)
}

/// "python 3.11.7", or what a conda env without python is.
pub fn python_label(version: &str) -> String {
    if version.is_empty() {
        "no python in it".to_string()
    } else {
        format!("python {version}")
    }
}

/// The backend a request asks for, if it asks.
pub fn backend_of(answer: bool) -> BackendKind {
    if answer {
        BackendKind::Micromamba
    } else {
        BackendKind::Venv
    }
}

/// A face that hears nothing, asks nothing and runs nothing: for read-only plans
/// (the Setup wizard's review), where no question and no step can come up.
pub struct Silent;

impl Reporter for Silent {
    fn event(&mut self, _: Event) {}
    fn confirm(&mut self, _: Question) -> Option<bool> {
        None
    }
    fn choose(&mut self, _: &BootstrapOffer) -> Option<BootstrapChoice> {
        None
    }
}

impl Runner for Silent {
    fn steps(&mut self, _: &str, _: Vec<Step>, _: bool) -> Outcome {
        Outcome::Cancelled
    }
    fn interruptible(&mut self, _: &mut dyn FnMut(&AtomicBool)) {}
}
