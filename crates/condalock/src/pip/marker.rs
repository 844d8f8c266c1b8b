//! PEP 508 markers as conda-lock's `evaluate_marker` sees them: only `sys_platform`,
//! `platform_system` and `os_name` are known (from the target platform); a clause on
//! any other variable counts as true.

use crate::error::SpecError;
use crate::pystr::py_space;

#[derive(Clone, Debug, PartialEq)]
enum MarkerTok {
    LParen,
    RParen,
    Str(String),
    Var(String),
    Op(String),
    And,
    Or,
}

fn marker_tokens(m: &str) -> Result<Vec<MarkerTok>, SpecError> {
    let c: Vec<char> = m.chars().collect();
    let mut i = 0;
    let mut out = Vec::new();
    while i < c.len() {
        let ch = c[i];
        if py_space(ch) {
            i += 1;
        } else if ch == '(' {
            out.push(MarkerTok::LParen);
            i += 1;
        } else if ch == ')' {
            out.push(MarkerTok::RParen);
            i += 1;
        } else if ch == '\'' || ch == '"' {
            let end = c[i + 1..].iter().position(|&x| x == ch).ok_or_else(|| {
                SpecError::MarkerString {
                    marker: m.to_string(),
                }
            })?;
            out.push(MarkerTok::Str(c[i + 1..i + 1 + end].iter().collect()));
            i += end + 2;
        } else if "<>=!~".contains(ch) {
            let mut j = i;
            while j < c.len() && "<>=!~".contains(c[j]) {
                j += 1;
            }
            out.push(MarkerTok::Op(c[i..j].iter().collect()));
            i = j;
        } else if ch.is_ascii_alphanumeric() || ch == '_' || ch == '.' {
            let mut j = i;
            while j < c.len() && (c[j].is_ascii_alphanumeric() || c[j] == '_' || c[j] == '.') {
                j += 1;
            }
            let word: String = c[i..j].iter().collect();
            i = j;
            match word.as_str() {
                "and" => out.push(MarkerTok::And),
                "or" => out.push(MarkerTok::Or),
                "in" => out.push(MarkerTok::Op("in".into())),
                "not" => {
                    // `not in`
                    let mut k = i;
                    while k < c.len() && py_space(c[k]) {
                        k += 1;
                    }
                    if c[k..].starts_with(&['i', 'n']) {
                        out.push(MarkerTok::Op("not in".into()));
                        i = k + 2;
                    } else {
                        return Err(SpecError::marker(m));
                    }
                }
                _ => out.push(MarkerTok::Var(word)),
            }
        } else {
            return Err(SpecError::marker(m));
        }
    }
    Ok(out)
}

/// Evaluates a PEP 508 marker like conda-lock's `evaluate_marker`: only `sys_platform`,
/// `platform_system` and `os_name` are known (from the target platform); a clause on any
/// other variable counts as true.
pub fn evaluate_marker(marker: &str, platform: &str) -> Result<bool, SpecError> {
    let (system, arch) = platform.split_once('-').unwrap_or((platform, ""));
    let env: [(&str, &str); 3] = match system {
        "linux" => [
            ("sys_platform", "linux"),
            ("platform_system", "Linux"),
            ("os_name", "posix"),
        ],
        "osx" => [
            ("sys_platform", "darwin"),
            ("platform_system", "Darwin"),
            ("os_name", "posix"),
        ],
        "win" if arch == "64" => [
            ("sys_platform", "win32"),
            ("platform_system", "Windows"),
            ("os_name", "nt"),
        ],
        _ => {
            return Err(SpecError::MarkerPlatform {
                platform: platform.to_string(),
            });
        }
    };
    let tokens = marker_tokens(marker)?;
    let mut pos = 0;
    let value = marker_or(&tokens, &mut pos, &env, marker)?;
    if pos != tokens.len() {
        return Err(SpecError::marker(marker));
    }
    Ok(value)
}

fn marker_or(
    t: &[MarkerTok],
    pos: &mut usize,
    env: &[(&str, &str)],
    m: &str,
) -> Result<bool, SpecError> {
    let mut v = marker_and(t, pos, env, m)?;
    while t.get(*pos) == Some(&MarkerTok::Or) {
        *pos += 1;
        let r = marker_and(t, pos, env, m)?;
        v = v || r;
    }
    Ok(v)
}

fn marker_and(
    t: &[MarkerTok],
    pos: &mut usize,
    env: &[(&str, &str)],
    m: &str,
) -> Result<bool, SpecError> {
    let mut v = marker_atom(t, pos, env, m)?;
    while t.get(*pos) == Some(&MarkerTok::And) {
        *pos += 1;
        let r = marker_atom(t, pos, env, m)?;
        v = v && r;
    }
    Ok(v)
}

fn marker_atom(
    t: &[MarkerTok],
    pos: &mut usize,
    env: &[(&str, &str)],
    m: &str,
) -> Result<bool, SpecError> {
    let invalid = || Err(SpecError::marker(m));
    if t.get(*pos) == Some(&MarkerTok::LParen) {
        *pos += 1;
        let v = marker_or(t, pos, env, m)?;
        if t.get(*pos) != Some(&MarkerTok::RParen) {
            return invalid();
        }
        *pos += 1;
        return Ok(v);
    }
    let (Some(lhs), Some(MarkerTok::Op(op)), Some(rhs)) =
        (t.get(*pos), t.get(*pos + 1), t.get(*pos + 2))
    else {
        return invalid();
    };
    *pos += 3;
    let resolve = |tok: &MarkerTok| -> Result<Option<String>, SpecError> {
        match tok {
            MarkerTok::Str(s) => Ok(Some(s.clone())),
            MarkerTok::Var(v) => Ok(env
                .iter()
                .find(|(k, _)| k == v)
                .map(|(_, val)| val.to_string())),
            _ => Err(SpecError::marker(m)),
        }
    };
    let (Some(a), Some(b)) = (resolve(lhs)?, resolve(rhs)?) else {
        // A variable conda-lock does not know: the clause counts as true.
        return Ok(true);
    };
    match op.as_str() {
        "==" | "===" => Ok(a == b),
        "!=" => Ok(a != b),
        "in" => Ok(b.contains(&a)),
        "not in" => Ok(!b.contains(&a)),
        _ => Err(SpecError::MarkerComparison {
            op: op.clone(),
            marker: m.to_string(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markers_by_platform() {
        assert_eq!(
            evaluate_marker("sys_platform == 'linux'", "linux-aarch64"),
            Ok(true)
        );
        assert_eq!(
            evaluate_marker("sys_platform == 'linux'", "osx-arm64"),
            Ok(false)
        );
        assert_eq!(
            evaluate_marker(
                "platform_system != \"Windows\" and python_version < \"3.12\"",
                "win-64"
            ),
            Ok(false)
        );
        assert_eq!(evaluate_marker("python_version < '3'", "win-64"), Ok(true));
        assert_eq!(
            evaluate_marker("(os_name == 'nt' or sys_platform == 'darwin')", "osx-64"),
            Ok(true)
        );
        assert_eq!(
            evaluate_marker("'linux' in sys_platform", "linux-64"),
            Ok(true)
        );
        assert!(evaluate_marker("sys_platform == 'linux'", "win-arm64").is_err());
    }
}
