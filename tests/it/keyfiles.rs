//! Key and signature files as people have them (Windows line endings, byte
//! order marks, blank lines, spaces, Latin-1 comments, files of the wrong
//! kind): for each variant, stock minisign 0.11 is run on the very file and
//! docseal must agree, accepting or rejecting. Also `-P`, `--keyring` with a
//! bad file in it, and keys made by rsign2.

mod rsign;
mod trust;
mod variants;

use std::fs;

use crate::common::*;

/// A bundle packed by alice and co-signed with a stock minisign key `m`
/// (`bm.zip`), its tag manifest in `tm/` with minisign's signature of it.
pub struct Peer {
    pub f: Fixture,
}

impl Peer {
    /// None when minisign is not installed (a failure under CI).
    pub fn new() -> Option<Peer> {
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
    pub fn add_minisig(&self, sig: &str, out: &str) -> Run {
        let f = &self.f;
        let (b, s, k, o) = (f.p("b.zip"), f.p(sig), f.p("m.pub"), f.p(out));
        docseal(&["sign", &b, "--minisig", &s, "-p", &k, "-o", &o])
    }

    /// Whether stock minisign verifies `tm/m` with this public key file and signature.
    pub fn minisign_verifies(&self, public: &str, sig: &str) -> bool {
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
    pub fn minisign_signs(&self, secret: &str) -> bool {
        let f = &self.f;
        let out = f.p("tm/out.minisig");
        let args = ["-S", "-s", &f.p(secret), "-m", &f.p("tm/m"), "-x", &out];
        run_tool("minisign", &args, f.dir.path()).unwrap().code == 0
    }

    pub fn write(&self, name: &str, bytes: &[u8]) -> String {
        fs::write(self.f.path(name), bytes).unwrap();
        name.to_owned()
    }
}

/// The lines of a canonical minisign file, without line breaks.
pub fn lines(text: &str) -> Vec<String> {
    text.lines().map(str::to_owned).collect()
}

/// Variants of a two-line key file `[comment, b64]`: name and bytes.
pub fn key_variants(l: &[String]) -> Vec<(&'static str, Vec<u8>)> {
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
pub fn agree(what: &str, minisign_ok: bool, r: &Run) {
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
