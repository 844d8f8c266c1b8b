//! The Purge confirmation: the paths pyve created here, and y to remove them.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use crate::tui::app::{App, PurgeConfirm};
use crate::tui::theme::Mark;
use crate::tui::ui;
use crate::tui::ui::{mark, overlay_block, render_wrapped};

pub fn draw(app: &App, p: &PurgeConfirm, f: &mut Frame, area: Rect) {
    let t = &app.theme;
    let block = overlay_block(app, "Purge".into());
    let mut v: Vec<Line> = Vec::new();
    match &p.items {
        None => v.push(Line::styled(
            format!(
                "{} listing what pyve created{}",
                t.spinner(app.tick),
                t.ellipsis()
            ),
            t.dim(),
        )),
        Some(Err(e)) => {
            v.push(Line::from(vec![
                mark(t, Mark::Fail),
                Span::raw(format!(" {}", t.text(e))),
            ]));
        }
        Some(Ok(items)) if items.is_empty() => {
            v.push(Line::from(vec![
                mark(t, Mark::Ok),
                Span::raw(" nothing to purge: pyve created nothing here (.pyve/config is kept)"),
            ]));
            v.push(Line::styled("any key closes", t.dim()));
        }
        Some(Ok(items)) => {
            v.push(Line::raw("pyve created these in this project:"));
            let w = items.iter().map(|i| i.shown.len()).max().unwrap_or(0);
            for i in items {
                let mut spans = vec![
                    Span::raw(format!("  {:<w$}  ", t.text(&i.shown))),
                    Span::styled(t.text(&i.what).into_owned(), t.dim()),
                ];
                if i.is_link {
                    spans.push(Span::raw(" (symlink: only the link is removed)"));
                }
                v.push(Line::from(spans));
            }
            v.push(Line::raw(""));
            v.push(Line::raw(
                ".pyve/config is kept; the Setup wizard (i) builds the env again.",
            ));
            v.push(Line::from(vec![
                Span::styled("Remove them? ", t.bold()),
                Span::styled("y", t.key()),
                Span::raw(" remove  "),
                Span::styled("n", t.key()),
                Span::raw(" keep (default)"),
            ]));
        }
    }
    let area = ui::fit(f, area, ui::overlay_rows(area, &v).max(4));
    let inner = block.inner(area);
    f.render_widget(block, area);
    render_wrapped(f, inner, &v, 0);
}
