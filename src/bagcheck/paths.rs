//! File paths as manifests and `fetch.txt` write them (RFC 8493 §2.1.3,
//! §2.2.3), and which of them are safe.
//!
//! A path is relative to the bag, `/`-separated. Decoding follows the
//! bag's version: `%0A` and `%0D` always stand for LF and CR (bagit-python
//! decodes them in every version), `%25` for `%` from BagIt 1.0 on; other
//! `%` sequences are literal (v0.97 bags name files like `%7Etest1.txt`).
//! An md5sum-style `*` before the path and `.` or empty segments
//! (`./data/x`) are tolerated with a warning. Strict where it matters: a
//! path that could name something outside the bag on any platform is
//! refused, whatever the host: absolute (`/x`), home-relative (`~`,
//! `~user`), a `..` segment, a drive (`C:`), or a backslash (a separator
//! on Windows, so `\\?\UNC\…` and `%HomeDrive%\…` too).

/// A decoded, normalised path and what was tolerated on the way.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Parsed {
    /// The path, with `.` and empty segments removed.
    pub path: String,
    /// Whether it was written with `.` or empty segments.
    pub had_dot_segments: bool,
}

/// Why a path is refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Unsafe {
    /// Starts with `/`.
    Absolute,
    /// Starts with `~`: a home folder once a shell expands it.
    Home,
    /// Has a `..` segment.
    Parent,
    /// Holds a backslash, a folder separator on Windows.
    Backslash,
    /// Starts with a drive letter and a colon.
    Drive,
    /// Nothing is left once `.` segments are removed.
    Empty,
}

impl Unsafe {
    /// One-line reason.
    pub fn reason(&self) -> &'static str {
        match self {
            Unsafe::Absolute => "is an absolute path, outside the bag",
            Unsafe::Home => "starts with '~', a home folder outside the bag",
            Unsafe::Parent => "has a '..' segment, which can leave the bag",
            Unsafe::Backslash => {
                "holds a backslash, a folder separator on Windows that can leave the bag"
            }
            Unsafe::Drive => "starts with a drive letter, outside the bag",
            Unsafe::Empty => "names no file",
        }
    }
}

/// Decodes and checks a path written in a manifest or `fetch.txt`.
pub fn parse(raw: &str, version: (u32, u32)) -> Result<Parsed, Unsafe> {
    let decoded = percent_decode(raw, version >= (1, 0));
    if decoded.starts_with('/') {
        return Err(Unsafe::Absolute);
    }
    if decoded.starts_with('~') {
        return Err(Unsafe::Home);
    }
    if decoded.contains('\\') {
        return Err(Unsafe::Backslash);
    }
    let b = decoded.as_bytes();
    if b.len() >= 2 && b[0].is_ascii_alphabetic() && b[1] == b':' {
        return Err(Unsafe::Drive);
    }
    let mut segments = Vec::new();
    let mut had_dot_segments = false;
    for seg in decoded.split('/') {
        match seg {
            "" | "." => had_dot_segments = true,
            ".." => return Err(Unsafe::Parent),
            s => segments.push(s),
        }
    }
    if segments.is_empty() {
        return Err(Unsafe::Empty);
    }
    // What `./` or `//` hid must not become a home or drive path once dropped.
    let first = segments.first().map(|s| s.as_bytes()).unwrap_or_default();
    if first.first() == Some(&b'~') {
        return Err(Unsafe::Home);
    }
    if first.len() >= 2 && first[0].is_ascii_alphabetic() && first[1] == b':' {
        return Err(Unsafe::Drive);
    }
    Ok(Parsed {
        path: segments.join("/"),
        had_dot_segments,
    })
}

fn percent_decode(raw: &str, percent_too: bool) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut rest = raw;
    while let Some(i) = rest.find('%') {
        out.push_str(rest.get(..i).unwrap_or_default());
        let tail = rest.get(i..).unwrap_or_default();
        let code = tail.get(1..3).map(str::to_ascii_uppercase);
        let ch = match code.as_deref() {
            Some("0A") => Some('\n'),
            Some("0D") => Some('\r'),
            Some("25") if percent_too => Some('%'),
            _ => None,
        };
        match ch {
            Some(c) => {
                out.push(c);
                rest = tail.get(3..).unwrap_or_default();
            }
            None => {
                out.push('%');
                rest = tail.get(1..).unwrap_or_default();
            }
        }
    }
    out.push_str(rest);
    out
}

/// File-manager litter: names that Finder, Explorer and their kin create
/// by themselves (exact names only; [`crate::litter`] holds the list).
pub fn is_system_file(path: &str) -> bool {
    crate::litter::by_name(path).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    const V097: (u32, u32) = (0, 97);
    const V1: (u32, u32) = (1, 0);

    #[test]
    fn decoding_follows_the_version() {
        assert_eq!(
            parse("data/%7Etest1.txt", V097).unwrap().path,
            "data/%7Etest1.txt"
        );
        assert_eq!(parse("data/a%0Ab", V097).unwrap().path, "data/a\nb");
        assert_eq!(parse("data/100%25", V1).unwrap().path, "data/100%");
        assert_eq!(parse("data/100%25", V097).unwrap().path, "data/100%25");
        assert_eq!(parse("data/%", V1).unwrap().path, "data/%");
    }

    #[test]
    fn dot_segments_are_tolerated() {
        let p = parse("./data/x", V097).unwrap();
        assert_eq!(p.path, "data/x");
        assert!(p.had_dot_segments);
        assert!(!parse("data/x", V097).unwrap().had_dot_segments);
    }

    #[test]
    fn escapes_are_refused_on_every_host() {
        for (raw, why) in [
            ("/tmp/foo", Unsafe::Absolute),
            ("~/foo", Unsafe::Home),
            ("~root/foo", Unsafe::Home),
            ("../../../README.md", Unsafe::Parent),
            ("data/../../x", Unsafe::Parent),
            ("C:\\Windows\\System32\\setx.exe", Unsafe::Backslash),
            ("\\\\?\\UNC\\server\\x", Unsafe::Backslash),
            ("%HomeDrive%\\Windows", Unsafe::Backslash),
            ("c:x", Unsafe::Drive),
            ("./", Unsafe::Empty),
        ] {
            assert_eq!(parse(raw, V1), Err(why), "{raw}");
        }
        assert!(parse("data/dir1/~test3.txt", V1).is_ok());
    }

    #[test]
    fn system_files_by_exact_name() {
        assert!(is_system_file("data/.DS_Store"));
        assert!(is_system_file("data/x/Thumbs.db"));
        assert!(is_system_file("data/._photo.jpg"));
        assert!(is_system_file("data/__MACOSX/x"));
        assert!(!is_system_file("data/thumbs.db.txt"));
        assert!(!is_system_file("data/.hidden"));
    }
}

#[cfg(test)]
mod dot_prefix_tests {
    use super::{parse, Unsafe};

    #[test]
    fn a_dot_prefix_cannot_hide_a_home_or_drive_path() {
        for (raw, want) in [
            ("./~", Unsafe::Home),
            ("./~/x", Unsafe::Home),
            (".//C:/x", Unsafe::Drive),
        ] {
            assert_eq!(parse(raw, (1, 0)).err(), Some(want), "{raw}");
        }
        assert_eq!(parse("./data/x", (1, 0)).unwrap().path, "data/x");
    }
}
