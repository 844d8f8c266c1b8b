//! Installing micromamba (docs/bootstrap.md): where it goes, where it
//! comes from, how it is verified, and what else could provide it. Nothing here prints:
//! progress goes to a callback, outcomes are data, failures are errors whose message
//! says what happened and what to run next.
//!
//! The one promise that shapes the code: **no fault ever leaves a partial or unverified
//! binary at the target**. The download goes to a temp file beside the target (same
//! directory, so the final rename is atomic); the temp file is checked against the
//! published sha256, made executable, asked `--version`, and only then renamed into
//! place. Every failure path, cancellation included, removes the temp file
//! (the temp file's drop).

use std::ffi::OsStr;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use sha2::{Digest, Sha256};

use super::context::Context;
use super::detect::{DecisionSource, Detection};
use super::resolve::{Outcome, Place, Tried};
use super::{Error, Result};
use crate::sys::http::{self, HttpError};
use crate::sys::tree::Tree;

/// The official releases: `{base}/latest/download/micromamba-{platform}` and
/// `{base}/download/{tag}/micromamba-{platform}`, each with a `.sha256` sibling.
pub const DEFAULT_BASE: &str = "https://github.com/mamba-org/micromamba-releases/releases";
/// Where the release tags are listed, for messages.
const RELEASES_PAGE: &str = "https://github.com/mamba-org/micromamba-releases/releases";
/// How long `micromamba --version` may take before the binary counts as not running.
const VERSION_TIMEOUT: Duration = Duration::from_secs(60);
/// The prefix of temp files beside the target: `.micromamba.download-PID-RANDOM`.
const TEMP_PREFIX: &str = ".micromamba.download-";

/// Where a bootstrapped micromamba goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    /// `.pyve/bin/micromamba` (option 1).
    Project,
    /// `$PYVE_HOME/bin/micromamba` (option 2).
    User,
}

impl Target {
    pub fn path(self, ctx: &Context) -> PathBuf {
        match self {
            Target::Project => ctx.project.sandbox_micromamba(),
            Target::User => ctx.pyve_home.join("bin").join("micromamba"),
        }
    }

    /// The directory the target is contained in.
    pub fn root(self, ctx: &Context) -> PathBuf {
        match self {
            Target::Project => ctx.project.root.clone(),
            Target::User => ctx.pyve_home.clone(),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Target::Project => "project",
            Target::User => "user",
        }
    }

    /// The target `pyve bootstrap` picks without `--to`: the project sandbox when there
    /// is a project that wants micromamba (it has `.pyve/` or a conda spec), else the
    /// user sandbox, so that running it in a random directory never litters a `.pyve/`.
    pub fn default_for(ctx: &Context) -> Target {
        let has_pyve_dir = ctx.project.pyve_dir().is_dir()
            && ctx.project.pyve_dir() != ctx.pyve_home
            && !same_file(&ctx.project.pyve_dir(), &ctx.pyve_home);
        if has_pyve_dir || !ctx.specs.conda.is_empty() {
            Target::Project
        } else {
            Target::User
        }
    }
}

fn same_file(a: &Path, b: &Path) -> bool {
    match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

/// The micromamba-releases platform name of this machine, if it has one.
pub fn platform() -> Option<&'static str> {
    platform_for(std::env::consts::OS, std::env::consts::ARCH)
}

fn platform_for(os: &str, arch: &str) -> Option<&'static str> {
    Some(match (os, arch) {
        ("linux", "x86_64") => "linux-64",
        ("linux", "aarch64") => "linux-aarch64",
        ("linux", "powerpc64") if cfg!(target_endian = "little") => "linux-ppc64le",
        ("macos", "x86_64") => "osx-64",
        ("macos", "aarch64") => "osx-arm64",
        ("windows", "x86_64") => "win-64",
        _ => return None,
    })
}

/// Where the binary and its checksum come from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Source {
    pub platform: &'static str,
    /// The release tag (`2.0.5-0`); `None` is the latest release.
    pub version: Option<String>,
    pub base: String,
    /// True when `PYVE_MICROMAMBA_URL` replaced the official base.
    pub base_from_env: bool,
    pub binary_url: String,
    pub sha256_url: String,
}

impl Source {
    /// The source for this machine: `PYVE_MICROMAMBA_URL` or the official base, the
    /// requested tag or the latest. Refuses a plain-http base that is not loopback
    /// before anything touches the network.
    pub fn for_this_machine(version: Option<&str>) -> Result<Source> {
        let platform = platform().ok_or_else(|| {
            Error::Download(format!(
                "there is no official micromamba build for this platform ({}-{}); install micromamba yourself and put it on PATH",
                std::env::consts::OS,
                std::env::consts::ARCH
            ))
        })?;
        let from_env = std::env::var("PYVE_MICROMAMBA_URL")
            .ok()
            .filter(|v| !v.trim().is_empty());
        let base_from_env = from_env.is_some();
        let base = from_env.unwrap_or_else(|| DEFAULT_BASE.to_string());
        let version = match version.map(str::trim) {
            None | Some("" | "latest") => None,
            Some(v) => Some(check_version(v)?.to_string()),
        };
        let source = Source::new(&base, platform, version, base_from_env);
        if let Err(e) = http::check_url(&source.binary_url) {
            let why = match e {
                HttpError::Insecure { .. } => {
                    "it must be an https:// URL (plain http is allowed only for 127.0.0.1, ::1 and localhost)".to_string()
                }
                other => other.to_string(),
            };
            return Err(Error::Refused(format!(
                "{} {}: {why}; nothing was downloaded",
                if base_from_env {
                    "refusing PYVE_MICROMAMBA_URL"
                } else {
                    "refusing the download URL"
                },
                source.base
            )));
        }
        Ok(source)
    }

    pub fn new(
        base: &str,
        platform: &'static str,
        version: Option<String>,
        base_from_env: bool,
    ) -> Source {
        let base = base.trim().trim_end_matches('/').to_string();
        let asset = format!("micromamba-{platform}");
        let binary_url = match &version {
            None => format!("{base}/latest/download/{asset}"),
            Some(v) => format!("{base}/download/{v}/{asset}"),
        };
        Source {
            platform,
            sha256_url: format!("{binary_url}.sha256"),
            binary_url,
            version,
            base,
            base_from_env,
        }
    }

    /// "2.0.5-0" or "latest", for messages.
    pub fn version_label(&self) -> &str {
        self.version.as_deref().unwrap_or("latest")
    }
}

/// A release tag goes into a URL path: letters, digits, `.`, `_`, `+`, `-` only.
fn check_version(v: &str) -> Result<&str> {
    let ok = !v.starts_with(['.', '-'])
        && v.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '+' | '-'));
    if ok {
        Ok(v)
    } else {
        Err(Error::Usage(format!(
            "invalid micromamba version `{v}`: expected a release tag like 2.0.5-0 (see {RELEASES_PAGE})"
        )))
    }
}

/// The digest in a `.sha256` file: its first whitespace-separated token, which must be
/// 64 hex digits (`sha256sum`'s format puts the file name after it).
pub fn parse_sha256(text: &str) -> Option<String> {
    let token = text.split_whitespace().next()?;
    (token.len() == 64 && token.chars().all(|c| c.is_ascii_hexdigit()))
        .then(|| token.to_ascii_lowercase())
}

/// What an install reports while it works, in order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Progress {
    /// Fetching the published checksum.
    Checksum { url: String },
    /// The binary's response arrived; `total` is its size when the server said.
    Downloading { url: String, total: Option<u64> },
    /// Bytes of the binary received so far.
    Bytes { done: u64, total: Option<u64> },
    /// The whole binary is on disk (in the temp file).
    Downloaded { bytes: u64 },
    /// Its sha256 matched the published one.
    Verified { sha256: String },
    /// Its `--version` ran and printed this.
    Runs { version: String },
    /// It was renamed into place.
    Installed { path: PathBuf },
}

/// An install request.
pub struct Install<'a> {
    /// The directory the target is contained in (the project, or `$PYVE_HOME`): the
    /// download is written under it without following links.
    pub root: &'a Path,
    pub target: &'a Path,
    /// Where pyve records what it installed (engine::trust), so that it may run it.
    pub pyve_home: &'a Path,
    pub source: &'a Source,
    pub timeout: Duration,
    /// Set by a Ctrl-C handler (or the TUI's cancel) to stop; checked between chunks
    /// and between steps.
    pub cancel: &'a AtomicBool,
    /// The command that tries again, for error messages (`pyve bootstrap --to user`).
    pub retry: &'a str,
}

/// A micromamba that was installed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Installed {
    pub path: PathBuf,
    pub version: String,
    pub sha256: String,
    pub bytes: u64,
    /// Where it came from, after redirects.
    pub url: String,
    /// The version of the micromamba it replaced, if one was there and ran.
    pub replaced: Option<String>,
}

/// A failed install, with what was left and what to do next.
fn fail(req: &Install<'_>, what: String) -> Error {
    Error::Download(failure_message(&what, req.target, req))
}

fn interrupted(req: &Install<'_>) -> Error {
    Error::Interrupted(Some(format!(
        "micromamba download cancelled; nothing was installed at {} (run `{}` to try again)",
        req.target.display(),
        req.retry
    )))
}

fn http_err(req: &Install<'_>, e: HttpError) -> Error {
    match e {
        HttpError::Interrupted => interrupted(req),
        e => fail(
            req,
            format!("cannot download micromamba: {}", with_hint(e, req.source)),
        ),
    }
}

/// The tree the target is written under, the target's directory in it (created) and
/// its file name.
fn open_target<'a>(req: &'a Install<'_>) -> Result<(Tree, &'a Path, &'a OsStr)> {
    let target = req.target;
    let tree = Tree::open_or_create(req.root).map_err(|e| Error::io_at("open", req.root, e))?;
    let rel = tree
        .relative(target)
        .map_err(|e| Error::io_at("write", target, e))?;
    let (Some(dir), Some(name)) = (rel.parent(), rel.file_name()) else {
        return Err(Error::Usage(format!(
            "{} has no directory",
            target.display()
        )));
    };
    tree.create_dir_all(dir)
        .map_err(|e| Error::io_at("create", &req.root.join(dir), e))?;
    Ok((tree, dir, name))
}

/// The published checksum: small, and a missing release fails fast.
fn expected_sha256(req: &Install<'_>, on: &mut dyn FnMut(Progress)) -> Result<String> {
    on(Progress::Checksum {
        url: req.source.sha256_url.clone(),
    });
    let small = http::Options {
        timeout: req.timeout,
        cancel: req.cancel,
        limit: Some(64 * 1024),
    };
    let (text, _) =
        http::fetch_text(&req.source.sha256_url, &small).map_err(|e| http_err(req, e))?;
    parse_sha256(&text).ok_or_else(|| {
        fail(
            req,
            format!(
                "the checksum file {} holds no sha256 digest (it starts with {:?})",
                req.source.sha256_url,
                text.chars().take(40).collect::<String>()
            ),
        )
    })
}

/// Downloads, verifies and installs micromamba at `req.target` (see the module docs).
/// Steps 2–5 are the life of one temp file beside the target: whatever ends them early
/// (an error, a cancel, a SIGTERM the face turned into one) drops it, which removes it.
pub fn install(req: &Install<'_>, on: &mut dyn FnMut(Progress)) -> Result<Installed> {
    let target = req.target;
    let (tree, dir, name) = open_target(req)?;
    remove_stale_temp_files(&tree, dir);
    let fail = |what: String| fail(req, what);
    let interrupted = || interrupted(req);

    // 1. The published checksum first.
    let expected = expected_sha256(req, on)?;

    // 2. The binary, into a temp file beside the target, hashed as it arrives.
    // Not executable until it is verified; a random name, created exclusively.
    let prefix = format!("{TEMP_PREFIX}{}-", std::process::id());
    let mut temp = tree
        .temp_file(dir, &prefix, 0o600)
        .map_err(|e| Error::io_at("create a temp file in", &req.root.join(dir), e))?;
    let temp_path = temp.path();
    let (fetched, got) = download_into(req, &mut temp, on)?;

    // 3. Checksum.
    if got != expected {
        return Err(fail(format!(
            "checksum mismatch for {}: expected {expected}, got {got}",
            fetched.final_url
        )));
    }
    on(Progress::Verified {
        sha256: got.clone(),
    });
    if req.cancel.load(Ordering::SeqCst) {
        return Err(interrupted());
    }

    // 4. Executable, and it runs.
    set_executable(temp.file()).map_err(|e| Error::io_at("make executable", &temp_path, e))?;
    temp.close();
    let version = runs(req, &temp_path)?;
    on(Progress::Runs {
        version: version.clone(),
    });
    if req.cancel.load(Ordering::SeqCst) {
        return Err(interrupted());
    }

    // 5. Into place, atomically (same directory).
    // The binary it replaces is asked its version only if pyve may run it.
    let may_run = req.root == req.pyve_home || super::trust::is_trusted(req.pyve_home, target);
    let replaced = (target.exists() && may_run)
        .then(|| super::micromamba::version(target).ok())
        .flatten();
    temp.persist(name).map_err(|e| {
        Error::io(
            format!(
                "cannot move {} to {}",
                temp_path.display(),
                target.display()
            ),
            e,
        )
    })?;
    super::trust::record(req.pyve_home, target, &got)
        .map_err(|e| Error::io_at("record", &req.pyve_home.join("trusted"), e))?;
    on(Progress::Installed {
        path: target.to_path_buf(),
    });
    Ok(Installed {
        path: target.to_path_buf(),
        version,
        sha256: got,
        bytes: fetched.bytes,
        url: fetched.final_url,
        replaced,
    })
}

/// Step 2: the binary into `temp`, hashed as it arrives and synced to disk; what the
/// server sent and its sha256.
fn download_into(
    req: &Install<'_>,
    temp: &mut crate::sys::tree::TempFile,
    on: &mut dyn FnMut(Progress),
) -> Result<(http::Fetched, String)> {
    let fail = |what: String| fail(req, what);
    let opts = http::Options {
        timeout: req.timeout,
        cancel: req.cancel,
        limit: None,
    };
    let temp_path = temp.path();
    let mut sink = HashingWriter {
        file: std::io::BufWriter::new(
            temp.file()
                .try_clone()
                .map_err(|e| Error::io_at("write", &temp_path, e))?,
        ),
        hasher: Sha256::new(),
    };
    let mut announced = false;
    let fetched = http::download(
        &req.source.binary_url,
        &opts,
        &mut sink,
        &mut |done, total| {
            if !announced {
                announced = true;
                on(Progress::Downloading {
                    url: req.source.binary_url.clone(),
                    total,
                });
            }
            on(Progress::Bytes { done, total });
        },
    )
    .map_err(|e| http_err(req, e))?;
    let HashingWriter { file, hasher } = sink;
    let file = file.into_inner().map_err(|e| {
        fail(format!(
            "cannot write {}: {}",
            temp_path.display(),
            e.error()
        ))
    })?;
    file.sync_all()
        .map_err(|e| fail(format!("cannot write {}: {e}", temp_path.display())))?;
    drop(file);
    on(Progress::Downloaded {
        bytes: fetched.bytes,
    });
    Ok((fetched, crate::sys::fs::hex(&hasher.finalize())))
}

/// Step 4's check: the downloaded binary answers `--version`; the version it printed.
fn runs(req: &Install<'_>, path: &Path) -> Result<String> {
    let probe = crate::sys::probe::Probe {
        env_remove: &[],
        env: &[],
        timeout: VERSION_TIMEOUT,
        cancel: req.cancel,
    };
    crate::sys::probe::version(path, &probe).map_err(|why| {
        if req.cancel.load(Ordering::SeqCst) {
            interrupted(req)
        } else {
            fail(
                req,
                format!(
                    "the downloaded micromamba ({}) does not run: {why}",
                    req.source.platform
                ),
            )
        }
    })
}

/// An HTTP error, plus what the user likely got wrong when it is a 404 on a pinned tag.
fn with_hint(e: HttpError, source: &Source) -> String {
    let hint = match (&e, &source.version) {
        (HttpError::Status { status: 404, .. }, Some(v)) if !v.contains('-') => {
            format!(" (release tags carry a build number, like {v}-0; see {RELEASES_PAGE})")
        }
        (HttpError::Status { status: 404, .. }, Some(_)) => {
            format!(" (is that a release tag? see {RELEASES_PAGE})")
        }
        (HttpError::Timeout { .. }, _) => {
            " (raise PYVE_HTTP_TIMEOUT, in seconds, on a slow connection)".to_string()
        }
        _ => String::new(),
    };
    format!("{e}{hint}")
}

fn failure_message(what: &str, target: &Path, req: &Install<'_>) -> String {
    let mirror = if req.source.base_from_env {
        format!("check PYVE_MICROMAMBA_URL (now {})", req.source.base)
    } else {
        "set PYVE_MICROMAMBA_URL to a mirror".to_string()
    };
    let left = if target.exists() {
        format!(
            "the micromamba already at {} was left as it was",
            target.display()
        )
    } else {
        format!("nothing was installed at {}", target.display())
    };
    format!(
        "{what}\n{left}\nhint: retry with `{}`, {mirror}, or install micromamba yourself and put it on PATH",
        req.retry
    )
}

struct HashingWriter<W: Write> {
    file: W,
    hasher: Sha256,
}

impl<W: Write> Write for HashingWriter<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.file.write(buf)?;
        self.hasher.update(&buf[..n]);
        Ok(n)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.file.flush()
    }
}

/// Temp files of earlier runs that were killed outright (SIGKILL, power loss) have a
/// pid that no longer runs: remove them so they never pile up.
fn remove_stale_temp_files(tree: &Tree, dir: &Path) {
    let Ok(entries) = std::fs::read_dir(tree.root().join(dir)) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(pid) = name
            .to_str()
            .and_then(|n| n.strip_prefix(TEMP_PREFIX))
            .and_then(|p| p.split('-').next())
            .and_then(|p| p.parse::<i32>().ok())
        else {
            continue;
        };
        if pid != std::process::id() as i32 && !process_alive(pid) {
            let _ = tree.remove_file(&dir.join(&name));
        }
    }
}

fn process_alive(pid: i32) -> bool {
    use nix::errno::Errno;
    match nix::sys::signal::kill(nix::unistd::Pid::from_raw(pid), None) {
        Ok(()) => true,
        Err(Errno::EPERM) => true,
        Err(_) => false,
    }
}

/// Through the open file (fchmod), never by path.
fn set_executable(file: &std::fs::File) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        file.set_permissions(std::fs::Permissions::from_mode(0o755))
    }
    #[cfg(not(unix))]
    {
        let _ = file;
        Ok(())
    }
}

/// Option 3 of the menu: a system package manager that packages micromamba, as data.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SystemInstall {
    Available {
        /// `brew`
        manager: &'static str,
        program: PathBuf,
        args: Vec<String>,
        /// `brew install micromamba`, to show and to copy.
        command: String,
    },
    Unavailable {
        why: String,
    },
}

impl SystemInstall {
    /// The command, or "unavailable — why", for menus and the error block.
    pub fn describe(&self) -> String {
        match self {
            SystemInstall::Available { command, .. } => command.clone(),
            SystemInstall::Unavailable { why } => format!("unavailable — {why}"),
        }
    }
}

/// Which package manager on `path_var` offers micromamba. Only Homebrew is offered (it
/// has a micromamba formula, on macOS and Linux). The others that may be found are
/// named with why they are not: Debian/Ubuntu's apt has no micromamba package; Arch has
/// it only in the AUR, which pacman does not install from; conda/mamba would put it into
/// their base environment, which pyve never changes.
pub fn system_install(path_var: &OsStr) -> SystemInstall {
    let find = |name: &str| crate::sys::process::find_program(OsStr::new(name), path_var);
    if let Some(brew) = find("brew") {
        return SystemInstall::Available {
            manager: "brew",
            program: brew,
            args: vec!["install".into(), "micromamba".into()],
            command: "brew install micromamba".into(),
        };
    }
    let mut reasons = Vec::new();
    if find("apt-get").is_some() || find("apt").is_some() {
        reasons.push("apt has no micromamba package");
    }
    if find("pacman").is_some() {
        reasons.push("pacman: micromamba is only in the AUR");
    }
    if find("conda").is_some() || find("mamba").is_some() {
        reasons.push("conda would install it into its base environment, which pyve never changes");
    }
    let why = if reasons.is_empty() {
        "no package manager here packages micromamba (Homebrew does: brew install micromamba)"
            .to_string()
    } else {
        format!(
            "no package manager here packages micromamba ({})",
            reasons.join("; ")
        )
    };
    SystemInstall::Unavailable { why }
}

/// The error `init` gives when micromamba is missing and it may not ask (exit 3):
/// what asked for micromamba, where it looked, and the commands that get it.
/// `show` turns a path into how the user should read it (relative to the project, `~`).
pub fn missing_block(
    detection: &Detection,
    tried: &[Tried],
    system: &SystemInstall,
    project_target: &str,
    user_target: &str,
    show: &dyn Fn(&Path) -> String,
) -> String {
    let detected = match detection.source {
        DecisionSource::Config => "backend: micromamba in .pyve/config".to_string(),
        _ => detection.evidence.join(", "),
    };
    let tried: Vec<String> = tried
        .iter()
        .map(|t| match (t.place, &t.outcome) {
            (Place::Path, Outcome::NotOnPath) => "PATH (not found)".to_string(),
            (Place::Path, outcome) => format!("PATH: {} ({outcome})", show(&t.path)),
            (_, outcome) => format!("{} ({outcome})", show(&t.path)),
        })
        .collect();
    let conda_spec = detection
        .evidence
        .iter()
        .find(|e| super::project::CONDA_SPECS.contains(&e.as_str()));
    let venv_note = match conda_spec {
        Some(spec) => format!("ignore {spec}; its packages will not be installed"),
        None => "use a pip-style venv instead".to_string(),
    };
    let system_line = match system {
        SystemInstall::Available { command, .. } => {
            format!("{command:<36} (system package manager)")
        }
        SystemInstall::Unavailable { why } => {
            format!("{:<36} (unavailable: {why})", "system package manager")
        }
    };
    format!(
        "Backend 'micromamba' required but not found.\n\
         \n\
         Detected: {detected}\n\
         Tried: {}\n\
         \n\
         hint: any of these gets it:\n\
         \x20 1. {:<36} (installs to {project_target})\n\
         \x20 2. {:<36} (installs to {user_target})\n\
         \x20 3. {system_line}\n\
         \x20 4. {:<36} ({venv_note})",
        tried.join(", "),
        "pyve init --auto-bootstrap",
        "pyve init --bootstrap-to user",
        "pyve init --backend venv",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn platforms() {
        assert_eq!(platform_for("linux", "x86_64"), Some("linux-64"));
        assert_eq!(platform_for("linux", "aarch64"), Some("linux-aarch64"));
        assert_eq!(platform_for("macos", "x86_64"), Some("osx-64"));
        assert_eq!(platform_for("macos", "aarch64"), Some("osx-arm64"));
        assert_eq!(platform_for("windows", "x86_64"), Some("win-64"));
        assert_eq!(platform_for("freebsd", "x86_64"), None);
        assert!(
            platform().is_some(),
            "the development machines have a build"
        );
    }

    #[test]
    fn urls_for_latest_and_pinned() {
        let latest = Source::new(DEFAULT_BASE, "linux-64", None, false);
        assert_eq!(
            latest.binary_url,
            "https://github.com/mamba-org/micromamba-releases/releases/latest/download/micromamba-linux-64"
        );
        assert_eq!(latest.sha256_url, format!("{}.sha256", latest.binary_url));
        let pinned = Source::new(
            "http://127.0.0.1:8080/mirror/",
            "osx-arm64",
            Some("2.0.5-0".into()),
            true,
        );
        assert_eq!(
            pinned.binary_url,
            "http://127.0.0.1:8080/mirror/download/2.0.5-0/micromamba-osx-arm64"
        );
        assert_eq!(pinned.version_label(), "2.0.5-0");
    }

    #[test]
    fn versions_are_path_safe() {
        assert!(check_version("2.0.5-0").is_ok());
        assert!(check_version("2.0.0rc3-1").is_ok());
        assert!(check_version("../x").is_err());
        assert!(check_version("2.0/5").is_err());
        assert!(check_version("-x").is_err());
        assert!(check_version("2 0").is_err());
    }

    #[test]
    fn sha256_files() {
        let d = "a".repeat(64);
        assert_eq!(parse_sha256(&format!("{d}\n")), Some(d.clone()));
        assert_eq!(
            parse_sha256(&format!("{}  micromamba-linux-64\n", d.to_uppercase())),
            Some(d.clone())
        );
        assert_eq!(parse_sha256(""), None);
        assert_eq!(parse_sha256("<html>not found</html>"), None);
        assert_eq!(parse_sha256(&"a".repeat(63)), None);
    }

    #[test]
    fn system_package_managers() {
        let dir = tempfile::tempdir().unwrap();
        let mk = |name: &str| {
            use std::os::unix::fs::PermissionsExt;
            let p = dir.path().join(name);
            std::fs::write(&p, "#!/bin/sh\n").unwrap();
            std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o755)).unwrap();
        };
        let path = dir.path().as_os_str();
        match system_install(path) {
            SystemInstall::Unavailable { why } => assert!(why.contains("Homebrew"), "{why}"),
            other => panic!("{other:?}"),
        }
        mk("apt-get");
        mk("conda");
        match system_install(path) {
            SystemInstall::Unavailable { why } => {
                assert!(why.contains("apt has no micromamba package"), "{why}");
                assert!(why.contains("base environment"), "{why}");
            }
            other => panic!("{other:?}"),
        }
        mk("brew");
        match system_install(path) {
            SystemInstall::Available { command, .. } => {
                assert_eq!(command, "brew install micromamba")
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn stale_temp_files_of_dead_processes_go() {
        let dir = tempfile::tempdir().unwrap();
        // pid_max is at most 2^22 on Linux: this one cannot be running.
        let stale = dir
            .path()
            .join(format!("{TEMP_PREFIX}99999999-0123456789abcdef"));
        let mine = dir.path().join(format!(
            "{TEMP_PREFIX}{}-0123456789abcdef",
            std::process::id()
        ));
        std::fs::write(&stale, "x").unwrap();
        std::fs::write(&mine, "x").unwrap();
        let tree = Tree::open(dir.path()).unwrap();
        remove_stale_temp_files(&tree, Path::new(""));
        assert!(!stale.exists());
        assert!(mine.exists());
    }
}
