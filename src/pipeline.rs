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
use crate::rewrite::{Batch, DocFreq, Probe, Profile, Scored};
use crate::sketch::MinHasher;
use crate::verify::{self, First, PairReport, Relation};

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
    /// the batch (see [`crate::features::boilerplate`]).
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
    /// Wall-clock seconds per stage, in order (not part of the report, which must not vary
    /// between runs).
    pub timings: Vec<(&'static str, f64)>,
}

/// An outlet or agency and the documents that cite it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CitedSource {
    /// The name as the first citing document writes it.
    pub name: String,
    /// The citing documents, in input order.
    pub documents: Vec<DocId>,
}

/// How many candidate pairs ahead a worker fetches the profile it will score.
const PREFETCH_AHEAD: usize = 4;

/// Candidate groups verified in one task, at most.
const VERIFY_GROUPS_PER_TASK: usize = 256;

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
    let started = Instant::now();
    let mut features = extract(&corpus.docs, params, progress);
    scan_features(corpus, &mut features, params, progress, started, "features")
}

/// The features of `docs` (documents or references to them), in parallel, in order, with the
/// MinHash sketch built once.
pub fn extract<D: std::borrow::Borrow<Document> + Sync>(
    docs: &[D],
    params: &Params,
    progress: &dyn Progress,
) -> Vec<Features> {
    progress.stage("features", docs.len() as u64);
    let mut features = Vec::with_capacity(docs.len());
    Extractor::new(params).extend(&mut features, docs, progress);
    features
}

/// Extracts features batch after batch, once per distinct text: a text repeated byte for byte
/// (a crawl's copies of one page, a wire story run unchanged) takes a copy of the features of
/// its first occurrence, which are a pure function of the text. Texts are told apart by their
/// 128-bit xxh3, whose collisions are negligible, so a first occurrence whose text was already
/// let go still serves its copies.
struct Extractor<'p> {
    params: &'p Params,
    hasher: MinHasher,
    /// Position in the features of each distinct text seen so far.
    first: ahash::AHashMap<u128, usize>,
}

impl<'p> Extractor<'p> {
    fn new(params: &'p Params) -> Extractor<'p> {
        Extractor {
            params,
            hasher: MinHasher::new(params.perm, params.seed),
            first: ahash::AHashMap::new(),
        }
    }

    /// Appends the features of `docs` to `features`, which holds those of the documents before.
    fn extend<D: std::borrow::Borrow<Document> + Sync>(
        &mut self,
        features: &mut Vec<Features>,
        docs: &[D],
        progress: &dyn Progress,
    ) {
        let base = features.len();
        let hashes: Vec<u128> = docs
            .par_iter()
            .map(|d| xxhash_rust::xxh3::xxh3_128(d.borrow().text.as_bytes()))
            .collect();
        // In input order, so that the first occurrence is the same at any thread count.
        let copy_of: Vec<Option<usize>> = hashes
            .iter()
            .enumerate()
            .map(|(i, &h)| match self.first.entry(h) {
                std::collections::hash_map::Entry::Occupied(e) => Some(*e.get()),
                std::collections::hash_map::Entry::Vacant(e) => {
                    e.insert(base + i);
                    None
                }
            })
            .collect();
        let (params, hasher) = (self.params, &self.hasher);
        features.par_extend(docs.par_iter().zip(&copy_of).map(|(d, copy)| {
            let f = if copy.is_some() {
                Features::default()
            } else {
                Features::extract_with(&d.borrow().text, params, hasher)
            };
            progress.inc(1);
            f
        }));
        for (i, copy) in copy_of.into_iter().enumerate() {
            if let Some(from) = copy {
                features[base + i] = features[from].clone();
            }
        }
    }
}

/// Reads `paths`, extracting each batch's features as it arrives. Once the texts held exceed
/// `max_text_bytes`, every text that can be read again from its file is let go as soon as its
/// features are known (see [`Corpus::text`]): memory then holds, per document, its features
/// and metadata rather than its text, and verification and the report read the texts of the
/// pairs they show again. Standard input and compressed files keep their texts. Below the
/// bound nothing is read twice.
pub fn read_and_extract(
    paths: &[std::path::PathBuf],
    params: &Params,
    max_text_bytes: usize,
    progress: &dyn Progress,
) -> Result<(Corpus, Vec<Features>)> {
    progress.stage("features", 0);
    let mut extractor = Extractor::new(params);
    let mut features: Vec<Features> = Vec::new();
    let mut held = 0usize;
    let mut releasing = false;
    let (corpus, dropped) = crate::read::inputs_with(paths, &params.input, &mut |corpus, from| {
        let batch = &corpus.docs[from..];
        extractor.extend(&mut features, batch, progress);
        held += batch.iter().map(|d| d.text.len()).sum::<usize>();
        if !releasing && held > max_text_bytes {
            releasing = true;
            corpus.release_texts(0);
        } else if releasing {
            corpus.release_texts(from);
        }
        Ok(())
    })?;
    // Repeated ids dropped under --skip-invalid after their batch was extracted.
    crate::read::remove_positions(&mut features, &dropped);
    Ok((corpus, features))
}

/// [`scan`] of a corpus whose features are already extracted (`features[i]` of
/// `corpus.docs[i]`, as [`read_and_extract`] gives them); `started` is when extraction began.
pub fn scan_extracted(
    corpus: &Corpus,
    mut features: Vec<Features>,
    params: &Params,
    progress: &dyn Progress,
    started: Instant,
) -> Result<ScanResult> {
    scan_features(
        corpus,
        &mut features,
        params,
        progress,
        started,
        "read+features",
    )
}

/// [`scan`] with the features already extracted (`features[i]` of `corpus.docs[i]`); the
/// salient terms are moved out of them (see `rewrite_batch`). `started` is when extraction began,
/// and `first_lap` names the stage timed from then to the exact duplicates.
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
        timings.push((name, lap.elapsed().as_secs_f64()));
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
    let features: &[Features] = features;
    // The profiles first, on their own: they replace the terms, the most a default scan holds
    // (gigabytes at 1M documents), and nothing else should be held beside both.
    let rewrite = terms.map(|t| rewrite_batch(&representatives, t, features.len(), params));
    // The sources of candidates are independent: found side by side, so that the serial steps
    // of one leave no core idle.
    let (shared, by_shingles) = rayon::join(
        || {
            let (_, sketches) = rewrite.as_ref().filter(|_| !params.all_pairs)?;
            let refs: Vec<&[u64]> = sketches.iter().map(Vec::as_slice).collect();
            // Two shared heavy terms, not one: a single rare name in common is a coincidence
            // as often as a story.
            Some(candidates::shared_keys(&refs, &representatives, usize::MAX, 2).0)
        },
        || shingle_candidates(&representatives, features, params, &mut stats),
    );
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
    let batch = rewrite.map(|(batch, _)| batch);
    stats.candidates = by_shingles.len() + rewrite_only.len();
    time("candidates");

    progress.stage("verify", stats.candidates as u64);
    // Candidates are sorted by their first document: each group shares that document's salient
    // profile, loaded once in a probe (see `rewrite::Probe`), and its text, words, shingles and
    // mentions, found once ([`First`]; features keep none of them, see `features`). Pairs only
    // salient terms proposed are mostly not rewrites: they are rejected on their similarity
    // before a text is read. Both kinds of group are verified in one parallel pass, so that no
    // core waits for the other to finish the first kind.
    let groups: Vec<(&[CandidatePair], &[CandidatePair], bool)> = groups_of(&by_shingles, false)
        .chain(groups_of(&rewrite_only, true))
        .collect();
    // Split finely: rayon splits a range only as often as it was stolen from, and a few
    // large pieces left one core working alone for a fifth of the stage.
    let verified: Vec<PairReport> = groups
        .par_iter()
        .with_max_len(VERIFY_GROUPS_PER_TASK)
        .map_init(
            || batch.as_ref().map(|b| Probe::new(&b.df)),
            |probe, &(group, following, rewrite_only)| {
                let a = group[0].0;
                // `a` read once for its group; in a group of pairs only salient terms proposed,
                // not before one of them turns out to be a rewrite.
                let mut first: Option<First> = None;
                let loaded = probe
                    .as_mut()
                    .zip(batch.as_ref())
                    .map(|(probe, batch)| (probe.load(&batch.profiles[a.idx()]), batch));
                let mut found = Vec::new();
                for (k, &pair) in group.iter().enumerate() {
                    let rewrite = match &loaded {
                        Some((loaded, batch)) => {
                            // The pairs after this one, in this group or the next ones.
                            let upcoming = |d: usize| {
                                group
                                    .get(k + d)
                                    .or_else(|| following.get(k + d - group.len()))
                            };
                            if let Some(p) = upcoming(2 * PREFETCH_AHEAD) {
                                batch.prefetch_profile(p.1.idx());
                            }
                            let ahead =
                                upcoming(PREFETCH_AHEAD).map(|p| &batch.profiles[p.1.idx()]);
                            let b = &batch.profiles[pair.1.idx()];
                            let similarity = if rewrite_only {
                                if let Some(p) = ahead {
                                    p.prefetch_ids();
                                }
                                // Below the threshold, such a pair is nothing: not verified.
                                match loaded.similarity_at_least(b, params.rewrite_min_similarity) {
                                    Some(s) => s,
                                    None => continue,
                                }
                            } else {
                                if let Some(p) = ahead {
                                    p.prefetch();
                                }
                                loaded.similarity(b)
                            };
                            Some(Scored {
                                similarity,
                                df: &batch.df,
                                a: &batch.profiles[a.idx()],
                                b,
                            })
                        }
                        None => None,
                    };
                    if first.is_none() {
                        first = Some(First::new(texts.text(a)?, params.shingle));
                    }
                    found.extend(verify::verify(
                        pair,
                        &texts,
                        features,
                        rewrite,
                        rewrite_only,
                        first.as_ref(),
                        params,
                    )?);
                }
                progress.inc(group.len() as u64);
                Ok(found)
            },
        )
        .collect::<Result<Vec<Vec<PairReport>>>>()?
        .into_iter()
        .flatten()
        .collect();
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

/// Finds the page furniture of the documents `docs` (see [`crate::features::boilerplate`])
/// and extracts again, from their texts with it blanked, the features of those that hold some
/// (the exact text hash and the LSH bands stay the original's: a copy is a copy, chrome and
/// all). Returns the furniture's ranges per document (empty when there is none) and how many
/// sentences are furniture.
fn blank_furniture(
    corpus: &Corpus,
    docs: &[DocId],
    features: &mut [Features],
    params: &Params,
) -> Result<(Vec<Vec<[u32; 2]>>, usize)> {
    // Only the documents compared further count: copies of one page would make its every
    // sentence furniture.
    let sources: Vec<Option<u64>> = docs
        .iter()
        .map(|&d| boilerplate::source_key(corpus.doc(d)))
        .collect();
    let furniture = Furniture::find(
        sources
            .iter()
            .zip(docs)
            .map(|(&s, d)| (s, features[d.idx()].sentences.as_slice())),
    );
    let touched: Vec<(DocId, Option<u64>)> = docs
        .iter()
        .zip(&sources)
        .filter(|(d, s)| furniture.touches(**s, &features[d.idx()].sentences))
        .map(|(&d, &s)| (d, s))
        .collect();
    for f in features.iter_mut() {
        f.sentences = Vec::new();
    }
    if touched.is_empty() {
        return Ok((Vec::new(), 0));
    }
    // Only what the comparisons of furniture-free text use is extracted again: the text hash
    // and the LSH bands are kept from the text as given.
    let without_copies = Params {
        relations: params
            .relations
            .iter()
            .copied()
            .filter(|r| matches!(r, Relation::Overlap | Relation::Rewrite))
            .collect(),
        ..params.clone()
    };
    let hasher = MinHasher::new(params.perm, params.seed);
    let again: Vec<(Vec<[u32; 2]>, Features)> = touched
        .par_iter()
        .map(|&(d, source)| {
            let text = corpus.text(d)?;
            let mut ranges = furniture.ranges(&text, source);
            let without_furniture = boilerplate::blank(&text, &ranges);
            let mut f = Features::extract_with(&without_furniture, &without_copies, &hasher);
            if boilerplate::is_template(f.words, features[d.idx()].words) {
                ranges = vec![[0, text.len() as u32]];
                f = Features::default();
            }
            Ok((ranges, f))
        })
        .collect::<Result<_>>()?;
    let mut blanked = vec![Vec::new(); features.len()];
    for (&(d, _), (ranges, f)) in touched.iter().zip(again) {
        // The copies' keys and the words stay those of the text as given: a copy is a copy,
        // chrome and all.
        let original = std::mem::replace(&mut features[d.idx()], f);
        let f = &mut features[d.idx()];
        f.text_hash = original.text_hash;
        f.bands = original.bands;
        f.words = original.words;
        // Found again with the rest, and no longer needed.
        f.sentences = Vec::new();
        blanked[d.idx()] = ranges;
    }
    Ok((blanked, furniture.len()))
}

/// The runs of `pairs` with one first document, each with the pairs after it, and `kind`.
fn groups_of(
    pairs: &[CandidatePair],
    kind: bool,
) -> impl Iterator<Item = (&[CandidatePair], &[CandidatePair], bool)> {
    let mut rest = pairs;
    pairs.chunk_by(|x, y| x.0 == y.0).map(move |g| {
        rest = &rest[g.len()..];
        (g, rest, kind)
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

/// Document frequencies over the compared documents `docs`, whose salient terms are `terms`,
/// a profile for each of the `n` documents (empty for those not compared), and each compared
/// document's salient-term sketch (in the order of `docs`).
fn rewrite_batch(
    docs: &[DocId],
    terms: Vec<Vec<salient::Term>>,
    n: usize,
    params: &Params,
) -> (Batch, Vec<Vec<u64>>) {
    let refs: Vec<&[salient::Term]> = terms.iter().map(Vec::as_slice).collect();
    let df = DocFreq::new(&refs);
    drop(refs);
    // Each document's terms are freed as soon as its profile is built, so that the two are
    // never all held at once (at 1M documents they are gigabytes each).
    let max_df = crate::rewrite::MAX_SKETCH_DF as u32;
    let computed: Vec<(Profile, Vec<u64>)> = terms
        .into_par_iter()
        .map(|t| Profile::with_sketch(&t, &df, params.salient_sketch, max_df))
        .collect();
    let mut profiles = vec![Profile::default(); n];
    let mut sketches = Vec::with_capacity(docs.len());
    for (d, (p, sketch)) in docs.iter().zip(computed) {
        profiles[d.idx()] = p;
        sketches.push(sketch);
    }
    (Batch { df, profiles }, sketches)
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

/// Candidates proposed by shingles (LSH bands and passage fingerprints, found side by side),
/// sorted and distinct; every pair under `--all-pairs`.
fn shingle_candidates(
    docs: &[DocId],
    features: &[Features],
    params: &Params,
    stats: &mut Stats,
) -> Vec<CandidatePair> {
    if params.all_pairs {
        return candidates::all_pairs(docs);
    }
    let keys_of = |keys: fn(&Features) -> &[u64]| -> Vec<&[u64]> {
        docs.iter().map(|d| keys(&features[d.idx()])).collect()
    };
    let (lsh, passages) = rayon::join(
        || {
            params
                .wants(Relation::NearDuplicate)
                .then(|| candidates::lsh(&keys_of(|f| &f.bands), docs))
        },
        || {
            params.wants(Relation::Overlap).then(|| {
                candidates::shared_keys(&keys_of(|f| &f.fingerprints), docs, params.max_df, 1)
            })
        },
    );
    let mut lists = Vec::new();
    if let Some(lsh) = lsh {
        stats.lsh_candidates = lsh.len();
        lists.push(lsh);
    }
    if let Some((shared, skipped)) = passages {
        stats.passage_candidates = shared.len();
        stats.boilerplate_fingerprints = skipped;
        lists.push(shared);
    }
    candidates::merge(lists)
}

/// What a check found: the documents it looked at (indexed ones it loaded first, then the new
/// ones) and the pairs that involve at least one new document.
#[derive(Debug)]
pub struct CheckResult {
    /// Indexed documents that were candidates, then the new documents.
    pub corpus: Corpus,
    /// The features of `corpus`, in order (their salient terms taken), for adding the new
    /// documents to the index without extracting them again.
    pub features: Vec<Features>,
    /// Index of the first new document in `corpus`.
    pub first_new: usize,
    /// New documents whose id was already indexed: compared in place of their indexed
    /// version, which is not compared with them.
    pub reindexed: Vec<String>,
    /// Pairs with a new document, clusters over them, counters.
    pub result: ScanResult,
}

impl CheckResult {
    /// Whether a document of `corpus` is one of the new ones.
    pub fn is_new(&self, d: DocId) -> bool {
        d.idx() >= self.first_new
    }
}

/// Compares `new` documents with the index and with each other.
///
/// The index proposes the indexed documents that share a normalized-text hash, an LSH band or a
/// passage fingerprint with a new one; those are loaded and scanned together with the new
/// documents exactly as `scan` would, and only pairs involving a new document are kept. So a
/// check reads a few rows per new document, whatever the size of the index, and reports the
/// same figures a scan of the two would.
pub fn check(
    index: &crate::index::Reader<'_>,
    new: Corpus,
    params: &Params,
    progress: &dyn Progress,
) -> Result<CheckResult> {
    let started = Instant::now();
    let new_features = extract(&new.docs, params, progress);
    let refs: Vec<&Features> = new_features.iter().filter(|f| !f.is_empty()).collect();
    let candidates = index.candidates(&refs, params.wants(Relation::Duplicate))?;
    let new_ids: ahash::AHashSet<&str> = new.docs.iter().map(|d| d.id.as_str()).collect();
    let mut reindexed = Vec::new();
    let mut docs = Vec::new();
    for d in index.load(&candidates)? {
        if new_ids.contains(d.id.as_str()) {
            reindexed.push(d.id);
        } else {
            docs.push(d);
        }
    }
    reindexed.sort_unstable();
    let first_new = docs.len();
    let mut warnings = new.warnings;
    for id in &reindexed {
        let d = new
            .docs
            .iter()
            .find(|d| &d.id == id)
            .expect("a new document has this id");
        warnings.push(Warning {
            path: d.path.clone(),
            line: d.line,
            reason: format!(
                "id {id:?} is already indexed: compared in place of the indexed version"
            ),
        });
    }
    docs.extend(new.docs);
    let corpus = Corpus {
        docs,
        warnings,
        skipped: new.skipped,
        options: new.options,
        open_files: new.open_files,
    };

    let mut features = extract(&corpus.docs[..first_new], params, progress);
    features.extend(new_features);
    let mut result = scan_features(
        &corpus,
        &mut features,
        params,
        progress,
        started,
        "features",
    )?;
    result
        .pairs
        .retain(|p| p.a.idx() >= first_new || p.b.idx() >= first_new);
    result.clusters = cluster::clusters(&corpus, &result.pairs);
    result.cited_sources.retain_mut(|c| {
        c.documents.retain(|d| d.idx() >= first_new);
        !c.documents.is_empty()
    });
    result.stats.seconds = started.elapsed().as_secs_f64();
    Ok(CheckResult {
        corpus,
        features,
        first_new,
        reindexed,
        result,
    })
}

/// Narrows `result` to the documents that cite `source` (compared case-insensitively, spacing
/// ignored): their pairs with any document, the clusters over those pairs, and that source's
/// group. Answers "who echoes this outlet, and how?".
pub fn only_citing(result: &mut ScanResult, corpus: &Corpus, source: &str) {
    let fold = |s: &str| one_line(s).to_lowercase();
    let wanted = fold(source);
    result.cited_sources.retain(|c| fold(&c.name) == wanted);
    let citing: ahash::AHashSet<DocId> = result
        .cited_sources
        .iter()
        .flat_map(|c| c.documents.iter().copied())
        .collect();
    result
        .pairs
        .retain(|p| citing.contains(&p.a) || citing.contains(&p.b));
    result.clusters = cluster::clusters(corpus, &result.pairs);
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
