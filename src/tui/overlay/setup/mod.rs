//! The Setup wizard (`i`, or Enter on a Health check whose fix is `pyve init …`):
//! backend → env name or python version → channels or the install-the-project
//! question → review → `init` as a task. `state` is what it holds, `keys` how it opens
//! and answers keys, `view` how it draws.

pub mod keys;
pub mod state;
pub mod view;

#[cfg(test)]
mod tests;
