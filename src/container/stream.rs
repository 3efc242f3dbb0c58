//! Reading bytes of an archive: positional reads of a shared file, and the
//! checking stream every entry is read through.
//!
//! Invariants: positional reads never move a file cursor, so any number of
//! streams over one [`Source`] can run in parallel threads; a [`Checked`]
//! stream yields at most the declared size and, at its end, fails unless it
//! yielded exactly the declared size with the declared CRC-32 (APPNOTE
//! §4.4.7). Its errors are [`io::Error`]s wrapping a container [`Error`].

use super::source::Source;
use std::io::{self, BufReader, Read};

use super::error::Error;

/// Reads at `offset` without moving any cursor.
pub(crate) fn read_at(file: &dyn Source, buf: &mut [u8], offset: u64) -> io::Result<usize> {
    file.read_at(buf, offset)
}

/// Fills `buf` from `offset`; `Ok(false)` if the file ends first.
pub(crate) fn read_exact_at(file: &dyn Source, buf: &mut [u8], offset: u64) -> io::Result<bool> {
    Ok(read_at_most(file, buf, offset)? == buf.len())
}

/// Reads from `offset` until `buf` is full or the file ends; returns the count.
pub(crate) fn read_at_most(file: &dyn Source, buf: &mut [u8], offset: u64) -> io::Result<usize> {
    // No file reaches 2^63 bytes; a larger (hostile, zip64) offset would
    // make the system call fail with a less telling error.
    if offset.saturating_add(buf.len() as u64) > i64::MAX as u64 {
        return Ok(0);
    }
    let mut done = 0;
    while done < buf.len() {
        let Some(rest) = buf.get_mut(done..) else {
            break;
        };
        match read_at(file, rest, offset.saturating_add(done as u64)) {
            Ok(0) => break,
            Ok(n) => done += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(done)
}

/// A `Read` over `len` bytes of a file from `pos`, by positional reads.
/// It ends early (returns 0) if the file does; callers check the count.
pub(crate) struct Span<'a> {
    file: &'a dyn Source,
    pos: u64,
    remaining: u64,
}

impl<'a> Span<'a> {
    pub fn new(file: &'a dyn Source, pos: u64, len: u64) -> Span<'a> {
        Span {
            file,
            pos,
            remaining: len,
        }
    }
}

impl Read for Span<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let want = usize::try_from(self.remaining)
            .unwrap_or(usize::MAX)
            .min(buf.len());
        let Some(dst) = buf.get_mut(..want) else {
            return Ok(0);
        };
        if dst.is_empty() {
            return Ok(0);
        }
        let n = read_at(self.file, dst, self.pos)?;
        self.pos += n as u64;
        self.remaining -= n as u64;
        Ok(n)
    }
}

/// A deflate decoder over an entry's compressed bytes that turns its
/// complaints into [`Error::CorruptData`] and, at the end of the stream,
/// demands that it used every compressed byte: a stream that ends early
/// leaves bytes a streaming reader (bsdtar from a pipe) takes for the next
/// record, while a reader of the central directory skips them.
pub(crate) struct Inflate<'a> {
    inner: flate2::bufread::DeflateDecoder<BufReader<Span<'a>>>,
    entry: String,
    compressed: u64,
}

impl<'a> Inflate<'a> {
    pub fn new(raw: Span<'a>, compressed: u64, entry: &str) -> Inflate<'a> {
        Inflate {
            inner: flate2::bufread::DeflateDecoder::new(BufReader::with_capacity(64 * 1024, raw)),
            entry: entry.to_owned(),
            compressed,
        }
    }
}

impl Read for Inflate<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf).map_err(|e| match e.kind() {
            io::ErrorKind::InvalidInput | io::ErrorKind::InvalidData => Error::CorruptData {
                entry: self.entry.clone(),
                what: e.to_string(),
            }
            .into(),
            _ => e,
        })?;
        let used = self.inner.total_in();
        if n == 0 && !buf.is_empty() && used < self.compressed {
            return Err(Error::CompressedSizeMismatch {
                entry: self.entry.clone(),
                bytes: self.compressed - used,
            }
            .into());
        }
        Ok(n)
    }
}

/// Yields an entry's bytes and checks their count and CRC-32 at the end.
pub(crate) struct Checked<R> {
    inner: R,
    entry: String,
    size: u64,
    crc32: u32,
    seen: u64,
    hasher: crc32fast::Hasher,
    done: bool,
}

impl<R: Read> Checked<R> {
    pub fn new(inner: R, entry: &str, size: u64, crc32: u32) -> Checked<R> {
        Checked {
            inner,
            entry: entry.to_owned(),
            size,
            crc32,
            seen: 0,
            hasher: crc32fast::Hasher::new(),
            done: false,
        }
    }

    /// The end-of-data verdict.
    fn finish(&mut self) -> io::Result<usize> {
        if self.seen < self.size {
            return Err(Error::Truncated {
                entry: Some(self.entry.clone()),
                what: format!(
                    "data holds {} of the declared {} bytes",
                    self.seen, self.size
                ),
            }
            .into());
        }
        let actual = self.hasher.clone().finalize();
        if actual != self.crc32 {
            return Err(Error::CrcMismatch {
                entry: self.entry.clone(),
                expected: self.crc32,
                actual,
            }
            .into());
        }
        self.done = true;
        Ok(0)
    }
}

impl<R: Read> Read for Checked<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.done || buf.is_empty() {
            return Ok(0);
        }
        // Ask for at most one byte beyond the declared size: enough to
        // notice a lie, never enough to let a decoder run away.
        let room = self.size.saturating_sub(self.seen).saturating_add(1);
        let cap = usize::try_from(room).unwrap_or(usize::MAX).min(buf.len());
        let Some(dst) = buf.get_mut(..cap) else {
            return Ok(0);
        };
        let n = self.inner.read(dst)?;
        if n == 0 {
            return self.finish();
        }
        self.seen += n as u64;
        if self.seen > self.size {
            return Err(Error::SizeMismatch {
                entry: self.entry.clone(),
                declared: self.size,
            }
            .into());
        }
        self.hasher.update(dst.get(..n).unwrap_or_default());
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn code_of(e: &io::Error) -> &'static str {
        Error::from_io(e).map_or("other", Error::code)
    }

    #[test]
    fn checked_accepts_exact_data_and_refuses_short_long_or_altered_data() {
        let data = b"hello world";
        let crc = crc32fast::hash(data);
        let read = |bytes: &[u8], size: u64| {
            let mut out = Vec::new();
            Checked::new(bytes, "e", size, crc)
                .read_to_end(&mut out)
                .map(|_| out)
        };
        assert_eq!(read(data, 11).unwrap(), data);
        assert_eq!(
            code_of(&read(&data[..10], 11).unwrap_err()),
            "zip.truncated"
        );
        assert_eq!(
            code_of(&read(b"hello world!", 11).unwrap_err()),
            "zip.size-mismatch"
        );
        assert_eq!(
            code_of(&read(b"hello World", 11).unwrap_err()),
            "zip.crc-mismatch"
        );
    }

    #[test]
    fn span_reads_only_its_range_and_stops_at_the_end_of_the_file() {
        let mut f = tempfile::tempfile().unwrap();
        f.write_all(b"0123456789").unwrap();
        let mut out = String::new();
        Span::new(&f, 2, 3).read_to_string(&mut out).unwrap();
        assert_eq!(out, "234");
        out.clear();
        Span::new(&f, 8, 10).read_to_string(&mut out).unwrap();
        assert_eq!(out, "89");
        let mut buf = [0u8; 4];
        assert!(read_exact_at(&f, &mut buf, 6).unwrap());
        assert!(!read_exact_at(&f, &mut buf, 7).unwrap());
    }
}
