//! Versions end to end: `pack --supersedes` lineages checked by `history`
//! (sound and broken chains) and by `verify --not-older-than` (rollback,
//! fork, other lineage), and a key rotation announced by co-signing.

use std::fs;

use sha2::{Digest, Sha256};

use super::{entry, key_id, keys, sign, statuses, verify, with_code};
use crate::common::*;

/// Writes the fixture statement with a last line of `claim`.
fn statement(f: &Fixture, claim: &str) {
    fs::write(
        f.path("in/statement.txt"),
        format!("The Convention applies \u{201c}to all cases of partial or total occupation\u{201d}.\nIt has two claims.\n{claim}\n"),
    )
    .unwrap();
}

/// `pack in/ -s <key> -o <out> --supersedes <old>`.
fn pack_next(f: &Fixture, key: &str, out: &str, old: &str) -> Run {
    docseal(&[
        "pack",
        &f.p("in"),
        "-q",
        "-s",
        &f.p(&format!("{key}.key")),
        "-o",
        &f.p(out),
        "--supersedes",
        &f.p(old),
    ])
}

/// v1, v2 and v3 of the fixture, each changing the statement's last line.
fn lineage(f: &Fixture) {
    statement(f, "First version.");
    f.pack("v1.zip");
    statement(f, "Second version.");
    pack_next(f, "alice", "v2.zip", "v1.zip").expect(0);
    statement(f, "Third version.");
    pack_next(f, "alice", "v3.zip", "v2.zip").expect(0);
}

fn manifest(f: &Fixture, name: &str) -> docseal::manifest::BundleManifest {
    let b = fs::read(f.path(name)).unwrap();
    docseal::manifest::BundleManifest::parse(&entry(&b, "docseal.json")).unwrap()
}

/// Runs `history` on these bundles, trusting alice.
fn history(f: &Fixture, bundles: &[&str], extra: &[&str]) -> Run {
    let mut args = vec!["history".to_owned()];
    args.extend(bundles.iter().map(|b| f.p(b)));
    args.extend(keys(f, &["alice"]));
    args.extend(extra.iter().map(|s| (*s).to_owned()));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    docseal(&args)
}

#[test]
fn versions_form_a_chain_and_history_shows_what_changed() {
    let f = Fixture::new();
    lineage(&f);
    let m1 = manifest(&f, "v1.zip");
    for (n, name, prev) in [(2, "v2.zip", "v1.zip"), (3, "v3.zip", "v2.zip")] {
        let m = manifest(&f, name);
        assert_eq!(m.bundle.identifier, m1.bundle.identifier, "{name}");
        assert_eq!(m.bundle.version, n);
        let old = fs::read(f.path(prev)).unwrap();
        let digest = Sha256::digest(entry(&old, "tagmanifest-sha256.txt"));
        let s = m.bundle.supersedes.expect("supersedes");
        assert_eq!(s.version, n - 1);
        assert_eq!(s.tagmanifest_sha256, docseal::manifest::hex(&digest));
    }
    assert_eq!(m1.bundle.supersedes, None);

    let out = history(&f, &["v3.zip", "v1.zip", "v2.zip"], &[])
        .expect(0)
        .stdout;
    let lines: Vec<&str> = out.lines().collect();
    let alice = key_id(&f, "alice");
    for (i, v) in ["1", "2", "3"].iter().enumerate() {
        let l = lines[2 * i];
        assert!(l.starts_with(&format!("version   {v}  valid")), "{out}");
        assert!(l.ends_with(&f.p(&format!("v{v}.zip"))), "{out}");
        assert_eq!(
            lines[2 * i + 1],
            format!("  signed by  alice ({alice})"),
            "{out}"
        );
    }
    for want in [
        "changes 1 -> 2: 0 added, 0 removed, 1 changed\n  ~ data/statement.txt\n",
        "It has two claims. ¶ [-First-]{+Second+} version. ¶\n",
        "changes 2 -> 3: 0 added, 0 removed, 1 changed\n",
        "It has two claims. ¶ [-Second-]{+Third+} version. ¶\n",
    ] {
        assert!(out.contains(want), "missing {want:?} in\n{out}");
    }
    assert!(out.ends_with("history: OK: every version verifies and the chain is unbroken\n"));

    let j = history(&f, &["v2.zip", "v1.zip"], &["--json"])
        .expect(0)
        .json();
    assert_eq!(j["format"], "docseal-history");
    assert_eq!(j["ok"], true);
    assert_eq!(j["changes"][0]["changed"][0], "data/statement.txt");
    let d = j["changes"][0]["statement_diff"].as_str().unwrap();
    assert!(d.ends_with("[-First-]{+Second+} version. ¶\n"), "{d}");
    assert_eq!(d.lines().count(), 1, "{d}");
    assert_eq!(j["versions"][0]["signers"][0]["key_id"], alice);
    assert_eq!(j["versions"][1]["signer_changed"], false);
}

/// (exit code, history finding codes) of `history --json`.
fn history_codes(f: &Fixture, bundles: &[&str]) -> (i32, Vec<String>, serde_json::Value) {
    let r = history(f, bundles, &["--json"]);
    let j = r.json();
    let c = j["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["code"].as_str().unwrap().to_owned())
        .collect();
    (r.code, c, j)
}

/// A bundle of another lineage: a copy of `in/` with its own identifier.
fn other_lineage(f: &Fixture) {
    fs::create_dir_all(f.path("in2/sources")).unwrap();
    for rel in [
        "statement.txt",
        "sources/gc4.txt",
        "sources/other.txt",
        "notes.md",
    ] {
        fs::copy(f.path("in").join(rel), f.path("in2").join(rel)).unwrap();
    }
    let toml = fs::read_to_string(f.path("in/docseal.toml")).unwrap();
    let toml = toml.replacen(
        "[bundle]\n",
        "[bundle]\nidentifier = \"urn:example:other\"\n",
        1,
    );
    fs::write(f.path("in2/docseal.toml"), toml).unwrap();
    docseal(&[
        "pack",
        &f.p("in2"),
        "-q",
        "-s",
        &f.p("alice.key"),
        "-o",
        &f.p("other.zip"),
    ])
    .expect(0);
}

#[test]
fn broken_chains_are_named_by_their_own_codes() {
    let f = Fixture::new();
    lineage(&f);
    other_lineage(&f);
    // Another version 1 of the same lineage (packed at another time), and a
    // version 2 superseding it, not v1.
    statement(&f, "First version.");
    f.pack_a_day_later("v1b.zip");
    pack_next(&f, "alice", "v2b.zip", "v1b.zip").expect(0);
    let v1_digest = docseal::manifest::hex(&Sha256::digest(entry(
        &fs::read(f.path("v1.zip")).unwrap(),
        "tagmanifest-sha256.txt",
    )));
    let cases: [(&[&str], &str, String); 3] = [
        (
            &["v1.zip", "v2b.zip"],
            "history.supersedes-mismatch",
            format!("not this version 1 ({v1_digest})"),
        ),
        (
            &["v1.zip", "v3.zip"],
            "history.version-gap",
            "version 3 does not follow version 1".into(),
        ),
        (
            &["v1.zip", "other.zip"],
            "history.other-lineage",
            "identifier urn:example:other is not the lineage's ".into(),
        ),
    ];
    for (bundles, code, message) in cases {
        let (exit, codes, j) = history_codes(&f, bundles);
        assert_eq!(exit, 1, "{bundles:?}: {j:#}");
        assert_eq!(codes, [code], "{bundles:?}: {j:#}");
        assert_eq!(j["ok"], false);
        let m = j["findings"][0]["message"].as_str().unwrap();
        assert!(m.contains(&message), "{bundles:?}: {m}");
        let text = history(&f, bundles, &[]).expect(1).stdout;
        assert!(text.contains(&format!("error: [{code}] ")), "{text}");
        assert!(text.ends_with("history: BROKEN\n"), "{text}");
    }
    // Each bundle by itself is fine: the chain is what is broken.
    history(&f, &["v1b.zip", "v2b.zip"], &[]).expect(0);
    // A sound chain nobody trusts is untrusted (exit 3), not broken.
    let (v1, v2) = (f.p("v1.zip"), f.p("v2.zip"));
    let out = docseal(&["history", &v1, &v2]).expect(3).stdout;
    assert!(
        out.ends_with("history: UNTRUSTED: the chain is unbroken, but not every version is signed by enough keys you trust\n"),
        "{out}"
    );
    let other = f.p("other.zip");
    docseal(&["history", &v1, &other]).expect(1);
}

#[test]
fn not_older_than_refuses_rollback_fork_and_another_lineage() {
    let f = Fixture::new();
    lineage(&f);
    other_lineage(&f);
    let r = verify(
        &f,
        "v1.zip",
        &["alice"],
        &["--not-older-than", &f.p("v2.zip")],
    )
    .expect(1);
    let j = r.json();
    assert_eq!(codes(&j), ["history.rollback"]);
    assert_eq!(
        with_code(&j, "history.rollback")[0]["message"],
        "this is version 1, older than the version 2 you have seen"
    );
    let j = verify(
        &f,
        "v2.zip",
        &["alice"],
        &["--not-older-than", &f.p("v1.zip")],
    )
    .expect(0)
    .json();
    let history_check = j["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["area"] == "history")
        .expect("a history check");
    assert_eq!(history_check["status"], "passed");
    verify(
        &f,
        "v3.zip",
        &["alice"],
        &["--not-older-than", &f.p("v3.zip")],
    )
    .expect(0);
    let j = verify(
        &f,
        "other.zip",
        &["alice"],
        &["--not-older-than", &f.p("v1.zip")],
    )
    .expect(1)
    .json();
    assert_eq!(codes(&j), ["history.other-lineage"]);
    // The same version with other content is a fork.
    f.pack_a_day_later("v1b.zip");
    let j = verify(
        &f,
        "v1b.zip",
        &["alice"],
        &["--not-older-than", &f.p("v3.zip")],
    )
    .expect(1)
    .json();
    assert_eq!(codes(&j), ["history.rollback"]);
    assert_eq!(j["verdict"], "rollback");
    statement(&f, "Third version.");
    f.pack_a_day_later("v1c.zip");
    let j = verify(
        &f,
        "v1c.zip",
        &["alice"],
        &["--not-older-than", &f.p("v1.zip")],
    )
    .expect(1)
    .json();
    assert_eq!(codes(&j), ["history.fork"]);
    assert_eq!(j["verdict"], "fork");
    assert!(
        j["summary"]
            .as_str()
            .unwrap()
            .starts_with("FORK — intact and signed by alice ("),
        "{}",
        j["summary"]
    );
    // A reference that is missing is the reader's I/O error, naming it.
    let r = docseal(&[
        "verify",
        &f.p("v2.zip"),
        "-p",
        &f.p("alice.pub"),
        "--not-older-than",
        &f.p("missing.zip"),
    ]);
    assert_eq!(r.code, 5, "{}{}", r.stdout, r.stderr);
    assert!(r.stdout.is_empty());
    assert!(
        r.stderr.starts_with(&format!(
            "docseal: error: {}: cannot open: ",
            f.p("missing.zip")
        )),
        "{}",
        r.stderr
    );
    // A reference that does not verify is its own verdict (exit 4), and says why.
    fs::write(f.path("junk.zip"), b"not a zip at all").unwrap();
    let j = verify(
        &f,
        "v2.zip",
        &["alice"],
        &["--not-older-than", &f.p("junk.zip")],
    )
    .expect(4)
    .json();
    assert_eq!(j["verdict"], "bad-reference");
    let r = with_code(&j, "history.reference-not-valid");
    let m = r[0]["message"].as_str().unwrap();
    assert!(
        m.starts_with(
            "the bundle to compare with is invalid, so it cannot serve as a reference: [zip."
        ),
        "{m}"
    );
}

#[test]
fn a_key_rotation_announced_by_co_signing_keeps_the_lineage_verifiable() {
    let f = Fixture::new();
    f.key("bob"); // the new key; alice is the old one
    f.key("mallory");
    let bob = key_id(&f, "bob");
    // The announcement: the new public key is in the content the old key
    // signs, and the new key co-signs that content.
    fs::create_dir(f.path("in/keys")).unwrap();
    fs::copy(f.path("bob.pub"), f.path("in/keys/new.pub")).unwrap();
    statement(&f, "First version.");
    f.pack("v1.zip");
    sign(&f, "v1.zip", "bob").expect(0);
    // Anyone can add a signature, so a co-signature alone vouches for nothing.
    sign(&f, "v1.zip", "mallory").expect(0);
    let j = verify(&f, "v1.zip", &["alice"], &[]).expect(0).json();
    let untrusted = ["bob", "mallory"].map(|n| (key_id(&f, n), "valid-untrusted".to_owned()));
    assert!(untrusted.iter().all(|u| statuses(&j).contains(u)), "{j:#}");
    // The reader takes the key the signed content announces.
    f.extract("v1.zip", &f.p("got")).expect(0);
    let announced = f.path("got/data/keys/new.pub");
    let key = docseal::keys::read_public_key(&announced).unwrap();
    assert_eq!(key.key_id().to_string(), bob);
    let announced = announced.display().to_string();
    docseal(&["verify", &f.p("v1.zip"), "-q", "-p", &announced]).expect(0);
    for (names, threshold) in [
        (&["alice"][..], "1"),
        (&["bob"], "1"),
        (&["alice", "bob"], "2"),
    ] {
        let j = verify(&f, "v1.zip", names, &["--threshold", threshold])
            .expect(0)
            .json();
        assert_eq!(j["verdict"], "valid", "{names:?}");
    }
    statement(&f, "Second version.");
    pack_next(&f, "bob", "v2.zip", "v1.zip").expect(0);
    let j = verify(&f, "v2.zip", &["bob"], &[]).expect(0).json();
    assert_eq!(statuses(&j), [(bob.clone(), "valid-trusted".to_owned())]);
    // The old key alone no longer suffices: it did not sign version 2.
    let j = verify(&f, "v2.zip", &["alice"], &[]).expect(3).json();
    assert_eq!(statuses(&j), [(bob, "valid-untrusted".to_owned())]);
    // A reader who trusts only the new key can still check for rollback.
    verify(
        &f,
        "v2.zip",
        &["bob"],
        &["--not-older-than", &f.p("v1.zip")],
    )
    .expect(0);

    fs::create_dir(f.path("ring")).unwrap();
    for n in ["alice", "bob"] {
        fs::copy(
            f.path(&format!("{n}.pub")),
            f.path(&format!("ring/{n}.pub")),
        )
        .unwrap();
    }
    let ring = f.p("ring");
    let mut args = vec!["history", "--keyring", &ring];
    let (v1, v2) = (f.p("v1.zip"), f.p("v2.zip"));
    args.extend([v1.as_str(), v2.as_str()]);
    let out = docseal(&args).expect(0).stdout;
    assert!(
        out.ends_with("history: OK: every version verifies and the chain is unbroken\n"),
        "{out}"
    );
    // Rotation done as documented is no change of signer.
    assert!(!out.contains("CHANGE OF SIGNER"), "{out}");
    assert!(!out.contains("history.signer-changed"), "{out}");
}

#[test]
fn a_version_signed_only_by_a_new_key_is_reported_as_a_change_of_signer() {
    let f = Fixture::new();
    f.key("mallory");
    statement(&f, "First version.");
    f.pack("v1.zip");
    statement(&f, "Second version.");
    // Mallory, never introduced by alice, continues the lineage.
    pack_next(&f, "mallory", "v2.zip", "v1.zip").expect(0);
    let mallory = key_id(&f, "mallory");
    fs::create_dir(f.path("ring")).unwrap();
    for n in ["alice", "mallory"] {
        fs::copy(
            f.path(&format!("{n}.pub")),
            f.path(&format!("ring/{n}.pub")),
        )
        .unwrap();
    }
    let ring = f.p("ring");
    let (v1, v2) = (f.p("v1.zip"), f.p("v2.zip"));
    let out = docseal(&["history", "--keyring", &ring, &v1, &v2])
        .expect(0)
        .stdout;
    assert!(
        out.contains(&format!(
            "  signed by  mallory ({mallory})  << CHANGE OF SIGNER"
        )),
        "{out}"
    );
    assert!(out.contains("warning: [history.signer-changed] "), "{out}");
    let r = docseal(&["history", "--keyring", &ring, &v1, &v2, "--same-signers"]);
    assert_eq!(r.code, 1, "{}", r.stdout);
    assert!(
        r.stdout.contains("error: [history.signer-changed] "),
        "{}",
        r.stdout
    );
    // verify --not-older-than says the same.
    let args = |extra: &[&str]| {
        let mut a = vec![
            "verify",
            v2.as_str(),
            "--keyring",
            ring.as_str(),
            "--json",
            "--not-older-than",
            v1.as_str(),
        ];
        a.extend_from_slice(extra);
        docseal(&a)
    };
    let j = args(&[]).expect(0).json();
    assert_eq!(
        with_code(&j, "history.signer-changed")[0]["severity"],
        "warning"
    );
    let j = args(&["--same-signers"]).expect(1).json();
    assert_eq!(j["verdict"], "signer-changed");
}
