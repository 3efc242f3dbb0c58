//! The bundle this project publishes (releases/) verifies with the project's
//! keys (keys/) from a clean checkout, and holds the archive's evidence
//! byte for byte. It also pins the format: a change that stopped today's
//! release from verifying would break every bundle already published.

use std::fs;
use std::path::PathBuf;

use crate::common::*;

fn repo(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(rel)
}

#[test]
fn the_published_release_verifies_with_the_project_keyring() {
    let bundle = repo("releases/belarus-occupation-statement-v1.zip");
    let keys = repo("keys");
    let r = docseal(&[
        "verify",
        &bundle.display().to_string(),
        "--keyring",
        &keys.display().to_string(),
        "--json",
    ]);
    let report = r.json();
    assert_eq!(r.code, 0, "{report:#}");
    assert_eq!(report["verdict"], "valid");
    assert_eq!(report["container"], "canonical-zip");
    assert_eq!(report["signatures"][0]["key_id"], "3EF73066ECBC6105");
    assert_eq!(report["signatures"][0]["status"], "valid-trusted");
    assert!(report["citations"]
        .as_array()
        .is_some_and(|c| c.len() == 2 && c.iter().all(|x| x["ok"] == true)));

    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("x");
    docseal(&[
        "extract",
        &bundle.display().to_string(),
        "--keyring",
        &keys.display().to_string(),
        "-q",
        "-o",
        &out.display().to_string(),
    ])
    .expect(0);
    // The evidence stays byte-identical; the records (SOURCES.md,
    // docseal.toml) may be corrected after a release, so they are not compared.
    for rel in [
        "statement/statement-en.txt",
        "sources/gc4-1949-en-full.txt",
        "sources/hague-iv-1907-fr-full.txt",
        "sources/by-ua-friendship-treaty-1995-be-levonevski-excerpt.txt",
    ] {
        assert_eq!(
            fs::read(out.join("data").join(rel)).unwrap(),
            fs::read(repo("archive").join(rel)).unwrap(),
            "{rel} differs from archive/"
        );
    }
}
