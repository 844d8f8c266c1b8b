//! The policies (docs/policies.md) that look at what the user asked to run.
//!
//! pip into a conda env: `pip` would install packages the conda solver does not know
//! about, so later conda transactions can break them silently. Refused unless allowed
//! (`pyve run --allow-pip`, `micromamba.allow_pip: true`). What counts, by argv only:
//!
//! - `pip`, `pip3`, `pip3.X` (bare or as a path) whose subcommand is `install` or
//!   `uninstall`, after any global options (`pip -q install x`, `pip --python P install`);
//! - `python`, `python3`, `python3.X` with interpreter options, then `-m pip` (or `-mpip`)
//!   and the same subcommands (`python -I -m pip install x`);
//! - `uv pip install|uninstall|sync`, which writes into the same env.
//!
//! Read-only pip commands (`list`, `show`, `freeze`, `check`, `--version`, …) pass. A
//! pip hidden inside a shell command (`sh -c "pip install x"`) cannot be seen here.

use std::ffi::OsString;
use std::path::Path;

const MUTATING: &[&str] = &["install", "uninstall"];

/// pip global options that take a separate value.
const PIP_VALUE_OPTS: &[&str] = &[
    "--python",
    "--log",
    "--cache-dir",
    "--proxy",
    "--retries",
    "--timeout",
    "--exists-action",
    "--trusted-host",
    "--cert",
    "--client-cert",
    "--src",
    "--keyring-provider",
    "--use-feature",
    "--use-deprecated",
    "--resume-retries",
];

fn basename(arg: &OsString) -> String {
    Path::new(arg)
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

fn is_versioned(name: &str, stem: &str) -> bool {
    match name.strip_prefix(stem) {
        Some("") | Some("3") => true,
        Some(rest) => rest
            .strip_prefix('3')
            .and_then(|r| r.strip_prefix('.'))
            .is_some_and(|v| !v.is_empty() && v.chars().all(|c| c.is_ascii_digit())),
        None => false,
    }
}

/// The subcommand of a pip argument list, skipping global options.
fn pip_subcommand(args: &[OsString]) -> Option<String> {
    let mut i = 0;
    while i < args.len() {
        let a = args[i].to_string_lossy();
        if a.starts_with('-') {
            if PIP_VALUE_OPTS.contains(&a.as_ref()) {
                i += 1;
            }
            i += 1;
            continue;
        }
        return Some(a.into_owned());
    }
    None
}

/// When `argv` changes packages with pip, the form it takes ("pip install"), else None.
pub fn pip_mutation(argv: &[OsString]) -> Option<String> {
    let (first, rest) = argv.split_first()?;
    let name = basename(first);
    let found = |sub: Option<String>, shown: &str| {
        sub.filter(|s| MUTATING.contains(&s.as_str()))
            .map(|s| format!("{shown} {s}"))
    };
    if is_versioned(&name, "pip") {
        return found(pip_subcommand(rest), &name);
    }
    if name == "uv" {
        let mut it = rest.iter().map(|a| a.to_string_lossy());
        if it.next().as_deref() == Some("pip") {
            let sub = it.next().map(|s| s.into_owned());
            return sub
                .filter(|s| ["install", "uninstall", "sync"].contains(&s.as_str()))
                .map(|s| format!("uv pip {s}"));
        }
        return None;
    }
    if is_versioned(&name, "python") {
        let mut i = 0;
        while i < rest.len() {
            let a = rest[i].to_string_lossy();
            match a.as_ref() {
                "-m" => {
                    let module = rest.get(i + 1)?.to_string_lossy();
                    if module != "pip" {
                        return None;
                    }
                    return found(pip_subcommand(&rest[i + 2..]), &format!("{name} -m pip"));
                }
                "-mpip" => return found(pip_subcommand(&rest[i + 1..]), &format!("{name} -m pip")),
                "-X" | "-W" => i += 2,
                "-c" => return None,
                s if s.starts_with("-m") => return None,
                s if s.starts_with('-') => i += 1,
                _ => return None, // a script
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(args: &[&str]) -> Option<String> {
        pip_mutation(&args.iter().map(OsString::from).collect::<Vec<_>>())
    }

    #[test]
    fn mutating_pip_forms_are_recognised() {
        assert_eq!(p(&["pip", "install", "x"]).as_deref(), Some("pip install"));
        assert_eq!(
            p(&["pip3", "uninstall", "-y", "x"]).as_deref(),
            Some("pip3 uninstall")
        );
        assert_eq!(
            p(&["pip3.11", "-q", "install", "x"]).as_deref(),
            Some("pip3.11 install")
        );
        assert_eq!(
            p(&["/p/bin/pip", "--python", "py", "install", "x"]).as_deref(),
            Some("pip install")
        );
        assert_eq!(
            p(&["python", "-m", "pip", "install", "x"]).as_deref(),
            Some("python -m pip install")
        );
        assert_eq!(
            p(&[
                "python3.12",
                "-I",
                "-X",
                "utf8",
                "-m",
                "pip",
                "uninstall",
                "x"
            ])
            .as_deref(),
            Some("python3.12 -m pip uninstall")
        );
        assert_eq!(
            p(&["python3", "-mpip", "install", "x"]).as_deref(),
            Some("python3 -m pip install")
        );
        assert_eq!(
            p(&["uv", "pip", "sync", "r.txt"]).as_deref(),
            Some("uv pip sync")
        );
    }

    #[test]
    fn read_only_and_unrelated_commands_pass() {
        for args in [
            &["pip", "list"][..],
            &["pip", "--version"],
            &["pip3", "show", "numpy"],
            &["pip", "freeze"],
            &["python", "-m", "pip", "list"],
            &["python", "-c", "import pip"],
            &["python", "script.py", "-m", "pip", "install"],
            &["python", "-m", "pytest"],
            &["pipx", "install", "x"],
            &["pipenv", "install"],
            &["uv", "run", "pip", "install"],
            &["pytest"],
        ] {
            assert_eq!(p(args), None, "{args:?}");
        }
    }
}
