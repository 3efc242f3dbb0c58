//! Hostile and non-canonical zip64, built byte by byte: end records that
//! disagree, point nowhere or claim too much; zip64 extra fields that are
//! missing, short, repeated, lying or unneeded; data descriptors of the
//! wrong width. Each case asserts its specific code (and field); what
//! lenient mode accepts is read back.

use super::format::Eocd;
use super::testkit::*;
use super::tests_zip64::{record_at, seventy_k};
use super::zip64::{Locator, Zip64Eocd};
use super::{Error, Limits, Mode};
use Mode::{Canonical, Lenient};

/// A zip64 extra field holding `values`.
fn z64(values: &[u64]) -> Vec<u8> {
    let mut out = vec![1, 0, 8 * values.len() as u8, 0];
    out.extend(values.iter().flat_map(|v| v.to_le_bytes()));
    out
}

/// The end of a two-entry archive, given zip64 end records it does not
/// need (as Info-ZIP `-fz` writes them).
struct Ends64 {
    prefix: Vec<u8>,
    record: Zip64Eocd,
    between: Vec<u8>,
    locator: Locator,
    eocd: Eocd,
}

/// The two-entry archive with zip64 end records changed by `edit`.
fn ends64(edit: impl Fn(&mut Ends64)) -> Vec<u8> {
    let b = RawZip::of(two()).build();
    let body = b.bytes[..b.eocd].to_vec();
    let (cd_offset, record_at) = (b.centrals[0] as u64, b.eocd as u64);
    let cd_size = record_at - cd_offset;
    let mut p = Ends64 {
        prefix: Vec::new(),
        record: Zip64Eocd::canonical(2, cd_size, cd_offset),
        between: Vec::new(),
        locator: Locator::canonical(record_at),
        eocd: Eocd::canonical_for(2, cd_size, cd_offset),
    };
    edit(&mut p);
    [
        &p.prefix[..],
        &body,
        &p.record.encode(),
        &p.between,
        &p.locator.encode(),
        &p.eocd.encode(),
    ]
    .concat()
}

/// What the two-entry archive holds.
fn two_contents() -> Vec<(String, Vec<u8>)> {
    vec![
        ("d/a".to_owned(), b"alpha".to_vec()),
        ("d/b".to_owned(), b"beta".to_vec()),
    ]
}

#[test]
fn unneeded_zip64_end_records_read_leniently_and_are_named_canonically() {
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("plain", ends64(|_| {})),
        (
            "all markers",
            ends64(|p| p.eocd = Eocd::canonical(u16::MAX, u32::MAX, u32::MAX)),
        ),
        ("one disk of zero", ends64(|p| p.locator.total_disks = 0)),
    ];
    for (what, bytes) in cases {
        let got = outcome(&bytes, Lenient, &Limits::default());
        assert_eq!(
            got.unwrap_or_else(|e| panic!("{what}: {e}")),
            two_contents()
        );
        match outcome(&bytes, Canonical, &Limits::default()) {
            Err(Error::NonCanonicalHeader { record, field, .. }) => {
                assert_eq!((record, field), ("zip64 end record", "signature"), "{what}")
            }
            other => panic!("{what}: {other:?}"),
        }
    }
}

#[test]
fn zip64_extensible_data_is_refused_in_both_modes() {
    // Python reads the record 56 bytes before the locator, the others
    // where the locator points: with extensible data they differ.
    let bytes = ends64(|p| {
        p.record.record_size += 8;
        p.between = b"ext-data".to_vec();
    });
    check(
        vec![("extensible data", bytes, BOTH, "zip.zip64-extensible-data")],
        &Limits::default(),
    );
}

#[test]
fn inconsistent_or_misplaced_zip64_end_records_are_refused() {
    check(
        vec![
            (
                "locator past the end",
                ends64(|p| p.locator.offset = 10_000),
                BOTH,
                "zip.zip64-unsupported",
            ),
            (
                "locator at 2^64 - 1",
                ends64(|p| p.locator.offset = u64::MAX),
                BOTH,
                "zip.zip64-unsupported",
            ),
            (
                "locator at 0",
                ends64(|p| p.locator.offset = 0),
                BOTH,
                "zip.zip64-unsupported",
            ),
            (
                "counts disagree",
                ends64(|p| (p.record.entries, p.record.entries_on_disk) = (3, 3)),
                BOTH,
                "zip.zip64-unsupported",
            ),
            (
                "sizes disagree",
                ends64(|p| p.record.cd_size += 1),
                BOTH,
                "zip.zip64-unsupported",
            ),
            (
                "offsets disagree",
                ends64(|p| p.record.cd_offset -= 1),
                BOTH,
                "zip.zip64-unsupported",
            ),
            (
                "gap before the locator",
                ends64(|p| p.between = vec![0; 4]),
                BOTH,
                "zip.zip64-unsupported",
            ),
            (
                "record size too large",
                ends64(|p| p.record.record_size = 1 << 62),
                BOTH,
                "zip.zip64-unsupported",
            ),
            (
                "janus prefix",
                ends64(|p| p.prefix = b"MZ\x90\x00 a Janus prefix".to_vec()),
                BOTH,
                "zip.prepended-bytes",
            ),
            (
                "record on disk 1",
                ends64(|p| p.record.disk = 1),
                BOTH,
                "zip.multi-disk",
            ),
            (
                "entries on disk differ",
                ends64(|p| p.record.entries_on_disk = 1),
                BOTH,
                "zip.multi-disk",
            ),
            (
                "two disks",
                ends64(|p| p.locator.total_disks = 2),
                BOTH,
                "zip.multi-disk",
            ),
        ],
        &Limits::default(),
    );
}

#[test]
fn huge_zip64_claims_fail_fast() {
    let claims = |count: u64| {
        ends64(move |p| {
            (p.record.entries, p.record.entries_on_disk) = (count, count);
            (p.eocd.entries, p.eocd.entries_on_disk) = (u16::MAX, u16::MAX);
        })
    };
    check(
        vec![
            (
                "2^40 entries",
                claims(1 << 40),
                BOTH,
                "zip.too-many-entries",
            ),
            (
                "2^64 - 1 entries",
                claims(u64::MAX),
                BOTH,
                "zip.too-many-entries",
            ),
            (
                "999,999 entries in 98 bytes",
                claims(999_999),
                BOTH,
                "zip.bad-central-directory",
            ),
            (
                "three entries in the room of two",
                claims(3),
                LENIENT,
                "zip.bad-central-directory",
            ),
            (
                "a 2^62-byte directory",
                ends64(|p| (p.record.cd_size, p.eocd.cd_size) = (1 << 62, u32::MAX)),
                BOTH,
                "zip.bad-central-directory",
            ),
        ],
        &Limits::default(),
    );
}

/// One stored "d/a" entry whose central record has `extra`, version needed
/// `version` and the zip64 marker in the (uncompressed size, compressed
/// size, local header offset) fields flagged in `marks`.
fn central64(marks: [bool; 3], extra: Vec<u8>, version: u16) -> Vec<u8> {
    let mut e = RawEntry::stored(b"d/a", b"alpha");
    e.central_extra = extra;
    let mut b = RawZip::of(vec![e]).build();
    let c = b.centrals[0];
    put16(&mut b.bytes, c + 6, version);
    for (mark, at) in marks.iter().zip([c + 24, c + 20, c + 42]) {
        if *mark {
            put32(&mut b.bytes, at, u32::MAX);
        }
    }
    b.bytes
}

/// One stored "d/a" entry whose local header has `extra`, version needed
/// `version` and the marker in the (uncompressed, compressed) size fields
/// flagged in `marks`.
fn local64(marks: [bool; 2], extra: Vec<u8>, version: u16) -> Vec<u8> {
    let mut e = RawEntry::stored(b"d/a", b"alpha");
    e.local_extra = extra;
    let mut b = RawZip::of(vec![e]).build();
    let l = b.locals[0];
    put16(&mut b.bytes, l + 4, version);
    for (mark, at) in marks.iter().zip([l + 22, l + 18]) {
        if *mark {
            put32(&mut b.bytes, at, u32::MAX);
        }
    }
    b.bytes
}

#[test]
fn zip64_extra_fields_that_other_tools_write_read_leniently_and_are_named_canonically() {
    let other_field_first = [&b"UT\x05\x00\x01\x02\x03\x04\x05"[..], &z64(&[5, 5])].concat();
    let cases: Vec<(&str, Vec<u8>, (&str, &str))> = vec![
        (
            "sizes in zip64",
            central64([true, true, false], z64(&[5, 5]), 45),
            ("central header", "version needed"),
        ),
        (
            "offset in zip64",
            central64([false, false, true], z64(&[0]), 45),
            ("central header", "version needed"),
        ),
        (
            "unneeded zip64 field",
            central64([false; 3], z64(&[5, 5]), 20),
            ("central header", "extra field length"),
        ),
        (
            "marker and value below it",
            central64([true, true, false], z64(&[5, 5]), 20),
            ("central header", "compressed size"),
        ),
        (
            "after another field",
            central64([true, true, false], other_field_first, 20),
            ("central header", "compressed size"),
        ),
        (
            "local zip64 (Python force_zip64)",
            local64([true, true], z64(&[5, 5]), 45),
            ("local header", "version needed"),
        ),
        (
            "local zip64, one marker, both sizes",
            local64([false, true], z64(&[5, 5]), 20),
            ("local header", "compressed size"),
        ),
    ];
    let want = vec![("d/a".to_owned(), b"alpha".to_vec())];
    for (what, bytes, named) in cases {
        let got = outcome(&bytes, Lenient, &Limits::default());
        assert_eq!(got.unwrap_or_else(|e| panic!("{what}: {e}")), want);
        match outcome(&bytes, Canonical, &Limits::default()) {
            Err(Error::NonCanonicalHeader { record, field, .. }) => {
                assert_eq!((record, field), named, "{what}")
            }
            other => panic!("{what}: {other:?}"),
        }
    }
}

#[test]
fn broken_zip64_extra_fields_are_refused() {
    let unbounded = Limits {
        max_total_size: u64::MAX,
        ..Limits::default()
    };
    let runs_past = [&b"\x01\x00\x10\x00"[..], &5u64.to_le_bytes()].concat();
    let twice = [z64(&[5, 5]), z64(&[5, 5])].concat();
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        (
            "marker without field",
            central64([true, false, false], Vec::new(), 45),
            "zip.zip64-unsupported",
        ),
        (
            "field too short",
            central64([true, true, false], z64(&[5]), 45),
            "zip.zip64-unsupported",
        ),
        (
            "field runs past the extra field",
            central64([true, true, false], runs_past, 45),
            "zip.bad-extra-field",
        ),
        (
            "two zip64 fields",
            central64([true, true, false], twice, 45),
            "zip.bad-extra-field",
        ),
        (
            "offset past the end of the file",
            central64([false, false, true], z64(&[u64::MAX - 3]), 45),
            "zip.truncated",
        ),
        (
            "sizes of 2^64 - 1",
            central64([true, true, false], z64(&[u64::MAX, u64::MAX]), 45),
            "zip.truncated",
        ),
        (
            "local marker without field",
            local64([true, true], Vec::new(), 45),
            "zip.zip64-unsupported",
        ),
        (
            "local field too short",
            local64([true, true], z64(&[5]), 45),
            "zip.zip64-unsupported",
        ),
        (
            "local field lies",
            local64([true, true], z64(&[6, 6]), 45),
            "zip.local-central-mismatch",
        ),
    ];
    for (what, bytes, code) in cases {
        check(vec![(what, bytes, BOTH, code)], &unbounded);
    }
    let huge = central64([true, true, false], z64(&[1 << 50, 1 << 50]), 45);
    check(
        vec![("2^50-byte entry", huge, BOTH, "zip.too-large")],
        &Limits::default(),
    );
}

/// A stored "d/a" entry as Info-ZIP streams a zip64 entry: local CRC 0,
/// size markers and a zip64 field of zeros, then a data descriptor.
fn streamed(descriptor: &[u8]) -> Vec<u8> {
    let mut e = RawEntry::deflated(b"d/a", b"alpha");
    e.flags |= 0x0008;
    e.local_extra = z64(&[0, 0]);
    e.after = descriptor.to_vec();
    let mut b = RawZip::of(vec![e]).build();
    let l = b.locals[0];
    put32(&mut b.bytes, l + 14, 0);
    put32(&mut b.bytes, l + 18, u32::MAX);
    put32(&mut b.bytes, l + 22, u32::MAX);
    b.bytes
}

#[test]
fn zip64_data_descriptors_have_8_byte_sizes() {
    let crc = crc32fast::hash(b"alpha").to_le_bytes();
    let packed = RawEntry::deflated(b"d/a", b"alpha").data.len();
    let wide = [
        &crc[..],
        &(packed as u64).to_le_bytes(),
        &5u64.to_le_bytes(),
    ]
    .concat();
    let narrow = [
        &crc[..],
        &(packed as u32).to_le_bytes(),
        &5u32.to_le_bytes(),
    ]
    .concat();
    let sig = 0x0807_4b50u32.to_le_bytes();
    let want = vec![("d/a".to_owned(), b"alpha".to_vec())];
    for d in [[&sig[..], &wide].concat(), wide.clone()] {
        assert_eq!(
            outcome(&streamed(&d), Lenient, &Limits::default()).unwrap(),
            want
        );
        check(
            vec![("wide", streamed(&d), CANON, "zip.data-descriptor")],
            &Limits::default(),
        );
    }
    for d in [[&sig[..], &narrow].concat(), narrow] {
        match outcome(&streamed(&d), Lenient, &Limits::default()) {
            Err(Error::LocalCentralMismatch { field, .. }) => assert_eq!(field, "data descriptor"),
            other => panic!("{other:?}"),
        }
    }
}

/// The 70,000-entry archive with `edit` applied at its end records (at
/// offset `r` of the zip64 end record, `n` the length).
fn seventy_k_with(edit: impl Fn(&mut Vec<u8>, usize, usize)) -> Vec<u8> {
    let mut b = seventy_k().to_vec();
    let n = b.len();
    edit(&mut b, record_at(n), n);
    b
}

#[test]
fn needed_zip64_end_records_must_be_exactly_canonical() {
    let cases: Vec<(&str, Vec<u8>, (&str, &str))> = vec![
        (
            "size marker where the size fits",
            seventy_k_with(|b, _, n| put32(b, n - 10, u32::MAX)),
            ("end record", "central directory size"),
        ),
        (
            "zero disks",
            seventy_k_with(|b, _, n| put32(b, n - 26, 0)),
            ("zip64 locator", "total disks"),
        ),
        (
            "made by Python",
            seventy_k_with(|b, r, _| put16(b, r + 12, 0x2d)),
            ("zip64 end record", "version made by"),
        ),
        (
            "version needed 2.0",
            seventy_k_with(|b, r, _| put16(b, r + 14, 20)),
            ("zip64 end record", "version needed"),
        ),
    ];
    for (what, bytes, named) in cases {
        let z = open(&bytes, Lenient, &Limits::default()).unwrap_or_else(|e| panic!("{what}: {e}"));
        assert_eq!(z.entries().len(), 70_000, "{what}");
        match open(&bytes, Canonical, &Limits::default()) {
            Err(Error::NonCanonicalHeader { record, field, .. }) => {
                assert_eq!((record, field), named, "{what}")
            }
            other => panic!("{what}: {other:?}"),
        }
    }
    let truncated_count = seventy_k_with(|b, _, n| {
        put16(b, n - 14, (70_000 % 65_536) as u16);
        put16(b, n - 12, (70_000 % 65_536) as u16);
    });
    check(
        vec![(
            "count modulo 65,536",
            truncated_count,
            BOTH,
            "zip.zip64-unsupported",
        )],
        &Limits::default(),
    );
}
