//! The Health pane: doctor's checks, one line each (✓ ⚠ ✗ –), and under them the
//! selected check's detail, its fix, and what Enter does with it.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::tui::app::{App, Pane};
use crate::tui::pane::health::fix::selected_fix;
use crate::tui::theme::Mark;
use crate::tui::ui::{mark, pane_block, render_wrapped};
use pyve_core::engine::doctor::Status;
use pyve_core::engine::fix::Fix;

/// What Enter will do, in words.
pub fn enter_hint(fix: &Fix) -> Option<String> {
    Some(match fix {
        Fix::Init(i) if i.force => "Enter: review `pyve init --force` in the Setup wizard".into(),
        Fix::Init(_) => "Enter: review `pyve init` in the Setup wizard".into(),
        Fix::ChooseBackend => "Enter: choose the backend in the Setup wizard".into(),
        Fix::Bootstrap => "Enter: open the Bootstrap wizard".into(),
        Fix::Purge => "Enter: purge (asks first)".into(),
        Fix::Shell { command } => format!("not a pyve command: run `{command}` in a shell"),
        Fix::Edit { .. } => return None,
    })
}

fn detail_lines(app: &App) -> Vec<Line<'static>> {
    let t = &app.theme;
    let Some(s) = &app.snapshot else {
        return vec![];
    };
    let Some(c) = s.doctor.checks.get(app.health_selected) else {
        return vec![];
    };
    let mut v = vec![Line::from(vec![
        mark(t, c.status.into()),
        Span::styled(format!(" {}", t.text(&c.label)), t.bold()),
    ])];
    for d in &c.detail {
        v.push(Line::styled(format!("  {}", t.text(d)), t.dim()));
    }
    if let Some(fix) = &c.fix
        && c.status != Status::Ok
    {
        v.push(Line::from(vec![
            Span::styled("fix: ", t.bold()),
            Span::raw(t.text(fix).into_owned()),
        ]));
        if let Some((f, _)) = selected_fix(app)
            && let Some(h) = enter_hint(&f)
        {
            v.push(Line::styled(t.text(&h).into_owned(), t.accent()));
        }
    }
    v
}

pub fn draw(app: &App, f: &mut Frame, area: Rect, focused: bool) {
    let t = &app.theme;
    let title = match &app.snapshot {
        Some(s) => {
            let sum = &s.doctor.summary;
            format!(
                " {} {} {} ok, {} warn, {} fail ",
                Pane::Health.title(),
                t.dash(),
                sum.ok,
                sum.warn,
                sum.fail
            )
        }
        None => format!(" {} ", Pane::Health.title()),
    };
    let block = pane_block(app, Line::from(title), focused);
    let inner = block.inner(area);
    f.render_widget(block, area);
    let Some(s) = &app.snapshot else {
        f.render_widget(
            Paragraph::new(Line::styled(
                format!("{} running doctor{}", t.spinner(app.tick), t.ellipsis()),
                t.dim(),
            )),
            inner,
        );
        return;
    };
    let checks = &s.doctor.checks;
    let (list_h, detail) = if inner.height >= 7 {
        let detail_h = (inner.height / 3).max(4).min(inner.height - 3);
        let list_h = inner.height - detail_h - 1;
        (
            list_h,
            Some((
                Rect::new(inner.x, inner.y + list_h, inner.width, 1),
                Rect::new(inner.x, inner.y + list_h + 1, inner.width, detail_h),
            )),
        )
    } else {
        (inner.height, None)
    };
    let sel = app.health_selected.min(checks.len().saturating_sub(1));
    let start = if sel >= list_h as usize {
        sel + 1 - list_h as usize
    } else {
        0
    };
    let rows: Vec<Line> = checks
        .iter()
        .enumerate()
        .skip(start)
        .take(list_h as usize)
        .map(|(i, c)| {
            let m: Mark = c.status.into();
            let selected = i == sel;
            let pointer = if selected { t.pointer() } else { "  " };
            let line = Line::from(vec![
                Span::raw(pointer),
                mark(t, m),
                Span::raw(format!(" {}", t.text(&c.label))),
            ]);
            if selected && focused {
                line.style(t.selected())
            } else {
                line
            }
        })
        .collect();
    f.render_widget(
        Paragraph::new(rows),
        Rect::new(inner.x, inner.y, inner.width, list_h),
    );
    if let Some((sep, d)) = detail {
        let rule = if t.unicode { "─" } else { "-" };
        f.render_widget(
            Paragraph::new(Line::styled(rule.repeat(sep.width as usize), t.dim())),
            sep,
        );
        render_wrapped(f, d, &detail_lines(app), 0);
    }
}
