//! `pyve purge [--yes]`: shows what pyve made here, asks, removes it.

use clap::Args;

use super::Global;
use super::init::take_lock;
use pyve_core::engine::context::Overrides;
use pyve_core::engine::{Error, Result, purge};

#[derive(Debug, Args)]
pub struct PurgeArgs {
    /// Do not ask for confirmation (needed when not on a terminal).
    #[arg(short, long)]
    pub yes: bool,
}

pub fn run(g: &Global, args: PurgeArgs) -> Result<i32> {
    let out = &g.out;
    let ctx = g.context(Overrides::default())?;
    if !ctx.project.pyve_dir().is_dir() {
        out.success("nothing to purge: pyve has not set up this project");
        return Ok(0);
    }
    let _lock = take_lock(&ctx, out)?;
    let items = purge::plan(&ctx);
    if items.is_empty() {
        out.success("nothing to purge: pyve created nothing here (.pyve/config is kept)");
        return Ok(0);
    }
    eprintln!("pyve created these in {}:", ctx.project.root.display());
    for i in &items {
        let link = if i.is_link {
            " (symlink: only the link is removed)"
        } else {
            ""
        };
        eprintln!(
            "  {}  {}{link}",
            ctx.project.display(&i.path),
            out.dim(&i.what)
        );
    }
    if !args.yes {
        if !out.interactive {
            return Err(Error::Usage(
                "purge needs confirmation: rerun with `pyve purge --yes` to remove the paths listed above".into(),
            ));
        }
        if !out.confirm("Remove them?", false) {
            out.info("nothing removed");
            return Ok(0);
        }
    }
    let done = purge::execute(&items)?;
    out.success(&format!(
        "removed {} path{} (.pyve/config kept; `pyve init` builds the env again)",
        done.len(),
        if done.len() == 1 { "" } else { "s" }
    ));
    Ok(0)
}
