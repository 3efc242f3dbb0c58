//! Parser differentials (issue 10 §1): archives that some mainstream reader
//! (Info-ZIP, Python, libarchive on a file or streaming, 7-Zip, Go, the
//! `zip` crate) would extract differently from what docseal checks. Each
//! is refused in both modes (or lenient mode only, where canonical mode
//! refuses it earlier for another reason) with its own code.
//! `tests/it/differential.rs` runs the real readers over whole bundles.

use super::testkit::*;
use super::Limits;

/// One extra field.
fn field(id: u16, data: &[u8]) -> Vec<u8> {
    let mut out = id.to_le_bytes().to_vec();
    out.extend_from_slice(&(data.len() as u16).to_le_bytes());
    out.extend_from_slice(data);
    out
}

/// An Info-ZIP Unicode Path field naming `name` (version 1, CRC of the
/// header's name).
fn unicode_path(header_name: &[u8], name: &[u8]) -> Vec<u8> {
    let mut data = vec![1];
    data.extend_from_slice(&crc32fast::hash(header_name).to_le_bytes());
    data.extend_from_slice(name);
    field(0x7075, &data)
}

#[test]
fn zip_structure_in_the_archive_comment_is_refused() {
    let with_comment = |c: &[u8]| with(|z| z.comment = c.to_vec());
    // A whole second archive (end record included, plausible or not).
    let second = sample();
    let mut cases: Vec<Case> = vec![
        // Its end record is the last plausible one: two archives.
        (
            "a whole archive",
            with_comment(&second),
            BOTH,
            "zip.multiple-eocd",
        ),
        (
            "an archive without its end record",
            with_comment(&second[..second.len() - 22]),
            BOTH,
            "zip.structure-in-comment",
        ),
        (
            "an implausible end record",
            with_comment(&[&b"PK\x05\x06"[..], &[0xEE; 18]].concat()),
            BOTH,
            "zip.structure-in-comment",
        ),
    ];
    for sig in [
        &b"PK\x01\x02"[..],
        b"PK\x03\x04",
        b"PK\x06\x06",
        b"PK\x06\x07",
        b"PK\x07\x08",
    ] {
        let c = [&b"note "[..], sig, b" end"].concat();
        cases.push((
            "a signature",
            with_comment(&c),
            BOTH,
            "zip.structure-in-comment",
        ));
    }
    check(cases, &Limits::default());
    // A plain comment is still fine when lenient.
    let plain = with_comment(b"made by some tool, PK.");
    assert!(outcome(&plain, super::Mode::Lenient, &Limits::default()).is_ok());
}

#[test]
fn zip_structure_in_an_entry_comment_is_refused() {
    let mut cases: Vec<Case> = Vec::new();
    for sig in [
        &b"PK\x01\x02"[..],
        b"PK\x03\x04",
        b"PK\x05\x06",
        b"PK\x06\x06",
        b"PK\x06\x07",
        b"PK\x07\x08",
    ] {
        for which in [0, 1] {
            let c = [&b"entry note "[..], sig, b" end"].concat();
            let bytes = with(|z| z.entries[which].comment = c.clone());
            // Canonically any comment is a non-canonical header; the
            // structure is named first, in both modes.
            cases.push((
                "a signature in an entry comment",
                bytes,
                BOTH,
                "zip.structure-in-comment",
            ));
        }
    }
    // A second archive's end record hidden in the last entry's comment.
    let second = sample();
    let tail = &second[second.len() - 22..];
    cases.push((
        "an end record in an entry comment",
        with(|z| z.entries[1].comment = tail.to_vec()),
        BOTH,
        "zip.structure-in-comment",
    ));
    check(cases, &Limits::default());
    // A plain entry comment is still read when lenient, and the offset named is right.
    let plain = with(|z| z.entries[0].comment = b"made by some tool, PK.".to_vec());
    assert!(outcome(&plain, super::Mode::Lenient, &Limits::default()).is_ok());
    let bytes = with(|z| z.entries[0].comment = b"xxPK\x03\x04".to_vec());
    let e = outcome(&bytes, super::Mode::Lenient, &Limits::default())
        .err()
        .unwrap();
    let at = bytes.windows(4).rposition(|w| w == b"PK\x03\x04").unwrap();
    assert!(e.to_string().ends_with(&format!("at offset {at}")), "{e}");
    assert!(
        e.to_string().starts_with("entry \"d/a\": its comment"),
        "{e}"
    );
}

#[test]
fn local_entries_no_central_record_points_to_are_refused() {
    // A whole local entry between two listed ones: a streaming reader
    // (bsdtar from a pipe) extracts it, the others do not.
    let hidden = {
        let z = RawZip::of(vec![RawEntry::stored(b"d/evil", b"EVIL")]).build();
        z.bytes[..z.centrals[0]].to_vec()
    };
    let between = with(|z| z.entries[1].before = hidden.clone());
    let before_cd = with(|z| z.before_cd = hidden.clone());
    check(
        vec![
            ("between entries", between, BOTH, "zip.gap-between-entries"),
            (
                "before the directory",
                before_cd,
                BOTH,
                "zip.gap-between-entries",
            ),
        ],
        &Limits::default(),
    );
}

#[test]
fn data_a_streaming_reader_would_cut_elsewhere_is_refused() {
    let stored_descriptor = entry_with(|e| {
        e.flags |= 0x0008;
        e.after = [e.crc, 5, 5].iter().flat_map(|v| v.to_le_bytes()).collect();
    });
    // The deflate stream ends early; the bytes after it, inside the
    // declared compressed size, are a local header of their own.
    let short_deflate = {
        let mut e = RawEntry::deflated(b"d/a", b"alpha");
        e.data.extend_from_slice(b"PK\x03\x04 hidden entry");
        one(e)
    };
    check(
        vec![
            (
                "stored with descriptor",
                stored_descriptor.clone(),
                LENIENT,
                "zip.stored-with-descriptor",
            ),
            (
                "stored with descriptor",
                stored_descriptor,
                CANON,
                "zip.data-descriptor",
            ),
            (
                "deflate shorter than its size",
                short_deflate,
                LENIENT,
                "zip.compressed-size-mismatch",
            ),
        ],
        &Limits::default(),
    );
}

#[test]
fn extra_fields_with_another_name_or_meaning_are_refused() {
    let local = |x: Vec<u8>| entry_with(move |e| e.local_extra = x.clone());
    let central = |x: Vec<u8>| entry_with(move |e| e.central_extra = x.clone());
    let upath = unicode_path(b"d/a", b"d/other");
    let same = unicode_path(b"d/a", b"d/a");
    let ucomment = field(0x6375, b"\x01\0\0\0\0note");
    check(
        vec![
            (
                "unicode path, local",
                local(upath.clone()),
                BOTH,
                "zip.unicode-extra-field",
            ),
            (
                "unicode path, central",
                central(upath),
                BOTH,
                "zip.unicode-extra-field",
            ),
            (
                "unicode path, same name",
                central(same),
                BOTH,
                "zip.unicode-extra-field",
            ),
            (
                "unicode comment",
                central(ucomment),
                BOTH,
                "zip.unicode-extra-field",
            ),
            (
                "pkware unix (link target)",
                local(field(0x000d, &[0; 16])),
                BOTH,
                "zip.unexpected-extra-field",
            ),
            (
                "libarchive attributes",
                local(field(0x6c78, &[0; 9])),
                BOTH,
                "zip.unexpected-extra-field",
            ),
            (
                "unknown field",
                central(field(0x4242, b"")),
                BOTH,
                "zip.unexpected-extra-field",
            ),
            (
                "cut short",
                local(b"UT\x09\x00\x01".to_vec()),
                BOTH,
                "zip.bad-extra-field",
            ),
            (
                "stray bytes",
                central(b"\x01\x02".to_vec()),
                BOTH,
                "zip.bad-extra-field",
            ),
        ],
        &Limits::default(),
    );
}

#[test]
fn names_readers_decode_differently_are_refused() {
    let unflagged = |name: &'static [u8]| {
        entry_with(move |e| {
            e.name = name.to_vec();
            e.flags = 0;
        })
    };
    check(
        vec![
            // Valid UTF-8 for "d/é", but "d/Ã©" in CP437.
            (
                "utf-8 without flag",
                unflagged("d/é".as_bytes()),
                BOTH,
                "zip.name-encoding",
            ),
            (
                "cp437 bytes",
                unflagged(b"d/\x82t\x82"),
                BOTH,
                "zip.name-encoding",
            ),
            (
                "not utf-8 with flag",
                entry_with(|e| e.name = b"d/\x82".to_vec()),
                BOTH,
                "zip.bad-name",
            ),
        ],
        &Limits::default(),
    );
    // ASCII reads the same in every encoding: lenient mode takes it.
    let ascii = unflagged(b"d/a");
    assert!(outcome(&ascii, super::Mode::Lenient, &Limits::default()).is_ok());
}

#[test]
fn links_and_special_files_are_refused_under_every_host() {
    let mut cases: Vec<Case> = Vec::new();
    // MS-DOS, Amiga, Unix, VM/CMS, Atari, OS/2, Macintosh, NTFS, VFAT,
    // Acorn, BeOS, Tandem, OS/400, OS X, and unassigned numbers.
    for host in [
        0u16, 1, 3, 4, 5, 6, 7, 10, 11, 13, 14, 16, 17, 18, 19, 30, 255,
    ] {
        let made_by = host << 8 | 0x1E;
        let kind = |mode: u32, dos: u32| {
            entry_with(move |e| (e.made_by, e.external) = (made_by, mode << 16 | dos))
        };
        cases.push(("symlink", kind(0o120_777, 0), BOTH, "zip.symlink"));
        cases.push((
            "7-zip symlink",
            kind(0o120_777, 0x8020),
            BOTH,
            "zip.symlink",
        ));
        cases.push(("fifo", kind(0o010_644, 0), BOTH, "zip.not-a-regular-file"));
        cases.push((
            "char device",
            kind(0o020_644, 0),
            BOTH,
            "zip.not-a-regular-file",
        ));
        cases.push((
            "block device",
            kind(0o060_644, 0),
            BOTH,
            "zip.not-a-regular-file",
        ));
        cases.push(("socket", kind(0o140_644, 0), BOTH, "zip.not-a-regular-file"));
        cases.push(("reparse point", kind(0, 0x420), BOTH, "zip.symlink"));
        cases.push((
            "dos device",
            kind(0, 0x40),
            BOTH,
            "zip.unexpected-attributes",
        ));
        cases.push((
            "setuid",
            kind(0o104_755, 0),
            BOTH,
            "zip.unexpected-attributes",
        ));
        cases.push((
            "sticky",
            kind(0o101_644, 0),
            BOTH,
            "zip.unexpected-attributes",
        ));
        cases.push(("dos dir bit", kind(0, 0x10), BOTH, "zip.not-a-regular-file"));
    }
    check(cases, &Limits::default());
    // Attributes that change nothing stay fine when lenient.
    for external in [0x20, 0x01, 0x8020 | 0o100_644 << 16, 0o100_755 << 16] {
        let ok = entry_with(|e| (e.made_by, e.external) = (0x0B14, external));
        assert!(
            outcome(&ok, super::Mode::Lenient, &Limits::default()).is_ok(),
            "{external:#x}"
        );
    }
}

#[test]
fn directory_entries_may_not_shadow_files_or_break_path_rules() {
    let dirs = |d: &'static [u8]| {
        RawZip::of(vec![dir_entry(d), RawEntry::stored(b"d/a", b"alpha")])
            .build()
            .bytes
    };
    check(
        vec![
            ("same name", dirs(b"d/a/"), LENIENT, "zip.bad-directory"),
            (
                "same name up to case",
                dirs(b"d/A/"),
                LENIENT,
                "zip.bad-directory",
            ),
            (
                "inside the file",
                dirs(b"d/a/b/"),
                LENIENT,
                "zip.bad-directory",
            ),
            (
                "inside, up to folding",
                dirs("d/\u{212B}/../".as_bytes()),
                LENIENT,
                "zip.bad-name",
            ),
            (
                "reserved name",
                dirs(b"d/con/"),
                LENIENT,
                "zip.bad-directory",
            ),
            (
                "forbidden character",
                dirs(b"d/x?/"),
                LENIENT,
                "zip.bad-directory",
            ),
            ("trailing dot", dirs(b"d/x./"), LENIENT, "zip.bad-directory"),
            ("a directory", dirs(b"d/"), CANON, "zip.not-a-regular-file"),
        ],
        &Limits::default(),
    );
    for ok in [&b"d/"[..], b"d/b/", b"d/b/c/"] {
        let bytes = dirs(ok);
        let got = outcome(&bytes, super::Mode::Lenient, &Limits::default());
        assert_eq!(got.map(|v| v.len()).ok(), Some(1), "{ok:?}");
    }
}

#[test]
fn versions_and_flags_some_reader_skips_are_refused() {
    let local_version = patched(|b| put16(&mut b.bytes, b.locals[0] + 4, 63));
    let central_version = patched(|b| put16(&mut b.bytes, b.centrals[0] + 6, 63));
    let patched_data = entry_with(|e| e.flags |= 0x0020);
    let local_flag = patched(|b| put16(&mut b.bytes, b.locals[0] + 6, 0x0810));
    check(
        vec![
            (
                "version 6.3, local",
                local_version,
                LENIENT,
                "zip.unsupported-feature",
            ),
            (
                "version 6.3, central",
                central_version,
                BOTH,
                "zip.unsupported-feature",
            ),
            (
                "patched data flag",
                patched_data,
                BOTH,
                "zip.unsupported-feature",
            ),
            (
                "enhanced deflate flag, local",
                local_flag,
                LENIENT,
                "zip.unsupported-feature",
            ),
            (
                "entry on disk 2",
                patched(|b| put16(&mut b.bytes, b.centrals[0] + 34, 2)),
                BOTH,
                "zip.multi-disk",
            ),
        ],
        &Limits::default(),
    );
    // Deflate option bits (Info-ZIP's -9 sets bit 1) are fine when lenient.
    let options = entry_with(|e| e.flags |= 0x0002);
    assert!(outcome(&options, super::Mode::Lenient, &Limits::default()).is_ok());
}
