//! The activation `run` applies, said as shell code (`pyve shell-hook -s SHELL`): the
//! variables it sets and the ones it removes, each quoted the way that shell reads
//! a literal, so nothing in a path or a value is ever expanded.

use std::collections::BTreeMap;
use std::ffi::OsString;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shell {
    /// bash, zsh and any POSIX sh.
    Posix,
    Fish,
    PowerShell,
}

/// What turns the caller's environment into the activated one.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Changes {
    pub set: BTreeMap<String, String>,
    pub unset: Vec<String>,
}

/// The difference between `caller` and `active`, by name. Names a shell cannot
/// spell are left out (they cannot be exported from shell code anyway).
pub fn changes(caller: &[(OsString, OsString)], active: &[(OsString, OsString)]) -> Changes {
    let before: BTreeMap<String, String> = lossy(caller);
    let after: BTreeMap<String, String> = lossy(active);
    let mut out = Changes::default();
    for (k, v) in &after {
        if before.get(k) != Some(v) && is_name(k) {
            out.set.insert(k.clone(), v.clone());
        }
    }
    for k in before.keys() {
        if !after.contains_key(k) && is_name(k) {
            out.unset.push(k.clone());
        }
    }
    out
}

fn lossy(env: &[(OsString, OsString)]) -> BTreeMap<String, String> {
    env.iter()
        .map(|(k, v)| {
            (
                k.to_string_lossy().into_owned(),
                v.to_string_lossy().into_owned(),
            )
        })
        .collect()
}

/// `[A-Za-z_][A-Za-z0-9_]*`: a name every one of these shells can set.
fn is_name(k: &str) -> bool {
    let mut chars = k.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// The shell code: removals first, then assignments, one a line.
pub fn render(shell: Shell, changes: &Changes) -> String {
    let mut out = String::new();
    for k in &changes.unset {
        out.push_str(&match shell {
            Shell::Posix => format!("unset {k}\n"),
            Shell::Fish => format!("set -e {k}\n"),
            Shell::PowerShell => {
                format!("Remove-Item -ErrorAction SilentlyContinue Env:{k}\n")
            }
        });
    }
    for (k, v) in &changes.set {
        out.push_str(&match shell {
            Shell::Posix => format!("export {k}={}\n", posix_quote(v)),
            // fish keeps PATH as a list: one element per directory.
            Shell::Fish if k == "PATH" => {
                let dirs: Vec<String> = v.split(':').map(fish_quote).collect();
                format!("set -gx PATH {}\n", dirs.join(" "))
            }
            Shell::Fish => format!("set -gx {k} {}\n", fish_quote(v)),
            Shell::PowerShell => format!("$env:{k} = {}\n", powershell_quote(v)),
        });
    }
    out
}

/// `'…'`, a `'` inside written as `'\''`.
pub fn posix_quote(v: &str) -> String {
    format!("'{}'", v.replace('\'', r"'\''"))
}

/// fish: inside `'…'` only `\\` and `\'` are escapes.
fn fish_quote(v: &str) -> String {
    format!("'{}'", v.replace('\\', r"\\").replace('\'', r"\'"))
}

/// PowerShell: inside `'…'` a `'` is doubled (and so are its typographic quotes).
fn powershell_quote(v: &str) -> String {
    let mut s = String::from("'");
    for c in v.chars() {
        if matches!(c, '\'' | '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}') {
            s.push(c);
        }
        s.push(c);
    }
    s.push('\'');
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> Vec<(OsString, OsString)> {
        pairs.iter().map(|(k, v)| (k.into(), v.into())).collect()
    }

    #[test]
    fn changes_are_what_differs() {
        let caller = env(&[("PATH", "/usr/bin"), ("CONDA_PREFIX", "/c"), ("HOME", "/h")]);
        let active = env(&[
            ("PATH", "/p/.venv/bin:/usr/bin"),
            ("VIRTUAL_ENV", "/p/.venv"),
            ("HOME", "/h"),
            ("BAD-NAME", "x"),
        ]);
        let c = changes(&caller, &active);
        assert_eq!(c.unset, vec!["CONDA_PREFIX".to_string()]);
        assert_eq!(
            c.set.keys().collect::<Vec<_>>(),
            vec!["PATH", "VIRTUAL_ENV"]
        );
    }

    #[test]
    fn values_are_quoted_per_shell() {
        let mut c = Changes::default();
        c.set.insert("V".into(), r"it's $HOME `x` \n".into());
        c.set.insert("PATH".into(), "/a b:/c".into());
        c.unset.push("OLD".into());
        assert_eq!(
            render(Shell::Posix, &c),
            "unset OLD\nexport PATH='/a b:/c'\nexport V='it'\\''s $HOME `x` \\n'\n"
        );
        assert_eq!(
            render(Shell::Fish, &c),
            "set -e OLD\nset -gx PATH '/a b' '/c'\nset -gx V 'it\\'s $HOME `x` \\\\n'\n"
        );
        assert_eq!(
            render(Shell::PowerShell, &c),
            "Remove-Item -ErrorAction SilentlyContinue Env:OLD\n$env:PATH = '/a b:/c'\n$env:V = 'it''s $HOME `x` \\n'\n"
        );
    }
}
