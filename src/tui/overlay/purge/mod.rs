//! The Purge confirmation (`p`): the paths `purge` would remove, and `y` to remove
//! them. `state` is what it holds, `keys` how it opens and answers keys, `view` how it
//! draws.

pub mod keys;
pub mod state;
pub mod view;

#[cfg(test)]
mod tests;
