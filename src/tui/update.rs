//! `update`: the only place the TUI's state changes. It maps keys to what they mean
//! where they were pressed, applies task and job events, and answers with the
//! [`Effect`]s the runtime should carry out. No I/O happens here, so every action is
//! tested by calling it on an [`App`] built from fixed data.

use crossterm::event::{
    Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers, MouseButton, MouseEvent, MouseEventKind,
};
use ratatui::layout::Rect;
use tui_input::Input;
use tui_input::backend::crossterm::to_input_request;

use super::action::{Action, Effect, InitRequest, JobEvent};
use super::app::{
    App, BootstrapPhase, BootstrapRun, BootstrapWizard, Job, JobKind, Overlay, Pane, Preview,
    PurgeConfirm, RunPrompt, SetupStep, SetupWizard, StepState,
};
use super::data::{SetupDefaults, Snapshot};
use super::log::LineKind;
use super::ui;
use pyve_core::engine::BackendKind;
use pyve_core::engine::bootstrap::{Progress, SystemInstall, Target};
use pyve_core::engine::init::EditableChoice;
use pyve_core::tasks::{Outcome, Stream, TaskEvent};

/// Applies `action` to `app`; returns what the runtime should do next.
pub fn update(app: &mut App, action: Action) -> Vec<Effect> {
    match action {
        Action::Key(k) => on_key(app, k),
        Action::Mouse(m) => on_mouse(app, m),
        Action::Resize(w, h) => {
            app.size = (w, h);
            clamp_scrolls(app);
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
        Action::FocusNext => {
            app.focus = app.focus.next();
            vec![]
        }
        Action::FocusPrev => {
            app.focus = app.focus.prev();
            vec![]
        }
        Action::Focus(p) => {
            app.focus = p;
            vec![]
        }
        Action::ToggleZoom => {
            app.zoom = !app.zoom;
            clamp_scrolls(app);
            vec![]
        }
        Action::ScrollUp(n) => {
            scroll(app, -(n as isize));
            vec![]
        }
        Action::ScrollDown(n) => {
            scroll(app, n as isize);
            vec![]
        }
        Action::ScrollTop => {
            scroll(app, isize::MIN / 2);
            vec![]
        }
        Action::ScrollBottom => {
            scroll(app, isize::MAX / 2);
            vec![]
        }
        Action::ToggleFollow => {
            app.follow = !app.follow;
            if app.follow {
                app.log_scroll = 0;
            }
            app.set_status(if app.follow {
                "Log: following the newest line"
            } else {
                "Log: follow mode off (f or G turns it on)"
            });
            vec![]
        }
        Action::Activate => activate(app),
        Action::OpenSetup => open_setup(app, None),
        Action::OpenBootstrap => open_bootstrap(app),
        Action::OpenRun => open_run(app, String::new()),
        Action::OpenPurge => open_purge(app),
        Action::OpenHelp => {
            app.overlay = Some(Overlay::Help { scroll: 0 });
            vec![]
        }
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
        Action::Refreshed(s) => {
            app.snapshot = Some(*s);
            app.refreshing = false;
            clamp_scrolls(app);
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
        Action::PurgePlan(result) => {
            if let Some(Overlay::Purge(p)) = &mut app.overlay {
                p.items = Some(result);
            }
            vec![]
        }
    }
}

/// Appends to the Log; when not following, the view stays on the lines it shows.
fn log(app: &mut App, kind: LineKind, text: &str) {
    // A line that ends a progress line replaces it: one line fewer to scroll by.
    let n = text.lines().count().max(1) - usize::from(app.log.pending_is(&kind));
    if text.is_empty() {
        app.log.push(kind, "");
    } else {
        app.log.push_lines(kind, text);
    }
    if !app.follow {
        app.log_scroll = (app.log_scroll + n).min(app.log.len().saturating_sub(1));
    }
}

const BUSY: &str = "a task is running: wait for it, or Ctrl-C to cancel it";

fn busy(app: &mut App) -> bool {
    if app.job.is_some() {
        app.set_status(BUSY);
        true
    } else {
        false
    }
}

fn start_job(app: &mut App, kind: JobKind, title: String) {
    app.job = Some(Job {
        kind,
        title,
        task: None,
        progress: None,
        cancelling: false,
    });
    app.follow = true;
    app.log_scroll = 0;
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

fn cancel_for_quit(app: &mut App) -> Vec<Effect> {
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

fn ctrl(k: &KeyEvent, c: char) -> bool {
    k.modifiers.contains(KeyModifiers::CONTROL) && k.code == KeyCode::Char(c)
}

fn page(app: &App) -> usize {
    (app.size.1 as usize / 2).max(1)
}

fn on_key(app: &mut App, k: KeyEvent) -> Vec<Effect> {
    if k.kind == KeyEventKind::Release {
        return vec![];
    }
    if ctrl(&k, 'c') {
        return update(app, Action::Cancel);
    }
    let Some(mut overlay) = app.overlay.take() else {
        return global_key(app, k);
    };
    let (flow, mut effects) = match &mut overlay {
        Overlay::Setup(w) => setup_key(app, w, k),
        Overlay::Bootstrap(w) => bootstrap_key(app, w, k),
        Overlay::Run(p) => run_key(app, p, k),
        Overlay::Purge(p) => purge_key(app, p, k),
        Overlay::Help { scroll } => {
            let max = ui::help::max_scroll(app);
            match k.code {
                KeyCode::Char('j') | KeyCode::Down => *scroll = (*scroll + 1).min(max),
                KeyCode::Char('k') | KeyCode::Up => *scroll = scroll.saturating_sub(1),
                KeyCode::PageDown => *scroll = (*scroll + page(app) as u16).min(max),
                KeyCode::PageUp => *scroll = scroll.saturating_sub(page(app) as u16),
                KeyCode::Char('g') | KeyCode::Home => *scroll = 0,
                KeyCode::Char('G') | KeyCode::End => *scroll = max,
                KeyCode::Esc | KeyCode::Char('?') | KeyCode::Char('q') | KeyCode::Enter => {
                    return update(app, Action::CloseOverlay);
                }
                _ => {}
            }
            (Flow::Keep, vec![])
        }
        Overlay::QuitConfirm => match k.code {
            KeyCode::Char('y') | KeyCode::Char('Y') | KeyCode::Char('q') | KeyCode::Enter => {
                app.quit = true;
                (Flow::Close, cancel_for_quit(app))
            }
            KeyCode::Char('n') | KeyCode::Char('N') | KeyCode::Esc => (Flow::Close, vec![]),
            _ => (Flow::Keep, vec![]),
        },
    };
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

/// What an overlay's key handler wants done with the overlay.
enum Flow {
    Keep,
    Close,
    /// Close it, then apply this action (open another overlay, …).
    Then(Action),
}

fn global_key(app: &mut App, k: KeyEvent) -> Vec<Effect> {
    let action = match k.code {
        KeyCode::Tab => Action::FocusNext,
        KeyCode::BackTab => Action::FocusPrev,
        KeyCode::Char('1') => Action::Focus(Pane::Backend),
        KeyCode::Char('2') => Action::Focus(Pane::Tools),
        KeyCode::Char('3') => Action::Focus(Pane::Health),
        KeyCode::Char('4') => Action::Focus(Pane::Log),
        KeyCode::Char('d') if ctrl(&k, 'd') => Action::ScrollDown(page(app)),
        KeyCode::Char('u') if ctrl(&k, 'u') => Action::ScrollUp(page(app)),
        KeyCode::Char('z') => Action::ToggleZoom,
        KeyCode::Char('j') | KeyCode::Down => Action::ScrollDown(1),
        KeyCode::Char('k') | KeyCode::Up => Action::ScrollUp(1),
        KeyCode::Char('g') | KeyCode::Home => Action::ScrollTop,
        KeyCode::Char('G') | KeyCode::End => Action::ScrollBottom,
        KeyCode::PageDown => Action::ScrollDown(page(app)),
        KeyCode::PageUp => Action::ScrollUp(page(app)),
        KeyCode::Char('f') if app.focus == Pane::Log => Action::ToggleFollow,
        KeyCode::Enter => Action::Activate,
        KeyCode::Char('i') => Action::OpenSetup,
        KeyCode::Char('b') => Action::OpenBootstrap,
        KeyCode::Char('r') | KeyCode::Char(':') => Action::OpenRun,
        KeyCode::Char('p') => Action::OpenPurge,
        KeyCode::Char('?') => Action::OpenHelp,
        KeyCode::Char('R') | KeyCode::F(5) => Action::Refresh,
        KeyCode::Char('q') => Action::Quit,
        KeyCode::Esc if app.zoom => Action::ToggleZoom,
        _ => return vec![],
    };
    update(app, action)
}

fn on_mouse(app: &mut App, m: MouseEvent) -> Vec<Effect> {
    let help_max = ui::help::max_scroll(app);
    if let Some(Overlay::Help { scroll }) = &mut app.overlay {
        match m.kind {
            MouseEventKind::ScrollDown => *scroll = (*scroll + 3).min(help_max),
            MouseEventKind::ScrollUp => *scroll = scroll.saturating_sub(3),
            _ => {}
        }
        return vec![];
    }
    if app.overlay.is_some() {
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
// Scrolling

fn scroll(app: &mut App, delta: isize) {
    match app.focus {
        Pane::Backend | Pane::Tools => {
            let max = ui::max_scroll(app, app.focus);
            let cur = if app.focus == Pane::Backend {
                app.backend_scroll
            } else {
                app.tools_scroll
            };
            let next = (cur as isize + delta).clamp(0, max as isize) as u16;
            if app.focus == Pane::Backend {
                app.backend_scroll = next;
            } else {
                app.tools_scroll = next;
            }
        }
        Pane::Health => {
            let n = app
                .snapshot
                .as_ref()
                .map(|s| s.doctor.checks.len())
                .unwrap_or(0);
            if n > 0 {
                app.health_selected =
                    (app.health_selected as isize + delta).clamp(0, n as isize - 1) as usize;
            }
        }
        Pane::Log => {
            let max = app.log.len().saturating_sub(1) as isize;
            // Positive delta scrolls down, toward the newest line.
            let next = (app.log_scroll as isize - delta).clamp(0, max.max(0)) as usize;
            app.log_scroll = next;
            if delta > 0 && next == 0 {
                app.follow = true;
            } else if delta < 0 {
                app.follow = false;
            }
        }
    }
}

fn clamp_scrolls(app: &mut App) {
    app.backend_scroll = app.backend_scroll.min(ui::max_scroll(app, Pane::Backend));
    app.tools_scroll = app.tools_scroll.min(ui::max_scroll(app, Pane::Tools));
    let n = app
        .snapshot
        .as_ref()
        .map(|s| s.doctor.checks.len())
        .unwrap_or(0);
    app.health_selected = app.health_selected.min(n.saturating_sub(1));
}

// ---------------------------------------------------------------------------------
// Health: Enter runs the selected check's fix

/// What Enter does with a check's fix text. The engine gives the fix as words with
/// the command in backticks; the first `pyve …` command is the one Enter runs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Fix {
    /// `pyve init …`: the Setup wizard, prefilled; `ask_backend` when the fix offers
    /// several inits (the wizard asks which).
    Setup {
        request: InitRequest,
        ask_backend: bool,
    },
    Bootstrap,
    Purge,
    /// `pyve run …`: the Run prompt, prefilled.
    Run(String),
    /// A command for a shell, not for pyve (`pyenv install 3.11`).
    Shell(String),
    /// An edit to make by hand.
    Edit,
}

pub fn fix_action(fix: &str) -> Fix {
    let code: Vec<&str> = fix
        .split('`')
        .enumerate()
        .filter(|(i, _)| i % 2 == 1)
        .map(|(_, s)| s.trim())
        .collect();
    let pyve: Vec<Vec<&str>> = code
        .iter()
        .filter(|c| c.starts_with("pyve "))
        .map(|c| c.split_whitespace().collect())
        .collect();
    let Some(first) = pyve.first() else {
        return match code.first() {
            Some(c) => Fix::Shell(c.to_string()),
            None => Fix::Edit,
        };
    };
    match first.get(1).copied() {
        Some("init") => {
            let mut request = InitRequest::default();
            let mut args = first[2..].iter();
            while let Some(a) = args.next() {
                match *a {
                    "--force" => request.force = true,
                    "--install-deps" => request.editable = Some(true),
                    "--backend" => {
                        request.backend = match args.next().copied() {
                            Some("venv") => Some(BackendKind::Venv),
                            Some("micromamba") => Some(BackendKind::Micromamba),
                            _ => None,
                        }
                    }
                    _ => {}
                }
            }
            let ask_backend = pyve.len() > 1 && pyve.iter().all(|c| c.get(1) == Some(&"init"));
            if ask_backend {
                request.backend = None;
            }
            Fix::Setup {
                request,
                ask_backend,
            }
        }
        Some("bootstrap") => Fix::Bootstrap,
        Some("purge") => Fix::Purge,
        Some("run") => Fix::Run(first[2..].join(" ")),
        _ => Fix::Shell(first.join(" ")),
    }
}

/// The selected Health check and what Enter does with it.
pub fn selected_fix(app: &App) -> Option<(Fix, String)> {
    let s = app.snapshot.as_ref()?;
    let c = s.doctor.checks.get(app.health_selected)?;
    let fix = c.fix.as_ref()?;
    // The engine names the command when the fix is one; otherwise read the words.
    let action = match &c.command {
        Some(cmd) if !fix.contains(" or `pyve") => fix_action(&format!("`{cmd}`")),
        _ => fix_action(fix),
    };
    Some((action, fix.clone()))
}

fn activate(app: &mut App) -> Vec<Effect> {
    if app.focus != Pane::Health {
        return vec![];
    }
    let Some((fix, text)) = selected_fix(app) else {
        app.set_status("this check has nothing to fix");
        return vec![];
    };
    match fix {
        Fix::Setup {
            request,
            ask_backend,
        } => open_setup(app, Some((request, ask_backend))),
        Fix::Bootstrap => open_bootstrap(app),
        Fix::Purge => open_purge(app),
        Fix::Run(cmd) => open_run(app, cmd),
        Fix::Shell(cmd) => {
            app.set_status(format!("not a pyve command: run `{cmd}` in a shell"));
            vec![]
        }
        Fix::Edit => {
            app.set_status(format!("a fix by hand: {text}"));
            vec![]
        }
    }
}

// ---------------------------------------------------------------------------------
// Setup wizard

/// The steps for the wizard's current backend.
pub fn setup_steps(w: &SetupWizard, d: &SetupDefaults) -> Vec<SetupStep> {
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
    let ambiguous = snap.detection.as_ref().is_some_and(|d| d.ambiguous);
    let d = snap.setup.as_ref();
    let mut r = InitRequest {
        backend: (w.backend != w.detected || ambiguous).then_some(w.backend),
        force: w.force,
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
                r.editable = Some(w.editable);
            }
        }
    }
    r
}

fn open_setup(app: &mut App, prefill: Option<(InitRequest, bool)>) -> Vec<Effect> {
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

fn validate_step(w: &SetupWizard) -> Result<(), String> {
    match w.step {
        SetupStep::EnvName => pyve_core::engine::envname::sanitize(w.env_name.value()).map(|_| ()),
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

fn setup_key(app: &mut App, w: &mut SetupWizard, k: KeyEvent) -> (Flow, Vec<Effect>) {
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

// ---------------------------------------------------------------------------------
// Bootstrap wizard

fn open_bootstrap(app: &mut App) -> Vec<Effect> {
    if busy(app) {
        return vec![];
    }
    let Some(snap) = &app.snapshot else {
        app.set_status("still detecting the project…");
        return vec![];
    };
    let Some(menu) = snap.bootstrap.clone() else {
        let why = snap.load_error.clone().unwrap_or_default();
        app.set_status(format!("fix the project first (see Health): {why}"));
        return vec![];
    };
    let selected = match menu.default {
        Target::Project => 0,
        Target::User => 1,
    };
    app.overlay = Some(Overlay::Bootstrap(Box::new(BootstrapWizard {
        menu,
        selected,
        phase: BootstrapPhase::Choose,
        message: None,
    })));
    vec![]
}

fn bootstrap_choose(app: &mut App, w: &mut BootstrapWizard, option: usize) -> (Flow, Vec<Effect>) {
    w.selected = option;
    w.message = None;
    let target = match option {
        0 => Target::Project,
        1 => Target::User,
        2 => {
            match &w.menu.system {
                SystemInstall::Available { .. } => w.phase = BootstrapPhase::ConfirmSystem,
                SystemInstall::Unavailable { why } => {
                    w.message = Some(format!("option 3 is unavailable: {why}"));
                }
            }
            return (Flow::Keep, vec![]);
        }
        _ => {
            app.set_status(
                "aborted: micromamba was not installed; b opens this again, or choose the venv backend in the Setup wizard",
            );
            return (Flow::Close, vec![]);
        }
    };
    if let Err(why) = &w.menu.source {
        w.message = Some(why.clone());
        return (Flow::Keep, vec![]);
    }
    let shown = match target {
        Target::Project => w.menu.project.clone(),
        Target::User => w.menu.user.clone(),
    };
    w.phase = BootstrapPhase::Downloading(BootstrapRun::new(shown));
    start_job(app, JobKind::Bootstrap, "bootstrap micromamba".into());
    (Flow::Keep, vec![Effect::Bootstrap(target)])
}

fn bootstrap_key(app: &mut App, w: &mut BootstrapWizard, k: KeyEvent) -> (Flow, Vec<Effect>) {
    match &w.phase {
        BootstrapPhase::Choose => match k.code {
            KeyCode::Char('j') | KeyCode::Down => w.selected = (w.selected + 1).min(3),
            KeyCode::Char('k') | KeyCode::Up => w.selected = w.selected.saturating_sub(1),
            KeyCode::Char(c @ '1'..='4') => {
                return bootstrap_choose(app, w, c as usize - '1' as usize);
            }
            KeyCode::Enter => return bootstrap_choose(app, w, w.selected),
            KeyCode::Esc | KeyCode::Char('q') => return (Flow::Close, vec![]),
            _ => {}
        },
        BootstrapPhase::ConfirmSystem => match k.code {
            KeyCode::Char('y' | 'Y') | KeyCode::Enter => {
                if let SystemInstall::Available { command, .. } = &w.menu.system {
                    let command = command.clone();
                    w.phase = BootstrapPhase::SystemRunning(command.clone());
                    start_job(app, JobKind::SystemInstall, command);
                    return (
                        Flow::Keep,
                        vec![Effect::SystemInstall(w.menu.system.clone())],
                    );
                }
            }
            KeyCode::Char('n' | 'N') | KeyCode::Esc => w.phase = BootstrapPhase::Choose,
            _ => {}
        },
        BootstrapPhase::Downloading(_) | BootstrapPhase::SystemRunning(_) => {
            if k.code == KeyCode::Esc {
                app.set_status("the install goes on in the background; Ctrl-C cancels it");
                return (Flow::Close, vec![]);
            }
        }
        BootstrapPhase::Done(_, result) => match (k.code, result.is_ok()) {
            (KeyCode::Enter, true) => return (Flow::Then(Action::OpenSetup), vec![]),
            (KeyCode::Enter, false) => w.phase = BootstrapPhase::Choose,
            (KeyCode::Esc | KeyCode::Char('q'), _) => return (Flow::Close, vec![]),
            _ => {}
        },
    }
    (Flow::Keep, vec![])
}

fn apply_progress(run: &mut BootstrapRun, p: Progress) {
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
            run.steps[1] = Done(size(bytes));
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

pub use pyve_core::sys::term::human_size as size;

// ---------------------------------------------------------------------------------
// Run prompt

fn open_run(app: &mut App, prefill: String) -> Vec<Effect> {
    if busy(app) {
        return vec![];
    }
    app.overlay = Some(Overlay::Run(RunPrompt {
        input: Input::new(prefill),
        error: None,
        history_pos: None,
    }));
    vec![]
}

/// Splits a command line the way `sh` would for plain words: whitespace, `'…'`,
/// `"…"` and `\` escapes (inside `"…"` only before `" \ $ \``). No expansion.
pub fn split_command(line: &str) -> Result<Vec<String>, String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut in_word = false;
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            '\'' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('\'') => break,
                        Some(c) => cur.push(c),
                        None => return Err("unmatched '".into()),
                    }
                }
            }
            '"' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('"') => break,
                        // As in sh: inside "…" a backslash escapes only these.
                        Some('\\') => match chars.next() {
                            Some(c @ ('"' | '\\' | '$' | '`')) => cur.push(c),
                            Some(c) => {
                                cur.push('\\');
                                cur.push(c);
                            }
                            None => return Err("unmatched \"".into()),
                        },
                        Some(c) => cur.push(c),
                        None => return Err("unmatched \"".into()),
                    }
                }
            }
            '\\' => {
                in_word = true;
                if let Some(c) = chars.next() {
                    cur.push(c);
                }
            }
            c if c.is_whitespace() => {
                if in_word {
                    out.push(std::mem::take(&mut cur));
                    in_word = false;
                }
            }
            c => {
                in_word = true;
                cur.push(c);
            }
        }
    }
    if in_word {
        out.push(cur);
    }
    Ok(out)
}

fn run_key(app: &mut App, p: &mut RunPrompt, k: KeyEvent) -> (Flow, Vec<Effect>) {
    match k.code {
        KeyCode::Esc => (Flow::Close, vec![]),
        KeyCode::Enter => {
            let line = p.input.value().trim().to_string();
            match split_command(&line) {
                Ok(argv) if argv.is_empty() => {
                    p.error = Some("type a command, e.g. python -V".into());
                    (Flow::Keep, vec![])
                }
                Ok(argv) => {
                    if app.history.last() != Some(&line) {
                        app.history.push(line.clone());
                    }
                    start_job(app, JobKind::Run, format!("run {line}"));
                    app.focus = Pane::Log;
                    (Flow::Close, vec![Effect::Run(argv)])
                }
                Err(e) => {
                    p.error = Some(e);
                    (Flow::Keep, vec![])
                }
            }
        }
        KeyCode::Up | KeyCode::Down if !app.history.is_empty() => {
            let n = app.history.len();
            let pos = match (k.code, p.history_pos) {
                (KeyCode::Up, None) => Some(n - 1),
                (KeyCode::Up, Some(i)) => Some(i.saturating_sub(1)),
                (KeyCode::Down, Some(i)) if i + 1 < n => Some(i + 1),
                _ => None,
            };
            p.history_pos = pos;
            p.input = Input::new(pos.map(|i| app.history[i].clone()).unwrap_or_default());
            (Flow::Keep, vec![])
        }
        _ => {
            if let Some(req) = to_input_request(&Event::Key(k)) {
                p.input.handle(req);
                p.error = None;
            }
            (Flow::Keep, vec![])
        }
    }
}

// ---------------------------------------------------------------------------------
// Purge

fn open_purge(app: &mut App) -> Vec<Effect> {
    if busy(app) {
        return vec![];
    }
    app.overlay = Some(Overlay::Purge(PurgeConfirm { items: None }));
    vec![Effect::LoadPurgePlan]
}

fn purge_key(app: &mut App, p: &mut PurgeConfirm, k: KeyEvent) -> (Flow, Vec<Effect>) {
    match k.code {
        KeyCode::Char('y' | 'Y') => match &p.items {
            Some(Ok(items)) if !items.is_empty() => {
                let paths = items.iter().map(|i| i.path.clone()).collect();
                start_job(app, JobKind::Purge, "purge".into());
                (Flow::Close, vec![Effect::Purge(paths)])
            }
            Some(_) => (Flow::Close, vec![]),
            None => (Flow::Keep, vec![]),
        },
        KeyCode::Char('n' | 'N' | 'q') | KeyCode::Esc | KeyCode::Enter => {
            if matches!(&p.items, Some(Ok(items)) if !items.is_empty()) {
                app.set_status("nothing removed");
            }
            (Flow::Close, vec![])
        }
        _ => (Flow::Keep, vec![]),
    }
}

// ---------------------------------------------------------------------------------
// Task and job events

fn on_task(app: &mut App, ev: TaskEvent) {
    match ev {
        TaskEvent::Started { id, title } => {
            app.log.start_task(id, &title);
            if !app.follow {
                app.log_scroll = (app.log_scroll + 1).min(app.log.len().saturating_sub(1));
            }
            if let Some(j) = &mut app.job
                && j.task.is_none()
            {
                j.task = Some(id);
            }
        }
        TaskEvent::Step { label, command, .. } => {
            log(app, LineKind::Step, &label);
            log(app, LineKind::Command, &command);
        }
        TaskEvent::Line { stream, text, .. } => {
            let kind = match stream {
                Stream::Stdout => LineKind::Stdout,
                Stream::Stderr => LineKind::Stderr,
            };
            log(app, kind, &text);
        }
        // A progress line: one Log line updated in place (the next Line replaces it).
        TaskEvent::Redraw { stream, text, .. } => {
            let kind = match stream {
                Stream::Stdout => LineKind::Stdout,
                Stream::Stderr => LineKind::Stderr,
            };
            if app.log.redraw(kind, &text) && !app.follow {
                app.log_scroll = (app.log_scroll + 1).min(app.log.len().saturating_sub(1));
            }
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
                apply_progress(run, p);
            }
            vec![]
        }
        JobEvent::Done(result) => {
            let job = app.job.take();
            if let Some(Overlay::Bootstrap(w)) = &mut app.overlay
                && matches!(
                    job.as_ref().map(|j| j.kind),
                    Some(JobKind::Bootstrap | JobKind::SystemInstall)
                )
            {
                let phase = std::mem::replace(&mut w.phase, BootstrapPhase::Choose);
                w.phase = match (phase, result) {
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
                };
            }
            app.refreshing = true;
            vec![Effect::Refresh]
        }
    }
}
