//! Keys in the wrong place, inline keys (`-P`) and keyrings with bad files.

use std::fs;

use super::{lines, Peer};
use crate::common::*;

#[test]
fn a_key_of_the_wrong_kind_is_named_as_such() {
    let Some(p) = Peer::new() else { return };
    let f = &p.f;
    let cases: Vec<(Vec<String>, &str)> = vec![
        (
            vec!["verify".into(), f.p("bm.zip"), "-p".into(), f.p("m.key")],
            "this is a minisign secret key, not a public key",
        ),
        (
            vec![
                "verify".into(),
                f.p("bm.zip"),
                "-p".into(),
                f.p("tm/m.minisig"),
            ],
            "this is a minisign signature, not a public key",
        ),
        (
            vec![
                "pack".into(),
                f.p("in"),
                "-s".into(),
                f.p("m.pub"),
                "-o".into(),
                f.p("x.zip"),
            ],
            "this is a minisign public key, not a secret key",
        ),
        (
            vec![
                "sign".into(),
                f.p("b.zip"),
                "--minisig".into(),
                f.p("m.pub"),
                "-p".into(),
                f.p("m.pub"),
                "-o".into(),
                f.p("y.zip"),
            ],
            "this is a minisign public key, not a signature",
        ),
        (
            vec![
                "sign".into(),
                f.p("b.zip"),
                "--minisig".into(),
                f.p("m.key"),
                "-p".into(),
                f.p("m.pub"),
                "-o".into(),
                f.p("y.zip"),
            ],
            "this is a minisign secret key, not a signature",
        ),
    ];
    for (args, want) in cases {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let r = docseal(&args);
        assert_eq!(r.code, 4, "{args:?}: {}", r.stderr);
        assert!(r.stderr.contains(want), "{args:?}: {}", r.stderr);
        assert_eq!(r.stderr.lines().count(), 1, "{}", r.stderr);
    }
    // A secret key's text never reaches the message.
    let secret_b64 = lines(&fs::read_to_string(f.path("m.key")).unwrap())[1].clone();
    let r = docseal(&["verify", &f.p("bm.zip"), "-p", &f.p("m.key")]);
    assert!(!r.stderr.contains(&secret_b64[20..40]), "{}", r.stderr);
}

#[test]
fn an_inline_public_key_is_taken_as_minisign_takes_it() {
    let Some(p) = Peer::new() else { return };
    let f = &p.f;
    let m = lines(&fs::read_to_string(f.path("m.pub")).unwrap())[1].clone();
    let alice = lines(&fs::read_to_string(f.path("alice.pub")).unwrap())[1].clone();
    let r = docseal(&["verify", &f.p("bm.zip"), "-P", &m, "--json"]).expect(0);
    let sigs = r.json()["signatures"].clone();
    let origins: Vec<&str> = sigs
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|s| s["trusted_key"].as_str())
        .collect();
    assert_eq!(origins, [format!("-P {m}")], "{sigs:#}");
    // Repeatable, and next to -p: both signers count.
    let a = f.p("alice.pub");
    docseal(&[
        "verify",
        &f.p("bm.zip"),
        "-P",
        &m,
        "-p",
        &a,
        "--threshold",
        "2",
        "-q",
    ])
    .expect(0);
    docseal(&[
        "verify",
        &f.p("bm.zip"),
        "-P",
        &m,
        "-P",
        &alice,
        "--threshold",
        "2",
        "-q",
    ])
    .expect(0);
    // list, extract and history take it too.
    docseal(&["list", &f.p("bm.zip"), "-P", &m]).expect(0);
    docseal(&["extract", &f.p("bm.zip"), "-P", &m, "-o", &f.p("x"), "-q"]).expect(0);
    docseal(&["history", &f.p("bm.zip"), "-P", &m]).expect(0);
    // sign --minisig takes -P in place of -p.
    let args = [
        "sign",
        &f.p("b.zip"),
        "--minisig",
        &f.p("tm/m.minisig"),
        "-P",
        &m,
        "-o",
        &f.p("c.zip"),
    ];
    docseal(&args).expect(0);
    // What minisign -P refuses, docseal refuses, as bad key input.
    for bad in [
        format!("{m} "),
        m[..m.len() - 4].to_owned(),
        f.p("m.pub"),
        format!("untrusted comment: x\n{m}"),
    ] {
        let ok = run_tool(
            "minisign",
            &[
                "-V",
                "-P",
                &bad,
                "-x",
                &f.p("tm/m.minisig"),
                "-m",
                &f.p("tm/m"),
            ],
            f.dir.path(),
        )
        .unwrap()
        .code
            == 0;
        assert!(!ok, "minisign accepts -P {bad:?}");
        let r = docseal(&["verify", &f.p("bm.zip"), "-P", &bad]);
        assert_eq!(r.code, 4, "{bad:?}: {}", r.stderr);
        assert!(r.stderr.starts_with("docseal: error: -P "), "{}", r.stderr);
    }
}

#[test]
fn one_bad_file_in_a_keyring_is_skipped_with_a_warning() {
    let Some(p) = Peer::new() else { return };
    let f = &p.f;
    let ring = f.path("ring");
    fs::create_dir(&ring).unwrap();
    fs::copy(f.path("m.pub"), ring.join("m.pub")).unwrap();
    fs::write(
        ring.join("broken.pub"),
        "untrusted comment: x\nnot base64\n",
    )
    .unwrap();
    fs::copy(f.path("m.key"), ring.join("secret.pub")).unwrap();
    fs::create_dir(ring.join("folder.pub")).unwrap();
    fs::write(ring.join("README"), "not a key, not a .pub file\n").unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(f.path("gone.pub"), ring.join("dangling.pub")).unwrap();
    let bad = if cfg!(unix) { 4 } else { 3 };
    let r = docseal(&["verify", &f.p("bm.zip"), "--keyring", &f.p("ring"), "-q"]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    for (name, why) in [
        ("broken.pub", "base64"),
        (
            "secret.pub",
            "this is a minisign secret key, not a public key",
        ),
        ("folder.pub", "cannot"),
        ("dangling.pub", "cannot open"),
    ] {
        if !cfg!(unix) && name == "dangling.pub" {
            continue;
        }
        let line = r
            .stderr
            .lines()
            .find(|l| l.contains(name))
            .unwrap_or_else(|| panic!("no warning for {name}: {}", r.stderr));
        assert!(line.starts_with("docseal: warning: "), "{line}");
        assert!(line.contains("skipped") && line.contains(why), "{line}");
    }
    assert!(!r.stderr.contains("README"), "{}", r.stderr);
    assert_eq!(r.stderr.lines().count(), bad, "{}", r.stderr);
    // Only bad files: nothing to trust is an error naming the folder.
    fs::remove_file(ring.join("m.pub")).unwrap();
    let r = docseal(&["verify", &f.p("bm.zip"), "--keyring", &f.p("ring")]);
    assert_eq!(r.code, 4, "{}", r.stderr);
    let last = r.stderr.lines().last().unwrap();
    let want = format!("no usable public key ({bad} skipped)");
    assert!(last.contains(&want), "{}", r.stderr);
    // A bad file named with -p is still fatal: it was asked for by name.
    let r = docseal(&["verify", &f.p("bm.zip"), "-p", &f.p("ring/broken.pub")]);
    assert_eq!(r.code, 4, "{}", r.stderr);
}
