//! `--format json`: the whole report as one object.

use std::io;

use super::Report;

pub(super) fn write(report: &Report, w: &mut dyn io::Write) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *w, report)?;
    w.write_all(b"\n")
}
