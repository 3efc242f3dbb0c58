//! `docseal.json` (docs/FORMAT.md §4) from raw bytes. Must never panic;
//! whatever parses must serialise to bytes that parse back to the same
//! manifest, and serialising is deterministic (a fixed point).

#![no_main]

use docseal::manifest::BundleManifest;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(m) = BundleManifest::parse(data) else {
        return;
    };
    let bytes = m.to_bytes();
    let again = BundleManifest::parse(&bytes).expect("to_bytes parses back");
    assert_eq!(again, m, "manifest round trip");
    assert_eq!(again.to_bytes(), bytes, "to_bytes is a fixed point");
    let _ = m.trusted_comment();
});
