//! Searching a normalised text for a quotation: every exact occurrence, and
//! when there is none, the nearest passage by edit distance (Sellers'
//! approximate substring matching, O(text × quotation) time, O(quotation)
//! memory).

use super::normalise::{same_char, Quotation};

/// Every index of `hay` where `q` stands, overlapping occurrences included.
///
/// Linear time whatever the texts, since `verify` runs it on texts from a
/// bundle: the parts of the quotation before and after its first letter
/// are found by Knuth–Morris–Pratt, and an occurrence is where both stand
/// around a letter equal to the first one but for case.
pub(crate) fn find_all(hay: &[char], q: &Quotation) -> Vec<usize> {
    let m = q.chars.len();
    if m == 0 || m > hay.len() {
        return Vec::new();
    }
    let Some(k) = q.fold else {
        return kmp_all(hay, &q.chars);
    };
    let (left, letter, right) = match (q.chars.get(..k), q.chars.get(k), q.chars.get(k + 1..)) {
        (Some(l), Some(&c), Some(r)) => (l, c, r),
        _ => return Vec::new(),
    };
    // Starts where the part after the letter fits, as candidates.
    let candidates: Vec<usize> = if right.is_empty() {
        (0..=hay.len() - m).collect()
    } else {
        kmp_all(hay, right)
            .into_iter()
            .filter_map(|r| r.checked_sub(k + 1))
            .collect()
    };
    let lefts = (!left.is_empty()).then(|| kmp_all(hay, left));
    candidates
        .into_iter()
        .filter(|&i| lefts.as_ref().is_none_or(|l| l.binary_search(&i).is_ok()))
        .filter(|&i| hay.get(i + k).is_some_and(|&h| same_char(letter, h, true)))
        .collect()
}

/// Every start of `pat` in `hay`, overlapping ones included, in order
/// (Knuth–Morris–Pratt, O(hay + pat)).
fn kmp_all(hay: &[char], pat: &[char]) -> Vec<usize> {
    let mut out = Vec::new();
    if pat.is_empty() {
        return out;
    }
    // fail[i]: length of the longest proper border of pat[..=i].
    let mut fail = vec![0usize; pat.len()];
    let mut len = 0;
    for i in 1..pat.len() {
        while len > 0 && pat[i] != pat[len] {
            len = fail[len - 1];
        }
        if pat[i] == pat[len] {
            len += 1;
        }
        fail[i] = len;
    }
    let mut len = 0;
    for (j, &c) in hay.iter().enumerate() {
        while len > 0 && (len == pat.len() || c != pat[len]) {
            len = fail[len - 1];
        }
        if c == pat[len] {
            len += 1;
        }
        if len == pat.len() {
            out.push(j + 1 - len);
        }
    }
    out
}

/// The most table cells the nearest-passage search fills (a few seconds).
const NEAREST_BUDGET: usize = 1_000_000_000;

/// A passage `start..end` of the text (character indices) and its edit
/// distance to the quotation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Near {
    /// First character.
    pub start: usize,
    /// One past the last character.
    pub end: usize,
    /// Levenshtein distance to the quotation.
    pub distance: usize,
}

/// One cell of the dynamic programme: the cost so far and where in the
/// text the alignment that reached it began.
#[derive(Clone, Copy)]
struct Cell {
    cost: usize,
    start: usize,
}

/// The passage of `hay` with the smallest edit distance to `q` (the first
/// one to end, on ties), or `None` when either is empty or the search would
/// cost more than `NEAREST_BUDGET` cells.
///
/// Sellers' algorithm: the Levenshtein table with a free start anywhere in
/// the text (row 0 is all zeros), read column by column; each cell also
/// carries the start of its alignment, so no traceback table is needed.
pub(crate) fn nearest(hay: &[char], q: &Quotation) -> Option<Near> {
    let m = q.chars.len();
    if m == 0 || hay.is_empty() || hay.len().saturating_mul(m) > NEAREST_BUDGET {
        return None;
    }
    // One column, updated in place: `diag` keeps the cell above-left as it
    // was before this column overwrote it.
    let mut col: Vec<Cell> = (0..=m).map(|i| Cell { cost: i, start: 0 }).collect();
    let mut best: Option<Near> = None;
    for (j, &t) in hay.iter().enumerate() {
        let top = Cell {
            cost: 0,
            start: j + 1,
        };
        let (first, rest) = col.split_first_mut()?;
        let mut diag = std::mem::replace(first, top);
        let mut up = top;
        for (i, (&qc, cell)) in q.chars.iter().zip(rest.iter_mut()).enumerate() {
            let left = *cell;
            let same = qc == t || (q.fold == Some(i) && same_char(qc, t, true));
            let mut here = Cell {
                cost: diag.cost + usize::from(!same),
                start: diag.start,
            };
            // Prefer a substitution or match, then an extra text character,
            // then a missing one.
            for other in [left, up] {
                if other.cost + 1 < here.cost {
                    here = Cell {
                        cost: other.cost + 1,
                        start: other.start,
                    };
                }
            }
            diag = left;
            *cell = here;
            up = here;
        }
        let end = up;
        // On a tie, an alignment that runs on to the end of a word is
        // worth more than the first one: "occupant", not "occup".
        let better = best.is_none_or(|b| {
            end.cost < b.distance
                || (end.cost == b.distance
                    && end.start == b.start
                    && !at_word_end(hay, b.end)
                    && at_word_end(hay, j + 1))
        });
        if better {
            best = Some(Near {
                start: end.start,
                end: j + 1,
                distance: end.cost,
            });
        }
    }
    best
}

/// Whether no letter or digit follows character index `end - 1`.
fn at_word_end(hay: &[char], end: usize) -> bool {
    !hay.get(end).is_some_and(|c| c.is_alphanumeric())
}

#[cfg(test)]
mod tests {
    use super::super::normalise::{Normalised, Quotation};
    use super::*;

    const GC4: &str = include_str!("../../archive/sources/gc4-1949-en-full.txt");

    fn naive(hay: &[char], q: &Quotation) -> Vec<usize> {
        (0..hay.len()).filter(|&i| q.matches_at(hay, i)).collect()
    }

    #[test]
    fn find_all_table() {
        // (text, quotation, starts)
        let cases: [(&str, &str, &[usize]); 7] = [
            ("aaaa", "aa", &[0, 1, 2]),
            ("The the tHe", "the", &[0, 4]),
            ("«The» «the»", "«the»", &[0, 6]),
            ("1 a 1 A", "1 a", &[0, 4]),
            ("abcabd", "abd", &[3]),
            ("x", "xy", &[]),
            ("12 12", "12", &[0, 3]),
        ];
        for (text, quotation, want) in cases {
            let hay = Normalised::new(text).chars;
            assert_eq!(
                find_all(&hay, &Quotation::new(quotation)),
                want,
                "{quotation}"
            );
        }
    }

    /// A text and quotation that make a naive search quadratic.
    #[test]
    fn find_all_is_linear() {
        let hay = vec!['1'; 400_000];
        let mut q = "1".repeat(1_000);
        q.push('a');
        q.push_str(&"1".repeat(999));
        let t0 = std::time::Instant::now();
        assert!(find_all(&hay, &Quotation::new(&q)).is_empty());
        assert!(t0.elapsed().as_secs() < 3, "{:?}", t0.elapsed());
    }

    proptest::proptest! {
        #[test]
        fn find_all_agrees_with_naive(hay in "[aAbB1 ]{0,40}", q in "[aAbB1 ]{1,6}") {
            let hay: Vec<char> = hay.chars().collect();
            let q = Quotation::new(&q);
            proptest::prop_assert_eq!(find_all(&hay, &q), naive(&hay, &q));
        }
    }

    #[test]
    fn nearest_table() {
        // (text, quotation, passage found, distance)
        let cases = [
            ("the occupant shall", "the occupier", "the occupant", 3),
            ("xx abcdef yy", "abXdef", "abcdef", 1),
            ("xx abcdef yy", "abcdef", "abcdef", 0),
            ("The authority of", "the authority", "The authority", 0),
            ("short", "a much longer quotation", "short", 19),
        ];
        for (text, quotation, passage, distance) in cases {
            let hay: Vec<char> = text.chars().collect();
            let near = nearest(&hay, &Quotation::new(quotation)).unwrap();
            let found: String = hay[near.start..near.end].iter().collect();
            assert_eq!(
                (found.as_str(), near.distance),
                (passage, distance),
                "{quotation}"
            );
        }
        assert_eq!(nearest(&[], &Quotation::new("a")), None);
        assert_eq!(nearest(&['a'], &Quotation::new("")), None);
    }

    /// Sellers over the 135 KB Geneva text with a 150-character quotation; the
    /// bound is for release builds, debug ones only show it completes.
    #[test]
    fn nearest_passage_is_fast_enough() {
        let q = Quotation::new(&"the protected persons who find themselves in occupied territory shall be entitled to the protection of the Convention in all circumstances whatsoever xyz"[..150]);
        let mut hay = Normalised::new(GC4).chars;
        if cfg!(debug_assertions) {
            // Unoptimised, the full text takes seconds; a part shows it works.
            hay.truncate(20_000);
        }
        let t0 = std::time::Instant::now();
        let near = nearest(&hay, &q).unwrap();
        let took = t0.elapsed();
        assert!(near.end > near.start, "{near:?}");
        eprintln!("sellers took {took:?}");
        if !cfg!(debug_assertions) {
            assert!(took.as_millis() < 500, "{took:?}");
        }
    }
}
