//! The pairs proposed for verification: exact duplicates collapsed, LSH and passage
//! candidates, and the rewrite batch whose salient sketches propose the rest.

use super::*;

/// Duplicate pairs (first member of each same-text group with each other member) and the
/// documents that stand for their group in further comparisons.
pub(super) fn exact_duplicates(
    docs: &[DocId],
    features: &[Features],
) -> (Vec<PairReport>, Vec<DocId>) {
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
pub(super) fn rewrite_batch(
    docs: &[DocId],
    terms: Vec<Vec<salient::Term>>,
    n: usize,
    params: &Params,
) -> (Batch, Vec<Sketch>) {
    let refs: Vec<&[salient::Term]> = terms.iter().map(Vec::as_slice).collect();
    let df = DocFreq::new(&refs);
    drop(refs);
    // Each document's terms are freed as soon as its profile is built, so that the two are
    // never all held at once (at 1M documents they are gigabytes each).
    let max_df = crate::rewrite::MAX_SKETCH_DF as u32;
    let computed: Vec<(Profile, Sketch)> = terms
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

/// Rewrite candidates: documents sharing two heavy terms that few documents hold, or a pair of
/// heavy terms whatever their document frequencies (the names of a story retold by hundreds
/// of outlets are each held by hundreds of documents, but seldom together by chance). Each
/// document's profile is given its pairs of terms that other documents hold together too
/// ([`Profile::co`]).
pub(super) fn rewrite_candidates(
    docs: &[DocId],
    sketches: &[Sketch],
    batch: &mut Batch,
) -> Vec<CandidatePair> {
    let keys_of = |keys: fn(&Sketch) -> &[u64]| -> Vec<&[u64]> { sketches.iter().map(keys).collect() };
    let (heavy, co) = rayon::join(
        || candidates::shared_keys(&keys_of(|s| &s.heavy), docs, usize::MAX, HEAVY_SHARED, 0).0,
        || {
            candidates::co_held(
                &keys_of(|s| &s.pairs),
                docs,
                crate::rewrite::MAX_SKETCH_DF,
                CO_HELD_LINKS,
            )
        },
    );
    for ((d, held), sketch) in docs.iter().zip(co.held).zip(sketches) {
        batch.profiles[d.idx()].co = sketch.co_held(&held);
    }
    candidates::merge(vec![heavy, co.pairs])
}

/// Heavy terms two documents must share to be a candidate. Each document has up to
/// [`Params::salient_sketch`] (48) of them, each held by up to
/// [`crate::rewrite::MAX_SKETCH_DF`] (50) documents: were terms held independently, chance would
/// give a document about `C(48, m) (df / N)^m N` others sharing `m` of them, `df` their typical
/// frequency: at 100k documents and `df` 25, 7 for two and 0.03 for three (docs/EVALUATION.md
/// measures what two proposed). A single rare name in common is a coincidence as often as a
/// story, and so are two of forty-eight. A story whose terms are too common to be heavy is
/// found through the pairs of terms its documents hold together ([`candidates::co_held`]).
pub(crate) const HEAVY_SHARED: usize = 3;

/// Of a pair of terms more than [`crate::rewrite::MAX_SKETCH_DF`] documents hold together, each
/// holder is proposed with this many first holders.
const CO_HELD_LINKS: usize = 2;

/// Candidates proposed by shingles (LSH bands and passage fingerprints, found side by side),
/// sorted and distinct; every pair under `--all-pairs`.
pub(super) fn shingle_candidates(
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
                let at: Vec<&[u32]> = docs
                    .iter()
                    .map(|d| features[d.idx()].fingerprint_at.as_slice())
                    .collect();
                // A passage of `min_overlap` words spans this many winnowing windows, and holds
                // a fingerprint in each.
                let guaranteed = params.winnow_window / params.fingerprint_window();
                candidates::shared_passages(
                    &keys_of(|f| &f.fingerprints),
                    &at,
                    docs,
                    params.max_df,
                    params.passage_gap as u32,
                    guaranteed < 2,
                )
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
