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
use ratatui::widgets::{Block, Clear, Padding, Paragraph};

use super::app::{App, Pane};
use super::keys;
use super::overlay;
use super::pane::{backend, health, log, tools};
use super::summary;
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

/// Below this many rows for Backend and Tools together, an unfocused Backend pane is one
/// summary line: the title bar carries its two facts already (the decision, the env's
/// state), and Tools gets the rows.
const LEFT_COLUMN_FOR_BOTH: u16 = 14;

/// The Backend pane is one summary line (see [`LEFT_COLUMN_FOR_BOTH`]).
pub fn backend_collapsed(app: &App, left_height: u16) -> bool {
    left_height < LEFT_COLUMN_FOR_BOTH && app.focus != Pane::Backend
}

/// The dashboard's Log is one summary line: nothing has run, and it is not focused.
pub fn log_collapsed(app: &App) -> bool {
    app.log.is_empty() && app.job.is_none() && app.focus != Pane::Log
}

pub fn is_compact(area: Rect) -> bool {
    area.width < COMPACT_WIDTH || area.height < COMPACT_HEIGHT
}

pub fn areas(area: Rect, app: &App) -> Areas {
    if is_compact(area) {
        // The title bar (the decision, the env's state, the problems) comes first; the
        // tab bar under it when there is room for a pane as well.
        let with_tabs = area.height >= 6;
        let rows = if with_tabs {
            vec![
                Constraint::Length(1),
                Constraint::Length(1),
                Constraint::Min(1),
                Constraint::Length(1),
            ]
        } else {
            vec![
                Constraint::Length(1),
                Constraint::Min(1),
                Constraint::Length(1),
            ]
        };
        let r = Layout::vertical(rows).split(area);
        let (tabs, body, footer) = if with_tabs {
            (Some(r[1]), r[2], r[3])
        } else {
            (None, r[1], r[2])
        };
        return Areas {
            title: Some(r[0]),
            tabs,
            panes: vec![(app.focus, body)],
            footer,
            body,
        };
    }
    let [top, body, footer] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(1),
    ])
    .areas(area);
    if app.zoom {
        return Areas {
            title: Some(top),
            tabs: None,
            panes: vec![(app.focus, body)],
            footer,
            body,
        };
    }
    // Until a task has written to it, the Log has nothing to show but how to start one:
    // unless it is focused, it collapses to that one line and the panes above get
    // every other row.
    // A Log with a few lines takes only the rows they need (and its border), so the
    // panes above are not cut for its empty rows; from 45% of the body on it scrolls.
    let top_h = if log_collapsed(app) {
        body.height.saturating_sub(1)
    } else {
        // (Empty and focused, it shows two lines of hints.)
        let log_needs = (app.log.len().max(2) as u16).saturating_add(2);
        (body.height * 55 / 100)
            .max(body.height.saturating_sub(log_needs))
            .max(6)
            .min(body.height.saturating_sub(3))
    };
    let [upper, log] =
        Layout::vertical([Constraint::Length(top_h), Constraint::Min(1)]).areas(body);
    let [left, right] =
        Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)]).areas(upper);
    let [backend, tools] = if backend_collapsed(app, left.height) {
        Layout::vertical([Constraint::Length(1), Constraint::Min(1)]).areas(left)
    } else {
        Layout::vertical([Constraint::Percentage(45), Constraint::Percentage(55)]).areas(left)
    };
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

/// Overlays: centred on the dashboard; when small, everything between the title bar
/// and the footer.
pub fn overlay_area(area: Rect, footer: Rect) -> Rect {
    let above = Rect::new(area.x, area.y, area.width, footer.y.saturating_sub(area.y));
    if is_compact(area) {
        // Under the title bar: the backend, the env's state and the problems stay in
        // view behind every overlay.
        let top = u16::from(above.height > 4);
        return Rect::new(above.x, above.y + top, above.width, above.height - top);
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
    let p = padding(area);
    let h = (rows as u16)
        .saturating_add(2 + p.top + p.bottom)
        .min(area.height);
    let r = Rect::new(area.x, area.y + (area.height - h) / 2, area.width, h);
    f.render_widget(Clear, r);
    r
}

/// Rows `lines` take wrapped inside an overlay of `area` (its border excluded).
pub fn overlay_rows(area: Rect, lines: &[Line<'_>]) -> usize {
    let p = padding(area);
    let w = area.width.saturating_sub(2 + p.left + p.right);
    wrap::wrap_all(lines, w as usize, INDENT).len()
}

/// The room inside a dialog's border: two columns and a row on each side when the
/// dialog has space for it, a column when it fills a small screen.
pub fn padding(area: Rect) -> Padding {
    if area.width >= 50 && area.height >= 12 {
        Padding::new(2, 2, 1, 1)
    } else {
        Padding::horizontal(1)
    }
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
    let full = Rect::new(0, 0, app.size.0, app.size.1);
    let area = overlay_area(full, areas(full, app).footer);
    Block::bordered()
        .padding(padding(area))
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

/// Renders `lines` wrapped into `area`, scrolled by `scroll` rows (clamped). When
/// rows are left below the view, the last row says how many (a cut list always says
/// how much more there is).
pub fn render_wrapped(f: &mut Frame, area: Rect, lines: &[Line<'_>], scroll: u16) {
    render_wrapped_more(f, area, lines, scroll, None);
}

/// [`render_wrapped`], with the theme to write the "more" mark in (and a hint of the
/// key that shows the rest).
pub fn render_wrapped_more(
    f: &mut Frame,
    area: Rect,
    lines: &[Line<'_>],
    scroll: u16,
    more: Option<(&Theme, &str)>,
) {
    let rows = wrap::wrap_all(lines, area.width as usize, INDENT);
    let h = area.height as usize;
    let max = rows.len().saturating_sub(h);
    let start = (scroll as usize).min(max);
    let total = rows.len();
    let mut shown: Vec<Line<'static>> = rows.into_iter().skip(start).take(h).collect();
    let below = total - start - shown.len();
    if let Some((t, hint)) = more
        && below > 0
        && h >= 2
    {
        shown.pop();
        shown.push(more_line(t, below + 1, "lines", hint));
    }
    f.render_widget(Paragraph::new(shown), area);
}

/// `… 6 more lines (z: all)`: what a cut list says about its rest.
pub fn more_line(t: &Theme, n: usize, what: &str, hint: &str) -> Line<'static> {
    let hint = if hint.is_empty() {
        String::new()
    } else {
        format!(" ({hint})")
    };
    Line::styled(format!("{} {n} more {what}{hint}", t.ellipsis()), t.dim())
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

/// What the running job is doing, for the title bar: the spinner, what runs, its
/// progress and how long it has run (`⠋ init .venv (1/2) 12s`); `short` keeps the
/// spinner, the progress and the time.
fn activity(app: &App, short: bool) -> Line<'static> {
    let t = &app.theme;
    if let Some(j) = &app.job {
        let mut s = t.spinner(app.tick).to_string();
        if !short {
            s.push(' ');
            s.push_str(&t.text(&j.title));
        }
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
        s.push_str(&format!(" {}", elapsed(j.elapsed_secs(app.tick))));
        return Line::styled(s, t.accent());
    }
    if app.refreshing {
        return Line::styled(
            if short {
                t.spinner(app.tick).to_string()
            } else {
                format!("{} detecting", t.spinner(app.tick))
            },
            t.dim(),
        );
    }
    Line::styled("idle", t.dim())
}

/// `12s`, `3m05s`.
pub fn elapsed(secs: u64) -> String {
    if secs < 60 {
        format!("{secs}s")
    } else {
        format!("{}m{:02}s", secs / 60, secs % 60)
    }
}

/// The title bar's left part at a level of detail: 0 says everything, each level
/// after drops the least important part (the project path, the word "pyve", why the
/// backend was chosen, the env's name, the problems in words).
fn title_facts(app: &App, level: u8) -> Line<'static> {
    let t = &app.theme;
    let mut spans: Vec<Span<'static>> = Vec::new();
    if level < 2 {
        spans.push(Span::styled(" pyve ", t.bold()));
    } else {
        spans.push(Span::raw(" "));
    }
    let Some(s) = &app.snapshot else {
        return Line::from(spans);
    };
    if level == 0 {
        spans.push(Span::raw(t.text(&s.project_root).into_owned()));
        spans.push(Span::styled(format!(" {} ", t.dash()), t.dim()));
    }
    let sep = || Span::styled(if t.unicode { " · " } else { " | " }, t.dim());
    // Several envs: which one the panes show comes first.
    if let Some(st) = s.status.as_ref().filter(|st| st.envs.len() > 1) {
        spans.push(Span::raw("env "));
        spans.push(Span::styled(
            t.text(&st.selected.name).into_owned(),
            t.bold(),
        ));
        spans.push(sep());
    }
    if let Some(d) = s.detection() {
        spans.push(Span::styled(d.backend.to_string(), t.bold()));
        if level < 3 {
            let full = d.summary();
            let why = full
                .split_once(" — ")
                .map(|(_, w)| w.to_string())
                .unwrap_or_default();
            if !why.is_empty() {
                spans.push(Span::raw(format!(" {}", t.text(&why))));
            }
        }
    } else if s.load_error.is_some() {
        spans.push(mark(t, Mark::Fail));
        spans.push(Span::raw(" invalid .pyve/config"));
    }
    if let Some(e) = summary::env(app) {
        spans.push(sep());
        if level < 4
            && let Some(v) = s.env()
        {
            spans.push(Span::raw(format!("{} ", t.text(&v.name))));
        }
        spans.push(mark(t, e.mark));
        spans.push(Span::styled(format!(" {}", e.state), t.mark_style(e.mark)));
    }
    let (fail, warn) = summary::problems(app);
    spans.push(sep());
    if fail == 0 && warn == 0 {
        spans.push(mark(t, Mark::Ok));
        spans.push(Span::raw(if level < 5 { " no problems" } else { "" }));
    } else if level < 5 {
        let mut words = Vec::new();
        if fail > 0 {
            words.push((Mark::Fail, format!("{fail} failing")));
        }
        if warn > 0 {
            words.push((
                Mark::Warn,
                format!("{warn} warning{}", if warn == 1 { "" } else { "s" }),
            ));
        }
        for (i, (m, w)) in words.into_iter().enumerate() {
            if i > 0 {
                spans.push(Span::raw(" "));
            }
            spans.push(mark(t, m));
            spans.push(Span::raw(format!(" {w}")));
        }
    } else {
        if fail > 0 {
            spans.push(mark(t, Mark::Fail));
            spans.push(Span::raw(format!("{fail}")));
        }
        if warn > 0 {
            if fail > 0 {
                spans.push(Span::raw(" "));
            }
            spans.push(mark(t, Mark::Warn));
            spans.push(Span::raw(format!("{warn}")));
        }
    }
    Line::from(spans)
}

/// The title bar: what matters most survives the narrowest terminal — the backend,
/// the env's state and the problems, then what runs.
fn draw_title(app: &App, f: &mut Frame, area: Rect) {
    let w = area.width as usize;
    // From everything to the least: the project path goes first, then the word
    // "pyve", then what runs shrinks to its spinner and time, then why the backend was
    // chosen, the env's name, the problems in words.
    const LEVELS: [(u8, bool); 7] = [
        (0, false),
        (1, false),
        (2, false),
        (2, true),
        (3, true),
        (4, true),
        (5, true),
    ];
    let mut chosen = None;
    for (level, short) in LEVELS {
        let left = title_facts(app, level);
        let act = activity(app, short);
        if left.width() + act.width() < w {
            chosen = Some((left, act));
            break;
        }
    }
    let (left, act) = chosen.unwrap_or_else(|| (title_facts(app, 5), activity(app, true)));
    let aw = (act.width() as u16 + 1).min(area.width);
    let [l, r] = Layout::horizontal([Constraint::Min(0), Constraint::Length(aw)]).areas(area);
    f.render_widget(Paragraph::new(left), l);
    f.render_widget(Paragraph::new(act).right_aligned(), r);
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
    if let Some(q) = app.log_search.as_ref().filter(|s| s.editing) {
        let line = Line::from(vec![
            Span::styled(" find in the Log: /", t.key()),
            Span::styled(t.text(&q.query).into_owned(), t.bold()),
            Span::styled(if t.unicode { "▏" } else { "_" }, t.accent()),
            Span::styled("  Enter find  Esc cancel", t.dim()),
        ]);
        f.render_widget(Paragraph::new(line), area);
        return;
    }
    let entries = fit_footer(&keys::footer(app), area.width as usize);
    let mut spans = vec![Span::raw(" ")];
    for (k, d) in entries {
        spans.push(Span::styled(k, t.key()));
        spans.push(Span::raw(format!(" {d}  ")));
    }
    f.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// The footer entries that fit in `width`, whole: the least important (the last)
/// go first, and `?` (help, which lists every key) stays while anything does.
pub fn fit_footer(
    entries: &[(&'static str, &'static str)],
    width: usize,
) -> Vec<(&'static str, &'static str)> {
    use unicode_width::UnicodeWidthStr;
    let cost = |(k, d): &(&str, &str)| k.width() + 1 + d.width() + 2;
    let help = entries.iter().position(|(k, _)| *k == "?");
    let mut budget = width.saturating_sub(1);
    if let Some(h) = help {
        budget = budget.saturating_sub(cost(&entries[h]));
    }
    let mut keep = vec![false; entries.len()];
    for (i, e) in entries.iter().enumerate() {
        if Some(i) == help {
            continue;
        }
        if cost(e) > budget {
            break;
        }
        budget -= cost(e);
        keep[i] = true;
    }
    if let Some(h) = help
        && width > cost(&entries[h])
    {
        keep[h] = true;
    }
    entries
        .iter()
        .zip(keep)
        .filter(|(_, k)| *k)
        .map(|(e, _)| *e)
        .collect()
}
