//! SHA-256 manifests (RFC 8493 §2.1.3 payload manifest, §2.2.1 tag
//! manifest): strict parsing into [`BagPath`]s and the canonical text.
//!
//! Invariants: a parsed manifest lists each path once, every path is a
//! valid bag path after percent-decoding, and every error names its line.
//! [`Manifest::to_text`] is the one canonical form (sorted by path bytes,
//! lowercase hex, two spaces, LF), identical to `sha256sum` output.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;

use super::{decode_path, encode_path, tag_lines, BagItError};
use super::{MAX_MANIFEST_LINES, MAX_MANIFEST_LINE_BYTES};
use crate::bagpath::BagPath;

/// A SHA-256 manifest (RFC 8493 §2.1.3 payload manifest, §2.2.1 tag
/// manifest): paths and digests in file order.
///
/// [`Manifest::parse`] follows RFC 8493 where docseal's own writer is
/// stricter: hex digits in either case, one or more spaces or tabs before
/// the path, and one `*` directly before the path (the binary-mode marker
/// `sha256sum -b` writes; never part of a bag path, which refuses `*`). It
/// keeps no record of these deviations: a caller that needs the canonical
/// form compares the bytes with [`Manifest::to_text`]. Which paths belong
/// in which manifest (`data/` only, or never `data/`) and name collisions
/// between distinct paths ([`crate::bagpath::find_collision`]) are the
/// caller's checks.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Manifest {
    /// `(path, SHA-256)` pairs, in file order.
    pub entries: Vec<(BagPath, [u8; 32])>,
}

impl Manifest {
    /// Parses a manifest: UTF-8, LF line ends, one `checksum path` entry per
    /// line, each path percent-decoded and validated as a [`BagPath`], no
    /// path twice. Errors name the 1-based line. An empty file is an empty
    /// manifest.
    pub fn parse(bytes: &[u8]) -> Result<Manifest, BagItError> {
        let lines = tag_lines(bytes, MAX_MANIFEST_LINES, MAX_MANIFEST_LINE_BYTES)?;
        let mut first_seen: HashMap<BagPath, usize> = HashMap::with_capacity(lines.len());
        let mut entries = Vec::with_capacity(lines.len());
        for (i, text) in lines.into_iter().enumerate() {
            let line = i + 1;
            let (path, digest) = parse_entry(line, text)?;
            if let Some(&first_line) = first_seen.get(&path) {
                return Err(BagItError::DuplicatePath {
                    line,
                    first_line,
                    path,
                });
            }
            first_seen.insert(path.clone(), line);
            entries.push((path, digest));
        }
        Ok(Manifest { entries })
    }

    /// The canonical text: entries sorted by path bytes, each line
    /// `<64 lowercase hex><two spaces><percent-encoded path>\n`. This is
    /// what `sha256sum` prints and what `sha256sum -c` checks (for paths
    /// without `%`, which only BagIt readers decode).
    pub fn to_text(&self) -> String {
        let mut sorted: Vec<&(BagPath, [u8; 32])> = self.entries.iter().collect();
        sorted.sort_by(|a, b| a.0.cmp(&b.0));
        let mut out = String::with_capacity(sorted.len() * 100);
        for (path, digest) in sorted {
            for byte in digest {
                // Writing to a String cannot fail.
                let _ = write!(out, "{byte:02x}");
            }
            out.push_str("  ");
            out.push_str(&encode_path(path.as_str()));
            out.push('\n');
        }
        out
    }

    /// The digest listed for `p`. Binary search first (canonical manifests
    /// are sorted), then a scan; for many look-ups in a large manifest that
    /// may be unsorted, use [`Manifest::to_map`].
    pub fn get(&self, p: &BagPath) -> Option<&[u8; 32]> {
        let found = match self.entries.binary_search_by(|(q, _)| q.cmp(p)) {
            Ok(at) => self.entries.get(at),
            Err(_) => self.entries.iter().find(|(q, _)| q == p),
        };
        found.map(|(_, digest)| digest)
    }

    /// The entries as a map; the first entry wins if a path repeats (only
    /// possible in a manifest built in code, never in a parsed one).
    pub fn to_map(&self) -> BTreeMap<&BagPath, &[u8; 32]> {
        let mut map = BTreeMap::new();
        for (path, digest) in &self.entries {
            map.entry(path).or_insert(digest);
        }
        map
    }
}

/// One manifest line: checksum, whitespace, optional `*`, encoded path.
fn parse_entry(line: usize, text: &str) -> Result<(BagPath, [u8; 32]), BagItError> {
    let digest = text
        .get(..64)
        .and_then(unhex32)
        .ok_or(BagItError::BadChecksum { line })?;
    let after = text.get(64..).unwrap_or_default();
    let spaced = after.trim_start_matches([' ', '\t']);
    if spaced.len() == after.len() {
        return Err(match after.chars().next() {
            None => BagItError::MissingPath { line },
            Some(c) if c.is_ascii_hexdigit() => BagItError::BadChecksum { line },
            Some(_) => BagItError::MissingSeparator { line },
        });
    }
    let encoded = spaced.strip_prefix('*').unwrap_or(spaced);
    if encoded.is_empty() {
        return Err(BagItError::MissingPath { line });
    }
    let decoded = decode_path(encoded).map_err(|e| match e {
        BagItError::PercentEscape { escape } => BagItError::BadEscape { line, escape },
        other => other,
    })?;
    let path = BagPath::new(&decoded).map_err(|error| BagItError::BadPath { line, error })?;
    Ok((path, digest))
}

/// Decodes exactly 64 hex digits of either case.
fn unhex32(s: &str) -> Option<[u8; 32]> {
    let mut out = [0u8; 32];
    if s.len() != 64 {
        return None;
    }
    for (slot, pair) in out.iter_mut().zip(s.as_bytes().chunks_exact(2)) {
        let hi = (*pair.first()? as char).to_digit(16)?;
        let lo = (*pair.get(1)? as char).to_digit(16)?;
        *slot = u8::try_from(hi * 16 + lo).ok()?;
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bagpath::PathError;
    use proptest::prelude::*;
    use sha2::{Digest, Sha256};

    const H: &str = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    fn p(s: &str) -> BagPath {
        BagPath::new(s).unwrap()
    }

    fn empty_digest() -> [u8; 32] {
        Sha256::digest(b"").into()
    }

    #[test]
    fn parses_rfc_forms() {
        let upper = H.to_uppercase();
        let cases: Vec<(String, &str)> = vec![
            (format!("{H}  data/a.txt\n"), "data/a.txt"),
            (format!("{H} data/a.txt\n"), "data/a.txt"),
            (format!("{H}\tdata/a.txt\n"), "data/a.txt"),
            (format!("{H} \t  data/a.txt\n"), "data/a.txt"),
            (format!("{H} *data/a.txt\n"), "data/a.txt"),
            (format!("{upper}  data/a.txt\n"), "data/a.txt"),
            (
                format!("{H}  data/with space/x y.txt\n"),
                "data/with space/x y.txt",
            ),
            (format!("{H}  data/100%25.txt\n"), "data/100%.txt"),
            (format!("{H}  data/é.txt\n"), "data/é.txt"),
        ];
        for (text, path) in cases {
            let m = Manifest::parse(text.as_bytes()).unwrap_or_else(|e| panic!("{text:?}: {e}"));
            assert_eq!(m.entries, vec![(p(path), empty_digest())], "{text:?}");
        }
        assert_eq!(Manifest::parse(b""), Ok(Manifest::default()));
    }

    #[test]
    fn rejects_with_line_numbers() {
        use BagItError::*;
        let ok = format!("{H}  data/a.txt\n");
        let short = &H[..63];
        let cases: Vec<(String, BagItError)> = vec![
            (format!("\u{feff}{ok}"), ByteOrderMark),
            (
                format!("{ok}{H}  data/b.txt"),
                MissingFinalNewline { line: 2 },
            ),
            (ok.replace('\n', "\r\n"), CarriageReturn { line: 1 }),
            (
                format!("{ok}{H}  data/b\r.txt\n"),
                CarriageReturn { line: 2 },
            ),
            (format!("{ok}\n{H}  data/b.txt\n"), EmptyLine { line: 2 }),
            (format!("{short}  data/a.txt\n"), BadChecksum { line: 1 }),
            (format!("{H}0  data/a.txt\n"), BadChecksum { line: 1 }),
            (format!("{}g  data/a.txt\n", short), BadChecksum { line: 1 }),
            (
                format!("{ok}{}é  data/a.txt\n", short),
                BadChecksum { line: 2 },
            ),
            (format!("{H}data/a.txt\n"), BadChecksum { line: 1 }),
            (format!("{H}*data/a.txt\n"), MissingSeparator { line: 1 }),
            (format!("{H}_x\n"), MissingSeparator { line: 1 }),
            (format!("{H}\n"), MissingPath { line: 1 }),
            (format!("{H}   \n"), MissingPath { line: 1 }),
            (format!("{H} *\n"), MissingPath { line: 1 }),
            (
                format!("{ok}{H}  data/a%20b\n"),
                BadEscape {
                    line: 2,
                    escape: "%20".into(),
                },
            ),
            (
                format!("{H}  data/a%0Ab\n"),
                BadPath {
                    line: 1,
                    error: PathError::ControlChar { code: 10 },
                },
            ),
            (
                format!("{H}  ../etc/passwd\n"),
                BadPath {
                    line: 1,
                    error: PathError::DotSegment,
                },
            ),
            (
                format!("{H}  /etc/passwd\n"),
                BadPath {
                    line: 1,
                    error: PathError::Absolute,
                },
            ),
            (
                format!("{H}  C:/x\n"),
                BadPath {
                    line: 1,
                    error: PathError::DrivePrefix,
                },
            ),
            (
                format!("{H}  data\\x\n"),
                BadPath {
                    line: 1,
                    error: PathError::Backslash,
                },
            ),
            (
                format!("{H}  data/a.txt \n"),
                BadPath {
                    line: 1,
                    error: PathError::TrailingDotOrSpace,
                },
            ),
            (
                format!("{H}  **data/a\n"),
                BadPath {
                    line: 1,
                    error: PathError::ForbiddenChar { ch: '*' },
                },
            ),
            (
                format!("{ok}{H}  data/b\n{H}  data/a.txt\n"),
                DuplicatePath {
                    line: 3,
                    first_line: 1,
                    path: p("data/a.txt"),
                },
            ),
            (
                format!("{H}  {}\n", "a".repeat(MAX_MANIFEST_LINE_BYTES)),
                LineTooLong {
                    line: 1,
                    max: MAX_MANIFEST_LINE_BYTES,
                },
            ),
        ];
        for (text, want) in cases {
            assert_eq!(Manifest::parse(text.as_bytes()), Err(want), "{text:?}");
        }
        let bad_utf8 = [ok.as_bytes(), b"\xff\n"].concat();
        assert_eq!(Manifest::parse(&bad_utf8), Err(NotUtf8 { line: 2 }));
    }

    #[test]
    fn too_many_lines() {
        let text = "x\n".repeat(MAX_MANIFEST_LINES + 1);
        let want = BagItError::TooManyLines {
            max: MAX_MANIFEST_LINES,
        };
        assert_eq!(Manifest::parse(text.as_bytes()), Err(want));
    }

    #[test]
    fn canonical_text() {
        let m = Manifest {
            entries: vec![
                (p("data/b"), [0xAB; 32]),
                (p("data/a b"), [0; 32]),
                (p("data/%"), [1; 32]),
                (p("bagit.txt"), [0xFF; 32]),
            ],
        };
        let want = format!(
            "{}  bagit.txt\n{}  data/%25\n{}  data/a b\n{}  data/b\n",
            "ff".repeat(32),
            "01".repeat(32),
            "00".repeat(32),
            "ab".repeat(32)
        );
        assert_eq!(m.to_text(), want);
        let back = Manifest::parse(want.as_bytes()).unwrap();
        assert_eq!(back.to_text(), want);
        assert_eq!(back.get(&p("data/%")), Some(&[1; 32]));
        assert_eq!(
            m.get(&p("data/a b")),
            Some(&[0; 32]),
            "unsorted falls back to a scan"
        );
        assert_eq!(m.get(&p("data/c")), None);
        assert_eq!(m.to_map().get(&p("data/b")), Some(&&[0xAB; 32]));
    }

    fn bag_path() -> impl Strategy<Value = BagPath> {
        proptest::collection::vec("[a-zA-Z0-9 %._~é\u{301}-]{1,12}", 1..5)
            .prop_filter_map("valid bag path", |segs| BagPath::new(&segs.join("/")).ok())
    }

    proptest! {
        #[test]
        fn bag_paths_round_trip(paths in proptest::collection::btree_set(bag_path(), 0..20)) {
            let entries: Vec<(BagPath, [u8; 32])> = paths
                .iter()
                .map(|p| (p.clone(), Sha256::digest(p.as_str()).into()))
                .collect();
            let m = Manifest { entries };
            let text = m.to_text();
            for p in &paths {
                let decoded = decode_path(&encode_path(p.as_str()));
                prop_assert_eq!(decoded.as_deref(), Ok(p.as_str()));
            }
            let back = Manifest::parse(text.as_bytes());
            prop_assert_eq!(back.as_ref(), Ok(&m), "btree order is byte order");
            prop_assert_eq!(back.map(|b| b.to_text()), Ok(text));
        }

        #[test]
        fn parse_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
            let _ = Manifest::parse(&bytes);
        }

        #[test]
        fn parse_never_panics_on_near_misses(s in "([0-9a-fA-F]{60,66}[ \t*]{0,3}[a-z%0-9/.\\\\:é]{0,12}\r?\n?){0,4}") {
            let _ = Manifest::parse(s.as_bytes());
        }
    }

    /// `sha256sum -c` (GNU coreutils) accepts what `to_text` writes.
    #[test]
    fn sha256sum_checks_to_text() {
        if std::process::Command::new("sha256sum")
            .arg("--version")
            .output()
            .is_err()
        {
            assert!(
                std::env::var_os("CI").is_none(),
                "sha256sum is missing under CI"
            );
            eprintln!("skipping: sha256sum not found");
            return;
        }
        let dir = tempfile::tempdir().unwrap();
        let files: [(&str, &[u8]); 4] = [
            ("a.txt", b"alpha\n"),
            ("sub dir/b c.txt", b"bravo"),
            ("sub dir/\u{e9}t\u{e9}.bin", &[0, 1, 2, 255]),
            ("empty", b""),
        ];
        let mut m = Manifest::default();
        for (name, body) in files {
            let path = p(name);
            let fs = path.to_fs_path(dir.path());
            std::fs::create_dir_all(fs.parent().unwrap()).unwrap();
            std::fs::write(&fs, body).unwrap();
            m.entries.push((path, Sha256::digest(body).into()));
        }
        std::fs::write(dir.path().join("manifest"), m.to_text()).unwrap();
        let run = || {
            std::process::Command::new("sha256sum")
                .args(["-c", "--strict", "--quiet", "manifest"])
                .current_dir(dir.path())
                .output()
                .unwrap()
        };
        let out = run();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stdout)
        );
        std::fs::write(dir.path().join("a.txt"), b"tampered\n").unwrap();
        assert!(
            !run().status.success(),
            "sha256sum must notice a changed file"
        );
    }
}
