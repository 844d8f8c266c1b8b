//! Which Python builds a venv (docs/detection.md): the requested version, then asdf →
//! pyenv → system, every place tried recorded with why it was or wasn't taken.
//!
//! Everything here reads the file system only, except one case: a system `python3.X`
//! whose patch version matters (the request names one) is asked `--version`.

use std::ffi::OsString;
use std::path::{Path, PathBuf};

use serde::Serialize;

use super::config::{ConfigError, is_version_request};

/// Where a version request came from, highest precedence first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum RequestSource {
    #[serde(rename = "--python-version")]
    Flag,
    #[serde(rename = ".pyve/config")]
    Config,
    #[serde(rename = ".tool-versions")]
    ToolVersions,
    #[serde(rename = ".python-version")]
    PythonVersionFile,
}

impl RequestSource {
    pub fn as_str(self) -> &'static str {
        match self {
            RequestSource::Flag => "--python-version",
            RequestSource::Config => ".pyve/config",
            RequestSource::ToolVersions => ".tool-versions",
            RequestSource::PythonVersionFile => ".python-version",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PythonRequest {
    pub version: String,
    pub source: RequestSource,
}

/// The version request: `--python-version`, else `python.version`, else
/// `.tool-versions` (`python X`), else `.python-version`.
pub fn python_request(
    flag: Option<&str>,
    config: Option<&str>,
    root: &Path,
) -> Result<Option<PythonRequest>, ConfigError> {
    if let Some(v) = flag {
        if !is_version_request(v) {
            return Err(ConfigError {
                file: "--python-version".into(),
                line: None,
                column: None,
                message: format!(
                    "invalid python version `{v}`: expected a version like 3.11 or 3.11.7"
                ),
                hint: None,
            });
        }
        return Ok(Some(PythonRequest {
            version: v.to_string(),
            source: RequestSource::Flag,
        }));
    }
    if let Some(v) = config {
        return Ok(Some(PythonRequest {
            version: v.to_string(),
            source: RequestSource::Config,
        }));
    }
    if let Ok(text) = std::fs::read_to_string(root.join(".tool-versions")) {
        for (i, line) in text.lines().enumerate() {
            let line = line.split('#').next().unwrap_or("").trim();
            let mut words = line.split_whitespace();
            if words.next() != Some("python") {
                continue;
            }
            // asdf allows several versions; the first is the one it selects.
            return match words.next() {
                Some(v) if is_version_request(v) => Ok(Some(PythonRequest {
                    version: v.to_string(),
                    source: RequestSource::ToolVersions,
                })),
                other => Err(ConfigError {
                    file: ".tool-versions".into(),
                    line: Some(i as u64 + 1),
                    column: None,
                    message: format!(
                        "python version `{}` is not one pyve understands: expected a version like 3.11.7",
                        other.unwrap_or("")
                    ),
                    hint: None,
                }),
            };
        }
    }
    if let Ok(text) = std::fs::read_to_string(root.join(".python-version")) {
        for (i, line) in text.lines().enumerate() {
            let v = line.split('#').next().unwrap_or("").trim();
            if v.is_empty() {
                continue;
            }
            if !is_version_request(v) {
                return Err(ConfigError {
                    file: ".python-version".into(),
                    line: Some(i as u64 + 1),
                    column: Some(1),
                    message: format!(
                        "python version `{v}` is not one pyve understands: expected a version like 3.11 or 3.11.7"
                    ),
                    hint: Some("pyve builds venvs from CPython; name its version".into()),
                });
            }
            return Ok(Some(PythonRequest {
                version: v.to_string(),
                source: RequestSource::PythonVersionFile,
            }));
        }
    }
    Ok(None)
}

/// Where a tool was looked for: `asdf`, `pyenv`, `system` (python); `project`,
/// `user`, `path` (micromamba).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Place {
    Asdf,
    Pyenv,
    System,
    Project,
    User,
    Path,
}

impl Place {
    pub fn as_str(self) -> &'static str {
        match self {
            Place::Asdf => "asdf",
            Place::Pyenv => "pyenv",
            Place::System => "system",
            Place::Project => "project",
            Place::User => "user",
            Place::Path => "path",
        }
    }
}

impl std::fmt::Display for Place {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.pad(self.as_str())
    }
}

/// What a place held.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// The tool: this one was taken.
    Taken,
    /// Nothing installed there (a sandbox, a version manager).
    NotInstalled,
    /// A version manager without any version.
    NoVersions,
    /// Not found on PATH.
    NotOnPath,
    /// Something is there but does not do (a conda python, another version), and why.
    Rejected(String),
    /// It is there but does not run, and why.
    Skipped(String),
}

impl std::fmt::Display for Outcome {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Outcome::Taken => f.write_str("taken"),
            Outcome::NotInstalled => f.write_str("not installed"),
            Outcome::NoVersions => f.write_str("no versions installed"),
            Outcome::NotOnPath => f.write_str("not on PATH"),
            Outcome::Rejected(why) => f.write_str(why),
            Outcome::Skipped(why) => write!(f, "skipped: {why}"),
        }
    }
}

impl Serialize for Outcome {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// One place looked at while resolving a tool.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Tried {
    pub place: Place,
    pub path: PathBuf,
    pub version: Option<String>,
    /// Why it was or wasn't taken.
    pub outcome: Outcome,
}

impl Tried {
    pub fn taken(&self) -> bool {
        self.outcome == Outcome::Taken
    }
}

/// A resolved tool (a python for a venv, or micromamba) and every place tried.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Resolution {
    pub kind: &'static str,
    pub path: PathBuf,
    pub version: String,
    pub place: Place,
    pub tried: Vec<Tried>,
}

/// No python satisfies the request: what exists instead, and how to install it.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{}", self.message())]
pub struct PythonNotFound {
    pub request: Option<PythonRequest>,
    /// "3.12.1 (pyenv)", "3.11 (system: /usr/bin/python3.11)".
    pub found: Vec<String>,
    /// The command that installs it, and what else would do (`pyenv install 3.11 (or …)`).
    pub install_hint: String,
    /// The command alone: `pyenv install 3.11`.
    pub install_command: String,
    pub tried: Vec<Tried>,
}

impl PythonNotFound {
    fn message(&self) -> String {
        let what = match &self.request {
            Some(r) => format!(
                "python {} (requested by {}) was not found",
                r.version,
                r.source.as_str()
            ),
            None => "no python found to build a venv".to_string(),
        };
        let found = if self.found.is_empty() {
            "no usable python was found in asdf, pyenv or on PATH".to_string()
        } else {
            format!("found: {}", self.found.join(", "))
        };
        format!("{what}; {found}\ninstall it with: {}", self.install_hint)
    }
}

/// Where to look: taken from the environment, overridable in tests.
#[derive(Clone, Debug)]
pub struct Lookup {
    pub asdf_dir: PathBuf,
    pub pyenv_root: PathBuf,
    pub path: OsString,
}

impl Lookup {
    pub fn from_env() -> Lookup {
        let home = super::project::home_dir();
        let var = |k: &str| {
            std::env::var_os(k)
                .filter(|v| !v.is_empty())
                .map(PathBuf::from)
        };
        Lookup {
            asdf_dir: var("ASDF_DATA_DIR").unwrap_or_else(|| home.join(".asdf")),
            pyenv_root: var("PYENV_ROOT").unwrap_or_else(|| home.join(".pyenv")),
            path: std::env::var_os("PATH").unwrap_or_default(),
        }
    }
}

/// Numeric components of a version, for ordering ("3.11.7" → [3, 11, 7]).
pub fn version_key(v: &str) -> Vec<u64> {
    v.split('.')
        .map(|p| {
            p.chars()
                .take_while(|c| c.is_ascii_digit())
                .collect::<String>()
                .parse()
                .unwrap_or(0)
        })
        .collect()
}

/// `3.11` matches `3.11` and `3.11.7`, not `3.110`.
pub fn version_matches(request: &str, version: &str) -> bool {
    version == request || version.starts_with(&format!("{request}."))
}

/// A directory is an environment prefix of another runtime when it holds `conda-meta/`
/// (conda) or `pyvenv.cfg` (a venv, including pyve's own).
pub fn foreign_prefix(bin_dir: &Path) -> Option<(&'static str, PathBuf)> {
    let prefix = bin_dir.parent()?;
    if prefix.join("conda-meta").is_dir() {
        return Some(("conda prefix", prefix.to_path_buf()));
    }
    if prefix.join("pyvenv.cfg").is_file() {
        return Some(("virtual environment", prefix.to_path_buf()));
    }
    None
}

/// A version-manager install directory (`~/.pyenv/versions/3.11.7`).
struct Install {
    place: Place,
    version: String,
    dir: PathBuf,
}

fn installs(place: Place, versions_dir: &Path) -> Vec<Install> {
    let mut out: Vec<Install> = std::fs::read_dir(versions_dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| Install {
            place,
            version: e.file_name().to_string_lossy().into_owned(),
            dir: e.path(),
        })
        .collect();
    out.sort_by_key(|i| std::cmp::Reverse(version_key(&i.version)));
    out
}

/// Looks at one install: `Ok(python)` when usable, `Err(reason)` otherwise.
fn usable_install(i: &Install) -> Result<PathBuf, String> {
    if i.dir.join("conda-meta").is_dir() {
        return Err("a conda prefix: never used for a venv (it would mix runtimes)".into());
    }
    if !i.version.starts_with(|c: char| c.is_ascii_digit()) {
        return Err("not a CPython version".into());
    }
    let python = i.dir.join("bin").join("python3");
    let python = if python.exists() {
        python
    } else {
        i.dir.join("bin").join("python")
    };
    if !crate::sys::process::is_executable(&python) {
        return Err("no bin/python3 in it".into());
    }
    Ok(python)
}

/// Resolves the python for a venv. `request` is the version asked for, if any.
pub fn resolve_python(
    request: Option<&PythonRequest>,
    lookup: &Lookup,
) -> Result<Resolution, Box<PythonNotFound>> {
    let mut tried = Vec::new();
    let mut found = Vec::new();
    let want = request.map(|r| r.version.as_str());

    // asdf and pyenv: installs read from their directories; with no request, pyenv's
    // global version (what `python` means in the user's shell) is the one.
    let pyenv_global = std::fs::read_to_string(lookup.pyenv_root.join("version"))
        .ok()
        .and_then(|t| t.split_whitespace().next().map(str::to_string));
    for (place, dir) in [
        (Place::Asdf, lookup.asdf_dir.join("installs").join("python")),
        (Place::Pyenv, lookup.pyenv_root.join("versions")),
    ] {
        if !dir.is_dir() {
            tried.push(Tried {
                place,
                path: dir,
                version: None,
                outcome: Outcome::NotInstalled,
            });
            continue;
        }
        let list = installs(place, &dir);
        if list.is_empty() {
            tried.push(Tried {
                place,
                path: dir.clone(),
                version: None,
                outcome: Outcome::NoVersions,
            });
        }
        let mut chosen = None;
        for i in list {
            let usable = usable_install(&i);
            if usable.is_ok() {
                found.push(format!("{} ({})", i.version, i.place));
            }
            let verdict = match (usable, want) {
                (Err(why), _) => Err(why),
                (Ok(py), Some(w)) if version_matches(w, &i.version) => Ok(py),
                (Ok(_), Some(w)) => Err(format!("does not match {w}")),
                (Ok(py), None)
                    if place == Place::Pyenv
                        && pyenv_global.as_deref() == Some(i.version.as_str()) =>
                {
                    Ok(py)
                }
                (Ok(_), None) if place == Place::Pyenv => Err(match &pyenv_global {
                    Some(g) => format!("not pyenv's global version ({g})"),
                    None => "no version requested and no pyenv global version".to_string(),
                }),
                (Ok(_), None) => Err("no version requested".to_string()),
            };
            // Only a candidate that would have been taken yields to an earlier one.
            let verdict = match verdict {
                Ok(_) if chosen.is_some() => Err("a better match was taken".to_string()),
                v => v,
            };
            match verdict {
                Ok(py) => {
                    tried.push(Tried {
                        place,
                        path: py.clone(),
                        version: Some(i.version.clone()),
                        outcome: Outcome::Taken,
                    });
                    chosen = Some((py, i.version.clone()));
                }
                Err(outcome) => tried.push(Tried {
                    place,
                    path: i.dir.clone(),
                    version: Some(i.version.clone()),
                    outcome: Outcome::Rejected(outcome),
                }),
            }
        }
        if let Some((path, version)) = chosen {
            return Ok(Resolution {
                kind: "python",
                path,
                version,
                place,
                tried,
            });
        }
    }

    // System: python3.X / python3 on PATH, skipping version-manager shims and pythons
    // that belong to a venv or a conda prefix.
    let names: Vec<String> = match want {
        Some(w) => {
            let k = version_key(w);
            if k.len() >= 2 {
                vec![format!("python{}.{}", k[0], k[1])]
            } else {
                vec![format!("python{}", k[0])]
            }
        }
        None => vec!["python3".to_string()],
    };
    let shim_dirs = [
        lookup.pyenv_root.join("shims"),
        lookup.asdf_dir.join("shims"),
    ];
    for dir in std::env::split_paths(&lookup.path) {
        if dir.as_os_str().is_empty() {
            continue;
        }
        for name in &names {
            let candidate = dir.join(name);
            if !crate::sys::process::is_executable(&candidate) {
                continue;
            }
            let mut reject = |outcome: String, version: Option<String>| {
                tried.push(Tried {
                    place: Place::System,
                    path: candidate.clone(),
                    version,
                    outcome: Outcome::Rejected(outcome),
                })
            };
            if shim_dirs.iter().any(|s| s == &dir) || dir.ends_with("shims") {
                reject(
                    "a version-manager shim: installs are read directly".into(),
                    None,
                );
                continue;
            }
            let real = std::fs::canonicalize(&candidate).unwrap_or(candidate.clone());
            let foreign = foreign_prefix(&dir).or_else(|| real.parent().and_then(foreign_prefix));
            if let Some((what, prefix)) = foreign {
                reject(
                    format!(
                        "inside a {what} ({}): never used for a venv",
                        prefix.display()
                    ),
                    None,
                );
                continue;
            }
            let version = match system_version(&candidate, &real, want) {
                Some(v) => v,
                None => {
                    reject("does not run (`--version` failed)".into(), None);
                    continue;
                }
            };
            found.push(format!("{version} (system: {})", candidate.display()));
            if let Some(w) = want
                && !version_matches(w, &version)
            {
                reject(format!("does not match {w}"), Some(version));
                continue;
            }
            tried.push(Tried {
                place: Place::System,
                path: candidate.clone(),
                version: Some(version.clone()),
                outcome: Outcome::Taken,
            });
            return Ok(Resolution {
                kind: "python",
                path: candidate,
                version,
                place: Place::System,
                tried,
            });
        }
    }
    // Only python3.X was looked for: name the system's own python3 among what exists,
    // so the message never claims there is no python at all. Read from its name.
    if want.is_some() && !found.iter().any(|f| f.contains("(system: ")) {
        let system_python3 = std::env::split_paths(&lookup.path)
            .filter(|d| !d.as_os_str().is_empty() && !d.ends_with("shims"))
            .filter(|d| !shim_dirs.contains(d) && foreign_prefix(d).is_none())
            .map(|d| d.join("python3"))
            .filter(|c| crate::sys::process::is_executable(c))
            .find_map(|c| {
                let real = std::fs::canonicalize(&c).ok()?;
                if real.parent().and_then(foreign_prefix).is_some() {
                    return None;
                }
                let v = version_from_name(&real)?;
                Some(format!("{v} (system: {})", c.display()))
            });
        found.extend(system_python3);
    }
    if tried.iter().all(|t| t.place != Place::System) {
        tried.push(Tried {
            place: Place::System,
            path: PathBuf::from(names.join(", ")),
            version: None,
            outcome: Outcome::NotOnPath,
        });
    }

    let (install_command, install_hint) = install_hint(request, lookup);
    found.dedup();
    Err(Box::new(PythonNotFound {
        request: request.cloned(),
        found,
        install_hint,
        install_command,
        tried,
    }))
}

/// The version of a system python without running it when its name says enough:
/// `python3.11` (or `python3` → `python3.11`) is 3.11; a request with a patch level
/// needs the real answer from `--version`.
fn system_version(candidate: &Path, real: &Path, want: Option<&str>) -> Option<String> {
    let needs_patch = want.is_some_and(|w| version_key(w).len() > 2);
    if !needs_patch
        && let Some(v) = version_from_name(candidate).or_else(|| version_from_name(real))
    {
        return Some(v);
    }
    python_version_by_running(candidate)
}

/// `python3.11` → "3.11"; `python3` → none.
fn version_from_name(p: &Path) -> Option<String> {
    let name = p.file_name()?.to_str()?;
    let v = name.strip_prefix("python")?;
    (version_key(v).len() == 2 && v.contains('.')).then(|| v.to_string())
}

/// `python --version` → "3.11.2".
pub fn python_version_by_running(python: &Path) -> Option<String> {
    let out = std::process::Command::new(python)
        .arg("--version")
        .stdin(std::process::Stdio::null())
        .output()
        .ok()?;
    if !out.status.success() {
        return None;
    }
    let text = String::from_utf8_lossy(if out.stdout.is_empty() {
        &out.stderr
    } else {
        &out.stdout
    })
    .into_owned();
    text.trim()
        .strip_prefix("Python ")
        .map(|v| v.trim().to_string())
}

/// The command that installs the requested python, and the hint around it.
fn install_hint(request: Option<&PythonRequest>, lookup: &Lookup) -> (String, String) {
    let v = request
        .map(|r| r.version.clone())
        .unwrap_or_else(|| "3".into());
    let from_tool_versions = request.is_some_and(|r| r.source == RequestSource::ToolVersions);
    let has_asdf = lookup.asdf_dir.is_dir();
    let has_pyenv = lookup.pyenv_root.is_dir();
    let asdf = if version_key(&v).len() >= 3 {
        format!("asdf install python {v}")
    } else {
        format!("asdf install python latest:{v}")
    };
    if from_tool_versions || (has_asdf && !has_pyenv) {
        (asdf.clone(), asdf)
    } else if has_pyenv {
        let c = format!("pyenv install {v}");
        (c.clone(), c)
    } else {
        let c = format!("pyenv install {v}");
        let hint = format!("{c} (or `{asdf}`, or python{v} from your system package manager)");
        (c, hint)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn version_matching_and_ordering() {
        assert!(version_matches("3.11", "3.11.7"));
        assert!(version_matches("3.11.7", "3.11.7"));
        assert!(!version_matches("3.1", "3.11.7"));
        assert!(!version_matches("3.11.7", "3.11"));
        assert!(version_key("3.12.1") > version_key("3.11.7"));
        assert!(version_key("3.10.0") > version_key("3.9.18"));
    }

    #[test]
    fn request_precedence() {
        let t = tempfile::tempdir().unwrap();
        let r = t.path();
        assert_eq!(python_request(None, None, r).unwrap(), None);
        std::fs::write(r.join(".python-version"), "# c\n3.12\n").unwrap();
        let got = python_request(None, None, r).unwrap().unwrap();
        assert_eq!(
            (got.version.as_str(), got.source),
            ("3.12", RequestSource::PythonVersionFile)
        );
        std::fs::write(
            r.join(".tool-versions"),
            "nodejs 20\npython 3.11.7 3.10.1\n",
        )
        .unwrap();
        let got = python_request(None, None, r).unwrap().unwrap();
        assert_eq!(
            (got.version.as_str(), got.source),
            ("3.11.7", RequestSource::ToolVersions)
        );
        let got = python_request(None, Some("3.10"), r).unwrap().unwrap();
        assert_eq!(got.source, RequestSource::Config);
        let got = python_request(Some("3.9"), Some("3.10"), r)
            .unwrap()
            .unwrap();
        assert_eq!(
            (got.version.as_str(), got.source),
            ("3.9", RequestSource::Flag)
        );
        let e = python_request(Some("snake"), None, r).unwrap_err();
        assert!(e.to_string().contains("invalid python version `snake`"));
        std::fs::write(r.join(".tool-versions"), "python lts\n").unwrap();
        let e = python_request(None, None, r).unwrap_err();
        assert_eq!(
            e.to_string(),
            ".tool-versions:1: python version `lts` is not one pyve understands: expected a version like 3.11.7"
        );
    }
}
