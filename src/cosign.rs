//! `sign`: add a signature to an existing bundle without touching its content.
//!
//! The tag manifest is the signed message and does not list `signatures/`,
//! so a co-signature changes no signed byte: the bundle is rewritten with
//! the same entries in the same order, plus the new signature file (and the
//! signer's public key) in the canonical place, and stays canonical. A
//! signature made by stock `minisign -S` over the extracted tag manifest is
//! accepted too, provided its trusted comment binds this bundle; its
//! untrusted comment is rewritten to docseal's canonical one (it is not
//! signed, so this changes nothing a signature covers). With
//! `--allow-repacked` a re-zipped bundle (another tool's zip, a Finder
//! zip, a zip without its top folder) is verified leniently and written
//! back as the canonical zip; whatever verification set aside (litter,
//! tag files other tools added) is left out, and listed.

use std::io::{BufWriter, Write};
use std::path::Path;

use crate::bundle::{
    self, BagFile, ContainerKind, OpenBundle, LISTED_TAG_FILES, SIGNATURES_DIR, TAG_MANIFEST,
};
use crate::container::ZipWriter;
use crate::error::{Error, Result};
use crate::minisign::{self, KeyId, PublicKey, SecretKey, Signature};
use crate::output::{Overwrite, PendingFile};
use crate::progress::Silent;
use crate::report::Verdict;
use crate::verify::{self, VerifyOptions};

/// Where the new signature comes from.
// Built once per command; the size difference between variants does not matter.
#[allow(clippy::large_enum_variant)]
pub enum CoSigner<'a> {
    /// Sign now with this key.
    Key(&'a SecretKey),
    /// A signature made elsewhere (e.g. by stock minisign), with the signer's
    /// public key when known (then it is checked before it is added and shipped beside it).
    Minisig {
        /// The signature.
        sig: Box<Signature>,
        /// The signer's public key, if given.
        key: Option<PublicKey>,
        /// Where the signature came from, for errors.
        origin: &'a Path,
    },
}

/// What a co-signature wrote.
#[derive(Clone, Debug)]
pub struct CoSigned {
    /// The new signer's key id.
    pub key_id: KeyId,
    /// What the input held that is not part of the signed bundle and was
    /// not written (file-manager litter, tag files added by other tools),
    /// as verification reported it (docs/FORMAT.md §6.2).
    pub left_out: Vec<String>,
}

/// Adds a signature to `bundle_path`, writing the result to `output`
/// (which may be the bundle itself) as a canonical zip. With
/// `allow_repacked`, a re-zipped bundle is verified leniently (as
/// `verify --allow-repacked` does) and its content rewritten canonically.
pub fn sign(
    bundle_path: &Path,
    signer: CoSigner,
    output: &Path,
    overwrite: Overwrite,
    tsa: &[String],
    allow_repacked: bool,
) -> Result<CoSigned> {
    let opts = VerifyOptions {
        allow_repacked,
        ..VerifyOptions::default()
    };
    let verified = verify::verify(bundle_path, &opts, &Silent)?;
    let bad = |problem: String| Error::Bundle {
        path: bundle_path.to_path_buf(),
        problem,
    };
    if verified.report.verdict == Verdict::Invalid {
        return Err(bad(refusal(&verified.report)));
    }
    let (Some(b), Some(m)) = (verified.bundle, verified.manifest) else {
        return Err(bad("cannot be read as a docseal bundle".into()));
    };
    let tm_file = b
        .find(TAG_MANIFEST)
        .ok_or_else(|| bad("no tag manifest".into()))?;
    let message = b
        .read_small(tm_file, bundle::MAX_TAG_FILE_BYTES)
        .map_err(|e| bad(e.to_string()))?;
    let comment = m.trusted_comment();
    let (sig, key) = match signer {
        CoSigner::Key(k) => {
            let id = k.key_id();
            let sig = k
                .sign(&message, &comment, &bundle::signature_untrusted_comment(id))
                .map_err(|e| Error::Usage(format!("cannot sign: {e}")))?;
            (sig, Some(k.public_key()))
        }
        CoSigner::Minisig { sig, key, origin } => {
            (adopt(*sig, key.as_ref(), &message, &comment, origin)?, key)
        }
    };
    let id = sig.key_id;
    let sig_name = bundle::signature_file(id);
    if b.find(&sig_name).is_some() {
        return Err(bad(format!("is already signed by key {id}")));
    }
    let sig_bytes = sig.to_file_text().into_bytes();
    let mut extra = if tsa.is_empty() {
        Vec::new()
    } else {
        let t = crate::timestamp::http::Timeouts::default();
        crate::stamp::token_entries(id, &sig_bytes, 0, tsa, t)?
    };
    extra.push((sig_name, sig_bytes));
    if let Some(k) = key {
        extra.push((bundle::signer_key_file(id), k.to_file_text().into_bytes()));
    }
    rewrite(&b, root_name(&b, &m.bundle.name), extra, output, overwrite)?;
    let mut left_out = b.litter.clone();
    left_out.extend(b.left_out.iter().map(|f| f.rel.clone()));
    Ok(CoSigned {
        key_id: id,
        left_out,
    })
}

/// Why a bundle that does not verify is not signed: its first error, and
/// for a re-zipped bundle how to sign it anyway.
fn refusal(r: &crate::report::Report) -> String {
    let first = r
        .findings
        .first()
        .map(|f| format!("[{}] {}", f.code, f.message))
        .unwrap_or_default();
    let rezipped = r
        .findings
        .iter()
        .any(|f| f.code == crate::verify::container::REZIPPED);
    let how = if rezipped {
        "; it was re-packed by another tool: sign --allow-repacked checks its content and writes docseal's canonical zip"
    } else {
        ""
    };
    format!("does not verify, refusing to sign it: {first}{how}")
}

/// Checks a signature made elsewhere and gives it docseal's canonical untrusted comment.
fn adopt(
    sig: Signature,
    key: Option<&PublicKey>,
    message: &[u8],
    comment: &str,
    origin: &Path,
) -> Result<Signature> {
    let bad = |problem: String| Error::Signature {
        path: origin.to_path_buf(),
        problem,
    };
    if sig.trusted_comment != comment {
        return Err(bad(format!(
            "trusted comment {:?} does not bind this bundle; sign with: minisign -S -m {TAG_MANIFEST} -t {:?}",
            sig.trusted_comment, comment
        )));
    }
    if let Some(k) = key {
        minisign::verify(k, &sig, message).map_err(|e| {
            bad(format!(
                "does not verify over this bundle's tag manifest: {e}"
            ))
        })?;
    }
    sig.with_untrusted_comment(&bundle::signature_untrusted_comment(sig.key_id))
        .map_err(|e| bad(e.to_string()))
}

/// The bag root folder of the output: the zip's own, or for an unpacked
/// folder (whose name is the user's) the bundle name that docs/FORMAT.md §3
/// prescribes, when that is one valid folder name.
pub(crate) fn root_name<'a>(b: &'a OpenBundle, name: &'a str) -> &'a str {
    let valid = !name.contains('/') && crate::bagpath::BagPath::new(name).is_ok();
    if b.kind == ContainerKind::Folder && valid {
        name
    } else {
        &b.root
    }
}

/// Position of a non-signature file in the canonical order (docs/FORMAT.md
/// §3): payload first, then the tag files in their fixed order. A zip that
/// verified is already in this order; an unpacked folder lists its files
/// sorted by name, which is not it.
fn canonical_rank(rel: &str) -> usize {
    LISTED_TAG_FILES
        .iter()
        .chain([&TAG_MANIFEST])
        .position(|t| *t == rel)
        .map_or(0, |i| i + 1)
}

/// Writes the bundle again under `root` with `extra` signature files added,
/// every entry in canonical order.
pub(crate) fn rewrite(
    b: &OpenBundle,
    root: &str,
    extra: Vec<(String, Vec<u8>)>,
    output: &Path,
    overwrite: Overwrite,
) -> Result<()> {
    let mut pending = PendingFile::create(output, overwrite, false)?;
    let mut zip = ZipWriter::new(BufWriter::with_capacity(1 << 20, pending.file()));
    let io = |e: crate::container::Error| Error::io(output, "write", e.into());
    let sig_prefix = format!("{SIGNATURES_DIR}/");
    let mut sigs: Vec<(String, Vec<u8>)> = extra;
    let mut files: Vec<&BagFile> = b.files.iter().collect();
    files.sort_by(|x, y| (canonical_rank(&x.rel), &x.rel).cmp(&(canonical_rank(&y.rel), &y.rel)));
    for f in files {
        if f.rel.starts_with(&sig_prefix) {
            let bytes = b
                .read_small(f, crate::keys::MAX_KEY_FILE)
                .map_err(|e| Error::io(output, "read a signature for", e))?;
            sigs.push((f.rel.clone(), bytes));
            continue;
        }
        let mut r = b
            .reader(f)
            .map_err(|e| Error::io(output, "read an entry for", e))?;
        // Announced, so that an entry of 4 GiB or more gets its zip64
        // sizes exactly as pack wrote them.
        zip.add_stream_sized(&format!("{root}/{}", f.rel), f.size, &mut r, &mut |_| {})
            .map_err(io)?;
    }
    sigs.sort_by(|a, b| a.0.cmp(&b.0));
    for (name, bytes) in sigs {
        zip.add_bytes(&format!("{root}/{name}"), &bytes)
            .map_err(io)?;
    }
    let mut w = zip.finish().map_err(io)?;
    w.flush().map_err(|e| Error::io(output, "write", e))?;
    drop(w);
    pending.commit()
}
