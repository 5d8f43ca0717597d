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

mod whole;
mod words;

#[cfg(any(test, feature = "internals"))]
pub use whole::normalized;
pub use whole::text_hash;
pub use words::words;

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

/// `s` on one line: runs of whitespace become one space, ends trimmed; nothing else changes.
/// For showing a passage or a name where a line break would break the layout.
pub fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use super::whole::*;
    use super::words::*;

    #[test]
    fn one_line_collapses_whitespace() {
        assert_eq!(crate::normalize::one_line(" Eurasia\n  Review "), "Eurasia Review");
    }

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
