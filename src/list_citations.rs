//! `list --citations`: reads the statement and the cited sources from the
//! bundle (unverified, like all of `list`) so the citations can be shown
//! with their context (`citations::render`) or exported as W3C Web
//! Annotations (`citations::w3c`).
//!
//! A text that is missing, too large or not UTF-8 is left out: the
//! listing then shows only the words the manifest records.

use std::collections::BTreeMap;
use std::path::Path;

use sha2::Digest;

use crate::bundle::OpenBundle;
use crate::citations::Texts;
use crate::container::Limits;
use crate::error::{Error, Result};
use crate::manifest::BundleManifest;

/// The largest text read for a listing.
const MAX_TEXT_BYTES: u64 = 64 << 20;

/// The statement and every source a citation names, as far as readable.
pub fn texts(path: &Path, m: &BundleManifest, limits: &Limits) -> Result<Texts> {
    let b = OpenBundle::open(path, true, limits).map_err(|e| Error::Bundle {
        path: path.to_path_buf(),
        problem: format!("[{}] {}", e.code, e.message),
    })?;
    let read = |p: &str| -> Option<String> {
        let f = b.find(p)?;
        String::from_utf8(b.read_small(f, MAX_TEXT_BYTES).ok()?).ok()
    };
    let statement_path = m
        .statement
        .as_ref()
        .map(|s| s.path.clone())
        .unwrap_or_default();
    let statement = read(&statement_path).unwrap_or_default();
    let mut sources = BTreeMap::new();
    for s in &m.sources {
        if m.citations.iter().any(|c| c.sources().any(|id| id == s.id)) {
            if let Some(t) = read(&s.path) {
                sources.insert(s.id.clone(), (s.path.clone(), t));
            }
        }
    }
    Ok(Texts {
        statement_path,
        statement,
        sources,
    })
}

/// For the notes bundle whose manifest is `notes`: the base at `base`
/// (which must be the bundle the notes name, by the SHA-256 of its tag
/// manifest) as a manifest whose citations are the notes', so that the
/// notes list in the context of the base's texts like any citations.
pub fn over_base(base: &Path, notes: &BundleManifest, limits: &Limits) -> Result<BundleManifest> {
    let bad = |problem: String| Error::Bundle {
        path: base.to_path_buf(),
        problem,
    };
    let Some(named) = &notes.base else {
        return Err(Error::Usage(
            "--base is for an archivist's notes bundle; this bundle names no base".into(),
        ));
    };
    let b = OpenBundle::open(base, true, limits)
        .map_err(|e| bad(format!("[{}] {}", e.code, e.message)))?;
    let read = |name: &str| -> Result<Vec<u8>> {
        let f = b
            .find(name)
            .ok_or_else(|| bad(format!("no {name}; not a docseal bundle")))?;
        b.read_small(f, crate::manifest::MAX_MANIFEST_BYTES)
            .map_err(|e| bad(format!("{name}: {e}")))
    };
    let digest = crate::manifest::hex(&sha2::Sha256::digest(read(crate::bundle::TAG_MANIFEST)?));
    if digest != named.tagmanifest_sha256 {
        return Err(bad(format!(
            "is not the bundle these notes are about (its tag manifest is {}, the notes name {})",
            digest.get(..16).unwrap_or_default(),
            named.tagmanifest_sha256.get(..16).unwrap_or_default()
        )));
    }
    let mut m = BundleManifest::parse(&read(crate::manifest::MANIFEST_FILE)?)
        .map_err(|e| bad(format!("{}: {e}", crate::manifest::MANIFEST_FILE)))?;
    m.citations = notes.citations.clone();
    m.quotations = notes.quotations.clone();
    // Marks the view as notes, whose coverage is theirs to choose.
    m.base = notes.base.clone();
    Ok(m)
}

/// The human-readable citations section of `list`.
pub fn text(path: &Path, m: &BundleManifest, limits: &Limits) -> Result<String> {
    Ok(crate::citations::render::text(m, &texts(path, m, limits)?))
}

/// The citations as a W3C Web Annotation collection (JSON-LD).
/// `ns` names the annotations (the bundle's identifier, or the notes
/// bundle's when `m` is a view [`over_base`]).
pub fn w3c(
    path: &Path,
    m: &BundleManifest,
    limits: &Limits,
    ns: &str,
) -> Result<serde_json::Value> {
    let texts = texts(path, m, limits)?;
    Ok(crate::citations::w3c::annotations_in(m, &texts, ns))
}

/// The confusable scan of the statement and of each cited source, with
/// structured positions (for `list --citations --json`).
pub fn confusables(path: &Path, m: &BundleManifest, limits: &Limits) -> Result<serde_json::Value> {
    let t = texts(path, m, limits)?;
    let quoted = crate::citations::quoted_spans(&t.statement).0;
    let max = crate::citations::MAX_CONFUSABLES_LISTED;
    let mut files = vec![serde_json::json!({
        "path": t.statement_path,
        "scan": crate::citations::scan_words(&t.statement, &quoted, max),
    })];
    for (p, text) in t.sources.values() {
        files.push(
            serde_json::json!({ "path": p, "scan": crate::citations::scan_words(text, &[], max) }),
        );
    }
    Ok(serde_json::Value::Array(files))
}
