//! Raw bytes as a bundle zip through the whole verifier, with one fixed
//! trusted key. Must never panic; in the default (canonical) mode a `Valid`
//! verdict is only possible for the seed bundle itself, byte for byte
//! (docs/FORMAT.md §3: every byte of a bundle is significant). With
//! `--allow-repacked` a `Valid` verdict on other bytes is legitimate (a
//! re-zipped seed), but only for the seed's signed content: the tag
//! manifest's digest must be the seed's (§5, §6).

#![no_main]

mod scratch;

use std::sync::OnceLock;

use docseal::minisign::PublicKey;
use docseal::progress::Silent;
use docseal::report::Verdict;
use docseal::verify::{verify, TrustedKey, VerifyOptions};
use libfuzzer_sys::fuzz_target;

/// The small bundle `make-seeds.sh` packs, signed by [`SEED_PUB`].
const SEED: &[u8] = include_bytes!("../seeds/verify_bundle/small.zip");
/// The public key that signed [`SEED`]: the only key the target trusts.
const SEED_PUB: &str = include_str!("../seeds/minisign/seed.pub");

fn options(allow_repacked: bool) -> VerifyOptions {
    let key = PublicKey::parse(SEED_PUB).expect("seeds/minisign/seed.pub parses");
    VerifyOptions {
        trusted: vec![TrustedKey::from_file(key, "seed.pub")],
        allow_repacked,
        ..VerifyOptions::default()
    }
}

/// SHA-256 of the seed's tag manifest, from verifying the seed itself,
/// which must be valid (else the seeds are stale: rerun make-seeds.sh).
fn seed_digest() -> [u8; 32] {
    static DIGEST: OnceLock<[u8; 32]> = OnceLock::new();
    *DIGEST.get_or_init(|| {
        let path = scratch::write("seed.zip", SEED);
        let v = verify(&path, &options(false), &Silent).unwrap();
        assert_eq!(
            v.report.verdict,
            Verdict::Valid,
            "the seed bundle must verify"
        );
        v.tagmanifest_sha256
            .expect("a valid bundle has a tag manifest")
    })
}

fuzz_target!(|data: &[u8]| {
    let seed = seed_digest();
    let path = scratch::write("bundle.zip", data);

    let strict = verify(&path, &options(false), &Silent).unwrap();
    let verdict = strict.report.verdict;
    assert!(
        verdict != Verdict::Valid || data == SEED,
        "a canonical bundle other than the seed verified as valid"
    );

    let lenient = verify(&path, &options(true), &Silent).unwrap();
    if lenient.report.verdict == Verdict::Valid {
        assert_eq!(
            lenient.tagmanifest_sha256,
            Some(seed),
            "a repacked bundle verified as valid with content other than the seed's"
        );
    }
});
