//! `pack`'s half for format 2: each citation of the description bound as a
//! [`Claim`] (its words in the statement, each passage in its source, the
//! sources searched in vain), the declared quotations found, and every
//! quoted span of the statement accounted for. Every claim is checked as
//! `verify` will check it before it is returned.
//!
//! Strict where a reader could be misled: an ambiguous occurrence, a
//! locator the passage does not lie under, a verdict the texts disprove
//! (a "not found" quotation that stands in a source), a binding that
//! leaves words of its quotation outside, and an undeclared quoted span
//! are all refused, the last listed all at once.

use std::collections::BTreeMap;

use super::bind::{nearest_passage, quotation, span_of, Context};
use super::claim_check::{check_claims_with, Scope};
use super::coverage::{coverage, State};
use super::locator;
use super::model::{
    Claim, Kind, LocatorStatus, PassageRecord, QuotationRecord, SearchedRecord, TextSpan, Verdict,
};
use super::multi::{key, search_all, PatternKey};
use super::normalise::{edges_whole, rules_applied, Normalised, Quotation};
use super::position::Positions;
use super::search::find_all;
use super::{CitationError, Texts};
use crate::description::{Citation, DeclaredQuotation, PassageSpec};

/// What [`bind_claims`] makes.
#[derive(Clone, Debug, Default)]
pub struct Bound {
    /// The citations, in description order.
    pub claims: Vec<Claim>,
    /// The declared quotations with their spans.
    pub quotations: Vec<QuotationRecord>,
    /// Warnings for the packer (stray quotation marks).
    pub warnings: Vec<String>,
}

/// One text ready for searching, with the occurrences of every pattern
/// the citations look for in it, found in one pass.
struct Prepared<'t> {
    path: &'t str,
    text: &'t str,
    norm: Normalised,
    pos: Positions<'t>,
    found: BTreeMap<PatternKey, Vec<usize>>,
}

impl<'t> Prepared<'t> {
    fn new(path: &'t str, text: &'t str, patterns: &[String]) -> Self {
        let norm = Normalised::new(text);
        let qs: Vec<Quotation> = patterns.iter().map(|p| Quotation::new(p)).collect();
        let refs: Vec<&Quotation> = qs.iter().collect();
        let (found, complete) = search_all(&norm.chars, &refs);
        Prepared {
            path,
            text,
            pos: Positions::new(text),
            found: if complete { found } else { BTreeMap::new() },
            norm,
        }
    }

    /// Every occurrence of `q`: from the one pass, else searched now.
    fn occurrences(&self, q: &Quotation) -> Vec<usize> {
        match self.found.get(&key(q)) {
            Some(list) => list.clone(),
            None => find_all(&self.norm.chars, q),
        }
    }
}

/// The words the citations search for in source `id` (the statement when
/// `None`).
fn patterns(citations: &[Citation], id: Option<&str>) -> Vec<String> {
    let mut out = Vec::new();
    for c in citations {
        match id {
            None => out.push(c.exact.clone()),
            Some(id) => {
                for p in c.all_passages().into_iter().filter(|p| p.source == id) {
                    out.push(p.exact.unwrap_or_else(|| c.exact.clone()));
                }
            }
        }
    }
    out.retain(|p| p.chars().count() <= super::MAX_QUOTATION_CHARS);
    out
}

/// Binds the citations and declarations against `texts`, which must hold
/// every source of the bundle that is text (a "not found" verdict is
/// checked against all of them).
///
/// # Errors
/// The first citation that cannot be bound, or every quoted span not
/// accounted for, in one [`CitationError::Coverage`].
pub fn bind_claims(
    citations: &[Citation],
    declared: &[DeclaredQuotation],
    texts: &Texts,
) -> Result<Bound, CitationError> {
    bind_claims_with(citations, declared, texts, Scope::Author)
}

/// [`bind_claims`] under `scope`: an archivist's notes
/// ([`Scope::Notes`]) need not account for every quoted span of the
/// statement, only bind theirs well.
///
/// # Errors
/// As [`bind_claims`].
pub fn bind_claims_with(
    citations: &[Citation],
    declared: &[DeclaredQuotation],
    texts: &Texts,
    scope: Scope,
) -> Result<Bound, CitationError> {
    let statement = Prepared::new(
        &texts.statement_path,
        &texts.statement,
        &patterns(citations, None),
    );
    let mut cache: BTreeMap<&str, Prepared> = BTreeMap::new();
    let mut claims = Vec::with_capacity(citations.len());
    for c in citations {
        claims.push(bind_claim(c, citations, texts, &statement, &mut cache)?);
    }
    // The check below normalises each source again, one at a time.
    drop(cache);
    let spans: Vec<(Kind, u64, u64)> = claims
        .iter()
        .map(|c| (c.kind, c.statement.start, c.statement.end))
        .collect();
    let words: Vec<&str> = declared.iter().map(|d| d.exact.as_str()).collect();
    let cov = coverage(&texts.statement, &spans, &words);
    let mut quotations: Vec<QuotationRecord> = declared
        .iter()
        .map(|d| QuotationRecord {
            exact: d.exact.clone(),
            kind: d.kind,
            note: d.note.clone(),
            spans: Vec::new(),
        })
        .collect();
    let mut problems = Vec::new();
    for (q, state) in &cov.spans {
        let at = |what: &str| {
            let (line, col) = statement.pos.line_column(q.open);
            let words = texts.statement.get(q.start..q.end).unwrap_or_default();
            format!(
                "line {line}:{col} {what} \"{}\"",
                super::diff_marked(words, words)
            )
        };
        match state {
            State::Declared(n) => {
                if let Some(r) = quotations.get_mut(*n) {
                    r.spans.push(statement.pos.span(q.start, q.end));
                }
            }
            State::Undeclared if scope == Scope::Author => problems.push(at("undeclared")),
            State::Undeclared => {}
            State::Partial(n) => {
                let id = claims.get(*n).map(|c| c.id.as_str()).unwrap_or_default();
                problems.push(at(&format!("only partly bound by citation {id:?}")));
            }
            State::Bound(_) | State::Inside(_) => {}
        }
    }
    if let Some(q) = quotations.iter().find(|q| q.spans.is_empty()) {
        problems.push(format!(
            "declared quotation \"{}\" is no quoted span of the statement",
            super::diff_marked(&q.exact, &q.exact)
        ));
    }
    if !problems.is_empty() {
        return Err(CitationError::Coverage {
            path: texts.statement_path.clone(),
            count: problems.len(),
            problems: problems.join("; "),
        });
    }
    let mut warnings: Vec<String> = cov
        .stray
        .iter()
        .map(|&at| {
            let (line, col) = statement.pos.line_column(at);
            format!(
                "{}: line {line}:{col}: a quotation mark that pairs with none",
                texts.statement_path
            )
        })
        .collect();
    let quoted: Vec<_> = cov.spans.iter().map(|(q, _)| q.clone()).collect();
    let path = &texts.statement_path;
    // The statement's own characters are the base's report's business
    // when these are an archivist's notes on it.
    if scope == Scope::Author {
        let found = super::confusables_report(path, &texts.statement, &quoted);
        warnings.extend(found.into_iter().map(|w| format!("{path}: {w}")));
    }
    let bound = Bound {
        claims,
        quotations,
        warnings,
    };
    let findings = check_claims_with(&bound.claims, &bound.quotations, texts, scope);
    match findings
        .into_iter()
        .find(|f| f.code != super::claim_check::BUDGET)
    {
        Some(f) => Err(CitationError::Unstable {
            id: f.citation.unwrap_or_default(),
            message: f.message,
        }),
        None => Ok(bound),
    }
}

fn bind_claim<'t>(
    c: &Citation,
    all: &[Citation],
    texts: &'t Texts,
    statement: &Prepared,
    cache: &mut BTreeMap<&'t str, Prepared<'t>>,
) -> Result<Claim, CitationError> {
    let q = quotation(&c.id, &c.exact)?;
    let ctx = Context::new(c.prefix.as_deref(), c.suffix.as_deref());
    let span = locate(&c.id, &q, &ctx, c.occurrence, statement, None)?;
    let (kind, verdict) = (c.kind(), c.verdict());
    let mut passages = Vec::new();
    for p in c.all_passages() {
        let src = prepared(&c.id, &p.source, all, texts, cache)?;
        passages.push(bind_passage(c, &q, &p, src)?);
    }
    let mut searched = Vec::new();
    if kind == Kind::Verbatim && verdict == Verdict::NotFound {
        for id in &c.searched {
            let src = prepared(&c.id, id, all, texts, cache)?;
            let nearest = nearest_passage(&q, src.text, &src.norm);
            let near = super::search::nearest(&src.norm.chars, &q);
            let nearest_span = near.map(|n| {
                let s = span_of(&src.norm, src.text, n.start, n.end);
                src.pos.span(s.start as usize, s.end as usize)
            });
            searched.push(SearchedRecord {
                source: id.clone(),
                source_path: src.path.to_owned(),
                nearest: nearest_span,
                diff: nearest.map(|n| n.diff),
            });
        }
    }
    Ok(Claim {
        id: c.id.clone(),
        kind,
        verdict,
        note: c.note.clone(),
        exact: c.exact.clone(),
        prefix: c.prefix.clone(),
        suffix: c.suffix.clone(),
        occurrence: c.occurrence,
        statement: span,
        passages,
        searched,
        legacy: false,
    })
}

/// The source `id`, normalised once.
fn prepared<'t, 'c>(
    cid: &str,
    id: &str,
    all: &[Citation],
    texts: &'t Texts,
    cache: &'c mut BTreeMap<&'t str, Prepared<'t>>,
) -> Result<&'c Prepared<'t>, CitationError> {
    let Some((key, (path, text))) = texts.sources.get_key_value(id) else {
        return Err(CitationError::UnknownSource {
            id: cid.to_owned(),
            source_id: id.to_owned(),
        });
    };
    Ok(cache
        .entry(key.as_str())
        .or_insert_with(|| Prepared::new(path, text, &patterns(all, Some(id)))))
}

fn bind_passage(
    c: &Citation,
    q: &Quotation,
    p: &PassageSpec,
    src: &Prepared,
) -> Result<PassageRecord, CitationError> {
    let matched = c.kind() == Kind::Verbatim && !p.parallel && c.verdict().needs_match();
    let words_text = match (&p.exact, matched) {
        (Some(w), true) if !q.equals(w) => {
            return Err(CitationError::SourceExactMismatch {
                id: c.id.clone(),
                diff: q.diff(w),
            })
        }
        (Some(w), _) => w.clone(),
        (None, _) => c.exact.clone(),
    };
    let words = quotation(&c.id, &words_text)?;
    let ctx = Context::new(p.prefix.as_deref(), p.suffix.as_deref());
    let source_id = Some(p.source.as_str());
    let span = locate(&c.id, &words, &ctx, p.occurrence, src, source_id)?;
    let occurrences = src.occurrences(&words).len();
    let locator_check = p.locator.as_deref().map(|l| {
        locator::check(
            l,
            src.text,
            &src.pos,
            span.start as usize,
            span.end as usize,
        )
    });
    if let Some(lc) = locator_check
        .as_ref()
        .filter(|l| l.status == LocatorStatus::Mismatch)
    {
        return Err(CitationError::WrongLocator {
            id: c.id.clone(),
            source_id: p.source.clone(),
            locator: p.locator.clone().unwrap_or_default(),
            why: lc.why.clone().unwrap_or_default(),
        });
    }
    // A parallel passage (another language) is shown, never compared.
    let diff = (c.verdict() == Verdict::Contradicts && c.kind() == Kind::Verbatim && !p.parallel)
        .then(|| q.diff(&span.text));
    Ok(PassageRecord {
        source: p.source.clone(),
        source_path: src.path.to_owned(),
        locator: p.locator.clone(),
        language: p.language.clone(),
        authentic: p.authentic,
        parallel: p.parallel,
        exact: p.exact.clone(),
        prefix: p.prefix.clone(),
        suffix: p.suffix.clone(),
        occurrence: p.occurrence,
        // For a quotation's passage, against the quotation: the rules a
        // reader needs to see the statement's words in the source.
        normalised: span.text != *reference(c, matched, &words_text),
        rules: rules_applied(reference(c, matched, &words_text), &span.text),
        occurrences: u32::try_from(occurrences).unwrap_or(u32::MAX),
        span,
        diff,
        locator_check,
    })
}

/// What a passage's bytes are compared with: the quotation for a passage
/// that must hold it, else the passage's own words.
pub(crate) fn reference<'a>(c: &'a Citation, matched: bool, words: &'a str) -> &'a str {
    if matched {
        &c.exact
    } else {
        words
    }
}

/// Finds `q` in `t` (the statement when `source` is `None`), picks the one
/// occurrence the context and index leave, and returns its full span.
fn locate(
    id: &str,
    q: &Quotation,
    ctx: &Context,
    occurrence: Option<u32>,
    t: &Prepared,
    source: Option<&str>,
) -> Result<TextSpan, CitationError> {
    let len = q.chars.len();
    let all = t.occurrences(q);
    let fits: Vec<usize> = all
        .iter()
        .copied()
        .filter(|&i| ctx.fits(&t.norm.chars, i, i + len))
        .collect();
    let not_found = || match source {
        None => CitationError::NotInStatement {
            id: id.to_owned(),
            path: t.path.to_owned(),
            nearest: nearest_passage(q, t.text, &t.norm),
        },
        Some(s) => CitationError::NotInSource {
            id: id.to_owned(),
            source_id: s.to_owned(),
            path: t.path.to_owned(),
            nearest: nearest_passage(q, t.text, &t.norm),
        },
    };
    if all.is_empty() {
        return Err(not_found());
    }
    let pick = match occurrence {
        Some(k) => fits.get((k as usize).saturating_sub(1)).copied().ok_or(
            CitationError::NoSuchOccurrence {
                id: id.to_owned(),
                path: t.path.to_owned(),
                occurrence: k,
                count: fits.len(),
            },
        )?,
        None if fits.len() == 1 => fits[0],
        None if fits.is_empty() => {
            return Err(CitationError::ContextNotFound {
                id: id.to_owned(),
                count: all.len(),
            })
        }
        None => {
            return Err(CitationError::AmbiguousIn {
                id: id.to_owned(),
                path: t.path.to_owned(),
                count: fits.len(),
            })
        }
    };
    let s = span_of(&t.norm, t.text, pick, pick + len);
    let (start, end) = (s.start as usize, s.end as usize);
    if !edges_whole(t.text, start, end) {
        return Err(CitationError::CutsCombiningMark {
            id: id.to_owned(),
            path: t.path.to_owned(),
        });
    }
    Ok(t.pos.span(start, end))
}
