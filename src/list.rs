//! `list`: what a bundle says it holds, without extracting or verifying.
//!
//! Reads the central directory, `docseal.json` and the signature files only,
//! never the payload, so it is fast at any size. Listing is not verifying:
//! the listing carries that notice, and the CLI verifies as well when keys
//! are given.

use std::path::Path;

use serde::Serialize;

use crate::bundle::{OpenBundle, SIGNATURES_DIR};
use crate::container::Limits;
use crate::error::{Error, Result};
use crate::manifest::{BundleManifest, MANIFEST_FILE, MAX_MANIFEST_BYTES};
use crate::minisign::Signature;

/// Name of the JSON listing format.
pub const LIST_FORMAT: &str = "docseal-list";

/// The notice every listing carries.
pub const NOTICE: &str = "listing is not verifying: nothing below has been checked; run docseal verify with the signer's public key";

/// A signature as the bundle states it (unchecked).
#[derive(Clone, Debug, Serialize)]
pub struct ListedSignature {
    /// Key id of the signer.
    pub key_id: String,
    /// The trusted comment (not verified here).
    pub trusted_comment: String,
    /// Its RFC 3161 tokens as they read (not verified here).
    pub timestamps: Vec<crate::timestamp::ListedToken>,
}

/// What a bundle says it holds.
#[derive(Clone, Debug, Serialize)]
pub struct Listing {
    /// Always [`LIST_FORMAT`].
    pub format: &'static str,
    /// Format version (1).
    pub format_version: u32,
    /// The bundle as named.
    pub bundle: String,
    /// Always false: a listing checks nothing.
    pub verified: bool,
    /// [`NOTICE`].
    pub notice: &'static str,
    /// Signatures found, unchecked.
    pub signatures: Vec<ListedSignature>,
    /// The manifest as stored.
    pub manifest: BundleManifest,
}

/// Lists the bundle at `path` (a zip, read leniently, or an unpacked folder).
pub fn list(path: &Path, limits: &Limits) -> Result<Listing> {
    let bad = |problem: String| Error::Bundle {
        path: path.to_path_buf(),
        problem,
    };
    let b = OpenBundle::open(path, true, limits)
        .map_err(|e| bad(format!("[{}] {}", e.code, e.message)))?;
    let mf = b
        .find(MANIFEST_FILE)
        .ok_or_else(|| bad(format!("no {MANIFEST_FILE}; not a docseal bundle")))?;
    let bytes = b
        .read_small(mf, MAX_MANIFEST_BYTES)
        .map_err(|e| bad(format!("{MANIFEST_FILE}: {e}")))?;
    let manifest =
        BundleManifest::parse(&bytes).map_err(|e| bad(format!("{MANIFEST_FILE}: {e}")))?;
    let mut signatures = Vec::new();
    let prefix = format!("{SIGNATURES_DIR}/");
    for f in b
        .files
        .iter()
        .filter(|f| f.rel.starts_with(&prefix) && f.rel.ends_with(".minisig"))
    {
        let text = b
            .read_small(f, crate::keys::MAX_KEY_FILE)
            .ok()
            .and_then(|t| String::from_utf8(t).ok());
        if let Some(sig) = text.and_then(|t| Signature::parse(&t).ok()) {
            signatures.push(ListedSignature {
                key_id: sig.key_id.to_string(),
                trusted_comment: sig.trusted_comment.clone(),
                timestamps: crate::verify_timestamps::list_tokens(&b, sig.key_id),
            });
        }
    }
    Ok(Listing {
        format: LIST_FORMAT,
        format_version: 1,
        bundle: path.display().to_string(),
        verified: false,
        notice: NOTICE,
        signatures,
        manifest,
    })
}
