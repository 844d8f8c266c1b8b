//! HTTP download with progress and sha256. Stub: filled in by the bootstrap work.
