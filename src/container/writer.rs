//! The deterministic zip writer: one byte layout per sequence of entries
//! (the canonical form described in [`super`]; APPNOTE §4.3.6 overall
//! layout, §4.3.7, §4.3.12, §4.3.14–§4.3.16 records, §4.5.3 zip64 extra
//! field).
//!
//! Invariants: the caller chooses the order; every name passes the same
//! checks as on reading (so the output always reads back canonically);
//! zip64 is used exactly where the final sizes, offsets and entry count
//! need it — a streamed entry's local header form is fixed, before its
//! data, by the size the caller announces, and a final size that differs
//! is an error, never another layout; memory holds the entries' metadata
//! (names, sizes, CRC-32s, offsets) and fixed buffers, never their data or
//! the whole central directory. After an error in the middle of an entry
//! the output is incomplete and the writer is poisoned: every later call
//! fails with [`Error::Poisoned`].

use std::collections::HashSet;
use std::io::{self, Read, Seek, SeekFrom, Write};

use super::error::Error;
use super::format::{CentralHeader, Eocd, LocalHeader};
use super::names::{check_name, NameKind};
use super::zip64::{self, Locator, Zip64Eocd};
use super::{EntryInfo, Limits, MAX_ENTRY_SIZE};

/// Size of the copy buffer: also the largest chunk `on_chunk` sees, and
/// about the size of each write of the central directory. 64 KiB stays in
/// the CPU's L2 cache from the read through CRC-32, the write and the copy
/// for the hashing thread; 256 KiB and 1 MiB measured 15-20% slower.
const CHUNK: usize = 64 * 1024;

/// One entry already written, for the central directory.
struct Written {
    name: String,
    info: EntryInfo,
    offset: u64,
}

/// How much of its source an entry takes.
#[derive(Clone, Copy, Debug)]
enum Take {
    /// Exactly this many bytes (a copy of known data).
    Exactly(u64),
    /// The whole stream, which must hold this many bytes.
    Announced(u64),
    /// The whole stream, which must end before it needs zip64 sizes.
    Unannounced,
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

    /// Streams `data`, of unannounced size, into a new entry: writes the
    /// local header with a placeholder CRC and sizes, copies the data
    /// through a fixed buffer, calling `on_chunk` with each chunk just
    /// written (so the caller hashes exactly the bytes in the archive),
    /// then seeks back to complete the header. The header has no room for
    /// zip64 sizes, so this fails with [`Error::Zip64Unsupported`] once the
    /// data passes [`MAX_ENTRY_SIZE`]: a source that may be that large
    /// (a file: use its size) goes through [`ZipWriter::add_stream_sized`].
    pub fn add_stream(
        &mut self,
        name: &str,
        data: &mut dyn Read,
        on_chunk: &mut dyn FnMut(&[u8]),
    ) -> Result<EntryInfo, Error> {
        self.stream_entry(name, Take::Unannounced, data, on_chunk)
    }

    /// Like [`ZipWriter::add_stream`] for a source that should hold
    /// `expected_size` bytes (a file's size from its metadata). The local
    /// header's form is chosen from it — with a zip64 extra field for both
    /// sizes when `expected_size` ≥ 0xFFFF_FFFF — and the source must give
    /// exactly that many bytes: fewer or more (a file that changed while
    /// being packed) fails with [`Error::SizeChanged`], as soon as the
    /// excess is read. So the layout always follows the final size.
    pub fn add_stream_sized(
        &mut self,
        name: &str,
        expected_size: u64,
        data: &mut dyn Read,
        on_chunk: &mut dyn FnMut(&[u8]),
    ) -> Result<EntryInfo, Error> {
        self.stream_entry(name, Take::Announced(expected_size), data, on_chunk)
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
        self.count_total(name, info.size)?;
        self.poisoned = true;
        self.write_local(name, info)?;
        let copied = self.copy(name, data, Take::Exactly(info.size), &mut |_| {})?;
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

    /// Writes the central directory, the zip64 end record and locator if
    /// the archive needs them, and the end record; returns `out` (flushed).
    pub fn finish(mut self) -> Result<W, Error> {
        if self.poisoned {
            return Err(Error::Poisoned);
        }
        self.poisoned = true;
        let cd_offset = self.pos;
        let written = std::mem::take(&mut self.written);
        let mut buf = std::mem::take(&mut self.buf);
        buf.clear();
        for w in &written {
            let (h, extra) = CentralHeader::canonical_for(
                w.info.crc32,
                w.info.size,
                w.name.len() as u16,
                w.offset,
            );
            buf.extend_from_slice(&h.encode(w.name.as_bytes()));
            buf.extend_from_slice(&extra);
            if buf.len() >= CHUNK {
                self.write(&buf)?;
                buf.clear();
            }
        }
        self.write(&buf)?;
        buf.clear();
        let (count, cd_size) = (written.len() as u64, self.pos - cd_offset);
        if zip64::needs_end_record(count, cd_size, cd_offset) {
            buf.extend_from_slice(&Zip64Eocd::canonical(count, cd_size, cd_offset).encode());
            buf.extend_from_slice(&Locator::canonical(self.pos).encode());
        }
        buf.extend_from_slice(&Eocd::canonical_for(count, cd_size, cd_offset).encode());
        self.write(&buf)?;
        self.out.flush()?;
        Ok(self.out)
    }

    /// Writes a streamed entry (see [`ZipWriter::add_stream_sized`]).
    fn stream_entry(
        &mut self,
        name: &str,
        take: Take,
        data: &mut dyn Read,
        on_chunk: &mut dyn FnMut(&[u8]),
    ) -> Result<EntryInfo, Error> {
        let offset = self.admit(name)?;
        self.poisoned = true;
        // A placeholder of the final header's form: the announced size
        // decides whether it has zip64 sizes, and the final size must match.
        let announced = match take {
            Take::Announced(n) => n,
            Take::Exactly(_) | Take::Unannounced => 0,
        };
        let placeholder = EntryInfo {
            size: announced,
            crc32: 0,
        };
        let header_len = self.write_local(name, placeholder)?;
        let info = self.copy(name, data, take, on_chunk)?;
        if let Take::Announced(expected) = take {
            if info.size != expected {
                return Err(Error::SizeChanged {
                    entry: name.to_owned(),
                    expected,
                    actual: info.size,
                });
            }
        }
        self.patch(name, info, header_len)?;
        self.record(name, info, offset);
        Ok(info)
    }

    /// Checks that `name` may be added next; returns its header offset.
    fn admit(&mut self, name: &str) -> Result<u64, Error> {
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
        let max = self.limits.max_entries;
        if self.written.len() >= max as usize {
            return Err(Error::TooManyEntries {
                count: self.written.len() as u64 + 1,
                max: max.into(),
            });
        }
        Ok(self.pos)
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

    /// The canonical local header (and extra field) of an entry.
    fn local_bytes(name: &str, info: EntryInfo) -> Vec<u8> {
        let (h, extra) = LocalHeader::canonical_for(info.crc32, info.size, name.len() as u16);
        let mut bytes = h.encode(name.as_bytes());
        bytes.extend_from_slice(&extra);
        bytes
    }

    /// Writes the local header of an entry; returns its length.
    fn write_local(&mut self, name: &str, info: EntryInfo) -> Result<u64, Error> {
        let bytes = Self::local_bytes(name, info);
        self.write(&bytes)?;
        Ok(bytes.len() as u64)
    }

    /// Copies `data` into the archive, taking what `take` says.
    fn copy(
        &mut self,
        name: &str,
        data: &mut dyn Read,
        take: Take,
        on_chunk: &mut dyn FnMut(&[u8]),
    ) -> Result<EntryInfo, Error> {
        let mut buf = std::mem::take(&mut self.buf);
        buf.resize(CHUNK, 0);
        let mut hasher = crc32fast::Hasher::new();
        let mut size = 0u64;
        loop {
            let want = match take {
                Take::Exactly(n) => (n - size).min(CHUNK as u64) as usize,
                Take::Announced(_) | Take::Unannounced => CHUNK,
            };
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
            Self::check_growth(name, take, size)?;
            if !matches!(take, Take::Exactly(_)) {
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

    /// Refuses a stream that has grown past what its header allows.
    fn check_growth(name: &str, take: Take, size: u64) -> Result<(), Error> {
        match take {
            Take::Announced(expected) if size > expected => Err(Error::SizeChanged {
                entry: name.to_owned(),
                expected,
                actual: size,
            }),
            Take::Unannounced if size > MAX_ENTRY_SIZE => Err(Error::Zip64Unsupported {
                entry: Some(name.to_owned()),
                what: "the stream passed 4 GiB - 2 bytes without an announced size",
            }),
            _ => Ok(()),
        }
    }

    /// Seeks back over the entry just written to rewrite its local header
    /// with the CRC and sizes, then forward to its end again.
    fn patch(&mut self, name: &str, info: EntryInfo, header_len: u64) -> Result<(), Error> {
        let bytes = Self::local_bytes(name, info);
        if bytes.len() as u64 != header_len {
            // Cannot happen: the size was checked against the header's form.
            return Err(io::Error::other("the local header changed length").into());
        }
        let seek =
            |d: u64| i64::try_from(d).map_err(|_| io::Error::other("seek distance overflows"));
        self.out
            .seek(SeekFrom::Current(-seek(header_len + info.size)?))?;
        self.out.write_all(&bytes)?;
        self.out.seek(SeekFrom::Current(seek(info.size)?))?;
        Ok(())
    }

    fn record(&mut self, name: &str, info: EntryInfo, offset: u64) {
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
        // A zip64-sized entry gets its header, then fails for want of data.
        let big = EntryInfo {
            size: MAX_ENTRY_SIZE + 1,
            crc32: 0,
        };
        let mut w = ZipWriter::new(Cursor::new(Vec::new()));
        assert_eq!(
            w.add_known("a", big, &mut io::empty()).unwrap_err().code(),
            "zip.truncated"
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
