//! The report's wire types: what `--format json` prints, field for field.
//!
//! Changing a field's name or meaning changes the contract: bump [`REPORT_VERSION`] and say so
//! in the README. Adding a field is compatible.

use std::borrow::Cow;

use rayon::prelude::*;
use serde::Serialize;

use crate::align::PassageKind;
use crate::cluster::Cluster;
use crate::document::{Corpus, DocId, Place, Skipped, Warning};
use crate::error::Result;
use crate::params::Params;
use crate::pipeline::{ScanResult, Stats};
use crate::relation::Relation;
use crate::rewrite::Evidence;
use crate::verify::PairReport;

/// Version of the report format.
pub const REPORT_VERSION: u32 = 2;

/// A whole report.
#[derive(Debug, Serialize)]
pub struct Report<'a> {
    /// [`REPORT_VERSION`].
    pub version: u32,
    /// Every setting that shaped the result.
    pub params: &'a Params,
    /// The documents, in input order.
    pub documents: Vec<DocumentRecord<'a>>,
    /// Reported pairs, strongest first.
    pub pairs: Vec<PairRecord<'a>>,
    /// Clusters of linked documents.
    pub clusters: Vec<ClusterRecord<'a>>,
    /// Outlets and agencies the documents cite, each with its citing documents.
    pub cited_sources: Vec<CitedSourceRecord<'a>>,
    /// Counters.
    pub stats: StatsRecord,
    /// Problems that did not stop the run.
    pub warnings: Vec<&'a Warning>,
    /// Original texts of the documents in reported pairs, for formats that show them (HTML);
    /// not part of the JSON contract. Texts let go during the scan are `None` until
    /// [`Report::load_texts`].
    #[serde(skip)]
    pub texts: Vec<Option<Cow<'a, str>>>,
    /// The documents in reported pairs, ascending.
    #[serde(skip)]
    shown: Vec<DocId>,
}

/// One input document.
#[derive(Debug, Serialize)]
pub struct DocumentRecord<'a> {
    /// Its id.
    pub id: &'a str,
    /// The file it came from (`file:line` for JSONL).
    pub path: Place<'a>,
    /// Title, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<&'a str>,
    /// Outlet, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<&'a str>,
    /// Date, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<&'a str>,
    /// URL, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<&'a str>,
    /// Number of words.
    pub words: u32,
    /// Byte ranges of its page furniture (sentences repeated by many documents of its source
    /// or of the batch), half-open, left out of every comparison but the copies'; omitted when
    /// it has none.
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    pub boilerplate: &'a [[u32; 2]],
    /// Whether it came from the index (in a `check`), not from the inputs.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub indexed: bool,
}

/// One reported pair.
#[derive(Debug, Serialize)]
pub struct PairRecord<'a> {
    /// Id of the first document.
    pub a: &'a str,
    /// Id of the second document.
    pub b: &'a str,
    /// The relation (`null` only from `compare`, for an unrelated pair).
    pub relation: Option<Relation>,
    /// Strength in [0, 1], comparable across relations.
    pub score: f64,
    /// Exact shingle Jaccard.
    pub jaccard: f64,
    /// Share of `a`'s shingles in `b`, and the reverse.
    pub containment: [f64; 2],
    /// Weighted salient-term similarity, when the scan looks for rewrites.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rewrite: Option<f64>,
    /// Shared salient features.
    pub evidence: &'a Evidence,
    /// Shared passages.
    pub passages: Vec<PassageRecord<'a>>,
}

/// A shared passage: half-open byte ranges into both originals, and `a`'s text of it.
#[derive(Debug, Serialize)]
pub struct PassageRecord<'a> {
    /// `verbatim` (the same words) or `paraphrase` (a sentence pair carrying the same facts).
    pub kind: PassageKind,
    /// Byte range in `a`.
    pub a: [usize; 2],
    /// Byte range in `b`.
    pub b: [usize; 2],
    /// Words the passage spans in `a`.
    pub words: usize,
    /// The passage as it reads in `a`.
    pub text: Cow<'a, str>,
    /// The passage as it reads in `b`, for paraphrases (verbatim passages read the same).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub b_text: Option<Cow<'a, str>>,
}

/// An outlet or agency and the documents citing it.
#[derive(Debug, Serialize)]
pub struct CitedSourceRecord<'a> {
    /// The name as first written.
    pub name: &'a str,
    /// Ids of the citing documents.
    pub documents: Vec<&'a str>,
}

/// A cluster.
#[derive(Debug, Serialize)]
pub struct ClusterRecord<'a> {
    /// Number of the cluster in this report.
    pub id: usize,
    /// Member ids, in input order.
    pub members: Vec<&'a str>,
    /// Id of the likely origin.
    pub origin: &'a str,
    /// The weakest relation linking the cluster.
    pub relation: Relation,
}

/// Counters of the run.
#[derive(Debug, Serialize)]
pub struct StatsRecord {
    /// Pipeline counters.
    #[serde(flatten)]
    pub scan: Stats,
    /// Reported pairs per relation, strongest relation first.
    pub pairs: Vec<(Relation, usize)>,
    /// What was not read, by reason.
    pub skipped: Skipped,
}

/// Rounds to 6 decimals: exact enough for any threshold, and short to read.
fn round(x: f64) -> f64 {
    (x * 1e6).round() / 1e6
}

impl<'a> Report<'a> {
    /// The report of `result`, a scan of `corpus` with `params`.
    ///
    /// Texts let go during the scan are read again for the documents in reported pairs.
    pub fn new(
        corpus: &'a Corpus,
        params: &'a Params,
        result: &'a ScanResult,
    ) -> Result<Report<'a>> {
        let id = |d: crate::document::DocId| corpus.doc(d).id.as_str();
        let documents = corpus
            .docs
            .par_iter()
            .zip(&result.words)
            .enumerate()
            .map(|(i, (d, &words))| DocumentRecord {
                id: &d.id,
                path: d.place(),
                title: d.title.as_deref(),
                source: d.source.as_deref(),
                date: d.date.as_deref(),
                url: d.url.as_deref(),
                words,
                boilerplate: result.boilerplate.get(i).map_or(&[], Vec::as_slice),
                indexed: false,
            })
            .collect();
        // Pair records are built a batch at a time: texts let go during the scan are read
        // again for one batch of pairs, their passages copied out, and let go again.
        let mut pairs = Vec::with_capacity(result.pairs.len());
        // Each batch with the documents of its pairs, sorted and distinct.
        let batches: Vec<(&[crate::verify::PairReport], Vec<DocId>)> = result
            .pairs
            .chunks(4096)
            .map(|batch| {
                let mut ids: Vec<DocId> = batch.iter().flat_map(|p| [p.a, p.b]).collect();
                ids.sort_unstable();
                ids.dedup();
                (batch, ids)
            })
            .collect();
        if let Some((_, ids)) = batches.first() {
            corpus.read_ahead(ids.iter().copied());
        }
        for (i, (batch, ids)) in batches.iter().enumerate() {
            // The next batch's texts are asked for while this one's are read.
            if let Some((_, next)) = batches.get(i + 1) {
                corpus.read_ahead(next.iter().copied());
            }
            let loaded = texts(corpus, ids)?;
            // Always found: `ids` holds every document of the batch.
            let text = |d: DocId| &loaded[ids.binary_search(&d).unwrap_or_default()];
            pairs.par_extend(
                batch
                    .par_iter()
                    .map(|p| PairRecord::new(corpus, text(p.a), text(p.b), p)),
            );
        }
        let mut shown: Vec<DocId> = result.pairs.iter().flat_map(|p| [p.a, p.b]).collect();
        shown.sort_unstable();
        shown.dedup();
        let mut held = vec![None; corpus.docs.len()];
        for &d in &shown {
            let doc = corpus.doc(d);
            if doc.released.is_none() {
                held[d.idx()] = Some(Cow::Borrowed(doc.text.as_str()));
            }
        }
        let clusters = result
            .clusters
            .iter()
            .enumerate()
            .map(|(i, c): (usize, &Cluster)| ClusterRecord {
                id: i,
                members: c.members.iter().map(|&d| id(d)).collect(),
                origin: id(c.origin),
                relation: c.relation,
            })
            .collect();
        let cited_sources = result
            .cited_sources
            .iter()
            .map(|c| CitedSourceRecord {
                name: &c.name,
                documents: c.documents.iter().map(|&d| id(d)).collect(),
            })
            .collect();
        let per_relation = Relation::ALL
            .iter()
            .map(|&r| {
                (
                    r,
                    result
                        .pairs
                        .iter()
                        .filter(|p| p.relation == Some(r))
                        .count(),
                )
            })
            .filter(|&(r, _)| params.wants(r))
            .collect();
        let mut stats = result.stats.clone();
        stats.seconds = (stats.seconds * 1e3).round() / 1e3;
        Ok(Report {
            version: REPORT_VERSION,
            params,
            documents,
            pairs,
            clusters,
            cited_sources,
            stats: StatsRecord {
                scan: stats,
                pairs: per_relation,
                skipped: corpus.skipped,
            },
            warnings: corpus.warnings.iter().chain(&result.warnings).collect(),
            texts: held,
            shown,
        })
    }

    /// Reads again the texts of documents in pairs that were let go during the scan, for the
    /// formats that show whole texts (HTML).
    pub fn load_texts(&mut self, corpus: &'a Corpus) -> Result<()> {
        let missing: Vec<DocId> = self
            .shown
            .iter()
            .copied()
            .filter(|d| self.texts[d.idx()].is_none())
            .collect();
        corpus.read_ahead(missing.iter().copied());
        for (d, text) in missing.iter().zip(texts(corpus, &missing)?) {
            self.texts[d.idx()] = Some(text);
        }
        Ok(())
    }
}

/// The texts of `docs`, in memory or read again (in parallel).
pub fn texts<'a>(corpus: &'a Corpus, docs: &[DocId]) -> Result<Vec<Cow<'a, str>>> {
    docs.par_iter().map(|&d| corpus.text(d)).collect()
}

/// `text[range]`, borrowed from the corpus when the text is held there.
fn slice<'a>(text: &Cow<'a, str>, range: [usize; 2]) -> Cow<'a, str> {
    match text {
        Cow::Borrowed(t) => Cow::Borrowed(&t[range[0]..range[1]]),
        Cow::Owned(t) => Cow::Owned(t[range[0]..range[1]].to_string()),
    }
}

impl Report<'_> {
    /// Marks the documents before `first_new` as loaded from the index (a `check`).
    pub fn mark_indexed(&mut self, first_new: usize) {
        for d in self.documents.iter_mut().take(first_new) {
            d.indexed = true;
        }
    }
}

impl<'a> PairRecord<'a> {
    /// The wire record of pair `p` of `corpus`, whose documents' texts are `ta` and `tb`.
    pub fn new(
        corpus: &'a Corpus,
        ta: &Cow<'a, str>,
        tb: &Cow<'a, str>,
        p: &'a PairReport,
    ) -> PairRecord<'a> {
        let (da, db) = (corpus.doc(p.a), corpus.doc(p.b));
        PairRecord {
            a: &da.id,
            b: &db.id,
            relation: p.relation,
            score: round(p.score),
            jaccard: round(p.jaccard),
            containment: p.containment.map(round),
            rewrite: p.rewrite.map(round),
            evidence: &p.evidence,
            passages: p
                .passages
                .iter()
                .map(|s| PassageRecord {
                    kind: s.kind,
                    a: s.a,
                    b: s.b,
                    words: s.words,
                    text: slice(ta, s.a),
                    b_text: (s.kind == PassageKind::Paraphrase).then(|| slice(tb, s.b)),
                })
                .collect(),
        }
    }
}
