//! A venv project's spec as pyve reads it without pip: the requirements of
//! requirements.txt and of the files it includes (`-r`/`-c`, followed inside the
//! project), and pyproject.toml's `[project] dependencies`. `init --adopt` judges a
//! foreign venv by them, doctor's drift check an env pyve built, `migrate` turns them
//! into an environment.yml. Nothing here runs pip or reads outside the project.

use std::path::Path;

use super::inventory::Dist;
use super::spec::pep503;

/// The most pyve reads of one requirements file here.
const READ_CAP: u64 = 1024 * 1024;

/// Each requirement line of requirements.txt and the files it includes, with the file
/// it is in (project-relative). Empty without a requirements.txt.
pub fn requirements(root: &Path) -> Vec<(String, Requirement)> {
    if !root.join("requirements.txt").is_file() {
        return Vec::new();
    }
    let mut files = vec!["requirements.txt".to_string()];
    files.extend(super::includes::of_requirements(root, "requirements.txt").files);
    let mut out = Vec::new();
    for file in files {
        let Ok(text) = crate::sys::fs::read_text(&root.join(&file), READ_CAP) else {
            continue;
        };
        for line in super::includes::logical_lines(&text) {
            out.push((file.clone(), requirement(&line)));
        }
    }
    out
}

/// What a venv project's pyproject.toml says of the project itself.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PyprojectProject {
    /// `[project] name`, PEP 503-normalised: the distribution an editable install puts
    /// in the venv.
    pub name: Option<String>,
    /// `[project] dependencies`, as written (PEP 508 strings, blank ones left out).
    pub dependencies: Vec<String>,
}

/// pyproject.toml's `[project]` table; the default without the file or the table, or
/// when it is not valid TOML (pip says so when it installs it).
pub fn pyproject(root: &Path) -> PyprojectProject {
    #[derive(serde::Deserialize)]
    struct Pyproject {
        project: Option<Project>,
    }
    #[derive(serde::Deserialize)]
    struct Project {
        name: Option<String>,
        dependencies: Option<Vec<String>>,
    }
    let Ok(text) = crate::sys::fs::read_text(&root.join("pyproject.toml"), READ_CAP) else {
        return PyprojectProject::default();
    };
    let Some(p) = toml::from_str::<Pyproject>(&text)
        .ok()
        .and_then(|d| d.project)
    else {
        return PyprojectProject::default();
    };
    PyprojectProject {
        name: p.name.as_deref().map(pep503),
        dependencies: p
            .dependencies
            .unwrap_or_default()
            .into_iter()
            .map(|d| d.trim().to_string())
            .filter(|d| !d.is_empty())
            .collect(),
    }
}

/// A named requirement the venv's records do not meet: not installed, or installed at
/// another version than its `==` pin.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unmet {
    pub name: String,
    pub pinned: Option<String>,
    /// The version installed, when it is the pin that is not met.
    pub installed: Option<String>,
}

/// Whether `name` (with its `==` pin, if any) is met by the distributions `dists`.
pub fn unmet(name: &str, pinned: Option<&str>, dists: &[Dist]) -> Option<Unmet> {
    let unmet = |installed: Option<&str>| Unmet {
        name: name.to_string(),
        pinned: pinned.map(str::to_string),
        installed: installed.map(str::to_string),
    };
    match (dists.iter().find(|d| d.name == name), pinned) {
        (None, _) => Some(unmet(None)),
        (Some(d), Some(v)) if d.version != v => Some(unmet(Some(&d.version))),
        _ => None,
    }
}

#[derive(Debug, PartialEq, Eq)]
pub enum Requirement {
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
pub fn requirement(line: &str) -> Requirement {
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
