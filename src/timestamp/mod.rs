//! RFC 3161 trusted timestamps on signature files (docs/FORMAT.md §7).
//!
//! A token countersigns the exact bytes of one `signatures/<KEYID>.minisig`
//! file: its message imprint is their SHA-256, so it proves that signature
//! existed no later than the token's genTime. Tokens live beside the
//! signatures as `signatures/<KEYID>.<n>.tsr` (a DER TimeStampResp, as
//! `openssl ts -reply` writes it), outside the tag manifest.
//!
//! This module is pure (no files, threads, clock or network; it builds for
//! wasm32): [`request`] makes the query and checks the reply, [`token`]
//! parses and checks a token on its own terms, [`chain`] decides trust
//! against certificates the reader pinned, and [`check_bundle_timestamps`]
//! gives the verdict for every token of a bundle as data. The HTTP client
//! is [`http`], kept apart so the rest never depends on it.
//!
//! Invariants: SHA-1 is refused everywhere; a token is *trusted* only when
//! it is valid and its chain reaches a pinned certificate; a token that is
//! malformed, over other bytes, or wrongly signed is *invalid* (an error
//! finding), never merely untrusted.

mod algs;
mod asn1;
pub mod chain;
pub mod history;
pub mod http;
mod oids;
pub mod request;
pub mod token;

use std::collections::BTreeMap;

use serde::Serialize;
use sha2::{Digest, Sha256};
use x509_cert::Certificate;

use crate::minisign::KeyId;
use crate::report::{Finding, Severity};

/// The stable finding codes of this module (docs/FORMAT.md §8).
pub mod codes {
    /// Not a DER TimeStampResp holding a SignedData over a TSTInfo.
    pub const UNPARSEABLE: &str = "timestamp.unparseable";
    /// The TSA's status is not granted.
    pub const NOT_GRANTED: &str = "timestamp.not-granted";
    /// The imprint is not the SHA-256 of the signature file (or of the request).
    pub const IMPRINT_MISMATCH: &str = "timestamp.imprint-mismatch";
    /// A reply does not echo the request's nonce.
    pub const NONCE_MISMATCH: &str = "timestamp.nonce-mismatch";
    /// SHA-1 somewhere in the token.
    pub const WEAK_HASH: &str = "timestamp.weak-hash";
    /// An RSA key under 2048 bits.
    pub const WEAK_KEY: &str = "timestamp.weak-key";
    /// An algorithm docseal does not accept.
    pub const UNSUPPORTED: &str = "timestamp.unsupported-algorithm";
    /// The token's or a certificate's signature does not verify.
    pub const BAD_SIGNATURE: &str = "timestamp.bad-signature";
    /// Content-type or message-digest attribute missing or wrong.
    pub const BAD_ATTRIBUTES: &str = "timestamp.bad-attributes";
    /// No ESSCertIDv2 naming the signing certificate.
    pub const CERT_UNBOUND: &str = "timestamp.cert-unbound";
    /// The token does not carry its signer's certificate.
    pub const NO_SIGNER_CERT: &str = "timestamp.no-signer-cert";
    /// The TSA certificate lacks the critical id-kp-timeStamping usage.
    pub const EKU: &str = "timestamp.eku";
    /// A certificate was expired or not yet valid at genTime.
    pub const CERT_NOT_VALID: &str = "timestamp.cert-not-valid";
    /// A chain certificate not signed by its issuer, or an issuer that is no CA.
    pub const CHAIN_INVALID: &str = "timestamp.chain-invalid";
    /// Valid, but no pinned certificate anchors it (a warning).
    pub const UNTRUSTED: &str = "timestamp.untrusted";
    /// A token for a signature the bundle does not hold.
    pub const ORPHAN: &str = "timestamp.orphan";
    /// A signature without a trusted token under `--require-timestamp` (a warning).
    pub const MISSING: &str = "timestamp.missing";
}

/// The largest token file read.
pub const MAX_TOKEN_BYTES: u64 = 64 << 10;

/// A problem with a token: a stable code and one line.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct TokenError {
    /// One of [`codes`].
    pub code: &'static str,
    /// What is wrong.
    pub message: String,
}

impl TokenError {
    /// A new error.
    pub fn new(code: &'static str, message: impl Into<String>) -> TokenError {
        TokenError {
            code,
            message: message.into(),
        }
    }
}

/// Bag-relative name of token `n` of key `id`'s signature.
pub fn token_file(id: KeyId, n: u32) -> String {
    format!("{}/{id}.{n}.tsr", crate::bundle::SIGNATURES_DIR)
}

/// `signatures/<KEYID>.<n>.tsr` → (id, n), for the canonical spelling only
/// (upper-case key id, `n` decimal without leading zeros, below 10000).
pub fn parse_token_file(rel: &str) -> Option<(KeyId, u32)> {
    let name = rel.strip_prefix("signatures/")?.strip_suffix(".tsr")?;
    let (id, n) = name.split_once('.')?;
    let key: KeyId = id.parse().ok().filter(|k: &KeyId| k.to_string() == id)?;
    let canonical = !n.is_empty()
        && n.len() <= 4
        && n.bytes().all(|b| b.is_ascii_digit())
        && (n == "0" || !n.starts_with('0'));
    canonical
        .then(|| n.parse().ok())
        .flatten()
        .map(|n| (key, n))
}

/// The TSA certificates a reader pins, and whether a timestamp is required.
#[derive(Clone, Debug, Default)]
pub struct TsaTrust {
    /// Pinned certificates: a root, an intermediate, or a TSA's own.
    pub pinned: Vec<Certificate>,
    /// `--require-timestamp`: a signature counts only with a trusted token.
    pub require: bool,
}

impl TsaTrust {
    /// Pins every certificate in `bytes` (PEM, one or more, or one DER); returns how many.
    pub fn pin(&mut self, bytes: &[u8]) -> Result<usize, TokenError> {
        use der::{Decode, DecodePem};
        let bad = |e: der::Error| {
            TokenError::new(
                codes::UNPARSEABLE,
                format!("not a PEM or DER certificate: {e}"),
            )
        };
        let certs = if bytes.starts_with(b"-----BEGIN") || bytes.iter().take(64).any(|b| *b == b'-')
        {
            let certs = Certificate::load_pem_chain(bytes).map_err(bad)?;
            if certs.is_empty() {
                return Err(TokenError::new(codes::UNPARSEABLE, "holds no certificate"));
            }
            certs
        } else {
            vec![Certificate::from_der(bytes)
                .or_else(|_| Certificate::from_pem(bytes))
                .map_err(bad)?]
        };
        let n = certs.len();
        self.pinned.extend(certs);
        Ok(n)
    }
}

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
    /// Findings: an error per invalid token, a warning per untrusted one
    /// and, under `require`, per signature without a trusted token.
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
    let finding = |sev, code: &str, path: &str, message: String| Finding {
        code: code.to_owned(),
        severity: sev,
        path: Some(path.to_owned()),
        message,
    };
    for (name, bytes) in tokens {
        let Some((id, _)) = parse_token_file(name) else {
            out.findings.push(finding(
                Severity::Error,
                codes::UNPARSEABLE,
                name,
                "not a token name: signatures/<KEYID>.<n>.tsr".into(),
            ));
            continue;
        };
        let Some((_, signed)) = signatures.iter().find(|(k, _)| *k == id) else {
            out.findings.push(finding(
                Severity::Error,
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
                Severity::Error,
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

#[cfg(test)]
mod tests;
