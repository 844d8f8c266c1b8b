//! `.pyve/config`: loading, validation and the effective configuration.
//!
//! The file is untrusted input (it arrives with a `git clone`), so every value is
//! checked here once, and every error names `file:line:column` and says what to write
//! instead. The rest of the engine only ever sees a validated [`Config`].

use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde_saphyr::Spanned;

use super::BackendKind;
use super::envname;
use crate::sys::fs::{is_inside, normalize};

/// A validated `.pyve/config`. Every key is optional; `None` means "not in the file".
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Config {
    /// Where it was read from; `None` when the project has no config file.
    pub file: Option<PathBuf>,
    pub backend: Option<BackendKind>,
    pub micromamba: MicromambaConfig,
    pub python_version: Option<String>,
    /// Relative to the project root, normalised, checked to stay inside it.
    pub venv_directory: Option<PathBuf>,
    /// `run.env_file`: a dotenv file `run` loads into its command's environment
    /// (inside the project, like the other paths).
    pub run_env_file: Option<PathBuf>,
    /// Read from the original pyve's `pyve.toml` (there is no `.pyve/config`): its
    /// env tables' names, shown; the file is never written.
    pub original: Option<super::pyvetoml::Original>,
    /// `default_env`: the env commands use without `--env` or `PYVE_ENV`.
    pub default_env: Option<String>,
    /// `envs:`, the named envs beside the top-level one, in file order
    /// (engine::envs). Their own configs never hold `envs` themselves.
    pub envs: Vec<(String, Config)>,
}

impl Config {
    /// Where its values came from, as `pyve config` and detection say it.
    pub fn source_name(&self) -> &'static str {
        if self.original.is_some() {
            super::pyvetoml::FILE
        } else {
            FILE
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct MicromambaConfig {
    pub env_name: Option<String>,
    pub env_file: Option<PathBuf>,
    pub channels: Vec<String>,
    pub prefix: Option<PathBuf>,
    pub allow_pip: Option<bool>,
    /// The platforms `pyve lock` locks (`linux-64`, `osx-arm64`, …), in order.
    pub platforms: Vec<String>,
}

/// An invalid configuration (or spec) file, pointing at the offending spot.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{}{}", self.position(), self.message)]
pub struct ConfigError {
    /// The file as the user should read it (relative to the project root).
    pub file: String,
    pub line: Option<u64>,
    pub column: Option<u64>,
    pub message: String,
    /// What to do about it ("did you mean `backend`?").
    pub hint: Option<String>,
}

impl ConfigError {
    fn position(&self) -> String {
        match (self.line, self.column) {
            (Some(l), Some(c)) => format!("{}:{l}:{c}: ", self.file),
            (Some(l), None) => format!("{}:{l}: ", self.file),
            _ => format!("{}: ", self.file),
        }
    }

    fn at(file: &str, loc: Option<(u64, u64)>, message: impl Into<String>) -> ConfigError {
        ConfigError {
            file: file.to_string(),
            line: loc.map(|l| l.0),
            column: loc.map(|l| l.1),
            message: message.into(),
            hint: None,
        }
    }

    fn hint(mut self, hint: impl Into<String>) -> ConfigError {
        self.hint = Some(hint.into());
        self
    }
}

// The raw shape of the file. `deny_unknown_fields` turns a typo into an error that
// carries the key, the keys that were expected and the location.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    backend: Option<Spanned<String>>,
    micromamba: Option<RawMicromamba>,
    python: Option<RawPython>,
    venv: Option<RawVenv>,
    run: Option<RawRun>,
    default_env: Option<Spanned<String>>,
    envs: Option<RawEnvs>,
}

/// One env's keys: the top level's, or a table under `envs:`.
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawEnv {
    backend: Option<Spanned<String>>,
    micromamba: Option<RawMicromamba>,
    python: Option<RawPython>,
    venv: Option<RawVenv>,
    run: Option<RawRun>,
}

/// `envs:` in file order, each name with where it stands.
struct RawEnvs(Vec<(Spanned<String>, Option<RawEnv>)>);

impl<'de> Deserialize<'de> for RawEnvs {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Entries;
        impl<'de> serde::de::Visitor<'de> for Entries {
            type Value = RawEnvs;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a mapping of env names to their keys")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<RawEnvs, A::Error> {
                let mut out = Vec::new();
                while let Some(entry) = map.next_entry()? {
                    out.push(entry);
                }
                Ok(RawEnvs(out))
            }
        }
        d.deserialize_map(Entries)
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRun {
    env_file: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMicromamba {
    env_name: Option<Spanned<String>>,
    env_file: Option<Spanned<String>>,
    channels: Option<Vec<Spanned<String>>>,
    prefix: Option<Spanned<String>>,
    allow_pip: Option<bool>,
    platforms: Option<Vec<Spanned<String>>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPython {
    version: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawVenv {
    directory: Option<Spanned<String>>,
}

const TOP_KEYS: &[&str] = &[
    "backend",
    "micromamba",
    "python",
    "venv",
    "run",
    "default_env",
    "envs",
];

fn loc<T>(s: &Spanned<T>) -> Option<(u64, u64)> {
    let l = s.referenced;
    (l.line() > 0).then(|| (l.line(), l.column()))
}

/// The closest of `candidates` to `word`, when it is close enough to be a typo.
pub fn did_you_mean<'a>(word: &str, candidates: &[&'a str]) -> Option<&'a str> {
    candidates
        .iter()
        .map(|c| (strsim::jaro_winkler(word, c), *c))
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

/// Turns a serde-saphyr error into ours: its location, a message without the
/// library's own " at line L, column C" suffix, and a did-you-mean for unknown keys.
pub fn yaml_error(file: &str, err: &serde_saphyr::Error) -> ConfigError {
    let inner = err.without_snippet();
    let (location, message) = condalock::error::yaml_position(err);
    let mut out = ConfigError::at(file, location, message);
    match inner {
        serde_saphyr::Error::SerdeUnknownField {
            field, expected, ..
        } => {
            out.message = format!("unknown key `{field}`");
            let known = if expected.is_empty() {
                TOP_KEYS.to_vec()
            } else {
                expected.clone()
            };
            out.hint = Some(match did_you_mean(field, &known) {
                Some(m) => format!(
                    "did you mean `{m}`? (known keys here: {})",
                    known.join(", ")
                ),
                None => format!("known keys here: {}", known.join(", ")),
            });
        }
        serde_saphyr::Error::SerdeInvalidType {
            unexpected,
            expected,
            ..
        } => {
            out.message = format!("wrong type: expected {expected}, found {unexpected}");
        }
        _ => {
            if out.message.starts_with("invalid boolean") {
                out.message = "wrong type: expected a boolean (true or false)".into();
            } else if out.message.starts_with("expected mapping start") {
                out.message = "wrong type: expected a mapping (indented `key: value` lines)".into();
            } else if out.message.starts_with("expected string scalar") {
                out.message = "wrong type: expected a string".into();
            } else if out.message.starts_with("expected sequence start") {
                out.message = "wrong type: expected a list, e.g. [conda-forge]".into();
            } else if let Some(rest) = out.message.strip_prefix("duplicate mapping key: ") {
                let key = rest.split(',').next().unwrap_or(rest).trim().to_string();
                out.message = format!("duplicate key `{key}`");
                out.hint = Some("each key may appear once; remove one of them".into());
            } else {
                out.message = format!("invalid YAML: {}", out.message);
            }
        }
    }
    // Keys and values quoted from the file stay text on the terminal.
    out.message = crate::sys::term::escape(&out.message).into_owned();
    out
}

/// Text with nothing but comments and blank lines (what `pyve init` writes when no
/// key is set): the empty config, known without the YAML parser, which `pyve run`
/// would otherwise start on every call. Anything else — a tab, a lone CR (a YAML line
/// break that `lines` does not split on), `---` — is left to the parser.
fn only_comments(text: &str) -> bool {
    !text.contains('\r')
        && text.lines().all(|l| {
            let l = l.trim_start_matches(' ');
            l.is_empty() || l.starts_with('#')
        })
}

/// Reads and validates `.pyve/config` under `root`. A missing file is an empty config.
pub fn load(root: &Path) -> Result<Config, ConfigError> {
    let path = root.join(".pyve").join("config");
    // A config is a few lines; a megabyte is already not one pyve wrote.
    let text = match crate::sys::fs::read_bounded(&path, 1024 * 1024) {
        Ok(bytes) => bytes,
        Err(e) if e.is_not_found() => return super::pyvetoml::load(root),
        Err(e) => {
            return Err(ConfigError::at(
                ".pyve/config",
                None,
                format!("cannot read: {e}"),
            ));
        }
    };
    let text = String::from_utf8(text).map_err(|e| {
        ConfigError::at(
            ".pyve/config",
            None,
            format!(
                "not UTF-8 text (invalid byte at offset {})",
                e.utf8_error().valid_up_to()
            ),
        )
    })?;
    let mut config = parse(root, &text)?;
    config.file = Some(path);
    Ok(config)
}

/// Parses and validates config text for the project at `root`.
pub fn parse(root: &Path, text: &str) -> Result<Config, ConfigError> {
    if only_comments(text) {
        return Ok(Config::default());
    }
    let raw: Option<RawConfig> = serde_saphyr::from_str(text).map_err(|e| yaml_error(FILE, &e))?;
    let Some(raw) = raw else {
        return Ok(Config::default());
    };
    let top = RawEnv {
        backend: raw.backend,
        micromamba: raw.micromamba,
        python: raw.python,
        venv: raw.venv,
        run: raw.run,
    };
    let mut config = parse_env(root, top)?;
    let envs = raw.envs.map(|e| e.0).unwrap_or_default();
    // Every command judges every env (the status list, keeping them apart): a bound
    // keeps a cloned config from making that quadratic work unbounded.
    if let Some((name, _)) = envs.get(MAX_ENVS) {
        return Err(
            ConfigError::at(FILE, loc(name), format!("envs: more than {MAX_ENVS} envs"))
                .hint("a project has at most 64 envs beside the default one"),
        );
    }
    for (name, keys) in envs {
        let n = name.value.trim();
        let mut why = super::envs::check_name(n).err();
        if n == super::envs::DEFAULT {
            why = Some(
                "`default` is the env of the top-level keys; give this env another name".into(),
            );
        }
        if let Some(why) = why {
            return Err(ConfigError::at(FILE, loc(&name), format!("envs: {why}")));
        }
        let env = parse_env(root, keys.unwrap_or_default())?;
        config.envs.push((n.to_string(), env));
    }
    if let Some(d) = &raw.default_env {
        let n = d.value.trim();
        if !super::envs::names(&config).iter().any(|k| k == n) {
            return Err(ConfigError::at(
                FILE,
                loc(d),
                format!(
                    "default_env `{}` is not an env of this project",
                    crate::sys::term::escape(n)
                ),
            )
            .hint(format!(
                "its envs: {}",
                super::envs::names(&config).join(", ")
            )));
        }
        config.default_env = Some(n.to_string());
    }
    Ok(config)
}

/// One env's keys, validated.
fn parse_env(root: &Path, raw: RawEnv) -> Result<Config, ConfigError> {
    let mut config = Config::default();

    if let Some(b) = &raw.backend {
        config.backend = Some(match b.value.trim() {
            "venv" => BackendKind::Venv,
            "micromamba" => BackendKind::Micromamba,
            other => {
                let mut err = ConfigError::at(
                    FILE,
                    loc(b),
                    format!(
                        "unknown backend `{}`: expected `venv` or `micromamba`",
                        crate::sys::term::escape(other)
                    ),
                );
                if let Some(m) = did_you_mean(other, &["venv", "micromamba"]) {
                    err = err.hint(format!("did you mean `{m}`?"));
                }
                return Err(err);
            }
        });
    }

    if let Some(m) = raw.micromamba {
        if let Some(name) = &m.env_name {
            let clean = envname::sanitize(&name.value)
                .map_err(|msg| ConfigError::at(FILE, loc(name), msg.to_string()))?;
            config.micromamba.env_name = Some(clean);
        }
        if let Some(f) = &m.env_file {
            config.micromamba.env_file = Some(inside(root, FILE, "micromamba.env_file", f)?);
        }
        if let Some(p) = &m.prefix {
            let dir = inside(root, FILE, "micromamba.prefix", p)?;
            env_dir_allowed(&dir, "micromamba.prefix", p)?;
            config.micromamba.prefix = Some(dir);
        }
        for ch in m.channels.unwrap_or_default() {
            let c = ch.value.trim();
            check_channel(c).map_err(|why| ConfigError::at(FILE, loc(&ch), why))?;
            config.micromamba.channels.push(c.to_string());
        }
        config.micromamba.allow_pip = m.allow_pip;
        for p in m.platforms.unwrap_or_default() {
            let v = p.value.trim();
            if !is_platform(v) {
                return Err(ConfigError::at(
                    FILE,
                    loc(&p),
                    format!(
                        "invalid platform `{}`: expected a conda platform such as linux-64, osx-arm64, win-64",
                        crate::sys::term::escape(v)
                    ),
                ));
            }
            if !config.micromamba.platforms.iter().any(|q| q == v) {
                config.micromamba.platforms.push(v.to_string());
            }
        }
    }

    if let Some(v) = raw.python.and_then(|p| p.version) {
        let version = v.value.trim();
        if !is_version_request(version) {
            return Err(ConfigError::at(
                FILE,
                loc(&v),
                format!(
                    "invalid python version `{}`: expected a version like \"3.11\" or \"3.11.7\"",
                    crate::sys::term::escape(&v.value)
                ),
            )
            .hint("quote it so YAML keeps it a string: version: \"3.10\""));
        }
        config.python_version = Some(version.to_string());
    }

    if let Some(d) = raw.venv.and_then(|v| v.directory) {
        let dir = inside(root, FILE, "venv.directory", &d)?;
        env_dir_allowed(&dir, "venv.directory", &d)?;
        config.venv_directory = Some(dir);
    }
    if let Some(f) = raw.run.and_then(|r| r.env_file) {
        config.run_env_file = Some(inside(root, FILE, "run.env_file", &f)?);
    }
    Ok(config)
}

/// Where config errors point.
const FILE: &str = ".pyve/config";

/// How many named envs a project may have.
pub const MAX_ENVS: usize = 64;

/// What pyve keeps in a project and what git keeps: an env directory (which pyve may
/// delete and rebuild) can be none of these nor contain one.
const KEPT: &[&str] = &[
    ".git",
    ".pyve/config",
    ".pyve/state",
    ".pyve/bin",
    ".pyve/lock",
    ".pyve/envs",
];

/// An env directory may not be the project itself, nor hold (or be) anything pyve or
/// git keeps there.
fn env_dir_allowed(dir: &Path, key: &str, value: &Spanned<String>) -> Result<(), ConfigError> {
    let clash = KEPT.iter().map(Path::new).find(|kept| {
        kept.starts_with(dir) || (dir.starts_with(kept) && *kept != Path::new(".pyve/envs"))
    });
    if dir.as_os_str().is_empty() || clash.is_some() {
        let what = match clash {
            _ if dir.as_os_str().is_empty() => "it is the project itself".to_string(),
            Some(k) if k.starts_with(dir) => format!("it would hold {}", k.display()),
            Some(k) => format!("it is inside {}", k.display()),
            None => unreachable!("a clash or the root"),
        };
        return Err(ConfigError::at(
            FILE,
            loc(value),
            format!(
                "{key} `{}` cannot be an env directory: {what} (pyve deletes and rebuilds env directories)",
                crate::sys::term::escape(&value.value)
            ),
        ));
    }
    Ok(())
}

/// A channel is a name (`conda-forge`, `conda-forge/label/dev`) or a URL
/// (`https://…`, `file:///…`): never something micromamba would read as an option.
pub fn check_channel(c: &str) -> Result<(), String> {
    let shown = crate::sys::term::escape(c);
    if c.is_empty() || c.chars().any(|ch| ch.is_whitespace() || ch.is_control()) {
        return Err(format!(
            "invalid channel `{shown}`: a channel is a name or URL without spaces"
        ));
    }
    if c.starts_with('-') {
        return Err(format!(
            "invalid channel `{shown}`: a channel cannot start with `-`"
        ));
    }
    let is_url = ["https://", "http://", "file://"]
        .iter()
        .any(|s| c.starts_with(s));
    let is_name = c
        .chars()
        .all(|ch| ch.is_ascii_alphanumeric() || "._-/".contains(ch));
    if !is_url && !is_name {
        return Err(format!(
            "invalid channel `{shown}`: expected a channel name (letters, digits, . _ - /) or an http(s):// or file:// URL"
        ));
    }
    Ok(())
}

/// A conda platform (subdir) name: `linux-64`, `osx-arm64`, `win-64`, `noarch`; never
/// something conda-lock would read as an option.
pub fn is_platform(p: &str) -> bool {
    !p.is_empty()
        && !p.starts_with('-')
        && p.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

/// A config path must stay inside the project: relative, no `..` (refused, never
/// resolved against what comes before it), no control characters, and no symlink
/// leading out.
fn inside(
    root: &Path,
    file: &str,
    key: &str,
    value: &Spanned<String>,
) -> Result<PathBuf, ConfigError> {
    let raw = value.value.trim();
    let rel = Path::new(raw);
    if raw.is_empty() {
        return Err(ConfigError::at(file, loc(value), format!("{key} is empty")));
    }
    let escapes = || {
        ConfigError::at(
            file,
            loc(value),
            format!("{key} `{raw}` leads outside the project"),
        )
        .hint(format!(
            "paths in .pyve/config must stay inside {} (after resolving `..` and symlinks)",
            root.display()
        ))
    };
    if raw.chars().any(char::is_control) {
        return Err(ConfigError::at(
            file,
            loc(value),
            format!(
                "{key} `{}` holds a control character",
                crate::sys::term::escape(raw)
            ),
        ));
    }
    if rel.is_absolute() {
        return Err(escapes());
    }
    if rel
        .components()
        .any(|c| matches!(c, std::path::Component::ParentDir))
    {
        return Err(
            ConfigError::at(file, loc(value), format!("{key} `{raw}` contains `..`"))
                .hint("write the path inside the project without `..` (pyve never resolves it)"),
        );
    }
    let normal = normalize(rel);
    if !is_inside(root, &root.join(&normal)) {
        return Err(escapes());
    }
    Ok(normal)
}

/// "3", "3.11", "3.11.7" (and pre-release tails: "3.13.0rc1", "3.14.0a2", "3.12.0b1").
pub fn is_version_request(v: &str) -> bool {
    super::pyversion::is_version_request(v)
}

/// Renders a config as the YAML pyve writes (`init` when the file is absent or a flag
/// changed it). Only the keys that are set are written.
pub fn render(config: &Config) -> String {
    let mut out =
        String::from("# pyve project configuration; see docs/configuration.md. Hand-editable.\n");
    if config.backend.is_none() {
        out.push_str(
            "# backend: venv | micromamba   (unset: chosen from the spec files, see `pyve status`)\n",
        );
    }
    render_env(config, "", &mut out);
    if let Some(d) = &config.default_env {
        out.push_str(&format!("default_env: {}\n", yaml_str(d)));
    }
    if !config.envs.is_empty() {
        out.push_str("envs:\n");
        for (name, env) in &config.envs {
            out.push_str(&format!("  {}:", yaml_str(name)));
            let mut body = String::new();
            render_env(env, "    ", &mut body);
            // An env with no keys of its own is still an env: `{}` keeps it one.
            out.push_str(if body.is_empty() { " {}\n" } else { "\n" });
            out.push_str(&body);
        }
    }
    out
}

/// One env's keys, each line indented by `ind`.
fn render_env(config: &Config, ind: &str, out: &mut String) {
    let mut line = |depth: &str, text: String| {
        out.push_str(ind);
        out.push_str(depth);
        out.push_str(&text);
        out.push('\n');
    };
    if let Some(b) = config.backend {
        line("", format!("backend: {b}"));
    }
    let m = &config.micromamba;
    if m.env_name.is_some()
        || m.env_file.is_some()
        || !m.channels.is_empty()
        || m.prefix.is_some()
        || m.allow_pip.is_some()
        || !m.platforms.is_empty()
    {
        line("", "micromamba:".into());
        if let Some(n) = &m.env_name {
            line("  ", format!("env_name: {}", yaml_str(n)));
        }
        if let Some(f) = &m.env_file {
            line(
                "  ",
                format!("env_file: {}", yaml_str(&f.to_string_lossy())),
            );
        }
        if !m.channels.is_empty() {
            let chans: Vec<String> = m.channels.iter().map(|c| yaml_str(c)).collect();
            line("  ", format!("channels: [{}]", chans.join(", ")));
        }
        if let Some(p) = &m.prefix {
            line("  ", format!("prefix: {}", yaml_str(&p.to_string_lossy())));
        }
        if let Some(a) = m.allow_pip {
            line("  ", format!("allow_pip: {a}"));
        }
        if !m.platforms.is_empty() {
            line("  ", format!("platforms: [{}]", m.platforms.join(", ")));
        }
    }
    if let Some(v) = &config.python_version {
        line("", "python:".into());
        line("  ", format!("version: \"{v}\""));
    }
    if let Some(d) = &config.venv_directory {
        line("", "venv:".into());
        line(
            "  ",
            format!("directory: {}", yaml_str(&d.to_string_lossy())),
        );
    }
    if let Some(f) = &config.run_env_file {
        line("", "run:".into());
        line(
            "  ",
            format!("env_file: {}", yaml_str(&f.to_string_lossy())),
        );
    }
}

/// A YAML scalar, quoted (via the serializer) only when it needs to be.
fn yaml_str(s: &str) -> String {
    serde_saphyr::to_string(&s)
        .map(|y| y.trim_end().to_string())
        .unwrap_or_else(|_| format!("{s:?}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(text: &str) -> ConfigError {
        let t = tempfile::tempdir().unwrap();
        parse(t.path(), text).unwrap_err()
    }

    /// What the shortcut takes for comments is what the YAML parser reads as nothing.
    #[test]
    fn comments_only_is_the_empty_config_as_yaml_reads_it() {
        let t = tempfile::tempdir().unwrap();
        for text in [
            "",
            "\n\n",
            "# pyve project configuration\n# backend: venv | micromamba\n",
            "  # indented\n\n#no space\n   \n",
            "# no final newline",
        ] {
            assert!(only_comments(text), "{text:?}");
            let raw: Option<RawConfig> = serde_saphyr::from_str(text).unwrap();
            assert!(raw.is_none(), "{text:?}");
            assert_eq!(parse(t.path(), text).unwrap(), Config::default());
        }
        for text in [
            "# a\rbackend: micromamba\n",
            "# a\r\nbackend: venv\n",
            "\t# tab\n",
            "---\n",
            "backend: venv # comment\n",
        ] {
            assert!(!only_comments(text), "{text:?}");
        }
        assert_eq!(
            parse(t.path(), "# a\rbackend: micromamba\n")
                .unwrap()
                .backend,
            Some(BackendKind::Micromamba)
        );
    }

    #[test]
    fn full_config_parses() {
        let t = tempfile::tempdir().unwrap();
        let c = parse(
            t.path(),
            "backend: micromamba\nmicromamba:\n  env_name: My Project\n  env_file: environment.yml\n  channels: [conda-forge, bioconda]\n  prefix: .pyve/envs/x\n  allow_pip: true\npython:\n  version: 3.10\nvenv:\n  directory: ./.venv\n",
        )
        .unwrap();
        assert_eq!(c.backend, Some(BackendKind::Micromamba));
        assert_eq!(c.micromamba.env_name.as_deref(), Some("my-project"));
        assert_eq!(c.micromamba.channels, ["conda-forge", "bioconda"]);
        assert_eq!(c.micromamba.allow_pip, Some(true));
        // Unquoted 3.10 stays "3.10", not the float 3.1.
        assert_eq!(c.python_version.as_deref(), Some("3.10"));
        assert_eq!(c.venv_directory.as_deref(), Some(Path::new(".venv")));
        // What pyve writes reads back the same.
        let again = parse(t.path(), &render(&c)).unwrap();
        assert_eq!(again, c);
    }

    #[test]
    fn named_envs_parse_render_and_refuse() {
        let t = tempfile::tempdir().unwrap();
        let text = "backend: micromamba\ndefault_env: dev\nenvs:\n  dev:\n    backend: venv\n    python:\n      version: \"3.12\"\n  prod: {}\n";
        let c = parse(t.path(), text).unwrap();
        assert_eq!(c.backend, Some(BackendKind::Micromamba));
        assert_eq!(c.default_env.as_deref(), Some("dev"));
        let names: Vec<&str> = c.envs.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["dev", "prod"]);
        assert_eq!(c.envs[0].1.backend, Some(BackendKind::Venv));
        assert_eq!(c.envs[0].1.python_version.as_deref(), Some("3.12"));
        assert_eq!(c.envs[1].1, Config::default());
        assert_eq!(parse(t.path(), &render(&c)).unwrap(), c);

        let e = err("envs:\n  Dev: {}\n");
        assert!(
            e.to_string()
                .starts_with(".pyve/config:2:3: envs: invalid env name `Dev`"),
            "{e}"
        );
        let e = err("envs:\n  default: {}\n");
        assert!(
            e.message
                .contains("`default` is the env of the top-level keys"),
            "{e}"
        );
        let e = err("envs:\n  dev:\n    bakend: venv\n");
        assert_eq!(e.to_string(), ".pyve/config:3:5: unknown key `bakend`");
        let e = err("envs:\n  dev:\n    backend: conda\n");
        assert!(
            e.to_string()
                .starts_with(".pyve/config:3:14: unknown backend"),
            "{e}"
        );
        let e = err("envs:\n  dev:\n    venv:\n      directory: ../x\n");
        assert!(e.message.contains("contains `..`"), "{e}");
        let e = err("envs:\n  dev: {}\n  dev: {}\n");
        assert!(e.message.starts_with("duplicate key `dev`"), "{e}");
        let e = err("default_env: prod\nenvs:\n  dev: {}\n");
        assert_eq!(
            e.to_string(),
            ".pyve/config:1:14: default_env `prod` is not an env of this project"
        );
        assert_eq!(e.hint.as_deref(), Some("its envs: default, dev"));
        let many: String = (0..=MAX_ENVS).map(|i| format!("  e{i}: {{}}\n")).collect();
        let e = err(&format!("envs:\n{many}"));
        assert_eq!(e.to_string(), ".pyve/config:66:3: envs: more than 64 envs");
        let e = err("envs: [dev]\n");
        assert!(e.message.starts_with("wrong type"), "{e}");
    }

    #[test]
    fn empty_and_comment_only_files_are_empty_configs() {
        let t = tempfile::tempdir().unwrap();
        assert_eq!(parse(t.path(), "").unwrap(), Config::default());
        assert_eq!(parse(t.path(), "# nothing\n").unwrap(), Config::default());
    }

    #[test]
    fn unknown_keys_name_the_spot_and_suggest() {
        let e = err("bakend: venv\n");
        assert_eq!(e.to_string(), ".pyve/config:1:1: unknown key `bakend`");
        assert!(e.hint.unwrap().starts_with("did you mean `backend`?"));
        let e = err("micromamba:\n  envname: x\n");
        assert_eq!(e.to_string(), ".pyve/config:2:3: unknown key `envname`");
        assert!(e.hint.unwrap().starts_with("did you mean `env_name`?"));
        let e = err("zzz: 1\n");
        assert_eq!(
            e.hint.unwrap(),
            "known keys here: backend, micromamba, python, venv, run, default_env, envs"
        );
    }

    #[test]
    fn wrong_types_and_values() {
        let e = err("backend: conda\n");
        assert_eq!(
            e.to_string(),
            ".pyve/config:1:10: unknown backend `conda`: expected `venv` or `micromamba`"
        );
        let e = err("backend: vnev\n");
        assert_eq!(e.hint.as_deref(), Some("did you mean `venv`?"));
        let e = err("micromamba:\n  allow_pip: maybe\n");
        assert!(e.to_string().starts_with(".pyve/config:2:"), "{e}");
        assert!(e.message.contains("expected a boolean"), "{e}");
        let e = err("micromamba: [1, 2]\n");
        assert!(e.message.starts_with("wrong type"), "{e}");
        let e = err("micromamba:\n  channels: conda-forge\n");
        assert_eq!(
            e.to_string(),
            ".pyve/config:2:13: wrong type: expected a list, e.g. [conda-forge]"
        );
        let e = err("backend: [venv]\n");
        assert!(e.message.starts_with("wrong type"), "{e}");
        let e = err("python:\n  version: three\n");
        assert_eq!(
            e.to_string(),
            ".pyve/config:2:12: invalid python version `three`: expected a version like \"3.11\" or \"3.11.7\""
        );
        let e = err("micromamba:\n  env_name: base\n");
        assert!(e.to_string().starts_with(".pyve/config:2:13: "), "{e}");
        assert!(e.message.contains("`base` is reserved"), "{e}");
    }

    #[test]
    fn malformed_yaml_and_duplicates() {
        let e = err("python:\n  version: \"3.11\n");
        assert!(e.to_string().starts_with(".pyve/config:"), "{e}");
        assert!(e.message.starts_with("invalid YAML"), "{e}");
        assert!(e.line.is_some());
        let e = err("backend: venv\nbackend: micromamba\n");
        assert_eq!(e.message, "duplicate key `backend`");
        assert_eq!(e.line, Some(2));
    }

    #[test]
    fn paths_must_stay_inside_the_project() {
        let e = err("venv:\n  directory: ../elsewhere\n");
        assert_eq!(
            e.to_string(),
            ".pyve/config:2:14: venv.directory `../elsewhere` contains `..`"
        );
        // `..` is refused, never popped: `a/..` is not the project root.
        for dotdot in ["a/..", "envs/../.venv", "x/../../y"] {
            let e = err(&format!("venv:\n  directory: {dotdot}\n"));
            assert!(e.message.contains("contains `..`"), "{dotdot}: {e}");
        }
        let e = err("micromamba:\n  prefix: /opt/envs/x\n");
        assert!(e.message.contains("leads outside the project"), "{e}");
        // Through a symlink.
        let t = tempfile::tempdir().unwrap();
        let outside = tempfile::tempdir().unwrap();
        std::os::unix::fs::symlink(outside.path(), t.path().join("link")).unwrap();
        let e = parse(t.path(), "venv:\n  directory: link/venv\n").unwrap_err();
        assert!(e.message.contains("leads outside the project"), "{e}");
        let e = err("venv:\n  directory: .\n");
        assert!(e.message.contains("it is the project itself"), "{e}");
    }

    #[test]
    fn env_directories_cannot_be_what_pyve_or_git_keeps() {
        for (dir, why) in [
            (".", "it is the project itself"),
            ("./", "it is the project itself"),
            (".git", "it would hold .git"),
            (".git/hooks", "it is inside .git"),
            (".pyve", "it would hold .pyve/config"),
            (".pyve/state", "it would hold .pyve/state"),
            (".pyve/state/x", "it is inside .pyve/state"),
            (".pyve/bin", "it would hold .pyve/bin"),
            (".pyve/envs", "it would hold .pyve/envs"),
        ] {
            for key in ["venv:\n  directory", "micromamba:\n  prefix"] {
                let e = err(&format!("{key}: {dir}\n"));
                assert!(e.message.contains(why), "{key} {dir}: {e}");
                assert!(e.message.contains("cannot be an env directory"), "{e}");
                assert_eq!(e.line, Some(2));
            }
        }
        // An env inside .pyve/envs is what pyve itself does.
        let t = tempfile::tempdir().unwrap();
        let c = parse(t.path(), "micromamba:\n  prefix: .pyve/envs/x\n").unwrap();
        assert_eq!(
            c.micromamba.prefix.as_deref(),
            Some(Path::new(".pyve/envs/x"))
        );
    }

    #[test]
    fn control_characters_and_option_like_channels_are_refused() {
        let e = err("venv:\n  directory: \"a\\u0000b\"\n");
        assert!(e.message.contains("holds a control character"), "{e}");
        assert!(!e.to_string().contains('\0'));
        let e = err("venv:\n  directory: \"a\\u001b[2Jb\"\n");
        assert!(e.to_string().contains("\\u{1b}"), "{e}");
        assert!(!e.to_string().contains('\u{1b}'));
        let e = err("micromamba:\n  channels: [\"--override-channels\"]\n");
        assert!(e.message.contains("cannot start with `-`"), "{e}");
        let e = err("micromamba:\n  channels: [\"conda-forge;rm\"]\n");
        assert!(e.message.contains("expected a channel name"), "{e}");
        for ok in [
            "conda-forge",
            "conda-forge/label/dev",
            "https://repo.example/x",
            "file:///tmp/ch",
        ] {
            assert!(check_channel(ok).is_ok(), "{ok}");
        }
    }

    #[test]
    fn version_requests() {
        for ok in ["3", "3.11", "3.11.7", "3.13.0rc1"] {
            assert!(is_version_request(ok), "{ok}");
        }
        for bad in [
            "", "three", "3.", ".3", "3.11.7.1", "3.x", "v3.11", "3.1O", "3.1x",
        ] {
            assert!(!is_version_request(bad), "{bad}");
        }
    }
}
