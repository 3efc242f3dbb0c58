//! The attacker's toolkit: rebuild a bundle from its entries with every
//! hash, the tag manifest and the signature recomputed (so that only the
//! one check under test can catch the change), build zips the canonical
//! writer never makes, and run the binary under a hard deadline.
//!
//! Invariant: `resign` of an unchanged bundle's entries, with the key that
//! packed it, gives back the very same bytes (checked by
//! `resign_is_faithful`), so every difference a test makes is its own.

use std::io::{Read, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use docseal::description::Role;
use docseal::manifest::{BundleManifest, FileRecord};
use docseal::minisign::{SecretKey, Signature};
use sha2::{Digest, Sha256};

use crate::common::*;

/// A zip's (full name, data) pairs, in order.
pub type Entries = Vec<(Vec<u8>, Vec<u8>)>;

/// The tag files in their canonical zip order.
const TAGS: [&str; 5] = [
    "bagit.txt",
    "bag-info.txt",
    "docseal.json",
    "manifest-sha256.txt",
    "tagmanifest-sha256.txt",
];

/// The bag-relative part of a full entry name (after the root folder).
pub fn rel(name: &[u8]) -> &[u8] {
    match name.iter().position(|b| *b == b'/') {
        Some(i) => &name[i + 1..],
        None => name,
    }
}

/// The root folder prefix (`name/`) of the first entry.
fn root(e: &Entries) -> Vec<u8> {
    let first = &e.first().expect("entries").0;
    let cut = first.len() - rel(first).len();
    first[..cut].to_vec()
}

/// The full name of bag-relative `r`.
pub fn full(e: &Entries, r: &str) -> Vec<u8> {
    [root(e), r.as_bytes().to_vec()].concat()
}

/// The data of bag-relative `r`.
pub fn get<'a>(e: &'a Entries, r: &str) -> &'a [u8] {
    let at = e.iter().position(|(n, _)| rel(n) == r.as_bytes());
    &e[at.unwrap_or_else(|| panic!("no entry {r}"))].1
}

/// Replaces the data of bag-relative `r`.
pub fn set(e: &mut Entries, r: &str, data: impl Into<Vec<u8>>) {
    let at = e.iter().position(|(n, _)| rel(n) == r.as_bytes());
    e[at.unwrap_or_else(|| panic!("no entry {r}"))].1 = data.into();
}

/// Adds a payload file (bag-relative name, raw bytes allowed).
pub fn add(e: &mut Entries, r: &[u8], data: &[u8]) {
    let name = [root(e), r.to_vec()].concat();
    e.insert(0, (name, data.to_vec()));
}

/// The fixture's `b.zip`, packed by alice on first use.
pub fn bundle(f: &Fixture) -> Vec<u8> {
    if !f.path("b.zip").exists() {
        f.pack("b.zip");
    }
    std::fs::read(f.path("b.zip")).expect("read bundle")
}

/// [`bundle`] as entries.
pub fn entries(f: &Fixture) -> Entries {
    zip_contents(&bundle(f))
}

/// Lowercase hex SHA-256.
pub fn sha(data: &[u8]) -> String {
    docseal::manifest::hex(&Sha256::digest(data))
}

fn is_payload(name: &[u8]) -> bool {
    rel(name).starts_with(b"data/")
}

/// Puts entries in docseal's canonical order: payload by bytes, the tag
/// files in their fixed order, anything else, then signatures by bytes.
pub fn canonical(e: &mut Entries) {
    e.sort_by_cached_key(|(n, _)| {
        let r = rel(n);
        let group = if is_payload(n) {
            0
        } else if let Some(i) = TAGS.iter().position(|t| t.as_bytes() == r) {
            1 + i
        } else if r.starts_with(b"signatures/") {
            20
        } else {
            10
        };
        (group, n.clone())
    });
}

/// Makes docseal.json's `files` describe the payload entries (keeping the
/// role and title of files it already lists). Names that are not bag paths
/// are left out: the container refuses them before docseal.json matters.
pub fn sync_json(e: &mut Entries) {
    let mut m = BundleManifest::parse(get(e, "docseal.json")).expect("docseal.json parses");
    let mut files = Vec::new();
    for (n, data) in e.iter().filter(|(n, _)| is_payload(n)) {
        let Ok(path) = docseal::bagpath::BagPath::new(&String::from_utf8_lossy(rel(n))) else {
            continue;
        };
        let old = m.files.iter().find(|f| f.path == path).cloned();
        files.push(FileRecord {
            media_type: docseal::manifest::media_type(path.as_str()).to_owned(),
            role: old.as_ref().map_or(Role::Attachment, |f| f.role),
            title: old
                .as_ref()
                .map_or_else(|| "added".into(), |f| f.title.clone()),
            notes: old.as_ref().and_then(|f| f.notes.clone()),
            source_id: old.and_then(|f| f.source_id),
            size: data.len() as u64,
            sha256: sha(data),
            path,
        });
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    m.files = files;
    set(
        e,
        "bag-info.txt",
        docseal::pack::bag_info(&m).expect("bag-info"),
    );
    set(e, "docseal.json", m.to_bytes());
}

/// Rewrites manifest-sha256.txt from the payload entries, percent-encoding
/// names as RFC 8493 says, sorted by the decoded names' bytes.
pub fn sync_manifest(e: &mut Entries) {
    let mut lines: Vec<(Vec<u8>, String)> = e
        .iter()
        .filter(|(n, _)| is_payload(n))
        .map(|(n, d)| {
            let name = String::from_utf8_lossy(rel(n));
            let line = format!("{}  {}\n", sha(d), docseal::bagit::encode_path(&name));
            (rel(n).to_vec(), line)
        })
        .collect();
    lines.sort();
    let text: String = lines.into_iter().map(|(_, l)| l).collect();
    set(e, "manifest-sha256.txt", text);
}

/// Rewrites tagmanifest-sha256.txt over the four listed tag files.
pub fn sync_tagmanifest(e: &mut Entries) {
    let mut names = TAGS[..4].to_vec();
    names.sort_unstable();
    let text: String = names
        .iter()
        .map(|t| format!("{}  {t}\n", sha(get(e, t))))
        .collect();
    set(e, "tagmanifest-sha256.txt", text);
}

/// Reads an unencrypted secret key file.
pub fn secret_key(path: &Path) -> SecretKey {
    docseal::keys::read_secret_key(path, &mut || {
        Err(docseal::Error::Usage("test keys have no passphrase".into()))
    })
    .expect("secret key")
}

/// The trusted comment to sign with: docseal.json's when it parses, else
/// the one of the signature already in the bundle.
fn trusted_comment(e: &Entries) -> String {
    if let Ok(m) = BundleManifest::parse(get(e, "docseal.json")) {
        return m.trusted_comment();
    }
    e.iter()
        .filter(|(n, _)| rel(n).ends_with(b".minisig"))
        .find_map(|(_, d)| Signature::parse(std::str::from_utf8(d).ok()?).ok())
        .map(|s| s.trusted_comment)
        .expect("a trusted comment")
}

/// Adds `key`'s signature over the current tag manifest (and its .pub),
/// keeping any other signature.
pub fn add_signature_with(e: &mut Entries, key: &SecretKey, comment: &str) {
    let id = key.key_id();
    let sig = key
        .sign(
            get(e, "tagmanifest-sha256.txt"),
            comment,
            &format!("docseal signature by key {id}"),
        )
        .expect("sign");
    let sig_name = full(e, &format!("signatures/{id}.minisig"));
    let pub_name = full(e, &format!("signatures/{id}.pub"));
    e.retain(|(n, _)| *n != sig_name && *n != pub_name);
    e.push((sig_name, sig.to_file_text().into_bytes()));
    e.push((pub_name, key.public_key().to_file_text().into_bytes()));
    canonical(e);
}

/// Replaces every signature by `key`'s over the current tag manifest.
pub fn sign(e: &mut Entries, key: &Path) {
    let comment = trusted_comment(e);
    e.retain(|(n, _)| !rel(n).starts_with(b"signatures/"));
    add_signature_with(e, &secret_key(key), &comment);
}

/// Recomputes the tag manifest and the signature only: for tests that
/// hand-craft docseal.json or manifest-sha256.txt.
pub fn reseal(e: &Entries, key: &Path) -> Vec<u8> {
    let mut e = e.clone();
    sync_tagmanifest(&mut e);
    sign(&mut e, key);
    raw_zip(&e)
}

/// What a careful attacker holding `key` does after any change:
/// docseal.json, bag-info.txt, manifest-sha256.txt, the tag manifest and
/// the signature recomputed, entries in canonical order.
pub fn resign_entries(e: &Entries, key: &Path) -> Entries {
    let mut e = e.clone();
    canonical(&mut e);
    sync_json(&mut e);
    sync_manifest(&mut e);
    sync_tagmanifest(&mut e);
    sign(&mut e, key);
    e
}

/// [`resign_entries`], as zip bytes.
pub fn resign(e: &Entries, key: &Path) -> Vec<u8> {
    raw_zip(&resign_entries(e, key))
}

/// Writes `bytes` as `name` in the fixture and verifies it with alice's key.
pub fn check(
    f: &Fixture,
    name: &str,
    bytes: &[u8],
    extra: &[&str],
) -> (i32, Vec<String>, serde_json::Value) {
    std::fs::write(f.path(name), bytes).expect("write bundle");
    verify_json(&f.path(name), &f.path("alice.pub"), extra)
}

/// The status of each signature in a JSON report (e.g. "valid-trusted").
pub fn sig_statuses(report: &serde_json::Value) -> Vec<String> {
    report["signatures"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|s| s["status"].as_str().unwrap_or("").to_owned())
                .collect()
        })
        .unwrap_or_default()
}

/// Every finding code of any severity.
pub fn all_codes(report: &serde_json::Value) -> Vec<String> {
    report["findings"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|f| f["code"].as_str().unwrap_or("").to_owned())
                .collect()
        })
        .unwrap_or_default()
}

/// Runs `extract` on `bundle` with alice's key and asserts it wrote nothing.
#[track_caller]
pub fn assert_extracts_nothing(f: &Fixture, bundle: &str) {
    let out = f.path("extracted");
    let r = docseal(&[
        "extract",
        &f.p(bundle),
        "-q",
        "-p",
        &f.p("alice.pub"),
        "-o",
        &out.display().to_string(),
    ]);
    assert_ne!(r.code, 0, "{bundle} extracted: {}", r.stderr);
    assert!(!out.exists(), "{bundle}: extract created its target");
    let leftovers: Vec<_> = std::fs::read_dir(f.dir.path())
        .expect("list fixture")
        .filter_map(|x| x.ok())
        .filter(|x| x.file_name().to_string_lossy().starts_with(".docseal"))
        .collect();
    assert!(leftovers.is_empty(), "{bundle}: {leftovers:?}");
}

/// One entry of a zip built by [`build_zip`]: what its headers declare.
#[derive(Clone, Debug)]
pub struct Spec {
    /// Full entry name.
    pub name: Vec<u8>,
    /// The bytes stored in the file (deflated or not).
    pub stored: Vec<u8>,
    /// Declared uncompressed size.
    pub size: u32,
    /// Declared CRC-32.
    pub crc: u32,
    /// Compression method.
    pub method: u16,
    /// External attributes of the central record.
    pub external: u32,
    /// Point the central record at entry `j`'s local header instead of writing one.
    pub reuse: Option<usize>,
}

impl Spec {
    /// A stored regular file, as docseal writes it.
    pub fn stored(name: &[u8], data: &[u8]) -> Spec {
        Spec {
            name: name.to_vec(),
            stored: data.to_vec(),
            size: data.len() as u32,
            crc: crc32fast::hash(data),
            method: 0,
            external: 0o100_644 << 16,
            reuse: None,
        }
    }

    /// A deflated file whose headers tell the truth.
    pub fn deflated(name: &[u8], data: &[u8]) -> Spec {
        let mut z = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::best());
        z.write_all(data).expect("deflate");
        Spec {
            stored: z.finish().expect("deflate"),
            method: 8,
            ..Spec::stored(name, data)
        }
    }
}

/// Writes a single-disk zip with canonical header fields from `specs`.
pub fn build_zip(specs: &[Spec]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut central = Vec::new();
    let mut offsets: Vec<u32> = Vec::new();
    for s in specs {
        let fields = |sig: u32| {
            let mut h = sig.to_le_bytes().to_vec();
            for v in [20u16, 0x0800, s.method, 0, 0x0021] {
                h.extend_from_slice(&v.to_le_bytes());
            }
            for v in [s.crc, s.stored.len() as u32, s.size] {
                h.extend_from_slice(&v.to_le_bytes());
            }
            h.extend_from_slice(&(s.name.len() as u16).to_le_bytes());
            h.extend_from_slice(&0u16.to_le_bytes());
            h
        };
        let offset = match s.reuse {
            Some(j) => offsets[j],
            None => {
                let at = out.len() as u32;
                out.extend(fields(0x0403_4b50));
                out.extend_from_slice(&s.name);
                out.extend_from_slice(&s.stored);
                at
            }
        };
        offsets.push(offset);
        let mut c = fields(0x0201_4b50);
        c.splice(4..4, 0x031Eu16.to_le_bytes());
        c.extend_from_slice(&[0, 0, 0, 0, 0, 0]);
        c.extend_from_slice(&s.external.to_le_bytes());
        c.extend_from_slice(&offset.to_le_bytes());
        c.extend_from_slice(&s.name);
        central.extend(c);
    }
    let cd_at = out.len() as u32;
    out.extend_from_slice(&central);
    out.extend_from_slice(&0x0605_4b50u32.to_le_bytes());
    out.extend_from_slice(&[0, 0, 0, 0]);
    let n = specs.len() as u16;
    for v in [n, n] {
        out.extend_from_slice(&v.to_le_bytes());
    }
    out.extend_from_slice(&(central.len() as u32).to_le_bytes());
    out.extend_from_slice(&cd_at.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    out
}

/// The stored specs of a bundle's entries.
pub fn specs(e: &Entries) -> Vec<Spec> {
    e.iter().map(|(n, d)| Spec::stored(n, d)).collect()
}

/// Runs `program` with `args` and kills it after `limit`; `None` on timeout.
pub fn run_timed(program: &str, args: &[&str], limit: Duration) -> Option<Run> {
    let mut child = Command::new(program)
        .args(args)
        .env("SOURCE_DATE_EPOCH", EPOCH)
        .env_remove("DOCSEAL_PASSPHRASE")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let drain = |mut r: Box<dyn Read + Send>| {
        std::thread::spawn(move || {
            let mut s = Vec::new();
            let _ = r.read_to_end(&mut s);
            String::from_utf8_lossy(&s).into_owned()
        })
    };
    let out = drain(Box::new(child.stdout.take().expect("stdout")));
    let err = drain(Box::new(child.stderr.take().expect("stderr")));
    let started = Instant::now();
    let status = loop {
        if let Some(s) = child.try_wait().expect("wait") {
            break Some(s);
        }
        if started.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let (stdout, stderr) = (
        out.join().unwrap_or_default(),
        err.join().unwrap_or_default(),
    );
    status.map(|s| Run {
        code: s.code().unwrap_or(-1),
        stdout,
        stderr,
    })
}

/// The docseal binary under test.
pub fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_docseal")
}

/// Whether a test that needs an environment feature may be skipped here:
/// false (so the test must fail) under CI.
pub fn may_skip(what: &str) -> bool {
    if std::env::var_os("CI").is_some() {
        return false;
    }
    eprintln!("SKIPPED (not under CI): {what}");
    true
}

#[test]
fn resign_is_faithful() {
    let f = Fixture::new();
    let bundle = std::fs::read(f.pack("b.zip")).expect("read");
    let e = zip_contents(&bundle);
    assert_eq!(resign(&e, &f.path("alice.key")), bundle);
    assert_eq!(reseal(&e, &f.path("alice.key")), bundle);
    assert_eq!(build_zip(&specs(&e)), bundle);
}
