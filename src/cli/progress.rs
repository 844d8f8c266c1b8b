//! One updating line on stderr for a step's progress display ([`TaskEvent::Redraw`]):
//! redrawn in place on a terminal, never printed to a log or a pipe.
//!
//! [`TaskEvent::Redraw`]: pyve_core::tasks::TaskEvent::Redraw

use std::io::{IsTerminal, Write};

pub struct Redraw {
    /// stderr is a terminal of this many columns; `None`: not a terminal.
    width: Option<usize>,
    showing: bool,
}

impl Redraw {
    pub fn on_stderr() -> Redraw {
        let width = std::io::stderr().is_terminal().then(|| {
            crossterm::terminal::size()
                .map(|(w, _)| usize::from(w))
                .unwrap_or(80)
        });
        Redraw {
            width,
            showing: false,
        }
    }

    /// Shows `text` (indented like step output, cut to the terminal's width) in place
    /// of what was shown.
    pub fn show(&mut self, text: &str) {
        let Some(width) = self.width else { return };
        let cut: String = text.chars().take(width.saturating_sub(3)).collect();
        let mut e = std::io::stderr().lock();
        let _ = write!(e, "\r\x1b[2K  {cut}");
        let _ = e.flush();
        self.showing = true;
    }

    /// Erases the progress line, if one is shown, so that a line can be printed.
    pub fn clear(&mut self) {
        if self.showing {
            self.showing = false;
            let mut e = std::io::stderr().lock();
            let _ = write!(e, "\r\x1b[2K");
            let _ = e.flush();
        }
    }
}
