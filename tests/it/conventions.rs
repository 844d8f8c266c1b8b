//! The conventions of a modern CLI (docs/decisions/0010-cli-conventions.md): shell
//! completions, the man page, examples in every `--help`, global options under their own
//! heading, `FORCE_COLOR`/`CLICOLOR_FORCE`, `-q` on status and doctor, one `hint:`
//! format, `pyve check`, and `pyve run`'s argv.

use crate::common;

use common::*;

const ESC: &str = "\x1b[";

/// A project with a ready venv, built fast: a pyenv wrapper (venvs without pip) named
/// with the real version of the system python, pinned in `.python-version`.
fn ready_project() -> TestEnv {
    let env = TestEnv::new();
    let py = system_python();
    let version = python_version(&py);
    env.pyenv_wrapper(&version, &py, &Wrapper::default());
    env.write(".python-version", &format!("{version}\n"));
    let out = env.pyve().arg("init").output().unwrap();
    assert_code(&out, 0);
    env
}

#[test]
fn completions_for_every_shell() {
    let env = TestEnv::new();
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let out = env.pyve().args(["completions", shell]).output().unwrap();
        assert_code(&out, 0);
        let script = stdout(&out);
        assert_contains(&script, &["pyve", "python-version", "completions"]);
    }
    let out = env.pyve().args(["completions", "tcsh"]).output().unwrap();
    assert_code(&out, 2);
    assert_contains(
        &stderr(&out),
        &["error: invalid value 'tcsh'", "bash", "elvish"],
    );
    assert!(list_dir(&env.project).is_empty());
}

#[test]
fn man_pages_for_pyve_and_each_command() {
    let env = TestEnv::new();
    let out = env.pyve().arg("man").output().unwrap();
    assert_code(&out, 0);
    let page = stdout(&out);
    assert_contains(&page, &[".TH pyve 1", ".SH NAME", "completions"]);
    let out = env.pyve().args(["man", "init"]).output().unwrap();
    assert_code(&out, 0);
    assert_contains(&stdout(&out), &[".TH pyve-init 1", "python\\-version"]);
    let out = env.pyve().args(["man", "int"]).output().unwrap();
    assert_code(&out, 2);
    assert_contains(
        &stderr(&out),
        &[
            "error: no manual page for `int`: pyve has no such command",
            "hint: did you mean `pyve man init`?",
        ],
    );
}

#[test]
fn every_help_has_examples_and_global_options_have_their_heading() {
    let env = TestEnv::new();
    let out = env.pyve().arg("--help").output().unwrap();
    assert_code(&out, 0);
    let top = stdout(&out);
    let global = top
        .split("Global options:")
        .nth(1)
        .unwrap_or_else(|| panic!("no `Global options:` heading in:\n{top}"));
    assert_contains(
        global,
        &["--project", "--color", "--no-input", "--verbose", "--quiet"],
    );
    assert_contains(&top, &["Examples:"]);
    for cmd in [
        "init",
        "run",
        "status",
        "doctor",
        "lock",
        "config",
        "python",
        "purge",
        "bootstrap",
        "tui",
        "completions",
        "man",
    ] {
        let out = env.pyve().args([cmd, "--help"]).output().unwrap();
        assert_code(&out, 0);
        let page = stdout(&out);
        assert_contains(&page, &["Examples:\n  pyve ", "Global options:"]);
    }
    for sub in ["show", "pin"] {
        let out = env.pyve().args(["python", sub, "--help"]).output().unwrap();
        assert_code(&out, 0);
        assert_contains(&stdout(&out), &["Examples:\n  pyve python "]);
    }
}

/// A project whose status shows a warning.
fn warning_project() -> TestEnv {
    let env = TestEnv::new();
    env.write("environment.yml", "");
    env.write("requirements.txt", "");
    env
}

#[test]
fn force_color_and_clicolor_force_colour_without_a_terminal_unless_no_color() {
    let env = warning_project();
    let colored = |args: &[&str], vars: &[(&str, &str)]| {
        let out = env
            .pyve()
            .args(args)
            .envs(vars.iter().copied())
            .output()
            .unwrap();
        assert_code(&out, 0);
        format!("{}{}", stdout(&out), stderr(&out)).contains(ESC)
    };
    assert!(!colored(&["status"], &[]));
    assert!(colored(&["status"], &[("FORCE_COLOR", "1")]));
    assert!(colored(&["status"], &[("FORCE_COLOR", "true")]));
    assert!(colored(&["status"], &[("CLICOLOR_FORCE", "1")]));
    assert!(!colored(&["status"], &[("FORCE_COLOR", "0")]));
    assert!(!colored(&["status"], &[("CLICOLOR_FORCE", "0")]));
    assert!(!colored(&["status"], &[("FORCE_COLOR", "")]));
    // NO_COLOR wins over both; the command line over all of them.
    assert!(!colored(
        &["status"],
        &[("FORCE_COLOR", "1"), ("NO_COLOR", "1")]
    ));
    assert!(!colored(
        &["status"],
        &[("CLICOLOR_FORCE", "1"), ("NO_COLOR", "1")]
    ));
    assert!(!colored(
        &["--color", "never", "status"],
        &[("FORCE_COLOR", "1")]
    ));
    assert!(colored(
        &["--color", "always", "status"],
        &[("NO_COLOR", "1")]
    ));
}

#[test]
fn quiet_status_and_doctor_print_only_problems() {
    let env = warning_project();
    let out = env.pyve().args(["status", "-q"]).output().unwrap();
    assert_code(&out, 0);
    let text = stdout(&out);
    assert_contains(&text, &["⚠ both a conda spec", "env"]);
    for heading in ["project ", "backend "] {
        assert!(!text.lines().any(|l| l.starts_with(heading)), "{text}");
    }

    let env = ready_project();
    let out = env.pyve().args(["status", "-q"]).output().unwrap();
    assert_code(&out, 0);
    assert_eq!(stdout(&out), "", "a ready project has no problem");
    assert_eq!(stderr(&out), "");
    let full = env.pyve().arg("doctor").output().unwrap();
    let quiet = env.pyve().args(["doctor", "-q"]).output().unwrap();
    assert_eq!(quiet.status.code(), full.status.code());
    let (full, quiet) = (stdout(&full), stdout(&quiet));
    assert_contains(&full, &["✓ ", " ok, "]);
    assert!(!quiet.contains('✓'), "{quiet}");
    assert!(!quiet.contains(" ok, "), "{quiet}");
    // Every problem line of the full report is in the quiet one.
    for l in full
        .lines()
        .filter(|l| l.starts_with('⚠') || l.starts_with('✗'))
    {
        assert_contains(&quiet, &[l]);
    }
}

#[test]
fn check_is_another_name_for_doctor() {
    let env = warning_project();
    let doctor = env.pyve().args(["doctor", "--json"]).output().unwrap();
    let check = env.pyve().args(["check", "--json"]).output().unwrap();
    assert_eq!(check.status.code(), doctor.status.code());
    assert_eq!(stdout(&check), stdout(&doctor));
}

#[test]
fn usage_errors_give_hints_in_one_format() {
    let env = TestEnv::new();
    let out = env.pyve().arg("stats").output().unwrap();
    assert_code(&out, 2);
    let err = stderr(&out);
    assert_contains(
        &err,
        &[
            "error: unrecognized subcommand 'stats'",
            "hint: a similar subcommand exists: 'status'",
        ],
    );
    assert!(!err.contains("tip:"), "{err}");
    assert!(!err.contains(ESC), "{err}");
    // Coloured when colour is forced, with the same label.
    let out = env
        .pyve()
        .arg("stats")
        .env("FORCE_COLOR", "1")
        .output()
        .unwrap();
    assert_code(&out, 2);
    let err = stderr(&out);
    assert_contains(&err, &[ESC, "hint:\x1b[0m a similar subcommand exists"]);
    assert!(!err.contains("tip:"), "{err}");
}

#[test]
fn run_refuses_unknown_flags_before_the_command_and_passes_the_rest() {
    let env = ready_project();
    // A typo of a pyve flag is not run as a command named `--alow-pip`.
    let out = env
        .pyve()
        .args(["run", "--alow-pip", "python", "-c", "open('ran', 'w')"])
        .output()
        .unwrap();
    assert_code(&out, 2);
    assert_contains(
        &stderr(&out),
        &[
            "error: unexpected argument '--alow-pip' found",
            "hint: a similar argument exists: '--allow-pip'",
        ],
    );
    assert!(!env.p("ran").exists());
    // After the command, everything is the command's, pyve's flags included.
    let out = env
        .pyve()
        .args([
            "run",
            "sh",
            "-c",
            "echo \"$@\"",
            "sh",
            "--allow-pip",
            "--init",
            "-q",
        ])
        .output()
        .unwrap();
    assert_code(&out, 0);
    assert_eq!(stdout(&out), "--allow-pip --init -q\n");
    // pyve's own flags before it still work, and `--` separates the command.
    let out = env
        .pyve()
        .args(["run", "--backend", "venv", "--", "sh", "-c", "echo ok"])
        .output()
        .unwrap();
    assert_code(&out, 0);
    assert_eq!(stdout(&out), "ok\n");
    // A command that starts with `-`, after `--`: looked up, and not found.
    let out = env.pyve().args(["run", "--", "-tool"]).output().unwrap();
    assert_code(&out, 127);
    assert_contains(&stderr(&out), &["-tool"]);
}
