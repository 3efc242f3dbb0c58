//! docseal in the browser: the library's verification core behind three
//! wasm-bindgen exports, for the page in `web/` (see `web/README.md`).
//!
//! - [`verify`]: a `File`/`Blob`, an optional key the reader brings, the
//!   `--allow-repacked` flag and a progress callback → the JSON report,
//!   the same document `docseal verify --json` writes, except `program`
//!   (`docseal-web`), `verified_at`, `bundle.path` (the file's name) and
//!   the trusted keys' `origin` and `name`.
//! - [`read_entry`]: one bag file's text, for the page's document viewer.
//! - [`pinned_keys`]: the publisher keys built into the page.
//!
//! Invariant: these run inside a Web Worker (`FileReaderSync`), read the
//! file slice by slice ([`source`]) and never send anything anywhere: the
//! module imports no network API at all.

mod progress;
mod source;

use docseal::minisign::PublicKey;
use docseal::report::{BundleFile, Program};
use docseal::verify::{Context, TrustedKey, VerifyOptions};
use wasm_bindgen::prelude::*;

use progress::JsProgress;
use source::{Blob, BlobSource};

include!(concat!(env!("OUT_DIR"), "/pinned.rs"));

/// Where a pinned key came from, as the report names it.
pub const PINNED_ORIGIN: &str = "pinned in this page";
/// A pinned key's name, as the report names it.
pub const PINNED_NAME: &str = "docseal publisher key pinned in this page";
/// Where (and who) a key the reader brought is, as the report names it.
pub const PROVIDED: &str = "a key you provided";

/// Largest document [`read_entry`] shows.
const MAX_TEXT: u64 = 8 * 1024 * 1024;

/// The pinned keys, then the reader's own key (a `.pub` file's text or its
/// base64 line) unless it is one of them.
fn trusted_keys(extra: Option<&str>) -> Result<Vec<TrustedKey>, String> {
    let mut keys = Vec::new();
    for text in PINNED {
        let key = PublicKey::parse(text).map_err(|e| format!("a pinned key is broken: {e}"))?;
        keys.push(TrustedKey {
            key,
            origin: PINNED_ORIGIN.to_owned(),
            name: PINNED_NAME.to_owned(),
        });
    }
    let Some(text) = extra.map(str::trim).filter(|t| !t.is_empty()) else {
        return Ok(keys);
    };
    let key = if text.contains('\n') {
        PublicKey::parse(text)
    } else {
        PublicKey::from_base64(text)
    }
    .map_err(|e| format!("the key you provided cannot be read: {e}"))?;
    if !keys.iter().any(|k| k.key.key_id() == key.key_id()) {
        keys.push(TrustedKey {
            key,
            origin: PROVIDED.to_owned(),
            name: PROVIDED.to_owned(),
        });
    }
    Ok(keys)
}

/// Verifies `file` (named `name` in the report) and returns the JSON report.
///
/// `key` is an optional public key the reader provides, `allow_repacked`
/// accepts a re-zipped bundle, and `progress(phase, done, total)` is called
/// while the file is hashed (`hashing`) and its payload checked
/// (`verifying`). Fails (with a one-line message) only when verification
/// cannot start: an unreadable key, or no `FileReaderSync`.
#[wasm_bindgen]
pub fn verify(
    file: Blob,
    name: String,
    key: Option<String>,
    allow_repacked: bool,
    progress: Option<js_sys::Function>,
) -> Result<String, JsValue> {
    let trusted = trusted_keys(key.as_deref()).map_err(|e| JsValue::from_str(&e))?;
    let opts = VerifyOptions {
        trusted,
        allow_repacked,
        ..VerifyOptions::default()
    };
    let source = BlobSource::install(file).map_err(|e| JsValue::from_str(&e))?;
    JsProgress::install(progress);
    let total = docseal::container::Source::len(&source).unwrap_or(0);
    JsProgress::phase("hashing", total);
    let mut bundle = BundleFile {
        path: name,
        sha256: None,
        size: None,
    };
    let hashed = docseal::verify::source_digest(&source, &JsProgress);
    if let Ok((digest, size)) = &hashed {
        bundle.sha256 = Some(docseal::manifest::hex(digest));
        bundle.size = Some(*size);
    }
    let mut ctx = Context {
        file: bundle,
        program: Program {
            name: "docseal-web".to_owned(),
            ..Program::default()
        },
        verified_at: Some(docseal::time::rfc3339(
            (js_sys::Date::now() / 1000.0).max(0.0) as u64,
        )),
        reference: None,
        base: None,
        progress: &JsProgress,
        rezipped: false,
        folder: false,
    };
    let verified = docseal::verify::verify_source(std::sync::Arc::new(source), &mut ctx, &opts);
    BlobSource::release();
    JsProgress::install(None);
    if let Err(e) = hashed {
        return Err(JsValue::from_str(&format!("cannot read the file: {e}")));
    }
    Ok(verified.report.to_json())
}

/// The text of the bag file `rel` (e.g. `data/statement.md`) of `file`,
/// with invalid UTF-8 shown as U+FFFD; at most 8 MiB.
#[wasm_bindgen]
pub fn read_entry(file: Blob, rel: String, allow_repacked: bool) -> Result<String, JsValue> {
    let fail = |e: String| JsValue::from_str(&e);
    let source = BlobSource::install(file).map_err(fail)?;
    let limits = docseal::container::Limits::default();
    let text = docseal::bundle::OpenBundle::from_source(source, allow_repacked, &limits)
        .map_err(|e| e.message)
        .and_then(|b| {
            let f = b
                .find(&rel)
                .ok_or_else(|| format!("{rel}: not in the bundle"))?;
            b.read_small(f, MAX_TEXT).map_err(|e| format!("{rel}: {e}"))
        })
        .map(|bytes| String::from_utf8_lossy(&bytes).into_owned());
    BlobSource::release();
    text.map_err(fail)
}

/// The pinned keys' ids, one per line.
#[wasm_bindgen]
pub fn pinned_keys() -> String {
    let mut out = String::new();
    for text in PINNED {
        if let Ok(k) = PublicKey::parse(text) {
            out.push_str(&k.key_id().to_string());
            out.push('\n');
        }
    }
    out
}
