//! The Log pane: the running and past tasks (the ring itself is `tui::log`).

pub mod keys;
pub mod search;
pub mod view;

#[cfg(test)]
mod tests;
