//! `pyve purge` removes what pyve created in the project and nothing else
//! (docs/policies.md): a symlinked venv loses its link only, the user's own `.venv` and
//! `.pyve/config` stay, and without `--yes` off a terminal nothing happens.

use crate::common;

use common::*;

#[test]
fn purge_removes_the_venv_and_state_and_keeps_the_config() {
    let env = ready_env();
    let out = env.pyve().args(["purge", "--yes"]).output().unwrap();
    assert_code(&out, 0);
    let err = stderr(&out);
    assert_contains(
        &err,
        &[
            &format!("pyve created these in {}:", env.project.display()),
            ".venv  the venv pyve created",
            ".pyve/state  pyve's state files",
            ".gitignore  pyve's block in it (the other lines stay)",
            "✓ removed 3 paths (.pyve/config kept; `pyve init` builds the env again)",
        ],
    );
    assert!(!env.p(".venv").exists());
    // The .gitignore held only pyve's block: it goes (tests/it/git_hygiene.rs).
    assert!(!env.p(".gitignore").exists());
    assert!(!env.p(".pyve/state").exists());
    assert!(env.p(".pyve/config").is_file());
    assert_eq!(env.status_json(&[])["env"]["state"], "missing");

    // Again: nothing left to purge.
    let out = env.pyve().args(["purge", "--yes"]).output().unwrap();
    assert_code(&out, 0);
    assert_eq!(
        stderr(&out),
        "✓ nothing to purge: pyve created nothing here (.pyve/config is kept)\n"
    );
}

#[test]
fn a_symlinked_venv_loses_its_link_only() {
    let env = ready_env();
    // Move the venv pyve built out of the project and link it back in; the state
    // still names <project>/.venv as its prefix.
    let outside = env.root.join("outside");
    std::fs::create_dir_all(&outside).unwrap();
    let real = outside.join("venv");
    std::fs::rename(env.p(".venv"), &real).unwrap();
    std::os::unix::fs::symlink(&real, env.p(".venv")).unwrap();
    std::fs::write(outside.join("precious.txt"), "keep me").unwrap();
    let before = list_dir(&real);

    let out = env.pyve().args(["purge", "--yes"]).output().unwrap();
    assert_code(&out, 0);
    assert_contains(
        &stderr(&out),
        &[".venv  the venv pyve created (symlink: only the link is removed)"],
    );
    assert!(
        env.p(".venv").symlink_metadata().is_err(),
        "the link is still there"
    );
    assert_eq!(list_dir(&real), before, "the linked-to venv was touched");
    assert!(real.join("pyvenv.cfg").is_file());
    assert!(real.join("bin/python").symlink_metadata().is_ok());
    assert_eq!(
        std::fs::read_to_string(outside.join("precious.txt")).unwrap(),
        "keep me"
    );
    assert!(env.p(".pyve/config").is_file());
    assert!(!env.p(".pyve/state").exists());
}

#[test]
fn purge_without_yes_off_a_terminal_lists_and_refuses() {
    let env = ready_env();
    let out = env.pyve().arg("purge").output().unwrap();
    assert_code(&out, 2);
    let err = stderr(&out);
    assert_contains(
        &err,
        &[
            ".venv  the venv pyve created",
            "error: purge needs confirmation: rerun with `pyve purge --yes` to remove the paths listed above",
        ],
    );
    assert!(env.p(".venv/pyvenv.cfg").exists());
    assert!(env.p(".pyve/state/venv.json").exists());
}

#[test]
fn purge_with_nothing_to_purge_says_so_and_creates_nothing() {
    let env = TestEnv::new();
    env.write("requirements.txt", "");
    let out = env.pyve().args(["purge", "--yes"]).output().unwrap();
    assert_code(&out, 0);
    assert_eq!(
        stderr(&out),
        "✓ nothing to purge: pyve has not set up this project\n"
    );
    assert_eq!(list_dir(&env.project), vec!["requirements.txt"]);
}

#[test]
fn purge_never_removes_a_venv_pyve_did_not_make() {
    let env = TestEnv::new();
    env.write(".pyve/config", "backend: venv\n");
    env.foreign_venv(".venv");
    env.write(".venv/user-file", "mine");
    let out = env.pyve().args(["purge", "--yes"]).output().unwrap();
    assert_code(&out, 0);
    assert_contains(
        &stderr(&out),
        &["nothing to purge: pyve created nothing here"],
    );
    assert!(env.p(".venv/user-file").exists());
    assert!(env.p(".venv/pyvenv.cfg").exists());

    // Nor one at another directory when the state names a different one.
    let env = ready_env();
    std::fs::rename(env.p(".venv"), env.p("moved-venv")).unwrap();
    env.foreign_venv(".venv");
    env.write(".venv/user-file", "mine");
    env.write(
        ".pyve/config",
        "backend: venv\nvenv:\n  directory: moved-venv\n",
    );
    let out = env.pyve().args(["purge", "--yes"]).output().unwrap();
    assert_code(&out, 0);
    let err = stderr(&out);
    assert!(!err.contains("the venv pyve created"), "{err}");
    assert!(env.p(".venv/user-file").exists());
}

#[test]
fn purge_removes_an_env_whose_creation_did_not_finish() {
    let env = TestEnv::new();
    env.pyenv_global("3.11.7");
    // The venv is built without pip, so installing requirements fails half-way.
    env.write("requirements.txt", "");
    let out = env.pyve().arg("init").output().unwrap();
    assert_code(&out, 1);
    assert_contains(
        &stderr(&out),
        &["No module named pip", "install requirements.txt failed"],
    );
    assert!(env.p(".venv").exists());
    assert!(env.p(".pyve/state/venv.creating").exists());

    let out = env.pyve().args(["purge", "--yes"]).output().unwrap();
    assert_code(&out, 0);
    assert_contains(
        &stderr(&out),
        &[".venv  the venv pyve created", "✓ removed 3 paths"],
    );
    assert!(!env.p(".venv").exists());
    assert!(!env.p(".pyve/state").exists());
}
