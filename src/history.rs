//! Versions: the `history` of a lineage and the rollback check of
//! `verify --not-older-than`.
//!
//! Each version of a bundle carries, under its signature, the lineage
//! identifier, its version number and (from version 2) the SHA-256 of the
//! previous version's tag manifest. A chain is sound when every bundle
//! verifies, all share the identifier, versions are consecutive, and each
//! `supersedes` names exactly the previous bundle.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::error::Result;
use crate::manifest::{self, BundleManifest};
use crate::progress::Silent;
use crate::report::{Finding, Severity, Signer, Verdict};
use crate::verify::{self, Verified, VerifyOptions};

/// The `$id` of the history's JSON Schema (docs/schema/history-report.schema.json).
pub const HISTORY_SCHEMA: &str = "urn:docseal:schema:history-report:2";

/// One version in a history.
#[derive(Clone, Debug, Serialize)]
pub struct VersionInfo {
    /// The bundle as named.
    pub bundle: String,
    /// Its verdict.
    pub verdict: Verdict,
    /// Lineage identifier.
    pub identifier: Option<String>,
    /// Version number.
    pub version: Option<u64>,
    /// Pack time.
    pub created: Option<String>,
    /// SHA-256 of its tag manifest.
    pub tagmanifest_sha256: Option<String>,
    /// Who signed it (valid signatures by trusted keys).
    pub signers: Vec<Signer>,
    /// Whether it is signed only by keys that signed no earlier version.
    pub signer_changed: bool,
    /// Its earliest trusted RFC 3161 timestamp (RFC 3339), when it has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timestamped: Option<String>,
}

/// What changed between two consecutive versions.
#[derive(Clone, Debug, Serialize)]
pub struct Change {
    /// Older version number.
    pub from: u64,
    /// Newer version number.
    pub to: u64,
    /// Payload files only in the newer version.
    pub added: Vec<String>,
    /// Payload files only in the older version.
    pub removed: Vec<String>,
    /// Payload files whose SHA-256 changed.
    pub changed: Vec<String>,
    /// Word-level diff of the statement's text, when it changed: each
    /// changed passage in its context, `[-removed-]` and `{+added+}`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub statement_diff: Option<String>,
}

/// The result of checking a lineage.
#[derive(Clone, Debug, Serialize)]
pub struct History {
    /// Always [`HISTORY_SCHEMA`].
    pub schema: &'static str,
    /// "docseal-history".
    pub format: &'static str,
    /// 1.
    pub format_version: u32,
    /// Whether every version verified and the chain is sound.
    pub ok: bool,
    /// The versions, oldest first.
    pub versions: Vec<VersionInfo>,
    /// Changes between consecutive versions.
    pub changes: Vec<Change>,
    /// Problems with the chain or a version.
    pub findings: Vec<Finding>,
}

impl History {
    /// The verdict of the whole lineage: invalid when a version is invalid
    /// or the chain is broken; untrusted when the chain is sound and every
    /// version intact but some are not signed by enough trusted keys (the
    /// same distinction, and exit code, as `verify`'s); else valid.
    pub fn verdict(&self) -> Verdict {
        if self.ok {
            return Verdict::Valid;
        }
        let chain_sound = self
            .findings
            .iter()
            .all(|f| f.code == NOT_VALID || f.severity != Severity::Error);
        let intact = self.versions.iter().all(|v| v.verdict != Verdict::Invalid);
        if chain_sound && intact {
            Verdict::Untrusted
        } else {
            Verdict::Invalid
        }
    }
}

/// The finding of a version that does not verify by itself.
const NOT_VALID: &str = "history.not-valid";

/// Verifies each bundle and the chain they form.
pub fn history(paths: &[PathBuf], opts: &VerifyOptions) -> Result<History> {
    let mut all: Vec<(PathBuf, Verified)> = paths
        .iter()
        .map(|p| Ok((p.clone(), verify::verify(p, opts, &Silent)?)))
        .collect::<Result<_>>()?;
    all.sort_by_key(|(_, v)| {
        let version = v.manifest.as_ref().map_or(0, |m| m.bundle.version);
        let trusted = crate::timestamp::history::trusted_time(&v.report.signatures);
        crate::timestamp::history::order_key(version, trusted)
    });
    let mut findings = Vec::new();
    let mut err = |code: &str, path: &Path, message: String| {
        findings.push(Finding::new(
            Severity::Error,
            code,
            Some(path.display().to_string()),
            message,
        ))
    };
    for (p, v) in &all {
        if v.report.verdict != Verdict::Valid {
            err(
                NOT_VALID,
                p,
                format!("does not verify ({:?})", v.report.verdict).to_lowercase(),
            );
        }
    }
    let mut changes = Vec::new();
    for pair in all.windows(2) {
        let [(pa, a), (pb, b)] = pair else { continue };
        let (Some(ma), Some(mb)) = (&a.manifest, &b.manifest) else {
            continue;
        };
        if let Some((code, msg)) = link_problem(ma, a.tagmanifest_sha256, mb) {
            err(code, pb, msg);
        }
        changes.push(change(pa, a, ma, b, mb));
    }
    let mut versions: Vec<VersionInfo> = all
        .iter()
        .map(|(p, v)| VersionInfo {
            bundle: p.display().to_string(),
            verdict: v.report.verdict,
            identifier: v.manifest.as_ref().map(|m| m.bundle.identifier.clone()),
            version: v.manifest.as_ref().map(|m| m.bundle.version),
            created: v.manifest.as_ref().map(|m| m.bundle.created.clone()),
            tagmanifest_sha256: v.tagmanifest_sha256.map(|d| manifest::hex(&d)),
            signers: v.report.signers(),
            signer_changed: false,
            timestamped: crate::timestamp::history::trusted_time(&v.report.signatures)
                .map(crate::time::rfc3339),
        })
        .collect();
    mark_signer_changes(&mut versions, opts.same_signers, &mut findings);
    // Trusted times that run backwards across versions are worth a warning.
    let times: Vec<(String, u64, Option<u64>)> = all
        .iter()
        .map(|(p, v)| {
            let version = v.manifest.as_ref().map_or(0, |m| m.bundle.version);
            let t = crate::timestamp::history::trusted_time(&v.report.signatures);
            (p.display().to_string(), version, t)
        })
        .collect();
    let refs: Vec<(&str, u64, Option<u64>)> =
        times.iter().map(|(b, n, t)| (b.as_str(), *n, *t)).collect();
    findings.extend(crate::timestamp::history::order_findings(&refs));
    Ok(History {
        schema: HISTORY_SCHEMA,
        format: "docseal-history",
        format_version: 2,
        ok: !findings.iter().any(|f| f.severity == Severity::Error),
        versions,
        changes,
        findings,
    })
}

/// Marks each version signed only by keys that signed no earlier version
/// (co-signatures count, so a rotation announced by co-signing stays clean).
fn mark_signer_changes(versions: &mut [VersionInfo], fatal: bool, findings: &mut Vec<Finding>) {
    let mut known = std::collections::BTreeSet::new();
    for v in versions.iter_mut() {
        let now: Vec<String> = v.signers.iter().map(|s| s.key_id.clone()).collect();
        if let Some(msg) = crate::verify::history::signer_change(&known, &now) {
            v.signer_changed = true;
            let sev = if fatal {
                Severity::Error
            } else {
                Severity::Warning
            };
            findings.push(Finding::new(
                sev,
                crate::verify::history::SIGNER_CHANGED,
                Some(v.bundle.clone()),
                msg,
            ));
        }
        known.extend(now);
    }
}

/// Why `new` is not the direct successor of `old` (with tag-manifest digest `old_digest`).
pub fn link_problem(
    old: &BundleManifest,
    old_digest: Option<[u8; 32]>,
    new: &BundleManifest,
) -> Option<(&'static str, String)> {
    let (o, n) = (&old.bundle, &new.bundle);
    if o.identifier != n.identifier {
        return Some((
            "history.other-lineage",
            format!(
                "identifier {} is not the lineage's {}",
                n.identifier, o.identifier
            ),
        ));
    }
    if n.version != o.version + 1 {
        let code = if n.version == o.version {
            "history.duplicate-version"
        } else {
            "history.version-gap"
        };
        return Some((
            code,
            format!(
                "version {} does not follow version {}",
                n.version, o.version
            ),
        ));
    }
    let Some(s) = &n.supersedes else {
        return Some((
            "history.missing-link",
            format!(
                "version {} does not name the version it supersedes",
                n.version
            ),
        ));
    };
    let digest = old_digest.map(|d| manifest::hex(&d)).unwrap_or_default();
    if s.version != o.version || s.tagmanifest_sha256 != digest {
        return Some(("history.supersedes-mismatch", format!("version {} supersedes a bundle with tag manifest {}, not this version {} ({digest})", n.version, s.tagmanifest_sha256, o.version)));
    }
    None
}

fn change(
    _pa: &Path,
    a: &Verified,
    ma: &BundleManifest,
    b: &Verified,
    mb: &BundleManifest,
) -> Change {
    let fa: BTreeMap<&str, &str> = ma
        .files
        .iter()
        .map(|f| (f.path.as_str(), f.sha256.as_str()))
        .collect();
    let fb: BTreeMap<&str, &str> = mb
        .files
        .iter()
        .map(|f| (f.path.as_str(), f.sha256.as_str()))
        .collect();
    let added = fb
        .keys()
        .filter(|k| !fa.contains_key(*k))
        .map(|k| (*k).to_owned())
        .collect();
    let removed = fa
        .keys()
        .filter(|k| !fb.contains_key(*k))
        .map(|k| (*k).to_owned())
        .collect();
    let changed = fa
        .iter()
        .filter(|(k, h)| fb.get(*k).is_some_and(|hb| hb != *h))
        .map(|(k, _)| (*k).to_owned())
        .collect();
    let old = statement_text(a, ma);
    let new = statement_text(b, mb);
    let statement_diff = match (old, new) {
        (Some(o), Some(n)) if o != n => Some(crate::worddiff::word_diff(&o, &n)),
        _ => None,
    };
    Change {
        from: ma.bundle.version,
        to: mb.bundle.version,
        added,
        removed,
        changed,
        statement_diff,
    }
}

fn statement_text(v: &Verified, m: &BundleManifest) -> Option<String> {
    let b = v.bundle.as_ref()?;
    let f = b.find(&m.statement.as_ref()?.path)?;
    String::from_utf8(b.read_small(f, 64 << 20).ok()?).ok()
}
