//! What installs a python that is missing: the command (`pyenv install 3.11`, `asdf
//! install python latest:3.11`), chosen by the version managers this machine has and
//! where the request came from, and the words around it for the not-found message.

use super::resolve::{Lookup, PythonRequest, RequestSource, SYSTEM, Want, version_key};

/// The command that installs the requested python, and the hint around it.
pub fn install_hint(request: Option<&PythonRequest>, lookup: &Lookup) -> (String, String) {
    let v = match request.map(PythonRequest::want) {
        Some(Want::Version(v)) => v,
        Some(Want::Spec(s)) => s.suggestion(),
        Some(Want::System) | None => "3".into(),
    };
    if request.is_some_and(|r| r.version == SYSTEM) {
        let c = "apt-get install python3".to_string();
        return (
            c.clone(),
            format!(
                "your system package manager (e.g. `{c}`), or pin a version instead of `system`"
            ),
        );
    }
    let from_tool_versions = request.is_some_and(|r| r.source == RequestSource::ToolVersions);
    let has_asdf = lookup.asdf_dir.is_dir();
    let has_pyenv = lookup.pyenv_root.is_dir();
    let asdf = if version_key(&v).len() >= 3 {
        format!("asdf install python {v}")
    } else {
        format!("asdf install python latest:{v}")
    };
    if from_tool_versions || (has_asdf && !has_pyenv) {
        (asdf.clone(), asdf)
    } else if has_pyenv {
        let c = format!("pyenv install {v}");
        (c.clone(), c)
    } else {
        let c = format!("pyenv install {v}");
        let hint = format!("{c} (or `{asdf}`, or python{v} from your system package manager)");
        (c, hint)
    }
}
