//! The fuzz targets' checks (fuzz/fuzz_targets/, docs/FUZZING.md) replayed
//! in ordinary tests: every seed in `fuzz/seeds/<target>/` and every input a
//! fuzzer found, saved as `tests/vectors/fuzz/<target>-<name>.bin`, goes
//! through the same API with the same assertions. Seeds must stay valid
//! inputs (the small bundle verifies, each tag file, manifest, description
//! and key file parses), so a format change that breaks them fails here
//! rather than silently starving the fuzzer.
//!
//! The files are read at run time, not with `include_bytes!`, so that a new
//! seed or a new crash input is replayed without editing this file.

use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

use docseal::bagit::{self, BagInfo, Manifest};
use docseal::container::{Limits, Mode, ZipReader};
use docseal::description::Description;
use docseal::manifest::BundleManifest;
use docseal::minisign::{KdfParams, PublicKey, SecretKeyFile, Signature};
use docseal::progress::Silent;
use docseal::report::Verdict;
use docseal::verify::{verify, TrustedKey, VerifyOptions};

/// The fuzz targets, which name both the seed folders and the vector prefixes.
const TARGETS: [&str; 9] = [
    "verify_bundle",
    "minisign",
    "bagit",
    "manifest_json",
    "description",
    "zip_reader",
    "bag_only",
    "zip_differential",
    "timestamp_token",
];

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The files of `dir`, sorted; none when it does not exist.
fn files_in(dir: &Path) -> Vec<PathBuf> {
    let Ok(rd) = fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut v: Vec<PathBuf> = rd
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .collect();
    v.sort();
    v
}

/// The only key `verify_bundle` trusts: the one that signed the seed bundle.
fn seed_options(allow_repacked: bool) -> VerifyOptions {
    let text = fs::read_to_string(root().join("fuzz/seeds/minisign/seed.pub")).unwrap();
    VerifyOptions {
        trusted: vec![TrustedKey::from_file(
            PublicKey::parse(&text).unwrap(),
            "seed.pub",
        )],
        allow_repacked,
        ..VerifyOptions::default()
    }
}

/// `verify_bundle`: the verdicts in canonical and repacked mode.
fn replay_verify(data: &[u8]) -> (Verdict, Verdict) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bundle.zip");
    fs::write(&path, data).unwrap();
    let strict = verify(&path, &seed_options(false), &Silent)
        .unwrap()
        .report
        .verdict;
    let lenient = verify(&path, &seed_options(true), &Silent)
        .unwrap()
        .report
        .verdict;
    (strict, lenient)
}

/// `minisign`: which of (public key, secret key file, signature) parsed.
fn replay_minisign(data: &[u8]) -> (bool, bool, bool) {
    let Ok(text) = std::str::from_utf8(data) else {
        return (false, false, false);
    };
    let pk = PublicKey::parse(text).ok();
    if let Some(pk) = &pk {
        assert_eq!(&PublicKey::parse(&pk.to_file_text()).unwrap(), pk);
    }
    let sk = SecretKeyFile::parse(text).ok();
    // As in the target, encrypted keys are never unlocked (scrypt's cost).
    if let Some(key) = sk.as_ref().filter(|f| !f.is_encrypted()) {
        if let Ok(key) = key.unlock(None) {
            let text = key.to_file_text(None, KdfParams::default()).unwrap();
            let again = SecretKeyFile::parse(&text).unwrap().unlock(None).unwrap();
            assert_eq!(again.public_key(), key.public_key());
        }
    }
    let sig = Signature::parse(text).ok();
    if let Some(sig) = &sig {
        assert_eq!(&Signature::parse(&sig.to_file_text()).unwrap(), sig);
    }
    (pk.is_some(), sk.is_some(), sig.is_some())
}

/// `bagit`: whether any of the tag-file parsers accepted the bytes.
fn replay_bagit(data: &[u8]) -> bool {
    let manifest = Manifest::parse(data).ok();
    if let Some(m) = &manifest {
        let text = m.to_text();
        assert_eq!(Manifest::parse(text.as_bytes()).unwrap().to_text(), text);
    }
    let info = BagInfo::parse(data).ok();
    if let Some(text) = info.as_ref().and_then(|i| i.to_text().ok()) {
        assert_eq!(BagInfo::parse(text.as_bytes()).ok(), info);
    }
    let declaration = bagit::check_bagit_txt(data).is_ok();
    if let Ok(s) = std::str::from_utf8(data) {
        assert_eq!(bagit::decode_path(&bagit::encode_path(s)).as_deref(), Ok(s));
    }
    manifest.is_some() || info.is_some() || declaration
}

/// `manifest_json`: whether it parsed (and then round-tripped).
fn replay_manifest_json(data: &[u8]) -> bool {
    let Ok(m) = BundleManifest::parse(data) else {
        return false;
    };
    let bytes = m.to_bytes();
    assert_eq!(BundleManifest::parse(&bytes).unwrap(), m);
    true
}

/// `description`: whether it parsed (and then validated again).
fn replay_description(data: &[u8]) -> bool {
    let Ok(text) = std::str::from_utf8(data) else {
        return false;
    };
    let _ = Description::default_title(text);
    // As the fuzz target: the text is also tried as an archivist's NOTES.toml.
    let notes = match docseal::description::NotesFile::parse_all(text) {
        Ok(n) => {
            assert!(n.notes.title.as_deref().is_some_and(|t| !t.is_empty()));
            let _ = n.against(None, Vec::new());
            true
        }
        Err(_) => false,
    };
    match Description::parse(text) {
        Ok(d) => {
            assert_eq!(d.validate(), Ok(()));
            true
        }
        Err(_) => notes,
    }
}

/// `zip_reader`: whether each mode opened the archive; every entry is read
/// to its end and must yield at most its declared size.
fn replay_zip(data: &[u8]) -> [bool; 2] {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("archive.zip");
    fs::write(&path, data).unwrap();
    [Mode::Canonical, Mode::Lenient].map(|mode| {
        let file = fs::File::open(&path).unwrap();
        let Ok(zip) = ZipReader::open(file, mode, &Limits::default()) else {
            return false;
        };
        for (i, entry) in zip.entries().iter().enumerate() {
            let mut out = Vec::new();
            let read = zip.entry_reader(i).unwrap().read_to_end(&mut out);
            assert!(out.len() as u64 <= entry.size, "{} overran", entry.name);
            if read.is_ok() {
                assert_eq!(out.len() as u64, entry.size, "{} ended early", entry.name);
            }
        }
        true
    })
}

/// `bag_only`: the verdict of `verify --bag-only`, consistent with its findings.
fn replay_bag_only(data: &[u8]) -> docseal::bagcheck::Verdict {
    use docseal::bagcheck::{self, Severity, Verdict as V};
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bag.zip");
    fs::write(&path, data).unwrap();
    let r = bagcheck::check_path(&path, &Limits::default(), &Silent);
    let errors = r
        .findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .count();
    match r.verdict {
        V::Valid | V::Incomplete => assert_eq!(errors, 0),
        V::Invalid => assert!(errors > 0),
    }
    drop(bagcheck::render::to_text(&r));
    drop(bagcheck::render::to_json(&r));
    r.verdict
}

/// `zip_differential`: whether docseal's lenient reader accepted every
/// entry; then the `zip` crate must read the same regular files.
fn replay_differential(data: &[u8]) -> bool {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("archive.zip");
    fs::write(&path, data).unwrap();
    let file = fs::File::open(&path).unwrap();
    let Ok(zip) = ZipReader::open(file, Mode::Lenient, &Limits::default()) else {
        return false;
    };
    let mut ours = Vec::new();
    for (i, e) in zip.entries().iter().enumerate() {
        let mut out = Vec::new();
        if zip.entry_reader(i).unwrap().read_to_end(&mut out).is_err() {
            return false;
        }
        ours.push((e.name.clone(), out));
    }
    let mut a = zip::ZipArchive::new(std::io::Cursor::new(data)).expect("the zip crate opens it");
    let mut theirs = Vec::new();
    for i in 0..a.len() {
        let mut f = a.by_index(i).expect("the zip crate opens the entry");
        if f.is_dir() {
            continue;
        }
        assert!(!f.is_symlink(), "{}", f.name());
        let mut out = Vec::new();
        f.read_to_end(&mut out).expect("the zip crate reads it");
        theirs.push((f.name().to_owned(), out));
    }
    ours.sort();
    theirs.sort();
    assert_eq!(ours, theirs);
    true
}

/// Replays `data` through `target`'s checks (a found input: must not panic,
/// and must never verify).
/// The `timestamp_token` target: check a token against the seed roots and signed bytes.
fn replay_timestamp(data: &[u8]) -> docseal::timestamp::TokenStatus {
    let seeds = root().join("fuzz/seeds/timestamp_token");
    let mut trust = docseal::timestamp::TsaTrust::default();
    trust
        .pin(&fs::read(seeds.join("roots.pem")).unwrap())
        .unwrap();
    let signed = fs::read(seeds.join("signed.txt")).unwrap();
    let r =
        docseal::timestamp::check_token("signatures/0123456789ABCDEF.0.tsr", &signed, data, &trust);
    if r.status == docseal::timestamp::TokenStatus::Trusted {
        assert!(r.gen_time.is_some() && r.tsa.is_some() && r.anchor.is_some());
    }
    let _ = docseal::timestamp::list_token("x.tsr", data);
    r.status
}

#[test]
fn every_token_seed_is_trusted_against_the_seed_roots() {
    let tokens: Vec<PathBuf> = files_in(&root().join("fuzz/seeds/timestamp_token"))
        .into_iter()
        .filter(|p| p.extension().is_some_and(|x| x == "tsr"))
        .collect();
    assert_eq!(tokens.len(), 2, "a P-256 and an RSA-2048 seed token");
    for p in tokens {
        let status = replay_timestamp(&fs::read(&p).unwrap());
        assert_eq!(
            status,
            docseal::timestamp::TokenStatus::Trusted,
            "{}",
            p.display()
        );
    }
}

fn replay_found(target: &str, data: &[u8]) {
    match target {
        "verify_bundle" => {
            let (strict, lenient) = replay_verify(data);
            assert_ne!(strict, Verdict::Valid);
            assert_ne!(lenient, Verdict::Valid);
        }
        "minisign" => drop(replay_minisign(data)),
        "bagit" => drop(replay_bagit(data)),
        "manifest_json" => drop(replay_manifest_json(data)),
        "description" => drop(replay_description(data)),
        "zip_reader" => drop(replay_zip(data)),
        "bag_only" => drop(replay_bag_only(data)),
        "zip_differential" => drop(replay_differential(data)),
        "timestamp_token" => drop(replay_timestamp(data)),
        other => panic!("no fuzz target {other}"),
    }
}

#[test]
fn every_seed_folder_exists_and_holds_seeds() {
    for t in TARGETS {
        let seeds = files_in(&root().join("fuzz/seeds").join(t));
        assert!(!seeds.is_empty(), "fuzz/seeds/{t} is empty");
    }
}

#[test]
fn every_differential_seed_reads_the_same_in_docseal_and_the_zip_crate() {
    for seed in files_in(&root().join("fuzz/seeds/zip_differential")) {
        let data = fs::read(&seed).unwrap();
        assert!(replay_differential(&data), "{} refused", seed.display());
    }
}

#[test]
fn the_seed_bundle_verifies_and_its_repack_only_leniently() {
    let dir = root().join("fuzz/seeds/verify_bundle");
    let small = fs::read(dir.join("small.zip")).unwrap();
    assert_eq!(replay_verify(&small), (Verdict::Valid, Verdict::Valid));
    let deflated = fs::read(dir.join("small-deflated.zip")).unwrap();
    assert_eq!(replay_verify(&deflated), (Verdict::Invalid, Verdict::Valid));
}

#[test]
fn every_zip_seed_opens_leniently_and_stored_ones_canonically() {
    for f in files_in(&root().join("fuzz/seeds/zip_reader")) {
        let opened = replay_zip(&fs::read(&f).unwrap());
        let deflated = f.to_string_lossy().contains("deflated");
        assert_eq!(opened, [!deflated, true], "{}", f.display());
    }
}

#[test]
fn every_bag_only_seed_is_a_valid_bag() {
    for f in files_in(&root().join("fuzz/seeds/bag_only")) {
        let verdict = replay_bag_only(&fs::read(&f).unwrap());
        assert_eq!(
            verdict,
            docseal::bagcheck::Verdict::Valid,
            "{}",
            f.display()
        );
    }
}

#[test]
fn every_key_and_signature_seed_parses_as_its_kind() {
    for f in files_in(&root().join("fuzz/seeds/minisign")) {
        let name = f.file_name().unwrap().to_string_lossy().into_owned();
        let expected = (
            name.ends_with(".pub"),
            name.ends_with(".key"),
            name.ends_with(".minisig"),
        );
        assert_eq!(replay_minisign(&fs::read(&f).unwrap()), expected, "{name}");
    }
}

#[test]
fn every_text_seed_parses() {
    type Replay = fn(&[u8]) -> bool;
    let table: [(&str, Replay); 3] = [
        ("bagit", replay_bagit),
        ("manifest_json", replay_manifest_json),
        ("description", replay_description),
    ];
    for (target, replay) in table {
        for f in files_in(&root().join("fuzz/seeds").join(target)) {
            assert!(
                replay(&fs::read(&f).unwrap()),
                "{} does not parse",
                f.display()
            );
        }
    }
}

#[test]
fn every_input_the_fuzzers_found_is_handled() {
    for f in files_in(&root().join("tests/vectors/fuzz")) {
        let name = f.file_name().unwrap().to_string_lossy().into_owned();
        let target = TARGETS
            .into_iter()
            .find(|t| name.starts_with(&format!("{t}-")))
            .unwrap_or_else(|| panic!("{name}: no target prefix"));
        replay_found(target, &fs::read(&f).unwrap());
    }
}

/// Found by `zip_differential` (2026-12-02): a "UT" extra field with a
/// reserved flag bit (0x20) in one central header. docseal accepted the
/// archive; the `zip` crate refuses it whole ("Could not find EOCD"). Now
/// it is `zip.bad-extra-field` in both modes.
#[test]
fn a_time_field_with_a_reserved_flag_is_refused() {
    let data =
        fs::read(root().join("tests/vectors/fuzz/zip_differential-ut-reserved-flag.bin")).unwrap();
    assert!(!replay_differential(&data), "docseal refuses it");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("archive.zip");
    fs::write(&path, &data).unwrap();
    let file = fs::File::open(&path).unwrap();
    let Err(e) = ZipReader::open(file, Mode::Lenient, &Limits::default()) else {
        panic!("accepted");
    };
    assert_eq!(e.code(), "zip.bad-extra-field", "{e}");
    assert!(e.to_string().contains("fuzz-seed/signatures/"), "{e}");
}
