//! The bag declaration `bagit.txt` (RFC 8493 §2.1.1).
//!
//! Strict where the declaration decides how everything else is read: it
//! must exist, be UTF-8 without a byte-order mark (RFC 8493 §2.1.1; an
//! error in bagit-python too), and hold `BagIt-Version: M.N` and
//! `Tag-File-Character-Encoding: ENCODING` with each label written exactly
//! (whitespace inside the label, as in `BagIt-Version : 1.0`, is an
//! error). Versions 0.93 to 1.x are read; an unknown minor version inside
//! that range is checked as the nearest known one, with a warning. Tolerated
//! with a warning: extra lines, a missing space after the colon, trailing
//! whitespace. Any line ending is accepted.

use super::findings::{At, Findings};
use super::text::{self, Encoding};

/// The file's name.
pub const BAGIT_TXT: &str = "bagit.txt";

const VERSION: &str = "BagIt-Version";
const ENCODING: &str = "Tag-File-Character-Encoding";
const KNOWN: [(u32, u32); 6] = [(0, 93), (0, 94), (0, 95), (0, 96), (0, 97), (1, 0)];

/// What `bagit.txt` declares.
#[derive(Clone, Debug)]
pub struct Declaration {
    /// `(major, minor)`.
    pub version: (u32, u32),
    /// The version as written.
    pub version_text: String,
    /// The encoding name as written.
    pub encoding_name: String,
    /// The encoding of the other tag files.
    pub encoding: Encoding,
}

impl Declaration {
    /// The name of the bag-info file: `package-info.txt` before 0.96.
    pub fn info_file(&self) -> &'static str {
        if self.version < (0, 96) {
            "package-info.txt"
        } else {
            "bag-info.txt"
        }
    }
}

/// Parses `bagit.txt`; `None` when the rest of the bag cannot be read (the
/// reason is in `out`).
pub fn parse(bytes: &[u8], out: &mut Findings) -> Option<Declaration> {
    let at = |line| At::line(BAGIT_TXT, line);
    let decoded = match text::decode(bytes, Encoding::Utf8) {
        Ok(d) => d,
        Err(e) => {
            out.error("bagit.declaration.not-utf8", at(e.line), "is not UTF-8");
            return None;
        }
    };
    if decoded.had_bom {
        out.error(
            "bagit.declaration.bom",
            At::file(BAGIT_TXT),
            "starts with a byte-order mark, which RFC 8493 §2.1.1 forbids",
        );
    }
    let mut version: Option<(usize, String)> = None;
    let mut encoding: Option<(usize, String)> = None;
    for (n, line) in text::lines(&decoded.text) {
        if line.trim().is_empty() {
            continue;
        }
        let Some((label, value)) = line.split_once(':') else {
            out.error(
                "bagit.declaration.malformed",
                at(n),
                format!("{:?} is not a 'Label: value' line", line),
            );
            continue;
        };
        let slot = match label.trim() {
            VERSION => &mut version,
            ENCODING => &mut encoding,
            other => {
                out.warn(
                    "bagit.declaration.extra-line",
                    at(n),
                    format!("holds {other:?}, which is not part of a bag declaration; ignored"),
                );
                continue;
            }
        };
        if label != label.trim() {
            out.error(
                "bagit.declaration.whitespace",
                at(n),
                format!(
                    "label {label:?} has whitespace around it; RFC 8493 §2.1.1 requires '{}: '",
                    label.trim()
                ),
            );
        }
        if !value.starts_with(' ') || value.starts_with("  ") || value != value.trim_end() {
            out.warn(
                "bagit.declaration.spacing",
                at(n),
                "is not written as 'Label: value' with one space; read anyway",
            );
        }
        if slot.is_some() {
            out.error(
                "bagit.declaration.repeated",
                at(n),
                format!("declares {} a second time", label.trim()),
            );
            continue;
        }
        *slot = Some((n, value.trim().to_owned()));
    }
    let Some((vline, vtext)) = version else {
        out.error(
            "bagit.declaration.no-version",
            At::file(BAGIT_TXT),
            "has no BagIt-Version line",
        );
        return None;
    };
    let Some((eline, ename)) = encoding else {
        out.error(
            "bagit.declaration.no-encoding",
            At::file(BAGIT_TXT),
            "has no Tag-File-Character-Encoding line",
        );
        return None;
    };
    let version = parse_version(&vtext, at(vline), out)?;
    let Some(enc) = Encoding::lookup(&ename) else {
        out.error(
            "bagit.encoding.unsupported",
            at(eline),
            format!("tag-file encoding {ename:?} is not one docseal reads (UTF-8, US-ASCII, ISO-8859-1, UTF-16)"),
        );
        return None;
    };
    Some(Declaration {
        version,
        version_text: vtext,
        encoding_name: ename,
        encoding: enc,
    })
}

fn parse_version(text: &str, at: At, out: &mut Findings) -> Option<(u32, u32)> {
    let parsed = text.split_once('.').and_then(|(a, b)| {
        let digits = |s: &str| !s.is_empty() && s.bytes().all(|c| c.is_ascii_digit());
        if digits(a) && digits(b) {
            Some((a.parse::<u32>().ok()?, b.parse::<u32>().ok()?))
        } else {
            None
        }
    });
    let Some(v) = parsed else {
        out.error(
            "bagit.declaration.bad-version",
            at,
            format!("version {text:?} is not MAJOR.MINOR"),
        );
        return None;
    };
    if !((0, 93)..(2, 0)).contains(&v) {
        out.error(
            "bagit.declaration.unsupported-version",
            at,
            format!("BagIt version {text} is not one docseal reads (0.93 to 1.0)"),
        );
        return None;
    }
    if !KNOWN.contains(&v) {
        out.warn(
            "bagit.declaration.unknown-version",
            at,
            format!("BagIt version {text} is not a published version; checked by the rules of the nearest one"),
        );
    }
    Some(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(s: &[u8]) -> (Option<Declaration>, Vec<&'static str>) {
        let mut f = Findings::default();
        let d = parse(s, &mut f);
        (d, f.0.iter().map(|x| x.code).collect())
    }

    #[test]
    fn accepts_every_line_ending_and_lower_case_encoding() {
        for s in [
            &b"BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n"[..],
            b"BagIt-Version: 0.97\r\nTag-File-Character-Encoding: utf-8\r\n",
            b"BagIt-Version: 0.96\rTag-File-Character-Encoding: UTF-8",
        ] {
            let (d, codes) = run(s);
            assert!(d.is_some(), "{s:?}");
            assert!(codes.is_empty(), "{codes:?}");
        }
    }

    #[test]
    fn old_versions_use_package_info() {
        let (d, _) = run(b"BagIt-Version: 0.95\nTag-File-Character-Encoding: UTF-8\n");
        assert_eq!(d.unwrap().info_file(), "package-info.txt");
    }

    #[test]
    fn refuses_what_bagit_python_and_the_rfc_refuse() {
        let cases: [(&[u8], &str); 6] = [
            (
                b"\xEF\xBB\xBFBagIt-Version: 0.97\nTag-File-Character-Encoding: UTF-8\n",
                "bagit.declaration.bom",
            ),
            (
                b"BagIt-Version: .97\nTag-File-Character-Encoding: UTF-8\n",
                "bagit.declaration.bad-version",
            ),
            (
                b"BagIt-Version: 2.0\nTag-File-Character-Encoding: UTF-8\n",
                "bagit.declaration.unsupported-version",
            ),
            (b"BagIt-Version: 0.97\n", "bagit.declaration.no-encoding"),
            (
                b"BagIt-Version : 1.0\nTag-File-Character-Encoding : UTF-8\n",
                "bagit.declaration.whitespace",
            ),
            (
                b"BagIt-Version: 1.0\nTag-File-Character-Encoding: EBCDIC\n",
                "bagit.encoding.unsupported",
            ),
        ];
        for (bytes, code) in cases {
            let mut f = Findings::default();
            parse(bytes, &mut f);
            assert!(f.0.iter().any(|x| x.code == code), "{code}: {:?}", f.0);
            assert_eq!(f.verdict(), super::super::Verdict::Invalid);
        }
    }
}
