//! Adding documents to an index: their features extracted and stored inside one write
//! transaction, from files read batch by batch or from documents in memory.

use std::path::{Path, PathBuf};

use super::*;
use crate::error::Error;
use crate::index::{Added, Index, RELATIONS, Writer};

/// Adds the documents in `paths` to the index at `index`, creating it with `params` (set to
/// the relations an index can answer) if it does not exist; an existing index must have been
/// built with the same settings ([`Index::require`]). `now` is the ingestion time, seconds
/// since the Unix epoch. Returns the corpus read (its texts let go, its warnings kept), what
/// was added, and the index.
///
/// Memory holds one batch's texts and features, not the whole input's. An error anywhere (a
/// bad record, a repeated id without `skip_invalid`) rolls the transaction back, so the index
/// is as it was; one this call created stays, empty: other runs may already hold it open, and
/// a removed file would take what they add with it.
pub fn add_to_index(
    index: &Path,
    paths: &[PathBuf],
    params: &Params,
    now: i64,
) -> Result<(Corpus, Added, Index)> {
    let ((corpus, added), index) = adding(index, params, |writer, params| {
        add_streamed(writer, paths, params, now)
    })?;
    Ok((corpus, added, index))
}

/// [`add_to_index`] of documents in memory (see [`crate::read::documents`]).
pub fn add_documents(
    index: &Path,
    corpus: &Corpus,
    params: &Params,
    now: i64,
) -> Result<(Added, Index)> {
    adding(index, params, |writer, params| {
        let features = extract_for_index(&corpus.docs, params, &crate::progress::NoProgress);
        let items: Vec<_> = corpus.docs.iter().zip(&features).collect();
        writer.add(&items, now)
    })
}

/// Opens (or creates) the index at `index` for `params` and runs `add` in a write transaction.
/// If another run replaces the file while this one waits for its lock, this one opens it
/// again and starts over, having written nothing.
fn adding<T>(
    index: &Path,
    params: &Params,
    mut add: impl FnMut(&Writer<'_>, &Params) -> Result<T>,
) -> Result<(T, Index)> {
    let params = &Params {
        relations: RELATIONS.to_vec(),
        ..params.clone()
    }
    .resolved()?;
    let mut existing = Index::open_made(index)?;
    if let Some(found) = &existing {
        found.require(params)?;
    }
    loop {
        let mut opened = match existing.take() {
            Some(found) => found,
            None => Index::open_or_create(index, params)?,
        };
        match opened.with_write_lock(|writer| add(writer, params)) {
            Ok(done) => return Ok((done, opened)),
            Err(Error::IndexReplaced { .. }) => continue,
            Err(e) => return Err(e),
        }
    }
}

/// Reads `paths` batch by batch and adds each batch through `writer`, letting its texts go
/// once they are stored.
fn add_streamed(
    writer: &Writer<'_>,
    paths: &[PathBuf],
    params: &Params,
    now: i64,
) -> Result<(Corpus, Added)> {
    let mut added = Added::default();
    // Ids met earlier in this input: a repeat is left to the reader's duplicate check (an
    // error, or a counted warning under `skip_invalid`), not reported as already indexed.
    let mut seen = std::collections::HashSet::new();
    let (corpus, _) = crate::read::inputs_with(paths, &params.input, &mut |corpus, from| {
        let batch = &mut corpus.docs[from..];
        let fresh: Vec<&Document> = batch.iter().filter(|d| seen.insert(d.id.clone())).collect();
        let features = extract_for_index(&fresh, params, &crate::progress::NoProgress);
        let items: Vec<_> = fresh.into_iter().zip(&features).collect();
        let a = writer.add(&items, now)?;
        added.added += a.added;
        added.already_present.extend(a.already_present);
        for doc in batch {
            doc.text = Default::default();
        }
        Ok(())
    })?;
    Ok((corpus, added))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Documents in memory go into an index as files do, and a repeated id is refused.
    #[test]
    fn documents_in_memory_are_added_and_checked() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("idx.db");
        let text = "the council met on tuesday to discuss the budget for next year and agreed";
        let corpus = Corpus::from_texts([("a", text), ("b", "another text of its own words")]);
        let params = Params::default();
        let (added, index) = add_documents(&path, &corpus, &params, 1).unwrap();
        assert_eq!(added.added, 2);
        assert_eq!(index.stats().unwrap().documents, 2);
        let doc = |id: &str, text: &str| Document {
            id: id.into(),
            text: text.into(),
            ..Document::default()
        };
        let repeated = vec![doc("x", text), doc("x", text)];
        assert!(crate::read::documents(repeated, &params.input).is_err());
    }
}
