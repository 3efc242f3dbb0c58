//! Verification results as data: findings with stable codes and positions,
//! per-area checks that each passed, failed or did not run, and a verdict
//! derived from them.
//!
//! A finding is a property of the bundle, not an error of the program. Each
//! has a stable code (`area.problem`, listed in docs/FORMAT.md), a severity,
//! where it is (file, line, column, byte offset, as far as known) and a
//! one-line message. A check is `passed` only when it ran to completion and
//! found nothing; one that could not run says why. The verdict is derived,
//! never set by hand (see [`Verdict`]). The JSON form is specified by
//! `docs/schema/verify-report.schema.json`; [`Report`]'s field order is the
//! document's key order.

use serde::Serialize;

use crate::bundle::ContainerKind;
use crate::error::exit;
use crate::manifest::Identity;

pub use crate::escape::escape;

/// Name of the JSON report format.
pub const REPORT_FORMAT: &str = "docseal-verify-report";
/// Version of the JSON report format (2: check states, locations, provenance of the run).
pub const REPORT_VERSION: u32 = 2;
/// The `$id` of the report's JSON Schema (docs/schema/verify-report.schema.json).
pub const REPORT_SCHEMA: &str = "urn:docseal:schema:verify-report:2";

/// How bad a finding is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The bundle is invalid (content findings) or the check failed.
    Error,
    /// Worth a reader's attention; does not by itself change the verdict.
    Warning,
    /// For the record.
    Info,
}

/// Where in a file a finding is, as far as it is known.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Position {
    /// 1-based line.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u64>,
    /// 1-based column, in Unicode code points.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<u64>,
    /// 0-based byte offset into the file.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub offset: Option<u64>,
}

/// One observation about the bundle.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// Stable code, `area.problem`.
    pub code: String,
    /// How bad it is.
    pub severity: Severity,
    /// The bag-relative file concerned (or the file as named, for inputs
    /// other than the bundle), if any.
    #[serde(rename = "file", skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// Where in that file, when known.
    #[serde(flatten)]
    pub position: Position,
    /// One-line explanation.
    pub message: String,
}

impl Finding {
    /// A finding without a position.
    pub fn new(
        severity: Severity,
        code: &str,
        path: Option<String>,
        message: impl Into<String>,
    ) -> Finding {
        Finding {
            code: code.to_owned(),
            severity,
            path,
            position: Position::default(),
            message: message.into(),
        }
    }
}

/// The verdict, from the checks: the first that applies of
/// invalid (the content is damaged or malformed), untrusted (intact, but not
/// signed by enough keys the reader trusts, whatever else its signature files
/// hold), the rollback verdicts of `--not-older-than`, and valid.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    /// Intact, canonical (unless repacked was allowed) and signed by enough trusted keys.
    Valid,
    /// Intact, but not signed by enough keys the user trusts.
    Untrusted,
    /// Damaged, altered or malformed content.
    Invalid,
    /// Valid, but older than the version given with `--not-older-than`.
    Rollback,
    /// Valid, but another bundle with different content claims the same version.
    Fork,
    /// Valid, but of another lineage than the bundle given with `--not-older-than`.
    OtherLineage,
    /// The bundle given with `--not-older-than` could not serve as a reference.
    BadReference,
    /// Valid, but signed only by keys that signed no earlier version (with `--same-signers`).
    SignerChanged,
}

impl Verdict {
    /// The documented exit code for this verdict.
    pub fn exit_code(self) -> i32 {
        match self {
            Verdict::Valid => exit::OK,
            Verdict::Untrusted => exit::UNTRUSTED,
            Verdict::Invalid
            | Verdict::Rollback
            | Verdict::Fork
            | Verdict::OtherLineage
            | Verdict::SignerChanged => exit::REJECTED,
            Verdict::BadReference => exit::BAD_INPUT,
        }
    }

    /// The verdict's word, as in `data-verdict` and the JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Valid => "valid",
            Verdict::Untrusted => "untrusted",
            Verdict::Invalid => "invalid",
            Verdict::Rollback => "rollback",
            Verdict::Fork => "fork",
            Verdict::OtherLineage => "other-lineage",
            Verdict::BadReference => "bad-reference",
            Verdict::SignerChanged => "signer-changed",
        }
    }
}

/// The state of one signature.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SignatureStatus {
    /// Valid, by a key the user trusts, and binding this bundle's identity: it counts.
    ValidTrusted,
    /// Valid by the public key shipped in the bundle, which nobody trusts.
    ValidUntrusted,
    /// Does not verify.
    Invalid,
    /// By an unknown key with no public key in the bundle: cannot be checked.
    Unverifiable,
    /// Valid by a trusted key, but its trusted comment names another bundle: it does not count.
    WrongComment,
}

/// One signature of the bundle.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SignatureReport {
    /// The signature file, bag-relative.
    pub file: String,
    /// The signer's key id (16 hex digits) as the signature states it.
    pub key_id: String,
    /// Its state.
    pub status: SignatureStatus,
    /// Where the trusted key that verified it came from, when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub trusted_key: Option<String>,
    /// The signed trusted comment (authentic only when the status is valid).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub trusted_comment: Option<String>,
    /// Its RFC 3161 timestamps (docs/FORMAT.md §7), in file order.
    pub timestamps: Vec<crate::timestamp::TokenReport>,
}

/// A key the reader trusted for this run.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TrustedKeyReport {
    /// Key id, 16 hex digits.
    pub key_id: String,
    /// Where it came from (a file as named, `inline (-P)`, a pinned key).
    pub origin: String,
    /// A short name for people, e.g. `docseal-publisher`.
    pub name: String,
}

/// A key that made a signature that counts, for people.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Signer {
    /// Key id, 16 hex digits.
    pub key_id: String,
    /// The trusted key's short name.
    pub name: String,
}

/// One payload file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FileReport {
    /// Bag-relative path.
    pub path: String,
    /// Role from the manifest.
    pub role: String,
    /// Size in bytes from the manifest.
    pub size: u64,
    /// SHA-256 from the manifest.
    pub sha256: String,
    /// Title from the manifest.
    pub title: String,
    /// Whether its bytes were read and matched both manifests.
    pub ok: bool,
}

/// One citation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CitationReport {
    /// Citation id.
    pub id: String,
    /// Source id.
    pub source: String,
    /// Locator in the source, e.g. "Article 43".
    #[serde(skip_serializing_if = "Option::is_none")]
    pub locator: Option<String>,
    /// Whether the quotation stands where the manifest says.
    pub ok: bool,
}

/// What became of one check.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum CheckState {
    /// Ran to completion and found nothing wrong.
    Passed,
    /// Ran and found a problem (see the findings of its area).
    Failed,
    /// Did not run; `reason` says why.
    NotRun,
}

impl CheckState {
    /// The state's word, as in the JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            CheckState::Passed => "passed",
            CheckState::Failed => "failed",
            CheckState::NotRun => "not-run",
        }
    }
}

/// One area of checks, in a fixed order ([`AREAS`]).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Check {
    /// Area name, one of [`AREAS`].
    pub area: &'static str,
    /// Passed, failed or not run.
    pub status: CheckState,
    /// What the check covers (or covered), in a few words.
    pub detail: String,
    /// Why it did not run, or how it failed, in a few words.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// The program that wrote the report.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Program {
    /// `docseal` for the command line, `docseal-web` for the page.
    pub name: String,
    /// Its version.
    pub version: String,
}

impl Default for Program {
    fn default() -> Self {
        Program {
            name: "docseal".to_owned(),
            version: env!("CARGO_PKG_VERSION").to_owned(),
        }
    }
}

/// The bundle file as given.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct BundleFile {
    /// As named on the command line (or the file's name in the page).
    pub path: String,
    /// SHA-256 of the file's bytes (zips only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sha256: Option<String>,
    /// Its size in bytes (zips only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub size: Option<u64>,
}

/// The result of verifying a bundle.
#[derive(Clone, Debug, Serialize)]
pub struct Report {
    /// Always [`REPORT_SCHEMA`].
    pub schema: &'static str,
    /// Always [`REPORT_FORMAT`].
    pub format: &'static str,
    /// Always [`REPORT_VERSION`].
    pub format_version: u32,
    /// Who wrote this report.
    pub program: Program,
    /// When the verification ran (RFC 3339 UTC), when the front end has a clock.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub verified_at: Option<String>,
    /// The bundle as given.
    pub bundle: BundleFile,
    /// The verdict.
    pub verdict: Verdict,
    /// The verdict in plain words (the first line of the text report).
    pub summary: String,
    /// How the container was read, if it could be.
    pub container: Option<ContainerKind>,
    /// Trusted signatures required (distinct keys).
    pub threshold: usize,
    /// Keys trusted for this run.
    pub trusted_keys: Vec<TrustedKeyReport>,
    /// The bundle's identity (from its manifest, once the manifest was found intact).
    pub identity: Option<Identity>,
    /// For an archivist's notes bundle: the bundle the notes are about.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub base: Option<crate::manifest::BaseRef>,
    /// Every signature.
    pub signatures: Vec<SignatureReport>,
    /// Every payload file (when the payload check ran).
    pub files: Vec<FileReport>,
    /// Every citation.
    pub citations: Vec<CitationReport>,
    /// Area-by-area states.
    pub checks: Vec<Check>,
    /// Everything observed, errors first.
    pub findings: Vec<Finding>,
    /// What a valid verdict does not establish.
    pub not_checked: Vec<String>,
}

/// The check areas in report order, with the finding-code prefixes that belong to each.
pub const AREAS: [(&str, &[&str]); 9] = [
    ("container", &["zip.", "io."]),
    ("bag", &["bag."]),
    ("tag-files", &["tag."]),
    ("payload", &["payload."]),
    ("manifest", &["manifest."]),
    ("signatures", &["signature."]),
    ("timestamps", &["timestamp."]),
    ("citations", &["citation.", "text."]),
    ("history", &["history."]),
];

/// The area a finding code belongs to.
pub fn area_of(code: &str) -> Option<&'static str> {
    AREAS
        .iter()
        .find(|(_, prefixes)| prefixes.iter().any(|p| code.starts_with(p)))
        .map(|(a, _)| *a)
}

impl Report {
    /// Whether any error finding exists.
    pub fn has_errors(&self) -> bool {
        self.findings.iter().any(|f| f.severity == Severity::Error)
    }

    /// The signers whose signatures count (valid, trusted, binding this bundle).
    pub fn signers(&self) -> Vec<Signer> {
        let mut v: Vec<Signer> = self
            .signatures
            .iter()
            .filter(|s| s.status == SignatureStatus::ValidTrusted)
            .map(|s| Signer {
                key_id: s.key_id.clone(),
                name: self
                    .trusted_keys
                    .iter()
                    .find(|t| Some(&t.origin) == s.trusted_key.as_ref())
                    .map_or_else(|| format!("key {}", s.key_id), |t| t.name.clone()),
            })
            .collect();
        v.sort();
        v.dedup();
        v
    }

    /// The check of `area`, if the report has one.
    pub fn check(&self, area: &str) -> Option<&Check> {
        self.checks.iter().find(|c| c.area == area)
    }

    /// The JSON document (one object, a trailing newline).
    pub fn to_json(&self) -> String {
        crate::escape::to_json_pretty(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_verdict_has_its_documented_exit_code() {
        for (v, code, word) in [
            (Verdict::Valid, 0, "valid"),
            (Verdict::Invalid, 1, "invalid"),
            (Verdict::Untrusted, 3, "untrusted"),
            (Verdict::Rollback, 1, "rollback"),
            (Verdict::Fork, 1, "fork"),
            (Verdict::OtherLineage, 1, "other-lineage"),
            (Verdict::BadReference, 4, "bad-reference"),
            (Verdict::SignerChanged, 1, "signer-changed"),
        ] {
            assert_eq!(v.exit_code(), code, "{v:?}");
            assert_eq!(v.as_str(), word);
            assert_eq!(serde_json::to_value(v).unwrap(), word);
        }
    }

    #[test]
    fn codes_belong_to_their_areas() {
        for (code, area) in [
            ("zip.crc-mismatch", Some("container")),
            ("bag.bad-name", Some("bag")),
            ("signature.invalid", Some("signatures")),
            ("text.confusable", Some("citations")),
            ("history.rollback", Some("history")),
            ("keyring.skipped", None),
        ] {
            assert_eq!(area_of(code), area, "{code}");
        }
    }

    #[test]
    fn findings_serialise_their_location_as_flat_fields() {
        let mut f = Finding::new(Severity::Error, "x.y", Some("data/a.txt".into()), "m");
        f.position = Position {
            line: Some(3),
            column: Some(7),
            offset: Some(40),
        };
        let v = serde_json::to_value(&f).unwrap();
        assert_eq!(
            v,
            serde_json::json!({"code": "x.y", "severity": "error", "file": "data/a.txt",
                "line": 3, "column": 7, "offset": 40, "message": "m"})
        );
    }
}
