//! Deflated, re-zipped and damaged data: what lenient mode accepts (and
//! canonical mode refuses with a specific code), and what fails only when
//! the data is read (CRC-32, sizes, corrupt or explosive deflate).

use super::testkit::*;
use super::{Error, Limits, Mode};
use Mode::Lenient;

/// Expected contents: names and bytes in central-directory order.
type Want<'a> = Vec<(&'a str, &'a [u8])>;

#[test]
fn damaged_or_lying_data_fails_when_read() {
    let lying_bomb = {
        let mut e = RawEntry::deflated(b"d/bomb", &vec![0u8; 100_000]);
        e.size = 1000;
        one(e)
    };
    let flipped = patched(|b| b.bytes[b.locals[0] + 33] ^= 0x20);
    check(
        vec![
            ("flipped content", flipped, BOTH, "zip.crc-mismatch"),
            (
                "lying deflate size",
                lying_bomb,
                LENIENT,
                "zip.size-mismatch",
            ),
            (
                "corrupt deflate",
                entry_with(|e| (e.method, e.data) = (8, vec![0xff; 20])),
                LENIENT,
                "zip.corrupt-data",
            ),
            (
                "short deflate",
                one(RawEntry {
                    size: 6,
                    ..RawEntry::deflated(b"d/a", b"alpha")
                }),
                LENIENT,
                "zip.truncated",
            ),
        ],
        &Limits::default(),
    );
}

#[test]
fn a_deflate_bomb_is_refused_by_its_declared_ratio() {
    let bomb = one(RawEntry::deflated(b"d/bomb", &vec![0u8; 20 << 20]));
    check(
        vec![("bomb", bomb, LENIENT, "zip.ratio-too-high")],
        &Limits::default(),
    );
}

#[test]
fn lenient_mode_accepts_what_other_tools_write_and_canonical_refuses_it() {
    let descriptor = |sig: bool, zero_local: bool| {
        let mut e = RawEntry::deflated(b"d/a", b"alpha alpha alpha");
        e.flags |= 0x0008;
        let fields = [e.crc, e.data.len() as u32, e.size];
        e.after = fields.iter().flat_map(|v| v.to_le_bytes()).collect();
        if sig {
            e.after.splice(0..0, 0x0807_4b50u32.to_le_bytes());
        }
        let mut z = RawZip::of(vec![e, RawEntry::stored(b"d/b", b"beta")]);
        z.comment = b"made by some tool".to_vec();
        let mut b = z.build();
        if zero_local {
            b.bytes[b.locals[0] + 14..b.locals[0] + 26].fill(0);
        }
        b.bytes
    };
    let alpha3 = b"alpha alpha alpha".to_vec();
    let cases: Vec<(&str, Vec<u8>, Want, &str)> = vec![
        (
            "descriptor with signature",
            descriptor(true, true),
            vec![("d/a", &alpha3), ("d/b", b"beta")],
            "zip.non-canonical-header",
        ),
        (
            "descriptor without signature",
            descriptor(false, false),
            vec![("d/a", &alpha3), ("d/b", b"beta")],
            "zip.non-canonical-header",
        ),
        (
            "directories",
            RawZip::of(vec![dir_entry(b"d/"), RawEntry::stored(b"d/a", b"alpha")])
                .build()
                .bytes,
            vec![("d/a", b"alpha")],
            "zip.not-a-regular-file",
        ),
        (
            "extras",
            with(|z| z.entries[0].local_extra = b"UT\x05\x00\x01\x00\x00\x00\x00".to_vec()),
            vec![("d/a", b"alpha"), ("d/b", b"beta")],
            "zip.non-canonical-header",
        ),
    ];
    for (what, bytes, want, canonical_code) in cases {
        let got =
            outcome(&bytes, Lenient, &Limits::default()).unwrap_or_else(|e| panic!("{what}: {e}"));
        let want: Vec<(String, Vec<u8>)> = want
            .iter()
            .map(|(n, d)| ((*n).to_owned(), d.to_vec()))
            .collect();
        assert_eq!(got, want, "{what}");
        check(
            vec![(what, bytes, CANON, canonical_code)],
            &Limits::default(),
        );
    }
}

#[test]
fn a_lying_data_descriptor_is_refused() {
    let mut e = RawEntry::deflated(b"d/a", b"alpha");
    e.flags |= 0x0008;
    let packed = e.data.len() as u32;
    e.after = [0u32, packed, 5]
        .iter()
        .flat_map(|v| v.to_le_bytes())
        .collect();
    let bytes = one(e);
    match outcome(&bytes, Lenient, &Limits::default()) {
        Err(Error::LocalCentralMismatch {
            field: "data descriptor",
            ..
        }) => {}
        other => panic!("{other:?}"),
    }
}
