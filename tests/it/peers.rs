//! Interoperability with the real tools: stock minisign, Info-ZIP unzip,
//! coreutils sha256sum and bagit-python read what docseal writes, and
//! docseal uses keys stock minisign makes. Under CI a missing tool fails.

use std::fs;
use std::process::{Command, Stdio};

use crate::common::*;

/// Unzips the fixture's bundle; returns the bag root.
fn unpacked(f: &Fixture) -> Option<std::path::PathBuf> {
    f.pack("b.zip");
    let r = run_tool(
        "unzip",
        &["-q", &f.p("b.zip"), "-d", &f.p("u")],
        f.dir.path(),
    )?;
    assert_eq!(r.code, 0, "unzip: {}", r.stderr);
    Some(f.path("u/test-bundle"))
}

#[test]
fn unzip_test_accepts_the_bundle() {
    let f = Fixture::new();
    f.pack("b.zip");
    if let Some(r) = run_tool("unzip", &["-t", &f.p("b.zip")], f.dir.path()) {
        assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
        assert!(r.stdout.contains("No errors detected"), "{}", r.stdout);
    }
}

#[test]
fn stock_minisign_verifies_the_bundle_signature_with_the_docseal_key() {
    let f = Fixture::new();
    let Some(bag) = unpacked(&f) else { return };
    let sig = fs::read_dir(bag.join("signatures"))
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|x| x == "minisig"))
        .unwrap();
    let Some(r) = run_tool(
        "minisign",
        &[
            "-V",
            "-p",
            &f.p("alice.pub"),
            "-m",
            "tagmanifest-sha256.txt",
            "-x",
            &sig.display().to_string(),
        ],
        &bag,
    ) else {
        return;
    };
    assert_eq!(r.code, 0, "minisign -V: {}{}", r.stdout, r.stderr);
    assert!(
        r.stdout
            .contains("Signature and comment signature verified"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout
            .contains("Trusted comment: docseal bundle urn:uuid:"),
        "{}",
        r.stdout
    );
    // And it fails on a changed tag manifest.
    fs::write(bag.join("tagmanifest-sha256.txt"), "tampered\n").unwrap();
    let r = run_tool(
        "minisign",
        &[
            "-V",
            "-p",
            &f.p("alice.pub"),
            "-m",
            "tagmanifest-sha256.txt",
            "-x",
            &sig.display().to_string(),
        ],
        &bag,
    )
    .unwrap();
    assert_ne!(r.code, 0);
}

#[test]
fn sha256sum_accepts_both_manifests_and_catches_a_change() {
    let f = Fixture::new();
    let Some(bag) = unpacked(&f) else { return };
    for m in ["manifest-sha256.txt", "tagmanifest-sha256.txt"] {
        let r = run_tool("sha256sum", &["-c", "--strict", m], &bag).unwrap();
        assert_eq!(r.code, 0, "{m}: {}{}", r.stdout, r.stderr);
    }
    fs::write(bag.join("data/notes.md"), "changed").unwrap();
    let r = run_tool("sha256sum", &["-c", "manifest-sha256.txt"], &bag).unwrap();
    assert_ne!(r.code, 0);
}

#[test]
fn bagit_python_validates_the_unpacked_bundle() {
    let f = Fixture::new();
    let Some(bag) = unpacked(&f) else { return };
    if !require("python3") {
        return;
    }
    let ok = Command::new("python3")
        .args(["-c", "import bagit"])
        .status()
        .map(|s| s.success())
        .unwrap_or(false);
    if !ok {
        assert!(
            std::env::var_os("CI").is_none() && std::env::var_os("DOCSEAL_REQUIRE_PEERS").is_none(),
            "bagit-python is required"
        );
        eprintln!("SKIPPED: bagit-python is not installed");
        return;
    }
    let validate = |path: &std::path::Path| {
        let o = Command::new("python3")
            .args(["-m", "bagit", "--validate", &path.display().to_string()])
            .output()
            .unwrap();
        (
            o.status.success(),
            String::from_utf8_lossy(&o.stderr).into_owned(),
        )
    };
    let (ok, err) = validate(&bag);
    assert!(ok, "bagit-python --validate: {err}");
    assert!(err.contains("is valid"), "{err}");
    fs::write(bag.join("data/notes.md"), "changed").unwrap();
    let (ok, _) = validate(&bag);
    assert!(!ok, "bagit-python must reject a changed payload");
}

/// `minisign -G -W` keys sign bundles docseal verifies.
#[test]
fn a_key_made_by_stock_minisign_signs_a_bundle_docseal_verifies() {
    let f = Fixture::new();
    let Some(r) = run_tool(
        "minisign",
        &["-G", "-W", "-p", &f.p("m.pub"), "-s", &f.p("m.key")],
        f.dir.path(),
    ) else {
        return;
    };
    assert_eq!(r.code, 0, "{}", r.stderr);
    docseal(&[
        "pack",
        &f.p("in"),
        "-q",
        "-s",
        &f.p("m.key"),
        "-o",
        &f.p("m.zip"),
    ])
    .expect(0);
    let (code, _, report) = verify_json(&f.path("m.zip"), &f.path("m.pub"), &[]);
    assert_eq!(code, 0, "{report:#}");
}

/// A docseal secret key (encrypted) works in `minisign -S`, and the result in `minisign -V`.
#[test]
fn a_docseal_key_signs_a_file_stock_minisign_verifies() {
    let f = Fixture::new();
    if !require("minisign") {
        return;
    }
    docseal_env(
        &["keygen", "-q", "-s", &f.p("d.key"), "-p", &f.p("d.pub")],
        &[("DOCSEAL_PASSPHRASE", "pw")],
    )
    .expect(0);
    fs::write(f.path("msg.txt"), "a message\n").unwrap();
    let mut child = Command::new("minisign")
        .args([
            "-S",
            "-s",
            &f.p("d.key"),
            "-m",
            &f.p("msg.txt"),
            "-t",
            "signed by minisign",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child.stdin.take().unwrap().write_all(b"pw\n").unwrap();
    let o = child.wait_with_output().unwrap();
    assert!(
        o.status.success(),
        "minisign -S with a docseal key: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    let r = run_tool(
        "minisign",
        &["-V", "-p", &f.p("d.pub"), "-m", &f.p("msg.txt")],
        f.dir.path(),
    )
    .unwrap();
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    // docseal reads minisign's signature of it too.
    let sig = docseal::minisign::Signature::parse(
        &fs::read_to_string(f.path("msg.txt.minisig")).unwrap(),
    )
    .unwrap();
    let key = docseal::keys::read_public_key(&f.path("d.pub")).unwrap();
    docseal::minisign::verify(&key, &sig, b"a message\n").unwrap();
}
