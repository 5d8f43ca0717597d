//! Winnowing (Schleimer, Wilkerson and Aiken, 2003): passage fingerprints with a guarantee.
//!
//! From every window of `w` consecutive shingle hashes the minimum is kept. Two documents that
//! share a run of `w` consecutive shingles therefore share at least one fingerprint, while only
//! about `2 / (w + 1)` of the shingles are kept. This is what lets a passage that is 2% of both
//! documents, invisible to whole-document MinHash, still propose the pair.

/// The winnowed fingerprints of `hashes` (positional shingle hashes), sorted and distinct.
/// A text shorter than one window keeps its minimum.
///
/// Window minima by van Herk / Gil-Werman: cut the hashes into blocks of `w`, take running
/// minima forwards and backwards within each block, and every window, which spans the end of
/// one block and the start of the next, has the smaller of the two as its minimum. Three
/// passes without data-dependent branches, where a monotone queue mispredicted at every pop.
/// Only values are kept, so which of equal minima a window picks does not matter.
pub fn fingerprints(hashes: &[u64], w: usize) -> Vec<u64> {
    let w = w.max(1);
    let n = hashes.len();
    if n <= w {
        return hashes.iter().min().into_iter().copied().collect();
    }
    // `forward[i]`: minimum from the start of i's block to i; `backward[i]`: from i to the end
    // of its block.
    let mut forward = hashes.to_vec();
    let mut backward = hashes.to_vec();
    for block in forward.chunks_mut(w) {
        for i in 1..block.len() {
            block[i] = block[i].min(block[i - 1]);
        }
    }
    for block in backward.chunks_mut(w) {
        for i in (0..block.len() - 1).rev() {
            block[i] = block[i].min(block[i + 1]);
        }
    }
    let mut out = Vec::with_capacity(2 * n / (w + 1) + 1);
    let mut last = None;
    for (start, end) in (0..=n - w).zip(w - 1..) {
        let m = backward[start].min(forward[end]);
        if last != Some(m) {
            out.push(m);
            last = Some(m);
        }
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// Where each of `fingerprints` (sorted, from [`fingerprints`] of `hashes`) first occurs in
/// `hashes`. Two documents sharing a passage hold its fingerprints at positions a constant
/// apart, which tells a reused passage from stock phrases met at random places (see
/// [`crate::candidates::shared_passages`]).
pub fn first_positions(hashes: &[u64], fingerprints: &[u64]) -> Vec<u32> {
    let mut at = vec![u32::MAX; fingerprints.len()];
    let mut left = fingerprints.len();
    for (p, h) in hashes.iter().enumerate() {
        if left == 0 {
            break;
        }
        if let Ok(k) = fingerprints.binary_search(h)
            && at[k] == u32::MAX
        {
            at[k] = p as u32;
            left -= 1;
        }
    }
    at
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

        /// A whole window's fingerprints (an index's keys) are among those of half the window
        /// (a scan's), rounded down.
        #[test]
        fn whole_window_fingerprints_are_half_windows(
            hashes in prop::collection::vec(0u64..1000, 0..200),
            w in 1usize..12,
            odd: bool,
        ) {
            let half = fingerprints(&hashes, w);
            for f in fingerprints(&hashes, 2 * w + usize::from(odd)) {
                prop_assert!(half.binary_search(&f).is_ok());
            }
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
    fn positions_are_first_occurrences() {
        let hashes = [9, 4, 7, 4, 1, 9, 3];
        let fps = fingerprints(&hashes, 3);
        assert_eq!(fps, [1, 4]);
        assert_eq!(first_positions(&hashes, &fps), [4, 1]);
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
