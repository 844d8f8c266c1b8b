//! Installing micromamba (product.md §5). Stub: filled in by the bootstrap work.

use std::path::PathBuf;

use super::context::Context;

/// Where a bootstrapped micromamba goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Target {
    /// `.pyve/bin/micromamba` (option 1).
    Project,
    /// `$PYVE_HOME/bin/micromamba` (option 2).
    User,
}

impl Target {
    pub fn path(self, ctx: &Context) -> PathBuf {
        match self {
            Target::Project => ctx.project.sandbox_micromamba(),
            Target::User => ctx.pyve_home.join("bin").join("micromamba"),
        }
    }
}
