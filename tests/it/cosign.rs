//! Co-signing end to end: `sign` with a docseal key and with a signature made
//! by stock minisign, the content left byte for byte as it was, thresholds
//! and keyrings; versions, rollback and key rotation are in [`versions`].

use std::fs;

use crate::common::*;

mod versions;

/// The key id of `<name>.pub`, as minisign prints it.
fn key_id(f: &Fixture, name: &str) -> String {
    docseal::keys::read_public_key(&f.path(&format!("{name}.pub")))
        .expect("public key")
        .key_id()
        .to_string()
}

/// The entries of a bundle outside `signatures/`.
fn content(bundle: &[u8]) -> Vec<(Vec<u8>, Vec<u8>)> {
    zip_contents(bundle)
        .into_iter()
        .filter(|(n, _)| !String::from_utf8_lossy(n).contains("/signatures/"))
        .collect()
}

/// The data of the entry whose name ends with `/<rel>`.
fn entry(bundle: &[u8], rel: &str) -> Vec<u8> {
    zip_contents(bundle)
        .into_iter()
        .find(|(n, _)| n.ends_with(format!("/{rel}").as_bytes()))
        .unwrap_or_else(|| panic!("{rel} in bundle"))
        .1
}

/// `--public-key` arguments for these key names.
fn keys(f: &Fixture, names: &[&str]) -> Vec<String> {
    names
        .iter()
        .flat_map(|n| ["-p".to_owned(), f.p(&format!("{n}.pub"))])
        .collect()
}

/// Verifies `bundle` as JSON trusting `names` with extra arguments.
fn verify(f: &Fixture, bundle: &str, names: &[&str], extra: &[&str]) -> Run {
    let mut args = vec!["verify".to_owned(), f.p(bundle), "--json".to_owned()];
    args.extend(keys(f, names));
    args.extend(extra.iter().map(|s| (*s).to_owned()));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    docseal(&args)
}

/// (key id, status) of every signature in a report.
fn statuses(report: &serde_json::Value) -> Vec<(String, String)> {
    report["signatures"]
        .as_array()
        .expect("signatures")
        .iter()
        .map(|s| {
            (
                s["key_id"].as_str().unwrap().to_owned(),
                s["status"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

/// The findings of a report with this code.
fn with_code<'a>(report: &'a serde_json::Value, code: &str) -> Vec<&'a serde_json::Value> {
    report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|x| x["code"] == code)
        .collect()
}

/// `docseal sign <bundle> -s <name>.key`.
fn sign(f: &Fixture, bundle: &str, name: &str) -> Run {
    docseal(&["sign", &f.p(bundle), "-s", &f.p(&format!("{name}.key"))])
}

/// Sorted, to compare lists of signatures whatever their order.
fn sorted(mut v: Vec<(String, String)>) -> Vec<(String, String)> {
    v.sort();
    v
}

#[test]
fn a_co_signature_meets_threshold_two_and_changes_no_content_byte() {
    let f = Fixture::new();
    f.key("bob");
    let (alice, bob) = (key_id(&f, "alice"), key_id(&f, "bob"));
    let before = fs::read(f.pack("b.zip")).unwrap();
    let run = sign(&f, "b.zip", "bob").expect(0);
    assert_eq!(
        run.stderr,
        format!(
            "docseal: added the signature of key {bob}; wrote {}\n",
            f.p("b.zip")
        )
    );
    let after = fs::read(f.path("b.zip")).unwrap();
    assert_eq!(content(&after), content(&before), "content bytes changed");
    // Alice's signature is kept byte for byte, Bob's is added beside it.
    let root = "test-bundle/signatures/";
    let sigs: Vec<String> = zip_contents(&after)
        .into_iter()
        .map(|(n, _)| String::from_utf8(n).unwrap())
        .filter(|n| n.starts_with(root))
        .collect();
    let mut want: Vec<String> = [&alice, &bob]
        .iter()
        .flat_map(|id| [format!("{root}{id}.minisig"), format!("{root}{id}.pub")])
        .collect();
    want.sort();
    assert_eq!(sigs, want);
    let alice_sig = format!("signatures/{alice}.minisig");
    assert_eq!(entry(&after, &alice_sig), entry(&before, &alice_sig));

    let r = verify(&f, "b.zip", &["alice", "bob"], &["--threshold", "2"]).expect(0);
    let j = r.json();
    assert_eq!(j["verdict"], "valid");
    assert_eq!(j["threshold"], 2);
    assert_eq!(j["container"], "canonical-zip", "still canonical");
    let both = sorted(vec![
        (alice.clone(), "valid-trusted".into()),
        (bob.clone(), "valid-trusted".into()),
    ]);
    assert_eq!(sorted(statuses(&j)), both);
    let text = docseal(&[
        "verify",
        &f.p("b.zip"),
        "-p",
        &f.p("alice.pub"),
        "-p",
        &f.p("bob.pub"),
        "--threshold",
        "2",
    ])
    .expect(0)
    .stdout;
    // Signers are listed in key-id order, and the test keys are random.
    let first = text.lines().next().unwrap_or_default();
    assert!(
        first.starts_with("VALID — intact and signed by ")
            && first.contains("alice (")
            && first.contains("bob ("),
        "{text}"
    );
    assert!(
        text.contains(&format!("signature   {bob} valid, by a key you trust (")),
        "{text}"
    );
}

/// Regression: co-signing an unpacked folder wrote its files in the
/// folder's sorted order under the folder's name, a zip that failed
/// `zip.non-canonical-order`.
#[test]
fn co_signing_an_unpacked_folder_writes_the_canonical_bundle() {
    let f = Fixture::new();
    f.key("bob");
    let bundle = fs::read(f.pack("b.zip")).unwrap();
    f.extract("b.zip", &f.p("unpacked")).expect(0);
    docseal(&[
        "sign",
        &f.p("unpacked"),
        "-q",
        "-s",
        &f.p("bob.key"),
        "-o",
        &f.p("c.zip"),
    ])
    .expect(0);
    let j = verify(&f, "c.zip", &["alice", "bob"], &["--threshold", "2"])
        .expect(0)
        .json();
    assert_eq!(j["container"], "canonical-zip");
    let cosigned = fs::read(f.path("c.zip")).unwrap();
    let names = |b: &[u8]| -> Vec<String> {
        let e = content(b);
        e.into_iter()
            .map(|(n, _)| String::from_utf8(n).unwrap())
            .collect()
    };
    assert_eq!(names(&cosigned), names(&bundle));
    assert!(
        content(&cosigned) == content(&bundle),
        "content bytes differ"
    );
    // The same as co-signing the zip itself, byte for byte.
    sign(&f, "b.zip", "bob").expect(0);
    assert_eq!(fs::read(f.path("b.zip")).unwrap(), cosigned);
}

#[test]
fn thresholds_met_and_not_met() {
    let f = Fixture::new();
    f.key("bob");
    let bob = key_id(&f, "bob");
    f.pack("b.zip");
    sign(&f, "b.zip", "bob").expect(0);
    let cases: [(&[&str], &str, i32, Option<&str>); 6] = [
        (&["alice"], "1", 0, None),
        (&["alice", "bob"], "2", 0, None),
        (
            &["alice", "bob"],
            "3",
            3,
            Some("2 of the 3 required signatures are by keys you trust"),
        ),
        (
            &["alice"],
            "2",
            3,
            Some("1 of the 2 required signatures are by keys you trust"),
        ),
        // The same key given twice is still one signer.
        (
            &["alice", "alice"],
            "2",
            3,
            Some("1 of the 2 required signatures are by keys you trust"),
        ),
        (
            &[],
            "1",
            3,
            Some("0 of the 1 required signatures are by keys you trust (no --public-key or --keyring given)"),
        ),
    ];
    for (names, threshold, code, message) in cases {
        let r = verify(&f, "b.zip", names, &["--threshold", threshold]);
        let j = r.json();
        assert_eq!(r.code, code, "{names:?} {threshold}: {j:#}");
        assert!(codes(&j).is_empty(), "{names:?} {threshold}: {j:#}");
        let unmet = with_code(&j, "signature.threshold-not-met");
        match message {
            Some(m) => {
                assert_eq!(j["verdict"], "untrusted");
                assert_eq!(unmet.len(), 1, "{j:#}");
                assert_eq!(unmet[0]["severity"], "warning");
                assert_eq!(unmet[0]["message"], m);
            }
            None => assert!(unmet.is_empty(), "{j:#}"),
        }
    }
    // Trusting Alice alone, Bob's valid signature is named, not counted.
    let j = verify(&f, "b.zip", &["alice"], &[]).expect(0).json();
    assert!(statuses(&j).contains(&(bob.clone(), "valid-untrusted".into())));
    let w = with_code(&j, "signature.untrusted-key");
    assert_eq!(w.len(), 1, "{j:#}");
    assert_eq!(w[0]["file"], format!("signatures/{bob}.minisig"));
    assert_eq!(
        w[0]["message"],
        format!("valid signature by key {bob}, which you do not trust")
    );
}

#[test]
fn every_single_byte_change_of_a_co_signed_bundle_fails_verification() {
    let f = Fixture::new();
    f.key("bob");
    f.pack("b.zip");
    sign(&f, "b.zip", "bob").expect(0);
    let bundle = fs::read(f.path("b.zip")).unwrap();
    let key = docseal::keys::read_public_key(&f.path("alice.pub")).unwrap();
    // Alice alone is trusted: Bob's entries are not needed for the verdict,
    // yet no byte of them may change unnoticed either.
    let opts = docseal::verify::VerifyOptions {
        trusted: vec![docseal::verify::TrustedKey::from_file(key, "alice.pub")],
        ..Default::default()
    };
    let path = f.path("flip.zip");
    fs::write(&path, &bundle).unwrap();
    let ok = docseal::verify::verify(&path, &opts, &docseal::progress::Silent).unwrap();
    assert_eq!(ok.report.verdict, docseal::report::Verdict::Valid);
    assert_eq!(ok.report.signatures.len(), 2);
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

/// A packed, Bob-co-signed bundle, its tag manifest extracted into `tm/`,
/// and a stock-minisign key pair `carol`; returns the trusted comment, or
/// None when minisign is not installed.
fn minisign_setup(f: &Fixture) -> Option<String> {
    f.key("bob");
    let bundle = fs::read(f.pack("b.zip")).unwrap();
    sign(f, "b.zip", "bob").expect(0);
    fs::create_dir(f.path("tm")).unwrap();
    fs::write(
        f.path("tm/tagmanifest-sha256.txt"),
        entry(&bundle, "tagmanifest-sha256.txt"),
    )
    .unwrap();
    let gen = ["-G", "-W", "-p", "carol.pub", "-s", "carol.key"];
    run_tool("minisign", &gen, f.dir.path())?.expect(0);
    let list = docseal(&["list", &f.p("b.zip"), "--json"]).expect(0).json();
    let comments: Vec<&str> = list["listing"]["signatures"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["trusted_comment"].as_str().unwrap())
        .collect();
    assert_eq!(comments.len(), 2);
    assert_eq!(comments[0], comments[1]);
    Some(comments[0].to_owned())
}

/// `minisign -S` over `tm/<message>` with carol's key and trusted comment `tc`.
fn minisign_sign(f: &Fixture, message: &str, tc: &str) {
    let key = f.p("carol.key");
    let args = ["-S", "-s", &key, "-m", message, "-t", tc];
    run_tool("minisign", &args, &f.path("tm"))
        .expect("minisign is installed")
        .expect(0);
}

/// `docseal sign b.zip --minisig tm/<sig> -p carol.pub`.
fn sign_minisig(f: &Fixture, sig: &str) -> Run {
    docseal(&[
        "sign",
        &f.p("b.zip"),
        "--minisig",
        &f.p(&format!("tm/{sig}")),
        "-p",
        &f.p("carol.pub"),
    ])
}

#[test]
fn a_signature_made_by_stock_minisign_is_added_and_counts() {
    let f = Fixture::new();
    let Some(tc) = minisign_setup(&f) else { return };
    assert!(
        tc.starts_with("docseal bundle ")
            && tc.ends_with(" version 1 created 2025-11-28T00:00:00Z"),
        "{tc}"
    );
    minisign_sign(&f, "tagmanifest-sha256.txt", &tc);
    let before = fs::read(f.path("b.zip")).unwrap();
    sign_minisig(&f, "tagmanifest-sha256.txt.minisig").expect(0);
    let after = fs::read(f.path("b.zip")).unwrap();
    assert_eq!(content(&after), content(&before));
    let carol = key_id(&f, "carol");
    // minisign's untrusted comment is replaced by docseal's canonical one.
    let sig = String::from_utf8(entry(&after, &format!("signatures/{carol}.minisig"))).unwrap();
    assert!(
        sig.starts_with(&format!(
            "untrusted comment: docseal signature by key {carol}\n"
        )),
        "{sig}"
    );
    let j = verify(
        &f,
        "b.zip",
        &["alice", "bob", "carol"],
        &["--threshold", "3"],
    )
    .expect(0)
    .json();
    assert_eq!(j["container"], "canonical-zip");
    let st = statuses(&j);
    assert_eq!(st.len(), 3);
    assert!(st.iter().all(|(_, s)| s == "valid-trusted"), "{st:?}");
    assert!(st.contains(&(carol, "valid-trusted".into())));
}

#[test]
fn a_stock_minisign_signature_that_does_not_bind_the_bundle_is_refused() {
    let f = Fixture::new();
    let Some(tc) = minisign_setup(&f) else { return };
    let before = fs::read(f.path("b.zip")).unwrap();
    minisign_sign(&f, "tagmanifest-sha256.txt", "my signature");
    let r = sign_minisig(&f, "tagmanifest-sha256.txt.minisig").expect(4);
    let want = format!(
        "trusted comment \"my signature\" does not bind this bundle; sign with: minisign -S -m tagmanifest-sha256.txt -t \"{tc}\""
    );
    assert!(r.stderr.contains(&want), "{}", r.stderr);
    assert!(r.stderr.starts_with("docseal: error: "), "{}", r.stderr);
    // The right comment over other bytes is refused too, once the key is given.
    fs::write(f.path("tm/other.txt"), b"not the tag manifest\n").unwrap();
    minisign_sign(&f, "other.txt", &tc);
    let r = sign_minisig(&f, "other.txt.minisig").expect(4);
    assert!(
        r.stderr
            .contains("does not verify over this bundle's tag manifest"),
        "{}",
        r.stderr
    );
    assert_eq!(fs::read(f.path("b.zip")).unwrap(), before, "bundle changed");
}

#[test]
fn keyrings_decide_which_signatures_are_trusted() {
    let f = Fixture::new();
    f.key("mallory");
    let alice = key_id(&f, "alice");
    f.pack("b.zip");
    let ring = |dir: &str, names: &[&str]| {
        fs::create_dir(f.path(dir)).unwrap();
        for n in names {
            fs::copy(
                f.path(&format!("{n}.pub")),
                f.path(&format!("{dir}/{n}.pub")),
            )
            .unwrap();
        }
        f.p(dir)
    };
    let good = ring("ring", &["alice", "mallory"]);
    let j = verify(&f, "b.zip", &[], &["--keyring", &good])
        .expect(0)
        .json();
    assert_eq!(statuses(&j), [(alice.clone(), "valid-trusted".to_owned())]);
    assert_eq!(j["signatures"][0]["trusted_key"], f.p("ring/alice.pub"));

    let bad = ring("ring2", &["mallory"]);
    let j = verify(&f, "b.zip", &[], &["--keyring", &bad])
        .expect(3)
        .json();
    assert_eq!(j["verdict"], "untrusted");
    assert_eq!(
        statuses(&j),
        [(alice.clone(), "valid-untrusted".to_owned())]
    );
    let w = with_code(&j, "signature.untrusted-key");
    assert_eq!(
        w[0]["message"],
        format!("valid signature by key {alice}, which you do not trust")
    );
    assert_eq!(with_code(&j, "signature.threshold-not-met").len(), 1);

    fs::create_dir(f.path("empty")).unwrap();
    let r = verify(&f, "b.zip", &[], &["--keyring", &f.p("empty")]).expect(4);
    assert!(
        r.stderr.contains("keyring holds no .pub files"),
        "{}",
        r.stderr
    );
}

#[test]
fn signing_twice_with_the_same_key_is_refused() {
    let f = Fixture::new();
    f.key("bob");
    let (alice, bob) = (key_id(&f, "alice"), key_id(&f, "bob"));
    f.pack("b.zip");
    let r = sign(&f, "b.zip", "alice").expect(1);
    assert!(
        r.stderr
            .contains(&format!("is already signed by key {alice}")),
        "{}",
        r.stderr
    );
    sign(&f, "b.zip", "bob").expect(0);
    let before = fs::read(f.path("b.zip")).unwrap();
    let r = sign(&f, "b.zip", "bob").expect(1);
    assert!(
        r.stderr
            .contains(&format!("is already signed by key {bob}")),
        "{}",
        r.stderr
    );
    assert_eq!(fs::read(f.path("b.zip")).unwrap(), before);
}
