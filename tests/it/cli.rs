//! The commands end to end: round trip, determinism, trust, errors.

use std::fs;
use std::time::{Duration, SystemTime};

use crate::common::*;

#[test]
fn round_trip_pack_verify_list_extract() {
    let f = Fixture::new();
    let bundle = f.pack("b.zip");
    let (code, errors, report) = verify_json(&bundle, &f.path("alice.pub"), &[]);
    assert_eq!((code, errors.len()), (0, 0), "{report:#}");
    assert_eq!(report["format"], "docseal-verify-report");
    assert_eq!(report["verdict"], "valid");
    assert_eq!(report["container"], "canonical-zip");
    assert_eq!(report["signatures"][0]["status"], "valid-trusted");
    assert_eq!(report["files"].as_array().unwrap().len(), 4);
    assert_eq!(report["citations"][0]["ok"], true);

    let text = docseal(&["verify", &f.p("b.zip"), "-p", &f.p("alice.pub")])
        .expect(0)
        .stdout;
    assert!(
        text.starts_with("VALID — intact and signed by alice ("),
        "{text}"
    );
    assert!(
        text.contains("not checked: that a trusted key belongs"),
        "{text}"
    );

    let list = docseal(&["list", &f.p("b.zip"), "--json"]).expect(0).json();
    assert_eq!(list["listing"]["verified"], false);
    let files = list["listing"]["manifest"]["files"].as_array().unwrap();
    let st = files.iter().find(|x| x["role"] == "statement").unwrap();
    assert_eq!(st["path"], "data/statement.txt");
    let plain = docseal(&["list", &f.p("b.zip")]).expect(0).stdout;
    assert!(plain.contains("listing is not verifying"), "{plain}");

    docseal(&[
        "extract",
        &f.p("b.zip"),
        "-p",
        &f.p("alice.pub"),
        "-o",
        &f.p("out"),
    ])
    .expect(0);
    for rel in [
        "statement.txt",
        "sources/gc4.txt",
        "sources/other.txt",
        "notes.md",
    ] {
        assert_eq!(
            fs::read(f.path("out/data").join(rel)).unwrap(),
            fs::read(f.path("in").join(rel)).unwrap(),
            "{rel}"
        );
    }
    // The extracted folder is itself a verifiable bag.
    let (code, _, report) = verify_json(&f.path("out"), &f.path("alice.pub"), &[]);
    assert_eq!(code, 0, "{report:#}");
    assert_eq!(report["container"], "folder");
}

#[test]
fn packing_is_deterministic_whatever_the_mtimes() {
    let f = Fixture::new();
    let a = fs::read(f.pack("a.zip")).unwrap();
    let old = SystemTime::now() - Duration::from_secs(86_400 * 400);
    for rel in ["statement.txt", "sources/gc4.txt", "notes.md"] {
        let file = fs::File::options()
            .write(true)
            .open(f.path("in").join(rel))
            .unwrap();
        file.set_modified(old).unwrap();
    }
    let b = fs::read(f.pack("b.zip")).unwrap();
    assert_eq!(a, b, "two packs of the same input differ");
    let c = f.pack_a_day_later("c.zip");
    assert!(c.stderr.is_empty());
    assert_ne!(
        a,
        fs::read(f.path("c.zip")).unwrap(),
        "the pack time is part of the signed identity"
    );
}

#[test]
fn a_key_nobody_trusts_is_named_and_the_verdict_fails() {
    let f = Fixture::new();
    f.key("mallory");
    let bundle = f.pack("b.zip");
    let (code, errors, report) = verify_json(&bundle, &f.path("mallory.pub"), &[]);
    assert_eq!(code, 3, "{report:#}");
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(report["verdict"], "untrusted");
    let alice_id = fs::read_to_string(f.path("alice.pub")).unwrap();
    let sig = &report["signatures"][0];
    assert_eq!(sig["status"], "valid-untrusted");
    assert!(
        alice_id.contains(sig["key_id"].as_str().unwrap()),
        "key id of the real signer reported"
    );
    let warnings: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap())
        .collect();
    assert!(
        warnings.contains(&"signature.untrusted-key"),
        "{warnings:?}"
    );
    // No key at all: untrusted too, never valid.
    let r = docseal(&["verify", &f.p("b.zip"), "--json"]);
    assert_eq!(r.code, 3);
}

#[test]
fn not_a_zip_empty_and_truncated_are_rejected_with_specific_codes() {
    let f = Fixture::new();
    let bundle = fs::read(f.pack("b.zip")).unwrap();
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("empty.zip", Vec::new()),
        (
            "text.zip",
            b"this is not a zip file at all, just text\n".to_vec(),
        ),
        ("truncated.zip", bundle[..bundle.len() / 2].to_vec()),
        ("short-eocd.zip", bundle[..bundle.len() - 1].to_vec()),
    ];
    for (name, bytes) in cases {
        fs::write(f.path(name), &bytes).unwrap();
        let (code, errors, report) = verify_json(&f.path(name), &f.path("alice.pub"), &[]);
        assert_eq!(code, 1, "{name}: {report:#}");
        assert_eq!(errors.len(), 1, "{name}: {errors:?}");
        assert!(errors[0].starts_with("zip."), "{name}: {errors:?}");
    }
}

#[test]
fn bad_key_and_signature_files_are_bad_input() {
    let f = Fixture::new();
    f.pack("b.zip");
    let pubkey = fs::read_to_string(f.path("alice.pub")).unwrap();
    let flipped = pubkey.replacen("RW", "RX", 1);
    fs::write(f.path("bad.pub"), flipped).unwrap();
    let r = docseal(&["verify", &f.p("b.zip"), "-p", &f.p("bad.pub")]).expect(4);
    assert!(
        r.stderr
            .starts_with(&format!("docseal: error: {}: ", f.p("bad.pub"))),
        "{}",
        r.stderr
    );
    assert_eq!(r.stderr.lines().count(), 1, "{}", r.stderr);
    fs::write(f.path("garbage.key"), b"\x00\x01binary").unwrap();
    let r = docseal(&[
        "pack",
        &f.p("in"),
        "-s",
        &f.p("garbage.key"),
        "-o",
        &f.p("x.zip"),
    ])
    .expect(4);
    assert!(r.stderr.contains("garbage.key"), "{}", r.stderr);
    assert!(!f.path("x.zip").exists(), "no output after a failure");
    let r = docseal(&["verify", &f.p("b.zip"), "-p", &f.p("missing.pub")]).expect(5);
    assert!(r.stderr.contains("missing.pub"), "{}", r.stderr);
}

#[test]
fn encrypted_keys_need_the_right_passphrase() {
    let f = Fixture::new();
    let env = [("DOCSEAL_PASSPHRASE", "correct horse")];
    docseal_env(
        &["keygen", "-q", "-s", &f.p("enc.key"), "-p", &f.p("enc.pub")],
        &env,
    )
    .expect(0);
    assert!(fs::read_to_string(f.path("enc.key"))
        .unwrap()
        .starts_with("untrusted comment: minisign encrypted secret key"));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(
            fs::metadata(f.path("enc.key"))
                .unwrap()
                .permissions()
                .mode()
                & 0o777,
            0o600
        );
    }
    let r = docseal_env(
        &[
            "pack",
            &f.p("in"),
            "-s",
            &f.p("enc.key"),
            "-o",
            &f.p("x.zip"),
        ],
        &[("DOCSEAL_PASSPHRASE", "wrong")],
    )
    .expect(4);
    assert!(r.stderr.contains("wrong passphrase"), "{}", r.stderr);
    assert!(
        !r.stderr.contains("correct horse") && !r.stderr.contains("wrong\n"),
        "no secrets in errors"
    );
    assert!(!f.path("x.zip").exists());
    // No passphrase and no terminal: a clear error, not a hang.
    let r = docseal(&[
        "pack",
        &f.p("in"),
        "-s",
        &f.p("enc.key"),
        "-o",
        &f.p("x.zip"),
    ])
    .expect(4);
    assert!(r.stderr.contains("DOCSEAL_PASSPHRASE"), "{}", r.stderr);
    docseal_env(
        &[
            "pack",
            &f.p("in"),
            "-q",
            "-s",
            &f.p("enc.key"),
            "-o",
            &f.p("x.zip"),
        ],
        &env,
    )
    .expect(0);
    let (code, _, report) = verify_json(&f.path("x.zip"), &f.path("enc.pub"), &[]);
    assert_eq!(code, 0, "{report:#}");
}

#[test]
fn outputs_are_never_overwritten_without_force() {
    let f = Fixture::new();
    f.pack("b.zip");
    let before = fs::read(f.path("b.zip")).unwrap();
    let r = docseal(&[
        "pack",
        &f.p("in"),
        "-s",
        &f.p("alice.key"),
        "-o",
        &f.p("b.zip"),
    ])
    .expect(6);
    assert!(r.stderr.contains("already exists"), "{}", r.stderr);
    assert!(r.stderr.contains("hint: use --force"), "{}", r.stderr);
    assert_eq!(fs::read(f.path("b.zip")).unwrap(), before);
    docseal(&[
        "keygen",
        "--no-passphrase",
        "-s",
        &f.p("alice.key"),
        "-p",
        &f.p("new.pub"),
    ])
    .expect(6);
    assert!(
        !f.path("new.pub").exists(),
        "keygen checks both outputs before writing either"
    );
    docseal(&[
        "pack",
        &f.p("in"),
        "-q",
        "-s",
        &f.p("alice.key"),
        "-o",
        &f.p("b.zip"),
        "--force",
    ])
    .expect(0);
    let r = docseal(&[
        "pack",
        &f.p("in"),
        "-s",
        &f.p("alice.key"),
        "-o",
        &f.p("in"),
    ])
    .expect(4);
    assert!(r.stderr.contains("is a folder"), "{}", r.stderr);
    fs::create_dir(f.path("full")).unwrap();
    fs::write(f.path("full/x"), b"x").unwrap();
    docseal(&[
        "extract",
        &f.p("b.zip"),
        "-p",
        &f.p("alice.pub"),
        "-o",
        &f.p("full"),
    ])
    .expect(6);
}

#[test]
fn extract_writes_nothing_when_verification_fails() {
    let f = Fixture::new();
    f.key("mallory");
    f.pack("b.zip");
    let r = docseal(&[
        "extract",
        &f.p("b.zip"),
        "-p",
        &f.p("mallory.pub"),
        "-o",
        &f.p("out"),
    ]);
    assert_eq!(r.code, 3, "{}", r.stderr);
    assert!(!f.path("out").exists());
    let leftovers: Vec<_> = fs::read_dir(f.dir.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().starts_with(".docseal"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn usage_errors_exit_2_and_help_documents_exit_codes() {
    let r = docseal(&["verify"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    let r = docseal(&["frobnicate"]);
    assert_eq!(r.code, 2);
    let help = docseal(&["--help"]).expect(0).stdout;
    for needle in [
        "Exit codes:",
        "3    bundle intact but not signed",
        "6    output exists",
    ] {
        assert!(help.contains(needle), "{help}");
    }
    let r = docseal(&["verify", "x.zip", "--threshold", "0"]);
    assert_eq!(r.code, 2);
}

#[test]
fn version_names_the_sha256_backend_the_cpu_gives() {
    let long = docseal(&["--version"]).expect(0).stdout;
    let backend = long
        .lines()
        .find_map(|l| l.strip_prefix("SHA-256: "))
        .unwrap_or_else(|| panic!("no SHA-256 line in {long:?}"));
    assert_eq!(backend, docseal::hashing::sha256_backend());
    let has_sha_ni = std::fs::read_to_string("/proc/cpuinfo")
        .map(|c| c.split_whitespace().any(|w| w == "sha_ni"))
        .unwrap_or(false);
    if has_sha_ni {
        assert!(backend.contains("SHA-NI"), "{backend}");
    }
    let short = docseal(&["-V"]).expect(0).stdout;
    assert_eq!(
        short.trim(),
        format!("docseal {}", env!("CARGO_PKG_VERSION"))
    );
}

#[test]
fn an_unpacked_folder_verifies_and_says_the_container_was_not_checked() {
    let f = Fixture::new();
    f.pack("b.zip");
    if let Some(r) = run_tool(
        "unzip",
        &["-q", &f.p("b.zip"), "-d", &f.p("unz")],
        f.dir.path(),
    ) {
        assert_eq!(r.code, 0, "{}", r.stderr);
        let (code, _, report) = verify_json(&f.path("unz"), &f.path("alice.pub"), &[]);
        assert_eq!(code, 0, "{report:#}");
        assert_eq!(report["container"], "folder");
        let not_checked = report["not_checked"].to_string();
        assert!(not_checked.contains("zip container"), "{not_checked}");
        fs::write(f.path("unz/test-bundle/data/notes.md"), "# NOTES\n").unwrap();
        let (code, errors, _) = verify_json(&f.path("unz"), &f.path("alice.pub"), &[]);
        assert_eq!(
            (code, errors),
            (1, vec!["payload.hash-mismatch".to_owned()])
        );
    }
}
