//! Keys made by rsign2, the Rust minisign.

use std::fs;
use std::process::Command;

use crate::common::*;

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
