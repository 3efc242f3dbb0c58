//! Verification results as data: findings with stable codes, per-area
//! checks, a three-state verdict, and the rendering of all that for humans.
//!
//! A finding is a property of the bundle, not an error of the program. Each
//! has a stable code (`area.problem`, listed in docs/FORMAT.md), a severity,
//! the file it concerns and a one-line message. The verdict is derived,
//! never set by hand: any error finding makes the bundle invalid; an intact
//! bundle without enough trusted signatures is untrusted.

use serde::Serialize;

use crate::bundle::ContainerKind;
use crate::error::exit;
use crate::manifest::Identity;

/// Name of the JSON report format.
pub const REPORT_FORMAT: &str = "docseal-verify-report";
/// Version of the JSON report format.
pub const REPORT_VERSION: u32 = 1;

/// How bad a finding is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The bundle is invalid.
    Error,
    /// Worth a reader's attention; does not change the verdict.
    Warning,
    /// For the record.
    Info,
}

/// One observation about the bundle.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// Stable code, `area.problem`.
    pub code: String,
    /// How bad it is.
    pub severity: Severity,
    /// The bag-relative file concerned, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// One-line explanation.
    pub message: String,
}

/// The verdict.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    /// Intact, canonical (unless repacked was allowed) and signed by enough trusted keys.
    Valid,
    /// Intact, but not signed by enough keys the user trusts.
    Untrusted,
    /// Damaged, altered, malformed or wrongly signed.
    Invalid,
}

impl Verdict {
    /// The documented exit code for this verdict.
    pub fn exit_code(self) -> i32 {
        match self {
            Verdict::Valid => exit::OK,
            Verdict::Untrusted => exit::UNTRUSTED,
            Verdict::Invalid => exit::REJECTED,
        }
    }
}

/// The state of one signature.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SignatureStatus {
    /// Valid, by a key the user trusts.
    ValidTrusted,
    /// Valid by the public key shipped in the bundle, which nobody trusts.
    ValidUntrusted,
    /// Does not verify.
    Invalid,
    /// By an unknown key with no public key in the bundle: cannot be checked.
    Unverifiable,
}

/// One signature of the bundle.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SignatureReport {
    /// The signer's key id (16 hex digits).
    pub key_id: String,
    /// Its state.
    pub status: SignatureStatus,
    /// The trusted key file that verified it, when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub trusted_key: Option<String>,
    /// The signed trusted comment.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub trusted_comment: Option<String>,
    /// Its RFC 3161 timestamps (docs/FORMAT.md §7), in file order.
    pub timestamps: Vec<crate::timestamp::TokenReport>,
}

/// One payload file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FileReport {
    /// Bag-relative path.
    pub path: String,
    /// Role from the manifest.
    pub role: String,
    /// Size in bytes.
    pub size: u64,
    /// SHA-256 from the manifest.
    pub sha256: String,
    /// Title from the manifest.
    pub title: String,
    /// Whether its bytes matched.
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

/// The state of one area of checks, in a fixed order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Check {
    /// Area name: container, bag, tag-files, payload, manifest, signatures, citations.
    pub area: &'static str,
    /// "ok", "failed" or "not-checked".
    pub status: &'static str,
    /// What was checked, in a few words.
    pub detail: String,
}

/// The result of verifying a bundle.
#[derive(Clone, Debug, Serialize)]
pub struct Report {
    /// Always [`REPORT_FORMAT`].
    pub format: &'static str,
    /// Always [`REPORT_VERSION`].
    pub format_version: u32,
    /// The bundle as named on the command line.
    pub bundle: String,
    /// The verdict.
    pub verdict: Verdict,
    /// How the container was read, if it could be.
    pub container: Option<ContainerKind>,
    /// Trusted signatures required.
    pub threshold: usize,
    /// The bundle's identity (from its manifest, once the manifest was found intact).
    pub identity: Option<Identity>,
    /// Every signature.
    pub signatures: Vec<SignatureReport>,
    /// Every payload file.
    pub files: Vec<FileReport>,
    /// Every citation.
    pub citations: Vec<CitationReport>,
    /// Area-by-area summary.
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

impl Report {
    /// Whether any error finding exists.
    pub fn has_errors(&self) -> bool {
        self.findings.iter().any(|f| f.severity == Severity::Error)
    }

    /// The JSON document (one object, a trailing newline).
    pub fn to_json(&self) -> String {
        let mut s = serde_json::to_string_pretty(self).unwrap_or_default();
        s.push('\n');
        s
    }

    /// The human report.
    pub fn to_text(&self) -> String {
        crate::render::verify_text(self)
    }
}

/// Escapes text that came from a bundle before it reaches a terminal:
/// control, format and bidi characters become `\u{..}`.
pub fn escape(s: &str) -> std::borrow::Cow<'_, str> {
    // Almost every string needs nothing escaped: borrow it then.
    if !s.chars().any(|c| c.is_control() || is_invisible(c)) {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_control() || is_invisible(c) {
            out.extend(c.escape_unicode());
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

fn is_invisible(c: char) -> bool {
    matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2069}' | '\u{FEFF}' | '\u{00AD}')
}
