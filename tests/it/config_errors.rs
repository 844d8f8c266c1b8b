//! `.pyve/config` is untrusted input: every way it can be wrong is refused by the
//! binary with exit 2 and a message naming `.pyve/config:LINE:COL` (docs/configuration.md), by
//! every command that reads it. And a valid one is shown with where each value came from.

use crate::common;

use common::*;
use serde_json::json;

/// (config text, the error line, the hint line if any)
const CASES: &[(&str, &str, Option<&str>)] = &[
    (
        "python:\n  version: 3.1O\n",
        ".pyve/config:2:12: invalid python version `3.1O`: expected a version like \"3.11\" or \"3.11.7\"",
        None,
    ),
    (
        "python:\n  version: \"3.1x\"\n",
        ".pyve/config:2:12: invalid python version `3.1x`: expected a version like \"3.11\" or \"3.11.7\"",
        None,
    ),
    (
        "python:\n  version: \"3.11\n",
        ".pyve/config:2:12: invalid YAML: unclosed quote",
        None,
    ),
    (
        "micromamba:\n  allow_pip: maybe\n",
        ".pyve/config:2:14: wrong type: expected a boolean (true or false)",
        None,
    ),
    (
        "micromamba:\n  channels: conda-forge\n",
        ".pyve/config:2:13: wrong type: expected a list, e.g. [conda-forge]",
        None,
    ),
    (
        "venv: 3\n",
        ".pyve/config:1:7: wrong type: expected a mapping (indented `key: value` lines)",
        None,
    ),
    (
        "backend: conda\n",
        ".pyve/config:1:10: unknown backend `conda`: expected `venv` or `micromamba`",
        None,
    ),
    (
        "backend: vnev\n",
        ".pyve/config:1:10: unknown backend `vnev`: expected `venv` or `micromamba`",
        Some("did you mean `venv`?"),
    ),
    (
        "bakend: venv\n",
        ".pyve/config:1:1: unknown key `bakend`",
        Some(
            "did you mean `backend`? (known keys here: backend, micromamba, python, venv, run, default_env, envs)",
        ),
    ),
    (
        "micromamba:\n  envname: x\n",
        ".pyve/config:2:3: unknown key `envname`",
        Some("did you mean `env_name`?"),
    ),
    (
        "backend: venv\nbackend: micromamba\n",
        ".pyve/config:2:1: duplicate key `backend`",
        Some("each key may appear once; remove one of them"),
    ),
    (
        "python:\n  version: three\n",
        ".pyve/config:2:12: invalid python version `three`: expected a version like \"3.11\" or \"3.11.7\"",
        Some("quote it so YAML keeps it a string: version: \"3.10\""),
    ),
    (
        "venv:\n  directory: ../x\n",
        ".pyve/config:2:14: venv.directory `../x` contains `..`",
        Some("write the path inside the project without `..` (pyve never resolves it)"),
    ),
    (
        "venv:\n  directory: /tmp/pyve-elsewhere\n",
        ".pyve/config:2:14: venv.directory `/tmp/pyve-elsewhere` leads outside the project",
        Some("paths in .pyve/config must stay inside"),
    ),
    (
        "micromamba:\n  prefix: envs/../../x\n",
        ".pyve/config:2:11: micromamba.prefix `envs/../../x` contains `..`",
        None,
    ),
    (
        "venv:\n  directory: .\n",
        ".pyve/config:2:14: venv.directory `.` cannot be an env directory: it is the project itself (pyve deletes and rebuilds env directories)",
        None,
    ),
    (
        "micromamba:\n  env_name: base\n",
        ".pyve/config:2:13: env name `base` is reserved (base, root, default, conda, mamba, micromamba are never used); pick another name",
        None,
    ),
    (
        "micromamba:\n  env_name: Root\n",
        ".pyve/config:2:13: env name `root` is reserved",
        None,
    ),
];

#[track_caller]
fn assert_config_error(env: &TestEnv, args: &[&str], line: &str, hint: Option<&str>) {
    let out = env.pyve().args(args).output().unwrap();
    assert_code(&out, 2);
    let err = stderr(&out);
    assert_contains(&err, &[&format!("error: invalid configuration: {line}")]);
    if let Some(h) = hint {
        assert_contains(&err, &[&format!("hint: {h}")]);
    }
    assert!(stdout(&out).is_empty(), "{args:?} printed on stdout");
}

#[test]
fn every_invalid_config_is_refused_with_its_position() {
    let env = TestEnv::new();
    for (text, line, hint) in CASES {
        env.write(".pyve/config", text);
        assert_config_error(&env, &["status"], line, *hint);
    }
}

#[test]
fn a_config_that_is_not_utf8_is_refused() {
    let env = TestEnv::new();
    std::fs::create_dir_all(env.p(".pyve")).unwrap();
    std::fs::write(env.p(".pyve/config"), b"backend: \xff\xfe\n").unwrap();
    assert_config_error(
        &env,
        &["status"],
        ".pyve/config: not UTF-8 text (invalid byte at offset 9)",
        None,
    );
}

#[test]
fn every_command_that_reads_the_config_refuses_it_and_init_changes_nothing() {
    let env = TestEnv::new();
    env.write("requirements.txt", "");
    env.write(".pyve/config", "bakend: venv\n");
    let line = ".pyve/config:1:1: unknown key `bakend`";
    for args in [
        &["init"][..],
        &["run", "python", "-c", "pass"],
        &["status", "--json"],
        &["config", "--json"],
        &["purge", "--yes"],
    ] {
        assert_config_error(&env, args, line, Some("did you mean `backend`?"));
    }
    // init stopped before taking the lock or building anything.
    assert_eq!(list_dir(&env.p(".pyve")), vec!["config"]);
    assert_eq!(list_dir(&env.project), vec![".pyve", "requirements.txt"]);
}

#[test]
fn a_path_escaping_through_a_symlink_is_refused() {
    let env = TestEnv::new();
    let outside = env.root.join("outside");
    std::fs::create_dir_all(&outside).unwrap();
    std::os::unix::fs::symlink(&outside, env.p("link")).unwrap();
    env.write(".pyve/config", "venv:\n  directory: link/venv\n");
    assert_config_error(
        &env,
        &["init"],
        ".pyve/config:2:14: venv.directory `link/venv` leads outside the project",
        Some(&format!(
            "paths in .pyve/config must stay inside {} (after resolving `..` and symlinks)",
            env.project.display()
        )),
    );
    assert!(
        list_dir(&outside).is_empty(),
        "init wrote outside the project"
    );
}

#[test]
fn invalid_python_requests_are_config_errors_too() {
    let env = TestEnv::new();
    env.write(".python-version", "snake\n");
    assert_config_error(
        &env,
        &["status"],
        ".python-version:1:1: python version `snake` is not one pyve understands: expected a version like 3.11 or 3.11.7, or `system`",
        Some("pyve builds venvs from CPython; name its version"),
    );
    env.write(".tool-versions", "nodejs 20\npython lts\n");
    assert_config_error(
        &env,
        &["init"],
        ".tool-versions:2:8: python version `lts` is not one pyve understands: expected a version like 3.11 or 3.11.7, or `system`",
        Some("pyve builds venvs from CPython; name its version"),
    );
    std::fs::remove_file(env.p(".tool-versions")).unwrap();
    std::fs::remove_file(env.p(".python-version")).unwrap();
    assert_config_error(
        &env,
        &["init", "--python-version", "snake"],
        "--python-version: invalid python version `snake`: expected a version like 3.11 or 3.11.7",
        None,
    );
    // Refused before anything was written: no .pyve/ (not even the lock), no .venv.
    assert!(
        list_dir(&env.project).is_empty(),
        "{:?}",
        list_dir(&env.project)
    );
}

#[test]
fn a_valid_config_is_shown_with_the_source_of_each_value() {
    let env = TestEnv::new();
    env.write("requirements.txt", "");
    env.write(
        ".pyve/config",
        "# hand-written\nbackend: venv\npython:\n  version: 3.10\nvenv:\n  directory: envs/main\nmicromamba:\n  env_name: My Project\n  channels: [conda-forge, bioconda]\n  allow_pip: true\n",
    );
    let out = env.pyve().args(["config", "--json"]).output().unwrap();
    assert_code(&out, 0);
    let c: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(c["config_file"], env.p(".pyve/config").to_str().unwrap());
    let v = &c["values"];
    let from_config = ".pyve/config";
    assert_eq!(
        v["backend"],
        json!({"value": "venv", "source": from_config})
    );
    // Unquoted 3.10 stays 3.10, not the float 3.1.
    assert_eq!(
        v["python.version"],
        json!({"value": "3.10", "source": from_config})
    );
    assert_eq!(
        v["venv.directory"],
        json!({"value": "envs/main", "source": from_config})
    );
    assert_eq!(
        v["micromamba.env_name"],
        json!({"value": "my-project", "source": from_config})
    );
    assert_eq!(
        v["micromamba.channels"],
        json!({"value": ["conda-forge", "bioconda"], "source": from_config})
    );
    assert_eq!(
        v["micromamba.allow_pip"],
        json!({"value": true, "source": from_config})
    );
    assert_eq!(
        v["micromamba.prefix"],
        json!({"value": ".pyve/envs/my-project", "source": "default"})
    );
    assert_eq!(
        v["micromamba.env_file"],
        json!({"value": null, "source": "none"})
    );

    // Without a config: defaults and detection, each saying so.
    std::fs::remove_file(env.p(".pyve/config")).unwrap();
    env.write(".python-version", "3.11\n");
    let out = env.pyve().args(["config", "--json"]).output().unwrap();
    assert_code(&out, 0);
    let c: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(c["config_file"], json!(null));
    let v = &c["values"];
    assert_eq!(
        v["backend"],
        json!({"value": "venv", "source": "detected from requirements.txt"})
    );
    assert_eq!(
        v["python.version"],
        json!({"value": "3.11", "source": ".python-version"})
    );
    assert_eq!(
        v["venv.directory"],
        json!({"value": ".venv", "source": "default"})
    );
    assert_eq!(
        v["micromamba.env_name"],
        json!({"value": "proj", "source": "project directory"})
    );

    // The text face lists the same, one key a line.
    let out = env.pyve().arg("config").output().unwrap();
    assert_code(&out, 0);
    let text = stdout(&out);
    assert_contains(
        &text,
        &[
            "# no .pyve/config yet",
            "python.version",
            "(.python-version)",
            "(detected from requirements.txt)",
        ],
    );
}

#[test]
fn a_channel_that_looks_like_an_option_is_refused_before_anything_runs() {
    let env = TestEnv::new();
    env.write("environment.yml", "name: demo\ndependencies: [python]\n");
    let out = env
        .pyve()
        .args(["init", "--channel=--override-channels"])
        .output()
        .unwrap();
    assert_code(&out, 2);
    assert_eq!(
        stderr(&out),
        "error: --channel: invalid channel `--override-channels`: a channel cannot start with `-`\n"
    );
    assert!(!env.p(".pyve").exists());
}

#[test]
fn env_directories_that_would_hurt_are_refused_at_their_line() {
    let env = TestEnv::new();
    for (value, why) in [
        (".", "it is the project itself"),
        (".git", "it would hold .git"),
        ("a/..", "contains `..`"),
        (".pyve/state", "it would hold .pyve/state"),
    ] {
        env.write(".pyve/config", &format!("venv:\n  directory: {value}\n"));
        let out = env.pyve().args(["init", "--force"]).output().unwrap();
        assert_code(&out, 2);
        let err = stderr(&out);
        assert!(err.contains(".pyve/config:2:14:"), "{value}: {err}");
        assert!(err.contains(why), "{value}: {err}");
    }
    assert!(env.p(".pyve/config").exists());
}

#[test]
fn config_shows_the_env_file_init_would_build_from() {
    let env = TestEnv::new();
    env.write("environment.yml", "name: demo\ndependencies: [python]\n");
    let cfg = |env: &TestEnv| -> serde_json::Value {
        let out = env.pyve().args(["config", "--json"]).output().unwrap();
        assert_code(&out, 0);
        serde_json::from_slice(&out.stdout).unwrap()
    };
    assert_eq!(
        cfg(&env)["values"]["micromamba.env_file"],
        json!({"value": "environment.yml", "source": "detected"})
    );
    // A lock that covers this platform is what init builds from: config says so too.
    let platform = if cfg!(target_os = "linux") {
        "linux-64"
    } else {
        "osx-arm64"
    };
    env.write(
        "conda-lock.yml",
        &format!("version: 1\nmetadata:\n  platforms: [{platform}]\n  sources: [environment.yml]\n  content_hash: {{}}\n  channels: []\npackage: []\n"),
    );
    if cfg!(all(target_os = "linux", target_arch = "x86_64")) {
        assert_eq!(
            cfg(&env)["values"]["micromamba.env_file"],
            json!({"value": "conda-lock.yml", "source": "detected"})
        );
    }
}
