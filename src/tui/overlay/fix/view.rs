//! The Fix plan: the safe fixes (applied together), the rebuilds (each chosen on its
//! own) and what is left to the user, in the order `pyve doctor --fix` handles them.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use super::state::FixAll;
use crate::tui::app::App;
use crate::tui::theme::Mark;
use crate::tui::ui;
use crate::tui::ui::{mark, overlay_block, render_wrapped};
use pyve_core::engine::doctor::plan::{FixKind, PlannedFix};

/// What a fix does, and for which checks: `pyve init — Environment: missing`.
fn what(t: &crate::tui::theme::Theme, f: &PlannedFix) -> String {
    let head = f.command().unwrap_or_else(|| f.words.clone());
    format!(
        "{} {} {}",
        t.text(&head),
        t.dash(),
        t.text(&f.labels.join("; "))
    )
}

pub fn draw(app: &App, s: &FixAll, f: &mut Frame, area: Rect) {
    let t = &app.theme;
    let block = overlay_block(app, "Fix".into());
    let mut v: Vec<Line> = Vec::new();
    match &s.plan {
        None => v.push(Line::styled(
            format!("{} planning the fixes{}", t.spinner(app.tick), t.ellipsis()),
            t.dim(),
        )),
        Some(Err(e)) => v.push(Line::from(vec![
            mark(t, Mark::Fail),
            Span::raw(format!(" {}", t.text(e))),
        ])),
        Some(Ok(p)) if p.is_empty() => {
            v.push(Line::from(vec![
                mark(t, Mark::Ok),
                Span::raw(" nothing to fix: no check has a fix to apply"),
            ]));
            v.push(Line::styled("Esc closes", t.dim()));
        }
        Some(Ok(_)) => {
            v.push(Line::raw("What `pyve doctor --fix` would do here:"));
            let safe = s.of(FixKind::Safe);
            if !safe.is_empty() {
                v.push(Line::raw(""));
                v.push(Line::styled(
                    "Applied together (nothing is removed):",
                    t.bold(),
                ));
                for f in safe {
                    v.push(Line::raw(format!("  {}", what(t, f))));
                }
            }
            let rebuilds = s.of(FixKind::Destructive);
            if !rebuilds.is_empty() {
                v.push(Line::raw(""));
                v.push(Line::styled(
                    "Rebuilds, each only if you choose it (replaces the env):",
                    t.bold(),
                ));
                for (i, f) in rebuilds.iter().enumerate() {
                    let here = i == s.cursor;
                    let chosen = s.rebuilds.get(i).copied().unwrap_or(false);
                    let pointer = if here { t.pointer() } else { "  " };
                    let boxed = if chosen { "[x]" } else { "[ ]" };
                    let style = if here {
                        t.selected()
                    } else {
                        ratatui::style::Style::default()
                    };
                    v.push(Line::from(vec![
                        Span::raw(pointer),
                        Span::styled(format!("{boxed} {}", what(t, f)), style),
                    ]));
                }
            }
            let manual = s.of(FixKind::Manual);
            if !manual.is_empty() {
                v.push(Line::raw(""));
                v.push(Line::styled("Yours to do (pyve does not):", t.bold()));
                for f in manual {
                    v.push(Line::raw(format!(
                        "  {} {} {}",
                        t.text(&f.words),
                        t.dash(),
                        t.text(&f.labels.join("; "))
                    )));
                }
            }
            v.push(Line::raw(""));
            let mut keys = Vec::new();
            if s.applies_something() {
                keys.extend([Span::styled("Enter", t.key()), Span::raw(" apply  ")]);
            }
            if !s.rebuilds.is_empty() {
                keys.extend([
                    Span::styled("Space", t.key()),
                    Span::raw(" choose rebuild  "),
                ]);
            }
            keys.extend([Span::styled("Esc", t.key()), Span::raw(" close")]);
            v.push(Line::from(keys));
        }
    }
    let area = ui::fit(f, area, ui::overlay_rows(area, &v).max(4));
    let inner = block.inner(area);
    f.render_widget(block, area);
    render_wrapped(f, inner, &v, 0);
}
