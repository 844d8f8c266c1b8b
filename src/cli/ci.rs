//! `pyve ci github|gitlab|docker`: prints a ready CI workflow or Dockerfile
//! (`pyve_core::engine::ci`); writes nothing.

use clap::{Args, ValueEnum};

use super::Global;
use pyve_core::engine::ci::{self, CiRequest, CiTarget};
use pyve_core::engine::{Error, ExitStatus, Result};

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum CiArg {
    /// A GitHub Actions workflow (.github/workflows/pyve.yml).
    Github,
    /// A GitLab CI file (.gitlab-ci.yml).
    Gitlab,
    /// A Dockerfile.
    Docker,
}

#[derive(Debug, Args)]
pub struct CiArgs {
    /// What to print.
    #[arg(value_enum, value_name = "KIND")]
    pub kind: CiArg,
    /// The shell command that installs pyve (default: `cargo install --locked pyve@VERSION`).
    #[arg(long, value_name = "CMD")]
    pub install: Option<String>,
    /// The command the file runs in the env (default: python -m pytest).
    #[arg(
        last = true,
        value_name = "CMD",
        allow_hyphen_values = true,
        num_args = 0..
    )]
    pub run: Vec<String>,
}

pub fn run(g: &Global, args: CiArgs) -> Result<ExitStatus> {
    let target = match args.kind {
        CiArg::Github => CiTarget::Github,
        CiArg::Gitlab => CiTarget::Gitlab,
        CiArg::Docker => CiTarget::Docker,
    };
    let install = match args.install {
        Some(cmd) if cmd.trim().is_empty() || cmd.contains(['\n', '\r']) => {
            return Err(Error::Usage(
                "--install needs one line of shell, e.g. --install 'cargo install --locked pyve'"
                    .into(),
            ));
        }
        Some(cmd) => cmd,
        None => ci::default_install(),
    };
    let run = if args.run.is_empty() {
        ci::DEFAULT_RUN.iter().map(|w| w.to_string()).collect()
    } else {
        args.run
    };
    // The cache key hashes the spec files the project has (only their names are looked at).
    let project = pyve_core::engine::project::Project::discover(
        &g.start,
        &pyve_core::engine::project::pyve_home(),
    );
    let root = project.root;
    let req = CiRequest {
        install,
        run,
        key_files: ci::key_files(&root),
    };
    print!("{}", ci::render(target, &req));
    g.out.info(&format!("save it as {}", target.file_name()));
    Ok(ExitStatus::Ok)
}
