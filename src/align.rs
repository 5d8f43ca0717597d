//! Shared passages between two documents, as byte ranges into both originals.
//!
//! Input: the two texts. Output: [`Passage`]s sorted by their start in `a`, disjoint in `a`,
//! each at least `min_passage` words long, with offsets that fall on char boundaries (they are
//! word boundaries from Unicode segmentation).
//!
//! Method: index `b`'s positional shingles, walk `a`'s, and extend each hit along the diagonal
//! as far as the shingles keep agreeing (a maximal run). The walk resumes after the run, so
//! the cost is linear in the two lengths; a shingle repeated many times in `b` is followed
//! for at most [`MAX_CHAIN`] of its occurrences, which keeps degenerate texts ("the the the
//! ...") linear too. Runs are then merged across gaps of up to `passage_gap` words, which is
//! what a light edit (one word changed, inserted or removed) leaves between two runs.

use crate::features::shingle::{self, Occurrences, Shingled};
use crate::normalize::Word;
use crate::params::Params;

/// Occurrences of one shingle in `b` that are tried as the start of a run.
pub const MAX_CHAIN: usize = 16;

/// How a passage is shared.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum PassageKind {
    /// The same words in both texts (light edits merged in).
    Verbatim,
    /// Two sentences that carry the same facts in other words.
    Paraphrase,
}

/// A shared passage: half-open byte ranges into both original texts, and its length in words.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Passage {
    /// Byte range in `a`'s original text.
    pub a: [usize; 2],
    /// Byte range in `b`'s original text.
    pub b: [usize; 2],
    /// Words of `a` the passage spans (gaps included).
    pub words: usize,
    /// Verbatim or paraphrased.
    pub kind: PassageKind,
}

/// Half-open word ranges of a matched run in both documents.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Run {
    a: (usize, usize),
    b: (usize, usize),
}

#[cfg(any(test, feature = "internals"))]
/// The shared passages of two texts.
///
/// ```
/// let p = neardup::Params::default();
/// let shared = "one two three four five six seven eight nine ten eleven twelve";
/// let a = format!("alpha beta gamma {shared} delta");
/// let b = format!("{shared} epsilon");
/// let got = neardup::align::passages(&a, &b, &p);
/// assert_eq!(got.len(), 1);
/// assert_eq!(&a[got[0].a[0]..got[0].a[1]], shared);
/// ```
pub fn passages(a: &str, b: &str, params: &Params) -> Vec<Passage> {
    let wa = crate::normalize::words(a);
    let wb = crate::normalize::words(b);
    passages_of_words(&wa, &wb, params)
}

/// [`passages`] for texts already split into words.
pub fn passages_of_words(wa: &[Word], wb: &[Word], params: &Params) -> Vec<Passage> {
    let k = params.shingle.min(wa.len()).min(wb.len());
    if k == 0 {
        return Vec::new();
    }
    let sa = shingle::positional(wa, k);
    let sb = shingle::positional(wb, k);
    passages_of_shingles((wa, &sa), (wb, &sb, &Occurrences::new(&sb)), k, params)
}

/// [`passages`] for texts already shingled; their shingles are reused when both have the
/// pair's shingle size (both at least `k` words long).
pub fn passages_of_shingled(a: &Shingled, b: &Shingled, params: &Params) -> Vec<Passage> {
    let k = params.shingle.min(a.words.len()).min(b.words.len());
    if k == 0 {
        return Vec::new();
    }
    if a.k == k && b.k == k {
        passages_of_shingles(
            (&a.words, &a.positional),
            (&b.words, &b.positional, &b.occurrences),
            k,
            params,
        )
    } else {
        passages_of_words(&a.words, &b.words, params)
    }
}

/// The passages from each text's words and positional `k`-shingles, and where `b`'s occur.
fn passages_of_shingles(
    (wa, sa): (&[Word], &[u64]),
    (wb, sb, occ_b): (&[Word], &[u64], &Occurrences),
    k: usize,
    params: &Params,
) -> Vec<Passage> {
    let runs = runs(sa, (sb, occ_b), k);
    merge(runs, params.passage_gap)
        .into_iter()
        .filter(|r| (r.a.1 - r.a.0).min(r.b.1 - r.b.0) >= params.min_passage)
        .map(|r| Passage {
            a: [wa[r.a.0].start as usize, wa[r.a.1 - 1].end as usize],
            b: [wb[r.b.0].start as usize, wb[r.b.1 - 1].end as usize],
            words: r.a.1 - r.a.0,
            kind: PassageKind::Verbatim,
        })
        .collect()
}

/// Maximal runs of equal shingles, as word ranges, in order of `a`.
fn runs(sa: &[u64], (sb, occ_b): (&[u64], &Occurrences), k: usize) -> Vec<Run> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < sa.len() {
        let mut best: Option<(usize, usize)> = None; // (length, j)
        let mut at = occ_b.first(sa[i]);
        let mut tried = 0;
        while let Some(j0) = at
            && tried < MAX_CHAIN
        {
            let len = sa[i..]
                .iter()
                .zip(&sb[j0..])
                .take_while(|(x, y)| x == y)
                .count();
            if best.is_none_or(|(l, _)| len > l) {
                best = Some((len, j0));
            }
            at = occ_b.next(j0);
            tried += 1;
        }
        match best {
            Some((len, j0)) => {
                out.push(Run {
                    a: (i, i + len + k - 1),
                    b: (j0, j0 + len + k - 1),
                });
                i += len;
            }
            None => i += 1,
        }
    }
    out
}

/// Makes runs disjoint in `a` and merges those separated by at most `gap` words in both texts.
fn merge(runs: Vec<Run>, gap: usize) -> Vec<Run> {
    let mut out: Vec<Run> = Vec::with_capacity(runs.len());
    for mut r in runs {
        if let Some(cur) = out.last_mut() {
            if r.a.0 < cur.a.1 {
                // Consecutive runs share up to k-1 words in `a`; give them to the earlier one.
                let d = cur.a.1 - r.a.0;
                if r.a.1 <= cur.a.1 || r.b.0 + d >= r.b.1 {
                    continue;
                }
                r.a.0 += d;
                r.b.0 += d;
            }
            let gap_a = r.a.0 - cur.a.1;
            // In `b` too the run must continue the passage, not start it over: in a text of
            // one repeated word every run matches `b` from its start, and merging them made one
            // "verbatim" passage twice as long in `a` as in `b`.
            let follows_in_b = r.b.0 + gap >= cur.b.1 && r.b.0 <= cur.b.1 + gap;
            if gap_a <= gap && follows_in_b {
                cur.a.1 = r.a.1;
                cur.b.1 = cur.b.1.max(r.b.1);
                continue;
            }
        }
        out.push(r);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn lorem(n: usize, seed: u64) -> String {
        let mut s = seed;
        (0..n)
            .map(|_| format!("w{}", crate::hash::splitmix64(&mut s) % 5000))
            .collect::<Vec<_>>()
            .join(" ")
    }

    #[test]
    fn embedded_passage_found_at_its_offsets() {
        let p = Params::default();
        let shared = lorem(60, 1);
        let a = format!("{} {shared} {}", lorem(200, 2), lorem(100, 3));
        let b = format!("{}\n\n{shared}\n{}", lorem(50, 4), lorem(300, 5));
        let got = passages(&a, &b, &p);
        assert_eq!(got.len(), 1, "{got:?}");
        assert_eq!(&a[got[0].a[0]..got[0].a[1]], shared);
        assert_eq!(&b[got[0].b[0]..got[0].b[1]], shared);
        assert_eq!(got[0].words, 60);
    }

    #[test]
    fn one_edited_word_does_not_split_the_passage() {
        let p = Params::default();
        let a = lorem(80, 9);
        let mut words: Vec<&str> = a.split(' ').collect();
        words[40] = "CHANGED";
        let b = words.join(" ");
        let got = passages(&a, &b, &p);
        assert_eq!(got.len(), 1, "{got:?}");
        assert_eq!(got[0].a, [0, a.len()]);
    }

    #[test]
    fn unrelated_texts_share_nothing() {
        assert!(passages(&lorem(300, 1), &lorem(300, 2), &Params::default()).is_empty());
        assert!(passages("", "a b c", &Params::default()).is_empty());
    }

    #[test]
    fn repetitive_text_stays_linear_and_disjoint() {
        let p = Params::default();
        let a = "the ".repeat(20_000);
        let got = passages(&a, &a, &p);
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].words, 20_000);
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        #[test]
        fn offsets_are_char_boundaries_inside_the_text(
            a in "[a-c é😀’ .]{0,300}",
            b in "[a-c é😀’ .]{0,300}",
        ) {
            let p = Params { min_passage: 1, ..Params::default() };
            let mut last_end = 0;
            for ps in passages(&a, &b, &p) {
                prop_assert!(ps.a[0] < ps.a[1] && ps.a[1] <= a.len());
                prop_assert!(ps.b[0] < ps.b[1] && ps.b[1] <= b.len());
                prop_assert!(a.is_char_boundary(ps.a[0]) && a.is_char_boundary(ps.a[1]));
                prop_assert!(b.is_char_boundary(ps.b[0]) && b.is_char_boundary(ps.b[1]));
                prop_assert!(ps.a[0] >= last_end, "passages overlap in a");
                last_end = ps.a[1];
            }
        }
    }
}
