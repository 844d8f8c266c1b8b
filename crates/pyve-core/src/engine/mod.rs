//! The decisions and the work. Nothing in here prints or touches a terminal: every
//! function returns data (a [`detect::Detection`], a [`resolve::PythonResolution`], an
//! [`state::EnvState`], …) that the CLI and the TUI render.

pub mod adopt;
pub mod bootstrap;
pub mod channels;
pub mod ci;
pub mod config;
pub mod context;
pub mod detect;
pub mod doctor;
pub mod dotenv;
pub mod dotfiles;
pub mod envname;
pub mod envs;
pub mod error;
pub mod exit;
pub mod find_python;
pub mod fix;
pub mod gitignore;
pub mod includes;
pub mod init;
pub mod install_hint;
pub mod inventory;
pub mod lock;
pub mod lockdiff;
pub mod micromamba;
pub mod migrate;
pub mod ownership;
pub mod pin;
pub mod policy;
pub mod probe;
pub mod project;
pub mod purge;
pub mod pyinstall;
pub mod pyversion;
pub mod pyvetoml;
pub mod resolve;
pub mod run;
pub mod shellcode;
pub mod spec;
pub mod state;
pub mod status;
pub mod step;
pub mod trust;
pub mod venv;
pub mod venv_spec;

pub use error::{Error, Result};
pub use exit::ExitStatus;

/// The two backends pyve knows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum BackendKind {
    Venv,
    Micromamba,
}

impl BackendKind {
    pub fn as_str(self) -> &'static str {
        match self {
            BackendKind::Venv => "venv",
            BackendKind::Micromamba => "micromamba",
        }
    }
}

impl std::fmt::Display for BackendKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}
