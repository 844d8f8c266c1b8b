//! `conda-lock.yml`: reading it, and judging whether it is up to date exactly the way
//! conda-lock judges it: by recomputing the *content hash* of its source environment
//! files for each platform and comparing it with `metadata.content_hash[platform]`.
//!
//! This is a port of conda-lock 4.0.3 (docs/conda-lock-hash.md lists what is mirrored
//! and what is not supported), one module per domain:
//!
//! | module | mirrors |
//! |---|---|
//! | [`environment`] | `src_parser/environment_yaml.py`, `selectors.py`: an `environment.yml` → per-platform dependencies (`# [selector]` lines, `pip:`, `nodefaults`, `platforms:`, `category:`, `pip-repositories:`) |
//! | [`matchspec`] | `src_parser/conda_common.py` + conda 24.7.1's `MatchSpec` and `VersionSpec` (`=1.2` → `1.2.*`) |
//! | [`channel`] | `models/channel.py::Channel.from_string` (credentials → `${ENV_VAR}`), and conda's canonical channel names |
//! | [`pip`] | `src_parser/pyproject_toml.py::parse_python_requirement` + `packaging` (PEP 440 specifiers, PEP 508 markers) |
//! | [`dependency`] | `models/lock_spec.py`'s `Dependency` union and its `model_dump()` |
//! | [`virtual_packages`] | `virtual_package.py` (the default and the `virtual-packages.yml` repos) |
//! | [`spec`] | `src_parser/__init__.py::make_lock_spec`, `aggregation.py`, `content_hash.py` |
//! | [`lockfile`] | the unified `conda-lock.yml` model (`version: 1`) |
//! | [`check`](mod@check) | `conda-lock lock --check-input-hash`'s verdict, per platform |
//! | `json`, `pystr` | Python's `json.dumps(sort_keys=True)` and `str` methods, byte for byte |
//!
//! Everything here is data in, data out: nothing prints, and nothing knows pyve.
//! The crate's `tests/` compare it with conda-lock itself.

pub mod channel;
pub mod check;
pub mod dependency;
pub mod environment;
pub mod error;
mod json;
pub mod lockfile;
pub mod matchspec;
pub mod pip;
mod pystr;
pub mod spec;
pub mod virtual_packages;

pub use channel::Channel;
pub use check::{
    CheckOptions, LockVerdict, PlatformVerdict, VirtualPackagesChoice, check, check_with,
};
pub use dependency::{Dependency, DependencyKind, Manager};
pub use environment::EnvSource;
pub use environment::selectors::{filter_selectors, line_selector};
pub use error::{Error, ErrorKind, SpecError};
pub use lockfile::{
    CondaLock, LockChannel, LockMetadata, LockedPackage, PackageHash, parse_lockfile, read_lockfile,
};
pub use matchspec::order::version_matches;
pub use matchspec::version::normalize_version_spec;
pub use matchspec::{CondaSpec, parse_conda_spec};
pub use pip::canonicalize_pypi_name;
pub use pip::marker::evaluate_marker;
pub use pip::parse_pip_requirement;
pub use spec::{LockSpec, SpecOptions, content_hash, make_lock_spec};
pub use virtual_packages::{Cuda, VirtualPackageRepo};

/// The conda-lock release whose behaviour this crate mirrors.
pub const MIRRORED_CONDA_LOCK_VERSION: &str = "4.0.3";

/// conda-lock's `DEFAULT_PLATFORMS`, used when neither the sources nor the caller name any.
pub const DEFAULT_PLATFORMS: &[&str] = &["linux-64", "osx-arm64", "osx-64", "win-64"];
