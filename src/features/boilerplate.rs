//! Page furniture: sentences a site repeats across its pages.
//!
//! A crawled page carries its site's chrome (registration notices, share buttons, tip lines,
//! video-player notices, copyright lines) around the article. Two articles of one outlet about
//! different events share that chrome word for word, and without this stage it reads as reused
//! text (`overlap`) and as shared names and numbers (`rewrite`: the station's name, its tip-line
//! number). A sentence (its normalized words, numbers folded, at most [`MAX_UNIT_WORDS`]; a line
//! break ends one too) is furniture when
//!
//! - at least [`MIN_SOURCE_DOCUMENTS`] documents of one source hold it: the outlet's template.
//!   Wire copies of one story by different outlets are not affected, since each outlet holds
//!   the sentence once; or
//! - at least [`MIN_BATCH_DOCUMENTS`] documents of the batch hold it, whatever their source: a
//!   network's or a publishing system's template ("Your notification has been saved.") on
//!   many sites, or a stock sentence ("No arrests have been made."), which tells one event
//!   from another no better. A wire sentence printed verbatim by that many documents of one
//!   batch is taken for furniture too: the copies stay near-duplicates (decided on the text as
//!   given, below), and a retelling is still found through its other sentences.
//!
//! A page more than half furniture is a template page (a login wall, a video player, a list of
//! links: the crawl missed its article), and all of it is taken as furniture.
//!
//! Furniture is left out of every comparison but the copies' (an exact copy or a near-duplicate
//! is a copy, chrome and all: a near-duplicate is decided on the text as given too, so that the
//! same article at three addresses of one site stays a near-duplicate): its bytes are blanked
//! (replaced by spaces, so byte offsets into the original still hold) before features are
//! extracted and before pairs are verified, so no passage, shingle or salient term comes from
//! it. Reports list each document's furniture.
//!
//! The source of a document is its `source` field, else the host of its `url`, taken as its
//! registrable domain (the stations of one network share a template).

use std::borrow::Cow;

use super::salient;
use crate::document::{Corpus, DocId, Document};
use crate::error::Result;
use crate::hash;
use crate::normalize::{self, Word};

/// Documents of one source that must hold a sentence for it to be furniture. Two are not enough:
/// an outlet's follow-up often repeats a sentence of its first report of the same event.
pub const MIN_SOURCE_DOCUMENTS: usize = 3;

/// Documents of the batch, of any sources, that must hold a sentence for it to be furniture.
/// Verbatim sentences of one story shared across outlets, in the news sets measured, are held
/// by at most 7 documents.
pub const MIN_BATCH_DOCUMENTS: usize = 10;

/// Sentences of more words than this are never furniture: chrome is a notice or a button, and
/// a long sentence repeated word for word is text someone reused.
pub const MAX_UNIT_WORDS: usize = 60;

/// The key of a document's source (see the module doc), or `None` when it has none.
pub fn source_key(doc: &Document) -> Option<u64> {
    let source = doc
        .source
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .or_else(|| doc.url.as_deref().and_then(host))?;
    Some(hash::text_hash(site(source).as_bytes()))
}

/// The host of a URL (`https://www.example.com/a` gives `www.example.com`).
fn host(url: &str) -> Option<&str> {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let host = rest.split(['/', '?', '#']).next()?;
    let host = host.rsplit_once('@').map_or(host, |(_, h)| h);
    (!host.is_empty()).then_some(host)
}

/// The site a source names: a host's registrable domain (`chicago.cbslocal.com:80` and
/// `boston.cbslocal.com` are both `cbslocal.com`, one network with one page template), any
/// other name as it is, lower-cased.
fn site(source: &str) -> String {
    let lower = source.to_lowercase();
    if lower.contains(char::is_whitespace) || !lower.contains('.') {
        return lower;
    }
    let name = lower.split(':').next().unwrap_or("").trim_end_matches('.');
    let labels: Vec<&str> = name.split('.').collect();
    // A country's second level (`co.uk`, `com.au`) keeps a third label; there is no public
    // suffix list here, and a short label under a country code is nearly always one.
    let keep = match labels.as_slice() {
        [.., second, top] if top.len() == 2 && second.len() <= 3 && labels.len() > 2 => 3,
        _ => 2,
    };
    labels[labels.len().saturating_sub(keep)..].join(".")
}

/// The sentences of `text` that may be furniture, given its words ([`normalize::words`]):
/// `(key, start, end)`, the key a hash of the sentence's words (numbers folded), the range from
/// its first word's first byte to its last word's last.
pub fn units<'t>(
    text: &'t str,
    words: &'t [Word],
) -> impl Iterator<Item = (u64, usize, usize)> + 't {
    let mut next = 0;
    let mut tokens = Vec::new();
    salient::sentences(text).filter_map(move |(start, sentence)| {
        let end = start + sentence.len();
        let first = next;
        while next < words.len() && (words[next].start as usize) < end {
            next += 1;
        }
        let unit = &words[first..next];
        if unit.is_empty() || unit.len() > MAX_UNIT_WORDS {
            return None;
        }
        // Numbers folded: a template's sentences differ in their year or count ("Copyright
        // 2015", "3 comments").
        tokens.clear();
        tokens.extend(unit.iter().map(|w| {
            let raw = &text.as_bytes()[w.start as usize..w.end as usize];
            if raw
                .iter()
                .all(|b| b.is_ascii_digit() || matches!(b, b',' | b'.' | b':'))
            {
                NUMBER
            } else {
                w.hash
            }
        }));
        // Figures alone ("27, 2015." after "Jan." ends a sentence) are the story's, never a
        // template's.
        if tokens.iter().all(|&t| t == NUMBER) {
            return None;
        }
        let last = unit[unit.len() - 1].end as usize;
        Some((hash::shingle_hash(&tokens), unit[0].start as usize, last))
    })
}

/// What any number stands for in a sentence's key.
const NUMBER: u64 = 0x9e37_79b9_7f4a_7c15;

/// The distinct sentence keys of `text`, given its words, sorted.
pub fn unit_keys(text: &str, words: &[Word]) -> Vec<u64> {
    let mut keys: Vec<u64> = units(text, words).map(|(k, _, _)| k).collect();
    keys.sort_unstable();
    keys.dedup();
    keys
}

/// A sentence's key within one source.
fn in_source(unit: u64, source: u64) -> u64 {
    unit ^ source.rotate_left(17)
}

/// The furniture of a batch.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Furniture {
    /// Keys of sentences that enough documents of one source hold ([`in_source`]), sorted.
    by_source: Vec<u64>,
    /// Keys of sentences that enough documents of the batch hold, sorted.
    by_batch: Vec<u64>,
}

/// The keys that at least `min` of `keys` repeat, once each, sorted.
fn repeated(mut keys: Vec<u64>, min: usize) -> Vec<u64> {
    keys.sort_unstable();
    keys.chunk_by(|x, y| x == y)
        .filter(|run| run.len() >= min)
        .map(|run| run[0])
        .collect()
}

impl Furniture {
    /// Finds the furniture of documents given by their source key and distinct sentence keys
    /// ([`source_key`], [`unit_keys`]).
    pub fn find<'k>(docs: impl IntoIterator<Item = (Option<u64>, &'k [u64])> + Clone) -> Furniture {
        let by_batch: Vec<u64> = docs
            .clone()
            .into_iter()
            .flat_map(|(_, l)| l)
            .copied()
            .collect();
        let by_source: Vec<u64> = docs
            .into_iter()
            .filter_map(|(s, l)| s.map(|s| l.iter().map(move |&k| in_source(k, s))))
            .flatten()
            .collect();
        Furniture {
            by_source: repeated(by_source, MIN_SOURCE_DOCUMENTS),
            by_batch: repeated(by_batch, MIN_BATCH_DOCUMENTS),
        }
    }

    /// The furniture of one document, given as the keys of its sentences that are furniture
    /// (found elsewhere: by a distributed job, from counts over the whole batch).
    pub fn of_units(mut keys: Vec<u64>) -> Furniture {
        keys.sort_unstable();
        keys.dedup();
        Furniture {
            by_source: Vec::new(),
            by_batch: keys,
        }
    }

    /// Sentences that are furniture (one that both rules find counts twice).
    pub fn len(&self) -> usize {
        self.by_source.len() + self.by_batch.len()
    }

#[cfg(any(test, feature = "internals"))]
    /// Whether no sentence is furniture.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Whether the sentence `unit`, in a document of `source`, is furniture.
    fn holds(&self, unit: u64, source: Option<u64>) -> bool {
        self.by_batch.binary_search(&unit).is_ok()
            || source.is_some_and(|s| self.by_source.binary_search(&in_source(unit, s)).is_ok())
    }

    /// Whether a document of `source` with these sentence keys holds furniture.
    pub fn touches(&self, source: Option<u64>, units: &[u64]) -> bool {
        units.iter().any(|&k| self.holds(k, source))
    }

    /// The byte ranges of the furniture of `text`, of `source`, in order.
    pub fn ranges(&self, text: &str, source: Option<u64>) -> Vec<[u32; 2]> {
        units(text, &normalize::words(text))
            .filter(|&(k, _, _)| self.holds(k, source))
            .map(|(_, s, e)| [s as u32, e as u32])
            .collect()
    }
}

/// Whether a page of `words` words, `left` of them outside its furniture, is a template page
/// (a login wall, a video player, a list of links) rather than an article around its chrome:
/// more than half of it is furniture. All of it is then furniture, since what is left (an
/// author's name in a notice) tells nothing of a story.
pub fn is_template(left: u32, words: u32) -> bool {
    2 * left < words
}

/// `text` with the bytes of `ranges` replaced by spaces: the same length and the same offsets
/// for everything else, and valid UTF-8 since a range is whole words.
pub fn blank(text: &str, ranges: &[[u32; 2]]) -> String {
    let mut bytes = text.as_bytes().to_vec();
    for &[s, e] in ranges {
        bytes[s as usize..e as usize].fill(b' ');
    }
    String::from_utf8(bytes).expect("whole words blanked")
}

/// The texts of a corpus as the comparisons see them: furniture blanked.
#[derive(Clone, Copy, Debug)]
pub struct Texts<'c> {
    corpus: &'c Corpus,
    /// Furniture ranges per document; empty when the batch has none.
    blanked: &'c [Vec<[u32; 2]>],
}

impl<'c> Texts<'c> {
    /// The texts of `corpus`, with `blanked[d]` blanked in document `d` (`blanked` may be
    /// empty: nothing blanked).
    pub fn new(corpus: &'c Corpus, blanked: &'c [Vec<[u32; 2]>]) -> Texts<'c> {
        Texts { corpus, blanked }
    }

    /// The text of `d` as compared (read again from its file if it was let go).
    pub fn text(&self, d: DocId) -> Result<Cow<'c, str>> {
        Ok(self.blanked(d, self.corpus.text(d)?))
    }

    /// `original`, the text of `d` as given, with its furniture blanked: [`Texts::text`] for a
    /// caller that needs both and reads the text once.
    pub fn blanked(&self, d: DocId, original: Cow<'c, str>) -> Cow<'c, str> {
        match self.furniture(d) {
            [] => original,
            ranges => Cow::Owned(blank(&original, ranges)),
        }
    }

    /// Document `d`.
    pub fn doc(&self, d: DocId) -> &'c Document {
        self.corpus.doc(d)
    }

    /// The text of `d` as given, furniture included.
    pub fn original(&self, d: DocId) -> Result<Cow<'c, str>> {
        self.corpus.text(d)
    }

    /// Asks for the texts of `ids` to be read ahead ([`Corpus::read_ahead`]).
    pub(crate) fn read_ahead(&self, ids: impl IntoIterator<Item = DocId>) {
        self.corpus.read_ahead(ids);
    }

    /// The furniture ranges of `d`.
    pub fn furniture(&self, d: DocId) -> &'c [[u32; 2]] {
        self.blanked.get(d.idx()).map_or(&[], Vec::as_slice)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(source: Option<&str>, url: Option<&str>) -> Document {
        Document {
            source: source.map(str::to_string),
            url: url.map(str::to_string),
            ..Document::default()
        }
    }

    #[test]
    fn a_source_is_its_field_else_its_url_host() {
        let by_field = source_key(&doc(Some("WGN TV"), None));
        assert_eq!(
            by_field,
            source_key(&doc(Some("wgn tv "), Some("https://x.org/a")))
        );
        assert_eq!(
            source_key(&doc(None, Some("https://www.wgntv.com/news/1?x=2"))),
            source_key(&doc(Some("www.wgntv.com"), None))
        );
        assert_eq!(
            source_key(&doc(None, Some("http://chicago.cbslocal.com:80/2015/x"))),
            source_key(&doc(Some("boston.cbslocal.com"), None))
        );
        assert_eq!(site("news.bbc.co.uk"), "bbc.co.uk");
        assert_eq!(site("Associated Press"), "associated press");
        assert_eq!(source_key(&doc(None, None)), None);
        assert_eq!(source_key(&doc(Some(" "), None)), None);
    }

    fn keys_of(text: &str) -> Vec<u64> {
        unit_keys(text, &normalize::words(text))
    }

    #[test]
    fn sentences_repeated_by_one_source_are_furniture_and_only_those() {
        let chrome = "Please enable Javascript to watch this video";
        let texts = [
            format!("Man shot on Main Street.\n{chrome}\nCall 555-1234 with tips."),
            format!("Two hurt in crash.\n\n{chrome}\r\nCall 555-1234 with tips."),
            "PLEASE ENABLE JAVASCRIPT TO WATCH THIS VIDEO\nFire downtown. Call 555-1234."
                .to_string(),
        ];
        let keys: Vec<Vec<u64>> = texts.iter().map(|t| keys_of(t)).collect();
        let of = |sources: [u64; 3]| {
            Furniture::find(
                sources
                    .iter()
                    .zip(&keys)
                    .map(|(&s, k)| (Some(s), k.as_slice())),
            )
        };
        // The notice is in three documents of the source; the tip line in two.
        let furniture = of([1, 1, 1]);
        assert_eq!(furniture.len(), 1);
        let ranges = furniture.ranges(&texts[1], Some(1));
        assert_eq!(ranges.len(), 1);
        let [s, e] = ranges[0];
        assert_eq!(&texts[1][s as usize..e as usize], chrome);
        let blanked = blank(&texts[1], &ranges);
        assert_eq!(blanked.len(), texts[1].len());
        assert!(!blanked.contains("Javascript") && blanked.contains("Two hurt in crash."));
        // The same sentence under another source is that source's own.
        assert!(of([1, 1, 2]).is_empty());
    }

    #[test]
    fn sentences_many_documents_hold_are_furniture() {
        let notice = "Your notification has been saved.";
        let texts: Vec<String> = (0..MIN_BATCH_DOCUMENTS)
            .map(|i| format!("Story about item{i} and another.\n{notice}"))
            .collect();
        let keys: Vec<Vec<u64>> = texts.iter().map(|t| keys_of(t)).collect();
        let furniture = Furniture::find(
            keys.iter()
                .enumerate()
                .map(|(i, k)| (Some(i as u64), k.as_slice())),
        );
        assert_eq!(furniture.len(), 1);
        assert!(furniture.touches(None, &keys[0]));
        let ranges = furniture.ranges(&texts[0], None);
        assert_eq!(ranges.len(), 1);
        let [s, e] = ranges[0];
        assert_eq!(
            &texts[0][s as usize..e as usize],
            "Your notification has been saved"
        );
        let fewer = Furniture::find(keys[1..].iter().map(|k| (None, k.as_slice())));
        assert!(fewer.is_empty());
    }

    #[test]
    fn long_sentences_are_never_furniture_and_numbers_fold() {
        let long = "word ".repeat(MAX_UNIT_WORDS + 1);
        assert!(keys_of(&long).is_empty());
        assert_eq!(
            keys_of("One two.\n\n  \nThree four! Five"),
            keys_of("Five. One two? Three four")
        );
        assert_eq!(
            keys_of("Copyright 2014 CBS."),
            keys_of("Copyright 2,015 CBS.")
        );
        assert_ne!(keys_of("Copyright 2014 CBS."), keys_of("Copyright CBS."));
        assert!(keys_of("27, 2015.").is_empty());
    }
}
