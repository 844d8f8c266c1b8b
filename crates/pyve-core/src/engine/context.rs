//! Everything a command needs to know about the project before it acts: the root, the
//! validated config, the spec files, the backend decision and which env it targets.
//! Loading it reads a handful of small files and spawns nothing.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::config::{self, Config};
use super::detect::{self, Detection};
use super::project::{Project, SpecFiles};
use super::resolve::{self, PythonRequest};
use super::state::{self, EnvRecord, EnvState};
use super::{BackendKind, Result, envname, envs};

/// What the command line says, above the config.
#[derive(Clone, Debug, Default)]
pub struct Overrides {
    /// `--env NAME`: which of the project's envs (engine::envs).
    pub env: Option<String>,
    /// `init --env NAME` may name an env that does not exist yet.
    pub creating: bool,
    pub backend: Option<BackendKind>,
    /// `--env-name NAME`: the micromamba env's own name.
    pub env_name: Option<String>,
    pub python_version: Option<String>,
    /// `--channel`, added after the config's channels.
    pub channels: Vec<String>,
}

#[derive(Clone, Debug)]
pub struct Context {
    pub project: Project,
    pub pyve_home: PathBuf,
    /// The config the selected env sees (engine::envs::config_of).
    pub config: Config,
    /// `.pyve/config` as a whole: every env.
    pub whole: Config,
    /// Which env this command works on, and who chose it.
    pub env: envs::Selected,
    pub specs: SpecFiles,
    pub detection: Detection,
    pub overrides: Overrides,
}

/// The env a command works on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EnvTarget {
    pub backend: BackendKind,
    /// The state file's name: `venv` for the venv, the env name for micromamba.
    pub key: String,
    /// As users call it: `.venv`, or the micromamba env name.
    pub name: String,
    pub prefix: PathBuf,
}

impl Context {
    /// Finds the project from `start` and loads it.
    pub fn load(start: &Path, overrides: Overrides) -> Result<Context> {
        for c in &overrides.channels {
            config::check_channel(c)
                .map_err(|why| super::Error::Usage(format!("--channel: {why}")))?;
        }
        let pyve_home = super::project::pyve_home();
        let project = Project::discover(start, &pyve_home);
        let whole = config::load(&project.root)?;
        let var = std::env::var(envs::VAR).ok();
        let env = envs::select(
            &whole,
            overrides.env.as_deref(),
            var.as_deref(),
            overrides.creating,
        )
        .map_err(|e| {
            let fix = match &e {
                envs::SelectError::Unknown { name, .. } => {
                    super::fix::Fix::Init(super::fix::InitFix {
                        env: Some(name.clone()),
                        ..Default::default()
                    })
                }
                envs::SelectError::Invalid { .. } => {
                    super::fix::Fix::edit(".pyve/config", Some("envs"))
                }
            };
            super::Error::Usage(e.to_string()).with_fix(fix)
        })?;
        let ctx = Context::with_env(project, pyve_home, whole, env, overrides);
        if !ctx.whole.envs.is_empty() {
            ctx.check_envs_apart()?;
        }
        Ok(ctx)
    }

    fn with_env(
        project: Project,
        pyve_home: PathBuf,
        whole: Config,
        env: envs::Selected,
        overrides: Overrides,
    ) -> Context {
        let specs = project.spec_files();
        let (config, detection) = env_view(&whole, &env, &overrides, &specs);
        Context {
            project,
            pyve_home,
            config,
            whole,
            env,
            specs,
            detection,
            overrides,
        }
    }

    /// The same project with env `name` selected, without this command's flags
    /// (they were given for the env it works on, not for the others). Nothing is read
    /// again: the config and the spec files are this context's.
    pub fn for_env(&self, name: &str) -> Context {
        let env = envs::Selected {
            name: name.to_string(),
            source: envs::Source::Flag,
            defined: envs::names(&self.whole).iter().any(|n| n == name),
        };
        let overrides = Overrides::default();
        let (config, detection) = env_view(&self.whole, &env, &overrides, &self.specs);
        Context {
            project: self.project.clone(),
            pyve_home: self.pyve_home.clone(),
            config,
            whole: self.whole.clone(),
            env,
            specs: self.specs.clone(),
            detection,
            overrides,
        }
    }

    /// Every env of the project, the selected one as this context has it.
    pub fn all_envs(&self) -> Vec<Context> {
        envs::names(&self.whole)
            .iter()
            .map(|n| {
                if *n == self.env.name {
                    self.clone()
                } else {
                    self.for_env(n)
                }
            })
            .collect()
    }

    /// No two envs share a directory, nor does one hold another: then building,
    /// purging or breaking one never touches another (an unusable env name is left
    /// for the command that uses that env to report).
    fn check_envs_apart(&self) -> Result<()> {
        let targets: Vec<(String, PathBuf, BackendKind)> = self
            .all_envs()
            .iter()
            .filter_map(|c| {
                let t = c.target().ok()?;
                Some((c.env.name.clone(), t.prefix, t.backend))
            })
            .collect();
        for (i, (a, pa, _)) in targets.iter().enumerate() {
            for (b, pb, kind) in &targets[i + 1..] {
                if pa.starts_with(pb) || pb.starts_with(pa) {
                    // The later env moves: its directory key.
                    let key = match kind {
                        BackendKind::Venv => "venv.directory",
                        BackendKind::Micromamba => "micromamba.prefix",
                    };
                    return Err(super::Error::Usage(format!(
                        "envs `{a}` and `{b}` would share {}: each env needs its own directory",
                        self.project
                            .display(if pa.starts_with(pb) { pb } else { pa })
                    ))
                    .with_fix(super::fix::Fix::edit(
                        ".pyve/config",
                        Some(&format!("envs.{b}.{key}")),
                    )));
                }
            }
        }
        Ok(())
    }

    pub fn backend(&self) -> BackendKind {
        self.detection.backend
    }

    /// `venv.directory`, else `.venv` for the default env and `.pyve/envs/NAME` for a
    /// named one.
    pub fn venv_dir(&self) -> PathBuf {
        match &self.config.venv_directory {
            Some(d) => self.project.root.join(d),
            None if self.env.is_default() => self.project.root.join(".venv"),
            None => self.project.envs_dir().join(&self.env.name),
        }
    }

    /// The env name for micromamba: `--env-name`, else `micromamba.env_name`, else (the
    /// default env) the env file's `name:`, else the project directory's name,
    /// sanitized; a named env is called by its own name.
    pub fn micromamba_env_name(&self) -> Result<(String, &'static str)> {
        if let Some(n) = &self.overrides.env_name {
            return Ok((envname::sanitize(n)?, "--env-name"));
        }
        if let Some(n) = &self.config.micromamba.env_name {
            return Ok((n.clone(), ".pyve/config"));
        }
        if !self.env.is_default() {
            return Ok((self.env.name.clone(), "--env"));
        }
        for f in ["environment.yml", "environment.yaml"] {
            if let Some(name) = env_file_name(&self.project.root.join(f))
                && let Ok(n) = envname::sanitize(&name)
            {
                return Ok((n, "env file"));
            }
        }
        let dir = self.project.dir_name();
        let name = envname::sanitize(&dir).map_err(|m| {
            super::Error::Usage(format!("{m} (derived from the project directory)")).with_fix(
                super::fix::Fix::Init(super::fix::InitFix {
                    choose_env_name: true,
                    ..Default::default()
                }),
            )
        })?;
        Ok((name, "project directory"))
    }

    pub fn target(&self) -> Result<EnvTarget> {
        match self.backend() {
            BackendKind::Venv => {
                let prefix = self.venv_dir();
                Ok(EnvTarget {
                    backend: BackendKind::Venv,
                    key: self.state_key("venv"),
                    name: self.project.display(&prefix).into_owned(),
                    prefix,
                })
            }
            BackendKind::Micromamba => {
                let (name, _) = self.micromamba_env_name()?;
                let prefix = match &self.config.micromamba.prefix {
                    Some(p) => self.project.root.join(p),
                    None => self.project.envs_dir().join(&name),
                };
                Ok(EnvTarget {
                    backend: BackendKind::Micromamba,
                    key: self.state_key(&name),
                    name,
                    prefix,
                })
            }
        }
    }

    /// The state file's name: the default env's as it always was (`venv`, or the
    /// micromamba env name); a named env's is `@NAME`, which no env name can be, so
    /// two envs never share a record.
    fn state_key(&self, default_key: &str) -> String {
        if self.env.is_default() {
            default_key.to_string()
        } else {
            format!("@{}", self.env.name)
        }
    }

    pub fn python_request(&self) -> Result<Option<PythonRequest>> {
        Ok(self.python_choice()?.request)
    }

    /// The python request with where it was read from, the project's
    /// `requires-python`, and the warning when a pin violates it (docs/detection.md).
    pub fn python_choice(&self) -> Result<resolve::PythonChoice> {
        Ok(resolve::python_choice(
            self.overrides.python_version.as_deref(),
            self.config.python_version.as_deref(),
            &self.project.root,
            &resolve::RequestEnv::from_env(),
        )?)
    }

    /// The inputs of a venv: the requirements file and the files it includes
    /// (`includes`: engine::includes), the python request, and pyproject.toml when the
    /// project itself is installed into the env.
    pub fn venv_inputs(
        &self,
        request: Option<&PythonRequest>,
        editable: bool,
        deps_skipped: bool,
        includes: &[String],
    ) -> BTreeMap<String, String> {
        let root = &self.project.root;
        let mut inputs = BTreeMap::new();
        let (k, v) = state::file_input(root, "requirements.txt");
        inputs.insert(k, v);
        inputs.extend(includes.iter().map(|f| state::include_input(root, f)));
        // `--no-install-deps` left requirements.txt out: the env must not pass for
        // one that has it installed.
        if deps_skipped {
            inputs.insert("deps".into(), "skipped".into());
        }
        if editable {
            let (k, v) = state::file_input(root, "pyproject.toml");
            inputs.insert(k, v);
        }
        inputs.insert(
            "python".into(),
            request
                .map(|r| r.version.clone())
                .unwrap_or_else(|| "unspecified".into()),
        );
        inputs
    }

    /// The target env's state, judged without spawning anything.
    pub fn env_state(&self, target: &EnvTarget) -> Result<EnvState> {
        let request = match target.backend {
            BackendKind::Venv => self.python_request()?,
            BackendKind::Micromamba => None,
        };
        Ok(state::evaluate(
            &self.project,
            &self.pyve_home,
            &target.key,
            target.backend,
            &target.prefix,
            |record: Option<&EnvRecord>| {
                // The files the spec included when the env was built: while none of
                // them and no spec file changed, the includes are the same, so judging
                // a ready env parses nothing (a new `-r` changes its file's hash).
                let included: Vec<String> = record
                    .map(|r| state::recorded_includes(r).map(str::to_string).collect())
                    .unwrap_or_default();
                match target.backend {
                    BackendKind::Venv => {
                        let editable =
                            record.is_some_and(|r| r.inputs.contains_key("file:pyproject.toml"));
                        let skipped = record.is_some_and(|r| r.inputs.contains_key("deps"));
                        self.venv_inputs(request.as_ref(), editable, skipped, &included)
                    }
                    BackendKind::Micromamba => self.micromamba_inputs(),
                }
            },
        ))
    }
}

impl Context {
    /// The channels micromamba calls get: the config's, then `--channel`, in order.
    pub fn channels(&self) -> Vec<String> {
        let mut out = self.config.micromamba.channels.clone();
        for c in &self.overrides.channels {
            if !out.contains(c) {
                out.push(c.clone());
            }
        }
        out
    }

    /// The env file micromamba builds from, and why that one.
    pub fn env_file(&self) -> Option<(PathBuf, &'static str)> {
        super::micromamba::env_file(
            &self.project.root,
            self.config.micromamba.env_file.as_deref(),
        )
    }

    /// The inputs of a micromamba env: which env file, its content, the channels.
    pub fn micromamba_inputs(&self) -> BTreeMap<String, String> {
        let mut inputs = BTreeMap::new();
        if let Some((file, _)) = self.env_file() {
            let name = file.to_string_lossy().into_owned();
            let (k, v) = state::file_input(&self.project.root, &name);
            inputs.insert(k, v);
            inputs.insert("env_file".into(), name);
        }
        inputs.insert("channels".into(), self.channels().join(","));
        inputs
    }
}

impl Context {
    /// The files the env's spec includes now (a venv's requirements.txt, `-r`/`-c`
    /// followed), with notes on the references left out: what a build records.
    pub fn includes_now(&self) -> super::includes::Included {
        match self.backend() {
            BackendKind::Venv => {
                super::includes::of_requirements(&self.project.root, "requirements.txt")
            }
            BackendKind::Micromamba => super::includes::Included::default(),
        }
    }
}

/// The config env `env` sees and the backend decision it makes, from the whole file,
/// the flags and the spec files present.
fn env_view(
    whole: &Config,
    env: &envs::Selected,
    overrides: &Overrides,
    specs: &SpecFiles,
) -> (Config, Detection) {
    let config = envs::config_of(whole, &env.name);
    let detection = detect::detect_from(
        overrides.backend,
        config.backend,
        config.source_name(),
        specs,
    );
    (config, detection)
}

/// The `name:` of a conda environment file, read without caring about the rest.
pub fn env_file_name(path: &Path) -> Option<String> {
    #[derive(serde::Deserialize)]
    struct NameOnly {
        name: Option<String>,
    }
    let text = crate::sys::fs::read_text(path, crate::sys::fs::FILE_CAP).ok()?;
    let parsed: Option<NameOnly> = serde_saphyr::from_str(&text).ok()?;
    parsed?.name.filter(|n| !n.trim().is_empty())
}

/// The tool the backend needs, resolved: what status, doctor and the TUI's Tools pane
/// all show. micromamba's version comes from the cache (no process when unchanged).
#[derive(Clone, Debug)]
pub struct ToolStatus {
    pub kind: &'static str,
    /// python only: the version asked for and by whom.
    pub request: Option<PythonRequest>,
    pub found: Option<super::resolve::Resolution>,
    /// Every place looked at, found or not.
    pub tried: Vec<super::resolve::Tried>,
    /// Why nothing was found, with what to do (the install or bootstrap command).
    pub error: Option<String>,
    /// What fixes a missing tool, in words.
    pub fix: Option<String>,
    /// The same, as data: the install command, or the bootstrap.
    pub action: Option<super::fix::Fix>,
    /// python not found: the versions that do exist.
    pub others: Vec<String>,
}

impl Context {
    pub fn resolve_tool(&self) -> ToolStatus {
        self.resolve_tool_for(self.backend())
    }

    pub fn resolve_tool_for(&self, backend: BackendKind) -> ToolStatus {
        let (kind, request, result) = match backend {
            BackendKind::Venv => {
                let request = self.python_request().ok().flatten();
                let result =
                    resolve::resolve_python(request.as_ref(), &resolve::Lookup::from_env())
                        .map_err(|e| ToolMissing {
                            error: e.to_string(),
                            fix: e.install_hint.clone(),
                            action: super::fix::Fix::shell(e.install_command.clone()),
                            others: e.found.clone(),
                            tried: e.tried,
                        });
                ("python", request, result)
            }
            BackendKind::Micromamba => {
                let path = std::env::var_os("PATH").unwrap_or_default();
                let result = super::micromamba::resolve_cached(
                    &self.project.sandbox_micromamba(),
                    &self.pyve_home,
                    &path,
                )
                .map_err(|nf| ToolMissing {
                    tried: nf.tried,
                    error: "micromamba not found".into(),
                    fix: "`pyve bootstrap` (or `pyve init --auto-bootstrap`) installs it into .pyve/bin"
                        .into(),
                    action: super::fix::Fix::Bootstrap,
                    others: vec![],
                });
                ("micromamba", None, result)
            }
        };
        match result {
            Ok(r) => ToolStatus {
                kind,
                request,
                tried: r.tried.clone(),
                found: Some(r),
                error: None,
                fix: None,
                action: None,
                others: vec![],
            },
            Err(m) => ToolStatus {
                kind,
                request,
                tried: m.tried,
                found: None,
                error: Some(m.error),
                fix: Some(m.fix),
                action: Some(m.action),
                others: m.others,
            },
        }
    }
}

/// Why the backend's tool was not found, and what gets it.
struct ToolMissing {
    tried: Vec<super::resolve::Tried>,
    error: String,
    fix: String,
    action: super::fix::Fix,
    others: Vec<String>,
}
