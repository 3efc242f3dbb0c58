//! Parsing key and signature files given by the user (`-p`, `-s`,
//! `--keyring`, `sign --minisig`) as stock minisign 0.11 reads them: the
//! `reader` module finds the fields minisign would use and the tolerances
//! taken, then the strict parsers of the sibling modules check the fields.
//!
//! Invariant: a file parsed here is accepted by minisign, and a file minisign
//! accepts is parsed here, except where docseal is stricter about the
//! content (valid, non-weak points; a printable UTF-8 trusted comment).
//! Files *inside* bundles keep the canonical-only [`PublicKey::parse`] and
//! [`Signature::parse`]: there one file has one spelling.

use super::reader::{
    base64_line, base64_text, wrong_kind, Reader, Tolerance, COMMENT_LINE, TRUSTED_LINE,
};
use super::secret::SK_LEN;
use super::{
    decode_exact, Error, PublicKey, SecretKeyFile, Signature, MAX_UNTRUSTED_COMMENT,
    TRUSTED_PREFIX, UNTRUSTED_PREFIX,
};

/// Decoded lengths of the base64 lines minisign reads.
const PK_BIN: usize = 42;
const SIG_BIN: usize = 74;
const GLOBAL_BIN: usize = 64;

/// Runs `parse` over a reader of `bytes`; on failure explains a line too
/// long for minisign, or names the kind of file it really is.
fn read_with<T>(
    bytes: &[u8],
    expected: &'static str,
    parse: impl FnOnce(&mut Reader<'_>) -> Result<T, Error>,
) -> Result<(T, Vec<Tolerance>), Error> {
    let mut r = Reader::new(bytes);
    match parse(&mut r) {
        Ok(v) => Ok((v, r.finish())),
        Err(e) => Err(wrong_kind(bytes, expected, r.explain(e))),
    }
}

impl PublicKey {
    /// Parses a `.pub` file as `minisign -V -p` reads it: any first line,
    /// then the base64 line, with the [`Tolerance`]s taken.
    pub fn parse_file(bytes: &[u8]) -> Result<(PublicKey, Vec<Tolerance>), Error> {
        read_with(bytes, "public key", |r| {
            let first = r.line(COMMENT_LINE).ok_or(Error::Empty)?;
            r.key_comment(&first);
            let second = r.line(base64_line(PK_BIN)).ok_or(Error::NotPublicKey)?;
            PublicKey::from_base64(base64_text(&second, "public key")?)
        })
    }
}

impl SecretKeyFile {
    /// Parses a secret key file as `minisign -S -s` reads it: any first
    /// line, then the base64 line, with the [`Tolerance`]s taken.
    pub fn parse_file(bytes: &[u8]) -> Result<(SecretKeyFile, Vec<Tolerance>), Error> {
        read_with(bytes, "secret key", |r| {
            let first = r.line(COMMENT_LINE).ok_or(Error::Empty)?;
            let comment = r.key_comment(&first);
            let second = r.line(base64_line(SK_LEN)).ok_or(Error::NotSecretKey)?;
            let b64 = base64_text(&second, "secret key")?;
            let raw = zeroize::Zeroizing::new(decode_exact::<SK_LEN>(b64, "secret key")?);
            SecretKeyFile::from_bytes(&comment, &raw)
        })
    }
}

impl Signature {
    /// Parses a `.minisig` file as `minisign -V -x` reads it, with the
    /// [`Tolerance`]s taken. The untrusted comment is kept only as far as it
    /// is printable text; the trusted comment must be printable UTF-8.
    pub fn parse_file(bytes: &[u8]) -> Result<(Signature, Vec<Tolerance>), Error> {
        read_with(bytes, "signature", |r| {
            let l1 = r.line(COMMENT_LINE).ok_or(Error::Empty)?;
            let untrusted = r.signature_comment(&l1)?;
            let l2 = r.line(base64_line(SIG_BIN)).ok_or(Error::NotSignature)?;
            let sig = base64_text(&l2, "signature")?;
            let l3 = r.line(TRUSTED_LINE).ok_or(Error::NotSignature)?;
            let trusted = r.trusted_comment(&l3)?;
            let l4 = r.line(base64_line(GLOBAL_BIN)).ok_or(Error::NotSignature)?;
            let global = base64_text(&l4, "global signature")?;
            // The canonical file of these fields, checked by the strict parser.
            let canonical = format!(
                "{UNTRUSTED_PREFIX}{}\n{sig}\n{TRUSTED_PREFIX}{trusted}\n{global}\n",
                truncate(&untrusted, MAX_UNTRUSTED_COMMENT)
            );
            Signature::parse(&canonical)
        })
    }
}

/// `s` cut to at most `max` bytes at a character boundary.
fn truncate(s: &str, max: usize) -> &str {
    let mut end = s.len().min(max);
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

#[cfg(test)]
mod tests {
    use super::*;

    const PLAIN_PUB: &str = include_str!("../../tests/vectors/minisign/plain.pub");
    const PLAIN_KEY: &str = include_str!("../../tests/vectors/minisign/plain.key");
    const SIG: &str = include_str!("../../tests/vectors/minisign/message.txt.minisig");

    fn crlf(s: &str) -> Vec<u8> {
        s.replace('\n', "\r\n").into_bytes()
    }

    #[test]
    fn canonical_files_need_no_tolerance() {
        let (k, t) = PublicKey::parse_file(PLAIN_PUB.as_bytes()).unwrap();
        assert_eq!((k.to_file_text().as_str(), t), (PLAIN_PUB, vec![]));
        let (s, t) = Signature::parse_file(SIG.as_bytes()).unwrap();
        assert_eq!((s.to_file_text().as_str(), t), (SIG, vec![]));
        let (f, t) = SecretKeyFile::parse_file(PLAIN_KEY.as_bytes()).unwrap();
        assert_eq!((f.key_id(), t), (Some(k.key_id()), vec![]));
    }

    #[test]
    fn windows_edited_files_are_read_and_say_so() {
        let bom = |s: &str| [&b"\xef\xbb\xbf"[..], &crlf(s)].concat();
        let want = vec![Tolerance::CarriageReturn, Tolerance::ByteOrderMark];
        let (k, t) = PublicKey::parse_file(&bom(PLAIN_PUB)).unwrap();
        assert_eq!((k.to_file_text().as_str(), t), (PLAIN_PUB, want.clone()));
        let (_, t) = SecretKeyFile::parse_file(&bom(PLAIN_KEY)).unwrap();
        assert_eq!(t, want);
        let (s, t) = Signature::parse_file(&crlf(SIG)).unwrap();
        assert_eq!(
            (s.to_file_text().as_str(), t),
            (SIG, vec![Tolerance::CarriageReturn])
        );
        assert_eq!(
            Signature::parse_file(&bom(SIG)).map(|_| ()),
            Err(Error::ByteOrderMark)
        );
    }

    #[test]
    fn tolerances_are_named() {
        let b64 = PLAIN_PUB.lines().nth(1).unwrap();
        let cases: Vec<(Vec<u8>, Vec<Tolerance>)> = vec![
            (
                format!("{PLAIN_PUB}\n\n").into(),
                vec![Tolerance::TrailingBlank],
            ),
            (
                format!("{PLAIN_PUB}{PLAIN_PUB}").into(),
                vec![Tolerance::TrailingText {
                    bytes: PLAIN_PUB.len(),
                }],
            ),
            (
                PLAIN_PUB.trim_end().into(),
                vec![Tolerance::NoFinalLineBreak],
            ),
            (
                format!("my key\n{b64}\n").into(),
                vec![Tolerance::NoCommentPrefix],
            ),
            (
                [&b"untrusted comment: caf\xe9\n"[..], b64.as_bytes(), b"\n"].concat(),
                vec![Tolerance::UnprintableComment],
            ),
            (
                // minisign's 58-byte buffer holds the key, CR and "j".
                format!("untrusted comment: x\n{b64}\rjunk\n").into(),
                vec![
                    Tolerance::TextCut { line: 2 },
                    Tolerance::TrailingText { bytes: 4 },
                ],
            ),
        ];
        for (bytes, want) in cases {
            let got = PublicKey::parse_file(&bytes).map(|(_, t)| t);
            assert_eq!(got, Ok(want), "{:?}", String::from_utf8_lossy(&bytes));
        }
    }

    #[test]
    fn files_of_another_kind_are_named() {
        let b64 = PLAIN_PUB.lines().nth(1).unwrap();
        let wk = |found, expected| Error::WrongKind { found, expected };
        let p = PLAIN_PUB.as_bytes();
        let s = PLAIN_KEY.as_bytes();
        let g = SIG.as_bytes();
        assert_eq!(
            PublicKey::parse_file(s).err(),
            Some(wk("secret key", "public key"))
        );
        assert_eq!(
            PublicKey::parse_file(g).err(),
            Some(wk("signature", "public key"))
        );
        assert_eq!(
            SecretKeyFile::parse_file(p).err(),
            Some(wk("public key", "secret key"))
        );
        assert_eq!(
            SecretKeyFile::parse_file(g).err(),
            Some(wk("signature", "secret key"))
        );
        assert_eq!(
            Signature::parse_file(p).err(),
            Some(wk("public key", "signature"))
        );
        assert_eq!(
            Signature::parse_file(s).err(),
            Some(wk("secret key", "signature"))
        );
        let bare = format!("{b64}\n");
        assert_eq!(
            PublicKey::parse_file(bare.as_bytes()).err(),
            Some(Error::BarePublicKey)
        );
        assert_eq!(PublicKey::parse_file(b"").err(), Some(Error::Empty));
    }

    #[test]
    fn a_line_too_long_for_minisign_is_named() {
        let b64 = PLAIN_PUB.lines().nth(1).unwrap();
        let long = format!("untrusted comment: {}\n{b64}\n", "x".repeat(1100));
        assert_eq!(
            PublicKey::parse_file(long.as_bytes()).err(),
            Some(Error::LineTooLong { line: 1, max: 1023 })
        );
        let fits = format!("untrusted comment: {}\n{b64}\n", "x".repeat(1003));
        assert!(PublicKey::parse_file(fits.as_bytes()).is_ok());
        let crlf = format!("untrusted comment: {}\r\n{b64}\n", "x".repeat(1003));
        assert!(PublicKey::parse_file(crlf.as_bytes()).is_err());
    }

    #[test]
    fn control_characters_in_the_trusted_comment_are_refused() {
        let bad = SIG.replace("trusted comment: docseal", "trusted comment: \u{1b}[2J");
        assert!(matches!(
            Signature::parse_file(bad.as_bytes()),
            Err(Error::BadComment { .. })
        ));
        let latin1 = SIG.replacen("trusted comment: docseal", "trusted comment: caf\u{0}", 1);
        let latin1 = latin1.replacen('\u{0}', "\u{e9}", 1).into_bytes();
        let latin1: Vec<u8> = latin1
            .windows(2)
            .enumerate()
            .filter_map(|(i, w)| (w != [0xc3, 0xa9]).then_some(latin1[i]))
            .collect();
        assert!(matches!(
            Signature::parse_file(&latin1),
            Err(Error::BadComment { .. })
        ));
    }

    proptest::proptest! {
        /// Whatever comments a signature has, the minisign reader gives the
        /// strict parser's result on its canonical file and on its CRLF copy.
        #[test]
        fn canonical_and_crlf_signatures_read_the_same(
            t in "[ -~\t\u{e9}\u{4e2d}]{0,60}",
            u in "[ -~\t\u{e9}]{0,60}",
        ) {
            let key = SecretKeyFile::parse(PLAIN_KEY).unwrap().unlock(None).unwrap();
            let sig = key.sign(b"m", &t, &u).unwrap();
            let text = sig.to_file_text();
            let (read, tol) = Signature::parse_file(text.as_bytes()).unwrap();
            proptest::prop_assert_eq!((&read, tol), (&sig, vec![]));
            let (read, _) = Signature::parse_file(&crlf(&text)).unwrap();
            proptest::prop_assert_eq!(&read, &sig);
            // What the reader accepts always has a canonical form.
            proptest::prop_assert_eq!(Signature::parse(&read.to_file_text()), Ok(sig));
        }

        #[test]
        fn never_panics(bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..400)) {
            let _ = PublicKey::parse_file(&bytes);
            let _ = SecretKeyFile::parse_file(&bytes);
            let _ = Signature::parse_file(&bytes);
        }
    }
}
