//! The Purge confirmation's state: the paths `purge` would remove, once listed.

use std::path::PathBuf;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PurgeItemView {
    pub path: PathBuf,
    pub shown: String,
    pub what: String,
    pub is_link: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PurgeConfirm {
    /// `None` while the list loads.
    pub items: Option<Result<Vec<PurgeItemView>, String>>,
}
