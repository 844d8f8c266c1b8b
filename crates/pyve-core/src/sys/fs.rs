//! File-system primitives pyve relies on for its "nothing half-written" promise.

use std::fs::{self, File};
use std::io::{self, Read, Seek, Write};
use std::path::{Component, Path, PathBuf};
use std::time::{Duration, Instant};

/// Why a file pyve reads from a project was not read.
#[derive(Debug)]
pub enum ReadError {
    NotRegular { path: PathBuf },
    TooLarge { path: PathBuf, size: u64, cap: u64 },
    Io { path: PathBuf, source: io::Error },
}

impl ReadError {
    pub fn is_not_found(&self) -> bool {
        matches!(self, ReadError::Io { source, .. } if source.kind() == io::ErrorKind::NotFound)
    }

    /// What is wrong with the file, without its path: for a message that names the
    /// file its own way (as the project shows it).
    pub fn reason(&self) -> String {
        match self {
            ReadError::NotRegular { .. } => {
                "not a regular file: pyve reads only regular files here".into()
            }
            ReadError::TooLarge { size, cap, .. } => {
                format!("{size} bytes, more than the {cap} pyve reads")
            }
            ReadError::Io { source, .. } => source.to_string(),
        }
    }
}

impl std::fmt::Display for ReadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ReadError::Io { path, source } => write!(f, "cannot read {}: {source}", path.display()),
            ReadError::NotRegular { path } | ReadError::TooLarge { path, .. } => {
                write!(f, "{} is {}", path.display(), self.reason())
            }
        }
    }
}

impl std::error::Error for ReadError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            ReadError::Io { source, .. } => Some(source),
            _ => None,
        }
    }
}

/// Reads `path` whole when it is a regular file of at most `cap` bytes. A FIFO, a device
/// (`/dev/zero`, `/dev/stdin`) or a directory is refused without blocking on it, and a
/// file that grows while it is read stops at the cap.
pub fn read_bounded(path: &Path, cap: u64) -> Result<Vec<u8>, ReadError> {
    use rustix::fs::{Mode, OFlags};
    let io_err = |source| ReadError::Io {
        path: path.to_path_buf(),
        source,
    };
    // O_NONBLOCK: opening a FIFO must not wait for a writer.
    let fd = rustix::fs::open(
        path,
        OFlags::RDONLY | OFlags::NONBLOCK | OFlags::CLOEXEC,
        Mode::empty(),
    )
    .map_err(|e| io_err(io::Error::from(e)))?;
    let file = File::from(fd);
    let meta = file.metadata().map_err(io_err)?;
    if !meta.is_file() {
        return Err(ReadError::NotRegular {
            path: path.to_path_buf(),
        });
    }
    if meta.len() > cap {
        return Err(ReadError::TooLarge {
            path: path.to_path_buf(),
            size: meta.len(),
            cap,
        });
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.take(cap + 1).read_to_end(&mut bytes).map_err(io_err)?;
    if bytes.len() as u64 > cap {
        return Err(ReadError::TooLarge {
            path: path.to_path_buf(),
            size: bytes.len() as u64,
            cap,
        });
    }
    Ok(bytes)
}

#[cfg(test)]
mod read_tests {
    use super::*;

    #[test]
    fn only_bounded_regular_files_are_read() {
        let d = tempfile::tempdir().unwrap();
        let f = d.path().join("environment.yml");
        std::fs::write(&f, "name: x\n").unwrap();
        assert_eq!(read_bounded(&f, 100).unwrap(), b"name: x\n");
        let e = read_bounded(&f, 3).unwrap_err();
        assert!(e.to_string().contains("more than the 3 pyve reads"), "{e}");
        let e = read_bounded(Path::new("/dev/zero"), 100).unwrap_err();
        assert!(matches!(e, ReadError::NotRegular { .. }), "{e}");
        let fifo = d.path().join("fifo");
        let made = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap();
        assert!(made.success());
        let e = read_bounded(&fifo, 100).unwrap_err();
        assert!(e.to_string().contains("not a regular file"), "{e}");
        assert!(
            read_bounded(&d.path().join("absent"), 1)
                .unwrap_err()
                .is_not_found()
        );
    }
}

/// Lexically normalises `path`: removes `.` and resolves `..` against earlier components,
/// without touching the file system.
pub fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for comp in path.components() {
        match comp {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// Resolves symlinks in the longest existing ancestor of `path` and appends the rest.
/// Used to judge where a path really leads before the leaf exists.
pub fn resolve_existing_prefix(path: &Path) -> PathBuf {
    let path = normalize(path);
    let mut existing = path.as_path();
    let mut rest = Vec::new();
    loop {
        if let Ok(real) = fs::canonicalize(existing) {
            let mut out = real;
            for part in rest.iter().rev() {
                out.push(part);
            }
            return normalize(&out);
        }
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_owned());
                existing = parent;
            }
            _ => return path,
        }
    }
}

/// True when `path`, with symlinks resolved as far as it exists, lies inside `root`.
pub fn is_inside(root: &Path, path: &Path) -> bool {
    let root = resolve_existing_prefix(root);
    let target = resolve_existing_prefix(path);
    target.starts_with(&root)
}

/// An advisory exclusive lock on a file, released when dropped (or when the process
/// dies, which is why a crashed pyve never leaves a stale lock behind).
#[derive(Debug)]
pub struct FileLock {
    file: File,
}

#[derive(Debug, thiserror::Error)]
pub enum LockError {
    #[error("cannot open lock file {path}: {source}")]
    Io { path: PathBuf, source: io::Error },
    #[error(
        "timed out after {:.1}s waiting for {path}, held by {holder}",
        waited.as_secs_f64()
    )]
    Timeout {
        path: PathBuf,
        holder: String,
        waited: Duration,
    },
}

impl FileLock {
    /// Takes the lock file `path` inside `tree` (opened there without following links,
    /// refused when it is a link or a hard link), calling `on_wait(holder)` once if
    /// another process holds it, then polling until it is free or `timeout` passes.
    pub fn acquire(
        tree: &crate::sys::tree::Tree,
        path: &Path,
        timeout: Duration,
        mut on_wait: impl FnMut(&str),
    ) -> Result<FileLock, LockError> {
        let io_err = |source| LockError::Io {
            path: path.to_owned(),
            source,
        };
        let mut file = tree.open_lock(path).map_err(io_err)?;
        let start = Instant::now();
        let mut announced = false;
        loop {
            match file.try_lock() {
                Ok(()) => break,
                Err(fs::TryLockError::WouldBlock) => {
                    let holder = read_holder(&mut file);
                    if !announced {
                        on_wait(&holder);
                        announced = true;
                    }
                    if start.elapsed() >= timeout {
                        return Err(LockError::Timeout {
                            path: path.to_owned(),
                            holder,
                            waited: start.elapsed(),
                        });
                    }
                    std::thread::sleep(Duration::from_millis(50));
                }
                Err(fs::TryLockError::Error(e)) => return Err(io_err(e)),
            }
        }
        // Record who holds it so a waiter can say so.
        let _ = file.set_len(0);
        let _ = file.rewind();
        let _ = write!(file, "pid {}", std::process::id());
        let _ = file.flush();
        Ok(FileLock { file })
    }
}

impl Drop for FileLock {
    fn drop(&mut self) {
        let _ = self.file.unlock();
    }
}

fn read_holder(file: &mut File) -> String {
    let mut s = String::new();
    let _ = file.rewind();
    let _ = file.take(64).read_to_string(&mut s);
    let s = s.trim();
    if s.is_empty() {
        "another pyve process".to_string()
    } else {
        format!("another pyve process ({s})")
    }
}

/// The most pyve hashes or reads of one spec, lock or binary file.
pub const FILE_CAP: u64 = 256 * 1024 * 1024;

/// sha256 of a file's bytes as lowercase hex: only a regular file, at most
/// [`FILE_CAP`] bytes (a spec that is `/dev/zero` or a FIFO is an error, never a hang).
pub fn sha256_file(path: &Path) -> io::Result<String> {
    use sha2::{Digest, Sha256};
    let bytes = read_bounded(path, FILE_CAP).map_err(|e| match e {
        ReadError::Io { source, .. } => source,
        other => io::Error::other(other.to_string()),
    })?;
    Ok(hex(&Sha256::digest(&bytes)))
}

/// The most pyve reads of a small metadata file (`pyvenv.cfg`, `.gitignore`, a
/// dist-info's `INSTALLER`, an activation script, pyenv's `version`).
pub const SMALL_CAP: u64 = 1024 * 1024;

/// A small metadata file's text when it is a regular file of at most [`SMALL_CAP`]
/// bytes, for readers to whom a missing, odd or huge file simply means "no answer".
pub fn read_small(path: &Path) -> Option<String> {
    read_text(path, SMALL_CAP).ok()
}

/// [`read_bounded`] as text (invalid UTF-8 replaced).
pub fn read_text(path: &Path, cap: u64) -> Result<String, ReadError> {
    read_bounded(path, cap).map(|b| String::from_utf8_lossy(&b).into_owned())
}

/// A short, stable file name for a path (pyve's records keyed by a path: ownership
/// claims, trusted binaries): 32 hex digits of its sha256.
pub fn path_key(path: &Path) -> String {
    use sha2::{Digest, Sha256};
    hex(&Sha256::digest(path.as_os_str().as_encoded_bytes())[..16])
}

/// Lower-case hex, two digits a byte (digests and keys on `pyve run`'s path: without
/// the formatting machinery, which cost more than the hashing).
pub fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(DIGITS[usize::from(b >> 4)] as char);
        s.push(DIGITS[usize::from(b & 0xf)] as char);
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_is_two_lower_case_digits_a_byte() {
        assert_eq!(hex(&[0x00, 0x0f, 0xa5, 0xff, 0x10]), "000fa5ff10");
        assert_eq!(hex(&[]), "");
    }

    #[test]
    fn normalize_resolves_dotdot_lexically() {
        assert_eq!(
            normalize(Path::new("/a/b/../c/./d")),
            PathBuf::from("/a/c/d")
        );
        assert_eq!(normalize(Path::new("a/../../x")), PathBuf::from("../x"));
    }

    #[test]
    fn is_inside_follows_symlinks_of_existing_parts() {
        let root = tempfile::tempdir().unwrap();
        let outside = tempfile::tempdir().unwrap();
        std::os::unix::fs::symlink(outside.path(), root.path().join("link")).unwrap();
        assert!(is_inside(root.path(), &root.path().join("envs/x")));
        assert!(!is_inside(root.path(), &root.path().join("link/x")));
        assert!(!is_inside(root.path(), &root.path().join("../x")));
    }

    #[test]
    fn second_lock_times_out_naming_the_holder() {
        let dir = tempfile::tempdir().unwrap();
        let tree = crate::sys::tree::Tree::open(dir.path()).unwrap();
        let p = dir.path().join("lock");
        let _held = FileLock::acquire(&tree, &p, Duration::from_secs(1), |_| {}).unwrap();
        let mut waited_for = String::new();
        let err = FileLock::acquire(&tree, &p, Duration::from_millis(100), |h| {
            waited_for = h.to_string()
        })
        .unwrap_err();
        assert!(waited_for.contains(&format!("pid {}", std::process::id())));
        assert!(err.to_string().contains("timed out"), "{err}");
    }
}
