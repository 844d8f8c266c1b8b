//! The Tools pane: the backend's tool (a python for a venv, or micromamba), and every
//! place the resolution tried, ✓ taken or ✗ not, with why.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use crate::tui::app::{App, Pane};
use crate::tui::theme::Mark;
use crate::tui::ui::{mark, pane_block, render_wrapped};

pub fn lines(app: &App) -> Vec<Line<'static>> {
    let t = &app.theme;
    let Some(s) = &app.snapshot else {
        return vec![Line::styled(
            format!("{} resolving{}", t.spinner(app.tick), t.ellipsis()),
            t.dim(),
        )];
    };
    let Some(tool) = &s.tool else {
        return vec![Line::styled("no project loaded", t.dim())];
    };
    let mut v = Vec::new();
    match &tool.found {
        Some((path, version, place)) => {
            v.push(Line::from(vec![
                mark(t, Mark::Ok),
                Span::styled(format!(" {} {version}", tool.kind), t.bold()),
                Span::raw(format!(" ({place})")),
            ]));
            v.push(Line::raw(format!("  {}", t.text(path))));
        }
        None => {
            v.push(Line::from(vec![
                mark(t, Mark::Fail),
                Span::styled(format!(" {} not found", tool.kind), t.bold()),
            ]));
            if tool.kind == "micromamba" {
                v.push(Line::styled(
                    "  b: the Bootstrap wizard installs it",
                    t.accent(),
                ));
            } else if let Some(e) = &tool.error {
                for l in e.lines() {
                    v.push(Line::raw(format!("  {}", t.text(l))));
                }
            }
        }
    }
    if let Some(r) = &tool.request {
        v.push(Line::styled(
            format!("  requested {} by {}", r.version, r.source.as_str()),
            t.dim(),
        ));
    }
    v.push(Line::styled("tried, in order:", t.dim()));
    for tr in &tool.tried {
        let m = if tr.taken { Mark::Ok } else { Mark::Fail };
        let version = tr
            .version
            .as_ref()
            .map(|v| format!(" ({v})"))
            .unwrap_or_default();
        v.push(Line::from(vec![
            mark(t, m),
            Span::styled(format!(" {:<7} ", tr.place), t.bold()),
            Span::raw(format!("{}{version} ", t.text(&tr.path))),
            Span::styled(format!("{} {}", t.dash(), t.text(&tr.outcome)), t.dim()),
        ]));
    }
    v
}

pub fn draw(app: &App, f: &mut Frame, area: Rect, focused: bool) {
    let block = pane_block(
        app,
        Line::from(format!(" {} ", Pane::Tools.title())),
        focused,
    );
    let inner = block.inner(area);
    f.render_widget(block, area);
    render_wrapped(f, inner, &lines(app), app.tools_scroll);
}
