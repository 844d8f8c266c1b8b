//! conda's version specs (vendored conda 24.7.1): `VersionSpec(spec).spec`, the string
//! conda-lock stores as a dependency's `version`, validated the way conda validates it.

use crate::error::SpecError;
use crate::pystr::{py_space, py_strip};

/// conda's `VersionOrder(vstr)` validity checks (the ordering itself is not needed).
fn check_version_order(vstr: &str) -> Result<(), SpecError> {
    let invalid = |reason: &'static str| {
        Err(SpecError::Version {
            version: vstr.to_string(),
            reason,
        })
    };
    let mut version = py_strip(vstr).to_lowercase();
    if version.is_empty() {
        return invalid("empty version string");
    }
    let allowed = |v: &str| {
        v.chars()
            .all(|c| matches!(c, '*' | '.' | '+' | '!' | '_' | '0'..='9' | 'a'..='z'))
    };
    let mut ok = allowed(&version);
    if !ok && version.contains('-') && !version.contains('_') {
        version = version.replace('-', "_");
        ok = allowed(&version);
    }
    if !ok {
        return invalid("invalid character(s)");
    }
    let parts: Vec<&str> = version.split('!').collect();
    let rest = match parts.len() {
        1 => parts[0],
        2 => {
            if parts[0].is_empty() || !parts[0].chars().all(|c| c.is_ascii_digit()) {
                return invalid("epoch must be an integer");
            }
            parts[1]
        }
        _ => return invalid("duplicated epoch separator '!'"),
    };
    let plus: Vec<&str> = rest.split('+').collect();
    let (main, local): (&str, Vec<String>) = match plus.len() {
        1 => (plus[0], Vec::new()),
        2 => (
            plus[0],
            plus[1]
                .replace('_', ".")
                .split('.')
                .map(str::to_string)
                .collect(),
        ),
        _ => return invalid("duplicated local version separator '+'"),
    };
    if main.is_empty() {
        return invalid("missing version before local version separator '+'");
    }
    let components: Vec<String> = if let Some(stripped) = main.strip_suffix('_') {
        let mut v: Vec<String> = stripped
            .replace('_', ".")
            .split('.')
            .map(str::to_string)
            .collect();
        if let Some(last) = v.last_mut() {
            last.push('_');
        }
        v
    } else {
        main.replace('_', ".")
            .split('.')
            .map(str::to_string)
            .collect()
    };
    if components.iter().chain(local.iter()).any(|c| c.is_empty()) {
        return invalid("empty version component");
    }
    Ok(())
}

#[derive(Debug)]
enum VTree {
    Leaf(String),
    Node(char, Vec<VTree>),
}

/// conda's `treeify`: a version-spec expression to a tree of `,` (and) and `|` (or).
fn treeify(spec: &str) -> Result<VTree, SpecError> {
    let err = |reason: &'static str| {
        Err(SpecError::VersionSpec {
            spec: spec.to_string(),
            reason,
        })
    };
    // Tokens, as conda's VSPEC_TOKENS regex finds them in f"({spec})".
    let wrapped: Vec<char> = format!("({spec})").chars().collect();
    let mut tokens: Vec<String> = Vec::new();
    let mut i = 0;
    while i < wrapped.len() {
        let mut j = i;
        while j < wrapped.len() && py_space(wrapped[j]) {
            j += 1;
        }
        // `\s*\^[^$]*[$]`
        if j < wrapped.len()
            && wrapped[j] == '^'
            && let Some(d) = wrapped[j + 1..].iter().position(|&c| c == '$')
        {
            let end = j + 1 + d + 1;
            tokens.push(wrapped[i..end].iter().collect());
            i = end;
            continue;
        }
        // `\s*[()|,]`
        if j < wrapped.len() && matches!(wrapped[j], '(' | ')' | '|' | ',') {
            tokens.push(wrapped[i..=j].iter().collect());
            i = j + 1;
            continue;
        }
        // `[^()|,]+`
        let mut k = i;
        while k < wrapped.len() && !matches!(wrapped[k], '(' | ')' | '|' | ',') {
            k += 1;
        }
        tokens.push(wrapped[i..k].iter().collect());
        i = k;
    }

    let mut output: Vec<VTree> = Vec::new();
    let mut stack: Vec<char> = Vec::new();
    fn apply_ops(
        output: &mut Vec<VTree>,
        stack: &mut Vec<char>,
        cstop: &str,
        spec: &str,
    ) -> Result<(), SpecError> {
        while let Some(&top) = stack.last() {
            if cstop.contains(top) {
                break;
            }
            if output.len() < 2 {
                return Err(SpecError::VersionSpec {
                    spec: spec.to_string(),
                    reason: "cannot join single expression",
                });
            }
            let c = stack.pop().unwrap_or(top);
            let r = output.pop().unwrap_or(VTree::Leaf(String::new()));
            let left = output.pop().unwrap_or(VTree::Leaf(String::new()));
            let mut children = match left {
                VTree::Node(op, kids) if op == c => kids,
                other => vec![other],
            };
            match r {
                VTree::Node(op, kids) if op == c => children.extend(kids),
                other => children.push(other),
            }
            output.push(VTree::Node(c, children));
        }
        Ok(())
    }
    for token in tokens {
        let item = py_strip(&token);
        match item {
            "|" => {
                apply_ops(&mut output, &mut stack, "(", spec)?;
                stack.push('|');
            }
            "," => {
                apply_ops(&mut output, &mut stack, "|(", spec)?;
                stack.push(',');
            }
            "(" => stack.push('('),
            ")" => {
                apply_ops(&mut output, &mut stack, "(", spec)?;
                if stack.last() != Some(&'(') {
                    return err("expression must start with '('");
                }
                stack.pop();
            }
            _ => {
                if item.is_empty() {
                    return err("empty expression");
                }
                output.push(VTree::Leaf(item.to_string()));
            }
        }
    }
    if !stack.is_empty() {
        return err("unable to convert to expression tree");
    }
    if output.is_empty() {
        return err("unable to determine version from spec");
    }
    Ok(output.swap_remove(0))
}

const VERSION_OPS: &[&str] = &["=", "==", "!=", "<=", ">=", "<", ">", "~="];

/// conda's `VersionSpec(spec).spec`: the string conda-lock stores as `version`, after
/// validating it the way conda does. Compound specs are re-joined without parentheses
/// or spaces; `1.2*` becomes `1.2.*`; everything else is kept as written.
pub fn normalize_version_spec(spec: &str) -> Result<String, SpecError> {
    if spec
        .chars()
        .any(|c| matches!(c, '(' | ')' | '|' | ',' | '^' | '$'))
    {
        return match treeify(spec)? {
            VTree::Leaf(leaf) => version_spec_leaf(&leaf),
            node => version_tree_string(&node),
        };
    }
    version_spec_leaf(spec)
}

fn version_tree_string(tree: &VTree) -> Result<String, SpecError> {
    match tree {
        VTree::Leaf(leaf) => normalize_version_spec(leaf),
        VTree::Node(op, kids) => {
            let parts: Result<Vec<String>, SpecError> =
                kids.iter().map(version_tree_string).collect();
            Ok(parts?.join(&op.to_string()))
        }
    }
}

fn version_spec_leaf(spec: &str) -> Result<String, SpecError> {
    let s = py_strip(spec);
    let invalid = |reason: &'static str| {
        Err(SpecError::VersionSpec {
            spec: spec.to_string(),
            reason,
        })
    };
    let Some(first) = s.chars().next() else {
        return invalid("empty version spec");
    };
    let last = s.chars().last().unwrap_or(first);
    if first == '^' || last == '$' {
        if first != '^' || last != '$' {
            return invalid("regex specs must start with '^' and end with '$'");
        }
        return Ok(s.to_string());
    }
    if matches!(first, '=' | '<' | '>' | '!' | '~') {
        // ^(=|==|!=|<=|>=|<|>|~=)(?![=<>!~])(\S+)$, alternatives in that order.
        let found = VERSION_OPS.iter().find_map(|op| {
            let rest = s.strip_prefix(op)?;
            let next = rest.chars().next()?;
            if matches!(next, '=' | '<' | '>' | '!' | '~') || rest.chars().any(py_space) {
                return None;
            }
            Some((*op, rest))
        });
        let Some((op, mut vo)) = found else {
            return invalid("invalid operator");
        };
        if let Some(stripped) = vo.strip_suffix(".*") {
            if op == "~=" {
                return invalid("invalid operator with '.*'");
            }
            vo = stripped;
        }
        check_version_order(vo)?;
        return Ok(s.to_string());
    }
    if s == "*" {
        return Ok(s.to_string());
    }
    if s.trim_end_matches('*').contains('*') {
        return Ok(s.to_string());
    }
    if s.ends_with('*') {
        let out = if s.ends_with(".*") {
            s.to_string()
        } else {
            format!("{}.*", s.strip_suffix('*').unwrap_or(s))
        };
        check_version_order(out.trim_end_matches('*').trim_end_matches('.'))?;
        return Ok(out);
    }
    if !s.contains('@') {
        check_version_order(s)?;
    }
    Ok(s.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn version_spec_normalisation() {
        assert_eq!(normalize_version_spec("1.2*").as_deref(), Ok("1.2.*"));
        assert_eq!(
            normalize_version_spec("(>=1,<2)|3").as_deref(),
            Ok(">=1,<2|3")
        );
        assert_eq!(
            normalize_version_spec(" >=1.2 , <2 ").as_deref(),
            Ok(">=1.2,<2")
        );
        assert_eq!(
            normalize_version_spec("^1\\.2.*$").as_deref(),
            Ok("^1\\.2.*$")
        );
        assert_eq!(normalize_version_spec("1.2-3").as_deref(), Ok("1.2-3"));
        assert!(normalize_version_spec("1.2-3_4").is_err());
        assert!(normalize_version_spec("1!2!3").is_err());
        assert!(normalize_version_spec("~=1.*").is_err());
    }
}
