//! The Tools pane: the backend's tool (a python for a venv, or micromamba), and the
//! resolution chain as one line per place (✓ taken or ✗ not, with why); zoomed, every
//! place the resolution tried.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use crate::tui::app::{App, Pane};
use crate::tui::data::Snapshot;
use crate::tui::theme::Mark;
use crate::tui::ui::mark;
use pyve_core::engine::context::ToolStatus;
use pyve_core::engine::resolve::{Place, Tried};

pub fn lines(app: &App) -> Vec<Line<'static>> {
    let t = &app.theme;
    let Some(s) = &app.snapshot else {
        return vec![Line::styled(
            format!("{} resolving{}", t.spinner(app.tick), t.ellipsis()),
            t.dim(),
        )];
    };
    let Some(tool) = s.tool() else {
        return vec![Line::styled("no project loaded", t.dim())];
    };
    let mut v = Vec::new();
    match &tool.found {
        Some(r) => {
            v.push(Line::from(vec![
                mark(t, Mark::Ok),
                Span::styled(format!(" {} {}", tool.kind, r.version), t.bold()),
                Span::raw(format!(" ({})", r.place)),
            ]));
            v.push(Line::raw(format!("  {}", t.text(&s.show(&r.path)))));
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
    let full = app.zoom && app.focus == Pane::Tools;
    if full {
        v.push(Line::styled("tried, in order:", t.dim()));
        for tr in &tool.tried {
            let m = if tr.taken() { Mark::Ok } else { Mark::Fail };
            let version = tr
                .version
                .as_ref()
                .map(|v| format!(" ({v})"))
                .unwrap_or_default();
            v.push(Line::from(vec![
                mark(t, m),
                Span::styled(format!(" {:<7} ", tr.place), t.bold()),
                Span::raw(format!("{}{version} ", t.text(&s.show(&tr.path)))),
                Span::styled(
                    format!("{} {}", t.dash(), t.text(&tr.outcome.to_string())),
                    t.dim(),
                ),
            ]));
        }
        channels_line(app, tool, &mut v);
        return v;
    }
    let places = by_place(&tool.tried);
    for (place, tried) in &places {
        v.push(place_line(app, s, *place, tried));
    }
    if tool.tried.len() > places.len() {
        v.push(Line::styled(
            format!(
                "  {} tried in all {} z (zoom) lists each",
                tool.tried.len(),
                t.dash()
            ),
            t.dim(),
        ));
    }
    channels_line(app, tool, &mut v);
    v
}

/// micromamba's channels, in order, each with where it was named: after the places,
/// which matter more while micromamba is missing.
fn channels_line(app: &App, tool: &ToolStatus, v: &mut Vec<Line<'static>>) {
    if tool.kind != "micromamba" {
        return;
    }
    let channels = app
        .snapshot
        .as_ref()
        .and_then(|s| s.status.as_ref())
        .map(crate::tui::data::channel_views)
        .unwrap_or_default();
    let t = &app.theme;
    let list = if channels.is_empty() {
        "none: micromamba's own defaults".to_string()
    } else {
        channels.join(", ")
    };
    v.push(Line::from(vec![
        Span::styled("channels ", t.dim()),
        Span::raw(t.text(&list).into_owned()),
    ]));
}

/// The tried places grouped by place, in the order the chain tried them.
fn by_place(tried: &[Tried]) -> Vec<(Place, Vec<&Tried>)> {
    let mut out: Vec<(Place, Vec<&Tried>)> = Vec::new();
    for tr in tried {
        match out.iter_mut().find(|(p, _)| *p == tr.place) {
            Some((_, v)) => v.push(tr),
            None => out.push((tr.place, vec![tr])),
        }
    }
    out
}

/// One line for a place of the chain: taken (and what else it had), or why not.
fn place_line(app: &App, s: &Snapshot, place: Place, tried: &[&Tried]) -> Line<'static> {
    let t = &app.theme;
    let label = |tr: &Tried| tr.version.clone().unwrap_or_else(|| s.show(&tr.path));
    let taken = tried.iter().find(|tr| tr.taken());
    let (m, text) = match taken {
        Some(tk) => {
            let others: Vec<&&Tried> = tried.iter().filter(|tr| !tr.taken()).collect();
            let mut s = format!("{} taken", label(tk));
            match others.as_slice() {
                [] => {}
                [one] => s.push_str(&format!("; {} {} {}", label(one), t.dash(), one.outcome)),
                many => {
                    let shown: Vec<String> = many.iter().take(3).map(|tr| label(tr)).collect();
                    let more = if many.len() > 3 { ", …" } else { "" };
                    s.push_str(&format!("; not {}{more}", shown.join(", ")));
                }
            }
            (Mark::Ok, s)
        }
        None if tried.len() == 1 => (
            Mark::Fail,
            format!("{} {} {}", label(tried[0]), t.dash(), tried[0].outcome),
        ),
        None => {
            let shown: Vec<String> = tried.iter().take(3).map(|tr| label(tr)).collect();
            let more = if tried.len() > 3 { ", …" } else { "" };
            // The outcome they share, or the first one's.
            let why = &tried[0].outcome;
            let same = tried.iter().all(|tr| tr.outcome == *why);
            (
                Mark::Fail,
                format!(
                    "{}{more} {} {}{}",
                    shown.join(", "),
                    t.dash(),
                    why,
                    if same { "" } else { ", …" }
                ),
            )
        }
    };
    Line::from(vec![
        mark(t, m),
        Span::styled(format!(" {:<7} ", place.as_str()), t.bold()),
        Span::raw(t.text(&text).into_owned()),
    ])
}

pub fn draw(app: &App, f: &mut Frame, area: Rect, focused: bool) {
    super::draw_text_pane(
        app,
        f,
        area,
        focused,
        (Pane::Tools, &lines(app), app.tools_scroll),
    );
}
