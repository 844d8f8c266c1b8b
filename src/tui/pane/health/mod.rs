//! The Health pane: doctor's checks, and Enter on one runs its fix.

pub mod fix;
pub mod keys;
pub mod view;

#[cfg(test)]
mod tests;
