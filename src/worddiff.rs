//! A word-level diff of prose, for `history`: each changed passage shown
//! once, in its sentence, as `… context [-removed-]{+added+} context …`, so a
//! one-word correction shows that word and not two 900-character paragraphs.
//!
//! Bounded cost: the diff algorithm gets a deadline and falls back to a
//! coarser (still correct) diff when it passes; texts over [`MAX_WORD_DIFF`]
//! bytes are diffed by lines instead of words. No clock is needed for that
//! fallback outside the CLI: without the `cli` feature no deadline is set,
//! and the size cap alone bounds the work.

use std::fmt::Write;

use similar::{Algorithm, ChangeTag, TextDiff, TextDiffConfig};

/// Texts larger than this (either side) are diffed by lines.
pub const MAX_WORD_DIFF: usize = 1 << 20;
/// Words of unchanged context shown on each side of a change.
const CONTEXT: usize = 8;

/// The changed passages of `new` against `old`, one line each.
pub fn word_diff(old: &str, new: &str) -> String {
    let mut cfg = TextDiffConfig::default();
    cfg.algorithm(Algorithm::Patience);
    #[cfg(feature = "cli")]
    cfg.timeout(std::time::Duration::from_secs(2));
    let diff = if old.len() > MAX_WORD_DIFF || new.len() > MAX_WORD_DIFF {
        cfg.diff_lines(old, new)
    } else {
        cfg.diff_words(old, new)
    };
    render(&diff)
}

fn render<'a>(diff: &TextDiff<'a, 'a, 'a, str>) -> String {
    let changes: Vec<(ChangeTag, &str)> = diff
        .iter_all_changes()
        .map(|c| (c.tag(), c.value()))
        .collect();
    let mut out = String::new();
    let mut i = 0;
    while i < changes.len() {
        if changes.get(i).is_some_and(|(t, _)| *t == ChangeTag::Equal) {
            i += 1;
            continue;
        }
        // A hunk: changes, possibly separated by short runs of equal words.
        let start = i;
        let mut end = i;
        while end < changes.len() {
            let run = changes
                .get(end..)
                .unwrap_or_default()
                .iter()
                .take_while(|(t, _)| *t == ChangeTag::Equal)
                .count();
            if run == 0 {
                end += 1;
            } else if words(changes.get(end..end + run).unwrap_or_default()) <= 2 * CONTEXT
                && end + run < changes.len()
            {
                end += run;
            } else {
                break;
            }
        }
        let before = context_before(changes.get(..start).unwrap_or_default());
        let after = context_after(changes.get(end..).unwrap_or_default());
        let mut line = String::new();
        line.push_str(&before);
        for (tag, text) in changes.get(start..end).unwrap_or_default() {
            match tag {
                ChangeTag::Equal => line.push_str(text),
                ChangeTag::Delete => {
                    let _ = write!(line, "[-{text}-]");
                }
                ChangeTag::Insert => {
                    let _ = write!(line, "{{+{text}+}}");
                }
            }
        }
        line.push_str(&after);
        let _ = writeln!(out, "{}", line.replace('\n', " ¶ ").trim_end());
        i = end;
    }
    out
}

fn words(part: &[(ChangeTag, &str)]) -> usize {
    part.iter().filter(|(_, t)| !t.trim().is_empty()).count()
}

fn context_before(part: &[(ChangeTag, &str)]) -> String {
    let keep = take_words(part.iter().rev(), CONTEXT);
    let text: String = part
        .get(part.len().saturating_sub(keep)..)
        .unwrap_or_default()
        .iter()
        .map(|(_, t)| *t)
        .collect();
    if keep < part.len() {
        format!("…{text}")
    } else {
        text
    }
}

fn context_after(part: &[(ChangeTag, &str)]) -> String {
    let equal: Vec<&(ChangeTag, &str)> = part
        .iter()
        .take_while(|(t, _)| *t == ChangeTag::Equal)
        .collect();
    let keep = take_words(equal.iter().copied(), CONTEXT);
    let text: String = equal.iter().take(keep).map(|(_, t)| *t).collect();
    if keep < part.len() {
        format!("{text}…")
    } else {
        text
    }
}

/// How many tokens from the iterator hold `n` words (white space between included).
fn take_words<'a>(it: impl Iterator<Item = &'a (ChangeTag, &'a str)>, n: usize) -> usize {
    let mut count = 0;
    let mut seen = 0;
    for (_, t) in it {
        if !t.trim().is_empty() {
            if seen == n {
                break;
            }
            seen += 1;
        }
        count += 1;
    }
    count
}

#[cfg(test)]
mod tests {
    use super::word_diff;

    #[test]
    fn a_one_word_correction_shows_that_word_in_its_sentence() {
        let para = |w: &str| {
            format!(
                "{} The treaty was signed on {w} in Kyiv by both presidents. {}",
                "Lorem ipsum dolor sit amet. ".repeat(30),
                "Consectetur adipiscing elit. ".repeat(30)
            )
        };
        let d = word_diff(&para("17 July 1995"), &para("17 August 1995"));
        assert_eq!(d.lines().count(), 1, "{d}");
        assert!(d.contains("[-July-]{+August+}"), "{d}");
        assert!(d.contains("signed on 17 "), "{d}");
        assert!(d.len() < 200, "{} bytes: {d}", d.len());
    }

    #[test]
    fn separate_changes_are_separate_lines_and_equal_texts_have_none() {
        let old = format!("alpha {} omega", "word ".repeat(40));
        let new = format!("ALPHA {} OMEGA", "word ".repeat(40));
        let d = word_diff(&old, &new);
        assert_eq!(d.lines().count(), 2, "{d}");
        assert!(d.starts_with("[-alpha-]{+ALPHA+} word"), "{d}");
        assert_eq!(word_diff("same text", "same text"), "");
    }

    #[test]
    fn huge_texts_fall_back_to_lines() {
        let old = "line\n".repeat(300_000);
        let mut new = old.clone();
        new.push_str("added\n");
        let d = word_diff(&old, &new);
        assert!(d.contains("{+added ¶ +}"), "{}", &d[..d.len().min(200)]);
    }
}
