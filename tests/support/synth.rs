//! Seeded synthetic corpora with planted relations, shared by tests and benches
//! (`#[path = "../tests/support/synth.rs"] mod synth;`).
//!
//! Words are drawn from the shipped English word list at their real frequencies, plus invented
//! capitalised names, so that common words repeat and chance 5-gram collisions between
//! unrelated documents occur as they do in real text. Planted:
//! exact copies, lightly edited copies (near-duplicates), documents that splice in a passage of
//! another (overlaps) and, on request, retellings of another with the same names in fresh
//! words (rewrites); [`corpus_with_truth`] lists what was planted.
#![allow(dead_code)] // Each including crate uses a different part.

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

pub struct Synth {
    rng: StdRng,
    vocab: Vec<String>,
    cumulative: Vec<f64>,
    chain: Option<Chain>,
}

/// How a generated document reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    /// Words drawn independently at their English frequencies, one paragraph, no escapes in
    /// JSON: long runs of words never recur by chance.
    Words,
    /// A word-bigram chain trained on a few pages of prose (`data/chain_prose.txt`), with its
    /// punctuation, in paragraphs separated by newlines: runs of many words recur across
    /// unrelated documents, as stock phrases do in news, and every text has JSON escapes.
    Chain,
}

/// A word-bigram chain: each word of the training text with the words that follow it there.
struct Chain {
    words: Vec<String>,
    next: Vec<Vec<u32>>,
    /// Words that begin a sentence in the training text.
    starts: Vec<u32>,
}

const CHAIN_PROSE: &str = include_str!("../../data/chain_prose.txt");

impl Chain {
    fn new() -> Chain {
        let mut ids = std::collections::HashMap::new();
        let mut chain = Chain {
            words: Vec::new(),
            next: Vec::new(),
            starts: Vec::new(),
        };
        for line in CHAIN_PROSE.lines().filter(|l| !l.starts_with('#')) {
            let mut prev: Option<u32> = None;
            for w in line.split_whitespace() {
                let id = *ids.entry(w.to_string()).or_insert_with(|| {
                    chain.words.push(w.to_string());
                    chain.next.push(Vec::new());
                    (chain.words.len() - 1) as u32
                });
                match prev {
                    Some(p) => chain.next[p as usize].push(id),
                    None => chain.starts.push(id),
                }
                // After a sentence's end, the next word starts one.
                prev = (!ends_sentence(w)).then_some(id);
            }
        }
        chain.starts.sort_unstable();
        chain.starts.dedup();
        // A one-word sentence would start a walk that ends at once.
        chain
            .starts
            .retain(|&s| !ends_sentence(&chain.words[s as usize]));
        chain
    }
}

fn ends_sentence(w: &str) -> bool {
    w.ends_with(['.', '?', '!'])
}

/// The background word list shipped with the crate: real English words at their real
/// frequencies, so that generated text has the statistics of prose (function words common,
/// content words rare).
const BACKGROUND: &str = include_str!("../../data/background_en.txt");

impl Synth {
    /// `names` invented proper names (capitalised, Zipf-distributed) make up 3% of the words,
    /// as names do in news text.
    pub fn new(seed: u64, names: usize) -> Synth {
        let mut rng = StdRng::seed_from_u64(seed);
        let mut vocab = Vec::new();
        let mut cumulative = Vec::new();
        let mut total = 0.0;
        for line in BACKGROUND.lines().filter(|l| !l.starts_with('#')) {
            let Some((cb, words)) = line.split_once('\t') else {
                continue;
            };
            let freq = 10f64.powf(-cb.parse::<f64>().unwrap() / 100.0);
            for w in words
                .split(' ')
                .filter(|w| w.chars().all(char::is_alphabetic))
            {
                total += freq;
                vocab.push(w.to_string());
                cumulative.push(total);
            }
        }
        // Names take 3% of the probability mass, spread by Zipf's law.
        const SYLLABLES: &[&str] = &[
            "ka", "lo", "mi", "ren", "to", "sa", "vel", "dor", "an", "is", "ur", "pe", "zi", "ber",
            "mon", "tal",
        ];
        let harmonic: f64 = (1..=names).map(|r| 1.0 / r as f64).sum();
        let name_mass = total * 0.03 / 0.97;
        for r in 1..=names {
            let n = rng.random_range(2..=4);
            let name: String = (0..n)
                .map(|_| SYLLABLES[rng.random_range(0..SYLLABLES.len())])
                .collect();
            let mut c = name.chars();
            let first = c.next().unwrap().to_uppercase().collect::<String>();
            total += name_mass / (r as f64 * harmonic);
            vocab.push(first + c.as_str());
            cumulative.push(total);
        }
        Synth {
            rng,
            vocab,
            cumulative,
            chain: None,
        }
    }

    /// [`Synth::new`], its documents of the given shape.
    pub fn shaped(seed: u64, names: usize, shape: Shape) -> Synth {
        let mut s = Synth::new(seed, names);
        s.chain = (shape == Shape::Chain).then(Chain::new);
        s
    }

    /// A document of about `n` words walked along the chain: sentences as the training text
    /// has them, a paragraph break after one sentence in four.
    fn chain_doc(&mut self, n: usize) -> String {
        let chain = self.chain.take().expect("a chain");
        let mut out = String::with_capacity(n * 7);
        let mut at: Option<u32> = None;
        for i in 0..n {
            if i > 0 {
                let paragraph = at.is_none() && self.rng.random_range(0..4) == 0;
                out.push(if paragraph { '\n' } else { ' ' });
            }
            // One word in seven from the whole language, the chain going on after it: runs
            // of the training text recur, but a document's vocabulary is not only theirs.
            if at.is_some() && self.rng.random_range(0..7) == 0 {
                let w = self.word().to_string();
                out.push_str(&w);
                continue;
            }
            let next = at
                .map(|a| &chain.next[a as usize])
                .filter(|n| !n.is_empty());
            let id = match next {
                Some(next) => next[self.rng.random_range(0..next.len())],
                None => chain.starts[self.rng.random_range(0..chain.starts.len())],
            };
            let w = &chain.words[id as usize];
            out.push_str(w);
            at = (!ends_sentence(w)).then_some(id);
        }
        self.chain = Some(chain);
        out
    }

    fn word(&mut self) -> &str {
        let x = self.rng.random::<f64>() * self.cumulative.last().copied().unwrap_or(1.0);
        let i = self
            .cumulative
            .partition_point(|&c| c < x)
            .min(self.vocab.len() - 1);
        &self.vocab[i]
    }

    /// A document of `n` words: of the chain shape if so built, else in sentences of 8-20
    /// words.
    pub fn doc(&mut self, n: usize) -> String {
        if self.chain.is_some() {
            return self.chain_doc(n);
        }
        let mut out = String::with_capacity(n * 7);
        let mut left_in_sentence = 0;
        for i in 0..n {
            if left_in_sentence == 0 {
                if i > 0 {
                    out.push_str(". ");
                }
                left_in_sentence = self.rng.random_range(8..=20);
                let w = self.word().to_string();
                let mut c = w.chars();
                if let Some(f) = c.next() {
                    out.extend(f.to_uppercase());
                    out.push_str(c.as_str());
                }
            } else {
                out.push(' ');
                let w = self.word().to_string();
                out.push_str(&w);
            }
            left_in_sentence -= 1;
        }
        out.push('.');
        out
    }

    /// `text` with each word replaced, dropped or doubled with probability `rate`.
    pub fn edit(&mut self, text: &str, rate: f64) -> String {
        let mut out: Vec<String> = Vec::new();
        for w in text.split(' ') {
            if self.rng.random::<f64>() < rate {
                match self.rng.random_range(0..3) {
                    0 => out.push(self.word().to_string()),
                    1 => {}
                    _ => {
                        out.push(w.to_string());
                        out.push(self.word().to_string());
                    }
                }
            } else {
                out.push(w.to_string());
            }
        }
        out.join(" ")
    }

    /// A random run of `words` consecutive words of `text`.
    pub fn passage(&mut self, text: &str, words: usize) -> String {
        let ws: Vec<&str> = text.split(' ').collect();
        let words = words.min(ws.len());
        let start = self.rng.random_range(0..=ws.len() - words);
        ws[start..start + words].join(" ")
    }

    /// `text` with `passage` inserted at a random word boundary.
    pub fn splice(&mut self, text: &str, passage: &str) -> String {
        let ws: Vec<&str> = text.split(' ').collect();
        let at = self.rng.random_range(0..=ws.len());
        let mut out = ws[..at].join(" ");
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(passage);
        if at < ws.len() {
            out.push(' ');
            out.push_str(&ws[at..].join(" "));
        }
        out
    }

    /// A retelling of `text`: each sentence rewritten in fresh words around the same names
    /// (its capitalised words after the first), about as long. No 5-gram survives; the names
    /// do, as they do when another outlet retells a report.
    pub fn rewrite(&mut self, text: &str) -> String {
        let mut sentences = Vec::new();
        for sentence in text.trim_end_matches('.').split(". ") {
            let words: Vec<&str> = sentence.split(' ').collect();
            let names: Vec<&str> = words[1..]
                .iter()
                .copied()
                .filter(|w| w.starts_with(char::is_uppercase))
                .collect();
            let fresh = words.len().saturating_sub(names.len()).max(1);
            let n = self.range(fresh.saturating_sub(2).max(1)..=fresh + 2);
            let mut out: Vec<String> = (0..n).map(|_| self.word().to_string()).collect();
            for name in names {
                let at = self.range(1..=out.len());
                out.insert(at, name.to_string());
            }
            let mut c = out[0].chars();
            let first: String = c
                .next()
                .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
                .unwrap_or_default();
            out[0] = first;
            sentences.push(out.join(" "));
        }
        sentences.join(". ") + "."
    }

    pub fn range(&mut self, r: std::ops::RangeInclusive<usize>) -> usize {
        self.rng.random_range(r)
    }

    pub fn chance(&mut self, p: f64) -> bool {
        self.rng.random::<f64>() < p
    }
}

/// A relation planted by the generator: document `b` was made from document `a`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Planted {
    pub a: usize,
    pub b: usize,
    /// `duplicate`, `near-duplicate` (with `edit_rate` in hundredths), `overlap` (with
    /// `passage_words`) or `rewrite`.
    pub kind: &'static str,
    pub edit_rate: usize,
    pub passage_words: usize,
}

/// A corpus of `n` documents (ids `d000000`, ...) of about `words` words: 70% original, 10%
/// exact copies, 10% near-duplicates (1-10% of words edited), 10% with a spliced passage of
/// 30-120 words from another document.
pub fn corpus(seed: u64, n: usize, words: usize) -> Vec<(String, String)> {
    corpus_with_truth(seed, n, words, false).0
}

/// [`corpus`], and what was planted. With `rewrites`, the 30% made from another document are
/// split four ways instead of three, the fourth being retellings ([`Synth::rewrite`]); without,
/// the corpus is exactly [`corpus`]'s.
pub fn corpus_with_truth(
    seed: u64,
    n: usize,
    words: usize,
    rewrites: bool,
) -> (Vec<(String, String)>, Vec<Planted>) {
    corpus_shaped(seed, n, words, rewrites, Shape::Words)
}

/// [`corpus_with_truth`] with documents of the given shape.
pub fn corpus_shaped(
    seed: u64,
    n: usize,
    words: usize,
    rewrites: bool,
    shape: Shape,
) -> (Vec<(String, String)>, Vec<Planted>) {
    let mut s = Synth::shaped(seed, 5_000, shape);
    let mut docs: Vec<String> = Vec::with_capacity(n);
    let mut planted = Vec::new();
    for i in 0..n {
        let text = if i < 10 || s.chance(0.7) {
            let len = s.range(words / 2..=words * 3 / 2);
            s.doc(len)
        } else {
            let a = s.range(0..=i - 1);
            let src = docs[a].clone();
            let mut plant = Planted {
                a,
                b: i,
                kind: "duplicate",
                edit_rate: 0,
                passage_words: 0,
            };
            let text = match s.range(0..=if rewrites { 3 } else { 2 }) {
                0 => src,
                1 => {
                    plant.kind = "near-duplicate";
                    plant.edit_rate = s.range(1..=10);
                    s.edit(&src, plant.edit_rate as f64 / 100.0)
                }
                2 => {
                    plant.kind = "overlap";
                    let len = s.range(words / 2..=words * 3 / 2);
                    let host = s.doc(len);
                    plant.passage_words = s.range(30..=120);
                    let passage = s.passage(&src, plant.passage_words);
                    s.splice(&host, &passage)
                }
                _ => {
                    plant.kind = "rewrite";
                    s.rewrite(&src)
                }
            };
            planted.push(plant);
            text
        };
        docs.push(text);
    }
    let docs = docs
        .into_iter()
        .enumerate()
        .map(|(i, t)| (format!("d{i:06}"), t))
        .collect();
    (docs, planted)
}
