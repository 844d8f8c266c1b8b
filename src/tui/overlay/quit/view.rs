//! Asked before quitting while a task runs.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use crate::tui::app::{App, JobKind};
use crate::tui::ui::{overlay_block, render_wrapped};

/// What quitting does to the job that runs, for its kind.
pub fn consequence(kind: Option<JobKind>) -> &'static str {
    match kind {
        Some(JobKind::Init) => {
            "Quitting cancels it (its whole process group); the env it is building is left incomplete and the next init rebuilds it."
        }
        Some(JobKind::Bootstrap) => {
            "Quitting cancels the download; no partial micromamba is left behind."
        }
        Some(JobKind::SystemInstall) => {
            "Quitting stops the package manager (its whole process group), which may leave its own work half done."
        }
        Some(JobKind::Purge) => {
            "Quitting stops the removal; what is already removed stays removed, `p` lists the rest."
        }
        Some(JobKind::Lock) => {
            "Quitting stops conda-lock (its whole process group); conda-lock.yml stays as it was."
        }
        Some(JobKind::Run) | None => {
            "Quitting stops the command (its whole process group). The env is not changed."
        }
    }
}

pub fn draw(app: &App, f: &mut Frame, area: Rect) {
    let t = &app.theme;
    let title = app
        .job
        .as_ref()
        .map(|j| j.title.clone())
        .unwrap_or_else(|| "a task".into());
    let v = vec![
        Line::raw(format!("{} is still running.", t.text(&title))),
        Line::raw(consequence(app.job.as_ref().map(|j| j.kind))),
        Line::raw(""),
        Line::from(vec![
            Span::styled("y", t.key()),
            Span::raw(" quit  "),
            Span::styled("n", t.key()),
            Span::raw(" stay"),
        ]),
    ];
    let area = crate::tui::ui::fit(f, area, crate::tui::ui::overlay_rows(area, &v));
    let block = overlay_block(app, "Quit?".into());
    let inner = block.inner(area);
    f.render_widget(block, area);
    render_wrapped(f, inner, &v, 0);
}
