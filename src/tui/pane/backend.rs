//! The Backend pane: the decision, the level that made it, the evidence, the env it
//! targets and its state, and the detection's notes.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use crate::tui::app::{App, Pane};
use crate::tui::theme::Mark;
use crate::tui::ui::{mark, pane_block, render_wrapped};
use pyve_core::engine::detect::{DecisionSource, NoteLevel};
use pyve_core::engine::project::RootMarker;

fn row(app: &App, key: &str, value: String) -> Line<'static> {
    Line::from(vec![
        Span::styled(format!("{key:<10} "), app.theme.dim()),
        Span::raw(app.theme.text(&value).into_owned()),
    ])
}

/// The level of the backend selection (docs/detection.md) that decided, in words.
pub fn source_words(s: DecisionSource) -> &'static str {
    match s {
        DecisionSource::Flag => "the --backend flag (level 1 of 5)",
        DecisionSource::Config => "backend: in .pyve/config (level 2 of 5)",
        DecisionSource::CondaSpec => "a conda spec file (level 3 of 5)",
        DecisionSource::PipSpec => "a pip spec file (level 4 of 5)",
        DecisionSource::Default => "the default (level 5 of 5: nothing else spoke)",
    }
}

pub fn state_mark(state: &str) -> Mark {
    match state {
        "ready" => Mark::Ok,
        "stale" => Mark::Warn,
        _ => Mark::Fail,
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
    let Some(d) = &s.detection else {
        return v;
    };
    v.push(Line::styled(t.text(&d.summary()).into_owned(), t.bold()));
    v.push(row(app, "decided by", source_words(d.source).to_string()));
    v.push(row(
        app,
        "evidence",
        if d.evidence.is_empty() {
            "none".to_string()
        } else {
            d.evidence.join(", ")
        },
    ));
    if let Some(e) = &s.env {
        let at = if e.name == e.path {
            e.path.clone()
        } else {
            format!("{} at {}", e.name, e.path)
        };
        v.push(row(app, "env", at));
        let mut spans = vec![
            Span::styled(format!("{:<10} ", "state"), t.dim()),
            mark(t, state_mark(e.state)),
            Span::raw(format!(" {}", e.state)),
        ];
        if let Some(p) = &e.python {
            spans.push(Span::raw(format!(" (python {p})")));
        }
        if let Some(r) = &e.reason {
            spans.push(Span::raw(format!(": {}", t.text(r))));
        }
        v.push(Line::from(spans));
    }
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

pub fn draw(app: &App, f: &mut Frame, area: Rect, focused: bool) {
    let block = pane_block(
        app,
        Line::from(format!(" {} ", Pane::Backend.title())),
        focused,
    );
    let inner = block.inner(area);
    f.render_widget(block, area);
    render_wrapped(f, inner, &lines(app), app.backend_scroll);
}
