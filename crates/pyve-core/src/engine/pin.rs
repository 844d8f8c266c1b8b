//! `pyve python pin V`: write the python pin where the user's version manager reads it
//! (`.tool-versions` for an asdf project, `.python-version` otherwise), and what
//! `pyve python show` reports (docs/commands.md, docs/decisions/0009-python-requests.md).
//!
//! The file is written through a temporary file in the project root and renamed over
//! the target, so a reader never sees half a pin; a target that is a symlink is
//! refused, never followed.

use std::path::{Path, PathBuf};

use serde::Serialize;

use super::resolve::{Lookup, SYSTEM};
use super::{Error, Result};

/// The two files a pin can go to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum PinFile {
    #[serde(rename = ".tool-versions")]
    ToolVersions,
    #[serde(rename = ".python-version")]
    PythonVersion,
}

impl PinFile {
    pub fn name(self) -> &'static str {
        match self {
            PinFile::ToolVersions => ".tool-versions",
            PinFile::PythonVersion => ".python-version",
        }
    }
}

/// What `pin` will write, and why that file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PinPlan {
    pub file: PinFile,
    pub path: PathBuf,
    pub version: String,
    /// Why this file: "the project has a .tool-versions (asdf)", …
    pub why: &'static str,
    /// The file's new text.
    #[serde(skip)]
    pub contents: String,
    /// The version the file pinned before, if any.
    pub previous: Option<String>,
}

/// A python version a pin may name: a version request or `system`.
pub fn valid_pin(v: &str) -> bool {
    v == SYSTEM || super::pyversion::is_version_request(v)
}

/// The `python` line of a `.tool-versions` text, if any: (line index, version).
fn tool_versions_python(text: &str) -> Option<(usize, Option<String>)> {
    text.lines().enumerate().find_map(|(i, l)| {
        let mut w = l.split('#').next().unwrap_or("").split_whitespace();
        (w.next() == Some("python")).then(|| (i, w.next().map(str::to_string)))
    })
}

/// Decides where `version` is pinned in the project at `root`.
pub fn plan(root: &Path, version: &str, lookup: &Lookup) -> Result<PinPlan> {
    let version = version.trim();
    if !valid_pin(version) {
        return Err(Error::Usage(format!(
            "invalid python version `{version}`: expected a version like 3.11 or 3.11.7, or `system`"
        )));
    }
    let tv = root.join(".tool-versions");
    let pv = root.join(".python-version");
    let tv_text = crate::sys::fs::read_text(&tv, 1024 * 1024).ok();
    let tv_python = tv_text.as_deref().and_then(tool_versions_python);
    let (file, why) = if tv_python.is_some() {
        (
            PinFile::ToolVersions,
            "the project's .tool-versions pins python (asdf)",
        )
    } else if pv.symlink_metadata().is_ok() {
        (PinFile::PythonVersion, "the project has a .python-version")
    } else if tv_text.is_some() {
        (
            PinFile::ToolVersions,
            "the project has a .tool-versions (asdf)",
        )
    } else if lookup.asdf_dir.is_dir() && !lookup.pyenv_root.is_dir() {
        (PinFile::ToolVersions, "asdf is installed and pyenv is not")
    } else {
        (
            PinFile::PythonVersion,
            "pyenv (and uv) read .python-version",
        )
    };
    let (contents, previous) = match file {
        PinFile::PythonVersion => {
            let previous = crate::sys::fs::read_text(&pv, 1024 * 1024)
                .ok()
                .and_then(|t| {
                    t.lines()
                        .map(|l| l.split('#').next().unwrap_or("").trim())
                        .find(|l| !l.is_empty())
                        .map(|l| l.split_whitespace().next().unwrap_or(l).to_string())
                });
            (format!("{version}\n"), previous)
        }
        PinFile::ToolVersions => {
            let text = tv_text.unwrap_or_default();
            match tv_python {
                Some((i, previous)) => {
                    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
                    // Keep a trailing comment on the line.
                    let comment = lines[i].find('#').map(|c| lines[i][c..].to_string());
                    lines[i] = match comment {
                        Some(c) => format!("python {version} {c}"),
                        None => format!("python {version}"),
                    };
                    let mut out = lines.join("\n");
                    out.push('\n');
                    (out, previous)
                }
                None => {
                    let mut out = text;
                    if !out.is_empty() && !out.ends_with('\n') {
                        out.push('\n');
                    }
                    out.push_str(&format!("python {version}\n"));
                    (out, None)
                }
            }
        }
    };
    Ok(PinPlan {
        path: root.join(file.name()),
        file,
        version: version.to_string(),
        why,
        contents,
        previous,
    })
}

/// Writes the plan: a temporary file beside the target, then a rename over it. A
/// target that is a symlink (or anything but a regular file) is refused.
pub fn write(plan: &PinPlan) -> Result<()> {
    let target = &plan.path;
    let name = plan.file.name();
    match target.symlink_metadata() {
        Ok(m) if m.file_type().is_symlink() => {
            let to = std::fs::read_link(target)
                .map(|p| format!(" (to {})", p.display()))
                .unwrap_or_default();
            return Err(Error::Refused(format!(
                "refusing to write {name}: it is a symlink{to}, and pyve never writes through one\nhint: replace the link with a regular file, or write the version into the file it points to yourself"
            )));
        }
        Ok(m) if !m.is_file() => {
            return Err(Error::Refused(format!(
                "refusing to write {name}: it is not a regular file"
            )));
        }
        _ => {}
    }
    // Through the project's tree: a random-named temp file renamed over the target,
    // no link followed on the way (sys::tree).
    let root = target.parent().unwrap_or(Path::new("."));
    crate::sys::tree::Tree::open(root)
        .and_then(|t| t.write(Path::new(name), plan.contents.as_bytes()))
        .map_err(|source| Error::Io {
            context: format!("cannot write {}", target.display()),
            source,
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lookup(t: &Path) -> Lookup {
        Lookup {
            asdf_dir: t.join("asdf"),
            pyenv_root: t.join("pyenv"),
            path: Default::default(),
        }
    }

    #[test]
    fn the_file_follows_the_project_and_the_version_manager() {
        let t = tempfile::tempdir().unwrap();
        let root = t.path().join("p");
        std::fs::create_dir_all(&root).unwrap();
        let l = lookup(t.path());
        // Nothing: .python-version.
        let p = plan(&root, "3.12", &l).unwrap();
        assert_eq!(
            (p.file, p.contents.as_str()),
            (PinFile::PythonVersion, "3.12\n")
        );
        // Only asdf installed: .tool-versions.
        std::fs::create_dir_all(t.path().join("asdf")).unwrap();
        let p = plan(&root, "3.12", &l).unwrap();
        assert_eq!(p.file, PinFile::ToolVersions);
        // An asdf project: its python line is replaced, the rest kept.
        std::fs::write(
            root.join(".tool-versions"),
            "nodejs 20.1.0\npython 3.11.7 3.10.1 # main\nruby 3\n",
        )
        .unwrap();
        let p = plan(&root, "3.12.1", &l).unwrap();
        assert_eq!(p.file, PinFile::ToolVersions);
        assert_eq!(p.previous.as_deref(), Some("3.11.7"));
        assert_eq!(p.contents, "nodejs 20.1.0\npython 3.12.1 # main\nruby 3\n");
        write(&p).unwrap();
        assert_eq!(
            std::fs::read_to_string(root.join(".tool-versions")).unwrap(),
            p.contents
        );
        // Nothing left behind but the file.
        let names: Vec<_> = std::fs::read_dir(&root).unwrap().flatten().collect();
        assert_eq!(names.len(), 1);
        assert!(matches!(plan(&root, "3.1x", &l), Err(Error::Usage(_))));
        assert!(plan(&root, "system", &l).is_ok());
    }

    #[test]
    fn a_symlinked_target_is_refused() {
        let t = tempfile::tempdir().unwrap();
        let elsewhere = t.path().join("elsewhere");
        std::fs::write(&elsewhere, "3.10\n").unwrap();
        std::os::unix::fs::symlink(&elsewhere, t.path().join(".python-version")).unwrap();
        let p = plan(t.path(), "3.12", &lookup(t.path())).unwrap();
        let e = write(&p).unwrap_err();
        assert!(
            e.to_string()
                .starts_with("refusing to write .python-version: it is a symlink"),
            "{e}"
        );
        assert_eq!(std::fs::read_to_string(&elsewhere).unwrap(), "3.10\n");
    }
}
