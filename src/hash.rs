//! Every hash that is persisted or compared across runs comes from here.
//!
//! All of them are xxh3 (64-bit) over explicit bytes with a named seed, never through
//! `std::hash::Hash` (whose output may change between Rust releases) and never `ahash` (seeded
//! at random per process). Golden tests at the bottom pin literal outputs: if one of them
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
/// Seed of the generator that draws the MinHash permutation coefficients.
pub const PERMUTATION_SEED: u64 = 0x6e65_6172_6475_7005;

/// Seed for salient-term keys (entities, numbers, quotes, cited sources, rare words).
pub const SALIENT_SEED: u64 = 0x6e65_6172_6475_7006;

/// Key of a salient term: its kind tag and its folded form.
#[inline]
pub fn salient_hash(kind: u8, folded: &[u8]) -> u64 {
    let mut h = Xxh3::with_seed(SALIENT_SEED);
    h.update(&[kind]);
    h.update(folded);
    h.digest()
}

/// Hash of one normalized word.
#[inline]
pub fn token_hash(word: &[u8]) -> u64 {
    xxh3_64_with_seed(word, TOKEN_SEED)
}

/// Hash of a shingle, given the hashes of its consecutive tokens.
///
/// Combining token hashes (rather than re-hashing the words) hashes each word once however
/// large the shingle is.
#[inline]
pub fn shingle_hash(tokens: &[u64]) -> u64 {
    let mut buf = [0u8; 8 * 16];
    if tokens.len() <= 16 {
        for (chunk, t) in buf.chunks_exact_mut(8).zip(tokens) {
            chunk.copy_from_slice(&t.to_le_bytes());
        }
        xxh3_64_with_seed(&buf[..tokens.len() * 8], SHINGLE_SEED)
    } else {
        let mut h = Xxh3::with_seed(SHINGLE_SEED);
        for t in tokens {
            h.update(&t.to_le_bytes());
        }
        h.digest()
    }
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

/// SplitMix64: a fixed, documented generator, so the permutation coefficients derived from
/// `--seed` are the same on every platform and in every release.
pub fn splitmix64(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;

    // Golden values: these must never change without an index format bump.
    #[test]
    fn golden_token_hash() {
        assert_eq!(token_hash(b"the"), GOLDEN_THE);
        assert_eq!(token_hash(b""), GOLDEN_EMPTY);
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
    fn long_shingles_hash_like_short_ones_would() {
        // The streaming path must agree with the buffered one on the same bytes.
        let t: Vec<u64> = (0..20).collect();
        let mut bytes = Vec::new();
        for x in &t {
            bytes.extend_from_slice(&x.to_le_bytes());
        }
        assert_eq!(shingle_hash(&t), xxh3_64_with_seed(&bytes, SHINGLE_SEED));
        assert_eq!(
            shingle_hash(&t[..16]),
            xxh3_64_with_seed(&bytes[..128], SHINGLE_SEED)
        );
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

    // Cross-checked with Python's `xxhash.xxh3_64_intdigest(b"the", seed=TOKEN_SEED)`.
    const GOLDEN_THE: u64 = 0x8282_f064_ad01_1cb8;
    const GOLDEN_EMPTY: u64 = 0x85d8_ce59_8d18_ab79;
    const GOLDEN_SHINGLE: u64 = 9_899_517_738_259_787_048;
    const GOLDEN_BAND: u64 = 0xd193_23d8_74af_3a66;
    // Python: xxhash.xxh3_64_intdigest(b"hello, world.", seed=TEXT_SEED).
    const GOLDEN_TEXT: u64 = 0x734f_5586_be5a_7d58;
}
