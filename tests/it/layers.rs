//! The layers point one way: the faces (`src/cli`, `src/tui`) → `jobs` → `tasks` →
//! `engine` → `sys`; `cli` and `tui` never import each other; nothing below the faces
//! depends on clap, ratatui or crossterm; the conda-lock port (crates/condalock) knows
//! no pyve type.
//! This test reads the sources and manifests and fails on the first edge that points
//! the wrong way, naming the file and line.

use crate::common::tree_files;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn rust_files(dir: &Path) -> Vec<PathBuf> {
    tree_files(dir, |_| false)
        .into_iter()
        .filter(|p| p.extension().is_some_and(|x| x == "rs"))
        .collect()
}

/// The top-level modules that `prefix` (`crate::`, `pyve_core::`) reaches on `line`:
/// `crate::engine::x` → engine, `crate::{sys::fs, tasks}` → sys, tasks.
fn reached(line: &str, prefix: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut rest = line;
    while let Some(i) = rest.find(prefix) {
        // `pyve_core::` must not match inside a longer name.
        let before = rest[..i].chars().next_back();
        rest = &rest[i + prefix.len()..];
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
            continue;
        }
        if let Some(group) = rest.strip_prefix('{') {
            let end = group.find('}').unwrap_or(group.len());
            for part in group[..end].split(',') {
                let name: String = part
                    .trim()
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                if !name.is_empty() {
                    out.insert(name);
                }
            }
        } else {
            let name: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            if !name.is_empty() {
                out.insert(name);
            }
        }
    }
    out
}

/// Every `(file:line, module)` in `dir` that reaches one of `forbidden` through `prefix`.
fn violations(dir: &Path, prefix: &str, forbidden: &[&str]) -> Vec<String> {
    let mut out = Vec::new();
    for file in rust_files(dir) {
        let text = std::fs::read_to_string(&file).unwrap();
        for (n, line) in text.lines().enumerate() {
            let code = line.split("//").next().unwrap_or("");
            for m in reached(code, prefix) {
                if forbidden.contains(&m.as_str()) {
                    out.push(format!(
                        "{}:{}: reaches `{prefix}{m}`",
                        file.strip_prefix(root()).unwrap().display(),
                        n + 1
                    ));
                }
            }
        }
    }
    out
}

#[test]
fn reached_reads_paths_and_groups() {
    assert_eq!(
        reached("use crate::{sys::fs, tasks::Queue};", "crate::"),
        BTreeSet::from(["sys".to_string(), "tasks".to_string()])
    );
    assert_eq!(
        reached("let x = crate::engine::run(my_crate::tui::x);", "crate::"),
        BTreeSet::from(["engine".to_string()])
    );
    assert!(reached("use pyve_core_extra::tui;", "pyve_core::").is_empty());
}

#[test]
fn core_layers_point_down() {
    let core = root().join("crates/pyve-core/src");
    let mut bad = Vec::new();
    bad.extend(violations(
        &core.join("sys"),
        "crate::",
        &["engine", "tasks", "jobs"],
    ));
    bad.extend(violations(
        &core.join("engine"),
        "crate::",
        &["tasks", "jobs"],
    ));
    bad.extend(violations(&core.join("tasks"), "crate::", &["jobs"]));
    assert!(
        bad.is_empty(),
        "imports against the layers:\n{}",
        bad.join("\n")
    );
}

#[test]
fn the_faces_never_import_each_other() {
    let mut bad = violations(&root().join("src/cli"), "crate::", &["tui"]);
    bad.extend(violations(&root().join("src/tui"), "crate::", &["cli"]));
    assert!(
        bad.is_empty(),
        "faces importing each other:\n{}",
        bad.join("\n")
    );
}

/// The `[dependencies]` names of a manifest (dev-dependencies excluded).
fn dependencies(manifest: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(manifest).unwrap();
    let mut names = Vec::new();
    let mut in_deps = false;
    for line in text.lines() {
        let t = line.trim();
        if t.starts_with('[') {
            in_deps = t == "[dependencies]";
            continue;
        }
        if in_deps && let Some((name, _)) = t.split_once('=') {
            names.push(name.trim().to_string());
        }
    }
    names
}

#[test]
fn no_face_library_below_the_faces() {
    let faces = [
        "clap",
        "ratatui",
        "crossterm",
        "tui-input",
        "color-eyre",
        "anstyle",
    ];
    let mut bad = Vec::new();
    for dir in std::fs::read_dir(root().join("crates")).unwrap().flatten() {
        let manifest = dir.path().join("Cargo.toml");
        for dep in dependencies(&manifest) {
            if faces.contains(&dep.as_str()) {
                bad.push(format!("{} depends on {dep}", manifest.display()));
            }
        }
    }
    assert!(bad.is_empty(), "{}", bad.join("\n"));
    // The manifests were really read: the core has dependencies of its own.
    assert!(dependencies(&root().join("crates/pyve-core/Cargo.toml")).contains(&"tokio".into()));
}

/// Every dependency name of a manifest, in any dependency table (normal, dev, build,
/// target-specific).
fn all_dependencies(manifest: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(manifest).unwrap();
    let mut names = Vec::new();
    let mut in_deps = false;
    for line in text.lines() {
        let t = line.trim();
        if t.starts_with('[') {
            in_deps = t.trim_matches(['[', ']']).ends_with("dependencies");
            continue;
        }
        if in_deps && let Some((name, _)) = t.split_once('=') {
            names.push(name.trim().to_string());
        }
    }
    names
}

#[test]
fn the_conda_lock_port_knows_nothing_of_pyve() {
    let port = root().join("crates/condalock");
    let manifest = port.join("Cargo.toml");
    let deps = all_dependencies(&manifest);
    // The manifest was really read.
    assert!(deps.contains(&"sha2".to_string()), "{deps:?}");
    let mut bad: Vec<String> = deps
        .iter()
        .filter(|d| d.starts_with("pyve"))
        .map(|d| format!("{} depends on {d}", manifest.display()))
        .collect();
    for file in rust_files(&port.join("src"))
        .into_iter()
        .chain(rust_files(&port.join("tests")))
    {
        let text = std::fs::read_to_string(&file).unwrap();
        for (n, line) in text.lines().enumerate() {
            let code = line.split("//").next().unwrap_or("");
            if code.contains("pyve_core") || code.contains("crate::engine") {
                bad.push(format!(
                    "{}:{}: reaches pyve",
                    file.strip_prefix(root()).unwrap().display(),
                    n + 1
                ));
            }
        }
    }
    assert!(bad.is_empty(), "{}", bad.join("\n"));
    // And pyve reaches it as a library, not through a copy of its modules.
    assert!(
        dependencies(&root().join("crates/pyve-core/Cargo.toml")).contains(&"condalock".into())
    );
    assert!(
        !root()
            .join("crates/pyve-core/src/engine/lockfile.rs")
            .exists()
    );
}

/// The lines of production code (not after `#[cfg(test)]`, not test-only modules) in
/// the core and the binary that call one of `calls`, outside the `allowed` files.
fn production_calls(calls: &[&str], allowed: &[PathBuf]) -> Vec<String> {
    let mut bad = Vec::new();
    for dir in [root().join("crates/pyve-core/src"), root().join("src")] {
        for file in rust_files(&dir) {
            // Modules compiled only for tests.
            let test_only = ["tests.rs", "test_support.rs", "parity.rs"]
                .iter()
                .any(|n| file.file_name().is_some_and(|f| f == *n));
            if allowed.contains(&file) || test_only {
                continue;
            }
            let text = std::fs::read_to_string(&file).unwrap();
            let end = ["#[cfg(test)]", "#[cfg(all(test"]
                .iter()
                .filter_map(|m| text.find(m))
                .min()
                .unwrap_or(text.len());
            let production = &text[..end];
            for (n, line) in production.lines().enumerate() {
                let code = line.split("//").next().unwrap_or("");
                if let Some(w) = calls.iter().find(|w| code.contains(*w)) {
                    bad.push(format!(
                        "{}:{}: `{w}`",
                        file.strip_prefix(root()).unwrap().display(),
                        n + 1
                    ));
                }
            }
        }
    }
    bad
}

/// Every file pyve creates, writes, renames or removes goes through `sys::tree` (which
/// never follows a link or leaves its root): no other production code calls the
/// standard library's writing functions. Test code (after `#[cfg(test)]`) may.
#[test]
fn only_the_tree_module_writes_files() {
    const WRITERS: &[&str] = &[
        "fs::write(",
        "fs::remove_file(",
        "fs::remove_dir_all(",
        "fs::remove_dir(",
        "fs::rename(",
        "fs::create_dir_all(",
        "fs::set_permissions(",
        "File::create(",
        "OpenOptions::new(",
        "fs::copy(",
        "fs::hard_link(",
    ];
    let bad = production_calls(WRITERS, &[root().join("crates/pyve-core/src/sys/tree.rs")]);
    assert!(
        bad.is_empty(),
        "file writes outside sys/tree.rs:\n{}",
        bad.join("\n")
    );
}

/// Every file pyve reads goes through `sys::fs`'s bounded readers (regular files only,
/// a size cap, never blocking on a FIFO or a device): a file in a cloned project — or
/// in an env inside it — may be `/dev/zero`, a FIFO or a symlink to one.
#[test]
fn only_the_fs_module_reads_files() {
    const READERS: &[&str] = &["fs::read_to_string(", "fs::read(", "File::open("];
    let bad = production_calls(READERS, &[root().join("crates/pyve-core/src/sys/fs.rs")]);
    assert!(
        bad.is_empty(),
        "unbounded file reads outside sys/fs.rs:\n{}",
        bad.join("\n")
    );
}

/// Production sources: `src/` and each crate's `src/`, without the test-only modules
/// (`tests.rs`, `test_support.rs`, the TUI's screen sweep, the parity test).
fn production_files() -> Vec<PathBuf> {
    let test_only = ["tests.rs", "test_support.rs", "screens.rs", "parity.rs"];
    let mut dirs = vec![root().join("src")];
    for c in std::fs::read_dir(root().join("crates")).unwrap().flatten() {
        dirs.push(c.path().join("src"));
    }
    dirs.iter()
        .flat_map(|d| rust_files(d))
        .filter(|p| {
            let name = p.file_name().unwrap().to_string_lossy();
            !test_only.contains(&name.as_ref()) && !p.components().any(|c| c.as_os_str() == "tests")
        })
        .collect()
}

/// A file's lines up to its inline `#[cfg(test)] mod tests` (the tests are not what
/// a reader of the module reads).
fn production_lines(text: &str) -> Vec<&str> {
    let lines: Vec<&str> = text.lines().collect();
    let end = lines
        .windows(2)
        .position(|w| w[0] == "#[cfg(test)]" && w[1].starts_with("mod "))
        .unwrap_or(lines.len());
    lines[..end].to_vec()
}

/// Each function's name, first line (1-based) and length in lines, read the way
/// rustfmt lays code out: `fn` opens at some indentation and its body closes with a
/// `}` alone at that indentation.
fn functions(lines: &[&str]) -> Vec<(String, usize, usize)> {
    let mut out = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let trimmed = line.trim_start();
        let indent = &line[..line.len() - trimmed.len()];
        let mut rest = trimmed;
        for q in [
            "pub(crate) ",
            "pub(super) ",
            "pub ",
            "const ",
            "async ",
            "unsafe ",
        ] {
            rest = rest.strip_prefix(q).unwrap_or(rest);
        }
        let Some(sig) = rest.strip_prefix("fn ") else {
            continue;
        };
        let name: String = sig
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        let close = format!("{indent}}}");
        // A declaration without a body, or a body on the signature's line.
        let body_line = lines[i..]
            .iter()
            .position(|l| l.trim_end().ends_with('{') || l.trim_end().ends_with(';'));
        match body_line {
            Some(b) if lines[i + b].trim_end().ends_with('{') => {}
            _ => continue,
        }
        if let Some(len) = lines[i..].iter().position(|l| *l == close) {
            out.push((name, i + 1, len + 1));
        }
    }
    out
}

/// The comment that gives a long function its reason: `// long because: …`, in the
/// comments and attributes right above it.
fn reason_above(lines: &[&str], fn_line: usize) -> bool {
    lines[..fn_line - 1]
        .iter()
        .rev()
        .take_while(|l| {
            let t = l.trim_start();
            t.starts_with("//") || t.starts_with("#[")
        })
        .any(|l| l.trim_start().starts_with("// long because: "))
}

#[test]
fn functions_are_found_with_their_length() {
    let text = "fn a() {\n    x();\n}\n\n    pub fn b(\n        y: u8,\n    ) -> u8 {\n        y\n    }\nfn c();\nfn d() { 1 }\n";
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        functions(&lines),
        [("a".to_string(), 1, 3), ("b".to_string(), 5, 5)]
    );
    let lines = ["// long because: one table", "#[allow(x)]", "fn e() {", "}"];
    assert!(reason_above(&lines, 3));
    assert!(!reason_above(&lines[1..], 2));
}

#[test]
fn no_file_over_1000_lines_and_no_function_over_120_without_a_reason() {
    let mut bad = Vec::new();
    for f in production_files() {
        let text = std::fs::read_to_string(&f).unwrap();
        let lines = production_lines(&text);
        let rel = f.strip_prefix(root()).unwrap().display().to_string();
        if lines.len() > 1000 {
            bad.push(format!("{rel}: {} lines (at most 1,000)", lines.len()));
        }
        for (name, at, len) in functions(&lines) {
            if len > 120 && !reason_above(&lines, at) {
                bad.push(format!(
                    "{rel}:{at}: fn {name} is {len} lines (at most 120, or a `// long because: …` comment above it)"
                ));
            }
        }
    }
    assert!(bad.is_empty(), "too long:\n{}", bad.join("\n"));
}
