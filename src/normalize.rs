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

/// Appends the normalized form of `s` (one word, or any text without whitespace handling) to
/// `out`.
pub fn normalize_word(s: &str, out: &mut String) {
    if s.is_ascii() {
        // ASCII is already NFKC and has no curly quotes: lower-casing is all there is to do.
        let start = out.len();
        out.push_str(s);
        out[start..].make_ascii_lowercase();
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
    if text.is_ascii() {
        ascii_words(text.as_bytes())
    } else {
        unicode_words(text)
    }
}

/// [`words`] by Unicode word segmentation (UAX #29), for any text.
fn unicode_words(text: &str) -> Vec<Word> {
    let mut buf = String::new();
    text.unicode_word_indices()
        .map(|(start, w)| {
            buf.clear();
            normalize_word(w, &mut buf);
            Word {
                start: start as u32,
                end: (start + w.len()) as u32,
                hash: hash::token_hash(buf.as_bytes()),
            }
        })
        .collect()
}

/// [`words`] for ASCII text, without the general Unicode machinery: the same word boundaries
/// as UAX #29 (the property test below compares the two), about three times faster, which is
/// most of a scan's time on English text.
///
/// UAX #29 for ASCII: letters, digits and `_` form words; letters join across `'`, `.` and `:`
/// when a letter follows (WB6/7: "don't", "U.S"), digits across `,`, `;`, `.` and `'` when a
/// digit follows (WB11/12: "23,000", "3.5"); letters and digits join directly (WB9/10) and `_`
/// joins anything word-like (WB13a/b). A segment is a word if it holds a letter or a digit.
fn ascii_words(text: &[u8]) -> Vec<Word> {
    let letter = |b: u8| b.is_ascii_alphabetic();
    let wordish = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    let mut out = Vec::with_capacity(text.len() / 6);
    let mut lower = Vec::with_capacity(64);
    let mut i = 0;
    while i < text.len() {
        if !wordish(text[i]) {
            i += 1;
            continue;
        }
        let start = i;
        i += 1;
        while i < text.len() {
            let (prev, cur) = (text[i - 1], text[i]);
            if wordish(cur) {
                i += 1;
                continue;
            }
            let Some(&next) = text.get(i + 1) else { break };
            let joins = match cur {
                b'\'' | b'.' => {
                    (letter(prev) && letter(next))
                        || (prev.is_ascii_digit() && next.is_ascii_digit())
                }
                b':' => letter(prev) && letter(next),
                b',' | b';' => prev.is_ascii_digit() && next.is_ascii_digit(),
                _ => false,
            };
            if !joins {
                break;
            }
            i += 2;
        }
        let word = &text[start..i];
        if word.iter().any(u8::is_ascii_alphanumeric) {
            lower.clear();
            lower.extend(word.iter().map(u8::to_ascii_lowercase));
            out.push(Word {
                start: start as u32,
                end: i as u32,
                hash: hash::token_hash(&lower),
            });
        }
    }
    out
}

/// The normalized text: runs of whitespace become one space, and leading and trailing
/// whitespace is dropped. Whitespace is collapsed again after NFKC, which can produce spaces
/// (U+00A8 becomes a space and a combining mark), so that normalizing twice changes nothing.
///
/// ```
/// assert_eq!(neardup::normalize::normalized("  “Hello”\u{2014}\n\tＷｏｒｌｄ "), "\"hello\"- world");
/// ```
pub fn normalized(text: &str) -> String {
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

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2000))]
        #[test]
        fn ascii_fast_path_segments_like_uax29(text in "[aZq09_ .,;:'\"!?()\\-/\n\t@#]{0,60}") {
            proptest::prop_assert_eq!(ascii_words(text.as_bytes()), unicode_words(&text));
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
            assert_eq!(
                ascii_words(text.as_bytes()),
                unicode_words(text),
                "{text:?}"
            );
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
