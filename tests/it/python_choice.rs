//! The python a venv is asked for, as pyenv, asdf and uv users expect (docs/detection.md):
//! `PYENV_VERSION`, `.python-version` searched upwards, the project's and asdf's global
//! `.tool-versions`, `requires-python`, pyenv's `system`; and `pyve python show|pin|set`.
//! Against fake asdf/pyenv roots whose versions link to real pythons: the version
//! directory's name is what gets matched, so versions like `3.31.2` (which no host has
//! on PATH) keep the system's own pythons out of the answer.

use crate::common;

use common::*;
use serde_json::json;

fn request(env: &TestEnv) -> serde_json::Value {
    env.status_json(&[])["tool"]["request"].clone()
}

#[test]
fn pyenv_version_is_below_the_config_and_above_the_project_files() {
    let env = TestEnv::new();
    let py = system_python();
    env.fake_pyenv(&[("3.30.1", &py), ("3.31.2", &py)]);
    env.write(".tool-versions", "python 3.31.2\n");
    env.write(".python-version", "3.31\n");
    let with = |v: &str| {
        let out = env
            .pyve()
            .env("PYENV_VERSION", v)
            .args(["status", "--json"])
            .output()
            .unwrap();
        assert_code(&out, 0);
        serde_json::from_slice::<serde_json::Value>(&out.stdout).unwrap()
    };
    // pyenv's `3.30.1:3.31.2` selects several; the first is `python`.
    let s = with("3.30.1:3.31.2");
    assert_eq!(
        s["tool"]["request"],
        json!({"version": "3.30.1", "source": "PYENV_VERSION"})
    );
    assert_eq!(s["tool"]["version"], "3.30.1");
    env.write(".pyve/config", "python:\n  version: \"3.31\"\n");
    assert_eq!(with("3.30.1")["tool"]["request"]["source"], ".pyve/config");
    // An invalid one is refused like any invalid request.
    std::fs::remove_file(env.p(".pyve/config")).unwrap();
    let out = env
        .pyve()
        .env("PYENV_VERSION", "3.1x")
        .arg("status")
        .output()
        .unwrap();
    assert_code(&out, 2);
    assert_contains(
        &stderr(&out),
        &[
            "error: invalid configuration: PYENV_VERSION: python version `3.1x` is not one pyve understands",
        ],
    );
}

#[test]
fn python_version_is_found_upwards_and_named_with_its_path() {
    let env = TestEnv::new();
    let py = system_python();
    env.fake_pyenv(&[("3.30.1", &py), ("3.31.2", &py)]);
    // The project is a subdirectory of a directory pinned with pyenv local.
    let parent_pin = env.root.join(".python-version");
    std::fs::write(&parent_pin, "3.30\n").unwrap();
    env.write("requirements.txt", "");
    let s = env.status_json(&[]);
    assert_eq!(
        s["tool"]["request"],
        json!({"version": "3.30", "source": ".python-version"})
    );
    assert_eq!(s["tool"]["request_file"], parent_pin.to_str().unwrap());
    assert_eq!(s["tool"]["version"], "3.30.1");
    let out = env.pyve().arg("status").output().unwrap();
    assert_code(&out, 0);
    assert_contains(
        &stdout(&out),
        &[&format!("requested 3.30 by {}", parent_pin.display())],
    );
    // The project's own file is nearer and wins.
    env.write(".python-version", "3.31\n");
    let s = env.status_json(&[]);
    assert_eq!(s["tool"]["version"], "3.31.2");
    assert_eq!(
        s["tool"]["request_file"],
        env.p(".python-version").to_str().unwrap()
    );
}

#[test]
fn asdf_global_tool_versions_comes_after_the_project_files() {
    let env = TestEnv::new();
    let py = system_python();
    env.fake_asdf(&[("3.30.1", &py), ("3.31.2", &py)]);
    std::fs::write(
        env.home.join(".tool-versions"),
        "nodejs 20\npython 3.30.1\n",
    )
    .unwrap();
    assert_eq!(
        request(&env),
        json!({"version": "3.30.1", "source": "~/.tool-versions"})
    );
    assert_eq!(env.status_json(&[])["tool"]["place"], "asdf");
    env.write(".python-version", "3.31\n");
    assert_eq!(
        request(&env),
        json!({"version": "3.31", "source": ".python-version"})
    );
    env.write(".tool-versions", "python 3.31.2\n");
    assert_eq!(
        request(&env),
        json!({"version": "3.31.2", "source": ".tool-versions"})
    );
    // An invalid global file names itself.
    std::fs::remove_file(env.p(".tool-versions")).unwrap();
    std::fs::remove_file(env.p(".python-version")).unwrap();
    std::fs::write(env.home.join(".tool-versions"), "python  lts\n").unwrap();
    let out = env.pyve().arg("status").output().unwrap();
    assert_code(&out, 2);
    assert_contains(
        &stderr(&out),
        &[
            "error: invalid configuration: ~/.tool-versions:1:9: python version `lts` is not one pyve understands",
        ],
    );
}

/// pyenv's `system` means the python on PATH: every command works with it.
#[test]
fn pyenv_system_is_the_system_python() {
    let mut env = TestEnv::new();
    let py = system_python();
    env.fake_pyenv(&[("3.31.2", &py)]);
    std::fs::write(env.pyenv_root.join("version"), "3.31.2\n").unwrap();
    // A fast system python3 (its venvs have no pip), first on PATH.
    let sys_bin = env.root.join("sysbin");
    let real = shell_quote(py.as_os_str());
    write_executable(
        &sys_bin.join("python3"),
        &format!(
            "#!/bin/sh\nif [ \"$1\" = -m ] && [ \"$2\" = venv ]; then shift 2; exec {real} -m venv --without-pip \"$@\"; fi\nexec {real} \"$@\"\n"
        ),
    );
    env.path = format!("{}:{BASE_PATH}", sys_bin.display()).into();
    env.write(".python-version", "system\n");

    let s = env.status_json(&[]);
    assert_eq!(
        s["tool"]["request"],
        json!({"version": "system", "source": ".python-version"})
    );
    assert_eq!(s["tool"]["place"], "system");
    assert_eq!(s["tool"]["path"], sys_bin.join("python3").to_str().unwrap());
    let out = env.pyve().arg("status").output().unwrap();
    assert_code(&out, 0);
    assert_contains(
        &stdout(&out),
        &["`system` (the python on PATH) requested by .python-version"],
    );
    let out = env.pyve().args(["config", "--json"]).output().unwrap();
    assert_code(&out, 0);
    let c: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        c["values"]["python.version"],
        json!({"value": "system", "source": ".python-version"})
    );
    let out = env.pyve().arg("init").output().unwrap();
    assert_code(&out, 0);
    assert_contains(
        &stderr(&out),
        &[&format!(
            "Creating .venv with python {} ({}, system)",
            python_version(&py),
            sys_bin.join("python3").display()
        )],
    );
    let out = env
        .pyve()
        .args(["run", "python", "-c", "import sys; print(sys.prefix)"])
        .output()
        .unwrap();
    assert_code(&out, 0);
    assert_eq!(stdout(&out).trim(), env.p(".venv").to_str().unwrap());
    let out = env.pyve().args(["python", "show"]).output().unwrap();
    assert_code(&out, 0);
    assert_contains(
        &stdout(&out),
        &["`system` (the python on PATH) requested by .python-version"],
    );
}

fn pyproject(env: &TestEnv, requires: &str) {
    env.write(
        "pyproject.toml",
        &format!(
            "[project]\nname = \"demo\"\nversion = \"0.1\"\nrequires-python = \"{requires}\"\n"
        ),
    );
}

#[test]
fn requires_python_takes_the_newest_installed_python_that_satisfies_it() {
    let env = TestEnv::new();
    let py = system_python();
    env.fake_asdf(&[("3.30.5", &py)]);
    env.fake_pyenv(&[("3.29.9", &py), ("3.31.2", &py), ("3.32.0", &py)]);
    // pyenv's global version does not decide when requires-python speaks.
    std::fs::write(env.pyenv_root.join("version"), "3.29.9\n").unwrap();
    pyproject(&env, ">=3.30, <3.32");
    let s = env.status_json(&[]);
    let t = &s["tool"];
    assert_eq!(
        t["request"],
        json!({"version": ">=3.30, <3.32", "source": "requires-python"})
    );
    assert_eq!(
        (t["place"].as_str(), t["version"].as_str()),
        (Some("pyenv"), Some("3.31.2"))
    );
    assert_eq!(t["requires_python"], ">=3.30, <3.32");
    let outcome = |place: &str, v: &str| {
        tried(&s)
            .into_iter()
            .find(|(p, path, _)| p == place && path.contains(v))
            .map(|(_, _, o)| o)
            .unwrap()
    };
    assert_eq!(outcome("asdf", "3.30.5"), "a newer python was taken");
    assert_eq!(outcome("pyenv", "3.32.0"), "does not satisfy >=3.30, <3.32");
    assert_eq!(outcome("pyenv", "3.29.9"), "does not satisfy >=3.30, <3.32");
    let out = env.pyve().arg("status").output().unwrap();
    assert_contains(
        &stdout(&out),
        &[
            "3.31.2",
            "the newest satisfying requires-python `>=3.30, <3.32` (pyproject.toml)",
        ],
    );
    // show says the same, as JSON too.
    let out = env
        .pyve()
        .args(["python", "show", "--json"])
        .output()
        .unwrap();
    assert_code(&out, 0);
    let d: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(d["python"]["version"], "3.31.2");
    assert_eq!(d["request"]["source"], "requires-python");
    assert_eq!(d["requires_python"]["specifier"], ">=3.30, <3.32");
    assert_eq!(
        d["reason"],
        "the newest satisfying requires-python `>=3.30, <3.32` (pyproject.toml)"
    );
}

#[test]
fn a_pin_that_violates_requires_python_is_a_warning_naming_both() {
    let env = TestEnv::new();
    let py = system_python();
    env.fake_pyenv(&[("3.29.9", &py), ("3.31.2", &py)]);
    pyproject(&env, ">=3.30");
    env.write(".python-version", "3.29\n");
    let s = env.status_json(&[]);
    assert_eq!(s["tool"]["version"], "3.29.9", "the pin still decides");
    let warning = "python 3.29 (requested by .python-version) does not satisfy requires-python `>=3.30` in pyproject.toml";
    assert_eq!(s["tool"]["warnings"], json!([warning]));
    let out = env.pyve().arg("status").output().unwrap();
    assert_contains(&stdout(&out), &[warning]);
    // `-q` keeps it: it is a problem.
    let out = env.pyve().args(["status", "-q"]).output().unwrap();
    assert_contains(&stdout(&out), &[warning]);
    let out = env.pyve().args(["python", "show"]).output().unwrap();
    assert_contains(&stderr(&out), &[&format!("warning: {warning}")]);
    // A pin that satisfies it says nothing.
    env.write(".python-version", "3.31\n");
    assert_eq!(env.status_json(&[])["tool"].get("warnings"), None);
}

#[test]
fn requires_python_nothing_satisfies_names_the_pin_flag() {
    let env = TestEnv::new();
    let py = system_python();
    env.fake_pyenv(&[("3.31.2", &py)]);
    pyproject(&env, ">=3.90");
    let out = env.pyve().arg("init").output().unwrap();
    assert_code(&out, 3);
    assert_contains(
        &stderr(&out),
        &[
            "error: no python satisfying requires-python `>=3.90` (pyproject.toml) was found; found: 3.31.2 (pyenv)",
            "hint: install it with: pyenv install",
            "hint: or pin an installed python that satisfies it: `pyve init --python-version X.Y`",
        ],
    );
    assert!(!env.p(".venv").exists());
}

#[test]
fn an_invalid_requires_python_names_its_spot() {
    let env = TestEnv::new();
    pyproject(&env, "^3.10");
    let out = env.pyve().arg("status").output().unwrap();
    assert_code(&out, 2);
    assert_contains(
        &stderr(&out),
        &[
            "error: invalid configuration: pyproject.toml:4:19: invalid requires-python: `^3.10` has no operator",
            "hint: write a PEP 440 specifier, e.g. requires-python = \">=3.10\"",
        ],
    );
}

#[test]
fn pin_writes_python_version_atomically_and_show_reports_it() {
    let env = TestEnv::new();
    let py = system_python();
    env.fake_pyenv(&[("3.31.2", &py)]);
    let out = env.pyve().args(["python", "pin", "3.31"]).output().unwrap();
    assert_code(&out, 0);
    assert_contains(
        &stderr(&out),
        &["✓ pinned python 3.31 in .python-version (pyenv (and uv) read .python-version)"],
    );
    assert_eq!(
        std::fs::read_to_string(env.p(".python-version")).unwrap(),
        "3.31\n"
    );
    assert_eq!(
        list_dir(&env.project),
        [".python-version"],
        "a temp file was left"
    );
    // `set` is another name for `pin`; it says what it replaced.
    let out = env
        .pyve()
        .args(["python", "set", "3.31.2"])
        .output()
        .unwrap();
    assert_code(&out, 0);
    assert_contains(
        &stderr(&out),
        &["pinned python 3.31.2 in .python-version, was 3.31"],
    );
    let out = env.pyve().args(["python", "show"]).output().unwrap();
    assert_code(&out, 0);
    assert_contains(
        &stdout(&out),
        &[
            &format!("3.31.2  {} (pyenv)", env.pyenv_python("3.31.2").display()),
            "requested 3.31.2 by .python-version",
        ],
    );
    // A version nothing has: pinned all the same, with how to install it.
    let want = "3.35";
    let out = env.pyve().args(["python", "pin", want]).output().unwrap();
    assert_code(&out, 0);
    assert_contains(
        &stderr(&out),
        &[
            "warning: python 3.35 (requested by .python-version) was not found",
            "hint: install it with: pyenv install 3.35",
        ],
    );
    let out = env
        .pyve()
        .args(["python", "show", "--json"])
        .output()
        .unwrap();
    assert_code(&out, 3);
    let d: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(d["python"], json!(null));
    assert_contains(
        d["error"].as_str().unwrap(),
        &["python 3.35 (requested by .python-version) was not found"],
    );
    // An invalid version is refused before anything is written.
    let out = env.pyve().args(["python", "pin", "3.1x"]).output().unwrap();
    assert_code(&out, 2);
    assert_contains(
        &stderr(&out),
        &[
            "error: invalid python version `3.1x`: expected a version like 3.11 or 3.11.7, or `system`",
        ],
    );
    assert_eq!(
        std::fs::read_to_string(env.p(".python-version")).unwrap(),
        "3.35\n"
    );
}

#[test]
fn pin_writes_tool_versions_in_an_asdf_project_and_says_what_overrides_it() {
    let env = TestEnv::new();
    let py = system_python();
    env.fake_asdf(&[("3.31.2", &py)]);
    env.write(".tool-versions", "nodejs 20.1.0\npython 3.30.1 # old\n");
    let out = env
        .pyve()
        .args(["python", "pin", "3.31.2"])
        .output()
        .unwrap();
    assert_code(&out, 0);
    assert_contains(
        &stderr(&out),
        &[
            "pinned python 3.31.2 in .tool-versions, was 3.30.1 (the project's .tool-versions pins python (asdf))",
        ],
    );
    assert_eq!(
        std::fs::read_to_string(env.p(".tool-versions")).unwrap(),
        "nodejs 20.1.0\npython 3.31.2 # old\n"
    );
    // asdf installed and pyenv not: a new project gets .tool-versions too.
    std::fs::remove_file(env.p(".tool-versions")).unwrap();
    let out = env.pyve().args(["python", "pin", "3.31"]).output().unwrap();
    assert_code(&out, 0);
    assert_contains(
        &stderr(&out),
        &["in .tool-versions (asdf is installed and pyenv is not)"],
    );
    assert_eq!(
        std::fs::read_to_string(env.p(".tool-versions")).unwrap(),
        "python 3.31\n"
    );
    // A config value above the file still decides, and pin says so.
    env.write(".pyve/config", "python:\n  version: \"3.30\"\n");
    let out = env
        .pyve()
        .args(["python", "pin", "3.31.2"])
        .output()
        .unwrap();
    assert_code(&out, 0);
    assert_contains(
        &stderr(&out),
        &["warning: .pyve/config still decides: it asks for 3.30, above .tool-versions"],
    );
}

#[test]
fn pin_refuses_a_symlinked_target() {
    let env = TestEnv::new();
    let elsewhere = env.root.join("shared-python-version");
    std::fs::write(&elsewhere, "3.30\n").unwrap();
    std::os::unix::fs::symlink(&elsewhere, env.p(".python-version")).unwrap();
    let out = env.pyve().args(["python", "pin", "3.31"]).output().unwrap();
    assert_code(&out, 2);
    assert_contains(
        &stderr(&out),
        &[
            &format!(
                "error: refusing to write .python-version: it is a symlink (to {}), and pyve never writes through one",
                elsewhere.display()
            ),
            "hint: replace the link with a regular file",
        ],
    );
    assert_eq!(std::fs::read_to_string(&elsewhere).unwrap(), "3.30\n");
    assert!(
        env.p(".python-version")
            .symlink_metadata()
            .unwrap()
            .file_type()
            .is_symlink()
    );
}

/// A fake `pyenv` on PATH whose `install V` makes `$PYENV_ROOT/versions/V.0` (a python
/// that builds venvs without pip, so the test stays fast), or fails when told to.
fn fake_pyenv_installer(env: &mut TestEnv, fail: bool) -> std::path::PathBuf {
    let real = shell_quote(system_python().as_os_str());
    let fast = env.root.join("fastpy");
    write_executable(
        &fast,
        &format!(
            "#!/bin/sh\nif [ \"$1\" = -m ] && [ \"$2\" = venv ]; then shift 2; exec {real} -m venv --without-pip \"$@\"; fi\nexec {real} \"$@\"\n"
        ),
    );
    let log = env.root.join("pyenv-calls");
    let bin = env.root.join("tools");
    let body = if fail {
        "echo 'BUILD FAILED (no compiler)' >&2; exit 1".to_string()
    } else {
        format!(
            "d=\"$PYENV_ROOT/versions/$2.0/bin\"; mkdir -p \"$d\" && ln -s {} \"$d/python3\" && echo \"Installed Python-$2.0 to $PYENV_ROOT/versions/$2.0\"",
            shell_quote(fast.as_os_str())
        )
    };
    write_executable(
        &bin.join("pyenv"),
        &format!(
            "#!/bin/sh\necho \"$@\" >> {}\n{body}\n",
            shell_quote(log.as_os_str())
        ),
    );
    env.path = format!("{}:{BASE_PATH}", bin.display()).into();
    log
}

#[test]
fn install_python_installs_the_missing_version_then_builds_the_venv() {
    let mut env = TestEnv::new();
    std::fs::create_dir_all(env.pyenv_root.join("versions")).unwrap();
    let log = fake_pyenv_installer(&mut env, false);
    env.write(".python-version", "3.31\n");
    // Without the flag: the error, and nothing installed.
    let out = env.pyve().arg("init").output().unwrap();
    assert_code(&out, 3);
    assert!(!log.exists(), "pyenv was run without --install-python");
    let out = env
        .pyve()
        .args(["init", "--install-python"])
        .output()
        .unwrap();
    assert_code(&out, 0);
    let err = stderr(&out);
    assert_contains(
        &err,
        &[
            "python 3.31 (requested by .python-version) was not found",
            "installing it: pyenv install 3.31",
            "Installed Python-3.31.0",
            &format!(
                "Creating .venv with python 3.31.0 ({}, pyenv)",
                env.pyenv_python("3.31.0").display()
            ),
        ],
    );
    assert_eq!(std::fs::read_to_string(&log).unwrap(), "install 3.31\n");
    assert!(env.p(".venv/pyvenv.cfg").is_file());
    // Ready now: a second init neither installs nor builds.
    let out = env
        .pyve()
        .args(["init", "--install-python"])
        .output()
        .unwrap();
    assert_code(&out, 0);
    assert_contains(&stderr(&out), &["reused, nothing to do"]);
    assert_eq!(std::fs::read_to_string(&log).unwrap(), "install 3.31\n");
}

#[test]
fn install_python_failures_say_what_to_do() {
    let mut env = TestEnv::new();
    std::fs::create_dir_all(env.pyenv_root.join("versions")).unwrap();
    fake_pyenv_installer(&mut env, true);
    env.write(".python-version", "3.31\n");
    let out = env
        .pyve()
        .args(["init", "--install-python"])
        .output()
        .unwrap();
    assert_code(&out, 1);
    assert_contains(
        &stderr(&out),
        &[
            "BUILD FAILED (no compiler)",
            "error: installing python failed",
            "; run its command yourself to see why",
            "hint: run `pyenv install 3.31`",
        ],
    );
    assert!(!env.p(".venv").exists());
    // No pyenv binary at all.
    env.path = BASE_PATH.into();
    let out = env
        .pyve()
        .args(["init", "--install-python"])
        .output()
        .unwrap();
    assert_code(&out, 3);
    assert_contains(
        &stderr(&out),
        &["error: --install-python: `pyenv` is not on PATH (nor in its install directory)"],
    );
}

#[test]
fn without_a_request_the_reason_is_where_the_python_was_found() {
    let env = TestEnv::new();
    let py = system_python();
    env.fake_pyenv(&[("3.31.2", &py)]);
    std::fs::write(env.pyenv_root.join("version"), "3.31.2\n").unwrap();
    let out = env.pyve().arg("status").output().unwrap();
    assert_code(&out, 0);
    assert_contains(
        &stdout(&out),
        &[
            "3.31.2",
            "(pyenv), pyenv's global version (nothing requests one)",
        ],
    );
    std::fs::remove_file(env.pyenv_root.join("version")).unwrap();
    let out = env
        .pyve()
        .args(["python", "show", "--json"])
        .output()
        .unwrap();
    assert_code(&out, 0);
    let d: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(d["request"], json!(null));
    assert_eq!(d["python"]["place"], "system");
    assert_eq!(d["reason"], "python3 on PATH (nothing requests a version)");
}
