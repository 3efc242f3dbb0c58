//! `annotate`: an archivist's notes on a bundle, signed apart from it.
//!
//! The author's bundle (the *base*) is never touched. The notes become a
//! bundle of their own — own identifier and lineage, own signer — whose
//! `docseal.json` names the base by the SHA-256 of its tag manifest
//! (`base`, docs/FORMAT.md §11) and carries the archivist's citations in
//! the same claim format as a statement bundle, bound against the base's
//! statement and sources. Its one payload file is `NOTES.toml` itself,
//! byte for byte. The base must verify intact first; a base signed by no
//! key the archivist trusts is annotated, with a warning.

use std::io::{BufWriter, Write};
use std::path::Path;

use sha2::{Digest, Sha256};

use crate::bagpath::BagPath;
use crate::bundle::OpenBundle;
use crate::citations::{self, Scope, Texts};
use crate::container::ZipWriter;
use crate::description::{NotesFile, Role, NOTES_PAYLOAD};
use crate::error::{Error, Result};
use crate::manifest::{self, BaseRef, BundleManifest, FileRecord, Identity, Supersedes};
use crate::minisign::{KeyId, SecretKey};
use crate::output::{Overwrite, PendingFile};
use crate::report::Verdict;
use crate::verify::{Verified, VerifyOptions};

/// The largest `NOTES.toml` read.
pub const MAX_NOTES_BYTES: u64 = 4 << 20;
/// The largest text of the base read to bind citations.
const MAX_TEXT_BYTES: u64 = 64 << 20;

/// What to annotate and where.
pub struct AnnotateOptions<'a> {
    /// The author's bundle.
    pub base: &'a Path,
    /// The archivist's `NOTES.toml`.
    pub notes: &'a Path,
    /// The notes bundle to write.
    pub output: &'a Path,
    /// Whether an existing output may be replaced.
    pub overwrite: Overwrite,
    /// The time, Unix seconds (`SOURCE_DATE_EPOCH` or the clock).
    pub created: u64,
    /// How to verify the base (the keys the archivist trusts).
    pub verify: &'a VerifyOptions,
    /// The earlier notes these replace (same lineage, version + 1): their
    /// manifest and tag-manifest digest ([`crate::pack::previous_version`]).
    pub supersedes: Option<(BundleManifest, [u8; 32])>,
}

/// What annotate produced.
#[derive(Clone, Debug)]
pub struct AnnotateSummary {
    /// The notes bundle's identifier.
    pub identifier: String,
    /// Its version in its own lineage.
    pub version: u64,
    /// The signer of the notes.
    pub key_id: KeyId,
    /// Citations bound.
    pub citations: usize,
    /// The base, as the notes name it.
    pub base: BaseRef,
    /// The base's verification verdict (valid or untrusted).
    pub base_verdict: Verdict,
    /// Things the user should know (one line each).
    pub warnings: Vec<String>,
}

/// Writes the notes of `opts.notes` on `opts.base` into `opts.output`, signed by `key`.
pub fn annotate(opts: &AnnotateOptions, key: &SecretKey) -> Result<AnnotateSummary> {
    if crate::output::same_file(opts.base, opts.output) {
        return Err(Error::Usage(format!(
            "{}: the base and --output are the same file; the author's bundle is never overwritten (even with --force)",
            opts.output.display()
        )));
    }
    let bytes = read_notes(opts.notes)?;
    let text = String::from_utf8(bytes.clone())
        .map_err(|_| Error::input(opts.notes, "is not UTF-8 text"))?;
    let notes = NotesFile::parse_all(&text).map_err(|all| {
        Error::all(
            all.into_iter()
                .map(|e| Error::input(opts.notes, e.to_string()))
                .collect(),
        )
    })?;
    let v = crate::verify::verify(opts.base, opts.verify, &crate::progress::Silent)?;
    let (base_manifest, digest, bundle) = intact_base(opts.base, &v)?;
    let mut warnings = Vec::new();
    if v.report.verdict != Verdict::Valid {
        warnings.push(format!(
            "{}: the base is intact but {}; the notes name it by its digest all the same",
            opts.base.display(),
            untrusted_phrase(&v.report.summary)
        ));
    }
    let unprefixed = |p: &str| p.strip_prefix("data/").unwrap_or(p).to_owned();
    let statement = base_manifest.statement.clone().map(|mut s| {
        s.path = unprefixed(&s.path);
        s
    });
    let sources: Vec<_> = base_manifest
        .sources
        .iter()
        .cloned()
        .map(|mut s| {
            s.path = unprefixed(&s.path);
            s
        })
        .collect();
    let d = notes.against(statement, sources).map_err(|all| {
        Error::all(
            all.into_iter()
                .map(|e| Error::input(opts.notes, e.to_string()))
                .collect(),
        )
    })?;
    let bound = if d.citations.is_empty() && d.quotations.is_empty() {
        citations::Bound::default()
    } else {
        let texts = base_texts(opts.base, bundle, &base_manifest, &d)?;
        citations::bind_claims_with(&d.citations, &d.quotations, &texts, Scope::Notes)
            .map_err(|e| Error::input(opts.notes, e.to_string()))?
    };
    warnings.extend(bound.warnings.iter().cloned());
    let base = BaseRef {
        identifier: base_manifest.bundle.identifier.clone(),
        version: base_manifest.bundle.version,
        name: base_manifest.bundle.name.clone(),
        tagmanifest_sha256: manifest::hex(&digest),
        title: base_manifest.bundle.title.clone(),
    };
    let identity = identity(opts, &notes, &base, key)?;
    let payload_path = BagPath::new(&format!("data/{NOTES_PAYLOAD}"))
        .map_err(|e| Error::Usage(format!("{NOTES_PAYLOAD}: {e}")))?;
    let record = FileRecord {
        media_type: manifest::media_type(payload_path.as_str()).to_owned(),
        path: payload_path,
        role: Role::Record,
        size: bytes.len() as u64,
        sha256: manifest::hex(&Sha256::digest(&bytes)),
        title: "The archivist's notes as written (NOTES.toml)".to_owned(),
        source_id: None,
        notes: None,
    };
    let m = BundleManifest {
        format: manifest::FORMAT_NAME.to_owned(),
        format_version: manifest::FORMAT_VERSION,
        bundle: identity,
        base: Some(base.clone()),
        statement: None,
        sources: Vec::new(),
        files: vec![record],
        citations: bound.claims,
        quotations: bound.quotations,
    };
    write(opts.output, opts.overwrite, &m, &bytes, key)?;
    Ok(AnnotateSummary {
        identifier: m.bundle.identifier.clone(),
        version: m.bundle.version,
        key_id: key.key_id(),
        citations: m.citations.len(),
        base,
        base_verdict: v.report.verdict,
        warnings,
    })
}

fn read_notes(path: &Path) -> Result<Vec<u8>> {
    let meta = std::fs::metadata(path).map_err(|e| Error::io(path, "open", e))?;
    if !meta.is_file() {
        return Err(Error::input(path, "is not a regular file"));
    }
    if meta.len() > MAX_NOTES_BYTES {
        return Err(Error::input(
            path,
            format!("larger than {MAX_NOTES_BYTES} bytes"),
        ));
    }
    std::fs::read(path).map_err(|e| Error::io(path, "read", e))
}

/// The base's manifest, digest and opened bundle, when its content verified.
fn intact_base<'v>(
    path: &Path,
    v: &'v Verified,
) -> Result<(BundleManifest, [u8; 32], &'v OpenBundle)> {
    let bad = |problem: String| Error::Bundle {
        path: path.to_path_buf(),
        problem,
    };
    if v.report.verdict == Verdict::Invalid {
        return Err(bad(format!(
            "does not verify, so it cannot be annotated: {}",
            v.report.summary
        )));
    }
    match (&v.manifest, v.tagmanifest_sha256, &v.bundle) {
        (Some(m), _, _) if m.base.is_some() => Err(bad(
            "is itself an archivist's notes bundle; annotate the author's bundle".into(),
        )),
        (Some(m), Some(d), Some(b)) => Ok((m.clone(), d, b)),
        _ => Err(bad("cannot be read as a docseal bundle".into())),
    }
}

/// "it is signed only by …" from an UNTRUSTED summary line.
fn untrusted_phrase(summary: &str) -> &str {
    summary.split_once(", but ").map_or(summary, |(_, why)| why)
}

/// The base's statement and the sources the notes' citations need.
fn base_texts(
    path: &Path,
    b: &OpenBundle,
    m: &BundleManifest,
    d: &crate::description::Description,
) -> Result<Texts> {
    let text = |p: &str| -> Result<String> {
        let f = b
            .find(p)
            .ok_or_else(|| Error::input(path, format!("{p}: not in the bundle")))?;
        let bytes = b
            .read_small(f, MAX_TEXT_BYTES)
            .map_err(|e| Error::input(path, format!("{p}: {e}")))?;
        String::from_utf8(bytes)
            .map_err(|_| Error::input(path, format!("{p}: is cited but is not UTF-8 text")))
    };
    let Some(statement) = &m.statement else {
        return Err(Error::input(
            path,
            "has no statement for the notes' citations to address",
        ));
    };
    let everywhere = d
        .citations
        .iter()
        .any(|c| c.verdict() == citations::Verdict::NotFound);
    let mut sources = std::collections::BTreeMap::new();
    for s in &m.sources {
        if everywhere
            || d.citations
                .iter()
                .any(|c| c.source_ids().any(|id| id == s.id))
        {
            sources.insert(s.id.clone(), (s.path.clone(), text(&s.path)?));
        }
    }
    Ok(Texts {
        statement_path: statement.path.clone(),
        statement: text(&statement.path)?,
        sources,
    })
}

/// The notes bundle's identity: its own lineage, named after the base unless `[notes]` says otherwise.
fn identity(
    opts: &AnnotateOptions,
    notes: &NotesFile,
    base: &BaseRef,
    key: &SecretKey,
) -> Result<Identity> {
    let n = &notes.notes;
    let name = n
        .name
        .clone()
        .unwrap_or_else(|| format!("{}-notes", base.name));
    match BagPath::new(&name) {
        Ok(p) if !p.as_str().contains('/') => {}
        _ => {
            return Err(Error::input(
                opts.notes,
                format!("{name:?} cannot be a bundle's folder name (set [notes] name)"),
            ))
        }
    }
    let (identifier, version, supersedes) = match &opts.supersedes {
        Some((old, _)) if old.base.is_none() => {
            return Err(Error::Usage(
                "--supersedes names a bundle that is not an archivist's notes bundle".into(),
            ))
        }
        Some((old, digest)) => {
            if n.identifier
                .as_ref()
                .is_some_and(|id| *id != old.bundle.identifier)
            {
                return Err(Error::input(
                    opts.notes,
                    "[notes] identifier differs from the superseded notes' identifier",
                ));
            }
            let link = Supersedes {
                version: old.bundle.version,
                tagmanifest_sha256: manifest::hex(digest),
            };
            let next = old.bundle.version.saturating_add(1);
            (old.bundle.identifier.clone(), next, Some(link))
        }
        None => {
            let id = n
                .identifier
                .clone()
                .unwrap_or_else(|| crate::pack::default_identifier(key, &name));
            (id, 1, None)
        }
    };
    if identifier == base.identifier {
        return Err(Error::input(
            opts.notes,
            "[notes] identifier is the base's: the notes are a lineage of their own",
        ));
    }
    Ok(Identity {
        identifier,
        version,
        created: crate::time::rfc3339(opts.created),
        name,
        title: n.title.clone(),
        source_organization: n.source_organization.clone(),
        external_description: n.external_description.clone(),
        contact_name: n.contact_name.clone(),
        contact_email: n.contact_email.clone(),
        language: n.language.clone(),
        supersedes,
    })
}

/// Writes the canonical, signed notes bundle through a temporary file.
fn write(
    output: &Path,
    overwrite: Overwrite,
    m: &BundleManifest,
    notes: &[u8],
    key: &SecretKey,
) -> Result<()> {
    let io = |e: crate::container::Error| Error::io(output, "write", e.into());
    let mut pending = PendingFile::create(output, overwrite, false)?;
    let mut zip = ZipWriter::new(BufWriter::new(pending.file()));
    let root = &m.bundle.name;
    zip.add_bytes(&format!("{root}/data/{NOTES_PAYLOAD}"), notes)
        .map_err(io)?;
    let tags = crate::pack::tag_files(m)?;
    for (name, bytes) in &tags {
        zip.add_bytes(&format!("{root}/{name}"), bytes)
            .map_err(io)?;
    }
    let tagmanifest = tags
        .iter()
        .find(|(n, _)| *n == crate::bundle::TAG_MANIFEST)
        .map(|(_, b)| b.as_slice())
        .unwrap_or_default();
    for (name, bytes) in crate::pack::signature_entries(key, m, tagmanifest, &[])? {
        zip.add_bytes(&format!("{root}/{name}"), &bytes)
            .map_err(io)?;
    }
    let mut w = zip.finish().map_err(io)?;
    w.flush().map_err(|e| Error::io(output, "write", e))?;
    drop(w);
    pending.commit()
}
