//! Hostile archives built byte by byte in code: one or more cases per error
//! code, each asserting the specific code (and field, where it has one).

use std::time::{Duration, Instant};

use super::testkit::*;
use super::{Error, Limits, Mode};
use Mode::{Canonical, Lenient};

#[test]
fn unsafe_and_duplicate_names_are_refused() {
    let named = |n: &[u8]| one(RawEntry::stored(n, b"x"));
    check(
        vec![
            ("dot-dot", named(b"../x"), BOTH, "zip.bad-name"),
            (
                "inner dot-dot",
                named(b"bag/data/../../x"),
                BOTH,
                "zip.bad-name",
            ),
            ("absolute", named(b"/abs"), BOTH, "zip.bad-name"),
            ("drive", named(b"C:x"), BOTH, "zip.bad-name"),
            ("backslash", named(b"a\\b"), BOTH, "zip.bad-name"),
            ("nul", named(b"a\0b"), BOTH, "zip.bad-name"),
            ("escape", named(b"a\x1b[2Jb"), BOTH, "zip.bad-name"),
            ("not utf-8", named(b"a\xffb"), BOTH, "zip.bad-name"),
            ("empty", named(b""), BOTH, "zip.bad-name"),
            (
                "duplicate",
                with(|z| z.entries[1].name = b"d/a".to_vec()),
                BOTH,
                "zip.duplicate-name",
            ),
        ],
        &Limits::default(),
    );
}

#[test]
fn bytes_outside_the_records_are_refused() {
    let concatenated = [with(|_| {}), with(|_| {})].concat();
    let comment_eocd = {
        // A second, plausible end record hidden in the first one's comment.
        let mut b = RawZip::of(two()).build();
        let cd_size = u32::from_le_bytes(b.bytes[b.eocd + 12..b.eocd + 16].try_into().unwrap());
        let fake = super::format::Eocd::canonical(2, cd_size + 22, b.centrals[0] as u32).encode();
        put16(&mut b.bytes, b.eocd + 20, 22);
        b.bytes.extend_from_slice(&fake);
        b.bytes
    };
    check(
        vec![
            (
                "janus prefix",
                with(|z| z.prefix = b"MZ\x90\x00 a Janus prefix".to_vec()),
                BOTH,
                "zip.prepended-bytes",
            ),
            (
                "adjusted prefix",
                with(|z| z.entries[0].before = b"#!/bin/sh\n".to_vec()),
                BOTH,
                "zip.prepended-bytes",
            ),
            (
                "appended",
                with(|z| z.suffix = b"trailing".to_vec()),
                BOTH,
                "zip.trailing-bytes",
            ),
            (
                "gap between entries",
                with(|z| z.entries[1].before = b"hidden".to_vec()),
                BOTH,
                "zip.gap-between-entries",
            ),
            (
                "gap before directory",
                with(|z| z.before_cd = b"hidden".to_vec()),
                BOTH,
                "zip.gap-between-entries",
            ),
            ("two archives", concatenated, BOTH, "zip.multiple-eocd"),
            (
                "end record in comment",
                comment_eocd,
                BOTH,
                "zip.multiple-eocd",
            ),
            (
                "comment",
                with(|z| z.comment = b"hi".to_vec()),
                CANON,
                "zip.non-canonical-header",
            ),
            (
                "multi-disk",
                patched(|b| put16(&mut b.bytes, b.eocd + 4, 1)),
                BOTH,
                "zip.multi-disk",
            ),
            (
                "zip64 marker",
                patched(|b| put32(&mut b.bytes, b.eocd + 16, u32::MAX)),
                BOTH,
                "zip.zip64-unsupported",
            ),
        ],
        &Limits::default(),
    );
}

#[test]
fn a_stored_archive_inside_an_entry_is_not_a_second_end_record() {
    let inner = canonical(&[("x", b"inner")]);
    let bytes = one(RawEntry::stored(b"d/inner.zip", &inner));
    for mode in BOTH {
        let got = outcome(&bytes, *mode, &Limits::default()).unwrap();
        assert_eq!(got, vec![("d/inner.zip".to_owned(), inner.clone())]);
    }
}

#[test]
fn local_headers_must_agree_with_the_central_directory() {
    let local = |edit: fn(&mut Vec<u8>, usize)| patched(move |b| edit(&mut b.bytes, b.locals[0]));
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("name", local(|b, h| b[h + 32] = b'x')),
        ("crc-32", local(|b, h| b[h + 14] ^= 1)),
        (
            "compressed size",
            local(|b, h| (put32(b, h + 18, 6), put32(b, h + 22, 6)).1),
        ),
        ("method", local(|b, h| put16(b, h + 8, 8))),
        ("flags", local(|b, h| put16(b, h + 6, 0))),
    ];
    for (field, bytes) in cases {
        for mode in BOTH {
            match outcome(&bytes, *mode, &Limits::default()) {
                Err(Error::LocalCentralMismatch { field: f, .. }) => {
                    assert_eq!(f, field, "{mode:?}")
                }
                other => panic!("{field} ({mode:?}): {other:?}"),
            }
        }
    }
}

#[test]
fn overlapping_and_misplaced_entries_are_refused() {
    let fifield = with(|z| z.entries[1].reuse = Some(0));
    let into_directory = patched(|b| {
        for at in [
            b.locals[1] + 18,
            b.locals[1] + 22,
            b.centrals[1] + 20,
            b.centrals[1] + 24,
        ] {
            put32(&mut b.bytes, at, 14);
        }
    });
    let swapped = patched(|b| {
        let (a, c) = (b.centrals[0], b.centrals[1]);
        let first = b.bytes[a..c].to_vec();
        let len = first.len();
        b.bytes.copy_within(c..c + len, a);
        b.bytes[c..c + len].copy_from_slice(&first);
    });
    check(
        vec![
            ("fifield", fifield, BOTH, "zip.overlapping-entries"),
            (
                "into directory",
                into_directory,
                BOTH,
                "zip.overlapping-entries",
            ),
            (
                "past the end",
                patched(|b| put32(&mut b.bytes, b.centrals[1] + 42, 100_000)),
                BOTH,
                "zip.truncated",
            ),
            (
                "no local header",
                patched(|b| put32(&mut b.bytes, b.centrals[1] + 42, 1)),
                BOTH,
                "zip.bad-local-header",
            ),
            (
                "directory out of order",
                swapped,
                CANON,
                "zip.bad-central-directory",
            ),
        ],
        &Limits::default(),
    );
}

#[test]
fn unsafe_entry_kinds_are_refused() {
    let descriptor = |e: &mut RawEntry| {
        e.flags |= 0x0008;
        e.after = [
            &0x0807_4b50u32.to_le_bytes()[..],
            &e.crc.to_le_bytes(),
            &5u32.to_le_bytes(),
            &5u32.to_le_bytes(),
        ]
        .concat();
    };
    check(
        vec![
            (
                "encrypted",
                entry_with(|e| e.flags |= 0x0001),
                BOTH,
                "zip.encrypted-entry",
            ),
            (
                "strong encryption",
                entry_with(|e| e.flags |= 0x0040),
                BOTH,
                "zip.encrypted-entry",
            ),
            (
                "aes",
                entry_with(|e| e.method = 99),
                BOTH,
                "zip.encrypted-entry",
            ),
            (
                "data descriptor",
                entry_with(descriptor),
                CANON,
                "zip.data-descriptor",
            ),
            (
                "symlink",
                entry_with(|e| e.external = 0o120_777 << 16),
                BOTH,
                "zip.symlink",
            ),
            (
                "fifo",
                entry_with(|e| e.external = 0o010_644 << 16),
                BOTH,
                "zip.not-a-regular-file",
            ),
            (
                "directory",
                one(dir_entry(b"d/")),
                CANON,
                "zip.not-a-regular-file",
            ),
            (
                "directory without slash",
                one(dir_entry(b"d")),
                LENIENT,
                "zip.not-a-regular-file",
            ),
            (
                "deflated",
                one(RawEntry::deflated(b"d/a", b"alpha")),
                CANON,
                "zip.compressed-entry",
            ),
            (
                "bzip2",
                entry_with(|e| e.method = 12),
                CANON,
                "zip.compressed-entry",
            ),
            (
                "bzip2",
                entry_with(|e| e.method = 12),
                LENIENT,
                "zip.unsupported-method",
            ),
            (
                "zip64 size",
                entry_with(|e| e.size = u32::MAX),
                BOTH,
                "zip.zip64-unsupported",
            ),
        ],
        &Limits::default(),
    );
}

#[test]
fn non_canonical_fields_are_named() {
    let cases: Vec<(&str, &str, Vec<u8>)> = vec![
        (
            "central header",
            "modification time",
            patched(|b| {
                put16(&mut b.bytes, b.centrals[0] + 12, 0x1234);
                put16(&mut b.bytes, b.locals[0] + 10, 0x1234);
            }),
        ),
        (
            "central header",
            "external attributes",
            entry_with(|e| e.external = 0o100_755 << 16),
        ),
        (
            "central header",
            "version made by",
            entry_with(|e| e.made_by = 0x0314),
        ),
        (
            "central header",
            "extra field length",
            entry_with(|e| e.central_extra = b"UT\x05\x00\x01\x00\x00\x00\x00".to_vec()),
        ),
        ("central header", "flags", entry_with(|e| e.flags = 0)),
        (
            "local header",
            "extra field length",
            entry_with(|e| e.local_extra = b"UT\x05\x00\x01\x00\x00\x00\x00".to_vec()),
        ),
        (
            "local header",
            "version needed",
            patched(|b| put16(&mut b.bytes, b.locals[0] + 4, 10)),
        ),
        (
            "end record",
            "comment length",
            with(|z| z.comment = b"hi".to_vec()),
        ),
    ];
    for (record, field, bytes) in cases {
        match outcome(&bytes, Canonical, &Limits::default()) {
            Err(Error::NonCanonicalHeader {
                record: r,
                field: f,
                ..
            }) => assert_eq!((r, f), (record, field)),
            other => panic!("{record} {field}: {other:?}"),
        }
        assert!(
            outcome(&bytes, Lenient, &Limits::default()).is_ok(),
            "{record} {field} is fine when lenient"
        );
    }
}

#[test]
fn limits_are_enforced_before_allocating() {
    let claims = |n: u16| {
        patched(move |b| {
            (
                put16(&mut b.bytes, b.eocd + 8, n),
                put16(&mut b.bytes, b.eocd + 10, n),
            )
                .1
        })
    };
    let started = Instant::now();
    let cases: Vec<(&str, Vec<u8>, Limits, &str)> = vec![
        (
            "claims 60000",
            claims(60_000),
            Limits::default(),
            "zip.bad-central-directory",
        ),
        (
            "claims 60000, limit 1000",
            claims(60_000),
            Limits {
                max_entries: 1000,
                ..Limits::default()
            },
            "zip.too-many-entries",
        ),
        (
            "claims 4 million (zip64)",
            zip64_claiming(4_000_000),
            Limits::default(),
            "zip.too-many-entries",
        ),
        (
            "claims 2^63 (zip64)",
            zip64_claiming(1 << 63),
            Limits::default(),
            "zip.too-many-entries",
        ),
        (
            "claims 900000 (zip64), within the limit",
            zip64_claiming(900_000),
            Limits::default(),
            "zip.bad-central-directory",
        ),
        (
            "two entries, limit 1",
            with(|_| {}),
            Limits {
                max_entries: 1,
                ..Limits::default()
            },
            "zip.too-many-entries",
        ),
        (
            "long name",
            with(|_| {}),
            Limits {
                max_name_len: 2,
                ..Limits::default()
            },
            "zip.name-too-long",
        ),
        (
            "total size",
            with(|_| {}),
            Limits {
                max_total_size: 8,
                ..Limits::default()
            },
            "zip.too-large",
        ),
    ];
    for (what, bytes, limits, code) in cases {
        check(vec![(what, bytes, BOTH, code)], &limits);
    }
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "limits fail fast"
    );
}

/// The two-entry archive with a canonical zip64 end record claiming `n`
/// entries.
fn zip64_claiming(n: u64) -> Vec<u8> {
    let b = RawZip::of(two()).build();
    let mut out = b.bytes[..b.eocd].to_vec();
    let cd_offset = b.centrals[0] as u64;
    let cd_size = (b.eocd - b.centrals[0]) as u64;
    let record_at = out.len() as u64;
    out.extend_from_slice(&0x0606_4b50u32.to_le_bytes());
    out.extend_from_slice(&44u64.to_le_bytes());
    out.extend_from_slice(&[0x1e, 0x03, 0x2d, 0x00, 0, 0, 0, 0, 0, 0, 0, 0]);
    for v in [n, n, cd_size, cd_offset] {
        out.extend_from_slice(&v.to_le_bytes());
    }
    out.extend_from_slice(&0x0706_4b50u32.to_le_bytes());
    out.extend_from_slice(&0u32.to_le_bytes());
    out.extend_from_slice(&record_at.to_le_bytes());
    out.extend_from_slice(&1u32.to_le_bytes());
    out.extend_from_slice(&super::format::Eocd::canonical_for(n, cd_size, cd_offset).encode());
    out
}

#[test]
fn things_that_are_not_zips_are_refused() {
    check(
        vec![
            ("empty", Vec::new(), BOTH, "zip.not-a-zip"),
            (
                "text",
                b"hello, this is not a zip archive at all".to_vec(),
                BOTH,
                "zip.not-a-zip",
            ),
            ("zeros", vec![0; 22], BOTH, "zip.not-a-zip"),
            ("short", b"PK\x05\x06".to_vec(), BOTH, "zip.not-a-zip"),
        ],
        &Limits::default(),
    );
}

#[test]
fn errors_about_an_entry_name_it() {
    let e = outcome(
        &entry_with(|e| e.external = 0o120_777 << 16),
        Canonical,
        &Limits::default(),
    )
    .unwrap_err();
    assert_eq!(e.entry(), Some("d/a"));
    assert!(e.to_string().contains("\"d/a\""), "{e}");
}
