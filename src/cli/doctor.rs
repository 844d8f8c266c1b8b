//! `pyve doctor`: renders the engine's checks, one line each in the original pyve's style.

use clap::Args;

use super::{EnvSelect, Global};
use pyve_core::engine::ExitStatus;
use pyve_core::engine::doctor::plan::{FixKind, PlannedFix};
use pyve_core::engine::doctor::{self, Report, Status};
use pyve_core::engine::{Error, Result};
use pyve_core::jobs::{
    self,
    fix::{Confirm, FixRequest},
};

use super::face::{Face, Work};

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
    /// Apply the checks' fixes: shows the plan, then asks (safe fixes once, each
    /// rebuild on its own).
    #[arg(long, conflicts_with = "json")]
    pub fix: bool,
    /// With --fix: apply every fix without asking, rebuilds included.
    #[arg(long, requires = "fix")]
    pub yes: bool,
}

pub fn run(g: &Global, args: DoctorArgs) -> Result<ExitStatus> {
    // An invalid config has no fix pyve can apply: the plain report says so.
    if args.fix && g.context(args.select.overrides()).is_ok() {
        return fix(g, &args);
    }
    let report = match g.context(args.select.overrides()) {
        Ok(ctx) => doctor::run_with(
            &ctx,
            doctor::Options {
                probe: !args.no_probe,
            },
        ),
        Err(Error::Config(c)) => {
            let root = std::env::current_dir().unwrap_or_default();
            let (message, hint) = (c.to_string(), c.hint.clone());
            let fix = Error::Config(c)
                .fix()
                .expect("a config error names its file");
            doctor::config_failure(&root, message, hint, fix)
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

/// `pyve doctor --fix [--yes]`: the report, the plan, the confirmations, the fixes,
/// then the checks again.
fn fix(g: &Global, args: &DoctorArgs) -> Result<ExitStatus> {
    let out = &g.out;
    let req = FixRequest {
        overrides: args.select.overrides(),
        yes: args.yes,
        only: None,
    };
    let (report, plan) = jobs::fix::plan(&g.start, &req)?;
    print(g, &report);
    if plan.is_empty() {
        println!("nothing to fix");
        return Ok(ExitStatus::ok_if(!report.failed()));
    }
    println!("Fix plan:");
    for f in &plan.fixes {
        let what = match f.kind {
            FixKind::Safe => "",
            FixKind::Destructive => " (replaces the environment)",
            FixKind::Manual => " (by hand)",
        };
        let shown = match (f.kind, f.command()) {
            (FixKind::Manual, _) | (_, None) => f.words.clone(),
            (_, Some(c)) => format!("`{c}`"),
        };
        println!(
            "  {} {}{what} — for: {}",
            if f.kind == FixKind::Manual { "-" } else { "»" },
            out.text(&shown),
            out.text(&f.labels.join("; "))
        );
    }
    if plan.of(FixKind::Safe).next().is_none() && plan.of(FixKind::Destructive).next().is_none() {
        println!("nothing pyve can apply: the fixes above are yours to make");
        return Ok(ExitStatus::ok_if(!report.failed()));
    }
    let done = {
        let mut face = Face::new(out);
        let mut ask = Ask { out };
        jobs::fix::apply(
            &g.start,
            &req,
            &plan,
            &mut ask,
            &mut face,
            &mut Work { out },
        )?
    };
    for f in &done.declined {
        out.info(&format!(
            "not applied: {}",
            f.command_line().unwrap_or_default()
        ));
    }
    let ctx = g.context(args.select.overrides())?;
    let after = doctor::run(&ctx);
    let s = &after.summary;
    println!(
        "after the fixes: {} ok, {} warning{}, {} failure{}",
        s.ok,
        s.warn,
        if s.warn == 1 { "" } else { "s" },
        s.fail,
        if s.fail == 1 { "" } else { "s" }
    );
    Ok(ExitStatus::ok_if(!after.failed()))
}

/// The CLI's confirmations: on the terminal, when there is one.
struct Ask<'a> {
    out: &'a super::out::Out,
}

impl Confirm for Ask<'_> {
    fn can_ask(&self) -> bool {
        self.out.interactive
    }
    fn batch(&mut self, fixes: &[&PlannedFix]) -> bool {
        let cmds: Vec<String> = fixes.iter().filter_map(|f| f.command()).collect();
        self.out
            .confirm(&format!("Apply {}?", cmds.join(", ")), true)
    }
    fn destructive(&mut self, fix: &PlannedFix) -> bool {
        self.out.confirm(
            &format!(
                "Apply `{}`? It replaces the environment",
                fix.command().unwrap_or_default()
            ),
            false,
        )
    }
}

fn print(g: &Global, report: &Report) {
    let out = &g.out;
    for c in &report.checks {
        // `-q`: only the problems.
        if out.quiet && matches!(c.status, Status::Ok | Status::Skip) {
            continue;
        }
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
