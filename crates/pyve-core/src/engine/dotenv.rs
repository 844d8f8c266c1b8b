//! `.env` files (`pyve run --env-file PATH`, `run.env_file` in .pyve/config): dotenv
//! syntax read by dotenvy's iterator, which parses without touching pyve's own
//! environment; the variables go to the command `run` starts, and nowhere else.

use std::path::Path;

use super::config::ConfigError;

/// A `.env` is a few lines of settings; a megabyte is already not one.
const CAP: u64 = 1024 * 1024;

/// The variables of the dotenv file at `path` (`shown`: the name errors give), in
/// file order; an invalid line is an error at file:line:column.
pub fn load(path: &Path, shown: &str) -> Result<Vec<(String, String)>, ConfigError> {
    let at = |line, column, message: String| ConfigError {
        file: shown.to_string(),
        line,
        column,
        message,
        hint: None,
    };
    let text = crate::sys::fs::read_text(path, CAP).map_err(|e| {
        let mut err = at(None, None, format!("cannot read: {e}"));
        if e.is_not_found() {
            err.message = "no such file".into();
            err.hint = Some("`pyve init --dotenv` creates an empty .env".into());
        }
        err
    })?;
    let mut vars = Vec::new();
    for item in dotenvy::from_read_iter(text.as_bytes()) {
        match item {
            Ok(kv) => vars.push(kv),
            Err(dotenvy::Error::LineParse(line, index)) => {
                let (l, c) = position(&text, &line, index);
                return Err(at(
                    Some(l),
                    Some(c),
                    format!(
                        "invalid dotenv line `{}`: expected NAME=value",
                        crate::sys::term::escape(line.lines().next().unwrap_or(&line))
                    ),
                ));
            }
            Err(e) => return Err(at(None, None, format!("cannot read: {e}"))),
        }
    }
    Ok(vars)
}

/// Where, in `text`, byte `index` of the logical line `line` is (1-based line and
/// column): dotenvy reports the line's text, not its number.
fn position(text: &str, line: &str, index: usize) -> (u64, u64) {
    let start = text.find(line).unwrap_or(0);
    let upto = &text[..start + line.get(..index).map_or(0, str::len)];
    let l = upto.matches('\n').count() as u64 + 1;
    let c = upto.rsplit('\n').next().map_or(0, |s| s.chars().count()) as u64 + 1;
    (l, c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dotenv_syntax_is_read_and_errors_point_at_the_line() {
        let t = tempfile::tempdir().unwrap();
        let f = t.path().join(".env");
        std::fs::write(
            &f,
            "# comment\nA=1\nexport B='two words'\nC=\"multi\nline\"\n\nD=${A}x\n",
        )
        .unwrap();
        let vars = load(&f, ".env").unwrap();
        let get = |k: &str| vars.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str());
        assert_eq!(get("A"), Some("1"));
        assert_eq!(get("B"), Some("two words"));
        assert_eq!(get("C"), Some("multi\nline"));
        assert_eq!(get("D"), Some("1x"));

        std::fs::write(&f, "A=1\n\nnot a line\n").unwrap();
        let e = load(&f, ".env").unwrap_err();
        assert_eq!((e.line, e.file.as_str()), (Some(3), ".env"), "{e}");
        assert!(e.to_string().starts_with(".env:3:"), "{e}");
    }
}
