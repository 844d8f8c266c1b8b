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
    /// The step as a shell would need it typed: words with spaces or shell
    /// metacharacters (`requests>=2.31`, `$HOME`) single-quoted.
    pub fn command_line(&self) -> String {
        std::iter::once(self.program.as_os_str())
            .chain(self.args.iter().map(|a| a.as_os_str()))
            .map(|a| shell_word(&a.to_string_lossy()))
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// `word` quoted for a POSIX shell when it needs it.
pub fn shell_word(word: &str) -> String {
    let plain = |c: char| c.is_ascii_alphanumeric() || "-_./=:,+@%".contains(c);
    if !word.is_empty() && word.chars().all(plain) {
        word.to_string()
    } else {
        format!("'{}'", word.replace('\'', r"'\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::shell_word;

    #[test]
    fn words_are_quoted_as_a_shell_needs() {
        assert_eq!(shell_word("-m"), "-m");
        assert_eq!(shell_word("/p/.venv/bin/python"), "/p/.venv/bin/python");
        assert_eq!(shell_word("requests>=2.31"), "'requests>=2.31'");
        assert_eq!(shell_word("a b"), "'a b'");
        assert_eq!(shell_word(""), "''");
        assert_eq!(shell_word("it's"), r"'it'\''s'");
    }
}
