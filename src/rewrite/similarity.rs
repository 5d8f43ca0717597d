//! How alike two profiles are, and what they share.

use super::*;

/// What two profiles share: their common terms by kind, those of them at most
/// [`decision::SPECIFIC_MAX_DF`] documents hold, how surprising the overlap is alone and in
/// pairs of terms (merges of sorted lists).
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
    let (ca, cb) = (&a.co, &b.co);
    let (mut i, mut j) = (0, 0);
    while i < ca.len() && j < cb.len() {
        let (x, y) = (ca[i], cb[j]);
        if x.0 == y.0 {
            out.co_surprise += f64::from(x.1);
        }
        i += usize::from(x.0 <= y.0);
        j += usize::from(y.0 <= x.0);
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
