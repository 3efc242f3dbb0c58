//! Completeness and fixity (RFC 8493 §3): every listed file is present and
//! hashes to what every manifest listing it says, every payload file is
//! listed in every payload manifest, and `Payload-Oxum` counts the payload.
//!
//! A listed name finds its file exactly, or else (with a warning) by its
//! Unicode NFC form, as bagit-python does for names a file system
//! renormalised; or as a second spelling, differing only in case, of a
//! listed file that is present (the bag was made on a case-insensitive file
//! system: the content is still verified). A listed file-manager file
//! (`.DS_Store`, `Thumbs.db`, …) that is absent, or one present but
//! unlisted, is a warning: such files are deleted and created behind the
//! user's back and carry no content. A listed file that `fetch.txt`
//! promises and that is absent makes the bag incomplete. Anything else
//! absent, or unlisted in `data/`, is an error.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use unicode_normalization::UnicodeNormalization;

use super::digest::{self, Algorithm};
use super::fetch::FetchEntry;
use super::findings::{shown, At, Findings};
use super::info::{self, Tag};
use super::manifest::{Entries, Expected, Kind};
use super::paths::is_system_file;
use crate::bagpath::BagPath;
use crate::bundle::{BagFile, OpenBundle};
use crate::progress::Progress;

/// What the content check counted.
#[derive(Clone, Copy, Debug, Default)]
pub struct Counts {
    /// Payload files present (file-manager files left out when unlisted).
    pub payload_files: u64,
    /// Their bytes.
    pub payload_bytes: u64,
    /// Files hashed.
    pub files_hashed: u64,
    /// Files that `fetch.txt` promises and that are absent.
    pub not_fetched: u64,
}

/// What the tag files said, for the content check.
pub struct Listing<'a> {
    /// Every listed path with its expected checksums.
    pub entries: &'a Entries,
    /// The lines of `fetch.txt`.
    pub fetch: &'a [FetchEntry],
    /// The payload manifests that were read.
    pub payload_manifests: &'a [String],
    /// The bag-info file's elements.
    pub tags: &'a [Tag],
    /// The bag-info file's name.
    pub info_file: &'a str,
}

/// Checks every listed file against the bag's files.
pub fn check(
    bag: &OpenBundle,
    l: &Listing<'_>,
    progress: &dyn Progress,
    out: &mut Findings,
) -> Counts {
    let Listing {
        entries,
        fetch,
        payload_manifests,
        tags,
        info_file,
    } = *l;
    let mut counts = Counts::default();
    let present: HashMap<&str, &BagFile> = bag.files.iter().map(|f| (f.rel.as_str(), f)).collect();
    let nfc: HashMap<String, &BagFile> = bag
        .files
        .iter()
        .filter(|f| !f.rel.is_ascii())
        .map(|f| (f.rel.nfc().collect::<String>(), f))
        .collect();
    let fetched: BTreeSet<&str> = fetch.iter().map(|e| e.path.as_str()).collect();
    // Listed names present as written, by case-folding key.
    let by_key: HashMap<String, &str> = entries
        .keys()
        .filter(|p| present.contains_key(p.as_str()))
        .map(|p| (fold(p), p.as_str()))
        .collect();

    // File (by name) -> the listings that resolved to it.
    let mut resolved: BTreeMap<&str, Vec<(&str, &Expected)>> = BTreeMap::new();
    let mut missing_system = 0u64;
    for (path, expected) in entries {
        let file = if let Some(f) = present.get(path.as_str()) {
            Some(*f)
        } else if let Some(f) = nfc.get(&path.nfc().collect::<String>()) {
            out.warn(
                "bagit.path.normalization",
                At::file(path),
                format!("is listed in another Unicode normalisation form (NFC/NFD) than the file's name {}; matched to it", shown(&f.rel)),
            );
            Some(*f)
        } else if let Some(f) = by_key.get(&fold(path)).and_then(|p| present.get(p)) {
            out.warn(
                "bagit.path.case-duplicate",
                At::file(path),
                format!("is listed, but only {} exists; the two names differ only in case (one file on a case-insensitive file system); checked against it", shown(&f.rel)),
            );
            Some(*f)
        } else {
            None
        };
        match file {
            Some(f) => {
                let list = resolved.entry(f.rel.as_str()).or_default();
                list.extend(expected.iter().map(|e| (path.as_str(), e)));
            }
            None if is_system_file(path) => {
                missing_system += 1;
                out.warn(
                    "bagit.payload.system-file-missing",
                    At::file(path),
                    "is listed but absent; a file manager's own file, so its absence is tolerated",
                );
            }
            None if fetched.contains(path.as_str()) => {
                counts.not_fetched += 1;
                out.incomplete(
                    "bagit.fetch.not-fetched",
                    At::file(path),
                    "is listed in fetch.txt and not present: the bag is incomplete (docseal never fetches)",
                );
            }
            None => {
                let (code, what) = if expected.iter().any(|e| e.kind == Kind::Payload) {
                    ("bagit.file.missing", "payload file")
                } else {
                    ("bagit.tag-file.missing", "tag file")
                };
                let by: Vec<&str> = expected.iter().map(|e| e.manifest.as_str()).collect();
                out.error(
                    code,
                    At::file(path),
                    format!("{what} listed in {} is not in the bag", by.join(", ")),
                );
            }
        }
    }

    for f in bag.files.iter().filter(|f| f.rel.starts_with("data/")) {
        let listings = resolved.get(f.rel.as_str());
        match (listings, is_system_file(&f.rel)) {
            (None, true) => {
                out.warn(
                    "bagit.payload.system-file",
                    At::file(&f.rel),
                    "is a file manager's own file, not listed in any manifest: not part of the bag, ignored",
                );
                continue;
            }
            (None, false) => {
                out.error(
                    "bagit.payload.unlisted",
                    At::file(&f.rel),
                    "is in data/ but no manifest lists it",
                );
            }
            (Some(list), system) => {
                if system {
                    out.warn(
                        "bagit.payload.system-file-listed",
                        At::file(&f.rel),
                        "is a file manager's own file, yet part of the payload; checked",
                    );
                }
                for m in payload_manifests {
                    if !list.iter().any(|(_, e)| &e.manifest == m) {
                        out.error(
                            "bagit.manifest.incomplete",
                            At::file(&f.rel),
                            format!("is not listed in {m}; every payload manifest must list every payload file"),
                        );
                    }
                }
            }
        }
        counts.payload_files += 1;
        counts.payload_bytes += f.size;
    }

    if counts.payload_files == 0 && !entries.keys().any(|p| p.starts_with("data/")) {
        // A zip has no folder entries to tell an empty data/ from none at all.
        out.warn(
            "bagit.payload.empty",
            At::file("data/"),
            "the payload is empty (or there is no data/ folder)",
        );
    }
    warn_collisions(bag, out);
    let total: u64 = resolved
        .keys()
        .filter_map(|n| present.get(n))
        .map(|f| f.size)
        .sum();
    progress.start("checking", total, resolved.len() as u64);
    for (name, list) in &resolved {
        let Some(file) = present.get(name) else {
            continue;
        };
        hash_one(bag, file, list, progress, out);
        counts.files_hashed += 1;
    }
    progress.finish();

    check_oxum(tags, info_file, counts, missing_system, out);
    counts
}

/// A reader that reports each chunk to the progress sink.
struct Counted<'a, R> {
    inner: R,
    progress: &'a dyn Progress,
}

impl<R: std::io::Read> std::io::Read for Counted<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.progress.advance(n as u64);
        Ok(n)
    }
}

/// The key under which names may be one file on macOS or Windows.
fn fold(p: &str) -> String {
    match BagPath::new(p) {
        Ok(b) => b.collision_key(),
        Err(_) => p.nfc().collect::<String>().to_lowercase(),
    }
}

/// Distinct files whose names are one file on macOS or Windows: valid
/// here, but the bag cannot be unpacked there intact.
fn warn_collisions(bag: &OpenBundle, out: &mut Findings) {
    let mut by_key: BTreeMap<String, Vec<&str>> = BTreeMap::new();
    for f in &bag.files {
        by_key.entry(fold(&f.rel)).or_default().push(&f.rel);
    }
    for names in by_key.values().filter(|n| n.len() > 1) {
        let shown_names: Vec<String> = names.iter().map(|n| shown(n)).collect();
        out.warn(
            "bagit.path.collision",
            At::file(names.first().copied().unwrap_or_default()),
            format!(
                "{} differ only in case or Unicode normalisation: one file on macOS or Windows",
                shown_names.join(" and ")
            ),
        );
    }
}

fn hash_one(
    bag: &OpenBundle,
    file: &BagFile,
    list: &[(&str, &Expected)],
    progress: &dyn Progress,
    out: &mut Findings,
) {
    let mut algs: Vec<Algorithm> = list.iter().map(|(_, e)| e.alg).collect();
    algs.sort_unstable();
    algs.dedup();
    let result = bag.reader(file).and_then(|r| {
        let mut counted = Counted { inner: r, progress };
        digest::hash_all(&mut counted, &algs)
    });
    let got = match result {
        Ok((_, got)) => got,
        Err(e) => {
            out.error(
                "bagit.file.unreadable",
                At::file(&file.rel),
                format!("cannot be read: {e}"),
            );
            return;
        }
    };
    for (listed_as, e) in list {
        let Some(actual) = algs
            .iter()
            .position(|a| *a == e.alg)
            .and_then(|i| got.get(i))
        else {
            continue;
        };
        if *actual != e.hex {
            let alias = if *listed_as == file.rel {
                String::new()
            } else {
                format!(" (listed as {})", shown(listed_as))
            };
            out.error(
                "bagit.checksum.mismatch",
                At::file(&file.rel),
                format!(
                    "{} is {actual}, but {} line {} says {}{alias}",
                    e.alg.name(),
                    e.manifest,
                    e.line,
                    e.hex
                ),
            );
        }
    }
}

fn check_oxum(tags: &[Tag], file: &str, c: Counts, missing_system: u64, out: &mut Findings) {
    for t in tags.iter().filter(|t| t.label == "Payload-Oxum") {
        let at = || At::line(file, t.line);
        let Some((bytes, files)) = info::parse_oxum(&t.value) else {
            out.error(
                "bagit.info.bad-oxum",
                at(),
                format!("Payload-Oxum {:?} is not OCTETS.STREAMS", t.value),
            );
            continue;
        };
        if (bytes, files) == (c.payload_bytes, c.payload_files) {
            continue;
        }
        let found = format!("{} bytes in {} files", c.payload_bytes, c.payload_files);
        if c.not_fetched > 0 {
            out.warn(
                "bagit.info.oxum-not-checked",
                at(),
                format!("Payload-Oxum {} counts the complete payload; {found} are present while files remain to fetch", t.value),
            );
        } else if missing_system > 0
            && files == c.payload_files + missing_system
            && bytes >= c.payload_bytes
        {
            out.warn(
                "bagit.info.oxum-system-files",
                at(),
                format!("Payload-Oxum {} counts the {missing_system} absent file-manager file(s); the rest agree ({found})", t.value),
            );
        } else {
            out.error(
                "bagit.info.oxum-mismatch",
                at(),
                format!("Payload-Oxum says {bytes} bytes in {files} files, but the payload holds {found}"),
            );
        }
    }
}
