//! The errors a user can hit, each with enough context to act on, and the exit code
//! that docs/exit-codes.md gives it.

use super::ExitStatus;
use super::config::ConfigError;
use super::resolve::PythonNotFound;
use crate::sys::fs::LockError;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// `.pyve/config` (or another input file) is invalid: exit 2.
    #[error(transparent)]
    Config(#[from] ConfigError),

    /// A number read from the environment is not one (`PYVE_LOCK_TIMEOUT=abc`): exit 2.
    #[error(transparent)]
    EnvVar(#[from] crate::sys::envvar::EnvVarError),

    /// An env name that cannot be used (`--env base`): exit 2.
    #[error(transparent)]
    EnvName(#[from] super::envname::EnvNameError),

    /// The command line or the request makes no sense: exit 2.
    #[error("{0}")]
    Usage(String),

    /// A policy refused the request (pip into a conda env, base env, …): exit 2.
    #[error("{0}")]
    Refused(String),

    /// The python a venv needs is missing: exit 3.
    #[error(transparent)]
    PythonNotFound(Box<PythonNotFound>),

    /// A required tool or environment is missing: exit 3.
    #[error("{0}")]
    Missing(String),

    /// `pyve run --frozen` (or `PYVE_FROZEN=1`) and the env is missing or not in step
    /// with its spec: nothing was changed, exit 3.
    #[error("{0}")]
    OutOfStep(String),

    /// Another pyve command held `.pyve/lock` for too long: exit 1.
    #[error("{0}")]
    Lock(#[from] LockError),

    /// A file operation failed.
    #[error("{context}: {source}")]
    Io {
        context: String,
        #[source]
        source: std::io::Error,
    },

    /// A task (venv creation, pip install, micromamba create) failed: exit 1.
    #[error("{0}")]
    TaskFailed(String),

    /// A download or bootstrap failed: exit 4.
    #[error("{0}")]
    Download(String),

    /// The user pressed Ctrl-C, or a task was cancelled: exit 130.
    #[error("interrupted{}", .0.as_ref().map(|s| format!(": {s}")).unwrap_or_default())]
    Interrupted(Option<String>),

    /// micromamba is needed and missing, and nobody chose how to get it: exit 3. Each
    /// face says what gets it (the CLI the commands to rerun, the TUI its wizard).
    #[error("Backend 'micromamba' required but not found")]
    MicromambaMissing(Box<MicromambaMissing>),

    /// A step of an init failed (`why`) or was cancelled (`None`): the env is left
    /// incomplete, and the next init rebuilds it. Exit 1, or 130 when cancelled.
    #[error("{}{env} is left incomplete", .why.as_ref().map(|w| format!("{w}\n")).unwrap_or_default())]
    Incomplete { env: String, why: Option<String> },

    /// An invariant of pyve itself broke: a bug to report, not the user's doing (exit 70).
    #[error("pyve bug: {0} (please report it, with the command that led here)")]
    Bug(String),

    /// A directory pyve would have to delete or build over is not provably pyve's on
    /// this machine (engine::ownership): refused, whatever the flags (exit 2).
    #[error(
        "{}; pyve will not delete or build over what it did not make here. Remove it yourself if you no longer need it (its contents are lost), or set {} in .pyve/config to use another directory",
        .0.reason, .0.key
    )]
    NotOwned(Box<NotOwned>),

    /// `pyve run`'s command could not be found: exit 127.
    #[error("{0}")]
    CommandNotFound(String),
}

impl From<Box<PythonNotFound>> for Error {
    fn from(e: Box<PythonNotFound>) -> Error {
        Error::PythonNotFound(e)
    }
}

impl Error {
    /// The exit status this error ends pyve with (docs/exit-codes.md).
    pub fn exit_status(&self) -> ExitStatus {
        match self {
            Error::Config(_)
            | Error::EnvVar(_)
            | Error::EnvName(_)
            | Error::Usage(_)
            | Error::NotOwned(_)
            | Error::Refused(_) => ExitStatus::Usage,
            Error::PythonNotFound(_)
            | Error::Missing(_)
            | Error::OutOfStep(_)
            | Error::MicromambaMissing(_) => ExitStatus::Missing,
            Error::Download(_) => ExitStatus::Download,
            Error::Interrupted(_) | Error::Incomplete { why: None, .. } => ExitStatus::Interrupted,
            Error::CommandNotFound(_) => ExitStatus::CommandNotFound,
            Error::Bug(_) => ExitStatus::Bug,
            Error::Lock(_) | Error::Io { .. } | Error::TaskFailed(_) | Error::Incomplete { .. } => {
                ExitStatus::Failure
            }
        }
    }

    pub fn io(context: impl Into<String>, source: std::io::Error) -> Error {
        Error::Io {
            context: context.into(),
            source,
        }
    }

    pub fn io_at(action: &str, path: &std::path::Path, source: std::io::Error) -> Error {
        Error::io(format!("cannot {action} {}", path.display()), source)
    }
}

/// What pyve will not touch, and the config key that points elsewhere.
#[derive(Debug)]
pub struct NotOwned {
    pub reason: String,
    pub path: std::path::PathBuf,
    pub key: &'static str,
}

impl NotOwned {
    /// What fixes it: pointing the config elsewhere (removing it is the user's call).
    pub fn fix(&self) -> super::fix::Fix {
        super::fix::Fix::edit(".pyve/config", Some(self.key))
    }
}

/// What `init` needed micromamba for, where it looked, and what could get it.
#[derive(Debug)]
pub struct MicromambaMissing {
    pub detection: super::detect::Detection,
    pub tried: Vec<super::resolve::Tried>,
    pub system: super::bootstrap::SystemInstall,
    pub project_target: std::path::PathBuf,
    pub user_target: std::path::PathBuf,
}

/// Shorthand used across the engine.
pub type Result<T, E = Error> = std::result::Result<T, E>;
