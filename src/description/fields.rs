//! Which keys each table of `docseal.toml` takes, and the check that names
//! every key it does not take.
//!
//! serde's `deny_unknown_fields` already refuses an unknown key, but it
//! stops at the first and does not say in which table it stands. This walk
//! over the parsed TOML runs first and reports every unknown key with its
//! table and entry (`files[0] (path "SOURCES.md"): unknown field "nots"`),
//! so that no field is ever silently dropped and one run names them all.
//! Every key listed here is carried into the bundle's `docseal.json` (or,
//! for `[pack]`, used by pack); a unit test keeps these lists equal to the
//! structs' fields.
//!
//! Spec: `docs/FORMAT.md` §8.

use super::DescriptionError;

/// Keys of the top level.
pub(super) const TOP: &[&str] = &[
    "bundle",
    "statement",
    "sources",
    "files",
    "citations",
    "quotations",
    "pack",
];
/// Keys of `[bundle]`.
pub(super) const BUNDLE: &[&str] = &[
    "name",
    "identifier",
    "title",
    "source_organization",
    "external_description",
    "contact_name",
    "contact_email",
    "language",
];
/// Keys of `[statement]`.
pub(super) const STATEMENT: &[&str] = &[
    "path",
    "title",
    "authors",
    "organisation",
    "date",
    "date_note",
    "language",
    "original_url",
    "archived_from",
    "retrieved",
    "notes",
];
/// Keys of each of `[statement]`'s `authors`.
pub(super) const PERSON: &[&str] = &["name", "role"];
/// Keys of a `[[sources]]` entry.
pub(super) const SOURCE: &[&str] = &[
    "id",
    "path",
    "title",
    "issuer",
    "date",
    "date_note",
    "language",
    "extent",
    "original_url",
    "archived_from",
    "retrieved",
    "license",
    "notes",
];
/// Keys of a `[[files]]` entry.
pub(super) const FILE: &[&str] = &["path", "role", "title", "notes"];
/// Keys of a `[[citations]]` entry.
pub(super) const CITATION: &[&str] = &[
    "id",
    "kind",
    "verdict",
    "source",
    "locator",
    "exact",
    "prefix",
    "suffix",
    "occurrence",
    "source_exact",
    "passages",
    "searched",
    "note",
];
/// Keys of a `[[citations.passages]]` entry.
pub(super) const PASSAGE: &[&str] = &[
    "source",
    "exact",
    "locator",
    "language",
    "authentic",
    "parallel",
    "prefix",
    "suffix",
    "occurrence",
];
/// Keys of a `[[quotations]]` entry.
pub(super) const QUOTATION: &[&str] = &["exact", "kind", "note"];
/// Keys of `[pack]`.
pub(super) const PACK: &[&str] = &["exclude"];

/// Every key of the description `text` that its table does not take, in
/// file order, each with its line and column. Values of the wrong type are
/// left to the schema check that follows; text that is not TOML gives none
/// (the syntax check reports it).
pub(super) fn unknown(text: &str) -> Vec<DescriptionError> {
    let tables: &[Named] = &[
        ("bundle", "[bundle]", BUNDLE),
        ("pack", "[pack]", PACK),
        ("statement", "[statement]", STATEMENT),
    ];
    unknown_in(text, TOP, tables)
}

/// Keys of the top level of an archivist's `NOTES.toml`.
pub(super) const NOTES_TOP: &[&str] = &["notes", "citations", "quotations"];

/// Every unknown key of a `NOTES.toml` text (see [`unknown`]): its
/// `[notes]` table takes `[bundle]`'s keys.
pub(super) fn unknown_notes(text: &str) -> Vec<DescriptionError> {
    unknown_in(text, NOTES_TOP, &[("notes", "[notes]", BUNDLE)])
}

/// A top-level table: its key, its header and the keys it takes.
type Named = (&'static str, &'static str, &'static [&'static str]);

fn unknown_in(text: &str, top_keys: &[&str], tables: &[Named]) -> Vec<DescriptionError> {
    let Ok(doc) = toml_edit::ImDocument::parse(text) else {
        return Vec::new();
    };
    let top = Node::Table(doc.as_table());
    let mut out = Vec::new();
    check(
        &mut out,
        text,
        top,
        "the top level",
        "the top level",
        top_keys,
    );
    for &(key, table, keys) in tables {
        if let Some(t) = top.table(key) {
            check(&mut out, text, t, key, table, keys);
        }
    }
    if let Some(statement) = top.table("statement") {
        for (i, a) in statement.tables("authors").into_iter().enumerate() {
            let entry = format!("statement.authors[{i}]");
            check(&mut out, text, a, &entry, "statement.authors", PERSON);
        }
    }
    for (list, header, keys, name) in [
        ("sources", "[[sources]]", SOURCE, "id"),
        ("files", "[[files]]", FILE, "path"),
        ("citations", "[[citations]]", CITATION, "id"),
        ("quotations", "[[quotations]]", QUOTATION, "exact"),
    ] {
        for (i, t) in top.tables(list).into_iter().enumerate() {
            // The same labels as the validation's messages.
            let entry = match t.str(name) {
                Some(v) if name == "path" => {
                    format!("{list}[{i}] (path {})", super::validate::shown(v))
                }
                Some(v) => super::validate::label(list, i, v),
                None => format!("{list}[{i}]"),
            };
            check(&mut out, text, t, &entry, header, keys);
        }
    }
    for (i, c) in top.tables("citations").into_iter().enumerate() {
        let id = c.str("id").unwrap_or_default();
        for (j, p) in c.tables("passages").into_iter().enumerate() {
            let entry = format!(
                "{}.passages[{j}]",
                super::validate::label("citations", i, id)
            );
            check(&mut out, text, p, &entry, "[[citations.passages]]", PASSAGE);
        }
    }
    out.sort_by_key(|e| match e {
        DescriptionError::UnknownField { line, column, .. } => (*line, *column),
        _ => (0, 0),
    });
    out
}

/// A table of the parsed document, written as a table or inline.
#[derive(Clone, Copy)]
enum Node<'a> {
    Table(&'a toml_edit::Table),
    Inline(&'a toml_edit::InlineTable),
}

impl<'a> Node<'a> {
    /// Its keys with the byte range of each.
    fn keys(self) -> Vec<(&'a str, Option<std::ops::Range<usize>>)> {
        match self {
            Node::Table(t) => t
                .iter()
                .map(|(k, _)| (k, t.key(k).and_then(toml_edit::Key::span)))
                .collect(),
            Node::Inline(t) => t
                .iter()
                .map(|(k, _)| (k, t.key(k).and_then(toml_edit::Key::span)))
                .collect(),
        }
    }

    fn value(self, key: &str) -> Option<&'a toml_edit::Value> {
        match self {
            Node::Table(t) => t.get(key).and_then(toml_edit::Item::as_value),
            Node::Inline(t) => t.get(key),
        }
    }

    fn str(self, key: &str) -> Option<&'a str> {
        self.value(key).and_then(toml_edit::Value::as_str)
    }

    /// The table under `key`, however it is written.
    fn table(self, key: &str) -> Option<Node<'a>> {
        if let Node::Table(t) = self {
            if let Some(toml_edit::Item::Table(inner)) = t.get(key) {
                return Some(Node::Table(inner));
            }
        }
        self.value(key)
            .and_then(toml_edit::Value::as_inline_table)
            .map(Node::Inline)
    }

    /// The tables of the array under `key` (`[[key]]` or `key = [{ }]`).
    fn tables(self, key: &str) -> Vec<Node<'a>> {
        if let Node::Table(t) = self {
            if let Some(toml_edit::Item::ArrayOfTables(a)) = t.get(key) {
                return a.iter().map(Node::Table).collect();
            }
        }
        self.value(key)
            .and_then(toml_edit::Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(toml_edit::Value::as_inline_table)
                    .map(Node::Inline)
                    .collect()
            })
            .unwrap_or_default()
    }
}

fn check(
    out: &mut Vec<DescriptionError>,
    text: &str,
    t: Node,
    entry: &str,
    table: &str,
    keys: &[&str],
) {
    for (key, span) in t.keys().into_iter().filter(|(k, _)| !keys.contains(k)) {
        let (line, column) = span.map_or((0, 0), |s| super::line_column(text, s.start));
        out.push(DescriptionError::UnknownField {
            line,
            column,
            entry: entry.to_owned(),
            field: super::validate::shown(key),
            table: table.to_owned(),
            known: keys.join(", "),
        });
    }
}
