//! What an env holds, from its records alone (no pip, no python): the conda packages
//! of `conda-meta/*.json` and the distributions of `site-packages/*.dist-info` (who
//! installed each — `INSTALLER` — whether it was asked for — `REQUESTED` — and the
//! files its `RECORD` lists).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use super::spec::pep503;
use crate::sys::fs::{FILE_CAP, read_bounded, read_small, read_text};

/// A `conda-meta/NAME-VERSION-BUILD.json` record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CondaRecord {
    pub name: String,
    pub version: String,
    /// The spec it was asked for with (empty for a dependency).
    pub requested_spec: String,
    /// The files it put into the prefix, prefix-relative.
    pub files: Vec<String>,
}

/// A `*.dist-info` directory in a site-packages.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Dist {
    /// PEP 503-normalised.
    pub name: String,
    pub version: String,
    /// The directory name, `rich_click-1.8.0` (without `.dist-info`).
    pub stem: String,
    /// `INSTALLER`'s content: `pip`, `conda`, `uv`, … (empty when absent).
    pub installer: String,
    /// `REQUESTED` exists: pip installed it because it was asked to, not as a dependency.
    pub requested: bool,
    /// `RECORD`'s paths, prefix-relative.
    pub files: Vec<String>,
}

impl Dist {
    pub fn by_pip(&self) -> bool {
        self.installer == "pip" || self.installer == "uv"
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Inventory {
    pub conda: Vec<CondaRecord>,
    pub dists: Vec<Dist>,
}

/// A distribution both conda and pip installed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Clash {
    pub name: String,
    pub conda_version: String,
    pub pip_version: String,
    /// Files both records claim (prefix-relative).
    pub shared_files: usize,
    /// conda's dist-info is gone: pip's files are the ones on disk.
    pub pip_wins: bool,
}

impl Inventory {
    /// The distributions pip (or uv) installed.
    pub fn pip(&self) -> impl Iterator<Item = &Dist> {
        self.dists.iter().filter(|d| d.by_pip())
    }

    /// Distributions installed by both conda and pip: the same name, or files
    /// claimed by a conda-meta record and a pip RECORD.
    pub fn clashes(&self) -> Vec<Clash> {
        let mut out = Vec::new();
        for d in self.pip() {
            let claimed: BTreeSet<&str> = d.files.iter().map(String::as_str).collect();
            for r in &self.conda {
                let shared = r
                    .files
                    .iter()
                    .filter(|f| claimed.contains(f.as_str()))
                    .count();
                let same_name =
                    pep503(&r.name) == d.name && r.files.iter().any(|f| f.contains(".dist-info/"));
                if shared == 0 && !same_name {
                    continue;
                }
                // conda's own dist-info still there (and saying conda)?
                let conda_dist = self.dists.iter().any(|o| {
                    o.name == d.name
                        && !o.by_pip()
                        && r.files
                            .iter()
                            .any(|f| f.contains(&format!("{}.dist-info/", o.stem)))
                });
                out.push(Clash {
                    name: d.name.clone(),
                    conda_version: r.version.clone(),
                    pip_version: d.version.clone(),
                    shared_files: shared,
                    pip_wins: !conda_dist,
                });
            }
        }
        out
    }
}

/// The site-packages directories of a prefix (`lib/python3.X/site-packages`).
pub fn site_packages(prefix: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for lib in ["lib", "lib64"] {
        let Ok(entries) = std::fs::read_dir(prefix.join(lib)) else {
            continue;
        };
        for e in entries.flatten() {
            let sp = e.path().join("site-packages");
            if e.file_name().to_string_lossy().starts_with("python") && sp.is_dir() {
                out.push(sp);
            }
        }
        if lib == "lib" && !out.is_empty() {
            break;
        }
    }
    out.sort();
    out
}

/// Reads what `prefix` holds, with each distribution's files (for clashes).
pub fn scan(prefix: &Path) -> Inventory {
    scan_with(prefix, true)
}

/// [`scan`] without the files of each distribution: names, versions, installer and
/// the `REQUESTED` mark only (a venv's drift needs no more, and a RECORD can be long).
pub fn scan_names(prefix: &Path) -> Inventory {
    scan_with(prefix, false)
}

fn scan_with(prefix: &Path, with_files: bool) -> Inventory {
    let mut inv = Inventory::default();
    if let Ok(entries) = std::fs::read_dir(prefix.join("conda-meta")) {
        for e in entries.flatten() {
            let p = e.path();
            if p.extension().is_some_and(|x| x == "json")
                && let Some(r) = read_record(&p)
            {
                inv.conda.push(r);
            }
        }
    }
    inv.conda.sort_by(|a, b| a.name.cmp(&b.name));
    for sp in site_packages(prefix) {
        let rel_sp = sp.strip_prefix(prefix).unwrap_or(&sp).to_path_buf();
        let Ok(entries) = std::fs::read_dir(&sp) else {
            continue;
        };
        for e in entries.flatten() {
            let file = e.file_name().to_string_lossy().into_owned();
            let Some(stem) = file.strip_suffix(".dist-info") else {
                continue;
            };
            let (name, version) = stem.split_once('-').unwrap_or((stem, ""));
            let dir = e.path();
            let installer = read_small(&dir.join("INSTALLER"))
                .unwrap_or_default()
                .trim()
                .to_string();
            let files = match with_files {
                true => read_text(&dir.join("RECORD"), FILE_CAP)
                    .unwrap_or_default()
                    .lines()
                    .filter_map(|l| l.split(',').next())
                    .filter(|f| !f.is_empty())
                    .map(|f| normalize(&rel_sp.join(f)))
                    .collect(),
                false => Vec::new(),
            };
            inv.dists.push(Dist {
                name: pep503(name),
                version: version.to_string(),
                stem: stem.to_string(),
                installer,
                requested: dir.join("REQUESTED").exists(),
                files,
            });
        }
    }
    inv.dists.sort_by(|a, b| a.name.cmp(&b.name));
    inv
}

/// `lib/python3.11/site-packages/../../../bin/x` → `bin/x`.
fn normalize(p: &Path) -> String {
    let mut parts: Vec<String> = Vec::new();
    for c in p.components() {
        match c {
            std::path::Component::ParentDir => {
                parts.pop();
            }
            std::path::Component::Normal(s) => parts.push(s.to_string_lossy().into_owned()),
            _ => {}
        }
    }
    parts.join("/")
}

fn read_record(path: &Path) -> Option<CondaRecord> {
    #[derive(serde::Deserialize)]
    struct Raw {
        name: String,
        version: String,
        #[serde(default)]
        requested_spec: Option<String>,
        #[serde(default)]
        files: Vec<String>,
    }
    let text = read_bounded(path, FILE_CAP).ok()?;
    let raw: Raw = serde_json::from_slice(&text).ok()?;
    Some(CondaRecord {
        name: raw.name.to_lowercase(),
        version: raw.version,
        requested_spec: raw.requested_spec.unwrap_or_default(),
        files: raw.files,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(p: &Path, text: &str) {
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }

    #[test]
    fn a_clash_pip_over_conda() {
        let d = tempfile::tempdir().unwrap();
        let sp = "lib/python3.11/site-packages";
        write(
            &d.path().join("conda-meta/six-1.16.0-pyh_0.json"),
            &serde_json::json!({"name": "six", "version": "1.16.0", "requested_spec": "six",
                "files": [format!("{sp}/six.py"), format!("{sp}/six-1.16.0.dist-info/INSTALLER")]})
            .to_string(),
        );
        write(&d.path().join(sp).join("six.py"), "");
        write(
            &d.path().join(sp).join("six-1.17.0.dist-info/INSTALLER"),
            "pip\n",
        );
        write(
            &d.path().join(sp).join("six-1.17.0.dist-info/RECORD"),
            "six.py,,\nsix-1.17.0.dist-info/INSTALLER,,\n../../../bin/six,,\n",
        );
        let inv = scan(d.path());
        assert_eq!(inv.conda.len(), 1);
        assert_eq!(inv.dists[0].files[2], "bin/six");
        let c = inv.clashes();
        assert_eq!(c.len(), 1);
        assert_eq!(c[0].shared_files, 1);
        assert!(c[0].pip_wins);
        assert_eq!(c[0].conda_version, "1.16.0");
        assert_eq!(c[0].pip_version, "1.17.0");
    }
}
