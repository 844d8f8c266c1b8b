//! conda-lock's `# [selector]` lines (`src_parser/selectors.py`): which lines of an
//! environment file are kept for a platform.

use crate::error::SpecError;
use crate::pystr::{py_lstrip, py_splitlines};

/// conda-lock's `filter_platform_selectors` table.
fn platform_selectors(platform: &str) -> Option<&'static [&'static str]> {
    Some(match platform {
        "linux-64" => &["linux64", "unix", "linux"],
        "linux-aarch64" => &["aarch64", "unix", "linux"],
        "linux-ppc64le" => &["ppc64le", "unix", "linux"],
        "osx-64" => &["osx64", "osx", "unix"],
        "osx-arm64" => &["arm64", "osx", "unix"],
        "win-64" => &["win", "win64"],
        _ => return None,
    })
}

/// The selector of a line, as conda-lock's regex
/// `(.+?)\s*(#.*)\[([^\[\]]+)\](?(2)[^\(\)]*)$` finds it: after the first `#` that is
/// not the line's first character, the last `[cond]` (no brackets inside) that only
/// paren-free text follows.
pub fn line_selector(line: &str) -> Option<&str> {
    let chars: Vec<(usize, char)> = line.char_indices().collect();
    let hash = chars.iter().skip(1).position(|&(_, c)| c == '#')? + 1;
    for p in (hash + 1..chars.len()).rev() {
        if chars[p].1 != '[' {
            continue;
        }
        // `[^\[\]]+` then `]`.
        let mut q = p + 1;
        while q < chars.len() && chars[q].1 != '[' && chars[q].1 != ']' {
            q += 1;
        }
        if q >= chars.len() || chars[q].1 != ']' || q == p + 1 {
            continue;
        }
        if chars[q + 1..].iter().any(|&(_, c)| c == '(' || c == ')') {
            continue;
        }
        return Some(&line[chars[p].0 + 1..chars[q].0]);
    }
    None
}

/// conda-lock's `filter_platform_selectors`, joined back with `\n`: drops comment-only
/// lines and lines whose `# [selector]` does not name `platform`. Only the plain
/// selectors of the table above are understood; anything else (`[not win]`,
/// `[linux and x86_64]`, `[ linux ]`) selects no platform, as in conda-lock.
pub fn filter_selectors(content: &str, platform: &str) -> Result<String, SpecError> {
    let mut kept = Vec::new();
    for line in py_splitlines(content) {
        if py_lstrip(line).starts_with('#') {
            continue;
        }
        match line_selector(line) {
            Some(cond) => {
                let table = platform_selectors(platform).ok_or_else(|| SpecError::Selector {
                    selector: cond.to_string(),
                    platform: platform.to_string(),
                })?;
                if table.contains(&cond) {
                    kept.push(line);
                }
            }
            None => kept.push(line),
        }
    }
    Ok(kept.join("\n"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn selectors_are_found_like_conda_lock_finds_them() {
        assert_eq!(line_selector("  - gcc  # [linux64]"), Some("linux64"));
        assert_eq!(line_selector("  - gcc # [ linux ]"), Some(" linux "));
        assert_eq!(
            line_selector("  - numpy  # a comment [linux] with text after"),
            Some("linux")
        );
        assert_eq!(
            line_selector("  - scipy  # [linux] (has parens after)"),
            None
        );
        assert_eq!(line_selector("  - a # [osx] [win]"), Some("win"));
        assert_eq!(line_selector("  - a [linux]"), None);
        assert_eq!(line_selector("# [linux]"), None);
        assert_eq!(line_selector("  - a # []"), None);
    }

    #[test]
    fn selector_filtering_per_platform() {
        let text = "dependencies:\n  # comment\n  - a  # [linux]\n  - b  # [osx]\n  - c  # [unix]\n  - d  # [win]\n  - e  # [not win]\n  - f\n";
        assert_eq!(
            filter_selectors(text, "linux-64").unwrap(),
            "dependencies:\n  - a  # [linux]\n  - c  # [unix]\n  - f"
        );
        assert_eq!(
            filter_selectors(text, "osx-arm64").unwrap(),
            "dependencies:\n  - b  # [osx]\n  - c  # [unix]\n  - f"
        );
        assert_eq!(
            filter_selectors(text, "win-64").unwrap(),
            "dependencies:\n  - d  # [win]\n  - f"
        );
        // conda-lock has no selector table for other platforms: a selector there is an error.
        assert!(filter_selectors(text, "linux-armv7l").is_err());
        assert_eq!(
            filter_selectors("a: 1\r\nb: 2\r\n", "linux-armv7l").unwrap(),
            "a: 1\nb: 2"
        );
    }
}
