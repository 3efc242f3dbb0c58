//! The Library of Congress BagIt conformance suite, when present at
//! `../shared/bagit-conformance-suite` (or `$DOCSEAL_BAGIT_SUITE`): every
//! bag that applies to Linux gets the suite's expectation, folder and
//! zipped, and bagit-python 1.9 agrees except where docs/CONFORMANCE.md
//! says why not.

use std::path::PathBuf;

use super::kit::{bagit_python, Report};

/// Bags on which docseal and bagit-python 1.9 knowingly differ (docs/CONFORMANCE.md).
const DIFFERS_FROM_BAGIT_PYTHON: [&str; 7] = [
    "v0.97/warning/duplicate-file-with-different-case",
    "v0.97/warning/same-filename-listed-twice-with-different-normalization",
    "v0.97/warning/special-system-files",
    "v0.97/windows-only/out-of-scope-file-paths-using-absolute-path-for-fetch",
    "v0.97/windows-only/out-of-scope-file-paths-using-shortcut-for-fetch",
    "v0.97/windows-only/out-of-scope-file-paths-using-unc-for-fetch",
    "v1.0/invalid/bagit-with-invalid-whitespace",
];

fn suite() -> Option<PathBuf> {
    let p = std::env::var_os("DOCSEAL_BAGIT_SUITE")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/bagit-conformance-suite")
        });
    if p.is_dir() {
        Some(p)
    } else {
        eprintln!("SKIPPED: no BagIt conformance suite at {}", p.display());
        None
    }
}

/// `(version/expectation/name, path)` of every bag, sorted.
fn bags(root: &std::path::Path) -> Vec<(String, PathBuf)> {
    let mut out = Vec::new();
    for v in std::fs::read_dir(root).unwrap() {
        let v = v.unwrap().path();
        if !v.is_dir() {
            continue;
        }
        for e in std::fs::read_dir(&v).unwrap() {
            let e = e.unwrap().path();
            for b in std::fs::read_dir(&e).unwrap() {
                let b = b.unwrap().path();
                if b.is_dir() {
                    let rel = b.strip_prefix(root).unwrap().to_str().unwrap().to_owned();
                    out.push((rel, b));
                }
            }
        }
    }
    out.sort();
    out
}

#[test]
fn conformance_suite_expectations() {
    let Some(root) = suite() else { return };
    let all = bags(&root);
    assert!(
        all.len() >= 50,
        "suite looks incomplete: {} bags",
        all.len()
    );
    let zips = tempfile::tempdir().unwrap();
    let mut seen_python_differences = Vec::new();
    for (rel, path) in &all {
        let expectation = rel.split('/').nth(1).unwrap();
        let r = Report::of(path);
        let errors = r.codes("error");
        match expectation {
            "valid" => r.valid(
                &r.codes("warning")
                    .iter()
                    .map(String::as_str)
                    .collect::<Vec<_>>(),
            ),
            "warning" => {
                assert_eq!(r.json["verdict"], "valid", "{rel}: {}", r.json);
                assert!(!r.codes("warning").is_empty(), "{rel}: no warning shown");
                assert!(r.run.stdout.contains("\"severity\": \"warning\""));
            }
            "invalid" | "linux-only" => {
                assert_eq!(r.run.code, 1, "{rel}: {}", r.json);
                assert!(!errors.is_empty(), "{rel}: no reason given");
            }
            // Not applicable on Linux; docseal refuses their backslash paths on every host.
            "windows-only" => assert_eq!(errors, ["bagit.path.unsafe"], "{rel}"),
            other => panic!("unknown expectation {other} ({rel})"),
        }
        // Zipped by Info-ZIP, the same verdict and reasons.
        let zip = zips.path().join(format!("{}.zip", rel.replace('/', "_")));
        let parent = path.parent().unwrap();
        let name = path.file_name().unwrap().to_str().unwrap();
        let zip_s = zip.display().to_string();
        if let Some(run) = crate::common::run_tool("zip", &["-q", "-r", &zip_s, name], parent) {
            assert_eq!(run.code, 0, "{}", run.stderr);
            let z = Report::of(&zip);
            assert_eq!(
                z.json["verdict"], r.json["verdict"],
                "{rel} zipped: {}",
                z.json
            );
            assert_eq!(z.codes("error"), errors, "{rel} zipped");
        }
        if let Some(python) = bagit_python(path) {
            let ours = r.run.code == 0;
            if ours != python {
                seen_python_differences.push(rel.clone());
            }
        }
    }
    if bagit_python(&all[0].1).is_some() {
        assert_eq!(
            seen_python_differences, DIFFERS_FROM_BAGIT_PYTHON,
            "differences from bagit-python"
        );
    }
}
