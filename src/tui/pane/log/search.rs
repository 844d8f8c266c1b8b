//! Finding lines in the Log: `/` and a text (case-insensitive), `n` for the next match
//! up (older), `N` back down (newer), and `e` for the next error up (a failed task's
//! header, an error line, output that says "error"). A match is brought to the bottom
//! of the view and marked; follow mode goes off, as when scrolling up. All of it is
//! pure: `update` calls these on the [`App`].

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::tui::app::App;
use crate::tui::log::{LineKind, LogLine};
use pyve_core::tasks::Outcome;

/// The Log's search: the text, and whether it is still being typed (in the footer).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LogSearch {
    pub query: String,
    pub editing: bool,
}

/// Which way to look from the line at the bottom of the view.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Toward {
    Older,
    Newer,
}

fn matches_text(l: &LogLine, needle: &str) -> bool {
    let hay = match &l.kind {
        LineKind::Header { title, command, .. } => {
            format!("{title} {}", command.as_deref().unwrap_or(""))
        }
        _ => l.text.clone(),
    };
    hay.to_lowercase().contains(needle)
}

/// A line that reports an error.
pub fn is_error(l: &LogLine) -> bool {
    match &l.kind {
        LineKind::Error => true,
        LineKind::Header {
            end: Some((Outcome::Failed(_), _)),
            ..
        } => true,
        LineKind::Stdout | LineKind::Stderr => {
            let t = &l.text;
            t.contains("error") || t.contains("Error") || t.contains("ERROR")
        }
        _ => false,
    }
}

/// The index of the line at the bottom of the view.
fn bottom(app: &App) -> usize {
    let len = app.log.len();
    len.saturating_sub(1) - app.log_scroll.min(len.saturating_sub(1))
}

/// The first line from the view's bottom `toward` that `hit` (the bottom line itself
/// counts when `inclusive`), wrapping around at the end of the ring.
fn find(
    app: &App,
    toward: Toward,
    inclusive: bool,
    hit: &dyn Fn(&LogLine) -> bool,
) -> Option<usize> {
    let len = app.log.len();
    if len == 0 {
        return None;
    }
    let b = bottom(app);
    let at = |i: usize| app.log.get(i).is_some_and(hit);
    let order: Vec<usize> = match toward {
        Toward::Older => {
            let first = if inclusive { b + 1 } else { b };
            (0..first).rev().chain(((first)..len).rev()).collect()
        }
        Toward::Newer => {
            let first = if inclusive { b } else { b + 1 };
            (first..len).chain(0..first).collect()
        }
    };
    order.into_iter().find(|&i| at(i))
}

/// Brings line `i` to the bottom of the view and marks it.
fn show(app: &mut App, i: usize) {
    app.log_scroll = app.log.len() - 1 - i;
    app.follow = false;
    app.log_found = Some(app.log.next_seq() - app.log.len() as u64 + i as u64);
}

/// `/`: type a text to find (in the footer).
pub fn start(app: &mut App) {
    app.log_search = Some(LogSearch {
        query: String::new(),
        editing: true,
    });
}

/// The next match of the search, `toward` older or newer lines.
pub fn next_match(app: &mut App, toward: Toward, inclusive: bool) {
    let Some(q) = app.log_search.as_ref().map(|s| s.query.to_lowercase()) else {
        app.set_status("/ finds a text in the Log");
        return;
    };
    if q.is_empty() {
        app.log_search = None;
        return;
    }
    match find(app, toward, inclusive, &|l| matches_text(l, &q)) {
        Some(i) => {
            show(app, i);
            let n = (0..app.log.len())
                .filter(|&j| app.log.get(j).is_some_and(|l| matches_text(l, &q)))
                .count();
            app.set_status(format!("`{q}`: {n} lines match (n older, N newer)"));
        }
        None => app.set_status(format!("no line of the Log has `{q}`")),
    }
}

/// `e`: the next error up from the view's bottom (wrapping to the newest).
pub fn next_error(app: &mut App) {
    match find(app, Toward::Older, false, &is_error) {
        Some(i) => {
            show(app, i);
            app.set_status("an error (e: the one before; G: back to the newest line)");
        }
        None => app.set_status("no errors in the Log"),
    }
}

/// A key while the search text is typed: letters add to it, Backspace removes,
/// Enter finds, Esc gives up. True when the key was the search's.
pub fn on_key(app: &mut App, k: &KeyEvent) -> bool {
    let Some(s) = app.log_search.as_mut().filter(|s| s.editing) else {
        return false;
    };
    if k.modifiers.contains(KeyModifiers::CONTROL) {
        // Ctrl-C still cancels the task.
        return false;
    }
    match k.code {
        KeyCode::Char(c) => s.query.push(c),
        KeyCode::Backspace => {
            s.query.pop();
        }
        KeyCode::Enter => {
            s.editing = false;
            next_match(app, Toward::Older, true);
        }
        KeyCode::Esc => app.log_search = None,
        _ => {}
    }
    true
}
