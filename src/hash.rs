//! Every hash that is persisted or compared across runs comes from here.
//!
//! All of them are xxh3 (64-bit) over explicit bytes with a named seed, or fixed arithmetic
//! written out here (words of up to 16 bytes, shingles), never through `std::hash::Hash`
//! (whose output may change between Rust releases) and never `ahash` (seeded at random per
//! process). Golden tests at the bottom pin literal outputs: if one of them
//! changes, every stored signature and index key changes with it, which needs a format bump.

use xxhash_rust::xxh3::{Xxh3, xxh3_64_with_seed};

/// Seed for hashing one normalized word.
pub const TOKEN_SEED: u64 = 0x6e65_6172_6475_7001;
/// Seed for combining consecutive token hashes into a shingle hash.
pub const SHINGLE_SEED: u64 = 0x6e65_6172_6475_7002;
/// Seed for the whole normalized text (the `duplicate` relation).
pub const TEXT_SEED: u64 = 0x6e65_6172_6475_7003;
/// Seed for LSH band keys.
pub const BAND_SEED: u64 = 0x6e65_6172_6475_7004;
/// Seed of the generator that draws the MinHash sketch's key from `--seed`.
pub const PERMUTATION_SEED: u64 = 0x6e65_6172_6475_7005;

/// Seed for salient-term keys (entities, numbers, quotes, cited sources, rare words).
pub const SALIENT_SEED: u64 = 0x6e65_6172_6475_7006;

/// Seed of the keys of ordinary-word salient terms ([`word_term_key`]).
pub const WORD_TERM_SEED: u64 = 0x6e65_6172_6475_7007;

/// Key of an ordinary-word salient term, from the word's [`token_hash`]: the commonest kind
/// of term, keyed without hashing its text a second time.
#[inline]
pub fn word_term_key(token: u64) -> u64 {
    mix64(token ^ WORD_TERM_SEED)
}

/// Key of a salient term other than an ordinary word: its kind tag and its folded form.
#[inline]
pub fn salient_hash(kind: u8, folded: &[u8]) -> u64 {
    // One-shot over a stack buffer for the usual short term; the same bytes either way.
    let mut buf = [0u8; 128];
    if folded.len() < buf.len() {
        buf[0] = kind;
        buf[1..=folded.len()].copy_from_slice(folded);
        return xxh3_64_with_seed(&buf[..=folded.len()], SALIENT_SEED);
    }
    let mut h = Xxh3::with_seed(SALIENT_SEED);
    h.update(&[kind]);
    h.update(folded);
    h.digest()
}

/// Hash of one normalized word: [`short_token_hash`] for words of up to 16 bytes (all but a
/// handful in a text), xxh3 for longer ones.
#[inline]
pub fn token_hash(word: &[u8]) -> u64 {
    if word.len() <= 16 {
        let mut block = [0u8; 16];
        block[..word.len()].copy_from_slice(word);
        short_token_hash(&block, word.len())
    } else {
        xxh3_64_with_seed(word, TOKEN_SEED)
    }
}

/// [`token_hash`] of the first `len` (at most 16) bytes of `block`; the bytes past `len` are
/// ignored, so a caller with a padded buffer hashes a word in place.
///
/// One code path for every length: the two halves, masked to the word, are multiplied as a
/// 128-bit product and folded (as xxh3 does for 9 to 16 bytes), then mixed with the length.
/// xxh3 branches three ways on the length of a short input, and on the varied word lengths of
/// real text those branches mispredicted often enough to make it the costliest step of a
/// near-duplicate scan. Neither factor can be zero: each key has a 0xFF byte where the word
/// has its first or ninth byte (0xFF never occurs in UTF-8) or a masked zero.
#[inline]
pub fn short_token_hash(block: &[u8; 16], len: usize) -> u64 {
    debug_assert!(len <= 16);
    let (mask_lo, mask_hi) = SHORT_MASKS[len];
    let lo = u64::from_le_bytes(block[..8].try_into().expect("8 bytes")) & mask_lo;
    let hi = u64::from_le_bytes(block[8..].try_into().expect("8 bytes")) & mask_hi;
    let product = u128::from(lo ^ TOKEN_KEYS[0]) * u128::from(hi ^ TOKEN_KEYS[1]);
    let folded = (product as u64) ^ ((product >> 64) as u64);
    mix64(folded ^ TOKEN_SEED ^ (len as u64).wrapping_mul(TOKEN_KEYS[2]))
}

/// Keys of [`short_token_hash`]: the first three [`splitmix64`] outputs from [`TOKEN_SEED`],
/// with their lowest byte (the first byte of each half of the word) set to 0xFF.
const TOKEN_KEYS: [u64; 3] = [
    0x1f01_915a_d30c_b9ff,
    0x536a_008d_6ac1_e1ff,
    0x14f4_3c4a_6d8f_01ff,
];

/// Masks keeping the first `len` bytes of the two little-endian halves, for `len` 0 to 16.
const SHORT_MASKS: [(u64, u64); 17] = {
    let mut t = [(0u64, 0u64); 17];
    let mut len = 0;
    while len <= 16 {
        let lo = if len >= 8 {
            u64::MAX
        } else {
            (1u64 << (8 * len)) - 1
        };
        let hi = if len >= 16 {
            u64::MAX
        } else if len <= 8 {
            0
        } else {
            (1u64 << (8 * (len - 8))) - 1
        };
        t[len] = (lo, hi);
        len += 1;
    }
    t
};

/// Multiplier of the polynomial that combines token hashes into a shingle hash: the first
/// [`splitmix64`] output from [`SHINGLE_SEED`], made odd (a unit mod 2^64, so no token's
/// contribution is lost).
const SHINGLE_MUL: u64 = 0xd7c5_8793_ef0c_447f;

/// Hash of a shingle, given the hashes of its consecutive tokens: the polynomial
/// `t0·M^(k-1) + t1·M^(k-2) + … + t(k-1)` (mod 2^64), keyed and mixed by [`mix64`].
///
/// Combining token hashes (rather than re-hashing the words) hashes each word once however
/// large the shingle is, and the polynomial rolls: [`shingle_hashes`] gets each next shingle
/// from the previous one with two multiplications.
#[inline]
pub fn shingle_hash(tokens: &[u64]) -> u64 {
    let poly = tokens
        .iter()
        .fold(0u64, |s, &t| s.wrapping_mul(SHINGLE_MUL).wrapping_add(t));
    mix64(poly ^ SHINGLE_SEED)
}

/// [`shingle_hash`] of every window of `k` consecutive tokens, in order, appended to `out`.
pub fn shingle_hashes(tokens: &[u64], k: usize, out: &mut Vec<u64>) {
    if k == 0 || tokens.len() < k {
        return;
    }
    // M^(k-1): the weight of the token that leaves the window.
    let top = (1..k).fold(1u64, |p, _| p.wrapping_mul(SHINGLE_MUL));
    let mut poly = tokens[..k]
        .iter()
        .fold(0u64, |s, &t| s.wrapping_mul(SHINGLE_MUL).wrapping_add(t));
    let from = out.len();
    out.reserve(tokens.len() - k + 1);
    out.push(poly);
    for (&old, &new) in tokens.iter().zip(&tokens[k..]) {
        poly = poly
            .wrapping_sub(old.wrapping_mul(top))
            .wrapping_mul(SHINGLE_MUL)
            .wrapping_add(new);
        out.push(poly);
    }
    // Mixed afterwards, several at once: the rolling sum is a chain of dependent steps.
    mix64_xor(&mut out[from..], SHINGLE_SEED);
}

/// Hash of an LSH band: the band's index and its signature values.
#[inline]
pub fn band_hash(band: u32, values: &[u32]) -> u64 {
    // One-shot hashing of a stack buffer: the streaming hasher costs more than the hash for a
    // few dozen bytes. Bands of more than 63 rows take the streaming path; same bytes either way.
    let mut buf = [0u8; 256];
    if values.len() < 64 {
        buf[..4].copy_from_slice(&band.to_le_bytes());
        for (chunk, v) in buf[4..].chunks_exact_mut(4).zip(values) {
            chunk.copy_from_slice(&v.to_le_bytes());
        }
        return xxh3_64_with_seed(&buf[..4 + 4 * values.len()], BAND_SEED);
    }
    let mut h = Xxh3::with_seed(BAND_SEED);
    h.update(&band.to_le_bytes());
    for v in values {
        h.update(&v.to_le_bytes());
    }
    h.digest()
}

/// Hash of a whole normalized text (the `duplicate` relation).
#[inline]
pub fn text_hash(normalized: &[u8]) -> u64 {
    xxh3_64_with_seed(normalized, TEXT_SEED)
}

/// Checksum of a text as read, to notice that its file changed before it is read again. Never
/// persisted.
#[inline]
pub fn text_checksum(text: &[u8]) -> u64 {
    xxh3_64_with_seed(text, 0)
}

/// SplitMix64: a fixed, documented generator, so that the sketch key derived from
/// `--seed` is the same on every platform and in every release.
pub fn splitmix64(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
    mix64(*state)
}

/// SplitMix64's finalizer: a bijection on 64-bit values in which every input bit flips each
/// output bit with probability close to 1/2. Cheap enough to run once per shingle.
#[inline]
pub fn mix64(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(MIX_MUL[0]);
    z = (z ^ (z >> 27)).wrapping_mul(MIX_MUL[1]);
    z ^ (z >> 31)
}

const MIX_MUL: [u64; 2] = [0xbf58_476d_1ce4_e5b9, 0x94d0_49bb_1331_11eb];

/// Replaces each value `v` with `mix64(v ^ key)`: eight at a time where the CPU multiplies
/// 64-bit lanes (AVX-512 DQ), which MinHash's rounds spend a tenth of a near-duplicate scan
/// on; the same values either way.
pub fn mix64_xor(values: &mut [u64], key: u64) {
    #[cfg(target_arch = "x86_64")]
    if std::is_x86_feature_detected!("avx512f") && std::is_x86_feature_detected!("avx512dq") {
        // SAFETY: the CPU has the features the function is compiled for, checked just above.
        unsafe { avx512::mix64_xor(values, key) };
        return;
    }
    for v in values {
        *v = mix64(*v ^ key);
    }
}

#[cfg(target_arch = "x86_64")]
mod avx512 {
    use std::arch::x86_64::*;

    #[target_feature(enable = "avx512f,avx512dq")]
    pub(super) fn mix64_xor(values: &mut [u64], key: u64) {
        let k = _mm512_set1_epi64(key as i64);
        let m0 = _mm512_set1_epi64(super::MIX_MUL[0] as i64);
        let m1 = _mm512_set1_epi64(super::MIX_MUL[1] as i64);
        let mut lanes = values.chunks_exact_mut(8);
        for chunk in &mut lanes {
            let p = chunk.as_mut_ptr().cast::<__m512i>();
            // SAFETY: `chunk` is eight u64s (64 bytes), loaded and stored unaligned.
            let mut z = _mm512_xor_si512(unsafe { _mm512_loadu_si512(p) }, k);
            z = _mm512_mullo_epi64(_mm512_xor_si512(z, _mm512_srli_epi64::<30>(z)), m0);
            z = _mm512_mullo_epi64(_mm512_xor_si512(z, _mm512_srli_epi64::<27>(z)), m1);
            z = _mm512_xor_si512(z, _mm512_srli_epi64::<31>(z));
            // SAFETY: the same 64 bytes of `chunk`, stored unaligned.
            unsafe { _mm512_storeu_si512(p, z) };
        }
        for v in lanes.into_remainder() {
            *v = super::mix64(*v ^ key);
        }
    }
}

/// Sorts `items` stably by `key`, a hash of this module (its bits uniformly distributed):
/// one pass places each item in the bucket of its key's top bits, about one item a bucket,
/// and each bucket is then sorted on its own. For the few hundred terms of a document that is
/// a third of the time of a comparison sort (which spends `log n` mispredicted branches an
/// item); a crafted input that fills one bucket costs that bucket a comparison sort, no more.
pub fn sort_by_hash<T: Copy>(items: &mut Vec<T>, key: impl Fn(&T) -> u64) {
    let n = items.len();
    if n < 64 {
        items.sort_by_key(key);
        return;
    }
    let bits = (usize::BITS - n.leading_zeros()).min(20);
    let bucket = |x: &T| (key(x) >> (64 - bits)) as usize;
    // `ends[b]` counts bucket `b - 1`'s items, then becomes where bucket `b` starts.
    let mut ends = vec![0u32; (1 << bits) + 1];
    for x in items.iter() {
        ends[bucket(x) + 1] += 1;
    }
    for b in 1..ends.len() {
        ends[b] += ends[b - 1];
    }
    let mut sorted = items.clone();
    let mut next = ends.clone();
    for x in items.iter() {
        let slot = &mut next[bucket(x)];
        sorted[*slot as usize] = *x;
        *slot += 1;
    }
    for w in ends.windows(2) {
        let run = &mut sorted[w[0] as usize..w[1] as usize];
        if run.len() > 1 {
            run.sort_by_key(&key);
        }
    }
    *items = sorted;
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// As the standard library's stable sort, equal keys included (a small key space
        /// makes them common) and keys that all fall in one bucket.
        #[test]
        fn sort_by_hash_is_a_stable_sort(
            keys in proptest::collection::vec(0u64..40, 0..400)
        ) {
            for spread in [true, false] {
                let items: Vec<(u64, usize)> = keys
                    .iter()
                    .enumerate()
                    .map(|(i, &k)| (if spread { mix64(k) } else { k }, i))
                    .collect();
                let mut expected = items.clone();
                expected.sort_by_key(|x| x.0);
                let mut sorted = items;
                sort_by_hash(&mut sorted, |x| x.0);
                proptest::prop_assert_eq!(sorted, expected);
            }
        }
    }

    // Golden values: these must never change without an index format bump.
    #[test]
    fn mix64_xor_matches_mix64() {
        let mut state = 3;
        let values: Vec<u64> = (0..37).map(|_| splitmix64(&mut state)).collect();
        for n in [0, 1, 7, 8, 9, 16, 37] {
            let mut mixed = values[..n].to_vec();
            mix64_xor(&mut mixed, 0x1234_5678_9abc_def0);
            let expected: Vec<u64> = values[..n]
                .iter()
                .map(|&v| mix64(v ^ 0x1234_5678_9abc_def0))
                .collect();
            assert_eq!(mixed, expected, "{n} values");
        }
    }

    #[test]
    fn golden_token_hash() {
        assert_eq!(token_hash(b"the"), GOLDEN_THE);
        assert_eq!(token_hash(b""), GOLDEN_EMPTY);
        assert_eq!(token_hash(b"international"), GOLDEN_INTERNATIONAL);
    }

    #[test]
    fn token_keys_are_as_documented() {
        let mut state = TOKEN_SEED;
        for key in TOKEN_KEYS {
            assert_eq!(splitmix64(&mut state) | 0xff, key);
        }
    }

    #[test]
    fn short_words_hash_in_place_whatever_follows() {
        let text = b"quickbrown fox jumps";
        for len in 0..=16 {
            let mut padded = [0xAAu8; 16];
            padded[..len].copy_from_slice(&text[..len]);
            assert_eq!(short_token_hash(&padded, len), token_hash(&text[..len]));
        }
        assert_ne!(token_hash(b"a"), token_hash(b"a\0"));
        assert_ne!(token_hash(b""), token_hash(b"\0"));
    }

    #[test]
    fn golden_shingle_hash() {
        let t = [
            token_hash(b"the"),
            token_hash(b"quick"),
            token_hash(b"brown"),
        ];
        assert_eq!(shingle_hash(&t), GOLDEN_SHINGLE);
    }

    #[test]
    fn rolling_shingle_hashes_equal_one_window_at_a_time() {
        let t: Vec<u64> = (0..40)
            .map(|i| token_hash(format!("w{i}").as_bytes()))
            .collect();
        for k in [1, 2, 5, 9, 40] {
            let mut rolled = Vec::new();
            shingle_hashes(&t, k, &mut rolled);
            let direct: Vec<u64> = t.windows(k).map(shingle_hash).collect();
            assert_eq!(rolled, direct, "k = {k}");
        }
        let mut none = Vec::new();
        shingle_hashes(&t[..3], 5, &mut none);
        assert!(none.is_empty());
    }

    #[test]
    fn band_hash_paths_agree() {
        let values: Vec<u32> = (0..100).collect();
        for rows in [1, 6, 63, 64, 100] {
            let mut h = Xxh3::with_seed(BAND_SEED);
            h.update(&7u32.to_le_bytes());
            for v in &values[..rows] {
                h.update(&v.to_le_bytes());
            }
            assert_eq!(band_hash(7, &values[..rows]), h.digest(), "{rows} rows");
        }
    }

    #[test]
    fn golden_text_hash() {
        // Pinned before the streaming hasher was replaced by one-shot hashing.
        assert_eq!(text_hash(b"hello, world."), GOLDEN_TEXT);
    }

    #[test]
    fn golden_band_and_splitmix() {
        assert_eq!(band_hash(3, &[1, 2, 3]), GOLDEN_BAND);
        let mut s = 0;
        assert_eq!(splitmix64(&mut s), 0xe220_a839_7b1d_cdaf);
    }

    // Cross-checked with a Python transcription of `short_token_hash` (128-bit product of the
    // masked little-endian halves xor the keys, folded, xor seed and length times key 2, then
    // SplitMix64's finalizer).
    const GOLDEN_THE: u64 = 0x4cfd_963c_9c59_5532;
    const GOLDEN_EMPTY: u64 = 0x8cb8_2a3b_5162_09ce;
    const GOLDEN_INTERNATIONAL: u64 = 0x356f_62ea_b755_a194;
    // Python: the polynomial of the three token hashes above, then SplitMix64's finalizer.
    const GOLDEN_SHINGLE: u64 = 8_444_601_275_062_092_427;
    const GOLDEN_BAND: u64 = 0xd193_23d8_74af_3a66;
    // Python: xxhash.xxh3_64_intdigest(b"hello, world.", seed=TEXT_SEED).
    const GOLDEN_TEXT: u64 = 0x734f_5586_be5a_7d58;
}
