//! conda's `VersionOrder` comparison and `VersionSpec.match`, enough to say whether a
//! locked version still satisfies a spec (no solver): `*`, `1.2.*`, `==`, `!=`, `<`,
//! `<=`, `>`, `>=`, `~=`, bare versions (equality), `,` (and) and `|` (or). Regex specs
//! (`^…$`) and build strings are not judged ([`version_matches`] returns `None`).

use std::cmp::Ordering;

#[derive(Clone, Debug, PartialEq, Eq)]
enum Part {
    /// `dev`: below every other string.
    Dev,
    Str(String),
    Num(u64),
    /// `post`: above every number.
    Post,
}

fn rank(p: &Part) -> u8 {
    match p {
        Part::Dev => 0,
        Part::Str(_) => 1,
        Part::Num(_) => 2,
        Part::Post => 3,
    }
}

fn cmp_part(a: &Part, b: &Part) -> Ordering {
    match (a, b) {
        (Part::Num(x), Part::Num(y)) => x.cmp(y),
        (Part::Str(x), Part::Str(y)) => x.cmp(y),
        _ => rank(a).cmp(&rank(b)),
    }
}

/// A parsed version: epoch, components (each a list of parts), local components.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Version {
    epoch: u64,
    main: Vec<Vec<Part>>,
    local: Vec<Vec<Part>>,
}

fn component(c: &str) -> Vec<Part> {
    let mut parts = Vec::new();
    let mut buf = String::new();
    let mut digits = false;
    let flush = |buf: &mut String, digits: bool, parts: &mut Vec<Part>| {
        if buf.is_empty() {
            return;
        }
        parts.push(if digits {
            Part::Num(buf.parse().unwrap_or(u64::MAX))
        } else {
            match buf.as_str() {
                "dev" => Part::Dev,
                "post" => Part::Post,
                _ => Part::Str(buf.clone()),
            }
        });
        buf.clear();
    };
    for ch in c.chars() {
        let d = ch.is_ascii_digit();
        if !buf.is_empty() && d != digits {
            flush(&mut buf, digits, &mut parts);
        }
        digits = d;
        buf.push(ch);
    }
    flush(&mut buf, digits, &mut parts);
    if !matches!(parts.first(), Some(Part::Num(_))) {
        parts.insert(0, Part::Num(0));
    }
    parts
}

fn parse(v: &str) -> Version {
    let mut v = v.trim().to_lowercase();
    if v.contains('-') && !v.contains('_') {
        v = v.replace('-', "_");
    }
    let (epoch, rest) = match v.split_once('!') {
        Some((e, r)) => (e.parse().unwrap_or(0), r.to_string()),
        None => (0, v.clone()),
    };
    let (main, local) = match rest.split_once('+') {
        Some((m, l)) => (m.to_string(), l.to_string()),
        None => (rest, String::new()),
    };
    let split = |s: &str| -> Vec<Vec<Part>> {
        if s.is_empty() {
            return vec![];
        }
        s.replace('_', ".").split('.').map(component).collect()
    };
    Version {
        epoch,
        main: split(&main),
        local: split(&local),
    }
}

fn cmp_components(a: &[Vec<Part>], b: &[Vec<Part>]) -> Ordering {
    let zero = vec![Part::Num(0)];
    for i in 0..a.len().max(b.len()) {
        let x = a.get(i).unwrap_or(&zero);
        let y = b.get(i).unwrap_or(&zero);
        for j in 0..x.len().max(y.len()) {
            let p = x.get(j).unwrap_or(&Part::Num(0));
            let q = y.get(j).unwrap_or(&Part::Num(0));
            let o = cmp_part(p, q);
            if o != Ordering::Equal {
                return o;
            }
        }
    }
    Ordering::Equal
}

fn cmp(a: &Version, b: &Version) -> Ordering {
    a.epoch
        .cmp(&b.epoch)
        .then_with(|| cmp_components(&a.main, &b.main))
        .then_with(|| cmp_components(&a.local, &b.local))
}

/// `version` starts with `prefix` component by component (`1.2.*` matches 1.2, 1.2.5).
fn starts_with(version: &Version, prefix: &Version) -> bool {
    version.epoch == prefix.epoch
        && prefix.main.len() <= version.main.len().max(1)
        && prefix.main.iter().enumerate().all(|(i, p)| {
            let zero = vec![Part::Num(0)];
            let v = version.main.get(i).unwrap_or(&zero);
            cmp_components(std::slice::from_ref(v), std::slice::from_ref(p)) == Ordering::Equal
        })
}

/// One leaf of a version spec.
fn leaf(spec: &str, v: &Version) -> Option<bool> {
    let s = spec.trim();
    if s.is_empty() || s == "*" {
        return Some(true);
    }
    if s.starts_with('^') || s.ends_with('$') {
        return None;
    }
    for op in ["==", "!=", "<=", ">=", "~=", "<", ">", "="] {
        if let Some(rest) = s.strip_prefix(op) {
            let glob = rest.ends_with('*');
            let target = rest.trim_end_matches('*').trim_end_matches('.');
            let t = parse(target);
            return Some(match op {
                "==" if glob => starts_with(v, &t),
                "!=" if glob => !starts_with(v, &t),
                "=" => starts_with(v, &t),
                "==" => cmp(v, &t) == Ordering::Equal,
                "!=" => cmp(v, &t) != Ordering::Equal,
                "<=" => cmp(v, &t) != Ordering::Greater,
                ">=" => cmp(v, &t) != Ordering::Less,
                "<" => cmp(v, &t) == Ordering::Less,
                ">" => cmp(v, &t) == Ordering::Greater,
                _ => {
                    // ~=1.2.3: >=1.2.3 and 1.2.*
                    let mut head = t.clone();
                    head.main.pop();
                    cmp(v, &t) != Ordering::Less && starts_with(v, &head)
                }
            });
        }
    }
    if s.ends_with('*') {
        let target = s.trim_end_matches('*').trim_end_matches('.');
        if target.contains('*') {
            return None;
        }
        return Some(starts_with(v, &parse(target)));
    }
    Some(cmp(v, &parse(s)) == Ordering::Equal)
}

/// Whether `version` satisfies the conda version spec `spec` (as conda-lock stores
/// it: `>=1.26`, `3.11.*`, `>=1,<2|3`); `None` when the spec cannot be judged here.
pub fn version_matches(spec: &str, version: &str) -> Option<bool> {
    let v = parse(version);
    // `|` binds looser than `,`; conda-lock's stored specs have no parentheses.
    if spec.contains('(') {
        return None;
    }
    let mut any = false;
    for alt in spec.split('|') {
        let mut all = true;
        for part in alt.split(',') {
            all &= leaf(part, &v)?;
        }
        any |= all;
    }
    Some(any)
}

#[cfg(test)]
mod tests {
    use super::version_matches as m;

    #[test]
    fn specs_against_versions() {
        assert_eq!(m("", "1.0"), Some(true));
        assert_eq!(m("*", "1.0"), Some(true));
        assert_eq!(m("3.11.*", "3.11.7"), Some(true));
        assert_eq!(m("3.11.*", "3.12.0"), Some(false));
        assert_eq!(m("3.1.*", "3.11.0"), Some(false));
        assert_eq!(m(">=1.26", "1.26.4"), Some(true));
        assert_eq!(m(">=2", "1.26.4"), Some(false));
        assert_eq!(m(">=1,<2", "1.9"), Some(true));
        assert_eq!(m(">=1,<2", "2.0"), Some(false));
        assert_eq!(m("<2|>=3", "3.1"), Some(true));
        assert_eq!(m("1.8", "1.8.0"), Some(true));
        assert_eq!(m("==1.8.0", "1.8.1"), Some(false));
        assert_eq!(m("!=1.8.0", "1.8.1"), Some(true));
        assert_eq!(m("~=1.4.2", "1.4.9"), Some(true));
        assert_eq!(m("~=1.4.2", "1.5.0"), Some(false));
        assert_eq!(m(">=1.0", "1.0rc1"), Some(false));
        assert_eq!(m("<1.0", "1.0.dev1"), Some(true));
        assert_eq!(m(">1.0", "1.0.post1"), Some(true));
        assert_eq!(m("^1.*$", "1.0"), None);
    }
}
