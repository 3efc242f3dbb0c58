//! Check 5, the manifests: `docseal.json` parses (docs/FORMAT.md §5) and
//! agrees entry for entry with `manifest-sha256.txt` (RFC 8493 §2.1.3),
//! which is canonical; `bag-info.txt` is exactly what `docseal.json`
//! implies (its findings are the bag's).

use std::collections::BTreeMap;

use crate::bagit::{BagInfo, Manifest};
use crate::bundle::{BAG_INFO, PAYLOAD_MANIFEST};
use crate::manifest::{self, BundleManifest, MANIFEST_FILE};
use crate::time;

use super::run::Run;
use super::tag_files::TagBytes;

/// Parses docseal.json, manifest-sha256.txt and bag-info.txt and cross-checks them.
pub fn check(run: &mut Run<'_>, tags: &TagBytes) -> Option<BundleManifest> {
    let m = match tags
        .files
        .get(MANIFEST_FILE)
        .map(|b| BundleManifest::parse(b))
    {
        Some(Ok(m)) => m,
        Some(Err(e)) => {
            run.error("manifest.unparseable", Some(MANIFEST_FILE.into()), e);
            return None;
        }
        None => {
            run.skip("manifest", "docseal.json is missing or unreadable");
            return None;
        }
    };
    if let Some(bytes) = tags.files.get(PAYLOAD_MANIFEST) {
        match Manifest::parse(bytes) {
            Ok(pm) => cross_check(run, &m, &pm, bytes),
            Err(e) => run.error(
                "payload.manifest-unparseable",
                Some(PAYLOAD_MANIFEST.into()),
                e.to_string(),
            ),
        }
    }
    if let Some(bytes) = tags.files.get(BAG_INFO) {
        match BagInfo::parse(bytes) {
            Ok(info) => check_bag_info(run, &m, &info, bytes),
            Err(e) => run.error("bag.info-unparseable", Some(BAG_INFO.into()), e.to_string()),
        }
    }
    run.ran("manifest");
    Some(m)
}

fn cross_check(run: &mut Run<'_>, m: &BundleManifest, pm: &Manifest, bytes: &[u8]) {
    if bytes != pm.to_text().as_bytes() {
        run.error(
            "payload.manifest-non-canonical",
            Some(PAYLOAD_MANIFEST.into()),
            "not in canonical form (sorted, lowercase hex, two spaces, LF)",
        );
    }
    let json: BTreeMap<&str, &str> = m
        .files
        .iter()
        .map(|f| (f.path.as_str(), f.sha256.as_str()))
        .collect();
    if json.len() != m.files.len() {
        run.error(
            "manifest.duplicate-file",
            Some(MANIFEST_FILE.into()),
            "docseal.json lists a file twice",
        );
    }
    for (p, digest) in &pm.entries {
        if !p.as_str().starts_with("data/") {
            run.error(
                "payload.not-payload",
                Some(p.as_str().to_owned()),
                "payload manifest lists a file outside data/",
            );
        }
        let problem = match json.get(p.as_str()) {
            Some(h) if *h == manifest::hex(digest) => continue,
            Some(_) => "docseal.json and manifest-sha256.txt give different SHA-256",
            None => "listed in manifest-sha256.txt but not in docseal.json",
        };
        run.error("manifest.disagrees", Some(p.as_str().to_owned()), problem);
    }
    let listed = pm.to_map();
    for f in &m.files {
        if !listed.contains_key(&f.path) {
            run.error(
                "manifest.disagrees",
                Some(f.path.as_str().to_owned()),
                "listed in docseal.json but not in manifest-sha256.txt",
            );
        }
    }
}

fn check_bag_info(run: &mut Run<'_>, m: &BundleManifest, info: &BagInfo, bytes: &[u8]) {
    match crate::bundle::bag_info(m) {
        Ok(expected) if expected.as_bytes() == bytes => {}
        Ok(_) => {
            let b = &m.bundle;
            let which = [
                ("External-Identifier", b.identifier.clone()),
                ("Bagging-Date", time::date_part(&b.created).to_owned()),
                ("Docseal-Version", b.version.to_string()),
            ]
            .into_iter()
            .find(|(label, want)| info.get(label) != Some(want.as_str()))
            .map(|(label, _)| label)
            .unwrap_or("Payload-Oxum or another field");
            run.error(
                "bag.info-mismatch",
                Some(BAG_INFO.into()),
                format!("bag-info.txt disagrees with docseal.json ({which})"),
            );
        }
        Err(e) => run.error("bag.info-mismatch", Some(BAG_INFO.into()), e),
    }
}

/// What the manifest check covers, for the report.
pub const DETAIL: &str = "docseal.json agrees with manifest-sha256.txt";
