//! Text normalization: NFKC, lower case, curly quotes and dashes folded, whitespace collapsed.
//!
//! Two views of a document come out of here, both without copying the whole text more than once:
//!
//! - [`words`]: the document's words (Unicode word segmentation, UAX #29), each with the hash
//!   of its normalized form and its byte span in the *original* text. The span is the map back
//!   to the original: passages found on words are reported as byte offsets into what the user
//!   gave, and every span starts and ends on a char boundary.
//! - [`text_hash`]: a hash of the whole normalized text, punctuation included, which decides
//!   the `duplicate` relation.
//!
//! The map is kept per word rather than per byte: 16 bytes a word instead of 4-8 bytes for each
//! byte of text, which matters for a 100 MB single-line document.

use unicode_normalization::UnicodeNormalization;
use unicode_segmentation::UnicodeSegmentation;

use crate::hash;

/// Names the normalization scheme; stored in `params` so that an index built with another
/// scheme is recognised as incompatible.
pub const SCHEME: &str = "nfkc-lower-quotes-dashes-v1";

/// One word of a document.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Word {
    /// Byte offset of the word's first byte in the original text.
    pub start: u32,
    /// Byte offset one past the word's last byte in the original text.
    pub end: u32,
    /// [`hash::token_hash`] of the normalized word.
    pub hash: u64,
}

/// Maps one char to what it is compared as: quotes and dashes of every style become ASCII.
#[inline]
fn fold(c: char) -> char {
    match c {
        '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' | '\u{2032}' | '\u{0060}'
        | '\u{00B4}' => '\'',
        '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '\u{2033}' | '\u{00AB}'
        | '\u{00BB}' => '"',
        '\u{2010}'..='\u{2015}' | '\u{2212}' | '\u{FE58}' | '\u{FE63}' | '\u{FF0D}' => '-',
        _ => c,
    }
}

/// [`fold`] and lower case for an ASCII byte.
#[inline]
const fn fold_ascii(b: u8) -> u8 {
    match b {
        b'`' => b'\'',
        _ => b.to_ascii_lowercase(),
    }
}

/// Whitespace as `char::is_whitespace` sees it, for ASCII.
#[inline]
const fn ascii_space(b: u8) -> bool {
    matches!(b, b'\t'..=b'\r' | b' ')
}

/// Appends the normalized form of `s` (one word, or any text without whitespace handling) to
/// `out`.
pub fn normalize_word(s: &str, out: &mut String) {
    if s.is_ascii() {
        // ASCII is already NFKC: lower case and the backtick are all there is to fold.
        out.extend(s.bytes().map(|b| fold_ascii(b) as char));
        return;
    }
    for c in s.nfkc() {
        let c = fold(c);
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
        } else {
            out.extend(c.to_lowercase());
        }
    }
}

/// The words of `text` with their hashes and original spans.
///
/// # Panics
/// Never for texts under 4 GiB; longer texts are rejected by the reader before they get here.
///
/// ```
/// let w = neardup::normalize::words("Don’t PANIC!");
/// assert_eq!(w.len(), 2);
/// assert_eq!(w[0].hash, neardup::hash::token_hash(b"don't"));
/// assert_eq!((w[1].start, w[1].end), (8, 13));
/// ```
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
fn first_non_ascii(bytes: &[u8]) -> Option<usize> {
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
fn unicode_words(text: &str, offset: usize, out: &mut Vec<Word>) {
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
fn ascii_words(text: &[u8], offset: usize, out: &mut Vec<Word>) {
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
fn classify(block: &[u8; 64], lower: &mut [u8; 64]) -> (u64, u64) {
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
fn classify(block: &[u8; 64], lower: &mut [u8; 64]) -> (u64, u64) {
    classify_by_table(block, lower)
}

/// [`classify`] byte by byte from [`ASCII_CLASS`]; the reference the SIMD version is tested
/// against.
#[cfg_attr(target_arch = "x86_64", allow(dead_code))]
fn classify_by_table(block: &[u8; 64], lower: &mut [u8; 64]) -> (u64, u64) {
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

/// Byte-class comparisons shared by the SSE2 paths.
#[cfg(target_arch = "x86_64")]
mod simd {
    use std::arch::x86_64::*;

    /// Bytes in `lo..=hi`: shifted so that `lo` lands on `i8::MIN`, then one signed comparison
    /// (SSE2 has no unsigned one).
    #[target_feature(enable = "sse2")]
    pub(super) fn within(v: __m128i, lo: u8, hi: u8) -> __m128i {
        let shifted = _mm_add_epi8(v, _mm_set1_epi8(0x80u8.wrapping_sub(lo) as i8));
        _mm_cmplt_epi8(
            shifted,
            _mm_set1_epi8((0x80 + u32::from(hi - lo) + 1) as u8 as i8),
        )
    }

    /// Bytes equal to `b`.
    #[target_feature(enable = "sse2")]
    pub(super) fn is(v: __m128i, b: u8) -> __m128i {
        _mm_cmpeq_epi8(v, _mm_set1_epi8(b as i8))
    }
}

const WORDISH: u8 = 1;
const LETTER: u8 = 2;
const DIGIT: u8 = 4;
const UPPER: u8 = 8;
const JOINER: u8 = 16;

/// Character classes of ASCII bytes for [`ascii_words`]; non-ASCII bytes never reach it.
static ASCII_CLASS: [u8; 256] = {
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

/// The normalized text: runs of whitespace become one space, and leading and trailing
/// whitespace is dropped. Whitespace is collapsed again after NFKC, which can produce spaces
/// (U+00A8 becomes a space and a combining mark), so that normalizing twice changes nothing.
///
/// ```
/// assert_eq!(neardup::normalize::normalized("  “Hello”\u{2014}\n\tＷｏｒｌｄ "), "\"hello\"- world");
/// ```
pub fn normalized(text: &str) -> String {
    if text.is_ascii() {
        ascii_normalized(text.as_bytes())
    } else {
        unicode_normalized(text)
    }
}

/// [`normalized`] for any text.
fn unicode_normalized(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut buf = String::new();
    for piece in text.split_whitespace() {
        buf.clear();
        normalize_word(piece, &mut buf);
        for word in buf.split_whitespace() {
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(word);
        }
    }
    out
}

/// [`normalized`] for ASCII text: one pass over the bytes, without branches on them. Each
/// byte is written folded (whitespace as a space), and the write position advances unless the
/// byte is whitespace after whitespace; starting "after whitespace" drops leading whitespace.
/// Sixteen bytes at a time where no whitespace follows whitespace, which in prose is most of
/// the text.
fn ascii_normalized(text: &[u8]) -> String {
    // 16 bytes of slack: a block is stored whole before the position advances.
    let mut out = vec![0u8; text.len() + 16];
    let mut len = 0;
    let mut after_space = 1;
    #[inline(always)]
    fn step(out: &mut [u8], len: &mut usize, after_space: &mut usize, b: u8) {
        let folded = ASCII_FOLD[b as usize];
        let space = usize::from(folded == b' ');
        out[*len] = folded;
        *len += 1 - (space & *after_space);
        *after_space = space;
    }
    let mut blocks = text.chunks_exact(16);
    for block in &mut blocks {
        let block: &[u8; 16] = block.try_into().expect("chunks of 16");
        let (folded, spaces) = fold_block(block);
        if spaces & ((spaces << 1) | after_space as u16) == 0 {
            out[len..len + 16].copy_from_slice(&folded);
            len += 16;
            after_space = usize::from(spaces >> 15);
        } else {
            for &b in block {
                step(&mut out, &mut len, &mut after_space, b);
            }
        }
    }
    for &b in blocks.remainder() {
        step(&mut out, &mut len, &mut after_space, b);
    }
    if len > 0 && out[len - 1] == b' ' {
        len -= 1;
    }
    out.truncate(len);
    String::from_utf8(out).expect("ASCII in, ASCII out")
}

/// Sixteen ASCII bytes folded as [`ASCII_FOLD`] folds them, and the mask of those that are
/// whitespace.
#[cfg(target_arch = "x86_64")]
fn fold_block(block: &[u8; 16]) -> ([u8; 16], u16) {
    use std::arch::x86_64::*;
    let mut folded = [0u8; 16];
    // SAFETY: SSE2 is part of the x86_64 baseline; unaligned loads and stores of 16 bytes
    // within 16-byte arrays.
    let spaces = unsafe {
        let v = _mm_loadu_si128(block.as_ptr().cast());
        let upper = simd::within(v, b'A', b'Z');
        let space = _mm_or_si128(simd::within(v, b'\t', b'\r'), simd::is(v, b' '));
        let tick = simd::is(v, b'`');
        let lowered = _mm_or_si128(v, _mm_and_si128(upper, _mm_set1_epi8(0x20)));
        // Replace the backticks by apostrophes and whitespace by spaces: (x & !m) | (c & m).
        let select = |x: __m128i, m: __m128i, c: u8| {
            _mm_or_si128(
                _mm_andnot_si128(m, x),
                _mm_and_si128(m, _mm_set1_epi8(c as i8)),
            )
        };
        let out = select(select(lowered, tick, b'\''), space, b' ');
        _mm_storeu_si128(folded.as_mut_ptr().cast(), out);
        _mm_movemask_epi8(space) as u16
    };
    (folded, spaces)
}

/// [`fold_block`] where SSE2 is not the baseline.
#[cfg(not(target_arch = "x86_64"))]
fn fold_block(block: &[u8; 16]) -> ([u8; 16], u16) {
    fold_block_by_table(block)
}

/// [`fold_block`] from [`ASCII_FOLD`]; the reference the SIMD version is tested against.
#[cfg_attr(target_arch = "x86_64", allow(dead_code))]
fn fold_block_by_table(block: &[u8; 16]) -> ([u8; 16], u16) {
    let folded = block.map(|b| ASCII_FOLD[b as usize]);
    let spaces = folded
        .iter()
        .enumerate()
        .fold(0u16, |m, (i, &b)| m | (u16::from(b == b' ') << i));
    (folded, spaces)
}

/// [`fold_ascii`], with whitespace as a space.
static ASCII_FOLD: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        t[b] = if ascii_space(c) { b' ' } else { fold_ascii(c) };
        b += 1;
    }
    t
};

/// `s` on one line: runs of whitespace become one space, ends trimmed; nothing else changes.
/// For showing a passage or a name where a line break would break the layout.
///
/// ```
/// assert_eq!(neardup::normalize::one_line(" Eurasia\n  Review "), "Eurasia Review");
/// ```
pub fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Hash of [`normalized`]`(text)`.
///
/// The normalized text is built and hashed in one call: feeding a streaming hasher word by
/// word cost more than the hash itself (same bytes, same hash).
pub fn text_hash(text: &str) -> u64 {
    hash::text_hash(normalized(text).as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Case {
        name: &'static str,
        input: &'static str,
        expected: &'static str,
    }

    const BASICS: &[Case] = &[
        Case {
            name: "empty",
            input: "",
            expected: "",
        },
        Case {
            name: "whitespace only",
            input: " \n\t \r\n",
            expected: "",
        },
        Case {
            name: "case",
            input: "The UN Security Council",
            expected: "the un security council",
        },
        Case {
            name: "collapse",
            input: "a  b\n\nc\t d",
            expected: "a b c d",
        },
        Case {
            name: "trim",
            input: "  a b  ",
            expected: "a b",
        },
        Case {
            name: "punctuation kept",
            input: "Hello, world.",
            expected: "hello, world.",
        },
    ];

    const UNICODE: &[Case] = &[
        Case {
            name: "curly apostrophe",
            input: "Russia’s",
            expected: "russia's",
        },
        Case {
            name: "curly double quotes",
            input: "“grave”",
            expected: "\"grave\"",
        },
        Case {
            name: "guillemets",
            input: "«oui»",
            expected: "\"oui\"",
        },
        Case {
            name: "em dash",
            input: "a—b",
            expected: "a-b",
        },
        Case {
            name: "en dash",
            input: "2020–2021",
            expected: "2020-2021",
        },
        Case {
            name: "minus sign",
            input: "−5",
            expected: "-5",
        },
        Case {
            name: "fullwidth",
            input: "ＡＢＣ１２３",
            expected: "abc123",
        },
        Case {
            name: "ligature",
            input: "ﬁnance",
            expected: "finance",
        },
        Case {
            name: "nbsp is whitespace",
            input: "a\u{00A0}b",
            expected: "a b",
        },
        Case {
            name: "composed vs decomposed",
            input: "Cafe\u{301}",
            expected: "café",
        },
        Case {
            name: "non-latin lower",
            input: "ΑΘΗΝΑ Москва",
            expected: "αθηνα москва",
        },
    ];

    #[test]
    fn normalized_cases() {
        for case in BASICS.iter().chain(UNICODE) {
            assert_eq!(
                normalized(case.input),
                case.expected,
                "case {:?}",
                case.name
            );
            assert_eq!(
                text_hash(case.input),
                text_hash(case.expected),
                "hash of case {:?}",
                case.name
            );
        }
    }

    #[test]
    fn words_map_back_to_original() {
        let text = "Sergei Shoigu’s  “warning”: 23,000 fighters — in Kabul.";
        let ws = words(text);
        let shown: Vec<&str> = ws
            .iter()
            .map(|w| &text[w.start as usize..w.end as usize])
            .collect();
        assert_eq!(
            shown,
            [
                "Sergei",
                "Shoigu’s",
                "warning",
                "23,000",
                "fighters",
                "in",
                "Kabul"
            ]
        );
        assert_eq!(ws[1].hash, hash::token_hash(b"shoigu's"));
        assert_eq!(ws[3].hash, hash::token_hash(b"23,000"));
    }

    proptest::proptest! {
        #[test]
        fn never_panics_and_spans_slice_the_original(text in "\\PC*") {
            let ws = words(&text);
            for w in &ws {
                proptest::prop_assert!(w.start < w.end && (w.end as usize) <= text.len());
                proptest::prop_assert!(text.is_char_boundary(w.start as usize));
                proptest::prop_assert!(text.is_char_boundary(w.end as usize));
            }
            proptest::prop_assert_eq!(text_hash(&text), text_hash(&normalized(&text)));
        }
    }

    fn ascii(text: &str) -> Vec<Word> {
        let mut out = Vec::new();
        ascii_words(text.as_bytes(), 0, &mut out);
        out
    }

    fn uax29(text: &str) -> Vec<Word> {
        let mut out = Vec::new();
        unicode_words(text, 0, &mut out);
        out
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2000))]
        #[test]
        fn ascii_fast_path_segments_like_uax29(text in "[aZq09_ .,;:'\"!?()\\-/\n\t@#]{0,200}") {
            proptest::prop_assert_eq!(ascii(&text), uax29(&text));
        }

        /// Mixed text: ASCII stretches take the fast path, the rest UAX #29, and together
        /// they segment as UAX #29 over the whole text. The non-ASCII characters include
        /// combining marks, joiners, non-ASCII spaces, quotes, CJK and emoji.
        #[test]
        fn mixed_text_segments_like_uax29(
            text in "[aZ09_ .,:'\n\t\u{e9}\u{2019}\u{301}\u{200d}\u{a0}\u{85}\u{3000}\u{65e5}\u{416}\u{1f600}\u{ff21}]{0,40}"
        ) {
            proptest::prop_assert_eq!(words(&text), uax29(&text));
        }

        #[test]
        fn fold_block_matches_the_fold_table(block in proptest::array::uniform16(0u8..128)) {
            proptest::prop_assert_eq!(fold_block(&block), fold_block_by_table(&block));
        }

        #[test]
        fn ascii_fast_path_normalizes_like_the_general_one(text in "[ -~\t-\r\x00-\x1f]{0,60}|[ a-zA-Z`\n]{0,200}") {
            proptest::prop_assert_eq!(ascii_normalized(text.as_bytes()), unicode_normalized(&text));
        }
    }

    proptest::proptest! {
        #[test]
        fn classify_matches_the_class_table(block in proptest::array::uniform32(0u8..128), rest in proptest::array::uniform32(0u8..128)) {
            let mut bytes = [0u8; 64];
            bytes[..32].copy_from_slice(&block);
            bytes[32..].copy_from_slice(&rest);
            let (mut a, mut b) = ([0u8; 64], [0u8; 64]);
            proptest::prop_assert_eq!(classify(&bytes, &mut a), classify_by_table(&bytes, &mut b));
            proptest::prop_assert_eq!(a, b);
        }
    }

    #[test]
    fn ascii_fast_path_cases() {
        for text in [
            "don't stop",
            "U.S. forces",
            "23,000 fighters",
            "3.5 km",
            "a.5 5.a",
            "rock'n'roll",
            "a:b c:5",
            "x_y _z_ __",
            "'quoted' \"words\"",
            "end.",
            "1;2;3",
            "1,,2",
            "a..b",
            "e-mail",
            "co-op's",
            "12:30",
            "v1.2.3",
            "A.B.C.",
            "_",
            "it's 5'",
            "",
        ] {
            assert_eq!(ascii(text), uax29(text), "{text:?}");
        }
    }

    #[test]
    fn equal_words_hash_equal_across_styles() {
        let a = words("DON'T Stop");
        let b = words("don’t stop");
        assert_eq!(
            a.iter().map(|w| w.hash).collect::<Vec<_>>(),
            b.iter().map(|w| w.hash).collect::<Vec<_>>()
        );
    }
}
