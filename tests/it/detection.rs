//! Backend selection through the binary (docs/detection.md): every precedence level and
//! every conflict, as `pyve status --json` reports it. The matrix itself is unit-tested
//! in src/engine/detect.rs; these prove the binary wires flag, config and the files on
//! disk into it.

use crate::common;

use common::*;
use serde_json::{Value, json};

fn backend(env: &TestEnv, args: &[&str]) -> Value {
    env.status_json(args)["backend"].clone()
}

fn warnings(b: &Value) -> Vec<String> {
    b["notes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|n| n["level"] == "warning")
        .map(|n| n["message"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn the_flag_beats_config_and_spec_files() {
    let env = TestEnv::new();
    env.write(".pyve/config", "backend: micromamba\n");
    env.write("environment.yml", "name: x\ndependencies: [python=3.11]\n");
    env.write("requirements.txt", "");

    let b = backend(&env, &["--backend", "venv"]);
    assert_eq!(b["name"], "venv");
    assert_eq!(b["source"], "flag");
    assert_eq!(b["evidence"], json!(["--backend venv"]));
    let w = warnings(&b);
    assert_eq!(w.len(), 1, "{w:?}");
    assert_contains(
        &w[0],
        &[
            "venv chosen (by --backend) although environment.yml exists",
            "will not be installed",
        ],
    );

    // `auto` is the same as no flag: the config speaks.
    let b = backend(&env, &["--backend", "auto"]);
    assert_eq!(
        (b["name"].as_str(), b["source"].as_str()),
        (Some("micromamba"), Some("config"))
    );
}

#[test]
fn the_config_beats_spec_files() {
    let env = TestEnv::new();
    env.write(".pyve/config", "backend: venv\n");
    env.write("environment.yml", "name: x\n");
    let b = backend(&env, &[]);
    assert_eq!(b["name"], "venv");
    assert_eq!(b["source"], "config");
    assert_eq!(b["evidence"], json!([".pyve/config"]));
    assert_eq!(
        warnings(&b),
        vec![
            "venv chosen (by .pyve/config) although environment.yml exists: its conda packages will not be installed"
        ]
    );

    // micromamba from the config in a pip project: chosen, with a warning that init
    // needs a conda spec.
    env.write(".pyve/config", "backend: micromamba\n");
    std::fs::remove_file(env.p("environment.yml")).unwrap();
    env.write("requirements.txt", "");
    let b = backend(&env, &[]);
    assert_eq!(
        (b["name"].as_str(), b["source"].as_str()),
        (Some("micromamba"), Some("config"))
    );
    let w = warnings(&b);
    assert_eq!(w.len(), 1, "{w:?}");
    assert_contains(
        &w[0],
        &[
            "micromamba chosen but no environment.yml",
            "`pyve init` needs one",
        ],
    );
}

#[test]
fn each_conda_spec_selects_micromamba() {
    let env = TestEnv::new();
    for file in ["environment.yml", "environment.yaml", "conda-lock.yml"] {
        env.write(file, "");
        let b = backend(&env, &[]);
        assert_eq!(b["name"], "micromamba", "{file}");
        assert_eq!(b["source"], "conda_spec", "{file}");
        assert_eq!(b["evidence"], json!([file]), "{file}");
        assert!(warnings(&b).is_empty(), "{file}: {b}");
        std::fs::remove_file(env.p(file)).unwrap();
    }
    // The human face says the same: "micromamba — from environment.yml".
    env.write("environment.yml", "");
    let out = env.pyve().arg("status").output().unwrap();
    assert_code(&out, 0);
    let text = stdout(&out);
    assert!(
        text.lines()
            .any(|l| l.starts_with("backend ") && l.ends_with(" micromamba — from environment.yml")),
        "{text}"
    );
}

#[test]
fn pip_specs_select_venv() {
    let env = TestEnv::new();
    env.write("pyproject.toml", "[project]\nname = \"p\"\n");
    let b = backend(&env, &[]);
    assert_eq!(b["name"], "venv");
    assert_eq!(b["source"], "pip_spec");
    assert_eq!(b["evidence"], json!(["pyproject.toml"]));
    env.write("requirements.txt", "");
    let b = backend(&env, &[]);
    assert_eq!(b["evidence"], json!(["pyproject.toml", "requirements.txt"]));
    std::fs::remove_file(env.p("pyproject.toml")).unwrap();
    let b = backend(&env, &[]);
    assert_eq!(b["evidence"], json!(["requirements.txt"]));
    assert!(b["notes"].as_array().unwrap().is_empty(), "{b}");
}

#[test]
fn no_spec_file_defaults_to_venv() {
    let env = TestEnv::new();
    let s = env.status_json(&[]);
    let b = &s["backend"];
    assert_eq!(b["name"], "venv");
    assert_eq!(b["source"], "default");
    assert_eq!(b["evidence"], json!([]));
    assert_eq!(b["notes"][0]["level"], "info");
    assert_contains(
        b["notes"][0]["message"].as_str().unwrap(),
        &["no spec file in the project root"],
    );
    assert_eq!(s["project_found_by"], "start_dir");
    assert_eq!(s["project_root"], env.project.to_str().unwrap());
    // status and config change nothing, not even .pyve/.
    let out = env.pyve().arg("config").output().unwrap();
    assert_code(&out, 0);
    assert!(
        list_dir(&env.project).is_empty(),
        "{:?}",
        list_dir(&env.project)
    );
}

#[test]
fn a_micromamba_on_path_never_changes_the_decision() {
    let mut env = TestEnv::new();
    let bin = env.root.join("bin");
    write_executable(&bin.join("micromamba"), "#!/bin/sh\necho 2.0.5\n");
    env.path = format!("{}:{BASE_PATH}", bin.display()).into();
    env.write("requirements.txt", "");
    let b = backend(&env, &[]);
    assert_eq!(
        (b["name"].as_str(), b["source"].as_str()),
        (Some("venv"), Some("pip_spec"))
    );
}

#[test]
fn conda_and_pip_specs_pick_micromamba_and_warn_naming_both() {
    let env = TestEnv::new();
    for f in [
        "environment.yaml",
        "conda-lock.yml",
        "pyproject.toml",
        "requirements.txt",
    ] {
        env.write(f, "");
    }
    let b = backend(&env, &[]);
    assert_eq!(b["name"], "micromamba");
    assert_eq!(b["source"], "conda_spec");
    assert_eq!(b["evidence"], json!(["environment.yaml", "conda-lock.yml"]));
    let w = warnings(&b);
    assert_eq!(w.len(), 1, "{w:?}");
    assert_contains(
        &w[0],
        &[
            "both a conda spec (environment.yaml, conda-lock.yml) and a pip spec (pyproject.toml, requirements.txt) are present; using micromamba",
            "`pyve init --backend micromamba` or `pyve init --backend venv`",
        ],
    );
}

#[test]
fn project_root_is_found_from_a_subdirectory() {
    let env = TestEnv::new();
    env.write("requirements.txt", "");
    let sub = env.p("src/pkg");
    std::fs::create_dir_all(&sub).unwrap();
    let out = env
        .pyve()
        .current_dir(&sub)
        .args(["status", "--json"])
        .output()
        .unwrap();
    assert_code(&out, 0);
    let s: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(s["project_root"], env.project.to_str().unwrap());
    assert_eq!(s["project_found_by"], "spec_file");
    assert_eq!(s["backend"]["evidence"], json!(["requirements.txt"]));
}

/// Non-interactive `init` with both kinds of spec: micromamba, with the warning; no
/// micromamba on this machine (and no bootstrap asked for), so exit 3 and no env, no
/// state, no config, and no venv as a fallback (a conda spec never falls back to pip).
#[test]
fn non_interactive_init_with_both_specs_takes_micromamba_warns_and_builds_nothing() {
    let env = TestEnv::new();
    env.write("environment.yml", "name: demo\n");
    env.write("requirements.txt", "");
    let out = env.pyve().arg("init").output().unwrap();
    assert_code(&out, 3);
    let err = stderr(&out);
    assert_contains(
        &err,
        &[
            "warning: both a conda spec (environment.yml) and a pip spec (requirements.txt) are present; using micromamba",
            "backend micromamba — from environment.yml",
            "Backend 'micromamba' required but not found",
        ],
    );
    assert!(!err.contains("Creating"), "{err}");
    assert!(!env.p(".venv").exists(), "fell back to a venv");
    for p in [".pyve/config", ".pyve/state", ".pyve/envs", ".pyve/bin"] {
        assert!(!env.p(p).exists(), "{p} was created");
    }
}

/// `--backend venv` in a conda project: allowed, with the warning, and pinned in
/// `.pyve/config` so that later commands agree without the flag.
#[test]
fn init_with_an_explicit_venv_in_a_conda_project_warns_and_pins_it() {
    let env = TestEnv::new();
    env.pyenv_global("3.11.7");
    env.write("environment.yml", "name: demo\n");
    let out = env
        .pyve()
        .args(["init", "--backend", "venv"])
        .output()
        .unwrap();
    assert_code(&out, 0);
    assert_contains(
        &stderr(&out),
        &[
            "warning: venv chosen (by --backend) although environment.yml exists: its conda packages will not be installed",
            "backend venv — from --backend venv",
            "✓ .venv created in",
        ],
    );
    assert_contains(
        &std::fs::read_to_string(env.p(".pyve/config")).unwrap(),
        &["\nbackend: venv\n"],
    );
    let b = backend(&env, &[]);
    assert_eq!(
        (b["name"].as_str(), b["source"].as_str()),
        (Some("venv"), Some("config"))
    );
    assert_eq!(env.status_json(&[])["env"]["state"], "ready");
}
