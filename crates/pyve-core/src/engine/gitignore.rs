//! pyve's block in the project's `.gitignore`: the per-machine paths it writes (the
//! venv, `.pyve/envs`, `.pyve/bin`, `.pyve/state`, `.pyve/lock`, `.env`) between two
//! marker lines, added once before an init builds anything (so a build that fails
//! leaves nothing untracked), rewritten only when its entries change, and removed by
//! `purge` without touching a line of the user's.

use std::path::{Path, PathBuf};

use super::context::Context;
use super::project::Project;
use super::{BackendKind, Error, Result};

pub const BEGIN: &str = "# >>> pyve >>>";
pub const END: &str = "# <<< pyve <<<";
const NOTE: &str =
    "# Written by pyve: per-machine envs and state. `pyve purge` removes this block.";
/// A `.gitignore` larger than this is not pyve's to rewrite.
const CAP: u64 = 1024 * 1024;

/// The lines between the markers, anchored at the project root.
pub fn entries(ctx: &Context) -> Vec<String> {
    let root = &ctx.project.root;
    let anchored = |p: &Path, dir: bool| {
        let rel = p.strip_prefix(root).unwrap_or(p);
        let mut s = format!("/{}", rel.display());
        if dir {
            s.push('/');
        }
        s
    };
    let mut v = Vec::new();
    // Every env's directory outside `.pyve/envs`: the default env's venv always (it
    // is `.venv` unless configured), a named env's when it is configured.
    for env in ctx.all_envs() {
        if env.env.is_default() || env.config.venv_directory.is_some() {
            v.push(anchored(&env.venv_dir(), true));
        }
        if env.backend() == BackendKind::Micromamba
            && let Some(p) = &env.config.micromamba.prefix
        {
            v.push(anchored(&root.join(p), true));
        }
    }
    let pyve = ctx.project.pyve_dir();
    for d in ["envs", "bin", "state"] {
        v.push(anchored(&pyve.join(d), true));
    }
    v.push(anchored(&ctx.project.lock_path(), false));
    v.push("/.env".into());
    let mut seen = std::collections::HashSet::new();
    v.retain(|e| seen.insert(e.clone()));
    v
}

fn block(entries: &[String]) -> String {
    let mut s = format!("{BEGIN}\n{NOTE}\n");
    for e in entries {
        s.push_str(e);
        s.push('\n');
    }
    s.push_str(END);
    s.push('\n');
    s
}

/// Where the block is in `text`: the byte range of its lines, markers included.
fn find(text: &str) -> Option<std::ops::Range<usize>> {
    let mut start = None;
    let mut at = 0;
    for line in text.split_inclusive('\n') {
        let t = line.trim_end();
        if t == BEGIN && start.is_none() {
            start = Some(at);
        } else if t == END
            && let Some(s) = start
        {
            return Some(s..at + line.len());
        }
        at += line.len();
    }
    None
}

/// `text` with pyve's block holding `entries`; `None` when it already does.
pub fn with_block(text: &str, entries: &[String]) -> Option<String> {
    let new = block(entries);
    match find(text) {
        Some(r) if text[r.clone()] == new => None,
        Some(r) => Some(format!("{}{new}{}", &text[..r.start], &text[r.end..])),
        None if text.is_empty() => Some(new),
        None if text.ends_with('\n') => Some(format!("{text}\n{new}")),
        None => Some(format!("{text}\n\n{new}")),
    }
}

/// `text` without pyve's block (and the blank line it was set apart with); `None`
/// when it has none.
pub fn without_block(text: &str) -> Option<String> {
    let r = find(text)?;
    let mut head = text[..r.start].to_string();
    if head.ends_with("\n\n") {
        head.pop();
    }
    Some(format!("{head}{}", &text[r.end..]))
}

pub fn path(project: &Project) -> PathBuf {
    project.root.join(".gitignore")
}

/// Adds (or brings up to date) pyve's block in the project's `.gitignore`.
pub fn ensure(ctx: &Context) -> Result<()> {
    let path = path(&ctx.project);
    let text = match crate::sys::fs::read_text(&path, CAP) {
        Ok(t) => t,
        Err(e) if e.is_not_found() => String::new(),
        Err(e) => {
            return Err(Error::io_at(
                "read",
                &path,
                std::io::Error::other(e.to_string()),
            ));
        }
    };
    if let Some(next) = with_block(&text, &entries(ctx)) {
        ctx.project
            .tree()
            .and_then(|t| t.write(&path, next.as_bytes()))
            .map_err(|e| Error::io_at("write", &path, e))?;
    }
    Ok(())
}

/// Whether the project's `.gitignore` holds pyve's block.
pub fn has_block(project: &Project) -> bool {
    crate::sys::fs::read_text(&path(project), CAP).is_ok_and(|t| find(&t).is_some())
}

/// Removes pyve's block; the file goes too when nothing else was in it.
pub fn remove(project: &Project) -> Result<()> {
    let path = path(project);
    let Ok(text) = crate::sys::fs::read_text(&path, CAP) else {
        return Ok(());
    };
    let Some(rest) = without_block(&text) else {
        return Ok(());
    };
    let tree = project
        .tree()
        .map_err(|e| Error::io_at("write", &path, e))?;
    if rest.trim().is_empty() {
        tree.remove_file(&path)
    } else {
        tree.write(&path, rest.as_bytes())
    }
    .map_err(|e| Error::io_at("write", &path, e))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn e() -> Vec<String> {
        vec!["/.venv/".into(), "/.env".into()]
    }

    #[test]
    fn the_block_is_added_once_replaced_in_place_and_removed_cleanly() {
        let added = with_block("", &e()).unwrap();
        assert_eq!(added, format!("{BEGIN}\n{NOTE}\n/.venv/\n/.env\n{END}\n"));
        assert_eq!(with_block(&added, &e()), None, "idempotent");
        let user = "*.pyc\n/build/\n";
        let both = with_block(user, &e()).unwrap();
        assert!(both.starts_with(user) && both.contains(&format!("\n\n{BEGIN}")));
        assert_eq!(with_block(&both, &e()), None);
        // The venv moved: the block is rewritten where it is, the user's lines kept.
        let tail = format!("{both}# mine after\n");
        let moved = with_block(&tail, &["/env/".into()]).unwrap();
        assert!(moved.starts_with(user) && moved.ends_with("# mine after\n"));
        assert!(moved.contains("/env/\n") && !moved.contains("/.venv/"));
        assert_eq!(without_block(&both).unwrap(), user);
        assert_eq!(
            without_block(&tail).unwrap(),
            format!("{user}# mine after\n")
        );
        assert_eq!(without_block(user), None);
        // No trailing newline in the user's file.
        assert!(with_block("x", &e()).unwrap().starts_with("x\n\n# >>>"));
    }
}
