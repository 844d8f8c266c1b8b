//! `pyve run`: the hot path. Reads the state file, builds the child's environment from
//! the env's recorded activation, finds the program, and hands back a plan the CLI
//! `exec`s. No tokio, no subprocess, and nothing parsed that can be skipped.

use std::ffi::{OsStr, OsString};
use std::path::{Path, PathBuf};

use super::context::Context;
use super::state::{Activation, EnvState};
use super::{Error, Result};

#[derive(Debug)]
pub struct RunPlan {
    pub program: PathBuf,
    pub argv0: OsString,
    pub args: Vec<OsString>,
    pub env: Vec<(OsString, OsString)>,
    /// Said once on stderr before the command runs (a stale env, …).
    pub warnings: Vec<String>,
}

/// Variables by which a shell says "this env is active": they must not leak from the
/// caller into a child running in another env.
pub fn is_activation_var(key: &OsStr) -> bool {
    let k = key.to_string_lossy();
    k.starts_with("CONDA_")
        || k.starts_with("MAMBA_")
        || k.starts_with("_CE_")
        || k.starts_with("VIRTUAL_ENV")
        || k == "PYTHONHOME"
        || k == "__PYVENV_LAUNCHER__"
}

/// A PATH entry that is another env's bin directory (a venv's or a conda prefix's,
/// `condabin` included).
fn is_env_bin(dir: &Path) -> bool {
    super::resolve::foreign_prefix(dir).is_some()
}

/// The child's environment: the caller's, minus other envs' activation variables and
/// bin dirs, plus this env's activation.
pub fn child_env(
    caller: impl Iterator<Item = (OsString, OsString)>,
    activation: &Activation,
) -> Vec<(OsString, OsString)> {
    let mut path: Vec<PathBuf> = activation.path_prepend.clone();
    let mut env: Vec<(OsString, OsString)> = Vec::new();
    for (k, v) in caller {
        if k == "PATH" {
            path.extend(
                std::env::split_paths(&v)
                    .filter(|d| !is_env_bin(d) && !activation.path_prepend.contains(d)),
            );
        } else if !is_activation_var(&k) && !activation.set.contains_key(&*k.to_string_lossy()) {
            env.push((k, v));
        }
    }
    for (k, v) in &activation.set {
        env.push((k.into(), v.into()));
    }
    let joined = std::env::join_paths(&path).unwrap_or_default();
    env.push(("PATH".into(), joined));
    env
}

/// Plans running `cmd` in the project's env. `allow_pip` is `--allow-pip`.
///
/// About 140 lines: the env's state, the policy and the child's environment, in the
/// order `pyve run` needs them on its hot path (no allocation it can skip).
pub fn plan(ctx: &Context, cmd: &[OsString], allow_pip: bool) -> Result<RunPlan> {
    let Some((program, args)) = cmd.split_first() else {
        return Err(Error::Usage(
            "pyve run needs a command, e.g. `pyve run python -V` or `pyve run -- pytest -x`".into(),
        ));
    };
    let target = ctx.target()?;
    let backend = target.backend;
    let mut warnings = Vec::new();
    let state = ctx.env_state(&target)?;
    // An env file changed since the env was built (or never built) must parse before
    // anything runs (exit 2 at file:line:col); a ready env's file is the one it was
    // built from, so the hot path parses nothing.
    if !matches!(state, EnvState::Ready { .. }) {
        super::spec::validate_files(ctx)?;
    }
    let record = match state {
        EnvState::Missing => {
            return Err(Error::Missing(format!(
                "no {backend} environment yet ({}) — run `pyve init`",
                target.name
            )));
        }
        EnvState::Incomplete { reason, foreign } => {
            let fix = if foreign {
                "pyve did not make it here and will not run in it (docs/security.md)"
            } else {
                "run `pyve init` to rebuild it"
            };
            return Err(Error::Missing(format!(
                "the {backend} environment {} is incomplete: {reason} — {fix}",
                target.name
            )));
        }
        EnvState::Stale { record, changed } => {
            warnings.push(format!(
                "{} since {} was built; running anyway — `pyve init` updates it",
                super::state::describe_changes(&changed),
                target.name
            ));
            record
        }
        EnvState::Ready { record } => record,
    };

    if backend == super::BackendKind::Micromamba
        && !allow_pip
        && ctx.config.micromamba.allow_pip != Some(true)
        && let Some(form) = super::policy::pip_mutation(cmd)
    {
        return Err(Error::Refused(format!(
            "refused: `{form}` would put pip packages into the conda environment {} behind micromamba's back. Add the package to {} (conda packages, or a `pip:` list) and run `pyve init`; or allow it with `pyve run --allow-pip …` or `micromamba.allow_pip: true` in .pyve/config",
            target.name,
            ctx.env_file()
                .map(|(f, _)| f.display().to_string())
                .unwrap_or_else(|| "environment.yml".into())
        )));
    }

    // No cached activation (capture failed, or a record without one): let micromamba
    // activate for real.
    let cache_missing = record.activation.fallback
        || (backend == super::BackendKind::Micromamba && record.activation.path_prepend.is_empty());
    if cache_missing {
        // No cached activation: let micromamba activate for real (one extra process).
        let mut env: Vec<(OsString, OsString)> = std::env::vars_os()
            .filter(|(k, _)| !is_activation_var(k))
            .collect();
        env.push((
            "MAMBA_ROOT_PREFIX".into(),
            super::micromamba::root_prefix(&ctx.pyve_home).into_os_string(),
        ));
        warnings.push(format!(
            "no cached activation for {}: running through `micromamba run` (slower); `pyve init --force` captures it again",
            target.name
        ));
        let mut args: Vec<OsString> = vec![
            "run".into(),
            "-p".into(),
            record.prefix.clone().into_os_string(),
        ];
        args.extend(undo_micromamba_process_vars(std::env::var_os("LC_ALL")));
        args.extend(cmd.iter().cloned());
        return Ok(RunPlan {
            program: record.tool.path.clone(),
            argv0: record.tool.path.clone().into_os_string(),
            args,
            env,
            warnings,
        });
    }

    // A conda env active in the caller is replaced, not stacked: its deactivate.d
    // scripts run first (one bash, only when it has some), as `micromamba activate` does.
    let caller: Vec<(OsString, OsString)> = std::env::vars_os().collect();
    let caller = match super::micromamba::deactivate_caller(&caller) {
        None => caller,
        Some(Ok(env)) => env,
        Some(Err(why)) => {
            warnings.push(format!(
                "the active conda env's deactivate.d scripts failed ({why}); running with its variables left in place"
            ));
            caller
        }
    };
    let env = child_env(caller.into_iter(), &record.activation);
    let path = env
        .iter()
        .find(|(k, _)| k == "PATH")
        .map(|(_, v)| v.clone())
        .unwrap_or_default();
    // A conda env without python: `python` must not silently be another one on PATH.
    if backend == super::BackendKind::Micromamba
        && record.python.version.is_empty()
        && is_python_command(program)
        && !record.prefix.join("bin").join(program).exists()
    {
        return Err(Error::CommandNotFound(format!(
            "`{}`: the conda environment {} has no python — add `python` to {}'s dependencies and run `pyve init`",
            program.to_string_lossy(),
            target.name,
            ctx.env_file()
                .map(|(f, _)| f.display().to_string())
                .unwrap_or_else(|| "environment.yml".into())
        )));
    }
    let Some(found) = crate::sys::process::find_program(program, &path) else {
        return Err(Error::CommandNotFound(format!(
            "command not found: `{}` (looked in the {backend} environment {} and on PATH)",
            program.to_string_lossy(),
            target.name
        )));
    };
    // argv[0] as the user typed it, as a shell passes it.
    Ok(RunPlan {
        program: found,
        argv0: program.clone(),
        args: args.to_vec(),
        env,
        warnings,
    })
}

/// `micromamba run` sets `LC_ALL=C.UTF-8` and `MAMBA_EXE` in its own process and
/// passes them on; they are not the env's activation. The command runs under
/// `env -u MAMBA_EXE` with the caller's `LC_ALL` (or none) put back.
pub fn undo_micromamba_process_vars(caller_lc_all: Option<OsString>) -> Vec<OsString> {
    let env = if Path::new("/usr/bin/env").exists() {
        "/usr/bin/env"
    } else {
        "env"
    };
    let mut v: Vec<OsString> = vec![env.into(), "-u".into(), "MAMBA_EXE".into()];
    match caller_lc_all {
        Some(lc) => {
            let mut a = OsString::from("LC_ALL=");
            a.push(lc);
            v.push(a);
        }
        None => v.extend(["-u".into(), "LC_ALL".into()]),
    }
    v
}

/// `python`, `python3`, `python3.11`.
fn is_python_command(program: &OsStr) -> bool {
    let p = program.to_string_lossy();
    p.strip_prefix("python")
        .is_some_and(|rest| rest.chars().all(|c| c.is_ascii_digit() || c == '.'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn child_env_strips_other_envs_and_applies_ours() {
        let t = tempfile::tempdir().unwrap();
        let conda = t.path().join("miniconda3");
        std::fs::create_dir_all(conda.join("conda-meta")).unwrap();
        std::fs::create_dir_all(conda.join("bin")).unwrap();
        let venv = t.path().join("other-venv");
        std::fs::create_dir_all(venv.join("bin")).unwrap();
        std::fs::write(venv.join("pyvenv.cfg"), "").unwrap();
        let ours = t.path().join("proj/.venv/bin");
        let caller_path = std::env::join_paths([
            conda.join("bin"),
            conda.join("condabin"),
            venv.join("bin"),
            PathBuf::from("/usr/bin"),
        ])
        .unwrap();
        let caller = vec![
            ("PATH".into(), caller_path),
            ("CONDA_PREFIX".into(), conda.clone().into()),
            ("CONDA_DEFAULT_ENV".into(), "base".into()),
            ("VIRTUAL_ENV".into(), venv.clone().into()),
            ("HOME".into(), "/home/x".into()),
        ];
        let mut activation = Activation::default();
        activation.path_prepend.push(ours.clone());
        activation.set.insert(
            "VIRTUAL_ENV".into(),
            t.path().join("proj/.venv").display().to_string(),
        );
        let env = child_env(caller.into_iter(), &activation);
        let get = |k: &str| env.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
        let path: Vec<PathBuf> = std::env::split_paths(&get("PATH").unwrap()).collect();
        assert_eq!(path, vec![ours, PathBuf::from("/usr/bin")]);
        assert_eq!(get("CONDA_PREFIX"), None);
        assert_eq!(get("CONDA_DEFAULT_ENV"), None);
        assert_eq!(
            get("VIRTUAL_ENV"),
            Some(t.path().join("proj/.venv").into_os_string())
        );
        assert_eq!(get("HOME"), Some("/home/x".into()));
    }
}
