//! pyve: parses the command line, picks a face, maps errors to exit codes.

mod cli;
mod tui;
mod words;

#[cfg(test)]
mod parity;

use clap::Parser;

fn main() {
    if std::env::var_os(pyve_core::sys::watchdog::ENV).is_some() {
        pyve_core::sys::watchdog::serve();
    }
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    // `pyve run CMD …`, the hot path: straight to the exec.
    if let Some(run) = cli::run::fast_path(&args) {
        let g = cli::Global::plain();
        let status = cli::run::run(&g, run).unwrap_or_else(|err| {
            cli::report(&g.out, &err);
            err.exit_status()
        });
        std::process::exit(status.code());
    }
    let args = cli::rewrite_original_aliases(args);
    let cli = match cli::Cli::try_parse_from(&args) {
        Ok(c) => c,
        // clap exits 2 on usage errors and 0 for --help/--version (docs/exit-codes.md).
        Err(e) if !e.use_stderr() => e.exit(),
        Err(e) => cli::usage_error(&e, &args),
    };
    // `run` is the hot path: no panic-report machinery before the exec.
    if !matches!(cli.command, Some(cli::Command::Run(_))) {
        install_panic_report();
    }
    // Steps die with pyve, however it dies (sys::watchdog).
    if let Ok(exe) = std::env::current_exe() {
        pyve_core::sys::watchdog::enable(exe);
    }
    let g = cli::Global::from_cli(&cli);
    // The faces never call each other: main picks one.
    let tui_asked = match &cli.command {
        Some(cli::Command::Tui(_)) => Some(true),
        None => Some(false),
        Some(_) => None,
    };
    let result = match tui_asked {
        Some(asked) => cli::enter_project_dir(&cli).and_then(|()| {
            if tui::has_terminal() {
                tui::run(tui::Launch {
                    start: g.start.clone(),
                    color: g.color,
                    unicode: g.out.unicode,
                })
            } else {
                Ok(cli::no_terminal_help(asked))
            }
        }),
        None => cli::dispatch(&g, cli),
    };
    // The one place an outcome becomes the process's exit code.
    let status = match result {
        Ok(status) => status,
        Err(err) => {
            cli::report(&g.out, &err);
            cli::progress::interrupted_by(err.exit_status())
        }
    };
    std::process::exit(status.code());
}

/// A panic prints color-eyre's report, without colour under `NO_COLOR`; but a write to a
/// stdout that is closed or full (`pyve status | head`, `> /dev/full`) is not a bug in
/// pyve: it ends quietly with one line and exit 1 (a closed pipe: the reader is done).
fn install_panic_report() {
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    let theme = if no_color {
        color_eyre::config::Theme::new()
    } else {
        color_eyre::config::Theme::dark()
    };
    let Ok((panic_hook, _)) = color_eyre::config::HookBuilder::new()
        .theme(theme)
        .try_into_hooks()
    else {
        return;
    };
    let report = panic_hook.into_panic_hook();
    std::panic::set_hook(Box::new(move |info| {
        let msg = info
            .payload()
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| info.payload().downcast_ref::<&str>().copied())
            .unwrap_or("");
        if let Some(why) = msg.strip_prefix("failed printing to stdout: ") {
            if !why.contains("Broken pipe") {
                eprintln!("pyve: cannot write to stdout: {why}");
            }
            std::process::exit(1);
        }
        report(info);
    }));
}
