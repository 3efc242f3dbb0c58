//! Characters of a text that a reader cannot tell apart from others or
//! cannot see: letters of another script inside a word (Latin with Cyrillic
//! or Greek), invisible and format characters, bidirectional controls,
//! private-use and control characters. Classified by code point ranges
//! (Unicode 15), so the result does not depend on a font. Reported, never
//! folded: the normalisation keeps them, since the bytes are evidence.

use super::quotes::QuotedSpan;
use super::{Confusable, ConfusableKind};

/// The most findings listed per text; the rest are counted per kind.
pub const MAX_LISTED: usize = 50;

/// One warning line per suspicious word of `text` (see `words`), saying
/// whether it lies inside a quoted span, capped at [`MAX_LISTED`] plus a
/// line counting the rest.
pub fn confusables_report(_path: &str, text: &str, quoted: &[QuotedSpan]) -> Vec<String> {
    super::words::lines(&super::words::scan(text, quoted, MAX_LISTED))
}

/// Every suspicious character of `text`, in order. A word (a run of
/// letters and combining marks) mixing Latin, Cyrillic and Greek letters
/// yields each letter not of its main script (the one with most letters,
/// Latin first on a tie); invisible, bidi, format, private-use and control
/// characters (but tab, LF and CR) are reported wherever they stand.
pub fn confusables(text: &str) -> Vec<Confusable> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut flagged: Vec<(usize, ConfusableKind)> = Vec::new();
    let mut word_start = None;
    for (k, &(_, c)) in chars.iter().enumerate() {
        if let Some(kind) = classify(c) {
            flagged.push((k, kind));
        }
        let in_word = c.is_alphabetic() || unicode_normalization::char::is_combining_mark(c);
        match (in_word, word_start) {
            (true, None) => word_start = Some(k),
            (false, Some(s)) => {
                mixed_script(&chars, s, k, &mut flagged);
                word_start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = word_start {
        mixed_script(&chars, s, chars.len(), &mut flagged);
    }
    flagged.sort_by_key(|&(k, _)| k);
    let lines = line_columns(&chars);
    flagged
        .into_iter()
        .filter_map(|(k, kind)| {
            let &(offset, code_point) = chars.get(k)?;
            let &(line, column) = lines.get(k)?;
            Some(Confusable {
                offset,
                line,
                column,
                code_point,
                kind,
                context: context(&chars, k),
            })
        })
        .collect()
}

/// The scripts whose mixing inside a word is suspicious.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Script {
    Latin,
    Cyrillic,
    Greek,
}

fn script(c: char) -> Option<Script> {
    match c {
        'A'..='Z' | 'a'..='z' | '\u{AA}' | '\u{BA}' | '\u{C0}'..='\u{D6}' | '\u{D8}'..='\u{F6}' => {
            Some(Script::Latin)
        }
        '\u{F8}'..='\u{2AF}' | '\u{1D00}'..='\u{1D25}' | '\u{1E00}'..='\u{1EFF}' => {
            Some(Script::Latin)
        }
        '\u{2C60}'..='\u{2C7F}' | '\u{A720}'..='\u{A7FF}' | '\u{AB30}'..='\u{AB5A}' => {
            Some(Script::Latin)
        }
        '\u{FB00}'..='\u{FB06}' | '\u{FF21}'..='\u{FF3A}' | '\u{FF41}'..='\u{FF5A}' => {
            Some(Script::Latin)
        }
        '\u{400}'..='\u{52F}'
        | '\u{1C80}'..='\u{1C8F}'
        | '\u{2DE0}'..='\u{2DFF}'
        | '\u{A640}'..='\u{A69F}' => Some(Script::Cyrillic),
        '\u{370}'..='\u{3FF}' | '\u{1F00}'..='\u{1FFF}' => Some(Script::Greek),
        _ => None,
    }
}

/// Flags the letters of `chars[start..end]` not of the word's main script.
fn mixed_script(
    chars: &[(usize, char)],
    start: usize,
    end: usize,
    out: &mut Vec<(usize, ConfusableKind)>,
) {
    let word = chars.get(start..end).unwrap_or_default();
    let mut counts = [0usize; 3];
    let order = [Script::Latin, Script::Cyrillic, Script::Greek];
    for &(_, c) in word {
        if let Some(i) = script(c).and_then(|s| order.iter().position(|&o| o == s)) {
            counts[i] += 1;
        }
    }
    if counts.iter().filter(|&&n| n > 0).count() < 2 {
        return;
    }
    // The first script with the most letters; `order` breaks ties.
    let main = (0..3)
        .rev()
        .max_by_key(|&i| counts[i])
        .map_or(Script::Latin, |i| order[i]);
    for (k, &(_, c)) in word.iter().enumerate() {
        if script(c).is_some_and(|s| s != main) {
            out.push((start + k, ConfusableKind::MixedScript));
        }
    }
}

/// The kind of a character suspicious wherever it stands.
pub(crate) fn classify(c: char) -> Option<ConfusableKind> {
    use ConfusableKind::*;
    Some(match c {
        '\u{61C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' => {
            Bidi
        }
        '\u{AD}' | '\u{34F}' | '\u{115F}' | '\u{1160}' | '\u{17B4}' | '\u{17B5}' | '\u{180E}' => {
            Invisible
        }
        '\u{200B}'..='\u{200D}'
        | '\u{2060}'..='\u{2064}'
        | '\u{3164}'
        | '\u{FEFF}'
        | '\u{FFA0}' => Invisible,
        '\u{600}'..='\u{605}' | '\u{6DD}' | '\u{70F}' | '\u{890}' | '\u{891}' | '\u{8E2}' => Format,
        '\u{2065}'
        | '\u{206A}'..='\u{206F}'
        | '\u{FFF9}'..='\u{FFFB}'
        | '\u{110BD}'
        | '\u{110CD}' => Format,
        '\u{13430}'..='\u{1343F}' | '\u{1BCA0}'..='\u{1BCA3}' | '\u{1D173}'..='\u{1D17A}' => Format,
        '\u{E0001}' | '\u{E0020}'..='\u{E007F}' => Format,
        '\u{E000}'..='\u{F8FF}' | '\u{F0000}'..='\u{FFFFD}' | '\u{100000}'..='\u{10FFFD}' => {
            PrivateUse
        }
        '\t' | '\n' | '\r' => return None,
        _ if c.is_control() => Control,
        _ => return None,
    })
}

/// Whether `c` is flagged wherever it stands (see [`classify`]).
pub(crate) fn is_suspicious(c: char) -> bool {
    classify(c).is_some()
}

/// Cyrillic and Greek letters drawn like a Latin letter in common fonts.
pub(crate) fn looks_latin(c: char) -> bool {
    const LOOKALIKES: &str = "АВЕКМНОРСТХЅІЈҮԚԜаеорсухѕіјԁԛԝһӏ\
                              ΑΒΕΖΗΙΚΜΝΟΡΤΥΧοινρ";
    LOOKALIKES.contains(c)
}

/// (line, column) from 1 for each character; column counts characters.
fn line_columns(chars: &[(usize, char)]) -> Vec<(usize, usize)> {
    let (mut line, mut column) = (1, 1);
    chars
        .iter()
        .map(|&(_, c)| {
            let here = (line, column);
            if c == '\n' {
                line += 1;
                column = 1;
            } else {
                column += 1;
            }
            here
        })
        .collect()
}

/// The run of non-space characters around `chars[k]` (at most 24 on each
/// side), with that character marked `[А]`, or `[<U+200B>]` when it shows
/// nothing; other invisible characters there show as `<U+…>` too.
fn context(chars: &[(usize, char)], k: usize) -> String {
    const SIDE: usize = 24;
    let visible = |i: usize| chars.get(i).is_some_and(|&(_, c)| !c.is_whitespace());
    let mut from = k;
    while from > 0 && k - from < SIDE && visible(from - 1) {
        from -= 1;
    }
    let mut to = k + 1;
    while to - k <= SIDE && visible(to) {
        to += 1;
    }
    let mut out = String::new();
    for (i, &(_, c)) in chars.iter().enumerate().take(to).skip(from) {
        let shown = if is_suspicious(c) {
            format!("<{}>", super::code_point(c))
        } else {
            c.to_string()
        };
        if i == k {
            out.push_str(&format!("[{shown}]"));
        } else {
            out.push_str(&shown);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::{confusables, ConfusableKind};

    const STATEMENT: &str = include_str!("../../archive/statement/statement-en.txt");

    #[test]
    fn confusables_of_the_real_statement() {
        let found = confusables(STATEMENT);
        assert_eq!(found.len(), 1, "{found:?}");
        let c = &found[0];
        assert_eq!(
            (c.code_point, c.kind, c.line),
            ('\u{410}', ConfusableKind::MixedScript, 10)
        );
        assert_eq!(STATEMENT.get(c.offset..c.offset + 2), Some("А"));
        assert_eq!(c.context, "[А]ugust");
        let json = serde_json::to_value(c).unwrap();
        assert_eq!(json["code_point"], "U+0410");
        assert_eq!(json["kind"], "mixed-script");
    }

    #[test]
    fn confusables_table() {
        use ConfusableKind::*;
        // (text, expected (code point, kind, column, context))
        type Expected = Vec<(char, ConfusableKind, usize, &'static str)>;
        let cases: Vec<(&str, Expected)> = vec![
            ("plain text, naïve café", vec![]),
            ("Минск и Москва", vec![]),
            ("Αθήνα", vec![]),
            ("Mинск", vec![('M', MixedScript, 1, "[M]инск")]),
            ("the Αpple", vec![('\u{391}', MixedScript, 5, "[Α]pple")]),
            (
                "zero\u{200B}width",
                vec![('\u{200B}', Invisible, 5, "zero[<U+200B>]width")],
            ),
            (
                "soft\u{AD}hyphen",
                vec![('\u{AD}', Invisible, 5, "soft[<U+00AD>]hyphen")],
            ),
            (
                "\u{FEFF}bom",
                vec![('\u{FEFF}', Invisible, 1, "[<U+FEFF>]bom")],
            ),
            (
                "a \u{202E}evil",
                vec![('\u{202E}', Bidi, 3, "[<U+202E>]evil")],
            ),
            ("x\u{200F}y", vec![('\u{200F}', Bidi, 2, "x[<U+200F>]y")]),
            (
                "tag\u{E0041}",
                vec![('\u{E0041}', Format, 4, "tag[<U+E0041>]")],
            ),
            (
                "pua\u{E000}",
                vec![('\u{E000}', PrivateUse, 4, "pua[<U+E000>]")],
            ),
            ("bell\u{7}", vec![('\u{7}', Control, 5, "bell[<U+0007>]")]),
            ("tab\tand\r\nnewline", vec![]),
        ];
        for (text, want) in cases {
            let got: Vec<_> = confusables(text)
                .into_iter()
                .map(|c| (c.code_point, c.kind, c.column, c.context))
                .collect();
            let want: Vec<_> = want
                .into_iter()
                .map(|(c, k, col, ctx)| (c, k, col, ctx.to_owned()))
                .collect();
            assert_eq!(got, want, "{text:?}");
        }
        let second_line = confusables("one\ntwo Аb");
        assert_eq!(
            (
                second_line[0].line,
                second_line[0].column,
                second_line[0].offset
            ),
            (2, 5, 8)
        );
    }
}
