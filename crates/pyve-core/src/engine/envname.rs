//! Environment names: lower-cased, anything but `[a-z0-9._-]` turned
//! into `-`, trimmed; names that conda tools treat specially are refused, because an
//! env called `base` is exactly the accident pyve exists to prevent.

pub const RESERVED: &[&str] = &["base", "root", "default", "conda", "mamba", "micromamba"];

/// The sanitized name, or a message saying why `raw` cannot be used.
pub fn sanitize(raw: &str) -> Result<String, String> {
    let mapped: String = raw
        .trim()
        .to_lowercase()
        .chars()
        .map(|c| match c {
            'a'..='z' | '0'..='9' | '.' | '_' | '-' => c,
            _ => '-',
        })
        .collect();
    // Collapse runs of '-' and trim separators at both ends.
    let mut out = String::with_capacity(mapped.len());
    for c in mapped.chars() {
        if c == '-' && out.ends_with('-') {
            continue;
        }
        out.push(c);
    }
    let out = out
        .trim_matches(|c| c == '-' || c == '.' || c == '_')
        .to_string();
    if out.is_empty() {
        return Err(format!(
            "env name `{raw}` has no usable characters (allowed: a-z 0-9 . _ -)"
        ));
    }
    if RESERVED.contains(&out.as_str()) {
        return Err(format!(
            "env name `{out}` is reserved (base, root, default, conda, mamba, micromamba are never used); pick another name"
        ));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sanitizes_and_refuses() {
        assert_eq!(sanitize("My Project").unwrap(), "my-project");
        assert_eq!(sanitize("  data__sci.v2 ").unwrap(), "data__sci.v2");
        assert_eq!(sanitize("Ünï cödé!!").unwrap(), "n-c-d");
        assert_eq!(sanitize("--x--").unwrap(), "x");
        assert!(sanitize("BASE").unwrap_err().contains("`base` is reserved"));
        assert!(
            sanitize("!!!")
                .unwrap_err()
                .contains("no usable characters")
        );
    }
}
