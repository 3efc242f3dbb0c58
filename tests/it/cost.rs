//! Content-driven cost stays bounded (SECURITY.md): a statement of hundreds
//! of thousands of confusable words and thousands of citations over one
//! 10 MB source pack, verify and list under `prlimit` (address space and
//! CPU time), with a small report.

use std::fmt::Write as _;
use std::fs;

use crate::common::*;

/// Citations, all pointing at the one large source.
const CITATIONS: usize = 3_000;

/// Runs docseal under prlimit: 1 GiB of address space, 60 s of CPU (the
/// test binary is a debug build; SECURITY.md's figures are for release).
fn limited(args: &[&str]) -> Run {
    let mut all = vec![
        "--as=1073741824",
        "--cpu=60",
        "--",
        env!("CARGO_BIN_EXE_docseal"),
    ];
    all.extend_from_slice(args);
    let o = std::process::Command::new("prlimit")
        .args(&all)
        .env("SOURCE_DATE_EPOCH", "1764288000")
        .stdin(std::process::Stdio::null())
        .output()
        .expect("run prlimit");
    Run::from(o)
}

#[test]
fn many_citations_over_a_large_source_and_many_confusables_stay_bounded() {
    if !require("prlimit") {
        return;
    }
    let f = Fixture::new();
    let dir = f.path("big");
    fs::create_dir_all(dir.join("sources")).unwrap();
    // The source: 10 MB of filler with a marker every few kilobytes.
    let mut source = String::with_capacity(10 << 20);
    let filler = "the parties shall respect the inviolability of the frontiers between them. ";
    for i in 0..CITATIONS {
        let _ = write!(source, "mark-{i:06} ");
        while source.len() < (i + 1) * ((10 << 20) / CITATIONS) {
            source.push_str(filler);
        }
    }
    fs::write(dir.join("sources/big.txt"), &source).unwrap();
    // The statement: every marker, a repeated term, and 300,000 words with a Cyrillic А.
    let mut statement = String::from("The \"term\" again.\n");
    for i in 0..CITATIONS {
        let _ = write!(statement, "See mark-{i:06}. ");
    }
    statement.push('\n');
    statement.push_str(&"\u{410}ugust ".repeat(300_000));
    fs::write(dir.join("statement.txt"), &statement).unwrap();
    let mut toml = String::from(
        "[bundle]\nname = \"big\"\n\n[statement]\npath = \"statement.txt\"\ntitle = \"Big\"\n\n\
         [[sources]]\nid = \"big\"\npath = \"sources/big.txt\"\ntitle = \"Big source\"\n\n\
         [[quotations]]\nexact = \"term\"\nkind = \"term\"\n",
    );
    for i in 0..CITATIONS {
        let _ = write!(
            toml,
            "\n[[citations]]\nid = \"c{i}\"\nkind = \"reference\"\nexact = \"mark-{i:06}\"\n\
             [[citations.passages]]\nsource = \"big\"\nexact = \"mark-{i:06}\"\n"
        );
    }
    fs::write(dir.join("docseal.toml"), toml).unwrap();
    let (key, pubkey, out) = (f.p("alice.key"), f.p("alice.pub"), f.p("big.zip"));
    let big = f.p("big");
    let pack = limited(&["pack", &big, "-s", &key, "-o", &out]);
    assert_eq!(pack.code, 0, "pack: {} {}", pack.stderr, pack.stdout);
    assert!(
        pack.stderr.contains("3000 citations checked"),
        "{}",
        pack.stderr
    );
    // The confusables are reported once, as a habit, not 300,000 times.
    let warnings = pack
        .stderr
        .lines()
        .filter(|l| l.contains("warning"))
        .count();
    assert!(warnings <= 51, "{}", pack.stderr);

    let verify = limited(&["verify", &out, "-p", &pubkey, "--json"]);
    assert_eq!(verify.code, 0, "{}", verify.stderr);
    let report = verify.json();
    let findings = report["findings"].as_array().unwrap();
    assert!(
        findings
            .iter()
            .all(|f| f["code"] != "citation.check-budget"),
        "{report:#}"
    );
    assert!(findings.len() < 100, "{}", findings.len());
    assert!(verify.stdout.len() < 2 << 20, "{}", verify.stdout.len());
    let oks = report["citations"].as_array().unwrap();
    assert_eq!(oks.len(), CITATIONS);
    assert!(oks.iter().all(|c| c["ok"] == true));

    let list = limited(&["list", &out, "--citations"]);
    assert_eq!(list.code, 0, "{}", list.stderr);
    assert!(list
        .stdout
        .contains("[3000] c2999 — reference, verdict: supports"));
}

/// `history` of two versions whose large statements differ everywhere: the
/// word diff meets its deadline or falls back to lines, within the same
/// limits, and both versions' verification and the diff still complete.
#[test]
fn history_of_two_large_unlike_statements_stays_bounded() {
    if !require("prlimit") {
        return;
    }
    let f = Fixture::new();
    // ~900 KB of words each (under the word-diff cap, so the word diff and
    // its deadline are what is exercised), no two lines alike across versions.
    let text = |seed: u64| {
        let mut s = String::new();
        let mut x = seed;
        for i in 0..90_000u64 {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let _ = write!(s, "w{:x} ", x >> 40);
            if i % 12 == 11 {
                s.push('\n');
            }
        }
        s
    };
    let dir = f.path("big");
    fs::create_dir_all(&dir).unwrap();
    let description = "[bundle]\nname = \"big\"\n[statement]\npath = \"statement.txt\"\ntitle = \"S\"\nauthors = []\n";
    fs::write(dir.join("docseal.toml"), description).unwrap();
    fs::write(dir.join("statement.txt"), text(1)).unwrap();
    let (key, pubkey) = (f.p("alice.key"), f.p("alice.pub"));
    limited(&["pack", &f.p("big"), "-q", "-s", &key, "-o", &f.p("v1.zip")]).expect(0);
    fs::write(dir.join("statement.txt"), text(2)).unwrap();
    limited(&[
        "pack",
        &f.p("big"),
        "-q",
        "-s",
        &key,
        "--supersedes",
        &f.p("v1.zip"),
        "-o",
        &f.p("v2.zip"),
    ])
    .expect(0);
    let started = std::time::Instant::now();
    let r = limited(&[
        "history",
        &f.p("v1.zip"),
        &f.p("v2.zip"),
        "-p",
        &pubkey,
        "--json",
    ])
    .expect(0);
    let j = r.json();
    let diff = j["changes"][0]["statement_diff"]
        .as_str()
        .unwrap_or_default();
    assert!(
        !diff.is_empty(),
        "the statement change is shown: {}",
        &r.stdout[..r.stdout.len().min(2000)]
    );
    // The report is bounded by the texts, not by the algorithm's cost.
    assert!(
        r.stdout.len() < 8 << 20,
        "{} bytes of report",
        r.stdout.len()
    );
    eprintln!(
        "history of two 900 KB statements: {:?}, report {} bytes",
        started.elapsed(),
        r.stdout.len()
    );
}
