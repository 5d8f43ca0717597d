//! Word k-shingles.
//!
//! A shingle is `k` consecutive normalized words, hashed by combining their token hashes
//! ([`hash::shingle_hash`], rolled along the text by [`hash::shingle_hashes`]). A document shorter than `k` words has one shingle of all its words,
//! so that short texts can still be compared; an empty document has none.

use crate::hash;
use crate::normalize::{self, Word};

/// A text's words and shingles, as verification and alignment of a candidate pair use them:
/// computed once per document of the pair, not once per use.
#[derive(Clone, Debug, Default)]
pub struct Shingled {
    /// The words, with their spans in the original text.
    pub words: Vec<Word>,
    /// Shingle hashes in text order ([`positional`]).
    pub positional: Vec<u64>,
    /// Where each distinct shingle occurs.
    pub occurrences: Occurrences,
    /// Words per shingle: `k`, or fewer for a text shorter than `k` words.
    pub k: usize,
}

impl Shingled {
    /// The words and `k`-shingles of `text`.
    pub fn new(text: &str, k: usize) -> Shingled {
        let words = normalize::words(text);
        let positional = positional(&words, k);
        Shingled {
            k: k.min(words.len()),
            occurrences: Occurrences::new(&positional),
            words,
            positional,
        }
    }
}

/// Marks a free slot of [`Occurrences`] and the end of a chain.
const NONE: u32 = u32::MAX;

/// The distinct shingles of a text, each with its first position, and for every position the
/// next one with the same shingle: the set that verification intersects and the index the
/// aligner looks shingles up in, built in one pass without sorting. Sorting each candidate's
/// shingles into a set, then hashing them again for the aligner, was a twentieth of a
/// near-duplicate scan.
#[derive(Clone, Debug, Default)]
pub struct Occurrences {
    /// Open addressing, at most half full: `(shingle, first position)`, position [`NONE`] when
    /// free.
    slots: Vec<(u64, u32)>,
    /// For each position, the next position of the same shingle, or [`NONE`].
    next: Vec<u32>,
    /// The distinct shingles, as a walk from the end of the text meets them: walked to intersect
    /// two sets without stepping over free slots (a coin toss the branch predictor loses).
    distinct: Vec<u64>,
    /// A shingle's home slot is the top `64 - shift` bits of its product with `key`
    /// ([`slot_key`]).
    key: u64,
    shift: u32,
}

/// Multiplier choosing slots: odd, and drawn once per process, so that no text can be written
/// whose shingles all want one slot (shingle hashes are public functions of the text). Which
/// slot holds what never reaches the output.
fn slot_key() -> u64 {
    static KEY: std::sync::OnceLock<u64> = std::sync::OnceLock::new();
    *KEY.get_or_init(|| {
        use std::hash::BuildHasher;
        std::collections::hash_map::RandomState::new().hash_one(0u64) | 1
    })
}

impl Occurrences {
    /// The occurrences of the shingles `positional` (in text order).
    pub fn new(positional: &[u64]) -> Occurrences {
        let len = (2 * positional.len()).next_power_of_two().max(2);
        let mut occ = Occurrences {
            slots: vec![(0, NONE); len],
            next: vec![NONE; positional.len()],
            distinct: Vec::with_capacity(positional.len()),
            key: slot_key(),
            shift: 64 - len.trailing_zeros(),
        };
        // Backwards, so that a slot ends holding the first position and chains run forwards.
        for (j, &h) in positional.iter().enumerate().rev() {
            let i = occ.probe(h);
            let slot = &mut occ.slots[i];
            if slot.1 == NONE {
                occ.distinct.push(h);
            } else {
                occ.next[j] = slot.1;
            }
            *slot = (h, j as u32);
        }
        occ
    }

    /// The slot holding `h`, or the free slot where it would go.
    #[inline]
    fn probe(&self, h: u64) -> usize {
        let mask = self.slots.len() - 1;
        let mut i = (h.wrapping_mul(self.key) >> self.shift) as usize;
        loop {
            let (key, pos) = self.slots[i];
            if pos == NONE || key == h {
                return i;
            }
            i = (i + 1) & mask;
        }
    }

    /// The first position of shingle `h`.
    #[inline]
    pub fn first(&self, h: u64) -> Option<usize> {
        match self.slots[self.probe(h)].1 {
            NONE => None,
            pos => Some(pos as usize),
        }
    }

    /// The position after `j` with the same shingle.
    #[inline]
    pub fn next(&self, j: usize) -> Option<usize> {
        match self.next[j] {
            NONE => None,
            pos => Some(pos as usize),
        }
    }

    /// Number of distinct shingles.
    pub fn len(&self) -> usize {
        self.distinct.len()
    }

#[cfg(feature = "internals")]
    /// Whether there are no shingles.
    pub fn is_empty(&self) -> bool {
        self.distinct.is_empty()
    }

    /// Shingles held by both.
    pub fn shared(&self, other: &Occurrences) -> usize {
        let (small, large) = if self.len() <= other.len() {
            (self, other)
        } else {
            (other, self)
        };
        small
            .distinct
            .iter()
            .map(|&h| usize::from(large.first(h).is_some()))
            .sum()
    }
}

/// Shingle hashes in text order: entry `i` covers words `i..i + k`.
pub fn positional(words: &[Word], k: usize) -> Vec<u64> {
    if words.is_empty() {
        return Vec::new();
    }
    let tokens: Vec<u64> = words.iter().map(|w| w.hash).collect();
    let mut out = Vec::new();
    hash::shingle_hashes(&tokens, k.min(words.len()), &mut out);
    out
}

/// The distinct shingle hashes, sorted.
pub fn set(mut positional: Vec<u64>) -> Vec<u64> {
    positional.sort_unstable();
    positional.dedup();
    positional
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalize::words;

    #[test]
    fn counts() {
        assert!(positional(&words(""), 5).is_empty());
        assert_eq!(positional(&words("a b"), 5).len(), 1);
        assert_eq!(positional(&words("a b c d e"), 5).len(), 1);
        assert_eq!(positional(&words("a b c d e f g"), 5).len(), 3);
    }

    proptest::proptest! {
        /// Against a map from each shingle to its positions: the same first positions, chains
        /// and distinct counts, and the same shared count as sorted sets give.
        #[test]
        fn occurrences_match_a_map_of_positions(
            a in proptest::collection::vec(0u64..40, 0..120),
            b in proptest::collection::vec(0u64..40, 0..120),
        ) {
            let mut positions: std::collections::BTreeMap<u64, Vec<usize>> = Default::default();
            for (j, &h) in a.iter().enumerate() {
                positions.entry(h).or_default().push(j);
            }
            let occ = Occurrences::new(&a);
            proptest::prop_assert_eq!(occ.len(), positions.len());
            for h in 0..45 {
                let mut chain = Vec::new();
                let mut at = occ.first(h);
                while let Some(j) = at {
                    chain.push(j);
                    at = occ.next(j);
                }
                proptest::prop_assert_eq!(chain, positions.get(&h).cloned().unwrap_or_default());
            }
            let (sa, sb) = (set(a.clone()), set(b.clone()));
            let shared = sa.iter().filter(|h| sb.binary_search(h).is_ok()).count();
            proptest::prop_assert_eq!(occ.shared(&Occurrences::new(&b)), shared);
            proptest::prop_assert_eq!(Occurrences::new(&b).shared(&occ), shared);
        }
    }

    #[test]
    fn same_words_same_shingles_whatever_the_styling() {
        let a = positional(&words("The “quick” brown fox—jumps!"), 3);
        let b = positional(&words("the \"QUICK\" brown fox - jumps"), 3);
        assert_eq!(a, b);
        assert_eq!(set(vec![3, 1, 3, 2]), vec![1, 2, 3]);
    }
}
