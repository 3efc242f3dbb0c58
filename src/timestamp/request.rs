//! The TimeStampReq docseal sends (RFC 3161 §2.4.1) and the checks on the
//! reply before it is stored: granted, a token consistent in itself
//! ([`super::token`]), over exactly the imprint asked for, echoing the
//! nonce, by a certificate fit to timestamp and valid at genTime. Whether
//! the TSA is trusted is the reader's decision at verify time, not here.

use der::asn1::{Int, OctetString};
use der::{Any, Encode};
use sha2::{Digest, Sha256};
use spki::AlgorithmIdentifier;
use x509_tsp::{MessageImprint, TimeStampReq, TspVersion};

use super::{chain, codes, oids, token, TokenError};

/// A request as sent, with what the reply must match.
#[derive(Clone, Debug)]
pub struct Request {
    /// The DER of the TimeStampReq, the HTTP body.
    pub der: Vec<u8>,
    /// SHA-256 of the timestamped bytes.
    pub imprint: [u8; 32],
    /// The nonce's big-endian bytes as encoded.
    pub nonce: Vec<u8>,
}

/// A request for a SHA-256 imprint of `data` (the exact bytes of a
/// signature file), with `nonce` (random, from the caller) and certReq set.
pub fn build(data: &[u8], nonce: u64) -> Result<Request, TokenError> {
    let imprint: [u8; 32] = Sha256::digest(data).into();
    // A positive INTEGER of 8 bytes exactly: the top bit clear, the top byte non-zero,
    // so that its DER is the same 8 bytes and a reply's nonce compares byte for byte.
    let nonce = (nonce & 0x7fff_ffff_ffff_ffff) | 0x0100_0000_0000_0000;
    let nonce_bytes = nonce.to_be_bytes().to_vec();
    let bad = |e: der::Error| {
        TokenError::new(
            codes::UNPARSEABLE,
            format!("cannot encode the request: {e}"),
        )
    };
    let req = TimeStampReq {
        version: TspVersion::V1,
        message_imprint: MessageImprint {
            hash_algorithm: AlgorithmIdentifier {
                oid: oids::SHA256,
                parameters: Some(Any::null()),
            },
            hashed_message: OctetString::new(imprint.to_vec()).map_err(bad)?,
        },
        req_policy: None,
        nonce: Some(Int::new(&nonce_bytes).map_err(bad)?),
        cert_req: true,
        extensions: None,
    };
    Ok(Request {
        der: req.to_der().map_err(bad)?,
        imprint,
        nonce: nonce_bytes,
    })
}

/// Checks a TSA's reply to `req`; on success the reply's bytes are the token file to store.
pub fn check_reply(reply: &[u8], req: &Request) -> Result<token::Token, TokenError> {
    let t = token::parse_response(reply)?;
    if t.imprint() != req.imprint {
        return Err(TokenError::new(
            codes::IMPRINT_MISMATCH,
            "the token is over other bytes than those sent",
        ));
    }
    if t.nonce() != Some(req.nonce.as_slice()) {
        return Err(TokenError::new(
            codes::NONCE_MISMATCH,
            "the reply does not echo the request's nonce (a replayed or misdirected reply)",
        ));
    }
    chain::check_tsa_usage(&t.signer)?;
    chain::check_validity(&t.signer, t.gen_time, "the TSA certificate")?;
    chain::check_carried(&t.signer, &t.certs, t.gen_time)?;
    Ok(t)
}
