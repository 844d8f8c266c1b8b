//! The TUI end to end, in a pseudo-terminal: the real binary on a temp project, keys
//! written to the pty, the screen read back through a vt100 parser. Each test waits
//! for what the screen must show (bounded polls, no fixed sleeps), and checks that the
//! terminal is given back (alternate screen left, cursor shown) when pyve exits.
//!
//! The `#[ignore]`d benchmarks at the end measure time to first frame and a
//! million-line task; `scripts/bench-tui.sh` runs them (numbers in docs/performance.md).

use crate::common;
use crate::micromamba::{Kind, Mamba, release_of, version_of};

use crate::pty::Tui;

use std::time::{Duration, Instant};

use common::*;

const ENTER: &str = "\r";
const ESC: &str = "\x1b";
const CTRL_C: &str = "\x03";
const LONG: Duration = Duration::from_secs(60);
const SHORT: Duration = Duration::from_secs(15);

/// A pip project whose requirements are a local wheel: pip streams its output.
fn pip_project() -> TestEnv {
    let env = TestEnv::new();
    env.fake_pyenv(&[("3.11.7", &system_python())]);
    env.write(".python-version", "3.11\n");
    env.wheel(
        "wheels",
        "greeting",
        "1.0",
        "TEXT = 'hello from the wheel'\n",
    );
    env.write(
        "requirements.txt",
        "./wheels/greeting-1.0-py3-none-any.whl\n",
    );
    env
}

#[test]
fn venv_setup_run_and_quit_in_a_pty() {
    let env = pip_project();
    let mut tui = Tui::start(&env, &[], &[]);

    // The first frame, then detection and doctor fill in.
    tui.wait_for(&["Backend", "Health", "Log"], SHORT);
    tui.wait_for(
        &["venv — from requirements.txt", "Environment: .venv missing"],
        SHORT,
    );
    assert!(*tui.received.lock().unwrap() > 0);

    // Setup wizard: the detected backend, the python request, the review.
    tui.keys("i");
    tui.wait_for(&["Setup — step 1 of 3: Backend", "(•) venv"], SHORT);
    tui.keys(ENTER);
    tui.wait_for(&["Python version for the venv", "> 3.11"], SHORT);
    tui.keys(ENTER);
    // The review fills in as its plan arrives: wait for all of it, not its title.
    tui.wait_for(
        &[
            "Review",
            "Create .venv with python 3.11.7",
            "Writes:",
            ".pyve/state/venv.json",
            "install requirements.txt",
        ],
        SHORT,
    );

    // Run it: the create streams into the Log, pip's lines included.
    tui.keys(ENTER);
    tui.wait_for(&["init .venv"], SHORT);
    let done = tui.wait_for(&[".venv created in", "init .venv — succeeded in"], LONG);
    assert_contains(&done, &["» create .venv with python 3.11.7", "greeting"]);
    assert!(env.p(".pyve/state/venv.json").is_file());

    // Health refreshes after the task.
    tui.wait_for(&["Environment up to date: yes"], SHORT);
    // ... and when a project file changes (the mtime poll).
    env.write(
        "requirements.txt",
        "./wheels/greeting-1.0-py3-none-any.whl\n# pinned\n",
    );
    tui.wait_for(&["⚠ Environment up to date: no", "stale"], SHORT);

    // The Run prompt runs a command in the env.
    tui.keys("r");
    tui.wait_for(&["Run in .venv"], SHORT);
    tui.type_text("python -c \"import greeting; print(greeting.TEXT)\"");
    tui.keys(ENTER);
    tui.wait_for(&["hello from the wheel", "— succeeded in"], SHORT);

    // Help lists every key.
    tui.keys("?");
    tui.wait_for(&["Help: every key", "Ctrl-C"], SHORT);
    tui.keys(ESC);
    // (A key right after Esc would read as Alt+key: wait for Esc to land.)
    tui.wait_gone("Help: every key", SHORT);

    // q quits at once when nothing runs, and gives the terminal back. The run's job
    // ends a moment after its task (its Done follows the task's Finished): wait for
    // the title bar's "idle", or q would ask whether to stop it.
    tui.wait_for(&["idle"], SHORT);
    tui.quit_restored(SHORT);
}

/// The Health pane's "fix all" (`F`) applies doctor's plan through the same fix job as
/// `pyve doctor --fix`: here the missing venv is created, and the env then checks ok.
#[test]
fn fix_all_from_the_health_pane_builds_the_missing_env_in_a_pty() {
    let env = pip_project();
    let mut tui = Tui::start(&env, &[], &[]);
    tui.wait_for(&["Environment: .venv missing"], SHORT);
    tui.keys("3");
    tui.wait_for(&["F fix all"], SHORT);
    tui.keys("F");
    tui.wait_for(
        &["What `pyve doctor --fix` would do here:", "pyve init"],
        SHORT,
    );
    tui.keys(ENTER);
    tui.wait_for(&["fixes: applied `pyve init`"], LONG);
    assert!(env.p(".pyve/state/venv.json").is_file());
    assert!(env.p(".venv/bin/python").exists());
    tui.wait_for(&["Environment up to date: yes"], SHORT);
    tui.quit_restored(SHORT);
}

/// The issue's scenario: a conda project with micromamba missing; the Bootstrap wizard
/// installs it (option 1, from a loopback server serving the double or the real
/// binary with its real sha256), the Setup wizard creates the env from the local
/// channel with the create streaming into the Log, and q gives the terminal back.
#[test]
fn conda_project_bootstrap_then_setup_in_a_pty_double() {
    conda_project_bootstrap_then_setup_in_a_pty(Kind::Double)
}

#[test]
fn conda_project_bootstrap_then_setup_in_a_pty_real() {
    conda_project_bootstrap_then_setup_in_a_pty(Kind::Real)
}

fn conda_project_bootstrap_then_setup_in_a_pty(kind: Kind) {
    // The fixture gives the project and the channel; this test bootstraps its own
    // micromamba, so the one in the user sandbox goes.
    let Some(m) = Mamba::new(kind) else { return };
    let bin = m.binary();
    let version = version_of(&bin);
    std::fs::remove_dir_all(m.env.pyve_home.join("bin")).unwrap();
    let env = &m.env;
    let server = release_of(&bin);
    let url = server.url();
    let mut tui = Tui::start(
        env,
        &[],
        &[
            ("PYVE_MICROMAMBA_URL", url.as_str()),
            ("PYVE_HTTP_TIMEOUT", "60"),
            // Slow enough that the create is seen streaming.
            ("PYVE_FAKE_MM_DELAY", "0.01"),
        ],
    );
    tui.wait_for(
        &["micromamba — from environment.yml", "Micromamba: not found"],
        SHORT,
    );

    // Bootstrap wizard: the four options with their targets; option 1.
    tui.keys("b");
    let menu = tui.wait_for(
        &[
            "Bootstrap micromamba",
            "1 Project sandbox",
            ".pyve/bin/micromamba",
            "2 User sandbox",
            "3 System package manager",
            "4 Abort",
        ],
        SHORT,
    );
    assert_contains(
        &menu,
        &["micromamba is required for this project (environment.yml)"],
    );
    tui.keys("1");
    let done = tui.wait_for(
        &[
            "✓ verify sha256",
            &format!("✓ run --version  {version}"),
            "100%",
            &format!("✓ micromamba {version} installed to .pyve/bin/micromamba"),
        ],
        LONG,
    );
    assert_contains(&done, &["✓ download"]);
    assert!(env.p(".pyve/bin/micromamba").is_file());
    // The dashboard refreshed: micromamba is found in the project sandbox.
    tui.wait_for(&["✓ Micromamba: "], SHORT);

    // Enter continues with the Setup wizard: micromamba preselected, then name,
    // channels and the review.
    tui.keys(ENTER);
    tui.wait_for(&["Setup — step 1 of 4: Backend", "(•) micromamba"], SHORT);
    tui.keys(ENTER);
    tui.wait_for(&["Name of the micromamba environment", "> demo"], SHORT);
    tui.keys(ENTER);
    tui.wait_for(&["Channels to add", "built from: environment.yml"], SHORT);
    tui.keys(ENTER);
    // The review fills in as its plan arrives: wait for all of it, not its title.
    tui.wait_for(
        &[
            "Create micromamba env demo at .pyve/envs/demo from environment.yml with",
            ".pyve/state/demo.json",
            "create -y -p",
        ],
        SHORT,
    );
    tui.keys(ENTER);

    // The create streams into the Log.
    tui.wait_for(&["▶ init demo — running"], SHORT);
    tui.wait_for(&[m.says("Linking", "Transaction starting")], LONG);
    tui.wait_for(&["demo created in"], LONG);
    assert!(env.p(".pyve/state/demo.json").is_file());
    tui.wait_for(&["Environment up to date: yes"], SHORT);

    tui.quit_restored(SHORT);
}

#[test]
fn ctrl_c_cancels_the_task_and_q_asks_while_one_runs() {
    let env = pip_project();
    // A venv that exists, so `run` has an env to run in.
    let out = env.pyve().arg("init").output().unwrap();
    assert_code(&out, 0);
    let mut tui = Tui::start(&env, &[], &[]);
    tui.wait_for(&["Environment up to date: yes"], SHORT);
    tui.keys("r");
    tui.wait_for(&["Run in .venv"], SHORT);
    tui.type_text(
        "python -c \"import time, itertools; [print('tick', i, flush=True) or time.sleep(0.01) for i in itertools.count()]\"",
    );
    tui.keys(ENTER);
    tui.wait_for(&["tick 5"], SHORT);

    // Ctrl-C cancels the task, not the app, and says so.
    tui.keys(CTRL_C);
    tui.wait_for(
        &[
            "Ctrl-C: cancelling run",
            "cancelled: the task's process group was stopped",
        ],
        SHORT,
    );
    assert!(
        tui.child.try_wait().unwrap().is_none(),
        "Ctrl-C must not quit"
    );

    // q while a task runs asks first; y cancels it and quits.
    tui.keys("r");
    tui.wait_for(&["Run in .venv"], SHORT);
    tui.type_text("python -c \"import time; time.sleep(600)\"");
    tui.keys(ENTER);
    tui.wait_for(&["▶ run python"], SHORT);
    tui.keys("q");
    tui.wait_for(&["Quit?", "is still running"], SHORT);
    tui.keys("n");
    tui.keys("q");
    tui.wait_for(&["Quit?"], SHORT);
    tui.keys("y");
    assert_eq!(tui.wait_exit(SHORT), 0);
    tui.assert_restored();
}

#[test]
fn sigterm_restores_the_terminal() {
    let env = TestEnv::new();
    env.write("requirements.txt", "");
    let mut tui = Tui::start(&env, &["tui"], &[]);
    tui.wait_for(&["Health"], SHORT);
    nix::sys::signal::kill(
        nix::unistd::Pid::from_raw(tui.child.id() as i32),
        nix::sys::signal::Signal::SIGTERM,
    )
    .unwrap();
    assert_eq!(tui.wait_exit(SHORT), 143);
    tui.assert_restored();
}

/// The ways out of the TUI (and Ctrl-Z's way out and back in).
#[derive(Clone, Copy, Debug)]
enum Way {
    Q,
    Signal(nix::sys::signal::Signal),
    CtrlZThenFg,
    Panic,
}

/// How many times each way is tried (docs/reliability.md: restored N of N).
const TRIES: u32 = 3;

/// Whether process `pid` is stopped (`T` in /proc/PID/stat).
fn stopped(pid: u32) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .map(|s| {
            s.rsplit(')')
                .next()
                .unwrap_or("")
                .trim_start()
                .starts_with('T')
        })
        .unwrap_or(false)
}

/// Leaves the TUI `TRIES` times by `way`; each time the terminal must be restored.
fn leaves_restored(way: Way) {
    use nix::sys::signal::{Signal, kill};
    let mut restored = 0;
    for _ in 0..TRIES {
        let env = TestEnv::new();
        env.write("requirements.txt", "");
        let extra: &[(&str, &str)] = match way {
            Way::Panic => &[("PYVE_TUI_TEST_PANIC", "1")],
            _ => &[],
        };
        let mut tui = Tui::start(&env, &["tui"], extra);
        let pid = tui.child.id();
        let signal = |s: Signal| kill(nix::unistd::Pid::from_raw(pid as i32), s).unwrap();
        let expected = match way {
            Way::Q => {
                tui.wait_for(&["Health"], SHORT);
                tui.keys("q");
                0
            }
            Way::Signal(s) => {
                tui.wait_for(&["Health"], SHORT);
                signal(s);
                128 + s as i32
            }
            Way::CtrlZThenFg => {
                tui.wait_for(&["Health"], SHORT);
                tui.keys("\x1a");
                let start = Instant::now();
                while !stopped(pid) {
                    assert!(start.elapsed() < SHORT, "Ctrl-Z did not suspend pyve");
                    std::thread::sleep(Duration::from_millis(10));
                }
                // Suspended: the shell's screen is back.
                tui.assert_restored();
                signal(Signal::SIGCONT); // what `fg` sends
                let start = Instant::now();
                while !tui.parser.lock().unwrap().screen().alternate_screen() {
                    assert!(start.elapsed() < SHORT, "fg did not take the screen back");
                    std::thread::sleep(Duration::from_millis(10));
                }
                tui.wait_for(&["Health"], SHORT);
                tui.keys("q");
                0
            }
            Way::Panic => 101,
        };
        assert_eq!(tui.wait_exit(SHORT), expected, "{way:?}");
        tui.assert_restored();
        restored += 1;
    }
    eprintln!("tui restore: {way:?} restored {restored} of {TRIES}");
}

#[test]
fn q_restores_the_terminal() {
    leaves_restored(Way::Q);
}

#[test]
fn sigint_sighup_and_sigterm_restore_the_terminal() {
    use nix::sys::signal::Signal;
    for s in [Signal::SIGINT, Signal::SIGHUP, Signal::SIGTERM] {
        leaves_restored(Way::Signal(s));
    }
}

#[test]
fn sigquit_and_sigusr1_restore_the_terminal() {
    use nix::sys::signal::Signal;
    for s in [Signal::SIGQUIT, Signal::SIGUSR1] {
        leaves_restored(Way::Signal(s));
    }
}

#[test]
fn ctrl_z_gives_the_terminal_back_and_fg_takes_it_again() {
    leaves_restored(Way::CtrlZThenFg);
}

#[test]
fn panics_restore_the_terminal() {
    leaves_restored(Way::Panic);
}

#[test]
fn a_panic_restores_the_terminal() {
    let env = TestEnv::new();
    env.write("requirements.txt", "");
    // Debug builds panic right after the first frame when this is set.
    let mut tui = Tui::start(&env, &[], &[("PYVE_TUI_TEST_PANIC", "1")]);
    let code = tui.wait_exit(SHORT);
    assert_eq!(code, 101);
    tui.assert_restored();
    // The report is printed on the restored screen, not lost in the alternate one.
    tui.wait_for(&["PYVE_TUI_TEST_PANIC is set"], SHORT);
}

#[test]
fn tiny_ascii_no_color_terminal() {
    let env = TestEnv::new();
    env.write("requirements.txt", "");
    let mut tui = Tui::start_in(
        &env,
        &env.project,
        &[],
        &[("LANG", "C"), ("NO_COLOR", "1")],
        10,
        40,
    );
    let s = tui.wait_for(&["[Health]", "[x] Environment"], SHORT);
    assert!(s.is_ascii(), "non-ASCII on a C locale:\n{s}");
    // No colour: every cell has the default colours.
    {
        let p = tui.parser.lock().unwrap();
        let screen = p.screen();
        for r in 0..10 {
            for c in 0..40 {
                if let Some(cell) = screen.cell(r, c) {
                    assert_eq!(cell.fgcolor(), vt100::Color::Default, "({r},{c})");
                    assert_eq!(cell.bgcolor(), vt100::Color::Default, "({r},{c})");
                }
            }
        }
    }
    // The title bar keeps what matters at 40 columns: the backend, the env's state,
    // the problems.
    assert!(
        s.lines()
            .next()
            .unwrap_or("")
            .contains("venv | [x] missing | [x]"),
        "{s}"
    );
    // A mouse click on a tab (the second row) focuses its pane (SGR mouse report,
    // 1-based x;y).
    tui.keys("\x1b[<0;32;2M\x1b[<0;32;2m");
    tui.wait_for(&["[Log]", "No tasks yet"], SHORT);

    // Grown to a dashboard, and back: the layout follows the terminal.
    tui.resize(30, 100);
    tui.wait_for(
        &["+ Backend ---", "+ Tools ---", "# Log - following"],
        SHORT,
    );
    tui.resize(10, 40);
    tui.wait_for(&["[Log]"], SHORT);

    tui.quit_restored(SHORT);
}

#[test]
fn without_a_terminal_it_prints_help_and_exits_2() {
    let env = TestEnv::new();
    for args in [&[][..], &["tui"][..]] {
        let out = env.pyve().args(args).output().unwrap();
        assert_code(&out, 2);
        assert_contains(&stdout(&out), &["Usage:"]);
    }
}

/// A pip project with two ready venvs: `default` (.venv) and `dev`.
fn two_ready_envs() -> TestEnv {
    let env = pip_project();
    for args in [&["init"][..], &["init", "--env", "dev"]] {
        let out = env.pyve().args(args).output().unwrap();
        assert_code(&out, 0);
    }
    env
}

/// Two envs: the dashboard lists them, `]` and `[` switch the panes between them, and
/// the Run prompt runs in the env shown.
#[test]
fn switching_envs_shows_each_and_runs_in_the_one_shown() {
    let env = two_ready_envs();
    let mut tui = Tui::start(&env, &[], &[]);
    tui.wait_for(
        &["env default", "▸default", "✓ dev", ".venv ✓ ready"],
        SHORT,
    );
    tui.keys("]");
    tui.wait_for(
        &["env dev", "▸dev", "✓ default", ".pyve/envs/dev ✓ ready"],
        SHORT,
    );
    tui.keys("r");
    tui.wait_for(&["Run in .pyve/envs/dev"], SHORT);
    tui.type_text("python -c \"import sys; print('prefix=' + sys.prefix)\"");
    tui.keys(ENTER);
    let shown = tui.wait_for(&["prefix=", "— succeeded in"], SHORT);
    assert_contains(&shown, &["/.pyve/envs/dev"]);
    tui.wait_for(&["idle"], SHORT);
    tui.keys("[");
    tui.wait_for(&["env default", "▸default", ".venv ✓ ready"], SHORT);
    tui.quit_restored(SHORT);
}

/// Two envs, dev shown: `p` lists dev's env only and `y` removes it, leaving the
/// default env ready; `a` widens the list to everything.
#[test]
fn purge_in_a_pty_removes_the_env_shown_and_a_widens_it() {
    let env = two_ready_envs();
    let mut tui = Tui::start(&env, &[], &[("PYVE_ENV", "dev")]);
    tui.wait_for(&["env dev", ".pyve/envs/dev ✓ ready"], SHORT);
    tui.keys("p");
    tui.wait_for(
        &[
            "pyve created these for env dev (the other envs stay):",
            ".pyve/envs/dev",
        ],
        SHORT,
    );
    tui.keys("a");
    let all = tui.wait_for(
        &["pyve created these in this project, for every env:"],
        SHORT,
    );
    assert_contains(&all, &[".venv", ".pyve/envs/dev", "a list only env dev's"]);
    tui.keys("a");
    tui.wait_for(
        &["pyve created these for env dev (the other envs stay):"],
        SHORT,
    );
    tui.keys("y");
    tui.wait_for(&["— succeeded in"], SHORT);
    tui.wait_for(&["idle"], SHORT);
    tui.quit_restored(SHORT);
    assert!(!env.p(".pyve/envs/dev").exists());
    assert!(env.p(".venv/pyvenv.cfg").is_file());
    assert!(env.p(".pyve/config").is_file());
}

/// The TUI starts on the env `PYVE_ENV` names; one the project does not have is its
/// failing check, with the command that adds it.
#[test]
fn the_tui_starts_on_the_env_pyve_env_names() {
    let env = two_ready_envs();
    let mut tui = Tui::start(&env, &[], &[("PYVE_ENV", "dev")]);
    tui.wait_for(&["env dev", "▸dev", ".pyve/envs/dev ✓ ready"], SHORT);
    tui.quit_restored(SHORT);
    let mut tui = Tui::start(&env, &[], &[("PYVE_ENV", "nope")]);
    tui.wait_for(
        &[
            "no env `nope` in this project (PYVE_ENV)",
            "pyve init --env nope",
        ],
        SHORT,
    );
    tui.quit_restored(SHORT);
}

// ---------------------------------------------------------------------------------
// Benchmarks (not timed tests): `cargo test --release --test it tui_pty -- --ignored
// --nocapture bench_`; scripts/bench-tui.sh runs them and prints the numbers.

#[test]
#[ignore]
fn bench_first_frame() {
    let env = TestEnv::new();
    env.write("requirements.txt", "");
    let mut times = Vec::new();
    for _ in 0..20 {
        let mut tui = Tui::start(&env, &[], &[]);
        // The first frame: the pane titles, drawn before detection finished.
        let start = Instant::now();
        loop {
            let s = tui.screen();
            if s.contains("Backend") && s.contains("Log") {
                break;
            }
            assert!(start.elapsed() < SHORT, "no first frame:\n{s}");
            std::thread::yield_now();
        }
        let at = tui.started.elapsed();
        times.push(at.as_secs_f64() * 1000.0);
        tui.keys("q");
        tui.wait_exit(SHORT);
    }
    times.sort_by(|a, b| a.partial_cmp(b).unwrap());
    let median = times[times.len() / 2];
    println!(
        "BENCH first_frame_ms median={median:.1} min={:.1} max={:.1} n={}",
        times[0],
        times[times.len() - 1],
        times.len()
    );
}

/// Peak resident memory of a process (kB), from /proc: Linux only, `None` elsewhere.
fn vm_hwm_kb(pid: u32) -> Option<u64> {
    if !cfg!(target_os = "linux") {
        return None;
    }
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()?
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.split_whitespace().next()?.parse().ok())
}

/// CPU seconds a process used itself and those its waited-for children used, from
/// /proc: Linux only, `None` elsewhere. Unlike wall time, what another process on a
/// busy machine takes is not in it.
fn cpu_s(pid: u32) -> Option<(f64, f64)> {
    if !cfg!(target_os = "linux") {
        return None;
    }
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // After the command's name in parentheses: utime is field 14, cstime field 17.
    let f: Vec<f64> = stat
        .rsplit_once(')')?
        .1
        .split_whitespace()
        .skip(11)
        .take(4)
        .map(|v| v.parse().ok())
        .collect::<Option<_>>()?;
    // SAFETY: sysconf only reads a configuration value.
    let hz = unsafe { nix::libc::sysconf(nix::libc::_SC_CLK_TCK) } as f64;
    Some(((f[0] + f[1]) / hz, (f[2] + f[3]) / hz))
}

/// A key round trip at most this often while the flood drains: many times faster than
/// anyone types, yet the drain is not measured as a function of how fast keys are
/// answered (each answer is a frame drawn at once).
const KEY_PACE: Duration = Duration::from_millis(5);

#[test]
#[ignore]
fn bench_million_lines() {
    let env = pip_project();
    let out = env.pyve().arg("init").output().unwrap();
    assert_code(&out, 0);
    let mut tui = Tui::start(&env, &[], &[]);
    tui.wait_for(&["Environment up to date: yes"], SHORT);
    tui.keys("r");
    tui.wait_for(&["Run in .venv"], SHORT);
    tui.type_text("python -c \"import sys; w = sys.stdout.write; [w('line %d\\n' % i) for i in range(1000000)]\"");
    let cpu_before = cpu_s(tui.child.id());
    let started = Instant::now();
    tui.keys(ENTER);
    // Any line of output (a fast drain may be past "line 1" at the first look).
    let start = Instant::now();
    while !(0..10).any(|d| tui.screen().contains(&format!("line {d}"))) {
        assert!(start.elapsed() < SHORT, "no output:\n{}", tui.screen());
        std::thread::sleep(Duration::from_millis(1));
    }
    // While the flood drains, keys must still be answered: open and close Help over
    // and over, timing each round trip (key written → screen changed), until the last
    // line is in view and the title bar says nothing runs.
    let mut key_ms = Vec::new();
    let mut round_trip = |tui: &mut Tui, key: &str, help_shown: bool| {
        let t = Instant::now();
        tui.keys(key);
        tui.wait_for_fast("Help: every key", help_shown);
        key_ms.push(t.elapsed().as_secs_f64() * 1000.0);
        std::thread::sleep(KEY_PACE.saturating_sub(t.elapsed()));
    };
    let drained = loop {
        round_trip(&mut tui, "?", true);
        round_trip(&mut tui, ESC, false);
        let s = tui.screen();
        if s.contains("line 999999") && s.contains("idle") {
            break started.elapsed();
        }
        assert!(
            started.elapsed() < Duration::from_secs(300),
            "not drained:\n{s}"
        );
    };
    let (pyve_cpu, child_cpu) = match (cpu_before, cpu_s(tui.child.id())) {
        (Some(a), Some(b)) => (format!("{:.2}", b.0 - a.0), format!("{:.2}", b.1 - a.1)),
        _ => ("n/a".to_string(), "n/a".to_string()),
    };
    // The ring kept the newest lines and says how many older ones it let go.
    tui.wait_for(&["older dropped"], SHORT);
    let rss = vm_hwm_kb(tui.child.id()).map_or("n/a".to_string(), |kb| kb.to_string());
    key_ms.sort_by(|a, b| a.partial_cmp(b).unwrap());
    println!(
        "BENCH million_lines drained_s={:.2} pyve_cpu_s={pyve_cpu} child_cpu_s={child_cpu} peak_rss_kb={rss} keys={} key_ms_median={:.1} key_ms_p99={:.1} key_ms_max={:.1}",
        drained.as_secs_f64(),
        key_ms.len(),
        key_ms[key_ms.len() / 2],
        key_ms[key_ms.len() * 99 / 100],
        key_ms[key_ms.len() - 1]
    );
    tui.keys("q");
    assert_eq!(tui.wait_exit(SHORT), 0);
}

/// `pyve init` on a terminal 80 columns wide: micromamba's progress is one line updated
/// in place (the status pairs collapse: no "Starting" is left on the screen), its
/// warnings stay, and the transaction table's rules do not wrap.
#[test]
fn cli_init_on_an_80_column_terminal_double() {
    cli_init_on_an_80_column_terminal(Kind::Double)
}

#[test]
fn cli_init_on_an_80_column_terminal_real() {
    cli_init_on_an_80_column_terminal(Kind::Real)
}

fn cli_init_on_an_80_column_terminal(kind: Kind) {
    let Some(m) = Mamba::new(kind) else { return };
    let mut tui = Tui::start_in(
        &m.env,
        &m.env.project,
        &["init"],
        &[("PYVE_FAKE_MM_DELAY", "0.002")],
        200,
        80,
    );
    assert_eq!(tui.wait_exit(LONG), 0, "{}", tui.screen());
    let screen = tui.screen();
    assert_contains(&screen, &["Transaction finished", "✓ demo created in"]);
    if m.reports_progress() {
        assert_contains(
            &screen,
            &[
                "⚠ Shard Index for",
                "/noarch ✔ Done (0.0 sec)",
                "Resolving Environment ✔ Done (0.0 sec)",
            ],
        );
    }
    assert!(!screen.contains("Starting"), "{screen}");
    for row in screen.lines() {
        let t = row.trim();
        assert!(
            t.is_empty() || !t.chars().all(|c| c == '─') || t.chars().count() > 10,
            "a wrapped rule: {row:?}\n{screen}"
        );
    }
}

/// The TUI's Log on an 80-column terminal after the Setup wizard created a conda env:
/// micromamba's status pairs are one line each (no "Starting" left), its warnings are
/// there, and no rule of the transaction table wraps.
#[test]
fn tui_log_of_a_conda_setup_at_80_columns_double() {
    tui_log_of_a_conda_setup_at_80_columns(Kind::Double)
}

#[test]
fn tui_log_of_a_conda_setup_at_80_columns_real() {
    tui_log_of_a_conda_setup_at_80_columns(Kind::Real)
}

fn tui_log_of_a_conda_setup_at_80_columns(kind: Kind) {
    let Some(m) = Mamba::new(kind) else { return };
    let mut tui = Tui::start_in(
        &m.env,
        &m.env.project,
        &[],
        &[("PYVE_FAKE_MM_DELAY", "0")],
        250,
        80,
    );
    tui.wait_for(
        &["micromamba — from environment.yml", "✓ Micromamba: "],
        SHORT,
    );
    tui.keys("i");
    tui.wait_for(&["Setup — step 1 of 4: Backend", "(•) micromamba"], SHORT);
    tui.keys(ENTER);
    tui.wait_for(&["Name of the micromamba environment", "> demo"], SHORT);
    tui.keys(ENTER);
    tui.wait_for(&["Channels to add"], SHORT);
    tui.keys(ENTER);
    tui.wait_for(&["create -y -p"], SHORT);
    tui.keys(ENTER);
    tui.wait_for(&["demo created in"], LONG);
    tui.wait_for(&["Environment up to date: yes"], SHORT);
    // The Log, zoomed to a screen tall enough for all of it.
    tui.keys("4");
    tui.wait_for(&["┏ Log"], SHORT);
    tui.keys("z");
    let start = Instant::now();
    // Zoomed and fully drawn: only the focused pane's heavy border is left.
    while tui.screen().contains(['┌', '└', '│']) {
        assert!(
            start.elapsed() < SHORT,
            "the Log did not zoom:\n{}",
            tui.screen()
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    let screen = tui.wait_for(&["Transaction finished"], SHORT);
    if m.reports_progress() {
        assert_contains(
            &screen,
            &[
                "⚠ Shard Index for",
                "✔ Done",
                "Resolving Environment ✔ Done (0.0 sec)",
            ],
        );
    }
    assert!(!screen.contains("Starting"), "{screen}");
    let border = |c: char| "│┃".contains(c) || c.is_whitespace();
    let rules: Vec<&str> = screen
        .lines()
        .map(|row| row.trim_matches(border))
        .filter(|inner| !inner.is_empty() && inner.chars().all(|c| c == '─'))
        .collect();
    assert!(!rules.is_empty(), "no table rule in the Log:\n{screen}");
    for r in &rules {
        assert!(r.chars().count() >= 60, "a wrapped rule {r:?}:\n{screen}");
    }
    tui.quit_restored(SHORT);
}

/// A failing solve in the TUI: the Log shows micromamba's own message and pyve's next
/// step, naming the env file.
#[test]
fn tui_setup_with_an_unsatisfiable_version_double() {
    tui_setup_with_an_unsatisfiable_version(Kind::Double)
}

#[test]
fn tui_setup_with_an_unsatisfiable_version_real() {
    tui_setup_with_an_unsatisfiable_version(Kind::Real)
}

fn tui_setup_with_an_unsatisfiable_version(kind: Kind) {
    let Some(m) = Mamba::new(kind) else { return };
    m.env.write(
        "environment.yml",
        &crate::micromamba::env_yml(&m.channel, &["packaging=999"]),
    );
    let mut tui = Tui::start_in(
        &m.env,
        &m.env.project,
        &[],
        &[("PYVE_FAKE_MM_DELAY", "0")],
        50,
        120,
    );
    tui.wait_for(
        &["micromamba — from environment.yml", "✓ Micromamba: "],
        SHORT,
    );
    tui.keys("i");
    tui.wait_for(&["Setup — step 1 of 4: Backend"], SHORT);
    tui.keys(ENTER);
    tui.wait_for(&["Name of the micromamba environment"], SHORT);
    tui.keys(ENTER);
    tui.wait_for(&["Channels to add"], SHORT);
    tui.keys(ENTER);
    tui.wait_for(&["create -y -p"], SHORT);
    tui.keys(ENTER);
    tui.wait_for(
        &[
            m.says(
                "packaging =999 * does not exist (perhaps a typo or a missing channel).",
                "packaging 999**  does not exist (perhaps a typo or a missing channel).",
            ),
            "micromamba could not solve environment.yml: change what it names above in",
            "demo is left incomplete",
        ],
        LONG,
    );
    tui.quit_restored(SHORT);
}
