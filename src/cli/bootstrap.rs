//! `pyve bootstrap`: its flags, as a request to the bootstrap job
//! (`pyve_core::jobs::bootstrap`; docs/bootstrap.md). The job downloads and verifies;
//! the CLI's face shows the menu and draws the progress.

use clap::Args;

use super::Global;
use super::face::{Face, Work};
use pyve_core::engine::ExitStatus;
use pyve_core::engine::Result;
use pyve_core::engine::bootstrap::Target;
use pyve_core::engine::context::Overrides;
use pyve_core::jobs::{self, bootstrap::BootstrapRequest};

#[derive(Debug, Args)]
pub struct BootstrapArgs {
    /// Where to install it (default: the project sandbox in a project that has .pyve/ or
    /// a conda spec, else the user sandbox; a terminal gets the menu).
    #[arg(long, value_enum)]
    pub to: Option<super::TargetArg>,
    /// A micromamba release (e.g. 2.0.5-0); default: the latest.
    #[arg(long, value_name = "V")]
    pub version: Option<String>,
}

/// `pyve bootstrap [--to project|user] [--version V]`: always installs (replacing what
/// is at the target, atomically), since asking for it is the point of the command.
/// Prints where micromamba is now on stdout.
pub fn run(g: &Global, args: BootstrapArgs) -> Result<ExitStatus> {
    let out = &g.out;
    let ctx = g.context(Overrides::default())?;
    let req = BootstrapRequest {
        to: args.to.map(Target::from),
        version: args.version,
    };
    let done = {
        let mut face = Face::new(out);
        jobs::bootstrap::run(&ctx, &req, &mut face, &mut Work { out })?
    };
    println!("{}", done.path.display());
    Ok(ExitStatus::Ok)
}
