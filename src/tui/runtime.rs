//! The event loop: one current-thread tokio runtime merging terminal input (a reader
//! thread), the task queue's events, the jobs' results, a 4 Hz tick, a 1 s poll of
//! the project's files, and SIGTERM/SIGHUP/SIGINT/SIGQUIT/SIGUSR1. Each becomes an
//! [`Action`] for `update`; the [`Effect`]s it returns are carried out here. Ctrl-Z and
//! SIGTSTP suspend here, never reaching `update`: giving the terminal back to the shell
//! is the terminal's business, not the app's.
//!
//! Drawing happens on change, at most once per frame (~60 fps): a burst of a thousand
//! log lines is applied in one go and drawn once. Input is polled first on every turn
//! of the loop, and input is drawn at once, so a key is answered within a frame even
//! while a task floods the Log.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use crossterm::event::{self, Event, KeyEventKind, MouseEventKind};
use tokio::sync::{mpsc, watch};

use super::action::{Action, Effect, JobEvent};
use super::app::App;
use super::data;
use super::jobs::{self, JobCtx};
use super::terminal::{self, Term};
use super::theme::Theme;
use super::ui;
use super::update::update;
use pyve_core::engine::{Error, ExitStatus, Result};
use pyve_core::tasks::Queue;

/// One frame at 60 fps.
const FRAME: Duration = Duration::from_millis(16);
/// Task events applied per turn before input is looked at again.
const BURST: usize = 4096;
/// How long a quit waits for a cancelled task to finish (its Finished event).
const QUIT_GRACE: Duration = Duration::from_secs(3);

/// The job that runs, and how to stop it.
struct Running {
    cancel: watch::Sender<bool>,
    flag: Arc<AtomicBool>,
}

struct Runtime {
    start: PathBuf,
    /// The env the panes show and jobs act on, once the user switched (`]`/`[`);
    /// `None`: as `--env`-less commands choose (PYVE_ENV, default_env, `default`).
    env: Option<String>,
    queue: Queue,
    tx: mpsc::UnboundedSender<Action>,
    running: Option<Running>,
    refresh_in_flight: bool,
    refresh_pending: bool,
    /// The project files' fingerprint as of the last refresh (taken before it read
    /// them): the poll refreshes when it differs, and a change pyve made itself,
    /// already seen by the refresh after the task, does not count twice.
    seen: Arc<AtomicU64>,
}

impl Runtime {
    fn job_ctx(&mut self) -> JobCtx {
        let (cancel_tx, cancel_rx) = watch::channel(false);
        let flag = Arc::new(AtomicBool::new(false));
        self.running = Some(Running {
            cancel: cancel_tx,
            flag: flag.clone(),
        });
        JobCtx {
            start: self.start.clone(),
            env: self.env.clone(),
            queue: self.queue.clone(),
            tx: self.tx.clone(),
            cancel: cancel_rx,
            cancel_flag: flag,
        }
    }

    fn refresh(&mut self) {
        if self.refresh_in_flight {
            self.refresh_pending = true;
            return;
        }
        self.refresh_in_flight = true;
        let start = self.start.clone();
        let env = self.env.clone();
        let tx = self.tx.clone();
        let seen = self.seen.clone();
        tokio::task::spawn_blocking(move || {
            seen.store(
                data::fingerprint(&data::watched_paths(&start)),
                Ordering::SeqCst,
            );
            let snap = data::load(&start, env.as_deref());
            let _ = tx.send(Action::Refreshed(Box::new(snap)));
        });
    }

    fn apply(&mut self, effects: Vec<Effect>) {
        for e in effects {
            match e {
                Effect::Refresh => self.refresh(),
                Effect::SelectEnv(name) => {
                    self.env = Some(name);
                    self.refresh();
                }
                Effect::PreviewInit(mut req) => {
                    let start = self.start.clone();
                    let tx = self.tx.clone();
                    req.env = req.env.or_else(|| self.env.clone());
                    tokio::task::spawn_blocking(move || {
                        let _ = tx.send(Action::InitPreview(jobs::preview(&start, &req)));
                    });
                }
                Effect::LoadPurgePlan(scope) => {
                    let start = self.start.clone();
                    let tx = self.tx.clone();
                    tokio::task::spawn_blocking(move || {
                        let plan = jobs::purge_plan(&start, &scope);
                        let _ = tx.send(Action::PurgePlan(scope, plan));
                    });
                }
                Effect::LoadFixPlan => {
                    let start = self.start.clone();
                    let env = self.env.clone();
                    let tx = self.tx.clone();
                    tokio::task::spawn_blocking(move || {
                        let _ = tx.send(Action::FixPlan(jobs::fix_plan(&start, env)));
                    });
                }
                Effect::ApplyFixes { plan, rebuilds } => {
                    tokio::spawn(jobs::apply_fixes(self.job_ctx(), plan, rebuilds));
                }
                Effect::Init(mut req) => {
                    req.env = req.env.or_else(|| self.env.clone());
                    tokio::spawn(jobs::init(self.job_ctx(), req));
                }
                Effect::Purge(scope, paths) => {
                    tokio::spawn(jobs::purge(self.job_ctx(), scope, paths));
                }
                Effect::Bootstrap(target) => {
                    tokio::spawn(jobs::bootstrap(self.job_ctx(), target));
                }
                Effect::SystemInstall(s) => {
                    tokio::spawn(jobs::system_install(self.job_ctx(), s));
                }
                Effect::Run(argv) => {
                    tokio::spawn(jobs::run_command(self.job_ctx(), argv));
                }
                Effect::Lock => {
                    tokio::spawn(jobs::lock(self.job_ctx()));
                }
                Effect::Cancel => {
                    if let Some(r) = &self.running {
                        r.flag.store(true, Ordering::SeqCst);
                        let _ = r.cancel.send(true);
                    }
                }
            }
        }
    }

    /// Applies `action` and carries out what it asks for.
    fn handle(&mut self, app: &mut App, action: Action) {
        match &action {
            Action::Job(JobEvent::Done(_)) => self.running = None,
            Action::Refreshed(_) => self.refresh_in_flight = false,
            _ => {}
        }
        let effects = update(app, action);
        self.apply(effects);
        if !self.refresh_in_flight && self.refresh_pending {
            self.refresh_pending = false;
            self.refresh();
        }
    }
}

/// Ctrl-Z: in raw mode the terminal sends it as a key instead of stopping pyve.
fn is_suspend_key(a: &Action) -> bool {
    use crossterm::event::{KeyCode, KeyModifiers};
    matches!(a, Action::Key(k)
        if k.code == KeyCode::Char('z') && k.modifiers.contains(KeyModifiers::CONTROL))
}

/// Terminal input on its own thread (crossterm's reader blocks), into a channel.
fn spawn_input(tx: mpsc::UnboundedSender<Action>, stop: Arc<AtomicBool>) {
    std::thread::spawn(move || {
        while !stop.load(Ordering::SeqCst) {
            match event::poll(Duration::from_millis(50)) {
                Ok(true) => {}
                Ok(false) => continue,
                Err(_) => break,
            }
            let action = match event::read() {
                Ok(Event::Key(k)) if k.kind != KeyEventKind::Release => Action::Key(k),
                Ok(Event::Mouse(m)) if m.kind != MouseEventKind::Moved => Action::Mouse(m),
                Ok(Event::Resize(w, h)) => Action::Resize(w, h),
                Ok(_) => continue,
                Err(_) => break,
            };
            if tx.send(action).is_err() {
                break;
            }
        }
    });
}

/// Runs the TUI until the user quits; returns the exit code.
pub fn run(start: PathBuf, theme: Theme) -> Result<ExitStatus> {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| Error::io("cannot start the task runtime", e))?;
    // Caught before the terminal is taken: a signal between taking it and listening
    // would end pyve with the terminal in raw mode.
    let signals = {
        let _in_runtime = rt.enter();
        Signals::listen().map_err(|e| Error::io("signal", e))?
    };
    let (mut term, guard) =
        terminal::enter().map_err(|e| Error::io("cannot set up the terminal", e))?;
    let size = term
        .size()
        .map_err(|e| Error::io("cannot read the terminal size", e))?;
    let mut app = App::new(theme, (size.width, size.height));
    // The first frame, before anything is detected.
    draw(&mut term, &app)?;
    // Debug builds only: lets the pty test check that a panic restores the terminal.
    #[cfg(debug_assertions)]
    if std::env::var_os("PYVE_TUI_TEST_PANIC").is_some() {
        panic!("PYVE_TUI_TEST_PANIC is set");
    }
    let result = rt.block_on(event_loop(&mut term, &mut app, start, signals));
    // Jobs still running (a quit past the grace period) are dropped with the runtime;
    // their children were sent the cancel already.
    rt.shutdown_timeout(Duration::from_millis(100));
    drop(term);
    drop(guard);
    result.map(|()| ExitStatus::Code(app.exit_code))
}

/// The signals the TUI answers. SIGQUIT would dump core and SIGUSR1 end pyve with the
/// terminal in raw mode; in raw mode Ctrl-C is a key, so a SIGINT comes from elsewhere
/// (`kill -INT`) and quits like SIGTERM.
struct Signals {
    term: tokio::signal::unix::Signal,
    hup: tokio::signal::unix::Signal,
    int: tokio::signal::unix::Signal,
    quit: tokio::signal::unix::Signal,
    usr1: tokio::signal::unix::Signal,
    tstp: tokio::signal::unix::Signal,
}

impl Signals {
    fn listen() -> std::io::Result<Signals> {
        use tokio::signal::unix::{SignalKind, signal};
        Ok(Signals {
            term: signal(SignalKind::terminate())?,
            hup: signal(SignalKind::hangup())?,
            int: signal(SignalKind::interrupt())?,
            quit: signal(SignalKind::quit())?,
            usr1: signal(SignalKind::user_defined1())?,
            tstp: signal(SignalKind::from_raw(nix::libc::SIGTSTP))?,
        })
    }
}

fn draw(term: &mut Term, app: &App) -> Result<()> {
    term.draw(|f| ui::draw(app, f))
        .map(|_| ())
        .map_err(|e| Error::io("cannot draw", e))
}

async fn event_loop(
    term: &mut Term,
    app: &mut App,
    start: PathBuf,
    mut signals: Signals,
) -> Result<()> {
    let (queue, mut task_rx) = Queue::new();
    let (tx, mut rx) = mpsc::unbounded_channel::<Action>();
    let (in_tx, mut in_rx) = mpsc::unbounded_channel::<Action>();
    let stop_input = Arc::new(AtomicBool::new(false));
    spawn_input(in_tx, stop_input.clone());
    let mut tick = tokio::time::interval(Duration::from_millis(250));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
    let mut poll = tokio::time::interval(Duration::from_secs(1));
    poll.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);

    let mut rt = Runtime {
        start,
        env: None,
        queue,
        tx,
        running: None,
        refresh_in_flight: false,
        refresh_pending: false,
        seen: Arc::new(AtomicU64::new(0)),
    };
    // Detection and doctor fill in after the first frame.
    rt.handle(app, Action::Refresh);

    let mut dirty = true;
    // Input is answered at once: the frame cap is for bursts of task output, not for
    // the keys a user is waiting on.
    let mut input_pending = false;
    let mut last_draw = Instant::now();
    let mut quit_since: Option<Instant> = None;
    loop {
        if app.quit {
            let since = *quit_since.get_or_insert_with(Instant::now);
            if rt.running.is_none() || since.elapsed() >= QUIT_GRACE {
                break;
            }
        }
        if dirty && (input_pending || last_draw.elapsed() >= FRAME) {
            draw(term, app)?;
            dirty = false;
            input_pending = false;
            last_draw = Instant::now();
        }
        let next_frame = tokio::time::Instant::from_std(last_draw + FRAME);
        let quit_check = tokio::time::Instant::now() + Duration::from_millis(100);
        tokio::select! {
            biased;
            Some(a) = in_rx.recv() => {
                if is_suspend_key(&a) {
                    terminal::suspend(term).map_err(|e| Error::io("cannot resume the terminal", e))?;
                } else {
                    rt.handle(app, a);
                }
                dirty = true;
                input_pending = true;
            }
            _ = signals.tstp.recv() => {
                terminal::suspend(term).map_err(|e| Error::io("cannot resume the terminal", e))?;
                dirty = true;
            }
            _ = signals.quit.recv() => {
                rt.handle(app, Action::Signal(nix::libc::SIGQUIT));
                dirty = true;
            }
            _ = signals.usr1.recv() => {
                rt.handle(app, Action::Signal(nix::libc::SIGUSR1));
                dirty = true;
            }
            _ = signals.term.recv() => {
                rt.handle(app, Action::Signal(15));
                dirty = true;
            }
            _ = signals.hup.recv() => {
                rt.handle(app, Action::Signal(1));
                dirty = true;
            }
            _ = signals.int.recv() => {
                rt.handle(app, Action::Signal(2));
                dirty = true;
            }
            _ = tokio::time::sleep_until(next_frame), if dirty => {}
            Some(ev) = task_rx.recv() => {
                rt.handle(app, Action::Task(ev));
                for _ in 0..BURST {
                    match task_rx.try_recv() {
                        Ok(ev) => rt.handle(app, Action::Task(ev)),
                        Err(_) => break,
                    }
                }
                dirty = true;
            }
            Some(a) = rx.recv() => {
                rt.handle(app, a);
                dirty = true;
            }
            _ = tick.tick() => {
                rt.handle(app, Action::Tick);
                dirty |= app.animating();
            }
            _ = poll.tick() => {
                if !rt.refresh_in_flight {
                    let now = data::fingerprint(&data::watched_paths(&rt.start));
                    if now != rt.seen.load(Ordering::SeqCst) {
                        rt.handle(app, Action::FilesChanged);
                        dirty = true;
                    }
                }
            }
            _ = tokio::time::sleep_until(quit_check), if app.quit => {}
        }
    }
    stop_input.store(true, Ordering::SeqCst);
    Ok(())
}
