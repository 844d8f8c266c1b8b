//! Git hygiene (docs/policies.md#files-pyve-writes): pyve's paths are ignored by one
//! marked block in the project's `.gitignore`, added before anything is built (a
//! failed init leaves nothing untracked), added once, and removed by `purge` leaving
//! the user's lines byte for byte. A real git repository, real venvs.

use crate::common;

use common::*;

fn git(env: &TestEnv, args: &[&str]) -> String {
    let out = std::process::Command::new("git")
        .args(["-c", "user.name=t", "-c", "user.email=t@example.invalid"])
        .args([
            "-c",
            "core.fsmonitor=false",
            "-c",
            "init.defaultBranch=main",
        ])
        .args(args)
        .current_dir(&env.project)
        .env_clear()
        .envs(env.base_env())
        .output()
        .unwrap();
    assert!(out.status.success(), "git {args:?}: {}", stderr(&out));
    stdout(&out)
}

fn porcelain(env: &TestEnv) -> String {
    git(env, &["status", "--porcelain", "--untracked-files=all"])
}

fn repo() -> Option<TestEnv> {
    if on_base_path("git").is_none() {
        skip(
            "git is not installed",
            "PATH to include git (apt-get install git)",
        );
        return None;
    }
    let env = TestEnv::new();
    env.fake_pyenv(&[("3.11.7", &system_python())]);
    std::fs::write(env.pyenv_root.join("version"), "3.11.7\n").unwrap();
    git(&env, &["init", "-q"]);
    Some(env)
}

#[test]
fn a_failed_init_leaves_nothing_untracked_and_the_block_is_added_once() {
    let Some(env) = repo() else { return };
    env.write(".gitignore", "*.pyc\n");
    // pip fails on this with no index.
    env.write("requirements.txt", "nonexistent-pkg-xyz==1.0\n");
    git(&env, &["add", "."]);
    git(&env, &["commit", "-q", "-m", "start"]);

    let out = env.pyve().arg("init").output().unwrap();
    assert_code(&out, 1);
    // The half-built venv, its marker and the lock are all ignored.
    assert!(env.p(".venv").is_dir() && env.p(".pyve/state/venv.creating").is_file());
    assert_eq!(porcelain(&env), " M .gitignore\n");
    let ignore = std::fs::read_to_string(env.p(".gitignore")).unwrap();
    assert_eq!(
        ignore,
        "*.pyc\n\n# >>> pyve >>>\n# Written by pyve: per-machine envs and state. `pyve purge` removes this block.\n/.venv/\n/.pyve/envs/\n/.pyve/bin/\n/.pyve/state/\n/.pyve/lock\n/.env\n# <<< pyve <<<\n"
    );

    // A working init: only .pyve/config (meant to be committed) is new; the block is
    // not added twice.
    env.write("requirements.txt", "");
    let out = env.pyve().arg("init").output().unwrap();
    assert_code(&out, 0);
    assert_eq!(
        porcelain(&env),
        " M .gitignore\n M requirements.txt\n?? .pyve/config\n"
    );
    let out = env.pyve().args(["init", "--force"]).output().unwrap();
    assert_code(&out, 0);
    assert_eq!(
        std::fs::read_to_string(env.p(".gitignore")).unwrap(),
        ignore
    );
    assert_eq!(ignore.matches("# >>> pyve >>>").count(), 1);

    // purge removes what pyve wrote: the env, its state, and the block only.
    let out = env.pyve().args(["purge", "--yes"]).output().unwrap();
    assert_code(&out, 0);
    assert_contains(
        &stderr(&out),
        &[".gitignore  pyve's block in it (the other lines stay)"],
    );
    assert_eq!(
        std::fs::read_to_string(env.p(".gitignore")).unwrap(),
        "*.pyc\n"
    );
    // Left: the config, and the lock file purge held (removing a lock file another
    // pyve may be waiting on would let two hold it: docs/policies.md).
    assert_eq!(
        porcelain(&env),
        " M requirements.txt\n?? .pyve/config\n?? .pyve/lock\n"
    );
}

#[test]
fn a_gitignore_pyve_created_goes_with_purge_and_a_moved_venv_updates_the_block() {
    let Some(env) = repo() else { return };
    env.write("requirements.txt", "");
    env.write(".pyve/config", "venv:\n  directory: env\n");
    let out = env.pyve().arg("init").output().unwrap();
    assert_code(&out, 0);
    let ignore = std::fs::read_to_string(env.p(".gitignore")).unwrap();
    assert!(ignore.starts_with("# >>> pyve >>>\n"), "{ignore}");
    assert!(
        ignore.contains("\n/env/\n") && !ignore.contains("/.venv/"),
        "{ignore}"
    );
    assert_eq!(
        porcelain(&env),
        "?? .gitignore\n?? .pyve/config\n?? requirements.txt\n"
    );
    let out = env.pyve().args(["purge", "--yes"]).output().unwrap();
    assert_code(&out, 0);
    assert!(!env.p(".gitignore").exists());
}
