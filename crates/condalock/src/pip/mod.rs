//! pip requirements as conda-lock reads a `pip:` entry
//! (`src_parser/pyproject_toml.py::parse_python_requirement` over `packaging`'s
//! `Requirement`): a requirement → a versioned, URL, VCS or path [`Dependency`].

pub mod marker;
mod pep440;

use std::path::Path;

use crate::dependency::{Dependency, DependencyKind, Manager};
use crate::error::SpecError;
use crate::pystr::{py_space, py_strip};
use pep440::pip_specifier;

/// What `packaging.requirements.Requirement` gives conda-lock.
#[derive(Clone, Debug, PartialEq, Eq)]
struct PipReq {
    name: String,
    extras: Vec<String>,
    url: Option<String>,
    /// `str(Specifier)` of each specifier, in input order.
    specifiers: Vec<String>,
}

/// packaging's IDENTIFIER (`\b[a-zA-Z0-9][a-zA-Z0-9._-]*\b`) at the start of `s`.
fn pip_identifier(s: &str) -> Option<usize> {
    let c: Vec<(usize, char)> = s.char_indices().collect();
    if c.is_empty() || !c[0].1.is_ascii_alphanumeric() {
        return None;
    }
    let mut end = 1;
    while end < c.len() && (c[end].1.is_ascii_alphanumeric() || matches!(c[end].1, '.' | '_' | '-'))
    {
        end += 1;
    }
    let word = |ch: char| ch.is_alphanumeric() || ch == '_';
    // Back off until the match ends on a word boundary.
    while end > 0 {
        let last_word = word(c[end - 1].1);
        let next_word = c.get(end).is_some_and(|&(_, ch)| word(ch));
        if last_word != next_word {
            return Some(c.get(end).map(|&(i, _)| i).unwrap_or(s.len()));
        }
        end -= 1;
    }
    None
}

fn skip_ws(s: &str) -> &str {
    s.trim_start_matches([' ', '\t'])
}

/// `packaging.requirements.Requirement(text)` for what conda-lock passes it (no markers).
fn parse_pip_req(text: &str) -> Result<PipReq, SpecError> {
    let invalid = |reason: &'static str| {
        Err(SpecError::PipRequirement {
            requirement: text.to_string(),
            reason,
        })
    };
    let s = skip_ws(text);
    let Some(name_end) = pip_identifier(s) else {
        return invalid("expected package name at the start");
    };
    let name = s[..name_end].to_string();
    let mut s = skip_ws(&s[name_end..]);
    let mut extras = Vec::new();
    if let Some(inner) = s.strip_prefix('[') {
        let Some(close) = inner.find(']') else {
            return invalid("expected `]` after extras");
        };
        let list = inner[..close].trim_matches([' ', '\t']);
        if !list.is_empty() {
            for extra in list.split(',') {
                let e = extra.trim_matches([' ', '\t']);
                if pip_identifier(e) != Some(e.len()) {
                    return invalid("invalid extra name");
                }
                extras.push(e.to_string());
            }
        }
        s = skip_ws(&inner[close + 1..]);
    }
    if let Some(after) = s.strip_prefix('@') {
        let after = skip_ws(after);
        let url: String = after.chars().take_while(|c| !py_space(*c)).collect();
        if url.is_empty() {
            return invalid("expected URL after @");
        }
        if !after[url.len()..].trim_matches(py_space).is_empty() {
            return invalid("unexpected text after the URL");
        }
        return Ok(PipReq {
            name,
            extras,
            url: Some(url),
            specifiers: Vec::new(),
        });
    }
    let list = if let Some(inner) = s.strip_prefix('(') {
        let Some(inner) = inner.trim_end_matches([' ', '\t']).strip_suffix(')') else {
            return invalid("expected `)` after the version specifier");
        };
        inner
    } else {
        s
    };
    let mut specifiers = Vec::new();
    let items: Vec<&str> = list.split(',').collect();
    for (i, item) in items.iter().enumerate() {
        if item.trim_matches(py_space).is_empty() {
            // The grammar allows one trailing comma after a specifier, nothing else.
            if items.len() == 1 || (i + 1 == items.len() && !specifiers.is_empty()) {
                continue;
            }
            return invalid("empty version specifier");
        }
        specifiers.push(
            pip_specifier(item).map_err(|cause| SpecError::InPipRequirement {
                requirement: text.to_string(),
                cause: Box::new(cause),
            })?,
        );
    }
    Ok(PipReq {
        name,
        extras,
        url: None,
        specifiers,
    })
}

/// packaging's `canonicalize_name` (PEP 503's normal form): lower case, each run of
/// `-`, `_`, `.` as one `-`.
pub fn canonicalize_pypi_name(name: &str) -> String {
    let mut out = String::new();
    let mut in_sep = false;
    for c in name.chars() {
        if matches!(c, '-' | '_' | '.') {
            if !in_sep {
                out.push('-');
            }
            in_sep = true;
        } else {
            out.extend(c.to_lowercase());
            in_sep = false;
        }
    }
    out
}

/// `pathlib.PurePosixPath(p).as_posix()`.
fn pure_posix(p: &str) -> String {
    let root = if p.starts_with("//") && !p.starts_with("///") {
        "//"
    } else if p.starts_with('/') {
        "/"
    } else {
        ""
    };
    let parts: Vec<&str> = p
        .split('/')
        .filter(|x| !x.is_empty() && *x != ".")
        .collect();
    let joined = format!("{root}{}", parts.join("/"));
    if joined.is_empty() {
        ".".to_string()
    } else {
        joined
    }
}

/// conda-lock's `parse_python_requirement` with `manager="pip"` (what a `pip:` entry
/// becomes). Relative path dependencies are looked up under `cwd`.
pub fn parse_pip_requirement(
    requirement: &str,
    category: &str,
    cwd: &Path,
) -> Result<Dependency, SpecError> {
    let (requirement, markers) = match requirement.rsplit_once(';') {
        Some((req, m)) => (py_strip(req).to_string(), Some(py_strip(m).to_string())),
        None => (requirement.to_string(), None),
    };
    // parse_requirement_specifier: a bare URL gets a placeholder name.
    let requirement = if requirement.starts_with("git+")
        || requirement.starts_with("https://")
        || requirement.starts_with("ssh://")
    {
        let last = requirement.rsplit('/').next().unwrap_or("");
        let repo = last.split('@').next().unwrap_or("");
        let repo = repo.strip_suffix(".git").unwrap_or(repo);
        format!("{repo} @ {requirement}")
    } else {
        requirement
    };
    // RequirementWithHash.
    let pieces: Vec<&str> = requirement.split(" --hash=").collect();
    let (req_text, hash) = if pieces.len() == 2 {
        (pieces[0].to_string(), Some(pieces[1].to_string()))
    } else {
        (requirement.clone(), None)
    };
    let parsed = parse_pip_req(&req_text)?;
    let name = canonicalize_pypi_name(&parsed.name);
    // str(SpecifierSet): de-duplicated and sorted; then conda-lock's conversion.
    let mut specs: Vec<String> = parsed.specifiers.clone();
    specs.sort();
    specs.dedup();
    let collapsed = specs.join(",").replace("===", "==");
    let conda_version = if collapsed.is_empty() {
        String::new()
    } else {
        let mut parts: Vec<&str> = collapsed.split(',').collect();
        parts.sort();
        parts.join(",")
    };
    let mut extras = parsed.extras.clone();
    extras.sort();
    extras.dedup();
    let base = |kind: DependencyKind, extras: Vec<String>| Dependency {
        name: name.clone(),
        manager: Manager::Pip,
        category: category.to_string(),
        extras,
        markers: markers.clone(),
        kind,
    };
    match parsed.url {
        Some(url) if url.starts_with("git+") => {
            let (source, rev, subdirectory) = unpack_git_url(&url)?;
            Ok(base(
                DependencyKind::Vcs {
                    source,
                    vcs: "git".into(),
                    rev,
                    subdirectory,
                },
                Vec::new(),
            ))
        }
        Some(url) if url.starts_with("https://") || url.starts_with("ssh://") => {
            let (u, frag) = match url.split_once('#') {
                Some((u, f)) => (u.to_string(), f.to_string()),
                None => (url.clone(), String::new()),
            };
            Ok(base(
                DependencyKind::Url {
                    url: u,
                    hashes: vec![frag.replace('=', ":")],
                },
                extras,
            ))
        }
        Some(url) => {
            let local = url.strip_prefix("file://").unwrap_or(&url);
            let is_directory = if local.starts_with('/') {
                Path::new(local).is_dir()
            } else {
                cwd.join(local).is_dir()
            };
            Ok(base(
                DependencyKind::Path {
                    path: pure_posix(local),
                    is_directory,
                    subdirectory: None,
                },
                extras,
            ))
        }
        None => Ok(base(
            DependencyKind::Versioned {
                version: if conda_version.is_empty() {
                    "*".to_string()
                } else {
                    conda_version
                },
                build: None,
                conda_channel: None,
                hash,
            },
            extras,
        )),
    }
}

/// conda-lock's `unpack_git_url`.
fn unpack_git_url(url: &str) -> Result<(String, Option<String>, Option<String>), SpecError> {
    let mut url = url.strip_suffix(".git").unwrap_or(url);
    url = url.strip_prefix("git+").unwrap_or(url);
    let mut rev: Option<String> = None;
    let mut source = url.to_string();
    if url.contains('@') {
        let parts: Vec<&str> = url.split('@').collect();
        match parts.as_slice() {
            [u, r] => {
                source = u.to_string();
                rev = Some(r.to_string());
            }
            [u1, u2, r] => {
                source = format!("{u1}@{u2}");
                rev = Some(r.to_string());
            }
            _ => return Err(SpecError::GitUrl { url: url.into() }),
        }
    }
    let mut subdir = None;
    if let Some(r) = rev.clone()
        && r.contains("#subdirectory=")
    {
        let parts: Vec<&str> = r.split("#subdirectory=").collect();
        if parts.len() != 2 {
            return Err(SpecError::GitUrl { url: url.into() });
        }
        rev = Some(parts[0].to_string());
        subdir = Some(parts[1].to_string());
    }
    Ok((source, rev, subdir))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pip_requirements() {
        let cwd = Path::new("/nonexistent");
        let dump = |s: &str| {
            parse_pip_requirement(s, "main", cwd)
                .unwrap_or_else(|e| panic!("{s}: {e}"))
                .model_dump()
        };
        let v = dump("Requests_Foo.bar[socks, Security] >= 2.0, <3 ; sys_platform == 'linux'");
        assert_eq!(v["name"], "requests-foo-bar");
        assert_eq!(v["version"], "<3,>=2.0");
        assert_eq!(v["extras"], serde_json::json!(["Security", "socks"]));
        assert_eq!(v["markers"], "sys_platform == 'linux'");
        assert_eq!(dump("attrs===23.1")["version"], "==23.1");
        assert_eq!(dump("httpx==0.25.* --hash=sha256:ff")["hash"], "sha256:ff");
        let v = dump("git+https://github.com/psf/black.git@23.1.0");
        assert_eq!(
            (v["name"].as_str(), v["source"].as_str(), v["rev"].as_str()),
            (
                Some("black"),
                Some("https://github.com/psf/black.git"),
                Some("23.1.0")
            )
        );
        let v = dump("mypkg @ https://example.com/mypkg-1.0.tar.gz#sha256=abc");
        assert_eq!(v["hashes"], serde_json::json!(["sha256:abc"]));
        assert_eq!(dump("foo @ ./a//b/")["path"], "a/b");
        for bad in [
            "requests>=2.*",
            "requests~=2",
            "requests>=1.0 <2",
            "-e",
            "requests>1.0+local",
        ] {
            assert!(
                parse_pip_requirement(bad, "main", cwd).is_err(),
                "{bad} should fail"
            );
        }
    }
}
