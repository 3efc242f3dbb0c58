//! The bundle's layout, and reading a bundle from a zip or an unpacked folder.
//!
//! A bundle is one BagIt bag under a single top-level folder. This module
//! knows the fixed names (RFC 8493 §2.1–2.2 plus docseal's own tag file and
//! `signatures/`), the canonical entry order, and hides whether the bag is
//! read from a zip (strictly or leniently, see [`crate::container`]) or from
//! a folder someone unzipped. It decides nothing about validity beyond
//! "can this be read as one bag": that is [`crate::verify`]'s job.
//!
//! Where the bag is: under the single top-level folder of a canonical zip;
//! in a lenient zip also at the top, with Finder's `__MACOSX/` beside it
//! (`repacked`, docs/FORMAT.md §6.2); in a folder, the folder itself or
//! its one bag folder, file-manager litter beside it set aside (`folder`).
//! What is set aside is listed ([`OpenBundle::litter`]), never read.

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
    /// After verification, only the signed bundle's files: see [`OpenBundle::left_out`].
    pub files: Vec<BagFile>,
    /// File-manager litter beside the bag (a Finder zip's `__MACOSX/`
    /// entries, a `__MACOSX` folder or `.DS_Store` beside the bag folder),
    /// set aside on opening (lenient zips and folders only): never read,
    /// extracted or signed. Names are relative to the zip's or folder's top.
    pub litter: Vec<String>,
    /// The zip holds the bag's contents without a top-level folder
    /// (`--allow-repacked` only): `root` is then the manifest's
    /// `bundle.name` once verification has read it, and empty before.
    pub no_top_folder: bool,
    /// Files of the bag that verification set aside from [`OpenBundle::files`]:
    /// litter inside the bag and tag files other BagIt tools added, which
    /// no signature covers (never extracted or co-signed).
    pub left_out: Vec<BagFile>,
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
        let found = if lenient {
            repacked::find_bag(&names, zip.directories())?
        } else {
            let (root, files) = split_root(names.iter().enumerate())?;
            repacked::Found {
                root,
                files,
                litter: Vec::new(),
                no_top_folder: false,
            }
        };
        let kind = if lenient {
            ContainerKind::RepackedZip
        } else {
            ContainerKind::CanonicalZip
        };
        Ok(OpenBundle {
            kind,
            root: found.root,
            files: found.files,
            litter: found.litter,
            no_top_folder: found.no_top_folder,
            left_out: Vec::new(),
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
            split_root(names.iter().enumerate())?
        };
        Ok(OpenBundle {
            kind: ContainerKind::RepackedZip,
            root,
            files,
            litter: Vec::new(),
            no_top_folder: false,
            left_out: Vec::new(),
            backing: Backing::Zip(zip),
        })
    }

    /// Moves the files named in `rels` from [`OpenBundle::files`] to
    /// [`OpenBundle::left_out`], so that whoever uses the verified bundle
    /// (extract, sign) sees only the signed bundle.
    pub fn leave_out(&mut self, rels: &std::collections::BTreeSet<String>) {
        let (out, kept): (Vec<BagFile>, Vec<BagFile>) = std::mem::take(&mut self.files)
            .into_iter()
            .partition(|f| rels.contains(&f.rel));
        self.files = kept;
        self.left_out.extend(out);
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
fn split_root<'a>(
    names: impl Iterator<Item = (usize, &'a (String, u64))>,
) -> Result<(String, Vec<BagFile>), OpenError> {
    let mut root: Option<&str> = None;
    let mut files = Vec::new();
    for (index, (name, size)) in names {
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
mod folder;
mod repacked;

/// Limits used when the caller has no reason to choose others.
pub fn default_limits() -> Limits {
    container::Limits::default()
}
