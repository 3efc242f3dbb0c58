//! Renderings of a [`BagReport`]: text for people, JSON for programs.
//!
//! The text names the bag, then one line per finding (errors first, then
//! files to fetch, then warnings), then a `verdict:` line; every string from
//! the bag is escaped for the terminal ([`crate::escape`]). The JSON is the
//! report itself under `"format": "docseal-bagcheck"` and
//! `"format_version": 1`; finding codes are stable.

use std::fmt::Write as _;

use super::{BagReport, Severity, Verdict, FORMAT, FORMAT_VERSION};

/// The report as text, ending in a newline.
pub fn to_text(r: &BagReport) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "bag: {}", terminal_safe(&r.source));
    if let (Some(v), Some(e)) = (&r.version, &r.encoding) {
        let _ = writeln!(
            s,
            "bagit: version {}, tag files in {}",
            terminal_safe(v),
            terminal_safe(e)
        );
    }
    if !r.payload_manifests.is_empty() || !r.tag_manifests.is_empty() {
        let _ = writeln!(
            s,
            "manifests: payload {}; tag {}",
            list(&r.payload_manifests),
            list(&r.tag_manifests)
        );
    }
    let _ = writeln!(
        s,
        "payload: {} files, {} bytes; {} files hashed; signatures not checked (--bag-only)",
        r.payload_files, r.payload_bytes, r.files_hashed
    );
    for sev in [Severity::Error, Severity::Incomplete, Severity::Warning] {
        for f in r.findings.iter().filter(|f| f.severity == sev) {
            let label = match sev {
                Severity::Error => "error",
                Severity::Incomplete => "incomplete",
                Severity::Warning => "warning",
            };
            let at = match (&f.path, f.line) {
                (Some(p), Some(l)) => format!("{} line {l}: ", super::findings::shown(p)),
                (Some(p), None) => format!("{}: ", super::findings::shown(p)),
                _ => String::new(),
            };
            let _ = writeln!(
                s,
                "{label}[{}]: {}",
                f.code,
                terminal_safe(&format!("{at}{}", f.message))
            );
        }
    }
    let count = |sev| r.findings.iter().filter(|f| f.severity == sev).count();
    let warnings = count(Severity::Warning);
    let w = if warnings == 1 { "warning" } else { "warnings" };
    let _ = match r.verdict {
        Verdict::Valid => writeln!(s, "verdict: valid BagIt bag ({warnings} {w})"),
        Verdict::Incomplete => writeln!(
            s,
            "verdict: incomplete BagIt bag: {} file(s) listed in fetch.txt are not present ({warnings} {w})",
            r.not_fetched
        ),
        Verdict::Invalid => writeln!(
            s,
            "verdict: invalid BagIt bag ({} error(s), {warnings} {w})",
            count(Severity::Error)
        ),
    };
    s
}

/// Text from the bag (names, labels, values), safe for a terminal
/// (the project's one escaping rule, [`crate::escape`]).
fn terminal_safe(s: &str) -> String {
    crate::escape::escape(s).into_owned()
}

fn list(algs: &[&str]) -> String {
    if algs.is_empty() {
        "none".to_owned()
    } else {
        algs.join(", ")
    }
}

/// The report as one JSON document, ending in a newline.
pub fn to_json(r: &BagReport) -> String {
    #[derive(serde::Serialize)]
    struct Doc<'a> {
        format: &'static str,
        format_version: u32,
        #[serde(flatten)]
        report: &'a BagReport,
    }
    let doc = Doc {
        format: FORMAT,
        format_version: FORMAT_VERSION,
        report: r,
    };
    // Bag text escaped as in every other report.
    crate::escape::to_json_pretty(&doc)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bag_text_cannot_drive_the_terminal() {
        assert_eq!(
            terminal_safe("a\u{1b}[31mb\u{202e}c"),
            "a\\u{1b}[31mb\\u{202e}c"
        );
        assert_eq!(terminal_safe("Núñez data/x"), "Núñez data/x");
    }
}
