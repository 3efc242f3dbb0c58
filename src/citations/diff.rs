//! A one-line, human-readable difference of two short texts, for messages:
//! computed character by character (Myers, via `similar`), then widened to
//! whole words and shown with a little context.
//!
//! Output grammar: unchanged text, `[-removed-]` for text of `expected`
//! missing from `found`, `{+added+}` for text of `found` not in `expected`,
//! `…` where unchanged text was left out. Line breaks and tabs show as
//! `\n`, `\r`, `\t`; characters that show nothing as `<U+200B>`; inside a
//! change, a letter that looks like a Latin one, a non-ASCII space or
//! punctuation is followed by its code point (`А<U+0410>`), so the
//! difference is visible. The output never contains a line break.

use std::time::{Duration, Instant};

use similar::{Algorithm, DiffTag};

use super::code_point;
use super::confusables::{is_suspicious, looks_latin};

/// Longest input compared, in characters; the rest is cut and marked `…`.
const MAX_DIFF_CHARS: usize = 4_000;
/// Unchanged characters shown on each side of a change.
const CONTEXT: usize = 20;

/// The character-level difference of `expected` and `found` on one line,
/// e.g. `…the said occupation [-meets-]{+met+} with no armed…`. Equal texts
/// give the text itself (escaped).
pub fn diff_marked(expected: &str, found: &str) -> String {
    let old: Vec<char> = expected.chars().take(MAX_DIFF_CHARS).collect();
    let new: Vec<char> = found.chars().take(MAX_DIFF_CHARS).collect();
    let cut = old.len() < expected.chars().count() || new.len() < found.chars().count();
    // A deadline bounds the worst case of very different long texts.
    let deadline = Instant::now() + Duration::from_millis(500);
    let ops = similar::capture_diff_slices_deadline(Algorithm::Myers, &old, &new, Some(deadline));
    let mut segs = Vec::new();
    for op in ops {
        let (tag, a, b) = op.as_tag_tuple();
        let del = old.get(a).unwrap_or_default();
        let ins = new.get(b).unwrap_or_default();
        match (tag, segs.last_mut()) {
            (DiffTag::Equal, _) => segs.push(Seg::Same(del.to_vec())),
            (_, Some(Seg::Changed(d, i))) => {
                d.extend_from_slice(del);
                i.extend_from_slice(ins);
            }
            _ => segs.push(Seg::Changed(del.to_vec(), ins.to_vec())),
        }
    }
    let mut out = render(&widen(segs));
    if cut {
        out.push('…');
    }
    out
}

/// A piece of the difference.
enum Seg {
    /// Characters in both texts.
    Same(Vec<char>),
    /// Characters removed and added.
    Changed(Vec<char>, Vec<char>),
}

fn is_word(c: Option<&char>) -> bool {
    c.is_some_and(|c| c.is_alphanumeric())
}

/// Widens each change to the whole words it touches, merging changes that
/// then meet, so "meets" → "met" shows as one word replaced.
fn widen(segs: Vec<Seg>) -> Vec<Seg> {
    let mut out: Vec<Seg> = Vec::with_capacity(segs.len());
    let mut rest = segs.into_iter().peekable();
    while let Some(seg) = rest.next() {
        let (mut del, mut ins) = match seg {
            Seg::Same(s) => {
                out.push(Seg::Same(s));
                continue;
            }
            Seg::Changed(d, i) => (d, i),
        };
        if let Some(Seg::Same(prev)) = out.last_mut() {
            if is_word(del.first()) || is_word(ins.first()) {
                let n = prev
                    .iter()
                    .rev()
                    .take_while(|c| c.is_alphanumeric())
                    .count();
                let moved = prev.split_off(prev.len() - n);
                del.splice(0..0, moved.iter().copied());
                ins.splice(0..0, moved);
            }
        }
        if let Some(Seg::Same(next)) = rest.peek_mut() {
            if is_word(del.last()) || is_word(ins.last()) {
                let n = next.iter().take_while(|c| c.is_alphanumeric()).count();
                let moved: Vec<char> = next.drain(..n).collect();
                del.extend_from_slice(&moved);
                ins.extend(moved);
            }
        }
        if matches!(out.last(), Some(Seg::Same(p)) if p.is_empty()) {
            out.pop();
        }
        match out.last_mut() {
            Some(Seg::Changed(d, i)) => {
                d.extend(del);
                i.extend(ins);
            }
            _ => out.push(Seg::Changed(del, ins)),
        }
    }
    out
}

fn render(segs: &[Seg]) -> String {
    let mut out = String::new();
    let last = segs.len().saturating_sub(1);
    for (k, seg) in segs.iter().enumerate() {
        match seg {
            Seg::Same(s) if segs.len() == 1 => out.push_str(&plain(s)),
            Seg::Same(s) if k == 0 => out.push_str(&tail(s)),
            Seg::Same(s) if k == last => out.push_str(&head(s)),
            Seg::Same(s) if s.len() <= 2 * CONTEXT => out.push_str(&plain(s)),
            Seg::Same(s) => {
                let h = head(s);
                out.push_str(&h);
                out.push_str(tail(s).trim_start_matches('…'));
            }
            Seg::Changed(d, i) => {
                if !d.is_empty() {
                    out.push_str(&format!("[-{}-]", marked(d)));
                }
                if !i.is_empty() {
                    out.push_str(&format!("{{+{}+}}", marked(i)));
                }
            }
        }
    }
    out
}

/// The last `CONTEXT` characters of `s`, from a word start, after `…`.
fn tail(s: &[char]) -> String {
    let Some(mut from) = s.len().checked_sub(CONTEXT).filter(|&f| f > 0) else {
        return plain(s);
    };
    if !s.get(from - 1).is_some_and(|c| c.is_whitespace()) {
        if let Some(sp) = s
            .get(from..)
            .and_then(|w| w.iter().position(|c| c.is_whitespace()))
        {
            from += sp + 1;
        }
    }
    format!("…{}", plain(s.get(from..).unwrap_or_default()))
}

/// The first `CONTEXT` characters of `s`, to a word end, before `…`.
fn head(s: &[char]) -> String {
    if s.len() <= CONTEXT {
        return plain(s);
    }
    let mut to = CONTEXT;
    if !s.get(to).is_some_and(|c| c.is_whitespace()) {
        if let Some(sp) = s
            .get(..to)
            .and_then(|w| w.iter().rposition(|c| c.is_whitespace()))
        {
            to = sp;
        }
    }
    format!("{}…", plain(s.get(..to).unwrap_or_default()))
}

/// Unchanged text, escaped.
fn plain(s: &[char]) -> String {
    s.iter().map(|&c| escape(c, false)).collect()
}

/// Changed text, escaped, with lookalikes marked.
fn marked(s: &[char]) -> String {
    s.iter().map(|&c| escape(c, true)).collect()
}

/// One character as shown: escapes for what prints badly or not at all,
/// and, inside a change, the code point after characters that pass for ASCII.
fn escape(c: char, in_change: bool) -> String {
    match c {
        '\n' => "\\n".to_owned(),
        '\r' => "\\r".to_owned(),
        '\t' => "\\t".to_owned(),
        _ if c.is_control() || is_suspicious(c) => format!("<{}>", code_point(c)),
        _ if in_change
            && !c.is_ascii()
            && (looks_latin(c) || c.is_whitespace() || is_punctuation(c)) =>
        {
            format!("{c}<{}>", code_point(c))
        }
        _ => c.to_string(),
    }
}

/// Latin-1 punctuation and symbols, General Punctuation, and the minus sign.
fn is_punctuation(c: char) -> bool {
    matches!(c, '\u{A0}'..='\u{BF}' | '\u{2000}'..='\u{206F}' | '\u{2212}')
}

#[cfg(test)]
mod tests {
    use super::diff_marked;

    #[test]
    fn diff_marked_table() {
        let cases = [
            ("same text", "same text", "same text"),
            (
                "occupation meets with",
                "occupation met with",
                "occupation [-meets-]{+met+} with",
            ),
            ("a b", "a  b", "a {+ +}b"),
            ("line\nbreak", "line break", "line[-\\n-]{+ +}break"),
            ("12 August", "12 Аugust", "12 [-August-]{+А<U+0410>ugust+}"),
            ("it's", "it’s", "it[-'-]{+’<U+2019>+}s"),
            (
                "zero width",
                "zero\u{200B}width",
                "zero[- -]{+<U+200B>+}width",
            ),
            ("abc", "", "[-abc-]"),
            ("", "abc", "{+abc+}"),
            (
                "one two three four five six seven eight nine ten",
                "one two three four five six seven eight nine ten eleven",
                "…seven eight nine ten{+ eleven+}",
            ),
        ];
        for (a, b, want) in cases {
            assert_eq!(diff_marked(a, b), want, "{a:?} vs {b:?}");
        }
    }
}
