//! Winnowing (Schleimer, Wilkerson and Aiken, 2003): passage fingerprints with a guarantee.
//!
//! From every window of `w` consecutive shingle hashes the minimum is kept (the rightmost one
//! on ties). Two documents that share a run of `w` consecutive shingles therefore share at least
//! one fingerprint, while only about `2 / (w + 1)` of the shingles are kept. This is what lets
//! a passage that is 2% of both documents, invisible to whole-document MinHash, still propose
//! the pair.

use std::collections::VecDeque;

/// The winnowed fingerprints of `hashes` (positional shingle hashes), sorted and distinct.
/// A text shorter than one window keeps its minimum.
pub fn fingerprints(hashes: &[u64], w: usize) -> Vec<u64> {
    let w = w.max(1);
    let mut out = Vec::with_capacity(2 * hashes.len() / (w + 1) + 1);
    if hashes.is_empty() {
        return out;
    }
    if hashes.len() < w {
        out.push(*hashes.iter().min().expect("non-empty"));
        return out;
    }
    // Positions whose hashes increase from front to back: the front is the window's minimum.
    let mut window: VecDeque<usize> = VecDeque::with_capacity(w);
    let mut last = usize::MAX;
    for (i, &h) in hashes.iter().enumerate() {
        while window.back().is_some_and(|&j| hashes[j] >= h) {
            window.pop_back();
        }
        window.push_back(i);
        if window.front().is_some_and(|&j| j + w <= i) {
            window.pop_front();
        }
        if i + 1 >= w {
            let m = *window.front().expect("window holds i");
            if m != last {
                out.push(hashes[m]);
                last = m;
            }
        }
    }
    out.sort_unstable();
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Brute force: the minimum of every window (rightmost on ties).
    fn naive(hashes: &[u64], w: usize) -> Vec<u64> {
        if hashes.len() < w {
            return hashes.iter().min().into_iter().copied().collect();
        }
        let mut out: Vec<u64> = hashes
            .windows(w)
            .map(|win| *win.iter().min().unwrap())
            .collect();
        out.sort_unstable();
        out.dedup();
        out
    }

    proptest! {
        #[test]
        fn matches_naive(hashes in prop::collection::vec(0u64..50, 0..200), w in 1usize..12) {
            prop_assert_eq!(fingerprints(&hashes, w), naive(&hashes, w));
        }

        #[test]
        fn shared_window_shares_a_fingerprint(
            a in prop::collection::vec(any::<u64>(), 0..100),
            b in prop::collection::vec(any::<u64>(), 0..100),
            shared in prop::collection::vec(any::<u64>(), 8..40),
        ) {
            let w = 8;
            let doc_a: Vec<u64> = a.iter().chain(&shared).copied().collect();
            let doc_b: Vec<u64> = shared.iter().chain(&b).copied().collect();
            let fa = fingerprints(&doc_a, w);
            let fb = fingerprints(&doc_b, w);
            prop_assert!(fa.iter().any(|x| fb.binary_search(x).is_ok()));
        }
    }

    #[test]
    fn density_is_about_two_over_w_plus_one() {
        let mut s = 7u64;
        let hashes: Vec<u64> = (0..100_000)
            .map(|_| crate::hash::splitmix64(&mut s))
            .collect();
        let n = fingerprints(&hashes, 26).len() as f64;
        let expected = 2.0 / 27.0 * 100_000.0;
        assert!((n / expected - 1.0).abs() < 0.05, "{n} vs {expected}");
    }
}
