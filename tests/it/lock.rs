//! `pyve lock`: conda-lock driven with pyve's micromamba and root prefix. The round trip
//! runs the real conda-lock (`PYVE_TEST_CONDA_LOCK_PYTHON`'s venv) with the real
//! micromamba and the local channel; the failure paths run a recording double
//! (tests/support/conda-lock): conda-lock missing, a solve failure, nothing written,
//! interrupted by SIGINT or SIGTERM — each leaves the old conda-lock.yml as it was and
//! no temp file behind.

use std::path::PathBuf;
use std::time::Duration;

use crate::common::*;
use crate::micromamba::{Kind, Mamba, env_yml};

/// This machine's conda platform (the local channel is linux-64's).
fn platform() -> &'static str {
    match (std::env::consts::OS, std::env::consts::ARCH) {
        ("linux", "x86_64") => "linux-64",
        ("linux", "aarch64") => "linux-aarch64",
        ("macos", "aarch64") => "osx-arm64",
        ("macos", _) => "osx-64",
        _ => "win-64",
    }
}

/// The real conda-lock: `bin/conda-lock` beside `PYVE_TEST_CONDA_LOCK_PYTHON`.
fn real_conda_lock() -> Option<PathBuf> {
    let Some(py) = std::env::var_os("PYVE_TEST_CONDA_LOCK_PYTHON").filter(|v| !v.is_empty()) else {
        skip(
            "the real conda-lock round trip: no conda-lock given",
            "PYVE_TEST_CONDA_LOCK_PYTHON=/path/to/venv/bin/python (a venv with conda-lock 4.0.3)",
        );
        return None;
    };
    let bin = PathBuf::from(py).parent().unwrap().join("conda-lock");
    assert!(
        bin.is_file(),
        "no conda-lock beside PYVE_TEST_CONDA_LOCK_PYTHON: {}",
        bin.display()
    );
    Some(bin)
}

fn double() -> PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/support/conda-lock")
}

fn temp_files_left(m: &Mamba) -> Vec<String> {
    list_dir(&m.env.project)
        .into_iter()
        .filter(|n| n.starts_with(".conda-lock.pyve-"))
        .collect()
}

#[test]
fn lock_create_from_lock_check_edit_stale_relock_up_to_date() {
    let Some(conda_lock) = real_conda_lock() else {
        return;
    };
    let Some(m) = Mamba::new(Kind::Real) else {
        return;
    };
    if !m.installs_its_own_locks() {
        return;
    }
    let pyve = || {
        let mut c = m.pyve();
        c.env("PYVE_CONDA_LOCK", &conda_lock);
        c
    };
    let out = pyve().arg("lock").output().unwrap();
    assert_code(&out, 0);
    let p = platform();
    assert_contains(
        &stderr(&out),
        &[
            &format!("Locking environment.yml for {p} with conda-lock"),
            &format!("conda-lock.yml written for {p}"),
            "built from conda-lock.yml",
            "demo created in",
        ],
    );
    let lock = std::fs::read_to_string(m.env.p("conda-lock.yml")).unwrap();
    assert_contains(
        &lock,
        &["conda-lock lock  --lockfile conda-lock.yml --update PACKAGE"],
    );
    assert!(
        !lock.contains(".conda-lock.pyve-"),
        "the header names the lock, not the temp file"
    );
    assert!(temp_files_left(&m).is_empty());
    // conda-lock solved with pyve's micromamba and root prefix.
    let solved = m.calls().into_iter().any(|c| {
        c["argv"]
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a == "--dry-run")
            && c["env"]["MAMBA_ROOT_PREFIX"] == m.env.pyve_home.join("mamba").to_str().unwrap()
    });
    assert!(solved, "conda-lock ran pyve's micromamba: {:?}", m.calls());
    let status = m.env.status_json(&[]);
    assert_eq!(status["env"]["state"], "ready");

    let check = pyve().args(["lock", "--check"]).output().unwrap();
    assert_code(&check, 0);
    assert_contains(&stderr(&check), &["conda-lock.yml is up to date"]);

    m.env
        .write("environment.yml", &env_yml(&m.channel, &["packaging"]));
    let check = pyve().args(["lock", "--check"]).output().unwrap();
    assert_code(&check, 1);
    assert_contains(
        &stderr(&check),
        &[&format!("conda-lock.yml is stale for {p}")],
    );

    let out = pyve().arg("lock").output().unwrap();
    assert_code(&out, 0);
    let check = pyve().args(["lock", "--check"]).output().unwrap();
    assert_code(&check, 0);
    assert!(
        m.records().iter().any(|r| r.starts_with("packaging-")),
        "the env follows the new lock: {:?}",
        m.records()
    );

    // --update re-solves one package and keeps the lock up to date.
    let out = pyve().args(["lock", "--update", "six"]).output().unwrap();
    assert_code(&out, 0);
    assert_contains(&stderr(&out), &["(updating six)"]);
    assert_code(&pyve().args(["lock", "--check"]).output().unwrap(), 0);
}

/// A project with an old lock and the double as conda-lock in `mode`.
fn with_double(mode: &str) -> (Mamba, PathBuf, assert_cmd::Command) {
    let m = Mamba::new(Kind::Double).unwrap();
    m.env.write("conda-lock.yml", "# the old lock\n");
    let log = m.env.root.join("conda-lock.log");
    let mut c = m.pyve();
    c.env("PYVE_CONDA_LOCK", double())
        .env("PYVE_FAKE_CL_LOG", &log)
        .env("PYVE_FAKE_CL_MODE", mode);
    (m, log, c)
}

fn old_lock_intact(m: &Mamba) {
    assert_eq!(
        std::fs::read_to_string(m.env.p("conda-lock.yml")).unwrap(),
        "# the old lock\n"
    );
    assert!(temp_files_left(m).is_empty(), "{:?}", temp_files_left(m));
}

#[test]
fn a_solve_failure_names_the_platform_and_keeps_the_old_lock() {
    let (m, log, mut c) = with_double("solve-fail");
    let out = c.arg("lock").output().unwrap();
    assert_code(&out, 1);
    let p = platform();
    assert_contains(
        &stderr(&out),
        &[
            &format!("Could not lock the environment for platform {p}"),
            &format!(
                "conda-lock could not solve environment.yml for {p}: change what micromamba names above in environment.yml (a package name, a version, a channel), then rerun `pyve lock`"
            ),
            "conda-lock.yml is unchanged",
        ],
    );
    old_lock_intact(&m);
    let call = logged_calls(&log).remove(0);
    let argv = argv_of(&call);
    let mm = m.env.pyve_home.join("bin/micromamba");
    assert_eq!(
        argv[..8],
        [
            "lock",
            "--micromamba",
            "--conda",
            mm.to_str().unwrap(),
            "-f",
            "environment.yml",
            "-p",
            p
        ]
    );
    assert_eq!(argv[8], "--lockfile");
    assert!(argv[9].starts_with(".conda-lock.pyve-"), "{argv:?}");
    assert_eq!(
        call["env"]["MAMBA_ROOT_PREFIX"],
        m.env.pyve_home.join("mamba").to_str().unwrap()
    );
}

#[test]
fn a_conda_lock_that_writes_nothing_is_a_failure() {
    let m = Mamba::new(Kind::Double).unwrap();
    let out = m
        .pyve()
        .arg("lock")
        .env("PYVE_CONDA_LOCK", double())
        .output()
        .unwrap();
    assert_code(&out, 1);
    assert_contains(&stderr(&out), &["conda-lock wrote no readable lock file"]);
    assert!(!m.env.p("conda-lock.yml").exists());
    assert!(temp_files_left(&m).is_empty());
}

#[test]
fn interrupted_by_sigint_or_sigterm_leaves_the_old_lock() {
    for sig in [
        nix::sys::signal::Signal::SIGINT,
        nix::sys::signal::Signal::SIGTERM,
    ] {
        let m = Mamba::new(Kind::Double).unwrap();
        m.env.write("conda-lock.yml", "# the old lock\n");
        let pidfile = m.env.root.join("conda-lock.pid");
        let child = m
            .std_pyve()
            .arg("lock")
            .env("PYVE_CONDA_LOCK", double())
            .env("PYVE_FAKE_CL_MODE", "hang")
            .env("PYVE_FAKE_CL_PIDFILE", &pidfile)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        assert!(
            wait_for_file(&pidfile, Duration::from_secs(30)),
            "conda-lock never started"
        );
        let cl_pid: i32 = std::fs::read_to_string(&pidfile)
            .unwrap()
            .trim()
            .parse()
            .unwrap();
        // The half-written lock is conda-lock's temp file, never conda-lock.yml.
        assert_eq!(temp_files_left(&m).len(), 1);
        nix::sys::signal::kill(nix::unistd::Pid::from_raw(child.id() as i32), sig).unwrap();
        let out = child.wait_with_output().unwrap();
        assert_eq!(out.status.code(), Some(130), "{sig}: {out:?}");
        assert_contains(&stderr(&out), &["interrupted: conda-lock.yml is unchanged"]);
        old_lock_intact(&m);
        let deadline = std::time::Instant::now() + Duration::from_secs(10);
        while !process_gone(cl_pid) && std::time::Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(20));
        }
        assert!(process_gone(cl_pid), "{sig}: conda-lock was left running");
    }
}

#[test]
fn conda_lock_missing_names_the_install_command() {
    let m = Mamba::new(Kind::Double).unwrap();
    let out = m.pyve().arg("lock").output().unwrap();
    assert_code(&out, 3);
    assert_contains(
        &stderr(&out),
        &[
            "error: conda-lock not found; tried PYVE_CONDA_LOCK (unset)",
            "bin/conda-lock (not installed), PATH (not found)",
            "(PYVE_CONDA_LOCK=/path/to/conda-lock names one)\nhint: run `pipx install conda-lock`",
        ],
    );
    assert!(!m.env.p("conda-lock.yml").exists());
    let out = m
        .pyve()
        .arg("lock")
        .env("PYVE_CONDA_LOCK", "conda-lock")
        .output()
        .unwrap();
    assert_code(&out, 3);
    assert_contains(
        &stderr(&out),
        &["PYVE_CONDA_LOCK=conda-lock (not an executable file named by an absolute path)"],
    );
}

#[test]
fn refusals_name_what_is_wrong() {
    let m = Mamba::new(Kind::Double).unwrap();
    let lock = |args: &[&str]| {
        m.pyve()
            .arg("lock")
            .args(args)
            .env("PYVE_CONDA_LOCK", double())
            .output()
            .unwrap()
    };
    let out = lock(&["--update", "six"]);
    assert_code(&out, 2);
    assert_contains(
        &stderr(&out),
        &["--update needs a conda-lock.yml to update; `pyve lock` writes the first one"],
    );
    let out = lock(&["--update=-x"]);
    assert_code(&out, 2);
    assert_contains(
        &stderr(&out),
        &["--update `-x`: expected a package name (letters, digits, . _ -)"],
    );
    let out = lock(&["--check", "--update", "six"]);
    assert_code(&out, 2);
    assert_contains(&stderr(&out), &["cannot be used with"]);
    std::fs::remove_file(m.env.p("environment.yml")).unwrap();
    m.env.write("requirements.txt", "six\n");
    let out = lock(&[]);
    assert_code(&out, 3);
    assert_contains(&stderr(&out), &["nothing to lock: no environment.yml in"]);
    // Without micromamba there is nothing for conda-lock to solve with.
    let env = TestEnv::new();
    env.write("environment.yml", "dependencies: [python]\n");
    let out = env
        .pyve()
        .arg("lock")
        .env("PYVE_CONDA_LOCK", double())
        .output()
        .unwrap();
    assert_code(&out, 3);
    assert_contains(
        &stderr(&out),
        &[
            "micromamba not found: conda-lock solves with pyve's micromamba",
            "hint: run `pyve bootstrap`",
        ],
    );
}
