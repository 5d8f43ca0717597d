//! Rewrites: two texts that tell the same story in other words.
//!
//! Input: each document's salient [`Term`]s and the batch's document frequencies. Output: a
//! weighted profile per document, a similarity between two profiles, a small sketch for
//! candidate generation, and for a reported pair the evidence and the sentence pairs that carry
//! the same facts.
//!
//! **Weights.** A term weighs `boost(kind) × rarity × batch × (1 + ln count)`:
//! - `rarity` is `-log10` of its frequency in ordinary English (the shipped background list),
//!   so "said" weighs 3, "Afghanistan" 4.8 and "Evstigneeva" 6.5;
//! - `batch` is `ln((R + 1) / (df - 1)) / ln(R + 1)`, with `df` counted among the compared
//!   documents and at least 2, and `R` the [`REFERENCE_BATCH`] or the batch's size if larger:
//!   an inverse document frequency over the documents *other than one of the pair*, so a term
//!   only two documents share keeps its full weight, and one that most documents hold counts
//!   for little. `R` does not follow the batch below a hundred thousand documents, so that a
//!   pair's similarity does not change when unrelated documents join the batch;
//! - entities, numbers and cited sources weigh [`SALIENT_BOOST`] times a word: they are what
//!   tells one event from another of the same kind.
//!
//! **Similarity** is the weighted Jaccard of the profiles, `Σ min / Σ max`, computed exactly:
//! by a merge of id-sorted vectors for one pair, and for the many candidates of one document
//! by testing their ids against its own in a bitmap ([`Probe`]).
//!
//! **Candidates.** Same-story pairs have a weighted Jaccard near 0.05-0.3, where banded
//! weighted MinHash degenerates (a band of one value, so almost every pair sharing any term
//! collides). The sketch is instead each document's [`crate::Params::salient_sketch`] heaviest terms;
//! pairs that share at least three of them, through postings no longer than a cap, are
//! candidates, and every candidate is scored exactly. The names of a story retold by
//! hundreds of outlets are each too common for the cap, but seldom held together by chance:
//! [`Sketch::pairs`] keys pairs (and triples) of a document's heaviest terms, and a key held by many
//! documents links each to its first holders ([`crate::candidates::co_held`]), so such a
//! story is found as one cluster at a cost linear in its size.

pub mod decision;
mod doc_freq;
mod explain;
mod probe;
mod profile;
mod similarity;

pub use doc_freq::DocFreq;
pub use probe::Probe;
pub use profile::{Profile, Sketch};
use profile::boost;
use profile::{PREFETCH_SLOTS, prefetch_lines};
use similarity::{jaccard, lighter};
pub use similarity::{shared_terms, similarity};

pub use explain::Evidence;
pub(crate) use explain::explain;

use crate::features::salient::{Kind, Term};

/// The smallest batch size on whose scale inverse document frequencies weigh terms: a term two
/// documents share keeps its full weight, one held by a hundred thousand weighs nothing, in
/// any batch up to that size. Scaled to the batch itself, a term's weight grew with the batch
/// (the same `df` is rarer among more documents), and so did the false pairs: adding ten times
/// as many unrelated documents to a batch must not change how two of its documents compare.
/// A larger batch is its own scale, so that no term of it weighs nothing but the commonest
/// (on a fixed scale, a batch of a million documents of plain prose would weigh most of its
/// words at zero, and two documents sharing one name would be mostly alike).
pub const REFERENCE_BATCH: f32 = 100_000.0;

/// How much more an entity, a number or a cited source weighs than an ordinary word.
pub const SALIENT_BOOST: f32 = 3.0;

/// Sketch terms held by more documents than this propose no candidates. Work grows with the
/// square of a posting list, so the cap bounds it at `N × sketch × cap / 2` pairs counted;
/// a story retold by more outlets than this is found through pairs of its terms
/// ([`Sketch::pairs`]) and the rarer terms its retellings share (quotations, figures, minor
/// names).
pub const MAX_SKETCH_DF: usize = 50;

/// What rewrite scoring knows about a batch: document frequencies and one profile per document
/// (empty for documents that are not compared).
#[derive(Clone, Debug, Default)]
pub struct Batch {
    /// Document frequencies over the compared documents.
    pub df: DocFreq,
    /// Profiles, indexed by document.
    pub profiles: Vec<Profile>,
}

impl Batch {
    /// Asks the processor to start loading where document `d`'s profile keeps its terms, a
    /// step before [`Profile::prefetch`] can ask for the terms themselves.
    #[inline]
    pub fn prefetch_profile(&self, d: usize) {
        if let Some(p) = self.profiles.get(d) {
            prefetch_lines(std::ptr::from_ref(p).cast(), 1);
        }
    }
}

/// A candidate pair as rewrite scoring saw it: its similarity, both profiles and the batch's
/// document frequencies, for the decision ([`decision`]) and the evidence.
#[derive(Clone, Copy, Debug)]
pub struct Scored<'b> {
    /// Weighted salient-term similarity of the pair.
    pub similarity: f64,
    /// The batch's document frequencies.
    pub df: &'b DocFreq,
    /// The first document's profile.
    pub a: &'b Profile,
    /// The second's.
    pub b: &'b Profile,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::features::salient;
    use proptest::prelude::*;
    use std::collections::BTreeMap;

    fn df_of(texts: &[&str]) -> (Vec<Vec<Term>>, DocFreq) {
        let terms: Vec<Vec<Term>> = texts.iter().map(|t| salient::terms(t)).collect();
        let refs: Vec<&[Term]> = terms.iter().map(Vec::as_slice).collect();
        let df = DocFreq::new(&refs);
        (terms, df)
    }

    /// Oracle: weighted Jaccard over maps.
    fn naive(a: &BTreeMap<u64, f32>, b: &BTreeMap<u64, f32>) -> f64 {
        let keys: std::collections::BTreeSet<&u64> = a.keys().chain(b.keys()).collect();
        let (mut num, mut den) = (0.0f64, 0.0f64);
        for k in keys {
            let (x, y) = (
                f64::from(*a.get(k).unwrap_or(&0.0)),
                f64::from(*b.get(k).unwrap_or(&0.0)),
            );
            num += x.min(y);
            den += x.max(y);
        }
        if den == 0.0 { 0.0 } else { num / den }
    }

    proptest! {
        #[test]
        fn similarity_is_exact_weighted_jaccard(
            a in prop::collection::btree_map(0u64..40, 0.01f32..10.0, 0..30),
            b in prop::collection::btree_map(0u64..40, 0.01f32..10.0, 0..30),
        ) {
            let profile = |m: &BTreeMap<u64, f32>| Profile {
                ids: m.keys().map(|&k| k as u32).collect(),
                weights: m.values().copied().collect(),
                total: m.values().sum(),
                ..Profile::default()
            };
            let got = similarity(&profile(&a), &profile(&b));
            prop_assert!((got - naive(&a, &b)).abs() < 1e-4, "{} vs {}", got, naive(&a, &b));
        }
    }

    proptest! {
        #[test]
        fn a_loaded_profile_scores_the_same_bits_as_the_merge(
            a in prop::collection::btree_map(0u32..300, 0.01f32..10.0, 0..90),
            others in prop::collection::vec(
                prop::collection::btree_map(0u32..300, 0.01f32..10.0, 0..90), 1..4),
            threshold in 0.0f64..0.5,
        ) {
            let profile = |m: &BTreeMap<u32, f32>| Profile {
                ids: m.keys().copied().collect(),
                weights: m.values().copied().collect(),
                total: m.values().sum::<f32>() + 1.0,
                ..Profile::default()
            };
            // Keys 0..300 all have slot 0 as their home: they take slots 0..300, ids = keys.
            let keys: Vec<(u64, u32)> = (0..300).map(|k| (k, 2)).collect();
            let df = DocFreq::from_sorted(2, [0; 5], &keys, &[]);
            let mut probe = Probe::new(&df);
            let a = profile(&a);
            // Loaded twice: unloading must leave nothing of the first load behind.
            for _ in 0..2 {
                let loaded = probe.load(&a);
                for b in &others {
                    let b = profile(b);
                    let s = similarity(&a, &b);
                    prop_assert_eq!(loaded.similarity(&b).to_bits(), s.to_bits());
                    // The bound never rejects a pair at or above the threshold.
                    let at_least = loaded.similarity_at_least(&b, threshold);
                    prop_assert_eq!(at_least.map(f64::to_bits), (s >= threshold).then_some(s.to_bits()));
                }
            }
            let empty = Profile::default();
            let loaded = probe.load(&empty);
            for b in &others {
                prop_assert_eq!(loaded.similarity(&profile(b)), 0.0);
            }
        }
    }

    proptest! {
        /// Every kept key is found with its count, at a slot that sorts as the key does, and
        /// no other key is found: keys crowding one home slot, or running past the last slot.
        #[test]
        fn doc_freq_finds_exactly_its_keys(
            spread in prop::collection::btree_map(any::<u64>(), 2u32..9, 0..200),
            low in prop::collection::btree_map(0u64..64, 2u32..9, 0..40),
            high in prop::collection::btree_map(u64::MAX - 64.., 2u32..9, 0..40),
            absent in prop::collection::vec(any::<u64>(), 0..50),
        ) {
            let mut all = spread;
            all.extend(low);
            all.extend(high);
            let counts: Vec<(u64, u32)> = all.iter().map(|(&k, &d)| (k, d)).collect();
            let df = DocFreq::from_sorted(1000, [0; 5], &counts, &[]);
            prop_assert!(df.slots.len() >= 2 * counts.len());
            let ids: Vec<u32> = counts.iter().map(|&(k, _)| df.find(k).0).collect();
            prop_assert!(ids.windows(2).all(|w| w[0] < w[1]), "{:?}", ids);
            for &(k, d) in &counts {
                prop_assert_eq!(df.df(k), d);
            }
            let probe_words = df.slots.len().div_ceil(64) as u32;
            prop_assert!(ids.iter().all(|&id| id / 64 < probe_words));
            for k in absent.into_iter().chain([0, 1, u64::MAX]) {
                prop_assert_eq!(df.df(k), all.get(&k).copied().unwrap_or(0));
            }
        }
    }

    #[test]
    fn batch_factor_keeps_pair_terms_and_discounts_ubiquitous_ones() {
        let small = DocFreq::default();
        assert_eq!(small.factor(1), 1.0);
        assert_eq!(small.factor(2), 1.0);
        assert!(small.factor(1000) < 0.45, "{}", small.factor(1000));
        assert_eq!(small.factor(200_000), 0.0);
        // A batch larger than the reference is its own scale.
        let large = DocFreq {
            n: 1_000_000,
            ..Default::default()
        };
        assert!(large.factor(200_000) > 0.0);
        assert_eq!(large.factor(1000), {
            let r = 1_000_001f32;
            (r / 999.0).ln() / r.ln()
        });
        // The factors kept in the slots are the formula's, and a term held by one document
        // (not kept) weighs as the formula says too.
        let formula = small;
        let dfs = [2, 3, 100, 4095, 4096, 4097, 5000];
        let counts: Vec<(u64, u32)> = dfs
            .iter()
            .map(|&d| (crate::hash::mix64(d.into()), d))
            .collect();
        let mut sorted = counts.clone();
        sorted.sort_unstable();
        let counted = DocFreq::from_sorted(5000, [0; 5], &sorted, &[]);
        for (key, d) in counts {
            // Opaque, or the compiler folds the logarithm with its own (correctly rounded) one.
            let d = std::hint::black_box(d);
            assert_eq!(counted.df(key), d);
            assert_eq!(counted.find(key).1.factor, formula.factor(d), "df {d}");
        }
        for d in [0, 1] {
            assert_eq!(
                doc_freq::ALONE.factor,
                formula.factor(std::hint::black_box(d))
            );
        }
        assert_eq!(counted.df(12345), 0);
    }

    #[test]
    fn same_story_outscores_same_topic() {
        let story = "Anna Evstigneeva told the UN Security Council that 23,000 fighters of the \
                     Islamic State Khorasan were active in Kunduz, according to Eurasia Review.";
        let retold = "According to Eurasia Review, Russian envoy Evstigneeva warned the Security \
                      Council about 23,000 Islamic State Khorasan fighters around Kunduz.";
        let other = "Ambassador Linda Thomas-Greenfield told the UN Security Council that 4,000 \
                     militants were active in Mosul, Reuters reported.";
        let (terms, df) = df_of(&[story, retold, other]);
        let p: Vec<Profile> = terms.iter().map(|t| Profile::new(t, &df)).collect();
        let same = similarity(&p[0], &p[1]);
        let topic = similarity(&p[0], &p[2]);
        assert!(same > 2.0 * topic, "same story {same}, same topic {topic}");

        let words = crate::normalize::words;
        let mentions = salient::mentions(story);
        let (ev, pairs) = explain((story, &mentions), (retold, &words(retold)), &df);
        assert!(
            ev.entities.iter().any(|e| e.contains("Evstigneeva")),
            "{ev:?}"
        );
        assert!(
            ev.entities.iter().any(|e| e == "Islamic State Khorasan"),
            "{ev:?}"
        );
        assert_eq!(ev.cited_sources, ["Eurasia Review"]);
        assert!(ev.numbers.iter().any(|n| n.starts_with("23,000")), "{ev:?}");
        assert_eq!(pairs.len(), 1);
        assert_eq!(pairs[0].a, [0, story.len()]);
    }

    #[test]
    fn terms_held_by_one_document_count_in_the_total_only() {
        let (terms, df) = df_of(&["Evstigneeva spoke in Kunduz.", "Evstigneeva again."]);
        let p = Profile::new(&terms[0], &df);
        let shared: Vec<&Term> = terms[0].iter().filter(|t| df.df(t.key()) > 1).collect();
        assert!(!shared.is_empty() && shared.len() < terms[0].len());
        assert_eq!(p.ids.len(), shared.len());
        let weight = |t: &Term| {
            df.unit_weight(t.key(), t.kind(), t.rarity()) * (1.0 + f32::from(t.count()).ln())
        };
        let all: f32 = terms[0].iter().map(weight).sum();
        assert!((p.total - all).abs() < 1e-4, "{} vs {all}", p.total);
        // The similarity is that of the full profiles, where the terms the table does not
        // hold (one document's) have ids of their own, after the shared ones.
        let full = |terms: &[Term], first_own: u32| {
            let mut own = first_own..;
            let mut weighed: Vec<(u32, f32)> = terms
                .iter()
                .map(|t| {
                    let (id, slot) = df.find(t.key());
                    let id = if slot.df > 0 { id } else { own.next().unwrap() };
                    (id, weight(t))
                })
                .collect();
            weighed.sort_unstable_by_key(|x| x.0);
            Profile {
                ids: weighed.iter().map(|x| x.0).collect(),
                weights: weighed.iter().map(|x| x.1).collect(),
                total: terms.iter().map(weight).sum(),
                ..Profile::default()
            }
        };
        let (a, b) = (Profile::new(&terms[0], &df), Profile::new(&terms[1], &df));
        assert_eq!(
            similarity(&a, &b),
            similarity(&full(&terms[0], 1000), &full(&terms[1], 2000))
        );
    }

    #[test]
    fn sketch_takes_heaviest_rare_terms() {
        let (terms, df) = df_of(&[
            "Evstigneeva spoke in Kunduz about stuff.",
            "Evstigneeva again.",
        ]);
        let (p, s) = Profile::with_sketch(&terms[0], &df, 2, 100);
        let s = s.heavy;
        assert_eq!(p, Profile::new(&terms[0], &df));
        assert_eq!(s.len(), 2);
        // Held for every document of a scan: no room beyond its k keys.
        assert_eq!(s.capacity(), 2);
        assert!(s.windows(2).all(|w| w[0] < w[1]));
        // A cap of one document drops the name both hold.
        let name = salient::terms("Evstigneeva")
            .iter()
            .find(|t| t.kind() == Kind::Entity)
            .unwrap()
            .key();
        assert!(s.contains(&name));
        assert!(!Profile::with_sketch(&terms[0], &df, 2, 1).1.heavy.contains(&name));
    }

    #[test]
    fn co_held_pairs_weigh_by_their_holders_when_chance_seldom_explains_them() {
        let sketch = Sketch {
            heavy: Vec::new(),
            pairs: vec![3, 5, 8],
            chance: vec![0.01, 0.5, 0.0],
        };
        // Key 5 is held by two documents, but chance would give it another holder half the
        // time: no evidence. Key 8, held by five, weighs a quarter.
        assert_eq!(sketch.co_held(&[(3, 2), (5, 2), (8, 5)]), [(3, 1.0), (8, 0.25)]);
        assert_eq!(sketch.co_held(&[]), []);
    }

    #[test]
    fn three_common_names_held_together_are_keyed_when_no_two_of_them_are() {
        // Two documents name all three; each name is held by 100 documents of `n`.
        let sketch_of = |n: usize| {
            let mut texts = vec!["The Zorvath met the Quellin and the Brimsk."; 2];
            for alone in [
                "Then the Zorvath spoke.",
                "Then the Quellin spoke.",
                "Then the Brimsk spoke.",
            ] {
                texts.extend(std::iter::repeat_n(alone, 98));
            }
            texts.resize(n, "Nothing here.");
            let (terms, df) = df_of(&texts);
            let s = [0, 1].map(|i| Profile::with_sketch(&terms[i], &df, 8, 50).1);
            assert_eq!(s[0].pairs, s[1].pairs);
            s[0].pairs.clone()
        };
        // Each name is two terms held by the same documents, a name and a word: six terms.
        // Among 1,000, chance gives about 10 others each pair (99 x 99 / 1,000) and one each
        // triple: the 20 triples alone are keyed.
        assert_eq!(sketch_of(1_000).len(), 20);
        // Among 300, chance gives about 11 others each triple too: nothing is keyed.
        assert_eq!(sketch_of(300), Vec::<u64>::new());
        // Among 10,000, each pair is rare enough on its own: the 15 pairs, no triple.
        assert_eq!(sketch_of(10_000).len(), 15);
    }

}
