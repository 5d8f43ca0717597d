//! The whole pipeline, end to end: on the sample `corpus/` and on a seeded synthetic corpus
//! with planted copies, edits and spliced passages.
//!
//! Run: `cargo bench --bench scan`. The synthetic bench asserts the pair count found by
//! exact brute force, so a recall regression fails the bench instead of speeding it up.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use neardup::{Corpus, NoProgress, Params, ReadOptions};

#[path = "../tests/support/synth.rs"]
mod synth;

fn scan(c: &mut Criterion) {
    let params = Params::default();
    let mut g = c.benchmark_group("scan");
    g.sample_size(10);

    let sample = neardup::read::inputs(&["corpus".into()], &ReadOptions::default()).unwrap();
    g.bench_function("corpus/", |b| {
        b.iter(|| {
            let r = neardup::scan(&sample, &params, &NoProgress).unwrap();
            assert_eq!(r.stats.documents, 5);
        })
    });

    let docs = Corpus::from_texts(synth::corpus(7, 5_000, 400));
    let brute = Params {
        all_pairs: true,
        ..params.clone()
    }
    .resolved()
    .unwrap();
    let expected = neardup::scan(&docs, &brute, &NoProgress)
        .unwrap()
        .pairs
        .len();
    g.throughput(Throughput::Elements(docs.docs.len() as u64));
    g.bench_function("synthetic/5000 documents", |b| {
        b.iter(|| {
            let r = neardup::scan(&docs, &params, &NoProgress).unwrap();
            assert!(r.pairs.len() as f64 >= 0.99 * expected as f64);
        })
    });
    g.finish();
}

criterion_group!(benches, scan);
criterion_main!(benches);
