//! The map stage's record: one document's features as one JSON line (`neardup sign`).
//!
//! A scan spread over machines (Apache Spark pipes partitions of JSON lines through the binary)
//! needs each document's features computed where the document is, and shuffled by their keys
//! elsewhere. The features are a pure function of the document and the parameters, so a record
//! is the same bytes on any machine, in any partition, at any thread count. Keys are the stable
//! hashes `scan` uses (never `ahash`), written as 16 hexadecimal digits: JSON numbers past 2^53
//! lose digits in most readers.

use serde::{Serialize, Serializer};

use crate::document::{Corpus, Document, Warning};
use crate::error::Result;
use crate::features::Features;
use crate::features::boilerplate;
use crate::features::salient::{Kind, Term};
use crate::params::Params;

/// Version of [`SignatureRecord`]'s fields; a change that a reader could misread bumps it.
/// v2: each fingerprint with where a window first picks it.
pub const SIGNATURE_VERSION: u32 = 2;

/// One document's features (`docs/SIGNATURES.md` documents every field).
#[derive(Debug, Serialize)]
pub struct SignatureRecord<'d> {
    /// [`SIGNATURE_VERSION`].
    pub version: u32,
    /// The document's id.
    pub id: &'d str,
    /// The line of its JSONL file (`None` for a text file): with the file, its place in the
    /// input order, which orients pairs and orders the report.
    pub line: Option<u64>,
    /// Its publication date as given, which the rewrite decision reads.
    pub date: Option<&'d str>,
    /// The key of its source (the `source` field, else the site of its `url`), which page
    /// furniture is counted by.
    pub source: Option<Key>,
    /// Words in the text; 0 for a document that is not compared.
    pub words: u32,
    /// Hash of the normalized text (0 unless duplicates are looked for).
    pub text_hash: Key,
    /// LSH band keys, in band order.
    pub bands: Vec<Key>,
    /// Winnowed passage fingerprints, sorted, each with where a window first picks it.
    pub fingerprints: Vec<(Key, u32)>,
    /// Keys of the sentences, which tell page furniture.
    pub sentences: Vec<Key>,
    /// Salient terms, sorted by key: `[key, kind, count, rarity]`.
    pub terms: Vec<TermRecord>,
}

/// A stable 64-bit key, written as 16 lower-case hexadecimal digits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Key(pub u64);

impl Serialize for Key {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.collect_str(&format_args!("{:016x}", self.0))
    }
}

impl<'de> serde::Deserialize<'de> for Key {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Key, D::Error> {
        let hex = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        u64::from_str_radix(&hex, 16)
            .ok()
            .filter(|_| hex.len() == 16)
            .map(Key)
            .ok_or_else(|| {
                serde::de::Error::custom(format!("bad key {hex:?}: 16 hex digits expected"))
            })
    }
}

/// The passage fingerprints of `f` as `[key, position]`.
pub fn fingerprints(f: &Features) -> Vec<(Key, u32)> {
    let at = f.fingerprint_at.iter().copied();
    f.fingerprints.iter().copied().map(Key).zip(at).collect()
}

/// A salient term as `[key, kind, count, rarity]`.
#[derive(Debug)]
pub struct TermRecord(pub Term);

impl Serialize for TermRecord {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        let t = &self.0;
        (Key(t.key()), kind_name(t.kind()), t.count(), t.rarity()).serialize(s)
    }
}

fn kind_name(kind: Kind) -> &'static str {
    match kind {
        Kind::Word => "word",
        Kind::Entity => "entity",
        Kind::Number => "number",
        Kind::Quote => "quote",
        Kind::Source => "source",
    }
}

impl<'d> SignatureRecord<'d> {
    /// The record of `doc`, whose features are `f`.
    pub fn new(doc: &'d Document, f: &Features) -> SignatureRecord<'d> {
        let keys = |k: &[u64]| k.iter().copied().map(Key).collect();
        SignatureRecord {
            version: SIGNATURE_VERSION,
            id: &doc.id,
            line: doc.line,
            date: doc.date.as_deref(),
            source: boilerplate::source_key(doc).map(Key),
            words: f.words,
            text_hash: Key(f.text_hash),
            bands: keys(&f.bands),
            fingerprints: fingerprints(f),
            sentences: keys(&f.sentences),
            terms: f.salient.iter().copied().map(TermRecord).collect(),
        }
    }
}

/// The documents of some inputs with their features, ready to write as records.
pub struct Signed {
    corpus: Corpus,
    features: Vec<Features>,
}

/// Reads `paths` (as [`crate::scan_paths`] does: bad input is an error naming the file and
/// line, or under `skip_invalid` a counted warning) and extracts every document's features.
/// Texts are let go as soon as their features are known: no record needs them.
pub fn sign_paths(paths: &[std::path::PathBuf], params: &Params) -> Result<Signed> {
    let params = params.clone().resolved()?;
    let (corpus, features) =
        crate::pipeline::read_and_extract(paths, &params, 0, &crate::progress::NoProgress)?;
    Ok(Signed { corpus, features })
}

/// [`sign_paths`] of a part of a JSONL file that another program split: `input` holds lines
/// `lines_before + 1..` of the file `path` ([`crate::read::jsonl_part`]).
pub fn sign_part(
    path: &std::path::Path,
    lines_before: u64,
    input: Box<dyn std::io::Read + Send>,
    params: &Params,
) -> Result<Signed> {
    let params = params.clone().resolved()?;
    let corpus = crate::read::jsonl_part(path, lines_before, input, &params.input)?;
    let features = crate::pipeline::extract(&corpus.docs, &params, &crate::progress::NoProgress);
    Ok(Signed { corpus, features })
}

impl Signed {
    /// Problems that did not stop the reading.
    pub fn warnings(&self) -> &[Warning] {
        &self.corpus.warnings
    }

    /// Writes one record per document, one per line, in input order.
    pub fn write(&self, w: &mut dyn std::io::Write) -> std::io::Result<()> {
        write(&self.corpus.docs, &self.features, w)
    }
}

fn write(
    docs: &[Document],
    features: &[Features],
    w: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    for (doc, f) in docs.iter().zip(features) {
        serde_json::to_writer(&mut *w, &SignatureRecord::new(doc, f))?;
        w.write_all(b"\n")?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Corpus, Params};

    #[test]
    fn a_record_writes_keys_as_hex_and_terms_as_tuples() {
        let text = "Anna Evstigneeva told the UN Security Council that 23,000 fighters were \
                    active in Kunduz, according to Eurasia Review.";
        let corpus = Corpus::from_texts([("a", text)]);
        let f = Features::extract(text, &Params::default().resolved().unwrap());
        let mut out = Vec::new();
        write(&corpus.docs, std::slice::from_ref(&f), &mut out).unwrap();
        let line = String::from_utf8(out).unwrap();
        assert_eq!(line.lines().count(), 1);
        let v: serde_json::Value = serde_json::from_str(&line).unwrap();
        assert_eq!(v["version"], SIGNATURE_VERSION);
        assert_eq!(v["text_hash"], format!("{:016x}", f.text_hash));
        assert_eq!(v["bands"].as_array().unwrap().len(), f.bands.len());
        let terms = v["terms"].as_array().unwrap();
        assert_eq!(terms.len(), f.salient.len());
        let evst = f
            .salient
            .iter()
            .find(|t| t.kind() == Kind::Source)
            .expect("Eurasia Review is cited");
        assert!(terms.iter().any(|t| t[0] == format!("{:016x}", evst.key())
            && t[1] == "source"
            && t[2] == evst.count()));
    }
}
