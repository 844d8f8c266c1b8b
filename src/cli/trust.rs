//! `pyve trust [--revoke]`: allows (or stops allowing) pyve to run the project's own
//! `.pyve/bin/micromamba`, one that came with the project rather than from `pyve
//! bootstrap` on this machine. What is trusted is this exact file (its sha256): a
//! changed binary is not trusted any more (docs/security.md).

use clap::Args;

use super::Global;
use pyve_core::engine::context::Overrides;
use pyve_core::engine::{Error, ExitStatus, Result, trust};

#[derive(Debug, Args)]
pub struct TrustArgs {
    /// Stop trusting it.
    #[arg(long)]
    pub revoke: bool,
}

pub fn run(g: &Global, args: TrustArgs) -> Result<ExitStatus> {
    let out = &g.out;
    let ctx = g.context(Overrides::default())?;
    let bin = ctx.project.sandbox_micromamba();
    let shown = ctx.project.display(&bin).into_owned();
    if args.revoke {
        trust::forget(&ctx.pyve_home, &bin);
        out.success(&format!("{shown} is no longer trusted"));
        return Ok(ExitStatus::Ok);
    }
    let meta = bin.symlink_metadata().map_err(|_| {
        Error::Missing(format!(
            "{shown} does not exist: there is nothing to trust (`pyve bootstrap --to project` installs one)"
        ))
    })?;
    if !meta.is_file() {
        return Err(Error::Refused(format!(
            "{shown} is not a regular file (a symlink or a directory): pyve does not trust it"
        )));
    }
    let sha = pyve_core::sys::fs::sha256_file(&bin).map_err(|e| Error::io_at("read", &bin, e))?;
    trust::record(&ctx.pyve_home, &bin, &sha)
        .map_err(|e| Error::io_at("record", &ctx.pyve_home.join("trusted"), e))?;
    out.success(&format!(
        "trusted {shown} (sha256 {}…): pyve may run it until it changes",
        &sha[..12]
    ));
    Ok(ExitStatus::Ok)
}
