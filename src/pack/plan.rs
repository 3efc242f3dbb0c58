//! Which payload file is what: each file found by the scan gets its role,
//! title, source id and notes from the description, and every described
//! file that is missing is reported (with why, when the scan left it out).
//! Also the check of the bundle's date against the retrieval dates.
//!
//! Spec: `docs/FORMAT.md` §4 (`files`), §9.

use std::collections::BTreeMap;
use std::path::Path;

use crate::description::{Description, Role};
use crate::error::Error;
use crate::scan::{self, InputFile};
use crate::time;

/// A payload file with its role in the bundle.
pub(super) struct Planned<'a> {
    pub(super) input: &'a InputFile,
    pub(super) role: Role,
    pub(super) title: String,
    pub(super) source_id: Option<String>,
    /// Kept in memory while written, for the citation check (statement and cited sources).
    pub(super) capture: bool,
    /// Remarks of a `[[files]]` entry.
    pub(super) notes: Option<String>,
}

/// What the description says of one file: role, title, source id,
/// whether to capture it, notes.
type Described = (Role, String, Option<String>, bool, Option<String>);

/// Gives each payload file its role and title from the description.
/// Every described file that is not in the folder is reported, with why
/// when the scan left it out.
pub(super) fn plan<'a>(
    dir: &Path,
    d: &Description,
    files: &'a [InputFile],
    left_out: &[scan::LeftOut],
) -> std::result::Result<Vec<Planned<'a>>, Vec<Error>> {
    let cited = super::cited_sources(d);
    let mut described: BTreeMap<&str, Described> = BTreeMap::new();
    if let Some(s) = &d.statement {
        described.insert(
            &s.path,
            (Role::Statement, s.title.clone(), None, true, None),
        );
    }
    for s in &d.sources {
        let capture = cited.contains(&s.id.as_str());
        let entry = (
            Role::Source,
            s.title.clone(),
            Some(s.id.clone()),
            capture,
            None,
        );
        described.insert(&s.path, entry);
    }
    for f in &d.files {
        let title = f
            .title
            .clone()
            .unwrap_or_else(|| Description::default_title(&f.path));
        described.insert(&f.path, (f.role, title, None, false, f.notes.clone()));
    }
    let desc_path = dir.join(crate::description::DESCRIPTION_FILE);
    let missing: Vec<Error> = described
        .keys()
        .filter(|path| {
            files
                .binary_search_by(|f| f.rel.as_str().cmp(path))
                .is_err()
        })
        .map(|path| {
            let why = left_out
                .iter()
                .find(|l| {
                    *path == l.path || path.starts_with(l.path.as_str()) && l.path.ends_with('/')
                })
                .map(|l| format!(", which pack left out: {} is {}", l.path, l.reason))
                .unwrap_or_else(|| ", which is not a regular file in the folder".into());
            Error::input(&desc_path, format!("describes {path:?}{why}"))
        })
        .collect();
    if !missing.is_empty() {
        return Err(missing);
    }
    Ok(files
        .iter()
        .map(|input| {
            let (role, title, source_id, capture, notes) = described
                .get(input.rel.as_str())
                .cloned()
                .unwrap_or_else(|| {
                    let title = Description::default_title(input.rel.as_str());
                    (Role::Attachment, title, None, false, None)
                });
            Planned {
                input,
                role,
                title,
                source_id,
                capture,
                notes,
            }
        })
        .collect())
}

/// A warning when the bundle claims to be older than a copy it holds:
/// its creation date (`SOURCE_DATE_EPOCH` or the clock) is earlier than
/// the retrieval date of a source or of the statement.
pub(super) fn retrieval_warning(created: &str, d: &Description) -> Option<String> {
    let day = time::date_part(created);
    let statement = d.statement.iter().map(|s| ("the statement", &s.retrieved));
    let sources = d.sources.iter().map(|s| (s.id.as_str(), &s.retrieved));
    let later: Vec<(&str, &str)> = statement
        .chain(sources)
        .filter_map(|(who, r)| r.as_deref().map(|r| (who, r)))
        .filter(|(_, r)| *r > day)
        .collect();
    let latest = later.iter().map(|(_, r)| *r).max()?;
    // The first record in file order with the latest date.
    let (who, _) = later.iter().find(|(_, r)| *r == latest)?;
    let others = match later.len() {
        1 => String::new(),
        n => format!(" (and {} other records)", n - 1),
    };
    Some(format!(
        "the bundle's creation date {day} is earlier than the retrieval date {latest} of {who}{others}; \
         check SOURCE_DATE_EPOCH and the clock"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn warns_only_when_created_before_a_retrieval() {
        let d = Description::parse(
            "[statement]\npath = \"s.txt\"\ntitle = \"S\"\nretrieved = \"2026-11-30\"\n\
             [[sources]]\nid = \"a\"\npath = \"a.txt\"\ntitle = \"A\"\nretrieved = \"2026-11-28\"\n\
             [[sources]]\nid = \"b\"\npath = \"b.txt\"\ntitle = \"B\"\n",
        )
        .unwrap();
        let at = |day: &str| retrieval_warning(&format!("{day}T12:00:00Z"), &d);
        assert_eq!(at("2026-11-30"), None, "the same day is not earlier");
        assert_eq!(at("2027-01-01"), None);
        let w = at("2026-11-29").unwrap();
        assert!(w.starts_with("the bundle's creation date 2026-11-29 is earlier than the retrieval date 2026-11-30 of the statement;"), "{w}");
        let w = at("2025-11-28").unwrap();
        assert!(
            w.contains("2026-11-30 of the statement (and 1 other records)"),
            "{w}"
        );
        assert_eq!(
            retrieval_warning("2020-01-01T00:00:00Z", &Description::default()),
            None
        );
    }
}
