//! The hash and signature algorithms a token may use, and nothing else:
//! SHA-256/384/512; RSA PKCS#1 v1.5 (2048 to 4096 bits) and ECDSA on P-256
//! or P-384. SHA-1 is refused wherever it appears (RFC 3161 tokens from
//! old TSAs still use it; a SHA-1 collision would let a token cover other
//! bytes), and so is anything this module does not name.

use der::asn1::ObjectIdentifier as Oid;
use sha2::{Digest, Sha256, Sha384, Sha512};
use spki::SubjectPublicKeyInfoOwned;

use super::oids;
use super::TokenError;

/// A hash docseal accepts in a token.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Hash {
    /// SHA-256.
    Sha256,
    /// SHA-384.
    Sha384,
    /// SHA-512.
    Sha512,
}

impl Hash {
    /// The hash named by `oid`, refusing SHA-1 with its own code.
    pub fn from_oid(oid: &Oid, what: &str) -> Result<Hash, TokenError> {
        match *oid {
            oids::SHA256 => Ok(Hash::Sha256),
            oids::SHA384 => Ok(Hash::Sha384),
            oids::SHA512 => Ok(Hash::Sha512),
            oids::SHA1 => Err(TokenError::new(
                super::codes::WEAK_HASH,
                format!("{what} uses SHA-1, which docseal refuses"),
            )),
            _ => Err(unsupported(what, oid)),
        }
    }

    /// The digest of `data`.
    pub fn digest(self, data: &[u8]) -> Vec<u8> {
        match self {
            Hash::Sha256 => Sha256::digest(data).to_vec(),
            Hash::Sha384 => Sha384::digest(data).to_vec(),
            Hash::Sha512 => Sha512::digest(data).to_vec(),
        }
    }
}

fn unsupported(what: &str, oid: &Oid) -> TokenError {
    TokenError::new(
        super::codes::UNSUPPORTED,
        format!("{what} uses algorithm {oid}, which docseal does not accept"),
    )
}

/// The hash of a signature algorithm; `rsaEncryption` and `id-ecPublicKey`
/// (as CMS signer infos may name them) take the digest algorithm `digest`.
pub fn signature_hash(alg: &Oid, digest: Option<Hash>, what: &str) -> Result<Hash, TokenError> {
    let weak = || {
        TokenError::new(
            super::codes::WEAK_HASH,
            format!("{what} is signed with SHA-1, which docseal refuses"),
        )
    };
    match *alg {
        oids::SHA256_WITH_RSA | oids::ECDSA_SHA256 => Ok(Hash::Sha256),
        oids::SHA384_WITH_RSA | oids::ECDSA_SHA384 => Ok(Hash::Sha384),
        oids::SHA512_WITH_RSA | oids::ECDSA_SHA512 => Ok(Hash::Sha512),
        oids::SHA1_WITH_RSA | oids::ECDSA_SHA1 => Err(weak()),
        oids::RSA_ENCRYPTION | oids::EC_PUBLIC_KEY => digest.ok_or_else(|| unsupported(what, alg)),
        _ => Err(unsupported(what, alg)),
    }
}

/// Verifies `signature` over `message` (hashed with `hash`) with the key in `spki`.
pub fn verify(
    spki: &SubjectPublicKeyInfoOwned,
    hash: Hash,
    message: &[u8],
    signature: &[u8],
    what: &str,
) -> Result<(), TokenError> {
    let bad = |why: String| {
        TokenError::new(
            super::codes::BAD_SIGNATURE,
            format!("{what} does not verify: {why}"),
        )
    };
    let key = spki.subject_public_key.raw_bytes();
    let prehash = hash.digest(message);
    match spki.algorithm.oid {
        oids::RSA_ENCRYPTION => {
            use rsa::pkcs1::DecodeRsaPublicKey;
            use rsa::traits::PublicKeyParts;
            let k = rsa::RsaPublicKey::from_pkcs1_der(key)
                .map_err(|e| bad(format!("bad RSA key: {e}")))?;
            if k.size() < 256 {
                return Err(TokenError::new(
                    super::codes::WEAK_KEY,
                    format!("{what}: RSA key of {} bits, fewer than 2048", k.size() * 8),
                ));
            }
            let scheme = match hash {
                Hash::Sha256 => rsa::Pkcs1v15Sign::new::<Sha256>(),
                Hash::Sha384 => rsa::Pkcs1v15Sign::new::<Sha384>(),
                Hash::Sha512 => rsa::Pkcs1v15Sign::new::<Sha512>(),
            };
            k.verify(scheme, &prehash, signature)
                .map_err(|e| bad(e.to_string()))
        }
        oids::EC_PUBLIC_KEY => {
            use ecdsa::signature::hazmat::PrehashVerifier;
            let curve = spki
                .algorithm
                .parameters
                .as_ref()
                .and_then(|p| p.decode_as::<Oid>().ok());
            match curve {
                Some(oids::P256) => {
                    let k = p256::ecdsa::VerifyingKey::from_sec1_bytes(key)
                        .map_err(|e| bad(format!("bad P-256 key: {e}")))?;
                    let s = p256::ecdsa::DerSignature::from_bytes(signature)
                        .map_err(|e| bad(format!("bad ECDSA signature: {e}")))?;
                    k.verify_prehash(&prehash, &s)
                        .map_err(|e| bad(e.to_string()))
                }
                Some(oids::P384) => {
                    let k = p384::ecdsa::VerifyingKey::from_sec1_bytes(key)
                        .map_err(|e| bad(format!("bad P-384 key: {e}")))?;
                    let s = p384::ecdsa::DerSignature::from_bytes(signature)
                        .map_err(|e| bad(format!("bad ECDSA signature: {e}")))?;
                    k.verify_prehash(&prehash, &s)
                        .map_err(|e| bad(e.to_string()))
                }
                _ => Err(TokenError::new(
                    super::codes::UNSUPPORTED,
                    format!("{what}: the key is on a curve other than P-256 or P-384"),
                )),
            }
        }
        ref other => Err(unsupported(what, other)),
    }
}
