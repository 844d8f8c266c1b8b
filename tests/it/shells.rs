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
