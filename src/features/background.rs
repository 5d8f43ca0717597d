//! How common a word is in ordinary English, from a list shipped inside the binary.
//!
//! The list is `data/background_en.txt`: 28,900 words with their frequencies, reformatted from
//! wordfreq 3.1.1 (CC BY-SA 4.0; see `scripts/make_background.py` and the README). It lets a
//! batch of five documents weigh "Afghanistan" against "said" without a corpus of its own: the
//! batch's own document frequencies then discount what is common *in that batch*.
//!
//! Rarity is `-log10(frequency)`: 1.3 for "the", about 5 for an ordinary name, and
//! [`UNSEEN_RARITY`] for words not in the list (rarer than one in a million).

use std::sync::OnceLock;

use ahash::AHashMap;

use crate::hash;

/// Rarity of a word absent from the list, whose floor is a frequency of 10^-6.
pub const UNSEEN_RARITY: f32 = 6.5;

static LIST: &str = include_str!("../../data/background_en.txt");

/// Keyed by the word's [`hash::token_hash`], which the tokenizer has already computed for
/// every word of a text: a lookup hashes and compares no string.
fn table() -> &'static AHashMap<u64, u16> {
    static TABLE: OnceLock<AHashMap<u64, u16>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut map = AHashMap::with_capacity(30_000);
        for line in LIST.lines().filter(|l| !l.starts_with('#')) {
            let Some((cb, words)) = line.split_once('\t') else {
                continue;
            };
            let Ok(cb) = cb.parse::<u16>() else { continue };
            for w in words.split(' ') {
                // Keep the most frequent reading of a word listed twice.
                map.entry(hash::token_hash(w.as_bytes())).or_insert(cb);
            }
        }
        map
    })
}

/// `-log10` of the background frequency of a lower-case word.
///
/// ```
/// use neardup::features::background::rarity;
/// assert!(rarity("the") < 1.5);
/// assert!(rarity("afghanistan") > 4.0);
/// assert_eq!(rarity("evstigneeva"), neardup::features::background::UNSEEN_RARITY);
/// ```
pub fn rarity(word: &str) -> f32 {
    rarity_of(hash::token_hash(word.as_bytes()))
}

/// [`rarity`] of the word whose [`hash::token_hash`] is `token`.
pub fn rarity_of(token: u64) -> f32 {
    table()
        .get(&token)
        .map_or(UNSEEN_RARITY, |&cb| f32::from(cb) / 100.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_is_whole_and_ordered_by_frequency() {
        assert!(table().len() > 28_000, "{}", table().len());
        assert!(rarity("the") < rarity("said"));
        assert!(rarity("said") < rarity("security"));
        assert!(rarity("security") < rarity("khorasan"));
    }
}
