//! What fixes a problem, as data. The engine says *what* to do; each face says it in
//! its own words: the CLI as a command line ([`Fix::command_line`]), the TUI as a key
//! and a wizard step. Nothing downstream reads a fix out of a sentence.

use std::path::PathBuf;

use serde::Serialize;

use super::BackendKind;

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Fix {
    /// `pyve init` with these options.
    Init(InitFix),
    /// The backend is ambiguous: `pyve init --backend micromamba` or `--backend venv`.
    ChooseBackend,
    /// Install micromamba: `pyve bootstrap`.
    Bootstrap,
    /// Install pyve's own micromamba in the user sandbox: `pyve bootstrap --to user`
    /// (when the system package manager's install failed).
    BootstrapUser,
    /// Apply doctor's whole plan without asking: `pyve doctor --fix --yes`.
    FixAll,
    /// Remove what pyve made: `pyve purge`.
    Purge,
    /// Re-lock the env file with conda-lock, then build from the lock: `pyve lock`.
    Lock,
    /// An edit to make by hand in `file` (a config `key` when there is one).
    Edit {
        file: PathBuf,
        #[serde(skip_serializing_if = "Option::is_none")]
        line: Option<usize>,
        #[serde(skip_serializing_if = "Option::is_none")]
        key: Option<String>,
    },
    /// A command for a shell, not for pyve (`pyenv install 3.11`, `conda-lock lock …`).
    Shell { command: String },
}

/// The options of a `pyve init` that fixes something.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct InitFix {
    /// `--env NAME`: the named env the fix is for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub env: Option<String>,
    /// `--force`: rebuild (or replace a venv pyve did not make).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub force: bool,
    /// `--backend B`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub backend: Option<BackendKind>,
    /// `--env NAME`, when the fix is to choose one.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub choose_env_name: bool,
    /// `--adopt`: take over a venv pyve did not make, when it fits the spec.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub adopt: bool,
}

impl Fix {
    /// `pyve init`.
    pub fn init() -> Fix {
        Fix::Init(InitFix::default())
    }

    /// `pyve init --adopt`.
    pub fn adopt() -> Fix {
        Fix::Init(InitFix {
            adopt: true,
            ..InitFix::default()
        })
    }

    /// `pyve init --force`.
    pub fn rebuild() -> Fix {
        Fix::Init(InitFix {
            force: true,
            ..InitFix::default()
        })
    }

    pub fn shell(command: impl Into<String>) -> Fix {
        Fix::Shell {
            command: command.into(),
        }
    }

    pub fn edit(file: impl Into<PathBuf>, key: Option<&str>) -> Fix {
        Fix::Edit {
            file: file.into(),
            line: None,
            key: key.map(str::to_string),
        }
    }

    /// The command a user types, when the fix is one: `pyve init --force`,
    /// `pyenv install 3.11`. `None` for an edit by hand.
    pub fn command_line(&self) -> Option<String> {
        match self {
            Fix::Init(i) => {
                let mut s = String::from("pyve init");
                if let Some(e) = &i.env {
                    s.push_str(&format!(" --env {e}"));
                }
                if let Some(b) = i.backend {
                    s.push_str(&format!(" --backend {b}"));
                }
                if i.choose_env_name {
                    s.push_str(" --env-name NAME");
                }
                if i.force {
                    s.push_str(" --force");
                }
                if i.adopt {
                    s.push_str(" --adopt");
                }
                Some(s)
            }
            Fix::ChooseBackend => Some("pyve init --backend micromamba".into()),
            Fix::Bootstrap => Some("pyve bootstrap".into()),
            Fix::BootstrapUser => Some("pyve bootstrap --to user".into()),
            Fix::FixAll => Some("pyve doctor --fix --yes".into()),
            Fix::Purge => Some("pyve purge".into()),
            Fix::Lock => Some("pyve lock".into()),
            Fix::Shell { command } => Some(command.clone()),
            Fix::Edit { .. } => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn command_lines() {
        assert_eq!(Fix::init().command_line().as_deref(), Some("pyve init"));
        assert_eq!(
            Fix::rebuild().command_line().as_deref(),
            Some("pyve init --force")
        );
        assert_eq!(
            Fix::adopt().command_line().as_deref(),
            Some("pyve init --adopt")
        );
        let f = Fix::Init(InitFix {
            backend: Some(BackendKind::Venv),
            ..InitFix::default()
        });
        assert_eq!(
            f.command_line().as_deref(),
            Some("pyve init --backend venv")
        );
        assert_eq!(
            Fix::shell("pyenv install 3.11").command_line().as_deref(),
            Some("pyenv install 3.11")
        );
        assert_eq!(
            Fix::edit(".pyve/config", Some("backend")).command_line(),
            None
        );
    }

    #[test]
    fn json_is_tagged() {
        let v = serde_json::to_value(Fix::rebuild()).unwrap();
        assert_eq!(v, serde_json::json!({"kind": "init", "force": true}));
        let v = serde_json::to_value(Fix::edit(".pyve/config", Some("backend"))).unwrap();
        assert_eq!(
            v,
            serde_json::json!({"kind": "edit", "file": ".pyve/config", "key": "backend"})
        );
    }
}
