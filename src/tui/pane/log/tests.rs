//! The Log pane: follow mode, the bounded ring, task headers.

use crate::tui::test_support::*;

#[test]
fn follow_mode_keeps_a_paused_view_still() {
    let mut app = app_with(pip_project(), 100, 30);
    app.focus = Pane::Log;
    for i in 0..20 {
        update(&mut app, line(1, &format!("{i}")));
    }
    update(&mut app, Action::ToggleFollow);
    assert!(!app.follow);
    update(&mut app, Action::ScrollUp(5));
    let shown = |app: &App| crate::tui::pane::log::view::visible_rows(app, 50, 3);
    let before = shown(&app);
    update(&mut app, line(1, "new"));
    update(&mut app, line(1, "newer"));
    assert_eq!(shown(&app), before, "new lines must not move a paused view");
    update(&mut app, key('f'));
    assert!(app.follow);
    assert_eq!(app.log_scroll, 0);
}

#[test]
fn log_ring_is_bounded_under_a_flood() {
    let mut app = app_with(pip_project(), 100, 30);
    update(
        &mut app,
        task(TaskEvent::Started {
            id: 1,
            title: "flood".into(),
        }),
    );
    for i in 0..30_000 {
        update(&mut app, line(1, &format!("line {i}")));
    }
    assert_eq!(app.log.len(), crate::tui::log::DEFAULT_CAPACITY);
    assert_eq!(
        app.log.dropped,
        30_001 - crate::tui::log::DEFAULT_CAPACITY as u64
    );
    assert_eq!(app.log.get(app.log.len() - 1).unwrap().text, "line 29999");
    // The header was dropped: finishing the task is harmless.
    update(
        &mut app,
        task(TaskEvent::Finished {
            id: 1,
            outcome: Outcome::Succeeded,
            duration: Duration::from_secs(1),
        }),
    );
    let s = screen(&app);
    assert!(s.contains("older dropped"), "{s}");
}

#[test]
fn task_events_fill_the_log_with_headers() {
    let mut app = app_with(pip_project(), 100, 30);
    running_create(&mut app);
    assert_eq!(app.job.as_ref().unwrap().task, Some(1));
    assert_eq!(app.job.as_ref().unwrap().progress, Some((1, 2)));
    update(
        &mut app,
        task(TaskEvent::Line {
            id: 1,
            stream: Stream::Stderr,
            text: "\x1b[33mWARNING\x1b[0m: something".into(),
        }),
    );
    assert_eq!(log_texts(&app).last().unwrap(), "WARNING: something");
    update(
        &mut app,
        task(TaskEvent::Finished {
            id: 1,
            outcome: Outcome::Succeeded,
            duration: Duration::from_millis(1500),
        }),
    );
    let header = (0..app.log.len())
        .map(|i| app.log.get(i).unwrap())
        .find(|l| matches!(l.kind, LineKind::Header { .. }))
        .unwrap();
    assert_eq!(
        header.kind,
        LineKind::Header {
            title: "init .venv".into(),
            command: Some("pyve init".into()),
            end: Some((Outcome::Succeeded, Duration::from_millis(1500)))
        }
    );
}

#[test]
fn search_finds_text_and_n_goes_on() {
    let mut app = app_with(pip_project(), 100, 30);
    app.focus = Pane::Log;
    for i in 0..40 {
        update(
            &mut app,
            line(
                1,
                &format!("line {i}{}", if i % 10 == 3 { " needle" } else { "" }),
            ),
        );
    }
    // `/`, a text, Enter: the newest match comes to the bottom of the view.
    update(&mut app, key('/'));
    assert!(app.log_search.as_ref().unwrap().editing);
    // While typed, keys are the text's: `q` does not quit.
    for c in "NEEDLe".chars() {
        update(&mut app, key(c));
    }
    update(&mut app, code(KeyCode::Backspace));
    assert!(!app.quit);
    assert_eq!(app.log_search.as_ref().unwrap().query, "NEEDL");
    update(&mut app, code(KeyCode::Enter));
    let bottom = |app: &App| {
        app.log
            .get(app.log.len() - 1 - app.log_scroll)
            .unwrap()
            .text
            .clone()
    };
    assert_eq!(bottom(&app), "line 33 needle");
    assert!(!app.follow);
    // n: the next one up; N: back down; past the oldest it wraps to the newest.
    update(&mut app, key('n'));
    assert_eq!(bottom(&app), "line 23 needle");
    update(&mut app, key('N'));
    assert_eq!(bottom(&app), "line 33 needle");
    for _ in 0..4 {
        update(&mut app, key('n'));
    }
    assert_eq!(bottom(&app), "line 33 needle");
    // The match is marked in the view, and the title says what was searched.
    let s = screen(&app);
    assert!(s.contains("▶     line 33 needle"), "{s}");
    assert!(s.contains("— /NEEDL"), "{s}");
    // Esc while typing gives the search up.
    update(&mut app, key('/'));
    update(&mut app, code(KeyCode::Esc));
    assert!(app.log_search.is_none());
}

#[test]
fn e_jumps_to_the_next_error() {
    let mut app = app_with(pip_project(), 100, 30);
    app.focus = Pane::Log;
    update(&mut app, key('e'));
    assert!(app.status.as_ref().unwrap().text.contains("no errors"));
    update(&mut app, line(1, "ERROR: first"));
    for i in 0..20 {
        update(&mut app, line(1, &format!("ok {i}")));
    }
    update(&mut app, line(1, "error: second"));
    update(&mut app, line(1, "fine"));
    update(&mut app, key('e'));
    let bottom = |app: &App| {
        app.log
            .get(app.log.len() - 1 - app.log_scroll)
            .unwrap()
            .text
            .clone()
    };
    assert_eq!(bottom(&app), "error: second");
    update(&mut app, key('e'));
    assert_eq!(bottom(&app), "ERROR: first");
    // G: back to the newest line, following.
    update(&mut app, key('G'));
    assert!(app.follow);
    assert_eq!(app.log_scroll, 0);
}

#[test]
fn one_header_per_task_a_blank_line_between_and_progress_in_place() {
    let mut app = app_with(pip_project(), 100, 30);
    // A command from the Run prompt: its header is its title; the step that is the
    // whole task is not repeated, its command line is.
    crate::tui::update::start_job(&mut app, JobKind::Run, "run python -c 'print(1)'".into());
    update(
        &mut app,
        task(TaskEvent::Started {
            id: 1,
            title: "run python -c print(1)".into(),
        }),
    );
    update(
        &mut app,
        task(TaskEvent::Step {
            id: 1,
            label: "run python -c print(1)".into(),
            command: "/p/.venv/bin/python -c 'print(1)'".into(),
        }),
    );
    // A bar redrawn line after line stays one line, with the fraction it says.
    for (i, done) in ["1.0", "2.1", "4.2"].iter().enumerate() {
        update(
            &mut app,
            line(1, &format!("   ━━━━━━━━╸━━━━━━━ {done}/4.2 MB {i} MB/s")),
        );
    }
    update(&mut app, line(1, "done"));
    update(
        &mut app,
        task(TaskEvent::Finished {
            id: 1,
            outcome: Outcome::Succeeded,
            duration: Duration::from_millis(200),
        }),
    );
    update(&mut app, Action::Job(JobEvent::Done(Ok(()))));
    let kinds: Vec<&LineKind> = (0..app.log.len())
        .map(|i| &app.log.get(i).unwrap().kind)
        .collect();
    assert_eq!(kinds.len(), 4, "{kinds:?}");
    assert!(matches!(
        kinds[0],
        LineKind::Header {
            end: Some((Outcome::Succeeded, _)),
            ..
        }
    ));
    assert_eq!(kinds[1], &LineKind::Command);
    assert_eq!(app.log.get(2).unwrap().progress, Some(1000));
    // The next task starts after a blank line.
    crate::tui::update::start_job(&mut app, JobKind::Purge, "purge".into());
    assert_eq!(app.log.get(4).unwrap().kind, LineKind::Blank);
    let s = screen(&app);
    assert!(
        s.contains("✓ run python -c 'print(1)' — succeeded in 0.2s"),
        "{s}"
    );
    assert!(s.contains("    $ /p/.venv/bin/python -c 'print(1)'"), "{s}");
    assert!(
        s.contains("4.2/4.2 MB 2 MB/s ████████████████████ 100%"),
        "{s}"
    );
    assert!(s.contains("▶ purge — running"), "{s}");
}

#[test]
fn commands_are_quoted_as_a_shell_would() {
    use crate::tui::log::{shell_line, shell_quote};
    assert_eq!(shell_quote("pytest"), "pytest");
    assert_eq!(shell_quote("a b"), "'a b'");
    assert_eq!(shell_quote("requests>=2.31"), "'requests>=2.31'");
    assert_eq!(shell_quote("it's"), "'it'\\''s'");
    assert_eq!(shell_quote(""), "''");
    assert_eq!(
        shell_line(&["python".into(), "-c".into(), "print(1)".into()]),
        "python -c 'print(1)'"
    );
}

#[test]
fn progress_is_read_from_counts_and_percentages() {
    use crate::tui::log::progress_of;
    assert_eq!(progress_of("━━━╸━━ 2.1/4.2 MB", false), Some(500));
    assert_eq!(progress_of("pkg 12.5MB / 50MB", true), Some(250));
    assert_eq!(progress_of("Downloading 37%", true), Some(370));
    // A plain line is not progress, however it reads.
    assert_eq!(progress_of("collected 1/2 packages", false), None);
}
