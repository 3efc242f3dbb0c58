//! Tests of claims (format 2): coverage, each kind and verdict, several
//! passages, locators, occurrences, normalisation edges, and verify's
//! findings on tampered records.

use std::collections::BTreeMap;

use super::*;
use crate::description::{Citation, DeclaredQuotation, PassageSpec};

const STATEMENT: &str =
    "The \"term\" here. It says \"to all cases of occupation\" and was signed on 17 August 1995.\n";
const SOURCE: &str = "Preamble text.\n### Article  2\nThe Convention shall apply to all cases of\noccupation here.\n### Article  3\nSigned July 17, 1995. Signed again.\n";
const FRENCH: &str = "### Article  2\nLa Convention s'appliquera à tous les cas d'occupation.\n";

fn texts() -> Texts {
    let mut sources = BTreeMap::new();
    for (id, t) in [
        ("src", SOURCE),
        ("fr", FRENCH),
        ("other", "nothing relevant\n"),
    ] {
        sources.insert(
            id.to_owned(),
            (format!("data/sources/{id}.txt"), t.to_owned()),
        );
    }
    Texts {
        statement_path: "data/statement.txt".into(),
        statement: STATEMENT.into(),
        sources,
    }
}

fn quote() -> Citation {
    Citation {
        id: "q".into(),
        exact: "to all cases of occupation".into(),
        passages: vec![PassageSpec {
            source: "src".into(),
            locator: Some("Article 2".into()),
            ..PassageSpec::default()
        }],
        ..Citation::default()
    }
}

fn term() -> DeclaredQuotation {
    DeclaredQuotation {
        exact: "term".into(),
        kind: DeclaredKind::Term,
        note: None,
    }
}

fn bind(c: Vec<Citation>, d: Vec<DeclaredQuotation>) -> Result<Bound, CitationError> {
    bind_claims(&c, &d, &texts())
}

#[test]
fn every_quoted_span_must_be_accounted_for_and_all_are_listed() {
    let e = bind(vec![], vec![]).unwrap_err();
    let CitationError::Coverage {
        count, problems, ..
    } = &e
    else {
        panic!("{e}")
    };
    assert_eq!(*count, 2, "{e}");
    assert!(
        problems.contains("line 1:5 undeclared \"term\""),
        "{problems}"
    );
    assert!(
        problems.contains("undeclared \"to all cases of occupation\""),
        "{problems}"
    );
    let b = bind(vec![quote()], vec![term()]).unwrap();
    assert_eq!(b.quotations[0].spans.len(), 1);
    assert!(check_claims(&b.claims, &b.quotations, &texts()).is_empty());
    let line = summary(&b.claims, &[true], &b.quotations, None);
    assert_eq!(line, "1 quotation: 1 verbatim and verified; 1 term");
}

#[test]
fn a_binding_must_cover_the_whole_quoted_span() {
    let mut part = quote();
    part.exact = "to all cases".into();
    let e = bind(vec![part], vec![term()]).unwrap_err();
    assert!(
        e.to_string()
            .contains("only partly bound by citation \"q\""),
        "{e}"
    );
}

#[test]
fn a_declaration_must_name_a_quoted_span() {
    let stray = DeclaredQuotation {
        exact: "nowhere".into(),
        ..term()
    };
    let e = bind(vec![quote()], vec![term(), stray]).unwrap_err();
    assert!(
        e.to_string()
            .contains("declared quotation \"nowhere\" is no quoted span"),
        "{e}"
    );
}

#[test]
fn each_kind_and_verdict_binds_and_verifies() {
    let reference = Citation {
        id: "date".into(),
        kind: Some(Kind::Reference),
        verdict: Some(Verdict::Contradicts),
        exact: "17 August 1995".into(),
        passages: vec![PassageSpec {
            source: "src".into(),
            exact: Some("July 17, 1995".into()),
            ..PassageSpec::default()
        }],
        ..Citation::default()
    };
    let paraphrase = Citation {
        id: "para".into(),
        kind: Some(Kind::Paraphrase),
        verdict: Some(Verdict::PartlySupports),
        exact: "It says".into(),
        passages: vec![PassageSpec {
            source: "src".into(),
            exact: Some("The Convention shall apply".into()),
            locator: Some("Article 2".into()),
            ..PassageSpec::default()
        }],
        ..Citation::default()
    };
    let b = bind(vec![quote(), reference, paraphrase], vec![term()]).unwrap();
    assert_eq!(b.claims[1].verdict, Verdict::Contradicts);
    assert_eq!(b.claims[1].passages[0].span.text, "July 17, 1995");
    assert!(check_claims(&b.claims, &b.quotations, &texts()).is_empty());
    let line = summary(&b.claims, &[true; 3], &b.quotations, None);
    assert_eq!(
        line,
        "1 quotation: 1 verbatim and verified; 1 term, 2 references and paraphrases"
    );
}

#[test]
fn a_contradicted_or_missing_quotation_is_recorded_unless_a_source_holds_it() {
    let mut contra = quote();
    contra.verdict = Some(Verdict::Contradicts);
    contra.passages[0].exact = Some("The Convention shall apply".into());
    contra.passages[0].locator = None;
    let e = bind(vec![contra.clone()], vec![term()]).unwrap_err();
    assert!(
        e.to_string()
            .contains("recorded as contradicts but the quotation stands here"),
        "{e}"
    );
    let mut missing = quote();
    missing.verdict = Some(Verdict::NotFound);
    missing.passages.clear();
    missing.searched = vec!["other".into()];
    let e = bind(vec![missing.clone()], vec![term()]).unwrap_err();
    assert!(e.to_string().contains("recorded as not-found"), "{e}");
    // Against texts that do not hold it, both bind, the nearest passage kept.
    let mut t = texts();
    t.sources.remove("src");
    contra.passages[0].source = "fr".into();
    contra.passages[0].exact = Some("à tous les cas d'occupation".into());
    let b = bind_claims(&[contra, missing], &[term()], &t).unwrap();
    assert!(b.claims[0].passages[0].diff.is_some());
    assert!(b.claims[1].searched[0].nearest.is_some());
    let line = summary(&b.claims, &[true; 2], &b.quotations, None);
    assert!(
        line.contains("1 contradicted by its source, 1 not found in the archived sources"),
        "{line}"
    );
}

#[test]
fn several_passages_in_several_languages() {
    let mut c = quote();
    c.passages.push(PassageSpec {
        source: "fr".into(),
        exact: Some("à tous les cas d'occupation".into()),
        locator: Some("Article 2".into()),
        language: Some("fr".into()),
        authentic: Some(true),
        parallel: true,
        ..PassageSpec::default()
    });
    let b = bind(vec![c], vec![term()]).unwrap();
    let p = &b.claims[0].passages;
    assert_eq!(p.len(), 2);
    assert_eq!(p[0].rules, ["whitespace"]);
    assert_eq!(
        p[1].locator_check.as_ref().unwrap().status,
        LocatorStatus::Checked
    );
    assert!(check_claims(&b.claims, &b.quotations, &texts()).is_empty());
}

#[test]
fn a_wrong_locator_is_refused_and_found() {
    let mut c = quote();
    c.passages[0].locator = Some("Article 99".into());
    let e = bind(vec![c], vec![term()]).unwrap_err();
    assert!(
        e.to_string()
            .contains("locator \"Article 99\" does not hold"),
        "{e}"
    );
    assert!(e.to_string().contains("lies in article 2, not 99"), "{e}");
    let mut b = bind(vec![quote()], vec![term()]).unwrap();
    b.claims[0].passages[0].locator = Some("Article 3".into());
    let codes: Vec<&str> = check_claims(&b.claims, &b.quotations, &texts())
        .iter()
        .map(|f| f.code)
        .collect();
    assert_eq!(
        codes,
        ["citation.wrong-locator", "citation.wrong-locator-check"]
    );
}

#[test]
fn an_ambiguous_occurrence_is_refused_and_an_index_picks_one() {
    let mut c = Citation {
        id: "signed".into(),
        kind: Some(Kind::Reference),
        exact: "signed on".into(),
        passages: vec![PassageSpec {
            source: "src".into(),
            exact: Some("Signed".into()),
            ..PassageSpec::default()
        }],
        ..Citation::default()
    };
    let e = bind(vec![quote(), c.clone()], vec![term()]).unwrap_err();
    assert!(
        e.to_string()
            .contains("occur 2 times in data/sources/src.txt"),
        "{e}"
    );
    c.passages[0].occurrence = Some(2);
    let b = bind(vec![quote(), c], vec![term()]).unwrap();
    let span = &b.claims[1].passages[0].span;
    assert_eq!(span.start as usize, SOURCE.rfind("Signed").unwrap());
    let mut moved = b.claims.clone();
    moved[1].passages[0].occurrence = Some(1);
    let codes: Vec<&str> = check_claims(&moved, &b.quotations, &texts())
        .iter()
        .map(|f| f.code)
        .collect();
    assert_eq!(codes, ["citation.ambiguous-occurrence"]);
}

#[test]
fn look_alikes_and_cut_combining_marks_never_match() {
    let mut t = texts();
    let src = "The ſtate and \u{212A}ing. cafe\u{301} x\n";
    t.sources
        .insert("la".into(), ("data/la.txt".into(), src.into()));
    for (statement, exact) in [
        ("\"state\"", "state"),
        ("\"king\"", "king"),
        ("\"cafe\"", "cafe"),
    ] {
        t.statement = statement.into();
        let c = Citation {
            id: "c".into(),
            exact: exact.into(),
            source: Some("la".into()),
            ..Citation::default()
        };
        assert!(bind_claims(&[c], &[], &t).is_err(), "{exact}");
    }
}

#[test]
fn tampered_positions_and_flags_are_found() {
    let b = bind(vec![quote()], vec![term()]).unwrap();
    let mut bad = b.claims.clone();
    bad[0].statement.char_start = Some(1);
    bad[0].passages[0].rules.clear();
    let codes: Vec<&str> = check_claims(&bad, &b.quotations, &texts())
        .iter()
        .map(|f| f.code)
        .collect();
    assert_eq!(codes, ["citation.bad-position", "citation.wrong-rules"]);
    let mut dropped = b.quotations.clone();
    dropped.clear();
    let codes: Vec<&str> = check_claims(&b.claims, &dropped, &texts())
        .iter()
        .map(|f| f.code)
        .collect();
    assert_eq!(codes, ["citation.undeclared-quotation"]);
}
