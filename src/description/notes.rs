//! `NOTES.toml`: what an archivist found out about a bundle, the input of
//! `docseal annotate` (docs/FORMAT.md §11).
//!
//! A `[notes]` table with `[bundle]`'s keys (`title` required: a file with
//! only that is valid), and `[[citations]]` / `[[quotations]]` exactly as in
//! `docseal.toml`. A citation names the base's sources by their id or by
//! their path in the base (`data/sources/…`); [`NotesFile::against`]
//! resolves them to ids and gives the [`Description`] the notes amount to
//! over the base's statement and sources, validated like any description.
//! As in `docseal.toml`, every key is carried or refused by name.

use serde::{Deserialize, Serialize};

use super::{fields, validate, BundleInfo, Citation, DeclaredQuotation, Description};
use super::{DescriptionError, Source, Statement};

/// The notes file's default name, as annotate stores it in the notes bundle.
pub const NOTES_PAYLOAD: &str = "notes.toml";

/// The whole `NOTES.toml`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NotesFile {
    /// `[notes]`: the notes bundle's identity (title required).
    pub notes: BundleInfo,
    /// `[[citations]]`: the archivist's claims about the base's statement.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub citations: Vec<Citation>,
    /// `[[quotations]]`: quoted spans the archivist declares as quoting nobody.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub quotations: Vec<DeclaredQuotation>,
}

impl NotesFile {
    /// Parses a `NOTES.toml` text, returning every problem found (the list
    /// is never empty): the syntax error, or every unknown key, or the
    /// schema error, or every field `[notes]` refuses.
    pub fn parse_all(text: &str) -> Result<NotesFile, Vec<DescriptionError>> {
        if let Err(e) = text.parse::<toml::Table>() {
            let (line, column, message) = super::located(text, &e);
            return Err(vec![DescriptionError::Syntax {
                line,
                column,
                message,
            }]);
        }
        let unknown = fields::unknown_notes(text);
        if !unknown.is_empty() {
            return Err(unknown);
        }
        let notes: NotesFile = toml::from_str(text).map_err(|e| {
            let (line, column, message) = super::located(text, &e);
            vec![DescriptionError::Schema {
                line,
                column,
                message,
            }]
        })?;
        let mut problems = Vec::new();
        if notes.notes.title.as_deref().is_none_or(str::is_empty) {
            problems.push(DescriptionError::Empty {
                entry: "notes".into(),
                field: "title",
            });
        }
        problems.extend(validate::identity_table("notes", &notes.notes).err());
        if problems.is_empty() {
            Ok(notes)
        } else {
            Err(problems)
        }
    }

    /// The description these notes amount to over the base's `statement`
    /// and `sources` (paths relative to `data/`, as in `docseal.toml`):
    /// every source named by a path in the base is named by its id, and
    /// the whole is validated as a description is. Every problem at once.
    pub fn against(
        &self,
        statement: Option<Statement>,
        sources: Vec<Source>,
    ) -> Result<Description, Vec<DescriptionError>> {
        let mut problems = Vec::new();
        let mut resolve = |entry: &str, named: &mut String| {
            let hit = sources
                .iter()
                .find(|s| s.id == *named || named.strip_prefix("data/") == Some(s.path.as_str()));
            match hit {
                Some(s) => *named = s.id.clone(),
                None => problems.push(DescriptionError::UnknownSource {
                    entry: entry.to_owned(),
                    source_id: format!(
                        "{} (the base has no source with that id or path)",
                        validate::shown(named)
                    ),
                }),
            }
        };
        let mut citations = self.citations.clone();
        for (i, c) in citations.iter_mut().enumerate() {
            let entry = validate::label("citations", i, &c.id);
            if let Some(s) = c.source.as_mut() {
                resolve(&entry, s);
            }
            for p in &mut c.passages {
                resolve(&entry, &mut p.source);
            }
            for s in &mut c.searched {
                resolve(&entry, s);
            }
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        let d = Description {
            statement,
            sources,
            citations,
            quotations: self.quotations.clone(),
            ..Description::default()
        };
        let problems = validate::problems(&d);
        if problems.is_empty() {
            Ok(d)
        } else {
            Err(problems)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn source(id: &str, path: &str) -> Source {
        toml::from_str(&format!(
            "id = \"{id}\"\npath = \"{path}\"\ntitle = \"t\"\n"
        ))
        .unwrap()
    }

    #[test]
    fn a_title_alone_is_valid_and_every_problem_is_named() {
        let n = NotesFile::parse_all("[notes]\ntitle = \"T\"\n").unwrap();
        assert_eq!(n.notes.title.as_deref(), Some("T"));
        let e =
            NotesFile::parse_all("[notes]\ntitl = \"T\"\n[bundle]\nname = \"x\"\n").unwrap_err();
        let all: Vec<String> = e.iter().map(ToString::to_string).collect();
        assert_eq!(all.len(), 2, "{all:?}");
        assert!(
            all[0].contains("\"titl\"") && all[1].contains("\"bundle\""),
            "{all:?}"
        );
        let e = NotesFile::parse_all("[notes]\ntitle = \"\"\n").unwrap_err();
        assert_eq!(e[0].to_string(), "notes: title: is empty");
        let e = NotesFile::parse_all("[notes]\ntitle = \"T\"\nidentifier = \"a b\"\n").unwrap_err();
        assert!(
            e[0].to_string().starts_with("notes: identifier:"),
            "{:?}",
            e[0]
        );
    }

    #[test]
    fn sources_are_named_by_id_or_by_their_path_in_the_base() {
        let text = "[notes]\ntitle = \"T\"\n[[citations]]\nid = \"a\"\nexact = \"x\"\nsource = \"data/s/one.txt\"\n[[citations]]\nid = \"b\"\nexact = \"x\"\nsource = \"two\"\n[[citations]]\nid = \"c\"\nexact = \"x\"\nsource = \"s/one.txt\"\n";
        let n = NotesFile::parse_all(text).unwrap();
        let st: Statement =
            toml::from_str("path = \"st.txt\"\ntitle = \"S\"\nauthors = []\n").unwrap();
        let sources = vec![source("one", "s/one.txt"), source("two", "s/two.txt")];
        // "s/one.txt" without data/ is neither an id nor a path in the base.
        let e = n.against(Some(st.clone()), sources.clone()).unwrap_err();
        assert_eq!(e.len(), 1, "{e:?}");
        assert!(
            e[0].to_string()
                .starts_with("citations[2] (id c): source: "),
            "{}",
            e[0]
        );
        let ok = NotesFile::parse_all(&text.replace("\"s/one.txt\"", "\"one\"")).unwrap();
        let d = ok.against(Some(st), sources).unwrap();
        let ids: Vec<_> = d
            .citations
            .iter()
            .map(|c| c.source.clone().unwrap())
            .collect();
        assert_eq!(ids, ["one", "two", "one"]);
    }
}
