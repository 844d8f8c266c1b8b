//! What proves that pyve made an env, in a way a cloned repository cannot forge.
//!
//! When a build begins, pyve draws a random token and writes it twice: into the
//! project (the `.creating` marker, then the state record) and under
//! `$PYVE_HOME/owned/`, in a claim named after the env's prefix path. An env is
//! pyve's when both agree. A clone carries the project's files — markers, state
//! records, whatever it likes — but not the user's `$PYVE_HOME`, and it cannot guess a
//! token drawn on this machine. Without a matching claim pyve refuses to delete, rebuild
//! over, or run in the env, and says why (docs/security.md).

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// A claim under `$PYVE_HOME/owned/`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
struct Claim {
    prefix: PathBuf,
    token: String,
}

fn claims_dir(pyve_home: &Path) -> PathBuf {
    pyve_home.join("owned")
}

/// The claim file for `prefix`: a hash of its absolute path (a path may hold anything).
fn claim_name(prefix: &Path) -> String {
    format!("{}.json", crate::sys::fs::path_key(prefix))
}

/// Draws a new token for `prefix` and records the claim; returns the token to write
/// into the project.
pub fn claim(pyve_home: &Path, prefix: &Path) -> std::io::Result<String> {
    let token = crate::sys::tree::random_token();
    let json = serde_json::to_vec(&Claim {
        prefix: prefix.to_path_buf(),
        token: token.clone(),
    })
    .map_err(std::io::Error::other)?;
    let tree = crate::sys::tree::Tree::open_or_create(pyve_home)?;
    tree.write(&Path::new("owned").join(claim_name(prefix)), &json)?;
    Ok(token)
}

/// The token pyve drew on this machine for `prefix`, if it ever began a build there.
pub fn token(pyve_home: &Path, prefix: &Path) -> Option<String> {
    let path = claims_dir(pyve_home).join(claim_name(prefix));
    let bytes = crate::sys::fs::read_bounded(&path, 4096).ok()?;
    let claim: Claim = serde_json::from_slice(&bytes).ok()?;
    (claim.prefix == prefix).then_some(claim.token)
}

/// True when the project's `token` (from a marker or a state record) is the one pyve
/// drew for `prefix` on this machine.
pub fn proven(pyve_home: &Path, prefix: &Path, token: Option<&str>) -> bool {
    match (token, self::token(pyve_home, prefix)) {
        (Some(t), Some(mine)) => !t.is_empty() && t == mine,
        _ => false,
    }
}

/// Forgets the claim on `prefix` (after pyve removed the env).
pub fn forget(pyve_home: &Path, prefix: &Path) {
    if let Ok(tree) = crate::sys::tree::Tree::open(pyve_home) {
        let _ = tree.remove_file(&Path::new("owned").join(claim_name(prefix)));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_claim_proves_only_its_own_token_and_prefix() {
        let home = tempfile::tempdir().unwrap();
        let prefix = Path::new("/p/.venv");
        assert!(!proven(home.path(), prefix, Some("anything")));
        let t = claim(home.path(), prefix).unwrap();
        assert_eq!(t.len(), 32);
        assert!(proven(home.path(), prefix, Some(&t)));
        assert!(!proven(home.path(), prefix, Some("forged")));
        assert!(!proven(home.path(), prefix, Some("")));
        assert!(!proven(home.path(), prefix, None));
        assert!(!proven(home.path(), Path::new("/p/src"), Some(&t)));
        // A new build draws a new token: the old one no longer proves anything.
        let t2 = claim(home.path(), prefix).unwrap();
        assert_ne!(t, t2);
        assert!(!proven(home.path(), prefix, Some(&t)));
        forget(home.path(), prefix);
        assert!(!proven(home.path(), prefix, Some(&t2)));
    }
}
