//! The quoted spans of a statement: text between quotation marks, found by
//! the rule of docs/FORMAT.md §7.5 so pack and verify find the same spans.
//!
//! Within a paragraph (text between blank lines):
//! - `"` closes the innermost open `"` if one is open, else opens;
//! - `“` and `„` open; `”` closes the innermost `“` or `„`, and `“` closes
//!   an open `„` (German style); `«`/`»` and `‹`/`›` pair likewise;
//! - `‘`, `‚` and `'` open only at the start of a word (after the start,
//!   white space, an opening bracket, dash or quotation mark, and before a
//!   non-space); `’` and `'` close an open single quote only at the end of
//!   a word (not before a letter or digit). Any other `’` or `'` is an
//!   apostrophe ("Russia’s", "Belarus' neighbours").
//!
//! A double mark or guillemet left open at the end of a paragraph, or a
//! closing one with nothing to close, is a *stray* mark (reported, never
//! fatal); an unclosed single quote is taken for an apostrophe.
//!
//! Linear in the text; spans nest (a single-quoted span inside a double-
//! quoted one is found too, with its depth).

/// A span between quotation marks, in byte offsets of the text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QuotedSpan {
    /// The opening mark's first byte.
    pub open: usize,
    /// The first byte after the opening mark.
    pub start: usize,
    /// The closing mark's first byte (end of the quoted words).
    pub end: usize,
    /// One past the closing mark.
    pub close: usize,
    /// How many quoted spans enclose this one.
    pub depth: usize,
}

/// The quoted spans of `text` in order of their opening marks, and the
/// byte offsets of stray double marks.
pub fn quoted_spans(text: &str) -> (Vec<QuotedSpan>, Vec<usize>) {
    let mut spans = Vec::new();
    let mut stray = Vec::new();
    let mut open: Vec<(char, usize, usize)> = Vec::new();
    let mut prev: Option<char> = None;
    let mut blank_line = false;
    let mut iter = text.char_indices().peekable();
    while let Some((at, c)) = iter.next() {
        let next = iter.peek().map(|&(_, n)| n);
        let after = at + c.len_utf8();
        if c == '\n' {
            if blank_line {
                end_paragraph(&mut open, &mut stray);
            }
            blank_line = true;
            prev = Some(c);
            continue;
        }
        if !c.is_whitespace() {
            blank_line = false;
        }
        let mut close = |open: &mut Vec<(char, usize, usize)>, k: usize| {
            let (_, o, s) = open[k];
            open.truncate(k);
            spans.push(QuotedSpan {
                open: o,
                start: s,
                end: at,
                close: after,
                depth: open.len(),
            });
        };
        let word_start = prev.is_none_or(opens_before) && next.is_some_and(|n| !n.is_whitespace());
        let word_end =
            !next.is_some_and(char::is_alphanumeric) && prev.is_some_and(|p| !p.is_whitespace());
        match c {
            '"' => match innermost(&open, &['"']) {
                Some(k) => close(&mut open, k),
                None => open.push((c, at, after)),
            },
            '\u{201C}' => match innermost(&open, &['\u{201E}']) {
                Some(k) if !word_start => close(&mut open, k),
                _ => open.push((c, at, after)),
            },
            '\u{201E}' | '\u{AB}' | '\u{2039}' => open.push((c, at, after)),
            '\u{201D}' => closing(&mut open, &['\u{201C}', '\u{201E}'], at, &mut stray, close),
            '\u{BB}' => closing(&mut open, &['\u{AB}'], at, &mut stray, close),
            '\u{203A}' => closing(&mut open, &['\u{2039}'], at, &mut stray, close),
            '\u{2018}' | '\u{201A}' | '\'' if word_start => open.push((c, at, after)),
            '\u{2019}' | '\'' if word_end => {
                if let Some(k) = innermost(&open, &['\u{2018}', '\u{201A}', '\'']) {
                    close(&mut open, k);
                }
            }
            _ => {}
        }
        prev = Some(c);
    }
    end_paragraph(&mut open, &mut stray);
    spans.sort_by_key(|s| s.open);
    stray.sort_unstable();
    (spans, stray)
}

/// A closing mark: closes the innermost of `openers`, else is stray.
fn closing(
    open: &mut Vec<(char, usize, usize)>,
    openers: &[char],
    at: usize,
    stray: &mut Vec<usize>,
    mut close: impl FnMut(&mut Vec<(char, usize, usize)>, usize),
) {
    match innermost(open, openers) {
        Some(k) => close(open, k),
        None => stray.push(at),
    }
}

/// Index in `open` of the innermost mark among `marks`.
fn innermost(open: &[(char, usize, usize)], marks: &[char]) -> Option<usize> {
    open.iter().rposition(|(m, _, _)| marks.contains(m))
}

/// Marks still open at a paragraph's end: double ones are stray, single
/// ones were apostrophes.
fn end_paragraph(open: &mut Vec<(char, usize, usize)>, stray: &mut Vec<usize>) {
    for (m, at, _) in open.drain(..) {
        if !matches!(m, '\u{2018}' | '\u{201A}' | '\'') {
            stray.push(at);
        }
    }
}

/// Whether a single quote after `p` stands at the start of a word.
fn opens_before(p: char) -> bool {
    p.is_whitespace()
        || matches!(
            p,
            '(' | '[' | '{' | '"' | '\u{201C}' | '\u{201E}' | '\u{AB}' | '\u{2039}' | '-'
        )
        || ('\u{2010}'..='\u{2015}').contains(&p)
}

#[cfg(test)]
mod tests {
    use super::quoted_spans;

    fn inner(text: &str) -> Vec<&str> {
        quoted_spans(text)
            .0
            .iter()
            .map(|s| &text[s.start..s.end])
            .collect()
    }

    #[test]
    fn finds_each_kind_of_mark() {
        let t = "a \"b c\" d “e” f «g» h ‘i’ j 'k l' m „n“ o „p”";
        assert_eq!(inner(t), ["b c", "e", "g", "i", "k l", "n", "p"]);
    }

    #[test]
    fn apostrophes_are_not_quotation_marks() {
        let t = "Russia’s army, Belarus' neighbours, proxies' acts, rock 'n' roll ’tis";
        assert_eq!(inner(t), ["n"]);
        assert!(quoted_spans(t).1.is_empty());
    }

    #[test]
    fn nested_spans_have_depth() {
        let t = "“called ‘protected persons’ in it” and \"x 'y' z\"";
        let (spans, stray) = quoted_spans(t);
        let found: Vec<(&str, usize)> = spans
            .iter()
            .map(|s| (&t[s.start..s.end], s.depth))
            .collect();
        assert_eq!(
            found,
            [
                ("called ‘protected persons’ in it", 0),
                ("protected persons", 1),
                ("x 'y' z", 0),
                ("y", 1)
            ]
        );
        assert!(stray.is_empty());
    }

    #[test]
    fn stray_marks_end_at_paragraphs() {
        let t = "open \"here\n\nand ” there \"ok\"";
        let (spans, stray) = quoted_spans(t);
        assert_eq!(spans.len(), 1);
        assert_eq!(stray, vec![5, t.find('”').unwrap()]);
    }

    #[test]
    fn the_real_statement_has_twelve_spans() {
        let t = include_str!("../../archive/statement/statement-en.txt");
        let (spans, stray) = quoted_spans(t);
        assert_eq!(spans.len(), 12);
        assert!(stray.is_empty());
        assert_eq!(&t[spans[0].start..spans[0].end], "occupation");
    }
}
