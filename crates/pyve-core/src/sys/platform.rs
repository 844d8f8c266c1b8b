//! What differs between operating systems, in one place: the conda platform name of
//! this machine, where an env keeps its programs (`bin/` on Unix, `Scripts\` and the
//! prefix itself on Windows), and how a program's file is named (`.exe`). The rest of
//! pyve asks here instead of joining `"bin"` itself. Unix (Linux, macOS) is what runs
//! today; the Windows answers are the design of docs/platforms.md, compiled in on
//! Windows only.

use std::path::{Path, PathBuf};

/// The conda platform (subdir) of this machine: `linux-64`, `osx-arm64`, `win-64`, …;
/// `unknown` where conda has none.
pub fn conda_platform() -> &'static str {
    platform_for(std::env::consts::OS, std::env::consts::ARCH).unwrap_or("unknown")
}

/// The conda platform of an OS and architecture as Rust names them.
pub fn platform_for(os: &str, arch: &str) -> Option<&'static str> {
    Some(match (os, arch) {
        ("linux", "x86_64") => "linux-64",
        ("linux", "aarch64") => "linux-aarch64",
        ("linux", "powerpc64") => "linux-ppc64le",
        ("macos", "x86_64") => "osx-64",
        ("macos", "aarch64") => "osx-arm64",
        ("windows", "x86_64") => "win-64",
        ("windows", "aarch64") => "win-arm64",
        _ => return None,
    })
}

/// The platform-specific env files this machine reads before `environment.yml`:
/// `environment.linux-64.yml`, then `environment.linux-64.yaml`.
pub fn platform_env_files() -> &'static [&'static str] {
    match conda_platform() {
        "linux-64" => &["environment.linux-64.yml", "environment.linux-64.yaml"],
        "linux-aarch64" => &[
            "environment.linux-aarch64.yml",
            "environment.linux-aarch64.yaml",
        ],
        "linux-ppc64le" => &[
            "environment.linux-ppc64le.yml",
            "environment.linux-ppc64le.yaml",
        ],
        "osx-64" => &["environment.osx-64.yml", "environment.osx-64.yaml"],
        "osx-arm64" => &["environment.osx-arm64.yml", "environment.osx-arm64.yaml"],
        "win-64" => &["environment.win-64.yml", "environment.win-64.yaml"],
        "win-arm64" => &["environment.win-arm64.yml", "environment.win-arm64.yaml"],
        _ => &[],
    }
}

/// A program's file name here: `micromamba`, or `micromamba.exe` on Windows.
pub fn exe(name: &str) -> String {
    format!("{name}{}", std::env::consts::EXE_SUFFIX)
}

/// Where a venv keeps its programs: `bin/`, or `Scripts\` on Windows.
pub fn venv_bin(prefix: &Path) -> PathBuf {
    prefix.join(if cfg!(windows) { "Scripts" } else { "bin" })
}

/// A venv's own python: `bin/python`, or `Scripts\python.exe`.
pub fn venv_python(prefix: &Path) -> PathBuf {
    venv_bin(prefix).join(exe("python"))
}

/// Where a conda env keeps its programs: `bin/`, or on Windows `Scripts\` (entry
/// points; `python.exe` itself is in the prefix, see [`conda_python`]).
pub fn conda_bin(prefix: &Path) -> PathBuf {
    venv_bin(prefix)
}

/// A conda env's python: `bin/python`, or `python.exe` in the prefix on Windows.
pub fn conda_python(prefix: &Path) -> PathBuf {
    if cfg!(windows) {
        prefix.join(exe("python"))
    } else {
        prefix.join("bin").join("python")
    }
}

/// A sandbox micromamba under `dir` (`.pyve` or `$PYVE_HOME`): `bin/micromamba`, or
/// `bin\micromamba.exe`.
pub fn sandbox_micromamba(dir: &Path) -> PathBuf {
    dir.join("bin").join(exe("micromamba"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn platforms_and_layouts() {
        assert_eq!(platform_for("linux", "x86_64"), Some("linux-64"));
        assert_eq!(platform_for("macos", "aarch64"), Some("osx-arm64"));
        assert_eq!(platform_for("windows", "x86_64"), Some("win-64"));
        assert_eq!(platform_for("plan9", "mips"), None);
        let p = Path::new("/p/.venv");
        if cfg!(unix) {
            assert_eq!(venv_python(p), Path::new("/p/.venv/bin/python"));
            assert_eq!(conda_python(p), Path::new("/p/.venv/bin/python"));
            assert_eq!(exe("micromamba"), "micromamba");
        }
        for f in platform_env_files() {
            assert!(f.contains(conda_platform()), "{f}");
        }
    }
}
