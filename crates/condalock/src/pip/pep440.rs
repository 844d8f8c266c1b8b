//! PEP 440 version specifiers as `packaging`'s `Specifier` reads them (`>=1.0`,
//! `~=2.1`, `==1.*`, `===x`).

use crate::error::SpecError;
use crate::pystr::py_space;

/// One PEP 440 version after an operator, per packaging's specifier regex.
fn pep440_ok(v: &str, op: &str) -> bool {
    let s = v.to_ascii_lowercase();
    let b = s.as_bytes();
    let mut i = 0;
    let digits = |i: &mut usize| {
        let st = *i;
        while *i < b.len() && b[*i].is_ascii_digit() {
            *i += 1;
        }
        *i > st
    };
    if i < b.len() && b[i] == b'v' {
        i += 1;
    }
    // epoch
    let save = i;
    if digits(&mut i) && i < b.len() && b[i] == b'!' {
        i += 1;
    } else {
        i = save;
    }
    // release
    if !digits(&mut i) {
        return false;
    }
    let mut release = 1;
    loop {
        let save = i;
        if i < b.len() && b[i] == b'.' {
            i += 1;
            if digits(&mut i) {
                release += 1;
                continue;
            }
        }
        i = save;
        break;
    }
    if op == "~=" && release < 2 {
        return false;
    }
    let sep = |i: &mut usize| {
        if *i < b.len() && matches!(b[*i], b'-' | b'_' | b'.') {
            *i += 1;
        }
    };
    if matches!(op, "==" | "!=") && &s[i..] == ".*" {
        return true;
    }
    // pre release
    let save = i;
    sep(&mut i);
    let pre = ["alpha", "beta", "preview", "pre", "a", "b", "c", "rc"]
        .iter()
        .find(|k| s[i..].starts_with(*k));
    match pre {
        Some(k) => {
            i += k.len();
            sep(&mut i);
            digits(&mut i);
        }
        None => i = save,
    }
    // post release
    let save = i;
    if i < b.len() && b[i] == b'-' && i + 1 < b.len() && b[i + 1].is_ascii_digit() {
        i += 1;
        digits(&mut i);
    } else {
        sep(&mut i);
        let post = ["post", "rev", "r"].iter().find(|k| s[i..].starts_with(*k));
        match post {
            Some(k) => {
                i += k.len();
                sep(&mut i);
                digits(&mut i);
            }
            None => i = save,
        }
    }
    // dev release
    let save = i;
    sep(&mut i);
    if s[i..].starts_with("dev") {
        i += 3;
        sep(&mut i);
        digits(&mut i);
    } else {
        i = save;
    }
    // local version (== and != only)
    if matches!(op, "==" | "!=") && i < b.len() && b[i] == b'+' {
        let label = |i: &mut usize| {
            let st = *i;
            while *i < b.len() && b[*i].is_ascii_alphanumeric() {
                *i += 1;
            }
            *i > st
        };
        i += 1;
        if !label(&mut i) {
            return false;
        }
        loop {
            let save = i;
            if i < b.len() && matches!(b[i], b'-' | b'_' | b'.') {
                i += 1;
                if label(&mut i) {
                    continue;
                }
            }
            i = save;
            break;
        }
    }
    i == b.len()
}

/// One specifier (`>=1.0`), returned as `str(Specifier)`.
pub(super) fn pip_specifier(raw: &str) -> Result<String, SpecError> {
    let s = raw.trim_matches(py_space);
    let (op, rest) = if let Some(r) = s.strip_prefix("===") {
        ("===", r)
    } else if let Some(op) = ["~=", "==", "!=", "<=", ">="]
        .iter()
        .find(|op| s.starts_with(*op))
    {
        (*op, &s[2..])
    } else if let Some(op) = ["<", ">"].iter().find(|op| s.starts_with(*op)) {
        (*op, &s[1..])
    } else {
        return Err(SpecError::Specifier {
            specifier: raw.to_string(),
        });
    };
    let version = rest.trim_matches(py_space);
    let ok = if op == "===" {
        !version.is_empty() && !version.chars().any(|c| py_space(c) || c == ';' || c == ')')
    } else {
        pep440_ok(version, op)
    };
    if !ok {
        return Err(SpecError::Specifier {
            specifier: raw.to_string(),
        });
    }
    Ok(format!("{op}{version}"))
}
