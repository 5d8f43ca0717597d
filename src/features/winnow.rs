//! Winnowing (Schleimer, Wilkerson and Aiken, 2003): passage fingerprints with a guarantee.
//!
//! From every window of `w` consecutive shingle hashes the minimum is kept. Two documents that
//! share a run of `w` consecutive shingles therefore share at least one fingerprint, while only
//! about `2 / (w + 1)` of the shingles are kept. This is what lets a passage that is 2% of both
//! documents, invisible to whole-document MinHash, still propose the pair.

/// The winnowed fingerprints of `hashes` (positional shingle hashes), sorted and distinct.
/// A text shorter than one window keeps its minimum.
pub fn fingerprints(hashes: &[u64], w: usize) -> Vec<u64> {
    let mut out = Vec::with_capacity(2 * hashes.len() / (w + 1) + 1);
    window_minima(hashes, w, |m, _| out.push(m));
    out.sort_unstable();
    out.dedup();
    out
}

/// [`fingerprints`], each with the position where a window first picks it (its first
/// occurrence in that window). Two documents sharing a passage hold its fingerprints at
/// positions a constant apart, which tells a reused passage from stock phrases met at random
/// places (see [`crate::candidates::shared_passages`]).
pub fn positioned(hashes: &[u64], w: usize) -> (Vec<u64>, Vec<u32>) {
    let mut found: Vec<(u64, u32)> = Vec::with_capacity(2 * hashes.len() / (w + 1) + 1);
    window_minima(hashes, w, |m, window| {
        let offset = hashes[window.clone()].iter().position(|&h| h == m);
        let at = window.start + offset.expect("a window holds its minimum");
        found.push((m, at as u32));
    });
    found.sort_unstable();
    found.dedup_by_key(|f| f.0);
    found.into_iter().unzip()
}

/// Calls `f` with the minimum of every window of `w` hashes and the window, but once only for
/// a minimum that successive windows share; for a text shorter than one window, with its
/// minimum and the whole text.
///
/// Window minima by van Herk / Gil-Werman: cut the hashes into blocks of `w`, take running
/// minima forwards and backwards within each block, and every window, which spans the end of
/// one block and the start of the next, has the smaller of the two as its minimum. Three
/// passes without data-dependent branches, where a monotone queue mispredicted at every pop.
fn window_minima(hashes: &[u64], w: usize, mut f: impl FnMut(u64, std::ops::Range<usize>)) {
    let w = w.max(1);
    let n = hashes.len();
    if n <= w {
        if let Some(&m) = hashes.iter().min() {
            f(m, 0..n);
        }
        return;
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
    let mut last = None;
    for start in 0..=n - w {
        let m = backward[start].min(forward[start + w - 1]);
        if last != Some(m) {
            f(m, start..start + w);
            last = Some(m);
        }
    }
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
            let expected = naive(&hashes, w);
            prop_assert_eq!(fingerprints(&hashes, w), expected.clone());
            let (keys, at) = positioned(&hashes, w);
            prop_assert_eq!(keys, expected);
            for (k, &p) in at.iter().enumerate() {
                prop_assert_eq!(hashes[p as usize], fingerprints(&hashes, w)[k]);
            }
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
    fn positions_are_where_a_window_first_picks_them() {
        // Windows of 3: 4 twice (at 1, its first place in the first window), 1 three times,
        // then 3; the 9s are picked by no window.
        let hashes = [9, 4, 7, 4, 1, 9, 3, 9];
        assert_eq!(positioned(&hashes, 3), (vec![1, 3, 4], vec![4, 6, 1]));
        assert_eq!(positioned(&hashes[..2], 3), (vec![4], vec![1]));
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
