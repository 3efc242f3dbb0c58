//! The citation part of `verify`: quotations re-checked against the bundled
//! texts, sources nothing cites, and confusable characters in the statement.
//!
//! Runs after the payload hashes were checked, on the same bundle; a text
//! that cannot be read or is not UTF-8 is itself a finding.

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
    let mut push = |sev: Severity, code: &str, path: Option<String>, message: String| {
        findings.push(Finding::new(sev, code, path, message))
    };
    let Some(statement) = &m.statement else {
        if !m.citations.is_empty() {
            push(
                Severity::Error,
                "citation.no-statement",
                None,
                "the manifest has citations but no statement".into(),
            );
        }
        return;
    };
    let statement_text = match read_text(b, &statement.path) {
        Ok(t) => t,
        Err(e) => {
            if !m.citations.is_empty() {
                push(
                    Severity::Error,
                    "citation.statement-unreadable",
                    Some(statement.path.clone()),
                    e,
                );
            }
            return;
        }
    };
    for c in citations::confusables(&statement_text) {
        push(
            Severity::Warning,
            "text.confusable",
            Some(statement.path.clone()),
            format!(
                "line {} column {}: {} {:?} in {:?} ({:?})",
                c.line,
                c.column,
                code_point(c.code_point),
                c.code_point,
                crate::report::escape(&c.context),
                c.kind
            ),
        );
    }
    if m.citations.is_empty() {
        return;
    }
    let mut sources = BTreeMap::new();
    for s in &m.sources {
        if !m.citations.iter().any(|c| c.source == s.id) {
            push(
                Severity::Info,
                "citation.uncited-source",
                Some(s.path.clone()),
                format!("source {:?} is not cited by any quotation", s.id),
            );
            continue;
        }
        match read_text(b, &s.path) {
            Ok(t) => {
                sources.insert(s.id.clone(), (s.path.clone(), t));
            }
            Err(e) => push(
                Severity::Error,
                "citation.source-unreadable",
                Some(s.path.clone()),
                e,
            ),
        }
    }
    let texts = Texts {
        statement_path: statement.path.clone(),
        statement: statement_text,
        sources,
    };
    let found = citations::check(&m.citations, &texts);
    for c in &m.citations {
        let ok = !found
            .iter()
            .any(|f| f.citation.as_deref() == Some(c.id.as_str()));
        out.push(CitationReport {
            id: c.id.clone(),
            source: c.source.clone(),
            locator: c.locator.clone(),
            ok,
        });
    }
    for f in found {
        let msg = match &f.citation {
            Some(id) => format!("citation {id:?}: {}", f.message),
            None => f.message,
        };
        push(Severity::Error, f.code, f.path, msg);
    }
}

fn read_text(b: &OpenBundle, path: &str) -> Result<String, String> {
    let f = b
        .find(path)
        .ok_or_else(|| "file is not in the bundle".to_owned())?;
    let bytes = b.read_small(f, MAX_TEXT_BYTES).map_err(|e| e.to_string())?;
    String::from_utf8(bytes).map_err(|_| "is not UTF-8 text".to_owned())
}

fn code_point(c: char) -> String {
    format!("U+{:04X}", u32::from(c))
}
