//! Tag-file text: character encodings and line endings (RFC 8493 §2.1.1,
//! §2.2.1, §2.2.2).
//!
//! A bag names the encoding of its tag files in `bagit.txt`
//! (`Tag-File-Character-Encoding`); IANA names are compared without regard
//! to case, so `utf-8` and `UTF-8` are one encoding. docseal decodes the
//! encodings bags are made with: UTF-8, US-ASCII, ISO-8859-1 and UTF-16
//! (with or without a byte-order mark, and the `LE`/`BE` variants). Any
//! other name is reported as unsupported rather than guessed at. Lines end
//! in LF, CRLF or a lone CR, as RFC 8493 allows.

/// A tag-file encoding docseal can decode.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Encoding {
    /// UTF-8 (a leading byte-order mark is removed and reported by callers).
    Utf8,
    /// US-ASCII: UTF-8 restricted to bytes below 0x80.
    Ascii,
    /// ISO-8859-1: each byte is the code point of the same value.
    Latin1,
    /// UTF-16; `None` lets a byte-order mark decide (big-endian without one, RFC 2781 §4.3).
    Utf16(Option<Endian>),
}

/// Byte order of UTF-16.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Endian {
    /// Most significant byte first.
    Big,
    /// Least significant byte first.
    Little,
}

impl Encoding {
    /// The encoding an IANA name or common alias denotes, ignoring case.
    pub fn lookup(name: &str) -> Option<Encoding> {
        let n = name.trim().to_ascii_lowercase().replace('_', "-");
        Some(match n.as_str() {
            "utf-8" | "utf8" => Encoding::Utf8,
            "us-ascii" | "ascii" | "iso646-us" => Encoding::Ascii,
            "iso-8859-1" | "iso8859-1" | "latin1" | "latin-1" | "l1" | "iso-ir-100" => {
                Encoding::Latin1
            }
            "utf-16" | "utf16" => Encoding::Utf16(None),
            "utf-16be" => Encoding::Utf16(Some(Endian::Big)),
            "utf-16le" => Encoding::Utf16(Some(Endian::Little)),
            _ => return None,
        })
    }
}

/// A decoded tag file.
#[derive(Debug)]
pub struct Decoded {
    /// The text, without any byte-order mark.
    pub text: String,
    /// Whether a byte-order mark was removed.
    pub had_bom: bool,
}

/// Why bytes could not be decoded: the 1-based line of the first bad byte.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DecodeError {
    /// The line holding the first undecodable byte.
    pub line: usize,
}

/// Decodes `bytes` as `enc`.
pub fn decode(bytes: &[u8], enc: Encoding) -> Result<Decoded, DecodeError> {
    match enc {
        Encoding::Utf8 | Encoding::Ascii => {
            let (body, had_bom) = match bytes.strip_prefix(b"\xEF\xBB\xBF") {
                Some(rest) => (rest, true),
                None => (bytes, false),
            };
            let text = std::str::from_utf8(body).map_err(|e| DecodeError {
                line: line_of(body, e.valid_up_to()),
            })?;
            if enc == Encoding::Ascii {
                if let Some(i) = text.bytes().position(|b| b >= 0x80) {
                    return Err(DecodeError {
                        line: line_of(body, i),
                    });
                }
            }
            Ok(Decoded {
                text: text.to_owned(),
                had_bom,
            })
        }
        Encoding::Latin1 => Ok(Decoded {
            text: bytes.iter().map(|&b| char::from(b)).collect(),
            had_bom: false,
        }),
        Encoding::Utf16(order) => decode_utf16(bytes, order),
    }
}

fn decode_utf16(bytes: &[u8], order: Option<Endian>) -> Result<Decoded, DecodeError> {
    let (body, endian, had_bom) = match (bytes, order) {
        ([0xFE, 0xFF, rest @ ..], None | Some(Endian::Big)) => (rest, Endian::Big, true),
        ([0xFF, 0xFE, rest @ ..], None | Some(Endian::Little)) => (rest, Endian::Little, true),
        (all, Some(e)) => (all, e, false),
        (all, None) => (all, Endian::Big, false),
    };
    let units: Vec<u16> = body
        .chunks(2)
        .map(|c| match (c, endian) {
            ([a, b], Endian::Big) => u16::from_be_bytes([*a, *b]),
            ([a, b], Endian::Little) => u16::from_le_bytes([*a, *b]),
            // An odd trailing byte cannot be a code unit.
            _ => 0xDC00,
        })
        .collect();
    let mut text = String::with_capacity(units.len());
    let mut line = 1;
    for ch in char::decode_utf16(units) {
        let ch = ch.map_err(|_| DecodeError { line })?;
        if ch == '\n' {
            line += 1;
        }
        text.push(ch);
    }
    Ok(Decoded { text, had_bom })
}

fn line_of(bytes: &[u8], offset: usize) -> usize {
    1 + bytes
        .get(..offset)
        .unwrap_or(bytes)
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
}

/// The lines of `text` with their 1-based numbers; LF, CRLF and a lone CR
/// all end a line, and a final line ending adds no empty line.
pub fn lines(text: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut rest = text;
    while !rest.is_empty() {
        let end = rest.find(['\r', '\n']).unwrap_or(rest.len());
        let (line, tail) = rest.split_at(end);
        out.push((out.len() + 1, line));
        rest = tail
            .strip_prefix("\r\n")
            .or_else(|| tail.strip_prefix('\r'))
            .or_else(|| tail.strip_prefix('\n'))
            .unwrap_or(tail);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_ignore_case_and_aliases() {
        assert_eq!(Encoding::lookup("utf-8"), Some(Encoding::Utf8));
        assert_eq!(Encoding::lookup("UTF-8"), Some(Encoding::Utf8));
        assert_eq!(Encoding::lookup("iso-8859-1"), Some(Encoding::Latin1));
        assert_eq!(Encoding::lookup("ISO_8859-1"), Some(Encoding::Latin1));
        assert_eq!(Encoding::lookup("utf-16"), Some(Encoding::Utf16(None)));
        assert_eq!(Encoding::lookup("EBCDIC-US"), None);
    }

    #[test]
    fn every_line_ending_ends_a_line() {
        let got: Vec<&str> = lines("a\r\nb\rc\nd").into_iter().map(|l| l.1).collect();
        assert_eq!(got, ["a", "b", "c", "d"]);
        assert_eq!(lines("a\n\nb\n").len(), 3);
        assert!(lines("").is_empty());
    }

    #[test]
    fn utf16_with_and_without_bom() {
        let be = [0xFE, 0xFF, 0, b'h', 0, b'i'];
        assert_eq!(decode(&be, Encoding::Utf16(None)).unwrap().text, "hi");
        let le = [0xFF, 0xFE, b'h', 0, b'i', 0];
        assert_eq!(decode(&le, Encoding::Utf16(None)).unwrap().text, "hi");
        assert_eq!(decode(&[0, b'h'], Encoding::Utf16(None)).unwrap().text, "h");
        assert!(decode(&[0, b'h', 0], Encoding::Utf16(None)).is_err());
    }

    #[test]
    fn latin1_and_ascii() {
        assert_eq!(decode(b"N\xfa", Encoding::Latin1).unwrap().text, "Nú");
        assert_eq!(decode(b"a\nb\xfa", Encoding::Ascii).unwrap_err().line, 2);
        let d = decode(b"\xEF\xBB\xBFx", Encoding::Utf8).unwrap();
        assert!(d.had_bom);
        assert_eq!(d.text, "x");
    }
}
