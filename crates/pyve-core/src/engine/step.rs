//! A step of long work, as data: the process to run, where and with what environment.
//! The engine plans steps; the task queue runs them and reports what they print.

use std::ffi::OsString;
use std::path::PathBuf;

/// One process to run: what the engine hands to the queue.
#[derive(Clone, Debug)]
pub struct Step {
    /// What the step does, in the user's words ("create .venv with python 3.11.7").
    pub label: String,
    pub program: PathBuf,
    pub args: Vec<OsString>,
    pub cwd: PathBuf,
    /// Variables to set; `env_remove` are removed first.
    pub env: Vec<(OsString, OsString)>,
    pub env_remove: Vec<OsString>,
    /// Start from an empty environment (then `env`): what `pyve run` gives a command.
    pub env_clear: bool,
    /// The child's argv[0] when it differs from `program` (`python` for `.venv/bin/python`).
    pub argv0: Option<OsString>,
    /// The step may need the terminal (a package manager asking for a password): a face
    /// that has one attaches it instead of capturing the output.
    pub interactive: bool,
}

impl Step {
    pub fn command_line(&self) -> String {
        std::iter::once(self.program.to_string_lossy().into_owned())
            .chain(self.args.iter().map(|a| {
                let s = a.to_string_lossy();
                if s.is_empty() || s.contains(char::is_whitespace) {
                    format!("'{s}'")
                } else {
                    s.into_owned()
                }
            }))
            .collect::<Vec<_>>()
            .join(" ")
    }
}
