//! `fetch.txt`: payload files a bag says can be fetched (RFC 8493 §2.2.3).
//!
//! Each line is `URL LENGTH FILENAME` (`LENGTH` is octets or `-`). docseal
//! never fetches. A listed file that is present is checked like any other
//! payload file; one that is absent makes the bag incomplete (reported as
//! such, exit 1), not invalid. Errors: a malformed line, a URL without a
//! scheme and host (`file:` needs no host, as in bagit-python), an unsafe
//! path, a path outside `data/`, and a path that a payload manifest does
//! not list (RFC 8493 §2.2.3: every fetched file is in every payload manifest).

use super::findings::{shown, At, Findings};
use super::paths;
use super::text;

/// The file's name.
pub const FETCH_TXT: &str = "fetch.txt";

/// One line of `fetch.txt`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FetchEntry {
    /// Where the file could be fetched from.
    pub url: String,
    /// Its declared length, if given.
    pub length: Option<u64>,
    /// The bag-relative path, decoded.
    pub path: String,
    /// The line.
    pub line: usize,
}

/// Parses the decoded text of `fetch.txt`.
pub fn parse(text: &str, version: (u32, u32), out: &mut Findings) -> Vec<FetchEntry> {
    let mut entries = Vec::new();
    for (n, line) in text::lines(text) {
        let at = || At::line(FETCH_TXT, n);
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        let fields = split_field(line).and_then(|(url, r)| Some((url, split_field(r)?)));
        let Some((url, (len, rest))) = fields.filter(|(_, (_, rest))| !rest.is_empty()) else {
            out.error(
                "bagit.fetch.malformed",
                at(),
                "is not 'URL LENGTH FILENAME'",
            );
            continue;
        };
        if !url_is_well_formed(url) {
            out.error(
                "bagit.fetch.bad-url",
                at(),
                format!("{url:?} is not a URL with a scheme and a host"),
            );
            continue;
        }
        let length = match len {
            "-" => None,
            s if s.bytes().all(|b| b.is_ascii_digit()) => s.parse().ok(),
            s => {
                out.error(
                    "bagit.fetch.bad-length",
                    at(),
                    format!("length {s:?} is neither a number nor '-'"),
                );
                continue;
            }
        };
        let path = match paths::parse(rest, version) {
            Ok(p) => p.path,
            Err(why) => {
                out.error(
                    "bagit.path.unsafe",
                    at(),
                    format!("path {} {}", shown(rest), why.reason()),
                );
                continue;
            }
        };
        if !path.starts_with("data/") {
            out.error(
                "bagit.fetch.outside-payload",
                at(),
                format!(
                    "lists {}, which is not in data/; fetch.txt lists payload files only",
                    shown(&path)
                ),
            );
            continue;
        }
        entries.push(FetchEntry {
            url: url.to_owned(),
            length,
            path,
            line: n,
        });
    }
    entries
}

/// Splits at the first run of spaces or tabs.
fn split_field(s: &str) -> Option<(&str, &str)> {
    let (head, tail) = s.split_once([' ', '\t'])?;
    Some((head, tail.trim_start_matches([' ', '\t'])))
}

/// A scheme and a host, or the `file` scheme (bagit-python's rule).
fn url_is_well_formed(url: &str) -> bool {
    let Some((scheme, rest)) = url.split_once(':') else {
        return false;
    };
    let scheme_ok = scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c));
    if !scheme_ok {
        return false;
    }
    if scheme.eq_ignore_ascii_case("file") {
        return true;
    }
    rest.strip_prefix("//")
        .map(|r| {
            r.split(['/', '?', '#'])
                .next()
                .is_some_and(|host| !host.is_empty())
        })
        .unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_and_lengths() {
        let mut f = Findings::default();
        let e = parse(
            "http://h/x - data/test 1.txt\r\nhttps://h/y 12\tdata/y\nfile:///z 3 data/z\n",
            (0, 97),
            &mut f,
        );
        assert!(f.0.is_empty(), "{:?}", f.0);
        let got: Vec<_> = e.iter().map(|e| (e.path.as_str(), e.length)).collect();
        assert_eq!(
            got,
            [
                ("data/test 1.txt", None),
                ("data/y", Some(12)),
                ("data/z", Some(3))
            ]
        );
    }

    #[test]
    fn errors() {
        for (line, code) in [
            ("http://h/x -", "bagit.fetch.malformed"),
            ("nourl - data/x", "bagit.fetch.bad-url"),
            ("http:///x - data/x", "bagit.fetch.bad-url"),
            ("http://h/x ten data/x", "bagit.fetch.bad-length"),
            ("http://h/x - ../../../README.md", "bagit.path.unsafe"),
            ("https://en.wikipedia.org - ~root/foo", "bagit.path.unsafe"),
            ("http://h/x - bagit.txt", "bagit.fetch.outside-payload"),
        ] {
            let mut f = Findings::default();
            assert!(parse(line, (1, 0), &mut f).is_empty(), "{line}");
            assert_eq!(
                f.0.iter().map(|x| x.code).collect::<Vec<_>>(),
                [code],
                "{line}"
            );
        }
    }
}
