//! The lock specification (`src_parser/__init__.py::make_lock_spec`, `aggregation.py`)
//! and its content hashes (`content_hash.py`): what `conda-lock lock` writes in
//! `metadata.content_hash` and what `--check-input-hash` accepts.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use crate::DEFAULT_PLATFORMS;
use crate::channel::Channel;
use crate::dependency::{Dependency, Manager};
use crate::environment::{EnvSource, SourceSpec};
use crate::error::Error;
use crate::json::{Json, sha256_hex};
use crate::virtual_packages::VirtualPackageRepo;

/// conda-lock's `LockSpecification`, minus what the hash ignores.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LockSpec {
    pub platforms: Vec<String>,
    pub channels: Vec<Channel>,
    pub pip_repositories: Vec<String>,
    /// platform → dependencies, unique per (manager, name).
    pub dependencies: BTreeMap<String, Vec<Dependency>>,
    pub sources: Vec<PathBuf>,
}

/// The knobs of `conda-lock lock` that change the lock specification.
#[derive(Clone, Debug, Default)]
pub struct SpecOptions {
    /// `--platform`: replaces the platforms of the sources.
    pub platforms: Option<Vec<String>>,
    /// `--channel`: replaces the channels of the sources.
    pub channels: Option<Vec<String>>,
    /// The directory conda-lock runs in (relative pip path dependencies and channel
    /// paths are looked up there). Default: the process's working directory.
    pub cwd: Option<PathBuf>,
    /// The environment conda-lock sees (credential detection in channel URLs).
    /// Default: this process's environment.
    pub environ: Option<Vec<(String, String)>>,
}

/// conda-lock's `make_lock_spec` over environment files.
pub fn make_lock_spec(sources: &[EnvSource], options: &SpecOptions) -> Result<LockSpec, Error> {
    let cwd = options
        .cwd
        .clone()
        .or_else(|| std::env::current_dir().ok())
        .unwrap_or_else(|| PathBuf::from("."));
    let environ: Vec<(String, String)> = match &options.environ {
        Some(e) => e.clone(),
        None => std::env::vars().collect(),
    };
    for s in sources {
        // conda-lock reads these with other parsers, which pyve does not mirror.
        let name = s.path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if name == "pyproject.toml" || name == "meta.yaml" {
            return Err(s.err(
                format!("pyve judges conda-lock sources that are environment files; `{name}` is not supported"),
                None,
            ));
        }
    }
    let mut platforms: Vec<String> = match options.platforms.as_ref().filter(|p| !p.is_empty()) {
        Some(p) => p.clone(),
        None => declared_platforms(sources)?,
    };
    if platforms.is_empty() {
        platforms = DEFAULT_PLATFORMS.iter().map(|s| s.to_string()).collect();
    }
    let specs: Vec<SourceSpec> = sources
        .iter()
        .map(|s| s.lock_spec(&platforms, &cwd, &environ))
        .collect::<Result<_, _>>()?;

    let mut dependencies = BTreeMap::new();
    for platform in &platforms {
        // unique_deps[(manager, name)] = dep: the last one wins.
        let mut unique: BTreeMap<(Manager, String), Dependency> = BTreeMap::new();
        for spec in &specs {
            for dep in spec.dependencies.get(platform).into_iter().flatten() {
                unique.insert((dep.manager, dep.name.clone()), dep.clone());
            }
        }
        dependencies.insert(platform.clone(), unique.into_values().collect());
    }
    let label = |i: usize| sources.get(i).map(|s| s.label()).unwrap_or_default();
    let channels = unify_sources(specs.iter().map(|s| s.channels.clone()).collect())
        .map_err(|i| Error::invalid(label(i), "its channels are not an ordered suffix of the other sources' channels (conda-lock refuses to merge them)"))?;
    let pip_repositories = unify_sources(specs.iter().map(|s| s.pip_repositories.clone()).collect())
        .map_err(|i| Error::invalid(label(i), "its pip-repositories are not an ordered suffix of the other sources' (conda-lock refuses to merge them)"))?;
    let channels = match options.channels.as_ref().filter(|c| !c.is_empty()) {
        Some(over) => over
            .iter()
            .map(|c| Channel::from_string(c, &environ))
            .collect(),
        None => channels,
    };
    for c in &channels {
        if c.url == "nodefaults" {
            return Err(Error::invalid(
                label(0),
                "nodefaults channel is not allowed (conda-lock, ref #418)",
            ));
        }
    }
    let mut source_paths = Vec::new();
    for s in sources {
        if !source_paths.contains(&s.path) {
            source_paths.push(s.path.clone());
        }
    }
    Ok(LockSpec {
        platforms,
        channels,
        pip_repositories,
        dependencies,
        sources: source_paths,
    })
}

/// The union of the sources' `platforms:`, in order of first appearance.
pub(crate) fn declared_platforms(sources: &[EnvSource]) -> Result<Vec<String>, Error> {
    let mut all = Vec::new();
    for s in sources {
        for p in s.platforms()? {
            if !all.contains(&p) {
                all.push(p);
            }
        }
    }
    Ok(all)
}

/// conda-lock's `unify_package_sources`; the error is the index of the offending list.
fn unify_sources<T: Clone + PartialEq>(collections: Vec<Vec<T>>) -> Result<Vec<T>, usize> {
    // max(collections, key=len): the first of the longest.
    let Some(result) = collections
        .iter()
        .fold(None::<&Vec<T>>, |best, c| match best {
            Some(b) if b.len() >= c.len() => Some(b),
            _ => Some(c),
        })
        .cloned()
    else {
        return Ok(Vec::new());
    };
    for (i, c) in collections.iter().enumerate() {
        let truncated: &[T] = if c.is_empty() {
            &[]
        } else {
            &result[result.len().saturating_sub(c.len())..]
        };
        if c.as_slice() != truncated {
            return Err(i);
        }
    }
    Ok(result)
}

impl LockSpec {
    /// The dict conda-lock hashes (`_content_for_platform`), after `_remove_new_nulls`
    /// when `remove_new_nulls`.
    fn content(
        &self,
        platform: &str,
        vpr: Option<&VirtualPackageRepo>,
        remove_new_nulls: bool,
    ) -> Json {
        let mut deps: Vec<&Dependency> = self
            .dependencies
            .get(platform)
            .into_iter()
            .flatten()
            .collect();
        deps.sort_by(|a, b| (a.manager.as_str(), &a.name).cmp(&(b.manager.as_str(), &b.name)));
        let specs = deps
            .into_iter()
            .map(|d| {
                let mut j = d.to_json();
                if remove_new_nulls && let Json::Obj(m) = &mut j {
                    for key in ["markers", "subdirectory"] {
                        if m.get(key) == Some(&Json::Null) {
                            m.remove(key);
                        }
                    }
                }
                j
            })
            .collect();
        let mut top = BTreeMap::new();
        top.insert(
            "channels".to_string(),
            Json::List(
                self.channels
                    .iter()
                    .map(|c| Json::Str(c.model_dump_json()))
                    .collect(),
            ),
        );
        top.insert("specs".to_string(), Json::List(specs));
        if !self.pip_repositories.is_empty() {
            top.insert(
                "pip_repositories".to_string(),
                Json::List(
                    self.pip_repositories
                        .iter()
                        .map(|url| Json::Str(serde_json::json!({ "url": url }).to_string()))
                        .collect(),
                ),
            );
        }
        if let Some(v) = vpr {
            top.insert("virtual_package_hash".to_string(), v.hash_content(platform));
        }
        Json::Obj(top)
    }

    /// The exact JSON text conda-lock hashes for `platform` when it writes a lock.
    pub fn content_json(&self, platform: &str, vpr: Option<&VirtualPackageRepo>) -> String {
        let vpr = vpr.map(VirtualPackageRepo::with_spurious_build_numbers);
        self.content(platform, vpr.as_ref(), true).dumps()
    }

    /// `compute_content_hashes(spec, vpr)[platform]`: the hash `conda-lock lock` writes.
    /// `vpr` is `None` only to mirror conda-lock's own `None` (no virtual packages at
    /// all); the CLI always has one, see [`VirtualPackageRepo::conda_lock_default`].
    pub fn content_hash(&self, platform: &str, vpr: Option<&VirtualPackageRepo>) -> String {
        sha256_hex(&self.content_json(platform, vpr))
    }

    /// `backwards_compatible_content_hashes(spec, vpr, platform)`: every hash
    /// `conda-lock lock --check-input-hash` accepts as "unchanged" (older conda-lock
    /// releases wrote some of them).
    pub fn accepted_content_hashes(
        &self,
        platform: &str,
        vpr: Option<&VirtualPackageRepo>,
    ) -> BTreeSet<String> {
        let mut variants: Vec<VirtualPackageRepo> = Vec::new();
        if let Some(v) = vpr {
            variants.push(v.clone());
            if platform == "osx-64" && v.contains_osx_11() {
                variants.push(v.toggled_osx_10_15());
            }
            let current = variants.clone();
            variants.extend(
                current
                    .iter()
                    .map(VirtualPackageRepo::with_spurious_build_numbers),
            );
        }
        let mut out = BTreeSet::new();
        let repos: Vec<Option<&VirtualPackageRepo>> = if vpr.is_none() {
            vec![None]
        } else {
            variants.iter().map(Some).collect()
        };
        for repo in repos {
            for remove in [false, true] {
                out.insert(sha256_hex(&self.content(platform, repo, remove).dumps()));
            }
        }
        out
    }
}

/// The content hash conda-lock writes for `platform` when locking `sources` (with no
/// `--platform`/`--channel` overrides, run from the process's working directory).
/// `virtual_packages: None` mirrors conda-lock's Python API with no virtual-package repo;
/// what the CLI uses by default is `Some(&VirtualPackageRepo::conda_lock_default(&Cuda::Default))`.
pub fn content_hash(
    sources: &[EnvSource],
    platform: &str,
    virtual_packages: Option<&VirtualPackageRepo>,
) -> Result<String, Error> {
    let spec = make_lock_spec(
        sources,
        &SpecOptions {
            platforms: Some(vec![platform.to_string()]),
            ..SpecOptions::default()
        },
    )?;
    Ok(spec.content_hash(platform, virtual_packages))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pyproject_and_meta_yaml_sources_are_refused() {
        for name in ["pyproject.toml", "meta.yaml"] {
            let src = EnvSource::new(format!("/p/{name}"), "dependencies: [python]\n");
            let err = make_lock_spec(&[src], &SpecOptions::default()).expect_err(name);
            assert!(err.kind.to_string().contains("not supported"), "{err}");
        }
    }

    #[test]
    fn unify_channel_lists() {
        assert_eq!(unify_sources(vec![vec![2, 1], vec![1]]), Ok(vec![2, 1]));
        assert_eq!(
            unify_sources(vec![vec![1], vec![], vec![3, 1]]),
            Ok(vec![3, 1])
        );
        assert_eq!(unify_sources(vec![vec![2, 1], vec![3, 1]]), Err(1));
        assert_eq!(unify_sources::<i32>(vec![]), Ok(vec![]));
    }
}
