//! Entry names: the only names the container accepts, on reading and on
//! writing, are relative `/`-separated UTF-8 paths that every extractor
//! would place inside its destination (APPNOTE §4.4.17: "relative path,
//! forward slashes, no drive letter").
//!
//! Invariants: an accepted name is valid UTF-8, has no control character
//! (C0, DEL, C1), no backslash, no leading `/`, no drive prefix (`C:`) at
//! the start of any segment, and no empty, `.` or `..` segment. A single
//! trailing `/` marks a directory entry. Length is checked before anything
//! else so that a hostile name costs nothing. Directory entries, which
//! extractors create, must moreover be bag paths that neither equal nor
//! lie inside a file's name (up to [`BagPath::collision_key`]).

use std::collections::HashMap;

use super::error::Error;
use crate::bagpath::BagPath;

/// What an accepted name denotes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum NameKind {
    /// A file.
    File,
    /// A directory entry (the name ends with `/`).
    Directory,
}

/// A printable form of a raw name for error messages, cut to `max` bytes.
pub(crate) fn lossy(raw: &[u8], max: usize) -> String {
    String::from_utf8_lossy(raw.get(..max).unwrap_or(raw)).into_owned()
}

/// Accepts a raw entry name of at most `max_len` bytes.
pub(crate) fn check_name(raw: &[u8], max_len: usize) -> Result<(String, NameKind), Error> {
    if raw.len() > max_len {
        return Err(Error::NameTooLong {
            entry: lossy(raw, max_len.min(256)),
            len: raw.len(),
            max: max_len,
        });
    }
    let bad = |reason| Error::BadName {
        entry: lossy(raw, raw.len()),
        reason,
    };
    let name = std::str::from_utf8(raw).map_err(|_| bad("not valid utf-8"))?;
    if let Some(reason) = refusal(name) {
        return Err(bad(reason));
    }
    let kind = if name.ends_with('/') {
        NameKind::Directory
    } else {
        NameKind::File
    };
    Ok((name.to_owned(), kind))
}

/// Why `name` is refused, if it is.
fn refusal(name: &str) -> Option<&'static str> {
    if name.is_empty() {
        return Some("empty");
    }
    if name.chars().any(char::is_control) {
        return Some("contains a control character");
    }
    if name.contains('\\') {
        return Some("contains a backslash");
    }
    if name.starts_with('/') {
        return Some("absolute path");
    }
    let body = name.strip_suffix('/').unwrap_or(name);
    body.split('/').find_map(segment_refusal)
}

/// Why one `/`-separated segment is refused, if it is.
fn segment_refusal(segment: &str) -> Option<&'static str> {
    let mut chars = segment.chars();
    match (chars.next(), chars.next()) {
        (None, _) => Some("empty path segment"),
        (Some('.'), None) => Some("'.' path segment"),
        (Some('.'), Some('.')) if segment.len() == 2 => Some("'..' path segment"),
        // `C:x` is drive-relative on Windows: it would leave the destination.
        (Some(c), Some(':')) if c.is_ascii_alphabetic() => Some("drive prefix"),
        _ => None,
    }
}

/// Checks directory entries against the files: each must be a bag path
/// (docs/FORMAT.md §2), and none may have a file's name or lie inside a
/// file, up to case and Unicode normalisation ([`BagPath::collision_key`]):
/// an extractor would make the file a folder, or fail on one of the two,
/// depending on the order and the file system.
pub(crate) fn check_directories<'a>(
    files: impl Iterator<Item = &'a str>,
    dirs: &[String],
) -> Result<(), Error> {
    if dirs.is_empty() {
        return Ok(());
    }
    let keys: HashMap<String, &str> = files
        .filter_map(|f| Some((BagPath::new(f).ok()?.collision_key(), f)))
        .collect();
    for dir in dirs {
        let bad = |what: String| Error::BadDirectory {
            entry: dir.clone(),
            what,
        };
        let path = BagPath::new(dir.strip_suffix('/').unwrap_or(dir))
            .map_err(|e| bad(format!("not a bag path: {e}")))?;
        let key = path.collision_key();
        let prefixes = key
            .match_indices('/')
            .map(|(at, _)| key.get(..at).unwrap_or_default());
        for folder in std::iter::once(key.as_str()).chain(prefixes) {
            if let Some(file) = keys.get(folder) {
                return Err(bad(format!("shadows the file {file:?}")));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn safe_names_are_accepted_with_their_kind() {
        let cases: &[(&[u8], NameKind)] = &[
            (b"a", NameKind::File),
            (b"bag/data/notes.md", NameKind::File),
            (b"bag/data/", NameKind::Directory),
            (b"a..b/.hidden/x.", NameKind::File),
            ("bag/données/ünï.txt".as_bytes(), NameKind::File),
            (b"a/bc:d", NameKind::File),
            (b"ab:c", NameKind::File),
        ];
        for (raw, kind) in cases {
            let (name, k) = check_name(raw, 1024).unwrap_or_else(|e| panic!("{raw:?}: {e}"));
            assert_eq!(name.as_bytes(), *raw);
            assert_eq!(k, *kind, "{name}");
        }
    }

    #[test]
    fn unsafe_names_are_refused_with_the_reason() {
        let cases: &[(&[u8], &str)] = &[
            (b"", "empty"),
            (b"../x", "'..' path segment"),
            (b"a/../x", "'..' path segment"),
            (b"a/..", "'..' path segment"),
            (b"./x", "'.' path segment"),
            (b"/abs", "absolute path"),
            (b"/", "absolute path"),
            (b"C:x", "drive prefix"),
            (b"a/c:/x", "drive prefix"),
            (b"a\\b", "contains a backslash"),
            (b"a\0b", "contains a control character"),
            (b"a\x7fb", "contains a control character"),
            ("a\u{85}b".as_bytes(), "contains a control character"),
            (b"a\nb", "contains a control character"),
            (b"a//b", "empty path segment"),
            (b"a//", "empty path segment"),
            (b"\xff\xfe", "not valid utf-8"),
        ];
        for (raw, reason) in cases {
            match check_name(raw, 1024) {
                Err(Error::BadName { reason: r, .. }) => assert_eq!(r, *reason, "{raw:?}"),
                other => panic!("{raw:?}: expected bad-name, got {other:?}"),
            }
        }
    }

    #[test]
    fn length_is_checked_first_and_in_bytes() {
        assert!(check_name(&[b'a'; 10], 10).is_ok());
        match check_name(&[0xff; 11], 10) {
            Err(Error::NameTooLong {
                len: 11, max: 10, ..
            }) => {}
            other => panic!("{other:?}"),
        }
    }
}
