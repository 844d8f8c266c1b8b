//! Finding micromamba: `.pyve/bin/micromamba` → `$PYVE_HOME/bin/micromamba`
//! → `micromamba` on PATH. A candidate that exists but whose `--version` fails is
//! reported and skipped.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use super::resolve::{Outcome, Place, Resolution, Tried};
use crate::sys::probe::ProbeError;

/// Why a project's own micromamba was not run.
pub const UNTRUSTED: &str = "not run: it came with the project, not from `pyve bootstrap` on this machine (`pyve trust` allows it)";

/// Why micromamba could not be used: every place tried.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NotFound {
    pub tried: Vec<Tried>,
}

pub fn resolve(
    project_sandbox: &Path,
    pyve_home: &Path,
    path_var: &OsStr,
) -> Result<Resolution, NotFound> {
    resolve_with(project_sandbox, pyve_home, path_var, &version)
}

/// [`resolve`], with versions remembered in `$PYVE_HOME/cache/micromamba-versions.json`
/// by binary path, size and mtime: `doctor` and `status` then start no process when
/// nothing changed. A candidate that fails is never cached.
pub fn resolve_cached(
    project_sandbox: &Path,
    pyve_home: &Path,
    path_var: &OsStr,
) -> Result<Resolution, NotFound> {
    let cache = pyve_home.join("cache").join("micromamba-versions.json");
    resolve_with(project_sandbox, pyve_home, path_var, &|bin: &Path| {
        cached_version(&cache, bin)
    })
}

fn file_key(bin: &Path) -> Option<String> {
    use std::os::unix::fs::MetadataExt;
    let m = std::fs::metadata(bin).ok()?;
    Some(format!(
        "{}|{}|{}.{}",
        bin.display(),
        m.size(),
        m.mtime(),
        m.mtime_nsec()
    ))
}

fn cached_version(cache: &Path, bin: &Path) -> Result<String, ProbeError> {
    let key = file_key(bin);
    let mut map: std::collections::BTreeMap<String, String> =
        crate::sys::fs::read_bounded(cache, crate::sys::fs::FILE_CAP)
            .ok()
            .and_then(|b| serde_json::from_slice(&b).ok())
            .unwrap_or_default();
    if let Some(k) = &key
        && let Some(v) = map.get(k)
    {
        return Ok(v.clone());
    }
    let v = version(bin)?;
    if let Some(k) = key {
        // Keep only this binary's latest entry.
        let prefix = format!("{}|", bin.display());
        map.retain(|old, _| !old.starts_with(&prefix));
        map.insert(k, v.clone());
        if let Ok(json) = serde_json::to_vec_pretty(&map) {
            let _ = crate::sys::tree::write_own_file(cache, &json);
        }
    }
    Ok(v)
}

fn resolve_with(
    project_sandbox: &Path,
    pyve_home: &Path,
    path_var: &OsStr,
    version: &dyn Fn(&Path) -> Result<String, ProbeError>,
) -> Result<Resolution, NotFound> {
    let mut tried = Vec::new();
    let on_path = crate::sys::process::find_program(OsStr::new("micromamba"), path_var);
    let candidates: [(Place, Option<PathBuf>, PathBuf); 3] = [
        (
            Place::Project,
            Some(project_sandbox.to_path_buf()),
            project_sandbox.to_path_buf(),
        ),
        (
            Place::User,
            Some(crate::sys::platform::sandbox_micromamba(pyve_home)),
            crate::sys::platform::sandbox_micromamba(pyve_home),
        ),
        (Place::Path, on_path, PathBuf::from("micromamba")),
    ];
    for (place, candidate, shown) in candidates {
        let Some(path) = candidate.filter(|p| p.exists()) else {
            tried.push(Tried {
                place,
                path: shown,
                version: None,
                outcome: if place == Place::Path {
                    Outcome::NotOnPath
                } else {
                    Outcome::NotInstalled
                },
            });
            continue;
        };
        // A binary that came with the project is never run unless pyve put it there
        // or the user trusted it (engine::trust): looking must not execute anything.
        if place == Place::Project && !super::trust::is_trusted(pyve_home, &path) {
            tried.push(Tried {
                place,
                path,
                version: None,
                outcome: Outcome::Skipped(UNTRUSTED.into()),
            });
            continue;
        }
        match version(&path) {
            Ok(v) => {
                tried.push(Tried {
                    place,
                    path: path.clone(),
                    version: Some(v.clone()),
                    outcome: Outcome::Taken,
                });
                return Ok(Resolution {
                    kind: "micromamba",
                    path,
                    version: v,
                    place,
                    tried,
                });
            }
            Err(why) => tried.push(Tried {
                place,
                path,
                version: None,
                outcome: Outcome::Skipped(why.to_string()),
            }),
        }
    }
    Err(NotFound { tried })
}

/// `micromamba --version` prints a bare version ("2.0.5"). It runs as every call does:
/// pyve's root prefix, no caller activation; bounded in time.
pub fn version(binary: &Path) -> Result<String, ProbeError> {
    let env = [(
        std::ffi::OsString::from("MAMBA_ROOT_PREFIX"),
        root_prefix(&super::project::pyve_home()).into_os_string(),
    )];
    let cancel = std::sync::atomic::AtomicBool::new(false);
    crate::sys::probe::version(
        binary,
        &crate::sys::probe::Probe {
            env_remove: &removed_vars(),
            env: &env,
            timeout: VERSION_TIMEOUT,
            cancel: &cancel,
        },
    )
}

/// How long `micromamba --version` may take before the binary counts as not running.
const VERSION_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(30);

/// The conda platform this pyve runs on (`linux-64`, `osx-arm64`, …).
pub fn current_platform() -> &'static str {
    crate::sys::platform::conda_platform()
}

/// pyve's own `MAMBA_ROOT_PREFIX`: a package cache, never anyone's base env.
pub fn root_prefix(pyve_home: &Path) -> PathBuf {
    pyve_home.join("mamba")
}

/// The variables a micromamba call that fetches packages gets (create, install, and
/// conda-lock's solves): pyve's root prefix, and its `pkgs` as the only package cache —
/// without `CONDA_PKGS_DIRS`, micromamba 2.x also creates `~/.mamba/pkgs` in the
/// user's home as a second cache.
pub fn fetch_env(pyve_home: &Path) -> Vec<(std::ffi::OsString, std::ffi::OsString)> {
    let root = root_prefix(pyve_home);
    vec![
        ("MAMBA_ROOT_PREFIX".into(), root.clone().into_os_string()),
        ("CONDA_PKGS_DIRS".into(), root.join("pkgs").into_os_string()),
    ]
}

/// The caller's activation variables, removed from every micromamba call so it can
/// neither see nor modify the env the user happens to have active.
pub fn removed_vars() -> Vec<std::ffi::OsString> {
    let mut v = super::venv::foreign_activation_vars();
    for k in [
        "MAMBA_ROOT_PREFIX",
        "MAMBA_EXE",
        "CONDA_PREFIX",
        "VIRTUAL_ENV",
    ] {
        if !v.iter().any(|x| x == k) {
            v.push(k.into());
        }
    }
    v
}

/// Which file the env is built from: `micromamba.env_file`, else `conda-lock.yml`
/// when it covers this platform, else `environment.yml` / `environment.yaml`, else a
/// lock that does not cover it (micromamba then says so).
pub fn env_file(root: &Path, configured: Option<&Path>) -> Option<(PathBuf, &'static str)> {
    if let Some(f) = configured {
        return Some((f.to_path_buf(), ".pyve/config"));
    }
    let lock = root.join("conda-lock.yml");
    let lock_ok = lock.is_file()
        && lock_platforms(&lock)
            .iter()
            .any(|p| p == current_platform());
    if lock_ok {
        return Some((
            PathBuf::from("conda-lock.yml"),
            "conda-lock.yml covers this platform",
        ));
    }
    // `environment.linux-64.yml` before `environment.yml`: a project that needs
    // different packages per platform says so by file name (docs/platforms.md).
    for f in crate::sys::platform::platform_env_files() {
        if root.join(f).is_file() {
            return Some((PathBuf::from(f), "the env file for this platform"));
        }
    }
    for f in ["environment.yml", "environment.yaml"] {
        if root.join(f).is_file() {
            return Some((PathBuf::from(f), "environment file"));
        }
    }
    lock.is_file().then(|| {
        (
            PathBuf::from("conda-lock.yml"),
            "only conda-lock.yml exists",
        )
    })
}

/// `metadata.platforms` of a conda-lock file (empty when unreadable).
pub fn lock_platforms(path: &Path) -> Vec<String> {
    #[derive(serde::Deserialize)]
    struct Lock {
        metadata: Option<Meta>,
    }
    #[derive(serde::Deserialize)]
    struct Meta {
        platforms: Option<Vec<String>>,
    }
    let platforms = |text: &str| {
        serde_saphyr::from_str::<Option<Lock>>(text)
            .ok()
            .flatten()
            .and_then(|l| l.metadata)
            .and_then(|m| m.platforms)
    };
    let Ok(text) = crate::sys::fs::read_text(path, crate::sys::fs::FILE_CAP) else {
        return Vec::new();
    };
    // This runs on every `pyve run` (it picks the env file, an input of the env), and
    // a lock's `package:` list can be hundreds of thousands of lines. conda-lock
    // writes `metadata` before it, so the head is read first; the whole file only
    // when the head does not say.
    let head = text
        .find("\npackage:")
        .map(|i| &text[..i])
        .and_then(platforms);
    head.or_else(|| platforms(&text)).unwrap_or_default()
}

/// The python a conda prefix holds, read from its conda-meta record (no process).
pub fn conda_python(prefix: &Path) -> Option<(PathBuf, String)> {
    for e in std::fs::read_dir(prefix.join("conda-meta")).ok()?.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        if name.starts_with("python-") && name.ends_with(".json") {
            let text = crate::sys::fs::read_text(&e.path(), crate::sys::fs::FILE_CAP).ok()?;
            let v: serde_json::Value = serde_json::from_str(&text).ok()?;
            if v.get("name").and_then(|n| n.as_str()) == Some("python") {
                let version = v.get("version")?.as_str()?.to_string();
                return Some((crate::sys::platform::conda_python(prefix), version));
            }
        }
    }
    None
}

/// The arguments of `create` / `install` (always `-p PREFIX`: never a named env, never
/// base). `channels` is the whole list (`engine::channels::effective`): an env file is
/// solved from them alone (`--override-channels`: no channel of `~/.condarc` or
/// `~/.mambarc` joins), a lock file installs what it locked.
pub fn env_args(
    verb: &str,
    prefix: &Path,
    file: &Path,
    channels: &[String],
) -> Vec<std::ffi::OsString> {
    let mut args: Vec<std::ffi::OsString> = vec![
        verb.into(),
        "-y".into(),
        "-p".into(),
        prefix.as_os_str().to_owned(),
        "-f".into(),
        file.as_os_str().to_owned(),
    ];
    for c in channels {
        args.push("-c".into());
        args.push(c.into());
    }
    if !channels.is_empty()
        && super::project::EnvFileKind::of(file) == super::project::EnvFileKind::Environment
    {
        args.push("--override-channels".into());
    }
    args
}

/// The env's activation as a shell gets it from `micromamba activate`: the script
/// `micromamba shell activate -s bash -p PREFIX` prints (its exports and the
/// `etc/conda/activate.d` scripts it sources), evaluated by bash in a clean environment
/// (`PATH` without other envs' bin dirs, `HOME`, pyve's `MAMBA_ROOT_PREFIX`), and the
/// difference taken. Never `micromamba run … env`: micromamba sets `LC_ALL=C.UTF-8` and
/// `MAMBA_EXE` in its own process, and those are not the env's activation.
pub fn capture_activation(
    micromamba: &Path,
    prefix: &Path,
    root_prefix: &Path,
) -> Result<super::state::Activation, String> {
    let clean = clean_activation_env(root_prefix);
    // micromamba runs as every call does (the caller's environment without its
    // activation, pyve's root prefix), with the PATH the script is evaluated with.
    let mut cmd = Command::new(micromamba);
    cmd.args(activate_args(prefix)).stdin(Stdio::null());
    for k in removed_vars() {
        cmd.env_remove(k);
    }
    cmd.envs(clean.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    let out = crate::sys::watchdog::output(&mut cmd)
        .map_err(|e| format!("cannot run micromamba: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "`micromamba shell activate -s bash -p {}` failed ({}): {}",
            prefix.display(),
            crate::sys::process::describe_status(out.status),
            String::from_utf8_lossy(&out.stderr).trim()
        ));
    }
    let mut script = String::from_utf8_lossy(&out.stdout).into_owned();
    // The activate.d scripts: micromamba 2.x sources them from the script; a version
    // that does not gets them sourced here, in the same (sorted) order.
    for s in activate_d_scripts(prefix) {
        if !script.contains(&*s.to_string_lossy()) {
            script.push_str(&format!(
                "\n. {}\n",
                crate::sys::process::shell_quote(s.as_os_str())
            ));
        }
    }
    let printed = eval_in_bash(&script, &clean)?;
    activation_delta(&clean, &printed)
}

/// The argv of the activation script call (for docs and the double's tests).
pub fn activate_args(prefix: &Path) -> Vec<std::ffi::OsString> {
    vec![
        "shell".into(),
        "activate".into(),
        "-s".into(),
        "bash".into(),
        "-p".into(),
        prefix.as_os_str().to_owned(),
    ]
}

/// The environment an activation is computed from: nothing of the caller's but a PATH
/// stripped of other envs' bin dirs and HOME, plus pyve's root prefix.
fn clean_activation_env(root_prefix: &Path) -> std::collections::BTreeMap<String, String> {
    let path: Vec<PathBuf> = std::env::var_os("PATH")
        .map(|p| {
            std::env::split_paths(&p)
                .filter(|d| super::resolve::foreign_prefix(d).is_none())
                .collect()
        })
        .unwrap_or_default();
    let mut env = std::collections::BTreeMap::new();
    env.insert(
        "PATH".to_string(),
        std::env::join_paths(&path)
            .map(|p| p.to_string_lossy().into_owned())
            .unwrap_or_else(|_| "/usr/bin:/bin".into()),
    );
    if let Some(h) = std::env::var_os("HOME") {
        env.insert("HOME".into(), h.to_string_lossy().into_owned());
    }
    env.insert(
        "MAMBA_ROOT_PREFIX".into(),
        root_prefix.to_string_lossy().into_owned(),
    );
    env
}

/// `PREFIX/etc/conda/activate.d/*.sh`, sorted (conda's order).
pub fn activate_d_scripts(prefix: &Path) -> Vec<PathBuf> {
    scripts_in(&prefix.join("etc/conda/activate.d"))
}

/// `PREFIX/etc/conda/deactivate.d/*.sh`, reverse-sorted (conda's order).
pub fn deactivate_d_scripts(prefix: &Path) -> Vec<PathBuf> {
    let mut v = scripts_in(&prefix.join("etc/conda/deactivate.d"));
    v.reverse();
    v
}

fn scripts_in(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "sh") && p.is_file())
        .collect();
    v.sort();
    v
}

/// Runs `script` in `bash --noprofile --norc` with exactly `env` and returns the
/// NUL-separated environment it ends with. The script's own output goes to stderr.
pub fn eval_in_bash(
    script: &str,
    env: &std::collections::BTreeMap<String, String>,
) -> Result<Vec<u8>, String> {
    // The script is what micromamba prints for `-s bash`: plain `export`s and `.`,
    // which a POSIX sh evaluates the same where there is no bash.
    let bash = ["/bin/bash", "/usr/bin/bash", "/bin/sh"]
        .into_iter()
        .map(Path::new)
        .find(|p| p.exists())
        .unwrap_or(Path::new("/bin/sh"));
    let mut cmd = Command::new(bash);
    if bash.ends_with("bash") {
        cmd.args(["--noprofile", "--norc"]);
    }
    cmd.args([
        "-c",
        "{ eval \"$1\"; } >&2 || exit $?; command -p env -0",
        "pyve-activation",
        script,
    ])
    .env_clear()
    .envs(env)
    .stdin(Stdio::null());
    let out = crate::sys::watchdog::output(&mut cmd)
        .map_err(|e| format!("cannot run {}: {e}", bash.display()))?;
    if !out.status.success() {
        return Err(format!(
            "the activation script failed in bash ({}): {}",
            crate::sys::process::describe_status(out.status),
            String::from_utf8_lossy(&out.stderr).trim()
        ));
    }
    Ok(out.stdout)
}

/// The caller's environment with the deactivate.d scripts of the conda env it has
/// active (`CONDA_PREFIX`) applied, as `micromamba activate` does when it replaces one
/// activation by another. `None` when there is nothing to deactivate (no active env,
/// or one without deactivate.d scripts): then no process is started.
pub fn deactivate_caller(
    caller: &[(std::ffi::OsString, std::ffi::OsString)],
) -> Option<Result<Vec<(std::ffi::OsString, std::ffi::OsString)>, String>> {
    let active = caller
        .iter()
        .find(|(k, _)| k == "CONDA_PREFIX")
        .map(|(_, v)| PathBuf::from(v))?;
    let scripts = deactivate_d_scripts(&active);
    if scripts.is_empty() {
        return None;
    }
    let script: String = scripts
        .iter()
        .map(|s| format!(". {}\n", crate::sys::process::shell_quote(s.as_os_str())))
        .collect();
    let env: std::collections::BTreeMap<String, String> = caller
        .iter()
        .map(|(k, v)| {
            (
                k.to_string_lossy().into_owned(),
                v.to_string_lossy().into_owned(),
            )
        })
        .collect();
    Some(eval_in_bash(&script, &env).map(|printed| {
        let shell_own = ["_", "SHLVL", "PWD", "OLDPWD"];
        let mut out: Vec<(std::ffi::OsString, std::ffi::OsString)> = printed
            .split(|b| *b == 0)
            .filter_map(|e| {
                let e = String::from_utf8_lossy(e);
                let (k, v) = e.split_once('=')?;
                (!shell_own.contains(&k)).then(|| (k.into(), v.into()))
            })
            .collect();
        // bash's own bookkeeping is not the caller's: keep the caller's values.
        for (k, v) in caller {
            if shell_own.iter().any(|s| k == s) {
                out.push((k.clone(), v.clone()));
            }
        }
        out
    }))
}

/// pyve's next step after a micromamba step failed, from what it printed: a solve
/// failure (an unknown package, an unsatisfiable version) names the env file to fix.
/// `None` when the output says nothing pyve can add to.
pub fn failure_hint(step: &super::step::Step, output: &[String]) -> Option<String> {
    if let Some(h) = super::lock::failure_hint(step, output) {
        return Some(h);
    }
    let verb = step.args.first()?.to_str()?;
    if !matches!(verb, "create" | "install") {
        return None;
    }
    let channels: Vec<String> = step
        .args
        .windows(2)
        .filter(|w| w[0] == "-c")
        .map(|w| w[1].to_string_lossy().into_owned())
        .collect();
    if let Some((channel, url)) = super::channels::unreachable(output, &channels) {
        return Some(format!(
            "channel `{}` cannot be reached (micromamba could not load {}): check it, or remove it from `channels:` in the env file or `micromamba.channels` in .pyve/config, then rerun `pyve init`",
            crate::sys::term::escape(&channel),
            crate::sys::term::escape(&url)
        ));
    }
    if output
        .iter()
        .any(|l| l.contains("Could not solve for environment specs"))
    {
        let file = step
            .args
            .iter()
            .position(|a| a == "-f")
            .and_then(|i| step.args.get(i + 1))
            .map(|f| {
                Path::new(f)
                    .file_name()
                    .unwrap_or(f.as_os_str())
                    .to_string_lossy()
                    .into_owned()
            })
            .unwrap_or_else(|| "the environment file".into());
        return Some(format!(
            "micromamba could not solve {file}: change what it names above in {file} (a package name, a version, a channel), then rerun `pyve init`"
        ));
    }
    None
}

/// The delta between the environment passed in and the NUL-separated one printed.
pub fn activation_delta(
    before: &std::collections::BTreeMap<String, String>,
    printed: &[u8],
) -> Result<super::state::Activation, String> {
    let mut act = super::state::Activation::default();
    let mut saw_path = false;
    for entry in printed.split(|b| *b == 0).filter(|e| !e.is_empty()) {
        let entry = String::from_utf8_lossy(entry);
        let Some((k, v)) = entry.split_once('=') else {
            continue;
        };
        match k {
            "PATH" => {
                saw_path = true;
                let old: Vec<&str> = before
                    .get("PATH")
                    .map(|p| p.split(':').collect())
                    .unwrap_or_default();
                act.path_prepend = v
                    .split(':')
                    .take_while(|d| old.first() != Some(d))
                    .filter(|d| !d.is_empty() && !old.contains(d))
                    .map(PathBuf::from)
                    .collect();
            }
            // Shell bookkeeping and our own root prefix are not activation.
            "_" | "SHLVL" | "PWD" | "OLDPWD" | "MAMBA_ROOT_PREFIX" => {}
            _ => {
                if before.get(k).map(String::as_str) != Some(v) {
                    act.set.insert(k.to_string(), v.to_string());
                }
            }
        }
    }
    if !saw_path {
        return Err("the activated environment printed no PATH".into());
    }
    Ok(act)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_solve_failure_of_create_or_install_names_the_env_file() {
        let step = |verb: &str| super::super::step::Step {
            label: "create env demo".into(),
            program: "/x/micromamba".into(),
            args: env_args(
                verb,
                Path::new("/p/.pyve/envs/demo"),
                Path::new("/p/environment.yml"),
                &[],
            ),
            cwd: "/p".into(),
            env: vec![],
            env_remove: vec![],
            env_clear: false,
            argv0: None,
            interactive: false,
        };
        let said = vec![
            "error    libmamba Could not solve for environment specs".to_string(),
            "critical libmamba Could not solve for environment specs".to_string(),
        ];
        for verb in ["create", "install"] {
            assert_eq!(
                failure_hint(&step(verb), &said).as_deref(),
                Some(
                    "micromamba could not solve environment.yml: change what it names above in environment.yml (a package name, a version, a channel), then rerun `pyve init`"
                )
            );
        }
        assert_eq!(failure_hint(&step("create"), &["other".into()]), None);
        assert_eq!(failure_hint(&step("run"), &said), None);
    }

    #[test]
    fn lock_platforms_from_the_head_or_the_whole_file() {
        let t = tempfile::tempdir().unwrap();
        let lock = t.path().join("conda-lock.yml");
        // conda-lock's order: metadata, then the package list.
        std::fs::write(
            &lock,
            "version: 1\nmetadata:\n  platforms:\n  - linux-64\n  - osx-arm64\npackage:\n- name: x\n  version: '1'\n",
        )
        .unwrap();
        assert_eq!(lock_platforms(&lock), ["linux-64", "osx-arm64"]);
        // Hand-ordered with the package list first: read whole, same answer.
        std::fs::write(
            &lock,
            "version: 1\npackage:\n- name: x\n  version: '1'\nmetadata:\n  platforms:\n  - win-64\n",
        )
        .unwrap();
        assert_eq!(lock_platforms(&lock), ["win-64"]);
        std::fs::write(&lock, "not: [a lock\n").unwrap();
        assert!(lock_platforms(&lock).is_empty());
    }
}
