//! `pyve config [--json]`: every setting's effective value and where it came from.

use std::collections::BTreeMap;

use clap::Args;
use serde::Serialize;

use super::Global;
use pyve_core::engine::ExitStatus;
use pyve_core::engine::Result;
use pyve_core::engine::context::{Context, Overrides};

#[derive(Debug, Args)]
pub struct ConfigArgs {
    /// Machine-readable output: {"config_file", "values": {KEY: {value, source}}}.
    #[arg(long)]
    pub json: bool,
    /// The values this env sees (default: PYVE_ENV, else default_env, else `default`).
    #[arg(long, value_name = "NAME")]
    pub env: Option<String>,
}

#[derive(Serialize)]
pub struct Value {
    pub value: serde_json::Value,
    /// `.pyve/config`, `default`, `environment.yml`, `conda_spec`, …
    pub source: String,
}

#[derive(Serialize)]
pub struct EffectiveConfig {
    pub config_file: Option<String>,
    pub values: BTreeMap<&'static str, Value>,
}

fn val(value: impl Into<serde_json::Value>, source: impl Into<String>) -> Value {
    Value {
        value: value.into(),
        source: source.into(),
    }
}

pub fn effective(ctx: &Context) -> Result<EffectiveConfig> {
    let c = &ctx.config;
    let src = c.source_name();
    let mut values = BTreeMap::new();
    let d = &ctx.detection;
    values.insert(
        "backend",
        val(
            d.backend.as_str(),
            match d.source {
                pyve_core::engine::detect::DecisionSource::Config => c.source_name().to_string(),
                pyve_core::engine::detect::DecisionSource::Default => "default".to_string(),
                _ => format!("detected from {}", d.evidence.join(", ")),
            },
        ),
    );
    let (name, name_src) = match ctx.micromamba_env_name() {
        Ok(n) => n,
        Err(_) => ("".to_string(), "invalid"),
    };
    values.insert("micromamba.env_name", val(name.clone(), name_src));
    // The file init would build from, by the same rule (a lock that covers this
    // platform beats environment.yml), not merely the first spec file found.
    let from_config = c.micromamba.env_file.is_some();
    let env_file = ctx.env_file().map(|(f, _)| {
        let source = if from_config { src } else { "detected" };
        (f.display().to_string(), source)
    });
    values.insert(
        "micromamba.env_file",
        match env_file {
            Some((f, s)) => val(f, s),
            None => val(serde_json::Value::Null, "none"),
        },
    );
    values.insert(
        "micromamba.channels",
        val(
            c.micromamba.channels.clone(),
            if c.micromamba.channels.is_empty() {
                "default"
            } else {
                src
            },
        ),
    );
    values.insert(
        "micromamba.prefix",
        match &c.micromamba.prefix {
            Some(p) => val(p.display().to_string(), src),
            None => val(format!(".pyve/envs/{name}"), "default"),
        },
    );
    values.insert(
        "micromamba.allow_pip",
        match c.micromamba.allow_pip {
            Some(b) => val(b, src),
            None => val(false, "default"),
        },
    );
    values.insert(
        "python.version",
        match ctx.python_request()? {
            Some(r) => val(r.version, r.source.as_str()),
            None => val(
                serde_json::Value::Null,
                "none (asdf/pyenv global or system python3)",
            ),
        },
    );
    values.insert(
        "venv.directory",
        match &c.venv_directory {
            Some(p) => val(p.display().to_string(), src),
            None => val(ctx.project.display(&ctx.venv_dir()).into_owned(), "default"),
        },
    );
    values.insert("env", val(ctx.env.name.clone(), ctx.env.source.describe()));
    values.insert("envs", val(pyve_core::engine::envs::names(&ctx.whole), src));
    values.insert(
        "run.env_file",
        match &c.run_env_file {
            Some(p) => val(p.display().to_string(), src),
            None => val(serde_json::Value::Null, "none"),
        },
    );
    if let Some(o) = &c.original {
        values.insert(
            "pyve.toml.envs",
            val(o.envs.clone(), "pyve.toml (read only)"),
        );
    }
    Ok(EffectiveConfig {
        config_file: c.file.as_ref().map(|p| p.display().to_string()),
        values,
    })
}

pub fn run(g: &Global, args: ConfigArgs) -> Result<ExitStatus> {
    let ctx = g.context(Overrides {
        env: args.env.clone(),
        ..Overrides::default()
    })?;
    let e = effective(&ctx)?;
    if args.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&e).expect("config serialises")
        );
        return Ok(ExitStatus::Ok);
    }
    match &e.config_file {
        Some(f) if pyve_core::engine::pyvetoml::is_pyve_toml(std::path::Path::new(f)) => {
            println!(
                "# {f} (the original pyve's, read only; `pyve init` writes .pyve/config only when a flag changes a value)"
            )
        }
        Some(f) => println!("# {f}"),
        None => {
            println!("# no .pyve/config yet (`pyve init` writes one); defaults and detection below")
        }
    }
    for (k, v) in &e.values {
        let shown = match &v.value {
            serde_json::Value::String(s) => s.clone(),
            serde_json::Value::Null => "-".to_string(),
            other => other.to_string(),
        };
        println!(
            "{k:<20} {shown:<28} {}",
            g.out.dim(&format!("({})", v.source))
        );
    }
    Ok(ExitStatus::Ok)
}
