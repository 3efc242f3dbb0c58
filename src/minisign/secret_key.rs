//! The usable minisign secret key ([`SecretKey`]): generation, signing and
//! writing the secret key file (the file form is [`super::SecretKeyFile`]).
//!
//! Invariant: the Ed25519 key lives in a `SigningKey`, which zeroizes itself
//! on drop, and intermediate copies in zeroizing buffers; `Debug` shows the
//! key id only. Passphrases are checked to be ones stock minisign can type
//! back before a key is encrypted with them.

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use ed25519_dalek::SigningKey;
use zeroize::{ZeroizeOnDrop, Zeroizing};

use super::kdf::{derive_stream, STREAM_LEN};
use super::secret::{checksum, xor, CHK_ALG, KDF_NONE, KDF_SCRYPT, SK_LEN};
use super::signature::sign_with;
use super::{
    Error, KdfParams, KeyId, PublicKey, SigAlgorithm, Signature, SIG_ALG, UNTRUSTED_PREFIX,
};

/// The longest passphrase stock minisign reads back (its buffer is 1024
/// bytes including the terminating NUL).
pub const MAX_PASSPHRASE: usize = 1023;

/// The comment `minisign -G` writes, encrypted or not.
const SECRET_COMMENT: &str = "minisign encrypted secret key";

/// `N` bytes from the operating system's random number generator.
fn random<const N: usize>() -> Result<[u8; N], Error> {
    let mut out = [0u8; N];
    getrandom::getrandom(&mut out).map_err(|e| Error::Random(e.to_string()))?;
    Ok(out)
}

/// Refuses passphrases stock minisign could not read back from a terminal
/// or stdin (one `fgets` line into a 1024-byte buffer, CR and LF trimmed,
/// then used up to the first NUL).
fn check_passphrase(passphrase: &[u8]) -> Result<(), Error> {
    if passphrase.iter().any(|b| matches!(b, 0 | b'\n' | b'\r')) {
        return Err(Error::BadPassphrase {
            reason: "contains a NUL, CR or LF byte",
        });
    }
    if passphrase.len() > MAX_PASSPHRASE {
        return Err(Error::BadPassphrase {
            reason: "is longer than 1023 bytes",
        });
    }
    Ok(())
}

/// An unlocked Ed25519 signing key with its minisign key id. The key
/// material is zeroized on drop (by `SigningKey`) and never printed.
pub struct SecretKey {
    key_id: KeyId,
    signing: SigningKey,
}

impl ZeroizeOnDrop for SecretKey {}

impl std::fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SecretKey")
            .field("key_id", &self.key_id)
            .finish_non_exhaustive()
    }
}

impl SecretKey {
    /// Generates a key pair: a random seed and a random key id, as
    /// `minisign -G` does.
    pub fn generate() -> Result<SecretKey, Error> {
        let seed = Zeroizing::new(random::<32>()?);
        let key_id = KeyId(random::<8>()?);
        Ok(SecretKey {
            key_id,
            signing: SigningKey::from_bytes(&seed),
        })
    }

    /// The matching public key.
    pub fn public_key(&self) -> PublicKey {
        PublicKey::from_parts(self.key_id, self.signing.verifying_key())
    }

    /// The key id.
    pub fn key_id(&self) -> KeyId {
        self.key_id
    }

    /// The secret key file: encrypted with a fresh random salt and the
    /// cost `kdf` when a passphrase is given; otherwise exactly what
    /// `minisign -G -W` writes (zero salt, limits and checksum; `kdf` is
    /// then ignored). The comment is minisign's, "minisign encrypted secret
    /// key", in both cases. The caller should hold the result in a
    /// zeroizing buffer.
    pub fn to_file_text(&self, passphrase: Option<&[u8]>, kdf: KdfParams) -> Result<String, Error> {
        let keypair = Zeroizing::new(self.signing.to_keypair_bytes());
        let mut plain = Zeroizing::new([0u8; STREAM_LEN]);
        let (id, rest) = plain.split_at_mut(8);
        let (kp, chk) = rest.split_at_mut(64);
        id.copy_from_slice(&self.key_id.0);
        kp.copy_from_slice(&*keypair);
        let (kdf_alg, salt, kdf) = match passphrase {
            None => (
                KDF_NONE,
                [0u8; 32],
                KdfParams {
                    opslimit: 0,
                    memlimit: 0,
                },
            ),
            Some(passphrase) => {
                check_passphrase(passphrase)?;
                chk.copy_from_slice(&checksum(&self.key_id.0, &keypair));
                let salt = random::<32>()?;
                xor(&mut plain, &*derive_stream(passphrase, &salt, kdf)?);
                (KDF_SCRYPT, salt, kdf)
            }
        };
        let mut bytes = Zeroizing::new(Vec::with_capacity(SK_LEN));
        for part in [&SIG_ALG[..], &kdf_alg, &CHK_ALG, &salt] {
            bytes.extend_from_slice(part);
        }
        bytes.extend_from_slice(&kdf.opslimit.to_le_bytes());
        bytes.extend_from_slice(&kdf.memlimit.to_le_bytes());
        bytes.extend_from_slice(&*plain);
        // Sized up front so no reallocation leaves a copy behind.
        let header = format!("{UNTRUSTED_PREFIX}{SECRET_COMMENT}\n");
        let mut text = String::with_capacity(header.len() + SK_LEN.div_ceil(3) * 4 + 1);
        text.push_str(&header);
        STANDARD.encode_string(&*bytes, &mut text);
        text.push('\n');
        Ok(text)
    }

    /// Signs `message` the way `minisign -S` does by default: prehashed
    /// (`ED`, Ed25519 over BLAKE2b-512 of the message), with a global
    /// signature over signature ‖ trusted comment. Comments must be
    /// printable, one line, and within minisign's lengths
    /// ([`Error::BadComment`], [`Error::CommentTooLong`]).
    pub fn sign(
        &self,
        message: &[u8],
        trusted_comment: &str,
        untrusted_comment: &str,
    ) -> Result<Signature, Error> {
        sign_with(
            &self.signing,
            self.key_id,
            SigAlgorithm::Prehashed,
            message,
            trusted_comment,
            untrusted_comment,
        )
    }

    /// The Ed25519 key, for this module's tests of legacy signing.
    #[cfg(test)]
    pub(super) fn signing_key(&self) -> &SigningKey {
        &self.signing
    }

    /// Wraps a key unlocked from a file.
    pub(super) fn from_parts(key_id: KeyId, signing: SigningKey) -> SecretKey {
        SecretKey { key_id, signing }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::minisign::SecretKeyFile;

    const PLAIN_KEY: &str = include_str!("../../tests/vectors/minisign/plain.key");
    /// A cost minisign accepts that takes about a millisecond (N = 2^10).
    const CHEAP: KdfParams = KdfParams {
        opslimit: 32_768,
        memlimit: 16_777_216,
    };

    fn raw(text: &str) -> Vec<u8> {
        STANDARD.decode(text.lines().nth(1).unwrap()).unwrap()
    }

    #[test]
    fn encrypted_round_trip_with_cheap_cost() {
        let k = SecretKey::generate().unwrap();
        let text = k.to_file_text(Some(b"pw"), CHEAP).unwrap();
        assert!(text.starts_with("untrusted comment: minisign encrypted secret key\n"));
        assert_eq!(text.len(), 49 + 212 + 1);
        let f = SecretKeyFile::parse(&text).unwrap();
        assert_eq!((f.is_encrypted(), f.kdf_params()), (true, Some(CHEAP)));
        let u = f.unlock(Some(b"pw")).unwrap();
        assert_eq!((u.key_id(), u.public_key()), (k.key_id(), k.public_key()));
        assert_eq!(
            f.unlock(Some(b"pW")).map(|_| ()),
            Err(Error::WrongPassphrase)
        );
        assert_eq!(f.unlock(Some(b"")).map(|_| ()), Err(Error::WrongPassphrase));
        assert_eq!(f.unlock(None).map(|_| ()), Err(Error::PassphraseRequired));
        // A fresh salt each time.
        assert_ne!(k.to_file_text(Some(b"pw"), CHEAP).unwrap(), text);
        // minisign accepts an empty password.
        let e = k.to_file_text(Some(b""), CHEAP).unwrap();
        assert_eq!(
            SecretKeyFile::parse(&e)
                .unwrap()
                .unlock(Some(b""))
                .unwrap()
                .key_id(),
            k.key_id()
        );
    }

    #[test]
    fn generated_keys_differ() {
        let (a, b) = (
            SecretKey::generate().unwrap(),
            SecretKey::generate().unwrap(),
        );
        assert_ne!(a.key_id(), b.key_id());
        assert_ne!(a.public_key(), b.public_key());
    }

    #[test]
    fn unusable_passphrases_and_costs_are_refused_when_writing() {
        let k = SecretKey::generate().unwrap();
        let long = vec![b'a'; MAX_PASSPHRASE + 1];
        let cases: Vec<(&[u8], KdfParams, Error)> = vec![
            (
                b"a\nb",
                CHEAP,
                Error::BadPassphrase {
                    reason: "contains a NUL, CR or LF byte",
                },
            ),
            (
                b"a\r",
                CHEAP,
                Error::BadPassphrase {
                    reason: "contains a NUL, CR or LF byte",
                },
            ),
            (
                b"\0",
                CHEAP,
                Error::BadPassphrase {
                    reason: "contains a NUL, CR or LF byte",
                },
            ),
            (
                &long,
                CHEAP,
                Error::BadPassphrase {
                    reason: "is longer than 1023 bytes",
                },
            ),
            (
                b"pw",
                KdfParams {
                    opslimit: 1 << 31,
                    memlimit: 1 << 24,
                },
                Error::KdfOutOfRange {
                    opslimit: 1 << 31,
                    memlimit: 1 << 24,
                },
            ),
        ];
        for (pw, kdf, want) in cases {
            assert_eq!(k.to_file_text(Some(pw), kdf), Err(want));
        }
        assert!(k.to_file_text(Some(&long[1..]), CHEAP).is_ok());
    }

    #[test]
    fn debug_output_holds_no_key_material() {
        let f = SecretKeyFile::parse(PLAIN_KEY).unwrap();
        let k = f.unlock(None).unwrap();
        let seed = &raw(PLAIN_KEY)[62..94];
        let shown = format!("{f:?} {k:?}");
        assert!(shown.contains("2F1F1B83FE42EA1E"), "{shown}");
        for window in seed.windows(3) {
            let dec = format!("{}, {}, {}", window[0], window[1], window[2]);
            let hex: String = window.iter().map(|b| format!("{b:02x}")).collect();
            assert!(
                !shown.contains(&dec) && !shown.to_lowercase().contains(&hex),
                "{shown}"
            );
        }
    }
}
