//! Check 4, the payload: every file `docseal.json` lists is present under
//! `data/`, nothing else is, and each has the listed size and SHA-256
//! (RFC 8493 §3). Files are streamed through SHA-256 with a fixed buffer
//! (memory does not grow with file size); with the `cli` feature several
//! files are hashed at once, one per core.

use std::collections::{BTreeMap, BTreeSet};

use crate::bundle::{BagFile, OpenBundle};
use crate::manifest::{self, BundleManifest, FileRecord};
use crate::progress::Progress;
use crate::report::FileReport;

use super::bag::Inventory;
use super::run::{read_code, Run};

/// Streams every payload file through SHA-256 and compares with the manifests.
pub fn check(
    run: &mut Run<'_>,
    b: &OpenBundle,
    inv: &Inventory,
    m: Option<&BundleManifest>,
    progress: &dyn Progress,
) {
    let Some(m) = m else {
        run.skip(
            "payload",
            "docseal.json could not be read, so nothing says what the payload should be",
        );
        return;
    };
    let listed: BTreeMap<&str, &FileRecord> =
        m.files.iter().map(|f| (f.path.as_str(), f)).collect();
    let present: BTreeSet<&str> = inv.payload.iter().map(|f| f.rel.as_str()).collect();
    for f in &m.files {
        if !present.contains(f.path.as_str()) {
            run.error(
                "payload.missing-file",
                Some(f.path.as_str().to_owned()),
                "listed in the manifest but not in the bundle",
            );
        }
    }
    for f in inv
        .payload
        .iter()
        .filter(|f| !listed.contains_key(f.rel.as_str()))
    {
        run.error(
            "payload.unlisted-file",
            Some(f.rel.clone()),
            "file under data/ is not listed in the manifest",
        );
    }
    let todo: Vec<&BagFile> = inv
        .payload
        .iter()
        .filter(|f| listed.contains_key(f.rel.as_str()))
        .collect();
    let total: u64 = todo.iter().map(|f| f.size).sum();
    progress.start("verifying", total, todo.len() as u64);
    let results = hash_all(b, &todo, progress);
    progress.finish();
    let mut ok_paths = BTreeSet::new();
    for (f, r) in todo.iter().zip(results) {
        let Some(rec) = listed.get(f.rel.as_str()) else {
            continue;
        };
        match r {
            Ok((size, digest)) if size == rec.size && manifest::hex(&digest) == rec.sha256 => {
                ok_paths.insert(f.rel.clone());
            }
            Ok((size, _)) if size != rec.size => run.error(
                "payload.size-mismatch",
                Some(f.rel.clone()),
                format!("{size} bytes, the manifest says {}", rec.size),
            ),
            Ok((_, digest)) => run.error(
                "payload.hash-mismatch",
                Some(f.rel.clone()),
                format!(
                    "SHA-256 is {}, the manifest says {}",
                    manifest::hex(&digest),
                    rec.sha256
                ),
            ),
            Err((code, e)) => run.error(code, Some(f.rel.clone()), e),
        }
    }
    run.files = m
        .files
        .iter()
        .map(|f| FileReport {
            path: f.path.as_str().to_owned(),
            role: f.role.as_str().to_owned(),
            size: f.size,
            sha256: f.sha256.clone(),
            title: f.title.clone(),
            ok: ok_paths.contains(f.path.as_str()),
        })
        .collect();
    run.ran("payload");
}

/// Length and SHA-256 of an entry, or the finding code and message of a read failure.
pub type HashResult = Result<(u64, [u8; 32]), (&'static str, String)>;

#[cfg(feature = "cli")]
fn hash_all(b: &OpenBundle, todo: &[&BagFile], progress: &dyn Progress) -> Vec<HashResult> {
    use rayon::prelude::*;
    todo.par_iter()
        .map(|f| hash_entry(b, f, progress))
        .collect()
}

#[cfg(not(feature = "cli"))]
fn hash_all(b: &OpenBundle, todo: &[&BagFile], progress: &dyn Progress) -> Vec<HashResult> {
    todo.iter().map(|f| hash_entry(b, f, progress)).collect()
}

/// SHA-256 and length of one entry, read as a stream with a fixed buffer.
pub fn hash_entry(b: &OpenBundle, f: &BagFile, progress: &dyn Progress) -> HashResult {
    let mut reader = b.reader(f).map_err(read_error)?;
    crate::hashing::sha256_auto(&mut reader, f.size, progress).map_err(read_error)
}

/// A read error as a finding: the container's own code (e.g. `zip.crc-mismatch`) when it has one.
fn read_error(e: std::io::Error) -> (&'static str, String) {
    (read_code(&e, "payload.unreadable"), e.to_string())
}

/// What the payload check covers, for the report.
pub const DETAIL: &str = "every payload file listed, present, and its SHA-256 matches";
