//! `--format html`: one self-contained page (no network, no external file) to explore a scan.
//!
//! The page is `report.html` with two slots: the data, as JSON inside a
//! `<script type="application/json">` element (never executed), and nothing else from the
//! documents. Every `<` in that JSON is written as `\u003c`, so no document can close the
//! element; the page's script only ever puts document text into the DOM as text nodes. Texts are
//! embedded once each, and only for documents in a reported pair; passage offsets are
//! converted from bytes to UTF-16 units, JavaScript's string indices.

use std::io;

use serde::Serialize;

use super::Report;
use crate::align::PassageKind;
use crate::relation::Relation;
use crate::rewrite::Evidence;

const TEMPLATE: &str = include_str!("report.html");
const DATA_SLOT: &str = "__NEARDUP_DATA__";

#[derive(Serialize)]
struct Page<'a> {
    summary: Summary<'a>,
    docs: Vec<Doc<'a>>,
    texts: Vec<&'a str>,
    pairs: Vec<Pair<'a>>,
    clusters: Vec<Cluster>,
}

#[derive(Serialize)]
struct Summary<'a> {
    documents: usize,
    compared: usize,
    seconds: f64,
    pairs: &'a [(Relation, usize)],
    clusters: usize,
    params: &'a crate::params::Params,
}

#[derive(Serialize)]
struct Doc<'a> {
    id: &'a str,
    title: Option<&'a str>,
    source: Option<&'a str>,
    date: Option<&'a str>,
    words: u32,
    /// Index into `texts`, or -1 when the text is not embedded.
    text: i64,
    /// Page furniture, in UTF-16 units of the embedded text (empty when it is not embedded).
    furniture: Vec<[usize; 2]>,
}

#[derive(Serialize)]
struct Pair<'a> {
    a: usize,
    b: usize,
    relation: Option<Relation>,
    score: f64,
    jaccard: f64,
    containment: [f64; 2],
    rewrite: Option<f64>,
    evidence: &'a Evidence,
    passages: Vec<Passage>,
}

#[derive(Serialize)]
struct Passage {
    kind: PassageKind,
    a: [usize; 2],
    b: [usize; 2],
}

#[derive(Serialize)]
struct Cluster {
    members: Vec<usize>,
    origin: usize,
    relation: Relation,
}

/// UTF-16 length of a string.
fn utf16(s: &str) -> usize {
    s.chars().map(char::len_utf16).sum()
}

pub(super) fn write(r: &Report, w: &mut dyn io::Write) -> io::Result<()> {
    let index: ahash::AHashMap<&str, usize> = r
        .documents
        .iter()
        .enumerate()
        .map(|(i, d)| (d.id, i))
        .collect();
    let to16 = |doc: usize, range: [usize; 2]| {
        let text = r.texts[doc].as_deref().unwrap_or_default();
        let start = utf16(&text[..range[0]]);
        [start, start + utf16(&text[range[0]..range[1]])]
    };
    let mut texts = Vec::new();
    let docs = r
        .documents
        .iter()
        .zip(&r.texts)
        .enumerate()
        .map(|(i, (d, t))| Doc {
            id: d.id,
            title: d.title,
            source: d.source,
            date: d.date,
            words: d.words,
            text: t.as_deref().map_or(-1, |t| {
                texts.push(t);
                texts.len() as i64 - 1
            }),
            furniture: match t {
                Some(_) => d
                    .boilerplate
                    .iter()
                    .map(|&[s, e]| to16(i, [s as usize, e as usize]))
                    .collect(),
                None => Vec::new(),
            },
        })
        .collect();
    let pairs = r
        .pairs
        .iter()
        .map(|p| {
            let (a, b) = (index[p.a], index[p.b]);
            Pair {
                a,
                b,
                relation: p.relation,
                score: p.score,
                jaccard: p.jaccard,
                containment: p.containment,
                rewrite: p.rewrite,
                evidence: p.evidence,
                passages: p
                    .passages
                    .iter()
                    .map(|s| Passage {
                        kind: s.kind,
                        a: to16(a, s.a),
                        b: to16(b, s.b),
                    })
                    .collect(),
            }
        })
        .collect();
    let clusters = r
        .clusters
        .iter()
        .map(|c| Cluster {
            members: c.members.iter().map(|m| index[m]).collect(),
            origin: index[c.origin],
            relation: c.relation,
        })
        .collect();
    let page = Page {
        summary: Summary {
            documents: r.stats.scan.documents,
            compared: r.stats.scan.compared,
            seconds: r.stats.scan.seconds,
            pairs: &r.stats.pairs,
            clusters: r.clusters.len(),
            params: r.params,
        },
        docs,
        texts,
        pairs,
        clusters,
    };
    let json = serde_json::to_string(&page)?;
    // `<` never appears raw, so no text can end the data element or open a tag; U+2028/9 are
    // escaped for old JavaScript parsers.
    let json = json
        .replace('<', "\\u003c")
        .replace('\u{2028}', "\\u2028")
        .replace('\u{2029}', "\\u2029");
    let (head, tail) = TEMPLATE
        .split_once(DATA_SLOT)
        .expect("the template has a data slot");
    w.write_all(head.as_bytes())?;
    w.write_all(json.as_bytes())?;
    w.write_all(tail.as_bytes())
}
