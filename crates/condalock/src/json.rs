//! Python-compatible JSON: just enough to reproduce `json.dumps(d, sort_keys=True)` byte
//! for byte, since conda-lock hashes that text.

use std::collections::BTreeMap;

use sha2::{Digest, Sha256};

/// Just enough JSON to reproduce Python's `json.dumps(d, sort_keys=True)` byte for byte.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Json {
    Null,
    Bool(bool),
    Int(i64),
    Str(String),
    List(Vec<Json>),
    Obj(BTreeMap<String, Json>),
}

impl Json {
    pub(crate) fn str(s: impl AsRef<str>) -> Json {
        Json::Str(s.as_ref().to_string())
    }
    pub(crate) fn opt(s: &Option<String>) -> Json {
        s.as_ref().map(Json::str).unwrap_or(Json::Null)
    }
    pub(crate) fn obj<const N: usize>(pairs: [(&str, Json); N]) -> Json {
        Json::Obj(pairs.into_iter().map(|(k, v)| (k.to_string(), v)).collect())
    }

    pub(crate) fn to_value(&self) -> serde_json::Value {
        match self {
            Json::Null => serde_json::Value::Null,
            Json::Bool(b) => serde_json::Value::Bool(*b),
            Json::Int(i) => serde_json::Value::from(*i),
            Json::Str(s) => serde_json::Value::String(s.clone()),
            Json::List(items) => {
                serde_json::Value::Array(items.iter().map(Json::to_value).collect())
            }
            Json::Obj(m) => serde_json::Value::Object(
                m.iter().map(|(k, v)| (k.clone(), v.to_value())).collect(),
            ),
        }
    }

    /// Python's `json.dumps(self, sort_keys=True)`: separators `", "` and `": "`,
    /// `ensure_ascii=True`. `BTreeMap` orders keys by code point, as `sort_keys` does.
    pub(crate) fn dumps(&self) -> String {
        let mut out = String::new();
        self.write(&mut out);
        out
    }

    fn write(&self, out: &mut String) {
        match self {
            Json::Null => out.push_str("null"),
            Json::Bool(true) => out.push_str("true"),
            Json::Bool(false) => out.push_str("false"),
            Json::Int(i) => out.push_str(&i.to_string()),
            Json::Str(s) => py_json_string(s, out),
            Json::List(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    item.write(out);
                }
                out.push(']');
            }
            Json::Obj(map) => {
                out.push('{');
                for (i, (k, v)) in map.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    py_json_string(k, out);
                    out.push_str(": ");
                    v.write(out);
                }
                out.push('}');
            }
        }
    }
}

/// A string as Python's `json` writes it with `ensure_ascii=True`.
fn py_json_string(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            ' '..='~' => out.push(c),
            _ => {
                let mut buf = [0u16; 2];
                for unit in c.encode_utf16(&mut buf) {
                    out.push_str(&format!("\\u{unit:04x}"));
                }
            }
        }
    }
    out.push('"');
}

/// The sha256 of the text, in lower-case hex.
pub(crate) fn sha256_hex(s: &str) -> String {
    let digest = Sha256::digest(s.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn python_json_dumps() {
        let j = Json::obj([
            (
                "b",
                Json::List(vec![Json::Int(1), Json::Null, Json::Bool(true)]),
            ),
            ("a", Json::str("é\"\n\u{1F600}")),
        ]);
        assert_eq!(
            j.dumps(),
            r#"{"a": "\u00e9\"\n\ud83d\ude00", "b": [1, null, true]}"#
        );
    }
}
