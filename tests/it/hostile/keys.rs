//! Signatures and keys: an attacker who re-signs with his own key (and
//! ships it), forges the trusted key's id, moves a signature between
//! bundles, or hands over a malformed trusted key file. Trust comes only
//! from keys the user names; a key inside a bundle is never trusted.

use std::fs;

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;

use super::kit::*;
use crate::common::*;

/// The fixture's bundle with notes.md changed, as an attacker would.
fn altered(f: &Fixture) -> Entries {
    let mut e = entries(f);
    set(&mut e, "data/notes.md", "# notes\nPay the bearer.\n");
    e
}

#[test]
fn a_bundle_re_signed_by_an_attacker_with_his_key_inside_is_never_valid() {
    let f = Fixture::new();
    f.key("mallory");
    let forged = resign(&altered(&f), &f.path("mallory.key"));
    let mallory_id = docseal::keys::read_public_key(&f.path("mallory.pub"))
        .unwrap()
        .key_id()
        .to_string();
    let names: Vec<String> = zip_entries(&forged).into_iter().map(|e| e.name).collect();
    assert!(names.contains(&format!("test-bundle/signatures/{mallory_id}.pub")));
    let (code, errors, report) = check(&f, "t.zip", &forged, &[]);
    assert_eq!(code, 3, "{report:#}");
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(report["verdict"], "untrusted");
    assert_eq!(sig_statuses(&report), ["valid-untrusted"]);
    assert!(all_codes(&report).contains(&"signature.untrusted-key".into()));
    // No key named at all, or a keyring of the real key: untrusted too.
    assert_eq!(docseal(&["verify", &f.p("t.zip"), "-q"]).code, 3);
    fs::create_dir(f.path("ring")).unwrap();
    fs::copy(f.path("alice.pub"), f.path("ring/alice.pub")).unwrap();
    let ring = docseal(&["verify", &f.p("t.zip"), "-q", "--keyring", &f.p("ring")]);
    assert_eq!(ring.code, 3, "{}", ring.stdout);
    assert_extracts_nothing(&f, "t.zip");
    // Only a user who names mallory's key trusts it.
    let (code, _, _) = verify_json(&f.path("t.zip"), &f.path("mallory.pub"), &[]);
    assert_eq!(code, 0);
}

#[test]
fn keeping_the_original_signature_beside_the_attackers_makes_it_invalid() {
    let f = Fixture::new();
    f.key("mallory");
    let mut e = altered(&f);
    sync_json(&mut e);
    sync_manifest(&mut e);
    sync_tagmanifest(&mut e);
    let comment = docseal::manifest::BundleManifest::parse(get(&e, "docseal.json"))
        .unwrap()
        .trusted_comment();
    add_signature_with(&mut e, &secret_key(&f.path("mallory.key")), &comment);
    // Intact as a bag, but the trusted key's signature no longer verifies:
    // untrusted, never valid, and the broken signature is named.
    let (code, errors, report) = check(&f, "t.zip", &raw_zip(&e), &[]);
    assert_eq!(code, 3, "{report:#}");
    assert!(errors.is_empty(), "{errors:?}");
    assert!(all_codes(&report).contains(&"signature.invalid".into()));
    assert_eq!(report["verdict"], "untrusted");
    // The attacker's signature alone, without his .pub: a key nobody
    // trusts and nobody can check.
    e.retain(|(n, _)| !rel(n).starts_with(b"signatures/"));
    add_signature_with(&mut e, &secret_key(&f.path("mallory.key")), &comment);
    e.retain(|(n, _)| !n.ends_with(b".pub"));
    let (code, errors, report) = check(&f, "t.zip", &raw_zip(&e), &[]);
    assert_eq!(code, 3, "{report:#}");
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(sig_statuses(&report), ["unverifiable"]);
    assert!(all_codes(&report).contains(&"signature.unknown-key".into()));
}

/// A copy of `secret` whose key id is `id`: key ids are not bound to the
/// key, so anyone can make a key that claims another's id.
fn with_key_id(secret: &str, id: docseal::minisign::KeyId) -> String {
    let (comment, rest) = secret.split_once('\n').unwrap();
    let mut raw = STANDARD.decode(rest.trim_end()).unwrap();
    raw[54..62].copy_from_slice(&id.0);
    // An unencrypted key may carry a zero checksum (minisign -G -W does).
    raw[126..158].fill(0);
    format!("{comment}\n{}\n", STANDARD.encode(raw))
}

#[test]
fn a_key_forging_the_trusted_key_id_is_caught() {
    let f = Fixture::new();
    f.key("mallory");
    let alice = docseal::keys::read_public_key(&f.path("alice.pub")).unwrap();
    let mallory = fs::read_to_string(f.path("mallory.key")).unwrap();
    fs::write(f.path("forged.key"), with_key_id(&mallory, alice.key_id())).unwrap();
    assert_eq!(secret_key(&f.path("forged.key")).key_id(), alice.key_id());
    let mut e = resign_entries(&altered(&f), &f.path("forged.key"));
    let (code, errors, report) = check(&f, "t.zip", &raw_zip(&e), &[]);
    assert_eq!(code, 3, "{report:#}");
    assert!(errors.is_empty(), "{errors:?}");
    let all = all_codes(&report);
    for want in ["signature.embedded-key-mismatch", "signature.invalid"] {
        assert!(all.contains(&want.into()), "{want}: {all:?}");
    }
    e.retain(|(n, _)| !n.ends_with(b".pub"));
    let (code, errors, report) = check(&f, "t.zip", &raw_zip(&e), &[]);
    assert_eq!((code, errors), (3, vec![]));
    assert!(all_codes(&report).contains(&"signature.invalid".into()));
}

#[test]
fn a_signature_moved_from_another_bundle_of_the_same_signer_is_refused() {
    let f = Fixture::new();
    let mut e = entries(&f);
    f.pack_a_day_later("other.zip");
    let other = zip_contents(&fs::read(f.path("other.zip")).unwrap());
    let moved = other
        .iter()
        .find(|(n, _)| n.ends_with(b".minisig"))
        .unwrap()
        .clone();
    let at = e
        .iter()
        .position(|(n, _)| n.ends_with(b".minisig"))
        .unwrap();
    assert_eq!(e[at].0, moved.0, "same signer, same file name");
    e[at].1 = moved.1;
    let (code, errors, report) = check(&f, "t.zip", &raw_zip(&e), &[]);
    assert_eq!(code, 3, "{report:#}");
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(sig_statuses(&report), ["invalid"]);
    // A real signature by the trusted key over this very tag manifest, but
    // made for another identity (here: claiming to be version 2).
    let m = docseal::manifest::BundleManifest::parse(get(&e, "docseal.json")).unwrap();
    let b = &m.bundle;
    let v2 = docseal::manifest::trusted_comment(&b.identifier, 2, &b.created);
    add_signature_with(&mut e, &secret_key(&f.path("alice.key")), &v2);
    let (code, errors, report) = check(&f, "t.zip", &raw_zip(&e), &[]);
    assert_eq!(code, 3, "{report:#}");
    assert!(errors.is_empty(), "{errors:?}");
    assert!(all_codes(&report).contains(&"signature.comment-mismatch".into()));
    assert_eq!(sig_statuses(&report), ["wrong-comment"]);
}

#[test]
fn malformed_trusted_key_files_are_bad_input_naming_the_file() {
    let f = Fixture::new();
    bundle(&f);
    let text = fs::read_to_string(f.path("alice.pub")).unwrap();
    let (comment, b64) = text.trim_end().split_once('\n').unwrap();
    // (CRLF files are accepted, as stock minisign accepts them: tests/it/keyfiles.rs.)
    let cases = [
        (
            "truncated.pub",
            format!("{comment}\n{}\n", &b64[..b64.len() - 4]),
        ),
        (
            "one-short.pub",
            format!("{comment}\n{}\n", &b64[..b64.len() - 1]),
        ),
        ("padded.pub", format!("{comment}\n{b64}==\n")),
        ("longer.pub", format!("{comment}\n{b64}AAAA\n")),
        ("space.pub", format!("{comment}\n{b64} \n")),
    ];
    for (name, content) in cases {
        fs::write(f.path(name), content).unwrap();
        let r = docseal(&["verify", &f.p("b.zip"), "-p", &f.p(name)]);
        assert_eq!(r.code, 4, "{name}: {}{}", r.stdout, r.stderr);
        assert!(
            r.stderr
                .starts_with(&format!("docseal: error: {}: ", f.p(name))),
            "{name}: {}",
            r.stderr
        );
        assert_eq!(r.stderr.lines().count(), 1, "{name}: {}", r.stderr);
        assert!(r.stdout.is_empty(), "{name}: no verdict printed");
    }
    // The same through --keyring, and for list and extract.
    fs::create_dir(f.path("ring")).unwrap();
    fs::copy(f.path("truncated.pub"), f.path("ring/truncated.pub")).unwrap();
    let r = docseal(&["verify", &f.p("b.zip"), "--keyring", &f.p("ring")]);
    assert_eq!(r.code, 4, "{}", r.stderr);
    assert!(r.stderr.contains("truncated.pub"), "{}", r.stderr);
    assert_eq!(
        docseal(&["list", &f.p("b.zip"), "-p", &f.p("truncated.pub")]).code,
        4
    );
    let r = docseal(&[
        "extract",
        &f.p("b.zip"),
        "-p",
        &f.p("truncated.pub"),
        "-o",
        &f.p("x"),
    ]);
    assert_eq!(r.code, 4);
    assert!(!f.path("x").exists());
}

#[test]
fn a_threshold_counts_distinct_keys_not_key_ids_or_keyring_entries() {
    let f = Fixture::new();
    // One key listed twice in a keyring counts once.
    f.pack("b.zip");
    fs::create_dir(f.path("ring")).unwrap();
    fs::copy(f.path("alice.pub"), f.path("ring/alice.pub")).unwrap();
    fs::copy(f.path("alice.pub"), f.path("ring/alice-again.pub")).unwrap();
    let ring = f.p("ring");
    let two = ["--keyring", ring.as_str(), "--threshold", "2"];
    let (code, _, report) = check(&f, "b.zip", &fs::read(f.path("b.zip")).unwrap(), &two);
    assert_eq!(code, 3, "{report:#}");
    assert_eq!(report["verdict"], "untrusted");
    // The same key under a second key id, with a second signature by it:
    // two signature files, two trusted .pub files, still one key.
    let alice = fs::read_to_string(f.path("alice.key")).unwrap();
    let other_id = docseal::minisign::KeyId([7, 7, 7, 7, 7, 7, 7, 7]);
    fs::write(f.path("alias.key"), with_key_id(&alice, other_id)).unwrap();
    let alias = secret_key(&f.path("alias.key"));
    assert_eq!(alias.key_id(), other_id);
    fs::write(f.path("ring/alias.pub"), alias.public_key().to_file_text()).unwrap();
    let mut e = entries(&f);
    let comment = docseal::manifest::BundleManifest::parse(get(&e, "docseal.json"))
        .unwrap()
        .trusted_comment();
    add_signature_with(&mut e, &alias, &comment);
    let (code, errors, report) = check(&f, "t.zip", &raw_zip(&e), &two);
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(
        sig_statuses(&report),
        ["valid-trusted", "valid-trusted"],
        "both verify"
    );
    assert_eq!(code, 3, "but they are one key: {report:#}");
    // A really different second key meets the threshold.
    f.key("bob");
    fs::copy(f.path("bob.pub"), f.path("ring/bob.pub")).unwrap();
    add_signature_with(&mut e, &secret_key(&f.path("bob.key")), &comment);
    let (code, _, report) = check(&f, "t.zip", &raw_zip(&e), &two);
    assert_eq!(code, 0, "{report:#}");
}

#[test]
fn a_broken_or_junk_co_signature_never_discredits_the_trusted_one() {
    let f = Fixture::new();
    f.key("bob");
    let mut e = entries(&f);
    let comment = docseal::manifest::BundleManifest::parse(get(&e, "docseal.json"))
        .unwrap()
        .trusted_comment();
    add_signature_with(&mut e, &secret_key(&f.path("bob.key")), &comment);
    let bob = secret_key(&f.path("bob.key")).key_id();
    let sig_name = format!("signatures/{bob}.minisig");
    // Break bob's signature: one base64 letter of the signature line swapped.
    let text = String::from_utf8(get(&e, &sig_name).to_vec()).unwrap();
    let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
    let mut chars: Vec<char> = lines[1].chars().collect();
    chars[20] = if chars[20] == 'A' { 'B' } else { 'A' };
    lines[1] = chars.into_iter().collect();
    set(&mut e, &sig_name, format!("{}\n", lines.join("\n")));
    let (code, errors, report) = check(&f, "t.zip", &raw_zip(&e), &[]);
    assert_eq!(code, 0, "{report:#}");
    assert!(errors.is_empty(), "{errors:?}");
    let warned: Vec<&serde_json::Value> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|x| x["code"] == "signature.invalid")
        .collect();
    assert_eq!(warned.len(), 1, "{report:#}");
    assert_eq!(warned[0]["severity"], "warning");
    assert_eq!(warned[0]["file"], sig_name.as_str());
    // A file that is no signature at all: a canonical zip has no place for
    // it (the container is not docseal's, every byte counts there); read
    // leniently it is a warning, and the trusted signature decides.
    add(&mut e, b"signatures/README.txt", b"not a signature\n");
    canonical(&mut e);
    let (code, errors, _) = check(&f, "t2.zip", &raw_zip(&e), &[]);
    assert_eq!(
        (code, errors),
        (1, vec!["zip.non-canonical-order".to_owned()])
    );
    let (code, errors, report) = check(&f, "t2.zip", &raw_zip(&e), &["--allow-repacked"]);
    assert_eq!(code, 0, "{report:#}");
    assert!(errors.is_empty(), "{errors:?}");
    assert!(all_codes(&report).contains(&"signature.unexpected-file".into()));
}
