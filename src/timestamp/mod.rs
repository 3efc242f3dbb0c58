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
//! ([`check`]) gives the verdict for every token of a bundle as data. The HTTP client
//! is [`http`], kept apart so the rest never depends on it.
//!
//! Invariants: SHA-1 is refused everywhere; a token is *trusted* only when
//! it is valid and its chain reaches a pinned certificate; a token that is
//! malformed, over other bytes, or wrongly signed is *invalid* (an error
//! finding), never merely untrusted.

mod algs;
mod asn1;
pub mod chain;
mod check;
pub mod history;
#[cfg(feature = "cli")]
pub mod http;
mod oids;
pub mod request;
pub mod token;

use x509_cert::Certificate;

pub use check::{
    check_bundle_timestamps, check_token, list_token, BundleTimestamps, ListedToken, TokenReport,
    TokenStatus,
};

use crate::minisign::KeyId;

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
    /// Pins every certificate in `bytes`: the `CERTIFICATE` blocks of a PEM
    /// file (text around them, as `openssl x509 -text` writes, is ignored), or
    /// one DER certificate. Returns how many.
    pub fn pin(&mut self, bytes: &[u8]) -> Result<usize, TokenError> {
        use der::{Decode, DecodePem};
        const BEGIN: &[u8] = b"-----BEGIN CERTIFICATE-----";
        const END: &[u8] = b"-----END CERTIFICATE-----";
        let bad = |e: der::Error| {
            TokenError::new(
                codes::UNPARSEABLE,
                format!("not a PEM or DER certificate: {e}"),
            )
        };
        let find = |hay: &[u8], needle: &[u8]| hay.windows(needle.len()).position(|w| w == needle);
        let mut certs = Vec::new();
        let mut rest = bytes;
        while let Some(start) = find(rest, BEGIN) {
            let block = &rest[start..];
            let end = find(block, END).map(|e| e + END.len()).ok_or_else(|| {
                TokenError::new(
                    codes::UNPARSEABLE,
                    "a PEM certificate block has no END line",
                )
            })?;
            certs.push(Certificate::from_pem(&block[..end]).map_err(bad)?);
            rest = &block[end..];
        }
        if certs.is_empty() {
            if find(bytes, b"-----BEGIN").is_some() {
                return Err(TokenError::new(
                    codes::UNPARSEABLE,
                    "holds no PEM CERTIFICATE block",
                ));
            }
            certs.push(Certificate::from_der(bytes).map_err(bad)?);
        }
        let n = certs.len();
        self.pinned.extend(certs);
        Ok(n)
    }
}

#[cfg(test)]
mod tests;
