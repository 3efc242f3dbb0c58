//! The confusable scan as people read it: once per *word*, the expected
//! script decided by the surrounding text, digit/letter look-alikes
//! (`412-З`), whole words in a look-alike script (`СОР` in English), and a
//! repeated habit (a Latin `i` throughout a Belarusian text) reported once
//! per file as a convention. Findings are capped per text and the rest
//! counted per kind, so the report stays small whatever the text holds.
//!
//! Linear in the text: per-script letter counts are prefix sums, so the
//! expected script of any word is an O(1) look-up over a window of
//! [`WINDOW`] characters on each side.

use std::collections::BTreeMap;

use serde::Serialize;

use super::confusables::{classify, looks_latin};
use super::quotes::QuotedSpan;

/// Characters on each side of a word that decide its expected script.
const WINDOW: usize = 300;
/// Words with the same intruder from which a habit is reported once.
const CONVENTION: usize = 5;
/// Letters drawn like a digit: (letter, digit).
const DIGIT_LOOKALIKES: &[(char, char)] = &[
    ('З', '3'),
    ('з', '3'),
    ('О', '0'),
    ('о', '0'),
    ('O', '0'),
    ('o', '0'),
    ('I', '1'),
    ('l', '1'),
    ('Ӏ', '1'),
    ('б', '6'),
];
/// Latin letters drawn like a Cyrillic one.
const LOOKS_CYRILLIC: &str = "aceopxyiABCEHKMOPTXIJ";

/// What is wrong with a word.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum WordKind {
    /// Letters of two scripts in one word; the intruders are listed.
    MixedScript,
    /// A whole word in another script than the text's, made of look-alikes.
    WholeScript,
    /// A letter drawn like a digit, standing among digits.
    DigitLookalike,
    /// A character that shows nothing, a bidi control, format, private-use
    /// or control character.
    Invisible,
}

/// One finding: a word and what in it is suspicious.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct WordFinding {
    /// What is wrong.
    pub kind: WordKind,
    /// Byte offset of the word.
    pub offset: usize,
    /// Code-point offset of the word.
    pub char_offset: usize,
    /// Line, from 1.
    pub line: usize,
    /// Column in code points, from 1.
    pub column: usize,
    /// The word with each suspicious character marked `[…]` (invisible ones as `<U+…>`).
    pub word: String,
    /// The suspicious characters, as `U+0410`.
    pub code_points: Vec<String>,
    /// The script the surrounding text is written in, when it says.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expected_script: Option<&'static str>,
    /// Whether the word lies inside a quoted span.
    pub inside_quotation: bool,
    /// For a convention: how many words share this intruder (else 1).
    pub words: usize,
}

/// The scan of one text.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Scan {
    /// The findings shown, in text order.
    pub findings: Vec<WordFinding>,
    /// Findings left out by the cap, per kind.
    pub omitted: BTreeMap<String, usize>,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Script {
    Latin,
    Cyrillic,
    Greek,
}

impl Script {
    fn name(self) -> &'static str {
        match self {
            Script::Latin => "Latin",
            Script::Cyrillic => "Cyrillic",
            Script::Greek => "Greek",
        }
    }
}

fn script(c: char) -> Option<Script> {
    if !c.is_alphabetic() {
        return None;
    }
    match c {
        'A'..='Z'
        | 'a'..='z'
        | '\u{AA}'
        | '\u{BA}'
        | '\u{C0}'..='\u{24F}'
        | '\u{1E00}'..='\u{1EFF}' => Some(Script::Latin),
        '\u{FF21}'..='\u{FF3A}' | '\u{FF41}'..='\u{FF5A}' | '\u{A720}'..='\u{A7FF}' => {
            Some(Script::Latin)
        }
        '\u{400}'..='\u{52F}' | '\u{1C80}'..='\u{1C8F}' | '\u{A640}'..='\u{A69F}' => {
            Some(Script::Cyrillic)
        }
        '\u{370}'..='\u{3FF}' | '\u{1F00}'..='\u{1FFF}' => Some(Script::Greek),
        _ => None,
    }
}

const SCRIPTS: [Script; 3] = [Script::Latin, Script::Cyrillic, Script::Greek];

/// Characters per block of the per-script letter counts.
const BLOCK: usize = 64;
/// Findings kept before the cap is applied (the cap is smaller).
const MAX_KEPT: usize = 1024;
/// The longest word judged at once; a longer run is judged in pieces.
const MAX_WORD: usize = 256;

/// Scans `text`; at most `cap` findings are kept, the rest counted. Memory
/// is O(text / 64) plus the findings kept, never a copy of the text.
pub fn scan(text: &str, quoted: &[QuotedSpan], cap: usize) -> Scan {
    let cum = block_counts(text);
    let expected = |from: usize, to: usize| -> Option<Script> {
        let a = (from.saturating_sub(WINDOW) / BLOCK).min(cum.len() - 1);
        let b = ((to + WINDOW) / BLOCK + 1).min(cum.len() - 1);
        let counts: Vec<u32> = (0..3).map(|k| cum[b][k] - cum[a][k]).collect();
        let best = (0..3).max_by_key(|&k| counts[k])?;
        let total: u32 = counts.iter().sum();
        // The text says only when one script clearly leads.
        (counts[best] * 3 > total * 2 && counts[best] >= 8).then_some(SCRIPTS[best])
    };
    let mut acc = Collector::default();
    let (mut line, mut column) = (1usize, 1usize);
    let mut word: Vec<(usize, char)> = Vec::new();
    let mut word_start = (0usize, 1usize, 1usize);
    let mut before: [Option<char>; 2] = [None, None];
    let mut ci = 0usize;
    let mut iter = text.char_indices();
    loop {
        let next = iter.next();
        let in_word = next.is_some_and(|(_, c)| is_word_char(c));
        if (!in_word || word.len() >= MAX_WORD) && !word.is_empty() {
            let end_byte = next.map_or(text.len(), |(b, _)| b);
            let after: Vec<char> = text
                .get(end_byte..)
                .unwrap_or_default()
                .chars()
                .take(3)
                .collect();
            let (start, l, col) = word_start;
            if let Some((kind, marks, key)) = judge(&word, expected(start, ci), before, &after) {
                let offset = word[0].0;
                acc.add(
                    WordFinding {
                        kind,
                        offset,
                        char_offset: start,
                        line: l,
                        column: col,
                        word: marked(&word, &marks),
                        code_points: marks
                            .iter()
                            .map(|&k| super::code_point(word[k].1))
                            .collect(),
                        expected_script: expected(start, ci).map(Script::name),
                        inside_quotation: quoted
                            .iter()
                            .any(|q| q.start <= offset && offset < q.end),
                        words: 1,
                    },
                    key,
                );
            }
            before = [
                word.len().checked_sub(2).map(|k| word[k].1),
                word.last().map(|w| w.1),
            ];
            word.clear();
        }
        let Some((at, c)) = next else { break };
        if in_word {
            if word.is_empty() {
                word_start = (ci, line, column);
            }
            word.push((at, c));
        } else {
            before = [before[1], Some(c)];
        }
        ci += 1;
        if c == '\n' {
            line += 1;
            column = 1;
        } else {
            column += 1;
        }
    }
    acc.finish(cap)
}

/// Letters, digits, combining marks, and the characters [`classify`]
/// flags (so `zero<U+200B>width` is one word).
fn is_word_char(c: char) -> bool {
    c.is_alphanumeric()
        || unicode_normalization::char::is_combining_mark(c)
        || classify(c).is_some()
}

/// Cumulative letter counts per script at each block boundary.
fn block_counts(text: &str) -> Vec<[u32; 3]> {
    let mut cum = vec![[0u32; 3]];
    let mut cur = [0u32; 3];
    for (n, c) in text.chars().enumerate() {
        if let Some(k) = script(c).and_then(|s| SCRIPTS.iter().position(|&x| x == s)) {
            cur[k] += 1;
        }
        if (n + 1) % BLOCK == 0 {
            cum.push(cur);
        }
    }
    cum.push(cur);
    cum
}

/// Findings as they come: those without a habit key up to the cap, the
/// first few of each key, and counts of everything.
#[derive(Default)]
struct Collector {
    plain: Vec<WordFinding>,
    keyed: BTreeMap<char, (usize, Vec<WordFinding>)>,
    plain_total: BTreeMap<String, usize>,
}

impl Collector {
    fn add(&mut self, f: WordFinding, key: Option<char>) {
        match key {
            Some(k) => {
                let (n, first) = self.keyed.entry(k).or_default();
                *n += 1;
                if first.len() < CONVENTION {
                    first.push(f);
                } else if let Some(g) = first.first_mut() {
                    g.inside_quotation |= f.inside_quotation;
                }
            }
            None => {
                *self.plain_total.entry(format!("{:?}", f.kind)).or_default() += 1;
                if self.plain.len() < MAX_KEPT {
                    self.plain.push(f);
                }
            }
        }
    }

    fn finish(mut self, cap: usize) -> Scan {
        let mut all = std::mem::take(&mut self.plain);
        for (_, (n, mut first)) in std::mem::take(&mut self.keyed) {
            if n >= CONVENTION {
                let mut one = first.swap_remove(0);
                one.words = n;
                all.push(one);
            } else {
                for f in &first {
                    *self.plain_total.entry(format!("{:?}", f.kind)).or_default() += 1;
                }
                all.extend(first);
            }
        }
        all.sort_by_key(|f| f.offset);
        let mut omitted = self.plain_total;
        for f in all.iter().take(cap).filter(|f| f.words == 1) {
            if let Some(n) = omitted.get_mut(&format!("{:?}", f.kind)) {
                *n -= 1;
            }
        }
        omitted.retain(|_, n| *n > 0);
        all.truncate(cap);
        Scan {
            findings: all,
            omitted,
        }
    }
}

/// The kind, the indexes of the suspicious characters, and the intruder
/// that a convention would group by.
fn judge(
    word: &[(usize, char)],
    expected: Option<Script>,
    before: [Option<char>; 2],
    after: &[char],
) -> Option<(WordKind, Vec<usize>, Option<char>)> {
    let hidden: Vec<usize> = (0..word.len())
        .filter(|&k| classify(word[k].1).is_some())
        .collect();
    if !hidden.is_empty() {
        return Some((WordKind::Invisible, hidden, None));
    }
    let scripts: Vec<Option<Script>> = word.iter().map(|&(_, c)| script(c)).collect();
    let count = |s: Script| scripts.iter().filter(|&&x| x == Some(s)).count();
    let present: Vec<Script> = SCRIPTS.into_iter().filter(|&s| count(s) > 0).collect();
    if present.len() >= 2 {
        // The word's own majority; the text's script breaks a tie ("iх"
        // in Belarusian text flags the Latin i), then Latin.
        let main = present
            .iter()
            .copied()
            .max_by_key(|&s| (count(s), Some(s) == expected, s == Script::Latin))?;
        let marks: Vec<usize> = (0..word.len())
            .filter(|&k| scripts[k].is_some_and(|s| s != main))
            .collect();
        let key = marks.first().map(|&k| word[k].1);
        return Some((WordKind::MixedScript, marks, key));
    }
    let digit = |c: Option<char>| c.is_some_and(|c| c.is_ascii_digit());
    let lookalike_digit = |c: char| DIGIT_LOOKALIKES.iter().any(|&(l, _)| l == c);
    let letters: Vec<usize> = (0..word.len()).filter(|&k| scripts[k].is_some()).collect();
    let has_digit = word.iter().any(|&(_, c)| c.is_ascii_digit());
    let beside_digits = digit(before[0])
        || digit(before[1])
        || digit(after.first().copied())
        || digit(after.get(1).copied());
    if !letters.is_empty()
        && letters.len() <= 2
        && letters.iter().all(|&k| lookalike_digit(word[k].1))
        && (has_digit || beside_digits && letters.len() == word.len())
    {
        return Some((WordKind::DigitLookalike, letters, None));
    }
    let (Some(e), [only]) = (expected, present.as_slice()) else {
        return None;
    };
    let looks_like_expected = |c: char| match e {
        Script::Latin => looks_latin(c),
        Script::Cyrillic => LOOKS_CYRILLIC.contains(c),
        Script::Greek => false,
    };
    // A word among words of its own script ("о создании") is a phrase in
    // that language, not a disguise.
    let neighbour = before
        .iter()
        .flatten()
        .chain(after)
        .any(|&c| script(c) == Some(*only));
    if *only != e && !neighbour && letters.iter().all(|&k| looks_like_expected(word[k].1)) {
        let key = (letters.len() == 1).then(|| word[letters[0]].1);
        return Some((WordKind::WholeScript, letters, key));
    }
    None
}

/// The word with characters `marks` shown as `[c]`, invisible ones as `<U+…>`.
fn marked(word: &[(usize, char)], marks: &[usize]) -> String {
    const MAX: usize = 40;
    let mut s = String::new();
    for (k, &(_, c)) in word.iter().enumerate().take(MAX) {
        let shown = if classify(c).is_some() {
            format!("<{}>", super::code_point(c))
        } else {
            c.to_string()
        };
        if marks.contains(&k) {
            s.push_str(&format!("[{shown}]"));
        } else {
            s.push_str(&shown);
        }
    }
    if word.len() > MAX {
        s.push('…');
    }
    s
}

/// One line per finding, for reports, plus one for what the cap left out.
pub fn lines(scan: &Scan) -> Vec<String> {
    let mut out: Vec<String> = scan
        .findings
        .iter()
        .map(|f| {
            let what = match f.kind {
                WordKind::MixedScript => "mixes scripts",
                WordKind::WholeScript => "is written in look-alike letters of another script",
                WordKind::DigitLookalike => "has a letter drawn like a digit",
                WordKind::Invisible => {
                    "holds a character that shows nothing or controls the display"
                }
            };
            let expected = f
                .expected_script
                .map(|s| format!(", in {s} text"))
                .unwrap_or_default();
            let many = if f.words > 1 {
                format!(
                    " (and the same in {} more words: a habit of this text)",
                    f.words - 1
                )
            } else {
                String::new()
            };
            let inside = if f.inside_quotation {
                ", inside a quotation"
            } else {
                ""
            };
            format!(
                "line {} column {}: \"{}\" {what} ({}){expected}{inside}{many}",
                f.line,
                f.column,
                crate::report::escape(&f.word),
                f.code_points.join(" ")
            )
        })
        .collect();
    if !scan.omitted.is_empty() {
        let parts: Vec<String> = scan
            .omitted
            .iter()
            .map(|(k, n)| format!("{n} {k}"))
            .collect();
        out.push(format!("and more, not listed: {}", parts.join(", ")));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<(WordKind, String, usize)> {
        scan(text, &[], 50)
            .findings
            .into_iter()
            .map(|f| (f.kind, f.word, f.words))
            .collect()
    }

    #[test]
    fn once_per_word_with_the_expected_script_from_the_text() {
        let english = "This is an English sentence with enough letters to decide. ";
        let t = format!("{english}The date 12 Аugust and PortalРусская.");
        assert_eq!(
            kinds(&t),
            [
                (WordKind::MixedScript, "[А]ugust".into(), 1),
                (WordKind::MixedScript, "[P][o][r][t][a][l]Русская".into(), 1)
            ]
        );
        let belarusian = "Гэта беларускі тэкст, дастаткова доўгі, каб вызначыць пісьмо. ";
        let t = format!("{belarusian}iх");
        assert_eq!(kinds(&t), [(WordKind::MixedScript, "[i]х".into(), 1)]);
    }

    #[test]
    fn digit_letter_and_whole_script_look_alikes() {
        let english = "This is an English sentence with enough letters to decide. ";
        let t = format!("{english}Law No. 412-З and the СОР office, not 412-3.");
        assert_eq!(
            kinds(&t),
            [
                (WordKind::DigitLookalike, "[З]".into(), 1),
                (WordKind::WholeScript, "[С][О][Р]".into(), 1)
            ]
        );
    }

    #[test]
    fn a_habit_is_reported_once_and_the_report_is_capped() {
        let t = "Дагавор аб дружбе, добрасуседстве i супрацоўнiцтве памiж Рэспублiкай Беларусь i Украiнай ".repeat(3);
        let found = kinds(&t);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].2, 18);
        let many = "x\u{200B}y ".repeat(1000);
        let s = scan(&many, &[], 20);
        assert_eq!(s.findings.len(), 20);
        assert_eq!(s.omitted.get("Invisible"), Some(&980));
    }

    #[test]
    fn the_real_statement_has_one_finding_outside_quotations() {
        let t = include_str!("../../archive/statement/statement-en.txt");
        let q = super::super::quoted_spans(t).0;
        let s = scan(t, &q, 50);
        assert_eq!(s.findings.len(), 1);
        let f = &s.findings[0];
        assert_eq!(
            (f.line, f.column, f.word.as_str(), f.inside_quotation),
            (10, 147, "[А]ugust", false)
        );
        assert_eq!(f.expected_script, Some("Latin"));
    }
}
