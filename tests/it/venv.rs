//! Real venvs built by real Pythons (`pyve init`): creation with the
//! resolved python, requirements installed with no index, the state file, a reuse that
//! spawns nothing, a changed spec (update) or python (rebuild), a venv pyve did not
//! make, and a pyproject-only project installed editable.
//!
//! Venvs that need pip are built with pip (~2 s each); the others come from a pyenv
//! "version" that wraps a real python and passes `--without-pip` (~50 ms).

use crate::common;

use std::path::Path;

use common::*;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

fn sha256_hex(path: &Path) -> String {
    let bytes = std::fs::read(path).unwrap();
    Sha256::digest(&bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn state(env: &TestEnv) -> Value {
    serde_json::from_slice(&std::fs::read(env.p(".pyve/state/venv.json")).unwrap()).unwrap()
}

fn mtime(p: &Path) -> std::time::SystemTime {
    std::fs::metadata(p).unwrap().modified().unwrap()
}

/// `pyve run python -c CODE`, which must succeed; its stdout.
fn run_python(env: &TestEnv, code: &str) -> String {
    let out = env
        .pyve()
        .args(["run", "python", "-c", code])
        .output()
        .unwrap();
    assert_code(&out, 0);
    stdout(&out)
}

#[test]
fn init_builds_the_venv_installs_requirements_reuses_it_and_updates_it() {
    let env = TestEnv::new();
    let py = system_python();
    // What the venv really runs: the system python behind the fake pyenv versions.
    let built = python_version(&py);
    env.fake_pyenv(&[("3.11.7", &py), ("3.12.1", &py)]);
    env.write(".python-version", "3.11\n");
    env.wheel("wheels", "pkga", "0.1", "VALUE = 'from pkga'\n");
    env.wheel("wheels", "pkgb", "0.2", "VALUE = 'from pkgb'\n");
    env.write("requirements.txt", "./wheels/pkga-0.1-py3-none-any.whl\n");

    // --- create
    let out = env.pyve().arg("init").output().unwrap();
    assert_code(&out, 0);
    let err = stderr(&out);
    let base = env.pyenv_python("3.11.7");
    assert_contains(
        &err,
        &[
            "backend venv — from requirements.txt",
            &format!(
                "Creating .venv with python 3.11.7 ({}, pyenv) — no environment yet",
                base.display()
            ),
            "» create .venv with python 3.11.7",
            "» install requirements.txt",
            "Successfully installed pkga-0.1",
            "✓ .venv created in",
            &format!("(python {built}); run commands with `pyve run CMD`"),
        ],
    );
    // Built by the python that was resolved.
    let cfg = std::fs::read_to_string(env.p(".venv/pyvenv.cfg")).unwrap();
    assert_contains(
        &cfg,
        &[&format!("home = {}", base.parent().unwrap().display())],
    );

    // The state file, written last; no creation marker left behind.
    let s = state(&env);
    let venv = env.p(".venv");
    assert_eq!(s["schema"], 1);
    assert_eq!(s["backend"], "venv");
    assert_eq!(s["env_name"], ".venv");
    assert_eq!(s["prefix"], venv.to_str().unwrap());
    assert_eq!(
        s["tool"],
        json!({"kind": "python", "path": base.to_str().unwrap(), "version": "3.11.7"})
    );
    assert_eq!(
        s["python"],
        json!({"path": venv.join("bin/python").to_str().unwrap(), "version": built})
    );
    assert_eq!(
        s["inputs"],
        json!({
            "file:requirements.txt": sha256_hex(&env.p("requirements.txt")),
            "python": "3.11",
        })
    );
    assert_eq!(
        s["activation"]["path_prepend"],
        json!([venv.join("bin").to_str().unwrap()])
    );
    assert_eq!(
        s["activation"]["set"],
        json!({"VIRTUAL_ENV": venv.to_str().unwrap()})
    );
    assert_eq!(list_dir(&env.p(".pyve/state")), vec!["venv.json"]);
    // Written because it was absent; the backend came from the spec files, so it is
    // not pinned (docs/decisions/0004).
    let config = std::fs::read_to_string(env.p(".pyve/config")).unwrap();
    assert!(
        config.starts_with("# pyve project configuration"),
        "{config}"
    );
    assert!(!config.contains("\nbackend:"), "{config}");
    assert!(
        std::fs::read_to_string(env.p(".gitignore"))
            .unwrap()
            .contains("# >>> pyve >>>")
    );
    assert!(env.p(".venv/.gitignore").is_file());
    let st = env.status_json(&[]);
    assert_eq!(st["env"]["state"], "ready");
    assert_eq!(st["env"]["python_version"], built.as_str());

    // The requirement is importable inside the env.
    assert_eq!(
        run_python(&env, "import pkga, sys; print(pkga.VALUE, sys.prefix)"),
        format!("from pkga {}\n", venv.display())
    );

    // --- reuse: says so, changes nothing, spawns nothing.
    let cfg_mtime = mtime(&env.p(".venv/pyvenv.cfg"));
    let state_bytes = std::fs::read(env.p(".pyve/state/venv.json")).unwrap();
    let strace = ["/usr/bin/strace", "/bin/strace"]
        .into_iter()
        .find(|p| Path::new(p).exists());
    let out = match strace {
        Some(strace) => {
            let log = env.root.join("execve.log");
            let pyve = env!("CARGO_BIN_EXE_pyve");
            let mut traced = std::process::Command::new(strace);
            traced
                .args(["-f", "-qq", "-e", "trace=execve", "-o"])
                .arg(&log)
                .arg(pyve)
                .arg("init")
                .env_clear()
                .envs(env.base_env())
                .current_dir(&env.project);
            let out = traced.output().unwrap();
            let execs: Vec<String> = std::fs::read_to_string(&log)
                .unwrap()
                .lines()
                .filter(|l| l.contains("execve("))
                .map(str::to_string)
                .collect();
            assert_eq!(
                execs.len(),
                1,
                "a reuse must spawn nothing, but these ran: {execs:#?}"
            );
            assert!(execs[0].contains(pyve), "{execs:?}");
            out
        }
        None => {
            skip(
                "strace is not installed: proving the reuse by its message and unchanged files only",
                "PATH to include strace (apt-get install strace)",
            );
            env.pyve().arg("init").output().unwrap()
        }
    };
    assert_code(&out, 0);
    assert_contains(
        &stderr(&out),
        &[&format!(
            "✓ .venv is ready (python {built}): reused, nothing to do"
        )],
    );
    assert!(!stderr(&out).contains("»"), "a step ran: {}", stderr(&out));
    assert_eq!(mtime(&env.p(".venv/pyvenv.cfg")), cfg_mtime);
    assert_eq!(
        std::fs::read(env.p(".pyve/state/venv.json")).unwrap(),
        state_bytes
    );

    // --- a changed requirements.txt: stale; `run --no-sync` warns once and runs; init
    // updates (a plain `run` would update first: tests/it/run_sync.rs).
    env.write(
        "requirements.txt",
        "./wheels/pkga-0.1-py3-none-any.whl\n./wheels/pkgb-0.2-py3-none-any.whl\n",
    );
    let st = env.status_json(&[]);
    assert_eq!(st["env"]["state"], "stale");
    assert_eq!(st["env"]["reason"], "requirements.txt changed");
    let out = env
        .pyve()
        .args(["run", "--no-sync", "python", "-c", "print('still runs')"])
        .output()
        .unwrap();
    assert_code(&out, 0);
    assert_eq!(stdout(&out), "still runs\n");
    let err = stderr(&out);
    assert_eq!(
        err,
        "warning: requirements.txt changed since .venv was built; running anyway — `pyve init` updates it\n"
    );

    let out = env.pyve().arg("init").output().unwrap();
    assert_code(&out, 0);
    assert_contains(
        &stderr(&out),
        &[
            "Updating .venv — requirements.txt changed",
            "» install requirements.txt",
            "Successfully installed pkgb-0.2",
            "✓ .venv updated in",
        ],
    );
    assert!(
        !stderr(&out).contains("» create"),
        "an update must not rebuild"
    );
    assert_eq!(mtime(&env.p(".venv/pyvenv.cfg")), cfg_mtime);
    assert_eq!(
        run_python(&env, "import pkga, pkgb; print(pkga.VALUE, pkgb.VALUE)"),
        "from pkga from pkgb\n"
    );
    assert_eq!(env.status_json(&[])["env"]["state"], "ready");
    assert_eq!(
        state(&env)["inputs"]["file:requirements.txt"],
        sha256_hex(&env.p("requirements.txt"))
    );
}

#[test]
fn a_failing_requirement_fails_init_and_leaves_the_env_unusable() {
    let env = TestEnv::new();
    env.write("requirements.txt", "nonexistent-pkg-xyz==1.0\n");
    // -q: the task's output is held back and shown because the task failed.
    let out = env.pyve().args(["-q", "init"]).output().unwrap();
    assert_code(&out, 1);
    let err = stderr(&out);
    assert_contains(
        &err,
        &[
            "» install requirements.txt",
            "No matching distribution found for nonexistent-pkg-xyz==1.0",
            "error: install requirements.txt failed (exit status 1)",
            ".venv is left incomplete; the next init rebuilds it\nhint: run `pyve init`",
        ],
    );
    assert!(
        !err.contains("Creating .venv"),
        "-q shows no progress: {err}"
    );
    assert!(!env.p(".pyve/state/venv.json").exists());

    let st = env.status_json(&[]);
    assert_eq!(st["env"]["state"], "incomplete");
    assert_eq!(
        st["env"]["reason"],
        "a previous `pyve init` did not finish building it"
    );
    let out = env
        .pyve()
        .args(["run", "--no-sync", "python", "-c", "pass"])
        .output()
        .unwrap();
    assert_code(&out, 3);
    assert_eq!(
        stderr(&out),
        "error: the venv environment .venv is incomplete: a previous `pyve init` did not finish building it; `pyve init` rebuilds it\nhint: run `pyve init`\n"
    );
}

#[test]
fn a_changed_python_request_rebuilds_the_venv_with_the_new_python() {
    // Two real Pythons of different minor versions: the system one and a pyenv one of
    // this machine (read only), whichever versions they are.
    let system = python_version(&system_python());
    let old = minor_of(&system);
    let Some((other, other_python)) = host_pyenv_python_other_than(&old) else {
        skip(
            &format!(
                "no pyenv python other than {old} on this machine (a second real python is needed)"
            ),
            "PYENV_ROOT to a pyenv root with a second python version",
        );
        return;
    };
    let new = minor_of(&other);
    let env = TestEnv::new();
    env.pyenv_wrapper(&system, &system_python(), &Wrapper::default());
    env.pyenv_wrapper(&other, &other_python, &Wrapper::default());
    env.write(".python-version", &format!("{old}\n"));
    let out = env.pyve().arg("init").output().unwrap();
    assert_code(&out, 0);
    let minor_now = "import sys; print('%d.%d' % sys.version_info[:2])";
    assert_eq!(run_python(&env, minor_now), format!("{old}\n"));
    env.write(".venv/left-by-the-old-venv", "");

    env.write(".python-version", &format!("{new}\n"));
    let st = env.status_json(&[]);
    assert_eq!(st["env"]["state"], "stale");
    let changed = format!("python changed ({old} → {new})");
    assert_eq!(st["env"]["reason"], changed.as_str());
    let out = env.pyve().arg("init").output().unwrap();
    assert_code(&out, 0);
    assert_contains(
        &stderr(&out),
        &[
            &format!(
                "Rebuilding .venv with python {other} ({}, pyenv) — {changed}",
                env.pyenv_python(&other).display()
            ),
            "✓ .venv rebuilt in",
            &format!("(python {other})"),
        ],
    );
    assert!(!env.p(".venv/left-by-the-old-venv").exists());
    assert_eq!(run_python(&env, minor_now), format!("{new}\n"));
    let s = state(&env);
    assert_eq!(s["tool"]["version"], other.as_str());
    assert_eq!(s["python"]["version"], other.as_str());
    assert_eq!(s["inputs"]["python"], new.as_str());
}

#[test]
fn a_venv_pyve_did_not_make_is_never_deleted_even_forced() {
    let env = TestEnv::new();
    env.pyenv_global("3.11.7");
    env.foreign_venv(".venv");
    env.write(".venv/user-file", "mine");

    let out = env.pyve().arg("init").output().unwrap();
    assert_code(&out, 2);
    assert_contains(
        &stderr(&out),
        &[
            "error: .venv was made by python -m venv, not by pyve (`pyve run` uses it as it is; `pyve init --adopt` takes it over when it fits the spec); pyve will not delete or build over what it did not make here. Remove it yourself if you no longer need it (its contents are lost), or point pyve at another directory\nhint: set `venv.directory` in .pyve/config",
        ],
    );
    assert!(env.p(".venv/user-file").exists());
    assert!(!env.p(".pyve/state").exists());

    // Not managed by pyve: status, doctor and run: tests/it/existing_venvs.rs.
    assert_eq!(env.status_json(&[])["env"]["state"], "unmanaged");

    // --force does not delete what pyve did not make either.
    let out = env.pyve().args(["init", "--force"]).output().unwrap();
    assert_code(&out, 2);
    assert_contains(
        &stderr(&out),
        &["pyve will not delete or build over what it did not make here"],
    );
    assert_eq!(
        std::fs::read_to_string(env.p(".venv/user-file")).unwrap(),
        "mine"
    );

    // The user removes it; pyve builds its own.
    std::fs::remove_dir_all(env.p(".venv")).unwrap();
    let out = env.pyve().arg("init").output().unwrap();
    assert_code(&out, 0);
    assert_eq!(env.status_json(&[])["env"]["state"], "ready");

    // --force on a ready env rebuilds it too.
    env.write(".venv/marker", "");
    let out = env.pyve().args(["init", "--force"]).output().unwrap();
    assert_code(&out, 0);
    assert_contains(&stderr(&out), &["— --force", "✓ .venv rebuilt in"]);
    assert!(!env.p(".venv/marker").exists());
}

/// A PEP 517 backend that lives in the project (`backend-path`) and needs nothing
/// from an index, so `pip install -e .` works offline with build isolation on.
pub const TINY_BACKEND: &str = r#"
import base64, hashlib, os, zipfile

NAME, VERSION = "epkg", "0.1.0"
DIST = f"{NAME}-{VERSION}"
INFO = f"{DIST}.dist-info"

def _wheel(wheel_directory, files):
    files = dict(files)
    files[f"{INFO}/METADATA"] = f"Metadata-Version: 2.1\nName: {NAME}\nVersion: {VERSION}\n"
    files[f"{INFO}/WHEEL"] = "Wheel-Version: 1.0\nGenerator: tiny\nRoot-Is-Purelib: true\nTag: py3-none-any\n"
    name = f"{DIST}-py3-none-any.whl"
    record = []
    with zipfile.ZipFile(os.path.join(wheel_directory, name), "w") as z:
        for path, text in files.items():
            data = text.encode()
            z.writestr(path, data)
            digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
            record.append(f"{path},sha256={digest},{len(data)}")
        record.append(f"{INFO}/RECORD,,")
        z.writestr(f"{INFO}/RECORD", "\n".join(record) + "\n")
    return name

def build_editable(wheel_directory, config_settings=None, metadata_directory=None):
    return _wheel(wheel_directory, {"_epkg_editable.pth": os.path.abspath("src") + "\n"})

def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    with open(os.path.join("src", NAME, "__init__.py")) as f:
        return _wheel(wheel_directory, {f"{NAME}/__init__.py": f.read()})

def build_sdist(sdist_directory, config_settings=None):
    raise NotImplementedError("no sdists in tests")
"#;

#[test]
fn a_pyproject_only_project_is_installed_editable_with_install_deps() {
    let env = TestEnv::new();
    env.write(
        "pyproject.toml",
        "[build-system]\nrequires = []\nbuild-backend = \"tiny_backend\"\nbackend-path = [\"_build\"]\n\n[project]\nname = \"epkg\"\nversion = \"0.1.0\"\n",
    );
    env.write("_build/tiny_backend.py", TINY_BACKEND);
    env.write("src/epkg/__init__.py", "X = 1\n");

    let out = env
        .pyve()
        .args(["init", "--install-deps"])
        .output()
        .unwrap();
    assert_code(&out, 0);
    assert_contains(
        &stderr(&out),
        &[
            "backend venv — from pyproject.toml",
            "» install the project (pip install -e .)",
            "Successfully installed epkg-0.1.0",
            "✓ .venv created in",
        ],
    );
    assert_eq!(run_python(&env, "import epkg; print(epkg.X)"), "1\n");
    // Editable: an edit to the source shows without reinstalling.
    env.write("src/epkg/__init__.py", "X = 2\n");
    assert_eq!(run_python(&env, "import epkg; print(epkg.X)"), "2\n");
    // pyproject.toml is now an input of the env.
    let s = state(&env);
    assert_eq!(
        s["inputs"]["file:pyproject.toml"],
        sha256_hex(&env.p("pyproject.toml"))
    );
    // A second init keeps it installed and reuses.
    let out = env.pyve().arg("init").output().unwrap();
    assert_code(&out, 0);
    assert_contains(&stderr(&out), &["reused, nothing to do"]);
}

#[test]
fn a_pyproject_only_project_is_not_installed_unasked_and_init_says_how() {
    let env = TestEnv::new();
    env.pyenv_global("3.11.7");
    env.write(
        "pyproject.toml",
        "[project]\nname = \"p\"\nversion = \"0.1\"\n",
    );
    let out = env.pyve().arg("init").output().unwrap();
    assert_code(&out, 0);
    let err = stderr(&out);
    assert_contains(
        &err,
        &[
            "hint: the project itself was not installed; `pyve init --install-deps` installs it (`pip install -e .`)",
            "✓ .venv created in",
        ],
    );
    assert!(!err.contains("pip install -e .)"), "{err}");
    assert_eq!(state(&env)["inputs"].get("file:pyproject.toml"), None);
}

#[test]
fn a_poetry_project_gets_a_hint_naming_poetry_instead_of_pip() {
    let env = TestEnv::new();
    env.pyenv_global("3.11.7");
    env.write(
        "pyproject.toml",
        "[tool.poetry]\nname = \"p\"\nversion = \"0.1.0\"\n\n[tool.poetry.dependencies]\npython = \"^3.11\"\n",
    );
    env.write("poetry.lock", "");
    let out = env
        .pyve()
        .args(["init", "--install-deps"])
        .output()
        .unwrap();
    assert_code(&out, 0);
    let err = stderr(&out);
    assert_contains(
        &err,
        &[
            "hint: this project is managed by poetry (poetry.lock / [tool.poetry]): install its dependencies with `poetry install`",
        ],
    );
    assert!(!err.contains("» install"), "pip must not run: {err}");
}

#[test]
fn no_install_deps_skips_requirements_and_says_so() {
    let env = TestEnv::new();
    env.pyenv_global("3.11.7");
    // pip would fail on this with no index: it must not run.
    env.write("requirements.txt", "nonexistent-pkg-xyz==1.0\n");
    let out = env
        .pyve()
        .args(["init", "--no-install-deps"])
        .output()
        .unwrap();
    assert_code(&out, 0);
    let err = stderr(&out);
    assert_contains(
        &err,
        &[
            "hint: requirements.txt not installed (--no-install-deps)",
            "✓ .venv created in",
        ],
    );
    assert!(!err.contains("» install"), "{err}");
    // `run` and `status` accept the env as built; a plain `init` does not pass it off
    // as one with requirements.txt installed: it installs them (here: and fails).
    assert_eq!(env.status_json(&[])["env"]["state"], "ready");
    let out = env
        .pyve()
        .args(["init", "--no-install-deps"])
        .output()
        .unwrap();
    assert_code(&out, 0);
    assert_contains(&stderr(&out), &["reused, nothing to do"]);
    let out = env.pyve().arg("init").output().unwrap();
    assert_code(&out, 1);
    assert_contains(
        &stderr(&out),
        &[
            "Updating .venv — requirements.txt was not installed (--no-install-deps)",
            "» install requirements.txt",
        ],
    );
    // The two install flags exclude each other.
    let out = env
        .pyve()
        .args(["init", "--install-deps", "--no-install-deps"])
        .output()
        .unwrap();
    assert_code(&out, 2);
    assert_contains(&stderr(&out), &["cannot be used with"]);
}

#[test]
fn a_configured_venv_directory_is_used_everywhere() {
    let env = TestEnv::new();
    env.pyenv_global("3.11.7");
    env.write(".pyve/config", "venv:\n  directory: envs/main\n");
    let out = env.pyve().arg("init").output().unwrap();
    assert_code(&out, 0);
    assert_contains(
        &stderr(&out),
        &[
            "Creating envs/main with python 3.11.7",
            "✓ envs/main created in",
        ],
    );
    assert!(env.p("envs/main/pyvenv.cfg").is_file());
    assert!(!env.p(".venv").exists());
    let st = env.status_json(&[]);
    assert_eq!(st["env"]["name"], "envs/main");
    assert_eq!(st["env"]["path"], env.p("envs/main").to_str().unwrap());
    assert_eq!(st["env"]["state"], "ready");
    assert_eq!(
        run_python(
            &env,
            "import os, sys; print(sys.prefix == os.environ['VIRTUAL_ENV'], sys.prefix)"
        ),
        format!("True {}\n", env.p("envs/main").display())
    );
    // The config says so; init did not rewrite it.
    assert_eq!(
        std::fs::read_to_string(env.p(".pyve/config")).unwrap(),
        "venv:\n  directory: envs/main\n"
    );
}

#[test]
fn a_venv_whose_base_python_is_gone_is_rebuilt_with_another() {
    let env = TestEnv::new();
    env.pyenv_wrapper("3.11.7", &system_python(), &Wrapper::default());
    env.write(".python-version", "3.11\n");
    let out = env.pyve().arg("init").output().unwrap();
    assert_code(&out, 0);
    // pyenv uninstall 3.11.7, pyenv install 3.11.8
    std::fs::remove_dir_all(env.pyenv_root.join("versions/3.11.7")).unwrap();
    env.pyenv_wrapper("3.11.8", &system_python(), &Wrapper::default());

    let venv_python = env.p(".venv/bin/python");
    let reason = format!("its python ({}) is gone", venv_python.display());
    let st = env.status_json(&[]);
    assert_eq!(st["env"]["state"], "incomplete");
    assert_eq!(st["env"]["reason"], reason.as_str());
    let out = env
        .pyve()
        .args(["run", "--no-sync", "python", "-c", "pass"])
        .output()
        .unwrap();
    assert_code(&out, 3);
    assert_eq!(
        stderr(&out),
        format!(
            "error: the venv environment .venv is incomplete: {reason}; `pyve init` rebuilds it\nhint: run `pyve init`\n"
        )
    );
    let out = env.pyve().arg("init").output().unwrap();
    assert_code(&out, 0);
    assert_contains(
        &stderr(&out),
        &[&format!(
            "Rebuilding .venv with python 3.11.8 ({}, pyenv) — {reason}",
            env.pyenv_python("3.11.8").display()
        )],
    );
    assert_eq!(state(&env)["tool"]["version"], "3.11.8");
    assert_eq!(run_python(&env, "print('back')"), "back\n");
}

#[test]
fn a_corrupt_state_file_is_never_trusted() {
    let env = TestEnv::new();
    env.pyenv_global("3.11.7");
    let out = env.pyve().arg("init").output().unwrap();
    assert_code(&out, 0);
    std::fs::write(
        env.p(".pyve/state/venv.json"),
        "{\"schema\": 1, \"backend\": ",
    )
    .unwrap();
    let st = env.status_json(&[]);
    assert_eq!(st["env"]["state"], "incomplete");
    let reason = st["env"]["reason"].as_str().unwrap().to_string();
    // The file as the project shows it, then serde's words with their place.
    assert!(
        reason.starts_with("its state file .pyve/state/venv.json is unreadable (")
            && reason.contains("at line 1 column"),
        "{reason}"
    );
    let out = env
        .pyve()
        .args(["run", "--no-sync", "python", "-c", "pass"])
        .output()
        .unwrap();
    assert_code(&out, 3);
    assert_contains(
        &stderr(&out),
        &[
            "is incomplete: its state file .pyve/state/venv.json is unreadable (",
            "`pyve init` rebuilds it",
        ],
    );
    // pyve made it (its state file says so, however garbled): rebuilt without --force.
    let out = env.pyve().arg("init").output().unwrap();
    assert_code(&out, 0);
    assert_contains(
        &stderr(&out),
        &[
            "Rebuilding .venv",
            "— its state file .pyve/state/venv.json is unreadable (",
        ],
    );
    assert_eq!(env.status_json(&[])["env"]["state"], "ready");

    // A state file describing another place is not this env's.
    let mut s = state(&env);
    s["prefix"] = serde_json::Value::String("/elsewhere/.venv".into());
    std::fs::write(env.p(".pyve/state/venv.json"), s.to_string()).unwrap();
    let st = env.status_json(&[]);
    assert_eq!(st["env"]["state"], "incomplete");
    assert_eq!(
        st["env"]["reason"],
        "its state file describes a different env (venv at /elsewhere/.venv)"
    );
}

/// A state file that is a FIFO (a clone can carry one) is refused without waiting on
/// it, and the message names it as the project shows it.
#[test]
fn a_state_file_that_is_a_fifo_is_named_and_not_waited_on() {
    let env = TestEnv::new();
    env.pyenv_global("3.11.7");
    let out = env.pyve().arg("init").output().unwrap();
    assert_code(&out, 0);
    let state_file = env.p(".pyve/state/venv.json");
    std::fs::remove_file(&state_file).unwrap();
    let made = std::process::Command::new("mkfifo")
        .arg(&state_file)
        .status()
        .unwrap();
    assert!(made.success());
    let reason = "its state file .pyve/state/venv.json is unreadable (not a regular file: \
                  pyve reads only regular files here)";
    let st = env.status_json(&[]);
    assert_eq!(st["env"]["state"], "incomplete");
    assert_eq!(st["env"]["reason"], reason);
    let out = env
        .pyve()
        .args(["run", "--no-sync", "python", "-c", "pass"])
        .timeout(std::time::Duration::from_secs(30))
        .output()
        .unwrap();
    assert_code(&out, 3);
    assert_eq!(
        stderr(&out),
        format!(
            "error: the venv environment .venv is incomplete: {reason}; `pyve init` rebuilds it\nhint: run `pyve init`\n"
        )
    );
}
