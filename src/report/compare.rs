//! `neardup compare` for people: one pair, side by side, shared words highlighted.
//!
//! Each passage is shown as two columns, `a` on the left and `b` on the right, wrapped to the
//! width given. Within a passage, the words found in the other side's passage are highlighted
//! (bold yellow when `color` is on; `[`…`]` markers otherwise, so the view is readable in a log
//! or a pipe).

use std::io;

use super::visible;
use super::wrap::indented;

use ahash::AHashSet;

use crate::document::Document;
use crate::features::background;
use crate::normalize;
use crate::verify::PairReport;

const HIGHLIGHT_ON: &str = "\x1b[1;33m";
const HIGHLIGHT_OFF: &str = "\x1b[0m";

/// Writes the pair of `a` and `b` for a terminal `width` columns wide.
pub fn write(
    a: &Document,
    b: &Document,
    p: &PairReport,
    color: bool,
    width: usize,
    w: &mut dyn io::Write,
) -> io::Result<()> {
    let relation = p
        .relation
        .map_or("unrelated (below every threshold)", |r| r.as_str());
    for (label, d) in [("a", a), ("b", b)] {
        let title = d
            .title
            .as_deref()
            .map(|t| format!("  {t}"))
            .unwrap_or_default();
        let line = format!("{}{title}", d.id);
        writeln!(
            w,
            "{}",
            indented(&line, width, &format!("{label}: "), "   ")
        )?;
    }
    writeln!(w, "relation: {relation}, score {:.3}", p.score)?;
    let figures = format!(
        "shingle Jaccard {:.3}; a in b {:.3}, b in a {:.3}; rewrite similarity {:.3}",
        p.jaccard,
        p.containment[0],
        p.containment[1],
        p.rewrite.unwrap_or(0.0)
    );
    writeln!(w, "{}", indented(&figures, width, "", "  "))?;
    let ev = &p.evidence;
    for (label, items) in [
        ("names", &ev.entities),
        ("numbers", &ev.numbers),
        ("quotes", &ev.quotes),
        ("cited sources", &ev.cited_sources),
    ] {
        if !items.is_empty() {
            let first = format!("{label}: ");
            let rest = " ".repeat(first.len());
            writeln!(w, "{}", indented(&items.join("; "), width, &first, &rest))?;
        }
    }
    if p.passages.is_empty() {
        writeln!(w, "\nNo shared passage.")?;
    }
    let column = (width.saturating_sub(3) / 2).max(20);
    for (i, s) in p.passages.iter().enumerate() {
        let kind = match s.kind {
            crate::align::PassageKind::Verbatim => "shared passage",
            crate::align::PassageKind::Paraphrase => "sentence pair",
        };
        writeln!(
            w,
            "\n{} {}: a {}..{}, b {}..{}",
            kind,
            i + 1,
            s.a[0],
            s.a[1],
            s.b[0],
            s.b[1]
        )?;
        let (ta, tb) = (&a.text[s.a[0]..s.a[1]], &b.text[s.b[0]..s.b[1]]);
        let left = wrap(&marked(ta, tb), column, color);
        let right = wrap(&marked(tb, ta), column, color);
        for row in 0..left.len().max(right.len()) {
            let l = left
                .get(row)
                .map(|(t, n)| (t.as_str(), *n))
                .unwrap_or(("", 0));
            let r = right.get(row).map(|(t, _)| t.as_str()).unwrap_or("");
            writeln!(w, "{}{} | {}", l.0, " ".repeat(column - l.1), r)?;
        }
    }
    Ok(())
}

/// Words commoner than this ("the", "and", "that") are never highlighted: shared by any two
/// English sentences, they would drown the words that matter.
const MIN_HIGHLIGHT_RARITY: f32 = 3.0;

/// The words of `text`, each with whether `other` holds it too (compared normalized).
fn marked<'a>(text: &'a str, other: &str) -> Vec<(&'a str, bool)> {
    let theirs: AHashSet<u64> = normalize::words(other).iter().map(|w| w.hash).collect();
    let ours = normalize::words(text);
    let mut norm = String::new();
    let mut telling = |w: &normalize::Word| {
        norm.clear();
        normalize::normalize_word(&text[w.start as usize..w.end as usize], &mut norm);
        norm.chars().any(|c| c.is_numeric()) || background::rarity(&norm) >= MIN_HIGHLIGHT_RARITY
    };
    let mut out = Vec::new();
    let flags: Vec<(usize, usize, bool)> = ours
        .iter()
        .map(|w| {
            (
                w.start as usize,
                w.end as usize,
                theirs.contains(&w.hash) && telling(w),
            )
        })
        .collect();
    let mut shared_words = flags.into_iter().peekable();
    // Whitespace-separated pieces, so punctuation stays attached to its word.
    let mut offset = 0;
    for piece in text.split_whitespace() {
        let start = offset + text[offset..].find(piece).unwrap_or(0);
        offset = start + piece.len();
        let mut shared = false;
        while let Some(&(s, e, sh)) = shared_words.peek() {
            if s >= offset {
                break;
            }
            shared |= sh && e <= offset;
            shared_words.next();
        }
        out.push((piece, shared));
    }
    out
}

/// The marked words on lines of at most `width` visible chars, each with its visible length.
/// A word longer than the width is cut.
fn wrap(words: &[(&str, bool)], width: usize, color: bool) -> Vec<(String, usize)> {
    let styled = words.iter().map(|&(word, shared)| {
        let shown: String = visible(word)
            .chars()
            .take(width.saturating_sub(2))
            .collect();
        let cols = shown.chars().count() + if shared && !color { 2 } else { 0 };
        let shown = match (shared, color) {
            (true, true) => format!("{HIGHLIGHT_ON}{shown}{HIGHLIGHT_OFF}"),
            (true, false) => format!("[{shown}]"),
            _ => shown,
        };
        (shown, cols)
    });
    super::wrap::pack(styled, width)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shared_words_are_marked_and_lines_fit() {
        let m = marked("The quick, brown fox.", "the BROWN dog and a fox");
        assert_eq!(
            m,
            [
                ("The", false),
                ("quick,", false),
                ("brown", true),
                ("fox.", true)
            ]
        );
        let lines = wrap(&m, 12, false);
        assert_eq!(
            lines.iter().map(|l| l.0.as_str()).collect::<Vec<_>>(),
            ["The quick,", "[brown]", "[fox.]"]
        );
        assert!(lines.iter().all(|(_, n)| *n <= 12));
        let colored = wrap(&m, 40, true);
        assert!(colored[0].0.contains(HIGHLIGHT_ON));
        assert_eq!(colored[0].1, "The quick, brown fox.".len());
    }
}
