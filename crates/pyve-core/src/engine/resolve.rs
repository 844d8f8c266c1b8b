//! Which Python builds a venv (docs/detection.md), as data: the request (a flag, the
//! config, `.python-version`, `.tool-versions`, `requires-python`, …) and where it
//! came from, and what a search reports — every place tried ([`Tried`], [`Outcome`]),
//! the python taken ([`Resolution`]) or what exists instead ([`PythonNotFound`]). The
//! search itself is [`super::find_python`]; the command that installs a missing
//! python is [`super::install_hint`].

use std::ffi::OsString;
use std::path::{Path, PathBuf};

use serde::Serialize;

use super::config::ConfigError;
use super::pyversion::{Specifiers, is_version_request};

/// Where a version request came from, highest precedence first (docs/detection.md).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum RequestSource {
    #[serde(rename = "--python-version")]
    Flag,
    #[serde(rename = ".pyve/config")]
    Config,
    /// pyenv's `pyenv shell`: the `PYENV_VERSION` variable.
    #[serde(rename = "PYENV_VERSION")]
    PyenvVersion,
    /// The project's `.tool-versions` (asdf).
    #[serde(rename = ".tool-versions")]
    ToolVersions,
    /// `.python-version` in the project root or the nearest ancestor holding one (pyenv).
    #[serde(rename = ".python-version")]
    PythonVersionFile,
    /// asdf's global `~/.tool-versions`.
    #[serde(rename = "~/.tool-versions")]
    GlobalToolVersions,
    /// `[project] requires-python` in pyproject.toml: the newest installed python
    /// that satisfies it.
    #[serde(rename = "requires-python")]
    RequiresPython,
}

impl RequestSource {
    pub fn as_str(self) -> &'static str {
        match self {
            RequestSource::Flag => "--python-version",
            RequestSource::Config => ".pyve/config",
            RequestSource::PyenvVersion => "PYENV_VERSION",
            RequestSource::ToolVersions => ".tool-versions",
            RequestSource::PythonVersionFile => ".python-version",
            RequestSource::GlobalToolVersions => "~/.tool-versions",
            RequestSource::RequiresPython => "requires-python in pyproject.toml",
        }
    }
}

/// The version asked for and by whom. `version` is a version (`3.11`), `system`
/// (pyenv's and asdf's name for the system python), or for
/// [`RequestSource::RequiresPython`] a specifier set (`>=3.10`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PythonRequest {
    pub version: String,
    pub source: RequestSource,
}

/// What a request matches.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Want {
    /// `3.11` matches `3.11` and `3.11.7`.
    Version(String),
    /// The system python (`python3` on PATH); asdf and pyenv are not looked at.
    System,
    /// A specifier set: the newest python satisfying it.
    Spec(Specifiers),
}

/// pyenv's and asdf's word for "the python on PATH".
pub const SYSTEM: &str = "system";

impl PythonRequest {
    pub fn want(&self) -> Want {
        if self.version == SYSTEM {
            return Want::System;
        }
        if self.source == RequestSource::RequiresPython
            && let Ok(s) = Specifiers::parse(&self.version)
        {
            return Want::Spec(s);
        }
        Want::Version(self.version.clone())
    }

    /// Whether a python of `version` answers this request (`system`: any).
    pub fn matches(&self, version: &str) -> bool {
        match self.want() {
            Want::Version(w) => version_matches(&w, version),
            Want::System => true,
            Want::Spec(s) => s.contains_str(version),
        }
    }
}

/// `requires-python` from the project's pyproject.toml.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RequiresPython {
    pub specifier: String,
    pub file: PathBuf,
}

/// The whole answer to "which python was asked for": the request, the file it was read
/// from, the project's `requires-python`, and a warning when the pin violates it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct PythonChoice {
    pub request: Option<PythonRequest>,
    /// The file the request was read from (absolute), when it came from one.
    pub file: Option<PathBuf>,
    pub requires_python: Option<RequiresPython>,
    pub warnings: Vec<String>,
}

/// What the request reads besides the project: the environment, taken from the
/// process, overridable in tests.
#[derive(Clone, Debug, Default)]
pub struct RequestEnv {
    /// `PYENV_VERSION`, when set and not empty.
    pub pyenv_version: Option<String>,
    /// `$HOME`, where asdf's global `.tool-versions` is.
    pub home: PathBuf,
}

impl RequestEnv {
    pub fn from_env() -> RequestEnv {
        RequestEnv {
            pyenv_version: std::env::var("PYENV_VERSION")
                .ok()
                .filter(|v| !v.trim().is_empty()),
            home: super::project::home_dir(),
        }
    }
}

fn bad_version(file: &str, line: Option<u64>, column: Option<u64>, v: &str) -> ConfigError {
    ConfigError {
        file: file.into(),
        line,
        column,
        message: format!(
            "python version `{v}` is not one pyve understands: expected a version like 3.11 or 3.11.7, or `system`"
        ),
        hint: Some("pyve builds venvs from CPython; name its version".into()),
    }
}

/// A version as a version file may write it: a version request or `system`.
fn file_version(v: &str) -> bool {
    v == SYSTEM || is_version_request(v)
}

/// The first `python X` of a `.tool-versions`: `(version, line, column)`.
fn read_tool_versions(path: &Path, shown: &str) -> Result<Option<String>, ConfigError> {
    let Ok(text) = crate::sys::fs::read_text(path, 1024 * 1024) else {
        return Ok(None);
    };
    for (i, line) in text.lines().enumerate() {
        let content = line.split('#').next().unwrap_or("");
        let mut words = content.split_whitespace();
        if words.next() != Some("python") {
            continue;
        }
        // asdf allows several versions; the first is the one it selects.
        let v = words.next().unwrap_or("");
        if file_version(v) {
            return Ok(Some(v.to_string()));
        }
        let col = if v.is_empty() {
            content.trim_end().len() + 1
        } else {
            content.find(v).map(|c| c + 1).unwrap_or(1)
        };
        return Err(bad_version(shown, Some(i as u64 + 1), Some(col as u64), v));
    }
    Ok(None)
}

/// The first version of a `.python-version` (pyenv: the first non-empty, non-comment
/// line; several versions on a line are separated by spaces).
fn read_python_version(path: &Path, shown: &str) -> Result<Option<String>, ConfigError> {
    let Ok(text) = crate::sys::fs::read_text(path, 1024 * 1024) else {
        return Ok(None);
    };
    for (i, line) in text.lines().enumerate() {
        let content = line.split('#').next().unwrap_or("");
        let Some(v) = content.split_whitespace().next() else {
            continue;
        };
        if !file_version(v) {
            let col = content.find(v).map(|c| c + 1).unwrap_or(1);
            return Err(bad_version(shown, Some(i as u64 + 1), Some(col as u64), v));
        }
        return Ok(Some(v.to_string()));
    }
    Ok(None)
}

/// `requires-python` of `root/pyproject.toml`, validated. A pyproject.toml that is not
/// TOML is not pyve's to judge (pip says so when it installs it): no requirement.
pub fn requires_python(root: &Path) -> Result<Option<RequiresPython>, ConfigError> {
    #[derive(serde::Deserialize)]
    struct Pyproject {
        project: Option<ProjectTable>,
    }
    #[derive(serde::Deserialize)]
    struct ProjectTable {
        #[serde(rename = "requires-python")]
        requires_python: Option<toml::Spanned<String>>,
    }
    let file = root.join("pyproject.toml");
    let Ok(text) = crate::sys::fs::read_text(&file, crate::sys::fs::FILE_CAP) else {
        return Ok(None);
    };
    // The hot path (`pyve run`) reads this too: parse only a file that can hold one.
    if !text.contains("requires-python") {
        return Ok(None);
    }
    let Ok(doc) = toml::from_str::<Pyproject>(&text) else {
        return Ok(None);
    };
    let Some(spec) = doc.project.and_then(|p| p.requires_python) else {
        return Ok(None);
    };
    if let Err(why) = Specifiers::parse(spec.get_ref()) {
        let before = &text[..spec.span().start.min(text.len())];
        let line = before.matches('\n').count() as u64 + 1;
        let column = before.rsplit('\n').next().unwrap_or("").chars().count() as u64 + 1;
        return Err(ConfigError {
            file: "pyproject.toml".into(),
            line: Some(line),
            column: Some(column),
            message: format!("invalid requires-python: {why}"),
            hint: Some("write a PEP 440 specifier, e.g. requires-python = \">=3.10\"".into()),
        });
    }
    Ok(Some(RequiresPython {
        specifier: spec.into_inner().trim().to_string(),
        file,
    }))
}

/// The version request: `--python-version`, else `python.version`, else
/// `PYENV_VERSION`, else the project's `.tool-versions` (`python X`), else the nearest
/// `.python-version` from the project root up, else `~/.tool-versions`, else
/// `requires-python`.
pub fn python_request(
    flag: Option<&str>,
    config: Option<&str>,
    root: &Path,
) -> Result<Option<PythonRequest>, ConfigError> {
    Ok(python_choice(flag, config, root, &RequestEnv::from_env())?.request)
}

/// [`python_request`] with the file it came from, `requires-python` and its warnings.
pub fn python_choice(
    flag: Option<&str>,
    config: Option<&str>,
    root: &Path,
    env: &RequestEnv,
) -> Result<PythonChoice, ConfigError> {
    let requires = requires_python(root)?;
    let mut choice = PythonChoice {
        requires_python: requires.clone(),
        ..PythonChoice::default()
    };
    let found = |version: String, source: RequestSource, file: Option<PathBuf>| {
        (PythonRequest { version, source }, file)
    };
    let mut picked = None;
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
        picked = Some(found(v.to_string(), RequestSource::Flag, None));
    } else if let Some(v) = config {
        picked = Some(found(
            v.to_string(),
            RequestSource::Config,
            Some(root.join(".pyve").join("config")),
        ));
    } else if let Some(pv) = &env.pyenv_version {
        // pyenv: `3.11.7:3.12.1` selects several; the first is `python`.
        let v = pv.split(':').next().unwrap_or("").trim();
        if !file_version(v) {
            return Err(bad_version("PYENV_VERSION", None, None, v));
        }
        picked = Some(found(v.to_string(), RequestSource::PyenvVersion, None));
    }
    if picked.is_none() {
        let tv = root.join(".tool-versions");
        if let Some(v) = read_tool_versions(&tv, ".tool-versions")? {
            picked = Some(found(v, RequestSource::ToolVersions, Some(tv)));
        }
    }
    if picked.is_none() {
        for dir in root.ancestors() {
            let f = dir.join(".python-version");
            let shown = if dir == root {
                ".python-version".to_string()
            } else {
                f.display().to_string()
            };
            if let Some(v) = read_python_version(&f, &shown)? {
                picked = Some(found(v, RequestSource::PythonVersionFile, Some(f)));
                break;
            }
        }
    }
    if picked.is_none() && env.home != root && !env.home.as_os_str().is_empty() {
        let g = env.home.join(".tool-versions");
        if let Some(v) = read_tool_versions(&g, "~/.tool-versions")? {
            picked = Some(found(v, RequestSource::GlobalToolVersions, Some(g)));
        }
    }
    match (picked, &requires) {
        (Some((request, file)), Some(rp)) => {
            if let Want::Version(v) = request.want()
                && let Ok(spec) = Specifiers::parse(&rp.specifier)
                && !version_satisfies(&spec, &v)
            {
                choice.warnings.push(format!(
                    "python {v} (requested by {}) does not satisfy requires-python `{}` in pyproject.toml",
                    request.source.as_str(),
                    rp.specifier
                ));
            }
            choice.request = Some(request);
            choice.file = file;
        }
        (Some((request, file)), None) => {
            choice.request = Some(request);
            choice.file = file;
        }
        (None, Some(rp)) => {
            choice.request = Some(PythonRequest {
                version: rp.specifier.clone(),
                source: RequestSource::RequiresPython,
            });
            choice.file = Some(rp.file.clone());
        }
        (None, None) => {}
    }
    Ok(choice)
}

/// A pin (`3.11`, `3.11.7`) satisfies a specifier set when some version it matches
/// does: `3.11` is judged as 3.11.0 and as the last 3.11 (`>=3.11.4` holds for 3.11).
fn version_satisfies(spec: &Specifiers, pin: &str) -> bool {
    if spec.contains_str(pin) {
        return true;
    }
    let parts = version_key(pin);
    parts.len() < 3 && {
        let mut late = parts.clone();
        late.resize(3, 0);
        late[2] = 999;
        if parts.len() == 1 {
            (0..40).any(|m| spec.contains_str(&format!("{}.{m}.999", parts[0])))
                || (0..40).any(|m| spec.contains_str(&format!("{}.{m}", parts[0])))
        } else {
            spec.contains_str(&format!("{}.{}.{}", late[0], late[1], late[2]))
        }
    }
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
    /// An install that is a conda prefix: a venv never uses it (it would mix runtimes).
    CondaPrefix,
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
            Outcome::CondaPrefix => {
                f.write_str("a conda prefix: never used for a venv (it would mix runtimes)")
            }
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
    /// The first line: what was asked for, and what exists instead.
    pub fn summary(&self) -> String {
        let what = match &self.request {
            Some(r) if r.source == RequestSource::RequiresPython => format!(
                "no python satisfying requires-python `{}` (pyproject.toml) was found",
                r.version
            ),
            Some(r) if r.version == SYSTEM => format!(
                "the system python (`system`, requested by {}) was not found on PATH",
                r.source.as_str()
            ),
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
        format!("{what}; {found}")
    }

    /// What to do, one `hint:` each: install it, and, when requires-python chose,
    /// how to pin another python instead.
    pub fn hints(&self) -> Vec<String> {
        let mut out = vec![format!("install it with: {}", self.install_hint)];
        if self
            .request
            .as_ref()
            .is_some_and(|r| r.source == RequestSource::RequiresPython)
        {
            out.push(
                "or pin an installed python that satisfies it: `pyve init --python-version X.Y` (or `pyve python pin X.Y`)"
                    .to_string(),
            );
        }
        out
    }

    fn message(&self) -> String {
        let mut s = self.summary();
        for h in self.hints() {
            s.push_str("\nhint: ");
            s.push_str(&h);
        }
        s
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

/// `3.11` matches `3.11` and `3.11.7`, not `3.110`. A request that is `system` or a
/// specifier set (`>=3.10`, from requires-python) is judged as such.
pub fn version_matches(request: &str, version: &str) -> bool {
    if request == SYSTEM {
        return true;
    }
    if request.starts_with(['<', '>', '=', '!', '~'])
        && let Ok(spec) = Specifiers::parse(request)
    {
        return spec.contains_str(version);
    }
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

pub use super::find_python::{installed_pythons, python_version_by_running, resolve_python};

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
        let r = &t.path().join("proj");
        std::fs::create_dir_all(r).unwrap();
        let home = t.path().join("home");
        std::fs::create_dir_all(&home).unwrap();
        let env = RequestEnv {
            pyenv_version: None,
            home: home.clone(),
        };
        let req =
            |flag, config, env: &RequestEnv| python_choice(flag, config, r, env).map(|c| c.request);
        assert_eq!(req(None, None, &env).unwrap(), None);
        // requires-python speaks only when nothing pins.
        std::fs::write(
            r.join("pyproject.toml"),
            "[project]\nrequires-python = \">=3.10\"\n",
        )
        .unwrap();
        let got = req(None, None, &env).unwrap().unwrap();
        assert_eq!(
            (got.version.as_str(), got.source),
            (">=3.10", RequestSource::RequiresPython)
        );
        std::fs::write(home.join(".tool-versions"), "python 3.13.0\n").unwrap();
        let got = req(None, None, &env).unwrap().unwrap();
        assert_eq!(got.source, RequestSource::GlobalToolVersions);
        // An ancestor's .python-version, then the project's own.
        std::fs::write(t.path().join(".python-version"), "3.9\n").unwrap();
        let c = python_choice(None, None, r, &env).unwrap();
        assert_eq!(c.file, Some(t.path().join(".python-version")));
        assert_eq!(
            c.warnings,
            [
                "python 3.9 (requested by .python-version) does not satisfy requires-python `>=3.10` in pyproject.toml"
            ]
        );
        std::fs::write(r.join(".python-version"), "# c\n3.12 3.11\n").unwrap();
        let got = req(None, None, &env).unwrap().unwrap();
        assert_eq!(
            (got.version.as_str(), got.source),
            ("3.12", RequestSource::PythonVersionFile)
        );
        std::fs::write(
            r.join(".tool-versions"),
            "nodejs 20\npython 3.11.7 3.10.1\n",
        )
        .unwrap();
        let got = req(None, None, &env).unwrap().unwrap();
        assert_eq!(
            (got.version.as_str(), got.source),
            ("3.11.7", RequestSource::ToolVersions)
        );
        let with_pyenv = RequestEnv {
            pyenv_version: Some("system:3.12".into()),
            home,
        };
        let got = req(None, None, &with_pyenv).unwrap().unwrap();
        assert_eq!(
            (got.version.as_str(), got.source, got.want()),
            ("system", RequestSource::PyenvVersion, Want::System)
        );
        let got = req(None, Some("3.10"), &with_pyenv).unwrap().unwrap();
        assert_eq!(got.source, RequestSource::Config);
        let got = req(Some("3.9"), Some("3.10"), &env).unwrap().unwrap();
        assert_eq!(
            (got.version.as_str(), got.source),
            ("3.9", RequestSource::Flag)
        );
        let e = req(Some("snake"), None, &env).unwrap_err();
        assert!(e.to_string().contains("invalid python version `snake`"));
        let e = req(Some("system"), None, &env).unwrap_err();
        assert!(e.to_string().contains("invalid python version `system`"));
        std::fs::write(r.join(".tool-versions"), "python lts\n").unwrap();
        let e = req(None, None, &env).unwrap_err();
        assert_eq!(
            e.to_string(),
            ".tool-versions:1:8: python version `lts` is not one pyve understands: expected a version like 3.11 or 3.11.7, or `system`"
        );
    }

    #[test]
    fn requests_match_by_what_they_are() {
        let r = |v: &str, source| PythonRequest {
            version: v.into(),
            source,
        };
        assert!(r("3.11", RequestSource::Flag).matches("3.11.7"));
        assert!(r("system", RequestSource::PythonVersionFile).matches("3.9.1"));
        let spec = r(">=3.10,<3.12", RequestSource::RequiresPython);
        assert!(spec.matches("3.11.7") && !spec.matches("3.12.0"));
        // doctor judges the venv with version_matches on the request's text.
        assert!(version_matches(">=3.10", "3.12.1"));
        assert!(!version_matches(">=3.10", "3.9.18"));
        assert!(version_matches("system", "3.9.18"));
    }
}
