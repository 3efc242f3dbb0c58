//! Where the bag is in a zip another tool made (`--allow-repacked`,
//! docs/FORMAT.md §6.2): under one top-level folder as docseal writes it,
//! or at the top of the zip (a zip of the bag's contents, as
//! `cd bag && zip -r ../x.zip .` or Finder's Compress of the selected
//! files make it), with macOS Finder's `__MACOSX/` tree beside it.
//!
//! Invariants: the container reader has already refused anything another
//! reader could read differently, so every name here is safe and unique;
//! this module only sorts names. Entries under a top-level `__MACOSX/`, and
//! top-level files that are litter by name alone (`.DS_Store`,
//! `Thumbs.db`, `desktop.ini`), are set aside and listed, never part of the
//! bag. The bag is at the top exactly when a top-level `bagit.txt` exists;
//! otherwise every other entry and every other directory entry must be
//! inside one top-level folder.

use super::{split_root, BagFile, OpenError, BAGIT_TXT};
use crate::litter;

/// The bag found in a lenient zip.
pub(super) struct Found {
    /// The top-level folder's name; empty when the bag is at the top.
    pub root: String,
    /// The bag's files, bag-relative.
    pub files: Vec<BagFile>,
    /// Entries set aside (full zip names).
    pub litter: Vec<String>,
    /// The bag is at the top of the zip.
    pub no_top_folder: bool,
}

/// Whether a zip entry name is litter beside the bag.
fn is_litter(name: &str) -> bool {
    match name.split_once('/') {
        Some((top, _)) => litter::is_macosx_folder(top),
        None => litter::by_name(name).is_some_and(litter::Litter::by_name_alone),
    }
}

/// Sorts the zip's file `names` (with sizes) and directory entries `dirs`.
pub(super) fn find_bag(names: &[(String, u64)], dirs: &[String]) -> Result<Found, OpenError> {
    let (aside, kept): (Vec<_>, Vec<_>) = names
        .iter()
        .enumerate()
        .partition(|(_, (name, _))| is_litter(name));
    let litter: Vec<String> = aside.into_iter().map(|(_, (n, _))| n.clone()).collect();
    let dirs: Vec<&String> = dirs.iter().filter(|d| !is_litter(d)).collect();
    if kept.iter().any(|(_, (name, _))| name == BAGIT_TXT) {
        let files = kept
            .into_iter()
            .map(|(index, (rel, size))| BagFile {
                rel: rel.clone(),
                size: *size,
                index,
            })
            .collect();
        return Ok(Found {
            root: String::new(),
            files,
            litter,
            no_top_folder: true,
        });
    }
    let (root, files) = split_root(kept.into_iter())?;
    // Extractors create directory entries too: none may lie outside the bag.
    let prefix = format!("{root}/");
    if let Some(d) = dirs.iter().find(|d| !d.starts_with(&prefix)) {
        return Err(OpenError::new(
            "bag.no-single-root",
            Some((*d).clone()),
            format!("directory entry is outside the top-level folder {root:?}"),
        ));
    }
    Ok(Found {
        root,
        files,
        litter,
        no_top_folder: false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(list: &[&str]) -> Vec<(String, u64)> {
        list.iter().map(|n| ((*n).to_owned(), 1)).collect()
    }

    #[test]
    fn finder_litter_beside_the_bag_is_set_aside() {
        let n = names(&[
            "b/bagit.txt",
            "__MACOSX/b/._bagit.txt",
            "b/data/x",
            ".DS_Store",
            "__MACOSX/._b",
        ]);
        let dirs = [
            "b/".to_owned(),
            "__MACOSX/".to_owned(),
            "__MACOSX/b/".to_owned(),
        ];
        let found = find_bag(&n, &dirs).unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(found.root, "b");
        assert!(!found.no_top_folder);
        let rels: Vec<(&str, usize)> = found
            .files
            .iter()
            .map(|f| (f.rel.as_str(), f.index))
            .collect();
        assert_eq!(rels, [("bagit.txt", 0), ("data/x", 2)]);
        assert_eq!(
            found.litter,
            ["__MACOSX/b/._bagit.txt", ".DS_Store", "__MACOSX/._b"]
        );
    }

    #[test]
    fn a_bag_at_the_top_is_found_by_its_bagit_txt() {
        let n = names(&["bagit.txt", "data/x", "docseal.json"]);
        let found = find_bag(&n, &["data/".to_owned()]).unwrap_or_else(|e| panic!("{e:?}"));
        assert!(found.no_top_folder);
        assert_eq!(found.root, "");
        assert_eq!(found.files.len(), 3);
    }

    #[test]
    fn anything_else_outside_the_top_folder_is_still_refused() {
        for (list, dirs) in [
            (&["b/bagit.txt", "c/x"][..], &[][..]),
            (&["b/bagit.txt", "._b"][..], &[][..]),
            (&["b/bagit.txt", "x.DS_Store"][..], &[][..]),
            (&["b/bagit.txt"][..], &["other/"][..]),
            (&["b/bagit.txt", "__MACOSX_/x"][..], &[][..]),
        ] {
            let dirs: Vec<String> = dirs.iter().map(|d| (*d).to_owned()).collect();
            let e = find_bag(&names(list), &dirs).err().map(|e| e.code);
            assert_eq!(e, Some("bag.no-single-root"), "{list:?} {dirs:?}");
        }
    }
}
