//! The Log pane: the running and past tasks' output, newest at the bottom. Only the
//! lines in view are wrapped and drawn, so a ring of 10,000 lines costs a screenful
//! per frame. Task headers carry their outcome and duration once finished.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::tui::app::{App, Pane};
use crate::tui::log::{LineKind, LogLine};
use crate::tui::theme::Mark;
use crate::tui::ui::{mark, pane_block, wrap};
use pyve_core::tasks::Outcome;

/// Rows of a wrapped log line after the first are indented this much.
const LOG_INDENT: usize = 4;

pub fn line_for(app: &App, l: &LogLine) -> Line<'static> {
    let t = &app.theme;
    let text = t.text(&l.text).into_owned();
    match &l.kind {
        LineKind::Header { title, end } => {
            let title = t.text(title).into_owned();
            match end {
                None => Line::from(vec![
                    mark(t, Mark::Running),
                    Span::styled(format!(" {title} {} running", t.dash()), t.bold()),
                ]),
                Some((outcome, d)) => {
                    let secs = format!("{:.1}s", d.as_secs_f64());
                    let (m, what) = match outcome {
                        Outcome::Succeeded => (Mark::Ok, format!("succeeded in {secs}")),
                        Outcome::Failed(_) => (Mark::Fail, format!("failed after {secs}")),
                        Outcome::Cancelled => (Mark::Cancelled, format!("cancelled after {secs}")),
                    };
                    Line::from(vec![
                        mark(t, m),
                        Span::styled(format!(" {title} {} {what}", t.dash()), t.bold()),
                    ])
                }
            }
        }
        LineKind::Step => Line::styled(
            format!("{} {text}", if t.unicode { "»" } else { ">>" }),
            t.accent(),
        ),
        LineKind::Command => Line::styled(format!("  $ {text}"), t.dim()),
        LineKind::Stdout => Line::raw(format!("  {text}")),
        LineKind::Stderr => Line::styled(format!("  {text}"), t.dim()),
        LineKind::Info => Line::raw(text),
        LineKind::Warn => Line::from(vec![
            mark(t, Mark::Warn),
            Span::styled(format!(" {text}"), t.warn()),
        ]),
        LineKind::Error => Line::from(vec![
            mark(t, Mark::Fail),
            Span::styled(format!(" {text}"), t.error()),
        ]),
        LineKind::Success => Line::from(vec![mark(t, Mark::Ok), Span::raw(format!(" {text}"))]),
    }
}

/// The rows in view: walk up from the last line shown until the view is full.
pub fn visible_rows(app: &App, width: u16, height: u16) -> Vec<Line<'static>> {
    let len = app.log.len();
    if len == 0 || height == 0 {
        return vec![];
    }
    let bottom = len - 1 - app.log_scroll.min(len - 1);
    let mut rows: Vec<Line<'static>> = Vec::with_capacity(height as usize);
    for i in (0..=bottom).rev() {
        let Some(l) = app.log.get(i) else { break };
        let wrapped = wrap::wrap(&line_for(app, l), width as usize, LOG_INDENT);
        for r in wrapped.into_iter().rev() {
            rows.push(r);
            if rows.len() >= height as usize {
                break;
            }
        }
        if rows.len() >= height as usize {
            break;
        }
    }
    rows.reverse();
    rows
}

pub fn draw(app: &App, f: &mut Frame, area: Rect, focused: bool) {
    let t = &app.theme;
    let mut title = format!(" {} {} ", Pane::Log.title(), t.dash());
    if app.follow {
        title.push_str("following ");
    } else {
        title.push_str(&format!("paused, {} newer below ", app.log_scroll));
    }
    if app.log.dropped > 0 {
        title.push_str(&format!("({} older dropped) ", app.log.dropped));
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
