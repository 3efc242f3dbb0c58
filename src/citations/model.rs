//! The records of manifest format 2 (docs/FORMAT.md §7): a citation as a
//! *claim* with a kind and a verdict, bound to any number of source
//! passages, and the statement's other quoted spans declared as terms.
//!
//! Invariants: every [`TextSpan`] made by pack holds its byte range, its
//! code-point range, its line and column and the exact text there; verify
//! recomputes all of them from the file. A format-1 record becomes a
//! [`Claim`] with `legacy` set (see [`Claim::from_v1`]), so one checker
//! serves both versions and v1 bundles keep their v1 meaning.

use serde::{Deserialize, Serialize};

use super::{CitationRecord, Span};

/// What a citation claims about its source.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    /// A direct quotation: the statement's words are the source's words,
    /// matched mechanically under the normalisation.
    #[default]
    Verbatim,
    /// The statement restates a passage in its own words.
    Paraphrase,
    /// The statement quotes its own translation of a passage.
    Translation,
    /// A date, article number, title or other fact attributed to a source.
    Reference,
}

/// Whether the source bears the claim out, as judged by whoever packed it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    /// The passages say what the statement says.
    #[default]
    Supports,
    /// The passages say otherwise.
    Contradicts,
    /// The passages bear out part of the claim.
    PartlySupports,
    /// The words were looked for in the archived sources and are not there.
    NotFound,
}

/// What a declared quoted span is, when it quotes nobody.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DeclaredKind {
    /// A term or term of art put in quotation marks.
    Term,
    /// Quotation marks of distance or irony.
    ScareQuote,
}

impl Kind {
    /// The word used in listings.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Verbatim => "verbatim",
            Kind::Paraphrase => "paraphrase",
            Kind::Translation => "translation",
            Kind::Reference => "reference",
        }
    }

    /// Whether the statement's words are a quotation (so they account for
    /// a quoted span).
    pub fn is_quotation(self) -> bool {
        matches!(self, Kind::Verbatim | Kind::Translation)
    }
}

impl Verdict {
    /// The word used in listings.
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Supports => "supports",
            Verdict::Contradicts => "contradicts",
            Verdict::PartlySupports => "partly-supports",
            Verdict::NotFound => "not-found",
        }
    }

    /// Whether the passages must hold the quotation (verbatim kinds).
    pub fn needs_match(self) -> bool {
        matches!(self, Verdict::Supports | Verdict::PartlySupports)
    }
}

impl DeclaredKind {
    /// The word used in listings.
    pub fn as_str(self) -> &'static str {
        match self {
            DeclaredKind::Term => "term",
            DeclaredKind::ScareQuote => "scare-quote",
        }
    }
}

/// A range of a text file in every unit a reader or tool may want.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TextSpan {
    /// First byte, counting from 0.
    pub start: u64,
    /// One past the last byte.
    pub end: u64,
    /// First Unicode code point, counting from 0 (W3C TextPositionSelector).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub char_start: Option<u64>,
    /// One past the last code point.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub char_end: Option<u64>,
    /// Line of the first character, counting from 1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<u64>,
    /// Column of the first character in code points, counting from 1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub column: Option<u64>,
    /// The bytes `start..end`, as text.
    pub text: String,
}

impl TextSpan {
    /// The byte range as a v1 [`Span`].
    pub fn bytes(&self) -> Span {
        Span {
            start: self.start,
            end: self.end,
            text: self.text.clone(),
        }
    }

    /// A span with byte positions only (format 1).
    pub fn from_bytes(s: &Span) -> Self {
        TextSpan {
            start: s.start,
            end: s.end,
            char_start: None,
            char_end: None,
            line: None,
            column: None,
            text: s.text.clone(),
        }
    }
}

/// How the locator was checked against the source's own headings
/// (docs/FORMAT.md §7.4).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LocatorCheck {
    /// `checked`, `unchecked` or `mismatch`.
    pub status: LocatorStatus,
    /// The heading the passage lies under, as it stands in the source.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub heading: Option<String>,
    /// That heading's line, counting from 1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<u64>,
    /// Why it could not be checked, or what is wrong.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub why: Option<String>,
}

/// The outcome of a locator check.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum LocatorStatus {
    /// The passage lies within the article (or preamble) the locator names.
    Checked,
    /// The rule cannot check this locator or this source.
    Unchecked,
    /// The passage lies elsewhere than the locator says.
    Mismatch,
}

/// One source passage of a claim.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PassageRecord {
    /// The source's id.
    pub source: String,
    /// The source's path in the bundle.
    pub source_path: String,
    /// Where the passage is, e.g. "Article 43".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locator: Option<String>,
    /// The passage's language (BCP 47).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    /// True for the authentic text, false for a translation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authentic: Option<bool>,
    /// A parallel text (another language, another wording of the same
    /// provision): checked byte for byte, never matched to the quotation.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub parallel: bool,
    /// The passage's words as described (`exact` of the passage).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exact: Option<String>,
    /// Source text just before the passage, to pick one occurrence.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prefix: Option<String>,
    /// Source text just after the passage.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub suffix: Option<String>,
    /// Which occurrence (from 1) of the searched words is meant.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub occurrence: Option<u32>,
    /// Where the passage stands in the source.
    pub span: TextSpan,
    /// True when the passage's bytes differ from the searched words.
    pub normalised: bool,
    /// The normalisation rules that changed either text (§7.1 numbers).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rules: Vec<String>,
    /// Normalised occurrences of the searched words in the source.
    pub occurrences: u32,
    /// The quotation against the passage, for a passage that contradicts it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub diff: Option<String>,
    /// The locator checked against the source's headings.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locator_check: Option<LocatorCheck>,
}

/// A source searched for a quotation that is not in it, with the passage
/// nearest to it (docseal's nearest-passage search at pack time).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SearchedRecord {
    /// The source's id.
    pub source: String,
    /// The source's path in the bundle.
    pub source_path: String,
    /// The nearest passage, when the search could run.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nearest: Option<TextSpan>,
    /// The quotation against the nearest passage.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub diff: Option<String>,
}

/// A citation as recorded in format 2.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Claim {
    /// The citation's id.
    pub id: String,
    /// What it claims.
    pub kind: Kind,
    /// Whether the source bears it out.
    pub verdict: Verdict,
    /// A short remark by whoever packed it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// The statement's words as described.
    pub exact: String,
    /// Statement text just before them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prefix: Option<String>,
    /// Statement text just after them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub suffix: Option<String>,
    /// Which occurrence (from 1) in the statement is meant.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub occurrence: Option<u32>,
    /// Where the words stand in the statement.
    pub statement: TextSpan,
    /// The source passages.
    #[serde(default)]
    pub passages: Vec<PassageRecord>,
    /// Sources searched in vain (verdict `not-found`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub searched: Vec<SearchedRecord>,
    /// A format-1 record: checked by the rules of format 1.
    #[serde(skip)]
    pub legacy: bool,
}

/// A quoted span of the statement declared as quoting nobody.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QuotationRecord {
    /// The words inside the quotation marks.
    pub exact: String,
    /// What they are.
    pub kind: DeclaredKind,
    /// Why, in a few words.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Every quoted span of the statement with these words.
    pub spans: Vec<TextSpan>,
}

impl Claim {
    /// A format-1 record as a claim: verbatim, supports, one passage.
    pub fn from_v1(r: CitationRecord) -> Self {
        Claim {
            id: r.id,
            kind: Kind::Verbatim,
            verdict: Verdict::Supports,
            note: r.note,
            exact: r.exact,
            prefix: r.prefix,
            suffix: r.suffix,
            occurrence: None,
            statement: TextSpan::from_bytes(&r.statement),
            passages: vec![PassageRecord {
                source: r.source,
                source_path: r.source_path,
                locator: r.locator,
                language: None,
                authentic: None,
                parallel: false,
                exact: None,
                prefix: None,
                suffix: None,
                occurrence: None,
                span: TextSpan::from_bytes(&r.source_match),
                normalised: r.normalised,
                rules: Vec::new(),
                occurrences: r.occurrences,
                diff: None,
                locator_check: None,
            }],
            searched: Vec::new(),
            legacy: true,
        }
    }

    /// The format-1 record this claim was read from (`None` unless it is
    /// a verbatim, supporting claim of one passage, as format 1 has).
    pub fn to_v1(&self) -> Option<CitationRecord> {
        let [p] = self.passages.as_slice() else {
            return None;
        };
        let simple = self.kind == Kind::Verbatim && self.verdict == Verdict::Supports;
        simple.then(|| CitationRecord {
            id: self.id.clone(),
            source: p.source.clone(),
            source_path: p.source_path.clone(),
            locator: p.locator.clone(),
            exact: self.exact.clone(),
            prefix: self.prefix.clone(),
            suffix: self.suffix.clone(),
            note: self.note.clone(),
            statement: self.statement.bytes(),
            source_match: p.span.bytes(),
            normalised: p.normalised,
            occurrences: p.occurrences,
        })
    }

    /// The sources this claim names, passages first.
    pub fn sources(&self) -> impl Iterator<Item = &str> {
        self.passages
            .iter()
            .map(|p| p.source.as_str())
            .chain(self.searched.iter().map(|s| s.source.as_str()))
    }
}
