//! Hostile input, end to end through the CLI: one test per attack class of
//! docs/SECURITY.md, each building the malicious input itself and
//! asserting the specific finding code (or error line and exit code) that
//! stops it. Zip-level cases already covered by `src/container/tests_*.rs`
//! and `tamper.rs` are repeated here only as whole bundles.

mod container;
mod inputs;
mod keys;
pub(crate) mod kit;
mod limits;
mod manifests;
mod outputs;
mod paths;
mod props;
mod terminal;
