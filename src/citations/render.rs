//! `list --citations` for a person: for each citation, the statement's
//! sentence with the cited words marked `⟦…⟧`, each source passage with a
//! line of context on each side, the locator and how it was checked, the
//! kind, verdict, note and the normalisation rules that were needed.
//!
//! Text from the bundle is escaped (`report::escape`); line breaks inside
//! a passage show as `↵`, never as `\u{a}`. Long lines are cut around the
//! passage (`…`), so the listing stays readable whatever the sources hold.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use super::model::{Claim, LocatorStatus, PassageRecord, TextSpan};
use super::position::Positions;
use super::Texts;
use crate::manifest::BundleManifest;
use crate::report::escape;

/// Characters shown on each side of a marked passage within its line.
const AROUND: usize = 100;
/// Bytes looked at on each side of a span (a few hundred characters).
const NEAR: usize = 1024;
/// Longest context line shown.
const CONTEXT_LINE: usize = 160;

/// The citations section of `list`: the coverage line, then each claim.
/// `texts` may lack files (then only the recorded words are shown).
pub fn text(m: &BundleManifest, texts: &Texts) -> String {
    let mut s = String::new();
    let ok = vec![true; m.citations.len()];
    // An archivist's notes (base set) cover the quotations they choose.
    let cov = (!texts.statement.is_empty()
        && m.base.is_none()
        && m.format_version != crate::manifest::FORMAT_VERSION_1)
        .then(|| {
            let spans: Vec<_> = m
                .citations
                .iter()
                .map(|c| (c.kind, c.statement.start, c.statement.end))
                .collect();
            let words: Vec<&str> = m.quotations.iter().map(|q| q.exact.as_str()).collect();
            super::coverage(&texts.statement, &spans, &words)
        });
    let line = super::summary(&m.citations, &ok, &m.quotations, cov.as_ref());
    let _ = writeln!(
        s,
        "citations ({}), as recorded (not verified): {}",
        m.citations.len(),
        escape(&line)
    );
    // Each source indexed once, however many passages it has.
    let index: BTreeMap<&str, Positions> = texts
        .sources
        .iter()
        .map(|(id, (_, t))| (id.as_str(), Positions::new(t)))
        .collect();
    for (i, c) in m.citations.iter().enumerate() {
        let _ = writeln!(s);
        claim(&mut s, i + 1, c, texts, &index);
    }
    let quoted = super::quoted_spans(&texts.statement).0;
    let confusables = super::confusables_report(&texts.statement_path, &texts.statement, &quoted);
    if !confusables.is_empty() {
        let _ = writeln!(s, "\nconfusable characters in the statement:");
        for c in confusables {
            let _ = writeln!(s, "  {c}");
        }
    }
    if !m.quotations.is_empty() {
        let _ = writeln!(s, "\ndeclared quotations:");
        for q in &m.quotations {
            let at: Vec<String> = q
                .spans
                .iter()
                .map(|sp| format!("line {}", sp.line.unwrap_or(0)))
                .collect();
            let note = q
                .note
                .as_deref()
                .map(|n| format!(" — {}", shown(n)))
                .unwrap_or_default();
            let _ = writeln!(
                s,
                "  \"{}\" ({}, {}){note}",
                shown(&q.exact),
                q.kind.as_str(),
                at.join(", ")
            );
        }
    }
    s
}

fn claim(s: &mut String, n: usize, c: &Claim, texts: &Texts, index: &BTreeMap<&str, Positions>) {
    let _ = writeln!(
        s,
        "[{n}] {} — {}, verdict: {}",
        escape(&c.id),
        c.kind.as_str(),
        c.verdict.as_str()
    );
    let _ = writeln!(
        s,
        "  statement {}, {}:",
        escape(&texts.statement_path),
        position(&c.statement)
    );
    let _ = writeln!(s, "    {}", sentence(&texts.statement, &c.statement));
    for (k, p) in c.passages.iter().enumerate() {
        passage(s, k + 1, p, texts, index.get(p.source.as_str()));
    }
    for x in &c.searched {
        let _ = writeln!(
            s,
            "  searched in vain: {} ({})",
            escape(&x.source),
            escape(&x.source_path)
        );
        if let (Some(n), Some(d)) = (&x.nearest, &x.diff) {
            let _ = writeln!(s, "    nearest passage, {}: \"{}\"", position(n), shown(d));
        }
    }
    if c.verdict == super::Verdict::NotFound && c.searched.is_empty() {
        let _ = writeln!(s, "  not found in any archived source");
    }
    if let Some(note) = &c.note {
        let _ = writeln!(s, "  note: {}", shown(note));
    }
}

fn passage(s: &mut String, k: usize, p: &PassageRecord, texts: &Texts, pos: Option<&Positions>) {
    let mut about = Vec::new();
    if let Some(l) = &p.language {
        about.push(escape(l).into_owned());
    }
    match p.authentic {
        Some(true) => about.push("authentic text".into()),
        Some(false) => about.push("translation".into()),
        None => {}
    }
    if p.parallel {
        about.push("parallel text".into());
    }
    let about = if about.is_empty() {
        String::new()
    } else {
        format!(" ({})", about.join(", "))
    };
    let _ = writeln!(s, "  passage {k}: source {}{about}", escape(&p.source));
    let locator = match (&p.locator, &p.locator_check) {
        (None, _) => "none".to_owned(),
        (Some(l), None) => format!("{} (not checked)", shown(l)),
        (Some(l), Some(lc)) => {
            let how = match lc.status {
                LocatorStatus::Checked => format!(
                    "checked: under \"{}\"",
                    shown(lc.heading.as_deref().unwrap_or(""))
                ),
                LocatorStatus::Unchecked => {
                    format!("unchecked: {}", shown(lc.why.as_deref().unwrap_or("")))
                }
                LocatorStatus::Mismatch => {
                    format!("WRONG: {}", shown(lc.why.as_deref().unwrap_or("")))
                }
            };
            format!("{} ({how})", shown(l))
        }
    };
    let _ = writeln!(s, "    locator: {locator}");
    let matching = if p.normalised {
        format!(
            "after normalisation ({})",
            if p.rules.is_empty() {
                "rules not recorded".to_owned()
            } else {
                shown(&p.rules.join(", "))
            }
        )
    } else {
        "byte for byte".to_owned()
    };
    let _ = writeln!(
        s,
        "    {}, {}; {matching}; {} occurrence{} of these words in the source",
        escape(&p.source_path),
        position(&p.span),
        p.occurrences,
        if p.occurrences == 1 { "" } else { "s" }
    );
    match (texts.sources.get(&p.source), pos) {
        (Some((_, text)), Some(pos)) => context(s, text, pos, &p.span),
        _ => {
            let _ = writeln!(s, "      \"{}\"", shown(&p.span.text));
        }
    }
    if let Some(d) = &p.diff {
        let _ = writeln!(s, "    quotation against this passage: \"{}\"", shown(d));
    }
}

/// `line 17:12, bytes 977..1125, code points 977..1125`.
fn position(t: &TextSpan) -> String {
    let mut out = String::new();
    if let (Some(l), Some(c)) = (t.line, t.column) {
        let _ = write!(out, "line {l}:{c}, ");
    }
    let _ = write!(out, "bytes {}..{}", t.start, t.end);
    if let (Some(a), Some(b)) = (t.char_start, t.char_end) {
        let _ = write!(out, ", code points {a}..{b}");
    }
    out
}

/// The sentence around `span` with the span marked, or the recorded text.
fn sentence(text: &str, span: &TextSpan) -> String {
    let (a, b) = (span.start as usize, span.end as usize);
    let (Some(inner), Some(before), Some(after)) =
        (text.get(a..b), near_before(text, a), near_after(text, b))
    else {
        return format!("⟦{}⟧", shown(&span.text));
    };
    let start = before
        .rfind('\n')
        .map_or(0, |i| i + 1)
        .max(before.rfind(". ").map_or(0, |i| i + 2));
    let end = after
        .find('\n')
        .unwrap_or(after.len())
        .min(after.find(". ").map_or(after.len(), |i| i + 1));
    let left = tail(before.get(start..).unwrap_or_default(), AROUND * 2);
    let right = head(after.get(..end).unwrap_or_default(), AROUND * 2);
    format!("{}⟦{}⟧{}", shown(&left), shown(inner), shown(&right))
}

/// At most [`NEAR`] bytes of `text` before byte `at`, from a character
/// boundary, so the listing's cost does not grow with the offset.
fn near_before(text: &str, at: usize) -> Option<&str> {
    let mut from = at.saturating_sub(NEAR);
    while from > 0 && !text.is_char_boundary(from) {
        from -= 1;
    }
    text.get(from..at)
}

/// At most [`NEAR`] bytes of `text` from byte `at`.
fn near_after(text: &str, at: usize) -> Option<&str> {
    let mut to = (at + NEAR).min(text.len());
    while to < text.len() && !text.is_char_boundary(to) {
        to += 1;
    }
    text.get(at..to)
}

/// The lines of a passage, marked, with one line of context on each side.
fn context(s: &mut String, text: &str, pos: &Positions, span: &TextSpan) {
    let (a, b) = (span.start as usize, span.end as usize);
    let (first, _) = pos.line_column(a);
    let (last, _) = pos.line_column(b.saturating_sub(1).max(a));
    if first > 1 {
        let line = pos.line_text(first - 1).unwrap_or_default();
        let _ = writeln!(
            s,
            "      {:>5} | {}",
            first - 1,
            shown(&head(line, CONTEXT_LINE))
        );
    }
    let from = pos.line_start(first).unwrap_or(0);
    let to = pos
        .line_start(last + 1)
        .map_or(text.len(), |e| e.saturating_sub(1))
        .max(b);
    let before = near_before(text, a).unwrap_or_default();
    let before = before
        .get(before.len().saturating_sub(a - from.min(a))..)
        .unwrap_or(before);
    let after = near_after(text, b).unwrap_or_default();
    let after = after
        .get(..(to.max(b) - b).min(after.len()))
        .unwrap_or(after);
    let left = tail(before, AROUND);
    let right = head(after, AROUND);
    let inner = text.get(a..b).unwrap_or_default();
    let lines = if last > first {
        format!("{first}-{last}")
    } else {
        first.to_string()
    };
    let _ = writeln!(
        s,
        "      {lines:>5} > {}⟦{}⟧{}",
        shown(&left),
        shown(inner),
        shown(&right)
    );
    if let Some(line) = pos
        .line_text(last + 1)
        .filter(|_| pos.line_start(last + 1).is_some_and(|x| x < text.len()))
    {
        let _ = writeln!(
            s,
            "      {:>5} | {}",
            last + 1,
            shown(&head(line, CONTEXT_LINE))
        );
    }
}

/// Text for one line of output: line breaks as `↵`, the rest escaped.
fn shown(t: &str) -> String {
    let flat: String = t
        .chars()
        .map(|c| {
            if c == '\n' {
                '↵'
            } else if c == '\t' {
                ' '
            } else {
                c
            }
        })
        .collect();
    escape(&flat).into_owned()
}

/// The last `n` characters of `t`, `…` in front when cut.
fn tail(t: &str, n: usize) -> String {
    let count = t.chars().count();
    if count <= n {
        return t.to_owned();
    }
    let cut: String = t.chars().skip(count - n).collect();
    format!("…{cut}")
}

/// The first `n` characters of `t`, `…` after when cut.
fn head(t: &str, n: usize) -> String {
    match t.char_indices().nth(n) {
        Some((i, _)) => format!("{}…", t.get(..i).unwrap_or_default()),
        None => t.to_owned(),
    }
}
