//! Writes to an index: documents added and removed, inside one transaction each.

use super::*;

/// Read and write access inside one transaction.
pub struct Writer<'a> {
    pub(super) tx: &'a rusqlite::Transaction<'a>,
    pub(super) path: &'a Path,
    pub(super) params: &'a Params,
}

impl Writer<'_> {
    /// The reader view of this transaction.
    pub fn reader(&self) -> Reader<'_> {
        Reader {
            conn: self.tx,
            path: self.path,
            params: self.params,
        }
    }

    /// Adds documents (with their features) inside this transaction: all or none, when it
    /// commits. Ids already present are left as they are and reported. `now` is the ingestion
    /// time, seconds since the Unix epoch.
    pub fn add(&self, docs: &[(&Document, &Features)], now: i64) -> Result<Added> {
        insert(self.tx, docs, now, self.params).at(self.path)
    }
}

/// What [`Writer::add`] did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Added {
    /// Documents added.
    pub added: usize,
    /// Ids already in the index, left as they were.
    pub already_present: Vec<String>,
}

pub(super) fn insert(
    tx: &rusqlite::Transaction<'_>,
    docs: &[(&Document, &Features)],
    now: i64,
    params: &Params,
) -> rusqlite::Result<Added> {
    let mut out = Added::default();
    let mut exists = tx.prepare_cached("SELECT 1 FROM docs WHERE id = ?1")?;
    let mut doc_row = tx.prepare_cached(
        "INSERT INTO docs (id, path, title, source, date, url, added, words, text_hash, text)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    )?;
    // Keys are found from the texts on all cores before the writes, which are serial.
    let keys: Vec<Keys> = {
        use rayon::prelude::*;
        docs.par_iter()
            .map(|&(doc, f)| Keys::of(&doc.text, f, params))
            .collect()
    };
    let mut keyed: Vec<(i64, Keys)> = Vec::with_capacity(docs.len());
    for (&(doc, f), keys) in docs.iter().zip(keys) {
        if exists.exists([&doc.id])? {
            out.already_present.push(doc.id.clone());
            continue;
        }
        let text = zstd::encode_all(doc.text.as_bytes(), 3)
            .map_err(|e| rusqlite::Error::ToSqlConversionFailure(e.into()))?;
        doc_row.execute(params![
            doc.id,
            doc.place().to_string(),
            doc.title,
            doc.source,
            doc.date,
            doc.url,
            now,
            f.words,
            key(f.text_hash),
            text
        ])?;
        keyed.push((tx.last_insert_rowid(), keys));
        out.added += 1;
    }
    insert_keys(tx, &keyed)?;
    Ok(out)
}

/// What an index keys a document by: its LSH band keys and its passage keys
/// ([`crate::features::index_fingerprints`]). An empty document has none.
pub(super) struct Keys {
    pub(super) bands: Vec<u64>,
    pub(super) passages: Vec<u64>,
}

impl Keys {
    /// The keys of the document `text`, whose features are `f` (its passage keys found again
    /// from the text unless `f` was extracted for an index).
    pub(super) fn of(text: &str, f: &Features, params: &Params) -> Keys {
        if f.is_empty() {
            return Keys {
                bands: Vec::new(),
                passages: Vec::new(),
            };
        }
        Keys {
            bands: f.bands.clone(),
            passages: match &f.index_passages {
                Some(passages) => passages.clone(),
                None => crate::features::index_fingerprints(text, params),
            },
        }
    }
}

/// Inserts the keys of documents (by row). Keys are gathered and inserted in key order:
/// random-order inserts into a large B-tree touch a different page each time, sorted ones walk
/// it once.
pub(super) fn insert_keys(
    tx: &rusqlite::Transaction<'_>,
    docs: &[(i64, Keys)],
) -> rusqlite::Result<()> {
    let mut bands: Vec<(i64, i64)> = Vec::new();
    let mut fingerprints: Vec<(i64, i64)> = Vec::new();
    for (row, k) in docs {
        bands.extend(k.bands.iter().map(|&b| (key(b), *row)));
        fingerprints.extend(k.passages.iter().map(|&fp| (key(fp), *row)));
    }
    for (table, mut rows) in [("bands", bands), ("fingerprints", fingerprints)] {
        rows.sort_unstable();
        let mut st = tx.prepare_cached(&format!(
            "INSERT OR IGNORE INTO {table} (key, doc) VALUES (?1, ?2)"
        ))?;
        for (k, d) in rows {
            st.execute(params![k, d])?;
        }
    }
    Ok(())
}

/// Deletes a document and its keys. The key tables are keyed by `(key, doc)` for lookups; the
/// document's keys are recomputed from its stored text and deleted by that key, rather than
/// keeping a second index on `doc` or scanning the tables.
pub(super) fn delete_doc(
    tx: &rusqlite::Transaction<'_>,
    doc: i64,
    params: &Params,
) -> rusqlite::Result<()> {
    let blob: Vec<u8> =
        tx.query_row("SELECT text FROM docs WHERE doc = ?1", [doc], |r| r.get(0))?;
    let text = zstd::decode_all(blob.as_slice())
        .map_err(|e| rusqlite::Error::ToSqlConversionFailure(e.into()))?;
    let text = String::from_utf8_lossy(&text);
    let hasher = crate::sketch::MinHasher::new(params.perm, params.seed);
    let keys = Keys::of(
        &text,
        &Features::extract_for_index(&text, params, &hasher),
        params,
    );
    let mut band_row = tx.prepare_cached("DELETE FROM bands WHERE key = ?1 AND doc = ?2")?;
    for &band in &keys.bands {
        band_row.execute(params![key(band), doc])?;
    }
    let mut fp_row = tx.prepare_cached("DELETE FROM fingerprints WHERE key = ?1 AND doc = ?2")?;
    for &fp in &keys.passages {
        fp_row.execute(params![key(fp), doc])?;
    }
    tx.execute("DELETE FROM docs WHERE doc = ?1", [doc])?;
    Ok(())
}

impl Index {
    /// Removes documents by id; returns how many were found.
    pub fn remove(&mut self, ids: &[String]) -> Result<usize> {
        let path = self.path.clone();
        let (tx, params) = self.begin_write()?;
        let mut removed = 0;
        for id in ids {
            let doc: Option<i64> = tx
                .query_row("SELECT doc FROM docs WHERE id = ?1", [id], |r| r.get(0))
                .optional()
                .at(&path)?;
            if let Some(doc) = doc {
                delete_doc(&tx, doc, params).at(&path)?;
                removed += 1;
            }
        }
        tx.commit().at(&path)?;
        Ok(removed)
    }

    /// Removes documents added at or before `cutoff` (seconds since the Unix epoch).
    pub fn remove_added_until(&mut self, cutoff: i64) -> Result<usize> {
        let path = self.path.clone();
        let (tx, params) = self.begin_write()?;
        let docs: Vec<i64> = {
            let mut st = tx
                .prepare("SELECT doc FROM docs WHERE added <= ?1")
                .at(&path)?;
            st.query_map([cutoff], |r| r.get(0))
                .and_then(|rows| rows.collect::<rusqlite::Result<_>>())
                .at(&path)?
        };
        for &d in &docs {
            delete_doc(&tx, d, params).at(&path)?;
        }
        tx.commit().at(&path)?;
        Ok(docs.len())
    }
}
