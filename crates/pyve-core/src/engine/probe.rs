//! Does the env's python actually start? One bounded process (`python -I -c …`, killed
//! after [`TIMEOUT`]) that prints its version and whether pip is importable, cached in
//! `$PYVE_HOME/cache/python-probes.json` by the interpreter's identity (its path, and
//! the size and mtime of the file it resolves to, plus the env's `pyvenv.cfg`): with
//! nothing changed, doctor (and every TUI refresh) reads a file and starts nothing.
//!
//! And, without any process: is the env where its files say it is (a moved env keeps
//! its old prefix in script shebangs and `bin/activate`), and is a venv's base python
//! still there ([`moved`], [`base_python_gone`]).

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

/// How long the python may take to start and answer.
pub const TIMEOUT: Duration = Duration::from_secs(10);

const SCRIPT: &str = "import sys, importlib.util as u\nprint('%d.%d.%d' % sys.version_info[:3])\nprint(u.find_spec('pip') is not None)";

/// What the probe found.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Probed {
    /// `3.11.7`, as the interpreter says.
    pub version: String,
    /// `import pip` would find it.
    pub pip: bool,
}

/// The probe's answer, and whether it came from the cache.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Answer {
    pub result: Result<Probed, String>,
    pub cached: bool,
    pub elapsed: Duration,
}

fn identity(python: &Path, prefix: &Path) -> Option<String> {
    use std::os::unix::fs::MetadataExt;
    let m = std::fs::metadata(python).ok()?;
    let cfg = std::fs::metadata(prefix.join("pyvenv.cfg"))
        .map(|c| format!("{}.{}", c.mtime(), c.mtime_nsec()))
        .unwrap_or_default();
    Some(format!(
        "{}|{}|{}.{}|{cfg}",
        python.display(),
        m.size(),
        m.mtime(),
        m.mtime_nsec()
    ))
}

/// Probes `python` (the env's `bin/python`), through the cache in `pyve_home`.
pub fn python(python: &Path, prefix: &Path, pyve_home: &Path) -> Answer {
    let start = Instant::now();
    let cache = pyve_home.join("cache").join("python-probes.json");
    let key = identity(python, prefix);
    let mut map: BTreeMap<String, Probed> =
        crate::sys::fs::read_bounded(&cache, crate::sys::fs::FILE_CAP)
            .ok()
            .and_then(|b| serde_json::from_slice(&b).ok())
            .unwrap_or_default();
    if let Some(k) = &key
        && let Some(p) = map.get(k)
    {
        return Answer {
            result: Ok(p.clone()),
            cached: true,
            elapsed: start.elapsed(),
        };
    }
    let result = run(python, TIMEOUT);
    if let (Some(k), Ok(p)) = (key, &result) {
        let old = format!("{}|", python.display());
        map.retain(|o, _| !o.starts_with(&old));
        map.insert(k, p.clone());
        if let Ok(json) = serde_json::to_vec_pretty(&map) {
            let _ = crate::sys::tree::write_own_file(&cache, &json);
        }
    }
    Answer {
        result,
        cached: false,
        elapsed: start.elapsed(),
    }
}

/// One bounded run of the probe script (isolated mode: no PYTHON* variables, no user
/// site, no cwd on sys.path).
pub fn run(python: &Path, timeout: Duration) -> Result<Probed, String> {
    let mut cmd = Command::new(python);
    cmd.args(["-I", "-c", SCRIPT])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .env_remove("PYTHONHOME")
        .env_remove("PYTHONPATH");
    crate::sys::watchdog::watch(&mut cmd);
    let mut child = cmd.spawn().map_err(|e| format!("does not start ({e})"))?;
    let _reaped = crate::sys::watchdog::Reaped(child.id());
    let drain = |r: Option<Box<dyn Read + Send>>| {
        std::thread::spawn(move || {
            let mut s = Vec::new();
            if let Some(mut r) = r {
                let _ = r.by_ref().take(64 * 1024).read_to_end(&mut s);
                let _ = std::io::copy(&mut r, &mut std::io::sink());
            }
            s
        })
    };
    let out = drain(
        child
            .stdout
            .take()
            .map(|s| Box::new(s) as Box<dyn Read + Send>),
    );
    let err = drain(
        child
            .stderr
            .take()
            .map(|s| Box::new(s) as Box<dyn Read + Send>),
    );
    let started = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(s)) => break s,
            Ok(None) if started.elapsed() >= timeout => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(format!(
                    "did not answer within {}",
                    crate::sys::http::secs(timeout)
                ));
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(2)),
            Err(e) => return Err(e.to_string()),
        }
    };
    let out = String::from_utf8_lossy(&out.join().unwrap_or_default()).into_owned();
    let err = String::from_utf8_lossy(&err.join().unwrap_or_default()).into_owned();
    if !status.success() {
        let last = err.lines().rev().find(|l| !l.trim().is_empty());
        return Err(format!(
            "fails to start ({}){}",
            crate::sys::process::describe_status(status),
            last.map(|l| format!(": {}", l.trim())).unwrap_or_default()
        ));
    }
    let mut lines = out.lines();
    let version = lines.next().unwrap_or("").trim().to_string();
    if !version.starts_with(|c: char| c.is_ascii_digit()) {
        return Err(format!("printed no version ({version:?})"));
    }
    Ok(Probed {
        version,
        pip: lines.next().map(str::trim) == Some("True"),
    })
}

/// The prefix the env's files were written for, when it is not `prefix`: the
/// interpreter in `bin/pip*` shebangs, or `VIRTUAL_ENV` in `bin/activate`.
pub fn moved(prefix: &Path) -> Option<PathBuf> {
    let bin = crate::sys::platform::venv_bin(prefix);
    let here = std::fs::canonicalize(prefix).unwrap_or_else(|_| prefix.to_path_buf());
    let same =
        |p: &Path| p == prefix || p == here || std::fs::canonicalize(p).is_ok_and(|c| c == here);
    for script in ["pip", "pip3"] {
        // A script is small; a FIFO or a device here is refused, never waited on.
        let Some(text) = crate::sys::fs::read_small(&bin.join(script)) else {
            continue;
        };
        let Some(interp) = text
            .lines()
            .next()
            .and_then(|l| l.strip_prefix("#!"))
            .and_then(|l| l.split_whitespace().next())
        else {
            continue;
        };
        let interp = Path::new(interp);
        // `#!/old/prefix/bin/python3.11`: the prefix is two levels up.
        if let Some(old) = interp.parent().and_then(Path::parent)
            && interp.parent().is_some_and(|b| b.ends_with("bin"))
            && !same(old)
        {
            return Some(old.to_path_buf());
        }
    }
    if let Some(text) = crate::sys::fs::read_small(&bin.join("activate")) {
        for l in text.lines() {
            let l = l.trim();
            let v = l
                .strip_prefix("VIRTUAL_ENV=")
                .or_else(|| l.strip_prefix("export VIRTUAL_ENV="));
            if let Some(v) = v {
                let v = v.trim_matches(|c| c == '"' || c == '\'');
                if v.starts_with('/') && !same(Path::new(v)) {
                    return Some(PathBuf::from(v));
                }
            }
        }
    }
    None
}

/// A venv's base python (`pyvenv.cfg`'s `home`) when it is gone: the directory, or
/// the `pythonX.Y` of the venv's version in it.
pub fn base_python_gone(prefix: &Path) -> Option<PathBuf> {
    let text = crate::sys::fs::read_small(&prefix.join("pyvenv.cfg"))?;
    let home = text.lines().find_map(|l| {
        let (k, v) = l.split_once('=')?;
        (k.trim() == "home").then(|| PathBuf::from(v.trim()))
    })?;
    if !home.is_dir() {
        return Some(home);
    }
    // bin/python resolves into home (or wherever); a dangling link means it is gone.
    let py = crate::sys::platform::venv_python(prefix);
    if std::fs::symlink_metadata(&py).is_ok() && std::fs::metadata(&py).is_err() {
        return Some(
            std::fs::read_link(&py)
                .map(|t| home.join(t))
                .unwrap_or(home),
        );
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn moved_env_is_seen_in_shebangs_and_activate() {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("env");
        std::fs::create_dir_all(p.join("bin")).unwrap();
        assert_eq!(moved(&p), None);
        std::fs::write(
            p.join("bin/pip"),
            format!("#!{}/bin/python3.11\n", p.display()),
        )
        .unwrap();
        assert_eq!(moved(&p), None);
        std::fs::write(p.join("bin/pip"), "#!/old/place/env/bin/python3.11\n").unwrap();
        assert_eq!(moved(&p), Some(PathBuf::from("/old/place/env")));
        std::fs::remove_file(p.join("bin/pip")).unwrap();
        std::fs::write(
            p.join("bin/activate"),
            "VIRTUAL_ENV='/old/v'\nexport VIRTUAL_ENV\n",
        )
        .unwrap();
        assert_eq!(moved(&p), Some(PathBuf::from("/old/v")));
    }

    #[test]
    fn a_probe_that_hangs_is_cut_off() {
        use std::os::unix::fs::PermissionsExt;
        let d = tempfile::tempdir().unwrap();
        let py = d.path().join("python");
        std::fs::write(&py, "#!/bin/sh\nexec sleep 30\n").unwrap();
        std::fs::set_permissions(&py, std::fs::Permissions::from_mode(0o755)).unwrap();
        let e = run(&py, Duration::from_millis(200)).unwrap_err();
        assert!(e.starts_with("did not answer within"), "{e}");
        std::fs::write(&py, "#!/bin/sh\necho 'Fatal: no encodings' >&2\nexit 1\n").unwrap();
        let e = run(&py, Duration::from_secs(10)).unwrap_err();
        assert_eq!(e, "fails to start (exit status 1): Fatal: no encodings");
        std::fs::write(&py, "#!/bin/sh\necho 3.12.1\necho True\n").unwrap();
        assert_eq!(
            run(&py, Duration::from_secs(10)),
            Ok(Probed {
                version: "3.12.1".into(),
                pip: true
            })
        );
    }
}
