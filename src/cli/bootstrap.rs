//! `pyve bootstrap` and the bootstrap menu `init` shows when micromamba is missing.
//! Stub: filled in by the bootstrap work.

use clap::Args;

use super::Global;
use crate::engine::bootstrap::Target;
use crate::engine::context::Context;
use crate::engine::resolve::Resolution;
use crate::engine::{Error, Result, micromamba};

#[derive(Debug, Args)]
pub struct BootstrapArgs {
    /// Where to install it.
    #[arg(long, value_enum)]
    pub to: Option<Target>,
    /// A micromamba release (e.g. 2.0.5-0); default: the latest.
    #[arg(long, value_name = "V")]
    pub version: Option<String>,
}

/// How `init` may get micromamba when it is missing.
#[derive(Clone, Copy, Debug, Default)]
pub struct BootstrapChoice {
    /// `--auto-bootstrap`: option 1 without asking.
    pub auto: bool,
    /// `--bootstrap-to project|user`.
    pub to: Option<Target>,
}

/// Resolves micromamba, bootstrapping it per §5 when it is missing.
pub fn ensure_micromamba(
    _g: &Global,
    ctx: &Context,
    _choice: BootstrapChoice,
) -> Result<Resolution> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    micromamba::resolve(&ctx.project.sandbox_micromamba(), &ctx.pyve_home, &path)
        .map_err(|_| Error::Missing("ERROR: Backend 'micromamba' required but not found.".into()))
}

pub fn run(_g: &Global, _args: BootstrapArgs) -> Result<i32> {
    Err(Error::Download("bootstrap is not implemented yet".into()))
}
