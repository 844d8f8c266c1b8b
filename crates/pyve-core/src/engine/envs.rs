//! Several environments in one project (docs/environments.md): their names, which one
//! a command works on, and the config each one sees.
//!
//! The top-level keys of `.pyve/config` are the env called `default`, so a file
//! written before there were several envs keeps exactly its meaning. `envs:` adds
//! named ones. Which env a command uses: `--env`, else `PYVE_ENV`, else the config's
//! `default_env`, else `default`.

use super::config::Config;

/// The env of the config's top-level keys.
pub const DEFAULT: &str = "default";

/// The variable that picks the env when `--env` does not.
pub const VAR: &str = "PYVE_ENV";

/// Why a string cannot name an env.
pub fn check_name(name: &str) -> Result<(), String> {
    let shown = crate::sys::term::escape(name);
    let ok_chars = name
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "._-".contains(c));
    let starts_ok = name
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit());
    if !ok_chars || !starts_ok || name.len() > 64 {
        return Err(format!(
            "invalid env name `{shown}`: use 1 to 64 of a-z 0-9 . _ - and start with a letter or digit"
        ));
    }
    if name != DEFAULT && super::envname::RESERVED.contains(&name) {
        return Err(format!(
            "env name `{shown}` is reserved (conda tools treat it specially); pick another name"
        ));
    }
    Ok(())
}

/// Where the selected env's name came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    /// `--env NAME`.
    Flag,
    /// `PYVE_ENV`.
    Variable,
    /// `default_env:` in `.pyve/config`.
    Config,
    /// Nothing chose: `default`.
    Default,
}

impl Source {
    pub fn describe(self) -> &'static str {
        match self {
            Source::Flag => "--env",
            Source::Variable => VAR,
            Source::Config => "default_env in .pyve/config",
            Source::Default => "the default",
        }
    }
}

/// The env a command works on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Selected {
    pub name: String,
    pub source: Source,
    /// `.pyve/config` defines it (`default` always exists).
    pub defined: bool,
}

impl Selected {
    pub fn is_default(&self) -> bool {
        self.name == DEFAULT
    }
}

/// Picks the env: `flag`, else `var` (`PYVE_ENV`), else the config's `default_env`,
/// else `default`. `creating`: `init --env NAME` may name an env that does not exist
/// yet; nothing else may, and a `PYVE_ENV` naming an unknown env is never taken as a
/// request to create one.
pub fn select(
    config: &Config,
    flag: Option<&str>,
    var: Option<&str>,
    creating: bool,
) -> Result<Selected, SelectError> {
    let (name, source) = match (flag, var.filter(|v| !v.is_empty())) {
        (Some(f), _) => (f.trim().to_string(), Source::Flag),
        (None, Some(v)) => (v.trim().to_string(), Source::Variable),
        (None, None) => match &config.default_env {
            Some(d) => (d.clone(), Source::Config),
            None => (DEFAULT.to_string(), Source::Default),
        },
    };
    check_name(&name).map_err(|why| SelectError::Invalid {
        why,
        by: source.describe(),
    })?;
    let defined = name == DEFAULT || config.envs.iter().any(|(n, _)| *n == name);
    let may_create = creating && source == Source::Flag;
    if !(defined || may_create) {
        return Err(SelectError::Unknown {
            name,
            by: source.describe(),
            known: names(config),
        });
    }
    Ok(Selected {
        name,
        source,
        defined,
    })
}

/// Why no env could be selected.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SelectError {
    #[error("{by}: {why}")]
    Invalid { why: String, by: &'static str },
    #[error(
        "no env `{name}` in this project ({by}); its envs: {}",
        known.join(", ")
    )]
    Unknown {
        name: String,
        by: &'static str,
        known: Vec<String>,
    },
}

/// Every env of the project, `default` first, then `envs:` in file order.
pub fn names(config: &Config) -> Vec<String> {
    std::iter::once(DEFAULT.to_string())
        .chain(config.envs.iter().map(|(n, _)| n.clone()))
        .collect()
}

/// The config `name` sees: the top-level keys for `default`; for a named env its own
/// table, where the keys that say which env it is (`backend`, `micromamba.env_name`,
/// `env_file`, `prefix`, `venv.directory`) are its own or their defaults, and the
/// others (`python.version`, channels, `allow_pip`, platforms, `run.env_file`) fall
/// back to the top level's when it sets none.
pub fn config_of(whole: &Config, name: &str) -> Config {
    let own = whole
        .envs
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, c)| c.clone());
    let Some(mut c) = own.or_else(|| (name != DEFAULT).then(Config::default)) else {
        let mut top = whole.clone();
        top.envs.clear();
        top.default_env = None;
        return top;
    };
    c.file = whole.file.clone();
    c.original = whole.original.clone();
    inherited(&mut c, whole, Inherit::Fill);
    c
}

/// What [`inherited`] does with each inherited key.
#[derive(Clone, Copy)]
enum Inherit {
    /// Unset in the env: take the top level's.
    Fill,
    /// Equal to the top level's: unset it (what was inherited is not written back).
    Strip,
}

/// The keys a named env inherits from the top level, each listed once.
fn inherited(env: &mut Config, top: &Config, how: Inherit) {
    fn one<T: Clone + PartialEq>(own: &mut Option<T>, top: &Option<T>, how: Inherit) {
        match how {
            Inherit::Fill if own.is_none() => own.clone_from(top),
            Inherit::Strip if own == top => *own = None,
            _ => {}
        }
    }
    fn list<T: Clone + PartialEq>(own: &mut Vec<T>, top: &[T], how: Inherit) {
        match how {
            Inherit::Fill if own.is_empty() => *own = top.to_vec(),
            Inherit::Strip if own == top => own.clear(),
            _ => {}
        }
    }
    one(&mut env.python_version, &top.python_version, how);
    list(&mut env.micromamba.channels, &top.micromamba.channels, how);
    one(
        &mut env.micromamba.allow_pip,
        &top.micromamba.allow_pip,
        how,
    );
    list(
        &mut env.micromamba.platforms,
        &top.micromamba.platforms,
        how,
    );
    one(&mut env.run_env_file, &top.run_env_file, how);
}

/// The whole file with env `name`'s keys replaced by `env` (what `init` writes back).
/// Inherited values equal to the top level's are not copied into the env's table.
pub fn with_env(whole: &Config, name: &str, env: &Config) -> Config {
    let mut out = whole.clone();
    out.file = None;
    if name == DEFAULT {
        let (envs, default_env) = (out.envs, out.default_env);
        out = env.clone();
        out.file = None;
        out.envs = envs;
        out.default_env = default_env;
        return out;
    }
    let mut own = env.clone();
    own.file = None;
    own.original = None;
    own.envs.clear();
    own.default_env = None;
    inherited(&mut own, whole, Inherit::Strip);
    match out.envs.iter_mut().find(|(n, _)| n == name) {
        Some(slot) => slot.1 = own,
        None => out.envs.push((name.to_string(), own)),
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn two_envs() -> Config {
        let dev = Config {
            backend: Some(super::super::BackendKind::Venv),
            ..Config::default()
        };
        Config {
            python_version: Some("3.11".into()),
            envs: vec![("dev".into(), dev)],
            ..Config::default()
        }
    }

    #[test]
    fn flag_then_variable_then_config_then_default() {
        let mut c = two_envs();
        let s = select(&c, Some("dev"), Some("default"), false).unwrap();
        assert_eq!((s.name.as_str(), s.source), ("dev", Source::Flag));
        let s = select(&c, None, Some("dev"), false).unwrap();
        assert_eq!((s.name.as_str(), s.source), ("dev", Source::Variable));
        let s = select(&c, None, Some(""), false).unwrap();
        assert_eq!((s.name.as_str(), s.source), ("default", Source::Default));
        c.default_env = Some("dev".into());
        let s = select(&c, None, None, false).unwrap();
        assert_eq!((s.name.as_str(), s.source), ("dev", Source::Config));
    }

    #[test]
    fn unknown_envs_are_refused_except_by_init_env() {
        let c = two_envs();
        let e = select(&c, Some("prod"), None, false).unwrap_err();
        assert_eq!(
            e.to_string(),
            "no env `prod` in this project (--env); its envs: default, dev"
        );
        let e = select(&c, None, Some("prod"), true).unwrap_err();
        assert_eq!(
            e.to_string(),
            "no env `prod` in this project (PYVE_ENV); its envs: default, dev"
        );
        let s = select(&c, Some("prod"), None, true).unwrap();
        assert!(!s.defined);
    }

    #[test]
    fn names_are_checked() {
        for bad in ["", "Dev", "-x", ".x", "a b", "x/y", "base", "micromamba"] {
            assert!(check_name(bad).is_err(), "{bad:?}");
        }
        for ok in ["dev", "py3.12", "a_b-c", "0", "default"] {
            assert!(check_name(ok).is_ok(), "{ok:?}");
        }
        let e = select(&Config::default(), Some("Dev"), None, true).unwrap_err();
        assert!(
            e.to_string().starts_with("--env: invalid env name `Dev`"),
            "{e}"
        );
    }

    #[test]
    fn named_envs_keep_their_identity_and_inherit_the_rest() {
        let c = two_envs();
        let dev = config_of(&c, "dev");
        assert_eq!(dev.backend, Some(super::super::BackendKind::Venv));
        assert_eq!(dev.python_version.as_deref(), Some("3.11"));
        assert!(dev.envs.is_empty());
        let top = config_of(&c, DEFAULT);
        assert_eq!(top.backend, None);
        assert!(top.envs.is_empty());
        // Written back, the inherited python stays in the top level only.
        let again = with_env(&c, "dev", &dev);
        assert_eq!(again.envs, c.envs);
        let mut prod = Config::default();
        prod.micromamba.env_name = Some("p".into());
        let added = with_env(&c, "prod", &prod);
        assert_eq!(names(&added), ["default", "dev", "prod"]);
    }
}
