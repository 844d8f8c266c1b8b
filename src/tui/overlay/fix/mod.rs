//! The Fix plan (`F` on the Health pane): what `pyve doctor --fix` would do — the safe
//! fixes applied together, each rebuild chosen on its own, and what is left to the
//! user — and Enter to apply it through the same fix job as the CLI. `state` is what it
//! holds, `keys` how it opens and answers keys, `view` how it draws.

pub mod keys;
pub mod state;
pub mod view;

#[cfg(test)]
mod tests;
