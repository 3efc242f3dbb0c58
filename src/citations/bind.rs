//! `pack`'s half: each citation of the description found in the statement
//! and in its source, and recorded with byte spans (see the parent module's
//! "Binding"). Every record is checked as `verify` will check it before it
//! is returned, so a bundle never carries a binding its verifier refuses.

use std::collections::BTreeMap;

use super::check::check_record;
use super::normalise::{Normalised, Quotation};
use super::search::{find_all, nearest};
use super::MAX_QUOTATION_CHARS;
use super::{diff_marked, CitationError, CitationRecord, NearestPassage, Span, Texts};
use crate::description::Citation;

/// Binds each citation to the statement and its source, in order; the
/// first citation that cannot be bound stops it.
///
/// # Errors
/// The first [`CitationError`]: the quotation is too long or empty, not in
/// the statement (with the nearest passage), not told apart by its prefix
/// and suffix, from an unknown source, or not in the source (with the
/// nearest passage and its difference).
pub fn bind(citations: &[Citation], texts: &Texts) -> Result<Vec<CitationRecord>, CitationError> {
    let statement = Normalised::new(&texts.statement);
    let mut cache: BTreeMap<&str, Normalised> = BTreeMap::new();
    let mut out = Vec::with_capacity(citations.len());
    for c in citations {
        out.push(bind_one(c, texts, &statement, &mut cache)?);
    }
    Ok(out)
}

fn bind_one<'t>(
    c: &Citation,
    texts: &'t Texts,
    statement: &Normalised,
    cache: &mut BTreeMap<&'t str, Normalised>,
) -> Result<CitationRecord, CitationError> {
    let q = quotation(&c.id, &c.exact)?;
    let in_statement = find_in_statement(c, &q, texts, statement)?;
    let source_id = c.source.clone().unwrap_or_default();
    let Some((id, (path, text))) = texts.sources.get_key_value(&source_id) else {
        return Err(CitationError::UnknownSource {
            id: c.id.clone(),
            source_id,
        });
    };
    let source = cache.entry(id).or_insert_with(|| Normalised::new(text));
    let (source_match, occurrences) = find_in_source(c, &q, path, text, source)?;
    let record = CitationRecord {
        id: c.id.clone(),
        source: source_id.clone(),
        source_path: path.clone(),
        locator: c.locator.clone(),
        exact: c.exact.clone(),
        prefix: c.prefix.clone(),
        suffix: c.suffix.clone(),
        note: c.note.clone(),
        normalised: source_match.text != c.exact,
        statement: in_statement,
        source_match,
        occurrences: u32::try_from(occurrences).unwrap_or(u32::MAX),
    };
    let mut findings = Vec::new();
    check_record(&record, texts, Some((path, text, source)), &mut findings);
    match findings.into_iter().next() {
        Some(f) => Err(CitationError::Unstable {
            id: c.id.clone(),
            message: f.message,
        }),
        None => Ok(record),
    }
}

/// The normalised quotation, refused when too long or empty.
pub(crate) fn quotation(id: &str, exact: &str) -> Result<Quotation, CitationError> {
    let chars = exact.chars().count();
    if chars > MAX_QUOTATION_CHARS {
        return Err(CitationError::TooLong {
            id: id.to_owned(),
            chars,
            max: MAX_QUOTATION_CHARS,
        });
    }
    let q = Quotation::new(exact);
    if q.chars.iter().all(|&c| c == ' ') {
        return Err(CitationError::Empty { id: id.to_owned() });
    }
    Ok(q)
}

fn find_in_statement(
    c: &Citation,
    q: &Quotation,
    texts: &Texts,
    st: &Normalised,
) -> Result<Span, CitationError> {
    let all = find_all(&st.chars, q);
    if all.is_empty() {
        return Err(CitationError::NotInStatement {
            id: c.id.clone(),
            path: texts.statement_path.clone(),
            nearest: nearest_passage(q, &texts.statement, st),
        });
    }
    let len = q.chars.len();
    let context = Context::new(c.prefix.as_deref(), c.suffix.as_deref());
    let spans: Vec<Span> = all
        .iter()
        .filter(|&&i| context.fits(&st.chars, i, i + len))
        .map(|&i| span_of(st, &texts.statement, i, i + len))
        .collect();
    if spans.is_empty() {
        return Err(CitationError::ContextNotFound {
            id: c.id.clone(),
            count: all.len(),
        });
    }
    let verbatim: Vec<&Span> = spans.iter().filter(|s| s.text == c.exact).collect();
    let pool: Vec<&Span> = if verbatim.is_empty() {
        spans.iter().collect()
    } else {
        verbatim
    };
    if (c.prefix.is_some() || c.suffix.is_some()) && pool.len() > 1 {
        return Err(CitationError::Ambiguous {
            id: c.id.clone(),
            count: pool.len(),
        });
    }
    pool.first()
        .map(|&s| s.clone())
        .ok_or_else(|| CitationError::ContextNotFound {
            id: c.id.clone(),
            count: all.len(),
        })
}

/// A citation's prefix and suffix, normalised, without the space at the
/// junction with the quotation.
pub(crate) struct Context {
    prefix: Option<Vec<char>>,
    suffix: Option<Vec<char>>,
}

impl Context {
    pub(crate) fn new(prefix: Option<&str>, suffix: Option<&str>) -> Self {
        let norm = |s: &str, trim: fn(&[char]) -> &[char]| trim(&Normalised::new(s).chars).to_vec();
        Context {
            prefix: prefix.map(|p| norm(p, |p| p.strip_suffix(&[' ']).unwrap_or(p))),
            suffix: suffix.map(|s| norm(s, |s| s.strip_prefix(&[' ']).unwrap_or(s))),
        }
    }

    /// Whether the prefix ends right before character `start` and the
    /// suffix begins right at `end`, one space at the junction ignored.
    pub(crate) fn fits(&self, hay: &[char], start: usize, end: usize) -> bool {
        let before = hay.get(..start).unwrap_or_default();
        let after = hay.get(end..).unwrap_or_default();
        let prefix_ok = self.prefix.as_deref().is_none_or(|p| {
            before.ends_with(p) || before.strip_suffix(&[' ']).is_some_and(|b| b.ends_with(p))
        });
        let suffix_ok = self.suffix.as_deref().is_none_or(|s| {
            after.starts_with(s) || after.strip_prefix(&[' ']).is_some_and(|a| a.starts_with(s))
        });
        prefix_ok && suffix_ok
    }
}

/// Finds the passage in the source; returns its span and the number of
/// normalised occurrences.
fn find_in_source(
    c: &Citation,
    q: &Quotation,
    path: &str,
    text: &str,
    src: &Normalised,
) -> Result<(Span, usize), CitationError> {
    if let Some(se) = &c.source_exact {
        check_source_exact(c, q, se)?;
    }
    let all = find_all(&src.chars, q);
    let len = q.chars.len();
    let spans = all.iter().map(|&i| span_of(src, text, i, i + len));
    let wanted = c.source_exact.as_deref().unwrap_or(&c.exact);
    let mut first = None;
    for s in spans {
        if s.text == wanted {
            return Ok((s, all.len()));
        }
        first.get_or_insert(s);
    }
    match (first, &c.source_exact) {
        (None, _) => Err(CitationError::NotInSource {
            id: c.id.clone(),
            source_id: c.source.clone().unwrap_or_default(),
            path: path.to_owned(),
            nearest: nearest_passage(q, text, src),
        }),
        (Some(found), Some(se)) => Err(CitationError::SourceExactNotVerbatim {
            id: c.id.clone(),
            source_id: c.source.clone().unwrap_or_default(),
            path: path.to_owned(),
            line: line_of(text, usize::try_from(found.start).unwrap_or(usize::MAX)),
            diff: diff_marked(se, &found.text),
        }),
        (Some(found), None) => Ok((found, all.len())),
    }
}

/// `source_exact` must be short enough and be the quotation under the
/// normalisation.
fn check_source_exact(c: &Citation, q: &Quotation, se: &str) -> Result<(), CitationError> {
    quotation(&c.id, se)?;
    if q.equals(se) {
        return Ok(());
    }
    Err(CitationError::SourceExactMismatch {
        id: c.id.clone(),
        diff: q.diff(se),
    })
}

/// The span of the original text that normalised characters `i..j` come from.
pub(crate) fn span_of(n: &Normalised, text: &str, i: usize, j: usize) -> Span {
    let start = n.map.get(i).copied().unwrap_or(text.len());
    let end = n.byte_end(j).max(start);
    Span {
        start: start as u64,
        end: end as u64,
        text: text.get(start..end).unwrap_or_default().to_owned(),
    }
}

/// The passage of `text` nearest to `q`, with its line and difference.
pub(crate) fn nearest_passage(q: &Quotation, text: &str, n: &Normalised) -> Option<NearestPassage> {
    let near = nearest(&n.chars, q)?;
    let passage = n.chars.get(near.start..near.end)?;
    let at = n.map.get(near.start).copied().unwrap_or(0);
    Some(NearestPassage {
        line: line_of(text, at),
        diff: q.diff_chars(passage),
    })
}

/// Line (from 1) of byte `at`.
pub(crate) fn line_of(text: &str, at: usize) -> usize {
    let upto = text.as_bytes().get(..at).unwrap_or(text.as_bytes());
    1 + upto.iter().filter(|&&b| b == b'\n').count()
}
