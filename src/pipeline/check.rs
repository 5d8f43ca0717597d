//! `check`: new documents compared with an index and with each other.

use super::*;

/// What a check found: the documents it looked at (indexed ones it loaded first, then the new
/// ones) and the pairs that involve at least one new document.
#[derive(Debug)]
pub struct CheckResult {
    /// Indexed documents that were candidates, then the new documents.
    pub corpus: Corpus,
    /// The features of `corpus`, in order (their salient terms taken), for adding the new
    /// documents to the index without extracting them again.
    pub features: Vec<Features>,
    /// Index of the first new document in `corpus`.
    pub first_new: usize,
    /// New documents whose id was already indexed: compared in place of their indexed
    /// version, which is not compared with them.
    pub reindexed: Vec<String>,
    /// Pairs with a new document, clusters over them, counters.
    pub result: ScanResult,
}

impl CheckResult {
    /// Whether a document of `corpus` is one of the new ones.
    pub fn is_new(&self, d: DocId) -> bool {
        d.idx() >= self.first_new
    }

    /// For each document of `corpus`, whether it is new and in a pair of one of the
    /// `relations`: what a CI gate fails on.
    pub fn failing(&self, relations: &[Relation]) -> Vec<bool> {
        let mut failed = vec![false; self.corpus.docs.len()];
        for p in self
            .result
            .pairs
            .iter()
            .filter(|p| p.relation.is_some_and(|r| relations.contains(&r)))
        {
            for d in [p.a, p.b] {
                if self.is_new(d) {
                    failed[d.idx()] = true;
                }
            }
        }
        failed
    }
}

/// Compares `new` documents with the index and with each other.
///
/// The index proposes the indexed documents that share a normalized-text hash, an LSH band or a
/// passage fingerprint with a new one; those are loaded and scanned together with the new
/// documents exactly as `scan` would, and only pairs involving a new document are kept. So a
/// check reads a few rows per new document, whatever the size of the index, and reports the
/// same figures a scan of the two would.
pub fn check(
    index: &crate::index::Reader<'_>,
    new: Corpus,
    params: &Params,
    progress: &dyn Progress,
) -> Result<CheckResult> {
    let params = &params.clone().resolved()?;
    let started = Instant::now();
    let new_features = extract_for_index(&new.docs, params, progress);
    let refs: Vec<(&str, &Features)> = new
        .docs
        .iter()
        .zip(&new_features)
        .filter(|(_, f)| !f.is_empty())
        .map(|(d, f)| (d.text.as_str(), f))
        .collect();
    let candidates = index.candidates(&refs, params.wants(Relation::Duplicate))?;
    let new_ids: ahash::AHashSet<&str> = new.docs.iter().map(|d| d.id.as_str()).collect();
    let mut reindexed = Vec::new();
    let mut docs = Vec::new();
    for d in index.load(&candidates)? {
        if new_ids.contains(d.id.as_str()) {
            reindexed.push(d.id);
        } else {
            docs.push(d);
        }
    }
    reindexed.sort_unstable();
    let first_new = docs.len();
    let mut warnings = new.warnings;
    for id in &reindexed {
        let d = new
            .docs
            .iter()
            .find(|d| &d.id == id)
            .expect("a new document has this id");
        warnings.push(Warning {
            path: d.path.clone(),
            line: d.line,
            reason: format!(
                "id {id:?} is already indexed: compared in place of the indexed version"
            ),
        });
    }
    docs.extend(new.docs);
    let corpus = Corpus {
        docs,
        warnings,
        skipped: new.skipped,
        options: new.options,
        open_files: new.open_files,
    };

    let mut features = extract(&corpus.docs[..first_new], params, progress);
    features.extend(new_features);
    let mut result = scan_features(
        &corpus,
        &mut features,
        params,
        progress,
        started,
        "features",
    )?;
    result
        .pairs
        .retain(|p| p.a.idx() >= first_new || p.b.idx() >= first_new);
    result.clusters = cluster::clusters(&corpus, &result.pairs);
    result.cited_sources.retain_mut(|c| {
        c.documents.retain(|d| d.idx() >= first_new);
        !c.documents.is_empty()
    });
    result.stats.seconds = started.elapsed().as_secs_f64();
    Ok(CheckResult {
        corpus,
        features,
        first_new,
        reindexed,
        result,
    })
}

/// What a CI gate asks of a check against an index.
#[derive(Clone, Debug, Default)]
pub struct Gate {
    /// Relations a new document fails on.
    pub fail_on: Vec<Relation>,
    /// Add the new documents that passed, at this ingestion time (seconds since the Unix
    /// epoch), in the same transaction as the check.
    pub add_at: Option<i64>,
}

/// What [`check_index`] decided.
#[derive(Debug)]
pub struct GateResult {
    /// The check.
    pub checked: CheckResult,
    /// For each document of `checked.corpus`, whether it is new and failed.
    pub failed: Vec<bool>,
    /// What was added, when the gate adds.
    pub added: Option<crate::index::Added>,
}

/// [`check`] of `new` against `index` inside one transaction, judged by `gate`. `written` is
/// given the check before anything is added: a report that cannot be written (a bad path, a
/// full disk) adds nothing, and nothing is said to be added before it is.
pub fn check_index(
    index: &mut crate::index::Index,
    new: Corpus,
    params: &Params,
    gate: &Gate,
    written: &mut dyn FnMut(&CheckResult) -> Result<()>,
    progress: &dyn Progress,
) -> Result<GateResult> {
    index.require(params)?;
    let Some(now) = gate.add_at else {
        let checked = index.with_read_lock(|reader| check(reader, new, params, progress))?;
        written(&checked)?;
        let failed = checked.failing(&gate.fail_on);
        return Ok(GateResult {
            checked,
            failed,
            added: None,
        });
    };
    let mut new = Some(new);
    index.with_write_lock(|writer| {
        let new = new.take().expect("a write transaction runs its work once");
        let checked = check(&writer.reader(), new, params, progress)?;
        let failed = checked.failing(&gate.fail_on);
        let items: Vec<_> = (checked.first_new..checked.corpus.docs.len())
            .filter(|&i| !failed[i])
            .map(|i| (&checked.corpus.docs[i], &checked.features[i]))
            .collect();
        let added = writer.add(&items, now)?;
        written(&checked)?;
        Ok(GateResult {
            checked,
            failed,
            added: Some(added),
        })
    })
}
