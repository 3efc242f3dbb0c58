//! Finding the one end of central directory record (APPNOTE §4.3.16), its
//! zip64 end record and locator when it has them (§4.3.14, §4.3.15) and,
//! from them, where the central directory really is.
//!
//! The record is searched backwards in the last 65 557 bytes (22 + the
//! largest comment). A *candidate* is a signature whose comment fits in the
//! file. A zip64 locator signature directly before a candidate makes it a
//! zip64 candidate (and only then are zip64 records read): its zip64 end
//! record must end exactly where the locator starts, single disk, and the
//! candidate's fields must each be the marker or the zip64 value. A
//! *plausible* candidate describes, this way, a single-disk archive whose
//! central directory ends exactly where the end records start (its first
//! signature is there). The last plausible candidate is chosen; the other
//! plausible ones are returned so that the layout check can refuse those
//! lying outside every entry's data (`zip.multiple-eocd`: different tools
//! would pick different archives), while an archive stored inside an entry
//! stays harmless.
//!
//! Invariants: at most 65 557 bytes are read into memory; the returned
//! central directory start plus its size is where the end records start;
//! in canonical mode every field of the end records is what the writer
//! produces for the archive's count, directory size and offset.

use super::source::Source;

use super::error::Error;
use super::format::{self, Eocd, CENTRAL_SIG, EOCD_LEN, ZIP64_LOCATOR_SIG};
use super::stream::read_exact_at;
use super::zip64::{self, Locator, Zip64Eocd, LOCATOR_LEN, MARK16, MARK32, ZIP64_EOCD_LEN};
use super::Mode;

/// How far from the end the record can start.
const MAX_TAIL: u64 = EOCD_LEN as u64 + u16::MAX as u64;

/// The chosen end records and what they imply.
#[derive(Debug)]
pub(crate) struct Located {
    /// How many central directory records there are.
    pub count: u64,
    /// Size of the central directory.
    pub cd_size: u64,
    /// Where the central directory actually starts.
    pub cd_start: u64,
    /// Offsets of the other plausible end records.
    pub others: Vec<u64>,
}

/// What a candidate end record (with its zip64 records) declares.
#[derive(Debug)]
struct Ends {
    count: u64,
    cd_size: u64,
    cd_offset: u64,
    /// Where the central directory must end: at the zip64 end record, or
    /// at the end record.
    cd_end: u64,
    /// The zip64 end record, its offset and its locator.
    zip64: Option<(Zip64Eocd, u64, Locator)>,
}

/// A zip64 structure that cannot be used.
fn malformed(what: zip64::Malformed) -> Error {
    Error::Zip64Unsupported { entry: None, what }
}

/// The last bytes of the file, where the end record must be.
struct Tail<'a> {
    file: &'a dyn Source,
    bytes: Vec<u8>,
    start: u64,
    len: u64,
}

impl<'a> Tail<'a> {
    /// Reads the last bytes of a file of `len` bytes.
    fn read(file: &'a dyn Source, len: u64) -> Result<Tail<'a>, Error> {
        if len == 0 {
            return Err(Error::NotAZip {
                what: "the file is empty",
            });
        }
        if len < EOCD_LEN as u64 {
            let what = "too short to hold an end of central directory record";
            return Err(Error::NotAZip { what });
        }
        let start = len - len.min(MAX_TAIL);
        let mut bytes = vec![0u8; (len - start) as usize];
        if !read_exact_at(file, &mut bytes, start)? {
            let what = "the file shrank while being read".into();
            return Err(Error::Truncated { entry: None, what });
        }
        Ok(Tail {
            file,
            bytes,
            start,
            len,
        })
    }

    /// Fills `buf` from `offset`, from memory if it is there; `false` if
    /// the file ends first.
    fn read_at(&self, buf: &mut [u8], offset: u64) -> Result<bool, Error> {
        let rel = offset
            .checked_sub(self.start)
            .and_then(|r| usize::try_from(r).ok());
        if let Some(b) = rel.and_then(|r| self.bytes.get(r..r.checked_add(buf.len())?)) {
            buf.copy_from_slice(b);
            return Ok(true);
        }
        Ok(read_exact_at(self.file, buf, offset)?)
    }

    /// The little-endian u32 at `offset` (0 past the end of the file).
    fn u32_at(&self, offset: u64) -> Result<u32, Error> {
        let mut b = [0u8; 4];
        Ok(if self.read_at(&mut b, offset)? {
            u32::from_le_bytes(b)
        } else {
            0
        })
    }

    /// Every signature whose record and comment fit, last first.
    fn candidates(&self) -> Vec<(u64, Eocd)> {
        let last = self.bytes.len().saturating_sub(EOCD_LEN);
        (0..=last)
            .rev()
            // Most bytes are not a signature's first: skip them cheaply.
            .filter(|&i| self.bytes.get(i) == Some(&b'P'))
            .filter_map(|i| {
                let fixed: &[u8; EOCD_LEN] = self.bytes.get(i..i + EOCD_LEN)?.try_into().ok()?;
                let eocd = Eocd::parse(fixed)?;
                let end = i + EOCD_LEN + usize::from(eocd.comment_len);
                (end <= self.bytes.len()).then_some((self.start + i as u64, eocd))
            })
            .collect()
    }

    fn is_plausible(&self, at: u64, e: &Eocd) -> Result<bool, Error> {
        let ends = match self.ends(at, e) {
            Ok(ends) => ends,
            Err(Error::Io(io)) => return Err(Error::Io(io)),
            Err(_) => return Ok(false),
        };
        if ends.cd_size > ends.cd_end {
            return Ok(false);
        }
        if ends.count == 0 {
            return Ok(ends.cd_size == 0);
        }
        Ok(self.u32_at(ends.cd_end - ends.cd_size)? == CENTRAL_SIG)
    }

    /// What the end record at `at` declares, through its zip64 records if
    /// a locator sits just before it (APPNOTE §4.3.6).
    fn ends(&self, at: u64, e: &Eocd) -> Result<Ends, Error> {
        if let Some(locator_at) = at.checked_sub(LOCATOR_LEN as u64) {
            if self.u32_at(locator_at)? == ZIP64_LOCATOR_SIG {
                return self.zip64_ends(e, locator_at);
            }
        }
        if e.disk == MARK16 || e.cd_disk == MARK16 || e.cd_size == MARK32 || e.cd_offset == MARK32 {
            return Err(malformed(
                "the end record holds a zip64 marker but there is no zip64 locator",
            ));
        }
        // An entry count of 0xFFFF without a locator is taken literally:
        // Python's zipfile writes 65,535 entries so.
        if e.disk != 0 || e.cd_disk != 0 || e.entries_on_disk != e.entries {
            return Err(Error::MultiDisk);
        }
        Ok(Ends {
            count: e.entries.into(),
            cd_size: e.cd_size.into(),
            cd_offset: e.cd_offset.into(),
            cd_end: at,
            zip64: None,
        })
    }

    /// The ends of a zip64 archive whose locator is at `locator_at`.
    fn zip64_ends(&self, e: &Eocd, locator_at: u64) -> Result<Ends, Error> {
        let mut b = [0u8; LOCATOR_LEN];
        let loc = self
            .read_at(&mut b, locator_at)?
            .then(|| Locator::parse(&b))
            .flatten()
            .ok_or(malformed("unreadable zip64 locator"))?;
        if loc.disk != 0 || loc.total_disks > 1 {
            return Err(Error::MultiDisk);
        }
        let (record_at, r) = self.find_record(locator_at, loc.offset)?;
        let classic_disks = [e.disk, e.cd_disk].iter().all(|d| [0, MARK16].contains(d));
        if r.disk != 0 || r.cd_disk != 0 || r.entries_on_disk != r.entries || !classic_disks {
            return Err(Error::MultiDisk);
        }
        let agree = |classic: u64, marker: u64, wide: u64| classic == marker || classic == wide;
        if !agree(e.entries.into(), MARK16.into(), r.entries)
            || !agree(e.entries_on_disk.into(), MARK16.into(), r.entries_on_disk)
        {
            return Err(malformed("the end records disagree on the entry count"));
        }
        if !agree(e.cd_size.into(), MARK32.into(), r.cd_size)
            || !agree(e.cd_offset.into(), MARK32.into(), r.cd_offset)
        {
            return Err(malformed(
                "the end records disagree on the central directory's size or offset",
            ));
        }
        Ok(Ends {
            count: r.entries,
            cd_size: r.cd_size,
            cd_offset: r.cd_offset,
            cd_end: record_at,
            zip64: Some((r, record_at, loc)),
        })
    }

    /// The zip64 end record, which must end where the locator starts: at
    /// the offset the locator declares (after extensible data, which only
    /// lenient mode then accepts). A record 56 bytes before the locator
    /// whose own offsets are short by the same amount as the locator's
    /// reveals bytes prepended to the archive.
    fn find_record(&self, locator_at: u64, declared: u64) -> Result<(u64, Zip64Eocd), Error> {
        if let Some(r) = self.record_ending_at(declared, locator_at)? {
            // Python's zipfile reads the record 56 bytes before the
            // locator, others where the locator points: they agree only
            // without extensible data.
            if r.record_size != zip64::ZIP64_RECORD_SIZE {
                return Err(Error::Zip64ExtensibleData {
                    bytes: r.record_size.saturating_sub(zip64::ZIP64_RECORD_SIZE),
                });
            }
            return Ok((declared, r));
        }
        if let Some(actual) = locator_at.checked_sub(ZIP64_EOCD_LEN as u64) {
            if let Some(r) = self.record_ending_at(actual, locator_at)? {
                let shift = actual.checked_sub(declared);
                let cd_start = actual.checked_sub(r.cd_size);
                if let Some(bytes) = shift.filter(|s| r.cd_offset.checked_add(*s) == cd_start) {
                    return Err(Error::PrependedBytes { bytes });
                }
            }
        }
        Err(malformed(if declared >= self.len {
            "the zip64 locator points outside the file"
        } else {
            "no zip64 end record where the zip64 locator says, just before it"
        }))
    }

    /// The zip64 end record at `at` if there is one that ends at `end`.
    fn record_ending_at(&self, at: u64, end: u64) -> Result<Option<Zip64Eocd>, Error> {
        if at.saturating_add(ZIP64_EOCD_LEN as u64) > end {
            return Ok(None);
        }
        let mut b = [0u8; ZIP64_EOCD_LEN];
        if !self.read_at(&mut b, at)? {
            return Ok(None);
        }
        Ok(Zip64Eocd::parse(&b).filter(|r| r.record_size.checked_add(at + 12) == Some(end)))
    }
}

/// Finds and checks the end records of a file of `len` bytes.
pub(crate) fn locate(file: &dyn Source, len: u64, mode: Mode) -> Result<Located, Error> {
    let tail = Tail::read(file, len)?;
    let candidates = tail.candidates();
    let mut plausible = Vec::new();
    for (at, eocd) in &candidates {
        if tail.is_plausible(*at, eocd)? {
            plausible.push(*at);
        }
    }
    let chosen = plausible.first().copied();
    let (at, eocd) = match chosen {
        Some(p) => candidates.iter().find(|(at, _)| *at == p),
        None => candidates.first(),
    }
    .cloned()
    .ok_or(Error::NotAZip {
        what: "no end of central directory record",
    })?;
    let others: Vec<u64> = plausible.into_iter().filter(|p| *p != at).collect();
    let ends = tail.ends(at, &eocd)?;
    check_chosen(&tail, &eocd, at, &ends, mode, chosen.is_some())?;
    let cd_start = ends.cd_end - ends.cd_size;
    check_offset(ends.cd_offset, cd_start, &others)?;
    Ok(Located {
        count: ends.count,
        cd_size: ends.cd_size,
        cd_start,
        others,
    })
}

/// Checks the chosen record's own fields and what follows it.
fn check_chosen(
    tail: &Tail<'_>,
    e: &Eocd,
    at: u64,
    ends: &Ends,
    mode: Mode,
    plausible: bool,
) -> Result<(), Error> {
    let end = at + EOCD_LEN as u64 + u64::from(e.comment_len);
    if end < tail.len {
        return Err(Error::TrailingBytes {
            bytes: tail.len - end,
        });
    }
    check_comment(tail, at + EOCD_LEN as u64, end)?;
    if mode == Mode::Canonical {
        check_canonical(e, ends)?;
    }
    if ends.cd_size > ends.cd_end {
        return Err(Error::BadCentralDirectory {
            entry: None,
            what: format!(
                "its size {} is more than the {} bytes before the end records",
                ends.cd_size, ends.cd_end
            ),
        });
    }
    if !plausible {
        return Err(Error::BadCentralDirectory {
            entry: None,
            what: "no central directory where the end record says".into(),
        });
    }
    Ok(())
}

/// Refuses a comment (from `start` to `end`) holding any zip signature:
/// a reader searching backwards for the end record (Info-ZIP, Go, the
/// `zip` crate, Python when there is a comment) meets the comment first,
/// and whether it takes what it finds there depends on the reader.
fn check_comment(tail: &Tail<'_>, start: u64, end: u64) -> Result<(), Error> {
    let rel = |o: u64| usize::try_from(o.saturating_sub(tail.start)).unwrap_or(usize::MAX);
    let comment = tail.bytes.get(rel(start)..rel(end)).unwrap_or_default();
    match super::extras::find_signature(comment) {
        Some((i, signature)) => Err(Error::StructureInComment {
            signature,
            at: start + i as u64,
        }),
        None => Ok(()),
    }
}

/// Demands the end records the writer produces: the zip64 ones exactly
/// when needed, the markers exactly where values overflow.
fn check_canonical(e: &Eocd, ends: &Ends) -> Result<(), Error> {
    let (count, size, offset) = (ends.count, ends.cd_size, ends.cd_offset);
    let needed = zip64::needs_end_record(count, size, offset);
    let differ = |record, found: &[(&'static str, u64)], expected: &[(&'static str, u64)]| {
        format::first_difference(found, expected).map_or(Ok(()), |(field, found, expected)| {
            Err(Error::NonCanonicalHeader {
                entry: None,
                record,
                field,
                found,
                expected,
            })
        })
    };
    match &ends.zip64 {
        None if needed => {
            return Err(malformed(
                "the entry count is the zip64 marker but there is no zip64 end record",
            ))
        }
        None => {}
        Some(_) if !needed => {
            return Err(Error::NonCanonicalHeader {
                entry: None,
                record: "zip64 end record",
                field: "signature",
                found: zip64::ZIP64_EOCD_SIG.into(),
                expected: 0,
            })
        }
        Some((r, record_at, loc)) => {
            let want = Zip64Eocd::canonical(count, size, offset);
            differ("zip64 end record", &r.fields(), &want.fields())?;
            differ(
                "zip64 locator",
                &loc.fields(),
                &Locator::canonical(*record_at).fields(),
            )?;
        }
    }
    let want = Eocd::canonical_for(count, size, offset);
    differ("end record", &e.fields(), &want.fields())
}

/// Compares the declared central directory offset with the actual one.
fn check_offset(declared: u64, cd_start: u64, others: &[u64]) -> Result<(), Error> {
    if declared == cd_start {
        return Ok(());
    }
    if !others.is_empty() {
        // Concatenated archives: which one is meant depends on the tool.
        return Err(Error::MultipleEocd {
            count: others.len() + 1,
        });
    }
    if declared < cd_start {
        return Err(Error::PrependedBytes {
            bytes: cd_start - declared,
        });
    }
    Err(Error::BadCentralDirectory {
        entry: None,
        what: format!(
            "the end record puts it {} bytes after where it is",
            declared - cd_start
        ),
    })
}
