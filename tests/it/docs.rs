//! The documentation keeps up with the binary and stands on its own: every command and
//! flag that `pyve --help` and `pyve CMD -h` list is in docs/commands.md, and no file
//! in the repository points at a specification that is not in it.

use crate::common::tree_files;
use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn help(args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_pyve"))
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert!(out.status.success(), "pyve {args:?} failed: {out:?}");
    String::from_utf8(out.stdout).unwrap()
}

/// The subcommands under `Commands:` in the top-level help.
fn commands(top: &str) -> Vec<String> {
    top.lines()
        .skip_while(|l| l.trim() != "Commands:")
        .skip(1)
        .take_while(|l| !l.trim().is_empty())
        .filter_map(|l| l.split_whitespace().next().map(str::to_string))
        .collect()
}

/// The flags of one help page: every `-x` / `--long` that starts an option line.
fn flags(page: &str) -> Vec<String> {
    let mut out = Vec::new();
    for line in page.lines() {
        let t = line.trim_start();
        if !t.starts_with('-') {
            continue;
        }
        // "-C, --project <DIR>  Run as if …", "-v, --verbose...  Say more"
        for word in t.split_whitespace() {
            let w = word.trim_end_matches(',').trim_end_matches("...");
            if w.starts_with('-') && w.len() > 1 {
                out.push(w.to_string());
            } else if !w.starts_with('<') {
                break;
            }
        }
    }
    out
}

/// The text of the section whose heading starts with `heading`, up to the next `## `.
fn section<'a>(doc: &'a str, heading: &str) -> Option<&'a str> {
    let start = doc.find(&format!("\n{heading}"))? + 1;
    let rest = &doc[start..];
    let end = rest[heading.len()..]
        .find("\n## ")
        .map(|i| i + heading.len())
        .unwrap_or(rest.len());
    Some(&rest[..end])
}

/// `flag` as a whole token: `--env` must not be satisfied by `--envs`.
fn mentions(text: &str, flag: &str) -> bool {
    text.match_indices(flag).any(|(i, _)| {
        let next = text[i + flag.len()..].chars().next();
        let prev = text[..i].chars().next_back();
        !next.is_some_and(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
            && !prev.is_some_and(|c| c.is_ascii_alphanumeric() || c == '-')
    })
}

#[test]
fn every_command_and_flag_is_in_docs_commands_md() {
    let doc = std::fs::read_to_string(root().join("docs/commands.md")).unwrap();
    let top = help(&["--help"]);
    let global_section = section(&doc, "## Global flags").expect("a `## Global flags` section");
    let global = flags(&top);
    let mut missing = Vec::new();
    for f in &global {
        if !mentions(global_section, f) {
            missing.push(format!("global flag {f} (under `## Global flags`)"));
        }
    }
    // The original pyve's spellings the help names, e.g. `pyve --init`.
    for spelled in top.split('`').skip(1).step_by(2) {
        if spelled.starts_with("pyve --") && !doc.contains(spelled) {
            missing.push(format!("`{spelled}`"));
        }
    }
    let cmds = commands(&top);
    assert!(cmds.len() >= 9, "no commands parsed from:\n{top}");
    for cmd in &cmds {
        if cmd == "help" {
            if !mentions(&doc, "help") {
                missing.push("command help".into());
            }
            continue;
        }
        let Some(text) = section(&doc, &format!("## `pyve {cmd}")) else {
            missing.push(format!("command {cmd} (a `## `pyve {cmd}…` section)"));
            continue;
        };
        for f in flags(&help(&[cmd, "-h"])) {
            if global.contains(&f) {
                continue;
            }
            // A flag several commands share may be described once, with the global ones.
            if !mentions(text, &f) && !mentions(global_section, &f) {
                missing.push(format!("{cmd} {f}"));
            }
        }
        if !text.contains("Exit codes") {
            missing.push(format!("command {cmd}: its exit codes"));
        }
    }
    assert!(
        missing.is_empty(),
        "docs/commands.md lacks what the binary's help lists:\n  {}",
        missing.join("\n  ")
    );
}

/// Every file of the repository, without target/ and .git/.
fn repo_files() -> Vec<PathBuf> {
    tree_files(root(), |e| {
        e.path().parent() == Some(root()) && (e.file_name() == "target" || e.file_name() == ".git")
    })
}

/// Case-insensitive occurrences of `word` not inside a longer word (`_` counts as a
/// letter, so identifiers that merely contain it are left alone).
fn word_at(text: &str, word: &str) -> Vec<usize> {
    let lower = text.to_ascii_lowercase();
    let is_word = |c: char| c.is_ascii_alphanumeric() || c == '_';
    lower
        .match_indices(word)
        .filter(|(i, _)| {
            !lower[..*i].chars().next_back().is_some_and(is_word)
                && !lower[i + word.len()..].chars().next().is_some_and(is_word)
        })
        .map(|(i, _)| i)
        .collect()
}

#[test]
fn no_file_points_at_a_specification_outside_the_repository() {
    // Spelled in pieces so that this file does not name them itself.
    let outside_doc = [
        concat!("product", ".md"),
        concat!("architecture", ".md"),
        concat!("spec/", "micromamba"),
    ];
    let outside_dir = concat!("shared", "/");
    let old_word = concat!("se", "ed");
    let mut found = Vec::new();
    for path in repo_files() {
        let Ok(bytes) = std::fs::read(&path) else {
            continue;
        };
        // Text files only (the screenshot and other binaries are skipped).
        let Ok(text) = String::from_utf8(bytes) else {
            continue;
        };
        if text.contains('\0') {
            continue;
        }
        let rel = path.strip_prefix(root()).unwrap().display().to_string();
        let lower = text.to_ascii_lowercase();
        let line_of = |i: usize| text[..i].matches('\n').count() + 1;
        for needle in outside_doc {
            for (i, _) in lower.match_indices(needle) {
                found.push(format!("{rel}:{}: {needle}", line_of(i)));
            }
        }
        // CI wiring (.ci/run) names the directory beside the checkout that holds the
        // real micromamba; that path is legitimate there and only there.
        if rel != ".ci/run" {
            for (i, _) in lower.match_indices(outside_dir) {
                found.push(format!("{rel}:{}: {outside_dir}", line_of(i)));
            }
        }
        for i in word_at(&text, old_word) {
            found.push(format!("{rel}:{}: {old_word}", line_of(i)));
        }
    }
    assert!(
        found.is_empty(),
        "references to a specification this repository does not contain (say the rule, or point to docs/):\n  {}",
        found.join("\n  ")
    );
}

#[test]
fn the_help_parsers_see_what_they_should() {
    let page = "Options:\n  -C, --project <DIR>  Run as if\n      --color <COLOR>  When [possible\n                       values: auto]\n  -v, --verbose...     Say more\n";
    assert_eq!(
        flags(page),
        ["-C", "--project", "--color", "-v", "--verbose"]
    );
    assert!(mentions("`--env NAME`", "--env"));
    assert!(!mentions("`--envs`", "--env"));
    assert!(!mentions("--no-input", "--input"));
    assert_eq!(word_at("a Word, words, my_word_x, WORD.", "word"), [2, 26]);
}
