//! Which binaries found inside a project pyve may run. A clone can ship an executable
//! `.pyve/bin/micromamba`; running it on `pyve status` would be code execution just by
//! looking. So pyve runs a project's sandbox binary only when pyve itself installed it
//! there (the bootstrap records its sha256 under `$PYVE_HOME/trusted/`) or the user said
//! so with `pyve trust` (which records the same). A binary that changed since is not
//! trusted any more. Everything else in the project is data, never run (docs/security.md).

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
struct Record {
    path: PathBuf,
    sha256: String,
    /// The file's identity when its hash was taken: an unchanged file is not hashed again.
    size: u64,
    mtime_ns: i128,
    inode: u64,
}

fn record_path(pyve_home: &Path, binary: &Path) -> PathBuf {
    pyve_home
        .join("trusted")
        .join(format!("{}.json", crate::sys::fs::path_key(binary)))
}

fn identity(binary: &Path) -> Option<(u64, i128, u64)> {
    use std::os::unix::fs::MetadataExt;
    let m = std::fs::symlink_metadata(binary).ok()?;
    m.is_file().then(|| {
        (
            m.size(),
            m.mtime() as i128 * 1_000_000_000 + m.mtime_nsec() as i128,
            m.ino(),
        )
    })
}

/// Records `binary` (as it is now, with this sha256) as one pyve may run.
pub fn record(pyve_home: &Path, binary: &Path, sha256: &str) -> std::io::Result<()> {
    let (size, mtime_ns, inode) = identity(binary).ok_or_else(|| {
        std::io::Error::other(format!("{} is not a regular file", binary.display()))
    })?;
    let json = serde_json::to_vec(&Record {
        path: binary.to_path_buf(),
        sha256: sha256.to_string(),
        size,
        mtime_ns,
        inode,
    })
    .map_err(std::io::Error::other)?;
    let rel = record_path(pyve_home, binary);
    let tree = crate::sys::tree::Tree::open_or_create(pyve_home)?;
    tree.write(rel.strip_prefix(pyve_home).unwrap_or(&rel), &json)
}

/// True when `binary` is the file pyve recorded: same identity, or (after a copy or a
/// touch) the same sha256.
pub fn is_trusted(pyve_home: &Path, binary: &Path) -> bool {
    let Ok(bytes) = crate::sys::fs::read_bounded(&record_path(pyve_home, binary), 4096) else {
        return false;
    };
    let Ok(rec) = serde_json::from_slice::<Record>(&bytes) else {
        return false;
    };
    if rec.path != binary {
        return false;
    }
    match identity(binary) {
        Some(id) if id == (rec.size, rec.mtime_ns, rec.inode) => true,
        Some(_) => crate::sys::fs::sha256_file(binary).is_ok_and(|h| h == rec.sha256),
        None => false,
    }
}

/// Forgets `binary` (`pyve trust --revoke`, or after pyve removed it).
pub fn forget(pyve_home: &Path, binary: &Path) {
    let rel = record_path(pyve_home, binary);
    if let Ok(tree) = crate::sys::tree::Tree::open(pyve_home) {
        let _ = tree.remove_file(rel.strip_prefix(pyve_home).unwrap_or(&rel));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_recorded_file_is_trusted() {
        let home = tempfile::tempdir().unwrap();
        let proj = tempfile::tempdir().unwrap();
        let bin = proj.path().join("micromamba");
        std::fs::write(&bin, "#!/bin/sh\necho 2.8.1\n").unwrap();
        assert!(!is_trusted(home.path(), &bin));
        let sha = crate::sys::fs::sha256_file(&bin).unwrap();
        record(home.path(), &bin, &sha).unwrap();
        assert!(is_trusted(home.path(), &bin));
        // Replaced by something else: no longer trusted.
        std::fs::remove_file(&bin).unwrap();
        std::fs::write(&bin, "#!/bin/sh\nrm -rf ~\n").unwrap();
        assert!(!is_trusted(home.path(), &bin));
        forget(home.path(), &bin);
        assert!(!is_trusted(home.path(), &bin));
    }
}
