//! Quotations: word 3-grams inside double quotes.

use super::*;

/// Rarity given to a shared quotation 3-gram: rarer than nearly any single word.
pub(super) const QUOTE_RARITY: f32 = 5.0;

pub(super) fn quotes(s_start: usize, sentence: &str, si: u32, out: &mut dyn FnMut(Mention)) {
    let mut open: Option<usize> = None;
    // Every quotation mark is `"` or starts with byte C2 (« ») or E2 (“ ”), which are always
    // the first byte of their character: only those positions are decoded.
    for i in memchr::memchr3_iter(b'"', 0xC2, 0xE2, sentence.as_bytes()) {
        let Some(c) = sentence[i..].chars().next() else {
            continue;
        };
        match (c, open) {
            ('"' | '\u{201C}' | '\u{00AB}', None) => open = Some(i + c.len_utf8()),
            ('"' | '\u{201D}' | '\u{00BB}', Some(o)) => {
                quote_grams(&sentence[o..i], s_start + o, si, out);
                open = None;
            }
            _ => {}
        }
    }
}

pub(super) fn quote_grams(quote: &str, offset: usize, si: u32, out: &mut dyn FnMut(Mention)) {
    let words: Vec<(usize, &str)> = quote.unicode_word_indices().collect();
    if words.len() < 3 || words.len() > 120 {
        return;
    }
    let mut norm: Vec<String> = Vec::with_capacity(words.len());
    for (_, w) in &words {
        let mut n = String::new();
        crate::normalize::normalize_word(w, &mut n);
        norm.push(n);
    }
    for k in 0..words.len() - 2 {
        let gram = norm[k..k + 3].join(" ");
        let (s, _) = words[k];
        let (e, last) = words[k + 2];
        push(
            out,
            Kind::Quote,
            &gram,
            offset + s,
            offset + e + last.len(),
            si,
            QUOTE_RARITY,
        );
    }
}
