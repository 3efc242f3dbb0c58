//! `docseal verify --html`: the plain-words report as one self-contained
//! HTML file (inline style, no script, no external resource), for a reader
//! to print or attach to a filing. The same facts as the text report, in
//! the page's order: verdict, what it proves and does not, signers,
//! documents, citations, warnings, checks.
//!
//! Invariant: every string from the bundle is escaped ([`esc`]); the
//! document's Content-Security-Policy forbids loading anything.

use std::fmt::Write as _;

use crate::report::{Report, Severity, SignatureStatus, Verdict};

/// HTML-escapes `s` for text and double-quoted attributes.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

const STYLE: &str = "body{font:15px/1.5 system-ui,sans-serif;max-width:56rem;margin:1rem auto;padding:0 1rem;color:#1b1f24}\
.v{border:3px solid #888;border-radius:6px;padding:.6rem 1rem}.valid{border-color:#0a6b2d}.invalid{border-color:#a3141b}\
.untrusted{border-color:#8a5a00}table{border-collapse:collapse;width:100%;font-size:.9rem}\
td,th{border-bottom:1px solid #ccc;padding:.2rem .4rem;text-align:left;vertical-align:top}code{font-size:.85rem}";

/// The whole HTML document for `r`.
pub fn verify_html(r: &Report) -> String {
    let class = match r.verdict {
        Verdict::Valid => "valid",
        Verdict::Untrusted => "untrusted",
        _ => "invalid",
    };
    let mut h = String::new();
    let _ = writeln!(
        h,
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\
<title>docseal verify: {}</title><style>{STYLE}</style></head><body>",
        esc(&r.bundle.path)
    );
    let _ = write!(
        h,
        "<div class=\"v {class}\" data-verdict=\"{}\"><h1>{}</h1><p>{}</p>",
        r.verdict.as_str(),
        esc(r.verdict.as_str()).to_uppercase(),
        esc(&r.summary)
    );
    for s in &r.signatures {
        if s.status == SignatureStatus::ValidTrusted {
            let by = s.trusted_key.as_deref().unwrap_or("");
            let _ = write!(h, "<p>Signed by {} ({})</p>", esc(by), esc(&s.key_id));
        }
    }
    if let Some(id) = &r.identity {
        let _ = write!(
            h,
            "<p>{}<br>Version {}, made (as the signer says) {}</p>",
            esc(id.title.as_deref().unwrap_or(&id.name)),
            id.version,
            esc(&id.created)
        );
    }
    let _ = writeln!(
        h,
        "<p><code>{}</code> SHA-256 <code>{}</code>; checked by {} {}{}</p></div>",
        esc(&r.bundle.path),
        esc(r.bundle.sha256.as_deref().unwrap_or("-")),
        esc(&r.program.name),
        esc(&r.program.version),
        r.verified_at
            .as_deref()
            .map(|t| format!(" at {}", esc(t)))
            .unwrap_or_default()
    );
    h.push_str("<h2>What a valid verdict does not establish</h2><ul>");
    for n in &r.not_checked {
        let _ = write!(h, "<li>{}</li>", esc(n));
    }
    h.push_str("</ul>\n<h2>Warnings</h2><ul>");
    for f in r.findings.iter().filter(|f| f.severity != Severity::Info) {
        let file = f.path.as_deref().map(|p| format!("{}: ", esc(p)));
        let _ = write!(
            h,
            "<li>{}{} <code>[{}]</code></li>",
            file.unwrap_or_default(),
            esc(&f.message),
            esc(&f.code)
        );
    }
    if let (n @ 1.., _) = crate::verify::tolerated::counts(r) {
        let words = crate::verify::tolerated::ignored_words(n);
        let _ = write!(h, "<li>{}</li>", esc(&words));
    }
    h.push_str("</ul>\n<h2>Documents</h2><table><tr><th>Title</th><th>Role</th><th>Bytes</th><th>SHA-256</th><th>Intact</th></tr>");
    for f in &r.files {
        let _ = write!(
            h,
            "<tr><td>{}<br><code>{}</code></td><td>{}</td><td>{}</td><td><code>{}</code></td><td>{}</td></tr>",
            esc(&f.title),
            esc(&f.path),
            esc(&f.role),
            f.size,
            esc(&f.sha256),
            if f.ok { "yes" } else { "NO" }
        );
    }
    h.push_str("</table>\n<h2>Citations</h2><table><tr><th>Quotation</th><th>Source</th><th>Where</th><th>Stands</th></tr>");
    for c in &r.citations {
        let _ = write!(
            h,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(&c.id),
            esc(&c.source),
            esc(c.locator.as_deref().unwrap_or("")),
            if c.ok { "yes" } else { "NO" }
        );
    }
    h.push_str("</table>\n<h2>Checks</h2><table>");
    for c in &r.checks {
        let _ = write!(
            h,
            "<tr><td>{}</td><td>{}</td><td>{}{}</td></tr>",
            esc(c.area),
            esc(c.status.as_str()),
            esc(&c.detail),
            c.reason
                .as_deref()
                .map(|x| format!(" ({})", esc(x)))
                .unwrap_or_default()
        );
    }
    h.push_str("</table>\n</body></html>\n");
    h
}

#[cfg(test)]
mod tests {
    use super::esc;

    #[test]
    fn bundle_strings_cannot_become_markup() {
        assert_eq!(
            esc("<script>\"a\" & 'b'</script>"),
            "&lt;script&gt;&quot;a&quot; &amp; &#39;b&#39;&lt;/script&gt;"
        );
    }
}
