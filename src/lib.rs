//! docseal: signed, hash-manifested, canonical BagIt bundles of a statement
//! and the sources it cites.
//!
//! The library holds all logic; the `docseal` binary only parses the command
//! line, calls one function here, renders the result or the error once, and
//! exits with the documented code ([`error::exit`]). See `docs/FORMAT.md`
//! for the bundle format and `docs/SECURITY.md` for the threat model.
//!
//! Modules by responsibility:
//! - names and formats: [`bagpath`], [`bagit`], [`manifest`], [`description`], [`minisign`], [`container`];
//! - operations: [`scan`] + [`pack`], [`verify`] (+ [`verify_citations`]), [`list`], [`extract`], [`cosign`], [`history`];
//! - results: [`report`], [`render`], [`error`]; plumbing: [`output`], [`keys`], [`progress`], [`time`];
//! - quotations: [`citations`].

#![forbid(unsafe_code)]
#![warn(missing_docs)]
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]

pub mod bagit;
pub mod bagpath;
pub mod bundle;
pub mod citations;
pub mod container;
pub mod cosign;
pub mod description;
pub mod error;
pub mod extract;
pub mod hashing;
pub mod history;
pub mod keys;
pub mod list;
pub mod manifest;
pub mod minisign;
pub mod output;
pub mod pack;
pub mod progress;
pub mod render;
pub mod report;
pub mod scan;
pub mod stamp;
pub mod time;
pub mod timestamp;
pub mod verify;
pub mod verify_citations;
pub mod verify_timestamps;

pub use error::{Error, Result};
