//! Hostile names: control characters, overlong and deeply nested names,
//! names that collide after Unicode normalisation or case folding, and
//! percent-encoded manifest paths. Each bundle is re-signed by the trusted
//! key with every hash recomputed, so only the name check can stop it.

use std::fs;

use super::kit::*;
use crate::common::*;

#[test]
fn control_characters_in_entry_names_are_refused() {
    let f = Fixture::new();
    let e = entries(&f);
    for (what, name) in [
        ("NUL", &b"data/no\0tes.md"[..]),
        ("CR", b"data/no\rtes.md"),
        ("LF", b"data/no\ntes.md"),
        ("LF faking a manifest line", b"data/x\n0000  data/y"),
    ] {
        let mut e = e.clone();
        add(&mut e, name, b"hidden\n");
        let (code, errors, report) = check(&f, "t.zip", &resign(&e, &f.path("alice.key")), &[]);
        assert_eq!(code, 1, "{what}: {report:#}");
        assert_eq!(errors, ["zip.bad-name"], "{what}");
        assert_eq!(docseal(&["list", &f.p("t.zip")]).code, 1, "{what}: list");
        assert_extracts_nothing(&f, "t.zip");
    }
}

#[test]
fn overlong_names_are_refused() {
    let f = Fixture::new();
    let e = entries(&f);
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        (
            "name over 1024 bytes",
            format!("data/{}.txt", "n".repeat(1100)).into_bytes(),
            "zip.name-too-long",
        ),
        (
            "segment over 255 bytes",
            format!("data/{}.txt", "s".repeat(300)).into_bytes(),
            "bag.bad-name",
        ),
    ];
    for (what, name, want) in cases {
        let mut e = e.clone();
        add(&mut e, &name, b"x\n");
        let (code, errors, _) = check(&f, "t.zip", &resign(&e, &f.path("alice.key")), &[]);
        assert_eq!(code, 1, "{what}");
        assert!(errors.contains(&want.to_owned()), "{what}: {errors:?}");
        assert_extracts_nothing(&f, "t.zip");
    }
}

#[test]
fn very_deep_nesting_is_refused_and_the_limit_is_exact() {
    let f = Fixture::new();
    let e = entries(&f);
    let deep = |segments: usize| {
        let mut name = "data/".to_owned();
        name.push_str(&"d/".repeat(segments - 2));
        name.push_str("x.txt");
        name.into_bytes()
    };
    for segments in [33, 400] {
        let mut e = e.clone();
        add(&mut e, &deep(segments), b"deep\n");
        let (code, errors, _) = check(&f, "t.zip", &resign(&e, &f.path("alice.key")), &[]);
        assert_eq!(code, 1, "{segments} segments");
        assert!(errors.contains(&"bag.bad-name".into()), "{errors:?}");
        assert_extracts_nothing(&f, "t.zip");
    }
    // 32 segments is allowed: the limit is where docs/FORMAT.md §2 puts it.
    let mut e = e.clone();
    add(&mut e, &deep(32), b"deep\n");
    let (code, errors, report) = check(&f, "t.zip", &resign(&e, &f.path("alice.key")), &[]);
    assert_eq!((code, errors.len()), (0, 0), "{report:#}");
}

#[test]
fn names_that_collide_after_normalisation_or_case_folding_are_refused() {
    let f = Fixture::new();
    let e = entries(&f);
    let cases: [(&str, &str, &str); 10] = [
        ("NFC and NFD", "data/caf\u{e9}.txt", "data/cafe\u{301}.txt"),
        ("case", "data/Notes.txt", "data/notes.txt"),
        ("Unicode case", "data/\u{3a3}.txt", "data/\u{3c3}.txt"),
        ("file and folder", "data/a", "data/A/b.txt"),
        // Full case folding (APFS, ext4 casefold), NTFS's upcase, HFS+.
        ("sharp s", "data/stra\u{df}e.txt", "data/STRASSE.txt"),
        ("micro sign", "data/\u{b5}.txt", "data/\u{3bc}.txt"),
        ("Kelvin sign", "data/\u{212a}.txt", "data/k.txt"),
        ("long s", "data/\u{17f}.txt", "data/S.txt"),
        ("dotless i", "data/\u{131}.txt", "data/I.txt"),
        ("ignorable", "data/a\u{200d}b.txt", "data/ab.txt"),
    ];
    for (what, a, b) in cases {
        let mut e = e.clone();
        add(&mut e, a.as_bytes(), b"first\n");
        add(&mut e, b.as_bytes(), b"second\n");
        let (code, errors, report) = check(&f, "t.zip", &resign(&e, &f.path("alice.key")), &[]);
        assert_eq!(code, 1, "{what}: {report:#}");
        assert_eq!(errors, ["bag.name-collision"], "{what}");
        assert_eq!(sig_statuses(&report), ["valid-trusted"], "{what}");
        assert_extracts_nothing(&f, "t.zip");
    }
}

#[test]
fn pack_refuses_names_that_one_file_system_folds_together() {
    for (a, b) in [
        ("stra\u{df}e.txt", "STRASSE.txt"),
        ("\u{b5}.txt", "\u{3bc}.txt"),
        ("\u{212a}.txt", "k.txt"),
        (
            "\u{3bf}\u{3b4}\u{3bf}\u{3c2}",
            "\u{39f}\u{394}\u{39f}\u{3a3}",
        ),
    ] {
        let f = Fixture::new();
        std::fs::write(f.path("in").join(a), "one\n").unwrap();
        std::fs::write(f.path("in").join(b), "two\n").unwrap();
        let r = docseal(&[
            "pack",
            &f.p("in"),
            "-q",
            "-s",
            &f.p("alice.key"),
            "-o",
            &f.p("c.zip"),
        ]);
        assert_ne!(r.code, 0, "{a} / {b}: packed");
        assert!(
            r.stderr.contains("collides with"),
            "{a} / {b}: {}",
            r.stderr
        );
        assert!(!f.path("c.zip").exists(), "{a} / {b}");
    }
}

#[test]
fn windows_hostile_names_are_refused_everywhere() {
    let f = Fixture::new();
    let e = entries(&f);
    let cases = [
        ("data/CON.txt", "bag.bad-name"),
        ("data/nul.tar.gz", "bag.bad-name"),
        ("data/ab:c.txt", "bag.bad-name"),
        ("data/trailing.", "bag.bad-name"),
        ("data/q?.txt", "bag.bad-name"),
        ("data/C:evil.txt", "zip.bad-name"),
    ];
    for (name, want) in cases {
        let mut e = e.clone();
        add(&mut e, name.as_bytes(), b"x\n");
        let (code, errors, _) = check(&f, "t.zip", &resign(&e, &f.path("alice.key")), &[]);
        assert_eq!(code, 1, "{name}");
        assert_eq!(
            errors.first().map(String::as_str),
            Some(want),
            "{name}: {errors:?}"
        );
    }
}

/// The bundle with `line` added to manifest-sha256.txt (and, when given, a
/// payload entry), re-sealed by the trusted key.
fn with_manifest_line(f: &Fixture, entry: Option<(&str, &[u8])>, line: &str) -> Vec<u8> {
    let mut e = entries(f);
    if let Some((name, data)) = entry {
        add(&mut e, name.as_bytes(), data);
    }
    let mut e = resign_entries(&e, &f.path("alice.key"));
    let mut text = String::from_utf8(get(&e, "manifest-sha256.txt").to_vec()).expect("utf-8");
    text.push_str(line);
    set(&mut e, "manifest-sha256.txt", text);
    reseal(&e, &f.path("alice.key"))
}

#[test]
fn percent_escapes_in_manifests_never_escape_the_bag() {
    let f = Fixture::new();
    let h = sha(b"evil\n");
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        (
            "%2F is not a separator",
            with_manifest_line(&f, None, &format!("{h}  data/..%2F..%2Fevil.txt\n")),
            "payload.manifest-unparseable",
        ),
        (
            "%2e%2e is not a dot segment",
            with_manifest_line(&f, None, &format!("{h}  data/%2e%2e/evil.txt\n")),
            "payload.manifest-unparseable",
        ),
        (
            "%0A decodes to a name with a line feed",
            with_manifest_line(&f, None, &format!("{h}  data/x%0A{h}  data/evil.txt\n")),
            "payload.manifest-unparseable",
        ),
        (
            "%0D decodes to a name with a carriage return",
            with_manifest_line(&f, None, &format!("{h}  data/x%0D.txt\n")),
            "payload.manifest-unparseable",
        ),
        (
            "a lone % is not a literal",
            with_manifest_line(&f, None, &format!("{h}  data/100%.txt\n")),
            "payload.manifest-unparseable",
        ),
    ];
    for (what, bytes, want) in cases {
        let (code, errors, report) = check(&f, "t.zip", &bytes, &[]);
        assert_eq!(code, 1, "{what}: {report:#}");
        assert_eq!(errors, [want], "{what}");
        assert_extracts_nothing(&f, "t.zip");
    }
}

#[test]
fn percent_escapes_are_decoded_exactly_once() {
    let f = Fixture::new();
    let key = f.path("alice.key");
    // Correctly encoded names verify: '%' is written %25, a literal "%25" is %2525.
    for name in ["data/100%.txt", "data/100%25.txt"] {
        let mut e = entries(&f);
        add(&mut e, name.as_bytes(), b"percent\n");
        let e = resign_entries(&e, &key);
        let manifest = String::from_utf8_lossy(get(&e, "manifest-sha256.txt")).into_owned();
        let encoded = name.replace('%', "%25");
        assert!(manifest.contains(&format!("  {encoded}\n")), "{manifest}");
        let (code, errors, report) = check(&f, "ok.zip", &raw_zip(&e), &[]);
        assert_eq!((code, errors.len()), (0, 0), "{name}: {report:#}");
    }
    let out = f.path("out");
    f.extract("ok.zip", &f.p("out")).expect(0);
    assert_eq!(fs::read(out.join("data/100%25.txt")).unwrap(), b"percent\n");
    assert!(!out.join("data/100%.txt").exists(), "decoded twice");
    // A manifest written by a naive encoder names another file than the zip holds.
    let mut e = entries(&f);
    add(&mut e, b"data/100%25.txt", b"percent\n");
    let mut e = resign_entries(&e, &key);
    let naive = String::from_utf8_lossy(get(&e, "manifest-sha256.txt")).replace("%2525", "%25");
    set(&mut e, "manifest-sha256.txt", naive);
    let (code, errors, _) = check(&f, "t.zip", &reseal(&e, &key), &[]);
    assert_eq!(code, 1);
    assert!(errors.contains(&"manifest.disagrees".into()), "{errors:?}");
    assert_extracts_nothing(&f, "t.zip");
}
