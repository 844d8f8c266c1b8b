//! `pyve migrate --from venv --to micromamba` (and back): writes the other backend's
//! spec file and builds its env (the job `pyve_core::jobs::migrate`); `--dry-run`
//! prints the file and writes nothing.

use clap::Args;

use super::face::{Face, Work};
use super::{BackendArg, Global};
use pyve_core::engine::{Error, ExitStatus, Result};
use pyve_core::jobs::migrate::{self, MigrateRequest};

#[derive(Debug, Args)]
pub struct MigrateArgs {
    /// The backend the project uses now.
    #[arg(long, value_enum, value_name = "B")]
    pub from: BackendArg,
    /// The backend to move it to.
    #[arg(long, value_enum, value_name = "B")]
    pub to: BackendArg,
    /// Print the file that would be written; write nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Replace the target file if there is one, and remove the old env once the new one is ready.
    #[arg(long, conflicts_with = "dry_run")]
    pub yes: bool,
}

pub fn run(g: &Global, args: MigrateArgs) -> Result<ExitStatus> {
    let (Some(from), Some(to)) = (args.from.kind(), args.to.kind()) else {
        return Err(Error::Usage(
            "--from and --to name a backend: venv or micromamba (not auto)".into(),
        ));
    };
    let req = MigrateRequest {
        from,
        to,
        yes: args.yes,
    };
    let out = &g.out;
    let mut face = Face::new(out);
    if args.dry_run {
        let plan = migrate::preview(&g.start, &req)?;
        migrate::warn_unmapped(&plan, &mut face);
        out.info(&format!(
            "{} {} (dry run: nothing written)",
            if plan.exists {
                "would replace"
            } else {
                "would write"
            },
            plan.file.display()
        ));
        print!("{}", plan.content);
        return Ok(ExitStatus::Ok);
    }
    migrate::run(&g.start, &req, &mut face, &mut Work { out })?;
    Ok(ExitStatus::Ok)
}
