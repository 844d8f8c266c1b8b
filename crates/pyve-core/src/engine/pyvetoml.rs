//! The original pyve's (3.x) `pyve.toml`, read when a project has no `.pyve/config`:
//! `pyve_schema`, `[project]` and `[env.<name>]` tables, each with an optional
//! `backend`. pyve takes the backend of `[env.root]` (the env the original pyve's
//! `init` records its backend on) and shows the env names; it never writes the file.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

use super::BackendKind;
use super::config::{Config, ConfigError};

/// Where its errors point, and its name as a source.
pub const FILE: &str = "pyve.toml";

/// A config is a few lines; a megabyte is already not one.
const CAP: u64 = 1024 * 1024;

/// What was read from `pyve.toml` beyond the keys pyve shares.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Original {
    /// `pyve_schema` ("3.0"), when given.
    pub schema: Option<String>,
    /// The `[env.<name>]` tables, sorted.
    pub envs: Vec<String>,
}

#[derive(Deserialize)]
struct Raw {
    pyve_schema: Option<String>,
    #[serde(default)]
    env: BTreeMap<String, RawEnv>,
}

// Only what pyve uses: the original pyve's other keys (purpose, path, requirements, …)
// are its own and stay unread.
#[derive(Deserialize)]
struct RawEnv {
    backend: Option<toml::Spanned<String>>,
}

/// `pyve.toml` under `root` as a config; no file: the empty config.
pub fn load(root: &Path) -> Result<Config, ConfigError> {
    let path = root.join(FILE);
    let text = match crate::sys::fs::read_bounded(&path, CAP) {
        Ok(bytes) => bytes,
        Err(e) if e.is_not_found() => return Ok(Config::default()),
        Err(e) => return Err(at(None, format!("cannot read: {e}"))),
    };
    let text = String::from_utf8(text).map_err(|e| {
        at(
            None,
            format!(
                "not UTF-8 text (invalid byte at offset {})",
                e.utf8_error().valid_up_to()
            ),
        )
    })?;
    let mut config = parse(&text)?;
    config.file = Some(path);
    Ok(config)
}

/// Parses `pyve.toml` text: the backend of `[env.root]`, the env names.
pub fn parse(text: &str) -> Result<Config, ConfigError> {
    let raw: Raw = toml::from_str(text).map_err(|e| {
        let pos = e.span().map(|s| line_col(text, s.start));
        let msg = e.message().trim().to_string();
        at(
            pos,
            format!("invalid TOML: {}", crate::sys::term::escape(&msg)),
        )
    })?;
    let mut config = Config::default();
    if let Some(b) = raw.env.get("root").and_then(|e| e.backend.as_ref()) {
        config.backend = Some(match b.get_ref().trim() {
            "venv" => BackendKind::Venv,
            "micromamba" => BackendKind::Micromamba,
            other => {
                return Err(at(
                    Some(line_col(text, b.span().start)),
                    format!(
                        "[env.root] backend `{}`: pyve builds `venv` or `micromamba` envs",
                        crate::sys::term::escape(other)
                    ),
                ));
            }
        });
    }
    config.original = Some(Original {
        schema: raw.pyve_schema,
        envs: raw.env.keys().cloned().collect(),
    });
    Ok(config)
}

/// Whether `path` is the original pyve's file (a config read only).
pub fn is_pyve_toml(path: &Path) -> bool {
    path.file_name().is_some_and(|n| n == FILE)
}

fn at(loc: Option<(u64, u64)>, message: String) -> ConfigError {
    ConfigError {
        file: FILE.to_string(),
        line: loc.map(|l| l.0),
        column: loc.map(|l| l.1),
        message,
        hint: None,
    }
}

/// 1-based line and column of byte `offset`.
fn line_col(text: &str, offset: usize) -> (u64, u64) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() as u64 + 1;
    let col = before.rsplit('\n').next().map_or(0, |s| s.chars().count()) as u64 + 1;
    (line, col)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_root_envs_backend_and_the_env_names_are_read() {
        let c = parse(
            "pyve_schema = \"3.0\"\n[project]\nname = \"demo\"\n[env.root]\npurpose = \"utility\"\nbackend = \"micromamba\"\n[env.testenv]\npurpose = \"test\"\nbackend = \"venv\"\n",
        )
        .unwrap();
        assert_eq!(c.backend, Some(BackendKind::Micromamba));
        let o = c.original.unwrap();
        assert_eq!(o.schema.as_deref(), Some("3.0"));
        assert_eq!(o.envs, vec!["root".to_string(), "testenv".to_string()]);
        assert_eq!(parse("pyve_schema = \"3.0\"\n").unwrap().backend, None);
    }

    #[test]
    fn errors_point_at_line_and_column() {
        let e = parse("pyve_schema = \"3.0\"\n[env.root]\nbackend = \"conda\"\n").unwrap_err();
        assert_eq!((e.line, e.column), (Some(3), Some(11)), "{e}");
        let e = parse("pyve_schema = \"3.0\"\n[env.root\n").unwrap_err();
        assert_eq!(e.line, Some(2), "{e}");
        assert!(e.to_string().starts_with("pyve.toml:2:"), "{e}");
    }
}
