//! `pack`: a folder becomes a signed, canonical bundle.
//!
//! One pass over the payload: the SHA-256 recorded in the manifests is
//! computed from the very bytes that are written, so a file that changes
//! while it is packed cannot make the manifest lie. Small files are read
//! whole, in parallel batches (SHA-256 on both cores), then written in
//! order from memory; large files are streamed, with SHA-256 on a second
//! thread. Everything that could make the result depend on the
//! machine (walk order, mtimes, permissions, the clock) is fixed: entries
//! are sorted, headers fixed, and the time is `SOURCE_DATE_EPOCH` when set.
//! The bundle is written to a temporary file and renamed into place only
//! when complete (see [`crate::output`]).

use std::collections::BTreeMap;
use std::io::{BufWriter, Read, Seek, Write};
use std::path::Path;

use rayon::prelude::*;
use sha2::{Digest, Sha256};

use crate::bagit::{self, Manifest};
use crate::bagpath::BagPath;
use crate::bundle::{self, BAGIT_TXT, BAG_INFO, PAYLOAD_MANIFEST, TAG_MANIFEST};
use crate::citations;
use crate::container::ZipWriter;
use crate::description::Description;
use crate::error::{Error, Result};
use crate::hashing::HashPipe;
use crate::manifest::{self, BundleManifest, FileRecord, Identity, Supersedes, MANIFEST_FILE};
use crate::minisign::{KeyId, SecretKey};
use crate::output::{Overwrite, PendingFile, Writeback};
use crate::progress::Progress;
use crate::scan;
use crate::time;

mod plan;

use plan::Planned;

/// What to pack and where.
#[derive(Clone, Debug)]
pub struct PackOptions<'a> {
    /// The folder to pack.
    pub dir: &'a Path,
    /// The bundle to write.
    pub output: &'a Path,
    /// Whether an existing output may be replaced.
    pub overwrite: Overwrite,
    /// The pack time, Unix seconds (`SOURCE_DATE_EPOCH` or the clock).
    pub created: u64,
    /// The previous version this bundle supersedes: its manifest and tag-manifest digest.
    pub supersedes: Option<(BundleManifest, [u8; 32])>,
    /// Also pack hidden files and folders (see [`scan::ScanOptions`]).
    pub include_hidden: bool,
    /// Glob patterns of files and folders to leave out.
    pub exclude: &'a [String],
    /// Time-stamping authorities to timestamp the signature with (none: no token).
    pub tsa: &'a [String],
}

/// What pack produced.
#[derive(Clone, Debug)]
pub struct PackSummary {
    /// The bundle's lineage identifier.
    pub identifier: String,
    /// Its version.
    pub version: u64,
    /// Number of payload files.
    pub files: usize,
    /// Payload bytes.
    pub bytes: u64,
    /// The signer.
    pub key_id: KeyId,
    /// Number of citations checked and bound.
    pub citations: usize,
    /// What was left out of the folder, and why.
    pub left_out: Vec<scan::LeftOut>,
    /// Things the user should know that did not stop the pack (one line each).
    pub warnings: Vec<String>,
}

/// Packs `opts.dir` into `opts.output`, signed by `key`.
pub fn pack(opts: &PackOptions, key: &SecretKey, progress: &dyn Progress) -> Result<PackSummary> {
    let scan_opts = scan::ScanOptions {
        include_hidden: opts.include_hidden,
        exclude: opts.exclude,
        output: Some(opts.output),
    };
    // Problems of the folder and of the description are reported together.
    let (scanned, mut problems) = scan::scan_all(opts.dir, &scan_opts)?;
    let description = scanned.description.unwrap_or_default();
    let planned = plan::plan(opts.dir, &description, &scanned.files, &scanned.left_out);
    let planned = match planned {
        Ok(p) if problems.is_empty() => p,
        Ok(_) => return Err(Error::all(problems)),
        Err(missing) => {
            problems.extend(missing);
            return Err(Error::all(problems));
        }
    };
    let identity = identity(opts, &description, key)?;
    let mut warnings: Vec<String> = plan::retrieval_warning(&identity.created, &description)
        .into_iter()
        .collect();
    let mut pending = PendingFile::create(opts.output, opts.overwrite, false)?;
    let out = opts.output;
    let total: u64 = planned.iter().map(|p| p.input.size).sum();
    progress.start("packing", total, planned.len() as u64);
    let handle = pending
        .file()
        .try_clone()
        .map_err(|e| Error::io(out, "write", e))?;
    let file = Writeback::new(pending.file(), handle);
    let mut zip = ZipWriter::new(BufWriter::with_capacity(1 << 20, file));
    let root = identity.name.clone();
    let mut records = Vec::with_capacity(planned.len());
    let mut captured: BTreeMap<String, Vec<u8>> = BTreeMap::new();
    let mut hasher = HashPipe::start();
    // Records of streamed files, whose digests the hashing thread gives at the end.
    let mut streamed = Vec::new();
    let mut rest = planned.as_slice();
    while let Some(first) = rest.first() {
        let batch = small_batch(rest);
        if batch == 0 {
            let (record, bytes) =
                write_payload(&mut zip, &mut hasher, &root, first, out, progress)?;
            if let Some(bytes) = bytes {
                captured.insert(first.input.rel.as_str().to_owned(), bytes);
            }
            streamed.push(records.len());
            records.push(record);
            rest = rest.get(1..).unwrap_or_default();
            continue;
        }
        let (now, later) = rest.split_at(batch);
        let read: Vec<Result<(Vec<u8>, [u8; 32])>> = now.par_iter().map(read_small).collect();
        for (p, r) in now.iter().zip(read) {
            let (bytes, digest) = r?;
            let name = format!("{root}/data/{}", p.input.rel.as_str());
            zip.add_bytes(&name, &bytes)
                .map_err(|e| Error::io(out, "write", e.into()))?;
            progress.advance(bytes.len() as u64);
            records.push(record(p, bytes.len() as u64, manifest::hex(&digest))?);
            if p.capture {
                captured.insert(p.input.rel.as_str().to_owned(), bytes);
            }
        }
        rest = later;
    }
    let digests = hasher
        .digests()
        .map_err(|e| Error::io(opts.dir, "hash", e))?;
    if digests.len() != streamed.len() {
        let lost = std::io::Error::other("the hashing thread lost a file");
        return Err(Error::io(opts.dir, "hash", lost));
    }
    for (i, digest) in streamed.into_iter().zip(&digests) {
        if let Some(record) = records.get_mut(i) {
            record.sha256 = manifest::hex(digest);
        }
    }
    progress.finish();
    let bound = bind_citations(opts.dir, &description, &captured)?;
    warnings.extend(bound.warnings.iter().cloned());
    let manifest = build_manifest(identity, &description, records, bound);
    let tags = tag_files(&manifest)?;
    for (name, bytes) in &tags {
        zip.add_bytes(&format!("{root}/{name}"), bytes)
            .map_err(|e| Error::io(out, "write", e.into()))?;
    }
    let tagmanifest = tags
        .iter()
        .find(|(n, _)| *n == TAG_MANIFEST)
        .map(|(_, b)| b.as_slice())
        .unwrap_or_default();
    for (name, bytes) in signature_entries(key, &manifest, tagmanifest, opts.tsa)? {
        zip.add_bytes(&format!("{root}/{name}"), &bytes)
            .map_err(|e| Error::io(out, "write", e.into()))?;
    }
    let mut buffered = zip
        .finish()
        .map_err(|e| Error::io(out, "write", e.into()))?;
    buffered.flush().map_err(|e| Error::io(out, "write", e))?;
    let mut file = buffered
        .into_inner()
        .map_err(|e| Error::io(out, "write", e.into_error()))?;
    file.finish()
        .map_err(|e| Error::io(out, "flush to disk", e))?;
    drop(file);
    pending.commit()?;
    Ok(PackSummary {
        identifier: manifest.bundle.identifier.clone(),
        version: manifest.bundle.version,
        files: manifest.files.len(),
        bytes: manifest.files.iter().map(|f| f.size).sum(),
        key_id: key.key_id(),
        citations: manifest.citations.len(),
        left_out: scanned.left_out,
        warnings,
    })
}

/// A reader that remembers whether it failed, so that an I/O error from
/// the zip writer can be blamed on the right file: the input it read or
/// the bundle it wrote.
struct Tracked<R> {
    inner: R,
    failed: bool,
}

impl<R: Read> Read for Tracked<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let r = self.inner.read(buf);
        if matches!(&r, Err(e) if e.kind() != std::io::ErrorKind::Interrupted) {
            self.failed = true;
        }
        r
    }
}

/// Files up to this size are read whole (in parallel batches) rather than
/// streamed: per-file costs (seeks to patch the header, a round trip to the
/// hashing thread) dominate for them, and memory stays bounded by a batch.
const SMALL_FILE: u64 = 256 << 10;
/// The most bytes one batch of small files holds in memory.
const BATCH_BYTES: u64 = 16 << 20;
/// The most files in one batch.
const BATCH_FILES: usize = 4096;

/// How many of the next files form a batch of small files (0: the first is
/// streamed).
fn small_batch(planned: &[Planned]) -> usize {
    let mut bytes = 0;
    planned
        .iter()
        .take(BATCH_FILES)
        .take_while(|p| {
            bytes += p.input.size;
            p.input.size <= SMALL_FILE && bytes <= BATCH_BYTES
        })
        .count()
}

/// Reads a small file whole and hashes it (on a rayon thread). The bytes
/// hashed are the bytes then written; a file whose size is not the size
/// the scan saw is refused, which also bounds what is read.
fn read_small(p: &Planned) -> Result<(Vec<u8>, [u8; 32])> {
    let path = &p.input.abs;
    let file = scan::open_regular(path).map_err(|e| Error::io(path, "open", e))?;
    let expected = p.input.size;
    let mut bytes = Vec::with_capacity(usize::try_from(expected).unwrap_or(0));
    file.take(expected + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| Error::io(path, "read", e))?;
    let actual = bytes.len() as u64;
    if actual != expected {
        return Err(changed(path, expected, actual));
    }
    let digest = Sha256::digest(&bytes).into();
    Ok((bytes, digest))
}

/// A file that gave another number of bytes than its size said.
fn changed(path: &Path, expected: u64, actual: u64) -> Error {
    Error::input(
        path,
        format!("changed while being packed ({expected} bytes expected, {actual} read)"),
    )
}

/// The manifest record of a payload file.
fn record(p: &Planned, size: u64, sha256: String) -> Result<FileRecord> {
    let bag_path = data_path(&p.input.rel)?;
    Ok(FileRecord {
        media_type: manifest::media_type(bag_path.as_str()).to_owned(),
        path: bag_path,
        role: p.role,
        size,
        sha256,
        title: p.title.clone(),
        source_id: p.source_id.clone(),
        notes: p.notes.clone(),
    })
}

/// Streams one payload file into the zip; the SHA-256 thread hashes copies
/// of exactly the bytes written, while this thread reads, CRCs and writes.
fn write_payload<W: Write + Seek>(
    zip: &mut ZipWriter<W>,
    hasher: &mut HashPipe,
    root: &str,
    p: &Planned,
    out: &Path,
    progress: &dyn Progress,
) -> Result<(FileRecord, Option<Vec<u8>>)> {
    let path = &p.input.abs;
    let file = scan::open_regular(path).map_err(|e| Error::io(path, "open", e))?;
    // The open file's size chooses the header's form (zip64 from 4 GiB);
    // a file that then gives more or fewer bytes is refused, not packed.
    let expected = file
        .metadata()
        .map_err(|e| Error::io(path, "read", e))?
        .len();
    let mut file = Tracked {
        inner: file,
        failed: false,
    };
    let mut kept = p.capture.then(Vec::new);
    let mut hash_error = None;
    let mut on_chunk = |chunk: &[u8]| {
        if let Err(e) = hasher.update(chunk) {
            hash_error.get_or_insert(e);
        }
        if let Some(k) = kept.as_mut() {
            k.extend_from_slice(chunk);
        }
        progress.advance(chunk.len() as u64);
    };
    let name = format!("{root}/data/{}", p.input.rel.as_str());
    let info = zip
        .add_stream_sized(&name, expected, &mut file, &mut on_chunk)
        .map_err(|e| match e {
            _ if file.failed => Error::io(path, "read", e.into()),
            crate::container::Error::SizeChanged {
                expected, actual, ..
            } => changed(path, expected, actual),
            e => Error::io(out, "write", e.into()),
        })?;
    if let Some(e) = hash_error {
        return Err(Error::io(path, "hash", e));
    }
    hasher.end_file().map_err(|e| Error::io(path, "hash", e))?;
    // The digest comes later, from the hashing thread (see `pack`).
    let record = record(p, info.size, String::new())?;
    Ok((record, kept))
}

/// `data/<rel>` as a bag path.
fn data_path(rel: &BagPath) -> Result<BagPath> {
    BagPath::new(&format!("data/{}", rel.as_str()))
        .map_err(|e| Error::Usage(format!("{}: {e}", rel.as_str())))
}

/// The bundle's identity: name, identifier, version, time.
fn identity(opts: &PackOptions, d: &Description, key: &SecretKey) -> Result<Identity> {
    let dir_name = std::fs::canonicalize(opts.dir)
        .ok()
        .and_then(|p| p.file_name().and_then(|n| n.to_str()).map(str::to_owned))
        .unwrap_or_else(|| "bundle".to_owned());
    let name = d.bundle.name.clone().unwrap_or(dir_name);
    match BagPath::new(&name) {
        Ok(p) if !p.as_str().contains('/') => {}
        _ => {
            return Err(Error::input(
                opts.dir,
                format!("{name:?} cannot be a bundle's folder name (set [bundle] name)"),
            ))
        }
    }
    let (identifier, version, supersedes) = match &opts.supersedes {
        Some((old, digest)) => (
            old.bundle.identifier.clone(),
            old.bundle.version.saturating_add(1),
            Some(Supersedes {
                version: old.bundle.version,
                tagmanifest_sha256: manifest::hex(digest),
            }),
        ),
        None => {
            let id = d
                .bundle
                .identifier
                .clone()
                .unwrap_or_else(|| default_identifier(key, &name));
            (id, 1, None)
        }
    };
    if let (Some((old, _)), Some(own)) = (&opts.supersedes, &d.bundle.identifier) {
        if *own != old.bundle.identifier {
            return Err(Error::input(
                opts.dir,
                format!(
                    "[bundle] identifier {own:?} differs from the superseded bundle's {:?}",
                    old.bundle.identifier
                ),
            ));
        }
    }
    manifest::check_comment_field("identifier", &identifier)
        .map_err(|e| Error::input(opts.dir, e))?;
    let b = &d.bundle;
    Ok(Identity {
        identifier,
        version,
        created: time::rfc3339(opts.created),
        name,
        title: b
            .title
            .clone()
            .or_else(|| d.statement.as_ref().map(|s| s.title.clone())),
        source_organization: b
            .source_organization
            .clone()
            .or_else(|| d.statement.as_ref().and_then(|s| s.organisation.clone())),
        external_description: b.external_description.clone(),
        contact_name: b.contact_name.clone(),
        contact_email: b.contact_email.clone(),
        language: b.language.clone(),
        supersedes,
    })
}

/// A stable identifier for a new lineage: a UUID (version 8) derived from
/// the signer's key and the bundle name, so repacking is reproducible and
/// two publishers never share a lineage by accident.
pub(crate) fn default_identifier(key: &SecretKey, name: &str) -> String {
    let mut h = Sha256::new();
    h.update(b"docseal identifier\0");
    h.update(key.public_key().verifying_key().as_bytes());
    h.update(b"\0");
    h.update(name.as_bytes());
    let mut b: [u8; 16] = [0; 16];
    b.copy_from_slice(&h.finalize()[..16]);
    b[6] = (b[6] & 0x0f) | 0x80;
    b[8] = (b[8] & 0x3f) | 0x80;
    let x = manifest::hex(&b);
    format!(
        "urn:uuid:{}-{}-{}-{}-{}",
        &x[..8],
        &x[8..12],
        &x[12..16],
        &x[16..20],
        &x[20..]
    )
}

/// The ids of the sources pack must read as text: those the citations
/// name, and every source when a quotation is recorded as not found.
fn cited_sources(d: &Description) -> Vec<&str> {
    let everywhere = d
        .citations
        .iter()
        .any(|c| c.verdict() == citations::Verdict::NotFound);
    d.sources
        .iter()
        .map(|s| s.id.as_str())
        .filter(|id| everywhere || d.citations.iter().any(|c| c.source_ids().any(|s| s == *id)))
        .collect()
}

fn bind_citations(
    dir: &Path,
    d: &Description,
    captured: &BTreeMap<String, Vec<u8>>,
) -> Result<citations::Bound> {
    if d.citations.is_empty() && d.quotations.is_empty() {
        return Ok(citations::Bound::default());
    }
    let desc_path = dir.join(crate::description::DESCRIPTION_FILE);
    let Some(statement) = &d.statement else {
        return Err(Error::input(&desc_path, "has citations but no [statement]"));
    };
    let text = |path: &str| -> Result<String> {
        let bytes = captured.get(path).cloned().unwrap_or_default();
        String::from_utf8(bytes)
            .map_err(|_| Error::input(&dir.join(path), "is cited but is not UTF-8 text"))
    };
    let mut sources = BTreeMap::new();
    let cited = cited_sources(d);
    for s in d.sources.iter().filter(|s| cited.contains(&s.id.as_str())) {
        sources.insert(s.id.clone(), (format!("data/{}", s.path), text(&s.path)?));
    }
    let texts = citations::Texts {
        statement_path: format!("data/{}", statement.path),
        statement: text(&statement.path)?,
        sources,
    };
    citations::bind_claims(&d.citations, &d.quotations, &texts)
        .map_err(|e| Error::input(&desc_path, e.to_string()))
}

/// The JSON manifest, with description paths rewritten into `data/`.
fn build_manifest(
    bundle: Identity,
    d: &Description,
    files: Vec<FileRecord>,
    bound: citations::Bound,
) -> BundleManifest {
    let statement = d.statement.clone().map(|mut s| {
        s.path = format!("data/{}", s.path);
        s
    });
    let sources = d
        .sources
        .iter()
        .cloned()
        .map(|mut s| {
            s.path = format!("data/{}", s.path);
            s
        })
        .collect();
    BundleManifest {
        format: manifest::FORMAT_NAME.to_owned(),
        format_version: manifest::FORMAT_VERSION,
        bundle,
        base: None,
        statement,
        sources,
        files,
        citations: bound.claims,
        quotations: bound.quotations,
    }
}

/// The tag files in zip order, ending with the tag manifest.
pub(crate) fn tag_files(m: &BundleManifest) -> Result<Vec<(&'static str, Vec<u8>)>> {
    let payload = Manifest {
        entries: m
            .files
            .iter()
            .map(|f| (f.path.clone(), unhex32(&f.sha256)))
            .collect(),
    };
    let info = bag_info(m).map_err(|e| Error::Usage(format!("bag-info.txt: {e}")))?;
    let mut tags: Vec<(&'static str, Vec<u8>)> = vec![
        (BAGIT_TXT, bagit::BAGIT_TXT.as_bytes().to_vec()),
        (BAG_INFO, info.into_bytes()),
        (MANIFEST_FILE, m.to_bytes()),
        (PAYLOAD_MANIFEST, payload.to_text().into_bytes()),
    ];
    let tag_manifest = Manifest {
        entries: tags
            .iter()
            .filter_map(|(n, b)| {
                let digest: [u8; 32] = Sha256::digest(b).into();
                BagPath::new(n).ok().map(|p| (p, digest))
            })
            .collect(),
    };
    tags.push((TAG_MANIFEST, tag_manifest.to_text().into_bytes()));
    Ok(tags)
}

pub use crate::bundle::bag_info;

/// The signature file and the signer's public key, as zip entries.
pub(crate) fn signature_entries(
    key: &SecretKey,
    m: &BundleManifest,
    tagmanifest: &[u8],
    tsa: &[String],
) -> Result<Vec<(String, Vec<u8>)>> {
    let id = key.key_id();
    let sig = key
        .sign(
            tagmanifest,
            &m.trusted_comment(),
            &bundle::signature_untrusted_comment(id),
        )
        .map_err(|e| Error::Usage(format!("cannot sign: {e}")))?;
    let sig_bytes = sig.to_file_text().into_bytes();
    let tokens = if tsa.is_empty() {
        Vec::new()
    } else {
        let t = crate::timestamp::http::Timeouts::default();
        crate::stamp::token_entries(id, &sig_bytes, 0, tsa, t)?
    };
    let mut entries = vec![
        (bundle::signature_file(id), sig_bytes),
        (
            bundle::signer_key_file(id),
            key.public_key().to_file_text().into_bytes(),
        ),
    ];
    entries.extend(tokens);
    // The signature folder is in byte order (docs/FORMAT.md §3).
    entries.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(entries)
}

/// Lowercase hex (as written by [`manifest::hex`]) back to 32 bytes; zeros if malformed.
pub fn unhex32(s: &str) -> [u8; 32] {
    let mut out = [0u8; 32];
    if s.len() == 64 {
        for (i, o) in out.iter_mut().enumerate() {
            *o = s
                .get(2 * i..2 * i + 2)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
                .unwrap_or(0);
        }
    }
    out
}

/// Reads the bundle a new version supersedes: it must be intact (its
/// signatures are checked by whoever verifies the chain), and its manifest
/// and tag-manifest digest are what the new version records.
pub fn previous_version(path: &Path) -> Result<(BundleManifest, [u8; 32])> {
    let v = crate::verify::verify(path, &Default::default(), &crate::progress::Silent)?;
    let bad = |problem: String| Error::Bundle {
        path: path.to_path_buf(),
        problem,
    };
    if v.report.verdict == crate::report::Verdict::Invalid {
        let first = v
            .report
            .findings
            .first()
            .map(|f| format!("[{}] {}", f.code, f.message))
            .unwrap_or_default();
        return Err(bad(format!(
            "does not verify, so it cannot be superseded: {first}"
        )));
    }
    match (v.manifest, v.tagmanifest_sha256) {
        (Some(m), Some(d)) => Ok((m, d)),
        _ => Err(bad("cannot be read as a docseal bundle".into())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::description::Role;
    use crate::scan::InputFile;
    use std::path::PathBuf;

    fn planned(input: &InputFile) -> Planned<'_> {
        Planned {
            input,
            role: Role::Attachment,
            title: "t".into(),
            source_id: None,
            capture: false,
            notes: None,
        }
    }

    #[test]
    fn a_small_file_of_another_size_than_scanned_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let abs = dir.path().join("f.txt");
        std::fs::write(&abs, b"four").unwrap();
        for (scanned, ok) in [(4, true), (3, false), (5, false), (0, false)] {
            let input = InputFile {
                rel: BagPath::new("f.txt").unwrap(),
                abs: abs.clone(),
                size: scanned,
            };
            let got = read_small(&planned(&input));
            if ok {
                let (bytes, digest) = got.unwrap();
                assert_eq!(bytes, b"four");
                assert_eq!(digest, <[u8; 32]>::from(Sha256::digest(b"four")));
            } else {
                let e = got.unwrap_err().to_string();
                assert!(e.contains("changed while being packed"), "{e}");
                assert!(e.contains(&format!("({scanned} bytes expected, ")), "{e}");
            }
        }
    }

    #[test]
    fn batches_hold_only_small_files_within_the_bounds() {
        let sizes = [10, 20, SMALL_FILE, SMALL_FILE + 1, 5];
        let inputs: Vec<InputFile> = sizes
            .iter()
            .enumerate()
            .map(|(i, &size)| InputFile {
                rel: BagPath::new(&format!("f{i}")).unwrap(),
                abs: PathBuf::from(format!("/nonexistent/f{i}")),
                size,
            })
            .collect();
        let plan: Vec<Planned> = inputs.iter().map(planned).collect();
        assert_eq!(small_batch(&plan), 3);
        assert_eq!(small_batch(&plan[3..]), 0);
        assert_eq!(small_batch(&plan[4..]), 1);
        let many: Vec<InputFile> = (0..(BATCH_BYTES / SMALL_FILE) + 3)
            .map(|i| InputFile {
                rel: BagPath::new(&format!("g{i}")).unwrap(),
                abs: PathBuf::from("/nonexistent"),
                size: SMALL_FILE,
            })
            .collect();
        let plan: Vec<Planned> = many.iter().map(planned).collect();
        assert_eq!(small_batch(&plan) as u64, BATCH_BYTES / SMALL_FILE);
    }
}
