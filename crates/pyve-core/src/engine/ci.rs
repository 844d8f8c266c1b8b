//! `pyve ci github|gitlab|docker`: a ready CI workflow or Dockerfile for the project.
//!
//! Every file runs the same commands ([`commands`]) — install pyve, `pyve init
//! --auto-bootstrap --no-input`, `pyve doctor`, the project's test command through
//! `pyve run` — and keeps `$PYVE_HOME` (micromamba's package cache, pyve's records)
//! between runs: the CI's cache, or a BuildKit cache mount for the package cache.
//! docs/ci.md describes them; a test reads it and the generated files and compares.

use std::path::Path;

/// Which file to print.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CiTarget {
    /// `.github/workflows/pyve.yml`.
    Github,
    /// `.gitlab-ci.yml`.
    Gitlab,
    /// `Dockerfile`.
    Docker,
}

impl CiTarget {
    /// Where the printed file usually lives in the project.
    pub fn file_name(self) -> &'static str {
        match self {
            CiTarget::Github => ".github/workflows/pyve.yml",
            CiTarget::Gitlab => ".gitlab-ci.yml",
            CiTarget::Docker => "Dockerfile",
        }
    }
}

/// What the generated file runs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CiRequest {
    /// The shell command that installs pyve (default [`default_install`]).
    pub install: String,
    /// The command `pyve run` runs, as words (default [`DEFAULT_RUN`]).
    pub run: Vec<String>,
    /// The spec files the cache key hashes (those the project has, see [`key_files`]).
    pub key_files: Vec<String>,
}

/// The install line when none is given: this pyve's version, so CI runs what the
/// developer runs.
pub fn default_install() -> String {
    format!("cargo install --locked pyve@{}", env!("CARGO_PKG_VERSION"))
}

/// The test command when none is given.
pub const DEFAULT_RUN: &[&str] = &["python", "-m", "pytest"];

/// The files whose content decides the env, in the order pyve reads them.
const SPEC_FILES: &[&str] = &[
    "conda-lock.yml",
    "environment.yml",
    "requirements.txt",
    "pyproject.toml",
    ".pyve/config",
];

/// The spec files `root` holds (regular files only; nothing is read), or all of them
/// when it holds none, so the key still changes when one appears.
pub fn key_files(root: &Path) -> Vec<String> {
    let have: Vec<String> = SPEC_FILES
        .iter()
        .filter(|f| std::fs::symlink_metadata(root.join(f)).is_ok_and(|m| m.file_type().is_file()))
        .map(|f| f.to_string())
        .collect();
    if have.is_empty() {
        SPEC_FILES.iter().map(|f| f.to_string()).collect()
    } else {
        have
    }
}

/// The commands every generated file runs, in order.
pub fn commands(req: &CiRequest) -> Vec<String> {
    vec![
        req.install.clone(),
        "pyve init --auto-bootstrap --no-input".to_string(),
        "pyve doctor".to_string(),
        format!("pyve run {}", shell_line(&req.run)),
    ]
}

/// The file for `target`.
pub fn render(target: CiTarget, req: &CiRequest) -> String {
    match target {
        CiTarget::Github => github(req),
        CiTarget::Gitlab => gitlab(req),
        CiTarget::Docker => docker(req),
    }
}

/// A YAML double-quoted scalar.
fn quoted(s: &str) -> String {
    serde_json::to_string(s).expect("a string serialises")
}

fn github(req: &CiRequest) -> String {
    let [install, init, doctor, run] = four(req);
    let files: Vec<String> = req.key_files.iter().map(|f| format!("'{f}'")).collect();
    format!(
        "# {file}: made by `pyve ci github` (docs/ci.md)
name: pyve
on:
  push:
  pull_request:
jobs:
  test:
    runs-on: ubuntu-latest
    env:
      # pyve's user level: micromamba's package cache, pyve's records. Cached below.
      PYVE_HOME: ${{{{ github.workspace }}}}/.pyve-home
    steps:
      - uses: actions/checkout@v4
      - name: Cache $PYVE_HOME
        uses: actions/cache@v4
        with:
          path: ${{{{ github.workspace }}}}/.pyve-home
          key: pyve-${{{{ runner.os }}}}-${{{{ hashFiles({files}) }}}}
          restore-keys: pyve-${{{{ runner.os }}}}-
      - name: Install pyve
        run: {install}
      - name: Create the env
        run: {init}
      - name: Check it
        run: {doctor}
      - name: Test
        run: {run}
",
        file = CiTarget::Github.file_name(),
        files = files.join(", "),
        install = quoted(&install),
        init = quoted(&init),
        doctor = quoted(&doctor),
        run = quoted(&run),
    )
}

fn gitlab(req: &CiRequest) -> String {
    let [install, init, doctor, run] = four(req);
    // GitLab hashes at most two files into a key.
    let files: Vec<String> = req.key_files.iter().take(2).map(|f| quoted(f)).collect();
    format!(
        "# {file}: made by `pyve ci gitlab` (docs/ci.md)
test:
  # A python for venv projects (micromamba projects bring their own).
  image: python:3
  variables:
    # pyve's user level: micromamba's package cache, pyve's records. GitLab caches
    # paths inside the project only.
    PYVE_HOME: $CI_PROJECT_DIR/.pyve-home
  cache:
    key:
      files: [{files}]
      prefix: pyve
    paths:
      - .pyve-home/
  before_script:
    - curl --proto '=https' -sSf https://sh.rustup.rs | sh -s -- -y --profile minimal
    - . \"$HOME/.cargo/env\"
    - {install}
  script:
    - {init}
    - {doctor}
    - {run}
",
        file = CiTarget::Gitlab.file_name(),
        files = files.join(", "),
        install = quoted(&install),
        init = quoted(&init),
        doctor = quoted(&doctor),
        run = quoted(&run),
    )
}

fn docker(req: &CiRequest) -> String {
    let [install, init, doctor, _] = four(req);
    let run_json: Vec<String> = ["pyve".to_string(), "run".to_string()]
        .iter()
        .chain(&req.run)
        .map(|w| quoted(w))
        .collect();
    format!(
        "# syntax=docker/dockerfile:1
# {file}: made by `pyve ci docker` (docs/ci.md)
FROM rust:1 AS pyve
RUN {install}

FROM python:3-slim
COPY --from=pyve /usr/local/cargo/bin/pyve /usr/local/bin/pyve
# pyve's user level stays in the image (its records prove the env is pyve's);
# micromamba's package cache is a build cache, not part of it.
ENV PYVE_HOME=/opt/pyve
WORKDIR /app
COPY . .
RUN --mount=type=cache,target=/opt/pyve/mamba/pkgs --mount=type=cache,target=/root/.cache/pip {init}
RUN {doctor}
CMD [{run}]
",
        file = CiTarget::Docker.file_name(),
        run = run_json.join(", "),
    )
}

fn four(req: &CiRequest) -> [String; 4] {
    let c = commands(req);
    [c[0].clone(), c[1].clone(), c[2].clone(), c[3].clone()]
}

/// Words as a shell reads them back.
fn shell_line(words: &[String]) -> String {
    words
        .iter()
        .map(|w| super::step::shell_word(w))
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req() -> CiRequest {
        CiRequest {
            install: default_install(),
            run: DEFAULT_RUN.iter().map(|w| w.to_string()).collect(),
            key_files: vec!["environment.yml".into()],
        }
    }

    #[test]
    fn every_file_runs_the_four_commands() {
        for t in [CiTarget::Github, CiTarget::Gitlab, CiTarget::Docker] {
            let text = render(t, &req());
            assert!(
                text.contains("pyve init --auto-bootstrap --no-input"),
                "{t:?}"
            );
            assert!(text.contains("pyve doctor"), "{t:?}");
            assert!(text.contains("PYVE_HOME"), "{t:?}");
        }
    }

    #[test]
    fn key_files_are_the_spec_files_present() {
        let t = tempfile::tempdir().unwrap();
        assert_eq!(key_files(t.path()).len(), SPEC_FILES.len());
        std::fs::write(t.path().join("requirements.txt"), "").unwrap();
        assert_eq!(key_files(t.path()), ["requirements.txt"]);
    }
}
