//! The full-screen TUI (product.md §8): `pyve` on a terminal, or `pyve tui`.
//!
//! The Elm Architecture: [`app::App`] is the state; terminal input, task-queue events
//! and finished background work become [`action::Action`]s; [`update::update`] is the
//! only place state changes, and answers with [`action::Effect`]s that the
//! [`runtime`] carries out on the engine and the task queue; [`ui::draw`] is a pure
//! function of the state, one file per pane and overlay. The TUI decides nothing the
//! engine decides: it renders `Detection`, `Resolution`, `EnvState`, doctor's checks,
//! and drives `init`, `purge`, `bootstrap` and `run` through the same engine calls
//! as the CLI. See docs/tui.md.

pub mod action;
pub mod app;
pub mod data;
pub mod jobs;
pub mod keys;
pub mod log;
pub mod runtime;
pub mod terminal;
pub mod theme;
pub mod ui;
pub mod update;

#[cfg(test)]
mod tests;

use std::io::IsTerminal;

use clap::Args;

use crate::cli::Global;
use crate::engine::Result;

#[derive(Debug, Default, Args)]
pub struct TuiArgs {}

/// True when both ends of the TUI are a terminal.
pub fn has_terminal() -> bool {
    std::io::stdin().is_terminal() && std::io::stdout().is_terminal()
}

/// Opens the TUI; without a terminal prints the help and returns 2 (product.md §4).
pub fn run(g: &Global, _args: TuiArgs) -> Result<i32> {
    if !has_terminal() {
        use clap::CommandFactory;
        let _ = crate::cli::Cli::command().print_help();
        eprintln!(
            "\nthe TUI needs a terminal on stdin and stdout; try `pyve status` or `pyve doctor`."
        );
        return Ok(2);
    }
    // The TUI draws on stdout: colour follows --color, NO_COLOR and stdout's terminal.
    let color = crate::sys::term::color_enabled(
        g.color,
        std::io::IsTerminal::is_terminal(&std::io::stdout()),
    );
    let theme = theme::Theme::new(color, g.out.unicode);
    runtime::run(g.start.clone(), theme)
}
