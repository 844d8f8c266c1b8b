//! How pyve ends, as one type: every face returns an [`ExitStatus`] and the binary maps
//! it to the process's exit code in one place (docs/exit-codes.md).

/// What a command ended with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExitStatus {
    /// 0.
    Ok,
    /// 1: a task failed, doctor found a failure, a lock is stale.
    Failure,
    /// 2: usage, an invalid config or spec, a policy refused.
    Usage,
    /// 3: a required tool or env is missing.
    Missing,
    /// 4: a download or bootstrap failed.
    Download,
    /// 126: `run`'s command exists and cannot be executed.
    CannotExecute,
    /// 127: `run`'s command was not found.
    CommandNotFound,
    /// 130: interrupted.
    Interrupted,
    /// 70: a bug in pyve (an internal invariant broke), not the user's doing.
    Bug,
    /// What a child ended with, passed on (the TUI after a signal: 128 + N).
    Code(i32),
}

impl ExitStatus {
    pub fn code(self) -> i32 {
        match self {
            ExitStatus::Ok => 0,
            ExitStatus::Failure => 1,
            ExitStatus::Usage => 2,
            ExitStatus::Missing => 3,
            ExitStatus::Download => 4,
            ExitStatus::Bug => 70,
            ExitStatus::CannotExecute => 126,
            ExitStatus::CommandNotFound => 127,
            ExitStatus::Interrupted => 130,
            ExitStatus::Code(c) => c,
        }
    }

    /// `Ok` when `ok`, else `Failure`.
    pub fn ok_if(ok: bool) -> ExitStatus {
        if ok {
            ExitStatus::Ok
        } else {
            ExitStatus::Failure
        }
    }
}
