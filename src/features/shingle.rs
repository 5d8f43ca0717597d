//! Word k-shingles.
//!
//! A shingle is `k` consecutive normalized words, hashed by combining their token hashes
//! ([`hash::shingle_hash`]). A document shorter than `k` words has one shingle of all its words,
//! so that short texts can still be compared; an empty document has none.

use crate::hash;
use crate::normalize::Word;

/// Shingle hashes in text order: entry `i` covers words `i..i + k`.
pub fn positional(words: &[Word], k: usize) -> Vec<u64> {
    if words.is_empty() {
        return Vec::new();
    }
    let k = k.min(words.len());
    let tokens: Vec<u64> = words.iter().map(|w| w.hash).collect();
    tokens.windows(k).map(hash::shingle_hash).collect()
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

    #[test]
    fn same_words_same_shingles_whatever_the_styling() {
        let a = positional(&words("The “quick” brown fox—jumps!"), 3);
        let b = positional(&words("the \"QUICK\" brown fox - jumps"), 3);
        assert_eq!(a, b);
        assert_eq!(set(vec![3, 1, 3, 2]), vec![1, 2, 3]);
    }
}
