//! Per-stage throughput on a seeded synthetic corpus (tests/support/synth.rs).
//!
//! Run: `cargo bench --bench stages`. Each bench asserts on its output so that a broken stage
//! cannot look fast.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use neardup::features::{Features, shingle, winnow};
use neardup::sketch::MinHasher;
use neardup::{Corpus, DocId, Params, Relation, normalize};

#[path = "../tests/support/synth.rs"]
mod synth;

fn stages(c: &mut Criterion) {
    let params = Params::default();
    let docs = synth::corpus(1, 2_000, 400);
    let bytes: u64 = docs.iter().map(|(_, t)| t.len() as u64).sum();
    let text = &docs[0].1;

    let mut g = c.benchmark_group("stages");
    g.sample_size(20);
    g.throughput(Throughput::Bytes(text.len() as u64));
    g.bench_function("normalize/words", |b| {
        b.iter(|| assert!(!normalize::words(text).is_empty()))
    });
    g.bench_function("normalize/text_hash", |b| {
        b.iter(|| normalize::text_hash(text))
    });
    let words = normalize::words(text);
    g.bench_function("shingle+winnow", |b| {
        b.iter(|| {
            let pos = shingle::positional(&words, params.shingle);
            let fps = winnow::fingerprints(&pos, params.fingerprint_window());
            assert!(!fps.is_empty());
            shingle::set(pos)
        })
    });
    g.bench_function("features", |b| b.iter(|| Features::extract(text, &params)));

    let features: Vec<Features> = docs
        .iter()
        .map(|(_, t)| Features::extract(t, &params))
        .collect();
    let hasher = MinHasher::new(params.perm, params.seed);
    let set = neardup::features::shingle_set(text, params.shingle);
    g.throughput(Throughput::Elements(1));
    assert_eq!(
        neardup::sketch::band_keys(&hasher.sign(&set), &params.lsh),
        features[0].bands
    );
    g.bench_function("minhash/one document", |b| b.iter(|| hasher.sign(&set)));

    let ids: Vec<DocId> = (0..docs.len() as u32).map(DocId).collect();
    let keys: Vec<&[u64]> = features.iter().map(|f| f.bands.as_slice()).collect();
    g.throughput(Throughput::Elements(docs.len() as u64));
    g.bench_function("lsh/2000 documents", |b| {
        b.iter(|| assert!(!neardup::candidates::lsh(&keys, &ids).is_empty()))
    });
    g.throughput(Throughput::Bytes(bytes));
    // Signing as the near-duplicate scan does it: normalize, segment, shingle, MinHash, and
    // hash the normalized text for exact duplicates. One core; varied documents, so that
    // branch prediction sees real text rather than one document learnt by heart.
    let near = Params {
        relations: vec![Relation::Duplicate, Relation::NearDuplicate],
        ..Params::default()
    }
    .resolved()
    .unwrap();
    g.bench_function("sign/2000 documents", |b| {
        b.iter(|| {
            docs.iter()
                .map(|(_, t)| Features::extract_with(t, &near, &hasher).bands.len())
                .sum::<usize>()
        })
    });
    // Exact verification (shingle sets, Jaccard, containment, passages) of the LSH candidates.
    let corpus = Corpus::from_texts(docs.iter().map(|(id, t)| (id.as_str(), t.as_str())));
    let verifier = neardup::verify::Verifier {
        texts: neardup::features::boilerplate::Texts::new(&corpus, &[]),
        features: &features,
        params: &near,
        bounds: None,
    };
    let candidates = neardup::candidates::lsh(&keys, &ids);
    g.throughput(Throughput::Elements(candidates.len() as u64));
    g.bench_function("verify/lsh candidates", |b| {
        b.iter(|| {
            let found = candidates
                .iter()
                .filter_map(|&p| {
                    verifier
                        .verify(p, &Default::default(), None, false)
                        .unwrap()
                })
                .count();
            assert!(found > 0);
        })
    });
    g.throughput(Throughput::Bytes(bytes));
    // Salient terms (names, numbers, quotations, sources, rare words) of words already
    // segmented: what a default scan adds per document for rewrites.
    let segmented: Vec<_> = docs.iter().map(|(_, t)| normalize::words(t)).collect();
    g.bench_function("salient/2000 documents", |b| {
        b.iter(|| {
            docs.iter()
                .zip(&segmented)
                .map(|((_, t), w)| neardup::features::salient::terms_of_words(t, w).len())
                .sum::<usize>()
        })
    });
    // Rewrite scoring: every document of the batch against 50 others, as candidates come
    // grouped by their first document; a probe loaded once per document, and the pairwise
    // merge it replaced in scans, which must agree to the bit.
    let terms: Vec<&[neardup::features::salient::Term]> =
        features.iter().map(|f| f.salient.as_slice()).collect();
    let df = neardup::rewrite::DocFreq::new(&terms);
    let profiles: Vec<neardup::rewrite::Profile> = terms
        .iter()
        .map(|t| neardup::rewrite::Profile::new(t, &df))
        .collect();
    let n = docs.len();
    let others = move |a: usize| (1..=50).map(move |k| (a + 37 * k) % n);
    let mut probe = neardup::rewrite::Probe::new(&df);
    g.throughput(Throughput::Elements(50 * docs.len() as u64));
    g.bench_function("rewrite/probe, 100k pairs", |b| {
        b.iter(|| {
            let mut sum = 0.0;
            for (a, pa) in profiles.iter().enumerate() {
                let loaded = probe.load(pa);
                sum += others(a)
                    .map(|o| loaded.similarity(&profiles[o]))
                    .sum::<f64>();
            }
            assert!(sum > 0.0);
            sum
        })
    });
    g.bench_function("rewrite/merge, 100k pairs", |b| {
        b.iter(|| {
            let sum: f64 = (0..profiles.len())
                .flat_map(|a| others(a).map(move |o| (a, o)))
                .map(|(a, o)| neardup::rewrite::similarity(&profiles[a], &profiles[o]))
                .sum();
            assert!(sum > 0.0);
            sum
        })
    });
    g.throughput(Throughput::Bytes(bytes));
    g.bench_function("features/2000 documents", |b| {
        b.iter(|| {
            docs.iter()
                .map(|(_, t)| Features::extract(t, &params).words as u64)
                .sum::<u64>()
        })
    });
    g.finish();
}

criterion_group!(benches, stages);
criterion_main!(benches);
