//! The order of the stages, and nothing else: read results go in, a [`ScanResult`] comes out.
//!
//! ```text
//! features ─▶ exact duplicates ─▶ sketch ─▶ candidates ─▶ verify (+ align) ─▶ cluster
//!                                 (MinHash,   (LSH bands, passage fingerprints,
//!                                  salient     salient-term postings)
//!                                  profiles)
//! ```
//!
//! Exact copies are collapsed first: each group of documents with the same normalized text is
//! reported as `duplicate` pairs between its first member and each other member, and only the
//! first member takes part in the other comparisons. A crawl with ten thousand copies of a
//! page thus costs ten thousand pairs, not fifty million, and the cluster still holds every
//! copy.

mod add;
mod check;
mod distributed;
mod extract;
mod furniture;
mod laps;
mod propose;
mod signatures;
mod verification;

pub use add::{add_documents, add_to_index};
pub use check::{CheckResult, Gate, GateResult, check, check_index};
pub use distributed::{BatchCounts, PairBatch, blank_document, sketch_document, verify_pair};
pub use signatures::{lsh_candidates, signatures};
pub use extract::{extract, extract_for_index, read_and_extract};
use furniture::blank_furniture;
pub use laps::Lap;
use propose::{exact_duplicates, rewrite_batch, rewrite_candidates, shingle_candidates};

use std::time::Instant;

use rayon::prelude::*;
use serde::Serialize;

use crate::candidates::{self, CandidatePair};
use crate::cluster::{self, Cluster};
use crate::document::{Corpus, DocId, Document, Warning};
use crate::error::Result;
use crate::features::Features;
use crate::features::boilerplate::{self, Furniture, Texts};
use crate::features::salient::{self, Kind};
use crate::normalize::one_line;
use crate::params::Params;
use crate::progress::Progress;
use crate::relation::Relation;
use crate::rewrite::{Batch, DocFreq, Probe, Profile, Scored, Sketch};
use crate::sketch::MinHasher;
use crate::verify::{self, First, PairReport, Verifier};

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
    /// Sentences found to be page furniture, repeated by many documents of one source or of
    /// the batch (see `crate::features::boilerplate`).
    pub boilerplate_lines: usize,
    /// Documents with furniture blanked before comparison.
    pub boilerplate_documents: usize,
    /// Candidates proposed by shared salient terms (rewrites).
    pub rewrite_candidates: usize,
    /// Salient terms held by more documents than this propose no rewrite candidates (the
    /// pairs they would propose are still found through rarer shared terms).
    pub rewrite_max_df: usize,
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
    /// Outlets and agencies the documents attribute their reporting to, each with the documents
    /// citing it; most cited first.
    pub cited_sources: Vec<CitedSource>,
    /// Warnings from the scan itself (reading warnings stay in the corpus).
    pub warnings: Vec<Warning>,
    /// Counters.
    pub stats: Stats,
    /// Byte ranges of each document's page furniture, left out of every comparison but the
    /// copies' (duplicates and near-duplicates; empty when the batch has none).
    pub boilerplate: Vec<Vec<[u32; 2]>>,
    /// Each stage's time and the peak memory when it ended, in order (not part of the report,
    /// which must not vary between runs).
    pub timings: Vec<Lap>,
}

impl ScanResult {
    /// Narrows the result to the documents that cite `source` (compared case-insensitively, spacing
    /// ignored): their pairs with any document, the clusters over those pairs, and that source's
    /// group. Answers "who echoes this outlet, and how?".
    pub fn only_citing(&mut self, corpus: &Corpus, source: &str) {
        let fold = |s: &str| one_line(s).to_lowercase();
        let wanted = fold(source);
        self.cited_sources.retain(|c| fold(&c.name) == wanted);
        let citing: ahash::AHashSet<DocId> = self
            .cited_sources
            .iter()
            .flat_map(|c| c.documents.iter().copied())
            .collect();
        self
            .pairs
            .retain(|p| citing.contains(&p.a) || citing.contains(&p.b));
        self.clusters = cluster::clusters(corpus, &self.pairs);
    }
}

/// An outlet or agency and the documents that cite it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CitedSource {
    /// The name as the first citing document writes it.
    pub name: String,
    /// The citing documents, in input order.
    pub documents: Vec<DocId>,
}

/// Finds the pairs of `corpus` that repeat each other.
///
/// ```
/// use neardup::{Corpus, Params, NoProgress, Relation};
/// let text = "the quick brown fox jumps over the lazy dog near the river bank today";
/// let corpus = Corpus::from_texts([("a", text), ("b", text), ("c", "something else entirely")]);
/// let result = neardup::scan(&corpus, &Params::default(), &NoProgress).unwrap();
/// assert_eq!(result.pairs.len(), 1);
/// assert_eq!(result.pairs[0].relation, Some(Relation::Duplicate));
/// ```
pub fn scan(corpus: &Corpus, params: &Params, progress: &dyn Progress) -> Result<ScanResult> {
    let params = &params.clone().resolved()?;
    let started = Instant::now();
    let mut features = extract(&corpus.docs, params, progress);
    scan_features(corpus, &mut features, params, progress, started, "features")
}

/// [`scan`] of the documents in `paths` (folders, text files, JSONL; see [`crate::read`]), each
/// batch's features extracted as it is read. Once the texts held exceed `max_text_bytes`, every
/// text that can be read again from its file is let go as soon as its features are known, and
/// read again when a pair needs it: the results are the same. Returns the corpus read, for the
/// report.
pub fn scan_paths(
    paths: &[std::path::PathBuf],
    params: &Params,
    max_text_bytes: usize,
    progress: &dyn Progress,
) -> Result<(Corpus, ScanResult)> {
    let params = &params.clone().resolved()?;
    let started = Instant::now();
    let (corpus, mut features) = read_and_extract(paths, params, max_text_bytes, progress)?;
    let result = scan_features(
        &corpus,
        &mut features,
        params,
        progress,
        started,
        "read+features",
    )?;
    Ok((corpus, result))
}

/// [`scan`] with the features already extracted (`features[i]` of `corpus.docs[i]`); the
fn scan_features(
    corpus: &Corpus,
    features: &mut [Features],
    params: &Params,
    progress: &dyn Progress,
    started: Instant,
    first_lap: &'static str,
) -> Result<ScanResult> {
    let mut timings = Vec::new();
    let mut lap = started;
    let mut time = |name: &'static str| {
        timings.push(Lap::since(name, lap));
        lap = Instant::now();
    };
    let n = corpus.docs.len();

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
        exact_duplicates(&compared, features)
    } else {
        (Vec::new(), compared.clone())
    };
    let (blanked, furniture_sentences) =
        blank_furniture(corpus, &representatives, features, params)?;
    let texts = Texts::new(corpus, &blanked);
    corpus.drop_mapped_pages();
    time(first_lap);

    progress.stage("candidates", 0);
    let mut stats = Stats {
        documents: n,
        compared: compared.len(),
        boilerplate_lines: furniture_sentences,
        boilerplate_documents: blanked.iter().filter(|r| !r.is_empty()).count(),
        ..Stats::default()
    };
    let cited_sources = cited_sources(corpus, &compared, features)?;
    // The salient terms are moved out of the features: the profiles replace them.
    let terms: Option<Vec<Vec<salient::Term>>> = params.wants(Relation::Rewrite).then(|| {
        representatives
            .iter()
            .map(|d| std::mem::take(&mut features[d.idx()].salient))
            .collect()
    });
    // The profiles first, on their own: they replace the terms, the most a default scan holds
    // (gigabytes at 1M documents), and nothing else should be held beside both.
    let rewrite = terms.map(|t| rewrite_batch(&representatives, t, features.len(), params));
    // The sources of candidates one after the other, each parallel within: side by side, both
    // sets of postings were held at once, half a gigabyte more at 1M documents
    // (docs/PERFORMANCE.md). The sketches are let go before the shingles' postings are built.
    let (batch, shared) = match rewrite {
        Some((mut batch, sketches)) => {
            // Under `--all-pairs` too: the profiles' co-held pairs weigh in the decision.
            let found = rewrite_candidates(&representatives, &sketches, &mut batch);
            (Some(batch), (!params.all_pairs).then_some(found))
        }
        None => (None, None),
    };
    let by_shingles = shingle_candidates(&representatives, features, params, &mut stats);
    // Keys of candidates, not needed to verify them.
    for f in features.iter_mut() {
        f.bands = Vec::new();
        f.fingerprints = Vec::new();
        f.fingerprint_at = Vec::new();
    }
    let features: &[Features] = features;
    let rewrite_only = match shared {
        Some(shared) => {
            stats.rewrite_candidates = shared.len();
            stats.rewrite_max_df = crate::rewrite::MAX_SKETCH_DF;
            debug_assert!(shared.is_sorted() && by_shingles.is_sorted());
            // Both sorted: one merge, where a search per pair kept one core busy and the
            // other idle (hundreds of thousands of pairs).
            let mut proposed = by_shingles.iter().peekable();
            shared
                .into_iter()
                .filter(|p| {
                    while proposed.next_if(|q| *q < p).is_some() {}
                    proposed.peek() != Some(&p)
                })
                .collect()
        }
        None => Vec::new(),
    };
    stats.candidates = by_shingles.len() + rewrite_only.len();
    time("candidates");

    progress.stage("verify", stats.candidates as u64);
    let bounds = (!params.all_pairs)
        .then(|| verify::Bounds::new(&texts, &by_shingles, n, params))
        .transpose()?;
    let verifier = Verifier {
        texts,
        features,
        params,
        bounds: bounds.as_ref(),
    };
    let verified = verification::verify_all(
        &verifier,
        batch.as_ref(),
        (&by_shingles, &rewrite_only),
        progress,
    )?;
    time("verify");
    pairs.extend(verified);
    pairs.par_sort_unstable_by(|x, y| {
        y.score
            .total_cmp(&x.score)
            .then(x.a.cmp(&y.a))
            .then(x.b.cmp(&y.b))
    });

    let clusters = cluster::clusters(corpus, &pairs);
    time("cluster");
    stats.seconds = started.elapsed().as_secs_f64();
    progress.finish();
    Ok(ScanResult {
        words: features.iter().map(|f| f.words).collect(),
        pairs,
        clusters,
        cited_sources,
        warnings,
        stats,
        boilerplate: blanked,
        timings,
    })
}

/// Groups the compared documents by the sources they cite.
fn cited_sources(
    corpus: &Corpus,
    docs: &[DocId],
    features: &[Features],
) -> Result<Vec<CitedSource>> {
    // In parallel: every term of every document is read, hundreds of megabytes at 1M.
    let mut cites: Vec<(u64, DocId)> = docs
        .par_iter()
        .flat_map_iter(|&d| {
            let terms = features[d.idx()].salient.iter();
            terms
                .filter(|t| t.kind() == Kind::Source)
                .map(move |t| (t.key(), d))
        })
        .collect();
    cites.par_sort_unstable();
    let mut out: Vec<CitedSource> = cites
        .chunk_by(|x, y| x.0 == y.0)
        .map(|group| {
            let (key, first) = group[0];
            let text = corpus.text(first)?;
            let name = salient::mentions(&text)
                .into_iter()
                .find(|m| m.key == key)
                .map(|m| one_line(&text[m.start as usize..m.end as usize]))
                .unwrap_or_default();
            Ok(CitedSource {
                name,
                documents: group.iter().map(|g| g.1).collect(),
            })
        })
        .collect::<Result<_>>()?;
    out.sort_by(|x, y| {
        y.documents
            .len()
            .cmp(&x.documents.len())
            .then_with(|| x.name.cmp(&y.name))
    });
    Ok(out)
}


#[cfg(test)]
mod tests {
    use super::*;

    /// Copies take the features of their first occurrence; texts that only normalize alike
    /// (which salient extraction tells apart by their capitals) do not.
    #[test]
    fn repeated_texts_have_the_features_of_their_own_text() {
        let texts = [
            "Anna Evstigneeva told the council in Kunduz that 23,000 fighters had crossed.",
            "anna evstigneeva told the council in kunduz that 23,000 fighters had crossed.",
            "Anna Evstigneeva told the council in Kunduz that 23,000 fighters had crossed.",
            "",
            "anna evstigneeva told the council in kunduz that 23,000 fighters had crossed.",
        ];
        let corpus = Corpus::from_texts(texts.iter().enumerate().map(|(i, t)| (i.to_string(), *t)));
        let params = Params::default();
        let features = extract(&corpus.docs, &params, &crate::NoProgress);
        assert_ne!(features[0].salient, features[1].salient);
        for (f, text) in features.iter().zip(texts) {
            assert_eq!(*f, Features::extract(text, &params));
        }
    }
}
