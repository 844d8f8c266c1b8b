//! `pyve shell` and `pyve shell-hook`: the activation `run` applies, given to a
//! subshell or said as shell code. Both come from `engine::run::activate`, so a shell
//! sees exactly the environment `pyve run` gives its command.

use std::ffi::OsString;
use std::path::PathBuf;

use clap::{Args, ValueEnum};

use super::{EnvSelect, Global};
use pyve_core::engine::run::{Activated, Active, SyncMode, activate};
use pyve_core::engine::shellcode::{self, Shell};
use pyve_core::engine::{Error, ExitStatus, Result};

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum HookShell {
    Bash,
    Zsh,
    Fish,
    Powershell,
}

#[derive(Debug, Args)]
pub struct ShellHookArgs {
    #[command(flatten)]
    pub select: EnvSelect,
    /// The shell to print code for.
    #[arg(short = 's', long = "shell", value_enum, value_name = "SHELL")]
    pub shell: HookShell,
}

#[derive(Debug, Args)]
pub struct ShellArgs {
    #[command(flatten)]
    pub select: EnvSelect,
    /// Never create or update the env first: fail when it is missing or stale.
    #[arg(long)]
    pub frozen: bool,
}

/// Prints the code; never builds anything (it runs from rc files and direnv, where
/// stdout is evaluated): a missing env is an error, a stale one a warning.
pub fn hook(g: &Global, args: ShellHookArgs) -> Result<ExitStatus> {
    let ctx = g.context(args.select.overrides())?;
    let active = match activate(&ctx, SyncMode::NoSync)? {
        Activated::Ready(active) => active,
        Activated::Sync(o) => {
            return Err(Error::Bug(format!(
                "a no-sync activation asked to sync ({})",
                o.env
            )));
        }
    };
    say(g, &active);
    let caller: Vec<(OsString, OsString)> = std::env::vars_os().collect();
    let shell = match args.shell {
        HookShell::Bash | HookShell::Zsh => Shell::Posix,
        HookShell::Fish => Shell::Fish,
        HookShell::Powershell => Shell::PowerShell,
    };
    let code = shellcode::render(shell, &shellcode::changes(&caller, &active.env));
    use std::io::Write;
    let _ = std::io::stdout().lock().write_all(code.as_bytes());
    Ok(ExitStatus::Ok)
}

/// `$SHELL` (or /bin/sh) with the env active and `(pyve:NAME) ` before its prompt;
/// exiting it returns with its status. The env is brought in step first, as `run` does.
pub fn shell(g: &Global, args: ShellArgs) -> Result<ExitStatus> {
    let ctx = g.context(args.select.overrides())?;
    let sync = if args.frozen {
        SyncMode::Frozen
    } else {
        SyncMode::Auto
    };
    let active = match activate(&ctx, sync)? {
        Activated::Ready(active) => active,
        Activated::Sync(out_of_step) => {
            g.out.info(&out_of_step.announce());
            let ctx = super::run::bring_in_step(g, &args.select)?;
            match activate(&ctx, SyncMode::NoSync)? {
                Activated::Ready(active) => active,
                Activated::Sync(_) => {
                    return Err(Error::Bug("a no-sync activation asked to sync".into()));
                }
            }
        }
    };
    say(g, &active);
    let program = login_shell();
    let marker = format!("(pyve:{}) ", active.target.name);
    let mut env = active.env;
    let ps1 = env
        .iter()
        .find(|(k, _)| k == "PS1")
        .map(|(_, v)| v.to_string_lossy().into_owned())
        .unwrap_or_else(|| "$ ".into());
    env.retain(|(k, _)| k != "PS1" && k != "PYVE_PROMPT");
    env.push(("PYVE_PROMPT".into(), marker.clone().into()));
    env.push(("PS1".into(), format!("{marker}{ps1}").into()));
    g.out.info(&format!(
        "starting {} in {}; `exit` returns",
        program.display(),
        active.target.name
    ));
    let err = pyve_core::sys::process::exec(&program, program.as_os_str(), &[], &env);
    g.out
        .error(&format!("cannot start {}: {err}", program.display()));
    Ok(ExitStatus::CannotExecute)
}

fn say(g: &Global, active: &Active) {
    for w in &active.warnings {
        g.out.warn(w);
    }
    for n in &active.notes {
        g.out.info(n);
    }
}

/// `$SHELL` when it names a program, else /bin/sh.
fn login_shell() -> PathBuf {
    std::env::var_os("SHELL")
        .map(PathBuf::from)
        .filter(|p| p.is_absolute() && p.is_file())
        .unwrap_or_else(|| PathBuf::from("/bin/sh"))
}
