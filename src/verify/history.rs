//! Check 8, history (`--not-older-than`): the bundle is not older than, not
//! a fork of, and of the same lineage as a bundle the reader has already
//! seen and verified (docs/FORMAT.md §8). The front end verifies the
//! reference with the same keys; an unusable reference is its own verdict,
//! never a finding against the bundle's content.

use std::collections::BTreeSet;

use crate::manifest::BundleManifest;
use crate::report::{Severity, Verdict};

use super::run::Run;
use super::Reference;

/// Compares the verified bundle `m` (tag manifest `digest`) with the reference.
pub fn check(
    run: &mut Run<'_>,
    m: Option<&BundleManifest>,
    digest: Option<[u8; 32]>,
    reference: Option<&Reference>,
) {
    let Some(r) = reference else {
        run.skip("history", "not asked for (--not-older-than)");
        return;
    };
    let Some(m) = m else {
        run.skip("history", "docseal.json could not be read");
        return;
    };
    let path = Some(r.path.clone());
    let o = &r.verified;
    let Some(om) = o
        .manifest
        .as_ref()
        .filter(|_| o.report.verdict == Verdict::Valid)
    else {
        // Say why, or a missing file looks like a damaged one.
        let why = o
            .report
            .findings
            .first()
            .map(|x| format!(": [{}] {}", x.code, x.message))
            .unwrap_or_default();
        run.error(
            "history.reference-not-valid",
            path,
            format!(
                "the bundle to compare with is {}, so it cannot serve as a reference{why}",
                o.report.verdict.as_str()
            ),
        );
        return;
    };
    let (a, b) = (&m.bundle, &om.bundle);
    if a.identifier != b.identifier {
        run.error(
            "history.other-lineage",
            path,
            format!(
                "this bundle is of lineage {}, the reference of {}",
                a.identifier, b.identifier
            ),
        );
    } else if a.version < b.version {
        run.error(
            "history.rollback",
            path,
            format!(
                "this is version {}, older than the version {} you have seen",
                a.version, b.version
            ),
        );
    } else if a.version == b.version && digest != o.tagmanifest_sha256 {
        run.error(
            "history.fork",
            path,
            format!(
                "version {} exists with different content (two bundles claim the same version)",
                a.version
            ),
        );
    }
    let now: Vec<String> = run
        .signatures
        .iter()
        .filter(|s| s.status == crate::report::SignatureStatus::ValidTrusted)
        .map(|s| s.key_id.clone())
        .collect();
    let before: BTreeSet<String> = o.report.signers().into_iter().map(|s| s.key_id).collect();
    if let Some(msg) = signer_change(&before, &now) {
        let sev = if run.opts.same_signers {
            Severity::Error
        } else {
            Severity::Warning
        };
        run.push(sev, SIGNER_CHANGED, Some(r.path.clone()), msg);
    }
    run.ran("history");
}

/// The code of a version signed only by keys that signed no earlier version.
pub const SIGNER_CHANGED: &str = "history.signer-changed";

/// Why a version signed by `now` is a change of signer after versions
/// signed by `before` (every key that made a counting signature on an
/// earlier version, co-signatures included, so that a key rotation done as
/// the README describes stays clean); `None` when a known key signed.
pub fn signer_change(before: &BTreeSet<String>, now: &[String]) -> Option<String> {
    if before.is_empty() || now.is_empty() || now.iter().any(|k| before.contains(k)) {
        return None;
    }
    let list = |v: Vec<&String>| v.into_iter().cloned().collect::<Vec<_>>().join(", ");
    Some(format!(
        "signed only by {}, which signed no earlier version (earlier versions: {}); a change of signer that no earlier signer introduced by co-signing",
        list(now.iter().collect()),
        list(before.iter().collect())
    ))
}

/// The verdict a history finding code stands for.
pub fn verdict_of(code: &str) -> Option<Verdict> {
    Some(match code {
        "history.rollback" => Verdict::Rollback,
        "history.fork" => Verdict::Fork,
        "history.other-lineage" => Verdict::OtherLineage,
        "history.reference-not-valid" => Verdict::BadReference,
        SIGNER_CHANGED => Verdict::SignerChanged,
        _ => return None,
    })
}

/// What the history check covers, for the report.
pub const DETAIL: &str = "not older than, nor a fork of, the bundle given with --not-older-than";
