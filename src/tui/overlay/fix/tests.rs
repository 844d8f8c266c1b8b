//! The Fix plan: the same plan `pyve doctor --fix` applies, its keys and its screen.

use crate::tui::test_support::*;
use pyve_core::engine::doctor::plan::{FixPlan, plan};

/// A report with a safe fix (install micromamba), a rebuild (drift; it also creates
/// the missing env, which the plan merges into it) and a fix by hand.
fn problems() -> FixPlan {
    plan(&report(
        "venv",
        vec![
            check(
                CheckId::Env,
                Status::Fail,
                "Environment: .venv missing",
                Some((Fix::init(), "`pyve init` creates it")),
            ),
            check(
                CheckId::Tool,
                Status::Fail,
                "micromamba: not found",
                Some((Fix::Bootstrap, "`pyve bootstrap` installs it")),
            ),
            check(
                CheckId::Drift,
                Status::Warn,
                "Drift: missing six",
                Some((Fix::rebuild(), "`pyve init --force` rebuilds it")),
            ),
            check(
                CheckId::Gitignore,
                Status::Warn,
                "Git: .venv is not ignored",
                Some((Fix::edit(".gitignore", None), "add /.venv/ to .gitignore")),
            ),
        ],
    ))
}

fn open_with(plan: FixPlan) -> App {
    let mut app = app_with(pip_project(), 100, 30);
    update(&mut app, Action::Focus(Pane::Health));
    assert_eq!(update(&mut app, key('F')), vec![Effect::LoadFixPlan]);
    update(&mut app, Action::FixPlan(Ok(plan)));
    app
}

#[test]
fn screen_fix_plan() {
    let mut app = open_with(problems());
    snapshot!("fix_plan", screen(&app));
    update(&mut app, key(' '));
    snapshot!("fix_plan_rebuild_chosen", screen(&app));
}

#[test]
fn enter_applies_the_safe_fixes_and_only_the_chosen_rebuilds() {
    let mut app = open_with(problems());
    let fx = update(&mut app, code(KeyCode::Enter));
    assert_eq!(
        fx,
        vec![Effect::ApplyFixes {
            plan: problems(),
            rebuilds: vec![false],
        }]
    );
    assert!(app.overlay.is_none());
    let job = app.job.as_ref().expect("the fix runs as the TUI's job");
    assert_eq!(job.kind, JobKind::Init);

    update(&mut app, Action::Job(JobEvent::Done(Ok(()))));
    let mut app = open_with(problems());
    update(&mut app, key('y'));
    let fx = update(&mut app, code(KeyCode::Enter));
    assert_eq!(
        fx,
        vec![Effect::ApplyFixes {
            plan: problems(),
            rebuilds: vec![true],
        }]
    );
}

#[test]
fn esc_applies_nothing_and_a_plan_of_manual_fixes_applies_nothing() {
    let mut app = open_with(problems());
    assert_eq!(update(&mut app, code(KeyCode::Esc)), vec![]);
    assert!(app.overlay.is_none() && app.job.is_none());

    let manual = plan(&report(
        "venv",
        vec![check(
            CheckId::Gitignore,
            Status::Warn,
            "Git: .venv is not ignored",
            Some((Fix::edit(".gitignore", None), "add /.venv/ to .gitignore")),
        )],
    ));
    let mut app = open_with(manual);
    let keys: Vec<_> = crate::tui::keys::footer(&app)
        .into_iter()
        .map(|(_, l)| l)
        .collect();
    assert!(!keys.contains(&"apply"), "{keys:?}");
    assert_eq!(update(&mut app, code(KeyCode::Enter)), vec![]);
    assert!(app.job.is_none());
    assert!(app.status.as_ref().unwrap().text.contains("yours to make"));
}

#[test]
fn keys_before_the_plan_arrives_do_nothing_and_a_failed_plan_says_why() {
    let mut app = app_with(pip_project(), 100, 30);
    update(&mut app, Action::Focus(Pane::Health));
    update(&mut app, key('F'));
    assert_eq!(update(&mut app, code(KeyCode::Enter)), vec![]);
    assert!(app.overlay.is_some());
    update(
        &mut app,
        Action::FixPlan(Err("invalid configuration: .pyve/config:2:3".into())),
    );
    assert!(screen(&app).contains("invalid configuration: .pyve/config:2:3"));
    assert_eq!(update(&mut app, code(KeyCode::Enter)), vec![]);
    assert!(app.overlay.is_none());
}

#[test]
fn the_fix_plan_does_not_open_while_a_task_runs() {
    let mut app = open_with(problems());
    update(&mut app, code(KeyCode::Enter));
    assert_eq!(update(&mut app, key('F')), vec![]);
    assert!(app.overlay.is_none());
}

#[test]
fn the_mouse_wheel_moves_between_rebuilds_and_the_run_prompt_ignores_it() {
    let mut two = problems();
    let mut second = two.fixes[1].clone();
    second.fix = Fix::Init(pyve_core::engine::fix::InitFix {
        force: true,
        backend: Some(BackendKind::Micromamba),
        ..Default::default()
    });
    two.fixes.insert(2, second);
    let mut app = open_with(two);
    let wheel = Action::Mouse(MouseEvent {
        kind: MouseEventKind::ScrollDown,
        column: 50,
        row: 15,
        modifiers: KeyModifiers::NONE,
    });
    update(&mut app, wheel.clone());
    let Some(Overlay::Fix(s)) = &app.overlay else {
        panic!("no fix plan")
    };
    assert_eq!(s.rebuilds.len(), 2);
    assert_eq!(s.cursor, 1);
    app.overlay = None;
    update(&mut app, key('r'));
    update(&mut app, wheel);
    assert!(matches!(app.overlay, Some(Overlay::Run(_))));
}
