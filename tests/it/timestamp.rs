//! RFC 3161 timestamps end to end, against a local TSA (`openssl ts -reply`
//! on loopback, see `tsa.rs`): good tokens verified by docseal and by
//! `openssl ts -verify`, every way a TSA or a stored token can be wrong,
//! re-timestamping, stripping, and the byte-flip property.

mod tsa;

use std::fs;
use std::path::Path;
use std::sync::{Arc, OnceLock};

use tsa::{openssl, Kind, LocalTsa, Mode, Pki};

use crate::common::*;

/// One PKI per key type for the whole test binary (key generation is slow).
fn pki(kind: Kind) -> Arc<Pki> {
    static P256: OnceLock<Arc<Pki>> = OnceLock::new();
    static RSA: OnceLock<Arc<Pki>> = OnceLock::new();
    let cell = match kind {
        Kind::P256 => &P256,
        Kind::Rsa2048 => &RSA,
    };
    cell.get_or_init(|| {
        let p = Pki::new(kind);
        p.issue(
            "expired.crt",
            "tsa_ext",
            "20200101000000Z",
            "20210101000000Z",
        );
        p.issue(
            "not-yet.crt",
            "tsa_ext",
            "20400101000000Z",
            "20450101000000Z",
        );
        p.issue(
            "noeku.crt",
            "noeku_ext",
            "20240101000000Z",
            "20450101000000Z",
        );
        p.issue(
            "noncritical.crt",
            "noncritical_ext",
            "20240101000000Z",
            "20450101000000Z",
        );
        Arc::new(p)
    })
    .clone()
}

fn have_openssl() -> bool {
    require("openssl")
}

/// The data of the entry whose bag-relative name is `rel`.
fn entry(bundle: &[u8], rel: &str) -> Vec<u8> {
    zip_contents(bundle)
        .into_iter()
        .find(|(n, _)| n.ends_with(format!("/{rel}").as_bytes()))
        .unwrap_or_else(|| panic!("no entry {rel}"))
        .1
}

/// The bundle with entry `rel` replaced by `data` (or removed, for None), every CRC right.
fn with_entry(bundle: &[u8], rel: &str, data: Option<&[u8]>) -> Vec<u8> {
    let suffix = format!("/{rel}");
    let entries: Vec<(Vec<u8>, Vec<u8>)> = zip_contents(bundle)
        .into_iter()
        .filter_map(|(n, d)| match (n.ends_with(suffix.as_bytes()), data) {
            (true, Some(new)) => Some((n, new.to_vec())),
            (true, None) => None,
            (false, _) => Some((n, d)),
        })
        .collect();
    raw_zip(&entries)
}

fn key_id(f: &Fixture) -> String {
    let text = fs::read_to_string(f.path("alice.pub")).unwrap();
    docseal::minisign::PublicKey::parse(&text)
        .unwrap()
        .key_id()
        .to_string()
}

/// Packs b.zip and timestamps it with a good TSA of `kind`.
fn stamped(f: &Fixture, kind: Kind) -> Vec<u8> {
    let p = pki(kind);
    let tsa = LocalTsa::start(p, Mode::Good);
    let b = f.pack("b.zip");
    docseal(&["timestamp", &f.p("b.zip"), "--tsa", &tsa.url, "-q"]).expect(0);
    fs::read(b).unwrap()
}

fn verify_with(f: &Fixture, bundle: &str, extra: &[&str]) -> (i32, Vec<String>, serde_json::Value) {
    verify_json(&f.path(bundle), &f.path("alice.pub"), extra)
}

fn root(kind: Kind) -> String {
    pki(kind).path("root.crt").display().to_string()
}

fn warnings(report: &serde_json::Value) -> Vec<String> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["severity"] == "warning")
        .map(|f| f["code"].as_str().unwrap().to_owned())
        .filter(|c| c.starts_with("timestamp."))
        .collect()
}

#[test]
fn a_good_token_verifies_in_docseal_in_openssl_and_leaves_minisign_unaffected() {
    if !have_openssl() {
        return;
    }
    for kind in [Kind::P256, Kind::Rsa2048] {
        let f = Fixture::new();
        let bundle = stamped(&f, kind);
        let id = key_id(&f);
        let (code, errors, j) = verify_with(&f, "b.zip", &["--tsa-cert", &root(kind)]);
        assert_eq!((code, errors), (0, vec![]), "{kind:?}: {j}");
        let t = &j["signatures"][0]["timestamps"][0];
        assert_eq!(t["status"], "trusted", "{t}");
        assert_eq!(t["file"], format!("signatures/{id}.0.tsr"));
        assert!(
            t["tsa"].as_str().unwrap().contains("docseal test TSA"),
            "{t}"
        );
        let not_checked = j["not_checked"].to_string();
        assert!(!not_checked.contains("the signing time"), "{not_checked}");
        let text = docseal(&[
            "verify",
            "--verbose",
            &f.p("b.zip"),
            "-p",
            &f.p("alice.pub"),
            "--tsa-cert",
            &root(kind),
        ])
        .expect(0);
        assert!(
            text.stdout.contains("timestamped no later than 20"),
            "{}",
            text.stdout
        );
        assert!(text.stdout.contains("(trusted)"), "{}", text.stdout);

        // The stored token, the signature file and the root: openssl agrees.
        fs::write(
            f.path("t.tsr"),
            entry(&bundle, &format!("signatures/{id}.0.tsr")),
        )
        .unwrap();
        fs::write(
            f.path("s.minisig"),
            entry(&bundle, &format!("signatures/{id}.minisig")),
        )
        .unwrap();
        let o = openssl(
            f.dir.path(),
            &[
                "ts",
                "-verify",
                "-in",
                "t.tsr",
                "-data",
                "s.minisig",
                "-CAfile",
                &root(kind),
            ],
        );
        assert!(String::from_utf8_lossy(&o.stdout).contains("Verification: OK"));

        // Stock minisign still verifies the signature: the token is beside it.
        fs::write(
            f.path("tagmanifest-sha256.txt"),
            entry(&bundle, "tagmanifest-sha256.txt"),
        )
        .unwrap();
        if let Some(r) = run_tool(
            "minisign",
            &[
                "-V",
                "-m",
                "tagmanifest-sha256.txt",
                "-x",
                "s.minisig",
                "-p",
                "alice.pub",
            ],
            f.dir.path(),
        ) {
            assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
        }
    }
}

#[test]
fn pack_and_sign_timestamp_their_signatures_and_list_shows_the_tokens() {
    if !have_openssl() {
        return;
    }
    let f = Fixture::new();
    f.key("bob");
    let tsa = LocalTsa::start(pki(Kind::P256), Mode::Good);
    let (input, key, out) = (f.p("in"), f.p("alice.key"), f.p("b.zip"));
    docseal(&[
        "pack", &input, "-q", "-s", &key, "-o", &out, "--tsa", &tsa.url,
    ])
    .expect(0);
    docseal(&["sign", &out, "-q", "-s", &f.p("bob.key"), "--tsa", &tsa.url]).expect(0);
    let (code, errors, j) = verify_with(
        &f,
        "b.zip",
        &["--tsa-cert", &root(Kind::P256), "--require-timestamp"],
    );
    assert_eq!((code, errors), (0, vec![]), "{j}");
    for s in j["signatures"].as_array().unwrap() {
        assert_eq!(s["timestamps"][0]["status"], "trusted", "{s}");
    }
    let list = docseal(&["list", &out]).expect(0);
    assert_eq!(
        list.stdout.matches("  timestamp  signatures/").count(),
        2,
        "{}",
        list.stdout
    );
    assert!(list.stdout.contains("(not verified)"), "{}", list.stdout);
}

#[test]
fn two_tsas_and_re_timestamping_add_tokens_and_keep_the_old_ones() {
    if !have_openssl() {
        return;
    }
    let f = Fixture::new();
    let id = key_id(&f);
    let a = LocalTsa::start(pki(Kind::P256), Mode::Good);
    let b = LocalTsa::start(pki(Kind::Rsa2048), Mode::Good);
    f.pack("b.zip");
    docseal(&[
        "timestamp",
        &f.p("b.zip"),
        "--tsa",
        &a.url,
        "--tsa",
        &b.url,
        "-o",
        &f.p("two.zip"),
        "-q",
    ])
    .expect(0);
    let two = fs::read(f.path("two.zip")).unwrap();
    docseal(&[
        "timestamp",
        &f.p("two.zip"),
        "--tsa",
        &a.url,
        "-o",
        &f.p("three.zip"),
        "-q",
    ])
    .expect(0);
    let three = fs::read(f.path("three.zip")).unwrap();
    for n in 0..2 {
        let name = format!("signatures/{id}.{n}.tsr");
        assert_eq!(
            entry(&two, &name),
            entry(&three, &name),
            "{name} kept byte for byte"
        );
    }
    let both = [
        "--tsa-cert",
        &root(Kind::P256),
        "--tsa-cert",
        &root(Kind::Rsa2048),
    ];
    let (code, errors, j) = verify_with(&f, "three.zip", &both);
    assert_eq!((code, errors), (0, vec![]), "{j}");
    let statuses: Vec<&str> = j["signatures"][0]["timestamps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["status"].as_str().unwrap())
        .collect();
    assert_eq!(statuses, ["trusted"; 3]);
    // Pinning one TSA's root leaves the other's token untrusted, never a proof.
    let (code, _, j) = verify_with(&f, "three.zip", &["--tsa-cert", &root(Kind::Rsa2048)]);
    assert_eq!(code, 0);
    let t = &j["signatures"][0]["timestamps"];
    assert_eq!(
        (t[0]["status"].as_str(), t[1]["status"].as_str()),
        (Some("untrusted"), Some("trusted")),
        "{t}"
    );
    // Reproducible: the same parts give the same bundle.
    let again = with_entry(&three, "bagit.txt", Some(&entry(&three, "bagit.txt")));
    assert_eq!(
        again, three,
        "the canonical writer and the test's raw writer agree"
    );
}

#[test]
fn an_unpinned_or_stripped_token_is_not_a_proof_and_require_timestamp_exits_3() {
    if !have_openssl() {
        return;
    }
    let f = Fixture::new();
    let bundle = stamped(&f, Kind::P256);
    let id = key_id(&f);
    // No TSA pinned, or another TSA's root pinned: untrusted, a warning.
    for extra in [vec![], vec!["--tsa-cert".to_owned(), root(Kind::Rsa2048)]] {
        let args: Vec<&str> = extra.iter().map(String::as_str).collect();
        let (code, errors, j) = verify_with(&f, "b.zip", &args);
        assert_eq!((code, errors), (0, vec![]), "{j}");
        assert_eq!(j["signatures"][0]["timestamps"][0]["status"], "untrusted");
        assert!(warnings(&j).contains(&"timestamp.untrusted".to_owned()));
        assert!(j["not_checked"].to_string().contains("the signing time"));
        let mut args = args.clone();
        args.push("--require-timestamp");
        let (code, _, j) = verify_with(&f, "b.zip", &args);
        assert_eq!(code, 3, "{j}");
        assert!(warnings(&j).contains(&"timestamp.missing".to_owned()));
    }
    // Stripped: the bundle is as packed, intact; only --require-timestamp catches it.
    fs::write(
        f.path("stripped.zip"),
        with_entry(&bundle, &format!("signatures/{id}.0.tsr"), None),
    )
    .unwrap();
    let pin = ["--tsa-cert".to_owned(), root(Kind::P256)];
    let pin: Vec<&str> = pin.iter().map(String::as_str).collect();
    let (code, errors, j) = verify_with(&f, "stripped.zip", &pin);
    assert_eq!((code, errors), (0, vec![]), "{j}");
    let (code, _, j) = verify_with(&f, "stripped.zip", &[pin[0], pin[1], "--require-timestamp"]);
    assert_eq!(code, 3, "{j}");
    let text = docseal(&[
        "verify",
        &f.p("stripped.zip"),
        "-p",
        &f.p("alice.pub"),
        pin[0],
        pin[1],
        "--require-timestamp",
    ]);
    assert_eq!(text.code, 3);
}

/// A token the TSA of `kind` makes over the bytes of `sig`, answered as `mode` would.
fn token_over(kind: Kind, sig: &Path, mode: &Mode) -> Vec<u8> {
    let p = pki(kind);
    let q = p.path(&format!("t{}.tsq", tsa::unique()));
    openssl(
        p.dir.path(),
        &[
            "ts",
            "-query",
            "-data",
            &sig.display().to_string(),
            "-sha256",
            "-cert",
            "-out",
            &q.display().to_string(),
        ],
    );
    match mode {
        Mode::Cert(c) => p.reply(&q, c, "ts.cnf"),
        Mode::Forged(c) => p.forge(&p.reply(&q, "tsa.crt", "ts.cnf"), c),
        Mode::EssSha1 => p.reply(&q, "tsa.crt", "ts-sha1.cnf"),
        Mode::Sha1Imprint => {
            openssl(
                p.dir.path(),
                &[
                    "ts",
                    "-query",
                    "-data",
                    &sig.display().to_string(),
                    "-sha1",
                    "-cert",
                    "-out",
                    &q.display().to_string(),
                ],
            );
            p.reply(&q, "tsa.crt", "ts.cnf")
        }
        Mode::OtherBytes => {
            fs::write(q.with_extension("other"), b"other bytes").unwrap();
            let other = q.with_extension("other").display().to_string();
            openssl(
                p.dir.path(),
                &[
                    "ts",
                    "-query",
                    "-data",
                    &other,
                    "-sha256",
                    "-cert",
                    "-out",
                    &q.display().to_string(),
                ],
            );
            p.reply(&q, "tsa.crt", "ts.cnf")
        }
        Mode::Garbage => b"\x30\x03\x02\x01\x00 garbage".to_vec(),
        _ => p.reply(&q, "tsa.crt", "ts.cnf"),
    }
}

#[test]
fn a_stored_token_that_is_wrong_in_any_way_is_no_proof_of_time() {
    if !have_openssl() {
        return;
    }
    for kind in [Kind::P256, Kind::Rsa2048] {
        let f = Fixture::new();
        let bundle = stamped(&f, kind);
        let id = key_id(&f);
        let name = format!("signatures/{id}.0.tsr");
        fs::write(
            f.path("s.minisig"),
            entry(&bundle, &format!("signatures/{id}.minisig")),
        )
        .unwrap();
        let cases = [
            (Mode::OtherBytes, "timestamp.imprint-mismatch"),
            (Mode::Sha1Imprint, "timestamp.weak-hash"),
            (Mode::EssSha1, "timestamp.weak-hash"),
            (Mode::Forged("noeku.crt".into()), "timestamp.eku"),
            (Mode::Forged("noncritical.crt".into()), "timestamp.eku"),
            (Mode::Cert("expired.crt".into()), "timestamp.cert-not-valid"),
            (Mode::Cert("not-yet.crt".into()), "timestamp.cert-not-valid"),
            (Mode::Garbage, "timestamp.unparseable"),
        ];
        for (mode, want) in cases {
            let token = token_over(kind, &f.path("s.minisig"), &mode);
            fs::write(f.path("bad.zip"), with_entry(&bundle, &name, Some(&token))).unwrap();
            // Like a junk signature, a bad token is a warning: anyone can add
            // files under signatures/, so it is no damage to the content.
            let (code, errors, j) = verify_with(&f, "bad.zip", &["--tsa-cert", &root(kind)]);
            assert_eq!((code, errors), (0, vec![]), "{kind:?} {mode:?}: {j}");
            assert_eq!(
                warnings(&j),
                vec![want.to_owned()],
                "{kind:?} {mode:?}: {j}"
            );
            assert_eq!(j["signatures"][0]["timestamps"][0]["status"], "invalid");
            assert!(
                j["not_checked"].to_string().contains("the signing time"),
                "{j}"
            );
            // ... and no proof: --require-timestamp leaves the bundle untrusted.
            let (code, _, j) = verify_with(
                &f,
                "bad.zip",
                &["--tsa-cert", &root(kind), "--require-timestamp"],
            );
            assert_eq!(code, 3, "{kind:?} {mode:?}: {j}");
        }
        // The control: a fresh good token over the same file is accepted.
        let good = token_over(kind, &f.path("s.minisig"), &Mode::Good);
        fs::write(f.path("good.zip"), with_entry(&bundle, &name, Some(&good))).unwrap();
        let (code, errors, j) = verify_with(&f, "good.zip", &["--tsa-cert", &root(kind)]);
        assert_eq!((code, errors), (0, vec![]), "{j}");
    }
}

#[test]
fn a_tsa_that_fails_or_answers_badly_is_a_clear_error_and_nothing_is_written() {
    if !have_openssl() {
        return;
    }
    let f = Fixture::new();
    let bundle = fs::read(f.pack("b.zip")).unwrap();
    let cases = [
        (Mode::WrongNonce, "timestamp.nonce-mismatch"),
        (Mode::OtherBytes, "timestamp.imprint-mismatch"),
        (Mode::Sha1Imprint, "timestamp.weak-hash"),
        (Mode::EssSha1, "timestamp.weak-hash"),
        (Mode::Rejected, "timestamp.not-granted"),
        (Mode::Garbage, "timestamp.unparseable"),
        (Mode::ServerError, "HTTP 500"),
        (Mode::Forged("noeku.crt".into()), "timestamp.eku"),
        (Mode::Cert("expired.crt".into()), "timestamp.cert-not-valid"),
        (Mode::Cert("not-yet.crt".into()), "timestamp.cert-not-valid"),
    ];
    let good = LocalTsa::start(pki(Kind::Rsa2048), Mode::Good);
    for (mode, want) in cases {
        let bad = LocalTsa::start(pki(Kind::P256), mode.clone());
        // A good TSA first does not make a partial bundle either.
        let r = docseal(&[
            "timestamp",
            &f.p("b.zip"),
            "--tsa",
            &good.url,
            "--tsa",
            &bad.url,
            "-o",
            &f.p("out.zip"),
        ]);
        assert_eq!(r.code, 5, "{mode:?}: {}", r.stderr);
        assert!(r.stderr.contains(want), "{mode:?}: {}", r.stderr);
        assert!(r.stderr.contains(&bad.url), "{mode:?}: {}", r.stderr);
        assert_eq!(r.stderr.lines().count(), 1, "one line: {}", r.stderr);
        assert!(!f.path("out.zip").exists(), "{mode:?}: nothing written");
        // In place, the bundle is left as it was.
        let r = docseal(&["timestamp", &f.p("b.zip"), "--tsa", &bad.url]);
        assert_eq!(r.code, 5, "{mode:?}: {}", r.stderr);
        assert_eq!(fs::read(f.path("b.zip")).unwrap(), bundle, "{mode:?}");
        // pack --tsa fails the same way, leaving no bundle.
        let r = docseal(&[
            "pack",
            &f.p("in"),
            "-q",
            "-s",
            &f.p("alice.key"),
            "-o",
            &f.p("p.zip"),
            "--tsa",
            &bad.url,
        ]);
        assert_eq!(r.code, 5, "{mode:?}: {}", r.stderr);
        assert!(!f.path("p.zip").exists());
    }
    // Nobody listening.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let r = docseal(&[
        "timestamp",
        &f.p("b.zip"),
        "--tsa",
        &format!("http://127.0.0.1:{port}/"),
        "-o",
        &f.p("out.zip"),
    ]);
    assert_eq!(r.code, 5, "{}", r.stderr);
    assert!(r.stderr.contains("cannot reach the TSA"), "{}", r.stderr);
    assert!(!f.path("out.zip").exists());
}

#[test]
fn every_single_byte_change_of_a_timestamped_bundle_fails_verification() {
    if !have_openssl() {
        return;
    }
    let f = Fixture::new();
    let bundle = stamped(&f, Kind::P256);
    let key = docseal::keys::read_public_key(&f.path("alice.pub")).unwrap();
    let mut trust = docseal::timestamp::TsaTrust {
        require: true,
        ..Default::default()
    };
    trust
        .pin(&fs::read(pki(Kind::P256).path("root.crt")).unwrap())
        .unwrap();
    let opts = docseal::verify::VerifyOptions {
        trusted: vec![docseal::verify::TrustedKey::from_file(key, "alice.pub")],
        timestamps: trust,
        ..Default::default()
    };
    let path = f.path("flip.zip");
    fs::write(&path, &bundle).unwrap();
    let ok = docseal::verify::verify(&path, &opts, &docseal::progress::Silent).unwrap();
    assert_eq!(
        ok.report.verdict,
        docseal::report::Verdict::Valid,
        "{:?}",
        ok.report.findings
    );
    let mut survivors = Vec::new();
    for i in 0..bundle.len() {
        let mut b = bundle.clone();
        b[i] ^= 0xff;
        fs::write(&path, &b).unwrap();
        let v = docseal::verify::verify(&path, &opts, &docseal::progress::Silent);
        if v.is_ok_and(|v| v.report.verdict == docseal::report::Verdict::Valid) {
            survivors.push(i);
        }
    }
    assert!(
        survivors.is_empty(),
        "{} of {} flips verify, first at {:?}",
        survivors.len(),
        bundle.len(),
        survivors.first()
    );
    // And with every CRC fixed, so that only the token's own checks can catch a flip in it.
    let id = key_id(&f);
    let token = entry(&bundle, &format!("signatures/{id}.0.tsr"));
    let mut survivors = Vec::new();
    for i in 0..token.len() {
        let mut t = token.clone();
        t[i] ^= 0xff;
        fs::write(
            &path,
            with_entry(&bundle, &format!("signatures/{id}.0.tsr"), Some(&t)),
        )
        .unwrap();
        let v = docseal::verify::verify(&path, &opts, &docseal::progress::Silent);
        if v.is_ok_and(|v| v.report.verdict == docseal::report::Verdict::Valid) {
            survivors.push(i);
        }
    }
    assert!(
        survivors.is_empty(),
        "{} of {} token flips verify: {:?}",
        survivors.len(),
        token.len(),
        survivors
    );
}

#[test]
fn history_shows_each_versions_trusted_time() {
    if !have_openssl() {
        return;
    }
    let f = Fixture::new();
    let tsa = LocalTsa::start(pki(Kind::P256), Mode::Good);
    let (input, key) = (f.p("in"), f.p("alice.key"));
    docseal(&[
        "pack",
        &input,
        "-q",
        "-s",
        &key,
        "-o",
        &f.p("v1.zip"),
        "--tsa",
        &tsa.url,
    ])
    .expect(0);
    docseal_env(
        &[
            "pack",
            &input,
            "-q",
            "-s",
            &key,
            "-o",
            &f.p("v2.zip"),
            "--supersedes",
            &f.p("v1.zip"),
            "--tsa",
            &tsa.url,
        ],
        &[("SOURCE_DATE_EPOCH", "1764374400")],
    )
    .expect(0);
    let args = [
        "history",
        &f.p("v2.zip"),
        &f.p("v1.zip"),
        "-p",
        &f.p("alice.pub"),
        "--tsa-cert",
        &root(Kind::P256),
    ];
    let r = docseal(&[&args[..], &["--json"]].concat()).expect(0);
    let j = r.json();
    for (i, v) in j["versions"].as_array().unwrap().iter().enumerate() {
        assert_eq!(v["version"], i as u64 + 1, "{j}");
        assert!(
            v["timestamped"]
                .as_str()
                .is_some_and(|t| t.starts_with("20")),
            "{j}"
        );
    }
    let text = docseal(&args).expect(0);
    assert_eq!(
        text.stdout.matches("timestamped no later than").count(),
        2,
        "{}",
        text.stdout
    );
    // Without the TSA pinned, no time is claimed.
    let r = docseal(&[
        "history",
        &f.p("v2.zip"),
        &f.p("v1.zip"),
        "-p",
        &f.p("alice.pub"),
        "--json",
    ])
    .expect(0);
    assert!(r.json()["versions"][0].get("timestamped").is_none());
}

#[test]
fn bad_tsa_certificates_urls_and_outputs_are_refused_before_any_request() {
    let f = Fixture::new();
    f.pack("b.zip");
    fs::write(
        f.path("junk.pem"),
        "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n",
    )
    .unwrap();
    let r = docseal(&[
        "verify",
        &f.p("b.zip"),
        "-p",
        &f.p("alice.pub"),
        "--tsa-cert",
        &f.p("junk.pem"),
    ]);
    assert_eq!(r.code, 4, "{}", r.stderr);
    assert!(
        r.stderr.contains("junk.pem") && r.stdout.is_empty(),
        "{}",
        r.stderr
    );
    fs::create_dir(f.path("empty-ring")).unwrap();
    let r = docseal(&[
        "verify",
        &f.p("b.zip"),
        "-p",
        &f.p("alice.pub"),
        "--tsa-keyring",
        &f.p("empty-ring"),
    ]);
    assert_eq!(r.code, 4, "{}", r.stderr);
    // No --tsa is a usage error; an existing --output is refused without --force.
    assert_eq!(docseal(&["timestamp", &f.p("b.zip")]).code, 2);
    fs::write(f.path("out.zip"), b"keep").unwrap();
    let r = docseal(&[
        "timestamp",
        &f.p("b.zip"),
        "--tsa",
        "http://127.0.0.1:9/",
        "-o",
        &f.p("out.zip"),
    ]);
    assert_eq!(r.code, 6, "{}", r.stderr);
    assert_eq!(fs::read(f.path("out.zip")).unwrap(), b"keep");
    let r = docseal(&[
        "timestamp",
        &f.p("b.zip"),
        "--tsa",
        "ftp://example.org/",
        "-o",
        &f.p("o2.zip"),
    ]);
    assert_eq!(r.code, 5, "{}", r.stderr);
    assert!(r.stderr.contains("http:// or https://"), "{}", r.stderr);
}
