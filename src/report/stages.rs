//! The framed stages of a distributed scan, as lines in and out (`docs/SIGNATURES.md`):
//! `neardup blank` signs documents again with their page furniture blanked, `neardup verify`
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
    /// Keys of its sentences that are furniture, as `neardup sign` writes keys.
    furniture: Vec<String>,
}

/// What `neardup blank` writes for one document: its features from the text with its furniture
/// blanked, and the furniture's byte ranges.
#[derive(Serialize)]
struct Blanked {
    n: u64,
    furniture: Vec<[u32; 2]>,
    fingerprints: Vec<Key>,
    terms: Vec<TermRecord>,
}

/// Signs every document of `input` again with its page furniture blanked: a header
/// `{"n": N, "furniture": ["<key>", ...]}` then the document's record, for each; one JSON line
/// out for each, `{"n", "furniture": [[start, end], ...], "fingerprints", "terms"}`. How many
/// documents were read.
pub fn blank_stream(input: impl BufRead, params: &Params, out: &mut dyn Write) -> Result<u64> {
    let params = params.clone().resolved()?;
    let mut frames = Frames::new(input);
    let mut done = 0;
    while let Some(h) = frames.header::<BlankHeader>()? {
        let keys = h
            .furniture
            .iter()
            .map(|k| {
                u64::from_str_radix(k, 16).map_err(|_| {
                    Error::input(
                        Path::new(INPUT_NAME),
                        Some(frames.line),
                        format!("bad key {k:?}"),
                    )
                })
            })
            .collect::<Result<Vec<u64>>>()?;
        let doc = frames.record(&params)?;
        let (furniture, f) = crate::pipeline::blank_document(&doc, keys, &params);
        let record = Blanked {
            n: h.n,
            furniture,
            fingerprints: f.fingerprints.iter().copied().map(Key).collect(),
            terms: f.salient.iter().copied().map(TermRecord).collect(),
        };
        serde_json::to_writer(&mut *out, &record)
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
        let (corpus, report) =
            crate::pipeline::verify_pair([a, b], h.duplicate, h.furniture, &params)?;
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
