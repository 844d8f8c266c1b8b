//! pyve's core: the decisions and the work, without a face.
//!
//! Layers point one way: `jobs` (one per use case) → `tasks` (the async queue) →
//! `engine` (decisions, returning data) → `sys` (the operating system). The binary's
//! faces, the CLI and the TUI, sit on top; nothing here knows clap or ratatui.
//! `tests/it/layers.rs` fails the build's tests on an import that points the wrong way.

pub mod engine;
pub mod jobs;
pub mod sys;
pub mod tasks;
