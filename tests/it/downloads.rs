//! Downloads as readers have them (issue 12 §2, docs/FORMAT.md §6.2): a zip
//! made by macOS Finder's Compress, a zip of the bag's contents without
//! its top folder, a folder a file manager touched, a bag another BagIt
//! tool (bagit-python) added manifests to, a re-zipped bundle co-signed
//! with `sign --allow-repacked`, and a keyring with one bad file. Each is
//! tolerated only outside canonical mode, reported, and never extracted.

mod bagit_additions;
mod litter;

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;

use crate::common::*;
use crate::differential::readers::{self, View, READERS};
use crate::hostile::kit::{self, all_codes};

/// The fixture's bundle unpacked by docseal's own reader into `dir`
/// (`dir/test-bundle/…`), without any peer tool.
fn unpack(f: &Fixture, dir: &str) -> std::path::PathBuf {
    let out = f.path(dir);
    for (name, data) in zip_contents(&kit::bundle(f)) {
        let p = out.join(String::from_utf8(name).expect("utf-8 name"));
        fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
        fs::write(p, data).expect("write");
    }
    out
}

/// Every file under `dir`, `/`-separated and relative.
fn tree(dir: &Path) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        for e in fs::read_dir(&d).expect("list") {
            let p = e.expect("entry").path();
            if p.is_dir() {
                todo.push(p);
            } else {
                let rel = p.strip_prefix(dir).expect("inside");
                out.insert(rel.to_string_lossy().replace('\\', "/"));
            }
        }
    }
    out
}

/// The bag-relative names of the signed bundle.
fn signed_files(f: &Fixture) -> BTreeSet<String> {
    zip_contents(&kit::bundle(f))
        .into_iter()
        .map(|(n, _)| String::from_utf8_lossy(kit::rel(&n)).into_owned())
        .collect()
}

/// The findings of `code` in a JSON report: (file, message).
fn found(report: &serde_json::Value, code: &str) -> Vec<(String, String)> {
    report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|x| x["code"] == code)
        .map(|x| {
            let s = |k: &str| x[k].as_str().unwrap_or("").to_owned();
            (s("file"), s("message"))
        })
        .collect()
}

/// Runs `tests/it/downloads/finder.py`: a zip laid out as Finder's
/// Compress (`ditto -c -k --sequesterRsrc [--keepParent]`) writes it.
fn finder_zip(src: &Path, out: &Path, keep_parent: bool) -> bool {
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/it/downloads/finder.py");
    let (s, o) = (src.display().to_string(), out.display().to_string());
    let keep = if keep_parent { "1" } else { "0" };
    let Some(r) = run_tool("python3", &[script, &s, &o, keep], Path::new(".")) else {
        return false;
    };
    assert_eq!(r.code, 0, "finder.py: {}", r.stderr);
    true
}

/// Every mainstream reader extracts from `zip` the bag docseal extracted
/// into `ours` (under `root`, when the zip has a top folder), besides the
/// `__MACOSX/` tree that docseal ignores (issue 10: nothing another reader
/// reads otherwise).
#[track_caller]
fn readers_agree(f: &Fixture, zip: &str, ours: &Path, root: &str) {
    let ours: View = readers::walk(ours)
        .expect("walk")
        .into_iter()
        .map(|(k, v)| match root {
            "" => (k, v),
            r => (format!("{r}/{k}"), v),
        })
        .collect();
    let available = READERS.iter().filter(|r| r.program.is_none_or(require));
    for (i, r) in available.enumerate() {
        let scratch = f.path(&format!("reader-{zip}-{i}"));
        let view = r
            .read(&f.path(zip), &scratch)
            .unwrap_or_else(|e| panic!("{zip}: {} fails: {e}", r.name));
        let bag: View = view
            .into_iter()
            .filter(|(k, _)| !k.starts_with("__MACOSX/"))
            .collect();
        assert_eq!(bag, ours, "{zip}: {} reads another bag", r.name);
    }
}

/// Strict verify refuses `zip` with exactly one hint line naming `--allow-repacked`.
#[track_caller]
fn strict_refuses_with_the_hint(f: &Fixture, zip: &str) {
    let r = docseal(&["verify", &f.p(zip), "-p", &f.p("alice.pub")]).expect(1);
    let hints: Vec<&str> = r
        .stdout
        .lines()
        .filter(|l| l.starts_with("hint: "))
        .collect();
    assert_eq!(hints.len(), 1, "{zip}: {}", r.stdout);
    assert!(hints[0].contains("--allow-repacked"), "{zip}: {}", r.stdout);
}

/// Extracts `zip` with `--allow-repacked` into `out` (inside a fresh
/// folder): exactly the signed files land there, and nothing beside it.
#[track_caller]
fn extracts_only_the_signed_files(f: &Fixture, zip: &str, out: &str) -> String {
    fs::create_dir(f.path(out)).expect("mkdir");
    let target = f.path(out).join("bag");
    let t = target.display().to_string();
    let r = docseal(&[
        "extract",
        &f.p(zip),
        "-p",
        &f.p("alice.pub"),
        "-o",
        &t,
        "--allow-repacked",
    ]);
    let r = r.expect(0);
    assert_eq!(tree(&target), signed_files(f), "{zip}");
    let beside: Vec<_> = fs::read_dir(f.path(out)).expect("list").collect();
    assert_eq!(
        beside.len(),
        1,
        "{zip}: something was written beside the target"
    );
    r.stderr
}

#[test]
fn a_finder_zip_verifies_with_allow_repacked_its_macosx_entries_ignored_and_never_extracted() {
    let f = Fixture::new();
    let u = unpack(&f, "u");
    for (zip, keep_parent) in [("finder.zip", true), ("finder-contents.zip", false)] {
        if !finder_zip(&u.join("test-bundle"), &f.path(zip), keep_parent) {
            return;
        }
        // What Finder writes: deflated entries with data descriptors, and
        // AppleDouble files (magic 0x00051607) under __MACOSX/.
        let mut a = zip::ZipArchive::new(fs::File::open(f.path(zip)).unwrap()).unwrap();
        let mut apple = 0;
        for i in 0..a.len() {
            let mut e = a.by_index(i).unwrap();
            if e.name().starts_with("__MACOSX/") && e.is_file() {
                let mut head = [0u8; 4];
                std::io::Read::read_exact(&mut e, &mut head).unwrap();
                assert_eq!(head, [0, 5, 0x16, 7], "{}", e.name());
                assert_eq!(e.compression(), zip::CompressionMethod::Deflated);
                apple += 1;
            }
        }
        let signed = signed_files(&f);
        assert_eq!(apple, signed.len(), "{zip}: one AppleDouble entry per file");
        if let Some(r) = run_tool("unzip", &["-tq", &f.p(zip)], f.dir.path()) {
            assert_eq!(r.code, 0, "{zip}: unzip -t: {}", r.stdout);
        }

        strict_refuses_with_the_hint(&f, zip);
        let (code, errors, j) =
            verify_json(&f.path(zip), &f.path("alice.pub"), &["--allow-repacked"]);
        assert_eq!((code, &errors), (0, &vec![]), "{zip}: {j:#}");
        assert_eq!(j["container"], "repacked-zip");
        let ignored = found(&j, "zip.ignored-system-file");
        assert_eq!(ignored.len(), apple, "{zip}: {j:#}");
        for (file, message) in &ignored {
            assert!(file.starts_with("__MACOSX/"), "{file}");
            assert!(
                message.starts_with("not part of the signed bundle, ignored"),
                "{message}"
            );
        }
        let severities: BTreeSet<&str> = j["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|x| x["code"] == "zip.ignored-system-file")
            .map(|x| x["severity"].as_str().unwrap())
            .collect();
        assert_eq!(severities, BTreeSet::from(["info"]));
        let text = docseal(&[
            "verify",
            &f.p(zip),
            "-p",
            &f.p("alice.pub"),
            "--allow-repacked",
            "-v",
        ]);
        let text = text.expect(0).stdout;
        let lines = text
            .lines()
            .filter(|l| l.contains("[zip.ignored-system-file] __MACOSX/"))
            .filter(|l| l.contains("not part of the signed bundle, ignored"))
            .count();
        assert_eq!(lines, apple, "{text}");
        let summary = format!(
            "  ignored     {apple} file-manager files: not part of the signed bundle, ignored"
        );
        assert!(text.lines().any(|l| l == summary), "{text}");
        let html = f.path(&format!("{zip}.html"));
        let h = html.display().to_string();
        let args = [
            "verify",
            &f.p(zip),
            "-p",
            &f.p("alice.pub"),
            "--allow-repacked",
            "-q",
            "--html",
            &h,
        ];
        docseal(&args).expect(0);
        let page = fs::read_to_string(&html).unwrap();
        let item = format!("<li>{}</li>", summary.trim_start_matches("  ignored     "));
        assert!(page.contains(&item), "{page}");
        if !keep_parent {
            assert_eq!(found(&j, "zip.no-top-folder").len(), 1, "{j:#}");
        }
        let out = format!("x-{zip}");
        let stderr = extracts_only_the_signed_files(&f, zip, &out);
        assert!(stderr.contains("not part of the signed bundle"), "{stderr}");
        let root = if keep_parent { "test-bundle" } else { "" };
        readers_agree(&f, zip, &f.path(&out).join("bag"), root);
    }
}

#[test]
fn a_zip_of_the_bags_contents_verifies_with_allow_repacked_under_the_bundle_name() {
    let f = Fixture::new();
    let bag = unpack(&f, "u").join("test-bundle");
    f.key("bob");
    let mut made = Vec::new();
    for (zip, tool, args) in [
        (
            "contents-zip.zip",
            "zip",
            vec!["-qr", "../../contents-zip.zip", "."],
        ),
        (
            "contents-7z.zip",
            "7z",
            vec!["a", "-bd", "-tzip", "../../contents-7z.zip", "."],
        ),
    ] {
        let Some(r) = run_tool(tool, &args, &bag) else {
            continue;
        };
        assert_eq!(r.code, 0, "{tool}: {}{}", r.stdout, r.stderr);
        made.push(zip);
    }
    for zip in made {
        let names = zip_names(&f.path(zip));
        assert!(names.contains(&"bagit.txt".to_owned()), "{zip}: {names:?}");
        strict_refuses_with_the_hint(&f, zip);
        let (code, errors, j) =
            verify_json(&f.path(zip), &f.path("alice.pub"), &["--allow-repacked"]);
        assert_eq!((code, &errors), (0, &vec![]), "{zip}: {j:#}");
        let note = found(&j, "zip.no-top-folder");
        assert_eq!(note.len(), 1, "{j:#}");
        assert!(note[0].1.contains("\"test-bundle\""), "{note:?}");
        let out = format!("x-{zip}");
        extracts_only_the_signed_files(&f, zip, &out);
        readers_agree(&f, zip, &f.path(&out).join("bag"), "");
        // Co-signed, it becomes the canonical zip under its proper root.
        let out = f.p(&format!("signed-{zip}"));
        docseal(&[
            "sign",
            &f.p(zip),
            "-s",
            &f.p("bob.key"),
            "-o",
            &out,
            "--allow-repacked",
        ])
        .expect(0);
        let names = zip_names(Path::new(&out));
        assert!(
            names.iter().all(|n| n.starts_with("test-bundle/")),
            "{names:?}"
        );
        let both = ["-p", &f.p("bob.pub"), "--threshold", "2"];
        let (code, errors, j) = verify_json(Path::new(&out), &f.path("alice.pub"), &both);
        assert_eq!((code, &errors), (0, &vec![]), "{j:#}");
        assert_eq!(j["container"], "canonical-zip");
    }
}

/// The entry names of a zip, as the zip crate reads them.
fn zip_names(zip: &Path) -> Vec<String> {
    let a = zip::ZipArchive::new(fs::File::open(zip).expect("open")).expect("zip");
    a.file_names().map(str::to_owned).collect()
}

#[test]
fn sign_allow_repacked_co_signs_a_finder_zip_into_the_canonical_zip() {
    let f = Fixture::new();
    f.key("bob");
    let u = unpack(&f, "u");
    if !finder_zip(&u.join("test-bundle"), &f.path("finder.zip"), true) {
        return;
    }
    let (zip, key, out) = (f.p("finder.zip"), f.p("bob.key"), f.p("co.zip"));
    let r = docseal(&["sign", &zip, "-s", &key, "-o", &out]).expect(1);
    assert!(r.stderr.contains("--allow-repacked"), "{}", r.stderr);
    assert!(!f.path("co.zip").exists());
    let r = docseal(&["sign", &zip, "-s", &key, "-o", &out, "--allow-repacked"]).expect(0);
    assert!(r.stderr.contains("left out __MACOSX/"), "{}", r.stderr);
    let names = zip_names(&f.path("co.zip"));
    assert!(
        names
            .iter()
            .all(|n| !n.contains("__MACOSX") && !n.contains("/._")),
        "{names:?}"
    );
    let both = ["-p", &f.p("bob.pub"), "--threshold", "2"];
    let (code, errors, j) = verify_json(&f.path("co.zip"), &f.path("alice.pub"), &both);
    assert_eq!((code, &errors), (0, &vec![]), "{j:#}");
    assert_eq!(j["container"], "canonical-zip");
    let container: Vec<String> = all_codes(&j)
        .into_iter()
        .filter(|c| ["zip.", "bag.", "tag."].iter().any(|p| c.starts_with(p)))
        .collect();
    assert!(container.is_empty(), "{container:?}");
}

#[test]
fn one_bad_file_in_a_keyring_is_skipped_and_the_report_says_so() {
    let f = Fixture::new();
    f.pack("b.zip");
    fs::create_dir(f.path("ring")).unwrap();
    fs::copy(f.path("alice.pub"), f.path("ring/alice.pub")).unwrap();
    fs::write(
        f.path("ring/broken.pub"),
        "untrusted comment: x\nnot base64 at all\n",
    )
    .unwrap();
    let ring = f.p("ring");
    let json = docseal(&["verify", &f.p("b.zip"), "--keyring", &ring, "--json"]).expect(0);
    assert!(json.stderr.contains("broken.pub"), "{}", json.stderr);
    let j = json.json();
    assert_eq!(j["verdict"], "valid");
    let skipped = found(&j, "key.keyring-skipped");
    assert_eq!(skipped.len(), 1, "{j:#}");
    assert!(skipped[0].0.ends_with("broken.pub"), "{skipped:?}");
    assert!(skipped[0].1.contains("broken.pub"), "{skipped:?}");
    let text = docseal(&["verify", &f.p("b.zip"), "--keyring", &ring])
        .expect(0)
        .stdout;
    assert!(
        text.lines()
            .any(|l| l.starts_with("warning: [key.keyring-skipped]") && l.contains("broken.pub")),
        "{text}"
    );
    if crate::schema::have_jsonschema() {
        let doc = f.path("report.json");
        fs::write(&doc, &json.stdout).unwrap();
        let (code, err) = crate::schema::validate("verify-report.schema.json", &[doc]);
        assert_eq!(code, 0, "{err}");
    }
    // A keyring with nothing usable is still an error, not a verdict.
    fs::remove_file(f.path("ring/alice.pub")).unwrap();
    let r = docseal(&["verify", &f.p("b.zip"), "--keyring", &ring]).expect(4);
    assert!(r.stderr.contains("no usable public key"), "{}", r.stderr);
}

#[test]
fn a_second_bag_hidden_in_a_zip_without_its_top_folder_is_refused() {
    let f = Fixture::new();
    let top = unpack(&f, "u");
    let bag = top.join("test-bundle");
    // The bag's contents at the top, and another bag in a folder beside them.
    fs::create_dir_all(bag.join("other/data")).unwrap();
    fs::write(
        bag.join("other/bagit.txt"),
        "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n",
    )
    .unwrap();
    fs::write(bag.join("other/data/evil.txt"), "EVIL\n").unwrap();
    let Some(r) = run_tool("zip", &["-qr", "../../two.zip", "."], &bag) else {
        return;
    };
    assert_eq!(r.code, 0, "{}", r.stderr);
    let (code, errors, j) = verify_json(
        &f.path("two.zip"),
        &f.path("alice.pub"),
        &["--allow-repacked"],
    );
    assert_eq!(code, 1, "{j:#}");
    assert!(
        errors.contains(&"bag.unexpected-file".to_owned()),
        "{errors:?}"
    );
    let out = f.path("x");
    let o = out.display().to_string();
    let args = [
        "extract",
        &f.p("two.zip"),
        "-p",
        &f.p("alice.pub"),
        "-o",
        &o,
        "--allow-repacked",
    ];
    docseal(&args).expect(1);
    assert!(!out.exists());
}
