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
//! pairs that share at least two of them, through postings no longer than a cap, are
//! candidates. On ECB+ this keeps 0.99 of the pairs above the threshold while proposing under
//! 1% of all pairs, and every candidate is scored exactly.

pub mod decision;
mod explain;

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
/// a story retold by more outlets than this is still found through the rarer terms its
/// retellings share (quotations, figures, minor names).
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

/// Document frequencies of salient terms in one batch, and an id for each term.
#[derive(Clone, Debug, Default)]
pub struct DocFreq {
    /// Documents counted.
    n: u32,
    /// The terms at least two documents hold, in key order with gaps: a key lies at the slot
    /// its top bits name ([`DocFreq::home`]) or just after it, behind smaller keys. A lookup
    /// reads a slot or two (every term of every document is looked up, in a table larger than
    /// the cache), and the slots of a document's terms, sorted by key, are known before they
    /// are needed, so they can be fetched ahead ([`DocFreq::prefetch`]). A term's id is its
    /// slot, so ids sort as keys do.
    slots: Vec<Slot>,
    /// `64 -` the bits of a key that name its home slot.
    shift: u32,
    /// The kind of the term in each slot, apart from the slots: only a rewrite decision reads
    /// it, and the slots are read for every term of every document.
    kinds: Vec<Kind>,
}

/// One term's slot; `df == 0` marks a free one.
#[derive(Clone, Copy, Debug, Default)]
struct Slot {
    key: u64,
    df: u32,
    /// [`DocFreq::factor`] of `df`, computed once: a scan weighs every term of every
    /// document, and each factor takes two logarithms.
    factor: f32,
}

/// What a lookup finds for a term no other document holds (such terms are not kept): no
/// documents counted, and the batch factor of one.
const ALONE: Slot = Slot {
    key: 0,
    df: 0,
    factor: 1.0,
};

impl DocFreq {
    /// Counts, over `docs`, how many hold each term (terms are distinct within a document).
    pub fn new(docs: &[&[Term]]) -> DocFreq {
        use rayon::prelude::*;
        // Counted in one hash map per worker, then merged: a batch holds far fewer distinct
        // terms than term occurrences (117k among 20M in 100k generated documents), and
        // sorting all 20M keys took 0.4 s of a 5.9 s scan.
        let per_worker = docs.len().div_ceil(rayon::current_num_threads()).max(1);
        let table = docs
            .par_chunks(per_worker)
            .map(|chunk| {
                let mut counts: ahash::AHashMap<u64, (u32, Kind)> = Default::default();
                for t in chunk.iter().flat_map(|terms| terms.iter()) {
                    counts.entry(t.key()).or_insert((0, t.kind())).0 += 1;
                }
                counts
            })
            .reduce(Default::default, |mut a, mut b| {
                if a.len() < b.len() {
                    std::mem::swap(&mut a, &mut b);
                }
                for (key, (df, kind)) in b {
                    a.entry(key).or_insert((0, kind)).0 += df;
                }
                a
            });
        // A term only one document holds is never shared, and weighs as an absent one (the
        // batch factor counts at least two documents): dropped, it leaves the table under half
        // its size (53k of 117k keys in 100k generated documents).
        let mut counts: Vec<(u64, (u32, Kind))> = table.into_iter().filter(|e| e.1.0 > 1).collect();
        counts.par_sort_unstable_by_key(|e| e.0);
        let kinds: Vec<Kind> = counts.iter().map(|e| e.1.1).collect();
        let counts: Vec<(u64, u32)> = counts.into_iter().map(|(k, (d, _))| (k, d)).collect();
        DocFreq::from_sorted(docs.len() as u32, &counts, &kinds)
    }

    /// The table of the terms held by two or more documents, `counts`, sorted by key, of
    /// `kinds` (ordinary words where `kinds` is short).
    fn from_sorted(n: u32, counts: &[(u64, u32)], kinds: &[Kind]) -> DocFreq {
        // At least twice as many slots as keys: a key lies about half a slot past its home.
        let bits = (usize::BITS - counts.len().leading_zeros() + 1).min(63);
        let mut df = DocFreq {
            n,
            kinds: Vec::new(),
            slots: vec![Slot::default(); 1 << bits],
            shift: 64 - bits,
        };
        let mut next = 0;
        for &(key, d) in counts {
            let at = df.home(key).max(next);
            if at >= df.slots.len() {
                // The last keys ran past the end: slots follow, still in order.
                df.slots.resize(at + 1, Slot::default());
            }
            df.slots[at] = Slot {
                key,
                df: d,
                factor: df.factor(d),
            };
            next = at + 1;
        }
        df.kinds = vec![Kind::Word; df.slots.len()];
        for (&(key, _), &kind) in counts.iter().zip(kinds) {
            let id = df.find(key).0 as usize;
            df.kinds[id] = kind;
        }
        df
    }

    fn home(&self, key: u64) -> usize {
        (key >> self.shift) as usize
    }

    /// The slot of `key` and its contents, or `ALONE` when no two documents hold it.
    #[inline]
    fn find(&self, key: u64) -> (u32, &Slot) {
        let mut i = self.home(key);
        // Keys before `key`'s place are smaller: past it, a larger key or a free slot says it
        // is not there.
        while let Some(slot) = self.slots.get(i) {
            if slot.df == 0 || slot.key > key {
                break;
            }
            if slot.key == key {
                return (i as u32, slot);
            }
            i += 1;
        }
        (u32::MAX, &ALONE)
    }

    /// Asks the processor to start loading the slot of `key` into its cache (a hint: it
    /// reads nothing and never faults).
    #[inline]
    fn prefetch(&self, key: u64) {
        if let Some(slot) = self.slots.get(self.home(key)) {
            prefetch_lines(std::ptr::from_ref(slot).cast(), 1);
        }
    }

    /// Documents holding `key`, when at least two do; 0 otherwise (see [`DocFreq::new`]).
    pub fn df(&self, key: u64) -> u32 {
        self.find(key).1.df
    }

    /// The batch factor of a term held by `df` documents, in [0, 1]: an inverse document
    /// frequency over the documents other than one of a pair, on the scale of a batch of
    /// [`REFERENCE_BATCH`] documents, or of the batch when it is larger (see the module doc).
    pub fn factor(&self, df: u32) -> f32 {
        let others = (df.max(2) - 1) as f32;
        let reference = REFERENCE_BATCH.max(self.n as f32) + 1.0;
        ((reference / others).ln() / reference.ln()).clamp(0.0, 1.0)
    }

    /// The weight of one occurrence-class of a term: everything but the count.
    pub fn unit_weight(&self, key: u64, kind: Kind, rarity: f32) -> f32 {
        boost(kind) * rarity * self.find(key).1.factor
    }
}

fn boost(kind: Kind) -> f32 {
    match kind {
        Kind::Word | Kind::Quote => 1.0,
        Kind::Entity | Kind::Number | Kind::Source => SALIENT_BOOST,
    }
}

/// A document's weighted salient terms, sorted by key.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Profile {
    /// Ids in the batch ([`DocFreq`]; ascending, as the keys are) of the terms some other
    /// document holds too. Ids rather than 64-bit keys: similarity streams the profiles of
    /// hundreds of thousands of candidate pairs from memory, 8 bytes a term instead of 12.
    pub ids: Vec<u32>,
    /// The weight of each of `ids`.
    pub weights: Vec<f32>,
    /// Sum of the weights of all the terms.
    pub total: f32,
}

impl Profile {
    /// The profile of a document's terms in a batch.
    pub fn new(terms: &[Term], df: &DocFreq) -> Profile {
        Profile::build(terms, df, |_, _, _| {})
    }

    /// [`Profile::new`] and the document's sketch: the keys of its `k` heaviest terms held by
    /// at most `max_df` documents, sorted by key. Each term's document frequency is looked up
    /// once for both: a scan looks up every term of every document, in a table of millions of
    /// keys that misses the cache.
    pub fn with_sketch(terms: &[Term], df: &DocFreq, k: usize, max_df: u32) -> (Profile, Vec<u64>) {
        let mut heavy: Vec<(f32, u64)> = Vec::with_capacity(terms.len());
        let profile = Profile::build(terms, df, |key, w, d| {
            if d <= max_df {
                heavy.push((w, key));
            }
        });
        // The k heaviest, ties by key, so the sketch does not depend on input order. Keys are
        // distinct, so the order is total and its first k are one set, found without sorting
        // them all.
        if heavy.len() > k && k > 0 {
            heavy.select_nth_unstable_by(k - 1, |a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        }
        // A vector of its own: collected from `heavy`, it would keep `heavy`'s room (a term's),
        // and sketches are held for every document until the candidates are found.
        let mut sketch = Vec::with_capacity(k.min(heavy.len()));
        sketch.extend(heavy.iter().take(k).map(|&(_, key)| key));
        sketch.sort_unstable();
        (profile, sketch)
    }

    /// The profile; `each` sees every kept term's key, weight and document frequency.
    fn build(terms: &[Term], df: &DocFreq, mut each: impl FnMut(u64, f32, u32)) -> Profile {
        let mut p = Profile {
            ids: Vec::with_capacity(terms.len()),
            weights: Vec::with_capacity(terms.len()),
            total: 0.0,
        };
        for (k, t) in terms.iter().enumerate() {
            if let Some(ahead) = terms.get(k + PREFETCH_SLOTS) {
                df.prefetch(ahead.key());
            }
            let (id, slot) = df.find(t.key());
            let w = boost(t.kind()) * t.rarity() * slot.factor * count_factor(t.count());
            if w > 0.0 {
                // A term no other document holds is never shared: it counts in the total only,
                // and the scoring of every candidate pair skips it.
                if slot.df > 1 {
                    p.ids.push(id);
                    p.weights.push(w);
                }
                p.total += w;
                each(t.key(), w, slot.df);
            }
        }
        p
    }

    /// Asks the processor to start loading the profile into its cache, ahead of scoring it:
    /// the profiles a document is scored against lie anywhere in memory, and scoring one waits
    /// on its few dozen cache lines otherwise (a prefetch reads nothing and never faults).
    #[inline]
    pub fn prefetch(&self) {
        self.prefetch_ids();
        prefetch_lines(self.weights.as_ptr().cast(), 4 * self.weights.len());
    }

    /// [`Profile::prefetch`] of the ids alone, for [`Loaded::similarity_at_least`], which
    /// mostly reads no weight of the profile.
    #[inline]
    pub fn prefetch_ids(&self) {
        prefetch_lines(self.ids.as_ptr().cast(), 4 * self.ids.len());
    }
}

/// Terms a profile's weighing looks ahead to fetch their slots: enough for the memory's
/// latency, not so many that a short profile fetches nothing in time.
const PREFETCH_SLOTS: usize = 8;

/// Asks the processor to start loading the `len` bytes at `bytes` into its cache. A plain
/// loop: `step_by`'s setup, once per profile of every candidate, cost more than the prefetches.
#[inline]
fn prefetch_lines(bytes: *const u8, len: usize) {
    #[cfg(target_arch = "x86_64")]
    {
        use std::arch::x86_64::{_MM_HINT_T0, _mm_prefetch};
        let mut offset = 0;
        while offset < len {
            // SAFETY: a prefetch is a hint that reads no memory and never faults; the address
            // is inside the caller's slice.
            unsafe { _mm_prefetch::<_MM_HINT_T0>(bytes.add(offset).cast()) };
            offset += 64;
        }
    }
}

/// `1 + ln count`: how a term's weight grows with its repetitions. The commoner counts are
/// taken from a table: a scan weighs every term of every document, and a logarithm for each
/// repeated one was a sixth of the weighing.
#[inline]
fn count_factor(count: u16) -> f32 {
    static SMALL: std::sync::LazyLock<[f32; 64]> =
        std::sync::LazyLock::new(|| std::array::from_fn(|c| ln_count_factor(c as u16)));
    match SMALL.get(usize::from(count)) {
        Some(&f) => f,
        None => ln_count_factor(count),
    }
}

fn ln_count_factor(count: u16) -> f32 {
    1.0 + f32::from(count).ln()
}

/// What two profiles share: their common terms by kind, those of them at most
/// [`decision::SPECIFIC_MAX_DF`] documents hold, and how surprising the overlap is (a merge of
/// the sorted ids).
pub fn shared_terms(a: &Profile, b: &Profile, df: &DocFreq) -> decision::Shared {
    let mut out = decision::Shared::default();
    let (ia, ib) = (&a.ids, &b.ids);
    let (mut i, mut j) = (0, 0);
    while i < ia.len() && j < ib.len() {
        let (x, y) = (ia[i], ib[j]);
        if x == y {
            let id = x as usize;
            let kind = df.kinds.get(id).copied().unwrap_or(Kind::Word);
            let held = df.slots[id].df;
            out.shared.add(kind);
            if held <= decision::SPECIFIC_MAX_DF {
                out.specific.add(kind);
            }
            // Each other document that holds the term could as well explain it.
            out.surprise += 1.0 / f64::from(held.max(2) - 1);
        }
        i += usize::from(x <= y);
        j += usize::from(y <= x);
    }
    out
}

/// Weighted Jaccard similarity of two profiles: `Σ min(wa, wb) / Σ max(wa, wb)`.
pub fn similarity(a: &Profile, b: &Profile) -> f64 {
    let (ia, wa, ib, wb) = (&a.ids, &a.weights, &b.ids, &b.weights);
    let (mut i, mut j, mut shared) = (0, 0, 0.0f64);
    // Shared weights added in ascending id order, as [`Loaded::similarity`] adds them.
    while i < ia.len() && j < ib.len() {
        let (x, y) = (ia[i], ib[j]);
        if x == y {
            shared += f64::from(lighter(wa[i], wb[j]));
        }
        i += usize::from(x <= y);
        j += usize::from(y <= x);
    }
    jaccard(a, b, shared)
}

/// The weighted Jaccard of two profiles whose shared terms weigh `shared` (`Σ min`).
fn jaccard(a: &Profile, b: &Profile, shared: f64) -> f64 {
    let union = f64::from(a.total) + f64::from(b.total) - shared;
    if union <= 0.0 {
        0.0
    } else {
        (shared / union).clamp(0.0, 1.0)
    }
}

/// The smaller of two weights, which are positive and never NaN: a plain comparison, not
/// `f32::min`'s NaN rules.
#[inline]
fn lighter(x: f32, y: f32) -> f32 {
    if x < y { x } else { y }
}

/// Scores one document against many: its profile as a bitmap over the batch's term ids.
///
/// A scan scores hundreds of thousands of candidate pairs (about 1% of them rewrites), grouped
/// by their first document. A merge of two sorted profiles decides at every step which side
/// advances, from values it has just loaded, so each step waits on the one before and on a
/// mispredicted branch. Against a loaded profile, the other profile's ids are read in order,
/// each tested against a bitmap of a few kilobytes, with no step depending on another.
#[derive(Debug)]
pub struct Probe {
    /// Bit `id`: the loaded profile holds term `id`.
    held: Vec<u64>,
    /// For each word of `held` the loaded profile has bits in, the position in its ids of the
    /// first of them: a held id's weight is found from there by counting the bits before it,
    /// in a table of 4 bytes a word rather than 4 bytes an id, which stays in cache.
    first: Vec<u32>,
}

impl Probe {
    /// A probe for the profiles of a batch whose terms are counted in `df`.
    pub fn new(df: &DocFreq) -> Probe {
        let words = df.slots.len().div_ceil(64);
        Probe {
            held: vec![0; words],
            first: vec![0; words],
        }
    }

    /// `a` loaded, until the returned guard is dropped.
    pub fn load<'p>(&'p mut self, a: &'p Profile) -> Loaded<'p> {
        // Ids ascend: the first id seen in a word is the first of the word.
        for (k, &id) in a.ids.iter().enumerate().rev() {
            let w = id as usize / 64;
            self.held[w] |= 1 << (id % 64);
            self.first[w] = k as u32;
        }
        Loaded { probe: self, a }
    }
}

/// A profile loaded in a [`Probe`]; unloaded when dropped.
pub struct Loaded<'p> {
    probe: &'p mut Probe,
    a: &'p Profile,
}

impl Loaded<'_> {
    /// [`similarity`] of the loaded profile and `b`, to the same bits.
    pub fn similarity(&self, b: &Profile) -> f64 {
        let shared = self.shared_weight(b, lighter);
        jaccard(self.a, b, shared)
    }

    /// [`Loaded::similarity`] when it is at least `threshold`, `None` otherwise.
    ///
    /// Nearly all candidates proposed by salient terms alone fall short (99 in 100 in
    /// generated news), and the loaded profile's weights alone tell most of them: `Σ wa` over
    /// the shared terms bounds `Σ min(wa, wb)`, so `b`'s weights, half of what scoring streams
    /// from memory, are read only when that bound reaches the threshold (3 candidates in 100).
    /// Floating-point sums and divisions are monotone, so the bound computed in the same order
    /// bounds the computed similarity too: the answer is [`Loaded::similarity`]'s to the bit.
    pub fn similarity_at_least(&self, b: &Profile, threshold: f64) -> Option<f64> {
        let bound = self.shared_weight(b, |wa, _| wa);
        let union = f64::from(self.a.total) + f64::from(b.total) - bound;
        if union > 0.0 && bound / union < threshold {
            return None;
        }
        Some(self.similarity(b)).filter(|&s| s >= threshold)
    }

    /// `Σ weigh(wa, wb)` over the terms the loaded profile shares with `b`, in `b`'s id order.
    #[inline(always)]
    fn shared_weight(&self, b: &Profile, weigh: impl Fn(f32, f32) -> f32) -> f64 {
        let Probe { held, first } = &*self.probe;
        let mut shared = 0.0f64;
        for (j, &id) in b.ids.iter().enumerate() {
            let (word, bit) = (id as usize / 64, id % 64);
            let bits = held[word];
            if bits >> bit & 1 == 1 {
                let k = first[word] + (bits & ((1 << bit) - 1)).count_ones();
                shared += f64::from(weigh(self.a.weights[k as usize], b.weights[j]));
            }
        }
        shared
    }
}

impl Drop for Loaded<'_> {
    fn drop(&mut self) {
        // Only the words `a` set are cleared, not the whole bitmap: a probe serves a batch of
        // any size for the cost of the profiles it loads.
        for &id in &self.a.ids {
            self.probe.held[id as usize / 64] = 0;
        }
    }
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
            };
            // Keys 0..300 all have slot 0 as their home: they take slots 0..300, ids = keys.
            let keys: Vec<(u64, u32)> = (0..300).map(|k| (k, 2)).collect();
            let df = DocFreq::from_sorted(2, &keys, &[]);
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
            let df = DocFreq::from_sorted(1000, &counts, &[]);
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
        let counted = DocFreq::from_sorted(5000, &sorted, &[]);
        for (key, d) in counts {
            // Opaque, or the compiler folds the logarithm with its own (correctly rounded) one.
            let d = std::hint::black_box(d);
            assert_eq!(counted.df(key), d);
            assert_eq!(counted.find(key).1.factor, formula.factor(d), "df {d}");
        }
        for d in [0, 1] {
            assert_eq!(ALONE.factor, formula.factor(std::hint::black_box(d)));
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
        assert!(!Profile::with_sketch(&terms[0], &df, 2, 1).1.contains(&name));
    }
}
