//! The citation check of an archivist's notes bundle (`docseal annotate`,
//! docs/FORMAT.md §11): its citations address the files of another bundle,
//! its *base*, so they can be checked only beside it.
//!
//! Invariant: the notes' citations are checked only against a base whose
//! tag-manifest digest, identifier and version are the ones the notes
//! name, and whose content verified; a base that does not match is a
//! `manifest.base-mismatch` error (the notes are not about it), and
//! without a base the check does not run and says why.

use crate::manifest::{hex, BaseRef, BundleManifest};
use crate::report::Verdict;

use super::run::Run;
use super::Reference;

/// The finding of a base that is not the one the notes name.
pub const BASE_MISMATCH: &str = "manifest.base-mismatch";

/// Checks the notes `m` (which has a base) against `base`, when given.
pub fn check(run: &mut Run<'_>, m: &BundleManifest, named: &BaseRef, base: Option<&Reference>) {
    let Some(base) = base else {
        run.skip(
            "citations",
            format!(
                "an archivist's notes bundle: its citations address {} version {}, checked only with --base",
                named.identifier, named.version
            ),
        );
        return;
    };
    let v = &base.verified;
    let got = v.tagmanifest_sha256.map(|d| hex(&d));
    let identity = v.manifest.as_ref().map(|b| &b.bundle);
    let same = got.as_deref() == Some(named.tagmanifest_sha256.as_str())
        && identity.is_some_and(|i| i.identifier == named.identifier && i.version == named.version);
    if !same {
        let given = match (identity, &got) {
            (Some(i), Some(d)) => format!(
                "{} version {} (tag manifest {})",
                i.identifier,
                i.version,
                short(d)
            ),
            _ => "a bundle that cannot be read".to_owned(),
        };
        let msg = format!(
            "the notes are about {} version {} (tag manifest {}), but the base given, {}, is {given}",
            named.identifier,
            named.version,
            short(&named.tagmanifest_sha256),
            crate::escape::escape(&base.path),
        );
        run.error(BASE_MISMATCH, Some("docseal.json".into()), msg);
        run.skip(
            "citations",
            "the base given is not the bundle the notes are about",
        );
        return;
    }
    let (Some(b), Some(bm)) = (&v.bundle, &v.manifest) else {
        run.skip("citations", "the base bundle could not be read");
        return;
    };
    if v.report.verdict == Verdict::Invalid {
        run.skip("citations", "the base bundle does not verify");
        return;
    }
    crate::verify_citations::check_notes(&mut run.findings, &mut run.citations, b, bm, m);
    run.ran("citations");
}

/// The first 16 hex digits of a digest, enough to tell two apart by eye.
fn short(hex: &str) -> &str {
    hex.get(..16).unwrap_or(hex)
}
