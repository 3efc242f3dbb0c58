//! minisign public keys: the `.pub` file (an untrusted comment line and a
//! base64 line) and the bare base64 form `minisign -P` takes.
//!
//! Invariant: a [`PublicKey`] always holds a canonical, valid, non-weak
//! Ed25519 point. Its comment is not kept: [`PublicKey::to_file_text`]
//! writes the one `minisign -G` writes, so two files of one key compare equal
//! once parsed.

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use ed25519_dalek::VerifyingKey;

use super::{
    decode_exact, split_lines, take, untrusted_comment, Error, KeyId, SIG_ALG, UNTRUSTED_PREFIX,
};

/// Decoded length: algorithm (2) ‖ key id (8) ‖ Ed25519 public key (32).
const PK_LEN: usize = 42;

/// A minisign public key: its key id and Ed25519 verifying key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PublicKey {
    key_id: KeyId,
    key: VerifyingKey,
}

impl PublicKey {
    /// Parses a `.pub` file (`untrusted comment: ...` line and base64 line,
    /// final LF optional) or a bare base64 line as `minisign -P` takes it.
    pub fn parse(text: &str) -> Result<PublicKey, Error> {
        match split_lines(text)?.as_slice() {
            [line] if line.starts_with(UNTRUSTED_PREFIX) => Err(Error::NotPublicKey),
            [b64] => PublicKey::from_base64(b64),
            [comment, b64] => {
                untrusted_comment(comment)?;
                PublicKey::from_base64(b64)
            }
            _ => Err(Error::NotPublicKey),
        }
    }

    /// Parses the base64 form alone (no comment, no line break).
    pub fn from_base64(b64: &str) -> Result<PublicKey, Error> {
        let bytes: [u8; PK_LEN] = decode_exact(b64, "public key")?;
        let mut rest = &bytes[..];
        let short = Error::Length {
            field: "public key",
            expected: PK_LEN,
            found: 0,
        };
        let alg: &[u8; 2] = take(&mut rest).ok_or(short.clone())?;
        let id: &[u8; 8] = take(&mut rest).ok_or(short.clone())?;
        let pk: &[u8; 32] = take(&mut rest).ok_or(short)?;
        if *alg != SIG_ALG {
            return Err(Error::UnsupportedSignatureAlgorithm(*alg));
        }
        Ok(PublicKey {
            key_id: KeyId(*id),
            key: checked_point(pk)?,
        })
    }

    /// Builds a public key from parts already known to be good (a signing key's own).
    pub(super) fn from_parts(key_id: KeyId, key: VerifyingKey) -> PublicKey {
        PublicKey { key_id, key }
    }

    /// The base64 form, as `minisign -G` prints it for `-P`.
    pub fn to_base64(&self) -> String {
        let mut bytes = Vec::with_capacity(PK_LEN);
        bytes.extend_from_slice(&SIG_ALG);
        bytes.extend_from_slice(&self.key_id.0);
        bytes.extend_from_slice(self.key.as_bytes());
        STANDARD.encode(bytes)
    }

    /// The `.pub` file as `minisign -G` writes it, with the key id in the
    /// comment in [`KeyId`]'s 16-digit form (docs/FORMAT.md §5). minisign
    /// 0.12 writes exactly this; minisign 0.11 prints the id with `%lX`, so
    /// for the one key in 16 whose id starts with a zero digit its comment
    /// is shorter. The comment is not authenticated and parsers ignore it.
    pub fn to_file_text(&self) -> String {
        format!(
            "{UNTRUSTED_PREFIX}minisign public key {}\n{}\n",
            self.key_id,
            self.to_base64()
        )
    }

    /// The key id.
    pub fn key_id(&self) -> KeyId {
        self.key_id
    }

    /// The Ed25519 verifying key.
    pub fn verifying_key(&self) -> &VerifyingKey {
        &self.key
    }
}

/// Decodes a public key point, refusing non-canonical encodings (which
/// would give one key two spellings), invalid points and weak keys.
fn checked_point(pk: &[u8; 32]) -> Result<VerifyingKey, Error> {
    let key = VerifyingKey::from_bytes(pk).map_err(|_| Error::InvalidPoint)?;
    if key.to_edwards().compress().as_bytes() != pk {
        return Err(Error::InvalidPoint);
    }
    if key.is_weak() {
        return Err(Error::WeakKey);
    }
    Ok(key)
}

#[cfg(test)]
mod tests {
    use super::*;

    const PLAIN_PUB: &str = include_str!("../../tests/vectors/minisign/plain.pub");
    const ENC_PUB: &str = include_str!("../../tests/vectors/minisign/enc.pub");

    /// A public key file around the given 42 raw bytes.
    fn file_with(bytes: &[u8]) -> String {
        format!("untrusted comment: k\n{}\n", STANDARD.encode(bytes))
    }

    fn raw(text: &str) -> Vec<u8> {
        let b64 = text.lines().nth(1).unwrap_or_default();
        STANDARD.decode(b64).unwrap_or_default()
    }

    #[test]
    fn minisign_files_round_trip_byte_for_byte() {
        for (text, id) in [
            (PLAIN_PUB, "2F1F1B83FE42EA1E"),
            (ENC_PUB, "A846D3F7354DADC2"),
        ] {
            let k = PublicKey::parse(text).unwrap();
            assert_eq!(k.key_id().to_string(), id);
            assert_eq!(k.to_file_text(), text);
            let b64 = text.lines().nth(1).unwrap();
            assert_eq!(k.to_base64(), b64);
            assert_eq!(PublicKey::parse(b64).unwrap(), k);
            assert_eq!(PublicKey::parse(&format!("{b64}\n")).unwrap(), k);
            assert_eq!(PublicKey::from_base64(b64).unwrap(), k);
            assert_eq!(PublicKey::parse(text.trim_end()).unwrap(), k);
        }
    }

    #[test]
    fn file_comment_pads_the_key_id_to_16_digits() {
        let mut raw = raw(PLAIN_PUB);
        raw[2..10].copy_from_slice(&[0xab, 0, 0, 0, 0, 0, 0, 0x0c]);
        let k = PublicKey::parse(&file_with(&raw)).unwrap();
        assert_eq!(k.key_id().to_string(), "0C000000000000AB");
        let text = k.to_file_text();
        let first = text.lines().next();
        assert_eq!(
            first,
            Some("untrusted comment: minisign public key 0C000000000000AB")
        );
        assert_eq!(PublicKey::parse(&text), Ok(k.clone()));
        // minisign 0.11's spelling of the same key parses to the same key.
        let old = text.replace("key 0C0", "key C0");
        assert_eq!(PublicKey::parse(&old), Ok(k));
    }

    #[test]
    fn any_printable_comment_is_accepted() {
        let b64 = PLAIN_PUB.lines().nth(1).unwrap();
        for c in ["", "my key", "clé\tà moi"] {
            let k = PublicKey::parse(&format!("untrusted comment: {c}\n{b64}\n")).unwrap();
            assert_eq!(k.to_file_text(), PLAIN_PUB);
        }
    }

    #[test]
    fn rejects() {
        let b64 = PLAIN_PUB.lines().nth(1).unwrap();
        let good = raw(PLAIN_PUB);
        let mut alg = good.clone();
        alg[1] = b'D';
        let mut point = good.clone();
        point[10..].copy_from_slice(&[0xff; 32]); // y = 2^255 - 1: not canonical
        let mut invalid = good.clone();
        invalid[10..].copy_from_slice(&[2; 32]); // no x for this y
        let mut identity = good.clone();
        identity[10..].copy_from_slice(&{
            let mut p = [0u8; 32];
            p[0] = 1;
            p
        });
        // The order-4 point (0, -1) in its canonical encoding.
        let mut order4 = good.clone();
        order4[10..].copy_from_slice(&{
            let mut p = [0xffu8; 32];
            p[0] = 0xec;
            p[31] = 0x7f;
            p
        });
        let pkf = "public key";
        let cases: Vec<(String, Error)> = vec![
            (PLAIN_PUB.replace('\n', "\r\n"), Error::CarriageReturn),
            (format!("{PLAIN_PUB}\n"), Error::NotPublicKey),
            (format!("{PLAIN_PUB}extra\n"), Error::NotPublicKey),
            ("untrusted comment: only\n".into(), Error::NotPublicKey),
            (
                String::new(),
                Error::Length {
                    field: pkf,
                    expected: 42,
                    found: 0,
                },
            ),
            (
                format!("untrusted comment:x\n{b64}\n"),
                Error::MissingPrefix {
                    line: 1,
                    prefix: UNTRUSTED_PREFIX,
                },
            ),
            (
                format!("Untrusted comment: x\n{b64}\n"),
                Error::MissingPrefix {
                    line: 1,
                    prefix: UNTRUSTED_PREFIX,
                },
            ),
            (
                format!("untrusted comment: \u{7}\n{b64}\n"),
                Error::BadComment {
                    reason: "contains a control character",
                },
            ),
            (
                format!("untrusted comment: x\n{b64} \n"),
                Error::Base64 { field: pkf },
            ),
            (
                format!("untrusted comment: x\n{}\n", &b64[..b64.len() - 4]),
                Error::Length {
                    field: pkf,
                    expected: 42,
                    found: 39,
                },
            ),
            (
                format!("untrusted comment: x\n{b64}AAAA\n"),
                Error::Length {
                    field: pkf,
                    expected: 42,
                    found: 45,
                },
            ),
            (
                format!("untrusted comment: x\n{b64}=\n"),
                Error::Base64 { field: pkf },
            ),
            (
                file_with(&alg),
                Error::UnsupportedSignatureAlgorithm(*b"ED"),
            ),
            (file_with(&point), Error::InvalidPoint),
            (file_with(&invalid), Error::InvalidPoint),
            (file_with(&identity), Error::WeakKey),
            (file_with(&order4), Error::WeakKey),
            (
                file_with(&good[..41]),
                Error::Length {
                    field: pkf,
                    expected: 42,
                    found: 41,
                },
            ),
        ];
        for (text, want) in cases {
            assert_eq!(PublicKey::parse(&text), Err(want), "{text:?}");
        }
    }
}
