//! Several envs in one project (docs/environments.md): `init --env NAME` adds one,
//! `--env`/`PYVE_ENV`/`default_env` pick one, `status` lists them all, `purge --env`
//! removes one, and one env's failure never touches another. The micromamba envs run
//! against the double and against the real micromamba with the local channel.

use crate::common;
use crate::micromamba::{Kind, Mamba};

use common::*;

/// `sys.prefix` of the python `pyve run ARGS python` starts, with `vars` set.
fn run_prefix(m: &Mamba, args: &[&str], vars: &[(&str, &str)]) -> String {
    let mut cmd = m.pyve();
    cmd.arg("run")
        .args(args)
        // A conda env's python is the double's stand-in: its env says where it runs.
        .args([
            "python",
            "-c",
            "import os, sys; print(os.environ.get('CONDA_PREFIX') or sys.prefix)",
        ]);
    for (k, v) in vars {
        cmd.env(k, v);
    }
    let out = cmd.output().unwrap();
    assert_code(&out, 0);
    stdout(&out).trim().to_string()
}

fn env_states(m: &Mamba, args: &[&str]) -> Vec<(String, String, String, bool)> {
    let s = m.env.status_json(args);
    s["envs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["name"].as_str().unwrap().to_string(),
                e["backend"].as_str().unwrap().to_string(),
                e["state"].as_str().unwrap().to_string(),
                e["selected"].as_bool().unwrap(),
            )
        })
        .collect()
}

fn e(name: &str, backend: &str, state: &str, selected: bool) -> (String, String, String, bool) {
    (name.into(), backend.into(), state.into(), selected)
}

/// The default env a venv, `prod` a micromamba env beside it: each built, listed,
/// run, checked and purged by its name; the other never touched.
fn a_venv_and_a_micromamba_env_side_by_side(kind: Kind) {
    let Some(m) = Mamba::new(kind) else { return };
    m.env.pyenv_global("3.11.7");
    m.env.write("requirements.txt", "");
    let out = m
        .pyve()
        .args(["init", "--backend", "venv", "--no-install-deps"])
        .output()
        .unwrap();
    assert_code(&out, 0);
    let out = m
        .pyve()
        .args(["init", "--env", "prod", "--backend", "micromamba"])
        .output()
        .unwrap();
    assert_code(&out, 0);
    assert_contains(&stderr(&out), &[".pyve/envs/prod"]);
    // The config keeps the default env at the top level and adds prod's table.
    let config = std::fs::read_to_string(m.env.p(".pyve/config")).unwrap();
    assert_contains(
        &config,
        &[
            "backend: venv\n",
            "envs:\n  prod:\n    backend: micromamba\n",
        ],
    );
    assert!(m.env.p(".pyve/envs/prod/conda-meta").is_dir());
    assert!(m.env.p(".pyve/state/@prod.json").is_file());

    assert_eq!(
        env_states(&m, &[]),
        [
            e("default", "venv", "ready", true),
            e("prod", "micromamba", "ready", false)
        ]
    );
    let out = m.pyve().arg("status").output().unwrap();
    assert_code(&out, 0);
    let text = stdout(&out);
    assert_contains(
        &text,
        &[
            "envs       ✓ default  venv        ready       .venv  <- this one (the default)",
            "           ✓ prod     micromamba  ready       .pyve/envs/prod",
        ],
    );

    // Run in each; `--env` wins over PYVE_ENV.
    let venv = m.env.p(".venv").display().to_string();
    let prod = m.env.p(".pyve/envs/prod").display().to_string();
    assert_eq!(run_prefix(&m, &[], &[]), venv);
    assert_eq!(run_prefix(&m, &["--env", "prod"], &[]), prod);
    assert_eq!(run_prefix(&m, &[], &[("PYVE_ENV", "prod")]), prod);
    assert_eq!(
        run_prefix(&m, &["--env", "default"], &[("PYVE_ENV", "prod")]),
        venv
    );
    let s = m.env.status_json(&["--env", "prod"]);
    assert_eq!(s["selected_env"]["name"], "prod");
    assert_eq!(s["selected_env"]["source"], "flag");
    assert_eq!(s["env"]["state"], "ready");
    assert_eq!(s["backend"]["name"], "micromamba");

    // doctor looks at the env it is given, and two envs of two kinds are no "mixing".
    let out = m
        .pyve()
        .args(["doctor", "--env", "prod", "--json"])
        .output()
        .unwrap();
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["env"], "prod");
    assert_eq!(report["backend"], "micromamba");
    let mixing = report["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "runtime_mixing")
        .unwrap();
    assert_eq!(mixing["status"], "ok", "{mixing}");

    // purge --env removes prod's env and records only.
    let out = m
        .pyve()
        .args(["purge", "--env", "prod", "--yes"])
        .output()
        .unwrap();
    assert_code(&out, 0);
    assert_contains(
        &stderr(&out),
        &[
            ".pyve/envs/prod  a micromamba environment pyve created",
            ".pyve/state/@prod.json  the state record of env `prod`",
            "`pyve init --env prod` builds the env again",
        ],
    );
    assert!(!m.env.p(".pyve/envs/prod").exists());
    assert_eq!(
        env_states(&m, &[]),
        [
            e("default", "venv", "ready", true),
            e("prod", "micromamba", "missing", false)
        ]
    );
    assert_eq!(run_prefix(&m, &[], &[]), venv);
    // `run --env prod` brings it back, as run does for the default env.
    assert_eq!(run_prefix(&m, &["--env", "prod"], &[]), prod);

    // A whole purge takes every env.
    let out = m.pyve().args(["purge", "--yes"]).output().unwrap();
    assert_code(&out, 0);
    assert!(!m.env.p(".venv").exists() && !m.env.p(".pyve/envs/prod").exists());
    assert!(m.env.p(".pyve/config").is_file());
}

/// A failing build of one env leaves the others as they were: the default keeps
/// running, and the failed one is reported on its own.
fn one_envs_failure_never_touches_another(kind: Kind) {
    let Some(m) = Mamba::new(kind) else { return };
    m.env.pyenv_global("3.11.7");
    let out = m
        .pyve()
        .args(["init", "--env", "dev", "--backend", "venv"])
        .output()
        .unwrap();
    assert_code(&out, 0);
    let dev_record = std::fs::read(m.env.p(".pyve/state/@dev.json")).unwrap();
    // The default env (micromamba, from environment.yml) dies half-way.
    let out = m
        .pyve()
        .arg("init")
        .env("PYVE_FAKE_MM_DIE_AFTER", "3")
        .output()
        .unwrap();
    assert_ne!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        env_states(&m, &["--env", "dev"]),
        [
            e("default", "micromamba", "incomplete", false),
            e("dev", "venv", "ready", true)
        ]
    );
    assert_eq!(
        std::fs::read(m.env.p(".pyve/state/@dev.json")).unwrap(),
        dev_record
    );
    let dev = m.env.p(".pyve/envs/dev").display().to_string();
    assert_eq!(run_prefix(&m, &["--env", "dev", "--frozen"], &[]), dev);
    // The default env's frozen run refuses; dev's does not care.
    let out = m
        .pyve()
        .args(["run", "--frozen", "python", "-c", "pass"])
        .output()
        .unwrap();
    assert_code(&out, 3);
    // A named env whose python does not exist fails alone, before building anything.
    let out = m
        .pyve()
        .args([
            "init",
            "--env",
            "old",
            "--backend",
            "venv",
            "--python-version",
            "3.4",
        ])
        .output()
        .unwrap();
    assert_code(&out, 3);
    assert!(!m.env.p(".pyve/envs/old").exists());
    let config = std::fs::read_to_string(m.env.p(".pyve/config")).unwrap();
    assert!(!config.contains("old:"), "{config}");
    assert_eq!(run_prefix(&m, &["--env", "dev"], &[]), dev);
}

both!(
    a_venv_and_a_micromamba_env_side_by_side,
    one_envs_failure_never_touches_another,
);

#[test]
fn unknown_and_invalid_env_names_are_refused_with_the_envs_there_are() {
    let env = ready_venv_project();
    let run = |args: &[&str], vars: &[(&str, &str)]| {
        let mut c = env.pyve();
        c.args(args);
        for (k, v) in vars {
            c.env(k, v);
        }
        c.output().unwrap()
    };
    let out = run(&["run", "--env", "dev", "python", "-c", "pass"], &[]);
    assert_code(&out, 2);
    assert_eq!(
        stderr(&out),
        "error: no env `dev` in this project (--env); its envs: default\nhint: run `pyve init --env dev`\n"
    );
    // A variable naming an env is never a request to create one, not even for init.
    for cmd in [&["status"][..], &["init"], &["doctor"]] {
        let out = run(cmd, &[("PYVE_ENV", "dev")]);
        assert_code(&out, 2);
        assert_contains(
            &stderr(&out),
            &["error: no env `dev` in this project (PYVE_ENV); its envs: default"],
        );
    }
    let out = run(&["init", "--env", "Dev"], &[]);
    assert_code(&out, 2);
    assert_contains(
        &stderr(&out),
        &[
            "error: --env: invalid env name `Dev`: use 1 to 64 of a-z 0-9 . _ - and start with a letter or digit",
        ],
    );
    let out = run(&["init", "--env", "base"], &[]);
    assert_code(&out, 2);
    assert_contains(&stderr(&out), &["env name `base` is reserved"]);
    // Nothing was written by the refusals.
    assert!(
        !env.p(".pyve/config").exists()
            || !std::fs::read_to_string(env.p(".pyve/config"))
                .unwrap()
                .contains("envs:")
    );
    for cmd in [
        &["lock", "--env", "dev"][..],
        &["lock", "--check", "--env", "dev"],
    ] {
        let out = run(cmd, &[]);
        assert_code(&out, 2);
        assert_contains(
            &stderr(&out),
            &["error: no env `dev` in this project (--env); its envs: default"],
        );
    }
    let out = run(&["purge", "--env", "dev", "--yes"], &[]);
    assert_code(&out, 2);
    assert_contains(
        &stderr(&out),
        &["error: no env `dev` in this project (--env); its envs: default"],
    );
    assert!(env.p(".venv/pyvenv.cfg").is_file());
    // An empty PYVE_ENV is unset.
    let out = run(&["status"], &[("PYVE_ENV", "")]);
    assert_code(&out, 0);
}

#[test]
fn default_env_in_the_config_picks_the_env_and_the_flag_still_wins() {
    let env = ready_venv_project();
    let out = env
        .pyve()
        .args(["init", "--env", "dev", "--no-install-deps"])
        .output()
        .unwrap();
    assert_code(&out, 0);
    let config = std::fs::read_to_string(env.p(".pyve/config")).unwrap();
    // An env with no keys of its own is written as one.
    assert!(config.contains("envs:\n  dev: {}\n"), "{config}");
    std::fs::write(env.p(".pyve/config"), format!("{config}default_env: dev\n")).unwrap();
    let s = env.status_json(&[]);
    assert_eq!(s["selected_env"]["name"], "dev");
    assert_eq!(s["selected_env"]["source"], "config");
    assert_eq!(
        s["env"]["path"],
        env.p(".pyve/envs/dev").display().to_string()
    );
    let s = env.status_json(&["--env", "default"]);
    assert_eq!(s["env"]["path"], env.p(".venv").display().to_string());
    // The shell faces activate the env selected the same way.
    let out = env
        .pyve()
        .args(["shell-hook", "-s", "bash"])
        .output()
        .unwrap();
    assert_code(&out, 0);
    let hook = stdout(&out);
    assert_contains(
        &hook,
        &[&format!("{}/bin", env.p(".pyve/envs/dev").display())],
    );
    assert!(
        !hook.contains(&format!("{}/bin", env.p(".venv").display())),
        "{hook}"
    );
    // `pyve config` shows the env's values and where the choice came from.
    let out = env.pyve().args(["config", "--json"]).output().unwrap();
    assert_code(&out, 0);
    let c: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(c["values"]["env"]["value"], "dev");
    assert_eq!(c["values"]["env"]["source"], "default_env in .pyve/config");
    assert_eq!(
        c["values"]["envs"]["value"],
        serde_json::json!(["default", "dev"])
    );
    assert_eq!(c["values"]["venv.directory"]["value"], ".pyve/envs/dev");
    let out = env
        .pyve()
        .args(["config", "--json", "--env", "default"])
        .output()
        .unwrap();
    let c: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(c["values"]["venv.directory"]["value"], ".venv");
    assert_eq!(c["values"]["env"]["source"], "--env");
    // `default_env` naming no env is a config error at its spot.
    std::fs::write(env.p(".pyve/config"), "default_env: prod\n").unwrap();
    let out = env.pyve().arg("status").output().unwrap();
    assert_code(&out, 2);
    assert_eq!(
        stderr(&out),
        "error: invalid configuration: .pyve/config:1:14: default_env `prod` is not an env of this project\nhint: its envs: default\n"
    );
}

#[test]
fn two_envs_in_one_directory_are_refused() {
    let env = ready_venv_project();
    std::fs::write(
        env.p(".pyve/config"),
        "envs:\n  dev:\n    venv:\n      directory: .venv\n",
    )
    .unwrap();
    let out = env.pyve().arg("status").output().unwrap();
    assert_code(&out, 2);
    assert_eq!(
        stderr(&out),
        "error: envs `default` and `dev` would share .venv: each env needs its own directory\nhint: set `envs.dev.venv.directory` in .pyve/config\n"
    );
    // The default env was not touched by the refusal.
    assert!(env.p(".venv/pyvenv.cfg").is_file());
}

#[test]
fn a_single_env_config_keeps_its_meaning_and_its_files() {
    let env = ready_venv_project();
    // What init wrote before there were several envs: no `envs:` key, the venv at
    // .venv, its record at .pyve/state/venv.json.
    let config = std::fs::read_to_string(env.p(".pyve/config")).unwrap();
    assert!(!config.contains("envs"), "{config}");
    assert!(env.p(".pyve/state/venv.json").is_file());
    let s = env.status_json(&[]);
    assert_eq!(s["env"]["state"], "ready");
    assert_eq!(s["selected_env"]["name"], "default");
    assert_eq!(s["envs"].as_array().unwrap().len(), 1);
    // One env: status prints no env list.
    let out = env.pyve().arg("status").output().unwrap();
    assert!(!stdout(&out).contains("envs "), "{}", stdout(&out));
}
