//! `--format jsonl`: one pair record per line, for corpora too big for one object.

use std::io;

use rayon::prelude::*;

use super::Report;

/// Records serialized at once, in parallel, before they are written in order.
const BATCH: usize = 4096;

pub(super) fn write(report: &Report, w: &mut dyn io::Write) -> io::Result<()> {
    // A near-duplicate record carries its shared passage, often the whole text: escaping it
    // is most of the writing, and it is done on every core.
    for batch in report.pairs.chunks(BATCH) {
        let lines: Vec<Vec<u8>> = batch
            .par_iter()
            .map(|pair| {
                let mut line = serde_json::to_vec(pair)?;
                line.push(b'\n');
                Ok(line)
            })
            .collect::<serde_json::Result<_>>()?;
        for line in lines {
            w.write_all(&line)?;
        }
    }
    Ok(())
}
