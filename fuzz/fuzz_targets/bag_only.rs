//! Raw bytes as any BagIt bag in a zip through `verify --bag-only`'s check
//! (docs/CONFORMANCE.md). Must never panic, and a report must be
//! consistent with itself: a valid verdict has no error, an invalid one
//! names at least one.

#![no_main]

mod scratch;

use docseal::bagcheck::{self, Severity, Verdict};
use docseal::progress::Silent;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let path = scratch::write("bag.zip", data);
    let r = bagcheck::check_path(&path, &docseal::bundle::default_limits(), &Silent);
    let errors = r.findings.iter().filter(|f| f.severity == Severity::Error).count();
    match r.verdict {
        Verdict::Valid => assert_eq!(errors, 0, "valid with errors"),
        Verdict::Invalid => assert!(errors > 0, "invalid without a reason"),
        Verdict::Incomplete => assert_eq!(errors, 0, "incomplete with errors"),
    }
    let _ = bagcheck::render::to_text(&r);
    let _ = bagcheck::render::to_json(&r);
});
