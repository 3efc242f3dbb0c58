//! Check 2, the bag: one BagIt 1.0 bag (RFC 8493 §2) under the bundle's
//! name, every file either payload (`data/`), one of docseal's tag files or
//! a signature file, with names that obey the bag-path rules and collide
//! with no other (equal up to case or Unicode normalisation).
//! `bagit.txt` and `bag-info.txt` are checked with the tag files and the
//! manifest, whose findings carry this area's `bag.` codes.

use std::collections::BTreeMap;

use crate::bagpath::{self, BagPath};
use crate::bundle::{BagFile, ContainerKind, OpenBundle, LISTED_TAG_FILES, TAG_MANIFEST};
use crate::manifest::BundleManifest;
use crate::minisign::KeyId;

use super::run::Run;

/// The bag's files sorted into their kinds.
#[derive(Default)]
pub struct Inventory {
    /// Files under `data/`.
    pub payload: Vec<BagFile>,
    /// docseal's tag files, by name.
    pub tags: BTreeMap<String, BagFile>,
    /// Files under `signatures/`.
    pub signatures: Vec<BagFile>,
    /// File-manager litter, until the manifest says whether it is payload ([`super::tolerated`]).
    pub system: Vec<(BagFile, crate::litter::Litter)>,
    /// Files another tool added outside docseal's layout ([`super::tolerated`]).
    pub added: Vec<BagFile>,
}

/// Sorts files into payload, tag files and signatures; checks names.
pub fn inventory(run: &mut Run<'_>, b: &OpenBundle) -> Inventory {
    let mut inv = Inventory::default();
    let mut paths = Vec::with_capacity(b.files.len());
    for f in &b.files {
        match BagPath::new(&f.rel) {
            Ok(p) => paths.push(p),
            Err(e) => run.error("bag.bad-name", Some(f.rel.clone()), e.to_string()),
        }
        if super::tolerated::set_apart(&mut inv, b, f) {
            continue;
        }
        if f.rel.starts_with("data/") {
            inv.payload.push(f.clone());
        } else if f.rel.starts_with("signatures/") {
            inv.signatures.push(f.clone());
        } else if f.rel == TAG_MANIFEST || LISTED_TAG_FILES.contains(&f.rel.as_str()) {
            inv.tags.insert(f.rel.clone(), f.clone());
        } else {
            run.error(
                "bag.unexpected-file",
                Some(f.rel.clone()),
                "file is not part of a docseal bag (neither payload, tag file nor signature)",
            );
        }
    }
    if let Some((a, c)) = bagpath::find_collision(paths.iter()) {
        run.error(
            "bag.name-collision",
            Some(c.as_str().to_owned()),
            format!("collides with {:?} (same name, or equal up to case or Unicode normalisation, or a file where a folder is)", a.as_str()),
        );
    }
    inv
}

/// In a zip, the bag's top-level folder is the name the signer gave it
/// (an unpacked folder may have been renamed by whoever unzipped it).
pub fn check_root(run: &mut Run<'_>, b: &OpenBundle, m: &BundleManifest) {
    if b.kind != ContainerKind::Folder && b.root != m.bundle.name {
        run.error(
            "bag.root-mismatch",
            Some(b.root.clone()),
            format!(
                "the top-level folder is not the bundle's name {:?}",
                m.bundle.name
            ),
        );
    }
}

/// `signatures/<KEYID>.minisig` → (id, true); `signatures/<KEYID>.pub` → (id, false).
pub fn signer_of(rel: &str) -> Option<(KeyId, bool)> {
    let name = rel.strip_prefix("signatures/")?;
    let (id, is_sig) = match name.strip_suffix(".minisig") {
        Some(id) => (id, true),
        None => (name.strip_suffix(".pub")?, false),
    };
    id.parse()
        .ok()
        .filter(|k: &KeyId| k.to_string() == id)
        .map(|k| (k, is_sig))
}

/// What the bag check covers, for the report.
pub const DETAIL: &str = "BagIt 1.0 layout, names, bagit.txt and bag-info.txt";
