//! The Bootstrap wizard: the original pyve's four options with each target path (option 3 with
//! the package manager's exact command, or why there is none), then the download's
//! progress bar and its verification steps.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use crate::tui::app::{App, BootstrapPhase, BootstrapRun, BootstrapWizard, StepState};
use crate::tui::theme::Mark;
use crate::tui::ui;
use crate::tui::ui::{mark, overlay_block};
use pyve_core::engine::BackendKind;
use pyve_core::engine::bootstrap::{SystemInstall, Target};
use pyve_core::sys::term::human_size as size;

fn option(
    app: &App,
    w: &BootstrapWizard,
    i: usize,
    label: &str,
    target: &str,
    compact: bool,
) -> Line<'static> {
    let t = &app.theme;
    let label = if compact {
        format!("{label} ")
    } else {
        format!("{label:<24}")
    };
    let selected = w.selected == i && w.phase == BootstrapPhase::Choose;
    let default = match w.menu.default {
        Target::Project => 0,
        Target::User => 1,
    };
    let mut spans = vec![
        Span::raw(if selected { t.pointer() } else { "  " }),
        Span::styled(format!("{} ", i + 1), t.key()),
        Span::styled(label, t.bold()),
        Span::raw(t.text(target).into_owned()),
    ];
    if i == default {
        spans.push(Span::styled("  [default]", t.dim()));
    }
    let line = Line::from(spans);
    if selected {
        line.style(t.selected())
    } else {
        line
    }
}

fn run_lines(app: &App, run: &BootstrapRun) -> Vec<Line<'static>> {
    let t = &app.theme;
    let mut v = vec![
        Line::styled(
            format!("Installing micromamba to {}", t.text(&run.target)),
            t.bold(),
        ),
        Line::raw(""),
    ];
    for (i, (label, state)) in BootstrapRun::LABELS
        .iter()
        .zip(run.steps.iter())
        .enumerate()
    {
        let (m, extra) = match state {
            StepState::Pending => (
                Span::styled(if t.unicode { "·" } else { "." }, t.dim()),
                String::new(),
            ),
            StepState::Active => (Span::styled(t.spinner(app.tick), t.accent()), String::new()),
            StepState::Done(x) => (mark(t, Mark::Ok), x.clone()),
            StepState::Failed => (mark(t, Mark::Fail), String::new()),
        };
        let mut spans = vec![m, Span::raw(format!(" {label}"))];
        if !extra.is_empty() {
            spans.push(Span::styled(format!("  {}", t.text(&extra)), t.dim()));
        }
        v.push(Line::from(spans));
        // The bar sits under the download step.
        if i == 1
            && let Some((done, total)) = run.bytes
        {
            let bar = match total.filter(|t| *t > 0) {
                Some(total) => format!(
                    "    [{}] {:>3}%  {} / {}",
                    t.bar(done, total, 24),
                    done.min(total) * 100 / total,
                    size(done),
                    size(total)
                ),
                None => format!("    {} received", size(done)),
            };
            v.push(Line::styled(bar, t.accent()));
        }
    }
    v
}

pub fn draw(app: &App, w: &BootstrapWizard, f: &mut Frame, area: Rect) {
    let t = &app.theme;
    let block = overlay_block(app, "Bootstrap micromamba".into());
    let mut v: Vec<Line> = Vec::new();
    let mut focus = 0;
    let compact = ui::is_compact(f.area());
    match &w.phase {
        BootstrapPhase::Choose | BootstrapPhase::ConfirmSystem => {
            (v, focus) = menu_lines(app, w, compact);
        }
        BootstrapPhase::Downloading(run) => v = run_lines(app, run),
        BootstrapPhase::SystemRunning(cmd) => {
            v.push(Line::from(vec![
                Span::styled(t.spinner(app.tick), t.accent()),
                Span::raw(format!(" running {cmd}")),
            ]));
            v.push(Line::styled(
                "its output streams into the Log pane",
                t.dim(),
            ));
        }
        BootstrapPhase::Done(run, result) => v = done_lines(app, run.as_ref(), result),
    }
    if matches!(w.phase, BootstrapPhase::Done(..)) {
        // The result and what to do next matter more than the checklist above it.
        focus = v.len().saturating_sub(1);
    }
    let area = ui::fit(f, area, ui::overlay_rows(area, &v).max(8));
    let inner = block.inner(area);
    f.render_widget(block, area);
    ui::render_focused(f, inner, &v, focus);
}

/// The four options (with why micromamba is needed, where the download comes from,
/// and option 3's question), and the row to keep in view.
fn menu_lines(app: &App, w: &BootstrapWizard, compact: bool) -> (Vec<Line<'static>>, usize) {
    let t = &app.theme;
    let mut v = Vec::new();
    let mut focus;
    let snap = app.snapshot.as_ref();
    let needed = snap.is_some_and(|s| {
        s.backend() == Some(BackendKind::Micromamba) && s.tool().is_some_and(|t| t.found.is_none())
    });
    let why = snap
        .and_then(|s| s.detection())
        .map(|d| d.evidence.join(", "))
        .unwrap_or_default();
    v.push(Line::raw(if needed && !why.is_empty() {
        format!("micromamba is required for this project ({why}) but was not found.")
    } else if needed {
        "micromamba is required for this project but was not found.".to_string()
    } else {
        "Install micromamba:".to_string()
    }));
    v.push(Line::raw(""));
    focus = v.len() + w.selected;
    v.push(option(
        app,
        w,
        0,
        "Project sandbox",
        &w.menu.project,
        compact,
    ));
    v.push(option(app, w, 1, "User sandbox", &w.menu.user, compact));
    let system = match &w.menu.system {
        SystemInstall::Available { command, .. } => command.clone(),
        SystemInstall::Unavailable { why } => format!("unavailable {} {why}", t.dash()),
    };
    v.push(option(
        app,
        w,
        2,
        "System package manager",
        &system,
        compact,
    ));
    v.push(option(app, w, 3, "Abort", "", compact));
    v.push(Line::raw(""));
    match &w.menu.source {
        Ok(s) => v.push(Line::styled(
            format!("downloads {}, verified by its published sha256", t.text(s)),
            t.dim(),
        )),
        Err(e) => v.push(Line::from(vec![
            mark(t, Mark::Fail),
            Span::raw(format!(" {}", t.text(e))),
        ])),
    }
    if let Some(m) = &w.message {
        v.push(Line::from(vec![
            mark(t, Mark::Warn),
            Span::raw(format!(" {}", t.text(m))),
        ]));
    }
    if w.phase == BootstrapPhase::ConfirmSystem
        && let SystemInstall::Available { command, .. } = &w.menu.system
    {
        v.push(Line::raw(""));
        focus = v.len();
        v.push(Line::from(vec![
            Span::styled(format!("Run `{command}`? "), t.bold()),
            Span::styled("y", t.key()),
            Span::raw(" yes  "),
            Span::styled("n", t.key()),
            Span::raw(" no"),
        ]));
    }
    (v, focus)
}

/// The result: the download's checklist (if it was one), the success or the error, and
/// what Enter does now.
fn done_lines(
    app: &App,
    run: Option<&BootstrapRun>,
    result: &Result<String, String>,
) -> Vec<Line<'static>> {
    let t = &app.theme;
    let mut v = Vec::new();
    if let Some(run) = run {
        v = run_lines(app, run);
        v.push(Line::raw(""));
    }
    match result {
        Ok(msg) => {
            v.push(Line::from(vec![
                mark(t, Mark::Ok),
                Span::styled(format!(" {}", t.text(msg)), t.bold()),
            ]));
            v.push(Line::raw(""));
            v.push(Line::styled(
                "Enter: set up the environment (Setup wizard)   Esc: close",
                t.accent(),
            ));
        }
        Err(e) => {
            for (i, l) in e.lines().enumerate() {
                if i == 0 {
                    v.push(Line::from(vec![
                        mark(t, Mark::Fail),
                        Span::raw(format!(" {}", t.text(l))),
                    ]));
                } else {
                    v.push(Line::raw(format!("  {}", t.text(l))));
                }
            }
            v.push(Line::raw(""));
            v.push(Line::styled(
                "Enter: back to the options   Esc: close",
                t.accent(),
            ));
        }
    }
    v
}
