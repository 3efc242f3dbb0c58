//! Each variant of a public key, secret key and signature file, run
//! through stock minisign and through docseal: they must agree.

use std::fs;

use super::{agree, key_variants, lines, Peer};
use crate::common::*;

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
