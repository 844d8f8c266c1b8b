//! `pyve run` (docs/commands.md, docs/policies.md): the command runs in the env without activation,
//! replaces pyve (exec), gets its arguments untouched and an environment built from the
//! env's own activation, and its exit status (or its death by a signal) is pyve's.

use crate::common;

use std::os::unix::process::ExitStatusExt;

use common::*;
use serde_json::Value;

#[test]
fn exit_codes_and_signals_pass_through() {
    let env = ready_env();
    for code in [0, 1, 42] {
        let out = env
            .pyve()
            .args([
                "run",
                "python",
                "-c",
                &format!("import sys; sys.exit({code})"),
            ])
            .output()
            .unwrap();
        assert_code(&out, code);
        assert!(stderr(&out).is_empty(), "{}", stderr(&out));
    }
    // A program from PATH outside the env runs too.
    let out = env
        .pyve()
        .args(["run", "sh", "-c", "exit 3"])
        .output()
        .unwrap();
    assert_code(&out, 3);

    // Death by a signal: pyve exec'd the command, so pyve's own process dies of it.
    let out = env
        .pyve()
        .args([
            "run",
            "python",
            "-c",
            "import os, signal; os.kill(os.getpid(), signal.SIGTERM)",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), None, "{:?}", out.status);
    assert_eq!(out.status.signal(), Some(15));
    // …which a shell reports as 128+15.
    let script = format!(
        "{} run python -c 'import os, signal; os.kill(os.getpid(), signal.SIGTERM)'; echo $?",
        env!("CARGO_BIN_EXE_pyve")
    );
    let out = std::process::Command::new("/bin/sh")
        .args(["-c", &script])
        .env_clear()
        .envs(env.base_env())
        .current_dir(&env.project)
        .output()
        .unwrap();
    assert_eq!(stdout(&out), "143\n");
}

#[test]
fn the_command_replaces_pyve() {
    let env = ready_env();
    // No pyve process between us and python: its parent is this test.
    let out = env
        .pyve()
        .args(["run", "python", "-c", "import os; print(os.getppid())"])
        .output()
        .unwrap();
    assert_code(&out, 0);
    assert_eq!(stdout(&out).trim(), std::process::id().to_string());
}

#[test]
fn arguments_reach_the_command_intact() {
    let env = ready_env();
    let args = [
        "two words",
        "it's",
        "say \"hi\"",
        "",
        "  padded  ",
        "$HOME",
        "*",
        "-x",
        "--help",
        "--",
        "line\nbreak",
        "ünïcödé ✓",
        "back\\slash",
    ];
    let out = env
        .pyve()
        .args([
            "run",
            "python",
            "-c",
            "import json, sys; print(json.dumps(sys.argv[1:]))",
        ])
        .args(args)
        .output()
        .unwrap();
    assert_code(&out, 0);
    let got: Vec<String> = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(got, args);

    // `--` before a command that starts like a flag.
    let out = env
        .pyve()
        .args([
            "run",
            "--",
            "python",
            "-c",
            "import sys; print(sys.argv[1:])",
            "-v",
        ])
        .output()
        .unwrap();
    assert_code(&out, 0);
    assert_eq!(stdout(&out), "['-v']\n");
}

#[test]
fn outer_envs_do_not_leak_into_the_command() {
    let env = ready_env();
    let conda = env.root.join("miniconda3");
    std::fs::create_dir_all(conda.join("conda-meta")).unwrap();
    std::fs::create_dir_all(conda.join("bin")).unwrap();
    std::fs::create_dir_all(conda.join("condabin")).unwrap();
    let other = env.root.join("other-venv");
    plain_venv(&other);
    let venv = env.p(".venv");
    let outer_path = format!(
        "{}:{}:{}:{}:{BASE_PATH}",
        other.join("bin").display(),
        conda.join("bin").display(),
        conda.join("condabin").display(),
        venv.join("bin").display(),
    );
    let code = "import json, os, sys; print(json.dumps({'environ': dict(os.environ), 'prefix': sys.prefix, 'executable': sys.executable}))";
    let out = env
        .pyve()
        .env("PATH", &outer_path)
        .env("VIRTUAL_ENV", &other)
        .env("VIRTUAL_ENV_PROMPT", "(other)")
        .env("CONDA_PREFIX", &conda)
        .env("CONDA_DEFAULT_ENV", "base")
        .env("CONDA_SHLVL", "1")
        .env("CONDA_EXE", conda.join("bin/conda"))
        .env("MAMBA_ROOT_PREFIX", &conda)
        .env("PYTHONHOME", "/nonexistent/python-home")
        .env("KEEP_ME", "kept")
        .args(["run", "python", "-c", code])
        .output()
        .unwrap();
    assert_code(&out, 0);
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let environ = v["environ"].as_object().unwrap();

    assert_eq!(environ["VIRTUAL_ENV"], venv.to_str().unwrap());
    let path: Vec<&str> = environ["PATH"].as_str().unwrap().split(':').collect();
    let mut expected = vec![venv.join("bin").to_str().unwrap().to_string()];
    expected.extend(BASE_PATH.split(':').map(str::to_string));
    assert_eq!(path, expected, "PATH in the child");
    let leaked: Vec<&String> = environ
        .keys()
        .filter(|k| {
            k.starts_with("CONDA_")
                || k.starts_with("MAMBA_")
                || *k == "PYTHONHOME"
                || *k == "VIRTUAL_ENV_PROMPT"
        })
        .collect();
    assert!(leaked.is_empty(), "leaked into the child: {leaked:?}");
    assert_eq!(environ["KEEP_ME"], "kept");
    assert_eq!(environ["HOME"], env.home.to_str().unwrap());
    assert_eq!(v["prefix"], venv.to_str().unwrap());
    assert!(
        v["executable"]
            .as_str()
            .unwrap()
            .starts_with(venv.join("bin").to_str().unwrap()),
        "{v}"
    );
}

#[test]
fn run_frozen_without_an_env_exits_3_and_creates_nothing() {
    let env = TestEnv::new();
    env.write("requirements.txt", "");
    let out = env
        .pyve()
        .args(["run", "--frozen", "python", "-c", "pass"])
        .output()
        .unwrap();
    assert_code(&out, 3);
    assert_eq!(
        stderr(&out),
        "error: no venv environment yet (.venv) and --frozen forbids creating it\nhint: run `pyve init`\n"
    );
    assert!(stdout(&out).is_empty());
    assert_eq!(list_dir(&env.project), vec!["requirements.txt"]);
}

#[test]
fn a_command_that_is_nowhere_exits_127_naming_the_env() {
    let env = ready_env();
    let out = env
        .pyve()
        .args(["run", "no-such-command-xyz", "--flag"])
        .output()
        .unwrap();
    assert_code(&out, 127);
    assert_eq!(
        stderr(&out),
        "error: command not found: `no-such-command-xyz` (looked in the venv environment .venv and on PATH)\n"
    );
    // A path that is not executable: the same, naming the path.
    env.write("not-executable", "");
    let out = env
        .pyve()
        .args(["run", "./not-executable"])
        .output()
        .unwrap();
    assert_code(&out, 127);
    assert_contains(&stderr(&out), &["command not found: `./not-executable`"]);
}

#[test]
fn a_program_that_exists_but_cannot_run_exits_126() {
    let env = ready_env();
    write_executable(&env.p("bad-interpreter"), "#!/nonexistent/interpreter\n");
    let out = env
        .pyve()
        .args(["run", "./bad-interpreter"])
        .output()
        .unwrap();
    assert_code(&out, 126);
    assert_eq!(
        stderr(&out),
        "error: cannot run ./bad-interpreter: No such file or directory (os error 2) (is its `#!` interpreter missing?)\n"
    );
}

#[test]
fn run_from_a_subdirectory_keeps_the_working_directory() {
    let env = ready_env();
    let sub = env.p("src/pkg");
    std::fs::create_dir_all(&sub).unwrap();
    let out = env
        .pyve()
        .current_dir(&sub)
        .args([
            "run",
            "python",
            "-c",
            "import os, sys; print(os.getcwd()); print(sys.prefix)",
        ])
        .output()
        .unwrap();
    assert_code(&out, 0);
    assert_eq!(
        stdout(&out),
        format!("{}\n{}\n", sub.display(), env.p(".venv").display())
    );
}

#[test]
fn run_without_a_command_is_a_usage_error() {
    let env = TestEnv::new();
    let out = env.pyve().arg("run").output().unwrap();
    assert_code(&out, 2);
    assert_contains(
        &stderr(&out),
        &[
            "the following required arguments were not provided",
            "<CMD>...",
        ],
    );
}
