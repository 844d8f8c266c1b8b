//! `pyve python show|pin|set`: which python a venv is built from and why, and pinning
//! one where the user's version manager reads it (`pyve_core::engine::pin`).

use clap::{Args, Subcommand};
use serde::Serialize;

use super::Global;
use pyve_core::engine::context::Overrides;
use pyve_core::engine::resolve::{self, PythonChoice, Resolution};
use pyve_core::engine::{BackendKind, ExitStatus, Result, pin};

#[derive(Debug, Args)]
pub struct PythonArgs {
    #[command(subcommand)]
    pub command: PythonCommand,
}

#[derive(Debug, Subcommand)]
pub enum PythonCommand {
    /// Which python a venv is built from, and why (the request and its source).
    #[command(after_help = "Examples:\n  pyve python show\n  pyve python show --json")]
    Show(ShowArgs),
    /// Pin a python version where your version manager reads it (.tool-versions for an asdf project, else .python-version).
    #[command(
        visible_alias = "set",
        after_help = "Examples:\n  pyve python pin 3.12\n  pyve python pin 3.11.7\n  pyve python pin system     # the python on PATH\n\n`pyve python set V` is the same (the original pyve's name)."
    )]
    Pin(PinArgs),
}

#[derive(Debug, Args)]
pub struct ShowArgs {
    /// Machine-readable output (schema: docs/status-json.md).
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct PinArgs {
    /// The version: 3, 3.12, 3.12.1, 3.13.0rc1, or `system`.
    #[arg(value_name = "V")]
    pub version: String,
}

pub fn run(g: &Global, args: PythonArgs) -> Result<ExitStatus> {
    match args.command {
        PythonCommand::Show(a) => show(g, a),
        PythonCommand::Pin(a) => pin_cmd(g, a),
    }
}

#[derive(Serialize)]
struct ShowDoc {
    schema_version: u32,
    backend: BackendKind,
    #[serde(flatten)]
    choice: PythonChoice,
    /// Why, in words: "requested 3.12 by .python-version".
    reason: String,
    python: Option<Found>,
    error: Option<String>,
}

#[derive(Serialize)]
struct Found {
    path: String,
    version: String,
    place: String,
}

impl From<&Resolution> for Found {
    fn from(r: &Resolution) -> Found {
        Found {
            path: r.path.display().to_string(),
            version: r.version.clone(),
            place: r.place.to_string(),
        }
    }
}

fn show(g: &Global, args: ShowArgs) -> Result<ExitStatus> {
    let ctx = g.context(Overrides::default())?;
    let choice = ctx.python_choice()?;
    let resolved = resolve::resolve_python(choice.request.as_ref(), &resolve::Lookup::from_env());
    let doc = ShowDoc {
        schema_version: 1,
        backend: ctx.backend(),
        reason: crate::words::python_choice_reason(
            &choice,
            &ctx.project.root,
            resolved.as_ref().ok(),
        ),
        python: resolved.as_ref().ok().map(Found::from),
        error: resolved.as_ref().err().map(|e| e.to_string()),
        choice,
    };
    let code = if resolved.is_ok() {
        ExitStatus::Ok
    } else {
        ExitStatus::Missing
    };
    if args.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&doc).expect("python show serialises")
        );
        return Ok(code);
    }
    let out = &g.out;
    match &resolved {
        Ok(r) => println!(
            "{:<10} {} {}  {} ({})",
            "python",
            out.ok_mark(),
            r.version,
            r.path.display(),
            r.place
        ),
        Err(e) => println!("{:<10} {} {}", "python", out.fail_mark(), e.summary()),
    }
    println!("{:<10} {}", "why", out.text(&doc.reason));
    if let Some(rp) = &doc.choice.requires_python
        && doc.choice.request.as_ref().map(|r| r.source)
            != Some(resolve::RequestSource::RequiresPython)
    {
        println!("{:<10} {} (pyproject.toml)", "requires", rp.specifier);
    }
    if doc.backend == BackendKind::Micromamba {
        println!(
            "{:<10} {}",
            "",
            out.dim("the micromamba backend takes python from the env file; this is the python a venv would use")
        );
    }
    for w in &doc.choice.warnings {
        out.warn(w);
    }
    if let Err(e) = &resolved {
        for h in e.hints() {
            out.hint(&h);
        }
    }
    Ok(code)
}

fn pin_cmd(g: &Global, args: PinArgs) -> Result<ExitStatus> {
    let ctx = g.context(Overrides::default())?;
    let root = &ctx.project.root;
    let lookup = resolve::Lookup::from_env();
    let plan = pin::plan(root, &args.version, &lookup)?;
    pin::write(&plan)?;
    let out = &g.out;
    let was = plan
        .previous
        .as_ref()
        .map(|p| format!(", was {p}"))
        .unwrap_or_default();
    out.success(&format!(
        "pinned python {} in {}{was} ({})",
        plan.version,
        plan.file.name(),
        plan.why
    ));
    // What the project asks for now: something above the file may still win.
    let choice = ctx.python_choice()?;
    if let Some(r) = &choice.request
        && choice.file.as_deref() != Some(plan.path.as_path())
    {
        out.warn(&format!(
            "{} still decides: it asks for {}, above {} (docs/detection.md has the order)",
            r.source.as_str(),
            r.version,
            plan.file.name()
        ));
    }
    for w in &choice.warnings {
        out.warn(w);
    }
    if let Some(r) = &choice.request
        && let Err(e) = resolve::resolve_python(Some(r), &lookup)
    {
        out.warn(&e.summary());
        for h in e.hints() {
            out.hint(&h);
        }
    } else if ctx.backend() == BackendKind::Venv {
        out.info("`pyve init` builds the venv with it");
    }
    Ok(ExitStatus::Ok)
}
