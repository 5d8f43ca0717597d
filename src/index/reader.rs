//! Reads of an index: candidates for new documents, and the documents they name.

use super::*;

/// Read access for a check, outside a write transaction.
pub struct Reader<'a> {
    pub(super) conn: &'a Connection,
    pub(super) path: &'a Path,
    pub(super) params: &'a Params,
}

impl Reader<'_> {
    /// Indexed documents that may be related to any of `docs` (a text and its features): the
    /// same normalized text (when `duplicates` are looked for), a shared LSH band, or a shared
    /// passage key (`features::index_fingerprints`) held by at most `max_df` indexed
    /// documents. Returned sorted by their index order.
    pub fn candidates(&self, docs: &[(&str, &Features)], duplicates: bool) -> Result<Vec<i64>> {
        let map = |e| db(self.path, e);
        let params = self.params;
        let mut by_hash = self
            .conn
            .prepare_cached("SELECT doc FROM docs WHERE text_hash = ?1")
            .map_err(map)?;
        let mut by_band = self
            .conn
            .prepare_cached("SELECT doc FROM bands WHERE key = ?1")
            .map_err(map)?;
        let mut by_fp = self
            .conn
            .prepare_cached("SELECT doc FROM fingerprints WHERE key = ?1 LIMIT ?2")
            .map_err(map)?;
        let mut found: Vec<i64> = Vec::new();
        let mut collect =
            |st: &mut rusqlite::CachedStatement<'_>, args: &[&dyn rusqlite::ToSql], cap: usize| {
                let rows: Vec<i64> = st
                    .query_map(args, |r| r.get(0))
                    .and_then(|rows| rows.collect::<rusqlite::Result<_>>())
                    .at(self.path)?;
                if rows.len() <= cap {
                    found.extend(rows);
                }
                Ok::<(), Error>(())
            };
        for &(text, f) in docs {
            if duplicates {
                collect(&mut by_hash, &[&key(f.text_hash)], usize::MAX)?;
            }
            let keys = Keys::of(text, f, params);
            for &band in &keys.bands {
                collect(&mut by_band, &[&key(band)], usize::MAX)?;
            }
            for &fp in &keys.passages {
                let limit = (params.max_df + 1) as i64;
                collect(&mut by_fp, &[&key(fp), &limit], params.max_df)?;
            }
        }
        found.sort_unstable();
        found.dedup();
        Ok(found)
    }

    /// The indexed document with id `id`, if any.
    pub fn find(&self, id: &str) -> Result<Option<Document>> {
        let doc: Option<i64> = self
            .conn
            .query_row("SELECT doc FROM docs WHERE id = ?1", [id], |r| r.get(0))
            .optional()
            .at(self.path)?;
        Ok(match doc {
            Some(d) => self.load(&[d])?.pop(),
            None => None,
        })
    }

    /// The indexed documents `docs` (index order), with their original text.
    pub fn load(&self, docs: &[i64]) -> Result<Vec<Document>> {
        let mut st = self
            .conn
            .prepare_cached(
                "SELECT id, path, title, source, date, url, text FROM docs WHERE doc = ?1",
            )
            .at(self.path)?;
        docs.iter()
            .map(|&d| {
                let (doc, blob): (Document, Vec<u8>) = st
                    .query_row([d], |r| {
                        Ok((
                            Document {
                                id: r.get(0)?,
                                path: PathBuf::from(r.get::<_, String>(1)?),
                                line: None,
                                title: r.get(2)?,
                                source: r.get(3)?,
                                date: r.get(4)?,
                                url: r.get(5)?,
                                ..Document::default()
                            },
                            r.get(6)?,
                        ))
                    })
                    .at(self.path)?;
                let text = decompress(&blob, &doc.id, self.path)?;
                Ok(Document {
                    text: text.into(),
                    ..doc
                })
            })
            .collect()
    }
}

/// The stored text of document `id`, decompressed.
pub(super) fn decompress(blob: &[u8], id: &str, path: &Path) -> Result<String> {
    zstd::decode_all(blob)
        .ok()
        .and_then(|b| String::from_utf8(b).ok())
        .ok_or_else(|| Error::IndexCorrupt {
            path: path.into(),
            reason: format!("the text of {id:?} does not decompress"),
        })
}
