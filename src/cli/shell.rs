//! `pyve completions SHELL` and `pyve man [COMMAND]`: generated from the same clap
//! definitions as `--help`, so they never disagree with it.

use clap::{Args, CommandFactory, ValueEnum};

use super::Cli;
use pyve_core::engine::{Error, ExitStatus, Result};

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ShellArg {
    Bash,
    Zsh,
    Fish,
    Powershell,
    Elvish,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete for.
    #[arg(value_enum, value_name = "SHELL")]
    pub shell: ShellArg,
}

#[derive(Debug, Args)]
pub struct ManArgs {
    /// A command's page (`pyve-init(1)`) instead of pyve(1).
    #[arg(value_name = "COMMAND")]
    pub command: Option<String>,
}

pub fn completions(args: CompletionsArgs) -> Result<ExitStatus> {
    use clap_complete::Shell;
    let shell = match args.shell {
        ShellArg::Bash => Shell::Bash,
        ShellArg::Zsh => Shell::Zsh,
        ShellArg::Fish => Shell::Fish,
        ShellArg::Powershell => Shell::PowerShell,
        ShellArg::Elvish => Shell::Elvish,
    };
    let mut cmd = Cli::command();
    clap_complete::generate(shell, &mut cmd, "pyve", &mut std::io::stdout());
    Ok(ExitStatus::Ok)
}

pub fn man(args: ManArgs) -> Result<ExitStatus> {
    let mut top = Cli::command();
    top.build();
    let page = match &args.command {
        None => top,
        Some(name) => {
            let names: Vec<String> = top
                .get_subcommands()
                .map(|c| c.get_name().to_string())
                .collect();
            let Some(sub) = top.find_subcommand(name).cloned() else {
                let mut msg = format!("no manual page for `{name}`: pyve has no such command");
                let known: Vec<&str> = names.iter().map(String::as_str).collect();
                if let Some(m) = pyve_core::engine::config::did_you_mean(name, &known) {
                    msg.push_str(&format!("\nhint: did you mean `pyve man {m}`?"));
                }
                return Err(Error::Usage(msg));
            };
            let full = format!("pyve-{}", sub.get_name());
            // One page per process: leaking the name is what clap needs for a &'static.
            sub.name(&*Box::leak(full.into_boxed_str()))
        }
    };
    let mut buf = Vec::new();
    clap_mangen::Man::new(page)
        .render(&mut buf)
        .map_err(|e| Error::Io {
            context: "cannot render the manual page".into(),
            source: e,
        })?;
    use std::io::Write;
    let mut stdout = std::io::stdout().lock();
    let _ = stdout.write_all(&buf);
    Ok(ExitStatus::Ok)
}
