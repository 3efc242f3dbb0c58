//! What a bundle as readers have it may hold beyond the signed bundle, and
//! what verification does with it (docs/FORMAT.md §6.2): only where the
//! container is not vouched for (an unpacked folder, `--allow-repacked`);
//! a canonical zip stays exact, every extra file an error.
//!
//! - File-manager litter ([`crate::litter`]: `.DS_Store`, `Thumbs.db`,
//!   `desktop.ini`, AppleDouble `._` files, `__MACOSX/`), inside the bag
//!   or beside it, is set aside, reported as "not part of the signed
//!   bundle, ignored" and never extracted, unless `docseal.json` lists it
//!   (then it is payload like any other file, checked as such).
//! - A zip of the bag's contents without its top folder is read with the
//!   bag root named by `docseal.json`'s `bundle.name`, and reported.
//! - Files another BagIt tool added outside `data/` and `signatures/`
//!   (a `manifest-md5.txt`, a `tagmanifest-sha512.txt`, a custom tag
//!   file) are checked where they can be (`verify::added`), reported as
//!   "not covered by any signature" and never extracted or co-signed; a
//!   second `bagit.txt` outside `data/` (another bag) is not one of them.
//!
//! Invariant: nothing set aside here is ever read as content of the
//! bundle; files under `data/` that `docseal.json` does not list and that
//! are not litter remain `payload.unlisted-file` errors.

use std::collections::BTreeSet;
use std::io::Read as _;

use crate::bundle::{
    BagFile, ContainerKind, OpenBundle, BAGIT_TXT, LISTED_TAG_FILES, TAG_MANIFEST,
};
use crate::litter::{self, Litter};
use crate::manifest::BundleManifest;
use crate::report::Severity;

use super::bag::Inventory;
use super::run::Run;

/// The words every ignored file's finding carries.
pub const IGNORED: &str = "not part of the signed bundle, ignored";

/// Reports what the opening set aside: litter beside the bag, and a bag
/// found at the top of the zip.
pub fn opened(run: &mut Run<'_>, b: &OpenBundle) {
    let code = if b.kind == ContainerKind::Folder {
        "bag.ignored-system-file"
    } else {
        "zip.ignored-system-file"
    };
    for name in &b.litter {
        let what = litter::by_name(name)
            .or_else(|| {
                name.starts_with(litter::MACOSX_FOLDER)
                    .then_some(Litter::MacosxFolder)
            })
            .map_or("a file manager's own file", Litter::describe);
        run.push(
            Severity::Info,
            code,
            Some(name.clone()),
            format!("{IGNORED} ({what}, beside the bag; never extracted)"),
        );
    }
    if b.no_top_folder {
        run.push(
            Severity::Info,
            NO_TOP_FOLDER,
            None,
            "the zip holds the bag's contents without its top folder (as `cd bag && zip -r ../x.zip .` makes it); the bag root is named by docseal.json's bundle.name",
        );
    }
}

/// Sorts out a file the inventory would otherwise refuse or take as
/// content: litter (set apart until the manifest says whether it is
/// payload) and files added outside docseal's layout. Returns whether `f`
/// was taken. Canonical zips take nothing here.
pub fn set_apart(inv: &mut Inventory, b: &OpenBundle, f: &BagFile) -> bool {
    if b.kind == ContainerKind::CanonicalZip {
        return false;
    }
    if let Some(kind) = litter::by_name(&f.rel) {
        if kind.by_name_alone() || starts_appledouble(b, f) {
            inv.system.push((f.clone(), kind));
            return true;
        }
    }
    let docseal_own = f.rel.starts_with("data/")
        || f.rel.starts_with("signatures/")
        || f.rel == TAG_MANIFEST
        || LISTED_TAG_FILES.contains(&f.rel.as_str());
    // A second bag beside the signed one (a zip of the contents next to
    // the bag folder) is no tag file: it stays `bag.unexpected-file`.
    let nested_bag = f.rel.ends_with(&format!("/{BAGIT_TXT}"));
    if docseal_own || nested_bag {
        return false;
    }
    inv.added.push(f.clone());
    true
}

/// Whether the file's content starts with the AppleDouble magic.
fn starts_appledouble(b: &OpenBundle, f: &BagFile) -> bool {
    let mut head = [0u8; 4];
    b.reader(f)
        .and_then(|mut r| r.read_exact(&mut head))
        .is_ok_and(|()| litter::is_appledouble(&head))
}

/// A bag found at the top of a zip takes `bundle.name` as its root, when
/// that is one valid folder name (else the root stays empty and the bag
/// check reports `bag.root-mismatch`).
pub fn name_root(run: &mut Run<'_>, b: &mut OpenBundle, m: &BundleManifest) {
    let name = &m.bundle.name;
    if b.no_top_folder && !name.contains('/') && crate::bagpath::BagPath::new(name).is_ok() {
        b.root = name.clone();
        if let Some(f) = run.findings.iter_mut().find(|f| f.code == NO_TOP_FOLDER) {
            f.message = format!("{}: {name:?}", f.message);
        }
    }
}

/// The note on a zip of the bag's contents.
const NO_TOP_FOLDER: &str = "zip.no-top-folder";

/// Once `docseal.json` is read: litter it lists becomes payload, the rest
/// is reported and ignored; added files are checked and reported. Returns
/// the bag-relative names to leave out of the verified bundle.
pub fn settle(
    run: &mut Run<'_>,
    b: &OpenBundle,
    inv: &mut Inventory,
    m: Option<&BundleManifest>,
) -> BTreeSet<String> {
    let mut leave_out = BTreeSet::new();
    let listed: BTreeSet<&str> = m
        .map(|m| m.files.iter().map(|r| r.path.as_str()).collect())
        .unwrap_or_default();
    for (f, kind) in std::mem::take(&mut inv.system) {
        if listed.contains(f.rel.as_str()) {
            inv.payload.push(f);
            continue;
        }
        run.push(
            Severity::Info,
            "bag.ignored-system-file",
            Some(f.rel.clone()),
            format!("{IGNORED} ({}; never extracted)", kind.describe()),
        );
        leave_out.insert(f.rel);
    }
    if !inv.added.is_empty() {
        super::added::check(run, b, inv);
        leave_out.extend(inv.added.iter().map(|f| f.rel.clone()));
    }
    leave_out
}

/// The codes of the findings that name what was set aside.
pub const SET_ASIDE_CODES: [&str; 3] = [
    "zip.ignored-system-file",
    "bag.ignored-system-file",
    "tag.added-file",
];

/// What a verification set aside (litter, added tag files), by the names
/// its findings give, in report order, each once.
pub fn set_aside(r: &crate::report::Report) -> Vec<String> {
    let mut seen = BTreeSet::new();
    r.findings
        .iter()
        .filter(|f| SET_ASIDE_CODES.contains(&f.code.as_str()))
        .filter_map(|f| f.path.clone())
        .filter(|p| seen.insert(p.clone()))
        .collect()
}

/// How many files a verification ignored (file-manager litter) and how
/// many added files no signature covers, by the names its findings give.
pub fn counts(r: &crate::report::Report) -> (usize, usize) {
    let count = |codes: &[&str]| {
        let names: BTreeSet<&str> = r
            .findings
            .iter()
            .filter(|f| codes.contains(&f.code.as_str()))
            .filter_map(|f| f.path.as_deref())
            .collect();
        names.len()
    };
    (count(&SET_ASIDE_CODES[..2]), count(&SET_ASIDE_CODES[2..]))
}

/// The words of the summary for `n` ignored files.
pub fn ignored_words(n: usize) -> String {
    format!("{n} file-manager files: not part of the signed bundle, ignored")
}

/// The summary lines of the text report for what was set aside.
pub fn summary_lines(r: &crate::report::Report) -> Vec<String> {
    let (ignored, added) = counts(r);
    let mut out = Vec::new();
    if ignored > 0 {
        out.push(format!("  ignored     {}", ignored_words(ignored)));
    }
    if added > 0 {
        out.push(format!(
            "  added       {added} files added after signing: not covered by any signature"
        ));
    }
    out
}
