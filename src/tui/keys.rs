//! Key bindings as data. Each context has one table of [`Binding`]s: the dashboard's
//! [`GLOBAL`] keys here, the panes' (scrolling in `pane/mod.rs`, Health's and Log's in
//! their folders) and each overlay's in its `keys.rs`. Key matching walks the table
//! ([`lookup`]); the footer shows the entries of the bindings that apply now
//! ([`footer`]); Help lists every row ([`sections`]); docs/tui.md and the README carry
//! the same rows as markdown tables, and a test (`keys/tests.rs`) fails when they
//! differ. So the code, Help and the docs cannot disagree about a key.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::action::Action;
use super::app::{App, Pane};
use super::overlay;
use super::pane;

/// A key as a binding matches it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Key {
    /// This key, whatever the modifiers (Shift-g arrives as `G`; the TUI has never told
    /// Alt-q from q).
    Is(KeyCode),
    /// This letter in either case (`y` and `Y`).
    Letter(char),
    /// Ctrl and this letter.
    Ctrl(char),
}

impl Key {
    pub fn matches(self, k: &KeyEvent) -> bool {
        match self {
            Key::Is(code) => k.code == code,
            Key::Letter(c) => matches!(k.code, KeyCode::Char(x) if x.to_ascii_lowercase() == c),
            Key::Ctrl(c) => {
                k.modifiers.contains(KeyModifiers::CONTROL) && k.code == KeyCode::Char(c)
            }
        }
    }
}

/// `Key::Is(KeyCode::Char(c))`, for the tables.
pub const fn ch(c: char) -> Key {
    Key::Is(KeyCode::Char(c))
}

/// One row of a context's key table: the keys and what each does, how Help and the
/// docs write it, when it applies, and what the footer shows for it.
///
/// `C` is the context's command (what its update applies), `S` the state the
/// conditions look at besides the [`App`] (an overlay's own state; `()` on the
/// dashboard).
pub struct Binding<C: 'static, S: 'static = ()> {
    /// The keys, each with its command (most rows: one command for all). Empty for a
    /// row that documents input handled elsewhere (the mouse, a text field's editing).
    pub keys: &'static [(Key, C)],
    /// The keys as Help and the docs write them (`j / Down`).
    pub shown: &'static str,
    /// What they do, for Help and the docs.
    pub help: &'static str,
    /// When the keys act (the footer shows the row only then, too).
    pub when: fn(&App, &S) -> bool,
    /// The footer's entries for this row, each under its own condition.
    pub footer: &'static [Foot<S>],
}

/// A footer entry: short keys and a word (`j/k scroll`).
pub struct Foot<S: 'static = ()> {
    pub keys: &'static str,
    pub label: &'static str,
    /// The footer reads in this order (table order among equals): on the dashboard
    /// the footer puts what the focused pane adds before the keys that always work.
    pub order: u8,
    pub when: fn(&App, &S) -> bool,
}

impl<S> Foot<S> {
    pub const fn new(keys: &'static str, label: &'static str) -> Foot<S> {
        Foot {
            keys,
            label,
            order: 1,
            when: always,
        }
    }

    pub const fn at(mut self, order: u8) -> Foot<S> {
        self.order = order;
        self
    }

    pub const fn when(mut self, when: fn(&App, &S) -> bool) -> Foot<S> {
        self.when = when;
        self
    }
}

/// A condition that always holds.
pub fn always<S>(_: &App, _: &S) -> bool {
    true
}

/// The command of the first binding that applies and has `k`.
pub fn lookup<C, S>(
    table: &'static [Binding<C, S>],
    app: &App,
    state: &S,
    k: &KeyEvent,
) -> Option<&'static C> {
    table
        .iter()
        .filter(|b| (b.when)(app, state))
        .flat_map(|b| b.keys.iter())
        .find(|(key, _)| key.matches(k))
        .map(|(_, c)| c)
}

/// A footer entry as collected: its order, keys and word.
pub type FootEntry = (u8, &'static str, &'static str);

/// Adds the footer entries of `table`'s bindings that apply now.
pub fn foot_entries<C, S>(
    table: &'static [Binding<C, S>],
    app: &App,
    state: &S,
    out: &mut Vec<FootEntry>,
) {
    for b in table.iter().filter(|b| (b.when)(app, state)) {
        for f in b.footer.iter().filter(|f| (f.when)(app, state)) {
            out.push((f.order, f.keys, f.label));
        }
    }
}

/// The footer: the open overlay's keys, or the focused pane's and then the ones that
/// always work; Ctrl-C while a task runs.
pub fn footer(app: &App) -> Vec<(&'static str, &'static str)> {
    let mut v = Vec::new();
    foot_entries(GLOBAL, app, &(), &mut v);
    match &app.overlay {
        Some(o) => overlay::foot_entries(app, o, &mut v),
        None => {
            foot_entries(pane::bindings(app.focus), app, &(), &mut v);
            foot_entries(pane::SCROLLING, app, &(), &mut v);
        }
    }
    v.sort_by_key(|e| e.0);
    v.into_iter().map(|(_, k, l)| (k, l)).collect()
}

/// What a dashboard key means: an action, or one that depends on the terminal or the
/// zoom.
#[derive(Clone, Debug)]
pub enum Cmd {
    Act(Action),
    /// Half the terminal down / up.
    PageDown,
    PageUp,
    /// Esc: back from a zoom (nothing when not zoomed).
    Unzoom,
}

use Cmd::Act;

/// No overlay is open: the dashboard has the keys.
pub fn on_dashboard(app: &App, _: &()) -> bool {
    app.overlay.is_none()
}

fn running_on_dashboard(app: &App, _: &()) -> bool {
    app.job.is_some() && app.overlay.is_none()
}

fn running_in_overlay(app: &App, _: &()) -> bool {
    app.job.is_some() && app.overlay.is_some()
}

/// The footer offers the Bootstrap wizard when the project needs micromamba and it
/// is missing (the key works always).
fn needs_micromamba(app: &App, _: &()) -> bool {
    app.snapshot.as_ref().is_some_and(|s| {
        s.backend() == Some(pyve_core::engine::BackendKind::Micromamba)
            && s.setup.as_ref().is_some_and(|d| !d.micromamba_found)
    })
}

/// The footer offers env switching when the project has several envs.
fn several_envs(app: &App, _: &()) -> bool {
    app.snapshot
        .as_ref()
        .and_then(|s| s.status.as_ref())
        .is_some_and(|s| s.envs.len() > 1)
}

/// The footer offers purge when there is something to purge.
fn purgeable(app: &App, _: &()) -> bool {
    app.snapshot.as_ref().is_some_and(|s| s.purgeable)
}

/// The dashboard key that does `is` (`i` for the Setup wizard), as Help writes it: what
/// a message names when it points at a wizard.
pub fn key_for(is: fn(&Action) -> bool) -> &'static str {
    GLOBAL
        .iter()
        .find(|b| b.keys.iter().any(|(_, c)| matches!(c, Act(a) if is(a))))
        .map_or("", |b| b.shown)
}

/// The dashboard's keys that work whichever pane is focused; Ctrl-C works everywhere.
pub const GLOBAL: &[Binding<Cmd>] = &[
    Binding {
        keys: &[
            (Key::Is(KeyCode::Tab), Act(Action::FocusNext)),
            (Key::Is(KeyCode::BackTab), Act(Action::FocusPrev)),
        ],
        shown: "Tab / Shift-Tab",
        help: "focus the next / previous pane",
        when: on_dashboard,
        footer: &[Foot::new("Tab", "pane").at(5)],
    },
    Binding {
        keys: &[
            (ch('1'), Act(Action::Focus(Pane::Backend))),
            (ch('2'), Act(Action::Focus(Pane::Tools))),
            (ch('3'), Act(Action::Focus(Pane::Health))),
            (ch('4'), Act(Action::Focus(Pane::Log))),
        ],
        shown: "1 2 3 4",
        help: "focus Backend, Tools, Health, Log",
        when: on_dashboard,
        footer: &[],
    },
    Binding {
        // update's on_mouse: a click focuses, the wheel scrolls.
        keys: &[],
        shown: "mouse click",
        help: "focus the pane under the pointer (wheel scrolls it)",
        when: on_dashboard,
        footer: &[],
    },
    Binding {
        keys: &[
            (ch('z'), Act(Action::ToggleZoom)),
            (Key::Is(KeyCode::Esc), Cmd::Unzoom),
        ],
        shown: "z",
        help: "zoom the focused pane to the whole screen, and back (Esc too)",
        when: on_dashboard,
        footer: &[],
    },
    Binding {
        keys: &[(ch('i'), Act(Action::OpenSetup))],
        shown: "i",
        help: "Setup wizard: choose backend, name, python or channels, then run init",
        when: on_dashboard,
        footer: &[Foot::new("i", "setup").at(6)],
    },
    Binding {
        keys: &[(ch('b'), Act(Action::OpenBootstrap))],
        shown: "b",
        help: "Bootstrap wizard: install micromamba",
        when: on_dashboard,
        footer: &[Foot::new("b", "bootstrap").at(7).when(needs_micromamba)],
    },
    Binding {
        keys: &[
            (ch('r'), Act(Action::OpenRun)),
            (ch(':'), Act(Action::OpenRun)),
        ],
        shown: "r or :",
        help: "Run prompt: run a command in the env, output to Log",
        when: on_dashboard,
        footer: &[Foot::new("r", "run").at(8)],
    },
    Binding {
        keys: &[
            (ch(']'), Act(Action::NextEnv)),
            (ch('['), Act(Action::PrevEnv)),
        ],
        shown: "] / [",
        help: "show the project's next / previous env (and act on it)",
        when: on_dashboard,
        footer: &[Foot::new("]", "env").at(8).when(several_envs)],
    },
    Binding {
        keys: &[(ch('p'), Act(Action::OpenPurge))],
        shown: "p",
        help: "Purge: remove what pyve created here (asks first)",
        when: on_dashboard,
        footer: &[Foot::new("p", "purge").at(9).when(purgeable)],
    },
    Binding {
        keys: &[
            (ch('R'), Act(Action::Refresh)),
            (Key::Is(KeyCode::F(5)), Act(Action::Refresh)),
        ],
        shown: "R or F5",
        help: "refresh detection and health now",
        when: on_dashboard,
        footer: &[],
    },
    Binding {
        keys: &[(Key::Ctrl('c'), Act(Action::Cancel))],
        shown: "Ctrl-C",
        help: "cancel the running task (its whole process group)",
        when: always,
        footer: &[
            Foot::new("Ctrl-C", "cancel")
                .at(0)
                .when(running_on_dashboard),
            Foot::new("Ctrl-C", "cancel task")
                .at(10)
                .when(running_in_overlay),
        ],
    },
    Binding {
        keys: &[(ch('?'), Act(Action::OpenHelp))],
        shown: "?",
        help: "Help: every key",
        when: on_dashboard,
        footer: &[Foot::new("?", "help").at(3)],
    },
    Binding {
        keys: &[(ch('q'), Act(Action::Quit))],
        shown: "q",
        help: "quit (asks first while a task runs)",
        when: on_dashboard,
        footer: &[Foot::new("q", "quit").at(4)],
    },
];

/// A table's rows as Help and the docs list them: (keys, what they do).
pub fn rows<C, S>(table: &'static [Binding<C, S>]) -> Vec<(&'static str, &'static str)> {
    table.iter().map(|b| (b.shown, b.help)).collect()
}

/// A titled part of Help and of the docs' key tables.
pub struct Section {
    pub title: &'static str,
    pub rows: Vec<(&'static str, &'static str)>,
}

/// Every table, in Help's order. The first four are the dashboard's.
pub fn sections() -> Vec<Section> {
    let s = |title, rows| Section { title, rows };
    vec![
        s("Everywhere", rows(GLOBAL)),
        s("Scrolling (focused pane)", rows(pane::SCROLLING)),
        s("Health pane", rows(pane::health::keys::BINDINGS)),
        s("Log pane", rows(pane::log::keys::BINDINGS)),
        s("Setup wizard", rows(overlay::setup::keys::BINDINGS)),
        s("Bootstrap wizard", rows(overlay::bootstrap::keys::BINDINGS)),
        s("Run prompt", rows(overlay::run::keys::BINDINGS)),
        s("Purge confirmation", rows(overlay::purge::keys::BINDINGS)),
        s("Fix plan", rows(overlay::fix::keys::BINDINGS)),
        s("Quit confirmation", rows(overlay::quit::keys::BINDINGS)),
        s("Help", rows(overlay::help::keys::BINDINGS)),
    ]
}

#[cfg(test)]
mod tests;
