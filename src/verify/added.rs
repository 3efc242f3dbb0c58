//! Tag files another BagIt tool added to a docseal bag after it was signed
//! (folder and `--allow-repacked` modes only, docs/FORMAT.md §6.2): a
//! payload manifest (`manifest-md5.txt`), a tag manifest
//! (`tagmanifest-sha512.txt`), or any other tag file (`extra-info.txt`).
//!
//! No signature covers them, so they never make a bundle valid; but they
//! must not lie either. Each added manifest is parsed as RFC 8493 §2.1.3
//! and bagit-python read it ([`crate::bagcheck::manifest`]), every file it
//! lists must be present with the checksum it gives, and an added payload
//! manifest must list every payload file (RFC 8493 §3); any failure is a
//! `tag.added-*` error. Each file is read once, whatever the number of
//! algorithms listing it. Every added file is then reported, as a
//! warning, with what could be checked of it.

use std::collections::{BTreeMap, BTreeSet};

use crate::bagcheck::digest::{self, Algorithm};
use crate::bagcheck::findings::{Findings, Severity as BagSeverity};
use crate::bagcheck::manifest::{self, Entries, Kind, ManifestFile};
use crate::bagcheck::text::{self, Encoding};
use crate::bundle::{BagFile, OpenBundle, MAX_TAG_FILE_BYTES};
use crate::report::{Finding, Severity};

use super::bag::Inventory;
use super::run::{read_code, Run};

/// The words every added file's finding carries.
pub const UNSIGNED: &str = "not covered by any signature";

/// Checks the added files of `inv` and reports each.
pub fn check(run: &mut Run<'_>, b: &OpenBundle, inv: &Inventory) {
    let mut manifests = Vec::new();
    let mut notes: BTreeMap<String, String> = BTreeMap::new();
    for f in &inv.added {
        let top = !f.rel.contains('/');
        match manifest::classify(&f.rel) {
            Ok(Some((kind, alg))) if top => manifests.push(ManifestFile {
                name: f.rel.clone(),
                kind,
                alg,
            }),
            Err(alg) if top => {
                notes.insert(
                    f.rel.clone(),
                    format!(
                        "a manifest of algorithm {alg:?}, which docseal cannot compute: unchecked"
                    ),
                );
            }
            _ => {}
        }
    }
    let mut entries = Entries::new();
    let parsed: Vec<bool> = manifests
        .iter()
        .map(|m| parse_one(run, b, m, &mut entries))
        .collect();
    let incomplete = check_payload_listed(run, inv, &manifests, &entries);
    let (verified, mut failed) = check_entries(run, b, &entries);
    failed.extend(incomplete.iter().map(String::as_str));
    for (m, ok) in manifests.iter().zip(parsed) {
        let note = if ok && !failed.contains(m.name.as_str()) {
            format!("every {} it lists is right", m.alg.name())
        } else {
            "it does not hold (see the errors)".to_owned()
        };
        notes.insert(m.name.clone(), note);
    }
    for f in &inv.added {
        let note = notes
            .get(&f.rel)
            .cloned()
            .unwrap_or_else(|| match verified.get(&f.rel) {
                Some(by) => format!("its checksum in {by} is right"),
                None => "listed in no added manifest: unchecked".to_owned(),
            });
        run.warn(
            "tag.added-file",
            Some(f.rel.clone()),
            format!("{UNSIGNED} (added after signing, e.g. by another BagIt tool; never extracted): {note}"),
        );
    }
}

/// Parses one added manifest into `entries`; false when it could not be
/// read or holds an error (reported).
fn parse_one(run: &mut Run<'_>, b: &OpenBundle, m: &ManifestFile, entries: &mut Entries) -> bool {
    let Some(file) = b.find(&m.name) else {
        return false;
    };
    let bytes = match b.read_small(file, MAX_TAG_FILE_BYTES) {
        Ok(bytes) => bytes,
        Err(e) => {
            run.error(
                read_code(&e, "tag.unreadable"),
                Some(m.name.clone()),
                e.to_string(),
            );
            return false;
        }
    };
    // A docseal bag's bagit.txt declares UTF-8 (it is checked and signed).
    let decoded = match text::decode(&bytes, Encoding::Utf8) {
        Ok(d) => d,
        Err(e) => {
            let mut f = Finding::new(
                Severity::Error,
                "tag.added-manifest-unparseable",
                Some(m.name.clone()),
                "is not UTF-8, the encoding bagit.txt declares",
            );
            f.position.line = Some(e.line as u64);
            run.findings.push(f);
            return false;
        }
    };
    let mut found = Findings::default();
    manifest::parse(&decoded.text, m, (1, 0), entries, &mut found);
    let mut ok = true;
    for x in found.0 {
        let (sev, code) = match x.severity {
            BagSeverity::Error => {
                ok = false;
                (Severity::Error, "tag.added-manifest-unparseable")
            }
            _ => (Severity::Warning, "tag.added-file"),
        };
        let mut f = Finding::new(sev, code, x.path, format!("{} ({})", x.message, x.code));
        f.position.line = x.line.map(|l| l as u64);
        run.findings.push(f);
    }
    ok
}

/// Each added payload manifest lists every payload file (RFC 8493 §3).
fn check_payload_listed(
    run: &mut Run<'_>,
    inv: &Inventory,
    manifests: &[ManifestFile],
    entries: &Entries,
) -> BTreeSet<String> {
    let mut incomplete = BTreeSet::new();
    for m in manifests.iter().filter(|m| m.kind == Kind::Payload) {
        for f in &inv.payload {
            let listed = entries
                .get(&f.rel)
                .is_some_and(|list| list.iter().any(|e| e.manifest == m.name));
            if !listed {
                incomplete.insert(m.name.clone());
                run.error(
                    "tag.added-manifest-incomplete",
                    Some(f.rel.clone()),
                    format!("payload file is not listed in the added {} (a payload manifest lists every payload file)", m.name),
                );
            }
        }
    }
    incomplete
}

/// Hashes every listed file once with the algorithms that list it; returns
/// the files whose every listed checksum matched (with the manifests
/// naming them), and the manifests that listed a wrong checksum or a
/// missing file.
fn check_entries<'e>(
    run: &mut Run<'_>,
    b: &OpenBundle,
    entries: &'e Entries,
) -> (BTreeMap<String, String>, BTreeSet<&'e str>) {
    let mut verified = BTreeMap::new();
    let mut failed = BTreeSet::new();
    // Looked up once per listed path: a manifest may list every file.
    let files: BTreeMap<&str, &BagFile> = b.files.iter().map(|f| (f.rel.as_str(), f)).collect();
    for (path, expected) in entries {
        let by: BTreeSet<&str> = expected.iter().map(|e| e.manifest.as_str()).collect();
        let by = by.into_iter().collect::<Vec<_>>().join(", ");
        let Some(file) = files.get(path.as_str()).copied() else {
            failed.extend(expected.iter().map(|e| e.manifest.as_str()));
            run.error(
                "tag.added-missing-file",
                Some(path.clone()),
                format!("listed in the added {by} but not in the bag"),
            );
            continue;
        };
        let mut algs: Vec<Algorithm> = expected.iter().map(|e| e.alg).collect();
        algs.sort_unstable();
        algs.dedup();
        let hashed = b
            .reader(file)
            .and_then(|mut r| digest::hash_all(&mut r, &algs));
        let (_, hex) = match hashed {
            Ok(h) => h,
            Err(e) => {
                failed.extend(expected.iter().map(|e| e.manifest.as_str()));
                run.error(
                    read_code(&e, "tag.unreadable"),
                    Some(path.clone()),
                    e.to_string(),
                );
                continue;
            }
        };
        let mut all_right = true;
        for e in expected {
            let got = algs
                .iter()
                .position(|a| *a == e.alg)
                .and_then(|i| hex.get(i))
                .map_or("", String::as_str);
            if got != e.hex {
                all_right = false;
                failed.insert(e.manifest.as_str());
                run.error(
                    "tag.added-hash-mismatch",
                    Some(path.clone()),
                    format!(
                        "{} is {got}, the added {} says {} (line {})",
                        e.alg.name(),
                        e.manifest,
                        e.hex,
                        e.line
                    ),
                );
            }
        }
        if all_right {
            verified.insert(path.clone(), by);
        }
    }
    (verified, failed)
}
