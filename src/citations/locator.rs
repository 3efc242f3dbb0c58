//! Locators checked against the source's own headings (docs/FORMAT.md
//! §7.4). The rule, kept small so anyone can apply it by hand:
//!
//! - A locator *names an article* when it holds `Article`, `Art.`, `Art`,
//!   `Статья`, `Стаття`, `Артыкул` or `Artikel` (any case) followed by a
//!   number; the first such number counts. It *names the preamble* when it
//!   holds `preamble` (any case) or `преамбула`. Any other locator is
//!   *unchecked*.
//! - A line of the source is an *article heading* when, after leading `#`,
//!   `*` and white space, it starts with one of those words, white space
//!   or nothing (after `Art.`), and a number not followed by a digit
//!   (`### Article  43`, `Art 43. The authority…`, `Статья 4.`).
//! - A passage lies within article N when the last heading at or before
//!   its first byte names N and no heading starts inside it; it lies in
//!   the preamble when no heading comes before it. A source without
//!   headings leaves the locator unchecked.
//!
//! Numbering that restarts (a convention's articles and then its annexed
//! regulations') is not told apart: the nearest heading decides.

use super::model::{LocatorCheck, LocatorStatus};
use super::position::Positions;

/// The words that introduce an article number, lower-cased.
const ARTICLE_WORDS: &[&str] = &[
    "article",
    "art.",
    "art",
    "статья",
    "стаття",
    "артыкул",
    "artikel",
];

/// What a locator names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Named {
    Article(u32),
    Preamble,
}

/// Checks that bytes `start..end` of `text` lie where `locator` says.
pub(crate) fn check(
    locator: &str,
    text: &str,
    pos: &Positions,
    start: usize,
    end: usize,
) -> LocatorCheck {
    let unchecked = |why: &str| LocatorCheck {
        status: LocatorStatus::Unchecked,
        heading: None,
        line: None,
        why: Some(why.to_owned()),
    };
    let Some(named) = named(locator) else {
        return unchecked("the locator names no article or preamble");
    };
    let headings = headings(text);
    if headings.is_empty() {
        return unchecked("the source has no article headings");
    }
    let before = headings.iter().rev().find(|h| h.0 <= start);
    let inside = headings.iter().find(|h| h.0 > start && h.0 < end);
    let (status, why) = match (named, before, inside) {
        (_, _, Some(h)) => (
            LocatorStatus::Mismatch,
            Some(format!(
                "the passage runs into the next heading at line {}",
                pos.line_column(h.0).0
            )),
        ),
        (Named::Preamble, None, None) => (LocatorStatus::Checked, None),
        (Named::Preamble, Some(_), None) => (
            LocatorStatus::Mismatch,
            Some("the passage lies after the first article heading".to_owned()),
        ),
        (Named::Article(n), Some(h), None) if h.1 == n => (LocatorStatus::Checked, None),
        (Named::Article(n), Some(h), None) => (
            LocatorStatus::Mismatch,
            Some(format!("the passage lies in article {}, not {n}", h.1)),
        ),
        (Named::Article(n), None, None) => (
            LocatorStatus::Mismatch,
            Some(format!(
                "the passage lies before the first article heading, not in article {n}"
            )),
        ),
    };
    let heading = before.map(|h| {
        let (line, _) = pos.line_column(h.0);
        (
            pos.line_text(line).unwrap_or_default().trim().to_owned(),
            line,
        )
    });
    LocatorCheck {
        status,
        heading: heading.as_ref().map(|h| cut(&h.0)),
        line: heading.map(|h| h.1),
        why,
    }
}

/// The heading text as shown: at most 80 characters.
fn cut(s: &str) -> String {
    match s.char_indices().nth(80) {
        Some((i, _)) => format!("{}…", s.get(..i).unwrap_or_default()),
        None => s.to_owned(),
    }
}

/// What a locator names, if the rule can check it.
fn named(locator: &str) -> Option<Named> {
    let lower = locator.to_lowercase();
    let words: Vec<&str> = lower.split_whitespace().collect();
    for (i, w) in words.iter().enumerate() {
        let w = w.trim_matches(|c: char| c == ',' || c == ';' || c == ':' || c == '(');
        if let Some(n) = article_number(w, words.get(i + 1).copied()) {
            return Some(Named::Article(n));
        }
    }
    (lower.contains("preamble") || lower.contains("преамбул")).then_some(Named::Preamble)
}

/// The number after an article word: `art.43` in one word, or the next word.
fn article_number(word: &str, next: Option<&str>) -> Option<u32> {
    ARTICLE_WORDS.iter().find_map(|a| {
        let rest = word.strip_prefix(a)?;
        let digits = if rest.is_empty() { next? } else { rest };
        leading_number(digits)
    })
}

/// The number a string starts with, if it is one not followed by a digit.
fn leading_number(s: &str) -> Option<u32> {
    let digits: String = s.chars().take_while(char::is_ascii_digit).collect();
    if digits.is_empty() || digits.len() > 6 {
        return None;
    }
    digits.parse().ok()
}

/// Every article heading: (byte offset of its line, article number).
fn headings(text: &str) -> Vec<(usize, u32)> {
    let mut out = Vec::new();
    let mut at = 0;
    for line in text.split_inclusive('\n') {
        if let Some(n) = heading_number(line) {
            out.push((at, n));
        }
        at += line.len();
    }
    out
}

/// The article number of a heading line.
fn heading_number(line: &str) -> Option<u32> {
    let body = line.trim_start_matches(|c: char| c == '#' || c == '*' || c.is_whitespace());
    let lower: String = body.chars().take(24).collect::<String>().to_lowercase();
    ARTICLE_WORDS.iter().find_map(|a| {
        let rest = lower.strip_prefix(a)?;
        let spaced = rest.trim_start();
        // "Article43" is no heading, "Art.43" is.
        if spaced.len() == rest.len() && !a.ends_with('.') {
            return None;
        }
        leading_number(spaced)
    })
}

#[cfg(test)]
mod tests {
    use super::super::model::LocatorStatus::*;
    use super::super::position::Positions;
    use super::*;

    fn at(text: &str, words: &str, locator: &str) -> LocatorStatus {
        let start = text.find(words).expect("words in text");
        check(
            locator,
            text,
            &Positions::new(text),
            start,
            start + words.len(),
        )
        .status
    }

    #[test]
    fn the_rule_table() {
        let t = "Preamble words.\n### Article  2  \n\nScope words.\nArt 43. The authority here.\nСтатья 4.\nпомощь\n";
        let cases = [
            ("Scope words", "Article 2, second paragraph", Checked),
            ("Scope words", "Article 99", Mismatch),
            ("Scope words", "Art. 2", Checked),
            ("The authority", "Regulations, Article 43", Checked),
            ("The authority", "Article 4", Mismatch),
            ("помощь", "статья 4", Checked),
            ("Preamble words", "Preamble", Checked),
            ("Preamble words", "Article 2", Mismatch),
            ("Scope words", "preamble", Mismatch),
            ("Scope words", "second paragraph", Unchecked),
            ("Scope words.\nArt 43", "Article 2", Mismatch),
        ];
        for (words, locator, want) in cases {
            assert_eq!(at(t, words, locator), want, "{locator} at {words:?}");
        }
        assert_eq!(at("no headings here", "headings", "Article 1"), Unchecked);
    }

    #[test]
    fn a_number_glued_to_a_word_is_no_heading() {
        assert_eq!(heading_number("Article31) text"), None);
        assert_eq!(heading_number("Article 31) text"), Some(31));
        assert_eq!(heading_number("Articles of association"), None);
        assert_eq!(heading_number("Art.7 x"), Some(7));
    }
}
