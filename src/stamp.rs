//! `timestamp`: add RFC 3161 tokens to a bundle's signatures (docs/FORMAT.md §7).
//!
//! For every signature file and every TSA, one request over the exact bytes
//! of that file; every reply is checked ([`crate::timestamp::request`])
//! before anything is written, and the bundle is rewritten once, with the
//! new tokens beside the old ones, in canonical order. A TSA that fails
//! stops the command with nothing written. Tokens are outside the tag
//! manifest, so no signed byte changes.

use std::path::Path;

use crate::bundle::{self, TAG_MANIFEST};
use crate::error::{Error, Result};
use crate::minisign::KeyId;
use crate::output::Overwrite;
use crate::progress::Silent;
use crate::report::Verdict;
use crate::timestamp::{self, http, request};
use crate::verify::{self, VerifyOptions};

/// Asks each TSA in `urls` for a token over `signed`; the token files' bytes, in `urls` order.
pub fn fetch_tokens(
    signed: &[u8],
    urls: &[String],
    timeouts: http::Timeouts,
) -> Result<Vec<Vec<u8>>> {
    let mut out = Vec::with_capacity(urls.len());
    for url in urls {
        let fail = |problem: String| Error::Tsa {
            url: url.clone(),
            problem,
        };
        let mut nonce = [0u8; 8];
        getrandom::getrandom(&mut nonce)
            .map_err(|e| fail(format!("no randomness for the nonce: {e}")))?;
        let req = request::build(signed, u64::from_be_bytes(nonce)).map_err(|e| fail(e.message))?;
        let reply = http::post_query(url, &req.der, timeouts).map_err(fail)?;
        request::check_reply(&reply, &req)
            .map_err(|e| fail(format!("bad reply [{}]: {}", e.code, e.message)))?;
        out.push(reply);
    }
    Ok(out)
}

/// Token entries for signature file `signed` of key `id`, numbered from `first`.
pub fn token_entries(
    id: KeyId,
    signed: &[u8],
    first: u32,
    urls: &[String],
    timeouts: http::Timeouts,
) -> Result<Vec<(String, Vec<u8>)>> {
    let tokens = fetch_tokens(signed, urls, timeouts)?;
    Ok(tokens
        .into_iter()
        .zip(first..)
        .map(|(t, n)| (timestamp::token_file(id, n), t))
        .collect())
}

/// Timestamps every signature of `bundle_path` with every TSA of `urls`,
/// writing the result to `output` (which may be the bundle itself).
/// Returns the token files added.
pub fn timestamp(
    bundle_path: &Path,
    urls: &[String],
    output: &Path,
    overwrite: Overwrite,
) -> Result<Vec<String>> {
    if urls.is_empty() {
        return Err(Error::Usage("give at least one --tsa URL".into()));
    }
    // Before asking any TSA: a refused overwrite should not cost a round trip.
    crate::output::check_destination(output, overwrite)?;
    let bad = |problem: String| Error::Bundle {
        path: bundle_path.to_path_buf(),
        problem,
    };
    let verified = verify::verify(bundle_path, &VerifyOptions::default(), &Silent)?;
    if verified.report.verdict == Verdict::Invalid {
        let first = verified
            .report
            .findings
            .first()
            .map(|f| format!("[{}] {}", f.code, f.message))
            .unwrap_or_default();
        return Err(bad(format!(
            "does not verify, refusing to timestamp it: {first}"
        )));
    }
    let (Some(b), Some(m)) = (verified.bundle, verified.manifest) else {
        return Err(bad("cannot be read as a docseal bundle".into()));
    };
    if b.find(TAG_MANIFEST).is_none() {
        return Err(bad("no tag manifest".into()));
    }
    let mut extra = Vec::new();
    for sig in &verified.report.signatures {
        let id: KeyId = sig
            .key_id
            .parse()
            .map_err(|_| bad(format!("bad key id {}", sig.key_id)))?;
        let f = b
            .find(&bundle::signature_file(id))
            .ok_or_else(|| bad(format!("no signature file for key {id}")))?;
        let signed = b
            .read_small(f, crate::keys::MAX_KEY_FILE)
            .map_err(|e| bad(e.to_string()))?;
        let next = b
            .files
            .iter()
            .filter_map(|f| timestamp::parse_token_file(&f.rel))
            .filter(|(k, _)| *k == id)
            .map(|(_, n)| n + 1)
            .max()
            .unwrap_or(0);
        extra.extend(token_entries(
            id,
            &signed,
            next,
            urls,
            http::Timeouts::default(),
        )?);
    }
    if extra.is_empty() {
        return Err(bad("has no signature to timestamp".into()));
    }
    let names = extra.iter().map(|(n, _)| n.clone()).collect();
    let root = crate::cosign::root_name(&b, &m.bundle.name).to_owned();
    crate::cosign::rewrite(&b, &root, extra, output, overwrite)?;
    Ok(names)
}
