//! Thin wrappers over the operating system: files, locks, processes, terminals.
//! Nothing here knows about Python or pyve's policies.

pub mod envvar;
pub mod fs;
pub mod http;
pub mod platform;
pub mod probe;
pub mod process;
pub mod term;
pub mod tree;
pub mod watchdog;
