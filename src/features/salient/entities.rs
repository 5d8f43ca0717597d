//! Entities: runs of capitalised words, their folded spellings, and acronyms a text defines.

use super::*;

/// Leading words of a capitalised run rarer than this are kept ("Russia"), commoner ones are
/// taken for sentence openers ("The", "Another", "In").
pub(super) const MIN_ENTITY_HEAD_RARITY: f32 = 3.5;

/// A capitalised word standing alone at the start of a sentence is a name only if it is this
/// rare ("Reid", "Evstigneeva"); commoner ones ("Officials", "Russia") stay ordinary words. The
/// same bar makes a word of a longer name a name of its own: "Evstigneeva" of "Anna
/// Evstigneeva", but not "Council" of "UN Security Council".
///
/// Rare is not enough for a word English knows ("Propped", "Circled"): its capital may be the
/// sentence's alone. Such an opener is a name where the text also capitalises it inside a
/// sentence ([`opener_is_name`]).
pub(super) const MIN_NAME_RARITY: f32 = 5.0;

/// Acronyms are as rare as their letters spelled as a word, but no commoner than this: "IS" is
/// not the verb, and "UN" or "NATO" are not as rare as a surname either.
pub(super) const MIN_ACRONYM_RARITY: f32 = 4.5;

/// Lower-case words allowed inside a capitalised run when followed by another capital.
pub(super) const CONNECTORS: &[&str] = &[
    "of", "the", "de", "al", "bin", "la", "van", "von", "der", "da", "del", "du", "for",
];

/// Folds a name word: diacritics dropped, possessive removed, y as i, doubled letters single.
pub(super) fn fold_name(norm: &str) -> String {
    let mut out = String::new();
    fold_name_into(norm, &mut out);
    out
}

/// [`fold_name`] appended to `out`, which is empty or ends with a space.
pub(super) fn fold_name_into(norm: &str, out: &mut String) {
    let base = strip_possessive(norm);
    let from = out.len();
    let push = |c: char| {
        let c = if c == 'y' { 'i' } else { c };
        if c != '\'' && c != '-' && !out[from..].ends_with(c) {
            out.push(c);
        }
    };
    // ASCII is its own decomposition, without marks: most names skip the decomposition tables.
    if base.is_ascii() {
        base.chars().for_each(push);
    } else {
        base.nfkd()
            .filter(|c| !is_combining_mark(*c))
            .for_each(push);
    }
}

/// The folded words of `run` joined by spaces, as entity keys spell a name, into `name`
/// (cleared first); and where each word's folded form lies in it.
pub(super) fn fold_run(run: &[Token], name: &mut String, parts: &mut Vec<(usize, usize)>) {
    name.clear();
    parts.clear();
    name.reserve(run.iter().map(|t| t.norm.len() + 1).sum());
    for (k, t) in run.iter().enumerate() {
        if k > 0 {
            name.push(' ');
        }
        let from = name.len();
        fold_name_into(t.norm, name);
        parts.push((from, name.len()));
    }
}

pub(super) fn strip_possessive(norm: &str) -> &str {
    norm.strip_suffix("'s")
        .or_else(|| norm.strip_suffix('\''))
        .unwrap_or(norm)
}

/// Whether only whitespace or a hyphen separates two tokens (so they can form one name).
pub(super) fn adjacent(text: &str, a: &Token, b: &Token) -> bool {
    text[a.end..b.start]
        .chars()
        .all(|c| c.is_whitespace() || c == '-')
        && b.start - a.end <= 3
}

/// Finds entity runs; returns their token ranges (for cited sources).
pub(super) fn entities(
    text: &str,
    tokens: &[Token],
    named: &[u64],
    si: u32,
    out: &mut dyn FnMut(Mention),
    aliases: &mut Vec<(u64, u64)>,
) -> Vec<(usize, usize)> {
    let caps = tokens.iter().filter(|t| t.cap).count();
    // A headline in title case capitalises nearly everything: only acronyms are names there.
    // (A sentence full of names, "The Promises Treatment Center is in Malibu", stays below.)
    let headline = tokens.len() >= 5 && caps * 10 > tokens.len() * 8;
    if headline {
        return acronym_runs(text, tokens, si, out);
    }
    let mut spans = Vec::new();
    // A run's folded name and its words' places in it, kept across runs for their buffers.
    let (mut name, mut parts) = (String::new(), Vec::new());
    let mut i = 0;
    while i < tokens.len() {
        if !tokens[i].cap
            || tokens[i]
                .norm
                .chars()
                .next()
                .is_some_and(|c| c.is_numeric())
        {
            i += 1;
            continue;
        }
        let mut j = i + 1;
        while j < tokens.len() {
            if tokens[j].cap && adjacent(text, &tokens[j - 1], &tokens[j]) {
                j += 1;
            } else if CONNECTORS.contains(&tokens[j].norm)
                && j + 1 < tokens.len()
                && tokens[j + 1].cap
                && adjacent(text, &tokens[j - 1], &tokens[j])
                && adjacent(text, &tokens[j], &tokens[j + 1])
            {
                j += 2;
            } else {
                break;
            }
        }
        let mut start = i;
        while start < j && name_rarity(text, &tokens[start]) < MIN_ENTITY_HEAD_RARITY {
            start += 1;
        }
        if j - start == 1 && start == 0 && !opener_is_name(text, &tokens[0], named) {
            start = j;
        }
        // Connectors never end or start a name.
        let mut end = j;
        while end > start && CONNECTORS.contains(&tokens[end - 1].norm) {
            end -= 1;
        }
        while start < end && CONNECTORS.contains(&tokens[start].norm) {
            start += 1;
        }
        if start < end {
            let run = &tokens[start..end];
            fold_run(run, &mut name, &mut parts);
            let rarity = run.iter().map(|t| name_rarity(text, t)).fold(0.0, f32::max);
            push(
                out,
                Kind::Entity,
                &name,
                run[0].start,
                run[run.len() - 1].end,
                si,
                rarity,
            );
            if run.len() > 1 {
                for (t, &(from, to)) in run.iter().zip(&parts) {
                    let r = name_rarity(text, t);
                    let f = &name[from..to];
                    if r >= MIN_NAME_RARITY && !CONNECTORS.contains(&f) {
                        push(out, Kind::Entity, f, t.start, t.end, si, r);
                    }
                }
            }
            if let Some(acronym) = defined_acronym(text, run[run.len() - 1].end) {
                let long = hash::salient_hash(Kind::Entity as u8, name.as_bytes());
                aliases.push((
                    hash::salient_hash(Kind::Entity as u8, acronym.as_bytes()),
                    long,
                ));
            }
            spans.push((start, end));
        }
        i = j.max(i + 1);
    }
    spans
}

impl Token<'_> {
    /// The word as `text`, the text it was found in, writes it.
    fn raw<'t>(&self, text: &'t str) -> &'t str {
        &text[self.start..self.end]
    }
}

/// Whether a word of `text` is written in capitals only, with at least one letter ("IS", "K",
/// "UN").
pub(super) fn all_caps(text: &str, t: &Token) -> bool {
    let raw = t.raw(text);
    raw.chars().any(char::is_alphabetic)
        && raw.chars().all(|c| !c.is_alphabetic() || c.is_uppercase())
}

/// Whether `t`, a capitalised word alone at the start of a sentence, is a name: rare, and an
/// acronym, a word English does not know, or one the text capitalises inside a sentence too
/// (`named`, sorted [`Token::hash`]es). Generated text opens sentences with random words, a
/// rare one in ten; as names they were a document's heaviest terms, and a retelling, opening
/// its sentences with other words, shared none of them.
fn opener_is_name(text: &str, t: &Token, named: &[u64]) -> bool {
    let rarity = name_rarity(text, t);
    rarity >= MIN_NAME_RARITY
        && (rarity >= background::UNSEEN_RARITY
            || all_caps(text, t)
            || named.binary_search(&t.hash).is_ok())
}

/// Background rarity of a word used as a name. An all-capitals word of two or more letters is
/// an acronym ("IS", "UN"), not the common word it spells.
pub(super) fn name_rarity(text: &str, t: &Token) -> f32 {
    if all_caps(text, t) && t.raw(text).chars().filter(|c| c.is_alphabetic()).count() >= 2 {
        return t.rarity.max(MIN_ACRONYM_RARITY);
    }
    // Looked up before folding: folding is for matching variants, and "officials" folds to a
    // word the list does not have.
    match strip_possessive(t.norm) {
        base if base.len() < t.norm.len() => background::rarity(base),
        _ => t.rarity,
    }
}

/// Entities of a title-case headline: runs of all-capitals words with at least one acronym
/// ("IS-K"). An all-capitals headline has none: every word would qualify.
pub(super) fn acronym_runs(
    text: &str,
    tokens: &[Token],
    si: u32,
    out: &mut dyn FnMut(Mention),
) -> Vec<(usize, usize)> {
    if tokens.iter().all(|t| all_caps(text, t)) {
        return Vec::new();
    }
    let mut spans = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        let mut j = i;
        while j < tokens.len()
            && all_caps(text, &tokens[j])
            && (j == i || adjacent(text, &tokens[j - 1], &tokens[j]))
        {
            j += 1;
        }
        if j > i
            && tokens[i..j]
                .iter()
                .any(|t| t.raw(text).chars().filter(|c| c.is_alphabetic()).count() >= 2)
        {
            let (mut name, mut parts) = (String::new(), Vec::new());
            fold_run(&tokens[i..j], &mut name, &mut parts);
            let rarity = tokens[i..j]
                .iter()
                .map(|t| name_rarity(text, t))
                .fold(0.0, f32::max);
            push(
                out,
                Kind::Entity,
                &name,
                tokens[i].start,
                tokens[j - 1].end,
                si,
                rarity,
            );
            spans.push((i, j));
        }
        i = j.max(i + 1);
    }
    spans
}

/// The folded acronym in "Long Name (ACR)" right after `end`, if there is one: at most 12
/// chars, at least two capitals, no spaces.
pub(super) fn defined_acronym(text: &str, end: usize) -> Option<String> {
    let rest = text[end..].trim_start();
    let inner = rest.strip_prefix('(')?;
    let close = inner.find(')')?;
    let acr = &inner[..close];
    let caps = acr.chars().filter(|c| c.is_uppercase()).count();
    if acr.len() > 12 || caps < 2 || acr.contains(char::is_whitespace) {
        return None;
    }
    // Keyed as the run of its word segments would be: "IS-K" is the run "IS K".
    let parts: Vec<String> = acr
        .unicode_words()
        .map(|w| {
            let mut n = String::new();
            crate::normalize::normalize_word(w, &mut n);
            fold_name(&n)
        })
        .collect();
    (!parts.is_empty()).then(|| parts.join(" "))
}
