//! Key and signature *files as people have them*, read exactly as stock
//! minisign 0.11 reads them (`pubkey_load_file`, `seckey_load`, `sig_load`
//! in its `minisign.c`), so that docseal accepts a file if and only if
//! minisign does, and names every liberty it took ([`Tolerance`]).
//!
//! minisign reads each line with `fgets` into a fixed buffer (1024 bytes for
//! an untrusted comment line, 8192 for a trusted comment line, the base64
//! length plus 3 for a base64 line), treats it as a C string (cut at a NUL),
//! then `trim`s it at the first CR or LF. So it accepts CRLF files, anything
//! after a CR on a line, anything after the last line it needs, a missing
//! final LF, and any bytes (a UTF-8 byte order mark, Latin-1, control
//! characters) in the untrusted comment, whose `untrusted comment: ` prefix
//! it checks only in signatures. It refuses spaces around base64 and, in a
//! signature, a byte order mark (the prefix check fails).
//!
//! Invariants: the fields handed on are minisign's; what they are checked
//! against afterwards (canonical base64, algorithms, valid points) is the
//! strict checking of the sibling modules. The one deliberate difference: a
//! trusted comment must be UTF-8 without control characters (other than
//! tab), because docseal shows it and stores it in bundles, whose format
//! requires that. This module is pure and never panics.

use std::fmt;

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;

use super::{Error, TRUSTED_PREFIX, UNTRUSTED_PREFIX};

/// minisign's buffer for an untrusted comment line (`COMMENTMAXBYTES`).
pub(super) const COMMENT_LINE: usize = 1024;
/// minisign's buffer for a trusted comment line (`TRUSTEDCOMMENTMAXBYTES`).
pub(super) const TRUSTED_LINE: usize = 8192;

/// minisign's buffer for the base64 of `bin_len` bytes:
/// `B64_MAX_LEN_FROM_BIN_LEN(bin_len) + 2`.
pub(super) const fn base64_line(bin_len: usize) -> usize {
    bin_len.div_ceil(3) * 4 + 1 + 2
}

/// A departure from the canonical file that minisign accepts and so does
/// docseal; shown to the user, never silent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Tolerance {
    /// Lines end in CR LF (as after editing on Windows).
    CarriageReturn,
    /// A UTF-8 byte order mark starts the untrusted comment line of a key.
    ByteOrderMark,
    /// The first line of a key file is not an `untrusted comment: ` line.
    NoCommentPrefix,
    /// The untrusted comment is not printable UTF-8 (it is signed by nothing).
    UnprintableComment,
    /// Text after a CR or NUL byte on a line, which minisign cuts off.
    TextCut {
        /// 1-based line number.
        line: usize,
    },
    /// Blank lines or white space after the last line minisign reads.
    TrailingBlank,
    /// Other text after the last line minisign reads.
    TrailingText {
        /// How many bytes.
        bytes: usize,
    },
    /// The last line has no line break.
    NoFinalLineBreak,
}

impl fmt::Display for Tolerance {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Tolerance::CarriageReturn => f.write_str("CRLF line endings read as LF"),
            Tolerance::ByteOrderMark => {
                f.write_str("a UTF-8 byte order mark before the comment ignored")
            }
            Tolerance::NoCommentPrefix => {
                f.write_str("the first line is not an \"untrusted comment: \" line; ignored")
            }
            Tolerance::UnprintableComment => {
                f.write_str("the untrusted comment is not printable UTF-8; ignored")
            }
            Tolerance::TextCut { line } => {
                write!(f, "line {line}: text after a CR or NUL byte ignored")
            }
            Tolerance::TrailingBlank => f.write_str("blank lines at the end ignored"),
            Tolerance::TrailingText { bytes } => {
                write!(
                    f,
                    "{bytes} bytes after the last line minisign reads ignored"
                )
            }
            Tolerance::NoFinalLineBreak => f.write_str("no line break at the end"),
        }
    }
}

/// One line as `fgets` returned it and as `trim` left it.
pub(super) struct Line<'a> {
    /// What `fgets` read, line break included.
    raw: &'a [u8],
    /// The C string, cut at the first CR or LF.
    pub value: &'a [u8],
}

/// Reads a file line by line as minisign does, collecting tolerances.
pub(super) struct Reader<'a> {
    rest: &'a [u8],
    line: usize,
    last_had_lf: bool,
    /// The first line that did not fit minisign's buffer (number, buffer).
    split: Option<(usize, usize)>,
    notes: Vec<Tolerance>,
}

impl<'a> Reader<'a> {
    pub fn new(bytes: &'a [u8]) -> Reader<'a> {
        Reader {
            rest: bytes,
            line: 0,
            last_had_lf: true,
            split: None,
            notes: Vec::new(),
        }
    }

    /// `fgets` into a buffer of `size` bytes; `None` at end of file.
    pub fn line(&mut self, size: usize) -> Option<Line<'a>> {
        if self.rest.is_empty() {
            return None;
        }
        self.line += 1;
        let max = size.saturating_sub(1).min(self.rest.len());
        let len = self.rest[..max]
            .iter()
            .position(|&b| b == b'\n')
            .map_or(max, |i| i + 1);
        let (raw, rest) = self.rest.split_at(len);
        self.rest = rest;
        self.last_had_lf = raw.last() == Some(&b'\n');
        if !self.last_had_lf && !rest.is_empty() && self.split.is_none() {
            self.split = Some((self.line, size - 1));
        }
        let c_string = raw.split(|&b| b == 0).next().unwrap_or_default();
        let value = c_string
            .split(|&b| b == b'\r' || b == b'\n')
            .next()
            .unwrap_or_default();
        let after = raw.strip_suffix(b"\n").unwrap_or(raw);
        let after = after.get(value.len()..).unwrap_or_default();
        if !after.is_empty() {
            if after.iter().all(|&b| b == b'\r') {
                self.note(Tolerance::CarriageReturn);
            } else {
                self.note(Tolerance::TextCut { line: self.line });
            }
        }
        Some(Line { raw, value })
    }

    /// Records a tolerance once.
    pub fn note(&mut self, t: Tolerance) {
        if !self.notes.contains(&t) {
            self.notes.push(t);
        }
    }

    /// A failure of the fields read, explained by a line that was longer
    /// than minisign's buffer when there was one (it read the rest of that
    /// line as the next line, so the later error would mislead).
    pub fn explain(&self, e: Error) -> Error {
        match self.split {
            Some((line, max)) => Error::LineTooLong { line, max },
            None => e,
        }
    }

    /// The tolerances, with what follows the last line read.
    pub fn finish(mut self) -> Vec<Tolerance> {
        if self.rest.is_empty() {
            if !self.last_had_lf {
                self.note(Tolerance::NoFinalLineBreak);
            }
        } else if self.rest.iter().all(u8::is_ascii_whitespace) {
            self.note(Tolerance::TrailingBlank);
        } else {
            let bytes = self.rest.len();
            self.note(Tolerance::TrailingText { bytes });
        }
        self.notes
    }

    /// Checks the first line of a key file, which minisign reads and
    /// ignores, notes what is unusual about it, and returns its comment.
    pub fn key_comment(&mut self, first: &Line<'a>) -> String {
        let raw = first.value;
        let text = match raw.strip_prefix("\u{feff}".as_bytes()) {
            Some(t) => {
                self.note(Tolerance::ByteOrderMark);
                t
            }
            None => raw,
        };
        match text.strip_prefix(UNTRUSTED_PREFIX.as_bytes()) {
            Some(comment) => self.comment_text(comment),
            None => {
                self.note(Tolerance::NoCommentPrefix);
                String::new()
            }
        }
    }

    /// The untrusted comment of a signature: its prefix is required.
    pub fn signature_comment(&mut self, first: &Line<'a>) -> Result<String, Error> {
        let c_string = first.raw.split(|&b| b == 0).next().unwrap_or_default();
        if c_string.starts_with("\u{feff}".as_bytes()) {
            return Err(Error::ByteOrderMark);
        }
        if !c_string.starts_with(UNTRUSTED_PREFIX.as_bytes()) {
            return Err(Error::MissingPrefix {
                line: 1,
                prefix: UNTRUSTED_PREFIX,
            });
        }
        let comment = first
            .value
            .get(UNTRUSTED_PREFIX.len()..)
            .unwrap_or_default();
        Ok(self.comment_text(comment))
    }

    /// A comment as printable text; anything else is noted and replaced.
    fn comment_text(&mut self, comment: &[u8]) -> String {
        let text = String::from_utf8_lossy(comment);
        let printable = matches!(text, std::borrow::Cow::Borrowed(_))
            && !text.chars().any(|c| c.is_control() && c != '\t');
        if printable {
            return text.into_owned();
        }
        self.note(Tolerance::UnprintableComment);
        text.chars()
            .map(|c| if c.is_control() { '\u{fffd}' } else { c })
            .collect()
    }

    /// The trusted comment of a signature (line 3): prefix required, then
    /// UTF-8 without control characters other than tab.
    pub fn trusted_comment(&mut self, line: &Line<'a>) -> Result<String, Error> {
        let c_string = line.raw.split(|&b| b == 0).next().unwrap_or_default();
        if !c_string.starts_with(TRUSTED_PREFIX.as_bytes()) {
            return Err(Error::MissingPrefix {
                line: self.line,
                prefix: TRUSTED_PREFIX,
            });
        }
        let comment = line.value.get(TRUSTED_PREFIX.len()..).unwrap_or_default();
        let text = std::str::from_utf8(comment).map_err(|_| Error::BadComment {
            reason: "is not UTF-8 (docseal shows and stores trusted comments as text)",
        })?;
        Ok(text.to_owned())
    }
}

/// A base64 field as text; non-ASCII bytes cannot be base64.
pub(super) fn base64_text<'a>(line: &Line<'a>, field: &'static str) -> Result<&'a str, Error> {
    std::str::from_utf8(line.value).map_err(|_| Error::Base64 { field })
}

/// What a file that failed to parse as one kind looks like instead, judged
/// from its second line's decoded length (or a trusted comment line), so
/// that a key given in the wrong place is named as what it is.
pub(super) fn looks_like(bytes: &[u8]) -> Option<&'static str> {
    let text = String::from_utf8_lossy(bytes);
    let lines: Vec<&str> = text.lines().map(|l| l.trim_end_matches('\r')).collect();
    if lines.iter().any(|l| l.starts_with(TRUSTED_PREFIX)) {
        return Some("signature");
    }
    let decoded = |l: &str| STANDARD.decode(l.trim()).ok().map(|v| v.len());
    match lines.as_slice() {
        [only] if decoded(only) == Some(42) => Some("public key (a bare base64 line)"),
        [_, second, ..] => match decoded(second) {
            Some(42) => Some("public key"),
            Some(158) => Some("secret key"),
            Some(74) => Some("signature"),
            _ => None,
        },
        _ => None,
    }
}

/// `e`, or a [`Error::WrongKind`] when the file looks like another kind.
pub(super) fn wrong_kind(bytes: &[u8], expected: &'static str, e: Error) -> Error {
    match looks_like(bytes) {
        Some("public key (a bare base64 line)") if expected == "public key" => Error::BarePublicKey,
        Some(found) if found != expected => Error::WrongKind { found, expected },
        _ => e,
    }
}
