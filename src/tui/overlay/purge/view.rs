//! The Purge confirmation: the paths pyve created here, and y to remove them.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use super::state::Scope;
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
                Span::raw(match &p.scope {
                    Scope::All => {
                        " nothing to purge: pyve created nothing here (.pyve/config is kept)"
                            .to_string()
                    }
                    Scope::Env(name) => format!(
                        " nothing to purge for env {}: it is not built",
                        t.text(name)
                    ),
                }),
            ]));
            v.extend(scope_hint(app, p));
            v.push(Line::styled(
                if p.env_shown.is_some() {
                    "any other key closes"
                } else {
                    "any key closes"
                },
                t.dim(),
            ));
        }
        Some(Ok(items)) => {
            v.push(Line::raw(match &p.scope {
                Scope::All if p.env_shown.is_some() => {
                    "pyve created these in this project, for every env:".to_string()
                }
                Scope::All => "pyve created these in this project:".to_string(),
                Scope::Env(name) => format!(
                    "pyve created these for env {} (the other envs stay):",
                    t.text(name)
                ),
            }));
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
            v.extend(scope_hint(app, p));
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

/// With several envs: what `a` switches to.
fn scope_hint(app: &App, p: &PurgeConfirm) -> Option<Line<'static>> {
    let t = &app.theme;
    let env = p.env_shown.as_ref()?;
    let other = match p.scope {
        Scope::Env(_) => "list every env's paths".to_string(),
        Scope::All => format!("list only env {}'s", t.text(env)),
    };
    Some(Line::from(vec![
        Span::styled("a", t.key()),
        Span::raw(format!(" {other}")),
    ]))
}
