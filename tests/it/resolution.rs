//! Which python builds the venv (docs/detection.md), against fake asdf and pyenv roots in
//! temp dirs whose versions are symlinks to (or wrappers around) real Pythons: the
//! version directory's name is what gets matched. Shown through `pyve status --json`
//! (`tool.path/version/place/tried`) and `pyve init`.

use crate::common;

use common::*;
use serde_json::json;

fn outcome_of(status: &serde_json::Value, place: &str, path_contains: &str) -> String {
    tried(status)
        .into_iter()
        .find(|(p, path, _)| p == place && path.contains(path_contains))
        .map(|(_, _, o)| o)
        .unwrap_or_else(|| panic!("no {place} entry for {path_contains} in {}", status["tool"]))
}

#[test]
fn tool_versions_takes_the_asdf_install() {
    let env = TestEnv::new();
    let py = system_python();
    env.fake_asdf(&[("3.11.2", &py), ("3.12.1", &py)]);
    env.fake_pyenv(&[("3.11.2", &py)]);
    env.write(".tool-versions", "nodejs 20.1.0\npython 3.11.2\n");
    let s = env.status_json(&[]);
    let t = &s["tool"];
    assert_eq!(t["kind"], "python");
    assert_eq!(t["place"], "asdf");
    assert_eq!(t["version"], "3.11.2");
    assert_eq!(
        t["path"],
        env.asdf_dir
            .join("installs/python/3.11.2/bin/python3")
            .to_str()
            .unwrap()
    );
    assert_eq!(
        t["request"],
        json!({"version": "3.11.2", "source": ".tool-versions"})
    );
    assert_eq!(outcome_of(&s, "asdf", "3.12.1"), "does not match 3.11.2");
    assert_eq!(outcome_of(&s, "asdf", "3.11.2"), "taken");
    // asdf answered: pyenv was not even looked at.
    assert!(tried(&s).iter().all(|(p, _, _)| p != "pyenv"), "{t}");
}

#[test]
fn python_version_takes_the_highest_matching_pyenv_install() {
    let env = TestEnv::new();
    let py = system_python();
    env.fake_pyenv(&[
        ("3.10.13", &py),
        ("3.11.4", &py),
        ("3.11.7", &py),
        ("3.12.1", &py),
    ]);
    env.write(".python-version", "3.11\n");
    let s = env.status_json(&[]);
    let t = &s["tool"];
    assert_eq!(t["place"], "pyenv");
    assert_eq!(t["version"], "3.11.7");
    assert_eq!(t["path"], env.pyenv_python("3.11.7").to_str().unwrap());
    assert_eq!(
        t["request"],
        json!({"version": "3.11", "source": ".python-version"})
    );
    assert_eq!(outcome_of(&s, "asdf", "asdf"), "not installed");
    assert_eq!(outcome_of(&s, "pyenv", "3.12.1"), "does not match 3.11");
    assert_eq!(
        outcome_of(&s, "pyenv", "3.11.4"),
        "a better match was taken"
    );
    assert_eq!(outcome_of(&s, "pyenv", "3.10.13"), "does not match 3.11");
    // The human face says the same, and -v lists the places.
    let out = env.pyve().args(["status", "-v"]).output().unwrap();
    assert_code(&out, 0);
    assert_contains(
        &stdout(&out),
        &[
            &format!(
                "✓ 3.11.7  {} (pyenv), requested 3.11 by .python-version",
                env.pyenv_python("3.11.7").display()
            ),
            "does not match 3.11",
        ],
    );
}

#[test]
fn a_conda_prefix_among_pyenv_versions_is_skipped_with_its_reason() {
    let env = TestEnv::new();
    let py = system_python();
    env.fake_pyenv(&[("3.11.9", &py), ("3.11.7", &py), ("miniconda3-latest", &py)]);
    std::fs::create_dir_all(env.pyenv_root.join("versions/3.11.9/conda-meta")).unwrap();
    std::fs::create_dir_all(env.pyenv_root.join("versions/miniconda3-latest/conda-meta")).unwrap();
    env.write(".python-version", "3.11");
    let s = env.status_json(&[]);
    assert_eq!(s["tool"]["version"], "3.11.7");
    assert_eq!(
        outcome_of(&s, "pyenv", "versions/3.11.9"),
        "a conda prefix: never used for a venv (it would mix runtimes)"
    );
    assert_eq!(
        outcome_of(&s, "pyenv", "miniconda3-latest"),
        "a conda prefix: never used for a venv (it would mix runtimes)"
    );
}

#[test]
fn pyenv_global_version_is_taken_when_nothing_is_requested() {
    let env = TestEnv::new();
    let py = system_python();
    env.fake_pyenv(&[("3.11.7", &py), ("3.12.1", &py)]);
    std::fs::write(env.pyenv_root.join("version"), "3.11.7\n").unwrap();
    let s = env.status_json(&[]);
    assert_eq!(
        (s["tool"]["place"].as_str(), s["tool"]["version"].as_str()),
        (Some("pyenv"), Some("3.11.7"))
    );
    assert_eq!(s["tool"]["request"], json!(null));
    assert_eq!(
        outcome_of(&s, "pyenv", "3.12.1"),
        "not pyenv's global version (3.11.7)"
    );
    // No global version: the system python3 on PATH.
    std::fs::remove_file(env.pyenv_root.join("version")).unwrap();
    let s = env.status_json(&[]);
    assert_eq!(s["tool"]["place"], "system");
    let python3 = host_python3();
    assert_eq!(s["tool"]["path"], python3.to_str().unwrap());
    // Read from its name when that says (python3 → python3.11), else asked.
    let version = version_in_name(&python3).unwrap_or_else(|| python_version(&python3));
    assert_eq!(s["tool"]["version"], version.as_str());
    assert_eq!(
        outcome_of(&s, "pyenv", "3.12.1"),
        "no version requested and no pyenv global version"
    );
}

#[test]
fn request_precedence_config_then_tool_versions_then_python_version() {
    let env = TestEnv::new();
    env.write(".python-version", "3.10\n");
    env.write(".tool-versions", "python 3.12.1\n");
    env.write(".pyve/config", "python:\n  version: \"3.11\"\n");
    let req = |env: &TestEnv| env.status_json(&[])["tool"]["request"].clone();
    assert_eq!(
        req(&env),
        json!({"version": "3.11", "source": ".pyve/config"})
    );
    std::fs::remove_file(env.p(".pyve/config")).unwrap();
    assert_eq!(
        req(&env),
        json!({"version": "3.12.1", "source": ".tool-versions"})
    );
    std::fs::remove_file(env.p(".tool-versions")).unwrap();
    assert_eq!(
        req(&env),
        json!({"version": "3.10", "source": ".python-version"})
    );
}

/// A conda prefix's python3.11 first on PATH is never used, not even asked
/// `--version`: the venv is built from the next python3.11 on PATH.
#[test]
fn a_python_inside_a_conda_prefix_on_path_is_never_used() {
    let mut env = TestEnv::new();
    let conda = env.root.join("miniconda3");
    std::fs::create_dir_all(conda.join("conda-meta")).unwrap();
    let conda_log = env.root.join("conda-python-ran");
    let real = shell_quote(system_python().as_os_str());
    write_executable(
        &conda.join("bin/python3.11"),
        &format!(
            "#!/bin/sh\necho \"$@\" >> {}\nexec {real} \"$@\"\n",
            conda_log.display()
        ),
    );
    // The system python that should be taken: a fast wrapper (venv without pip).
    let sys_bin = env.root.join("sysbin");
    write_executable(
        &sys_bin.join("python3.11"),
        &format!(
            "#!/bin/sh\nif [ \"$1\" = -m ] && [ \"$2\" = venv ]; then shift 2; exec {real} -m venv --without-pip \"$@\"; fi\nexec {real} \"$@\"\n"
        ),
    );
    env.path = format!(
        "{}:{}:{BASE_PATH}",
        conda.join("bin").display(),
        sys_bin.display()
    )
    .into();
    env.write(".python-version", "3.11\n");

    let s = env.status_json(&[]);
    assert_eq!(s["tool"]["place"], "system");
    assert_eq!(
        s["tool"]["path"],
        sys_bin.join("python3.11").to_str().unwrap()
    );
    assert_eq!(
        outcome_of(&s, "system", "miniconda3"),
        format!(
            "inside a conda prefix ({}): never used for a venv",
            conda.display()
        )
    );

    let out = env.pyve().arg("init").output().unwrap();
    assert_code(&out, 0);
    assert_contains(
        &stderr(&out),
        &[&format!(
            "Creating .venv with python 3.11 ({}, system)",
            sys_bin.join("python3.11").display()
        )],
    );
    assert!(!conda_log.exists(), "the conda python was run");
    let cfg = std::fs::read_to_string(env.p(".venv/pyvenv.cfg")).unwrap();
    assert!(!cfg.contains("miniconda3"), "{cfg}");
}

#[test]
fn shims_and_other_venvs_on_path_are_skipped() {
    let mut env = TestEnv::new();
    let shims = env.pyenv_root.join("shims");
    // The system's own python3.X, which the request below names.
    let minor = minor_of(&python_version(&system_python()));
    let python3x = format!("python{minor}");
    write_executable(&shims.join(&python3x), "#!/bin/sh\nexit 99\n");
    let other = env.root.join("other-venv");
    plain_venv(&other);
    env.path = format!(
        "{}:{}:{BASE_PATH}",
        shims.display(),
        other.join("bin").display()
    )
    .into();
    env.write(".python-version", &format!("{minor}\n"));
    let s = env.status_json(&[]);
    let expected =
        on_base_path(&python3x).unwrap_or_else(|| panic!("{python3x} is not on {BASE_PATH}"));
    assert_eq!(s["tool"]["path"], expected.to_str().unwrap());
    assert_eq!(
        outcome_of(&s, "system", "shims"),
        "a version-manager shim: installs are read directly"
    );
    assert_eq!(
        outcome_of(&s, "system", "other-venv"),
        format!(
            "inside a virtual environment ({}): never used for a venv",
            env.root.join("other-venv").display()
        )
    );
}

#[test]
fn a_missing_version_fails_init_with_what_exists_and_how_to_install_it() {
    let env = TestEnv::new();
    let py = system_python();
    env.fake_pyenv(&[("3.11.7", &py), ("3.12.1", &py)]);
    // A version neither the fake pyenv nor the system has.
    let want = absent_python_minor();
    env.write(".python-version", &format!("{want}\n"));
    env.write("requirements.txt", "");

    let out = env.pyve().arg("init").output().unwrap();
    assert_code(&out, 3);
    let err = stderr(&out);
    assert_contains(
        &err,
        &[
            &format!(
                "error: python {want} (requested by .python-version) was not found; found: 3.12.1 (pyenv), 3.11.7 (pyenv)"
            ),
            &format!("install it with: pyenv install {want}"),
            "hint: `pyve status -v` lists every place that was tried",
        ],
    );
    assert!(!env.p(".venv").exists());
    assert!(!env.p(".pyve/state/venv.json").exists());
    assert!(!env.p(".pyve/config").exists());

    // -v lists the places instead of the hint.
    let out = env.pyve().args(["init", "-v"]).output().unwrap();
    assert_code(&out, 3);
    assert_contains(
        &stderr(&out),
        &[
            "pyenv",
            &format!("does not match {want}"),
            &format!("python{want}  not on PATH"),
        ],
    );

    // status reports the same without failing.
    let s = env.status_json(&[]);
    assert_eq!(s["tool"]["path"], json!(null));
    assert_contains(
        s["tool"]["error"].as_str().unwrap(),
        &[
            &format!("python {want} (requested by .python-version) was not found"),
            &format!("pyenv install {want}"),
        ],
    );
    assert_eq!(s["env"]["state"], "missing");
}

#[test]
fn a_missing_asdf_version_names_the_asdf_command() {
    let env = TestEnv::new();
    env.fake_asdf(&[("3.11.2", &system_python())]);
    let want = format!("{}.18", absent_python_minor());
    env.write(".tool-versions", &format!("python {want}\n"));
    let out = env.pyve().arg("init").output().unwrap();
    assert_code(&out, 3);
    assert_contains(
        &stderr(&out),
        &[
            &format!(
                "error: python {want} (requested by .tool-versions) was not found; found: 3.11.2 (asdf)"
            ),
            &format!("install it with: asdf install python {want}"),
        ],
    );
}

#[test]
fn with_no_version_manager_the_message_still_names_the_system_python() {
    let env = TestEnv::new();
    let want = absent_python_minor();
    env.write(".python-version", &format!("{want}\n"));
    let out = env.pyve().arg("init").output().unwrap();
    assert_code(&out, 3);
    let err = stderr(&out);
    assert_contains(
        &err,
        &[
            &format!("error: python {want} (requested by .python-version) was not found; found: "),
            &format!(
                "install it with: pyenv install {want} (or `asdf install python latest:{want}`, or python{want} from your system package manager)"
            ),
        ],
    );
    // The system's python3 is named, with the version its name gives.
    let python3 = host_python3();
    if let Some(v) = version_in_name(&python3) {
        assert_contains(
            &err,
            &[&format!("found: {v} (system: {})", python3.display())],
        );
    }
}
