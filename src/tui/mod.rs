//! The full-screen TUI: `pyve` on a terminal, or `pyve tui`.
//!
//! The Elm Architecture: [`app::App`] is the state; terminal input, task-queue events
//! and finished background work become [`action::Action`]s; [`update::update`] is the
//! only place state changes, and answers with [`action::Effect`]s that the
//! [`runtime`] carries out on the engine and the task queue; [`ui::draw`] is a pure
//! function of the state. The code is organised by feature: each overlay has a folder
//! under [`overlay`] (its state, its keys, its view) and the panes are under [`pane`];
//! keys are data ([`keys::Binding`] tables) that matching, the footer, Help and
//! docs/tui.md all read. The TUI decides nothing the engine decides: it renders
//! `Detection`, `Resolution`, `EnvState`, doctor's checks, and drives `init`, `purge`,
//! `bootstrap` and `run` through the same engine calls as the CLI. See docs/tui.md.

pub mod action;
pub mod app;
pub mod data;
pub mod envs;
pub mod jobs;
pub mod keys;
pub mod log;
pub mod overlay;
pub mod pane;
pub mod runtime;
pub mod summary;
pub mod terminal;
pub mod theme;
pub mod ui;
pub mod update;

#[cfg(test)]
mod screens;
#[cfg(test)]
mod test_support;
#[cfg(test)]
mod tests;

use std::io::IsTerminal;
use std::path::PathBuf;

use pyve_core::engine::Result;
use pyve_core::sys::term::ColorChoice;

/// What the TUI needs from the command line: where to start, and how to draw.
pub struct Launch {
    /// Where project discovery starts (after `-C`).
    pub start: PathBuf,
    /// `--color` as given: the TUI draws on stdout and judges it there.
    pub color: ColorChoice,
    /// The locale can show ✓ ⚠ ✗ and box drawing.
    pub unicode: bool,
}

/// True when both ends of the TUI are a terminal.
pub fn has_terminal() -> bool {
    std::io::stdin().is_terminal() && std::io::stdout().is_terminal()
}

/// Opens the TUI. The caller has checked [`has_terminal`]: without one, the binary
/// prints its help instead.
pub fn run(launch: Launch) -> Result<pyve_core::engine::ExitStatus> {
    // The TUI draws on stdout: colour follows --color, NO_COLOR and stdout's terminal.
    let color = pyve_core::sys::term::color_enabled(launch.color, std::io::stdout().is_terminal());
    let theme = theme::Theme::new(color, launch.unicode);
    runtime::run(launch.start, theme)
}
