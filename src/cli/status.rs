//! `pyve status [--json]`: detection, resolution and env state. Changes nothing.

use clap::Args;
use serde::Serialize;

use super::{EnvSelect, Global};
use pyve_core::engine::ExitStatus;
use pyve_core::engine::Result;
use pyve_core::engine::context::Context;
use pyve_core::engine::detect::{Detection, NoteLevel};
use pyve_core::engine::project::RootMarker;
use pyve_core::engine::resolve::{PythonRequest, Tried};
use pyve_core::engine::state::EnvState;

#[derive(Debug, Args)]
pub struct StatusArgs {
    #[command(flatten)]
    pub select: EnvSelect,
    /// Machine-readable output (schema: docs/status-json.md).
    #[arg(long)]
    pub json: bool,
}

/// The `status --json` document. Keys are stable; see docs/status-json.md.
#[derive(Serialize)]
pub struct StatusReport {
    pub schema_version: u32,
    pub project_root: String,
    pub project_found_by: RootMarker,
    pub config_file: Option<String>,
    pub backend: Detection,
    pub tool: ToolReport,
    pub env: EnvReport,
}

#[derive(Serialize)]
pub struct ToolReport {
    pub kind: &'static str,
    pub path: Option<String>,
    pub version: Option<String>,
    pub place: Option<String>,
    pub request: Option<PythonRequest>,
    /// python: the file the request was read from, when it came from one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request_file: Option<String>,
    /// python: `requires-python` of pyproject.toml, when it has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub requires_python: Option<String>,
    /// python: a pin that violates requires-python.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
    pub tried: Vec<TriedReport>,
    pub error: Option<String>,
}

#[derive(Serialize)]
pub struct TriedReport {
    pub place: String,
    pub path: String,
    pub version: Option<String>,
    pub outcome: String,
    pub taken: bool,
}

impl From<&Tried> for TriedReport {
    fn from(t: &Tried) -> TriedReport {
        TriedReport {
            place: t.place.to_string(),
            path: t.path.display().to_string(),
            version: t.version.clone(),
            outcome: t.outcome.to_string(),
            taken: t.taken(),
        }
    }
}

#[derive(Serialize)]
pub struct EnvReport {
    pub name: String,
    pub path: String,
    pub state: &'static str,
    pub reason: Option<String>,
    pub python_version: Option<String>,
}

pub fn report(ctx: &Context) -> Result<StatusReport> {
    let target = ctx.target()?;
    let t = ctx.resolve_tool();
    let choice = match t.kind {
        "python" => ctx.python_choice().ok().unwrap_or_default(),
        _ => Default::default(),
    };
    let tool = ToolReport {
        request_file: choice.file.as_ref().map(|f| f.display().to_string()),
        requires_python: choice.requires_python.as_ref().map(|r| r.specifier.clone()),
        warnings: choice.warnings.clone(),
        kind: t.kind,
        path: t.found.as_ref().map(|r| r.path.display().to_string()),
        version: t.found.as_ref().map(|r| r.version.clone()),
        place: t.found.as_ref().map(|r| r.place.to_string()),
        request: t.request.clone(),
        tried: t.tried.iter().map(Into::into).collect(),
        error: t.error.clone(),
    };
    let state = ctx.env_state(&target)?;
    let reason = match &state {
        EnvState::Incomplete { reason, .. } | EnvState::Unmanaged { reason, .. } => {
            Some(reason.clone())
        }
        EnvState::Stale { changed, .. } => {
            Some(pyve_core::engine::state::describe_changes(changed))
        }
        _ => None,
    };
    Ok(StatusReport {
        schema_version: 1,
        project_root: ctx.project.root.display().to_string(),
        project_found_by: ctx.project.found_by.clone(),
        config_file: ctx.config.file.as_ref().map(|p| p.display().to_string()),
        backend: ctx.detection.clone(),
        tool,
        env: EnvReport {
            name: target.name.clone(),
            path: target.prefix.display().to_string(),
            state: state.name(),
            reason,
            python_version: state.record().map(|r| r.python.version.clone()),
        },
    })
}

// About 130 lines: the human rendering of every part of the status report, top to
// bottom as it prints.
pub fn run(g: &Global, args: StatusArgs) -> Result<ExitStatus> {
    let ctx = g.context(args.select.overrides())?;
    // An invalid env file is exit 2 here too, at file:line:col; notes go to stderr.
    for note in pyve_core::engine::spec::validate(&ctx)? {
        g.out.warn(&note);
    }
    let r = report(&ctx)?;
    if args.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&r).expect("status serialises")
        );
        return Ok(ExitStatus::Ok);
    }
    let out = &g.out;
    // `-q`: only the problems (warnings, a missing tool, an env that is not ready).
    let all = !out.quiet;
    let found_by = match r.project_found_by {
        RootMarker::PyveDir => "has .pyve/",
        RootMarker::SpecFile => "has a spec file",
        RootMarker::StartDir => "working directory",
    };
    if all {
        println!("{:<10} {} ({found_by})", "project", r.project_root);
        println!("{:<10} {}", "backend", out.text(&r.backend.summary()));
    }
    for n in &r.backend.notes {
        let mark = match n.level {
            NoteLevel::Warning => out.warn_mark(),
            NoteLevel::Info if all => out.dim("i"),
            NoteLevel::Info => continue,
        };
        println!("{:<10} {mark} {}", "", out.text(&n.message));
    }
    let t = &r.tool;
    let reason = match (&t.request, t.kind) {
        (None, "python") => format!(", {}", crate::words::unrequested_reason(t.place.as_deref())),
        _ => String::new(),
    };
    let reason = t
        .request
        .as_ref()
        .map(|q| {
            format!(
                ", {}",
                crate::words::python_reason(
                    q,
                    t.request_file.as_deref().map(std::path::Path::new),
                    &ctx.project.root
                )
            )
        })
        .unwrap_or(reason);
    match (&t.path, &t.version) {
        (Some(p), Some(v)) if all => println!(
            "{:<10} {} {v}  {p} ({}){reason}",
            t.kind,
            out.ok_mark(),
            t.place.as_deref().unwrap_or(""),
        ),
        (Some(_), Some(_)) => {}
        _ => println!(
            "{:<10} {} {}",
            t.kind,
            out.fail_mark(),
            t.error
                .as_deref()
                .unwrap_or("not found")
                .lines()
                .collect::<Vec<_>>()
                .join("; ")
        ),
    }
    for w in &t.warnings {
        println!("{:<10} {} {}", "", out.warn_mark(), out.text(w));
    }
    if out.verbose > 0 {
        for tr in &t.tried {
            let mark = if tr.taken {
                out.ok_mark()
            } else {
                out.fail_mark()
            };
            println!(
                "{:<10}   {mark} {:<7} {}{}  {}",
                "",
                tr.place,
                tr.path,
                tr.version
                    .as_ref()
                    .map(|v| format!(" ({v})"))
                    .unwrap_or_default(),
                tr.outcome
            );
        }
    }
    let e = &r.env;
    let mark = match e.state {
        "ready" => out.ok_mark(),
        "stale" | "unmanaged" => out.warn_mark(),
        _ => out.fail_mark(),
    };
    if all || e.state != "ready" {
        println!(
            "{:<10} {mark} {}  {}{}{}",
            "env",
            e.name,
            e.state,
            e.python_version
                .as_ref()
                .map(|v| format!(" (python {v})"))
                .unwrap_or_default(),
            e.reason
                .as_ref()
                .map(|r| format!(": {r}"))
                .unwrap_or_default()
        );
    }
    let next = match e.state {
        "missing" => Some("`pyve init` creates it"),
        "incomplete" => Some("`pyve init` rebuilds it"),
        "stale" => Some("`pyve init` updates it"),
        "unmanaged" => Some(
            "`pyve run` uses it as it is; `pyve init --adopt` takes it over when it fits the spec",
        ),
        _ => None,
    };
    if let Some(n) = next {
        println!("{:<10} {} {n}", "", out.dim("hint:"));
    }
    Ok(ExitStatus::Ok)
}
