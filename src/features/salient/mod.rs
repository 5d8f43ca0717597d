//! Salient terms: what two retellings of one story share when their wording does not.
//!
//! Input: a document's original text. Output: [`Mention`]s (every occurrence, with its byte
//! range and sentence, for evidence) or [`Term`]s (distinct keys with counts, for scoring).
//! Both are pure functions of the text and the shipped background list.
//!
//! Kinds of term:
//! - **entities**: runs of capitalised words ("Anna Evstigneeva", "UN Security Council"), with
//!   lower-case connectors inside ("Bank of England"), leading common words dropped ("The",
//!   "In"), possessives removed, and spelling folded (diacritics, y/i, doubled letters:
//!   Sergei/Sergey, Nebenzya/Nebenzia). Each word of a multi-word run is also an entity, so
//!   "Evstigneeva" alone still matches "Anna Evstigneeva". Acronyms defined in the text,
//!   "Islamic State Khorasan (IS-K)", are keyed as their long form, so IS-K in one document and
//!   ISIS-K in another meet when both spell it out.
//! - **numbers**: a number (thousands separators dropped), and the number with what it counts
//!   ("23,000 fighters"), and dates ("March 15").
//! - **quotes**: word 3-grams inside double quotes of at least three words, so a partly quoted
//!   sentence still matches.
//! - **cited sources**: names a text attributes its reporting to: "according to X",
//!   "X reported", "X has reported", "reported by X".
//! - **words**: every other word rarer than the commonest function words.
//!
//! Keys are stable hashes of the kind and the folded form ([`crate::hash::salient_hash`]), or
//! for ordinary words of the word's token hash ([`crate::hash::word_term_key`]).

mod entities;
mod numbers;
mod quotes;
mod sentences;
mod sources;

use entities::*;
use numbers::*;
use quotes::*;
pub use sentences::sentences;
use sources::*;

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;
use unicode_segmentation::UnicodeSegmentation;

use super::background;
use crate::hash;
use crate::normalize::{self, Word};

/// What a term is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[repr(u8)]
pub enum Kind {
    /// An ordinary word, lower-cased.
    Word = 0,
    /// A named entity.
    Entity = 1,
    /// A number, a number with its unit, or a date.
    Number = 2,
    /// Three consecutive words inside a quotation.
    Quote = 3,
    /// An outlet or agency the text attributes its reporting to.
    Source = 4,
}

/// One occurrence of a salient term.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Mention {
    /// Stable key of the folded term (kind included).
    pub key: u64,
    /// Its kind.
    pub kind: Kind,
    /// Byte range of the mention in the original text (what evidence shows).
    pub start: u32,
    /// End of the byte range, exclusive.
    pub end: u32,
    /// Index of the sentence it occurs in.
    pub sentence: u32,
    /// Background rarity, `-log10` of its frequency in ordinary English.
    pub rarity: f32,
}

impl Kind {
    const ALL: [Kind; 5] = [
        Kind::Word,
        Kind::Entity,
        Kind::Number,
        Kind::Quote,
        Kind::Source,
    ];
}

/// A distinct salient term of a document: its stable key, its kind, its occurrences in the
/// document and its background rarity.
///
/// Twelve bytes: a default scan holds every document's terms until their profiles are built
/// (a third of its peak memory), so the key is kept as two halves (no 8-byte alignment), the
/// rarity in hundredths, as the background list gives it (every rarity a term can have is a
/// whole number of hundredths), and the kind beside the count, which saturates at
/// [`Term::MAX_COUNT`] (its weight grows with the log of the count, so the cap changes nothing
/// below absurd repetition).
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Term {
    key: [u32; 2],
    centirarity: u16,
    /// The kind in the top 3 bits, the count below.
    kind_count: u16,
}

impl Term {
    /// The count a term's occurrences saturate at.
    pub const MAX_COUNT: u16 = (1 << 13) - 1;

    /// A term of `count` occurrences (saturating at [`Term::MAX_COUNT`]); `rarity` is kept to
    /// the hundredth.
    pub fn new(key: u64, kind: Kind, count: u16, rarity: f32) -> Term {
        let centirarity = (rarity * 100.0).round().clamp(0.0, f32::from(u16::MAX)) as u16;
        debug_assert_eq!(
            f32::from(centirarity) / 100.0,
            rarity,
            "rarity in hundredths"
        );
        let mut term = Term {
            key: [0; 2],
            centirarity,
            kind_count: (kind as u16) << 13 | count.min(Term::MAX_COUNT),
        };
        term.set_key(key);
        term
    }

    /// Stable key.
    pub fn key(&self) -> u64 {
        u64::from(self.key[0]) | u64::from(self.key[1]) << 32
    }

    /// What the term is.
    pub fn kind(&self) -> Kind {
        Kind::ALL[usize::from(self.kind_count >> 13)]
    }

    /// Occurrences in the document.
    pub fn count(&self) -> u16 {
        self.kind_count & Term::MAX_COUNT
    }

    /// Background rarity.
    pub fn rarity(&self) -> f32 {
        f32::from(self.centirarity) / 100.0
    }

    fn set_key(&mut self, key: u64) {
        self.key = [key as u32, (key >> 32) as u32];
    }

    /// Adds `other`'s occurrences to this term's.
    fn add_count(&mut self, other: &Term) {
        let count = self
            .count()
            .saturating_add(other.count())
            .min(Term::MAX_COUNT);
        self.kind_count = self.kind_count & !Term::MAX_COUNT | count;
    }
}

impl std::fmt::Debug for Term {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Term")
            .field("key", &self.key())
            .field("kind", &self.kind())
            .field("count", &self.count())
            .field("rarity", &self.rarity())
            .finish()
    }
}

/// Words below this rarity (the ~300 commonest English words: "the", "said", "has") are not
/// terms: they say nothing about which story a text tells.
const MIN_WORD_RARITY: f32 = 3.0;

/// Words per unit of extraction: a longer sentence (a 100 MB text without a full stop) is taken
/// in pieces of this size, so memory stays bounded; a name cut in two at a piece boundary is
/// the only loss.
const MAX_SENTENCE_WORDS: usize = 1000;

struct Token<'a> {
    /// Byte range in the original text (its original form is not kept: few words need it).
    start: usize,
    end: usize,
    /// Normalized (NFKC, lower case, quotes folded).
    norm: &'a str,
    /// [`hash::token_hash`] of `norm`.
    hash: u64,
    /// Background rarity of `norm`, looked up once for the several uses of a word.
    rarity: f32,
    cap: bool,
}

/// Calls `sink` with every salient mention of `text`, whose words are `words`
/// ([`normalize::words`]), and returns the acronym definitions found as `(acronym key,
/// long-form key)`, sorted; mentions are not yet remapped through them.
fn visit(text: &str, words: &[Word], mut sink: impl FnMut(Mention)) -> Vec<(u64, u64)> {
    let mut aliases: Vec<(u64, u64)> = Vec::new();
    // Every word's normalized form, found in one string: an ASCII word's is its own span of
    // the text lowered (ASCII is already NFKC, and words hold no backtick to fold), the others
    // are normalized and appended. Normalizing word by word into a buffer was a sixth of the
    // extraction.
    let mut norms = text.to_ascii_lowercase();
    // Checked once for the whole text when it can be: a check per word stopped at every word's
    // end, one mispredicted branch a word.
    let all_plain = text.is_ascii() && memchr::memchr(b'`', text.as_bytes()).is_none();
    // Where each word's normalized form lies in `norms`: its own span when the text is plain.
    let ranges: Vec<(usize, usize)> = if all_plain {
        Vec::new()
    } else {
        words
            .iter()
            .map(|w| {
                let (start, end) = (w.start as usize, w.end as usize);
                let raw = &text[start..end];
                if raw.bytes().all(|b| b.is_ascii() && b != b'`') {
                    return (start, end);
                }
                let from = norms.len();
                normalize::normalize_word(raw, &mut norms);
                (from, norms.len())
            })
            .collect()
    };
    let bytes = text.as_bytes();
    let tokens: Vec<Token> = words
        .iter()
        .enumerate()
        .map(|(k, w)| {
            let (start, end) = (w.start as usize, w.end as usize);
            let (from, to) = ranges.get(k).copied().unwrap_or((start, end));
            Token {
                start,
                end,
                norm: &norms[from..to],
                hash: w.hash,
                rarity: background::rarity_of(w.hash),
                cap: match bytes.get(start) {
                    Some(b) if b.is_ascii() => b.is_ascii_uppercase(),
                    _ => text[start..].chars().next().is_some_and(char::is_uppercase),
                },
            }
        })
        .collect();
    // Sentences end at whitespace, where words never straddle: each takes the next words.
    // Found before any is read for names: whether a sentence's opener is a name depends on
    // the words the text capitalises inside a sentence, where a capital is the word's own.
    let mut spans: Vec<(usize, &str, std::ops::Range<usize>)> = Vec::new();
    let mut named: Vec<u64> = Vec::new();
    let mut next = 0;
    for (s_start, sentence) in sentences(text) {
        let s_end = s_start + sentence.len();
        // A linear search: sentences are short, and a binary search's every step mispredicts.
        let count = tokens[next..]
            .iter()
            .position(|t| t.start >= s_end)
            .unwrap_or(tokens.len() - next);
        for chunk in tokens[next..next + count].chunks(MAX_SENTENCE_WORDS) {
            named.extend(chunk.iter().skip(1).filter(|t| t.cap).map(|t| t.hash));
        }
        spans.push((s_start, sentence, next..next + count));
        next += count;
    }
    named.sort_unstable();
    named.dedup();
    for (si, (s_start, sentence, in_sentence)) in spans.into_iter().enumerate() {
        let si = si as u32;
        for tokens in tokens[in_sentence].chunks(MAX_SENTENCE_WORDS) {
            let entity_spans = entities(text, tokens, &named, si, &mut sink, &mut aliases);
            numbers(text, tokens, si, &mut sink);
            sources(tokens, &entity_spans, si, &mut sink);
            for t in tokens {
                let r = t.rarity;
                // Most words start with a letter: their first byte answers.
                let alphabetic = t
                    .norm
                    .as_bytes()
                    .first()
                    .is_some_and(u8::is_ascii_alphabetic)
                    || t.norm.chars().any(char::is_alphabetic);
                if r >= MIN_WORD_RARITY && alphabetic {
                    sink(Mention {
                        key: hash::word_term_key(t.hash),
                        kind: Kind::Word,
                        start: t.start as u32,
                        end: t.end as u32,
                        sentence: si,
                        rarity: r,
                    });
                }
            }
        }
        quotes(s_start, sentence, si, &mut sink);
    }
    aliases.sort_unstable();
    aliases.dedup();
    aliases
}

/// The key a mention stands under once acronyms defined in its text are replaced by their
/// long form.
fn resolve(aliases: &[(u64, u64)], key: u64, kind: Kind) -> u64 {
    if !matches!(kind, Kind::Entity | Kind::Source) {
        return key;
    }
    match aliases.binary_search_by_key(&key, |a| a.0) {
        Ok(i) if kind == Kind::Entity => aliases[i].1,
        Ok(i) => rekind(aliases[i].1, Kind::Source),
        Err(_) => key,
    }
}

/// Every salient mention in `text`, in text order within each kind.
pub fn mentions(text: &str) -> Vec<Mention> {
    mentions_of_words(text, &normalize::words(text))
}

/// [`mentions`] of a text already split into `words` ([`normalize::words`]).
pub fn mentions_of_words(text: &str, words: &[Word]) -> Vec<Mention> {
    let mut out = Vec::with_capacity(words.len());
    let aliases = visit(text, words, |m| out.push(m));
    // Acronyms defined anywhere in the text stand for their long form everywhere in it.
    for m in &mut out {
        m.key = resolve(&aliases, m.key, m.kind);
    }
    out
}

#[cfg(any(test, feature = "internals"))]
/// The distinct terms of `text` with their counts, sorted by key. Aggregated as they are
/// found: memory grows with the distinct terms, not with the text.
pub fn terms(text: &str) -> Vec<Term> {
    terms_of_words(text, &normalize::words(text))
}

/// [`terms`] of a text already split into `words` ([`normalize::words`]).
pub fn terms_of_words(text: &str, words: &[Word]) -> Vec<Term> {
    // Every mention, then sorted and counted: a sort by hash is linear, where a hash map
    // paid a probe per mention and its distinct terms still had to be sorted.
    let mut found: Vec<Term> = Vec::with_capacity(words.len());
    let aliases = visit(text, words, |m| {
        found.push(Term::new(m.key, m.kind, 1, m.rarity));
    });
    // Stable: a term keeps its first mention's kind and rarity.
    hash::sort_by_hash(&mut found, Term::key);
    let mut out = count_runs(found, Term::add_count);
    if !aliases.is_empty() {
        for t in &mut out {
            t.set_key(resolve(&aliases, t.key(), t.kind()));
        }
        out.sort_unstable_by_key(Term::key);
        // An acronym and its long form now share a key: one term, counts added.
        out = count_runs(out, |kept, later| {
            kept.add_count(later);
            kept.centirarity = kept.centirarity.max(later.centirarity);
        });
    }
    // A scan holds every document's terms until their profiles are built: not the room
    // their mentions took.
    out.shrink_to_fit();
    out
}

/// `terms` sorted by key with each run of one key merged into its first.
fn count_runs(mut terms: Vec<Term>, merge: impl Fn(&mut Term, &Term)) -> Vec<Term> {
    terms.dedup_by(|later, kept| {
        let same = later.key == kept.key;
        if same {
            merge(kept, later);
        }
        same
    });
    terms
}

fn push(
    out: &mut dyn FnMut(Mention),
    kind: Kind,
    folded: &str,
    start: usize,
    end: usize,
    sentence: u32,
    rarity: f32,
) {
    out(Mention {
        key: hash::salient_hash(kind as u8, folded.as_bytes()),
        kind,
        start: start as u32,
        end: end as u32,
        sentence,
        rarity,
    });
}

/// The key an entity key would have as another kind: entity and source keys of one name are
/// tied through the folded name, which is not kept, so sources rehash the entity key.
fn rekind(entity_key: u64, kind: Kind) -> u64 {
    hash::salient_hash(kind as u8, &entity_key.to_le_bytes())
}

#[cfg(test)]
mod tests {
    use super::entities::fold_name;
    use super::sentences::after_stop;
    use super::*;

    /// The original text of every mention of `kind`, in order.
    fn shown(text: &str, kind: Kind) -> Vec<&str> {
        mentions(text)
            .into_iter()
            .filter(|m| m.kind == kind)
            .map(|m| &text[m.start as usize..m.end as usize])
            .collect()
    }

    proptest::proptest! {
        /// The ASCII shortcut folds as the decomposition does.
        #[test]
        fn names_fold_as_their_decomposition(name in "[a-zA-Z'\\-éüyY]{0,12}") {
            let norm = name.to_lowercase();
            let base = strip_possessive(&norm);
            let mut expected = String::new();
            for c in base.nfkd().filter(|c| !is_combining_mark(*c)) {
                let c = if c == 'y' { 'i' } else { c };
                if c != '\'' && c != '-' && !expected.ends_with(c) {
                    expected.push(c);
                }
            }
            proptest::prop_assert_eq!(fold_name(&norm), expected);
        }
    }

    #[test]
    fn names_fold_diacritics_possessives_and_doubled_letters() {
        assert_eq!(fold_name("müller's"), "muler");
        assert_eq!(fold_name("evstigneyeva"), "evstigneieva");
        assert_eq!(fold_name("o'brien"), "obrien");
    }

    #[test]
    fn a_number_counts_the_word_of_its_own_phrase() {
        assert_eq!(
            shown("Some 5 million people fled.", Kind::Number),
            ["5", "5 million people"]
        );
        // Not across punctuation, nor a word that counts nothing.
        assert_eq!(shown("It was 1,000), so they left.", Kind::Number), ["1,000"]);
        assert_eq!(shown("A score of 0.847 can mislead.", Kind::Number), ["0.847"]);
    }

    /// Sentences without an ASCII digit skip the number search, unless a non-ASCII character
    /// could normalize to one.
    #[test]
    fn numbers_written_without_ascii_digits_are_found() {
        assert_eq!(
            shown("Some 23,000 fighters crossed.", Kind::Number).len(),
            2
        );
        assert_eq!(
            shown("Some ２３,０００ fighters crossed.", Kind::Number),
            ["２３,０００", "２３,０００ fighters"]
        );
        let key = |t: &str| {
            mentions(t)
                .iter()
                .find(|m| m.kind == Kind::Number)
                .map(|m| m.key)
        };
        assert_eq!(
            key("Some ２３,０００ fighters crossed."),
            key("Some 23,000 fighters crossed.")
        );
        assert!(shown("No figure in this one. Nor here.", Kind::Number).is_empty());
        assert!(may_hold_digits("no digits, but é".as_bytes()));
        assert!(!may_hold_digits(&[b'x'; 100]));
        assert!(may_hold_digits(&[[b'x'; 70].as_slice(), b"7"].concat()));
    }

    fn key_of(text: &str, kind: Kind, shown_as: &str) -> u64 {
        mentions(text)
            .into_iter()
            .find(|m| m.kind == kind && &text[m.start as usize..m.end as usize] == shown_as)
            .unwrap_or_else(|| panic!("{shown_as:?} not found as {kind:?} in {text:?}"))
            .key
    }

    struct Case {
        name: &'static str,
        text: &'static str,
        kind: Kind,
        expected: &'static [&'static str],
    }

    const ENTITIES: &[Case] = &[
        Case {
            name: "person with members",
            text: "In a speech, Russia's envoy Anna Evstigneeva spoke.",
            kind: Kind::Entity,
            expected: &["Russia's", "Anna Evstigneeva", "Evstigneeva"],
        },
        Case {
            name: "sentence opener dropped",
            text: "Another star went to rehab. The Promises Treatment Center is in Malibu.",
            kind: Kind::Entity,
            expected: &["Promises Treatment Center", "Malibu"],
        },
        Case {
            name: "connector inside",
            text: "He met the Bank of England governor.",
            kind: Kind::Entity,
            expected: &["Bank of England"],
        },
        Case {
            name: "common opener is no name",
            text: "Officials met.",
            kind: Kind::Entity,
            expected: &[],
        },
        Case {
            name: "rare opener is a name",
            text: "Evstigneeva spoke.",
            kind: Kind::Entity,
            expected: &["Evstigneeva"],
        },
        Case {
            name: "punctuation splits runs",
            text: "Officials from Russia, China and Iran met.",
            kind: Kind::Entity,
            expected: &["Russia", "China", "Iran"],
        },
        Case {
            name: "title-case headline keeps only rare words",
            text: "IS-K Strengthens Hold In Afghanistan, Poses Escalating Danger",
            kind: Kind::Entity,
            expected: &["IS-K"],
        },
    ];

    const NUMBERS: &[Case] = &[
        Case {
            name: "count with unit",
            text: "about 23,000 fighters crossed",
            kind: Kind::Number,
            expected: &["23,000", "23,000 fighters"],
        },
        Case {
            name: "multiplier",
            text: "aid for 5 million people",
            kind: Kind::Number,
            expected: &["5", "5 million people"],
        },
        Case {
            name: "date",
            text: "On March 15 the council met",
            kind: Kind::Number,
            expected: &["15", "March 15"],
        },
        Case {
            name: "decimal",
            text: "a 7.2 magnitude quake",
            kind: Kind::Number,
            expected: &["7.2", "7.2 magnitude"],
        },
    ];

    const QUOTES: &[Case] = &[
        Case {
            name: "three-grams of a quote",
            text: "She said \"we will not go back\" on Monday.",
            kind: Kind::Quote,
            expected: &["we will not", "will not go", "not go back"],
        },
        Case {
            name: "short quotes ignored",
            text: "the \"Scrubs\" show",
            kind: Kind::Quote,
            expected: &[],
        },
    ];

    const SOURCES: &[Case] = &[
        Case {
            name: "according to",
            text: "The group is growing, according to Eurasia Review.",
            kind: Kind::Source,
            expected: &["Eurasia Review"],
        },
        Case {
            name: "has reported",
            text: "Eurasia Review has reported that the group grew.",
            kind: Kind::Source,
            expected: &["Eurasia Review"],
        },
        Case {
            name: "reported by the",
            text: "This was reported by the Associated Press on Monday.",
            kind: Kind::Source,
            expected: &["Associated Press"],
        },
        Case {
            name: "a speaker is not a source",
            text: "Nebenzya told the council that the threat grew.",
            kind: Kind::Source,
            expected: &[],
        },
    ];

    #[test]
    fn extraction_cases() {
        let failed: Vec<String> = ENTITIES
            .iter()
            .chain(NUMBERS)
            .chain(QUOTES)
            .chain(SOURCES)
            .filter_map(|case| {
                let got = shown(case.text, case.kind);
                (got != case.expected).then(|| format!("case {:?}: got {got:?}", case.name))
            })
            .collect();
        assert!(failed.is_empty(), "{}", failed.join("\n"));
    }

    #[test]
    fn variants_fold_to_one_key() {
        let pairs = [
            (
                "Sergei Shoigu spoke.",
                "Sergey Shoigu spoke.",
                "Sergei Shoigu",
                "Sergey Shoigu",
            ),
            (
                "Vassily Nebenzia spoke.",
                "Vasily Nebenzya spoke.",
                "Nebenzia",
                "Nebenzya",
            ),
            (
                "It is Russia's position.",
                "The position of Russia.",
                "Russia's",
                "Russia",
            ),
            ("Banks in Zürich.", "Banks in Zurich.", "Zürich", "Zurich"),
        ];
        for (a, b, ea, eb) in pairs {
            assert_eq!(
                key_of(a, Kind::Entity, ea),
                key_of(b, Kind::Entity, eb),
                "{ea} vs {eb}"
            );
        }
    }

    #[test]
    fn defined_acronyms_meet_through_their_long_form() {
        let a = "Islamic State Khorasan (IS-K) is growing. IS-K recruits.";
        let b = "Islamic State Khorasan (ISIS-K) is growing. ISIS-K recruits.";
        let ka: Vec<u64> = mentions(a)
            .iter()
            .filter(|m| m.kind == Kind::Entity)
            .map(|m| m.key)
            .collect();
        let long = key_of(a, Kind::Entity, "Islamic State Khorasan");
        // Both later mentions of the acronym carry the long form's key.
        assert_eq!(ka.iter().filter(|&&k| k == long).count(), 3, "{ka:?}");
        assert_eq!(key_of(a, Kind::Entity, "IS-K"), long);
        assert_eq!(key_of(b, Kind::Entity, "ISIS-K"), long);
    }

    #[test]
    fn sentences_do_not_end_before_lower_case() {
        let s: Vec<&str> = sentences("U.S. forces left. Then Mr. Smith spoke.")
            .map(|x| x.1)
            .collect();
        assert_eq!(s, ["U.S. forces left. ", "Then Mr. ", "Smith spoke."]);
    }

    /// The sentence splitter as first written, stepping byte by byte to the next stop or line
    /// break: the oracle for the one that jumps to them with memchr (what follows a stop is
    /// [`after_stop`] in both).
    fn sentences_bytewise(text: &str) -> Vec<(usize, &str)> {
        let bytes = text.as_bytes();
        let mut out = Vec::new();
        let mut start = 0;
        while start < bytes.len() {
            let mut i = start;
            while i < bytes.len() {
                let b = bytes[i];
                i += 1;
                if b == b'\n' {
                    break;
                }
                if matches!(b, b'.' | b'!' | b'?') {
                    let ends;
                    (i, ends) = after_stop(text, i);
                    if ends {
                        break;
                    }
                }
            }
            out.push((start, &text[start..i]));
            start = i;
        }
        out
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2000))]
        #[test]
        fn sentences_match_the_bytewise_splitter(
            text in "[aB .!?\n\t\"')\\]\u{201D}\u{2019}\u{e9}]{0,80}"
        ) {
            proptest::prop_assert_eq!(sentences(&text).collect::<Vec<_>>(), sentences_bytewise(&text));
        }
    }

    #[test]
    fn a_sentence_opener_is_a_name_where_the_text_shows_it_is() {
        let entities = |text: &str| -> Vec<String> {
            mentions(text)
                .iter()
                .filter(|m| m.kind == Kind::Entity)
                .map(|m| text[m.start as usize..m.end as usize].to_string())
                .collect()
        };
        // A rare English word, capitalised only because it opens the sentence.
        assert!(entities("Propped up by loans, the firm grew.").is_empty());
        // The same word is a name where the text capitalises it inside a sentence too.
        assert_eq!(
            entities("Reid spoke first. Later, Senator Reid left."),
            ["Reid", "Senator Reid", "Reid"]
        );
        assert!(entities("Reid spoke first.").is_empty());
        // A word English does not know, and an acronym, are names wherever they stand.
        assert_eq!(entities("Evstigneeva spoke first."), ["Evstigneeva"]);
        assert_eq!(entities("IAEA met."), ["IAEA"]);
    }

    #[test]
    fn terms_count_mentions() {
        let t = terms("Kabul is far. Kabul is big, said the mayor of Kabul.");
        let kabul = t.iter().find(|t| t.kind() == Kind::Entity).unwrap();
        assert_eq!(kabul.count(), 3);
        assert_eq!(std::mem::size_of::<Term>(), 12);
        assert!(t.windows(2).all(|w| w[0].key() < w[1].key()));
    }

    #[test]
    fn a_term_keeps_what_it_is_given() {
        // Every rarity a term can be given: the background list's hundredths, and the fixed
        // ones of numbers, quotations, sources and acronyms.
        let rarities = (0..=650).map(|cb| f32::from(cb as u16) / 100.0);
        let fixed = [QUOTE_RARITY, MIN_ACRONYM_RARITY, 5.0, 3.25, 4.75, 5.5];
        for (i, rarity) in rarities.chain(fixed).enumerate() {
            let kind = Kind::ALL[i % Kind::ALL.len()];
            let key = crate::hash::mix64(i as u64);
            let t = Term::new(key, kind, (i % 9000) as u16, rarity);
            assert_eq!((t.key(), t.kind(), t.rarity()), (key, kind, rarity));
            assert_eq!(t.count(), ((i % 9000) as u16).min(Term::MAX_COUNT));
        }
        let mut t = Term::new(7, Kind::Source, Term::MAX_COUNT - 1, 5.0);
        t.add_count(&Term::new(7, Kind::Source, 3, 5.0));
        assert_eq!((t.count(), t.kind()), (Term::MAX_COUNT, Kind::Source));
    }

    #[test]
    fn common_words_are_not_terms() {
        let words = shown("The minister said that the ceasefire held.", Kind::Word);
        assert_eq!(words, ["minister", "ceasefire", "held"]);
        // Keyed by the word's token hash, whatever its case.
        let key = hash::word_term_key(hash::token_hash(b"ceasefire"));
        assert_eq!(key_of("The CEASEFIRE held.", Kind::Word, "CEASEFIRE"), key);
    }
}
