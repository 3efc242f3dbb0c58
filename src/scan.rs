//! Reading the folder to pack: its description and its payload files.
//!
//! Every regular file below the folder is payload, except the description
//! file at its root and what [`select`] leaves out (hidden files, the
//! output, exclusions), which is listed in [`Scanned::left_out`]. Symlinks, FIFOs, sockets and devices are refused by
//! name rather than followed or read (a FIFO would block, a symlink could
//! pull in a file from anywhere). Names become [`BagPath`]s here, so a name
//! that could not be represented safely in a bag is refused at the door,
//! and names that would collide on a case-insensitive or normalising file
//! system are refused too. Every such problem of the folder is collected
//! and reported together ([`Error::Several`]), not one per run.

mod select;

pub use select::{is_hidden, LeftOut, Reason};

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
    /// What was left out, sorted by path (a folder once, not its content).
    pub left_out: Vec<LeftOut>,
}

/// How to select the payload files.
#[derive(Clone, Copy, Debug, Default)]
pub struct ScanOptions<'a> {
    /// Also pack hidden files and folders and editor leftovers.
    pub include_hidden: bool,
    /// Glob patterns of files and folders to leave out (besides the
    /// description's `[pack] exclude`).
    pub exclude: &'a [String],
    /// The bundle being written, left out if it lies inside the folder.
    pub output: Option<&'a Path>,
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

/// Scans `dir`: reads its description, then walks it. Every problem of
/// the folder (each bad name, symlink, collision, a bad description entry)
/// is returned at once.
pub fn scan(dir: &Path, opts: &ScanOptions) -> Result<Scanned> {
    let (scanned, problems) = scan_all(dir, opts)?;
    if !problems.is_empty() {
        return Err(Error::all(problems));
    }
    Ok(scanned)
}

/// Like [`scan`], but returns what it found together with the problems
/// (bad names, a description that does not parse: its `description` is
/// then `None`), so that the caller can add its own before failing. An
/// I/O error or a bad exclusion pattern still fails at once.
pub fn scan_all(dir: &Path, opts: &ScanOptions) -> Result<(Scanned, Vec<Error>)> {
    let meta = fs::metadata(dir).map_err(|e| Error::io(dir, "open the folder", e))?;
    if !meta.is_dir() {
        return Err(Error::input(dir, "is not a folder"));
    }
    let mut problems = Vec::new();
    let description = match read_description(dir)? {
        Ok(d) => d,
        Err(all) => {
            problems.extend(all);
            None
        }
    };
    let desc_path = dir.join(DESCRIPTION_FILE);
    let mut patterns: Vec<String> = opts.exclude.to_vec();
    let from_description = description
        .as_ref()
        .map(|d| d.pack.exclude.clone())
        .unwrap_or_default();
    patterns.extend(from_description.iter().cloned());
    let selection = select::Selection::new(opts.include_hidden, &patterns, opts.output).map_err(
        |(pattern, why)| {
            let problem = format!("exclusion pattern {pattern:?} is not a glob: {why}");
            if from_description.contains(&pattern) {
                Error::input(&desc_path, format!("[pack] {problem}"))
            } else {
                Error::Usage(format!("--exclude: {problem}"))
            }
        },
    )?;
    let mut walker = Walker {
        root: dir,
        selection: &selection,
        files: Vec::new(),
        left_out: Vec::new(),
        problems: &mut problems,
    };
    walker.walk(dir)?;
    let Walker {
        mut files,
        mut left_out,
        ..
    } = walker;
    files.sort_by(|a, b| a.rel.cmp(&b.rel));
    left_out.sort_by(|a, b| a.path.cmp(&b.path));
    for (a, b) in collisions(&files) {
        problems.push(Error::input(
            &dir.join(b.as_str()),
            format!(
                "name collides with {:?} on case-insensitive or Unicode-normalising file systems",
                a.as_str()
            ),
        ));
    }
    if files.is_empty() && problems.is_empty() {
        problems.push(Error::input(dir, "holds no files to pack"));
    }
    let scanned = Scanned {
        description,
        files,
        left_out,
    };
    Ok((scanned, problems))
}

/// The most name collisions reported in one run.
const MAX_COLLISIONS: usize = 100;

/// Every pair of colliding names (up to [`MAX_COLLISIONS`]): each later name
/// of a pair is set aside and the search goes on without it.
fn collisions(files: &[InputFile]) -> Vec<(&BagPath, &BagPath)> {
    let mut found: Vec<(&BagPath, &BagPath)> = Vec::new();
    while found.len() < MAX_COLLISIONS {
        let rest = files
            .iter()
            .map(|f| &f.rel)
            .filter(|p| !found.iter().any(|(_, b)| b == p));
        match bagpath::find_collision(rest) {
            Some(pair) => found.push(pair),
            None => break,
        }
    }
    found
}

/// The description, if any; the outer error is an I/O error, the inner
/// list every problem with the file's content.
fn read_description(dir: &Path) -> Result<std::result::Result<Option<Description>, Vec<Error>>> {
    let path = dir.join(DESCRIPTION_FILE);
    let meta = match fs::symlink_metadata(&path) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Ok(None)),
        Err(e) => return Err(Error::io(&path, "inspect", e)),
    };
    let one = |problem: String| Ok(Err(vec![Error::input(&path, problem)]));
    if !meta.is_file() {
        return one("is not a regular file".into());
    }
    if meta.len() > MAX_DESCRIPTION_BYTES {
        return one(format!("larger than {MAX_DESCRIPTION_BYTES} bytes"));
    }
    let bytes = fs::read(&path).map_err(|e| Error::io(&path, "read", e))?;
    let Ok(text) = String::from_utf8(bytes) else {
        return one("is not UTF-8".into());
    };
    Ok(Description::parse_all(&text).map(Some).map_err(|all| {
        all.into_iter()
            .map(|e| Error::input(&path, e.to_string()))
            .collect()
    }))
}

/// The walk's state: what it found so far.
struct Walker<'a> {
    root: &'a Path,
    selection: &'a select::Selection,
    files: Vec<InputFile>,
    left_out: Vec<LeftOut>,
    /// Problems with single entries; the walk goes on past them.
    problems: &'a mut Vec<Error>,
}

impl Walker<'_> {
    /// Walks `dir`; I/O errors stop the walk, problems with names are collected.
    fn walk(&mut self, dir: &Path) -> Result<()> {
        let entries = fs::read_dir(dir).map_err(|e| Error::io(dir, "list", e))?;
        for entry in entries {
            let entry = entry.map_err(|e| Error::io(dir, "list", e))?;
            let abs = entry.path();
            let rel_path = abs.strip_prefix(self.root).unwrap_or(&abs).to_path_buf();
            if rel_path == Path::new(DESCRIPTION_FILE) {
                continue;
            }
            let meta = fs::symlink_metadata(&abs).map_err(|e| Error::io(&abs, "inspect", e))?;
            let shown = rel_path
                .to_string_lossy()
                .replace(std::path::MAIN_SEPARATOR, "/");
            if let Some(reason) = self.selection.left_out(&abs, &shown, &meta) {
                let slash = if meta.is_dir() { "/" } else { "" };
                let path = format!("{shown}{slash}");
                self.left_out.push(LeftOut { path, reason });
                continue;
            }
            match self.entry(abs, &rel_path, meta)? {
                Ok(()) => {}
                Err(problem) => self.problems.push(problem),
            }
        }
        Ok(())
    }

    /// One entry: a folder is walked, a regular file is kept, anything else
    /// is a problem (the inner `Err`).
    fn entry(&mut self, abs: PathBuf, rel_path: &Path, meta: fs::Metadata) -> Result<Result<()>> {
        let ty = meta.file_type();
        if ty.is_dir() {
            return self.walk(&abs).map(Ok);
        }
        if !ty.is_file() {
            let what = if ty.is_symlink() {
                "a symlink"
            } else {
                "a FIFO, socket or device"
            };
            let problem = format!("is {what}; only regular files can be packed");
            return Ok(Err(Error::input(&abs, problem)));
        }
        let rel = match BagPath::from_fs_relative(rel_path) {
            Ok(rel) => rel,
            Err(e) => {
                let problem = format!("name cannot go into a bundle: {e}");
                return Ok(Err(Error::input(&abs, problem)));
            }
        };
        // BagIt would percent-encode '%' as %25 (RFC 8493 §2.1.3), which
        // neither `sha256sum -c` nor bagit-python 1.9 decodes: refuse it so
        // every bundle stays checkable with stock tools.
        if rel.as_str().contains('%') {
            return Ok(Err(Error::input(&abs, "name contains '%', which stock BagIt and sha256sum tools cannot check; rename the file")));
        }
        if self.files.len() >= MAX_FILES {
            return Err(Error::input(
                self.root,
                format!("holds more than {MAX_FILES} files"),
            ));
        }
        self.files.push(InputFile {
            rel,
            abs,
            size: meta.len(),
        });
        Ok(Ok(()))
    }
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
