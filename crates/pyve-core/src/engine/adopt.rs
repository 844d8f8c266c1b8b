//! `pyve init --adopt`: whether a venv pyve did not make (uv's, poetry's, `python -m
//! venv`'s) already is what the project asks for, so pyve can record it as its own
//! without rebuilding anything. Judged from files alone: its `pyvenv.cfg` and the
//! `*.dist-info` records of its site-packages; nothing in it is run.

use std::path::Path;

use super::context::Context;
use super::inventory;
use super::spec::pep503;
use super::venv::ForeignVenv;

/// Why the venv at `prefix` does not fit the project's spec, or `None` when it does:
/// its python answers the python request, and each requirement of requirements.txt
/// (and of the files it includes) is installed, at the pinned version for `==`.
pub fn misfit(
    ctx: &Context,
    prefix: &Path,
    venv: &ForeignVenv,
    install_deps: Option<bool>,
) -> super::Result<Option<String>> {
    let choice = ctx.python_choice()?;
    if let Some(req) = &choice.request {
        match &venv.version {
            Some(v) if req.matches(v) => {}
            Some(v) => {
                return Ok(Some(format!(
                    "its python is {v}, the project asks for {} ({})",
                    req.version,
                    req.source.as_str()
                )));
            }
            None => {
                return Ok(Some(
                    "its pyvenv.cfg says no python version, so it cannot be judged".into(),
                ));
            }
        }
    }
    let root = &ctx.project.root;
    if install_deps == Some(false) || !root.join("requirements.txt").is_file() {
        return Ok(None);
    }
    let mut files = vec!["requirements.txt".to_string()];
    files.extend(super::includes::of_requirements(root, "requirements.txt").files);
    let installed = inventory::scan(prefix);
    let mut missing = Vec::new();
    for file in &files {
        let Ok(text) = crate::sys::fs::read_text(&root.join(file), 1024 * 1024) else {
            continue;
        };
        for line in super::includes::logical_lines(&text) {
            match requirement(&line) {
                Requirement::None => {}
                Requirement::Unjudged(what) => {
                    return Ok(Some(format!(
                        "{file}: `{what}` is not a name pyve can look up in the venv's records"
                    )));
                }
                Requirement::Named { name, pinned } => {
                    let found = installed.dists.iter().find(|d| d.name == name);
                    match (found, pinned) {
                        (None, _) => missing.push(name),
                        (Some(d), Some(v)) if d.version != v => {
                            missing.push(format!("{name}=={v} (it has {})", d.version))
                        }
                        _ => {}
                    }
                }
            }
        }
    }
    Ok((!missing.is_empty()).then(|| format!("it lacks {}", missing.join(", "))))
}

#[derive(Debug, PartialEq, Eq)]
enum Requirement {
    /// Blank, a comment, or an option (`-r`, `-c`, `--index-url`).
    None,
    Named {
        name: String,
        pinned: Option<String>,
    },
    /// A URL, a path, or an editable: nothing to look up by name.
    Unjudged(String),
}

/// One requirements line as far as adoption needs it: a PEP 503 name and an `==`
/// pin, or a local wheel's name and version from its file name.
fn requirement(line: &str) -> Requirement {
    let line = line.trim();
    if line.is_empty() || line.starts_with('-') {
        return Requirement::None;
    }
    if let Some(wheel) = line
        .rsplit('/')
        .next()
        .filter(|f| f.ends_with(".whl") && line.contains('/'))
    {
        let mut parts = wheel.split('-');
        if let (Some(name), Some(version)) = (parts.next(), parts.next()) {
            return Requirement::Named {
                name: pep503(name),
                pinned: Some(version.to_string()),
            };
        }
    }
    if line.contains("://") || line.contains('/') || line.starts_with('.') {
        return Requirement::Unjudged(line.to_string());
    }
    let line = line.split(';').next().unwrap_or(line).trim();
    let end = line
        .find(|c: char| !(c.is_ascii_alphanumeric() || "._-".contains(c)))
        .unwrap_or(line.len());
    let (name, rest) = line.split_at(end);
    if name.is_empty() {
        return Requirement::Unjudged(line.to_string());
    }
    let rest = rest.trim_start();
    let rest = match rest.strip_prefix('[') {
        Some(r) => r.split_once(']').map(|(_, r)| r.trim_start()).unwrap_or(""),
        None => rest,
    };
    let pinned = rest
        .strip_prefix("==")
        .map(|v| v.trim())
        .filter(|v| !v.contains([',', '*']))
        .map(str::to_string);
    Requirement::Named {
        name: pep503(name),
        pinned,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn named(name: &str, pinned: Option<&str>) -> Requirement {
        Requirement::Named {
            name: name.into(),
            pinned: pinned.map(str::to_string),
        }
    }

    #[test]
    fn requirement_lines_as_adoption_reads_them() {
        assert_eq!(
            requirement("Rich_Click==1.8.0"),
            named("rich-click", Some("1.8.0"))
        );
        assert_eq!(requirement("requests>=2"), named("requests", None));
        assert_eq!(
            requirement("six [extra] == 1.16.0"),
            named("six", Some("1.16.0"))
        );
        assert_eq!(
            requirement("attrs; python_version>'3'"),
            named("attrs", None)
        );
        assert_eq!(
            requirement("./wheels/pkga-0.1-py3-none-any.whl"),
            named("pkga", Some("0.1"))
        );
        assert_eq!(requirement("-r base.txt"), Requirement::None);
        assert_eq!(requirement(""), Requirement::None);
        assert!(matches!(
            requirement("git+https://example.invalid/x.git"),
            Requirement::Unjudged(_)
        ));
        assert!(matches!(requirement("./src/pkg"), Requirement::Unjudged(_)));
    }
}
