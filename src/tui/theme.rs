//! What the terminal can show, decided once: colour or not (NO_COLOR, `--color`), and
//! Unicode or ASCII (the locale). Every mark, border and bar the TUI draws comes from
//! here, so meaning is never carried by colour alone and a non-UTF-8 terminal gets
//! characters it can print.

use std::borrow::Cow;

use ratatui::style::{Color, Modifier, Style};
use ratatui::symbols::border;

use pyve_core::engine::doctor::Status;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Theme {
    pub color: bool,
    pub unicode: bool,
}

/// A status mark: always a distinct glyph (or word in ASCII), coloured only on top.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mark {
    Ok,
    Warn,
    Fail,
    Skip,
    Info,
    Running,
    Cancelled,
    /// Work in progress on this (the env while the TUI's init builds it).
    Building,
}

impl From<Status> for Mark {
    fn from(s: Status) -> Mark {
        match s {
            Status::Ok => Mark::Ok,
            Status::Warn => Mark::Warn,
            Status::Fail => Mark::Fail,
            Status::Skip => Mark::Skip,
        }
    }
}

/// ASCII borders for terminals that cannot draw box characters.
const ASCII: border::Set = border::Set {
    top_left: "+",
    top_right: "+",
    bottom_left: "+",
    bottom_right: "+",
    vertical_left: "|",
    vertical_right: "|",
    horizontal_top: "-",
    horizontal_bottom: "-",
};

/// The focused pane in ASCII: `=` and `#` instead of `-` and `|`.
const ASCII_FOCUSED: border::Set = border::Set {
    top_left: "#",
    top_right: "#",
    bottom_left: "#",
    bottom_right: "#",
    vertical_left: "#",
    vertical_right: "#",
    horizontal_top: "=",
    horizontal_bottom: "=",
};

const SPINNER_UNICODE: [&str; 8] = ["⠋", "⠙", "⠸", "⠴", "⠦", "⠇", "⠏", "⠹"];
const SPINNER_ASCII: [&str; 4] = ["|", "/", "-", "\\"];

impl Theme {
    pub fn new(color: bool, unicode: bool) -> Theme {
        Theme { color, unicode }
    }

    /// The glyph of a mark: `✓ ⚠ ✗ – i ▶ ⊘ ↻`, or `[ok] [!] [x] [-] [i] [>] [c] [~]`.
    pub fn mark_text(&self, m: Mark) -> &'static str {
        match (m, self.unicode) {
            (Mark::Ok, true) => "✓",
            (Mark::Warn, true) => "⚠",
            (Mark::Fail, true) => "✗",
            (Mark::Skip, true) => "–",
            (Mark::Info, true) => "i",
            (Mark::Running, true) => "▶",
            (Mark::Cancelled, true) => "⊘",
            (Mark::Building, true) => "↻",
            (Mark::Ok, false) => "[ok]",
            (Mark::Warn, false) => "[!]",
            (Mark::Fail, false) => "[x]",
            (Mark::Skip, false) => "[-]",
            (Mark::Info, false) => "[i]",
            (Mark::Running, false) => "[>]",
            (Mark::Cancelled, false) => "[c]",
            (Mark::Building, false) => "[~]",
        }
    }

    pub fn mark_style(&self, m: Mark) -> Style {
        let base = Style::default().add_modifier(Modifier::BOLD);
        if !self.color {
            return match m {
                Mark::Skip | Mark::Info => Style::default(),
                _ => base,
            };
        }
        match m {
            Mark::Ok => base.fg(Color::Green),
            Mark::Warn => base.fg(Color::Yellow),
            Mark::Fail => base.fg(Color::Red),
            Mark::Skip | Mark::Info => Style::default().add_modifier(Modifier::DIM),
            Mark::Running | Mark::Building => base.fg(Color::Cyan),
            Mark::Cancelled => base.fg(Color::Magenta),
        }
    }

    pub fn border(&self, focused: bool) -> border::Set<'static> {
        match (self.unicode, focused) {
            (true, false) => border::PLAIN,
            (true, true) => border::THICK,
            (false, false) => ASCII,
            (false, true) => ASCII_FOCUSED,
        }
    }

    /// Title of a pane: when focused, bold and reversed (which reads without colour,
    /// on dark and light terminals alike), in the accent colour when there is colour.
    pub fn title_style(&self, focused: bool) -> Style {
        match (focused, self.color) {
            (true, true) => Style::default()
                .fg(Color::Cyan)
                .add_modifier(Modifier::BOLD | Modifier::REVERSED),
            (true, false) => Style::default().add_modifier(Modifier::BOLD | Modifier::REVERSED),
            (false, _) => Style::default(),
        }
    }

    /// The selected row of a list: reversed, which needs no colour.
    pub fn selected(&self) -> Style {
        Style::default().add_modifier(Modifier::REVERSED)
    }

    /// Secondary text: the terminal's own faint attribute rather than a grey, which
    /// vanishes on a dark background or on a light one depending on the palette.
    pub fn dim(&self) -> Style {
        if self.color {
            Style::default().add_modifier(Modifier::DIM)
        } else {
            Style::default()
        }
    }

    pub fn accent(&self) -> Style {
        if self.color {
            Style::default().fg(Color::Cyan)
        } else {
            Style::default()
        }
    }

    pub fn bold(&self) -> Style {
        Style::default().add_modifier(Modifier::BOLD)
    }

    /// A key name in the footer and help.
    pub fn key(&self) -> Style {
        if self.color {
            Style::default()
                .fg(Color::Cyan)
                .add_modifier(Modifier::BOLD)
        } else {
            Style::default().add_modifier(Modifier::BOLD)
        }
    }

    pub fn error(&self) -> Style {
        if self.color {
            Style::default().fg(Color::Red)
        } else {
            Style::default()
        }
    }

    pub fn warn(&self) -> Style {
        if self.color {
            Style::default().fg(Color::Yellow)
        } else {
            Style::default()
        }
    }

    pub fn spinner(&self, tick: u64) -> &'static str {
        if self.unicode {
            SPINNER_UNICODE[(tick as usize) % SPINNER_UNICODE.len()]
        } else {
            SPINNER_ASCII[(tick as usize) % SPINNER_ASCII.len()]
        }
    }

    /// The selection pointer in lists.
    pub fn pointer(&self) -> &'static str {
        if self.unicode { "▶ " } else { "> " }
    }

    pub fn dash(&self) -> &'static str {
        if self.unicode { "—" } else { "-" }
    }

    pub fn ellipsis(&self) -> &'static str {
        if self.unicode { "…" } else { "..." }
    }

    /// A progress bar of `width` cells: `█████░░░░░` or `#####-----`.
    pub fn bar(&self, done: u64, total: u64, width: usize) -> String {
        let filled = if total == 0 {
            0
        } else {
            ((done.min(total) as u128 * width as u128) / total as u128) as usize
        };
        let (full, empty) = if self.unicode {
            ("█", "░")
        } else {
            ("#", "-")
        };
        format!("{}{}", full.repeat(filled), empty.repeat(width - filled))
    }

    /// Text from the engine or a child, made printable: in ASCII mode the symbols the
    /// engine uses get their ASCII spelling and anything else non-ASCII becomes `?`.
    pub fn text<'a>(&self, s: &'a str) -> Cow<'a, str> {
        if self.unicode || s.is_ascii() {
            return Cow::Borrowed(s);
        }
        let mut out = String::with_capacity(s.len());
        for c in s.chars() {
            match c {
                '—' | '–' => out.push('-'),
                '→' => out.push_str("->"),
                '…' => out.push_str("..."),
                '✓' => out.push_str("[ok]"),
                '✗' => out.push_str("[x]"),
                '⚠' => out.push_str("[!]"),
                '‘' | '’' => out.push('\''),
                '“' | '”' => out.push('"'),
                '»' => out.push_str(">>"),
                '─' | '━' => out.push('-'),
                '│' | '┃' => out.push('|'),
                c if c.is_ascii() => out.push(c),
                _ => out.push('?'),
            }
        }
        Cow::Owned(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ascii_mode_has_only_ascii() {
        let t = Theme::new(false, false);
        assert_eq!(t.text("venv — from a → b…"), "venv - from a -> b...");
        assert_eq!(t.text("naïve"), "na?ve");
        for m in [
            Mark::Ok,
            Mark::Warn,
            Mark::Fail,
            Mark::Skip,
            Mark::Info,
            Mark::Running,
            Mark::Cancelled,
            Mark::Building,
        ] {
            assert!(t.mark_text(m).is_ascii());
        }
        assert_eq!(t.bar(5, 10, 10), "#####-----");
        assert_eq!(Theme::new(true, true).bar(10, 10, 4), "████");
    }

    #[test]
    fn no_color_means_no_colour() {
        let t = Theme::new(false, true);
        for s in [t.dim(), t.accent(), t.key(), t.error(), t.title_style(true)] {
            assert_eq!(s.fg, None);
            assert_eq!(s.bg, None);
        }
    }
}
