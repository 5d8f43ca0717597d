//! `neardup verify`: candidate pairs in, verified pairs out, as lines (`docs/SIGNATURES.md`).
//!
//! Input: three lines a pair. A header, `{"a": A, "b": B, "duplicate": false}` (`A` and `B` the
//! caller's numbers for the two documents, in input order), then the two documents' JSONL
//! records as the input file holds them. Output: one line for each pair a wanted relation
//! holds, fields separated by tabs (JSON escapes every tab inside a string):
//!
//! `A  B  score  containment-of-a  containment-of-b  relation  a-id  b-id  record`
//!
//! where the figures are exact (the shortest decimal that reads back as the same double: the
//! report rounds them, and a caller must order pairs and choose cluster origins as `scan`
//! does, on the exact values), the ids are JSON strings, and the record is the pair record of
//! `scan --format jsonl`, byte for byte.

use std::io::{BufRead, Write};
use std::path::Path;

use serde::Deserialize;

use super::PairRecord;
use crate::error::{Error, Result};
use crate::params::Params;

/// The header of one pair.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Header {
    a: u64,
    b: u64,
    duplicate: bool,
}

/// Where input errors point: the stream's own lines.
const INPUT_NAME: &str = "<verify input>";

/// Verifies every pair of `input` (see the module doc) with `params`, writing a line for each
/// related pair to `out`; how many pairs were read.
pub fn verify_stream(input: impl BufRead, params: &Params, out: &mut dyn Write) -> Result<u64> {
    let params = params.clone().resolved()?;
    let path = Path::new(INPUT_NAME);
    let io = |e| Error::io(INPUT_NAME, e);
    let mut lines = input.split(b'\n');
    let mut line = 0u64;
    let mut pairs = 0u64;
    let mut next = |what: &str, line: &mut u64| -> Result<Option<Vec<u8>>> {
        *line += 1;
        match lines.next() {
            Some(l) => l.map(Some).map_err(io),
            None if what == "header" => Ok(None),
            None => Err(Error::input(
                path,
                Some(*line),
                format!("missing the {what}"),
            )),
        }
    };
    while let Some(header) = next("header", &mut line)? {
        let h: Header = serde_json::from_slice(&header)
            .map_err(|e| Error::input(path, Some(line), format!("invalid pair header: {e}")))?;
        let mut doc = |what: &str, line: &mut u64| -> Result<crate::document::Document> {
            let bytes = next(what, line)?.unwrap_or_default();
            Ok(crate::read::jsonl_record(path, *line, &bytes, &params.input)?.0)
        };
        let a = doc("first document", &mut line)?;
        let b = doc("second document", &mut line)?;
        pairs += 1;
        let (corpus, report) = crate::pipeline::verify_pair([a, b], h.duplicate, &params)?;
        let Some(p) = report else { continue };
        let text = |d| corpus.text(d);
        let (ta, tb) = (text(p.a)?, text(p.b)?);
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
        .map_err(|e| Error::io("<output>", e))?;
    }
    Ok(pairs)
}
