//! Entering and leaving the full-screen terminal: raw mode, the alternate screen and
//! mouse reporting on the way in; all of it undone on the way out, whether the way
//! out is `q`, a panic (the hook restores before the report is printed) or a signal
//! (the event loop turns SIGTERM/SIGHUP/SIGINT/SIGQUIT/SIGUSR1 into a quit). Ctrl-Z (or
//! a SIGTSTP) suspends: the terminal is given back before pyve stops, and taken again
//! when the shell's `fg` continues it. Restoring twice is harmless.

use std::io::{Stdout, Write, stdout};

use crossterm::cursor::Show;
use crossterm::execute;
use crossterm::terminal::{
    Clear, ClearType, EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;

pub type Term = Terminal<CrosstermBackend<Stdout>>;

/// Button presses and the wheel (1000), SGR encoded (1006); no motion events, which
/// would flood the input channel for nothing.
const MOUSE_ON: &str = "\x1b[?1000h\x1b[?1006h";
const MOUSE_OFF: &str = "\x1b[?1006l\x1b[?1000l";

/// Restores the terminal when dropped.
pub struct Guard;

impl Drop for Guard {
    fn drop(&mut self) {
        restore();
    }
}

pub fn enter() -> std::io::Result<(Term, Guard)> {
    install_panic_hook();
    enable_raw_mode()?;
    let guard = Guard;
    let mut out = stdout();
    execute!(out, EnterAlternateScreen)?;
    out.write_all(MOUSE_ON.as_bytes())?;
    out.flush()?;
    let term = Terminal::new(CrosstermBackend::new(stdout()))?;
    Ok((term, guard))
}

/// Gives the terminal back, stops pyve as a shell's job control expects, and when it
/// is continued (`fg`, SIGCONT) takes the terminal again and clears it so the next draw
/// is a whole frame.
pub fn suspend(term: &mut Term) -> std::io::Result<()> {
    restore();
    // SIGSTOP rather than SIGTSTP: pyve catches SIGTSTP itself (it would only come back
    // here), and the kernel drops SIGTSTP in an orphaned process group; SIGSTOP always
    // stops. Execution goes on from here when the process is continued.
    let _ = nix::sys::signal::raise(nix::sys::signal::Signal::SIGSTOP);
    enable_raw_mode()?;
    let mut out = stdout();
    execute!(out, EnterAlternateScreen, Clear(ClearType::All))?;
    out.write_all(MOUSE_ON.as_bytes())?;
    out.flush()?;
    // Both buffers blank, so the next draw writes the whole frame. Not `term.clear()`:
    // it asks the terminal for the cursor position, and the input thread would take
    // the answer for a key.
    term.swap_buffers();
    term.hide_cursor()
}

pub fn restore() {
    let mut out = stdout();
    let _ = out.write_all(MOUSE_OFF.as_bytes());
    let _ = execute!(out, LeaveAlternateScreen, Show);
    let _ = disable_raw_mode();
    let _ = out.flush();
}

/// A panic anywhere (a job's thread included, where tokio would catch it and leave the
/// screen half-restored) restores the terminal, prints the report (color-eyre's hook,
/// installed by main) and ends the process: a TUI in an unknown state is worse.
fn install_panic_hook() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        restore();
        previous(info);
        std::process::exit(101);
    }));
}
