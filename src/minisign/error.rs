//! Errors of the minisign formats: one variant per distinct way a key,
//! signature or passphrase can fail, each rendered as one lowercase line
//! (the caller adds the file path).

use super::{hex2, KeyId};

/// Why a minisign key or signature could not be read, written, unlocked or
/// verified.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// The text does not have the two lines of a public key.
    #[error("not a minisign public key: expected an untrusted comment line and a base64 line")]
    NotPublicKey,
    /// The text does not have the two lines of a secret key.
    #[error("not a minisign secret key: expected an untrusted comment line and a base64 line")]
    NotSecretKey,
    /// The text does not have the four lines of a signature.
    #[error("not a minisign signature: expected 4 lines (untrusted comment, signature, trusted comment, global signature)")]
    NotSignature,
    /// The file is empty.
    #[error("the file is empty")]
    Empty,
    /// A signature file starting with a UTF-8 byte order mark, which
    /// minisign refuses too (its first line must start with the prefix).
    #[error("the file starts with a UTF-8 byte order mark, which minisign does not accept in a signature either; save it without one")]
    ByteOrderMark,
    /// A line longer than minisign's buffer for it: minisign would read the
    /// rest of it as the next line.
    #[error("line {line} is longer than the {max} bytes minisign reads")]
    LineTooLong {
        /// 1-based line number.
        line: usize,
        /// minisign's limit for that line, line break included.
        max: usize,
    },
    /// A file of another kind than expected (a public key where a secret
    /// key is needed, a signature where a key is needed, ...).
    #[error("this is a minisign {found}, not a {expected}")]
    WrongKind {
        /// What the file holds.
        found: &'static str,
        /// What was needed.
        expected: &'static str,
    },
    /// A key file holding only the base64 line, which minisign refuses.
    #[error("the file holds only a base64 public key line; a minisign key file starts with an untrusted comment line (give a bare key with -P instead)")]
    BarePublicKey,
    /// A carriage return: CRLF files are not minisign's format.
    #[error("carriage return found: minisign files use LF line endings, not CRLF")]
    CarriageReturn,
    /// A line does not start with the prefix the format requires there.
    #[error("line {line} does not start with {prefix:?}")]
    MissingPrefix {
        /// 1-based line number.
        line: usize,
        /// The required prefix.
        prefix: &'static str,
    },
    /// A base64 field is not canonical padded standard base64.
    #[error("base64 is not valid in the {field}")]
    Base64 {
        /// Which field ("public key", "signature", ...).
        field: &'static str,
    },
    /// A base64 field decodes to the wrong number of bytes.
    #[error("the {field} decodes to {found} bytes, expected {expected}")]
    Length {
        /// Which field.
        field: &'static str,
        /// The length of the field in minisign's format.
        expected: usize,
        /// The decoded length.
        found: usize,
    },
    /// The signature algorithm is neither `Ed` nor (for signatures) `ED`.
    #[error("unsupported signature algorithm {}", hex2(.0))]
    UnsupportedSignatureAlgorithm([u8; 2]),
    /// The key derivation algorithm is neither `Sc` nor none (`00 00`).
    #[error("unsupported key derivation algorithm {}", hex2(.0))]
    UnsupportedKdf([u8; 2]),
    /// The checksum algorithm is not `B2`.
    #[error("unsupported checksum algorithm {}", hex2(.0))]
    UnsupportedChecksum([u8; 2]),
    /// scrypt parameters beyond what docseal is willing to spend.
    #[error("scrypt parameters out of range: opslimit {opslimit}, memlimit {memlimit} (limits: opslimit 2^30, memlimit 2 GiB, memory used 3 GiB)")]
    KdfOutOfRange {
        /// The opslimit asked for.
        opslimit: u64,
        /// The memlimit asked for.
        memlimit: u64,
    },
    /// scrypt refused the derived parameters.
    #[error("scrypt key derivation failed: invalid parameters")]
    Kdf,
    /// The secret key is encrypted and no passphrase was given.
    #[error("the secret key is encrypted: a passphrase is required")]
    PassphraseRequired,
    /// The passphrase does not decrypt the secret key (checksum mismatch).
    #[error("wrong passphrase")]
    WrongPassphrase,
    /// A passphrase stock minisign could not type back.
    #[error("passphrase not usable with minisign: it {reason}")]
    BadPassphrase {
        /// What is wrong with it.
        reason: &'static str,
    },
    /// An unencrypted secret key whose checksum does not match.
    #[error("secret key checksum does not match: the key file is corrupt")]
    CorruptSecretKey,
    /// A secret key whose stored public half does not match its seed.
    #[error("secret key is inconsistent: its public half does not match its seed")]
    InconsistentSecretKey,
    /// The public key bytes are not a canonical Ed25519 point.
    #[error("public key is not a valid ed25519 point")]
    InvalidPoint,
    /// The public key is a small-order point, which verifies forged signatures.
    #[error("public key is a weak (small-order) ed25519 point")]
    WeakKey,
    /// A key id that is not 16 hexadecimal digits.
    #[error("key id must be 16 hexadecimal digits")]
    BadKeyId,
    /// A comment minisign could not write or read back.
    #[error("comment {reason}")]
    BadComment {
        /// What is wrong with it.
        reason: &'static str,
    },
    /// A comment longer than minisign reads back.
    #[error("comment is {len} bytes, longer than the {max} bytes minisign reads")]
    CommentTooLong {
        /// Its length in bytes.
        len: usize,
        /// The limit.
        max: usize,
    },
    /// The signature was made by another key than the one given.
    #[error("key id mismatch: key is {key}, signature is by {signature}")]
    KeyIdMismatch {
        /// The id of the public key used.
        key: KeyId,
        /// The id recorded in the signature.
        signature: KeyId,
    },
    /// The signature over the message does not verify.
    #[error("signature does not verify")]
    BadSignature,
    /// The global signature over signature and trusted comment does not verify.
    #[error("trusted comment signature does not verify: the trusted comment or global signature was altered")]
    BadTrustedComment,
    /// The operating system's random number generator failed.
    #[error("system random number generator failed: {0}")]
    Random(String),
}
