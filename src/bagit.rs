//! BagIt 1.0 tag files (RFC 8493): the bag declaration `bagit.txt` (§2.1.1),
//! SHA-256 payload and tag manifests (§2.1.3, §2.2.1), `bag-info.txt`
//! (§2.2.2), and the path percent-encoding of §2.1.3.
//!
//! Readers are strict where RFC 8493 lets docseal be: every file is UTF-8
//! without a byte-order mark, every line ends in LF (a CR anywhere is an
//! error naming the line), there are no blank lines, and lines and line
//! counts are bounded. Every manifest path becomes a [`BagPath`], so a path
//! that decodes to something unsafe (`%0A`, `..`, `C:`) is refused with its
//! line number. Writers emit one canonical text: [`Manifest::to_text`] is
//! exactly what `sha256sum` prints, sorted by path bytes. Verification
//! compares a file's bytes with that canonical text, never trusting a
//! re-serialisation, so anything the lenient parts of a reader accept
//! (uppercase hex, tabs, a `*` marker, folded `bag-info.txt` lines) is
//! still reported as non-canonical by the caller.

use crate::bagpath::{BagPath, PathError};

mod info;
mod manifest;

pub use info::{bag_size, parse_payload_oxum, payload_oxum, BagInfo};
pub use manifest::Manifest;

/// The only bag declaration docseal writes and accepts (RFC 8493 §2.1.1).
pub const BAGIT_TXT: &str = "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n";
/// The most lines a manifest may have (one per file).
pub const MAX_MANIFEST_LINES: usize = 1_000_000;
/// The longest manifest line in bytes: 64 hex digits, separators and a
/// percent-encoded path of up to 1,024 bytes, with room to spare.
pub const MAX_MANIFEST_LINE_BYTES: usize = 4096;
/// The most lines `bag-info.txt` may have.
pub const MAX_INFO_LINES: usize = 10_000;
/// The longest `bag-info.txt` line in bytes.
pub const MAX_INFO_LINE_BYTES: usize = 64 * 1024;

const VERSION_LINE: &str = "BagIt-Version: 1.0";
const ENCODING_LINE: &str = "Tag-File-Character-Encoding: UTF-8";
const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Why a tag file or value is refused. `line` is 1-based; for writers it is
/// the line the field would have had.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum BagItError {
    /// The file starts with a UTF-8 byte-order mark.
    #[error("starts with a byte-order mark")]
    ByteOrderMark,
    /// The file is not valid UTF-8.
    #[error("line {line} is not valid UTF-8")]
    NotUtf8 {
        /// The line holding the first invalid byte.
        line: usize,
    },
    /// The last line has no LF.
    #[error("line {line} does not end with a line feed")]
    MissingFinalNewline {
        /// The unterminated line.
        line: usize,
    },
    /// Too many lines.
    #[error("has more than {max} lines")]
    TooManyLines {
        /// The limit.
        max: usize,
    },
    /// A line is too long.
    #[error("line {line} is longer than {max} bytes")]
    LineTooLong {
        /// The line.
        line: usize,
        /// The limit.
        max: usize,
    },
    /// A CR (docseal tag files end lines with LF only).
    #[error("line {line} contains a carriage return; only LF line ends are allowed")]
    CarriageReturn {
        /// The line.
        line: usize,
    },
    /// A blank line.
    #[error("line {line} is empty")]
    EmptyLine {
        /// The line.
        line: usize,
    },
    /// `bagit.txt` does not have exactly two lines.
    #[error("has {count} lines; bagit.txt has exactly 2")]
    DeclarationLineCount {
        /// The number of lines found.
        count: usize,
    },
    /// A `bagit.txt` line is not the expected one.
    #[error("line {line} is not {expected:?}")]
    DeclarationLine {
        /// The line.
        line: usize,
        /// The line docseal expects.
        expected: &'static str,
    },
    /// `bagit.txt` declares a version other than 1.0.
    #[error("BagIt-Version is {found:?}; only 1.0 is supported")]
    UnsupportedVersion {
        /// The declared version.
        found: String,
    },
    /// `bagit.txt` declares an encoding other than UTF-8.
    #[error("Tag-File-Character-Encoding is {found:?}; only UTF-8 is supported")]
    UnsupportedEncoding {
        /// The declared encoding.
        found: String,
    },
    /// A percent escape other than `%25`, `%0A` or `%0D`.
    #[error("invalid percent escape {escape:?} (only %25, %0A and %0D are allowed)")]
    PercentEscape {
        /// The escape as found (at most 3 characters).
        escape: String,
    },
    /// A manifest checksum is not 64 hex digits.
    #[error("line {line}: checksum is not 64 hexadecimal digits")]
    BadChecksum {
        /// The line.
        line: usize,
    },
    /// No space or tab after a manifest checksum.
    #[error("line {line}: no space or tab between checksum and path")]
    MissingSeparator {
        /// The line.
        line: usize,
    },
    /// Nothing after the separator.
    #[error("line {line}: no path after the checksum")]
    MissingPath {
        /// The line.
        line: usize,
    },
    /// A bad percent escape in a manifest path.
    #[error("line {line}: invalid percent escape {escape:?} (only %25, %0A and %0D are allowed)")]
    BadEscape {
        /// The line.
        line: usize,
        /// The escape as found.
        escape: String,
    },
    /// A manifest path that is not a valid bag path once decoded.
    #[error("line {line}: {error}")]
    BadPath {
        /// The line.
        line: usize,
        /// Why the decoded path is refused.
        error: PathError,
    },
    /// A manifest lists a path twice (RFC 8493 §2.1.3: exactly once).
    #[error("line {line}: {path} is already listed on line {first_line}")]
    DuplicatePath {
        /// The second listing.
        line: usize,
        /// The first listing.
        first_line: usize,
        /// The path.
        path: BagPath,
    },
    /// A `bag-info.txt` line with no `:`.
    #[error("line {line}: no ':' after a label")]
    NotAField {
        /// The line.
        line: usize,
    },
    /// A `bag-info.txt` label that breaks RFC 8493 §2.2.2.
    #[error("line {line}: label {label:?} {reason}")]
    BadLabel {
        /// The line.
        line: usize,
        /// The label.
        label: String,
        /// Which rule it breaks.
        reason: &'static str,
    },
    /// The `:` after a label is not followed by a space or tab.
    #[error("line {line}: the ':' after the label is not followed by a space or tab")]
    MissingSpaceAfterColon {
        /// The line.
        line: usize,
    },
    /// A continuation line before any field.
    #[error("line {line}: continuation line with no field before it")]
    ContinuationWithoutField {
        /// The line.
        line: usize,
    },
    /// A control character (other than tab) in a `bag-info.txt` value.
    #[error("line {line}: value contains control character U+{code:04X}")]
    ControlChar {
        /// The line.
        line: usize,
        /// The character's code point.
        code: u32,
    },
    /// A malformed `Payload-Oxum` value.
    #[error("Payload-Oxum {value:?} is not <octets>.<file count> in canonical decimal")]
    BadPayloadOxum {
        /// The value.
        value: String,
    },
}

impl BagItError {
    /// The 1-based line the error is about, if any.
    pub fn line(&self) -> Option<usize> {
        use BagItError::*;
        match self {
            NotUtf8 { line }
            | MissingFinalNewline { line }
            | LineTooLong { line, .. }
            | CarriageReturn { line }
            | EmptyLine { line }
            | DeclarationLine { line, .. }
            | BadChecksum { line }
            | MissingSeparator { line }
            | MissingPath { line }
            | BadEscape { line, .. }
            | BadPath { line, .. }
            | DuplicatePath { line, .. }
            | NotAField { line }
            | BadLabel { line, .. }
            | MissingSpaceAfterColon { line }
            | ContinuationWithoutField { line }
            | ControlChar { line, .. } => Some(*line),
            _ => None,
        }
    }
}

/// Splits a tag file into lines after the checks every docseal tag file
/// shares: no BOM, UTF-8, LF-terminated, no CR, no blank line, bounded.
fn tag_lines(bytes: &[u8], max_lines: usize, max_len: usize) -> Result<Vec<&str>, BagItError> {
    if bytes.starts_with(BOM) {
        return Err(BagItError::ByteOrderMark);
    }
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let before = bytes.get(..e.valid_up_to()).unwrap_or_default();
        BagItError::NotUtf8 {
            line: 1 + before.iter().filter(|&&b| b == b'\n').count(),
        }
    })?;
    if text.is_empty() {
        return Ok(Vec::new());
    }
    let Some(body) = text.strip_suffix('\n') else {
        let line = 1 + text.matches('\n').count();
        return Err(BagItError::MissingFinalNewline { line });
    };
    let mut out = Vec::new();
    for (i, l) in body.split('\n').enumerate() {
        let line = i + 1;
        if line > max_lines {
            return Err(BagItError::TooManyLines { max: max_lines });
        }
        if l.len() > max_len {
            return Err(BagItError::LineTooLong { line, max: max_len });
        }
        if l.contains('\r') {
            return Err(BagItError::CarriageReturn { line });
        }
        if l.is_empty() {
            return Err(BagItError::EmptyLine { line });
        }
        out.push(l);
    }
    Ok(out)
}

/// Checks that `bytes` is exactly [`BAGIT_TXT`], naming the first problem
/// otherwise (RFC 8493 §2.1.1; docseal accepts version 1.0, UTF-8, LF only).
pub fn check_bagit_txt(bytes: &[u8]) -> Result<(), BagItError> {
    if bytes == BAGIT_TXT.as_bytes() {
        return Ok(());
    }
    let lines = tag_lines(bytes, 16, 1024)?;
    let [version, encoding] = lines.as_slice() else {
        return Err(BagItError::DeclarationLineCount { count: lines.len() });
    };
    check_declaration_line(1, version, VERSION_LINE, "BagIt-Version:", "1.0", |found| {
        BagItError::UnsupportedVersion { found }
    })?;
    check_declaration_line(
        2,
        encoding,
        ENCODING_LINE,
        "Tag-File-Character-Encoding:",
        "UTF-8",
        |found| BagItError::UnsupportedEncoding { found },
    )?;
    // Both lines matched exactly, so the bytes matched: unreachable in practice.
    Err(BagItError::DeclarationLine {
        line: 1,
        expected: VERSION_LINE,
    })
}

/// One line of `bagit.txt`: exact, or a wrong value (`unsupported`), or
/// otherwise malformed (wrong label, case or spacing).
fn check_declaration_line(
    line: usize,
    got: &str,
    expected: &'static str,
    label: &str,
    value: &str,
    unsupported: fn(String) -> BagItError,
) -> Result<(), BagItError> {
    if got == expected {
        return Ok(());
    }
    match got.strip_prefix(label).map(|v| v.trim_matches([' ', '\t'])) {
        Some(found) if found != value => Err(unsupported(found.to_owned())),
        _ => Err(BagItError::DeclarationLine { line, expected }),
    }
}

/// Percent-encodes a manifest path as RFC 8493 §2.1.3 requires: `%`, LF
/// and CR, and only those, become `%25`, `%0A` and `%0D`.
pub fn encode_path(p: &str) -> String {
    let mut out = String::with_capacity(p.len());
    for ch in p.chars() {
        match ch {
            '%' => out.push_str("%25"),
            '\n' => out.push_str("%0A"),
            '\r' => out.push_str("%0D"),
            _ => out.push(ch),
        }
    }
    out
}

/// Reverses [`encode_path`]. `%25`, `%0A` and `%0D` (hex digits in either
/// case) are the only escapes; any other `%` is an error rather than a
/// literal, so one path has one encoding. The result is not yet a valid
/// path: a decoded LF or CR is refused by [`BagPath::new`].
pub fn decode_path(s: &str) -> Result<String, BagItError> {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(at) = rest.find('%') {
        let (plain, tail) = rest.split_at(at);
        out.push_str(plain);
        let escape: String = tail.chars().take(3).collect();
        let decoded = match escape.to_ascii_uppercase().as_str() {
            "%25" => '%',
            "%0A" => '\n',
            "%0D" => '\r',
            _ => return Err(BagItError::PercentEscape { escape }),
        };
        out.push(decoded);
        rest = tail.get(escape.len()..).unwrap_or_default();
    }
    out.push_str(rest);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn bagit_txt_accepts_only_the_declaration() {
        assert_eq!(check_bagit_txt(BAGIT_TXT.as_bytes()), Ok(()));
    }

    #[test]
    fn bagit_txt_rejects() {
        use BagItError::*;
        let enc = "Tag-File-Character-Encoding: UTF-8";
        let cases: Vec<(String, BagItError)> = vec![
            (format!("\u{feff}{BAGIT_TXT}"), ByteOrderMark),
            (BAGIT_TXT.replace('\n', "\r\n"), CarriageReturn { line: 1 }),
            (
                BAGIT_TXT.trim_end().to_owned(),
                MissingFinalNewline { line: 2 },
            ),
            (String::new(), DeclarationLineCount { count: 0 }),
            (
                "BagIt-Version: 1.0\n".into(),
                DeclarationLineCount { count: 1 },
            ),
            (
                format!("{BAGIT_TXT}Extra: x\n"),
                DeclarationLineCount { count: 3 },
            ),
            (format!("{BAGIT_TXT}\n"), EmptyLine { line: 3 }),
            (
                format!("BagIt-Version: 0.97\n{enc}\n"),
                UnsupportedVersion {
                    found: "0.97".into(),
                },
            ),
            (
                format!("BagIt-Version:  1.0\n{enc}\n"),
                DeclarationLine {
                    line: 1,
                    expected: VERSION_LINE,
                },
            ),
            (
                format!("bagit-version: 1.0\n{enc}\n"),
                DeclarationLine {
                    line: 1,
                    expected: VERSION_LINE,
                },
            ),
            (
                format!("{enc}\nBagIt-Version: 1.0\n"),
                DeclarationLine {
                    line: 1,
                    expected: VERSION_LINE,
                },
            ),
            (
                "BagIt-Version: 1.0\nTag-File-Character-Encoding: ISO-8859-1\n".into(),
                UnsupportedEncoding {
                    found: "ISO-8859-1".into(),
                },
            ),
            (
                "BagIt-Version: 1.0\nTag-File-Character-Encoding: utf-8\n".into(),
                UnsupportedEncoding {
                    found: "utf-8".into(),
                },
            ),
        ];
        for (input, want) in cases {
            assert_eq!(check_bagit_txt(input.as_bytes()), Err(want), "{input:?}");
        }
        assert_eq!(
            check_bagit_txt(b"BagIt-Version: 1.0\n\xff\n"),
            Err(NotUtf8 { line: 2 })
        );
    }

    #[test]
    fn percent_encoding() {
        let cases = [
            ("data/a.txt", "data/a.txt"),
            ("data/100%.txt", "data/100%25.txt"),
            ("a\nb\rc\r\nd", "a%0Ab%0Dc%0D%0Ad"),
            ("%0A", "%250A"),
            ("é %20", "é %2520"),
        ];
        for (plain, encoded) in cases {
            assert_eq!(encode_path(plain), encoded);
            assert_eq!(decode_path(encoded).as_deref(), Ok(plain));
        }
        assert_eq!(decode_path("a%0a%0d%25").as_deref(), Ok("a\n\r%"));
    }

    #[test]
    fn percent_decoding_rejects_other_escapes() {
        for (input, escape) in [
            ("a%20b", "%20"),
            ("a%2Fb", "%2F"),
            ("a%2e%2e", "%2e"),
            ("a%", "%"),
            ("a%0", "%0"),
            ("a%é", "%é"),
            ("%%25", "%%2"),
        ] {
            let want = BagItError::PercentEscape {
                escape: escape.into(),
            };
            assert_eq!(decode_path(input), Err(want), "{input:?}");
        }
    }

    #[test]
    fn decoded_newline_never_becomes_a_path() {
        let decoded = decode_path("data/a%0A..%0Ab").unwrap();
        assert_eq!(
            BagPath::new(&decoded),
            Err(PathError::ControlChar { code: 0x0A })
        );
    }

    #[test]
    fn errors_know_their_line() {
        assert_eq!(BagItError::EmptyLine { line: 4 }.line(), Some(4));
        assert_eq!(BagItError::ByteOrderMark.line(), None);
        let e = BagItError::BadChecksum { line: 7 };
        assert_eq!(
            e.to_string(),
            "line 7: checksum is not 64 hexadecimal digits"
        );
    }

    proptest! {
        #[test]
        fn encode_decode_round_trip(s in "\\PC*|[%\\r\\n0aAdD25]*") {
            let encoded = encode_path(&s);
            prop_assert!(!encoded.contains(['\n', '\r']));
            prop_assert_eq!(decode_path(&encoded), Ok(s));
        }

        #[test]
        fn decode_never_panics(s in "\\PC*|[%0-9a-fA-F\\n]*") {
            let _ = decode_path(&s);
        }
    }
}
