//! The Log pane: the running and past tasks' output, newest at the bottom. Only the
//! lines in view are wrapped and drawn, so a ring of 10,000 lines costs a screenful
//! per frame. Task headers carry their outcome and duration once finished.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::tui::app::{App, Pane};
use crate::tui::log::{DEFAULT_CAPACITY, LineKind, LogLine};
use crate::tui::theme::Mark;
use crate::tui::ui::{mark, pane_block, wrap};
use pyve_core::tasks::Outcome;

/// Rows of a wrapped log line after the first are indented this much.
const LOG_INDENT: usize = 4;

/// A log line as the pane draws it: a header per task at the left (its mark, what it
/// is, how it ended and after how long, the command it is the same as), its steps
/// indented under it, their command lines and output further in; a progress line
/// with a gauge.
pub fn line_for(app: &App, l: &LogLine) -> Line<'static> {
    let t = &app.theme;
    let text = t.text(&l.text).into_owned();
    let step = if t.unicode { "»" } else { ">>" };
    match &l.kind {
        LineKind::Header {
            title,
            command,
            end,
        } => {
            let title = t.text(title).into_owned();
            let (m, what) = match end {
                None => (Mark::Running, "running".to_string()),
                Some((outcome, d)) => {
                    let secs = format!("{:.1}s", d.as_secs_f64());
                    match outcome {
                        Outcome::Succeeded => (Mark::Ok, format!("succeeded in {secs}")),
                        Outcome::Failed(_) => (Mark::Fail, format!("failed after {secs}")),
                        Outcome::Cancelled => (Mark::Cancelled, format!("cancelled after {secs}")),
                    }
                }
            };
            let mut spans = vec![
                mark(t, m),
                Span::styled(format!(" {title} {} {what}", t.dash()), t.bold()),
            ];
            if let Some(c) = command {
                spans.push(Span::styled(format!("   $ {}", t.text(c)), t.dim()));
            }
            Line::from(spans)
        }
        LineKind::Blank => Line::raw(""),
        LineKind::Step => Line::styled(format!("  {step} {text}"), t.accent()),
        LineKind::Command => Line::styled(format!("    $ {text}"), t.dim()),
        LineKind::Stdout | LineKind::Stderr if l.progress.is_some() => {
            let pct = l.progress.unwrap_or(0) as u64 / 10;
            Line::from(vec![
                Span::raw(format!(
                    "    {} ",
                    t.text(&crate::tui::log::without_bar(&l.text))
                )),
                Span::styled(t.bar(pct, 100, 20), t.accent()),
                Span::raw(format!(" {pct:>3}%")),
            ])
        }
        // Output that reports an error stands out (what `e` jumps to); other stderr is
        // dimmed.
        LineKind::Stdout | LineKind::Stderr if crate::tui::pane::log::search::is_error(l) => {
            Line::styled(format!("    {text}"), t.error())
        }
        LineKind::Stdout => Line::raw(format!("    {text}")),
        LineKind::Stderr => Line::styled(format!("    {text}"), t.dim()),
        LineKind::Info => Line::raw(format!("  {text}")),
        LineKind::Warn => Line::from(vec![
            Span::raw("  "),
            mark(t, Mark::Warn),
            Span::styled(format!(" {text}"), t.warn()),
        ]),
        LineKind::Error => Line::from(vec![
            Span::raw("  "),
            mark(t, Mark::Fail),
            Span::styled(format!(" {text}"), t.error()),
        ]),
        LineKind::Success => Line::from(vec![
            Span::raw("  "),
            mark(t, Mark::Ok),
            Span::raw(format!(" {text}")),
        ]),
    }
}

/// The rows in view: walk up from the last line shown until the view is full.
/// The rows in view: walk up from the last line shown until the view is full. The
/// header of the task whose output is at the top stays on the top row (as a CI log
/// keeps a step's title in view), so a screenful of output always says whose it is.
pub fn visible_rows(app: &App, width: u16, height: u16) -> Vec<Line<'static>> {
    let len = app.log.len();
    if len == 0 || height == 0 {
        return vec![];
    }
    let bottom = len - 1 - app.log_scroll.min(len - 1);
    let (rows, top) = rows_up_from(app, bottom, width, height as usize);
    if height < 3 || rows.len() < height as usize {
        return rows;
    }
    // The header above the top line (not past a blank line: that is another task's).
    let header = (0..top).rev().take(DEFAULT_CAPACITY).find_map(|i| {
        let l = app.log.get(i)?;
        match l.kind {
            LineKind::Header { .. } => Some(Some(i)),
            LineKind::Blank => Some(None),
            _ => None,
        }
    });
    let Some(Some(h)) = header else {
        return rows;
    };
    let (mut rest, _) = rows_up_from(app, bottom, width, height as usize - 1);
    let Some(l) = app.log.get(h) else {
        return rows;
    };
    let mut pinned = wrap::wrap(&line_for(app, l), width as usize, LOG_INDENT);
    pinned.truncate(1);
    pinned.append(&mut rest);
    pinned
}

/// Up to `height` rows ending with line `bottom`, and the index of the top line.
fn rows_up_from(
    app: &App,
    bottom: usize,
    width: u16,
    height: usize,
) -> (Vec<Line<'static>>, usize) {
    let first_seq = app.log.next_seq() - app.log.len() as u64;
    let mut rows: Vec<Line<'static>> = Vec::with_capacity(height);
    let mut top = bottom;
    for i in (0..=bottom).rev() {
        let Some(l) = app.log.get(i) else { break };
        top = i;
        let mut line = line_for(app, l);
        if app.log_found == Some(first_seq + i as u64) {
            // The line a search or `e` found: a pointer and reversed video.
            line.spans.insert(0, Span::raw(app.theme.pointer()));
            line = line.style(app.theme.selected());
        }
        let wrapped = wrap::wrap(&line, width as usize, LOG_INDENT);
        for r in wrapped.into_iter().rev() {
            rows.push(r);
            if rows.len() >= height {
                break;
            }
        }
        if rows.len() >= height {
            break;
        }
    }
    rows.reverse();
    (rows, top)
}

pub fn draw(app: &App, f: &mut Frame, area: Rect, focused: bool) {
    let t = &app.theme;
    if area.height == 1 && crate::tui::ui::log_collapsed(app) {
        let hint = format!(
            "no tasks yet {} i: set up the env {} r: run a command",
            t.dash(),
            t.dash()
        );
        crate::tui::pane::draw_collapsed(app, f, area, (Pane::Log, &hint));
        return;
    }
    let mut title = format!(" {} {} ", Pane::Log.title(), t.dash());
    if app.follow {
        title.push_str("following ");
    } else {
        title.push_str(&format!("paused, {} newer below ", app.log_scroll));
    }
    if app.log.dropped > 0 {
        title.push_str(&format!("({} older dropped) ", app.log.dropped));
    }
    if let Some(q) = app.log_search.as_ref().filter(|q| !q.editing) {
        title.push_str(&format!("{} /{} ", t.dash(), t.text(&q.query)));
    }
    let block = pane_block(app, Line::from(title), focused);
    let inner = block.inner(area);
    f.render_widget(block, area);
    if app.log.is_empty() {
        f.render_widget(
            Paragraph::new(vec![
                Line::styled("No tasks yet.", t.dim()),
                Line::styled("i: set up the env   r: run a command   ?: help", t.dim()),
            ]),
            inner,
        );
        return;
    }
    f.render_widget(
        Paragraph::new(visible_rows(app, inner.width, inner.height)),
        inner,
    );
}
