//! `pyve run` keeps the env in step (docs/commands.md#run): a missing, stale or
//! half-built env is created, updated or rebuilt by the init job first (said on
//! stderr, the command's stdout untouched); `--frozen` and `PYVE_FROZEN=1` never change
//! it and fail (exit 3); `--no-sync` runs in it as it is. Real venvs with pip, built
//! by a real python, packages installed from local wheels.

use crate::common;

use common::*;

/// A project whose requirements.txt names a local wheel `pkga`.
fn project() -> TestEnv {
    let env = TestEnv::new();
    env.fake_pyenv(&[("3.11.7", &system_python())]);
    env.write(".python-version", "3.11\n");
    env.wheel("wheels", "pkga", "0.1", "VALUE = 'from pkga'\n");
    env.wheel("wheels", "pkgb", "0.2", "VALUE = 'from pkgb'\n");
    env.write("requirements.txt", "./wheels/pkga-0.1-py3-none-any.whl\n");
    env
}

fn state_bytes(env: &TestEnv) -> Vec<u8> {
    std::fs::read(env.p(".pyve/state/venv.json")).unwrap()
}

#[test]
fn run_creates_a_missing_env_then_updates_a_stale_one_then_just_runs() {
    let env = project();
    let out = env
        .pyve()
        .args(["run", "python", "-c", "import pkga; print(pkga.VALUE)"])
        .output()
        .unwrap();
    assert_code(&out, 0);
    // stdout is the command's alone; what pyve did is on stderr, first.
    assert_eq!(stdout(&out), "from pkga\n");
    let err = stderr(&out);
    assert!(
        err.starts_with("no environment yet (.venv): creating it first\n"),
        "{err}"
    );
    assert_contains(
        &err,
        &[
            "» create .venv",
            "» install requirements.txt",
            "✓ .venv created in",
        ],
    );
    assert_eq!(env.status_json(&[])["env"]["state"], "ready");

    // A changed requirements.txt: updated in place (no rebuild), then run.
    env.write(
        "requirements.txt",
        "./wheels/pkga-0.1-py3-none-any.whl\n./wheels/pkgb-0.2-py3-none-any.whl\n",
    );
    let out = env
        .pyve()
        .args(["run", "python", "-c", "import pkgb; print(pkgb.VALUE)"])
        .output()
        .unwrap();
    assert_code(&out, 0);
    assert_eq!(stdout(&out), "from pkgb\n");
    let err = stderr(&out);
    assert!(
        err.starts_with("requirements.txt changed since .venv was built: updating it first\n"),
        "{err}"
    );
    assert_contains(&err, &["» install requirements.txt", "✓ .venv updated in"]);
    assert!(
        !err.contains("» create"),
        "an update must not rebuild: {err}"
    );

    // Ready: nothing but the command.
    let before = state_bytes(&env);
    let out = env
        .pyve()
        .args(["run", "python", "-c", "print('ran')"])
        .output()
        .unwrap();
    assert_code(&out, 0);
    assert_eq!(stdout(&out), "ran\n");
    assert_eq!(stderr(&out), "");
    assert_eq!(state_bytes(&env), before);
}

#[test]
fn frozen_never_creates_or_updates_and_exits_3() {
    let env = project();
    // Missing: refused, nothing created, by the flag and by the variable.
    let out = env
        .pyve()
        .args(["run", "--frozen", "python", "-c", "open('ran', 'w')"])
        .output()
        .unwrap();
    assert_code(&out, 3);
    assert_eq!(
        stderr(&out),
        "error: no venv environment yet (.venv) and --frozen forbids creating it\nhint: run `pyve init`\n"
    );
    let out = env
        .pyve()
        .env("PYVE_FROZEN", "1")
        .args(["run", "python", "-c", "open('ran', 'w')"])
        .output()
        .unwrap();
    assert_code(&out, 3);
    assert_eq!(
        stderr(&out),
        "error: no venv environment yet (.venv) and PYVE_FROZEN=1 forbids creating it\nhint: run `pyve init`\n"
    );
    assert_eq!(
        list_dir(&env.project),
        vec![".python-version", "requirements.txt", "wheels"]
    );

    // Stale: refused, the env and its record untouched.
    let out = env.pyve().arg("init").output().unwrap();
    assert_code(&out, 0);
    env.write(
        "requirements.txt",
        "./wheels/pkga-0.1-py3-none-any.whl\n./wheels/pkgb-0.2-py3-none-any.whl\n",
    );
    let before = state_bytes(&env);
    for (flag, var, by) in [
        (Some("--frozen"), None, "--frozen"),
        (None, Some("1"), "PYVE_FROZEN=1"),
        (None, Some("true"), "PYVE_FROZEN=1"),
    ] {
        let mut cmd = env.pyve();
        cmd.arg("run");
        if let Some(f) = flag {
            cmd.arg(f);
        }
        if let Some(v) = var {
            cmd.env("PYVE_FROZEN", v);
        }
        let out = cmd
            .args(["python", "-c", "open('ran', 'w')"])
            .output()
            .unwrap();
        assert_code(&out, 3);
        assert_eq!(
            stderr(&out),
            format!(
                "error: requirements.txt changed since .venv was built, and {by} forbids updating it (`pyve run --no-sync …` runs in it as it is)\nhint: run `pyve init`\n"
            )
        );
    }
    assert!(!env.p("ran").exists());
    assert_eq!(state_bytes(&env), before);
    assert_eq!(env.status_json(&[])["env"]["state"], "stale");

    // PYVE_FROZEN=0 is off; a value that is neither is an error, not a guess.
    let out = env
        .pyve()
        .env("PYVE_FROZEN", "maybe")
        .args(["run", "python", "-c", "pass"])
        .output()
        .unwrap();
    assert_code(&out, 2);
    assert_eq!(
        stderr(&out),
        "error: PYVE_FROZEN must be 1 or 0 (true/false, yes/no), got \"maybe\"\n"
    );
    let out = env
        .pyve()
        .env("PYVE_FROZEN", "0")
        .args(["run", "python", "-c", "import pkgb; print(pkgb.VALUE)"])
        .output()
        .unwrap();
    assert_code(&out, 0);
    assert_eq!(stdout(&out), "from pkgb\n");
}

#[test]
fn no_sync_runs_in_the_env_as_it_is() {
    let env = project();
    let out = env
        .pyve()
        .args(["run", "--no-sync", "python", "-c", "pass"])
        .output()
        .unwrap();
    assert_code(&out, 3);
    assert_eq!(
        stderr(&out),
        "error: no venv environment yet (.venv)\nhint: run `pyve init`\n"
    );
    assert!(!env.p(".venv").exists());
    let out = env.pyve().arg("init").output().unwrap();
    assert_code(&out, 0);
    env.write("requirements.txt", "./wheels/pkgb-0.2-py3-none-any.whl\n");
    let before = state_bytes(&env);
    let out = env
        .pyve()
        .args([
            "run",
            "--no-sync",
            "python",
            "-c",
            "import pkga; print(pkga.VALUE)",
        ])
        .output()
        .unwrap();
    assert_code(&out, 0);
    assert_eq!(stdout(&out), "from pkga\n");
    assert_eq!(
        stderr(&out),
        "warning: requirements.txt changed since .venv was built; running anyway — `pyve init` updates it\n"
    );
    assert_eq!(state_bytes(&env), before);
    // Both at once is a usage error.
    let out = env
        .pyve()
        .args(["run", "--frozen", "--no-sync", "python"])
        .output()
        .unwrap();
    assert_code(&out, 2);
    assert_contains(
        &stderr(&out),
        &["error: the argument '--frozen' cannot be used with '--no-sync'"],
    );
}

#[test]
fn an_env_a_failed_init_left_is_rebuilt_first_and_a_failure_stops_the_command() {
    let env = project();
    env.write("requirements.txt", "nonexistent-pkg-xyz==1.0\n");
    // The sync fails: the init's error, and the command never runs.
    let out = env
        .pyve()
        .args(["run", "python", "-c", "open('ran', 'w')"])
        .output()
        .unwrap();
    assert_code(&out, 1);
    assert_contains(
        &stderr(&out),
        &[
            "no environment yet (.venv): creating it first",
            "No matching distribution found for nonexistent-pkg-xyz==1.0",
            ".venv is left incomplete",
        ],
    );
    assert!(!env.p("ran").exists());
    // Fixed: the half-built env is rebuilt, then the command runs.
    env.write("requirements.txt", "./wheels/pkga-0.1-py3-none-any.whl\n");
    let out = env
        .pyve()
        .args(["run", "python", "-c", "import pkga; print(pkga.VALUE)"])
        .output()
        .unwrap();
    assert_code(&out, 0);
    assert_eq!(stdout(&out), "from pkga\n");
    assert!(
        stderr(&out).starts_with(
            ".venv is incomplete (a previous `pyve init` did not finish building it): rebuilding it first\n"
        ),
        "{}",
        stderr(&out)
    );
}
