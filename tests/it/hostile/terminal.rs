//! Nothing from a bundle reaches a terminal raw: ESC/CSI/OSC sequences, C1
//! controls, bidi overrides and zero-width characters put into every
//! string field of docseal.json (and so of bag-info.txt and the signed
//! trusted comment) and into a file name come out of every command, text
//! and JSON, stdout and stderr, escaped.

use std::fs;

use super::kit::*;
use crate::common::*;

/// Every kind of character a terminal must not see raw.
const EVIL: &str = "\u{1b}[2J\u{1b}]8;;http://evil.example/\u{7}\u{9b}31m\u{85}\u{202e}\u{2066}\u{200b}\u{feff}\u{2028}!";

/// What a bag-info.txt value may hold (it refuses control characters): the invisible rest.
const EVIL_NO_CONTROLS: &str = "\u{202e}\u{2066}\u{200b}\u{feff}\u{2028}!";

/// Fields that bag-info.txt repeats.
const BAG_INFO: [&str; 5] = [
    "title",
    "source_organization",
    "external_description",
    "contact_name",
    "contact_email",
];

/// Puts EVIL into every string of a JSON value, except what must stay
/// machine-checked (paths, hashes, formats, roles and ids the checks
/// resolve, media types) so that the bundle still verifies.
fn poison(v: &mut serde_json::Value, key: &str) {
    // Enum-valued fields (a claim's kind and verdict, a locator check's
    // status) only parse as their variants.
    const KEEP: [&str; 16] = [
        "kind",
        "verdict",
        "status",
        "identifier",
        "path",
        "sha256",
        "format",
        "role",
        "media_type",
        "source",
        "source_id",
        "created",
        "name",
        "exact",
        "text",
        "language",
    ];
    match v {
        serde_json::Value::String(s) if BAG_INFO.contains(&key) => s.push_str(EVIL_NO_CONTROLS),
        serde_json::Value::String(s) if !KEEP.contains(&key) && !s.is_empty() => s.push_str(EVIL),
        serde_json::Value::Array(a) => a.iter_mut().for_each(|x| poison(x, key)),
        serde_json::Value::Object(o) => o.iter_mut().for_each(|(k, x)| poison(x, k)),
        _ => {}
    }
}

/// Fails when `out` holds a raw control, format or separator character.
#[track_caller]
fn assert_clean(what: &str, out: &str) {
    let bad: Vec<String> = out
        .chars()
        .filter(|c| *c != '\n' && docseal::escape::needs_escape(*c))
        .map(|c| format!("U+{:04X}", c as u32))
        .collect();
    assert!(bad.is_empty(), "{what}: raw {bad:?} in {out}");
}

#[test]
fn hostile_strings_in_every_field_never_reach_the_terminal_raw() {
    let f = Fixture::new();
    f.key("mallory");
    let mut e = entries(&f);
    let mut j: serde_json::Value = serde_json::from_slice(get(&e, "docseal.json")).unwrap();
    poison(&mut j, "");
    set(
        &mut e,
        "docseal.json",
        serde_json::to_vec_pretty(&j).unwrap(),
    );
    // A payload file whose name carries a bidi override and a zero-width space.
    let evil_name = "data/invoice\u{202e}fdp.exe\u{200b}.txt";
    add(
        &mut e,
        format!("test-bundle/{evil_name}").as_bytes(),
        b"x\n",
    );
    let bytes = resign(&e, &f.path("alice.key"));
    fs::write(f.path("evil.zip"), &bytes).unwrap();
    let (b, k) = (f.p("evil.zip"), f.p("alice.pub"));
    let j = docseal(&["verify", &b, "-p", &k, "--json"]).json();
    // The bundle must reach the point where its strings are shown.
    assert!(
        j["identity"].is_object(),
        "docseal.json did not parse: {j:#}"
    );
    let runs: Vec<Vec<&str>> = vec![
        vec!["verify", &b, "-p", &k],
        vec!["verify", &b, "-p", &k, "--verbose"],
        vec!["verify", &b, "-p", &k, "--json"],
        vec!["verify", &b],
        vec!["list", &b],
        vec!["list", &b, "--citations"],
        vec!["list", &b, "--json", "-p", &k],
        vec!["history", &b, "-p", &k],
        vec!["history", &b, "-p", &k, "--json"],
    ];
    for args in &runs {
        let r = docseal(args);
        assert_clean(&format!("{args:?} stdout"), &r.stdout);
        assert_clean(&format!("{args:?} stderr"), &r.stderr);
        assert!(
            !r.stdout.is_empty(),
            "{args:?} printed nothing: {}",
            r.stderr
        );
    }
    let r = docseal(&["sign", &b, "-s", &f.p("mallory.key"), "-o", &f.p("co.zip")]);
    assert_clean("sign stdout", &r.stdout);
    assert_clean("sign stderr", &r.stderr);
    let r = docseal(&["extract", &b, "-p", &k, "-o", &f.p("out")]);
    assert_clean("extract stdout", &r.stdout);
    assert_clean("extract stderr", &r.stderr);
    // And the escaped text says what is there.
    let text = docseal(&["verify", &b, "-p", &k, "--verbose"]).stdout;
    assert!(
        text.contains("invoice\\u{202e}fdp.exe\\u{200b}.txt"),
        "{text}"
    );
    assert!(
        text.contains("\\u{1b}[2J\\u{1b}]8;;"),
        "a poisoned file title is shown escaped: {text}"
    );
    let listing = docseal(&["list", &b]).stdout;
    assert!(listing.contains("\\u{9b}31m"), "{listing}");
}
