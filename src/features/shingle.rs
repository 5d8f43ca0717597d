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
    /// The distinct shingle hashes, sorted ([`set`]).
    pub set: Vec<u64>,
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
            set: set(positional.clone()),
            words,
            positional,
        }
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

    #[test]
    fn same_words_same_shingles_whatever_the_styling() {
        let a = positional(&words("The “quick” brown fox—jumps!"), 3);
        let b = positional(&words("the \"QUICK\" brown fox - jumps"), 3);
        assert_eq!(a, b);
        assert_eq!(set(vec![3, 1, 3, 2]), vec![1, 2, 3]);
    }
}
