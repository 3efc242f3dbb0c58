//! `list`: what a bundle says it holds, without extracting or verifying.
//!
//! Reads the central directory, `docseal.json` and the signature files only,
//! never the payload, so it is fast at any size. Listing is not verifying:
//! the listing carries that notice, and the CLI verifies as well when keys
//! are given.

use std::path::Path;

use std::fmt::Write;

use serde::Serialize;

use crate::bundle::{OpenBundle, SIGNATURES_DIR};
use crate::container::Limits;
use crate::error::{Error, Result};
use crate::manifest::{BundleManifest, MANIFEST_FILE, MAX_MANIFEST_BYTES};
use crate::minisign::Signature;
use crate::report::escape;

/// Name of the JSON listing format.
pub const LIST_FORMAT: &str = "docseal-list";

/// The notice every listing carries.
pub const NOTICE: &str = "listing is not verifying: nothing below has been checked; run docseal verify with the signer's public key";

/// The `$id` of the listing's JSON Schema (docs/schema/list-report.schema.json).
pub const LIST_SCHEMA: &str = "urn:docseal:schema:list-report:2";

/// The JSON document of `docseal list --json`: the listing and, when keys
/// were given, the verify report (the same structure `verify --json` writes).
#[derive(Serialize)]
pub struct ListReport<'a> {
    /// Always [`LIST_SCHEMA`].
    pub schema: &'static str,
    /// Always [`LIST_FORMAT`].
    pub format: &'static str,
    /// 2.
    pub format_version: u32,
    /// What the bundle says it holds.
    pub listing: &'a Listing,
    /// The verification, when keys were given; null otherwise.
    pub verification: Option<&'a crate::report::Report>,
}

impl ListReport<'_> {
    /// The JSON document (one object, a trailing newline).
    pub fn to_json(&self) -> String {
        crate::escape::to_json_pretty(self)
    }
}

/// A signature as the bundle states it (unchecked).
#[derive(Clone, Debug, Serialize)]
pub struct ListedSignature {
    /// The signature file, bag-relative (as in the verify report).
    pub file: String,
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
    crate::verify::bundle_file(path)?;
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
                file: f.rel.clone(),
                key_id: sig.key_id.to_string(),
                trusted_comment: sig.trusted_comment.clone(),
                timestamps: crate::verify_timestamps::list_tokens(&b, sig.key_id),
            });
        }
    }
    Ok(Listing {
        format: LIST_FORMAT,
        format_version: 2,
        bundle: path.display().to_string(),
        verified: false,
        notice: NOTICE,
        signatures,
        manifest,
    })
}

/// The human listing; `notice` opens it with [`NOTICE`] (left out when a
/// verification follows).
pub fn list_text(l: &Listing, citations: bool, notice: bool) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "docseal list {}", escape(&l.bundle));
    if notice {
        let _ = writeln!(s, "NOTE: {}", l.notice);
    }
    let id = &l.manifest.bundle;
    let _ = writeln!(
        s,
        "bundle     {} version {}",
        escape(&id.identifier),
        id.version
    );
    let _ = writeln!(s, "created    {}", escape(&id.created));
    if let Some(t) = &id.title {
        let _ = writeln!(s, "title      {}", escape(t));
    }
    if let Some(st) = &l.manifest.statement {
        let authors: Vec<String> = st
            .authors
            .iter()
            .map(|a| escape(&a.name).into_owned())
            .collect();
        let _ = writeln!(
            s,
            "statement  {} by {}",
            escape(&st.title),
            authors.join(", ")
        );
    }
    if let Some(b) = &l.manifest.base {
        let _ = writeln!(
            s,
            "notes on   {} version {} (tag manifest {}): an archivist's notes bundle",
            escape(&b.identifier),
            b.version,
            escape(&b.tagmanifest_sha256)
        );
    }
    if let Some(sup) = &id.supersedes {
        let _ = writeln!(
            s,
            "supersedes version {} (tag manifest {})",
            sup.version,
            escape(&sup.tagmanifest_sha256)
        );
    }
    for sig in &l.signatures {
        let _ = writeln!(
            s,
            "signer     {}  \"{}\"",
            sig.key_id,
            escape(&sig.trusted_comment)
        );
        for t in &sig.timestamps {
            let what = match (&t.gen_time, &t.tsa, &t.problem) {
                (Some(g), Some(by), _) => format!("{g} by {by} (not verified)"),
                (_, _, Some(p)) => format!("unreadable: {p}"),
                _ => "unreadable".to_owned(),
            };
            let _ = writeln!(s, "  timestamp  {}  {}", t.file, escape(&what));
        }
    }
    let _ = writeln!(s, "files ({}):", l.manifest.files.len());
    // Looked up by path, not searched per file: a bundle may describe
    // thousands of sources.
    let urls: std::collections::HashMap<&str, &str> = l
        .manifest
        .statement
        .iter()
        .filter_map(|st| Some((st.path.as_str(), st.original_url.as_deref()?)))
        .chain(
            l.manifest
                .sources
                .iter()
                .filter_map(|src| Some((src.path.as_str(), src.original_url.as_deref()?))),
        )
        .collect();
    for f in &l.manifest.files {
        let url = urls.get(f.path.as_str());
        let _ = writeln!(
            s,
            "  {:<10} {:>10}  {}  {}",
            f.role.as_str(),
            f.size,
            f.sha256,
            escape(f.path.as_str())
        );
        let _ = writeln!(s, "  {:<10} {:>10}  title: {}", "", "", escape(&f.title));
        if let Some(u) = url {
            let _ = writeln!(s, "  {:<10} {:>10}  from:  {}", "", "", escape(u));
        }
    }
    if citations {
        // Without the texts: `list_citations::text` shows them with context.
        let texts = crate::citations::Texts::default();
        s.push_str(&crate::citations::render::text(&l.manifest, &texts));
    }
    s
}
