//! A document's weighted salient terms.

use super::*;
use crate::hash::mix64;

pub(super) fn boost(kind: Kind) -> f32 {
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
    /// Its [`Sketch::pairs`] other documents hold too, sorted by key, each with the evidence
    /// it gives when another document shares it ([`Sketch::co_held`]; set when the batch's
    /// candidates are found).
    pub co: Vec<(u64, f32)>,
    /// By [`Kind`], `Σ (df - 1)` over `ids`: how often other documents hold its terms
    /// ([`decision::Expected`]).
    pub others: [u32; 5],
    /// By [`Kind`] (as the batch's table records it), how many of `ids` there are: counted once
    /// here rather than for every candidate pair ([`decision::Expected`]).
    pub held: [u32; 5],
}

impl Profile {
    /// The profile of a document's terms in a batch.
    pub fn new(terms: &[Term], df: &DocFreq) -> Profile {
        Profile::build(terms, df, |_, _, _| {})
    }

    /// [`Profile::new`] and the document's [`Sketch`]. Each term's document frequency is looked
    /// up once for both: a scan looks up every term of every document, in a table of millions
    /// of keys that misses the cache.
    pub fn with_sketch(terms: &[Term], df: &DocFreq, k: usize, max_df: u32) -> (Profile, Sketch) {
        let mut heavy: Vec<(f32, u64, ())> = Vec::with_capacity(terms.len());
        let mut shared: Vec<(f32, u64, u32)> = Vec::with_capacity(terms.len());
        let profile = Profile::build(terms, df, |key, w, d| {
            if d <= max_df {
                heavy.push((w, key, ()));
            }
            // A term only one other document holds counts in full in the decision's
            // `surprise`; in pairs it would count again.
            if d > 2 {
                shared.push((w, key, d - 1));
            }
        });
        let heavy = heaviest(&mut heavy, k).into_iter().map(|h| h.0).collect();
        let top = heaviest(&mut shared, CO_HELD_TERMS);
        // Two terms so common that other documents hold both by chance propose nothing: among
        // N documents, about (df_x - 1)(df_y - 1) / N others would. N is the batch: on a fixed
        // scale, as the inverse document frequencies have, a small batch of one kind of text
        // (a day of one city's crime news) would find every pair of its common names rare
        // together. So documents holding neither term do make two that hold both a little
        // more alike; docs/EVALUATION.md measures how little.
        let scale = f64::from(df.n.max(1));
        let together = |a: u32, b: u32| f64::from(a) * f64::from(b) / scale;
        let mut keyed: Vec<(u64, f32)> = Vec::with_capacity(top.len() * top.len() / 2);
        // `top` is sorted: each pair or triple is keyed in one order, whichever document it is in.
        for (i, &(x, dx)) in top.iter().enumerate() {
            for (j, &(y, dy)) in top.iter().enumerate().skip(i + 1) {
                let expected = together(dx, dy);
                if expected <= CO_HELD_CHANCE {
                    keyed.push((mix64(x ^ y.rotate_left(29)), expected as f32));
                    continue;
                }
                // Three names each held by a thousand documents of a hundred thousand are
                // seldom held together by chance, although any two of them are: a story told
                // only with common names is keyed by its triples. Only where the pair is not
                // keyed itself, so that a triple adds a key a pair would not.
                for &(z, dz) in &top[j + 1..] {
                    let expected = expected * f64::from(dz) / scale;
                    if expected <= CO_HELD_CHANCE
                        && together(dx, dz) > CO_HELD_CHANCE
                        && together(dy, dz) > CO_HELD_CHANCE
                    {
                        let key = mix64(x ^ y.rotate_left(29) ^ z.rotate_left(43));
                        keyed.push((key, expected as f32));
                    }
                }
            }
        }
        keyed.sort_unstable_by_key(|k| k.0);
        keyed.dedup_by_key(|k| k.0);
        let (pairs, chance) = keyed.into_iter().unzip();
        (profile, Sketch { heavy, pairs, chance })
    }

    /// The profile; `each` sees every kept term's key, weight and document frequency.
    pub(super) fn build(
        terms: &[Term],
        df: &DocFreq,
        mut each: impl FnMut(u64, f32, u32),
    ) -> Profile {
        let mut p = Profile {
            ids: Vec::with_capacity(terms.len()),
            weights: Vec::with_capacity(terms.len()),
            total: 0.0,
            co: Vec::new(),
            others: [0; 5],
            held: [0; 5],
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
                    let others = &mut p.others[t.kind() as usize];
                    *others = others.saturating_add(slot.df - 1);
                    p.held[df.kind(id) as usize] += 1;
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

/// A document's keys for rewrite candidates ([`crate::rewrite`], "Candidates").
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Sketch {
    /// Its heaviest terms held by few documents, sorted.
    pub heavy: Vec<u64>,
    /// A key for each pair of its [`CO_HELD_TERMS`] heaviest terms among those two other
    /// documents or more hold, however many, that chance seldom gives another document; and
    /// for each triple of them that chance seldom gives although it gives each of its pairs.
    /// Sorted.
    pub pairs: Vec<u64>,
    /// For each of `pairs`, how many other documents would hold its terms by chance, were
    /// terms independent.
    pub chance: Vec<f32>,
}

impl Sketch {
    /// `(key, evidence)` for each of `held`, a sorted subset of [`Sketch::pairs`] with how many
    /// documents hold each, that chance would give another holder less than once in
    /// [`CO_HELD_SIGNIFICANT`]: `1 / (c - 1)`, so that a pair only two documents hold together
    /// weighs 1, as a term does in [`crate::rewrite::decision::Shared::surprise`], and less
    /// with every other holder. A document holds a few dozen pairs: those chance explains
    /// more often than that are shared with some document or other in every batch.
    pub fn co_held(&self, held: &[(u64, u32)]) -> Vec<(u64, f32)> {
        let mut at = 0;
        held.iter()
            .filter_map(|&(key, c)| {
                at += self.pairs[at..].partition_point(|&k| k < key);
                let evidence = 1.0 / (c.max(2) - 1) as f32;
                (self.chance[at] <= CO_HELD_SIGNIFICANT).then_some((key, evidence))
            })
            .collect()
    }
}

/// Heaviest terms whose pairs key a document's [`Sketch::pairs`].
pub const CO_HELD_TERMS: usize = 8;

/// Pairs of terms that more than this many other documents of the batch would hold together by
/// chance, were terms independent, key nothing: they are not a story's, and they would propose
/// every document holding them.
pub const CO_HELD_CHANCE: f64 = 4.0;

/// The most other holders chance may be expected to give a pair of terms whose sharing is
/// evidence of one story ([`Sketch::co_held`]): one in twenty.
pub const CO_HELD_SIGNIFICANT: f32 = 0.05;

/// The keys of the `k` heaviest of `terms` (weight, key, what goes with the key), sorted by
/// key. Ties go by key, so the choice does not depend on input order: keys are distinct, so the
/// order is total and its first `k` are one set, found without sorting them all. A vector of its
/// own, not `terms`' room: sketches are held for every document until the candidates are found.
fn heaviest<T: Copy>(terms: &mut [(f32, u64, T)], k: usize) -> Vec<(u64, T)> {
    if terms.len() > k && k > 0 {
        terms.select_nth_unstable_by(k - 1, |a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    }
    let mut keys = Vec::with_capacity(k.min(terms.len()));
    keys.extend(terms.iter().take(k).map(|&(_, key, x)| (key, x)));
    keys.sort_unstable_by_key(|k| k.0);
    keys
}

/// Terms a profile's weighing looks ahead to fetch their slots: enough for the memory's
/// latency, not so many that a short profile fetches nothing in time.
pub(super) const PREFETCH_SLOTS: usize = 8;

/// Asks the processor to start loading the `len` bytes at `bytes` into its cache. A plain
/// loop: `step_by`'s setup, once per profile of every candidate, cost more than the prefetches.
#[inline]
pub(super) fn prefetch_lines(bytes: *const u8, len: usize) {
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
pub(super) fn count_factor(count: u16) -> f32 {
    static SMALL: std::sync::LazyLock<[f32; 64]> =
        std::sync::LazyLock::new(|| std::array::from_fn(|c| ln_count_factor(c as u16)));
    match SMALL.get(usize::from(count)) {
        Some(&f) => f,
        None => ln_count_factor(count),
    }
}

pub(super) fn ln_count_factor(count: u16) -> f32 {
    1.0 + f32::from(count).ln()
}
