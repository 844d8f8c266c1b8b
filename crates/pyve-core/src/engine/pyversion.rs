//! Python version strings as pyve reads them: a version request (`3`, `3.11`,
//! `3.11.7`, `3.13.0rc1`), and a `requires-python` specifier set (PEP 440: `>=3.10`,
//! `~=3.11`, `>=3.9,<3.13`, `==3.12.*`), with the ordering both need.

/// A python version: its release numbers and an optional pre-release tag.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Version {
    pub release: Vec<u64>,
    /// `a`, `b` or `rc` and its number: `3.13.0rc1` → `("rc", 1)`.
    pub pre: Option<(String, u64)>,
}

impl Version {
    /// `3`, `3.11`, `3.11.7`, `3.13.0rc1` (also `a1`, `b2`). Anything else is `None`:
    /// `3.1O`, `3.1x`, `3.`, `v3.11`, `3.11.7.1`.
    pub fn parse(v: &str) -> Option<Version> {
        let parts: Vec<&str> = v.split('.').collect();
        if parts.is_empty() || parts.len() > 3 {
            return None;
        }
        let mut release = Vec::new();
        let mut pre = None;
        for (i, p) in parts.iter().enumerate() {
            let digits = p.chars().take_while(|c| c.is_ascii_digit()).count();
            if digits == 0 {
                return None;
            }
            release.push(p[..digits].parse().ok()?);
            let tail = &p[digits..];
            if tail.is_empty() {
                continue;
            }
            // Only the last part may carry a pre-release tag: `a1`, `b2`, `rc1`.
            if i != parts.len() - 1 {
                return None;
            }
            let kind = ["rc", "a", "b"].into_iter().find(|k| tail.starts_with(k))?;
            let n = &tail[kind.len()..];
            if n.is_empty() || !n.chars().all(|c| c.is_ascii_digit()) {
                return None;
            }
            pre = Some((kind.to_string(), n.parse().ok()?));
        }
        Some(Version { release, pre })
    }

    /// A version as an installed python names itself, leniently: `3.11.7`, `3.12`,
    /// `3.13.0rc1`; trailing junk (`3.13.0+`) makes it unreadable.
    pub fn of_installed(v: &str) -> Option<Version> {
        Version::parse(v)
    }

    fn release_cmp(&self, other: &[u64]) -> std::cmp::Ordering {
        let n = self.release.len().max(other.len());
        for i in 0..n {
            let a = self.release.get(i).copied().unwrap_or(0);
            let b = other.get(i).copied().unwrap_or(0);
            if a != b {
                return a.cmp(&b);
            }
        }
        std::cmp::Ordering::Equal
    }

    fn pre_rank(&self) -> (u8, u64) {
        match &self.pre {
            None => (3, 0),
            Some((k, n)) => (
                match k.as_str() {
                    "a" => 0,
                    "b" => 1,
                    _ => 2,
                },
                *n,
            ),
        }
    }
}

impl PartialOrd for Version {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Version {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.release_cmp(&other.release)
            .then_with(|| self.pre_rank().cmp(&other.pre_rank()))
    }
}

/// A version request pyve accepts: see [`Version::parse`].
pub fn is_version_request(v: &str) -> bool {
    Version::parse(v).is_some()
}

/// One clause of a specifier set.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Clause {
    op: &'static str,
    version: Version,
    /// `==3.12.*`, `!=3.11.*`.
    wildcard: bool,
    /// `===` compares the text.
    text: String,
}

/// A PEP 440 specifier set as `requires-python` holds it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Specifiers {
    pub text: String,
    clauses: Vec<Clause>,
}

impl Specifiers {
    /// `>=3.10`, `>=3.9, <3.13`, `~=3.11`, `==3.12.*`. `Err` says what is wrong.
    pub fn parse(text: &str) -> Result<Specifiers, String> {
        let mut clauses = Vec::new();
        for raw in text.split(',') {
            let c = raw.trim();
            if c.is_empty() {
                return Err(format!("`{text}` has an empty clause"));
            }
            let op = ["===", "~=", "==", "!=", "<=", ">=", "<", ">"]
                .into_iter()
                .find(|op| c.starts_with(op))
                .ok_or_else(|| {
                    format!("`{c}` has no operator (expected one of >= > <= < == != ~=)")
                })?;
            let v = c[op.len()..].trim();
            let (v, wildcard) = match v.strip_suffix(".*") {
                Some(base) if op == "==" || op == "!=" => (base, true),
                _ => (v, false),
            };
            let version = match Version::parse(v) {
                Some(version) => version,
                None if op == "===" => Version {
                    release: vec![],
                    pre: None,
                },
                None => return Err(format!("`{v}` in `{c}` is not a version")),
            };
            if op == "~=" && version.release.len() < 2 {
                return Err(format!("`{c}`: ~= needs at least two parts (~=3.10)"));
            }
            clauses.push(Clause {
                op,
                version,
                wildcard,
                text: v.to_string(),
            });
        }
        Ok(Specifiers {
            text: text.trim().to_string(),
            clauses,
        })
    }

    /// Whether `v` satisfies every clause. Pre-releases only when a clause names one.
    pub fn contains(&self, v: &Version) -> bool {
        if v.pre.is_some() && !self.clauses.iter().any(|c| c.version.pre.is_some()) {
            return false;
        }
        self.clauses.iter().all(|c| c.contains(v))
    }

    /// The version string `v` (as an install names itself) satisfies the set.
    pub fn contains_str(&self, v: &str) -> bool {
        Version::of_installed(v).is_some_and(|v| self.contains(&v))
    }

    /// A `3.N` worth installing for this set: the newest of the minors pyve knows of
    /// that satisfies it, else `3`.
    pub fn suggestion(&self) -> String {
        (8..=14)
            .rev()
            .map(|n| format!("3.{n}"))
            .find(|m| {
                // Any patch of the minor will do: try .0 and a late one.
                ["0", "99"].iter().any(|p| {
                    self.contains(&Version {
                        release: vec![3, m[2..].parse().unwrap_or(0), p.parse().unwrap_or(0)],
                        pre: None,
                    })
                })
            })
            .unwrap_or_else(|| "3".to_string())
    }
}

impl Clause {
    fn contains(&self, v: &Version) -> bool {
        use std::cmp::Ordering::*;
        let prefix_eq = || {
            self.version
                .release
                .iter()
                .enumerate()
                .all(|(i, n)| v.release.get(i).copied().unwrap_or(0) == *n)
        };
        match self.op {
            "==" if self.wildcard => prefix_eq(),
            "!=" if self.wildcard => !prefix_eq(),
            "==" => v.cmp(&self.version) == Equal,
            "!=" => v.cmp(&self.version) != Equal,
            ">=" => v >= &self.version,
            "<=" => v <= &self.version,
            ">" => v > &self.version,
            "<" => v < &self.version,
            "~=" => {
                let n = self.version.release.len() - 1;
                v >= &self.version
                    && self.version.release[..n]
                        .iter()
                        .enumerate()
                        .all(|(i, x)| v.release.get(i).copied().unwrap_or(0) == *x)
            }
            "===" => {
                let shown: Vec<String> = v.release.iter().map(u64::to_string).collect();
                shown.join(".") == self.text
            }
            _ => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_parse_strictly() {
        for ok in ["3", "3.11", "3.11.7", "3.13.0rc1", "3.14.0a2", "3.12.0b1"] {
            assert!(is_version_request(ok), "{ok}");
        }
        for bad in [
            "", "three", "3.", ".3", "3.11.7.1", "3.x", "v3.11", "3.1O", "3.1x", "3.11rc",
            "3.1a.1", "system",
        ] {
            assert!(!is_version_request(bad), "{bad}");
        }
        let v = |s| Version::parse(s).unwrap();
        assert!(v("3.13.0rc1") < v("3.13.0"));
        assert!(v("3.13.0a1") < v("3.13.0b1"));
        assert!(v("3.10") > v("3.9.18"));
        assert_eq!(v("3.10").cmp(&v("3.10.0")), std::cmp::Ordering::Equal);
    }

    #[test]
    fn specifiers_match_as_pep_440_says() {
        let s = |t| Specifiers::parse(t).unwrap();
        assert!(s(">=3.10").contains_str("3.12.1"));
        assert!(!s(">=3.10").contains_str("3.9.18"));
        assert!(s(">=3.9, <3.12").contains_str("3.11.7"));
        assert!(!s(">=3.9,<3.12").contains_str("3.12.0"));
        assert!(s("~=3.10").contains_str("3.13.0"));
        assert!(!s("~=3.10.2").contains_str("3.11.0"));
        assert!(s("~=3.10.2").contains_str("3.10.13"));
        assert!(s("==3.12.*").contains_str("3.12.1"));
        assert!(!s("==3.12.*").contains_str("3.13.0"));
        assert!(!s("!=3.11.*").contains_str("3.11.7"));
        assert!(s("==3.11").contains_str("3.11.0"));
        assert!(
            !s(">=3.10").contains_str("3.14.0rc1"),
            "pre-releases excluded"
        );
        assert!(s(">=3.14.0rc1").contains_str("3.14.0rc2"));
        assert!(s(">3.9").contains_str("3.10.0"));
        for bad in ["3.10", ">=", ">=3.1O", "~=3", ">=3.10,", "^3.10"] {
            assert!(Specifiers::parse(bad).is_err(), "{bad}");
        }
        assert_eq!(s(">=3.10,<3.13").suggestion(), "3.12");
        assert_eq!(s(">=3.10").suggestion(), "3.14");
        assert_eq!(s("<3").suggestion(), "3");
    }
}
