//! `pyve doctor --fix [--yes]`: the plan, the safe batch, the rebuild refused without
//! a terminal (naming --yes) and applied with it, and nothing to do.

use crate::common;

use common::*;

fn venv_env() -> TestEnv {
    let env = TestEnv::new();
    env.pyenv_global("3.11.7");
    env
}

fn doctor_fix(env: &TestEnv, args: &[&str]) -> std::process::Output {
    env.pyve()
        .args(["doctor", "--fix"])
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn a_missing_env_is_built_by_the_safe_batch() {
    let env = venv_env();
    let out = doctor_fix(&env, &[]);
    assert_code(&out, 0);
    let text = stdout(&out);
    assert_contains(
        &text,
        &[
            "✗ Environment: .venv missing",
            "Fix plan:",
            "  » `pyve init` — for: Environment: .venv missing",
            "after the fixes: ",
            ", 0 failures",
        ],
    );
    assert!(env.p(".venv/pyvenv.cfg").is_file());
    // Healthy now: nothing to fix.
    let out = doctor_fix(&env, &[]);
    assert_code(&out, 0);
    assert_contains(&stdout(&out), &["nothing to fix"]);
}

fn moved_venv() -> TestEnv {
    let env = venv_env();
    assert_code(&env.pyve().arg("init").output().unwrap(), 0);
    let activate = env.p(".venv/bin/activate");
    let text = std::fs::read_to_string(&activate).unwrap();
    let here = env.p(".venv").display().to_string();
    std::fs::write(&activate, text.replace(&here, "/old/place/.venv")).unwrap();
    env
}

#[test]
fn a_rebuild_is_refused_without_a_terminal_and_applied_with_yes() {
    let env = moved_venv();
    let out = doctor_fix(&env, &[]);
    assert_code(&out, 2);
    assert_contains(
        &stdout(&out),
        &["  » `pyve init --force` (replaces the environment) — for: Runs: the env was moved"],
    );
    assert_contains(
        &stderr(&out),
        &[
            "error: refused: `pyve init --force` would replace the environment, and there is no terminal to confirm it (nothing was changed)\nhint: run `pyve doctor --fix --yes`\n",
        ],
    );
    let activate = std::fs::read_to_string(env.p(".venv/bin/activate")).unwrap();
    assert!(activate.contains("/old/place/.venv"), "changed anyway");
    let out = doctor_fix(&env, &["--yes"]);
    assert_code(&out, 0);
    assert_contains(&stdout(&out), &["after the fixes: ", ", 0 failures"]);
    let activate = std::fs::read_to_string(env.p(".venv/bin/activate")).unwrap();
    assert!(!activate.contains("/old/place/.venv"), "not rebuilt");
}

#[test]
fn fixes_only_a_person_can_make_are_listed_not_applied() {
    let env = venv_env();
    assert_code(&env.pyve().arg("init").output().unwrap(), 0);
    // Neither the venv's own file nor pyve's block in the project's .gitignore.
    std::fs::remove_file(env.p(".venv/.gitignore")).unwrap();
    std::fs::remove_file(env.p(".gitignore")).unwrap();
    let st = std::process::Command::new("git")
        .args(["init", "-q"])
        .arg(&env.project)
        .env_clear()
        .env("PATH", BASE_PATH)
        .env("HOME", &env.home)
        .status()
        .unwrap();
    assert!(st.success());
    let out = doctor_fix(&env, &[]);
    assert_code(&out, 0);
    assert_contains(
        &stdout(&out),
        &[
            "  - add /.venv/ to .gitignore (by hand) — for: Git: .venv not ignored",
            "nothing pyve can apply: the fixes above are yours to make",
        ],
    );
}

#[test]
fn yes_needs_fix_and_fix_is_not_json() {
    let env = venv_env();
    let out = env.pyve().args(["doctor", "--yes"]).output().unwrap();
    assert_code(&out, 2);
    assert_contains(&stderr(&out), &["--fix"]);
    let out = env
        .pyve()
        .args(["doctor", "--fix", "--json"])
        .output()
        .unwrap();
    assert_code(&out, 2);
    assert_contains(&stderr(&out), &["cannot be used with"]);
}

#[test]
fn an_invalid_config_has_nothing_to_apply() {
    let env = venv_env();
    env.write(".pyve/config", "backend: [\n");
    let out = doctor_fix(&env, &[]);
    assert_code(&out, 1);
    assert_contains(&stdout(&out), &["✗ Config: .pyve/config:"]);
    assert!(!stdout(&out).contains("Fix plan:"), "{}", stdout(&out));
}
