//! The citations side by side (issue 13 §2): for each citation of a
//! verified bundle, the statement's sentence with the cited words, and each
//! source passage with the text around it, as JSON for the page.
//!
//! The spans come from the manifest, which verify found intact and whose
//! quotations it checked (`ok` is the report's word on each). The text
//! around a span is cut at the nearest line break or sentence end, at most
//! [`AROUND`] bytes away, always on a character boundary; a span that does
//! not stand in its text as recorded is shown as its recorded words alone.
//! An archivist's notes bundle addresses its base's files: it gets no view.

use std::collections::BTreeMap;

use docseal::bundle::OpenBundle;
use docseal::citations::TextSpan;
use docseal::manifest::BundleManifest;
use docseal::report::Report;
use serde::Serialize;

/// Bytes of context looked at on each side of a span.
const AROUND: usize = 300;
/// The largest text read for the view.
const MAX_TEXT: u64 = 8 * 1024 * 1024;

/// A span in its text: the words, and the text before and after them.
#[derive(Serialize)]
pub struct Side {
    before: String,
    words: String,
    after: String,
}

/// One source passage of a citation.
#[derive(Serialize)]
pub struct Passage {
    source: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    locator: Option<String>,
    #[serde(flatten)]
    side: Side,
}

/// One citation, its statement side and its passages.
#[derive(Serialize)]
pub struct View {
    id: String,
    ok: bool,
    statement: Side,
    passages: Vec<Passage>,
}

/// The view of every citation of `m`, reading the texts from `bundle`.
pub fn views(bundle: &OpenBundle, m: &BundleManifest, report: &Report) -> Vec<View> {
    if m.base.is_some() {
        return Vec::new();
    }
    let mut texts: BTreeMap<String, Option<String>> = BTreeMap::new();
    let mut text = |path: &str| -> Option<String> {
        texts
            .entry(path.to_owned())
            .or_insert_with(|| {
                let f = bundle.find(path)?;
                String::from_utf8(bundle.read_small(f, MAX_TEXT).ok()?).ok()
            })
            .clone()
    };
    let statement = m
        .statement
        .as_ref()
        .and_then(|s| text(&s.path))
        .unwrap_or_default();
    m.citations
        .iter()
        .map(|c| View {
            id: c.id.clone(),
            ok: report.citations.iter().any(|r| r.id == c.id && r.ok),
            statement: side(&statement, &c.statement),
            passages: c
                .passages
                .iter()
                .map(|p| Passage {
                    source: p.source.clone(),
                    locator: p.locator.clone(),
                    side: side(&text(&p.source_path).unwrap_or_default(), &p.span),
                })
                .collect(),
        })
        .collect()
}

/// `span` in `text` with its context, or its recorded words alone.
fn side(text: &str, span: &TextSpan) -> Side {
    let at = usize::try_from(span.start).ok();
    let end = usize::try_from(span.end).ok();
    let found = at.zip(end).and_then(|(at, end)| {
        let words = text.get(at..end).filter(|w| *w == span.text)?;
        Some(Side {
            before: before(text.get(..at)?),
            words: words.to_owned(),
            after: after(text.get(end..)?),
        })
    });
    found.unwrap_or_else(|| Side {
        before: String::new(),
        words: span.text.clone(),
        after: String::new(),
    })
}

/// The end of `text` back to the start of its sentence or line.
fn before(text: &str) -> String {
    let mut from = text.len().saturating_sub(AROUND);
    while !text.is_char_boundary(from) {
        from += 1;
    }
    let window = text.get(from..).unwrap_or_default();
    let cut = [("\n", 1), (". ", 2), ("! ", 2), ("? ", 2)]
        .iter()
        .filter_map(|(p, n)| window.rfind(p).map(|i| i + n))
        .max();
    match cut {
        Some(i) => window.get(i..).unwrap_or_default().to_owned(),
        // Cut mid-sentence: start at a word, not inside one.
        None if from > 0 => {
            let word = window.find(char::is_whitespace).unwrap_or(0);
            format!("…{}", window.get(word..).unwrap_or_default().trim_start())
        }
        None => window.to_owned(),
    }
}

/// The start of `text` up to the end of its sentence or line.
fn after(text: &str) -> String {
    let mut to = text.len().min(AROUND);
    while !text.is_char_boundary(to) {
        to -= 1;
    }
    let window = text.get(..to).unwrap_or_default();
    let cut = [("\n", 0), (".", 1), ("!", 1), ("?", 1)]
        .iter()
        .filter_map(|(p, n)| window.find(p).map(|i| i + n))
        .min();
    match cut {
        Some(i) => window.get(..i).unwrap_or_default().to_owned(),
        None if to < text.len() => {
            let word = window.rfind(char::is_whitespace).unwrap_or(window.len());
            format!("{}…", window.get(..word).unwrap_or_default().trim_end())
        }
        None => window.to_owned(),
    }
}
