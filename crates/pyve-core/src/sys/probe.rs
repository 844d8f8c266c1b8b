//! `TOOL --version`, bounded and watched (decision 0017): a binary that hangs, floods
//! its output or is killed must not hang pyve, nor outlive it. It must exit 0 and print
//! a version (a line starting with a digit, or what the caller reads from [`output`]);
//! anything else is a [`ProbeError`] that says what happened.

use std::ffi::OsString;
use std::io::Read;
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// Why a `--version` gave no version.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ProbeError {
    #[error("does not run ({0})")]
    Spawn(String),
    #[error("interrupted")]
    Interrupted,
    #[error("`--version` did not finish within {}", crate::sys::http::secs(*.0))]
    Timeout(Duration),
    #[error("`--version` failed ({status}){}", .stderr.as_ref().map(|l| format!(": {l}")).unwrap_or_default())]
    Failed {
        status: String,
        /// The first line it wrote on stderr.
        stderr: Option<String>,
    },
    #[error("`--version` printed no version ({0:?})")]
    NoVersion(String),
}

/// How to run the probe.
pub struct Probe<'a> {
    /// Variables removed from the child's environment, then `env` set.
    pub env_remove: &'a [OsString],
    pub env: &'a [(OsString, OsString)],
    pub timeout: Duration,
    pub cancel: &'a AtomicBool,
}

/// At most this much of each stream is read.
const OUTPUT_CAP: u64 = 64 * 1024;

/// Runs `binary --version` and returns the version it printed.
pub fn version(binary: &Path, probe: &Probe<'_>) -> Result<String, ProbeError> {
    let (out, _) = output(binary, probe)?;
    let text = String::from_utf8_lossy(&out);
    let v = text.lines().next().unwrap_or("").trim().to_string();
    if v.is_empty() || !v.starts_with(|c: char| c.is_ascii_digit()) {
        return Err(ProbeError::NoVersion(v));
    }
    Ok(v)
}

/// Runs `binary --version`; what it wrote on stdout and stderr (each at most
/// [`OUTPUT_CAP`]) when it exited 0, for a tool whose answer is not a bare version
/// (`Python 3.11.2`).
pub fn output(binary: &Path, probe: &Probe<'_>) -> Result<(Vec<u8>, Vec<u8>), ProbeError> {
    let mut cmd = Command::new(binary);
    cmd.arg("--version")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for k in probe.env_remove {
        cmd.env_remove(k);
    }
    cmd.envs(probe.env.iter().cloned());
    super::watchdog::watch(&mut cmd);
    let mut child = cmd.spawn().map_err(|e| ProbeError::Spawn(e.to_string()))?;
    let _reaped = super::watchdog::Reaped(child.id());
    let readers = [
        child.stdout.take().map(drain),
        child.stderr.take().map(drain),
    ];
    let start = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) => {}
            Err(e) => return Err(ProbeError::Spawn(e.to_string())),
        }
        let cancelled = probe.cancel.load(Ordering::SeqCst);
        if cancelled || start.elapsed() >= probe.timeout {
            let _ = child.kill();
            let _ = child.wait();
            return Err(if cancelled {
                ProbeError::Interrupted
            } else {
                ProbeError::Timeout(probe.timeout)
            });
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    let [out, err] = readers.map(|r| r.and_then(|h| h.join().ok()).unwrap_or_default());
    if !status.success() {
        let err = String::from_utf8_lossy(&err);
        return Err(ProbeError::Failed {
            status: super::process::describe_status(status),
            stderr: err
                .lines()
                .find(|l| !l.trim().is_empty())
                .map(|l| l.trim().to_string()),
        });
    }
    Ok((out, err))
}

fn drain(mut r: impl Read + Send + 'static) -> std::thread::JoinHandle<Vec<u8>> {
    std::thread::spawn(move || {
        let mut s = Vec::new();
        let _ = r.by_ref().take(OUTPUT_CAP).read_to_end(&mut s);
        // Whatever else it writes goes nowhere, so it never blocks on a full pipe.
        let _ = std::io::copy(&mut r, &mut std::io::sink());
        s
    })
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    fn script(dir: &Path, body: &str) -> std::path::PathBuf {
        use std::os::unix::fs::PermissionsExt;
        let p = dir.join("tool");
        std::fs::write(&p, format!("#!/bin/sh\n{body}\n")).unwrap();
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o755)).unwrap();
        p
    }

    fn probe(bin: &Path, timeout: Duration) -> Result<String, ProbeError> {
        let cancel = AtomicBool::new(false);
        version(
            bin,
            &Probe {
                env_remove: &[],
                env: &[],
                timeout,
                cancel: &cancel,
            },
        )
    }

    #[test]
    fn versions_and_what_goes_wrong() {
        let d = tempfile::tempdir().unwrap();
        let long = Duration::from_secs(20);
        assert_eq!(
            probe(&script(d.path(), "echo 2.8.1"), long).unwrap(),
            "2.8.1"
        );
        assert_eq!(
            probe(&script(d.path(), "echo oops >&2; exit 3"), long)
                .unwrap_err()
                .to_string(),
            "`--version` failed (exit status 3): oops"
        );
        assert_eq!(
            probe(&script(d.path(), "echo hello"), long).unwrap_err(),
            ProbeError::NoVersion("hello".into())
        );
        assert_eq!(
            probe(
                &script(d.path(), "exec sleep 30"),
                Duration::from_millis(200)
            )
            .unwrap_err(),
            ProbeError::Timeout(Duration::from_millis(200))
        );
        assert!(matches!(
            probe(&d.path().join("absent"), long),
            Err(ProbeError::Spawn(_))
        ));
    }
}
