//! conda match specs as conda-lock reads them (`src_parser/conda_common.py` over conda
//! 24.7.1's `MatchSpec`): a spec → name, version, build and channel.

pub mod order;
pub mod version;

use std::path::Path;

use crate::channel::conda::{conda_channel_from_value, is_package_file};
use crate::error::SpecError;
use crate::pystr::py_strip;
use version::normalize_version_spec;

/// The part of a conda `MatchSpec` that conda-lock keeps (`conda_spec_to_versioned_dep`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CondaSpec {
    /// Lower-cased; `*` when the name is a glob.
    pub name: String,
    /// conda's normalised version spec; empty when none.
    pub version: String,
    pub build: Option<String>,
    /// Canonical channel name (`conda-forge`, `defaults`, …).
    pub channel: Option<String>,
}

const MATCHSPEC_FIELDS: &[&str] = &[
    "channel",
    "subdir",
    "name",
    "version",
    "build",
    "build_number",
    "track_features",
    "features",
    "url",
    "md5",
    "sha256",
    "license",
    "license_family",
    "fn",
];

/// `key=value` pairs as conda's bracket regex
/// `([a-zA-Z0-9_-]+?)=(["\']?)([^\'"]*?)(\2)(?:[, ]|$)` finds them with `finditer`.
fn bracket_pairs(s: &str) -> Vec<(String, String)> {
    let c: Vec<char> = s.chars().collect();
    let mut out = Vec::new();
    let mut pos = 0;
    while pos < c.len() {
        match (pos..c.len()).find_map(|start| bracket_pair_at(&c, start)) {
            Some((key, value, next)) => {
                out.push((key, value));
                pos = next;
            }
            None => break,
        }
    }
    out
}

/// The bracket regex anchored at `start`: (key, value, where the match ends).
fn bracket_pair_at(c: &[char], start: usize) -> Option<(String, String, usize)> {
    let key_char = |ch: char| ch.is_ascii_alphanumeric() || ch == '_' || ch == '-';
    let sep_ok = |i: usize| i >= c.len() || c[i] == ',' || c[i] == ' ';
    // Key: a run of key chars ending right before an '='.
    let mut k = start;
    while k < c.len() && key_char(c[k]) {
        k += 1;
    }
    if k == start || k >= c.len() || c[k] != '=' {
        return None;
    }
    let key: String = c[start..k].iter().collect();
    let v0 = k + 1;
    if v0 < c.len() && (c[v0] == '"' || c[v0] == '\'') {
        // Quoted value: up to the first quote, which must be the same one and be
        // followed by a separator. (Without the quote group the value would have to be
        // empty and followed by a separator; a quote is not one.)
        let q = c[v0];
        let mut e = v0 + 1;
        while e < c.len() && c[e] != '"' && c[e] != '\'' {
            e += 1;
        }
        if e < c.len() && c[e] == q && sep_ok(e + 1) {
            let next = if e + 1 < c.len() { e + 2 } else { e + 1 };
            return Some((key, c[v0 + 1..e].iter().collect(), next));
        }
        return None;
    }
    // Unquoted: the shortest run of non-quote chars followed by a separator or the end.
    let mut e = v0;
    loop {
        if sep_ok(e) {
            let next = if e < c.len() { e + 1 } else { e };
            return Some((key, c[v0..e].iter().collect(), next));
        }
        if c[e] == '"' || c[e] == '\'' {
            return None;
        }
        e += 1;
    }
}

/// The rightmost `open … close` group as conda's `.*(?:(\[.*\]))` finds it: from the
/// last `open` that has a `close` after it to the last `close`.
fn last_group(s: &str, open: char, close: char) -> Option<String> {
    let last_close = s.rfind(close)?;
    let open_at = s[..last_close].rfind(open)?;
    Some(s[open_at..last_close + close.len_utf8()].to_string())
}

/// conda's `_parse_version_plus_build`, a hand-written equivalent of
/// `((?:.+?)[^><!,|]?)(?:(?<![=!|,<>~])(?:[ =])([^-=,|<>~]+?))?$`.
fn parse_version_plus_build(s: &str) -> (String, Option<String>) {
    let c: Vec<char> = s.chars().collect();
    let n = c.len();
    let build_ok = |j: usize| -> bool {
        // (?<![=!|,<>~])[ =]([^-=,|<>~]+?)$ starting at j
        j >= 1
            && j < n
            && !matches!(c[j - 1], '=' | '!' | '|' | ',' | '<' | '>' | '~')
            && matches!(c[j], ' ' | '=')
            && j + 1 < n
            && c[j + 1..]
                .iter()
                .all(|ch| !matches!(ch, '-' | '=' | ',' | '|' | '<' | '>' | '~'))
    };
    let mut found: Option<(usize, Option<usize>)> = None;
    'outer: for i in 1..=n {
        let mut ends = Vec::new();
        if c.get(i)
            .is_some_and(|x| !matches!(x, '>' | '<' | '!' | ',' | '|'))
        {
            ends.push(i + 1);
        }
        ends.push(i);
        for j in ends {
            if build_ok(j) {
                found = Some((j, Some(j + 1)));
                break 'outer;
            }
            if j == n {
                found = Some((j, None));
                break 'outer;
            }
        }
    }
    match found {
        Some((vend, bstart)) => {
            let version: String = c[..vend].iter().filter(|&&ch| ch != ' ').collect();
            let build = bstart.map(|b| py_strip(&c[b..].iter().collect::<String>()).to_string());
            (version, build)
        }
        None => (s.replace(' ', ""), None),
    }
}

/// Parses a conda match spec the way conda-lock does (`conda_spec_to_versioned_dep`
/// over conda's `MatchSpec`). `cwd` only matters for channels given as local paths.
pub fn parse_conda_spec(spec: &str, cwd: &Path) -> Result<CondaSpec, SpecError> {
    let original = spec;
    let bad = |why: String| Err(SpecError::match_spec(original, why));
    let within = SpecError::in_match_spec(original);
    if spec.is_empty() || spec.ends_with('@') {
        // MatchSpec("") is MatchSpec(): it matches everything; `x@` is a feature.
        return Ok(CondaSpec {
            name: "*".into(),
            version: String::new(),
            build: None,
            channel: None,
        });
    }
    // Step 1: '#' comments; step 1b: ' if ' conditions.
    let mut s = spec.split('#').next().unwrap_or("").to_string();
    if let Some((head, _)) = s.split_once(" if ") {
        s = head.to_string();
    }
    // Step 2: tarballs and package URLs.
    if is_package_file(&s) {
        return bad("package files and URLs as dependencies are not supported by pyve".into());
    }
    // Step 3: brackets.
    let mut brackets = take_brackets(&mut s).map_err(|why| SpecError::match_spec(original, why))?;
    // Step 4: parentheses (conda reads them but their content is not used).
    if let Some(group) = last_group(&s, '(', ')') {
        s = s.replace(&group, "");
    }
    // Step 5: channel::name (rsplit(":", 2)).
    let pieces: Vec<&str> = s.rsplitn(3, ':').collect();
    let (channel_str, rest) = match pieces.as_slice() {
        [rest, _ns, chan] => (Some(chan.to_string()), rest.to_string()),
        [rest, _ns] => (None, rest.to_string()),
        [rest] => (None, rest.to_string()),
        _ => (None, String::new()),
    };
    let mut channel: Option<String> = match channel_str.as_deref() {
        Some(c) if !c.is_empty() => conda_channel_from_value(c, cwd)
            .map_err(&within)?
            .name_or_base_url(),
        _ => None,
    };
    if let Some((_, bc)) = brackets.iter().find(|(k, _)| k == "channel") {
        let parsed = conda_channel_from_value(bc, cwd).map_err(&within)?;
        if let Some(name) = parsed.name_or_base_url() {
            channel = Some(name);
        }
    }
    brackets.retain(|(k, _)| k != "channel" && k != "subdir");
    // Step 6: the name.
    let name_end = rest
        .char_indices()
        .find(|&(_, ch)| matches!(ch, ' ' | '=' | '<' | '>' | '!' | '~'))
        .map(|(i, _)| i)
        .unwrap_or(rest.len());
    if name_end == 0 {
        return bad(format!("no package name found in '{rest}'"));
    }
    let name = &rest[..name_end];
    // Steps 7 and 8: version and build, then the brackets override them.
    let (version, build) = version_and_build(&rest[name_end..], &brackets)
        .map_err(|why| SpecError::match_spec(original, why))?;
    let lname = name.to_lowercase();
    let name = if lname.contains('*') || (lname.starts_with('^') && lname.ends_with('$')) {
        "*".to_string()
    } else {
        lname
    };
    let version = match version {
        Some(v) => normalize_version_spec(&v).map_err(&within)?,
        None => String::new(),
    };
    let channel = match channel {
        None => None,
        Some(c) if c.contains('*') || (c.starts_with('^') && c.ends_with('$')) => {
            return bad(format!("conda-lock cannot use the channel pattern `{c}`"));
        }
        Some(c) => {
            let ch = conda_channel_from_value(&c, cwd).map_err(&within)?;
            ch.truthy().then(|| ch.canonical_name())
        }
    };
    Ok(CondaSpec {
        name,
        version,
        build,
        channel,
    })
}

/// Step 3 of conda's `_parse_spec_str`: removes the last `[…]` group from `s` and
/// returns its `key=value` pairs (a later key replaces an earlier one, at the end).
fn take_brackets(s: &mut String) -> Result<Vec<(String, String)>, String> {
    let mut brackets: Vec<(String, String)> = Vec::new();
    if let Some(group) = last_group(s, '[', ']') {
        *s = s.replace(&group, "");
        for (k, v) in bracket_pairs(&group[1..group.len() - 1]) {
            if k.is_empty() || v.is_empty() {
                return Err("key-value mismatch in brackets".into());
            }
            brackets.retain(|(bk, _)| *bk != k);
            brackets.push((k, v));
        }
    }
    Ok(brackets)
}

/// Steps 7 and 8 of conda's `_parse_spec_str`: the version and build after the name
/// (`tail`), then the `version=`/`build=` brackets over them. Not yet normalised.
fn version_and_build(
    tail: &str,
    brackets: &[(String, String)],
) -> Result<(Option<String>, Option<String>), String> {
    let tail = (tail.chars().count() >= 2).then_some(tail);
    let (mut version, mut build): (Option<String>, Option<String>) = (None, None);
    if let Some(t) = tail.map(py_strip).filter(|t| !t.is_empty()) {
        if t.contains('[') {
            return Err("multiple brackets sections not allowed".into());
        }
        let (mut v, b) = parse_version_plus_build(t);
        if v == "==" || v == "=" {
            // conda passes these on and fails on them below.
        } else if let Some(test) = v.strip_prefix('=') {
            let test = test.to_string();
            if v.starts_with("==") && b.is_none() {
                v = v[2..].to_string();
            } else if !test.contains(['=', ',', '|']) {
                v = if b.is_none() && !test.ends_with('*') {
                    format!("{test}*")
                } else {
                    test
                };
            }
        }
        version = Some(v);
        build = b;
    }
    for (k, v) in brackets {
        match k.as_str() {
            "name" => {}
            "version" => version = Some(v.clone()),
            "build" => build = Some(v.clone()),
            other if MATCHSPEC_FIELDS.contains(&other) => {}
            other => return Err(format!("cannot match on field `{other}`")),
        }
    }
    Ok((version, build))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(s: &str) -> (String, String, Option<String>, Option<String>) {
        let p = parse_conda_spec(s, Path::new("/")).unwrap_or_else(|e| panic!("{s}: {e}"));
        (p.name, p.version, p.build, p.channel)
    }

    fn owned(
        name: &str,
        version: &str,
        build: Option<&str>,
        channel: Option<&str>,
    ) -> (String, String, Option<String>, Option<String>) {
        (
            name.to_string(),
            version.to_string(),
            build.map(str::to_string),
            channel.map(str::to_string),
        )
    }

    #[test]
    fn match_specs_versions_builds_and_channels() {
        assert_eq!(spec("numpy"), owned("numpy", "", None, None));
        assert_eq!(spec("NumPy"), owned("numpy", "", None, None));
        assert_eq!(spec("python=3.11"), owned("python", "3.11.*", None, None));
        assert_eq!(spec("python==3.11"), owned("python", "3.11", None, None));
        assert_eq!(spec("python 3.11"), owned("python", "3.11", None, None));
        assert_eq!(
            spec("numpy >=1.2, <2"),
            owned("numpy", ">=1.2,<2", None, None)
        );
        assert_eq!(
            spec("numpy=1.26=py311*"),
            owned("numpy", "1.26", Some("py311*"), None)
        );
        assert_eq!(
            spec("numpy 1.26 py311_0"),
            owned("numpy", "1.26", Some("py311_0"), None)
        );
        assert_eq!(
            spec("python 3.11.* *_cpython"),
            owned("python", "3.11.*", Some("*_cpython"), None)
        );
        assert_eq!(spec("scipy 1.11*"), owned("scipy", "1.11.*", None, None));
        assert_eq!(spec("numpy ===1.2"), owned("numpy", "=1.2", None, None));
        assert_eq!(
            spec("numpy=1.2|1.3"),
            owned("numpy", "=1.2|1.3", None, None)
        );
        assert_eq!(spec("numpy # comment"), owned("numpy", "", None, None));
        assert_eq!(spec("num*py"), owned("*", "", None, None));
        assert_eq!(
            spec("conda-forge::numpy"),
            owned("numpy", "", None, Some("conda-forge"))
        );
        assert_eq!(
            spec("conda-forge/linux-64::numpy>=1"),
            owned("numpy", ">=1", None, Some("conda-forge"))
        );
        assert_eq!(
            spec("pkgs/main::zlib"),
            owned("zlib", "", None, Some("defaults"))
        );
        assert_eq!(
            spec("pkgs/pro::mkl"),
            owned("mkl", "", None, Some("pkgs/pro"))
        );
        assert_eq!(
            spec("https://conda.anaconda.org/t/tk-1/conda-forge/noarch::x"),
            owned("x", "", None, Some("conda-forge"))
        );
        assert_eq!(
            spec("https://repo.anaconda.com/pkgs/r::x"),
            owned("x", "", None, Some("defaults"))
        );
        assert_eq!(
            spec("https://Example.com:8443/conda/chan::x"),
            owned("x", "", None, Some("chan"))
        );
        assert_eq!(
            spec("file:///tmp/chan::x"),
            owned("x", "", None, Some("chan"))
        );
        assert_eq!(
            spec("scipy[version='>=1.10',build=py311*]"),
            owned("scipy", ">=1.10", Some("py311*"), None)
        );
        assert_eq!(
            spec("pandas[channel=conda-forge]"),
            owned("pandas", "", None, Some("conda-forge"))
        );
        assert_eq!(spec("pillow (>=10)"), owned("pillow", "", None, None));
    }

    #[test]
    fn invalid_match_specs_fail_like_conda() {
        for bad in [
            "  numpy",
            "=1.2",
            "numpy >=",
            "numpy ==",
            "numpy 1..2",
            "numpy <>1",
            "numpy >=1.2 ,",
            "numpy~=1.2.*",
            "numpy[foo=bar]",
            "numpy[version=]",
            "numpy ((1.2|1.3),<2)",
        ] {
            assert!(
                parse_conda_spec(bad, Path::new("/")).is_err(),
                "{bad} should fail"
            );
        }
    }

    #[test]
    fn version_plus_build_split() {
        let split = |s: &str| parse_version_plus_build(s);
        assert_eq!(split("=1.2.3 0"), ("=1.2.3".into(), Some("0".into())));
        assert_eq!(split("1.2.3=0"), ("1.2.3".into(), Some("0".into())));
        assert_eq!(
            split(">=1.0 , < 2.0 py34_0"),
            (">=1.0,<2.0".into(), Some("py34_0".into()))
        );
        assert_eq!(
            split(">=1.0 , < 2.0 =py34_0"),
            (">=1.0,<2.0".into(), Some("py34_0".into()))
        );
        assert_eq!(split(">1.8,<2|==1.7"), (">1.8,<2|==1.7".into(), None));
        assert_eq!(
            split("* openblas_0"),
            ("*".into(), Some("openblas_0".into()))
        );
        assert_eq!(split("* *"), ("*".into(), Some("*".into())));
    }
}
