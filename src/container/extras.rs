//! What lenient mode allows in an extra field block (APPNOTE §4.5, Info-ZIP
//! `proginfo/extrafld.txt`), and which zip signatures may not hide in bytes
//! that no record accounts for.
//!
//! An extra field can change what a reader extracts: Info-ZIP's Unicode
//! Path field (0x7075) replaces the header's name in `unzip`, 7-Zip,
//! libarchive and the `zip` crate but not in Python's zipfile; PKWARE's
//! Unix field (0x000d) carries a link target; libarchive's own 0x6c78
//! carries the external attributes for readers that stream local headers.
//! So the rule is an allow-list of fields that only carry times and owner
//! ids, each of a bounded size, as Info-ZIP `zip`, 7-Zip, Python and
//! bsdtar write them, plus the zip64 field (read by `zip64`).
//!
//! Invariants: a block passes only if it splits exactly into whole
//! fields; no id repeats; each id is on [`ALLOWED`] with at most its
//! length; a Unicode path or comment field gets its own code.

use super::error::Error;
use super::format::Fields;
use super::zip64::EXTRA_ID;

/// Allowed header ids with the longest data each may have.
const ALLOWED: [(u16, usize); 5] = [
    // Zip64 extended information: up to four values (§4.5.3).
    (EXTRA_ID, 28),
    // NTFS times (§4.5.5): reserved, tag 1, size 24, three times.
    (0x000a, 32),
    // Extended timestamp "UT": flags and up to three 4-byte times.
    (0x5455, 13),
    // Info-ZIP Unix "ux": version, uid and gid of up to 8 bytes each.
    (0x7875, 19),
    // Info-ZIP old Unix "UX": two times, optionally uid and gid.
    (0x5855, 12),
];

/// Info-ZIP Unicode Path and Unicode Comment fields.
const UNICODE_PATH: u16 = 0x7075;
const UNICODE_COMMENT: u16 = 0x6375;

/// Checks an extra field block of `entry`'s `record` (a local or central
/// header) against the lenient allow-list.
pub(crate) fn check_block(block: &[u8], entry: &str, record: &'static str) -> Result<(), Error> {
    let bad = |what| Error::BadExtraField {
        entry: entry.to_owned(),
        record,
        what,
    };
    let mut seen: Vec<u16> = Vec::new();
    let mut rest = block;
    while !rest.is_empty() {
        if rest.len() < 4 {
            return Err(bad("bytes after the last field"));
        }
        let mut f = Fields::new(rest);
        let (id, len) = (f.u16(), usize::from(f.u16()));
        let Some(next) = rest.get(4 + len..) else {
            return Err(bad("a field runs past the end of the block"));
        };
        if seen.contains(&id) {
            return Err(bad("a field appears twice"));
        }
        seen.push(id);
        check_field(id, len, entry, record)?;
        let data = rest.get(4..4 + len).unwrap_or_default();
        if let Some(what) = malformed(id, data) {
            return Err(bad(what));
        }
        rest = next;
    }
    Ok(())
}

fn check_field(id: u16, len: usize, entry: &str, record: &'static str) -> Result<(), Error> {
    let what = match id {
        UNICODE_PATH => "path",
        UNICODE_COMMENT => "comment",
        _ if ALLOWED.iter().any(|(a, max)| *a == id && len <= *max) => return Ok(()),
        _ => {
            return Err(Error::UnexpectedExtraField {
                entry: entry.to_owned(),
                record,
                id,
                len,
            })
        }
    };
    Err(Error::UnicodeExtraField {
        entry: entry.to_owned(),
        record,
        what,
        id,
    })
}

/// What is wrong with the data of an allowed field, if anything: each must
/// be laid out as its writers lay it out, because a reader that parses it
/// (the `zip` crate parses "UT" and NTFS times strictly) refuses the whole
/// archive otherwise, where a reader that ignores it extracts it.
fn malformed(id: u16, data: &[u8]) -> Option<&'static str> {
    let ok = match id {
        // Flags for mtime, atime, ctime, then the times the flags name;
        // a central header may keep only mtime (5 bytes) whatever the flags.
        0x5455 => match data.split_first() {
            Some((&flags, times)) => {
                let named = flags.count_ones() as usize;
                flags & 0xF8 == 0
                    && (times.len() == 4 * named || (times.len() == 4 && flags & 1 == 1))
            }
            None => false,
        },
        // Reserved (4), then exactly one attribute: tag 1, size 24, three times.
        0x000a => data.len() == 32 && data.get(4..8) == Some(&[1, 0, 24, 0][..]),
        // Version 1, then a uid and a gid each with its size (1 to 8
        // bytes); empty in a central header, as Info-ZIP writes it.
        0x7875 => match data {
            [] => true,
            [1, uid, rest @ ..] => {
                let u = usize::from(*uid);
                match rest.get(u..) {
                    Some([gid, tail @ ..]) => {
                        let g = usize::from(*gid);
                        (1..=8).contains(&u) && (1..=8).contains(&g) && tail.len() == g
                    }
                    _ => false,
                }
            }
            _ => false,
        },
        // Old Unix: atime and mtime, and in a local header uid and gid.
        0x5855 => data.len() == 8 || data.len() == 12,
        _ => true,
    };
    (!ok).then_some("a time or owner field is not laid out as its writers write it")
}

/// Flag bits every reader handles: deflate options (bits 1, 2), data
/// descriptor (3), UTF-8 names (11). The encryption bits get their own
/// code before this check.
const KNOWN_FLAGS: u16 = 0x0002 | 0x0004 | 0x0008 | 0x0800;

/// The highest "version needed to extract" every reader handles: 4.5,
/// zip64 (Info-ZIP `unzip` 6.0 skips entries that need more).
const MAX_VERSION_NEEDED: u16 = 45;

/// Refuses a header whose version needed or flags some reader would not
/// extract.
pub(crate) fn check_features(
    version_needed: u16,
    flags: u16,
    entry: &str,
    record: &'static str,
) -> Result<(), Error> {
    let refuse = |what, value| Error::UnsupportedFeature {
        entry: entry.to_owned(),
        record,
        what,
        value,
    };
    if version_needed & 0xFF > MAX_VERSION_NEEDED {
        return Err(refuse("version needed", version_needed));
    }
    if flags & !KNOWN_FLAGS != 0 {
        return Err(refuse("flags", flags));
    }
    Ok(())
}

/// The zip record signatures a reader might act upon, with their names.
const SIGNATURES: [(&[u8; 4], &str); 6] = [
    (b"PK\x03\x04", "local header"),
    (b"PK\x01\x02", "central header"),
    (b"PK\x05\x06", "end record"),
    (b"PK\x06\x06", "zip64 end record"),
    (b"PK\x06\x07", "zip64 locator"),
    (b"PK\x07\x08", "data descriptor"),
];

/// The first zip signature in `bytes`, by offset within them and name.
pub(crate) fn find_signature(bytes: &[u8]) -> Option<(usize, &'static str)> {
    bytes.windows(4).enumerate().find_map(|(i, w)| {
        SIGNATURES
            .iter()
            .find(|(sig, _)| w == &sig[..])
            .map(|(_, name)| (i, *name))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(id: u16, data: &[u8]) -> Vec<u8> {
        let mut out = id.to_le_bytes().to_vec();
        out.extend_from_slice(&(data.len() as u16).to_le_bytes());
        out.extend_from_slice(data);
        out
    }

    /// An NTFS times field with attribute `tag` of `size`.
    fn ntfs(tag: u16, size: u16) -> Vec<u8> {
        let mut d = vec![0; 4];
        d.extend_from_slice(&tag.to_le_bytes());
        d.extend_from_slice(&size.to_le_bytes());
        d.extend_from_slice(&[0; 24]);
        d
    }

    #[test]
    fn the_fields_real_tools_write_are_allowed() {
        let block = [
            field(0x5455, &[3, 1, 2, 3, 4, 5, 6, 7, 8]),
            field(0x7875, &[1, 4, 0, 0, 0, 0, 4, 0, 0, 0, 0]),
            field(0x000a, &ntfs(1, 24)),
            field(0x0001, &[0; 16]),
        ]
        .concat();
        assert!(check_block(&block, "e", "central header").is_ok());
        // Central forms: "UT" with mtime only whatever its flags, empty "ux", 8-byte "UX".
        for f in [
            field(0x5455, &[3, 1, 2, 3, 4]),
            field(0x5455, &[1, 1, 2, 3, 4]),
            field(0x5455, &[0]),
            field(0x7875, &[]),
            field(0x7875, &[1, 2, 0, 0, 8, 0, 0, 0, 0, 0, 0, 0, 0]),
            field(0x5855, &[0; 8]),
            field(0x5855, &[0; 12]),
        ] {
            assert!(check_block(&f, "e", "central header").is_ok(), "{f:?}");
        }
        assert!(check_block(&[], "e", "local header").is_ok());
    }

    #[test]
    fn other_fields_and_malformed_blocks_are_refused_with_their_code() {
        let cases: Vec<(Vec<u8>, &str)> = vec![
            (field(0x7075, b"\x01xxxxname"), "zip.unicode-extra-field"),
            (field(0x6375, b"\x01xxxxnote"), "zip.unicode-extra-field"),
            (field(0x000d, &[0; 12]), "zip.unexpected-extra-field"),
            (field(0x6c78, &[0; 9]), "zip.unexpected-extra-field"),
            (field(0x5455, &[0; 40]), "zip.unexpected-extra-field"),
            (b"UT\x01".to_vec(), "zip.bad-extra-field"),
            // Found by the zip_differential fuzzer: a reserved flag bit,
            // which the zip crate refuses (the whole archive with it).
            (field(0x5455, &[0x23, 1, 2, 3, 4]), "zip.bad-extra-field"),
            (field(0x5455, &[3, 1, 2, 3, 4, 5, 6]), "zip.bad-extra-field"),
            (
                field(0x5455, &[1, 1, 2, 3, 4, 5, 6, 7, 8]),
                "zip.bad-extra-field",
            ),
            (field(0x5455, &[]), "zip.bad-extra-field"),
            (field(0x000a, &ntfs(2, 24)), "zip.bad-extra-field"),
            (field(0x000a, &ntfs(1, 16)), "zip.bad-extra-field"),
            (field(0x000a, &[0; 24]), "zip.bad-extra-field"),
            (
                field(0x7875, &[2, 4, 0, 0, 0, 0, 4, 0, 0, 0, 0]),
                "zip.bad-extra-field",
            ),
            (
                field(0x7875, &[1, 4, 0, 0, 0, 0, 4, 0, 0, 0]),
                "zip.bad-extra-field",
            ),
            (field(0x7875, &[1, 0, 0]), "zip.bad-extra-field"),
            (field(0x5855, &[0; 10]), "zip.bad-extra-field"),
            (b"UT\x09\x00\x01".to_vec(), "zip.bad-extra-field"),
            (
                [
                    field(0x5455, &[1, 0, 0, 0, 0]),
                    field(0x5455, &[1, 0, 0, 0, 0]),
                ]
                .concat(),
                "zip.bad-extra-field",
            ),
        ];
        for (block, code) in cases {
            let got = check_block(&block, "e", "local header").map_err(|e| e.code());
            assert_eq!(got, Err(code), "{block:?}");
        }
    }

    #[test]
    fn signatures_are_found_anywhere() {
        assert_eq!(find_signature(b"hello"), None);
        assert_eq!(find_signature(b"xxPK\x05\x06"), Some((2, "end record")));
        assert_eq!(find_signature(b"PK\x07\x08"), Some((0, "data descriptor")));
        assert_eq!(find_signature(b"PK\x05"), None);
    }
}
