//! The unified `conda-lock.yml` (`version: 1`), as conda-lock writes it, and its reader.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

use crate::dependency::Manager;
use crate::error::Error;

/// The unified conda-lock file (`version: 1`), as conda-lock writes it. Unknown keys
/// are ignored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CondaLock {
    pub version: u64,
    pub metadata: LockMetadata,
    pub package: Vec<LockedPackage>,
}

#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct LockMetadata {
    /// platform → sha256 hex of the normalised source specification.
    pub content_hash: BTreeMap<String, String>,
    pub channels: Vec<LockChannel>,
    pub platforms: Vec<String>,
    /// The environment files the lock was made from, relative to the lock file's
    /// directory (or absolute).
    pub sources: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct LockChannel {
    pub url: String,
    #[serde(default)]
    pub used_env_vars: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct LockedPackage {
    pub name: String,
    pub version: String,
    pub manager: Manager,
    pub platform: String,
    #[serde(default)]
    pub dependencies: BTreeMap<String, String>,
    pub url: String,
    pub hash: PackageHash,
    #[serde(default = "main_category")]
    pub category: String,
    #[serde(default)]
    pub optional: bool,
    #[serde(default)]
    pub build: Option<String>,
}

fn main_category() -> String {
    "main".to_string()
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
pub struct PackageHash {
    #[serde(default)]
    pub md5: Option<String>,
    #[serde(default)]
    pub sha256: Option<String>,
}

#[derive(Deserialize)]
struct RawLock {
    version: Option<serde_saphyr::Spanned<u64>>,
    metadata: LockMetadata,
    #[serde(default)]
    package: Vec<LockedPackage>,
}

/// Parses the text of a `conda-lock.yml`; `file` names it in errors.
pub fn parse_lockfile(text: &str, file: &str) -> Result<CondaLock, Error> {
    let raw: Option<RawLock> =
        serde_saphyr::from_str(text).map_err(|e| Error::from_yaml(file, &e))?;
    let raw = raw.ok_or_else(|| Error::invalid(file, "empty file: not a conda-lock file"))?;
    let version = raw.version.ok_or_else(|| {
        Error::invalid(
            file,
            "missing `version:` (conda-lock's unified format has version: 1)",
        )
    })?;
    if version.value != 1 {
        let l = version.referenced;
        return Err(Error::invalid(
            file,
            format!(
                "unsupported conda-lock file version {} (pyve reads version 1)",
                version.value
            ),
        )
        .at((l.line() > 0).then(|| (l.line(), l.column()))));
    }
    Ok(CondaLock {
        version: version.value,
        metadata: raw.metadata,
        package: raw.package,
    })
}

/// Reads and parses a `conda-lock.yml`.
pub fn read_lockfile(path: &Path) -> Result<CondaLock, Error> {
    let file = path.display().to_string();
    let text = crate::error::read_text(path).map_err(|e| Error::read(&file, &e))?;
    parse_lockfile(&text, &file)
}
