//! The Run prompt: one line (tui-input); the command runs in the env the way
//! `pyve run` would run it, as a task whose output goes to the Log.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::tui::app::{App, RunPrompt};
use crate::tui::theme::Mark;
use crate::tui::ui;
use crate::tui::ui::{mark, overlay_block};

pub fn draw(app: &App, p: &RunPrompt, f: &mut Frame, area: Rect) {
    let t = &app.theme;
    // A prompt needs only a few rows: keep it near the top of the overlay area.
    let p_ = ui::padding(area);
    let h = area.height.min(7 + p_.top + p_.bottom);
    let area = Rect::new(area.x, area.y, area.width, h);
    f.render_widget(ratatui::widgets::Clear, area);
    let env = app
        .snapshot
        .as_ref()
        .and_then(|s| s.env())
        .map(|e| format!("{} ({})", e.name, e.state))
        .unwrap_or_else(|| "the project's env".into());
    let block = overlay_block(app, format!("Run in {env}"));
    let inner = block.inner(area);
    f.render_widget(block, area);
    if inner.height == 0 {
        return;
    }
    let prompt = "$ ";
    let w = inner.width.saturating_sub(prompt.len() as u16).max(1) as usize;
    let scroll = p.input.visual_scroll(w);
    let value: String = t
        .text(p.input.value())
        .chars()
        .skip(scroll)
        .take(w)
        .collect();
    f.render_widget(
        Paragraph::new(Line::from(vec![
            Span::styled(prompt, t.key()),
            Span::styled(value, t.bold()),
        ])),
        Rect::new(inner.x, inner.y, inner.width, 1),
    );
    let cx = inner.x + prompt.len() as u16 + p.input.visual_cursor().saturating_sub(scroll) as u16;
    f.set_cursor_position((cx.min(inner.right().saturating_sub(1)), inner.y));
    let mut rest = vec![Line::styled(
        "runs like `pyve run CMD`: no shell, stdin is empty, output goes to the Log",
        t.dim(),
    )];
    if let Some(e) = &p.error {
        rest.push(Line::from(vec![
            mark(t, Mark::Fail),
            Span::styled(format!(" {}", t.text(e)), t.error()),
        ]));
    }
    ui::render_wrapped(
        f,
        Rect::new(
            inner.x,
            inner.y + 2,
            inner.width,
            inner.height.saturating_sub(2),
        ),
        &rest,
        0,
    );
}
