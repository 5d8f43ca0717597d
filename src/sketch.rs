//! MinHash signatures.
//!
//! Permutation `i` maps a shingle hash `x` to `mul[i] * x + add[i] (mod 2^64)` with `mul[i]`
//! odd, which is a bijection on 64-bit values; the signature keeps, for each permutation, the
//! high 32 bits of the minimum image. Shingle hashes are already uniform (xxh3), so the
//! permutations only need to decorrelate the minima, which the property test below checks
//! against the exact Jaccard. Keeping 32 bits halves memory; two different minima agree on
//! their high 32 bits with probability 2^-32, far below the estimator's own error.
//!
//! The coefficients come from [`hash::splitmix64`] seeded by `--seed` and
//! [`hash::PERMUTATION_SEED`], so signatures are the same on every platform and release.
//!
//! Invariant: a signature has exactly `perm` values.

use crate::hash;

/// The MinHash permutations for one `(perm, seed)`.
#[derive(Clone, Debug)]
pub struct MinHasher {
    mul: Vec<u64>,
    add: Vec<u64>,
}

impl MinHasher {
    /// `perm` permutations drawn from `seed`.
    pub fn new(perm: usize, seed: u64) -> MinHasher {
        let mut state = seed ^ hash::PERMUTATION_SEED;
        let mut mul = Vec::with_capacity(perm);
        let mut add = Vec::with_capacity(perm);
        for _ in 0..perm {
            mul.push(hash::splitmix64(&mut state) | 1);
            add.push(hash::splitmix64(&mut state));
        }
        MinHasher { mul, add }
    }

    /// Number of permutations.
    pub fn perm(&self) -> usize {
        self.mul.len()
    }

    /// Writes the signature of a shingle set into `out` (`out.len() == perm`). An empty set
    /// gets all `u32::MAX`.
    pub fn sign_into(&self, shingles: &[u64], out: &mut [u32]) {
        debug_assert_eq!(out.len(), self.perm());
        let mut mins = vec![u64::MAX; self.perm()];
        min_images(&self.mul, &self.add, shingles, &mut mins);
        for (o, m) in out.iter_mut().zip(mins) {
            *o = (m >> 32) as u32;
        }
    }

    /// The signature of a shingle set.
    pub fn sign(&self, shingles: &[u64]) -> Vec<u32> {
        let mut out = vec![0; self.perm()];
        self.sign_into(shingles, &mut out);
        out
    }
}

/// For each permutation `i`, the minimum of `mul[i] * x + add[i]` over the shingles `x`.
///
/// The same arithmetic on every CPU, compiled several times: with AVX-512 the 64-bit multiply
/// is one instruction for 8 permutations (`vpmullq`), which AVX2 lacks; the fastest version the
/// CPU supports is picked at run time. Tried in `benches/stages.rs` (minhash/one document).
#[multiversion::multiversion(targets("x86_64+avx512f+avx512dq+avx512vl", "x86_64+avx2"))]
fn min_images(mul: &[u64], add: &[u64], shingles: &[u64], mins: &mut [u64]) {
    for &x in shingles {
        for ((m, &a), &b) in mins.iter_mut().zip(mul).zip(add) {
            *m = (*m).min(a.wrapping_mul(x).wrapping_add(b));
        }
    }
}

/// Estimated Jaccard similarity: the share of positions where two signatures agree.
pub fn estimate(a: &[u32], b: &[u32]) -> f64 {
    debug_assert_eq!(a.len(), b.len());
    let same = a.iter().zip(b).filter(|(x, y)| x == y).count();
    same as f64 / a.len().max(1) as f64
}

/// The signatures of many documents in one flat array (`perm` values per document).
#[derive(Clone, Debug, Default)]
pub struct Signatures {
    perm: usize,
    values: Vec<u32>,
}

impl Signatures {
    /// Wraps a flat array of `perm`-value signatures.
    pub fn new(perm: usize, values: Vec<u32>) -> Signatures {
        debug_assert!(perm > 0 && values.len().is_multiple_of(perm));
        Signatures { perm, values }
    }

    /// The signature of the `i`-th document.
    pub fn get(&self, i: usize) -> &[u32] {
        &self.values[i * self.perm..(i + 1) * self.perm]
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::collections::BTreeSet;

    /// Oracle: exact Jaccard over sets.
    pub(crate) fn exact_jaccard(a: &[u64], b: &[u64]) -> f64 {
        let a: BTreeSet<_> = a.iter().collect();
        let b: BTreeSet<_> = b.iter().collect();
        let union = a.union(&b).count();
        if union == 0 {
            0.0
        } else {
            a.intersection(&b).count() as f64 / union as f64
        }
    }

    #[test]
    fn golden_signature() {
        let h = MinHasher::new(8, 1);
        let sig = h.sign(&[1, 2, 3, 0xdead_beef]);
        assert_eq!(sig, GOLDEN_SIG);
    }
    const GOLDEN_SIG: [u32; 8] = [
        63331335, 157044597, 906178942, 151883131, 227284333, 1147737671, 2565844389, 467251820,
    ];

    #[test]
    fn identical_sets_agree_everywhere_and_disjoint_nowhere() {
        let h = MinHasher::new(128, 7);
        let a: Vec<u64> = (0..300)
            .map(|i| crate::hash::token_hash(&i.to_string().into_bytes()))
            .collect();
        let b: Vec<u64> = (300..600)
            .map(|i| crate::hash::token_hash(&i.to_string().into_bytes()))
            .collect();
        assert_eq!(estimate(&h.sign(&a), &h.sign(&a)), 1.0);
        assert!(estimate(&h.sign(&a), &h.sign(&b)) < 0.05);
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]
        /// The estimate stays within 4 standard deviations of the binomial error
        /// `sqrt(J(1-J)/k)` around the exact Jaccard (plus one position of slack for J near
        /// 0 or 1, where the bound collapses to zero width).
        #[test]
        fn estimate_within_binomial_bound(
            seed in any::<u64>(),
            common in 0usize..400,
            only_a in 0usize..400,
            only_b in 0usize..400,
        ) {
            prop_assume!(common + only_a + only_b > 0);
            let mut s = seed;
            let mut draw = |n: usize| -> Vec<u64> { (0..n).map(|_| crate::hash::splitmix64(&mut s)).collect() };
            let c = draw(common);
            let a: Vec<u64> = c.iter().copied().chain(draw(only_a)).collect();
            let b: Vec<u64> = c.iter().copied().chain(draw(only_b)).collect();
            let k = 128;
            let h = MinHasher::new(k, seed);
            let j = exact_jaccard(&a, &b);
            let est = estimate(&h.sign(&a), &h.sign(&b));
            let sigma = (j * (1.0 - j) / k as f64).sqrt();
            prop_assert!((est - j).abs() <= 4.0 * sigma + 1.0 / k as f64,
                "J={j} est={est} sigma={sigma}");
        }
    }
}
