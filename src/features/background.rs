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

use crate::hash;

/// Rarity of a word absent from the list, whose floor is a frequency of 10^-6.
pub const UNSEEN_RARITY: f32 = 6.5;

static LIST: &str = include_str!("../../data/background_en.txt");

/// The list, keyed by each word's [`hash::token_hash`] (which the tokenizer has already
/// computed for every word of a text: a lookup hashes and compares no string), in two levels.
/// A lookup per word of every document misses the cache unless the tables fit in it: in front,
/// a direct-mapped table of 8,192 slots (64 KB) holds the most frequent words (the list is in
/// frequency order, so each slot keeps the first word that lands in it) and answers most
/// lookups; behind it, the whole list in 512 KB.
///
/// A slot is one `u64`: 48 bits of the word's hash above its centibels (16 bits). The other
/// 16 bits of the hash choose the slot, so a word could only be taken for another whose hash
/// agrees with it on 48 bits and whose slot is within the few it probes: about once in 10^14
/// lookups, which halves the tables (from 16 bytes a slot) and keeps `all` in a core's cache.
struct Table {
    /// Bits 16..64 of the hash; the slot is taken from bits 0..13.
    front: Vec<u64>,
    /// Every word, bits 0..48 of its hash, by open addressing with linear probing from the
    /// slot given by bits 48..64 (hashes are uniform and the list is fixed, so no input can
    /// lengthen a probe); `NO_WORD` centibels mark a free slot.
    all: Vec<u64>,
}

const FRONT_SLOTS: usize = 1 << 13;
/// Slots of `all`: under half full.
const ALL_SLOTS: usize = 1 << 16;
/// Centibels marking a free slot (listed frequencies are far below); a free front slot is one
/// no listed word maps to, so a word found there is unlisted too.
const NO_WORD: u16 = u16::MAX;
/// The hash bits an `all` slot keeps.
const ALL_KEY: u64 = (1 << 48) - 1;

/// The list's words as `(token hash, centibels)`, most frequent first.
fn entries() -> impl Iterator<Item = (u64, u16)> {
    LIST.lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|line| {
            let (cb, words) = line.split_once('\t')?;
            let cb = cb.parse::<u16>().ok()?;
            Some(
                words
                    .split(' ')
                    .map(move |w| (hash::token_hash(w.as_bytes()), cb)),
            )
        })
        .flatten()
}

fn table() -> &'static Table {
    static TABLE: OnceLock<Table> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut all = vec![u64::MAX; ALL_SLOTS];
        let mut front = vec![u64::MAX; FRONT_SLOTS];
        let mut words = 0;
        for (h, cb) in entries() {
            assert!(cb != NO_WORD, "background frequency out of range");
            let i = probe(&all, h);
            // Keep the most frequent reading of a word listed twice.
            if all[i] as u16 == NO_WORD {
                all[i] = (h << 16) | u64::from(cb);
                words += 1;
                let slot = &mut front[slot_of(h)];
                if *slot as u16 == NO_WORD {
                    *slot = (h & !0xffff) | u64::from(cb);
                }
            }
        }
        assert!(words < ALL_SLOTS / 2, "background list outgrew its table");
        Table { front, all }
    })
}

/// The slot of `all` holding `h`, or the free slot where it would go.
fn probe(all: &[u64], h: u64) -> usize {
    let mut i = (h >> 48) as usize;
    while all[i] as u16 != NO_WORD && all[i] >> 16 != h & ALL_KEY {
        i = (i + 1) & (ALL_SLOTS - 1);
    }
    i
}

fn slot_of(h: u64) -> usize {
    h as usize & (FRONT_SLOTS - 1)
}

/// `-log10` of the background frequency of a lower-case word.
pub fn rarity(word: &str) -> f32 {
    rarity_of(hash::token_hash(word.as_bytes()))
}

/// [`rarity`] of the word whose [`hash::token_hash`] is `token`.
pub fn rarity_of(token: u64) -> f32 {
    let t = table();
    let front = t.front[slot_of(token)];
    let cb = if (front ^ token) >> 16 == 0 {
        front as u16
    } else {
        t.all[probe(&t.all, token)] as u16
    };
    if cb == NO_WORD {
        UNSEEN_RARITY
    } else {
        f32::from(cb) / 100.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    #[test]
    fn rarity_of_common_rare_and_unseen_words() {
        use crate::features::background::rarity;
        assert!(rarity("the") < 1.5);
        assert!(rarity("afghanistan") > 4.0);
        assert_eq!(rarity("evstigneeva"), crate::features::background::UNSEEN_RARITY);
    }

    /// Oracle: the list read into a std map, the first (most frequent) reading of a word kept.
    fn listed() -> HashMap<u64, u16> {
        let mut map = HashMap::new();
        for (h, cb) in entries() {
            map.entry(h).or_insert(cb);
        }
        map
    }

    #[test]
    fn list_is_whole_and_ordered_by_frequency() {
        let words = table().all.iter().filter(|&&s| s as u16 != NO_WORD).count();
        assert!(words > 28_000, "{words}");
        assert_eq!(words, listed().len());
        assert!(rarity("the") < rarity("said"));
        assert!(rarity("said") < rarity("security"));
        assert!(rarity("security") < rarity("khorasan"));
    }

    #[test]
    fn tables_answer_as_the_whole_list() {
        let t = table();
        let filled = t.front.iter().filter(|&&s| s as u16 != NO_WORD).count();
        assert!(filled > FRONT_SLOTS / 2, "{filled}");
        let listed = listed();
        for (&h, &cb) in &listed {
            assert_eq!(rarity_of(h), f32::from(cb) / 100.0);
        }
        let mut seed = 7;
        for _ in 0..100_000 {
            let h = hash::splitmix64(&mut seed);
            let expected = listed
                .get(&h)
                .map_or(UNSEEN_RARITY, |&cb| f32::from(cb) / 100.0);
            assert_eq!(rarity_of(h), expected);
        }
    }
}
