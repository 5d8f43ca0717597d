//! One document scored against many, its profile as a bitmap over the batch's term ids.

use super::*;

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
    pub(super) held: Vec<u64>,
    /// For each word of `held` the loaded profile has bits in, the position in its ids of the
    /// first of them: a held id's weight is found from there by counting the bits before it,
    /// in a table of 4 bytes a word rather than 4 bytes an id, which stays in cache.
    pub(super) first: Vec<u32>,
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
    pub(super) probe: &'p mut Probe,
    pub(super) a: &'p Profile,
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
    pub(super) fn shared_weight(&self, b: &Profile, weigh: impl Fn(f32, f32) -> f32) -> f64 {
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
