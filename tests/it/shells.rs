//! Shells (docs/commands.md#pyve-shell): `pyve shell-hook -s SHELL` prints the
//! activation `pyve run` applies as shell code, `pyve shell` starts `$SHELL` with it
//! and a prompt marker. Real venvs, a real /bin/sh evaluating the code.

use crate::common;

use common::*;

/// `sh -c SCRIPT` with the test's environment plus `extra`.
fn sh(env: &TestEnv, script: &str, extra: &[(&str, &str)]) -> std::process::Output {
    std::process::Command::new("/bin/sh")
        .args(["-c", script])
        .current_dir(&env.project)
        .env_clear()
        .envs(env.base_env())
        .envs(extra.iter().map(|(k, v)| (*k, *v)))
        .env("PYVE", env!("CARGO_BIN_EXE_pyve"))
        .output()
        .unwrap()
}

#[test]
fn shell_hook_bash_evaluated_by_sh_activates_the_venv_like_run() {
    let env = ready_env();
    let venv = env.p(".venv");
    let out = sh(
        &env,
        r#"eval "$("$PYVE" shell-hook -s bash)" || exit 9
echo "VE=$VIRTUAL_ENV"
echo "CP=${CONDA_PREFIX-unset}"
echo "PY=$(command -v python)"
"$PYVE" run python -c 'import os; print("RUN=" + os.environ["VIRTUAL_ENV"])'"#,
        // Another env active in the caller is replaced, not stacked.
        &[
            ("CONDA_PREFIX", "/elsewhere/conda"),
            ("VIRTUAL_ENV", "/elsewhere/venv"),
        ],
    );
    assert_code(&out, 0);
    let text = stdout(&out);
    let ve = venv.display().to_string();
    assert_contains(
        &text,
        &[
            &format!("VE={ve}\n"),
            "CP=unset\n",
            &format!("PY={ve}/bin/python\n"),
            &format!("RUN={ve}\n"),
        ],
    );
}

#[test]
fn shell_hook_quotes_for_each_shell() {
    let env = ready_env();
    let ve = env.p(".venv").display().to_string();
    for (shell, line) in [
        ("bash", format!("export VIRTUAL_ENV='{ve}'")),
        ("zsh", format!("export VIRTUAL_ENV='{ve}'")),
        ("fish", format!("set -gx VIRTUAL_ENV '{ve}'")),
        ("powershell", format!("$env:VIRTUAL_ENV = '{ve}'")),
    ] {
        let out = env
            .pyve()
            .args(["shell-hook", "-s", shell])
            .env("CONDA_PREFIX", "/elsewhere")
            .output()
            .unwrap();
        assert_code(&out, 0);
        let text = stdout(&out);
        assert!(text.lines().any(|l| l == line), "{shell}: {text}");
        let unset = match shell {
            "fish" => "set -e CONDA_PREFIX",
            "powershell" => "Remove-Item -ErrorAction SilentlyContinue Env:CONDA_PREFIX",
            _ => "unset CONDA_PREFIX",
        };
        assert!(text.lines().any(|l| l == unset), "{shell}: {text}");
    }
}

#[test]
fn shell_hook_never_builds_a_missing_env_and_refuses_an_unknown_shell() {
    let env = TestEnv::new();
    env.pyenv_global("3.11.7");
    let out = env
        .pyve()
        .args(["shell-hook", "-s", "bash"])
        .output()
        .unwrap();
    assert_code(&out, 3);
    assert!(stdout(&out).is_empty(), "nothing to eval on stdout");
    assert_contains(
        &stderr(&out),
        &["no venv environment yet (.venv)", "pyve init"],
    );
    assert!(!env.p(".venv").exists());

    let out = env
        .pyve()
        .args(["shell-hook", "-s", "tcsh"])
        .output()
        .unwrap();
    assert_code(&out, 2);
    assert_contains(
        &stderr(&out),
        &["invalid value 'tcsh'", "bash, zsh, fish, powershell"],
    );
}

#[test]
fn pyve_shell_starts_shell_with_the_env_and_a_prompt_marker_and_exit_returns() {
    use std::io::Write;
    let env = ready_env();
    let mut child = env
        .std_pyve()
        .arg("shell")
        .env("SHELL", "/bin/sh")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(
            b"echo \"VE=$VIRTUAL_ENV\"; echo \"PS1=$PS1\"; echo \"PP=$PYVE_PROMPT\"; exit 7\n",
        )
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert_code(&out, 7);
    assert_contains(
        &stdout(&out),
        &[
            &format!("VE={}\n", env.p(".venv").display()),
            "PS1=(pyve:.venv) $ \n",
            "PP=(pyve:.venv) \n",
        ],
    );
    assert_contains(&stderr(&out), &["starting /bin/sh in .venv"]);
}

#[test]
fn pyve_shell_builds_a_missing_env_first_unless_frozen() {
    let env = TestEnv::new();
    env.pyenv_global("3.11.7");
    let out = env
        .pyve()
        .args(["shell", "--frozen"])
        .env("SHELL", "/bin/sh")
        .output()
        .unwrap();
    assert_code(&out, 3);
    assert_contains(
        &stderr(&out),
        &["no venv environment yet (.venv) and --frozen forbids creating it"],
    );

    let out = env
        .pyve()
        .arg("shell")
        .env("SHELL", "/bin/sh")
        .write_stdin("echo \"VE=$VIRTUAL_ENV\"\n")
        .output()
        .unwrap();
    assert_code(&out, 0);
    assert_contains(
        &stderr(&out),
        &["no environment yet (.venv): creating it first"],
    );
    assert_contains(
        &stdout(&out),
        &[&format!("VE={}\n", env.p(".venv").display())],
    );
}

const ENVRC_LINE: &str = r#"eval "$(pyve shell-hook -s bash)""#;

#[test]
fn init_direnv_writes_pyves_envrc_once_and_purge_removes_it_while_unchanged() {
    let env = ready_env();
    let out = env.pyve().args(["init", "--direnv"]).output().unwrap();
    assert_code(&out, 0);
    assert_contains(&stderr(&out), &["wrote .envrc", "direnv allow"]);
    let envrc = std::fs::read_to_string(env.p(".envrc")).unwrap();
    assert!(envrc.lines().any(|l| l == ENVRC_LINE), "{envrc}");
    assert!(envrc.starts_with("# Written by pyve"), "{envrc}");

    let out = env.pyve().args(["init", "--direnv"]).output().unwrap();
    assert_code(&out, 0);
    assert_contains(&stderr(&out), &[".envrc already activates the env"]);
    assert_eq!(std::fs::read_to_string(env.p(".envrc")).unwrap(), envrc);

    let out = env.pyve().args(["purge", "--yes"]).output().unwrap();
    assert_code(&out, 0);
    assert!(!env.p(".envrc").exists(), "pyve's unchanged .envrc goes");

    // Changed by the user: it is theirs now, and stays.
    let env = ready_env();
    assert_code(&env.pyve().args(["init", "--direnv"]).output().unwrap(), 0);
    let mine = format!("{envrc}export MINE=1\n");
    std::fs::write(env.p(".envrc"), &mine).unwrap();
    assert_code(&env.pyve().args(["purge", "--yes"]).output().unwrap(), 0);
    assert_eq!(std::fs::read_to_string(env.p(".envrc")).unwrap(), mine);
}

#[test]
fn init_direnv_never_overwrites_an_envrc_pyve_did_not_write() {
    let env = ready_env();
    env.write(".envrc", "export FOO=bar\n");
    let out = env.pyve().args(["init", "--direnv"]).output().unwrap();
    assert_code(&out, 0);
    assert_contains(
        &stderr(&out),
        &[
            ".envrc is not pyve's: left as it is, nothing written",
            &format!("hint: add this line to it: {ENVRC_LINE}"),
        ],
    );
    assert_eq!(
        std::fs::read_to_string(env.p(".envrc")).unwrap(),
        "export FOO=bar\n"
    );
    assert_code(&env.pyve().args(["purge", "--yes"]).output().unwrap(), 0);
    assert_eq!(
        std::fs::read_to_string(env.p(".envrc")).unwrap(),
        "export FOO=bar\n"
    );
}

#[test]
fn direnv_exec_sees_the_envs_prefix() {
    let Some(direnv) = on_base_path("direnv") else {
        skip(
            "direnv is not installed",
            "PATH to include direnv (apt-get install direnv)",
        );
        return;
    };
    let env = ready_env();
    assert_code(&env.pyve().args(["init", "--direnv"]).output().unwrap(), 0);
    // direnv's .envrc calls `pyve` by name: the binary under test first on PATH.
    let bin_dir = std::path::Path::new(env!("CARGO_BIN_EXE_pyve"))
        .parent()
        .unwrap()
        .to_path_buf();
    let path = format!("{}:{BASE_PATH}", bin_dir.display());
    let xdg = env.root.join("xdg");
    let run = |args: &[&str]| {
        std::process::Command::new(&direnv)
            .args(args)
            .current_dir(&env.project)
            .env_clear()
            .envs(env.base_env())
            .env("PATH", &path)
            .env("XDG_CONFIG_HOME", xdg.join("config"))
            .env("XDG_DATA_HOME", xdg.join("data"))
            .env("XDG_CACHE_HOME", xdg.join("cache"))
            .env("XDG_STATE_HOME", xdg.join("state"))
            .output()
            .unwrap()
    };
    let out = run(&["allow", "."]);
    assert!(out.status.success(), "direnv allow: {}", stderr(&out));
    let out = run(&[
        "exec",
        ".",
        "sh",
        "-c",
        "echo \"VE=$VIRTUAL_ENV\"; command -v python",
    ]);
    assert!(out.status.success(), "direnv exec: {}", stderr(&out));
    let ve = env.p(".venv").display().to_string();
    assert_contains(
        &stdout(&out),
        &[&format!("VE={ve}\n"), &format!("{ve}/bin/python\n")],
    );
}

#[test]
fn init_dotenv_creates_an_empty_private_env_file_ignored_by_git_and_purge_removes_it_empty() {
    use std::os::unix::fs::PermissionsExt;
    let env = ready_env();
    let out = env.pyve().args(["init", "--dotenv"]).output().unwrap();
    assert_code(&out, 0);
    assert_contains(&stderr(&out), &["created .env (empty, mode 0600"]);
    let meta = std::fs::metadata(env.p(".env")).unwrap();
    assert_eq!((meta.len(), meta.permissions().mode() & 0o777), (0, 0o600));
    let gi = std::fs::read_to_string(env.p(".gitignore")).unwrap();
    assert!(gi.lines().any(|l| l == "/.env"), "{gi}");

    // Not empty: kept, by init and by purge.
    std::fs::write(env.p(".env"), "TOKEN=1\n").unwrap();
    let out = env.pyve().args(["init", "--dotenv"]).output().unwrap();
    assert_code(&out, 0);
    assert_contains(&stderr(&out), &[".env is already there: left as it is"]);
    assert_code(&env.pyve().args(["purge", "--yes"]).output().unwrap(), 0);
    assert_eq!(std::fs::read_to_string(env.p(".env")).unwrap(), "TOKEN=1\n");

    let env = ready_env();
    assert_code(&env.pyve().args(["init", "--dotenv"]).output().unwrap(), 0);
    assert_code(&env.pyve().args(["purge", "--yes"]).output().unwrap(), 0);
    assert!(!env.p(".env").exists(), "an empty .env goes");
}

const PRINT_VARS: &str = "import os; print(os.environ.get('GREETING'), os.environ.get('MULTI'), os.environ['VIRTUAL_ENV'])";

#[test]
fn run_env_file_loads_dotenv_into_the_command_only() {
    let env = ready_env();
    env.write(
        "secrets.env",
        "# mine\nGREETING='hi there'\nexport MULTI=\"a b\"\nVIRTUAL_ENV=/not/this\nPATH=/nope\n",
    );
    let out = env
        .pyve()
        .args([
            "run",
            "--env-file",
            "secrets.env",
            "python",
            "-c",
            PRINT_VARS,
        ])
        .output()
        .unwrap();
    assert_code(&out, 0);
    let ve = env.p(".venv").display().to_string();
    assert_eq!(stdout(&out), format!("hi there a b {ve}\n"));

    // Without the flag nothing is loaded; with run.env_file in the config it is.
    let out = env
        .pyve()
        .args(["run", "python", "-c", PRINT_VARS])
        .output()
        .unwrap();
    assert_eq!(stdout(&out), format!("None None {ve}\n"));
    let config = std::fs::read_to_string(env.p(".pyve/config")).unwrap();
    env.write(
        ".pyve/config",
        &format!("{config}run:\n  env_file: secrets.env\n"),
    );
    let out = env
        .pyve()
        .args(["run", "python", "-c", PRINT_VARS])
        .output()
        .unwrap();
    assert_code(&out, 0);
    assert_eq!(stdout(&out), format!("hi there a b {ve}\n"));
    let out = env.pyve().args(["config"]).output().unwrap();
    assert!(
        stdout(&out)
            .lines()
            .any(|l| l.starts_with("run.env_file") && l.contains("secrets.env")),
        "{}",
        stdout(&out)
    );
}

#[test]
fn run_env_file_errors_point_at_the_file_and_line() {
    let env = ready_env();
    env.write(".env", "A=1\n\nthis is not dotenv\n");
    let out = env
        .pyve()
        .args(["run", "--env-file", ".env", "python", "-c", "pass"])
        .output()
        .unwrap();
    assert_code(&out, 2);
    assert_contains(
        &stderr(&out),
        &[".env:3:", "invalid dotenv line `this is not dotenv`"],
    );

    let out = env
        .pyve()
        .args(["run", "--env-file", "missing.env", "python", "-c", "pass"])
        .output()
        .unwrap();
    assert_code(&out, 2);
    assert_contains(
        &stderr(&out),
        &["missing.env: no such file", "pyve init --dotenv"],
    );

    let config = std::fs::read_to_string(env.p(".pyve/config")).unwrap();
    env.write(
        ".pyve/config",
        &format!("{config}run:\n  env_file: ../outside.env\n"),
    );
    let out = env
        .pyve()
        .args(["run", "python", "-c", "pass"])
        .output()
        .unwrap();
    assert_code(&out, 2);
    assert_contains(
        &stderr(&out),
        &[
            ".pyve/config:",
            "run.env_file `../outside.env` contains `..`",
        ],
    );
}

mod conda {
    use super::*;
    use crate::micromamba::{Kind, Mamba};

    /// The conda env's cached activation, evaluated by sh, is what `run` gives: its
    /// prefix, its activate.d variable, its bin first on PATH, no VIRTUAL_ENV.
    fn shell_hook_activates_the_conda_env_like_run(kind: Kind) {
        let Some(m) = Mamba::new(kind) else { return };
        assert_code(&m.pyve().arg("init").output().unwrap(), 0);
        let out = std::process::Command::new("/bin/sh")
            .args([
                "-c",
                r#"eval "$("$PYVE" shell-hook -s bash)" || exit 9
echo "CP=$CONDA_PREFIX"
echo "VE=${VIRTUAL_ENV-unset}"
echo "DEMO=${PYVE_DEMO_ACTIVATED-unset}"
echo "PY=$(command -v python)"
"$PYVE" run sh -c 'echo "RUNDEMO=${PYVE_DEMO_ACTIVATED-unset}"'"#,
            ])
            .current_dir(&m.env.project)
            .env_clear()
            .envs(m.env.base_env())
            .env("VIRTUAL_ENV", "/elsewhere/.venv")
            .env("PYVE", env!("CARGO_BIN_EXE_pyve"))
            .output()
            .unwrap();
        assert_code(&out, 0);
        let prefix = m.prefix().display().to_string();
        let text = stdout(&out);
        let demo = text
            .lines()
            .find_map(|l| l.strip_prefix("RUNDEMO="))
            .unwrap()
            .to_string();
        assert_ne!(demo, "unset", "the env's activate.d ran for run: {text}");
        assert_contains(
            &text,
            &[
                &format!("CP={prefix}\n"),
                "VE=unset\n",
                &format!("DEMO={demo}\n"),
                &format!("PY={prefix}/bin/python\n"),
            ],
        );
    }

    /// No cached activation: a shell cannot be set up (run falls back to `micromamba
    /// run`, a shell has nothing to fall back to).
    fn shell_hook_refuses_without_a_cached_activation(kind: Kind) {
        let Some(m) = Mamba::new(kind) else { return };
        assert_code(&m.pyve().arg("init").output().unwrap(), 0);
        let state = m.env.p(".pyve/state/demo.json");
        let mut rec: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&state).unwrap()).unwrap();
        rec["activation"] = serde_json::json!({"path_prepend": [], "set": {}});
        std::fs::write(&state, rec.to_string()).unwrap();
        let out = m
            .pyve()
            .args(["shell-hook", "-s", "fish"])
            .output()
            .unwrap();
        assert_code(&out, 3);
        assert!(stdout(&out).is_empty());
        assert_contains(
            &stderr(&out),
            &["no cached activation for demo", "pyve init --force"],
        );
    }

    macro_rules! both {
        ($($name:ident),*) => {$(
            mod $name {
                #[test]
                fn double() { super::$name(super::Kind::Double) }
                #[test]
                fn real() { super::$name(super::Kind::Real) }
            }
        )*};
    }
    both!(
        shell_hook_activates_the_conda_env_like_run,
        shell_hook_refuses_without_a_cached_activation
    );
}
