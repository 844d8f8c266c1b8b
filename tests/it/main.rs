//! pyve's integration tests, one crate: each module runs the real `pyve` binary (or the
//! micromamba test double, or conda-lock) against temp projects; `common` is the shared
//! scaffolding, `http_server` the loopback server for the bootstrap, `pty` pyve in a
//! pseudo-terminal.

mod common;
mod http_server;
mod pty;

mod bootstrap;
mod channels;
mod ci;
mod cli;
mod concurrency;
mod config_errors;
mod conventions;
mod crash;
mod detection;
mod docs;
mod doctor;
mod doctor_fix;
mod doctor_heals;
mod environments;
mod existing_venvs;
mod git_hygiene;
mod hostile;
mod includes;
mod interrupted;
mod layers;
mod lock;
mod micromamba;
mod micromamba_double;
mod migrate;
mod original_pyve;
mod platforms;
mod purge;
mod python_choice;
mod resolution;
mod run;
mod run_sync;
mod shells;
mod spec_files;
mod tui_pty;
mod venv;
