//! Help (`?`): every key, drawn from the binding tables. Its state is its scroll
//! offset (`Overlay::Help { scroll }`); `keys` scrolls and closes it, `view` draws it.

pub mod keys;
pub mod view;

#[cfg(test)]
mod tests;
