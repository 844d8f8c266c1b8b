//! `pyve status [--json]`: detection, resolution and env state. Changes nothing.

use clap::Args;
use serde::Serialize;

use super::out::Out;
use super::{EnvSelect, Global};
use pyve_core::engine::ExitStatus;
use pyve_core::engine::Result;
use pyve_core::engine::detect::{Detection, NoteLevel};
use pyve_core::engine::project::RootMarker;
use pyve_core::engine::resolve::{PythonRequest, Tried};
use pyve_core::engine::status::{self, EnvStatus, Status};

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
    /// micromamba: the channels the env is solved from, in order (empty for a venv).
    pub channels: Vec<pyve_core::engine::channels::Channel>,
    /// Which of the project's envs `env` is, and who chose it.
    pub selected_env: SelectedReport,
    /// Every env of the project with its state, `default` first.
    pub envs: Vec<pyve_core::engine::status::EnvListing>,
}

#[derive(Serialize)]
pub struct SelectedReport {
    pub name: String,
    pub source: pyve_core::engine::envs::Source,
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

/// The JSON rendering of the engine's [`Status`].
pub fn report(s: &Status, env: &EnvStatus) -> StatusReport {
    let t = &s.tool;
    StatusReport {
        schema_version: 1,
        channels: s.channels.clone(),
        selected_env: SelectedReport {
            name: s.selected.name.clone(),
            source: s.selected.source,
        },
        envs: s.envs.clone(),
        project_root: s.project_root.display().to_string(),
        project_found_by: s.found_by.clone(),
        config_file: s.config_file.as_ref().map(|p| p.display().to_string()),
        backend: s.detection.clone(),
        tool: ToolReport {
            request_file: s.choice.file.as_ref().map(|f| f.display().to_string()),
            requires_python: s
                .choice
                .requires_python
                .as_ref()
                .map(|r| r.specifier.clone()),
            warnings: s.choice.warnings.clone(),
            kind: t.kind,
            path: t.found.as_ref().map(|r| r.path.display().to_string()),
            version: t.found.as_ref().map(|r| r.version.clone()),
            place: t.found.as_ref().map(|r| r.place.to_string()),
            request: t.request.clone(),
            tried: t.tried.iter().map(Into::into).collect(),
            error: t.error.clone(),
        },
        env: EnvReport {
            name: env.name.clone(),
            path: env.prefix.display().to_string(),
            state: env.state,
            reason: env.reason.clone(),
            python_version: env.python.clone(),
        },
    }
}

pub fn run(g: &Global, args: StatusArgs) -> Result<ExitStatus> {
    let ctx = g.context(args.select.overrides())?;
    // An invalid env file is exit 2 here too, at file:line:col; notes go to stderr.
    for note in pyve_core::engine::spec::validate(&ctx)? {
        g.out.warn(&note);
    }
    let (s, env) = status::read(&ctx).strict()?;
    if args.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&report(&s, &env)).expect("status serialises")
        );
        return Ok(ExitStatus::Ok);
    }
    // `-q`: only the problems (warnings, a missing tool, an env that is not ready).
    let all = !g.out.quiet;
    print_project(&g.out, &s, all);
    print_tool(&g.out, &s, all);
    print_channels(&g.out, &s, all);
    print_env(&g.out, &s, &env, all);
    print_envs(&g.out, &s, all);
    Ok(ExitStatus::Ok)
}

/// Several envs: each with its backend, state and directory; the one shown above marked.
fn print_envs(out: &Out, s: &Status, all: bool) {
    if s.envs.len() < 2 || !all {
        return;
    }
    let width = s.envs.iter().map(|e| e.name.len()).max().unwrap_or(0);
    for (i, e) in s.envs.iter().enumerate() {
        let mark = match e.state {
            "ready" => out.ok_mark(),
            "stale" | "unmanaged" => out.warn_mark(),
            _ => out.fail_mark(),
        };
        let path = e.path.strip_prefix(&s.project_root).unwrap_or(&e.path);
        let this = if e.selected {
            format!("  <- this one ({})", s.selected.source.describe())
        } else {
            String::new()
        };
        println!(
            "{:<10} {mark} {:<width$}  {:<10}  {:<10}  {}{this}",
            if i == 0 { "envs" } else { "" },
            e.name,
            e.backend.to_string(),
            e.state,
            out.text(&path.display().to_string()),
        );
    }
}

/// micromamba: the channels the env is solved from, in order, with where each was named.
fn print_channels(out: &Out, s: &Status, all: bool) {
    let Some(file) = s.env_file.as_ref().filter(|_| all) else {
        return;
    };
    let file = file.display().to_string();
    println!(
        "{:<10} {}",
        "channels",
        out.text(&pyve_core::engine::channels::describe(&s.channels, &file))
    );
}

/// The project's root and the backend decision, with detection's notes.
fn print_project(out: &Out, s: &Status, all: bool) {
    let found_by = match s.found_by {
        RootMarker::PyveDir => "has .pyve/",
        RootMarker::SpecFile => "has a spec file",
        RootMarker::StartDir => "working directory",
    };
    if all {
        println!(
            "{:<10} {} ({found_by})",
            "project",
            s.project_root.display()
        );
        println!("{:<10} {}", "backend", out.text(&s.detection.summary()));
        if let Some(f) = s
            .config_file
            .as_deref()
            .filter(|f| pyve_core::engine::pyvetoml::is_pyve_toml(f))
        {
            let shown = f.strip_prefix(&s.project_root).unwrap_or(f);
            println!(
                "{:<10} {} (the original pyve's, read only)",
                "config",
                out.text(&shown.display().to_string())
            );
        }
    }
    for n in &s.detection.notes {
        let mark = match n.level {
            NoteLevel::Warning => out.warn_mark(),
            NoteLevel::Info if all => out.dim("i"),
            NoteLevel::Info => continue,
        };
        println!("{:<10} {mark} {}", "", out.text(&n.message));
    }
}

/// The backend's tool: taken (and why that one), or why none; `-v` lists every place.
fn print_tool(out: &Out, s: &Status, all: bool) {
    let t = &s.tool;
    let reason = match t.kind {
        "python" => format!(
            ", {}",
            crate::words::python_choice_reason(&s.choice, &s.project_root, t.found.as_ref())
        ),
        _ => String::new(),
    };
    match &t.found {
        Some(r) if all => println!(
            "{:<10} {} {}  {} ({}){reason}",
            t.kind,
            out.ok_mark(),
            r.version,
            r.path.display(),
            r.place,
        ),
        Some(_) => {}
        None => println!(
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
    for w in &s.choice.warnings {
        println!("{:<10} {} {}", "", out.warn_mark(), out.text(w));
    }
    if out.verbose > 0 {
        for tr in &t.tried {
            let mark = if tr.taken() {
                out.ok_mark()
            } else {
                out.fail_mark()
            };
            println!(
                "{:<10}   {mark} {:<7} {}{}  {}",
                "",
                tr.place.as_str(),
                tr.path.display(),
                tr.version
                    .as_ref()
                    .map(|v| format!(" ({v})"))
                    .unwrap_or_default(),
                tr.outcome
            );
        }
    }
}

/// The env's state, and what `pyve init` would do about it.
fn print_env(out: &Out, s: &Status, e: &EnvStatus, all: bool) {
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
            e.python
                .as_ref()
                .map(|v| format!(" (python {v})"))
                .unwrap_or_default(),
            e.reason
                .as_ref()
                .map(|r| format!(": {r}"))
                .unwrap_or_default()
        );
    }
    let init = crate::words::init_command(&s.selected);
    let next = match e.state {
        "missing" => Some(format!("`{init}` creates it")),
        "incomplete" => Some(format!("`{init}` rebuilds it")),
        "stale" => Some(format!("`{init}` updates it")),
        "unmanaged" => Some(format!(
            "`pyve run` uses it as it is; `{init} --adopt` takes it over when it fits the spec"
        )),
        _ => None,
    };
    if let Some(n) = next {
        println!("{:<10} {} {n}", "", out.dim("hint:"));
    }
}
