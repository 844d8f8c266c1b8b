//! Crash tests: `pyve init` killed by SIGKILL, SIGTERM or SIGHUP at points spread over
//! the building of a venv and of a micromamba env (the double, and the real binary with
//! the local channel). After each kill:
//!
//! - no process of the test is left (its command line, working directory or
//!   environment names the test's temp root): the step died with pyve, SIGKILL included
//!   (sys::watchdog, docs/decisions/0017-step-watchdog.md);
//! - `pyve run` refuses an env that is not complete (complete: every file of an
//!   uninterrupted build of the same project is there) — it never runs in a half env;
//! - the next `pyve init` succeeds, though the step was writing into the env when pyve
//!   died (the venv's step keeps writing files after `-m venv`, as ensurepip does).
//!
//! Each test prints one `crash:` line with its counts (docs/reliability.md).

use crate::common::*;
use crate::micromamba::{Kind, Mamba};

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use nix::sys::signal::Signal;

enum Project {
    Venv(TestEnv),
    Mamba(Mamba),
}

impl Project {
    fn env(&self) -> &TestEnv {
        match self {
            Project::Venv(e) => e,
            Project::Mamba(m) => &m.env,
        }
    }

    fn pyve(&self) -> Command {
        match self {
            Project::Venv(e) => e.std_pyve(),
            Project::Mamba(m) => {
                let mut c = m.std_pyve();
                // The double prints its link lines slowly enough to be killed among them.
                c.env("PYVE_FAKE_MM_DELAY", "0.005");
                c
            }
        }
    }

    fn prefix(&self) -> PathBuf {
        match self {
            Project::Venv(e) => e.p(".venv"),
            Project::Mamba(m) => m.prefix(),
        }
    }
}

/// While this file exists, the venv project's step writes its files slowly (over a
/// second): the killed inits run so, the next ones fast.
fn slow_flag(root: &Path) -> PathBuf {
    root.join("slow")
}

/// A venv project whose python, on `-m venv`, builds the venv and then writes more
/// files into it (as ensurepip does), so pyve dies while its step writes.
fn venv_project() -> Project {
    let env = TestEnv::new();
    let python = env.pyenv_python("3.11.7");
    std::fs::create_dir_all(python.parent().unwrap()).unwrap();
    let real = python.with_file_name("python-real");
    std::os::unix::fs::symlink(system_python(), &real).unwrap();
    let q = |p: &Path| shell_quote(p.as_os_str());
    let script = format!(
        "#!/bin/sh\n\
         if [ \"$1\" = \"-m\" ] && [ \"$2\" = \"venv\" ]; then\n\
         \x20 shift 2\n\
         \x20 {real} -m venv --without-pip \"$@\" || exit $?\n\
         \x20 for d in \"$@\"; do dir=$d; done\n\
         \x20 i=0\n\
         \x20 while [ $i -lt 24 ]; do\n\
         \x20   echo written > \"$dir/straggler-$i\"; i=$((i+1))\n\
         \x20   if [ -e {slow} ]; then sleep 0.03; fi\n\
         \x20 done\n\
         \x20 exit 0\n\
         fi\n\
         exec {real} \"$@\"\n",
        real = q(&real),
        slow = q(&slow_flag(&env.root)),
    );
    write_executable(&python, &script);
    std::fs::write(env.pyenv_root.join("version"), "3.11.7\n").unwrap();
    Project::Venv(env)
}

fn project(build: Build) -> Option<Project> {
    match build {
        Build::Venv => Some(venv_project()),
        Build::Double => Mamba::new(Kind::Double).map(Project::Mamba),
        Build::Real => Mamba::new(Kind::Real).map(Project::Mamba),
    }
}

#[derive(Clone, Copy, Debug)]
enum Build {
    Venv,
    Double,
    Real,
}

/// The files under `dir` (relative), bytecode caches left out: they come and go with
/// every run of python.
fn files(dir: &Path) -> BTreeSet<PathBuf> {
    tree_entries(dir, |e| e.file_name() == "__pycache__")
        .into_iter()
        .map(|e| e.path().strip_prefix(dir).unwrap().to_path_buf())
        .collect()
}

/// Live processes whose command line, working directory or environment names `root`.
fn processes_under(root: &Path) -> Vec<(i32, String)> {
    let needle = root.to_string_lossy().into_owned();
    let me = std::process::id() as i32;
    let mut found = vec![];
    for e in std::fs::read_dir("/proc").unwrap().flatten() {
        let Some(pid) = e.file_name().to_str().and_then(|s| s.parse::<i32>().ok()) else {
            continue;
        };
        if pid == me || process_gone(pid) {
            continue;
        }
        let read = |what: &str| {
            std::fs::read(format!("/proc/{pid}/{what}"))
                .map(|b| String::from_utf8_lossy(&b).replace('\0', " "))
                .unwrap_or_default()
        };
        let cmdline = read("cmdline");
        let cwd = std::fs::read_link(format!("/proc/{pid}/cwd"))
            .map(|p| p.to_string_lossy().into_owned())
            .unwrap_or_default();
        if cmdline.contains(&needle) || cwd.contains(&needle) || read("environ").contains(&needle) {
            found.push((pid, cmdline));
        }
    }
    found
}

/// Waits up to `patience` for the processes under `root` to be gone; kills (and
/// returns) those that are not.
fn orphans(root: &Path, patience: Duration) -> Vec<(i32, String)> {
    let until = Instant::now() + patience;
    loop {
        let left = processes_under(root);
        if left.is_empty() || Instant::now() > until {
            for (pid, _) in &left {
                let _ = nix::sys::signal::kill(nix::unistd::Pid::from_raw(*pid), Signal::SIGKILL);
            }
            return left;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[derive(Default, Debug)]
struct Counts {
    runs: u32,
    incomplete_runs: u32,
    orphans: u32,
    failed_next_inits: u32,
}

/// An uninterrupted init of a fresh project: how long it takes and what it builds;
/// made once per kind of build and shared by the three signals' tests.
fn reference(build: Build) -> Option<(Duration, BTreeSet<PathBuf>)> {
    type Made = Option<(Duration, BTreeSet<PathBuf>)>;
    static MADE: [std::sync::Mutex<Option<Made>>; 3] = [const { std::sync::Mutex::new(None) }; 3];
    let mut slot = MADE[build as usize]
        .lock()
        .unwrap_or_else(|e| e.into_inner());
    slot.get_or_insert_with(|| make_reference(build)).clone()
}

fn make_reference(build: Build) -> Option<(Duration, BTreeSet<PathBuf>)> {
    let p = project(build)?;
    std::fs::write(slow_flag(&p.env().root), "").unwrap();
    let started = Instant::now();
    let out = p.pyve().arg("init").output().unwrap();
    let took = started.elapsed();
    assert_code(&out, 0);
    let complete = files(&p.prefix());
    assert!(!complete.is_empty());
    Some((took, complete))
}

/// One kill of `pyve init` after `after`, and the three judgements.
fn crash_once(
    build: Build,
    signal: Signal,
    after: Duration,
    complete: &BTreeSet<PathBuf>,
) -> Counts {
    let mut counts = Counts {
        runs: 1,
        ..Counts::default()
    };
    let p = project(build).unwrap();
    let root = p.env().root.clone();
    std::fs::write(slow_flag(&root), "").unwrap();
    let mut child = p
        .pyve()
        .arg("init")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    std::thread::sleep(after);
    let _ = nix::sys::signal::kill(nix::unistd::Pid::from_raw(child.id() as i32), signal);
    let deadline = Instant::now() + Duration::from_secs(30);
    while child.try_wait().unwrap().is_none() {
        assert!(Instant::now() < deadline, "pyve outlived {signal:?}");
        std::thread::sleep(Duration::from_millis(10));
    }

    // The watchdog kills at once; a step left alive would still be writing.
    let left = orphans(&root, Duration::from_millis(500));
    std::fs::remove_file(slow_flag(&root)).unwrap();
    if !left.is_empty() {
        eprintln!("crash: {build:?} {signal:?} after {after:?}: orphans {left:?}");
        counts.orphans += left.len() as u32;
    }

    let is_complete = complete.is_subset(&files(&p.prefix()));
    let ran = root.join("ran");
    // `--no-sync`: run as the env is (a plain `run` would first rebuild it, which is
    // the next init's job here).
    let out = p
        .pyve()
        .args(["run", "--no-sync", "touch"])
        .arg(&ran)
        .output()
        .unwrap();
    if ran.exists() && !is_complete {
        eprintln!("crash: {build:?} {signal:?} after {after:?}: ran in an incomplete env");
        counts.incomplete_runs += 1;
    }
    if !out.status.success() {
        assert!(!ran.exists(), "run failed but ran");
    }

    let next = p.pyve().arg("init").output().unwrap();
    if !next.status.success() {
        eprintln!(
            "crash: {build:?} {signal:?} after {after:?}: next init failed: {}",
            stderr(&next)
        );
        counts.failed_next_inits += 1;
    } else {
        assert_eq!(p.env().status_json(&[])["env"]["state"], "ready");
        assert!(
            complete.is_subset(&files(&p.prefix())),
            "rebuilt incomplete"
        );
    }
    let _ = orphans(&root, Duration::from_secs(3));
    counts
}

/// `points` kills spread evenly over an uninterrupted init's duration.
fn crash_at_points(build: Build, signal: Signal, points: u32) {
    let Some((took, complete)) = reference(build) else {
        return;
    };
    let mut total = Counts::default();
    for i in 0..points {
        let after = took.mul_f64((f64::from(i) + 0.5) / f64::from(points));
        let c = crash_once(build, signal, after, &complete);
        total.runs += c.runs;
        total.incomplete_runs += c.incomplete_runs;
        total.orphans += c.orphans;
        total.failed_next_inits += c.failed_next_inits;
    }
    eprintln!(
        "crash: {build:?} {} runs={} (init takes {took:.2?}) runs_in_incomplete_env={} orphaned_step_processes={} failed_next_inits={}",
        signal.as_str(),
        total.runs,
        total.incomplete_runs,
        total.orphans,
        total.failed_next_inits
    );
    assert_eq!(total.incomplete_runs, 0, "{total:?}");
    assert_eq!(total.orphans, 0, "{total:?}");
    assert_eq!(total.failed_next_inits, 0, "{total:?}");
}

// 20 points per signal: 10 through a venv build, 9 through the double's, and one in
// the middle of the real micromamba's (seconds each: the real binary is the slow one).
const VENV: u32 = 10;
const DOUBLE: u32 = 9;
const REAL: u32 = 1;

#[test]
fn sigkill_during_a_venv_build() {
    crash_at_points(Build::Venv, Signal::SIGKILL, VENV);
}

#[test]
fn sigterm_during_a_venv_build() {
    crash_at_points(Build::Venv, Signal::SIGTERM, VENV);
}

#[test]
fn sighup_during_a_venv_build() {
    crash_at_points(Build::Venv, Signal::SIGHUP, VENV);
}

#[test]
fn sigkill_during_a_micromamba_build_double() {
    crash_at_points(Build::Double, Signal::SIGKILL, DOUBLE);
}

#[test]
fn sigterm_during_a_micromamba_build_double() {
    crash_at_points(Build::Double, Signal::SIGTERM, DOUBLE);
}

#[test]
fn sighup_during_a_micromamba_build_double() {
    crash_at_points(Build::Double, Signal::SIGHUP, DOUBLE);
}

#[test]
fn sigkill_during_a_micromamba_build_real() {
    crash_at_points(Build::Real, Signal::SIGKILL, REAL);
}

#[test]
fn sigterm_during_a_micromamba_build_real() {
    crash_at_points(Build::Real, Signal::SIGTERM, REAL);
}

#[test]
fn sighup_during_a_micromamba_build_real() {
    crash_at_points(Build::Real, Signal::SIGHUP, REAL);
}
