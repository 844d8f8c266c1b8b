//! The state file (`.pyve/state/NAME.json`) and what it says about an env.
//!
//! The file is written last, after every step of a create succeeded; a marker file
//! (`NAME.creating`) is written first and removed after it. So a create that was killed
//! half-way leaves the marker behind, and the env reads as incomplete, never as ready.
//! Judging an env needs no subprocess: a JSON read, a few stats and file hashes.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::BackendKind;
use super::project::Project;
use crate::sys::fs::sha256_file;

pub const SCHEMA: u32 = 1;

/// What the state file records about a complete env.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnvRecord {
    pub schema: u32,
    pub backend: BackendKind,
    pub env_name: String,
    /// Absolute path of the env (venv dir or micromamba prefix).
    pub prefix: PathBuf,
    /// Hash over `inputs`: equal fingerprints mean an unchanged spec.
    pub fingerprint: String,
    /// Each input of the env (spec files, python request) → its hash or value.
    pub inputs: BTreeMap<String, String>,
    /// The tool that built it (the base python, or micromamba).
    pub tool: ToolRecord,
    pub python: PythonRecord,
    pub activation: Activation,
    pub created_at: u64,
    pub pyve_version: String,
    /// The token that proves pyve built this env on this machine (engine::ownership);
    /// empty in records written before pyve recorded one.
    #[serde(default)]
    pub owner: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ToolRecord {
    pub kind: String,
    pub path: PathBuf,
    pub version: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PythonRecord {
    pub path: PathBuf,
    pub version: String,
}

/// The environment change that activating the env makes, so `run` can apply it
/// without a shell: directories put first on PATH, variables set.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Activation {
    pub path_prepend: Vec<PathBuf>,
    pub set: BTreeMap<String, String>,
    /// The activation could not be captured at create time: `run` goes through
    /// `micromamba run` instead of applying this delta.
    #[serde(default)]
    pub fallback: bool,
}

/// One input of an env that differs from what the env was built from: a spec file
/// (`file:requirements.txt`) or a value (`python`, `channels`, `env_file`), with its
/// recorded and current value (a file's hash, or `absent`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Change {
    pub input: String,
    pub was: Option<String>,
    pub now: Option<String>,
}

impl Change {
    /// The spec file that changed, if the input is one.
    pub fn file(&self) -> Option<&str> {
        self.input.strip_prefix("file:")
    }

    /// The included file (`-r`/`-c` in a spec file) that changed, if the input is one.
    pub fn included(&self) -> Option<&str> {
        self.input.strip_prefix("include:")
    }

    /// The python request changed: a venv is rebuilt, not updated.
    pub fn is_python(&self) -> bool {
        self.input == "python"
    }
}

impl std::fmt::Display for Change {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (was, now) = (self.was.as_deref(), self.now.as_deref());
        if let Some(name) = self.included() {
            return match (was, now) {
                (_, None) => write!(f, "{name} is no longer included"),
                (_, Some("absent")) => write!(f, "{name} (included) was removed"),
                (Some("absent") | None, _) => write!(f, "{name} (included) was added"),
                _ => write!(f, "{name} (included) changed"),
            };
        }
        match (self.file(), now) {
            (Some(name), None) => write!(f, "{name} is no longer an input"),
            (Some(name), Some(now)) => match (was, now) {
                (Some("absent") | None, _) => write!(f, "{name} was added"),
                (_, "absent") => write!(f, "{name} was removed"),
                _ => write!(f, "{name} changed"),
            },
            (None, None) => write!(f, "{} is no longer an input", self.input),
            (None, Some(now)) => write!(
                f,
                "{} changed ({} → {now})",
                self.input,
                was.unwrap_or("none")
            ),
        }
    }
}

/// "requirements.txt changed, python changed (3.11 → 3.12)".
pub fn describe_changes(changed: &[Change]) -> String {
    changed
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

/// What pyve knows about an env, from cheapest evidence.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EnvState {
    /// Nothing there.
    Missing,
    /// A create started and did not finish, or a directory pyve has no record of.
    Incomplete {
        reason: String,
        foreign: bool,
    },
    /// A venv someone else made (uv, poetry, `python -m venv`), with no record or
    /// marker of pyve's: `run` uses it as it is, `init --adopt` may take it over, and
    /// nothing builds over it.
    Unmanaged {
        venv: super::venv::ForeignVenv,
        reason: String,
    },
    /// Built, but its inputs changed since.
    Stale {
        record: Box<EnvRecord>,
        changed: Vec<Change>,
    },
    Ready {
        record: Box<EnvRecord>,
    },
}

impl EnvState {
    pub fn name(&self) -> &'static str {
        match self {
            EnvState::Missing => "missing",
            EnvState::Incomplete { .. } => "incomplete",
            EnvState::Unmanaged { .. } => "unmanaged",
            EnvState::Stale { .. } => "stale",
            EnvState::Ready { .. } => "ready",
        }
    }

    pub fn record(&self) -> Option<&EnvRecord> {
        match self {
            EnvState::Stale { record, .. } | EnvState::Ready { record } => Some(record),
            _ => None,
        }
    }
}

/// The inputs of an env, computed now, to compare with a record.
pub fn fingerprint(inputs: &BTreeMap<String, String>) -> String {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    for (k, v) in inputs {
        h.update(k.as_bytes());
        h.update([0]);
        h.update(v.as_bytes());
        h.update([0]);
    }
    crate::sys::fs::hex(&h.finalize())
}

/// `file:NAME` → sha256 of the file, or `absent`.
pub fn file_input(root: &Path, name: &str) -> (String, String) {
    let value = sha256_file(&root.join(name)).unwrap_or_else(|_| "absent".to_string());
    (format!("file:{name}"), value)
}

/// `include:NAME` → sha256 of a file a spec file includes (`-r`/`-c`), or `absent`.
pub fn include_input(root: &Path, name: &str) -> (String, String) {
    let value = sha256_file(&root.join(name)).unwrap_or_else(|_| "absent".to_string());
    (format!("include:{name}"), value)
}

/// The included files an env was built with.
pub fn recorded_includes(record: &EnvRecord) -> impl Iterator<Item = &str> {
    record
        .inputs
        .keys()
        .filter_map(|k| k.strip_prefix("include:"))
}

/// Why a state file could not be read.
#[derive(Debug, thiserror::Error)]
pub enum StateError {
    #[error("{0}")]
    Read(#[from] crate::sys::fs::ReadError),
    #[error("{0}")]
    Parse(#[from] serde_json::Error),
}

impl StateError {
    /// What is wrong, without the file's path (the caller names the file).
    pub fn reason(&self) -> String {
        match self {
            StateError::Read(e) => e.reason(),
            StateError::Parse(e) => e.to_string(),
        }
    }
}

/// A state file is a few kilobytes; anything much larger was not written by pyve.
const STATE_CAP: u64 = 1024 * 1024;

/// The record in `path`; `None` when there is none. Read only when it is a regular
/// file of a sane size.
pub fn read_record(path: &Path) -> Option<Result<EnvRecord, StateError>> {
    let bytes = match crate::sys::fs::read_bounded(path, STATE_CAP) {
        Ok(b) => b,
        Err(e) if e.is_not_found() => return None,
        Err(e) => return Some(Err(e.into())),
    };
    Some(serde_json::from_slice(&bytes).map_err(StateError::from))
}

/// The ownership token in the build marker of `key`, if there is a marker with one.
pub fn marker_token(project: &Project, key: &str) -> Option<String> {
    let bytes = crate::sys::fs::read_bounded(&project.marker_path(key), 4096).ok()?;
    let text = String::from_utf8_lossy(&bytes);
    text.lines()
        .find_map(|l| l.strip_prefix("token "))
        .map(|t| t.trim().to_string())
}

/// Judges the env `key` (its state file name) at `prefix` against its inputs as they
/// are now; `inputs` sees the record (when there is one) because what counts as an
/// input can depend on how the env was built (an editable install adds pyproject.toml).
///
/// Only what pyve built on this machine counts as pyve's (engine::ownership): a marker
/// or a record whose token `pyve_home` does not vouch for is a stranger's, and the env
/// at `prefix`, if there is one, is `Incomplete { foreign: true }`.
pub fn evaluate(
    project: &Project,
    pyve_home: &Path,
    key: &str,
    backend: BackendKind,
    prefix: &Path,
    inputs: impl FnOnce(Option<&EnvRecord>) -> BTreeMap<String, String>,
) -> EnvState {
    let prefix_exists = prefix.symlink_metadata().is_ok();
    let shown = project.display(prefix).into_owned();
    if project.marker_path(key).symlink_metadata().is_ok() {
        let token = marker_token(project, key);
        if super::ownership::proven(pyve_home, prefix, token.as_deref()) {
            return EnvState::Incomplete {
                reason: "a previous `pyve init` did not finish building it".into(),
                foreign: false,
            };
        }
        if prefix_exists {
            return EnvState::Incomplete {
                reason: format!(
                    "{shown} has a build marker that pyve did not write on this machine"
                ),
                foreign: true,
            };
        }
    }
    let record = match read_record(&project.state_path(key)) {
        None if backend == BackendKind::Venv
            && let Some(venv) = super::venv::foreign_venv(prefix) =>
        {
            return EnvState::Unmanaged {
                reason: format!("{shown} was made by {}, not by pyve", venv.made_by),
                venv,
            };
        }
        None if prefix_exists => {
            return EnvState::Incomplete {
                reason: format!(
                    "{} exists but pyve did not build it (no {})",
                    project.display(prefix),
                    project.display(&project.state_path(key))
                ),
                foreign: true,
            };
        }
        None => return EnvState::Missing,
        Some(Err(e)) => {
            return EnvState::Incomplete {
                reason: format!(
                    "its state file {} is unreadable ({})",
                    project.display(&project.state_path(key)),
                    e.reason()
                ),
                foreign: false,
            };
        }
        Some(Ok(r)) => r,
    };
    if !prefix_exists {
        return EnvState::Missing;
    }
    if !super::ownership::proven(pyve_home, prefix, Some(&record.owner)) {
        return EnvState::Incomplete {
            reason: format!(
                "{shown} exists but pyve did not build it on this machine (its state record carries no proof pyve wrote it here)"
            ),
            foreign: true,
        };
    }
    if record.schema != SCHEMA || record.backend != backend || record.prefix != prefix {
        return EnvState::Incomplete {
            reason: format!(
                "its state file describes a different env ({} at {})",
                record.backend,
                record.prefix.display()
            ),
            foreign: false,
        };
    }
    let intact = match backend {
        BackendKind::Venv => record.python.path.exists(),
        BackendKind::Micromamba => prefix.join("conda-meta").join("history").is_file(),
    };
    if !intact {
        return EnvState::Incomplete {
            reason: match backend {
                BackendKind::Venv => {
                    format!("its python ({}) is gone", record.python.path.display())
                }
                BackendKind::Micromamba => "its conda-meta/history is gone".to_string(),
            },
            foreign: false,
        };
    }
    let inputs = inputs(Some(&record));
    if record.fingerprint == fingerprint(&inputs) {
        return EnvState::Ready {
            record: Box::new(record),
        };
    }
    EnvState::Stale {
        changed: changes(&record.inputs, &inputs),
        record: Box::new(record),
    }
}

/// Each input that differs between the record (`was`) and now: changed, added, gone.
fn changes(was: &BTreeMap<String, String>, now: &BTreeMap<String, String>) -> Vec<Change> {
    let mut changed = Vec::new();
    for (k, v) in now {
        if was.get(k) != Some(v) {
            changed.push(Change {
                input: k.clone(),
                was: was.get(k).cloned(),
                now: Some(v.clone()),
            });
        }
    }
    for (k, v) in was {
        if !now.contains_key(k) {
            changed.push(Change {
                input: k.clone(),
                was: Some(v.clone()),
                now: None,
            });
        }
    }
    changed
}

/// Writes the record: the last step of a successful create or update.
pub fn write_record(project: &Project, key: &str, record: &EnvRecord) -> std::io::Result<()> {
    let mut json = serde_json::to_vec_pretty(record).map_err(std::io::Error::other)?;
    json.push(b'\n');
    let tree = project.tree()?;
    tree.write(&project.state_path(key), &json)?;
    tree.remove_file(&project.marker_path(key))
}

/// Marks the start of a create: until [`write_record`] runs, the env is incomplete.
/// `token` is the build's proof of ownership (engine::ownership::claim).
pub fn begin(project: &Project, key: &str, token: &str) -> std::io::Result<()> {
    let tree = project.tree()?;
    tree.remove_file(&project.state_path(key))?;
    tree.write(
        &project.marker_path(key),
        format!("pid {}\ntoken {token}\n", std::process::id()).as_bytes(),
    )
}

pub fn now_secs() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn change(input: &str, was: Option<&str>, now: Option<&str>) -> Change {
        Change {
            input: input.into(),
            was: was.map(str::to_string),
            now: now.map(str::to_string),
        }
    }

    #[test]
    fn changes_say_what_changed() {
        let c = [
            change("file:requirements.txt", Some("aa"), Some("bb")),
            change("file:base.txt", Some("absent"), Some("cc")),
            change("file:extra.txt", Some("dd"), Some("absent")),
            change("file:old.txt", Some("ee"), None),
            change("python", Some("3.11"), Some("3.12")),
            change("include:reqs/base.txt", Some("aa"), Some("bb")),
        ];
        assert_eq!(
            describe_changes(&c),
            "requirements.txt changed, base.txt was added, extra.txt was removed, old.txt is no longer an input, python changed (3.11 → 3.12), reqs/base.txt (included) changed"
        );
        assert_eq!(c[5].included(), Some("reqs/base.txt"));
        assert_eq!(c[5].file(), None);
        assert!(c[4].is_python() && !c[0].is_python());
        assert_eq!(c[0].file(), Some("requirements.txt"));
        assert_eq!(c[4].file(), None);
    }
}
