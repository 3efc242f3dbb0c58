//! The citation part of `verify`: claims re-checked against the bundled
//! texts (`citations::check_claims`), every quoted span accounted for, the
//! coverage line, sources nothing cites, and confusable characters.
//!
//! Runs after the payload hashes were checked, on the same bundle; a text
//! that cannot be read or is not UTF-8 is itself a finding. Format-1
//! bundles are checked by format 1's rules: their coverage is reported as
//! not claimed, never as a failure.

use std::collections::BTreeMap;

use crate::bundle::OpenBundle;
use crate::citations::{self, Texts};
use crate::manifest::BundleManifest;
use crate::report::{CitationReport, Finding, Severity};

/// The largest text read for citation checks.
const MAX_TEXT_BYTES: u64 = 64 << 20;

/// Adds citation findings and per-citation results for manifest `m`.
pub fn check(
    findings: &mut Vec<Finding>,
    out: &mut Vec<CitationReport>,
    b: &OpenBundle,
    m: &BundleManifest,
) {
    let claims_anything = !m.citations.is_empty() || !m.quotations.is_empty();
    let Some(statement) = &m.statement else {
        if claims_anything {
            let msg = "the manifest has citations but no statement".into();
            push(
                findings,
                Severity::Error,
                "citation.no-statement",
                None,
                msg,
            );
        }
        return;
    };
    let statement_text = match read_text(b, &statement.path) {
        Ok(t) => t,
        Err(e) => {
            if claims_anything {
                let path = Some(statement.path.clone());
                push(
                    findings,
                    Severity::Error,
                    "citation.statement-unreadable",
                    path,
                    e,
                );
            }
            return;
        }
    };
    let spans = citations::quoted_spans(&statement_text).0;
    let max = citations::MAX_CONFUSABLES_LISTED;
    findings.extend(positioned(
        &statement.path,
        &citations::scan_words(&statement_text, &spans, max),
    ));
    if !claims_anything {
        if !spans.is_empty() {
            let msg = format!(
                "{} quoted spans; the bundle binds and declares none, so its quotations are not checked",
                spans.len()
            );
            let path = Some(statement.path.clone());
            push(
                findings,
                Severity::Info,
                "citation.coverage-not-claimed",
                path,
                msg,
            );
        }
        return;
    }
    let sources = read_sources(findings, b, &m.sources, &m.citations, true);
    for (path, text) in sources.values() {
        let scan = citations::scan_words(text, &[], 10);
        for line in citations::confusable_lines(&scan) {
            push(
                findings,
                Severity::Info,
                "text.confusable",
                Some(path.clone()),
                line,
            );
        }
    }
    for (field, value) in metadata_strings(m) {
        let scan = citations::scan_words(&value, &[], 3);
        for line in citations::confusable_lines(&scan) {
            let msg = format!("{field}: {line}");
            push(
                findings,
                Severity::Info,
                "text.confusable",
                Some("docseal.json".into()),
                msg,
            );
        }
    }
    let texts = Texts {
        statement_path: statement.path.clone(),
        statement: statement_text,
        sources,
    };
    let found = citations::check_claims(&m.citations, &m.quotations, &texts);
    let first_result = findings.len();
    let ok = record(findings, out, &m.citations, found);
    let legacy = m.format_version == crate::manifest::FORMAT_VERSION_1;
    let cov = (!legacy).then(|| {
        let spans: Vec<_> = m
            .citations
            .iter()
            .map(|c| (c.kind, c.statement.start, c.statement.end))
            .collect();
        let words: Vec<&str> = m.quotations.iter().map(|q| q.exact.as_str()).collect();
        citations::coverage(&texts.statement, &spans, &words)
    });
    let mut line = citations::summary(&m.citations, &ok, &m.quotations, cov.as_ref());
    if legacy {
        line.push_str(
            " (format 1: quoted spans not accounted for by the bundle, coverage not checked)",
        );
    }
    let at = Some(statement.path.clone());
    findings.insert(
        first_result,
        Finding::new(Severity::Info, "citation.coverage", at, line),
    );
}

/// The citations of an archivist's notes bundle `notes`, checked against
/// the files of the bundle they annotate (`base`, opened as `b`). The
/// notes cover the quotations they choose ([`citations::Scope::Notes`]);
/// the statement and sources themselves are the base's report's concern,
/// so they are not scanned again here.
pub fn check_notes(
    findings: &mut Vec<Finding>,
    out: &mut Vec<CitationReport>,
    b: &OpenBundle,
    base: &BundleManifest,
    notes: &BundleManifest,
) {
    let Some(statement) = &base.statement else {
        let msg = "the base bundle has no statement for the notes' citations to address".into();
        push(
            findings,
            Severity::Error,
            "citation.no-statement",
            None,
            msg,
        );
        return;
    };
    let statement_text = match read_text(b, &statement.path) {
        Ok(t) => t,
        Err(e) => {
            let path = Some(statement.path.clone());
            push(
                findings,
                Severity::Error,
                "citation.statement-unreadable",
                path,
                e,
            );
            return;
        }
    };
    let sources = read_sources(findings, b, &base.sources, &notes.citations, false);
    let texts = Texts {
        statement_path: statement.path.clone(),
        statement: statement_text,
        sources,
    };
    let scope = citations::Scope::Notes;
    let found = citations::check_claims_with(&notes.citations, &notes.quotations, &texts, scope);
    let first_result = findings.len();
    let ok = record(findings, out, &notes.citations, found);
    let line = format!(
        "the archivist's notes on {}: {}",
        statement.path,
        citations::summary(&notes.citations, &ok, &notes.quotations, None)
    );
    let at = Some(statement.path.clone());
    findings.insert(
        first_result,
        Finding::new(Severity::Info, "citation.coverage", at, line),
    );
}

/// Records each claim's result in `out` and its findings (an error, or a
/// warning for the codes that only warn); returns whether each claim held.
fn record(
    findings: &mut Vec<Finding>,
    out: &mut Vec<CitationReport>,
    claims: &[citations::Claim],
    found: Vec<citations::CitationFinding>,
) -> Vec<bool> {
    let severity = |code: &str| {
        if citations::WARNING_CODES.contains(&code) {
            Severity::Warning
        } else {
            Severity::Error
        }
    };
    let mut ok = Vec::with_capacity(claims.len());
    for c in claims {
        let good = !found.iter().any(|f| {
            f.citation.as_deref() == Some(c.id.as_str()) && severity(f.code) == Severity::Error
        });
        ok.push(good);
        let first = c.passages.first();
        out.push(CitationReport {
            id: c.id.clone(),
            source: first.map(|p| p.source.clone()).unwrap_or_default(),
            locator: first.and_then(|p| p.locator.clone()),
            ok: good,
        });
    }
    for f in found {
        let msg = match &f.citation {
            Some(id) => format!("citation {id:?}: {}", f.message),
            None => f.message,
        };
        push(findings, severity(f.code), f.code, f.path, msg);
    }
    ok
}

/// The texts of `sources` that `claims` need, by id: every cited source,
/// and every source when a claim is "not found" (it must stand in none).
/// A cited source that cannot be read as text is an error; one nothing
/// cites may be binary. With `note_uncited`, each uncited source is noted.
fn read_sources(
    findings: &mut Vec<Finding>,
    b: &OpenBundle,
    sources: &[crate::description::Source],
    claims: &[citations::Claim],
    note_uncited: bool,
) -> BTreeMap<String, (String, String)> {
    let everywhere = claims
        .iter()
        .any(|c| c.verdict == citations::Verdict::NotFound);
    let mut out = BTreeMap::new();
    for s in sources {
        let cited = claims.iter().any(|c| c.sources().any(|id| id == s.id));
        if !cited && note_uncited {
            let msg = format!("source {:?} is not cited by any citation", s.id);
            let path = Some(s.path.clone());
            push(
                findings,
                Severity::Info,
                "citation.uncited-source",
                path,
                msg,
            );
        }
        if !(cited || everywhere) {
            continue;
        }
        match read_text(b, &s.path) {
            Ok(t) => {
                out.insert(s.id.clone(), (s.path.clone(), t));
            }
            Err(e) if cited => {
                let path = Some(s.path.clone());
                push(
                    findings,
                    Severity::Error,
                    "citation.source-unreadable",
                    path,
                    e,
                );
            }
            Err(_) => {}
        }
    }
    out
}

fn push(
    findings: &mut Vec<Finding>,
    sev: Severity,
    code: &str,
    path: Option<String>,
    message: String,
) {
    findings.push(Finding::new(sev, code, path, message));
}

/// Confusable findings of one text as warnings with their line, column
/// and byte offset (the message without them, since reports show them).
fn positioned(path: &str, scan: &citations::Scan) -> Vec<Finding> {
    let lines = citations::confusable_lines(scan);
    lines
        .into_iter()
        .enumerate()
        .map(|(i, line)| {
            let w = scan.findings.get(i);
            let message = match w {
                Some(_) => line
                    .split_once(": ")
                    .map_or(line.clone(), |(_, m)| m.to_owned()),
                None => line,
            };
            let mut f = Finding::new(
                Severity::Warning,
                "text.confusable",
                Some(path.to_owned()),
                message,
            );
            if let Some(w) = w {
                f.position = crate::report::Position {
                    line: Some(w.line as u64),
                    column: Some(w.column as u64),
                    offset: Some(w.offset as u64),
                };
            }
            f
        })
        .collect()
}

/// The human-written strings of the manifest, each with its field name.
fn metadata_strings(m: &BundleManifest) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut add = |field: String, v: &Option<String>| {
        if let Some(v) = v {
            out.push((field, v.clone()));
        }
    };
    add("bundle.title".into(), &m.bundle.title);
    add(
        "bundle.external_description".into(),
        &m.bundle.external_description,
    );
    if let Some(s) = &m.statement {
        add("statement.title".into(), &Some(s.title.clone()));
        add("statement.notes".into(), &s.notes);
    }
    for s in &m.sources {
        add(format!("sources[{}].title", s.id), &Some(s.title.clone()));
        add(format!("sources[{}].date_note", s.id), &s.date_note);
    }
    for c in &m.citations {
        add(format!("citations[{}].note", c.id), &c.note);
    }
    out
}

fn read_text(b: &OpenBundle, path: &str) -> Result<String, String> {
    let f = b
        .find(path)
        .ok_or_else(|| "file is not in the bundle".to_owned())?;
    let bytes = b.read_small(f, MAX_TEXT_BYTES).map_err(|e| e.to_string())?;
    String::from_utf8(bytes).map_err(|_| "is not UTF-8 text".to_owned())
}
