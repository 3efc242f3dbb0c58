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

/// Pretty JSON in which every character [`needs_escape`] flags is written as
/// a `\uXXXX` escape, so a JSON report printed to a terminal carries no raw
/// C1 control, bidi override or zero-width character either (JSON itself
/// only requires the C0 controls escaped). The document means the same.
pub fn to_json_pretty<T: serde::Serialize + ?Sized>(value: &T) -> String {
    let mut out = Vec::with_capacity(4096);
    let mut ser = serde_json::Serializer::with_formatter(&mut out, SafeJson::default());
    if value.serialize(&mut ser).is_err() {
        return String::new();
    }
    let mut s = String::from_utf8(out).unwrap_or_default();
    s.push('\n');
    s
}

/// [`serde_json::ser::PrettyFormatter`] that also escapes what [`needs_escape`] flags.
#[derive(Default)]
struct SafeJson<'a>(serde_json::ser::PrettyFormatter<'a>);

impl serde_json::ser::Formatter for SafeJson<'_> {
    fn write_string_fragment<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        fragment: &str,
    ) -> std::io::Result<()> {
        let mut rest = fragment;
        while let Some((i, c)) = rest.char_indices().find(|(_, c)| needs_escape(*c)) {
            w.write_all(rest.get(..i).unwrap_or_default().as_bytes())?;
            let mut units = [0u16; 2];
            for u in c.encode_utf16(&mut units) {
                write!(w, "\\u{u:04x}")?;
            }
            rest = rest.get(i + c.len_utf8()..).unwrap_or_default();
        }
        w.write_all(rest.as_bytes())
    }
    fn begin_array<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.begin_array(w)
    }
    fn end_array<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.end_array(w)
    }
    fn begin_array_value<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.0.begin_array_value(w, first)
    }
    fn end_array_value<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.end_array_value(w)
    }
    fn begin_object<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.begin_object(w)
    }
    fn end_object<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.end_object(w)
    }
    fn begin_object_key<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.0.begin_object_key(w, first)
    }
    fn begin_object_value<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.begin_object_value(w)
    }
    fn end_object_value<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.end_object_value(w)
    }
}

#[cfg(test)]
mod json_tests {
    use super::to_json_pretty;

    #[test]
    fn json_escapes_what_a_terminal_must_not_see_and_means_the_same() {
        let v = serde_json::json!({"t": "a\u{1b}[2J\u{9b}b\u{202e}c\u{200b}d\u{e0041}é"});
        let s = to_json_pretty(&v);
        assert!(
            s.contains(r"a\u001b[2J\u009bb\u202ec\u200bd\udb40\udc41é"),
            "{s}"
        );
        assert!(
            !s.chars().any(|c| c != '\n' && super::needs_escape(c)),
            "{s}"
        );
        let back: serde_json::Value = serde_json::from_str(&s).unwrap();
        assert_eq!(back, v);
        let plain = serde_json::json!({"x": [1, {"y": null}], "z": "ok"});
        let want = format!("{}\n", serde_json::to_string_pretty(&plain).unwrap());
        assert_eq!(
            to_json_pretty(&plain),
            want,
            "same layout as serde_json's pretty printer"
        );
    }
}
