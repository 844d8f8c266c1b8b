//! Environment files as conda-lock reads them (`src_parser/environment_yaml.py`): the
//! channels, `platforms:`, `category:`, `pip-repositories:` and, per platform (after
//! the `# [selector]` lines of [`selectors`]), the conda and pip dependencies.

pub mod selectors;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::channel::Channel;
use crate::dependency::{Dependency, Manager};
use crate::error::{Error, ErrorKind, locate};
use crate::matchspec::parse_conda_spec;
use crate::pip::marker::evaluate_marker;
use crate::pip::parse_pip_requirement;
use selectors::filter_selectors;

/// One source file of a lock: an `environment.yml` and its text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EnvSource {
    pub path: PathBuf,
    pub text: String,
}

impl EnvSource {
    pub fn new(path: impl Into<PathBuf>, text: impl Into<String>) -> EnvSource {
        EnvSource {
            path: path.into(),
            text: text.into(),
        }
    }

    pub fn read(path: &Path) -> Result<EnvSource, Error> {
        let text = crate::error::read_text(path)
            .map_err(|e| Error::read(path.display().to_string(), &e))?;
        Ok(EnvSource::new(path, text))
    }

    pub(crate) fn label(&self) -> String {
        self.path.display().to_string()
    }

    /// An error in this file, at the first line holding `needle` when there is one.
    pub(crate) fn err(&self, kind: impl Into<ErrorKind>, needle: Option<&str>) -> Error {
        Error::new(self.label(), kind).at(needle.and_then(|n| locate(&self.text, n)))
    }

    fn yaml(&self, text: &str) -> Result<serde_json::Map<String, serde_json::Value>, Error> {
        let value: serde_json::Value =
            serde_saphyr::from_str(text).map_err(|e| Error::from_yaml(&self.label(), &e))?;
        match value {
            serde_json::Value::Object(map) => Ok(map),
            _ => Err(self.err(
                "not an environment file: expected a mapping at the top level",
                None,
            )),
        }
    }

    fn string_list(
        &self,
        map: &serde_json::Map<String, serde_json::Value>,
        key: &str,
    ) -> Result<Vec<String>, Error> {
        match map.get(key) {
            None => Ok(Vec::new()),
            Some(serde_json::Value::Array(items)) => items
                .iter()
                .map(|v| match v {
                    serde_json::Value::String(s) => Ok(s.clone()),
                    other => Err(self.err(
                        format!("`{key}` entries must be strings, found `{other}`"),
                        Some(&format!("{key}:")),
                    )),
                })
                .collect(),
            Some(other) => Err(self.err(
                format!("`{key}` must be a list, found `{other}`"),
                Some(&format!("{key}:")),
            )),
        }
    }

    /// conda-lock's `parse_platforms_from_env_file`: the `platforms:` key, unfiltered.
    pub fn platforms(&self) -> Result<Vec<String>, Error> {
        let map = self.yaml(&self.text)?;
        self.string_list(&map, "platforms")
    }

    /// conda-lock's `parse_environment_file` for the given platforms.
    pub(crate) fn lock_spec(
        &self,
        platforms: &[String],
        cwd: &Path,
        environ: &[(String, String)],
    ) -> Result<SourceSpec, Error> {
        let map = self.yaml(&self.text)?;
        let mut channels = self.string_list(&map, "channels")?;
        if let Some(i) = channels.iter().position(|c| c == "nodefaults") {
            channels.remove(i);
        }
        if channels.iter().any(|c| c == "nodefaults") {
            return Err(self.err(
                "nodefaults channel is not allowed (conda-lock removes only one `nodefaults`)",
                Some("nodefaults"),
            ));
        }
        let pip_repositories = self.string_list(&map, "pip-repositories")?;
        let category = match map.get("category") {
            None | Some(serde_json::Value::Null) => "main".to_string(),
            Some(serde_json::Value::String(s)) if s.is_empty() => "main".to_string(),
            Some(serde_json::Value::String(s)) => s.clone(),
            Some(other) => {
                return Err(self.err(
                    format!("`category` must be a string, found `{other}`"),
                    Some("category:"),
                ));
            }
        };
        let mut dependencies = BTreeMap::new();
        for platform in platforms {
            dependencies.insert(
                platform.clone(),
                self.dependencies_for(platform, &category, cwd)?,
            );
        }
        Ok(SourceSpec {
            channels: channels
                .iter()
                .map(|c| Channel::from_string(c, environ))
                .collect(),
            pip_repositories,
            dependencies,
        })
    }

    /// conda-lock's `_parse_environment_file_for_platform`.
    fn dependencies_for(
        &self,
        platform: &str,
        category: &str,
        cwd: &Path,
    ) -> Result<Vec<Dependency>, Error> {
        let filtered = filter_selectors(&self.text, platform).map_err(|e| {
            let at = match &e {
                crate::SpecError::Selector { selector, .. } => Some(format!("[{selector}]")),
                _ => None,
            };
            self.err(e, at.as_deref())
        })?;
        let map = self.yaml(&filtered)?;
        let specs = match map.get("dependencies") {
            Some(serde_json::Value::Array(items)) => items,
            Some(other) => {
                return Err(self.err(
                    format!("`dependencies` must be a list (for {platform}), found `{other}`"),
                    Some("dependencies:"),
                ));
            }
            None => return Err(self.err("no `dependencies:` list", None)),
        };
        let mut out = Vec::new();
        let mut mappings = Vec::new();
        for item in specs {
            match item {
                serde_json::Value::String(spec) => {
                    let parsed =
                        parse_conda_spec(spec, cwd).map_err(|e| self.err(e, Some(spec)))?;
                    out.push(Dependency::versioned(
                        &parsed.name,
                        Manager::Conda,
                        category,
                        &parsed.version,
                        parsed.build,
                        parsed.channel,
                    ));
                }
                serde_json::Value::Object(m) => mappings.push(m),
                other => {
                    return Err(self.err(
                        format!(
                            "dependency `{other}` is neither a match spec nor a `pip:` mapping"
                        ),
                        Some(&other.to_string()),
                    ));
                }
            }
        }
        for mapping in mappings {
            let pip = match mapping.get("pip") {
                None | Some(serde_json::Value::Null) => continue,
                Some(serde_json::Value::Array(items)) => items,
                Some(other) => {
                    return Err(self.err(
                        format!("`pip:` must be a list, found `{other}`"),
                        Some("pip:"),
                    ));
                }
            };
            for spec in pip {
                let serde_json::Value::String(spec) = spec else {
                    return Err(self.err(
                        format!("pip requirement `{spec}` is not a string"),
                        Some("pip:"),
                    ));
                };
                if spec.starts_with("-e ") && !spec.contains('\n') {
                    // conda-lock skips editable installs (with a warning).
                    continue;
                }
                let dep = parse_pip_requirement(spec, category, cwd)
                    .map_err(|e| self.err(e, Some(spec)))?;
                let keep = match &dep.markers {
                    None => true,
                    Some(m) => evaluate_marker(m, platform).map_err(|e| self.err(e, Some(spec)))?,
                };
                if keep {
                    out.push(dep);
                }
            }
            // "ensure pip is in target env"
            out.push(Dependency::versioned(
                "pip",
                Manager::Conda,
                "main",
                "*",
                None,
                None,
            ));
        }
        Ok(out)
    }
}

/// What one environment file contributes to the lock specification.
pub(crate) struct SourceSpec {
    pub(crate) channels: Vec<Channel>,
    pub(crate) pip_repositories: Vec<String>,
    pub(crate) dependencies: BTreeMap<String, Vec<Dependency>>,
}
