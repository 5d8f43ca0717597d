//! A document's weighted salient terms.

use super::*;

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
    pub(super) fn build(
        terms: &[Term],
        df: &DocFreq,
        mut each: impl FnMut(u64, f32, u32),
    ) -> Profile {
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
