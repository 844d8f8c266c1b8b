//! `pyve init --install-python`: the python the request names is missing, so install it
//! with the version manager the not-found error names (`pyenv install X`, `asdf install
//! python X`), as one step, then resolve again (docs/decisions/0009-python-requests.md).

use std::ffi::{OsStr, OsString};
use std::path::{Path, PathBuf};

use super::resolve::{Lookup, PythonNotFound};
use super::step::Step;
use super::{Error, Result};

/// The version manager's binary: on PATH, else where its installer puts it
/// (`$PYENV_ROOT/bin/pyenv`, `$ASDF_DATA_DIR/bin/asdf`).
fn find_tool(name: &str, lookup: &Lookup) -> Option<PathBuf> {
    let fallback = match name {
        "pyenv" => lookup.pyenv_root.join("bin").join("pyenv"),
        _ => lookup.asdf_dir.join("bin").join("asdf"),
    };
    std::env::split_paths(&lookup.path)
        .filter(|d| !d.as_os_str().is_empty())
        .map(|d| d.join(name))
        .chain([fallback])
        .find(|p| crate::sys::process::is_executable(p))
}

/// The step that installs the missing python, or why pyve cannot install it.
pub fn install_step(nf: &PythonNotFound, lookup: &Lookup, cwd: &Path) -> Result<Step> {
    let words: Vec<&str> = nf.install_command.split_whitespace().collect();
    let tool = words.first().copied().unwrap_or("");
    if !matches!(tool, "pyenv" | "asdf") {
        return Err(Error::Missing(format!(
            "--install-python installs pythons with pyenv or asdf, and this request needs {}\nhint: {}",
            nf.install_command, nf.install_hint
        )));
    }
    let Some(program) = find_tool(tool, lookup) else {
        return Err(Error::Missing(format!(
            "--install-python: `{tool}` is not on PATH (nor in its install directory)\nhint: install {tool}, or install the python yourself: {}",
            nf.install_hint
        )));
    };
    let env = [
        ("PYENV_ROOT", lookup.pyenv_root.as_os_str()),
        ("ASDF_DATA_DIR", lookup.asdf_dir.as_os_str()),
        ("PATH", OsStr::new(&lookup.path)),
    ]
    .into_iter()
    .map(|(k, v)| (OsString::from(k), v.to_os_string()))
    .collect();
    Ok(Step {
        label: format!("install python: {}", nf.install_command),
        program,
        args: words[1..].iter().map(OsString::from).collect(),
        cwd: cwd.to_path_buf(),
        env,
        env_remove: vec![],
        env_clear: false,
        argv0: None,
        interactive: false,
    })
}
