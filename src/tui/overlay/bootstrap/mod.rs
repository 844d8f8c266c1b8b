//! The Bootstrap wizard (`b`): the four options of the original pyve (project sandbox,
//! user sandbox, system package manager, abort), then a download's checklist with its
//! progress bar. `state` is what it holds, `keys` how it opens and answers keys, `view`
//! how it draws.

pub mod keys;
pub mod state;
pub mod view;

#[cfg(test)]
mod tests;
