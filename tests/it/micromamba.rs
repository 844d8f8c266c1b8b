//! The micromamba backend end to end: `pyve init` / `run` / `status` / `doctor` driving
//! micromamba. By default micromamba is the test double (tests/support/micromamba,
//! contract: shared/spec/micromamba.md); with `PYVE_TEST_MICROMAMBA=/path/to/micromamba`
//! every scenario here runs against that real binary instead (it needs conda-forge to
//! be reachable), except the ones that need the double's fault knobs, which say they
//! were skipped.

use crate::common;

use std::path::PathBuf;
use std::time::Duration;

use common::*;

const ENV_YML: &str =
    "name: demo\nchannels:\n  - conda-forge\ndependencies:\n  - python=3.11\n  - activate-demo\n";

struct Mamba {
    env: TestEnv,
    /// The binary pyve finds in the user sandbox.
    bin: PathBuf,
    log: PathBuf,
    real: bool,
}

impl Mamba {
    fn new() -> Mamba {
        let env = TestEnv::new();
        let (bin, real) = match std::env::var_os("PYVE_TEST_MICROMAMBA").filter(|v| !v.is_empty()) {
            Some(p) => (PathBuf::from(p), true),
            None => (micromamba_double(), false),
        };
        let sandbox = env.pyve_home.join("bin");
        std::fs::create_dir_all(&sandbox).unwrap();
        std::os::unix::fs::symlink(&bin, sandbox.join("micromamba")).unwrap();
        let log = env.root.join("micromamba.log");
        env.write("environment.yml", ENV_YML);
        Mamba {
            env,
            bin,
            log,
            real,
        }
    }

    /// `pyve` with the double's knobs (harmless to a real micromamba).
    fn pyve(&self) -> assert_cmd::Command {
        let mut c = self.env.pyve();
        c.env("PYVE_FAKE_MM_LOG", &self.log)
            .env("PYVE_FAKE_MM_DELAY", "0")
            .timeout(Duration::from_secs(120));
        c
    }

    fn std_pyve(&self) -> std::process::Command {
        let mut c = self.env.std_pyve();
        c.env("PYVE_FAKE_MM_LOG", &self.log)
            .env("PYVE_FAKE_MM_DELAY", "0");
        c
    }

    /// The double's log: one JSON object per micromamba invocation.
    fn calls(&self) -> Vec<serde_json::Value> {
        std::fs::read_to_string(&self.log)
            .unwrap_or_default()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect()
    }

    fn verbs(&self) -> Vec<String> {
        self.calls()
            .iter()
            .map(|c| {
                let argv = c["argv"].as_array().unwrap();
                argv.iter()
                    .skip(1)
                    .map(|a| a.as_str().unwrap())
                    .find(|a| !a.starts_with('-'))
                    .unwrap_or("--version")
                    .to_string()
            })
            .collect()
    }

    fn prefix(&self) -> PathBuf {
        self.env.p(".pyve/envs/demo")
    }

    /// Skips (returns true) when the scenario needs the double's knobs.
    fn needs_double(&self, what: &str) -> bool {
        if self.real {
            eprintln!(
                "skipped with a real micromamba ({}): {what} needs the test double's knobs",
                self.bin.display()
            );
        }
        self.real
    }
}

/// Waits (bounded) until micromamba was started with `verb`; returns its pid.
fn wait_for_call(m: &Mamba, verb: &str) -> i32 {
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    while std::time::Instant::now() < deadline {
        if let Some(i) = m.verbs().iter().position(|v| v == verb) {
            return m.calls()[i]["pid"].as_i64().unwrap() as i32;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    panic!("micromamba {verb} never started");
}

fn init_ok(m: &Mamba) -> String {
    let out = m.pyve().arg("init").output().unwrap();
    assert_code(&out, 0);
    stderr(&out)
}

#[test]
fn create_streams_output_names_the_prefix_and_never_base() {
    let m = Mamba::new();
    // An activated conda env and venv in the caller must not reach micromamba.
    let out = m
        .pyve()
        .arg("init")
        .env("CONDA_PREFIX", "/opt/conda")
        .env("CONDA_DEFAULT_ENV", "base")
        .env("CONDA_SHLVL", "1")
        .env("MAMBA_ROOT_PREFIX", "/opt/conda")
        .env("VIRTUAL_ENV", "/somewhere/.venv")
        .output()
        .unwrap();
    assert_code(&out, 0);
    let err = stderr(&out);
    assert_contains(
        &err,
        &[
            "backend micromamba — from environment.yml",
            "Creating micromamba env demo at .pyve/envs/demo from environment.yml with micromamba",
            "  Transaction starting",
            "  Linking python-3.11",
            "  Transaction finished",
            "✓ demo created in",
        ],
    );
    let prefix = m.prefix();
    assert!(prefix.join("conda-meta/history").is_file());
    assert!(m.env.p(".pyve/state/demo.json").is_file());
    assert!(
        !m.env.p(".venv").exists(),
        "never a venv for a conda project"
    );
    if m.needs_double("argv log") {
        return;
    }
    let calls = m.calls();
    assert!(!calls.is_empty());
    let root_prefix = m.env.pyve_home.join("mamba");
    for c in &calls {
        let argv: Vec<&str> = c["argv"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a.as_str().unwrap())
            .collect();
        assert!(!argv.contains(&"-n"), "{argv:?}");
        assert!(!argv.iter().any(|a| a.contains("/opt/conda")), "{argv:?}");
        assert_eq!(
            c["env"]["MAMBA_ROOT_PREFIX"],
            root_prefix.to_str().unwrap(),
            "{c}"
        );
        assert!(c["env"]["CONDA_PREFIX"].is_null(), "{c}");
        assert!(c["env"]["CONDA_DEFAULT_ENV"].is_null(), "{c}");
        assert!(c["env"]["VIRTUAL_ENV"].is_null(), "{c}");
        if argv.len() > 1 && argv[1] != "--version" {
            let i = argv
                .iter()
                .position(|a| *a == "-p")
                .expect("-p on every env call");
            assert_eq!(argv[i + 1], prefix.to_str().unwrap());
        }
    }
    assert_eq!(m.verbs(), ["--version", "create", "run"]);
    let create: Vec<&str> = calls[1]["argv"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a.as_str().unwrap())
        .collect();
    assert_eq!(
        &create[1..],
        [
            "create",
            "-y",
            "-p",
            prefix.to_str().unwrap(),
            "-f",
            m.env.p("environment.yml").to_str().unwrap()
        ]
    );
}

#[test]
fn reuse_calls_no_micromamba_and_run_needs_none() {
    let m = Mamba::new();
    init_ok(&m);
    let before = m.calls().len();
    let err = init_ok(&m);
    assert_contains(
        &err,
        &["demo is ready (python 3.11", "reused, nothing to do"],
    );
    // run: the cached activation, applied without micromamba.
    let out = m
        .pyve()
        .args([
            "run",
            "python",
            "-c",
            "import os,sys; print(os.environ['CONDA_PREFIX']); print(os.environ.get('DEMO_ACTIVATED')); print(os.environ['PATH'].split(':')[0]); print(os.environ.get('VIRTUAL_ENV'))",
        ])
        .env("VIRTUAL_ENV", "/elsewhere/.venv")
        .env("CONDA_PREFIX", "/opt/conda")
        .output()
        .unwrap();
    assert_code(&out, 0);
    let prefix = m.prefix();
    let lines: Vec<String> = stdout(&out).lines().map(str::to_string).collect();
    assert_eq!(
        lines,
        [
            prefix.display().to_string(),
            "yes".to_string(),
            prefix.join("bin").display().to_string(),
            "None".to_string()
        ]
    );
    let out = m
        .pyve()
        .args(["run", "python", "-c", "raise SystemExit(42)"])
        .output()
        .unwrap();
    assert_code(&out, 42);
    if !m.needs_double("call counting") {
        assert_eq!(
            m.calls().len(),
            before,
            "reuse and run must not start micromamba"
        );
    }
    let st = m.env.status_json(&[]);
    assert_eq!(st["backend"]["name"], "micromamba");
    assert_eq!(st["tool"]["kind"], "micromamba");
    assert_eq!(st["tool"]["place"], "user");
    assert_eq!(st["env"]["name"], "demo");
    assert_eq!(st["env"]["state"], "ready");
}

#[test]
fn a_changed_env_file_is_stale_then_updated_with_install() {
    let m = Mamba::new();
    init_ok(&m);
    m.env
        .write("environment.yml", &format!("{ENV_YML}  - requests\n"));
    assert_eq!(m.env.status_json(&[])["env"]["state"], "stale");
    let out = m
        .pyve()
        .args(["run", "python", "-c", "pass"])
        .output()
        .unwrap();
    assert_code(&out, 0);
    let err = stderr(&out);
    assert_eq!(err.matches("warning:").count(), 1, "{err}");
    assert_contains(&err, &["environment.yml changed since demo was built"]);
    let err = init_ok(&m);
    assert_contains(
        &err,
        &[
            "Updating micromamba env demo",
            "environment.yml changed",
            "✓ demo updated in",
        ],
    );
    assert_eq!(m.env.status_json(&[])["env"]["state"], "ready");
    if !m.needs_double("argv log") {
        assert_eq!(
            m.verbs(),
            ["--version", "create", "run", "--version", "install", "run"]
        );
    }
}

#[test]
fn conda_lock_is_preferred_when_it_covers_the_platform() {
    let m = Mamba::new();
    if m.needs_double("the fixture lock's packages") {
        return;
    }
    m.env.write("conda-lock.yml", LOCK);
    let err = init_ok(&m);
    assert_contains(
        &err,
        &[
            "from conda-lock.yml",
            "hint: built from conda-lock.yml (conda-lock.yml covers this platform)",
        ],
    );
    let calls = m.calls();
    let argv = calls[1]["argv"].to_string();
    assert!(argv.contains("conda-lock.yml"), "{argv}");
    assert!(m.prefix().join("conda-meta").read_dir().unwrap().any(|e| {
        e.unwrap()
            .file_name()
            .to_string_lossy()
            .starts_with("zlib-1.3.1")
    }));
    // A lock for another platform only: environment.yml is used.
    let m2 = Mamba::new();
    m2.env
        .write("conda-lock.yml", &LOCK.replace("linux-64", "osx-arm64"));
    let err = init_ok(&m2);
    assert_contains(&err, &["from environment.yml"]);
}

const LOCK: &str = r#"version: 1
metadata:
  content_hash:
    linux-64: 0000000000000000000000000000000000000000000000000000000000000000
  channels:
  - url: conda-forge
    used_env_vars: []
  platforms:
  - linux-64
  sources:
  - environment.yml
package:
- name: zlib
  version: 1.3.1
  manager: conda
  platform: linux-64
  dependencies: {}
  url: https://conda.anaconda.org/conda-forge/linux-64/zlib-1.3.1-hb9d3cd8_2.conda
  hash:
    md5: c9f075ab2f33b3bbee9e62d4ad0a6cd8
    sha256: 5d7c0e5f0005f74112a34a7425179f4eb6e73c92f5d109e6af4ddeca407c92ab
  category: main
  optional: false
"#;

#[test]
fn killed_half_way_is_incomplete_never_run_and_rebuilt() {
    let m = Mamba::new();
    if m.needs_double("PYVE_FAKE_MM_DIE_AFTER") {
        return;
    }
    // micromamba dies by SIGKILL after linking 3 packages.
    let out = m
        .pyve()
        .arg("init")
        .env("PYVE_FAKE_MM_DIE_AFTER", "3")
        .output()
        .unwrap();
    assert_code(&out, 1);
    assert_contains(
        &stderr(&out),
        &[
            "killed by signal 9 (SIGKILL)",
            "demo is left incomplete",
            "rerun `pyve init`",
        ],
    );
    assert!(
        m.prefix().join("conda-meta").is_dir(),
        "a half-built prefix is left"
    );
    let st = m.env.status_json(&[]);
    assert_eq!(st["env"]["state"], "incomplete");
    let out = m
        .pyve()
        .args(["run", "python", "-c", "print('ran')"])
        .output()
        .unwrap();
    assert_code(&out, 3);
    assert!(stdout(&out).is_empty());
    assert_contains(
        &stderr(&out),
        &[
            "the micromamba environment demo is incomplete",
            "run `pyve init` to rebuild it",
        ],
    );
    let err = init_ok(&m);
    assert_contains(
        &err,
        &[
            "Rebuilding micromamba env demo",
            "a previous `pyve init` did not finish",
        ],
    );
    assert_eq!(m.env.status_json(&[])["env"]["state"], "ready");
}

#[test]
fn pyve_killed_during_create_leaves_it_incomplete() {
    let m = Mamba::new();
    if m.needs_double("PYVE_FAKE_MM_HANG") {
        return;
    }
    let mut child = m
        .std_pyve()
        .arg("init")
        .env("PYVE_FAKE_MM_HANG", "create")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mm_pid = wait_for_call(&m, "create");
    let _guard = KillGroupOnDrop(mm_pid);
    nix::sys::signal::kill(
        nix::unistd::Pid::from_raw(child.id() as i32),
        nix::sys::signal::Signal::SIGKILL,
    )
    .unwrap();
    child.wait().unwrap();
    drop(_guard);
    assert_eq!(m.env.status_json(&[])["env"]["state"], "incomplete");
    let out = m
        .pyve()
        .args(["run", "python", "-c", "pass"])
        .output()
        .unwrap();
    assert_code(&out, 3);
    init_ok(&m);
    assert_eq!(m.env.status_json(&[])["env"]["state"], "ready");
}

#[test]
fn ctrl_c_cancels_micromamba_and_exits_130() {
    let m = Mamba::new();
    if m.needs_double("PYVE_FAKE_MM_HANG") {
        return;
    }
    let child = m
        .std_pyve()
        .arg("init")
        .env("PYVE_FAKE_MM_HANG", "create")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let pid = wait_for_call(&m, "create");
    let _guard = KillGroupOnDrop(pid);
    nix::sys::signal::kill(
        nix::unistd::Pid::from_raw(child.id() as i32),
        nix::sys::signal::Signal::SIGINT,
    )
    .unwrap();
    let out = child.wait_with_output().unwrap();
    assert_code(&out, 130);
    assert_contains(
        &stderr(&out),
        &["interrupted: demo is left incomplete; the next `pyve init` rebuilds it"],
    );
    // The hung micromamba died with its group.
    let gone = (0..250).any(|_| {
        std::thread::sleep(Duration::from_millis(20));
        nix::sys::signal::kill(nix::unistd::Pid::from_raw(pid), None).is_err()
    });
    assert!(gone, "micromamba {pid} survived the cancel");
    assert_eq!(m.env.status_json(&[])["env"]["state"], "incomplete");
}

#[test]
fn concurrent_inits_create_once() {
    let m = Mamba::new();
    let children: Vec<_> = (0..8)
        .map(|_| {
            m.std_pyve()
                .arg("init")
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    let outs: Vec<_> = children
        .into_iter()
        .map(|c| c.wait_with_output().unwrap())
        .collect();
    let mut created = 0;
    let mut reused = 0;
    for o in &outs {
        assert_code(o, 0);
        let e = stderr(o);
        created += usize::from(e.contains("✓ demo created in"));
        reused += usize::from(e.contains("reused, nothing to do"));
    }
    assert_eq!((created, reused), (1, 7));
    if !m.needs_double("call counting") {
        assert_eq!(m.verbs().iter().filter(|v| *v == "create").count(), 1);
    }
}

#[test]
fn pip_into_the_conda_env_is_refused_unless_allowed() {
    let m = Mamba::new();
    init_ok(&m);
    for cmd in [
        &["pip", "install", "requests"][..],
        &["pip3", "uninstall", "-y", "rich"],
        &["python", "-m", "pip", "install", "x"],
    ] {
        let out = m.pyve().arg("run").args(cmd).output().unwrap();
        assert_code(&out, 2);
        let err = stderr(&out);
        assert_contains(
            &err,
            &[
                "would put pip packages into the conda environment demo",
                "pyve run --allow-pip",
                "micromamba.allow_pip: true",
            ],
        );
    }
    // Read-only pip passes the policy (and runs in the env).
    let out = m
        .pyve()
        .args(["run", "python", "-m", "pip", "--version"])
        .output()
        .unwrap();
    assert!(!stderr(&out).contains("refused"), "{}", stderr(&out));
    // Allowed by flag and by config: the policy lets the command through.
    let out = m
        .pyve()
        .args([
            "run",
            "--allow-pip",
            "python",
            "-c",
            "import sys; print(sys.argv[1:])",
            "-m",
            "pip",
            "install",
        ])
        .output()
        .unwrap();
    assert_code(&out, 0);
    let out = m
        .pyve()
        .args(["run", "--allow-pip", "sh", "-c", "echo allowed"])
        .output()
        .unwrap();
    assert_code(&out, 0);
    let out = m
        .pyve()
        .args(["run", "--allow-pip", "pip", "install", "--help"])
        .output()
        .unwrap();
    assert!(!stderr(&out).contains("refused"), "{}", stderr(&out));
    let cfg = std::fs::read_to_string(m.env.p(".pyve/config")).unwrap();
    m.env.write(
        ".pyve/config",
        &format!("{cfg}micromamba:\n  allow_pip: true\n"),
    );
    let out = m
        .pyve()
        .args(["run", "pip", "install", "--help"])
        .output()
        .unwrap();
    assert!(!stderr(&out).contains("refused"), "{}", stderr(&out));
}

#[test]
fn a_failing_solve_is_shown_verbatim_and_leaves_no_ready_env() {
    let m = Mamba::new();
    m.env.write(
        "environment.yml",
        "name: demo\ndependencies:\n  - python=3.11\n  - does-not-exist-pkg\n",
    );
    let out = m.pyve().arg("init").output().unwrap();
    assert_code(&out, 1);
    assert_contains(
        &stderr(&out),
        &[
            "Could not solve for environment specs",
            "failed (exit status 1)",
            "demo is left incomplete: fix the problem above and rerun `pyve init`",
        ],
    );
    assert_ne!(m.env.status_json(&[])["env"]["state"], "ready");
}

#[test]
fn activation_capture_failure_falls_back_to_micromamba_run() {
    let m = Mamba::new();
    if m.needs_double("PYVE_FAKE_MM_FAIL") {
        return;
    }
    let out = m
        .pyve()
        .arg("init")
        .env("PYVE_FAKE_MM_FAIL", "run")
        .output()
        .unwrap();
    assert_code(&out, 0);
    assert_contains(
        &stderr(&out),
        &[
            "could not capture the env's activation",
            "`pyve init --force` tries again",
        ],
    );
    let before = m.calls().len();
    let out = m
        .pyve()
        .args([
            "run",
            "python",
            "-c",
            "import os; print(os.environ['DEMO_ACTIVATED'])",
        ])
        .output()
        .unwrap();
    assert_code(&out, 0);
    assert_eq!(stdout(&out).trim(), "yes");
    assert_contains(
        &stderr(&out),
        &["no cached activation for demo: running through `micromamba run`"],
    );
    let calls = m.calls();
    assert_eq!(calls.len(), before + 1);
    let argv = calls.last().unwrap()["argv"].to_string();
    assert!(argv.contains("\"run\",\"-p\""), "{argv}");
}

#[test]
fn a_candidate_that_does_not_run_is_skipped_with_its_reason() {
    let m = Mamba::new();
    write_executable(
        &m.env.p(".pyve/bin/micromamba"),
        "#!/bin/sh\necho 'Illegal instruction' >&2\nexit 132\n",
    );
    let st = m.env.status_json(&[]);
    let t = tried(&st);
    assert_eq!(t[0].0, "project");
    assert!(
        t[0].2
            .starts_with("skipped: `--version` failed (exit status 132)"),
        "{t:?}"
    );
    assert_eq!((t[1].0.as_str(), t[1].2.as_str()), ("user", "taken"));
    assert_eq!(
        st["tool"]["path"],
        m.env.pyve_home.join("bin/micromamba").to_str().unwrap()
    );
}

#[test]
fn no_micromamba_never_falls_back_to_a_venv() {
    let m = Mamba::new();
    std::fs::remove_file(m.env.pyve_home.join("bin/micromamba")).unwrap();
    m.env.write("requirements.txt", "");
    let out = m.pyve().arg("init").output().unwrap();
    assert_code(&out, 3);
    assert_contains(
        &stderr(&out),
        &[
            "Backend 'micromamba' required but not found",
            "pyve init --auto-bootstrap",
        ],
    );
    assert!(!m.env.p(".venv").exists());
    let out = m
        .pyve()
        .args(["run", "python", "-c", "pass"])
        .output()
        .unwrap();
    assert_code(&out, 3);
    assert_contains(
        &stderr(&out),
        &["no micromamba environment yet (demo) — run `pyve init`"],
    );
}

/// Says which micromamba the scenarios above ran against: the double by default, a
/// real binary with `PYVE_TEST_MICROMAMBA` (then it must at least answer `--version`).
#[test]
fn which_micromamba_the_scenarios_used() {
    match std::env::var_os("PYVE_TEST_MICROMAMBA").filter(|v| !v.is_empty()) {
        None => eprintln!(
            "real-micromamba run skipped: these scenarios ran against the test double; set PYVE_TEST_MICROMAMBA=/path/to/micromamba to run them against a real one"
        ),
        Some(p) => {
            let out = std::process::Command::new(&p)
                .arg("--version")
                .output()
                .unwrap();
            assert!(out.status.success(), "{p:?} --version failed");
            eprintln!(
                "scenarios ran against {p:?} (micromamba {})",
                String::from_utf8_lossy(&out.stdout).trim()
            );
        }
    }
}

#[test]
fn a_record_without_cached_activation_runs_through_micromamba() {
    let m = Mamba::new();
    if m.needs_double("call counting") {
        return;
    }
    init_ok(&m);
    let state = m.env.p(".pyve/state/demo.json");
    let mut rec: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&state).unwrap()).unwrap();
    rec["activation"] = serde_json::json!({"path_prepend": [], "set": {}});
    std::fs::write(&state, rec.to_string()).unwrap();
    let before = m.calls().len();
    let out = m
        .pyve()
        .args([
            "run",
            "python",
            "-c",
            "import os; print(os.environ['CONDA_PREFIX'])",
        ])
        .output()
        .unwrap();
    assert_code(&out, 0);
    assert_eq!(stdout(&out).trim(), m.prefix().to_str().unwrap());
    assert_contains(&stderr(&out), &["no cached activation for demo"]);
    assert_eq!(m.verbs()[before..], ["run"]);
}
