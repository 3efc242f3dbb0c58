//! `verify`: the reader's question — is this exactly what the signer
//! published, and do its quotes match its sources?
//!
//! The core ([`verify_opened`]) works on an [`OpenBundle`] over any
//! random-access source and needs no file system, threads or clock, so the
//! same code runs in the command line and, compiled to WebAssembly, in the
//! browser. One file per check, in the report's order: [`container`],
//! [`bag`], [`tag_files`], [`payload`], [`manifest`], [`signatures`],
//! citations (`crate::verify_citations`), [`history`]. Each records into a
//! [`run::Run`] what it found and whether it ran to completion; a check that
//! could not run says why, and none is shown as passed unless it ran
//! ([`run`]). The verdict and its plain words come from [`verdict`].
//!
//! Nothing here returns an error for a bad bundle: a bad bundle is an
//! answer. Only the file-system front end ([`verify`], with the `cli`
//! feature) fails, when the path cannot be read at all.

mod added;
pub mod bag;
pub mod container;
pub mod history;
pub mod manifest;
pub mod notes;
pub mod payload;
pub mod run;
pub mod signatures;
pub mod tag_files;
pub mod tolerated;
pub mod verdict;

#[cfg(feature = "cli")]
mod files;

#[cfg(feature = "cli")]
pub use files::{bundle_file, verify, verify_beside};

use sha2::{Digest, Sha256};

use crate::bundle::{OpenBundle, OpenError};
use crate::container::{Limits, Source};
use crate::manifest::BundleManifest;
use crate::minisign::PublicKey;
use crate::progress::Progress;
use crate::report::{BundleFile, Program, Report};

/// A public key the user trusts, with where it came from (for the report).
#[derive(Clone, Debug)]
pub struct TrustedKey {
    /// The key.
    pub key: PublicKey,
    /// Where it came from, as the user named it (a file, `inline (-P)`, a pinned key).
    pub origin: String,
    /// A short name for people (e.g. the file name without `.pub` and key id).
    pub name: String,
}

impl TrustedKey {
    /// A key from the file `origin`, named after the file.
    pub fn from_file(key: PublicKey, origin: &str) -> TrustedKey {
        TrustedKey {
            name: name_from_origin(origin, &key.key_id().to_string()),
            key,
            origin: origin.to_owned(),
        }
    }
}

/// `keys/docseal-publisher-3EF73066ECBC6105.pub` → `docseal-publisher`.
fn name_from_origin(origin: &str, id: &str) -> String {
    let file = origin.rsplit(['/', '\\']).next().unwrap_or(origin);
    let stem = file.strip_suffix(".pub").unwrap_or(file);
    let stem = stem
        .strip_suffix(id)
        .map(|s| s.trim_end_matches(['-', '_', '.']))
        .unwrap_or(stem);
    if stem.is_empty() {
        format!("key {id}")
    } else {
        stem.to_owned()
    }
}

/// How to verify.
#[derive(Clone, Debug)]
pub struct VerifyOptions {
    /// Keys the user trusts. Keys inside the bundle are never trusted.
    pub trusted: Vec<TrustedKey>,
    /// How many distinct trusted keys must have signed (at least 1).
    pub threshold: usize,
    /// Accept a re-zipped bundle whose content and signatures verify.
    pub allow_repacked: bool,
    /// Resource limits for reading the container.
    pub limits: Limits,
    /// Fail when the bundle is older than, or of another lineage than, this one.
    pub not_older_than: Option<std::path::PathBuf>,
    /// Make a change of signer across versions fatal (else a warning).
    pub same_signers: bool,
    /// Pinned TSA certificates, and whether a trusted timestamp is required.
    pub timestamps: crate::timestamp::TsaTrust,
    /// Findings about the verifier's own inputs, carried into the report:
    /// a keyring file skipped (`key.keyring-skipped`), a key file read with
    /// a tolerance (`key.tolerated`).
    pub input_findings: Vec<crate::report::Finding>,
}

impl Default for VerifyOptions {
    fn default() -> Self {
        VerifyOptions {
            trusted: Vec::new(),
            threshold: 1,
            allow_repacked: false,
            limits: Limits::default(),
            not_older_than: None,
            same_signers: false,
            timestamps: Default::default(),
            input_findings: Vec::new(),
        }
    }
}

/// What verification established, for callers that go on to use the bundle (extract, history).
pub struct Verified {
    /// The report.
    pub report: Report,
    /// The opened bundle, when it could be opened.
    pub bundle: Option<OpenBundle>,
    /// The parsed manifest, when it was found intact.
    pub manifest: Option<BundleManifest>,
    /// SHA-256 of the tag manifest (the bundle's content digest), when present.
    pub tagmanifest_sha256: Option<[u8; 32]>,
}

/// A bundle verified beside the one being verified: the reference of
/// `--not-older-than`, or the base of an archivist's notes bundle.
pub struct Reference {
    /// As named.
    pub path: String,
    /// Its verification.
    pub verified: Verified,
}

/// Everything a front end tells the core besides the bundle itself.
pub struct Context<'a> {
    /// The bundle file as given (path, and digest and size for zips).
    pub file: BundleFile,
    /// Who is verifying.
    pub program: Program,
    /// When, if the front end has a clock.
    pub verified_at: Option<String>,
    /// The verified reference bundle of `--not-older-than`, if one was given.
    pub reference: Option<&'a Reference>,
    /// For an archivist's notes bundle: the verified bundle the notes are
    /// about (`--base`, `--with`), if one was given.
    pub base: Option<&'a Reference>,
    /// Progress of the payload check.
    pub progress: &'a dyn Progress,
    /// The strict reader refused the zip but the lenient one reads it: it
    /// was re-zipped by another tool (the report says how to check it).
    pub rezipped: bool,
    /// The bundle is an unpacked folder (it has no zip container).
    pub folder: bool,
}

/// Verifies a zip given as any random-access source (the browser's entry
/// point); `ctx.rezipped` is worked out here.
pub fn verify_source(
    source: std::sync::Arc<dyn Source>,
    ctx: &mut Context<'_>,
    opts: &VerifyOptions,
) -> Verified {
    let opened = OpenBundle::from_source(source.clone(), opts.allow_repacked, &opts.limits);
    ctx.rezipped = matches!(&opened, Err(e) if rezip_candidate(e, opts))
        && OpenBundle::from_source(source, true, &opts.limits).is_ok();
    verify_opened(opened, ctx, opts)
}

/// Whether a strict refusal may be a re-zip worth a second, lenient look.
pub fn rezip_candidate(e: &OpenError, opts: &VerifyOptions) -> bool {
    !opts.allow_repacked && e.code.starts_with("zip.")
}

/// The core: every check over an opened bundle (or the reason it could not
/// be opened), in order, and the report.
pub fn verify_opened(
    opened: Result<OpenBundle, OpenError>,
    ctx: &Context<'_>,
    opts: &VerifyOptions,
) -> Verified {
    let mut run = run::Run::new(opts);
    let mut bundle = match opened {
        Ok(b) => b,
        Err(e) => {
            container::open_failed(&mut run, e, ctx);
            history::check(&mut run, None, None, ctx.reference);
            return verdict::finish(run, ctx, None, None, None);
        }
    };
    run.container = Some(bundle.kind);
    tolerated::opened(&mut run, &bundle);
    let mut inv = bag::inventory(&mut run, &bundle);
    container::check_order(&mut run, &bundle, &inv);
    let tags = tag_files::read(&mut run, &bundle, &inv);
    let manifest = manifest::check(&mut run, &tags);
    if let Some(m) = &manifest {
        tolerated::name_root(&mut run, &mut bundle, m);
        bag::check_root(&mut run, &bundle, m);
    }
    let leave_out = tolerated::settle(&mut run, &bundle, &mut inv, manifest.as_ref());
    run.ran("bag");
    signatures::check(&mut run, &bundle, &inv, &tags, manifest.as_ref());
    crate::verify_timestamps::check(&mut run, &bundle, &inv.signatures);
    payload::check(&mut run, &bundle, &inv, manifest.as_ref(), ctx.progress);
    match &manifest {
        None => run.skip("citations", "docseal.json could not be read"),
        Some(m) if m.base.is_some() => {
            if let Some(named) = &m.base {
                notes::check(&mut run, m, named, ctx.base);
            }
        }
        Some(m) => {
            // Also scans the statement for look-alike characters, cited or not.
            crate::verify_citations::check(&mut run.findings, &mut run.citations, &bundle, m);
            if m.citations.is_empty() {
                run.skip("citations", "the bundle has no citations");
            } else {
                run.ran("citations");
            }
        }
    }
    let digest: Option<[u8; 32]> = tags.tagmanifest.as_ref().map(|b| Sha256::digest(b).into());
    history::check(&mut run, manifest.as_ref(), digest, ctx.reference);
    bundle.leave_out(&leave_out);
    verdict::finish(run, ctx, Some(bundle), manifest, digest)
}

/// SHA-256 and length of a whole source, read in 64 KiB pieces.
pub fn source_digest(
    src: &dyn Source,
    progress: &dyn Progress,
) -> std::io::Result<([u8; 32], u64)> {
    let len = src.len()?;
    let mut h = Sha256::new();
    let mut buf = vec![0u8; 64 * 1024];
    let mut at = 0u64;
    while at < len {
        let n = src.read_at(&mut buf, at)?;
        let Some(chunk) = buf.get(..n).filter(|c| !c.is_empty()) else {
            break;
        };
        h.update(chunk);
        progress.advance(n as u64);
        at += n as u64;
    }
    Ok((h.finalize().into(), at))
}

#[cfg(test)]
mod tests {
    use super::name_from_origin;

    #[test]
    fn key_names_come_from_their_files() {
        let id = "3EF73066ECBC6105";
        for (origin, name) in [
            (
                "keys/docseal-publisher-3EF73066ECBC6105.pub",
                "docseal-publisher",
            ),
            ("C:\\keys\\alice.pub", "alice"),
            ("3EF73066ECBC6105.pub", "key 3EF73066ECBC6105"),
            ("inline (-P)", "inline (-P)"),
        ] {
            assert_eq!(name_from_origin(origin, id), name, "{origin}");
        }
    }
}
