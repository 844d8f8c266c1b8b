//! The Setup wizard: backend (the detected one preselected, with why) → env name or
//! python version → channels or the install-the-project question → review (what runs,
//! the files it writes, the same command on the CLI) → `init` as a task.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use tui_input::Input;

use super::state::{init_request, setup_steps};
use crate::tui::action::InitRequest;
use crate::tui::app::{App, InitPreview, Preview, SetupStep, SetupWizard};
use crate::tui::data::{SetupDefaults, Snapshot};
use crate::tui::theme::Mark;
use crate::tui::ui;
use crate::tui::ui::{INDENT, mark, overlay_block, wrap};
use pyve_core::engine::BackendKind;
use pyve_core::engine::detect::NoteLevel;

/// The `pyve init` command line that does what the wizard will do.
pub fn cli_equivalent(r: &InitRequest) -> String {
    let mut s = String::from("pyve init");
    if let Some(e) = &r.env {
        s.push_str(&format!(" --env {e}"));
    }
    if let Some(b) = r.backend {
        s.push_str(&format!(" --backend {b}"));
    }
    if let Some(n) = &r.env_name {
        s.push_str(&format!(" --env-name {n}"));
    }
    if let Some(v) = &r.python_version {
        s.push_str(&format!(" --python-version {v}"));
    }
    for c in &r.channels {
        s.push_str(&format!(" --channel {c}"));
    }
    match r.install_deps {
        Some(true) => s.push_str(" --install-deps"),
        Some(false) => s.push_str(" --no-install-deps"),
        None => {}
    }
    if r.force {
        s.push_str(" --force");
    }
    if r.direnv {
        s.push_str(" --direnv");
    }
    if r.dotenv {
        s.push_str(" --dotenv");
    }
    s
}

fn radio(app: &App, selected: bool, label: &str, desc: &str, compact: bool) -> Line<'static> {
    let t = &app.theme;
    let desc = if compact { "" } else { desc };
    let (pointer, dot) = match (selected, t.unicode) {
        (true, true) => (t.pointer(), "(•)"),
        (true, false) => (t.pointer(), "(*)"),
        (false, _) => ("  ", "( )"),
    };
    let line = Line::from(vec![
        Span::raw(format!("{pointer}{dot} ")),
        Span::styled(format!("{label:<11}"), t.bold()),
        Span::styled(desc.to_string(), t.dim()),
    ]);
    if selected {
        line.style(t.selected())
    } else {
        line
    }
}

/// Draws `top`, then the input line (with the cursor in it), then `bottom`.
fn draw_with_input(
    f: &mut Frame,
    app: &App,
    area: Rect,
    top: &[Line<'_>],
    input: &Input,
    bottom: &[Line<'_>],
) {
    let t = &app.theme;
    let top = wrap::wrap_all(top, area.width as usize, INDENT);
    let top_h = (top.len() as u16).min(area.height.saturating_sub(1));
    f.render_widget(
        Paragraph::new(top),
        Rect::new(area.x, area.y, area.width, top_h),
    );
    let y = area.y + top_h;
    if y >= area.bottom() {
        return;
    }
    let prompt = "> ";
    let w = area.width.saturating_sub(prompt.len() as u16) as usize;
    let scroll = input.visual_scroll(w.max(1));
    let value: String = t.text(input.value()).chars().skip(scroll).take(w).collect();
    f.render_widget(
        Paragraph::new(Line::from(vec![
            Span::styled(prompt, t.key()),
            Span::styled(value, t.bold()),
        ])),
        Rect::new(area.x, y, area.width, 1),
    );
    let cx = area.x + prompt.len() as u16 + (input.visual_cursor().saturating_sub(scroll)) as u16;
    f.set_cursor_position((cx.min(area.right().saturating_sub(1)), y));
    let rest = Rect::new(
        area.x,
        y + 1,
        area.width,
        area.bottom().saturating_sub(y + 1),
    );
    ui::render_wrapped_more(f, rest, bottom, 0, Some((t, "")));
}

/// What a step shows: the lines above the input (or all of them), the lines under it,
/// and the line that must stay in view on a small screen (the selected option).
#[derive(Default)]
struct Body {
    top: Vec<Line<'static>>,
    bottom: Vec<Line<'static>>,
    focus: usize,
}

/// The steps as breadcrumbs, the current one in brackets.
fn crumbs(app: &App, steps: &[SetupStep], pos: usize) -> Line<'static> {
    let t = &app.theme;
    let sep = if t.unicode { " › " } else { " > " };
    let mut crumbs = Vec::new();
    for (i, s) in steps.iter().enumerate() {
        if i > 0 {
            crumbs.push(Span::styled(sep, t.dim()));
        }
        if i == pos {
            crumbs.push(Span::styled(format!("[{}]", s.title()), t.bold()));
        } else {
            crumbs.push(Span::styled(s.title(), t.dim()));
        }
    }
    Line::from(crumbs)
}

pub fn draw(app: &App, w: &SetupWizard, f: &mut Frame, area: Rect) {
    let t = &app.theme;
    let (Some(snap), Some(d)) = (
        app.snapshot.as_ref(),
        app.snapshot.as_ref().and_then(|s| s.setup.as_ref()),
    ) else {
        return;
    };
    let steps = setup_steps(w, d);
    let pos = steps.iter().position(|s| *s == w.step).unwrap_or(0);
    let block = overlay_block(
        app,
        format!(
            "Setup {} step {} of {}: {}",
            t.dash(),
            pos + 1,
            steps.len(),
            w.step.title()
        ),
    );
    let compact = ui::is_compact(f.area());
    let mut b = Body::default();
    if !compact {
        b.top = vec![crumbs(app, &steps, pos), Line::raw("")];
    }
    match w.step {
        SetupStep::Env => env_step(app, w, d, compact, &mut b),
        SetupStep::Backend => backend_step(app, w, snap, d, compact, &mut b),
        SetupStep::EnvName => env_name_step(app, w, d, &mut b),
        SetupStep::Python => python_step(app, w, d, compact, &mut b),
        SetupStep::Channels => channels_step(app, d, &mut b),
        SetupStep::Editable => editable_step(app, w, compact, &mut b),
        SetupStep::Review => review_step(app, w, snap, &mut b),
    }
    if let Some(e) = &w.error {
        b.bottom.push(Line::from(vec![
            mark(t, Mark::Fail),
            Span::styled(format!(" {}", t.text(e)), t.error()),
        ]));
    }
    let Body {
        mut top,
        bottom,
        focus,
    } = b;
    let input = match w.step {
        SetupStep::Env => Some(&w.env),
        SetupStep::EnvName => Some(&w.env_name),
        SetupStep::Python => Some(&w.python),
        SetupStep::Channels => Some(&w.channels),
        _ => None,
    };
    let rows = match input {
        Some(_) => ui::overlay_rows(area, &top) + 1 + ui::overlay_rows(area, &bottom),
        None => ui::overlay_rows(area, &top) + ui::overlay_rows(area, &bottom),
    };
    let area = ui::fit(f, area, rows.max(8));
    let inner = block.inner(area);
    f.render_widget(block, area);
    match input {
        Some(i) => draw_with_input(f, app, inner, &top, i, &bottom),
        None => {
            top.extend(bottom);
            ui::render_focused(f, inner, &top, focus);
        }
    }
}

/// Backend: venv or micromamba, the detected one with why, and its warnings.
fn backend_step(
    app: &App,
    w: &SetupWizard,
    snap: &Snapshot,
    d: &SetupDefaults,
    compact: bool,
    b: &mut Body,
) {
    let t = &app.theme;
    let det = snap.detection();
    b.top.push(Line::raw(
        "Which backend builds this project's environment?",
    ));
    b.focus = b.top.len() + usize::from(w.backend == BackendKind::Micromamba);
    b.top.push(radio(
        app,
        w.backend == BackendKind::Venv,
        "venv",
        "a venv from the asdf, pyenv or system python; pip installs",
        compact,
    ));
    b.top.push(radio(
        app,
        w.backend == BackendKind::Micromamba,
        "micromamba",
        "a conda env built by micromamba from the env file",
        compact,
    ));
    b.top.push(Line::raw(""));
    if let Some(det) = det {
        b.top.push(Line::from(vec![
            Span::styled("detected: ", t.dim()),
            Span::raw(t.text(&det.summary()).into_owned()),
            Span::styled(
                format!(" ({})", crate::tui::pane::backend::source_words(det.source)),
                t.dim(),
            ),
        ]));
        for n in &det.notes {
            let m = match n.level {
                NoteLevel::Warning => Mark::Warn,
                NoteLevel::Info => Mark::Info,
            };
            b.top.push(Line::from(vec![
                mark(t, m),
                Span::raw(format!(" {}", t.text(&n.message))),
            ]));
        }
        if det.ambiguous || w.backend != w.detected {
            b.top.push(Line::styled(
                "your choice is written to .pyve/config (backend:)",
                t.accent(),
            ));
        }
    }
    if w.backend == BackendKind::Micromamba && !d.micromamba_found {
        b.top.push(Line::from(vec![
            mark(t, Mark::Warn),
            Span::raw(" micromamba is not installed: the review offers the Bootstrap wizard"),
        ]));
    }
}

/// Environment name: the default and where it comes from, and what a typed name
/// becomes.
fn env_name_step(app: &App, w: &SetupWizard, d: &SetupDefaults, b: &mut Body) {
    let t = &app.theme;
    b.top.push(Line::raw(
        "Name of the micromamba environment (it lives in .pyve/envs/NAME):",
    ));
    match &d.env_name {
        Ok((n, from)) => b.bottom.push(Line::styled(
            format!("default: {n} (from the {from})"),
            t.dim(),
        )),
        Err(e) => b
            .bottom
            .push(Line::styled(format!("no default: {}", t.text(e)), t.dim())),
    }
    if let Ok(s) = pyve_core::engine::envname::sanitize(w.env_name.value())
        && s != w.env_name.value().trim()
    {
        b.bottom
            .push(Line::styled(format!("will be: {s}"), t.accent()));
    }
}

/// Environment: a text field, and under it the project's envs to choose from with Up /
/// Down; a new name adds an env.
fn env_step(app: &App, w: &SetupWizard, d: &SetupDefaults, compact: bool, b: &mut Body) {
    let t = &app.theme;
    b.top.push(Line::raw(if compact {
        "Which env? (a new name adds one)"
    } else {
        "Which of the project's envs to set up? (a new name adds one, as `pyve init --env NAME`):"
    }));
    let typed = w.env.value().trim();
    for (name, what) in super::state::env_choices(d) {
        let on = name == typed;
        let line = Line::from(vec![
            Span::raw(if on { t.pointer() } else { "  " }),
            Span::styled(format!("{name:<12}"), t.bold()),
            Span::styled(format!(" {}", t.text(&what)), t.dim()),
        ]);
        b.bottom
            .push(if on { line.style(t.selected()) } else { line });
    }
    if !typed.is_empty() && !d.envs.iter().any(|(n, _)| n == typed) {
        b.bottom.push(Line::styled(
            format!(
                "new env `{}`: built at .pyve/envs/{}",
                t.text(typed),
                t.text(typed)
            ),
            t.accent(),
        ));
    } else if typed != d.shown_env && !compact {
        b.bottom.push(Line::styled(
            "Enter shows that env; then i sets it up",
            t.dim(),
        ));
    }
}

/// Python version: a text field, and under it the versions pyve knows — the one the
/// project asks for and every installed python — to choose from with Up / Down.
fn python_step(app: &App, w: &SetupWizard, d: &SetupDefaults, compact: bool, b: &mut Body) {
    let t = &app.theme;
    b.top.push(Line::raw(if compact {
        "Python version (empty: the default):"
    } else {
        "Python version for the venv (3.11 matches 3.11.7; empty: the default):"
    }));
    let choices = super::state::python_choices(d);
    if choices.is_empty() {
        b.bottom.push(Line::styled(
            "default: none requested; the first python found (asdf, then pyenv, then the system)",
            t.dim(),
        ));
        return;
    }
    if !compact {
        b.bottom.push(Line::styled(
            "Up / Down chooses one of these; any other version can be typed:",
            t.dim(),
        ));
    }
    let typed = w.python.value().trim();
    for (v, what) in choices {
        let on = v == typed;
        let line = Line::from(vec![
            Span::raw(if on { t.pointer() } else { "  " }),
            Span::styled(format!("{v:<9}"), t.bold()),
            Span::styled(format!(" {}", t.text(&what)), t.dim()),
        ]);
        b.bottom
            .push(if on { line.style(t.selected()) } else { line });
    }
}

/// Channels: the config's, and the env file the env is built from.
fn channels_step(app: &App, d: &SetupDefaults, b: &mut Body) {
    let t = &app.theme;
    b.top
        .push(Line::raw("Channels to add (comma-separated; empty: none):"));
    b.bottom.push(Line::styled(
        if d.channels.is_empty() {
            "none in .pyve/config; the env file's own channels apply".to_string()
        } else {
            format!("already used: {} (.pyve/config)", d.channels.join(", "))
        },
        t.dim(),
    ));
    if let Some(f) = &d.env_file {
        b.bottom
            .push(Line::styled(format!("built from: {f}"), t.dim()));
    }
}

/// Install the project: yes or no.
fn editable_step(app: &App, w: &SetupWizard, compact: bool, b: &mut Body) {
    b.top.push(Line::raw(
        "This project has a pyproject.toml and no requirements.txt.",
    ));
    b.top.push(Line::raw(
        "Install the project itself into the venv (pip install -e .)?",
    ));
    b.focus = b.top.len() + usize::from(!w.editable);
    b.top.push(radio(
        app,
        w.editable,
        "yes",
        "pip install -e . after creating it",
        compact,
    ));
    b.top.push(radio(
        app,
        !w.editable,
        "no",
        "create the venv only",
        compact,
    ));
}

/// Review: the same command for the CLI, the plan (or why there is none), --force.
fn review_step(app: &App, w: &SetupWizard, snap: &Snapshot, b: &mut Body) {
    let t = &app.theme;
    let req = init_request(w, snap);
    b.top.push(Line::from(vec![
        Span::styled("same as: ", t.dim()),
        Span::styled(cli_equivalent(&req), t.bold()),
    ]));
    b.top.push(Line::raw(""));
    match &w.preview {
        None | Some(Preview::Loading) => b.top.push(Line::styled(
            format!("{} planning{}", t.spinner(app.tick), t.ellipsis()),
            t.dim(),
        )),
        Some(Preview::Failed(e)) => {
            for (i, l) in e.message.lines().enumerate() {
                if i == 0 {
                    b.top.push(Line::from(vec![
                        mark(t, Mark::Fail),
                        Span::raw(format!(" {}", t.text(l))),
                    ]));
                } else {
                    b.top.push(Line::raw(format!("  {}", t.text(l))));
                }
            }
            if e.needs_bootstrap {
                b.top.push(Line::styled(
                    "Enter or b: open the Bootstrap wizard to install micromamba",
                    t.accent(),
                ));
            }
        }
        Some(Preview::Ready(p)) => plan_lines(app, p, &mut b.top),
    }
    b.top.push(Line::raw(""));
    for (on, what, key) in [
        (
            w.force,
            " --force: remove the env and build it again ",
            "(f)",
        ),
        (
            w.direnv,
            " --direnv: write an .envrc that activates the env ",
            "(d)",
        ),
        (
            w.dotenv,
            " --dotenv: create an empty .env for run's variables ",
            "(e)",
        ),
    ] {
        b.top.push(Line::from(vec![
            Span::raw(if on { "[x]" } else { "[ ]" }),
            Span::raw(what),
            Span::styled(key, t.key()),
        ]));
    }
}

/// A ready plan: what init does and why, its steps with their command lines, the files
/// it writes, its notes.
fn plan_lines(app: &App, p: &InitPreview, top: &mut Vec<Line<'static>>) {
    let t = &app.theme;
    let mut head = vec![Span::styled(t.text(&p.summary).into_owned(), t.bold())];
    if !p.reason.is_empty() {
        head.push(Span::raw(format!(" {} {}", t.dash(), t.text(&p.reason))));
    }
    top.push(Line::from(head));
    if !p.steps.is_empty() {
        top.push(Line::styled("Runs:", t.dim()));
        for (label, cmd) in &p.steps {
            top.push(Line::styled(
                format!("  {} {}", if t.unicode { "»" } else { ">>" }, t.text(label)),
                t.accent(),
            ));
            top.push(Line::styled(format!("    $ {}", t.text(cmd)), t.dim()));
        }
    }
    if !p.files.is_empty() {
        top.push(Line::styled("Writes:", t.dim()));
        let wpath = p.files.iter().map(|(f, _)| f.len()).max().unwrap_or(0);
        for (file, what) in &p.files {
            top.push(Line::from(vec![
                Span::raw(format!("  {:<wpath$}  ", t.text(file))),
                Span::styled(t.text(what).into_owned(), t.dim()),
            ]));
        }
    }
    for n in &p.notes {
        top.push(Line::from(vec![
            mark(t, Mark::Info),
            Span::raw(format!(" {}", t.text(n))),
        ]));
    }
}
