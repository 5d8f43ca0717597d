//! Per-document features: a pure function of the text and the parameters.
//!
//! [`Features`] holds what the later stages need and nothing that can be recomputed cheaply.
//! Word positions are not kept (the aligner recomputes them for the few pairs it reports), and
//! neither is the shingle set: the document is signed (MinHash) as soon as its shingles are
//! known, and verification recomputes the sets of the candidate pairs only. Memory per document
//! is then its LSH band keys (8 bytes a band), its passage fingerprints and a few counters,
//! instead of 8 bytes a shingle; brute force (`--all-pairs`), which compares every pair, keeps
//! the sets.

pub mod background;
pub mod boilerplate;
pub mod salient;
pub mod shingle;
pub mod shingle_bits;
pub mod winnow;

use crate::normalize;
use crate::params::Params;
use crate::relation::Relation;
use crate::sketch::MinHasher;

/// What the comparison stages know about one document.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Features {
    /// Hash of the whole normalized text (decides `duplicate`; 0 when the scan does not look
    /// for duplicates).
    pub text_hash: u64,
    /// Number of words.
    pub words: u32,
    /// LSH band keys of the shingle set's MinHash signature ([`crate::sketch::band_keys`];
    /// empty for an empty document, or when the scan does not look for near-duplicates).
    pub bands: Vec<u64>,
    /// Distinct shingle hashes, sorted; kept only for brute force (see [`Features::kept_shingles`]).
    shingles: Vec<u64>,
    /// Winnowed passage fingerprints, sorted and distinct (empty unless the scan looks for
    /// overlaps).
    pub fingerprints: Vec<u64>,
    /// Where each fingerprint is first picked ([`winnow::positioned`]), in words from the start
    /// of the text (furniture left out), in the order of `fingerprints`.
    pub fingerprint_at: Vec<u32>,
    /// Salient terms, sorted by key (empty unless the scan looks for rewrites).
    pub salient: Vec<salient::Term>,
    /// Distinct keys of the sentences ([`boilerplate::unit_keys`]; empty unless the scan looks
    /// for overlaps or rewrites): what tells page furniture. Let go once it is found.
    pub sentences: Vec<u64>,
    /// The passage keys an index stores ([`index_fingerprints`]), when extracted for an index
    /// ([`Features::extract_for_index`]): found from the same words, not by reading the text
    /// again.
    pub index_passages: Option<Vec<u64>>,
}

#[cfg(feature = "internals")]
/// The distinct shingle hashes of `text`, sorted: Jaccard and containment are a linear merge.
///
/// ```
/// let set = neardup::features::shingle_set("one two three four five six", 5);
/// assert_eq!(set.len(), 2);
/// assert!(set.windows(2).all(|w| w[0] < w[1]));
/// ```
pub fn shingle_set(text: &str, k: usize) -> Vec<u64> {
    shingle::set(shingle::positional(&normalize::words(text), k))
}

/// The passage keys an index stores and looks documents up by: `text`'s fingerprints winnowed
/// with the whole window ([`Params::winnow_window`]), one of which any shared run of
/// `min_overlap` words holds. Each is one of a scan's fingerprints too (every whole window is
/// two half windows, and its minimum theirs), which the scan of a check compares at their
/// offsets.
pub fn index_fingerprints(text: &str, params: &Params) -> Vec<u64> {
    let positional = shingle::positional(&normalize::words(text), params.shingle);
    winnow::fingerprints(&positional, params.winnow_window)
}

impl Features {
    /// Extracts the features of `text`.
    pub fn extract(text: &str, params: &Params) -> Features {
        Features::extract_with(text, params, &MinHasher::new(params.perm, params.seed))
    }

    /// [`Features::extract`] with the sketch built once by the caller.
    pub fn extract_with(text: &str, params: &Params, hasher: &MinHasher) -> Features {
        Features::extracted(text, params, hasher, false)
    }

    /// [`Features::extract_with`] and the passage keys an index stores ([`index_fingerprints`]).
    pub fn extract_for_index(text: &str, params: &Params, hasher: &MinHasher) -> Features {
        Features::extracted(text, params, hasher, true)
    }

    fn extracted(text: &str, params: &Params, hasher: &MinHasher, for_index: bool) -> Features {
        let words = normalize::words(text);
        let positional = shingle::positional(&words, params.shingle);
        let index_passages =
            for_index.then(|| winnow::fingerprints(&positional, params.winnow_window));
        let (fingerprints, fingerprint_at) = if params.wants(Relation::Overlap) {
            winnow::positioned(&positional, params.fingerprint_window())
        } else {
            Default::default()
        };
        // Signed from the shingles in text order: the sketch ignores repeats, so the sorted
        // set is built only when brute force keeps it.
        let bands = if positional.is_empty() || !params.wants(Relation::NearDuplicate) {
            Vec::new()
        } else {
            crate::sketch::band_keys(&hasher.sign(&positional), &params.lsh)
        };
        Features {
            // A twentieth of a near-duplicate scan's extraction: not done unless asked for.
            text_hash: if params.wants(Relation::Duplicate) {
                normalize::text_hash(text)
            } else {
                0
            },
            words: words.len() as u32,
            bands,
            shingles: if params.all_pairs {
                shingle::set(positional)
            } else {
                Vec::new()
            },
            fingerprints,
            fingerprint_at,
            salient: if params.wants(Relation::Rewrite) {
                salient::terms_of_words(text, &words)
            } else {
                Vec::new()
            },
            sentences: if params.wants(Relation::Overlap) || params.wants(Relation::Rewrite) {
                boilerplate::unit_keys(text, &words)
            } else {
                Vec::new()
            },
            index_passages,
        }
    }

    /// The sorted shingle set, when kept (under `--all-pairs`, which compares every pair).
    pub fn kept_shingles(&self) -> Option<&[u64]> {
        (!self.shingles.is_empty()).then_some(self.shingles.as_slice())
    }

    /// Whether the document has any words to compare.
    pub fn is_empty(&self) -> bool {
        self.words == 0
    }
}

#[cfg(test)]
mod tests {

    /// Extracted for an index, the features are the scan's, with the passage keys an index
    /// finds from the text alone.
    #[test]
    fn index_extraction_adds_the_index_passage_keys() {
        use crate::features::{Features, index_fingerprints};
        let p = crate::Params::default();
        let hasher = crate::sketch::MinHasher::new(p.perm, p.seed);
        let text = "The council met on Tuesday. It agreed the budget for next year, and the \
                    mayor said the vote of 7 to 2 ended a long fight over the city's parks.";
        let indexed = Features::extract_for_index(text, &p, &hasher);
        assert_eq!(indexed.index_passages.as_deref(), Some(&index_fingerprints(text, &p)[..]));
        assert!(!indexed.index_passages.as_ref().unwrap().is_empty());
        let scanned = Features::extract_with(text, &p, &hasher);
        assert_eq!(scanned.index_passages, None);
        assert_eq!(Features { index_passages: None, ..indexed }, scanned);
    }

    #[test]
    fn extract_counts_words_and_bands() {
        let p = crate::Params::default();
        let f = crate::features::Features::extract("one two three four five six", &p);
        assert_eq!((f.words, f.bands.len()), (6, p.lsh.bands));
    }
}
