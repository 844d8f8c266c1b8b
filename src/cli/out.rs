//! How the CLI talks: messages on stderr (results on stdout), ✓ ⚠ ✗ with ASCII
//! fallbacks, colour only where allowed, and never meaning carried by colour alone.

use std::io::Write;

use anstyle::{AnsiColor, Style};

use pyve_core::sys::term::{self, ColorChoice};

#[derive(Clone, Debug)]
pub struct Out {
    pub color: bool,
    pub unicode: bool,
    pub quiet: bool,
    pub verbose: u8,
    pub interactive: bool,
}

impl Out {
    pub fn new(choice: ColorChoice, quiet: bool, verbose: u8, no_input: bool) -> Out {
        Out {
            color: term::color_enabled(choice, term::stderr_is_tty()),
            unicode: term::unicode_enabled(),
            quiet,
            verbose,
            interactive: term::interactive(no_input),
        }
    }

    pub fn paint(&self, style: Style, text: &str) -> String {
        if self.color {
            format!("{}{text}{}", style.render(), style.render_reset())
        } else {
            text.to_string()
        }
    }

    pub fn ok_mark(&self) -> String {
        let s = if self.unicode { "✓" } else { "[ok]" };
        self.paint(AnsiColor::Green.on_default().bold(), s)
    }
    pub fn warn_mark(&self) -> String {
        let s = if self.unicode { "⚠" } else { "[!]" };
        self.paint(AnsiColor::Yellow.on_default().bold(), s)
    }
    pub fn fail_mark(&self) -> String {
        let s = if self.unicode { "✗" } else { "[x]" };
        self.paint(AnsiColor::Red.on_default().bold(), s)
    }
    pub fn dim(&self, text: &str) -> String {
        self.paint(Style::new().dimmed(), text)
    }
    pub fn dash(&self) -> &'static str {
        if self.unicode { "—" } else { "-" }
    }

    /// Replaces the em dash the engine uses when the terminal cannot show it.
    pub fn text(&self, s: &str) -> String {
        if self.unicode {
            s.to_string()
        } else {
            s.replace('—', "-").replace('→', "->")
        }
    }

    /// A progress line ("Creating .venv …"); suppressed by `-q`.
    pub fn info(&self, msg: &str) {
        if !self.quiet {
            eprintln!("{}", self.text(msg));
        }
    }

    pub fn success(&self, msg: &str) {
        if !self.quiet {
            eprintln!("{} {}", self.ok_mark(), self.text(msg));
        }
    }

    /// Warnings are shown even with `-q`: they are about correctness.
    pub fn warn(&self, msg: &str) {
        let label = self.paint(AnsiColor::Yellow.on_default().bold(), "warning:");
        eprintln!("{label} {}", self.text(msg));
    }

    pub fn error(&self, msg: &str) {
        let label = self.paint(AnsiColor::Red.on_default().bold(), "error:");
        let text = self.text(msg);
        let mut lines = text.lines();
        eprintln!("{label} {}", lines.next().unwrap_or(""));
        for l in lines {
            // One hint format everywhere: a `hint: …` line of a message is a hint.
            if let Some(h) = l.strip_prefix("hint: ") {
                self.hint(h);
            } else if l.is_empty() {
                eprintln!();
            } else {
                eprintln!("  {l}");
            }
        }
    }

    pub fn hint(&self, msg: &str) {
        let label = self.paint(AnsiColor::Cyan.on_default().bold(), "hint:");
        eprintln!("{label} {}", self.text(msg));
    }

    /// Asks a yes/no question on the terminal; `default` on an empty answer. Only
    /// called when `interactive`.
    pub fn confirm(&self, question: &str, default: bool) -> bool {
        let choices = if default { "[Y/n]" } else { "[y/N]" };
        eprint!("{} {choices} ", self.text(question));
        let _ = std::io::stderr().flush();
        let mut answer = String::new();
        if std::io::stdin().read_line(&mut answer).unwrap_or(0) == 0 {
            eprintln!();
            return default;
        }
        match answer.trim().to_ascii_lowercase().as_str() {
            "" => default,
            "y" | "yes" => true,
            _ => false,
        }
    }
}
