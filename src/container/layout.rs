//! Local headers (APPNOTE §4.3.7, zip64 extra field §4.5.3), data
//! descriptors (§4.3.9) and where everything lies in the file (§4.3.6).
//!
//! Invariants checked here: each central record points at a local header
//! that agrees with it (name, flags, method, CRC-32, sizes with zip64
//! markers resolved; a data descriptor, when allowed, must hold the
//! central values, with 8-byte sizes when the local header has a zip64
//! field); the entries' ranges `[local header, end of data or descriptor)`
//! start at offset 0, follow each other without a gap, never overlap and
//! end where the central directory starts;
//! any other plausible end record lies inside some entry's data; every
//! extra field is one that [`super::extras`] allows. Canonical mode also
//! demands the central directory in file order,
//! and the exact canonical local header and extra field. Offset arithmetic
//! on declared (up to 64-bit) values is checked, never wrapping.

use super::source::Source;
use std::io;

use super::central::Record;
use super::eocd::Located;
use super::error::Error;
use super::format::{self, Fields, LocalHeader, DESCRIPTOR_SIG, EOCD_LEN, LOCAL_LEN};
use super::stream::{read_at_most, read_exact_at};
use super::zip64::{self, Resolved};
use super::Mode;

/// Flag bits that must agree between local and central headers in
/// lenient mode: encryption, descriptor, strong encryption, UTF-8, CD
/// encryption. (Canonical mode compares all bits.)
const MEANINGFUL_FLAGS: u16 = 0x0001 | 0x0008 | 0x0040 | 0x0800 | 0x2000;

/// An entry's local header and the bytes it occupies.
#[derive(Debug)]
pub(crate) struct Local {
    pub header: LocalHeader,
    pub name: Vec<u8>,
    /// The extra field.
    pub extra: Vec<u8>,
    /// Sizes, zip64 markers resolved.
    pub z: Resolved,
    /// Offset of the local header.
    pub start: u64,
    /// Offset of the data.
    pub data: u64,
    /// End of the data.
    pub data_end: u64,
    /// End of the entry (after its data descriptor, if any).
    pub end: u64,
}

/// Reads the local header (and descriptor) of every record.
pub(crate) fn read_locals(
    file: &dyn Source,
    records: &[Record],
    mode: Mode,
) -> Result<Vec<Local>, Error> {
    let mut window = Window::default();
    records
        .iter()
        .map(|r| read_local(file, &mut window, r, mode))
        .collect()
}

/// The most bytes [`Window`] reads at once.
const WINDOW: usize = 256 * 1024;

/// Read-ahead for local headers. In a bundle of many small files the
/// headers lie a few KiB apart, so one positional read of [`WINDOW`] bytes
/// serves dozens of them instead of two system calls each (20,000 files:
/// 40,000 reads became a few hundred). After a large entry only the header
/// itself is read, never the data.
#[derive(Default)]
struct Window {
    at: u64,
    bytes: Vec<u8>,
}

impl Window {
    /// Fills `out` from `at`, as [`read_exact_at`] does; `ahead` is how
    /// much to read when the window must move (at least `out.len()`).
    fn read(
        &mut self,
        file: &dyn Source,
        out: &mut [u8],
        at: u64,
        ahead: usize,
    ) -> io::Result<bool> {
        let cached = at
            .checked_sub(self.at)
            .and_then(|skip| usize::try_from(skip).ok())
            .and_then(|skip| self.bytes.get(skip..skip.checked_add(out.len())?));
        if let Some(cached) = cached {
            out.copy_from_slice(cached);
            return Ok(true);
        }
        let want = ahead.max(out.len());
        self.bytes.resize(want, 0);
        let got = read_at_most(file, &mut self.bytes, at)?;
        self.bytes.truncate(got);
        self.at = at;
        match self.bytes.get(..out.len()) {
            Some(b) => {
                out.copy_from_slice(b);
                Ok(true)
            }
            None => Ok(false),
        }
    }
}

fn read_local(
    file: &dyn Source,
    window: &mut Window,
    rec: &Record,
    mode: Mode,
) -> Result<Local, Error> {
    let start = rec.z.offset;
    let truncated = |what: String| Error::Truncated {
        entry: Some(rec.name.clone()),
        what,
    };
    let past_end = || truncated("its data runs past the end of the file".into());
    // Read ahead past a small entry: the next header is probably close.
    let ahead = if rec.z.compressed < (WINDOW / 2) as u64 {
        WINDOW
    } else {
        4096
    };
    let mut fixed = [0u8; LOCAL_LEN];
    if !window.read(file, &mut fixed, start, ahead)? {
        return Err(truncated(format!(
            "its local header at offset {start} is past the end of the file"
        )));
    }
    let header = LocalHeader::parse(&fixed).ok_or_else(|| Error::BadLocalHeader {
        entry: rec.name.clone(),
        what: format!("no local header signature at offset {start}"),
    })?;
    let name_len = usize::from(header.name_len);
    let mut name_extra = vec![0u8; name_len + usize::from(header.extra_len)];
    if !window.read(
        file,
        &mut name_extra,
        start.saturating_add(LOCAL_LEN as u64),
        ahead,
    )? {
        return Err(truncated("its local header is cut short".into()));
    }
    let extra = name_extra.split_off(name_len);
    let z = zip64::resolve_local(&header, &extra).map_err(|what| Error::Zip64Unsupported {
        entry: Some(rec.name.clone()),
        what,
    })?;
    // The header was read, so `data` is within the file.
    let data = start + (LOCAL_LEN + name_extra.len() + extra.len()) as u64;
    let data_end = data.checked_add(rec.z.compressed).ok_or_else(past_end)?;
    let mut end = data_end;
    if mode == Mode::Lenient && rec.h.flags & format::FLAG_DESCRIPTOR != 0 {
        end += descriptor_len(file, rec, z.zip64, data_end)?;
    }
    Ok(Local {
        header,
        name: name_extra,
        extra,
        z,
        start,
        data,
        data_end,
        end,
    })
}

/// Length of the data descriptor at `at`, which must hold the central
/// CRC-32 and sizes, with or without its optional signature; the sizes
/// take 8 bytes each when the local header has a zip64 field (§4.3.9.2).
fn descriptor_len(file: &dyn Source, rec: &Record, wide: bool, at: u64) -> Result<u64, Error> {
    let mut b = [0u8; 24];
    let len = if wide { 24 } else { 16 };
    if !read_exact_at(file, b.get_mut(..len).unwrap_or_default(), at)? {
        return Err(Error::Truncated {
            entry: Some(rec.name.clone()),
            what: "its data descriptor is cut short".into(),
        });
    }
    let read = |skip: usize| {
        let mut f = Fields::new(b.get(skip..).unwrap_or_default());
        let crc = f.u32();
        let sizes = if wide {
            (f.u64(), f.u64())
        } else {
            (f.u32().into(), f.u32().into())
        };
        (crc, sizes.0, sizes.1)
    };
    let want = (rec.h.crc32, rec.z.compressed, rec.z.size);
    let body = if wide { 20 } else { 12 };
    if format::sig_at(&b) == DESCRIPTOR_SIG && read(4) == want {
        return Ok(body + 4);
    }
    if read(0) == want {
        return Ok(body);
    }
    Err(Error::LocalCentralMismatch {
        entry: rec.name.clone(),
        field: "data descriptor",
    })
}

/// `entry "name"`, for messages about a neighbour.
fn label(name: &str) -> String {
    format!("entry {name:?}")
}

/// Checks where the entries lie (see the module invariants).
pub(crate) fn check_layout(
    records: &[Record],
    locals: &[Local],
    loc: &Located,
    mode: Mode,
) -> Result<(), Error> {
    check_other_ends(locals, loc)?;
    let mut order: Vec<usize> = (0..locals.len()).collect();
    order.sort_by_key(|&i| (locals.get(i).map_or(0, |l| l.start), i));
    let mut expected = 0u64;
    let mut prev: Option<&str> = None;
    for (k, &i) in order.iter().enumerate() {
        let (Some(rec), Some(l)) = (records.get(i), locals.get(i)) else {
            continue;
        };
        if l.start < expected {
            let other = prev.map_or_else(String::new, label);
            return Err(Error::Overlapping {
                entry: rec.name.clone(),
                other,
            });
        }
        match prev {
            None if l.start > 0 => return Err(Error::PrependedBytes { bytes: l.start }),
            // Bytes between entries are where a second archive hides from
            // the central directory but not from a streaming reader.
            Some(_) if l.start > expected => {
                return Err(Error::Gap {
                    before: label(&rec.name),
                    bytes: l.start - expected,
                });
            }
            _ => {}
        }
        if mode == Mode::Canonical && k != i {
            let what =
                "the central directory lists the entries in another order than the file holds them";
            return Err(Error::BadCentralDirectory {
                entry: Some(rec.name.clone()),
                what: what.into(),
            });
        }
        expected = l.end;
        prev = Some(&rec.name);
    }
    check_directory_start(expected, prev, loc.cd_start)
}

/// Refuses other plausible end records, unless they lie inside an entry's
/// data (an archive stored in the bundle is content, not ambiguity).
fn check_other_ends(locals: &[Local], loc: &Located) -> Result<(), Error> {
    let inside_data = |q: u64| {
        locals
            .iter()
            .any(|l| l.data <= q && q + EOCD_LEN as u64 <= l.data_end)
    };
    if loc.others.iter().any(|q| !inside_data(*q)) {
        return Err(Error::MultipleEocd {
            count: loc.others.len() + 1,
        });
    }
    Ok(())
}

/// Checks the bytes between the last entry and the central directory.
fn check_directory_start(end: u64, last: Option<&str>, cd_start: u64) -> Result<(), Error> {
    match last {
        Some(name) if end > cd_start => Err(Error::Overlapping {
            entry: name.to_owned(),
            other: "the central directory".into(),
        }),
        None if cd_start > 0 => Err(Error::PrependedBytes { bytes: cd_start }),
        Some(_) if end < cd_start => Err(Error::Gap {
            before: "the central directory".into(),
            bytes: cd_start - end,
        }),
        _ => Ok(()),
    }
}

/// Checks that a local header agrees with its central record.
pub(crate) fn compare(rec: &Record, local: &Local, mode: Mode) -> Result<(), Error> {
    let (l, c) = (&local.header, &rec.h);
    let mismatch = |field| Error::LocalCentralMismatch {
        entry: rec.name.clone(),
        field,
    };
    if local.name != rec.name.as_bytes() {
        return Err(mismatch("name"));
    }
    // A reader streaming local headers sees only these extra fields.
    super::extras::check_block(&local.extra, &rec.name, "local header")?;
    let flag_mask = if mode == Mode::Canonical {
        u16::MAX
    } else {
        MEANINGFUL_FLAGS
    };
    if (l.flags ^ c.flags) & flag_mask != 0 {
        return Err(mismatch("flags"));
    }
    super::extras::check_features(l.version_needed, l.flags, &rec.name, "local header")?;
    if l.method != c.method {
        return Err(mismatch("method"));
    }
    // With a descriptor the local values may be left as zero (§4.4.4).
    let deferred = mode == Mode::Lenient && c.flags & format::FLAG_DESCRIPTOR != 0;
    let pairs = [
        ("crc-32", l.crc32.into(), c.crc32.into()),
        ("compressed size", local.z.compressed, rec.z.compressed),
        ("uncompressed size", local.z.size, rec.z.size),
    ];
    if let Some((field, ..)) = pairs
        .iter()
        .find(|(_, lv, cv)| lv != cv && !(deferred && *lv == 0))
    {
        return Err(mismatch(field));
    }
    if mode == Mode::Canonical {
        check_canonical_local(rec, local)?;
    }
    Ok(())
}

/// Compares every field the canonical form fixes, the extra field too.
fn check_canonical_local(rec: &Record, local: &Local) -> Result<(), Error> {
    let (canonical, want_extra) =
        LocalHeader::canonical_for(rec.h.crc32, rec.z.size, rec.h.name_len);
    let found = (&local.header.fixed_fields()[..], &local.extra[..]);
    match zip64::first_difference(found, (&canonical.fixed_fields(), &want_extra)) {
        Some((field, found, expected)) => Err(Error::NonCanonicalHeader {
            entry: Some(rec.name.clone()),
            record: "local header",
            field,
            found,
            expected,
        }),
        None => Ok(()),
    }
}

#[cfg(test)]
mod window_tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn the_window_reads_what_read_exact_at_would() {
        let mut tmp = tempfile::tempfile().unwrap();
        let data: Vec<u8> = (0..600_000u32).map(|i| (i % 251) as u8).collect();
        tmp.write_all(&data).unwrap();
        let mut w = Window::default();
        // Forward, backward, across the window's end, up to and past EOF.
        for (at, len, ahead) in [
            (0usize, 30usize, WINDOW),
            (100, 4000, WINDOW),
            (WINDOW - 10, 30, WINDOW),
            (50, 10, 4096),
            (599_990, 10, WINDOW),
            (599_990, 11, WINDOW),
            (600_000, 1, 4096),
            (10, 0, 4096),
        ] {
            let mut got = vec![0u8; len];
            let ok = w.read(&tmp, &mut got, at as u64, ahead).unwrap();
            let want = data.get(at..at + len);
            assert_eq!(ok, want.is_some(), "{at}+{len}");
            if let Some(want) = want {
                assert_eq!(got, want, "{at}+{len}");
            }
        }
    }
}
