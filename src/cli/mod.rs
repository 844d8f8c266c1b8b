//! The command line: clap definitions, the original pyve's flag aliases, and dispatch. Each
//! command lives in its own file and only renders what the engine decided.

pub mod activate;
pub mod bootstrap;
pub mod ci;
pub mod config;
pub mod doctor;
pub mod face;
pub mod init;
pub mod lock;
pub mod migrate;
pub mod out;
pub mod progress;
pub mod purge;
pub mod python;
pub mod run;
pub mod shell;
pub mod status;
pub mod trust;

use std::ffi::OsString;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use out::Out;
use pyve_core::engine::ExitStatus;
use pyve_core::engine::context::{Context, Overrides};
use pyve_core::engine::fix::Fix;
use pyve_core::engine::{BackendKind, Error, Result};
use pyve_core::sys::term::ColorChoice;

/// Where the options every command accepts are listed in `--help`.
pub const GLOBAL: &str = "Global options";

#[derive(Debug, Parser)]
#[command(
    name = "pyve",
    version,
    about = "The right Python environment for every project (venv or micromamba), with no shell activation.",
    after_help = "Examples:\n  pyve init                      # detect, resolve, create or reuse the env\n  pyve run pytest -x             # run in the env, no activation\n  pyve status -v                 # what was decided, and every place tried\n  pyve python pin 3.12           # pin the python where your version manager reads it\n  pyve completions bash > ~/.local/share/bash-completion/completions/pyve\n\nThe original pyve's spellings work too: `pyve --init`, `pyve --purge`, `pyve --config`.\nDocs: docs/ in the repository; `pyve man` prints the manual page.",
    arg_required_else_help = false
)]
pub struct Cli {
    /// Run as if started in DIR (the project root).
    #[arg(short = 'C', long = "project", value_name = "DIR", global = true, help_heading = GLOBAL)]
    pub project: Option<PathBuf>,
    /// When to use colour (NO_COLOR turns `auto` off; FORCE_COLOR or CLICOLOR_FORCE turn it on).
    #[arg(long, value_enum, default_value_t = ColorArg::Auto, global = true, help_heading = GLOBAL)]
    pub color: ColorArg,
    /// Never prompt (implied when stdin is not a terminal or CI is set).
    #[arg(long, global = true, help_heading = GLOBAL)]
    pub no_input: bool,
    /// Say more (tried places, commands run).
    #[arg(short, long, action = clap::ArgAction::Count, global = true, help_heading = GLOBAL)]
    pub verbose: u8,
    /// Say less: only warnings and errors (status and doctor: only the problems).
    #[arg(short, long, global = true, conflicts_with = "verbose", help_heading = GLOBAL)]
    pub quiet: bool,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Select the backend, resolve the tool, create or reuse the env.
    #[command(
        after_help = "Examples:\n  pyve init\n  pyve init --python-version 3.12\n  pyve init --install-python     # install a missing python with pyenv/asdf first\n  pyve init --backend micromamba --auto-bootstrap\n  pyve init --force --no-install-deps"
    )]
    Init(init::InitArgs),
    /// Run a command inside the env, without activation; exits with its status.
    #[command(
        after_help = "Examples:\n  pyve run python -c 'import sys; print(sys.prefix)'\n  pyve run pytest -x\n  pyve run --allow-pip pip install rich   # a conda env: pip allowed once\n  pyve run -- -weird-name                 # `--` before a command that starts with -"
    )]
    Run(run::RunArgs),
    /// Detection, resolution and env state; changes nothing.
    #[command(
        after_help = "Examples:\n  pyve status\n  pyve status -v        # every place tried\n  pyve status -q        # only the problems\n  pyve status --json"
    )]
    Status(status::StatusArgs),
    /// Health checks; exit 1 if any fails.
    #[command(
        visible_alias = "check",
        after_help = "Examples:\n  pyve doctor\n  pyve doctor -q        # only the problems\n  pyve check --json     # `check` is another name for doctor"
    )]
    Doctor(doctor::DoctorArgs),
    /// Write or refresh conda-lock.yml (conda-lock), build the env from it; or --check it.
    #[command(
        after_help = "Examples:\n  pyve lock                      # lock environment.yml, then build the env from the lock\n  pyve lock --update numpy       # re-solve numpy only\n  pyve lock --check\n  pyve lock --check --json"
    )]
    Lock(lock::LockArgs),
    /// Move the project to the other backend: write its spec file, build its env.
    #[command(
        after_help = "Examples:\n  pyve migrate --from venv --to micromamba --dry-run\n  pyve migrate --from venv --to micromamba\n  pyve migrate --from micromamba --to venv --yes   # replace requirements.txt, remove the conda env"
    )]
    Migrate(migrate::MigrateArgs),
    /// The effective configuration, each value with where it came from.
    #[command(after_help = "Examples:\n  pyve config\n  pyve config --json")]
    Config(config::ConfigArgs),
    /// The python a venv is built from, and why; pin one (`pin`, also `set`).
    #[command(
        after_help = "Examples:\n  pyve python show\n  pyve python pin 3.12\n  pyve python set 3.11.7   # `set` is another name for `pin`"
    )]
    Python(python::PythonArgs),
    /// Remove what pyve created in this project (envs, state, the venv it made).
    #[command(after_help = "Examples:\n  pyve purge\n  pyve purge --yes")]
    Purge(purge::PurgeArgs),
    /// Install micromamba (project sandbox or user sandbox).
    #[command(
        after_help = "Examples:\n  pyve bootstrap\n  pyve bootstrap --to user\n  pyve bootstrap --to project --version 2.0.5-0"
    )]
    Bootstrap(bootstrap::BootstrapArgs),
    /// Print a ready CI workflow or Dockerfile (github, gitlab, docker) that builds the env.
    #[command(
        after_help = "Examples:\n  pyve ci github > .github/workflows/pyve.yml\n  pyve ci gitlab > .gitlab-ci.yml\n  pyve ci docker -- python -m myapp > Dockerfile"
    )]
    Ci(ci::CiArgs),
    /// Allow pyve to run the project's own .pyve/bin/micromamba (one it did not install).
    Trust(trust::TrustArgs),
    /// The full-screen TUI (also what plain `pyve` opens on a terminal).
    #[command(after_help = "Examples:\n  pyve tui\n  pyve          # the same, on a terminal")]
    Tui(TuiArgs),
    /// A subshell ($SHELL) with the env active and `(pyve:NAME) ` before the prompt.
    #[command(
        after_help = "Examples:\n  pyve shell\n  pyve shell --frozen     # never build or update the env first\n  exit                   # back where you were"
    )]
    Shell(activate::ShellArgs),
    /// Print the shell code that activates the env as `pyve run` does (eval it).
    #[command(
        after_help = "Examples:\n  eval \"$(pyve shell-hook -s bash)\"\n  pyve shell-hook -s fish | source\n  pyve shell-hook -s powershell | Out-String | Invoke-Expression"
    )]
    ShellHook(activate::ShellHookArgs),
    /// Print a shell completion script (bash, zsh, fish, powershell, elvish).
    #[command(
        after_help = "Examples:\n  pyve completions bash > ~/.local/share/bash-completion/completions/pyve\n  pyve completions zsh > \"${fpath[1]}/_pyve\"\n  pyve completions fish > ~/.config/fish/completions/pyve.fish"
    )]
    Completions(shell::CompletionsArgs),
    /// Print the manual page (roff), for pyve or one of its commands.
    #[command(after_help = "Examples:\n  pyve man | man -l -\n  pyve man init > pyve-init.1")]
    Man(shell::ManArgs),
}

/// `--backend auto|venv|micromamba`; `auto` is the same as no flag.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum BackendArg {
    Auto,
    Venv,
    Micromamba,
}

impl BackendArg {
    pub fn kind(self) -> Option<BackendKind> {
        match self {
            BackendArg::Auto => None,
            BackendArg::Venv => Some(BackendKind::Venv),
            BackendArg::Micromamba => Some(BackendKind::Micromamba),
        }
    }
}

/// `pyve tui` takes no options of its own.
#[derive(Debug, Default, Args)]
pub struct TuiArgs {}

/// `--color auto|always|never`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ColorArg {
    Auto,
    Always,
    Never,
}

impl From<ColorArg> for ColorChoice {
    fn from(c: ColorArg) -> ColorChoice {
        match c {
            ColorArg::Auto => ColorChoice::Auto,
            ColorArg::Always => ColorChoice::Always,
            ColorArg::Never => ColorChoice::Never,
        }
    }
}

/// `--to project|user`, `--bootstrap-to project|user`: where a bootstrapped micromamba goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum TargetArg {
    /// `.pyve/bin/micromamba`.
    Project,
    /// `$PYVE_HOME/bin/micromamba`.
    User,
}

impl From<TargetArg> for pyve_core::engine::bootstrap::Target {
    fn from(t: TargetArg) -> Self {
        use pyve_core::engine::bootstrap::Target;
        match t {
            TargetArg::Project => Target::Project,
            TargetArg::User => Target::User,
        }
    }
}

/// The flags that pick the env, shared by several commands.
#[derive(Clone, Debug, Default, Args)]
pub struct EnvSelect {
    /// Override backend selection.
    #[arg(long, value_enum, value_name = "B")]
    pub backend: Option<BackendArg>,
    /// Which of the project's envs (default: PYVE_ENV, else default_env in .pyve/config, else `default`).
    #[arg(long = "env", value_name = "NAME")]
    pub env: Option<String>,
}

impl EnvSelect {
    /// The overrides these flags make; commands add their own on top.
    pub fn overrides(&self) -> Overrides {
        Overrides {
            backend: self.backend.and_then(BackendArg::kind),
            env: self.env.clone(),
            ..Overrides::default()
        }
    }
}

/// Rewrites the original pyve's spellings (`pyve --init …`) to subcommands (`pyve init …`):
/// the first of `--init`, `--purge`, `--config` that comes before any subcommand.
pub fn rewrite_original_aliases(args: Vec<OsString>) -> Vec<OsString> {
    let mut out = args;
    let mut i = 1;
    while i < out.len() {
        let a = out[i].to_string_lossy().into_owned();
        match a.as_str() {
            "--init" | "--purge" | "--config" => {
                out[i] = a.trim_start_matches('-').into();
                break;
            }
            "-C" | "--project" | "--color" => i += 2,
            "--" => break,
            s if s.starts_with('-') => i += 1,
            _ => break, // a subcommand: its own flags are its own
        }
    }
    out
}

pub struct Global {
    pub out: Out,
    /// `--color` as given: faces that draw on stdout (the TUI) judge it themselves.
    pub color: ColorChoice,
    /// Where project discovery starts: the working directory, after `-C`.
    pub start: PathBuf,
}

impl Global {
    pub fn from_cli(cli: &Cli) -> Global {
        Global {
            out: Out::new(cli.color.into(), cli.quiet, cli.verbose, cli.no_input),
            color: cli.color.into(),
            start: PathBuf::from("."),
        }
    }

    /// No global flags given (the `run` fast path).
    pub fn plain() -> Global {
        Global {
            out: Out::new(ColorChoice::Auto, false, 0, false),
            color: ColorChoice::Auto,
            start: PathBuf::from("."),
        }
    }

    pub fn context(&self, overrides: Overrides) -> Result<Context> {
        Context::load(&self.start, overrides)
    }
}

/// `-C DIR` works like git's: pyve (and the command `run` starts) runs in DIR, and
/// the project is discovered from there.
pub fn enter_project_dir(cli: &Cli) -> Result<()> {
    if let Some(dir) = &cli.project {
        std::env::set_current_dir(dir)
            .map_err(|e| Error::Usage(format!("--project {}: {e}", dir.display())))?;
    }
    Ok(())
}

/// Runs the parsed command; `Ok(code)` is the exit code.
pub fn dispatch(g: &Global, cli: Cli) -> Result<ExitStatus> {
    enter_project_dir(&cli)?;
    match cli.command {
        Some(Command::Init(a)) => init::run(g, a),
        Some(Command::Run(a)) => run::run(g, a),
        Some(Command::Status(a)) => status::run(g, a),
        Some(Command::Doctor(a)) => doctor::run(g, a),
        Some(Command::Lock(a)) => lock::run(g, a),
        Some(Command::Migrate(a)) => migrate::run(g, a),
        Some(Command::Config(a)) => config::run(g, a),
        Some(Command::Purge(a)) => purge::run(g, a),
        Some(Command::Trust(a)) => trust::run(g, a),
        Some(Command::Ci(a)) => ci::run(g, a),
        Some(Command::Python(a)) => python::run(g, a),
        Some(Command::Shell(a)) => activate::shell(g, a),
        Some(Command::ShellHook(a)) => activate::hook(g, a),
        Some(Command::Completions(a)) => shell::completions(a),
        Some(Command::Man(a)) => shell::man(a),
        Some(Command::Bootstrap(a)) => bootstrap::run(g, a),
        Some(Command::Tui(_)) | None => unreachable!("main opens the TUI or prints the help"),
    }
}

/// Prints the help for `pyve` without a command and without a terminal; returns the
/// exit code (2: a command is needed).
pub fn no_terminal_help(asked_for_tui: bool) -> ExitStatus {
    use clap::CommandFactory;
    let _ = Cli::command().print_help();
    if asked_for_tui {
        eprintln!(
            "\nthe TUI needs a terminal on stdin and stdout; try `pyve status` or `pyve doctor`."
        );
    } else {
        eprintln!(
            "\npyve needs a command here without a terminal (on one it opens the TUI); try `pyve init` or `pyve status`."
        );
    }
    ExitStatus::Usage
}

/// A usage error found by clap, printed with pyve's one hint format (clap's `tip:`
/// lines become `hint:` lines), coloured as `--color`/`NO_COLOR`/`FORCE_COLOR` say;
/// exits with clap's code (2).
pub fn usage_error(e: &clap::Error, args: &[OsString]) -> ! {
    // The parse failed, so `--color` is read from the raw arguments.
    let mut choice = ColorChoice::Auto;
    for (i, a) in args.iter().enumerate() {
        let value = match a.to_str() {
            Some("--color") => args.get(i + 1).and_then(|v| v.to_str()),
            Some(s) => s.strip_prefix("--color="),
            None => None,
        };
        match value {
            Some("always") => choice = ColorChoice::Always,
            Some("never") => choice = ColorChoice::Never,
            _ => {}
        }
    }
    let color = pyve_core::sys::term::color_enabled(choice, pyve_core::sys::term::stderr_is_tty());
    let rendered = e.render();
    let text = if color {
        rendered.ansi().to_string()
    } else {
        rendered.to_string()
    };
    let lines: Vec<&str> = text.lines().collect();
    let is_tip = |l: &str| strip_ansi(l).trim_start().starts_with("tip: ");
    let mut out = String::new();
    for (i, line) in lines.iter().enumerate() {
        if line.trim().is_empty() && lines.get(i + 1).is_some_and(|n| is_tip(n)) {
            continue; // the hint follows the error directly
        }
        if is_tip(line)
            && let Some(at) = line.find("tip:")
        {
            // The label as every other hint has it; the rest keeps clap's styling.
            let rest = &line[at + "tip:".len()..];
            let rest = rest.strip_prefix("\x1b[0m").unwrap_or(rest);
            let label = anstyle::AnsiColor::Cyan.on_default().bold();
            if color {
                out.push_str(&format!(
                    "{}hint:{}{rest}",
                    label.render(),
                    label.render_reset()
                ));
            } else {
                out.push_str(&format!("hint:{rest}"));
            }
        } else {
            out.push_str(line);
        }
        out.push('\n');
    }
    eprint!("{out}");
    std::process::exit(e.exit_code());
}

/// `text` without its ANSI escape sequences (`ESC [ … letter`).
fn strip_ansi(text: &str) -> String {
    let mut out = String::new();
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '\x1b' {
            for d in chars.by_ref() {
                if d.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// Prints an engine error the way every command does: the message, then its fix as a
/// `hint:` line ([`fix_hint`]).
pub fn report(out: &Out, err: &Error) {
    let inner = match err {
        Error::Fixable { error, .. } => error.as_ref(),
        e => e,
    };
    match inner {
        // The fix is an edit at the place the message starts with; the config's own
        // hint says what to write there.
        Error::Config(c) => {
            out.error(&format!("invalid configuration: {c}"));
            if let Some(h) = &c.hint {
                out.hint(h);
            }
        }
        // The install command, with its alternatives (asdf, the system's packages).
        Error::PythonNotFound(p) => {
            out.error(&p.summary());
            for h in p.hints() {
                out.hint(&h);
            }
            if out.verbose > 0 {
                for t in &p.tried {
                    eprintln!(
                        "  {} {:<7} {}  {}",
                        out.fail_mark(),
                        t.place,
                        t.path.display(),
                        t.outcome
                    );
                }
            } else {
                out.hint("`pyve status -v` lists every place that was tried");
            }
        }
        // Every way to get micromamba, with the command of each.
        Error::MicromambaMissing(m) => {
            let root = std::env::current_dir().unwrap_or_default();
            let show = |p: &std::path::Path| crate::words::show_path(&root, p);
            out.error(&pyve_core::engine::bootstrap::missing_block(
                &m.detection,
                &m.tried,
                &m.system,
                &show(&m.project_target),
                &show(&m.user_target),
                &show,
            ));
        }
        other => {
            out.error(&other.to_string());
            if let Some(f) = err.fix() {
                out.hint(&fix_hint(&f));
            }
        }
    }
}

/// A fix as the CLI says it: the command to run, or the edit to make.
pub fn fix_hint(fix: &Fix) -> String {
    match fix {
        Fix::ChooseBackend => {
            "run `pyve init --backend micromamba` or `pyve init --backend venv`".into()
        }
        Fix::Edit { file, line, key } => crate::words::edit(file, *line, key.as_deref()),
        Fix::Init(_)
        | Fix::Bootstrap
        | Fix::BootstrapUser
        | Fix::FixAll
        | Fix::Purge
        | Fix::Lock
        | Fix::Shell { .. } => {
            format!("run `{}`", fix.command_line().unwrap_or_default())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(args: &[&str]) -> Vec<OsString> {
        args.iter().map(OsString::from).collect()
    }

    #[test]
    fn every_kind_of_fix_is_a_hint_with_its_command() {
        use pyve_core::engine::fix::InitFix;
        let cases = [
            (Fix::init(), "run `pyve init`"),
            (Fix::rebuild(), "run `pyve init --force`"),
            (
                Fix::Init(InitFix {
                    choose_env_name: true,
                    ..InitFix::default()
                }),
                "run `pyve init --env-name NAME`",
            ),
            (
                Fix::Init(InitFix {
                    env: Some("dev".into()),
                    force: true,
                    ..InitFix::default()
                }),
                "run `pyve init --env dev --force`",
            ),
            (
                Fix::ChooseBackend,
                "run `pyve init --backend micromamba` or `pyve init --backend venv`",
            ),
            (Fix::Bootstrap, "run `pyve bootstrap`"),
            (Fix::BootstrapUser, "run `pyve bootstrap --to user`"),
            (Fix::FixAll, "run `pyve doctor --fix --yes`"),
            (Fix::Purge, "run `pyve purge`"),
            (Fix::shell("pyenv install 3.12"), "run `pyenv install 3.12`"),
            (
                Fix::edit(".pyve/config", Some("venv.directory")),
                "set `venv.directory` in .pyve/config",
            ),
            (
                Fix::Edit {
                    file: ".pyve/config".into(),
                    line: Some(3),
                    key: None,
                },
                "edit .pyve/config at line 3",
            ),
        ];
        for (fix, hint) in cases {
            assert_eq!(fix_hint(&fix), hint, "{fix:?}");
        }
    }

    #[test]
    fn original_pyve_aliases() {
        assert_eq!(
            rewrite_original_aliases(v(&["pyve", "--init"])),
            v(&["pyve", "init"])
        );
        assert_eq!(
            rewrite_original_aliases(v(&["pyve", "-C", "x", "--purge", "--yes"])),
            v(&["pyve", "-C", "x", "purge", "--yes"])
        );
        assert_eq!(
            rewrite_original_aliases(v(&["pyve", "-q", "--config", "--json"])),
            v(&["pyve", "-q", "config", "--json"])
        );
        // After a subcommand, `--init` belongs to the user's command.
        assert_eq!(
            rewrite_original_aliases(v(&["pyve", "run", "tool", "--init"])),
            v(&["pyve", "run", "tool", "--init"])
        );
    }
}
