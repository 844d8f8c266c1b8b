//! conda-lock's virtual packages (`virtual_package.py`): the fake repodata of `__glibc`,
//! `__cuda`, `__osx`, … that is part of the content hash, from conda-lock's defaults or
//! a `virtual-packages.yml`, and the legacy variants `--check-input-hash` accepts.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

use crate::error::{Error, locate};
use crate::json::Json;

/// `--with-cuda` / `--without-cuda`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Cuda {
    /// Neither flag: the default `__cuda` of conda-lock's default repo (11.4).
    #[default]
    Default,
    /// `--without-cuda`: no `__cuda` package.
    Without,
    /// `--with-cuda VERSION`.
    Version(String),
}

/// One fake package of conda-lock's virtual-package repository.
#[derive(Clone, Debug, PartialEq, Eq)]
struct VirtualPackage {
    name: String,
    version: String,
    build_string: String,
    build_number: i64,
    build: String,
    subdir: String,
}

impl VirtualPackage {
    fn new(name: &str, version: &str, build_string: &str, subdir: &str) -> VirtualPackage {
        VirtualPackage {
            name: name.to_string(),
            version: version.to_string(),
            build_string: build_string.to_string(),
            build_number: 0,
            build: if build_string.is_empty() {
                "0".to_string()
            } else {
                build_string.to_string()
            },
            subdir: subdir.to_string(),
        }
    }

    fn file_name(&self) -> String {
        format!("{}-{}-{}.tar.bz2", self.name, self.version, self.build)
    }

    fn to_json(&self) -> Json {
        Json::obj([
            ("name", Json::str(&self.name)),
            ("version", Json::str(&self.version)),
            ("build_string", Json::str(&self.build_string)),
            ("build_number", Json::Int(self.build_number)),
            ("noarch", Json::str("")),
            ("depends", Json::List(Vec::new())),
            ("timestamp", Json::Int(VIRTUAL_PACKAGE_TIMESTAMP)),
            ("package_type", Json::str("virtual_system")),
            ("build", Json::str(&self.build)),
            ("subdir", Json::str(&self.subdir)),
        ])
    }
}

/// conda-lock's `DEFAULT_TIME` (2020-01-01), the timestamp of every virtual package.
const VIRTUAL_PACKAGE_TIMESTAMP: i64 = 1_577_854_800_000;

/// conda-lock's `default-virtual-packages.yaml`.
const DEFAULT_VIRTUAL_PACKAGES: &[(&str, &[(&str, &str)])] = &[
    (
        "linux-64",
        &[
            ("__unix", "0"),
            ("__linux", "5.10"),
            ("__archspec", "1 x86_64"),
            ("__glibc", "2.28"),
            ("__cuda", "11.4"),
        ],
    ),
    (
        "linux-aarch64",
        &[
            ("__unix", "0"),
            ("__linux", "5.10"),
            ("__archspec", "1 aarch64"),
            ("__glibc", "2.28"),
            ("__cuda", "11.4"),
        ],
    ),
    (
        "linux-ppc64le",
        &[
            ("__unix", "0"),
            ("__linux", "5.10"),
            ("__archspec", "1 ppc64le"),
            ("__glibc", "2.28"),
            ("__cuda", "11.4"),
        ],
    ),
    (
        "osx-64",
        &[
            ("__unix", "0"),
            ("__archspec", "1 x86_64"),
            ("__osx", "11.0"),
        ],
    ),
    (
        "osx-arm64",
        &[
            ("__unix", "0"),
            ("__archspec", "1 arm64"),
            ("__osx", "11.0"),
        ],
    ),
    (
        "win-64",
        &[
            ("__win", "0"),
            ("__archspec", "1 x86_64"),
            ("__cuda", "11.4"),
        ],
    ),
];

/// The subdirs `FakeRepoData` always writes.
const FAKE_REPO_SUBDIRS: &[&str] = &[
    "noarch",
    "linux-aarch64",
    "linux-ppc64le",
    "linux-64",
    "osx-64",
    "osx-arm64",
    "win-64",
];

/// conda-lock's fake repodata of virtual packages (`FakeRepoData.all_repodata`), which
/// is part of the content hash.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VirtualPackageRepo {
    /// subdir → file name → package
    subdirs: BTreeMap<String, BTreeMap<String, VirtualPackage>>,
}

impl VirtualPackageRepo {
    fn from_entries<'a>(
        entries: impl IntoIterator<Item = (&'a str, String, String)>,
    ) -> VirtualPackageRepo {
        let mut subdirs: BTreeMap<String, BTreeMap<String, VirtualPackage>> = FAKE_REPO_SUBDIRS
            .iter()
            .map(|s| (s.to_string(), BTreeMap::new()))
            .collect();
        for (subdir, name, version_spec) in entries {
            // _parse_virtual_package_spec: "version[ build_string]"
            let (version, build_string) =
                version_spec.split_once(' ').unwrap_or((&version_spec, ""));
            let pkg = VirtualPackage::new(&name, version, build_string, subdir);
            subdirs
                .entry(subdir.to_string())
                .or_default()
                .insert(pkg.file_name(), pkg);
        }
        VirtualPackageRepo { subdirs }
    }

    /// `default_virtual_package_repodata(cuda_version)`: what conda-lock uses when there
    /// is no `--virtual-package-spec` and no `virtual-packages.yml`.
    pub fn conda_lock_default(cuda: &Cuda) -> VirtualPackageRepo {
        let mut entries = Vec::new();
        for (subdir, packages) in DEFAULT_VIRTUAL_PACKAGES {
            for (name, spec) in *packages {
                let spec = if *name == "__cuda" {
                    match cuda {
                        Cuda::Default => spec.to_string(),
                        Cuda::Without => continue,
                        Cuda::Version(v) => v.clone(),
                    }
                } else {
                    spec.to_string()
                };
                entries.push((*subdir, name.to_string(), spec));
            }
        }
        // add_duplicate_osx_package: conda-lock keeps an extra __osx 10.15 for osx-64.
        entries.push(("osx-64", "__osx".to_string(), "10.15".to_string()));
        VirtualPackageRepo::from_entries(entries)
    }

    /// `virtual_package_repo_from_specification(file)`, for `--virtual-package-spec`
    /// or a `virtual-packages.yml` in the directory conda-lock runs in.
    pub fn from_spec_text(text: &str, file: &str) -> Result<VirtualPackageRepo, Error> {
        #[derive(Deserialize)]
        struct Spec {
            subdirs: indexed::Map<Subdir>,
        }
        #[derive(Deserialize)]
        struct Subdir {
            packages: indexed::Map<serde_json::Value>,
        }
        let spec: Spec = serde_saphyr::from_str(text).map_err(|e| Error::from_yaml(file, &e))?;
        let mut entries: Vec<(String, String, String)> = Vec::new();
        for (subdir, sd) in spec.subdirs.0 {
            for (name, version) in sd.packages.0 {
                // conda-lock's model wants strings: an unquoted `2.17` (a float to
                // PyYAML) is an error there too.
                let serde_json::Value::String(version) = version else {
                    return Err(Error::invalid(
                        file,
                        format!("`{name}: {version}`: the version must be a quoted string"),
                    )
                    .at(locate(text, &name)));
                };
                if !name.starts_with("__") {
                    return Err(
                        Error::invalid(file, format!("{name} is not a virtual package!"))
                            .at(locate(text, &name)),
                    );
                }
                entries.push((subdir.clone(), name, version));
            }
        }
        Ok(VirtualPackageRepo::from_entries(
            entries
                .iter()
                .map(|(s, n, v)| (s.as_str(), n.clone(), v.clone())),
        ))
    }

    pub fn from_spec_file(path: &Path) -> Result<VirtualPackageRepo, Error> {
        let file = path.display().to_string();
        let text = crate::error::read_text(path).map_err(|e| Error::read(&file, &e))?;
        VirtualPackageRepo::from_spec_text(&text, &file)
    }

    /// `_virtual_package_content_for_platform`.
    pub(crate) fn hash_content(&self, platform: &str) -> Json {
        let subdir = |s: &str| match self.subdirs.get(s) {
            Some(packages) => Json::obj([
                ("info", Json::obj([("subdir", Json::str(s))])),
                (
                    "packages",
                    Json::Obj(
                        packages
                            .iter()
                            .map(|(k, p)| (k.clone(), p.to_json()))
                            .collect(),
                    ),
                ),
            ]),
            None => Json::Obj(BTreeMap::new()),
        };
        let mut m = BTreeMap::new();
        m.insert("noarch".to_string(), subdir("noarch"));
        m.insert(platform.to_string(), subdir(platform));
        Json::Obj(m)
    }

    /// `_reinsert_spurious_build_number`: builds `x86_64` become `x86_64_0` (how
    /// conda-lock 2 named them; 3.0.3+ reproduces it for stable hashes).
    pub(crate) fn with_spurious_build_numbers(&self) -> VirtualPackageRepo {
        let mut out = self.clone();
        for packages in out.subdirs.values_mut() {
            let old = std::mem::take(packages);
            for (fname, mut p) in old {
                if p.build_string.is_empty() {
                    packages.insert(fname, p);
                } else {
                    p.build = format!("{}_{}", p.build_string, p.build_number);
                    let new_name = format!("{}-{}-{}.tar.bz2", p.name, p.version, p.build);
                    packages.insert(new_name, p);
                }
            }
        }
        out
    }

    pub(crate) fn contains_osx_11(&self) -> bool {
        self.subdirs
            .get("osx-64")
            .and_then(|p| p.get("__osx-11.0-0.tar.bz2"))
            .is_some_and(|p| *p == VirtualPackage::new("__osx", "11.0", "", "osx-64"))
    }

    /// `add_or_remove_osx_10_15_0_tar_bz2`.
    pub(crate) fn toggled_osx_10_15(&self) -> VirtualPackageRepo {
        let mut out = self.clone();
        let packages = out.subdirs.entry("osx-64".to_string()).or_default();
        let key = "__osx-10.15-0.tar.bz2";
        if packages.remove(key).is_none() {
            packages.insert(
                key.to_string(),
                VirtualPackage::new("__osx", "10.15", "", "osx-64"),
            );
        }
        out
    }
}

/// A YAML mapping read in document order (serde maps otherwise lose it).
mod indexed {
    use serde::de::{Deserialize, Deserializer, MapAccess, Visitor};

    pub struct Map<V>(pub Vec<(String, V)>);

    impl<'de, V: Deserialize<'de>> Deserialize<'de> for Map<V> {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            struct V2<V>(std::marker::PhantomData<V>);
            impl<'de, V: Deserialize<'de>> Visitor<'de> for V2<V> {
                type Value = Map<V>;
                fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                    f.write_str("a mapping")
                }
                fn visit_map<A: MapAccess<'de>>(self, mut a: A) -> Result<Map<V>, A::Error> {
                    let mut out = Vec::new();
                    while let Some((k, v)) = a.next_entry::<String, V>()? {
                        out.push((k, v));
                    }
                    Ok(Map(out))
                }
            }
            d.deserialize_map(V2(std::marker::PhantomData))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_virtual_packages_and_legacy_variants() {
        let repo = VirtualPackageRepo::conda_lock_default(&Cuda::Default);
        assert!(repo.contains_osx_11());
        let linux = repo.hash_content("linux-64").dumps();
        assert!(linux.contains("\"__cuda-11.4-0.tar.bz2\""));
        assert!(linux.contains("\"__archspec-1-x86_64.tar.bz2\""));
        let spurious = repo
            .with_spurious_build_numbers()
            .hash_content("linux-64")
            .dumps();
        assert!(spurious.contains("\"__archspec-1-x86_64_0.tar.bz2\""));
        let without = VirtualPackageRepo::conda_lock_default(&Cuda::Without)
            .hash_content("win-64")
            .dumps();
        assert!(!without.contains("__cuda"));
        let osx = repo.toggled_osx_10_15();
        assert_ne!(osx, repo);
        assert_eq!(osx.toggled_osx_10_15(), repo);
        // Versions must be strings, as conda-lock's pydantic model wants.
        let err = VirtualPackageRepo::from_spec_text(
            "subdirs:\n  linux-64:\n    packages:\n      __glibc: 2.17\n",
            "virtual-packages.yml",
        )
        .expect_err("unquoted version");
        assert_eq!(err.line, Some(4), "{err}");
        assert!(
            VirtualPackageRepo::from_spec_text(
                "subdirs:\n  linux-64:\n    packages:\n      glibc: '2'\n",
                "v.yml"
            )
            .is_err()
        );
        // An unknown platform hashes as an empty subdir.
        assert!(
            repo.hash_content("linux-armv7l")
                .dumps()
                .contains("\"linux-armv7l\": {}")
        );
    }
}
