//! Which files of the folder `pack` leaves out, and why.
//!
//! Left out by default, so that a pack publishes only what was meant:
//! hidden files and folders (any name starting with `.`: `.git/`, `.svn/`,
//! `.hg/`, `.DS_Store`, vim's `.x.swp`, emacs's `.#x`), editor leftovers
//! (`x~`, `#x#`), the files Windows hides (`Thumbs.db`, `desktop.ini`), and
//! the output bundle itself when it lies inside the folder (recognised by
//! file identity, not by name). `--include-hidden` keeps the first three
//! kinds; the output is always left out. `--exclude GLOB` and `[pack]
//! exclude` in the description leave out more.
//!
//! Glob syntax (globset, matched case-sensitively against the path relative
//! to the folder, `/`-separated): `*` and `?` match within one name,
//! `[abc]`, `[!abc]` and `{a,b}` as usual, `**` any number of folders, `\`
//! escapes. A pattern without `/` matches a name at any depth (`*.bak`,
//! `drafts`); one with `/` matches from the folder's root (`notes/*.md`; a
//! leading `/` is allowed). A pattern ending in `/` matches folders only. A
//! folder that is left out is left out whole and listed once.
//!
//! Spec: `docs/FORMAT.md` §8 ("What pack leaves out").

use std::fs::Metadata;
use std::path::Path;

use globset::{GlobBuilder, GlobSet, GlobSetBuilder};

/// Why a file or folder was left out.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Reason {
    /// Hidden, an editor leftover or a file Windows hides.
    Hidden,
    /// Matched an exclusion pattern (the pattern as given).
    Excluded(String),
    /// It is the bundle being written.
    Output,
}

impl std::fmt::Display for Reason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Reason::Hidden => f.write_str("hidden (--include-hidden packs it)"),
            Reason::Excluded(p) => write!(f, "excluded by {p:?}"),
            Reason::Output => f.write_str("the output bundle itself"),
        }
    }
}

/// One file or folder pack left out: its path relative to the folder
/// (`/`-separated, a folder's ending in `/`) and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LeftOut {
    /// The path, as the user would write it.
    pub path: String,
    /// Why it was left out.
    pub reason: Reason,
}

/// The compiled selection rules.
pub(super) struct Selection {
    include_hidden: bool,
    patterns: Vec<String>,
    dirs_only: Vec<bool>,
    set: GlobSet,
    output: Option<Identity>,
}

/// A file's identity: device and inode on Unix, its canonical path elsewhere.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Identity {
    #[cfg(unix)]
    dev_ino: (u64, u64),
    #[cfg(not(unix))]
    path: std::path::PathBuf,
}

impl Identity {
    /// The identity of the file at `path` (not following a final symlink),
    /// or `None` when there is none.
    pub(super) fn of(path: &Path, meta: &Metadata) -> Option<Identity> {
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            let _ = path;
            Some(Identity {
                dev_ino: (meta.dev(), meta.ino()),
            })
        }
        #[cfg(not(unix))]
        {
            let _ = meta;
            let parent = crate::output::parent_dir(path);
            let canonical = std::fs::canonicalize(parent).ok()?.join(path.file_name()?);
            Some(Identity { path: canonical })
        }
    }
}

impl Selection {
    /// Compiles the patterns; a pattern that is not a glob is returned as
    /// `Err((pattern, reason))`.
    pub(super) fn new(
        include_hidden: bool,
        patterns: &[String],
        output: Option<&Path>,
    ) -> Result<Selection, (String, String)> {
        let mut set = GlobSetBuilder::new();
        let mut dirs_only = Vec::with_capacity(patterns.len());
        for p in patterns {
            let dir_only = p.ends_with('/') && p.len() > 1;
            let body = p.strip_suffix('/').filter(|_| dir_only).unwrap_or(p);
            let anchored = body.contains('/');
            let body = body.strip_prefix('/').unwrap_or(body);
            if body.is_empty() {
                return Err((p.clone(), "matches nothing".into()));
            }
            let full = if anchored {
                body.to_owned()
            } else {
                format!("**/{body}")
            };
            let glob = GlobBuilder::new(&full)
                .literal_separator(true)
                .backslash_escape(true)
                .build()
                .map_err(|e| (p.clone(), e.kind().to_string()))?;
            set.add(glob);
            dirs_only.push(dir_only);
        }
        let set = set.build().map_err(|e| (String::new(), e.to_string()))?;
        let output = output.and_then(|o| {
            let meta = std::fs::symlink_metadata(o).ok()?;
            Identity::of(o, &meta)
        });
        Ok(Selection {
            include_hidden,
            patterns: patterns.to_vec(),
            dirs_only,
            set,
            output,
        })
    }

    /// Why the entry at `abs` (relative path `rel`, `/`-separated) is left
    /// out, if it is.
    pub(super) fn left_out(&self, abs: &Path, rel: &str, meta: &Metadata) -> Option<Reason> {
        let name = rel.rsplit('/').next().unwrap_or(rel);
        if let Some(out) = &self.output {
            if Identity::of(abs, meta).as_ref() == Some(out) {
                return Some(Reason::Output);
            }
        }
        if !self.include_hidden && is_hidden(name) {
            return Some(Reason::Hidden);
        }
        let is_dir = meta.is_dir();
        self.set
            .matches(rel)
            .into_iter()
            .find(|&i| is_dir || !self.dirs_only.get(i).copied().unwrap_or(false))
            .and_then(|i| self.patterns.get(i).cloned())
            .map(Reason::Excluded)
    }
}

/// Hidden files, editor leftovers and the files Windows hides (exact names,
/// any case).
pub fn is_hidden(name: &str) -> bool {
    name.starts_with('.')
        || name.ends_with('~')
        || (name.len() > 1 && name.starts_with('#') && name.ends_with('#'))
        || name.eq_ignore_ascii_case("Thumbs.db")
        || name.eq_ignore_ascii_case("desktop.ini")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sel(patterns: &[&str]) -> Selection {
        let p: Vec<String> = patterns.iter().map(|s| (*s).to_owned()).collect();
        Selection::new(false, &p, None).unwrap()
    }

    #[test]
    fn hidden_names() {
        for name in [
            ".git",
            ".DS_Store",
            ".x.swp",
            ".#x",
            "x~",
            "#x#",
            "Thumbs.db",
            "DESKTOP.INI",
        ] {
            assert!(is_hidden(name), "{name}");
        }
        for name in ["x", "x.swp", "a#b", "#", "thumbs.dbx", "x~y"] {
            assert!(!is_hidden(name), "{name}");
        }
    }

    #[test]
    fn globs_match_as_documented() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("f");
        std::fs::write(&file, b"").unwrap();
        let f = std::fs::metadata(&file).unwrap();
        let d = std::fs::metadata(dir.path()).unwrap();
        let s = sel(&["*.bak", "notes/*.md", "/todo.txt", "build/", "a/**/z"]);
        let ex = |rel: &str, m: &Metadata| s.left_out(&file.with_file_name("nope"), rel, m);
        let by = |p: &str| Some(Reason::Excluded(p.to_owned()));
        assert_eq!(ex("x.bak", &f), by("*.bak"));
        assert_eq!(ex("deep/down/x.bak", &f), by("*.bak"));
        assert_eq!(ex("notes/a.md", &f), by("notes/*.md"));
        assert_eq!(ex("notes/sub/a.md", &f), None, "* stays within a name");
        assert_eq!(ex("other/notes/a.md", &f), None, "anchored at the root");
        assert_eq!(ex("todo.txt", &f), by("/todo.txt"));
        assert_eq!(ex("sub/todo.txt", &f), None);
        assert_eq!(ex("build", &d), by("build/"));
        assert_eq!(ex("build", &f), None, "a trailing / matches folders only");
        assert_eq!(ex("a/z", &f), by("a/**/z"));
        assert_eq!(ex("a/b/c/z", &f), by("a/**/z"));
        assert_eq!(ex("x.txt", &f), None);
        assert_eq!(ex(".hidden", &f), Some(Reason::Hidden));
    }

    #[test]
    fn bad_patterns_are_named() {
        for bad in ["[", "a{b", "/", ""] {
            let e = Selection::new(false, &[bad.to_owned()], None).err();
            assert_eq!(e.map(|(p, _)| p).as_deref(), Some(bad), "{bad:?}");
        }
    }
}
