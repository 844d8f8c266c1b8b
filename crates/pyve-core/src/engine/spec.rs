//! The conda env's spec as data: what the env file it is built from names, for this
//! platform — conda match specs and `pip:` requirements from `environment.yml`, or
//! the locked packages (`manager: conda|pip`) of `conda-lock.yml`. Parsed once with
//! the `condalock` crate, so an invalid file is reported at `file:line:column` by
//! `init`, `status` and `run` alike ([`validate`]), and doctor judges pip packages,
//! drift and lock staleness against the same reading.

use std::path::Path;

use super::config::ConfigError;
use super::context::Context;
use super::{BackendKind, Result, envname};
use crate::sys::fs::{FILE_CAP, read_text};

/// One package the spec names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SpecPackage {
    /// As the spec spells it (conda: lower-cased; pip: PEP 503-normalised).
    pub name: String,
    /// A conda version spec (`>=1.26`, `3.11.*`), or the locked version; empty: any.
    pub version: String,
    /// `conda-forge::numpy`'s channel, when the spec names one.
    pub channel: Option<String>,
}

/// What the env file names for one platform.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Spec {
    /// The file, relative to the project root (`environment.yml`, `conda-lock.yml`).
    pub file: String,
    /// `true` for `conda-lock.yml`: the packages are the whole locked closure.
    pub locked: bool,
    pub conda: Vec<SpecPackage>,
    pub pip: Vec<SpecPackage>,
}

/// PEP 503's normal form of a distribution name: lower case, runs of `-_.` as `-`
/// (the conda-lock port's, so a name compares the same wherever pyve reads it).
pub fn pep503(name: &str) -> String {
    condalock::canonicalize_pypi_name(name)
}

/// Reads the env file `file` (relative to `root`) for `platform`.
pub fn read(root: &Path, file: &Path, platform: &str) -> Result<Spec, condalock::Error> {
    let shown = file.display().to_string();
    let path = root.join(file);
    let text = read_text(&path, FILE_CAP).map_err(|e| condalock::Error {
        file: shown.clone(),
        line: None,
        column: None,
        kind: condalock::ErrorKind::Read(e.to_string()),
    })?;
    let is_lock = file
        .file_name()
        .is_some_and(|n| n.to_string_lossy().contains("conda-lock"));
    if is_lock {
        if text.trim().is_empty() {
            // A placeholder: nothing locked yet (doctor's lock check says so).
            return Ok(from_dependencies(shown, &[]));
        }
        let lock = condalock::parse_lockfile(&text, &shown)?;
        let mut spec = Spec {
            file: shown,
            locked: true,
            conda: vec![],
            pip: vec![],
        };
        for p in lock.package.iter().filter(|p| p.platform == platform) {
            let pkg = SpecPackage {
                name: match p.manager {
                    condalock::Manager::Pip => pep503(&p.name),
                    condalock::Manager::Conda => p.name.to_lowercase(),
                },
                version: p.version.clone(),
                channel: None,
            };
            match p.manager {
                condalock::Manager::Pip => spec.pip.push(pkg),
                condalock::Manager::Conda => spec.conda.push(pkg),
            }
        }
        return Ok(spec);
    }
    // micromamba builds an empty env from an empty file or one without
    // `dependencies:` (conda-lock would refuse to lock it): nothing to check.
    if let Ok(v) = serde_saphyr::from_str::<serde_json::Value>(&text)
        && (v.is_null()
            || v.as_object()
                .is_some_and(|m| !m.contains_key("dependencies")))
    {
        return Ok(from_dependencies(shown, &[]));
    }
    let source = condalock::EnvSource::new(&shown, text);
    let lock_spec = condalock::make_lock_spec(
        &[source],
        &condalock::SpecOptions {
            platforms: Some(vec![platform.to_string()]),
            channels: None,
            cwd: Some(root.to_path_buf()),
            environ: Some(vec![]),
        },
    )?;
    Ok(from_dependencies(
        shown,
        lock_spec
            .dependencies
            .get(platform)
            .map(Vec::as_slice)
            .unwrap_or(&[]),
    ))
}

/// The spec packages of conda-lock's dependencies for one platform.
pub fn from_dependencies(file: String, deps: &[condalock::Dependency]) -> Spec {
    let mut spec = Spec {
        file,
        locked: false,
        conda: vec![],
        pip: vec![],
    };
    for d in deps {
        let (version, channel) = match &d.kind {
            condalock::DependencyKind::Versioned {
                version,
                conda_channel,
                ..
            } => (version.clone(), conda_channel.clone()),
            _ => (String::new(), None),
        };
        let pkg = SpecPackage {
            name: match d.manager {
                condalock::Manager::Pip => pep503(&d.name),
                condalock::Manager::Conda => d.name.to_lowercase(),
            },
            version: if version == "*" {
                String::new()
            } else {
                version
            },
            channel,
        };
        match d.manager {
            condalock::Manager::Pip => spec.pip.push(pkg),
            condalock::Manager::Conda => spec.conda.push(pkg),
        }
    }
    spec
}

/// A `condalock` error as pyve's invalid-input error (exit 2, `file:line:col`).
pub fn config_error(e: condalock::Error) -> ConfigError {
    ConfigError {
        file: e.file.clone(),
        line: e.line,
        column: e.column,
        message: e.kind.to_string(),
        hint: Some(format!(
            "fix {} (docs/micromamba.md); `pyve doctor` shows every check",
            e.file
        )),
    }
}

/// The spec of the env `ctx` builds, for this platform: `None` for a venv or when
/// there is no env file.
pub fn current(ctx: &Context) -> Option<Result<Spec, condalock::Error>> {
    if ctx.backend() != BackendKind::Micromamba {
        return None;
    }
    let (file, _) = ctx.env_file()?;
    Some(read(
        &ctx.project.root,
        &file,
        super::micromamba::current_platform(),
    ))
}

/// The env file the conda env is built from parses (exit 2 at `file:line:col`).
pub fn validate_files(ctx: &Context) -> Result<()> {
    if let Some(r) = current(ctx) {
        r.map_err(config_error)?;
    }
    Ok(())
}

/// "conda-lock.yml is stale for linux-64 (numpy >=2 added): refresh it with `conda-lock
/// lock -f environment.yml`", when it is.
pub fn stale_lock_note(ctx: &Context) -> Option<String> {
    let lock = ctx.project.root.join("conda-lock.yml");
    if !lock.is_file() || std::fs::metadata(&lock).is_ok_and(|m| m.len() == 0) {
        return None;
    }
    let v = condalock::check(&lock, &ctx.project.root).ok()?;
    if v.is_up_to_date() {
        return None;
    }
    let why = super::lockdiff::summary(&super::lockdiff::explain(&ctx.project.root, &v))
        .map(|s| format!(" ({s})"))
        .unwrap_or_default();
    Some(format!(
        "conda-lock.yml is stale for {}{why}: refresh it with `{}`",
        v.stale_platforms().join(", "),
        super::doctor::lock_command(&v)
    ))
}

/// Checks the spec files where they are used (`init`, `status`, `run`): the env file
/// the conda env is built from must parse (an error is exit 2 at `file:line:col`),
/// and an env file's `name:` that cannot be an env name gets a note saying which name
/// is used instead. Returns the notes.
pub fn validate(ctx: &Context) -> Result<Vec<String>> {
    let mut notes = Vec::new();
    if ctx.backend() != BackendKind::Micromamba {
        return Ok(notes);
    }
    validate_files(ctx)?;
    let lock = ctx.project.root.join("conda-lock.yml");
    let lock_is_env_file = ctx
        .env_file()
        .is_some_and(|(f, _)| f == Path::new("conda-lock.yml"));
    if lock.is_file() && !lock_is_env_file {
        let text = read_text(&lock, FILE_CAP).map_err(|e| {
            config_error(condalock::Error {
                file: "conda-lock.yml".into(),
                line: None,
                column: None,
                kind: condalock::ErrorKind::Read(e.to_string()),
            })
        })?;
        if !text.trim().is_empty() {
            condalock::parse_lockfile(&text, "conda-lock.yml").map_err(config_error)?;
        }
    }
    if let Some(n) = stale_lock_note(ctx) {
        notes.push(n);
    }
    if ctx.overrides.env_name.is_none() && ctx.config.micromamba.env_name.is_none() {
        for f in ["environment.yml", "environment.yaml"] {
            let Some(raw) = super::context::env_file_name(&ctx.project.root.join(f)) else {
                continue;
            };
            if let Err(e) = envname::sanitize(&raw) {
                let used = ctx
                    .micromamba_env_name()
                    .map(|(n, from)| format!("`{n}` (from the {from})"))
                    .unwrap_or_else(|_| "no name".into());
                notes.push(format!(
                    "{f}: `name: {raw}` cannot be used ({e}); using {used} — set one with `pyve init --env NAME`"
                ));
            }
            break;
        }
    }
    Ok(notes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pep503_names() {
        assert_eq!(pep503("Rich_Click"), "rich-click");
        assert_eq!(pep503("zope.interface"), "zope-interface");
        assert_eq!(pep503("a-_.b"), "a-b");
    }

    #[test]
    fn reads_an_environment_file_and_a_lock() {
        let d = tempfile::tempdir().unwrap();
        std::fs::write(
            d.path().join("environment.yml"),
            "name: x\nchannels: [conda-forge]\ndependencies:\n  - python=3.11\n  - conda-forge::numpy>=1.26\n  - pip:\n    - Rich_Click==1.8\n",
        )
        .unwrap();
        let s = read(d.path(), Path::new("environment.yml"), "linux-64").unwrap();
        assert!(!s.locked);
        let names: Vec<&str> = s.conda.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, ["numpy", "pip", "python"]);
        let numpy = s.conda.iter().find(|p| p.name == "numpy").unwrap();
        assert_eq!(numpy.version, ">=1.26");
        assert_eq!(numpy.channel.as_deref(), Some("conda-forge"));
        assert_eq!(s.pip[0].name, "rich-click");
        std::fs::write(
            d.path().join("environment.yml"),
            "name: x\ndependencies:\n  - numpy >=>1\n",
        )
        .unwrap();
        let e = read(d.path(), Path::new("environment.yml"), "linux-64").unwrap_err();
        assert_eq!(e.file, "environment.yml");
        assert_eq!(e.line, Some(3));
    }
}
