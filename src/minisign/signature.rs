//! minisign signatures (`.minisig`): parsing, writing, signing and
//! verification.
//!
//! File, four LF-terminated lines (the last LF optional, as minisign's
//! reader does not need it): `untrusted comment: <text>`, base64(algorithm
//! ‖ key id (8) ‖ Ed25519 signature (64)), `trusted comment: <text>`,
//! base64(global signature (64)). The algorithm is `ED` (the signature is
//! over BLAKE2b-512 of the message, minisign's default since 0.8) or `Ed`
//! (legacy: over the message itself). The global signature is over the
//! signature ‖ the trusted comment's bytes, which is what makes the trusted
//! comment trusted; the untrusted comment is signed by nothing.
//!
//! Invariant: [`Signature::to_file_text`] of a parsed file gives the file
//! back byte for byte (with the final LF) whenever the comments were not
//! changed through the public fields.

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use blake2::{Blake2b512, Digest};
use ed25519_dalek::{Signer as _, SigningKey};

use super::{
    check_comment, decode_exact, split_lines, take, untrusted_comment, Error, KeyId, PublicKey,
    MAX_TRUSTED_COMMENT, MAX_UNTRUSTED_COMMENT, SIG_ALG, TRUSTED_PREFIX, UNTRUSTED_PREFIX,
};

/// Decoded length of the signature line: algorithm ‖ key id ‖ signature.
const SIG_LEN: usize = 74;

/// What the Ed25519 signature on the second line covers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SigAlgorithm {
    /// `ED`: the BLAKE2b-512 hash of the message (minisign's default).
    Prehashed,
    /// `Ed`: the message itself (`minisign -S -l`).
    Legacy,
}

impl SigAlgorithm {
    fn id(self) -> [u8; 2] {
        match self {
            SigAlgorithm::Prehashed => *b"ED",
            SigAlgorithm::Legacy => SIG_ALG,
        }
    }

    fn from_id(id: [u8; 2]) -> Result<SigAlgorithm, Error> {
        match &id {
            b"ED" => Ok(SigAlgorithm::Prehashed),
            b"Ed" => Ok(SigAlgorithm::Legacy),
            _ => Err(Error::UnsupportedSignatureAlgorithm(id)),
        }
    }

    /// The bytes the Ed25519 signature covers.
    fn signed_bytes(self, message: &[u8]) -> std::borrow::Cow<'_, [u8]> {
        match self {
            SigAlgorithm::Prehashed => Blake2b512::digest(message).to_vec().into(),
            SigAlgorithm::Legacy => message.into(),
        }
    }
}

/// A parsed minisign signature.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Signature {
    /// Prehashed (`ED`) or legacy (`Ed`).
    pub algorithm: SigAlgorithm,
    /// The id of the key that made it.
    pub key_id: KeyId,
    /// The first line's comment, signed by nothing.
    pub untrusted_comment: String,
    /// The third line's comment, covered by the global signature.
    pub trusted_comment: String,
    sig: [u8; 64],
    global_sig: [u8; 64],
}

impl Signature {
    /// Parses the four-line `.minisig` format strictly (see the module doc).
    pub fn parse(text: &str) -> Result<Signature, Error> {
        let lines = split_lines(text)?;
        let [l1, l2, l3, l4] = lines.as_slice() else {
            return Err(Error::NotSignature);
        };
        let untrusted = untrusted_comment(l1)?;
        let raw: [u8; SIG_LEN] = decode_exact(l2, "signature")?;
        let short = || Error::Length {
            field: "signature",
            expected: SIG_LEN,
            found: 0,
        };
        let mut rest = &raw[..];
        let alg: [u8; 2] = *take(&mut rest).ok_or_else(short)?;
        let key_id: [u8; 8] = *take(&mut rest).ok_or_else(short)?;
        let sig: [u8; 64] = *take(&mut rest).ok_or_else(short)?;
        let algorithm = SigAlgorithm::from_id(alg)?;
        let trusted = l3
            .strip_prefix(TRUSTED_PREFIX)
            .ok_or(Error::MissingPrefix {
                line: 3,
                prefix: TRUSTED_PREFIX,
            })?;
        check_comment(trusted, MAX_TRUSTED_COMMENT)?;
        let global_sig = decode_exact(l4, "global signature")?;
        Ok(Signature {
            algorithm,
            key_id: KeyId(key_id),
            untrusted_comment: untrusted.to_owned(),
            trusted_comment: trusted.to_owned(),
            sig,
            global_sig,
        })
    }

    /// The file text, exactly as minisign writes it (four lines, each
    /// ending in LF). Comments are written as they are: one changed through
    /// the public fields to hold a line break gives a file [`Signature::parse`]
    /// refuses; use [`Signature::with_untrusted_comment`] to change it safely.
    pub fn to_file_text(&self) -> String {
        let mut raw = Vec::with_capacity(SIG_LEN);
        raw.extend_from_slice(&self.algorithm.id());
        raw.extend_from_slice(&self.key_id.0);
        raw.extend_from_slice(&self.sig);
        format!(
            "{UNTRUSTED_PREFIX}{}\n{}\n{TRUSTED_PREFIX}{}\n{}\n",
            self.untrusted_comment,
            STANDARD.encode(raw),
            self.trusted_comment,
            STANDARD.encode(self.global_sig)
        )
    }

    /// The same signature with another untrusted comment (which nothing
    /// signs, so the signature stays valid).
    pub fn with_untrusted_comment(&self, comment: &str) -> Result<Signature, Error> {
        check_comment(comment, MAX_UNTRUSTED_COMMENT)?;
        Ok(Signature {
            untrusted_comment: comment.to_owned(),
            ..self.clone()
        })
    }

    /// signature ‖ trusted comment: what the global signature covers.
    fn global_message(sig: &[u8; 64], trusted_comment: &str) -> Vec<u8> {
        let mut m = Vec::with_capacity(64 + trusted_comment.len());
        m.extend_from_slice(sig);
        m.extend_from_slice(trusted_comment.as_bytes());
        m
    }
}

/// Signs as minisign does, with both comments checked first.
pub(super) fn sign_with(
    key: &SigningKey,
    key_id: KeyId,
    algorithm: SigAlgorithm,
    message: &[u8],
    trusted_comment: &str,
    untrusted_comment: &str,
) -> Result<Signature, Error> {
    check_comment(untrusted_comment, MAX_UNTRUSTED_COMMENT)?;
    check_comment(trusted_comment, MAX_TRUSTED_COMMENT)?;
    let sig = key.sign(&algorithm.signed_bytes(message)).to_bytes();
    let global_sig = key
        .sign(&Signature::global_message(&sig, trusted_comment))
        .to_bytes();
    Ok(Signature {
        algorithm,
        key_id,
        untrusted_comment: untrusted_comment.to_owned(),
        trusted_comment: trusted_comment.to_owned(),
        sig,
        global_sig,
    })
}

/// Verifies `sig` over `message` with `key`, in minisign's order: the key
/// id ([`Error::KeyIdMismatch`], naming both ids), then the signature over
/// the message ([`Error::BadSignature`]), then the global signature over
/// signature ‖ trusted comment ([`Error::BadTrustedComment`]). Both use
/// ed25519-dalek's `verify_strict`. Legacy (`Ed`) signatures are accepted,
/// as `minisign -V` accepts them; callers wanting prehashed only check
/// [`Signature::algorithm`].
pub fn verify(key: &PublicKey, sig: &Signature, message: &[u8]) -> Result<(), Error> {
    if key.key_id() != sig.key_id {
        return Err(Error::KeyIdMismatch {
            key: key.key_id(),
            signature: sig.key_id,
        });
    }
    let vk = key.verifying_key();
    let ed = ed25519_dalek::Signature::from_bytes(&sig.sig);
    vk.verify_strict(&sig.algorithm.signed_bytes(message), &ed)
        .map_err(|_| Error::BadSignature)?;
    let global = ed25519_dalek::Signature::from_bytes(&sig.global_sig);
    vk.verify_strict(
        &Signature::global_message(&sig.sig, &sig.trusted_comment),
        &global,
    )
    .map_err(|_| Error::BadTrustedComment)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::minisign::SecretKeyFile;

    const PLAIN_PUB: &str = include_str!("../../tests/vectors/minisign/plain.pub");
    const PLAIN_KEY: &str = include_str!("../../tests/vectors/minisign/plain.key");
    const MESSAGE: &[u8] = include_bytes!("../../tests/vectors/minisign/message.txt");
    const SIG: &str = include_str!("../../tests/vectors/minisign/message.txt.minisig");
    const LEGACY: &str = include_str!("../../tests/vectors/minisign/message.txt.legacy.minisig");
    const DEFAULT: &str = include_str!("../../tests/vectors/minisign/message.txt.default.minisig");

    fn plain() -> PublicKey {
        PublicKey::parse(PLAIN_PUB).unwrap()
    }

    #[test]
    fn minisign_signatures_parse_verify_and_round_trip() {
        let cases = [
            (
                SIG,
                SigAlgorithm::Prehashed,
                "docseal vector: prehashed",
                "signature from minisign secret key",
            ),
            (
                LEGACY,
                SigAlgorithm::Legacy,
                "docseal vector: legacy",
                "legacy signature",
            ),
        ];
        for (text, alg, trusted, untrusted) in cases {
            let s = Signature::parse(text).unwrap();
            assert_eq!((s.algorithm, s.trusted_comment.as_str()), (alg, trusted));
            assert_eq!(s.untrusted_comment, untrusted);
            assert_eq!(s.key_id, plain().key_id());
            assert_eq!(s.to_file_text(), text);
            assert_eq!(Signature::parse(text.trim_end()).unwrap(), s);
            assert_eq!(verify(&plain(), &s, MESSAGE), Ok(()));
            assert_eq!(
                verify(&plain(), &s, b"another message"),
                Err(Error::BadSignature)
            );
        }
        // minisign's default trusted comment holds tabs.
        let s = Signature::parse(DEFAULT).unwrap();
        assert!(
            s.trusted_comment.starts_with("timestamp:") && s.trusted_comment.ends_with("\thashed")
        );
        assert_eq!(verify(&plain(), &s, MESSAGE), Ok(()));
        assert_eq!(s.to_file_text(), DEFAULT);
    }

    #[test]
    fn docseal_signs_exactly_as_minisign() {
        // Ed25519 is deterministic, so the same key, message and comments
        // give minisign's file byte for byte, legacy included.
        let key = SecretKeyFile::parse(PLAIN_KEY)
            .unwrap()
            .unlock(None)
            .unwrap();
        let s = key
            .sign(
                MESSAGE,
                "docseal vector: prehashed",
                "signature from minisign secret key",
            )
            .unwrap();
        assert_eq!(s.to_file_text(), SIG);
        let l = sign_with(
            key.signing_key(),
            key.key_id(),
            SigAlgorithm::Legacy,
            MESSAGE,
            "docseal vector: legacy",
            "legacy signature",
        )
        .unwrap();
        assert_eq!(l.to_file_text(), LEGACY);
    }

    #[test]
    fn comments_are_checked_when_signing() {
        let key = SecretKeyFile::parse(PLAIN_KEY)
            .unwrap()
            .unlock(None)
            .unwrap();
        let lf = Error::BadComment {
            reason: "contains a line break",
        };
        let ctl = Error::BadComment {
            reason: "contains a control character",
        };
        let long_t = "t".repeat(MAX_TRUSTED_COMMENT + 1);
        let long_u = "u".repeat(MAX_UNTRUSTED_COMMENT + 1);
        let cases: Vec<(&str, &str, Error)> = vec![
            ("a\nb", "u", lf.clone()),
            ("a\r", "u", lf.clone()),
            ("t", "a\nb", lf),
            ("\u{1b}[2J", "u", ctl.clone()),
            ("t", "\u{0}", ctl),
            (
                &long_t,
                "u",
                Error::CommentTooLong {
                    len: MAX_TRUSTED_COMMENT + 1,
                    max: MAX_TRUSTED_COMMENT,
                },
            ),
            (
                "t",
                &long_u,
                Error::CommentTooLong {
                    len: MAX_UNTRUSTED_COMMENT + 1,
                    max: MAX_UNTRUSTED_COMMENT,
                },
            ),
        ];
        for (t, u, want) in cases {
            assert_eq!(key.sign(b"m", t, u), Err(want), "{t:?} {u:?}");
        }
        let max = key.sign(
            b"m",
            &"t".repeat(MAX_TRUSTED_COMMENT),
            &"u".repeat(MAX_UNTRUSTED_COMMENT),
        );
        let max = max.unwrap();
        assert_eq!(Signature::parse(&max.to_file_text()), Ok(max));
    }

    #[test]
    fn with_untrusted_comment_keeps_the_signature_valid() {
        let s = Signature::parse(SIG).unwrap();
        let t = s.with_untrusted_comment("renamed").unwrap();
        assert_eq!(t.untrusted_comment, "renamed");
        assert_eq!(verify(&plain(), &t, MESSAGE), Ok(()));
        assert_eq!(Signature::parse(&t.to_file_text()), Ok(t));
        assert_eq!(
            s.with_untrusted_comment("a\nb"),
            Err(Error::BadComment {
                reason: "contains a line break"
            })
        );
    }

    /// Replaces line `n` (0-based) of a signature file.
    fn with_line(text: &str, n: usize, line: &str) -> String {
        let mut lines: Vec<&str> = text.lines().collect();
        lines[n] = line;
        lines.iter().map(|l| format!("{l}\n")).collect()
    }

    #[test]
    fn parse_rejects() {
        let lines: Vec<&str> = SIG.lines().collect();
        let (sf, gf) = ("signature", "global signature");
        let mut bad_alg = STANDARD.decode(lines[1]).unwrap();
        bad_alg[1] = b'X';
        let bad_alg = STANDARD.encode(bad_alg);
        // 74 bytes leave 2 spare bits in the last base64 digit; set one.
        const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        let last = ALPHABET
            .iter()
            .position(|&c| c == lines[1].as_bytes()[98])
            .unwrap();
        assert_eq!(last % 4, 0, "canonical digits have zero spare bits");
        let spare = format!("{}{}=", &lines[1][..98], ALPHABET[last | 1] as char);
        let cases: Vec<(String, Error)> = vec![
            (SIG.replace('\n', "\r\n"), Error::CarriageReturn),
            (SIG.replacen('\n', "\r\n", 1), Error::CarriageReturn),
            (format!("{SIG}\n"), Error::NotSignature),
            (format!("{SIG}extra\n"), Error::NotSignature),
            (
                SIG.lines().take(3).map(|l| format!("{l}\n")).collect(),
                Error::NotSignature,
            ),
            (String::new(), Error::NotSignature),
            (
                with_line(SIG, 0, "untrusted comment:x"),
                Error::MissingPrefix {
                    line: 1,
                    prefix: UNTRUSTED_PREFIX,
                },
            ),
            (
                with_line(SIG, 0, "untrusted comment: \u{7}"),
                Error::BadComment {
                    reason: "contains a control character",
                },
            ),
            (
                with_line(SIG, 2, "trusted  comment: x"),
                Error::MissingPrefix {
                    line: 3,
                    prefix: TRUSTED_PREFIX,
                },
            ),
            (
                with_line(SIG, 2, "trusted comment: \u{9b}"),
                Error::BadComment {
                    reason: "contains a control character",
                },
            ),
            (
                with_line(SIG, 1, &bad_alg),
                Error::UnsupportedSignatureAlgorithm(*b"EX"),
            ),
            (with_line(SIG, 1, &spare), Error::Base64 { field: sf }),
            (
                with_line(SIG, 1, &lines[1][..96]),
                Error::Length {
                    field: sf,
                    expected: 74,
                    found: 72,
                },
            ),
            (
                with_line(SIG, 1, &format!("{}AAAA", lines[1])),
                Error::Base64 { field: sf },
            ),
            (
                with_line(SIG, 1, &lines[1].replace('=', "")),
                Error::Base64 { field: sf },
            ),
            (
                with_line(SIG, 3, &lines[3][..84]),
                Error::Length {
                    field: gf,
                    expected: 64,
                    found: 63,
                },
            ),
            (
                with_line(SIG, 3, &lines[3].replace("==", "=")),
                Error::Base64 { field: gf },
            ),
            (
                with_line(SIG, 3, ""),
                Error::Length {
                    field: gf,
                    expected: 64,
                    found: 0,
                },
            ),
        ];
        for (text, want) in cases {
            assert_eq!(Signature::parse(&text), Err(want), "{text:?}");
        }
    }

    /// The field a byte of the decoded signature line belongs to, and the
    /// error a flipped bit there must give.
    fn expected_for_sig_byte(i: usize, mutated: [u8; 2]) -> Result<Result<(), Error>, Error> {
        match i {
            0 | 1 => match SigAlgorithm::from_id(mutated) {
                Ok(_) => Ok(Err(Error::BadSignature)),
                Err(e) => Err(e),
            },
            2..=9 => Ok(Err(Error::KeyIdMismatch {
                key: KeyId([0; 8]),
                signature: KeyId([0; 8]),
            })),
            _ => Ok(Err(Error::BadSignature)),
        }
    }

    #[test]
    fn every_flipped_bit_is_caught_in_the_right_field() {
        let good = Signature::parse(SIG).unwrap();
        let key = plain();
        for i in 0..SIG_LEN {
            for bit in 0..8 {
                let mut raw = STANDARD.decode(SIG.lines().nth(1).unwrap()).unwrap();
                raw[i] ^= 1 << bit;
                let text = with_line(SIG, 1, &STANDARD.encode(&raw));
                let got = Signature::parse(&text).map(|s| verify(&key, &s, MESSAGE));
                match (expected_for_sig_byte(i, [raw[0], raw[1]]), got) {
                    (
                        Ok(Err(Error::KeyIdMismatch { .. })),
                        Ok(Err(Error::KeyIdMismatch {
                            key: k,
                            signature: s,
                        })),
                    ) => {
                        assert_eq!(k, key.key_id());
                        assert_ne!(s, key.key_id());
                    }
                    (want, got) => assert_eq!(got, want, "byte {i} bit {bit}"),
                }
            }
        }
        for i in 0..64 {
            for bit in 0..8 {
                let mut s = good.clone();
                s.global_sig[i] ^= 1 << bit;
                assert_eq!(Signature::parse(&s.to_file_text()).as_ref(), Ok(&s));
                assert_eq!(
                    verify(&key, &s, MESSAGE),
                    Err(Error::BadTrustedComment),
                    "byte {i} bit {bit}"
                );
            }
        }
    }

    #[test]
    fn tampered_trusted_comment_fails_the_global_signature() {
        for tc in [
            "docseal vector: prehashe",
            "docseal vector: prehashed ",
            "Docseal vector: prehashed",
            "",
        ] {
            let text = with_line(SIG, 2, &format!("trusted comment: {tc}"));
            let s = Signature::parse(&text).unwrap();
            assert_eq!(
                verify(&plain(), &s, MESSAGE),
                Err(Error::BadTrustedComment),
                "{tc:?}"
            );
        }
    }

    #[test]
    fn key_id_mismatch_names_both_ids() {
        let other = PublicKey::parse(include_str!("../../tests/vectors/minisign/enc.pub")).unwrap();
        let s = Signature::parse(SIG).unwrap();
        let err = verify(&other, &s, MESSAGE).unwrap_err();
        assert_eq!(
            err,
            Error::KeyIdMismatch {
                key: other.key_id(),
                signature: plain().key_id()
            }
        );
        assert_eq!(
            err.to_string(),
            "key id mismatch: key is A846D3F7354DADC2, signature is by 2F1F1B83FE42EA1E"
        );
    }

    /// Adds the group order L to a little-endian scalar (s + L < 2^256 for s < L).
    fn add_l(s: &mut [u8]) {
        const L: [u8; 32] = [
            0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9,
            0xde, 0x14, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10,
        ];
        let mut carry = 0u16;
        for (b, l) in s.iter_mut().zip(L) {
            let v = u16::from(*b) + u16::from(l) + carry;
            *b = v as u8;
            carry = v >> 8;
        }
    }

    #[test]
    fn non_canonical_s_is_refused() {
        // s + L satisfies the verification equation for lax verifiers.
        let good = Signature::parse(SIG).unwrap();
        let mut s = good.clone();
        add_l(&mut s.sig[32..]);
        assert_eq!(verify(&plain(), &s, MESSAGE), Err(Error::BadSignature));
        let mut g = good;
        add_l(&mut g.global_sig[32..]);
        assert_eq!(verify(&plain(), &g, MESSAGE), Err(Error::BadTrustedComment));
    }

    #[test]
    fn legacy_and_prehashed_are_not_interchangeable() {
        let mut s = Signature::parse(SIG).unwrap();
        s.algorithm = SigAlgorithm::Legacy;
        assert_eq!(verify(&plain(), &s, MESSAGE), Err(Error::BadSignature));
        let mut l = Signature::parse(LEGACY).unwrap();
        l.algorithm = SigAlgorithm::Prehashed;
        assert_eq!(verify(&plain(), &l, MESSAGE), Err(Error::BadSignature));
    }
}
