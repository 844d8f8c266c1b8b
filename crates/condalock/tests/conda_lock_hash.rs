//! The crate's content hash and lock verdicts against conda-lock itself.
//!
//! The expectations under tests/data/ were computed by conda-lock's own
//! Python API (tests/data/hash.py; no solving, no network):
//!
//! - expected.json: per case of cases.json and per platform, the hash `conda-lock lock`
//!   writes and every hash `--check-input-hash` accepts;
//! - specs-expected.json: conda-lock's parse of ~200 match specs and pip requirements;
//! - locks/*/conda-lock.yml: lock files whose `metadata.content_hash` conda-lock computed.
//!
//! With `PYVE_TEST_CONDA_LOCK_PYTHON=/path/to/python` (a python where `import
//! conda_lock` works), the live test recomputes all of it with that conda-lock and
//! compares again; without it, it skips visibly (and fails under `PYVE_TEST_STRICT=1`).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use condalock::{
    CheckOptions, Cuda, EnvSource, PlatformVerdict, SpecOptions, VirtualPackageRepo,
    VirtualPackagesChoice,
};
use serde_json::Value;

fn support() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data")
}

fn read_json(name: &str) -> Value {
    let path = support().join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The hashes conda-lock reports and the ones condalock computes, per case and platform,
/// in expected.json's shape: {case: {platform: {content_hash, accepted: [..]}}}.
fn our_expectations() -> Value {
    let cases = read_json("cases.json");
    let mut out = serde_json::Map::new();
    for case in cases["cases"].as_array().expect("cases") {
        let name = case["name"].as_str().expect("name");
        let sources: Vec<EnvSource> = case["sources"]
            .as_array()
            .expect("sources")
            .iter()
            .map(|s| {
                EnvSource::read(&support().join(s.as_str().expect("source"))).expect("read source")
            })
            .collect();
        let strings = |v: &Value| -> Option<Vec<String>> {
            v.as_array().map(|a| {
                a.iter()
                    .map(|s| s.as_str().expect("string").to_string())
                    .collect()
            })
        };
        let options = SpecOptions {
            platforms: strings(&case["platforms"]),
            channels: strings(&case["channels"]),
            cwd: Some(support()),
            environ: Some(Vec::new()),
        };
        let vp = &case["virtual_packages"];
        let vpr = match vp["kind"].as_str().unwrap_or("default") {
            "none" => None,
            "spec" => Some(
                VirtualPackageRepo::from_spec_file(
                    &support().join(vp["path"].as_str().expect("path")),
                )
                .expect("virtual package spec"),
            ),
            _ => Some(VirtualPackageRepo::conda_lock_default(
                &match vp["cuda"].as_str() {
                    None | Some("default") => Cuda::Default,
                    Some("") => Cuda::Without,
                    Some(v) => Cuda::Version(v.to_string()),
                },
            )),
        };
        let spec = match condalock::make_lock_spec(&sources, &options) {
            Ok(spec) => spec,
            Err(e) => {
                out.insert(
                    name.to_string(),
                    serde_json::json!({ "error": e.to_string() }),
                );
                continue;
            }
        };
        let mut per = serde_json::Map::new();
        for platform in &spec.platforms {
            per.insert(
                platform.clone(),
                serde_json::json!({
                    "content_hash": spec.content_hash(platform, vpr.as_ref()),
                    "accepted": spec.accepted_content_hashes(platform, vpr.as_ref()),
                }),
            );
        }
        out.insert(name.to_string(), Value::Object(per));
    }
    Value::Object(out)
}

/// Differences between conda-lock's expectations and condalock's, one line each.
fn diff_expectations(conda_lock: &Value, ours: &Value) -> Vec<String> {
    let mut problems = Vec::new();
    let cl = conda_lock.as_object().expect("object");
    let py = ours.as_object().expect("object");
    for (case, want) in cl {
        let Some(got) = py.get(case) else {
            problems.push(format!("{case}: condalock has no result"));
            continue;
        };
        match (want.get("error"), got.get("error")) {
            (Some(_), Some(_)) => continue,
            (Some(e), None) => {
                problems.push(format!(
                    "{case}: conda-lock fails ({e}) but condalock hashes it"
                ));
                continue;
            }
            (None, Some(e)) => {
                problems.push(format!("{case}: condalock fails: {e}"));
                continue;
            }
            (None, None) => {}
        }
        let want_platforms: Vec<&String> = want.as_object().expect("platforms").keys().collect();
        let got_platforms: Vec<&String> = got.as_object().expect("platforms").keys().collect();
        if want_platforms != got_platforms {
            problems.push(format!(
                "{case}: platforms differ: conda-lock {want_platforms:?}, condalock {got_platforms:?}"
            ));
        }
        for (platform, w) in want.as_object().expect("platforms") {
            let g = &got[platform];
            if w["content_hash"] != g["content_hash"] {
                problems.push(format!(
                    "{case} {platform}: content_hash conda-lock {} condalock {}",
                    w["content_hash"], g["content_hash"]
                ));
            }
            if w["accepted"] != g["accepted"] {
                problems.push(format!(
                    "{case} {platform}: accepted hashes differ: conda-lock {} condalock {}",
                    w["accepted"], g["accepted"]
                ));
            }
        }
    }
    for case in py.keys() {
        if !cl.contains_key(case) {
            problems.push(format!(
                "{case}: no conda-lock expectation (regenerate expected.json)"
            ));
        }
    }
    problems
}

#[test]
fn content_hashes_match_conda_lock_for_every_fixture_env() {
    let expected = read_json("expected.json");
    let cases = read_json("cases.json");
    let n = cases["cases"].as_array().expect("cases").len();
    assert!(n >= 12, "a dozen varied env files at least, found {n}");
    let problems = diff_expectations(&expected["cases"], &our_expectations());
    assert!(
        problems.is_empty(),
        "condalock disagrees with conda-lock {} on {} point(s):\n  {}",
        expected["conda_lock_version"],
        problems.len(),
        problems.join("\n  ")
    );
}

/// condalock's parse of the strings of specs.json, in specs-expected.json's shape.
fn our_specs() -> Value {
    let specs = read_json("specs.json");
    let mut conda = serde_json::Map::new();
    for s in specs["conda"].as_array().expect("conda") {
        let s = s.as_str().expect("string");
        let v = match condalock::parse_conda_spec(s, &support()) {
            Ok(spec) => serde_json::json!({
                "name": spec.name,
                "version": spec.version,
                "build": spec.build,
                "conda_channel": spec.channel,
            }),
            Err(e) => serde_json::json!({ "error": e.to_string() }),
        };
        conda.insert(s.to_string(), v);
    }
    let mut pip = serde_json::Map::new();
    for s in specs["pip"].as_array().expect("pip") {
        let s = s.as_str().expect("string");
        let v = match condalock::parse_pip_requirement(s, "main", &support()) {
            Ok(dep) => dep.model_dump(),
            Err(e) => serde_json::json!({ "error": e.to_string() }),
        };
        pip.insert(s.to_string(), v);
    }
    serde_json::json!({ "conda": conda, "pip": pip })
}

fn diff_specs(conda_lock: &Value, ours: &Value) -> Vec<String> {
    let mut problems = Vec::new();
    for (kind, fields) in [
        ("conda", &["name", "version", "build", "conda_channel"][..]),
        ("pip", &[][..]),
    ] {
        for (s, want) in conda_lock[kind].as_object().expect("object") {
            let got = &ours[kind][s];
            match (want.get("error"), got.get("error")) {
                (Some(_), Some(_)) => continue,
                (Some(e), None) => {
                    problems.push(format!(
                        "{kind} {s:?}: conda-lock fails ({e}), condalock gives {got}"
                    ));
                    continue;
                }
                (None, Some(e)) => {
                    problems.push(format!(
                        "{kind} {s:?}: condalock fails ({e}), conda-lock gives {want}"
                    ));
                    continue;
                }
                (None, None) => {}
            }
            if fields.is_empty() {
                let mut want = want.clone();
                if let Some(m) = want.as_object_mut() {
                    m.remove("type");
                }
                if want != *got {
                    problems.push(format!("{kind} {s:?}: conda-lock {want}, condalock {got}"));
                }
            } else {
                for f in fields {
                    if want[*f] != got[*f] {
                        problems.push(format!(
                            "{kind} {s:?}: {f} conda-lock {} condalock {}",
                            want[*f], got[*f]
                        ));
                    }
                }
            }
        }
    }
    problems
}

#[test]
fn match_specs_and_pip_requirements_parse_like_conda_lock() {
    let expected = read_json("specs-expected.json");
    let problems = diff_specs(&expected, &our_specs());
    assert!(
        problems.is_empty(),
        "condalock parses {} spec(s) differently from conda-lock:\n  {}",
        problems.len(),
        problems.join("\n  ")
    );
}

#[test]
fn live_conda_lock_comparison() {
    let Some(python) = std::env::var_os("PYVE_TEST_CONDA_LOCK_PYTHON").filter(|v| !v.is_empty())
    else {
        skip(
            "live conda-lock comparison: no conda-lock",
            "PYVE_TEST_CONDA_LOCK_PYTHON to a python where `import conda_lock` works",
        );
        return;
    };
    let run = |args: &[&str]| -> Value {
        let out = Command::new(&python)
            .arg(support().join("hash.py"))
            .args(args)
            .output()
            .unwrap_or_else(|e| panic!("cannot run {}: {e}", python.to_string_lossy()));
        assert!(
            out.status.success(),
            "hash.py {args:?} failed:\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).expect("hash.py prints JSON")
    };
    let live = run(&["expected"]);
    eprintln!("live conda-lock {}", live["conda_lock_version"]);
    let mut problems = diff_expectations(&live["cases"], &our_expectations());
    let committed = read_json("expected.json");
    if live["cases"] != committed["cases"] {
        problems.push(format!(
            "committed expected.json (conda-lock {}) differs from live conda-lock {}: \
             regenerate it with `hash.py expected --write`",
            committed["conda_lock_version"], live["conda_lock_version"]
        ));
    }
    let live_specs = run(&["specs"]);
    problems.extend(diff_specs(&live_specs, &our_specs()));
    // And the lock fixtures' recorded hashes.
    let cases = read_json("cases.json");
    for entry in cases["locks"].as_array().expect("locks") {
        let dir = support()
            .join("locks")
            .join(entry["dir"].as_str().expect("dir"));
        let hash_from: Vec<String> = entry
            .get("hash_from")
            .unwrap_or(&entry["sources"])
            .as_array()
            .expect("sources")
            .iter()
            .map(|s| dir.join(s.as_str().expect("source")).display().to_string())
            .collect();
        let mut args: Vec<String> = vec!["hash".into()];
        args.extend(hash_from);
        if let Some(p) = entry["virtual_packages"]["path"].as_str() {
            args.push("--virtual-package-spec".into());
            args.push(dir.join(p).display().to_string());
        }
        let argv: Vec<&str> = args.iter().map(String::as_str).collect();
        let hashes = run(&argv);
        let lock_dir = dir.join(entry["lock_dir"].as_str().unwrap_or("."));
        let lock =
            condalock::read_lockfile(&lock_dir.join("conda-lock.yml")).expect("fixture lock");
        for (platform, recorded) in &lock.metadata.content_hash {
            let accepted = &hashes[platform]["accepted"];
            if !accepted
                .as_array()
                .is_some_and(|a| a.iter().any(|h| h.as_str() == Some(recorded)))
            {
                problems.push(format!(
                    "locks/{}: {platform} records {recorded}, which live conda-lock does not accept",
                    entry["dir"]
                ));
            }
        }
    }
    assert!(
        problems.is_empty(),
        "condalock disagrees with live conda-lock {} on {} point(s):\n  {}",
        live["conda_lock_version"],
        problems.len(),
        problems.join("\n  ")
    );
}

// ───────────────────────────── check() on lock files ─────────────────────────────

fn lock_dir(name: &str) -> PathBuf {
    support().join("locks").join(name)
}

fn verdicts(name: &str, options: &CheckOptions) -> Vec<(String, PlatformVerdict)> {
    let dir = lock_dir(name);
    condalock::check_with(&dir.join("conda-lock.yml"), &dir, options)
        .unwrap_or_else(|e| panic!("check {name}: {e}"))
        .per_platform
}

#[test]
fn check_up_to_date_lock() {
    let dir = lock_dir("up_to_date");
    let v = condalock::check(&dir.join("conda-lock.yml"), &dir).expect("check");
    assert!(v.is_up_to_date(), "{v:#?}");
    assert_eq!(
        v.per_platform,
        vec![
            ("linux-64".to_string(), PlatformVerdict::UpToDate),
            ("osx-arm64".to_string(), PlatformVerdict::UpToDate),
        ]
    );
    assert_eq!(v.sources, vec![dir.join("environment.yml")]);
}

#[test]
fn check_stale_for_one_platform_only() {
    let dir = lock_dir("stale_linux");
    let v = condalock::check(&dir.join("conda-lock.yml"), &dir).expect("check");
    assert!(!v.is_up_to_date());
    assert_eq!(v.stale_platforms(), vec!["linux-64"]);
    let lock = condalock::read_lockfile(&dir.join("conda-lock.yml")).expect("lock");
    let (platform, verdict) = &v.per_platform[0];
    assert_eq!(platform, "linux-64");
    match verdict {
        PlatformVerdict::Stale { expected, actual } => {
            assert_eq!(actual, &lock.metadata.content_hash["linux-64"]);
            // What conda-lock would write now for the current environment.yml.
            let now = condalock::content_hash(
                &[EnvSource::read(&dir.join("environment.yml")).expect("env")],
                "linux-64",
                Some(&VirtualPackageRepo::conda_lock_default(&Cuda::Default)),
            )
            .expect("hash");
            assert_eq!(expected, &now);
            assert_ne!(expected, actual);
        }
        other => panic!("linux-64 should be stale, got {other:?}"),
    }
    assert_eq!(
        v.per_platform[1],
        ("osx-arm64".to_string(), PlatformVerdict::UpToDate)
    );
    // The unchanged env file the lock was made from is up to date on both platforms.
    let before = [EnvSource::read(&dir.join("environment.before.yml")).expect("env")];
    for platform in ["linux-64", "osx-arm64"] {
        let h = condalock::content_hash(
            &before,
            platform,
            Some(&VirtualPackageRepo::conda_lock_default(&Cuda::Default)),
        )
        .expect("hash");
        assert_eq!(h, lock.metadata.content_hash[platform], "{platform}");
    }
}

#[test]
fn check_accepts_a_legacy_hash_variant() {
    // The lock records a hash conda-lock accepts for backwards compatibility but no
    // longer writes (no spurious build number in the virtual packages, or new nulls).
    let dir = lock_dir("legacy_hash");
    let lock = condalock::read_lockfile(&dir.join("conda-lock.yml")).expect("lock");
    let now = condalock::content_hash(
        &[EnvSource::read(&dir.join("environment.yml")).expect("env")],
        "linux-64",
        Some(&VirtualPackageRepo::conda_lock_default(&Cuda::Default)),
    )
    .expect("hash");
    assert_ne!(lock.metadata.content_hash["linux-64"], now);
    let v = verdicts("legacy_hash", &CheckOptions::default());
    assert!(
        v.iter().all(|(_, v)| *v == PlatformVerdict::UpToDate),
        "{v:#?}"
    );
}

#[test]
fn check_reports_missing_sources() {
    let dir = lock_dir("missing_source");
    let v = verdicts("missing_source", &CheckOptions::default());
    assert_eq!(v.len(), 2);
    for (_, verdict) in v {
        assert_eq!(
            verdict,
            PlatformVerdict::SourceMissing(vec![dir.join("environment.yml")])
        );
    }
}

#[test]
fn check_reports_a_declared_platform_the_lock_lacks() {
    let v = verdicts("not_locked", &CheckOptions::default());
    let names: Vec<&str> = v.iter().map(|(p, _)| p.as_str()).collect();
    assert_eq!(names, vec!["linux-64", "osx-arm64", "win-64"]);
    assert_eq!(v[0].1, PlatformVerdict::UpToDate);
    assert_eq!(v[1].1, PlatformVerdict::UpToDate);
    assert!(
        matches!(&v[2].1, PlatformVerdict::NotLocked { expected } if expected.len() == 64),
        "{v:#?}"
    );
}

#[test]
fn check_uses_virtual_packages_yml_in_the_project_root() {
    // conda-lock picks up virtual-packages.yml from the directory it runs in.
    let v = verdicts("vp_spec", &CheckOptions::default());
    assert_eq!(v, vec![("linux-64".to_string(), PlatformVerdict::UpToDate)]);
    // Run elsewhere, or with the default repo spelled out, the same lock is stale.
    let default = CheckOptions {
        virtual_packages: VirtualPackagesChoice::Default(Cuda::Default),
        ..CheckOptions::default()
    };
    let v = verdicts("vp_spec", &default);
    assert!(matches!(v[0].1, PlatformVerdict::Stale { .. }), "{v:#?}");
    let explicit = CheckOptions {
        virtual_packages: VirtualPackagesChoice::SpecFile(
            lock_dir("vp_spec").join("virtual-packages.yml"),
        ),
        ..CheckOptions::default()
    };
    assert_eq!(
        verdicts("vp_spec", &explicit)[0].1,
        PlatformVerdict::UpToDate
    );
}

#[test]
fn check_resolves_sources_relative_to_the_lock_file() {
    let dir = lock_dir("nested");
    let lock_path = dir.join("lock").join("conda-lock.yml");
    let v = condalock::check(&lock_path, &dir).expect("check");
    assert_eq!(v.sources, vec![dir.join("lock").join("../environment.yml")]);
    assert!(v.is_up_to_date(), "{v:#?}");
}

#[test]
fn check_reports_malformed_lock_files_with_a_location() {
    let dir = lock_dir("malformed");
    let err: condalock::Error =
        condalock::check(&dir.join("conda-lock.yml"), &dir).expect_err("malformed");
    assert!(err.file.ends_with("conda-lock.yml"), "{err}");
    assert!(err.line.is_some(), "no line in {err}");
    let shown = err.to_string();
    assert!(
        shown.contains(&format!(":{}:", err.line.unwrap_or(0))),
        "{shown}"
    );

    for (text, want_line, needle) in [
        (
            "version: 2\nmetadata: {content_hash: {}, channels: [], platforms: [], sources: []}\n",
            1,
            "version 2",
        ),
        // serde reports a missing key at the end of its mapping.
        (
            "version: 1\nmetadata:\n  content_hash: {}\n  channels: []\n  platforms: []\n",
            5,
            "missing key `sources`",
        ),
        (
            "version: 1\nmetadata: {content_hash: {}, channels: [], platforms: [], sources: []}\npackage:\n  - name: x\n    version: '1'\n    manager: npm\n    platform: linux-64\n    url: u\n    hash: {md5: m}\n",
            6,
            "npm",
        ),
    ] {
        let err = condalock::parse_lockfile(text, "conda-lock.yml").expect_err(text);
        assert_eq!(err.line, Some(want_line), "{err}");
        assert!(err.to_string().contains(needle), "{err}");
    }
}

#[test]
fn unknown_keys_in_lock_files_are_tolerated() {
    let text = "version: 1\n\
                metadata:\n  content_hash: {linux-64: abc}\n  channels: [{url: conda-forge, used_env_vars: []}]\n  \
                platforms: [linux-64]\n  sources: [environment.yml]\n  time_metadata: {created_at: '2024'}\n  \
                custom_metadata: {team: x}\n\
                package:\n  - name: python\n    version: 3.11.7\n    manager: conda\n    platform: linux-64\n    \
                dependencies: {libzlib: '>=1.2'}\n    url: https://x/python.conda\n    hash: {md5: m, sha256: s}\n    \
                category: main\n    optional: false\n    something_new: 1\n";
    let lock = condalock::parse_lockfile(text, "conda-lock.yml").expect("tolerant");
    assert_eq!(lock.metadata.content_hash["linux-64"], "abc");
    assert_eq!(lock.package[0].dependencies["libzlib"], ">=1.2");
    assert_eq!(lock.package[0].hash.sha256.as_deref(), Some("s"));
}

#[test]
fn env_file_errors_point_at_the_line() {
    let src = EnvSource::new(
        "environment.yml",
        "name: x\nchannels: [conda-forge]\ndependencies:\n  - python=3.11\n  - numpy >=\n",
    );
    let err = condalock::make_lock_spec(&[src], &SpecOptions::default()).expect_err("bad spec");
    assert_eq!((err.line, err.column), (Some(5), Some(5)), "{err}");
    assert!(err.kind.to_string().contains("numpy >="), "{err}");

    let src = EnvSource::new(
        "environment.yml",
        "name: x\ndependencies:\n  - python=3.11\n   - oops: [\n",
    );
    let err = condalock::make_lock_spec(&[src], &SpecOptions::default()).expect_err("bad yaml");
    assert!(err.line.is_some(), "{err}");
}

#[test]
fn accepted_hashes_contain_the_written_hash() {
    let sources = [EnvSource::read(&support().join("envs/simple.yml")).expect("env")];
    let spec = condalock::make_lock_spec(&sources, &SpecOptions::default()).expect("spec");
    let vpr = VirtualPackageRepo::conda_lock_default(&Cuda::Default);
    for platform in &spec.platforms {
        let accepted: BTreeSet<String> = spec.accepted_content_hashes(platform, Some(&vpr));
        assert!(
            accepted.contains(&spec.content_hash(platform, Some(&vpr))),
            "{platform}"
        );
        // osx-64 also accepts the variants with/without the duplicate __osx 10.15.
        assert_eq!(
            accepted.len(),
            if platform == "osx-64" { 8 } else { 4 },
            "{platform}"
        );
    }
}

/// A test that cannot run says so; under `PYVE_TEST_STRICT=1` (CI) that fails it.
fn skip(reason: &str, enable: &str) {
    let line = format!("skipped: {reason} (set {enable} to run it)");
    if std::env::var_os("PYVE_TEST_STRICT").is_some_and(|v| v == "1") {
        panic!("PYVE_TEST_STRICT=1 and this test would be {line}");
    }
    eprintln!("{line}");
}
