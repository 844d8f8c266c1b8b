//! `update`: the only place the TUI's state changes. A key goes through the binding
//! tables ([`keys`]) of where it was pressed: the global ones, then the open overlay's
//! handler or the focused pane's table; navigation goes to [`pane::navigate`]; task and
//! job events are applied here. The overlays' and panes' handlers are part of update
//! (nothing else calls them). It answers with the [`Effect`]s the runtime should carry
//! out. No I/O happens here, so every action is tested by calling it on an [`App`]
//! built from fixed data.

use crossterm::event::{
    KeyCode, KeyEvent, KeyEventKind, KeyModifiers, MouseButton, MouseEvent, MouseEventKind,
};
use ratatui::layout::Rect;

use super::action::{Action, Effect, JobEvent};
use super::app::{App, BootstrapPhase, Job, JobKind, Overlay, Preview, SetupStep};
use super::keys::{self, Cmd};
use super::log::LineKind;
use super::overlay::{self, Flow, bootstrap, purge, run, setup};
use super::pane;
use super::ui;
use pyve_core::engine::bootstrap::Progress;
use pyve_core::tasks::{Outcome, Stream, TaskEvent};

/// Applies `action` to `app`; returns what the runtime should do next.
pub fn update(app: &mut App, action: Action) -> Vec<Effect> {
    match action {
        Action::Key(k) => on_key(app, k),
        Action::Mouse(m) => on_mouse(app, m),
        Action::Resize(w, h) => {
            app.size = (w, h);
            pane::clamp_scrolls(app);
            vec![]
        }
        Action::Tick => {
            app.tick += 1;
            if app
                .status
                .as_ref()
                .is_some_and(|s| app.tick >= s.until_tick)
            {
                app.status = None;
            }
            vec![]
        }
        Action::Signal(sig) => {
            log(
                app,
                LineKind::Warn,
                &format!("signal {sig} received: quitting"),
            );
            app.quit = true;
            app.exit_code = 128 + sig;
            cancel_for_quit(app)
        }
        a @ (Action::FocusNext
        | Action::FocusPrev
        | Action::Focus(_)
        | Action::ToggleZoom
        | Action::ScrollUp(_)
        | Action::ScrollDown(_)
        | Action::ScrollTop
        | Action::ScrollBottom
        | Action::ToggleFollow) => {
            pane::navigate(app, a);
            vec![]
        }
        Action::LogSearch => {
            pane::log::search::start(app);
            vec![]
        }
        Action::LogFind(toward) => {
            pane::log::search::next_match(app, toward, false);
            vec![]
        }
        Action::LogNextError => {
            pane::log::search::next_error(app);
            vec![]
        }
        Action::Activate => pane::health::fix::activate(app),
        Action::OpenSetup => setup::keys::open(app, None),
        Action::OpenBootstrap => bootstrap::keys::open(app),
        Action::OpenRun => run::keys::open(app, String::new()),
        Action::OpenPurge => purge::keys::open(app),
        Action::OpenFixPlan => crate::tui::overlay::fix::keys::open(app),
        Action::OpenHelp => {
            app.overlay = Some(Overlay::Help { scroll: 0 });
            vec![]
        }
        Action::NextEnv => super::envs::switch(app, 1),
        Action::PrevEnv => super::envs::switch(app, -1),
        Action::CloseOverlay => {
            app.overlay = None;
            vec![]
        }
        Action::Refresh => {
            app.refreshing = true;
            vec![Effect::Refresh]
        }
        Action::Cancel => cancel(app),
        Action::Quit => {
            if app.job.is_some() {
                app.overlay = Some(Overlay::QuitConfirm);
            } else {
                app.quit = true;
            }
            vec![]
        }
        a @ (Action::Refreshed(_)
        | Action::FilesChanged
        | Action::Task(_)
        | Action::Job(_)
        | Action::InitPreview(_)
        | Action::PurgePlan(..)
        | Action::FixPlan(_)) => on_result(app, a),
    }
}

/// The results of background work: a snapshot, a file change, task and job events, a
/// review's plan, the purge list.
fn on_result(app: &mut App, action: Action) -> Vec<Effect> {
    match action {
        Action::Refreshed(s) => {
            app.snapshot = Some(*s);
            app.refreshing = false;
            pane::health_reselect(app);
            pane::clamp_scrolls(app);
            vec![]
        }
        Action::FilesChanged => {
            app.refreshing = true;
            vec![Effect::Refresh]
        }
        Action::Task(ev) => {
            on_task(app, ev);
            vec![]
        }
        Action::Job(ev) => on_job(app, ev),
        Action::InitPreview(result) => {
            if let Some(Overlay::Setup(w)) = &mut app.overlay
                && w.step == SetupStep::Review
            {
                w.preview = Some(match result {
                    Ok(p) => Preview::Ready(p),
                    Err(e) => Preview::Failed(e),
                });
            }
            vec![]
        }
        Action::PurgePlan(scope, result) => {
            if let Some(Overlay::Purge(p)) = &mut app.overlay
                && p.scope == scope
            {
                p.items = Some(result);
            }
            vec![]
        }
        Action::FixPlan(result) => {
            if let Some(Overlay::Fix(s)) = &mut app.overlay {
                s.loaded(result);
            }
            vec![]
        }
        _ => vec![],
    }
}

/// Appends to the Log; when not following, the view stays on the lines it shows.
pub fn log(app: &mut App, kind: LineKind, text: &str) {
    let before = app.log.next_seq();
    if text.is_empty() {
        app.log.push(kind, "");
    } else {
        app.log.push_lines(kind, text);
    }
    keep_view(app, before);
}

/// A line of task output; `replaces` when it redraws the previous one (a `\r`
/// progress update), which then changes in place instead of adding a line.
pub fn log_output(app: &mut App, kind: LineKind, text: &str, replaces: bool) {
    let before = app.log.next_seq();
    if replaces {
        app.log.replace_last(kind, text);
    } else {
        app.log.push(kind, text);
    }
    keep_view(app, before);
}

/// A paused view stays on the lines it shows while lines are added below.
fn keep_view(app: &mut App, before: u64) {
    let n = (app.log.next_seq() - before) as usize;
    if !app.follow && n > 0 {
        app.log_scroll = (app.log_scroll + n).min(app.log.len().saturating_sub(1));
    }
}

const BUSY: &str = "a task is running: wait for it, or Ctrl-C to cancel it";

/// A job runs: says so in the footer (what would start another one does not).
pub fn busy(app: &mut App) -> bool {
    if app.job.is_some() {
        app.set_status(BUSY);
        true
    } else {
        false
    }
}

/// The TUI's one job starts: its header in the Log (what runs, and the command it is
/// the same as), which its queue task reports under; the Log follows it.
pub fn start_job(app: &mut App, kind: JobKind, title: String) {
    start_job_as(app, kind, title, None)
}

/// [`start_job`], with the command line the job is the same as.
pub fn start_job_as(app: &mut App, kind: JobKind, title: String, command: Option<String>) {
    app.follow = true;
    app.log_scroll = 0;
    let header = app.log.start_header(&title, command);
    app.job = Some(Job {
        kind,
        title,
        task: None,
        progress: None,
        cancelling: false,
        started_tick: app.tick,
        header: Some(header),
    });
}

fn cancel(app: &mut App) -> Vec<Effect> {
    let Some(job) = &mut app.job else {
        app.set_status("no task is running (q quits)");
        return vec![];
    };
    if job.cancelling {
        app.set_status("already cancelling: the task's process group was told to stop");
        return vec![];
    }
    job.cancelling = true;
    let title = job.title.clone();
    log(
        app,
        LineKind::Warn,
        &format!("Ctrl-C: cancelling {title} (its whole process group is stopped)"),
    );
    vec![Effect::Cancel]
}

/// Quitting while a job runs: cancel it (once).
pub fn cancel_for_quit(app: &mut App) -> Vec<Effect> {
    match &mut app.job {
        Some(job) if !job.cancelling => {
            job.cancelling = true;
            let title = job.title.clone();
            log(
                app,
                LineKind::Warn,
                &format!("quitting: cancelling {title} (its whole process group is stopped)"),
            );
            vec![Effect::Cancel]
        }
        _ => vec![],
    }
}

// ---------------------------------------------------------------------------------
// Keys and mouse

/// A page: half the terminal.
pub fn page(app: &App) -> usize {
    (app.size.1 as usize / 2).max(1)
}

/// A key: the global table first (Ctrl-C acts everywhere), then the open overlay, or
/// the focused pane's table and the scrolling keys.
fn on_key(app: &mut App, k: KeyEvent) -> Vec<Effect> {
    if k.kind == KeyEventKind::Release {
        return vec![];
    }
    // The Log's search text takes every key while it is typed (Ctrl-C aside).
    if app.overlay.is_none() && pane::log::search::on_key(app, &k) {
        return vec![];
    }
    if let Some(cmd) = keys::lookup(keys::GLOBAL, app, &(), &k) {
        return dashboard_cmd(app, cmd);
    }
    let Some(mut overlay) = app.overlay.take() else {
        let cmd = keys::lookup(pane::bindings(app.focus), app, &(), &k)
            .or_else(|| keys::lookup(pane::SCROLLING, app, &(), &k));
        return match cmd {
            Some(cmd) => dashboard_cmd(app, cmd),
            None => vec![],
        };
    };
    let (flow, mut effects) = overlay::on_key(app, &mut overlay, k);
    match flow {
        Flow::Keep => {
            if app.overlay.is_none() {
                app.overlay = Some(overlay);
            }
        }
        Flow::Close => {}
        Flow::Then(action) => effects.extend(update(app, action)),
    }
    effects
}

/// A dashboard key's command, as the action it means now.
fn dashboard_cmd(app: &mut App, cmd: &Cmd) -> Vec<Effect> {
    let action = match cmd {
        Cmd::Act(a) => a.clone(),
        Cmd::PageDown => Action::ScrollDown(page(app)),
        Cmd::PageUp => Action::ScrollUp(page(app)),
        Cmd::Unzoom if app.zoom => Action::ToggleZoom,
        Cmd::Unzoom => return vec![],
    };
    update(app, action)
}

fn on_mouse(app: &mut App, m: MouseEvent) -> Vec<Effect> {
    let help_max = overlay::help::view::max_scroll(app);
    if let Some(Overlay::Help { scroll }) = &mut app.overlay {
        match m.kind {
            MouseEventKind::ScrollDown => *scroll = (*scroll + 3).min(help_max),
            MouseEventKind::ScrollUp => *scroll = scroll.saturating_sub(3),
            _ => {}
        }
        return vec![];
    }
    if let Some(o) = &app.overlay {
        // In a wizard's list (backend, python, bootstrap option, the Fix plan's
        // rebuilds) a wheel notch is Up or Down.
        let lists = matches!(
            o,
            Overlay::Setup(_) | Overlay::Bootstrap(_) | Overlay::Fix(_)
        );
        let code = match m.kind {
            MouseEventKind::ScrollDown => KeyCode::Down,
            MouseEventKind::ScrollUp => KeyCode::Up,
            _ => return vec![],
        };
        if lists {
            return update(app, Action::Key(KeyEvent::new(code, KeyModifiers::NONE)));
        }
        return vec![];
    }
    let areas = ui::areas(Rect::new(0, 0, app.size.0, app.size.1), app);
    let Some(pane) = areas.pane_at(m.column, m.row) else {
        return vec![];
    };
    match m.kind {
        MouseEventKind::Down(MouseButton::Left) => {
            app.focus = pane;
            vec![]
        }
        MouseEventKind::ScrollDown => {
            app.focus = pane;
            update(app, Action::ScrollDown(3))
        }
        MouseEventKind::ScrollUp => {
            app.focus = pane;
            update(app, Action::ScrollUp(3))
        }
        _ => vec![],
    }
}

// ---------------------------------------------------------------------------------
// Task and job events

fn on_task(app: &mut App, ev: TaskEvent) {
    match ev {
        TaskEvent::Started { id, title } => {
            // The job's first task reports under the job's header: one header a task.
            let before = app.log.next_seq();
            match &mut app.job {
                Some(j) if j.task.is_none() => {
                    j.task = Some(id);
                    match j.header {
                        Some(seq) => app.log.attach(id, seq),
                        None => app.log.start_task(id, &title),
                    }
                }
                _ => app.log.start_task(id, &title),
            }
            keep_view(app, before);
        }
        TaskEvent::Step { id, label, command } => {
            // A step that is the whole task (a command from the Run prompt) is its
            // header already: only its command line.
            let whole = app.job.as_ref().is_some_and(|j| j.kind == JobKind::Run);
            if !whole && app.log.task_title(id) != Some(label.as_str()) {
                log(app, LineKind::Step, &label);
            }
            log(app, LineKind::Command, &command);
        }
        TaskEvent::Line { stream, text, .. } => {
            let kind = match stream {
                Stream::Stdout => LineKind::Stdout,
                Stream::Stderr => LineKind::Stderr,
            };
            // Until the queue says which lines redraw the previous one, a bar that
            // follows a bar does.
            let replaces = app.log.continues_progress(&kind, &text);
            log_output(app, kind, &text, replaces);
        }
        // A progress line: one Log line updated in place (the next Line replaces it).
        TaskEvent::Redraw { stream, text, .. } => {
            let kind = match stream {
                Stream::Stdout => LineKind::Stdout,
                Stream::Stderr => LineKind::Stderr,
            };
            let before = app.log.next_seq();
            app.log.redraw(kind, &text);
            keep_view(app, before);
        }
        TaskEvent::Progress { id, done, total } => {
            if let Some(j) = &mut app.job
                && j.task == Some(id)
            {
                j.progress = Some((done, total));
            }
        }
        TaskEvent::Finished {
            id,
            outcome,
            duration,
        } => {
            app.log.finish_task(id, outcome.clone(), duration);
            match outcome {
                Outcome::Failed(why) => log(app, LineKind::Error, &why),
                Outcome::Cancelled => log(
                    app,
                    LineKind::Warn,
                    "cancelled: the task's process group was stopped",
                ),
                Outcome::Succeeded => {}
            }
        }
    }
}

fn on_job(app: &mut App, ev: JobEvent) -> Vec<Effect> {
    match ev {
        JobEvent::Line(kind, text) => {
            log(app, kind, &text);
            vec![]
        }
        JobEvent::Bootstrap(p) => {
            if let Progress::Bytes {
                done,
                total: Some(t),
            } = &p
                && let Some(j) = &mut app.job
            {
                j.progress = Some((*done, *t));
            }
            if let Some(Overlay::Bootstrap(w)) = &mut app.overlay
                && let BootstrapPhase::Downloading(run) = &mut w.phase
            {
                bootstrap::state::apply_progress(run, p);
            }
            vec![]
        }
        JobEvent::Done(result) => {
            let job = app.job.take();
            if let Some(j) = &job
                && let Some(seq) = j.header
            {
                // A job without a queue task (a purge, a download) ends its header here.
                let outcome = match &result {
                    Ok(()) => Outcome::Succeeded,
                    Err(e) if e == "cancelled" => Outcome::Cancelled,
                    Err(e) => Outcome::Failed(e.clone()),
                };
                let secs = j.elapsed_secs(app.tick);
                app.log
                    .finish(seq, outcome, std::time::Duration::from_secs(secs));
            }
            if let Some(Overlay::Bootstrap(w)) = &mut app.overlay
                && matches!(
                    job.as_ref().map(|j| j.kind),
                    Some(JobKind::Bootstrap | JobKind::SystemInstall)
                )
            {
                let phase = std::mem::replace(&mut w.phase, BootstrapPhase::Choose);
                w.phase = bootstrap::state::finished(phase, result);
            }
            app.refreshing = true;
            vec![Effect::Refresh]
        }
    }
}

/// A byte count for people (jobs.rs reads it from here).
pub use pyve_core::sys::term::human_size as size;
