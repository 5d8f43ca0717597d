//! The `neardup._neardup` extension: thin calls into the neardup library. Documents come in
//! as `(id, text, title, source, date, url)` tuples or a path, results go out as the JSON
//! records of the CLI's reports, which `neardup/__init__.py` wraps. Every long call releases
//! the GIL.

use std::path::PathBuf;
use std::time::Duration;

use neardup::index::Index;
use neardup::report::PairRecord;
use neardup::{Corpus, Document, Error, NoProgress, Params, ReadOptions, Relation, Report};
use pyo3::exceptions::{PyOSError, PyRuntimeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict};

/// One document as the Python side hands it over.
type Doc = (
    String,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
);

/// The Python exception for a neardup error: `ValueError` for a bad parameter or bad input
/// (the message names the parameter, or the document and line), `OSError` for a file that
/// cannot be read or written, `RuntimeError` for an index that cannot be used.
fn raise(e: Error) -> PyErr {
    let message = e.to_string();
    match e {
        Error::Params(_) | Error::Input { .. } => PyValueError::new_err(message),
        Error::Io { .. } => PyOSError::new_err(message),
        _ => PyRuntimeError::new_err(message),
    }
}

/// The JSON of a report record: plain data, whose serialization cannot fail.
fn json(record: &impl serde::Serialize) -> String {
    serde_json::to_string(record).expect("report records serialize")
}

/// Runs `work` on a thread of its own while this one, the GIL released between looks, checks
/// for Ctrl-C every 20 ms: an interrupt raises `KeyboardInterrupt` at once. The work then
/// finishes in the background and its result is dropped: an index it was writing is committed
/// or rolled back whole, as when a process is killed.
fn interruptible<T: Send + 'static>(
    py: Python<'_>,
    work: impl FnOnce() -> neardup::Result<T> + Send + 'static,
) -> PyResult<T> {
    let handle = std::thread::spawn(work);
    while !handle.is_finished() {
        py.detach(|| std::thread::sleep(Duration::from_millis(20)));
        py.check_signals()?;
    }
    handle
        .join()
        .map_err(|_| PyRuntimeError::new_err("neardup panicked; please report it"))?
        .map_err(raise)
}

/// Parameters from the keyword arguments the Python functions pass on, with the CLI's names
/// and defaults; `base` for what is not given.
fn params(kwargs: Option<&Bound<'_, PyDict>>, base: Params) -> PyResult<Params> {
    let mut p = base;
    let Some(kwargs) = kwargs else {
        return p.resolved().map_err(raise);
    };
    for (key, value) in kwargs.iter() {
        let key: String = key.extract()?;
        if value.is_none() {
            continue;
        }
        match key.as_str() {
            "relations" => {
                let names: Vec<String> = value.extract()?;
                p.relations = names
                    .iter()
                    .map(|n| n.parse::<Relation>())
                    .collect::<Result<_, _>>()
                    .map_err(|e| PyValueError::new_err(format!("relations: {e}")))?;
            }
            "threshold" => p.threshold = value.extract()?,
            "shingle" => p.shingle = value.extract()?,
            "perm" => p.perm = value.extract()?,
            "seed" => p.seed = value.extract()?,
            "min_overlap" => p.min_overlap = value.extract()?,
            "containment" => p.containment = value.extract()?,
            "rewrite_probability" => p.rewrite_probability = value.extract()?,
            "rewrite_min_similarity" => p.rewrite_min_similarity = value.extract()?,
            "max_df" => p.max_df = value.extract()?,
            "all_pairs" => p.all_pairs = value.extract()?,
            "id_field" => p.input.id_field = value.extract()?,
            "text_field" => p.input.text_field = value.extract()?,
            "skip_invalid" => p.input.skip_invalid = value.extract()?,
            "strict" => p.input.strict = value.extract()?,
            other => {
                return Err(PyValueError::new_err(format!(
                    "unknown parameter {other:?}"
                )));
            }
        }
    }
    p.resolved().map_err(raise)
}

/// The corpus of `docs`, checked as files are (a repeated id is an error naming it).
fn corpus(docs: Vec<Doc>, read: &ReadOptions) -> neardup::Result<Corpus> {
    let docs = docs
        .into_iter()
        .map(|(id, text, title, source, date, url)| Document {
            path: PathBuf::from(&id),
            id,
            text: text.into(),
            title,
            source,
            date,
            url,
            ..Document::default()
        })
        .collect();
    neardup::read::documents(docs, read)
}

/// Reads `path` (a file or folder) or takes `docs`.
fn inputs(path: Option<String>, docs: Vec<Doc>, read: &ReadOptions) -> neardup::Result<Corpus> {
    match path {
        Some(path) => neardup::read::inputs(&[PathBuf::from(path)], read),
        None => corpus(docs, read),
    }
}

fn report_json(
    corpus: &Corpus,
    params: &Params,
    result: &neardup::ScanResult,
) -> neardup::Result<String> {
    let report = Report::new(corpus, params, result)?;
    Ok(json(&report))
}

/// Scans `docs` or the documents at `path`; the JSON report.
#[pyfunction]
#[pyo3(signature = (path, docs, **kwargs))]
fn scan(
    py: Python<'_>,
    path: Option<String>,
    docs: Vec<Doc>,
    kwargs: Option<&Bound<'_, PyDict>>,
) -> PyResult<String> {
    let params = params(kwargs, Params::default())?;
    interruptible(py, move || {
        let corpus = inputs(path, docs, &params.input)?;
        let result = neardup::scan(&corpus, &params, &NoProgress)?;
        report_json(&corpus, &params, &result)
    })
}

/// The pair record of two documents, related or not.
#[pyfunction]
#[pyo3(signature = (a, b, **kwargs))]
fn compare(py: Python<'_>, a: Doc, b: Doc, kwargs: Option<&Bound<'_, PyDict>>) -> PyResult<String> {
    let params = params(kwargs, Params::default())?;
    py.detach(|| {
        let corpus = corpus(vec![a, b], &params.input)?;
        let pair = neardup::compare(&corpus.docs[0], &corpus.docs[1], &params)?;
        let texts = neardup::report::texts(&corpus, &[pair.a, pair.b])?;
        let record = PairRecord::new(&corpus, &texts[0], &texts[1], &pair);
        Ok(json(&record))
    })
    .map_err(raise)
}

/// MinHash signatures of `texts`, `perm` little-endian `u32`s each, text after text.
#[pyfunction]
#[pyo3(signature = (texts, **kwargs))]
fn signatures<'py>(
    py: Python<'py>,
    texts: Vec<String>,
    kwargs: Option<&Bound<'_, PyDict>>,
) -> PyResult<Bound<'py, PyBytes>> {
    let params = params(kwargs, Params::default())?;
    let values = py
        .detach(|| {
            let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
            neardup::signatures(&refs, &params)
        })
        .map_err(raise)?;
    let bytes: Vec<u8> = values.iter().flat_map(|v| v.to_le_bytes()).collect();
    Ok(PyBytes::new(py, &bytes))
}

/// Pairs of signatures (`perm` `u32`s each, given as their bytes) sharing an LSH band at the
/// banding of `threshold`.
#[pyfunction]
fn lsh_candidates(
    py: Python<'_>,
    signatures: &[u8],
    perm: usize,
    threshold: f64,
) -> PyResult<Vec<(u32, u32)>> {
    if !signatures.len().is_multiple_of(4) {
        return Err(PyValueError::new_err(
            "signatures: not a whole number of uint32 values",
        ));
    }
    let values: Vec<u32> = signatures
        .chunks_exact(4)
        .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
        .collect();
    py.detach(|| neardup::lsh_candidates(&values, perm, threshold))
        .map_err(raise)
}

/// An index file, as the CLI's `index` and `check` commands use it.
#[pyclass(name = "_Index")]
struct PyIndex {
    path: PathBuf,
}

#[pymethods]
impl PyIndex {
    #[new]
    fn new(path: PathBuf) -> PyIndex {
        PyIndex { path }
    }

    /// Adds documents; `(added, already_present)`.
    #[pyo3(signature = (path, docs, now, **kwargs))]
    fn add(
        &self,
        py: Python<'_>,
        path: Option<String>,
        docs: Vec<Doc>,
        now: i64,
        kwargs: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<(usize, Vec<String>)> {
        let base = Index::open_made(&self.path)
            .map_err(raise)?
            .map_or_else(Params::default, |i| i.params().clone());
        let params = params(kwargs, base)?;
        let index = self.path.clone();
        interruptible(py, move || {
            let corpus = inputs(path, docs, &params.input)?;
            let (added, _) = neardup::add_documents(&index, &corpus, &params, now)?;
            Ok((added.added, added.already_present))
        })
    }

    /// Checks documents against the index; `(report JSON, failed, added)`.
    #[pyo3(signature = (path, docs, add_at, fail_on, **kwargs))]
    fn check(
        &self,
        py: Python<'_>,
        path: Option<String>,
        docs: Vec<Doc>,
        add_at: Option<i64>,
        fail_on: Option<Vec<String>>,
        kwargs: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<(String, bool, usize)> {
        let mut index = Index::open(&self.path).map_err(raise)?;
        let base = Params {
            relations: neardup::index::RELATIONS.to_vec(),
            ..index.params().clone()
        };
        let params = params(kwargs, base)?;
        let fail_on: Vec<Relation> = match fail_on {
            Some(names) => names
                .iter()
                .map(|n| n.parse())
                .collect::<Result<_, _>>()
                .map_err(|e| PyValueError::new_err(format!("fail_on: {e}")))?,
            None => neardup::index::RELATIONS.to_vec(),
        };
        interruptible(py, move || {
            let corpus = inputs(path, docs, &params.input)?;
            let gate = neardup::Gate { fail_on, add_at };
            let mut out = String::new();
            let mut written = |checked: &neardup::CheckResult| -> neardup::Result<()> {
                let mut report = Report::new(&checked.corpus, &params, &checked.result)?;
                report.mark_indexed(checked.first_new);
                out = json(&report);
                Ok(())
            };
            let judged = neardup::check_index(
                &mut index,
                corpus,
                &params,
                &gate,
                &mut written,
                &NoProgress,
            )?;
            let failed = judged.failed.iter().any(|&f| f);
            Ok((out, failed, judged.added.map_or(0, |a| a.added)))
        })
    }

    /// Removes documents by id; how many were removed.
    fn remove(&self, py: Python<'_>, ids: Vec<String>) -> PyResult<usize> {
        py.detach(|| Index::open(&self.path)?.remove(&ids))
            .map_err(raise)
    }

    /// Removes the documents added at or before `cutoff` (seconds since the Unix epoch).
    fn remove_added_until(&self, py: Python<'_>, cutoff: i64) -> PyResult<usize> {
        py.detach(|| Index::open(&self.path)?.remove_added_until(cutoff))
            .map_err(raise)
    }

    /// The index's counters, as `neardup index stats --json` prints them.
    fn stats(&self, py: Python<'_>) -> PyResult<String> {
        let stats = py
            .detach(|| Index::open(&self.path)?.stats())
            .map_err(raise)?;
        Ok(json(&stats))
    }
}

#[pymodule]
fn _neardup(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add_function(wrap_pyfunction!(scan, m)?)?;
    m.add_function(wrap_pyfunction!(compare, m)?)?;
    m.add_function(wrap_pyfunction!(signatures, m)?)?;
    m.add_function(wrap_pyfunction!(lsh_candidates, m)?)?;
    m.add_class::<PyIndex>()?;
    Ok(())
}
