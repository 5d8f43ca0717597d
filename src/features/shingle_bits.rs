//! Sixteen bits of each of a text's distinct shingles: an exact upper bound on how many shingles
//! two texts share, from a quarter of the memory of the sets and without reading either text.
//!
//! Verification compares a candidate pair's shingle sets exactly, and to do so must read and
//! shingle the second document of every pair again (features keep no sets). Where long runs
//! of words recur by chance, most passage candidates share a few stock phrases and nothing
//! more: rejected after that work. Two shingles with the same hash have the same top bits, so
//! counting the distinct shingles of one text whose top bits the other text holds counts every
//! shared shingle, and more only where two different shingles agree on 16 bits (about one in
//! 160 for a text of 400 shingles). A pair whose bound falls short of every threshold is
//! rejected as exactly as by its sets.

use crate::normalize;

use super::shingle;

/// The top 16 bits of each distinct shingle of a text: as many values as the text has distinct
/// shingles.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ShingleBits(Vec<u16>);

impl ShingleBits {
    /// The bits of the `k`-shingles of `text`, as [`shingle::Shingled::new`] finds them.
    pub fn of(text: &str, k: usize) -> ShingleBits {
        ShingleBits::of_shingles(shingle::positional(&normalize::words(text), k))
    }

    /// The bits of the shingles `positional` (in any order, repeats included).
    pub fn of_shingles(positional: Vec<u64>) -> ShingleBits {
        ShingleBits(
            shingle::set(positional)
                .into_iter()
                .map(|h| (h >> 48) as u16)
                .collect(),
        )
    }

    /// Number of distinct shingles.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether the text has no shingles.
    #[cfg(feature = "internals")]
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// Which 16-bit values one text's shingles have, a bit each (8 KB): a text compared with many,
/// as the first document of a group of candidate pairs is, is bounded against each by a lookup
/// per shingle of the other instead of a merge of both lists.
pub struct Present(Box<[u64; 1024]>);

impl Present {
    /// The values of `bits`.
    pub fn of(bits: &ShingleBits) -> Present {
        let mut present = Box::new([0u64; 1024]);
        for &v in &bits.0 {
            present[usize::from(v >> 6)] |= 1 << (v & 63);
        }
        Present(present)
    }

    /// At least as many as the shingles the text of `self` shares with that of `other`: every
    /// distinct shingle of `other` whose bits `self` has.
    pub fn shared_at_most(&self, other: &ShingleBits) -> usize {
        other
            .0
            .iter()
            .map(|&v| (self.0[usize::from(v >> 6)] >> (v & 63)) as usize & 1)
            .sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// Against the sets: the same sizes, and a bound that is never below the shingles
        /// shared nor above the other text's. Shingles drawn from a few values with the same top
        /// bits and from values that differ there, so that both collide and match.
        #[test]
        fn bounds_the_shared_shingles(
            a in proptest::collection::vec((0u64..4, 0u64..6), 0..60),
            b in proptest::collection::vec((0u64..4, 0u64..6), 0..60),
        ) {
            let hash = |&(top, low): &(u64, u64)| (top << 48) | low;
            let (a, b): (Vec<u64>, Vec<u64>) = (a.iter().map(hash).collect(), b.iter().map(hash).collect());
            let (sa, sb) = (shingle::set(a.clone()), shingle::set(b.clone()));
            let shared = sa.iter().filter(|h| sb.binary_search(h).is_ok()).count();
            let (ba, bb) = (ShingleBits::of_shingles(a), ShingleBits::of_shingles(b));
            proptest::prop_assert_eq!((ba.len(), bb.len()), (sa.len(), sb.len()));
            for (x, y) in [(&ba, &bb), (&bb, &ba)] {
                let bound = Present::of(x).shared_at_most(y);
                proptest::prop_assert!(bound >= shared && bound <= y.len());
            }
        }
    }

    #[test]
    fn a_text_shares_all_its_shingles_with_itself() {
        let text = "the quick brown fox jumps over the lazy dog and the quick brown fox";
        let bits = ShingleBits::of(text, 5);
        let sets = shingle::set(shingle::positional(&normalize::words(text), 5));
        assert_eq!(bits.len(), sets.len());
        assert_eq!(Present::of(&bits).shared_at_most(&bits), bits.len());
        assert_eq!(ShingleBits::of("", 5).len(), 0);
    }
}
