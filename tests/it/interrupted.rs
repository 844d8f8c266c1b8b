//! A create that was killed half-way is detected and rebuilt, never used
//! (docs/policies.md). The base python is a wrapper that, while a flag file exists, builds the venv
//! and then blocks, so the test can kill `pyve init` in the middle of its work.

use crate::common;

use std::os::unix::process::ExitStatusExt;
use std::path::Path;
use std::process::{Child, Stdio};
use std::time::Duration;

use common::*;

/// Kills (SIGKILL) a child when dropped, so a failed assertion leaves nothing running.
struct KillOnDrop(Child);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

struct Blocking {
    env: TestEnv,
    block: Block,
}

fn blocking_env() -> Blocking {
    let env = TestEnv::new();
    let block = Block {
        flag: env.root.join("block"),
        pid: env.root.join("wrapper.pid"),
        ready: env.root.join("ready-to-kill"),
    };
    env.pyenv_wrapper(
        "3.11.7",
        &system_python(),
        &Wrapper {
            with_pip: false,
            log: None,
            block: Some(block.clone()),
        },
    );
    std::fs::write(env.pyenv_root.join("version"), "3.11.7\n").unwrap();
    std::fs::write(&block.flag, "").unwrap();
    Blocking { env, block }
}

/// Starts `pyve init` and waits until the wrapper is blocked inside it; returns the
/// pyve child and the wrapper's pid (its own process group: pyve runs each step in one).
fn start_blocked_init(b: &Blocking) -> (KillOnDrop, i32, KillGroupOnDrop) {
    let child = b
        .env
        .std_pyve()
        .arg("init")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let child = KillOnDrop(child);
    assert!(
        wait_for_file(&b.block.ready, Duration::from_secs(60)),
        "the wrapper never reached its blocking point"
    );
    let pid: i32 = std::fs::read_to_string(&b.block.pid)
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    (child, pid, KillGroupOnDrop(pid))
}

fn wait_gone(pid: i32) -> bool {
    (0..500).any(|_| {
        if process_gone(pid) {
            return true;
        }
        std::thread::sleep(Duration::from_millis(20));
        false
    })
}

fn assert_incomplete_and_unused(env: &TestEnv) {
    let st = env.status_json(&[]);
    assert_eq!(st["env"]["state"], "incomplete");
    assert_eq!(
        st["env"]["reason"],
        "a previous `pyve init` did not finish building it"
    );
    let ran = env.root.join("ran");
    let out = env
        .pyve()
        .args(["run", "--no-sync", "touch"])
        .arg(&ran)
        .output()
        .unwrap();
    assert_code(&out, 3);
    assert_eq!(
        stderr(&out),
        "error: the venv environment .venv is incomplete: a previous `pyve init` did not finish building it; `pyve init` rebuilds it\nhint: run `pyve init`\n"
    );
    assert!(!ran.exists(), "run used an incomplete env");
}

fn assert_rebuilds(env: &TestEnv, block_flag: &Path) {
    std::fs::remove_file(block_flag).unwrap();
    let out = env.pyve().arg("init").output().unwrap();
    assert_code(&out, 0);
    let err = stderr(&out);
    assert_contains(
        &err,
        &[
            "Rebuilding .venv with python 3.11.7",
            "— a previous `pyve init` did not finish building it",
            "✓ .venv rebuilt in",
        ],
    );
    // The dead pyve's lock died with it: nobody waited.
    assert!(!err.contains("waiting for .pyve/lock"), "{err}");
    assert!(!env.p(".pyve/state/venv.creating").exists());
    assert_eq!(env.status_json(&[])["env"]["state"], "ready");
    let out = env
        .pyve()
        .args(["run", "python", "-c", "import sys; print(sys.prefix)"])
        .output()
        .unwrap();
    assert_code(&out, 0);
    assert_eq!(stdout(&out).trim(), env.p(".venv").to_str().unwrap());
}

#[test]
fn init_killed_with_sigkill_mid_create_leaves_an_env_that_is_rebuilt_never_used() {
    let b = blocking_env();
    let (mut pyve, wrapper, group) = start_blocked_init(&b);
    // The venv directory exists by now: only pyve's records say it is not done.
    assert!(b.env.p(".venv/pyvenv.cfg").exists());
    assert!(b.env.p(".pyve/state/venv.creating").exists());

    pyve.0.kill().unwrap(); // SIGKILL: no cleanup of any kind
    let status = pyve.0.wait().unwrap();
    assert_eq!(status.signal(), Some(9));
    drop(group); // the orphaned step: its whole group
    assert!(wait_gone(wrapper), "the wrapper {wrapper} survived");

    assert!(!b.env.p(".pyve/state/venv.json").exists());
    assert_incomplete_and_unused(&b.env);
    assert_rebuilds(&b.env, &b.block.flag);
}

#[test]
fn init_interrupted_with_sigint_kills_its_step_and_exits_130() {
    let b = blocking_env();
    let (mut pyve, wrapper, _group) = start_blocked_init(&b);
    nix::sys::signal::kill(
        nix::unistd::Pid::from_raw(pyve.0.id() as i32),
        nix::sys::signal::Signal::SIGINT,
    )
    .unwrap();
    // pyve kills the step's process group itself (no help from the test).
    let mut err = String::new();
    use std::io::Read;
    pyve.0
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    let status = pyve.0.wait().unwrap();
    assert_eq!(status.code(), Some(130), "{err}");
    assert_contains(
        &err,
        &[
            "error: interrupted: .venv is left incomplete; the next init rebuilds it",
            "hint: run `pyve init`",
        ],
    );
    assert!(
        wait_gone(wrapper),
        "the step {wrapper} survived the interrupt"
    );

    assert_incomplete_and_unused(&b.env);
    assert_rebuilds(&b.env, &b.block.flag);
}
