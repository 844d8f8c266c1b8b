//! `pyve doctor`: renders the engine's checks, one line each in the original pyve's style.

use clap::Args;

use super::{EnvSelect, Global};
use pyve_core::engine::ExitStatus;
use pyve_core::engine::doctor::{self, Report, Status};
use pyve_core::engine::{Error, Result};

#[derive(Debug, Args)]
pub struct DoctorArgs {
    #[command(flatten)]
    pub select: EnvSelect,
    /// Machine-readable output (schema: docs/status-json.md).
    #[arg(long)]
    pub json: bool,
    /// Do not start the env's python to see that it runs (the `runnable` check).
    #[arg(long)]
    pub no_probe: bool,
}

pub fn run(g: &Global, args: DoctorArgs) -> Result<ExitStatus> {
    let report = match g.context(args.select.overrides()) {
        Ok(ctx) => doctor::run_with(
            &ctx,
            doctor::Options {
                probe: !args.no_probe,
            },
        ),
        Err(Error::Config(c)) => {
            let root = std::env::current_dir().unwrap_or_default();
            doctor::config_failure(&root, c.to_string(), c.hint.clone())
        }
        Err(e) => return Err(e),
    };
    if args.json {
        #[derive(serde::Serialize)]
        struct Doc<'a> {
            schema_version: u32,
            #[serde(flatten)]
            report: &'a Report,
        }
        let doc = Doc {
            schema_version: 1,
            report: &report,
        };
        println!(
            "{}",
            serde_json::to_string_pretty(&doc).expect("doctor serialises")
        );
    } else {
        print(g, &report);
    }
    Ok(ExitStatus::ok_if(!report.failed()))
}

fn print(g: &Global, report: &Report) {
    let out = &g.out;
    for c in &report.checks {
        let mark = match c.status {
            Status::Ok => out.ok_mark(),
            Status::Warn => out.warn_mark(),
            Status::Fail => out.fail_mark(),
            Status::Skip => out.dim(if out.unicode { "–" } else { "[-]" }),
        };
        println!("{mark} {}", out.text(&c.label));
        if out.verbose > 0 {
            for d in &c.detail {
                println!("    {}", out.dim(&out.text(d)));
            }
        }
        if c.status != Status::Ok
            && c.status != Status::Skip
            && let Some(f) = &c.fix
        {
            println!("  {} {}", out.dim("fix:"), out.text(f));
        }
    }
    let s = &report.summary;
    if !out.quiet {
        println!(
            "{}",
            out.dim(&format!(
                "{} ok, {} warning{}, {} failure{}",
                s.ok,
                s.warn,
                if s.warn == 1 { "" } else { "s" },
                s.fail,
                if s.fail == 1 { "" } else { "s" }
            ))
        );
    }
}
