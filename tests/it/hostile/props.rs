//! Properties over random inputs, through the library: any small folder
//! packs into a bundle that verifies and extracts byte for byte; and no
//! random damage (flips, insertions, deletions, truncation, up to three at
//! once) to a canonical bundle ever verifies as valid.

use std::fs;
use std::path::Path;
use std::sync::OnceLock;

use docseal::minisign::SecretKey;
use docseal::output::Overwrite;
use docseal::pack::{pack, PackOptions};
use docseal::progress::Silent;
use docseal::report::Verdict;
use docseal::verify::{verify, TrustedKey, VerifyOptions};
use proptest::prelude::*;
use proptest::sample::Index;

use crate::common::*;

/// Options trusting exactly `key`.
fn trusting(key: docseal::minisign::PublicKey) -> VerifyOptions {
    VerifyOptions {
        trusted: vec![TrustedKey::from_file(key, "test")],
        ..Default::default()
    }
}

fn signer() -> &'static SecretKey {
    static KEY: OnceLock<SecretKey> = OnceLock::new();
    KEY.get_or_init(|| SecretKey::generate().expect("key"))
}

/// One payload file: folders, a name, the bytes.
type File = (Vec<String>, String, Vec<u8>);

/// Up to five files in up to two levels of folders. Folder names start
/// with `d-`, file names with their index, so no two names collide.
fn folder() -> impl Strategy<Value = Vec<File>> {
    let seg = "[a-z0-9][a-z0-9_.-]{0,6}[a-z0-9]";
    let file = (
        proptest::collection::vec(seg.prop_map(|s| format!("d-{s}")), 0..3),
        seg,
        proptest::collection::vec(any::<u8>(), 0..3000),
    );
    proptest::collection::vec(file, 1..6).prop_map(|files| {
        files
            .into_iter()
            .enumerate()
            .map(|(i, (dirs, name, data))| (dirs, format!("{i}-{name}"), data))
            .collect()
    })
}

fn rel(f: &File) -> String {
    let mut parts = f.0.clone();
    parts.push(f.1.clone());
    parts.join("/")
}

/// Packs, verifies and extracts `files`; checks the round trip.
fn round_trip(files: &[File]) -> Result<(), TestCaseError> {
    let tmp = tempfile::tempdir().expect("tempdir");
    let input = tmp.path().join("folder");
    for f in files {
        let path = input.join(rel(f));
        fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        fs::write(&path, &f.2).expect("write");
    }
    let out = tmp.path().join("b.zip");
    let opts = PackOptions {
        dir: &input,
        output: &out,
        overwrite: Overwrite::Refuse,
        created: 1_764_288_000,
        supersedes: None,
        // Generated names may start with '.'; every one must round-trip.
        include_hidden: true,
        exclude: &[],
    };
    pack(&opts, signer(), &Silent).map_err(|e| TestCaseError::fail(e.to_string()))?;
    let trust = trusting(signer().public_key());
    let v = verify(&out, &trust, &Silent).unwrap();
    prop_assert_eq!(v.report.verdict, Verdict::Valid, "{:?}", v.report.findings);
    let target = tmp.path().join("x");
    let r = docseal::extract::extract(&out, &trust, &target, Overwrite::Refuse, &Silent)
        .map_err(|e| TestCaseError::fail(e.to_string()))?;
    prop_assert_eq!(r.verdict, Verdict::Valid);
    for f in files {
        let got = fs::read(target.join("data").join(rel(f))).expect("extracted");
        prop_assert_eq!(&got, &f.2, "{}", rel(f));
    }
    prop_assert_eq!(count_files(&target.join("data")), files.len());
    Ok(())
}

fn count_files(dir: &Path) -> usize {
    fs::read_dir(dir)
        .expect("list")
        .map(|e| {
            let p = e.expect("entry").path();
            if p.is_dir() {
                count_files(&p)
            } else {
                1
            }
        })
        .sum()
}

/// The fixture's canonical bundle and the options trusting its signer.
fn canonical() -> &'static (Vec<u8>, VerifyOptions) {
    static BUNDLE: OnceLock<(Vec<u8>, VerifyOptions)> = OnceLock::new();
    BUNDLE.get_or_init(|| {
        let f = Fixture::new();
        let bytes = fs::read(f.pack("b.zip")).expect("read");
        let key = docseal::keys::read_public_key(&f.path("alice.pub")).expect("key");
        (bytes, trusting(key))
    })
}

/// One random change: 0 flip, 1 insert, 2 delete, 3 truncate.
fn mutate(b: &mut Vec<u8>, (kind, at, byte): (u8, Index, u8)) {
    match kind {
        0 if !b.is_empty() => {
            let i = at.index(b.len());
            b[i] ^= byte.max(1);
        }
        1 => b.insert(at.index(b.len() + 1), byte),
        2 if !b.is_empty() => {
            b.remove(at.index(b.len()));
        }
        _ if !b.is_empty() => b.truncate(at.index(b.len())),
        _ => {}
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(16))]

    #[test]
    fn random_folders_pack_verify_and_extract_byte_for_byte(files in folder()) {
        round_trip(&files)?;
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn random_damage_to_a_bundle_never_verifies(
        changes in proptest::collection::vec((0u8..4, any::<Index>(), any::<u8>()), 1..=3)
    ) {
        let (original, trust) = canonical();
        let mut b = original.clone();
        for c in changes {
            mutate(&mut b, c);
        }
        prop_assume!(&b != original);
        let file = tempfile::NamedTempFile::new().expect("tempfile");
        fs::write(file.path(), &b).expect("write");
        let v = verify(file.path(), trust, &Silent).unwrap();
        prop_assert_ne!(v.report.verdict, Verdict::Valid);
    }
}
