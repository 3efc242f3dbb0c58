//! The report of an author's bundle and an archivist's notes on it, read
//! together (`verify NOTES --base BASE`, `verify BASE --with NOTES`,
//! docs/FORMAT.md §11): two full reports, their signers shown apart, and
//! one verdict that is valid only when both are.
//!
//! Invariant: the pair is never more trusted than its weaker half; notes
//! that name another base make the pair invalid whatever the halves say.

use serde::Serialize;

use crate::escape::escape;
use crate::render::{verify_text, wrap, Detail};
use crate::report::{Report, Verdict};
use crate::verify::notes::BASE_MISMATCH;

/// The `$id` of the pair report's JSON Schema (docs/schema/verify-pair.schema.json).
pub const PAIR_SCHEMA: &str = "urn:docseal:schema:verify-pair:1";
/// The value of the pair report's `format` field.
pub const PAIR_FORMAT: &str = "docseal-verify-pair";

/// Both reports and their joint verdict.
#[derive(Clone, Debug, Serialize)]
pub struct PairReport {
    /// Always [`PAIR_SCHEMA`].
    pub schema: &'static str,
    /// Always [`PAIR_FORMAT`].
    pub format: &'static str,
    /// Always 1.
    pub format_version: u32,
    /// Valid only when both bundles are valid and the notes are about the base.
    pub verdict: Verdict,
    /// The joint verdict in plain words.
    pub summary: String,
    /// Whether the notes name exactly this base (tag-manifest digest, identifier, version).
    pub base_matches: bool,
    /// The author's bundle.
    pub author: Report,
    /// The archivist's notes bundle.
    pub archivist: Report,
}

impl PairReport {
    /// Joins the two reports.
    pub fn new(author: Report, archivist: Report) -> PairReport {
        let base_matches = !archivist.findings.iter().any(|f| f.code == BASE_MISMATCH);
        let (verdict, summary) = joint(&author, &archivist, base_matches);
        PairReport {
            schema: PAIR_SCHEMA,
            format: PAIR_FORMAT,
            format_version: 1,
            verdict,
            summary,
            base_matches,
            author,
            archivist,
        }
    }

    /// The JSON document.
    pub fn to_json(&self) -> String {
        crate::escape::to_json_pretty(self)
    }

    /// The text report: the joint verdict, then each half under its heading.
    pub fn to_text(&self, d: Detail) -> String {
        let mut s = self.verdict_line();
        for (title, r) in [
            ("the author's bundle", &self.author),
            ("the archivist's notes", &self.archivist),
        ] {
            s.push('\n');
            s.push_str(&format!("== {title}: {} ==\n", escape(&r.bundle.path)));
            s.push_str(&verify_text(r, d));
        }
        s
    }

    /// The joint verdict line alone (for `-q`).
    pub fn verdict_line(&self) -> String {
        let mut s = wrap(&escape(&self.summary), crate::render::WIDTH, "    ").join("\n");
        s.push('\n');
        s
    }
}

/// `docseal-publisher (3EF73066ECBC6105)` for each counted signer.
fn signed_by(r: &Report) -> String {
    let names: Vec<String> = r
        .signers()
        .into_iter()
        .map(|s| format!("{} ({})", s.name, s.key_id))
        .collect();
    names.join(" and ")
}

/// The verdict's text after its word (`VALID — intact and …` → `intact and …`).
fn reason(r: &Report) -> &str {
    r.summary
        .split_once(" — ")
        .map_or(r.summary.as_str(), |(_, why)| why)
}

fn joint(author: &Report, notes: &Report, base_matches: bool) -> (Verdict, String) {
    if !base_matches {
        let why = notes
            .findings
            .iter()
            .find(|f| f.code == BASE_MISMATCH)
            .map_or("", |f| f.message.as_str());
        return (
            Verdict::Invalid,
            format!("INVALID — these notes are not about this bundle: {why}"),
        );
    }
    let rank = |v: Verdict| match v {
        Verdict::Valid => 0,
        Verdict::Untrusted => 1,
        _ => 2,
    };
    let worse = if rank(notes.verdict) > rank(author.verdict) {
        ("the archivist's notes", notes)
    } else {
        ("the author's bundle", author)
    };
    match worse.1.verdict {
        Verdict::Valid => (
            Verdict::Valid,
            format!(
                "VALID — the author's bundle is intact and signed by {}; the archivist's notes on it are intact and signed by {}",
                signed_by(author),
                signed_by(notes)
            ),
        ),
        v => (
            v,
            format!(
                "{} — {}: {}",
                v.as_str().to_uppercase(),
                worse.0,
                reason(worse.1)
            ),
        ),
    }
}
