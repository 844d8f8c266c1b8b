//! Platforms: `environment.<platform>.yml` is this machine's env file (before
//! `environment.yml`) and detection's evidence; another platform's file is neither;
//! `micromamba.platforms` of `.pyve/config` is what `pyve lock` locks.

use crate::common::*;
use crate::micromamba::{Kind, Mamba, env_yml};

/// This machine's conda platform.
fn here() -> &'static str {
    match (std::env::consts::OS, std::env::consts::ARCH) {
        ("linux", "x86_64") => "linux-64",
        ("linux", "aarch64") => "linux-aarch64",
        ("macos", "aarch64") => "osx-arm64",
        ("macos", _) => "osx-64",
        _ => "win-64",
    }
}

/// A platform that is not this one.
fn other() -> &'static str {
    if here() == "osx-arm64" {
        "linux-64"
    } else {
        "osx-arm64"
    }
}

#[test]
fn the_platform_env_file_is_chosen_and_is_the_evidence() {
    let Some(m) = Mamba::new(Kind::Double) else {
        return;
    };
    let mine = format!("environment.{}.yml", here());
    m.env.write(&mine, &env_yml(&m.channel, &["packaging"]));
    m.env.write(
        &format!("environment.{}.yml", other()),
        "dependencies: [nothing-here]\n",
    );
    let status = m.env.status_json(&[]);
    assert_eq!(status["backend"]["name"], "micromamba");
    assert_eq!(
        status["backend"]["evidence"],
        serde_json::json!([mine, "environment.yml"])
    );
    let out = m.pyve().arg("init").output().unwrap();
    assert_code(&out, 0);
    assert_contains(&stderr(&out), &[&format!("from {mine}")]);
    let create = m
        .calls()
        .into_iter()
        .find(|c| c["argv"][1] == "create")
        .unwrap();
    let f = create["argv"]
        .as_array()
        .unwrap()
        .iter()
        .position(|a| a == "-f")
        .unwrap();
    assert_eq!(create["argv"][f + 1], m.env.p(&mine).to_str().unwrap());
    // Only another platform's file: not a conda spec here.
    let env = TestEnv::new();
    env.write(
        &format!("environment.{}.yml", other()),
        "dependencies: [python]\n",
    );
    env.write("requirements.txt", "");
    let status = env.status_json(&[]);
    assert_eq!(status["backend"]["name"], "venv");
    assert_eq!(
        status["backend"]["evidence"],
        serde_json::json!(["requirements.txt"])
    );
}

#[test]
fn lock_platforms_come_from_the_config() {
    let Some(m) = Mamba::new(Kind::Double) else {
        return;
    };
    m.env.write(
        ".pyve/config",
        &format!("micromamba:\n  platforms: [{}, {}]\n", here(), other()),
    );
    let log = m.env.root.join("conda-lock.log");
    let out = m
        .pyve()
        .arg("lock")
        .env(
            "PYVE_CONDA_LOCK",
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/support/conda-lock"),
        )
        .env("PYVE_FAKE_CL_LOG", &log)
        .env("PYVE_FAKE_CL_MODE", "solve-fail")
        .output()
        .unwrap();
    assert_code(&out, 1);
    assert_contains(
        &stderr(&out),
        &[&format!(
            "Locking environment.yml for {}, {} with conda-lock",
            here(),
            other()
        )],
    );
    let call = logged_calls(&log).remove(0);
    let argv = argv_of(&call);
    let p = argv.iter().position(|a| *a == "-p").unwrap();
    assert_eq!(argv[p..p + 4], ["-p", here(), "-p", other()]);
}

#[test]
fn an_option_like_platform_in_the_config_is_refused() {
    let env = TestEnv::new();
    env.write("environment.yml", "dependencies: [python]\n");
    env.write(
        ".pyve/config",
        "micromamba:\n  platforms: [linux-64, \"--all\"]\n",
    );
    let out = env.pyve().arg("status").output().unwrap();
    assert_code(&out, 2);
    assert_contains(
        &stderr(&out),
        &[
            ".pyve/config:2:",
            "invalid platform `--all`: expected a conda platform such as linux-64, osx-arm64, win-64",
        ],
    );
}
