//! Random-access sources of archive bytes: the one thing the zip reader
//! needs from the outside world.
//!
//! The reader never opens a file itself: it reads through [`Source`], so the
//! same checks run over a file on disk (the CLI), bytes in memory (tests,
//! fuzzing) or bytes handed over by JavaScript in a browser (the web
//! verifier, where a `File.slice` backs each read).
//!
//! Invariant: a read never moves a shared cursor, so any number of streams
//! over one source may run at once (on several threads where the source is
//! a file).

use std::io;

/// Bytes that can be read at any offset, without a cursor.
pub trait Source: Send + Sync {
    /// Total length in bytes.
    fn len(&self) -> io::Result<u64>;

    /// Whether the source holds no bytes.
    fn is_empty(&self) -> io::Result<bool> {
        Ok(self.len()? == 0)
    }

    /// Reads up to `buf.len()` bytes at `offset`; 0 at or past the end.
    fn read_at(&self, buf: &mut [u8], offset: u64) -> io::Result<usize>;
}

impl Source for std::fs::File {
    fn len(&self) -> io::Result<u64> {
        Ok(self.metadata()?.len())
    }

    fn read_at(&self, buf: &mut [u8], offset: u64) -> io::Result<usize> {
        #[cfg(unix)]
        {
            std::os::unix::fs::FileExt::read_at(self, buf, offset)
        }
        #[cfg(windows)]
        {
            std::os::windows::fs::FileExt::seek_read(self, buf, offset)
        }
        #[cfg(not(any(unix, windows)))]
        {
            let _ = (buf, offset);
            Err(io::Error::new(
                io::ErrorKind::Unsupported,
                "positional file reads are not available on this platform",
            ))
        }
    }
}

impl Source for Vec<u8> {
    fn len(&self) -> io::Result<u64> {
        Ok(self.as_slice().len() as u64)
    }

    fn read_at(&self, buf: &mut [u8], offset: u64) -> io::Result<usize> {
        let start = usize::try_from(offset).unwrap_or(usize::MAX);
        let Some(rest) = self.get(start..) else {
            return Ok(0);
        };
        let n = rest.len().min(buf.len());
        if let (Some(dst), Some(src)) = (buf.get_mut(..n), rest.get(..n)) {
            dst.copy_from_slice(src);
        }
        Ok(n)
    }
}

impl<S: Source + ?Sized> Source for std::sync::Arc<S> {
    fn len(&self) -> io::Result<u64> {
        (**self).len()
    }

    fn read_at(&self, buf: &mut [u8], offset: u64) -> io::Result<usize> {
        (**self).read_at(buf, offset)
    }
}

#[cfg(test)]
mod tests {
    use super::Source;

    #[test]
    fn memory_reads_stop_at_the_end() {
        let v = b"abcdef".to_vec();
        let mut buf = [0u8; 4];
        assert_eq!(v.read_at(&mut buf, 4).unwrap(), 2);
        assert_eq!(&buf[..2], b"ef");
        assert_eq!(v.read_at(&mut buf, 6).unwrap(), 0);
        assert_eq!(v.read_at(&mut buf, u64::MAX).unwrap(), 0);
        assert_eq!(Source::len(&v).unwrap(), 6);
    }
}
