//! Property tests over what a cloned repository hands pyve: paths (the tree's
//! containment, config path values), `.pyve/config`, the environment file as pyve reads
//! it, state records and the argv `pyve run` judges. Each property runs a fixed number of
//! generated inputs from a fixed random start (`RngSeed::Fixed`), so CI tries the same inputs every time; inputs are
//! bounded in size, and each one must be judged well within [`HANG`] (a hang is a
//! failure, not a stuck CI job). docs/reliability.md counts the inputs.
//!
//! The properties: nothing panics; an error about something in a file says where
//! (`file:line:column`); the tree never reaches outside its root; `..` is refused,
//! never popped.

use std::path::{Component, Path, PathBuf};
use std::time::{Duration, Instant};

use proptest::prelude::*;
use proptest::test_runner::{Config, RngSeed};
use pyve_core::engine::{config, policy, spec, state};
use pyve_core::sys::tree::Tree;

/// The longest any one input may take; far above what each takes (microseconds).
const HANG: Duration = Duration::from_secs(2);

fn cases(n: u32) -> Config {
    Config {
        cases: n,
        rng_seed: RngSeed::Fixed(0x7079_7665),
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

/// Path components a hostile value would use: names, `.`, `..`, empty parts (`a//b`),
/// links planted in the tree, pyve's own directories, odd bytes.
fn component() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("a".to_string()),
        Just("b".to_string()),
        Just(".".to_string()),
        Just("..".to_string()),
        Just(String::new()),
        Just("up".to_string()),   // a link to the directory outside
        Just("abs".to_string()),  // an absolute link to it
        Just("file".to_string()), // a plain file, not a directory
        Just(".pyve".to_string()),
        Just(".git".to_string()),
        Just("envs".to_string()),
        "[a-z.\\-~ ]{1,6}",
        "\\PC{1,4}",
    ]
}

fn path_text() -> impl Strategy<Value = String> {
    (any::<bool>(), prop::collection::vec(component(), 0..6)).prop_map(|(absolute, parts)| {
        let joined = parts.join("/");
        if absolute {
            format!("/{joined}")
        } else {
            joined
        }
    })
}

/// A project tree with traps, beside a directory that must never change.
struct Arena {
    _dir: tempfile::TempDir,
    root: PathBuf,
    outside: PathBuf,
    tree: Tree,
}

impl Arena {
    fn new() -> Arena {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("project");
        let outside = dir.path().join("outside");
        std::fs::create_dir_all(&root).unwrap();
        std::fs::create_dir_all(outside.join("a")).unwrap();
        std::fs::write(outside.join("sentinel"), b"keep").unwrap();
        let tree = Tree::open(&root).unwrap();
        let arena = Arena {
            _dir: dir,
            root,
            outside,
            tree,
        };
        arena.plant();
        arena
    }

    /// (Re)creates the traps an earlier input may have removed.
    fn plant(&self) {
        let up = self.root.join("up");
        if std::fs::symlink_metadata(&up).is_err() {
            std::os::unix::fs::symlink("../outside", &up).unwrap();
        }
        let abs = self.root.join("abs");
        if std::fs::symlink_metadata(&abs).is_err() {
            std::os::unix::fs::symlink(&self.outside, &abs).unwrap();
        }
        let file = self.root.join("file");
        if std::fs::symlink_metadata(&file).is_err() {
            std::fs::write(&file, b"plain").unwrap();
        }
    }

    /// Everything under the outside directory: names, kinds and contents.
    fn outside_snapshot(&self) -> Vec<(PathBuf, Vec<u8>)> {
        fn walk(dir: &Path, out: &mut Vec<(PathBuf, Vec<u8>)>) {
            let mut entries: Vec<_> = std::fs::read_dir(dir)
                .unwrap()
                .map(|e| e.unwrap().path())
                .collect();
            entries.sort();
            for p in entries {
                let meta = std::fs::symlink_metadata(&p).unwrap();
                if meta.is_dir() {
                    out.push((p.clone(), b"dir".to_vec()));
                    walk(&p, out);
                } else {
                    out.push((p.clone(), std::fs::read(&p).unwrap_or_default()));
                }
            }
        }
        let mut out = vec![];
        walk(&self.outside, &mut out);
        out
    }
}

fn has_parent_dir(p: &Path) -> bool {
    p.components().any(|c| c == Component::ParentDir)
}

/// The names of `text` as a path, `.` and empty parts dropped, in order.
fn names(text: &str) -> Vec<String> {
    Path::new(text)
        .components()
        .filter_map(|c| match c {
            Component::Normal(n) => Some(n.to_string_lossy().into_owned()),
            _ => None,
        })
        .collect()
}

#[derive(Clone, Debug)]
enum Op {
    Write,
    CreateDirAll,
    RemoveFile,
    RemoveAll,
    Exists,
    TempFile,
    Lock,
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        Just(Op::Write),
        Just(Op::CreateDirAll),
        Just(Op::RemoveFile),
        Just(Op::RemoveAll),
        Just(Op::Exists),
        Just(Op::TempFile),
        Just(Op::Lock),
    ]
}

proptest! {
    #![proptest_config(cases(1500))]

    /// Whatever path and operation, nothing outside the root changes, `..` is refused,
    /// and what the tree wrote lies inside the root.
    #[test]
    fn the_tree_never_reaches_outside_its_root(path in path_text(), op in op()) {
        thread_local!(static ARENA: Arena = Arena::new());
        ARENA.with(|arena| {
            arena.plant();
            let before = arena.outside_snapshot();
            let p = Path::new(&path);
            let result = timed(|| match op {
                Op::Write => arena.tree.write(p, b"written").map(drop),
                Op::CreateDirAll => arena.tree.create_dir_all(p),
                Op::RemoveFile => arena.tree.remove_file(p),
                Op::RemoveAll => arena.tree.remove_all(p),
                Op::Exists => {
                    arena.tree.exists(p);
                    Ok(())
                }
                Op::TempFile => arena.tree.temp_file(p, "prop", 0o600).map(drop),
                Op::Lock => arena.tree.open_lock(p).map(drop),
            });
            assert_eq!(arena.outside_snapshot(), before, "{op:?} {path:?} changed the outside");
            if has_parent_dir(p) && !matches!(op, Op::Exists) {
                assert!(result.is_err(), "{op:?} {path:?} accepted `..`");
            }
            if result.is_ok() && matches!(op, Op::Write | Op::CreateDirAll) {
                let rel: PathBuf = names(&arena.tree.relative(p).unwrap().to_string_lossy())
                    .iter()
                    .collect();
                let real = std::fs::canonicalize(arena.root.join(rel)).unwrap();
                let root = std::fs::canonicalize(&arena.root).unwrap();
                assert!(real.starts_with(&root), "{path:?} wrote at {}", real.display());
            }
        });
    }
}

proptest! {
    #![proptest_config(cases(1000))]

    /// `Tree::relative` only ever answers a path below the root, with the input's own
    /// names: `..` and foreign absolute paths are refused, never popped or rebased.
    #[test]
    fn relative_paths_stay_below_the_root(path in path_text()) {
        let root = Path::new("/srv/project");
        let tree_root = tempfile::tempdir().unwrap();
        let tree = Tree::open(tree_root.path()).unwrap();
        let under = if path.starts_with('/') {
            tree_root.path().join(path.trim_start_matches('/'))
        } else {
            PathBuf::from(&path)
        };
        match timed(|| tree.relative(&under)) {
            Ok(rel) => {
                assert!(!has_parent_dir(rel), "{path:?} -> {}", rel.display());
                assert!(!rel.is_absolute());
                assert!(root.join(rel).starts_with(root));
                assert_eq!(names(&rel.to_string_lossy()), names(path.trim_start_matches('/')));
            }
            Err(_) => assert!(has_parent_dir(&under), "{path:?} refused without `..`"),
        }
        if path.starts_with('/') {
            // An absolute path elsewhere is refused whatever it holds.
            assert!(tree.relative(Path::new(&format!("/elsewhere{path}"))).is_err());
        }
    }
}

/// A scalar a hostile config would hold: paths, channels, versions, YAML specials.
fn scalar() -> impl Strategy<Value = String> {
    prop_oneof![
        path_text(),
        Just("conda-forge".to_string()),
        Just("-c".to_string()),
        Just("--override-channels".to_string()),
        Just("https://example.invalid/ch".to_string()),
        Just("3.11".to_string()),
        Just("venv".to_string()),
        Just("micromamba".to_string()),
        Just("~".to_string()),
        Just("null".to_string()),
        Just("[a, b]".to_string()),
        Just("{x: 1}".to_string()),
        Just("\"quoted\\u0000nul\"".to_string()),
        Just("\"esc\\u001b[31m\"".to_string()),
        Just("'single ''q'''".to_string()),
        Just("&anchor x".to_string()),
        Just("*anchor".to_string()),
        Just("!!binary aGk=".to_string()),
        Just("|\n    block".to_string()),
        "[ -~]{0,12}",
        "\\PC{0,8}",
    ]
}

fn key() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("backend".to_string()),
        Just("micromamba".to_string()),
        Just("python".to_string()),
        Just("venv".to_string()),
        Just("env_name".to_string()),
        Just("env_file".to_string()),
        Just("channels".to_string()),
        Just("prefix".to_string()),
        Just("allow_pip".to_string()),
        Just("version".to_string()),
        Just("directory".to_string()),
        "[a-z_]{1,8}",
    ]
}

/// Lines of YAML-ish text: known and unknown keys at two depths, scalars, lists, and
/// now and then raw junk, so the reader sees both near-valid and broken files.
fn yaml_text() -> impl Strategy<Value = String> {
    let line = prop_oneof![
        4 => (key(), scalar()).prop_map(|(k, v)| format!("{k}: {v}")),
        4 => (key(), scalar()).prop_map(|(k, v)| format!("  {k}: {v}")),
        2 => key().prop_map(|k| format!("{k}:")),
        2 => scalar().prop_map(|v| format!("  - {v}")),
        1 => (key(), scalar(), scalar()).prop_map(|(k, a, b)| format!("  {k}: [{a}, {b}]")),
        1 => Just("# a comment".to_string()),
        1 => Just("---".to_string()),
        1 => Just("\t".to_string()),
        1 => "\\PC{0,10}",
    ];
    prop::collection::vec(line, 0..12).prop_map(|lines| lines.join("\n"))
}

/// Well-formed configs naming env directories, to try the path rules past the parser.
fn config_with_paths() -> impl Strategy<Value = String> {
    (path_text(), path_text(), scalar()).prop_map(|(dir, prefix, channel)| {
        format!(
            "venv:\n  directory: {dir:?}\nmicromamba:\n  prefix: {prefix:?}\n  channels: [{channel:?}]\n"
        )
    })
}

fn check_config(text: &str) {
    let root = Path::new("/srv/project");
    match timed(|| config::parse(root, text)) {
        Ok(c) => {
            for dir in [
                &c.venv_directory,
                &c.micromamba.prefix,
                &c.micromamba.env_file,
            ]
            .into_iter()
            .flatten()
            {
                assert!(
                    !has_parent_dir(dir) && !dir.is_absolute(),
                    "{text:?} -> {dir:?}"
                );
                assert!(!dir.as_os_str().is_empty(), "{text:?} names the root");
                assert!(!dir.to_string_lossy().chars().any(char::is_control));
                assert!(root.join(dir).starts_with(root));
            }
            for d in [&c.venv_directory, &c.micromamba.prefix]
                .into_iter()
                .flatten()
            {
                for kept in [
                    ".git",
                    ".pyve/config",
                    ".pyve/state",
                    ".pyve/bin",
                    ".pyve/lock",
                ] {
                    let kept = Path::new(kept);
                    assert!(
                        !kept.starts_with(d) && !d.starts_with(kept),
                        "{text:?} -> {d:?}"
                    );
                }
            }
            for ch in &c.micromamba.channels {
                assert!(
                    !ch.starts_with('-') && !ch.is_empty(),
                    "{text:?} -> channel {ch:?}"
                );
            }
        }
        Err(e) => {
            let shown = e.to_string();
            assert!(
                e.line.is_some() && e.column.is_some(),
                "no location: {shown} for {text:?}"
            );
            let at = format!(".pyve/config:{}:{}: ", e.line.unwrap(), e.column.unwrap());
            assert!(shown.starts_with(&at), "{shown}");
            assert!(!shown.contains('\u{1b}'), "raw ESC in {shown:?}");
        }
    }
}

proptest! {
    #![proptest_config(cases(1500))]

    /// `.pyve/config` never panics; an error says file:line:column; what it accepts
    /// stays inside the project and clear of what pyve and git keep.
    #[test]
    fn config_errors_say_where_and_accepted_paths_stay_inside(text in yaml_text()) {
        check_config(&text);
    }
}

proptest! {
    #![proptest_config(cases(1000))]

    /// A config path value is accepted only as its own names (`.` dropped), never with
    /// `..` popped against what comes before it.
    #[test]
    fn config_paths_are_never_popped(text in config_with_paths(), dir in path_text()) {
        check_config(&text);
        let root = Path::new("/srv/project");
        let one = format!("venv:\n  directory: {dir:?}\n");
        if let Ok(c) = config::parse(root, &one) {
            let got = c.venv_directory.unwrap();
            assert!(!has_parent_dir(Path::new(&dir)), "{dir:?} accepted");
            assert_eq!(names(&got.to_string_lossy()), names(dir.trim()), "{dir:?}");
        }
    }
}

/// environment.yml-ish text: dependency lists with match specs, pip sections,
/// selectors, channels and platforms, and broken lines among them.
fn environment_text() -> impl Strategy<Value = String> {
    let spec = prop_oneof![
        Just("python=3.11".to_string()),
        Just("numpy>=1.26".to_string()),
        Just("conda-forge::pandas".to_string()),
        Just("pip".to_string()),
        Just("x ==1.0 *_0".to_string()),
        Just("bad spec ===".to_string()),
        Just("requests[socks]>=2; python_version>'3'".to_string()),
        Just("git+https://example.invalid/x.git".to_string()),
        Just("-e .".to_string()),
        "[a-z0-9_.=<>!*, \\[\\]-]{0,16}",
        "\\PC{0,8}",
    ];
    let line = prop_oneof![
        3 => spec.clone().prop_map(|s| format!("  - {s}")),
        2 => spec.clone().prop_map(|s| format!("    - {s}")),
        1 => spec.prop_map(|s| format!("  - {s}  # [linux]")),
        1 => Just("dependencies:".to_string()),
        1 => Just("  - pip:".to_string()),
        1 => Just("channels:".to_string()),
        1 => Just("platforms:".to_string()),
        1 => Just("  - linux-64".to_string()),
        1 => Just("name: x".to_string()),
        1 => Just("category: dev".to_string()),
        1 => "\\PC{0,10}",
    ];
    prop::collection::vec(line, 0..14).prop_map(|l| l.join("\n"))
}

proptest! {
    #![proptest_config(cases(500))]

    /// The environment file as pyve reads it (spec::read over condalock) never panics,
    /// and a YAML or spec error points into the file.
    #[test]
    fn environment_files_never_panic_and_errors_say_where(text in environment_text()) {
        thread_local!(static DIR: tempfile::TempDir = tempfile::tempdir().unwrap());
        DIR.with(|dir| {
            std::fs::write(dir.path().join("environment.yml"), &text).unwrap();
            let read = timed(|| spec::read(dir.path(), Path::new("environment.yml"), "linux-64"));
            if let Err(e) = read {
                let located = e.line.is_some() && e.column.is_some();
                let whole_file = matches!(&e.kind, condalock::ErrorKind::Invalid(m)
                    if m.starts_with("not an environment file") || m.contains("no platform"));
                assert!(located || whole_file, "no location: {e} for {text:?}");
                assert!(e.to_string().starts_with("environment.yml"), "{e}");
            }
        });
    }
}

/// A state record as a clone might carry it: pyve's own shape with odd values, or junk.
fn state_bytes() -> impl Strategy<Value = Vec<u8>> {
    let value = prop_oneof![
        Just("null".to_string()),
        Just("1".to_string()),
        Just("-1".to_string()),
        Just("1e999".to_string()),
        Just("\"x\"".to_string()),
        Just("[]".to_string()),
        Just("{}".to_string()),
        Just("\"/etc\"".to_string()),
        Just("\"..\"".to_string()),
        Just("18446744073709551616".to_string()),
        "\"\\PC{0,8}\"",
    ];
    let field = prop_oneof![
        Just("schema"),
        Just("backend"),
        Just("prefix"),
        Just("inputs"),
        Just("token"),
        Just("python"),
        Just("created"),
        Just("tool"),
    ];
    prop_oneof![
        3 => prop::collection::vec((field, value), 0..8).prop_map(|fs| {
            let body: Vec<String> = fs.iter().map(|(k, v)| format!("\"{k}\": {v}")).collect();
            format!("{{{}}}", body.join(", ")).into_bytes()
        }),
        1 => prop::collection::vec(any::<u8>(), 0..64),
        1 => "\\PC{0,32}".prop_map(String::into_bytes),
    ]
}

proptest! {
    #![proptest_config(cases(600))]

    /// A state record never panics the reader; a parse error carries line and column.
    #[test]
    fn state_records_never_panic_and_parse_errors_say_where(bytes in state_bytes()) {
        thread_local!(static DIR: tempfile::TempDir = tempfile::tempdir().unwrap());
        DIR.with(|dir| {
            let path = dir.path().join("venv.json");
            std::fs::write(&path, &bytes).unwrap();
            match timed(|| state::read_record(&path)) {
                Some(Err(state::StateError::Parse(e))) => {
                    // An empty file is "line 1 column 0": serde_json's place for it.
                    assert!(e.line() > 0, "{e}");
                    assert!(!e.to_string().chars().any(char::is_control), "{e:?}");
                }
                Some(Err(state::StateError::Read(e))) => panic!("a regular file unread: {e}"),
                Some(Ok(_)) | None => {}
            }
        });
    }
}

fn arg() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("pip".to_string()),
        Just("pip3".to_string()),
        Just("pip3.12".to_string()),
        Just("/env/bin/pip".to_string()),
        Just("python".to_string()),
        Just("python3.11".to_string()),
        Just("uv".to_string()),
        Just("-m".to_string()),
        Just("-mpip".to_string()),
        Just("-I".to_string()),
        Just("-X".to_string()),
        Just("-c".to_string()),
        Just("-q".to_string()),
        Just("--python".to_string()),
        Just("install".to_string()),
        Just("uninstall".to_string()),
        Just("sync".to_string()),
        Just("list".to_string()),
        Just("x".to_string()),
        "\\PC{0,6}",
    ]
}

proptest! {
    #![proptest_config(cases(1000))]

    /// The `run` policy on pip: never panics, flags only a command that installs,
    /// uninstalls or syncs, and judges a program by its name wherever it lives.
    #[test]
    fn the_run_policy_flags_only_package_changes(argv in prop::collection::vec(arg(), 0..8)) {
        let os: Vec<std::ffi::OsString> = argv.iter().map(Into::into).collect();
        let verdict = timed(|| policy::pip_mutation(&os));
        if let Some(form) = &verdict {
            let sub = form.rsplit(' ').next().unwrap();
            assert!(["install", "uninstall", "sync"].contains(&sub), "{argv:?} -> {form}");
            assert!(argv.iter().any(|a| a == sub), "{argv:?} -> {form}");
        }
        if let Some(first) = os.first()
            && !first.to_string_lossy().contains('/')
            && !first.is_empty()
        {
            let mut placed = os.clone();
            placed[0] = Path::new("/somewhere/bin").join(first).into_os_string();
            assert_eq!(policy::pip_mutation(&placed), verdict, "{argv:?}");
        }
        if argv.len() >= 2 && argv[0] == "pip" && ["install", "uninstall"].contains(&argv[1].as_str()) {
            assert!(verdict.is_some(), "{argv:?} passed");
        }
    }
}
