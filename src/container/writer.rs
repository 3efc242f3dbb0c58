//! The deterministic zip writer: one byte layout per sequence of entries
//! (the canonical form described in [`super`]; APPNOTE §4.3.6 overall
//! layout, §4.3.7, §4.3.12, §4.3.16 records).
//!
//! Invariants: the caller chooses the order; every name passes the same
//! checks as on reading (so the output always reads back canonically);
//! nothing needing zip64 is ever written — an entry, offset or count that
//! would need it is an error before or while it is written. After an error
//! in the middle of an entry the output is incomplete and the writer is
//! poisoned: every later call fails with [`Error::Poisoned`].

use std::collections::HashSet;
use std::io::{self, Read, Seek, SeekFrom, Write};

use super::error::Error;
use super::format::{CentralHeader, Eocd, LocalHeader, LOCAL_LEN};
use super::names::{check_name, NameKind};
use super::{EntryInfo, Limits, MAX_ARCHIVE_ENTRIES, MAX_ENTRY_SIZE};

/// Size of the copy buffer: also the largest chunk `on_chunk` sees.
const CHUNK: usize = 64 * 1024;

/// One entry already written, for the central directory.
struct Written {
    name: String,
    info: EntryInfo,
    offset: u32,
}

/// Writes a canonical docseal zip to `out`, which must be positioned where
/// the archive starts (offset 0 of a new file, for a canonical archive).
pub struct ZipWriter<W: Write + Seek> {
    out: W,
    pos: u64,
    limits: Limits,
    written: Vec<Written>,
    names: HashSet<String>,
    total: u64,
    poisoned: bool,
    buf: Vec<u8>,
}

impl<W: Write + Seek> ZipWriter<W> {
    /// A writer with the default [`Limits`].
    pub fn new(out: W) -> Self {
        Self::with_limits(out, Limits::default())
    }

    /// A writer that refuses what a reader with `limits` would refuse.
    pub fn with_limits(out: W, limits: Limits) -> Self {
        ZipWriter {
            out,
            pos: 0,
            limits,
            written: Vec::new(),
            names: HashSet::new(),
            total: 0,
            poisoned: false,
            buf: Vec::new(),
        }
    }

    /// Streams `data` into a new entry: writes the local header with a
    /// placeholder CRC and sizes, copies the data through a fixed buffer,
    /// calling `on_chunk` with each chunk just written (so the caller hashes
    /// exactly the bytes in the archive), then seeks back to patch the CRC
    /// and sizes. Fails with [`Error::Zip64Unsupported`] once the data
    /// passes [`MAX_ENTRY_SIZE`].
    pub fn add_stream(
        &mut self,
        name: &str,
        data: &mut dyn Read,
        on_chunk: &mut dyn FnMut(&[u8]),
    ) -> Result<EntryInfo, Error> {
        let offset = self.admit(name)?;
        self.poisoned = true;
        let len = name.len() as u16;
        self.write(&LocalHeader::canonical(0, 0, len).encode(name.as_bytes()))?;
        let info = self.copy(name, data, None, on_chunk)?;
        self.patch(name, info)?;
        self.record(name, info, offset);
        Ok(info)
    }

    /// Adds an entry whose bytes are all in memory.
    pub fn add_bytes(&mut self, name: &str, data: &[u8]) -> Result<EntryInfo, Error> {
        let info = EntryInfo {
            size: data.len() as u64,
            crc32: crc32fast::hash(data),
        };
        self.add_known(name, info, &mut &data[..])?;
        Ok(info)
    }

    /// Copies an entry whose size and CRC-32 are already known (rewriting
    /// a bundle): the header is final at once, no seek is needed. Exactly
    /// `info.size` bytes are taken from `data`; fewer, or a different
    /// CRC-32, is an error (and poisons the writer).
    pub fn add_known(
        &mut self,
        name: &str,
        info: EntryInfo,
        data: &mut dyn Read,
    ) -> Result<(), Error> {
        let offset = self.admit(name)?;
        let size = self.size_u32(name, info.size)?;
        self.count_total(name, info.size)?;
        self.poisoned = true;
        let header = LocalHeader::canonical(info.crc32, size, name.len() as u16);
        self.write(&header.encode(name.as_bytes()))?;
        let copied = self.copy(name, data, Some(info.size), &mut |_| {})?;
        if copied.size < info.size {
            return Err(Error::Truncated {
                entry: Some(name.to_owned()),
                what: format!(
                    "source gave {} of the declared {} bytes",
                    copied.size, info.size
                ),
            });
        }
        if copied.crc32 != info.crc32 {
            return Err(Error::CrcMismatch {
                entry: name.to_owned(),
                expected: info.crc32,
                actual: copied.crc32,
            });
        }
        self.record(name, info, offset);
        Ok(())
    }

    /// Writes the central directory and the end record; returns `out`
    /// (flushed).
    pub fn finish(mut self) -> Result<W, Error> {
        if self.poisoned {
            return Err(Error::Poisoned);
        }
        let cd_offset = self.offset_u32(None)?;
        let mut central = Vec::new();
        for w in &self.written {
            let size = w.info.size as u32; // checked when written
            let h = CentralHeader::canonical(w.info.crc32, size, w.name.len() as u16, w.offset);
            central.extend_from_slice(&h.encode(w.name.as_bytes()));
        }
        let cd_size = u32::try_from(central.len())
            .ok()
            .filter(|s| u64::from(*s) <= MAX_ENTRY_SIZE)
            .ok_or(Error::Zip64Unsupported {
                entry: None,
                what: "the central directory passes 4 GiB",
            })?;
        let count = self.written.len() as u16; // at most MAX_ARCHIVE_ENTRIES
        central.extend_from_slice(&Eocd::canonical(count, cd_size, cd_offset).encode());
        self.poisoned = true;
        self.write(&central)?;
        self.out.flush()?;
        Ok(self.out)
    }

    /// Checks that `name` may be added next; returns its header offset.
    fn admit(&mut self, name: &str) -> Result<u32, Error> {
        if self.poisoned {
            return Err(Error::Poisoned);
        }
        let (_, kind) = check_name(
            name.as_bytes(),
            self.limits.max_name_len.min(usize::from(u16::MAX)),
        )?;
        if kind == NameKind::Directory {
            return Err(Error::NotARegularFile {
                entry: name.to_owned(),
                what: "a directory",
            });
        }
        if self.names.contains(name) {
            return Err(Error::DuplicateName {
                entry: name.to_owned(),
            });
        }
        let max = self.limits.max_entries.min(MAX_ARCHIVE_ENTRIES);
        if self.written.len() >= max as usize {
            return Err(Error::TooManyEntries {
                count: self.written.len() as u64 + 1,
                max: max.into(),
            });
        }
        self.offset_u32(Some(name))
    }

    /// The current offset, if it still fits a non-zip64 record.
    fn offset_u32(&self, entry: Option<&str>) -> Result<u32, Error> {
        u32::try_from(self.pos)
            .ok()
            .filter(|p| u64::from(*p) <= MAX_ENTRY_SIZE)
            .ok_or(Error::Zip64Unsupported {
                entry: entry.map(str::to_owned),
                what: "the archive passes 4 GiB",
            })
    }

    fn size_u32(&self, name: &str, size: u64) -> Result<u32, Error> {
        u32::try_from(size)
            .ok()
            .filter(|s| u64::from(*s) <= MAX_ENTRY_SIZE)
            .ok_or(Error::Zip64Unsupported {
                entry: Some(name.to_owned()),
                what: "the entry is larger than 4 GiB - 2 bytes",
            })
    }

    /// Adds `size` to the running total unless that passes the limit.
    fn count_total(&mut self, name: &str, size: u64) -> Result<(), Error> {
        let total = self.total.saturating_add(size);
        if total > self.limits.max_total_size {
            return Err(Error::TooLarge {
                entry: Some(name.to_owned()),
                total,
                max: self.limits.max_total_size,
            });
        }
        self.total = total;
        Ok(())
    }

    fn write(&mut self, bytes: &[u8]) -> Result<(), Error> {
        self.out.write_all(bytes)?;
        self.pos += bytes.len() as u64;
        Ok(())
    }

    /// Copies `data` (at most `limit` bytes if given) into the archive.
    fn copy(
        &mut self,
        name: &str,
        data: &mut dyn Read,
        limit: Option<u64>,
        on_chunk: &mut dyn FnMut(&[u8]),
    ) -> Result<EntryInfo, Error> {
        let mut buf = std::mem::take(&mut self.buf);
        buf.resize(CHUNK, 0);
        let mut hasher = crc32fast::Hasher::new();
        let mut size = 0u64;
        loop {
            let want = limit.map_or(CHUNK as u64, |l| (l - size).min(CHUNK as u64)) as usize;
            let Some(dst) = buf.get_mut(..want) else {
                break;
            };
            let n = match data.read(dst) {
                Ok(0) => break,
                Ok(n) => n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e.into()),
            };
            let chunk = dst.get(..n).unwrap_or_default();
            size += n as u64;
            self.size_u32(name, size)?;
            if limit.is_none() {
                self.count_total(name, n as u64)?;
            }
            self.write(chunk)?;
            hasher.update(chunk);
            on_chunk(chunk);
        }
        self.buf = buf;
        Ok(EntryInfo {
            size,
            crc32: hasher.finalize(),
        })
    }

    /// Seeks back over the data just written to fill in CRC and sizes.
    fn patch(&mut self, name: &str, info: EntryInfo) -> Result<(), Error> {
        let size = self.size_u32(name, info.size)?;
        // From the end of the data back to the CRC field at header + 14.
        let back = info.size + name.len() as u64 + (LOCAL_LEN as u64 - 14);
        let back = i64::try_from(back).map_err(|_| io::Error::other("seek distance overflows"))?;
        self.out.seek(SeekFrom::Current(-back))?;
        let mut fields = Vec::with_capacity(12);
        for v in [info.crc32, size, size] {
            fields.extend_from_slice(&v.to_le_bytes());
        }
        self.out.write_all(&fields)?;
        self.out.seek(SeekFrom::Current(back - 12))?;
        Ok(())
    }

    fn record(&mut self, name: &str, info: EntryInfo, offset: u32) {
        self.names.insert(name.to_owned());
        self.written.push(Written {
            name: name.to_owned(),
            info,
            offset,
        });
        self.poisoned = false;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Cursor;

    fn build(entries: &[(&str, &[u8])]) -> Vec<u8> {
        let mut w = ZipWriter::new(Cursor::new(Vec::new()));
        for (name, data) in entries {
            let mut seen = Vec::new();
            let info = w
                .add_stream(name, &mut &data[..], &mut |c| seen.extend_from_slice(c))
                .unwrap();
            assert_eq!(seen, *data, "on_chunk sees exactly the bytes written");
            assert_eq!(
                info,
                EntryInfo {
                    size: data.len() as u64,
                    crc32: crc32fast::hash(data)
                }
            );
        }
        w.finish().unwrap().into_inner()
    }

    #[test]
    fn output_is_pinned_byte_for_byte() {
        let got = build(&[("a", b"hi")]);
        let mut want = Vec::new();
        want.extend_from_slice(b"PK\x03\x04\x14\x00\x00\x08\x00\x00\x00\x00\x21\x00");
        want.extend_from_slice(&crc32fast::hash(b"hi").to_le_bytes());
        want.extend_from_slice(b"\x02\x00\x00\x00\x02\x00\x00\x00\x01\x00\x00\x00ahi");
        want.extend_from_slice(b"PK\x01\x02\x1e\x03\x14\x00\x00\x08\x00\x00\x00\x00\x21\x00");
        want.extend_from_slice(&crc32fast::hash(b"hi").to_le_bytes());
        want.extend_from_slice(b"\x02\x00\x00\x00\x02\x00\x00\x00\x01\x00\x00\x00\x00\x00\x00\x00");
        want.extend_from_slice(b"\x00\x00\x00\x00\xa4\x81\x00\x00\x00\x00a");
        want.extend_from_slice(
            b"PK\x05\x06\x00\x00\x00\x00\x01\x00\x01\x00\x2f\x00\x00\x00\x21\x00\x00\x00\x00\x00",
        );
        assert_eq!(got, want);
    }

    #[test]
    fn same_inputs_give_identical_bytes_whichever_way_they_are_added() {
        let big: Vec<u8> = (0..200_000u32).map(|i| (i * 7 % 251) as u8).collect();
        let entries: [(&str, &[u8]); 3] = [("b/x", b""), ("b/big", &big), ("b/y", b"y\n")];
        let a = build(&entries);
        assert_eq!(a, build(&entries));
        let mut w = ZipWriter::new(Cursor::new(Vec::new()));
        w.add_bytes("b/x", b"").unwrap();
        let info = EntryInfo {
            size: big.len() as u64,
            crc32: crc32fast::hash(&big),
        };
        w.add_known("b/big", info, &mut &big[..]).unwrap();
        w.add_bytes("b/y", b"y\n").unwrap();
        assert_eq!(w.finish().unwrap().into_inner(), a);
    }

    #[test]
    fn refusals_leave_the_writer_usable_and_name_the_problem() {
        let mut w = ZipWriter::with_limits(
            Cursor::new(Vec::new()),
            Limits {
                max_entries: 2,
                ..Limits::default()
            },
        );
        w.add_bytes("a", b"1").unwrap();
        let cases: &[(&str, &str)] = &[
            ("a", "zip.duplicate-name"),
            ("../a", "zip.bad-name"),
            ("d/", "zip.not-a-regular-file"),
            ("a\\b", "zip.bad-name"),
        ];
        for (name, code) in cases {
            assert_eq!(w.add_bytes(name, b"x").unwrap_err().code(), *code, "{name}");
        }
        w.add_bytes("b", b"2").unwrap();
        assert_eq!(
            w.add_bytes("c", b"3").unwrap_err().code(),
            "zip.too-many-entries"
        );
        assert!(w.finish().is_ok());
    }

    #[test]
    fn add_known_refuses_short_or_altered_data_and_poisons() {
        let info = EntryInfo {
            size: 3,
            crc32: crc32fast::hash(b"abc"),
        };
        let mut w = ZipWriter::new(Cursor::new(Vec::new()));
        assert_eq!(
            w.add_known("a", info, &mut &b"ab"[..]).unwrap_err().code(),
            "zip.truncated"
        );
        assert_eq!(
            w.add_bytes("b", b"").unwrap_err().code(),
            "zip.writer-poisoned"
        );
        assert_eq!(w.finish().unwrap_err().code(), "zip.writer-poisoned");
        let mut w = ZipWriter::new(Cursor::new(Vec::new()));
        assert_eq!(
            w.add_known("a", info, &mut &b"abd"[..]).unwrap_err().code(),
            "zip.crc-mismatch"
        );
        let big = EntryInfo {
            size: MAX_ENTRY_SIZE + 1,
            crc32: 0,
        };
        let mut w = ZipWriter::new(Cursor::new(Vec::new()));
        assert_eq!(
            w.add_known("a", big, &mut io::empty()).unwrap_err().code(),
            "zip.zip64-unsupported"
        );
    }

    #[test]
    fn the_total_size_limit_applies_to_streams() {
        let limits = Limits {
            max_total_size: 10,
            ..Limits::default()
        };
        let mut w = ZipWriter::with_limits(Cursor::new(Vec::new()), limits);
        w.add_bytes("a", b"12345").unwrap();
        let err = w
            .add_stream("b", &mut &[0u8; 6][..], &mut |_| {})
            .unwrap_err();
        assert_eq!(err.code(), "zip.too-large");
    }
}
