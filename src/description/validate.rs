//! The checks behind [`Description::validate`]: everything about a
//! description that can be decided without looking at the folder.
//!
//! Fields fall into three classes by what they may hold:
//! - *line* fields (ids, paths, titles, names, addresses, dates, languages,
//!   the one-line bundle fields): no control character, no line or
//!   paragraph separator, no bidirectional formatting character, because
//!   they are printed on one line in listings, reports and `bag-info.txt`;
//! - *note* fields (`notes`, `note`, `date_note`, `license`): line feeds
//!   allowed, otherwise as line fields;
//! - *quotation* fields (`exact`, `prefix`, `suffix`, `source_exact`):
//!   copied from documents, so only control characters other than line
//!   feed are refused.
//!
//! Every field is at most [`MAX_FIELD_BYTES`] and every list at most
//! [`MAX_ENTRIES`] long, so a hostile description cannot make later steps
//! quadratic in memory or time beyond those bounds.
//!
//! Spec: `docs/FORMAT.md` §8, "The description file (`docseal.toml`)"; the
//! manifest fields it feeds are in §4.

use std::collections::BTreeMap;

use thiserror::Error;

use super::{
    BundleInfo, Citation, Description, DescriptionError, OtherFile, PackRules, Role, Source,
    Statement, DESCRIPTION_FILE, MAX_ENTRIES, MAX_FIELD_BYTES, MAX_IDENTIFIER_CHARS, MAX_ID_CHARS,
};

type Result<T = ()> = std::result::Result<T, DescriptionError>;

/// What is wrong with a relative path in a description.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Error)]
pub enum PathProblem {
    /// The path is empty.
    #[error("is empty")]
    Empty,
    /// It starts with `/`.
    #[error("starts with '/'")]
    Absolute,
    /// It holds a backslash (a separator on Windows, never allowed).
    #[error("contains a backslash")]
    Backslash,
    /// It holds a control character.
    #[error("contains a control character")]
    Control,
    /// It has an empty segment: `//` or a trailing `/`.
    #[error("has an empty segment ('//' or a trailing '/')")]
    EmptySegment,
    /// A segment is `.`.
    #[error("contains '.' as a segment")]
    Dot,
    /// A segment is `..`.
    #[error("contains '..'")]
    DotDot,
    /// It names the description file itself, which is not payload.
    #[error("is the description file itself")]
    DescriptionFile,
    /// The bundle name holds a `/` but must be one folder name.
    #[error("must be a single folder name, without '/'")]
    NotSingle,
}

/// What a field may hold (see the module documentation).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Class {
    Line,
    Note,
    Quotation,
}

/// Checks a whole description; the first problem in file order wins.
pub(super) fn validate(d: &Description) -> Result {
    match problems(d).into_iter().next() {
        Some(e) => Err(e),
        None => Ok(()),
    }
}

/// Every problem of a description, in file order: the first of each entry
/// (an entry's later checks may depend on its earlier fields), and every
/// entry, so that one run of `pack` names all that needs fixing.
pub(super) fn problems(d: &Description) -> Vec<DescriptionError> {
    let mut out = Vec::new();
    let mut keep = |r: Result| {
        if let Err(e) = r {
            out.push(e);
        }
    };
    keep(bundle(&d.bundle));
    keep(pack_rules(&d.pack));
    for (list, n) in [
        ("sources", d.sources.len()),
        ("files", d.files.len()),
        ("citations", d.citations.len()),
    ] {
        keep(count(list, n));
    }
    let mut paths: BTreeMap<&str, String> = BTreeMap::new();
    if let Some(s) = &d.statement {
        keep(statement(s).and_then(|()| claim_path(&mut paths, &s.path, "statement")));
    }
    let mut source_ids: BTreeMap<&str, String> = BTreeMap::new();
    for (i, s) in d.sources.iter().enumerate().take(MAX_ENTRIES) {
        let entry = label("sources", i, &s.id);
        keep(source(&entry, s).and_then(|()| {
            claim_id(&mut source_ids, &s.id, &entry)?;
            claim_path(&mut paths, &s.path, &entry)
        }));
    }
    for (i, f) in d.files.iter().enumerate().take(MAX_ENTRIES) {
        let entry = format!("files[{i}] (path {})", shown(&f.path));
        keep(other_file(&entry, f).and_then(|()| claim_path(&mut paths, &f.path, &entry)));
    }
    let mut citation_ids: BTreeMap<&str, String> = BTreeMap::new();
    for (i, c) in d.citations.iter().enumerate().take(MAX_ENTRIES) {
        let entry = label("citations", i, &c.id);
        keep(citation(&entry, c).and_then(|()| {
            claim_id(&mut citation_ids, &c.id, &entry)?;
            if let Some(unknown) = c.source_ids().find(|s| !source_ids.contains_key(s)) {
                let source_id = shown(unknown);
                return Err(DescriptionError::UnknownSource {
                    entry: entry.clone(),
                    source_id,
                });
            }
            if let Some(message) = c.rule_broken() {
                return Err(DescriptionError::BadClaim {
                    entry: entry.clone(),
                    message,
                });
            }
            Ok(())
        }));
    }
    keep(count("quotations", d.quotations.len()));
    for (i, q) in d.quotations.iter().enumerate().take(MAX_ENTRIES) {
        let entry = format!("quotations[{i}]");
        keep(
            required(&entry, "exact", &q.exact, Class::Quotation)
                .and_then(|()| opt(&entry, "note", &q.note, Class::Note)),
        );
    }
    if (!d.citations.is_empty() || !d.quotations.is_empty()) && d.statement.is_none() {
        keep(Err(DescriptionError::NoStatement));
    }
    out
}

/// `[pack]`: each exclusion is a non-empty line field (its glob syntax is
/// checked by `pack`, which compiles it).
fn pack_rules(p: &PackRules) -> Result {
    count("pack.exclude", p.exclude.len())?;
    for (i, g) in p.exclude.iter().enumerate() {
        required(&format!("pack.exclude[{i}]"), "exclude", g, Class::Line)?;
    }
    Ok(())
}

fn bundle(b: &BundleInfo) -> Result {
    identity_table("bundle", b)
}

/// `[bundle]` of `docseal.toml`, or `[notes]` of `NOTES.toml` (`entry`).
pub(super) fn identity_table(entry: &str, b: &BundleInfo) -> Result {
    if let Some(name) = &b.name {
        path(entry, "name", name)?;
        if name.contains('/') {
            let problem = PathProblem::NotSingle;
            return Err(DescriptionError::BadPath {
                entry: entry.into(),
                field: "name",
                problem,
            });
        }
    }
    if let Some(id) = &b.identifier {
        let ok = (1..=MAX_IDENTIFIER_CHARS).contains(&id.len())
            && id.bytes().all(|c| c.is_ascii_graphic());
        if !ok {
            let value = shown(id);
            return Err(DescriptionError::BadIdentifier {
                entry: entry.into(),
                value,
            });
        }
    }
    opt(entry, "title", &b.title, Class::Line)?;
    opt(
        entry,
        "source_organization",
        &b.source_organization,
        Class::Line,
    )?;
    opt(
        entry,
        "external_description",
        &b.external_description,
        Class::Line,
    )?;
    opt(entry, "contact_name", &b.contact_name, Class::Line)?;
    opt(entry, "contact_email", &b.contact_email, Class::Line)?;
    language(entry, "language", &b.language)
}

fn statement(s: &Statement) -> Result {
    let entry = "statement";
    path(entry, "path", &s.path)?;
    required(entry, "title", &s.title, Class::Line)?;
    count("statement.authors", s.authors.len())?;
    for (i, a) in s.authors.iter().enumerate() {
        let author = format!("statement.authors[{i}]");
        required(&author, "name", &a.name, Class::Line)?;
        opt(&author, "role", &a.role, Class::Line)?;
    }
    opt(entry, "organisation", &s.organisation, Class::Line)?;
    date(entry, "date", &s.date, false)?;
    opt(entry, "date_note", &s.date_note, Class::Note)?;
    language(entry, "language", &s.language)?;
    opt(entry, "original_url", &s.original_url, Class::Line)?;
    opt(entry, "archived_from", &s.archived_from, Class::Line)?;
    date(entry, "retrieved", &s.retrieved, true)?;
    opt(entry, "notes", &s.notes, Class::Note)
}

fn source(entry: &str, s: &Source) -> Result {
    slug(entry, "id", &s.id)?;
    path(entry, "path", &s.path)?;
    required(entry, "title", &s.title, Class::Line)?;
    opt(entry, "issuer", &s.issuer, Class::Line)?;
    date(entry, "date", &s.date, false)?;
    opt(entry, "date_note", &s.date_note, Class::Note)?;
    language(entry, "language", &s.language)?;
    opt(entry, "original_url", &s.original_url, Class::Line)?;
    opt(entry, "archived_from", &s.archived_from, Class::Line)?;
    date(entry, "retrieved", &s.retrieved, true)?;
    opt(entry, "license", &s.license, Class::Note)?;
    opt(entry, "notes", &s.notes, Class::Note)
}

fn other_file(entry: &str, f: &OtherFile) -> Result {
    path(entry, "path", &f.path)?;
    if matches!(f.role, Role::Statement | Role::Source) {
        return Err(DescriptionError::ReservedRole {
            entry: entry.into(),
            role: f.role,
        });
    }
    opt(entry, "title", &f.title, Class::Line)?;
    opt(entry, "notes", &f.notes, Class::Note)
}

fn citation(entry: &str, c: &Citation) -> Result {
    slug(entry, "id", &c.id)?;
    opt(entry, "source", &c.source, Class::Line)?;
    opt(entry, "locator", &c.locator, Class::Line)?;
    required(entry, "exact", &c.exact, Class::Quotation)?;
    opt(entry, "prefix", &c.prefix, Class::Quotation)?;
    opt(entry, "suffix", &c.suffix, Class::Quotation)?;
    if let Some(s) = &c.source_exact {
        required(entry, "source_exact", s, Class::Quotation)?;
    }
    count("passages", c.passages.len())?;
    count("searched", c.searched.len())?;
    for p in &c.passages {
        field(entry, "passages.source", &p.source, Class::Line)?;
        opt(entry, "passages.locator", &p.locator, Class::Line)?;
        opt(entry, "passages.language", &p.language, Class::Line)?;
        if let Some(x) = &p.exact {
            required(entry, "passages.exact", x, Class::Quotation)?;
        }
        opt(entry, "passages.prefix", &p.prefix, Class::Quotation)?;
        opt(entry, "passages.suffix", &p.suffix, Class::Quotation)?;
    }
    for s in &c.searched {
        field(entry, "searched", s, Class::Line)?;
    }
    opt(entry, "note", &c.note, Class::Note)
}

/// `sources[3] (id gc4-1949)`; the id is shown only when it is a slug, so
/// a label can never carry a hostile character.
pub(super) fn label(list: &str, index: usize, id: &str) -> String {
    if is_slug(id) {
        format!("{list}[{index}] (id {id})")
    } else {
        format!("{list}[{index}]")
    }
}

/// A value for an error message: quoted, escaped, cut to 80 characters.
pub(super) fn shown(value: &str) -> String {
    const MAX: usize = 80;
    match value.char_indices().nth(MAX) {
        Some((cut, _)) => format!("{:?}…", value.get(..cut).unwrap_or_default()),
        None => format!("{value:?}"),
    }
}

fn count(list: &'static str, n: usize) -> Result {
    if n > MAX_ENTRIES {
        return Err(DescriptionError::TooMany {
            list,
            max: MAX_ENTRIES,
        });
    }
    Ok(())
}

fn opt(entry: &str, name: &'static str, value: &Option<String>, class: Class) -> Result {
    value
        .as_deref()
        .map_or(Ok(()), |v| field(entry, name, v, class))
}

fn required(entry: &str, name: &'static str, value: &str, class: Class) -> Result {
    if value.is_empty() {
        return Err(DescriptionError::Empty {
            entry: entry.into(),
            field: name,
        });
    }
    field(entry, name, value, class)
}

/// Length and character checks shared by every field.
fn field(entry: &str, name: &'static str, value: &str, class: Class) -> Result {
    if value.len() > MAX_FIELD_BYTES {
        let max = MAX_FIELD_BYTES;
        return Err(DescriptionError::TooLong {
            entry: entry.into(),
            field: name,
            max,
        });
    }
    for c in value.chars() {
        if let Some(what) = forbidden(c, class) {
            let (entry, field, code) = (entry.into(), name, u32::from(c));
            return Err(DescriptionError::ControlChar {
                entry,
                field,
                code,
                what,
            });
        }
    }
    Ok(())
}

/// What kind of forbidden character `c` is in a field of `class`, if it is one.
fn forbidden(c: char, class: Class) -> Option<&'static str> {
    if c.is_control() && !(c == '\n' && class != Class::Line) {
        return Some("control character");
    }
    if class == Class::Quotation {
        return None;
    }
    match c {
        '\u{2028}' | '\u{2029}' if class == Class::Line => Some("line or paragraph separator"),
        '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' => {
            Some("bidirectional formatting character")
        }
        _ => None,
    }
}

fn is_slug(s: &str) -> bool {
    (1..=MAX_ID_CHARS).contains(&s.len())
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

fn slug(entry: &str, name: &'static str, value: &str) -> Result {
    if !is_slug(value) {
        let (entry, value) = (entry.into(), shown(value));
        return Err(DescriptionError::BadId {
            entry,
            field: name,
            value,
        });
    }
    Ok(())
}

/// A relative path: `/`-separated segments, none empty, `.` or `..`.
fn path(entry: &str, name: &'static str, value: &str) -> Result {
    field(entry, name, value, Class::Line).map_err(|e| match e {
        DescriptionError::ControlChar { .. } => bad_path(entry, name, PathProblem::Control),
        other => other,
    })?;
    let problem = if value.is_empty() {
        Some(PathProblem::Empty)
    } else if value.starts_with('/') {
        Some(PathProblem::Absolute)
    } else if value.contains('\\') {
        Some(PathProblem::Backslash)
    } else if value == DESCRIPTION_FILE {
        Some(PathProblem::DescriptionFile)
    } else {
        value.split('/').find_map(|segment| match segment {
            "" => Some(PathProblem::EmptySegment),
            "." => Some(PathProblem::Dot),
            ".." => Some(PathProblem::DotDot),
            _ => None,
        })
    };
    problem.map_or(Ok(()), |p| Err(bad_path(entry, name, p)))
}

fn bad_path(entry: &str, field: &'static str, problem: PathProblem) -> DescriptionError {
    DescriptionError::BadPath {
        entry: entry.into(),
        field,
        problem,
    }
}

fn claim_path<'a>(seen: &mut BTreeMap<&'a str, String>, path: &'a str, entry: &str) -> Result {
    if let Some(first) = seen.get(path) {
        let (entry, path, first) = (entry.into(), shown(path), first.clone());
        return Err(DescriptionError::DuplicatePath { entry, path, first });
    }
    seen.insert(path, entry.to_owned());
    Ok(())
}

fn claim_id<'a>(seen: &mut BTreeMap<&'a str, String>, id: &'a str, entry: &str) -> Result {
    if let Some(first) = seen.get(id) {
        let (entry, id, first) = (entry.into(), id.to_owned(), first.clone());
        return Err(DescriptionError::DuplicateId { entry, id, first });
    }
    seen.insert(id, entry.to_owned());
    Ok(())
}

/// `YYYY`, `YYYY-MM` or `YYYY-MM-DD` (only the last when `full`), a real calendar day.
fn date(entry: &str, name: &'static str, value: &Option<String>, full: bool) -> Result {
    let Some(v) = value else { return Ok(()) };
    let parts: Vec<&str> = v.split('-').collect();
    let widths: &[usize] = if full {
        &[4, 2, 2]
    } else {
        &[4, 2, 2][..parts.len().min(3)]
    };
    let shape_ok = parts.len() == widths.len()
        && parts
            .iter()
            .zip(widths)
            .all(|(p, w)| p.len() == *w && p.bytes().all(|b| b.is_ascii_digit()));
    let numbers: Vec<u32> = parts.iter().filter_map(|p| p.parse().ok()).collect();
    if shape_ok && is_calendar_date(&numbers) {
        return Ok(());
    }
    let expected = if full {
        "YYYY-MM-DD"
    } else {
        "YYYY, YYYY-MM or YYYY-MM-DD (free text goes in date_note)"
    };
    let (entry, value) = (entry.into(), shown(v));
    Err(DescriptionError::BadDate {
        entry,
        field: name,
        value,
        expected,
    })
}

/// Year, optional month 1–12, optional day within that month (proleptic Gregorian).
fn is_calendar_date(parts: &[u32]) -> bool {
    match *parts {
        [_] => true,
        [_, m] => (1..=12).contains(&m),
        [y, m, d] => (1..=12).contains(&m) && d >= 1 && d <= days_in_month(y, m),
        _ => false,
    }
}

fn days_in_month(year: u32, month: u32) -> u32 {
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    match month {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// A BCP 47 tag, checked for shape only: a primary subtag of 2 or 3
/// letters (ISO 639; `x` or `i` for private and legacy tags), then subtags
/// of 1 to 8 letters or digits, joined by `-`. So "English" is refused.
fn language(entry: &str, name: &'static str, value: &Option<String>) -> Result {
    let Some(v) = value else { return Ok(()) };
    let mut subtags = v.split('-');
    let primary_ok = subtags.next().is_some_and(|p| {
        let iso = (2..=3).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphabetic());
        iso || p.eq_ignore_ascii_case("x") || p.eq_ignore_ascii_case("i")
    });
    let rest_ok =
        subtags.all(|s| (1..=8).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_alphanumeric()));
    if primary_ok && rest_ok && v.len() <= 64 {
        return Ok(());
    }
    let (entry, value) = (entry.into(), shown(v));
    Err(DescriptionError::BadLanguage {
        entry,
        field: name,
        value,
    })
}
