//! The command line itself (docs/commands.md): version, help without a terminal, the
//! original pyve's flag spellings, `-C DIR`, colour control, and `.pyve/lock` contention.

use crate::common;

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::Stdio;
use std::time::Duration;

use common::*;

#[test]
fn version() {
    let env = TestEnv::new();
    let out = env.pyve().arg("--version").output().unwrap();
    assert_code(&out, 0);
    assert_eq!(stdout(&out), "pyve 0.1.0\n");
}

#[test]
fn no_command_off_a_terminal_prints_help_and_exits_2() {
    let env = TestEnv::new();
    let out = env.pyve().output().unwrap();
    assert_code(&out, 2);
    assert_contains(
        &stdout(&out),
        &[
            "Usage: pyve [OPTIONS] [COMMAND]",
            "init",
            "run",
            "status",
            "purge",
        ],
    );
    assert_contains(&stderr(&out), &["pyve needs a command here"]);
    assert!(list_dir(&env.project).is_empty());
}

#[test]
fn unknown_flags_and_conflicting_flags_are_usage_errors() {
    let env = TestEnv::new();
    let out = env.pyve().args(["init", "--frobnicate"]).output().unwrap();
    assert_code(&out, 2);
    assert_contains(&stderr(&out), &["unexpected argument '--frobnicate'"]);
    let out = env.pyve().args(["-q", "-v", "status"]).output().unwrap();
    assert_code(&out, 2);
    assert_contains(&stderr(&out), &["cannot be used with"]);
    let out = env
        .pyve()
        .args(["status", "--backend", "conda"])
        .output()
        .unwrap();
    assert_code(&out, 2);
    assert_contains(
        &stderr(&out),
        &["invalid value 'conda'", "venv", "micromamba"],
    );
}

#[test]
fn original_pyve_aliases_and_dash_c_work() {
    let env = TestEnv::new();
    env.pyenv_global("3.11.7");
    let elsewhere = env.root.join("elsewhere");
    std::fs::create_dir_all(&elsewhere).unwrap();
    let proj = env.project.to_str().unwrap();

    // `pyve -C proj --init`, from another directory.
    let out = env
        .pyve()
        .current_dir(&elsewhere)
        .args(["-C", proj, "--init"])
        .output()
        .unwrap();
    assert_code(&out, 0);
    assert_contains(&stderr(&out), &["✓ .venv created in"]);
    assert!(env.p(".venv/pyvenv.cfg").is_file());
    assert!(list_dir(&elsewhere).is_empty(), "wrote into the cwd");

    // `pyve --config --json`
    let out = env.pyve().args(["--config", "--json"]).output().unwrap();
    assert_code(&out, 0);
    let c: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(c["config_file"], env.p(".pyve/config").to_str().unwrap());
    assert_eq!(c["values"]["backend"]["value"], "venv");
    assert_eq!(c["values"]["venv.directory"]["value"], ".venv");

    // -C: the project is found from DIR, and `run`'s command runs in DIR.
    let out = env
        .pyve()
        .current_dir(&elsewhere)
        .args(["--project", proj, "status", "--json"])
        .output()
        .unwrap();
    assert_code(&out, 0);
    let s: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(s["project_root"], proj);
    assert_eq!(s["env"]["state"], "ready");
    let out = env
        .pyve()
        .current_dir(&elsewhere)
        .args([
            "-C",
            proj,
            "run",
            "python",
            "-c",
            "import os; print(os.getcwd())",
        ])
        .output()
        .unwrap();
    assert_code(&out, 0);
    assert_eq!(stdout(&out), format!("{proj}\n"));

    // `pyve -C proj --purge --yes`
    let out = env
        .pyve()
        .current_dir(&elsewhere)
        .args(["-C", proj, "--purge", "--yes"])
        .output()
        .unwrap();
    assert_code(&out, 0);
    assert_contains(&stderr(&out), &["✓ removed 3 paths"]);
    assert!(!env.p(".venv").exists());

    // After a subcommand, `--init` belongs to it: an argument of the command `run`
    // starts (`--no-sync`: the env is not created for it), and before that command an
    // unknown flag of `run` (a usage error).
    let out = env
        .pyve()
        .args(["run", "--no-sync", "tool", "--init"])
        .output()
        .unwrap();
    assert_code(&out, 3);
    assert_contains(&stderr(&out), &["no venv environment yet (.venv)"]);
    let out = env.pyve().args(["run", "--init"]).output().unwrap();
    assert_code(&out, 2);
    assert_contains(
        &stderr(&out),
        &["error: unexpected argument '--init' found"],
    );
}

#[test]
fn dash_c_to_a_missing_directory_is_a_usage_error() {
    let env = TestEnv::new();
    let missing = env.root.join("missing");
    let out = env
        .pyve()
        .arg("-C")
        .arg(&missing)
        .arg("status")
        .output()
        .unwrap();
    assert_code(&out, 2);
    assert_eq!(
        stderr(&out),
        format!(
            "error: --project {}: No such file or directory (os error 2)\n",
            missing.display()
        )
    );
}

/// A project whose status shows a warning mark and a failure mark.
fn warning_project() -> TestEnv {
    let env = TestEnv::new();
    env.write("environment.yml", "");
    env.write("requirements.txt", "");
    env
}

const ESC: &str = "\x1b[";

#[test]
fn color_is_off_unless_asked_and_never_means_never() {
    let env = warning_project();
    let text = |args: &[&str], extra: &[(&str, &str)]| {
        let out = env
            .pyve()
            .args(args)
            .envs(extra.iter().copied())
            .output()
            .unwrap();
        assert_code(&out, 0);
        format!("{}{}", stdout(&out), stderr(&out))
    };
    // `always` does colour (so the checks below can fail)…
    let always = text(&["--color", "always", "status"], &[]);
    assert!(always.contains(ESC), "{always:?}");
    // …`never`, and `auto` off a terminal, do not.
    for args in [&["--color", "never", "status"][..], &["status"]] {
        let t = text(args, &[]);
        assert!(!t.contains(ESC), "{args:?}: {t:?}");
        assert_contains(&t, &["⚠ both a conda spec"]);
    }
    // Meaning never rides on colour or Unicode alone: ASCII marks in a C locale.
    let t = text(&["status"], &[("LC_ALL", "C")]);
    assert_contains(
        &t,
        &[
            "[!] both a conda spec",
            " micromamba - from environment.yml",
        ],
    );
    assert!(t.is_ascii(), "{t:?}");
}

/// On a terminal (a pty from util-linux `script`): colour by default, none with
/// NO_COLOR or `--color never`. Linux only: other systems' `script` takes other flags.
#[test]
#[cfg(target_os = "linux")]
fn no_color_is_honoured_on_a_terminal() {
    let Some(script) = ["/usr/bin/script", "/bin/script"]
        .into_iter()
        .find(|p| Path::new(p).exists())
    else {
        skip(
            "util-linux `script` is not installed (needed for a pty)",
            "PATH to include util-linux `script` (apt-get install bsdutils)",
        );
        return;
    };
    let env = warning_project();
    let on_tty = |args: &str, extra: &[(&str, &str)]| {
        let cmd = format!("{} {args}", env!("CARGO_BIN_EXE_pyve"));
        let out = std::process::Command::new(script)
            .args(["-q", "-e", "-c", &cmd, "/dev/null"])
            .env_clear()
            .envs(env.base_env())
            .envs(extra.iter().copied())
            .current_dir(&env.project)
            .stdin(Stdio::null())
            .output()
            .unwrap();
        assert_code(&out, 0);
        stdout(&out)
    };
    let plain = on_tty("status", &[]);
    assert!(plain.contains(ESC), "no colour on a terminal: {plain:?}");
    assert_contains(&plain, &["both a conda spec"]);
    let no_color = on_tty("status", &[("NO_COLOR", "1")]);
    assert!(!no_color.contains(ESC), "{no_color:?}");
    assert_contains(&no_color, &["⚠ both a conda spec"]);
    let never = on_tty("--color never status", &[]);
    assert!(!never.contains(ESC), "{never:?}");
    // An empty NO_COLOR does not count (no-color.org).
    let empty = on_tty("status", &[("NO_COLOR", "")]);
    assert!(empty.contains(ESC), "{empty:?}");
}

/// Holds an exclusive flock(2) on `path` from another process (python's fcntl, the
/// same lock std's `File::try_lock` takes) until the returned guard is dropped.
fn hold_lock(env: &TestEnv, path: &Path) -> KillGroupOnDrop {
    let ready = env.root.join("lock-held");
    let code = "import fcntl, sys, time\nf = open(sys.argv[1], 'a')\nfcntl.flock(f, fcntl.LOCK_EX)\nopen(sys.argv[2], 'w').close()\ntime.sleep(600)\n";
    use std::os::unix::process::CommandExt;
    let child = std::process::Command::new(system_python())
        .args(["-c", code])
        .arg(path)
        .arg(&ready)
        .process_group(0)
        .stdin(Stdio::null())
        .spawn()
        .unwrap();
    let guard = KillGroupOnDrop(child.id() as i32);
    assert!(
        wait_for_file(&ready, Duration::from_secs(30)),
        "the lock holder never took the lock"
    );
    // Dropping `child` neither kills nor waits: the guard ends the holder.
    drop(child);
    guard
}

#[test]
fn a_held_lock_makes_init_wait_then_time_out() {
    let env = TestEnv::new();
    std::fs::create_dir_all(env.p(".pyve")).unwrap();
    let lock = env.p(".pyve/lock");
    let _held = hold_lock(&env, &lock);
    let out = env
        .pyve()
        .env("PYVE_LOCK_TIMEOUT", "1")
        .arg("init")
        .output()
        .unwrap();
    assert_code(&out, 1);
    let err = stderr(&out);
    assert_contains(
        &err,
        &[
            "waiting for .pyve/lock: held by another pyve process (another pyve command is changing this project)…",
            &format!(
                "error: timed out after 1.0s waiting for {}, held by another pyve process",
                lock.display()
            ),
        ],
    );
    assert!(!env.p(".venv").exists());
    assert!(!env.p(".pyve/state").exists());

    // purge takes the same lock.
    let out = env
        .pyve()
        .env("PYVE_LOCK_TIMEOUT", "0.2")
        .args(["purge", "--yes"])
        .output()
        .unwrap();
    assert_code(&out, 1);
    assert_contains(
        &stderr(&out),
        &[
            "error: timed out after",
            &format!("waiting for {}", lock.display()),
        ],
    );
}

#[test]
fn a_waiting_init_proceeds_when_the_lock_is_released() {
    let env = TestEnv::new();
    env.pyenv_global("3.11.7");
    std::fs::create_dir_all(env.p(".pyve")).unwrap();
    let held = hold_lock(&env, &env.p(".pyve/lock"));

    let mut child = env
        .std_pyve()
        .arg("init")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    let mut seen = Vec::new();
    for line in lines.by_ref() {
        let line = line.unwrap();
        let waiting = line.starts_with("waiting for .pyve/lock");
        seen.push(line);
        if waiting {
            break;
        }
    }
    assert!(
        seen.last()
            .is_some_and(|l| l.starts_with("waiting for .pyve/lock")),
        "{seen:?}"
    );
    assert!(!env.p(".venv").exists(), "init went ahead without the lock");
    drop(held); // release it
    let rest: Vec<String> = lines.map(Result::unwrap).collect();
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(0), "{seen:?} {rest:?}");
    assert!(
        rest.iter().any(|l| l.contains("✓ .venv created in")),
        "{rest:?}"
    );
    // The lock file now names its last holder.
    assert!(
        std::fs::read_to_string(env.p(".pyve/lock"))
            .unwrap()
            .starts_with("pid "),
    );
}

#[test]
fn a_full_or_closed_stdout_ends_quietly_never_with_a_panic() {
    let env = TestEnv::new();
    env.write("requirements.txt", "");
    for args in [
        &["status"][..],
        &["status", "--json"],
        &["doctor"],
        &["config"],
    ] {
        let full = std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .unwrap();
        let out = env.std_pyve().args(args).stdout(full).output().unwrap();
        assert_code(&out, 1);
        assert_eq!(
            stderr(&out),
            "pyve: cannot write to stdout: No space left on device (os error 28)\n",
            "{args:?}"
        );
    }
    // A reader that stops early (`| head`): no message at all, no panic.
    let mut child = env
        .std_pyve()
        .args(["status", "--json"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!err.contains("panicked"), "{err}");
}
