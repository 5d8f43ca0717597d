//! The framed stages of a distributed scan, as lines in and out (`docs/SIGNATURES.md`):
//! `neardup blank` signs documents again with their page furniture blanked, `neardup sketch`
//! finds their rewrite sketches from the batch's counts of their terms, `neardup verify`
//! verifies candidate pairs. Each input item is a JSON header line followed by the JSONL
//! records it is about, as the input file holds them.
//!
//! `verify` writes one line for each pair a wanted relation holds, fields separated by tabs
//! (JSON escapes every tab inside a string):
//!
//! `A  B  score  containment-of-a  containment-of-b  relation  a-id  b-id  record`
//!
//! where the figures are exact (the shortest decimal that reads back as the same double: the
//! report rounds them, and a caller must order pairs and choose cluster origins as `scan`
//! does, on the exact values), the ids are JSON strings, and the record is the pair record of
//! `scan --format jsonl`, byte for byte.

use std::io::{BufRead, Write};
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::PairRecord;
use super::signature::{Key, TermRecord};
use crate::document::Document;
use crate::error::{Error, Result};
use crate::params::Params;

/// Where input errors point: the stream's own lines.
const INPUT_NAME: &str = "<stage input>";

/// Reads framed items: a header line, then records, counting lines for errors.
struct Frames<R> {
    lines: std::io::Split<R>,
    line: u64,
}

impl<R: BufRead> Frames<R> {
    fn new(input: R) -> Self {
        Frames {
            lines: input.split(b'\n'),
            line: 0,
        }
    }

    /// The next header, `None` at the end of the input.
    fn header<H: serde::de::DeserializeOwned>(&mut self) -> Result<Option<H>> {
        let Some(bytes) = self.next_line()? else {
            return Ok(None);
        };
        serde_json::from_slice(&bytes).map(Some).map_err(|e| {
            Error::input(
                Path::new(INPUT_NAME),
                Some(self.line),
                format!("invalid header: {e}"),
            )
        })
    }

    /// The record on the next line.
    fn record(&mut self, params: &Params) -> Result<Document> {
        let bytes = self.next_line()?.ok_or_else(|| {
            Error::input(
                Path::new(INPUT_NAME),
                Some(self.line + 1),
                "missing a record",
            )
        })?;
        let path = Path::new(INPUT_NAME);
        Ok(crate::read::jsonl_record(path, self.line, &bytes, &params.input)?.0)
    }

    fn next_line(&mut self) -> Result<Option<Vec<u8>>> {
        self.line += 1;
        self.lines
            .next()
            .transpose()
            .map_err(|e| Error::io(INPUT_NAME, e))
    }
}

fn output_error(e: std::io::Error) -> Error {
    Error::io("<output>", e)
}

/// The header of one document to blank.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct BlankHeader {
    /// The caller's number for the document, echoed.
    n: u64,
    /// Keys of its sentences that are furniture.
    furniture: Vec<Key>,
}

/// What `neardup blank` writes for one document: its features from the text with its furniture
/// blanked, and the furniture's byte ranges.
#[derive(Serialize)]
struct Blanked {
    n: u64,
    furniture: Vec<[u32; 2]>,
    fingerprints: Vec<(Key, u32)>,
    terms: Vec<TermRecord>,
}

/// Signs every document of `input` again with its page furniture blanked: a header
/// `{"n": N, "furniture": ["<key>", ...]}` then the document's record, for each; one JSON line
/// out for each, `{"n", "furniture": [[start, end], ...], "fingerprints", "terms"}`. How many
/// documents were read.
pub fn blank_stream(input: impl BufRead, params: &Params, out: &mut dyn Write) -> Result<u64> {
    each_document(input, params, out, |h: BlankHeader, doc, params| {
        let keys = h.furniture.iter().map(|k| k.0).collect();
        let (furniture, f) = crate::pipeline::blank_document(&doc, keys, params);
        Blanked {
            n: h.n,
            furniture,
            fingerprints: super::signature::fingerprints(&f),
            terms: f.salient.iter().copied().map(TermRecord).collect(),
        }
    })
}

/// For each header `H` and the record after it in `input`, writes `f`'s answer as one JSON
/// line to `out`; how many documents were read.
fn each_document<H: serde::de::DeserializeOwned, R: Serialize>(
    input: impl BufRead,
    params: &Params,
    out: &mut dyn Write,
    mut f: impl FnMut(H, Document, &Params) -> R,
) -> Result<u64> {
    let params = params.clone().resolved()?;
    let mut frames = Frames::new(input);
    let mut done = 0;
    while let Some(h) = frames.header::<H>()? {
        let doc = frames.record(&params)?;
        serde_json::to_writer(&mut *out, &f(h, doc, &params))
            .map_err(std::io::Error::from)
            .and_then(|()| out.write_all(b"\n"))
            .map_err(output_error)?;
        done += 1;
    }
    Ok(done)
}

/// The header of one pair to verify.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PairHeader {
    a: u64,
    b: u64,
    duplicate: bool,
    /// Each document's furniture, as `neardup blank` writes it (none when absent).
    #[serde(default)]
    furniture: [Vec<[u32; 2]>; 2],
    /// For rewrites: what the batch counted of the pair's terms.
    #[serde(default)]
    rewrite: Option<RewriteHeader>,
}

/// What a header says of the batch for a rewrite verification.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RewriteHeader {
    /// Documents in the batch.
    batch: u32,
    /// `[key, documents holding it]` for the terms of the document or pair that two or more
    /// documents hold.
    df: Vec<(Key, u32)>,
    /// By kind (word, entity, number, quote, source), `Σ df` over all the batch's terms that
    /// two or more documents hold.
    holdings: [u64; 5],
    /// For a pair: each document's sketch pairs of terms other documents hold, with their
    /// holders, sorted by key.
    #[serde(default)]
    held: [Vec<(Key, u32)>; 2],
    /// For a pair: whether only salient terms proposed it.
    #[serde(default)]
    rewrite_only: bool,
}

impl RewriteHeader {
    fn counts(&self) -> crate::pipeline::BatchCounts {
        crate::pipeline::BatchCounts {
            n: self.batch,
            df: self.df.iter().map(|&(k, d)| (k.0, d)).collect(),
            holdings: self.holdings,
        }
    }
}

/// The header of one document to sketch.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SketchHeader {
    n: u64,
    #[serde(default)]
    furniture: Vec<[u32; 2]>,
    rewrite: RewriteHeader,
}

/// What `neardup sketch` writes for one document.
#[derive(Serialize)]
struct Sketched {
    n: u64,
    heavy: Vec<Key>,
    pairs: Vec<Key>,
}

/// Finds the rewrite sketch of every document of `input`: a header `{"n": N, "furniture":
/// [[start, end], ...], "rewrite": {"batch": B, "df": [["<key>", df], ...]}}` then the
/// document's record, for each; one JSON line out for each, `{"n", "heavy", "pairs"}`. How many
/// documents were read.
pub fn sketch_stream(input: impl BufRead, params: &Params, out: &mut dyn Write) -> Result<u64> {
    each_document(input, params, out, |h: SketchHeader, doc, params| {
        let counts = h.rewrite.counts();
        let sketch = crate::pipeline::sketch_document(&doc, &h.furniture, &counts, params);
        let keys = |k: &[u64]| k.iter().copied().map(Key).collect();
        Sketched {
            n: h.n,
            heavy: keys(&sketch.heavy),
            pairs: keys(&sketch.pairs),
        }
    })
}

/// Verifies every pair of `input` (a header `{"a": A, "b": B, "duplicate": false}`, with
/// `"furniture": [[[start, end], ...], [...]]` when either has some, then the two documents'
/// records) with `params`, writing a line for each related pair to `out` (see the module doc);
/// how many pairs were read.
pub fn verify_stream(input: impl BufRead, params: &Params, out: &mut dyn Write) -> Result<u64> {
    let params = params.clone().resolved()?;
    let mut frames = Frames::new(input);
    let mut pairs = 0u64;
    while let Some(h) = frames.header::<PairHeader>()? {
        let a = frames.record(&params)?;
        let b = frames.record(&params)?;
        pairs += 1;
        let batch = h.rewrite.map(|r| crate::pipeline::PairBatch {
            counts: r.counts(),
            held: r
                .held
                .map(|held| held.into_iter().map(|(k, c)| (k.0, c)).collect()),
            rewrite_only: r.rewrite_only,
        });
        let (corpus, report) = crate::pipeline::verify_pair(
            [a, b],
            h.duplicate,
            h.furniture,
            batch.as_ref(),
            &params,
        )?;
        let Some(p) = report else { continue };
        let (ta, tb) = (corpus.text(p.a)?, corpus.text(p.b)?);
        let record = PairRecord::new(&corpus, &ta, &tb, &p);
        write!(
            out,
            "{}\t{}\t{}\t{}\t{}\t{}\t",
            h.a,
            h.b,
            p.score,
            p.containment[0],
            p.containment[1],
            p.relation.map_or("", |r| r.as_str()),
        )
        .and_then(|()| {
            serde_json::to_writer(&mut *out, record.a)?;
            out.write_all(b"\t")?;
            serde_json::to_writer(&mut *out, record.b)?;
            out.write_all(b"\t")?;
            serde_json::to_writer(&mut *out, &record)?;
            out.write_all(b"\n")
        })
        .map_err(output_error)?;
    }
    Ok(pairs)
}
