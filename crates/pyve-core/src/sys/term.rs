//! What the terminal can show: colour, Unicode symbols, interactivity.

use std::io::IsTerminal;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum ColorChoice {
    #[default]
    Auto,
    Always,
    Never,
}

/// Colour is on for `always` and off for `never`. For `auto`: off when `NO_COLOR` is
/// set (https://no-color.org: any non-empty value), else on when `FORCE_COLOR`
/// (https://force-color.org) or `CLICOLOR_FORCE` is set to anything but `0` / `false`,
/// else on a terminal only. `NO_COLOR` wins over the forcing variables; only the
/// command line (`--color always`) overrides it (docs/decisions/0010-cli-conventions.md).
pub fn color_enabled(choice: ColorChoice, stream_is_tty: bool) -> bool {
    let var = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            if var("NO_COLOR").is_some() {
                return false;
            }
            let forced = ["FORCE_COLOR", "CLICOLOR_FORCE"]
                .iter()
                .filter_map(|k| var(k))
                .any(|v| v != "0" && !v.eq_ignore_ascii_case("false"));
            forced || stream_is_tty
        }
    }
}

/// True when the locale says UTF-8, so ✓ ⚠ ✗ and box drawing can be printed.
/// `LC_ALL` overrides `LC_CTYPE`, which overrides `LANG`, as in POSIX.
pub fn unicode_enabled() -> bool {
    let locale = ["LC_ALL", "LC_CTYPE", "LANG"]
        .iter()
        .find_map(|k| std::env::var(k).ok().filter(|v| !v.is_empty()));
    match locale {
        Some(l) => {
            let l = l.to_ascii_lowercase();
            l.contains("utf-8") || l.contains("utf8")
        }
        // No locale at all: modern terminals are UTF-8; C/POSIX are handled above.
        None => true,
    }
}

pub fn stdin_is_tty() -> bool {
    std::io::stdin().is_terminal()
}

pub fn stderr_is_tty() -> bool {
    std::io::stderr().is_terminal()
}

/// Whether pyve may ask questions: not with `--no-input`, not when `CI` is set, not when
/// stdin is not a terminal.
pub fn interactive(no_input_flag: bool) -> bool {
    !no_input_flag && std::env::var_os("CI").is_none_or(|v| v.is_empty()) && stdin_is_tty()
}

/// A byte count for people: "812 B", "6.8 KiB", "6.8 MiB".
pub fn human_size(bytes: u64) -> String {
    const KIB: f64 = 1024.0;
    let b = bytes as f64;
    if b < KIB {
        format!("{bytes} B")
    } else if b < KIB * KIB {
        format!("{:.1} KiB", b / KIB)
    } else {
        format!("{:.1} MiB", b / KIB / KIB)
    }
}

/// `s` with control characters escaped (`\x1b`, `\n`, `\0`): text from a project file
/// shown on a terminal stays text, never a terminal command.
pub fn escape(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.chars().any(char::is_control) {
        return std::borrow::Cow::Borrowed(s);
    }
    std::borrow::Cow::Owned(s.chars().flat_map(char::escape_default).collect::<String>())
}

#[cfg(test)]
mod escape_tests {
    #[test]
    fn control_characters_are_escaped() {
        assert_eq!(super::escape("plain ✓"), "plain ✓");
        assert_eq!(super::escape("a\u{1b}[2Jb\0"), "a\\u{1b}[2Jb\\u{0}");
    }
}
