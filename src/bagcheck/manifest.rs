//! Payload manifests `manifest-ALG.txt` and tag manifests
//! `tagmanifest-ALG.txt` (RFC 8493 §2.1.3, §2.2.1).
//!
//! Each line is `CHECKSUM WHITESPACE PATH`; any run of spaces or tabs
//! separates them, blank lines are skipped, hex digits may be upper case.
//! Tolerated with a warning, as bagit-python does: a byte-order mark, `#`
//! comment lines, md5sum's `*` marker and `./` prefixes, the same path
//! listed twice with the same checksum before BagIt 1.0. Errors: a line
//! without a path, a checksum that is not hex of the algorithm's length, an
//! unsafe path ([`super::paths`]), a payload manifest listing a file
//! outside `data/`, the same path listed with two checksums, and (from 1.0,
//! RFC 8493 §2.1.3) the same path listed twice at all.

use std::collections::BTreeMap;

use super::digest::Algorithm;
use super::findings::{shown, At, Findings};
use super::paths;
use super::text;

/// Payload or tag manifest.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    /// `manifest-ALG.txt`.
    Payload,
    /// `tagmanifest-ALG.txt`.
    Tag,
}

/// A manifest file found at the top of the bag.
#[derive(Clone, Debug)]
pub struct ManifestFile {
    /// Its bag-relative name.
    pub name: String,
    /// Payload or tag.
    pub kind: Kind,
    /// Its algorithm.
    pub alg: Algorithm,
}

/// Classifies a top-level file name: `Ok(Some)` for a manifest docseal can
/// check, `Err(alg)` for a manifest of an algorithm it cannot compute.
pub fn classify(name: &str) -> Result<Option<(Kind, Algorithm)>, String> {
    let (kind, rest) = if let Some(r) = name.strip_prefix("tagmanifest-") {
        (Kind::Tag, r)
    } else if let Some(r) = name.strip_prefix("manifest-") {
        (Kind::Payload, r)
    } else {
        return Ok(None);
    };
    let Some(alg) = rest.strip_suffix(".txt") else {
        return Ok(None);
    };
    match Algorithm::from_name(alg) {
        Some(a) => Ok(Some((kind, a))),
        None => Err(alg.to_owned()),
    }
}

/// One expected checksum of a file.
#[derive(Clone, Debug)]
pub struct Expected {
    /// The algorithm.
    pub alg: Algorithm,
    /// The checksum in lower-case hex.
    pub hex: String,
    /// The manifest that lists it.
    pub manifest: String,
    /// Its line there.
    pub line: usize,
    /// Payload or tag manifest.
    pub kind: Kind,
}

/// Every listed path with what each manifest expects of it.
pub type Entries = BTreeMap<String, Vec<Expected>>;

/// Parses one manifest's decoded text into `entries`.
pub fn parse(
    text: &str,
    m: &ManifestFile,
    version: (u32, u32),
    entries: &mut Entries,
    out: &mut Findings,
) {
    let mut dot_lines = Vec::new();
    let mut star_lines = Vec::new();
    for (n, line) in text::lines(text) {
        let at = || At::line(&m.name, n);
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        if line.starts_with('#') {
            out.warn(
                "bagit.manifest.comment",
                at(),
                "is a '#' comment line; skipped",
            );
            continue;
        }
        let Some((sum, rest)) = line.split_once([' ', '\t']) else {
            out.error(
                "bagit.manifest.malformed",
                at(),
                "has a checksum but no path",
            );
            continue;
        };
        let mut raw = rest.trim_start_matches([' ', '\t']);
        if let Some(r) = raw.strip_prefix('*') {
            star_lines.push(n);
            raw = r;
        }
        if sum.len() != m.alg.hex_len() || !sum.bytes().all(|b| b.is_ascii_hexdigit()) {
            out.error(
                "bagit.manifest.bad-checksum",
                at(),
                format!(
                    "{:?} is not a {} checksum ({} hex digits)",
                    sum,
                    m.alg.name(),
                    m.alg.hex_len()
                ),
            );
            continue;
        }
        let parsed = match paths::parse(raw, version) {
            Ok(p) => p,
            Err(why) => {
                out.error(
                    "bagit.path.unsafe",
                    at(),
                    format!("path {} {}", shown(raw), why.reason()),
                );
                continue;
            }
        };
        if parsed.had_dot_segments {
            dot_lines.push(n);
        }
        if m.kind == Kind::Payload && !parsed.path.starts_with("data/") {
            out.error(
                "bagit.manifest.outside-payload",
                at(),
                format!(
                    "lists {}, which is not in data/; a payload manifest lists payload only",
                    shown(&parsed.path)
                ),
            );
            continue;
        }
        let hex = sum.to_ascii_lowercase();
        let list = entries.entry(parsed.path.clone()).or_default();
        if let Some(prev) = list.iter().find(|e| e.manifest == m.name) {
            if prev.hex != hex {
                out.error(
                    "bagit.manifest.conflict",
                    at(),
                    format!(
                        "lists {} again with another checksum (first on line {})",
                        shown(&parsed.path),
                        prev.line
                    ),
                );
            } else if version >= (1, 0) {
                out.error(
                    "bagit.manifest.duplicate",
                    at(),
                    format!(
                        "lists {} a second time (first on line {}); BagIt 1.0 forbids it",
                        shown(&parsed.path),
                        prev.line
                    ),
                );
            } else {
                out.warn(
                    "bagit.manifest.duplicate",
                    at(),
                    format!(
                        "lists {} a second time with the same checksum (first on line {})",
                        shown(&parsed.path),
                        prev.line
                    ),
                );
            }
            continue;
        }
        list.push(Expected {
            alg: m.alg,
            hex,
            manifest: m.name.clone(),
            line: n,
            kind: m.kind,
        });
    }
    if let Some(first) = star_lines.first() {
        out.warn(
            "bagit.manifest.binary-marker",
            At::line(&m.name, *first),
            format!(
                "{} line(s) mark the path with md5sum's '*'; read without it",
                star_lines.len()
            ),
        );
    }
    if let Some(first) = dot_lines.first() {
        out.warn(
            "bagit.path.dot-segment",
            At::line(&m.name, *first),
            format!(
                "{} path(s) written with './' or empty segments; read without them",
                dot_lines.len()
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(text: &str, name: &str, version: (u32, u32)) -> (Entries, Vec<&'static str>) {
        let (kind, alg) = classify(name).unwrap().unwrap();
        let m = ManifestFile {
            name: name.into(),
            kind,
            alg,
        };
        let mut e = Entries::new();
        let mut f = Findings::default();
        parse(text, &m, version, &mut e, &mut f);
        (e, f.0.iter().map(|x| x.code).collect())
    }

    const MD5: &str = "b1946ac92492d2347c6235b4d2611184";

    #[test]
    fn classifies_names() {
        assert!(matches!(
            classify("manifest-md5.txt"),
            Ok(Some((Kind::Payload, Algorithm::Md5)))
        ));
        assert!(matches!(
            classify("tagmanifest-sha512.txt"),
            Ok(Some((Kind::Tag, Algorithm::Sha512)))
        ));
        assert_eq!(classify("manifest-foo.txt").unwrap_err(), "foo");
        assert!(matches!(classify("bag-info.txt"), Ok(None)));
    }

    #[test]
    fn separators_markers_and_case() {
        let text = format!(
            "{}\tdata/a b\r\n{} *data/c\n\n{}  ./data/d\n",
            MD5.to_uppercase(),
            MD5,
            MD5
        );
        let (e, codes) = run(&text, "manifest-md5.txt", (0, 97));
        assert_eq!(
            e.keys().collect::<Vec<_>>(),
            ["data/a b", "data/c", "data/d"]
        );
        assert_eq!(e["data/a b"][0].hex, MD5);
        assert_eq!(
            codes,
            ["bagit.manifest.binary-marker", "bagit.path.dot-segment"]
        );
    }

    #[test]
    fn duplicates_depend_on_version_and_checksum() {
        let same = format!("{MD5}  data/x\n{MD5}  data/x\n");
        assert_eq!(
            run(&same, "manifest-md5.txt", (0, 97)).1,
            ["bagit.manifest.duplicate"]
        );
        let (_, codes) = run(&same, "manifest-md5.txt", (1, 0));
        assert_eq!(codes, ["bagit.manifest.duplicate"]);
        let other = format!("{MD5}  data/x\n{}  data/x\n", "0".repeat(32));
        assert_eq!(
            run(&other, "manifest-md5.txt", (0, 97)).1,
            ["bagit.manifest.conflict"]
        );
    }

    #[test]
    fn errors() {
        for (line, code) in [
            ("abc data/x", "bagit.manifest.bad-checksum"),
            (MD5, "bagit.manifest.malformed"),
            (&format!("{MD5} ../x"), "bagit.path.unsafe"),
            (
                &format!("{MD5} bagit.txt"),
                "bagit.manifest.outside-payload",
            ),
        ] {
            assert_eq!(run(line, "manifest-md5.txt", (1, 0)).1, [code], "{line}");
        }
        // A tag manifest may list any file of the bag.
        assert!(
            run(&format!("{MD5} meta/x.txt"), "tagmanifest-md5.txt", (1, 0))
                .1
                .is_empty()
        );
    }
}
