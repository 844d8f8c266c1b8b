//! Drawing: pure functions of the [`App`]. This is the frame (the layout, the title
//! bar, the tab bar, the footer, and what panes and overlays share to draw); each
//! pane's view is in `pane/`, each overlay's in its folder under `overlay/`. Nothing
//! here changes state; `update` asks [`areas`] and [`max_scroll`] the same questions the
//! drawing answers, so a mouse click or a scroll lands where the user sees it.
//!
//! Two layouts: the dashboard (title bar, Backend and Tools on the left, Health on the
//! right, Log below, footer) and, on small terminals (under 60×16), one pane at a time
//! under a tab bar. `z` zooms the focused pane in either.

pub mod wrap;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};

use super::app::{App, Pane};
use super::keys;
use super::overlay;
use super::pane::{backend, health, log, tools};
use super::theme::{Mark, Theme};

/// Below this the dashboard does not fit: one pane at a time.
pub const COMPACT_WIDTH: u16 = 60;
pub const COMPACT_HEIGHT: u16 = 16;

/// Where everything goes for a given terminal size.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Areas {
    pub title: Option<Rect>,
    pub tabs: Option<Rect>,
    pub panes: Vec<(Pane, Rect)>,
    pub footer: Rect,
    /// Everything between the top bar and the footer.
    pub body: Rect,
}

impl Areas {
    pub fn pane_at(&self, x: u16, y: u16) -> Option<Pane> {
        let p = ratatui::layout::Position::new(x, y);
        if let Some(t) = self.tabs
            && t.contains(p)
        {
            return tab_ranges(t.x)
                .into_iter()
                .find(|(_, a, b)| (*a..*b).contains(&x))
                .map(|(pane, _, _)| pane);
        }
        self.panes
            .iter()
            .find(|(_, r)| r.contains(p))
            .map(|(pane, _)| *pane)
    }
}

pub fn is_compact(area: Rect) -> bool {
    area.width < COMPACT_WIDTH || area.height < COMPACT_HEIGHT
}

pub fn areas(area: Rect, app: &App) -> Areas {
    let [top, body, footer] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(1),
    ])
    .areas(area);
    if is_compact(area) {
        return Areas {
            title: None,
            tabs: Some(top),
            panes: vec![(app.focus, body)],
            footer,
            body,
        };
    }
    if app.zoom {
        return Areas {
            title: Some(top),
            tabs: None,
            panes: vec![(app.focus, body)],
            footer,
            body,
        };
    }
    // Until a task has written to the Log, the panes above get most of the room.
    let share = if app.log.is_empty() && app.job.is_none() {
        70
    } else {
        55
    };
    let top_h = (body.height * share / 100)
        .max(6)
        .min(body.height.saturating_sub(4));
    let [upper, log] =
        Layout::vertical([Constraint::Length(top_h), Constraint::Min(3)]).areas(body);
    let [left, right] =
        Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)]).areas(upper);
    let [backend, tools] =
        Layout::vertical([Constraint::Percentage(45), Constraint::Percentage(55)]).areas(left);
    Areas {
        title: Some(top),
        tabs: None,
        panes: vec![
            (Pane::Backend, backend),
            (Pane::Tools, tools),
            (Pane::Health, right),
            (Pane::Log, log),
        ],
        footer,
        body,
    }
}

/// Tabs of the compact layout: each pane's x range.
fn tab_ranges(x0: u16) -> Vec<(Pane, u16, u16)> {
    let mut x = x0;
    Pane::ALL
        .iter()
        .map(|p| {
            let w = p.title().len() as u16 + 2;
            let r = (*p, x, x + w);
            x += w + 1;
            r
        })
        .collect()
}

/// The inner area of `pane` as laid out now (the body when it is not shown).
pub fn pane_inner(app: &App, pane: Pane) -> Rect {
    let a = areas(Rect::new(0, 0, app.size.0, app.size.1), app);
    let r = a
        .panes
        .iter()
        .find(|(p, _)| *p == pane)
        .map(|(_, r)| *r)
        .unwrap_or(a.body);
    Block::bordered().inner(r)
}

/// How far the Backend or Tools pane can scroll at the current size.
pub fn max_scroll(app: &App, pane: Pane) -> u16 {
    let inner = pane_inner(app, pane);
    let lines = match pane {
        Pane::Backend => backend::lines(app),
        Pane::Tools => tools::lines(app),
        _ => return 0,
    };
    let rows = wrap::wrap_all(&lines, inner.width as usize, INDENT).len();
    rows.saturating_sub(inner.height as usize) as u16
}

/// Continuation rows of wrapped lines are indented this much.
pub const INDENT: usize = 2;

/// The whole screen.
pub fn draw(app: &App, f: &mut Frame) {
    let area = f.area();
    if area.width < 4 || area.height < 3 {
        return;
    }
    let a = areas(area, app);
    if let Some(t) = a.title {
        draw_title(app, f, t);
    }
    if let Some(t) = a.tabs {
        draw_tabs(app, f, t);
    }
    for (pane, r) in &a.panes {
        let focused = *pane == app.focus;
        match pane {
            Pane::Backend => backend::draw(app, f, *r, focused),
            Pane::Tools => tools::draw(app, f, *r, focused),
            Pane::Health => health::view::draw(app, f, *r, focused),
            Pane::Log => log::view::draw(app, f, *r, focused),
        }
    }
    draw_footer(app, f, a.footer);
    if let Some(o) = &app.overlay {
        // Each overlay shrinks this to its content (see `fit`) and clears under it.
        overlay::draw(app, o, f, overlay_area(area, a.footer));
    }
}

/// Overlays: centred on the dashboard, the whole screen above the footer when small.
pub fn overlay_area(area: Rect, footer: Rect) -> Rect {
    let above = Rect::new(area.x, area.y, area.width, footer.y.saturating_sub(area.y));
    if is_compact(area) {
        return above;
    }
    let w = above.width.saturating_sub(4).min(84);
    let h = above.height.saturating_sub(2).min(26);
    Rect::new(
        above.x + (above.width - w) / 2,
        above.y + (above.height - h) / 2,
        w,
        h,
    )
}

/// The part of `area` an overlay with `rows` rows of content (inside its border)
/// needs, centred vertically; cleared, ready to draw on.
pub fn fit(f: &mut Frame, area: Rect, rows: usize) -> Rect {
    let h = (rows as u16).saturating_add(2).min(area.height);
    let r = Rect::new(area.x, area.y + (area.height - h) / 2, area.width, h);
    f.render_widget(Clear, r);
    r
}

/// Rows `lines` take wrapped inside an overlay of `area` (its border excluded).
pub fn overlay_rows(area: Rect, lines: &[Line<'_>]) -> usize {
    wrap::wrap_all(lines, area.width.saturating_sub(2) as usize, INDENT).len()
}

/// A pane's frame: thick (or `#`/`=`) and bold when focused, so focus reads without
/// colour.
pub fn pane_block<'a>(app: &App, title: Line<'a>, focused: bool) -> Block<'a> {
    let t = &app.theme;
    Block::bordered()
        .border_set(t.border(focused))
        .title(title)
        .title_style(t.title_style(focused))
        .border_style(if focused && t.color {
            t.accent()
        } else {
            Style::default()
        })
}

/// An overlay's frame.
pub fn overlay_block<'a>(app: &App, title: String) -> Block<'a> {
    let t = &app.theme;
    Block::bordered()
        .border_set(t.border(true))
        .title(Line::from(format!(" {} ", t.text(&title))))
        .title_style(t.title_style(true))
        .border_style(if t.color {
            t.accent()
        } else {
            Style::default()
        })
}

/// A mark and its text as spans.
pub fn mark(t: &Theme, m: Mark) -> Span<'static> {
    Span::styled(t.mark_text(m), t.mark_style(m))
}

/// Renders `lines` wrapped into `area`, scrolled by `scroll` rows (clamped).
pub fn render_wrapped(f: &mut Frame, area: Rect, lines: &[Line<'_>], scroll: u16) {
    let rows = wrap::wrap_all(lines, area.width as usize, INDENT);
    let max = rows.len().saturating_sub(area.height as usize);
    let start = (scroll as usize).min(max);
    let shown: Vec<Line<'static>> = rows
        .into_iter()
        .skip(start)
        .take(area.height as usize)
        .collect();
    f.render_widget(Paragraph::new(shown), area);
}

/// Renders `lines` wrapped into `area`, scrolled just enough to show all of line
/// `focus` (the selected option of a small overlay).
pub fn render_focused(f: &mut Frame, area: Rect, lines: &[Line<'_>], focus: usize) {
    let mut rows: Vec<Line<'static>> = Vec::new();
    let mut focus_end = 0;
    for (i, l) in lines.iter().enumerate() {
        rows.extend(wrap::wrap(l, area.width as usize, INDENT));
        if i == focus {
            focus_end = rows.len();
        }
    }
    let h = area.height as usize;
    let start = focus_end.saturating_sub(h);
    let shown: Vec<Line<'static>> = rows.into_iter().skip(start).take(h).collect();
    f.render_widget(Paragraph::new(shown), area);
}

/// What the running job is doing, for the title bar and the tab bar.
fn activity(app: &App) -> Line<'static> {
    let t = &app.theme;
    if let Some(j) = &app.job {
        let mut s = format!("{} {}", t.spinner(app.tick), t.text(&j.title));
        if j.cancelling {
            s.push_str(" (cancelling)");
        } else if let Some((done, total)) = j.progress {
            if j.kind == super::app::JobKind::Bootstrap {
                if let Some(pct) = (done.min(total) * 100).checked_div(total) {
                    s.push_str(&format!(" {pct}%"));
                }
            } else {
                s.push_str(&format!(" ({done}/{total})"));
            }
        }
        return Line::styled(s, t.accent());
    }
    if app.refreshing {
        return Line::styled(format!("{} detecting", t.spinner(app.tick)), t.dim());
    }
    Line::styled("idle", t.dim())
}

fn draw_title(app: &App, f: &mut Frame, area: Rect) {
    let t = &app.theme;
    let act = activity(app);
    let aw = act.width() as u16 + 1;
    let [left, right] = Layout::horizontal([
        Constraint::Min(0),
        Constraint::Length(aw.min(area.width / 2)),
    ])
    .areas(area);
    let mut spans = vec![Span::styled(" pyve ", t.bold())];
    if let Some(s) = &app.snapshot {
        spans.push(Span::raw(t.text(&s.project_root).into_owned()));
        if let Some(d) = &s.detection {
            spans.push(Span::styled(format!(" {} ", t.dash()), t.dim()));
            spans.push(Span::raw(t.text(&d.summary()).into_owned()));
        }
    }
    f.render_widget(Paragraph::new(Line::from(spans)), left);
    f.render_widget(Paragraph::new(act).right_aligned(), right);
}

fn draw_tabs(app: &App, f: &mut Frame, area: Rect) {
    let t = &app.theme;
    let mut spans = Vec::new();
    for (i, p) in Pane::ALL.iter().enumerate() {
        if i > 0 {
            spans.push(Span::styled("|", t.dim()));
        }
        if *p == app.focus {
            spans.push(Span::styled(format!("[{}]", p.title()), t.selected()));
        } else {
            spans.push(Span::raw(format!(" {} ", p.title())));
        }
    }
    f.render_widget(Paragraph::new(Line::from(spans)), area);
    if app.job.is_some() || app.refreshing {
        let act = Span::styled(t.spinner(app.tick), t.accent());
        let r = Rect::new(area.right().saturating_sub(2), area.y, 1, 1);
        if r.x > tab_ranges(area.x).last().map(|x| x.2).unwrap_or(0) {
            f.render_widget(Paragraph::new(act), r);
        }
    }
}

fn draw_footer(app: &App, f: &mut Frame, area: Rect) {
    let t = &app.theme;
    if let Some(s) = &app.status {
        let line = Line::from(vec![
            Span::raw(" "),
            mark(t, Mark::Info),
            Span::raw(" "),
            Span::raw(t.text(&s.text).into_owned()),
        ]);
        f.render_widget(Paragraph::new(line), area);
        return;
    }
    let mut spans = vec![Span::raw(" ")];
    for (k, d) in keys::footer(app) {
        spans.push(Span::styled(k, t.key()));
        spans.push(Span::raw(format!(" {d}  ")));
    }
    f.render_widget(Paragraph::new(Line::from(spans)), area);
}
