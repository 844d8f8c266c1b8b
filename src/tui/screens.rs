//! Every screen at every size: the dashboard and each overlay at 40×10, 80×24 and
//! 120×36, in UTF-8 and in ASCII (one snapshot each, both renderings in it), and the
//! same text with and without colour (without: not one coloured cell). And what must
//! hold at every size from 40×10 up: the title bar says the backend, the env's state
//! and the problems; the footer shows whole keys only.

use crate::tui::test_support::*;

const SIZES: [(u16, u16); 3] = [(40, 10), (80, 24), (120, 36)];

fn failed(app: &mut App) {
    running_create(app);
    update(
        app,
        Action::Task(TaskEvent::Line {
            id: 1,
            stream: Stream::Stderr,
            text: "ERROR: Could not find a version that satisfies the requirement requests>=2.31"
                .into(),
        }),
    );
    update(
        app,
        task(TaskEvent::Finished {
            id: 1,
            outcome: Outcome::Failed("install requirements.txt failed (exit status 1)".into()),
            duration: Duration::from_millis(3400),
        }),
    );
    update(
        app,
        Action::Job(JobEvent::Done(Err(
            "install requirements.txt failed (exit status 1)".into(),
        ))),
    );
}

fn review(app: &mut App) {
    update(app, key('i'));
    update(app, code(KeyCode::Enter));
    update(app, code(KeyCode::Enter));
    update(
        app,
        Action::InitPreview(Ok(InitPreview {
            action: "create".into(),
            summary:
                "Create .venv with python 3.11.7 (~/.pyenv/versions/3.11.7/bin/python3, pyenv)"
                    .into(),
            reason: "no environment yet".into(),
            steps: vec![(
                "create .venv with python 3.11.7".into(),
                "~/.pyenv/versions/3.11.7/bin/python3 -m venv /home/me/proj/.venv".into(),
            )],
            files: vec![(".venv/".into(), "the venv, created".into())],
            notes: vec![],
        })),
    );
}

/// The pip project with two more envs, `dev` shown.
fn envs_project() -> Snapshot {
    with_envs(pip_project(), &["default", "dev", "prod"], "dev")
}

/// A screen: a name, the project, and the keys and events that lead to it.
type Screen = (&'static str, fn() -> Snapshot, fn(&mut App));

fn screens() -> Vec<Screen> {
    vec![
        ("dashboard", pip_project, |_| {}),
        ("dashboard_conda", conda_project, |_| {}),
        ("dashboard_warnings", warning_project, |_| {}),
        ("dashboard_envs", envs_project, |_| {}),
        ("running_create", pip_project, |a| {
            running_create(a);
            a.tick = 3;
        }),
        ("failed_create", pip_project, failed),
        ("setup_env", envs_project, |a| {
            update(a, key('i'));
        }),
        ("setup_backend", pip_project, |a| {
            update(a, key('i'));
        }),
        ("setup_python", pip_project, |a| {
            update(a, key('i'));
            update(a, code(KeyCode::Enter));
        }),
        ("setup_review", pip_project, review),
        ("bootstrap", conda_project, |a| {
            update(a, key('b'));
        }),
        ("run_prompt", pip_project, |a| {
            update(a, key('r'));
        }),
        ("purge", pip_project, |a| {
            update(a, key('p'));
            update(
                a,
                Action::PurgePlan(
                    Scope::All,
                    Ok(vec![PurgeItemView {
                        path: PathBuf::from("/home/me/proj/.venv"),
                        shown: ".venv".into(),
                        what: "the venv pyve created".into(),
                        is_link: false,
                    }]),
                ),
            );
        }),
        ("purge_env", envs_project, |a| {
            update(a, key('p'));
            update(
                a,
                Action::PurgePlan(
                    Scope::Env("dev".into()),
                    Ok(vec![PurgeItemView {
                        path: PathBuf::from("/home/me/proj/.pyve/envs/dev"),
                        shown: ".pyve/envs/dev".into(),
                        what: "the venv pyve created".into(),
                        is_link: false,
                    }]),
                ),
            );
        }),
        ("quit", pip_project, |a| {
            running_create(a);
            update(a, key('q'));
        }),
        ("help", pip_project, |a| {
            update(a, key('?'));
        }),
    ]
}

fn build(snap: fn() -> Snapshot, steps: fn(&mut App), (w, h): (u16, u16), theme: Theme) -> App {
    let mut app = app_with(snap(), w, h);
    app.theme = theme;
    steps(&mut app);
    app
}

#[test]
fn every_screen_at_every_size_in_utf8_and_ascii_with_and_without_colour() {
    for (name, snap, steps) in screens() {
        for size in SIZES {
            let mut both = String::new();
            for unicode in [true, false] {
                let coloured = render(&build(snap, steps, size, Theme::new(true, unicode)));
                let plain = render(&build(snap, steps, size, Theme::new(false, unicode)));
                let text = coloured.backend().to_string();
                // Colour adds nothing to the words: the same screen without it.
                assert_eq!(text, plain.backend().to_string(), "{name} {size:?}");
                for c in plain.backend().buffer().content() {
                    assert!(
                        c.fg == Color::Reset && c.bg == Color::Reset,
                        "{name} {size:?}: a coloured cell without colour"
                    );
                }
                if !unicode {
                    assert!(text.is_ascii(), "{name} {size:?}: not ASCII:\n{text}");
                }
                both.push_str(if unicode { "UTF-8:\n" } else { "ASCII:\n" });
                both.push_str(&text);
                both.push('\n');
            }
            let file = format!("pyve__tui__tests__screen_{name}_{}x{}", size.0, size.1);
            insta::with_settings!({
                snapshot_path => concat!(env!("CARGO_MANIFEST_DIR"), "/src/tui/snapshots"),
                prepend_module_to_snapshot => false,
            }, {
                insta::assert_snapshot!(file, both);
            });
        }
    }
}

#[test]
fn what_matters_is_in_view_at_every_size() {
    for (name, snap, steps) in screens() {
        for w in (40..=130).step_by(9) {
            for h in (10..=40).step_by(5) {
                let app = build(snap, steps, (w, h), Theme::new(true, true));
                let t = render(&app);
                let buf = t.backend().buffer();
                let row = |y: u16| -> String {
                    (0..w).map(|x| buf[(x, y)].symbol().to_string()).collect()
                };
                let title = row(0);
                let backend = app
                    .snapshot
                    .as_ref()
                    .unwrap()
                    .backend()
                    .unwrap()
                    .to_string();
                assert!(title.contains(&backend), "{name} {w}x{h}: {title}");
                let state = crate::tui::summary::env(&app).unwrap().state;
                assert!(title.contains(&state), "{name} {w}x{h}: {title}");
                let (fail, warn) = crate::tui::summary::problems(&app);
                if fail > 0 {
                    assert!(
                        title.contains(&format!("✗ {fail}")) || title.contains(&format!("✗{fail}")),
                        "{name} {w}x{h}: {title}"
                    );
                }
                if warn > 0 {
                    assert!(
                        title.contains(&format!("⚠ {warn}")) || title.contains(&format!("⚠{warn}")),
                        "{name} {w}x{h}: {title}"
                    );
                }
                // The footer: whole keys only, each with its word.
                let footer = row(h - 1);
                if app.status.is_none() {
                    let shown = ui::fit_footer(&crate::tui::keys::footer(&app), w as usize);
                    let mut expect = String::from(" ");
                    for (k, d) in &shown {
                        expect.push_str(&format!("{k} {d}  "));
                    }
                    assert_eq!(footer.trim_end(), expect.trim_end(), "{name} {w}x{h}");
                    assert!(
                        shown.iter().any(|(k, _)| *k == "?") || app.overlay.is_some(),
                        "{name} {w}x{h}: no help key"
                    );
                }
            }
        }
    }
}
