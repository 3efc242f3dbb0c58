//! The bundle's layout, and reading a bundle from a zip or an unpacked folder.
//!
//! A bundle is one BagIt bag under a single top-level folder. This module
//! knows the fixed names (RFC 8493 §2.1–2.2 plus docseal's own tag file and
//! `signatures/`), the canonical entry order, and hides whether the bag is
//! read from a zip (strictly or leniently, see [`crate::container`]) or from
//! a folder someone unzipped. It decides nothing about validity beyond
//! "can this be read as one bag": that is [`crate::verify`]'s job.

use std::io::{self, Read};
#[cfg(feature = "cli")]
use std::path::{Path, PathBuf};

use crate::bagpath::BagPath;
use crate::container::{self, Limits, Mode, Source, ZipReader};
use crate::manifest::MANIFEST_FILE;
use crate::minisign::KeyId;

/// `bagit.txt` (RFC 8493 §2.1.1).
pub const BAGIT_TXT: &str = "bagit.txt";
/// `bag-info.txt` (RFC 8493 §2.2.2).
pub const BAG_INFO: &str = "bag-info.txt";
/// The payload manifest (RFC 8493 §2.1.3).
pub const PAYLOAD_MANIFEST: &str = "manifest-sha256.txt";
/// The tag manifest (RFC 8493 §2.2.1): the message every signature signs.
pub const TAG_MANIFEST: &str = "tagmanifest-sha256.txt";
/// The payload folder.
pub const DATA_DIR: &str = "data";
/// The folder of signatures, outside the tag manifest so that co-signing leaves it unchanged.
pub const SIGNATURES_DIR: &str = "signatures";
/// The tag files the tag manifest lists, in their zip order; the tag manifest follows them.
pub const LISTED_TAG_FILES: [&str; 4] = [BAGIT_TXT, BAG_INFO, MANIFEST_FILE, PAYLOAD_MANIFEST];
/// The largest signature or signer key file read from a bundle.
pub const MAX_SIGNATURE_FILE: u64 = 64 * 1024;
/// The largest tag file (other than `docseal.json`) or signature file read into memory.
pub const MAX_TAG_FILE_BYTES: u64 = 16 << 20;

/// The untrusted comment docseal writes in every signature file (canonical form).
pub fn signature_untrusted_comment(id: KeyId) -> String {
    format!("docseal signature by key {id}")
}

/// Bag-relative name of the signature file of key `id`.
pub fn signature_file(id: KeyId) -> String {
    format!("{SIGNATURES_DIR}/{id}.minisig")
}

/// Bag-relative name of the signer's public key shipped beside its signature
/// (for reporting "valid but untrusted"; never trusted by itself).
pub fn signer_key_file(id: KeyId) -> String {
    format!("{SIGNATURES_DIR}/{id}.pub")
}

/// The canonical order of the bag-relative names of a bundle: payload
/// sorted by bytes, the listed tag files, the tag manifest, then the
/// signature folder (signatures, signer keys and timestamp tokens) sorted by bytes.
pub fn canonical_order(
    payload: &[BagPath],
    signers: &[KeyId],
    tokens: &[(KeyId, u32)],
) -> Vec<String> {
    let mut data: Vec<&str> = payload.iter().map(BagPath::as_str).collect();
    data.sort_unstable();
    let mut sigs: Vec<String> = signers
        .iter()
        .flat_map(|id| [signature_file(*id), signer_key_file(*id)])
        .chain(
            tokens
                .iter()
                .map(|(id, n)| crate::timestamp::token_file(*id, *n)),
        )
        .collect();
    sigs.sort_unstable();
    let mut out: Vec<String> = data.into_iter().map(str::to_owned).collect();
    out.extend(LISTED_TAG_FILES.iter().map(|s| (*s).to_owned()));
    out.push(TAG_MANIFEST.to_owned());
    out.extend(sigs);
    out
}

/// `bag-info.txt` (RFC 8493 §2.2.2), every value derived from the manifest.
pub fn bag_info(m: &crate::manifest::BundleManifest) -> Result<String, String> {
    let bytes: u64 = m.files.iter().map(|f| f.size).sum();
    let b = &m.bundle;
    let mut fields: Vec<(String, String)> = Vec::new();
    let mut add = |label: &str, value: Option<&str>| {
        if let Some(v) = value {
            fields.push((label.to_owned(), v.to_owned()));
        }
    };
    add("Source-Organization", b.source_organization.as_deref());
    add("Contact-Name", b.contact_name.as_deref());
    add("Contact-Email", b.contact_email.as_deref());
    add(
        "External-Description",
        b.external_description.as_deref().or(b.title.as_deref()),
    );
    add("External-Identifier", Some(&b.identifier));
    add("Bagging-Date", Some(crate::time::date_part(&b.created)));
    add(
        "Bag-Software-Agent",
        Some(concat!("docseal ", env!("CARGO_PKG_VERSION"))),
    );
    add(
        "Payload-Oxum",
        Some(&crate::bagit::payload_oxum(bytes, m.files.len() as u64)),
    );
    add("Bag-Size", Some(&crate::bagit::bag_size(bytes)));
    add("Docseal-Version", Some(&b.version.to_string()));
    crate::bagit::BagInfo { fields }
        .to_text()
        .map_err(|e| e.to_string())
}

/// How the bundle's container was read.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ContainerKind {
    /// A zip checked byte for byte against docseal's canonical layout.
    CanonicalZip,
    /// A zip read leniently (`--allow-repacked`): content checked, container layout not.
    RepackedZip,
    /// An unpacked folder: the container could not be checked at all.
    Folder,
}

/// One file of the bag.
#[derive(Clone, Debug)]
pub struct BagFile {
    /// Path relative to the bag's top-level folder.
    pub rel: String,
    /// Size in bytes as the container declares it.
    pub size: u64,
    index: usize,
}

enum Backing {
    Zip(ZipReader),
    #[cfg(feature = "cli")]
    Folder(PathBuf),
}

/// A bundle opened for reading.
pub struct OpenBundle {
    /// How the container was read.
    pub kind: ContainerKind,
    /// The bag's top-level folder name.
    pub root: String,
    /// Every file of the bag, in container order (zip) or sorted (folder).
    pub files: Vec<BagFile>,
    backing: Backing,
}

/// Why a bundle could not be opened as a bag: a stable code and a message.
#[derive(Debug, Clone)]
pub struct OpenError {
    /// Stable code, e.g. `zip.duplicate-name`.
    pub code: &'static str,
    /// The entry concerned, when there is one.
    pub path: Option<String>,
    /// One-line explanation.
    pub message: String,
}

impl OpenError {
    fn new(code: &'static str, path: Option<String>, message: impl Into<String>) -> OpenError {
        OpenError {
            code,
            path,
            message: message.into(),
        }
    }
}

impl OpenBundle {
    /// Opens a zip (strictly unless `lenient`) or, when `path` is a folder,
    /// an unpacked bag: the folder itself when it holds `bagit.txt`, else
    /// its single subfolder.
    #[cfg(feature = "cli")]
    pub fn open(path: &Path, lenient: bool, limits: &Limits) -> Result<OpenBundle, OpenError> {
        let meta = std::fs::metadata(path)
            .map_err(|e| OpenError::new("io.open", None, format!("cannot open: {e}")))?;
        if meta.is_dir() {
            return folder::open(path, limits);
        }
        let file = std::fs::File::open(path)
            .map_err(|e| OpenError::new("io.open", None, format!("cannot open: {e}")))?;
        OpenBundle::from_source(file, lenient, limits)
    }

    /// Opens a zip given as any random-access source (strictly unless `lenient`).
    pub fn from_source(
        source: impl Source + 'static,
        lenient: bool,
        limits: &Limits,
    ) -> Result<OpenBundle, OpenError> {
        let mode = if lenient {
            Mode::Lenient
        } else {
            Mode::Canonical
        };
        let zip = ZipReader::open(source, mode, limits)
            .map_err(|e| OpenError::new(e.code(), None, e.to_string()))?;
        let names: Vec<(String, u64)> = zip
            .entries()
            .iter()
            .map(|e| (e.name.clone(), e.size))
            .collect();
        let (root, files) = split_root(&names)?;
        // Extractors create directory entries too: none may lie outside the bag.
        let prefix = format!("{root}/");
        if let Some(d) = zip.directories().iter().find(|d| !d.starts_with(&prefix)) {
            return Err(OpenError::new(
                "bag.no-single-root",
                Some(d.clone()),
                format!("directory entry is outside the top-level folder {root:?}"),
            ));
        }
        let kind = if lenient {
            ContainerKind::RepackedZip
        } else {
            ContainerKind::CanonicalZip
        };
        Ok(OpenBundle {
            kind,
            root,
            files,
            backing: Backing::Zip(zip),
        })
    }

    /// Opens any BagIt bag for `verify --bag-only`: a zip read leniently
    /// (with or without a top-level folder), or a folder whose file names
    /// need only be UTF-8 (BagIt allows names docseal would never write;
    /// whether they are safe is [`crate::bagcheck`]'s business).
    #[cfg(feature = "cli")]
    pub fn open_any_bag(path: &Path, limits: &Limits) -> Result<OpenBundle, OpenError> {
        let meta = std::fs::metadata(path)
            .map_err(|e| OpenError::new("io.open", None, format!("cannot open: {e}")))?;
        if meta.is_dir() {
            return folder::open_with(path, limits, folder::NameRule::AnyUtf8);
        }
        let file = std::fs::File::open(path)
            .map_err(|e| OpenError::new("io.open", None, format!("cannot open: {e}")))?;
        OpenBundle::any_bag_from_source(file, limits)
    }

    /// Opens any zipped BagIt bag from a random-access source, leniently:
    /// its entries under one top-level folder, or with `bagit.txt` at the
    /// top (a zip of the bag's contents).
    pub fn any_bag_from_source(
        source: impl Source + 'static,
        limits: &Limits,
    ) -> Result<OpenBundle, OpenError> {
        let zip = ZipReader::open(source, Mode::Lenient, limits)
            .map_err(|e| OpenError::new(e.code(), None, e.to_string()))?;
        let names: Vec<(String, u64)> = zip
            .entries()
            .iter()
            .map(|e| (e.name.clone(), e.size))
            .collect();
        let (root, files) = if names.iter().any(|(n, _)| n == BAGIT_TXT) {
            let files = names
                .iter()
                .enumerate()
                .map(|(index, (rel, size))| BagFile {
                    rel: rel.clone(),
                    size: *size,
                    index,
                })
                .collect();
            (String::new(), files)
        } else {
            split_root(&names)?
        };
        Ok(OpenBundle {
            kind: ContainerKind::RepackedZip,
            root,
            files,
            backing: Backing::Zip(zip),
        })
    }

    /// The file with bag-relative name `rel`.
    pub fn find(&self, rel: &str) -> Option<&BagFile> {
        self.files.iter().find(|f| f.rel == rel)
    }

    /// A stream of the file's bytes. For zips the stream fails at its end
    /// when the entry's CRC-32 does not match.
    pub fn reader(&self, file: &BagFile) -> io::Result<Box<dyn Read + Send + '_>> {
        match &self.backing {
            Backing::Zip(zip) => zip
                .entry_reader(file.index)
                .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e)),
            #[cfg(feature = "cli")]
            Backing::Folder(root) => {
                let f = crate::scan::open_regular(&root.join(&file.rel))?;
                Ok(Box::new(f))
            }
        }
    }

    /// Reads a small file whole, refusing more than `max` bytes.
    pub fn read_small(&self, file: &BagFile, max: u64) -> io::Result<Vec<u8>> {
        if file.size > max {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                format!("{} bytes is more than the {max} allowed", file.size),
            ));
        }
        let mut buf = Vec::with_capacity(usize::try_from(file.size).unwrap_or(0));
        self.reader(file)?
            .take(max.saturating_add(1))
            .read_to_end(&mut buf)?;
        if buf.len() as u64 != file.size {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                format!("holds {} bytes, not the {} declared", buf.len(), file.size),
            ));
        }
        Ok(buf)
    }
}

/// Splits `root/rel` names into the single root and the bag files.
fn split_root(names: &[(String, u64)]) -> Result<(String, Vec<BagFile>), OpenError> {
    let mut root: Option<&str> = None;
    let mut files = Vec::with_capacity(names.len());
    for (index, (name, size)) in names.iter().enumerate() {
        let Some((top, rel)) = name.split_once('/') else {
            return Err(OpenError::new(
                "bag.no-single-root",
                Some(name.clone()),
                "entry is not inside the bag's top-level folder",
            ));
        };
        match root {
            None => root = Some(top),
            Some(r) if r != top => {
                return Err(OpenError::new(
                    "bag.no-single-root",
                    Some(name.clone()),
                    format!("entry is outside the top-level folder {r:?}"),
                ))
            }
            Some(_) => {}
        }
        files.push(BagFile {
            rel: rel.to_owned(),
            size: *size,
            index,
        });
    }
    let root = root.ok_or_else(|| OpenError::new("bag.empty", None, "the archive is empty"))?;
    Ok((root.to_owned(), files))
}

/// Reading an unpacked bag from a folder (the CLI only: the browser has no folders).
#[cfg(feature = "cli")]
mod folder {
    use std::fs;
    use std::io;
    use std::path::{Path, PathBuf};

    use super::{Backing, BagFile, ContainerKind, OpenBundle, OpenError, BAGIT_TXT};
    use crate::bagpath::BagPath;
    use crate::container::Limits;

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
        let root = if path.join(BAGIT_TXT).exists() {
            path.to_path_buf()
        } else {
            single_subfolder(path)?
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
            backing: Backing::Folder(root),
        })
    }

    fn single_subfolder(path: &Path) -> Result<PathBuf, OpenError> {
        let io_err = |e: io::Error| OpenError::new("io.read", None, format!("cannot list: {e}"));
        let mut dirs = Vec::new();
        for entry in fs::read_dir(path).map_err(io_err)? {
            let entry = entry.map_err(io_err)?;
            dirs.push(entry.path());
        }
        // A link to a folder elsewhere is not this folder's bag.
        let real_dir = |p: &Path| fs::symlink_metadata(p).is_ok_and(|m| m.is_dir());
        match dirs.as_slice() {
            [one] if real_dir(one) && one.join(BAGIT_TXT).exists() => Ok(one.clone()),
            _ => Err(OpenError::new(
                "bag.not-a-bag",
                None,
                "folder holds no bagit.txt, nor a single bag folder",
            )),
        }
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
}

/// Limits used when the caller has no reason to choose others.
pub fn default_limits() -> Limits {
    container::Limits::default()
}
