//! Turning a scan into bytes. The algorithms never format; this module never computes.
//!
//! [`Report`] (in `model`) is the JSON contract of the design notes, kept apart from the
//! internal types so that a refactor of the pipeline cannot change the wire format. Each format
//! is one file exposing `write(&Report, &mut dyn Write)`.

pub mod compare;
mod csv;
mod escape;
mod html;
mod json;
mod jsonl;
mod model;
pub mod signature;
pub mod stages;
mod text;
mod wrap;

use std::fmt;
use std::io;
use std::str::FromStr;

pub use escape::visible;
pub use model::{
    CitedSourceRecord, ClusterRecord, DocumentRecord, PairRecord, PassageRecord, REPORT_VERSION,
    Report, StatsRecord, texts,
};

/// Output formats of `scan`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// A ranked table for people.
    Text,
    /// One JSON object (the design notes' contract).
    Json,
    /// One pair record per line.
    Jsonl,
    /// The pair records as flat CSV rows.
    Csv,
    /// A self-contained page to explore the report in a browser.
    Html,
}

impl Format {
    const NAMES: [(&'static str, Format); 5] = [
        ("text", Format::Text),
        ("json", Format::Json),
        ("jsonl", Format::Jsonl),
        ("csv", Format::Csv),
        ("html", Format::Html),
    ];
}

impl FromStr for Format {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Format::NAMES
            .iter()
            .find(|(n, _)| *n == s)
            .map(|(_, f)| *f)
            .ok_or_else(|| {
                let names: Vec<&str> = Format::NAMES.iter().map(|(n, _)| *n).collect();
                format!(
                    "unknown format {s:?} (expected one of: {})",
                    names.join(", ")
                )
            })
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = Format::NAMES
            .iter()
            .find(|(_, x)| x == self)
            .map(|(n, _)| *n)
            .unwrap_or("?");
        f.write_str(name)
    }
}

/// Columns of the text format when the caller knows no better (a pipe, a file).
pub const DEFAULT_WIDTH: usize = 80;

/// Writes `report` in `format`; the text format wraps its lines at `width` columns.
pub fn write(
    report: &Report,
    format: Format,
    width: usize,
    w: &mut dyn io::Write,
) -> io::Result<()> {
    match format {
        Format::Text => text::write(report, width, w),
        Format::Json => json::write(report, w),
        Format::Jsonl => jsonl::write(report, w),
        Format::Csv => csv::write(report, w),
        Format::Html => html::write(report, w),
    }
}

/// What a run says of its `n` warnings, in the text report and on stderr alike.
pub fn warnings_line(n: usize) -> String {
    let count = if n == 1 {
        "1 warning".to_string()
    } else {
        format!("{n} warnings")
    };
    format!("{count}: --verbose lists them, and the JSON report holds them")
}
