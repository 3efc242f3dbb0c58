//! A docseal bag to which bagit-python added manifests and a tag file: it
//! still verifies in folder and `--allow-repacked` modes, every addition
//! checked where it can be and reported as "not covered by any signature";
//! a wrong checksum in an addition is an error, as bagit-python says too;
//! the canonical mode stays exact.

use std::fs;
use std::path::Path;

use super::{found, signed_files, tree, unpack};
use crate::common::*;
use crate::hostile::kit;

/// What bagit-python does to add md5 and sha512 manifests to a bag in
/// place (the steps of `Bag.save(manifests=True)` that leave docseal's
/// own tag files alone), with a custom tag file listed in the new tag manifests.
const ADD: &str = "import bagit, sys\n\
open('extra-info.txt', 'w').write('Note: catalogued by the archive\\n')\n\
bagit.make_manifests('data', 1, algorithms=['md5'])\n\
bagit._make_tagmanifest_file('md5', '.')\n\
bagit._make_tagmanifest_file('sha512', '.')\n";

/// bagit-python's verdict on the bag in `dir`: Ok, or its error.
fn bagit_python(dir: &Path) -> Result<(), String> {
    let code = "import bagit, sys\n\
try:\n    bagit.Bag(sys.argv[1]).validate()\n\
except bagit.BagError as e:\n    print(e); sys.exit(1)\n";
    let r = run_tool("python3", &["-c", code, &dir.display().to_string()], dir).expect("python3");
    if r.code == 0 {
        Ok(())
    } else {
        Err(r.stdout)
    }
}

const ADDED: [&str; 4] = [
    "extra-info.txt",
    "manifest-md5.txt",
    "tagmanifest-md5.txt",
    "tagmanifest-sha512.txt",
];

#[test]
fn a_bag_bagit_python_added_manifests_to_verifies_and_its_additions_are_checked() {
    let f = Fixture::new();
    let bag = unpack(&f, "u").join("test-bundle");
    let Some(r) = run_tool("python3", &["-c", ADD], &bag) else {
        return;
    };
    assert_eq!(r.code, 0, "bagit-python: {}", r.stderr);
    assert_eq!(bagit_python(&bag), Ok(()));
    let (code, errors, j) = verify_json(&bag, &f.path("alice.pub"), &[]);
    assert_eq!((code, &errors), (0, &vec![]), "{j:#}");
    let added = found(&j, "tag.added-file");
    let names: Vec<&str> = added.iter().map(|(f, _)| f.as_str()).collect();
    assert_eq!(names, ADDED, "{j:#}");
    for (file, m) in &added {
        assert!(m.starts_with("not covered by any signature"), "{file}: {m}");
    }
    assert!(
        added[1].1.contains("every md5 it lists is right"),
        "{added:?}"
    );
    assert!(added[0].1.contains("tagmanifest-md5.txt"), "{added:?}");
    let tag_findings: Vec<(&str, &str)> = j["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|x| x["code"].as_str().unwrap().starts_with("tag."))
        .map(|x| (x["code"].as_str().unwrap(), x["severity"].as_str().unwrap()))
        .collect();
    assert_eq!(tag_findings, [("tag.added-file", "warning"); 4], "{j:#}");

    let text = docseal(&[
        "verify",
        &bag.display().to_string(),
        "-p",
        &f.p("alice.pub"),
    ]);
    let summary = "  added       4 files added after signing: not covered by any signature";
    assert!(text.stdout.lines().any(|l| l == summary), "{}", text.stdout);

    // Zipped again: --allow-repacked verifies it too; the strict reader does not.
    let parent = bag.parent().unwrap();
    if let Some(r) = run_tool("zip", &["-qr", &f.p("bagit.zip"), "test-bundle"], parent) {
        assert_eq!(r.code, 0, "{}", r.stderr);
        let (code, errors, j) = verify_json(
            &f.path("bagit.zip"),
            &f.path("alice.pub"),
            &["--allow-repacked"],
        );
        assert_eq!((code, &errors), (0, &vec![]), "{j:#}");
        assert_eq!(found(&j, "tag.added-file").len(), ADDED.len(), "{j:#}");
        assert_eq!(
            verify_json(&f.path("bagit.zip"), &f.path("alice.pub"), &[]).0,
            1
        );
    }
    // A second bag beside the signed one is no tag file.
    fs::create_dir(bag.join("other")).unwrap();
    fs::write(bag.join("other/bagit.txt"), "BagIt-Version: 1.0\n").unwrap();
    let (code, errors, _) = verify_json(&bag, &f.path("alice.pub"), &[]);
    assert_eq!((code, errors), (1, vec!["bag.unexpected-file".to_owned()]));
    fs::remove_dir_all(bag.join("other")).unwrap();
    // Extracted, the bag is the signed bundle alone.
    let out = f.path("x");
    f.extract(&bag.display().to_string(), &out.display().to_string())
        .expect(0);
    assert_eq!(tree(&out), signed_files(&f));

    // The same additions in a canonical zip: the default mode stays exact.
    let mut e = kit::entries(&f);
    for name in ADDED {
        e.push((kit::full(&e, name), fs::read(bag.join(name)).unwrap()));
    }
    kit::canonical(&mut e);
    let (code, errors, _) = kit::check(&f, "canonical-plus.zip", &raw_zip(&e), &[]);
    assert_eq!(code, 1);
    let unexpected = errors
        .iter()
        .filter(|c| *c == "bag.unexpected-file")
        .count();
    assert_eq!(unexpected, ADDED.len(), "{errors:?}");
    let (code, errors, j) = kit::check(
        &f,
        "canonical-plus.zip",
        &raw_zip(&e),
        &["--allow-repacked"],
    );
    assert_eq!((code, &errors), (0, &vec![]), "{j:#}");
}

#[test]
fn a_wrong_checksum_or_a_missing_line_in_an_addition_is_an_error() {
    let f = Fixture::new();
    let bag = unpack(&f, "u").join("test-bundle");
    let Some(r) = run_tool("python3", &["-c", ADD], &bag) else {
        return;
    };
    assert_eq!(r.code, 0, "bagit-python: {}", r.stderr);
    let md5 = bag.join("manifest-md5.txt");
    let good = fs::read_to_string(&md5).unwrap();
    let first = good.lines().next().unwrap().to_owned();
    let flipped = if first.starts_with('0') { "1" } else { "0" };
    let wrong = good.replacen(&first, &format!("{flipped}{}", &first[1..]), 1);
    fs::write(&md5, &wrong).unwrap();
    assert!(
        bagit_python(&bag).is_err(),
        "bagit-python accepts a wrong md5"
    );
    let (code, errors, j) = verify_json(&bag, &f.path("alice.pub"), &[]);
    assert_eq!(code, 1, "{j:#}");
    let path = first.split_whitespace().nth(1).unwrap();
    let mismatch = found(&j, "tag.added-hash-mismatch");
    assert!(
        mismatch.iter().any(|(p, m)| p == path && m.contains("md5")),
        "{j:#}"
    );
    // manifest-md5.txt itself no longer matches the added tag manifests.
    assert!(
        mismatch.iter().any(|(p, _)| p == "manifest-md5.txt"),
        "{j:#}"
    );
    assert!(
        errors.iter().all(|c| c == "tag.added-hash-mismatch"),
        "{errors:?}"
    );
    assert!(!f.path("x").exists());
    f.extract(&bag.display().to_string(), &f.p("x")).expect(1);
    assert!(!f.path("x").exists());

    // A payload file the added manifest leaves out (the tag manifests resynced).
    let rest: String = good.lines().skip(1).map(|l| format!("{l}\n")).collect();
    fs::write(&md5, rest).unwrap();
    let resync = "import bagit\nbagit._make_tagmanifest_file('md5', '.')\nbagit._make_tagmanifest_file('sha512', '.')\n";
    run_tool("python3", &["-c", resync], &bag)
        .unwrap()
        .expect(0);
    // RFC 8493 §3 wants every payload file in every payload manifest;
    // bagit-python 1.9 only checks that some manifest lists it. docseal
    // follows the RFC, as `--bag-only` does.
    let (code, errors, _) = verify_json(&bag, &f.path("alice.pub"), &[]);
    assert_eq!(
        (code, errors),
        (1, vec!["tag.added-manifest-incomplete".to_owned()])
    );
}
