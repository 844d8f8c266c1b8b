//! The files a requirements file pulls in: `-r`/`--requirement` and `-c`/`--constraint`
//! lines, followed recursively. They are inputs of the env as much as the file that
//! names them: an edit to `base.txt` makes an env built from `-r base.txt` stale.
//! (An environment.yml's `pip:` list cannot hold them: the spec check refuses a `-r`
//! there, as conda-lock does, so a conda env has no includes to follow.)
//!
//! Only files inside the project count; a reference outside it (or a URL) is left out
//! with a note, since pyve never reads outside the project to judge it. Each file is
//! read once (cycles end), bounded, and never executed.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// A spec file larger than this is not read for references.
const READ_CAP: u64 = 1024 * 1024;
/// No project needs more; a chain longer than this is cut, with a note.
const MAX_FILES: usize = 64;

/// What following the references found: project-relative paths (`/`-separated), in
/// the order met, and notes about the references left out.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Included {
    pub files: Vec<String>,
    pub notes: Vec<String>,
}

/// The files `requirements` (relative to `root`) includes, recursively.
pub fn of_requirements(root: &Path, requirements: &str) -> Included {
    let mut walk = Walk::new(root);
    walk.seen.insert(root.join(requirements));
    walk.follow_file(&root.join(requirements), requirements);
    walk.done
}

struct Walk<'a> {
    root: &'a Path,
    seen: BTreeSet<PathBuf>,
    done: Included,
}

impl<'a> Walk<'a> {
    fn new(root: &'a Path) -> Walk<'a> {
        Walk {
            root,
            seen: BTreeSet::new(),
            done: Included::default(),
        }
    }

    fn follow_file(&mut self, path: &Path, shown: &str) {
        let Ok(text) = crate::sys::fs::read_text(path, READ_CAP) else {
            return; // missing or unreadable: its own hash says so, pip its error
        };
        let dir = path.parent().unwrap_or(self.root).to_path_buf();
        for line in logical_lines(&text) {
            self.follow_line(&line, &dir, shown);
        }
    }

    /// One requirements line: if it includes a file, take it and follow it.
    fn follow_line(&mut self, line: &str, dir: &Path, from: &str) {
        let Some(target) = reference(line) else {
            return;
        };
        if target.contains("://") {
            self.note(format!(
                "{from}: `{target}` is a URL; pyve does not follow it to judge the env"
            ));
            return;
        }
        let path = crate::sys::fs::normalize(&dir.join(target));
        let Some(rel) = self.inside(&path) else {
            self.note(format!(
                "{from}: `{target}` is outside the project; its changes do not make the env stale"
            ));
            return;
        };
        if !self.seen.insert(path.clone()) {
            return; // already taken: a cycle or a diamond
        }
        if self.done.files.len() >= MAX_FILES {
            self.note(format!(
                "{from}: more than {MAX_FILES} included files; the rest are not followed"
            ));
            return;
        }
        self.done.files.push(rel.clone());
        self.follow_file(&path, &rel);
    }

    /// `path` relative to the root, when it is inside it (a link leading out is not).
    fn inside(&self, path: &Path) -> Option<String> {
        let rel = path.strip_prefix(self.root).ok()?;
        if let Ok(real) = std::fs::canonicalize(path)
            && let Ok(root) = std::fs::canonicalize(self.root)
            && !real.starts_with(&root)
        {
            return None;
        }
        let parts: Vec<String> = rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        (!parts.is_empty()).then(|| parts.join("/"))
    }

    fn note(&mut self, note: String) {
        if !self.done.notes.contains(&note) {
            self.done.notes.push(note);
        }
    }
}

/// A requirements file's lines as pip reads them: `\` at the end joins the next line,
/// and a `#` at the start or after whitespace starts a comment.
pub fn logical_lines(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    for raw in text.lines() {
        let line = strip_comment(raw);
        if let Some(head) = line.strip_suffix('\\') {
            current.push_str(head);
            continue;
        }
        current.push_str(line);
        out.push(std::mem::take(&mut current));
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

fn strip_comment(line: &str) -> &str {
    let bytes = line.as_bytes();
    for (i, b) in bytes.iter().enumerate() {
        if *b == b'#' && (i == 0 || bytes[i - 1].is_ascii_whitespace()) {
            return line[..i].trim_end();
        }
    }
    line.trim_end()
}

/// The file a `-r`/`-c` line names: `-r base.txt`, `-rbase.txt`, `--requirement=base.txt`,
/// `--constraint base.txt`.
fn reference(line: &str) -> Option<&str> {
    let line = line.trim();
    let rest = ["--requirement", "--constraint"]
        .iter()
        .find_map(|long| {
            let r = line.strip_prefix(long)?;
            (r.starts_with('=') || r.starts_with(char::is_whitespace)).then_some(r)
        })
        .or_else(|| line.strip_prefix("-r").or_else(|| line.strip_prefix("-c")))?;
    let value = rest.trim_start_matches('=').trim();
    // An option's value ends at the first whitespace (`-r a.txt  # …` is stripped already).
    let value = value.split_whitespace().next()?;
    let value = value.strip_prefix("file:").unwrap_or(value);
    (!value.is_empty()).then_some(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_in_each_spelling() {
        for (line, want) in [
            ("-r base.txt", Some("base.txt")),
            ("-rbase.txt", Some("base.txt")),
            ("--requirement=reqs/a.txt", Some("reqs/a.txt")),
            ("--requirement  reqs/a.txt", Some("reqs/a.txt")),
            ("-c constraints.txt", Some("constraints.txt")),
            ("--constraint=c.txt", Some("c.txt")),
            ("-r file:base.txt", Some("base.txt")),
            ("requests==2.0", None),
            ("--requirements-are-not-this", None),
            ("-e .", None),
            ("-r", None),
        ] {
            assert_eq!(reference(line), want, "{line}");
        }
    }

    #[test]
    fn comments_and_continuations_as_pip_reads_them() {
        assert_eq!(
            logical_lines("# top\n-r a.txt # why\npkg#frag\n-c \\\n  c.txt\n"),
            vec!["", "-r a.txt", "pkg#frag", "-c   c.txt"]
        );
    }

    #[test]
    fn includes_are_followed_inside_the_project_once() {
        let t = tempfile::tempdir().unwrap();
        let root = t.path();
        std::fs::create_dir_all(root.join("reqs")).unwrap();
        std::fs::write(
            root.join("requirements.txt"),
            "-r reqs/base.txt\n-c constraints.txt\n-r ../outside.txt\n-r https://example.invalid/r.txt\n",
        )
        .unwrap();
        // Relative to the including file; a cycle back to the top ends.
        std::fs::write(
            root.join("reqs/base.txt"),
            "-r common.txt\n-r ../requirements.txt\n",
        )
        .unwrap();
        std::fs::write(root.join("reqs/common.txt"), "-r base.txt\n").unwrap();
        std::fs::write(root.join("constraints.txt"), "").unwrap();
        let got = of_requirements(root, "requirements.txt");
        assert_eq!(
            got.files,
            vec!["reqs/base.txt", "reqs/common.txt", "constraints.txt"]
        );
        assert_eq!(got.notes.len(), 2, "{:?}", got.notes);
        assert!(got.notes[0].contains("`../outside.txt` is outside the project"));
        assert!(got.notes[1].contains("is a URL"));
    }
}
