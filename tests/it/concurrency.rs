//! Eight concurrent `pyve init`s in one project create the env once (docs/policies.md):
//! `.pyve/lock` serialises them and the seven that wait find a ready env.

use crate::common;

use std::process::Stdio;

use common::*;

#[test]
fn eight_concurrent_inits_create_once() {
    let env = TestEnv::new();
    let log = env.root.join("venv-creations.log");
    // With pip, so the creation (and the install) takes long enough for the other
    // seven to arrive while it runs.
    env.pyenv_wrapper(
        "3.11.7",
        &system_python(),
        &Wrapper {
            with_pip: true,
            log: Some(log.clone()),
            block: None,
        },
    );
    std::fs::write(env.pyenv_root.join("version"), "3.11.7\n").unwrap();
    env.wheel("wheels", "onlyonce", "1.0", "OK = True\n");
    env.write(
        "requirements.txt",
        "./wheels/onlyonce-1.0-py3-none-any.whl\n",
    );

    let children: Vec<_> = (0..8)
        .map(|_| {
            env.std_pyve()
                .arg("init")
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    let outputs: Vec<_> = children
        .into_iter()
        .map(|c| c.wait_with_output().unwrap())
        .collect();

    for o in &outputs {
        assert_code(o, 0);
    }
    let errs: Vec<String> = outputs.iter().map(stderr).collect();
    let count = |needle: &str| errs.iter().filter(|e| e.contains(needle)).count();
    assert_eq!(count("✓ .venv created in"), 1, "{errs:#?}");
    // The venv's python is the system one the wrapper runs: its version, asked.
    let ready = format!(
        "✓ .venv is ready (python {}): reused, nothing to do",
        python_version(&system_python())
    );
    assert_eq!(count(&ready), 7, "{errs:#?}");
    assert_eq!(count("Successfully installed onlyonce-1.0"), 1, "{errs:#?}");
    // They really did contend: some waited for the lock, and said so.
    assert!(
        count("waiting for .pyve/lock: held by another pyve process (pid ") >= 1,
        "{errs:#?}"
    );
    let creations = std::fs::read_to_string(&log).unwrap();
    assert_eq!(creations.lines().count(), 1, "{creations}");

    let st = env.status_json(&[]);
    assert_eq!(st["env"]["state"], "ready");
    let out = env
        .pyve()
        .args(["run", "python", "-c", "import onlyonce; print(onlyonce.OK)"])
        .output()
        .unwrap();
    assert_code(&out, 0);
    assert_eq!(stdout(&out), "True\n");
    // Nothing half-written is left behind (atomic writes' temp files, markers).
    assert_eq!(list_dir(&env.p(".pyve/state")), vec!["venv.json"]);
    assert_eq!(list_dir(&env.p(".pyve")), vec!["config", "lock", "state"]);
    let ignore = std::fs::read_to_string(env.p(".gitignore")).unwrap();
    assert_eq!(ignore.matches("# >>> pyve >>>").count(), 1, "{ignore}");
}
