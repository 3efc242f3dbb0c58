//! The description file, `docseal.toml`: what the folder to pack holds.
//!
//! A folder may carry this TOML file at its root to give the bundle its
//! name and identity, the statement's metadata, a bibliographic record for
//! every source, a role for other payload files, and the citations that
//! bind the statement's quotations to their sources. Every key of every
//! table is either carried into the bundle or refused by name with its
//! table and position (see `fields`), so a misspelt key is an error rather
//! than a silently lost record, and TOML itself refuses a key given twice.
//! [`Description::parse_all`] reports every problem, not only the first.
//!
//! Invariant: a [`Description`] returned by [`Description::parse`] has
//! passed [`Description::validate`]: its ids are unique slugs, every
//! citation names an existing source, its paths are safe relative paths
//! each described once, its dates are ISO 8601 calendar dates, and no
//! field holds a character that could forge a line when printed.
//! Whether the described files exist is checked by `pack`, which sees the
//! folder.
//!
//! Spec: `docs/FORMAT.md` §8, "The description file (`docseal.toml`)"; the
//! manifest fields it feeds are in §4.

use serde::{Deserialize, Serialize};
use thiserror::Error;

mod claims;
mod fields;
mod notes;
mod validate;

pub use claims::{Citation, DeclaredQuotation, PassageSpec};
pub use notes::{NotesFile, NOTES_PAYLOAD};
pub use validate::PathProblem;

/// The description file's name at the root of the folder to pack.
pub const DESCRIPTION_FILE: &str = "docseal.toml";
/// The longest value of any one field, in bytes.
pub const MAX_FIELD_BYTES: usize = 64 * 1024;
/// The most entries in one list (`sources`, `files`, `citations`, `authors`).
pub const MAX_ENTRIES: usize = 10_000;
/// The longest id (of a source or a citation), in characters.
pub const MAX_ID_CHARS: usize = 64;
/// The longest bundle identifier, in characters (it goes into signatures' trusted comments).
pub const MAX_IDENTIFIER_CHARS: usize = 200;

/// The whole description file.
///
/// Every table and list is optional: an empty file is a valid description
/// that leaves everything to `pack`'s defaults.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Description {
    /// `[bundle]`: the bundle's name and identity.
    #[serde(default)]
    pub bundle: BundleInfo,
    /// `[statement]`: the statement the bundle is about, if it has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub statement: Option<Statement>,
    /// `[[sources]]`: the documents the statement cites or relies on.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<Source>,
    /// `[[files]]`: other payload files worth describing (records, attachments).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub files: Vec<OtherFile>,
    /// `[[citations]]`: quotations of the statement bound to passages of sources.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub citations: Vec<Citation>,
    /// `[pack]`: how pack selects the files (not carried into the bundle).
    #[serde(default, skip_serializing_if = "PackRules::is_empty")]
    pub pack: PackRules,
    /// `[[quotations]]`: quoted spans of the statement that quote nobody
    /// (terms, scare quotes), declared so every quoted span is accounted for.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub quotations: Vec<DeclaredQuotation>,
}

/// `[pack]`: instructions to `pack` itself. They shape which files become
/// payload and are not recorded in the bundle (what was packed is).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PackRules {
    /// Glob patterns of files and folders to leave out, as `--exclude`
    /// takes them (syntax in `docs/FORMAT.md` §8).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exclude: Vec<String>,
}

impl PackRules {
    /// True when there are no rules.
    pub fn is_empty(&self) -> bool {
        self.exclude.is_empty()
    }
}

/// `[bundle]`: who and what the bundle is. Every field is optional.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BundleInfo {
    /// The top-level folder name inside the zip: one path segment.
    /// Default: the packed folder's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Stable identifier shared by every version of the bundle: 1 to 200
    /// printable ASCII characters without spaces. Default: derived by `pack`
    /// from the signer's key and the name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub identifier: Option<String>,
    /// Human title of the bundle. Default: the statement's title.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Organisation responsible for the content (BagIt `Source-Organization`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_organization: Option<String>,
    /// One-line summary of the content (BagIt `External-Description`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub external_description: Option<String>,
    /// Contact person (BagIt `Contact-Name`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact_name: Option<String>,
    /// Contact e-mail address (BagIt `Contact-Email`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact_email: Option<String>,
    /// Main language of the content, a BCP 47 tag such as `en`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
}

/// An author of the statement.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Person {
    /// The person's name as the statement gives it.
    pub name: String,
    /// Their function or title, e.g. "Head, National Anti-Crisis Management".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
}

/// `[statement]`: the statement whose quotations the bundle documents.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Statement {
    /// The statement's file, relative to the packed folder (`/`-separated).
    pub path: String,
    /// Its title.
    pub title: String,
    /// Its authors, in the order the statement names them (always written
    /// to the manifest, even when empty, as FORMAT.md §4 shows it).
    #[serde(default)]
    pub authors: Vec<Person>,
    /// The organisation that published it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organisation: Option<String>,
    /// Its publication date: `YYYY`, `YYYY-MM` or `YYYY-MM-DD` only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// Free text about the date: an uncertain or missing date goes here.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date_note: Option<String>,
    /// Its language, a BCP 47 tag such as `en`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    /// The public address where it was published.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub original_url: Option<String>,
    /// Where the archived copy was taken from (a stored page, a repository and commit).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub archived_from: Option<String>,
    /// When the archived copy was taken: `YYYY-MM-DD`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retrieved: Option<String>,
    /// Free-text remarks (several lines allowed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
}

/// `[[sources]]`: the bibliographic record of one archived source file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    /// Short unique slug, 1 to 64 of `a-z`, `0-9` and `-`; citations refer to it.
    pub id: String,
    /// The source's file, relative to the packed folder (`/`-separated).
    pub path: String,
    /// The document's title (and, when several copies are kept, which copy this is).
    pub title: String,
    /// Who issued the document: the parties, an authority, a news agency.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issuer: Option<String>,
    /// The document's own date: `YYYY`, `YYYY-MM` or `YYYY-MM-DD` only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// Free text about the date (signature, ratification, entry into force, doubts).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date_note: Option<String>,
    /// The language of the copy kept, a BCP 47 tag such as `en`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    /// How much of the document the file holds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extent: Option<Extent>,
    /// The public address of the document as published.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub original_url: Option<String>,
    /// Where the archived copy was taken from (a stored page, a repository and commit).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub archived_from: Option<String>,
    /// When the archived copy was taken: `YYYY-MM-DD`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retrieved: Option<String>,
    /// Licence or copyright notice of the copy.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub license: Option<String>,
    /// Free-text remarks, e.g. discrepancies with the statement (several lines allowed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
}

/// How much of a document a source file holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Extent {
    /// The whole text.
    Full,
    /// A continuous part of the text (e.g. the opening of a page).
    Excerpt,
    /// Only the passages that carry the fact in question (e.g. from a copyrighted report).
    Quote,
}

/// `[[files]]`: another payload file worth describing.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OtherFile {
    /// The file, relative to the packed folder (`/`-separated).
    pub path: String,
    /// What it is to the bundle: `record` or `attachment` (the other roles
    /// belong to `[statement]` and `[[sources]]`).
    pub role: Role,
    /// Its title. Default: [`Description::default_title`] of its path.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Free-text remarks (several lines allowed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
}

/// What a payload file is to the bundle.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// The statement itself.
    Statement,
    /// A document the statement cites or relies on.
    Source,
    /// A record about the bundle's content (provenance notes, checks).
    Record,
    /// Anything else; the role of undescribed files.
    Attachment,
}

impl Role {
    /// The role's name as written in the description and the manifest.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Statement => "statement",
            Role::Source => "source",
            Role::Record => "record",
            Role::Attachment => "attachment",
        }
    }
}

impl std::fmt::Display for Role {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why a description was refused. Each message is one line; `entry` names
/// the offending entry as `sources[3] (id gc4-1949)`, counting from 0 in
/// file order. Values taken from the file are shown quoted and escaped.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum DescriptionError {
    /// Not TOML, including a key given twice. `line` and `column` count from 1 (0: unknown).
    #[error("{}{message}", at(*line, *column))]
    Syntax {
        /// Line of the error.
        line: usize,
        /// Column of the error, in characters.
        column: usize,
        /// The parser's explanation.
        message: String,
    },
    /// TOML that does not fit the schema: unknown or missing field, wrong type, unknown value.
    #[error("{}{message}", at(*line, *column))]
    Schema {
        /// Line of the error (0: unknown).
        line: usize,
        /// Column of the error, in characters (0: unknown).
        column: usize,
        /// The parser's explanation.
        message: String,
    },
    /// A key that its table does not take (it would be lost, so it is refused).
    #[error("{}{entry}: unknown field {field}; {table} takes: {known}", at(*line, *column))]
    UnknownField {
        /// Line of the key (0: unknown).
        line: usize,
        /// Column of the key, in characters (0: unknown).
        column: usize,
        /// The entry, e.g. `files[0] (path "sources/SOURCES.md")`.
        entry: String,
        /// The key, quoted.
        field: String,
        /// The table as written in the file, e.g. `[[files]]`.
        table: String,
        /// The keys the table takes, comma-separated.
        known: String,
    },
    /// An id is not a slug.
    #[error("{entry}: {field}: {value} is not 1 to 64 of a-z, 0-9 and '-'")]
    BadId {
        /// The entry.
        entry: String,
        /// The field.
        field: &'static str,
        /// The value, quoted.
        value: String,
    },
    /// Two sources, or two citations, share an id.
    #[error("{entry}: id {id} is already used by {first}")]
    DuplicateId {
        /// The later entry.
        entry: String,
        /// The id.
        id: String,
        /// The first entry with that id.
        first: String,
    },
    /// A citation names a source id that no `[[sources]]` entry has.
    #[error("{entry}: source: no [[sources]] entry has id {source_id}")]
    UnknownSource {
        /// The citation.
        entry: String,
        /// The id it names, quoted.
        source_id: String,
    },
    /// A citation or declared quotation breaks a rule of its kind.
    #[error("{entry}: {message}")]
    BadClaim {
        /// The entry.
        entry: String,
        /// What is wrong.
        message: String,
    },
    /// There are citations but no `[statement]` for them to quote.
    #[error("citations: there is no [statement] for them to quote")]
    NoStatement,
    /// A path (or the bundle name) is not a safe relative path.
    #[error("{entry}: {field}: {problem}")]
    BadPath {
        /// The entry.
        entry: String,
        /// The field.
        field: &'static str,
        /// What is wrong with it.
        problem: PathProblem,
    },
    /// Two entries describe the same file.
    #[error("{entry}: path {path} is already described by {first}")]
    DuplicatePath {
        /// The later entry.
        entry: String,
        /// The path, quoted.
        path: String,
        /// The first entry describing it.
        first: String,
    },
    /// A field holds a character it may not: a control character (a line
    /// feed is allowed in notes and quotations only), or, outside
    /// quotations, a line separator or a bidirectional formatting character.
    #[error("{entry}: {field}: contains U+{code:04X}, a {what}")]
    ControlChar {
        /// The entry.
        entry: String,
        /// The field.
        field: &'static str,
        /// The character's code point.
        code: u32,
        /// What kind of character it is.
        what: &'static str,
    },
    /// The bundle identifier is not 1 to 200 printable ASCII characters without spaces.
    #[error(
        "{entry}: identifier: {value} is not 1 to 200 printable ASCII characters without spaces"
    )]
    BadIdentifier {
        /// The entry (`bundle`).
        entry: String,
        /// The value, quoted.
        value: String,
    },
    /// A date field is not an ISO 8601 calendar date of the allowed precision.
    #[error("{entry}: {field}: {value} is not a date of the form {expected}")]
    BadDate {
        /// The entry.
        entry: String,
        /// The field.
        field: &'static str,
        /// The value, quoted.
        value: String,
        /// The forms allowed.
        expected: &'static str,
    },
    /// A language field is not a BCP 47 tag.
    #[error("{entry}: {field}: {value} is not a language tag such as en, fr or pt-BR")]
    BadLanguage {
        /// The entry.
        entry: String,
        /// The field.
        field: &'static str,
        /// The value, quoted.
        value: String,
    },
    /// A required text field is empty.
    #[error("{entry}: {field}: is empty")]
    Empty {
        /// The entry.
        entry: String,
        /// The field.
        field: &'static str,
    },
    /// A field is longer than [`MAX_FIELD_BYTES`].
    #[error("{entry}: {field}: longer than {max} bytes")]
    TooLong {
        /// The entry.
        entry: String,
        /// The field.
        field: &'static str,
        /// The limit.
        max: usize,
    },
    /// A list has more than [`MAX_ENTRIES`] entries.
    #[error("{list}: more than {max} entries")]
    TooMany {
        /// The list, e.g. `sources` or `statement.authors`.
        list: &'static str,
        /// The limit.
        max: usize,
    },
    /// A `[[files]]` entry takes a role that belongs to `[statement]` or `[[sources]]`.
    #[error("{entry}: role: {role} is given only by [statement] or [[sources]]")]
    ReservedRole {
        /// The entry.
        entry: String,
        /// The role it asked for.
        role: Role,
    },
}

/// `line L, column C: `, or nothing when the position is unknown.
fn at(line: usize, column: usize) -> String {
    if line == 0 {
        String::new()
    } else {
        format!("line {line}, column {column}: ")
    }
}

impl Description {
    /// Parses and validates a description file's text.
    ///
    /// The text is first parsed as plain TOML, so that syntax errors
    /// (including a key given twice) are [`DescriptionError::Syntax`] and
    /// schema errors (an unknown field, a wrong type) are
    /// [`DescriptionError::Schema`]; then [`Description::validate`] runs.
    pub fn parse(text: &str) -> Result<Description, DescriptionError> {
        Description::parse_all(text).map_err(|mut all| all.swap_remove(0))
    }

    /// Like [`Description::parse`], but returns every problem found: every
    /// unknown key (with its table), or the first syntax or schema error,
    /// or every entry that [`Description::validate`] refuses. The list is
    /// never empty.
    pub fn parse_all(text: &str) -> Result<Description, Vec<DescriptionError>> {
        if let Err(e) = text.parse::<toml::Table>() {
            let (line, column, message) = located(text, &e);
            return Err(vec![DescriptionError::Syntax {
                line,
                column,
                message,
            }]);
        }
        let unknown = fields::unknown(text);
        if !unknown.is_empty() {
            return Err(unknown);
        }
        let description: Description = toml::from_str(text).map_err(|e| {
            let (line, column, mut message) = located(text, &e);
            // TOML's own date literals (`date = 2022-03-31`) arrive as a map;
            // tell the user what to write instead of what serde saw.
            if message.contains("expected a string") {
                message.push_str("; write the value as a quoted string");
            }
            vec![DescriptionError::Schema {
                line,
                column,
                message,
            }]
        })?;
        let problems = validate::problems(&description);
        if !problems.is_empty() {
            return Err(problems);
        }
        Ok(description)
    }

    /// Checks everything that can be checked without the folder: see the
    /// module documentation. Reports the first problem in file order.
    ///
    /// Dates: `date` fields hold ISO 8601 calendar dates of any precision
    /// (`YYYY`, `YYYY-MM`, `YYYY-MM-DD`) and `retrieved` a full date; free
    /// text such as "spring 2022" or "not found" is refused there and
    /// belongs in `date_note`, so every date in a bundle is machine-readable.
    pub fn validate(&self) -> Result<(), DescriptionError> {
        validate::validate(self)
    }

    /// A readable title from a file's path, for files nobody described:
    /// the last segment, without a short extension, with `-`, `_` and
    /// whitespace runs turned into single spaces ("How-Russia_occupied.txt"
    /// gives "How Russia occupied"). Letters keep their case.
    pub fn default_title(path: &str) -> String {
        let name = path.rsplit('/').find(|s| !s.is_empty()).unwrap_or(path);
        let stem = match name.rsplit_once('.') {
            Some((stem, ext))
                if !stem.is_empty()
                    && (1..=5).contains(&ext.len())
                    && ext.bytes().all(|b| b.is_ascii_alphanumeric()) =>
            {
                stem
            }
            _ => name,
        };
        let words: Vec<&str> = stem
            .split(|c: char| c == '-' || c == '_' || c.is_whitespace())
            .filter(|w| !w.is_empty())
            .collect();
        if words.is_empty() {
            name.to_owned()
        } else {
            words.join(" ")
        }
    }
}

/// Line, column (from 1, in characters; 0 when unknown) and a one-line message.
fn located(text: &str, e: &toml::de::Error) -> (usize, usize, String) {
    let message = one_line(e.message());
    let Some(span) = e.span() else {
        return (0, 0, message);
    };
    let (line, column) = line_column(text, span.start);
    (line, column, message)
}

/// Line and column (from 1, in characters) of the byte `offset` of `text`.
fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    // Spans are byte offsets; step back to a character boundary before slicing.
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = text.get(..offset).unwrap_or_default();
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

/// The parser's message as one line: lines joined with "; ", control
/// characters and line separators escaped (a key named in the message comes
/// from the file), first letter lowercase.
fn one_line(message: &str) -> String {
    let joined = message
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("; ");
    let mut out = String::with_capacity(joined.len());
    for (i, c) in joined.chars().enumerate() {
        if c.is_control() || c == '\u{2028}' || c == '\u{2029}' {
            out.extend(c.escape_debug());
        } else if i == 0 {
            out.extend(c.to_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests;
