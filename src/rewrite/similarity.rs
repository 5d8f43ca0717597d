//! How alike two profiles are, and what they share.

use super::*;
use decision::KindCounts;

/// What two profiles share: their common terms by kind, those of them at most
/// [`decision::SPECIFIC_MAX_DF`] documents hold, how surprising the overlap is alone and in
/// pairs of terms (merges of sorted lists).
pub fn shared_terms(a: &Profile, b: &Profile, df: &DocFreq) -> decision::Shared {
    let mut out = decision::Shared::default();
    common(&a.ids, &b.ids, |&id| id, |i, _| {
        let id = a.ids[i] as usize;
        let kind = df.kind(id as u32);
        let held = df.slots[id].df;
        out.shared.add(kind);
        if held <= decision::SPECIFIC_MAX_DF {
            out.specific.add(kind);
        }
        // Each other document that holds the term could as well explain it.
        out.surprise += 1.0 / f64::from(held.max(2) - 1);
    });
    common(&a.co, &b.co, |c| c.0, |i, _| out.co_surprise += f64::from(a.co[i].1));
    out.expected = expected(a, b, &out.shared, df);
    out.held = [KindCounts::of(a.held), KindCounts::of(b.held)];
    out
}

/// How many terms of each kind two documents of the batch would share by chance.
fn expected(a: &Profile, b: &Profile, shared: &KindCounts, df: &DocFreq) -> decision::Expected {
    let sides = std::array::from_fn(|k| {
        [
            decision::Side { others: a.others[k], len: a.held[k] },
            decision::Side { others: b.others[k], len: b.held[k] },
        ]
    });
    let mean = std::array::from_fn(|k| df.mean_held(k));
    decision::Expected::new(sides, shared, mean, df.n)
}

/// Calls `each(i, j)` for every `a[i]` and `b[j]` of one key, in key order; both are sorted by
/// `key`, each key at most once.
#[inline]
fn common<T, K: Ord>(a: &[T], b: &[T], key: impl Fn(&T) -> K, mut each: impl FnMut(usize, usize)) {
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        let (x, y) = (key(&a[i]), key(&b[j]));
        if x == y {
            each(i, j);
        }
        i += usize::from(x <= y);
        j += usize::from(y <= x);
    }
}

/// Weighted Jaccard similarity of two profiles: `Σ min(wa, wb) / Σ max(wa, wb)`.
pub fn similarity(a: &Profile, b: &Profile) -> f64 {
    let mut shared = 0.0f64;
    // Shared weights added in ascending id order, as [`Loaded::similarity`] adds them.
    common(&a.ids, &b.ids, |&id| id, |i, j| {
        shared += f64::from(lighter(a.weights[i], b.weights[j]));
    });
    jaccard(a, b, shared)
}

/// The weighted Jaccard of two profiles whose shared terms weigh `shared` (`Σ min`).
pub(super) fn jaccard(a: &Profile, b: &Profile, shared: f64) -> f64 {
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
pub(super) fn lighter(x: f32, y: f32) -> f32 {
    if x < y { x } else { y }
}
