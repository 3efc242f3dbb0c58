//! `bag-info.txt` (`package-info.txt` before BagIt 0.96): labelled metadata
//! (RFC 8493 §2.2.2).
//!
//! Read as bagit-python reads it: blank lines are skipped, a line that
//! starts with a space or tab continues the previous value (folding),
//! labels may repeat, and whitespace around the colon is tolerated (with a
//! warning, since the RFC asks for `Label: value`). A line with no colon
//! that does not continue a value is an error. Labels the RFC describes as
//! describing the bag once (`Payload-Oxum`, `Bagging-Date`, `Bag-Size`,
//! `Bag-Count`, `Bag-Group-Identifier`) get a warning when repeated, and
//! every `Payload-Oxum` is checked.

use super::findings::{At, Findings};
use super::text;

/// Labels that describe the whole bag, so a second value is suspicious.
const ONCE: [&str; 5] = [
    "Payload-Oxum",
    "Bagging-Date",
    "Bag-Size",
    "Bag-Count",
    "Bag-Group-Identifier",
];

/// One metadata element.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Tag {
    /// The label, trimmed.
    pub label: String,
    /// The value, trimmed, folded lines joined with one space.
    pub value: String,
    /// The line the element starts on.
    pub line: usize,
}

/// Parses the decoded text of the bag-info file `file`.
pub fn parse(text: &str, file: &str, out: &mut Findings) -> Vec<Tag> {
    let mut tags: Vec<Tag> = Vec::new();
    for (n, line) in text::lines(text) {
        if line.trim().is_empty() {
            continue;
        }
        if line.starts_with([' ', '\t']) {
            if let Some(last) = tags.last_mut() {
                last.value.push(' ');
                last.value.push_str(line.trim());
                continue;
            }
        }
        let Some((label, value)) = line.split_once(':') else {
            out.error(
                "bagit.info.malformed",
                At::line(file, n),
                format!(
                    "{:?} is neither 'Label: value' nor a folded continuation",
                    line.trim()
                ),
            );
            continue;
        };
        if label.trim().is_empty() {
            out.error(
                "bagit.info.malformed",
                At::line(file, n),
                "has an empty label",
            );
            continue;
        }
        if label != label.trim() {
            out.warn(
                "bagit.info.label-whitespace",
                At::line(file, n),
                format!(
                    "label {label:?} has whitespace around it; read as {:?}",
                    label.trim()
                ),
            );
        }
        tags.push(Tag {
            label: label.trim().to_owned(),
            value: value.trim().to_owned(),
            line: n,
        });
    }
    for once in ONCE {
        let lines: Vec<usize> = tags
            .iter()
            .filter(|t| t.label == once)
            .map(|t| t.line)
            .collect();
        if let [_, second, ..] = lines.as_slice() {
            out.warn(
                "bagit.info.repeated",
                At::line(file, *second),
                format!(
                    "{once} is given {} times, though it describes the whole bag",
                    lines.len()
                ),
            );
        }
    }
    tags
}

/// Parses a `Payload-Oxum` value: `(octets, streams)`.
pub fn parse_oxum(value: &str) -> Option<(u64, u64)> {
    let (bytes, files) = value.split_once('.')?;
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|c| c.is_ascii_digit());
    if !digits(bytes) || !digits(files) {
        return None;
    }
    Some((bytes.parse().ok()?, files.parse().ok()?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folded_repeated_and_oddly_spaced_labels() {
        let mut f = Findings::default();
        let t = parse(
            "A: one\r\n  two\r\nA: again\r\n\r\nTest-Tag : 3\r\nB:\tx\r\n",
            "bag-info.txt",
            &mut f,
        );
        let pairs: Vec<(&str, &str)> = t
            .iter()
            .map(|t| (t.label.as_str(), t.value.as_str()))
            .collect();
        assert_eq!(
            pairs,
            [
                ("A", "one two"),
                ("A", "again"),
                ("Test-Tag", "3"),
                ("B", "x")
            ]
        );
        let codes: Vec<_> = f.0.iter().map(|x| x.code).collect();
        assert_eq!(codes, ["bagit.info.label-whitespace"]);
    }

    #[test]
    fn a_line_without_colon_is_an_error_and_repeats_of_once_labels_warn() {
        let mut f = Findings::default();
        parse(
            "no colon here\nPayload-Oxum: 1.1\nPayload-Oxum: 2.1\n",
            "bag-info.txt",
            &mut f,
        );
        let codes: Vec<_> = f.0.iter().map(|x| x.code).collect();
        assert_eq!(codes, ["bagit.info.malformed", "bagit.info.repeated"]);
    }

    #[test]
    fn oxum() {
        assert_eq!(parse_oxum("58.2"), Some((58, 2)));
        assert_eq!(parse_oxum("58"), None);
        assert_eq!(parse_oxum("5x.2"), None);
        assert_eq!(parse_oxum("-1.2"), None);
    }
}
