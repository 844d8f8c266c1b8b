//! Asked before quitting while a task runs.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use crate::tui::app::App;
use crate::tui::ui::{overlay_block, render_wrapped};

pub fn draw(app: &App, f: &mut Frame, area: Rect) {
    let t = &app.theme;
    let h = area.height.min(8);
    let area = Rect::new(area.x, area.y + (area.height - h) / 2, area.width, h);
    f.render_widget(ratatui::widgets::Clear, area);
    let block = overlay_block(app, "Quit?".into());
    let inner = block.inner(area);
    f.render_widget(block, area);
    let title = app
        .job
        .as_ref()
        .map(|j| j.title.clone())
        .unwrap_or_else(|| "a task".into());
    let v = vec![
        Line::raw(format!("{} is still running.", t.text(&title))),
        Line::raw(
            "Quitting cancels it (its whole process group); an env it was building is left incomplete and the next init rebuilds it.",
        ),
        Line::from(vec![
            Span::styled("y", t.key()),
            Span::raw(" quit  "),
            Span::styled("n", t.key()),
            Span::raw(" stay"),
        ]),
    ];
    render_wrapped(f, inner, &v, 0);
}
