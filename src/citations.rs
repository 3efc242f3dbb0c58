//! Quotations of the statement bound to passages of its archived sources:
//! found and recorded by `pack` ([`bind`]), checked again by `verify`
//! ([`check`]), plus a scan of a text for confusable characters
//! ([`confusables`]). Implements docs/FORMAT.md, "Citations".
//!
//! # The normalisation
//!
//! A quotation and a passage *match* when they are equal after this
//! normalisation, applied to both, and nothing more:
//!
//! 1. Unicode NFC (canonical composition; no compatibility folding).
//! 2. Every run of whitespace (Unicode `White_Space`: spaces, tabs, line
//!    breaks, U+00A0 NO-BREAK SPACE and the other `Zs` spaces, U+2028,
//!    U+2029) becomes one space U+0020.
//! 3. Typographic double quotes `“ ” „ ‟ « » ″` become `"`; typographic
//!    single quotes `‘ ’ ‚ ‛ ′` become `'`.
//! 4. Dashes and hyphens U+2010 to U+2015 and U+2212 MINUS SIGN become `-`.
//! 5. The case of the first letter (first alphabetic character) of the
//!    quotation is ignored, so "the authority…" quotes "The authority…".
//!
//! There is no confusable folding: a Cyrillic `А` (U+0410) stays different
//! from a Latin `A`, zero-width characters stay, case stays (but for rule 5),
//! because the bytes are the evidence. Zero-width and other format
//! characters are reported by [`confusables`] instead.
//!
//! # Binding
//!
//! The quotation (`exact`) is looked for in the statement under the
//! normalisation; among its occurrences, those with the given `prefix`
//! (ending right before it) and `suffix` (starting right after it) are kept,
//! a single space at the junction being ignored; an occurrence whose bytes
//! equal `exact` is preferred. Given a prefix or suffix, exactly one
//! occurrence must be left; given neither, the first is taken. In the
//! source, the first occurrence whose bytes equal `source_exact` (when
//! given) or `exact` is recorded, else the first normalised occurrence;
//! `occurrences` counts every normalised occurrence, overlapping ones too.
//!
//! # Invariants
//!
//! A [`CitationRecord`] made by [`bind`] passes [`check`] against the same
//! texts: `bind` checks each record before returning it. Spans are byte
//! ranges of the UTF-8 files, on character boundaries, and `span.text` is
//! exactly the bytes there. Nothing here panics on data from outside.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize, Serializer};
use thiserror::Error;

mod bind;
mod check;
mod claim_check;
#[cfg(test)]
mod claim_tests;
mod claims;
mod confusables;
mod coverage;
mod diff;
mod locator;
mod model;
mod multi;
mod normalise;
mod position;
mod quotes;
pub mod render;
mod search;
#[cfg(test)]
mod tests;
pub mod w3c;
mod words;

pub use bind::bind;
pub use check::{check, CODES};
pub use claim_check::{
    check_claims, check_claims_with, Scope, CLAIM_CODES, SEARCH_BUDGET, WARNING_CODES,
};
pub use claims::{bind_claims, bind_claims_with, Bound};
pub use confusables::{confusables, confusables_report, MAX_LISTED as MAX_CONFUSABLES_LISTED};
pub use coverage::{coverage, summary, wrap, Coverage, State};
pub use diff::diff_marked;
pub use model::{
    Claim, DeclaredKind, Kind, LocatorCheck, LocatorStatus, PassageRecord, QuotationRecord,
    SearchedRecord, TextSpan, Verdict,
};
pub use normalise::normalise;
pub use quotes::{quoted_spans, QuotedSpan};
pub use words::{lines as confusable_lines, scan as scan_words, Scan, WordFinding, WordKind};

/// The longest quotation (in characters) that [`bind`] accepts: the
/// nearest-passage search costs quotation length × source length.
pub const MAX_QUOTATION_CHARS: usize = 2_000;

/// Byte range in a file and the exact text there.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Span {
    /// First byte, counting from 0.
    pub start: u64,
    /// One past the last byte.
    pub end: u64,
    /// The bytes `start..end` of the file, as text.
    pub text: String,
}

/// A quotation bound to where it stands in the statement and in its source,
/// as recorded in the bundle manifest.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CitationRecord {
    /// The citation's id from the description.
    pub id: String,
    /// The id of the cited source.
    pub source: String,
    /// The cited source's path in the bundle.
    pub source_path: String,
    /// Where the passage is in the source, e.g. "Article 43".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locator: Option<String>,
    /// The quoted text as it stands in the statement.
    pub exact: String,
    /// Text just before the quotation in the statement, as described.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prefix: Option<String>,
    /// Text just after the quotation in the statement, as described.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub suffix: Option<String>,
    /// Free-text remark, as described.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Where the quotation stands in the statement.
    pub statement: Span,
    /// Where the quoted passage stands in the source.
    pub source_match: Span,
    /// True when the source passage equals the quotation only under the
    /// normalisation, that is `source_match.text != exact`.
    pub normalised: bool,
    /// How many times the quotation occurs in the source under the
    /// normalisation (overlapping occurrences counted).
    pub occurrences: u32,
}

/// The texts a check needs: the statement and each source by id. Built by
/// the caller.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Texts {
    /// The statement's path as recorded (used in messages and findings).
    pub statement_path: String,
    /// The statement's text.
    pub statement: String,
    /// Source id → (path as recorded, text).
    pub sources: BTreeMap<String, (String, String)>,
}

/// A problem found by [`check`]: a stable code (one of [`CODES`]), the
/// citation and file concerned, and a one-line explanation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CitationFinding {
    /// Stable code, e.g. `citation.source-mismatch`.
    pub code: &'static str,
    /// The citation's id.
    pub citation: Option<String>,
    /// The file concerned, as recorded in [`Texts`] or the record.
    pub path: Option<String>,
    /// One line; texts from the files are escaped by [`diff_marked`].
    pub message: String,
}

/// What makes a character suspicious.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ConfusableKind {
    /// A letter of a word that mixes Latin, Cyrillic or Greek letters, and
    /// is not of the word's main script (the Cyrillic `А` in "Аugust").
    MixedScript,
    /// A character that shows nothing: zero-width spaces and joiners, word
    /// joiner, invisible operators, BOM, soft hyphen, fillers.
    Invisible,
    /// A bidirectional control (`Bidi_Control`): embeddings, overrides,
    /// isolates, and the LRM, RLM and ALM marks.
    Bidi,
    /// Another format character (`Cf`), e.g. tags or interlinear annotation.
    Format,
    /// A private-use character: its meaning is whatever a font says.
    PrivateUse,
    /// A control character other than tab, line feed and carriage return.
    Control,
}

/// A suspicious character found by [`confusables`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Confusable {
    /// Byte offset in the text.
    pub offset: usize,
    /// Line, counting from 1.
    pub line: usize,
    /// Column in characters, counting from 1.
    pub column: usize,
    /// The character, serialised as `U+0410`.
    #[serde(serialize_with = "serialize_code_point")]
    pub code_point: char,
    /// Why it is suspicious.
    pub kind: ConfusableKind,
    /// The word around it, with the character marked as `[А]`, or as
    /// `[<U+200B>]` when it shows nothing.
    pub context: String,
}

fn serialize_code_point<S: Serializer>(c: &char, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&code_point(*c))
}

/// `U+0410` for 'А'.
pub(crate) fn code_point(c: char) -> String {
    format!("U+{:04X}", u32::from(c))
}

/// The nearest passage of a text to a quotation that is not in it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NearestPassage {
    /// Line of the passage's first character, counting from 1.
    pub line: usize,
    /// The quotation against the passage, as made by [`diff_marked`].
    pub diff: String,
}

/// Why [`bind`] could not bind a citation. Each names the citation.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum CitationError {
    /// The quotation is longer than [`MAX_QUOTATION_CHARS`].
    #[error("citation {id:?}: quotation is {chars} characters long, more than the {max} allowed")]
    TooLong {
        /// Citation id.
        id: String,
        /// Its length in characters.
        chars: usize,
        /// [`MAX_QUOTATION_CHARS`].
        max: usize,
    },
    /// The quotation is empty or only whitespace.
    #[error("citation {id:?}: quotation is empty")]
    Empty {
        /// Citation id.
        id: String,
    },
    /// The quotation is not in the statement, even under the normalisation.
    #[error(
        "citation {id:?}: quotation not found in the statement ({path}){}",
        show(nearest)
    )]
    NotInStatement {
        /// Citation id.
        id: String,
        /// The statement's path.
        path: String,
        /// The statement's passage nearest to the quotation.
        nearest: Option<NearestPassage>,
    },
    /// The quotation is in the statement, but never with its prefix and suffix.
    #[error("citation {id:?}: quotation occurs {count} times in the statement, never with the given prefix and suffix")]
    ContextNotFound {
        /// Citation id.
        id: String,
        /// Occurrences of the quotation, ignoring prefix and suffix.
        count: usize,
    },
    /// The prefix and suffix leave more than one occurrence.
    #[error("citation {id:?}: quotation occurs {count} times in the statement with the given prefix and suffix; make them longer")]
    Ambiguous {
        /// Citation id.
        id: String,
        /// Occurrences left.
        count: usize,
    },
    /// The cited source id is not among the texts.
    #[error("citation {id:?}: unknown source {source_id:?}")]
    UnknownSource {
        /// Citation id.
        id: String,
        /// The source id cited.
        source_id: String,
    },
    /// `source_exact` is not the quotation under the normalisation.
    #[error("citation {id:?}: source_exact differs from the quotation by more than the normalisation: \"{diff}\"")]
    SourceExactMismatch {
        /// Citation id.
        id: String,
        /// Normalised quotation against normalised `source_exact`.
        diff: String,
    },
    /// The quotation is not in the source, even under the normalisation.
    #[error(
        "citation {id:?}: quotation not found in source {source_id:?} ({path}){}",
        show(nearest)
    )]
    NotInSource {
        /// Citation id.
        id: String,
        /// The cited source id.
        source_id: String,
        /// The source's path.
        path: String,
        /// The source's passage nearest to the quotation.
        nearest: Option<NearestPassage>,
    },
    /// The quotation is in the source, but never with the bytes of `source_exact`.
    #[error("citation {id:?}: source_exact not found verbatim in source {source_id:?} ({path}); the quotation stands at line {line} as: \"{diff}\"")]
    SourceExactNotVerbatim {
        /// Citation id.
        id: String,
        /// The cited source id.
        source_id: String,
        /// The source's path.
        path: String,
        /// Line of the first occurrence.
        line: usize,
        /// `source_exact` against the bytes of the first occurrence.
        diff: String,
    },
    /// Quoted spans of the statement that nothing accounts for, all listed.
    #[error("{path}: {count} quoted span(s) neither bound by a citation nor declared in [[quotations]]: {problems}")]
    Coverage {
        /// The statement's path.
        path: String,
        /// How many problems.
        count: usize,
        /// Each problem, `; `-separated.
        problems: String,
    },
    /// The words occur several times and nothing picks one.
    #[error("citation {id:?}: the words occur {count} times in {path}; give prefix/suffix or occurrence")]
    AmbiguousIn {
        /// Citation id.
        id: String,
        /// The file.
        path: String,
        /// Occurrences left by the context.
        count: usize,
    },
    /// `occurrence` is larger than the number of occurrences.
    #[error("citation {id:?}: occurrence {occurrence} asked for, but the words occur {count} times in {path}")]
    NoSuchOccurrence {
        /// Citation id.
        id: String,
        /// The file.
        path: String,
        /// The index asked for.
        occurrence: u32,
        /// Occurrences there are.
        count: usize,
    },
    /// The match starts with or is followed by a combining mark.
    #[error("citation {id:?}: the match in {path} would cut a combining mark from its letter")]
    CutsCombiningMark {
        /// Citation id.
        id: String,
        /// The file.
        path: String,
    },
    /// The passage does not lie where the locator says.
    #[error("citation {id:?}: locator {locator:?} does not hold in source {source_id:?}: {why}")]
    WrongLocator {
        /// Citation id.
        id: String,
        /// The source.
        source_id: String,
        /// The locator.
        locator: String,
        /// Why.
        why: String,
    },
    /// The matched text fails the check `verify` will make, e.g. because
    /// the quotation cuts a combining sequence in two.
    #[error("citation {id:?}: the matched text would not pass verification: {message}")]
    Unstable {
        /// Citation id.
        id: String,
        /// The first finding [`check`] made.
        message: String,
    },
}

fn show(nearest: &Option<NearestPassage>) -> String {
    match nearest {
        Some(n) => format!("; nearest passage at line {}: \"{}\"", n.line, n.diff),
        None => String::new(),
    }
}
