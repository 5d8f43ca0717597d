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
    out.write_record(HEADER)?;
    for p in &report.pairs {
        let range = |r: Option<[usize; 2]>| r.map(|[s, e]| format!("{s}-{e}")).unwrap_or_default();
        let first = p.passages.first();
        out.write_record([
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
        ])?;
    }
    out.flush()
}
