//! `verify`'s half: each recorded citation checked again against the texts
//! of the bundle. Every problem is a finding with a stable code (see
//! [`CODES`]), never an error: a bad binding is a property of the bundle.
//! Spans come from the bundle, so every offset is checked before use.

use std::collections::BTreeMap;

use super::normalise::{Normalised, Quotation};
use super::search::find_all;
use super::{diff_marked, CitationFinding, CitationRecord, Span, Texts, MAX_QUOTATION_CHARS};

/// Every code [`check`] can give, with what it means.
pub const CODES: &[(&str, &str)] = &[
    (
        SOURCE_MISSING,
        "the cited source is not among the bundle's texts",
    ),
    (
        SOURCE_PATH,
        "the record names another path than the bundle's source of that id",
    ),
    (
        BAD_SPAN,
        "a span is reversed, beyond the end of its file, or splits a UTF-8 character",
    ),
    (
        STATEMENT_MISMATCH,
        "the statement does not hold the recorded quotation there",
    ),
    (
        SOURCE_MISMATCH,
        "the source no longer holds the recorded passage there",
    ),
    (
        NOT_A_MATCH,
        "the recorded passage is not the quotation under the normalisation",
    ),
    (
        WRONG_FLAG,
        "the `normalised` flag does not tell whether the passage differs from the quotation",
    ),
    (
        WRONG_COUNT,
        "`occurrences` is not the number of times the quotation occurs in the source",
    ),
    (
        TOO_LONG,
        "the quotation is longer than the limit, so it was not searched for",
    ),
];

const SOURCE_MISSING: &str = "citation.source-missing";
const SOURCE_PATH: &str = "citation.source-path-mismatch";
const BAD_SPAN: &str = "citation.bad-span";
const STATEMENT_MISMATCH: &str = "citation.statement-mismatch";
const SOURCE_MISMATCH: &str = "citation.source-mismatch";
const NOT_A_MATCH: &str = "citation.not-a-match";
const WRONG_FLAG: &str = "citation.wrong-normalised-flag";
const WRONG_COUNT: &str = "citation.wrong-occurrences";
const TOO_LONG: &str = "citation.too-long";

/// Checks every record against `texts`; returns the findings in record
/// order, none when all is well. Does not report sources that nothing
/// cites: the caller does.
pub fn check(records: &[CitationRecord], texts: &Texts) -> Vec<CitationFinding> {
    let mut cache: BTreeMap<&str, Normalised> = BTreeMap::new();
    for r in records {
        if let Some((id, (_, text))) = texts.sources.get_key_value(&r.source) {
            cache.entry(id).or_insert_with(|| Normalised::new(text));
        }
    }
    let mut out = Vec::new();
    for r in records {
        let source = texts
            .sources
            .get_key_value(&r.source)
            .and_then(|(id, (path, text))| {
                cache
                    .get(id.as_str())
                    .map(|n| (path.as_str(), text.as_str(), n))
            });
        check_record(r, texts, source, &mut out);
    }
    out
}

/// Checks one record; `source` is the cited source's (path, text,
/// normalised text), `None` when it is not among the texts.
pub(crate) fn check_record(
    r: &CitationRecord,
    texts: &Texts,
    source: Option<(&str, &str, &Normalised)>,
    out: &mut Vec<CitationFinding>,
) {
    // Returns false, so a check can say "not intact" while pushing.
    let mut push = |code: &'static str, path: &str, message: String| {
        out.push(CitationFinding {
            code,
            citation: Some(r.id.clone()),
            path: Some(path.to_owned()),
            message,
        });
        false
    };
    let sp = &texts.statement_path;
    let _ = match slice(&texts.statement, &r.statement) {
        Err(why) => push(BAD_SPAN, sp, format!("statement span {why}")),
        Ok(now) if now != r.statement.text => {
            push(STATEMENT_MISMATCH, sp, changed(&r.statement, now))
        }
        Ok(_) => true,
    };
    let q = Quotation::new(&r.exact);
    if !q.equals(&r.statement.text) {
        let msg = format!(
            "the recorded statement text is not the quotation: \"{}\"",
            q.diff(&r.statement.text)
        );
        push(STATEMENT_MISMATCH, sp, msg);
    }
    let Some((path, text, n)) = source else {
        let msg = format!("source {:?} is not in the bundle", r.source);
        push(SOURCE_MISSING, &r.source_path, msg);
        return;
    };
    if path != r.source_path {
        let msg = format!(
            "recorded path {:?} is not the path {path:?} of source {:?}",
            r.source_path, r.source
        );
        push(SOURCE_PATH, path, msg);
    }
    // A changed or wrong passage changes the count too: report only that.
    let intact = match slice(text, &r.source_match) {
        Err(why) => push(BAD_SPAN, path, format!("source span {why}")),
        Ok(now) if now != r.source_match.text => {
            push(SOURCE_MISMATCH, path, changed(&r.source_match, now))
        }
        Ok(_) => true,
    };
    let matches = q.equals(&r.source_match.text);
    if !matches {
        let msg = format!(
            "the recorded passage is not the quotation: \"{}\"",
            q.diff(&r.source_match.text)
        );
        push(NOT_A_MATCH, path, msg);
    }
    if r.normalised != (r.source_match.text != r.exact) {
        let msg = format!(
            "normalised is {} but the passage is {}the quotation byte for byte",
            r.normalised,
            if r.normalised { "" } else { "not " }
        );
        push(WRONG_FLAG, path, msg);
    }
    if r.exact.chars().count() > MAX_QUOTATION_CHARS {
        let msg = format!("quotation is longer than {MAX_QUOTATION_CHARS} characters");
        push(TOO_LONG, path, msg);
        return;
    }
    let count = find_all(&n.chars, &q).len();
    if intact && matches && u64::from(r.occurrences) != count as u64 {
        let msg = format!(
            "occurrences is {} but the quotation occurs {count} times in the source",
            r.occurrences
        );
        push(WRONG_COUNT, path, msg);
    }
}

/// The text at `span`, or why there is none.
fn slice<'a>(text: &'a str, span: &Span) -> Result<&'a str, String> {
    let range = format!("{}..{}", span.start, span.end);
    let start = usize::try_from(span.start).unwrap_or(usize::MAX);
    let end = usize::try_from(span.end).unwrap_or(usize::MAX);
    if start > end {
        return Err(format!("{range} is reversed"));
    }
    if end > text.len() {
        return Err(format!(
            "{range} lies beyond the end of the file ({} bytes)",
            text.len()
        ));
    }
    text.get(start..end)
        .ok_or_else(|| format!("{range} splits a UTF-8 character"))
}

/// Message for a span whose bytes changed.
fn changed(span: &Span, now: &str) -> String {
    format!(
        "bytes {}..{} no longer hold the recorded text: \"{}\"",
        span.start,
        span.end,
        diff_marked(&span.text, now)
    )
}
