//! Candidate pairs: which documents are worth comparing exactly.
//!
//! Three sources, all returning sorted, distinct `(a, b)` pairs with `a < b`:
//! - [`lsh`]: documents whose MinHash signatures agree on a whole band (near-duplicates);
//!   the bands are hashed into keys by [`crate::sketch::band_keys`] when a document is signed;
//! - [`shared_keys`]: documents sharing winnowed passage fingerprints (overlap) or heavy
//!   salient terms (rewrites);
//! - [`co_held`]: documents holding one pair of heavy salient terms (rewrites), linked through
//!   the first holders where many hold it;
//! - [`all_pairs`]: every pair, for exact brute force on small sets.
//!
//! Grouping is done by sorting flat `(key, doc)` arrays rather than filling a hash map of
//! vectors: less memory, no per-bucket allocation, and an order that does not depend on a
//! hasher's seed.

use rayon::prelude::*;

use crate::document::DocId;

/// A pair of documents to compare, `a < b`.
pub type CandidatePair = (DocId, DocId);

/// Pairs that share at least one LSH band key. `docs[i]` is the document whose band keys
/// ([`crate::sketch::band_keys`]) are `keys[i]`.
///
/// Each band's entries are single `u64`s, the key's high bits above the document's position,
/// sorted: half the bytes of a `(key, document)` pair and a faster sort. The key bits dropped
/// can only make two different keys collide, which adds a candidate that verification then
/// rejects: at 100k documents 47 key bits are left, and n² / 2 pairs among 2^47 values give
/// about one such candidate in a thousand scans (at 21 to 42 bands).
pub fn lsh(keys: &[&[u64]], docs: &[DocId]) -> Vec<CandidatePair> {
    let bands = keys.iter().map(|k| k.len()).max().unwrap_or(0);
    let position_bits = usize::BITS - docs.len().leading_zeros();
    let position_mask = (1u64 << position_bits) - 1;
    let groups: Vec<Vec<CandidatePair>> = (0..bands)
        .into_par_iter()
        .map(|band| {
            let mut keyed: Vec<u64> = keys
                .iter()
                .enumerate()
                .filter_map(|(i, k)| k.get(band).map(|&key| key & !position_mask | i as u64))
                .collect();
            keyed.sort_unstable();
            let mut pairs = Vec::new();
            for group in keyed.chunk_by(|x, y| (x ^ y) & !position_mask == 0) {
                for (i, &a) in group.iter().enumerate() {
                    let a = docs[(a & position_mask) as usize];
                    for &b in &group[i + 1..] {
                        let b = docs[(b & position_mask) as usize];
                        pairs.push((a.min(b), a.max(b)));
                    }
                }
            }
            pairs
        })
        .collect();
    merge(groups)
}

/// Documents whose partners one task counts, at least: each task zeroes a table of an entry
/// per document.
const COUNTED_DOCS_PER_TASK: usize = 4096;

/// Pairs that share at least `min_shared` keys (salient-term sketches), or one key at most
/// `alone` documents hold; and how many keys were ignored because more than `max_df`
/// documents hold them. `keys[i]` are the distinct keys of `docs[i]`, and `docs` is sorted.
///
/// Each document counts its partners through its own postings, in parallel, so memory holds
/// the postings and the pairs kept, never every pair emitted.
pub fn shared_keys(
    keys: &[&[u64]],
    docs: &[DocId],
    max_df: usize,
    min_shared: usize,
    alone: usize,
) -> (Vec<CandidatePair>, u64) {
    // Shared keys are counted in a byte, saturating.
    assert!(
        min_shared <= usize::from(u8::MAX),
        "min_shared {min_shared} > 255"
    );
    let enough = min_shared as u8;
    let shared = Shared::new(keys, None, max_df);
    let pairs = shared.partners(
        docs,
        0u8,
        |count, _, holders, _| {
            *count = count.saturating_add(if holders <= alone { enough } else { 1 });
        },
        |count| count >= enough,
    );
    (pairs, shared.skipped)
}

/// Pairs that share a passage, by its winnowed fingerprints: two held at the same distance
/// apart in both documents, give or take `drift` words, or one where either document holds no
/// other fingerprint (a text shorter than two windows) or `single` says one is enough; and how
/// many fingerprints were ignored because more than `max_df` documents hold them (boilerplate
/// such as bylines and legal notices). `keys[i]` are the distinct fingerprints of `docs[i]` and
/// `at[i]` where each is ([`crate::features::winnow::positioned`]); `docs` is sorted.
///
/// Where long runs of words recur by chance (stock phrases), two unrelated documents often
/// share fingerprints, but at unrelated places: a passage one copied from the other holds its
/// fingerprints at one offset in both. Two such fingerprints are consecutive among those the
/// pair shares, in the first document's order; a few words inserted or deleted between them
/// move the offset by as many.
pub fn shared_passages(
    keys: &[&[u64]],
    at: &[&[u32]],
    docs: &[DocId],
    max_df: usize,
    drift: u32,
    single: bool,
) -> (Vec<CandidatePair>, u64) {
    let shared = Shared::new(keys, Some(at), max_df);
    // A partner's state: the offset of the last fingerprint met, or `ENOUGH`.
    const ENOUGH: i64 = i64::MAX;
    const UNMET: i64 = i64::MIN;
    let pairs = shared.partners(
        docs,
        UNMET,
        |last, (i, j), _, offset| {
            if *last == ENOUGH {
                return;
            }
            let close = *last != UNMET && last.abs_diff(offset) <= u64::from(drift);
            let short = keys[i].len() < 2 || keys[j].len() < 2;
            *last = if close || short || single {
                ENOUGH
            } else {
                offset
            };
        },
        |last| last == ENOUGH,
    );
    (pairs, shared.skipped)
}

/// The keys two to `max_df` documents hold, each with its holders, and each document's such
/// keys, in the order of where the document holds them when positions are given.
struct Shared {
    postings: Vec<Posting>,
    /// Ranges of `postings`, one per key held by 2..=max_df documents.
    groups: Vec<std::ops::Range<usize>>,
    /// Each document's groups (the document's own position of the key, the index into
    /// `groups`, and the document's rank in the group), `start[i]..start[i + 1]`.
    doc_groups: Vec<(u32, u32, u32)>,
    start: Vec<usize>,
    /// Keys more than `max_df` documents hold.
    skipped: u64,
}

impl Shared {
    fn new(keys: &[&[u64]], at: Option<&[&[u32]]>, max_df: usize) -> Shared {
        let postings = postings(keys, at);
        // Only keys that two documents or more hold, and no more than `max_df`, propose pairs:
        // most passage fingerprints are a single document's, and leaving them out here keeps
        // the serial transposition below to the shared ones.
        let mut skipped = 0u64;
        let mut groups = Vec::new();
        let mut from = 0;
        for group in postings.chunk_by(|x, y| x.0 == y.0) {
            skipped += u64::from(group.len() > max_df);
            if (2..=max_df).contains(&group.len()) {
                groups.push(from..from + group.len());
            }
            from += group.len();
        }
        // Each document's groups, found by transposing the groups once rather than by looking
        // each of its keys up among all the keys (a cache miss per step of a binary search).
        let mut start = vec![0usize; keys.len() + 1];
        for range in &groups {
            for p in &postings[range.clone()] {
                start[p.1 as usize + 1] += 1;
            }
        }
        for i in 0..keys.len() {
            start[i + 1] += start[i];
        }
        let mut next = start.clone();
        let mut doc_groups = vec![(0u32, 0u32, 0u32); start[keys.len()]];
        for (g, range) in groups.iter().enumerate() {
            for (rank, p) in postings[range.clone()].iter().enumerate() {
                doc_groups[next[p.1 as usize]] = (p.2, g as u32, rank as u32);
                next[p.1 as usize] += 1;
            }
        }
        if at.is_some() {
            for i in 0..keys.len() {
                doc_groups[start[i]..start[i + 1]].sort_unstable();
            }
        }
        Shared {
            postings,
            groups,
            doc_groups,
            start,
            skipped,
        }
    }

    /// The pairs `(docs[i], docs[j])`, `i < j`, whose meetings leave a state that is
    /// `enough`. Each document meets its partners after it through its keys, in its
    /// `doc_groups` order; `meet` updates the partner's state (`fresh` before the first
    /// meeting, never again after it) from the pair's positions in `keys`, how many documents
    /// hold the key and the partner's position of the key subtracted from the document's own.
    fn partners<S: Copy + PartialEq + Send + Sync>(
        &self,
        docs: &[DocId],
        fresh: S,
        meet: impl Fn(&mut S, (usize, usize), usize, i64) + Send + Sync,
        enough: impl Fn(S) -> bool + Send + Sync,
    ) -> Vec<CandidatePair> {
        debug_assert!(docs.windows(2).all(|w| w[0] < w[1]));
        let n = self.start.len() - 1;
        // Partners are tracked in a table over all documents, one per worker, rather than
        // sorted: a document meets hundreds of partners through its keys and keeps a few.
        let per_doc: Vec<Vec<CandidatePair>> = (0..n)
            .into_par_iter()
            .with_min_len(COUNTED_DOCS_PER_TASK)
            .map_init(
                || (vec![fresh; n], Vec::new()),
                |(state, met), i| {
                    for &(own, g, rank) in &self.doc_groups[self.start[i]..self.start[i + 1]] {
                        let group = &self.postings[self.groups[g as usize].clone()];
                        // The group is sorted by document: partners after this one only, so
                        // each pair is met from its first document. Its rank, kept rather than
                        // searched for: a search of a large group for every member was a twelfth
                        // of a scan where stock phrases recur.
                        for &(_, j, theirs) in &group[rank as usize + 1..] {
                            let j = j as usize;
                            if state[j] == fresh {
                                met.push(j);
                            }
                            let offset = i64::from(own) - i64::from(theirs);
                            meet(&mut state[j], (i, j), group.len(), offset);
                        }
                    }
                    let mut kept: Vec<usize> = Vec::new();
                    for j in met.drain(..) {
                        if enough(std::mem::replace(&mut state[j], fresh)) {
                            kept.push(j);
                        }
                    }
                    kept.sort_unstable();
                    kept.into_iter().map(|j| (docs[i], docs[j])).collect()
                },
            )
            .collect();
        per_doc.into_iter().flatten().collect()
    }
}
/// Pairs of documents that hold one key: every pair of the holders of a key at most `max_df`
/// documents hold; of a key more hold, each holder with the first `links` holders (in `docs`
/// order). A story retold by hundreds of outlets is thus proposed as a star around its first
/// reports, at a cost linear in its size, where all its pairs would be quadratic. `keys[i]` are
/// the distinct keys of `docs[i]`, and `docs` is sorted.
///
/// Also returns, for each document, its keys another document holds too, with their holders.
pub fn co_held(keys: &[&[u64]], docs: &[DocId], max_df: usize, links: usize) -> CoHeld {
    debug_assert!(docs.windows(2).all(|w| w[0] < w[1]));
    let postings = postings(keys, None);
    let groups: Vec<&[Posting]> = postings
        .chunk_by(|x, y| x.0 == y.0)
        .filter(|g| g.len() > 1)
        .collect();
    let pairs: Vec<Vec<CandidatePair>> = groups
        .par_iter()
        .map(|group| {
            let firsts = if group.len() <= max_df {
                group.len()
            } else {
                links
            };
            let mut pairs = Vec::new();
            for (i, &(_, a, _)) in group.iter().enumerate().take(firsts) {
                let a = docs[a as usize];
                pairs.extend(group[i + 1..].iter().map(|&(_, b, _)| (a, docs[b as usize])));
            }
            pairs
        })
        .collect();
    // Each document looks its keys up, in parallel: the groups are in key order.
    let counts: Vec<(u64, u32)> = groups.iter().map(|g| (g[0].0, g.len() as u32)).collect();
    let held = keys
        .par_iter()
        .map(|ks| {
            ks.iter()
                .filter_map(|&k| counts.binary_search_by_key(&k, |c| c.0).ok())
                .map(|at| counts[at])
                .collect()
        })
        .collect();
    CoHeld {
        pairs: merge(pairs),
        held,
    }
}

/// A key, the position in `keys` of a document holding it, and where the document holds it.
type Posting = (u64, u32, u32);

/// The postings of every key of every document (`at` where each document holds its keys, else
/// 0), sorted. Postings name documents by position in `keys`, so that their order is the order
/// of `docs` and a position indexes the per-document arrays.
fn postings(keys: &[&[u64]], at: Option<&[&[u32]]>) -> Vec<Posting> {
    let mut postings: Vec<Posting> = keys
        .par_iter()
        .enumerate()
        .flat_map_iter(|(i, ks)| {
            let at = at.map(|at| at[i]);
            ks.iter()
                .enumerate()
                .map(move |(k, &key)| (key, i as u32, at.map_or(0, |at| at[k])))
        })
        .collect();
    postings.par_sort_unstable();
    postings
}

/// What [`co_held`] found.
pub struct CoHeld {
    /// The candidate pairs.
    pub pairs: Vec<CandidatePair>,
    /// For each document, its keys other documents hold too, with how many documents hold
    /// each, sorted by key.
    pub held: Vec<Vec<(u64, u32)>>,
}

/// Every pair of `docs`.
pub fn all_pairs(docs: &[DocId]) -> Vec<CandidatePair> {
    let mut pairs = Vec::with_capacity(docs.len() * docs.len().saturating_sub(1) / 2);
    for (i, &a) in docs.iter().enumerate() {
        for &b in &docs[i + 1..] {
            pairs.push((a.min(b), a.max(b)));
        }
    }
    merge(vec![pairs])
}

/// Concatenates, sorts and deduplicates pair lists.
pub fn merge(lists: Vec<Vec<CandidatePair>>) -> Vec<CandidatePair> {
    let mut all: Vec<CandidatePair> = lists.into_iter().flatten().collect();
    all.par_sort_unstable();
    all.dedup();
    all
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sketch::{Lsh, MinHasher, band_keys};

    fn ids(n: u32) -> Vec<DocId> {
        (0..n).map(DocId).collect()
    }

    #[test]
    fn co_held_pairs_few_holders_fully_and_many_through_their_first() {
        // Key 7: held by documents 0, 2 and 5; key 9: by all eight; key 4: by document 1 only.
        let keys: Vec<Vec<u64>> = (0..8u64)
            .map(|d| {
                let mut k = vec![9];
                k.extend([7].iter().filter(|_| [0, 2, 5].contains(&d)));
                k.extend([4].iter().filter(|_| d == 1));
                k.sort_unstable();
                k
            })
            .collect();
        let refs: Vec<&[u64]> = keys.iter().map(Vec::as_slice).collect();
        let docs: Vec<DocId> = (0..8).map(|i| DocId(i * 10)).collect();
        let found = co_held(&refs, &docs, 3, 2);
        let mut expected: Vec<CandidatePair> = vec![(0, 20), (0, 50), (20, 50)]
            .into_iter()
            .chain((1..8).map(|b| (0, b * 10)))
            .chain((2..8).map(|b| (10, b * 10)))
            .map(|(a, b)| (DocId(a), DocId(b)))
            .collect();
        expected.sort_unstable();
        expected.dedup();
        assert_eq!(found.pairs, expected);
        assert_eq!(found.held[0], [(7, 3), (9, 8)]);
        // A key no other document holds is not listed.
        assert_eq!(found.held[1], [(9, 8)]);
    }

    #[test]
    fn identical_signatures_are_candidates_and_unrelated_are_not() {
        let h = MinHasher::new(128, 1);
        let set = |r: std::ops::Range<u64>| -> Vec<u64> {
            r.map(|i| crate::hash::token_hash(&i.to_le_bytes()))
                .collect()
        };
        let sigs = [
            h.sign(&set(0..100)),
            h.sign(&set(1000..1100)),
            h.sign(&set(0..100)),
        ];
        let lsh_params = Lsh::for_threshold(0.8, 128);
        let keys: Vec<Vec<u64>> = sigs.iter().map(|s| band_keys(s, &lsh_params)).collect();
        assert!(keys.iter().all(|k| k.len() == lsh_params.bands));
        let keys: Vec<&[u64]> = keys.iter().map(Vec::as_slice).collect();
        let pairs = lsh(&keys, &ids(3));
        assert_eq!(pairs, vec![(DocId(0), DocId(2))]);
    }

    #[test]
    fn lsh_pairs_the_documents_behind_positions() {
        // Documents named out of position; band keys are hashes, equal in one band only, and
        // one is all ones (every bit the packing keeps set).
        let k = crate::hash::mix64;
        let docs = [DocId(5), DocId(9), DocId(12), DocId(40)];
        let keys: [&[u64]; 4] = [
            &[u64::MAX, k(1)],
            &[k(2), k(3)],
            &[u64::MAX, k(4)],
            &[k(7), k(3)],
        ];
        assert_eq!(
            lsh(&keys, &docs),
            vec![(DocId(5), DocId(12)), (DocId(9), DocId(40))]
        );
    }

    #[test]
    fn fingerprints_pair_sharers_and_skip_boilerplate() {
        let fps: Vec<&[u64]> = vec![&[1, 5], &[1, 6], &[5, 7], &[7], &[7]];
        let (pairs, skipped) = shared_keys(&fps, &ids(5), 2, 1, 0);
        assert_eq!(pairs, vec![(DocId(0), DocId(1)), (DocId(0), DocId(2))]);
        assert_eq!(skipped, 1);
        let fps: Vec<&[u64]> = vec![&[1, 2, 3], &[1, 2], &[3, 4]];
        let (pairs, _) = shared_keys(&fps, &ids(3), 10, 2, 0);
        assert_eq!(pairs, vec![(DocId(0), DocId(1))]);
        // Key 3, only documents 0 and 2 hold, is enough on its own.
        let (pairs, _) = shared_keys(&fps, &ids(3), 10, 2, 2);
        assert_eq!(pairs, vec![(DocId(0), DocId(1)), (DocId(0), DocId(2))]);
    }

    proptest::proptest! {
        /// Against counting every pair's shared keys: keys held by many documents, documents
        /// holding many keys, documents named out of position.
        #[test]
        fn shared_keys_counts_as_every_pair_would(
            sets in proptest::collection::vec(
                proptest::collection::btree_set(0u64..40, 0..30), 0..60),
            max_df in 1usize..12,
            min_shared in 1usize..4,
            alone in 0usize..4,
        ) {
            let keys: Vec<Vec<u64>> = sets.iter().map(|s| s.iter().copied().collect()).collect();
            let refs: Vec<&[u64]> = keys.iter().map(Vec::as_slice).collect();
            let docs: Vec<DocId> = (0..keys.len() as u32).map(|i| DocId(3 * i + 1)).collect();
            let holders = |k: u64| sets.iter().filter(|s| s.contains(&k)).count();
            let mut expected = Vec::new();
            for i in 0..sets.len() {
                for j in i + 1..sets.len() {
                    let shared: Vec<u64> = sets[i]
                        .intersection(&sets[j])
                        .copied()
                        .filter(|&k| holders(k) <= max_df)
                        .collect();
                    if shared.len() >= min_shared || shared.iter().any(|&k| holders(k) <= alone) {
                        expected.push((docs[i], docs[j]));
                    }
                }
            }
            let skipped = (0..40).filter(|&k| holders(k) > max_df).count() as u64;
            let found = shared_keys(&refs, &docs, max_df, min_shared, alone);
            proptest::prop_assert_eq!(found, (expected, skipped));
        }
    }

    #[test]
    fn a_passage_holds_its_fingerprints_at_one_offset() {
        // Keys 1 and 2: a passage at word 10 of document 0 and word 40 of document 1, at word 90
        // of document 2 with three words inserted; documents 0 and 3 share keys 1 and 2 at
        // unrelated places; document 4 holds key 1 and no other.
        let keys: [&[u64]; 5] = [&[1, 2, 3], &[1, 2, 9], &[1, 2], &[1, 2, 4], &[1]];
        let at: [&[u32]; 5] = [&[10, 22, 50], &[40, 52, 3], &[90, 105], &[60, 12, 30], &[0]];
        let (pairs, _) = shared_passages(&keys, &at, &ids(5), 10, 5, false);
        let expected = [(0, 1), (0, 2), (0, 4), (1, 2), (1, 4), (2, 4), (3, 4)];
        let expected: Vec<CandidatePair> = expected
            .iter()
            .map(|&(a, b)| (DocId(a), DocId(b)))
            .collect();
        assert_eq!(pairs, expected);
        // Where one fingerprint is a passage's guarantee, one is enough.
        let (pairs, _) = shared_passages(&keys, &at, &ids(5), 10, 5, true);
        assert_eq!(pairs.len(), 10);
    }

    proptest::proptest! {
        /// Against every pair's shared fingerprints, sorted by where the first document holds
        /// them: positions drawn at random, so offsets agree by chance as often as not.
        #[test]
        fn shared_passages_meets_as_every_pair_would(
            docs in proptest::collection::vec(
                proptest::collection::btree_map(0u64..30, 0u32..40, 0..12), 0..40),
            max_df in 2usize..10,
            drift in 0u32..3,
            single: bool,
        ) {
            // Positions distinct within a document, as first occurrences are.
            let docs: Vec<Vec<(u64, u32)>> = docs
                .iter()
                .map(|d| d.iter().enumerate().map(|(k, (&key, &at))| (key, at * 16 + k as u32)).collect())
                .collect();
            let keys: Vec<Vec<u64>> = docs.iter().map(|d| d.iter().map(|f| f.0).collect()).collect();
            let at: Vec<Vec<u32>> = docs.iter().map(|d| d.iter().map(|f| f.1).collect()).collect();
            let holders = |k: u64| keys.iter().filter(|ks| ks.contains(&k)).count();
            let ids: Vec<DocId> = (0..docs.len() as u32).map(|i| DocId(2 * i + 3)).collect();
            let mut expected = Vec::new();
            for i in 0..docs.len() {
                for j in i + 1..docs.len() {
                    let mut met: Vec<(u32, i64)> = docs[i]
                        .iter()
                        .filter_map(|&(k, a)| {
                            let b = docs[j].iter().find(|f| f.0 == k)?.1;
                            (2..=max_df).contains(&holders(k)).then_some((a, i64::from(a) - i64::from(b)))
                        })
                        .collect();
                    met.sort_unstable();
                    let short = keys[i].len() < 2 || keys[j].len() < 2;
                    let close = met.windows(2).any(|w| w[0].1.abs_diff(w[1].1) <= u64::from(drift));
                    if !met.is_empty() && (single || short || close) {
                        expected.push((ids[i], ids[j]));
                    }
                }
            }
            let skipped = (0..30).filter(|&k| holders(k) > max_df).count() as u64;
            let key_refs: Vec<&[u64]> = keys.iter().map(Vec::as_slice).collect();
            let at_refs: Vec<&[u32]> = at.iter().map(Vec::as_slice).collect();
            let found = shared_passages(&key_refs, &at_refs, &ids, max_df, drift, single);
            proptest::prop_assert_eq!(found, (expected, skipped));
        }
    }

    #[test]
    fn all_pairs_is_n_choose_2() {
        assert_eq!(all_pairs(&ids(5)).len(), 10);
        assert!(all_pairs(&ids(1)).is_empty());
    }
}
