//! Shared scaffolding for the integration tests: a hermetic environment per test (its
//! own HOME, PYVE_HOME, PYENV_ROOT, ASDF_DATA_DIR, a PATH without shims, no inherited
//! activation or pip settings), fake asdf/pyenv roots whose versions are symlinks to
//! (or thin wrappers around) real Pythons, and a few file and process helpers.
//!
//! Every test owns one [`TestEnv`]; nothing is shared between tests.

#![allow(dead_code)] // not every test module uses every helper

use std::ffi::{OsStr, OsString};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Output;
use std::time::{Duration, Instant};

use tempfile::TempDir;

/// The PATH pyve sees: no pyenv/asdf shims, no conda, no venv.
pub const BASE_PATH: &str = "/usr/local/bin:/usr/bin:/bin";

/// The micromamba test double (tests/support/README.md).
pub fn micromamba_double() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/support/micromamba")
}

/// The real file of the system python (`python3` on [`BASE_PATH`], resolved): the
/// Python that is always there (CI installs python3-venv). See [`host_python3`].
pub fn system_python() -> PathBuf {
    std::fs::canonicalize(host_python3()).unwrap()
}

/// A real pyenv-installed Python of the machine running the tests (read only, never
/// written), e.g. `host_pyenv_python("3.12.1")`. `None` when it is not installed;
/// the caller skips with a message saying so.
pub fn host_pyenv_python(version: &str) -> Option<PathBuf> {
    let root = std::env::var_os("PYENV_ROOT")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".pyenv")))?;
    let bin = root.join("versions").join(version).join("bin");
    ["python3", "python"]
        .iter()
        .map(|n| bin.join(n))
        .find(|p| p.exists())
}

/// How a wrapper python (see [`TestEnv::pyenv_wrapper`]) behaves on `-m venv`.
#[derive(Clone, Debug, Default)]
pub struct Wrapper {
    /// Keep pip in the venv (slow: ~2 s); without it a venv costs ~50 ms.
    pub with_pip: bool,
    /// Append a line to this file each time a venv is created.
    pub log: Option<PathBuf>,
    /// While `flag` exists: after creating the venv, write the wrapper's pid to `pid`,
    /// touch `ready` and block (exec sleep) until killed.
    pub block: Option<Block>,
}

#[derive(Clone, Debug)]
pub struct Block {
    pub flag: PathBuf,
    pub pid: PathBuf,
    pub ready: PathBuf,
}

pub struct TestEnv {
    _tmp: TempDir,
    /// The temp dir everything lives in.
    pub root: PathBuf,
    pub home: PathBuf,
    pub pyve_home: PathBuf,
    pub pyenv_root: PathBuf,
    pub asdf_dir: PathBuf,
    /// The project pyve runs in (cwd of every command).
    pub project: PathBuf,
    /// PATH given to pyve.
    pub path: OsString,
}

impl TestEnv {
    pub fn new() -> TestEnv {
        let tmp = tempfile::Builder::new()
            .prefix("pyve-it-")
            .tempdir()
            .unwrap();
        // Canonical, so paths pyve prints compare equal to ours.
        let root = std::fs::canonicalize(tmp.path()).unwrap();
        let home = root.join("home");
        let project = root.join("proj");
        std::fs::create_dir_all(&home).unwrap();
        std::fs::create_dir_all(&project).unwrap();
        TestEnv {
            _tmp: tmp,
            pyve_home: root.join("pyve-home"),
            pyenv_root: root.join("pyenv"),
            asdf_dir: root.join("asdf"),
            root,
            home,
            project,
            path: OsString::from(BASE_PATH),
        }
    }

    /// The variables every pyve invocation gets; nothing else is inherited.
    pub fn base_env(&self) -> Vec<(OsString, OsString)> {
        vec![
            ("PATH".into(), self.path.clone()),
            ("HOME".into(), self.home.clone().into()),
            ("PYVE_HOME".into(), self.pyve_home.clone().into()),
            ("PYENV_ROOT".into(), self.pyenv_root.clone().into()),
            ("ASDF_DATA_DIR".into(), self.asdf_dir.clone().into()),
            ("PIP_NO_INDEX".into(), "1".into()),
            ("PIP_DISABLE_PIP_VERSION_CHECK".into(), "1".into()),
            ("PIP_NO_INPUT".into(), "1".into()),
            ("LANG".into(), "C.UTF-8".into()),
        ]
    }

    /// `pyve` in the project directory with the hermetic environment.
    pub fn pyve(&self) -> assert_cmd::Command {
        assert_cmd::Command::from_std(self.std_pyve())
    }

    /// The same, as a std Command (to spawn several at once, or to kill one).
    pub fn std_pyve(&self) -> std::process::Command {
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_pyve"));
        cmd.env_clear()
            .envs(self.base_env())
            .current_dir(&self.project)
            .stdin(std::process::Stdio::null());
        cmd
    }

    /// `pyve status --json [args]`, which must succeed, parsed.
    pub fn status_json(&self, args: &[&str]) -> serde_json::Value {
        let out = self
            .pyve()
            .arg("status")
            .arg("--json")
            .args(args)
            .output()
            .unwrap();
        assert_eq!(
            out.status.code(),
            Some(0),
            "pyve status --json failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
            panic!(
                "status --json is not JSON ({e}): {}",
                String::from_utf8_lossy(&out.stdout)
            )
        })
    }

    /// A file in the project (parents created).
    pub fn write(&self, rel: &str, contents: &str) -> PathBuf {
        let p = self.project.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(&p, contents).unwrap();
        p
    }

    pub fn p(&self, rel: &str) -> PathBuf {
        self.project.join(rel)
    }

    /// `$PYENV_ROOT/versions/V/bin/python3` → symlink to a real python, for each pair.
    pub fn fake_pyenv(&self, versions: &[(&str, &Path)]) {
        for (v, real) in versions {
            let bin = self.pyenv_root.join("versions").join(v).join("bin");
            std::fs::create_dir_all(&bin).unwrap();
            std::os::unix::fs::symlink(real, bin.join("python3")).unwrap();
        }
    }

    /// `$ASDF_DATA_DIR/installs/python/V/bin/python3` → symlink to a real python.
    pub fn fake_asdf(&self, versions: &[(&str, &Path)]) {
        for (v, real) in versions {
            let bin = self
                .asdf_dir
                .join("installs")
                .join("python")
                .join(v)
                .join("bin");
            std::fs::create_dir_all(&bin).unwrap();
            std::os::unix::fs::symlink(real, bin.join("python3")).unwrap();
        }
    }

    /// The python a fake pyenv version resolves to.
    pub fn pyenv_python(&self, version: &str) -> PathBuf {
        self.pyenv_root
            .join("versions")
            .join(version)
            .join("bin")
            .join("python3")
    }

    /// `$PYENV_ROOT/versions/V/bin/python3` as a shell wrapper around `real`: every
    /// other use passes straight through (`exec`), `-m venv` behaves as `w` says.
    /// `real` is reached through a symlink beside the wrapper, so a venv built by it
    /// depends on this version directory, as one built by a real pyenv python does.
    pub fn pyenv_wrapper(&self, version: &str, real: &Path, w: &Wrapper) -> PathBuf {
        let python = self.pyenv_python(version);
        std::fs::create_dir_all(python.parent().unwrap()).unwrap();
        let link = python.with_file_name("python-real");
        std::os::unix::fs::symlink(real, &link).unwrap();
        let real = link.as_path();
        let q = |p: &Path| shell_quote(p.as_os_str());
        let mut script = String::from("#!/bin/sh\n# a pyenv python wrapped by pyve's tests\n");
        script.push_str("if [ \"$1\" = \"-m\" ] && [ \"$2\" = \"venv\" ]; then\n  shift 2\n");
        if let Some(log) = &w.log {
            script.push_str(&format!("  echo \"venv $$ $*\" >> {}\n", q(log)));
        }
        let no_pip = if w.with_pip { "" } else { " --without-pip" };
        script.push_str(&format!(
            "  {} -m venv{no_pip} \"$@\" || exit $?\n",
            q(real)
        ));
        if let Some(b) = &w.block {
            script.push_str(&format!(
                "  if [ -e {flag} ]; then echo $$ > {pid}; : > {ready}; exec sleep 600; fi\n",
                flag = q(&b.flag),
                pid = q(&b.pid),
                ready = q(&b.ready)
            ));
        }
        script.push_str(&format!("  exit 0\nfi\nexec {} \"$@\"\n", q(real)));
        write_executable(&python, &script);
        python
    }

    /// pyenv's global version: `V` installed (a [`pyenv_wrapper`](Self::pyenv_wrapper)
    /// around the system python, building venvs without pip) and named in
    /// `$PYENV_ROOT/version`, so a project that requests nothing gets it.
    pub fn pyenv_global(&self, version: &str) -> PathBuf {
        let python = self.pyenv_wrapper(version, &system_python(), &Wrapper::default());
        std::fs::write(self.pyenv_root.join("version"), format!("{version}\n")).unwrap();
        python
    }

    /// The micromamba test double as pyve's own copy in the user sandbox
    /// (`$PYVE_HOME/bin/micromamba`).
    pub fn micromamba_double_in_sandbox(&self) {
        let bin = self.pyve_home.join("bin");
        std::fs::create_dir_all(&bin).unwrap();
        std::os::unix::fs::symlink(micromamba_double(), bin.join("micromamba")).unwrap();
    }

    /// A venv in the project made without pyve (`python -m venv --without-pip`).
    pub fn foreign_venv(&self, rel: &str) -> PathBuf {
        let dir = self.p(rel);
        plain_venv(&dir);
        dir
    }

    /// A pure-python wheel `NAME-VERSION-py3-none-any.whl` in `dir` (relative to the
    /// project) whose module `NAME` holds `source`. Built with zipfile: a wheel is a
    /// zip with METADATA, WHEEL and RECORD, and pip installs it with no index.
    pub fn wheel(&self, dir: &str, name: &str, version: &str, source: &str) -> PathBuf {
        let out = self.p(dir);
        std::fs::create_dir_all(&out).unwrap();
        let st = std::process::Command::new(system_python())
            .args(["-c", MAKE_WHEEL])
            .arg(&out)
            .args([name, version, source])
            .env_clear()
            .env("PATH", BASE_PATH)
            .status()
            .unwrap();
        assert!(st.success(), "building the test wheel failed");
        out.join(format!("{name}-{version}-py3-none-any.whl"))
    }
}

/// A project with no spec file and a ready venv on pyenv's global 3.11.7, built by
/// pyve without pip (`run` needs only python; purge needs nothing).
pub fn ready_env() -> TestEnv {
    let env = TestEnv::new();
    env.pyenv_global("3.11.7");
    let out = env.pyve().arg("init").output().unwrap();
    assert_code(&out, 0);
    env
}

/// A venv project with a ready `.venv` on pyenv's global 3.11.7 (built without pip:
/// requirements.txt is there, empty, for detection only).
pub fn ready_venv_project() -> TestEnv {
    let env = TestEnv::new();
    env.pyenv_global("3.11.7");
    env.write("requirements.txt", "");
    let out = env
        .pyve()
        .args(["init", "--no-install-deps"])
        .output()
        .unwrap();
    assert_code(&out, 0);
    env
}

/// A micromamba project (this environment.yml) with the test double in the user
/// sandbox; nothing built yet.
pub fn conda_project(env_yml: &str) -> TestEnv {
    let env = TestEnv::new();
    env.micromamba_double_in_sandbox();
    env.write("environment.yml", env_yml);
    env
}

/// A venv made without pyve (`python -m venv --without-pip DIR`).
pub fn plain_venv(dir: &Path) {
    let st = std::process::Command::new(system_python())
        .args(["-m", "venv", "--without-pip"])
        .arg(dir)
        .env_clear()
        .env("PATH", BASE_PATH)
        .status()
        .unwrap();
    assert!(st.success());
}

const MAKE_WHEEL: &str = r#"
import base64, hashlib, os, sys, zipfile
out, name, version, source = sys.argv[1:5]
dist = f"{name}-{version}"
info = f"{dist}.dist-info"
files = {
    f"{name}/__init__.py": source,
    f"{info}/METADATA": f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n",
    f"{info}/WHEEL": "Wheel-Version: 1.0\nGenerator: pyve-tests\nRoot-Is-Purelib: true\nTag: py3-none-any\n",
}
record = []
with zipfile.ZipFile(os.path.join(out, f"{dist}-py3-none-any.whl"), "w") as z:
    for path, text in files.items():
        data = text.encode()
        z.writestr(path, data)
        digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
        record.append(f"{path},sha256={digest},{len(data)}")
    record.append(f"{info}/RECORD,,")
    z.writestr(f"{info}/RECORD", "\n".join(record) + "\n")
"#;

pub fn write_executable(path: &Path, contents: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, contents).unwrap();
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).unwrap();
}

pub fn shell_quote(s: &OsStr) -> String {
    format!("'{}'", s.to_string_lossy().replace('\'', r"'\''"))
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Asserts the exit code, showing both streams when it is not the expected one.
pub fn assert_code(o: &Output, code: i32) {
    assert_eq!(
        o.status.code(),
        Some(code),
        "unexpected exit status {:?}\n--- stdout\n{}\n--- stderr\n{}",
        o.status,
        stdout(o),
        stderr(o)
    );
}

/// Asserts that `haystack` contains every needle, showing it when it does not.
#[track_caller]
pub fn assert_contains(haystack: &str, needles: &[&str]) {
    for n in needles {
        assert!(
            haystack.contains(n),
            "expected to find {n:?} in:\n{haystack}"
        );
    }
}

/// Polls (bounded) until `path` exists.
pub fn wait_for_file(path: &Path, timeout: Duration) -> bool {
    let start = Instant::now();
    while start.elapsed() < timeout {
        if path.exists() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    path.exists()
}

/// Kills a process group with SIGKILL when dropped, so a failing test leaves no
/// blocked helper behind.
pub struct KillGroupOnDrop(pub i32);

impl Drop for KillGroupOnDrop {
    fn drop(&mut self) {
        let _ = nix::sys::signal::killpg(
            nix::unistd::Pid::from_raw(self.0),
            nix::sys::signal::Signal::SIGKILL,
        );
    }
}

/// Names of the files directly in `dir`, sorted (empty when it does not exist).
pub fn list_dir(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

/// Every entry under `dir` (files, links, directories, at any depth), sorted by path.
/// A link is listed, never followed; `skip(entry)` leaves an entry out, and what is
/// under it.
pub fn tree_entries(
    dir: &Path,
    skip: impl Fn(&std::fs::DirEntry) -> bool,
) -> Vec<std::fs::DirEntry> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in entries.flatten() {
            if skip(&e) {
                continue;
            }
            if e.file_type().is_ok_and(|t| t.is_dir()) {
                stack.push(e.path());
            }
            out.push(e);
        }
    }
    out.sort_by_key(|e| e.path());
    out
}

/// The regular files under `dir` (see [`tree_entries`]).
pub fn tree_files(dir: &Path, skip: impl Fn(&std::fs::DirEntry) -> bool) -> Vec<PathBuf> {
    tree_entries(dir, skip)
        .into_iter()
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
        .map(|e| e.path())
        .collect()
}

/// The `place` and `outcome` of each entry in a status report's `tool.tried`.
pub fn tried(status: &serde_json::Value) -> Vec<(String, String, String)> {
    status["tool"]["tried"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            (
                t["place"].as_str().unwrap().to_string(),
                t["path"].as_str().unwrap().to_string(),
                t["outcome"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

// The host's Pythons, discovered at test time: no test hard-codes their versions or paths.

/// The first executable `name` in the directories of [`BASE_PATH`], as pyve's PATH
/// lookup finds it (not resolved).
pub fn on_base_path(name: &str) -> Option<PathBuf> {
    std::env::split_paths(BASE_PATH)
        .map(|d| d.join(name))
        .find(|p| {
            std::fs::metadata(p).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
        })
}

/// `python3` on [`BASE_PATH`]: what pyve takes as the system python when no version is
/// requested, spelled as pyve reports it (`/usr/bin/python3`).
pub fn host_python3() -> PathBuf {
    on_base_path("python3")
        .unwrap_or_else(|| panic!("a python3 on {BASE_PATH} is required by the integration tests"))
}

/// A python's `X.Y.Z`, asked at test time, as `venv` writes it into pyvenv.cfg.
pub fn python_version(python: &Path) -> String {
    try_python_version(python).unwrap_or_else(|| panic!("cannot run {}", python.display()))
}

fn try_python_version(python: &Path) -> Option<String> {
    let out = std::process::Command::new(python)
        .args(["-c", "import sys; print('%d.%d.%d' % sys.version_info[:3])"])
        .env_clear()
        .env("PATH", BASE_PATH)
        .output()
        .ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
}

/// `X.Y` of `X.Y.Z`.
pub fn minor_of(version: &str) -> String {
    version.split('.').take(2).collect::<Vec<_>>().join(".")
}

/// The `X.Y` pyve reads from a system python's name without running it: `python3.11`,
/// or a `python3` that resolves to one. `None` when neither name says.
pub fn version_in_name(python: &Path) -> Option<String> {
    let from = |p: &Path| {
        let v = p.file_name()?.to_str()?.strip_prefix("python")?.to_string();
        let parts: Vec<&str> = v.split('.').collect();
        (parts.len() == 2 && parts.iter().all(|x| x.parse::<u32>().is_ok())).then_some(v)
    };
    from(python).or_else(|| from(&std::fs::canonicalize(python).ok()?))
}

/// A `3.N` that no python on [`BASE_PATH`] answers to (3.9 unless the host has it): a
/// request the system cannot satisfy.
pub fn absent_python_minor() -> String {
    let system = minor_of(&python_version(&system_python()));
    (9..40)
        .chain((0..9).rev())
        .map(|n| format!("3.{n}"))
        .find(|v| *v != system && on_base_path(&format!("python{v}")).is_none())
        .expect("some python 3 minor version is not installed")
}

/// A real pyenv-installed Python of the host (read only, see [`host_pyenv_python`])
/// whose minor version is not `minor`: its `X.Y.Z` (asked, not read from its directory
/// name) and its path. The newest such version, `None` when there is none.
pub fn host_pyenv_python_other_than(minor: &str) -> Option<(String, PathBuf)> {
    let root = std::env::var_os("PYENV_ROOT")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".pyenv")))?;
    let mut names: Vec<(Vec<u32>, String)> = std::fs::read_dir(root.join("versions"))
        .ok()?
        .flatten()
        .filter_map(|e| {
            let name = e.file_name().to_str()?.to_string();
            let key: Vec<u32> = name
                .split('.')
                .map(|x| x.parse().ok())
                .collect::<Option<_>>()?;
            (key.len() == 3 && key[0] == 3).then_some((key, name))
        })
        .collect();
    names.sort();
    names.into_iter().rev().find_map(|(_, name)| {
        let python = host_pyenv_python(&name)?;
        let version = try_python_version(&python)?;
        (minor_of(&version) != minor).then_some((version, python))
    })
}

/// Whether process `pid` is gone, or a zombie waiting to be reaped by whoever inherited
/// it. Linux reads `/proc/PID/stat`; other systems ask `ps`.
pub fn process_gone(pid: i32) -> bool {
    use nix::errno::Errno;
    if nix::sys::signal::kill(nix::unistd::Pid::from_raw(pid), None) == Err(Errno::ESRCH) {
        return true;
    }
    #[cfg(target_os = "linux")]
    {
        std::fs::read_to_string(format!("/proc/{pid}/stat"))
            .map(|s| s.contains(") Z "))
            .unwrap_or(true)
    }
    #[cfg(not(target_os = "linux"))]
    {
        let out = std::process::Command::new("ps")
            .args(["-o", "stat=", "-p", &pid.to_string()])
            .output()
            .unwrap();
        let stat = String::from_utf8_lossy(&out.stdout);
        stat.trim().is_empty() || stat.trim_start().starts_with('Z')
    }
}

/// Whether a test that cannot run must fail instead of skipping: `PYVE_TEST_STRICT=1`
/// (`.ci/run` sets it), so CI never passes by skipping.
pub fn strict() -> bool {
    std::env::var_os("PYVE_TEST_STRICT").is_some_and(|v| v == "1")
}

/// A test that cannot run here says so, visibly, and how to make it run: `reason` is
/// what is missing, `enable` the variable (or package) that enables it. Under
/// `PYVE_TEST_STRICT=1` this panics instead: in CI a skip fails the run. The caller
/// returns right after.
#[track_caller]
pub fn skip(reason: &str, enable: &str) {
    let line = format!("skipped: {reason} (set {enable} to run it)");
    if strict() {
        panic!("PYVE_TEST_STRICT=1 and this test would be {line}");
    }
    eprintln!("{line}");
}

/// A skip that is expected even in CI (never fails the run); `why` says why it is
/// expected. Use only where CI cannot run the test by design.
pub fn skip_expected(reason: &str, why: &str) {
    eprintln!("skipped (expected): {reason} — {why}");
}

/// The real micromamba and the local conda channel the real-binary pass uses:
/// `PYVE_TEST_MICROMAMBA` (the binary) and `PYVE_TEST_CHANNEL` (a channel directory,
/// read only: tests copy it). `None` after a visible [`skip`] when either is unset.
#[track_caller]
pub fn real_micromamba() -> Option<(PathBuf, PathBuf)> {
    let get = |k: &str| {
        std::env::var_os(k)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    };
    match (get("PYVE_TEST_MICROMAMBA"), get("PYVE_TEST_CHANNEL")) {
        (Some(bin), Some(channel)) => {
            assert!(
                bin.is_file(),
                "PYVE_TEST_MICROMAMBA={} is not a file",
                bin.display()
            );
            assert!(
                channel.join("noarch/repodata.json").is_file(),
                "PYVE_TEST_CHANNEL={} is not a conda channel (no noarch/repodata.json)",
                channel.display()
            );
            Some((bin, channel))
        }
        _ => {
            skip(
                "the real-micromamba pass: no real micromamba given",
                "PYVE_TEST_MICROMAMBA=/path/to/micromamba and PYVE_TEST_CHANNEL=/path/to/a/local/channel",
            );
            None
        }
    }
}

/// The shim put in front of a real micromamba (tests/support/micromamba-shim): logs
/// calls like the double and plays the double's fault knobs around the real binary.
pub fn micromamba_shim() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/support/micromamba-shim")
}

/// The calls a recording double logged (the micromamba double, its shim, the
/// conda-lock double): one JSON object per line with `argv` and `env`; none when
/// nothing ran.
pub fn logged_calls(log: &Path) -> Vec<serde_json::Value> {
    std::fs::read_to_string(log)
        .unwrap_or_default()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// A logged call's argv.
pub fn argv_of(call: &serde_json::Value) -> Vec<String> {
    call["argv"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a.as_str().unwrap().to_string())
        .collect()
}

/// `cp -r src dst` (a read-only source gives writable copies).
pub fn copy_dir(src: &Path, dst: &Path) {
    std::fs::create_dir_all(dst).unwrap();
    for e in std::fs::read_dir(src).unwrap().flatten() {
        let to = dst.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &to);
        } else {
            std::fs::copy(e.path(), &to).unwrap();
            std::fs::set_permissions(&to, std::fs::Permissions::from_mode(0o644)).unwrap();
        }
    }
}

/// Each micromamba scenario `fn NAME(kind: Kind)` becomes the tests `NAME::double` and
/// `NAME::real` (the module calling it has `Kind` in scope: `crate::micromamba::Kind`).
macro_rules! both {
    ($($name:ident),* $(,)?) => {
        $(
            mod $name {
                #[test]
                fn double() {
                    super::$name(super::Kind::Double)
                }
                #[test]
                fn real() {
                    super::$name(super::Kind::Real)
                }
            }
        )*
    };
}
pub(crate) use both;
