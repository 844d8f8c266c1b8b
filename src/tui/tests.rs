//! The dashboard and the update loop: whole screens of the dashboard (sizes, colour,
//! locale, a running and a failed task), and `update` action by action for what
//! belongs to no one pane or overlay (focus, mouse, resize, refresh, Ctrl-C, signals,
//! opening and closing overlays).

use crate::tui::test_support::*;

#[test]
fn screen_fresh_pip_project() {
    let app = app_with(pip_project(), 100, 30);
    // The first problem is selected: the env check, whose fix Enter runs.
    assert_eq!(app.health_selected, 3);
    snapshot!("fresh_pip_project", screen(&app));
}

#[test]
fn screen_first_frame_before_detection() {
    let app = App::new(Theme::new(true, true), (80, 24));
    let s = screen(&app);
    assert!(s.contains("detecting"), "{s}");
    snapshot!("first_frame", s);
}

#[test]
fn screen_running_create_streaming() {
    let mut app = app_with(pip_project(), 100, 30);
    running_create(&mut app);
    app.tick = 3;
    snapshot!("running_create", screen(&app));
}

#[test]
fn screen_failed_task() {
    let mut app = app_with(pip_project(), 100, 40);
    running_create(&mut app);
    update(
        &mut app,
        Action::Task(TaskEvent::Line {
            id: 1,
            stream: Stream::Stderr,
            text: "ERROR: Could not find a version that satisfies the requirement requests>=2.31 (from versions: none)".into(),
        }),
    );
    update(
        &mut app,
        task(TaskEvent::Finished {
            id: 1,
            outcome: Outcome::Failed("install requirements.txt failed (exit status 1)".into()),
            duration: Duration::from_millis(3400),
        }),
    );
    update(
        &mut app,
        Action::Job(JobEvent::Line(
            LineKind::Warn,
            ".venv is left incomplete; the next init rebuilds it\nhint: i opens the Setup wizard, which runs init".into(),
        )),
    );
    update(
        &mut app,
        Action::Job(JobEvent::Done(Err(
            "install requirements.txt failed (exit status 1)".into(),
        ))),
    );
    assert!(app.job.is_none());
    let s = screen(&app);
    assert!(s.contains("init .venv — failed after 3.4s"), "{s}");
    snapshot!("failed_task", s);
}

#[test]
fn screen_tiny_terminal() {
    let app = app_with(pip_project(), 40, 10);
    snapshot!("tiny_40x10", screen(&app));
    let mut app = app_with(conda_project(), 40, 10);
    update(&mut app, key('b'));
    update(&mut app, key('j'));
    update(&mut app, key('j'));
    let s = screen(&app);
    // The selected option stays in view on a small screen.
    assert!(s.contains("3 System package"), "{s}");
    snapshot!("tiny_40x10_bootstrap", s);
}

#[test]
fn screen_resizes() {
    let mut app = app_with(pip_project(), 100, 30);
    for (w, h) in [
        (60, 16),
        (59, 16),
        (200, 50),
        (20, 5),
        (10, 3),
        (4, 3),
        (3, 2),
    ] {
        update(&mut app, Action::Resize(w, h));
        // Every size draws without panicking, with every overlay open too.
        let _ = screen(&app);
        for open in [
            Action::OpenHelp,
            Action::OpenSetup,
            Action::OpenBootstrap,
            Action::OpenRun,
            Action::OpenPurge,
        ] {
            update(&mut app, open);
            let _ = screen(&app);
            if let Some(Overlay::Setup(_)) = &app.overlay {
                for _ in 0..3 {
                    update(&mut app, code(KeyCode::Enter));
                    let _ = screen(&app);
                }
            }
            update(&mut app, Action::CloseOverlay);
        }
        running_create(&mut app);
        update(&mut app, Action::Quit);
        let _ = screen(&app);
        update(&mut app, Action::CloseOverlay);
        update(&mut app, Action::Job(JobEvent::Done(Ok(()))));
    }
}

#[test]
fn screen_no_color() {
    let mut app = app_with(pip_project(), 100, 30);
    app.theme = Theme::new(false, true);
    update(&mut app, Action::ScrollDown(3));
    let t = render(&app);
    for cell in t.backend().buffer().content() {
        assert!(
            matches!(cell.fg, Color::Reset) && matches!(cell.bg, Color::Reset),
            "a coloured cell under NO_COLOR: {cell:?}"
        );
    }
    let s = t.backend().to_string();
    // Meaning is in the marks, not in colour.
    assert!(s.contains("✗ Environment: .venv missing"), "{s}");
    snapshot!("no_color", s);
}

#[test]
fn screen_ascii_locale() {
    let mut app = app_with(warning_project(), 80, 24);
    app.theme = Theme::new(false, false);
    running_create(&mut app);
    let t = render(&app);
    for cell in t.backend().buffer().content() {
        assert!(cell.symbol().is_ascii(), "non-ASCII cell: {cell:?}");
    }
    snapshot!("ascii_locale", t.backend().to_string());
}

#[test]
fn a_project_that_cannot_load_still_renders() {
    let snap = Snapshot {
        project_root: ROOT.into(),
        found_by: RootMarker::PyveDir,
        config_file: Some(".pyve/config".into()),
        load_error: Some("invalid configuration: .pyve/config:2:1: unknown key `backnd`".into()),
        status: None,
        doctor: report(
            "unknown",
            vec![check(
                CheckId::Config,
                Status::Fail,
                "Config: .pyve/config:2:1: unknown key `backnd`",
                Some((Fix::edit(".pyve/config", None), "did you mean `backend`?")),
            )],
        ),
        setup: None,
        bootstrap: None,
        purgeable: false,
    };
    let mut app = app_with(snap, 80, 24);
    let s = screen(&app);
    assert!(s.contains("the project cannot be loaded"), "{s}");
    update(&mut app, key('i'));
    assert!(app.overlay.is_none());
    assert!(
        app.status
            .as_ref()
            .unwrap()
            .text
            .contains("fix the project first")
    );
}

#[test]
fn focus_actions() {
    let mut app = app_with(pip_project(), 100, 30);
    assert_eq!(app.focus, Pane::Health);
    update(&mut app, Action::FocusNext);
    assert_eq!(app.focus, Pane::Log);
    update(&mut app, Action::FocusNext);
    assert_eq!(app.focus, Pane::Backend);
    update(&mut app, Action::FocusPrev);
    assert_eq!(app.focus, Pane::Log);
    update(&mut app, Action::Focus(Pane::Tools));
    assert_eq!(app.focus, Pane::Tools);
    update(&mut app, code(KeyCode::Tab));
    assert_eq!(app.focus, Pane::Health);
    update(&mut app, code(KeyCode::BackTab));
    assert_eq!(app.focus, Pane::Tools);
    update(&mut app, key('4'));
    assert_eq!(app.focus, Pane::Log);
    update(&mut app, Action::ToggleZoom);
    assert!(app.zoom);
    update(&mut app, code(KeyCode::Esc));
    assert!(!app.zoom);
}

#[test]
fn mouse_focuses_and_scrolls() {
    let mut app = app_with(pip_project(), 100, 30);
    // The Tools pane is on the left, below Backend.
    let areas = ui::areas(ratatui::layout::Rect::new(0, 0, 100, 30), &app);
    let (_, tools) = areas.panes.iter().find(|(p, _)| *p == Pane::Tools).unwrap();
    let click = |x, y| {
        Action::Mouse(MouseEvent {
            kind: MouseEventKind::Down(MouseButton::Left),
            column: x,
            row: y,
            modifiers: KeyModifiers::NONE,
        })
    };
    update(&mut app, click(tools.x + 2, tools.y + 1));
    assert_eq!(app.focus, Pane::Tools);
    // The wheel over the Log scrolls it (and stops following).
    for i in 0..50 {
        app.log.push(LineKind::Stdout, &format!("line {i}"));
    }
    // With lines in it the Log is a pane again (empty, it was one collapsed row).
    let areas = ui::areas(ratatui::layout::Rect::new(0, 0, 100, 30), &app);
    let (_, log) = areas.panes.iter().find(|(p, _)| *p == Pane::Log).unwrap();
    assert!(log.height > 3);
    update(
        &mut app,
        Action::Mouse(MouseEvent {
            kind: MouseEventKind::ScrollUp,
            column: log.x + 2,
            row: log.y + 2,
            modifiers: KeyModifiers::NONE,
        }),
    );
    assert_eq!(app.focus, Pane::Log);
    assert_eq!(app.log_scroll, 3);
    assert!(!app.follow);
    // Compact layout: a click on a tab (under the title bar) focuses its pane.
    update(&mut app, Action::Resize(40, 10));
    update(&mut app, click(12, 1));
    assert_eq!(app.focus, Pane::Tools);
}

#[test]
fn an_empty_log_collapses_to_one_line_until_focused_or_written() {
    let full = ratatui::layout::Rect::new(0, 0, 80, 24);
    let log_height = |app: &App| {
        let a = ui::areas(full, app);
        a.panes
            .iter()
            .find(|(p, _)| *p == Pane::Log)
            .unwrap()
            .1
            .height
    };
    let mut app = app_with(pip_project(), 80, 24);
    assert_eq!(log_height(&app), 1);
    assert!(screen(&app).contains("Log — no tasks yet — i: set up the env"));
    // Focused (4, or a click on its line), it is a pane with its hints.
    update(&mut app, key('4'));
    assert_eq!(log_height(&app), 4);
    assert!(screen(&app).contains("No tasks yet."));
    update(&mut app, key('3'));
    assert_eq!(log_height(&app), 1);
    // Once something is written to it, it is a pane: as tall as its lines need, up
    // to 45% of the rows.
    app.log.push(LineKind::Info, "hello");
    assert_eq!(log_height(&app), 4);
    for i in 0..100 {
        app.log.push(LineKind::Stdout, &format!("line {i}"));
    }
    assert_eq!(log_height(&app), 10);
}

#[test]
fn a_short_left_column_collapses_the_unfocused_backend_pane() {
    let height = |app: &App, pane: Pane| {
        let a = ui::areas(ratatui::layout::Rect::new(0, 0, 80, 24), app);
        a.panes.iter().find(|(p, _)| *p == pane).unwrap().1.height
    };
    let mut app = app_with(pip_project(), 80, 24);
    // With an empty Log, or one of a few lines, the column is tall enough for both.
    assert!(height(&app, Pane::Backend) > 3);
    app.log.push(LineKind::Info, "a task ran");
    assert!(height(&app, Pane::Backend) > 3);
    for i in 0..100 {
        app.log.push(LineKind::Stdout, &format!("line {i}"));
    }
    assert_eq!(height(&app, Pane::Backend), 1);
    assert!(screen(&app).contains(" Backend — venv — from requirements.txt"));
    // Focused, it is a pane again.
    update(&mut app, key('1'));
    assert!(height(&app, Pane::Backend) > 3);
    assert!(screen(&app).contains("✗ .venv missing"), "{}", screen(&app));
}

#[test]
fn resize_and_tick() {
    let mut app = app_with(pip_project(), 100, 30);
    update(&mut app, Action::Resize(40, 10));
    assert_eq!(app.size, (40, 10));
    app.set_status("hello");
    for _ in 0..(4 * TICKS_PER_SECOND) {
        assert!(app.status.is_some());
        update(&mut app, Action::Tick);
    }
    assert!(app.status.is_none());
    assert_eq!(app.tick, 16);
}

#[test]
fn job_events() {
    let mut app = app_with(pip_project(), 100, 30);
    running_create(&mut app);
    update(
        &mut app,
        Action::Job(JobEvent::Line(
            LineKind::Success,
            ".venv created in 2.0s".into(),
        )),
    );
    assert_eq!(log_texts(&app).last().unwrap(), ".venv created in 2.0s");
    let fx = update(&mut app, Action::Job(JobEvent::Done(Ok(()))));
    assert_eq!(fx, vec![Effect::Refresh]);
    assert!(app.job.is_none());
    assert!(app.refreshing);
}

#[test]
fn refresh_actions() {
    let mut app = App::new(Theme::new(true, true), (100, 30));
    assert!(app.snapshot.is_none());
    assert_eq!(update(&mut app, Action::Refresh), vec![Effect::Refresh]);
    assert_eq!(update(&mut app, key('R')), vec![Effect::Refresh]);
    assert_eq!(update(&mut app, code(KeyCode::F(5))), vec![Effect::Refresh]);
    app.health_selected = 50;
    update(&mut app, Action::Refreshed(Box::new(pip_project())));
    assert!(!app.refreshing);
    assert_eq!(app.health_selected, 3, "the first problem is selected");
    // Once the user chooses a check, a refresh keeps it (by what it checks).
    app.focus = Pane::Health;
    update(&mut app, Action::ScrollDown(2));
    assert_eq!(app.health_selected, 5);
    update(&mut app, Action::Refreshed(Box::new(pip_project())));
    assert_eq!(app.health_selected, 5);
    assert_eq!(
        update(&mut app, Action::FilesChanged),
        vec![Effect::Refresh]
    );
    assert!(app.refreshing);
}

#[test]
fn cancel_is_ctrl_c_and_says_so() {
    let mut app = app_with(pip_project(), 100, 30);
    // Nothing runs: Ctrl-C does not quit, it says there is nothing to cancel.
    assert_eq!(update(&mut app, ctrl_c()), vec![]);
    assert!(!app.quit);
    assert!(
        app.status
            .as_ref()
            .unwrap()
            .text
            .contains("no task is running")
    );
    running_create(&mut app);
    assert_eq!(update(&mut app, ctrl_c()), vec![Effect::Cancel]);
    assert!(app.job.as_ref().unwrap().cancelling);
    assert!(
        log_texts(&app)
            .last()
            .unwrap()
            .contains("Ctrl-C: cancelling init .venv")
    );
    // A second Ctrl-C does not cancel twice.
    assert_eq!(update(&mut app, Action::Cancel), vec![]);
    update(
        &mut app,
        task(TaskEvent::Finished {
            id: 1,
            outcome: Outcome::Cancelled,
            duration: Duration::from_millis(200),
        }),
    );
    assert!(log_texts(&app).last().unwrap().contains("cancelled"));
    update(
        &mut app,
        Action::Job(JobEvent::Done(Err("cancelled".into()))),
    );
    assert!(app.job.is_none());
    assert!(!app.quit);
}

#[test]
fn signal_quits_and_cancels() {
    let mut app = app_with(pip_project(), 100, 30);
    running_create(&mut app);
    assert_eq!(update(&mut app, Action::Signal(15)), vec![Effect::Cancel]);
    assert!(app.quit);
    assert_eq!(app.exit_code, 143);
}

#[test]
fn overlays_open_and_close() {
    let mut app = app_with(pip_project(), 100, 30);
    update(&mut app, Action::OpenHelp);
    assert!(matches!(app.overlay, Some(Overlay::Help { .. })));
    update(&mut app, key('j'));
    assert!(matches!(app.overlay, Some(Overlay::Help { scroll: 1 })));
    update(&mut app, key('G'));
    let max = crate::tui::overlay::help::view::max_scroll(&app);
    assert!(max > 1);
    update(&mut app, key('j'));
    assert!(matches!(app.overlay, Some(Overlay::Help { scroll }) if scroll == max));
    update(&mut app, Action::CloseOverlay);
    assert!(app.overlay.is_none());
    update(&mut app, Action::OpenRun);
    assert!(matches!(app.overlay, Some(Overlay::Run(_))));
    update(&mut app, code(KeyCode::Esc));
    assert!(app.overlay.is_none());
    assert_eq!(
        update(&mut app, Action::OpenPurge),
        vec![Effect::LoadPurgePlan(Scope::All)]
    );
    update(&mut app, code(KeyCode::Esc));
    update(&mut app, Action::OpenSetup);
    assert!(matches!(app.overlay, Some(Overlay::Setup(_))));
    update(&mut app, code(KeyCode::Esc));
    update(&mut app, Action::OpenBootstrap);
    assert!(matches!(app.overlay, Some(Overlay::Bootstrap(_))));
    update(&mut app, code(KeyCode::Esc));
    assert!(app.overlay.is_none());
    // Nothing that starts a task opens while one runs.
    running_create(&mut app);
    for a in [
        Action::OpenSetup,
        Action::OpenBootstrap,
        Action::OpenRun,
        Action::OpenPurge,
    ] {
        assert_eq!(update(&mut app, a), vec![]);
        assert!(app.overlay.is_none());
        assert!(
            app.status
                .as_ref()
                .unwrap()
                .text
                .contains("a task is running")
        );
    }
    // Before detection there is nothing to set up yet.
    let mut fresh = App::new(Theme::new(true, true), (100, 30));
    update(&mut fresh, Action::OpenSetup);
    assert!(fresh.overlay.is_none());
    assert!(fresh.status.unwrap().text.contains("detecting"));
}

#[test]
fn the_running_init_shows_its_env_as_building() {
    let mut app = app_with(pip_project(), 120, 36);
    // A refresh during the init reads the marker of the task that runs: shown as the
    // build in progress, not as a previous init that did not finish.
    let mut snap = pip_project();
    env_mut(&mut snap).state = "incomplete";
    env_mut(&mut snap).reason = Some("a previous `pyve init` did not finish".into());
    running_create(&mut app);
    update(&mut app, Action::Refreshed(Box::new(snap)));
    let s = screen(&app);
    assert!(!s.contains("did not finish"), "{s}");
    assert!(s.contains(".venv ↻ building"), "{s}");
    assert!(s.contains("↻ Environment: building (step 1 of 2)"), "{s}");
    assert_eq!(crate::tui::summary::problems(&app), (0, 0));
    // Its elapsed time runs in the title bar.
    app.tick = 10 * TICKS_PER_SECOND;
    assert!(
        screen(&app)
            .lines()
            .next()
            .unwrap()
            .contains("init .venv (1/2) 10s")
    );
    // When the job is over, the real state shows again.
    update(
        &mut app,
        Action::Job(JobEvent::Done(Err("cancelled".into()))),
    );
    assert!(screen(&app).contains("✗ .venv incomplete"));
}

#[test]
fn tools_lists_one_line_per_place_and_every_place_when_zoomed() {
    let mut app = app_with(pip_project(), 120, 36);
    let s = screen(&app);
    assert!(
        s.contains("✓ pyenv   3.11.7 taken; 3.12.1 — does not match 3.11"),
        "{s}"
    );
    assert!(!s.contains("tried, in order"), "{s}");
    update(&mut app, key('2'));
    update(&mut app, key('z'));
    let s = screen(&app);
    assert!(s.contains("tried, in order:"), "{s}");
    assert!(
        s.contains("✗ pyenv   ~/.pyenv/versions/3.12.1 (3.12.1)"),
        "{s}"
    );
}
