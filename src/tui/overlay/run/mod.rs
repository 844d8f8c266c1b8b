//! The Run prompt (`r` or `:`): a command run in the env as `pyve run` runs it, as a
//! task whose output goes to the Log. `state` is what it holds (and how a line becomes
//! argv), `keys` how it opens and answers keys, `view` how it draws.

pub mod keys;
pub mod state;
pub mod view;

#[cfg(test)]
mod tests;
