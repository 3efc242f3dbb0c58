//! Parsing and judging the central directory (APPNOTE §4.3.12, fields in
//! §4.4, zip64 extra field §4.5.3): one record per entry, each checked on
//! its own (name, encryption, zip64, file type, method, canonical fields)
//! and together (duplicates, limits, no stray bytes).
//!
//! Invariants: the claimed entry count is checked against
//! [`Limits::max_entries`] and against the directory's size (itself
//! checked against the file) before any allocation proportional to it;
//! records are streamed through a fixed buffer, so memory is bounded by
//! the limits and the file, never by claims; sizes and offsets are used
//! only once their zip64 markers are resolved; checks on meaning
//! (encryption, symlink, method, ...) run before the canonical field
//! comparison, so a hostile entry gets its specific code.

use super::source::Source;
use std::collections::HashSet;
use std::io::{self, BufReader, Read};

use super::eocd::Located;
use super::error::Error;
use super::extras;
use super::format::{self, CentralHeader, CENTRAL_LEN};
use super::names::{check_name, NameKind};
use super::stream::Span;
use super::zip64::{self, Resolved};
use super::{Limits, Mode, RATIO_FLOOR};

/// Most records room is made for before any is read: beyond, memory grows
/// with the records actually parsed.
const PREALLOCATE: usize = 1 << 16;

/// Unix file-type bits of a mode (`S_IFMT`) and the types docseal meets.
const S_IFMT: u32 = 0o170_000;
const S_IFREG: u32 = 0o100_000;
const S_IFDIR: u32 = 0o040_000;
const S_IFLNK: u32 = 0o120_000;
/// Setuid, setgid and sticky bits: `unzip` and bsdtar restore them.
const S_ISUGT: u32 = 0o7000;
/// MS-DOS directory attribute (low byte of the external attributes).
const DOS_DIR: u32 = 0x10;
/// MS-DOS attributes that change nothing about what is extracted:
/// read-only, hidden, system, directory, archive, normal.
const DOS_HARMLESS: u32 = 0x01 | 0x02 | 0x04 | DOS_DIR | 0x20 | 0x80;
/// Windows' reparse point attribute: 7-Zip on Windows restores links.
const DOS_REPARSE: u32 = 0x400;
/// 7-Zip's "the high 16 bits are a Unix mode" attribute.
const UNIX_EXTENSION: u32 = 0x8000;

/// One accepted central directory record.
#[derive(Debug)]
pub(crate) struct Record {
    /// Position in the central directory.
    pub index: usize,
    /// The validated name.
    pub name: String,
    /// File or directory.
    pub kind: NameKind,
    /// The fixed fields.
    pub h: CentralHeader,
    /// Sizes and offset, zip64 markers resolved.
    pub z: Resolved,
}

/// Reads and checks every central directory record.
pub(crate) fn read_central(
    file: &dyn Source,
    loc: &Located,
    mode: Mode,
    limits: &Limits,
) -> Result<Vec<Record>, Error> {
    let count = loc.count;
    if count > u64::from(limits.max_entries) {
        return Err(Error::TooManyEntries {
            count,
            max: limits.max_entries.into(),
        });
    }
    let cd_size = loc.cd_size;
    if count.saturating_mul(CENTRAL_LEN as u64) > cd_size {
        return Err(bad(
            None,
            format!("{count} records cannot fit in {cd_size} bytes"),
        ));
    }
    // At most `max_entries` (a u32), so this fits a usize.
    let count = usize::try_from(count).unwrap_or(usize::MAX);
    let mut r = BufReader::with_capacity(64 * 1024, Span::new(file, loc.cd_start, cd_size));
    let mut records = Vec::with_capacity(count.min(PREALLOCATE));
    let mut tally = Tally {
        names: HashSet::with_capacity(count.min(PREALLOCATE)),
        total: 0,
    };
    let mut consumed = 0u64;
    for index in 0..count {
        let (h, raw, extra, comment) = read_record(&mut r, index)?;
        let comment_at = loc.cd_start + consumed + (CENTRAL_LEN + raw.len() + extra.len()) as u64;
        // Like the archive comment: zip structure in an entry's comment is
        // what a reader searching for records could take for one.
        if let Some((i, signature)) = super::extras::find_signature(&comment) {
            return Err(Error::StructureInEntryComment {
                entry: String::from_utf8_lossy(&raw).into_owned(),
                signature,
                at: comment_at + i as u64,
            });
        }
        consumed += (CENTRAL_LEN + raw.len() + extra.len() + comment.len()) as u64;
        let rec = check_record(index, h, &raw, &extra, mode, limits)?;
        tally.add(&rec, limits)?;
        records.push(rec);
    }
    if consumed != cd_size {
        return Err(bad(
            None,
            format!("{} of its bytes belong to no record", cd_size - consumed),
        ));
    }
    Ok(records)
}

/// What the records add up to: names seen, declared bytes.
struct Tally {
    names: HashSet<String>,
    total: u64,
}

impl Tally {
    /// Refuses a repeated name or a total over the limit.
    fn add(&mut self, rec: &Record, limits: &Limits) -> Result<(), Error> {
        if !self.names.insert(rec.name.clone()) {
            return Err(Error::DuplicateName {
                entry: rec.name.clone(),
            });
        }
        self.total = self.total.saturating_add(rec.z.size);
        if self.total > limits.max_total_size {
            let (entry, total, max) = (Some(rec.name.clone()), self.total, limits.max_total_size);
            return Err(Error::TooLarge { entry, total, max });
        }
        Ok(())
    }
}

fn bad(entry: Option<&str>, what: String) -> Error {
    Error::BadCentralDirectory {
        entry: entry.map(str::to_owned),
        what,
    }
}

/// One central record as read: its fixed part, name, extra field and comment.
type RawRecord = (CentralHeader, Vec<u8>, Vec<u8>, Vec<u8>);

/// Reads one record's fixed part, name, extra field and comment (at most
/// 64 KiB each, by their 16-bit lengths).
fn read_record(r: &mut impl Read, index: usize) -> Result<RawRecord, Error> {
    let short = |e: io::Error| match e.kind() {
        io::ErrorKind::UnexpectedEof => bad(None, format!("record {index} runs past its end")),
        _ => Error::Io(e),
    };
    let mut fixed = [0u8; CENTRAL_LEN];
    r.read_exact(&mut fixed).map_err(short)?;
    let h = CentralHeader::parse(&fixed)
        .ok_or_else(|| bad(None, format!("record {index} has no signature")))?;
    let mut raw = vec![0u8; h.name_len.into()];
    r.read_exact(&mut raw).map_err(short)?;
    let mut extra = vec![0u8; h.extra_len.into()];
    r.read_exact(&mut extra).map_err(short)?;
    let mut comment = vec![0u8; h.comment_len.into()];
    r.read_exact(&mut comment).map_err(short)?;
    Ok((h, raw, extra, comment))
}

/// Judges one record on its own.
fn check_record(
    index: usize,
    h: CentralHeader,
    raw: &[u8],
    extra: &[u8],
    mode: Mode,
    limits: &Limits,
) -> Result<Record, Error> {
    // Without the flag, Python and 7-Zip read the name as CP437, Info-ZIP
    // as the local charset: each would extract another name.
    if h.flags & format::FLAG_UTF8 == 0 && !raw.is_ascii() && raw.len() <= limits.max_name_len {
        return Err(Error::NameEncoding {
            entry: super::names::lossy(raw, raw.len()),
        });
    }
    let (name, kind) = check_name(raw, limits.max_name_len)?;
    extras::check_block(extra, &name, "central header")?;
    let encrypted = format::FLAG_ENCRYPTED | format::FLAG_STRONG | format::FLAG_CD_ENCRYPTED;
    if h.flags & encrypted != 0 || h.method == format::METHOD_AES {
        return Err(Error::EncryptedEntry { entry: name });
    }
    let z = match zip64::resolve_central(&h, extra) {
        Ok(z) => z,
        Err(what) => {
            let entry = Some(name);
            return Err(Error::Zip64Unsupported { entry, what });
        }
    };
    extras::check_features(h.version_needed, h.flags, &name, "central header")?;
    // An entry "on another disk" is one Info-ZIP looks for elsewhere.
    if h.disk != 0 && h.disk != zip64::MARK16 {
        return Err(Error::MultiDisk);
    }
    if h.flags & format::FLAG_DESCRIPTOR != 0 {
        if mode == Mode::Canonical {
            return Err(Error::DataDescriptor { entry: name });
        }
        if h.method == format::METHOD_STORED {
            return Err(Error::StoredWithDescriptor { entry: name });
        }
    }
    let rec = Record {
        index,
        kind,
        h,
        z,
        name,
    };
    let kind = file_type(&rec, mode)?;
    check_method(&rec, kind, mode, limits)?;
    if mode == Mode::Canonical {
        check_canonical_central(&rec, extra)?;
    }
    Ok(Record { kind, ..rec })
}

/// Compares every field the canonical form fixes, the extra field too.
fn check_canonical_central(rec: &Record, extra: &[u8]) -> Result<(), Error> {
    let h = &rec.h;
    let (canonical, want_extra) =
        CentralHeader::canonical_for(h.crc32, rec.z.size, h.name_len, rec.z.offset);
    let found = (&h.fixed_fields()[..], extra);
    match zip64::first_difference(found, (&canonical.fixed_fields(), &want_extra)) {
        Some((field, found, expected)) => Err(Error::NonCanonicalHeader {
            entry: Some(rec.name.clone()),
            record: "central header",
            field,
            found,
            expected,
        }),
        None => Ok(()),
    }
}

/// Refuses links, special files and attributes that readers act upon;
/// tells directories from files.
///
/// The high 16 bits are read as a Unix mode whatever the host byte of
/// "version made by" says: Info-ZIP `unzip` does so for many hosts (and for
/// MS-DOS archives whose high bits look like a mode), 7-Zip whenever bit
/// 0x8000 is set, so a link cannot hide behind another host number.
fn file_type(rec: &Record, mode: Mode) -> Result<NameKind, Error> {
    let (h, kind, name) = (&rec.h, rec.kind, rec.name.as_str());
    let not_regular = |what| Error::NotARegularFile {
        entry: name.to_owned(),
        what,
    };
    let unexpected = |what| Error::UnexpectedAttributes {
        entry: name.to_owned(),
        attributes: h.external,
        what,
    };
    let (unix_mode, dos) = (h.external >> 16, h.external & 0xFFFF);
    if dos & DOS_REPARSE != 0 {
        return Err(Error::Symlink {
            entry: name.to_owned(),
        });
    }
    if dos & !(DOS_HARMLESS | UNIX_EXTENSION) != 0 {
        return Err(unexpected(
            "ms-dos attributes other than read-only, hidden, system, directory and archive",
        ));
    }
    let mut dir = kind == NameKind::Directory || dos & DOS_DIR != 0;
    match unix_mode & S_IFMT {
        S_IFLNK => {
            return Err(Error::Symlink {
                entry: name.to_owned(),
            })
        }
        S_IFDIR => dir = true,
        S_IFREG | 0 => {}
        _ => return Err(not_regular("a device, fifo or socket")),
    }
    if unix_mode & S_ISUGT != 0 {
        return Err(unexpected("setuid, setgid or sticky bit"));
    }
    if !dir {
        return Ok(NameKind::File);
    }
    if mode == Mode::Canonical {
        return Err(not_regular("a directory"));
    }
    if kind != NameKind::Directory {
        return Err(not_regular("a directory whose name does not end with '/'"));
    }
    if rec.z.size != 0 {
        return Err(not_regular("a directory with data"));
    }
    Ok(NameKind::Directory)
}

/// Accepts the methods `mode` allows, with consistent sizes.
fn check_method(rec: &Record, kind: NameKind, mode: Mode, limits: &Limits) -> Result<(), Error> {
    let (name, z) = (rec.name.as_str(), &rec.z);
    let entry = || name.to_owned();
    match (mode, rec.h.method) {
        (_, format::METHOD_STORED) if z.compressed != z.size => Err(bad(
            Some(name),
            format!(
                "stored entry with {} bytes that are {} bytes uncompressed",
                z.compressed, z.size
            ),
        )),
        (_, format::METHOD_STORED) => Ok(()),
        (Mode::Canonical, method) => Err(Error::CompressedEntry {
            entry: entry(),
            method,
        }),
        (Mode::Lenient, format::METHOD_DEFLATED) => {
            let (size, packed) = (z.size, z.compressed);
            if kind == NameKind::File
                && size > RATIO_FLOOR
                && size > packed.saturating_mul(limits.max_ratio)
            {
                let ratio = size / packed.max(1);
                return Err(Error::RatioTooHigh {
                    entry: entry(),
                    ratio,
                    max: limits.max_ratio,
                });
            }
            Ok(())
        }
        (Mode::Lenient, method) => Err(Error::UnsupportedMethod {
            entry: entry(),
            method,
        }),
    }
}
