//! An unpacked folder touched by file managers: their own files are listed
//! as "not part of the signed bundle, ignored" and never extracted; names
//! that merely look like theirs stay findings; a canonical zip stays exact.

use std::fs;

use super::{found, signed_files, tree, unpack};
use crate::common::*;
use crate::hostile::kit::{self, all_codes};

/// AppleDouble data as macOS writes it beside a file on FAT or SMB.
const APPLEDOUBLE: &[u8] = b"\x00\x05\x16\x07\x00\x02\x00\x00Mac OS X        \x00\x00";

#[test]
fn a_folder_touched_by_file_managers_still_verifies_and_extracts_without_their_files() {
    let f = Fixture::new();
    let top = unpack(&f, "u");
    let bag = top.join("test-bundle");
    let litter = [
        (".DS_Store", &b"\0\0\0\x01Bud1"[..]),
        ("data/.DS_Store", b"\0\0\0\x01Bud1"),
        ("data/sources/Thumbs.db", b"\xd0\xcf\x11\xe0"),
        ("desktop.ini", b"[.ShellClassInfo]\r\n"),
        ("data/._statement.txt", APPLEDOUBLE),
        ("signatures/._x.minisig", APPLEDOUBLE),
        ("__MACOSX/data/._notes.md", APPLEDOUBLE),
    ];
    for (rel, data) in litter {
        let p = bag.join(rel);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(p, data).unwrap();
    }
    // Beside the bag folder, as unzipping a Finder zip leaves it.
    fs::create_dir_all(top.join("__MACOSX/test-bundle")).unwrap();
    fs::write(top.join("__MACOSX/test-bundle/._bagit.txt"), APPLEDOUBLE).unwrap();
    fs::write(top.join(".DS_Store"), b"\0\0\0\x01Bud1").unwrap();

    for (given, beside) in [(&top, 2), (&bag, 0)] {
        let (code, errors, j) = verify_json(given, &f.path("alice.pub"), &[]);
        assert_eq!((code, &errors), (0, &vec![]), "{j:#}");
        assert_eq!(j["container"], "folder");
        let ignored = found(&j, "bag.ignored-system-file");
        let mut names: Vec<&str> = ignored.iter().map(|(f, _)| f.as_str()).collect();
        names.sort_unstable();
        let mut want: Vec<&str> = litter.iter().map(|(r, _)| *r).collect();
        if beside > 0 {
            want.extend([".DS_Store", "__MACOSX/"]);
        }
        want.sort_unstable();
        assert_eq!(names, want, "{j:#}");
        assert!(ignored
            .iter()
            .all(|(_, m)| m.starts_with("not part of the signed bundle, ignored")));
        let text = docseal(&[
            "verify",
            &given.display().to_string(),
            "-p",
            &f.p("alice.pub"),
            "-v",
        ]);
        let text = text.expect(0).stdout;
        let listed = text
            .lines()
            .filter(|l| l.starts_with("note: [bag.ignored-system-file]"))
            .filter(|l| l.contains("not part of the signed bundle, ignored"))
            .count();
        assert_eq!(listed, want.len(), "{text}");
    }
    let out = f.path("x");
    f.extract(&top.display().to_string(), &out.display().to_string())
        .expect(0);
    assert_eq!(tree(&out), signed_files(&f));
}

#[test]
fn names_that_only_look_like_litter_stay_findings() {
    let f = Fixture::new();
    let bag = unpack(&f, "u").join("test-bundle");
    for (rel, data, code) in [
        ("data/x.DS_Store", &b"x"[..], "payload.unlisted-file"),
        ("data/ds_store", b"x", "payload.unlisted-file"),
        ("data/.ds_store", b"x", "payload.unlisted-file"),
        ("data/thumbs.db", b"x", "payload.unlisted-file"),
        ("data/Desktop.ini", b"x", "payload.unlisted-file"),
        // A `._` name without AppleDouble's magic is not AppleDouble.
        (
            "data/._notes.md",
            b"not appledouble",
            "payload.unlisted-file",
        ),
        ("data/__MACOSX", b"x", "payload.unlisted-file"),
    ] {
        let p = bag.join(rel);
        fs::write(&p, data).unwrap();
        let (code_, errors, j) = verify_json(&bag, &f.path("alice.pub"), &[]);
        assert_eq!(code_, 1, "{rel}: {j:#}");
        assert_eq!(errors, [code], "{rel}");
        assert!(
            found(&j, "bag.ignored-system-file").is_empty(),
            "{rel}: {j:#}"
        );
        fs::remove_file(p).unwrap();
    }
}

#[test]
fn a_listed_file_with_a_litter_name_is_payload_and_a_canonical_zip_stays_exact() {
    let f = Fixture::new();
    let key = f.path("alice.key");
    // Packed with --include-hidden, a .DS_Store is signed content: checked, kept, extracted.
    let mut e = kit::entries(&f);
    kit::add(&mut e, b"data/.DS_Store", b"\0\0\0\x01Bud1");
    let signed = kit::resign(&e, &key);
    let (code, errors, j) = kit::check(&f, "signed.zip", &signed, &[]);
    assert_eq!((code, &errors), (0, &vec![]), "{j:#}");
    let bag = f.path("u");
    fs::create_dir(&bag).unwrap();
    f.extract("signed.zip", &bag.join("b").display().to_string())
        .expect(0);
    assert!(bag.join("b/data/.DS_Store").is_file());
    let (code, errors, j) = verify_json(&bag.join("b"), &f.path("alice.pub"), &[]);
    assert_eq!((code, &errors), (0, &vec![]), "{j:#}");
    assert!(
        !all_codes(&j).iter().any(|c| c == "bag.ignored-system-file"),
        "{j:#}"
    );

    // Litter added to a canonical zip after signing: strict refuses, lenient ignores.
    let mut e = kit::entries(&f);
    e.push((kit::full(&e, ".DS_Store"), b"\0\0\0\x01Bud1".to_vec()));
    kit::canonical(&mut e);
    let (code, errors, _) = kit::check(&f, "littered.zip", &raw_zip(&e), &[]);
    assert_eq!(code, 1);
    assert!(
        errors.contains(&"bag.unexpected-file".to_owned()),
        "{errors:?}"
    );
    let (code, errors, j) = kit::check(&f, "littered.zip", &raw_zip(&e), &["--allow-repacked"]);
    assert_eq!((code, &errors), (0, &vec![]), "{j:#}");
    assert_eq!(found(&j, "bag.ignored-system-file").len(), 1, "{j:#}");
}
