//! The report tells the truth: every check row is passed only when it ran
//! and found nothing, failed when it found a problem, or not run with the
//! reason, in the JSON and in the text alike; the first line is the verdict
//! in plain words; paths that cannot be bundles are errors, not verdicts.

use std::fs;

use crate::common::*;

/// (area, status, reason or detail must contain) for every check, in order.
type Rows<'a> = [(&'a str, &'a str, &'a str); 9];

const NOT_RUN_EARLIER: &str = "an earlier check failed";

/// Asserts every check row of the JSON report and of the text report.
#[track_caller]
fn assert_rows(
    f: &Fixture,
    bundle: &str,
    extra: &[&str],
    exit: i32,
    rows: &Rows<'_>,
) -> serde_json::Value {
    let b = f.p(bundle);
    let k = f.p("alice.pub");
    let mut args = vec!["verify", b.as_str(), "-p", k.as_str()];
    args.extend_from_slice(extra);
    let text = docseal(&args);
    assert_eq!(text.code, exit, "{}{}", text.stdout, text.stderr);
    args.push("--json");
    let run = docseal(&args);
    assert_eq!(run.code, exit, "{}", run.stderr);
    let j = run.json();
    let checks = j["checks"].as_array().unwrap();
    assert_eq!(checks.len(), rows.len());
    let lines: Vec<&str> = text.stdout.lines().collect();
    let at = lines
        .iter()
        .position(|l| *l == "checks")
        .expect("a checks block");
    for (i, (area, status, words)) in rows.iter().enumerate() {
        let c = &checks[i];
        assert_eq!(c["area"], *area);
        assert_eq!(c["status"], *status, "{area}: {c}");
        let said = format!(
            "{} {}",
            c["detail"].as_str().unwrap(),
            c["reason"].as_str().unwrap_or("")
        );
        assert!(said.contains(words), "{area}: {words:?} not in {said:?}");
        if *status == "not-run" {
            assert!(
                c["reason"].is_string(),
                "{area}: a check that did not run says why"
            );
        }
        let line = lines[at + 1 + i];
        assert!(
            line.starts_with(&format!("  {area:<11} {status:<8} ")),
            "{area}: {line:?}"
        );
    }
    j
}

#[test]
fn random_bytes_empty_and_truncated_files_fail_the_container_and_nothing_else_runs() {
    let f = Fixture::new();
    let good = fs::read(f.pack("b.zip")).unwrap();
    let noise: Vec<u8> = (0..1000u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    for (name, bytes) in [
        ("junk.zip", noise),
        ("empty.zip", Vec::new()),
        ("truncated.zip", good[..good.len() / 2].to_vec()),
    ] {
        fs::write(f.path(name), &bytes).unwrap();
        let rows: Rows = [
            ("container", "failed", "zip container"),
            ("bag", "not-run", NOT_RUN_EARLIER),
            ("tag-files", "not-run", NOT_RUN_EARLIER),
            ("payload", "not-run", NOT_RUN_EARLIER),
            ("manifest", "not-run", NOT_RUN_EARLIER),
            ("signatures", "not-run", NOT_RUN_EARLIER),
            ("timestamps", "not-run", ""),
            ("citations", "not-run", NOT_RUN_EARLIER),
            ("history", "not-run", "not asked for"),
        ];
        let j = assert_rows(&f, name, &[], 1, &rows);
        assert_eq!(j["verdict"], "invalid");
        let summary = j["summary"].as_str().unwrap();
        assert!(
            summary.starts_with("INVALID — not a readable docseal bundle: "),
            "{name}: {summary}"
        );
        assert_eq!(
            j["files"].as_array().unwrap().len(),
            0,
            "no file is claimed checked"
        );
        assert_eq!(j["signatures"].as_array().unwrap().len(), 0);
        let text = docseal(&["verify", &f.p(name), "-p", &f.p("alice.pub")]).stdout;
        assert!(!text.contains(" passed "), "{name}: {text}");
    }
}

#[test]
fn a_re_zipped_bundle_fails_strictly_with_a_hint_and_verifies_leniently() {
    let f = Fixture::new();
    f.pack("b.zip");
    if run_tool(
        "unzip",
        &["-q", &f.p("b.zip"), "-d", &f.p("u")],
        f.dir.path(),
    )
    .is_none()
    {
        return;
    }
    run_tool("zip", &["-qr", &f.p("re.zip"), "test-bundle"], &f.path("u"))
        .unwrap()
        .expect(0);
    let rows: Rows = [
        ("container", "failed", "zip container"),
        ("bag", "not-run", NOT_RUN_EARLIER),
        ("tag-files", "not-run", NOT_RUN_EARLIER),
        ("payload", "not-run", NOT_RUN_EARLIER),
        ("manifest", "not-run", NOT_RUN_EARLIER),
        ("signatures", "not-run", NOT_RUN_EARLIER),
        ("timestamps", "not-run", ""),
        ("citations", "not-run", NOT_RUN_EARLIER),
        ("history", "not-run", "not asked for"),
    ];
    assert_rows(&f, "re.zip", &[], 1, &rows);
    let text = docseal(&["verify", &f.p("re.zip"), "-p", &f.p("alice.pub")]).stdout;
    let hints: Vec<&str> = text.lines().filter(|l| l.starts_with("hint: ")).collect();
    assert_eq!(hints.len(), 1, "{text}");
    assert!(hints[0].contains("--allow-repacked"), "{text}");
    let rows: Rows = [
        ("container", "passed", "--allow-repacked"),
        ("bag", "passed", "BagIt"),
        ("tag-files", "passed", "tagmanifest"),
        ("payload", "passed", "SHA-256"),
        ("manifest", "passed", "docseal.json"),
        ("signatures", "passed", "minisign"),
        ("timestamps", "not-run", ""),
        ("citations", "passed", "quotations"),
        ("history", "not-run", "not asked for"),
    ];
    let j = assert_rows(&f, "re.zip", &["--allow-repacked"], 0, &rows);
    assert_eq!(j["container"], "repacked-zip");
}

#[test]
fn a_folder_that_is_not_a_bag_fails_the_bag_check_only() {
    let f = Fixture::new();
    fs::create_dir_all(f.path("notabag/sub")).unwrap();
    fs::write(f.path("notabag/readme.txt"), "hello").unwrap();
    let rows: Rows = [
        ("container", "failed", "zip container"),
        ("bag", "failed", "BagIt"),
        ("tag-files", "not-run", NOT_RUN_EARLIER),
        ("payload", "not-run", NOT_RUN_EARLIER),
        ("manifest", "not-run", NOT_RUN_EARLIER),
        ("signatures", "not-run", NOT_RUN_EARLIER),
        ("timestamps", "not-run", ""),
        ("citations", "not-run", NOT_RUN_EARLIER),
        ("history", "not-run", "not asked for"),
    ];
    // A folder has no zip container: that check does not run, and it is
    // the bag that fails.
    let rows = {
        let mut r = rows;
        r[0] = ("container", "not-run", "unpacked folder");
        r
    };
    let j = assert_rows(&f, "notabag", &[], 1, &rows);
    assert_eq!(codes(&j), ["bag.not-a-bag"]);
}

#[test]
fn a_wrong_key_leaves_the_content_checks_passed_and_the_signatures_failed() {
    let f = Fixture::new();
    f.pack("b.zip");
    f.key("mallory");
    fs::copy(f.path("mallory.pub"), f.path("alice.pub")).unwrap_or_default();
    let rows: Rows = [
        ("container", "passed", "canonical zip"),
        ("bag", "passed", "BagIt"),
        ("tag-files", "passed", "tagmanifest"),
        ("payload", "passed", "SHA-256"),
        ("manifest", "passed", "docseal.json"),
        ("signatures", "failed", "0 of the 1 required"),
        ("timestamps", "not-run", ""),
        ("citations", "passed", "quotations"),
        ("history", "not-run", "not asked for"),
    ];
    let j = assert_rows(&f, "b.zip", &[], 3, &rows);
    assert_eq!(j["verdict"], "untrusted");
    let summary = j["summary"].as_str().unwrap();
    let given = key_id_of(&f, "mallory.pub");
    assert!(
        summary.starts_with("UNTRUSTED — intact, but signed only by "),
        "{summary}"
    );
    assert!(
        summary.contains(&format!("alice.pub = {given}")),
        "names the key given: {summary}"
    );
    assert_eq!(j["trusted_keys"][0]["key_id"], given.as_str());
}

#[test]
fn a_tampered_payload_fails_the_payload_check_and_the_rest_still_passes() {
    let f = Fixture::new();
    let mut b = fs::read(f.pack("b.zip")).unwrap();
    let e = zip_entries(&b)
        .into_iter()
        .find(|e| e.name.ends_with("/data/notes.md"))
        .unwrap();
    b[e.data] ^= 0x01;
    fix_crc(&mut b, &e);
    fs::write(f.path("t.zip"), &b).unwrap();
    let rows: Rows = [
        ("container", "passed", "canonical zip"),
        ("bag", "passed", "BagIt"),
        ("tag-files", "passed", "tagmanifest"),
        ("payload", "failed", "SHA-256"),
        ("manifest", "passed", "docseal.json"),
        ("signatures", "passed", "minisign"),
        ("timestamps", "not-run", ""),
        ("citations", "passed", "quotations"),
        ("history", "not-run", "not asked for"),
    ];
    let j = assert_rows(&f, "t.zip", &[], 1, &rows);
    let bad: Vec<&str> = j["files"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|x| x["ok"] == false)
        .map(|x| x["path"].as_str().unwrap())
        .collect();
    assert_eq!(bad, ["data/notes.md"]);
    let text = docseal(&["verify", &f.p("t.zip"), "-p", &f.p("alice.pub")]).stdout;
    // The verdict may wrap; read its lines as one sentence.
    let verdict: Vec<&str> = text
        .lines()
        .take_while(|l| *l != "checks" && !l.starts_with("  ") || l.starts_with("    "))
        .collect();
    let sentence = verdict
        .iter()
        .map(|l| l.trim())
        .collect::<Vec<_>>()
        .join(" ");
    assert!(
        sentence.starts_with("INVALID — damaged or altered: data/notes.md: SHA-256 is "),
        "{text}"
    );
    // Only the file with a problem gets a line of its own.
    let file_lines: Vec<&str> = text
        .lines()
        .filter(|l| l.starts_with("  BAD ") || l.starts_with("  ok "))
        .collect();
    assert_eq!(file_lines.len(), 1, "{text}");
    assert!(file_lines[0].contains("data/notes.md"), "{text}");
}

#[test]
fn a_valid_report_opens_with_its_verdict_and_fits_100_columns() {
    let f = Fixture::new();
    f.pack("b.zip");
    let out = docseal(&["verify", &f.p("b.zip"), "-p", &f.p("alice.pub")])
        .expect(0)
        .stdout;
    let alice = key_id_of(&f, "alice.pub");
    let first = out.lines().next().unwrap();
    assert_eq!(
        first,
        format!("VALID — intact and signed by alice ({alice})")
    );
    assert!(out.lines().all(|l| l.chars().count() <= 100), "{out}");
    assert!(
        !out.lines().any(|l| l.starts_with("  ok ")),
        "files are listed only with --verbose"
    );
    let verbose = docseal(&[
        "verify",
        &f.p("b.zip"),
        "-p",
        &f.p("alice.pub"),
        "--verbose",
    ])
    .expect(0)
    .stdout;
    assert_eq!(
        verbose.lines().filter(|l| l.starts_with("  ok ")).count(),
        5,
        "{verbose}"
    );
    let quiet = docseal(&["verify", &f.p("b.zip"), "-p", &f.p("alice.pub"), "-q"])
        .expect(0)
        .stdout;
    assert_eq!(quiet, format!("{first}\n"));
}

#[test]
fn paths_that_cannot_be_bundles_are_errors_naming_the_path() {
    let f = Fixture::new();
    f.pack("b.zip");
    let key = f.p("alice.pub");
    let missing = f.p("missing.zip");
    let cases: Vec<(&str, String, i32, &str)> = vec![
        ("missing", missing.clone(), 5, "cannot open"),
        ("url", "https://example.org/b.zip".into(), 2, "is a URL"),
        (
            "stdin",
            "/dev/stdin".into(),
            2,
            "not a regular file or folder",
        ),
        (
            "device",
            "/dev/null".into(),
            2,
            "not a regular file or folder",
        ),
    ];
    for (what, path, code, says) in &cases {
        for cmd in [
            vec!["verify", path.as_str(), "-p", key.as_str()],
            vec!["list", path.as_str()],
            vec!["history", path.as_str(), "-p", key.as_str()],
        ] {
            let r = docseal(&cmd);
            assert_eq!(r.code, *code, "{what} {cmd:?}: {}{}", r.stdout, r.stderr);
            assert!(r.stdout.is_empty(), "{what}: no verdict: {}", r.stdout);
            let lines: Vec<&str> = r.stderr.lines().collect();
            assert!(
                lines[0].starts_with(&format!("docseal: error: {path}: ")),
                "{what}: {}",
                r.stderr
            );
            assert!(lines[0].contains(says), "{what} {cmd:?}: {}", r.stderr);
            assert!(lines.len() <= 2, "{what}: {}", r.stderr);
            if lines.len() == 2 {
                assert!(lines[1].starts_with("hint: "), "{what}: {}", r.stderr);
            }
        }
    }
}

/// The key id in a minisign public key file.
fn key_id_of(f: &Fixture, name: &str) -> String {
    docseal::keys::read_public_key(&f.path(name))
        .unwrap()
        .key_id()
        .to_string()
}

/// The report without the fields that legitimately differ between two
/// front ends over the same inputs (the schema marks them `x-differs`).
fn comparable(mut j: serde_json::Value) -> serde_json::Value {
    for k in ["program", "verified_at", "summary"] {
        j.as_object_mut().unwrap().remove(k);
    }
    j["bundle"].as_object_mut().unwrap().remove("path");
    for t in j["trusted_keys"].as_array_mut().unwrap() {
        t.as_object_mut().unwrap().remove("origin");
        t.as_object_mut().unwrap().remove("name");
    }
    for s in j["signatures"].as_array_mut().unwrap() {
        s.as_object_mut().unwrap().remove("trusted_key");
    }
    j
}

#[test]
fn the_core_over_bytes_in_memory_writes_the_same_report_as_the_cli() {
    use docseal::verify::{verify_source, Context, TrustedKey, VerifyOptions};
    let f = Fixture::new();
    let good = fs::read(f.pack("b.zip")).unwrap();
    let mut flipped = good.clone();
    flipped[good.len() / 2] ^= 0x10;
    let key = docseal::keys::read_public_key(&f.path("alice.pub")).unwrap();
    for (name, bytes) in [("good.zip", good), ("flipped.zip", flipped)] {
        fs::write(f.path(name), &bytes).unwrap();
        let cli = docseal(&["verify", &f.p(name), "-p", &f.p("alice.pub"), "--json"]).json();
        let opts = VerifyOptions {
            trusted: vec![TrustedKey::from_file(key.clone(), "pinned")],
            ..Default::default()
        };
        let (d, n) = docseal::verify::source_digest(&bytes, &docseal::progress::Silent).unwrap();
        let mut ctx = Context {
            file: docseal::report::BundleFile {
                path: name.into(),
                sha256: Some(docseal::manifest::hex(&d)),
                size: Some(n),
            },
            program: docseal::report::Program {
                name: "docseal-web".into(),
                version: env!("CARGO_PKG_VERSION").into(),
            },
            verified_at: None,
            reference: None,
            base: None,
            progress: &docseal::progress::Silent,
            rezipped: false,
            folder: false,
        };
        let v = verify_source(std::sync::Arc::new(bytes), &mut ctx, &opts);
        let core: serde_json::Value = serde_json::from_str(&v.report.to_json()).unwrap();
        assert_eq!(comparable(core), comparable(cli.clone()), "{name}");
        assert_eq!(
            cli["verdict"],
            if name == "good.zip" {
                "valid"
            } else {
                "invalid"
            }
        );
    }
}
