//! The Run prompt's state: the line being typed, why it was refused, and where in the
//! history ↑/↓ is; and how a line becomes argv.

use tui_input::Input;

#[derive(Clone, Debug, Default)]
pub struct RunPrompt {
    pub input: Input,
    pub error: Option<String>,
    /// Position in the history while browsing it with ↑/↓.
    pub history_pos: Option<usize>,
}

/// Splits a command line the way `sh` would for plain words: whitespace, `'…'`,
/// `"…"` and `\` escapes (inside `"…"` only before `" \ $ \``). No expansion.
pub fn split_command(line: &str) -> Result<Vec<String>, String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut in_word = false;
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            '\'' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('\'') => break,
                        Some(c) => cur.push(c),
                        None => return Err("unmatched '".into()),
                    }
                }
            }
            '"' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('"') => break,
                        // As in sh: inside "…" a backslash escapes only these.
                        Some('\\') => match chars.next() {
                            Some(c @ ('"' | '\\' | '$' | '`')) => cur.push(c),
                            Some(c) => {
                                cur.push('\\');
                                cur.push(c);
                            }
                            None => return Err("unmatched \"".into()),
                        },
                        Some(c) => cur.push(c),
                        None => return Err("unmatched \"".into()),
                    }
                }
            }
            '\\' => {
                in_word = true;
                if let Some(c) = chars.next() {
                    cur.push(c);
                }
            }
            c if c.is_whitespace() => {
                if in_word {
                    out.push(std::mem::take(&mut cur));
                    in_word = false;
                }
            }
            c => {
                in_word = true;
                cur.push(c);
            }
        }
    }
    if in_word {
        out.push(cur);
    }
    Ok(out)
}
