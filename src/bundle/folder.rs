//! Reading an unpacked bag from a folder (the CLI only: the browser has no folders).

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use super::{Backing, BagFile, ContainerKind, OpenBundle, OpenError, BAGIT_TXT};
use crate::bagpath::BagPath;
use crate::container::Limits;
use crate::litter;

/// Which file names a folder walk accepts.
#[derive(Clone, Copy)]
pub(super) enum NameRule {
    /// Only [`BagPath`]s: names docseal could have written.
    BagPath,
    /// Any UTF-8 name (for checking bags made by other tools).
    AnyUtf8,
}

pub(super) fn open(path: &Path, limits: &Limits) -> Result<OpenBundle, OpenError> {
    open_with(path, limits, NameRule::BagPath)
}

pub(super) fn open_with(
    path: &Path,
    limits: &Limits,
    rule: NameRule,
) -> Result<OpenBundle, OpenError> {
    let (root, litter) = if path.join(BAGIT_TXT).exists() {
        (path.to_path_buf(), Vec::new())
    } else {
        single_subfolder(path, rule)?
    };
    let name = root
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default()
        .to_owned();
    let mut files = Vec::new();
    walk(&root, &root, limits, rule, &mut files)?;
    files.sort_by(|a, b| a.rel.cmp(&b.rel));
    for (index, f) in files.iter_mut().enumerate() {
        f.index = index;
    }
    Ok(OpenBundle {
        kind: ContainerKind::Folder,
        root: name,
        files,
        litter,
        no_top_folder: false,
        left_out: Vec::new(),
        backing: Backing::Folder(root),
    })
}

/// The one bag folder inside `path`, and the file-manager litter beside
/// it (docseal bundles only: `--bag-only` takes a folder as it is).
fn single_subfolder(path: &Path, rule: NameRule) -> Result<(PathBuf, Vec<String>), OpenError> {
    let io_err = |e: io::Error| OpenError::new("io.read", None, format!("cannot list: {e}"));
    let mut dirs = Vec::new();
    let mut litter = Vec::new();
    for entry in fs::read_dir(path).map_err(io_err)? {
        let entry = entry.map_err(io_err)?;
        match litter_name(&entry.path()) {
            Some(name) if matches!(rule, NameRule::BagPath) => litter.push(name),
            _ => dirs.push(entry.path()),
        }
    }
    litter.sort();
    // A link to a folder elsewhere is not this folder's bag.
    let real_dir = |p: &Path| fs::symlink_metadata(p).is_ok_and(|m| m.is_dir());
    match dirs.as_slice() {
        [one] if real_dir(one) && one.join(BAGIT_TXT).exists() => Ok((one.clone(), litter)),
        _ => Err(OpenError::new(
            "bag.not-a-bag",
            None,
            "folder holds no bagit.txt, nor a single bag folder",
        )),
    }
}

/// The name of a file-manager file or folder beside the bag folder
/// (`__MACOSX/` for Finder's folder), if `p` is one: a real folder named
/// `__MACOSX`, a regular file named `.DS_Store`, `Thumbs.db` or
/// `desktop.ini`, or a `._` file holding AppleDouble data.
fn litter_name(p: &Path) -> Option<String> {
    let name = p.file_name()?.to_str()?;
    let meta = fs::symlink_metadata(p).ok()?;
    if meta.is_dir() {
        return litter::is_macosx_folder(name).then(|| format!("{name}/"));
    }
    let kind = litter::by_name(name).filter(|_| meta.is_file())?;
    if kind.by_name_alone() || appledouble(p) {
        Some(name.to_owned())
    } else {
        None
    }
}

/// Whether the regular file at `p` starts with the AppleDouble magic.
pub(super) fn appledouble(p: &Path) -> bool {
    let mut head = [0u8; 4];
    crate::scan::open_regular(p)
        .and_then(|mut f| io::Read::read_exact(&mut f, &mut head))
        .is_ok_and(|()| litter::is_appledouble(&head))
}

fn walk(
    root: &Path,
    dir: &Path,
    limits: &Limits,
    rule: NameRule,
    out: &mut Vec<BagFile>,
) -> Result<(), OpenError> {
    let io_err = |e: io::Error| OpenError::new("io.read", None, format!("cannot list: {e}"));
    for entry in fs::read_dir(dir).map_err(io_err)? {
        let entry = entry.map_err(io_err)?;
        let path = entry.path();
        let rel_path = path.strip_prefix(root).unwrap_or(&path);
        let rel = match rule {
            NameRule::BagPath => BagPath::from_fs_relative(rel_path)
                .map(|p| p.as_str().to_owned())
                .map_err(|e| {
                    OpenError::new("bag.bad-name", Some(lossy(rel_path)), e.to_string())
                })?,
            NameRule::AnyUtf8 => any_utf8_name(rel_path)?,
        };
        let meta = fs::symlink_metadata(&path).map_err(io_err)?;
        let ty = meta.file_type();
        if ty.is_dir() {
            walk(root, &path, limits, rule, out)?;
        } else if ty.is_file() {
            if out.len() >= limits.max_entries as usize {
                return Err(OpenError::new("bag.too-many-files", None, "too many files"));
            }
            out.push(BagFile {
                rel,
                size: meta.len(),
                index: 0,
            });
        } else {
            let what = if ty.is_symlink() {
                "symlink"
            } else {
                "special file"
            };
            return Err(OpenError::new(
                "bag.not-a-regular-file",
                Some(rel),
                format!("is a {what}, not a regular file"),
            ));
        }
    }
    Ok(())
}

/// The `/`-joined name of a path below the bag folder, refusing only
/// names that are not UTF-8 (a BagIt manifest could not name them).
fn any_utf8_name(rel_path: &Path) -> Result<String, OpenError> {
    let mut parts: Vec<&str> = Vec::new();
    for component in rel_path.components() {
        match component.as_os_str().to_str() {
            Some(s) => parts.push(s),
            None => {
                return Err(OpenError::new(
                    "bag.bad-name",
                    Some(lossy(rel_path)),
                    "name is not valid UTF-8",
                ))
            }
        }
    }
    Ok(parts.join("/"))
}

fn lossy(p: &Path) -> String {
    p.to_string_lossy().into_owned()
}
