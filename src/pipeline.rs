//! The order of the stages, and nothing else: read results go in, a [`ScanResult`] comes out.
//!
//! ```text
//! features ─▶ exact duplicates ─▶ sketch ─▶ candidates ─▶ verify (+ align) ─▶ cluster
//! ```
//!
//! Exact copies are collapsed first: each group of documents with the same normalized text is
//! reported as `duplicate` pairs between its first member and each other member, and only the
//! first member takes part in the other comparisons. A crawl with ten thousand copies of a
//! page thus costs ten thousand pairs, not fifty million, and the cluster still holds every
//! copy.

use std::time::Instant;

use rayon::prelude::*;
use serde::Serialize;

use crate::candidates::{self, CandidatePair};
use crate::cluster::{self, Cluster};
use crate::document::{Corpus, DocId, Warning};
use crate::error::Result;
use crate::features::Features;
use crate::params::Params;
use crate::progress::Progress;
use crate::sketch::{MinHasher, Signatures};
use crate::verify::{self, PairReport, Relation};

/// Counters of one run.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Stats {
    /// Documents read.
    pub documents: usize,
    /// Documents with at least one word (the others are listed, not compared).
    pub compared: usize,
    /// Distinct candidate pairs verified exactly.
    pub candidates: usize,
    /// Candidates proposed by LSH bands.
    pub lsh_candidates: usize,
    /// Candidates proposed by shared passage fingerprints.
    pub passage_candidates: usize,
    /// Passage fingerprints ignored as boilerplate (held by more than `max_df` documents).
    pub boilerplate_fingerprints: u64,
    /// Wall-clock seconds of the scan (reading excluded).
    pub seconds: f64,
}

/// Everything a scan found.
#[derive(Clone, Debug, Default)]
pub struct ScanResult {
    /// Words per document, in corpus order.
    pub words: Vec<u32>,
    /// Reported pairs, strongest first (by score, then by ids in input order).
    pub pairs: Vec<PairReport>,
    /// Clusters of documents linked by reported pairs.
    pub clusters: Vec<Cluster>,
    /// Warnings from the scan itself (reading warnings stay in the corpus).
    pub warnings: Vec<Warning>,
    /// Counters.
    pub stats: Stats,
}

/// Finds the pairs of `corpus` that repeat each other.
///
/// ```
/// use neardup::{Corpus, Params, NoProgress, Relation};
/// let text = "the quick brown fox jumps over the lazy dog near the river bank today";
/// let corpus = Corpus::from_texts([("a", text), ("b", text), ("c", "something else entirely")]);
/// let result = neardup::scan(&corpus, &Params::default(), &NoProgress).unwrap();
/// assert_eq!(result.pairs.len(), 1);
/// assert_eq!(result.pairs[0].relation, Relation::Duplicate);
/// ```
pub fn scan(corpus: &Corpus, params: &Params, progress: &dyn Progress) -> Result<ScanResult> {
    let started = Instant::now();
    let n = corpus.docs.len();

    progress.stage("features", n as u64);
    let features: Vec<Features> = corpus
        .docs
        .par_iter()
        .map(|d| {
            let f = Features::extract(&d.text, params);
            progress.inc(1);
            f
        })
        .collect();

    let mut warnings = Vec::new();
    let mut compared = Vec::with_capacity(n);
    for (i, f) in features.iter().enumerate() {
        if f.is_empty() {
            let d = &corpus.docs[i];
            warnings.push(Warning {
                path: d.path.clone(),
                line: d.line,
                reason: format!("document {:?} has no words, not compared", d.id),
            });
        } else {
            compared.push(DocId(i as u32));
        }
    }

    let (mut pairs, representatives) = if params.wants(Relation::Duplicate) {
        exact_duplicates(&compared, &features)
    } else {
        (Vec::new(), compared.clone())
    };

    progress.stage("candidates", 0);
    let mut stats = Stats {
        documents: n,
        compared: compared.len(),
        ..Stats::default()
    };
    let candidates = find_candidates(&representatives, &features, params, &mut stats);
    stats.candidates = candidates.len();

    progress.stage("verify", candidates.len() as u64);
    let verified: Vec<PairReport> = candidates
        .par_iter()
        .filter_map(|&pair| {
            let r = verify::verify(pair, corpus, &features, params);
            progress.inc(1);
            r
        })
        .collect();
    pairs.extend(verified);
    pairs.par_sort_unstable_by(|x, y| {
        y.score
            .total_cmp(&x.score)
            .then(x.a.cmp(&y.a))
            .then(x.b.cmp(&y.b))
    });

    let clusters = cluster::clusters(corpus, &pairs);
    stats.seconds = started.elapsed().as_secs_f64();
    progress.finish();
    Ok(ScanResult {
        words: features.iter().map(|f| f.words).collect(),
        pairs,
        clusters,
        warnings,
        stats,
    })
}

/// Duplicate pairs (first member of each same-text group with each other member) and the
/// documents that stand for their group in further comparisons.
fn exact_duplicates(docs: &[DocId], features: &[Features]) -> (Vec<PairReport>, Vec<DocId>) {
    let mut by_hash: Vec<(u64, DocId)> = docs
        .iter()
        .map(|&d| (features[d.idx()].text_hash, d))
        .collect();
    by_hash.sort_unstable();
    let mut pairs = Vec::new();
    let mut reps = Vec::with_capacity(docs.len());
    for group in by_hash.chunk_by(|x, y| x.0 == y.0) {
        let first = group[0].1;
        reps.push(first);
        pairs.extend(group[1..].iter().map(|&(_, d)| verify::duplicate(first, d)));
    }
    reps.sort_unstable();
    (pairs, reps)
}

fn find_candidates(
    docs: &[DocId],
    features: &[Features],
    params: &Params,
    stats: &mut Stats,
) -> Vec<CandidatePair> {
    if params.all_pairs {
        return candidates::all_pairs(docs);
    }
    let mut lists = Vec::new();
    if params.wants(Relation::NearDuplicate) {
        let hasher = MinHasher::new(params.perm, params.seed);
        let mut values = vec![0u32; docs.len() * params.perm];
        values
            .par_chunks_mut(params.perm)
            .zip(docs)
            .for_each(|(out, d)| {
                hasher.sign_into(&features[d.idx()].shingles, out);
            });
        let lsh = candidates::lsh(&Signatures::new(params.perm, values), docs, &params.lsh);
        stats.lsh_candidates = lsh.len();
        lists.push(lsh);
    }
    if params.wants(Relation::Overlap) {
        let fps: Vec<&[u64]> = docs
            .iter()
            .map(|d| features[d.idx()].fingerprints.as_slice())
            .collect();
        let (shared, skipped) = candidates::shared_fingerprints(&fps, docs, params.max_df);
        stats.passage_candidates = shared.len();
        stats.boilerplate_fingerprints = skipped;
        lists.push(shared);
    }
    candidates::merge(lists)
}
