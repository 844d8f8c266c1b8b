//! `conda-lock.yml`: reading it, and judging whether it is up to date exactly the way
//! conda-lock judges it: by recomputing the *content hash* of its source environment
//! files for each platform and comparing it with `metadata.content_hash[platform]`.
//!
//! This is a port of conda-lock 4.0.3 (see docs/conda-lock-hash.md for the full list of
//! the functions mirrored and of what is not supported):
//!
//! - `conda_lock/src_parser/environment_yaml.py` and `selectors.py`: how an
//!   `environment.yml` becomes per-platform dependency lists (`# [selector]` lines,
//!   `pip:` sections, `nodefaults`, `platforms:`, `category:`, `pip-repositories:`);
//! - `conda_lock/src_parser/conda_common.py` + conda's `MatchSpec` (vendored conda
//!   24.7.1): match spec → `VersionedDependency`, including conda's version-spec
//!   normalisation (`=1.2` → `1.2.*`) and canonical channel names;
//! - `conda_lock/src_parser/pyproject_toml.py::parse_python_requirement` + `packaging`:
//!   pip requirement → `VersionedDependency` / `URLDependency` / `VCSDependency` /
//!   `PathDependency`;
//! - `conda_lock/src_parser/__init__.py::make_lock_spec` and `aggregation.py`;
//! - `conda_lock/models/channel.py::Channel.from_string` (credentials → `${ENV_VAR}`);
//! - `conda_lock/virtual_package.py` (the default and the `virtual-packages.yml` repos);
//! - `conda_lock/content_hash.py`: `compute_content_hashes` (what `conda-lock lock`
//!   writes) and `backwards_compatible_content_hashes` (what `--check-input-hash`
//!   accepts).
//!
//! Everything here is data in, data out: nothing prints. The module is self-contained
//! (std, serde, serde_json, serde-saphyr, sha2) so that `tests/conda_lock_hash.rs` can
//! compile it on its own and compare it with conda-lock itself.

// Not every face uses every part of this API yet, and the integration test compiles
// this file on its own; neither should warn about the parts it leaves alone.
#![allow(dead_code)] // a port kept whole; pyve uses check() and what it needs

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use sha2::{Digest, Sha256};

/// The conda-lock release whose behaviour this module mirrors.
pub const MIRRORED_CONDA_LOCK_VERSION: &str = "4.0.3";

/// conda-lock's `DEFAULT_PLATFORMS`, used when neither the sources nor the caller name any.
pub const DEFAULT_PLATFORMS: &[&str] = &["linux-64", "osx-arm64", "osx-64", "win-64"];

// ───────────────────────────── errors ─────────────────────────────

/// Something in `conda-lock.yml`, an environment file or a virtual-packages file that
/// pyve (like conda-lock) cannot use. `line`/`column` are 1-based when known.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LockfileError {
    pub file: String,
    pub line: Option<u64>,
    pub column: Option<u64>,
    pub message: String,
}

impl LockfileError {
    fn new(file: impl Into<String>, message: impl Into<String>) -> LockfileError {
        LockfileError {
            file: file.into(),
            line: None,
            column: None,
            message: message.into(),
        }
    }

    fn at(mut self, location: Option<(u64, u64)>) -> LockfileError {
        if let Some((l, c)) = location {
            self.line = Some(l);
            self.column = Some(c);
        }
        self
    }

    fn from_yaml(file: &str, err: &serde_saphyr::Error) -> LockfileError {
        let inner = err.without_snippet();
        let location = inner
            .location()
            .filter(|l| l.line() > 0)
            .map(|l| (l.line(), l.column()));
        let mut message = inner.to_string();
        if let Some(i) = message.find(" at line ") {
            message.truncate(i);
        }
        use serde_saphyr::Error as E;
        let message = match inner {
            E::SerdeMissingField { field, .. } => format!("missing key `{field}`"),
            E::SerdeInvalidType {
                unexpected,
                expected,
                ..
            } => format!("wrong type: expected {expected}, found {unexpected}"),
            E::SerdeUnknownVariant {
                variant, expected, ..
            } => format!(
                "unknown value `{variant}` (expected one of: {})",
                expected.join(", ")
            ),
            E::SerdeInvalidValue { .. } | E::SerdeInvalidLength { .. } => message,
            _ => format!("invalid YAML: {message}"),
        };
        LockfileError::new(file, message).at(location)
    }
}

impl fmt::Display for LockfileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.line, self.column) {
            (Some(l), Some(c)) => write!(f, "{}:{l}:{c}: {}", self.file, self.message),
            (Some(l), None) => write!(f, "{}:{l}: {}", self.file, self.message),
            _ => write!(f, "{}: {}", self.file, self.message),
        }
    }
}

impl std::error::Error for LockfileError {}

/// Where `needle` first appears in `text`, as a 1-based (line, column); used to point
/// at the offending entry of an environment file.
fn locate(text: &str, needle: &str) -> Option<(u64, u64)> {
    if needle.is_empty() {
        return None;
    }
    for (i, line) in text.lines().enumerate() {
        if let Some(col) = line.find(needle) {
            let column = line[..col].chars().count() + 1;
            return Some((i as u64 + 1, column as u64));
        }
    }
    None
}

// ───────────────────────────── conda-lock.yml ─────────────────────────────

/// The unified conda-lock file (`version: 1`), as conda-lock writes it. Unknown keys
/// are ignored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CondaLock {
    pub version: u64,
    pub metadata: LockMetadata,
    pub package: Vec<LockedPackage>,
}

#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct LockMetadata {
    /// platform → sha256 hex of the normalised source specification.
    pub content_hash: BTreeMap<String, String>,
    pub channels: Vec<LockChannel>,
    pub platforms: Vec<String>,
    /// The environment files the lock was made from, relative to the lock file's
    /// directory (or absolute).
    pub sources: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct LockChannel {
    pub url: String,
    #[serde(default)]
    pub used_env_vars: Vec<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Manager {
    Conda,
    Pip,
}

impl Manager {
    pub fn as_str(self) -> &'static str {
        match self {
            Manager::Conda => "conda",
            Manager::Pip => "pip",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct LockedPackage {
    pub name: String,
    pub version: String,
    pub manager: Manager,
    pub platform: String,
    #[serde(default)]
    pub dependencies: BTreeMap<String, String>,
    pub url: String,
    pub hash: PackageHash,
    #[serde(default = "main_category")]
    pub category: String,
    #[serde(default)]
    pub optional: bool,
    #[serde(default)]
    pub build: Option<String>,
}

fn main_category() -> String {
    "main".to_string()
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
pub struct PackageHash {
    #[serde(default)]
    pub md5: Option<String>,
    #[serde(default)]
    pub sha256: Option<String>,
}

#[derive(Deserialize)]
struct RawLock {
    version: Option<serde_saphyr::Spanned<u64>>,
    metadata: LockMetadata,
    #[serde(default)]
    package: Vec<LockedPackage>,
}

/// Parses the text of a `conda-lock.yml`; `file` names it in errors.
pub fn parse_lockfile(text: &str, file: &str) -> Result<CondaLock, LockfileError> {
    let raw: Option<RawLock> =
        serde_saphyr::from_str(text).map_err(|e| LockfileError::from_yaml(file, &e))?;
    let raw = raw.ok_or_else(|| LockfileError::new(file, "empty file: not a conda-lock file"))?;
    let version = raw.version.ok_or_else(|| {
        LockfileError::new(
            file,
            "missing `version:` (conda-lock's unified format has version: 1)",
        )
    })?;
    if version.value != 1 {
        let l = version.referenced;
        return Err(LockfileError::new(
            file,
            format!(
                "unsupported conda-lock file version {} (pyve reads version 1)",
                version.value
            ),
        )
        .at((l.line() > 0).then(|| (l.line(), l.column()))));
    }
    Ok(CondaLock {
        version: version.value,
        metadata: raw.metadata,
        package: raw.package,
    })
}

/// Reads and parses a `conda-lock.yml`.
pub fn read_lockfile(path: &Path) -> Result<CondaLock, LockfileError> {
    let file = path.display().to_string();
    let text = std::fs::read_to_string(path)
        .map_err(|e| LockfileError::new(&file, format!("cannot read: {e}")))?;
    parse_lockfile(&text, &file)
}

// ───────────────────────────── dependencies ─────────────────────────────

/// conda-lock's `Dependency` union (`conda_lock/models/lock_spec.py`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Dependency {
    pub name: String,
    pub manager: Manager,
    pub category: String,
    /// Sorted, as conda-lock's validator sorts them.
    pub extras: Vec<String>,
    pub markers: Option<String>,
    pub kind: DependencyKind,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DependencyKind {
    /// `VersionedDependency`
    Versioned {
        version: String,
        build: Option<String>,
        conda_channel: Option<String>,
        hash: Option<String>,
    },
    /// `URLDependency`
    Url { url: String, hashes: Vec<String> },
    /// `VCSDependency`
    Vcs {
        source: String,
        vcs: String,
        rev: Option<String>,
        subdirectory: Option<String>,
    },
    /// `PathDependency`
    Path {
        path: String,
        is_directory: bool,
        subdirectory: Option<String>,
    },
}

impl Dependency {
    /// pydantic's `model_dump()` of the dependency, as JSON.
    pub fn model_dump(&self) -> serde_json::Value {
        self.to_json().to_value()
    }

    /// pydantic's `model_dump()` of the dependency.
    fn to_json(&self) -> Json {
        let mut m = BTreeMap::new();
        m.insert("name".to_string(), Json::str(&self.name));
        m.insert("manager".to_string(), Json::str(self.manager.as_str()));
        m.insert("category".to_string(), Json::str(&self.category));
        m.insert(
            "extras".to_string(),
            Json::List(self.extras.iter().map(Json::str).collect()),
        );
        m.insert("markers".to_string(), Json::opt(&self.markers));
        match &self.kind {
            DependencyKind::Versioned {
                version,
                build,
                conda_channel,
                hash,
            } => {
                m.insert("version".to_string(), Json::str(version));
                m.insert("build".to_string(), Json::opt(build));
                m.insert("conda_channel".to_string(), Json::opt(conda_channel));
                m.insert("hash".to_string(), Json::opt(hash));
            }
            DependencyKind::Url { url, hashes } => {
                m.insert("url".to_string(), Json::str(url));
                m.insert(
                    "hashes".to_string(),
                    Json::List(hashes.iter().map(Json::str).collect()),
                );
            }
            DependencyKind::Vcs {
                source,
                vcs,
                rev,
                subdirectory,
            } => {
                m.insert("source".to_string(), Json::str(source));
                m.insert("vcs".to_string(), Json::str(vcs));
                m.insert("rev".to_string(), Json::opt(rev));
                m.insert("subdirectory".to_string(), Json::opt(subdirectory));
            }
            DependencyKind::Path {
                path,
                is_directory,
                subdirectory,
            } => {
                m.insert("path".to_string(), Json::str(path));
                m.insert("is_directory".to_string(), Json::Bool(*is_directory));
                m.insert("subdirectory".to_string(), Json::opt(subdirectory));
            }
        }
        Json::Obj(m)
    }

    fn versioned(
        name: &str,
        manager: Manager,
        category: &str,
        version: &str,
        build: Option<String>,
        conda_channel: Option<String>,
    ) -> Dependency {
        Dependency {
            name: name.to_string(),
            manager,
            category: category.to_string(),
            extras: Vec::new(),
            markers: None,
            kind: DependencyKind::Versioned {
                version: version.to_string(),
                build,
                conda_channel,
                hash: None,
            },
        }
    }
}

// ───────────────────────────── Python-compatible JSON ─────────────────────────────

/// Just enough JSON to reproduce Python's `json.dumps(d, sort_keys=True)` byte for byte.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Json {
    Null,
    Bool(bool),
    Int(i64),
    Str(String),
    List(Vec<Json>),
    Obj(BTreeMap<String, Json>),
}

impl Json {
    fn str(s: impl AsRef<str>) -> Json {
        Json::Str(s.as_ref().to_string())
    }
    fn opt(s: &Option<String>) -> Json {
        s.as_ref().map(Json::str).unwrap_or(Json::Null)
    }
    fn obj<const N: usize>(pairs: [(&str, Json); N]) -> Json {
        Json::Obj(pairs.into_iter().map(|(k, v)| (k.to_string(), v)).collect())
    }

    fn to_value(&self) -> serde_json::Value {
        match self {
            Json::Null => serde_json::Value::Null,
            Json::Bool(b) => serde_json::Value::Bool(*b),
            Json::Int(i) => serde_json::Value::from(*i),
            Json::Str(s) => serde_json::Value::String(s.clone()),
            Json::List(items) => {
                serde_json::Value::Array(items.iter().map(Json::to_value).collect())
            }
            Json::Obj(m) => serde_json::Value::Object(
                m.iter().map(|(k, v)| (k.clone(), v.to_value())).collect(),
            ),
        }
    }

    /// Python's `json.dumps(self, sort_keys=True)`: separators `", "` and `": "`,
    /// `ensure_ascii=True`. `BTreeMap` orders keys by code point, as `sort_keys` does.
    fn dumps(&self) -> String {
        let mut out = String::new();
        self.write(&mut out);
        out
    }

    fn write(&self, out: &mut String) {
        match self {
            Json::Null => out.push_str("null"),
            Json::Bool(true) => out.push_str("true"),
            Json::Bool(false) => out.push_str("false"),
            Json::Int(i) => out.push_str(&i.to_string()),
            Json::Str(s) => py_json_string(s, out),
            Json::List(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    item.write(out);
                }
                out.push(']');
            }
            Json::Obj(map) => {
                out.push('{');
                for (i, (k, v)) in map.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    py_json_string(k, out);
                    out.push_str(": ");
                    v.write(out);
                }
                out.push('}');
            }
        }
    }
}

/// A string as Python's `json` writes it with `ensure_ascii=True`.
fn py_json_string(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            ' '..='~' => out.push(c),
            _ => {
                let mut buf = [0u16; 2];
                for unit in c.encode_utf16(&mut buf) {
                    out.push_str(&format!("\\u{unit:04x}"));
                }
            }
        }
    }
    out.push('"');
}

fn sha256_hex(s: &str) -> String {
    let digest = Sha256::digest(s.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

// ───────────────────────────── Python string helpers ─────────────────────────────

/// Python's `str.isspace()`.
fn py_space(c: char) -> bool {
    c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c)
}

fn py_strip(s: &str) -> &str {
    s.trim_matches(py_space)
}

fn py_lstrip(s: &str) -> &str {
    s.trim_start_matches(py_space)
}

/// Python's `str.splitlines()` (without the line ends).
fn py_splitlines(s: &str) -> Vec<&str> {
    let mut lines = Vec::new();
    let mut start = 0;
    let mut iter = s.char_indices().peekable();
    while let Some((i, c)) = iter.next() {
        let is_break = matches!(
            c,
            '\n' | '\r'
                | '\u{b}'
                | '\u{c}'
                | '\u{1c}'
                | '\u{1d}'
                | '\u{1e}'
                | '\u{85}'
                | '\u{2028}'
                | '\u{2029}'
        );
        if is_break {
            lines.push(&s[start..i]);
            let mut end = i + c.len_utf8();
            if c == '\r' && matches!(iter.peek(), Some((_, '\n'))) {
                iter.next();
                end += 1;
            }
            start = end;
        }
    }
    if start < s.len() {
        lines.push(&s[start..]);
    }
    lines
}

// ───────────────────────────── selectors ─────────────────────────────

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
pub fn filter_selectors(content: &str, platform: &str) -> Result<String, String> {
    let mut kept = Vec::new();
    for line in py_splitlines(content) {
        if py_lstrip(line).starts_with('#') {
            continue;
        }
        match line_selector(line) {
            Some(cond) => {
                let table = platform_selectors(platform).ok_or_else(|| {
                    format!(
                        "conda-lock cannot apply the selector `[{cond}]` for platform `{platform}` \
                         (it knows selectors for {} only)",
                        [
                            "linux-64",
                            "linux-aarch64",
                            "linux-ppc64le",
                            "osx-64",
                            "osx-arm64",
                            "win-64"
                        ]
                        .join(", ")
                    )
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

// ───────────────────────────── conda version specs ─────────────────────────────

/// conda's `VersionOrder(vstr)` validity checks (the ordering itself is not needed).
fn check_version_order(vstr: &str) -> Result<(), String> {
    let invalid = |why: &str| Err(format!("invalid version `{vstr}`: {why}"));
    let mut version = py_strip(vstr).to_lowercase();
    if version.is_empty() {
        return invalid("empty version string");
    }
    let allowed = |v: &str| {
        v.chars()
            .all(|c| matches!(c, '*' | '.' | '+' | '!' | '_' | '0'..='9' | 'a'..='z'))
    };
    let mut ok = allowed(&version);
    if !ok && version.contains('-') && !version.contains('_') {
        version = version.replace('-', "_");
        ok = allowed(&version);
    }
    if !ok {
        return invalid("invalid character(s)");
    }
    let parts: Vec<&str> = version.split('!').collect();
    let rest = match parts.len() {
        1 => parts[0],
        2 => {
            if parts[0].is_empty() || !parts[0].chars().all(|c| c.is_ascii_digit()) {
                return invalid("epoch must be an integer");
            }
            parts[1]
        }
        _ => return invalid("duplicated epoch separator '!'"),
    };
    let plus: Vec<&str> = rest.split('+').collect();
    let (main, local): (&str, Vec<String>) = match plus.len() {
        1 => (plus[0], Vec::new()),
        2 => (
            plus[0],
            plus[1]
                .replace('_', ".")
                .split('.')
                .map(str::to_string)
                .collect(),
        ),
        _ => return invalid("duplicated local version separator '+'"),
    };
    if main.is_empty() {
        return invalid("missing version before local version separator '+'");
    }
    let components: Vec<String> = if let Some(stripped) = main.strip_suffix('_') {
        let mut v: Vec<String> = stripped
            .replace('_', ".")
            .split('.')
            .map(str::to_string)
            .collect();
        if let Some(last) = v.last_mut() {
            last.push('_');
        }
        v
    } else {
        main.replace('_', ".")
            .split('.')
            .map(str::to_string)
            .collect()
    };
    if components.iter().chain(local.iter()).any(|c| c.is_empty()) {
        return invalid("empty version component");
    }
    Ok(())
}

#[derive(Debug)]
enum VTree {
    Leaf(String),
    Node(char, Vec<VTree>),
}

/// conda's `treeify`: a version-spec expression to a tree of `,` (and) and `|` (or).
fn treeify(spec: &str) -> Result<VTree, String> {
    let err = |why: &str| Err(format!("invalid version spec `{spec}`: {why}"));
    // Tokens, as conda's VSPEC_TOKENS regex finds them in f"({spec})".
    let wrapped: Vec<char> = format!("({spec})").chars().collect();
    let mut tokens: Vec<String> = Vec::new();
    let mut i = 0;
    while i < wrapped.len() {
        let mut j = i;
        while j < wrapped.len() && py_space(wrapped[j]) {
            j += 1;
        }
        // `\s*\^[^$]*[$]`
        if j < wrapped.len()
            && wrapped[j] == '^'
            && let Some(d) = wrapped[j + 1..].iter().position(|&c| c == '$')
        {
            let end = j + 1 + d + 1;
            tokens.push(wrapped[i..end].iter().collect());
            i = end;
            continue;
        }
        // `\s*[()|,]`
        if j < wrapped.len() && matches!(wrapped[j], '(' | ')' | '|' | ',') {
            tokens.push(wrapped[i..=j].iter().collect());
            i = j + 1;
            continue;
        }
        // `[^()|,]+`
        let mut k = i;
        while k < wrapped.len() && !matches!(wrapped[k], '(' | ')' | '|' | ',') {
            k += 1;
        }
        tokens.push(wrapped[i..k].iter().collect());
        i = k;
    }

    let mut output: Vec<VTree> = Vec::new();
    let mut stack: Vec<char> = Vec::new();
    fn apply_ops(
        output: &mut Vec<VTree>,
        stack: &mut Vec<char>,
        cstop: &str,
        spec: &str,
    ) -> Result<(), String> {
        while let Some(&top) = stack.last() {
            if cstop.contains(top) {
                break;
            }
            if output.len() < 2 {
                return Err(format!(
                    "invalid version spec `{spec}`: cannot join single expression"
                ));
            }
            let c = stack.pop().unwrap_or(top);
            let r = output.pop().unwrap_or(VTree::Leaf(String::new()));
            let left = output.pop().unwrap_or(VTree::Leaf(String::new()));
            let mut children = match left {
                VTree::Node(op, kids) if op == c => kids,
                other => vec![other],
            };
            match r {
                VTree::Node(op, kids) if op == c => children.extend(kids),
                other => children.push(other),
            }
            output.push(VTree::Node(c, children));
        }
        Ok(())
    }
    for token in tokens {
        let item = py_strip(&token);
        match item {
            "|" => {
                apply_ops(&mut output, &mut stack, "(", spec)?;
                stack.push('|');
            }
            "," => {
                apply_ops(&mut output, &mut stack, "|(", spec)?;
                stack.push(',');
            }
            "(" => stack.push('('),
            ")" => {
                apply_ops(&mut output, &mut stack, "(", spec)?;
                if stack.last() != Some(&'(') {
                    return err("expression must start with '('");
                }
                stack.pop();
            }
            _ => {
                if item.is_empty() {
                    return err("empty expression");
                }
                output.push(VTree::Leaf(item.to_string()));
            }
        }
    }
    if !stack.is_empty() {
        return err("unable to convert to expression tree");
    }
    if output.is_empty() {
        return err("unable to determine version from spec");
    }
    Ok(output.swap_remove(0))
}

const VERSION_OPS: &[&str] = &["=", "==", "!=", "<=", ">=", "<", ">", "~="];

/// conda's `VersionSpec(spec).spec`: the string conda-lock stores as `version`, after
/// validating it the way conda does. Compound specs are re-joined without parentheses
/// or spaces; `1.2*` becomes `1.2.*`; everything else is kept as written.
pub fn normalize_version_spec(spec: &str) -> Result<String, String> {
    if spec
        .chars()
        .any(|c| matches!(c, '(' | ')' | '|' | ',' | '^' | '$'))
    {
        return match treeify(spec)? {
            VTree::Leaf(leaf) => version_spec_leaf(&leaf),
            node => version_tree_string(&node),
        };
    }
    version_spec_leaf(spec)
}

fn version_tree_string(tree: &VTree) -> Result<String, String> {
    match tree {
        VTree::Leaf(leaf) => normalize_version_spec(leaf),
        VTree::Node(op, kids) => {
            let parts: Result<Vec<String>, String> = kids.iter().map(version_tree_string).collect();
            Ok(parts?.join(&op.to_string()))
        }
    }
}

fn version_spec_leaf(spec: &str) -> Result<String, String> {
    let s = py_strip(spec);
    let invalid = |why: &str| Err(format!("invalid version spec `{spec}`: {why}"));
    let Some(first) = s.chars().next() else {
        return invalid("empty version spec");
    };
    let last = s.chars().last().unwrap_or(first);
    if first == '^' || last == '$' {
        if first != '^' || last != '$' {
            return invalid("regex specs must start with '^' and end with '$'");
        }
        return Ok(s.to_string());
    }
    if matches!(first, '=' | '<' | '>' | '!' | '~') {
        // ^(=|==|!=|<=|>=|<|>|~=)(?![=<>!~])(\S+)$, alternatives in that order.
        let found = VERSION_OPS.iter().find_map(|op| {
            let rest = s.strip_prefix(op)?;
            let next = rest.chars().next()?;
            if matches!(next, '=' | '<' | '>' | '!' | '~') || rest.chars().any(py_space) {
                return None;
            }
            Some((*op, rest))
        });
        let Some((op, mut vo)) = found else {
            return invalid("invalid operator");
        };
        if let Some(stripped) = vo.strip_suffix(".*") {
            if op == "~=" {
                return invalid("invalid operator with '.*'");
            }
            vo = stripped;
        }
        check_version_order(vo)?;
        return Ok(s.to_string());
    }
    if s == "*" {
        return Ok(s.to_string());
    }
    if s.trim_end_matches('*').contains('*') {
        return Ok(s.to_string());
    }
    if s.ends_with('*') {
        let out = if s.ends_with(".*") {
            s.to_string()
        } else {
            format!("{}.*", s.strip_suffix('*').unwrap_or(s))
        };
        check_version_order(out.trim_end_matches('*').trim_end_matches('.'))?;
        return Ok(out);
    }
    if !s.contains('@') {
        check_version_order(s)?;
    }
    Ok(s.to_string())
}

// ───────────────────────────── conda channels (MatchSpec side) ─────────────────────────────

const KNOWN_SUBDIRS: &[&str] = &[
    "emscripten-wasm32",
    "freebsd-64",
    "linux-32",
    "linux-64",
    "linux-aarch64",
    "linux-armv6l",
    "linux-armv7l",
    "linux-ppc64",
    "linux-ppc64le",
    "linux-riscv64",
    "linux-s390x",
    "noarch",
    "osx-64",
    "osx-arm64",
    "wasi-wasm32",
    "win-32",
    "win-64",
    "win-arm64",
    "zos-z",
];

/// conda's default `custom_channels` (name → location), on a non-Windows host.
const CUSTOM_CHANNELS: &[(&str, &str)] = &[
    ("pkgs/main", "repo.anaconda.com"),
    ("pkgs/r", "repo.anaconda.com"),
    ("pkgs/pro", "repo.anaconda.com"),
];
/// The members of conda's `defaults` multichannel, on a non-Windows host.
const DEFAULT_CHANNEL_NAMES: &[&str] = &["pkgs/main", "pkgs/r"];
const CHANNEL_ALIAS: &str = "conda.anaconda.org";

/// A conda `Channel` object, reduced to what its canonical name needs.
#[derive(Clone, Debug)]
struct CondaChannel {
    scheme: Option<String>,
    location: Option<String>,
    name: String,
    multi: bool,
}

impl CondaChannel {
    fn canonical_name(&self) -> String {
        if self.multi {
            return self.name.clone();
        }
        if DEFAULT_CHANNEL_NAMES.contains(&self.name.as_str()) {
            return "defaults".to_string();
        }
        for (that, _) in CUSTOM_CHANNELS {
            if !self.name.is_empty() && tokenized_startswith(&self.name, that) {
                return self.name.clone();
            }
        }
        if self.location.as_deref() == Some(CHANNEL_ALIAS) {
            return self.name.clone();
        }
        let joined = join_url(&[self.location.as_deref(), Some(&self.name)]);
        match &self.scheme {
            Some(s) => format!("{s}://{joined}"),
            None => joined.trim_start_matches('/').to_string(),
        }
    }

    /// `chn.name or chn.base_url`, what conda's `_parse_channel` keeps.
    fn name_or_base_url(&self) -> Option<String> {
        if !self.name.is_empty() {
            return Some(self.name.clone());
        }
        if self.multi || self.canonical_name() == "<unknown>" {
            return None;
        }
        let joined = join_url(&[self.location.as_deref(), Some(&self.name)]);
        Some(format!(
            "{}://{joined}",
            self.scheme.as_deref().unwrap_or("None")
        ))
    }

    fn truthy(&self) -> bool {
        self.location.is_some() || !self.name.is_empty()
    }
}

/// conda's `tokenized_startswith(a.split("/"), b.split("/"))` (it compares the
/// common prefix only).
fn tokenized_startswith(a: &str, b: &str) -> bool {
    a.split('/').zip(b.split('/')).all(|(x, y)| x == y)
}

/// conda's `join_url`.
fn join_url(args: &[Option<&str>]) -> String {
    let first = args.first().copied().flatten();
    let start = if first.is_none_or(|f| f.is_empty() || f.starts_with('/')) {
        "/"
    } else {
        ""
    };
    let parts: Vec<&str> = args
        .iter()
        .flatten()
        .filter(|x| !x.is_empty())
        .map(|x| x.trim_matches('/'))
        .filter(|x| !x.is_empty())
        .collect();
    format!("{start}{}", parts.join("/"))
}

/// conda's `has_scheme`: `^[a-z][a-z0-9]{0,11}://`.
fn has_scheme(value: &str) -> bool {
    let b = value.as_bytes();
    if !b.first().is_some_and(u8::is_ascii_lowercase) {
        return false;
    }
    let n = b[1..]
        .iter()
        .take(11)
        .take_while(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        .count();
    value[1 + n..].starts_with("://")
}

/// conda's `is_path`.
fn is_conda_path(value: &str) -> bool {
    if value.contains("://") {
        return false;
    }
    let b = value.as_bytes();
    value.starts_with("./")
        || value.starts_with("..")
        || value.starts_with('~')
        || value.starts_with('/')
        || (b.len() >= 3
            && b[0].is_ascii_alphabetic()
            && b[1] == b':'
            && matches!(b[2], b'/' | b'\\'))
        || value.starts_with("\\\\")
}

fn is_package_file(value: &str) -> bool {
    value.ends_with(".conda") || value.ends_with(".tar.bz2")
}

/// conda's `split_platform`: removes the first `/<known subdir>` followed by `/` or the end.
fn split_platform(url: &str) -> (String, Option<String>) {
    let lower = url.to_ascii_lowercase();
    for (i, _) in url.match_indices('/') {
        for subdir in KNOWN_SUBDIRS {
            let start = i + 1;
            let end = start + subdir.len();
            if lower.len() >= end
                && lower.is_char_boundary(end)
                && &lower[start..end] == *subdir
                && (end == lower.len() || lower[end..].starts_with('/'))
            {
                let platform = url[start..end].to_string();
                let cleaned = url.replacen(&format!("/{platform}"), "", 1);
                return (cleaned.trim_end_matches('/').to_string(), Some(platform));
            }
        }
    }
    (url.trim_end_matches('/').to_string(), None)
}

/// conda's `split_anaconda_token` (`/t/<token>` with token `[a-zA-Z0-9-]*`).
fn split_anaconda_token(url: &str) -> (String, Option<String>) {
    if let Some(i) = url.find("/t/") {
        let token: String = url[i + 3..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
            .collect();
        let cleaned = url.replacen(&format!("/t/{token}"), "", 1);
        return (cleaned.trim_end_matches('/').to_string(), Some(token));
    }
    (url.trim_end_matches('/').to_string(), None)
}

/// The parts of a URL that conda's channel parsing uses (stdlib `urlparse` semantics).
struct UrlParts {
    scheme: Option<String>,
    host: Option<String>,
    port: Option<u16>,
    path: String,
}

fn conda_urlparse(url: &str) -> Result<UrlParts, String> {
    let (scheme, rest) = match url.find("://") {
        Some(i) if has_scheme(url) => (Some(url[..i].to_ascii_lowercase()), &url[i + 3..]),
        // conda prefixes "//" to scheme-less URLs: all of it is netloc + path.
        _ => (None, url),
    };
    let rest = rest.split(['?', '#']).next().unwrap_or("");
    let (netloc, path) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, ""),
    };
    let hostport = netloc.rsplit_once('@').map(|(_, h)| h).unwrap_or(netloc);
    let (host, port) = match hostport.rsplit_once(':') {
        Some((h, p)) if !p.contains(']') => {
            if p.is_empty() {
                (h, None)
            } else {
                let port: u16 = p
                    .parse()
                    .map_err(|_| format!("invalid port in channel URL `{url}`"))?;
                (h, Some(port))
            }
        }
        _ => (hostport, None),
    };
    let host = (!host.is_empty()).then(|| host.to_ascii_lowercase());
    Ok(UrlParts {
        scheme,
        host,
        port,
        path: path.to_string(),
    })
}

fn host_port_path(host: Option<&str>, port: Option<u16>, path: Option<&str>) -> String {
    let mut s = String::new();
    if let Some(h) = host {
        s.push_str(h);
    }
    if let Some(p) = port {
        s.push_str(&format!(":{p}"));
    }
    if let Some(p) = path.filter(|p| !p.is_empty()) {
        if !p.starts_with('/') {
            s.push('/');
        }
        s.push_str(p);
    }
    s
}

/// conda's `parse_conda_channel_url` + `_read_channel_configuration`, default context.
fn conda_channel_from_url(url: &str) -> Result<CondaChannel, String> {
    let (cleaned, _token) = split_anaconda_token(url);
    let (mut cleaned, _platform) = split_platform(&cleaned);
    let has_ext = [".conda", ".tar.bz2", ".json", ".jlap", ".json.zst"]
        .iter()
        .any(|e| cleaned.ends_with(e));
    if has_ext && let Some((head, _file)) = cleaned.rsplit_once('/') {
        cleaned = head.to_string();
    }
    let parts = conda_urlparse(&cleaned)?;
    let scheme = parts.scheme.clone();
    let path = parts.path.trim_end_matches('/').to_string();
    let host = parts.host.as_deref();
    let test_url = host_port_path(host, parts.port, Some(&path));
    let chan =
        |location: Option<String>, name: Option<String>, scheme: Option<String>| CondaChannel {
            scheme: Some(scheme.unwrap_or_else(|| "https".to_string())),
            location,
            name: name.unwrap_or_default(),
            multi: false,
        };
    // Step 1: no path.
    if path.is_empty() {
        let location = host_port_path(host, parts.port, None)
            .trim_end_matches('/')
            .to_string();
        return Ok(chan(Some(location), None, scheme));
    }
    // Step 4: custom channels (longest name first).
    let mut customs: Vec<&(&str, &str)> = CUSTOM_CHANNELS.iter().collect();
    customs.sort_by_key(|(name, _)| std::cmp::Reverse(name.len()));
    for (name, location) in customs {
        let that = join_url(&[Some(location), Some(name)]);
        if tokenized_startswith(&test_url, &that) {
            let subname = test_url.replacen(&that, "", 1);
            let subname = subname.trim_matches('/');
            return Ok(chan(
                Some(location.to_string()),
                Some(join_url(&[Some(name), Some(subname)])),
                scheme,
            ));
        }
    }
    // Step 5: the channel alias.
    if tokenized_startswith(&test_url, CHANNEL_ALIAS) {
        let name = test_url.replacen(CHANNEL_ALIAS, "", 1);
        let name = name.trim_matches('/');
        return Ok(chan(
            Some(CHANNEL_ALIAS.to_string()),
            (!name.is_empty()).then(|| name.to_string()),
            scheme,
        ));
    }
    // Step 6: file:// URLs without a host.
    if host.is_none() {
        let (location, name) = test_url.rsplit_once('/').unwrap_or(("", &test_url));
        let location = if location.is_empty() { "/" } else { location };
        return Ok(chan(
            Some(location.to_string()),
            Some(name.to_string()),
            Some("file".to_string()),
        ));
    }
    // Step 7: host:port is the location, the path the name (a leading /conda is bumped).
    let segments: Vec<&str> = path.trim_matches('/').split('/').collect();
    let (bump, rest) = if segments.first() == Some(&"conda") {
        (Some("conda"), segments[1..].join("/"))
    } else {
        (None, path.clone())
    };
    let location = host_port_path(host, parts.port, bump)
        .trim_end_matches('/')
        .to_string();
    let name = rest.trim_matches('/');
    Ok(chan(
        Some(location),
        (!name.is_empty()).then(|| name.to_string()),
        scheme,
    ))
}

/// Python's `os.path.normpath` for an absolute POSIX path.
fn normpath_abs(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    format!("/{}", parts.join("/"))
}

/// conda's `Channel.from_value` for a channel string, default context, non-Windows host.
fn conda_channel_from_value(value: &str, cwd: &Path) -> Result<CondaChannel, String> {
    if matches!(value, "<unknown>" | "None:///<unknown>" | "None") {
        return Ok(CondaChannel {
            scheme: None,
            location: None,
            name: "<unknown>".to_string(),
            multi: false,
        });
    }
    if has_scheme(value) {
        return conda_channel_from_url(value);
    }
    if is_conda_path(value) {
        let expanded = match value.strip_prefix('~') {
            Some(rest) if rest.is_empty() || rest.starts_with('/') => {
                let home = std::env::var("HOME").unwrap_or_default();
                format!("{home}{rest}")
            }
            _ => value.to_string(),
        };
        let absolute = if expanded.starts_with('/') {
            normpath_abs(&expanded)
        } else {
            normpath_abs(&format!("{}/{expanded}", cwd.display()))
        };
        // conda percent-encodes only paths with non-ASCII characters, byte by byte
        // (the bytes of the UTF-8 text read as latin-1).
        let encoded: String = if absolute.is_ascii() {
            absolute
        } else {
            absolute
                .bytes()
                .map(|b| {
                    if b.is_ascii_alphanumeric() || b"!'()*-._/\\:".contains(&b) {
                        (b as char).to_string()
                    } else {
                        format!("%{b:02X}")
                    }
                })
                .collect()
        };
        if encoded == "/" {
            return Err(format!(
                "conda cannot use the root directory `{value}` as a channel"
            ));
        }
        return conda_channel_from_url(&format!("file://{encoded}"));
    }
    if is_package_file(value) {
        return conda_channel_from_url(value);
    }
    let (stripped, _platform) = split_platform(value);
    if stripped == "defaults" || stripped == "local" {
        return Ok(CondaChannel {
            scheme: None,
            location: None,
            name: stripped,
            multi: true,
        });
    }
    // _get_channel_for_name: custom channels by progressively shorter prefixes.
    let mut test = stripped.as_str();
    let mut location = CHANNEL_ALIAS;
    loop {
        if let Some((_, loc)) = CUSTOM_CHANNELS.iter().find(|(n, _)| *n == test) {
            location = loc;
            break;
        }
        match test.rsplit_once('/') {
            Some((head, _)) => test = head,
            None => break,
        }
    }
    Ok(CondaChannel {
        scheme: Some("https".to_string()),
        location: Some(location.to_string()),
        name: stripped,
        multi: false,
    })
}

// ───────────────────────────── conda match specs ─────────────────────────────

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
pub fn parse_conda_spec(spec: &str, cwd: &Path) -> Result<CondaSpec, String> {
    let original = spec;
    let bad = |why: String| Err(format!("invalid match spec `{original}`: {why}"));
    if spec.is_empty() {
        // MatchSpec("") is MatchSpec(): it matches everything.
        return Ok(CondaSpec {
            name: "*".into(),
            version: String::new(),
            build: None,
            channel: None,
        });
    }
    if let Some(_feature) = spec.strip_suffix('@') {
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
    let mut brackets: Vec<(String, String)> = Vec::new();
    if let Some(group) = last_group(&s, '[', ']') {
        s = s.replace(&group, "");
        for (k, v) in bracket_pairs(&group[1..group.len() - 1]) {
            if k.is_empty() || v.is_empty() {
                return bad("key-value mismatch in brackets".into());
            }
            brackets.retain(|(bk, _)| *bk != k);
            brackets.push((k, v));
        }
    }
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
            .map_err(|e| format!("invalid match spec `{original}`: {e}"))?
            .name_or_base_url(),
        _ => None,
    };
    let bget = |key: &str, b: &Vec<(String, String)>| {
        b.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone())
    };
    if let Some(bc) = bget("channel", &brackets) {
        let parsed = conda_channel_from_value(&bc, cwd)
            .map_err(|e| format!("invalid match spec `{original}`: {e}"))?;
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
    let tail = &rest[name_end..];
    let tail = (tail.chars().count() >= 2).then_some(tail);
    // Step 7: version and build.
    let (mut version, mut build): (Option<String>, Option<String>) = (None, None);
    if let Some(t) = tail.map(py_strip).filter(|t| !t.is_empty()) {
        if t.contains('[') {
            return bad("multiple brackets sections not allowed".into());
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
    // Step 8: brackets override (except the name).
    for (k, v) in &brackets {
        match k.as_str() {
            "name" => {}
            "version" => version = Some(v.clone()),
            "build" => build = Some(v.clone()),
            other if MATCHSPEC_FIELDS.contains(&other) => {}
            other => return bad(format!("cannot match on field `{other}`")),
        }
    }
    let lname = name.to_lowercase();
    let name = if lname.contains('*') || (lname.starts_with('^') && lname.ends_with('$')) {
        "*".to_string()
    } else {
        lname
    };
    let version = match version {
        Some(v) => normalize_version_spec(&v)
            .map_err(|e| format!("invalid match spec `{original}`: {e}"))?,
        None => String::new(),
    };
    let channel = match channel {
        None => None,
        Some(c) if c.contains('*') || (c.starts_with('^') && c.ends_with('$')) => {
            return bad(format!("conda-lock cannot use the channel pattern `{c}`"));
        }
        Some(c) => {
            let ch = conda_channel_from_value(&c, cwd)
                .map_err(|e| format!("invalid match spec `{original}`: {e}"))?;
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

// ───────────────────────────── pip requirements ─────────────────────────────

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
fn pip_specifier(raw: &str) -> Result<String, String> {
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
        return Err(format!("invalid specifier `{raw}`"));
    };
    let version = rest.trim_matches(py_space);
    let ok = if op == "===" {
        !version.is_empty() && !version.chars().any(|c| py_space(c) || c == ';' || c == ')')
    } else {
        pep440_ok(version, op)
    };
    if !ok {
        return Err(format!("invalid specifier `{raw}`"));
    }
    Ok(format!("{op}{version}"))
}

/// `packaging.requirements.Requirement(text)` for what conda-lock passes it (no markers).
fn parse_pip_req(text: &str) -> Result<PipReq, String> {
    let invalid = |why: &str| Err(format!("invalid pip requirement `{text}`: {why}"));
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
            pip_specifier(item).map_err(|e| format!("invalid pip requirement `{text}`: {e}"))?,
        );
    }
    Ok(PipReq {
        name,
        extras,
        url: None,
        specifiers,
    })
}

/// packaging's `canonicalize_name`.
fn canonicalize_pypi_name(name: &str) -> String {
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
) -> Result<Dependency, String> {
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
fn unpack_git_url(url: &str) -> Result<(String, Option<String>, Option<String>), String> {
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
            _ => return Err(format!("conda-lock cannot split the git URL `{url}`")),
        }
    }
    let mut subdir = None;
    if let Some(r) = rev.clone()
        && r.contains("#subdirectory=")
    {
        let parts: Vec<&str> = r.split("#subdirectory=").collect();
        if parts.len() != 2 {
            return Err(format!("conda-lock cannot split the git URL `{url}`"));
        }
        rev = Some(parts[0].to_string());
        subdir = Some(parts[1].to_string());
    }
    Ok((source, rev, subdir))
}

// ───────────────────────────── PEP 508 markers ─────────────────────────────

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

fn marker_tokens(m: &str) -> Result<Vec<MarkerTok>, String> {
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
            let end = c[i + 1..]
                .iter()
                .position(|&x| x == ch)
                .ok_or_else(|| format!("unterminated string in marker `{m}`"))?;
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
                        return Err(format!("invalid marker `{m}`"));
                    }
                }
                _ => out.push(MarkerTok::Var(word)),
            }
        } else {
            return Err(format!("invalid marker `{m}`"));
        }
    }
    Ok(out)
}

/// Evaluates a PEP 508 marker like conda-lock's `evaluate_marker`: only `sys_platform`,
/// `platform_system` and `os_name` are known (from the target platform); a clause on any
/// other variable counts as true.
pub fn evaluate_marker(marker: &str, platform: &str) -> Result<bool, String> {
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
            return Err(format!(
                "conda-lock cannot evaluate pip markers for platform `{platform}`"
            ));
        }
    };
    let tokens = marker_tokens(marker)?;
    let mut pos = 0;
    let value = marker_or(&tokens, &mut pos, &env, marker)?;
    if pos != tokens.len() {
        return Err(format!("invalid marker `{marker}`"));
    }
    Ok(value)
}

fn marker_or(
    t: &[MarkerTok],
    pos: &mut usize,
    env: &[(&str, &str)],
    m: &str,
) -> Result<bool, String> {
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
) -> Result<bool, String> {
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
) -> Result<bool, String> {
    let invalid = || Err(format!("invalid marker `{m}`"));
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
    let resolve = |tok: &MarkerTok| -> Result<Option<String>, String> {
        match tok {
            MarkerTok::Str(s) => Ok(Some(s.clone())),
            MarkerTok::Var(v) => Ok(env
                .iter()
                .find(|(k, _)| k == v)
                .map(|(_, val)| val.to_string())),
            _ => Err(format!("invalid marker `{m}`")),
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
        _ => Err(format!(
            "pyve cannot evaluate the comparison `{op}` in marker `{m}`"
        )),
    }
}

// ───────────────────────────── channels (conda-lock's model) ─────────────────────────────

/// conda-lock's `Channel` model: the URL with credentials replaced by `${ENV_VAR}`
/// references, and the variables it uses.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Channel {
    pub url: String,
    pub used_env_vars: Vec<String>,
}

impl Channel {
    /// conda-lock's `Channel.from_string`. `environ` is the process environment conda-lock
    /// would see (it matches literal credentials against the values of variables).
    pub fn from_string(value: &str, environ: &[(String, String)]) -> Channel {
        if !value.contains("://") {
            return Channel {
                url: value.to_string(),
                used_env_vars: Vec::new(),
            };
        }
        channel_from_url(value, environ)
    }

    /// pydantic's `model_dump_json()`: compact, fields in declaration order.
    fn model_dump_json(&self) -> String {
        #[derive(serde::Serialize)]
        struct Out<'a> {
            url: &'a str,
            used_env_vars: &'a [String],
        }
        serde_json::to_string(&Out {
            url: &self.url,
            used_env_vars: &self.used_env_vars,
        })
        .unwrap_or_default()
    }
}

/// conda-lock's `_detect_used_env_var`.
fn detect_env_var(value: &str, suffixes: &[&str], environ: &[(String, String)]) -> Option<String> {
    if let Some(rest) = value.strip_prefix('$') {
        let rest = rest.trim_start_matches('$');
        return Some(rest.trim_matches(['{', '}']).to_string());
    }
    let unquoted = percent_decode(value);
    for suffix in suffixes.iter().copied().chain([""]) {
        // {v: k for k, v in os.environ.items() if k.upper().endswith(suffix)}: the last
        // variable with a given value wins.
        let candidates: Vec<&(String, String)> = environ
            .iter()
            .filter(|(k, _)| k.to_uppercase().ends_with(suffix))
            .collect();
        let find = |needle: &str| {
            candidates
                .iter()
                .rev()
                .find(|(_, v)| v == needle)
                .map(|(k, _)| k.clone())
        };
        if let Some(k) = find(value) {
            return Some(k);
        }
        if let Some(k) = find(&unquoted) {
            return Some(k);
        }
    }
    None
}

fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%'
            && i + 2 < b.len()
            && s.is_char_boundary(i + 3)
            && let Ok(v) = u8::from_str_radix(&s[i + 1..i + 3], 16)
        {
            out.push(v);
            i += 3;
            continue;
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// conda-lock's `_conda_url_from_string` + `_channel_from_conda_url`.
fn channel_from_url(url: &str, environ: &[(String, String)]) -> Channel {
    // urllib.parse.urlparse, reduced: scheme://netloc/path;params?query#fragment
    let (scheme, rest) = match url.split_once(':') {
        Some((s, r))
            if !s.is_empty()
                && s.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
                && s.chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c)) =>
        {
            (s.to_ascii_lowercase(), r)
        }
        _ => (String::new(), url),
    };
    let (netloc, after) = match rest.strip_prefix("//") {
        Some(r) => {
            let end = r.find(['/', '?', '#']).unwrap_or(r.len());
            (r[..end].to_string(), &r[end..])
        }
        None => (String::new(), rest),
    };
    let (before_frag, fragment) = match after.split_once('#') {
        Some((a, f)) => (a, Some(f)),
        None => (after, None),
    };
    let (path, query) = match before_frag.split_once('?') {
        Some((p, q)) => (p.to_string(), Some(q)),
        None => (before_frag.to_string(), None),
    };
    let (userinfo, hostport) = match netloc.rsplit_once('@') {
        Some((u, h)) => (Some(u.to_string()), h.to_string()),
        None => (None, netloc.clone()),
    };
    let (username, password) = match &userinfo {
        Some(u) => match u.split_once(':') {
            Some((a, b)) => (Some(a.to_string()), Some(b.to_string())),
            None => (Some(u.clone()), None),
        },
        None => (None, None),
    };
    let (hostname, port) = match hostport.rsplit_once(':') {
        Some((h, p)) if !p.contains(']') => (h.to_ascii_lowercase(), Some(p.to_string())),
        _ => (hostport.to_ascii_lowercase(), None),
    };
    let make_netloc = |user: Option<&str>, pass: Option<&str>| {
        let host_info = match port.as_deref().filter(|p| !p.is_empty()) {
            Some(p) => format!(
                "{hostname}:{}",
                p.parse::<u32>().map(|n| n.to_string()).unwrap_or_default()
            ),
            None => hostname.clone(),
        };
        match user.filter(|u| !u.is_empty()) {
            None => host_info,
            Some(u) => match pass.filter(|p| !p.is_empty()) {
                Some(p) => format!("{u}:{p}@{host_info}"),
                None => format!("{u}@{host_info}"),
            },
        }
    };
    let mut new_netloc = netloc.clone();
    let mut cur_user = username.clone();
    let mut cur_pass = password.clone();
    let mut vars: BTreeSet<String> = BTreeSet::new();
    if let Some(u) = username.as_deref().filter(|u| !u.is_empty())
        && let Some(var) = detect_env_var(u, &["USERNAME", "USER"], environ)
    {
        cur_user = Some(format!("${{{var}}}"));
        new_netloc = make_netloc(cur_user.as_deref(), cur_pass.as_deref());
        vars.insert(var);
    }
    if let Some(p) = password.as_deref().filter(|p| !p.is_empty())
        && let Some(var) = detect_env_var(p, &["PASSWORD", "PASS", "TOKEN", "KEY"], environ)
    {
        cur_pass = Some(format!("${{{var}}}"));
        new_netloc = make_netloc(cur_user.as_deref(), cur_pass.as_deref());
        vars.insert(var);
    }
    // token_pattern = (.*)(/t/\$?\{?[a-zA-Z0-9-_]*\}?)(/.*) on the path (greedy first group).
    let mut new_path = path.clone();
    if let Some((prefix, token, suffix)) = find_token(&path)
        && !token.is_empty()
        && let Some(var) = detect_env_var(
            &token,
            &["TOKEN", "CRED", "PASSWORD", "PASS", "KEY"],
            environ,
        )
    {
        new_path = format!("{prefix}/t/${{{var}}}{suffix}");
        vars.insert(var);
    }
    // urlunparse
    let mut out = String::new();
    if !scheme.is_empty() {
        out.push_str(&scheme);
        out.push(':');
    }
    if !new_netloc.is_empty() || scheme == "file" || url[scheme.len()..].starts_with("://") {
        out.push_str("//");
        out.push_str(&new_netloc);
        if !new_path.is_empty() && !new_path.starts_with('/') {
            out.push('/');
        }
    }
    out.push_str(&new_path);
    if let Some(q) = query.filter(|q| !q.is_empty()) {
        out.push('?');
        out.push_str(q);
    }
    if let Some(f) = fragment.filter(|f| !f.is_empty()) {
        out.push('#');
        out.push_str(f);
    }
    Channel {
        url: out,
        used_env_vars: vars.into_iter().collect(),
    }
}

/// conda-lock's token regex on a URL path: the last `/t/<token>` that is followed by
/// another `/…`. Returns (before, token, after).
fn find_token(path: &str) -> Option<(String, String, String)> {
    let token_char = |c: char| c.is_ascii_alphanumeric() || c == '-' || c == '_';
    let starts: Vec<usize> = path.match_indices("/t/").map(|(i, _)| i).collect();
    for &i in starts.iter().rev() {
        let rest = &path[i + 3..];
        let mut j = 0;
        let rb = rest.as_bytes();
        if j < rb.len() && rb[j] == b'$' {
            j += 1;
        }
        if j < rb.len() && rb[j] == b'{' {
            j += 1;
        }
        while j < rb.len() && token_char(rb[j] as char) {
            j += 1;
        }
        if j < rb.len() && rb[j] == b'}' {
            j += 1;
        }
        // Backtracking over the optional `}` and the class is not needed: the
        // remainder must start with '/', which none of them can be.
        if rest[j..].starts_with('/') {
            return Some((
                path[..i].to_string(),
                rest[..j].to_string(),
                rest[j..].to_string(),
            ));
        }
    }
    None
}

// ───────────────────────────── environment files ─────────────────────────────

/// One source file of a lock: an `environment.yml` and its text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EnvSource {
    pub path: PathBuf,
    pub text: String,
}

impl EnvSource {
    pub fn new(path: impl Into<PathBuf>, text: impl Into<String>) -> EnvSource {
        EnvSource {
            path: path.into(),
            text: text.into(),
        }
    }

    pub fn read(path: &Path) -> Result<EnvSource, LockfileError> {
        let text = std::fs::read_to_string(path).map_err(|e| {
            LockfileError::new(path.display().to_string(), format!("cannot read: {e}"))
        })?;
        Ok(EnvSource::new(path, text))
    }

    fn label(&self) -> String {
        self.path.display().to_string()
    }

    fn err(&self, message: impl Into<String>, needle: Option<&str>) -> LockfileError {
        LockfileError::new(self.label(), message).at(needle.and_then(|n| locate(&self.text, n)))
    }

    fn yaml(
        &self,
        text: &str,
    ) -> Result<serde_json::Map<String, serde_json::Value>, LockfileError> {
        let value: serde_json::Value = serde_saphyr::from_str(text)
            .map_err(|e| LockfileError::from_yaml(&self.label(), &e))?;
        match value {
            serde_json::Value::Object(map) => Ok(map),
            _ => Err(self.err(
                "not an environment file: expected a mapping at the top level",
                None,
            )),
        }
    }

    fn string_list(
        &self,
        map: &serde_json::Map<String, serde_json::Value>,
        key: &str,
    ) -> Result<Vec<String>, LockfileError> {
        match map.get(key) {
            None => Ok(Vec::new()),
            Some(serde_json::Value::Array(items)) => items
                .iter()
                .map(|v| match v {
                    serde_json::Value::String(s) => Ok(s.clone()),
                    other => Err(self.err(
                        format!("`{key}` entries must be strings, found `{other}`"),
                        Some(&format!("{key}:")),
                    )),
                })
                .collect(),
            Some(other) => Err(self.err(
                format!("`{key}` must be a list, found `{other}`"),
                Some(&format!("{key}:")),
            )),
        }
    }

    /// conda-lock's `parse_platforms_from_env_file`: the `platforms:` key, unfiltered.
    pub fn platforms(&self) -> Result<Vec<String>, LockfileError> {
        let map = self.yaml(&self.text)?;
        self.string_list(&map, "platforms")
    }

    /// conda-lock's `parse_environment_file` for the given platforms.
    fn lock_spec(
        &self,
        platforms: &[String],
        cwd: &Path,
        environ: &[(String, String)],
    ) -> Result<SourceSpec, LockfileError> {
        let map = self.yaml(&self.text)?;
        let mut channels = self.string_list(&map, "channels")?;
        if let Some(i) = channels.iter().position(|c| c == "nodefaults") {
            channels.remove(i);
        }
        if channels.iter().any(|c| c == "nodefaults") {
            return Err(self.err(
                "nodefaults channel is not allowed (conda-lock removes only one `nodefaults`)",
                Some("nodefaults"),
            ));
        }
        let pip_repositories = self.string_list(&map, "pip-repositories")?;
        let category = match map.get("category") {
            None | Some(serde_json::Value::Null) => "main".to_string(),
            Some(serde_json::Value::String(s)) if s.is_empty() => "main".to_string(),
            Some(serde_json::Value::String(s)) => s.clone(),
            Some(other) => {
                return Err(self.err(
                    format!("`category` must be a string, found `{other}`"),
                    Some("category:"),
                ));
            }
        };
        let mut dependencies = BTreeMap::new();
        for platform in platforms {
            dependencies.insert(
                platform.clone(),
                self.dependencies_for(platform, &category, cwd)?,
            );
        }
        Ok(SourceSpec {
            channels: channels
                .iter()
                .map(|c| Channel::from_string(c, environ))
                .collect(),
            pip_repositories,
            dependencies,
        })
    }

    /// conda-lock's `_parse_environment_file_for_platform`.
    fn dependencies_for(
        &self,
        platform: &str,
        category: &str,
        cwd: &Path,
    ) -> Result<Vec<Dependency>, LockfileError> {
        let filtered = filter_selectors(&self.text, platform).map_err(|e| self.err(e, None))?;
        let map = self.yaml(&filtered)?;
        let specs = match map.get("dependencies") {
            Some(serde_json::Value::Array(items)) => items,
            Some(other) => {
                return Err(self.err(
                    format!("`dependencies` must be a list (for {platform}), found `{other}`"),
                    Some("dependencies:"),
                ));
            }
            None => return Err(self.err("no `dependencies:` list", None)),
        };
        let mut out = Vec::new();
        let mut mappings = Vec::new();
        for item in specs {
            match item {
                serde_json::Value::String(spec) => {
                    let parsed =
                        parse_conda_spec(spec, cwd).map_err(|e| self.err(e, Some(spec)))?;
                    out.push(Dependency::versioned(
                        &parsed.name,
                        Manager::Conda,
                        category,
                        &parsed.version,
                        parsed.build,
                        parsed.channel,
                    ));
                }
                serde_json::Value::Object(m) => mappings.push(m),
                other => {
                    return Err(self.err(
                        format!(
                            "dependency `{other}` is neither a match spec nor a `pip:` mapping"
                        ),
                        Some(&other.to_string()),
                    ));
                }
            }
        }
        for mapping in mappings {
            let pip = match mapping.get("pip") {
                None | Some(serde_json::Value::Null) => continue,
                Some(serde_json::Value::Array(items)) => items,
                Some(other) => {
                    return Err(self.err(
                        format!("`pip:` must be a list, found `{other}`"),
                        Some("pip:"),
                    ));
                }
            };
            for spec in pip {
                let serde_json::Value::String(spec) = spec else {
                    return Err(self.err(
                        format!("pip requirement `{spec}` is not a string"),
                        Some("pip:"),
                    ));
                };
                if spec.starts_with("-e ") && !spec.contains('\n') {
                    // conda-lock skips editable installs (with a warning).
                    continue;
                }
                let dep = parse_pip_requirement(spec, category, cwd)
                    .map_err(|e| self.err(e, Some(spec)))?;
                let keep = match &dep.markers {
                    None => true,
                    Some(m) => evaluate_marker(m, platform).map_err(|e| self.err(e, Some(spec)))?,
                };
                if keep {
                    out.push(dep);
                }
            }
            // "ensure pip is in target env"
            out.push(Dependency::versioned(
                "pip",
                Manager::Conda,
                "main",
                "*",
                None,
                None,
            ));
        }
        Ok(out)
    }
}

struct SourceSpec {
    channels: Vec<Channel>,
    pip_repositories: Vec<String>,
    dependencies: BTreeMap<String, Vec<Dependency>>,
}

// ───────────────────────────── lock specification ─────────────────────────────

/// conda-lock's `LockSpecification`, minus what the hash ignores.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LockSpec {
    pub platforms: Vec<String>,
    pub channels: Vec<Channel>,
    pub pip_repositories: Vec<String>,
    /// platform → dependencies, unique per (manager, name).
    pub dependencies: BTreeMap<String, Vec<Dependency>>,
    pub sources: Vec<PathBuf>,
}

/// The knobs of `conda-lock lock` that change the lock specification.
#[derive(Clone, Debug, Default)]
pub struct SpecOptions {
    /// `--platform`: replaces the platforms of the sources.
    pub platforms: Option<Vec<String>>,
    /// `--channel`: replaces the channels of the sources.
    pub channels: Option<Vec<String>>,
    /// The directory conda-lock runs in (relative pip path dependencies and channel
    /// paths are looked up there). Default: the process's working directory.
    pub cwd: Option<PathBuf>,
    /// The environment conda-lock sees (credential detection in channel URLs).
    /// Default: this process's environment.
    pub environ: Option<Vec<(String, String)>>,
}

/// conda-lock's `make_lock_spec` over environment files.
pub fn make_lock_spec(
    sources: &[EnvSource],
    options: &SpecOptions,
) -> Result<LockSpec, LockfileError> {
    let cwd = options
        .cwd
        .clone()
        .or_else(|| std::env::current_dir().ok())
        .unwrap_or_else(|| PathBuf::from("."));
    let environ: Vec<(String, String)> = match &options.environ {
        Some(e) => e.clone(),
        None => std::env::vars().collect(),
    };
    for s in sources {
        // conda-lock reads these with other parsers, which pyve does not mirror.
        let name = s.path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if name == "pyproject.toml" || name == "meta.yaml" {
            return Err(s.err(
                format!("pyve judges conda-lock sources that are environment files; `{name}` is not supported"),
                None,
            ));
        }
    }
    let mut platforms: Vec<String> = match options.platforms.as_ref().filter(|p| !p.is_empty()) {
        Some(p) => p.clone(),
        None => {
            let mut all = Vec::new();
            for s in sources {
                for p in s.platforms()? {
                    if !all.contains(&p) {
                        all.push(p);
                    }
                }
            }
            all
        }
    };
    if platforms.is_empty() {
        platforms = DEFAULT_PLATFORMS.iter().map(|s| s.to_string()).collect();
    }
    let specs: Vec<SourceSpec> = sources
        .iter()
        .map(|s| s.lock_spec(&platforms, &cwd, &environ))
        .collect::<Result<_, _>>()?;

    let mut dependencies = BTreeMap::new();
    for platform in &platforms {
        // unique_deps[(manager, name)] = dep: the last one wins.
        let mut unique: BTreeMap<(Manager, String), Dependency> = BTreeMap::new();
        for spec in &specs {
            for dep in spec.dependencies.get(platform).into_iter().flatten() {
                unique.insert((dep.manager, dep.name.clone()), dep.clone());
            }
        }
        dependencies.insert(platform.clone(), unique.into_values().collect());
    }
    let label = |i: usize| sources.get(i).map(|s| s.label()).unwrap_or_default();
    let channels = unify_sources(specs.iter().map(|s| s.channels.clone()).collect())
        .map_err(|i| LockfileError::new(label(i), "its channels are not an ordered suffix of the other sources' channels (conda-lock refuses to merge them)"))?;
    let pip_repositories = unify_sources(specs.iter().map(|s| s.pip_repositories.clone()).collect())
        .map_err(|i| LockfileError::new(label(i), "its pip-repositories are not an ordered suffix of the other sources' (conda-lock refuses to merge them)"))?;
    let channels = match options.channels.as_ref().filter(|c| !c.is_empty()) {
        Some(over) => over
            .iter()
            .map(|c| Channel::from_string(c, &environ))
            .collect(),
        None => channels,
    };
    for c in &channels {
        if c.url == "nodefaults" {
            return Err(LockfileError::new(
                label(0),
                "nodefaults channel is not allowed (conda-lock, ref #418)",
            ));
        }
    }
    let mut source_paths = Vec::new();
    for s in sources {
        if !source_paths.contains(&s.path) {
            source_paths.push(s.path.clone());
        }
    }
    Ok(LockSpec {
        platforms,
        channels,
        pip_repositories,
        dependencies,
        sources: source_paths,
    })
}

/// conda-lock's `unify_package_sources`; the error is the index of the offending list.
fn unify_sources<T: Clone + PartialEq>(collections: Vec<Vec<T>>) -> Result<Vec<T>, usize> {
    // max(collections, key=len): the first of the longest.
    let Some(result) = collections
        .iter()
        .fold(None::<&Vec<T>>, |best, c| match best {
            Some(b) if b.len() >= c.len() => Some(b),
            _ => Some(c),
        })
        .cloned()
    else {
        return Ok(Vec::new());
    };
    for (i, c) in collections.iter().enumerate() {
        let truncated: &[T] = if c.is_empty() {
            &[]
        } else {
            &result[result.len().saturating_sub(c.len())..]
        };
        if c.as_slice() != truncated {
            return Err(i);
        }
    }
    Ok(result)
}

impl LockSpec {
    /// The dict conda-lock hashes (`_content_for_platform`), after `_remove_new_nulls`
    /// when `remove_new_nulls`.
    fn content(
        &self,
        platform: &str,
        vpr: Option<&VirtualPackageRepo>,
        remove_new_nulls: bool,
    ) -> Json {
        let mut deps: Vec<&Dependency> = self
            .dependencies
            .get(platform)
            .into_iter()
            .flatten()
            .collect();
        deps.sort_by(|a, b| (a.manager.as_str(), &a.name).cmp(&(b.manager.as_str(), &b.name)));
        let specs = deps
            .into_iter()
            .map(|d| {
                let mut j = d.to_json();
                if remove_new_nulls && let Json::Obj(m) = &mut j {
                    for key in ["markers", "subdirectory"] {
                        if m.get(key) == Some(&Json::Null) {
                            m.remove(key);
                        }
                    }
                }
                j
            })
            .collect();
        let mut top = BTreeMap::new();
        top.insert(
            "channels".to_string(),
            Json::List(
                self.channels
                    .iter()
                    .map(|c| Json::Str(c.model_dump_json()))
                    .collect(),
            ),
        );
        top.insert("specs".to_string(), Json::List(specs));
        if !self.pip_repositories.is_empty() {
            top.insert(
                "pip_repositories".to_string(),
                Json::List(
                    self.pip_repositories
                        .iter()
                        .map(|url| Json::Str(serde_json::json!({ "url": url }).to_string()))
                        .collect(),
                ),
            );
        }
        if let Some(v) = vpr {
            top.insert("virtual_package_hash".to_string(), v.hash_content(platform));
        }
        Json::Obj(top)
    }

    /// The exact JSON text conda-lock hashes for `platform` when it writes a lock.
    pub fn content_json(&self, platform: &str, vpr: Option<&VirtualPackageRepo>) -> String {
        let vpr = vpr.map(VirtualPackageRepo::with_spurious_build_numbers);
        self.content(platform, vpr.as_ref(), true).dumps()
    }

    /// `compute_content_hashes(spec, vpr)[platform]`: the hash `conda-lock lock` writes.
    /// `vpr` is `None` only to mirror conda-lock's own `None` (no virtual packages at
    /// all); the CLI always has one, see [`VirtualPackageRepo::conda_lock_default`].
    pub fn content_hash(&self, platform: &str, vpr: Option<&VirtualPackageRepo>) -> String {
        sha256_hex(&self.content_json(platform, vpr))
    }

    /// `backwards_compatible_content_hashes(spec, vpr, platform)`: every hash
    /// `conda-lock lock --check-input-hash` accepts as "unchanged" (older conda-lock
    /// releases wrote some of them).
    pub fn accepted_content_hashes(
        &self,
        platform: &str,
        vpr: Option<&VirtualPackageRepo>,
    ) -> BTreeSet<String> {
        let mut variants: Vec<VirtualPackageRepo> = Vec::new();
        if let Some(v) = vpr {
            variants.push(v.clone());
            if platform == "osx-64" && v.contains_osx_11() {
                variants.push(v.toggled_osx_10_15());
            }
            let current = variants.clone();
            variants.extend(
                current
                    .iter()
                    .map(VirtualPackageRepo::with_spurious_build_numbers),
            );
        }
        let mut out = BTreeSet::new();
        let repos: Vec<Option<&VirtualPackageRepo>> = if vpr.is_none() {
            vec![None]
        } else {
            variants.iter().map(Some).collect()
        };
        for repo in repos {
            for remove in [false, true] {
                out.insert(sha256_hex(&self.content(platform, repo, remove).dumps()));
            }
        }
        out
    }
}

/// The content hash conda-lock writes for `platform` when locking `sources` (with no
/// `--platform`/`--channel` overrides, run from the process's working directory).
/// `virtual_packages: None` mirrors conda-lock's Python API with no virtual-package repo;
/// what the CLI uses by default is `Some(&VirtualPackageRepo::conda_lock_default(&Cuda::Default))`.
pub fn content_hash(
    sources: &[EnvSource],
    platform: &str,
    virtual_packages: Option<&VirtualPackageRepo>,
) -> Result<String, LockfileError> {
    let spec = make_lock_spec(
        sources,
        &SpecOptions {
            platforms: Some(vec![platform.to_string()]),
            ..SpecOptions::default()
        },
    )?;
    Ok(spec.content_hash(platform, virtual_packages))
}

// ───────────────────────────── virtual packages ─────────────────────────────

/// `--with-cuda` / `--without-cuda`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Cuda {
    /// Neither flag: the default `__cuda` of conda-lock's default repo (11.4).
    #[default]
    Default,
    /// `--without-cuda`: no `__cuda` package.
    Without,
    /// `--with-cuda VERSION`.
    Version(String),
}

/// One fake package of conda-lock's virtual-package repository.
#[derive(Clone, Debug, PartialEq, Eq)]
struct VirtualPackage {
    name: String,
    version: String,
    build_string: String,
    build_number: i64,
    build: String,
    subdir: String,
}

impl VirtualPackage {
    fn new(name: &str, version: &str, build_string: &str, subdir: &str) -> VirtualPackage {
        VirtualPackage {
            name: name.to_string(),
            version: version.to_string(),
            build_string: build_string.to_string(),
            build_number: 0,
            build: if build_string.is_empty() {
                "0".to_string()
            } else {
                build_string.to_string()
            },
            subdir: subdir.to_string(),
        }
    }

    fn file_name(&self) -> String {
        format!("{}-{}-{}.tar.bz2", self.name, self.version, self.build)
    }

    fn to_json(&self) -> Json {
        Json::obj([
            ("name", Json::str(&self.name)),
            ("version", Json::str(&self.version)),
            ("build_string", Json::str(&self.build_string)),
            ("build_number", Json::Int(self.build_number)),
            ("noarch", Json::str("")),
            ("depends", Json::List(Vec::new())),
            ("timestamp", Json::Int(VIRTUAL_PACKAGE_TIMESTAMP)),
            ("package_type", Json::str("virtual_system")),
            ("build", Json::str(&self.build)),
            ("subdir", Json::str(&self.subdir)),
        ])
    }
}

/// conda-lock's `DEFAULT_TIME` (2020-01-01), the timestamp of every virtual package.
const VIRTUAL_PACKAGE_TIMESTAMP: i64 = 1_577_854_800_000;

/// conda-lock's `default-virtual-packages.yaml`.
const DEFAULT_VIRTUAL_PACKAGES: &[(&str, &[(&str, &str)])] = &[
    (
        "linux-64",
        &[
            ("__unix", "0"),
            ("__linux", "5.10"),
            ("__archspec", "1 x86_64"),
            ("__glibc", "2.28"),
            ("__cuda", "11.4"),
        ],
    ),
    (
        "linux-aarch64",
        &[
            ("__unix", "0"),
            ("__linux", "5.10"),
            ("__archspec", "1 aarch64"),
            ("__glibc", "2.28"),
            ("__cuda", "11.4"),
        ],
    ),
    (
        "linux-ppc64le",
        &[
            ("__unix", "0"),
            ("__linux", "5.10"),
            ("__archspec", "1 ppc64le"),
            ("__glibc", "2.28"),
            ("__cuda", "11.4"),
        ],
    ),
    (
        "osx-64",
        &[
            ("__unix", "0"),
            ("__archspec", "1 x86_64"),
            ("__osx", "11.0"),
        ],
    ),
    (
        "osx-arm64",
        &[
            ("__unix", "0"),
            ("__archspec", "1 arm64"),
            ("__osx", "11.0"),
        ],
    ),
    (
        "win-64",
        &[
            ("__win", "0"),
            ("__archspec", "1 x86_64"),
            ("__cuda", "11.4"),
        ],
    ),
];

/// The subdirs `FakeRepoData` always writes.
const FAKE_REPO_SUBDIRS: &[&str] = &[
    "noarch",
    "linux-aarch64",
    "linux-ppc64le",
    "linux-64",
    "osx-64",
    "osx-arm64",
    "win-64",
];

/// conda-lock's fake repodata of virtual packages (`FakeRepoData.all_repodata`), which
/// is part of the content hash.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VirtualPackageRepo {
    /// subdir → file name → package
    subdirs: BTreeMap<String, BTreeMap<String, VirtualPackage>>,
}

impl VirtualPackageRepo {
    fn from_entries<'a>(
        entries: impl IntoIterator<Item = (&'a str, String, String)>,
    ) -> VirtualPackageRepo {
        let mut subdirs: BTreeMap<String, BTreeMap<String, VirtualPackage>> = FAKE_REPO_SUBDIRS
            .iter()
            .map(|s| (s.to_string(), BTreeMap::new()))
            .collect();
        for (subdir, name, version_spec) in entries {
            // _parse_virtual_package_spec: "version[ build_string]"
            let (version, build_string) =
                version_spec.split_once(' ').unwrap_or((&version_spec, ""));
            let pkg = VirtualPackage::new(&name, version, build_string, subdir);
            subdirs
                .entry(subdir.to_string())
                .or_default()
                .insert(pkg.file_name(), pkg);
        }
        VirtualPackageRepo { subdirs }
    }

    /// `default_virtual_package_repodata(cuda_version)`: what conda-lock uses when there
    /// is no `--virtual-package-spec` and no `virtual-packages.yml`.
    pub fn conda_lock_default(cuda: &Cuda) -> VirtualPackageRepo {
        let mut entries = Vec::new();
        for (subdir, packages) in DEFAULT_VIRTUAL_PACKAGES {
            for (name, spec) in *packages {
                let spec = if *name == "__cuda" {
                    match cuda {
                        Cuda::Default => spec.to_string(),
                        Cuda::Without => continue,
                        Cuda::Version(v) => v.clone(),
                    }
                } else {
                    spec.to_string()
                };
                entries.push((*subdir, name.to_string(), spec));
            }
        }
        // add_duplicate_osx_package: conda-lock keeps an extra __osx 10.15 for osx-64.
        entries.push(("osx-64", "__osx".to_string(), "10.15".to_string()));
        VirtualPackageRepo::from_entries(entries)
    }

    /// `virtual_package_repo_from_specification(file)`, for `--virtual-package-spec`
    /// or a `virtual-packages.yml` in the directory conda-lock runs in.
    pub fn from_spec_text(text: &str, file: &str) -> Result<VirtualPackageRepo, LockfileError> {
        #[derive(Deserialize)]
        struct Spec {
            subdirs: indexed::Map<Subdir>,
        }
        #[derive(Deserialize)]
        struct Subdir {
            packages: indexed::Map<serde_json::Value>,
        }
        let spec: Spec =
            serde_saphyr::from_str(text).map_err(|e| LockfileError::from_yaml(file, &e))?;
        let mut entries: Vec<(String, String, String)> = Vec::new();
        for (subdir, sd) in spec.subdirs.0 {
            for (name, version) in sd.packages.0 {
                // conda-lock's model wants strings: an unquoted `2.17` (a float to
                // PyYAML) is an error there too.
                let serde_json::Value::String(version) = version else {
                    return Err(LockfileError::new(
                        file,
                        format!("`{name}: {version}`: the version must be a quoted string"),
                    )
                    .at(locate(text, &name)));
                };
                if !name.starts_with("__") {
                    return Err(LockfileError::new(
                        file,
                        format!("{name} is not a virtual package!"),
                    )
                    .at(locate(text, &name)));
                }
                entries.push((subdir.clone(), name, version));
            }
        }
        Ok(VirtualPackageRepo::from_entries(
            entries
                .iter()
                .map(|(s, n, v)| (s.as_str(), n.clone(), v.clone())),
        ))
    }

    pub fn from_spec_file(path: &Path) -> Result<VirtualPackageRepo, LockfileError> {
        let file = path.display().to_string();
        let text = std::fs::read_to_string(path)
            .map_err(|e| LockfileError::new(&file, format!("cannot read: {e}")))?;
        VirtualPackageRepo::from_spec_text(&text, &file)
    }

    /// `_virtual_package_content_for_platform`.
    fn hash_content(&self, platform: &str) -> Json {
        let subdir = |s: &str| match self.subdirs.get(s) {
            Some(packages) => Json::obj([
                ("info", Json::obj([("subdir", Json::str(s))])),
                (
                    "packages",
                    Json::Obj(
                        packages
                            .iter()
                            .map(|(k, p)| (k.clone(), p.to_json()))
                            .collect(),
                    ),
                ),
            ]),
            None => Json::Obj(BTreeMap::new()),
        };
        let mut m = BTreeMap::new();
        m.insert("noarch".to_string(), subdir("noarch"));
        m.insert(platform.to_string(), subdir(platform));
        Json::Obj(m)
    }

    /// `_reinsert_spurious_build_number`: builds `x86_64` become `x86_64_0` (how
    /// conda-lock 2 named them; 3.0.3+ reproduces it for stable hashes).
    fn with_spurious_build_numbers(&self) -> VirtualPackageRepo {
        let mut out = self.clone();
        for packages in out.subdirs.values_mut() {
            let old = std::mem::take(packages);
            for (fname, mut p) in old {
                if p.build_string.is_empty() {
                    packages.insert(fname, p);
                } else {
                    p.build = format!("{}_{}", p.build_string, p.build_number);
                    let new_name = format!("{}-{}-{}.tar.bz2", p.name, p.version, p.build);
                    packages.insert(new_name, p);
                }
            }
        }
        out
    }

    fn contains_osx_11(&self) -> bool {
        self.subdirs
            .get("osx-64")
            .and_then(|p| p.get("__osx-11.0-0.tar.bz2"))
            .is_some_and(|p| *p == VirtualPackage::new("__osx", "11.0", "", "osx-64"))
    }

    /// `add_or_remove_osx_10_15_0_tar_bz2`.
    fn toggled_osx_10_15(&self) -> VirtualPackageRepo {
        let mut out = self.clone();
        let packages = out.subdirs.entry("osx-64".to_string()).or_default();
        let key = "__osx-10.15-0.tar.bz2";
        if packages.remove(key).is_none() {
            packages.insert(
                key.to_string(),
                VirtualPackage::new("__osx", "10.15", "", "osx-64"),
            );
        }
        out
    }
}

/// A YAML mapping read in document order (serde maps otherwise lose it).
mod indexed {
    use serde::de::{Deserialize, Deserializer, MapAccess, Visitor};

    pub struct Map<V>(pub Vec<(String, V)>);

    impl<'de, V: Deserialize<'de>> Deserialize<'de> for Map<V> {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            struct V2<V>(std::marker::PhantomData<V>);
            impl<'de, V: Deserialize<'de>> Visitor<'de> for V2<V> {
                type Value = Map<V>;
                fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                    f.write_str("a mapping")
                }
                fn visit_map<A: MapAccess<'de>>(self, mut a: A) -> Result<Map<V>, A::Error> {
                    let mut out = Vec::new();
                    while let Some((k, v)) = a.next_entry::<String, V>()? {
                        out.push((k, v));
                    }
                    Ok(Map(out))
                }
            }
            d.deserialize_map(V2(std::marker::PhantomData))
        }
    }
}

// ───────────────────────────── the verdict ─────────────────────────────

/// Which virtual-package repository to hash with.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum VirtualPackagesChoice {
    /// What `conda-lock` does when run in the project root without flags: the
    /// `virtual-packages.yml`/`.yaml` there if present, else the default repo.
    #[default]
    Auto,
    /// The default repo with a `--with-cuda`/`--without-cuda` choice.
    Default(Cuda),
    /// `--virtual-package-spec FILE`.
    SpecFile(PathBuf),
}

/// The `conda-lock lock` flags pyve cannot read from the lock file; the defaults are
/// what a plain `conda-lock lock --check-input-hash` in the project root does.
#[derive(Clone, Debug, Default)]
pub struct CheckOptions {
    pub virtual_packages: VirtualPackagesChoice,
    /// `--platform`: the platforms conda-lock would lock (default: those the sources
    /// name in `platforms:`; with none named, only the lock's own platforms are judged).
    pub platforms: Option<Vec<String>>,
    /// `--channel` overrides.
    pub channels: Option<Vec<String>>,
    /// The environment conda-lock would see (credential detection); default: ours.
    pub environ: Option<Vec<(String, String)>>,
}

/// How one platform of a lock compares with its sources.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PlatformVerdict {
    /// The recorded hash is one conda-lock accepts for the current sources.
    UpToDate,
    /// The sources changed since the lock was made (conda-lock would re-solve).
    /// `expected` is the hash conda-lock would write now; `actual` is the one recorded
    /// in `metadata.content_hash` (empty when the platform has none).
    Stale { expected: String, actual: String },
    /// Some of `metadata.sources` do not exist (resolved paths), so conda-lock cannot
    /// recompute the hash.
    SourceMissing(Vec<PathBuf>),
    /// The sources (or `CheckOptions::platforms`) name this platform but the lock has
    /// no entry for it: conda-lock would lock it.
    NotLocked { expected: String },
}

impl PlatformVerdict {
    pub fn is_up_to_date(&self) -> bool {
        matches!(self, PlatformVerdict::UpToDate)
    }
}

/// The verdict on a whole `conda-lock.yml`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LockVerdict {
    pub lock_path: PathBuf,
    /// `metadata.sources`, resolved against the lock file's directory.
    pub sources: Vec<PathBuf>,
    /// In the lock's platform order, then any platform only the sources name.
    pub per_platform: Vec<(String, PlatformVerdict)>,
}

impl LockVerdict {
    pub fn is_up_to_date(&self) -> bool {
        self.per_platform.iter().all(|(_, v)| v.is_up_to_date())
    }

    /// The platforms that are not up to date.
    pub fn stale_platforms(&self) -> Vec<&str> {
        self.per_platform
            .iter()
            .filter(|(_, v)| !v.is_up_to_date())
            .map(|(p, _)| p.as_str())
            .collect()
    }
}

/// conda-lock's reconstruction of a `metadata.sources` entry: absolute stays, relative
/// is joined to the lock file's directory.
fn resolve_source(lock_path: &Path, source: &str) -> PathBuf {
    let windows_abs = {
        let b = source.as_bytes();
        (b.len() >= 3 && b[0].is_ascii_alphabetic() && b[1] == b':' && matches!(b[2], b'/' | b'\\'))
            || source.starts_with("\\\\")
    };
    if source.starts_with('/') || windows_abs {
        return PathBuf::from(source);
    }
    let dir = lock_path.parent().unwrap_or(Path::new(""));
    dir.join(source)
}

/// Is `lock_path` up to date with its sources, as `conda-lock lock --check-input-hash`
/// run in `project_root` would judge it?
pub fn check(lock_path: &Path, project_root: &Path) -> Result<LockVerdict, LockfileError> {
    check_with(lock_path, project_root, &CheckOptions::default())
}

/// [`check`] with the `conda-lock lock` flags pyve cannot see spelled out.
pub fn check_with(
    lock_path: &Path,
    project_root: &Path,
    options: &CheckOptions,
) -> Result<LockVerdict, LockfileError> {
    let lock = read_lockfile(lock_path)?;
    let sources: Vec<PathBuf> = lock
        .metadata
        .sources
        .iter()
        .map(|s| resolve_source(lock_path, s))
        .collect();
    let mut locked: Vec<String> = lock.metadata.platforms.clone();
    for p in lock.metadata.content_hash.keys() {
        if !locked.contains(p) {
            locked.push(p.clone());
        }
    }
    let missing: Vec<PathBuf> = sources.iter().filter(|p| !p.exists()).cloned().collect();
    if !missing.is_empty() {
        return Ok(LockVerdict {
            lock_path: lock_path.to_path_buf(),
            sources,
            per_platform: locked
                .into_iter()
                .map(|p| (p, PlatformVerdict::SourceMissing(missing.clone())))
                .collect(),
        });
    }
    let env_sources: Vec<EnvSource> = sources
        .iter()
        .map(|p| EnvSource::read(p))
        .collect::<Result<_, _>>()?;
    let declared: Vec<String> = match &options.platforms {
        Some(p) => p.clone(),
        None => {
            let mut all = Vec::new();
            for s in &env_sources {
                for p in s.platforms()? {
                    if !all.contains(&p) {
                        all.push(p);
                    }
                }
            }
            all
        }
    };
    let mut judged = locked.clone();
    for p in &declared {
        if !judged.contains(p) {
            judged.push(p.clone());
        }
    }
    let spec = make_lock_spec(
        &env_sources,
        &SpecOptions {
            platforms: Some(judged.clone()),
            channels: options.channels.clone(),
            cwd: Some(project_root.to_path_buf()),
            environ: options.environ.clone(),
        },
    )?;
    let vpr = match &options.virtual_packages {
        VirtualPackagesChoice::Default(cuda) => VirtualPackageRepo::conda_lock_default(cuda),
        VirtualPackagesChoice::SpecFile(path) => VirtualPackageRepo::from_spec_file(path)?,
        VirtualPackagesChoice::Auto => {
            let found = ["virtual-packages.yml", "virtual-packages.yaml"]
                .iter()
                .map(|n| project_root.join(n))
                .find(|p| p.exists());
            match found {
                Some(p) => VirtualPackageRepo::from_spec_file(&p)?,
                None => VirtualPackageRepo::conda_lock_default(&Cuda::Default),
            }
        }
    };
    let per_platform = judged
        .into_iter()
        .map(|platform| {
            let expected = spec.content_hash(&platform, Some(&vpr));
            let verdict = match lock.metadata.content_hash.get(&platform) {
                None if !lock.metadata.platforms.contains(&platform) => {
                    PlatformVerdict::NotLocked { expected }
                }
                None => PlatformVerdict::Stale {
                    expected,
                    actual: String::new(),
                },
                Some(actual) => {
                    if spec
                        .accepted_content_hashes(&platform, Some(&vpr))
                        .contains(actual)
                    {
                        PlatformVerdict::UpToDate
                    } else {
                        PlatformVerdict::Stale {
                            expected,
                            actual: actual.clone(),
                        }
                    }
                }
            };
            (platform, verdict)
        })
        .collect();
    Ok(LockVerdict {
        lock_path: lock_path.to_path_buf(),
        sources,
        per_platform,
    })
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

    #[test]
    fn version_spec_normalisation() {
        assert_eq!(normalize_version_spec("1.2*").as_deref(), Ok("1.2.*"));
        assert_eq!(
            normalize_version_spec("(>=1,<2)|3").as_deref(),
            Ok(">=1,<2|3")
        );
        assert_eq!(
            normalize_version_spec(" >=1.2 , <2 ").as_deref(),
            Ok(">=1.2,<2")
        );
        assert_eq!(
            normalize_version_spec("^1\\.2.*$").as_deref(),
            Ok("^1\\.2.*$")
        );
        assert_eq!(normalize_version_spec("1.2-3").as_deref(), Ok("1.2-3"));
        assert!(normalize_version_spec("1.2-3_4").is_err());
        assert!(normalize_version_spec("1!2!3").is_err());
        assert!(normalize_version_spec("~=1.*").is_err());
    }

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

    #[test]
    fn channels_with_credentials_become_env_var_references() {
        let env = vec![
            ("MY_USER".to_string(), "alice".to_string()),
            ("MY_PASSWORD".to_string(), "s3cret".to_string()),
            ("REPO_TOKEN".to_string(), "tk-123".to_string()),
        ];
        let c = Channel::from_string("https://alice:s3cret@Repo.Example.com/chan", &env);
        assert_eq!(
            c.url,
            "https://${MY_USER}:${MY_PASSWORD}@repo.example.com/chan"
        );
        assert_eq!(c.used_env_vars, vec!["MY_PASSWORD", "MY_USER"]);
        let c = Channel::from_string("https://host.com/t/tk-123/channel", &env);
        assert_eq!(c.url, "https://host.com/t/${REPO_TOKEN}/channel");
        let c = Channel::from_string("https://host.com/t/$OTHER_TOKEN/channel", &env);
        assert_eq!(c.url, "https://host.com/t/${OTHER_TOKEN}/channel");
        assert_eq!(c.used_env_vars, vec!["OTHER_TOKEN"]);
        let c = Channel::from_string("conda-forge", &env);
        assert_eq!(
            c.model_dump_json(),
            r#"{"url":"conda-forge","used_env_vars":[]}"#
        );
    }

    #[test]
    fn python_json_and_splitlines() {
        let j = Json::obj([
            (
                "b",
                Json::List(vec![Json::Int(1), Json::Null, Json::Bool(true)]),
            ),
            ("a", Json::str("é\"\n\u{1F600}")),
        ]);
        assert_eq!(
            j.dumps(),
            r#"{"a": "\u00e9\"\n\ud83d\ude00", "b": [1, null, true]}"#
        );
        assert_eq!(
            py_splitlines("a\r\nb\rc\n\nd\u{2028}e"),
            vec!["a", "b", "c", "", "d", "e"]
        );
        assert_eq!(py_splitlines("a\n"), vec!["a"]);
    }

    #[test]
    fn pyproject_and_meta_yaml_sources_are_refused() {
        for name in ["pyproject.toml", "meta.yaml"] {
            let src = EnvSource::new(format!("/p/{name}"), "dependencies: [python]\n");
            let err = make_lock_spec(&[src], &SpecOptions::default()).expect_err(name);
            assert!(err.message.contains("not supported"), "{err}");
        }
    }

    #[test]
    fn scheme_detection() {
        assert!(has_scheme("https://x"));
        assert!(has_scheme("s3://x"));
        assert!(has_scheme("abcdefghijkl://x")); // 12 characters
        assert!(!has_scheme("abcdefghijklm://x")); // 13
        assert!(!has_scheme("HTTPS://x"));
        assert!(!has_scheme("conda-forge"));
        assert!(!has_scheme("1a://x"));
    }

    #[test]
    fn unify_channel_lists() {
        assert_eq!(unify_sources(vec![vec![2, 1], vec![1]]), Ok(vec![2, 1]));
        assert_eq!(
            unify_sources(vec![vec![1], vec![], vec![3, 1]]),
            Ok(vec![3, 1])
        );
        assert_eq!(unify_sources(vec![vec![2, 1], vec![3, 1]]), Err(1));
        assert_eq!(unify_sources::<i32>(vec![]), Ok(vec![]));
    }

    #[test]
    fn default_virtual_packages_and_legacy_variants() {
        let repo = VirtualPackageRepo::conda_lock_default(&Cuda::Default);
        assert!(repo.contains_osx_11());
        let linux = repo.hash_content("linux-64").dumps();
        assert!(linux.contains("\"__cuda-11.4-0.tar.bz2\""));
        assert!(linux.contains("\"__archspec-1-x86_64.tar.bz2\""));
        let spurious = repo
            .with_spurious_build_numbers()
            .hash_content("linux-64")
            .dumps();
        assert!(spurious.contains("\"__archspec-1-x86_64_0.tar.bz2\""));
        let without = VirtualPackageRepo::conda_lock_default(&Cuda::Without)
            .hash_content("win-64")
            .dumps();
        assert!(!without.contains("__cuda"));
        let osx = repo.toggled_osx_10_15();
        assert_ne!(osx, repo);
        assert_eq!(osx.toggled_osx_10_15(), repo);
        // Versions must be strings, as conda-lock's pydantic model wants.
        let err = VirtualPackageRepo::from_spec_text(
            "subdirs:\n  linux-64:\n    packages:\n      __glibc: 2.17\n",
            "virtual-packages.yml",
        )
        .expect_err("unquoted version");
        assert_eq!(err.line, Some(4), "{err}");
        assert!(
            VirtualPackageRepo::from_spec_text(
                "subdirs:\n  linux-64:\n    packages:\n      glibc: '2'\n",
                "v.yml"
            )
            .is_err()
        );
        // An unknown platform hashes as an empty subdir.
        assert!(
            repo.hash_content("linux-armv7l")
                .dumps()
                .contains("\"linux-armv7l\": {}")
        );
    }
}
