//! The errors: [`Error`] names a file (and the line and column in it when known),
//! [`SpecError`] says what is wrong with one string of it: a match spec, a version
//! spec, a channel, a pip requirement, a marker or a selector.

/// Something in `conda-lock.yml`, an environment file or a virtual-packages file that
/// this crate (like conda-lock) cannot use. `line`/`column` are 1-based when known.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{file}{}: {kind}", position(.line, .column))]
pub struct Error {
    pub file: String,
    pub line: Option<u64>,
    pub column: Option<u64>,
    pub kind: ErrorKind,
}

fn position(line: &Option<u64>, column: &Option<u64>) -> String {
    match (line, column) {
        (Some(l), Some(c)) => format!(":{l}:{c}"),
        (Some(l), None) => format!(":{l}"),
        _ => String::new(),
    }
}

/// What is wrong with the file.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ErrorKind {
    /// The file cannot be read (the I/O error's message).
    #[error("cannot read: {0}")]
    Read(String),
    /// Not YAML, or YAML of the wrong shape (a missing key, a wrong type, …).
    #[error("{0}")]
    Yaml(String),
    /// An entry conda-lock refuses too (a match spec, a pip requirement, …).
    #[error(transparent)]
    Spec(#[from] SpecError),
    /// Anything else in the file's content that conda-lock (or this port) refuses.
    #[error("{0}")]
    Invalid(String),
}

impl From<String> for ErrorKind {
    fn from(message: String) -> ErrorKind {
        ErrorKind::Invalid(message)
    }
}

impl From<&str> for ErrorKind {
    fn from(message: &str) -> ErrorKind {
        ErrorKind::Invalid(message.to_string())
    }
}

/// What is wrong with one string of an environment file. The messages name the string.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SpecError {
    /// conda's `VersionOrder` refuses it.
    #[error("invalid version `{version}`: {reason}")]
    Version {
        version: String,
        reason: &'static str,
    },
    /// conda's `VersionSpec` refuses it.
    #[error("invalid version spec `{spec}`: {reason}")]
    VersionSpec { spec: String, reason: &'static str },
    /// A channel URL with a port that is not a number.
    #[error("invalid port in channel URL `{url}`")]
    ChannelPort { url: String },
    /// The file-system root given as a channel.
    #[error("conda cannot use the root directory `{value}` as a channel")]
    RootChannel { value: String },
    /// conda's `MatchSpec` (or conda-lock) refuses the spec for `reason`.
    #[error("invalid match spec `{spec}`: {reason}")]
    MatchSpec { spec: String, reason: String },
    /// A part of the match spec (its version, its channel) is refused.
    #[error("invalid match spec `{spec}`: {cause}")]
    InMatchSpec { spec: String, cause: Box<SpecError> },
    /// packaging's `Specifier` refuses it.
    #[error("invalid specifier `{specifier}`")]
    Specifier { specifier: String },
    /// packaging's `Requirement` refuses it for `reason`.
    #[error("invalid pip requirement `{requirement}`: {reason}")]
    PipRequirement {
        requirement: String,
        reason: &'static str,
    },
    /// One specifier of the requirement is refused.
    #[error("invalid pip requirement `{requirement}`: {cause}")]
    InPipRequirement {
        requirement: String,
        cause: Box<SpecError>,
    },
    /// conda-lock's `unpack_git_url` cannot split it.
    #[error("conda-lock cannot split the git URL `{url}`")]
    GitUrl { url: String },
    /// Not a PEP 508 marker.
    #[error("invalid marker `{marker}`")]
    Marker { marker: String },
    /// A marker whose string is not closed.
    #[error("unterminated string in marker `{marker}`")]
    MarkerString { marker: String },
    /// An ordering comparison on a platform variable (not evaluated here).
    #[error("pyve cannot evaluate the comparison `{op}` in marker `{marker}`")]
    MarkerComparison { op: String, marker: String },
    /// conda-lock has no marker environment for the platform.
    #[error("conda-lock cannot evaluate pip markers for platform `{platform}`")]
    MarkerPlatform { platform: String },
    /// conda-lock has no selector table for the platform.
    #[error(
        "conda-lock cannot apply the selector `[{selector}]` for platform `{platform}` \
         (it knows selectors for linux-64, linux-aarch64, linux-ppc64le, osx-64, osx-arm64, win-64 only)"
    )]
    Selector { selector: String, platform: String },
}

impl SpecError {
    pub(crate) fn match_spec(spec: &str, reason: impl Into<String>) -> SpecError {
        SpecError::MatchSpec {
            spec: spec.to_string(),
            reason: reason.into(),
        }
    }

    pub(crate) fn in_match_spec(spec: &str) -> impl Fn(SpecError) -> SpecError + '_ {
        move |cause| SpecError::InMatchSpec {
            spec: spec.to_string(),
            cause: Box::new(cause),
        }
    }

    pub(crate) fn marker(marker: &str) -> SpecError {
        SpecError::Marker {
            marker: marker.to_string(),
        }
    }
}

impl Error {
    pub(crate) fn new(file: impl Into<String>, kind: impl Into<ErrorKind>) -> Error {
        Error {
            file: file.into(),
            line: None,
            column: None,
            kind: kind.into(),
        }
    }

    pub(crate) fn invalid(file: impl Into<String>, message: impl Into<String>) -> Error {
        Error::new(file, ErrorKind::Invalid(message.into()))
    }

    pub(crate) fn read(file: impl Into<String>, err: &std::io::Error) -> Error {
        Error::new(file, ErrorKind::Read(err.to_string()))
    }

    pub(crate) fn at(mut self, location: Option<(u64, u64)>) -> Error {
        if let Some((l, c)) = location {
            self.line = Some(l);
            self.column = Some(c);
        }
        self
    }

    pub(crate) fn from_yaml(file: &str, err: &serde_saphyr::Error) -> Error {
        let inner = err.without_snippet();
        let (location, message) = yaml_position(err);
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
        Error::new(file, ErrorKind::Yaml(message)).at(location)
    }
}

/// Where `needle` first appears in `text`, as a 1-based (line, column); used to point
/// at the offending entry of an environment file. YAML may have folded the entry from
/// several lines (`- a b` over two lines reads `a b`), so when the whole needle is not
/// on one line, its longest leading run of words that is points at where it starts.
pub(crate) fn locate(text: &str, needle: &str) -> Option<(u64, u64)> {
    let words: Vec<&str> = needle.split_whitespace().collect();
    locate_exactly(text, needle).or_else(|| {
        (1..=words.len())
            .rev()
            .find_map(|n| locate_exactly(text, &words[..n].join(" ")))
    })
}

fn locate_exactly(text: &str, needle: &str) -> Option<(u64, u64)> {
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

/// Where a serde-saphyr error points (line, column; none for line 0) and its message
/// without the library's own " at line L, column C" suffix.
pub fn yaml_position(err: &serde_saphyr::Error) -> (Option<(u64, u64)>, String) {
    let inner = err.without_snippet();
    let location = inner
        .location()
        .filter(|l| l.line() > 0)
        .map(|l| (l.line(), l.column()));
    let mut message = inner.to_string();
    if let Some(i) = message.find(" at line ") {
        message.truncate(i);
    }
    (location, message)
}

/// The most pyve reads of one lock or environment file (a 200,000-line lock is ~10 MB).
pub const READ_CAP: u64 = 256 * 1024 * 1024;

/// Reads `path` as text only when it is a regular file of at most [`READ_CAP`] bytes:
/// a FIFO, a device or a directory is refused without being opened.
pub(crate) fn read_text(path: &std::path::Path) -> std::io::Result<String> {
    use std::io::Read;
    let meta = std::fs::metadata(path)?;
    if !meta.is_file() {
        return Err(std::io::Error::other("not a regular file"));
    }
    if meta.len() > READ_CAP {
        return Err(std::io::Error::other(format!(
            "{} bytes, more than the {READ_CAP} read",
            meta.len()
        )));
    }
    let mut text = String::new();
    std::fs::File::open(path)?
        .take(READ_CAP)
        .read_to_string(&mut text)?;
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_show_the_file_and_where_in_it() {
        let e = Error::invalid("env.yml", "bad");
        assert_eq!(e.to_string(), "env.yml: bad");
        assert_eq!(e.clone().at(Some((3, 7))).to_string(), "env.yml:3:7: bad");
        let e = Error { line: Some(2), ..e };
        assert_eq!(e.to_string(), "env.yml:2: bad");
        assert_eq!(locate("a\n  bé x\n", "x"), Some((2, 6)));
        assert_eq!(locate("a\n", ""), None);
    }

    #[test]
    fn spec_errors_name_the_string_and_what_it_is_part_of() {
        let inner = SpecError::VersionSpec {
            spec: ">=".into(),
            reason: "invalid operator",
        };
        let e = SpecError::in_match_spec("numpy >=")(inner);
        assert_eq!(
            e.to_string(),
            "invalid match spec `numpy >=`: invalid version spec `>=`: invalid operator"
        );
        let shown = Error::new("environment.yml", e).to_string();
        assert!(
            shown.starts_with("environment.yml: invalid match spec"),
            "{shown}"
        );
    }
}
