//! The key tables against the docs, against what the keys did before they were data,
//! and against themselves. docs/tui.md and the README carry, between [`BEGIN`] and
//! [`END`], the tables [`markdown`] makes from the bindings; the test fails when they
//! differ (`PYVE_UPDATE_DOCS=1 cargo test --bin pyve keys` rewrites them; review the
//! diff). The dashboard's keys and every footer are compared with the code they
//! replaced; and no key is bound twice with two meanings where it is pressed.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::*;
use crate::tui::overlay::fix::state::FixAll;
use crate::tui::test_support::*;
use pyve_core::engine::doctor::plan::FixPlan;

const BEGIN: &str = "<!-- keys: generated from the bindings in src/tui (a test checks it) -->\n";
const END: &str = "<!-- /keys -->";

/// How many of [`sections`] are the dashboard's (the README lists those).
const DASHBOARD_SECTIONS: usize = 4;

/// The sections as markdown tables, as docs/tui.md and the README carry them.
fn markdown(sections: &[Section]) -> String {
    let cell = |s: &str| s.replace('|', "\\|");
    let mut out = String::new();
    for (i, s) in sections.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        out.push_str(&format!("**{}**\n\n| key | does |\n|---|---|\n", s.title));
        for (k, d) in &s.rows {
            out.push_str(&format!("| {} | {} |\n", cell(k), cell(d)));
        }
    }
    // A blank line ends the last table before the end marker.
    out.push('\n');
    out
}

/// The text between the markers in `path` is `expected`, or the file is rewritten when
/// `PYVE_UPDATE_DOCS` is set; `Err` says what differs.
fn check_doc(path: &str, expected: &str) -> Result<(), String> {
    let file = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(path);
    let text = std::fs::read_to_string(&file).map_err(|e| format!("{path}: {e}"))?;
    let start = text
        .find(BEGIN)
        .ok_or_else(|| format!("{path}: no {BEGIN:?} marker"))?
        + BEGIN.len();
    let end = start
        + text[start..]
            .find(END)
            .ok_or_else(|| format!("{path}: no {END:?} marker"))?;
    if &text[start..end] == expected {
        return Ok(());
    }
    if std::env::var_os("PYVE_UPDATE_DOCS").is_some() {
        let new = format!("{}{expected}{}", &text[..start], &text[end..]);
        std::fs::write(&file, new).map_err(|e| format!("{path}: {e}"))?;
        return Ok(());
    }
    Err(format!(
        "{path}: the key tables differ from the bindings (PYVE_UPDATE_DOCS=1 rewrites them); expected:\n{expected}"
    ))
}

#[test]
fn the_docs_key_tables_are_the_bindings() {
    let all = sections();
    let dashboard: Vec<Section> = all.into_iter().take(DASHBOARD_SECTIONS).collect();
    let results = [
        check_doc("docs/tui.md", &markdown(&sections())),
        check_doc("README.md", &markdown(&dashboard)),
    ];
    let errors: Vec<String> = results.into_iter().filter_map(Result::err).collect();
    assert!(errors.is_empty(), "{}", errors.join("\n\n"));
}

#[test]
fn every_row_is_documented_and_fits_helps_key_column() {
    for s in sections() {
        for (k, d) in &s.rows {
            assert!(!k.is_empty() && !d.is_empty(), "{}: {k:?} {d:?}", s.title);
            // Help's key column is as wide as its widest key; wider would move every row.
            assert!(k.len() <= "Tab / Shift-Tab".len(), "{}: {k:?}", s.title);
        }
    }
}

/// The dashboard's keys as `update` matched them before they were data.
fn old_dashboard_key(app: &App, k: &KeyEvent) -> Option<String> {
    let ctrl = |c| k.modifiers.contains(KeyModifiers::CONTROL) && k.code == KeyCode::Char(c);
    let page = (app.size.1 as usize / 2).max(1);
    if ctrl('c') {
        return Some(format!("{:?}", Action::Cancel));
    }
    let action = match k.code {
        KeyCode::Tab => Action::FocusNext,
        KeyCode::BackTab => Action::FocusPrev,
        KeyCode::Char('1') => Action::Focus(Pane::Backend),
        KeyCode::Char('2') => Action::Focus(Pane::Tools),
        KeyCode::Char('3') => Action::Focus(Pane::Health),
        KeyCode::Char('4') => Action::Focus(Pane::Log),
        KeyCode::Char('d') if ctrl('d') => Action::ScrollDown(page),
        KeyCode::Char('u') if ctrl('u') => Action::ScrollUp(page),
        KeyCode::Char('z') => Action::ToggleZoom,
        KeyCode::Char('j') | KeyCode::Down => Action::ScrollDown(1),
        KeyCode::Char('k') | KeyCode::Up => Action::ScrollUp(1),
        KeyCode::Char('g') | KeyCode::Home => Action::ScrollTop,
        KeyCode::Char('G') | KeyCode::End => Action::ScrollBottom,
        KeyCode::PageDown => Action::ScrollDown(page),
        KeyCode::PageUp => Action::ScrollUp(page),
        KeyCode::Char('f') if app.focus == Pane::Log => Action::ToggleFollow,
        KeyCode::Char('/') if app.focus == Pane::Log => Action::LogSearch,
        KeyCode::Char('e') if app.focus == Pane::Log => Action::LogNextError,
        KeyCode::Char('n') if app.focus == Pane::Log && app.log_search.is_some() => {
            Action::LogFind(crate::tui::pane::log::search::Toward::Older)
        }
        KeyCode::Char('N') if app.focus == Pane::Log && app.log_search.is_some() => {
            Action::LogFind(crate::tui::pane::log::search::Toward::Newer)
        }
        // Enter acted only on Health (`activate` checked the focus).
        KeyCode::Enter if app.focus == Pane::Health => Action::Activate,
        // Added with the Fix plan: `F` on Health.
        KeyCode::Char('F') if app.focus == Pane::Health => Action::OpenFixPlan,
        KeyCode::Char('i') => Action::OpenSetup,
        KeyCode::Char('b') => Action::OpenBootstrap,
        KeyCode::Char('r') | KeyCode::Char(':') => Action::OpenRun,
        KeyCode::Char('p') => Action::OpenPurge,
        // Added with several envs per project.
        KeyCode::Char(']') => Action::NextEnv,
        KeyCode::Char('[') => Action::PrevEnv,
        KeyCode::Char('?') => Action::OpenHelp,
        KeyCode::Char('R') | KeyCode::F(5) => Action::Refresh,
        KeyCode::Char('q') => Action::Quit,
        KeyCode::Esc if app.zoom => Action::ToggleZoom,
        _ => return None,
    };
    Some(format!("{action:?}"))
}

/// The dashboard's keys as the tables match them now.
fn new_dashboard_key(app: &App, k: &KeyEvent) -> Option<String> {
    let cmd = lookup(GLOBAL, app, &(), k)
        .or_else(|| lookup(pane::bindings(app.focus), app, &(), k))
        .or_else(|| lookup(pane::SCROLLING, app, &(), k))?;
    let page = (app.size.1 as usize / 2).max(1);
    let action = match cmd {
        Cmd::Act(a) => a.clone(),
        Cmd::PageDown => Action::ScrollDown(page),
        Cmd::PageUp => Action::ScrollUp(page),
        Cmd::Unzoom if app.zoom => Action::ToggleZoom,
        Cmd::Unzoom => return None,
    };
    Some(format!("{action:?}"))
}

fn all_keys() -> Vec<KeyEvent> {
    let mut codes: Vec<KeyCode> = (' '..='~').map(KeyCode::Char).collect();
    codes.extend([
        KeyCode::Tab,
        KeyCode::BackTab,
        KeyCode::Enter,
        KeyCode::Esc,
        KeyCode::Up,
        KeyCode::Down,
        KeyCode::Left,
        KeyCode::Right,
        KeyCode::Home,
        KeyCode::End,
        KeyCode::PageUp,
        KeyCode::PageDown,
        KeyCode::Backspace,
        KeyCode::Delete,
        KeyCode::F(1),
        KeyCode::F(5),
    ]);
    let mods = [
        KeyModifiers::NONE,
        KeyModifiers::SHIFT,
        KeyModifiers::CONTROL,
        KeyModifiers::ALT,
    ];
    codes
        .iter()
        .flat_map(|c| mods.iter().map(|m| KeyEvent::new(*c, *m)))
        .collect()
}

#[test]
fn the_dashboard_keys_mean_what_they_meant() {
    let mut app = app_with(pip_project(), 100, 30);
    for zoom in [false, true] {
        for focus in Pane::ALL {
            app.zoom = zoom;
            app.focus = focus;
            for k in all_keys() {
                assert_eq!(
                    new_dashboard_key(&app, &k),
                    old_dashboard_key(&app, &k),
                    "{k:?} on {focus:?}, zoom {zoom}"
                );
            }
        }
    }
}

/// The footer as written out by hand: what each context's footer must show.
fn old_footer(app: &App) -> Vec<(&'static str, &'static str)> {
    let running = app.job.is_some();
    let mut v = Vec::new();
    if let Some(o) = &app.overlay {
        match o {
            Overlay::Setup(w) => {
                // Enter says what it does on the review: run init, or bootstrap first.
                let ready = matches!(w.preview, Some(Preview::Ready(_)));
                let bootstrap = matches!(&w.preview, Some(Preview::Failed(e)) if e.needs_bootstrap);
                match w.step {
                    SetupStep::Review if ready => v.push(("Enter", "run init")),
                    SetupStep::Review if bootstrap => v.push(("Enter", "bootstrap")),
                    SetupStep::Review => {}
                    _ => v.push(("Enter", "next")),
                }
                v.push(("Esc", "back"));
                match w.step {
                    SetupStep::Backend => v.push(("j/k", "choose")),
                    SetupStep::Editable => v.push(("y/n", "answer")),
                    SetupStep::Python => v.push(("Up/Down", "choose")),
                    SetupStep::Review if ready => v.push(("f", "force")),
                    _ => {}
                }
            }
            Overlay::Bootstrap(w) => match w.phase {
                BootstrapPhase::Choose => {
                    v.push(("1-4", "pick"));
                    v.push(("Enter", "choose"));
                    v.push(("Esc", "close"));
                }
                BootstrapPhase::ConfirmSystem => {
                    v.push(("y", "run it"));
                    v.push(("n", "back"));
                }
                BootstrapPhase::Done(_, Ok(_)) => {
                    v.push(("Enter", "setup"));
                    v.push(("Esc", "close"));
                }
                _ => v.push(("Esc", "close")),
            },
            Overlay::Run(_) => {
                v.push(("Enter", "run"));
                v.push(("Esc", "close"));
                v.push(("Up/Down", "history"));
            }
            Overlay::Purge(p) => {
                v.push(("y", "remove"));
                v.push(("n", "keep"));
                if p.env_shown.is_some() {
                    v.push(("a", "all envs / this env"));
                }
            }
            Overlay::Help { .. } => {
                v.push(("j/k", "scroll"));
                v.push(("Esc", "close"));
            }
            Overlay::QuitConfirm => {
                v.push(("y", "quit"));
                v.push(("n", "stay"));
            }
            Overlay::Fix(s) => {
                if s.applies_something() {
                    v.push(("Enter", "apply"));
                }
                if !s.rebuilds.is_empty() {
                    v.push(("Space", "choose rebuild"));
                }
                v.push(("Esc", "close"));
            }
        }
        if running {
            v.push(("Ctrl-C", "cancel task"));
        }
        return v;
    }
    if running {
        v.push(("Ctrl-C", "cancel"));
    }
    match app.focus {
        Pane::Backend | Pane::Tools => v.push(("j/k", "scroll")),
        Pane::Health => {
            v.push(("j/k", "select"));
            v.push(("Enter", "fix"));
        }
        Pane::Log => {
            v.push(("j/k", "scroll"));
            v.push(("f", "follow"));
            v.push(("G", "end"));
            v.push(("/", "find"));
            if app.log_search.as_ref().is_some_and(|s| !s.editing) {
                v.push(("n/N", "match"));
            }
            let n = app.log.len();
            if (n.saturating_sub(500)..n)
                .any(|i| crate::tui::pane::log::search::is_error(app.log.get(i).unwrap()))
            {
                v.push(("e", "error"));
            }
        }
    }
    v.extend([
        ("?", "help"),
        ("q", "quit"),
        ("Tab", "pane"),
        ("i", "setup"),
    ]);
    // The Fix plan, when some check has a fix (less important than the keys above).
    let problems = app.snapshot.as_ref().unwrap().doctor.checks.iter();
    if app.focus == Pane::Health
        && problems
            .filter(|c| c.status != Status::Ok)
            .any(|c| c.action.is_some())
    {
        v.push(("F", "fix all"));
    }
    // Only the keys that apply: the bootstrap when micromamba is needed and missing,
    // purge when there is something to purge.
    let snap = app.snapshot.as_ref().unwrap();
    if snap.backend() == Some(pyve_core::engine::BackendKind::Micromamba)
        && !snap.setup.as_ref().unwrap().micromamba_found
    {
        v.push(("b", "bootstrap"));
    }
    v.push(("r", "run"));
    if snap.purgeable {
        v.push(("p", "purge"));
    }
    v
}

/// One of each overlay and phase, for the footer.
/// A fix plan with a safe fix and a rebuild, as doctor's plan makes it.
fn fix_plan_with_a_rebuild() -> FixPlan {
    pyve_core::engine::doctor::plan::plan(&report(
        "venv",
        vec![
            check(
                CheckId::Env,
                Status::Fail,
                "env",
                Some((Fix::init(), "init")),
            ),
            check(
                CheckId::Drift,
                Status::Warn,
                "drift",
                Some((Fix::rebuild(), "rebuild")),
            ),
        ],
    ))
}

fn every_overlay(app: &App) -> Vec<Option<Overlay>> {
    let mut v = vec![None];
    let mut setup = app_with(pip_project(), 100, 30);
    update(&mut setup, key('i'));
    let Some(Overlay::Setup(w)) = setup.overlay else {
        panic!("no setup wizard")
    };
    for step in [
        SetupStep::Backend,
        SetupStep::EnvName,
        SetupStep::Python,
        SetupStep::Channels,
        SetupStep::Editable,
        SetupStep::Review,
    ] {
        let mut w = w.clone();
        w.step = step;
        v.push(Some(Overlay::Setup(w.clone())));
        if step == SetupStep::Review {
            for preview in [
                Preview::Ready(InitPreview {
                    action: "create".into(),
                    summary: String::new(),
                    reason: String::new(),
                    steps: vec![],
                    files: vec![],
                    notes: vec![],
                }),
                Preview::Failed(PreviewError {
                    message: "micromamba missing".into(),
                    needs_bootstrap: true,
                }),
                Preview::Failed(PreviewError {
                    message: "no python".into(),
                    needs_bootstrap: false,
                }),
            ] {
                let mut w = w.clone();
                w.preview = Some(preview);
                v.push(Some(Overlay::Setup(w)));
            }
        }
    }
    let wizard = BootstrapWizard {
        menu: menu(no_system()),
        selected: 0,
        phase: BootstrapPhase::Choose,
        message: None,
    };
    for phase in [
        BootstrapPhase::Choose,
        BootstrapPhase::ConfirmSystem,
        BootstrapPhase::Downloading(BootstrapRun::new("t".into())),
        BootstrapPhase::SystemRunning("brew install micromamba".into()),
        BootstrapPhase::Done(None, Ok("ok".into())),
        BootstrapPhase::Done(None, Err("no".into())),
    ] {
        let mut w = wizard.clone();
        w.phase = phase;
        v.push(Some(Overlay::Bootstrap(Box::new(w))));
    }
    v.push(Some(Overlay::Run(RunPrompt::default())));
    v.push(Some(Overlay::Purge(PurgeConfirm::new(None))));
    v.push(Some(Overlay::Purge(PurgeConfirm::new(Some("dev".into())))));
    v.push(Some(Overlay::Help { scroll: 0 }));
    v.push(Some(Overlay::QuitConfirm));
    v.push(Some(Overlay::Fix(FixAll::loading())));
    for plan in [fix_plan_with_a_rebuild(), FixPlan::default()] {
        let mut s = FixAll::loading();
        s.loaded(Ok(plan));
        v.push(Some(Overlay::Fix(s.clone())));
        s.rebuilds.iter_mut().for_each(|r| *r = true);
        v.push(Some(Overlay::Fix(s)));
    }
    let _ = app;
    v
}

#[test]
fn the_footer_shows_the_keys_that_apply() {
    let mut purgeable = pip_project();
    purgeable.purgeable = true;
    for snap in [pip_project(), conda_project(), purgeable] {
        footer_matches(app_with(snap, 100, 30));
    }
}

fn footer_matches(mut app: App) {
    for overlay in every_overlay(&app) {
        for running in [false, true] {
            for focus in Pane::ALL {
                app.overlay = overlay.clone();
                app.focus = focus;
                app.job = running.then(|| Job {
                    kind: JobKind::Init,
                    title: "init .venv".into(),
                    task: None,
                    progress: None,
                    cancelling: false,
                    started_tick: 0,
                    header: None,
                });
                assert_eq!(
                    footer(&app),
                    old_footer(&app),
                    "{overlay:?} on {focus:?}, running {running}"
                );
            }
        }
    }
}

/// The keys of `table`'s rows that apply now, each with its command: a key bound twice
/// must mean the same thing both times (the first row would hide the second).
fn one_meaning<C: std::fmt::Debug, S>(
    tables: &[&'static [Binding<C, S>]],
    app: &App,
    state: &S,
    what: &str,
) {
    let mut seen: Vec<(Key, String)> = Vec::new();
    for table in tables {
        for b in table.iter().filter(|b| (b.when)(app, state)) {
            for (k, c) in b.keys {
                let c = format!("{c:?}");
                if let Some((_, first)) = seen.iter().find(|(s, _)| s == k) {
                    assert_eq!(first, &c, "{what}: {k:?} is bound twice");
                }
                seen.push((*k, c));
            }
        }
    }
}

#[test]
fn a_key_means_one_thing_where_it_is_pressed() {
    let mut app = app_with(pip_project(), 100, 30);
    for overlay in every_overlay(&app) {
        app.overlay = overlay.clone();
        match &overlay {
            None => {
                for focus in Pane::ALL {
                    app.focus = focus;
                    let tables = [GLOBAL, pane::bindings(focus), pane::SCROLLING];
                    one_meaning(&tables, &app, &(), &format!("{focus:?}"));
                }
            }
            Some(Overlay::Setup(w)) => {
                one_meaning(&[overlay::setup::keys::BINDINGS], &app, w, "setup")
            }
            Some(Overlay::Bootstrap(w)) => {
                one_meaning(&[overlay::bootstrap::keys::BINDINGS], &app, w, "bootstrap")
            }
            Some(Overlay::Run(p)) => one_meaning(&[overlay::run::keys::BINDINGS], &app, p, "run"),
            Some(Overlay::Purge(p)) => {
                one_meaning(&[overlay::purge::keys::BINDINGS], &app, p, "purge")
            }
            Some(Overlay::Help { scroll }) => {
                one_meaning(&[overlay::help::keys::BINDINGS], &app, scroll, "help")
            }
            Some(Overlay::QuitConfirm) => {
                one_meaning(&[overlay::quit::keys::BINDINGS], &app, &(), "quit")
            }
            Some(Overlay::Fix(s)) => one_meaning(&[overlay::fix::keys::BINDINGS], &app, s, "fix"),
        }
    }
}
