//! Channels: conda-lock's `Channel` model (`models/channel.py`), whose URL has its
//! credentials replaced by `${ENV_VAR}` references, and (in `conda`) conda's own
//! channel, for the canonical names of match specs.

pub(crate) mod conda;

use std::collections::BTreeSet;

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
    pub fn model_dump_json(&self) -> String {
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

#[cfg(test)]
mod tests {
    use super::*;

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
}
