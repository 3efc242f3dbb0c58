//! Escaping text that came from a bundle or a key file before it reaches a
//! terminal.
//!
//! Every string a bundle controls (names, comments, every field of
//! `docseal.json` and `bag-info.txt`) passes through [`escape`] before any
//! command prints it: control characters (C0, DEL and C1), Unicode format
//! characters (zero-width, bidi embeddings, overrides and isolates, tags)
//! and line/paragraph separators become `\u{..}`, so a crafted value cannot
//! move the cursor, recolour the terminal, hide text or reorder it.

use std::borrow::Cow;

/// The text with every control, format and separator character written as `\u{..}`.
pub fn escape(s: &str) -> Cow<'_, str> {
    // Almost every string needs nothing escaped: borrow it then.
    if !s.chars().any(needs_escape) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if needs_escape(c) {
            out.extend(c.escape_unicode());
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Whether `c` must not reach a terminal raw.
pub fn needs_escape(c: char) -> bool {
    c.is_control() || is_format_or_separator(c)
}

/// Unicode general categories Cf (format), Zl and Zp (line and paragraph
/// separators), and the invisible fillers that render as nothing.
fn is_format_or_separator(c: char) -> bool {
    matches!(c,
        '\u{00AD}' | '\u{0600}'..='\u{0605}' | '\u{061C}' | '\u{06DD}' | '\u{070F}'
        | '\u{0890}'..='\u{0891}' | '\u{08E2}' | '\u{115F}'..='\u{1160}' | '\u{17B4}'..='\u{17B5}'
        | '\u{180B}'..='\u{180F}' | '\u{200B}'..='\u{200F}' | '\u{2028}'..='\u{202E}'
        | '\u{2060}'..='\u{206F}' | '\u{3164}' | '\u{FE00}'..='\u{FE0F}' | '\u{FEFF}'
        | '\u{FFA0}' | '\u{FFF9}'..='\u{FFFB}' | '\u{110BD}' | '\u{110CD}'
        | '\u{13430}'..='\u{1343F}' | '\u{1BCA0}'..='\u{1BCA3}' | '\u{1D173}'..='\u{1D17A}'
        | '\u{E0000}'..='\u{E0FFF}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terminal_controls_and_invisibles_are_escaped() {
        for (raw, shown) in [
            ("a\u{1b}[2Jb", "a\\u{1b}[2Jb"),
            ("\u{9b}31m", "\\u{9b}31m"),
            ("\u{1b}]8;;http://x\u{7}", "\\u{1b}]8;;http://x\\u{7}"),
            ("abc\u{202e}fed", "abc\\u{202e}fed"),
            ("x\u{2067}y\u{2069}", "x\\u{2067}y\\u{2069}"),
            ("zero\u{200b}width", "zero\\u{200b}width"),
            ("tag\u{e0041}", "tag\\u{e0041}"),
            ("line\u{2028}sep", "line\\u{2028}sep"),
            ("new\nline\r", "new\\u{a}line\\u{d}"),
        ] {
            assert_eq!(escape(raw), shown, "{raw:?}");
        }
    }

    #[test]
    fn printable_text_is_borrowed_unchanged() {
        for s in ["plain", "Беларусь — «цитата»", "Ελλάδα", "日本語", "a b\tc"]
        {
            let e = escape(s);
            if s.contains('\t') {
                assert_eq!(e, "a b\\u{9}c");
            } else {
                assert!(matches!(e, Cow::Borrowed(_)), "{s}");
            }
        }
    }
}
