//! The archivist's layer: `annotate` signs notes on a bundle as a bundle
//! of their own, and `verify --base` / `--with` check the two together,
//! each signer apart, refusing notes on another base.

use std::fs;

use sha2::{Digest, Sha256};

use crate::common::*;

/// Notes on the fixture's statement: a reference naming its source by the
/// base's path, a quotation naming it by id, and a declared term.
const NOTES: &str = r#"[notes]
title = "An archivist's notes on the test bundle"
contact_name = "B. Archivist"

[[citations]]
id = "applies"
kind = "reference"
verdict = "partly-supports"
exact = "The Convention applies"
note = "Article 2 says it shall also apply, to occupation."
source = "data/sources/gc4.txt"
source_exact = "The Convention shall also apply"
locator = "Article 2"

[[citations]]
id = "occupation"
exact = "to all cases of partial or total occupation"
source = "gc4"
"#;

/// A fixture with alice's base bundle, bob's key and `NOTES.toml`.
fn setup() -> Fixture {
    let f = Fixture::new();
    f.pack("base.zip");
    f.key("bob");
    fs::write(f.path("NOTES.toml"), NOTES).unwrap();
    f
}

fn annotate(f: &Fixture, notes: &str, out: &str) -> Run {
    docseal(&[
        "annotate",
        &f.p("base.zip"),
        &f.p(notes),
        "--secret-key",
        &f.p("bob.key"),
        "--output",
        &f.p(out),
        "-q",
    ])
}

fn pair(_f: &Fixture, args: &[&str]) -> Run {
    let mut all = vec!["verify"];
    all.extend_from_slice(args);
    docseal(&all)
}

#[test]
fn notes_verify_beside_their_base_both_ways_with_the_signers_apart() {
    let f = setup();
    let before = fs::read(f.path("base.zip")).unwrap();
    annotate(&f, "NOTES.toml", "notes.zip").expect(0);
    assert_eq!(
        fs::read(f.path("base.zip")).unwrap(),
        before,
        "the base is untouched"
    );
    let notes = fs::read(f.path("notes.zip")).unwrap();
    let carried = zip_contents(&notes)
        .into_iter()
        .find(|(n, _)| n.ends_with(b"/data/notes.toml"))
        .expect("NOTES.toml in the notes bundle")
        .1;
    assert_eq!(
        carried,
        NOTES.as_bytes(),
        "NOTES.toml is carried byte for byte"
    );

    let (alice, bob) = (f.p("alice.pub"), f.p("bob.pub"));
    let (base, notes) = (f.p("base.zip"), f.p("notes.zip"));
    for args in [
        vec![notes.as_str(), "--base", base.as_str()],
        vec![base.as_str(), "--with", notes.as_str()],
    ] {
        let mut a = args.clone();
        a.extend(["-p", &alice, "-p", &bob, "--json"]);
        let j = pair(&f, &a).expect(0).json();
        assert_eq!(j["format"], "docseal-verify-pair");
        assert_eq!(j["verdict"], "valid");
        assert_eq!(j["base_matches"], true);
        let signer = |side: &str| {
            j[side]["signatures"][0]["trusted_key"]
                .as_str()
                .map(str::to_owned)
        };
        assert_eq!(signer("author"), Some(alice.clone()));
        assert_eq!(signer("archivist"), Some(bob.clone()));
        let a = &j["archivist"];
        let digest = hex(&Sha256::digest(tagmanifest(&before)));
        assert_eq!(a["base"]["tagmanifest_sha256"], digest.as_str());
        let cited: Vec<_> = a["citations"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| (c["id"].clone(), c["ok"].clone()))
            .collect();
        assert_eq!(cited.len(), 2, "{cited:?}");
        assert!(cited.iter().all(|(_, ok)| ok == true), "{cited:?}");
        let check = a["checks"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["area"] == "citations")
            .unwrap()
            .clone();
        assert_eq!(check["status"], "passed");
        let mut t = args.clone();
        t.extend(["-p", &alice, "-p", &bob]);
        let text = pair(&f, &t).expect(0).stdout.replace("\n    ", " ");
        assert!(
            text.starts_with("VALID — the author's bundle is intact and signed by alice ("),
            "{text}"
        );
        assert!(
            text.contains("the archivist's notes on it are intact and signed by bob ("),
            "{text}"
        );
        assert!(
            text.contains("== the author's bundle: ")
                && text.contains("== the archivist's notes: "),
            "{text}"
        );
        assert!(text.contains("notes on    "), "{text}");
    }
    // Trusting only the author: the pair is no more trusted than its notes.
    let r = pair(&f, &[&notes, "--base", &base, "-p", &alice, "-q"]).expect(3);
    assert!(
        r.stdout
            .starts_with("UNTRUSTED — the archivist's notes: intact, but"),
        "{}",
        r.stdout
    );
    // Alone, the notes verify but say their citations were not checked.
    let j = pair(&f, &[&notes, "-p", &bob, "--json"]).expect(0).json();
    let check = j["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["area"] == "citations")
        .unwrap()
        .clone();
    assert_eq!(check["status"], "not-run");
    assert!(
        check["reason"].as_str().unwrap().contains("--base"),
        "{check}"
    );
}

#[test]
fn notes_on_another_base_are_rejected() {
    let f = setup();
    annotate(&f, "NOTES.toml", "notes.zip").expect(0);
    // Same files, packed a day later: another identity, another digest.
    f.pack_a_day_later("later.zip");
    let (alice, bob) = (f.p("alice.pub"), f.p("bob.pub"));
    let r = pair(
        &f,
        &[
            &f.p("notes.zip"),
            "--base",
            &f.p("later.zip"),
            "-p",
            &alice,
            "-p",
            &bob,
            "--json",
        ],
    )
    .expect(1);
    let j = r.json();
    assert_eq!(j["verdict"], "invalid");
    assert_eq!(j["base_matches"], false);
    assert!(
        codes(&j["archivist"]).contains(&"manifest.base-mismatch".to_owned()),
        "{j}"
    );
    assert!(j["summary"]
        .as_str()
        .unwrap()
        .starts_with("INVALID — these notes are not about this bundle"));
    // The two roles swapped, or a plain bundle given as notes, is a usage error.
    pair(
        &f,
        &[&f.p("base.zip"), "--base", &f.p("notes.zip"), "-p", &alice],
    )
    .expect(2);
    let r = pair(
        &f,
        &[&f.p("base.zip"), "--with", &f.p("later.zip"), "-p", &alice],
    )
    .expect(2);
    assert!(
        r.stderr.contains("is not an archivist's notes bundle"),
        "{}",
        r.stderr
    );
}

#[test]
fn altered_notes_or_an_altered_base_fail_the_pair() {
    let f = setup();
    annotate(&f, "NOTES.toml", "notes.zip").expect(0);
    let (alice, bob) = (f.p("alice.pub"), f.p("bob.pub"));
    for (target, rel) in [
        ("notes.zip", "data/notes.toml"),
        ("base.zip", "data/statement.txt"),
    ] {
        let g = setup();
        fs::copy(f.path("notes.zip"), g.path("notes.zip")).unwrap();
        fs::copy(f.path("base.zip"), g.path("base.zip")).unwrap();
        fs::copy(f.path("alice.pub"), g.path("alice.pub")).unwrap();
        let mut b = fs::read(g.path(target)).unwrap();
        let e = zip_entries(&b)
            .into_iter()
            .find(|e| e.name.ends_with(rel))
            .unwrap();
        b[e.data] ^= 0x20;
        fix_crc(&mut b, &e);
        fs::write(g.path(target), &b).unwrap();
        let j = pair(
            &g,
            &[
                &g.p("notes.zip"),
                "--base",
                &g.p("base.zip"),
                "-p",
                &alice,
                "-p",
                &bob,
                "--json",
            ],
        )
        .expect(1)
        .json();
        assert_eq!(j["verdict"], "invalid", "{target}");
        let side = if target == "notes.zip" {
            "archivist"
        } else {
            "author"
        };
        assert_eq!(j[side]["verdict"], "invalid", "{target}");
    }
}

#[test]
fn bad_notes_are_refused_with_every_problem_named_and_nothing_written() {
    let f = setup();
    let cases: [(&str, &[&str]); 5] = [
        ("[notes]\n", &["notes: title: is empty"]),
        ("[notes]\ntitle = \"t\"\n[statement]\npath = \"x\"\n", &["unknown field \"statement\""]),
        (
            "[notes]\ntitle = \"t\"\nnots = 1\n[[citations]]\nid = \"a\"\nexact = \"x\"\nsorce = \"gc4\"\n",
            &["unknown field \"nots\"", "unknown field \"sorce\""],
        ),
        (
            "[notes]\ntitle = \"t\"\n[[citations]]\nid = \"a\"\nexact = \"to all cases of partial or total occupation\"\nsource = \"data/sources/missing.txt\"\n",
            &["the base has no source with that id or path"],
        ),
        (
            "[notes]\ntitle = \"t\"\n[[citations]]\nid = \"a\"\nexact = \"to all cases of partial or total occupation\"\nsource = \"other\"\n",
            &["citation", "\"a\""],
        ),
    ];
    for (i, (text, wanted)) in cases.iter().enumerate() {
        let name = format!("bad{i}.toml");
        fs::write(f.path(&name), text).unwrap();
        let r = annotate(&f, &name, "out.zip");
        assert_ne!(r.code, 0, "{text}");
        assert_eq!(r.code, 4, "{text}\n{}", r.stderr);
        for w in *wanted {
            assert!(r.stderr.contains(w), "{text}: {w}\n{}", r.stderr);
        }
        assert!(r.stderr.contains(&name), "names the file: {}", r.stderr);
        assert!(!f.path("out.zip").exists(), "{text}");
    }
    // A file with only a title is valid.
    fs::write(f.path("title.toml"), "[notes]\ntitle = \"Only a title\"\n").unwrap();
    annotate(&f, "title.toml", "title.zip").expect(0);
    // An altered base cannot be annotated, and the base is never the output.
    let mut b = fs::read(f.path("base.zip")).unwrap();
    let e = zip_entries(&b)
        .into_iter()
        .find(|e| e.name.ends_with("data/statement.txt"))
        .unwrap();
    b[e.data] ^= 0x20;
    fix_crc(&mut b, &e);
    fs::write(f.path("bad-base.zip"), &b).unwrap();
    let r = docseal(&[
        "annotate",
        &f.p("bad-base.zip"),
        &f.p("NOTES.toml"),
        "-s",
        &f.p("bob.key"),
        "-o",
        &f.p("o.zip"),
    ]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains("cannot be annotated"), "{}", r.stderr);
    assert!(!f.path("o.zip").exists());
    let r = docseal(&[
        "annotate",
        &f.p("base.zip"),
        &f.p("NOTES.toml"),
        "-s",
        &f.p("bob.key"),
        "-o",
        &f.p("base.zip"),
        "--force",
    ]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert_eq!(fs::read(f.path("base.zip")).unwrap().len(), b.len());
}

/// The tag manifest of a bundle.
fn tagmanifest(bundle: &[u8]) -> Vec<u8> {
    zip_contents(bundle)
        .into_iter()
        .find(|(n, _)| n.ends_with(b"/tagmanifest-sha256.txt"))
        .unwrap()
        .1
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

#[test]
fn list_shows_the_notes_in_the_context_of_their_base() {
    let f = setup();
    annotate(&f, "NOTES.toml", "notes.zip").expect(0);
    let (notes, base) = (f.p("notes.zip"), f.p("base.zip"));
    let r = docseal(&["list", &notes]).expect(0);
    assert!(r.stdout.contains("notes on   "), "{}", r.stdout);
    let r = docseal(&["list", &notes, "--citations"]).expect(0);
    assert!(r.stdout.contains("give --base BASE.zip"), "{}", r.stdout);
    let r = docseal(&["list", &notes, "--citations", "--base", &base]).expect(0);
    let out = &r.stdout;
    // The statement's sentence with the words marked, and no coverage claim:
    // notes cover what they choose.
    assert!(out.contains("⟦The Convention applies⟧"), "{out}");
    assert!(out.contains("⟦The Convention shall also apply⟧"), "{out}");
    assert!(!out.contains("not accounted for"), "{out}");
    let j = docseal(&[
        "list",
        &notes,
        "--citations",
        "--base",
        &base,
        "--format",
        "w3c",
    ])
    .expect(0)
    .json();
    let listed = docseal(&["list", &notes, "--json"]).expect(0).json();
    let ns = listed["listing"]["manifest"]["bundle"]["identifier"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let base_id = docseal(&["list", &base, "--json"]).expect(0).json()["listing"]["manifest"]
        ["bundle"]["identifier"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(!ns.is_empty() && ns != base_id, "{listed}");
    let statement = fs::read_to_string(f.path("in/statement.txt")).unwrap();
    let items = j["first"]["items"].as_array().unwrap();
    assert_eq!(items.len(), 2);
    for a in items {
        assert!(
            a["id"]
                .as_str()
                .unwrap()
                .starts_with(&format!("{ns}#citation-")),
            "{a}"
        );
        let t = &a["target"][0];
        assert_eq!(t["partOf"], base_id.as_str());
        let exact = t["selector"][0]["exact"].as_str().unwrap();
        let prefix = t["selector"][0]["prefix"].as_str().unwrap();
        assert!(statement.contains(&format!("{prefix}{exact}")), "{t}");
    }
    // Another base is refused by its digest.
    f.pack_a_day_later("later.zip");
    let r = docseal(&["list", &notes, "--citations", "--base", &f.p("later.zip")]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr.contains("is not the bundle these notes are about"),
        "{}",
        r.stderr
    );
}

#[test]
fn notes_have_a_lineage_of_their_own() {
    let f = setup();
    annotate(&f, "NOTES.toml", "notes.zip").expect(0);
    // Corrected notes on a newer base: the same lineage, version 2.
    f.pack_a_day_later("later.zip");
    let (bob, alice) = (f.p("bob.pub"), f.p("alice.pub"));
    docseal(&[
        "annotate",
        &f.p("later.zip"),
        &f.p("NOTES.toml"),
        "-s",
        &f.p("bob.key"),
        "--supersedes",
        &f.p("notes.zip"),
        "-o",
        &f.p("notes2.zip"),
        "-q",
    ])
    .expect(0);
    let h = docseal(&[
        "history",
        &f.p("notes.zip"),
        &f.p("notes2.zip"),
        "-p",
        &bob,
        "--json",
    ])
    .expect(0)
    .json();
    assert_eq!(h["versions"].as_array().map(Vec::len), Some(2), "{h}");
    docseal(&[
        "verify",
        &f.p("notes.zip"),
        "-p",
        &bob,
        "--not-older-than",
        &f.p("notes2.zip"),
        "-q",
    ])
    .expect(1);
    docseal(&[
        "verify",
        &f.p("notes2.zip"),
        "--base",
        &f.p("later.zip"),
        "-p",
        &bob,
        "-p",
        &alice,
        "-q",
    ])
    .expect(0);
    // A statement bundle is no notes lineage, and the old notes are never overwritten.
    let r = docseal(&[
        "annotate",
        &f.p("later.zip"),
        &f.p("NOTES.toml"),
        "-s",
        &f.p("bob.key"),
        "--supersedes",
        &f.p("base.zip"),
        "-o",
        &f.p("x.zip"),
    ]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr.contains("not an archivist's notes bundle"),
        "{}",
        r.stderr
    );
    let r = docseal(&[
        "annotate",
        &f.p("later.zip"),
        &f.p("NOTES.toml"),
        "-s",
        &f.p("bob.key"),
        "--supersedes",
        &f.p("notes.zip"),
        "-o",
        &f.p("notes.zip"),
        "--force",
    ]);
    assert_eq!(r.code, 2, "{}", r.stderr);
}

/// Rewrites the notes bundle's docseal.json with `edit` and signs it again
/// with bob's key, as a dishonest archivist could.
fn re_signed_notes(f: &Fixture, notes: &[u8], edit: impl Fn(&mut serde_json::Value)) -> Vec<u8> {
    let mut entries = zip_contents(notes);
    let root = String::from_utf8(entries[0].0.clone())
        .unwrap()
        .split('/')
        .next()
        .unwrap()
        .to_owned();
    let get = |entries: &Vec<(Vec<u8>, Vec<u8>)>, rel: &str| {
        entries
            .iter()
            .find(|(n, _)| *n == format!("{root}/{rel}").into_bytes())
            .unwrap()
            .1
            .clone()
    };
    let mut j: serde_json::Value = serde_json::from_slice(&get(&entries, "docseal.json")).unwrap();
    edit(&mut j);
    let m = docseal::manifest::BundleManifest::parse(&serde_json::to_vec(&j).unwrap()).unwrap();
    let json = m.to_bytes();
    let mut tm = docseal::bagit::Manifest::parse(&get(&entries, "tagmanifest-sha256.txt")).unwrap();
    for (p, d) in tm.entries.iter_mut() {
        if p.as_str() == "docseal.json" {
            *d = Sha256::digest(&json).into();
        }
    }
    let tm = tm.to_text().into_bytes();
    let key = docseal::keys::read_secret_key(&f.path("bob.key"), &mut || {
        Err(docseal::error::Error::Usage("no passphrase".into()))
    })
    .unwrap();
    let id = key.key_id();
    let sig = key
        .sign(
            &tm,
            &m.trusted_comment(),
            &docseal::bundle::signature_untrusted_comment(id),
        )
        .unwrap();
    for (name, data) in entries.iter_mut() {
        let rel = String::from_utf8(name.clone()).unwrap();
        let rel = rel.split_once('/').unwrap().1.to_owned();
        if rel == "docseal.json" {
            *data = json.clone();
        } else if rel == "tagmanifest-sha256.txt" {
            *data = tm.clone();
        } else if rel == docseal::bundle::signature_file(id) {
            *data = sig.to_file_text().into_bytes();
        }
    }
    raw_zip(&entries)
}

#[test]
fn a_validly_signed_but_false_record_in_the_notes_fails_against_the_base() {
    let f = setup();
    annotate(&f, "NOTES.toml", "notes.zip").expect(0);
    let notes = fs::read(f.path("notes.zip")).unwrap();
    assert_eq!(
        re_signed_notes(&f, &notes, |_| {}),
        notes,
        "the rebuild is faithful"
    );
    let (alice, bob, base) = (f.p("alice.pub"), f.p("bob.pub"), f.p("base.zip"));
    // The archivist claims the source says other words at the same place.
    let lying = re_signed_notes(&f, &notes, |j| {
        let p = &mut j["citations"][0]["passages"][0];
        p["exact"] = "The Convention shall never apply".into();
        p["span"]["text"] = "The Convention shall never apply".into();
    });
    fs::write(f.path("lying.zip"), &lying).unwrap();
    // Alone, its own bytes and signature are fine: the citations were not checked.
    docseal(&["verify", &f.p("lying.zip"), "-p", &bob, "-q"]).expect(0);
    let j = docseal(&[
        "verify",
        &f.p("lying.zip"),
        "--base",
        &base,
        "-p",
        &alice,
        "-p",
        &bob,
        "--json",
    ])
    .expect(1)
    .json();
    assert_eq!(j["verdict"], "invalid");
    assert_eq!(j["author"]["verdict"], "valid");
    let a = &j["archivist"];
    assert_eq!(a["signatures"][0]["status"], "valid-trusted");
    assert_eq!(a["citations"][0]["ok"], false, "{a:#}");
    assert!(
        codes(a).iter().any(|c| c.starts_with("citation.")),
        "{:?}",
        codes(a)
    );
    // A record pointing at a source the base does not have.
    let missing = re_signed_notes(&f, &notes, |j| {
        j["citations"][1]["passages"][0]["source"] = "nowhere".into();
    });
    fs::write(f.path("missing.zip"), &missing).unwrap();
    let j = docseal(&[
        "verify",
        &f.p("missing.zip"),
        "--base",
        &base,
        "-p",
        &alice,
        "-p",
        &bob,
        "--json",
    ])
    .expect(1)
    .json();
    assert!(
        codes(&j["archivist"]).contains(&"citation.source-missing".to_owned()),
        "{:?}",
        codes(&j["archivist"])
    );
}
