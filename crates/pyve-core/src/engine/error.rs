//! The errors a user can hit, each with enough context to act on, the exit code that
//! docs/exit-codes.md gives it, and what fixes it as data ([`Error::fix`]): each face
//! says the fix its own way (the CLI a `hint:` line with the command, the TUI the key
//! of its wizard), so no message spells a face's command.

use super::ExitStatus;
use super::config::ConfigError;
use super::fix::{Fix, InitFix};
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
    #[error(
        "{}{}",
        .why.as_ref().map(|w| format!("{w}\n")).unwrap_or_else(|| "interrupted: ".into()),
        Error::left_incomplete(env)
    )]
    Incomplete { env: String, why: Option<String> },

    /// An invariant of pyve itself broke: a bug to report, not the user's doing (exit 70).
    #[error("pyve bug: {0} (please report it, with the command that led here)")]
    Bug(String),

    /// A directory pyve would have to delete or build over is not provably pyve's on
    /// this machine (engine::ownership): refused, whatever the flags (exit 2).
    #[error(
        "{}; pyve will not delete or build over what it did not make here. Remove it yourself if you no longer need it (its contents are lost), or point pyve at another directory",
        .0.reason
    )]
    NotOwned(Box<NotOwned>),

    /// `pyve run`'s command could not be found: exit 127.
    #[error("{0}")]
    CommandNotFound(String),

    /// An error whose fix its own data does not carry (a usage error whose remedy is a
    /// shell command): the error as it is, exit status and all, and the fix.
    #[error("{error}")]
    Fixable { error: Box<Error>, fix: Fix },
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
            Error::Fixable { error, .. } => error.exit_status(),
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

    /// What fixes it, as data, when something does: the init that rebuilds, the
    /// bootstrap, the config line to edit, the install command to type, …
    pub fn fix(&self) -> Option<Fix> {
        match self {
            Error::Fixable { fix, .. } => Some(fix.clone()),
            Error::Config(c) => Some(Fix::Edit {
                file: c.file.clone().into(),
                line: c.line.and_then(|l| usize::try_from(l).ok()),
                key: None,
            }),
            Error::EnvName(_) => Some(Fix::Init(InitFix {
                choose_env_name: true,
                ..InitFix::default()
            })),
            Error::PythonNotFound(p) => Some(Fix::shell(p.install_command.clone())),
            Error::MicromambaMissing(_) => Some(Fix::Bootstrap),
            Error::Incomplete { .. } | Error::OutOfStep(_) => Some(Fix::init()),
            Error::NotOwned(n) => Some(n.fix()),
            Error::EnvVar(_)
            | Error::Usage(_)
            | Error::Refused(_)
            | Error::Missing(_)
            | Error::Lock(_)
            | Error::Io { .. }
            | Error::TaskFailed(_)
            | Error::Download(_)
            | Error::Interrupted(_)
            | Error::Bug(_)
            | Error::CommandNotFound(_) => None,
        }
    }

    /// What an init that failed or was cancelled leaves behind, in words.
    pub fn left_incomplete(env: &str) -> String {
        format!("{env} is left incomplete; the next init rebuilds it")
    }

    /// This error, with what fixes it.
    pub fn with_fix(self, fix: Fix) -> Error {
        Error::Fixable {
            error: Box::new(self),
            fix,
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
    pub fn fix(&self) -> Fix {
        Fix::edit(".pyve/config", Some(self.key))
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_error_with_a_remedy_gives_it_as_data() {
        let incomplete = Error::Incomplete {
            env: ".venv".into(),
            why: Some("pip failed".into()),
        };
        assert_eq!(incomplete.fix(), Some(Fix::init()));
        assert_eq!(
            incomplete.to_string(),
            "pip failed\n.venv is left incomplete; the next init rebuilds it"
        );
        let config = Error::Config(ConfigError {
            file: ".pyve/config".into(),
            line: Some(2),
            column: Some(1),
            message: "unknown key `backnd`".into(),
            hint: None,
        });
        assert_eq!(
            config.fix(),
            Some(Fix::Edit {
                file: ".pyve/config".into(),
                line: Some(2),
                key: None
            })
        );
        let not_owned = Error::NotOwned(Box::new(NotOwned {
            reason: ".venv exists but pyve did not build it".into(),
            path: ".venv".into(),
            key: "venv.directory",
        }));
        assert_eq!(
            not_owned.fix(),
            Some(Fix::edit(".pyve/config", Some("venv.directory")))
        );
        assert!(!not_owned.to_string().contains("venv.directory"));
        // A fix added to an error keeps the error's message and exit status.
        let fixed = Error::Usage("bad".into()).with_fix(Fix::Purge);
        assert_eq!(fixed.fix(), Some(Fix::Purge));
        assert_eq!(fixed.to_string(), "bad");
        assert_eq!(fixed.exit_status(), ExitStatus::Usage);
        assert_eq!(Error::Usage("bad".into()).fix(), None);
    }
}
