//! Hostile manifests: each bundle has its tag manifest and signature
//! recomputed and is re-signed by the *trusted* key, so the signature is
//! valid and only the specific manifest check can catch the change.

use std::fs;

use super::kit::*;
use crate::common::*;

/// `edit` applied to the text of tag file `name`, then re-sealed by alice.
fn edited(f: &Fixture, name: &str, edit: &dyn Fn(&str) -> String) -> Vec<u8> {
    let mut e = entries(f);
    let text = String::from_utf8(get(&e, name).to_vec()).expect("utf-8");
    set(&mut e, name, edit(&text));
    reseal(&e, &f.path("alice.key"))
}

/// Verifies each case: rejected, with exactly `want` among the errors, while
/// the trusted signature itself is valid.
#[track_caller]
fn expect_caught(f: &Fixture, cases: Vec<(&str, Vec<u8>, &str)>) {
    for (what, bytes, want) in cases {
        let (code, errors, report) = check(f, "t.zip", &bytes, &[]);
        assert_eq!(code, 1, "{what}: {report:#}");
        assert!(
            errors.contains(&want.to_owned()),
            "{what}: want {want}, got {errors:?}"
        );
        assert_eq!(sig_statuses(&report), ["valid-trusted"], "{what}");
        assert_extracts_nothing(f, "t.zip");
    }
}

/// `t` with the first value of `"key": ` replaced by `value` (up to the next comma).
fn with_value(t: &str, key: &str, value: &str) -> String {
    let needle = format!("\"{key}\": ");
    let start = t.find(&needle).expect("key") + needle.len();
    let end = start + t[start..].find(',').expect("comma");
    format!("{}{value}{}", &t[..start], &t[end..])
}

#[test]
fn hostile_payload_manifests_are_caught_under_a_valid_signature() {
    let f = Fixture::new();
    let first_line = |t: &str| t.lines().next().unwrap().to_owned();
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        (
            "a file listed twice",
            edited(&f, "manifest-sha256.txt", &|t| {
                format!("{}\n{t}", first_line(t))
            }),
            "payload.manifest-unparseable",
        ),
        (
            "a file listed twice with another hash",
            edited(&f, "manifest-sha256.txt", &|t| {
                let l = first_line(t);
                format!("{}{}\n{t}", "0".repeat(64), &l[64..])
            }),
            "payload.manifest-unparseable",
        ),
        (
            "an unparseable line",
            edited(&f, "manifest-sha256.txt", &|t| {
                format!("{t}not a manifest line\n")
            }),
            "payload.manifest-unparseable",
        ),
        (
            "a short digest",
            edited(&f, "manifest-sha256.txt", &|t| {
                format!("{t}abcd  data/x.txt\n")
            }),
            "payload.manifest-unparseable",
        ),
        (
            "a tag file listed as payload",
            edited(&f, "manifest-sha256.txt", &|t| {
                format!(
                    "{}  bagit.txt\n{t}",
                    sha(docseal::bagit::BAGIT_TXT.as_bytes())
                )
            }),
            "payload.not-payload",
        ),
        (
            "lines out of order",
            edited(&f, "manifest-sha256.txt", &|t| {
                let mut l: Vec<&str> = t.lines().collect();
                l.reverse();
                l.join("\n") + "\n"
            }),
            "payload.manifest-non-canonical",
        ),
        (
            "CRLF line ends",
            edited(&f, "manifest-sha256.txt", &|t| t.replace('\n', "\r\n")),
            "payload.manifest-unparseable",
        ),
    ];
    expect_caught(&f, cases);
}

#[test]
fn hostile_tag_manifests_are_caught_under_a_valid_signature() {
    let f = Fixture::new();
    let key = f.path("alice.key");
    // The signature is made after the edit, over the edited tag manifest.
    let signed_after = |edit: &dyn Fn(&str) -> String| {
        let mut e = entries(&f);
        let t = String::from_utf8(get(&e, "tagmanifest-sha256.txt").to_vec()).unwrap();
        set(&mut e, "tagmanifest-sha256.txt", edit(&t));
        sign(&mut e, &key);
        raw_zip(&e)
    };
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        (
            "an unlisted tag file",
            signed_after(&|t| {
                t.lines()
                    .filter(|l| !l.ends_with("bag-info.txt"))
                    .map(|l| format!("{l}\n"))
                    .collect()
            }),
            "tag.unlisted-file",
        ),
        (
            "a payload file listed as a tag file",
            signed_after(&|t| format!("{t}{}  data/notes.md\n", sha(b"# notes\n"))),
            "tag.unexpected-entry",
        ),
        (
            "a tag file listed twice",
            signed_after(&|t| format!("{t}{}", t.lines().next().unwrap().to_owned() + "\n")),
            "tag.manifest-unparseable",
        ),
    ];
    expect_caught(&f, cases);
}

#[test]
fn hostile_docseal_json_is_caught_under_a_valid_signature() {
    let f = Fixture::new();
    let json = |edit: &dyn Fn(&str) -> String| edited(&f, "docseal.json", edit);
    let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        (
            "duplicate top-level key",
            json(&|t| t.replacen("{\n", "{\n  \"format\": \"docseal-manifest\",\n", 1)),
            "manifest.unparseable",
        ),
        (
            "duplicate key hiding a second hash",
            json(&|t| {
                t.replacen(
                    "\"sha256\": ",
                    &format!("\"sha256\": \"{}\",\n      \"sha256\": ", "0".repeat(64)),
                    1,
                )
            }),
            "manifest.unparseable",
        ),
        (
            "version 1e400",
            json(&|t| with_value(t, "version", "1e400")),
            "manifest.unparseable",
        ),
        (
            "size 2^64",
            json(&|t| with_value(t, "size", "18446744073709551616")),
            "manifest.unparseable",
        ),
        (
            "10,000-deep nesting",
            json(&|t| t.replacen("\"citations\": [", &format!("\"citations\": [{deep},"), 1)),
            "manifest.unparseable",
        ),
        (
            "10,000-deep document",
            json(&|_| deep.clone()),
            "manifest.unparseable",
        ),
        (
            "an unknown field",
            json(&|t| t.replacen("{\n", "{\n  \"trusted\": true,\n", 1)),
            "manifest.unparseable",
        ),
    ];
    expect_caught(&f, cases);
}

#[test]
fn docseal_json_disagreeing_with_the_payload_manifest_is_caught() {
    let f = Fixture::new();
    let key = f.path("alice.key");
    let mut e = entries(&f);
    sync_json(&mut e);
    // docseal.json claims another SHA-256 for notes.md than manifest-sha256.txt.
    let real = sha(get(&e, "data/notes.md"));
    let wrong = sha(b"# other notes\n");
    let mut other_hash = e.clone();
    let text = String::from_utf8(get(&e, "docseal.json").to_vec()).unwrap();
    set(&mut other_hash, "docseal.json", text.replace(&real, &wrong));
    // docseal.json lists a file manifest-sha256.txt does not.
    let mut extra = e.clone();
    add(&mut extra, b"data/extra.txt", b"extra\n");
    sync_json(&mut extra);
    extra.retain(|(n, _)| !n.ends_with(b"data/extra.txt"));
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        (
            "another hash",
            reseal(&other_hash, &key),
            "manifest.disagrees",
        ),
        ("an extra file", reseal(&extra, &key), "manifest.disagrees"),
    ];
    expect_caught(&f, cases);
}

#[test]
fn control_and_bidi_characters_from_a_bundle_never_reach_the_terminal() {
    let f = Fixture::new();
    let key = f.path("alice.key");
    let mut e = entries(&f);
    // A signer who wants the listing to lie: clear the screen, recolour,
    // reverse the text direction.
    let hostile = r#"\u001b[2J\u001b[32mVERIFIED\u202e\u0007"#;
    let text = String::from_utf8(get(&e, "docseal.json").to_vec()).unwrap();
    let text = text
        .replace("\"title\": \"", &format!("\"title\": \"{hostile}"))
        .replace("\"name\": \"A. Author", &format!("\"name\": \"{hostile}"))
        .replace("\"locator\": \"", &format!("\"locator\": \"{hostile}"));
    assert!(text.matches(hostile).count() >= 5, "{text}");
    set(&mut e, "docseal.json", text);
    fs::write(f.path("t.zip"), reseal(&e, &key)).unwrap();
    let runs = [
        docseal(&["list", &f.p("t.zip")]),
        docseal(&["list", &f.p("t.zip"), "--citations"]),
        docseal(&["verify", &f.p("t.zip"), "-p", &f.p("alice.pub")]),
    ];
    for r in runs {
        let out = format!("{}{}", r.stdout, r.stderr);
        assert!(out.contains("\\u{1b}[2J"), "shown escaped: {out}");
        assert!(
            !out.contains(['\u{1b}', '\u{202e}', '\u{7}']),
            "raw control character reached the terminal: {out:?}"
        );
    }
}
