//! The differential harness (issue 10 §1): every hostile bundle and every
//! honest re-zip is run through docseal and through the real readers
//! ([`readers::READERS`]). When docseal says VALID, every reader must
//! extract exactly the files, names and bytes docseal's own `extract`
//! wrote; when docseal refuses, it must be with the case's code (the
//! readers' disagreement, which is the attack, is printed for the record).
//! The folder each reader extracted from an accepted bundle must verify
//! too (folder mode sees what the zip held).
//! Under CI or `DOCSEAL_REQUIRE_PEERS=1` a missing reader fails the test.

mod cases;
pub mod readers;
mod zipbuild;

use std::path::Path;

use crate::common::*;
use crate::hostile::kit::{assert_extracts_nothing, check};
use readers::{View, READERS};

/// What docseal must say about a case in one mode.
#[derive(Clone, Copy, Debug)]
pub enum Expect {
    /// VALID, and every reader agrees with what it extracts.
    Valid,
    /// Rejected with this finding code.
    Refused(&'static str),
}

/// A bundle, and what canonical and `--allow-repacked` verification say.
pub struct Case {
    pub what: String,
    pub bytes: Vec<u8>,
    pub canonical: Expect,
    pub lenient: Expect,
}

/// The readers that can run here (all of them, or a failure, under CI).
fn available() -> Vec<&'static readers::Reader> {
    READERS
        .iter()
        .filter(|r| r.program.is_none_or(require))
        .collect()
}

/// Runs one case through docseal in both modes and through every reader.
fn run(f: &Fixture, case: &Case, n: usize) {
    let name = format!("case{n}.zip");
    let zip = f.path(&name);
    let modes: [(&[&str], Expect); 2] =
        [(&[], case.canonical), (&["--allow-repacked"], case.lenient)];
    let mut views: Option<Vec<(&str, Result<View, String>)>> = None;
    for (flags, expect) in modes {
        let (code, errors, report) = check(f, &name, &case.bytes, flags);
        let what = format!("{} {flags:?}", case.what);
        match expect {
            Expect::Refused(want) => {
                assert_eq!(code, 1, "{what}: not refused: {report:#}");
                assert!(
                    errors.iter().any(|e| e == want),
                    "{what}: {errors:?}, not {want}"
                );
                assert_extracts_nothing(f, &name);
            }
            Expect::Valid => {
                assert_eq!((code, &errors), (0, &vec![]), "{what}: {report:#}");
                let ours = docseal_view(f, &name, flags, n);
                let theirs = views.get_or_insert_with(|| reader_views(&zip, f, n));
                for (reader, view) in theirs.iter() {
                    match view {
                        Ok(v) => assert_eq!(v, &ours, "{what}: {reader} extracts another bag"),
                        Err(e) => panic!("{what}: {reader} fails on a bundle docseal accepts: {e}"),
                    }
                }
                if flags.is_empty() || matches!(case.canonical, Expect::Refused(_)) {
                    folders_verify(f, &what, n);
                }
            }
        }
    }
    if views.is_none() {
        // Refused in both modes: show what the readers would have done.
        let seen = reader_views(&zip, f, n);
        let distinct: std::collections::BTreeSet<String> =
            seen.iter().map(|(_, v)| format!("{v:?}")).collect();
        if distinct.len() > 1 {
            let who: Vec<&str> = seen.iter().map(|(r, _)| *r).collect();
            eprintln!(
                "{}: the readers disagree ({} views among {who:?})",
                case.what,
                distinct.len()
            );
        }
    }
}

/// Folder mode over what each reader extracted: the same bag verifies.
fn folders_verify(f: &Fixture, what: &str, n: usize) {
    for (i, r) in available().into_iter().enumerate() {
        let dir = f.path(&format!("r{n}-{i}"));
        if !dir.exists() {
            continue; // the zip crate reads in memory
        }
        let (code, errors, report) = verify_json(&dir, &f.path("alice.pub"), &[]);
        assert_eq!(
            (code, &errors),
            (0, &vec![]),
            "{what}: {}'s folder: {report:#}",
            r.name
        );
        assert_eq!(report["container"], "folder", "{what}");
    }
}

/// What `docseal extract` writes, as a view of names inside the archive.
fn docseal_view(f: &Fixture, zip: &str, flags: &[&str], n: usize) -> View {
    let out = f.path(&format!("ours{n}{}", flags.len()));
    let (z, key, o) = (f.p(zip), f.p("alice.pub"), out.display().to_string());
    let mut args = vec![
        "extract",
        z.as_str(),
        "-q",
        "-p",
        key.as_str(),
        "-o",
        o.as_str(),
    ];
    args.extend_from_slice(flags);
    let r = docseal(&args);
    assert_eq!(r.code, 0, "extract {zip} {flags:?}: {}", r.stderr);
    // extract writes the bag's content into `out`; the readers write the
    // archive's names, under the bag's top folder.
    let root = zip_root(&f.path(zip));
    readers::walk(&out)
        .expect("walk")
        .into_iter()
        .map(|(k, v)| (format!("{root}/{k}"), v))
        .collect()
}

/// The top folder of a bundle's entries, as the zip crate reads it.
fn zip_root(zip: &Path) -> String {
    let a = zip::ZipArchive::new(std::fs::File::open(zip).expect("open")).expect("zip");
    let first = a.file_names().next().expect("an entry").to_owned();
    first.split('/').next().unwrap_or_default().to_owned()
}

fn reader_views(zip: &Path, f: &Fixture, n: usize) -> Vec<(&'static str, Result<View, String>)> {
    available()
        .into_iter()
        .enumerate()
        .map(|(i, r)| (r.name, r.read(zip, &f.path(&format!("r{n}-{i}")))))
        .collect()
}

#[test]
fn every_reader_agrees_with_docseal_on_every_hostile_and_repacked_bundle() {
    let f = Fixture::new();
    let mut all = cases::hostile(&f);
    all.extend(cases::repacked(&f));
    assert!(all.len() > 20, "{} cases", all.len());
    for (n, case) in all.iter().enumerate() {
        run(&f, case, n);
    }
}

#[test]
fn the_builder_is_canonical_by_default() {
    let f = Fixture::new();
    let b = crate::hostile::kit::bundle(&f);
    let e = zip_contents(&b);
    assert_eq!(zipbuild::Z::of(&e).build(), b);
}
