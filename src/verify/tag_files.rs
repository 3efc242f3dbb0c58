//! Check 3, the tag files: `tagmanifest-sha256.txt` (RFC 8493 §2.2.1, the
//! message every signature signs) is canonical, lists exactly docseal's tag
//! files, and each of them has the SHA-256 it lists.

use std::collections::{BTreeMap, BTreeSet};

use sha2::{Digest, Sha256};

use crate::bagit::{self, Manifest};
use crate::bagpath::BagPath;
use crate::bundle::{OpenBundle, BAGIT_TXT, LISTED_TAG_FILES, MAX_TAG_FILE_BYTES, TAG_MANIFEST};
use crate::manifest::{self, MANIFEST_FILE, MAX_MANIFEST_BYTES};

use super::bag::Inventory;
use super::run::{read_code, Run};

/// The tag files' bytes, once read.
#[derive(Default)]
pub struct TagBytes {
    /// The tag manifest's bytes.
    pub tagmanifest: Option<Vec<u8>>,
    /// The listed tag files' bytes, by name.
    pub files: BTreeMap<&'static str, Vec<u8>>,
    /// Tag files whose bytes match the tag manifest.
    pub intact: BTreeSet<&'static str>,
}

/// Reads bagit.txt and the tag manifest, and checks every listed tag file.
pub fn read(run: &mut Run<'_>, b: &OpenBundle, inv: &Inventory) -> TagBytes {
    let mut out = TagBytes::default();
    for name in LISTED_TAG_FILES.iter().chain([&TAG_MANIFEST]) {
        let Some(f) = inv.tags.get(*name) else {
            run.error(
                "bag.missing-tag-file",
                Some((*name).to_owned()),
                "required tag file is missing",
            );
            continue;
        };
        let max = if *name == MANIFEST_FILE {
            MAX_MANIFEST_BYTES
        } else {
            MAX_TAG_FILE_BYTES
        };
        match b.read_small(f, max) {
            Ok(bytes) if *name == TAG_MANIFEST => out.tagmanifest = Some(bytes),
            Ok(bytes) => {
                out.files.insert(name, bytes);
            }
            Err(e) => run.error(
                read_code(&e, "tag.unreadable"),
                Some((*name).to_owned()),
                e.to_string(),
            ),
        }
    }
    if let Some(bytes) = out.files.get(BAGIT_TXT) {
        if let Err(e) = bagit::check_bagit_txt(bytes) {
            run.error("bag.bagit-txt", Some(BAGIT_TXT.into()), e.to_string());
        }
    }
    let Some(tm) = &out.tagmanifest else {
        run.skip(
            "tag-files",
            "tagmanifest-sha256.txt is missing or unreadable",
        );
        return out;
    };
    let listed = match Manifest::parse(tm) {
        Ok(m) => m,
        Err(e) => {
            run.error(
                "tag.manifest-unparseable",
                Some(TAG_MANIFEST.into()),
                e.to_string(),
            );
            return out;
        }
    };
    if tm.as_slice() != listed.to_text().as_bytes() {
        run.error(
            "tag.manifest-non-canonical",
            Some(TAG_MANIFEST.into()),
            "not in canonical form (sorted, lowercase hex, two spaces, LF)",
        );
    }
    out.intact = check_listed(run, &listed, &out.files);
    for (p, _) in &listed.entries {
        if !LISTED_TAG_FILES.contains(&p.as_str()) {
            run.error(
                "tag.unexpected-entry",
                Some(p.as_str().to_owned()),
                "tag manifest lists a file that is not a docseal tag file",
            );
        }
    }
    run.ran("tag-files");
    out
}

/// The tag files whose SHA-256 is the one the tag manifest lists.
fn check_listed(
    run: &mut Run<'_>,
    listed: &Manifest,
    files: &BTreeMap<&'static str, Vec<u8>>,
) -> BTreeSet<&'static str> {
    let mut intact = BTreeSet::new();
    for name in LISTED_TAG_FILES {
        let expected = BagPath::new(name)
            .ok()
            .and_then(|p| listed.get(&p).copied());
        match (expected, files.get(name)) {
            (None, _) => run.error(
                "tag.unlisted-file",
                Some(name.into()),
                "tag file is not listed in the tag manifest",
            ),
            (Some(_), None) => {}
            (Some(want), Some(bytes)) => {
                let got: [u8; 32] = Sha256::digest(bytes).into();
                if got == want {
                    intact.insert(name);
                } else {
                    run.error(
                        "tag.hash-mismatch",
                        Some(name.into()),
                        format!(
                            "SHA-256 is {}, tag manifest says {}",
                            manifest::hex(&got),
                            manifest::hex(&want)
                        ),
                    );
                }
            }
        }
    }
    intact
}

/// What the tag-file check covers, for the report.
pub const DETAIL: &str = "tag files match tagmanifest-sha256.txt";
