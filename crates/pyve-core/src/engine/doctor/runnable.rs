//! `runnable`: the env's python starts (one bounded process, cached by the
//! interpreter's identity), the env is where its scripts say it is, and a venv's base
//! python is still there and the same.

use super::{Check, CheckId, Options, Status};
use crate::engine::context::{Context, EnvTarget};
use crate::engine::fix::Fix;
use crate::engine::state::EnvState;
use crate::engine::{BackendKind, micromamba, probe, venv};

pub fn check(ctx: &Context, target: &EnvTarget, state: &EnvState, opts: Options) -> Check {
    let new = |status, label: String| Check::new(CheckId::Runnable, status, label);
    if state.record().is_none() {
        return new(Status::Skip, "Runs: no environment".into());
    }
    let prefix = &target.prefix;
    if target.backend == BackendKind::Micromamba && micromamba::conda_python(prefix).is_none() {
        return new(Status::Skip, "Runs: no python in the env".into());
    }
    if let Some(old) = probe::moved(prefix) {
        return new(
            Status::Fail,
            format!(
                "Runs: the env was moved: its scripts still point to {}",
                old.display()
            ),
        )
        .fix(
            Fix::rebuild(),
            "`pyve init --force` rebuilds it where it is",
        );
    }
    if target.backend == BackendKind::Venv
        && let Some(gone) = probe::base_python_gone(prefix)
    {
        return new(
            Status::Fail,
            format!("Runs: the venv's base python is gone ({})", gone.display()),
        )
        .fix(
            Fix::rebuild(),
            "`pyve init --force` rebuilds the venv from a python that exists",
        );
    }
    if !opts.probe {
        return new(Status::Skip, "Runs: not probed (--no-probe)".into());
    }
    let python = match target.backend {
        BackendKind::Venv => venv::venv_python(prefix),
        BackendKind::Micromamba => crate::sys::platform::conda_python(prefix),
    };
    let answer = probe::python(&python, prefix, &ctx.pyve_home);
    let how = if answer.cached {
        "cached probe (the interpreter is unchanged)".to_string()
    } else {
        format!("probed in {} ms", answer.elapsed.as_millis())
    };
    let p = match answer.result {
        Ok(p) => p,
        Err(e) => {
            return new(Status::Fail, format!("Runs: python {e}"))
                .detail(python.display().to_string())
                .fix(Fix::rebuild(), "`pyve init --force` rebuilds the env");
        }
    };
    if target.backend == BackendKind::Venv
        && let Some(built) = venv::pyvenv_version(prefix)
        && built != p.version
    {
        let minor = |v: &str| v.split('.').take(2).collect::<Vec<_>>().join(".");
        let c = if minor(&built) != minor(&p.version) {
            new(
                Status::Fail,
                format!(
                    "Runs: the base python is now {}, the venv was built with {built} (its packages are not seen)",
                    p.version
                ),
            )
        } else {
            new(
                Status::Warn,
                format!(
                    "Runs: the base python was upgraded from {built} to {}",
                    p.version
                ),
            )
        };
        return c.detail(how).fix(
            Fix::rebuild(),
            "`pyve init --force` rebuilds the venv on it",
        );
    }
    let pip_script = crate::sys::platform::venv_bin(prefix)
        .join(crate::sys::platform::exe("pip"))
        .exists();
    if pip_script && !p.pip {
        return new(
            Status::Warn,
            format!(
                "Runs: python {} starts, but its pip is not importable",
                p.version
            ),
        )
        .detail(how)
        .fix(Fix::rebuild(), "`pyve init --force` reinstalls it");
    }
    new(
        Status::Ok,
        format!(
            "Runs: python {} starts{}",
            p.version,
            if pip_script { ", pip too" } else { "" }
        ),
    )
    .detail(how)
}
