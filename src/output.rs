//! Safe output: nothing is lost, nothing is half-written.
//!
//! Every file docseal writes is first written to a temporary file in the
//! destination's own folder, flushed to disk, and only then renamed into
//! place, so a crash, a full disk or a kill leaves either the old state or
//! the complete new file, never a partial one. An existing destination is
//! replaced only when the caller allows it; a destination that is a folder
//! is never replaced. Secret keys are created with mode 0600 from the start.
//! Temporary files are registered with [`crate::interrupt`], so a signal
//! removes them too. A destination spelt `-` is refused: it is the usual
//! name of stdout, and a file named `-` is never created by accident
//! (`./-` names such a file on purpose).

use std::fs::{self, File};
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// How an output may treat an existing file at its destination.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Overwrite {
    /// Refuse with [`Error::Exists`].
    Refuse,
    /// Replace the file (the `--force` flag). A symlink is replaced itself, its target untouched.
    Replace,
}

/// A file being written: a temporary file beside the destination.
#[derive(Debug)]
pub struct PendingFile {
    tmp: tempfile::NamedTempFile,
    dest: PathBuf,
    overwrite: Overwrite,
    registration: crate::interrupt::Registration,
}

impl PendingFile {
    /// Starts writing `dest`. Fails early, before any work, when `dest`
    /// exists and may not be replaced, or is a folder. `secret` makes the
    /// file mode 0600 (on Unix; elsewhere the platform default).
    pub fn create(dest: &Path, overwrite: Overwrite, secret: bool) -> Result<PendingFile> {
        check_destination(dest, overwrite)?;
        let dir = parent_dir(dest);
        let mut builder = tempfile::Builder::new();
        builder.prefix(".docseal-tmp-");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = if secret { 0o600 } else { 0o644 };
            builder.permissions(fs::Permissions::from_mode(mode));
        }
        #[cfg(not(unix))]
        let _ = secret;
        let tmp = builder
            .tempfile_in(&dir)
            .map_err(|e| Error::io(dest, "create a temporary file beside", e))?;
        let registration = crate::interrupt::register(tmp.path());
        Ok(PendingFile {
            tmp,
            dest: dest.to_path_buf(),
            overwrite,
            registration,
        })
    }

    /// The destination path.
    pub fn dest(&self) -> &Path {
        &self.dest
    }

    /// The open temporary file, for writing and seeking.
    pub fn file(&mut self) -> &mut File {
        self.tmp.as_file_mut()
    }

    /// Flushes the data to disk and renames it into place. Dropping a
    /// `PendingFile` without committing removes the temporary file.
    pub fn commit(self) -> Result<()> {
        let dest = self.dest;
        self.tmp
            .as_file()
            .sync_all()
            .map_err(|e| Error::io(&dest, "flush to disk", e))?;
        // Checked again: the destination may have appeared while we worked.
        check_destination(&dest, self.overwrite)?;
        // No signal cleanup between the rename and the unregistration.
        let mut held = crate::interrupt::hold();
        let persisted = match self.overwrite {
            Overwrite::Replace => self.tmp.persist(&dest).map(drop),
            Overwrite::Refuse => self.tmp.persist_noclobber(&dest).map(drop),
        };
        held.release(self.registration);
        drop(held);
        persisted.map_err(|e| {
            if e.error.kind() == std::io::ErrorKind::AlreadyExists {
                Error::Exists { path: dest.clone() }
            } else {
                Error::io(&dest, "rename into place", e.error)
            }
        })?;
        sync_dir(&parent_dir(&dest));
        Ok(())
    }
}

/// Writes `data` to `dest` atomically (see [`PendingFile`]).
pub fn write_file(dest: &Path, data: &[u8], overwrite: Overwrite, secret: bool) -> Result<()> {
    let mut pending = PendingFile::create(dest, overwrite, secret)?;
    pending
        .file()
        .write_all(data)
        .map_err(|e| Error::io(dest, "write", e))?;
    pending.commit()
}

/// Refuses a destination that is a folder, or that exists when `overwrite`
/// refuses, or that is spelt `-` (see the module documentation).
pub fn check_destination(dest: &Path, overwrite: Overwrite) -> Result<()> {
    refuse_dash(dest)?;
    match fs::symlink_metadata(dest) {
        Ok(meta) if meta.is_dir() => Err(Error::input(dest, "is a folder, not a file")),
        Ok(_) if overwrite == Overwrite::Refuse => Err(Error::Exists {
            path: dest.to_path_buf(),
        }),
        Ok(_) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(Error::io(dest, "inspect", e)),
    }
}

/// Refuses an output path spelt `-`: only `pack -o -` writes to stdout,
/// and it handles `-` before any file is opened.
pub fn refuse_dash(dest: &Path) -> Result<()> {
    if dest.as_os_str() == "-" {
        return Err(Error::Usage(
            "-: this output cannot be stdout (only pack -o - writes to stdout); \
             write ./- for a file named \"-\""
                .into(),
        ));
    }
    Ok(())
}

/// True when `a` and `b` are the same file: the same device and inode on
/// Unix (so two spellings, a symlink or a hard link are recognised), the
/// same canonical path elsewhere. False when either does not exist.
pub fn same_file(a: &Path, b: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        match (fs::metadata(a), fs::metadata(b)) {
            (Ok(x), Ok(y)) => x.dev() == y.dev() && x.ino() == y.ino(),
            _ => false,
        }
    }
    #[cfg(not(unix))]
    {
        match (fs::canonicalize(a), fs::canonicalize(b)) {
            (Ok(x), Ok(y)) => x == y,
            _ => false,
        }
    }
}

/// The folder holding `path` ("." for a bare file name).
pub fn parent_dir(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// Makes a rename durable. Best effort: some file systems refuse to sync a folder.
pub fn sync_dir(dir: &Path) {
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
}

/// Bytes written between two background flushes of a [`Writeback`].
const WRITEBACK_STEP: u64 = 64 << 20;

/// A writer that has the kernel write its file to disk while more is
/// being written: every [`WRITEBACK_STEP`] bytes a helper thread calls
/// `fdatasync` on a second handle of the file. The final flush in
/// [`PendingFile::commit`] then finds little left to write, instead of
/// starting on the whole bundle only when everything else is done.
/// Durability does not depend on it: `commit` still syncs the whole file.
pub struct Writeback<W> {
    inner: W,
    since: u64,
    wake: Option<std::sync::mpsc::SyncSender<()>>,
    thread: Option<std::thread::JoinHandle<std::io::Result<()>>>,
}

impl<W> Writeback<W> {
    /// Wraps `inner`, which writes to the file of which `file` is a second
    /// handle (from [`File::try_clone`]).
    pub fn new(inner: W, file: File) -> Writeback<W> {
        let (wake, woken) = std::sync::mpsc::sync_channel::<()>(1);
        let thread = std::thread::spawn(move || {
            while woken.recv().is_ok() {
                file.sync_data()?;
            }
            Ok(())
        });
        Writeback {
            inner,
            since: 0,
            wake: Some(wake),
            thread: Some(thread),
        }
    }

    /// Stops the helper thread. An error from a background flush is
    /// returned here: the handles share one open file, so the kernel
    /// reports a write-back error to only one of them.
    pub fn finish(&mut self) -> std::io::Result<()> {
        self.wake = None;
        match self.thread.take().map(std::thread::JoinHandle::join) {
            Some(Ok(r)) => r,
            Some(Err(_)) => Err(std::io::Error::other("the write-back thread stopped")),
            None => Ok(()),
        }
    }
}

impl<W> Drop for Writeback<W> {
    fn drop(&mut self) {
        let _ = self.finish();
    }
}

impl<W: Write> Write for Writeback<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.since += n as u64;
        if self.since >= WRITEBACK_STEP {
            self.since = 0;
            if let Some(wake) = &self.wake {
                // Busy flushing already: the next step will wake it again.
                let _ = wake.try_send(());
            }
        }
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

impl<W: std::io::Seek> std::io::Seek for Writeback<W> {
    fn seek(&mut self, pos: std::io::SeekFrom) -> std::io::Result<u64> {
        self.inner.seek(pos)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_existing_without_force_and_leaves_it_alone() {
        let dir = tempfile::tempdir().unwrap();
        let dest = dir.path().join("out.bin");
        fs::write(&dest, b"old").unwrap();
        let err = write_file(&dest, b"new", Overwrite::Refuse, false).unwrap_err();
        assert!(matches!(err, Error::Exists { .. }), "{err}");
        assert_eq!(fs::read(&dest).unwrap(), b"old");
        write_file(&dest, b"new", Overwrite::Replace, false).unwrap();
        assert_eq!(fs::read(&dest).unwrap(), b"new");
        assert_eq!(
            fs::read_dir(dir.path()).unwrap().count(),
            1,
            "no temp file left"
        );
    }

    #[test]
    fn a_dash_is_refused_and_creates_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let err = write_file(Path::new("-"), b"x", Overwrite::Replace, false).unwrap_err();
        assert!(matches!(err, Error::Usage(_)), "{err}");
        assert!(!Path::new("-").exists());
        let dashed = dir.path().join("-");
        write_file(&dashed, b"x", Overwrite::Refuse, false).unwrap();
        assert_eq!(fs::read(&dashed).unwrap(), b"x", "./- is a file on purpose");
    }

    #[test]
    fn same_file_sees_through_spellings_and_links() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a.zip");
        fs::write(&a, b"x").unwrap();
        let b = dir.path().join("sub/../a.zip");
        fs::create_dir(dir.path().join("sub")).unwrap();
        assert!(same_file(&a, &b));
        assert!(!same_file(&a, &dir.path().join("missing")));
        fs::write(dir.path().join("c.zip"), b"x").unwrap();
        assert!(!same_file(&a, &dir.path().join("c.zip")));
        #[cfg(unix)]
        {
            let link = dir.path().join("link.zip");
            std::os::unix::fs::symlink(&a, &link).unwrap();
            assert!(same_file(&a, &link));
            let hard = dir.path().join("hard.zip");
            fs::hard_link(&a, &hard).unwrap();
            assert!(same_file(&hard, &a));
        }
    }

    #[test]
    fn refuses_a_folder_even_with_force() {
        let dir = tempfile::tempdir().unwrap();
        let err = write_file(dir.path(), b"x", Overwrite::Replace, false).unwrap_err();
        assert!(matches!(err, Error::Input { .. }), "{err}");
    }

    #[test]
    fn dropped_pending_file_leaves_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let dest = dir.path().join("out.bin");
        let mut p = PendingFile::create(&dest, Overwrite::Refuse, false).unwrap();
        p.file().write_all(b"partial").unwrap();
        drop(p);
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 0);
    }

    #[cfg(unix)]
    #[test]
    fn secret_files_are_0600_and_symlinks_are_replaced_not_followed() {
        use std::os::unix::fs::{symlink, PermissionsExt};
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("target");
        fs::write(&target, b"victim").unwrap();
        let link = dir.path().join("link");
        symlink(&target, &link).unwrap();
        assert!(matches!(
            write_file(&link, b"s", Overwrite::Refuse, true),
            Err(Error::Exists { .. })
        ));
        write_file(&link, b"s", Overwrite::Replace, true).unwrap();
        assert_eq!(fs::read(&target).unwrap(), b"victim");
        let mode = fs::symlink_metadata(&link).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }

    #[test]
    fn writeback_flushes_in_the_background_and_keeps_every_byte() {
        use std::io::{Read, Seek, SeekFrom};
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.bin");
        let mut file = File::create(&path).unwrap();
        let handle = file.try_clone().unwrap();
        let chunk: Vec<u8> = (0..=255u8).cycle().take(1 << 20).collect();
        {
            let mut w = Writeback::new(&mut file, handle);
            // Past two steps, so the helper thread flushes at least once.
            for _ in 0..(2 * WRITEBACK_STEP / (1 << 20) + 1) {
                w.write_all(&chunk).unwrap();
            }
            w.seek(SeekFrom::Start(0)).unwrap();
            w.write_all(b"head").unwrap();
            w.finish().unwrap();
            // Finishing twice is harmless (and is what Drop does).
            w.finish().unwrap();
        }
        let mut back = Vec::new();
        File::open(&path).unwrap().read_to_end(&mut back).unwrap();
        assert_eq!(back.len() as u64, 2 * WRITEBACK_STEP + (1 << 20));
        assert_eq!(&back[..4], b"head");
        assert_eq!(&back[4..1 << 20], &chunk[4..]);
        assert!(back.chunks(1 << 20).skip(1).all(|c| c == chunk.as_slice()));
    }
}
