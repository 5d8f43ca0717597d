//! Every setting that shapes a result, in one serialisable struct.
//!
//! [`Params`] is echoed verbatim as `"params"` in the JSON report and is what a later index
//! stores in its header. Derived settings (the LSH bands and rows) are computed by
//! [`Params::resolve`] and stored alongside, so a report says exactly what ran.

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::normalize;
use crate::relation::Relation;
pub use crate::sketch::Lsh;

/// Everything that shapes a scan's result.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Params {
    /// Words per shingle (`--shingle`).
    pub shingle: usize,
    /// Values per MinHash signature (`--perm`).
    pub perm: usize,
    /// Seed of the MinHash sketch (`--seed`).
    pub seed: u64,
    /// Jaccard similarity at or above which a pair is a near-duplicate (`--threshold`).
    pub threshold: f64,
    /// LSH banding derived from `threshold` and `perm`.
    pub lsh: Lsh,
    /// Words of shared passages that make a pair an `overlap` (`--min-overlap`).
    pub min_overlap: usize,
    /// Share of the smaller document found in the other that makes an `overlap`
    /// (`--containment`).
    pub containment: f64,
    /// Shortest shared run of words that counts as a passage; shorter runs are stock phrases.
    pub min_passage: usize,
    /// Passages separated by at most this many words are merged into one.
    pub passage_gap: usize,
    /// Winnowing window (in shingles) that guarantees every shared run of `min_overlap` words a
    /// shared fingerprint, derived from `min_overlap` and `shingle`: the window of the keys an
    /// index looks passages up by. A scan winnows with half of it
    /// ([`Params::fingerprint_window`]).
    pub winnow_window: usize,
    /// A passage fingerprint found in more documents than this is boilerplate and proposes no
    /// candidates (counted in `stats`).
    pub max_df: usize,
    /// Probability of telling the same story at or above which a pair is a rewrite
    /// (`--rewrite-probability`; see `crate::rewrite::decision`). Absent from the settings
    /// of indexes written before it replaced `rewrite_threshold` (a similarity, ignored now),
    /// which read as the default.
    #[serde(default = "default_rewrite_probability")]
    pub rewrite_probability: f64,
    /// Weighted salient-term similarity below which a pair is never a rewrite, and no decision
    /// is taken on it (`--rewrite-min-similarity`). Absent from older indexes' settings, as
    /// `rewrite_probability` is.
    #[serde(default = "default_rewrite_min_similarity")]
    pub rewrite_min_similarity: f64,
    /// Heaviest salient terms per document that propose rewrite candidates.
    pub salient_sketch: usize,
    /// Relations the scan looks for (`--relations`).
    pub relations: Vec<Relation>,
    /// Compare every pair exactly instead of using LSH and fingerprints (`--all-pairs`).
    pub all_pairs: bool,
    /// The normalization scheme.
    pub normalization: String,
    /// How inputs were read.
    pub input: ReadOptions,
}

/// The threshold of the rewrite decision: a probability of 0.4. For a calibrated classifier the
/// threshold that maximizes F1 is half the F1 it reaches (Lipton, Elkan and Naryanaswamy,
/// 2014), and the model reaches about 0.8.
fn default_rewrite_probability() -> f64 {
    0.4
}

/// The floor of the rewrite decision: a weighted salient-term similarity of 0.05. Measured on
/// the development halves of ECB+ and GVA (`docs/EVALUATION.md`), 0.04 and 0.05 decide as well
/// and 0.06 loses recall; 0.05 decides on fewer pairs, and keeps out independent texts on one
/// topic that share only its vocabulary.
fn default_rewrite_min_similarity() -> f64 {
    0.05
}

/// How documents are read.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReadOptions {
    /// JSONL field holding the document id (`--id-field`).
    pub id_field: String,
    /// JSONL field holding the document text (`--text-field`).
    pub text_field: String,
    /// Invalid UTF-8 is an error instead of a warning (`--strict`).
    pub strict: bool,
    /// Malformed JSONL records are skipped with a warning instead of failing (`--skip-invalid`).
    pub skip_invalid: bool,
    /// Plain JSONL files are read through read-only maps rather than copied (`--no-mmap`
    /// clears it); see [`crate::document::Text`]. Not a parameter of the result, so never
    /// recorded.
    #[serde(skip, default = "mapped")]
    pub mmap: bool,
}

fn mapped() -> bool {
    true
}

impl Default for ReadOptions {
    fn default() -> Self {
        ReadOptions {
            id_field: "id".into(),
            text_field: "text".into(),
            strict: false,
            skip_invalid: false,
            mmap: true,
        }
    }
}

impl Default for Params {
    fn default() -> Self {
        let mut p = Params {
            shingle: 5,
            perm: 128,
            seed: 1,
            threshold: 0.8,
            lsh: Lsh {
                bands: 0,
                rows: 0,
                expected_recall: 0.0,
            },
            min_overlap: 30,
            containment: 0.5,
            min_passage: 0,
            passage_gap: 0,
            winnow_window: 0,
            max_df: 500,
            rewrite_probability: default_rewrite_probability(),
            rewrite_min_similarity: default_rewrite_min_similarity(),
            salient_sketch: 48,
            relations: Relation::ALL.to_vec(),
            all_pairs: false,
            normalization: normalize::SCHEME.into(),
            input: ReadOptions::default(),
        };
        p.resolve().expect("defaults are valid");
        p
    }
}

impl Params {
    /// Checks the settings and computes the derived ones. Call after changing any field.
    pub fn resolve(&mut self) -> Result<()> {
        let bad = |m: String| Err(Error::Params(m));
        if !(1..=16).contains(&self.shingle) {
            return bad(format!("--shingle must be 1..=16, got {}", self.shingle));
        }
        if !(1..=1024).contains(&self.perm) {
            return bad(format!("--perm must be 1..=1024, got {}", self.perm));
        }
        if !(self.threshold > 0.0 && self.threshold <= 1.0) {
            return bad(format!(
                "--threshold must be in (0, 1], got {}",
                self.threshold
            ));
        }
        if !(self.containment > 0.0 && self.containment <= 1.0) {
            return bad(format!(
                "--containment must be in (0, 1], got {}",
                self.containment
            ));
        }
        if self.min_overlap < self.shingle {
            return bad(format!(
                "--min-overlap ({}) must be at least --shingle ({})",
                self.min_overlap, self.shingle
            ));
        }
        if !(self.rewrite_probability > 0.0 && self.rewrite_probability <= 1.0) {
            return bad(format!(
                "--rewrite-probability must be in (0, 1], got {}",
                self.rewrite_probability
            ));
        }
        if !(0.0..=1.0).contains(&self.rewrite_min_similarity) {
            return bad(format!(
                "--rewrite-min-similarity must be in [0, 1], got {}",
                self.rewrite_min_similarity
            ));
        }
        if self.salient_sketch == 0 {
            return bad("salient_sketch must be at least 1".into());
        }
        if self.max_df < 2 {
            return bad(format!("max_df must be at least 2, got {}", self.max_df));
        }
        if self.relations.is_empty() {
            return bad("--relations must name at least one relation".into());
        }
        self.relations.sort();
        self.relations.dedup();
        self.lsh = Lsh::for_threshold(self.threshold, self.perm);
        // A run of `min_overlap` words holds `min_overlap - shingle + 1` shingles; winnowing
        // with that window guarantees one shared fingerprint.
        self.winnow_window = self.min_overlap - self.shingle + 1;
        // Two shingles' worth of words: shorter shared runs are mostly stock phrases
        // ("at the end of the day"), and an edited word breaks a run into pieces of this size.
        self.min_passage = (2 * self.shingle).min(self.min_overlap);
        self.passage_gap = self.shingle;
        Ok(())
    }

    /// [`Params::resolve`] by value, for building params in one expression.
    pub fn resolved(mut self) -> Result<Params> {
        self.resolve()?;
        Ok(self)
    }

    /// The winnowing window of a scan's passage fingerprints: half of
    /// [`Params::winnow_window`], so that a run of `min_overlap` words holds two, at one offset
    /// in both documents, which is what proposes a pair (`candidates::shared_passages`).
    pub fn fingerprint_window(&self) -> usize {
        (self.winnow_window / 2).max(1)
    }

    /// Whether the scan looks for `relation`.
    pub fn wants(&self, relation: Relation) -> bool {
        self.relations.contains(&relation)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_values_name_the_flag() {
        let mut p = Params {
            shingle: 0,
            ..Params::default()
        };
        assert!(p.resolve().unwrap_err().to_string().contains("--shingle"));
        let mut p = Params {
            threshold: 1.5,
            ..Params::default()
        };
        assert!(p.resolve().unwrap_err().to_string().contains("--threshold"));
        let mut p = Params {
            min_overlap: 3,
            ..Params::default()
        };
        assert!(
            p.resolve()
                .unwrap_err()
                .to_string()
                .contains("--min-overlap")
        );
    }

    #[test]
    fn round_trips_through_json() {
        let p = Params::default();
        let back: Params = serde_json::from_str(&serde_json::to_string(&p).unwrap()).unwrap();
        assert_eq!(p, back);
    }
}
