//! `purge`: removes what pyve created in the project and nothing else. A path is only
//! a candidate when pyve owns it by construction (`.pyve/envs`, `.pyve/state`, the
//! sandbox binary) or by record (the venv its state file or marker names). Symlinks are
//! unlinked, never followed; `remove_dir_all` does not follow links inside a tree.

use std::path::{Path, PathBuf};

use super::context::Context;
use super::state;
use super::{Error, Result};
use crate::sys::fs::is_inside;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PurgeItem {
    pub path: PathBuf,
    /// What it is, for the confirmation list.
    pub what: String,
    /// A symlink: only the link goes.
    pub is_link: bool,
    /// A file of the user's holding pyve's block (`.gitignore`): only the block goes.
    pub only_block: bool,
}

/// What `pyve purge --env NAME` removes: that env's directory (when pyve made it) and
/// its state record and build marker; nothing of the other envs, nothing shared.
pub fn plan_env(ctx: &Context) -> Vec<PurgeItem> {
    let p = &ctx.project;
    let mut items = Vec::new();
    let Ok(target) = ctx.target() else {
        return items;
    };
    let what = match target.backend {
        super::BackendKind::Venv => "the venv pyve created",
        super::BackendKind::Micromamba => "a micromamba environment pyve created",
    };
    if made_by_pyve(ctx, &target.prefix) {
        add(p, &mut items, target.prefix.clone(), what.into());
    }
    add(
        p,
        &mut items,
        p.state_path(&target.key),
        format!("the state record of env `{}`", ctx.env.name),
    );
    add(
        p,
        &mut items,
        p.marker_path(&target.key),
        format!("the build marker of env `{}`", ctx.env.name),
    );
    items
}

/// Adds `path` when it exists (a link as a link) and its directory is inside the project.
fn add(p: &super::project::Project, items: &mut Vec<PurgeItem>, path: PathBuf, what: String) {
    if let Ok(meta) = path.symlink_metadata() {
        let is_link = meta.file_type().is_symlink();
        // The link itself lives in the project; what it points at may not.
        let parent_inside = path.parent().is_some_and(|d| is_inside(&p.root, d));
        if parent_inside && !items.iter().any(|i: &PurgeItem| i.path == path) {
            items.push(PurgeItem {
                path,
                what,
                is_link,
                only_block: false,
            });
        }
    }
}

/// The paths `purge` would remove, in removal order (venv and envs before state).
pub fn plan(ctx: &Context) -> Vec<PurgeItem> {
    let p = &ctx.project;
    let mut items = Vec::new();
    let mut push = |path: PathBuf, what: String| add(p, &mut items, path, what);
    // Every env's venv, when pyve's records say pyve made it. Only the configured
    // directories: a directory a state file names may since hold someone else's venv.
    for env in ctx.all_envs() {
        let venv = env.venv_dir();
        if venv_made_by_pyve(ctx, &venv) {
            push(venv, "the venv pyve created".into());
        }
    }
    // Each micromamba env pyve built here (the default prefixes and configured ones):
    // never `.pyve/envs` as a whole, which a clone may have filled.
    for prefix in micromamba_prefixes(ctx) {
        if made_by_pyve(ctx, &prefix) {
            push(prefix, "a micromamba environment pyve created".into());
        }
    }
    push(
        p.sandbox_micromamba(),
        "the project-sandbox micromamba".into(),
    );
    push(p.state_dir(), "pyve's state files".into());
    // Files pyve owns by content: what it wrote, unchanged; nothing of the user's.
    if super::dotfiles::envrc_is_pyves(p) {
        push(
            super::dotfiles::envrc_path(p),
            "the .envrc pyve wrote (unchanged)".into(),
        );
    }
    if super::dotfiles::dotenv_is_empty(p) {
        push(super::dotfiles::dotenv_path(p), "the empty .env".into());
    }
    if super::gitignore::has_block(p) {
        items.push(PurgeItem {
            path: super::gitignore::path(p),
            what: "pyve's block in it (the other lines stay)".into(),
            is_link: false,
            only_block: true,
        });
    }
    items
}

/// The prefixes of micromamba envs pyve may have built: every directory in
/// `.pyve/envs`, and the configured `micromamba.prefix`.
fn micromamba_prefixes(ctx: &Context) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(ctx.project.envs_dir())
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .collect();
    for env in ctx.all_envs() {
        if let Some(p) = &env.config.micromamba.prefix {
            v.push(ctx.project.root.join(p));
        }
    }
    v.sort();
    v.dedup();
    v
}

/// True when pyve's own claim (engine::ownership) vouches for the env at `prefix`:
/// the claim under `$PYVE_HOME` matches the token of a state record or build marker.
fn made_by_pyve(ctx: &Context, prefix: &Path) -> bool {
    let p = &ctx.project;
    let Some(mine) = super::ownership::token(&ctx.pyve_home, prefix) else {
        return false;
    };
    let keys = std::fs::read_dir(p.state_dir())
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| e.file_name().into_string().ok());
    keys.into_iter().any(|name| {
        let key = name
            .strip_suffix(".json")
            .or_else(|| name.strip_suffix(".creating"));
        let Some(key) = key else {
            return false;
        };
        let record_token = match state::read_record(&p.state_path(key)) {
            Some(Ok(r)) if r.prefix == prefix => Some(r.owner),
            _ => None,
        };
        let token = record_token.or_else(|| state::marker_token(p, key));
        token.as_deref() == Some(mine.as_str())
    })
}

fn venv_made_by_pyve(ctx: &Context, venv: &Path) -> bool {
    made_by_pyve(ctx, venv)
}

/// Removes `items` (links unlinked, never followed; nothing outside the project);
/// returns what was removed.
pub fn execute(ctx: &Context, items: &[PurgeItem]) -> Result<Vec<PurgeItem>> {
    let tree = ctx
        .project
        .tree()
        .map_err(|e| Error::io_at("open", &ctx.project.root, e))?;
    let mut done = Vec::new();
    for item in items {
        if item.path.symlink_metadata().is_err() {
            continue;
        }
        if item.only_block {
            super::gitignore::remove(&ctx.project)?;
            done.push(item.clone());
            continue;
        }
        tree.remove_all(&item.path)
            .map_err(|e| Error::io_at("remove", &item.path, e))?;
        super::ownership::forget(&ctx.pyve_home, &item.path);
        done.push(item.clone());
    }
    Ok(done)
}
