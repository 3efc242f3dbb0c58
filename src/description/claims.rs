//! `[[citations]]` and `[[quotations]]` of `docseal.toml`: what the packer
//! claims about the statement's quotations, references and paraphrases,
//! and the rules each kind and verdict must follow before pack looks at
//! the texts.
//!
//! Spec: `docs/FORMAT.md` §7 (the records) and §8 (the description file).

use serde::{Deserialize, Serialize};

use crate::citations::{DeclaredKind, Kind, Verdict};

/// `[[citations]]`: a claim the statement makes about a source.
///
/// `exact` is copied byte for byte from the statement. The passages are
/// given either by the shorthand `source` (+ `locator`, `source_exact`),
/// which becomes the first passage, or by `[[citations.passages]]`, or both.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Citation {
    /// Short unique slug, 1 to 64 of `a-z`, `0-9` and `-`.
    pub id: String,
    /// What is claimed; `verbatim` when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<Kind>,
    /// Whether the sources bear it out; `supports` when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verdict: Option<Verdict>,
    /// Shorthand for one passage: the id of the cited entry in `[[sources]]`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// Shorthand: where the passage is in the source, e.g. "Article 43".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locator: Option<String>,
    /// The statement's words exactly as they stand in the statement.
    pub exact: String,
    /// Text just before `exact` in the statement, to pick one occurrence.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prefix: Option<String>,
    /// Text just after `exact` in the statement, to pick one occurrence.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub suffix: Option<String>,
    /// Which occurrence (from 1) of `exact` in the statement is meant.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub occurrence: Option<u32>,
    /// Shorthand: the passage exactly as it stands in the source.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_exact: Option<String>,
    /// `[[citations.passages]]`: more passages, in other sources or languages.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub passages: Vec<PassageSpec>,
    /// Sources searched in vain (verdict `not-found`); none means every source.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub searched: Vec<String>,
    /// Free-text remark on the claim.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// `[[citations.passages]]`: one source passage of a citation.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PassageSpec {
    /// The id of the entry in `[[sources]]`.
    pub source: String,
    /// The passage's words as they stand in the source. Needed for every
    /// kind but verbatim, and for parallel and contradicting passages.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exact: Option<String>,
    /// Where the passage is, e.g. "Article 43".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locator: Option<String>,
    /// The passage's language (BCP 47).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    /// Whether it is the authentic text (else a translation).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authentic: Option<bool>,
    /// A parallel text (another language or wording), not matched to the quotation.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub parallel: bool,
    /// Source text just before the passage, to pick one occurrence.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prefix: Option<String>,
    /// Source text just after the passage.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub suffix: Option<String>,
    /// Which occurrence (from 1) in the source is meant.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub occurrence: Option<u32>,
}

/// `[[quotations]]`: words in quotation marks that quote nobody.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeclaredQuotation {
    /// The words inside the quotation marks, as in the statement; the
    /// declaration covers every quoted span with these words.
    pub exact: String,
    /// `term` or `scare-quote`.
    pub kind: DeclaredKind,
    /// Why, in a few words.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl Citation {
    /// The kind, `verbatim` when absent.
    pub fn kind(&self) -> Kind {
        self.kind.unwrap_or_default()
    }

    /// The verdict, `supports` when absent.
    pub fn verdict(&self) -> Verdict {
        self.verdict.unwrap_or_default()
    }

    /// Every passage: the shorthand first, then `passages`.
    pub fn all_passages(&self) -> Vec<PassageSpec> {
        let shorthand = self.source.as_ref().map(|s| PassageSpec {
            source: s.clone(),
            exact: self.source_exact.clone(),
            locator: self.locator.clone(),
            ..PassageSpec::default()
        });
        shorthand
            .into_iter()
            .chain(self.passages.iter().cloned())
            .collect()
    }

    /// Every source id the citation names.
    pub fn source_ids(&self) -> impl Iterator<Item = &str> {
        self.source
            .iter()
            .map(String::as_str)
            .chain(self.passages.iter().map(|p| p.source.as_str()))
            .chain(self.searched.iter().map(String::as_str))
    }

    /// The rule of its kind and verdict this citation breaks, if any.
    pub(super) fn rule_broken(&self) -> Option<String> {
        let passages = self.all_passages();
        let matched = passages.iter().filter(|p| !p.parallel).count();
        let (kind, verdict) = (self.kind(), self.verdict());
        let needs_words = passages.iter().find(|p| {
            p.exact.is_none()
                && (p.parallel || kind != Kind::Verbatim || verdict == Verdict::Contradicts)
        });
        if let Some(p) = needs_words {
            return Some(format!(
                "passage in source {:?} needs `exact`: the source's own words",
                p.source
            ));
        }
        if self.occurrence == Some(0) || passages.iter().any(|p| p.occurrence == Some(0)) {
            return Some("occurrence counts from 1".into());
        }
        if !self.searched.is_empty() && verdict != Verdict::NotFound {
            return Some("`searched` is only for verdict \"not-found\"".into());
        }
        match verdict {
            Verdict::NotFound if matched > 0 => Some(
                "verdict \"not-found\" cannot have a passage that holds the words (only parallel ones)"
                    .into(),
            ),
            Verdict::NotFound => None,
            _ if matched == 0 => Some(format!(
                "verdict {:?} needs at least one passage that is not parallel",
                verdict.as_str()
            )),
            _ => None,
        }
    }
}
