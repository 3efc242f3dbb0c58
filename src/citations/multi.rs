//! Every occurrence of many quotations in one normalised text, found in
//! one pass (Aho–Corasick over the text's UTF-8), so the cost of checking
//! citations is linear in the text whatever the number of citations that
//! point at it (docs/FORMAT.md §7.2, "Cost").
//!
//! The first-letter case rule is kept by adding, for a quotation whose
//! letter has a case partner, the variant with that partner. The number
//! of occurrences reported is bounded by [`MAX_EVENTS`]; past it the search
//! stops and says it is incomplete, rather than run on.

use std::collections::BTreeMap;

use aho_corasick::{AhoCorasick, MatchKind};

use super::normalise::{same_char, Quotation};

/// The most occurrences one search records, over all its patterns.
pub const MAX_EVENTS: usize = 20_000_000;

/// A normalised pattern and the index of its case-folded letter.
pub(crate) type PatternKey = (Vec<char>, Option<usize>);

/// The key of a quotation.
pub(crate) fn key(q: &Quotation) -> PatternKey {
    (q.chars.clone(), q.fold)
}

/// For each pattern, the character indexes of `hay` where it starts, in
/// order; `false` when [`MAX_EVENTS`] stopped the search (the lists are
/// then incomplete and must not be used).
pub(crate) fn search_all(
    hay: &[char],
    patterns: &[&Quotation],
) -> (BTreeMap<PatternKey, Vec<usize>>, bool) {
    let mut out: BTreeMap<PatternKey, Vec<usize>> = BTreeMap::new();
    let mut strings: Vec<String> = Vec::new();
    let mut owner: Vec<PatternKey> = Vec::new();
    for q in patterns {
        let k = key(q);
        if q.chars.is_empty() || out.contains_key(&k) {
            continue;
        }
        out.insert(k.clone(), Vec::new());
        for v in variants(q) {
            strings.push(v);
            owner.push(k.clone());
        }
    }
    if strings.is_empty() || hay.is_empty() {
        return (out, true);
    }
    let text: String = hay.iter().collect();
    // Byte offset of each character, when the text is not all ASCII.
    let starts: Option<Vec<u32>> = (text.len() != hay.len()).then(|| {
        let mut at = 0u32;
        hay.iter()
            .map(|c| {
                let here = at;
                at += c.len_utf8() as u32;
                here
            })
            .collect()
    });
    let Ok(ac) = AhoCorasick::builder()
        .match_kind(MatchKind::Standard)
        .build(&strings)
    else {
        return (out, false);
    };
    let mut events = 0usize;
    for m in ac.find_overlapping_iter(&text) {
        events += 1;
        if events > MAX_EVENTS {
            return (out, false);
        }
        let start = match &starts {
            None => m.start(),
            Some(s) => s.partition_point(|&b| (b as usize) < m.start()),
        };
        if let Some(list) = owner
            .get(m.pattern().as_usize())
            .and_then(|k| out.get_mut(k))
        {
            list.push(start);
        }
    }
    for list in out.values_mut() {
        list.sort_unstable();
        list.dedup();
    }
    (out, true)
}

/// The pattern's text, and the text with its folded letter's case partner.
fn variants(q: &Quotation) -> Vec<String> {
    let base: String = q.chars.iter().collect();
    let Some(k) = q.fold else { return vec![base] };
    let Some(&letter) = q.chars.get(k) else {
        return vec![base];
    };
    let mut out = vec![base];
    let partners = letter.to_lowercase().chain(letter.to_uppercase());
    for p in partners {
        if p != letter && same_char(letter, p, true) {
            let mut chars = q.chars.clone();
            chars[k] = p;
            let v: String = chars.into_iter().collect();
            if !out.contains(&v) {
                out.push(v);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::normalise::{Normalised, Quotation};
    use super::super::search::find_all;
    use super::search_all;

    #[test]
    fn agrees_with_the_single_search() {
        let text = "The the tHe «the» aaaa Жук жук ſtate State 1 a 1 A";
        let hay = Normalised::new(text).chars;
        let qs: Vec<Quotation> = ["the", "aa", "«the»", "жук", "state", "1 a", "a", "e"]
            .iter()
            .map(|q| Quotation::new(q))
            .collect();
        let refs: Vec<&Quotation> = qs.iter().collect();
        let (found, complete) = search_all(&hay, &refs);
        assert!(complete);
        for q in &qs {
            assert_eq!(found[&super::key(q)], find_all(&hay, q), "{:?}", q.chars);
        }
    }
}
