//! Why a `conda-lock.yml` is stale, in words: the specs of its sources (per platform,
//! as conda-lock reads them) that the locked packages no longer satisfy — a spec
//! added, a top-level package removed, a version no longer matched, a channel changed.
//! Matched with `condalock`'s match specs and version order, without a solver.

use crate::sys::fs::{FILE_CAP, read_text};
use std::collections::BTreeSet;
use std::path::Path;

use condalock::{CondaLock, LockedPackage, Manager};

/// One difference between a platform's specs and its locked packages.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Change {
    /// The sources name it; the lock has nothing of that name.
    Added { name: String, spec: String },
    /// A package nothing else in the lock depends on, no longer named by the sources.
    Removed { name: String, version: String },
    /// The locked version does not satisfy the spec any more.
    Version {
        name: String,
        spec: String,
        locked: String,
    },
    /// The package's channel (`conda-forge::numpy`) is not where it was locked from.
    Channel {
        name: String,
        wanted: String,
        locked: String,
    },
    /// The sources' channel list differs from the lock's.
    Channels {
        sources: Vec<String>,
        lock: Vec<String>,
    },
}

impl std::fmt::Display for Change {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Change::Added { name, spec } if spec.is_empty() => write!(f, "{name} added"),
            Change::Added { name, spec } => write!(f, "{name} {spec} added"),
            Change::Removed { name, version } => write!(f, "{name} removed (locked {version})"),
            Change::Version { name, spec, locked } => {
                write!(f, "{name} {spec} not matched by the locked {locked}")
            }
            Change::Channel {
                name,
                wanted,
                locked,
            } => write!(f, "{name} wanted from {wanted}, locked from {locked}"),
            Change::Channels { sources, lock } => write!(
                f,
                "channels now {}, locked with {}",
                sources.join(", "),
                lock.join(", ")
            ),
        }
    }
}

/// The channel of a package URL: `https://conda.anaconda.org/conda-forge/linux-64/x`
/// → `conda-forge`.
fn channel_of(url: &str) -> String {
    let parts: Vec<&str> = url.split('/').collect();
    if parts.len() >= 3 {
        return parts[parts.len() - 3].to_string();
    }
    url.to_string()
}

/// What changed for `platform` between the sources (`sources`, relative to `root`)
/// and `lock`. Empty when the locked packages satisfy every spec (a loosened version,
/// a reordering): conda-lock would still re-solve.
pub fn changes(
    root: &Path,
    sources: &[String],
    lock: &CondaLock,
    platform: &str,
) -> Result<Vec<Change>, condalock::Error> {
    let mut srcs = Vec::new();
    for s in sources {
        let text = read_text(&root.join(s), FILE_CAP).map_err(|e| condalock::Error {
            file: s.clone(),
            line: None,
            column: None,
            kind: condalock::ErrorKind::Read(e.to_string()),
        })?;
        srcs.push(condalock::EnvSource::new(s, text));
    }
    let spec = condalock::make_lock_spec(
        &srcs,
        &condalock::SpecOptions {
            platforms: Some(vec![platform.to_string()]),
            channels: None,
            cwd: Some(root.to_path_buf()),
            environ: Some(vec![]),
        },
    )?;
    let deps = spec
        .dependencies
        .get(platform)
        .map(Vec::as_slice)
        .unwrap_or(&[]);
    let wanted = super::spec::from_dependencies(String::new(), deps);
    let locked: Vec<&LockedPackage> = lock
        .package
        .iter()
        .filter(|p| p.platform == platform)
        .collect();
    let key = |m: Manager, n: &str| match m {
        Manager::Pip => (m, super::spec::pep503(n)),
        Manager::Conda => (m, n.to_lowercase()),
    };
    let find = |m: Manager, n: &str| locked.iter().find(|p| key(p.manager, &p.name) == key(m, n));
    let mut out = Vec::new();
    let groups = [(Manager::Conda, &wanted.conda), (Manager::Pip, &wanted.pip)];
    for (m, pkgs) in groups {
        for w in pkgs.iter() {
            match find(m, &w.name) {
                None => out.push(Change::Added {
                    name: w.name.clone(),
                    spec: w.version.clone(),
                }),
                Some(p) => {
                    if !w.version.is_empty()
                        && condalock::version_matches(&w.version, &p.version) == Some(false)
                    {
                        out.push(Change::Version {
                            name: w.name.clone(),
                            spec: w.version.clone(),
                            locked: p.version.clone(),
                        });
                    }
                    if let Some(c) = &w.channel
                        && m == Manager::Conda
                        && channel_of(&p.url) != *c
                    {
                        out.push(Change::Channel {
                            name: w.name.clone(),
                            wanted: c.clone(),
                            locked: channel_of(&p.url),
                        });
                    }
                }
            }
        }
    }
    // Top-level locked packages (nothing locked depends on them) no longer named.
    let depended: BTreeSet<(Manager, String)> = locked
        .iter()
        .flat_map(|p| p.dependencies.keys().map(move |d| key(p.manager, d)))
        .collect();
    let named: BTreeSet<(Manager, String)> = groups
        .iter()
        .flat_map(|(m, pkgs)| pkgs.iter().map(move |w| key(*m, &w.name)))
        .collect();
    for p in &locked {
        let k = key(p.manager, &p.name);
        if !depended.contains(&k) && !named.contains(&k) {
            out.push(Change::Removed {
                name: p.name.clone(),
                version: p.version.clone(),
            });
        }
    }
    let src_channels: Vec<String> = spec.channels.iter().map(|c| c.url.clone()).collect();
    let lock_channels: Vec<String> = lock
        .metadata
        .channels
        .iter()
        .map(|c| c.url.clone())
        .collect();
    if src_channels != lock_channels {
        out.push(Change::Channels {
            sources: src_channels,
            lock: lock_channels,
        });
    }
    Ok(out)
}

/// The changes as one phrase: "numpy >=1.26 added; libgcc-ng added", or what it means
/// when none is visible.
pub fn describe(changes: &[Change]) -> String {
    if changes.is_empty() {
        return "the specs changed, yet the locked packages still satisfy them (a loosened or reordered spec)".into();
    }
    changes
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("; ")
}

/// The stale platforms of a lock verdict with what changed on each (`None`: the
/// sources could not be read; the verdict's own words then stand).
pub fn explain(
    root: &Path,
    verdict: &condalock::LockVerdict,
) -> Vec<(String, Option<Vec<Change>>)> {
    let Ok(lock) = condalock::read_lockfile(&verdict.lock_path) else {
        return vec![];
    };
    let lock_dir = verdict.lock_path.parent().unwrap_or(root);
    let sources: Vec<String> = lock.metadata.sources.clone();
    verdict
        .per_platform
        .iter()
        .filter(|(_, v)| matches!(v, condalock::PlatformVerdict::Stale { .. }))
        .map(|(p, _)| (p.clone(), changes(lock_dir, &sources, &lock, p).ok()))
        .collect()
}

/// "numpy >=1.26 added (linux-64); …": the stale platforms' changes, merged when the
/// platforms agree.
pub fn summary(explained: &[(String, Option<Vec<Change>>)]) -> Option<String> {
    let known: Vec<(&String, &Vec<Change>)> = explained
        .iter()
        .filter_map(|(p, c)| c.as_ref().map(|c| (p, c)))
        .collect();
    if known.is_empty() {
        return None;
    }
    if known.iter().all(|(_, c)| *c == known[0].1) {
        return Some(describe(known[0].1));
    }
    Some(
        known
            .iter()
            .map(|(p, c)| format!("{p}: {}", describe(c)))
            .collect::<Vec<_>>()
            .join(" · "),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const LOCK: &str = "version: 1\nmetadata:\n  content_hash: {linux-64: x}\n  channels: [{url: conda-forge, used_env_vars: []}]\n  platforms: [linux-64]\n  sources: [environment.yml]\npackage:\n- {name: python, version: 3.11.7, manager: conda, platform: linux-64, dependencies: {}, url: 'https://conda.anaconda.org/conda-forge/linux-64/python-3.11.7-0.conda', hash: {}}\n- {name: numpy, version: 1.26.4, manager: conda, platform: linux-64, dependencies: {python: '>=3.11'}, url: 'https://conda.anaconda.org/conda-forge/linux-64/numpy-1.26.4-0.conda', hash: {}}\n- {name: pandas, version: 2.2.0, manager: conda, platform: linux-64, dependencies: {numpy: '>=1.22'}, url: 'https://conda.anaconda.org/conda-forge/linux-64/pandas-2.2.0-0.conda', hash: {}}\n";

    #[test]
    fn what_changed_since_the_lock() {
        let d = tempfile::tempdir().unwrap();
        std::fs::write(
            d.path().join("environment.yml"),
            "channels: [conda-forge, bioconda]\ndependencies:\n  - python=3.11\n  - numpy>=2\n  - bioconda::scipy\n",
        )
        .unwrap();
        let lock = condalock::parse_lockfile(LOCK, "conda-lock.yml").unwrap();
        let c = changes(d.path(), &["environment.yml".into()], &lock, "linux-64").unwrap();
        let words: Vec<String> = c.iter().map(ToString::to_string).collect();
        assert_eq!(
            words,
            [
                "numpy >=2 not matched by the locked 1.26.4",
                "scipy added",
                "pandas removed (locked 2.2.0)",
                "channels now conda-forge, bioconda, locked with conda-forge",
            ]
        );
    }
}
