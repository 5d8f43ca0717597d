//! LSH and passage fingerprints against exact brute force, on a generated corpus of a few
//! thousand documents with planted copies, edits and spliced passages.
//!
//! Brute force (`all_pairs`) verifies every pair exactly, so it is the ground truth for what
//! the thresholds define. The fast path may only lose pairs (recall), never invent one or
//! report a different figure (precision 1.0).

use std::collections::BTreeMap;

use neardup::{Corpus, NoProgress, Params, Relation};

#[path = "support/synth.rs"]
mod synth;

type Key = (u32, u32);

fn by_pair(r: &neardup::ScanResult) -> BTreeMap<Key, (Relation, f64)> {
    r.pairs
        .iter()
        .map(|p| ((p.a.0, p.b.0), (p.relation.expect("scanned"), p.jaccard)))
        .collect()
}

#[test]
fn fast_path_matches_brute_force_on_planted_corpus() {
    let corpus = Corpus::from_texts(synth::corpus(11, 3_000, 300));
    // Shingle relations only: rewrite candidates come from salient terms, which a corpus of
    // invented words does not have; their recall is measured on ECB+ (scripts/).
    let params = Params {
        relations: vec![
            Relation::Duplicate,
            Relation::NearDuplicate,
            Relation::Overlap,
        ],
        ..Params::default()
    }
    .resolved()
    .unwrap();
    let fast = by_pair(&neardup::scan(&corpus, &params, &NoProgress).unwrap());
    let brute_params = Params {
        all_pairs: true,
        ..params.clone()
    }
    .resolved()
    .unwrap();
    let brute = by_pair(&neardup::scan(&corpus, &brute_params, &NoProgress).unwrap());

    // Precision 1.0: every reported pair is a brute-force pair with the same relation and the
    // same exact Jaccard.
    for (k, v) in &fast {
        assert_eq!(brute.get(k), Some(v), "pair {k:?} not in brute force");
    }
    for relation in [
        Relation::Duplicate,
        Relation::NearDuplicate,
        Relation::Overlap,
    ] {
        let truth: Vec<&Key> = brute
            .iter()
            .filter(|(_, v)| v.0 == relation)
            .map(|(k, _)| k)
            .collect();
        let found = truth.iter().filter(|k| fast.contains_key(k)).count();
        let recall = found as f64 / truth.len() as f64;
        assert!(
            truth.len() >= 50,
            "{relation}: only {} planted",
            truth.len()
        );
        assert!(
            recall >= 0.99,
            "{relation}: recall {recall} ({found} of {})",
            truth.len()
        );
    }
    // Recall of every pair at or above the near-duplicate threshold, whatever its relation.
    let above: Vec<&Key> = brute
        .iter()
        .filter(|(_, v)| v.1 >= params.threshold)
        .map(|(k, _)| k)
        .collect();
    let found = above.iter().filter(|k| fast.contains_key(k)).count();
    assert!(
        found as f64 >= 0.99 * above.len() as f64,
        "{found} of {}",
        above.len()
    );
}

#[test]
fn same_result_at_any_thread_count() {
    let corpus = Corpus::from_texts(synth::corpus(5, 800, 200));
    let params = Params::default();
    let run = |threads| {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        let r = pool.install(|| neardup::scan(&corpus, &params, &NoProgress).unwrap());
        (r.pairs, r.clusters)
    };
    assert_eq!(run(1), run(3));
}

/// What the generator planted is found, as the relation its thresholds make it: every exact
/// copy a duplicate of its source (or of the source's first copy), every edited copy and every
/// spliced passage in a pair with its source, and retellings (the same names in fresh words,
/// no 5-gram in common) as rewrites. Rewrites are a similarity, not an identity: a retelling
/// of a document with few rare names is weak evidence, and the bar is the 0.9 measured on
/// 10,000 generated documents less a margin for other seeds.
#[test]
fn planted_relations_are_found() {
    let (texts, planted) = synth::corpus_with_truth(17, 3_000, 300, true);
    let corpus = Corpus::from_texts(texts);
    let result = neardup::scan(&corpus, &Params::default(), &NoProgress).unwrap();
    // Exact copies are reported against the first copy: map each document to it.
    let mut first: Vec<u32> = (0..corpus.docs.len() as u32).collect();
    for p in &result.pairs {
        if p.relation == Some(Relation::Duplicate) {
            first[p.b.idx()] = p.a.0;
        }
    }
    let found: BTreeMap<Key, Relation> = result
        .pairs
        .iter()
        .map(|p| ((p.a.0, p.b.0), p.relation.expect("scanned")))
        .collect();
    let relation = |a: usize, b: usize| {
        let (a, b) = (first[a], first[b]);
        if a == b {
            // An edit that happened to change nothing made a copy.
            return Some(Relation::Duplicate);
        }
        found.get(&(a.min(b), a.max(b))).copied()
    };
    let mut rewrites = (0, 0);
    for p in &planted {
        match p.kind {
            "duplicate" => assert_eq!(first[p.a], first[p.b], "{p:?}"),
            "near-duplicate" | "overlap" => assert!(
                matches!(
                    relation(p.a, p.b),
                    Some(Relation::Duplicate | Relation::NearDuplicate | Relation::Overlap)
                ),
                "{p:?}: {:?}",
                relation(p.a, p.b)
            ),
            _ => {
                rewrites.1 += 1;
                rewrites.0 += usize::from(relation(p.a, p.b) == Some(Relation::Rewrite));
            }
        }
    }
    assert!(rewrites.1 >= 150, "{} rewrites planted", rewrites.1);
    let recall = rewrites.0 as f64 / rewrites.1 as f64;
    assert!(recall >= 0.8, "rewrite recall {recall} ({rewrites:?})");
}
