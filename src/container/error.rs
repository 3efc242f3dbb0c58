//! Why an archive could not be read or written: one variant per problem,
//! each with a stable code (`zip.*`) that reports and tests rely on.
//!
//! Invariants: [`Error::code`] never changes for a variant; the Display is
//! one lowercase line without a trailing period that names the entry (its
//! name escaped with `{:?}`, since it comes from the archive) when there is
//! one. The caller adds the file path.

use std::io;

/// Everything that makes an archive unreadable or unwritable.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// No end of central directory record: not a zip file at all.
    #[error("not a zip archive: {what}")]
    NotAZip {
        /// What is missing.
        what: &'static str,
    },
    /// The file ends before a record or an entry's data does.
    #[error("{}truncated: {what}", at(.entry))]
    Truncated {
        /// The entry concerned, if any.
        entry: Option<String>,
        /// What is cut short.
        what: String,
    },
    /// Bytes before the first entry (a Janus file or self-extractor stub).
    #[error("{bytes} bytes before the first entry")]
    PrependedBytes {
        /// How many.
        bytes: u64,
    },
    /// Bytes after the end of central directory record (and its comment).
    #[error("{bytes} bytes after the end of central directory record")]
    TrailingBytes {
        /// How many.
        bytes: u64,
    },
    /// Bytes no record accounts for, before an entry or the central directory.
    #[error("{bytes} unaccounted bytes before {before}")]
    Gap {
        /// `entry "name"` or `the central directory`.
        before: String,
        /// How many.
        bytes: u64,
    },
    /// Two entries, or an entry and the central directory, share bytes.
    #[error("entry {entry:?} overlaps {other}")]
    Overlapping {
        /// The entry that starts later.
        entry: String,
        /// `entry "name"` or `the central directory`.
        other: String,
    },
    /// More than one plausible end of central directory record.
    #[error(
        "{count} end of central directory records (different tools would read different archives)"
    )]
    MultipleEocd {
        /// How many were found.
        count: usize,
    },
    /// A zip64 structure that cannot be used: malformed (a marker without
    /// its zip64 value, a zip64 extra field too short or repeated, end
    /// records that disagree or a locator pointing where there is no zip64
    /// end record) or describing a split archive. When writing: a stream
    /// that grew past 4 GiB − 2 bytes after its local header was written
    /// without room for zip64 sizes (see [`super::ZipWriter::add_stream_sized`]).
    #[error("{}unusable zip64 structure: {what}", at(.entry))]
    Zip64Unsupported {
        /// The entry concerned, if any.
        entry: Option<String>,
        /// What is wrong.
        what: &'static str,
    },
    /// A split (multi-disk) archive.
    #[error("split or multi-disk archives are not supported")]
    MultiDisk,
    /// The central directory is malformed.
    #[error("{}bad central directory: {what}", at(.entry))]
    BadCentralDirectory {
        /// The entry concerned, if any.
        entry: Option<String>,
        /// What is wrong.
        what: String,
    },
    /// No valid local header where the central directory says.
    #[error("entry {entry:?}: bad local header: {what}")]
    BadLocalHeader {
        /// The entry concerned.
        entry: String,
        /// What is wrong.
        what: String,
    },
    /// Two entries with the same name (exact bytes).
    #[error("entry {entry:?} appears more than once")]
    DuplicateName {
        /// The repeated name.
        entry: String,
    },
    /// A field differs from the value the canonical writer produces.
    #[error("{}{record} field {field} is {found:#x}, not the canonical {expected:#x}", at(.entry))]
    NonCanonicalHeader {
        /// The entry concerned (none for the end record).
        entry: Option<String>,
        /// `local header`, `central header` or `end record`.
        record: &'static str,
        /// The field's name.
        field: &'static str,
        /// The value found.
        found: u64,
        /// The canonical value.
        expected: u64,
    },
    /// The local header and the central record disagree.
    #[error("entry {entry:?}: local header and central directory disagree on the {field}")]
    LocalCentralMismatch {
        /// The entry concerned.
        entry: String,
        /// The field that differs.
        field: &'static str,
    },
    /// An encrypted entry (flag bit 0, 6 or 13, or method 99).
    #[error("entry {entry:?} is encrypted")]
    EncryptedEntry {
        /// The entry concerned.
        entry: String,
    },
    /// A data descriptor (flag bit 3) in canonical mode.
    #[error("entry {entry:?} uses a data descriptor")]
    DataDescriptor {
        /// The entry concerned.
        entry: String,
    },
    /// A symbolic link.
    #[error("entry {entry:?} is a symbolic link")]
    Symlink {
        /// The entry concerned.
        entry: String,
    },
    /// A directory (canonical mode) or a special file.
    #[error("entry {entry:?} is not a regular file: {what}")]
    NotARegularFile {
        /// The entry concerned.
        entry: String,
        /// What it is instead.
        what: &'static str,
    },
    /// A compressed entry in canonical mode.
    #[error("entry {entry:?} is compressed (method {method}), not stored")]
    CompressedEntry {
        /// The entry concerned.
        entry: String,
        /// The compression method.
        method: u16,
    },
    /// A compression method other than stored and deflate.
    #[error("entry {entry:?} uses unsupported compression method {method}")]
    UnsupportedMethod {
        /// The entry concerned.
        entry: String,
        /// The compression method.
        method: u16,
    },
    /// A name that is not a safe relative UTF-8 path.
    #[error("entry {entry:?}: unsafe name: {reason}")]
    BadName {
        /// The name (lossily decoded if not UTF-8).
        entry: String,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// More entries than [`super::Limits::max_entries`] allows.
    #[error("{count} entries, more than the {max} allowed")]
    TooManyEntries {
        /// How many the archive claims.
        count: u64,
        /// The limit.
        max: u64,
    },
    /// A name longer than [`super::Limits::max_name_len`].
    #[error("entry {entry:?}: name of {len} bytes, longer than the {max} allowed")]
    NameTooLong {
        /// The name (lossily decoded, possibly shortened).
        entry: String,
        /// Its length in bytes.
        len: usize,
        /// The limit.
        max: usize,
    },
    /// The entries' total declared size exceeds [`super::Limits::max_total_size`].
    #[error("{}entries total {total} bytes, more than the {max} allowed", at(.entry))]
    TooLarge {
        /// The entry that crossed the limit, if any.
        entry: Option<String>,
        /// The running total.
        total: u64,
        /// The limit.
        max: u64,
    },
    /// A deflated entry's declared ratio exceeds [`super::Limits::max_ratio`].
    #[error("entry {entry:?} expands {ratio} times, more than the {max} allowed")]
    RatioTooHigh {
        /// The entry concerned.
        entry: String,
        /// Declared uncompressed size divided by compressed size.
        ratio: u64,
        /// The limit.
        max: u64,
    },
    /// The data holds more bytes than declared.
    #[error("entry {entry:?} holds more than its declared {declared} bytes")]
    SizeMismatch {
        /// The entry concerned.
        entry: String,
        /// The declared size.
        declared: u64,
    },
    /// The deflate stream is invalid.
    #[error("entry {entry:?}: corrupt compressed data: {what}")]
    CorruptData {
        /// The entry concerned.
        entry: String,
        /// The decoder's complaint.
        what: String,
    },
    /// The data's CRC-32 differs from the declared one.
    #[error("entry {entry:?}: crc-32 is {actual:08x}, not the declared {expected:08x}")]
    CrcMismatch {
        /// The entry concerned.
        entry: String,
        /// The declared CRC-32.
        expected: u32,
        /// The CRC-32 of the bytes read.
        actual: u32,
    },
    /// A streamed source gave another number of bytes than the size the
    /// caller announced ([`super::ZipWriter::add_stream_sized`]): the file
    /// changed while it was being packed.
    #[error("entry {entry:?} changed size while being written: {expected} bytes expected, {actual} read")]
    SizeChanged {
        /// The entry concerned.
        entry: String,
        /// The announced size.
        expected: u64,
        /// The bytes read: all of them if fewer, else as many as were read
        /// when the excess was noticed.
        actual: u64,
    },
    /// [`super::ZipReader::entry_reader`] was given an index out of range.
    #[error("no entry number {index}")]
    NoSuchEntry {
        /// The index asked for.
        index: usize,
    },
    /// A [`super::ZipWriter`] failed earlier and its output is incomplete.
    #[error("an earlier error left the archive incomplete")]
    Poisoned,
    /// Zip structure (a signature of a local, central, end, zip64 or
    /// descriptor record) in the end record's comment, where a reader that
    /// searches backwards for the end record would find it first.
    #[error("the archive comment holds a zip {signature} signature at offset {at}")]
    StructureInComment {
        /// Which record's signature.
        signature: &'static str,
        /// Its offset in the file.
        at: u64,
    },
    /// Zip structure in an entry's comment in the central directory.
    #[error("entry {entry:?}: its comment holds a zip {signature} signature at offset {at}")]
    StructureInEntryComment {
        /// The entry's name, as read (lossily).
        entry: String,
        /// Which record's signature.
        signature: &'static str,
        /// Its offset in the file.
        at: u64,
    },
    /// A zip64 end record with extensible data: readers disagree on where
    /// the record starts (some read it 56 bytes before the locator).
    #[error("the zip64 end record has {bytes} bytes of extensible data")]
    Zip64ExtensibleData {
        /// How many.
        bytes: u64,
    },
    /// A stored entry whose sizes come after its data (flag bit 3): a
    /// reader streaming the file cannot know where the data ends and
    /// searches for the descriptor's signature inside it.
    #[error("entry {entry:?} is stored with a data descriptor")]
    StoredWithDescriptor {
        /// The entry concerned.
        entry: String,
    },
    /// A deflate stream that ends before the entry's compressed size: a
    /// streaming reader would read the rest as the next record.
    #[error("entry {entry:?}: its deflate stream ends {bytes} bytes before its compressed size")]
    CompressedSizeMismatch {
        /// The entry concerned.
        entry: String,
        /// Bytes left over.
        bytes: u64,
    },
    /// An extra field block that does not split into whole fields.
    #[error("entry {entry:?}: malformed {record} extra field: {what}")]
    BadExtraField {
        /// The entry concerned.
        entry: String,
        /// `local header` or `central header`.
        record: &'static str,
        /// What is wrong.
        what: &'static str,
    },
    /// An extra field that carries another name or comment (Info-ZIP
    /// Unicode Path 0x7075, Unicode Comment 0x6375): readers that honour
    /// it would extract another name than the header's.
    #[error("entry {entry:?}: {record} has a unicode {what} extra field ({id:#06x})")]
    UnicodeExtraField {
        /// The entry concerned.
        entry: String,
        /// `local header` or `central header`.
        record: &'static str,
        /// `path` or `comment`.
        what: &'static str,
        /// The header id.
        id: u16,
    },
    /// An extra field docseal does not know to be harmless (some carry
    /// file attributes or link targets that some readers apply).
    #[error("entry {entry:?}: {record} has an unexpected extra field {id:#06x} of {len} bytes")]
    UnexpectedExtraField {
        /// The entry concerned.
        entry: String,
        /// `local header` or `central header`.
        record: &'static str,
        /// The header id.
        id: u16,
        /// Its data length.
        len: usize,
    },
    /// A name with bytes ≥ 0x80 but without the UTF-8 flag: readers decode
    /// it as CP437 (Python, 7-Zip) or as the local charset, so each
    /// extracts another name.
    #[error(
        "entry {entry:?}: non-ascii name without the utf-8 flag (read as cp437 by some tools)"
    )]
    NameEncoding {
        /// The name (lossily decoded).
        entry: String,
    },
    /// External attributes with bits other readers act upon: setuid,
    /// setgid or sticky Unix bits, or MS-DOS attributes beyond read-only,
    /// hidden, system, directory, archive and normal.
    #[error("entry {entry:?}: unexpected external attributes {attributes:#010x} ({what})")]
    UnexpectedAttributes {
        /// The entry concerned.
        entry: String,
        /// The external attributes.
        attributes: u32,
        /// What is unexpected.
        what: &'static str,
    },
    /// A header whose "version needed to extract" is above 4.5 (zip64) or
    /// that sets a flag bit beyond the deflate options, the descriptor and
    /// UTF-8 bits: some readers skip such an entry ("need PK compat.
    /// v6.3"), others extract it.
    #[error("entry {entry:?}: {record} {what} {value:#x} is not one every reader extracts")]
    UnsupportedFeature {
        /// The entry concerned.
        entry: String,
        /// `local header` or `central header`.
        record: &'static str,
        /// `version needed` or `flags`.
        what: &'static str,
        /// The value found.
        value: u16,
    },
    /// A directory entry that is not a bag path inside the bundle's top
    /// folder, or whose name equals, or is a folder of, a file's name (up
    /// to case and Unicode normalisation): extracting it would shadow or
    /// replace the file.
    #[error("directory entry {entry:?}: {what}")]
    BadDirectory {
        /// The directory's name.
        entry: String,
        /// What is wrong.
        what: String,
    },
    /// An operating-system error.
    #[error("i/o error: {0}")]
    Io(#[from] io::Error),
}

/// `entry "name": ` when there is an entry, else nothing.
fn at(entry: &Option<String>) -> String {
    entry
        .as_ref()
        .map_or_else(String::new, |e| format!("entry {e:?}: "))
}

impl Error {
    /// The stable code of this error, e.g. `zip.duplicate-name`.
    pub fn code(&self) -> &'static str {
        use Error::*;
        match self {
            NotAZip { .. } => "zip.not-a-zip",
            Truncated { .. } => "zip.truncated",
            PrependedBytes { .. } => "zip.prepended-bytes",
            TrailingBytes { .. } => "zip.trailing-bytes",
            Gap { .. } => "zip.gap-between-entries",
            Overlapping { .. } => "zip.overlapping-entries",
            MultipleEocd { .. } => "zip.multiple-eocd",
            Zip64Unsupported { .. } => "zip.zip64-unsupported",
            MultiDisk => "zip.multi-disk",
            BadCentralDirectory { .. } => "zip.bad-central-directory",
            BadLocalHeader { .. } => "zip.bad-local-header",
            DuplicateName { .. } => "zip.duplicate-name",
            NonCanonicalHeader { .. } => "zip.non-canonical-header",
            LocalCentralMismatch { .. } => "zip.local-central-mismatch",
            EncryptedEntry { .. } => "zip.encrypted-entry",
            DataDescriptor { .. } => "zip.data-descriptor",
            Symlink { .. } => "zip.symlink",
            NotARegularFile { .. } => "zip.not-a-regular-file",
            CompressedEntry { .. } => "zip.compressed-entry",
            UnsupportedMethod { .. } => "zip.unsupported-method",
            BadName { .. } => "zip.bad-name",
            TooManyEntries { .. } => "zip.too-many-entries",
            NameTooLong { .. } => "zip.name-too-long",
            TooLarge { .. } => "zip.too-large",
            RatioTooHigh { .. } => "zip.ratio-too-high",
            SizeMismatch { .. } => "zip.size-mismatch",
            CorruptData { .. } => "zip.corrupt-data",
            CrcMismatch { .. } => "zip.crc-mismatch",
            SizeChanged { .. } => "zip.size-changed",
            NoSuchEntry { .. } => "zip.no-such-entry",
            StructureInComment { .. } | StructureInEntryComment { .. } => {
                "zip.structure-in-comment"
            }
            Zip64ExtensibleData { .. } => "zip.zip64-extensible-data",
            StoredWithDescriptor { .. } => "zip.stored-with-descriptor",
            CompressedSizeMismatch { .. } => "zip.compressed-size-mismatch",
            BadExtraField { .. } => "zip.bad-extra-field",
            UnicodeExtraField { .. } => "zip.unicode-extra-field",
            UnexpectedExtraField { .. } => "zip.unexpected-extra-field",
            NameEncoding { .. } => "zip.name-encoding",
            UnexpectedAttributes { .. } => "zip.unexpected-attributes",
            BadDirectory { .. } => "zip.bad-directory",
            UnsupportedFeature { .. } => "zip.unsupported-feature",
            Poisoned => "zip.writer-poisoned",
            Io(_) => "zip.io",
        }
    }

    /// The name of the entry concerned, when the error is about one entry.
    pub fn entry(&self) -> Option<&str> {
        use Error::*;
        match self {
            Truncated { entry, .. }
            | Zip64Unsupported { entry, .. }
            | BadCentralDirectory { entry, .. }
            | NonCanonicalHeader { entry, .. }
            | TooLarge { entry, .. } => entry.as_deref(),
            Overlapping { entry, .. }
            | BadLocalHeader { entry, .. }
            | DuplicateName { entry }
            | LocalCentralMismatch { entry, .. }
            | EncryptedEntry { entry }
            | DataDescriptor { entry }
            | Symlink { entry }
            | NotARegularFile { entry, .. }
            | CompressedEntry { entry, .. }
            | UnsupportedMethod { entry, .. }
            | BadName { entry, .. }
            | NameTooLong { entry, .. }
            | RatioTooHigh { entry, .. }
            | SizeMismatch { entry, .. }
            | CorruptData { entry, .. }
            | CrcMismatch { entry, .. }
            | SizeChanged { entry, .. }
            | StoredWithDescriptor { entry }
            | CompressedSizeMismatch { entry, .. }
            | BadExtraField { entry, .. }
            | UnicodeExtraField { entry, .. }
            | UnexpectedExtraField { entry, .. }
            | NameEncoding { entry }
            | UnexpectedAttributes { entry, .. }
            | BadDirectory { entry, .. }
            | UnsupportedFeature { entry, .. } => Some(entry),
            _ => None,
        }
    }

    /// The container error inside an [`io::Error`] returned by a stream
    /// from [`super::ZipReader::entry_reader`], if it holds one.
    pub fn from_io(e: &io::Error) -> Option<&Error> {
        e.get_ref().and_then(|inner| inner.downcast_ref::<Error>())
    }
}

impl From<Error> for io::Error {
    /// Unwraps [`Error::Io`]; wraps every other error so that
    /// [`Error::from_io`] finds it again.
    fn from(e: Error) -> io::Error {
        match e {
            Error::Io(inner) => inner,
            Error::Truncated { .. } => io::Error::new(io::ErrorKind::UnexpectedEof, e),
            other => io::Error::new(io::ErrorKind::InvalidData, other),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_is_one_line_names_the_entry_escaped_and_has_no_period() {
        let cases: Vec<(Error, &str)> = vec![
            (
                Error::DuplicateName {
                    entry: "a\nb".into(),
                },
                "entry \"a\\nb\" appears more than once",
            ),
            (
                Error::Truncated {
                    entry: None,
                    what: "no data".into(),
                },
                "truncated: no data",
            ),
            (
                Error::NonCanonicalHeader {
                    entry: Some("x".into()),
                    record: "local header",
                    field: "flags",
                    found: 0,
                    expected: 0x800,
                },
                "entry \"x\": local header field flags is 0x0, not the canonical 0x800",
            ),
            (
                Error::SizeChanged {
                    entry: "big".into(),
                    expected: 10,
                    actual: 7,
                },
                "entry \"big\" changed size while being written: 10 bytes expected, 7 read",
            ),
            (
                Error::Zip64Unsupported {
                    entry: None,
                    what: "two zip64 extra fields",
                },
                "unusable zip64 structure: two zip64 extra fields",
            ),
        ];
        for (e, want) in cases {
            let shown = e.to_string();
            assert_eq!(shown, want);
            assert!(!shown.contains('\n') && !shown.ends_with('.'));
        }
    }

    #[test]
    fn io_round_trip_keeps_the_variant() {
        let e: io::Error = Error::Symlink { entry: "l".into() }.into();
        assert_eq!(Error::from_io(&e).map(Error::code), Some("zip.symlink"));
        let plain = io::Error::other("x");
        assert!(Error::from_io(&plain).is_none());
    }
}
