//! File-manager litter: the files that macOS Finder, Windows Explorer and
//! their kin create by themselves in the folders people open, copy and
//! compress, and that are never part of a signed bundle (docs/FORMAT.md §6.2).
//!
//! Invariants: names are matched exactly (case included: `ds_store` or
//! `x.DS_Store` are not litter); a `._name` file outside a `__MACOSX`
//! folder is litter only when it starts with the AppleDouble magic
//! (0x00051607, big-endian), so a file that merely has such a name stays
//! an ordinary file; everything inside a `__MACOSX` folder is Finder's
//! (AppleDouble "resource fork" files that Compress sequesters there).
//! Recognising litter never makes content valid: callers only set it aside
//! (never read further, extracted or signed) and report it, and only where
//! the container itself is not vouched for (folders, `--allow-repacked`).

/// The folder in which Finder's Compress stores each file's AppleDouble data.
pub const MACOSX_FOLDER: &str = "__MACOSX";

/// The first four bytes of an AppleDouble file (RFC 1740 appendix B).
pub const APPLEDOUBLE_MAGIC: [u8; 4] = [0x00, 0x05, 0x16, 0x07];

/// What kind of litter a name is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Litter {
    /// Inside a `__MACOSX` folder (macOS Finder's Compress).
    MacosxFolder,
    /// `.DS_Store` (macOS Finder's view settings).
    DsStore,
    /// `Thumbs.db` (Windows Explorer's thumbnail cache).
    ThumbsDb,
    /// `desktop.ini` (Windows Explorer's folder settings).
    DesktopIni,
    /// `._name`: macOS's AppleDouble data of `name`, written where the file
    /// system cannot hold it (FAT, exFAT, SMB shares, tar and zip files).
    /// Litter only when the file starts with [`APPLEDOUBLE_MAGIC`].
    AppleDouble,
}

impl Litter {
    /// What made it, for reports.
    pub fn describe(self) -> &'static str {
        match self {
            Litter::MacosxFolder => "Finder's __MACOSX data",
            Litter::DsStore => "Finder's view settings",
            Litter::ThumbsDb => "Explorer's thumbnail cache",
            Litter::DesktopIni => "Explorer's folder settings",
            Litter::AppleDouble => "macOS AppleDouble data",
        }
    }

    /// Whether the name alone decides (else the content must start with
    /// [`APPLEDOUBLE_MAGIC`]).
    pub fn by_name_alone(self) -> bool {
        self != Litter::AppleDouble
    }
}

/// The kind of litter `path` (`/`-separated, relative) may be, by its
/// name: any file inside a `__MACOSX` folder, or a last segment that is
/// exactly `.DS_Store`, `Thumbs.db`, `desktop.ini` or `._` + something.
pub fn by_name(path: &str) -> Option<Litter> {
    let mut segments = path.split('/');
    let last = segments.next_back().unwrap_or(path);
    if segments.any(|s| s == MACOSX_FOLDER) {
        return Some(Litter::MacosxFolder);
    }
    match last {
        ".DS_Store" => Some(Litter::DsStore),
        "Thumbs.db" => Some(Litter::ThumbsDb),
        "desktop.ini" => Some(Litter::DesktopIni),
        _ if last.len() > 2 && last.starts_with("._") => Some(Litter::AppleDouble),
        _ => None,
    }
}

/// Whether `head` (a file's first bytes) is AppleDouble's.
pub fn is_appledouble(head: &[u8]) -> bool {
    head.starts_with(&APPLEDOUBLE_MAGIC)
}

/// Whether a top-level folder name is Finder's `__MACOSX` (for the folder
/// beside a bag's top folder in a Finder zip or in what was unzipped from it).
pub fn is_macosx_folder(name: &str) -> bool {
    name == MACOSX_FOLDER
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn litter_is_recognised_by_exact_names_only() {
        for (path, want) in [
            ("data/.DS_Store", Some(Litter::DsStore)),
            (".DS_Store", Some(Litter::DsStore)),
            ("data/x/Thumbs.db", Some(Litter::ThumbsDb)),
            ("desktop.ini", Some(Litter::DesktopIni)),
            ("data/._photo.jpg", Some(Litter::AppleDouble)),
            ("._.DS_Store", Some(Litter::AppleDouble)),
            ("__MACOSX/bag/._bagit.txt", Some(Litter::MacosxFolder)),
            ("data/__MACOSX/anything", Some(Litter::MacosxFolder)),
            ("data/x.DS_Store", None),
            ("data/ds_store", None),
            ("data/.ds_store", None),
            ("data/thumbs.db", None),
            ("data/Thumbs.db.txt", None),
            ("data/Desktop.ini", None),
            ("data/.hidden", None),
            ("data/._", None),
            ("data/__MACOSX", None),
            ("data/__macosx/x", None),
        ] {
            assert_eq!(by_name(path), want, "{path}");
        }
    }

    #[test]
    fn only_appledouble_needs_its_magic() {
        assert!(is_appledouble(&[0, 5, 0x16, 7, 0, 2, 0, 0]));
        assert!(!is_appledouble(&[0, 5, 0x16, 0])); // AppleSingle
        assert!(!is_appledouble(b"notes"));
        assert!(!is_appledouble(&[0, 5]));
        assert!(!Litter::AppleDouble.by_name_alone());
        assert!(Litter::DsStore.by_name_alone());
        assert!(is_macosx_folder("__MACOSX") && !is_macosx_folder("__MACOSX_"));
    }
}
