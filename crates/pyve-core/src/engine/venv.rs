//! The venv backend: the steps that build a venv, and what a pyproject-only project
//! wants installed. The steps run on the task queue; nothing here spawns.

use std::ffi::OsString;
use std::path::{Path, PathBuf};

use crate::engine::step::Step;

/// Who manages a pyproject.toml's dependencies, as far as its files tell.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PyprojectManager {
    Poetry,
    Pdm,
    Uv,
    Hatch,
}

impl PyprojectManager {
    /// What to run instead of `pip install -e .`, in the env pyve built.
    pub fn hint(&self) -> String {
        match self {
            PyprojectManager::Poetry => {
                "this project is managed by poetry (poetry.lock / [tool.poetry]): install its dependencies with `poetry install` (poetry uses the active .venv when `virtualenvs.in-project` is set)".into()
            }
            PyprojectManager::Pdm => {
                "this project is managed by pdm (pdm.lock / [tool.pdm]): install its dependencies with `pdm install`".into()
            }
            PyprojectManager::Uv => {
                "this project is managed by uv (uv.lock / [tool.uv]): install its dependencies with `uv sync`".into()
            }
            PyprojectManager::Hatch => {
                "this project is managed by hatch ([tool.hatch.envs]): hatch builds its own environments; `hatch shell`".into()
            }
        }
    }
}

/// Lock files first (they are the strongest evidence), then `[tool.X]` tables.
pub fn pyproject_manager(root: &Path) -> Option<PyprojectManager> {
    for (file, m) in [
        ("poetry.lock", PyprojectManager::Poetry),
        ("pdm.lock", PyprojectManager::Pdm),
        ("uv.lock", PyprojectManager::Uv),
    ] {
        if root.join(file).is_file() {
            return Some(m);
        }
    }
    let text =
        crate::sys::fs::read_text(&root.join("pyproject.toml"), crate::sys::fs::FILE_CAP).ok()?;
    for line in text.lines() {
        let l = line.trim();
        let table = l.strip_prefix('[').map(|t| t.trim_start_matches('['));
        let Some(t) = table else { continue };
        if t.starts_with("tool.poetry") {
            return Some(PyprojectManager::Poetry);
        }
        if t.starts_with("tool.pdm") {
            return Some(PyprojectManager::Pdm);
        }
        if t.starts_with("tool.uv") {
            return Some(PyprojectManager::Uv);
        }
        if t.starts_with("tool.hatch.envs") {
            return Some(PyprojectManager::Hatch);
        }
    }
    None
}

/// What `init` installs into a venv after creating it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Install {
    /// `pip install -r requirements.txt`.
    Requirements,
    /// `pip install -e .` (pyproject-only, accepted).
    Editable,
    Nothing,
}

/// The venv's own python.
pub fn venv_python(prefix: &Path) -> PathBuf {
    crate::sys::platform::venv_python(prefix)
}

fn quiet_pip_env() -> Vec<(OsString, OsString)> {
    vec![
        ("PIP_DISABLE_PIP_VERSION_CHECK".into(), "1".into()),
        ("PIP_NO_INPUT".into(), "1".into()),
        ("PYTHONUNBUFFERED".into(), "1".into()),
    ]
}

/// Activation variables of the caller that must not reach the steps: a venv built
/// from inside another activated env must not inherit it.
pub fn foreign_activation_vars() -> Vec<OsString> {
    std::env::vars_os()
        .map(|(k, _)| k)
        .filter(|k| super::run::is_activation_var(k))
        .collect()
}

/// `python -m venv PREFIX`.
pub fn create_step(
    root: &Path,
    python: &Path,
    version: &str,
    prefix: &Path,
    display: &str,
) -> Step {
    Step {
        label: format!("create {display} with python {version}"),
        program: python.to_path_buf(),
        args: vec!["-m".into(), "venv".into(), prefix.as_os_str().to_owned()],
        cwd: root.to_path_buf(),
        env: quiet_pip_env(),
        env_remove: foreign_activation_vars(),
        env_clear: false,
        argv0: None,
        interactive: false,
    }
}

/// The install step for `what`, run with the venv's own python (its pip).
pub fn install_step(root: &Path, prefix: &Path, what: &Install) -> Option<Step> {
    let (label, args): (&str, Vec<OsString>) = match what {
        Install::Requirements => (
            "install requirements.txt",
            vec![
                "-m".into(),
                "pip".into(),
                "install".into(),
                "-r".into(),
                "requirements.txt".into(),
            ],
        ),
        Install::Editable => (
            "install the project (pip install -e .)",
            vec![
                "-m".into(),
                "pip".into(),
                "install".into(),
                "-e".into(),
                ".".into(),
            ],
        ),
        Install::Nothing => return None,
    };
    let mut env = quiet_pip_env();
    env.push(("VIRTUAL_ENV".into(), prefix.as_os_str().to_owned()));
    Some(Step {
        label: label.into(),
        program: venv_python(prefix),
        args,
        cwd: root.to_path_buf(),
        env,
        env_remove: foreign_activation_vars(),
        env_clear: false,
        argv0: None,
        interactive: false,
    })
}

/// The version recorded in a venv's `pyvenv.cfg` (`version = 3.11.2`, or
/// `version_info` on newer Pythons): the truth about what was built, read not run.
/// A venv that pyve did not make, as its `pyvenv.cfg` says: who made it and its python.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ForeignVenv {
    /// `uv`, `virtualenv` (poetry, pipenv and hatch make theirs with it) or
    /// `python -m venv`.
    pub made_by: &'static str,
    /// `version_info` or `version`, when the file has one.
    pub version: Option<String>,
}

/// The venv at `prefix` when it is one (a `pyvenv.cfg` and a `bin/python`), read from
/// its `pyvenv.cfg` alone (bounded; nothing in it is run).
pub fn foreign_venv(prefix: &Path) -> Option<ForeignVenv> {
    let text = crate::sys::fs::read_text(&prefix.join("pyvenv.cfg"), 64 * 1024).ok()?;
    prefix.join("bin").join("python").symlink_metadata().ok()?;
    let key = |name: &str| {
        text.lines().find_map(|l| {
            let (k, v) = l.split_once('=')?;
            (k.trim() == name).then(|| v.trim().to_string())
        })
    };
    let made_by = if key("uv").is_some() {
        "uv"
    } else if key("virtualenv").is_some() {
        "virtualenv"
    } else {
        "python -m venv"
    };
    Some(ForeignVenv {
        made_by,
        version: key("version_info").or_else(|| key("version")),
    })
}

pub fn pyvenv_version(prefix: &Path) -> Option<String> {
    let text = crate::sys::fs::read_small(&prefix.join("pyvenv.cfg"))?;
    let mut found = None;
    for line in text.lines() {
        let Some((k, v)) = line.split_once('=') else {
            continue;
        };
        match k.trim() {
            "version_info" => return Some(v.trim().to_string()),
            "version" => found = Some(v.trim().to_string()),
            _ => {}
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn managers_are_recognised_by_lock_files_and_tables() {
        let t = tempfile::tempdir().unwrap();
        let r = t.path();
        std::fs::write(r.join("pyproject.toml"), "[project]\nname = 'x'\n").unwrap();
        assert_eq!(pyproject_manager(r), None);
        std::fs::write(
            r.join("pyproject.toml"),
            "[project]\n[tool.poetry.dependencies]\n",
        )
        .unwrap();
        assert_eq!(pyproject_manager(r), Some(PyprojectManager::Poetry));
        std::fs::write(r.join("uv.lock"), "").unwrap();
        assert_eq!(pyproject_manager(r), Some(PyprojectManager::Uv));
        assert!(PyprojectManager::Uv.hint().contains("uv sync"));
    }

    #[test]
    fn pyvenv_cfg_version() {
        let t = tempfile::tempdir().unwrap();
        std::fs::write(
            t.path().join("pyvenv.cfg"),
            "home = /usr/bin\ninclude-system-site-packages = false\nversion = 3.11.2\n",
        )
        .unwrap();
        assert_eq!(pyvenv_version(t.path()).as_deref(), Some("3.11.2"));
    }
}
