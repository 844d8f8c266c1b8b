//! The micromamba backend end to end: `pyve init` / `run` / `status` / `doctor` driving
//! micromamba. Every scenario is written once and runs twice (`SCENARIO::double` and
//! `SCENARIO::real`): against the project's test double (tests/support/micromamba), and
//! against a real micromamba (`PYVE_TEST_MICROMAMBA`) with a copy of a local conda
//! channel (`PYVE_TEST_CHANNEL`) named by a `file://` URL — nothing needs a network.
//! A scenario that needs a fault gets it from the same `PYVE_FAKE_MM_*` knobs: the
//! double plays them itself; in front of the real binary a shim
//! (tests/support/micromamba-shim) delegates, then hangs, dies half-way or fails.
//! Without the two variables the real pass is skipped visibly (a failure under
//! `PYVE_TEST_STRICT=1`, as in CI).

use crate::common;
use crate::http_server;

use std::path::PathBuf;
use std::time::Duration;

use common::*;
use nix::sys::signal::Signal;

/// Which micromamba a scenario runs against.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Double,
    Real,
}

/// The env file every scenario starts from; `extra` are more dependency lines.
pub fn env_yml(channel: &str, extra: &[&str]) -> String {
    let mut s = format!(
        "name: demo\nchannels:\n  - {channel}\ndependencies:\n  - python=3.11\n  - pip\n  - six\n  - pyve-activate-demo\n"
    );
    for e in extra {
        s.push_str(&format!("  - {e}\n"));
    }
    s
}

pub struct Mamba {
    pub env: TestEnv,
    pub log: PathBuf,
    /// The `file://` URL of this test's copy of the channel (for the double, an empty
    /// channel: the double reads no package from it).
    pub channel: String,
    /// The major version of the micromamba under test (the double: 2). 1.x and 2.x
    /// print some things differently; pyve handles both (docs/micromamba.md, "Which
    /// micromamba versions are verified").
    pub major: u32,
}

impl Mamba {
    /// A project with `environment.yml` and micromamba in the user sandbox; `None`
    /// (after a visible skip) for the real kind when no real binary is given.
    pub fn new(kind: Kind) -> Option<Mamba> {
        let env = TestEnv::new();
        let sandbox = env.pyve_home.join("bin");
        std::fs::create_dir_all(&sandbox).unwrap();
        let chan_dir = env.root.join("channel");
        match kind {
            Kind::Double => {
                std::os::unix::fs::symlink(micromamba_double(), sandbox.join("micromamba"))
                    .unwrap();
                // A channel that is there, as the real pass has: the double reads only
                // that it exists (a missing local channel fails as micromamba's does).
                for sub in ["noarch", "linux-64"] {
                    std::fs::create_dir_all(chan_dir.join(sub)).unwrap();
                    std::fs::write(chan_dir.join(sub).join("repodata.json"), "{}").unwrap();
                }
            }
            Kind::Real => {
                let (bin, channel) = real_micromamba()?;
                copy_dir(&channel, &chan_dir);
                std::os::unix::fs::symlink(micromamba_shim(), sandbox.join("micromamba")).unwrap();
                std::os::unix::fs::symlink(&bin, sandbox.join("micromamba.real")).unwrap();
            }
        }
        let channel = format!("file://{}", chan_dir.display());
        let log = env.root.join("micromamba.log");
        env.write("environment.yml", &env_yml(&channel, &[]));
        let mut m = Mamba {
            env,
            log,
            channel,
            major: 0,
        };
        let v = version_of(&m.binary());
        m.major = v
            .split('.')
            .next()
            .and_then(|major| major.parse().ok())
            .unwrap_or_else(|| panic!("micromamba --version printed {v:?}, not a version"));
        Some(m)
    }

    /// `pyve` with the knobs the double and the shim read.
    pub fn pyve(&self) -> assert_cmd::Command {
        let mut c = self.env.pyve();
        c.env("PYVE_FAKE_MM_LOG", &self.log)
            .env("PYVE_FAKE_MM_DELAY", "0")
            .timeout(Duration::from_secs(180));
        c
    }

    pub fn std_pyve(&self) -> std::process::Command {
        let mut c = self.env.std_pyve();
        c.env("PYVE_FAKE_MM_LOG", &self.log)
            .env("PYVE_FAKE_MM_DELAY", "0");
        c
    }

    /// The call log: one JSON object per micromamba invocation.
    pub fn calls(&self) -> Vec<serde_json::Value> {
        logged_calls(&self.log)
    }

    pub fn verbs(&self) -> Vec<String> {
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

    pub fn prefix(&self) -> PathBuf {
        self.env.p(".pyve/envs/demo")
    }

    /// The binary this kind stands for (the double, or the real micromamba).
    pub fn binary(&self) -> PathBuf {
        let real = self.env.pyve_home.join("bin/micromamba.real");
        if real.exists() {
            std::fs::canonicalize(real).unwrap()
        } else {
            micromamba_double()
        }
    }

    /// What micromamba prints, by major version: `v2` for 2.x, `v1` for 1.x.
    pub fn says<'a>(&self, v2: &'a str, v1: &'a str) -> &'a str {
        if self.major >= 2 { v2 } else { v1 }
    }

    /// 2.x reports its progress off a terminal too (status pairs, the shard-index
    /// warnings of a `file://` channel, `Linking` lines); 1.x prints none of them there.
    pub fn reports_progress(&self) -> bool {
        self.major >= 2
    }

    /// Whether this micromamba installs a lock that conda-lock made with it from the
    /// test channel. 1.x adds pip to python's dependencies (a python ⇄ pip cycle in
    /// the lock) and then links pip first; with nothing in this channel making `bin/`
    /// before python does, writing pip's entry point fails inside micromamba. (Real
    /// channels' pythons depend on packages that make `bin/`; 2.x makes the directory.)
    /// Where it cannot, the test is skipped, saying so: docs/micromamba.md.
    pub fn installs_its_own_locks(&self) -> bool {
        if self.major >= 2 {
            return true;
        }
        skip_expected(
            "installing a lock made with micromamba 1.x from the test channel",
            "micromamba 1.x links pip before python (a python ⇄ pip cycle) and fails to write bin/pip; docs/micromamba.md",
        );
        false
    }

    /// The conda-meta record names of the env (`six-1.17.0-…json`).
    pub fn records(&self) -> Vec<String> {
        list_dir(&self.prefix().join("conda-meta"))
    }
}

both!(
    create_streams_output_names_the_prefix_and_never_base,
    reuse_calls_no_micromamba_and_run_needs_none,
    a_changed_env_file_is_stale_then_updated_with_install,
    a_downgrade_in_the_env_file_is_applied,
    conda_lock_is_preferred_when_it_covers_the_platform,
    killed_half_way_is_incomplete_never_run_and_rebuilt,
    pyve_killed_during_create_leaves_it_incomplete,
    ctrl_c_cancels_micromamba_and_exits_130,
    concurrent_inits_create_once,
    pip_into_the_conda_env_is_refused_unless_allowed,
    an_unknown_package_shows_micromambas_message_and_the_next_step,
    an_unsatisfiable_version_shows_micromambas_message_and_the_next_step,
    activation_capture_failure_falls_back_to_micromamba_run,
    a_candidate_that_does_not_run_is_skipped_with_its_reason,
    no_micromamba_never_falls_back_to_a_venv,
    a_record_without_cached_activation_runs_through_micromamba,
    the_users_locale_survives_run,
    the_cached_activation_is_shell_activate_plus_activate_d,
    deactivate_d_of_the_callers_env_is_honoured_when_replaced,
    init_auto_bootstrap_from_a_loopback_release_ends_with_a_working_env,
    doctor_on_a_ready_env_then_a_venv_beside_it,
);

/// Waits (bounded) until micromamba was started with `verb`; returns its pid.
fn wait_for_call(m: &Mamba, verb: &str) -> i32 {
    let deadline = std::time::Instant::now() + Duration::from_secs(60);
    while std::time::Instant::now() < deadline {
        if let Some(i) = m.verbs().iter().position(|v| v == verb) {
            return m.calls()[i]["pid"].as_i64().unwrap() as i32;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    panic!("micromamba {verb} never started");
}

/// `pyve init` with micromamba hanging in `create`, sent `signal` once the create
/// runs; the guard kills micromamba's group whatever happens. Its output is kept
/// (`piped`) or dropped.
fn init_stopped_in_create(
    m: &Mamba,
    piped: bool,
    signal: Signal,
) -> (std::process::Child, KillGroupOnDrop) {
    let stdio = || {
        if piped {
            std::process::Stdio::piped()
        } else {
            std::process::Stdio::null()
        }
    };
    let child = m
        .std_pyve()
        .arg("init")
        .env("PYVE_FAKE_MM_HANG", "create")
        .stdout(stdio())
        .stderr(stdio())
        .spawn()
        .unwrap();
    let guard = KillGroupOnDrop(wait_for_call(m, "create"));
    nix::sys::signal::kill(nix::unistd::Pid::from_raw(child.id() as i32), signal).unwrap();
    (child, guard)
}

fn init_ok(m: &Mamba) -> String {
    let out = m.pyve().arg("init").output().unwrap();
    assert_code(&out, 0);
    stderr(&out)
}

fn create_streams_output_names_the_prefix_and_never_base(kind: Kind) {
    let Some(m) = Mamba::new(kind) else { return };
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
            "  Transaction finished",
            "✓ demo created in",
        ],
    );
    // micromamba's progress, in a pipe: each status pair is its final line, padding
    // gone; warnings kept; the table's rules fit 80 columns with the indent.
    if m.reports_progress() {
        assert_contains(
            &err,
            &[
                "  Linking python-3.11",
                &format!("  ⚠ Shard Index for {}/noarch not available", m.channel),
                &format!(
                    "  Using Flat Repodata for {}/noarch ✔ Done (0.0 sec)\n",
                    m.channel
                ),
                "  Resolving Environment ✔ Done (0.0 sec)\n",
            ],
        );
    }
    assert!(!err.contains("Starting"), "{err}");
    // The package cache is pyve's alone: micromamba made no `~/.mamba/pkgs` beside it.
    assert!(!m.env.home.join(".mamba").exists());
    for l in err.lines().filter(|l| l.trim_start().starts_with('─')) {
        assert!(l.chars().count() <= 78, "too wide for 80 columns: {l:?}");
    }
    let prefix = m.prefix();
    assert!(prefix.join("conda-meta/history").is_file());
    assert!(m.env.p(".pyve/state/demo.json").is_file());
    assert!(
        !m.env.p(".venv").exists(),
        "never a venv for a conda project"
    );
    let calls = m.calls();
    assert!(!calls.is_empty());
    let root_prefix = m.env.pyve_home.join("mamba");
    for c in &calls {
        let argv = argv_of(c);
        assert!(!argv.iter().any(|a| a == "-n"), "{argv:?}");
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
                .position(|a| a == "-p")
                .expect("-p on every env call");
            assert_eq!(argv[i + 1], prefix.to_str().unwrap());
        }
    }
    assert_eq!(m.verbs(), ["--version", "create", "shell"]);
    assert_eq!(
        argv_of(&calls[1])[1..],
        [
            "create",
            "-y",
            "-p",
            prefix.to_str().unwrap(),
            "-f",
            m.env.p("environment.yml").to_str().unwrap(),
            // The env file's channels, then the config's: the whole list (docs/micromamba.md).
            "-c",
            &m.channel,
            "--override-channels",
        ]
    );
    assert_eq!(
        argv_of(&calls[2])[1..],
        [
            "shell",
            "activate",
            "-s",
            "bash",
            "-p",
            prefix.to_str().unwrap()
        ]
    );
}

fn reuse_calls_no_micromamba_and_run_needs_none(kind: Kind) {
    let Some(m) = Mamba::new(kind) else { return };
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
            "import os,sys; print(os.environ['CONDA_PREFIX']); print(os.environ.get('PYVE_DEMO_ACTIVATED')); print(os.environ['PATH'].split(':')[0]); print(os.environ.get('VIRTUAL_ENV'))",
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
    assert_eq!(
        m.calls().len(),
        before,
        "reuse and run must not start micromamba"
    );
    let st = m.env.status_json(&[]);
    assert_eq!(st["backend"]["name"], "micromamba");
    assert_eq!(st["tool"]["kind"], "micromamba");
    assert_eq!(st["tool"]["place"], "user");
    assert_eq!(st["env"]["name"], "demo");
    assert_eq!(st["env"]["state"], "ready");
}

fn a_changed_env_file_is_stale_then_updated_with_install(kind: Kind) {
    let Some(m) = Mamba::new(kind) else { return };
    init_ok(&m);
    m.env
        .write("environment.yml", &env_yml(&m.channel, &["packaging"]));
    assert_eq!(m.env.status_json(&[])["env"]["state"], "stale");
    let out = m
        .pyve()
        .args(["run", "--no-sync", "python", "-c", "pass"])
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
    assert!(
        m.records().iter().any(|r| r.starts_with("packaging-")),
        "{:?}",
        m.records()
    );
    assert_eq!(m.env.status_json(&[])["env"]["state"], "ready");
    assert_eq!(
        m.verbs(),
        [
            "--version",
            "create",
            "shell",
            "--version",
            "install",
            "shell"
        ]
    );
}

fn a_downgrade_in_the_env_file_is_applied(kind: Kind) {
    let Some(m) = Mamba::new(kind) else { return };
    init_ok(&m);
    assert!(
        m.records().iter().any(|r| r.starts_with("six-1.17.0-")),
        "{:?}",
        m.records()
    );
    m.env.write(
        "environment.yml",
        &env_yml(&m.channel, &[]).replace("  - six\n", "  - six=1.16.0\n"),
    );
    let err = init_ok(&m);
    assert_contains(&err, &["Updating micromamba env demo", "✓ demo updated in"]);
    let records = m.records();
    assert!(
        records.iter().any(|r| r.starts_with("six-1.16.0-")),
        "{records:?}"
    );
    assert!(
        !records.iter().any(|r| r.starts_with("six-1.17.0-")),
        "{records:?}"
    );
    assert_eq!(m.env.status_json(&[])["env"]["state"], "ready");
}

/// A conda-lock file of one package of the channel (`pyve-activate-demo`, noarch:
/// generic), with its real sha256 when the channel is there.
fn one_package_lock(m: &Mamba, platform: &str) -> String {
    use sha2::Digest;
    let file = "pyve-activate-demo-1.0-pyve_0.tar.bz2";
    let local = m.env.root.join("channel/noarch").join(file);
    let (md5, sha) = match std::fs::read(&local) {
        Ok(bytes) => (None, format!("{:x}", sha2::Sha256::digest(&bytes))),
        Err(_) => (Some("0".repeat(32)), "0".repeat(64)),
    };
    let md5 = md5.map(|m| format!("    md5: {m}\n")).unwrap_or_default();
    format!(
        "version: 1\nmetadata:\n  content_hash:\n    {platform}: {zero}\n  channels:\n  - url: {chan}\n    used_env_vars: []\n  platforms:\n  - {platform}\n  sources:\n  - environment.yml\npackage:\n- name: pyve-activate-demo\n  version: '1.0'\n  manager: conda\n  platform: {platform}\n  dependencies: {{}}\n  url: {chan}/noarch/{file}\n  hash:\n{md5}    sha256: {sha}\n  category: main\n  optional: false\n",
        zero = "0".repeat(64),
        chan = m.channel,
    )
}

fn conda_lock_is_preferred_when_it_covers_the_platform(kind: Kind) {
    let Some(m) = Mamba::new(kind) else { return };
    m.env
        .write("conda-lock.yml", &one_package_lock(&m, "linux-64"));
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
    assert!(
        m.records()
            .iter()
            .any(|r| r.starts_with("pyve-activate-demo-1.0")),
        "{:?}",
        m.records()
    );
    // A lock for another platform only: environment.yml is used.
    let Some(m2) = Mamba::new(kind) else { return };
    m2.env
        .write("conda-lock.yml", &one_package_lock(&m2, "osx-arm64"));
    let err = init_ok(&m2);
    assert_contains(&err, &["from environment.yml"]);
}

fn killed_half_way_is_incomplete_never_run_and_rebuilt(kind: Kind) {
    let Some(m) = Mamba::new(kind) else { return };
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
            "demo is left incomplete; the next init rebuilds it",
            "hint: run `pyve init`",
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
        .args(["run", "--no-sync", "python", "-c", "print('ran')"])
        .output()
        .unwrap();
    assert_code(&out, 3);
    assert!(stdout(&out).is_empty());
    assert_contains(
        &stderr(&out),
        &[
            "the micromamba environment demo is incomplete",
            "`pyve init` rebuilds it",
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

fn pyve_killed_during_create_leaves_it_incomplete(kind: Kind) {
    let Some(m) = Mamba::new(kind) else { return };
    let (mut child, _guard) = init_stopped_in_create(&m, false, Signal::SIGKILL);
    child.wait().unwrap();
    drop(_guard);
    assert_eq!(m.env.status_json(&[])["env"]["state"], "incomplete");
    let out = m
        .pyve()
        .args(["run", "--no-sync", "python", "-c", "pass"])
        .output()
        .unwrap();
    assert_code(&out, 3);
    init_ok(&m);
    assert_eq!(m.env.status_json(&[])["env"]["state"], "ready");
}

fn ctrl_c_cancels_micromamba_and_exits_130(kind: Kind) {
    let Some(m) = Mamba::new(kind) else { return };
    let (child, _guard) = init_stopped_in_create(&m, true, Signal::SIGINT);
    let pid = _guard.0;
    let out = child.wait_with_output().unwrap();
    assert_code(&out, 130);
    assert_contains(
        &stderr(&out),
        &[
            "interrupted: demo is left incomplete; the next init rebuilds it",
            "hint: run `pyve init`",
        ],
    );
    // The hung micromamba died with its group.
    let gone = (0..250).any(|_| {
        std::thread::sleep(Duration::from_millis(20));
        nix::sys::signal::kill(nix::unistd::Pid::from_raw(pid), None).is_err()
    });
    assert!(gone, "micromamba {pid} survived the cancel");
    assert_eq!(m.env.status_json(&[])["env"]["state"], "incomplete");
}

fn concurrent_inits_create_once(kind: Kind) {
    let Some(m) = Mamba::new(kind) else { return };
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
    assert_eq!(m.verbs().iter().filter(|v| *v == "create").count(), 1);
}

fn pip_into_the_conda_env_is_refused_unless_allowed(kind: Kind) {
    let Some(m) = Mamba::new(kind) else { return };
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

fn a_failing_solve(m: &Mamba, spec: &str, problem: &str) {
    m.env
        .write("environment.yml", &env_yml(&m.channel, &[spec]));
    let out = m.pyve().arg("init").output().unwrap();
    assert_code(&out, 1);
    let err = stderr(&out);
    assert_contains(
        &err,
        &[
            "Could not solve for environment specs",
            problem,
            "failed (exit status 1)",
            "micromamba could not solve environment.yml: change what it names above in environment.yml (a package name, a version, a channel), then rerun `pyve init`",
        ],
    );
    assert_ne!(m.env.status_json(&[])["env"]["state"], "ready");
}

fn an_unknown_package_shows_micromambas_message_and_the_next_step(kind: Kind) {
    let Some(m) = Mamba::new(kind) else { return };
    let problem = m.says(
        "does-not-exist-pkg =* * does not exist (perhaps a typo or a missing channel).",
        "does-not-exist-pkg does not exist (perhaps a typo or a missing channel).",
    );
    a_failing_solve(&m, "does-not-exist-pkg", problem);
}

fn an_unsatisfiable_version_shows_micromambas_message_and_the_next_step(kind: Kind) {
    let Some(m) = Mamba::new(kind) else { return };
    let problem = m.says(
        "packaging =999 * does not exist (perhaps a typo or a missing channel).",
        "packaging 999**  does not exist (perhaps a typo or a missing channel).",
    );
    a_failing_solve(&m, "packaging=999", problem);
}

fn activation_capture_failure_falls_back_to_micromamba_run(kind: Kind) {
    let Some(m) = Mamba::new(kind) else { return };
    let out = m
        .pyve()
        .arg("init")
        .env("PYVE_FAKE_MM_FAIL", "shell")
        .output()
        .unwrap();
    assert_code(&out, 0);
    assert_contains(
        &stderr(&out),
        &[
            "could not capture the env's activation (`micromamba shell activate -s bash -p ",
            "/.pyve/envs/demo` failed (exit status 1): critical libmamba ",
            "`pyve run` will go through `micromamba run` (slower). `pyve init --force` tries again",
        ],
    );
    let before = m.calls().len();
    let out = m
        .pyve()
        .args([
            "run",
            "python",
            "-c",
            "import os; print(os.environ['PYVE_DEMO_ACTIVATED'], os.environ.get('LC_ALL'), os.environ.get('MAMBA_EXE'))",
        ])
        .output()
        .unwrap();
    assert_code(&out, 0);
    // micromamba's own LC_ALL and MAMBA_EXE do not reach the command.
    assert_eq!(stdout(&out).trim(), "yes None None");
    assert_contains(
        &stderr(&out),
        &["no cached activation for demo: running through `micromamba run`"],
    );
    let calls = m.calls();
    assert_eq!(calls.len(), before + 1);
    let argv = calls.last().unwrap()["argv"].to_string();
    assert!(argv.contains("\"run\",\"-p\""), "{argv}");
}

fn a_candidate_that_does_not_run_is_skipped_with_its_reason(kind: Kind) {
    let Some(m) = Mamba::new(kind) else { return };
    write_executable(
        &m.env.p(".pyve/bin/micromamba"),
        "#!/bin/sh\ntouch \"$0.ran\"\necho 'Illegal instruction' >&2\nexit 132\n",
    );
    // It came with the project: looking does not run it.
    let st = m.env.status_json(&[]);
    let t = tried(&st);
    assert_eq!(t[0].0, "project");
    assert_eq!(
        t[0].2,
        "skipped: not run: it came with the project, not from `pyve bootstrap` on this machine (`pyve trust` allows it)"
    );
    assert!(!m.env.p(".pyve/bin/micromamba.ran").exists());
    // Trusted, it is run, and a binary that does not run is skipped with its reason.
    let out = m.pyve().arg("trust").output().unwrap();
    assert_code(&out, 0);
    assert_contains(&stderr(&out), &["trusted .pyve/bin/micromamba (sha256 "]);
    let st = m.env.status_json(&[]);
    let t = tried(&st);
    assert!(
        t[0].2
            .starts_with("skipped: `--version` failed (exit status 132)"),
        "{t:?}"
    );
    assert!(m.env.p(".pyve/bin/micromamba.ran").exists());
    assert_eq!((t[1].0.as_str(), t[1].2.as_str()), ("user", "taken"));
    assert_eq!(
        st["tool"]["path"],
        m.env.pyve_home.join("bin/micromamba").to_str().unwrap()
    );
}

fn no_micromamba_never_falls_back_to_a_venv(kind: Kind) {
    let Some(m) = Mamba::new(kind) else { return };
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
    // run brings the env up first, as init would: micromamba missing and nobody
    // asked for a bootstrap, so the same refusal with its hint, and nothing built.
    assert_code(&out, 3);
    assert_contains(
        &stderr(&out),
        &[
            "no environment yet (demo): creating it first",
            "Backend 'micromamba' required but not found",
            "pyve init --auto-bootstrap",
        ],
    );
    assert!(!m.env.p(".pyve/envs/demo").exists());
}

fn a_record_without_cached_activation_runs_through_micromamba(kind: Kind) {
    let Some(m) = Mamba::new(kind) else { return };
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
            "import os; print(os.environ['CONDA_PREFIX']); print(os.environ.get('LC_ALL'))",
        ])
        .env("LC_ALL", "C")
        .output()
        .unwrap();
    assert_code(&out, 0);
    // The caller's LC_ALL is put back over the one micromamba imposes.
    assert_eq!(
        stdout(&out),
        format!("{}\nC\n", m.prefix().to_str().unwrap())
    );
    assert_contains(&stderr(&out), &["no cached activation for demo"]);
    assert_eq!(m.verbs()[before..], ["run"]);
}

/// `pyve run env -0` in the env, as a map.
fn run_env(m: &Mamba, extra: &[(&str, &str)]) -> std::collections::BTreeMap<String, String> {
    let mut c = m.pyve();
    c.args(["run", "env", "-0"]);
    for (k, v) in extra {
        c.env(k, v);
    }
    let out = c.output().unwrap();
    assert_code(&out, 0);
    parse_env0(&out.stdout)
}

fn parse_env0(bytes: &[u8]) -> std::collections::BTreeMap<String, String> {
    bytes
        .split(|b| *b == 0)
        .filter_map(|e| {
            let e = String::from_utf8_lossy(e);
            e.split_once('=')
                .map(|(k, v)| (k.to_string(), v.to_string()))
        })
        .collect()
}

fn the_users_locale_survives_run(kind: Kind) {
    let Some(m) = Mamba::new(kind) else { return };
    init_ok(&m);
    let env = run_env(
        &m,
        &[("LANG", "de_DE.UTF-8"), ("LC_MESSAGES", "fr_FR.UTF-8")],
    );
    assert_eq!(env.get("LANG").map(String::as_str), Some("de_DE.UTF-8"));
    assert_eq!(
        env.get("LC_MESSAGES").map(String::as_str),
        Some("fr_FR.UTF-8")
    );
    assert_eq!(env.get("LC_ALL"), None, "micromamba's LC_ALL leaked");
    assert_eq!(env.get("MAMBA_EXE"), None, "micromamba's MAMBA_EXE leaked");
    let env = run_env(&m, &[("LC_ALL", "POSIX")]);
    assert_eq!(env.get("LC_ALL").map(String::as_str), Some("POSIX"));
    let rec: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(m.env.p(".pyve/state/demo.json")).unwrap())
            .unwrap();
    let set = rec["activation"]["set"].as_object().unwrap();
    for k in ["LC_ALL", "LANG", "MAMBA_EXE", "MAMBA_ROOT_PREFIX"] {
        assert!(!set.contains_key(k), "{k} cached as activation: {set:?}");
    }
}

fn the_cached_activation_is_shell_activate_plus_activate_d(kind: Kind) {
    let Some(m) = Mamba::new(kind) else { return };
    init_ok(&m);
    // What a shell gets from `micromamba activate`: the activation script, evaluated.
    let mm = m.env.pyve_home.join("bin/micromamba");
    let prefix = m.prefix();
    let root = m.env.pyve_home.join("mamba");
    let script = format!(
        "eval \"$({} shell activate -s bash -p {})\" && env -0",
        shell_quote(mm.as_os_str()),
        shell_quote(prefix.as_os_str())
    );
    let out = std::process::Command::new("/bin/bash")
        .args(["--noprofile", "--norc", "-c", &script])
        .env_clear()
        .envs(m.env.base_env())
        .env("MAMBA_ROOT_PREFIX", &root)
        .env("PYVE_FAKE_MM_LOG", &m.log)
        .env("PYVE_FAKE_MM_DELAY", "0")
        .current_dir(&m.env.project)
        .output()
        .unwrap();
    assert_code(&out, 0);
    let mut shell = parse_env0(&out.stdout);
    let mut ours = run_env(&m, &[]);
    for k in ["_", "SHLVL", "PWD", "OLDPWD", "MAMBA_ROOT_PREFIX"] {
        shell.remove(k);
        ours.remove(k);
    }
    assert_eq!(
        ours, shell,
        "pyve run's environment is not the shell's activation"
    );
    assert_eq!(
        ours.get("PYVE_DEMO_ACTIVATED").map(String::as_str),
        Some("yes")
    );
    assert_eq!(ours["CONDA_PREFIX"], prefix.to_str().unwrap(), "{ours:?}");
}

fn deactivate_d_of_the_callers_env_is_honoured_when_replaced(kind: Kind) {
    let Some(m) = Mamba::new(kind) else { return };
    init_ok(&m);
    // The caller has another conda env active, whose activate.d exported OTHER_ENV_VAR
    // and whose deactivate.d unsets it.
    let other = m.env.root.join("other-env");
    std::fs::create_dir_all(other.join("conda-meta")).unwrap();
    std::fs::create_dir_all(other.join("bin")).unwrap();
    m.env.write(
        "../other-env/etc/conda/deactivate.d/other.sh",
        "unset OTHER_ENV_VAR\nunset PYVE_DEMO_ACTIVATED\n",
    );
    let path = format!("{}:{}", other.join("bin").display(), BASE_PATH);
    let env = run_env(
        &m,
        &[
            ("CONDA_PREFIX", other.to_str().unwrap()),
            ("CONDA_SHLVL", "1"),
            ("OTHER_ENV_VAR", "from-other"),
            ("UNRELATED", "kept"),
            ("PATH", &path),
        ],
    );
    assert_eq!(env.get("OTHER_ENV_VAR"), None, "{env:?}");
    assert_eq!(env.get("UNRELATED").map(String::as_str), Some("kept"));
    // Ours is applied after the other env's deactivation.
    assert_eq!(
        env.get("PYVE_DEMO_ACTIVATED").map(String::as_str),
        Some("yes")
    );
    assert_eq!(env["CONDA_PREFIX"], m.prefix().to_str().unwrap());
    assert!(
        !env["PATH"].contains(other.to_str().unwrap()),
        "{}",
        env["PATH"]
    );
    // The env's own activation replaced (the package gone, the env rebuilt): nothing
    // of the old one is left in what run gives.
    m.env.write(
        "environment.yml",
        &env_yml(&m.channel, &[]).replace("  - pyve-activate-demo\n", ""),
    );
    let out = m.pyve().args(["init", "--force"]).output().unwrap();
    assert_code(&out, 0);
    let env = run_env(&m, &[]);
    assert_eq!(env.get("PYVE_DEMO_ACTIVATED"), None, "{env:?}");
    assert_eq!(env["CONDA_PREFIX"], m.prefix().to_str().unwrap());
    // A deactivate.d script that fails: run warns and goes on.
    m.env.write(
        "../other-env/etc/conda/deactivate.d/zz-broken.sh",
        "exit 3\n",
    );
    let out = m
        .pyve()
        .args(["run", "python", "-c", "pass"])
        .env("CONDA_PREFIX", &other)
        .output()
        .unwrap();
    assert_code(&out, 0);
    assert_contains(
        &stderr(&out),
        &[
            "the active conda env's deactivate.d scripts failed (the activation script failed in bash (exit status 3)",
        ],
    );
}

/// Says which micromambas the scenarios above ran against: the double always; the
/// real binary with `PYVE_TEST_MICROMAMBA` and `PYVE_TEST_CHANNEL` (it must answer
/// `--version`), else a visible skip (a failure under `PYVE_TEST_STRICT=1`).
#[test]
fn which_micromamba_the_scenarios_used() {
    eprintln!(
        "micromamba scenarios ran against the test double ({})",
        micromamba_double().display()
    );
    let Some((bin, channel)) = real_micromamba() else {
        return;
    };
    let out = std::process::Command::new(&bin)
        .arg("--version")
        .output()
        .unwrap();
    assert!(out.status.success(), "{bin:?} --version failed");
    eprintln!(
        "micromamba scenarios ran against {} (micromamba {}) with the channel {}",
        bin.display(),
        String::from_utf8_lossy(&out.stdout).trim(),
        channel.display()
    );
}

/// The conda-lock executable beside `PYVE_TEST_CONDA_LOCK_PYTHON` (`.ci/run` installs
/// conda-lock in a venv and exports its python).
fn conda_lock_exe() -> Option<PathBuf> {
    let Some(py) = std::env::var_os("PYVE_TEST_CONDA_LOCK_PYTHON").filter(|v| !v.is_empty()) else {
        skip(
            "locking with conda-lock: no conda-lock",
            "PYVE_TEST_CONDA_LOCK_PYTHON to the python of a venv with conda-lock installed",
        );
        return None;
    };
    let exe = PathBuf::from(py).with_file_name("conda-lock");
    assert!(exe.is_file(), "no conda-lock beside it: {}", exe.display());
    Some(exe)
}

/// conda-lock (real, against the real micromamba and the local channel, offline) in
/// `dir`: `lock --micromamba --conda MM -f environment.yml -p linux-64 [extra]`.
fn conda_lock(m: &Mamba, exe: &std::path::Path, dir: &std::path::Path, extra: &[&str]) -> String {
    let mm = m.env.pyve_home.join("bin/micromamba.real");
    let out = std::process::Command::new(exe)
        .args(["lock", "--micromamba", "--conda"])
        .arg(&mm)
        .args(["-f", "environment.yml", "-p", "linux-64"])
        .args(extra)
        .current_dir(dir)
        .env_clear()
        .env("PATH", BASE_PATH)
        .env("HOME", &m.env.home)
        .env("MAMBA_ROOT_PREFIX", m.env.root.join("conda-lock-root"))
        .env("LANG", "C.UTF-8")
        .output()
        .unwrap();
    assert_code(&out, 0);
    format!("{}{}", stdout(&out), stderr(&out))
}

/// Lock files for real: conda-lock locks the env file against the channel; pyve builds
/// the env from that lock; `pyve lock --check` and doctor agree with conda-lock's own
/// `--check-input-hash` before and after an edit of environment.yml.
#[test]
fn a_lock_made_by_conda_lock_builds_the_env_and_pyve_judges_it_as_conda_lock() {
    let Some(m) = Mamba::new(Kind::Real) else {
        return;
    };
    let Some(exe) = conda_lock_exe() else { return };
    if !m.installs_its_own_locks() {
        return;
    }
    conda_lock(&m, &exe, &m.env.project, &[]);
    let lock = std::fs::read_to_string(m.env.p("conda-lock.yml")).unwrap();
    assert_contains(&lock, &["manager: conda", &m.channel]);
    let err = init_ok(&m);
    assert_contains(&err, &["from conda-lock.yml", "✓ demo created in"]);
    let records = m.records();
    for r in [
        "python-3.11.7-",
        "six-1.17.0-",
        "pyve-activate-demo-1.0-",
        "pip-",
    ] {
        assert!(records.iter().any(|x| x.starts_with(r)), "{r}: {records:?}");
    }
    let out = m
        .pyve()
        .args([
            "run",
            "python",
            "-c",
            "import os, six, sys; print(six.__version__, sys.prefix == os.environ['CONDA_PREFIX'], os.environ['PYVE_DEMO_ACTIVATED'])",
        ])
        .output()
        .unwrap();
    assert_code(&out, 0);
    assert_eq!(stdout(&out).trim(), "1.17.0 True yes");

    // Fresh: both say so.
    let said = conda_lock(&m, &exe, &m.env.project, &["--check-input-hash"]);
    assert_contains(&said, &["Spec hash already locked for ['linux-64']"]);
    let out = m.pyve().args(["lock", "--check"]).output().unwrap();
    assert_code(&out, 0);
    let doc = doctor_json(&m);
    assert_eq!(check_status(&doc, "lock_file"), "ok", "{doc}");

    // environment.yml edited: conda-lock would solve again; pyve says stale.
    m.env
        .write("environment.yml", &env_yml(&m.channel, &["packaging"]));
    let copy = m.env.root.join("relock");
    copy_dir(&m.env.project.join("."), &copy);
    let _ = std::fs::remove_dir_all(copy.join(".pyve"));
    let said = conda_lock(&m, &exe, &copy, &["--check-input-hash"]);
    assert_contains(&said, &["Locking dependencies for ['linux-64']"]);
    let out = m.pyve().args(["lock", "--check"]).output().unwrap();
    assert_code(&out, 1);
    assert_contains(&format!("{}{}", stdout(&out), stderr(&out)), &["linux-64"]);
    let doc = doctor_json(&m);
    assert_eq!(check_status(&doc, "lock_file"), "warn", "{doc}");

    // The lock conda-lock wrote after the edit is fresh again for pyve too.
    std::fs::copy(copy.join("conda-lock.yml"), m.env.p("conda-lock.yml")).unwrap();
    let out = m.pyve().args(["lock", "--check"]).output().unwrap();
    assert_code(&out, 0);
    assert_eq!(check_status(&doctor_json(&m), "lock_file"), "ok");
}

fn doctor_json(m: &Mamba) -> serde_json::Value {
    let out = m.pyve().args(["doctor", "--json"]).output().unwrap();
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("doctor --json: {e}: {}", stdout(&out)))
}

fn check_status(doc: &serde_json::Value, id: &str) -> String {
    doc["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == id)
        .unwrap_or_else(|| panic!("no check {id}: {doc}"))["status"]
        .as_str()
        .unwrap()
        .to_string()
}

/// The micromamba-releases asset name for this machine.
pub const PLATFORM: &str = if cfg!(all(target_os = "linux", target_arch = "aarch64")) {
    "linux-aarch64"
} else if cfg!(all(target_os = "macos", target_arch = "aarch64")) {
    "osx-arm64"
} else if cfg!(target_os = "macos") {
    "osx-64"
} else {
    "linux-64"
};

/// A loopback "GitHub release" whose latest micromamba is `bin`, with its real sha256.
pub fn release_of(bin: &std::path::Path) -> http_server::Server {
    use sha2::{Digest, Sha256};
    let bytes = std::fs::read(bin).unwrap();
    let sha = format!("{:x}", Sha256::digest(&bytes));
    let asset = format!("/latest/download/micromamba-{PLATFORM}");
    http_server::Server::start(vec![
        (asset.clone(), http_server::Reply::Ok(bytes)),
        (
            format!("{asset}.sha256"),
            http_server::Reply::Ok(format!("{sha}  micromamba-{PLATFORM}\n").into_bytes()),
        ),
    ])
}

/// What `bin --version` says.
pub fn version_of(bin: &std::path::Path) -> String {
    let out = std::process::Command::new(bin)
        .arg("--version")
        .output()
        .unwrap();
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

fn init_auto_bootstrap_from_a_loopback_release_ends_with_a_working_env(kind: Kind) {
    let Some(m) = Mamba::new(kind) else { return };
    let bin = m.binary();
    let version = version_of(&bin);
    // No micromamba anywhere pyve looks: the bootstrap must fetch it.
    std::fs::remove_dir_all(m.env.pyve_home.join("bin")).unwrap();
    let server = release_of(&bin);
    let out = m
        .pyve()
        .args(["init", "--auto-bootstrap"])
        .env("PYVE_MICROMAMBA_URL", server.url())
        .env("PYVE_HTTP_TIMEOUT", "60")
        .output()
        .unwrap();
    assert_code(&out, 0);
    assert_contains(
        &stderr(&out),
        &[
            "✓ sha256 verified",
            &format!("✓ micromamba {version} runs"),
            "✓ demo created in",
        ],
    );
    let installed = m.env.p(".pyve/bin/micromamba");
    assert_eq!(
        std::fs::read(&installed).unwrap(),
        std::fs::read(&bin).unwrap()
    );
    let out = m
        .pyve()
        .args([
            "run",
            "python",
            "-c",
            "import os; print(os.environ['PYVE_DEMO_ACTIVATED'])",
        ])
        .output()
        .unwrap();
    assert_code(&out, 0);
    assert_eq!(stdout(&out).trim(), "yes");
    assert_eq!(m.env.status_json(&[])["tool"]["place"], "project");
}

fn doctor_on_a_ready_env_then_a_venv_beside_it(kind: Kind) {
    let Some(m) = Mamba::new(kind) else { return };
    init_ok(&m);
    let doc = doctor_json(&m);
    assert_eq!(doc["summary"]["fail"], 0, "{doc}");
    for id in [
        "tool",
        "env",
        "env_fresh",
        "python",
        "env_file",
        "pip_in_conda",
    ] {
        assert_eq!(check_status(&doc, id), "ok", "{id}: {doc}");
    }
    let version = version_of(&m.binary());
    let tool = doc["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "tool")
        .unwrap()["label"]
        .to_string();
    assert!(tool.contains(&format!("(v{version})")), "{tool}");
    // A .venv beside the conda env: runtime mixing warning.
    plain_venv(&m.env.p(".venv"));
    assert_eq!(check_status(&doctor_json(&m), "runtime_mixing"), "warn");
}

/// pip let into the real env (`--allow-pip`, a local wheel, no index): doctor finds
/// the package pip installed, and only that one (conda's own pip and six say
/// `INSTALLER` conda). Real binary only: the double's pip is the host's.
#[test]
fn doctor_reports_what_pip_put_into_a_real_env() {
    let Some(m) = Mamba::new(Kind::Real) else {
        return;
    };
    init_ok(&m);
    let wheel = m.env.wheel("wheels", "pyvedemo", "0.1", "X = 1\n");
    let out = m
        .pyve()
        .args([
            "run",
            "--allow-pip",
            "python",
            "-m",
            "pip",
            "install",
            "--no-index",
        ])
        .arg(&wheel)
        .output()
        .unwrap();
    assert_code(&out, 0);
    let doc = doctor_json(&m);
    assert_eq!(check_status(&doc, "pip_in_conda"), "warn", "{doc}");
    let c = doc["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "pip_in_conda")
        .unwrap()
        .clone();
    assert_eq!(
        c["label"],
        "pip in conda env: 1 pip package not declared in environment.yml (pyvedemo)"
    );
    assert!(
        c["detail"]
            .as_array()
            .unwrap()
            .iter()
            .any(|d| d.as_str().unwrap().starts_with("pyvedemo 0.1")),
        "{c}"
    );
}
