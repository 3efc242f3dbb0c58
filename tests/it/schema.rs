//! The JSON reports against their published JSON Schemas (docs/schema/,
//! draft 2020-12), checked by a real validator (Python's `jsonschema`), for
//! good and bad bundles of every kind; and the validator really rejects a
//! report that breaks the schema.

use std::fs;
use std::process::Command;

use crate::common::*;

/// Whether Python's jsonschema is importable (required under CI).
pub fn have_jsonschema() -> bool {
    let ok = Command::new("python3")
        .args(["-c", "import jsonschema"])
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false);
    if !ok {
        if std::env::var_os("CI").is_some() || std::env::var_os("DOCSEAL_REQUIRE_PEERS").is_some() {
            panic!("python3 jsonschema is required (run scripts/install-test-peers.sh)");
        }
        eprintln!("SKIPPED: python3 jsonschema is not installed");
    }
    ok
}

/// Runs the validator; (exit code, stderr).
pub fn validate(schema: &str, docs: &[std::path::PathBuf]) -> (i32, String) {
    let root = env!("CARGO_MANIFEST_DIR");
    let o = Command::new("python3")
        .arg(format!("{root}/tests/schema_validate.py"))
        .arg(format!("{root}/docs/schema/{schema}"))
        .args(docs)
        .output()
        .unwrap();
    (
        o.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

#[test]
fn every_report_validates_against_its_published_schema() {
    if !have_jsonschema() {
        return;
    }
    let f = Fixture::new();
    f.key("mallory");
    let good = fs::read(f.pack("b.zip")).unwrap();
    fs::write(f.path("junk.zip"), b"not a zip").unwrap();
    let mut flipped = good.clone();
    let n = flipped.len() / 3;
    flipped[n] ^= 1;
    fs::write(f.path("flip.zip"), &flipped).unwrap();
    f.pack_a_day_later("v1b.zip");
    fs::create_dir(f.path("folder")).unwrap();
    f.extract("b.zip", &f.p("folder/x")).expect(0);
    let (alice, mallory) = (f.p("alice.pub"), f.p("mallory.pub"));
    let runs: Vec<(&str, Vec<String>)> = vec![
        ("verify", vec![f.p("b.zip"), "-p".into(), alice.clone()]),
        ("verify", vec![f.p("b.zip"), "-p".into(), mallory.clone()]),
        ("verify", vec![f.p("junk.zip"), "-p".into(), alice.clone()]),
        ("verify", vec![f.p("flip.zip"), "-p".into(), alice.clone()]),
        ("verify", vec![f.p("folder/x"), "-p".into(), alice.clone()]),
        (
            "verify",
            vec![
                f.p("b.zip"),
                "-p".into(),
                alice.clone(),
                "--not-older-than".into(),
                f.p("v1b.zip"),
            ],
        ),
        ("list", vec![f.p("b.zip")]),
        (
            "list",
            vec![
                f.p("b.zip"),
                "-p".into(),
                alice.clone(),
                "--citations".into(),
            ],
        ),
        ("history", vec![f.p("b.zip"), "-p".into(), alice.clone()]),
        (
            "history",
            vec![f.p("b.zip"), f.p("v1b.zip"), "-p".into(), mallory.clone()],
        ),
    ];
    let mut by_schema: Vec<(&str, Vec<std::path::PathBuf>)> = vec![
        ("verify-report.schema.json", vec![]),
        ("list-report.schema.json", vec![]),
        ("history-report.schema.json", vec![]),
    ];
    let mut verdicts = Vec::new();
    for (i, (cmd, args)) in runs.iter().enumerate() {
        let mut a: Vec<&str> = vec![cmd];
        a.extend(args.iter().map(String::as_str));
        a.push("--json");
        let r = docseal(&a);
        let j = r.json();
        let out = f.path(&format!("report-{i}.json"));
        fs::write(&out, &r.stdout).unwrap();
        let slot = match *cmd {
            "verify" => 0,
            "list" => 1,
            _ => 2,
        };
        if slot == 0 {
            verdicts.push(j["verdict"].as_str().unwrap().to_owned());
        }
        by_schema[slot].1.push(out);
    }
    assert_eq!(
        verdicts,
        ["valid", "untrusted", "invalid", "invalid", "valid", "fork"]
    );
    for (schema, docs) in &by_schema {
        let (code, err) = validate(schema, docs);
        assert_eq!(code, 0, "{schema}: {err}");
    }
    // The validator can fail: a report with a verdict the schema does not know.
    let first = &by_schema[0].1[0];
    let mut j: serde_json::Value = serde_json::from_slice(&fs::read(first).unwrap()).unwrap();
    j["verdict"] = "probably-fine".into();
    j["checks"][0]["status"] = "ok".into();
    let bad = f.path("bad.json");
    fs::write(&bad, serde_json::to_vec(&j).unwrap()).unwrap();
    let (code, err) = validate("verify-report.schema.json", &[bad]);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("verdict") && err.contains("checks/0/status"),
        "{err}"
    );
}

#[test]
fn a_report_carries_who_ran_it_when_and_over_which_exact_file() {
    let f = Fixture::new();
    let bytes = fs::read(f.pack("b.zip")).unwrap();
    let r = docseal(&["verify", &f.p("b.zip"), "-p", &f.p("alice.pub"), "--json"]).expect(0);
    let j = r.json();
    use sha2::Digest;
    let digest: [u8; 32] = sha2::Sha256::digest(&bytes).into();
    let want = docseal::manifest::hex(&digest);
    assert_eq!(j["bundle"]["sha256"], want.as_str());
    assert_eq!(j["bundle"]["size"], bytes.len());
    assert_eq!(j["program"]["name"], "docseal");
    assert_eq!(j["program"]["version"], env!("CARGO_PKG_VERSION"));
    let at = j["verified_at"].as_str().unwrap();
    assert!(
        at.len() == 20 && at.ends_with('Z') && at.starts_with("20"),
        "{at}"
    );
    // Top-level keys as written (a parsed map would sort them).
    let keys: Vec<&str> = r
        .stdout
        .lines()
        .filter_map(|l| l.strip_prefix("  \"")?.split_once('"').map(|(k, _)| k))
        .collect();
    assert_eq!(
        keys,
        [
            "schema",
            "format",
            "format_version",
            "program",
            "verified_at",
            "bundle",
            "verdict",
            "summary",
            "container",
            "threshold",
            "trusted_keys",
            "identity",
            "signatures",
            "files",
            "citations",
            "checks",
            "findings",
            "not_checked"
        ],
        "keys in the documented order"
    );
}

#[test]
fn the_pair_report_of_notes_and_their_base_validates_against_its_schema() {
    if !have_jsonschema() {
        return;
    }
    let f = Fixture::new();
    f.pack("b.zip");
    f.pack_a_day_later("later.zip");
    f.key("bob");
    let notes = "[notes]\ntitle = \"Notes\"\n\n[[citations]]\nid = \"n\"\nexact = \"to all cases of partial or total occupation\"\nsource = \"gc4\"\n";
    fs::write(f.path("NOTES.toml"), notes).unwrap();
    docseal(&[
        "annotate",
        &f.p("b.zip"),
        &f.p("NOTES.toml"),
        "-s",
        &f.p("bob.key"),
        "-o",
        &f.p("n.zip"),
        "-q",
    ])
    .expect(0);
    let (alice, bob) = (f.p("alice.pub"), f.p("bob.pub"));
    let mut docs = Vec::new();
    let mut verdicts = Vec::new();
    for (i, (base, keys)) in [
        ("b.zip", vec![&alice, &bob]),
        ("b.zip", vec![&alice]),
        ("later.zip", vec![&alice, &bob]),
    ]
    .iter()
    .enumerate()
    {
        let (n, b) = (f.p("n.zip"), f.p(base));
        let mut a = vec!["verify", n.as_str(), "--base", b.as_str(), "--json"];
        for k in keys {
            a.extend(["-p", k.as_str()]);
        }
        let r = docseal(&a);
        verdicts.push(r.json()["verdict"].as_str().unwrap().to_owned());
        let out = f.path(&format!("pair-{i}.json"));
        fs::write(&out, &r.stdout).unwrap();
        docs.push(out);
    }
    assert_eq!(verdicts, ["valid", "untrusted", "invalid"]);
    let (code, err) = validate("verify-pair.schema.json", &docs);
    assert_eq!(code, 0, "{err}");
    // The halves are checked against the verify report's schema too.
    let mut j: serde_json::Value = serde_json::from_slice(&fs::read(&docs[0]).unwrap()).unwrap();
    j["archivist"]["base"]["tagmanifest_sha256"] = "not hex".into();
    let bad = f.path("bad-pair.json");
    fs::write(&bad, serde_json::to_vec(&j).unwrap()).unwrap();
    let (code, err) = validate("verify-pair.schema.json", &[bad]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("archivist/base/tagmanifest_sha256"), "{err}");
}
