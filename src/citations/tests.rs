//! Tests of binding, checking, the normalisation, the difference and the
//! confusable scan, on small texts made here and on the real archive.

use proptest::prelude::*;

use super::*;
use crate::description::Citation;

const STATEMENT: &str = include_str!("../../archive/statement/statement-en.txt");
const GC4: &str = include_str!("../../archive/sources/gc4-1949-en-full.txt");
const HAGUE: &str =
    include_str!("../../archive/sources/hague-iv-1907-regs-art42-50-en-ukparl-excerpt.txt");
const GC4_ID: &str = "gc4-1949-en-full";
const HAGUE_ID: &str = "hague-iv-1907-regs-art42-50-en-ukparl-excerpt";

fn cite(exact: &str) -> Citation {
    Citation {
        id: "c1".into(),
        source: Some("src".into()),
        exact: exact.into(),
        ..Citation::default()
    }
}

fn texts(statement: &str, source: &str) -> Texts {
    let mut sources = BTreeMap::new();
    sources.insert(
        "src".to_owned(),
        ("data/sources/src.txt".to_owned(), source.to_owned()),
    );
    Texts {
        statement_path: "data/statement/s.txt".into(),
        statement: statement.into(),
        sources,
    }
}

fn real_texts() -> Texts {
    let mut sources = BTreeMap::new();
    for (id, text) in [(GC4_ID, GC4), (HAGUE_ID, HAGUE)] {
        sources.insert(
            id.to_owned(),
            (format!("data/sources/{id}.txt"), text.to_owned()),
        );
    }
    Texts {
        statement_path: "data/statement/statement-en.txt".into(),
        statement: STATEMENT.into(),
        sources,
    }
}

fn bind_one(c: Citation, t: &Texts) -> Result<CitationRecord, CitationError> {
    bind(&[c], t).map(|mut v| v.remove(0))
}

#[test]
fn exact_match_records_bytes_and_count() {
    let t = texts(
        "He wrote “the occupant shall” twice.",
        "Art 1. the occupant shall act; the occupant shall.",
    );
    let r = bind_one(cite("the occupant shall"), &t).unwrap();
    assert_eq!(
        r.statement,
        Span {
            start: 12,
            end: 30,
            text: "the occupant shall".into()
        }
    );
    assert_eq!(
        r.source_match,
        Span {
            start: 7,
            end: 25,
            text: "the occupant shall".into()
        }
    );
    assert!(!r.normalised);
    assert_eq!(r.occurrences, 2);
    assert_eq!(r.source_path, "data/sources/src.txt");
    assert!(check(&[r], &t).is_empty());
}

#[test]
fn each_normalisation_rule_binds() {
    // (rule, quotation in the statement, source text, passage recorded)
    let cases = [
        (
            "line break",
            "legitimate power",
            "x The legitimate\npower y",
            "legitimate\npower",
        ),
        (
            "crlf and indent",
            "legitimate power",
            "legitimate\r\n   power",
            "legitimate\r\n   power",
        ),
        (
            "nbsp",
            "12 August",
            "on 12\u{A0}August 1949",
            "12\u{A0}August",
        ),
        (
            "narrow nbsp and tab",
            "a b c",
            "a\u{202F}b\tc",
            "a\u{202F}b\tc",
        ),
        ("curly double", "say \"no\"", "say “no”", "say “no”"),
        ("guillemets", "say \"no\"", "say «no»", "say «no»"),
        ("low and reversed", "say \"no\"", "say „no‟", "say „no‟"),
        ("double prime", "5\" long", "5″ long", "5″ long"),
        ("curly single", "it's 'so'", "it’s ‘so’", "it’s ‘so’"),
        ("low single and prime", "'a' 5'", "‚a‛ 5′", "‚a‛ 5′"),
        ("en dash", "1949-1977", "1949–1977", "1949–1977"),
        ("em dash and minus", "a-b-c", "a—b−c", "a—b−c"),
        (
            "hyphen and figure dash",
            "a-b-c",
            "a\u{2010}b\u{2012}c",
            "a\u{2010}b\u{2012}c",
        ),
        ("nfc", "Genève", "Gene\u{300}ve", "Gene\u{300}ve"),
        (
            "first letter",
            "the authority",
            "The authority of",
            "The authority",
        ),
        (
            "first letter after quote",
            "\"the authority",
            "“The authority",
            "“The authority",
        ),
        (
            "first letter upper in quote",
            "The authority",
            "the authority",
            "the authority",
        ),
    ];
    for (rule, exact, source, passage) in cases {
        let statement = format!("He said {exact} then.");
        let r = bind_one(cite(exact), &texts(&statement, source))
            .unwrap_or_else(|e| panic!("{rule}: {e}"));
        assert_eq!(r.source_match.text, passage, "{rule}");
        assert_eq!(r.normalised, passage != exact, "{rule}");
        assert!(check(&[r], &texts(&statement, source)).is_empty(), "{rule}");
    }
}

#[test]
fn normalisation_folds_nothing_more() {
    // (case, quotation, source): each must NOT be found.
    let cases = [
        ("cyrillic A", "12 August", "12 Аugust"),
        (
            "case past the first letter",
            "the Authority",
            "the authority",
        ),
        ("zero-width space", "occupant", "occu\u{200B}pant"),
        ("compatibility ligature", "office", "o\u{FB03}ce"),
        ("missing word", "in fact passed", "in passed"),
    ];
    for (case, exact, source) in cases {
        let statement = format!("«{exact}»");
        let e = bind_one(cite(exact), &texts(&statement, source)).unwrap_err();
        assert!(
            matches!(e, CitationError::NotInSource { .. }),
            "{case}: {e}"
        );
    }
}

#[test]
fn statement_found_under_normalisation() {
    let t = texts("He wrote “the legitimate\npower”.", "the legitimate power");
    let r = bind_one(cite("the legitimate power"), &t).unwrap();
    assert_eq!(r.statement.text, "the legitimate\npower");
    assert!(!r.normalised);
}

#[test]
fn prefix_and_suffix_disambiguate() {
    let statement = "First, \"to all cases\" here. Second: \"to all cases\" there.";
    let t = texts(statement, "apply to all cases of");
    let with = |prefix: Option<&str>, suffix: Option<&str>| {
        let mut c = cite("to all cases");
        c.prefix = prefix.map(Into::into);
        c.suffix = suffix.map(Into::into);
        bind_one(c, &t)
    };
    assert_eq!(with(None, None).unwrap().statement.start, 8);
    assert_eq!(with(Some("Second: \""), None).unwrap().statement.start, 37);
    assert_eq!(with(Some("Second: “"), None).unwrap().statement.start, 37);
    assert_eq!(with(None, Some("\" there")).unwrap().statement.start, 37);
    assert_eq!(
        with(Some("First, \""), Some("\" here"))
            .unwrap()
            .statement
            .start,
        8
    );
    assert_eq!(
        with(Some("\""), None),
        Err(CitationError::Ambiguous {
            id: "c1".into(),
            count: 2
        })
    );
    assert_eq!(
        with(Some("Third: \""), None),
        Err(CitationError::ContextNotFound {
            id: "c1".into(),
            count: 2
        })
    );
    // One space at the junction is ignored.
    let t2 = texts("as said: to all cases, and to all cases", "to all cases");
    let mut c = cite("to all cases");
    c.prefix = Some("said:".into());
    assert_eq!(bind_one(c, &t2).unwrap().statement.start, 9);
}

#[test]
fn not_in_source_shows_nearest_passage() {
    let t = real_texts();
    let mut c = cite("even if the said occupation met with no armed resistance");
    c.id = "gc4-art2".into();
    c.source = Some(GC4_ID.into());
    let statement = format!("{STATEMENT} \"{}\"", c.exact);
    let t = Texts { statement, ..t };
    let e = bind_one(c, &t).unwrap_err();
    let CitationError::NotInSource {
        nearest: Some(n), ..
    } = &e
    else {
        panic!("{e}")
    };
    assert_eq!(n.line, 17);
    assert_eq!(
        n.diff,
        "…the said occupation [-met-]{+meets+} with no armed…"
    );
    assert_eq!(
        e.to_string(),
        "citation \"gc4-art2\": quotation not found in source \"gc4-1949-en-full\" \
         (data/sources/gc4-1949-en-full.txt); nearest passage at line 17: \
         \"…the said occupation [-met-]{+meets+} with no armed…\""
    );
}

#[test]
fn rejects_with_specific_errors() {
    let t = texts(
        "He said “the occupant” and «Аugust».",
        "the occupant of August",
    );
    let long = "a".repeat(MAX_QUOTATION_CHARS + 1);
    let mut unknown = cite("the occupant");
    unknown.source = Some("nope".into());
    let cases: Vec<(Citation, CitationError)> = vec![
        (
            cite("the occupier"),
            CitationError::NotInStatement {
                id: "c1".into(),
                path: "data/statement/s.txt".into(),
                nearest: Some(NearestPassage {
                    line: 1,
                    diff: "the [-occupier-]{+occupant+}".into(),
                }),
            },
        ),
        (
            unknown,
            CitationError::UnknownSource {
                id: "c1".into(),
                source_id: "nope".into(),
            },
        ),
        (
            cite(&long),
            CitationError::TooLong {
                id: "c1".into(),
                chars: 2001,
                max: 2000,
            },
        ),
        (cite(" \n"), CitationError::Empty { id: "c1".into() }),
        (cite(""), CitationError::Empty { id: "c1".into() }),
        (
            cite("Аugust"),
            CitationError::NotInSource {
                id: "c1".into(),
                source_id: "src".into(),
                path: "data/sources/src.txt".into(),
                nearest: Some(NearestPassage {
                    line: 1,
                    diff: "[-А<U+0410>ugust-]{+August+}".into(),
                }),
            },
        ),
    ];
    for (c, want) in cases {
        assert_eq!(bind_one(c, &t), Err(want));
    }
}

/// U+0344 decomposes under NFC into two marks, both mapped to the start of
/// their sequence: a quotation starting at the second cannot have a span of
/// its own, and bind says so instead of recording a binding verify refuses.
#[test]
fn quotation_cutting_a_changed_sequence_is_refused() {
    let t = texts("«\u{301}y»", "a\u{344}y");
    let e = bind_one(cite("\u{301}y"), &t).unwrap_err();
    assert!(
        matches!(&e, CitationError::Unstable { id, .. } if id == "c1"),
        "{e}"
    );
}

#[test]
fn source_exact_is_checked() {
    let t = texts(
        "“the legitimate power”",
        "The legitimate\npower; the legitimate power.",
    );
    let mut c = cite("the legitimate power");
    c.source_exact = Some("The legitimate\npower".into());
    let r = bind_one(c.clone(), &t).unwrap();
    assert_eq!(
        (r.source_match.start, r.normalised, r.occurrences),
        (0, true, 2)
    );
    // Without it, the verbatim occurrence is preferred.
    c.source_exact = None;
    let r = bind_one(c.clone(), &t).unwrap();
    assert_eq!((r.source_match.start, r.normalised), (22, false));
    c.source_exact = Some("The legal power".into());
    assert_eq!(
        bind_one(c.clone(), &t),
        Err(CitationError::SourceExactMismatch {
            id: "c1".into(),
            diff: "the [-legitimate-]{+legal+} power".into()
        })
    );
    c.source_exact = Some("The legitimate  power".into());
    let e = bind_one(c, &t).unwrap_err();
    assert!(
        matches!(e, CitationError::SourceExactNotVerbatim { line: 1, .. }),
        "{e}"
    );
    assert_eq!(
        e.to_string(),
        "citation \"c1\": source_exact not found verbatim in source \"src\" (data/sources/src.txt); \
         the quotation stands at line 1 as: \"The legitimate[-  -]{+\\n+}power\""
    );
}

#[test]
fn real_quotations_bind() {
    let t = real_texts();
    let gc4 = Citation {
        id: "gc4-art2-occupation".into(),
        source: Some(GC4_ID.into()),
        exact: "to all cases of partial or total occupation of the territory of a High Contracting Party, even if the said occupation meets with no armed resistance".into(),
        ..cite("")
    };
    let hague = Citation {
        id: "hague-regs-art43-authority".into(),
        source: Some(HAGUE_ID.into()),
        exact: "the authority of the legitimate power having in fact passed into the hands of the occupant".into(),
        ..cite("")
    };
    let mut pinned = hague.clone();
    pinned.source_exact = Some("The authority of the legitimate\npower having in fact passed into the hands of the occupant".into());
    let records = bind(&[gc4.clone(), hague, pinned], &t).unwrap();
    let [g, h, p] = &records[..] else { panic!() };
    assert!(!g.normalised);
    assert_eq!(
        (g.occurrences, g.source_match.text.as_str()),
        (1, gc4.exact.as_str())
    );
    assert_eq!(line_of(GC4, g.source_match.start), 17);
    assert_eq!(g.statement.text, gc4.exact);
    assert!(h.normalised);
    assert!(h
        .source_match
        .text
        .starts_with("The authority of the legitimate\npower"));
    assert_eq!(line_of(HAGUE, h.source_match.start), 15);
    assert_eq!(h, p);
    assert!(check(&records, &t).is_empty());
}

fn line_of(text: &str, at: u64) -> usize {
    bind::line_of(text, at as usize)
}

/// A good record and its texts, to be broken by the check tests.
fn bound() -> (CitationRecord, Texts) {
    let t = texts(
        "Intro “the legitimate power” end.",
        "Art 43. The legitimate\npower having passed",
    );
    (bind_one(cite("the legitimate power"), &t).unwrap(), t)
}

#[test]
fn check_finds_each_tampering() {
    fn src(t: &mut Texts) -> &mut String {
        &mut t.sources.get_mut("src").unwrap().1
    }
    type Mutation = fn(&mut CitationRecord, &mut Texts);
    let cases: Vec<(&str, Mutation, &[&str])> = vec![
        ("untouched", |_, _| {}, &[]),
        (
            "source char changed",
            |_, t| *src(t) = src(t).replace("legitimate", "legitimete"),
            &["citation.source-mismatch"],
        ),
        (
            "statement quote changed",
            |_, t| t.statement = t.statement.replace("the legit", "the ligit"),
            &["citation.statement-mismatch"],
        ),
        (
            "source span beyond end",
            |r, _| r.source_match.end = 10_000,
            &["citation.bad-span"],
        ),
        (
            "statement span reversed",
            |r, _| r.statement.start = r.statement.end + 1,
            &["citation.bad-span"],
        ),
        (
            "span splits a character",
            |r, _| r.statement.start = 7,
            &["citation.bad-span"],
        ),
        (
            "source missing",
            |_, t| t.sources.clear(),
            &["citation.source-missing"],
        ),
        (
            "path differs",
            |r, _| r.source_path = "data/other.txt".into(),
            &["citation.source-path-mismatch"],
        ),
        (
            "flag wrong",
            |r, _| r.normalised = false,
            &["citation.wrong-normalised-flag"],
        ),
        (
            "count wrong",
            |r, _| r.occurrences = 2,
            &["citation.wrong-occurrences"],
        ),
        (
            "passage and file both changed",
            |r, t| {
                *src(t) = src(t).replace("legitimate\npower", "legal\npower");
                r.source_match.text = "The legal\npower".into();
                r.source_match.end -= 5;
            },
            &["citation.not-a-match"],
        ),
        (
            "exact no longer the statement text",
            |r, _| r.exact = "the legal power".into(),
            &["citation.statement-mismatch", "citation.not-a-match"],
        ),
    ];
    for (case, mutate, want) in cases {
        let (mut r, mut t) = bound();
        mutate(&mut r, &mut t);
        let found = check(&[r], &t);
        let codes: Vec<&str> = found.iter().map(|f| f.code).collect();
        assert_eq!(codes, want, "{case}: {found:?}");
        assert!(found
            .iter()
            .all(|f| f.citation.as_deref() == Some("c1") && !f.message.contains('\n')));
    }
}

#[test]
fn check_messages_show_the_change() {
    let (r, mut t) = bound();
    t.sources.get_mut("src").unwrap().1 = "Art 43. The legitimate\npowex having passed".into();
    let f = check(&[r], &t);
    assert_eq!(f[0].path.as_deref(), Some("data/sources/src.txt"));
    assert_eq!(
        f[0].message,
        "bytes 8..28 no longer hold the recorded text: \"The legitimate\\n[-power-]{+powex+}\""
    );
    let (mut r, t) = bound();
    r.statement.start = 7;
    assert_eq!(
        check(&[r], &t)[0].message,
        "statement span 7..29 splits a UTF-8 character"
    );
    assert!(CODES.iter().any(|(c, _)| *c == "citation.bad-span"));
}

proptest! {
    #[test]
    fn bind_and_check_never_panic(
        from in 0usize..70, len in 0usize..30, junk in any::<String>(), pick in any::<bool>(),
        prefix in proptest::option::of(".{0,8}"),
        suffix in proptest::option::of(".{0,8}"), source_exact in proptest::option::of(any::<String>()),
        start in 0u64..80, end in 0u64..80,
    ) {
        let statement = "Intro “the legitimate power” end, É\u{301}\u{200B} the\nlegitimate power.";
        let t = texts(statement, "The legitimate\npower; E\u{301}\u{301}\u{200B} Ünïcode — “x”");
        // Often a piece of the statement, cut anywhere, so binding succeeds.
        let exact: String = if pick { statement.chars().skip(from).take(len).collect() } else { junk };
        let c = Citation { prefix, suffix, source_exact, ..cite(&exact) };
        if let Ok(records) = bind(&[c], &t) {
            prop_assert!(check(&records, &t).is_empty());
        }
        let (mut r, _) = bound();
        r.statement.start = start;
        r.statement.end = end;
        r.source_match.start = end;
        let _ = check(&[r], &t);
    }
}
