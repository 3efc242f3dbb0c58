//! `verify --bag-only`: checks any BagIt bag, zipped or unpacked, as
//! RFC 8493 and bagit-python 1.9 do, without looking for signatures.
//!
//! The check runs over an [`OpenBundle`] (so over a lenient zip or a folder
//! today, and over any other random-access source that can produce one)
//! and returns data: a [`BagReport`] of findings with stable `bagit.*`
//! codes, rendered by [`render`] as text or as JSON (format
//! `docseal-bagcheck`, version [`FORMAT_VERSION`]).
//!
//! One file per rule group: [`text`] (encodings, line endings),
//! [`declaration`] (`bagit.txt`), [`info`] (`bag-info.txt`), [`manifest`]
//! and [`paths`] (manifest lines and path safety), [`fetch`]
//! (`fetch.txt`), [`content`] (completeness, checksums, `Payload-Oxum`).
//! Which deviations are tolerated (warnings) and which are errors is
//! written in each module's header and listed in `docs/CONFORMANCE.md`.

#[cfg(feature = "cli")]
use std::path::Path;

use serde::Serialize;

use crate::bundle::{ContainerKind, OpenBundle, OpenError};
use crate::container::{Limits, Source};
use crate::progress::Progress;

pub mod content;
pub mod declaration;
pub mod digest;
pub mod fetch;
pub(crate) mod findings;
pub mod info;
pub mod manifest;
pub mod paths;
pub mod render;
pub mod text;

use findings::{At, Findings};
pub use findings::{Finding, Severity, Verdict};
use manifest::{Entries, Kind, ManifestFile};

/// The name of the JSON rendering's format.
pub const FORMAT: &str = "docseal-bagcheck";
/// The version of that format; a change that removes or renames a field raises it.
pub const FORMAT_VERSION: u32 = 1;
/// The largest tag file (manifests included) read into memory.
pub const MAX_TAG_FILE_BYTES: u64 = 256 << 20;

/// The result of checking one bag.
#[derive(Clone, Debug, Serialize)]
pub struct BagReport {
    /// The path the user gave.
    pub source: String,
    /// How the bag was read, when it could be opened.
    pub container: Option<ContainerKind>,
    /// The declared BagIt version.
    pub version: Option<String>,
    /// The declared tag-file encoding, as written.
    pub encoding: Option<String>,
    /// Algorithms of the payload manifests read.
    pub payload_manifests: Vec<&'static str>,
    /// Algorithms of the tag manifests read.
    pub tag_manifests: Vec<&'static str>,
    /// Payload files present (file-manager files left out when unlisted).
    pub payload_files: u64,
    /// Their bytes.
    pub payload_bytes: u64,
    /// Files whose checksums were computed.
    pub files_hashed: u64,
    /// Files `fetch.txt` promises that are absent.
    pub not_fetched: u64,
    /// Everything found, errors and warnings alike, in the order found.
    pub findings: Vec<Finding>,
    /// What they add up to.
    pub verdict: Verdict,
}

impl BagReport {
    fn new(source: &str) -> BagReport {
        BagReport {
            source: source.to_owned(),
            container: None,
            version: None,
            encoding: None,
            payload_manifests: Vec::new(),
            tag_manifests: Vec::new(),
            payload_files: 0,
            payload_bytes: 0,
            files_hashed: 0,
            not_fetched: 0,
            findings: Vec::new(),
            verdict: Verdict::Invalid,
        }
    }

    fn finish(mut self, f: Findings) -> BagReport {
        self.verdict = f.verdict();
        self.findings = f.0;
        self
    }
}

/// Opens `path` (a zip, or a folder holding a bag or a single bag folder)
/// and checks it. A bag that cannot be opened is an invalid report, not an error.
#[cfg(feature = "cli")]
pub fn check_path(path: &Path, limits: &Limits, progress: &dyn Progress) -> BagReport {
    let shown = path.display().to_string();
    match OpenBundle::open_any_bag(path, limits) {
        Ok(bag) => check(&bag, &shown, progress),
        Err(e) => not_a_bag(&shown, &e),
    }
}

/// Checks a zipped bag given as any random-access source (no file system
/// needed: the entry point for the wasm core); `name` is only shown.
pub fn check_zip(
    source: impl Source + 'static,
    name: &str,
    limits: &Limits,
    progress: &dyn Progress,
) -> BagReport {
    match OpenBundle::any_bag_from_source(source, limits) {
        Ok(bag) => check(&bag, name, progress),
        Err(e) => not_a_bag(name, &e),
    }
}

/// The report on something that could not be opened as a bag at all.
fn not_a_bag(source: &str, e: &OpenError) -> BagReport {
    let mut f = Findings::default();
    if e.code == "bag.not-a-bag" {
        f.error(
            "bagit.declaration.missing",
            At::file(declaration::BAGIT_TXT),
            "is missing (nor is there a single bag folder): this is not a bag",
        );
    } else {
        let at = e.path.as_deref().map_or_else(At::bag, At::file);
        f.error(
            "bagit.open",
            at,
            format!("cannot be read as a bag ({}): {}", e.code, e.message),
        );
    }
    BagReport::new(source).finish(f)
}

/// Checks an opened bag; `source` is only shown; hashing reports to `progress`.
pub fn check(bag: &OpenBundle, source: &str, progress: &dyn Progress) -> BagReport {
    let mut report = BagReport::new(source);
    report.container = Some(bag.kind);
    let mut f = Findings::default();
    run(bag, &mut report, progress, &mut f);
    report.finish(f)
}

fn run(bag: &OpenBundle, report: &mut BagReport, progress: &dyn Progress, f: &mut Findings) {
    let Some(bagit) = bag.find(declaration::BAGIT_TXT) else {
        f.error(
            "bagit.declaration.missing",
            At::file(declaration::BAGIT_TXT),
            "is missing: this is not a bag",
        );
        return;
    };
    let Some(bytes) = read(bag, bagit, f) else {
        return;
    };
    let Some(decl) = declaration::parse(&bytes, f) else {
        return;
    };
    report.version = Some(decl.version_text.clone());
    report.encoding = Some(decl.encoding_name.clone());

    let info_file = decl.info_file();
    let tags = match bag.find(info_file) {
        Some(file) => {
            read_text(bag, file, &decl, f).map_or_else(Vec::new, |t| info::parse(&t, info_file, f))
        }
        None => Vec::new(),
    };

    let mut manifests: Vec<ManifestFile> = Vec::new();
    let mut top: Vec<&str> = bag
        .files
        .iter()
        .map(|x| x.rel.as_str())
        .filter(|n| !n.contains('/'))
        .collect();
    top.sort_unstable();
    for name in top {
        match manifest::classify(name) {
            Ok(Some((kind, alg))) => manifests.push(ManifestFile {
                name: name.to_owned(),
                kind,
                alg,
            }),
            Ok(None) => {}
            Err(alg) => f.warn(
                "bagit.manifest.unknown-algorithm",
                At::file(name),
                format!("uses algorithm {alg:?}, which docseal cannot compute; not checked"),
            ),
        }
    }
    if !manifests.iter().any(|m| m.kind == Kind::Payload) {
        f.error(
            "bagit.manifest.none",
            At::bag(),
            "has no payload manifest that docseal can check",
        );
    }
    let mut entries = Entries::new();
    // The payload manifests that could be read: each must list every payload file.
    let mut payload: Vec<String> = Vec::new();
    for m in &manifests {
        match m.kind {
            Kind::Payload => report.payload_manifests.push(m.alg.name()),
            Kind::Tag => report.tag_manifests.push(m.alg.name()),
        }
        let Some(file) = bag.find(&m.name) else {
            continue;
        };
        if let Some(t) = read_text(bag, file, &decl, f) {
            manifest::parse(&t, m, decl.version, &mut entries, f);
            if m.kind == Kind::Payload {
                payload.push(m.name.clone());
            }
        }
    }

    let fetch = match bag.find(fetch::FETCH_TXT) {
        Some(file) => read_text(bag, file, &decl, f)
            .map_or_else(Vec::new, |t| fetch::parse(&t, decl.version, f)),
        None => Vec::new(),
    };
    for e in &fetch {
        let listed = entries.get(&e.path);
        for m in &payload {
            if !listed.is_some_and(|l| l.iter().any(|x| &x.manifest == m)) {
                f.error(
                    "bagit.fetch.unlisted",
                    At::line(fetch::FETCH_TXT, e.line),
                    format!("lists {}, which {m} does not; every fetched file must be in every payload manifest", findings::shown(&e.path)),
                );
            }
        }
    }

    let counts = content::check(
        bag,
        &content::Listing {
            entries: &entries,
            fetch: &fetch,
            payload_manifests: &payload,
            tags: &tags,
            info_file,
        },
        progress,
        f,
    );
    report.payload_files = counts.payload_files;
    report.payload_bytes = counts.payload_bytes;
    report.files_hashed = counts.files_hashed;
    report.not_fetched = counts.not_fetched;
}

fn read(bag: &OpenBundle, file: &crate::bundle::BagFile, f: &mut Findings) -> Option<Vec<u8>> {
    match bag.read_small(file, MAX_TAG_FILE_BYTES) {
        Ok(b) => Some(b),
        Err(e) => {
            f.error(
                "bagit.file.unreadable",
                At::file(&file.rel),
                format!("cannot be read: {e}"),
            );
            None
        }
    }
}

/// Reads and decodes a tag file in the bag's declared encoding.
fn read_text(
    bag: &OpenBundle,
    file: &crate::bundle::BagFile,
    decl: &declaration::Declaration,
    f: &mut Findings,
) -> Option<String> {
    let bytes = read(bag, file, f)?;
    match text::decode(&bytes, decl.encoding) {
        Ok(d) => {
            if d.had_bom && decl.encoding == text::Encoding::Utf8 {
                f.warn(
                    "bagit.encoding.bom",
                    At::file(&file.rel),
                    "starts with a UTF-8 byte-order mark, which RFC 8493 does not allow; read without it",
                );
            }
            Some(d.text)
        }
        Err(e) => {
            f.error(
                "bagit.encoding.invalid",
                At::line(&file.rel, e.line),
                format!(
                    "is not valid {}, the encoding bagit.txt declares",
                    decl.encoding_name
                ),
            );
            None
        }
    }
}

#[cfg(test)]
mod tests_hostile;
