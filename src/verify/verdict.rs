//! The verdict, derived from the checks, and the report around it.
//!
//! Order of precedence: **invalid** when any content check (container, bag,
//! tag files, payload, manifest, citations) failed or could not run;
//! **untrusted** when the content is intact but fewer distinct trusted keys
//! than required made a valid signature binding it, whatever else its
//! signature files hold; then the history verdicts of `--not-older-than`
//! (rollback, fork, other lineage, bad reference); else **valid**.

use crate::bundle::{ContainerKind, OpenBundle};
use crate::escape::escape;
use crate::manifest::BundleManifest;
use crate::report::{
    Check, CheckState, Report, Severity, SignatureStatus, TrustedKeyReport, Verdict, AREAS,
    REPORT_FORMAT, REPORT_SCHEMA, REPORT_VERSION,
};

use super::run::Run;
use super::{bag, container, history, manifest, payload, signatures, tag_files};
use super::{Context, Verified};

/// Areas whose failure means the content itself is damaged or malformed.
const CONTENT: [&str; 6] = [
    "container",
    "bag",
    "tag-files",
    "payload",
    "manifest",
    "citations",
];
/// Content areas that may legitimately not run (a folder has no container; a bundle may cite nothing).
const MAY_NOT_RUN: [&str; 2] = ["container", "citations"];

/// Builds the report from a finished run.
pub fn finish(
    mut run: Run<'_>,
    ctx: &Context<'_>,
    bundle: Option<OpenBundle>,
    manifest: Option<BundleManifest>,
    digest: Option<[u8; 32]>,
) -> Verified {
    run.findings.sort_by_key(|f| f.severity);
    let checks: Vec<Check> = AREAS
        .iter()
        .map(|(area, _)| {
            let (status, reason) = run.state(area);
            Check {
                area,
                status,
                detail: detail(area, run.container, &run),
                reason,
            }
        })
        .collect();
    let verdict = derive(&checks, &run);
    let summary = summary(verdict, &run, &checks, manifest.as_ref());
    let not_checked =
        crate::verify_timestamps::not_checked(not_checked(run.container), &run.signatures);
    let report = Report {
        schema: REPORT_SCHEMA,
        format: REPORT_FORMAT,
        format_version: REPORT_VERSION,
        program: ctx.program.clone(),
        verified_at: ctx.verified_at.clone(),
        bundle: ctx.file.clone(),
        verdict,
        summary,
        container: run.container,
        threshold: run.opts.threshold.max(1),
        trusted_keys: run
            .opts
            .trusted
            .iter()
            .map(|t| TrustedKeyReport {
                key_id: t.key.key_id().to_string(),
                origin: t.origin.clone(),
                name: t.name.clone(),
            })
            .collect(),
        identity: manifest.as_ref().map(|m| m.bundle.clone()),
        base: manifest.as_ref().and_then(|m| m.base.clone()),
        signatures: run.signatures,
        files: run.files,
        citations: run.citations,
        checks,
        findings: run.findings,
        not_checked,
    };
    Verified {
        report,
        bundle,
        manifest,
        tagmanifest_sha256: digest,
    }
}

fn state<'c>(checks: &'c [Check], area: &str) -> Option<&'c Check> {
    checks.iter().find(|c| c.area == area)
}

fn derive(checks: &[Check], run: &Run<'_>) -> Verdict {
    let content_bad = CONTENT
        .iter()
        .any(|a| match state(checks, a).map(|c| c.status) {
            Some(CheckState::Passed) => false,
            Some(CheckState::NotRun) => !MAY_NOT_RUN.contains(a),
            _ => true,
        });
    if content_bad {
        return Verdict::Invalid;
    }
    if state(checks, "signatures").map(|c| c.status) != Some(CheckState::Passed) {
        return Verdict::Untrusted;
    }
    if !crate::verify_timestamps::requirement_met(run) {
        return Verdict::Untrusted;
    }
    run.findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .find_map(|f| history::verdict_of(&f.code))
        .unwrap_or(Verdict::Valid)
}

fn detail(area: &str, kind: Option<ContainerKind>, run: &Run<'_>) -> String {
    match area {
        "container" => container::detail(kind),
        "bag" => bag::DETAIL,
        "tag-files" => tag_files::DETAIL,
        "payload" => payload::DETAIL,
        "manifest" => manifest::DETAIL,
        "signatures" => signatures::DETAIL,
        "timestamps" => crate::verify_timestamps::DETAIL,
        "citations" if run.citations.is_empty() => "quotations stand in their sources",
        "citations" => "quotations stand in their sources where the manifest says",
        _ => history::DETAIL,
    }
    .to_owned()
}

/// The verdict in plain words: the first line of the text report.
fn summary(
    verdict: Verdict,
    run: &Run<'_>,
    checks: &[Check],
    m: Option<&BundleManifest>,
) -> String {
    let first_error = run
        .findings
        .iter()
        .find(|f| f.severity == Severity::Error)
        .map(|f| {
            let at = f
                .path
                .as_deref()
                .map(|p| format!("{p}: "))
                .unwrap_or_default();
            format!("{at}{}", f.message)
        });
    let errors = run
        .findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .count();
    match verdict {
        Verdict::Valid => format!("VALID — intact and signed by {}", signers(run)),
        Verdict::Invalid => {
            let container_failed =
                state(checks, "container").map(|c| c.status) == Some(CheckState::Failed);
            let first = first_error.unwrap_or_else(|| "a check could not run".to_owned());
            if container_failed && m.is_none() {
                format!("INVALID — not a readable docseal bundle: {first}")
            } else {
                let more = if errors > 1 {
                    format!(" (and {} more problems)", errors - 1)
                } else {
                    String::new()
                };
                format!("INVALID — damaged or altered: {first}{more}")
            }
        }
        Verdict::Untrusted => format!("UNTRUSTED — intact, but {}", untrusted_why(run)),
        Verdict::Rollback
        | Verdict::Fork
        | Verdict::OtherLineage
        | Verdict::BadReference
        | Verdict::SignerChanged => {
            let word = verdict.as_str().to_uppercase();
            let why = first_error.unwrap_or_default();
            format!("{word} — intact and signed by {}, but {why}", signers(run))
        }
    }
}

/// `docseal-publisher (3EF73066ECBC6105)`, for every counted signature.
fn signers(run: &Run<'_>) -> String {
    let names: Vec<String> = run
        .signatures
        .iter()
        .filter(|s| s.status == SignatureStatus::ValidTrusted)
        .map(|s| {
            let name = run
                .opts
                .trusted
                .iter()
                .find(|t| Some(&t.origin) == s.trusted_key.as_ref())
                .map_or("a trusted key", |t| t.name.as_str());
            format!("{name} ({})", s.key_id)
        })
        .collect();
    names.join(" and ")
}

/// Why an intact bundle is not trusted: who did sign, and which keys were given.
fn untrusted_why(run: &Run<'_>) -> String {
    let given: Vec<String> = run
        .opts
        .trusted
        .iter()
        .map(|t| format!("{} = {}", escape(&t.origin), t.key.key_id()))
        .collect();
    let given = if given.is_empty() {
        "you gave no key (--public-key, --keyring)".to_owned()
    } else {
        format!("you trust {}", given.join(", "))
    };
    let by_status = |st: SignatureStatus| -> Vec<&str> {
        run.signatures
            .iter()
            .filter(|s| s.status == st)
            .map(|s| s.key_id.as_str())
            .collect()
    };
    let counted = by_status(SignatureStatus::ValidTrusted);
    let bad_trusted: Vec<&str> = run
        .signatures
        .iter()
        .filter(|s| {
            s.status == SignatureStatus::Invalid
                && run
                    .opts
                    .trusted
                    .iter()
                    .any(|t| t.key.key_id().to_string() == s.key_id)
        })
        .map(|s| s.key_id.as_str())
        .collect();
    if let Some(why) = crate::verify_timestamps::untrusted_why(run) {
        return why;
    }
    let wrong_comment = by_status(SignatureStatus::WrongComment);
    let others: Vec<&str> = run
        .signatures
        .iter()
        .filter(|s| {
            matches!(
                s.status,
                SignatureStatus::ValidUntrusted | SignatureStatus::Unverifiable
            )
        })
        .map(|s| s.key_id.as_str())
        .collect();
    if !bad_trusted.is_empty() {
        format!(
            "the signature by your key {} does not verify (changed after signing, or a damaged signature file)",
            bad_trusted.join(", ")
        )
    } else if !wrong_comment.is_empty() {
        format!(
            "the signature by {} names another bundle in its trusted comment",
            wrong_comment.join(", ")
        )
    } else if !counted.is_empty() {
        format!(
            "signed by {} of the {} distinct trusted keys required",
            counted.len(),
            run.opts.threshold.max(1)
        )
    } else if !others.is_empty() {
        format!(
            "signed only by {}, not by a key you trust; {given}",
            others.join(", ")
        )
    } else {
        format!("it carries no valid signature; {given}")
    }
}

fn not_checked(container: Option<ContainerKind>) -> Vec<String> {
    let mut v = vec![
        "that a trusted key belongs to the person or organisation it is said to belong to".to_owned(),
        "that the sources are authentic copies of the originals (only that they are the bytes the signer packed)".to_owned(),
        "that this is the newest version of the bundle (use --not-older-than)".to_owned(),
        "the signing time (the created date is the signer's claim)".to_owned(),
    ];
    match container {
        Some(ContainerKind::Folder) => v.insert(
            0,
            "the zip container (an unpacked folder was verified)".to_owned(),
        ),
        Some(ContainerKind::RepackedZip) => v.insert(
            0,
            "the zip container's byte layout (--allow-repacked)".to_owned(),
        ),
        _ => {}
    }
    v
}
