//! `verify`'s half for claims (format 2, and format-1 records read as
//! claims): every span stands where recorded, in bytes and in every other
//! unit; verbatim quotations still match; verdicts are not disproved by the
//! texts; locators hold; every quoted span is accounted for.
//!
//! Cost: each source is normalised once and visited once, whatever the
//! number of claims; searches are cached per distinct pattern and share a
//! budget of [`SEARCH_BUDGET`] characters scanned, past which the remaining
//! searches are skipped and reported (`citation.check-budget`, a warning)
//! instead of running unbounded. Only one source is held normalised at a
//! time.

use std::collections::BTreeMap;

use super::bind::Context;
use super::coverage::coverage;
use super::locator;
use super::model::{Claim, Kind, LocatorStatus, PassageRecord, QuotationRecord, TextSpan, Verdict};
use super::normalise::{edges_whole, rules_applied, Normalised, Quotation};
use super::position::Positions;
use super::search::find_all;
use super::{diff_marked, CitationFinding, Texts, MAX_QUOTATION_CHARS};

/// Characters all searches of one check may scan together.
pub const SEARCH_BUDGET: usize = 400_000_000;

pub(crate) const BUDGET: &str = "citation.check-budget";
const BAD_SPAN: &str = "citation.bad-span";
const BAD_POSITION: &str = "citation.bad-position";
const STATEMENT_MISMATCH: &str = "citation.statement-mismatch";
const SOURCE_MISMATCH: &str = "citation.source-mismatch";
const SOURCE_MISSING: &str = "citation.source-missing";
const SOURCE_PATH: &str = "citation.source-path-mismatch";
const NOT_A_MATCH: &str = "citation.not-a-match";
const WRONG_FLAG: &str = "citation.wrong-normalised-flag";
const WRONG_RULES: &str = "citation.wrong-rules";
const WRONG_COUNT: &str = "citation.wrong-occurrences";
const AMBIGUOUS: &str = "citation.ambiguous-occurrence";
const CUTS_MARK: &str = "citation.cuts-combining-mark";
const WRONG_LOCATOR: &str = "citation.wrong-locator";
const LEGACY_LOCATOR: &str = "citation.locator-mismatch";
const WRONG_LOCATOR_CHECK: &str = "citation.wrong-locator-check";
const DISPROVED: &str = "citation.verdict-disproved";
const UNDECLARED: &str = "citation.undeclared-quotation";
const PARTIAL: &str = "citation.partial-quotation";
const BAD_DECLARATION: &str = "citation.bad-declaration";
const TOO_LONG: &str = "citation.too-long";

/// Every code of this checker with its meaning (docs/FORMAT.md §6).
pub const CLAIM_CODES: &[(&str, &str)] = &[
    (
        BAD_POSITION,
        "a recorded code-point offset, line or column is missing or wrong",
    ),
    (
        WRONG_RULES,
        "the recorded normalisation rules are not the ones that apply",
    ),
    (
        AMBIGUOUS,
        "the words occur more than once and the record does not pick the occurrence it points at",
    ),
    (
        CUTS_MARK,
        "a span starts with, or is followed by, a combining mark",
    ),
    (
        WRONG_LOCATOR,
        "the passage does not lie in the article or preamble its locator names",
    ),
    (
        LEGACY_LOCATOR,
        "format 1: the locator names another article (a warning)",
    ),
    (
        WRONG_LOCATOR_CHECK,
        "the recorded locator check is not what the rule gives",
    ),
    (
        DISPROVED,
        "a quotation recorded as not found or contradicted stands in the source",
    ),
    (
        UNDECLARED,
        "a quoted span of the statement is neither bound nor declared",
    ),
    (
        PARTIAL,
        "a citation binds part of a quoted span and leaves words of it outside",
    ),
    (
        BAD_DECLARATION,
        "a declared quotation's spans are not the statement's quoted spans with those words",
    ),
    (
        BUDGET,
        "searches skipped because the check's search budget was spent (a warning)",
    ),
];

/// Codes reported as warnings rather than errors.
pub const WARNING_CODES: &[&str] = &[BUDGET, LEGACY_LOCATOR];

use super::multi::{search_all, PatternKey};

/// A text, normalised and indexed once.
struct Prepared<'t> {
    path: &'t str,
    text: &'t str,
    norm: Normalised,
    pos: Positions<'t>,
    /// Search results by normalised pattern (and its folded letter).
    found: BTreeMap<PatternKey, Option<Vec<usize>>>,
}

impl<'t> Prepared<'t> {
    fn new(path: &'t str, text: &'t str) -> Self {
        Prepared {
            path,
            text,
            norm: Normalised::new(text),
            pos: Positions::new(text),
            found: BTreeMap::new(),
        }
    }

    /// Searches for all of `patterns` in one pass and caches the results;
    /// when the pass stops early, they count as skipped.
    fn prefetch(&mut self, patterns: &[Quotation], budget: &mut Budget) {
        let refs: Vec<&Quotation> = patterns.iter().collect();
        let (found, complete) = search_all(&self.norm.chars, &refs);
        for (k, list) in found {
            if complete {
                self.found.insert(k, Some(list));
            } else {
                budget.skipped += 1;
                self.found.insert(k, None);
            }
        }
    }

    /// Every occurrence of `q`, or `None` when the budget is spent.
    fn search(&mut self, q: &Quotation, budget: &mut Budget) -> Option<&Vec<usize>> {
        let key = (q.chars.clone(), q.fold);
        if !self.found.contains_key(&key) {
            let result = budget
                .take(self.norm.chars.len())
                .then(|| find_all(&self.norm.chars, q));
            self.found.insert(key.clone(), result);
        }
        self.found.get(&key).and_then(Option::as_ref)
    }
}

/// The characters searches may still scan, and how many were skipped.
struct Budget {
    left: usize,
    skipped: usize,
}

impl Budget {
    fn take(&mut self, n: usize) -> bool {
        if n > self.left {
            self.skipped += 1;
            return false;
        }
        self.left -= n;
        true
    }
}

/// Collects findings for one claim.
struct Out<'a> {
    all: &'a mut Vec<CitationFinding>,
}

impl Out<'_> {
    fn push(&mut self, code: &'static str, id: Option<&str>, path: &str, message: String) {
        self.all.push(CitationFinding {
            code,
            citation: id.map(str::to_owned),
            path: Some(path.to_owned()),
            message,
        });
    }
}

/// Checks `claims` and `quotations` against `texts`, which holds every
/// text source of the bundle. Findings come in claim order per text.
pub fn check_claims(
    claims: &[Claim],
    quotations: &[QuotationRecord],
    texts: &Texts,
) -> Vec<CitationFinding> {
    check_claims_with(claims, quotations, texts, Scope::Author)
}

/// Whose records are checked, which decides what coverage means.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    /// The author's bundle: every quoted span of the statement must be
    /// bound or declared.
    Author,
    /// An archivist's notes on a base bundle: they cover what they choose;
    /// each of their records must still stand, and a binding may not leave
    /// words of its quoted span outside.
    Notes,
}

/// [`check_claims`] under `scope` (see [`Scope`]).
pub fn check_claims_with(
    claims: &[Claim],
    quotations: &[QuotationRecord],
    texts: &Texts,
    scope: Scope,
) -> Vec<CitationFinding> {
    let mut all = Vec::new();
    let mut out = Out { all: &mut all };
    let mut budget = Budget {
        left: SEARCH_BUDGET,
        skipped: 0,
    };
    let mut st = Prepared::new(&texts.statement_path, &texts.statement);
    let patterns: Vec<Quotation> = claims
        .iter()
        .filter(|c| !c.legacy && c.exact.chars().count() <= MAX_QUOTATION_CHARS)
        .map(|c| Quotation::new(&c.exact))
        .collect();
    st.prefetch(&patterns, &mut budget);
    for c in claims {
        check_statement_side(c, &mut st, &mut budget, &mut out);
    }
    let legacy = claims.iter().all(|c| c.legacy) && quotations.is_empty();
    if !legacy {
        check_coverage(claims, quotations, &st, scope, &mut out);
    }
    drop(st);
    for c in claims {
        for p in &c.passages {
            if !texts.sources.contains_key(&p.source) {
                let msg = format!("source {:?} is not in the bundle", p.source);
                out.push(SOURCE_MISSING, Some(&c.id), &p.source_path, msg);
            }
        }
    }
    for (id, (path, text)) in &texts.sources {
        let wanted = claims
            .iter()
            .any(|c| c.sources().any(|s| s == id) || c.verdict == Verdict::NotFound);
        if !wanted {
            continue;
        }
        let mut src = Prepared::new(path, text);
        src.prefetch(&source_patterns(claims, id), &mut budget);
        for c in claims {
            check_source_side(c, id, &mut src, &mut budget, &mut out);
        }
    }
    if budget.skipped > 0 {
        let msg = format!(
            "{} searches not run: the check's budget of {SEARCH_BUDGET} characters scanned was spent",
            budget.skipped
        );
        out.push(BUDGET, None, &texts.statement_path, msg);
    }
    all
}

fn check_statement_side(c: &Claim, st: &mut Prepared, budget: &mut Budget, out: &mut Out) {
    let id = Some(c.id.as_str());
    if c.exact.chars().count() > MAX_QUOTATION_CHARS {
        let msg = format!("quotation is longer than {MAX_QUOTATION_CHARS} characters");
        out.push(TOO_LONG, id, st.path, msg);
        return;
    }
    if !span_stands(c, &c.statement, st, STATEMENT_MISMATCH, out) {
        return;
    }
    let q = Quotation::new(&c.exact);
    if !q.equals(&c.statement.text) {
        let msg = format!(
            "the recorded statement text is not the quotation: \"{}\"",
            q.diff(&c.statement.text)
        );
        out.push(STATEMENT_MISMATCH, id, st.path, msg);
        return;
    }
    if !c.legacy {
        let ctx = Context::new(c.prefix.as_deref(), c.suffix.as_deref());
        pick_holds(c, &q, &ctx, c.occurrence, &c.statement, st, budget, out);
    }
}

/// Bytes, text, positions and edges of `span` in `t`; false when the bytes
/// are wrong (later checks would only repeat it).
fn span_stands(
    c: &Claim,
    span: &TextSpan,
    t: &Prepared,
    mismatch: &'static str,
    out: &mut Out,
) -> bool {
    let id = Some(c.id.as_str());
    let (start, end) = (
        usize::try_from(span.start).unwrap_or(usize::MAX),
        usize::try_from(span.end).unwrap_or(usize::MAX),
    );
    let range = format!("{start}..{end}");
    let now = if start > end {
        Err(format!("{range} is reversed"))
    } else if end > t.text.len() {
        Err(format!(
            "{range} lies beyond the end of the file ({} bytes)",
            t.text.len()
        ))
    } else {
        t.text
            .get(start..end)
            .ok_or_else(|| format!("{range} splits a UTF-8 character"))
    };
    match now {
        Err(why) => {
            out.push(BAD_SPAN, id, t.path, format!("span {why}"));
            return false;
        }
        Ok(now) if now != span.text => {
            let msg = format!(
                "bytes {range} no longer hold the recorded text: \"{}\"",
                diff_marked(&span.text, now)
            );
            out.push(mismatch, id, t.path, msg);
            return false;
        }
        Ok(_) => {}
    }
    if c.legacy {
        return true;
    }
    let want = t.pos.span(start, end);
    let got = (span.char_start, span.char_end, span.line, span.column);
    if got != (want.char_start, want.char_end, want.line, want.column) {
        let msg = format!(
            "bytes {range} are code points {}..{} at line {}:{}, not as recorded",
            want.char_start.unwrap_or(0),
            want.char_end.unwrap_or(0),
            want.line.unwrap_or(0),
            want.column.unwrap_or(0)
        );
        out.push(BAD_POSITION, id, t.path, msg);
    }
    if !edges_whole(t.text, start, end) {
        out.push(
            CUTS_MARK,
            id,
            t.path,
            format!("bytes {range} cut a combining sequence"),
        );
    }
    true
}

/// The context fits at `span` and the occurrence index (or uniqueness)
/// picks it.
#[allow(clippy::too_many_arguments)]
fn pick_holds(
    c: &Claim,
    q: &Quotation,
    ctx: &Context,
    occurrence: Option<u32>,
    span: &TextSpan,
    t: &mut Prepared,
    budget: &mut Budget,
    out: &mut Out,
) {
    let id = Some(c.id.as_str());
    let len = q.chars.len();
    let path = t.path;
    let Some(all) = t.search(q, budget).cloned() else {
        return;
    };
    let fits: Vec<usize> = all
        .iter()
        .copied()
        .filter(|&i| ctx.fits(&t.norm.chars, i, i + len))
        .collect();
    let starts: Vec<u64> = fits
        .iter()
        .map(|&i| t.norm.map.get(i).copied().unwrap_or(0) as u64)
        .collect();
    let ok = match occurrence {
        Some(k) => starts.get((k as usize).saturating_sub(1)) == Some(&span.start),
        None => starts == [span.start],
    };
    if !ok {
        let msg = format!(
            "the words occur {} times here with the recorded context; occurrence {} is not at byte {}",
            starts.len(),
            occurrence.map_or("(none given)".to_owned(), |k| k.to_string()),
            span.start
        );
        out.push(AMBIGUOUS, id, path, msg);
    }
}

/// Everything the claims search for in source `id`: each passage's words,
/// and each quotation a verdict says is not there.
fn source_patterns(claims: &[Claim], id: &str) -> Vec<Quotation> {
    let mut out = Vec::new();
    for c in claims {
        for p in c.passages.iter().filter(|p| p.source == id) {
            out.push(Quotation::new(p.exact.as_deref().unwrap_or(&c.exact)));
        }
        let disprovable = c.kind == Kind::Verbatim
            && (c.verdict == Verdict::NotFound
                || c.verdict == Verdict::Contradicts && c.passages.iter().any(|p| p.source == id));
        if disprovable {
            out.push(Quotation::new(&c.exact));
        }
    }
    out.retain(|q| q.chars.len() <= MAX_QUOTATION_CHARS);
    out
}

fn check_source_side(
    c: &Claim,
    source: &str,
    src: &mut Prepared,
    budget: &mut Budget,
    out: &mut Out,
) {
    let q = Quotation::new(&c.exact);
    let verbatim = c.kind == Kind::Verbatim;
    for p in c.passages.iter().filter(|p| p.source == source) {
        check_passage(c, &q, p, src, budget, out);
    }
    // A quotation recorded as not found, or contradicted by this source,
    // must not stand in it.
    let disprovable = verbatim
        && match c.verdict {
            Verdict::NotFound => true,
            Verdict::Contradicts => c.passages.iter().any(|p| p.source == source),
            _ => false,
        };
    if disprovable && c.exact.chars().count() <= MAX_QUOTATION_CHARS {
        let path = src.path;
        if let Some(found) = src.search(&q, budget).and_then(|v| v.first().copied()) {
            let at = src.norm.map.get(found).copied().unwrap_or(0);
            let (line, col) = src.pos.line_column(at);
            let msg = format!(
                "recorded as {} but the quotation stands here at line {line}:{col}",
                c.verdict.as_str()
            );
            out.push(DISPROVED, Some(&c.id), path, msg);
        }
    }
    for s in c.searched.iter().filter(|s| s.source == source) {
        if let Some(n) = &s.nearest {
            span_stands(c, n, src, SOURCE_MISMATCH, out);
        }
    }
}

fn check_passage(
    c: &Claim,
    q: &Quotation,
    p: &PassageRecord,
    src: &mut Prepared,
    budget: &mut Budget,
    out: &mut Out,
) {
    let id = Some(c.id.as_str());
    if p.source_path != src.path {
        let msg = format!(
            "recorded path {:?} is not the path {:?} of source {:?}",
            p.source_path, src.path, p.source
        );
        out.push(SOURCE_PATH, id, src.path, msg);
    }
    if !span_stands(c, &p.span, src, SOURCE_MISMATCH, out) {
        return;
    }
    let matched = c.kind == Kind::Verbatim && !p.parallel && c.verdict.needs_match();
    let words_text = p.exact.clone().unwrap_or_else(|| c.exact.clone());
    let words = Quotation::new(&words_text);
    let path = src.path;
    if matched && !q.equals(&p.span.text) {
        let msg = format!(
            "the recorded passage is not the quotation: \"{}\"",
            q.diff(&p.span.text)
        );
        out.push(NOT_A_MATCH, id, path, msg);
    } else if !words.equals(&p.span.text) {
        let msg = format!(
            "the recorded passage is not the passage's words: \"{}\"",
            words.diff(&p.span.text)
        );
        out.push(NOT_A_MATCH, id, path, msg);
    }
    let reference = if matched { &c.exact } else { &words_text };
    if p.normalised != (p.span.text != *reference) {
        let msg = format!(
            "normalised is {} but the passage is {}its words byte for byte",
            p.normalised,
            if p.normalised { "" } else { "not " }
        );
        out.push(WRONG_FLAG, id, path, msg);
    }
    if !c.legacy && p.rules != rules_applied(reference, &p.span.text) {
        out.push(
            WRONG_RULES,
            id,
            path,
            format!("rules {:?} are not the rules that apply", p.rules),
        );
    }
    if words_text.chars().count() > MAX_QUOTATION_CHARS {
        return;
    }
    if let Some(n) = src.search(&words, budget).map(Vec::len) {
        if u64::from(p.occurrences) != n as u64 {
            let msg = format!(
                "occurrences is {} but the words occur {n} times in the source",
                p.occurrences
            );
            out.push(WRONG_COUNT, id, path, msg);
        }
    }
    if !c.legacy {
        let ctx = Context::new(p.prefix.as_deref(), p.suffix.as_deref());
        pick_holds(c, &words, &ctx, p.occurrence, &p.span, src, budget, out);
    }
    check_locator(c, p, src, out);
}

fn check_locator(c: &Claim, p: &PassageRecord, src: &Prepared, out: &mut Out) {
    let Some(l) = &p.locator else { return };
    let id = Some(c.id.as_str());
    let now = locator::check(
        l,
        src.text,
        &src.pos,
        p.span.start as usize,
        p.span.end as usize,
    );
    if now.status == LocatorStatus::Mismatch {
        let code = if c.legacy {
            LEGACY_LOCATOR
        } else {
            WRONG_LOCATOR
        };
        let msg = format!("locator {l:?}: {}", now.why.clone().unwrap_or_default());
        out.push(code, id, src.path, msg);
    }
    if !c.legacy && p.locator_check.as_ref() != Some(&now) {
        out.push(
            WRONG_LOCATOR_CHECK,
            id,
            src.path,
            format!("locator {l:?}: the recorded check is not what the rule gives"),
        );
    }
}

fn check_coverage(
    claims: &[Claim],
    quotations: &[QuotationRecord],
    st: &Prepared,
    scope: Scope,
    out: &mut Out,
) {
    const SHOWN: usize = 20;
    let spans: Vec<(Kind, u64, u64)> = claims
        .iter()
        .map(|c| (c.kind, c.statement.start, c.statement.end))
        .collect();
    let words: Vec<&str> = quotations.iter().map(|q| q.exact.as_str()).collect();
    let cov = coverage(st.text, &spans, &words);
    let mut problems: Vec<(&'static str, Option<String>, String)> = Vec::new();
    for q in cov.undeclared().filter(|_| scope == Scope::Author) {
        let (line, col) = st.pos.line_column(q.open);
        let w = st.text.get(q.start..q.end).unwrap_or_default();
        problems.push((
            UNDECLARED,
            None,
            format!(
                "line {line}:{col}: quoted span \"{}\" is neither bound nor declared",
                diff_marked(w, w)
            ),
        ));
    }
    for (q, n) in cov.partial() {
        let (line, col) = st.pos.line_column(q.open);
        let cid = claims.get(n).map(|c| c.id.clone());
        problems.push((
            PARTIAL,
            cid,
            format!("line {line}:{col}: the citation leaves words of its quoted span outside"),
        ));
    }
    for (i, d) in quotations.iter().enumerate() {
        let want: Vec<TextSpan> = cov
            .spans
            .iter()
            .filter(|(_, s)| *s == super::coverage::State::Declared(i))
            .map(|(q, _)| st.pos.span(q.start, q.end))
            .collect();
        if want.is_empty() || want != d.spans {
            let msg = format!(
                "declared quotation \"{}\": {} quoted spans have these words, {} recorded",
                diff_marked(&d.exact, &d.exact),
                want.len(),
                d.spans.len()
            );
            problems.push((BAD_DECLARATION, None, msg));
        }
    }
    let total = problems.len();
    for (code, cid, msg) in problems.into_iter().take(SHOWN) {
        out.push(code, cid.as_deref(), st.path, msg);
    }
    if total > SHOWN {
        out.push(
            UNDECLARED,
            None,
            st.path,
            format!("{} more quoted spans not accounted for", total - SHOWN),
        );
    }
}
