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

#[test]
fn verify_writes_a_self_contained_html_report_and_never_overwrites_it() {
    let bundle = repo("releases/belarus-occupation-statement-v1.zip")
        .display()
        .to_string();
    let keys = repo("keys").display().to_string();
    let dir = tempfile::tempdir().unwrap();
    let html = dir.path().join("report.html");
    let out = html.display().to_string();
    let args = ["verify", &bundle, "--keyring", &keys, "-q", "--html", &out];
    docseal(&args).expect(0);
    let page = fs::read_to_string(&html).unwrap();
    assert!(page.starts_with("<!DOCTYPE html>"));
    assert!(page.contains("data-verdict=\"valid\""));
    assert!(page.contains("Content-Security-Policy"));
    assert!(page.contains("data/sources/SOURCES.md"));
    for external in ["src=", "href=", "url(", "<script", "@import"] {
        assert!(!page.contains(external), "{external} in the HTML report");
    }
    // A second run refuses to replace it, before verifying, and leaves it whole.
    fs::write(&html, "mine").unwrap();
    let r = docseal(&args);
    assert_ne!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.contains("--force"), "{}", r.stderr);
    assert_eq!(fs::read_to_string(&html).unwrap(), "mine");
    let mut forced = args.to_vec();
    forced.push("--force");
    docseal(&forced).expect(0);
    assert!(fs::read_to_string(&html)
        .unwrap()
        .contains("data-verdict=\"valid\""));
    assert_eq!(
        fs::read_dir(dir.path()).unwrap().count(),
        1,
        "no temporary file left"
    );
}

#[test]
fn release_v2_supersedes_v1_with_a_correct_date_and_an_honest_change_of_signer() {
    let (v1, v2) = (
        repo("releases/belarus-occupation-statement-v1.zip"),
        repo("releases/belarus-occupation-statement-v2.zip"),
    );
    let keys = repo("keys").display().to_string();
    let (v1, v2) = (v1.display().to_string(), v2.display().to_string());
    let r = docseal(&["verify", &v2, "--keyring", &keys, "--json"]);
    let j = r.json();
    assert_eq!(r.code, 0, "{j:#}");
    assert_eq!(j["verdict"], "valid");
    assert_eq!(j["signatures"][0]["key_id"], "637986C38DED81F1");
    assert_eq!(j["identity"]["version"], 2);
    let created = j["identity"]["created"].as_str().unwrap();
    assert!(
        created >= "2026-11-28",
        "created {created}, before the sources' retrieval"
    );
    // Every citation stands; the coverage is the archive's.
    assert!(
        j["citations"]
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c["ok"] == true),
        "{j:#}"
    );
    // v2 supersedes v1 and the reader sees who signed each.
    let h = docseal(&["history", "--keyring", &keys, &v1, &v2, "--json"])
        .expect(0)
        .json();
    assert_eq!(h["ok"], true, "{h:#}");
    assert_eq!(h["versions"][0]["signers"][0]["key_id"], "3EF73066ECBC6105");
    assert_eq!(h["versions"][1]["signers"][0]["key_id"], "637986C38DED81F1");
    assert_eq!(h["versions"][1]["signer_changed"], true);
    let codes: Vec<&str> = h["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["history.signer-changed"]);
    // Rollback protection: v1 is older than v2.
    docseal(&["verify", &v1, "--keyring", &keys, "--not-older-than", &v2]).expect(1);
    // v2 holds the current archive byte for byte, records included.
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("x");
    docseal(&[
        "extract",
        &v2,
        "--keyring",
        &keys,
        "-q",
        "-o",
        &out.display().to_string(),
    ])
    .expect(0);
    for rel in [
        "statement/statement-en.txt",
        "sources/gc4-1949-en-full.txt",
        "sources/SOURCES.md",
    ] {
        assert_eq!(
            fs::read(out.join("data").join(rel)).unwrap(),
            fs::read(repo("archive").join(rel)).unwrap(),
            "{rel} differs from archive/"
        );
    }
}

/// The text report of the published v2, exactly: what the README shows.
/// `DOCSEAL_UPDATE_SNAPSHOTS=1` rewrites the snapshot after a deliberate change.
#[test]
fn the_text_report_of_release_v2_is_exactly_the_snapshot() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_docseal"))
        .args([
            "verify",
            "releases/belarus-occupation-statement-v2.zip",
            "--keyring",
            "keys/",
        ])
        .current_dir(repo(""))
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    let snap = repo("tests/it/snapshots/verify-release-v2.txt");
    if std::env::var_os("DOCSEAL_UPDATE_SNAPSHOTS").is_some() {
        fs::write(&snap, &text).unwrap();
    }
    assert_eq!(
        text,
        fs::read_to_string(&snap).unwrap(),
        "DOCSEAL_UPDATE_SNAPSHOTS=1 updates {}",
        snap.display()
    );
    let readme = fs::read_to_string(repo("README.md")).unwrap();
    assert!(readme.contains(&text), "README's report is not today's");
}

/// The archivist's notes published beside v2: about v2 exactly, valid with
/// the project keys, carrying the notes file of the repository byte for byte.
#[test]
fn the_published_notes_are_about_release_v2_and_verify_beside_it() {
    let keys = repo("keys").display().to_string();
    let notes = repo("releases/belarus-occupation-statement-v2.notes.zip");
    let v2 = repo("releases/belarus-occupation-statement-v2.zip")
        .display()
        .to_string();
    let v1 = repo("releases/belarus-occupation-statement-v1.zip")
        .display()
        .to_string();
    let n = notes.display().to_string();
    let j = docseal(&["verify", &n, "--base", &v2, "--keyring", &keys, "--json"])
        .expect(0)
        .json();
    assert_eq!(j["verdict"], "valid");
    let a = &j["archivist"];
    let ids: Vec<&str> = a["citations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids.len(), 10, "{ids:?}");
    assert!(
        ids.contains(&"friendship-treaty-signed-17-july")
            && ids.contains(&"art43-not-about-sovereignty")
    );
    assert!(a["citations"]
        .as_array()
        .unwrap()
        .iter()
        .all(|c| c["ok"] == true));
    assert_ne!(
        a["identity"]["identifier"],
        j["author"]["identity"]["identifier"]
    );
    docseal(&["verify", &v2, "--with", &n, "--keyring", &keys, "-q"]).expect(0);
    docseal(&["verify", &n, "--base", &v1, "--keyring", &keys, "-q"]).expect(1);
    let carried = zip_contents(&std::fs::read(&notes).unwrap())
        .into_iter()
        .find(|(name, _)| name.ends_with(b"/data/notes.toml"))
        .unwrap()
        .1;
    let toml = std::fs::read(repo("releases/belarus-occupation-statement-v2.notes.toml")).unwrap();
    assert_eq!(
        carried, toml,
        "the notes file in the repository is the one published"
    );
}
