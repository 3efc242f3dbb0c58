//! docseal: signed, hash-manifested, canonical BagIt bundles of a statement
//! and the sources it cites.
//!
//! The library holds all logic; the `docseal` binary only parses the command
//! line, calls one function here, renders the result or the error once, and
//! exits with the documented code ([`error::exit`]). See `docs/FORMAT.md`
//! for the bundle format and `docs/SECURITY.md` for the threat model.
//!
//! The verification core (`--no-default-features`) needs no file system,
//! threads or clock and builds for `wasm32-unknown-unknown`; the `cli`
//! feature (default) adds what a machine offers: reading folders and key
//! files, packing, extracting, co-signing, histories, parallel hashing.
//!
//! Modules by responsibility:
//! - names and formats: [`bagpath`], [`bagit`], [`manifest`], [`description`], [`minisign`], [`container`];
//! - operations: [`scan`] + [`pack`], [`verify`] (one file per check; + [`verify_citations`]), [`list`], [`extract`], [`cosign`], [`history`], [`bagcheck`] (any BagIt bag), [`stamp`], [`verify_timestamps`];
//! - trusted time: [`timestamp`] (RFC 3161 tokens, pure; its HTTP client with `cli`);
//! - results: [`report`], [`render`], [`escape`], [`error`]; plumbing: [`output`], [`interrupt`], [`keys`], [`progress`], [`time`];
//! - quotations: [`citations`].

#![forbid(unsafe_code)]
#![warn(missing_docs)]
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]

#[cfg(feature = "cli")]
pub mod annotate;
pub mod bagcheck;
pub mod bagit;
pub mod bagpath;
pub mod bundle;
pub mod citations;
pub mod container;
#[cfg(feature = "cli")]
pub mod cosign;
pub mod description;
pub mod error;
pub mod escape;
#[cfg(feature = "cli")]
pub mod extract;
pub mod hashing;
#[cfg(feature = "cli")]
pub mod history;
#[cfg(feature = "cli")]
pub mod interrupt;
#[cfg(feature = "cli")]
pub mod keys;
#[cfg(feature = "cli")]
pub mod list;
#[cfg(feature = "cli")]
pub mod list_citations;
pub mod litter;
pub mod manifest;
pub mod minisign;
#[cfg(feature = "cli")]
pub mod output;
#[cfg(feature = "cli")]
pub mod pack;
pub mod pair;
pub mod progress;
pub mod render;
pub mod render_html;
pub mod report;
#[cfg(feature = "cli")]
pub mod scan;
#[cfg(feature = "cli")]
pub mod stamp;
pub mod time;
pub mod timestamp;
pub mod verify;
pub mod verify_citations;
pub mod verify_timestamps;
pub mod worddiff;

pub use error::{Error, Result};
