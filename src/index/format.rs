//! The settings an index records, and the upgrade of files of older formats.

use super::*;

/// The settings that shape what an index stores; a run must use the same ones.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct IndexParams {
    /// Words per shingle.
    pub shingle: usize,
    /// MinHash values per signature.
    pub perm: usize,
    /// MinHash seed.
    pub seed: u64,
    /// LSH bands.
    pub bands: usize,
    /// LSH rows per band.
    pub rows: usize,
    /// Winnowing window of the passage fingerprints.
    pub winnow_window: usize,
    /// Normalization scheme.
    pub normalization: String,
}

impl IndexParams {
    /// The index settings of a run's parameters.
    pub fn of(p: &Params) -> IndexParams {
        IndexParams {
            shingle: p.shingle,
            perm: p.perm,
            seed: p.seed,
            bands: p.lsh.bands,
            rows: p.lsh.rows,
            winnow_window: p.winnow_window,
            normalization: p.normalization.clone(),
        }
    }

    /// The first setting that differs, as "name: index has X, this run Y".
    pub fn difference(&self, run: &IndexParams) -> Option<String> {
        let pairs = [
            (
                "shingle (--shingle)",
                self.shingle.to_string(),
                run.shingle.to_string(),
            ),
            ("perm (--perm)", self.perm.to_string(), run.perm.to_string()),
            ("seed (--seed)", self.seed.to_string(), run.seed.to_string()),
            (
                "LSH bands x rows (--threshold)",
                format!("{}x{}", self.bands, self.rows),
                format!("{}x{}", run.bands, run.rows),
            ),
            (
                "passage window (--min-overlap)",
                self.winnow_window.to_string(),
                run.winnow_window.to_string(),
            ),
            (
                "normalization",
                self.normalization.clone(),
                run.normalization.clone(),
            ),
        ];
        pairs
            .into_iter()
            .find(|(_, a, b)| a != b)
            .map(|(name, a, b)| format!("{name}: the index has {a}, this run {b}"))
    }
}

impl Index {
    /// Brings an index of an older format (see [`UPGRADABLE`]) to [`FORMAT_VERSION`], in place
    /// and in one transaction: every document's keys are recomputed from its stored text with
    /// the index's settings. Documents, metadata and ingestion times are kept; a crash leaves
    /// the old index. Returns the number of documents re-keyed, `None` if it was current.
    pub fn upgrade(path: &Path) -> Result<Option<usize>> {
        let (mut index, found) = Index::open_any_version(path)?;
        if found == FORMAT_VERSION {
            return Ok(None);
        }
        if !UPGRADABLE.contains(&found) {
            return Err(Error::IndexVersion {
                path: path.into(),
                found,
                expected: FORMAT_VERSION,
            });
        }
        let params = index.params.clone();
        let tx = index
            .conn
            .transaction_with_behavior(TransactionBehavior::Exclusive)
            .at(path)?;
        let stored: Vec<(i64, String, Vec<u8>)> = {
            let mut st = tx
                .prepare("SELECT doc, id, text FROM docs ORDER BY doc")
                .at(path)?;
            st.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
                .and_then(|rows| rows.collect::<rusqlite::Result<_>>())
                .at(path)?
        };
        let keyed: Vec<(u64, Keys)> = {
            use rayon::prelude::*;
            let hasher = crate::sketch::MinHasher::new(params.perm, params.seed);
            stored
                .par_iter()
                .map(|(_, id, blob)| {
                    let text = decompress(blob, id, path)?;
                    let f = Features::extract_for_index(&text, &params, &hasher);
                    Ok((f.text_hash, Keys::of(&text, &f, &params)))
                })
                .collect::<Result<_>>()?
        };
        tx.execute_batch("DELETE FROM bands; DELETE FROM fingerprints;")
            .at(path)?;
        let mut text_hash = tx
            .prepare("UPDATE docs SET text_hash = ?1 WHERE doc = ?2")
            .at(path)?;
        let mut docs = Vec::with_capacity(stored.len());
        for ((doc, _, _), (hash, keys)) in stored.iter().zip(keyed) {
            text_hash.execute(params![key(hash), doc]).at(path)?;
            docs.push((*doc, keys));
        }
        drop(text_hash);
        insert_keys(&tx, &docs).at(path)?;
        tx.execute(
            "UPDATE meta SET value = ?1 WHERE key = 'format_version'",
            [FORMAT_VERSION.to_string()],
        )
        .at(path)?;
        tx.commit().at(path)?;
        Ok(Some(stored.len()))
    }
}
