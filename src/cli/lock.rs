//! `pyve lock [--update PKG]…`: writes or refreshes conda-lock.yml with conda-lock and
//! pyve's micromamba, then builds the env from it (the job `pyve_core::jobs::lock`).
//! `pyve lock --check`: is conda-lock.yml up to date with its sources, judged the way
//! conda-lock judges it (the `condalock` crate)?

use clap::Args;

use super::Global;
use super::face::{Face, Work};
use pyve_core::engine::ExitStatus;
use pyve_core::engine::context::Overrides;
use pyve_core::engine::doctor::{describe_verdict, lock_fix};
use pyve_core::engine::fix::Fix;
use pyve_core::engine::{Error, Result};

#[derive(Debug, Args)]
pub struct LockArgs {
    /// Exit 1 when conda-lock.yml is stale for any platform (and name it).
    #[arg(long)]
    pub check: bool,
    /// Machine-readable output.
    #[arg(long, requires = "check")]
    pub json: bool,
    /// Re-solve only this package, keeping the rest as locked (repeatable).
    #[arg(long, value_name = "PKG", conflicts_with = "check")]
    pub update: Vec<String>,
    /// The env whose env file is locked (default: PYVE_ENV, else default_env, else `default`).
    #[arg(long, value_name = "NAME")]
    pub env: Option<String>,
}

/// `pyve lock [--update PKG]`: the lock job; `--check`: conda-lock.yml's verdict.
pub fn run(g: &Global, args: LockArgs) -> Result<ExitStatus> {
    if !args.check {
        let req = pyve_core::jobs::lock::LockRequest {
            update: args.update,
            env: args.env,
        };
        let out = &g.out;
        let mut face = Face::new(out);
        pyve_core::jobs::lock::run(&g.start, &req, &mut face, &mut Work { out })?;
        return Ok(ExitStatus::Ok);
    }
    let ctx = g.context(Overrides {
        env: args.env.clone(),
        ..Overrides::default()
    })?;
    let lock = ctx.project.root.join("conda-lock.yml");
    if !lock.is_file() {
        return Err(Error::Missing(format!(
            "no conda-lock.yml in {}",
            ctx.project.root.display()
        ))
        .with_fix(Fix::Lock));
    }
    let verdict = condalock::check(&lock, &ctx.project.root)
        .map_err(|e| Error::Usage(format!("cannot check conda-lock.yml: {e}")))?;
    let stale = verdict.stale_platforms();
    if args.json {
        let platforms: Vec<serde_json::Value> = verdict
            .per_platform
            .iter()
            .map(|(p, v)| {
                serde_json::json!({
                    "platform": p,
                    "up_to_date": v.is_up_to_date(),
                    "detail": describe_verdict(v),
                })
            })
            .collect();
        let doc = serde_json::json!({
            "lock_file": lock.display().to_string(),
            "up_to_date": stale.is_empty(),
            "stale_platforms": stale,
            "platforms": platforms,
        });
        println!(
            "{}",
            serde_json::to_string_pretty(&doc).expect("lock serialises")
        );
    } else {
        let out = &g.out;
        for (p, v) in &verdict.per_platform {
            let mark = if v.is_up_to_date() {
                out.ok_mark()
            } else {
                out.fail_mark()
            };
            println!("{mark} {p}: {}", out.text(&describe_verdict(v)));
        }
        if stale.is_empty() {
            out.success("conda-lock.yml is up to date");
        } else {
            out.error(&format!("conda-lock.yml is stale for {}", stale.join(", ")));
            out.hint(&lock_fix(&verdict));
        }
    }
    Ok(ExitStatus::ok_if(stale.is_empty()))
}
