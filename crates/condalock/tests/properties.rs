//! Property tests over the two files this crate reads from a project a stranger may
//! have written: `conda-lock.yml` and environment files. A fixed number of generated,
//! bounded inputs from a fixed random start (`RngSeed::Fixed`: CI tries the same ones every time); each must be
//! judged within [`HANG`]. The properties: nothing panics, and an error about something
//! in the file says where it is (`file:line:column`); only errors about the file as a
//! whole (empty, not a mapping, a key missing at the top) may carry no position.

use std::time::{Duration, Instant};

use condalock::{EnvSource, ErrorKind, SpecOptions, make_lock_spec, parse_lockfile};
use proptest::prelude::*;
use proptest::test_runner::{Config, RngSeed};

const HANG: Duration = Duration::from_secs(2);

fn cases(n: u32) -> Config {
    Config {
        cases: n,
        rng_seed: RngSeed::Fixed(0x636f_6e64),
        failure_persistence: None,
        max_shrink_iters: 512,
        ..Config::default()
    }
}

fn timed<T>(what: impl FnOnce() -> T) -> T {
    let started = Instant::now();
    let out = what();
    assert!(started.elapsed() < HANG, "took {:?}", started.elapsed());
    out
}

/// Whole-file complaints: there is no single spot in the file to point at.
fn about_the_whole_file(e: &condalock::Error) -> bool {
    let m = e.kind.to_string();
    [
        "empty file",
        "missing `version:`",
        "missing key",
        "not an environment file",
        "no platform",
        "no `dependencies:`",
    ]
    .iter()
    .any(|w| m.contains(w))
}

fn check(e: &condalock::Error, text: &str, file: &str) {
    let located = e.line.is_some() && e.column.is_some();
    assert!(
        located || about_the_whole_file(e),
        "no location: {e} for {text:?}"
    );
    assert!(e.to_string().starts_with(file), "{e}");
    if let (Some(l), Some(c)) = (e.line, e.column) {
        assert!(l >= 1 && c >= 1, "{e}");
        assert!(
            e.to_string().starts_with(&format!("{file}:{l}:{c}: ")),
            "{e}"
        );
    }
}

fn lock_value() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("1".to_string()),
        Just("2".to_string()),
        Just("-1".to_string()),
        Just("null".to_string()),
        Just("conda".to_string()),
        Just("pip".to_string()),
        Just("linux-64".to_string()),
        Just("[]".to_string()),
        Just("{}".to_string()),
        Just("[linux-64, osx-64]".to_string()),
        Just("{linux-64: abc}".to_string()),
        Just("{md5: x, sha256: y}".to_string()),
        Just("\"\\u001b[2J\"".to_string()),
        Just("&a x".to_string()),
        Just("*a".to_string()),
        "[ -~]{0,10}",
        "\\PC{0,6}",
    ]
}

fn lock_key() -> impl Strategy<Value = &'static str> {
    prop_oneof![
        Just("version"),
        Just("metadata"),
        Just("package"),
        Just("content_hash"),
        Just("channels"),
        Just("platforms"),
        Just("sources"),
        Just("url"),
        Just("used_env_vars"),
        Just("name"),
        Just("manager"),
        Just("platform"),
        Just("dependencies"),
        Just("hash"),
        Just("category"),
        Just("optional"),
        Just("extra"),
    ]
}

/// conda-lock.yml-ish text: its keys at three depths, list items, odd values, junk.
fn lock_text() -> impl Strategy<Value = String> {
    let line = prop_oneof![
        3 => (lock_key(), lock_value()).prop_map(|(k, v)| format!("{k}: {v}")),
        3 => (lock_key(), lock_value()).prop_map(|(k, v)| format!("  {k}: {v}")),
        2 => (lock_key(), lock_value()).prop_map(|(k, v)| format!("- {k}: {v}")),
        2 => (lock_key(), lock_value()).prop_map(|(k, v)| format!("    {k}: {v}")),
        2 => lock_key().prop_map(|k| format!("{k}:")),
        1 => lock_value().prop_map(|v| format!("  - {v}")),
        1 => Just("---".to_string()),
        1 => "\\PC{0,10}",
    ];
    prop::collection::vec(line, 0..16).prop_map(|l| l.join("\n"))
}

/// A valid lock's skeleton with one generated value, to get past the shape checks.
fn near_valid_lock() -> impl Strategy<Value = String> {
    (lock_value(), lock_value(), lock_value()).prop_map(|(version, platform, manager)| {
        format!(
            "version: {version}\nmetadata:\n  content_hash: {{linux-64: abc}}\n  channels: [{{url: conda-forge}}]\n  platforms: [{platform}]\n  sources: [environment.yml]\npackage:\n- name: python\n  version: 3.11.0\n  manager: {manager}\n  platform: {platform}\n  url: https://example.invalid/p.conda\n  hash: {{md5: x}}\n"
        )
    })
}

proptest! {
    #![proptest_config(cases(1000))]

    /// conda-lock.yml: never panics; errors say where.
    #[test]
    fn lock_files_never_panic_and_errors_say_where(text in lock_text()) {
        if let Err(e) = timed(|| parse_lockfile(&text, "conda-lock.yml")) {
            check(&e, &text, "conda-lock.yml");
        }
    }

    /// Near-valid locks: a wrong value is reported at its spot.
    #[test]
    fn near_valid_locks_point_at_the_wrong_value(text in near_valid_lock()) {
        if let Err(e) = timed(|| parse_lockfile(&text, "conda-lock.yml")) {
            check(&e, &text, "conda-lock.yml");
        }
    }
}

fn spec_entry() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("python=3.11".to_string()),
        Just("numpy >=1.26,<2".to_string()),
        Just("conda-forge::pandas".to_string()),
        Just("conda-forge/label/dev::x".to_string()),
        Just("x[version='>=1']".to_string()),
        Just("x ==1.0 *_0".to_string()),
        Just("pip".to_string()),
        Just("bad spec ===".to_string()),
        Just("==".to_string()),
        Just("requests[socks]>=2; python_version>'3'".to_string()),
        Just("x @ https://example.invalid/x.whl".to_string()),
        Just("--index-url https://example.invalid".to_string()),
        Just("-e ./local".to_string()),
        Just("\"quoted \\u001b esc\"".to_string()),
        "[a-z0-9_.=<>!~*, \\[\\]':;-]{0,18}",
        "\\PC{0,8}",
    ]
}

/// environment.yml-ish text: dependencies, pip sections, selectors, channels,
/// platforms and categories, with broken lines among them.
fn environment_text() -> impl Strategy<Value = String> {
    let line = prop_oneof![
        4 => spec_entry().prop_map(|s| format!("  - {s}")),
        2 => spec_entry().prop_map(|s| format!("    - {s}")),
        1 => spec_entry().prop_map(|s| format!("  - {s}  # [linux64]")),
        1 => spec_entry().prop_map(|s| format!("  - {s}  # [win or (osx and not arm64)]")),
        1 => spec_entry().prop_map(|s| format!("  - {s}  # [")),
        2 => Just("dependencies:".to_string()),
        1 => Just("  - pip:".to_string()),
        1 => Just("channels:".to_string()),
        1 => Just("  - conda-forge".to_string()),
        1 => Just("  - -c".to_string()),
        1 => Just("platforms:".to_string()),
        1 => Just("  - linux-64".to_string()),
        1 => Just("  - not-a-platform".to_string()),
        1 => Just("name: x".to_string()),
        1 => Just("category: dev".to_string()),
        1 => Just("pip-repositories:".to_string()),
        1 => "\\PC{0,10}",
    ];
    prop::collection::vec(line, 0..16).prop_map(|l| l.join("\n"))
}

proptest! {
    #![proptest_config(cases(1000))]

    /// Environment files read as conda-lock reads them: never panic; errors say where.
    #[test]
    fn environment_files_never_panic_and_errors_say_where(
        text in environment_text(),
        explicit_platform in any::<bool>(),
    ) {
        let source = EnvSource::new("environment.yml", text.clone());
        let options = SpecOptions {
            platforms: explicit_platform.then(|| vec!["linux-64".to_string()]),
            channels: None,
            cwd: Some(std::env::temp_dir()),
            environ: Some(vec![]),
        };
        if let Err(e) = timed(|| make_lock_spec(&[source], &options)) {
            check(&e, &text, "environment.yml");
            assert!(!matches!(e.kind, ErrorKind::Read(_)), "{e}");
        }
    }
}
