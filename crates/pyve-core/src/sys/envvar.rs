//! Numbers and switches read from the environment (`PYVE_LOCK_TIMEOUT`, `PYVE_FROZEN`):
//! validated, with an error naming the variable and what it holds, never a silent
//! fallback to the default for a value that was meant.

use std::time::Duration;

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{name} must be {expected}, got {value:?}")]
pub struct EnvVarError {
    pub name: &'static str,
    pub value: String,
    pub expected: &'static str,
}

/// `name` as seconds (fractions allowed); unset or empty → `default`. `zero_ok`: 0
/// means "do not wait" rather than a mistake.
pub fn seconds(
    name: &'static str,
    default: Duration,
    zero_ok: bool,
) -> Result<Duration, EnvVarError> {
    let Ok(v) = std::env::var(name) else {
        return Ok(default);
    };
    parse_seconds(name, &v, default, zero_ok)
}

/// `name` as a yes/no switch (`PYVE_FROZEN=1`): `1`, `true`, `yes` are on; unset,
/// empty, `0`, `false`, `no` are off; anything else is an error, not a guess.
pub fn flag(name: &'static str) -> Result<bool, EnvVarError> {
    match std::env::var(name) {
        Ok(v) => parse_flag(name, &v),
        Err(_) => Ok(false),
    }
}

fn parse_flag(name: &'static str, v: &str) -> Result<bool, EnvVarError> {
    match v.trim().to_ascii_lowercase().as_str() {
        "1" | "true" | "yes" => Ok(true),
        "" | "0" | "false" | "no" => Ok(false),
        _ => Err(EnvVarError {
            name,
            value: v.to_string(),
            expected: "1 or 0 (true/false, yes/no)",
        }),
    }
}

fn parse_seconds(
    name: &'static str,
    v: &str,
    default: Duration,
    zero_ok: bool,
) -> Result<Duration, EnvVarError> {
    if v.trim().is_empty() {
        return Ok(default);
    }
    v.trim()
        .parse::<f64>()
        .ok()
        .filter(|s| s.is_finite() && (*s > 0.0 || (zero_ok && *s == 0.0)) && *s < 1e9)
        .map(Duration::from_secs_f64)
        .ok_or_else(|| EnvVarError {
            name,
            value: v.to_string(),
            expected: if zero_ok {
                "a number of seconds (0 or more)"
            } else {
                "a positive number of seconds"
            },
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_are_validated() {
        assert_eq!(parse_flag("X", "1"), Ok(true));
        assert_eq!(parse_flag("X", "Yes"), Ok(true));
        assert_eq!(parse_flag("X", ""), Ok(false));
        assert_eq!(parse_flag("X", "0"), Ok(false));
        assert!(parse_flag("X", "maybe").is_err());
    }

    #[test]
    fn seconds_are_validated() {
        let d = Duration::from_secs(7);
        assert_eq!(parse_seconds("X", "", d, false), Ok(d));
        assert_eq!(
            parse_seconds("X", "1.5", d, false),
            Ok(Duration::from_millis(1500))
        );
        assert_eq!(parse_seconds("X", "0", d, true), Ok(Duration::ZERO));
        for bad in ["0", "-1", "abc", "NaN", "inf", "1e30"] {
            let e = parse_seconds("X", bad, d, false).unwrap_err();
            assert_eq!(
                e.to_string(),
                format!("X must be a positive number of seconds, got {bad:?}")
            );
        }
    }
}
