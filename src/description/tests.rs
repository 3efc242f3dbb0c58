//! Tests of the description parser: a full example, tables of accepted and
//! refused files (each refusal asserting its variant), the real archive's
//! description against its folder, and proptests that parsing never panics.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use proptest::prelude::*;
use unicode_normalization::UnicodeNormalization;

use super::*;

const FULL: &str = r#"
[bundle]
name = "example-bundle"
identifier = "urn:example:statement-1"
title = "An example"
source_organization = "Example Org"
external_description = "A statement and its sources."
contact_name = "A. Person"
contact_email = "a@example.org"
language = "en"

[statement]
path = "statement/statement-en.txt"
title = "How things happened"
authors = [
  { name = "Mikhail Kirilyuk", role = "Legal Affairs Officer" },
  { name = "Pavel Latushka" },
]
organisation = "Example Org"
date_note = "published on or after 31 March 2022; no date found"
language = "en"
original_url = "https://example.org/post"
notes = """
First line.
Second line."""

[[sources]]
id = "gc4-1949"
path = "sources/gc4.txt"
title = "Geneva Convention IV"
issuer = "Diplomatic Conference"
date = "1949-08-12"
date_note = "DONE at Geneva"
language = "en"
extent = "full"
original_url = "https://example.org/gc4"
archived_from = "repository x/y, commit 0123"
retrieved = "2026-11-28"
license = "public domain"
notes = "Article 2."

[[sources]]
id = "hague-1907"
path = "sources/hague.txt"
title = "Hague Regulations"
date = "1907"
extent = "excerpt"

[[files]]
path = "sources/SOURCES.md"
role = "record"
title = "Record"

[[files]]
path = "extra/photo.png"
role = "attachment"

[[citations]]
id = "gc4-art2"
source = "gc4-1949"
locator = "Article 2, second paragraph"
exact = "to all cases of partial or total occupation"
prefix = "extends the regime of occupation \""
suffix = ", even if"
source_exact = "to all cases of partial or total occupation"
note = "Scope of application."
"#;

#[test]
fn parses_a_full_example() {
    let d = Description::parse(FULL).expect("the full example parses");
    assert_eq!(d.bundle.name.as_deref(), Some("example-bundle"));
    assert_eq!(
        d.bundle.identifier.as_deref(),
        Some("urn:example:statement-1")
    );
    assert_eq!(d.bundle.contact_email.as_deref(), Some("a@example.org"));
    let s = d.statement.as_ref().expect("statement");
    assert_eq!(s.authors.len(), 2);
    assert_eq!(s.authors[0].role.as_deref(), Some("Legal Affairs Officer"));
    assert_eq!(s.authors[1].role, None);
    assert_eq!(s.date, None);
    assert_eq!(s.notes.as_deref(), Some("First line.\nSecond line."));
    assert_eq!(d.sources.len(), 2);
    assert_eq!(d.sources[0].extent, Some(Extent::Full));
    assert_eq!(d.sources[0].retrieved.as_deref(), Some("2026-11-28"));
    assert_eq!(d.sources[1].extent, Some(Extent::Excerpt));
    assert_eq!(d.sources[1].date.as_deref(), Some("1907"));
    assert_eq!(d.files[0].role, Role::Record);
    assert_eq!(d.files[1].role, Role::Attachment);
    assert_eq!(d.files[1].title, None);
    assert_eq!(d.citations[0].source.as_deref(), Some("gc4-1949"));
    assert_eq!(
        d.citations[0].prefix.as_deref(),
        Some("extends the regime of occupation \"")
    );
}

#[test]
fn accepts_minimal_and_edge_values() {
    let cases: &[(&str, &str)] = &[
        ("empty file", ""),
        ("empty bundle", "[bundle]\n"),
        ("statement only", "[statement]\npath = \"a.txt\"\ntitle = \"T\"\n"),
        ("year-month date", "[statement]\npath = \"a\"\ntitle = \"T\"\ndate = \"2022-03\"\n"),
        ("leap day", "[statement]\npath = \"a\"\ntitle = \"T\"\ndate = \"2024-02-29\"\n"),
        ("LF in notes", "[statement]\npath = \"a\"\ntitle = \"T\"\nnotes = \"a\\nb\"\n"),
        ("unicode title", "[statement]\npath = \"é/ü.txt\"\ntitle = \"Аugust — «x»\"\n"),
        ("language subtags", "[bundle]\nlanguage = \"pt-BR\"\n"),
        ("private language", "[bundle]\nlanguage = \"x-klingon\"\n"),
        ("identifier", "[bundle]\nidentifier = \"urn:uuid:0-1\"\n"),
        ("LF in exact", "[statement]\npath = \"s\"\ntitle = \"T\"\n[[sources]]\nid = \"a\"\npath = \"b\"\ntitle = \"B\"\n[[citations]]\nid = \"c\"\nsource = \"a\"\nexact = \"x\\ny\"\n"),
    ];
    for (name, text) in cases {
        assert!(
            Description::parse(text).is_ok(),
            "{name}: {:?}",
            Description::parse(text)
        );
    }
    assert_eq!(Description::parse("").ok(), Some(Description::default()));
}

/// A description with one statement, two sources and a citation, with `extra` appended.
fn with(extra: &str) -> String {
    let base = "[statement]\npath = \"s.txt\"\ntitle = \"S\"\n\
                [[sources]]\nid = \"a\"\npath = \"a.txt\"\ntitle = \"A\"\n\
                [[sources]]\nid = \"b\"\npath = \"b.txt\"\ntitle = \"B\"\n";
    format!("{base}{extra}")
}

type Check = fn(&DescriptionError) -> bool;

fn reject_cases() -> Vec<(&'static str, String, Check)> {
    use DescriptionError as E;
    use PathProblem as P;
    let src = |fields: &str| {
        with(&format!(
            "[[sources]]\nid = \"c\"\npath = \"c.txt\"\ntitle = \"C\"\n{fields}\n"
        ))
    };
    let stmt = |fields: &str| format!("[statement]\npath = \"s.txt\"\ntitle = \"S\"\n{fields}\n");
    let bad_path = |p: &str| with(&format!("[[files]]\npath = \"{p}\"\nrole = \"record\"\n"));
    vec![
        ("syntax", "[bundle\n".into(), |e| matches!(e, E::Syntax { .. })),
        ("duplicate key", "[bundle]\ntitle = \"a\"\ntitle = \"b\"\n".into(), |e| matches!(e, E::Syntax { .. })),
        ("duplicate table", "[bundle]\n[bundle]\n".into(), |e| matches!(e, E::Syntax { .. })),
        ("unknown top field", "titel = \"x\"\n".into(), |e| matches!(e, E::UnknownField { .. })),
        ("unknown bundle field", "[bundle]\nnmae = \"x\"\n".into(), |e| matches!(e, E::UnknownField { .. })),
        ("unknown source field", src("publisher = \"x\""), |e| matches!(e, E::UnknownField { .. })),
        ("unknown files field", with("[[files]]\npath = \"x\"\nrole = \"record\"\nnote = \"y\"\n"), |e| matches!(e, E::UnknownField { .. })),
        ("unknown author field", stmt("authors = [{ name = \"a\", email = \"b\" }]"), |e| matches!(e, E::UnknownField { .. })),
        ("unknown pack field", "[pack]\nexclude = []\ninclude = []\n".into(), |e| matches!(e, E::UnknownField { .. })),
        ("empty exclusion", "[pack]\nexclude = [\"\"]\n".into(), |e| matches!(e, E::Empty { .. })),
        ("missing title", "[statement]\npath = \"s\"\n".into(), |e| matches!(e, E::Schema { .. })),
        ("wrong type", "[bundle]\ntitle = 3\n".into(), |e| matches!(e, E::Schema { .. })),
        ("TOML date literal", stmt("date = 2022-03-31"), |e| {
            matches!(e, E::Schema { message, .. } if message.ends_with("write the value as a quoted string"))
        }),
        ("bad extent", src("extent = \"most\""), |e| matches!(e, E::Schema { .. })),
        ("bad role", with("[[files]]\npath = \"x\"\nrole = \"evidence\"\n"), |e| matches!(e, E::Schema { .. })),
        ("duplicate source id", with("[[sources]]\nid = \"a\"\npath = \"c.txt\"\ntitle = \"C\"\n"), |e| matches!(e, E::DuplicateId { .. })),
        ("duplicate citation id", with("[[citations]]\nid = \"q\"\nsource = \"a\"\nexact = \"x\"\n[[citations]]\nid = \"q\"\nsource = \"b\"\nexact = \"y\"\n"), |e| matches!(e, E::DuplicateId { .. })),
        ("unknown source", with("[[citations]]\nid = \"q\"\nsource = \"zz\"\nexact = \"x\"\n"), |e| matches!(e, E::UnknownSource { .. })),
        ("citation without statement", "[[sources]]\nid = \"a\"\npath = \"a\"\ntitle = \"A\"\n[[citations]]\nid = \"q\"\nsource = \"a\"\nexact = \"x\"\n".into(), |e| matches!(e, E::NoStatement)),
        ("uppercase id", src("").replace("id = \"c\"", "id = \"C\""), |e| matches!(e, E::BadId { .. })),
        ("empty id", src("").replace("id = \"c\"", "id = \"\""), |e| matches!(e, E::BadId { .. })),
        ("long id", src("").replace("id = \"c\"", &format!("id = \"{}\"", "a".repeat(65))), |e| matches!(e, E::BadId { .. })),
        ("dotdot", bad_path("a/../b"), |e| matches!(e, E::BadPath { problem: P::DotDot, .. })),
        ("absolute", bad_path("/etc/passwd"), |e| matches!(e, E::BadPath { problem: P::Absolute, .. })),
        ("backslash", bad_path("a\\\\b"), |e| matches!(e, E::BadPath { problem: P::Backslash, .. })),
        ("empty segment", bad_path("a//b"), |e| matches!(e, E::BadPath { problem: P::EmptySegment, .. })),
        ("trailing slash", bad_path("a/"), |e| matches!(e, E::BadPath { problem: P::EmptySegment, .. })),
        ("dot segment", bad_path("./a"), |e| matches!(e, E::BadPath { problem: P::Dot, .. })),
        ("empty path", bad_path(""), |e| matches!(e, E::BadPath { problem: P::Empty, .. })),
        ("control in path", bad_path("a\\tb"), |e| matches!(e, E::BadPath { problem: P::Control, .. })),
        ("description file", bad_path("docseal.toml"), |e| matches!(e, E::BadPath { problem: P::DescriptionFile, .. })),
        ("bundle name with slash", "[bundle]\nname = \"a/b\"\n".into(), |e| matches!(e, E::BadPath { problem: P::NotSingle, .. })),
        ("bundle name dotdot", "[bundle]\nname = \"..\"\n".into(), |e| matches!(e, E::BadPath { problem: P::DotDot, .. })),
        ("path described twice", with("[[files]]\npath = \"a.txt\"\nrole = \"record\"\n"), |e| matches!(e, E::DuplicatePath { .. })),
        ("statement path as source", with("[[sources]]\nid = \"c\"\npath = \"s.txt\"\ntitle = \"C\"\n"), |e| matches!(e, E::DuplicatePath { .. })),
        ("bell in title", stmt("").replace("title = \"S\"", "title = \"S\\u0007\""), |e| matches!(e, E::ControlChar { code: 7, .. })),
        ("newline in title", stmt("").replace("title = \"S\"", "title = \"S\\nT\""), |e| matches!(e, E::ControlChar { code: 10, .. })),
        ("line separator in url", stmt("original_url = \"https://x\u{2028}y\""), |e| matches!(e, E::ControlChar { code: 0x2028, .. })),
        ("bidi override in author", stmt("authors = [{ name = \"a\u{202E}b\" }]"), |e| matches!(e, E::ControlChar { code: 0x202E, .. })),
        ("NUL in notes", stmt("notes = \"a\\u0000b\""), |e| matches!(e, E::ControlChar { code: 0, .. })),
        ("CR in notes", stmt("notes = \"a\\r\\nb\""), |e| matches!(e, E::ControlChar { code: 13, .. })),
        ("escape in exact", with("[[citations]]\nid = \"q\"\nsource = \"a\"\nexact = \"x\\u001b[2J\"\n"), |e| matches!(e, E::ControlChar { code: 27, .. })),
        ("identifier with space", "[bundle]\nidentifier = \"a b\"\n".into(), |e| matches!(e, E::BadIdentifier { .. })),
        ("identifier non-ASCII", "[bundle]\nidentifier = \"é\"\n".into(), |e| matches!(e, E::BadIdentifier { .. })),
        ("identifier empty", "[bundle]\nidentifier = \"\"\n".into(), |e| matches!(e, E::BadIdentifier { .. })),
        ("identifier too long", format!("[bundle]\nidentifier = \"{}\"\n", "x".repeat(201)), |e| matches!(e, E::BadIdentifier { .. })),
        ("free-text date", stmt("date = \"31 March 2022\""), |e| matches!(e, E::BadDate { .. })),
        ("month 13", stmt("date = \"2022-13\""), |e| matches!(e, E::BadDate { .. })),
        ("30 February", src("date = \"2022-02-30\""), |e| matches!(e, E::BadDate { .. })),
        ("29 February 1900", src("date = \"1900-02-29\""), |e| matches!(e, E::BadDate { .. })),
        ("unpadded date", src("date = \"2022-3-1\""), |e| matches!(e, E::BadDate { .. })),
        ("retrieved month only", src("retrieved = \"2026-11\""), |e| matches!(e, E::BadDate { .. })),
        ("retrieved with time", src("retrieved = \"2026-11-28T10:00\""), |e| matches!(e, E::BadDate { .. })),
        ("bad language", "[bundle]\nlanguage = \"English\"\n".into(), |e| matches!(e, E::BadLanguage { .. })),
        ("language with space", stmt("language = \"en GB\""), |e| matches!(e, E::BadLanguage { .. })),
        ("language with underscore", src("language = \"en_GB\""), |e| matches!(e, E::BadLanguage { .. })),
        ("empty language", "[bundle]\nlanguage = \"\"\n".into(), |e| matches!(e, E::BadLanguage { .. })),
        ("empty title", stmt("").replace("title = \"S\"", "title = \"\""), |e| matches!(e, E::Empty { field: "title", .. })),
        ("empty exact", with("[[citations]]\nid = \"q\"\nsource = \"a\"\nexact = \"\"\n"), |e| matches!(e, E::Empty { field: "exact", .. })),
        ("field too long", stmt(&format!("notes = \"{}\"", "x".repeat(MAX_FIELD_BYTES + 1))), |e| matches!(e, E::TooLong { field: "notes", .. })),
        ("too many files", many_files(MAX_ENTRIES + 1), |e| matches!(e, E::TooMany { list: "files", .. })),
        ("reserved role", with("[[files]]\npath = \"x\"\nrole = \"source\"\n"), |e| matches!(e, E::ReservedRole { role: Role::Source, .. })),
    ]
}

fn many_files(n: usize) -> String {
    (0..n)
        .map(|i| format!("[[files]]\npath = \"f{i}\"\nrole = \"attachment\"\n"))
        .collect()
}

#[test]
fn rejects_each_bad_description_with_its_variant() {
    for (name, text, check) in reject_cases() {
        match Description::parse(&text) {
            Ok(_) => panic!("{name}: accepted"),
            Err(e) => assert!(check(&e), "{name}: wrong variant {e:?}"),
        }
    }
}

#[test]
fn every_error_message_is_one_lowercase_line() {
    for (name, text, _) in reject_cases() {
        let Err(e) = Description::parse(&text) else {
            continue;
        };
        let message = e.to_string();
        assert!(!message.contains(['\n', '\r']), "{name}: {message:?}");
        assert!(
            !message.chars().any(char::is_control),
            "{name}: {message:?}"
        );
        assert!(!message.ends_with('.'), "{name}: {message:?}");
        let first = message.chars().next().unwrap_or('x');
        assert!(!first.is_uppercase(), "{name}: {message:?}");
    }
}

#[test]
fn errors_name_the_entry_and_the_position() {
    let e =
        Description::parse(&with("[[files]]\npath = \"../x\"\nrole = \"record\"\n")).unwrap_err();
    assert_eq!(
        e.to_string(),
        "files[0] (path \"../x\"): path: contains '..'"
    );
    let e = Description::parse(&with(
        "[[citations]]\nid = \"q\"\nsource = \"zz\"\nexact = \"x\"\n",
    ))
    .unwrap_err();
    assert_eq!(
        e.to_string(),
        "citations[0] (id q): source: no [[sources]] entry has id \"zz\""
    );
    let e = Description::parse(&with(
        "[[sources]]\nid = \"a\"\npath = \"c\"\ntitle = \"C\"\n",
    ))
    .unwrap_err();
    assert_eq!(
        e.to_string(),
        "sources[2] (id a): id a is already used by sources[0] (id a)"
    );
    let e = Description::parse("[bundle]\ntitle = \"a\"\n\n  title = \"b\"\n").unwrap_err();
    assert!(
        matches!(
            e,
            DescriptionError::Syntax {
                line: 4,
                column: 3,
                ..
            }
        ),
        "{e:?}"
    );
    let e = Description::parse("[bundle]\nnmae = \"x\"\n").unwrap_err();
    assert!(
        matches!(
            e,
            DescriptionError::UnknownField {
                line: 2,
                column: 1,
                ..
            }
        ),
        "{e:?}"
    );
    assert!(e.to_string().contains("nmae"), "{e}");
}

#[test]
fn every_unknown_field_is_named_with_its_table() {
    let text = with(
        "[[files]]\npath = \"x\"\nrole = \"record\"\nnote = \"n\"\n\
         [[citations]]\nid = \"q\"\nsource = \"a\"\nexact = \"x\"\npage = 3\n",
    ) + "[bundle]\nnmae = \"x\"\n";
    let all: Vec<String> = Description::parse_all(&text)
        .unwrap_err()
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(all.len(), 3, "{all:#?}");
    assert!(all[0].ends_with(
        "files[0] (path \"x\"): unknown field \"note\"; [[files]] takes: path, role, title, notes"
    ), "{all:#?}");
    assert!(
        all[1].contains("citations[0] (id q): unknown field \"page\"; [[citations]] takes:"),
        "{all:#?}"
    );
    assert!(
        all[2].contains("bundle: unknown field \"nmae\"; [bundle] takes:"),
        "{all:#?}"
    );
    assert!(all.iter().all(|l| l.starts_with("line ")), "{all:#?}");
}

#[test]
fn every_bad_entry_is_reported_not_only_the_first() {
    let text = with(
        "[[files]]\npath = \"../x\"\nrole = \"record\"\n\
         [[files]]\npath = \"/y\"\nrole = \"record\"\n\
         [[citations]]\nid = \"q\"\nsource = \"zz\"\nexact = \"x\"\n",
    );
    let all = Description::parse_all(&text).unwrap_err();
    assert!(
        matches!(
            all[0],
            DescriptionError::BadPath {
                problem: PathProblem::DotDot,
                ..
            }
        ),
        "{all:?}"
    );
    assert!(
        matches!(
            all[1],
            DescriptionError::BadPath {
                problem: PathProblem::Absolute,
                ..
            }
        ),
        "{all:?}"
    );
    assert!(
        matches!(all[2], DescriptionError::UnknownSource { .. }),
        "{all:?}"
    );
    assert_eq!(all.len(), 3, "{all:?}");
}

/// The key lists of `fields` are the structs' fields: a full description
/// serialised back to TOML uses exactly the keys each list names.
#[test]
fn the_known_keys_are_the_structs_fields() {
    use super::fields;
    let mut d = Description::parse(FULL).unwrap();
    let s = d.statement.as_mut().unwrap();
    s.date = Some("2022".into());
    s.archived_from = Some("x".into());
    s.retrieved = Some("2026-11-28".into());
    d.files[0].notes = Some("n".into());
    d.pack.exclude = vec!["*.bak".into()];
    let c = &mut d.citations[0];
    c.kind = Some(crate::citations::Kind::Verbatim);
    c.verdict = Some(crate::citations::Verdict::Supports);
    c.occurrence = Some(1);
    c.prefix = Some("p".into());
    c.suffix = Some("s".into());
    c.source_exact = Some("x".into());
    c.note = Some("n".into());
    c.locator = Some("Article 1".into());
    c.searched = vec!["a".into()];
    c.passages = vec![super::PassageSpec {
        source: "a".into(),
        exact: Some("x".into()),
        locator: Some("Article 1".into()),
        language: Some("en".into()),
        authentic: Some(true),
        parallel: true,
        prefix: Some("p".into()),
        suffix: Some("s".into()),
        occurrence: Some(1),
    }];
    d.quotations = vec![super::DeclaredQuotation {
        exact: "term".into(),
        kind: crate::citations::DeclaredKind::Term,
        note: Some("n".into()),
    }];
    let v = toml::Value::try_from(&d).unwrap();
    let keys = |v: &toml::Value| -> Vec<String> {
        let mut k: Vec<String> = v.as_table().unwrap().keys().cloned().collect();
        k.sort();
        k
    };
    let list = |l: &[&str]| -> Vec<String> {
        let mut k: Vec<String> = l.iter().map(|s| (*s).to_owned()).collect();
        k.sort();
        k
    };
    assert_eq!(keys(&v), list(fields::TOP));
    assert_eq!(keys(&v["bundle"]), list(fields::BUNDLE));
    assert_eq!(keys(&v["pack"]), list(fields::PACK));
    assert_eq!(keys(&v["statement"]), list(fields::STATEMENT));
    assert_eq!(keys(&v["statement"]["authors"][0]), list(fields::PERSON));
    assert_eq!(keys(&v["sources"][0]), list(fields::SOURCE));
    assert_eq!(keys(&v["files"][0]), list(fields::FILE));
    assert_eq!(keys(&v["citations"][0]), list(fields::CITATION));
    assert_eq!(
        keys(&v["citations"][0]["passages"][0]),
        list(fields::PASSAGE)
    );
    assert_eq!(keys(&v["quotations"][0]), list(fields::QUOTATION));
}

#[test]
fn deep_nesting_is_an_error_not_a_stack_overflow() {
    let text = format!("a = {}", "[".repeat(100_000));
    assert!(matches!(
        Description::parse(&text),
        Err(DescriptionError::Syntax { .. })
    ));
}

#[test]
fn default_titles() {
    let cases = [
        ("How-Russia_occupied.txt", "How Russia occupied"),
        ("sources/gc4-1949-en-full.txt", "gc4 1949 en full"),
        ("a/b/Report  final__v2.pdf", "Report final v2"),
        ("Mr. Smith letter", "Mr. Smith letter"),
        ("archive.tar.gz", "archive.tar"),
        (".hidden", ".hidden"),
        ("---.txt", "---.txt"),
        ("notes", "notes"),
        ("", ""),
    ];
    for (path, title) in cases {
        assert_eq!(Description::default_title(path), title, "{path}");
    }
}

/// The documented normalisation: NFC, curly quotes and dashes made plain,
/// whitespace runs made one space.
fn normalise(s: &str) -> String {
    let plain: String = s
        .nfc()
        .map(|c| match c {
            '‘' | '’' => '\'',
            '“' | '”' => '"',
            '–' | '—' => '-',
            c => c,
        })
        .collect();
    plain.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `needle` occurs in `haystack` after normalisation, its first letter in either case.
fn occurs_normalised(needle: &str, haystack: &str) -> bool {
    let (needle, haystack) = (normalise(needle), normalise(haystack));
    let mut chars = needle.chars();
    let first = chars.next().map(String::from).unwrap_or_default();
    let rest = chars.as_str();
    [first.to_lowercase(), first.to_uppercase()]
        .iter()
        .any(|f| haystack.contains(&format!("{f}{rest}")))
}

fn files_under(root: &Path, dir: &Path, out: &mut BTreeSet<String>) {
    for entry in std::fs::read_dir(dir).expect("list archive") {
        let path = entry.expect("archive entry").path();
        if path.is_dir() {
            files_under(root, &path, out);
        } else {
            let rel = path.strip_prefix(root).expect("under root");
            out.insert(rel.to_str().expect("UTF-8 name").replace('\\', "/"));
        }
    }
}

#[test]
fn the_archive_is_described_exactly() {
    let d = Description::parse(include_str!("../../archive/docseal.toml"))
        .unwrap_or_else(|e| panic!("archive/docseal.toml: {e}"));
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("archive");
    let mut on_disk = BTreeSet::new();
    files_under(&root, &root, &mut on_disk);
    assert!(on_disk.remove(DESCRIPTION_FILE));
    let statement = d.statement.as_ref().expect("a statement");
    let mut described: BTreeMap<&str, usize> = BTreeMap::new();
    let paths = std::iter::once(statement.path.as_str())
        .chain(d.sources.iter().map(|s| s.path.as_str()))
        .chain(d.files.iter().map(|f| f.path.as_str()));
    for p in paths {
        *described.entry(p).or_default() += 1;
    }
    assert!(described.values().all(|n| *n == 1), "{described:?}");
    let described: BTreeSet<String> = described.keys().map(|p| p.to_string()).collect();
    assert_eq!(
        described, on_disk,
        "described files differ from the archive's files"
    );
    assert_eq!(d.sources.len(), 26);
    let read = |p: &str| std::fs::read_to_string(root.join(p)).expect("UTF-8 file");
    let statement_text = read(&statement.path);
    assert!(!d.citations.is_empty());
    for c in &d.citations {
        assert_eq!(
            statement_text.matches(c.exact.as_str()).count(),
            1,
            "{}: exact",
            c.id
        );
        let verbatim = c.kind() == crate::citations::Kind::Verbatim && c.verdict().needs_match();
        for p in c.all_passages() {
            let source = d
                .sources
                .iter()
                .find(|s| s.id == p.source)
                .expect("cited source");
            let source_text = read(&source.path);
            let words = p.exact.clone().unwrap_or_else(|| c.exact.clone());
            assert!(
                occurs_normalised(&words, &source_text),
                "{}: not in {}",
                c.id,
                source.path
            );
            if verbatim && !p.parallel {
                assert!(
                    occurs_normalised(&c.exact, &words),
                    "{}: words differ",
                    c.id
                );
            }
        }
    }
}

#[test]
fn normalised_matching_can_fail() {
    assert!(occurs_normalised(
        "the authority of\nthe",
        "xx The  authority of the"
    ));
    assert!(!occurs_normalised(
        "military assistance",
        "the necessary assistance"
    ));
}

/// Fragments of description syntax, to reach past the TOML parser.
fn fragment() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("[bundle]\n".to_owned()),
        Just("[statement]\n".to_owned()),
        Just("[[sources]]\n".to_owned()),
        Just("[[files]]\n".to_owned()),
        Just("[[citations]]\n".to_owned()),
        prop::sample::select(vec![
            "id",
            "path",
            "title",
            "source",
            "exact",
            "date",
            "role",
            "extent",
            "name",
            "identifier",
            "language",
            "retrieved",
            "notes"
        ])
        .prop_flat_map(|k| any::<String>().prop_map(move |v| format!("{k} = {v:?}\n"))),
        any::<String>(),
    ]
}

proptest! {
    #[test]
    fn parse_never_panics_on_arbitrary_text(text in any::<String>()) {
        let _ = Description::parse(&text);
    }

    #[test]
    fn parse_never_panics_on_description_like_text(parts in prop::collection::vec(fragment(), 0..12)) {
        if let Err(e) = Description::parse(&parts.concat()) {
            let message = e.to_string();
            prop_assert!(!message.chars().any(|c| c.is_control()), "{:?}", message);
        }
    }
}
