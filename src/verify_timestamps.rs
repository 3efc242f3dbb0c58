//! Check 7, the timestamps (docs/FORMAT.md §10): reads each signature file
//! and token of an opened bundle and hands their bytes to the pure
//! [`crate::timestamp::check_bundle_timestamps`], then files the result in
//! the run. The hooks `verify` calls are here so that its own files change
//! by a line each.
//!
//! Rules: like a signature, a token is a file anyone can add, so a bad or
//! untrusted one is a warning and never makes intact content read as
//! damaged. The check fails when a token is invalid, or when
//! `--require-timestamp` is not met; only the latter changes the verdict
//! (to untrusted): then only signatures with a trusted token count toward
//! the threshold.

use std::collections::BTreeSet;

use crate::bundle::{BagFile, OpenBundle};
use crate::minisign::KeyId;
use crate::report::{Severity, SignatureReport, SignatureStatus};
use crate::timestamp::{self, TokenStatus, MAX_TOKEN_BYTES};
use crate::verify::run::{read_code, Run};

/// What the check covers, for the report.
pub const DETAIL: &str =
    "RFC 3161 tokens over the signature files, against pinned TSA certificates";

/// Checks every token among `sig_files` and puts each token's verdict on
/// its signature's report.
pub fn check(run: &mut Run<'_>, b: &OpenBundle, sig_files: &[BagFile]) {
    let mut sigs: Vec<(KeyId, Vec<u8>)> = Vec::new();
    for s in &run.signatures {
        let (Ok(id), Some(f)) = (s.key_id.parse::<KeyId>(), b.find(&s.file)) else {
            continue;
        };
        if let Ok(bytes) = b.read_small(f, crate::bundle::MAX_SIGNATURE_FILE) {
            sigs.push((id, bytes));
        }
    }
    let mut tokens: Vec<(String, Vec<u8>)> = Vec::new();
    for f in sig_files
        .iter()
        .filter(|f| timestamp::parse_token_file(&f.rel).is_some())
    {
        match b.read_small(f, MAX_TOKEN_BYTES) {
            Ok(bytes) => tokens.push((f.rel.clone(), bytes)),
            Err(e) => {
                // A damaged zip entry is the container's failure.
                let code = read_code(&e, timestamp::codes::UNPARSEABLE);
                let sev = if code.starts_with("zip.") {
                    Severity::Error
                } else {
                    Severity::Warning
                };
                run.push(
                    sev,
                    code,
                    Some(f.rel.clone()),
                    format!("cannot read the token: {e}"),
                );
            }
        }
    }
    let sig_refs: Vec<(KeyId, &[u8])> = sigs.iter().map(|(k, b)| (*k, b.as_slice())).collect();
    let tok_refs: Vec<(&str, &[u8])> = tokens
        .iter()
        .map(|(n, b)| (n.as_str(), b.as_slice()))
        .collect();
    let out = timestamp::check_bundle_timestamps(&sig_refs, &tok_refs, &run.opts.timestamps);
    for s in run.signatures.iter_mut() {
        if let Some(r) = s
            .key_id
            .parse::<KeyId>()
            .ok()
            .and_then(|id| out.by_signature.get(&id))
        {
            s.timestamps = r.clone();
        }
    }
    run.findings.extend(out.findings.iter().cloned());
    let invalid = run
        .signatures
        .iter()
        .flat_map(|s| &s.timestamps)
        .filter(|t| t.status == TokenStatus::Invalid)
        .count()
        + out
            .findings
            .iter()
            .filter(|f| f.code == timestamp::codes::ORPHAN)
            .count();
    if !requirement_met(run) {
        let why = requirement_why(run);
        run.fail("timestamps", why);
    } else if invalid > 0 {
        run.fail(
            "timestamps",
            format!("{invalid} token(s) are invalid: no proof of time"),
        );
    } else if tokens.is_empty() {
        run.skip("timestamps", "the bundle has no timestamp");
    } else {
        run.ran("timestamps");
    }
}

/// The (key id, n) of every token file among `sig_files`, for the canonical order.
pub fn token_names(sig_files: &[BagFile]) -> Vec<(KeyId, u32)> {
    sig_files
        .iter()
        .filter_map(|f| timestamp::parse_token_file(&f.rel))
        .collect()
}

fn has_trusted(s: &SignatureReport) -> bool {
    s.timestamps
        .iter()
        .any(|t| t.status == TokenStatus::Trusted)
}

/// Distinct trusted keys whose valid signature has a trusted timestamp.
fn stamped_signers(run: &Run<'_>) -> usize {
    run.signatures
        .iter()
        .filter(|s| s.status == SignatureStatus::ValidTrusted && has_trusted(s))
        .map(|s| s.key_id.as_str())
        .collect::<BTreeSet<_>>()
        .len()
}

/// Whether `--require-timestamp`, when given, is met: enough distinct
/// trusted signers (the threshold) have a trusted timestamp.
pub fn requirement_met(run: &Run<'_>) -> bool {
    !run.opts.timestamps.require || stamped_signers(run) >= run.opts.threshold.max(1)
}

fn requirement_why(run: &Run<'_>) -> String {
    format!(
        "--require-timestamp: {} of the {} required signatures have a trusted timestamp{}",
        stamped_signers(run),
        run.opts.threshold.max(1),
        if run.opts.timestamps.pinned.is_empty() {
            " (no --tsa-cert or --tsa-keyring given)"
        } else {
            ""
        }
    )
}

/// Why an intact bundle is untrusted, when it is for want of a timestamp.
pub fn untrusted_why(run: &Run<'_>) -> Option<String> {
    let signed = run
        .signatures
        .iter()
        .filter(|s| s.status == SignatureStatus::ValidTrusted)
        .map(|s| s.key_id.as_str())
        .collect::<BTreeSet<_>>()
        .len();
    (signed >= run.opts.threshold.max(1) && !requirement_met(run)).then(|| requirement_why(run))
}

/// The not-checked list without "the signing time" when every trusted
/// signature has a trusted timestamp: the time is then proven, as an upper bound.
pub fn not_checked(mut list: Vec<String>, signatures: &[SignatureReport]) -> Vec<String> {
    let trusted: Vec<&SignatureReport> = signatures
        .iter()
        .filter(|s| s.status == SignatureStatus::ValidTrusted)
        .collect();
    if !trusted.is_empty() && trusted.iter().all(|s| has_trusted(s)) {
        list.retain(|l| !l.starts_with("the signing time"));
        list.push(
            "when each signature was made, beyond \"no later than\" its trusted timestamp"
                .to_owned(),
        );
    } else if trusted.iter().any(|s| has_trusted(s)) {
        for l in list
            .iter_mut()
            .filter(|l| l.starts_with("the signing time"))
        {
            *l = "the signing time of signatures without a trusted timestamp".to_owned();
        }
    }
    list
}

/// The tokens of key `id`'s signature, read for `list` (not verified).
pub fn list_tokens(b: &OpenBundle, id: KeyId) -> Vec<timestamp::ListedToken> {
    b.files
        .iter()
        .filter(|f| timestamp::parse_token_file(&f.rel).is_some_and(|(k, _)| k == id))
        .map(|f| match b.read_small(f, MAX_TOKEN_BYTES) {
            Ok(bytes) => timestamp::list_token(&f.rel, &bytes),
            Err(e) => timestamp::ListedToken {
                file: f.rel.clone(),
                gen_time: None,
                tsa: None,
                problem: Some(e.to_string()),
            },
        })
        .collect()
}
