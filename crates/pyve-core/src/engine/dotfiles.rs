//! The project files the original pyve's users expect next to the env: an `.envrc`
//! for direnv that activates it (`pyve init --direnv`) and an empty `.env` for secrets
//! (`pyve init --dotenv`). pyve writes them only when absent and owns them only while
//! they are what it wrote (docs/decisions/0030-shells-direnv-and-dotenv.md).

use std::path::PathBuf;

use super::context::Context;
use super::project::Project;
use super::{Error, Result};

/// The line that makes direnv apply what `pyve run` applies.
pub const ENVRC_LINE: &str = r#"eval "$(pyve shell-hook -s bash)""#;

/// The whole `.envrc` pyve writes: purge removes a file that is still exactly this.
pub const ENVRC: &str = concat!(
    "# Written by pyve (`pyve init --direnv`): direnv activates the env as `pyve run` does.\n",
    "# `pyve purge` removes this file while it is unchanged.\n",
    r#"eval "$(pyve shell-hook -s bash)""#,
    "\n"
);

const CAP: u64 = 1 << 20;

/// What `init --direnv` did with the `.envrc`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Envrc {
    Written,
    /// Already pyve's, or already holding the line.
    AlreadyThere,
    /// Someone else's `.envrc`: left alone; the line to add is [`ENVRC_LINE`].
    Foreign,
}

pub fn envrc_path(project: &Project) -> PathBuf {
    project.root.join(".envrc")
}

pub fn dotenv_path(project: &Project) -> PathBuf {
    project.root.join(".env")
}

/// Writes pyve's `.envrc` when there is none; never touches another one.
pub fn ensure_envrc(ctx: &Context) -> Result<Envrc> {
    let path = envrc_path(&ctx.project);
    let tree = ctx
        .project
        .tree()
        .map_err(|e| Error::io_at("open", &ctx.project.root, e))?;
    if path.symlink_metadata().is_ok() {
        let text = crate::sys::fs::read_text(&path, CAP).unwrap_or_default();
        return Ok(if text.lines().any(|l| l.trim() == ENVRC_LINE) {
            Envrc::AlreadyThere
        } else {
            Envrc::Foreign
        });
    }
    tree.write_mode(&path, ENVRC.as_bytes(), 0o644)
        .map_err(|e| Error::io_at("write", &path, e))?;
    Ok(Envrc::Written)
}

/// Creates `.env` empty, readable by its owner only (it is for secrets), when absent.
/// Returns whether it was created.
pub fn ensure_dotenv(ctx: &Context) -> Result<bool> {
    let path = dotenv_path(&ctx.project);
    if path.symlink_metadata().is_ok() {
        return Ok(false);
    }
    ctx.project
        .tree()
        .and_then(|t| t.write_mode(&path, b"", 0o600))
        .map_err(|e| Error::io_at("write", &path, e))?;
    Ok(true)
}

/// The `.envrc` is still the one pyve wrote (purge may remove it).
pub fn envrc_is_pyves(project: &Project) -> bool {
    is_regular(&envrc_path(project))
        && crate::sys::fs::read_text(&envrc_path(project), CAP).is_ok_and(|t| t == ENVRC)
}

/// The `.env` holds nothing (purge may remove it: nothing of the user's is lost).
pub fn dotenv_is_empty(project: &Project) -> bool {
    let path = dotenv_path(project);
    is_regular(&path) && path.symlink_metadata().is_ok_and(|m| m.len() == 0)
}

fn is_regular(path: &std::path::Path) -> bool {
    path.symlink_metadata()
        .is_ok_and(|m| m.file_type().is_file())
}
