//! Venvs pyve did not make (docs/commands.md#pyve-init, docs/security.md): a real
//! `python -m venv` venv and a real uv-made one read as "not managed by pyve" (⚠) in
//! status and doctor, `run` works in them with a one-line note, `init` never builds
//! over them, and `init --adopt` takes one over when it fits the spec (recording it,
//! rebuilding nothing) or refuses, saying why.

use crate::common;

use std::path::{Path, PathBuf};

use common::*;

/// A project pinned to the system python's minor (a pyenv version linking it).
fn project() -> TestEnv {
    let env = TestEnv::new();
    let version = python_version(&system_python());
    env.fake_pyenv(&[(&version, &system_python())]);
    env.write(".python-version", &format!("{}\n", minor_of(&version)));
    env
}

/// `python -m venv .venv` with pip, by the system python.
fn venv_with_pip(env: &TestEnv) {
    let st = std::process::Command::new(system_python())
        .args(["-m", "venv"])
        .arg(env.p(".venv"))
        .env_clear()
        .env("PATH", BASE_PATH)
        .status()
        .unwrap();
    assert!(st.success());
}

fn pip_install(env: &TestEnv, wheel: &Path) {
    let st = std::process::Command::new(env.p(".venv/bin/python"))
        .args(["-m", "pip", "install", "-q", "--no-index"])
        .arg(wheel)
        .env_clear()
        .envs(env.base_env())
        .status()
        .unwrap();
    assert!(st.success());
}

fn uv() -> Option<PathBuf> {
    match std::env::var_os("PYVE_TEST_UV") {
        Some(p) => Some(PathBuf::from(p)),
        None => {
            skip(
                "no uv to make a venv with",
                "PYVE_TEST_UV to a uv binary (.ci/run installs one from PyPI)",
            );
            None
        }
    }
}

#[test]
fn a_python_m_venv_venv_is_unmanaged_runs_with_a_note_and_is_never_built_over() {
    let env = project();
    env.write("requirements.txt", "");
    env.foreign_venv(".venv");
    env.write(".venv/user-file", "mine");

    let st = env.status_json(&[]);
    assert_eq!(st["env"]["state"], "unmanaged");
    assert_eq!(
        st["env"]["reason"],
        ".venv was made by python -m venv, not by pyve"
    );
    let out = env
        .pyve()
        .args(["--color", "never", "status"])
        .output()
        .unwrap();
    assert_code(&out, 0);
    assert_contains(
        &stdout(&out),
        &[
            "⚠ .venv  unmanaged: .venv was made by python -m venv, not by pyve",
            "hint: `pyve run` uses it as it is; `pyve init --adopt` takes it over when it fits the spec",
        ],
    );
    let out = env.pyve().args(["doctor", "--json"]).output().unwrap();
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let check = doc["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "env")
        .unwrap()
        .clone();
    assert_eq!(check["status"], "warn");
    assert_eq!(check["label"], "Environment: .venv not managed by pyve");
    assert_eq!(
        check["action"],
        serde_json::json!({"kind": "init", "adopt": true})
    );

    // run: in it, with one note, and nothing written.
    let out = env
        .pyve()
        .args(["run", "python", "-c", "import sys; print(sys.prefix)"])
        .output()
        .unwrap();
    assert_code(&out, 0);
    assert_eq!(stdout(&out), format!("{}\n", env.p(".venv").display()));
    assert_eq!(
        stderr(&out),
        ".venv was made by python -m venv, not by pyve: running in it as it is (`pyve init --adopt` takes it over)\n"
    );
    assert!(!env.p(".pyve").exists());

    // init (and --force) never build over it.
    for args in [&["init"][..], &["init", "--force"]] {
        let out = env.pyve().args(args).output().unwrap();
        assert_code(&out, 2);
        assert_contains(
            &stderr(&out),
            &[
                "error: .venv was made by python -m venv, not by pyve (`pyve run` uses it as it is; `pyve init --adopt` takes it over when it fits the spec); pyve will not delete or build over what it did not make here.",
            ],
        );
    }
    assert_eq!(
        std::fs::read_to_string(env.p(".venv/user-file")).unwrap(),
        "mine"
    );
    let out = env
        .pyve()
        .args(["init", "--adopt", "--force"])
        .output()
        .unwrap();
    assert_code(&out, 2);
    assert_contains(&stderr(&out), &["'--adopt' cannot be used with '--force'"]);
}

#[test]
fn adopt_takes_over_a_venv_that_fits_and_refuses_one_that_does_not() {
    let env = project();
    let wheel = env.wheel("wheels", "pkga", "0.1", "VALUE = 'from pkga'\n");
    env.write("requirements.txt", "-r base.txt\n");
    env.write("base.txt", "pkga==0.1\n");
    // Nothing there: nothing to adopt.
    let out = env.pyve().args(["init", "--adopt"]).output().unwrap();
    assert_code(&out, 3);
    assert_contains(
        &stderr(&out),
        &["error: nothing to adopt: there is no venv at .venv"],
    );

    venv_with_pip(&env);
    // It lacks a requirement (named in an included file): refused, nothing changed.
    let out = env.pyve().args(["init", "--adopt"]).output().unwrap();
    assert_code(&out, 2);
    assert_contains(
        &stderr(&out),
        &[
            "error: refused to adopt .venv: it lacks pkga. Nothing was changed; make it fit (e.g. `pyve run --no-sync pip install -r requirements.txt`), or remove it and run `pyve init`",
        ],
    );
    assert!(!env.p(".pyve/state").exists());
    // Another python asked for: refused, naming both.
    let other = absent_python_minor();
    let out = env
        .pyve()
        .env("PYENV_VERSION", &other)
        .args(["init", "--adopt"])
        .output()
        .unwrap();
    assert_code(&out, 2);
    let have = python_version(&system_python());
    assert_contains(
        &stderr(&out),
        &[&format!(
            "refused to adopt .venv: its python is {have}, the project asks for {other} (PYENV_VERSION)"
        )],
    );

    // Made to fit: adopted, nothing rebuilt.
    pip_install(&env, &wheel);
    let cfg = std::fs::metadata(env.p(".venv/pyvenv.cfg"))
        .unwrap()
        .modified()
        .unwrap();
    let out = env.pyve().args(["init", "--adopt"]).output().unwrap();
    assert_code(&out, 0);
    let err = stderr(&out);
    assert_contains(
        &err,
        &[
            "Adopting .venv",
            "made by python -m venv, fits the spec",
            "✓ .venv adopted in",
        ],
    );
    assert!(!err.contains("» "), "a step ran: {err}");
    assert_eq!(
        std::fs::metadata(env.p(".venv/pyvenv.cfg"))
            .unwrap()
            .modified()
            .unwrap(),
        cfg
    );
    let st = env.status_json(&[]);
    assert_eq!(st["env"]["state"], "ready");
    let record: serde_json::Value =
        serde_json::from_slice(&std::fs::read(env.p(".pyve/state/venv.json")).unwrap()).unwrap();
    assert_eq!(record["tool"]["kind"], "adopted");
    assert!(record["inputs"].get("include:base.txt").is_some());
    // pyve's now: run says nothing, an edit to the spec updates it.
    let out = env
        .pyve()
        .args(["run", "python", "-c", "import pkga; print(pkga.VALUE)"])
        .output()
        .unwrap();
    assert_code(&out, 0);
    assert_eq!(stdout(&out), "from pkga\n");
    assert_eq!(stderr(&out), "");
    let out = env.pyve().arg("init").output().unwrap();
    assert_code(&out, 0);
    assert_contains(&stderr(&out), &["reused, nothing to do"]);
}

#[test]
fn a_uv_made_venv_is_unmanaged_and_adopted() {
    let Some(uv) = uv() else { return };
    let env = project();
    let wheel = env.wheel("wheels", "pkga", "0.1", "VALUE = 'from pkga'\n");
    env.write("requirements.txt", &format!("{}\n", wheel.display()));
    let uv_cmd = |args: &[&str]| {
        let out = std::process::Command::new(&uv)
            .args(args)
            .current_dir(&env.project)
            .env_clear()
            .envs(env.base_env())
            .env("UV_OFFLINE", "1")
            .env("UV_NO_CACHE", "1")
            .output()
            .unwrap();
        assert!(out.status.success(), "uv {args:?}: {}", stderr(&out));
    };
    uv_cmd(&[
        "venv",
        ".venv",
        "--python",
        system_python().to_str().unwrap(),
    ]);
    let st = env.status_json(&[]);
    assert_eq!(st["env"]["state"], "unmanaged");
    assert_eq!(st["env"]["reason"], ".venv was made by uv, not by pyve");
    let out = env
        .pyve()
        .args(["run", "python", "-c", "print('in uv venv')"])
        .output()
        .unwrap();
    assert_code(&out, 0);
    assert_eq!(stdout(&out), "in uv venv\n");
    assert_contains(
        &stderr(&out),
        &[".venv was made by uv, not by pyve: running in it as it is"],
    );

    let out = env.pyve().args(["init", "--adopt"]).output().unwrap();
    assert_code(&out, 2);
    assert_contains(&stderr(&out), &["refused to adopt .venv: it lacks pkga"]);
    uv_cmd(&[
        "pip",
        "install",
        "--no-index",
        "--python",
        ".venv/bin/python",
        wheel.to_str().unwrap(),
    ]);
    let out = env.pyve().args(["init", "--adopt"]).output().unwrap();
    assert_code(&out, 0);
    assert_contains(
        &stderr(&out),
        &["made by uv, fits the spec", "✓ .venv adopted in"],
    );
    assert_eq!(env.status_json(&[])["env"]["state"], "ready");
}
