//! conda's own `Channel` (vendored conda 24.7.1, default context, non-Windows host),
//! reduced to what a match spec's `conda_channel` needs: its canonical name
//! (`pkgs/main` → `defaults`, `https://conda.anaconda.org/conda-forge/linux-64` →
//! `conda-forge`).

use std::path::Path;

use crate::error::SpecError;

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
pub(crate) struct CondaChannel {
    scheme: Option<String>,
    location: Option<String>,
    name: String,
    multi: bool,
}

impl CondaChannel {
    pub(crate) fn canonical_name(&self) -> String {
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
    pub(crate) fn name_or_base_url(&self) -> Option<String> {
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

    pub(crate) fn truthy(&self) -> bool {
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

pub(crate) fn is_package_file(value: &str) -> bool {
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

fn conda_urlparse(url: &str) -> Result<UrlParts, SpecError> {
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
                let port: u16 = p.parse().map_err(|_| SpecError::ChannelPort {
                    url: url.to_string(),
                })?;
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
fn conda_channel_from_url(url: &str) -> Result<CondaChannel, SpecError> {
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
pub(crate) fn conda_channel_from_value(value: &str, cwd: &Path) -> Result<CondaChannel, SpecError> {
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
            return Err(SpecError::RootChannel {
                value: value.to_string(),
            });
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

#[cfg(test)]
mod tests {
    use super::*;

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
}
