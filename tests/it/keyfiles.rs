//! Key and signature files as people have them (Windows line endings, byte
//! order marks, blank lines, spaces, Latin-1 comments, files of the wrong
//! kind): for each variant, stock minisign 0.11 is run on the very file and
//! docseal must agree, accepting or rejecting. Also `-P`, `--keyring` with a
//! bad file in it, and keys made by rsign2.

use std::fs;
use std::process::Command;

use crate::common::*;

/// A bundle packed by alice and co-signed with a stock minisign key `m`
/// (`bm.zip`), its tag manifest in `tm/` with minisign's signature of it.
struct Peer {
    f: Fixture,
}

impl Peer {
    /// None when minisign is not installed (a failure under CI).
    fn new() -> Option<Peer> {
        let f = Fixture::new();
        let gen = ["-G", "-W", "-p", "m.pub", "-s", "m.key"];
        run_tool("minisign", &gen, f.dir.path())?.expect(0);
        let bundle = fs::read(f.pack("b.zip")).unwrap();
        let tm = zip_contents(&bundle)
            .into_iter()
            .find(|(n, _)| n.ends_with(b"/tagmanifest-sha256.txt"))
            .unwrap()
            .1;
        fs::create_dir(f.path("tm")).unwrap();
        fs::write(f.path("tm/m"), tm).unwrap();
        let list = docseal(&["list", &f.p("b.zip"), "--json"]).expect(0).json();
        let tc = list["listing"]["signatures"][0]["trusted_comment"]
            .as_str()
            .unwrap()
            .to_owned();
        let sign = ["-S", "-s", "../m.key", "-m", "m", "-t", &tc];
        run_tool("minisign", &sign, &f.path("tm"))?.expect(0);
        let p = Peer { f };
        p.add_minisig("tm/m.minisig", "bm.zip").expect(0);
        Some(p)
    }

    /// `docseal sign b.zip --minisig SIG -p m.pub -o OUT`.
    fn add_minisig(&self, sig: &str, out: &str) -> Run {
        let f = &self.f;
        let (b, s, k, o) = (f.p("b.zip"), f.p(sig), f.p("m.pub"), f.p(out));
        docseal(&["sign", &b, "--minisig", &s, "-p", &k, "-o", &o])
    }

    /// Whether stock minisign verifies `tm/m` with this public key file and signature.
    fn minisign_verifies(&self, public: &str, sig: &str) -> bool {
        let f = &self.f;
        let args = [
            "-V",
            "-p",
            &f.p(public),
            "-x",
            &f.p(sig),
            "-m",
            &f.p("tm/m"),
        ];
        run_tool("minisign", &args, f.dir.path()).unwrap().code == 0
    }

    /// Whether stock minisign signs with this secret key file.
    fn minisign_signs(&self, secret: &str) -> bool {
        let f = &self.f;
        let out = f.p("tm/out.minisig");
        let args = ["-S", "-s", &f.p(secret), "-m", &f.p("tm/m"), "-x", &out];
        run_tool("minisign", &args, f.dir.path()).unwrap().code == 0
    }

    fn write(&self, name: &str, bytes: &[u8]) -> String {
        fs::write(self.f.path(name), bytes).unwrap();
        name.to_owned()
    }
}

/// The lines of a canonical minisign file, without line breaks.
fn lines(text: &str) -> Vec<String> {
    text.lines().map(str::to_owned).collect()
}

/// Variants of a two-line key file `[comment, b64]`: name and bytes.
fn key_variants(l: &[String]) -> Vec<(&'static str, Vec<u8>)> {
    let (c, k) = (&l[0], &l[1]);
    let b = |s: String| s.into_bytes();
    vec![
        ("canonical", b(format!("{c}\n{k}\n"))),
        ("crlf", b(format!("{c}\r\n{k}\r\n"))),
        ("bom", b(format!("\u{feff}{c}\n{k}\n"))),
        ("bom-crlf", b(format!("\u{feff}{c}\r\n{k}\r\n"))),
        ("blank-lines-after", b(format!("{c}\n{k}\n\n\n"))),
        ("crlf-blank-lines-after", b(format!("{c}\r\n{k}\r\n\r\n"))),
        ("spaces-after-key", b(format!("{c}\n{k}  \n"))),
        ("tab-after-key", b(format!("{c}\n{k}\t\n"))),
        ("space-before-key", b(format!("{c}\n {k}\n"))),
        ("spaces-after-comment", b(format!("{c}   \n{k}\n"))),
        (
            "latin1-comment",
            [
                &b"untrusted comment: cl\xe9 \xe0 moi\n"[..],
                k.as_bytes(),
                b"\n",
            ]
            .concat(),
        ),
        (
            "control-comment",
            b(format!("untrusted comment: \u{1b}[31mred\n{k}\n")),
        ),
        ("no-comment-prefix", b(format!("my key\n{k}\n"))),
        ("empty-comment-line", b(format!("\n{k}\n"))),
        ("bare-key", b(format!("{k}\n"))),
        ("blank-line-first", b(format!("\n{c}\n{k}\n"))),
        ("text-after", b(format!("{c}\n{k}\nsomething else\n"))),
        ("no-final-lf", b(format!("{c}\n{k}"))),
        ("cr-only", b(format!("{c}\r{k}\r"))),
        ("cr-cr-lf", b(format!("{c}\r\r\n{k}\r\r\n"))),
        ("cr-then-text", b(format!("{c}\n{k}\rx\n"))),
        ("nul-then-text", b(format!("{c}\n{k}\0x\n"))),
        (
            "comment-1003",
            b(format!("untrusted comment: {}\n{k}\n", "x".repeat(1003))),
        ),
        (
            "comment-1004",
            b(format!("untrusted comment: {}\n{k}\n", "x".repeat(1004))),
        ),
        (
            "comment-1003-crlf",
            b(format!(
                "untrusted comment: {}\r\n{k}\r\n",
                "x".repeat(1003)
            )),
        ),
        ("empty", Vec::new()),
        ("comment-only", b(format!("{c}\n"))),
    ]
}

/// Asserts that docseal's exit code says what minisign said.
#[track_caller]
fn agree(what: &str, minisign_ok: bool, r: &Run) {
    let want = if minisign_ok { 0 } else { 4 };
    assert_eq!(
        r.code,
        want,
        "{what}: minisign {}, docseal exit {}\n{}{}",
        if minisign_ok { "accepts" } else { "rejects" },
        r.code,
        r.stdout,
        r.stderr
    );
}

#[test]
fn public_key_files_are_read_as_stock_minisign_reads_them() {
    let Some(p) = Peer::new() else { return };
    let f = &p.f;
    let text = fs::read_to_string(f.path("m.pub")).unwrap();
    let mut accepted = 0;
    for (name, bytes) in key_variants(&lines(&text)) {
        let file = p.write(&format!("{name}.pub"), &bytes);
        let ok = p.minisign_verifies(&file, "tm/m.minisig");
        let r = docseal(&["verify", &f.p("bm.zip"), "-p", &f.p(&file), "-q"]);
        agree(&file, ok, &r);
        if ok {
            accepted += 1;
            // Every tolerance is said, naming the file; nothing for a
            // canonical file (spaces ending a comment are part of it).
            let noted = r
                .stderr
                .contains(&format!("docseal: note: {}: ", f.p(&file)));
            let canonical = ["canonical", "spaces-after-comment", "comment-1003"].contains(&name);
            assert_eq!(noted, !canonical, "{file}: {}", r.stderr);
        } else {
            assert!(r.stderr.contains(&f.p(&file)), "{file}: {}", r.stderr);
        }
    }
    assert!(accepted >= 15, "most variants are minisign's: {accepted}");
}

#[test]
fn secret_key_files_are_read_as_stock_minisign_reads_them() {
    let Some(p) = Peer::new() else { return };
    let f = &p.f;
    let text = fs::read_to_string(f.path("m.key")).unwrap();
    for (name, bytes) in key_variants(&lines(&text)) {
        let file = p.write(&format!("{name}.key"), &bytes);
        let ok = p.minisign_signs(&file);
        let out = f.p(&format!("{name}.zip"));
        let r = docseal(&["pack", &f.p("in"), "-q", "-s", &f.p(&file), "-o", &out]);
        agree(&file, ok, &r);
        if ok {
            // Said even under -q: a tolerance is never silent.
            let noted = r
                .stderr
                .contains(&format!("docseal: note: {}: ", f.p(&file)));
            let canonical = ["canonical", "spaces-after-comment", "comment-1003"].contains(&name);
            assert_eq!(noted, !canonical, "{file}: {}", r.stderr);
        } else {
            assert!(!f.path(&format!("{name}.zip")).exists(), "{file}");
        }
    }
}

#[test]
fn signature_files_are_read_as_stock_minisign_reads_them() {
    let Some(p) = Peer::new() else { return };
    let f = &p.f;
    let l = lines(&fs::read_to_string(f.path("tm/m.minisig")).unwrap());
    let (u, s, t, g) = (&l[0], &l[1], &l[2], &l[3]);
    let b = |s: String| s.into_bytes();
    let variants: Vec<(&str, Vec<u8>)> = vec![
        ("canonical", b(format!("{u}\n{s}\n{t}\n{g}\n"))),
        ("crlf", b(format!("{u}\r\n{s}\r\n{t}\r\n{g}\r\n"))),
        ("bom", b(format!("\u{feff}{u}\n{s}\n{t}\n{g}\n"))),
        ("blank-lines-after", b(format!("{u}\n{s}\n{t}\n{g}\n\n\n"))),
        ("text-after", b(format!("{u}\n{s}\n{t}\n{g}\nmore\n"))),
        ("no-final-lf", b(format!("{u}\n{s}\n{t}\n{g}"))),
        ("spaces-after-global", b(format!("{u}\n{s}\n{t}\n{g}  \n"))),
        (
            "spaces-after-signature",
            b(format!("{u}\n{s} \n{t}\n{g}\n")),
        ),
        (
            "spaces-after-untrusted",
            b(format!("{u}   \n{s}\n{t}\n{g}\n")),
        ),
        ("space-after-trusted", b(format!("{u}\n{s}\n{t} \n{g}\n"))),
        (
            "cr-then-text-in-trusted",
            b(format!("{u}\n{s}\n{t}\rjunk\n{g}\n")),
        ),
        (
            "latin1-untrusted",
            [
                &b"untrusted comment: sign\xe9\n"[..],
                format!("{s}\n{t}\n{g}\n").as_bytes(),
            ]
            .concat(),
        ),
        (
            "control-untrusted",
            b(format!("untrusted comment: \u{7}\n{s}\n{t}\n{g}\n")),
        ),
        (
            "no-untrusted-prefix",
            b(format!("signature\n{s}\n{t}\n{g}\n")),
        ),
        ("cr-only", b(format!("{u}\r{s}\r{t}\r{g}\r"))),
        ("three-lines", b(format!("{u}\n{s}\n{t}\n"))),
        ("blank-line-first", b(format!("\n{u}\n{s}\n{t}\n{g}\n"))),
    ];
    for (name, bytes) in variants {
        let file = p.write(&format!("tm/{name}.minisig"), &bytes);
        let ok = p.minisign_verifies("m.pub", &file);
        let out = format!("{name}.zip");
        let r = p.add_minisig(&file, &out);
        // docseal's own exit code for a signature that does not verify is
        // also "bad input" (4): the file given is wrong.
        agree(&file, ok, &r);
        if ok {
            let r = docseal(&["verify", &f.p(&out), "-p", &f.p("m.pub"), "-q"]);
            assert_eq!(r.code, 0, "{file}: {}{}", r.stdout, r.stderr);
        } else {
            assert!(!f.path(&out).exists(), "{file}");
        }
    }
}

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

/// rsign2 (the Rust minisign) keys: `rsign generate -W` and an empty
/// password typed twice both encrypt with the empty password, at rsign's
/// cheaper scrypt cost; `--unencrypted` writes a real checksum.
#[test]
fn keys_made_by_rsign_work_without_a_passphrase_variable() {
    let f = Fixture::new();
    for (name, flag) in [("w", "-W"), ("u", "--unencrypted")] {
        let (pk, sk) = (f.p(&format!("{name}.pub")), f.p(&format!("{name}.key")));
        let args = ["generate", flag, "-p", &pk, "-s", &sk];
        let Some(r) = run_tool("rsign", &args, f.dir.path()) else {
            return;
        };
        assert_eq!(r.code, 0, "{}", r.stderr);
        let out = f.p(&format!("{name}.zip"));
        let r = docseal(&["pack", &f.p("in"), "-s", &sk, "-o", &out]).expect(0);
        assert_eq!(
            r.stderr.contains("encrypted with an empty passphrase"),
            flag == "-W",
            "{}",
            r.stderr
        );
        docseal(&["verify", &out, "-p", &pk, "-q"]).expect(0);
        // rsign's own verify agrees on the files docseal signed: the
        // signature of the tag manifest in the bundle.
        let bundle = fs::read(f.path(&format!("{name}.zip"))).unwrap();
        let entries = zip_contents(&bundle);
        let find = |suffix: &str| {
            entries
                .iter()
                .find(|(n, _)| n.ends_with(suffix.as_bytes()))
                .unwrap()
                .1
                .clone()
        };
        fs::write(f.path("tm.txt"), find("/tagmanifest-sha256.txt")).unwrap();
        fs::write(f.path("tm.txt.minisig"), find(".minisig")).unwrap();
        let args = [
            "verify",
            &f.p("tm.txt"),
            "-p",
            &pk,
            "-x",
            &f.p("tm.txt.minisig"),
        ];
        run_tool("rsign", &args, f.dir.path()).unwrap().expect(0);
    }
    // With DOCSEAL_PASSPHRASE set, that passphrase is used and only it.
    let sk = f.p("w.key");
    let r = docseal_env(
        &["pack", &f.p("in"), "-s", &sk, "-o", &f.p("w2.zip")],
        &[("DOCSEAL_PASSPHRASE", "not empty")],
    );
    assert_eq!(r.code, 4, "{}", r.stderr);
    assert!(r.stderr.contains("wrong passphrase"), "{}", r.stderr);
}

/// `rsign generate` with an empty password typed (Enter, twice) on a
/// terminal, which `script` provides; skipped where util-linux `script` is
/// missing (the `-W` key above has the same format: encrypted with "").
#[test]
fn a_key_made_by_rsign_with_an_empty_typed_password_works() {
    if !require("rsign")
        || !Command::new("script")
            .arg("-V")
            .output()
            .is_ok_and(|o| o.status.success())
    {
        return;
    }
    let f = Fixture::new();
    let cmd = format!("rsign generate -p {} -s {}", f.p("e.pub"), f.p("e.key"));
    let o = Command::new("sh")
        .args(["-c", &format!("(sleep 1; printf '\\r'; sleep 1; printf '\\r'; sleep 5) | script -qec '{cmd}' /dev/null")])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stdout));
    let r = docseal(&["pack", &f.p("in"), "-s", &f.p("e.key"), "-o", &f.p("e.zip")]).expect(0);
    assert!(
        r.stderr.contains("encrypted with an empty passphrase"),
        "{}",
        r.stderr
    );
    docseal(&["verify", &f.p("e.zip"), "-p", &f.p("e.pub"), "-q"]).expect(0);
}
