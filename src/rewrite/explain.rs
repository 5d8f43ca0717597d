//! Why a pair is a rewrite, in words: the names, figures, quotations and cited sources the two
//! texts share, and the sentence pairs that carry the same facts.

use serde::Serialize;
use unicode_segmentation::UnicodeSegmentation;

use super::decision::Decision;
use super::{DocFreq, PREFETCH_SLOTS};
use crate::align::{Passage, PassageKind};
use crate::features::salient::{self, Kind, Mention};
use crate::normalize::{Word, one_line};

/// What a pair shares beyond shingles: filled by the rewrite stage, empty otherwise.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Evidence {
    /// Shared named entities.
    pub entities: Vec<String>,
    /// Shared numbers with what they count.
    pub numbers: Vec<String>,
    /// Shared quoted phrases.
    pub quotes: Vec<String>,
    /// Outlets or agencies both texts attribute their reporting to.
    pub cited_sources: Vec<String>,
    /// For a rewrite, what its decision weighed, and the probability it gave.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub decision: Option<Decision>,
}

/// Evidence lists are cut to this many items per kind, heaviest first.
const MAX_EVIDENCE: usize = 12;
/// Sentence pairs reported per document pair.
const MAX_SENTENCE_PAIRS: usize = 5;
/// A sentence pair must share this share of the lighter sentence's weight.
const MIN_SENTENCE_SHARE: f32 = 0.3;

/// What two texts share, as evidence lists and sentence pairs. `a` comes with its mentions
/// ([`salient::mentions`]), which verification finds once for all the pairs of `a`, and `b`
/// with its words ([`crate::normalize::words`]), which verification has already found.
pub(crate) fn explain(
    (a, ma): (&str, &[Mention]),
    (b, b_words): (&str, &[Word]),
    df: &DocFreq,
) -> (Evidence, Vec<Passage>) {
    let mb = salient::mentions_of_words(b, b_words);
    let mut b_keys: Vec<u64> = mb.iter().map(|m| m.key).collect();
    b_keys.sort_unstable();
    b_keys.dedup();
    let shared = |key: u64| b_keys.binary_search(&key).is_ok();
    let weight = |m: &Mention| df.unit_weight(m.key, m.kind, m.rarity);

    // Shared mentions of one kind, as byte spans of `a` with their weights.
    let found = |kind: Kind| -> Vec<(f32, u32, u32)> {
        ma.iter()
            .filter(|m| m.kind == kind && shared(m.key))
            .map(|m| (weight(m), m.start, m.end))
            .collect()
    };
    let evidence = Evidence {
        entities: phrases(a, found(Kind::Entity), Kind::Entity),
        numbers: phrases(a, found(Kind::Number), Kind::Number),
        quotes: shared_quotes(a, ma, &shared),
        cited_sources: phrases(a, found(Kind::Source), Kind::Source),
        decision: None,
    };
    (evidence, sentence_pairs(a, b, ma, &mb, df))
}

/// Shared mentions of `a` of one kind (weights and byte spans) as the phrases a reader would
/// name them by, weightiest first, at most [`MAX_EVIDENCE`]: the shared words of one name join
/// ("Sergei" and "Shoigu" found apart are "Sergei Shoigu"), a name loses the role before it
/// ("Foreign Minister") and its possessive, a number keeps what it counts ("20 extremist groups", "November 20"),
/// and a phrase found inside another listed one is not listed apart.
fn phrases(a: &str, mut found: Vec<(f32, u32, u32)>, kind: Kind) -> Vec<String> {
    found.sort_unstable_by_key(|&(_, s, e)| (s, e));
    let mut merged: Vec<(f32, usize, usize)> = Vec::new();
    for (w, s, e) in found {
        let (s, e) = (s as usize, e as usize);
        match merged.last_mut() {
            Some(last) if s < last.2 || (kind == Kind::Entity && joins(a, last.2, s)) => {
                last.0 = last.0.max(w);
                last.2 = last.2.max(e);
            }
            _ => merged.push((w, s, e)),
        }
    }
    merged.sort_by(|x, y| y.0.total_cmp(&x.0).then(x.1.cmp(&y.1)));
    let mut shown: Vec<(String, String)> = Vec::new();
    for (_, s, e) in merged {
        let text = match kind {
            Kind::Entity => {
                let name = one_line(&a[s..e]);
                let name = without_role(&name);
                let name = ["'s", "’s", "'", "’"]
                    .iter()
                    .find_map(|p| name.strip_suffix(p))
                    .unwrap_or(name);
                name.to_string()
            }
            Kind::Number => one_line(&a[with_count(a, s, e)]),
            _ => one_line(&a[s..e]),
        };
        let low = text.to_lowercase();
        if !text.is_empty() && !shown.iter().any(|(l, _)| *l == low) {
            shown.push((low, text));
        }
    }
    shown
        .iter()
        .filter(|(low, _)| {
            !shown
                .iter()
                .any(|(other, _)| other != low && contains_words(other, low))
        })
        .map(|(_, text)| text.clone())
        .take(MAX_EVIDENCE)
        .collect()
}

/// Whether only a space or a hyphen separates the mention ending at `end` from the one
/// starting at `start`, so that they are words of one name.
fn joins(text: &str, end: usize, start: usize) -> bool {
    start >= end
        && start - end <= 3
        && text[end..start]
            .chars()
            .all(|c| c.is_whitespace() || c == '-')
}

/// Words that name a role, not who holds it: "Foreign Minister Sergei Lavrov" is listed as
/// "Sergei Lavrov", "Secretary of Russia's Security Council" as "Russia's Security Council".
const ROLES: &[&str] = &[
    "acting",
    "ambassador",
    "capt",
    "captain",
    "chairman",
    "chairwoman",
    "chief",
    "commander",
    "commissioner",
    "defence",
    "defense",
    "deputy",
    "detective",
    "director",
    "dr",
    "foreign",
    "former",
    "governor",
    "interior",
    "judge",
    "lt",
    "mayor",
    "minister",
    "mr",
    "mrs",
    "ms",
    "officer",
    "president",
    "prime",
    "rep",
    "representative",
    "secretary",
    "sen",
    "senator",
    "sgt",
    "sheriff",
    "spokesman",
    "spokesperson",
    "spokeswoman",
    "vice",
];

/// `name` without the role words, and the "of" or "the" after them, that it starts with;
/// the whole name when nothing else would be left.
fn without_role(name: &str) -> &str {
    let mut rest = name;
    let mut stripped = false;
    while let Some((word, after)) = rest.split_once(' ') {
        let bare = word.trim_end_matches('.').to_lowercase();
        let role = ROLES.contains(&bare.as_str());
        if !(role || (stripped && matches!(bare.as_str(), "of" | "the"))) {
            break;
        }
        stripped |= role;
        rest = after;
    }
    if stripped { rest } else { name }
}

/// Words that never say what a number counts.
const NOT_COUNTED: &[&str] = &[
    "a", "an", "and", "are", "as", "at", "by", "for", "had", "has", "in", "is", "of", "on", "or",
    "the", "to", "was", "were", "with",
];

/// The span of the bare number at `start..end` of `text` with what it counts: up to two
/// lower-case words right after it, or else the word right before it.
fn with_count(text: &str, start: usize, end: usize) -> std::ops::Range<usize> {
    // "23,000 fighters" and "November 20" were found whole.
    if text[start..end].chars().any(char::is_alphabetic) {
        return start..end;
    }
    let mut to = end;
    for _ in 0..2 {
        let Some(after) = text[to..].strip_prefix(' ') else {
            break;
        };
        let len = after
            .find(|c: char| !c.is_alphabetic())
            .unwrap_or(after.len());
        let word = &after[..len];
        if len == 0 || !word.chars().all(char::is_lowercase) || NOT_COUNTED.contains(&word) {
            break;
        }
        to += 1 + len;
    }
    if to > end {
        return start..to;
    }
    let Some(before) = text[..start].strip_suffix(' ') else {
        return start..end;
    };
    let from = before
        .char_indices()
        .rev()
        .take_while(|(_, c)| c.is_alphanumeric())
        .last()
        .map_or(start, |(i, _)| i);
    from..end
}

/// Whether `hay` holds `needle` as whole words.
fn contains_words(hay: &str, needle: &str) -> bool {
    let needle = one_line(needle);
    hay.split_whitespace()
        .collect::<Vec<_>>()
        .windows(needle.split(' ').count())
        .any(|w| w.join(" ") == needle)
}

/// Shared quotation 3-grams of `a`, merged into the phrases they cover.
fn shared_quotes(a: &str, ma: &[Mention], shared: &dyn Fn(u64) -> bool) -> Vec<String> {
    let mut ranges: Vec<(u32, u32)> = ma
        .iter()
        .filter(|m| m.kind == Kind::Quote && shared(m.key))
        .map(|m| (m.start, m.end))
        .collect();
    ranges.sort_unstable();
    let mut merged: Vec<(u32, u32)> = Vec::new();
    for (s, e) in ranges {
        match merged.last_mut() {
            Some(last) if s <= last.1 => last.1 = last.1.max(e),
            _ => merged.push((s, e)),
        }
    }
    merged.sort_by_key(|&(s, e)| std::cmp::Reverse(e - s));
    merged.truncate(MAX_EVIDENCE);
    merged
        .into_iter()
        .map(|(s, e)| one_line(&a[s as usize..e as usize]))
        .collect()
}

/// Byte ranges of the sentences of `text`.
fn sentences(text: &str) -> Vec<[usize; 2]> {
    salient::sentences(text)
        .map(|(i, s)| [i, i + s.trim_end().len()])
        .collect()
}

/// A term of a sentence: its key, its weight, and whether it is a name, number, quotation or
/// source rather than a word.
type SentenceTerm = (u64, f32, bool);

/// The terms of each of `n` sentences, sorted by key and distinct, as ranges of one array: a
/// vector per sentence, grown term by term, cost more than the pairing (a reallocation every
/// few terms).
fn sentence_terms(
    ms: &[Mention],
    n: usize,
    df: &DocFreq,
) -> (Vec<SentenceTerm>, Vec<std::ops::Range<usize>>) {
    let mut start = vec![0usize; n + 1];
    for m in ms.iter().filter(|m| (m.sentence as usize) < n) {
        start[m.sentence as usize + 1] += 1;
    }
    for i in 0..n {
        start[i + 1] += start[i];
    }
    let mut next = start.clone();
    let mut flat = vec![(0, 0.0, false); start[n]];
    for (k, m) in ms.iter().enumerate() {
        if let Some(ahead) = ms.get(k + PREFETCH_SLOTS) {
            df.prefetch(ahead.key);
        }
        let sentence = m.sentence as usize;
        if sentence < n {
            let weight = df.unit_weight(m.key, m.kind, m.rarity);
            flat[next[sentence]] = (m.key, weight, m.kind != Kind::Word);
            next[sentence] += 1;
        }
    }
    let ranges = (0..n)
        .map(|i| {
            let terms = &mut flat[start[i]..start[i + 1]];
            terms.sort_unstable_by_key(|x| x.0);
            // The first of each key's run kept, as `Vec::dedup_by_key` would.
            let mut kept = 0;
            for j in 0..terms.len() {
                if kept == 0 || terms[j].0 != terms[kept - 1].0 {
                    terms[kept] = terms[j];
                    kept += 1;
                }
            }
            start[i]..start[i] + kept
        })
        .collect();
    (flat, ranges)
}

/// Sentence pairs that carry the same facts: they share at least two salient terms, one of them
/// a name, number, quotation or source, and those terms make up at least
/// [`MIN_SENTENCE_SHARE`] of the lighter sentence's weight. Each sentence is used once, the
/// heaviest pairs first.
fn sentence_pairs(a: &str, b: &str, ma: &[Mention], mb: &[Mention], df: &DocFreq) -> Vec<Passage> {
    let (sa, sb) = (sentences(a), sentences(b));
    let (flat_a, ranges_a) = sentence_terms(ma, sa.len(), df);
    let (flat_b, ranges_b) = sentence_terms(mb, sb.len(), df);
    let ta: Vec<&[SentenceTerm]> = ranges_a.into_iter().map(|r| &flat_a[r]).collect();
    let tb: Vec<&[SentenceTerm]> = ranges_b.into_iter().map(|r| &flat_b[r]).collect();
    // Sentences of `b` by the names, numbers, quotations and sources they hold: only sentence
    // pairs sharing one of those are compared, so two long texts are not compared sentence by
    // sentence (quadratic). A term in more than MAX_SENTENCE_POSTINGS sentences of `b` proposes
    // none (it is everywhere, so it says nothing about which sentence matches).
    const MAX_SENTENCE_POSTINGS: usize = 64;
    let mut postings: ahash::AHashMap<u64, Vec<usize>> = ahash::AHashMap::new();
    for (j, y) in tb.iter().enumerate() {
        for t in y.iter().filter(|t| t.2) {
            postings.entry(t.0).or_default().push(j);
        }
    }
    let totals_b: Vec<f32> = tb.iter().map(|y| y.iter().map(|t| t.1).sum()).collect();
    let mut candidates: Vec<(f32, usize, usize)> = Vec::new();
    let mut partners: Vec<usize> = Vec::new();
    for (i, x) in ta.iter().enumerate() {
        partners.clear();
        for t in x.iter().filter(|t| t.2) {
            if let Some(js) = postings
                .get(&t.0)
                .filter(|js| js.len() <= MAX_SENTENCE_POSTINGS)
            {
                partners.extend(js);
            }
        }
        partners.sort_unstable();
        partners.dedup();
        let total_a: f32 = x.iter().map(|t| t.1).sum();
        for &j in &partners {
            let y = &tb[j];
            let (mut p, mut q, mut shared, mut n) = (0, 0, 0.0f32, 0);
            while p < x.len() && q < y.len() {
                match x[p].0.cmp(&y[q].0) {
                    std::cmp::Ordering::Less => p += 1,
                    std::cmp::Ordering::Greater => q += 1,
                    std::cmp::Ordering::Equal => {
                        shared += x[p].1;
                        n += 1;
                        p += 1;
                        q += 1;
                    }
                }
            }
            let lighter = total_a.min(totals_b[j]);
            if n >= 2 && lighter > 0.0 && shared >= MIN_SENTENCE_SHARE * lighter {
                candidates.push((shared, i, j));
            }
        }
    }
    candidates.sort_by(|x, y| y.0.total_cmp(&x.0).then(x.1.cmp(&y.1)).then(x.2.cmp(&y.2)));
    let (mut used_a, mut used_b) = (vec![false; sa.len()], vec![false; sb.len()]);
    let mut out = Vec::new();
    for (_, i, j) in candidates {
        if used_a[i] || used_b[j] {
            continue;
        }
        used_a[i] = true;
        used_b[j] = true;
        out.push(Passage {
            a: sa[i],
            b: sb[j],
            words: a[sa[i][0]..sa[i][1]].unicode_words().count(),
            kind: PassageKind::Paraphrase,
        });
        if out.len() == MAX_SENTENCE_PAIRS {
            break;
        }
    }
    out.sort_by_key(|p| p.a);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_join_and_lose_their_roles() {
        assert!(joins("Sergei Shoigu", 6, 7));
        assert!(!joins("Sergei, Shoigu", 6, 8));
        assert_eq!(
            without_role("Foreign Minister Sergei Lavrov"),
            "Sergei Lavrov"
        );
        assert_eq!(
            without_role("Secretary of Russia's Security Council"),
            "Russia's Security Council"
        );
        assert_eq!(without_role("President"), "President");
        assert_eq!(without_role("Chicago Police"), "Chicago Police");
        let text = "Defence Minister Sergei Shoigu spoke.";
        let found = vec![(2.0, 17, 23), (3.0, 24, 30)];
        assert_eq!(phrases(text, found, Kind::Entity), ["Sergei Shoigu"]);
    }

    #[test]
    fn numbers_keep_what_they_count() {
        let text = "more than 20 extremist groups. On November 20, 2025, 7 of them";
        let at = |needle: &str, len: usize| {
            let s = text.find(needle).unwrap();
            &text[with_count(text, s, s + len)]
        };
        assert_eq!(at("20 extremist", 2), "20 extremist groups");
        assert_eq!(at("20,", 2), "November 20");
        // "of" says nothing, and a comma ends the word before.
        assert_eq!(at("7 of", 1), "7");
        assert_eq!(at("20 extremist", 12), "20 extremist");
    }
}
