//! Streaming SHA-256 with fixed buffers, on one core or two.
//!
//! One SHA-256 stream cannot be split across cores, but everything around
//! it can: reading, CRC-32 and writing. [`sha256_pipelined`] reads on the
//! calling thread and hashes on a second one; [`HashPipe`] keeps one hashing
//! thread for a whole `pack`, fed with copies of the bytes as they are
//! written. Memory is a fixed pool of [`POOL`] buffers of [`CHUNK`] bytes,
//! whatever the size of the data.

use std::io::{self, Read};
#[cfg(feature = "cli")]
use std::sync::mpsc::{sync_channel, Receiver, SyncSender};
#[cfg(feature = "cli")]
use std::thread;

use sha2::{Digest, Sha256};

use crate::progress::Progress;

/// Size of one buffer.
pub const CHUNK: usize = 1 << 20;
/// Buffers in flight between the two threads.
pub const POOL: usize = 4;
/// Streams at least this long are hashed on a second thread by [`sha256_auto`].
pub const PIPELINE_MIN: u64 = 8 << 20;

/// The SHA-256 instructions the `sha2` crate uses on this CPU. It picks its
/// backend at run time with the same feature test (`sha`, `sse2`, `ssse3`,
/// `sse4.1` on x86; `sha2` on AArch64 Linux); the benchmark prints this to show the
/// figures come from the hardware path.
pub fn sha256_backend() -> &'static str {
    #[cfg(any(target_arch = "x86", target_arch = "x86_64"))]
    {
        if std::is_x86_feature_detected!("sha")
            && std::is_x86_feature_detected!("sse2")
            && std::is_x86_feature_detected!("ssse3")
            && std::is_x86_feature_detected!("sse4.1")
        {
            return "x86 SHA extensions (SHA-NI)";
        }
    }
    // sha2 0.10 uses the ARMv8 instructions only with its `asm` feature,
    // which Cargo.toml enables on Linux only.
    #[cfg(all(target_arch = "aarch64", target_os = "linux"))]
    {
        if std::arch::is_aarch64_feature_detected!("sha2") {
            return "ARMv8 SHA-2 instructions";
        }
    }
    "portable code (no SHA instructions on this CPU)"
}

/// The largest buffer [`sha256_inline`] uses.
const INLINE_BUF: usize = 256 * 1024;

/// Length and SHA-256 of everything `r` yields, on this thread. `len` is
/// the expected length: the buffer is sized for it (one byte more, so the
/// end is seen in one read; 4 KiB to 256 KiB), since zeroing 256 KiB for
/// each of 20,000 files of 4 KiB cost more than hashing them.
pub fn sha256_inline(
    r: &mut dyn Read,
    len: u64,
    progress: &dyn Progress,
) -> io::Result<(u64, [u8; 32])> {
    let size = usize::try_from(len.saturating_add(1)).unwrap_or(INLINE_BUF);
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; size.clamp(4096, INLINE_BUF)];
    let mut total = 0u64;
    loop {
        let n = read_full(r, &mut buf)?;
        if n == 0 {
            break;
        }
        let chunk = buf.get(..n).unwrap_or_default();
        hasher.update(chunk);
        total += n as u64;
        progress.advance(n as u64);
    }
    Ok((total, hasher.finalize().into()))
}

#[cfg(feature = "cli")]
/// As [`sha256_inline`], but SHA-256 runs on a second thread while this one reads.
pub fn sha256_pipelined(r: &mut dyn Read, progress: &dyn Progress) -> io::Result<(u64, [u8; 32])> {
    let (full_tx, full_rx) = sync_channel::<(Vec<u8>, usize)>(POOL);
    let (free_tx, free_rx) = sync_channel::<Vec<u8>>(POOL);
    for _ in 0..POOL {
        let _ = free_tx.send(vec![0u8; CHUNK]);
    }
    thread::scope(|s| {
        let hasher = s.spawn(move || {
            let mut h = Sha256::new();
            while let Ok((buf, n)) = full_rx.recv() {
                h.update(buf.get(..n).unwrap_or_default());
                if free_tx.send(buf).is_err() {
                    break;
                }
            }
            let digest: [u8; 32] = h.finalize().into();
            digest
        });
        let mut total = 0u64;
        let result = loop {
            let Ok(mut buf) = free_rx.recv() else {
                break Err(io::Error::other("hashing thread stopped"));
            };
            match read_full(r, &mut buf) {
                Ok(0) => break Ok(()),
                Ok(n) => {
                    total += n as u64;
                    progress.advance(n as u64);
                    if full_tx.send((buf, n)).is_err() {
                        break Err(io::Error::other("hashing thread stopped"));
                    }
                }
                Err(e) => break Err(e),
            }
        };
        drop(full_tx);
        let digest = hasher
            .join()
            .map_err(|_| io::Error::other("hashing thread panicked"))?;
        result.map(|()| (total, digest))
    })
}

/// Picks [`sha256_pipelined`] for long streams (declared `len`), else [`sha256_inline`].
pub fn sha256_auto(
    r: &mut dyn Read,
    len: u64,
    progress: &dyn Progress,
) -> io::Result<(u64, [u8; 32])> {
    #[cfg(feature = "cli")]
    if len >= PIPELINE_MIN {
        return sha256_pipelined(r, progress);
    }
    sha256_inline(r, len, progress)
}

/// Fills `buf` as far as the reader allows; 0 only at the end.
fn read_full(r: &mut dyn Read, buf: &mut [u8]) -> io::Result<usize> {
    let mut filled = 0;
    while filled < buf.len() {
        let rest = buf.get_mut(filled..).unwrap_or_default();
        match r.read(rest) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(filled)
}

#[cfg(feature = "cli")]
enum Job {
    Data(Vec<u8>),
    End,
}

#[cfg(feature = "cli")]
/// A SHA-256 thread that outlives one file: `pack` copies every chunk it
/// writes into it and collects one digest per file, in order.
pub struct HashPipe {
    jobs: Option<SyncSender<Job>>,
    free: Receiver<Vec<u8>>,
    digests: Receiver<[u8; 32]>,
    current: Vec<u8>,
    thread: Option<thread::JoinHandle<()>>,
}

#[cfg(feature = "cli")]
impl HashPipe {
    /// Starts the hashing thread.
    pub fn start() -> HashPipe {
        let (jobs_tx, jobs_rx) = sync_channel::<Job>(POOL);
        let (free_tx, free_rx) = sync_channel::<Vec<u8>>(POOL + 1);
        // Unbounded: `end_file` does not wait for the digest, so a run of
        // small files never stalls on a round trip per file; the digests
        // (32 bytes a file) wait here until `digests` collects them.
        let (dig_tx, dig_rx) = std::sync::mpsc::channel::<[u8; 32]>();
        for _ in 0..POOL {
            let _ = free_tx.send(Vec::with_capacity(CHUNK));
        }
        let thread = thread::spawn(move || {
            let mut h = Sha256::new();
            while let Ok(job) = jobs_rx.recv() {
                match job {
                    Job::Data(mut buf) => {
                        h.update(&buf);
                        buf.clear();
                        let _ = free_tx.send(buf);
                    }
                    Job::End => {
                        let digest: [u8; 32] = std::mem::take(&mut h).finalize().into();
                        if dig_tx.send(digest).is_err() {
                            break;
                        }
                    }
                }
            }
        });
        HashPipe {
            jobs: Some(jobs_tx),
            free: free_rx,
            digests: dig_rx,
            current: Vec::with_capacity(CHUNK),
            thread: Some(thread),
        }
    }

    /// Adds bytes to the current file.
    pub fn update(&mut self, mut data: &[u8]) -> io::Result<()> {
        while !data.is_empty() {
            let room = CHUNK - self.current.len();
            let (now, later) = data.split_at(room.min(data.len()));
            self.current.extend_from_slice(now);
            data = later;
            if self.current.len() == CHUNK {
                self.flush()?;
            }
        }
        Ok(())
    }

    fn flush(&mut self) -> io::Result<()> {
        if self.current.is_empty() {
            return Ok(());
        }
        let next = self.free.recv().map_err(|_| stopped())?;
        let full = std::mem::replace(&mut self.current, next);
        self.send(Job::Data(full))
    }

    fn send(&self, job: Job) -> io::Result<()> {
        self.jobs
            .as_ref()
            .ok_or_else(stopped)?
            .send(job)
            .map_err(|_| stopped())
    }

    /// Ends the current file without waiting for its SHA-256: the digests
    /// of every file ended this way come out of [`HashPipe::digests`], in
    /// order.
    pub fn end_file(&mut self) -> io::Result<()> {
        self.flush()?;
        self.send(Job::End)
    }

    /// Waits for the hashing thread to finish and returns the SHA-256 of
    /// every file ended with [`HashPipe::end_file`], in order.
    pub fn digests(mut self) -> io::Result<Vec<[u8; 32]>> {
        self.jobs = None;
        if let Some(t) = self.thread.take() {
            t.join().map_err(|_| stopped())?;
        }
        Ok(self.digests.try_iter().collect())
    }
}

#[cfg(feature = "cli")]
impl Drop for HashPipe {
    fn drop(&mut self) {
        self.jobs = None;
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

#[cfg(feature = "cli")]
fn stopped() -> io::Error {
    io::Error::other("hashing thread stopped")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::progress::Silent;

    fn data(n: usize) -> Vec<u8> {
        (0..n).map(|i| (i * 7 + i / 251) as u8).collect()
    }

    #[test]
    fn all_three_ways_agree_with_a_plain_digest() {
        for n in [0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 3 * CHUNK + 17, 9 * CHUNK] {
            let d = data(n);
            let want: [u8; 32] = Sha256::digest(&d).into();
            // The expected length only sizes the buffer: a wrong one
            // changes nothing.
            for len in [n as u64, 0, u64::MAX] {
                assert_eq!(
                    sha256_inline(&mut d.as_slice(), len, &Silent).unwrap(),
                    (n as u64, want)
                );
            }
            assert_eq!(
                sha256_pipelined(&mut d.as_slice(), &Silent).unwrap(),
                (n as u64, want)
            );
            // Files give their digests in order, the pipe ready for each next one.
            let mut pipe = HashPipe::start();
            let files: [&[u8]; 3] = [&d, b"", b"abc"];
            for f in files {
                for piece in f.chunks(65_536 + 3) {
                    pipe.update(piece).unwrap();
                }
                pipe.end_file().unwrap();
            }
            let want: Vec<[u8; 32]> = files.iter().map(|f| Sha256::digest(f).into()).collect();
            assert_eq!(pipe.digests().unwrap(), want, "{n}");
        }
    }

    #[test]
    fn read_errors_surface_from_the_pipeline() {
        struct Failing(usize);
        impl Read for Failing {
            fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
                if self.0 == 0 {
                    return Err(io::Error::other("disk on fire"));
                }
                self.0 -= 1;
                buf.fill(1);
                Ok(buf.len())
            }
        }
        let err = sha256_pipelined(&mut Failing(5), &Silent).unwrap_err();
        assert_eq!(err.to_string(), "disk on fire");
    }
}
