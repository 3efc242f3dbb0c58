//! Test harness: run the binary, make keys and fixture folders, take zips apart.

#![allow(dead_code)]

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A fixed pack time, so bundles are reproducible.
pub const EPOCH: &str = "1764288000";

/// The result of one run of the binary.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    pub fn from(o: Output) -> Run {
        Run {
            code: o.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
        }
    }

    /// Asserts the exit code, showing the output when it differs.
    #[track_caller]
    pub fn expect(self, code: i32) -> Run {
        assert_eq!(
            self.code, code,
            "exit code\nstdout:\n{}\nstderr:\n{}",
            self.stdout, self.stderr
        );
        self
    }

    /// The parsed JSON stdout.
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("not JSON ({e}):\n{}", self.stdout))
    }
}

/// Runs docseal with `args`, no stdin, SOURCE_DATE_EPOCH fixed.
pub fn docseal(args: &[&str]) -> Run {
    docseal_env(args, &[])
}

/// Runs docseal with extra environment variables.
pub fn docseal_env(args: &[&str], env: &[(&str, &str)]) -> Run {
    let mut c = Command::new(env!("CARGO_BIN_EXE_docseal"));
    c.args(args)
        .env("SOURCE_DATE_EPOCH", EPOCH)
        .env_remove("DOCSEAL_PASSPHRASE")
        .env_remove("DOCSEAL_SECRET_KEY")
        .env_remove("DOCSEAL_HOME");
    c.stdin(std::process::Stdio::null());
    for (k, v) in env {
        c.env(k, v);
    }
    Run::from(c.output().expect("run docseal"))
}

/// Runs another program; None when it is not installed (see [`require`]).
pub fn run_tool(tool: &str, args: &[&str], dir: &Path) -> Option<Run> {
    if !require(tool) {
        return None;
    }
    let o = Command::new(tool)
        .args(args)
        .current_dir(dir)
        .output()
        .expect("run tool");
    Some(Run::from(o))
}

/// Whether a peer tool is installed. Under CI (or DOCSEAL_REQUIRE_PEERS) a
/// missing peer fails the test; elsewhere it is skipped, loudly.
pub fn require(tool: &str) -> bool {
    let found = Command::new("sh")
        .args(["-c", &format!("command -v {tool}")])
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false);
    if !found {
        if std::env::var_os("CI").is_some() || std::env::var_os("DOCSEAL_REQUIRE_PEERS").is_some() {
            panic!("{tool} is required for this test (run scripts/install-test-peers.sh)");
        }
        eprintln!("SKIPPED: {tool} is not installed (run scripts/install-test-peers.sh)");
    }
    found
}

/// A scratch folder with a key pair and a small described folder to pack.
pub struct Fixture {
    pub dir: tempfile::TempDir,
}

impl Fixture {
    pub fn new() -> Fixture {
        let f = Fixture {
            dir: tempfile::tempdir().expect("tempdir"),
        };
        f.key("alice");
        f.write_input();
        f
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    pub fn p(&self, rel: &str) -> String {
        self.path(rel).display().to_string()
    }

    /// Makes `<name>.key` / `<name>.pub` without a passphrase.
    pub fn key(&self, name: &str) {
        docseal(&[
            "keygen",
            "--no-passphrase",
            "-q",
            "-s",
            &self.p(&format!("{name}.key")),
            "-p",
            &self.p(&format!("{name}.pub")),
        ])
        .expect(0);
    }

    /// The input folder `in/`: a statement quoting a source, a second source, a note.
    fn write_input(&self) {
        let input = self.path("in");
        fs::create_dir_all(input.join("sources")).unwrap();
        fs::write(
            input.join("statement.txt"),
            "The Convention applies \u{201c}to all cases of partial or total occupation\u{201d}, as 12 \u{0410}ugust 1949 shows.\n",
        )
        .unwrap();
        fs::write(
            input.join("sources/gc4.txt"),
            "Article 2\nThe Convention shall also apply to all cases of partial or total\noccupation of the territory.\n",
        )
        .unwrap();
        fs::write(input.join("sources/other.txt"), "An uncited source.\n").unwrap();
        fs::write(input.join("notes.md"), "# notes\n").unwrap();
        fs::write(
            input.join("docseal.toml"),
            r#"[bundle]
name = "test-bundle"
title = "A test bundle"
source_organization = "Test Org"

[statement]
path = "statement.txt"
title = "A statement"
authors = [{ name = "A. Author", role = "Writer" }]
language = "en"

[[sources]]
id = "gc4"
path = "sources/gc4.txt"
title = "Geneva Convention IV"
date = "1949-08-12"
original_url = "https://example.org/gc4"

[[sources]]
id = "other"
path = "sources/other.txt"
title = "Another source"

[[citations]]
id = "gc4-art2"
source = "gc4"
locator = "Article 2"
exact = "to all cases of partial or total occupation"
"#,
        )
        .unwrap();
    }

    /// Packs `in/` into `out` signed by `alice`.
    pub fn pack(&self, out: &str) -> PathBuf {
        self.pack_with(out, &[]);
        self.path(out)
    }

    /// Packs `in/` with alice's key into `out` as [`Fixture::pack`] does,
    /// but one day later by `SOURCE_DATE_EPOCH`: same content, another
    /// creation date in the signed identity.
    pub fn pack_a_day_later(&self, out: &str) -> Run {
        self.pack_with(out, &[("SOURCE_DATE_EPOCH", "1764374400")])
    }

    /// Runs `extract` of `bundle` into `out` with alice's public key.
    pub fn extract(&self, bundle: &str, out: &str) -> Run {
        let (bundle, key) = (self.p(bundle), self.p("alice.pub"));
        docseal(&["extract", &bundle, "-q", "-p", &key, "-o", out])
    }

    fn pack_with(&self, out: &str, env: &[(&str, &str)]) -> Run {
        let (input, key, out) = (self.p("in"), self.p("alice.key"), self.p(out));
        docseal_env(&["pack", &input, "-q", "-s", &key, "-o", &out], env).expect(0)
    }
}

/// One zip entry as found through the central directory.
#[derive(Clone, Debug)]
pub struct ZipEntry {
    pub name: String,
    pub header: usize,
    pub data: usize,
    pub size: usize,
    pub central: usize,
}

fn u16_at(b: &[u8], o: usize) -> usize {
    usize::from(u16::from_le_bytes([b[o], b[o + 1]]))
}

fn u32_at(b: &[u8], o: usize) -> usize {
    u32::from_le_bytes([b[o], b[o + 1], b[o + 2], b[o + 3]]) as usize
}

/// The entries of a (well-formed, test-made) zip.
pub fn zip_entries(b: &[u8]) -> Vec<ZipEntry> {
    let eocd = b.len() - 22;
    assert_eq!(u32_at(b, eocd), 0x0605_4b50, "EOCD at the end");
    let count = u16_at(b, eocd + 10);
    let mut at = u32_at(b, eocd + 16);
    let mut out = Vec::new();
    for _ in 0..count {
        let n = u16_at(b, at + 28);
        let extra = u16_at(b, at + 30);
        let comment = u16_at(b, at + 32);
        let name = String::from_utf8(b[at + 46..at + 46 + n].to_vec()).unwrap();
        let header = u32_at(b, at + 42);
        let data = header + 30 + u16_at(b, header + 26) + u16_at(b, header + 28);
        out.push(ZipEntry {
            name,
            header,
            data,
            size: u32_at(b, at + 24),
            central: at,
        });
        at += 46 + n + extra + comment;
    }
    out
}

/// Recomputes an entry's CRC-32 in both headers, as a careful attacker would.
pub fn fix_crc(b: &mut [u8], e: &ZipEntry) {
    let crc = crc32fast::hash(&b[e.data..e.data + e.size]).to_le_bytes();
    b[e.header + 14..e.header + 18].copy_from_slice(&crc);
    b[e.central + 16..e.central + 20].copy_from_slice(&crc);
}

/// The finding codes of a JSON verify report.
pub fn codes(report: &serde_json::Value) -> Vec<String> {
    report["findings"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter(|f| f["severity"] == "error")
                .map(|f| f["code"].as_str().unwrap_or("").to_owned())
                .collect()
        })
        .unwrap_or_default()
}

/// Verifies `bundle` with `key` as JSON; returns (exit code, error codes, report).
pub fn verify_json(
    bundle: &Path,
    key: &Path,
    extra: &[&str],
) -> (i32, Vec<String>, serde_json::Value) {
    let b = bundle.display().to_string();
    let k = key.display().to_string();
    let mut args = vec!["verify", b.as_str(), "--json", "-p", k.as_str()];
    args.extend_from_slice(extra);
    let r = docseal(&args);
    let j = r.json();
    (r.code, codes(&j), j)
}

/// Writes a zip in docseal's canonical layout from raw names and data,
/// without any validation: the tests' way to build hostile archives.
pub fn raw_zip(entries: &[(Vec<u8>, Vec<u8>)]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut central = Vec::new();
    for (name, data) in entries {
        let offset = out.len() as u32;
        let crc = crc32fast::hash(data);
        let header = |sig: u32, central_record: bool| {
            let mut h = Vec::new();
            h.extend_from_slice(&sig.to_le_bytes());
            if central_record {
                h.extend_from_slice(&0x031Eu16.to_le_bytes());
            }
            for v in [20u16, 0x0800, 0, 0, 0x0021] {
                h.extend_from_slice(&v.to_le_bytes());
            }
            h.extend_from_slice(&crc.to_le_bytes());
            h.extend_from_slice(&(data.len() as u32).to_le_bytes());
            h.extend_from_slice(&(data.len() as u32).to_le_bytes());
            h.extend_from_slice(&(name.len() as u16).to_le_bytes());
            h.extend_from_slice(&0u16.to_le_bytes());
            if central_record {
                h.extend_from_slice(&[0, 0, 0, 0, 0, 0]);
                h.extend_from_slice(&(0o100644u32 << 16).to_le_bytes());
                h.extend_from_slice(&offset.to_le_bytes());
            }
            h.extend_from_slice(name);
            h
        };
        out.extend(header(0x0403_4b50, false));
        out.extend_from_slice(data);
        central.extend(header(0x0201_4b50, true));
    }
    let cd_offset = out.len() as u32;
    out.extend_from_slice(&central);
    out.extend_from_slice(&0x0605_4b50u32.to_le_bytes());
    out.extend_from_slice(&[0, 0, 0, 0]);
    let n = entries.len() as u16;
    out.extend_from_slice(&n.to_le_bytes());
    out.extend_from_slice(&n.to_le_bytes());
    out.extend_from_slice(&(central.len() as u32).to_le_bytes());
    out.extend_from_slice(&cd_offset.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    out
}

/// The (name, data) pairs of a test-made zip, in order.
pub fn zip_contents(b: &[u8]) -> Vec<(Vec<u8>, Vec<u8>)> {
    zip_entries(b)
        .into_iter()
        .map(|e| (e.name.into_bytes(), b[e.data..e.data + e.size].to_vec()))
        .collect()
}
