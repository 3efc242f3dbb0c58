//! `list --citations --format w3c`: the claims as W3C Web Annotations
//! (Web Annotation Data Model, Recommendation of 23 February 2017), one
//! JSON-LD `AnnotationCollection` with one `Annotation` per citation.
//!
//! Each annotation targets the statement span and every passage (and
//! every nearest passage of a source searched in vain), each with a
//! `TextQuoteSelector` (`exact` as the file holds it, `prefix`/`suffix` of
//! up to [`CONTEXT`] code points), a `TextPositionSelector` in code points
//! and a `DataPositionSelector` in bytes. A `source` is the file's path in
//! the bundle, relative to the bundle named by `partOf`. The kind, verdict
//! and note are bodies; the verdict's purpose is `assessing`.
//!
//! The texts are plain UTF-8 files, so "normalisation" in the W3C sense
//! is the identity: `exact` is the file's text, positions count its code
//! points.

use serde_json::{json, Value};

use super::model::{Claim, TextSpan};
use super::Texts;
use crate::manifest::BundleManifest;

/// Code points of context in `prefix` and `suffix`.
pub const CONTEXT: usize = 32;

/// The collection for manifest `m`; `texts` gives the prefixes and suffixes
/// (a file missing from it gets a selector without them).
pub fn annotations(m: &BundleManifest, texts: &Texts) -> Value {
    annotations_in(m, texts, &m.bundle.identifier)
}

/// [`annotations`], with the collection's and annotations' ids under
/// `ns`: an archivist's notes bundle's identifier, when its citations
/// target the texts of the base `m` describes.
pub fn annotations_in(m: &BundleManifest, texts: &Texts, ns: &str) -> Value {
    let base = &m.bundle.identifier;
    let items: Vec<Value> = m
        .citations
        .iter()
        .map(|c| annotation(base, ns, c, texts))
        .collect();
    json!({
        "@context": "http://www.w3.org/ns/anno.jsonld",
        "id": format!("{ns}#citations"),
        "type": "AnnotationCollection",
        "label": format!("Citations of {}", m.statement.as_ref().map_or("the statement", |s| s.title.as_str())),
        "total": items.len(),
        "first": {
            "id": format!("{ns}#citations-page-1"),
            "type": "AnnotationPage",
            "startIndex": 0,
            "items": items,
        },
    })
}

fn annotation(base: &str, ns: &str, c: &Claim, texts: &Texts) -> Value {
    let mut targets = vec![target(
        base,
        &texts.statement_path,
        &c.statement,
        Some(&texts.statement),
    )];
    for p in &c.passages {
        let text = texts.sources.get(&p.source).map(|(_, t)| t.as_str());
        targets.push(target(base, &p.source_path, &p.span, text));
    }
    for s in &c.searched {
        if let Some(n) = &s.nearest {
            let text = texts.sources.get(&s.source).map(|(_, t)| t.as_str());
            targets.push(target(base, &s.source_path, n, text));
        }
    }
    let mut bodies = vec![
        json!({ "type": "TextualBody", "purpose": "classifying", "value": c.kind.as_str() }),
        json!({ "type": "TextualBody", "purpose": "assessing", "value": c.verdict.as_str() }),
    ];
    if let Some(note) = &c.note {
        bodies.push(json!({ "type": "TextualBody", "purpose": "commenting", "value": note }));
    }
    json!({
        "id": format!("{ns}#citation-{}", c.id),
        "type": "Annotation",
        "motivation": "assessing",
        "body": bodies,
        "target": targets,
    })
}

fn target(base: &str, path: &str, span: &TextSpan, text: Option<&str>) -> Value {
    let mut quote = json!({ "type": "TextQuoteSelector", "exact": span.text });
    if let Some(t) = text {
        let (a, b) = (span.start as usize, span.end as usize);
        if let (Some(before), Some(after)) = (t.get(..a), t.get(b..)) {
            // From the end, so the cost does not grow with the offset.
            let cut = before
                .char_indices()
                .rev()
                .nth(CONTEXT - 1)
                .map_or(0, |(i, _)| i);
            let prefix = before.get(cut..).unwrap_or_default();
            let suffix: String = after.chars().take(CONTEXT).collect();
            quote["prefix"] = json!(prefix);
            quote["suffix"] = json!(suffix);
        }
    }
    let mut selectors = vec![quote];
    if let (Some(s), Some(e)) = (span.char_start, span.char_end) {
        selectors.push(json!({ "type": "TextPositionSelector", "start": s, "end": e }));
    }
    selectors.push(json!({ "type": "DataPositionSelector", "start": span.start, "end": span.end }));
    json!({
        "type": "SpecificResource",
        "source": path,
        "partOf": base,
        "selector": selectors,
    })
}
