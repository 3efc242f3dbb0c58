//! Real tampering of real bundles: each mutation must be rejected with its
//! own finding code, and no single-byte change may ever verify.

use std::fs;

use crate::common::*;

/// A zip's (name, data) pairs.
type Entries = Vec<(Vec<u8>, Vec<u8>)>;

/// Writes `bytes` as `name` and verifies it; returns (exit code, error codes).
fn check(f: &Fixture, name: &str, bytes: &[u8]) -> (i32, Vec<String>) {
    fs::write(f.path(name), bytes).unwrap();
    let (code, errors, _) = verify_json(&f.path(name), &f.path("alice.pub"), &[]);
    (code, errors)
}

#[test]
fn a_changed_byte_in_each_file_is_caught_by_its_own_check() {
    let f = Fixture::new();
    let bundle = fs::read(f.pack("b.zip")).unwrap();
    let expected = [
        ("data/notes.md", "payload.hash-mismatch"),
        ("data/sources/gc4.txt", "payload.hash-mismatch"),
        ("data/sources/other.txt", "payload.hash-mismatch"),
        ("data/statement.txt", "payload.hash-mismatch"),
        ("bagit.txt", "tag.hash-mismatch"),
        ("bag-info.txt", "tag.hash-mismatch"),
        ("docseal.json", "tag.hash-mismatch"),
        ("manifest-sha256.txt", "tag.hash-mismatch"),
        // Re-hashed, the tag manifest parses but the signature breaks: then
        // the bag is intact but untrusted (see below); a flipped byte alone
        // breaks the tag manifest's own form.
        ("tagmanifest-sha256.txt", "tag.manifest-"),
    ];
    let entries = zip_entries(&bundle);
    for (suffix, code) in expected {
        let e = entries
            .iter()
            .find(|e| e.name.ends_with(&format!("/{suffix}")))
            .unwrap_or_else(|| panic!("{suffix} in bundle"));
        // A careful attacker: change a byte in the middle and fix the CRC.
        let mut b = bundle.clone();
        b[e.data + e.size / 2] ^= 0x20;
        fix_crc(&mut b, e);
        let (exit, errors) = check(&f, "t.zip", &b);
        assert_eq!(exit, 1, "{suffix}");
        assert!(
            errors.iter().any(|e| e.starts_with(code)),
            "{suffix}: expected {code}, got {errors:?}"
        );
        // A careless one: the CRC alone catches it.
        let mut b = bundle.clone();
        b[e.data + e.size / 2] ^= 0x20;
        let (exit, errors) = check(&f, "t.zip", &b);
        assert_eq!(exit, 1, "{suffix}");
        assert!(
            errors
                .iter()
                .any(|c| c == "zip.crc-mismatch" || c.starts_with(code)),
            "{suffix}: {errors:?}"
        );
    }
    let sig = entries
        .iter()
        .find(|e| e.name.ends_with(".minisig"))
        .unwrap();
    let mut b = bundle.clone();
    // The untrusted comment is not signed, but it is checked byte for byte.
    b[sig.data + 30] ^= 0x01;
    fix_crc(&mut b, sig);
    let (exit, errors) = check(&f, "t.zip", &b);
    assert_eq!(exit, 1);
    assert!(
        errors.contains(&"zip.non-canonical-signature-file".to_owned()),
        "{errors:?}"
    );
}

#[test]
fn added_removed_renamed_and_duplicate_entries_are_rejected() {
    let f = Fixture::new();
    let bundle = fs::read(f.pack("b.zip")).unwrap();
    let entries = zip_contents(&bundle);
    let root = "test-bundle/";
    let with = |edit: &dyn Fn(&mut Entries)| {
        let mut e = entries.clone();
        edit(&mut e);
        raw_zip(&e)
    };
    // Rebuilding without change gives the same bytes: the raw writer is faithful.
    assert_eq!(with(&|_| {}), bundle);
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        (
            "added payload",
            with(&|e| {
                e.insert(
                    0,
                    (
                        format!("{root}data/a-new.txt").into_bytes(),
                        b"new\n".to_vec(),
                    ),
                )
            }),
            "payload.unlisted-file",
        ),
        (
            "removed payload",
            with(&|e| {
                e.remove(0);
            }),
            "payload.missing-file",
        ),
        (
            "renamed payload",
            with(&|e| e[0].0 = format!("{root}data/zz-renamed.md").into_bytes()),
            "payload.missing-file",
        ),
        (
            "added tag file",
            with(&|e| {
                e.insert(
                    8,
                    (format!("{root}extra.txt").into_bytes(), b"x\n".to_vec()),
                )
            }),
            "bag.unexpected-file",
        ),
        (
            // The .pub left behind is out of place without its signature.
            "removed signature",
            with(&|e| e.retain(|(n, _)| !n.ends_with(b".minisig"))),
            "zip.non-canonical-order",
        ),
        (
            "duplicate name",
            with(&|e| {
                let d = e[0].clone();
                e.insert(1, d);
            }),
            "zip.duplicate-name",
        ),
        (
            "dot-dot path",
            with(&|e| e[0].0 = format!("{root}data/../../evil.txt").into_bytes()),
            "zip.bad-name",
        ),
        (
            "absolute path",
            with(&|e| e[0].0 = b"/etc/evil.txt".to_vec()),
            "zip.bad-name",
        ),
        (
            "backslash path",
            with(&|e| e[0].0 = format!("{root}data\\evil.txt").into_bytes()),
            "zip.bad-name",
        ),
        (
            "reordered entries",
            with(&|e| e.swap(0, 1)),
            "zip.non-canonical-order",
        ),
        (
            "second root",
            with(&|e| e[0].0 = b"other-root/data/notes.md".to_vec()),
            "bag.no-single-root",
        ),
        (
            "renamed root folder",
            with(&|e| {
                for (name, _) in e.iter_mut() {
                    *name = [b"renamed/".as_slice(), &name[root.len()..]].concat();
                }
            }),
            "bag.root-mismatch",
        ),
    ];
    for (what, bytes, code) in cases {
        let (exit, errors) = check(&f, "t.zip", &bytes);
        assert_eq!(exit, 1, "{what}");
        assert!(
            errors.contains(&code.to_owned()),
            "{what}: expected {code}, got {errors:?}"
        );
    }
}

#[test]
fn bytes_before_between_or_after_entries_are_rejected() {
    let f = Fixture::new();
    let bundle = fs::read(f.pack("b.zip")).unwrap();
    let mut prepended = b"MZ\x90\x00 a Janus prefix".to_vec();
    prepended.extend_from_slice(&bundle);
    let mut appended = bundle.clone();
    appended.extend_from_slice(b"trailing");
    for (what, bytes) in [("prepended", prepended), ("appended", appended)] {
        let (exit, errors) = check(&f, "t.zip", &bytes);
        assert_eq!(exit, 1, "{what}");
        assert_eq!(errors.len(), 1, "{what}: {errors:?}");
        assert!(errors[0].starts_with("zip."), "{what}: {errors:?}");
    }
}

#[test]
fn every_single_byte_change_of_a_bundle_fails_verification() {
    let f = Fixture::new();
    let bundle = fs::read(f.pack("b.zip")).unwrap();
    let key = docseal::keys::read_public_key(&f.path("alice.pub")).unwrap();
    let opts = docseal::verify::VerifyOptions {
        trusted: vec![docseal::verify::TrustedKey::from_file(key, "alice.pub")],
        ..Default::default()
    };
    let path = f.path("flip.zip");
    fs::write(&path, &bundle).unwrap();
    let ok = docseal::verify::verify(&path, &opts, &docseal::progress::Silent).unwrap();
    assert_eq!(ok.report.verdict, docseal::report::Verdict::Valid);
    let mut survivors = Vec::new();
    for i in 0..bundle.len() {
        let mut b = bundle.clone();
        b[i] ^= 0xff;
        fs::write(&path, &b).unwrap();
        let v = docseal::verify::verify(&path, &opts, &docseal::progress::Silent).unwrap();
        if v.report.verdict == docseal::report::Verdict::Valid {
            survivors.push(i);
        }
    }
    assert!(
        survivors.is_empty(),
        "{} of {} byte flips still verify, first at {:?}",
        survivors.len(),
        bundle.len(),
        survivors.first()
    );
}
