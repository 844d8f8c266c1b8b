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
            end: Some((Outcome::Succeeded, Duration::from_millis(1500)))
        }
    );
}
