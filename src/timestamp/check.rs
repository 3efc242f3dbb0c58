//! The verdict on tokens, as data: one [`TokenReport`] per token (trusted,
//! untrusted or invalid, with genTime, the TSA's subject and the reason),
//! and the findings of a whole bundle's tokens. Pure: the caller reads the
//! signature files and tokens and passes their bytes.

use std::collections::BTreeMap;

use serde::Serialize;
use sha2::{Digest, Sha256};

use super::{chain, codes, parse_token_file, token, TokenError, TsaTrust};
use crate::minisign::KeyId;
use crate::report::{Finding, Severity};

/// Whether a token is a proof.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum TokenStatus {
    /// Valid, over this signature file, by a TSA the reader pinned.
    Trusted,
    /// Valid and over this signature file, but by a TSA nobody pinned: not a proof.
    Untrusted,
    /// Malformed, over other bytes, or failing a check.
    Invalid,
}

/// The verdict on one token.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TokenReport {
    /// Bag-relative token file.
    pub file: String,
    /// Trusted, untrusted or invalid.
    pub status: TokenStatus,
    /// genTime as RFC 3339, when the token could be read.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gen_time: Option<String>,
    /// genTime in Unix seconds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gen_time_unix: Option<u64>,
    /// The TSA certificate's subject.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tsa: Option<String>,
    /// The pinned certificate that anchored a trusted token.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub anchor: Option<String>,
    /// The finding code, when not trusted.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<&'static str>,
    /// Why not trusted.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

impl TokenReport {
    /// The report's line, e.g. "timestamped no later than T by S (trusted)".
    pub fn describe(&self) -> String {
        let when = self.gen_time.as_deref().unwrap_or("?");
        let by = self.tsa.as_deref().unwrap_or("an unknown TSA");
        match self.status {
            TokenStatus::Trusted => format!("timestamped no later than {when} by {by} (trusted)"),
            TokenStatus::Untrusted => format!(
                "timestamped no later than {when} by {by} (NOT trusted: {})",
                self.reason.as_deref().unwrap_or("unpinned")
            ),
            TokenStatus::Invalid => format!(
                "INVALID timestamp {}: {}",
                self.file,
                self.reason.as_deref().unwrap_or("invalid")
            ),
        }
    }
}

/// Checks one token against the exact bytes `signed` it should timestamp.
pub fn check_token(file: &str, signed: &[u8], token_bytes: &[u8], trust: &TsaTrust) -> TokenReport {
    let mut r = TokenReport {
        file: file.to_owned(),
        status: TokenStatus::Invalid,
        gen_time: None,
        gen_time_unix: None,
        tsa: None,
        anchor: None,
        code: None,
        reason: None,
    };
    let fail = |mut r: TokenReport, e: TokenError| {
        r.code = Some(e.code);
        r.reason = Some(e.message);
        r
    };
    let t = match token::parse_response(token_bytes) {
        Ok(t) => t,
        Err(e) => return fail(r, e),
    };
    r.gen_time = Some(crate::time::rfc3339(t.gen_time));
    r.gen_time_unix = Some(t.gen_time);
    r.tsa = Some(chain::subject(&t.signer));
    if t.imprint() != Sha256::digest(signed).as_slice() {
        let e = TokenError::new(codes::IMPRINT_MISMATCH, "the token's imprint is not the SHA-256 of the signature file: it timestamps other bytes");
        return fail(r, e);
    }
    if let Err(e) = chain::check_tsa_usage(&t.signer)
        .and_then(|()| chain::check_carried(&t.signer, &t.certs, t.gen_time))
    {
        return fail(r, e);
    }
    match chain::anchor(&t.signer, &t.certs, &trust.pinned, t.gen_time) {
        Err(e) => fail(r, e),
        Ok(chain::Anchor::Pinned(root)) => {
            r.status = TokenStatus::Trusted;
            r.anchor = Some(root);
            r
        }
        Ok(chain::Anchor::Unpinned(why)) => {
            r.status = TokenStatus::Untrusted;
            r.code = Some(codes::UNTRUSTED);
            r.reason = Some(why);
            r
        }
    }
}

/// The timestamps of a bundle, per signature, with their findings.
#[derive(Clone, Debug, Default)]
pub struct BundleTimestamps {
    /// Every token's verdict, by the key id of the signature it timestamps, in file order.
    pub by_signature: BTreeMap<KeyId, Vec<TokenReport>>,
    /// Findings, all warnings (anyone can add a file under `signatures/`, so
    /// a bad token is no proof, never damage to the content): one per
    /// invalid or untrusted token and, under `require`, per signature
    /// without a trusted token.
    pub findings: Vec<Finding>,
}

impl BundleTimestamps {
    /// The earliest trusted genTime of key `id`'s signature.
    pub fn trusted_time(&self, id: KeyId) -> Option<u64> {
        self.by_signature
            .get(&id)?
            .iter()
            .filter(|t| t.status == TokenStatus::Trusted)
            .filter_map(|t| t.gen_time_unix)
            .min()
    }
}

/// Checks every token of a bundle. `signatures` are the signature files'
/// exact bytes by key id; `tokens` are (bag-relative name, bytes) of every
/// `signatures/*.tsr` file, already read with [`MAX_TOKEN_BYTES`].
pub fn check_bundle_timestamps(
    signatures: &[(KeyId, &[u8])],
    tokens: &[(&str, &[u8])],
    trust: &TsaTrust,
) -> BundleTimestamps {
    let mut out = BundleTimestamps::default();
    let finding = |sev, code: &str, path: &str, message: String| {
        Finding::new(sev, code, Some(path.to_owned()), message)
    };
    for (name, bytes) in tokens {
        let Some((id, _)) = parse_token_file(name) else {
            out.findings.push(finding(
                Severity::Warning,
                codes::UNPARSEABLE,
                name,
                "not a token name: signatures/<KEYID>.<n>.tsr".into(),
            ));
            continue;
        };
        let Some((_, signed)) = signatures.iter().find(|(k, _)| *k == id) else {
            out.findings.push(finding(
                Severity::Warning,
                codes::ORPHAN,
                name,
                format!("a timestamp of a signature by key {id}, which the bundle does not hold"),
            ));
            continue;
        };
        let r = check_token(name, signed, bytes, trust);
        match r.status {
            TokenStatus::Trusted => {}
            TokenStatus::Untrusted => out.findings.push(finding(
                Severity::Warning,
                codes::UNTRUSTED,
                name,
                r.describe(),
            )),
            TokenStatus::Invalid => out.findings.push(finding(
                Severity::Warning,
                r.code.unwrap_or(codes::UNPARSEABLE),
                name,
                r.reason.clone().unwrap_or_default(),
            )),
        }
        out.by_signature.entry(id).or_default().push(r);
    }
    if trust.require {
        for (id, _) in signatures {
            if out.trusted_time(*id).is_none() {
                let sig = crate::bundle::signature_file(*id);
                out.findings.push(finding(
                    Severity::Warning,
                    codes::MISSING,
                    &sig,
                    format!(
                        "the signature by key {id} has no trusted timestamp (--require-timestamp)"
                    ),
                ));
            }
        }
    }
    out
}

/// What `list` shows of a token: read, not verified.
#[derive(Clone, Debug, Serialize)]
pub struct ListedToken {
    /// Bag-relative token file.
    pub file: String,
    /// genTime as RFC 3339, if the token can be read.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gen_time: Option<String>,
    /// The TSA certificate's subject, if the token can be read.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tsa: Option<String>,
    /// Why it cannot be read.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub problem: Option<String>,
}

/// Reads a token for a listing (its own signature checked, no trust decided).
pub fn list_token(file: &str, bytes: &[u8]) -> ListedToken {
    match token::parse_response(bytes) {
        Ok(t) => ListedToken {
            file: file.to_owned(),
            gen_time: Some(crate::time::rfc3339(t.gen_time)),
            tsa: Some(chain::subject(&t.signer)),
            problem: None,
        },
        Err(e) => ListedToken {
            file: file.to_owned(),
            gen_time: None,
            tsa: None,
            problem: Some(e.message),
        },
    }
}
