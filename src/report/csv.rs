//! `--format csv`: the pair records as flat rows, one per pair.
//!
//! Lists (evidence) are joined with `"; "`; passages are summarised by their count, their
//! total words and the byte ranges of the first one.

use std::io;

use super::Report;

const HEADER: [&str; 15] = [
    "a",
    "b",
    "relation",
    "score",
    "jaccard",
    "containment_a",
    "containment_b",
    "passages",
    "passage_words",
    "first_passage_a",
    "first_passage_b",
    "entities",
    "numbers",
    "quotes",
    "cited_sources",
];

pub(super) fn write(report: &Report, w: &mut dyn io::Write) -> io::Result<()> {
    let mut out = ::csv::Writer::from_writer(w);
    out.write_record(HEADER).map_err(io_error)?;
    for p in &report.pairs {
        let range = |r: Option<[usize; 2]>| r.map(|[s, e]| format!("{s}-{e}")).unwrap_or_default();
        let first = p.passages.first();
        out.write_record(
            [
                p.a.to_string(),
                p.b.to_string(),
                p.relation.map(|r| r.to_string()).unwrap_or_default(),
                p.score.to_string(),
                p.jaccard.to_string(),
                p.containment[0].to_string(),
                p.containment[1].to_string(),
                p.passages.len().to_string(),
                p.passages
                    .iter()
                    .map(|s| s.words)
                    .sum::<usize>()
                    .to_string(),
                range(first.map(|s| s.a)),
                range(first.map(|s| s.b)),
                p.evidence.entities.join("; "),
                p.evidence.numbers.join("; "),
                p.evidence.quotes.join("; "),
                p.evidence.cited_sources.join("; "),
            ]
            .map(inert),
        )
        .map_err(io_error)?;
    }
    out.flush()
}

/// A cell a spreadsheet reads as text: one that starts as a formula would (`=`, `+`, `-`, `@`,
/// a tab or a carriage return) is prefixed with `'`, as OWASP advises against CSV injection.
/// An id or an entity is text; no figure of the report starts so.
fn inert(cell: String) -> String {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{cell}")
    } else {
        cell
    }
}

/// The I/O error under a CSV error, kind kept (a closed pipe must stay one).
fn io_error(e: ::csv::Error) -> io::Error {
    match e.into_kind() {
        ::csv::ErrorKind::Io(e) => e,
        other => io::Error::other(format!("{other:?}")),
    }
}
