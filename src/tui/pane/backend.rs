//! The Backend pane: the decision, the level that made it, the evidence, the env it
//! targets and its state, and the detection's notes.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use crate::tui::app::{App, Pane};
use crate::tui::summary;
use crate::tui::theme::Mark;
use crate::tui::ui::mark;
use pyve_core::engine::detect::{DecisionSource, NoteLevel};
use pyve_core::engine::project::RootMarker;

fn row(app: &App, key: &str, value: String) -> Line<'static> {
    Line::from(vec![
        Span::styled(format!("{key:<10} "), app.theme.dim()),
        Span::raw(app.theme.text(&value).into_owned()),
    ])
}

/// What decided the backend (the level of the selection in docs/detection.md), in
/// plain words.
pub fn source_words(s: DecisionSource) -> &'static str {
    match s {
        DecisionSource::Flag => "the --backend flag",
        DecisionSource::Config => "the backend: key in .pyve/config",
        DecisionSource::CondaSpec => "a conda spec file is here",
        DecisionSource::PipSpec => "a pip spec file is here (and no conda one)",
        DecisionSource::Default => "the default: no flag, config or spec file chose",
    }
}

pub fn lines(app: &App) -> Vec<Line<'static>> {
    let t = &app.theme;
    let Some(s) = &app.snapshot else {
        return vec![Line::styled(
            format!("{} detecting{}", t.spinner(app.tick), t.ellipsis()),
            t.dim(),
        )];
    };
    let mut v = Vec::new();
    if let Some(err) = &s.load_error {
        v.push(Line::from(vec![
            mark(t, Mark::Fail),
            Span::raw(" the project cannot be loaded:"),
        ]));
        for l in err.lines() {
            v.push(Line::raw(format!("  {}", t.text(l))));
        }
        v.push(Line::styled("  the Health pane has the fix", t.dim()));
        return v;
    }
    let Some(d) = s.detection() else {
        return v;
    };
    // Most important first: a short pane shows the decision and the env's state.
    v.push(Line::styled(t.text(&d.summary()).into_owned(), t.bold()));
    if let (Some(e), Some(shown)) = (s.env(), summary::env(app)) {
        let mut spans = vec![
            mark(t, shown.mark),
            Span::styled(format!(" {} {}", t.text(&e.name), shown.state), t.bold()),
        ];
        if let Some(p) = &e.python
            && !summary::building(app)
        {
            spans.push(Span::raw(format!(" (python {p})")));
        }
        if let Some(r) = &shown.reason {
            spans.push(Span::raw(format!(": {}", t.text(r))));
        }
        v.push(Line::from(spans));
        let path = s.show(&e.prefix);
        if e.name != path {
            v.push(row(app, "env at", path));
        }
    }
    if let Some(list) = env_list(app) {
        v.push(list);
    }
    v.push(row(app, "because", source_words(d.source).to_string()));
    v.push(row(
        app,
        "evidence",
        if d.evidence.is_empty() {
            "none".to_string()
        } else {
            d.evidence.join(", ")
        },
    ));
    let found_by = match s.found_by {
        RootMarker::PyveDir => "has .pyve/",
        RootMarker::SpecFile => "has a spec file",
        RootMarker::StartDir => "working directory",
    };
    v.push(row(
        app,
        "project",
        format!("{} ({found_by})", s.project_root),
    ));
    v.push(row(
        app,
        "config",
        s.config_file
            .clone()
            .unwrap_or_else(|| "none yet (defaults)".into()),
    ));
    for n in &d.notes {
        let m = match n.level {
            NoteLevel::Warning => Mark::Warn,
            NoteLevel::Info => Mark::Info,
        };
        v.push(Line::from(vec![
            mark(t, m),
            Span::raw(format!(" {}", t.text(&n.message))),
        ]));
    }
    v
}

/// Several envs: each with its state's mark, the shown one marked (`]`/`[` switch).
fn env_list(app: &App) -> Option<Line<'static>> {
    let t = &app.theme;
    let envs = &app.snapshot.as_ref()?.status.as_ref()?.envs;
    if envs.len() < 2 {
        return None;
    }
    let mut spans = vec![Span::styled(format!("{:<10} ", "envs"), t.dim())];
    for (i, e) in envs.iter().enumerate() {
        if i > 0 {
            spans.push(Span::raw("  "));
        }
        spans.push(mark(t, summary::state_mark(e.state)));
        if e.selected {
            let pointer = if t.unicode { "▸" } else { ">" };
            spans.push(Span::styled(format!(" {pointer}{}", e.name), t.selected()));
        } else {
            spans.push(Span::raw(format!(" {}", e.name)));
        }
    }
    Some(Line::from(spans))
}

/// The decision and the env's state in one line, for the collapsed pane.
fn summary_line(app: &App) -> String {
    let Some(s) = &app.snapshot else {
        return "detecting".into();
    };
    let Some(d) = s.detection() else {
        return "the project cannot be loaded (Health has the fix)".into();
    };
    let mut text = d.summary();
    if let (Some(e), Some(shown)) = (s.env(), summary::env(app)) {
        text.push_str(&format!(
            " {} {} {} {}",
            app.theme.dash(),
            app.theme.mark_text(shown.mark),
            e.name,
            shown.state
        ));
    }
    text
}

pub fn draw(app: &App, f: &mut Frame, area: Rect, focused: bool) {
    if area.height == 1 && !focused {
        super::draw_collapsed(app, f, area, (Pane::Backend, &summary_line(app)));
        return;
    }
    super::draw_text_pane(
        app,
        f,
        area,
        focused,
        (Pane::Backend, &lines(app), app.backend_scroll),
    );
}
