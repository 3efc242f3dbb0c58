//! Bag paths: the only way a name enters or leaves a bundle.
//!
//! A [`BagPath`] is a relative, `/`-separated UTF-8 name that is safe to
//! create on every platform docseal runs on (docs/FORMAT.md §2). Zip entry
//! names, manifest paths (RFC 8493 §2.1.3, §2.2.1) and the paths in
//! `docseal.json` all pass through [`BagPath::new`], and extraction turns a
//! bag path into a filesystem path only through [`BagPath::to_fs_path`].
//!
//! Invariants of every value: not empty; no leading `/`, drive prefix or
//! backslash; no empty, `.` or `..` segment; no control character (C0, DEL,
//! C1); none of Windows' forbidden `< > : " | ? *` (refused on every host, so
//! a bundle that verifies on Linux also extracts on Windows); no
//! Windows-reserved device name (`CON`, `NUL`, `COM1`, `LPT1`, … with any
//! extension, any case); no segment that starts with a space or ends with
//! `.` or a space; at most [`MAX_PATH_BYTES`] bytes, [`MAX_SEGMENT_BYTES`]
//! per segment and [`MAX_DEPTH`] segments.
//!
//! A leading space is refused because RFC 8493 §2.1.3 lets any run of
//! whitespace separate a checksum from its path, so a path that starts with
//! a space would not survive a manifest. Two names that are distinct here
//! may still name the same file on a case-insensitive or normalising
//! filesystem; [`find_collision`] finds them.

use std::collections::HashMap;
use std::fmt;
use std::path::{Component, Path, PathBuf};

use serde::{Deserialize, Serialize};
use unicode_normalization::UnicodeNormalization;

/// The longest bag path, in UTF-8 bytes.
pub const MAX_PATH_BYTES: usize = 1024;
/// The longest segment of a bag path, in UTF-8 bytes (a common filesystem limit).
pub const MAX_SEGMENT_BYTES: usize = 255;
/// The most segments a bag path may have.
pub const MAX_DEPTH: usize = 32;

/// Characters that Windows forbids in names; refused on every host.
const FORBIDDEN: [char; 7] = ['<', '>', ':', '"', '|', '?', '*'];

/// Windows device names, reserved in any case and with any extension.
/// `COM¹`–`LPT³` (superscript digits) and `CONIN$`/`CONOUT$` are reserved too.
const RESERVED: [&str; 30] = [
    "con", "prn", "aux", "nul", "conin$", "conout$", "com1", "com2", "com3", "com4", "com5",
    "com6", "com7", "com8", "com9", "com¹", "com²", "com³", "lpt1", "lpt2", "lpt3", "lpt4", "lpt5",
    "lpt6", "lpt7", "lpt8", "lpt9", "lpt¹", "lpt²", "lpt³",
];

/// Why a name is not a valid bag path.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PathError {
    /// The name is empty.
    #[error("name is empty")]
    Empty,
    /// The name starts with `/`.
    #[error("name is absolute (starts with '/')")]
    Absolute,
    /// The name starts with a drive letter and a colon, like `C:`.
    #[error("name starts with a drive prefix")]
    DrivePrefix,
    /// The name contains a backslash.
    #[error("name contains a backslash; only '/' separates folders")]
    Backslash,
    /// The name has an empty segment (`a//b`, or a trailing `/`).
    #[error("name has an empty segment")]
    EmptySegment,
    /// The name has a `.` or `..` segment.
    #[error("name has a '.' or '..' segment")]
    DotSegment,
    /// The name contains a control character (C0, DEL or C1).
    #[error("name contains control character U+{code:04X}")]
    ControlChar {
        /// The character's code point.
        code: u32,
    },
    /// The name contains a character Windows forbids.
    #[error("name contains {ch:?}, which Windows forbids in names")]
    ForbiddenChar {
        /// The character.
        ch: char,
    },
    /// A segment is a Windows-reserved device name.
    #[error("segment {name:?} is a name Windows reserves for a device")]
    ReservedName {
        /// The offending segment.
        name: String,
    },
    /// A segment starts with a space.
    #[error("a segment starts with a space")]
    LeadingSpace,
    /// A segment ends in `.` or a space (Windows strips them).
    #[error("a segment ends in '.' or a space")]
    TrailingDotOrSpace,
    /// The name is longer than [`MAX_PATH_BYTES`].
    #[error("name is {len} bytes long; the limit is {MAX_PATH_BYTES}")]
    TooLong {
        /// The name's length in bytes.
        len: usize,
    },
    /// A segment is longer than [`MAX_SEGMENT_BYTES`].
    #[error("a segment is {len} bytes long; the limit is {MAX_SEGMENT_BYTES}")]
    SegmentTooLong {
        /// The segment's length in bytes.
        len: usize,
    },
    /// The name has more than [`MAX_DEPTH`] segments.
    #[error("name has {depth} segments; the limit is {MAX_DEPTH}")]
    TooDeep {
        /// The number of segments.
        depth: usize,
    },
    /// A filesystem name is not valid UTF-8.
    #[error("name is not valid UTF-8")]
    NotUtf8,
}

/// A validated bag path; see the module documentation for its invariants.
///
/// Ordering is the byte order of the UTF-8 string, the order of manifests
/// and of the canonical zip. Serialised as a plain string and validated
/// again when deserialised.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct BagPath(String);

impl BagPath {
    /// Validates `s` as a bag path.
    pub fn new(s: &str) -> Result<BagPath, PathError> {
        check_whole(s)?;
        let mut depth = 0;
        for segment in s.split('/') {
            check_segment(segment)?;
            depth += 1;
        }
        if depth > MAX_DEPTH {
            return Err(PathError::TooDeep { depth });
        }
        Ok(BagPath(s.to_owned()))
    }

    /// The path as a string, `/`-separated.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The segments, in order; never empty.
    pub fn segments(&self) -> impl Iterator<Item = &str> {
        self.0.split('/')
    }

    /// The first segment (`data` for a payload file).
    pub fn first_segment(&self) -> &str {
        self.0.split('/').next().unwrap_or(&self.0)
    }

    /// `self/rest`; fails only when the result exceeds a length or depth limit.
    pub fn join(&self, rest: &BagPath) -> Result<BagPath, PathError> {
        BagPath::new(&format!("{}/{}", self.0, rest.0))
    }

    /// The rest of the path after `prefix`, which must match whole segments
    /// (`"data"` and `"data/"` both strip `data/x` to `x`; `"da"` strips
    /// nothing). `None` when the prefix does not match or nothing is left.
    pub fn strip_prefix(&self, prefix: &str) -> Option<BagPath> {
        let prefix = prefix.strip_suffix('/').unwrap_or(prefix);
        let rest = self.0.strip_prefix(prefix)?.strip_prefix('/')?;
        // Every suffix of a valid path that starts at a segment boundary is valid.
        BagPath::new(rest).ok()
    }

    /// Converts a path relative to a folder being packed. Each component
    /// must be a plain name: `..`, `.`, a root or a drive prefix is refused,
    /// and a name that is not UTF-8 gives [`PathError::NotUtf8`].
    pub fn from_fs_relative(p: &Path) -> Result<BagPath, PathError> {
        let mut parts: Vec<&str> = Vec::new();
        for component in p.components() {
            match component {
                Component::Normal(name) => parts.push(name.to_str().ok_or(PathError::NotUtf8)?),
                Component::CurDir | Component::ParentDir => return Err(PathError::DotSegment),
                Component::RootDir => return Err(PathError::Absolute),
                Component::Prefix(_) => return Err(PathError::DrivePrefix),
            }
        }
        BagPath::new(&parts.join("/"))
    }

    /// The key under which two names count as the same file on some file
    /// system (docs/FORMAT.md §2, "Collisions"): Unicode canonical
    /// caseless matching (NFD, full case folding, NFD: APFS, ext4
    /// casefold), with NTFS's upcase equivalence folded in (uppercase then
    /// fold again, so `ı` meets `i`), without the code points HFS+ ignores,
    /// and in NFC. Equal keys mean the names may land on one file: `ß` and
    /// `ss`, `µ` and `μ`, `K` (Kelvin) and `k`, `ſ` and `s`, `ς` and `σ`.
    pub fn collision_key(&self) -> String {
        // ASCII is its own NFC, and its full case fold is its lowercase.
        if self.0.is_ascii() {
            return self.0.to_ascii_lowercase();
        }
        let folded = caseless::default_case_fold_str(&self.0.nfd().collect::<String>());
        let upper: String = folded.chars().flat_map(char::to_uppercase).collect();
        caseless::default_case_fold_str(&upper)
            .nfd()
            .filter(|c| !hfs_ignorable(*c))
            .nfc()
            .collect()
    }

    /// `base` joined with each segment. Safe because no segment can be
    /// `..`, absolute or a drive prefix.
    pub fn to_fs_path(&self, base: &Path) -> PathBuf {
        let mut out = base.to_path_buf();
        out.extend(self.segments());
        out
    }
}

impl fmt::Display for BagPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl AsRef<str> for BagPath {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for BagPath {
    type Error = PathError;
    fn try_from(s: String) -> Result<BagPath, PathError> {
        BagPath::new(&s)
    }
}

impl From<BagPath> for String {
    fn from(p: BagPath) -> String {
        p.0
    }
}

/// Code points HFS+ ignores when it compares names (Apple TN1150): zero
/// width joiners and marks, bidirectional embeddings, deprecated format
/// characters, the byte order mark.
fn hfs_ignorable(c: char) -> bool {
    matches!(c, '\u{200C}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{206A}'..='\u{206F}' | '\u{FEFF}')
}

/// Checks that apply to the whole name: length, anchoring and characters.
fn check_whole(s: &str) -> Result<(), PathError> {
    if s.is_empty() {
        return Err(PathError::Empty);
    }
    if s.len() > MAX_PATH_BYTES {
        return Err(PathError::TooLong { len: s.len() });
    }
    if s.starts_with('/') {
        return Err(PathError::Absolute);
    }
    if matches!(s.as_bytes(), [letter, b':', ..] if letter.is_ascii_alphabetic()) {
        return Err(PathError::DrivePrefix);
    }
    for ch in s.chars() {
        if ch == '\\' {
            return Err(PathError::Backslash);
        }
        if ch.is_control() {
            // char::is_control is exactly Unicode Cc: C0, DEL and C1.
            return Err(PathError::ControlChar { code: ch as u32 });
        }
        if FORBIDDEN.contains(&ch) {
            return Err(PathError::ForbiddenChar { ch });
        }
    }
    Ok(())
}

/// Checks one segment.
fn check_segment(segment: &str) -> Result<(), PathError> {
    if segment.is_empty() {
        return Err(PathError::EmptySegment);
    }
    if segment == "." || segment == ".." {
        return Err(PathError::DotSegment);
    }
    if segment.len() > MAX_SEGMENT_BYTES {
        return Err(PathError::SegmentTooLong { len: segment.len() });
    }
    if segment.starts_with(' ') {
        return Err(PathError::LeadingSpace);
    }
    if segment.ends_with('.') || segment.ends_with(' ') {
        return Err(PathError::TrailingDotOrSpace);
    }
    // Windows ignores the extension and trailing spaces when it matches a
    // device name, so "con.txt" and "con .tar.gz" both open the console.
    let stem = segment
        .split('.')
        .next()
        .unwrap_or(segment)
        .trim_end_matches(' ');
    if is_reserved(stem) {
        return Err(PathError::ReservedName {
            name: segment.to_owned(),
        });
    }
    Ok(())
}

/// Whether `stem` is a Windows device name, in any case. No reserved name
/// is longer than 7 bytes (`conout$`), so most stems are ruled out without
/// lowercasing; an ASCII stem is compared without allocating.
fn is_reserved(stem: &str) -> bool {
    if stem.len() > 7 {
        return false;
    }
    if stem.is_ascii() {
        return RESERVED.iter().any(|r| r.eq_ignore_ascii_case(stem));
    }
    RESERVED.contains(&stem.to_lowercase().as_str())
}

/// Finds two entries that would land on the same file: equal
/// [`BagPath::collision_key`]s (NFC/NFD, case), or a name that is a folder
/// of another name (`a` and `a/b`, in any case). An exact duplicate counts
/// too. Returns the earlier entry first; `None` when all are distinct.
pub fn find_collision<'a>(
    paths: impl IntoIterator<Item = &'a BagPath>,
) -> Option<(&'a BagPath, &'a BagPath)> {
    let mut files: HashMap<String, &'a BagPath> = HashMap::new();
    let mut folders: HashMap<String, &'a BagPath> = HashMap::new();
    for path in paths {
        let key = path.collision_key();
        if let Some(seen) = files.get(&key).or_else(|| folders.get(&key)) {
            return Some((seen, path));
        }
        for (at, _) in key.match_indices('/') {
            let folder = key.get(..at).unwrap_or_default();
            if let Some(seen) = files.get(folder) {
                return Some((seen, path));
            }
            folders.entry(folder.to_owned()).or_insert(path);
        }
        files.insert(key, path);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn p(s: &str) -> BagPath {
        BagPath::new(s).unwrap()
    }

    #[test]
    fn accepts() {
        let long_segment = "a".repeat(MAX_SEGMENT_BYTES);
        let deep = vec!["d"; MAX_DEPTH].join("/");
        let long = vec!["b".repeat(200); 5].join("/") + "/" + &"c".repeat(MAX_PATH_BYTES - 1005);
        for ok in [
            "a",
            "data/a.txt",
            "data/sub dir/file name.pdf",
            "data/.hidden",
            "data/..a",
            "data/a..b",
            "data/100%.txt",
            "data/é/ü.txt",
            "data/e\u{301}.txt",
            "data/console.txt",
            "data/com10",
            "data/lpt0.txt",
            "data/nul_file",
            "data/auxiliary",
            &long_segment,
            &deep,
            &long,
        ] {
            assert_eq!(
                BagPath::new(ok).map(|b| b.as_str().to_owned()),
                Ok(ok.to_owned()),
                "{ok:?}"
            );
        }
        assert_eq!(long.len(), MAX_PATH_BYTES);
    }

    #[test]
    fn rejects() {
        use PathError::*;
        let cases: Vec<(String, PathError)> = vec![
            ("".into(), Empty),
            ("/a".into(), Absolute),
            ("//server/share".into(), Absolute),
            ("C:".into(), DrivePrefix),
            ("c:/windows".into(), DrivePrefix),
            ("C:foo".into(), DrivePrefix),
            ("a\\b".into(), Backslash),
            ("\\\\?\\c:\\x".into(), Backslash),
            ("a//b".into(), EmptySegment),
            ("a/".into(), EmptySegment),
            (".".into(), DotSegment),
            ("..".into(), DotSegment),
            ("a/../b".into(), DotSegment),
            ("a/./b".into(), DotSegment),
            ("a\0b".into(), ControlChar { code: 0 }),
            ("a\nb".into(), ControlChar { code: 0x0A }),
            ("a\rb".into(), ControlChar { code: 0x0D }),
            ("a\tb".into(), ControlChar { code: 0x09 }),
            ("a\u{7f}".into(), ControlChar { code: 0x7F }),
            ("a\u{85}b".into(), ControlChar { code: 0x85 }),
            ("a\u{9f}b".into(), ControlChar { code: 0x9F }),
            ("a<b".into(), ForbiddenChar { ch: '<' }),
            ("a>b".into(), ForbiddenChar { ch: '>' }),
            ("ab:c".into(), ForbiddenChar { ch: ':' }),
            ("a:b".into(), DrivePrefix),
            ("a\"b".into(), ForbiddenChar { ch: '"' }),
            ("a|b".into(), ForbiddenChar { ch: '|' }),
            ("a?b".into(), ForbiddenChar { ch: '?' }),
            ("a*b".into(), ForbiddenChar { ch: '*' }),
            (" a".into(), LeadingSpace),
            ("data/ a.txt".into(), LeadingSpace),
            ("a.".into(), TrailingDotOrSpace),
            ("a /b".into(), TrailingDotOrSpace),
            ("data/...".into(), TrailingDotOrSpace),
            (
                "a".repeat(MAX_PATH_BYTES + 1),
                TooLong {
                    len: MAX_PATH_BYTES + 1,
                },
            ),
            (
                "a/".to_owned() + &"b".repeat(256),
                SegmentTooLong { len: 256 },
            ),
            (
                vec!["d"; MAX_DEPTH + 1].join("/"),
                TooDeep {
                    depth: MAX_DEPTH + 1,
                },
            ),
        ];
        for (input, want) in cases {
            assert_eq!(BagPath::new(&input), Err(want), "{input:?}");
        }
        for (input, name) in [
            ("con", "con"),
            ("data/con.txt", "con.txt"),
            ("data/CON.tar.gz", "CON.tar.gz"),
            ("LPT1", "LPT1"),
            ("x/Com9.log", "Com9.log"),
            ("x/PRN", "PRN"),
            ("x/aux.c", "aux.c"),
            ("x/nul .txt", "nul .txt"),
            ("x/com¹.txt", "com¹.txt"),
            ("x/CONIN$", "CONIN$"),
            ("x/conout$.log", "conout$.log"),
            ("x/LPT³", "LPT³"),
        ] {
            let want = ReservedName { name: name.into() };
            assert_eq!(BagPath::new(input), Err(want), "{input:?}");
        }
    }

    #[test]
    fn errors_display_one_lowercase_line() {
        let e = PathError::ControlChar { code: 10 };
        assert_eq!(e.to_string(), "name contains control character U+000A");
        let e = PathError::ReservedName {
            name: "con.txt".into(),
        };
        assert_eq!(
            e.to_string(),
            "segment \"con.txt\" is a name Windows reserves for a device"
        );
    }

    #[test]
    fn accessors() {
        let x = p("data/sub/f.txt");
        assert_eq!(x.segments().collect::<Vec<_>>(), ["data", "sub", "f.txt"]);
        assert_eq!(x.first_segment(), "data");
        assert_eq!(p("a").first_segment(), "a");
        assert_eq!(x.to_string(), "data/sub/f.txt");
        assert_eq!(
            x.to_fs_path(Path::new("/base")),
            PathBuf::from("/base/data/sub/f.txt")
        );
    }

    #[test]
    fn join_and_strip_prefix() {
        assert_eq!(p("data").join(&p("a/b")), Ok(p("data/a/b")));
        let deep = BagPath::new(&vec!["d"; MAX_DEPTH].join("/")).unwrap();
        assert_eq!(
            deep.join(&p("e")),
            Err(PathError::TooDeep {
                depth: MAX_DEPTH + 1
            })
        );
        let x = p("data/sub/f.txt");
        assert_eq!(x.strip_prefix("data"), Some(p("sub/f.txt")));
        assert_eq!(x.strip_prefix("data/"), Some(p("sub/f.txt")));
        assert_eq!(x.strip_prefix("data/sub"), Some(p("f.txt")));
        assert_eq!(x.strip_prefix("da"), None);
        assert_eq!(x.strip_prefix("data/sub/f.txt"), None);
        assert_eq!(x.strip_prefix("other"), None);
    }

    #[test]
    fn from_fs_relative() {
        assert_eq!(
            BagPath::from_fs_relative(Path::new("a/b.txt")),
            Ok(p("a/b.txt"))
        );
        assert_eq!(
            BagPath::from_fs_relative(Path::new("")),
            Err(PathError::Empty)
        );
        assert_eq!(
            BagPath::from_fs_relative(Path::new("../x")),
            Err(PathError::DotSegment)
        );
        assert_eq!(
            BagPath::from_fs_relative(Path::new("./x")),
            Err(PathError::DotSegment)
        );
        assert_eq!(
            BagPath::from_fs_relative(Path::new("/x")),
            Err(PathError::Absolute)
        );
        assert_eq!(
            BagPath::from_fs_relative(Path::new("a/b\\c")),
            Err(PathError::Backslash)
        );
        #[cfg(unix)]
        {
            use std::os::unix::ffi::OsStrExt;
            let bad = std::ffi::OsStr::from_bytes(b"a/\xffb");
            assert_eq!(
                BagPath::from_fs_relative(Path::new(bad)),
                Err(PathError::NotUtf8)
            );
        }
    }

    #[test]
    fn collisions() {
        type Case<'a> = (&'a [&'a str], Option<(&'a str, &'a str)>);
        let cases: &[Case] = &[
            (&["data/a.txt", "data/b.txt"], None),
            (
                &["data/\u{e9}.txt", "data/e\u{301}.txt"],
                Some(("data/\u{e9}.txt", "data/e\u{301}.txt")),
            ),
            (
                &["data/A.txt", "data/a.txt"],
                Some(("data/A.txt", "data/a.txt")),
            ),
            (&["data/a", "data/a/b"], Some(("data/a", "data/a/b"))),
            (&["data/a/b", "data/a"], Some(("data/a/b", "data/a"))),
            (&["data/A", "data/a/b"], Some(("data/A", "data/a/b"))),
            (
                &["data/x/A", "data/x/a/b/c"],
                Some(("data/x/A", "data/x/a/b/c")),
            ),
            (&["data/ab", "data/a/b"], None),
            (&["data/a/b", "data/a/c"], None),
            (&["data/ΑΣ", "data/ασ"], Some(("data/ΑΣ", "data/ασ"))),
            (&["data/x", "data/x"], Some(("data/x", "data/x"))),
        ];
        for (names, want) in cases {
            let paths: Vec<BagPath> = names.iter().map(|n| p(n)).collect();
            let got = find_collision(paths.iter()).map(|(a, b)| (a.as_str(), b.as_str()));
            assert_eq!(got, *want, "{names:?}");
        }
    }

    #[test]
    fn names_equal_on_some_file_system_collide() {
        let pairs = [
            ("data/straße.txt", "data/STRASSE.txt"),
            ("data/µ.txt", "data/μ.txt"),
            ("data/\u{212A}elvin", "data/kelvin"),
            ("data/ſtop", "data/stop"),
            ("data/ΟΔΟΣ", "data/οδος"),
            ("data/οδος", "data/οδοσ"),
            ("data/ı", "data/I"),
            ("data/ﬁle", "data/FILE"),
            ("data/\u{1E9E}", "data/ss"),
            ("data/Ǆ", "data/ǆ"),
            ("data/ǅ", "data/Ǆ"),
            ("data/ᏸ", "data/Ᏸ"),
            ("data/\u{2126}", "data/ω"),
            ("data/\u{212B}", "data/å"),
            ("data/a\u{200D}b", "data/ab"),
            ("data/e\u{301}\u{323}", "data/\u{1EB9}\u{301}"),
            ("data/\u{1FB3}", "data/\u{3B1}\u{345}"),
        ];
        for (a, b) in pairs {
            assert_eq!(p(a).collision_key(), p(b).collision_key(), "{a} / {b}");
            let both = [p(a), p(b)];
            assert!(find_collision(both.iter()).is_some(), "{a} / {b}");
        }
    }

    #[test]
    fn distinct_names_do_not_collide() {
        let pairs = [
            ("data/i", "data/İ"),
            ("data/a", "data/á"),
            ("data/ss", "data/s"),
            ("data/ﬁ", "data/f"),
            ("data/１", "data/1"),
            ("data/ǆ", "data/dž"),
            ("data/οδος", "data/οδoς"),
        ];
        for (a, b) in pairs {
            assert_ne!(p(a).collision_key(), p(b).collision_key(), "{a} / {b}");
        }
    }

    #[test]
    fn collision_key_normalises() {
        assert_eq!(p("E\u{301}").collision_key(), "\u{e9}");
        assert_eq!(p("Data/ÄB").collision_key(), "data/äb");
    }

    #[test]
    fn serde_validates() {
        let x: BagPath = serde_json::from_str("\"data/a.txt\"").unwrap();
        assert_eq!(x, p("data/a.txt"));
        assert_eq!(serde_json::to_string(&x).unwrap(), "\"data/a.txt\"");
        let err = serde_json::from_str::<BagPath>("\"../x\"").unwrap_err();
        assert!(err.to_string().contains("'.' or '..'"), "{err}");
    }

    #[test]
    fn order_is_byte_order() {
        let mut v = [p("b"), p("a/b"), p("a b"), p("é"), p("Z")];
        v.sort();
        let got: Vec<&str> = v.iter().map(BagPath::as_str).collect();
        assert_eq!(got, ["Z", "a b", "a/b", "b", "é"]);
    }

    proptest! {
        #[test]
        fn new_never_panics_and_roundtrips(s in "\\PC{0,40}|[a-z/. :\\\\]{0,20}") {
            if let Ok(x) = BagPath::new(&s) {
                prop_assert_eq!(x.as_str(), s.as_str());
                let again = x.segments().collect::<Vec<_>>().join("/");
                prop_assert_eq!(BagPath::new(&again), Ok(x));
            }
        }
    }
}
