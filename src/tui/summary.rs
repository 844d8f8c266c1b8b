//! The facts every size of screen must show — the backend decision, the env's state,
//! how many problems doctor found — as the panes and the title bar read them, with
//! what the TUI itself is doing folded in: while the TUI's own `init` runs, the env's
//! files are the task's work in progress ("building"), not a previous init that did
//! not finish, and doctor's env checks are not counted as problems.

use crate::tui::app::{App, JobKind};
use crate::tui::theme::Mark;
use pyve_core::engine::doctor::{Check, CheckId, Status};

/// The env's state as shown: a mark, a word, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EnvShown {
    pub mark: Mark,
    /// `ready`, `stale`, `missing`, `incomplete`, `building`.
    pub state: String,
    pub reason: Option<String>,
}

/// The TUI's own init is running: the env is being built.
pub fn building(app: &App) -> bool {
    app.job.as_ref().is_some_and(|j| j.kind == JobKind::Init)
}

/// `(1/2)` of the running init, when the queue said.
pub fn build_progress(app: &App) -> String {
    match app.job.as_ref().and_then(|j| j.progress) {
        Some((done, total)) if building(app) => format!(" (step {done} of {total})"),
        _ => String::new(),
    }
}

pub fn state_mark(state: &str) -> Mark {
    match state {
        "ready" => Mark::Ok,
        "stale" | "unmanaged" => Mark::Warn,
        _ => Mark::Fail,
    }
}

/// The env's state, or `None` before detection (or without a project).
pub fn env(app: &App) -> Option<EnvShown> {
    let e = app.snapshot.as_ref()?.env()?;
    if building(app) {
        return Some(EnvShown {
            mark: Mark::Building,
            state: "building".into(),
            reason: Some(format!("pyve init is running{}", build_progress(app))),
        });
    }
    Some(EnvShown {
        mark: state_mark(e.state),
        state: e.state.to_string(),
        reason: e.reason.clone(),
    })
}

/// Doctor's checks about the env itself: while the TUI builds it they describe the
/// work in progress.
fn about_the_env(c: &Check) -> bool {
    matches!(c.id, CheckId::Env | CheckId::EnvFresh | CheckId::Python)
}

/// A check as shown: its mark and label (the env's own checks say "building" while
/// the TUI's init runs).
pub fn check(app: &App, c: &Check) -> (Mark, String) {
    if building(app) && about_the_env(c) && c.status != Status::Ok {
        let what = c.label.split(':').next().unwrap_or(&c.label);
        return (
            Mark::Building,
            format!("{what}: building{}", build_progress(app)),
        );
    }
    (c.status.into(), c.label.clone())
}

/// A check counts as a problem (a warning or a failure) as shown now.
pub fn is_problem(app: &App, c: &Check) -> bool {
    matches!(check(app, c).0, Mark::Fail | Mark::Warn)
}

/// Failures and warnings, as shown now.
pub fn problems(app: &App) -> (usize, usize) {
    let Some(s) = &app.snapshot else {
        return (0, 0);
    };
    s.doctor
        .checks
        .iter()
        .fold((0, 0), |(f, w), c| match check(app, c).0 {
            Mark::Fail => (f + 1, w),
            Mark::Warn => (f, w + 1),
            _ => (f, w),
        })
}

/// The check to select when the user has not chosen one: the first failure, else the
/// first warning, else the first check.
pub fn first_problem(app: &App) -> usize {
    let Some(s) = &app.snapshot else {
        return 0;
    };
    let checks = &s.doctor.checks;
    let first = |m: Mark| checks.iter().position(|c| check(app, c).0 == m);
    first(Mark::Fail).or_else(|| first(Mark::Warn)).unwrap_or(0)
}
