//! The verdict on a `conda-lock.yml`, per platform, as `conda-lock lock
//! --check-input-hash` run in the project root would give it.

use std::path::{Path, PathBuf};

use crate::environment::EnvSource;
use crate::error::Error;
use crate::lockfile::read_lockfile;
use crate::spec::{SpecOptions, declared_platforms, make_lock_spec};
use crate::virtual_packages::{Cuda, VirtualPackageRepo};

/// Which virtual-package repository to hash with.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum VirtualPackagesChoice {
    /// What `conda-lock` does when run in the project root without flags: the
    /// `virtual-packages.yml`/`.yaml` there if present, else the default repo.
    #[default]
    Auto,
    /// The default repo with a `--with-cuda`/`--without-cuda` choice.
    Default(Cuda),
    /// `--virtual-package-spec FILE`.
    SpecFile(PathBuf),
}

/// The `conda-lock lock` flags pyve cannot read from the lock file; the defaults are
/// what a plain `conda-lock lock --check-input-hash` in the project root does.
#[derive(Clone, Debug, Default)]
pub struct CheckOptions {
    pub virtual_packages: VirtualPackagesChoice,
    /// `--platform`: the platforms conda-lock would lock (default: those the sources
    /// name in `platforms:`; with none named, only the lock's own platforms are judged).
    pub platforms: Option<Vec<String>>,
    /// `--channel` overrides.
    pub channels: Option<Vec<String>>,
    /// The environment conda-lock would see (credential detection); default: ours.
    pub environ: Option<Vec<(String, String)>>,
}

/// How one platform of a lock compares with its sources.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PlatformVerdict {
    /// The recorded hash is one conda-lock accepts for the current sources.
    UpToDate,
    /// The sources changed since the lock was made (conda-lock would re-solve).
    /// `expected` is the hash conda-lock would write now; `actual` is the one recorded
    /// in `metadata.content_hash` (empty when the platform has none).
    Stale { expected: String, actual: String },
    /// Some of `metadata.sources` do not exist (resolved paths), so conda-lock cannot
    /// recompute the hash.
    SourceMissing(Vec<PathBuf>),
    /// The sources (or `CheckOptions::platforms`) name this platform but the lock has
    /// no entry for it: conda-lock would lock it.
    NotLocked { expected: String },
}

impl PlatformVerdict {
    pub fn is_up_to_date(&self) -> bool {
        matches!(self, PlatformVerdict::UpToDate)
    }
}

/// The verdict on a whole `conda-lock.yml`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LockVerdict {
    pub lock_path: PathBuf,
    /// `metadata.sources`, resolved against the lock file's directory.
    pub sources: Vec<PathBuf>,
    /// In the lock's platform order, then any platform only the sources name.
    pub per_platform: Vec<(String, PlatformVerdict)>,
}

impl LockVerdict {
    pub fn is_up_to_date(&self) -> bool {
        self.per_platform.iter().all(|(_, v)| v.is_up_to_date())
    }

    /// The platforms that are not up to date.
    pub fn stale_platforms(&self) -> Vec<&str> {
        self.per_platform
            .iter()
            .filter(|(_, v)| !v.is_up_to_date())
            .map(|(p, _)| p.as_str())
            .collect()
    }
}

/// conda-lock's reconstruction of a `metadata.sources` entry: absolute stays, relative
/// is joined to the lock file's directory.
fn resolve_source(lock_path: &Path, source: &str) -> PathBuf {
    let windows_abs = {
        let b = source.as_bytes();
        (b.len() >= 3 && b[0].is_ascii_alphabetic() && b[1] == b':' && matches!(b[2], b'/' | b'\\'))
            || source.starts_with("\\\\")
    };
    if source.starts_with('/') || windows_abs {
        return PathBuf::from(source);
    }
    let dir = lock_path.parent().unwrap_or(Path::new(""));
    dir.join(source)
}

/// Is `lock_path` up to date with its sources, as `conda-lock lock --check-input-hash`
/// run in `project_root` would judge it?
pub fn check(lock_path: &Path, project_root: &Path) -> Result<LockVerdict, Error> {
    check_with(lock_path, project_root, &CheckOptions::default())
}

/// [`check`] with the `conda-lock lock` flags pyve cannot see spelled out.
pub fn check_with(
    lock_path: &Path,
    project_root: &Path,
    options: &CheckOptions,
) -> Result<LockVerdict, Error> {
    let lock = read_lockfile(lock_path)?;
    let sources: Vec<PathBuf> = lock
        .metadata
        .sources
        .iter()
        .map(|s| resolve_source(lock_path, s))
        .collect();
    // A lock may name any path as its source: only those inside the project are read
    // (a cloned lock must not make pyve read, and echo, files elsewhere).
    let root = std::fs::canonicalize(project_root).unwrap_or_else(|_| project_root.to_path_buf());
    for s in &sources {
        let real = std::fs::canonicalize(s).unwrap_or_else(|_| s.clone());
        if !real.starts_with(&root) {
            return Err(Error::invalid(
                lock_path.display().to_string(),
                format!(
                    "metadata.sources names {}, outside the project; pyve reads sources only inside {}",
                    s.display(),
                    project_root.display()
                ),
            ));
        }
    }
    let mut locked: Vec<String> = lock.metadata.platforms.clone();
    for p in lock.metadata.content_hash.keys() {
        if !locked.contains(p) {
            locked.push(p.clone());
        }
    }
    let missing: Vec<PathBuf> = sources.iter().filter(|p| !p.exists()).cloned().collect();
    if !missing.is_empty() {
        return Ok(LockVerdict {
            lock_path: lock_path.to_path_buf(),
            sources,
            per_platform: locked
                .into_iter()
                .map(|p| (p, PlatformVerdict::SourceMissing(missing.clone())))
                .collect(),
        });
    }
    let env_sources: Vec<EnvSource> = sources
        .iter()
        .map(|p| EnvSource::read(p))
        .collect::<Result<_, _>>()?;
    let declared: Vec<String> = match &options.platforms {
        Some(p) => p.clone(),
        None => declared_platforms(&env_sources)?,
    };
    let mut judged = locked.clone();
    for p in &declared {
        if !judged.contains(p) {
            judged.push(p.clone());
        }
    }
    let spec = make_lock_spec(
        &env_sources,
        &SpecOptions {
            platforms: Some(judged.clone()),
            channels: options.channels.clone(),
            cwd: Some(project_root.to_path_buf()),
            environ: options.environ.clone(),
        },
    )?;
    let vpr = virtual_package_repo(&options.virtual_packages, project_root)?;
    let per_platform = judged
        .into_iter()
        .map(|platform| {
            let expected = spec.content_hash(&platform, Some(&vpr));
            let verdict = match lock.metadata.content_hash.get(&platform) {
                None if !lock.metadata.platforms.contains(&platform) => {
                    PlatformVerdict::NotLocked { expected }
                }
                None => PlatformVerdict::Stale {
                    expected,
                    actual: String::new(),
                },
                Some(actual) => {
                    if spec
                        .accepted_content_hashes(&platform, Some(&vpr))
                        .contains(actual)
                    {
                        PlatformVerdict::UpToDate
                    } else {
                        PlatformVerdict::Stale {
                            expected,
                            actual: actual.clone(),
                        }
                    }
                }
            };
            (platform, verdict)
        })
        .collect();
    Ok(LockVerdict {
        lock_path: lock_path.to_path_buf(),
        sources,
        per_platform,
    })
}

/// The virtual-package repository `choice` names, conda-lock run in `project_root`.
fn virtual_package_repo(
    choice: &VirtualPackagesChoice,
    project_root: &Path,
) -> Result<VirtualPackageRepo, Error> {
    Ok(match choice {
        VirtualPackagesChoice::Default(cuda) => VirtualPackageRepo::conda_lock_default(cuda),
        VirtualPackagesChoice::SpecFile(path) => VirtualPackageRepo::from_spec_file(path)?,
        VirtualPackagesChoice::Auto => {
            let found = ["virtual-packages.yml", "virtual-packages.yaml"]
                .iter()
                .map(|n| project_root.join(n))
                .find(|p| p.exists());
            match found {
                Some(p) => VirtualPackageRepo::from_spec_file(&p)?,
                None => VirtualPackageRepo::conda_lock_default(&Cuda::Default),
            }
        }
    })
}
