//! The search for the python a venv is built from (docs/detection.md): asdf, then
//! pyenv, then PATH, each candidate recorded in `tried` with why it was or wasn't
//! taken. With a `requires-python` request every place is looked at and the newest
//! match wins; otherwise the first match does.
//!
//! Reads the file system only, except one case: a system `python3.X` whose patch
//! version matters (the request names one) is asked `--version`.

use std::path::{Path, PathBuf};

use super::install_hint::install_hint;
use super::resolve::{
    Lookup, Outcome, Place, PythonNotFound, PythonRequest, Resolution, Tried, Want, foreign_prefix,
    version_key,
};

/// Resolves the python for a venv. `request` is the version asked for, if any.
pub fn resolve_python(
    request: Option<&PythonRequest>,
    lookup: &Lookup,
) -> Result<Resolution, Box<PythonNotFound>> {
    let mut s = Search::new(request, lookup);
    if let Some(r) = s.version_managers() {
        return Ok(r);
    }
    if let Some(r) = s.path_pythons() {
        return Ok(r);
    }
    if let Some(r) = s.newest_spec_match() {
        return Ok(r);
    }
    Err(s.not_found())
}

/// The pythons a venv could be built from (asdf, pyenv, PATH), newest first, one per
/// version (the first place that has it). Resolution lists every version it looks at
/// on the way, so this resolves twice — with the project's request (which walks every
/// version that does not match) and with none — and keeps what runs and is no conda
/// prefix's.
pub fn installed_pythons(request: Option<&PythonRequest>, lookup: &Lookup) -> Vec<Tried> {
    let mut tried = Vec::new();
    for r in [request, None] {
        match resolve_python(r, lookup) {
            Ok(res) => tried.extend(res.tried),
            Err(e) => tried.extend(e.tried),
        }
    }
    let mut out: Vec<Tried> = Vec::new();
    for t in tried {
        let usable =
            t.version.is_some() && !matches!(t.outcome, Outcome::Skipped(_) | Outcome::CondaPrefix);
        if usable && !out.iter().any(|o| o.version == t.version) {
            out.push(t);
        }
    }
    out.sort_by(|a, b| {
        version_key(b.version.as_deref().unwrap_or(""))
            .cmp(&version_key(a.version.as_deref().unwrap_or("")))
    });
    out
}

/// One search's tallies, shared by its steps.
struct Search<'a> {
    request: Option<&'a PythonRequest>,
    want: Option<Want>,
    lookup: &'a Lookup,
    /// Every place looked at, in order.
    tried: Vec<Tried>,
    /// What exists, for the not-found message: "3.12.1 (pyenv)".
    found: Vec<String>,
    /// requires-python: each place's best match (every place is looked at).
    spec_best: Vec<(Place, PathBuf, String)>,
}

impl<'a> Search<'a> {
    fn new(request: Option<&'a PythonRequest>, lookup: &'a Lookup) -> Search<'a> {
        Search {
            request,
            want: request.map(PythonRequest::want),
            lookup,
            tried: Vec::new(),
            found: Vec::new(),
            spec_best: Vec::new(),
        }
    }

    fn is_spec(&self) -> bool {
        matches!(self.want, Some(Want::Spec(_)))
    }

    fn matches(&self, version: &str) -> bool {
        self.request.is_none_or(|r| r.matches(version))
    }

    /// What a candidate that does not match the request is told.
    fn mismatch(&self) -> String {
        match &self.want {
            Some(Want::Spec(s)) => format!("does not satisfy {}", s.text),
            Some(Want::Version(w)) => format!("does not match {w}"),
            _ => String::new(),
        }
    }

    fn resolution(&self, place: Place, path: PathBuf, version: String) -> Resolution {
        Resolution {
            kind: "python",
            path,
            version,
            place,
            tried: self.tried.clone(),
        }
    }

    fn shim_dirs(&self) -> [PathBuf; 2] {
        [
            self.lookup.pyenv_root.join("shims"),
            self.lookup.asdf_dir.join("shims"),
        ]
    }

    /// asdf and pyenv: installs read from their directories; with no request, pyenv's
    /// global version (what `python` means in the user's shell) is the one.
    fn version_managers(&mut self) -> Option<Resolution> {
        let pyenv_global = crate::sys::fs::read_small(&self.lookup.pyenv_root.join("version"))
            .and_then(|t| t.split_whitespace().next().map(str::to_string));
        for (place, dir) in [
            (
                Place::Asdf,
                self.lookup.asdf_dir.join("installs").join("python"),
            ),
            (Place::Pyenv, self.lookup.pyenv_root.join("versions")),
        ] {
            let Some((path, version)) = self.one_manager(place, dir, pyenv_global.as_deref())
            else {
                continue;
            };
            if self.is_spec() {
                self.spec_best.push((place, path, version));
                continue;
            }
            return Some(self.resolution(place, path, version));
        }
        None
    }

    /// One version manager's installs, newest first: the one taken, if any.
    fn one_manager(
        &mut self,
        place: Place,
        dir: PathBuf,
        pyenv_global: Option<&str>,
    ) -> Option<(PathBuf, String)> {
        let nothing = |outcome| Tried {
            place,
            path: dir.clone(),
            version: None,
            outcome,
        };
        if self.want == Some(Want::System) {
            self.tried.push(nothing(Outcome::Skipped(
                "`system` was requested: only PATH is looked at".into(),
            )));
            return None;
        }
        if !dir.is_dir() {
            self.tried.push(nothing(Outcome::NotInstalled));
            return None;
        }
        let list = installs(place, &dir);
        if list.is_empty() {
            self.tried.push(nothing(Outcome::NoVersions));
        }
        let mut chosen = None;
        for i in list {
            let verdict = match self.judge_install(&i, pyenv_global) {
                // Only a candidate that would have been taken yields to an earlier one.
                Ok(_) if chosen.is_some() => {
                    Err(Outcome::Rejected("a better match was taken".into()))
                }
                v => v,
            };
            let (path, outcome) = match verdict {
                Ok(py) => {
                    chosen = Some((py.clone(), i.version.clone()));
                    (py, Outcome::Taken)
                }
                Err(outcome) => (i.dir.clone(), outcome),
            };
            self.tried.push(Tried {
                place,
                path,
                version: Some(i.version.clone()),
                outcome,
            });
        }
        chosen
    }

    /// Would this install do: its python, or the outcome that says why not.
    fn judge_install(
        &mut self,
        i: &Install,
        pyenv_global: Option<&str>,
    ) -> Result<PathBuf, Outcome> {
        let py = usable_install(i)?;
        self.found.push(format!("{} ({})", i.version, i.place));
        let rejected = |why: String| Err(Outcome::Rejected(why));
        match self.request {
            Some(_) if self.matches(&i.version) => Ok(py),
            Some(_) => rejected(self.mismatch()),
            None if i.place == Place::Pyenv && pyenv_global == Some(i.version.as_str()) => Ok(py),
            None if i.place == Place::Pyenv => rejected(match pyenv_global {
                Some(g) => format!("not pyenv's global version ({g})"),
                None => "no version requested and no pyenv global version".to_string(),
            }),
            None => rejected("no version requested".to_string()),
        }
    }

    /// The names looked for on PATH: `python3.X` for a version, every `python3.N`
    /// newest first (then `python3`) for a specifier set, else `python3`.
    fn path_names(&self) -> Vec<String> {
        match &self.want {
            Some(Want::Version(w)) => {
                let k = version_key(w);
                if k.len() >= 2 {
                    vec![format!("python{}.{}", k[0], k[1])]
                } else {
                    vec![format!("python{}", k[0])]
                }
            }
            // Newest first: the first that satisfies the set is the one.
            Some(Want::Spec(_)) => (6..=14)
                .rev()
                .map(|n| format!("python3.{n}"))
                .chain(["python3".to_string()])
                .collect(),
            Some(Want::System) | None => vec!["python3".to_string()],
        }
    }

    /// System: the names on PATH, skipping version-manager shims and pythons that
    /// belong to a venv or a conda prefix.
    fn path_pythons(&mut self) -> Option<Resolution> {
        let names = self.path_names();
        let path = self.lookup.path.clone();
        for name in &names {
            for dir in std::env::split_paths(&path) {
                if dir.as_os_str().is_empty() {
                    continue;
                }
                let candidate = dir.join(name);
                if !crate::sys::process::is_executable(&candidate) {
                    continue;
                }
                let Some(version) = self.judge_system(&dir, &candidate) else {
                    continue;
                };
                self.tried.push(Tried {
                    place: Place::System,
                    path: candidate.clone(),
                    version: Some(version.clone()),
                    outcome: Outcome::Taken,
                });
                if self.is_spec() {
                    self.spec_best.push((Place::System, candidate, version));
                    return None;
                }
                return Some(self.resolution(Place::System, candidate, version));
            }
        }
        None
    }

    /// A python on PATH: its version when it would do; otherwise recorded as rejected.
    fn judge_system(&mut self, dir: &Path, candidate: &Path) -> Option<String> {
        let reject = |s: &mut Search, why: String, version: Option<String>| {
            s.tried.push(Tried {
                place: Place::System,
                path: candidate.to_path_buf(),
                version,
                outcome: Outcome::Rejected(why),
            })
        };
        if self.shim_dirs().iter().any(|s| s == dir) || dir.ends_with("shims") {
            reject(
                self,
                "a version-manager shim: installs are read directly".into(),
                None,
            );
            return None;
        }
        let real = std::fs::canonicalize(candidate).unwrap_or(candidate.to_path_buf());
        let foreign = foreign_prefix(dir).or_else(|| real.parent().and_then(foreign_prefix));
        if let Some((what, prefix)) = foreign {
            let why = format!(
                "inside a {what} ({}): never used for a venv",
                prefix.display()
            );
            reject(self, why, None);
            return None;
        }
        let version_hint = match (&self.want, self.request) {
            (Some(Want::Version(_)), Some(r)) => Some(r.version.as_str()),
            _ => None,
        };
        let Some(version) = system_version(candidate, &real, version_hint) else {
            reject(self, "does not run (`--version` failed)".into(), None);
            return None;
        };
        self.found
            .push(format!("{version} (system: {})", candidate.display()));
        if !self.matches(&version) {
            let why = self.mismatch();
            reject(self, why, Some(version));
            return None;
        }
        Some(version)
    }

    /// requires-python: the newest of what each place offered (the earlier place on a
    /// tie); the others taken on the way are told a newer one was.
    fn newest_spec_match(&mut self) -> Option<Resolution> {
        let best = self
            .spec_best
            .iter()
            .enumerate()
            .max_by(|(ia, a), (ib, b)| {
                let va = super::pyversion::Version::of_installed(&a.2);
                let vb = super::pyversion::Version::of_installed(&b.2);
                va.cmp(&vb).then(ib.cmp(ia))
            })
            .map(|(_, b)| b.clone())?;
        for t in self.tried.iter_mut() {
            if t.taken() && !(t.place == best.0 && t.path == best.1) {
                t.outcome = Outcome::Rejected("a newer python was taken".into());
            }
        }
        Some(self.resolution(best.0, best.1, best.2))
    }

    /// Nothing would do: what exists, and the command that installs what was asked.
    fn not_found(mut self) -> Box<PythonNotFound> {
        // Only python3.X was looked for: name the system's own python3 among what
        // exists, so the message never claims there is no python at all. Read from
        // its name.
        if self.request.is_some() && !self.found.iter().any(|f| f.contains("(system: ")) {
            let shim_dirs = self.shim_dirs();
            let system_python3 = std::env::split_paths(&self.lookup.path)
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
            self.found.extend(system_python3);
        }
        if self.tried.iter().all(|t| t.place != Place::System) {
            let shown = if self.is_spec() {
                "python3.N, python3".to_string()
            } else {
                self.path_names().join(", ")
            };
            self.tried.push(Tried {
                place: Place::System,
                path: PathBuf::from(shown),
                version: None,
                outcome: Outcome::NotOnPath,
            });
        }
        let (install_command, install_hint) = install_hint(self.request, self.lookup);
        self.found.dedup();
        Box::new(PythonNotFound {
            request: self.request.cloned(),
            found: self.found,
            install_hint,
            install_command,
            tried: self.tried,
        })
    }
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

/// Looks at one install: `Ok(python)` when usable, otherwise the outcome that says why not.
fn usable_install(i: &Install) -> Result<PathBuf, Outcome> {
    let rejected = |why: &str| Outcome::Rejected(why.to_string());
    if i.dir.join("conda-meta").is_dir() {
        return Err(Outcome::CondaPrefix);
    }
    if !i.version.starts_with(|c: char| c.is_ascii_digit()) {
        return Err(rejected("not a CPython version"));
    }
    let python = i.dir.join("bin").join("python3");
    let python = if python.exists() {
        python
    } else {
        i.dir.join("bin").join("python")
    };
    if !crate::sys::process::is_executable(&python) {
        return Err(rejected("no bin/python3 in it"));
    }
    Ok(python)
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

/// `python --version` → "3.11.2". Bounded and watched like every probe (a python on
/// the PATH that hangs is no python: none).
pub fn python_version_by_running(python: &Path) -> Option<String> {
    let cancel = std::sync::atomic::AtomicBool::new(false);
    let probe = crate::sys::probe::Probe {
        env_remove: &[],
        env: &[],
        timeout: super::probe::TIMEOUT,
        cancel: &cancel,
    };
    let (out, err) = crate::sys::probe::output(python, &probe).ok()?;
    // Pythons before 3.4 answer on stderr.
    let text = String::from_utf8_lossy(if out.is_empty() { &err } else { &out }).into_owned();
    text.trim()
        .strip_prefix("Python ")
        .map(|v| v.trim().to_string())
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    fn script(dir: &Path, name: &str, body: &str) -> std::path::PathBuf {
        use std::os::unix::fs::PermissionsExt;
        let p = dir.join(name);
        std::fs::write(&p, format!("#!/bin/sh\n{body}\n")).unwrap();
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o755)).unwrap();
        p
    }

    #[test]
    fn a_pythons_version_is_what_it_answers_through_the_bounded_probe() {
        let d = tempfile::tempdir().unwrap();
        let v = |name, body| python_version_by_running(&script(d.path(), name, body));
        assert_eq!(v("new", "echo 'Python 3.11.2'"), Some("3.11.2".into()));
        assert_eq!(v("old", "echo 'Python 2.7.18' >&2"), Some("2.7.18".into()));
        assert_eq!(v("fails", "echo 'Python 3.12.0'; exit 1"), None);
        assert_eq!(v("other", "echo 'PyPy 7.3'"), None);
        assert_eq!(python_version_by_running(&d.path().join("absent")), None);
    }
}
