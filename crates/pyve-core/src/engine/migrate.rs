//! `pyve migrate`: the spec file of the other backend, written from this one's
//! (docs/migrate.md, decision 0026). Pure conversion: `requirements.txt` and
//! pyproject's `[project] dependencies` to an `environment.yml`, and an env file's
//! dependencies back to a `requirements.txt`. Nothing is dropped without a word: what
//! has no conda form goes under `pip:` (and is listed), what has no PyPI form is written
//! as a comment (and listed as an incompatibility).

use std::path::{Path, PathBuf};

use super::BackendKind;
use super::context::Context;
use super::{Error, Result};

/// PyPI name (PEP 503 form) → conda name, for the packages known to be on conda-forge.
/// Where the names differ this is the only way to know; where they agree the entry says
/// the package is there at all. Documented in docs/migrate.md.
pub const CONDA_NAMES: &[(&str, &str)] = &[
    ("torch", "pytorch"),
    ("tables", "pytables"),
    ("opencv-python", "opencv"),
    ("msgpack", "msgpack-python"),
    ("graphviz", "python-graphviz"),
    ("psycopg2-binary", "psycopg2"),
    ("numpy", "numpy"),
    ("scipy", "scipy"),
    ("pandas", "pandas"),
    ("matplotlib", "matplotlib"),
    ("scikit-learn", "scikit-learn"),
    ("pyyaml", "pyyaml"),
    ("pillow", "pillow"),
    ("requests", "requests"),
    ("six", "six"),
    ("packaging", "packaging"),
    ("pytest", "pytest"),
];

/// The packages an env has that are not PyPI packages of that name: the interpreter and
/// its installer (a venv has both), said once, never listed as lost.
const TOOLING: &[&str] = &["python", "pip"];

/// A file `migrate` would write, and what it could not carry over.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MigratePlan {
    pub from: BackendKind,
    pub to: BackendKind,
    /// Relative to the project root.
    pub file: PathBuf,
    pub content: String,
    /// Already there: only `--yes` replaces it.
    pub exists: bool,
    /// To micromamba: requirements kept under `pip:` (no conda name known, or extras,
    /// markers, URLs, options). To venv: conda-only packages, written as comments.
    pub not_mapped: Vec<String>,
    /// What else a user should know (build strings left out, the python pin).
    pub notes: Vec<String>,
}

/// One requirement line of requirements.txt or pyproject, split as far as conda needs.
struct PipReq<'a> {
    line: &'a str,
    name: &'a str,
    /// The version part, when it is plain comparisons (`>=1.26,<2`).
    version: Option<&'a str>,
    /// Extras, a marker, a URL, an option: it can only stay a pip requirement.
    pip_only: bool,
}

fn split_pip(line: &str) -> PipReq<'_> {
    let end = line
        .find(|c: char| !(c.is_ascii_alphanumeric() || "._-".contains(c)))
        .unwrap_or(line.len());
    let (name, rest) = line.split_at(end);
    let rest = rest.trim();
    let plain = |v: &str| {
        v.split(',').all(|part| {
            let p = part.trim();
            ["==", ">=", "<=", "!=", ">", "<"]
                .iter()
                .any(|op| p.starts_with(op) && !p.starts_with("==="))
                && p.trim_start_matches(['=', '>', '<', '!'])
                    .trim()
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || ".*+".contains(c))
        })
    };
    let version = (!rest.is_empty()).then_some(rest);
    PipReq {
        line,
        name,
        version,
        pip_only: name.is_empty() || version.is_some_and(|v| !plain(v)),
    }
}

/// The requirements of a venv project: requirements.txt's lines (comments and blank
/// lines left out), then pyproject's `[project] dependencies`.
pub fn pip_requirements(root: &Path) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let read = |f: &str| crate::sys::fs::read_text(&root.join(f), crate::sys::fs::FILE_CAP).ok();
    if let Some(text) = read("requirements.txt") {
        for l in text.lines() {
            let l = l.split(" #").next().unwrap_or("").trim();
            if !l.is_empty() && !l.starts_with('#') {
                out.push(l.to_string());
            }
        }
    }
    for d in super::venv_spec::pyproject(root).dependencies {
        if !out.contains(&d) {
            out.push(d);
        }
    }
    out
}

/// A YAML scalar for a list item: plain when safe, double-quoted otherwise.
fn yaml_item(s: &str) -> String {
    let plain = s
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "._-=<>!*,/".contains(c))
        && !s.starts_with(['-', '*', '!', '>', '<', '='])
        && !s.is_empty();
    if plain {
        s.to_string()
    } else {
        serde_json::to_string(s).expect("a string serialises")
    }
}

/// `environment.yml` from pip requirements.
pub fn to_environment(
    name: &str,
    python: Option<&str>,
    channels: &[String],
    reqs: &[String],
) -> (String, Vec<String>) {
    let mut conda = Vec::new();
    let mut pip = Vec::new();
    let mut not_mapped = Vec::new();
    for line in reqs {
        let r = split_pip(line);
        let canon = super::spec::pep503(r.name);
        let mapped = CONDA_NAMES.iter().find(|(p, _)| *p == canon);
        match mapped {
            Some((_, conda_name)) if !r.pip_only => {
                conda.push(format!("{conda_name}{}", r.version.unwrap_or("")));
            }
            _ => {
                pip.push(r.line.to_string());
                not_mapped.push(r.line.to_string());
            }
        }
    }
    let channels: Vec<String> = if channels.is_empty() {
        vec!["conda-forge".into()]
    } else {
        channels.to_vec()
    };
    let mut out = String::from("# written by `pyve migrate --from venv --to micromamba`\n");
    out.push_str(&format!("name: {}\nchannels:\n", yaml_item(name)));
    for c in &channels {
        out.push_str(&format!("  - {}\n", yaml_item(c)));
    }
    out.push_str("dependencies:\n");
    match python {
        Some(v) => out.push_str(&format!("  - python={v}\n")),
        None => out.push_str("  - python\n"),
    }
    out.push_str("  - pip\n");
    for c in &conda {
        out.push_str(&format!("  - {}\n", yaml_item(c)));
    }
    if !pip.is_empty() {
        out.push_str("  - pip:\n");
        for p in &pip {
            out.push_str(&format!("      - {}\n", yaml_item(p)));
        }
    }
    (out, not_mapped)
}

/// A conda spec as pip writes it: `numpy=1.26` → `numpy==1.26.*`, `six 1.16.*` →
/// `six==1.16.*`; `None` for the version when there is none. A build string is left
/// out (pip has none), and said.
fn conda_to_pip(spec: &str) -> (String, String, Option<String>) {
    let spec = spec.rsplit("::").next().unwrap_or(spec).trim();
    let end = spec
        .find(|c: char| !(c.is_ascii_alphanumeric() || "._-".contains(c)))
        .unwrap_or(spec.len());
    let (name, rest) = spec.split_at(end);
    let rest = rest.trim();
    let mut note = None;
    let version = if rest.is_empty() {
        String::new()
    } else if let Some(v) = rest.strip_prefix("==") {
        format!("=={v}")
    } else if let Some(v) = rest.strip_prefix('=') {
        let (v, build) = v.split_once('=').map_or((v, None), |(a, b)| (a, Some(b)));
        if let Some(b) = build {
            note = Some(format!(
                "{name}: build string `{b}` left out (pip has none)"
            ));
        }
        if v.ends_with('*') {
            format!("=={v}")
        } else {
            format!("=={v}.*")
        }
    } else if rest.starts_with(['>', '<', '!']) {
        rest.replace(' ', "")
    } else {
        // `six 1.16.*`: a version after a space.
        let (v, build) = rest
            .split_once(' ')
            .map_or((rest, None), |(a, b)| (a, Some(b)));
        if let Some(b) = build {
            note = Some(format!(
                "{name}: build string `{b}` left out (pip has none)"
            ));
        }
        format!("=={v}")
    };
    (name.to_string(), version, note)
}

/// `requirements.txt` from an env file's dependencies.
pub fn to_requirements(env_file: &str, text: &str) -> Result<(String, Vec<String>, Vec<String>)> {
    #[derive(serde::Deserialize)]
    struct EnvFile {
        dependencies: Option<Vec<Dep>>,
    }
    #[derive(serde::Deserialize)]
    #[serde(untagged)]
    enum Dep {
        Conda(String),
        Pip { pip: Vec<String> },
    }
    let doc: Option<EnvFile> = serde_saphyr::from_str(text)
        .map_err(|e| Error::Config(super::config::yaml_error(env_file, &e)))?;
    let deps = doc.and_then(|d| d.dependencies).unwrap_or_default();
    let mut reqs = Vec::new();
    let mut pip = Vec::new();
    let mut conda_only = Vec::new();
    let mut notes = Vec::new();
    for d in deps {
        match d {
            Dep::Pip { pip: p } => pip.extend(p),
            Dep::Conda(spec) => {
                let (name, version, note) = conda_to_pip(&spec);
                let lower = name.to_ascii_lowercase();
                if TOOLING.contains(&lower.as_str()) {
                    continue;
                }
                match CONDA_NAMES.iter().find(|(_, c)| *c == lower) {
                    Some((pypi, _)) => {
                        reqs.push(format!("{pypi}{version}"));
                        notes.extend(note);
                    }
                    None => conda_only.push(spec.trim().to_string()),
                }
            }
        }
    }
    let mut out =
        format!("# written by `pyve migrate --from micromamba --to venv` from {env_file}\n");
    for r in reqs.iter().chain(&pip) {
        out.push_str(r);
        out.push('\n');
    }
    if !conda_only.is_empty() {
        out.push_str(
            "# conda packages with no PyPI name pyve knows (docs/migrate.md); install them another way:\n",
        );
        for c in &conda_only {
            out.push_str(&format!("# conda-only: {c}\n"));
        }
    }
    Ok((out, conda_only, notes))
}

/// What `pyve migrate --from FROM --to TO` would write here.
pub fn plan(ctx: &Context, from: BackendKind, to: BackendKind) -> Result<MigratePlan> {
    // The spec files are the project's, and so is the top-level env they describe: a
    // named env has no spec file of its own to convert.
    if !ctx.env.is_default() {
        return Err(Error::Usage(format!(
            "pyve migrate converts the top-level env, and env `{}` is selected (by {}): run it as `{}={} pyve migrate …`",
            ctx.env.name,
            ctx.env.source.describe(),
            super::envs::VAR,
            super::envs::DEFAULT,
        )));
    }
    let mut plan = convert(ctx, from, to)?;
    plan.notes.extend(followers(ctx, &plan));
    Ok(plan)
}

/// The named envs with no backend of their own whose backend the new spec file changes
/// (they follow the spec files, as the top-level env did): said before it is written.
fn followers(ctx: &Context, plan: &MigratePlan) -> Vec<String> {
    let mut after = ctx.specs.clone();
    match plan.to {
        BackendKind::Micromamba if !after.conda.contains(&"environment.yml") => {
            after.conda.push("environment.yml")
        }
        BackendKind::Venv if !after.pip.contains(&"requirements.txt") => {
            after.pip.push("requirements.txt")
        }
        _ => {}
    }
    ctx.all_envs()
        .into_iter()
        .filter(|env| !env.env.is_default() && env.config.backend.is_none())
        .filter_map(|env| {
            let now = env.backend();
            let then =
                super::detect::detect_from(None, None, env.config.source_name(), &after).backend;
            (now != then).then(|| {
                format!(
                    "env `{name}` has no backend of its own and follows the spec files: with {file} it becomes a {then} env (`envs.{name}.backend: {now}` in .pyve/config keeps it a {now})",
                    name = env.env.name,
                    file = plan.file.display(),
                )
            })
        })
        .collect()
}

/// The other backend's spec file, from this one's.
fn convert(ctx: &Context, from: BackendKind, to: BackendKind) -> Result<MigratePlan> {
    let root = &ctx.project.root;
    let exists = |f: &str| std::fs::symlink_metadata(root.join(f)).is_ok();
    match (from, to) {
        (BackendKind::Venv, BackendKind::Micromamba) => {
            let reqs = pip_requirements(root);
            if reqs.is_empty() && !exists("requirements.txt") && !exists("pyproject.toml") {
                return Err(Error::Missing(format!(
                    "nothing to migrate: no requirements.txt or pyproject.toml in {}",
                    root.display()
                )));
            }
            let name = super::envname::sanitize(&ctx.project.dir_name())
                .unwrap_or_else(|_| "env".to_string());
            let python = ctx
                .python_choice()
                .ok()
                .and_then(|c| c.request)
                .map(|r| r.version)
                .filter(|v| super::config::is_version_request(v));
            let (content, not_mapped) = to_environment(
                &name,
                python.as_deref(),
                &ctx.config.micromamba.channels,
                &reqs,
            );
            let mut notes = Vec::new();
            if let Some(v) = &python {
                notes.push(format!("python={v}: the version this project asks for"));
            }
            Ok(MigratePlan {
                from,
                to,
                file: "environment.yml".into(),
                content,
                exists: exists("environment.yml"),
                not_mapped,
                notes,
            })
        }
        (BackendKind::Micromamba, BackendKind::Venv) => {
            let file = ["environment.yml", "environment.yaml"]
                .into_iter()
                .find(|f| exists(f))
                .ok_or_else(|| {
                    Error::Missing(format!(
                        "nothing to migrate: no environment.yml in {}",
                        root.display()
                    ))
                })?;
            let text = crate::sys::fs::read_text(&root.join(file), crate::sys::fs::FILE_CAP)
                .map_err(|e| Error::Usage(format!("cannot read {file}: {e}")))?;
            let (content, conda_only, notes) = to_requirements(file, &text)?;
            Ok(MigratePlan {
                from,
                to,
                file: "requirements.txt".into(),
                content,
                exists: exists("requirements.txt"),
                not_mapped: conda_only,
                notes,
            })
        }
        _ => Err(Error::Usage(format!(
            "--from {from} --to {to}: nothing to migrate; the two must differ (venv → micromamba, micromamba → venv)"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pip_requirements_become_conda_specs_or_stay_pip() {
        let reqs: Vec<String> = [
            "numpy>=1.26",
            "torch==2.1",
            "PyYAML",
            "rich[jupyter]>=13",
            "importlib-metadata; python_version < \"3.10\"",
            "attrs",
            "scipy~=1.11",
            "-e .",
        ]
        .map(String::from)
        .to_vec();
        let (text, not_mapped) = to_environment("demo", Some("3.11"), &[], &reqs);
        assert!(text.contains("  - python=3.11\n  - pip\n  - numpy>=1.26\n  - pytorch==2.1\n  - pyyaml\n  - pip:\n"), "{text}");
        assert_eq!(
            not_mapped,
            [
                "rich[jupyter]>=13",
                "importlib-metadata; python_version < \"3.10\"",
                "attrs",
                "scipy~=1.11",
                "-e ."
            ]
        );
        // It is YAML that reads back as written.
        let v: serde_json::Value = serde_saphyr::from_str(&text).unwrap();
        assert_eq!(
            v["dependencies"][5]["pip"][1],
            "importlib-metadata; python_version < \"3.10\""
        );
    }

    #[test]
    fn conda_specs_become_pip_requirements_or_comments() {
        let yml = "dependencies:\n  - python=3.11\n  - pip\n  - conda-forge::numpy=1.26\n  - pytorch>=2\n  - six 1.16.* pyh_0\n  - cudatoolkit=11.8\n  - pip:\n    - rich[jupyter]>=13\n";
        let (text, conda_only, notes) = to_requirements("environment.yml", yml).unwrap();
        assert_eq!(
            text.lines().skip(1).collect::<Vec<_>>(),
            [
                "numpy==1.26.*",
                "torch>=2",
                "six==1.16.*",
                "rich[jupyter]>=13",
                "# conda packages with no PyPI name pyve knows (docs/migrate.md); install them another way:",
                "# conda-only: cudatoolkit=11.8",
            ]
        );
        assert_eq!(conda_only, ["cudatoolkit=11.8"]);
        assert_eq!(notes, ["six: build string `pyh_0` left out (pip has none)"]);
    }
}
