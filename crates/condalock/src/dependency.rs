//! conda-lock's `Dependency` union (`conda_lock/models/lock_spec.py`) and its pydantic
//! `model_dump()`, which is what the content hash is made of.

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::json::Json;

/// Which installer a dependency (or a locked package) is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Manager {
    Conda,
    Pip,
}

impl Manager {
    pub fn as_str(self) -> &'static str {
        match self {
            Manager::Conda => "conda",
            Manager::Pip => "pip",
        }
    }
}

/// conda-lock's `Dependency` union (`conda_lock/models/lock_spec.py`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Dependency {
    pub name: String,
    pub manager: Manager,
    pub category: String,
    /// Sorted, as conda-lock's validator sorts them.
    pub extras: Vec<String>,
    pub markers: Option<String>,
    pub kind: DependencyKind,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DependencyKind {
    /// `VersionedDependency`
    Versioned {
        version: String,
        build: Option<String>,
        conda_channel: Option<String>,
        hash: Option<String>,
    },
    /// `URLDependency`
    Url { url: String, hashes: Vec<String> },
    /// `VCSDependency`
    Vcs {
        source: String,
        vcs: String,
        rev: Option<String>,
        subdirectory: Option<String>,
    },
    /// `PathDependency`
    Path {
        path: String,
        is_directory: bool,
        subdirectory: Option<String>,
    },
}

impl Dependency {
    /// pydantic's `model_dump()` of the dependency, as JSON.
    pub fn model_dump(&self) -> serde_json::Value {
        self.to_json().to_value()
    }

    /// pydantic's `model_dump()` of the dependency.
    pub(crate) fn to_json(&self) -> Json {
        let mut m = BTreeMap::new();
        m.insert("name".to_string(), Json::str(&self.name));
        m.insert("manager".to_string(), Json::str(self.manager.as_str()));
        m.insert("category".to_string(), Json::str(&self.category));
        m.insert(
            "extras".to_string(),
            Json::List(self.extras.iter().map(Json::str).collect()),
        );
        m.insert("markers".to_string(), Json::opt(&self.markers));
        match &self.kind {
            DependencyKind::Versioned {
                version,
                build,
                conda_channel,
                hash,
            } => {
                m.insert("version".to_string(), Json::str(version));
                m.insert("build".to_string(), Json::opt(build));
                m.insert("conda_channel".to_string(), Json::opt(conda_channel));
                m.insert("hash".to_string(), Json::opt(hash));
            }
            DependencyKind::Url { url, hashes } => {
                m.insert("url".to_string(), Json::str(url));
                m.insert(
                    "hashes".to_string(),
                    Json::List(hashes.iter().map(Json::str).collect()),
                );
            }
            DependencyKind::Vcs {
                source,
                vcs,
                rev,
                subdirectory,
            } => {
                m.insert("source".to_string(), Json::str(source));
                m.insert("vcs".to_string(), Json::str(vcs));
                m.insert("rev".to_string(), Json::opt(rev));
                m.insert("subdirectory".to_string(), Json::opt(subdirectory));
            }
            DependencyKind::Path {
                path,
                is_directory,
                subdirectory,
            } => {
                m.insert("path".to_string(), Json::str(path));
                m.insert("is_directory".to_string(), Json::Bool(*is_directory));
                m.insert("subdirectory".to_string(), Json::opt(subdirectory));
            }
        }
        Json::Obj(m)
    }

    pub(crate) fn versioned(
        name: &str,
        manager: Manager,
        category: &str,
        version: &str,
        build: Option<String>,
        conda_channel: Option<String>,
    ) -> Dependency {
        Dependency {
            name: name.to_string(),
            manager,
            category: category.to_string(),
            extras: Vec::new(),
            markers: None,
            kind: DependencyKind::Versioned {
                version: version.to_string(),
                build,
                conda_channel,
                hash: None,
            },
        }
    }
}
