//! Robustness: truncations, exhaustive single-byte flips, and proptest on
//! random bytes, random mutations and random round trips. Nothing may
//! panic; no damaged canonical archive may read back cleanly.

use proptest::prelude::*;

use super::testkit::*;
use super::{Limits, Mode, ZipWriter};

#[test]
fn every_truncation_of_a_valid_archive_is_an_error() {
    let bytes = sample();
    for len in 0..bytes.len() {
        for mode in [Mode::Canonical, Mode::Lenient] {
            let r = outcome(&bytes[..len], mode, &Limits::default());
            assert!(r.is_err(), "{len} bytes ({mode:?}) accepted");
        }
    }
    assert!(outcome(&bytes, Mode::Canonical, &Limits::default()).is_ok());
}

#[test]
fn every_single_byte_change_of_a_canonical_archive_is_caught() {
    let bytes = sample();
    let want = outcome(&bytes, Mode::Canonical, &Limits::default()).unwrap();
    for i in 0..bytes.len() {
        for mask in [0x01u8, 0x20, 0x80, 0xFF] {
            let mut b = bytes.clone();
            b[i] ^= mask;
            if let Ok(got) = outcome(&b, Mode::Canonical, &Limits::default()) {
                panic!(
                    "byte {i} ^ {mask:#x} went unnoticed (same contents: {})",
                    got == want
                );
            }
        }
    }
}

/// Opens and reads in both modes; only panics matter.
fn exercise(bytes: &[u8]) {
    for mode in [Mode::Canonical, Mode::Lenient] {
        let _ = outcome(bytes, mode, &Limits::default());
    }
}

/// A name from a safe alphabet: one to three segments.
fn name() -> impl Strategy<Value = String> {
    proptest::collection::vec("[a-z0-9_é-]{1,8}", 1..4).prop_map(|s| s.join("/"))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn random_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        exercise(&bytes);
    }

    #[test]
    fn random_bytes_ending_in_an_end_record_never_panic(
        body in proptest::collection::vec(any::<u8>(), 0..300),
        fields in proptest::collection::vec(any::<u8>(), 18),
    ) {
        let mut b = body;
        b.extend_from_slice(b"PK\x05\x06");
        b.extend_from_slice(&fields);
        exercise(&b);
    }

    #[test]
    fn mutations_of_a_valid_archive_never_panic(
        edits in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..8),
        cut in proptest::option::of(any::<prop::sample::Index>()),
    ) {
        let mut b = sample();
        for (at, v) in edits {
            let i = at.index(b.len());
            b[i] = v;
        }
        if let Some(at) = cut {
            b.truncate(at.index(b.len()));
        }
        exercise(&b);
    }

    #[test]
    fn random_entries_round_trip_in_both_modes(
        entries in proptest::collection::btree_map(name(), proptest::collection::vec(any::<u8>(), 0..2000), 0..6),
    ) {
        let mut w = ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let want: Vec<(String, Vec<u8>)> = entries.into_iter().collect();
        for (n, d) in &want {
            w.add_stream(n, &mut &d[..], &mut |_| {}).unwrap();
        }
        let bytes = w.finish().unwrap().into_inner();
        for mode in [Mode::Canonical, Mode::Lenient] {
            prop_assert_eq!(&outcome(&bytes, mode, &Limits::default()).unwrap(), &want);
        }
    }
}
