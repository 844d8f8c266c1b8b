//! `pyve doctor`: every check in each of its states, in JSON and in the human form,
//! and the example scenario of docs/doctor.md as a snapshot.

use crate::common;

use std::path::Path;

use common::*;

fn mm_pyve(env: &TestEnv) -> assert_cmd::Command {
    let mut c = env.pyve();
    c.env("PYVE_FAKE_MM_DELAY", "0");
    c
}

/// `pyve doctor --json`: (exit code, document).
fn doctor_json(env: &TestEnv, args: &[&str]) -> (i32, serde_json::Value) {
    let out = mm_pyve(env)
        .arg("doctor")
        .arg("--json")
        .args(args)
        .output()
        .unwrap();
    let doc = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "doctor --json is not JSON ({e}): {}{}",
            stdout(&out),
            stderr(&out)
        )
    });
    (out.status.code().unwrap(), doc)
}

fn check<'a>(doc: &'a serde_json::Value, id: &str) -> &'a serde_json::Value {
    doc["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == id)
        .unwrap_or_else(|| panic!("no check {id} in {doc}"))
}

fn status_of(doc: &serde_json::Value, id: &str) -> String {
    check(doc, id)["status"].as_str().unwrap().to_string()
}

#[test]
fn a_ready_venv_is_healthy_and_every_key_is_there() {
    let env = ready_venv_project();
    let (code, doc) = doctor_json(&env, &[]);
    assert_eq!(code, 0, "{doc}");
    assert_eq!(doc["schema_version"], 1);
    assert_eq!(doc["backend"], "venv");
    let ids: Vec<&str> = doc["checks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        [
            "config",
            "backend",
            "tool",
            "env",
            "env_fresh",
            "python",
            "runnable",
            "env_file",
            "lock_file",
            "pip_in_conda",
            "drift",
            "runtime_mixing",
            "gitignore"
        ]
    );
    for c in doc["checks"].as_array().unwrap() {
        for key in ["id", "status", "label", "detail", "fix", "command"] {
            assert!(c.get(key).is_some(), "{key} missing in {c}");
        }
    }
    for id in [
        "config",
        "backend",
        "tool",
        "env",
        "env_fresh",
        "python",
        "runnable",
        "drift",
        "runtime_mixing",
    ] {
        assert_eq!(status_of(&doc, id), "ok", "{id}: {}", check(&doc, id));
    }
    for id in ["env_file", "lock_file", "pip_in_conda", "gitignore"] {
        assert_eq!(status_of(&doc, id), "skip", "{id}");
    }
    // The venv's python is the system one the wrapper runs: its version, asked.
    let python = format!("Python: {}", python_version(&system_python()));
    assert_eq!(check(&doc, "python")["label"], python.as_str());
    assert_eq!(doc["summary"]["fail"], 0);
    assert_eq!(doc["summary"]["ok"], 9);
    assert_eq!(doc["summary"]["skip"], 4);
    // Human form: one line per check, ✓ and – marks, no fix lines.
    let out = env.pyve().arg("doctor").output().unwrap();
    assert_code(&out, 0);
    let text = stdout(&out);
    assert_contains(
        &text,
        &[
            "✓ Backend: venv (from requirements.txt)",
            "✓ Environment: .venv",
            &format!("✓ {python}"),
            "– Lock file: not used by the venv backend",
            "9 ok, 0 warnings, 0 failures",
        ],
    );
    assert!(!text.contains("fix:"), "{text}");
    // --verbose adds the tried places.
    let out = env.pyve().args(["doctor", "--verbose"]).output().unwrap();
    assert_contains(&stdout(&out), &["pyenv ", ": taken"]);
}

#[test]
fn missing_stale_and_incomplete_envs() {
    let env = TestEnv::new();
    env.pyenv_global("3.11.7");
    env.write("requirements.txt", "");
    let (code, doc) = doctor_json(&env, &[]);
    assert_eq!(code, 1);
    assert_eq!(status_of(&doc, "env"), "fail");
    assert_eq!(check(&doc, "env")["fix"], "`pyve init` creates it");
    assert_eq!(check(&doc, "env")["command"], "pyve init");
    assert_eq!(status_of(&doc, "env_fresh"), "skip");
    assert_eq!(status_of(&doc, "python"), "skip");
    let out = env.pyve().arg("doctor").output().unwrap();
    assert_code(&out, 1);
    assert_contains(
        &stdout(&out),
        &["✗ Environment: .venv missing\n  fix: `pyve init` creates it\n"],
    );

    assert_code(
        &env.pyve()
            .args(["init", "--no-install-deps"])
            .output()
            .unwrap(),
        0,
    );
    env.write("requirements.txt", "# changed\n");
    let (code, doc) = doctor_json(&env, &[]);
    assert_eq!(code, 0, "a stale env is a warning");
    assert_eq!(status_of(&doc, "env_fresh"), "warn");
    assert_eq!(
        check(&doc, "env_fresh")["label"],
        "Environment up to date: no — requirements.txt changed"
    );
    assert_eq!(check(&doc, "env_fresh")["fix"], "`pyve init` updates it");
    let out = env.pyve().arg("doctor").output().unwrap();
    assert_contains(
        &stdout(&out),
        &["⚠ Environment up to date: no — requirements.txt changed\n  fix: `pyve init` updates it"],
    );

    // A create of pyve's that did not finish: its marker carries this machine's token.
    let record: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(env.p(".pyve/state/venv.json")).unwrap())
            .unwrap();
    let token = record["owner"].as_str().unwrap().to_string();
    assert_eq!(token.len(), 32);
    std::fs::write(
        env.p(".pyve/state/venv.creating"),
        format!("pid 1\ntoken {token}\n"),
    )
    .unwrap();
    let (code, doc) = doctor_json(&env, &[]);
    assert_eq!(code, 1);
    assert_eq!(check(&doc, "env")["label"], "Environment: .venv incomplete");
    assert_eq!(check(&doc, "env")["fix"], "`pyve init` rebuilds it");

    // A marker that came with the project (no token of this machine): not pyve's.
    std::fs::write(env.p(".pyve/state/venv.creating"), "pid 1\ntoken forged\n").unwrap();
    let (code, doc) = doctor_json(&env, &[]);
    assert_eq!(code, 1);
    assert_eq!(
        check(&doc, "env")["detail"][0],
        ".venv has a build marker that pyve did not write on this machine"
    );
    assert_eq!(
        check(&doc, "env")["fix"],
        "pyve did not make it and will not delete it: remove it yourself if you no longer need it, or set venv.directory in .pyve/config"
    );
    assert_eq!(check(&doc, "env")["action"]["key"], "venv.directory");
}

#[test]
fn invalid_config_is_a_failing_check_not_a_crash() {
    let env = TestEnv::new();
    env.write(".pyve/config", "bakend: venv\n");
    let (code, doc) = doctor_json(&env, &[]);
    assert_eq!(code, 1);
    assert_eq!(status_of(&doc, "config"), "fail");
    assert_eq!(
        check(&doc, "config")["label"],
        "Config: .pyve/config:1:1: unknown key `bakend`"
    );
    assert!(
        check(&doc, "config")["fix"]
            .as_str()
            .unwrap()
            .starts_with("did you mean `backend`?")
    );
    let out = env.pyve().arg("doctor").output().unwrap();
    assert_code(&out, 1);
    assert_contains(
        &stdout(&out),
        &["✗ Config: .pyve/config:1:1: unknown key `bakend`\n  fix: did you mean `backend`?"],
    );
}

#[test]
fn tool_and_python_failures() {
    // The requested python does not exist: the tool check fails with the install command.
    let env = ready_venv_project();
    let want = absent_python_minor();
    env.write(".python-version", &format!("{want}\n"));
    let (code, doc) = doctor_json(&env, &[]);
    assert_eq!(code, 1);
    assert_eq!(status_of(&doc, "tool"), "fail");
    assert_eq!(
        check(&doc, "tool")["label"],
        format!("Base python: {want} not found")
    );
    let install = format!("pyenv install {want}");
    assert_eq!(check(&doc, "tool")["fix"], install.as_str());
    assert_eq!(check(&doc, "tool")["command"], install.as_str());
    // And the env's python does not match the request.
    assert_eq!(status_of(&doc, "python"), "fail");
    assert_eq!(
        check(&doc, "python")["label"],
        format!(
            "Python: {}, but .python-version asks for {want}",
            python_version(&system_python())
        )
    );
    // Micromamba missing.
    let env = conda_project("name: demo\ndependencies:\n  - python=3.11\n");
    std::fs::remove_file(env.pyve_home.join("bin/micromamba")).unwrap();
    let (code, doc) = doctor_json(&env, &[]);
    assert_eq!(code, 1);
    assert_eq!(check(&doc, "tool")["label"], "Micromamba: not found");
    assert!(
        check(&doc, "tool")["fix"]
            .as_str()
            .unwrap()
            .contains("pyve bootstrap")
    );
    // --backend checks another backend than the detected one.
    let (_, doc) = doctor_json(&env, &["--backend", "venv"]);
    assert_eq!(doc["backend"], "venv");
    assert_eq!(status_of(&doc, "backend"), "warn");
}

#[test]
fn conda_checks_pip_env_file_and_mixing() {
    let env = conda_project(
        "name: demo\nchannels: [conda-forge]\ndependencies:\n  - python=3.11\n  - pip\n  - pip:\n    - rich-click==1.8.0\n",
    );
    assert_code(&mm_pyve(&env).arg("init").output().unwrap(), 0);
    let (code, doc) = doctor_json(&env, &[]);
    assert_eq!(code, 0, "{doc}");
    assert_eq!(status_of(&doc, "tool"), "ok");
    assert!(
        check(&doc, "tool")["label"]
            .as_str()
            .unwrap()
            .ends_with("bin/micromamba (v2.0.5)")
    );
    assert_eq!(status_of(&doc, "env_file"), "ok");
    // Declared under `pip:` (spelled rich-click, installed as rich_click): expected.
    assert_eq!(status_of(&doc, "pip_in_conda"), "ok", "{doc}");
    assert_eq!(
        check(&doc, "pip_in_conda")["label"],
        "pip in conda env: 1 pip package, declared in environment.yml"
    );
    assert_eq!(
        check(&doc, "pip_in_conda")["detail"][0],
        "rich-click 1.8.0 (declared in environment.yml)"
    );
    // One pip installed by hand (pip writes REQUESTED): named in the warning.
    let site = env.p(".pyve/envs/demo/lib/python3.11/site-packages/Flask_Cors-4.0.1.dist-info");
    std::fs::create_dir_all(&site).unwrap();
    std::fs::write(site.join("INSTALLER"), "pip\n").unwrap();
    std::fs::write(site.join("REQUESTED"), "").unwrap();
    let (code, doc) = doctor_json(&env, &[]);
    assert_eq!(code, 0, "warnings do not fail");
    assert_eq!(status_of(&doc, "pip_in_conda"), "warn");
    assert_eq!(
        check(&doc, "pip_in_conda")["label"],
        "pip in conda env: 1 pip package not declared in environment.yml (flask-cors)"
    );
    assert_eq!(check(&doc, "pip_in_conda")["command"], "pyve init --force");
    // Allowed by the policy switch: ok, and says why.
    let cfg = std::fs::read_to_string(env.p(".pyve/config")).unwrap();
    env.write(
        ".pyve/config",
        &format!("{cfg}micromamba:\n  allow_pip: true\n"),
    );
    let (_, doc) = doctor_json(&env, &[]);
    assert_eq!(status_of(&doc, "pip_in_conda"), "ok");
    assert_eq!(
        check(&doc, "pip_in_conda")["label"],
        "pip in conda env: 2 pip packages, 1 undeclared one allowed by micromamba.allow_pip"
    );
    // A .venv beside the conda env: runtime mixing warning.
    plain_venv(&env.p(".venv"));
    let (_, doc) = doctor_json(&env, &[]);
    assert_eq!(status_of(&doc, "runtime_mixing"), "warn");
    assert_eq!(
        check(&doc, "runtime_mixing")["label"],
        "Runtime mixing: both .venv and a micromamba env exist"
    );
    // A broken env file.
    env.write("environment.yml", "name: demo\ndependencies: [python\n");
    let (code, doc) = doctor_json(&env, &[]);
    assert_eq!(code, 1);
    assert_eq!(status_of(&doc, "env_file"), "fail");
    assert!(
        check(&doc, "env_file")["label"]
            .as_str()
            .unwrap()
            .starts_with("Environment file: environment.yml:"),
        "{doc}"
    );
    // A conda env without python.
    let env = conda_project("name: tools\ndependencies:\n  - zlib\n");
    assert_code(&mm_pyve(&env).arg("init").output().unwrap(), 0);
    let (_, doc) = doctor_json(&env, &[]);
    assert_eq!(status_of(&doc, "python"), "warn");
    assert_eq!(check(&doc, "python")["label"], "Python: none in the env");
    assert_eq!(status_of(&doc, "pip_in_conda"), "ok");
}

#[test]
fn runtime_mixing_in_a_ready_venv_project() {
    // A venv whose base python lives in a conda prefix.
    let env = TestEnv::new();
    let conda = env.root.join("miniconda3");
    std::fs::create_dir_all(conda.join("conda-meta")).unwrap();
    std::fs::create_dir_all(conda.join("bin")).unwrap();
    std::os::unix::fs::symlink(system_python(), conda.join("bin/python3.11")).unwrap();
    env.write("requirements.txt", "");
    // Built by hand from the conda python (pyve itself would refuse), then recorded
    // by pyve as its own so only the mixing check speaks.
    env.pyenv_global("3.11.7");
    assert_code(
        &env.pyve()
            .args(["init", "--no-install-deps"])
            .output()
            .unwrap(),
        0,
    );
    let cfg = env.p(".venv/pyvenv.cfg");
    let text = std::fs::read_to_string(&cfg).unwrap();
    let text: String = text
        .lines()
        .map(|l| {
            if l.starts_with("home") {
                format!("home = {}", conda.join("bin").display())
            } else {
                l.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    std::fs::write(&cfg, text).unwrap();
    let (code, doc) = doctor_json(&env, &[]);
    assert_eq!(code, 1);
    assert_eq!(status_of(&doc, "runtime_mixing"), "fail");
    assert!(
        check(&doc, "runtime_mixing")["label"]
            .as_str()
            .unwrap()
            .contains("the venv's base python lives in a conda prefix")
    );
    // A conda python first on PATH in a venv project: a warning.
    let env = ready_venv_project();
    let mut c = env.pyve();
    c.env(
        "PATH",
        format!("{}:{BASE_PATH}", conda.join("bin").display()),
    );
    std::os::unix::fs::symlink(system_python(), conda.join("bin/python")).unwrap();
    let out = c.args(["doctor", "--json"]).output().unwrap();
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(status_of(&doc, "runtime_mixing"), "warn");
    assert!(
        check(&doc, "runtime_mixing")["label"]
            .as_str()
            .unwrap()
            .contains("a conda python is first on PATH")
    );
}

fn git_init(dir: &Path) {
    let st = std::process::Command::new("git")
        .args(["init", "-q"])
        .arg(dir)
        .env_clear()
        .env("PATH", BASE_PATH)
        .env("HOME", dir)
        .status()
        .unwrap();
    assert!(st.success());
}

#[test]
fn gitignore_check_in_a_git_repo() {
    let env = ready_venv_project();
    git_init(&env.project);
    let (_, doc) = doctor_json(&env, &[]);
    assert_eq!(
        status_of(&doc, "gitignore"),
        "ok",
        "pyve's .venv/.gitignore ignores it"
    );
    // Neither the venv's own file nor pyve's block in the project's .gitignore.
    std::fs::remove_file(env.p(".venv/.gitignore")).unwrap();
    std::fs::write(env.p(".gitignore"), "").unwrap();
    let (code, doc) = doctor_json(&env, &[]);
    assert_eq!(code, 0);
    assert_eq!(status_of(&doc, "gitignore"), "warn");
    assert_eq!(check(&doc, "gitignore")["label"], "Git: .venv not ignored");
    assert_eq!(check(&doc, "gitignore")["fix"], "add /.venv/ to .gitignore");
    env.write(".gitignore", "/.venv/\n");
    let (_, doc) = doctor_json(&env, &[]);
    assert_eq!(status_of(&doc, "gitignore"), "ok");

    // A project inside a bigger repository, ignored by a glob at the repository's root:
    // git's own rules decide.
    let env = ready_venv_project();
    std::fs::remove_file(env.p(".venv/.gitignore")).unwrap();
    std::fs::remove_file(env.p(".gitignore")).unwrap();
    git_init(&env.root);
    std::fs::write(env.root.join(".gitignore"), "/pro*/.venv/\n").unwrap();
    let (_, doc) = doctor_json(&env, &[]);
    assert_eq!(status_of(&doc, "gitignore"), "ok", "{doc}");
    std::fs::write(env.root.join(".gitignore"), "").unwrap();
    let (_, doc) = doctor_json(&env, &[]);
    assert_eq!(status_of(&doc, "gitignore"), "warn");
}

#[test]
fn conflicting_specs_warn_in_the_backend_check() {
    let env = conda_project("name: demo\ndependencies:\n  - python=3.11\n");
    env.write("requirements.txt", "");
    let (_, doc) = doctor_json(&env, &[]);
    assert_eq!(status_of(&doc, "backend"), "warn");
    assert_eq!(
        check(&doc, "backend")["label"],
        "Backend: micromamba (from environment.yml) — both environment.yml and requirements.txt present"
    );
    assert!(
        check(&doc, "backend")["fix"]
            .as_str()
            .unwrap()
            .contains("pyve init --backend micromamba")
    );
}

fn fixture(rel: &str) -> String {
    std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("crates/condalock/tests/data/locks")
            .join(rel),
    )
    .unwrap()
}

/// A micromamba project built from an up-to-date conda-lock.yml
/// whose pip section put a pip package into the env.
#[test]
fn a_conda_project_from_an_up_to_date_lock_with_a_pip_package() {
    let env = conda_project(&fixture("up_to_date/environment.yml"));
    env.write("conda-lock.yml", &fixture("up_to_date/conda-lock.yml"));
    let out = mm_pyve(&env).arg("init").output().unwrap();
    assert_code(&out, 0);
    // What `pyve run --allow-pip pip install httpx` leaves behind.
    let site = env.p(".pyve/envs/up-to-date/lib/python3.11/site-packages/httpx-0.27.0.dist-info");
    std::fs::create_dir_all(&site).unwrap();
    std::fs::write(site.join("INSTALLER"), "pip\n").unwrap();
    std::fs::write(site.join("REQUESTED"), "").unwrap();
    // Without the probe: the python the double links is the host's.
    let out = mm_pyve(&env)
        .args(["doctor", "--no-probe"])
        .output()
        .unwrap();
    assert_code(&out, 0);
    let text = stdout(&out).replace(env.root.to_str().unwrap(), "[TMP]");
    insta::assert_snapshot!("doctor_conda_lock_with_pip", text);
    let (_, doc) = doctor_json(&env, &[]);
    assert_eq!(status_of(&doc, "lock_file"), "ok");
    assert_eq!(status_of(&doc, "pip_in_conda"), "warn");
}

#[test]
fn a_stale_lock_warns_and_lock_check_names_the_platform() {
    let env = conda_project(&fixture("stale_linux/environment.yml"));
    env.write("conda-lock.yml", &fixture("stale_linux/conda-lock.yml"));
    let (_, doc) = doctor_json(&env, &[]);
    assert_eq!(status_of(&doc, "lock_file"), "warn");
    // What changed, from matching the specs against the locked packages.
    assert_eq!(
        check(&doc, "lock_file")["label"],
        "Lock file: conda-lock.yml stale for linux-64 — libgcc-ng added; numpy >=1.26 added"
    );
    assert!(
        check(&doc, "lock_file")["detail"]
            .as_array()
            .unwrap()
            .iter()
            .any(|d| d == "linux-64: libgcc-ng added"),
        "{doc}"
    );
    // status and init warn with the refresh command.
    let out = env.pyve().arg("status").output().unwrap();
    assert_code(&out, 0);
    assert_contains(
        &stderr(&out),
        &[
            "warning: conda-lock.yml is stale for linux-64 (libgcc-ng added; numpy >=1.26 added): refresh it with `pyve lock`",
        ],
    );
    assert_eq!(check(&doc, "lock_file")["command"], "pyve lock");
    assert_eq!(
        check(&doc, "lock_file")["fix"],
        "regenerate it: `pyve lock`"
    );
    let out = env.pyve().args(["lock", "--check"]).output().unwrap();
    assert_code(&out, 1);
    assert_contains(
        &stdout(&out),
        &[
            "✗ linux-64: stale: the sources hash to",
            "✓ osx-arm64: up to date",
        ],
    );
    assert_contains(
        &stderr(&out),
        &[
            "error: conda-lock.yml is stale for linux-64",
            "hint: regenerate it: `pyve lock`",
        ],
    );
    let out = env
        .pyve()
        .args(["lock", "--check", "--json"])
        .output()
        .unwrap();
    assert_code(&out, 1);
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["stale_platforms"], serde_json::json!(["linux-64"]));
    // Up to date: exit 0.
    let env = conda_project(&fixture("up_to_date/environment.yml"));
    env.write("conda-lock.yml", &fixture("up_to_date/conda-lock.yml"));
    let out = env.pyve().args(["lock", "--check"]).output().unwrap();
    assert_code(&out, 0);
    assert_contains(&stderr(&out), &["✓ conda-lock.yml is up to date"]);
    // No lock: exit 3; a malformed one: exit 2 naming the spot; plain `pyve lock` without conda-lock: exit 3.
    let env = conda_project("name: x\ndependencies: [python]\n");
    let out = env.pyve().args(["lock", "--check"]).output().unwrap();
    assert_code(&out, 3);
    assert_contains(
        &stderr(&out),
        &["no conda-lock.yml in", "hint: run `pyve lock`"],
    );
    env.write("conda-lock.yml", &fixture("malformed/conda-lock.yml"));
    let out = env.pyve().args(["lock", "--check"]).output().unwrap();
    assert_code(&out, 2);
    assert_contains(
        &stderr(&out),
        &[
            "error: cannot check conda-lock.yml: ",
            "conda-lock.yml:24:12: ",
        ],
    );
    let (code, doc) = doctor_json(&env, &[]);
    assert_eq!(code, 1);
    assert_eq!(status_of(&doc, "lock_file"), "fail");
    // Plain `pyve lock` runs conda-lock: none here.
    let out = env.pyve().arg("lock").output().unwrap();
    assert_code(&out, 3);
    assert_contains(
        &stderr(&out),
        &[
            "conda-lock not found",
            "hint: run `pipx install conda-lock`",
        ],
    );
}

/// The bundled conda example, built with the test double: nothing to warn about (its
/// `pip:` package is declared).
#[test]
fn the_bundled_conda_example_is_clean() {
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/examples/conda-project");
    let env = conda_project(&std::fs::read_to_string(example.join("environment.yml")).unwrap());
    assert_code(&mm_pyve(&env).arg("init").output().unwrap(), 0);
    let (code, doc) = doctor_json(&env, &[]);
    assert_eq!(code, 0, "{doc}");
    assert_eq!(doc["summary"]["warn"], 0, "{doc}");
    assert_eq!(doc["summary"]["fail"], 0, "{doc}");
    assert_eq!(
        check(&doc, "pip_in_conda")["label"],
        "pip in conda env: 1 pip package, declared in environment.yml"
    );
}

/// A distribution installed by conda, then by pip over it: both records claim its
/// files; doctor names it and says pip's copy wins.
#[test]
fn a_package_installed_by_both_conda_and_pip_is_a_clash() {
    let env = conda_project(
        "name: demo\nchannels: [conda-forge]\ndependencies:\n  - python=3.11\n  - six\n  - pip\n",
    );
    assert_code(&mm_pyve(&env).arg("init").output().unwrap(), 0);
    let prefix = env.p(".pyve/envs/demo");
    let sp = prefix.join("lib/python3.11/site-packages");
    let conda_dist = std::fs::read_dir(&sp)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .find(|n| n.starts_with("six-") && n.ends_with(".dist-info"))
        .expect("the double installs six's dist-info");
    // What `pip install --force-reinstall six==1.17.0` does: removes conda's
    // dist-info, writes its own (and the module conda's record also lists).
    std::fs::remove_dir_all(sp.join(&conda_dist)).unwrap();
    let pip_dist = sp.join("six-1.17.0.dist-info");
    std::fs::create_dir_all(&pip_dist).unwrap();
    std::fs::write(pip_dist.join("INSTALLER"), "pip\n").unwrap();
    std::fs::write(pip_dist.join("REQUESTED"), "").unwrap();
    std::fs::write(
        pip_dist.join("RECORD"),
        format!("{conda_dist}/METADATA,,\nsix-1.17.0.dist-info/INSTALLER,,\n"),
    )
    .unwrap();
    let (_, doc) = doctor_json(&env, &[]);
    let c = check(&doc, "pip_in_conda");
    assert_eq!(c["status"], "warn", "{doc}");
    assert_eq!(
        c["label"],
        "pip in conda env: 1 pip package not declared in environment.yml (six); installed by both conda and pip: six"
    );
    let detail: Vec<&str> = c["detail"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d.as_str().unwrap())
        .collect();
    assert!(
        detail.iter().any(|d| d.starts_with("six: conda ")
            && d.contains(" and pip 1.17.0 (")
            && d.contains(" claimed by both); pip's copy wins")),
        "{detail:?}"
    );
}

/// A lock whose sources changed in every way: a version no longer matched, a package
/// removed, one added, a channel changed — said per platform when they differ.
#[test]
fn a_stale_lock_says_what_changed_per_platform() {
    let env = conda_project(
        "name: demo\nchannels: [conda-forge]\nplatforms: [linux-64, osx-arm64]\ndependencies:\n  - python=3.12\n  - bioconda::samtools\n  - zlib  # [osx]\n",
    );
    let mut lock = String::from(
        "version: 1\nmetadata:\n  content_hash: {linux-64: old, osx-arm64: old}\n  channels: [{url: conda-forge, used_env_vars: []}]\n  platforms: [linux-64, osx-arm64]\n  sources: [environment.yml]\npackage:\n",
    );
    for p in ["linux-64", "osx-arm64"] {
        for (name, version, deps) in [
            ("python", "3.11.7", "{}"),
            ("samtools", "1.19", "{python: '*'}"),
            ("pandas", "2.2.0", "{python: '*'}"),
        ] {
            lock.push_str(&format!(
                "- {{name: {name}, version: {version}, manager: conda, platform: {p}, dependencies: {deps}, url: 'https://conda.anaconda.org/conda-forge/{p}/{name}-{version}-0.conda', hash: {{md5: x}}}}\n"
            ));
        }
    }
    env.write("conda-lock.yml", &lock);
    let (_, doc) = doctor_json(&env, &[]);
    let c = check(&doc, "lock_file");
    assert_eq!(c["status"], "warn", "{doc}");
    let common = "python 3.12.* not matched by the locked 3.11.7; samtools wanted from bioconda, locked from conda-forge; pandas removed (locked 2.2.0)";
    assert_eq!(
        c["label"],
        format!(
            "Lock file: conda-lock.yml stale for linux-64, osx-arm64 — linux-64: {common} · osx-arm64: {}",
            common.replace("; pandas", "; zlib added; pandas")
        )
        .as_str()
    );
    assert_eq!(c["command"], "pyve lock");
    // init warns the same way before it builds anything.
    let out = mm_pyve(&env).arg("init").output().unwrap();
    assert_contains(
        &stderr(&out),
        &[
            "warning: conda-lock.yml is stale for linux-64, osx-arm64 (linux-64: python 3.12.* not matched",
            "refresh it with `pyve lock`",
        ],
    );
}
