//! The Health pane: doctor's checks, one line each (✓ ⚠ ✗ –), and under them the
//! selected check's detail, its fix, and what Enter does with it.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::tui::app::{App, Pane};
use crate::tui::pane::health::fix::selected_fix;
use crate::tui::summary;
use crate::tui::theme::Mark;
use crate::tui::ui::{INDENT, mark, pane_block, render_wrapped_more, wrap};
use pyve_core::engine::doctor::{Check, Status};
use pyve_core::engine::fix::Fix;

/// What Enter will do, in words.
pub fn enter_hint(fix: &Fix) -> Option<String> {
    Some(match fix {
        Fix::Init(i) if i.force => "Enter: review `pyve init --force` in the Setup wizard".into(),
        Fix::Init(_) => "Enter: review `pyve init` in the Setup wizard".into(),
        Fix::ChooseBackend => "Enter: choose the backend in the Setup wizard".into(),
        Fix::Bootstrap => "Enter: open the Bootstrap wizard".into(),
        Fix::BootstrapUser => "Enter: open the Bootstrap wizard (choose your user sandbox)".into(),
        Fix::FixAll => "Enter: show every fix in the Fix plan".into(),
        Fix::Purge => "Enter: purge (asks first)".into(),
        Fix::Lock => "Enter: re-lock with conda-lock, then build the env from the lock".into(),
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
    let (m, label) = summary::check(app, c);
    let mut v = vec![Line::from(vec![
        mark(t, m),
        Span::styled(format!(" {}", t.text(&label)), t.bold()),
    ])];
    if m == Mark::Building {
        v.push(Line::styled(
            "  the Log shows the build; doctor runs again when it ends",
            t.dim(),
        ));
        return v;
    }
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

/// " Health — 8 ok, 1 warn, 0 fail ", as shown now.
fn title(app: &App) -> String {
    let t = &app.theme;
    match &app.snapshot {
        Some(s) => {
            let (fail, warn) = summary::problems(app);
            let ok = s
                .doctor
                .checks
                .iter()
                .filter(|c| summary::check(app, c).0 == Mark::Ok)
                .count();
            format!(
                " {} {} {ok} ok, {warn} warn, {fail} fail ",
                Pane::Health.title(),
                t.dash(),
            )
        }
        None => format!(" {} ", Pane::Health.title()),
    }
}

/// The last row of a cut list: how many checks are above and below the rows shown,
/// and how many of those have a problem.
fn more_line(app: &App, checks: &[Check], start: usize, slots: usize) -> Line<'static> {
    let t = &app.theme;
    let above = start;
    let below = checks.len() - start - slots;
    let problems_hidden = checks
        .iter()
        .enumerate()
        .filter(|(i, c)| (*i < start || *i >= start + slots) && summary::is_problem(app, c))
        .count();
    let mut words = Vec::new();
    if above > 0 {
        words.push(format!("{above} above"));
    }
    if below > 0 {
        words.push(format!("{below} below"));
    }
    let mut text = format!("{} {}", t.ellipsis(), words.join(", "));
    if problems_hidden > 0 {
        text.push_str(&format!(" ({problems_hidden} with a problem)"));
    }
    Line::styled(text, t.dim())
}

pub fn draw(app: &App, f: &mut Frame, area: Rect, focused: bool) {
    let t = &app.theme;
    let title = title(app);
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
    // The selected check's detail and fix get the rows they need, wrapped in full; the
    // list keeps half the pane (at least three rows: two checks and its "more" line).
    let detail = detail_lines(app);
    let detail_rows = wrap::wrap_all(&detail, inner.width as usize, INDENT).len() as u16;
    let min_list = (inner.height / 2).max(3).min(checks.len() as u16);
    let (list_h, detail_area) = if inner.height >= min_list + 2 && detail_rows > 0 {
        let fits_all = checks.len() as u16 + 1 + detail_rows <= inner.height;
        let detail_h = if fits_all {
            inner.height - checks.len() as u16 - 1
        } else {
            detail_rows.min(inner.height - min_list - 1)
        };
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
    let n = checks.len();
    // A cut list says how much more there is: its last row does, when it is cut.
    let cut = n > list_h as usize && list_h >= 2;
    let slots = if cut {
        list_h as usize - 1
    } else {
        list_h as usize
    };
    let start = if sel >= slots { sel + 1 - slots } else { 0 };
    let mut rows: Vec<Line> = checks
        .iter()
        .enumerate()
        .skip(start)
        .take(slots)
        .map(|(i, c)| {
            let (m, label) = summary::check(app, c);
            let selected = i == sel;
            let pointer = if selected { t.pointer() } else { "  " };
            let line = Line::from(vec![
                Span::raw(pointer),
                mark(t, m),
                Span::raw(format!(" {}", t.text(&label))),
            ]);
            if selected && focused {
                line.style(t.selected())
            } else {
                line
            }
        })
        .collect();
    if cut {
        rows.push(more_line(app, checks, start, slots));
    }
    f.render_widget(
        Paragraph::new(rows),
        Rect::new(inner.x, inner.y, inner.width, list_h),
    );
    if let Some((sep, d)) = detail_area {
        let rule = if t.unicode { "─" } else { "-" };
        f.render_widget(
            Paragraph::new(Line::styled(rule.repeat(sep.width as usize), t.dim())),
            sep,
        );
        render_wrapped_more(f, d, &detail, 0, Some((t, "z zooms")));
    }
}
