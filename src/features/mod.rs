//! Per-document features: a pure function of the text and the parameters.
//!
//! [`Features`] holds what the later stages need and nothing that can be recomputed cheaply:
//! word positions are not kept (the aligner recomputes them for the few pairs it reports), so
//! memory per document is the shingle set, the fingerprints and a few counters.

pub mod background;
pub mod salient;
pub mod shingle;
pub mod winnow;

use crate::normalize;
use crate::params::Params;
use crate::verify::Relation;

/// What the comparison stages know about one document.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Features {
    /// Hash of the whole normalized text (decides `duplicate`).
    pub text_hash: u64,
    /// Number of words.
    pub words: u32,
    /// Distinct shingle hashes, sorted: Jaccard and containment are a linear merge.
    pub shingles: Vec<u64>,
    /// Winnowed passage fingerprints, sorted and distinct.
    pub fingerprints: Vec<u64>,
    /// Salient terms, sorted by key (empty unless the scan looks for rewrites).
    pub salient: Vec<salient::Term>,
}

impl Features {
    /// Extracts the features of `text`.
    ///
    /// ```
    /// let p = neardup::Params::default();
    /// let f = neardup::features::Features::extract("one two three four five six", &p);
    /// assert_eq!((f.words, f.shingles.len()), (6, 2));
    /// ```
    pub fn extract(text: &str, params: &Params) -> Features {
        let words = normalize::words(text);
        let positional = shingle::positional(&words, params.shingle);
        let fingerprints = winnow::fingerprints(&positional, params.winnow_window);
        Features {
            text_hash: normalize::text_hash(text),
            words: words.len() as u32,
            shingles: shingle::set(positional),
            fingerprints,
            salient: if params.wants(Relation::Rewrite) {
                salient::terms(text)
            } else {
                Vec::new()
            },
        }
    }

    /// Whether the document has any words to compare.
    pub fn is_empty(&self) -> bool {
        self.words == 0
    }
}
