//! `pyve bootstrap` and the bootstrap menu `init` shows when micromamba is missing
//! (docs/bootstrap.md). The engine downloads and verifies; this file
//! decides whether to ask, asks, draws the progress, and turns Ctrl-C into the engine's
//! cancel flag for the duration of the download.

use std::io::{IsTerminal, Write};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use clap::Args;

use super::Global;
use super::out::Out;
use pyve_core::engine::bootstrap::{
    self, Install, Installed, Progress, Source, SystemInstall, Target,
};
use pyve_core::engine::context::{Context, Overrides};
use pyve_core::engine::resolve::Resolution;
use pyve_core::engine::{Error, Result, micromamba};
use pyve_core::sys::http;

#[derive(Debug, Args)]
pub struct BootstrapArgs {
    /// Where to install it (default: the project sandbox in a project that has .pyve/ or
    /// a conda spec, else the user sandbox; a terminal gets the menu).
    #[arg(long, value_enum)]
    pub to: Option<super::TargetArg>,
    /// A micromamba release (e.g. 2.0.5-0); default: the latest.
    #[arg(long, value_name = "V")]
    pub version: Option<String>,
}

/// How `init` may get micromamba when it is missing.
#[derive(Clone, Copy, Debug, Default)]
pub struct BootstrapChoice {
    /// `--auto-bootstrap`: option 1 without asking.
    pub auto: bool,
    /// `--bootstrap-to project|user`.
    pub to: Option<Target>,
}

/// What the user picked in the menu.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Choice {
    Install(Target),
    System,
    Abort,
}

/// Resolves micromamba, bootstrapping it when missing (docs/bootstrap.md): `--auto-bootstrap`
/// → project sandbox, `--bootstrap-to T` → T, a terminal → the menu, otherwise exit 3
/// with the block that lists the commands to rerun.
pub fn ensure_micromamba(g: &Global, ctx: &Context, choice: BootstrapChoice) -> Result<Resolution> {
    let path_var = std::env::var_os("PATH").unwrap_or_default();
    let not_found = match resolve(ctx, &path_var) {
        Ok(r) => return Ok(r),
        Err(nf) => nf,
    };
    let system = bootstrap::system_install(&path_var);
    let wanted = if choice.auto {
        Some(Target::Project)
    } else {
        choice.to
    };
    let picked = match wanted {
        Some(t) => Choice::Install(t),
        None if g.out.interactive => {
            let why = ctx.detection.evidence.join(", ");
            let header = if why.is_empty() {
                "micromamba is required for this project but was not found.".to_string()
            } else {
                format!("micromamba is required for this project ({why}) but was not found.")
            };
            menu(&g.out, ctx, &header, &system, Target::Project)
        }
        None => {
            let show = |p: &Path| show_path(ctx, p);
            return Err(Error::Missing(bootstrap::missing_block(
                &ctx.detection,
                &not_found.tried,
                &system,
                &show_path(ctx, &Target::Project.path(ctx)),
                &show_path(ctx, &Target::User.path(ctx)),
                &show,
            )));
        }
    };
    match picked {
        Choice::Install(t) => {
            let retry = format!("pyve init --bootstrap-to {}", t.as_str());
            install_with_progress(&g.out, &t.path(ctx), None, &retry)?;
        }
        Choice::System => {
            run_system_install(&g.out, &system)?;
            return resolve(ctx, &path_var).map_err(|_| not_on_path_after(&system));
        }
        Choice::Abort => return Err(aborted()),
    }
    resolve(ctx, &path_var).map_err(|nf| {
        Error::Missing(format!(
            "micromamba was installed but still cannot be used: {}",
            nf.tried
                .iter()
                .map(|t| format!("{} ({})", t.path.display(), t.outcome))
                .collect::<Vec<_>>()
                .join(", ")
        ))
    })
}

/// `pyve bootstrap [--to project|user] [--version V]`: always installs (replacing what
/// is at the target, atomically), since asking for it is the point of the command.
pub fn run(g: &Global, args: BootstrapArgs) -> Result<i32> {
    let ctx = g.context(Overrides::default())?;
    let path_var = std::env::var_os("PATH").unwrap_or_default();
    // Refuse a bad mirror URL or version before asking anything.
    Source::for_this_machine(args.version.as_deref())?;
    let default = Target::default_for(&ctx);
    let system = bootstrap::system_install(&path_var);
    let picked = match args.to.map(Target::from) {
        Some(t) => Choice::Install(t),
        None if g.out.interactive => {
            let label = args.version.as_deref().unwrap_or("latest");
            let header = format!("Install micromamba ({label}):");
            menu(&g.out, &ctx, &header, &system, default)
        }
        None => Choice::Install(default),
    };
    match picked {
        Choice::Install(t) => {
            // The project sandbox is part of the project: a mutation, under its lock.
            let _lock = match t {
                Target::Project => Some(super::init::take_lock(&ctx, &g.out)?),
                Target::User => None,
            };
            let mut retry = format!("pyve bootstrap --to {}", t.as_str());
            if let Some(v) = &args.version {
                retry.push_str(&format!(" --version {v}"));
            }
            let installed =
                install_with_progress(&g.out, &t.path(&ctx), args.version.as_deref(), &retry)?;
            println!("{}", installed.path.display());
        }
        Choice::System => {
            run_system_install(&g.out, &system)?;
            let r = resolve(&ctx, &path_var).map_err(|_| not_on_path_after(&system))?;
            println!("{}", r.path.display());
        }
        Choice::Abort => return Err(aborted()),
    }
    Ok(0)
}

fn resolve(
    ctx: &Context,
    path_var: &std::ffi::OsStr,
) -> std::result::Result<Resolution, micromamba::NotFound> {
    micromamba::resolve(&ctx.project.sandbox_micromamba(), &ctx.pyve_home, path_var)
}

fn aborted() -> Error {
    Error::Missing(
        "aborted: micromamba was not installed; run `pyve bootstrap` when you want it, or `pyve init --backend venv` to do without".into(),
    )
}

fn not_on_path_after(system: &SystemInstall) -> Error {
    Error::Missing(format!(
        "`{}` finished, but micromamba is still not on PATH; open a new shell (or add the package manager's bin directory to PATH) and rerun",
        system.describe()
    ))
}

/// How a path reads in messages: relative inside the project, `~/…` under HOME.
fn show_path(ctx: &Context, p: &Path) -> String {
    if let Ok(rel) = p.strip_prefix(&ctx.project.root) {
        return rel.display().to_string();
    }
    if let Some(home) = std::env::var_os("HOME").filter(|h| !h.is_empty())
        && let Ok(rel) = p.strip_prefix(&home)
    {
        return format!("~/{}", rel.display());
    }
    p.display().to_string()
}

/// The original pyve's bootstrap menu on stderr; the answer is a line on stdin. An
/// empty answer takes the default, end of input aborts, anything else asks again
/// (three times at most).
fn menu(out: &Out, ctx: &Context, header: &str, system: &SystemInstall, default: Target) -> Choice {
    let project = Target::Project.path(ctx);
    let user = Target::User.path(ctx);
    let default_n = match default {
        Target::Project => 1,
        Target::User => 2,
    };
    let mark = |n| if n == default_n { "   [default]" } else { "" };
    eprintln!("{}", out.text(header));
    eprintln!(
        "  1) Install to project sandbox: {}{}",
        project.display(),
        mark(1)
    );
    eprintln!(
        "  2) Install to user sandbox:    {}{}",
        user.display(),
        mark(2)
    );
    eprintln!(
        "  3) Install with system package manager: {}",
        out.text(&system.describe())
    );
    eprintln!("  4) Abort");
    for _ in 0..3 {
        eprint!("Choose [1-4] (default {default_n}): ");
        let _ = std::io::stderr().flush();
        let mut answer = String::new();
        if std::io::stdin().read_line(&mut answer).unwrap_or(0) == 0 {
            eprintln!();
            return Choice::Abort;
        }
        match answer.trim() {
            "" => return Choice::Install(default),
            "1" => return Choice::Install(Target::Project),
            "2" => return Choice::Install(Target::User),
            "3" => match system {
                SystemInstall::Available { command, .. } => {
                    if out.confirm(&format!("Run `{command}`?"), true) {
                        return Choice::System;
                    }
                }
                SystemInstall::Unavailable { why } => {
                    eprintln!("option 3 is unavailable: {}", out.text(why));
                }
            },
            "4" | "q" | "quit" | "abort" => return Choice::Abort,
            other => eprintln!("{other:?} is not one of 1, 2, 3, 4"),
        }
    }
    Choice::Abort
}

/// Runs the package manager with the terminal attached, after the menu's confirmation.
fn run_system_install(out: &Out, system: &SystemInstall) -> Result<()> {
    let SystemInstall::Available {
        program,
        args,
        command,
        ..
    } = system
    else {
        return Err(Error::Missing(system.describe()));
    };
    out.info(&format!("running {command}"));
    let status = std::process::Command::new(program)
        .args(args)
        .status()
        .map_err(|e| Error::Download(format!("cannot run `{command}`: {e}")))?;
    if !status.success() {
        return Err(Error::Download(format!(
            "`{command}` failed ({}); nothing else was changed\nnext: run `pyve bootstrap --to user` to install pyve's own copy instead",
            pyve_core::sys::process::describe_status(status)
        )));
    }
    Ok(())
}

/// Downloads and installs with progress on stderr and Ctrl-C wired to the cancel flag.
fn install_with_progress(
    out: &Out,
    target: &Path,
    version: Option<&str>,
    retry: &str,
) -> Result<Installed> {
    let source = Source::for_this_machine(version)?;
    let timeout = http::timeout_from_env().map_err(Error::Usage)?;
    out.info(&format!(
        "Installing micromamba ({}, {}) to {}",
        source.version_label(),
        source.platform,
        target.display()
    ));
    let guard = InterruptGuard::install();
    let mut view = ProgressView::new(out);
    let result = bootstrap::install(
        &Install {
            target,
            source: &source,
            timeout,
            cancel: guard.flag(),
            retry,
        },
        &mut |p| view.show(p),
    );
    view.finish_line();
    drop(guard);
    result
}

/// Draws [`Progress`]: a redrawn bar on a terminal, plain lines otherwise, nothing with
/// `-q` (errors are printed by the caller either way).
struct ProgressView<'a> {
    out: &'a Out,
    bar: bool,
    open: bool,
    last_draw: Option<Instant>,
    last_percent: Option<u64>,
    last_done: Option<u64>,
    name: String,
}

impl<'a> ProgressView<'a> {
    fn new(out: &'a Out) -> ProgressView<'a> {
        ProgressView {
            out,
            bar: !out.quiet && std::io::stderr().is_terminal(),
            open: false,
            last_draw: None,
            last_percent: None,
            last_done: None,
            name: String::new(),
        }
    }

    fn show(&mut self, p: Progress) {
        let out = self.out;
        if out.quiet {
            return;
        }
        match p {
            Progress::Checksum { url } => {
                if out.verbose > 0 {
                    eprintln!("fetching {url}");
                }
            }
            Progress::Downloading { url, total } => {
                self.name = url.rsplit('/').next().unwrap_or("micromamba").to_string();
                if !self.bar {
                    let size = total.map(|t| format!(" ({})", size(t))).unwrap_or_default();
                    eprintln!("downloading {url}{size} …");
                }
            }
            Progress::Bytes { done, total } => {
                if self.bar {
                    self.draw(done, total);
                }
            }
            Progress::Downloaded { bytes } => {
                if self.bar {
                    if self.last_done != Some(bytes) {
                        self.draw_now(bytes, Some(bytes));
                    }
                    self.finish_line();
                } else {
                    eprintln!("done: {}", size(bytes));
                }
            }
            Progress::Verified { sha256 } => {
                if out.verbose > 0 {
                    out.success(&format!("sha256 verified ({sha256})"));
                } else {
                    out.success("sha256 verified");
                }
            }
            Progress::Runs { version } => out.success(&format!("micromamba {version} runs")),
            Progress::Installed { path } => {
                out.success(&format!("installed to {}", path.display()))
            }
        }
    }

    fn draw(&mut self, done: u64, total: Option<u64>) {
        let percent = total.filter(|t| *t > 0).map(|t| done * 100 / t);
        let due = self
            .last_draw
            .is_none_or(|t| t.elapsed() >= Duration::from_millis(100));
        if due || percent != self.last_percent {
            self.draw_now(done, total);
        }
    }

    fn draw_now(&mut self, done: u64, total: Option<u64>) {
        const WIDTH: u64 = 24;
        let line = match total.filter(|t| *t > 0) {
            Some(t) => {
                let pct = (done * 100 / t).min(100);
                let filled = (done * WIDTH / t).min(WIDTH) as usize;
                format!(
                    "  {} [{}{}] {pct:>3}%  {} / {}",
                    self.name,
                    "#".repeat(filled),
                    "-".repeat(WIDTH as usize - filled),
                    size(done),
                    size(t)
                )
            }
            None => format!("  {} {}", self.name, size(done)),
        };
        eprint!("\r{line}\x1b[K");
        let _ = std::io::stderr().flush();
        self.open = true;
        self.last_draw = Some(Instant::now());
        self.last_done = Some(done);
        self.last_percent = total.filter(|t| *t > 0).map(|t| done * 100 / t);
    }

    /// Ends a half-drawn bar so the next message starts on its own line.
    fn finish_line(&mut self) {
        if self.open {
            eprintln!();
            self.open = false;
        }
    }
}

use pyve_core::sys::term::human_size as size;

/// Set by the SIGINT handler while a download runs.
static INTERRUPTED: AtomicBool = AtomicBool::new(false);

extern "C" fn on_sigint(_: std::ffi::c_int) {
    INTERRUPTED.store(true, Ordering::SeqCst);
}

/// Turns Ctrl-C into the cancel flag for as long as it lives, then puts back whatever
/// handled SIGINT before (usually the default, which kills pyve). A raw `sigaction`
/// rather than signal-hook or tokio: those keep their handler installed for the rest of
/// the process, which would leave a later Ctrl-C swallowed; this one restores exactly.
struct InterruptGuard {
    previous: Option<nix::sys::signal::SigAction>,
}

impl InterruptGuard {
    fn install() -> InterruptGuard {
        use nix::sys::signal::{SaFlags, SigAction, SigHandler, SigSet, Signal, sigaction};
        INTERRUPTED.store(false, Ordering::SeqCst);
        let action = SigAction::new(
            SigHandler::Handler(on_sigint),
            SaFlags::SA_RESTART,
            SigSet::empty(),
        );
        // SAFETY: the handler only stores to an atomic, which is async-signal-safe.
        let previous = unsafe { sigaction(Signal::SIGINT, &action) }.ok();
        InterruptGuard { previous }
    }

    fn flag(&self) -> &'static AtomicBool {
        &INTERRUPTED
    }
}

impl Drop for InterruptGuard {
    fn drop(&mut self) {
        if let Some(prev) = self.previous.take() {
            // SAFETY: restores the action that was installed before ours.
            let _ = unsafe { nix::sys::signal::sigaction(nix::sys::signal::Signal::SIGINT, &prev) };
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes() {
        assert_eq!(size(812), "812 B");
        assert_eq!(size(2048), "2.0 KiB");
        assert_eq!(size(15 * 1024 * 1024 + 100), "15.0 MiB");
    }
}
