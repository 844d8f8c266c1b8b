//! The Run prompt: argv, history, and how a line is split.

use crate::tui::test_support::*;

#[test]
fn run_prompt_runs_argv() {
    let mut app = app_with(pip_project(), 100, 30);
    update(&mut app, key('r'));
    // Empty: refused with a hint.
    assert_eq!(update(&mut app, code(KeyCode::Enter)), vec![]);
    for c in "python -c 'print(1)'".chars() {
        update(&mut app, key(c));
    }
    let fx = update(&mut app, code(KeyCode::Enter));
    assert_eq!(
        fx,
        vec![Effect::Run(vec![
            "python".into(),
            "-c".into(),
            "print(1)".into()
        ])]
    );
    assert_eq!(app.job.as_ref().unwrap().kind, JobKind::Run);
    assert_eq!(app.history, vec!["python -c 'print(1)'".to_string()]);
    update(&mut app, Action::Job(JobEvent::Done(Ok(()))));
    // ↑ recalls it.
    update(&mut app, key('r'));
    update(&mut app, code(KeyCode::Up));
    let Some(Overlay::Run(p)) = &app.overlay else {
        panic!()
    };
    assert_eq!(p.input.value(), "python -c 'print(1)'");
}

#[test]
fn command_lines_split_like_a_shell() {
    assert_eq!(
        split_command(r#"pytest -k "a and b" 'x y' c\ d"#).unwrap(),
        vec!["pytest", "-k", "a and b", "x y", "c d"]
    );
    assert_eq!(
        split_command(r#"python -c "print('a\n', \"q\")""#).unwrap(),
        vec!["python", "-c", r#"print('a\n', "q")"#]
    );
    assert_eq!(split_command("  ").unwrap(), Vec::<String>::new());
    assert_eq!(split_command("''").unwrap(), vec![""]);
    assert!(split_command("echo 'open").is_err());
}
