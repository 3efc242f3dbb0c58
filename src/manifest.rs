//! docseal's JSON manifest, `docseal.json`: the rich metadata of a bundle.
//!
//! A tag file of the bag, listed in `tagmanifest-sha256.txt` and therefore
//! covered by every signature. It is read into typed structs only (never a
//! map: serde would keep the last of two duplicate keys silently), with
//! `deny_unknown_fields` everywhere, a format name and a version. Its
//! serialisation is deterministic (struct field order, pretty-printed, one
//! final newline), so pack is reproducible; verify never re-serialises it,
//! it checks the exact bytes against the tag manifest and then parses them.

use serde::{Deserialize, Serialize};

use crate::bagpath::BagPath;
use crate::description::{Role, Source, Statement};

/// The tag file's name in the bag.
pub const MANIFEST_FILE: &str = "docseal.json";
/// The value of the `format` field.
pub const FORMAT_NAME: &str = "docseal-manifest";
/// The format version this build writes. It reads this one and
/// [`FORMAT_VERSION_1`], whose citation records it reads as claims.
pub const FORMAT_VERSION: u32 = 2;
/// The first format version: one verbatim passage per citation, no
/// declared quotations.
pub const FORMAT_VERSION_1: u32 = 1;
/// The largest `docseal.json` verify will read.
pub const MAX_MANIFEST_BYTES: u64 = 64 << 20;

/// The parsed `docseal.json` (format 2 in memory, whatever was read).
pub type BundleManifest = ManifestOf<crate::citations::Claim>;

/// `docseal.json` with citation records of type `C`: [`Claim`] for
/// format 2, the v1 [`CitationRecord`] when reading format 1.
///
/// [`Claim`]: crate::citations::Claim
/// [`CitationRecord`]: crate::citations::CitationRecord
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, bound(deserialize = "C: Deserialize<'de>"))]
pub struct ManifestOf<C> {
    /// Always [`FORMAT_NAME`].
    pub format: String,
    /// Always [`FORMAT_VERSION`].
    pub format_version: u32,
    /// Who and what this bundle is; bound into every signature's trusted comment.
    pub bundle: Identity,
    /// Set only in an archivist's notes bundle (`docseal annotate`): the
    /// bundle the notes are about, whose files its citations address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base: Option<BaseRef>,
    /// The statement's metadata, with `path` pointing into `data/`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub statement: Option<Statement>,
    /// Bibliographic records of the sources, with `path` pointing into `data/`.
    #[serde(default)]
    pub sources: Vec<Source>,
    /// Every payload file, sorted by path; the same set as `manifest-sha256.txt`.
    pub files: Vec<FileRecord>,
    /// The statement's citations: claims bound to the passages of their sources.
    #[serde(default)]
    pub citations: Vec<C>,
    /// Quoted spans of the statement declared as quoting nobody (format 2).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub quotations: Vec<crate::citations::QuotationRecord>,
}

/// Just the version, read first to choose the schema.
#[derive(Deserialize)]
struct VersionOnly {
    format_version: u32,
}

/// The bundle's identity.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Identity {
    /// Stable identifier of the bundle's lineage (all its versions share it).
    pub identifier: String,
    /// Version number in the lineage, from 1.
    pub version: u64,
    /// When it was packed, RFC 3339 UTC to the second (`SOURCE_DATE_EPOCH` when set).
    pub created: String,
    /// The bag's top-level folder name.
    pub name: String,
    /// Human title of the bundle.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Organisation responsible for the content (BagIt `Source-Organization`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_organization: Option<String>,
    /// One-paragraph description (BagIt `External-Description`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub external_description: Option<String>,
    /// Contact person.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact_name: Option<String>,
    /// Contact e-mail.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact_email: Option<String>,
    /// Main language of the content (BCP 47).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    /// The version this one replaces, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub supersedes: Option<Supersedes>,
}

/// The bundle an archivist's notes bundle annotates, named by the digest
/// of its tag manifest (which every signature of it covers), so that the
/// notes fit that exact content and no other.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BaseRef {
    /// The base's lineage identifier.
    pub identifier: String,
    /// The base's version.
    pub version: u64,
    /// The base's bag root folder name.
    pub name: String,
    /// SHA-256 (lowercase hex) of the base's `tagmanifest-sha256.txt`.
    pub tagmanifest_sha256: String,
    /// The base's title, for people.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
}

/// A link to the previous version of a bundle.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Supersedes {
    /// The previous version's number (this version's minus one).
    pub version: u64,
    /// SHA-256 (lowercase hex) of the previous version's `tagmanifest-sha256.txt`.
    pub tagmanifest_sha256: String,
}

/// One payload file.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileRecord {
    /// Path inside the bag, starting with `data/`.
    pub path: BagPath,
    /// What the file is to the bundle.
    pub role: Role,
    /// Size in bytes.
    pub size: u64,
    /// SHA-256, lowercase hex.
    pub sha256: String,
    /// IANA media type guessed from the name.
    pub media_type: String,
    /// Human title.
    pub title: String,
    /// For sources: the source's id in `sources`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_id: Option<String>,
    /// Free-text remarks from the file's `[[files]]` entry in the description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
}

impl ManifestOf<crate::citations::CitationRecord> {
    /// A format-1 manifest with its citations read as claims.
    fn into_claims(self) -> BundleManifest {
        ManifestOf {
            format: self.format,
            format_version: self.format_version,
            bundle: self.bundle,
            base: self.base,
            statement: self.statement,
            sources: self.sources,
            files: self.files,
            citations: self
                .citations
                .into_iter()
                .map(crate::citations::Claim::from_v1)
                .collect(),
            quotations: self.quotations,
        }
    }
}

impl BundleManifest {
    /// A format-1 manifest in its own schema, for writing it back as read.
    fn as_v1(&self) -> Option<ManifestOf<crate::citations::CitationRecord>> {
        if self.format_version != FORMAT_VERSION_1 {
            return None;
        }
        let citations = self
            .citations
            .iter()
            .map(|c| c.to_v1())
            .collect::<Option<Vec<_>>>()?;
        Some(ManifestOf {
            format: self.format.clone(),
            format_version: self.format_version,
            bundle: self.bundle.clone(),
            base: None,
            statement: self.statement.clone(),
            sources: self.sources.clone(),
            files: self.files.clone(),
            citations,
            quotations: Vec::new(),
        })
    }

    /// Parses `docseal.json` bytes strictly.
    pub fn parse(bytes: &[u8]) -> Result<BundleManifest, String> {
        let version = serde_json::from_slice::<VersionOnly>(bytes)
            .map_err(|e| e.to_string())?
            .format_version;
        let m: BundleManifest = match version {
            FORMAT_VERSION_1 => {
                let v1: ManifestOf<crate::citations::CitationRecord> =
                    serde_json::from_slice(bytes).map_err(|e| e.to_string())?;
                if !v1.quotations.is_empty() {
                    return Err("format_version 1 has no quotations".into());
                }
                if v1.base.is_some() {
                    return Err("format_version 1 has no base".into());
                }
                v1.into_claims()
            }
            _ => serde_json::from_slice(bytes).map_err(|e| e.to_string())?,
        };
        if m.format != FORMAT_NAME {
            return Err(format!(
                "format is {:?}, expected {FORMAT_NAME:?}",
                m.format
            ));
        }
        if m.format_version != FORMAT_VERSION && m.format_version != FORMAT_VERSION_1 {
            return Err(format!(
                "format_version {} is not supported (this docseal reads {FORMAT_VERSION_1} and {FORMAT_VERSION})",
                m.format_version
            ));
        }
        check_comment_field("bundle.identifier", &m.bundle.identifier)?;
        check_comment_field("bundle.created", &m.bundle.created)?;
        if let Some(b) = &m.base {
            check_base(&m, b)?;
        }
        Ok(m)
    }

    /// The deterministic serialisation written into bundles.
    pub fn to_bytes(&self) -> Vec<u8> {
        // Serialising plain structs of strings and integers cannot fail.
        let mut out = match self.as_v1() {
            Some(v1) => serde_json::to_vec_pretty(&v1).unwrap_or_default(),
            None => serde_json::to_vec_pretty(self).unwrap_or_default(),
        };
        out.push(b'\n');
        out
    }

    /// The trusted comment every signature of this bundle must carry: one
    /// ASCII line binding the identity, so a signature cannot be moved to
    /// another bundle or version.
    pub fn trusted_comment(&self) -> String {
        trusted_comment(
            &self.bundle.identifier,
            self.bundle.version,
            &self.bundle.created,
        )
    }
}

/// A notes bundle carries its citations only: the statement and the
/// sources they address are the base's, and its digest is a SHA-256.
fn check_base(m: &BundleManifest, b: &BaseRef) -> Result<(), String> {
    let hex = b.tagmanifest_sha256.len() == 64
        && b.tagmanifest_sha256
            .bytes()
            .all(|c| c.is_ascii_digit() || (b'a'..=b'f').contains(&c));
    if !hex {
        return Err("base.tagmanifest_sha256 is not 64 lowercase hex digits".into());
    }
    check_comment_field("base.identifier", &b.identifier)?;
    if m.statement.is_some() || !m.sources.is_empty() {
        return Err(
            "a notes bundle (with base) has no statement or sources of its own: its citations address the base's"
                .into(),
        );
    }
    Ok(())
}

/// The trusted comment for an identity (see [`BundleManifest::trusted_comment`]).
pub fn trusted_comment(identifier: &str, version: u64, created: &str) -> String {
    format!("docseal bundle {identifier} version {version} created {created}")
}

/// Identity fields go into the one-line trusted comment: printable ASCII, no spaces.
pub fn check_comment_field(name: &str, value: &str) -> Result<(), String> {
    if value.is_empty() || value.len() > 200 || !value.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(format!(
            "{name} must be 1 to 200 printable ASCII characters without spaces"
        ));
    }
    Ok(())
}

/// A media type from a file name's extension; evidence is never sniffed.
pub fn media_type(path: &str) -> &'static str {
    const TYPES: &[(&str, &str)] = &[
        ("txt", "text/plain"),
        ("md", "text/markdown"),
        ("html", "text/html"),
        ("htm", "text/html"),
        ("xml", "application/xml"),
        ("json", "application/json"),
        ("csv", "text/csv"),
        ("pdf", "application/pdf"),
        ("png", "image/png"),
        ("jpg", "image/jpeg"),
        ("jpeg", "image/jpeg"),
        ("gif", "image/gif"),
        ("webp", "image/webp"),
        ("svg", "image/svg+xml"),
        ("mp3", "audio/mpeg"),
        ("mp4", "video/mp4"),
        ("webm", "video/webm"),
        ("warc", "application/warc"),
        ("wacz", "application/wacz"),
        ("zip", "application/zip"),
        ("odt", "application/vnd.oasis.opendocument.text"),
        (
            "docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
    ];
    let ext = path.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
    ext.and_then(|e| TYPES.iter().find(|(x, _)| *x == e).map(|(_, t)| *t))
        .unwrap_or("application/octet-stream")
}

/// Lowercase hex of bytes.
pub fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(DIGITS[usize::from(b >> 4)] as char);
        s.push(DIGITS[usize::from(b & 15)] as char);
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A minimal format-2 manifest with `extra` members at the top level.
    fn manifest(extra: &str) -> String {
        format!(
            r#"{{"format": "docseal-manifest", "format_version": 2,
                "bundle": {{"identifier": "urn:x", "version": 1, "created": "2026-01-01T00:00:00Z", "name": "n"}},
                "files": []{extra}}}"#
        )
    }

    #[test]
    fn a_notes_bundle_names_its_base_by_a_digest_and_has_no_texts_of_its_own() {
        let base = |digest: &str| {
            format!(
                r#", "base": {{"identifier": "urn:b", "version": 2, "name": "b", "tagmanifest_sha256": "{digest}"}}"#
            )
        };
        let good = "ab".repeat(32);
        let m = BundleManifest::parse(manifest(&base(&good)).as_bytes()).unwrap();
        assert_eq!(m.base.map(|b| b.version), Some(2));
        for bad in ["AB".repeat(32), "ab".repeat(31), "zz".repeat(32)] {
            let e = BundleManifest::parse(manifest(&base(&bad)).as_bytes()).unwrap_err();
            assert!(e.contains("64 lowercase hex"), "{e}");
        }
        let with_statement = format!(
            r#"{}, "statement": {{"path": "data/s.txt", "title": "S", "authors": []}}"#,
            base(&good)
        );
        let e = BundleManifest::parse(manifest(&with_statement).as_bytes()).unwrap_err();
        assert!(e.contains("no statement or sources of its own"), "{e}");
        // Round trip: the base is written after the identity, and read back.
        let m = BundleManifest::parse(manifest(&base(&good)).as_bytes()).unwrap();
        let again = BundleManifest::parse(&m.to_bytes()).unwrap();
        assert_eq!(again, m);
        let text = String::from_utf8(m.to_bytes()).unwrap();
        assert!(text.find("\"bundle\"") < text.find("\"base\""), "{text}");
    }
}
