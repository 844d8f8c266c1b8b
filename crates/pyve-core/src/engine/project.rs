//! Where the project is and where pyve keeps its files in it (docs/detection.md,
//! docs/configuration.md).

use std::path::{Path, PathBuf};

/// Conda-style spec files, in the order they are listed as evidence.
pub const CONDA_SPECS: &[&str] = &["environment.yml", "environment.yaml", "conda-lock.yml"];

/// What a conda env file is, by the rule micromamba itself applies: a name ending in
/// `-lock.yml` or `-lock.yaml` is a conda-lock file (created exactly as locked), any
/// other an environment file (solved).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EnvFileKind {
    Environment,
    Lock,
}

impl EnvFileKind {
    pub fn of(path: &std::path::Path) -> EnvFileKind {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().to_ascii_lowercase())
            .unwrap_or_default();
        if name.ends_with("-lock.yml") || name.ends_with("-lock.yaml") {
            EnvFileKind::Lock
        } else {
            EnvFileKind::Environment
        }
    }
}
/// The conda spec files of this machine: `environment.<platform>.yml` (and `.yaml`)
/// first, the one an env is built from when it is there, then [`CONDA_SPECS`].
pub fn conda_specs() -> Vec<&'static str> {
    crate::sys::platform::platform_env_files()
        .iter()
        .chain(CONDA_SPECS)
        .copied()
        .collect()
}

/// Pip-style spec files.
pub const PIP_SPECS: &[&str] = &["pyproject.toml", "requirements.txt"];

/// A project root and the paths pyve owns inside it.
#[derive(Clone, Debug)]
pub struct Project {
    pub root: PathBuf,
    /// How the root was found, for `status` and the TUI.
    pub found_by: RootMarker,
}

#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RootMarker {
    /// An ancestor holds `.pyve/`.
    PyveDir,
    /// An ancestor holds a spec file.
    SpecFile,
    /// Nothing found: the starting directory.
    StartDir,
}

impl Project {
    /// The project as a tree pyve writes under: every file pyve creates, writes,
    /// renames or removes inside the project goes through it ([`crate::sys::tree`]),
    /// so that none of it follows a link or leaves the project.
    pub fn tree(&self) -> std::io::Result<crate::sys::tree::Tree> {
        crate::sys::tree::Tree::open(&self.root)
    }

    /// The nearest ancestor of `start` holding `.pyve/`; else the nearest holding a spec
    /// file; else `start`. A `.pyve` that is `PYVE_HOME` itself (`~/.pyve` by default)
    /// marks the user's home, not a project, and is skipped.
    pub fn discover(start: &Path, pyve_home: &Path) -> Project {
        let start = std::path::absolute(start).unwrap_or_else(|_| start.to_path_buf());
        let home_real = std::fs::canonicalize(pyve_home).ok();
        let mut first_spec: Option<PathBuf> = None;
        for dir in start.ancestors() {
            let candidate = dir.join(".pyve");
            if candidate.is_dir() {
                let is_home = candidate == pyve_home
                    || home_real.as_ref().is_some_and(|h| {
                        std::fs::canonicalize(&candidate).ok().as_ref() == Some(h)
                    });
                if !is_home {
                    return Project {
                        root: dir.to_path_buf(),
                        found_by: RootMarker::PyveDir,
                    };
                }
            }
            if first_spec.is_none()
                && (conda_specs()
                    .iter()
                    .chain(PIP_SPECS)
                    .any(|f| dir.join(f).is_file())
                    || dir.join(super::pyvetoml::FILE).is_file())
            {
                first_spec = Some(dir.to_path_buf());
            }
        }
        match first_spec {
            Some(root) => Project {
                root,
                found_by: RootMarker::SpecFile,
            },
            None => Project {
                root: start,
                found_by: RootMarker::StartDir,
            },
        }
    }

    pub fn pyve_dir(&self) -> PathBuf {
        self.root.join(".pyve")
    }
    pub fn config_path(&self) -> PathBuf {
        self.pyve_dir().join("config")
    }
    pub fn lock_path(&self) -> PathBuf {
        self.pyve_dir().join("lock")
    }
    pub fn state_dir(&self) -> PathBuf {
        self.pyve_dir().join("state")
    }
    pub fn state_path(&self, env_name: &str) -> PathBuf {
        self.state_dir().join(format!("{env_name}.json"))
    }
    /// Written before an env is created and removed after its state file: its presence
    /// says "a create started here and did not finish".
    pub fn marker_path(&self, env_name: &str) -> PathBuf {
        self.state_dir().join(format!("{env_name}.creating"))
    }
    pub fn envs_dir(&self) -> PathBuf {
        self.pyve_dir().join("envs")
    }
    pub fn sandbox_micromamba(&self) -> PathBuf {
        crate::sys::platform::sandbox_micromamba(&self.pyve_dir())
    }

    /// The project directory's own name, the last fallback for an env name.
    pub fn dir_name(&self) -> String {
        self.root
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "project".into())
    }

    /// `path` relative to the root when inside it, for messages.
    pub fn display<'a>(&self, path: &'a Path) -> std::borrow::Cow<'a, str> {
        match path.strip_prefix(&self.root) {
            Ok(rel) if rel.as_os_str().is_empty() => ".".into(),
            Ok(rel) => rel.to_string_lossy().into_owned().into(),
            Err(_) => path.to_string_lossy(),
        }
    }

    /// The spec files present in the root, conda ones first.
    pub fn spec_files(&self) -> SpecFiles {
        let present = |names: &[&'static str]| {
            names
                .iter()
                .copied()
                .filter(|f| self.root.join(f).is_file())
                .collect::<Vec<_>>()
        };
        SpecFiles {
            conda: present(&conda_specs()),
            pip: present(PIP_SPECS),
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SpecFiles {
    pub conda: Vec<&'static str>,
    pub pip: Vec<&'static str>,
}

/// How long a mutating command waits for `.pyve/lock` before giving up
/// (`PYVE_LOCK_TIMEOUT` seconds, default 600).
pub fn lock_timeout() -> Result<std::time::Duration, crate::sys::envvar::EnvVarError> {
    crate::sys::envvar::seconds(
        "PYVE_LOCK_TIMEOUT",
        std::time::Duration::from_secs(600),
        true,
    )
}

/// `$PYVE_HOME`, else `~/.pyve`.
pub fn pyve_home() -> PathBuf {
    if let Some(h) = std::env::var_os("PYVE_HOME").filter(|v| !v.is_empty()) {
        return PathBuf::from(h);
    }
    home_dir().join(".pyve")
}

pub fn home_dir() -> PathBuf {
    std::env::var_os("HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn env_file_kinds_follow_micromamba() {
        use std::path::Path;
        assert_eq!(
            EnvFileKind::of(Path::new("conda-lock.yml")),
            EnvFileKind::Lock
        );
        assert_eq!(
            EnvFileKind::of(Path::new("envs/prod-lock.yaml")),
            EnvFileKind::Lock
        );
        assert_eq!(
            EnvFileKind::of(Path::new("environment.yml")),
            EnvFileKind::Environment
        );
        // micromamba would treat this as an environment file: so does pyve.
        assert_eq!(
            EnvFileKind::of(Path::new("conda-lock.yml.bak")),
            EnvFileKind::Environment
        );
    }
    use std::fs;

    #[test]
    fn pyve_dir_beats_spec_files_and_home_pyve_is_skipped() {
        let t = tempfile::tempdir().unwrap();
        let home = t.path().join("home");
        let pyve_home = home.join(".pyve");
        fs::create_dir_all(&pyve_home).unwrap();
        let proj = home.join("proj");
        let sub = proj.join("src/pkg");
        fs::create_dir_all(&sub).unwrap();
        // Only ~/.pyve above: not a project; no spec: the start dir.
        let p = Project::discover(&sub, &pyve_home);
        assert_eq!(p.root, sub);
        assert_eq!(p.found_by, RootMarker::StartDir);
        // A spec file makes proj the root.
        fs::write(proj.join("requirements.txt"), "").unwrap();
        let p = Project::discover(&sub, &pyve_home);
        assert_eq!(
            (p.root.as_path(), p.found_by),
            (proj.as_path(), RootMarker::SpecFile)
        );
        // A .pyve/ further up than a spec file still wins.
        fs::remove_file(proj.join("requirements.txt")).unwrap();
        fs::write(sub.join("pyproject.toml"), "").unwrap();
        fs::create_dir_all(proj.join(".pyve")).unwrap();
        let p = Project::discover(&sub, &pyve_home);
        assert_eq!(
            (p.root.as_path(), p.found_by),
            (proj.as_path(), RootMarker::PyveDir)
        );
    }
}
