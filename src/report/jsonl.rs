//! `--format jsonl`: one pair record per line, for corpora too big for one object.

use std::io;

use super::Report;

pub(super) fn write(report: &Report, w: &mut dyn io::Write) -> io::Result<()> {
    for pair in &report.pairs {
        serde_json::to_writer(&mut *w, pair)?;
        w.write_all(b"\n")?;
    }
    Ok(())
}
