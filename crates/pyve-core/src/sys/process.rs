//! Process helpers: finding programs, replacing the current process, killing groups.

use std::ffi::{OsStr, OsString};
use std::path::{Path, PathBuf};

/// Finds `program` the way a shell would on `path` (a PATH-style string). A name that
/// contains a slash is taken as a path and not searched.
pub fn find_program(program: &OsStr, path: &OsStr) -> Option<PathBuf> {
    let p = Path::new(program);
    if p.components().count() > 1 || program.as_encoded_bytes().contains(&b'/') {
        return is_executable(p).then(|| p.to_path_buf());
    }
    std::env::split_paths(path)
        .filter(|dir| !dir.as_os_str().is_empty())
        .map(|dir| dir.join(program))
        .find(|candidate| is_executable(candidate))
}

pub fn is_executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path)
        .map(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
        .unwrap_or(false)
}

/// Replaces the current process with `program` (Unix `execve`), so the child owns our pid,
/// our signals and our exit status. Returns only on failure.
///
/// What `std::process::Command::exec` does, without its builder: `env` is sorted by
/// name with the last of equal names kept (the environment a `Command` given
/// `env_clear().envs(env)` passes), SIGPIPE goes back to its default (the Rust runtime
/// ignores it, and an ignored signal stays ignored across exec), and the exec is
/// glibc's `execvpe`, which runs a file with no `#!` line through `/bin/sh` as a shell
/// does. `pyve run` ends here: the builder cost a fifth of its instructions.
#[cfg(unix)]
pub fn exec(
    program: &Path,
    argv0: &OsStr,
    args: &[OsString],
    env: &[(OsString, OsString)],
) -> std::io::Error {
    use std::ffi::CString;
    let nul = || {
        std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            "nul byte found in provided data",
        )
    };
    let cstr = |s: &OsStr| CString::new(s.as_encoded_bytes()).map_err(|_| nul());
    let sorted: std::collections::BTreeMap<&OsStr, &OsStr> = env
        .iter()
        .map(|(k, v)| (k.as_os_str(), v.as_os_str()))
        .collect();
    let envp: Result<Vec<CString>, _> = sorted
        .iter()
        .map(|(k, v)| {
            let mut kv = Vec::with_capacity(k.len() + v.len() + 1);
            kv.extend_from_slice(k.as_encoded_bytes());
            kv.push(b'=');
            kv.extend_from_slice(v.as_encoded_bytes());
            CString::new(kv).map_err(|_| nul())
        })
        .collect();
    let argv: Result<Vec<CString>, _> = std::iter::once(argv0)
        .chain(args.iter().map(OsString::as_os_str))
        .map(cstr)
        .collect();
    let (path, argv, envp) = match (cstr(program.as_os_str()), argv, envp) {
        (Ok(p), Ok(a), Ok(e)) => (p, a, e),
        (Err(e), _, _) | (_, Err(e), _) | (_, _, Err(e)) => return e,
    };
    // SAFETY: the default disposition installs no handler (std's exec does the same).
    let _ = unsafe {
        nix::sys::signal::signal(
            nix::sys::signal::Signal::SIGPIPE,
            nix::sys::signal::SigHandler::SigDfl,
        )
    };
    match nix::unistd::execvpe(&path, &argv, &envp) {
        Err(errno) => errno.into(),
    }
}

/// Sends `signal` to the whole process group `pgid` (children of the child included).
#[cfg(unix)]
pub fn kill_group(pgid: u32, signal: nix::sys::signal::Signal) {
    let _ = nix::sys::signal::killpg(nix::unistd::Pid::from_raw(pgid as i32), signal);
}

/// "exit status 1", "killed by signal 9 (SIGKILL)".
pub fn describe_status(s: std::process::ExitStatus) -> String {
    use std::os::unix::process::ExitStatusExt;
    if let Some(code) = s.code() {
        format!("exit status {code}")
    } else if let Some(sig) = s.signal() {
        let name = nix::sys::signal::Signal::try_from(sig)
            .map(|s| s.as_str().to_string())
            .unwrap_or_else(|_| format!("signal {sig}"));
        format!("killed by signal {sig} ({name})")
    } else {
        "unknown status".into()
    }
}

/// `s` single-quoted for a POSIX shell.
pub fn shell_quote(s: &std::ffi::OsStr) -> String {
    format!("'{}'", s.to_string_lossy().replace('\'', r"'\''"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_programs_on_path_and_skips_non_executables() {
        let dir = tempfile::tempdir().unwrap();
        let exe = dir.path().join("tool");
        std::fs::write(&exe, "#!/bin/sh\n").unwrap();
        let plain = dir.path().join("data");
        std::fs::write(&plain, "").unwrap();
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&exe, std::fs::Permissions::from_mode(0o755)).unwrap();
        let path = std::env::join_paths([Path::new("/nonexistent"), dir.path()]).unwrap();
        assert_eq!(find_program(OsStr::new("tool"), &path), Some(exe));
        assert_eq!(find_program(OsStr::new("data"), &path), None);
        assert_eq!(find_program(OsStr::new("missing"), &path), None);
    }
}
