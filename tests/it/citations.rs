//! Quotations bound to their sources, end to end: offsets recorded by `pack`
//! checked against the real files, a missing quotation refused, altered
//! texts caught by `verify` even in a validly re-signed bundle, and the real
//! statement of `archive/` with its two citations and its one confusable.

use std::fs;

use docseal::citations::Claim;
use docseal::manifest::BundleManifest;
use sha2::{Digest, Sha256};

use crate::common::*;

/// The statement used by the binding test: four quotations, each matching
/// its source in a different way.
const STATEMENT: &str = "Article 2 extends the Convention \u{201c}to all cases of partial or total occupation\u{201d}.\n\
It applies even if \u{201c}the said occupation meets with no armed resistance\u{201d}.\n\
The Regulations say that \u{201c}the authority of the legitimate power\u{201d} passed.\n\
It protects those \u{201c}called \u{2018}protected persons\u{2019}\u{201d} in it.\n";

const GC4: &str = "Article 2\n\
The Convention shall also apply to all cases of partial or total\n\
occupation of the territory of a High Contracting Party, even if the said occupation meets with no armed resistance.\n\
Article 4\n\
Persons protected by the Convention are those called 'protected persons' in it.\n";

const HAGUE: &str = "Art. 43. The authority of the legitimate power having in fact passed into the hands of the occupant.\n";

/// Appended to the fixture's docseal.toml for the binding test.
const MORE_CITATIONS: &str = r#"
[[sources]]
id = "hague"
path = "sources/hague.txt"
title = "Hague Regulations"

[[citations]]
id = "gc4-said"
source = "gc4"
locator = "Article 2"
exact = "the said occupation meets with no armed resistance"

[[citations]]
id = "hague-art43"
source = "hague"
locator = "Article 43"
exact = "the authority of the legitimate power"

[[citations]]
id = "gc4-protected"
source = "gc4"
exact = "called ‘protected persons’"
"#;

/// The text of the entry of `bundle` whose name ends with `/<rel>`.
fn entry(bundle: &[u8], rel: &str) -> Vec<u8> {
    zip_contents(bundle)
        .into_iter()
        .find(|(n, _)| n.ends_with(format!("/{rel}").as_bytes()))
        .unwrap_or_else(|| panic!("{rel} in bundle"))
        .1
}

/// The bundle's docseal.json, parsed.
fn manifest_of(bundle: &[u8]) -> BundleManifest {
    BundleManifest::parse(&entry(bundle, "docseal.json")).expect("docseal.json parses")
}

/// The findings of a JSON report with this code.
fn findings<'a>(report: &'a serde_json::Value, code: &str) -> Vec<&'a serde_json::Value> {
    report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["code"] == code)
        .collect()
}

#[test]
fn exact_and_normalised_matches_are_recorded_with_their_true_byte_offsets() {
    let f = Fixture::new();
    fs::write(f.path("in/statement.txt"), STATEMENT).unwrap();
    fs::write(f.path("in/sources/gc4.txt"), GC4).unwrap();
    fs::write(f.path("in/sources/hague.txt"), HAGUE).unwrap();
    let toml = fs::read_to_string(f.path("in/docseal.toml")).unwrap();
    fs::write(f.path("in/docseal.toml"), toml + MORE_CITATIONS).unwrap();
    let run = docseal(&[
        "pack",
        &f.p("in"),
        "-s",
        &f.p("alice.key"),
        "-o",
        &f.p("b.zip"),
    ])
    .expect(0);
    assert!(run.stderr.contains("4 citations checked"), "{}", run.stderr);
    let bundle = fs::read(f.path("b.zip")).unwrap();
    let m = manifest_of(&bundle);
    // (id, source file, the passage as it stands in the source, normalised)
    let expected = [
        (
            "gc4-art2",
            GC4,
            "to all cases of partial or total\noccupation",
            true,
        ),
        (
            "gc4-said",
            GC4,
            "the said occupation meets with no armed resistance",
            false,
        ),
        (
            "hague-art43",
            HAGUE,
            "The authority of the legitimate power",
            true,
        ),
        ("gc4-protected", GC4, "called 'protected persons'", true),
    ];
    assert_eq!(m.citations.len(), expected.len());
    for (id, source, passage, normalised) in expected {
        let r = m.citations.iter().find(|c| c.id == id).expect(id);
        let (s, e) = (r.statement.start as usize, r.statement.end as usize);
        assert_eq!(&STATEMENT.as_bytes()[s..e], r.exact.as_bytes(), "{id}");
        assert_eq!(r.statement.text, r.exact, "{id}");
        assert_eq!(Some(s), STATEMENT.find(&r.exact), "{id}: statement start");
        let p = &r.passages[0];
        let (s, e) = (p.span.start as usize, p.span.end as usize);
        assert_eq!(&source.as_bytes()[s..e], passage.as_bytes(), "{id}");
        assert_eq!(p.span.text, passage, "{id}");
        assert_eq!(Some(s), source.find(passage), "{id}: source start");
        assert_eq!(p.normalised, normalised, "{id}");
        assert_eq!(p.occurrences, 1, "{id}");
        let path = if source == HAGUE { "hague" } else { "gc4" };
        assert_eq!(p.source_path, format!("data/sources/{path}.txt"), "{id}");
        // Code points and line:column agree with the file.
        let chars = source[..s].chars().count() as u64;
        assert_eq!(p.span.char_start, Some(chars), "{id}");
        let line = 1 + source[..s].matches('\n').count() as u64;
        assert_eq!(p.span.line, Some(line), "{id}");
    }
    let (code, errors, report) = verify_json(&f.path("b.zip"), &f.path("alice.pub"), &[]);
    assert_eq!((code, errors.len()), (0, 0), "{report:#}");
    let oks: Vec<bool> = report["citations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["ok"].as_bool().unwrap())
        .collect();
    assert_eq!(oks, [true; 4]);
    // The one source nothing cites is noted, and only that one.
    let uncited = findings(&report, "citation.uncited-source");
    assert_eq!(uncited.len(), 1, "{report:#}");
    assert_eq!(uncited[0]["severity"], "info");
    assert_eq!(uncited[0]["file"], "data/sources/other.txt");
    assert_eq!(
        uncited[0]["message"],
        "source \"other\" is not cited by any citation"
    );
}

#[test]
fn a_quotation_missing_from_its_source_stops_pack_and_writes_no_bundle() {
    let f = Fixture::new();
    fs::write(
        f.path("in/sources/gc4.txt"),
        "Article 2\nThe Convention shall also apply to all cases of partial or whole\noccupation of the territory.\n",
    )
    .unwrap();
    let before: Vec<_> = fs::read_dir(f.dir.path()).unwrap().collect();
    let run = docseal(&[
        "pack",
        &f.p("in"),
        "-q",
        "-s",
        &f.p("alice.key"),
        "-o",
        &f.p("b.zip"),
    ])
    .expect(4);
    let line = run.stderr.lines().next().unwrap_or_default();
    assert!(line.starts_with("docseal: error: "), "{}", run.stderr);
    assert!(
        line.contains("citation \"gc4-art2\": quotation not found in source \"gc4\""),
        "{line}"
    );
    assert!(line.contains("nearest passage at line 2: \""), "{line}");
    assert!(line.contains("partial or [-total-]{+whole+}"), "{line}");
    assert!(run.stdout.is_empty());
    assert!(!f.path("b.zip").exists(), "a bundle was written");
    let after: Vec<_> = fs::read_dir(f.dir.path()).unwrap().collect();
    assert_eq!(
        before.len(),
        after.len(),
        "a temporary file was left behind"
    );
}

/// Replaces payload files of a packed bundle and makes it whole again, as
/// the holder of alice's key could: payload manifest, docseal.json's files,
/// bag-info.txt, tag manifest and signature are all recomputed.
fn rebuild(f: &Fixture, bundle: &[u8], edits: &[(&str, &[u8])]) -> Vec<u8> {
    let sha = |b: &[u8]| -> [u8; 32] { Sha256::digest(b).into() };
    let mut entries = zip_contents(bundle);
    let root = String::from_utf8(entries[0].0.clone()).unwrap();
    let root = root.split('/').next().unwrap().to_owned();
    let set = |entries: &mut Vec<(Vec<u8>, Vec<u8>)>, rel: &str, data: Vec<u8>| {
        let name = format!("{root}/{rel}").into_bytes();
        let e = entries.iter_mut().find(|(n, _)| *n == name).expect(rel);
        e.1 = data;
    };
    let mut payload =
        docseal::bagit::Manifest::parse(&entry(bundle, "manifest-sha256.txt")).unwrap();
    let mut m = manifest_of(bundle);
    for (rel, data) in edits {
        set(&mut entries, rel, data.to_vec());
        for (p, d) in payload
            .entries
            .iter_mut()
            .filter(|(p, _)| p.as_str() == *rel)
        {
            *d = sha(data);
            let rec = m.files.iter_mut().find(|r| r.path == *p).expect(rel);
            rec.sha256 = docseal::manifest::hex(d);
            rec.size = data.len() as u64;
        }
    }
    let tags = [
        ("manifest-sha256.txt", payload.to_text().into_bytes()),
        ("docseal.json", m.to_bytes()),
        (
            "bag-info.txt",
            docseal::pack::bag_info(&m).unwrap().into_bytes(),
        ),
    ];
    let mut tm = docseal::bagit::Manifest::parse(&entry(bundle, "tagmanifest-sha256.txt")).unwrap();
    for (rel, data) in tags {
        for (_, d) in tm.entries.iter_mut().filter(|(p, _)| p.as_str() == rel) {
            *d = sha(&data);
        }
        set(&mut entries, rel, data);
    }
    let tm = tm.to_text().into_bytes();
    set(&mut entries, "tagmanifest-sha256.txt", tm.clone());
    let key = docseal::keys::read_secret_key(&f.path("alice.key"), &mut || {
        Err(docseal::error::Error::Usage("no passphrase".into()))
    })
    .unwrap();
    let id = key.key_id();
    let sig = key
        .sign(
            &tm,
            &m.trusted_comment(),
            &docseal::bundle::signature_untrusted_comment(id),
        )
        .unwrap();
    set(
        &mut entries,
        &docseal::bundle::signature_file(id),
        sig.to_file_text().into_bytes(),
    );
    raw_zip(&entries)
}

/// Rebuilds the fixture's bundle with `rel` edited by `from` → `to`, and
/// verifies it: it must fail on exactly `code`, with a validly re-signed
/// tag manifest, naming the citation and showing the changed word.
fn check_altered(rel: &str, from: &str, to: &str, code: &str) {
    let f = Fixture::new();
    let bundle = fs::read(f.pack("b.zip")).unwrap();
    // Ed25519 signatures are deterministic: rebuilding without an edit gives the same bytes.
    assert_eq!(rebuild(&f, &bundle, &[]), bundle, "the rebuild is faithful");
    let text = String::from_utf8(entry(&bundle, rel)).unwrap();
    assert!(text.contains(from), "{rel}: {text}");
    let altered = text.replacen(from, to, 1);
    let rebuilt = rebuild(&f, &bundle, &[(rel, altered.as_bytes())]);
    fs::write(f.path("t.zip"), &rebuilt).unwrap();
    let (exit, errors, report) = verify_json(&f.path("t.zip"), &f.path("alice.pub"), &[]);
    assert_eq!(exit, 1, "{report:#}");
    assert_eq!(errors, [code], "{report:#}");
    assert_eq!(report["signatures"][0]["status"], "valid-trusted");
    assert_eq!(report["citations"][0]["id"], "gc4-art2");
    assert_eq!(report["citations"][0]["ok"], false);
    let found = findings(&report, code);
    assert_eq!(found[0]["file"], rel);
    let msg = found[0]["message"].as_str().unwrap();
    assert!(msg.starts_with("citation \"gc4-art2\": bytes "), "{msg}");
    assert!(msg.contains("no longer hold the recorded text"), "{msg}");
    assert!(msg.contains("[-total-]{+whole+}"), "{msg}");
    let text = docseal(&["verify", &f.p("t.zip"), "-p", &f.p("alice.pub")])
        .expect(1)
        .stdout;
    assert!(
        text.contains(&format!(
            "error: [{code}] {rel}: citation \"gc4-art2\": bytes "
        )),
        "{text}"
    );
    assert!(
        text.contains("  BAD citation gc4-art2 -> gc4 (Article 2)"),
        "{text}"
    );
}

#[test]
fn an_altered_source_fails_verify_even_when_validly_re_signed() {
    check_altered(
        "data/sources/gc4.txt",
        "partial or total\n",
        "partial or whole\n",
        "citation.source-mismatch",
    );
}

#[test]
fn an_altered_quotation_in_the_statement_fails_verify_even_when_validly_re_signed() {
    check_altered(
        "data/statement.txt",
        "partial or total occupation",
        "partial or whole occupation",
        "citation.statement-mismatch",
    );
}

/// Packs the real archive of the repository.
fn pack_archive(f: &Fixture) -> Vec<u8> {
    let archive = concat!(env!("CARGO_MANIFEST_DIR"), "/archive");
    docseal(&[
        "pack",
        archive,
        "-q",
        "-s",
        &f.p("alice.key"),
        "-o",
        &f.p("archive.zip"),
    ])
    .expect(0);
    fs::read(f.path("archive.zip")).unwrap()
}

/// The ids of the real archive's citations, in order.
const REAL_IDS: [&str; 12] = [
    "gc4-art2-occupation",
    "hague-regs-art43-authority",
    "kremlin-readiness-military-assistance",
    "lukashenko-2022-03-31-red-line",
    "lukashenko-voluntarily-invited",
    "friendship-treaty-date",
    "friendship-treaty-borders",
    "border-treaty-date",
    "gc4-date",
    "gc4-art2-scope",
    "hague-art43-instrument",
    "melnichenko-meeting-date",
];

#[test]
fn the_real_archive_verifies_with_every_quotation_accounted_for() {
    let f = Fixture::new();
    let bundle = pack_archive(&f);
    let m = manifest_of(&bundle);
    assert_eq!(m.format_version, 2);
    let (code, errors, report) = verify_json(&f.path("archive.zip"), &f.path("alice.pub"), &[]);
    assert_eq!((code, errors.len()), (0, 0), "{report:#}");
    let all = findings(&report, "text.confusable");
    let confusables: Vec<_> = all.iter().filter(|f| f["severity"] == "warning").collect();
    assert_eq!(confusables.len(), 1, "{report:#}");
    assert_eq!(confusables[0]["file"], "data/statement/statement-en.txt");
    let msg = confusables[0]["message"].as_str().unwrap();
    assert_eq!(msg, "\"[А]ugust\" mixes scripts (U+0410), in Latin text");
    let at = (
        &confusables[0]["line"],
        &confusables[0]["column"],
        &confusables[0]["offset"],
    );
    assert_eq!(
        at,
        (
            &serde_json::json!(10),
            &serde_json::json!(147),
            &serde_json::json!(1270)
        )
    );
    // Sources and metadata are scanned too, as notes: the Belarusian text's
    // Latin i once, as a habit; the law number's Cyrillic Ze as a digit look-alike.
    let notes: Vec<&str> = all.iter().filter_map(|f| f["message"].as_str()).collect();
    assert!(
        notes
            .iter()
            .any(|m| m.contains("\"[i]\"") && m.contains("a habit of this text")),
        "{notes:?}"
    );
    assert!(
        notes
            .iter()
            .any(|m| m.contains("\"[З]\" has a letter drawn like a digit")),
        "{notes:?}"
    );
    let coverage = findings(&report, "citation.coverage");
    assert_eq!(
        coverage[0]["message"],
        "5 quotations: 2 verbatim and verified, 1 contradicted by its source, 2 not found in the archived sources; 5 terms, 2 scare quotes, 7 references and paraphrases"
    );
    let cited: Vec<(&str, bool)> = report["citations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["id"].as_str().unwrap(), c["ok"].as_bool().unwrap()))
        .collect();
    let want: Vec<(&str, bool)> = REAL_IDS.iter().map(|&id| (id, true)).collect();
    assert_eq!(cited, want);
    // The Hague quotation's second passage is the authentic French, checked under its heading.
    let hague = &m.citations[1];
    let fr = &hague.passages[1];
    assert_eq!(
        (fr.language.as_deref(), fr.authentic, fr.parallel),
        (Some("fr"), Some(true), true)
    );
    let check = fr.locator_check.as_ref().expect("locator checked");
    assert_eq!(check.status, docseal::citations::LocatorStatus::Checked);
    assert_eq!(check.heading.as_deref(), Some("### Article  43"));
    // The contradicted quotation keeps its difference from the readout.
    let kremlin = &m.citations[2];
    assert_eq!(kremlin.verdict, docseal::citations::Verdict::Contradicts);
    assert!(
        kremlin.passages[1]
            .diff
            .as_deref()
            .unwrap()
            .contains("[-military-]{+necessary+}"),
        "{kremlin:?}"
    );
    // The quotation not found keeps docseal's nearest passage in each source searched.
    let red_line = &m.citations[3];
    assert_eq!(red_line.searched.len(), 2);
    assert!(red_line
        .searched
        .iter()
        .all(|s| s.nearest.is_some() && s.diff.is_some()));
    // Every source no citation cites is noted, by its path.
    let uncited: Vec<&str> = m
        .sources
        .iter()
        .filter(|s| !m.citations.iter().any(|c| c.sources().any(|id| id == s.id)))
        .map(|s| s.path.as_str())
        .collect();
    assert!(uncited.len() < m.sources.len() - 8, "{uncited:?}");
    let notes: Vec<&str> = findings(&report, "citation.uncited-source")
        .iter()
        .map(|n| n["file"].as_str().unwrap())
        .collect();
    assert_eq!(notes, uncited);
}

#[test]
fn list_citations_json_round_trips_and_the_text_shows_the_passages() {
    let f = Fixture::new();
    let bundle = pack_archive(&f);
    let m = manifest_of(&bundle);
    let doc = docseal(&["list", &f.p("archive.zip"), "--citations", "--json"])
        .expect(0)
        .json();
    let listed: Vec<Claim> =
        serde_json::from_value(doc["listing"]["manifest"]["citations"].clone())
            .expect("citations deserialise as claims");
    assert_eq!(listed, m.citations);
    assert_eq!(listed.len(), 12);

    let text = docseal(&["list", &f.p("archive.zip"), "--citations"])
        .expect(0)
        .stdout;
    assert!(
        text.contains("citations (12), as recorded (not verified): 5 quotations: "),
        "{text}"
    );
    let expected = [
        "[1] gc4-art2-occupation — verbatim, verdict: supports\n",
        "extends the regime of occupation \"⟦to all cases of partial or total occupation",
        "    locator: Article 2, second paragraph (checked: under \"### Article  2\")\n",
        "[2] hague-regs-art43-authority — verbatim, verdict: supports\n",
        "  passage 1: source hague-iv-1907-regs-art42-50-en-ukparl-excerpt (en, translation)\n",
        "after normalisation (whitespace, first-letter-case)",
        "Art 43. ⟦The authority of the legitimate↵power having in fact passed into the hands of the occupant⟧, the\n",
        "  passage 2: source hague-iv-1907-fr-full (fr, authentic text, parallel text)\n",
        "[3] kremlin-readiness-military-assistance — verbatim, verdict: contradicts\n",
        "    quotation against this passage: \"",
        "[6] friendship-treaty-date — reference, verdict: contradicts\n",
        "concluded on ⟦17 August 1995⟧ between Belarus and Ukraine",
        "  note: The treaty was signed in Minsk on 17 July 1995",
        "declared quotations:\n  \"occupation\" (term, line 6) — The authors' word.\n",
    ];
    for line in expected {
        assert!(text.contains(line), "missing {line:?} in\n{text}");
    }
    assert!(!text.contains("\\u{a}"), "{text}");
    // Without --citations, no citation is shown.
    let plain = docseal(&["list", &f.p("archive.zip")]).expect(0).stdout;
    assert!(!plain.contains("citations ("), "{plain}");
}

#[test]
fn w3c_export_selectors_re_find_their_text() {
    let f = Fixture::new();
    pack_archive(&f);
    let doc = docseal(&[
        "list",
        &f.p("archive.zip"),
        "--citations",
        "--format",
        "w3c",
    ])
    .expect(0)
    .json();
    assert_eq!(doc["@context"], "http://www.w3.org/ns/anno.jsonld");
    assert_eq!(doc["type"], "AnnotationCollection");
    let items = doc["first"]["items"].as_array().unwrap();
    assert_eq!(items.len(), 12);
    let archive = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("archive");
    let mut checked = 0;
    for a in items {
        assert_eq!(a["type"], "Annotation");
        for t in a["target"].as_array().unwrap() {
            let path = t["source"].as_str().unwrap().strip_prefix("data/").unwrap();
            let text = fs::read_to_string(archive.join(path)).unwrap();
            let chars: Vec<char> = text.chars().collect();
            let sel = t["selector"].as_array().unwrap();
            let by = |kind: &str| sel.iter().find(|s| s["type"] == kind).unwrap();
            let quote = by("TextQuoteSelector");
            let exact = quote["exact"].as_str().unwrap();
            let pos = by("TextPositionSelector");
            let (s, e) = (
                pos["start"].as_u64().unwrap() as usize,
                pos["end"].as_u64().unwrap() as usize,
            );
            assert_eq!(chars[s..e].iter().collect::<String>(), exact, "{a}");
            let data = by("DataPositionSelector");
            let (bs, be) = (
                data["start"].as_u64().unwrap() as usize,
                data["end"].as_u64().unwrap() as usize,
            );
            assert_eq!(&text.as_bytes()[bs..be], exact.as_bytes());
            // prefix + exact + suffix stands exactly once, where the position says.
            let prefix = quote["prefix"].as_str().unwrap();
            let whole = format!("{prefix}{exact}{}", quote["suffix"].as_str().unwrap());
            assert_eq!(text.matches(&whole).count(), 1, "{whole:?}");
            let at = text.find(&whole).unwrap();
            assert_eq!(text[..at].chars().count() + prefix.chars().count(), s);
            checked += 1;
        }
    }
    assert!(checked >= 25, "{checked}");
}
