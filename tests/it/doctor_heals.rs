//! doctor's runnability probe and drift check: real venvs, micromamba envs built with
//! the test double, and crafted trees (a moved env, a removed or upgraded base python,
//! conda-meta records that drifted from the spec).

use crate::common;

use common::*;

/// A micromamba project built with the test double.
fn built_conda_project(env_yml: &str) -> TestEnv {
    let env = conda_project(env_yml);
    let out = env
        .pyve()
        .env("PYVE_FAKE_MM_DELAY", "0")
        .arg("init")
        .output()
        .unwrap();
    assert_code(&out, 0);
    env
}

pub fn doctor(env: &TestEnv, args: &[&str]) -> (i32, serde_json::Value) {
    let out = env
        .pyve()
        .args(["doctor", "--json"])
        .args(args)
        .output()
        .unwrap();
    let doc = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}{}", stdout(&out), stderr(&out)));
    (out.status.code().unwrap(), doc)
}

pub fn check<'a>(doc: &'a serde_json::Value, id: &str) -> &'a serde_json::Value {
    doc["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == id)
        .unwrap_or_else(|| panic!("no check {id} in {doc}"))
}

#[test]
fn a_ready_venv_runs_and_the_probe_is_cached() {
    let env = ready_venv_project();
    let version = python_version(&system_python());
    let (code, doc) = doctor(&env, &[]);
    assert_eq!(code, 0, "{doc}");
    let c = check(&doc, "runnable");
    assert_eq!(c["status"], "ok");
    assert_eq!(
        c["label"],
        format!("Runs: python {version} starts").as_str()
    );
    assert!(
        c["detail"][0].as_str().unwrap().starts_with("probed in "),
        "{c}"
    );
    assert!(env.pyve_home.join("cache/python-probes.json").is_file());
    // Unchanged interpreter: the answer comes from the cache.
    let (_, doc) = doctor(&env, &[]);
    assert_eq!(
        check(&doc, "runnable")["detail"][0],
        "cached probe (the interpreter is unchanged)"
    );
    let (_, doc) = doctor(&env, &["--no-probe"]);
    assert_eq!(check(&doc, "runnable")["status"], "skip");
    assert_eq!(
        check(&doc, "runnable")["label"],
        "Runs: not probed (--no-probe)"
    );
}

#[test]
fn a_venv_whose_base_python_was_removed_or_upgraded() {
    let env = ready_venv_project();
    let version = python_version(&system_python());
    // Upgraded within the minor: a warning naming both versions.
    let cfg = env.p(".venv/pyvenv.cfg");
    let text = std::fs::read_to_string(&cfg).unwrap();
    let minor = minor_of(&version);
    let rewrite = |to: &str| {
        let t: Vec<String> = text
            .lines()
            .map(|l| {
                if l.starts_with("version") {
                    format!("version = {to}")
                } else {
                    l.to_string()
                }
            })
            .collect();
        std::fs::write(&cfg, t.join("\n") + "\n").unwrap();
    };
    rewrite(&format!("{minor}.999"));
    let (code, doc) = doctor(&env, &[]);
    let c = check(&doc, "runnable");
    assert_eq!(c["status"], "warn", "{doc}");
    assert_eq!(
        c["label"],
        format!("Runs: the base python was upgraded from {minor}.999 to {version}").as_str()
    );
    assert_eq!(c["command"], "pyve init --force");
    assert_eq!(code, 0, "a warning: {doc}");
    // Another minor: its packages are not seen: a failure.
    rewrite("2.7.18");
    let (_, doc) = doctor(&env, &[]);
    let c = check(&doc, "runnable");
    assert_eq!(c["status"], "fail");
    assert_eq!(
        c["label"],
        format!("Runs: the base python is now {version}, the venv was built with 2.7.18 (its packages are not seen)").as_str()
    );
    // Removed: pyvenv.cfg's home is gone.
    rewrite(&version);
    let t = std::fs::read_to_string(&cfg).unwrap();
    let gone = env.root.join("gone/bin");
    let t: Vec<String> = t
        .lines()
        .map(|l| {
            if l.starts_with("home") {
                format!("home = {}", gone.display())
            } else {
                l.to_string()
            }
        })
        .collect();
    std::fs::write(&cfg, t.join("\n")).unwrap();
    let (code, doc) = doctor(&env, &[]);
    assert_eq!(code, 1);
    let c = check(&doc, "runnable");
    assert_eq!(c["status"], "fail");
    assert_eq!(
        c["label"],
        format!("Runs: the venv's base python is gone ({})", gone.display()).as_str()
    );
}

#[test]
fn a_moved_env_is_named_with_where_it_was() {
    // A venv whose activate script names another place.
    let env = ready_venv_project();
    let activate = env.p(".venv/bin/activate");
    let old = env.root.join("old-place/.venv");
    let text = std::fs::read_to_string(&activate).unwrap();
    let here = env.p(".venv").display().to_string();
    std::fs::write(&activate, text.replace(&here, &old.display().to_string())).unwrap();
    let (code, doc) = doctor(&env, &[]);
    assert_eq!(code, 1);
    let c = check(&doc, "runnable");
    assert_eq!(
        c["label"],
        format!(
            "Runs: the env was moved: its scripts still point to {}",
            old.display()
        )
        .as_str()
    );
    assert_eq!(c["command"], "pyve init --force");
    // A conda env whose pip script's shebang names the old prefix.
    let env = built_conda_project("name: demo\ndependencies:\n  - python=3.11\n  - pip\n");
    let (_, doc) = doctor(&env, &["--no-probe"]);
    assert_eq!(check(&doc, "runnable")["status"], "skip", "{doc}");
    let pip = env.p(".pyve/envs/demo/bin/pip");
    let text = std::fs::read_to_string(&pip).unwrap();
    let prefix = env.p(".pyve/envs/demo").display().to_string();
    std::fs::write(&pip, text.replace(&prefix, "/opt/elsewhere/demo")).unwrap();
    let (code, doc) = doctor(&env, &["--no-probe"]);
    assert_eq!(code, 1);
    assert_eq!(
        check(&doc, "runnable")["label"],
        "Runs: the env was moved: its scripts still point to /opt/elsewhere/demo"
    );
}

#[test]
fn a_conda_env_without_python_is_not_probed() {
    let env = built_conda_project("name: tools\ndependencies:\n  - zlib\n");
    let (_, doc) = doctor(&env, &[]);
    assert_eq!(check(&doc, "runnable")["status"], "skip");
    assert_eq!(
        check(&doc, "runnable")["label"],
        "Runs: no python in the env"
    );
}

#[test]
fn drift_missing_and_unrequested_packages() {
    let env = built_conda_project(
        "name: demo\ndependencies:\n  - python=3.11\n  - six\n  - pip\n  - pip:\n    - rich-click==1.8.0\n",
    );
    let (_, doc) = doctor(&env, &["--no-probe"]);
    let c = check(&doc, "drift");
    assert_eq!(c["status"], "ok", "{doc}");
    assert_eq!(
        c["label"],
        "Drift: none (3 conda and 1 pip packages as environment.yml says)"
    );
    let prefix = env.p(".pyve/envs/demo");
    // six's record removed (a missing package), rich-click's dist-info removed, and a
    // package installed on request by hand (`micromamba install -p … toolz`).
    for e in std::fs::read_dir(prefix.join("conda-meta"))
        .unwrap()
        .flatten()
    {
        if e.file_name().to_string_lossy().starts_with("six-") {
            std::fs::remove_file(e.path()).unwrap();
        }
    }
    let sp = prefix.join("lib/python3.11/site-packages");
    std::fs::remove_dir_all(sp.join("rich_click-1.8.0.dist-info")).unwrap();
    std::fs::write(
        prefix.join("conda-meta/toolz-0.12.1-pyhd8ed1ab_0.json"),
        r#"{"name": "toolz", "version": "0.12.1", "requested_spec": "toolz", "files": []}"#,
    )
    .unwrap();
    let (code, doc) = doctor(&env, &["--no-probe"]);
    assert_eq!(code, 0, "drift warns: {doc}");
    let c = check(&doc, "drift");
    assert_eq!(c["status"], "warn");
    assert_eq!(
        c["label"],
        "Drift: missing six, rich-click (pip); not in environment.yml: toolz 0.12.1"
    );
    assert_eq!(c["command"], "pyve init --force");
}

/// A venv pyve built with real pip from local wheels, its requirements in an included
/// file: drift is judged from its dist-info records (and pip's REQUESTED marks).
#[test]
fn venv_drift_missing_and_installed_by_hand() {
    let env = TestEnv::new();
    env.fake_pyenv(&[("3.11.7", &system_python())]);
    env.write(".python-version", "3.11\n");
    env.wheel("wheels", "greeting", "1.0", "TEXT = 'hi'\n");
    let extra = env.wheel("wheels", "extra", "2.0", "X = 1\n");
    env.write("base.txt", "./wheels/greeting-1.0-py3-none-any.whl\n");
    env.write("requirements.txt", "-r base.txt\n");
    assert_code(&env.pyve().arg("init").output().unwrap(), 0);
    let (_, doc) = doctor(&env, &["--no-probe"]);
    let c = check(&doc, "drift");
    assert_eq!(c["status"], "ok", "{doc}");
    assert_eq!(
        c["label"],
        "Drift: none (1 requirements installed as declared)"
    );

    // Installed by hand: pip marks it REQUESTED, and no requirement names it.
    let pip = |args: &[&str]| {
        let out = std::process::Command::new(env.p(".venv/bin/python"))
            .args(["-m", "pip", "-q", "--disable-pip-version-check"])
            .args(args)
            .output()
            .unwrap();
        assert!(out.status.success(), "{out:?}");
    };
    pip(&["install", "--no-index", extra.to_str().unwrap()]);
    pip(&["uninstall", "-y", "greeting"]);
    let (code, doc) = doctor(&env, &["--no-probe"]);
    assert_eq!(code, 0, "drift warns: {doc}");
    let c = check(&doc, "drift");
    assert_eq!(c["status"], "warn");
    assert_eq!(
        c["label"],
        "Drift: missing greeting; installed by hand, not in requirements.txt: extra 2.0"
    );
    assert_eq!(c["command"], "pyve init --force");
    // The fix puts the env back as declared.
    assert_code(&env.pyve().args(["init", "--force"]).output().unwrap(), 0);
    let (_, doc) = doctor(&env, &["--no-probe"]);
    assert_eq!(check(&doc, "drift")["status"], "ok", "{doc}");
}

/// A venv without requirements, built without pip: nothing declared, nothing drifted.
#[test]
fn venv_drift_of_a_venv_without_requirements_is_none() {
    let env = ready_venv_project();
    let (_, doc) = doctor(&env, &["--no-probe"]);
    let c = check(&doc, "drift");
    assert_eq!(c["status"], "ok", "{doc}");
    assert_eq!(
        c["label"],
        "Drift: none (0 requirements installed as declared)"
    );
}
