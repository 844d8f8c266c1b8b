//! Coming from the original bash pyve (3.x): its `pyve.toml` is read when there is no
//! `.pyve/config` (the backend of `[env.root]`, the env names), shown as the source,
//! never rewritten; an invalid one is an error at file:line:column. Real venvs.

use crate::common;

use common::*;

const PYVE_TOML: &str = "pyve_schema = \"3.0\"\n\n[project]\nname = \"demo\"\n\n[env.root]\npurpose = \"utility\"\nbackend = \"venv\"\n\n[env.testenv]\npurpose = \"test\"\ndefault = true\n";

/// A project the original pyve set up: pyve.toml says venv, although an
/// environment.yml (which alone would pick micromamba) is there too.
fn project() -> TestEnv {
    let env = TestEnv::new();
    env.pyenv_global("3.11.7");
    env.write("pyve.toml", PYVE_TOML);
    env.write("environment.yml", "name: demo\ndependencies: [python]\n");
    env
}

#[test]
fn pyve_toml_decides_the_backend_and_is_shown_as_the_source() {
    let env = project();
    let status = env.status_json(&[]);
    assert_eq!(status["backend"]["name"], "venv", "{status}");
    assert_eq!(status["backend"]["source"], "config", "{status}");
    assert_eq!(
        status["backend"]["evidence"],
        serde_json::json!(["pyve.toml"])
    );

    let out = env.pyve().arg("status").output().unwrap();
    assert_code(&out, 0);
    let text = stdout(&out);
    assert_contains(
        &text,
        &[
            "venv — from pyve.toml",
            "config     pyve.toml (the original pyve's, read only)",
            "venv chosen (by pyve.toml) although environment.yml exists",
        ],
    );

    let out = env.pyve().args(["config", "--json"]).output().unwrap();
    assert_code(&out, 0);
    let config: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(
        config["values"]["backend"]["source"], "pyve.toml",
        "{config}"
    );
    assert_eq!(
        config["values"]["pyve.toml.envs"]["value"],
        serde_json::json!(["root", "testenv"])
    );
    let out = env.pyve().arg("config").output().unwrap();
    assert_contains(&stdout(&out), &["(the original pyve's, read only"]);
}

#[test]
fn init_builds_from_pyve_toml_and_never_rewrites_it() {
    let env = project();
    let out = env
        .pyve()
        .args(["init", "--no-install-deps"])
        .output()
        .unwrap();
    assert_code(&out, 0);
    assert!(env.p(".venv/bin/python").exists());
    assert_eq!(
        std::fs::read_to_string(env.p("pyve.toml")).unwrap(),
        PYVE_TOML
    );
    assert!(
        !env.p(".pyve/config").exists(),
        "nothing changed a value: pyve.toml stays the source"
    );
    let out = env
        .pyve()
        .args(["run", "python", "-c", "import sys; print(sys.prefix)"])
        .output()
        .unwrap();
    assert_code(&out, 0);
    assert_eq!(stdout(&out).trim(), env.p(".venv").display().to_string());

    // A .pyve/config, once there, wins; pyve.toml is still untouched.
    env.write(".pyve/config", "backend: micromamba\n");
    let status = env.status_json(&[]);
    assert_eq!(
        status["backend"]["evidence"],
        serde_json::json!([".pyve/config"])
    );
    assert_eq!(
        std::fs::read_to_string(env.p("pyve.toml")).unwrap(),
        PYVE_TOML
    );
}

#[test]
fn an_invalid_pyve_toml_is_an_error_at_its_position() {
    let env = project();
    env.write(
        "pyve.toml",
        "pyve_schema = \"3.0\"\n[env.root]\nbackend = \"conda\"\n",
    );
    let out = env.pyve().arg("status").output().unwrap();
    assert_code(&out, 2);
    assert_contains(
        &stderr(&out),
        &["pyve.toml:3:11: [env.root] backend `conda`: pyve builds `venv` or `micromamba` envs"],
    );
    // doctor's failing config check points at pyve.toml, the file to edit.
    let out = env.pyve().args(["doctor", "--json"]).output().unwrap();
    assert_code(&out, 1);
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let check = &report["checks"][0];
    assert_eq!(check["id"], "config");
    assert_eq!(check["status"], "fail");
    assert_eq!(
        check["fix"], "edit pyve.toml (docs/configuration.md)",
        "{check}"
    );

    env.write(
        "pyve.toml",
        "pyve_schema = \"3.0\"\n[env.root\nbackend = \"venv\"\n",
    );
    let out = env.pyve().arg("status").output().unwrap();
    assert_code(&out, 2);
    assert_contains(&stderr(&out), &["pyve.toml:2:", "invalid TOML"]);

    env.write("pyve.toml", "pyve_schema = 3\n");
    let out = env.pyve().arg("config").output().unwrap();
    assert_code(&out, 2);
    assert_contains(&stderr(&out), &["pyve.toml:1:15:"]);
}

#[test]
fn the_original_pyves_command_names_work() {
    let env = project();
    let out = env.pyve().args(["check", "--json"]).output().unwrap();
    let report: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert!(report["checks"].is_array(), "{report}");
    let out = env.pyve().args(["python", "set", "3.11"]).output().unwrap();
    assert_code(&out, 0);
    assert!(env.p(".python-version").exists() || env.p(".tool-versions").exists());
}
