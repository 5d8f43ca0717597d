//! `--format jsonl`: one pair record per line, for corpora too big for one object.

use std::io;

use rayon::prelude::*;

use super::Report;

/// Records serialized at once, in parallel, before they are written in order.
const BATCH: usize = 4096;

pub(super) fn write(report: &Report, w: &mut dyn io::Write) -> io::Result<()> {
    write_in_batches(report, w, BATCH)
}

fn write_in_batches(report: &Report, w: &mut dyn io::Write, size: usize) -> io::Result<()> {
    // A near-duplicate record carries its shared passage, often the whole text: escaping it
    // is most of the writing, and it is done on every core. Each batch is written while the
    // next one is serialized, so that the writing (a copy into the page cache, 44 MB for a
    // 100k-document scan) does not leave the other cores waiting.
    let serialize = |batch: &[super::PairRecord]| -> serde_json::Result<Vec<Vec<u8>>> {
        batch
            .par_iter()
            .map(|pair| {
                let mut line = serde_json::to_vec(pair)?;
                line.push(b'\n');
                Ok(line)
            })
            .collect()
    };
    let mut ready: Vec<Vec<u8>> = Vec::new();
    for batch in report.pairs.chunks(size) {
        let mut next = Ok(Vec::new());
        rayon::in_place_scope(|s| {
            s.spawn(|_| next = serialize(batch));
            ready.iter().try_for_each(|line| w.write_all(line))
        })?;
        ready = next?;
    }
    ready.iter().try_for_each(|line| w.write_all(line))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Corpus, NoProgress, Params};

    #[test]
    fn batches_are_written_whole_and_in_order() {
        let text = "the quick brown fox jumps over the lazy dog near the river bank today";
        let texts = (0..5).map(|i| (i.to_string(), format!("{text} and {i}")));
        let corpus = Corpus::from_texts(texts);
        let params = Params {
            threshold: 0.5,
            ..Params::default()
        };
        let result = crate::scan(&corpus, &params, &NoProgress).unwrap();
        let report = Report::new(&corpus, &params, &result).unwrap();
        assert_eq!(report.pairs.len(), 10);
        let expected: Vec<u8> = report
            .pairs
            .iter()
            .flat_map(|p| serde_json::to_vec(p).unwrap().into_iter().chain([b'\n']))
            .collect();
        for size in [1, 3, 10, BATCH] {
            let mut out = Vec::new();
            write_in_batches(&report, &mut out, size).unwrap();
            assert_eq!(out, expected, "batches of {size}");
        }
    }
}
