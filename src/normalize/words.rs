//! A text's words (UAX #29), each with the hash of its normalized form and its byte span:
//! ASCII runs 64 bytes at a time on bitmasks, Unicode segmentation around the rest.

use super::*;

/// The words of `text` with their hashes and original spans.
///
/// # Panics
/// Never for texts under 4 GiB; longer texts are rejected by the reader before they get here.
pub fn words(text: &str) -> Vec<Word> {
    debug_assert!(text.len() <= u32::MAX as usize);
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(text.len() / 5);
    // Only the whitespace-delimited stretches around non-ASCII bytes need the Unicode
    // machinery: UAX #29 always breaks at ASCII whitespace, so segmenting each stretch apart
    // gives the same words (the property test below compares the two), and an English text
    // with one accented name still takes the fast path for the rest.
    let mut done = 0;
    while let Some(first) = first_non_ascii(&bytes[done..]) {
        let first = done + first;
        let start = bytes[done..first]
            .iter()
            .rposition(|&b| ascii_space(b))
            .map_or(done, |i| done + i + 1);
        let end = bytes[first..]
            .iter()
            .position(|&b| ascii_space(b))
            .map_or(bytes.len(), |i| first + i);
        ascii_words(&bytes[done..start], done, &mut out);
        unicode_words(&text[start..end], start, &mut out);
        done = end;
    }
    ascii_words(&bytes[done..], done, &mut out);
    out
}

/// Position of the first byte of `bytes` that is not ASCII. Sixteen bytes at a time (std's
/// `is_ascii` reads whole words): a byte-by-byte search was a twentieth of a scan.
pub(super) fn first_non_ascii(bytes: &[u8]) -> Option<usize> {
    let mut at = 0;
    for chunk in bytes.chunks(16) {
        if !chunk.is_ascii() {
            return chunk.iter().position(|b| !b.is_ascii()).map(|i| at + i);
        }
        at += chunk.len();
    }
    None
}

/// Appends the words of `text` by Unicode word segmentation (UAX #29); `text` starts at byte
/// `offset` of the document.
pub(super) fn unicode_words(text: &str, offset: usize, out: &mut Vec<Word>) {
    let mut buf = String::new();
    out.extend(text.unicode_word_indices().map(|(start, w)| {
        buf.clear();
        normalize_word(w, &mut buf);
        Word {
            start: (offset + start) as u32,
            end: (offset + start + w.len()) as u32,
            hash: hash::token_hash(buf.as_bytes()),
        }
    }));
}

/// Appends the words of ASCII `text`, which starts at byte `offset` of the document, without
/// the general Unicode machinery: the same word boundaries as UAX #29 (the property tests below
/// compare the two), several times faster, which matters because segmentation is the largest
/// single cost of a scan on English text.
///
/// UAX #29 for ASCII: letters, digits and `_` form words; letters join across `'`, `.` and `:`
/// when a letter follows (WB6/7: "don't", "U.S"), digits across `,`, `;`, `.` and `'` when a
/// digit follows (WB11/12: "23,000", "3.5"); letters and digits join directly (WB9/10) and `_`
/// joins anything word-like (WB13a/b). A segment is a word if it holds a letter or a digit.
///
/// Words are found on bitmaps, one bit per byte, rather than byte by byte: a loop that stops
/// at each word's end mispredicts a branch per word, a quarter of a scan's time. Classifying
/// 64 bytes into a mask has no data-dependent branch, the rare joining punctuation is checked
/// where it sits between two word bytes, and word boundaries are the mask's bit transitions.
pub(super) fn ascii_words(text: &[u8], offset: usize, out: &mut Vec<Word>) {
    let blocks = text.len().div_ceil(64);
    // `word` bit i: byte i is part of a word (joining punctuation included once checked);
    // `joiner` bit i: byte i may join its neighbours. `lower`: the text in lower case.
    let mut word = vec![0u64; blocks + 1];
    let mut joiner = vec![0u64; blocks];
    // 16 bytes of padding: a word is hashed in place from the 16 bytes where it starts.
    let mut lower = vec![0u8; text.len() + 16];
    let chunks = text.chunks(64).zip(lower[..text.len()].chunks_mut(64));
    for (k, (chunk, low)) in chunks.enumerate() {
        (word[k], joiner[k]) = if let (Ok(chunk), Ok(low)) = (chunk.try_into(), low.try_into()) {
            classify(chunk, low)
        } else {
            let (mut padded, mut lowered) = ([0u8; 64], [0u8; 64]);
            padded[..chunk.len()].copy_from_slice(chunk);
            let masks = classify(&padded, &mut lowered);
            low.copy_from_slice(&lowered[..chunk.len()]);
            masks
        };
    }
    for k in 0..blocks {
        let before = (word[k] << 1) | if k > 0 { word[k - 1] >> 63 } else { 0 };
        let after = (word[k] >> 1) | (word[k + 1] << 63);
        let mut between = joiner[k] & before & after;
        while between != 0 {
            let i = k * 64 + between.trailing_zeros() as usize;
            between &= between - 1;
            let (prev, next) = (
                ASCII_CLASS[text[i - 1] as usize],
                ASCII_CLASS[text[i + 1] as usize],
            );
            let joins = match text[i] {
                b'\'' | b'.' => prev & next & (LETTER | DIGIT) != 0,
                b':' => prev & next & LETTER != 0,
                _ => prev & next & DIGIT != 0, // ',' and ';'
            };
            word[k] |= u64::from(joins) << (i % 64);
        }
    }
    // Bit transitions: a set bit of `word` after a clear one starts a word, a clear bit after a
    // set one ends it (the mask's spare bits past the text are clear, so the last word ends).
    let mut start = 0;
    let mut carry = 0;
    for (k, &w) in word.iter().enumerate() {
        let mut edges = w ^ ((w << 1) | carry);
        carry = w >> 63;
        while edges != 0 {
            let i = k * 64 + edges.trailing_zeros() as usize;
            edges &= edges - 1;
            if w >> (i % 64) & 1 == 1 {
                start = i;
                continue;
            }
            let token = &lower[start..i];
            if token[0] == b'_' && token.iter().all(|&b| b == b'_') {
                continue;
            }
            out.push(Word {
                start: (offset + start) as u32,
                end: (offset + i) as u32,
                hash: match lower[start..start + 16].try_into() {
                    Ok(block) if token.len() <= 16 => hash::short_token_hash(block, token.len()),
                    _ => hash::token_hash(token),
                },
            });
        }
    }
}

/// Classifies 64 ASCII bytes for [`ascii_words`]: the mask of word bytes (letters, digits,
/// `_`), the mask of joining punctuation, and the bytes in lower case.
#[cfg(target_arch = "x86_64")]
pub(super) fn classify(block: &[u8; 64], lower: &mut [u8; 64]) -> (u64, u64) {
    use simd::{is, within};
    use std::arch::x86_64::*;
    let (mut word, mut joiner) = (0u64, 0u64);
    for i in 0..4 {
        // SAFETY: SSE2 is part of the x86_64 baseline; the 16 bytes at 16 * i < 64 are inside
        // both arrays, and the loads and stores are unaligned ones.
        unsafe {
            let v = _mm_loadu_si128(block.as_ptr().add(16 * i).cast());
            let upper = within(v, b'A', b'Z');
            let w = _mm_or_si128(
                _mm_or_si128(upper, within(v, b'a', b'z')),
                _mm_or_si128(within(v, b'0', b'9'), is(v, b'_')),
            );
            let j = _mm_or_si128(
                _mm_or_si128(is(v, b'\''), is(v, b'.')),
                _mm_or_si128(_mm_or_si128(is(v, b':'), is(v, b',')), is(v, b';')),
            );
            let low = _mm_or_si128(v, _mm_and_si128(upper, _mm_set1_epi8(0x20)));
            _mm_storeu_si128(lower.as_mut_ptr().add(16 * i).cast(), low);
            word |= u64::from(_mm_movemask_epi8(w) as u16) << (16 * i);
            joiner |= u64::from(_mm_movemask_epi8(j) as u16) << (16 * i);
        }
    }
    (word, joiner)
}

/// [`classify`] where SSE2 is not the baseline: the same masks from the class table.
#[cfg(not(target_arch = "x86_64"))]
pub(super) fn classify(block: &[u8; 64], lower: &mut [u8; 64]) -> (u64, u64) {
    classify_by_table(block, lower)
}

/// [`classify`] byte by byte from [`ASCII_CLASS`]; the reference the SIMD version is tested
/// against.
#[cfg_attr(target_arch = "x86_64", allow(dead_code))]
pub(super) fn classify_by_table(block: &[u8; 64], lower: &mut [u8; 64]) -> (u64, u64) {
    let (mut word, mut joiner) = (0u64, 0u64);
    for (i, (&b, l)) in block.iter().zip(lower.iter_mut()).enumerate() {
        let c = ASCII_CLASS[b as usize];
        word |= u64::from(c & WORDISH) << i;
        joiner |= u64::from((c & JOINER) >> 4) << i;
        // UPPER is 8: shifted to 0x20, the ASCII lower-case bit.
        *l = b | ((c & UPPER) << 2);
    }
    (word, joiner)
}

pub(super) const WORDISH: u8 = 1;

pub(super) const LETTER: u8 = 2;

pub(super) const DIGIT: u8 = 4;

pub(super) const UPPER: u8 = 8;

pub(super) const JOINER: u8 = 16;

/// Character classes of ASCII bytes for [`ascii_words`]; non-ASCII bytes never reach it.
pub(super) static ASCII_CLASS: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut b = 0;
    while b < 128 {
        let c = b as u8;
        t[b] = if c.is_ascii_uppercase() {
            WORDISH | LETTER | UPPER
        } else if c.is_ascii_lowercase() {
            WORDISH | LETTER
        } else if c.is_ascii_digit() {
            WORDISH | DIGIT
        } else if c == b'_' {
            WORDISH
        } else if matches!(c, b'\'' | b'.' | b':' | b',' | b';') {
            JOINER
        } else {
            0
        };
        b += 1;
    }
    t
};

#[cfg(test)]
mod tests {

    #[test]
    fn words_keep_spans_into_the_original() {
        let w = crate::normalize::words("Don’t PANIC!");
        assert_eq!(w.len(), 2);
        assert_eq!(w[0].hash, crate::hash::token_hash(b"don't"));
        assert_eq!((w[1].start, w[1].end), (8, 13));
    }
}
