//! Spec files checked where they are used: `init`, `status` and `run` refuse an
//! invalid environment.yml or conda-lock.yml at file:line:col with exit 2 before
//! anything runs; an env name the env file cannot give gets a note.

use crate::common;

use std::path::Path;

use common::*;

fn mm(env: &TestEnv, args: &[&str]) -> std::process::Output {
    let mut c = env.pyve();
    c.env("PYVE_FAKE_MM_DELAY", "0")
        .env("PYVE_FAKE_MM_LOG", env.root.join("mm.log"));
    c.args(args).output().unwrap()
}

/// micromamba was never called.
fn mm_not_called(env: &TestEnv, what: &str) {
    let log = std::fs::read_to_string(env.root.join("mm.log")).unwrap_or_default();
    assert!(
        !log.contains("\"create\"") && !log.contains("\"install\""),
        "{what}: micromamba ran: {log}"
    );
}

#[test]
fn an_invalid_match_spec_is_refused_at_its_line_by_init_status_and_run() {
    let env = conda_project("name: demo\ndependencies:\n  - python=3.11\n  - numpy >=>1\n");
    for args in [&["init"][..], &["status"], &["run", "python", "-V"]] {
        let out = mm(&env, args);
        assert_code(&out, 2);
        assert_contains(
            &stderr(&out),
            &["environment.yml:4:", "invalid match spec `numpy >=>1`"],
        );
        mm_not_called(&env, args[0]);
    }
    // Broken YAML: line and column.
    env.write("environment.yml", "name: demo\ndependencies: [python\n");
    let out = mm(&env, &["init"]);
    assert_code(&out, 2);
    assert_contains(
        &stderr(&out),
        &["error: invalid configuration: environment.yml:"],
    );
}

#[test]
fn a_changed_env_file_is_checked_by_run_a_ready_one_is_not_parsed_again() {
    let env = conda_project("name: demo\ndependencies:\n  - python=3.11\n");
    assert_code(&mm(&env, &["init"]), 0);
    let out = mm(&env, &["run", "python", "-c", "pass"]);
    assert_code(&out, 0);
    env.write(
        "environment.yml",
        "name: demo\ndependencies:\n  - python=3.11\n  - pip:\n    - \"requests >=\"\n",
    );
    let out = mm(&env, &["run", "python", "-c", "pass"]);
    assert_code(&out, 2);
    assert_contains(&stderr(&out), &["environment.yml:5:"]);
}

#[test]
fn a_malformed_lock_is_refused_by_init_and_status() {
    let env = conda_project("name: demo\ndependencies:\n  - python=3.11\n");
    let lock = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("crates/condalock/tests/data/locks/malformed/conda-lock.yml");
    env.write("conda-lock.yml", &std::fs::read_to_string(lock).unwrap());
    for args in [&["init"][..], &["status"]] {
        let out = mm(&env, args);
        assert_code(&out, 2);
        assert_contains(&stderr(&out), &["conda-lock.yml:24:12: "]);
    }
    mm_not_called(&env, "init");
}

#[test]
fn a_reserved_name_in_the_env_file_gets_a_note() {
    let env = conda_project("name: base\ndependencies:\n  - python=3.11\n");
    let out = mm(&env, &["init"]);
    assert_code(&out, 0);
    assert_contains(
        &stderr(&out),
        &[
            "warning: environment.yml: `name: base` cannot be used (env name `base` is reserved",
            "using `proj` (from the project directory) — set one with `pyve init --env NAME`",
        ],
    );
    let out = mm(&env, &["status"]);
    assert_code(&out, 0);
    assert_contains(&stderr(&out), &["`name: base` cannot be used"]);
}

#[test]
fn python_in_a_conda_env_without_python_is_127_naming_the_env() {
    let env = conda_project("name: tools\ndependencies:\n  - zlib\n");
    assert_code(&mm(&env, &["init"]), 0);
    for py in ["python", "python3"] {
        let out = mm(&env, &["run", py, "-c", "pass"]);
        assert_code(&out, 127);
        assert_contains(
            &stderr(&out),
            &[&format!(
                "`{py}`: the conda environment tools has no python — add `python` to environment.yml's dependencies and run `pyve init`"
            )],
        );
    }
}

#[test]
fn a_project_directory_that_cannot_name_the_env_says_how_to_choose_one() {
    let env = conda_project("dependencies:\n  - python=3.11\n");
    let dir = env.p("base");
    std::fs::create_dir(&dir).unwrap();
    std::fs::write(
        dir.join("environment.yml"),
        "dependencies:\n  - python=3.11\n",
    )
    .unwrap();
    let out = env.pyve().args(["-C", "base", "status"]).output().unwrap();
    assert_code(&out, 2);
    assert_contains(
        &stderr(&out),
        &[
            "(derived from the project directory)\n",
            "hint: run `pyve init --env-name NAME`",
        ],
    );
    // ... and that flag does it.
    let out = env
        .pyve()
        .args(["-C", "base", "init", "--env-name", "science"])
        .output()
        .unwrap();
    assert_code(&out, 0);
    assert!(env.p("base/.pyve/envs/science/conda-meta").is_dir());
    let config = std::fs::read_to_string(env.p("base/.pyve/config")).unwrap();
    assert!(config.contains("env_name: science"), "{config}");
}
