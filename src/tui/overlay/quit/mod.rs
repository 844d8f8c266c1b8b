//! The Quit confirmation: `q` while a task runs asks first. It holds nothing (the
//! variant `Overlay::QuitConfirm` is its state); `keys` answers, `view` draws.

pub mod keys;
pub mod view;

#[cfg(test)]
mod tests;
