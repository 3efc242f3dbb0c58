//! minisign's key and signature file formats, byte-compatible with stock
//! minisign 0.11 (`jedisct1/minisign`, `src/minisign.h` and `src/minisign.c`).
//!
//! This module is pure: it never touches the file system, never prints and
//! never prompts. Callers pass file *text* in and get file text out; any
//! passphrase is an argument.
//!
//! The formats (all binary fields base64, standard alphabet, padded):
//! - public key: `untrusted comment: <text>` LF, then
//!   base64(`"Ed"` ‖ key id (8) ‖ Ed25519 public key (32)) LF;
//! - secret key: `untrusted comment: <text>` LF, then base64(`"Ed"` ‖ kdf
//!   (`"Sc"` or `00 00`) ‖ `"B2"` ‖ salt (32) ‖ opslimit (u64 LE) ‖ memlimit
//!   (u64 LE) ‖ key id (8) ‖ Ed25519 seed ‖ public key (64) ‖ checksum (32))
//!   LF, the last 104 bytes XORed with scrypt output when encrypted;
//! - signature: `untrusted comment: <text>` LF, base64(`"ED"` or `"Ed"` ‖
//!   key id ‖ signature (64)) LF, `trusted comment: <text>` LF,
//!   base64(global signature over signature ‖ trusted comment) LF.
//!
//! Files given by the user are read as minisign reads them, tolerances
//! reported (`parse_file`, the `files` and `reader` modules); the strict
//! parsers below are for files inside bundles, where one content has one
//! spelling.
//!
//! Invariants kept by every strict parser here:
//! - no carriage return anywhere ([`Error::CarriageReturn`]): minisign's own
//!   reader silently strips CR, so a CRLF file would be a second spelling;
//! - exactly the lines of the format, the last LF optional, nothing after;
//! - base64 canonical (padding required, zero trailing bits) and of the
//!   exact decoded length, so one file has one spelling;
//! - only the algorithm identifiers minisign knows;
//! - comments printable (tab allowed: minisign's default trusted comment
//!   uses it) and no longer than minisign reads ([`MAX_UNTRUSTED_COMMENT`],
//!   [`MAX_TRUSTED_COMMENT`]);
//! - public keys are canonical, valid, non-weak Ed25519 points;
//! - no panic on any input.
//!
//! Verification is stricter than libsodium in one respect only: it uses
//! ed25519-dalek's `verify_strict` (small-order R and keys refused,
//! non-canonical S refused), which libsodium also refuses in practice.

use std::fmt;
use std::str::FromStr;

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;

mod error;
mod files;
mod kdf;
mod public;
mod reader;
mod secret;
mod secret_key;
mod signature;

#[cfg(test)]
mod interop_tests;

pub use error::Error;
pub use kdf::{KdfParams, MAX_MEMLIMIT, MAX_OPSLIMIT};
pub use public::PublicKey;
pub use reader::Tolerance;
pub use secret::SecretKeyFile;
pub use secret_key::{SecretKey, MAX_PASSPHRASE};
pub use signature::{verify, SigAlgorithm, Signature};

/// The prefix of the first line of every minisign file.
pub const UNTRUSTED_PREFIX: &str = "untrusted comment: ";
/// The prefix of the third line of a signature file.
pub const TRUSTED_PREFIX: &str = "trusted comment: ";
/// The longest untrusted comment minisign reads back, in bytes: its line
/// buffer is 1024 bytes including the prefix, the LF and a NUL.
pub const MAX_UNTRUSTED_COMMENT: usize = 1003;
/// The longest trusted comment minisign reads back, in bytes: its buffer is
/// 8192 bytes including the prefix, the LF and a NUL.
pub const MAX_TRUSTED_COMMENT: usize = 8173;

/// The signature algorithm identifier of keys and of legacy signatures.
const SIG_ALG: [u8; 2] = *b"Ed";

/// A key id: 8 random bytes chosen at key generation, stored in every key
/// and signature so a verifier can tell which key to use.
///
/// Displayed as the little-endian 64-bit number in 16 uppercase hexadecimal
/// digits, as minisign 0.12 prints it (0.11 prints it with `%lX`, dropping
/// leading zeros); [`Ord`] follows that number, so sorting ids sorts their
/// displayed forms.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct KeyId(pub [u8; 8]);

impl KeyId {
    /// The number minisign prints (`le64_load` of the bytes).
    fn number(self) -> u64 {
        u64::from_le_bytes(self.0)
    }
}

impl fmt::Display for KeyId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:016X}", self.number())
    }
}

impl fmt::Debug for KeyId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "KeyId({self})")
    }
}

impl PartialOrd for KeyId {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for KeyId {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.number().cmp(&other.number())
    }
}

impl FromStr for KeyId {
    type Err = Error;

    /// Parses exactly 16 hexadecimal digits (either case), as displayed.
    fn from_str(s: &str) -> Result<KeyId, Error> {
        // from_str_radix alone would accept a leading '+' and shorter forms.
        if s.len() != 16 || !s.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(Error::BadKeyId);
        }
        let n = u64::from_str_radix(s, 16).map_err(|_| Error::BadKeyId)?;
        Ok(KeyId(n.to_le_bytes()))
    }
}

/// Splits file text into lines: refuses any CR, allows one final LF, and
/// keeps empty lines (so a blank line counts as an extra line).
fn split_lines(text: &str) -> Result<Vec<&str>, Error> {
    if text.contains('\r') {
        return Err(Error::CarriageReturn);
    }
    let body = text.strip_suffix('\n').unwrap_or(text);
    Ok(body.split('\n').collect())
}

/// Checks a comment minisign can write and read back: no line break, no
/// control character other than tab, at most `max` bytes.
fn check_comment(comment: &str, max: usize) -> Result<(), Error> {
    if comment.contains(['\n', '\r']) {
        return Err(Error::BadComment {
            reason: "contains a line break",
        });
    }
    if comment.chars().any(|c| c.is_control() && c != '\t') {
        return Err(Error::BadComment {
            reason: "contains a control character",
        });
    }
    if comment.len() > max {
        return Err(Error::CommentTooLong {
            len: comment.len(),
            max,
        });
    }
    Ok(())
}

/// Returns the comment of a first line, checked.
fn untrusted_comment(line: &str) -> Result<&str, Error> {
    let comment = line
        .strip_prefix(UNTRUSTED_PREFIX)
        .ok_or(Error::MissingPrefix {
            line: 1,
            prefix: UNTRUSTED_PREFIX,
        })?;
    check_comment(comment, MAX_UNTRUSTED_COMMENT)?;
    Ok(comment)
}

/// Decodes canonical padded base64 that must yield exactly `N` bytes.
fn decode_exact<const N: usize>(b64: &str, field: &'static str) -> Result<[u8; N], Error> {
    let mut out = [0u8; N];
    let n = match STANDARD.decode_slice(b64, &mut out) {
        Ok(n) => n,
        Err(base64::DecodeSliceError::DecodeError(_)) => return Err(Error::Base64 { field }),
        // Too long for the field: decode again only to name the length (or
        // the base64 error that comes first).
        Err(base64::DecodeSliceError::OutputSliceTooSmall) => {
            let v = STANDARD.decode(b64).map_err(|_| Error::Base64 { field })?;
            v.len()
        }
    };
    if n != N {
        return Err(Error::Length {
            field,
            expected: N,
            found: n,
        });
    }
    Ok(out)
}

/// Splits `N` bytes off the front of `rest`; `None` only if `rest` is short,
/// which the fixed-length decoders above rule out.
fn take<'a, const N: usize>(rest: &mut &'a [u8]) -> Option<&'a [u8; N]> {
    let (head, tail) = rest.split_first_chunk::<N>()?;
    *rest = tail;
    Some(head)
}

/// Formats a two-byte algorithm identifier for error messages.
fn hex2(b: &[u8; 2]) -> String {
    format!("0x{:02x}{:02x}", b[0], b[1])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_id_displays_as_minisign_does() {
        // From tests/vectors/minisign/enc.pub: bytes c2 ad 4d 35 f7 d3 46 a8.
        let id = KeyId([0xc2, 0xad, 0x4d, 0x35, 0xf7, 0xd3, 0x46, 0xa8]);
        assert_eq!(id.to_string(), "A846D3F7354DADC2");
        assert_eq!(format!("{id:?}"), "KeyId(A846D3F7354DADC2)");
        assert_eq!("A846D3F7354DADC2".parse::<KeyId>(), Ok(id));
        assert_eq!("a846d3f7354dadc2".parse::<KeyId>(), Ok(id));
        assert_eq!(KeyId([0; 8]).to_string(), "0000000000000000");
    }

    #[test]
    fn key_id_rejects_other_forms() {
        for s in [
            "",
            "A846D3F7354DADC",
            "A846D3F7354DADC20",
            "+846D3F7354DADC2",
            "A846D3F7354DADCG",
            " A846D3F7354DADC",
            "A846D3F7354DADÇ",
        ] {
            assert_eq!(s.parse::<KeyId>(), Err(Error::BadKeyId), "{s:?}");
        }
    }

    #[test]
    fn key_id_order_follows_display() {
        let mut ids = [
            KeyId([0, 0, 0, 0, 0, 0, 0, 1]),
            KeyId([2, 0, 0, 0, 0, 0, 0, 0]),
        ];
        ids.sort();
        let shown: Vec<String> = ids.iter().map(|i| i.to_string()).collect();
        let mut sorted = shown.clone();
        sorted.sort();
        assert_eq!(shown, sorted);
    }

    #[test]
    fn lines_split_strictly() {
        let cases: &[(&str, Result<Vec<&str>, Error>)] = &[
            ("a\nb\n", Ok(vec!["a", "b"])),
            ("a\nb", Ok(vec!["a", "b"])),
            ("a\nb\n\n", Ok(vec!["a", "b", ""])),
            ("", Ok(vec![""])),
            ("a\r\nb\r\n", Err(Error::CarriageReturn)),
            ("a\nb\r", Err(Error::CarriageReturn)),
        ];
        for (text, want) in cases {
            assert_eq!(&split_lines(text), want, "{text:?}");
        }
    }

    #[test]
    fn comments_are_checked() {
        let long = "x".repeat(41);
        let cases: &[(&str, Result<(), Error>)] = &[
            ("", Ok(())),
            ("timestamp:1\tfile:a\thashed", Ok(())),
            ("café ünïcode", Ok(())),
            (
                "a\nb",
                Err(Error::BadComment {
                    reason: "contains a line break",
                }),
            ),
            (
                "a\rb",
                Err(Error::BadComment {
                    reason: "contains a line break",
                }),
            ),
            (
                "a\u{1b}[31m",
                Err(Error::BadComment {
                    reason: "contains a control character",
                }),
            ),
            (
                "a\u{0}",
                Err(Error::BadComment {
                    reason: "contains a control character",
                }),
            ),
            (
                "a\u{7f}",
                Err(Error::BadComment {
                    reason: "contains a control character",
                }),
            ),
            (
                "a\u{85}",
                Err(Error::BadComment {
                    reason: "contains a control character",
                }),
            ),
            (&long, Err(Error::CommentTooLong { len: 41, max: 40 })),
        ];
        for (c, want) in cases {
            assert_eq!(&check_comment(c, 40), want, "{c:?}");
        }
    }

    #[test]
    fn base64_must_be_canonical_and_exact() {
        let f = "field";
        assert_eq!(decode_exact::<2>("RWQ=", f), Ok(*b"Ed"));
        let cases: &[(&str, Error)] = &[
            ("RWR=", Error::Base64 { field: f }), // non-zero trailing bits
            ("RWQ", Error::Base64 { field: f }),  // padding missing
            ("RWQ==", Error::Base64 { field: f }),
            (" RWQ=", Error::Base64 { field: f }),
            (
                "RQ==",
                Error::Length {
                    field: f,
                    expected: 2,
                    found: 1,
                },
            ),
            (
                "RWRk",
                Error::Length {
                    field: f,
                    expected: 2,
                    found: 3,
                },
            ),
            (
                "",
                Error::Length {
                    field: f,
                    expected: 2,
                    found: 0,
                },
            ),
        ];
        for (b64, want) in cases {
            assert_eq!(decode_exact::<2>(b64, f).as_ref(), Err(want), "{b64:?}");
        }
    }
}
