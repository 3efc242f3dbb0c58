//! The zip container: a deterministic writer and a strict reader.
//!
//! This is the only module that knows the zip format (PKWARE APPNOTE 6.3.x:
//! §4.3.7 local file header, §4.3.9 data descriptor, §4.3.12 central
//! directory header, §4.3.14 zip64 end of central directory record,
//! §4.3.15 its locator, §4.3.16 end of central directory record, §4.4 field
//! meanings, §4.5.3 zip64 extended information extra field). The reader
//! parses every record itself, because the `zip` crate's lenient defaults
//! (prepended bytes, duplicate names, ...) must not become docseal's
//! policy; deflate (lenient mode only) is decoded by `flate2`, the decoder
//! the `zip` crate itself uses. The `zip` crate serves the tests, as an
//! independent parser and producer.
//!
//! # The canonical form
//! [`ZipWriter`] produces exactly one byte layout for a given sequence of
//! entries, and [`Mode::Canonical`] reading demands it byte for byte:
//! entries stored (method 0) with no encryption, data descriptors,
//! comments or directory entries, and no extra field but the zip64 one
//! where needed; entry *i*'s local header starts where entry *i−1*'s data
//! ends, the first at offset 0; the central directory follows the last
//! entry in the same order, then (only when needed) the zip64 end record
//! and its locator, then the end record with an empty comment, then the end
//! of the file. Fixed fields: version needed 20 (45 in a record with a
//! zip64 field), flags 0x0800 (UTF-8 names), time 0x0000, date 0x0021
//! (1980-01-01), version made by 0x031E (Unix, 3.0), external attributes
//! `0o100644 << 16`, every other field 0.
//!
//! Zip64 (docs/FORMAT.md §3), decided by the final values only: an entry
//! whose size is ≥ 0xFFFF_FFFF has 0xFFFF_FFFF in both size fields of its
//! local header and central record, and a zip64 extra field holding both
//! sizes; a local header offset ≥ 0xFFFF_FFFF is likewise moved to the
//! central record's zip64 field (after the sizes, if they are there too).
//! More than 65,534 entries, or a central directory whose size or offset is
//! ≥ 0xFFFF_FFFF, add the zip64 end record (version made by 0x031E, needed
//! 45, no extensible data) and locator (total disks 1), and put 0xFFFF /
//! 0xFFFF_FFFF in exactly the overflowing fields of the end record.
//!
//! # Invariants of a [`ZipReader`]
//! In both modes: exactly one end record, with no zip signature in its
//! comment; zip64 records are read only when a locator sits just before
//! it, must be consistent with it and have no extensible data; the
//! central directory is parsed by this module with [`Limits`] enforced
//! before anything proportional to a claimed count is allocated; every
//! name is a relative UTF-8 path without `.`/`..`/empty segments, control
//! characters, backslashes or drive prefixes, flagged UTF-8 unless it is
//! ASCII, and no two names are equal byte for byte; no entry is
//! encrypted, a symlink or another non-regular file, whatever host
//! "version made by" names, nor has setuid/setgid/sticky bits or MS-DOS
//! attributes beyond read-only, hidden, system, directory and archive;
//! every extra field is on the allow-list of `extras` (times, owner ids,
//! zip64: never a Unicode path or comment); no header needs a version
//! above 4.5 or sets flags beyond deflate options, descriptor and UTF-8; every local header agrees
//! with its central record (zip64 markers resolved); the entries' byte
//! ranges start at offset 0, follow each other without a gap, never
//! overlap and end where the central directory starts, so every byte
//! before it is a local header, its data or a descriptor that agrees with
//! both headers. That is the property that matters: every mainstream
//! reader, whether it reads the central directory or streams the local
//! headers, sees the same entries, names and bytes (tests/it/differential.rs
//! checks it against the real readers). [`Mode::Lenient`] (for
//! `--allow-repacked`) additionally tolerates deflate (whose stream must
//! end exactly at the compressed size), the allowed extra fields, comments
//! without zip structure, data descriptors on deflated entries, any times,
//! the entries listed in another order, zip64 used where it is not needed
//! (as Info-ZIP and Python's zipfile write it), and directory entries
//! (which it skips) whose names are bag paths that shadow no file. Entry
//! data is only ever streamed, never loaded whole, and every stream checks
//! the CRC-32 at its end.

mod central;
mod eocd;
mod error;
mod extras;
mod format;
mod layout;
mod names;
mod reader;
mod source;
mod stream;
mod writer;
mod zip64;

#[cfg(test)]
mod testkit;
#[cfg(test)]
mod tests_differential;
#[cfg(test)]
mod tests_hostile;
#[cfg(test)]
mod tests_interop;
#[cfg(test)]
mod tests_lenient;
#[cfg(test)]
mod tests_robust;
#[cfg(test)]
mod tests_zip64;
#[cfg(test)]
mod tests_zip64_hostile;

pub use error::Error;
pub use reader::ZipReader;
pub use source::Source;
pub use writer::ZipWriter;

/// Resource limits applied while reading (and writing) an archive.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Most central-directory records (directory entries included); a
    /// claimed count above it is refused before anything is allocated.
    pub max_entries: u32,
    /// Longest entry name, in bytes.
    pub max_name_len: usize,
    /// Largest sum of the entries' declared uncompressed sizes.
    pub max_total_size: u64,
    /// Highest declared uncompressed/compressed size ratio of a deflated
    /// entry (lenient mode), checked for entries larger than
    /// [`RATIO_FLOOR`] bytes.
    pub max_ratio: u64,
}

impl Default for Limits {
    /// 1,000,000 entries, 1024-byte names, 1 TiB in total, ratio 200.
    fn default() -> Limits {
        Limits {
            max_entries: 1_000_000,
            max_name_len: 1024,
            max_total_size: 1 << 40,
            max_ratio: 200,
        }
    }
}

/// Deflated entries up to this many bytes are exempt from
/// [`Limits::max_ratio`]: a small text of repeated characters legitimately
/// compresses beyond any useful bomb threshold, and cannot be a bomb.
pub const RATIO_FLOOR: u64 = 1 << 20;

/// The largest entry size or offset written in a 32-bit field: 0xFFFF_FFFF
/// itself means "see the zip64 extra field" (APPNOTE §4.4.8), so larger
/// values go there.
pub const MAX_ENTRY_SIZE: u64 = 0xFFFF_FFFE;

/// The most entries an archive holds without the zip64 end record: 0xFFFF
/// means "see the zip64 end record" (APPNOTE §4.4.21).
pub const MAX_ARCHIVE_ENTRIES: u32 = 0xFFFE;

/// What the writer knows about an entry once its data is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EntryInfo {
    /// Size of the data in bytes (stored, so also the compressed size).
    pub size: u64,
    /// CRC-32 (ISO-HDLC, as zip uses) of the data.
    pub crc32: u32,
}

/// How strictly [`ZipReader::open`] reads an archive.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// Every byte must be as [`ZipWriter`] produces it.
    Canonical,
    /// An archive re-zipped by another tool (`--allow-repacked`): deflate,
    /// harmless extra fields, comments, data descriptors and directory
    /// entries allowed; prepended, trailing or unaccounted bytes, zip
    /// structure in comments, ambiguity and unsafe entries still refused.
    ///
    /// # Warnings
    /// Times, owner ids and comment text are neither checked nor
    /// reported: only the entries' names and contents are trustworthy. Use
    /// [`Mode::Canonical`] whenever the container itself is vouched for.
    Lenient,
}

/// How an entry's data is stored.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method {
    /// Method 0: the data as is.
    Stored,
    /// Method 8: raw deflate (RFC 1951), lenient mode only.
    Deflated,
}

/// One regular-file entry of an opened archive, as its central record and
/// local header (which agree) declare it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    /// The entry's name, a validated relative `/`-separated UTF-8 path.
    pub name: String,
    /// Uncompressed size in bytes.
    pub size: u64,
    /// CRC-32 of the uncompressed data.
    pub crc32: u32,
    /// Size of the stored or deflated data in the file.
    pub compressed_size: u64,
    /// How the data is stored.
    pub method: Method,
    /// Offset of the entry's local header in the file.
    pub header_offset: u64,
    /// Offset of the entry's data in the file.
    pub data_offset: u64,
    /// Position of the entry's record in the central directory, counting
    /// directory records that [`ZipReader::entries`] skips.
    pub central_index: usize,
}
