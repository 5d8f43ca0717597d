//! `--format text`: a ranked table of pairs, then the clusters, readable at 80 columns.

use std::io;

use super::{Report, visible};
use crate::align::PassageKind;
use crate::rewrite::decision::{Decision, SPECIFIC_MAX_DF};

const WIDTH: usize = 80;

/// Cuts `s` to at most `max` chars on one line, marking the cut with `…`.
fn clip(s: &str, max: usize) -> String {
    let flat = visible(&crate::normalize::one_line(s)).into_owned();
    if flat.chars().count() <= max {
        return flat;
    }
    let mut out: String = flat.chars().take(max.saturating_sub(1)).collect();
    out.push('…');
    out
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

pub(super) fn write(r: &Report, w: &mut dyn io::Write) -> io::Result<()> {
    // Built once: a lookup per pair line would make the report quadratic in the batch.
    let titles: ahash::AHashMap<&str, &str> = r
        .documents
        .iter()
        .filter_map(|d| Some((d.id, d.title?)))
        .collect();
    let title_of = |id: &str| titles.get(id).copied().unwrap_or_default();
    // In a check, documents loaded from the index are marked, so a CI log says which new file
    // repeats which indexed one.
    let indexed: ahash::AHashSet<&str> = r
        .documents
        .iter()
        .filter(|d| d.indexed)
        .map(|d| d.id)
        .collect();
    writeln!(
        w,
        "neardup: {} ({} compared), {}, {} in {:.2} s",
        plural(r.stats.scan.documents, "document", "documents"),
        r.stats.scan.compared,
        plural(r.pairs.len(), "pair", "pairs"),
        plural(r.clusters.len(), "cluster", "clusters"),
        r.stats.scan.seconds,
    )?;
    let counts: Vec<String> = r
        .stats
        .pairs
        .iter()
        .map(|(rel, n)| format!("{n} {rel}"))
        .collect();
    writeln!(w, "pairs by relation: {}", counts.join(", "))?;

    if r.pairs.is_empty() {
        writeln!(w, "\nNo pair reached a threshold.")?;
    } else {
        writeln!(w, "\nPAIRS, strongest first")?;
        writeln!(
            w,
            "{:>4}  {:<14} {:>5}  {:>7}  {:>6}  {:>6}",
            "#", "relation", "score", "jaccard", "a in b", "b in a"
        )?;
        for (i, p) in r.pairs.iter().enumerate() {
            writeln!(
                w,
                "{:>4}  {:<14} {:>5.3}  {:>7.3}  {:>6.3}  {:>6.3}",
                i + 1,
                p.relation.map_or("unrelated", |r| r.as_str()),
                p.score,
                p.jaccard,
                p.containment[0],
                p.containment[1]
            )?;
            for (label, id) in [("a", p.a), ("b", p.b)] {
                let title = title_of(id);
                let id = if indexed.contains(id) {
                    format!("{id} [indexed]")
                } else {
                    id.to_string()
                };
                let id = id.as_str();
                let line = if title.is_empty() {
                    id.to_string()
                } else {
                    format!("{id}  {title}")
                };
                writeln!(w, "      {label}: {}", clip(&line, WIDTH - 9))?;
            }
            let evidence = [
                ("names", &p.evidence.entities),
                ("numbers", &p.evidence.numbers),
                ("quotes", &p.evidence.quotes),
                ("cites", &p.evidence.cited_sources),
            ];
            for (label, items) in evidence.iter().filter(|(_, items)| !items.is_empty()) {
                let shown: Vec<String> = items.iter().take(6).map(|i| clip(i, 40)).collect();
                writeln!(
                    w,
                    "      {label}: {}",
                    clip(&shown.join("; "), WIDTH - 9 - label.len())
                )?;
            }
            if let Some(d) = &p.evidence.decision {
                writeln!(w, "      why: {}", clip(&decision_line(d), WIDTH - 11))?;
            }
            if let Some(first) = p.passages.first() {
                let words: usize = p.passages.iter().map(|s| s.words).sum();
                let what = match first.kind {
                    PassageKind::Verbatim => plural(p.passages.len(), "passage", "passages"),
                    PassageKind::Paraphrase => {
                        plural(p.passages.len(), "sentence pair", "sentence pairs")
                    }
                };
                writeln!(
                    w,
                    "      shared: {what}, {}",
                    plural(words, "word", "words")
                )?;
                writeln!(w, "        a: \"{}\"", clip(&first.text, WIDTH - 13))?;
                if let Some(b) = &first.b_text {
                    writeln!(w, "        b: \"{}\"", clip(b, WIDTH - 13))?;
                }
            }
        }
    }

    if !r.clusters.is_empty() {
        writeln!(w, "\nCLUSTERS")?;
        for c in &r.clusters {
            writeln!(
                w,
                "{:>4}  {}, {}, origin: {}",
                c.id + 1,
                c.relation,
                plural(c.members.len(), "document", "documents"),
                clip(c.origin, WIDTH - 40)
            )?;
            let mut line = String::from("      ");
            for (i, m) in c.members.iter().enumerate() {
                let m = visible(m);
                let item = if i + 1 < c.members.len() {
                    format!("{m}, ")
                } else {
                    m.to_string()
                };
                if line.len() + item.len() > WIDTH && !line.trim().is_empty() {
                    writeln!(w, "{}", line.trim_end())?;
                    line = String::from("      ");
                }
                line.push_str(&item);
            }
            writeln!(w, "{}", line.trim_end())?;
        }
    }
    let cited: Vec<_> = r
        .cited_sources
        .iter()
        .filter(|c| c.documents.len() > 1)
        .collect();
    if !cited.is_empty() {
        writeln!(w, "\nCITED SOURCES, by documents citing them")?;
        for c in cited {
            writeln!(
                w,
                "  {} ({})",
                clip(c.name, WIDTH - 20),
                plural(c.documents.len(), "document", "documents")
            )?;
            writeln!(w, "      {}", clip(&c.documents.join(", "), WIDTH - 6))?;
        }
    }
    let scan = &r.stats.scan;
    if scan.boilerplate_documents > 0 {
        writeln!(
            w,
            "\npage furniture: {} repeated across a source or the batch, blanked in {}",
            plural(scan.boilerplate_lines, "sentence", "sentences"),
            plural(scan.boilerplate_documents, "document", "documents"),
        )?;
    }
    let s = &r.stats.skipped;
    let skipped: Vec<String> = [
        (s.hidden, "hidden"),
        (s.other_extension, "not .txt/.md"),
        (s.binary, "binary"),
        (s.invalid_records, "invalid records"),
        (s.not_regular, "not regular files"),
    ]
    .iter()
    .filter(|(n, _)| *n > 0)
    .map(|(n, what)| format!("{n} {what}"))
    .collect();
    if !skipped.is_empty() {
        writeln!(w, "\nskipped: {}", skipped.join(", "))?;
    }
    if !r.warnings.is_empty() {
        writeln!(
            w,
            "{} (see --format json)",
            plural(r.warnings.len(), "warning", "warnings")
        )?;
    }
    Ok(())
}

/// A rewrite decision in one line: its probability, then what it weighed.
fn decision_line(d: &Decision) -> String {
    let mut line = format!("p {:.2}, similarity {:.3}", d.probability, d.similarity);
    let specific = &d.specific;
    let counts: Vec<String> = [
        (specific.entities, "name", "names"),
        (specific.numbers, "number", "numbers"),
        (specific.quotes, "quote 3-gram", "quote 3-grams"),
        (specific.words, "word", "words"),
    ]
    .iter()
    .filter(|(n, _, _)| *n > 0)
    .map(|&(n, one, many)| plural(n as usize, one, many))
    .collect();
    if !counts.is_empty() {
        line += &format!(
            "; held by <= {SPECIFIC_MAX_DF} documents: {}",
            counts.join(", ")
        );
    }
    if let Some(days) = d.days_apart {
        line += &format!("; {} apart", plural(days as usize, "day", "days"));
    }
    if d.same_source {
        line += "; same source";
    }
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clip_marks_cuts_and_flattens() {
        assert_eq!(clip("a\n b", 10), "a b");
        assert_eq!(clip("abcdef", 4), "abc…");
        assert_eq!(clip("ééééé", 3).chars().count(), 3);
    }
}
