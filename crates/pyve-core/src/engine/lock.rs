//! `pyve lock`: writes or refreshes `conda-lock.yml` by driving conda-lock with pyve's
//! own micromamba and root prefix (decision 0025).
//!
//! conda-lock writes into a random-named file beside `conda-lock.yml` (a copy of the old
//! lock, so `--update` and its per-platform "already locked" skip work); only a
//! conda-lock that succeeded has its file renamed over the lock. A failure or an
//! interruption removes the temp file and leaves the old lock as it was.

use std::ffi::OsString;
use std::path::{Path, PathBuf};

use super::context::Context;
use super::fix::Fix;
use super::step::Step;
use super::{Error, Result};
use crate::sys::tree::Tree;

/// The lock file pyve writes and `lock --check` reads.
pub const LOCK_FILE: &str = "conda-lock.yml";

/// What installs conda-lock, said when it is missing.
pub const INSTALL_HINT: &str = "pipx install conda-lock";

/// A `pyve lock` ready to run.
#[derive(Clone, Debug)]
pub struct LockPlan {
    pub conda_lock: PathBuf,
    pub micromamba: PathBuf,
    /// The env file locked, relative to the root (`environment.yml`).
    pub source: PathBuf,
    pub platforms: Vec<String>,
    /// `--update PKG`, each.
    pub update: Vec<String>,
}

/// Where conda-lock is looked for, in order: `PYVE_CONDA_LOCK`, `$PYVE_HOME/bin`, PATH.
/// Never the project: a clone must not choose the program pyve runs.
pub fn find_conda_lock(pyve_home: &Path) -> Result<PathBuf> {
    let mut tried = Vec::new();
    match std::env::var_os("PYVE_CONDA_LOCK").filter(|v| !v.is_empty()) {
        Some(v) => {
            let p = PathBuf::from(&v);
            if p.is_absolute() && crate::sys::process::is_executable(&p) {
                return Ok(p);
            }
            tried.push(format!(
                "PYVE_CONDA_LOCK={} (not an executable file named by an absolute path)",
                p.display()
            ));
        }
        None => tried.push("PYVE_CONDA_LOCK (unset)".to_string()),
    }
    let user = pyve_home
        .join("bin")
        .join(crate::sys::platform::exe("conda-lock"));
    if crate::sys::process::is_executable(&user) {
        return Ok(user);
    }
    tried.push(format!("{} (not installed)", user.display()));
    let path = std::env::var_os("PATH").unwrap_or_default();
    if let Some(p) = crate::sys::process::find_program("conda-lock".as_ref(), &path) {
        return Ok(p);
    }
    tried.push("PATH (not found)".to_string());
    Err(Error::Missing(format!(
        "conda-lock not found; tried {} (PYVE_CONDA_LOCK=/path/to/conda-lock names one)",
        tried.join(", ")
    ))
    .with_fix(Fix::shell(INSTALL_HINT)))
}

/// The env file a lock is made from: the config's `env_file` when it is one (not a
/// lock), else `environment.yml`, else `environment.yaml`.
pub fn source(ctx: &Context) -> Result<PathBuf> {
    let root = &ctx.project.root;
    let configured =
        ctx.config.micromamba.env_file.clone().filter(|f| {
            super::project::EnvFileKind::of(f) == super::project::EnvFileKind::Environment
        });
    let candidates = configured
        .into_iter()
        .chain(["environment.yml", "environment.yaml"].map(PathBuf::from));
    for c in candidates {
        if std::fs::symlink_metadata(root.join(&c)).is_ok_and(|m| m.is_file()) {
            return Ok(c);
        }
    }
    Err(Error::Missing(format!(
        "nothing to lock: no environment.yml in {}\nhint: write one (its `channels:` and `dependencies:`), then `pyve lock`",
        root.display()
    )))
}

/// The platforms to lock, in order: `micromamba.platforms` of `.pyve/config`, else the
/// env file's `platforms:`, else those of the lock there is, else this machine's.
pub fn platforms_for(ctx: &Context, source: &Path) -> Vec<String> {
    if !ctx.config.micromamba.platforms.is_empty() {
        return ctx.config.micromamba.platforms.clone();
    }
    platforms(&ctx.project.root, source)
}

/// [`platforms_for`] without the config: the env file's, the lock's, this machine's.
pub fn platforms(root: &Path, source: &Path) -> Vec<String> {
    #[derive(serde::Deserialize)]
    struct PlatformsOnly {
        platforms: Option<Vec<String>>,
    }
    #[derive(serde::Deserialize)]
    struct LockMeta {
        metadata: Option<PlatformsOnly>,
    }
    let read = |p: &Path| crate::sys::fs::read_text(p, crate::sys::fs::FILE_CAP).ok();
    let from_source = read(&root.join(source))
        .and_then(|t| {
            serde_saphyr::from_str::<Option<PlatformsOnly>>(&t)
                .ok()
                .flatten()
        })
        .and_then(|p| p.platforms);
    let from_lock = || {
        read(&root.join(LOCK_FILE))
            .and_then(|t| {
                serde_saphyr::from_str::<Option<LockMeta>>(&t)
                    .ok()
                    .flatten()
            })
            .and_then(|l| l.metadata)
            .and_then(|m| m.platforms)
    };
    let valid = |v: Vec<String>| {
        let v: Vec<String> = v
            .into_iter()
            .map(|p| p.trim().to_string())
            .filter(|p| super::config::is_platform(p))
            .collect();
        (!v.is_empty()).then_some(v)
    };
    from_source
        .and_then(valid)
        .or_else(|| from_lock().and_then(valid))
        .unwrap_or_else(|| vec![crate::sys::platform::conda_platform().to_string()])
}

/// A package named by `--update`: a conda package name (letters, digits, `. _ -`), not
/// starting with `-`.
pub fn check_update(pkg: &str) -> Result<()> {
    let ok = !pkg.is_empty()
        && !pkg.starts_with('-')
        && pkg
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "._-".contains(c));
    if ok {
        Ok(())
    } else {
        Err(Error::Usage(format!(
            "--update `{}`: expected a package name (letters, digits, . _ -)",
            crate::sys::term::escape(pkg)
        )))
    }
}

/// Everything `pyve lock` needs, or why it cannot run.
pub fn plan(ctx: &Context, update: &[String]) -> Result<LockPlan> {
    for p in update {
        check_update(p)?;
    }
    let source = source(ctx)?;
    if !update.is_empty() && !ctx.project.root.join(LOCK_FILE).is_file() {
        return Err(Error::Usage(format!(
            "--update needs a {LOCK_FILE} to update; `pyve lock` writes the first one"
        )));
    }
    let micromamba = ctx
        .resolve_tool_for(super::BackendKind::Micromamba)
        .found
        .map(|r| r.path)
        .ok_or_else(|| {
            Error::Missing("micromamba not found: conda-lock solves with pyve's micromamba".into())
                .with_fix(Fix::Bootstrap)
        })?;
    let conda_lock = find_conda_lock(&ctx.pyve_home)?;
    Ok(LockPlan {
        platforms: platforms_for(ctx, &source),
        conda_lock,
        micromamba,
        source,
        update: update.to_vec(),
    })
}

/// The file conda-lock writes into, beside the lock: removed when dropped unless
/// [`commit`] moved it over the lock.
pub struct Pending {
    tree: Tree,
    name: PathBuf,
}

impl Pending {
    /// Where conda-lock writes (absolute).
    pub fn path(&self) -> PathBuf {
        self.tree.root().join(&self.name)
    }
}

impl Drop for Pending {
    fn drop(&mut self) {
        let _ = self.tree.remove_file(&self.name);
    }
}

/// Makes the temp file: a copy of the old lock, or no file at all for a first lock
/// (conda-lock reads a file it finds there as the lock to refresh).
pub fn prepare(ctx: &Context) -> Result<Pending> {
    let root = &ctx.project.root;
    let io = |e| Error::io_at("prepare the lock file in", root, e);
    let tree = ctx.project.tree().map_err(io)?;
    let old = match crate::sys::fs::read_bounded(&root.join(LOCK_FILE), crate::sys::fs::FILE_CAP) {
        Ok(bytes) => Some(bytes),
        Err(e) if e.is_not_found() => None,
        Err(e) => {
            return Err(Error::Usage(format!("cannot read {LOCK_FILE}: {e}")));
        }
    };
    let mut tmp = tree
        .temp_file(Path::new(""), ".conda-lock.pyve-", 0o644)
        .map_err(io)?;
    let name = PathBuf::from(tmp.path().file_name().expect("a temp file has a name"));
    match old {
        Some(bytes) => {
            use std::io::Write;
            tmp.file().write_all(&bytes).map_err(io)?;
            // Kept: the guard below removes it from now on.
            tmp.persist(name.as_os_str()).map_err(io)?;
        }
        None => drop(tmp),
    }
    Ok(Pending { tree, name })
}

/// The conda-lock step: `conda-lock lock --micromamba --conda MM -f SOURCE -p P… --lockfile
/// TEMP [--update PKG…]`, with pyve's root prefix and without the caller's conda
/// activation.
pub fn step(ctx: &Context, plan: &LockPlan, pending: &Pending) -> Step {
    let mut args: Vec<OsString> = vec![
        "lock".into(),
        "--micromamba".into(),
        "--conda".into(),
        plan.micromamba.clone().into_os_string(),
        "-f".into(),
        plan.source.clone().into_os_string(),
    ];
    for p in &plan.platforms {
        args.push("-p".into());
        args.push(p.into());
    }
    args.push("--lockfile".into());
    args.push(pending.name.clone().into_os_string());
    for u in &plan.update {
        args.push("--update".into());
        args.push(u.into());
    }
    Step {
        label: format!(
            "lock {} for {}",
            plan.source.display(),
            plan.platforms.join(", ")
        ),
        program: plan.conda_lock.clone(),
        args,
        cwd: ctx.project.root.clone(),
        env: super::micromamba::fetch_env(&ctx.pyve_home),
        env_remove: super::micromamba::removed_vars(),
        env_clear: false,
        argv0: None,
        interactive: false,
    }
}

/// Moves conda-lock's file over `conda-lock.yml`, with its header's commands naming
/// `conda-lock.yml` rather than the temp name conda-lock was given.
pub fn commit(pending: Pending) -> Result<()> {
    let root = pending.tree.root().to_path_buf();
    let io = |e| Error::io_at("write", &root.join(LOCK_FILE), e);
    let text = crate::sys::fs::read_text(&pending.path(), crate::sys::fs::FILE_CAP)
        .map_err(|e| Error::TaskFailed(format!("conda-lock wrote no readable lock file: {e}")))?;
    let temp = pending.name.to_string_lossy().into_owned();
    let fixed: String = text
        .split_inclusive('\n')
        .map(|l| {
            if l.starts_with('#') {
                l.replace(&temp, LOCK_FILE)
            } else {
                l.to_string()
            }
        })
        .collect();
    pending
        .tree
        .write(Path::new(LOCK_FILE), fixed.as_bytes())
        .map_err(io)?;
    Ok(())
}

/// What to do when conda-lock failed, read from its output: the platform it could not
/// solve for. `None` for a step that is not conda-lock's, or another failure.
pub fn failure_hint(step: &Step, output: &[String]) -> Option<String> {
    if step.program.file_name()? != "conda-lock" || step.args.first()? != "lock" {
        return None;
    }
    let platform = output.iter().find_map(|l| {
        l.trim()
            .strip_prefix("Could not lock the environment for platform ")
            .map(str::to_string)
    })?;
    let source = step
        .args
        .iter()
        .position(|a| a == "-f")
        .and_then(|i| step.args.get(i + 1))
        .map(|f| f.to_string_lossy().into_owned())
        .unwrap_or_else(|| "the environment file".into());
    Some(format!(
        "conda-lock could not solve {source} for {}: change what micromamba names above in {source} (a package name, a version, a channel), then rerun `pyve lock`",
        crate::sys::term::escape(&platform)
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn platforms_come_from_the_env_file_then_the_lock_then_here() {
        let t = tempfile::tempdir().unwrap();
        let root = t.path();
        std::fs::write(root.join("environment.yml"), "dependencies: [python]\n").unwrap();
        let here = crate::sys::platform::conda_platform();
        assert_eq!(platforms(root, Path::new("environment.yml")), [here]);
        std::fs::write(
            root.join(LOCK_FILE),
            "version: 1\nmetadata:\n  platforms: [osx-arm64, linux-64]\n",
        )
        .unwrap();
        assert_eq!(
            platforms(root, Path::new("environment.yml")),
            ["osx-arm64", "linux-64"]
        );
        std::fs::write(
            root.join("environment.yml"),
            "platforms: [win-64, --evil]\ndependencies: [python]\n",
        )
        .unwrap();
        assert_eq!(platforms(root, Path::new("environment.yml")), ["win-64"]);
    }

    #[test]
    fn update_names_are_package_names() {
        assert!(check_update("numpy").is_ok());
        assert!(check_update("ruamel.yaml").is_ok());
        for bad in ["", "--all", "a b", "x;y"] {
            assert!(check_update(bad).is_err(), "{bad}");
        }
    }
}
