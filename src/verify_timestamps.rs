//! The verify side of RFC 3161 timestamps: reads each signature file and
//! token of an opened bundle and hands their bytes to the pure
//! [`crate::timestamp::check_bundle_timestamps`], then files the result in
//! the report. The few hooks `verify` calls are here so that its own code
//! changes by a line each.

use crate::bundle::{self, BagFile, OpenBundle};
use crate::minisign::KeyId;
use crate::report::{Finding, Severity, SignatureReport, SignatureStatus};
use crate::timestamp::{self, BundleTimestamps, TokenStatus, TsaTrust, MAX_TOKEN_BYTES};

/// Reads the signature files and tokens among `sig_files`, checks every
/// token, puts each token's verdict on its signature's report and its
/// findings among `findings`.
pub fn check(
    findings: &mut Vec<Finding>,
    signatures: &mut [SignatureReport],
    b: &OpenBundle,
    sig_files: &[BagFile],
    trust: &TsaTrust,
) -> BundleTimestamps {
    let mut sigs: Vec<(KeyId, Vec<u8>)> = Vec::new();
    let mut tokens: Vec<(String, Vec<u8>)> = Vec::new();
    for s in signatures.iter() {
        let Ok(id) = s.key_id.parse::<KeyId>() else {
            continue;
        };
        if let Some(f) = b.find(&bundle::signature_file(id)) {
            if let Ok(bytes) = b.read_small(f, crate::keys::MAX_KEY_FILE) {
                sigs.push((id, bytes));
            }
        }
    }
    for f in sig_files
        .iter()
        .filter(|f| timestamp::parse_token_file(&f.rel).is_some())
    {
        match b.read_small(f, MAX_TOKEN_BYTES) {
            Ok(bytes) => tokens.push((f.rel.clone(), bytes)),
            Err(e) => findings.push(Finding {
                code: timestamp::codes::UNPARSEABLE.to_owned(),
                severity: Severity::Error,
                path: Some(f.rel.clone()),
                message: format!("cannot read the token: {e}"),
            }),
        }
    }
    let sig_refs: Vec<(KeyId, &[u8])> = sigs.iter().map(|(k, b)| (*k, b.as_slice())).collect();
    let tok_refs: Vec<(&str, &[u8])> = tokens
        .iter()
        .map(|(n, b)| (n.as_str(), b.as_slice()))
        .collect();
    let out = timestamp::check_bundle_timestamps(&sig_refs, &tok_refs, trust);
    for s in signatures.iter_mut() {
        if let Some(r) = s
            .key_id
            .parse::<KeyId>()
            .ok()
            .and_then(|id| out.by_signature.get(&id))
        {
            s.timestamps = r.clone();
        }
    }
    findings.extend(out.findings.iter().cloned());
    out
}

/// The (key id, n) of every token file among `sig_files`, for the canonical order.
pub fn token_names(sig_files: &[BagFile]) -> Vec<(KeyId, u32)> {
    sig_files
        .iter()
        .filter_map(|f| timestamp::parse_token_file(&f.rel))
        .collect()
}

/// Whether a signature counts toward the threshold: always, unless
/// `--require-timestamp` asks for a trusted token too.
pub fn counts(s: &SignatureReport, trust: &TsaTrust) -> bool {
    !trust.require || has_trusted(s)
}

fn has_trusted(s: &SignatureReport) -> bool {
    s.timestamps
        .iter()
        .any(|t| t.status == TokenStatus::Trusted)
}

/// Whether the bundle has any token (else the timestamps check did not run).
pub fn any_token(findings: &[Finding], signatures: &[SignatureReport]) -> bool {
    signatures.iter().any(|s| !s.timestamps.is_empty())
        || findings.iter().any(|f| f.code.starts_with("timestamp."))
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
