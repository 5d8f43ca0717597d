//! Numbers: figures, what they count, and dates.

use super::*;

/// Words that never name what a number counts.
pub(super) const FUNCTION_WORDS: &[&str] = &[
    "a", "an", "the", "and", "or", "of", "in", "on", "at", "to", "for", "from", "by", "with",
    "was", "were", "is", "are", "be", "been", "has", "have", "had", "that", "this", "as", "it",
    "its", "but", "not", "no", "than", "per", "after", "before", "since", "when", "can", "could",
    "will", "would", "shall", "should", "may", "might", "must", "do", "does", "did", "so", "if",
    "then", "which", "who", "while", "also", "into", "about", "over", "up", "out", "he", "she",
    "they", "we", "i", "you", "his", "her", "their", "our", "there", "said", "says",
];

/// Multipliers that belong to the number they follow.
pub(super) const MULTIPLIERS: &[&str] = &[
    "hundred", "thousand", "million", "billion", "trillion", "percent", "per", "cent",
];

pub(super) const MONTHS: &[&str] = &[
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// Canonical form of a number token: separators dropped ("23,000" → "23000").
pub(super) fn canonical_number(norm: &str) -> String {
    norm.chars()
        .filter(|c| !matches!(c, ',' | '\'' | '\u{202F}' | '\u{00A0}'))
        .collect()
}

/// Whether `bytes` may hold a word with a digit once normalized: an ASCII digit, or any
/// non-ASCII byte (NFKC turns "２" and "²" into digits). Without a branch per byte, so that it
/// runs at memory speed: most sentences hold no number.
pub(super) fn may_hold_digits(bytes: &[u8]) -> bool {
    bytes.chunks(32).any(|c| {
        c.iter().fold(false, |any, &b| {
            any | (b.wrapping_sub(b'0') < 10) | (b >= 0x80)
        })
    })
}

pub(super) fn numbers(text: &str, tokens: &[Token], si: u32, out: &mut dyn FnMut(Mention)) {
    let (Some(first), Some(last)) = (tokens.first(), tokens.last()) else {
        return;
    };
    if !may_hold_digits(&text.as_bytes()[first.start..last.end]) {
        return;
    }
    for (i, t) in tokens.iter().enumerate() {
        // Digits are ASCII, and no byte of a multi-byte character is.
        if !t.norm.bytes().any(|b| b.is_ascii_digit()) {
            continue;
        }
        let canon = canonical_number(t.norm);
        // Longer numbers are rarer by chance: "7" repeats between unrelated texts, "23000"
        // seldom does.
        let digits = canon.chars().filter(char::is_ascii_digit).count();
        let rarity = (2.5 + 0.75 * digits as f32).min(5.5);
        push(out, Kind::Number, &canon, t.start, t.end, si, rarity);
        // What it counts: the next word, after any multiplier ("5 million people").
        let mut j = i + 1;
        let mut phrase = canon.clone();
        // Only what follows the number in the same phrase: "1,000), so" counts nothing.
        let follows = |j: usize| j < tokens.len() && adjacent(text, &tokens[j - 1], &tokens[j]);
        while follows(j) && MULTIPLIERS.contains(&tokens[j].norm) {
            phrase.push(' ');
            phrase.push_str(tokens[j].norm);
            j += 1;
        }
        if let Some(u) = tokens.get(j).filter(|_| follows(j)) {
            let alphabetic = u.norm.chars().all(char::is_alphabetic);
            if alphabetic && !u.cap && !FUNCTION_WORDS.contains(&u.norm) {
                let unit = u
                    .norm
                    .strip_suffix('s')
                    .filter(|s| s.len() > 2)
                    .unwrap_or(u.norm);
                push(
                    out,
                    Kind::Number,
                    &format!("{phrase} {unit}"),
                    t.start,
                    u.end,
                    si,
                    rarity + 0.5,
                );
            }
        }
        // Dates: "March 15" or "15 March".
        let month = |k: usize| tokens.get(k).filter(|m| MONTHS.contains(&m.norm));
        let date = i
            .checked_sub(1)
            .and_then(month)
            .or_else(|| month(i + 1))
            .filter(|_| digits <= 2);
        if let Some(m) = date {
            let (s, e) = (t.start.min(m.start), t.end.max(m.end));
            push(
                out,
                Kind::Number,
                &format!("{} {canon}", m.norm),
                s,
                e,
                si,
                5.0,
            );
        }
    }
}
