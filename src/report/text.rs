//! `--format text`: a ranked table of pairs, then the clusters, wrapped to the width given.

use std::io;

use super::Report;
use super::wrap::{excerpt, indented};
use crate::align::PassageKind;
use crate::rewrite::decision::{Decision, SPECIFIC_MAX_DF};

/// Words of a shared passage shown: a sentence pair is seldom longer, and a verbatim passage
/// of hundreds of words would bury the table.
const PASSAGE_WORDS: usize = 60;

/// Evidence items shown per line.
const EVIDENCE_ITEMS: usize = 8;

/// What the table's columns mean, printed at its foot.
const LEGEND: &str = "score: 1 for a duplicate; for a near-duplicate or an overlap, the larger \
of jaccard and the two containments; for a rewrite, its probability. jaccard: the share of \
word 5-grams the two texts have in common. a in b: the share of a's 5-grams found in b; b in \
a the other way round. why: what the rewrite decision weighed. Page furniture (sentences \
repeated across a source's pages) is blanked before texts are compared; duplicates and \
near-duplicates are also looked for in the texts as given.";

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// `text` after `first`, the lines after it indented as deep.
fn hanging(text: &str, width: usize, first: &str) -> String {
    indented(text, width, first, &" ".repeat(first.chars().count()))
}

pub(super) fn write(r: &Report, width: usize, w: &mut dyn io::Write) -> io::Result<()> {
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
    let summary = format!(
        "neardup: {} ({} compared), {}, {} in {:.2} s",
        plural(r.stats.scan.documents, "document", "documents"),
        r.stats.scan.compared,
        plural(r.pairs.len(), "pair", "pairs"),
        plural(r.clusters.len(), "cluster", "clusters"),
        r.stats.scan.seconds,
    );
    writeln!(w, "{}", hanging(&summary, width, ""))?;
    let counts: Vec<String> = r
        .stats
        .pairs
        .iter()
        .map(|(rel, n)| format!("{n} {rel}"))
        .collect();
    writeln!(
        w,
        "{}",
        hanging(&counts.join(", "), width, "pairs by relation: ")
    )?;

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
                let mut line = id.to_string();
                if indexed.contains(id) {
                    line += " [indexed]";
                }
                writeln!(w, "{}", hanging(&line, width, &format!("      {label}: ")))?;
                let title = title_of(id);
                if !title.is_empty() {
                    writeln!(w, "{}", hanging(title, width, "         "))?;
                }
            }
            let evidence = [
                ("names", &p.evidence.entities),
                ("numbers", &p.evidence.numbers),
                ("quotes", &p.evidence.quotes),
                ("cites", &p.evidence.cited_sources),
            ];
            for (label, items) in evidence.iter().filter(|(_, items)| !items.is_empty()) {
                let shown: Vec<&str> = items
                    .iter()
                    .take(EVIDENCE_ITEMS)
                    .map(String::as_str)
                    .collect();
                let first = format!("      {label}: ");
                writeln!(w, "{}", hanging(&shown.join("; "), width, &first))?;
            }
            if let Some(d) = &p.evidence.decision {
                writeln!(w, "{}", hanging(&decision_line(d), width, "      why: "))?;
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
                let quoted = |t: &str| format!("\"{}\"", excerpt(t, PASSAGE_WORDS));
                writeln!(w, "{}", hanging(&quoted(&first.text), width, "        a: "))?;
                if let Some(b) = &first.b_text {
                    writeln!(w, "{}", hanging(&quoted(b), width, "        b: "))?;
                }
            }
        }
        writeln!(w, "\n{}", hanging(LEGEND, width, ""))?;
    }

    if !r.clusters.is_empty() {
        writeln!(w, "\nCLUSTERS")?;
        for c in &r.clusters {
            let head = format!(
                "{}, {}, origin: {}",
                c.relation,
                plural(c.members.len(), "document", "documents"),
                c.origin
            );
            writeln!(
                w,
                "{}",
                hanging(&head, width, &format!("{:>4}  ", c.id + 1))
            )?;
            writeln!(w, "{}", hanging(&c.members.join(", "), width, "      "))?;
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
            let head = format!(
                "{} ({})",
                c.name,
                plural(c.documents.len(), "document", "documents")
            );
            writeln!(w, "{}", hanging(&head, width, "  "))?;
            writeln!(w, "{}", hanging(&c.documents.join(", "), width, "      "))?;
        }
    }
    let scan = &r.stats.scan;
    if scan.boilerplate_documents > 0 {
        let line = format!(
            "page furniture: {} repeated across a source or the batch, blanked in {}",
            plural(scan.boilerplate_lines, "sentence", "sentences"),
            plural(scan.boilerplate_documents, "document", "documents"),
        );
        writeln!(w, "\n{}", hanging(&line, width, ""))?;
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
        writeln!(w, "\n{}", hanging(&skipped.join(", "), width, "skipped: "))?;
    }
    if !r.warnings.is_empty() {
        writeln!(w, "{}", super::warnings_line(r.warnings.len()))?;
    }
    Ok(())
}

/// A rewrite decision in one line: its probability, then what it weighed.
fn decision_line(d: &Decision) -> String {
    let mut line = format!("p {:.2}, similarity {:.3}", d.probability, d.similarity);
    if d.shared.entities > 0 {
        line += &format!(
            "; {} of {} names shared",
            d.shared.entities,
            d.fewer_names()
        );
    }
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
    // What chance explains, where it explains much (a batch of one kind of text).
    let chance: Vec<String> = [
        (d.expected.entities, d.shared.entities, "names"),
        (d.expected.numbers, d.shared.numbers, "numbers"),
    ]
    .iter()
    .filter(|(e, _, _)| *e >= 0.5)
    .map(|(e, n, what)| format!("{e:.1} of {n} {what}"))
    .collect();
    if !chance.is_empty() {
        line += &format!("; expected by chance: {}", chance.join(", "));
    }
    if d.co_surprise > 0.0 {
        // Names each common, rarely held together (a story retold by many outlets).
        line += &format!("; terms seldom held together: {:.2}", d.co_surprise);
    }
    if let Some(days) = d.days_apart {
        line += &format!("; {} apart", plural(days as usize, "day", "days"));
    }
    if d.same_source {
        line += "; same source";
    }
    line
}
