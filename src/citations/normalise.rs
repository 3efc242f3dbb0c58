//! The normalisation of the parent module's header, with a map from each
//! normalised character back to the byte it came from, and the comparison
//! rules built on it (first-letter case).
//!
//! Invariants of the map: one entry per normalised character plus a final
//! `s.len()`; entries never decrease; every entry but the last is a
//! character boundary of `s` below `s.len()`.

use unicode_normalization::char::canonical_combining_class;
use unicode_normalization::{is_nfc_quick, IsNormalized, UnicodeNormalization};

/// Normalises `s` (see the module header of `citations`) and returns the
/// normalised text with, for each of its characters, the byte offset in `s`
/// it comes from, plus one final entry `s.len()`; matches in the normalised
/// text map back to byte ranges of `s` this way.
///
/// A collapsed whitespace run maps to its first byte; the characters NFC
/// makes from a combining sequence it changes all map to the sequence's
/// first byte.
pub fn normalise(s: &str) -> (String, Vec<usize>) {
    let n = Normalised::new(s);
    (n.chars.into_iter().collect(), n.map)
}

/// A normalised text as characters, with its offset map.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Normalised {
    /// The normalised characters.
    pub chars: Vec<char>,
    /// `chars.len() + 1` byte offsets into the original text.
    pub map: Vec<usize>,
}

impl Normalised {
    /// Normalises `s`.
    pub fn new(s: &str) -> Self {
        let mut n = Normalised {
            chars: Vec::with_capacity(s.len()),
            map: Vec::with_capacity(s.len() + 1),
        };
        let mut in_space = false;
        for (start, chunk) in nfc_chunks(s) {
            let mut one = chunk.chars();
            match (one.next(), one.next()) {
                // The common case: a character that NFC leaves alone.
                (Some(c), None) if is_stable(c) => n.push(c, start, &mut in_space),
                _ => {
                    let nfc: String = chunk.nfc().collect();
                    if nfc == chunk {
                        for (i, c) in chunk.char_indices() {
                            n.push(c, start + i, &mut in_space);
                        }
                    } else {
                        for c in nfc.chars() {
                            n.push(c, start, &mut in_space);
                        }
                    }
                }
            }
        }
        n.map.push(s.len());
        n
    }

    /// Appends the NFC character `c` that comes from byte `at`, applying the
    /// whitespace, quote and dash rules.
    fn push(&mut self, c: char, at: usize, in_space: &mut bool) {
        if c.is_whitespace() {
            if !*in_space {
                self.chars.push(' ');
                self.map.push(at);
            }
            *in_space = true;
        } else {
            self.chars.push(fold_punctuation(c));
            self.map.push(at);
            *in_space = false;
        }
    }

    /// One past the last byte of the characters `..end` came from: the
    /// first map entry after `end - 1` that differs from it, so a match
    /// never ends inside a combining sequence NFC changed.
    pub fn byte_end(&self, end: usize) -> usize {
        let last = end.checked_sub(1).and_then(|i| self.map.get(i)).copied();
        let tail = self.map.get(end..).unwrap_or_default();
        match last {
            None => tail.first().copied().unwrap_or(0),
            Some(last) => tail.iter().copied().find(|&b| b > last).unwrap_or(last),
        }
    }
}

/// Splits `s` into pieces that NFC normalises independently: each starts
/// before a character that never combines with what precedes it.
fn nfc_chunks(s: &str) -> impl Iterator<Item = (usize, &str)> {
    // Streaming: no list of offsets, so the cost in memory stays that of
    // the output whatever the text's size.
    let mut iter = s.char_indices().peekable();
    std::iter::from_fn(move || {
        let (start, _) = iter.next()?;
        let mut end = s.len();
        while let Some(&(i, c)) = iter.peek() {
            if is_stable(c) {
                end = i;
                break;
            }
            iter.next();
        }
        s.get(start..end).map(|piece| (start, piece))
    })
}

/// A starter that is NFC on its own and never composes with a preceding
/// character (combining class 0, `NFC_Quick_Check=Yes`).
fn is_stable(c: char) -> bool {
    c.is_ascii()
        || (canonical_combining_class(c) == 0
            && is_nfc_quick(std::iter::once(c)) == IsNormalized::Yes)
}

/// Typographic quotes to straight ones, dashes and hyphens to `-`.
fn fold_punctuation(c: char) -> char {
    match c {
        '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '\u{AB}' | '\u{BB}' | '\u{2033}' => '"',
        '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' | '\u{2032}' => '\'',
        '\u{2010}'..='\u{2015}' | '\u{2212}' => '-',
        _ => c,
    }
}

/// A normalised quotation, ready to be searched for.
#[derive(Clone, Debug)]
pub(crate) struct Quotation {
    /// The normalised characters.
    pub chars: Vec<char>,
    /// Index of the first letter, whose case is ignored.
    pub fold: Option<usize>,
}

impl Quotation {
    /// Normalises a quotation.
    pub fn new(exact: &str) -> Self {
        let chars = Normalised::new(exact).chars;
        let fold = chars.iter().position(|c| c.is_alphabetic());
        Quotation { chars, fold }
    }

    /// Whether the quotation stands at `at` in `hay`.
    pub fn matches_at(&self, hay: &[char], at: usize) -> bool {
        let Some(window) = hay.get(at..at.saturating_add(self.chars.len())) else {
            return false;
        };
        window
            .iter()
            .zip(&self.chars)
            .enumerate()
            .all(|(i, (&h, &q))| same_char(q, h, self.fold == Some(i)))
    }

    /// The difference of the quotation and `text`, both normalised, with the
    /// case of `text`'s first letter set to the quotation's where only case
    /// differs there (that difference is allowed).
    pub fn diff(&self, text: &str) -> String {
        self.diff_chars(&Normalised::new(text).chars)
    }

    /// [`Quotation::diff`] of an already normalised text.
    pub fn diff_chars(&self, other: &[char]) -> String {
        let mut other = other.to_vec();
        if let Some(k) = self.fold {
            if let (Some(&q), Some(o)) = (self.chars.get(k), other.get_mut(k)) {
                if same_char(q, *o, true) {
                    *o = q;
                }
            }
        }
        let expected: String = self.chars.iter().collect();
        let found: String = other.into_iter().collect();
        super::diff_marked(&expected, &found)
    }

    /// Whether `text`, normalised, is the quotation.
    pub fn equals(&self, text: &str) -> bool {
        let other = Normalised::new(text).chars;
        other.len() == self.chars.len() && self.matches_at(&other, 0)
    }
}

/// Equal characters, or, when `fold`, one the simple upper or lower case
/// of the other *both ways*: `t`/`T` fold, but `ſ` (whose upper case is
/// `S`) and the Kelvin sign (whose lower case is `k`) do not, because
/// neither is what its partner maps back to.
pub(crate) fn same_char(a: char, b: char, fold: bool) -> bool {
    a == b || (fold && (case_pair(a, b) || case_pair(b, a)))
}

/// Whether `upper` is the single-character upper case of `lower` and
/// `lower` the single-character lower case of `upper`.
fn case_pair(lower: char, upper: char) -> bool {
    let (mut up, mut down) = (lower.to_uppercase(), upper.to_lowercase());
    up.next() == Some(upper)
        && up.next().is_none()
        && down.next() == Some(lower)
        && down.next().is_none()
}

/// Whether a match of bytes `start..end` of `text` leaves combining marks
/// whole: it neither starts with one nor is followed by one (`e` must not
/// match the `e` of `e\u{301}`).
pub(crate) fn edges_whole(text: &str, start: usize, end: usize) -> bool {
    let mark = |c: Option<char>| c.is_some_and(unicode_normalization::char::is_combining_mark);
    let first = text.get(start..).and_then(|t| t.chars().next());
    let next = text.get(end..).and_then(|t| t.chars().next());
    (start == end || !mark(first)) && !mark(next)
}

/// The rules of §7.1 that change `a` or `b`, when they differ: the names
/// `nfc`, `whitespace`, `quotes`, `dashes`, `first-letter-case`.
pub(crate) fn rules_applied(a: &str, b: &str) -> Vec<String> {
    if a == b {
        return Vec::new();
    }
    let both = [a, b];
    let any = |f: &dyn Fn(&str) -> bool| both.iter().any(|s| f(s));
    let mut out = Vec::new();
    if any(&|s| s.nfc().ne(s.chars())) {
        out.push("nfc");
    }
    if any(&|s| s.contains(|c: char| c.is_whitespace() && c != ' ') || s.contains("  ")) {
        out.push("whitespace");
    }
    if any(&|s| {
        s.chars()
            .any(|c| fold_punctuation(c) != c && matches!(fold_punctuation(c), '"' | '\''))
    }) {
        out.push("quotes");
    }
    if any(&|s| s.chars().any(|c| fold_punctuation(c) == '-' && c != '-')) {
        out.push("dashes");
    }
    let first = |s: &str| s.chars().find(|c| c.is_alphabetic());
    if let (Some(x), Some(y)) = (first(a), first(b)) {
        if x != y && same_char(x, y, true) {
            out.push("first-letter-case");
        }
    }
    out.into_iter().map(str::to_owned).collect()
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::normalise;

    #[test]
    fn normalise_maps_offsets() {
        let (n, map) = normalise("A  “b”\u{A0}e\u{301}—");
        assert_eq!(n, "A \"b\" é-");
        assert_eq!(map, vec![0, 1, 3, 6, 7, 10, 12, 15, 18]);
    }

    proptest! {
        #[test]
        fn normalise_map_is_monotonic_and_inside(s in "\\PC*|[ \\t\\n\u{A0}“”‘’–—e\u{301}\u{308}a]{0,40}", raw in any::<String>()) {
            for s in [s, raw] {
                let (n, map) = normalise(&s);
                prop_assert_eq!(map.len(), n.chars().count() + 1);
                prop_assert_eq!(map.last().copied(), Some(s.len()));
                prop_assert!(map.windows(2).all(|w| w[0] <= w[1]));
                for &o in &map[..map.len() - 1] {
                    prop_assert!(o < s.len() && s.is_char_boundary(o));
                }
            }
        }
    }
}
