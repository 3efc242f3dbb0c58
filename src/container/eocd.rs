//! Finding the one end of central directory record (APPNOTE §4.3.16) and,
//! from it, where the central directory really is.
//!
//! The record is searched backwards in the last 65 557 bytes (22 + the
//! largest comment). A *candidate* is a signature whose comment fits in the
//! file; a *plausible* candidate also describes a single-disk, non-zip64
//! archive whose central directory ends exactly where the candidate starts
//! (the central directory's first signature is there). The last plausible
//! candidate is chosen; the other plausible ones are returned so that the
//! layout check can refuse those lying outside every entry's data
//! (`zip.multiple-eocd`: different tools would pick different archives),
//! while an archive stored inside an entry stays harmless.
//!
//! Invariants: at most 65 557 bytes are read into memory; the returned
//! central directory start plus its size is the chosen record's offset.

use std::fs::File;

use super::error::Error;
use super::format::{sig_at, Eocd, CENTRAL_SIG, EOCD_LEN, ZIP64_LOCATOR_SIG};
use super::stream::read_exact_at;
use super::Mode;

/// How far from the end the record can start.
const MAX_TAIL: u64 = EOCD_LEN as u64 + u16::MAX as u64;

/// The chosen end record and what it implies.
#[derive(Debug)]
pub(crate) struct Located {
    /// The record.
    pub eocd: Eocd,
    /// Where the central directory actually starts (`at - cd_size`).
    pub cd_start: u64,
    /// Offsets of the other plausible end records.
    pub others: Vec<u64>,
}

/// The last bytes of the file, where the end record must be.
struct Tail<'a> {
    file: &'a File,
    bytes: Vec<u8>,
    start: u64,
    len: u64,
}

impl<'a> Tail<'a> {
    /// Reads the last bytes of a file of `len` bytes.
    fn read(file: &'a File, len: u64) -> Result<Tail<'a>, Error> {
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

    /// The little-endian u32 at `offset`, from memory if it is there.
    fn u32_at(&self, offset: u64) -> Result<u32, Error> {
        let rel = offset
            .checked_sub(self.start)
            .and_then(|r| usize::try_from(r).ok());
        if let Some(b) = rel
            .and_then(|r| self.bytes.get(r..))
            .filter(|b| b.len() >= 4)
        {
            return Ok(sig_at(b));
        }
        let mut b = [0u8; 4];
        Ok(if read_exact_at(self.file, &mut b, offset)? {
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
            .filter_map(|i| {
                let fixed: &[u8; EOCD_LEN] = self.bytes.get(i..i + EOCD_LEN)?.try_into().ok()?;
                let eocd = Eocd::parse(fixed)?;
                let end = i + EOCD_LEN + usize::from(eocd.comment_len);
                (end <= self.bytes.len()).then_some((self.start + i as u64, eocd))
            })
            .collect()
    }

    fn is_plausible(&self, at: u64, e: &Eocd) -> Result<bool, Error> {
        let single = e.disk == 0 && e.cd_disk == 0 && e.entries_on_disk == e.entries;
        if !single || e.has_zip64_marker() || u64::from(e.cd_size) > at {
            return Ok(false);
        }
        if e.entries == 0 {
            return Ok(e.cd_size == 0);
        }
        Ok(self.u32_at(at - u64::from(e.cd_size))? == CENTRAL_SIG)
    }
}

/// Finds and checks the end record of a file of `len` bytes.
pub(crate) fn locate(file: &File, len: u64, mode: Mode) -> Result<Located, Error> {
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
    check_chosen(&tail, &eocd, at, mode, chosen.is_some())?;
    let cd_start = at - u64::from(eocd.cd_size);
    check_offset(&eocd, cd_start, &others)?;
    Ok(Located {
        eocd,
        cd_start,
        others,
    })
}

/// Refuses zip64 and split archives.
fn check_single(tail: &Tail<'_>, e: &Eocd, at: u64, plausible: bool) -> Result<(), Error> {
    // A zip64 locator sits just before the end record (APPNOTE §4.3.15).
    let locator = !plausible && at >= 20 && tail.u32_at(at - 20)? == ZIP64_LOCATOR_SIG;
    if e.has_zip64_marker() || locator {
        let what = "the archive has a zip64 end record";
        return Err(Error::Zip64Unsupported { entry: None, what });
    }
    if e.disk != 0 || e.cd_disk != 0 || e.entries_on_disk != e.entries {
        return Err(Error::MultiDisk);
    }
    Ok(())
}

/// Checks the chosen record's own fields and what follows it.
fn check_chosen(
    tail: &Tail<'_>,
    e: &Eocd,
    at: u64,
    mode: Mode,
    plausible: bool,
) -> Result<(), Error> {
    check_single(tail, e, at, plausible)?;
    let end = at + EOCD_LEN as u64 + u64::from(e.comment_len);
    if end < tail.len {
        return Err(Error::TrailingBytes {
            bytes: tail.len - end,
        });
    }
    if mode == Mode::Canonical && e.comment_len != 0 {
        return Err(Error::NonCanonicalHeader {
            entry: None,
            record: "end record",
            field: "comment length",
            found: e.comment_len.into(),
            expected: 0,
        });
    }
    if u64::from(e.cd_size) > at {
        return Err(Error::BadCentralDirectory {
            entry: None,
            what: format!(
                "its size {} is more than the {at} bytes before the end record",
                e.cd_size
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

/// Compares the declared central directory offset with the actual one.
fn check_offset(e: &Eocd, cd_start: u64, others: &[u64]) -> Result<(), Error> {
    let declared = u64::from(e.cd_offset);
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
