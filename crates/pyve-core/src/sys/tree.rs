//! The one place pyve creates, writes, renames and removes files under a directory it
//! does not control: a project (which may be a hostile clone) or `$PYVE_HOME`.
//!
//! Containment is by construction, not by checking first: a [`Tree`] holds the root
//! open, and every operation walks from that descriptor one component at a time with
//! `openat(O_NOFOLLOW | O_DIRECTORY)`, so a symlink anywhere on the way (`.pyve`,
//! `.pyve/envs`, `.pyve/state`, …) stops it with an error naming the link, at the moment
//! of use, with no window between a check and the use. `..` and absolute paths are
//! refused, never popped. New files get random names and `O_EXCL`; a replaced file is
//! renamed over its target (a symlink there is replaced, never written through);
//! recursive removal never follows a link and never crosses into another file system;
//! the lock file is opened without following links and refused when hard-linked.

use std::ffi::OsStr;
use std::fs::File;
use std::io::{self, Write};
use std::os::fd::{AsFd, BorrowedFd, OwnedFd};
use std::os::unix::ffi::OsStrExt;
use std::path::{Component, Path, PathBuf};

use rustix::fs::{AtFlags, FileType, Mode, OFlags};

/// A directory pyve writes under, held open.
#[derive(Debug)]
pub struct Tree {
    root: PathBuf,
    fd: OwnedFd,
    dev: u64,
}

fn refused(kind: io::ErrorKind, msg: String) -> io::Error {
    io::Error::new(kind, msg)
}

fn errno(e: rustix::io::Errno) -> io::Error {
    io::Error::from(e)
}

impl Tree {
    /// Opens `root` (which itself may be reached through links: it is where the user
    /// pointed pyve). It must exist.
    pub fn open(root: &Path) -> io::Result<Tree> {
        let fd = rustix::fs::open(
            root,
            OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC,
            Mode::empty(),
        )
        .map_err(errno)?;
        let dev = rustix::fs::fstat(&fd).map_err(errno)?.st_dev;
        Ok(Tree {
            root: root.to_path_buf(),
            fd,
            dev: dev as u64,
        })
    }

    /// Opens `root`, creating it (and its parents, which are outside any project) first.
    pub fn open_or_create(root: &Path) -> io::Result<Tree> {
        std::fs::create_dir_all(root)?;
        Tree::open(root)
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// `path` relative to the root: a relative path as it is, an absolute one when it
    /// lies (lexically) under the root. Anything else, or any `..`, is refused.
    pub fn relative<'a>(&self, path: &'a Path) -> io::Result<&'a Path> {
        let rel = if path.is_absolute() {
            path.strip_prefix(&self.root).map_err(|_| {
                refused(
                    io::ErrorKind::PermissionDenied,
                    format!(
                        "{} is outside {}; pyve writes only inside it",
                        path.display(),
                        self.root.display()
                    ),
                )
            })?
        } else {
            path
        };
        for c in rel.components() {
            match c {
                Component::Normal(_) | Component::CurDir => {}
                _ => {
                    return Err(refused(
                        io::ErrorKind::PermissionDenied,
                        format!(
                            "{}: `..` and absolute components are refused",
                            rel.display()
                        ),
                    ));
                }
            }
        }
        Ok(rel)
    }

    fn names(rel: &Path) -> Vec<&OsStr> {
        rel.components()
            .filter_map(|c| match c {
                Component::Normal(n) => Some(n),
                _ => None,
            })
            .collect()
    }

    /// Why opening `name` in `dir` as a directory failed, in words a user can act on.
    fn explain(&self, dir: BorrowedFd<'_>, shown: &Path, e: rustix::io::Errno) -> io::Error {
        let name = shown.file_name().unwrap_or_default();
        if let Ok(st) = rustix::fs::statat(dir, name, AtFlags::SYMLINK_NOFOLLOW)
            && FileType::from_raw_mode(st.st_mode) == FileType::Symlink
        {
            return refused(
                io::ErrorKind::PermissionDenied,
                format!(
                    "{} is a symlink; pyve does not follow links inside {} (remove it; `pyve purge` unlinks pyve's own)",
                    self.root.join(shown).display(),
                    self.root.display()
                ),
            );
        }
        if e == rustix::io::Errno::NOTDIR {
            return refused(
                io::ErrorKind::NotADirectory,
                format!("{} is not a directory", self.root.join(shown).display()),
            );
        }
        errno(e)
    }

    /// The directory `rel`, walked from the root without following links; created
    /// (mode 0755) where missing when `create`.
    fn dir(&self, rel: &Path, create: bool) -> io::Result<OwnedFd> {
        let rel = self.relative(rel)?;
        let mut cur = rustix::io::dup(&self.fd).map_err(errno)?;
        let mut shown = PathBuf::new();
        for name in Tree::names(rel) {
            shown.push(name);
            let flags = OFlags::RDONLY | OFlags::DIRECTORY | OFlags::NOFOLLOW | OFlags::CLOEXEC;
            let next = match rustix::fs::openat(&cur, name, flags, Mode::empty()) {
                Ok(fd) => fd,
                Err(rustix::io::Errno::NOENT) if create => {
                    match rustix::fs::mkdirat(&cur, name, Mode::from_raw_mode(0o755)) {
                        Ok(()) | Err(rustix::io::Errno::EXIST) => {}
                        Err(e) => return Err(errno(e)),
                    }
                    rustix::fs::openat(&cur, name, flags, Mode::empty())
                        .map_err(|e| self.explain(cur.as_fd(), &shown, e))?
                }
                Err(e) => return Err(self.explain(cur.as_fd(), &shown, e)),
            };
            cur = next;
        }
        Ok(cur)
    }

    fn split(rel: &Path) -> io::Result<(&Path, &OsStr)> {
        match (rel.parent(), rel.file_name()) {
            (Some(p), Some(n)) => Ok((p, n)),
            _ => Err(refused(
                io::ErrorKind::InvalidInput,
                format!("{} names no file", rel.display()),
            )),
        }
    }

    /// Creates the directory `rel` and its missing parents, following no link.
    pub fn create_dir_all(&self, rel: &Path) -> io::Result<()> {
        self.dir(rel, true).map(drop)
    }

    /// True when `rel` exists (as anything, a link included), looked up without
    /// following links on the way.
    pub fn exists(&self, rel: &Path) -> bool {
        let Ok(rel) = self.relative(rel) else {
            return false;
        };
        let Ok((parent, name)) = Tree::split(rel) else {
            return true;
        };
        self.dir(parent, false)
            .and_then(|d| rustix::fs::statat(&d, name, AtFlags::SYMLINK_NOFOLLOW).map_err(errno))
            .is_ok()
    }

    /// A new file in the directory `dir_rel` with a random name (`prefix` + random),
    /// created with `O_EXCL` and `mode`; removed on drop unless persisted.
    pub fn temp_file(&self, dir_rel: &Path, prefix: &str, mode: u32) -> io::Result<TempFile> {
        let dir = self.dir(dir_rel, true)?;
        for _ in 0..16 {
            let name = format!("{prefix}{}", random_suffix());
            match rustix::fs::openat(
                &dir,
                name.as_str(),
                OFlags::WRONLY | OFlags::CREATE | OFlags::EXCL | OFlags::NOFOLLOW | OFlags::CLOEXEC,
                Mode::from_raw_mode(mode),
            ) {
                Ok(fd) => {
                    return Ok(TempFile {
                        dir,
                        name,
                        file: Some(File::from(fd)),
                        path: self.root.join(dir_rel),
                    });
                }
                Err(rustix::io::Errno::EXIST) => continue,
                Err(e) => return Err(errno(e)),
            }
        }
        Err(refused(
            io::ErrorKind::AlreadyExists,
            "no free temporary name".into(),
        ))
    }

    /// Writes `contents` to `rel` so that readers see the old file or the new one, never
    /// a prefix: a random-named temp file beside it, fsynced, renamed over it.
    pub fn write(&self, rel: &Path, contents: &[u8]) -> io::Result<()> {
        self.write_mode(rel, contents, 0o644)
    }

    /// [`Tree::write`] with a file mode (0600 for a `.env`).
    pub fn write_mode(&self, rel: &Path, contents: &[u8], mode: u32) -> io::Result<()> {
        let rel = self.relative(rel)?;
        let (parent, name) = Tree::split(rel)?;
        let prefix = format!(".{}.tmp-", name.to_string_lossy());
        let mut tmp = self.temp_file(parent, &prefix, mode)?;
        tmp.file().write_all(contents)?;
        tmp.file().sync_all()?;
        tmp.persist(name)
    }

    /// Removes the file (or link) `rel`; a missing one is not an error.
    pub fn remove_file(&self, rel: &Path) -> io::Result<()> {
        let rel = self.relative(rel)?;
        let (parent, name) = Tree::split(rel)?;
        let dir = match self.dir(parent, false) {
            Ok(d) => d,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
            Err(e) => return Err(e),
        };
        match rustix::fs::unlinkat(&dir, name, AtFlags::empty()) {
            Ok(()) | Err(rustix::io::Errno::NOENT) => Ok(()),
            Err(e) => Err(errno(e)),
        }
    }

    /// Removes `rel` whatever it is: a link is unlinked (its target untouched), a file
    /// removed, a directory emptied depth-first without following links or crossing
    /// into another file system, then removed. A missing one is not an error.
    pub fn remove_all(&self, rel: &Path) -> io::Result<()> {
        let rel = self.relative(rel)?;
        let (parent, name) = Tree::split(rel)?;
        let dir = match self.dir(parent, false) {
            Ok(d) => d,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
            Err(e) => return Err(e),
        };
        self.remove_entry(&dir, name, &self.root.join(rel))
    }

    fn remove_entry(&self, dir: &OwnedFd, name: &OsStr, shown: &Path) -> io::Result<()> {
        let st = match rustix::fs::statat(dir, name, AtFlags::SYMLINK_NOFOLLOW) {
            Ok(st) => st,
            Err(rustix::io::Errno::NOENT) => return Ok(()),
            Err(e) => return Err(errno(e)),
        };
        if FileType::from_raw_mode(st.st_mode) != FileType::Directory {
            return rustix::fs::unlinkat(dir, name, AtFlags::empty()).map_err(errno);
        }
        if st.st_dev as u64 != self.dev {
            return Err(refused(
                io::ErrorKind::PermissionDenied,
                format!(
                    "{} is on another file system (a mount); pyve does not remove across mounts",
                    shown.display()
                ),
            ));
        }
        let child = rustix::fs::openat(
            dir,
            name,
            OFlags::RDONLY | OFlags::DIRECTORY | OFlags::NOFOLLOW | OFlags::CLOEXEC,
            Mode::empty(),
        )
        .map_err(errno)?;
        // A process that was still writing in it (a step of a pyve that died, in the
        // moment before its watchdog killed it) may add entries while we empty it:
        // empty it again, a few times, before calling it an error.
        for attempt in 0.. {
            // Read the names first: removing while reading would skip entries.
            let mut names = Vec::new();
            for entry in rustix::fs::Dir::read_from(&child).map_err(errno)? {
                let entry = entry.map_err(errno)?;
                let n = entry.file_name().to_bytes();
                if n != b"." && n != b".." {
                    names.push(OsStr::from_bytes(n).to_os_string());
                }
            }
            for n in &names {
                self.remove_entry(&child, n, &shown.join(n))?;
            }
            match rustix::fs::unlinkat(dir, name, AtFlags::REMOVEDIR) {
                Err(rustix::io::Errno::NOTEMPTY) if attempt < 5 => {
                    std::thread::sleep(std::time::Duration::from_millis(20));
                }
                done => return done.map_err(errno),
            }
        }
        unreachable!("the loop returns")
    }

    /// Opens (creating) the lock file `rel` for reading and writing: never through a
    /// link, never truncated on open, and refused when it is not a plain file with one
    /// name (a hard link to someone's file).
    pub fn open_lock(&self, rel: &Path) -> io::Result<File> {
        let rel = self.relative(rel)?;
        let (parent, name) = Tree::split(rel)?;
        let dir = self.dir(parent, true)?;
        let fd = rustix::fs::openat(
            &dir,
            name,
            OFlags::RDWR | OFlags::CREATE | OFlags::NOFOLLOW | OFlags::CLOEXEC,
            Mode::from_raw_mode(0o644),
        )
        .map_err(|e| self.explain(dir.as_fd(), rel, e))?;
        let st = rustix::fs::fstat(&fd).map_err(errno)?;
        if FileType::from_raw_mode(st.st_mode) != FileType::RegularFile || st.st_nlink != 1 {
            return Err(refused(
                io::ErrorKind::PermissionDenied,
                format!(
                    "{} is not pyve's own lock file (not a plain file with one name); remove it",
                    self.root.join(rel).display()
                ),
            ));
        }
        Ok(File::from(fd))
    }
}

/// Writes a file pyve keeps for itself under `$PYVE_HOME` (a cache): its directory is
/// created when missing and the file is replaced whole, through a [`Tree`] rooted there.
pub fn write_own_file(path: &Path, contents: &[u8]) -> io::Result<()> {
    let (Some(dir), Some(name)) = (path.parent(), path.file_name()) else {
        return Err(refused(
            io::ErrorKind::InvalidInput,
            format!("{} names no file", path.display()),
        ));
    };
    Tree::open_or_create(dir)?.write(Path::new(name), contents)
}

/// A temp file made by [`Tree::temp_file`].
#[derive(Debug)]
pub struct TempFile {
    dir: OwnedFd,
    name: String,
    file: Option<File>,
    /// The directory it is in, for messages.
    path: PathBuf,
}

impl TempFile {
    pub fn file(&mut self) -> &mut File {
        self.file.as_mut().expect("open until persisted")
    }

    /// Closes it for writing: a file still open for writing cannot be executed
    /// (ETXTBSY), so a downloaded binary is closed before it is asked `--version`.
    pub fn close(&mut self) {
        self.file.take();
    }

    /// Where it is, for messages and for running it (a downloaded binary).
    pub fn path(&self) -> PathBuf {
        self.path.join(&self.name)
    }

    /// Renames it to `name` in the same directory (replacing a file, or a link, there).
    pub fn persist(mut self, name: &OsStr) -> io::Result<()> {
        self.file.take();
        let r = rustix::fs::renameat(&self.dir, self.name.as_str(), &self.dir, name).map_err(errno);
        if r.is_ok() {
            self.name.clear();
        }
        r
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        if !self.name.is_empty() {
            let _ = rustix::fs::unlinkat(&self.dir, self.name.as_str(), AtFlags::empty());
        }
    }
}

/// 32 hex digits nobody can guess ahead: a proof of ownership (engine::ownership).
pub fn random_token() -> String {
    format!("{}{}", random_suffix(), random_suffix())
}

/// 16 hex digits nobody can guess ahead: the process's random hasher keys, the time and
/// a counter, hashed.
fn random_suffix() -> String {
    use std::hash::{BuildHasher, Hasher};
    use std::sync::atomic::{AtomicU64, Ordering};
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u64(COUNTER.fetch_add(1, Ordering::Relaxed));
    h.write_u32(std::process::id());
    if let Ok(t) = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH) {
        h.write_u128(t.as_nanos());
    }
    format!("{:016x}", h.finish())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::symlink;

    fn setup() -> (tempfile::TempDir, Tree, PathBuf) {
        let d = tempfile::tempdir().unwrap();
        let proj = d.path().join("proj");
        let outside = d.path().join("outside");
        std::fs::create_dir_all(&proj).unwrap();
        std::fs::create_dir_all(&outside).unwrap();
        std::fs::write(outside.join("keep"), "precious").unwrap();
        let t = Tree::open(&proj).unwrap();
        (d, t, outside)
    }

    #[test]
    fn writes_create_parents_and_replace_whole_files() {
        let (_d, t, _) = setup();
        t.write(Path::new(".pyve/state/venv.json"), b"one").unwrap();
        t.write(Path::new(".pyve/state/venv.json"), b"two").unwrap();
        let p = t.root().join(".pyve/state/venv.json");
        assert_eq!(std::fs::read_to_string(p).unwrap(), "two");
        // No temp file is left beside it.
        let names: Vec<_> = std::fs::read_dir(t.root().join(".pyve/state"))
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, vec![std::ffi::OsString::from("venv.json")]);
    }

    #[test]
    fn a_symlinked_directory_on_the_way_is_refused_naming_it() {
        let (_d, t, outside) = setup();
        symlink(&outside, t.root().join(".pyve")).unwrap();
        let e = t.write(Path::new(".pyve/state/x.json"), b"x").unwrap_err();
        assert!(e.to_string().contains(".pyve is a symlink"), "{e}");
        assert!(!outside.join("state").exists());
        let e = t.remove_all(Path::new(".pyve/envs")).unwrap_err();
        assert!(e.to_string().contains("is a symlink"), "{e}");
        assert_eq!(
            std::fs::read_to_string(outside.join("keep")).unwrap(),
            "precious"
        );
    }

    #[test]
    fn dotdot_and_outside_paths_are_refused() {
        let (_d, t, outside) = setup();
        for bad in ["../outside/keep", "a/../../outside/keep"] {
            assert!(t.write(Path::new(bad), b"x").is_err(), "{bad}");
        }
        assert!(t.write(&outside.join("keep"), b"x").is_err());
        assert_eq!(
            std::fs::read_to_string(outside.join("keep")).unwrap(),
            "precious"
        );
    }

    #[test]
    fn a_link_at_the_target_is_replaced_not_written_through() {
        let (_d, t, outside) = setup();
        symlink(outside.join("keep"), t.root().join("config")).unwrap();
        t.write(Path::new("config"), b"mine").unwrap();
        assert_eq!(
            std::fs::read_to_string(outside.join("keep")).unwrap(),
            "precious"
        );
        assert!(!t.root().join("config").is_symlink());
    }

    #[test]
    fn remove_all_unlinks_links_and_never_follows_them() {
        let (_d, t, outside) = setup();
        let env = t.root().join(".pyve/envs/demo");
        std::fs::create_dir_all(env.join("bin")).unwrap();
        std::fs::write(env.join("bin/python"), "x").unwrap();
        symlink(&outside, env.join("link-to-outside")).unwrap();
        t.remove_all(Path::new(".pyve/envs")).unwrap();
        assert!(!t.root().join(".pyve/envs").exists());
        assert_eq!(
            std::fs::read_to_string(outside.join("keep")).unwrap(),
            "precious"
        );
        // A link in place of the whole directory: the link goes, the target stays.
        symlink(&outside, t.root().join(".venv")).unwrap();
        t.remove_all(Path::new(".venv")).unwrap();
        assert!(outside.join("keep").exists());
        // Missing is fine.
        t.remove_all(Path::new(".pyve/nothing")).unwrap();
    }

    #[test]
    fn the_lock_is_never_a_link_or_a_hard_link() {
        let (_d, t, outside) = setup();
        std::fs::create_dir_all(t.root().join(".pyve")).unwrap();
        symlink(outside.join("keep"), t.root().join(".pyve/lock")).unwrap();
        assert!(t.open_lock(Path::new(".pyve/lock")).is_err());
        std::fs::remove_file(t.root().join(".pyve/lock")).unwrap();
        std::fs::hard_link(outside.join("keep"), t.root().join(".pyve/lock")).unwrap();
        let e = t.open_lock(Path::new(".pyve/lock")).unwrap_err();
        assert!(e.to_string().contains("not pyve's own lock file"), "{e}");
        assert_eq!(
            std::fs::read_to_string(outside.join("keep")).unwrap(),
            "precious"
        );
        std::fs::remove_file(t.root().join(".pyve/lock")).unwrap();
        t.open_lock(Path::new(".pyve/lock")).unwrap();
    }

    #[test]
    fn temp_files_are_random_exclusive_and_cleaned_up() {
        let (_d, t, _) = setup();
        let a = t.temp_file(Path::new("bin"), ".dl-", 0o600).unwrap();
        let b = t.temp_file(Path::new("bin"), ".dl-", 0o600).unwrap();
        assert_ne!(a.path(), b.path());
        let pa = a.path();
        drop(a);
        assert!(!pa.exists());
        b.persist(OsStr::new("tool")).unwrap();
        assert!(t.root().join("bin/tool").exists());
    }
}
