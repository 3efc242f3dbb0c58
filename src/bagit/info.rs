//! `bag-info.txt` (RFC 8493 §2.2.2): fields, `Payload-Oxum` and `Bag-Size`.
//!
//! Invariants: parsed labels and values satisfy the same rules the writer
//! enforces, so [`BagInfo::to_text`] output always parses back to the same
//! fields; numbers have one spelling; sizes are computed without floats.

use super::{tag_lines, BagItError, MAX_INFO_LINES, MAX_INFO_LINE_BYTES};

/// The fields of `bag-info.txt` (RFC 8493 §2.2.2), in file order.
///
/// Reading follows RFC 8493 §2.2.2 for version 1.0: `Label:` then exactly
/// one space or tab, then the value (further whitespace belongs to the
/// value). A line starting with a space or tab continues the previous
/// value: its leading whitespace is replaced by one space. Labels are
/// non-empty, without `:` or control characters other than tab, and do not
/// start or end with whitespace; values hold no control character other
/// than tab. Writing never folds.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BagInfo {
    /// `(label, value)` pairs, in file order; labels may repeat.
    pub fields: Vec<(String, String)>,
}

impl BagInfo {
    /// Parses `bag-info.txt`; errors name the 1-based line.
    pub fn parse(bytes: &[u8]) -> Result<BagInfo, BagItError> {
        let lines = tag_lines(bytes, MAX_INFO_LINES, MAX_INFO_LINE_BYTES)?;
        let mut fields: Vec<(String, String)> = Vec::new();
        for (i, text) in lines.into_iter().enumerate() {
            let line = i + 1;
            if !text.starts_with([' ', '\t']) {
                fields.push(parse_field(line, text)?);
                continue;
            }
            let Some((_, value)) = fields.last_mut() else {
                return Err(BagItError::ContinuationWithoutField { line });
            };
            let more = text.trim_start_matches([' ', '\t']);
            if more.is_empty() {
                return Err(BagItError::EmptyLine { line });
            }
            check_value(line, more)?;
            value.push(' ');
            value.push_str(more);
        }
        Ok(BagInfo { fields })
    }

    /// One `Label: value\n` line per field, in order. Refuses a label or
    /// value that [`BagInfo::parse`] would not read back unchanged.
    pub fn to_text(&self) -> Result<String, BagItError> {
        if self.fields.len() > MAX_INFO_LINES {
            return Err(BagItError::TooManyLines {
                max: MAX_INFO_LINES,
            });
        }
        let mut out = String::new();
        for (i, (label, value)) in self.fields.iter().enumerate() {
            let line = i + 1;
            check_label(line, label)?;
            check_value(line, value)?;
            if label.len() + 2 + value.len() > MAX_INFO_LINE_BYTES {
                return Err(BagItError::LineTooLong {
                    line,
                    max: MAX_INFO_LINE_BYTES,
                });
            }
            out.push_str(label);
            out.push_str(": ");
            out.push_str(value);
            out.push('\n');
        }
        Ok(out)
    }

    /// The first value whose label matches `label`, ignoring case (RFC
    /// 8493 §2.2.2: reserved labels are case-insensitive).
    pub fn get(&self, label: &str) -> Option<&str> {
        self.get_all(label).into_iter().next()
    }

    /// Every value whose label matches `label`, ignoring case, in order.
    pub fn get_all(&self, label: &str) -> Vec<&str> {
        let want = label.to_lowercase();
        self.fields
            .iter()
            .filter(|(l, _)| l.to_lowercase() == want)
            .map(|(_, v)| v.as_str())
            .collect()
    }
}

/// `Label: value` (first line of a field).
fn parse_field(line: usize, text: &str) -> Result<(String, String), BagItError> {
    let (label, rest) = text.split_once(':').ok_or(BagItError::NotAField { line })?;
    check_label(line, label)?;
    let value = rest
        .strip_prefix([' ', '\t'])
        .ok_or(BagItError::MissingSpaceAfterColon { line })?;
    check_value(line, value)?;
    Ok((label.to_owned(), value.to_owned()))
}

fn check_label(line: usize, label: &str) -> Result<(), BagItError> {
    let reason = if label.is_empty() {
        "is empty"
    } else if label.contains(':') {
        "contains ':'"
    } else if label.chars().any(|c| c.is_control() && c != '\t') {
        "contains a control character"
    } else if label.starts_with([' ', '\t']) || label.ends_with([' ', '\t']) {
        "starts or ends with whitespace"
    } else {
        return Ok(());
    };
    Err(BagItError::BadLabel {
        line,
        label: label.to_owned(),
        reason,
    })
}

fn check_value(line: usize, value: &str) -> Result<(), BagItError> {
    match value.chars().find(|&c| c.is_control() && c != '\t') {
        Some(c) => Err(BagItError::ControlChar {
            line,
            code: c as u32,
        }),
        None => Ok(()),
    }
}

/// The `Payload-Oxum` value (RFC 8493 §2.2.2): `<octets>.<file count>`.
pub fn payload_oxum(total_bytes: u64, file_count: u64) -> String {
    format!("{total_bytes}.{file_count}")
}

/// Parses a `Payload-Oxum` value. Both numbers are plain decimal digits
/// without sign or leading zeros (so each pair has one spelling) that fit
/// in a `u64`.
pub fn parse_payload_oxum(s: &str) -> Result<(u64, u64), BagItError> {
    let bad = || BagItError::BadPayloadOxum {
        value: s.to_owned(),
    };
    let (octets, count) = s.split_once('.').ok_or_else(bad)?;
    Ok((
        decimal(octets).ok_or_else(bad)?,
        decimal(count).ok_or_else(bad)?,
    ))
}

fn decimal(s: &str) -> Option<u64> {
    let canonical =
        !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) && (s == "0" || !s.starts_with('0'));
    if canonical {
        s.parse().ok()
    } else {
        None
    }
}

/// The human-readable `Bag-Size` value (RFC 8493 §2.2.2): below 1,000
/// bytes `"<n> B"`, otherwise one decimal place, rounded half up, in the
/// largest decimal (SI) unit that keeps the number at least 1: `"1.2 MB"`,
/// `"42.6 GB"`. Deterministic integer arithmetic, no floats.
///
/// bagit-python (1.8, 1.9) never computes `Bag-Size`; it only copies a
/// value the user gives. This format follows the RFC's examples instead.
pub fn bag_size(total_bytes: u64) -> String {
    const UNITS: [&str; 6] = ["KB", "MB", "GB", "TB", "PB", "EB"];
    let n = u128::from(total_bytes);
    if n < 1000 {
        return format!("{n} B");
    }
    let mut unit: u128 = 1000;
    let mut index = 0;
    while index + 1 < UNITS.len() && n >= unit * 1000 {
        unit *= 1000;
        index += 1;
    }
    let mut tenths = (n * 10 + unit / 2) / unit;
    // 999,950 bytes round to 1000.0 KB; say 1.0 MB instead.
    if tenths >= 10_000 && index + 1 < UNITS.len() {
        unit *= 1000;
        index += 1;
        tenths = (n * 10 + unit / 2) / unit;
    }
    let name = UNITS.get(index).copied().unwrap_or("EB");
    format!("{}.{} {name}", tenths / 10, tenths % 10)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn fields(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(l, v)| ((*l).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn parses_fields_and_folding() {
        let cases: &[(&str, &[(&str, &str)])] = &[
            ("", &[]),
            ("A: 1\n", &[("A", "1")]),
            ("A:\t1\n", &[("A", "1")]),
            ("A:  1 \n", &[("A", " 1 ")]),
            ("A: \n", &[("A", "")]),
            ("A: x: y\n", &[("A", "x: y")]),
            ("Contact Name: me\n", &[("Contact Name", "me")]),
            (
                "A: one\n  two\n\tthree\nB: 2\n",
                &[("A", "one two three"), ("B", "2")],
            ),
            ("A: 1\na: 2\n", &[("A", "1"), ("a", "2")]),
            ("A: tab\tinside\n", &[("A", "tab\tinside")]),
        ];
        for (text, want) in cases {
            let got = BagInfo::parse(text.as_bytes()).unwrap_or_else(|e| panic!("{text:?}: {e}"));
            assert_eq!(got.fields, fields(want), "{text:?}");
        }
    }

    #[test]
    fn parse_rejects() {
        use BagItError::*;
        let label = |line, label: &str, reason| BadLabel {
            line,
            label: label.into(),
            reason,
        };
        let cases: Vec<(&str, BagItError)> = vec![
            ("A: 1\r\n", CarriageReturn { line: 1 }),
            ("A: 1", MissingFinalNewline { line: 1 }),
            ("A: 1\n\nB: 2\n", EmptyLine { line: 2 }),
            ("A: 1\n   \n", EmptyLine { line: 2 }),
            ("  folded\n", ContinuationWithoutField { line: 1 }),
            ("A: 1\nno colon\n", NotAField { line: 2 }),
            ("A:1\n", MissingSpaceAfterColon { line: 1 }),
            ("A:\n", MissingSpaceAfterColon { line: 1 }),
            (": x\n", label(1, "", "is empty")),
            ("A : x\n", label(1, "A ", "starts or ends with whitespace")),
            (
                "A\u{1}B: x\n",
                label(1, "A\u{1}B", "contains a control character"),
            ),
            (
                "A: x\u{7f}\n",
                ControlChar {
                    line: 1,
                    code: 0x7F,
                },
            ),
            (
                "A: x\n y\u{85}\n",
                ControlChar {
                    line: 2,
                    code: 0x85,
                },
            ),
            ("\u{feff}A: x\n", ByteOrderMark),
        ];
        for (text, want) in cases {
            assert_eq!(BagInfo::parse(text.as_bytes()), Err(want), "{text:?}");
        }
        assert_eq!(BagInfo::parse(b"A: \xc3\n"), Err(NotUtf8 { line: 1 }));
    }

    #[test]
    fn writes_and_refuses() {
        let info = BagInfo {
            fields: fields(&[("Bagging-Date", "2026-01-02"), ("Payload-Oxum", "5.1")]),
        };
        assert_eq!(
            info.to_text().unwrap(),
            "Bagging-Date: 2026-01-02\nPayload-Oxum: 5.1\n"
        );
        use BagItError::*;
        let cases: Vec<(&[(&str, &str)], BagItError)> = vec![
            (
                &[("A", "ok"), ("B", "x\ny")],
                ControlChar { line: 2, code: 10 },
            ),
            (&[("A", "x\r")], ControlChar { line: 1, code: 13 }),
            (
                &[("A:B", "x")],
                BadLabel {
                    line: 1,
                    label: "A:B".into(),
                    reason: "contains ':'",
                },
            ),
            (
                &[(" A", "x")],
                BadLabel {
                    line: 1,
                    label: " A".into(),
                    reason: "starts or ends with whitespace",
                },
            ),
            (
                &[("A\nB", "x")],
                BadLabel {
                    line: 1,
                    label: "A\nB".into(),
                    reason: "contains a control character",
                },
            ),
            (
                &[("", "x")],
                BadLabel {
                    line: 1,
                    label: String::new(),
                    reason: "is empty",
                },
            ),
        ];
        for (pairs, want) in cases {
            assert_eq!(
                BagInfo {
                    fields: fields(pairs)
                }
                .to_text(),
                Err(want),
                "{pairs:?}"
            );
        }
        let long = "x".repeat(MAX_INFO_LINE_BYTES);
        let want = LineTooLong {
            line: 1,
            max: MAX_INFO_LINE_BYTES,
        };
        assert_eq!(
            BagInfo {
                fields: fields(&[("A", &long)])
            }
            .to_text(),
            Err(want)
        );
    }

    #[test]
    fn lookup_ignores_case() {
        let info = BagInfo {
            fields: fields(&[("Contact-Name", "a"), ("X", "1"), ("CONTACT-NAME", "b")]),
        };
        assert_eq!(info.get("contact-name"), Some("a"));
        assert_eq!(info.get_all("Contact-name"), ["a", "b"]);
        assert_eq!(info.get("missing"), None);
        assert!(info.get_all("missing").is_empty());
    }

    #[test]
    fn payload_oxum_round_trip_and_rejects() {
        assert_eq!(payload_oxum(279164409832, 1198), "279164409832.1198");
        assert_eq!(
            parse_payload_oxum("279164409832.1198"),
            Ok((279164409832, 1198))
        );
        assert_eq!(parse_payload_oxum("0.0"), Ok((0, 0)));
        let max = format!("{}.{}", u64::MAX, u64::MAX);
        assert_eq!(parse_payload_oxum(&max), Ok((u64::MAX, u64::MAX)));
        for bad in [
            "",
            "1",
            "1.",
            ".1",
            "1.2.3",
            "01.2",
            "1.02",
            "+1.2",
            "-1.2",
            " 1.2",
            "1.2 ",
            "a.b",
            "18446744073709551616.1",
            "1,5.2",
        ] {
            let want = BagItError::BadPayloadOxum { value: bad.into() };
            assert_eq!(parse_payload_oxum(bad), Err(want), "{bad:?}");
        }
    }

    #[test]
    fn bag_size_format() {
        let cases = [
            (0, "0 B"),
            (999, "999 B"),
            (1000, "1.0 KB"),
            (1049, "1.0 KB"),
            (1050, "1.1 KB"),
            (999_949, "999.9 KB"),
            (999_950, "1.0 MB"),
            (1_234_567, "1.2 MB"),
            (42_600_000_000, "42.6 GB"),
            (43_000_000_000_000, "43.0 TB"),
            (1_000_000_000_000_000, "1.0 PB"),
            (u64::MAX, "18.4 EB"),
        ];
        for (bytes, want) in cases {
            assert_eq!(bag_size(bytes), want, "{bytes}");
        }
    }

    proptest! {
        #[test]
        fn round_trip(pairs in proptest::collection::vec(
            ("[A-Za-z0-9][A-Za-z0-9 _-]{0,20}[A-Za-z0-9]|[A-Za-z]", "[\\PC\t]{0,60}"), 0..12)) {
            let info = BagInfo { fields: pairs };
            let text = info.to_text().unwrap();
            prop_assert_eq!(BagInfo::parse(text.as_bytes()), Ok(info));
        }

        #[test]
        fn parse_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
            let _ = BagInfo::parse(&bytes);
        }

        #[test]
        fn bag_size_is_well_formed(n in any::<u64>()) {
            let s = bag_size(n);
            prop_assert!(s.ends_with(" B") || s.contains('.'), "{}", s);
        }
    }
}
