//! minisign secret key files ([`SecretKeyFile`], maybe still encrypted) and
//! unlocking them into the usable key ([`SecretKey`], in `secret_key`).
//!
//! File layout after base64 (158 bytes): `"Ed"` ‖ kdf (`"Sc"` or `00 00`)
//! ‖ `"B2"` ‖ salt (32) ‖ opslimit (u64 LE) ‖ memlimit (u64 LE) ‖ key id (8)
//! ‖ seed ‖ public key (64) ‖ checksum (32). The checksum is BLAKE2b-256 of
//! `"Ed"` ‖ key id ‖ seed ‖ public key. When encrypted, the last 104 bytes
//! are XORed with scrypt(passphrase, salt) (see the `kdf` module), so the key
//! id is only readable once unlocked.
//!
//! `minisign -G -W` writes unencrypted keys with zero salt, limits and
//! checksum, while `minisign -C -W` keeps the old salt and limits and a real
//! checksum; both are accepted, and [`SecretKey::to_file_text`] writes the
//! former byte for byte. Invariant: key material only lives in zeroizing
//! buffers and never reaches a `Debug` output.

use blake2::digest::consts::U32;
use blake2::{Blake2b, Digest};
use ed25519_dalek::SigningKey;
use zeroize::Zeroizing;

use super::kdf::{derive_stream, STREAM_LEN};
use super::{
    decode_exact, split_lines, take, untrusted_comment, Error, KdfParams, KeyId, SecretKey, SIG_ALG,
};

/// Decoded length of a secret key.
pub(super) const SK_LEN: usize = 158;
pub(super) const KDF_SCRYPT: [u8; 2] = *b"Sc";
pub(super) const KDF_NONE: [u8; 2] = [0, 0];
pub(super) const CHK_ALG: [u8; 2] = *b"B2";

/// How an encrypted key was encrypted.
#[derive(Clone, Copy)]
struct Encryption {
    salt: [u8; 32],
    params: KdfParams,
}

/// A parsed secret key file whose secret part may still be encrypted.
#[derive(Clone)]
pub struct SecretKeyFile {
    untrusted_comment: String,
    encryption: Option<Encryption>,
    /// key id ‖ seed ‖ public key ‖ checksum, encrypted when `encryption` is set.
    keynum_sk: Zeroizing<[u8; STREAM_LEN]>,
}

impl std::fmt::Debug for SecretKeyFile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SecretKeyFile")
            .field("untrusted_comment", &self.untrusted_comment)
            .field("kdf", &self.kdf_params())
            .field("key_id", &self.key_id())
            .finish_non_exhaustive()
    }
}

impl SecretKeyFile {
    /// Parses a secret key file: an `untrusted comment: ` line and a base64
    /// line (final LF optional). Checks the algorithms and, for encrypted
    /// keys, that the scrypt cost is within limits, so that a caller never
    /// asks for a passphrase it cannot use.
    pub fn parse(text: &str) -> Result<SecretKeyFile, Error> {
        let lines = split_lines(text)?;
        let [comment, b64] = lines.as_slice() else {
            return Err(Error::NotSecretKey);
        };
        let comment = untrusted_comment(comment)?;
        let bytes = Zeroizing::new(decode_exact::<SK_LEN>(b64, "secret key")?);
        SecretKeyFile::from_bytes(comment, &bytes)
    }

    /// Splits and checks the decoded fields.
    pub(super) fn from_bytes(comment: &str, bytes: &[u8; SK_LEN]) -> Result<SecretKeyFile, Error> {
        let short = || Error::Length {
            field: "secret key",
            expected: SK_LEN,
            found: 0,
        };
        let mut rest = &bytes[..];
        let sig_alg: [u8; 2] = *take(&mut rest).ok_or_else(short)?;
        let kdf_alg: [u8; 2] = *take(&mut rest).ok_or_else(short)?;
        let chk_alg: [u8; 2] = *take(&mut rest).ok_or_else(short)?;
        let salt: [u8; 32] = *take(&mut rest).ok_or_else(short)?;
        let opslimit = u64::from_le_bytes(*take(&mut rest).ok_or_else(short)?);
        let memlimit = u64::from_le_bytes(*take(&mut rest).ok_or_else(short)?);
        let keynum_sk = Zeroizing::new(*take::<STREAM_LEN>(&mut rest).ok_or_else(short)?);
        // The order of checks is minisign's.
        if sig_alg != SIG_ALG {
            return Err(Error::UnsupportedSignatureAlgorithm(sig_alg));
        }
        if chk_alg != CHK_ALG {
            return Err(Error::UnsupportedChecksum(chk_alg));
        }
        let encryption = match kdf_alg {
            KDF_SCRYPT => {
                let params = KdfParams { opslimit, memlimit };
                params.scrypt()?;
                Some(Encryption { salt, params })
            }
            KDF_NONE => None,
            other => return Err(Error::UnsupportedKdf(other)),
        };
        Ok(SecretKeyFile {
            untrusted_comment: comment.to_owned(),
            encryption,
            keynum_sk,
        })
    }

    /// Whether unlocking needs a passphrase.
    pub fn is_encrypted(&self) -> bool {
        self.encryption.is_some()
    }

    /// The key id, when it can be read without the passphrase. minisign
    /// encrypts the key id together with the key, so this is `None` for an
    /// encrypted key; use [`SecretKey::key_id`] after unlocking.
    pub fn key_id(&self) -> Option<KeyId> {
        match self.encryption {
            Some(_) => None,
            None => self.keynum_sk.first_chunk::<8>().map(|id| KeyId(*id)),
        }
    }

    /// The scrypt cost of an encrypted key.
    pub fn kdf_params(&self) -> Option<KdfParams> {
        self.encryption.map(|e| e.params)
    }

    /// The untrusted comment of the file (not authenticated).
    pub fn untrusted_comment(&self) -> &str {
        &self.untrusted_comment
    }

    /// Decrypts (if encrypted) and checks the key. The passphrase is ignored
    /// for an unencrypted key. Errors: [`Error::PassphraseRequired`],
    /// [`Error::WrongPassphrase`] (checksum mismatch after decryption),
    /// [`Error::CorruptSecretKey`] (unencrypted, checksum neither zero nor
    /// right), [`Error::InconsistentSecretKey`] (public half does not match
    /// the seed).
    pub fn unlock(&self, passphrase: Option<&[u8]>) -> Result<SecretKey, Error> {
        let mut plain = self.keynum_sk.clone();
        if let Some(enc) = &self.encryption {
            let passphrase = passphrase.ok_or(Error::PassphraseRequired)?;
            let stream = derive_stream(passphrase, &enc.salt, enc.params)?;
            xor(&mut plain, &stream);
        }
        let (id, keypair, chk) = split_plain(&plain);
        if checksum(&id, &keypair) != chk {
            if self.is_encrypted() {
                return Err(Error::WrongPassphrase);
            }
            if chk != [0; 32] {
                return Err(Error::CorruptSecretKey);
            }
        }
        let signing =
            SigningKey::from_keypair_bytes(&keypair).map_err(|_| Error::InconsistentSecretKey)?;
        Ok(SecretKey::from_parts(KeyId(id), signing))
    }
}

/// Splits key id ‖ keypair ‖ checksum; the keypair in a zeroizing buffer.
fn split_plain(plain: &[u8; STREAM_LEN]) -> ([u8; 8], Zeroizing<[u8; 64]>, [u8; 32]) {
    let mut id = [0u8; 8];
    let mut keypair = Zeroizing::new([0u8; 64]);
    let mut chk = [0u8; 32];
    let (a, rest) = plain.split_at(8);
    let (b, c) = rest.split_at(64);
    id.copy_from_slice(a);
    keypair.copy_from_slice(b);
    chk.copy_from_slice(c);
    (id, keypair, chk)
}

/// minisign's checksum: BLAKE2b-256 of `"Ed"` ‖ key id ‖ seed ‖ public key.
pub(super) fn checksum(id: &[u8; 8], keypair: &[u8; 64]) -> [u8; 32] {
    Blake2b::<U32>::new()
        .chain_update(SIG_ALG)
        .chain_update(id)
        .chain_update(keypair)
        .finalize()
        .into()
}

/// XORs the key stream over the secret part (encrypts and decrypts).
pub(super) fn xor(data: &mut [u8; STREAM_LEN], stream: &[u8; STREAM_LEN]) {
    data.iter_mut().zip(stream).for_each(|(d, s)| *d ^= s);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::minisign::UNTRUSTED_PREFIX;
    use base64::engine::general_purpose::STANDARD;
    use base64::Engine as _;

    const PLAIN_KEY: &str = include_str!("../../tests/vectors/minisign/plain.key");
    const PLAIN_PUB: &str = include_str!("../../tests/vectors/minisign/plain.pub");
    const ENC_KEY: &str = include_str!("../../tests/vectors/minisign/enc.key");
    const ENC_PUB: &str = include_str!("../../tests/vectors/minisign/enc.pub");
    const MESSAGE: &[u8] = include_bytes!("../../tests/vectors/minisign/message.txt");
    const ENC_SIG: &str = include_str!("../../tests/vectors/minisign/message.txt.enc.minisig");
    /// A cost minisign accepts that takes about a millisecond (N = 2^10).
    const CHEAP: KdfParams = KdfParams {
        opslimit: 32_768,
        memlimit: 16_777_216,
    };

    fn raw(text: &str) -> Vec<u8> {
        STANDARD.decode(text.lines().nth(1).unwrap()).unwrap()
    }

    fn file_with(bytes: &[u8]) -> String {
        format!("untrusted comment: k\n{}\n", STANDARD.encode(bytes))
    }

    #[test]
    fn unencrypted_minisign_key_unlocks_and_round_trips() {
        let f = SecretKeyFile::parse(PLAIN_KEY).unwrap();
        assert!(!f.is_encrypted());
        assert_eq!(f.kdf_params(), None);
        assert_eq!(f.untrusted_comment(), "minisign encrypted secret key");
        assert_eq!(
            f.key_id().map(|k| k.to_string()).as_deref(),
            Some("2F1F1B83FE42EA1E")
        );
        let k = f.unlock(None).unwrap();
        assert_eq!(k.public_key().to_file_text(), PLAIN_PUB);
        assert_eq!(
            k.to_file_text(None, KdfParams::default()).unwrap(),
            PLAIN_KEY
        );
        assert_eq!(f.unlock(Some(b"ignored")).unwrap().key_id(), k.key_id());
    }

    /// The one test that pays minisign's real cost (1 GiB, a few seconds).
    #[test]
    fn encrypted_minisign_key_unlocks_with_its_passphrase() {
        let f = SecretKeyFile::parse(ENC_KEY).unwrap();
        assert!(f.is_encrypted());
        assert_eq!(f.key_id(), None);
        assert_eq!(f.kdf_params(), Some(KdfParams::default()));
        assert_eq!(f.unlock(None).map(|_| ()), Err(Error::PassphraseRequired));
        let k = f.unlock(Some(b"correct horse")).unwrap();
        assert_eq!(k.public_key().to_file_text(), ENC_PUB);
        let s = k.sign(
            MESSAGE,
            "docseal vector: encrypted key",
            "signature from minisign secret key",
        );
        assert_eq!(s.unwrap().to_file_text(), ENC_SIG);
    }

    #[test]
    fn parse_rejects() {
        let good = raw(PLAIN_KEY);
        let b64 = PLAIN_KEY.lines().nth(1).unwrap();
        let with = |at: usize, bytes: &[u8]| {
            let mut v = good.clone();
            v[at..at + bytes.len()].copy_from_slice(bytes);
            file_with(&v)
        };
        let mut huge = good.clone();
        huge[2..4].copy_from_slice(b"Sc");
        huge[38..46].copy_from_slice(&u64::MAX.to_le_bytes());
        let skf = "secret key";
        let cases: Vec<(String, Error)> = vec![
            (PLAIN_KEY.replace('\n', "\r\n"), Error::CarriageReturn),
            (format!("{PLAIN_KEY}\n"), Error::NotSecretKey),
            (b64.to_owned(), Error::NotSecretKey),
            (format!("{PLAIN_KEY}{b64}\n"), Error::NotSecretKey),
            (
                format!("untrusted comment:\n{b64}\n"),
                Error::MissingPrefix {
                    line: 1,
                    prefix: UNTRUSTED_PREFIX,
                },
            ),
            (
                format!("untrusted comment: \u{1b}\n{b64}\n"),
                Error::BadComment {
                    reason: "contains a control character",
                },
            ),
            (
                format!("untrusted comment: k\n{}\n", &b64[..208]),
                Error::Length {
                    field: skf,
                    expected: 158,
                    found: 156,
                },
            ),
            (
                format!("untrusted comment: k\n{}\n", b64.replace('=', "")),
                Error::Base64 { field: skf },
            ),
            (with(0, b"ED"), Error::UnsupportedSignatureAlgorithm(*b"ED")),
            (with(2, b"Sd"), Error::UnsupportedKdf(*b"Sd")),
            (with(2, &[0, 1]), Error::UnsupportedKdf([0, 1])),
            (with(4, b"B3"), Error::UnsupportedChecksum(*b"B3")),
            (
                file_with(&huge),
                Error::KdfOutOfRange {
                    opslimit: u64::MAX,
                    memlimit: 0,
                },
            ),
        ];
        for (text, want) in cases {
            assert_eq!(
                SecretKeyFile::parse(&text).map(|_| ()),
                Err(want),
                "{text:?}"
            );
        }
    }

    #[test]
    fn unlock_rejects_corrupt_keys() {
        let good = raw(PLAIN_KEY);
        let flip = |v: &[u8], i: usize| {
            let mut v = v.to_vec();
            v[i] ^= 1;
            SecretKeyFile::parse(&file_with(&v)).unwrap()
        };
        // With minisign -G -W's zero checksum only the seed/public check is left.
        assert_eq!(
            flip(&good, 62).unlock(None).map(|_| ()),
            Err(Error::InconsistentSecretKey)
        );
        assert_eq!(
            flip(&good, 125).unlock(None).map(|_| ()),
            Err(Error::InconsistentSecretKey)
        );
        assert_eq!(
            flip(&good, 157).unlock(None).map(|_| ()),
            Err(Error::CorruptSecretKey)
        );
        // A real checksum (as `minisign -C -W` leaves) is checked.
        let mut summed = good.clone();
        let id: [u8; 8] = summed[54..62].try_into().unwrap();
        let kp: [u8; 64] = summed[62..126].try_into().unwrap();
        summed[126..].copy_from_slice(&checksum(&id, &kp));
        assert!(SecretKeyFile::parse(&file_with(&summed))
            .unwrap()
            .unlock(None)
            .is_ok());
        assert_eq!(
            flip(&summed, 54).unlock(None).map(|_| ()),
            Err(Error::CorruptSecretKey)
        );
        // Encrypted: any damage reads as a wrong passphrase.
        let k = SecretKey::generate().unwrap();
        let enc = raw(&k.to_file_text(Some(b"pw"), CHEAP).unwrap());
        for i in [6, 37, 54, 61, 62, 125, 126, 157] {
            assert_eq!(
                flip(&enc, i).unlock(Some(b"pw")).map(|_| ()),
                Err(Error::WrongPassphrase),
                "byte {i}"
            );
        }
    }
}
