//! Reading the folder to pack: its description and its payload files.
//!
//! Every regular file below the folder is payload, except the description
//! file at its root. Symlinks, FIFOs, sockets and devices are refused by
//! name rather than followed or read (a FIFO would block, a symlink could
//! pull in a file from anywhere). Names become [`BagPath`]s here, so a name
//! that could not be represented safely in a bag is refused at the door,
//! and names that would collide on a case-insensitive or normalising file
//! system are refused too.

use std::fs;
use std::path::{Path, PathBuf};

use crate::bagpath::{self, BagPath};
use crate::description::{Description, DESCRIPTION_FILE};
use crate::error::{Error, Result};

/// The largest description file read.
pub const MAX_DESCRIPTION_BYTES: u64 = 4 << 20;
/// The most payload files a folder may hold.
pub const MAX_FILES: usize = 1_000_000;

/// One payload file found in the folder.
#[derive(Clone, Debug)]
pub struct InputFile {
    /// Path relative to the packed folder (and to `data/` in the bag).
    pub rel: BagPath,
    /// Where it is on disk.
    pub abs: PathBuf,
    /// Its size when the folder was scanned (the bundle records the bytes actually read).
    pub size: u64,
}

/// The folder's description (if any) and payload files, sorted by path.
#[derive(Debug)]
pub struct Scanned {
    /// The parsed `docseal.toml`, if the folder has one.
    pub description: Option<Description>,
    /// Payload files sorted by the bytes of their relative path.
    pub files: Vec<InputFile>,
}

/// Opens a file found by [`scan`] (or in an unpacked bag) for reading,
/// making sure it is still a regular file: the folder may have changed
/// since it was scanned. On Unix a symlink put in its place is not followed
/// (`O_NOFOLLOW`) and a FIFO does not block the open (`O_NONBLOCK`, which
/// changes nothing for a regular file); anything but a regular file is
/// refused with [`std::io::ErrorKind::InvalidInput`].
pub fn open_regular(path: &Path) -> std::io::Result<fs::File> {
    let mut options = fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK);
    }
    let file = options.open(path)?;
    if !file.metadata()?.is_file() {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            "not a regular file (it changed after the folder was read)",
        ));
    }
    Ok(file)
}

/// Scans `dir`.
pub fn scan(dir: &Path) -> Result<Scanned> {
    let meta = fs::metadata(dir).map_err(|e| Error::io(dir, "open the folder", e))?;
    if !meta.is_dir() {
        return Err(Error::input(dir, "is not a folder"));
    }
    let description = read_description(dir)?;
    let mut files = Vec::new();
    walk(dir, dir, &mut files)?;
    files.sort_by(|a, b| a.rel.cmp(&b.rel));
    if files.is_empty() {
        return Err(Error::input(dir, "holds no files to pack"));
    }
    if let Some((a, b)) = bagpath::find_collision(files.iter().map(|f| &f.rel)) {
        return Err(Error::input(
            &dir.join(b.as_str()),
            format!(
                "name collides with {:?} on case-insensitive or Unicode-normalising file systems",
                a.as_str()
            ),
        ));
    }
    Ok(Scanned { description, files })
}

fn read_description(dir: &Path) -> Result<Option<Description>> {
    let path = dir.join(DESCRIPTION_FILE);
    let meta = match fs::symlink_metadata(&path) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(Error::io(&path, "inspect", e)),
    };
    if !meta.is_file() {
        return Err(Error::input(&path, "is not a regular file"));
    }
    if meta.len() > MAX_DESCRIPTION_BYTES {
        return Err(Error::input(
            &path,
            format!("larger than {MAX_DESCRIPTION_BYTES} bytes"),
        ));
    }
    let bytes = fs::read(&path).map_err(|e| Error::io(&path, "read", e))?;
    let text = String::from_utf8(bytes).map_err(|_| Error::input(&path, "is not UTF-8"))?;
    Description::parse(&text)
        .map(Some)
        .map_err(|e| Error::input(&path, e.to_string()))
}

fn walk(root: &Path, dir: &Path, out: &mut Vec<InputFile>) -> Result<()> {
    let entries = fs::read_dir(dir).map_err(|e| Error::io(dir, "list", e))?;
    for entry in entries {
        let entry = entry.map_err(|e| Error::io(dir, "list", e))?;
        let abs = entry.path();
        let rel_path = abs.strip_prefix(root).unwrap_or(&abs);
        if rel_path == Path::new(DESCRIPTION_FILE) {
            continue;
        }
        let meta = fs::symlink_metadata(&abs).map_err(|e| Error::io(&abs, "inspect", e))?;
        let ty = meta.file_type();
        if ty.is_dir() {
            walk(root, &abs, out)?;
            continue;
        }
        if !ty.is_file() {
            let what = if ty.is_symlink() {
                "a symlink"
            } else {
                "a FIFO, socket or device"
            };
            return Err(Error::input(
                &abs,
                format!("is {what}; only regular files can be packed"),
            ));
        }
        let rel = BagPath::from_fs_relative(rel_path)
            .map_err(|e| Error::input(&abs, format!("name cannot go into a bundle: {e}")))?;
        // BagIt would percent-encode '%' as %25 (RFC 8493 §2.1.3), which
        // neither `sha256sum -c` nor bagit-python 1.9 decodes: refuse it so
        // every bundle stays checkable with stock tools.
        if rel.as_str().contains('%') {
            return Err(Error::input(&abs, "name contains '%', which stock BagIt and sha256sum tools cannot check; rename the file"));
        }
        if out.len() >= MAX_FILES {
            return Err(Error::input(
                root,
                format!("holds more than {MAX_FILES} files"),
            ));
        }
        out.push(InputFile {
            rel,
            abs,
            size: meta.len(),
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn open_regular_takes_files_and_refuses_what_replaced_them() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("f.txt");
        fs::write(&file, b"text").unwrap();
        assert!(open_regular(&file).is_ok());
        assert!(open_regular(dir.path()).is_err(), "a folder");
        #[cfg(unix)]
        {
            let link = dir.path().join("link");
            std::os::unix::fs::symlink(&file, &link).unwrap();
            assert!(open_regular(&link).is_err(), "a symlink is not followed");
            // Opening a FIFO for reading would block without O_NONBLOCK.
            let fifo = dir.path().join("fifo");
            let made = std::process::Command::new("mkfifo").arg(&fifo).status();
            if made.is_ok_and(|s| s.success()) {
                let e = open_regular(&fifo).unwrap_err();
                assert_eq!(e.kind(), std::io::ErrorKind::InvalidInput, "{e}");
            }
        }
    }
}
