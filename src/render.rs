//! The human verify report: the answer first, then the detail.
//!
//! Line 1 is the verdict in plain words; then a short summary (bundle,
//! signers, files by role, citations, warnings); then one row per check in
//! the report's order with its state; then the findings (a few per code
//! unless verbose), the files with a problem (all files when verbose), and
//! what a valid verdict does not establish. Every string that came from a
//! bundle goes through [`escape`] first, and outside `--verbose` every line
//! is cut to [`WIDTH`] columns (the full text is in `--verbose` and JSON).

use std::collections::BTreeMap;
use std::fmt::Write;

use crate::escape::escape;
use crate::report::{Report, Severity, SignatureStatus};
use crate::verify::container::REZIPPED;

/// The widest line of the non-verbose report, in characters.
pub const WIDTH: usize = 100;
/// Findings of one code shown before the rest are counted, outside `--verbose`.
const PER_CODE: usize = 3;

/// How much detail to show.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Detail {
    /// Every file, every finding, lines not cut.
    pub verbose: bool,
}

/// The human verify report.
pub fn verify_text(r: &Report, d: Detail) -> String {
    // The verdict is never cut: it wraps.
    let mut lines: Vec<String> = wrap(&escape(&r.summary), WIDTH, "    ");
    for f in r.findings.iter().filter(|f| f.code == REZIPPED) {
        lines.push(format!("hint: {}", f.message));
    }
    summary_lines(r, &mut lines);
    lines.push("checks".to_owned());
    for c in &r.checks {
        // A check that did not run says why; one that ran says what it covered.
        let text = match (c.status, c.reason.as_deref()) {
            (crate::report::CheckState::NotRun, Some(why)) => why.to_owned(),
            (_, Some(why)) => format!("{}: {why}", c.detail),
            (_, None) => c.detail.clone(),
        };
        lines.push(format!("  {:<11} {:<8} {text}", c.area, c.status.as_str()));
    }
    for f in r.files.iter().filter(|f| d.verbose || !f.ok) {
        let mark = if f.ok { "ok " } else { "BAD" };
        lines.push(format!(
            "  {mark} {:<10} {:>10}  {}  {}",
            escape(&f.role),
            f.size,
            escape(&f.path),
            escape(&f.title)
        ));
    }
    for c in r.citations.iter().filter(|c| d.verbose || !c.ok) {
        let mark = if c.ok { "ok " } else { "BAD" };
        let loc = c
            .locator
            .as_deref()
            .map(|l| format!(" ({})", escape(l)))
            .unwrap_or_default();
        lines.push(format!(
            "  {mark} citation {} -> {}{loc}",
            escape(&c.id),
            escape(&c.source)
        ));
    }
    finding_lines(r, d, &mut lines);
    for n in &r.not_checked {
        lines.push(format!("not checked: {n}"));
    }
    let mut s = String::new();
    for l in lines {
        let l = if d.verbose { l } else { fit(&l, WIDTH) };
        let _ = writeln!(s, "{l}");
    }
    s
}

/// The verdict line alone (for `-q`).
pub fn verdict_line(r: &Report) -> String {
    let mut s = wrap(&escape(&r.summary), WIDTH, "    ").join("\n");
    s.push('\n');
    s
}

/// The verdict line and the first `n` error and warning findings (for `extract -q`).
pub fn brief(r: &Report, n: usize) -> String {
    let mut s = verdict_line(r);
    for f in r
        .findings
        .iter()
        .filter(|f| f.severity != Severity::Info)
        .take(n)
    {
        let path = f
            .path
            .as_deref()
            .map(|p| format!("{}: ", escape(p)))
            .unwrap_or_default();
        let line = format!(
            "{}: [{}] {path}{}",
            sev_word(f.severity),
            f.code,
            escape(&f.message)
        );
        let _ = writeln!(s, "{}", fit(&line, WIDTH));
    }
    s
}

fn sev_word(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

fn summary_lines(r: &Report, out: &mut Vec<String>) {
    if let Some(id) = &r.identity {
        out.push(format!(
            "  bundle      {}, version {}",
            escape(&id.identifier),
            id.version
        ));
        out.push(format!(
            "  created     {} (the signer's claim)",
            escape(&id.created)
        ));
        if let Some(t) = &id.title {
            out.push(format!("  title       {}", escape(t)));
        }
        if let Some(b) = &r.base {
            out.push(format!(
                "  notes on    {}, version {} (tag manifest {}…)",
                escape(&b.identifier),
                b.version,
                b.tagmanifest_sha256.get(..16).unwrap_or_default()
            ));
        }
    } else {
        out.push(format!("  bundle      {}", escape(&r.bundle.path)));
    }
    for sig in &r.signatures {
        let what = match sig.status {
            SignatureStatus::ValidTrusted => "valid, by a key you trust",
            SignatureStatus::ValidUntrusted => "valid, by a key you do NOT trust",
            SignatureStatus::Invalid => "does NOT verify",
            SignatureStatus::Unverifiable => "by an unknown key: cannot be checked",
            SignatureStatus::WrongComment => "valid, but names another bundle: does not count",
        };
        let by = sig
            .trusted_key
            .as_deref()
            .map(|k| format!(" ({})", escape(k)))
            .unwrap_or_default();
        out.push(format!("  signature   {} {what}{by}", sig.key_id));
        for t in &sig.timestamps {
            out.push(format!("    timestamp {}", escape(&t.describe())));
        }
    }
    if r.check("payload").map(|c| c.status) == Some(crate::report::CheckState::NotRun) {
        out.push("  files       not checked (see the payload check)".to_owned());
    } else if !r.files.is_empty() {
        let mut roles: BTreeMap<&str, usize> = BTreeMap::new();
        for f in &r.files {
            *roles.entry(f.role.as_str()).or_default() += 1;
        }
        let by_role: Vec<String> = roles
            .iter()
            .map(|(k, n)| format!("{n} {}", escape(k)))
            .collect();
        let bad = r.files.iter().filter(|f| !f.ok).count();
        let state = if bad == 0 {
            "every SHA-256 matches".to_owned()
        } else {
            format!("{bad} do NOT match")
        };
        out.push(format!(
            "  files       {}: {}; {state}",
            r.files.len(),
            by_role.join(", ")
        ));
    }
    if !r.citations.is_empty() {
        let ok = r.citations.iter().filter(|c| c.ok).count();
        out.push(format!(
            "  citations   {} checked, {ok} stand in their sources",
            r.citations.len()
        ));
        // The coverage line (citations, FORMAT.md §7.2), in full.
        if let Some(f) = r.findings.iter().find(|f| f.code == "citation.coverage") {
            for (i, l) in crate::citations::wrap(&escape(&f.message), WIDTH - 14)
                .iter()
                .enumerate()
            {
                let head = if i == 0 {
                    "  quotations  "
                } else {
                    "              "
                };
                out.push(format!("{head}{l}"));
            }
        }
    }
    out.extend(crate::verify::tolerated::summary_lines(r));
    let count = |s: Severity| r.findings.iter().filter(|f| f.severity == s).count();
    let (e, w, n) = (
        count(Severity::Error),
        count(Severity::Warning),
        count(Severity::Info),
    );
    if e + w + n > 0 {
        out.push(format!(
            "  findings    {e} errors, {w} warnings, {n} notes (below)"
        ));
    }
}

fn finding_lines(r: &Report, d: Detail, out: &mut Vec<String>) {
    let mut shown: BTreeMap<&str, usize> = BTreeMap::new();
    for f in r.findings.iter().filter(|f| f.code != REZIPPED) {
        // Warnings and notes can be many (one per uncited source, per
        // confusable): show a few of each code, count the rest.
        let n = shown.entry(f.code.as_str()).or_insert(0);
        *n += 1;
        if !d.verbose && f.severity != Severity::Error && *n > PER_CODE {
            continue;
        }
        let sev = sev_word(f.severity);
        let path = f
            .path
            .as_deref()
            .map(|p| format!("{}: ", escape(p)))
            .unwrap_or_default();
        let at = match (f.position.line, f.position.column) {
            (Some(l), Some(c)) => format!("line {l}, column {c}: "),
            (Some(l), None) => format!("line {l}: "),
            _ => String::new(),
        };
        out.push(format!(
            "{sev}: [{}] {path}{at}{}",
            f.code,
            escape(&f.message)
        ));
    }
    if !d.verbose {
        for (code, n) in shown.iter().filter(|(_, n)| **n > PER_CODE) {
            let is_error = r
                .findings
                .iter()
                .any(|f| f.code == *code && f.severity == Severity::Error);
            if !is_error {
                out.push(format!(
                    "  … {} more [{code}] (see --verbose or --json)",
                    n - PER_CODE
                ));
            }
        }
    }
}

/// `s` broken at spaces into lines of at most `width` characters (a word
/// longer than that stands alone), continuation lines starting with `indent`.
pub fn wrap(s: &str, width: usize, indent: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut line = String::new();
    let mut fresh = true; // nothing but the indent on this line yet
    for word in s.split(' ') {
        let len = line.chars().count();
        if !fresh && len + 1 + word.chars().count() > width {
            out.push(std::mem::take(&mut line));
            line.push_str(indent);
            fresh = true;
        }
        if !fresh {
            line.push(' ');
        }
        line.push_str(word);
        fresh = false;
    }
    out.push(line);
    out
}

/// `s` cut to `width` characters, ending in `…` when cut.
pub fn fit(s: &str, width: usize) -> String {
    if s.chars().count() <= width {
        return s.to_owned();
    }
    let mut out: String = s.chars().take(width.saturating_sub(1)).collect();
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    use super::fit;

    #[test]
    fn long_lines_are_cut_with_an_ellipsis() {
        assert_eq!(fit("abc", 3), "abc");
        assert_eq!(fit("abcd", 3), "ab…");
        assert_eq!(fit("Беларусь", 5), "Бела…");
        assert_eq!(fit(&"x".repeat(250), 100).chars().count(), 100);
    }

    #[test]
    fn the_verdict_wraps_at_spaces_and_loses_nothing() {
        let s = "UNTRUSTED — intact, but signed only by 1BA9A9384CB76FE7, not by a key you trust; you trust m.pub = 0123456789ABCDEF";
        let lines = super::wrap(s, 40, "    ");
        assert!(lines.iter().all(|l| l.chars().count() <= 40), "{lines:?}");
        assert!(lines[1].starts_with("    "), "{lines:?}");
        let joined: Vec<&str> = lines.iter().flat_map(|l| l.split_whitespace()).collect();
        assert_eq!(joined.join(" "), s);
        assert_eq!(super::wrap("short", 40, "  "), ["short"]);
    }
}
