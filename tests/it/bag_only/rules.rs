//! Every rule of `verify --bag-only` on bags built here, so the rules are
//! tested without the conformance suite.

use super::kit::{hex, Bag, Report};

#[test]
fn a_plain_bag_of_every_version_and_algorithm_is_valid() {
    for version in ["0.93", "0.94", "0.95", "0.96", "0.97", "1.0"] {
        for algs in [
            &["md5"][..],
            &["sha1"],
            &["sha256"],
            &["sha512"],
            &["md5", "sha1", "sha256", "sha512"],
        ] {
            let bag = Bag::new(
                version,
                algs,
                &[("data/a.txt", b"alpha\n"), ("data/x y/%7Eb", b"")],
            );
            let r = bag.check();
            r.valid(&[]);
            assert_eq!(r.json["version"], version);
            assert_eq!(r.json["payload_files"], 2);
            assert!(r.run.stdout.contains("\"verdict\": \"valid\""));
        }
    }
}

#[test]
fn the_text_report_shows_warnings_and_the_verdict() {
    let bag = Bag::basic();
    bag.write("data/.DS_Store", b"junk");
    let run = crate::common::docseal(&["verify", "--bag-only", &bag.root.display().to_string()])
        .expect(0);
    assert!(
        run.stdout
            .contains("warning[bagit.payload.system-file]: data/.DS_Store"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("signatures not checked"));
    assert!(
        run.stdout
            .ends_with("verdict: valid BagIt bag (1 warning)\n"),
        "{}",
        run.stdout
    );
    let q = crate::common::docseal(&[
        "verify",
        "--bag-only",
        "-q",
        &bag.root.display().to_string(),
    ])
    .expect(0);
    assert_eq!(q.stdout, "verdict: valid BagIt bag (1 warning)\n");
}

#[test]
fn every_payload_manifest_is_checked() {
    let bag = Bag::new(
        "1.0",
        &["md5", "sha1", "sha256", "sha512"],
        &[("data/a.txt", b"alpha\n")],
    );
    let wrong = format!("{}  data/a.txt\n", hex("sha1", b"other"));
    bag.write("manifest-sha1.txt", wrong.as_bytes());
    bag.rehash_tags();
    let r = bag.check();
    r.invalid(&["bagit.checksum.mismatch"]);
    assert!(r.json["findings"][0]["message"]
        .as_str()
        .unwrap()
        .contains("manifest-sha1.txt"));
    // A changed payload fails every manifest.
    let bag = Bag::new("1.0", &["md5", "sha512"], &[("data/a.txt", b"alpha\n")]);
    bag.write("data/a.txt", b"ALPHA\n");
    bag.check()
        .invalid(&["bagit.checksum.mismatch", "bagit.checksum.mismatch"]);
}

#[test]
fn every_tag_manifest_is_checked_including_tag_files_in_subfolders() {
    let bag = Bag::basic();
    bag.write("meta/provenance/notes.txt", b"made by hand\n");
    bag.rehash_tags();
    bag.check().valid(&[]);
    bag.write("meta/provenance/notes.txt", b"made by a machine\n");
    bag.check()
        .invalid(&["bagit.checksum.mismatch", "bagit.checksum.mismatch"]);
    std::fs::remove_file(bag.root.join("meta/provenance/notes.txt")).unwrap();
    bag.check().invalid(&["bagit.tag-file.missing"]);
}

#[test]
fn crlf_and_cr_line_endings() {
    for ending in ["\r\n", "\r"] {
        let bag = Bag::basic();
        bag.line_endings(ending);
        bag.check().valid(&[]);
        assert!(
            bag.bagit_python().unwrap_or(true),
            "bagit-python on {ending:?}"
        );
    }
}

#[test]
fn bag_info_labels_extra_repeated_folded_and_oddly_spaced() {
    let bag = Bag::basic();
    let info = "Source-Organization: Test\nContact-Name: A\nContact-Name: B\nExternal-Description: a long\n  folded\n\tvalue\nMy-Own-Label: x\nOdd-Label : y\nPayload-Oxum: 11.2\n";
    bag.write("bag-info.txt", info.as_bytes());
    bag.rehash_tags();
    bag.check().valid(&["bagit.info.label-whitespace"]);
    bag.write(
        "bag-info.txt",
        b"Payload-Oxum: 11.2\nthis line has no colon\n",
    );
    bag.rehash_tags();
    bag.check().invalid(&["bagit.info.malformed"]);
}

#[test]
fn payload_oxum_is_checked() {
    let bag = Bag::basic();
    bag.write("bag-info.txt", b"Payload-Oxum: 12.2\n");
    bag.rehash_tags();
    bag.check().invalid(&["bagit.info.oxum-mismatch"]);
    bag.write("bag-info.txt", b"Payload-Oxum: 11\n");
    bag.rehash_tags();
    bag.check().invalid(&["bagit.info.bad-oxum"]);
    assert_eq!(bag.bagit_python(), bag.bagit_python().map(|_| false));
}

#[test]
fn encodings_by_any_case_of_their_name() {
    let bag = Bag::basic();
    bag.write(
        "bagit.txt",
        b"BagIt-Version: 1.0\nTag-File-Character-Encoding: utf-8\n",
    );
    bag.rehash_tags();
    bag.check().valid(&[]);

    let bag = Bag::basic();
    bag.write(
        "bagit.txt",
        b"BagIt-Version: 0.97\nTag-File-Character-Encoding: iso-8859-1\n",
    );
    bag.write(
        "bag-info.txt",
        b"Contact-Name: Jos\xe9 N\xfa\xf1ez\nPayload-Oxum: 11.2\n",
    );
    bag.rehash_tags();
    bag.check().valid(&[]);
    assert!(bag.bagit_python().unwrap_or(true));

    let bag = Bag::basic();
    bag.write(
        "bagit.txt",
        b"BagIt-Version: 0.97\nTag-File-Character-Encoding: UTF-16\n",
    );
    let to_utf16 = |files: &[&str]| {
        for f in files {
            let text = String::from_utf8(bag.read(f)).unwrap();
            let mut utf16 = vec![0xFE, 0xFF];
            utf16.extend(text.encode_utf16().flat_map(u16::to_be_bytes));
            bag.write(f, &utf16);
        }
    };
    to_utf16(&["bag-info.txt", "manifest-sha256.txt", "manifest-sha512.txt"]);
    bag.rehash_tags();
    to_utf16(&["tagmanifest-sha256.txt", "tagmanifest-sha512.txt"]);
    bag.check().valid(&[]);
    assert!(bag.bagit_python().unwrap_or(true));

    bag.write(
        "bagit.txt",
        b"BagIt-Version: 0.97\nTag-File-Character-Encoding: KOI8-U\n",
    );
    bag.check().invalid(&["bagit.encoding.unsupported"]);
}

#[test]
fn the_bag_declaration_is_strict() {
    // The last field is bagit-python's verdict: it reads 'BagIt-Version : 1.0'
    // (the suite's v1.0/invalid/bagit-with-invalid-whitespace) and version "1"
    // as (1,); RFC 8493 §2.1.1 allows neither (docs/CONFORMANCE.md).
    for (text, code, python) in [
        (
            &b"\xEF\xBB\xBFBagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n"[..],
            "bagit.declaration.bom",
            false,
        ),
        (
            b"BagIt-Version : 1.0\nTag-File-Character-Encoding: UTF-8\n",
            "bagit.declaration.whitespace",
            true,
        ),
        (
            b"BagIt-Version: 1\nTag-File-Character-Encoding: UTF-8\n",
            "bagit.declaration.bad-version",
            true,
        ),
        (
            b"BagIt-Version: 0.92\nTag-File-Character-Encoding: UTF-8\n",
            "bagit.declaration.unsupported-version",
            false,
        ),
        (
            b"Tag-File-Character-Encoding: UTF-8\n",
            "bagit.declaration.no-version",
            false,
        ),
    ] {
        let bag = Bag::basic();
        bag.write("bagit.txt", text);
        bag.rehash_tags();
        bag.check().invalid(&[code]);
        assert_eq!(
            bag.bagit_python().unwrap_or(python),
            python,
            "bagit-python on {code}"
        );
    }
    let bag = Bag::basic();
    std::fs::remove_file(bag.root.join("bagit.txt")).unwrap();
    Report::of(&bag.root).invalid(&["bagit.declaration.missing"]);
}

#[test]
fn completeness_every_file_listed_and_present() {
    let bag = Bag::basic();
    bag.write("data/extra.txt", b"x");
    let r = bag.check();
    assert!(
        r.codes("error")
            .contains(&"bagit.payload.unlisted".to_owned()),
        "{}",
        r.json
    );

    let bag = Bag::basic();
    std::fs::remove_file(bag.root.join("data/a.txt")).unwrap();
    bag.write("bag-info.txt", b"Payload-Oxum: 5.1\n");
    bag.rehash_tags();
    bag.check().invalid(&["bagit.file.missing"]);

    // Listed in one payload manifest but not in the other (RFC 8493 §3).
    let bag = Bag::basic();
    let only_a = format!("{}  data/a.txt\n", hex("sha512", b"alpha\n"));
    bag.write("manifest-sha512.txt", only_a.as_bytes());
    bag.rehash_tags();
    bag.check().invalid(&["bagit.manifest.incomplete"]);

    let bag = Bag::basic();
    std::fs::remove_file(bag.root.join("manifest-sha256.txt")).unwrap();
    std::fs::remove_file(bag.root.join("manifest-sha512.txt")).unwrap();
    bag.rehash_tags();
    let r = bag.check();
    assert!(
        r.codes("error").contains(&"bagit.manifest.none".to_owned()),
        "{}",
        r.json
    );
}

#[test]
fn duplicates_conflicts_and_tolerated_manifest_forms() {
    let dup = |version: &str| {
        let bag = Bag::new(version, &["sha256"], &[("data/a.txt", b"alpha\n")]);
        let line = format!("{}  data/a.txt\n", hex("sha256", b"alpha\n"));
        bag.write("manifest-sha256.txt", format!("{line}{line}").as_bytes());
        bag.rehash_tags();
        bag
    };
    dup("0.97").check().valid(&["bagit.manifest.duplicate"]);
    dup("1.0").check().invalid(&["bagit.manifest.duplicate"]);

    let bag = Bag::new("0.97", &["sha256"], &[("data/a.txt", b"alpha\n")]);
    let two = format!(
        "{}  data/a.txt\n{}  data/a.txt\n",
        hex("sha256", b"alpha\n"),
        hex("sha256", b"x")
    );
    bag.write("manifest-sha256.txt", two.as_bytes());
    bag.rehash_tags();
    bag.check().invalid(&["bagit.manifest.conflict"]);

    let bag = Bag::new("0.97", &["md5"], &[("data/a.txt", b"alpha\n")]);
    let marked = format!("{} *./data/a.txt\n", hex("md5", b"alpha\n").to_uppercase());
    bag.write("manifest-md5.txt", marked.as_bytes());
    bag.rehash_tags();
    bag.check()
        .valid(&["bagit.manifest.binary-marker", "bagit.path.dot-segment"]);
    assert!(bag.bagit_python().unwrap_or(true));
}

#[test]
fn paths_leaving_the_bag_are_refused() {
    for path in [
        "../outside.txt",
        "/etc/hostname",
        "~/x",
        "~root/x",
        "data\\..\\..\\x",
        "C:x",
        "data/a/../../../x",
    ] {
        let bag = Bag::basic();
        let mut m = String::from_utf8(bag.read("manifest-sha256.txt")).unwrap();
        m.push_str(&format!("{}  {path}\n", hex("sha256", b"")));
        bag.write("manifest-sha256.txt", m.as_bytes());
        bag.rehash_tags();
        bag.check().invalid(&["bagit.path.unsafe"]);
    }
}

#[test]
fn names_other_tools_write_are_read() {
    // BagIt 1.0 percent-encodes CR, LF and '%'; older bags name '%' literally.
    let bag = Bag::new("1.0", &["sha256"], &[("data/100%", b"p")]);
    bag.write(
        "manifest-sha256.txt",
        format!("{}  data/100%25\n", hex("sha256", b"p")).as_bytes(),
    );
    bag.rehash_tags();
    bag.check().valid(&[]);
    // Characters docseal never writes but POSIX allows.
    let bag = Bag::new(
        "1.0",
        &["sha256"],
        &[("data/a:b?.txt", b"q"), ("data/CON.txt", b"r")],
    );
    bag.check().valid(&[]);
}

#[test]
fn file_manager_files_are_tolerated_and_reported() {
    let bag = Bag::basic();
    bag.write("data/.DS_Store", b"junk");
    bag.write("data/sub/Thumbs.db", b"junk");
    bag.check()
        .valid(&["bagit.payload.system-file", "bagit.payload.system-file"]);
    // A real file with a hidden name is not litter.
    bag.write("data/.hidden", b"x");
    let r = bag.check();
    assert_eq!(
        r.codes("error"),
        ["bagit.payload.unlisted", "bagit.info.oxum-mismatch"]
    );
}

#[test]
fn a_bag_other_than_this_is_not_a_bag() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("readme.txt"), "hi").unwrap();
    Report::of(dir.path()).invalid(&["bagit.declaration.missing"]);
    let missing = dir.path().join("nothing-here");
    crate::common::docseal(&["verify", "--bag-only", &missing.display().to_string()]).expect(5);
}

#[test]
fn names_that_collide_elsewhere_are_valid_with_a_warning() {
    let bag = Bag::new(
        "1.0",
        &["sha256"],
        &[("data/Read.me", b"1"), ("data/READ.ME", b"2")],
    );
    bag.check().valid(&["bagit.path.collision"]);
}

#[test]
fn sha3_and_unknown_algorithms() {
    let bag = Bag::new("1.0", &["sha3_256"], &[("data/a.txt", b"alpha\n")]);
    bag.check().valid(&[]);
    assert!(bag.bagit_python().unwrap_or(true));
    // A manifest of an algorithm docseal cannot compute is reported, not trusted.
    let bag = Bag::basic();
    bag.write("manifest-whirlpool.txt", b"00  data/a.txt\n");
    bag.rehash_tags();
    bag.check().valid(&["bagit.manifest.unknown-algorithm"]);
}

#[test]
fn bag_only_refuses_signature_options_rather_than_ignoring_them() {
    let bag = Bag::basic();
    let root = bag.root.display().to_string();
    for extra in [
        &["-p", "k.pub"][..],
        &["--keyring", "keys"],
        &["--threshold", "2"],
        &["--allow-repacked"],
    ] {
        let mut args = vec!["verify", "--bag-only", &root];
        args.extend_from_slice(extra);
        let run = crate::common::docseal(&args).expect(2);
        assert!(run.stderr.contains("cannot be used with"), "{}", run.stderr);
    }
}

#[test]
fn an_empty_payload_is_valid_with_a_warning() {
    let bag = Bag::new("1.0", &["sha256"], &[]);
    bag.check().valid(&["bagit.payload.empty"]);
    assert!(bag.bagit_python().unwrap_or(true));
}
