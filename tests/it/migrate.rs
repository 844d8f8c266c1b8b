//! `pyve migrate`: venv → micromamba writes environment.yml (conda names from the
//! table, the rest under `pip:`, a warning listing those), micromamba → venv writes
//! requirements.txt (conda-only packages as comments and a warning, never dropped);
//! `--dry-run` writes nothing; nothing is replaced or removed without `--yes`; the old
//! env stays until the new one is ready. The round trip keeps every dependency it can.

use crate::common::*;
use crate::micromamba::{Kind, Mamba};

const REQUIREMENTS: &str = "numpy>=1.26\ntorch==2.1\nPyYAML\nrich[jupyter]>=13  # extras stay pip\nimportlib-metadata; python_version < \"3.10\"\nattrs\n";

/// Requirement lines without comments, names PEP 503-normalised.
fn requirement_set(text: &str) -> Vec<String> {
    let mut v: Vec<String> = text
        .lines()
        .map(|l| l.split(" #").next().unwrap().trim())
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| {
            let end = l
                .find(|c: char| !(c.is_ascii_alphanumeric() || "._-".contains(c)))
                .unwrap_or(l.len());
            format!("{}{}", l[..end].to_lowercase().replace('_', "-"), &l[end..])
        })
        .collect();
    v.sort();
    v
}

#[test]
fn dry_runs_there_and_back_keep_every_dependency_and_write_nothing() {
    let env = TestEnv::new();
    env.write("requirements.txt", REQUIREMENTS);
    env.write(
        "pyproject.toml",
        "[project]\nname = \"demo\"\ndependencies = [\"packaging>=23\"]\n",
    );
    let out = env
        .pyve()
        .args([
            "migrate",
            "--from",
            "venv",
            "--to",
            "micromamba",
            "--dry-run",
        ])
        .output()
        .unwrap();
    assert_code(&out, 0);
    let yml = stdout(&out);
    assert_contains(
        &stderr(&out),
        &[
            "warning: 3 (no conda package pyve knows; kept under `pip:`): rich[jupyter]>=13, importlib-metadata; python_version < \"3.10\", attrs",
            "would write environment.yml (dry run: nothing written)",
        ],
    );
    // Conda names where they differ, markers and extras under pip:.
    let doc: serde_json::Value = serde_saphyr::from_str(&yml).unwrap();
    let deps = doc["dependencies"].as_array().unwrap();
    let conda: Vec<&str> = deps.iter().filter_map(|d| d.as_str()).collect();
    assert_eq!(
        conda,
        [
            "python",
            "pip",
            "numpy>=1.26",
            "pytorch==2.1",
            "pyyaml",
            "packaging>=23"
        ]
    );
    assert_eq!(
        deps.last().unwrap()["pip"],
        serde_json::json!([
            "rich[jupyter]>=13",
            "importlib-metadata; python_version < \"3.10\"",
            "attrs"
        ])
    );
    assert!(
        !env.p("environment.yml").exists(),
        "a dry run writes nothing"
    );

    // And back, from that file in another project.
    let back = TestEnv::new();
    back.write("environment.yml", &yml);
    let out = back
        .pyve()
        .args([
            "migrate",
            "--from",
            "micromamba",
            "--to",
            "venv",
            "--dry-run",
        ])
        .output()
        .unwrap();
    assert_code(&out, 0);
    let mut want = requirement_set(REQUIREMENTS);
    want.push("packaging>=23".into());
    want.sort();
    assert_eq!(requirement_set(&stdout(&out)), want);
    assert!(!back.p("requirements.txt").exists());
}

#[test]
fn conda_only_packages_are_reported_and_written_as_comments() {
    let env = TestEnv::new();
    env.write(
        "environment.yml",
        "dependencies:\n  - python=3.11\n  - cudatoolkit=11.8\n  - six 1.16.* pyh_0\n",
    );
    let out = env
        .pyve()
        .args([
            "migrate",
            "--from",
            "micromamba",
            "--to",
            "venv",
            "--dry-run",
        ])
        .output()
        .unwrap();
    assert_code(&out, 0);
    assert_contains(
        &stderr(&out),
        &[
            "warning: 1 (conda-only, not installable with pip; written as comments, not installed): cudatoolkit=11.8",
            "six: build string `pyh_0` left out (pip has none)",
        ],
    );
    assert_contains(
        &stdout(&out),
        &["six==1.16.*\n", "# conda-only: cudatoolkit=11.8\n"],
    );
}

#[test]
fn venv_to_micromamba_and_back_for_real_keeps_the_old_env_until_yes() {
    let Some(m) = Mamba::new(Kind::Real) else {
        return;
    };
    let env = &m.env;
    std::fs::remove_file(env.p("environment.yml")).unwrap();
    env.write("requirements.txt", "six\npackaging\n");
    // The channel the new env file names (as `micromamba.channels` says).
    env.write(
        ".pyve/config",
        &format!("micromamba:\n  channels: [{}]\n", m.channel),
    );
    env.wheel("wheels", "six", "1.17.0", "X = 1\n");
    env.wheel("wheels", "packaging", "26.4", "X = 1\n");
    let links = env.p("wheels");
    let pyve = || {
        let mut c = m.pyve();
        c.env("PIP_FIND_LINKS", &links);
        c
    };
    assert_code(&pyve().arg("init").output().unwrap(), 0);
    assert!(env.p(".venv/bin/python").exists());

    let out = pyve()
        .args(["migrate", "--from", "venv", "--to", "micromamba"])
        .output()
        .unwrap();
    assert_code(&out, 0);
    assert_contains(
        &stderr(&out),
        &[
            "✓ wrote environment.yml",
            "created in",
            "the venv env .venv is kept; `pyve migrate … --yes` (or removing it yourself) lets it go",
        ],
    );
    let status = env.status_json(&[]);
    assert_eq!(status["backend"]["name"], "micromamba");
    assert_eq!(status["env"]["state"], "ready");
    assert!(
        env.p(".venv/bin/python").exists(),
        "the old env stays without --yes"
    );
    let prefix = std::path::PathBuf::from(status["env"]["path"].as_str().unwrap());
    assert!(
        list_dir(&prefix.join("conda-meta"))
            .iter()
            .any(|r| r.starts_with("six-")),
        "six is a conda package now"
    );

    // Back: requirements.txt exists, so only --yes replaces it; then the conda env goes.
    let out = pyve()
        .args(["migrate", "--from", "micromamba", "--to", "venv"])
        .output()
        .unwrap();
    assert_code(&out, 2);
    assert_contains(
        &stderr(&out),
        &["requirements.txt exists: `--yes` replaces it (`--dry-run` shows what would be written)"],
    );
    assert_eq!(
        std::fs::read_to_string(env.p("requirements.txt")).unwrap(),
        "six\npackaging\n"
    );
    let out = pyve()
        .args(["migrate", "--from", "micromamba", "--to", "venv", "--yes"])
        .output()
        .unwrap();
    assert_code(&out, 0);
    assert_eq!(
        requirement_set(&std::fs::read_to_string(env.p("requirements.txt")).unwrap()),
        ["packaging", "six"]
    );
    let status = env.status_json(&[]);
    assert_eq!(status["backend"]["name"], "venv");
    assert_eq!(status["env"]["state"], "ready");
    assert!(
        !prefix.exists(),
        "--yes removes the old env once the new one is ready"
    );
}

#[test]
fn refusals_name_what_is_wrong() {
    let env = TestEnv::new();
    let migrate = |args: &[&str]| env.pyve().arg("migrate").args(args).output().unwrap();
    let out = migrate(&["--from", "venv", "--to", "venv"]);
    assert_code(&out, 2);
    assert_contains(
        &stderr(&out),
        &[
            "--from venv --to venv: nothing to migrate; the two must differ (venv → micromamba, micromamba → venv)",
        ],
    );
    let out = migrate(&["--from", "auto", "--to", "venv"]);
    assert_code(&out, 2);
    assert_contains(
        &stderr(&out),
        &["--from and --to name a backend: venv or micromamba (not auto)"],
    );
    let out = migrate(&["--from", "venv", "--to", "micromamba", "--dry-run", "--yes"]);
    assert_code(&out, 2);
    assert_contains(&stderr(&out), &["cannot be used with"]);
    let out = migrate(&["--from", "venv", "--to", "micromamba"]);
    assert_code(&out, 3);
    assert_contains(
        &stderr(&out),
        &["nothing to migrate: no requirements.txt or pyproject.toml in"],
    );
    let out = migrate(&["--from", "micromamba", "--to", "venv"]);
    assert_code(&out, 3);
    assert_contains(
        &stderr(&out),
        &["nothing to migrate: no environment.yml in"],
    );
    env.write("requirements.txt", "six\n");
    env.write("environment.yml", "dependencies: [python]\n");
    let out = migrate(&["--from", "venv", "--to", "micromamba"]);
    assert_code(&out, 2);
    assert_contains(
        &stderr(&out),
        &["environment.yml exists: `--yes` replaces it"],
    );
    assert_eq!(
        std::fs::read_to_string(env.p("environment.yml")).unwrap(),
        "dependencies: [python]\n"
    );
}

/// The spec files describe the top-level env: a named env selected is refused with the
/// way to run it, and the named envs that follow the spec files are told before
/// anything is written that the new file changes their backend.
#[test]
fn with_several_envs_migrate_converts_the_top_level_env_and_names_the_envs_it_moves() {
    let env = TestEnv::new();
    env.write("requirements.txt", "six\n");
    env.write(
        ".pyve/config",
        "envs:\n  dev: {}\n  ci:\n    backend: venv\n",
    );
    let migrate = |args: &[&str], vars: &[(&str, &str)]| {
        let mut c = env.pyve();
        c.arg("migrate").args(args);
        for (k, v) in vars {
            c.env(k, v);
        }
        c.output().unwrap()
    };
    let args = ["--from", "venv", "--to", "micromamba"];
    let out = migrate(&args, &[("PYVE_ENV", "dev")]);
    assert_code(&out, 2);
    assert_eq!(
        stderr(&out),
        "error: pyve migrate converts the top-level env, and env `dev` is selected (by PYVE_ENV): run it as `PYVE_ENV=default pyve migrate …`\n"
    );
    assert!(!env.p("environment.yml").exists());
    let mut with_default = std::fs::read_to_string(env.p(".pyve/config")).unwrap();
    with_default.push_str("default_env: dev\n");
    env.write(".pyve/config", &with_default);
    let out = migrate(&[&args[..], &["--dry-run"]].concat(), &[]);
    assert_code(&out, 2);
    assert_contains(
        &stderr(&out),
        &[
            "env `dev` is selected (by default_env in .pyve/config): run it as `PYVE_ENV=default pyve migrate …`",
        ],
    );
    // Selected back to the top level: the dry run says which env moves with it.
    let out = migrate(
        &[&args[..], &["--dry-run"]].concat(),
        &[("PYVE_ENV", "default")],
    );
    assert_code(&out, 0);
    let err = stderr(&out);
    assert_contains(
        &err,
        &[
            "env `dev` has no backend of its own and follows the spec files: with environment.yml it becomes a micromamba env (`envs.dev.backend: venv` in .pyve/config keeps it a venv)",
        ],
    );
    assert!(!err.contains("env `ci`"), "{err}");
    assert!(!env.p("environment.yml").exists());
}
