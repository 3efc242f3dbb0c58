//! Progress reporting, decoupled from any terminal.
//!
//! The library reports work done through [`Progress`]; the binary decides
//! whether to draw a bar (only on a terminal, never with `--json` or `-q`).

/// Receives progress events from long operations. Implementations must be cheap.
pub trait Progress: Sync {
    /// Work is starting: this many bytes in this many files.
    fn start(&self, _what: &str, _bytes: u64, _files: u64) {}
    /// `bytes` more bytes were processed.
    fn advance(&self, _bytes: u64) {}
    /// The operation finished (successfully or not).
    fn finish(&self) {}
}

/// Reports nothing.
#[derive(Debug, Default, Clone, Copy)]
pub struct Silent;

impl Progress for Silent {}
