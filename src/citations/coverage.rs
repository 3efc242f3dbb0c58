//! Every quoted span of the statement accounted for (docs/FORMAT.md §7.5):
//! bound by a quotation (a verbatim or translation citation whose words
//! fill the span), declared (`[[quotations]]`), or inside a span that is;
//! anything else is undeclared. A citation that lies inside a quoted span
//! but leaves some of its words out is *partial*, which is refused: a
//! binding cannot be drawn around the part of a misquote that is right.
//!
//! Also the one-line summary `verify` and `list` print.

use super::model::{Claim, Kind, QuotationRecord, Verdict};
use super::normalise::Quotation;
use super::quotes::{quoted_spans, QuotedSpan};

/// How one quoted span is accounted for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum State {
    /// Filled by citation number `n` (a quotation kind).
    Bound(usize),
    /// Declared by `[[quotations]]` entry number `n`.
    Declared(usize),
    /// Inside quoted span number `n`, which is accounted for.
    Inside(usize),
    /// Citation number `n` lies inside it but leaves words out.
    Partial(usize),
    /// Nothing accounts for it.
    Undeclared,
}

/// The quoted spans of a statement and how each is accounted for.
#[derive(Clone, Debug)]
pub struct Coverage {
    /// The spans, in order, each with its state.
    pub spans: Vec<(QuotedSpan, State)>,
    /// Byte offsets of stray quotation marks.
    pub stray: Vec<usize>,
}

/// Accounts for the quoted spans of `statement`; `claims` are the bound
/// citations as (kind, byte start, byte end), `declared` the words of each
/// declaration.
pub fn coverage(statement: &str, claims: &[(Kind, u64, u64)], declared: &[&str]) -> Coverage {
    let (spans, stray) = quoted_spans(statement);
    let declared: Vec<Quotation> = declared.iter().map(|d| Quotation::new(d)).collect();
    let mut states: Vec<State> = Vec::with_capacity(spans.len());
    for (i, s) in spans.iter().enumerate() {
        let words = statement.get(s.start..s.end).unwrap_or_default();
        let parent = (0..i)
            .rev()
            .find(|&j| spans[j].start <= s.open && s.close <= spans[j].end)
            .filter(|&j| !matches!(states[j], State::Undeclared | State::Partial(_)));
        let mut state = match parent {
            Some(j) => State::Inside(j),
            None => State::Undeclared,
        };
        if state == State::Undeclared {
            if let Some(n) = declared
                .iter()
                .position(|d| d.equals(words) && !words.trim().is_empty())
            {
                state = State::Declared(n);
            }
        }
        let (mut bound, mut partial) = (None, None);
        for (n, &(kind, a, b)) in claims.iter().enumerate() {
            let (a, b) = (a as usize, b as usize);
            if !kind.is_quotation() || b <= s.start || a >= s.end {
                continue;
            }
            let outside = [statement.get(s.start..a), statement.get(b..s.end)];
            let words_left = outside
                .iter()
                .flatten()
                .any(|t| t.chars().any(char::is_alphanumeric));
            if words_left {
                partial.get_or_insert(n);
            } else {
                bound.get_or_insert(n);
            }
        }
        if let Some(n) = partial {
            state = State::Partial(n);
        } else if let Some(n) = bound {
            state = State::Bound(n);
        }
        states.push(state);
    }
    Coverage {
        spans: spans.into_iter().zip(states).collect(),
        stray,
    }
}

impl Coverage {
    /// The spans nothing accounts for.
    pub fn undeclared(&self) -> impl Iterator<Item = &QuotedSpan> {
        self.spans
            .iter()
            .filter(|(_, s)| *s == State::Undeclared)
            .map(|(q, _)| q)
    }

    /// The spans a citation covers only in part, with the citation's index.
    pub fn partial(&self) -> impl Iterator<Item = (&QuotedSpan, usize)> {
        self.spans.iter().filter_map(|(q, s)| match s {
            State::Partial(n) => Some((q, *n)),
            _ => None,
        })
    }
}

/// The coverage line, e.g. `5 quotations: 2 verbatim and verified, 1
/// contradicted by its source, 2 not found in the archived sources; 7
/// terms`. `ok[i]` tells whether claim `i` passed its checks.
pub fn summary(
    claims: &[Claim],
    ok: &[bool],
    declared: &[QuotationRecord],
    cov: Option<&Coverage>,
) -> String {
    let mut parts: Vec<String> = Vec::new();
    let quotations: Vec<(usize, &Claim)> = claims
        .iter()
        .enumerate()
        .filter(|(_, c)| c.kind.is_quotation())
        .collect();
    let count =
        |f: &dyn Fn(usize, &Claim) -> bool| quotations.iter().filter(|(i, c)| f(*i, c)).count();
    let good = |i: usize| ok.get(i).copied().unwrap_or(false);
    let tally = [
        (
            count(&|i, c| good(i) && c.kind == Kind::Verbatim && c.verdict == Verdict::Supports),
            "verbatim and verified",
        ),
        (
            count(&|i, c| good(i) && c.kind == Kind::Translation && c.verdict == Verdict::Supports),
            "translated and verified",
        ),
        (
            count(&|i, c| good(i) && c.verdict == Verdict::PartlySupports),
            "partly supported by their sources",
        ),
        (
            count(&|i, c| good(i) && c.verdict == Verdict::Contradicts),
            "contradicted by its source",
        ),
        (
            count(&|i, c| good(i) && c.verdict == Verdict::NotFound),
            "not found in the archived sources",
        ),
        (count(&|i, _| !good(i)), "failing verification"),
    ];
    for (n, what) in tally {
        if n > 0 {
            let what = if n > 1 {
                what.replace("by its source", "by their sources")
            } else {
                what.to_owned()
            };
            parts.push(format!("{n} {what}"));
        }
    }
    let mut line = format!("{} quotation{}", quotations.len(), plural(quotations.len()));
    if !parts.is_empty() {
        line.push_str(": ");
        line.push_str(&parts.join(", "));
    }
    let spans = |k: super::model::DeclaredKind| {
        declared
            .iter()
            .filter(|d| d.kind == k)
            .map(|d| d.spans.len())
            .sum::<usize>()
    };
    let terms = spans(super::model::DeclaredKind::Term);
    let scare = spans(super::model::DeclaredKind::ScareQuote);
    let mut rest = Vec::new();
    if terms > 0 || declared.is_empty() && claims.iter().any(|c| !c.legacy) {
        rest.push(format!("{terms} term{}", plural(terms)));
    }
    if scare > 0 {
        rest.push(format!("{scare} scare quote{}", plural(scare)));
    }
    let others = claims.len() - quotations.len();
    if others > 0 {
        rest.push(format!(
            "{others} reference{} and paraphrase{}",
            plural(others),
            plural(others)
        ));
    }
    if let Some(cov) = cov {
        let undeclared = cov.undeclared().count() + cov.partial().count();
        if undeclared > 0 {
            rest.push(format!(
                "{undeclared} quoted span{} not accounted for",
                plural(undeclared)
            ));
        }
    }
    if rest.is_empty() {
        return line;
    }
    format!("{line}; {}", rest.join(", "))
}

/// `text` broken at spaces into lines of at most `width` characters (a
/// longer word stands alone on its line).
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in text.split(' ') {
        let len = line.chars().count();
        if len > 0 && len + 1 + word.chars().count() > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}
