//! The dashboard's panes: Backend and Tools (views over the snapshot), Health (the
//! checks; Enter runs a fix) and Log (the ring). This module is what they share: the
//! scrolling keys, scrolling the focused pane, and keeping each scroll in range after a
//! change.

pub mod backend;
pub mod health;
pub mod log;
pub mod tools;

#[cfg(test)]
mod tests;

use crossterm::event::KeyCode;

use super::action::Action;
use super::app::{App, Pane};
use super::keys::{Binding, Cmd, Foot, Key, ch, on_dashboard};
use super::ui;

/// The focused pane's own keys (Backend and Tools have none besides scrolling).
pub fn bindings(focus: Pane) -> &'static [Binding<Cmd>] {
    match focus {
        Pane::Health => health::keys::BINDINGS,
        Pane::Log => log::keys::BINDINGS,
        Pane::Backend | Pane::Tools => &[],
    }
}

fn on_health(app: &App, _: &()) -> bool {
    app.focus == Pane::Health
}

fn not_on_health(app: &App, _: &()) -> bool {
    app.focus != Pane::Health
}

/// Scrolling the focused pane (after its own keys: Log's `G` is its own).
pub const SCROLLING: &[Binding<Cmd>] = &[
    Binding {
        keys: &[
            (ch('j'), Cmd::Act(Action::ScrollDown(1))),
            (Key::Is(KeyCode::Down), Cmd::Act(Action::ScrollDown(1))),
        ],
        shown: "j / Down",
        help: "scroll down (Health: next check)",
        when: on_dashboard,
        footer: &[
            Foot::new("j/k", "scroll").when(not_on_health),
            Foot::new("j/k", "select").when(on_health),
        ],
    },
    Binding {
        keys: &[
            (ch('k'), Cmd::Act(Action::ScrollUp(1))),
            (Key::Is(KeyCode::Up), Cmd::Act(Action::ScrollUp(1))),
        ],
        shown: "k / Up",
        help: "scroll up (Health: previous check)",
        when: on_dashboard,
        footer: &[],
    },
    Binding {
        keys: &[
            (ch('g'), Cmd::Act(Action::ScrollTop)),
            (Key::Is(KeyCode::Home), Cmd::Act(Action::ScrollTop)),
        ],
        shown: "g / Home",
        help: "top",
        when: on_dashboard,
        footer: &[],
    },
    Binding {
        keys: &[
            (ch('G'), Cmd::Act(Action::ScrollBottom)),
            (Key::Is(KeyCode::End), Cmd::Act(Action::ScrollBottom)),
        ],
        shown: "G / End",
        help: "bottom (Log: and follow again)",
        when: on_dashboard,
        footer: &[],
    },
    Binding {
        keys: &[
            (Key::Is(KeyCode::PageDown), Cmd::PageDown),
            (Key::Ctrl('d'), Cmd::PageDown),
        ],
        shown: "PgDn / Ctrl-d",
        help: "a page down",
        when: on_dashboard,
        footer: &[],
    },
    Binding {
        keys: &[
            (Key::Is(KeyCode::PageUp), Cmd::PageUp),
            (Key::Ctrl('u'), Cmd::PageUp),
        ],
        shown: "PgUp / Ctrl-u",
        help: "a page up",
        when: on_dashboard,
        footer: &[],
    },
];

/// What the navigation actions do to the panes: focus, zoom, scroll, follow. Other
/// actions are not the panes' (`update` sends only these).
/// A pane collapsed to one line: its title, what it would say in short, and the key
/// that focuses (and so expands) it.
pub fn draw_collapsed(
    app: &App,
    f: &mut ratatui::Frame,
    area: ratatui::layout::Rect,
    (pane, summary): (Pane, &str),
) {
    use ratatui::text::{Line, Span};
    let t = &app.theme;
    let n = Pane::ALL.iter().position(|p| *p == pane).unwrap_or(0) + 1;
    let line = Line::from(vec![
        Span::styled(format!(" {} ", pane.title()), t.bold()),
        Span::styled(
            format!("{} {} ({n} focuses it)", t.dash(), t.text(summary)),
            t.dim(),
        ),
    ]);
    f.render_widget(ratatui::widgets::Paragraph::new(line), area);
}

/// A pane of wrapped text (Backend, Tools): its block, its lines from `scroll` on, and
/// the "more" mark with the keys that scroll and zoom it when focused.
pub fn draw_text_pane(
    app: &App,
    f: &mut ratatui::Frame,
    area: ratatui::layout::Rect,
    focused: bool,
    (pane, lines, scroll): (Pane, &[ratatui::text::Line<'static>], u16),
) {
    let block = ui::pane_block(
        app,
        ratatui::text::Line::from(format!(" {} ", pane.title())),
        focused,
    );
    let inner = block.inner(area);
    f.render_widget(block, area);
    let hint = match (focused, app.zoom) {
        (true, false) => "j/k, z zooms",
        (true, true) => "j/k",
        (false, _) => "",
    };
    ui::render_wrapped_more(f, inner, lines, scroll, Some((&app.theme, hint)));
}

pub fn navigate(app: &mut App, action: Action) {
    match action {
        Action::FocusNext => app.focus = app.focus.next(),
        Action::FocusPrev => app.focus = app.focus.prev(),
        Action::Focus(p) => app.focus = p,
        Action::ToggleZoom => {
            app.zoom = !app.zoom;
            clamp_scrolls(app);
        }
        Action::ScrollUp(n) => scroll(app, -(n as isize)),
        Action::ScrollDown(n) => scroll(app, n as isize),
        Action::ScrollTop => scroll(app, isize::MIN / 2),
        Action::ScrollBottom => scroll(app, isize::MAX / 2),
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
        }
        _ => {}
    }
}

/// Scrolls the focused pane by `delta` rows (Health: moves the selection).
pub fn scroll(app: &mut App, delta: isize) {
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
                // The user chose: refreshes keep this check selected.
                app.health_pinned = app
                    .snapshot
                    .as_ref()
                    .and_then(|s| s.doctor.checks.get(app.health_selected))
                    .map(|c| c.id);
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

/// Keeps every scroll and the Health selection in range (after a resize, a zoom, a
/// refresh).
pub fn clamp_scrolls(app: &mut App) {
    app.backend_scroll = app.backend_scroll.min(ui::max_scroll(app, Pane::Backend));
    app.tools_scroll = app.tools_scroll.min(ui::max_scroll(app, Pane::Tools));
    let n = app
        .snapshot
        .as_ref()
        .map(|s| s.doctor.checks.len())
        .unwrap_or(0);
    app.health_selected = app.health_selected.min(n.saturating_sub(1));
}

/// After a refresh: the check the user selected stays selected (found by what it
/// checks, as the list may change); until the user chooses, the first problem is.
pub fn health_reselect(app: &mut App) {
    let pinned = app.health_pinned.and_then(|id| {
        app.snapshot
            .as_ref()
            .and_then(|s| s.doctor.checks.iter().position(|c| c.id == id))
    });
    app.health_selected = pinned.unwrap_or_else(|| crate::tui::summary::first_problem(app));
}
