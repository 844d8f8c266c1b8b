//! Finding micromamba (product.md §2): `.pyve/bin/micromamba` → `$PYVE_HOME/bin/micromamba`
//! → `micromamba` on PATH. A candidate that exists but whose `--version` fails is
//! reported and skipped. Creating envs with it is the next capability.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use super::resolve::{Resolution, Tried};

/// Why micromamba could not be used: every place tried.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NotFound {
    pub tried: Vec<Tried>,
}

pub fn resolve(
    project_sandbox: &Path,
    pyve_home: &Path,
    path_var: &OsStr,
) -> Result<Resolution, NotFound> {
    let mut tried = Vec::new();
    let on_path = crate::sys::process::find_program(OsStr::new("micromamba"), path_var);
    let candidates: [(&str, Option<PathBuf>, PathBuf); 3] = [
        (
            "project",
            Some(project_sandbox.to_path_buf()),
            project_sandbox.to_path_buf(),
        ),
        (
            "user",
            Some(pyve_home.join("bin").join("micromamba")),
            pyve_home.join("bin").join("micromamba"),
        ),
        ("path", on_path, PathBuf::from("micromamba")),
    ];
    for (place, candidate, shown) in candidates {
        let Some(path) = candidate.filter(|p| p.exists()) else {
            tried.push(Tried {
                place: place.into(),
                path: shown,
                version: None,
                outcome: if place == "path" {
                    "not on PATH".into()
                } else {
                    "not installed".into()
                },
                taken: false,
            });
            continue;
        };
        match version(&path) {
            Ok(v) => {
                tried.push(Tried {
                    place: place.into(),
                    path: path.clone(),
                    version: Some(v.clone()),
                    outcome: "taken".into(),
                    taken: true,
                });
                return Ok(Resolution {
                    kind: "micromamba",
                    path,
                    version: v,
                    place: place.into(),
                    tried,
                });
            }
            Err(why) => tried.push(Tried {
                place: place.into(),
                path,
                version: None,
                outcome: format!("skipped: {why}"),
                taken: false,
            }),
        }
    }
    Err(NotFound { tried })
}

/// `micromamba --version` prints a bare version ("2.0.5").
pub fn version(binary: &Path) -> Result<String, String> {
    let out = Command::new(binary)
        .arg("--version")
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("does not run ({e})"))?;
    if !out.status.success() {
        return Err(format!(
            "`--version` failed ({})",
            crate::tasks::describe_status(out.status)
        ));
    }
    let text = String::from_utf8_lossy(&out.stdout);
    let v = text.lines().next().unwrap_or("").trim().to_string();
    if v.is_empty() || !v.starts_with(|c: char| c.is_ascii_digit()) {
        return Err(format!("`--version` printed no version ({v:?})"));
    }
    Ok(v)
}
