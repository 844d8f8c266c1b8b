//! Backend selection (docs/detection.md): a pure function of the flag, the config and the
//! spec files present, returning the decision together with why it was made.

use serde::Serialize;

use super::BackendKind;
use super::project::SpecFiles;

/// The level of the backend-selection precedence that decided.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DecisionSource {
    Flag,
    Config,
    CondaSpec,
    PipSpec,
    Default,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum NoteLevel {
    Info,
    Warning,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Note {
    pub level: NoteLevel,
    pub message: String,
}

impl Note {
    fn warning(message: String) -> Note {
        Note {
            level: NoteLevel::Warning,
            message,
        }
    }
}

/// The decision, as every face shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Detection {
    #[serde(rename = "name")]
    pub backend: BackendKind,
    pub source: DecisionSource,
    /// What spoke: `--backend micromamba`, `.pyve/config`, or the spec files.
    pub evidence: Vec<String>,
    pub notes: Vec<Note>,
    /// Both a conda and a pip spec with nothing explicit: interactive `init` asks.
    #[serde(skip)]
    pub ambiguous: bool,
}

impl Detection {
    /// "micromamba — from environment.yml", "venv — default (no spec file)".
    pub fn summary(&self) -> String {
        let why = match self.source {
            DecisionSource::Flag => format!("from {}", self.evidence.join(", ")),
            DecisionSource::Config => format!("from {}", self.evidence.join(", ")),
            DecisionSource::CondaSpec | DecisionSource::PipSpec => {
                format!("from {}", self.evidence.join(", "))
            }
            DecisionSource::Default => "default (no spec file)".to_string(),
        };
        format!("{} — {why}", self.backend)
    }

    pub fn warnings(&self) -> impl Iterator<Item = &Note> {
        self.notes.iter().filter(|n| n.level == NoteLevel::Warning)
    }
}

/// Applies the precedence: flag → config → conda spec → pip spec → default.
pub fn detect(
    flag: Option<BackendKind>,
    config: Option<BackendKind>,
    specs: &SpecFiles,
) -> Detection {
    detect_from(flag, config, ".pyve/config", specs)
}

/// [`detect`], the config read from `config_file` (`.pyve/config`, or the original
/// pyve's `pyve.toml`).
pub fn detect_from(
    flag: Option<BackendKind>,
    config: Option<BackendKind>,
    config_file: &str,
    specs: &SpecFiles,
) -> Detection {
    let conda: Vec<String> = specs.conda.iter().map(|s| s.to_string()).collect();
    let pip: Vec<String> = specs.pip.iter().map(|s| s.to_string()).collect();
    let mut notes = Vec::new();
    let (backend, source, evidence) = if let Some(b) = flag {
        (b, DecisionSource::Flag, vec![format!("--backend {b}")])
    } else if let Some(b) = config {
        (b, DecisionSource::Config, vec![config_file.to_string()])
    } else if !conda.is_empty() {
        (
            BackendKind::Micromamba,
            DecisionSource::CondaSpec,
            conda.clone(),
        )
    } else if !pip.is_empty() {
        (BackendKind::Venv, DecisionSource::PipSpec, pip.clone())
    } else {
        (BackendKind::Venv, DecisionSource::Default, vec![])
    };

    let ambiguous = source == DecisionSource::CondaSpec && !pip.is_empty();
    if ambiguous {
        notes.push(Note::warning(format!(
            "both a conda spec ({}) and a pip spec ({}) are present; using micromamba. Make it explicit with `pyve init --backend micromamba` or `pyve init --backend venv` (written to .pyve/config)",
            conda.join(", "),
            pip.join(", ")
        )));
    }
    if backend == BackendKind::Venv && !conda.is_empty() {
        notes.push(Note::warning(format!(
            "venv chosen ({}) although {} exists: its conda packages will not be installed",
            if source == DecisionSource::Flag {
                "by --backend".to_string()
            } else {
                format!("by {config_file}")
            },
            conda.join(", ")
        )));
    }
    if source == DecisionSource::Default {
        notes.push(Note {
            level: NoteLevel::Info,
            message: "no spec file in the project root: a plain venv; add requirements.txt or pyproject.toml to install dependencies".into(),
        });
    }
    if backend == BackendKind::Micromamba && conda.is_empty() {
        notes.push(Note::warning(
            "micromamba chosen but no environment.yml, environment.yaml or conda-lock.yml in the project root: `pyve init` needs one".to_string(),
        ));
    }
    Detection {
        backend,
        source,
        evidence,
        notes,
        ambiguous,
    }
}

#[cfg(test)]
mod tests {
    use super::BackendKind::{Micromamba, Venv};
    use super::DecisionSource::*;
    use super::*;

    fn specs(conda: &[&'static str], pip: &[&'static str]) -> SpecFiles {
        SpecFiles {
            conda: conda.to_vec(),
            pip: pip.to_vec(),
        }
    }

    /// flag, config, conda specs, pip specs → backend, source, evidence, warnings.
    type Case = (
        Option<BackendKind>,
        Option<BackendKind>,
        &'static [&'static str],
        &'static [&'static str],
        BackendKind,
        DecisionSource,
        Vec<&'static str>,
        usize,
    );

    /// Every precedence level, and every way the levels can disagree.
    #[test]
    fn detection_matrix() {
        let env = &["environment.yml"][..];
        let lock = &["conda-lock.yml"][..];
        let yaml = &["environment.yaml"][..];
        let req = &["requirements.txt"][..];
        let pyp = &["pyproject.toml"][..];
        let both_pip = &["pyproject.toml", "requirements.txt"][..];
        #[rustfmt::skip]
        let cases: Vec<Case> = vec![
            // flag beats everything
            (Some(Venv), Some(Micromamba), env, req, Venv, Flag, vec!["--backend venv"], 1),
            (Some(Micromamba), Some(Venv), &[], req, Micromamba, Flag, vec!["--backend micromamba"], 1),
            (Some(Micromamba), None, env, &[], Micromamba, Flag, vec!["--backend micromamba"], 0),
            // config beats spec files
            (None, Some(Venv), env, &[], Venv, Config, vec![".pyve/config"], 1),
            (None, Some(Micromamba), &[], pyp, Micromamba, Config, vec![".pyve/config"], 1),
            (None, Some(Venv), &[], req, Venv, Config, vec![".pyve/config"], 0),
            // conda spec beats pip spec, with a warning when both exist
            (None, None, env, &[], Micromamba, CondaSpec, vec!["environment.yml"], 0),
            (None, None, yaml, &[], Micromamba, CondaSpec, vec!["environment.yaml"], 0),
            (None, None, lock, &[], Micromamba, CondaSpec, vec!["conda-lock.yml"], 0),
            (None, None, env, req, Micromamba, CondaSpec, vec!["environment.yml"], 1),
            (None, None, lock, both_pip, Micromamba, CondaSpec, vec!["conda-lock.yml"], 1),
            // pip spec
            (None, None, &[], req, Venv, PipSpec, vec!["requirements.txt"], 0),
            (None, None, &[], pyp, Venv, PipSpec, vec!["pyproject.toml"], 0),
            (None, None, &[], both_pip, Venv, PipSpec, vec!["pyproject.toml", "requirements.txt"], 0),
            // default
            (None, None, &[], &[], Venv, Default, vec![], 0),
        ];
        for (flag, config, conda, pip, backend, source, evidence, warnings) in cases {
            let d = detect(flag, config, &specs(conda, pip));
            let label = format!("flag={flag:?} config={config:?} conda={conda:?} pip={pip:?}");
            assert_eq!(d.backend, backend, "{label}");
            assert_eq!(d.source, source, "{label}");
            assert_eq!(d.evidence, evidence, "{label}");
            assert_eq!(d.warnings().count(), warnings, "{label}: {:?}", d.notes);
        }
    }

    #[test]
    fn conflicting_specs_warning_names_both_files_and_the_fix() {
        let d = detect(
            None,
            None,
            &specs(&["environment.yml"], &["requirements.txt"]),
        );
        assert!(d.ambiguous);
        let w = &d.notes[0].message;
        assert!(
            w.contains("environment.yml") && w.contains("requirements.txt"),
            "{w}"
        );
        assert!(w.contains("pyve init --backend micromamba"), "{w}");
        assert_eq!(d.summary(), "micromamba — from environment.yml");
    }

    #[test]
    fn explicit_venv_with_conda_spec_warns_packages_are_not_installed() {
        let d = detect(Some(Venv), None, &specs(&["environment.yml"], &[]));
        assert!(!d.ambiguous);
        assert!(d.notes[0].message.contains("will not be installed"));
        assert_eq!(d.summary(), "venv — from --backend venv");
        assert_eq!(
            detect(None, None, &specs(&[], &[])).summary(),
            "venv — default (no spec file)"
        );
    }
}
