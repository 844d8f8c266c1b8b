//! pyve: parses the command line, picks a face, maps errors to exit codes.

mod cli;
mod engine;
mod sys;
mod tasks;
mod tui;

use clap::Parser;

fn main() {
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    // `pyve run CMD …`, the hot path: straight to the exec.
    if let Some(run) = cli::run::fast_path(&args) {
        let g = cli::Global::plain();
        let code = cli::run::run(&g, run).unwrap_or_else(|err| {
            cli::report(&g.out, &err);
            err.exit_code()
        });
        std::process::exit(code);
    }
    let args = cli::rewrite_seed_aliases(args);
    let cli = match cli::Cli::try_parse_from(args) {
        Ok(c) => c,
        Err(e) => {
            // clap exits 2 on usage errors and 0 for --help/--version, as §4 wants.
            e.exit();
        }
    };
    // `run` is the hot path: no panic-report machinery before the exec.
    if !matches!(cli.command, Some(cli::Command::Run(_))) {
        let _ = color_eyre::install();
    }
    let g = cli::Global::from_cli(&cli);
    let code = match cli::dispatch(&g, cli) {
        Ok(code) => code,
        Err(err) => {
            cli::report(&g.out, &err);
            err.exit_code()
        }
    };
    std::process::exit(code);
}
