//! The verification core as the page runs it: compiled to wasm32 and run
//! in headless chromium (`wasm-bindgen-test-runner`, scripts/test-web.sh),
//! over bundles held in memory, so a difference between the wasm build and
//! the native one (the CLI's tests) shows here.
//!
//! The bundles are the published releases (`releases/`, signed by the
//! publisher keys in `keys/`) and variants of v1 made in memory: one byte
//! flipped, cut short, re-zipped by docseal's own zip writer in another order, and a
//! text file that is no zip at all.

use std::io::Cursor;
use std::sync::Arc;

use docseal::bundle::{ContainerKind, OpenBundle};
use docseal::container::{Limits, Source, ZipWriter};
use docseal::minisign::PublicKey;
use docseal::progress::Silent;
use docseal::report::{BundleFile, Program, Report, Verdict};
use docseal::verify::{verify_source, Context, TrustedKey, VerifyOptions};
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

const RELEASE: &[u8] = include_bytes!("../../../releases/belarus-occupation-statement-v1.zip");
const RELEASE_V2: &[u8] = include_bytes!("../../../releases/belarus-occupation-statement-v2.zip");
/// The key that signed RELEASE.
const SIGNER: &str = include_str!("../../../keys/docseal-publisher-3EF73066ECBC6105.pub");
/// A publisher key that did not sign RELEASE.
const OTHER: &str = include_str!("../../../keys/docseal-publisher-637986C38DED81F1.pub");

fn key(text: &str) -> TrustedKey {
    TrustedKey {
        key: PublicKey::parse(text).expect("a key of keys/ parses"),
        origin: "test".to_owned(),
        name: "test".to_owned(),
    }
}

/// Verifies `bytes` as the page does (less the whole-file digest).
fn verify(bytes: Vec<u8>, trusted: &[&str], allow_repacked: bool) -> Report {
    let opts = VerifyOptions {
        trusted: trusted.iter().map(|t| key(t)).collect(),
        allow_repacked,
        ..VerifyOptions::default()
    };
    let mut ctx = Context {
        file: BundleFile {
            path: "bundle.zip".to_owned(),
            sha256: None,
            size: None,
        },
        program: Program::default(),
        verified_at: None,
        reference: None,
        base: None,
        progress: &Silent,
        rezipped: false,
        folder: false,
    };
    let source: Arc<dyn Source> = Arc::new(bytes);
    verify_source(source, &mut ctx, &opts).report
}

/// The release's entries written again, in reverse order: the same bag in
/// another container, which only `--allow-repacked` accepts.
fn rezipped() -> Vec<u8> {
    let bundle = OpenBundle::from_source(RELEASE.to_vec(), false, &Limits::default())
        .expect("the release opens");
    let mut out = ZipWriter::new(Cursor::new(Vec::new()));
    for f in bundle.files.iter().rev() {
        let data = bundle.read_small(f, u64::MAX).expect("an entry reads");
        out.add_bytes(&format!("{}/{}", bundle.root, f.rel), &data)
            .expect("an entry writes");
    }
    out.finish().expect("the zip finishes").into_inner()
}

#[wasm_bindgen_test]
fn the_release_is_valid_with_its_signer_trusted() {
    let r = verify(RELEASE.to_vec(), &[SIGNER, OTHER], false);
    assert_eq!(r.verdict, Verdict::Valid, "{}", r.summary);
    assert_eq!(r.container, Some(ContainerKind::CanonicalZip));
    assert!(r.files.iter().all(|f| f.ok));
}

#[wasm_bindgen_test]
fn one_flipped_byte_makes_it_invalid() {
    let mut bytes = RELEASE.to_vec();
    let at = bytes.len() / 2;
    bytes[at] ^= 0x01;
    let r = verify(bytes, &[SIGNER], false);
    assert_eq!(r.verdict, Verdict::Invalid, "{}", r.summary);
}

#[wasm_bindgen_test]
fn a_key_nobody_trusts_leaves_it_untrusted() {
    let r = verify(RELEASE.to_vec(), &[OTHER], false);
    assert_eq!(r.verdict, Verdict::Untrusted, "{}", r.summary);
    let r = verify(RELEASE.to_vec(), &[], false);
    assert_eq!(r.verdict, Verdict::Untrusted, "{}", r.summary);
}

#[wasm_bindgen_test]
fn a_rezipped_bundle_is_valid_only_when_allowed() {
    let bytes = rezipped();
    assert_ne!(bytes, RELEASE);
    let strict = verify(bytes.clone(), &[SIGNER], false);
    assert_eq!(strict.verdict, Verdict::Invalid, "{}", strict.summary);
    let lenient = verify(bytes, &[SIGNER], true);
    assert_eq!(lenient.verdict, Verdict::Valid, "{}", lenient.summary);
    assert_eq!(lenient.container, Some(ContainerKind::RepackedZip));
}

#[wasm_bindgen_test]
fn a_text_file_is_not_a_bundle() {
    let r = verify(
        b"This is a plain text file, not a zip.\n".to_vec(),
        &[SIGNER],
        false,
    );
    assert_eq!(r.verdict, Verdict::Invalid, "{}", r.summary);
    assert_eq!(r.container, None);
}

#[wasm_bindgen_test]
fn the_second_release_is_valid_too() {
    let r = verify(RELEASE_V2.to_vec(), &[SIGNER, OTHER], false);
    assert_eq!(r.verdict, Verdict::Valid, "{}", r.summary);
}

#[wasm_bindgen_test]
fn a_truncated_bundle_is_invalid() {
    let cut = RELEASE
        .get(..RELEASE.len() - 100)
        .expect("the release is long");
    let r = verify(cut.to_vec(), &[SIGNER], false);
    assert_eq!(r.verdict, Verdict::Invalid, "{}", r.summary);
}
