//! Human-readable renderings of reports and listings.
//!
//! Fixed order, one line per check, a verdict line, then what was not
//! checked. Every string that came from a bundle goes through
//! [`crate::report::escape`] first, so a crafted name or comment cannot
//! move the cursor, recolour the terminal or reorder text.

use std::fmt::Write;

use crate::list::Listing;
use crate::report::{escape, Report, Severity, SignatureStatus, Verdict};

/// The human verify report.
pub fn verify_text(r: &Report) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "docseal verify {}", escape(&r.bundle));
    for c in &r.checks {
        let _ = writeln!(s, "  {:<11} {:<11} {}", c.area, c.status, c.detail);
    }
    if let Some(id) = &r.identity {
        let _ = writeln!(
            s,
            "bundle     {} version {}",
            escape(&id.identifier),
            id.version
        );
        let _ = writeln!(s, "created    {}", escape(&id.created));
        if let Some(t) = &id.title {
            let _ = writeln!(s, "title      {}", escape(t));
        }
    }
    for sig in &r.signatures {
        let what = match sig.status {
            SignatureStatus::ValidTrusted => "valid, trusted",
            SignatureStatus::ValidUntrusted => "valid, NOT trusted",
            SignatureStatus::Invalid => "INVALID",
            SignatureStatus::Unverifiable => "unknown key, cannot check",
        };
        let by = sig
            .trusted_key
            .as_deref()
            .map(|k| format!(" ({})", escape(k)))
            .unwrap_or_default();
        let _ = writeln!(s, "signature  {} {what}{by}", sig.key_id);
        for t in &sig.timestamps {
            let _ = writeln!(s, "  timestamp  {}", escape(&t.describe()));
        }
    }
    for f in &r.files {
        let mark = if f.ok { "ok " } else { "BAD" };
        let _ = writeln!(
            s,
            "  {mark} {:<10} {:>10}  {}  {}",
            f.role,
            f.size,
            escape(&f.path),
            escape(&f.title)
        );
    }
    for c in &r.citations {
        let mark = if c.ok { "ok " } else { "BAD" };
        let loc = c
            .locator
            .as_deref()
            .map(|l| format!(" ({})", escape(l)))
            .unwrap_or_default();
        let _ = writeln!(
            s,
            "  {mark} citation {} -> {}{loc}",
            escape(&c.id),
            escape(&c.source)
        );
    }
    let mut shown: std::collections::BTreeMap<&str, usize> = std::collections::BTreeMap::new();
    for f in &r.findings {
        // Notes can be many (one per uncited source): show a few, count the rest.
        if f.severity == Severity::Info {
            let n = shown.entry(f.code.as_str()).or_insert(0);
            *n += 1;
            if *n > 3 {
                continue;
            }
        }
        let sev = match f.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "note",
        };
        let path = f
            .path
            .as_deref()
            .map(|p| format!("{}: ", escape(p)))
            .unwrap_or_default();
        let _ = writeln!(s, "{sev}: [{}] {path}{}", f.code, escape(&f.message));
    }
    for (code, n) in shown.iter().filter(|(_, n)| **n > 3) {
        let _ = writeln!(s, "note: [{code}] {} more like these (see --json)", n - 3);
    }
    let trusted = r
        .signatures
        .iter()
        .filter(|x| x.status == SignatureStatus::ValidTrusted)
        .count();
    let verdict = match r.verdict {
        Verdict::Valid => format!("VALID: intact and signed by {trusted} trusted key(s)"),
        Verdict::Untrusted => {
            "UNTRUSTED: intact, but not signed by enough keys you trust".to_owned()
        }
        Verdict::Invalid => "INVALID: the bundle is damaged, altered or wrongly signed".to_owned(),
    };
    let _ = writeln!(s, "verdict: {verdict}");
    for n in &r.not_checked {
        let _ = writeln!(s, "not checked: {n}");
    }
    s
}

/// The human listing.
pub fn list_text(l: &Listing, citations: bool) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "docseal list {}", escape(&l.bundle));
    let _ = writeln!(s, "NOTE: {}", l.notice);
    let id = &l.manifest.bundle;
    let _ = writeln!(
        s,
        "bundle     {} version {}",
        escape(&id.identifier),
        id.version
    );
    let _ = writeln!(s, "created    {}", escape(&id.created));
    if let Some(t) = &id.title {
        let _ = writeln!(s, "title      {}", escape(t));
    }
    if let Some(st) = &l.manifest.statement {
        let authors: Vec<String> = st
            .authors
            .iter()
            .map(|a| escape(&a.name).into_owned())
            .collect();
        let _ = writeln!(
            s,
            "statement  {} by {}",
            escape(&st.title),
            authors.join(", ")
        );
    }
    if let Some(sup) = &id.supersedes {
        let _ = writeln!(
            s,
            "supersedes version {} (tag manifest {})",
            sup.version,
            escape(&sup.tagmanifest_sha256)
        );
    }
    for sig in &l.signatures {
        let _ = writeln!(
            s,
            "signer     {}  \"{}\"",
            sig.key_id,
            escape(&sig.trusted_comment)
        );
        for t in &sig.timestamps {
            let what = match (&t.gen_time, &t.tsa, &t.problem) {
                (Some(g), Some(by), _) => format!("{g} by {by} (not verified)"),
                (_, _, Some(p)) => format!("unreadable: {p}"),
                _ => "unreadable".to_owned(),
            };
            let _ = writeln!(s, "  timestamp  {}  {}", t.file, escape(&what));
        }
    }
    let _ = writeln!(s, "files ({}):", l.manifest.files.len());
    // Looked up by path, not searched per file: a bundle may describe
    // thousands of sources.
    let urls: std::collections::HashMap<&str, &str> = l
        .manifest
        .statement
        .iter()
        .filter_map(|st| Some((st.path.as_str(), st.original_url.as_deref()?)))
        .chain(
            l.manifest
                .sources
                .iter()
                .filter_map(|src| Some((src.path.as_str(), src.original_url.as_deref()?))),
        )
        .collect();
    for f in &l.manifest.files {
        let url = urls.get(f.path.as_str());
        let _ = writeln!(
            s,
            "  {:<10} {:>10}  {}  {}",
            f.role.as_str(),
            f.size,
            f.sha256,
            escape(f.path.as_str())
        );
        let _ = writeln!(s, "  {:<10} {:>10}  title: {}", "", "", escape(&f.title));
        if let Some(u) = url {
            let _ = writeln!(s, "  {:<10} {:>10}  from:  {}", "", "", escape(u));
        }
    }
    if citations {
        let _ = writeln!(s, "citations ({}):", l.manifest.citations.len());
        for c in &l.manifest.citations {
            let loc = c
                .locator
                .as_deref()
                .map(|x| format!(", {}", escape(x)))
                .unwrap_or_default();
            let _ = writeln!(s, "  {} -> {}{loc}", escape(&c.id), escape(&c.source));
            let _ = writeln!(
                s,
                "    quoted   (statement bytes {}..{}): \"{}\"",
                c.statement.start,
                c.statement.end,
                escape(&c.statement.text)
            );
            let _ = writeln!(
                s,
                "    in source ({} bytes {}..{}{}): \"{}\"",
                escape(&c.source_path),
                c.source_match.start,
                c.source_match.end,
                if c.normalised {
                    ", after normalisation"
                } else {
                    ", exact"
                },
                escape(&c.source_match.text)
            );
        }
    }
    s
}
