//! Help (`?`): every key, from the binding tables (`keys::sections`).

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use crate::tui::app::App;
use crate::tui::keys;
use crate::tui::ui;
use crate::tui::ui::{overlay_block, render_wrapped};

pub fn lines(app: &App) -> Vec<Line<'static>> {
    let t = &app.theme;
    let sections = keys::sections();
    let w = sections
        .iter()
        .flat_map(|s| s.rows.iter().map(|(k, _)| k.len()))
        .max()
        .unwrap_or(0);
    let mut v = Vec::new();
    for (i, s) in sections.iter().enumerate() {
        if i > 0 {
            v.push(Line::raw(""));
        }
        v.push(Line::styled(s.title.to_string(), t.bold()));
        for (k, what) in &s.rows {
            v.push(Line::from(vec![
                Span::styled(format!("  {k:<w$}  "), t.key()),
                Span::raw(what.to_string()),
            ]));
        }
    }
    v
}

pub fn draw(app: &App, scroll: u16, f: &mut Frame, area: Rect) {
    let block = overlay_block(app, "Help: every key (Esc closes)".into());
    let lines = lines(app);
    let area = ui::fit(f, area, ui::overlay_rows(area, &lines));
    let inner = block.inner(area);
    f.render_widget(block, area);
    render_wrapped(f, inner, &lines, scroll);
}

/// How far Help scrolls at the current size.
pub fn max_scroll(app: &App) -> u16 {
    let size = Rect::new(0, 0, app.size.0, app.size.1);
    let footer = Rect::new(0, app.size.1.saturating_sub(1), app.size.0, 1);
    let area = ui::overlay_area(size, footer);
    let lines = lines(app);
    let rows = ui::overlay_rows(area, &lines);
    let inner_h = (rows as u16)
        .saturating_add(2)
        .min(area.height)
        .saturating_sub(2);
    (rows as u16).saturating_sub(inner_h)
}
