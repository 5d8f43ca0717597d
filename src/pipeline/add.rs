//! Adding documents to an index: read batch by batch, each batch's features extracted and
//! stored inside one write transaction.

use std::path::{Path, PathBuf};

use super::*;
use crate::index::{Added, Index, RELATIONS};

/// Adds the documents in `paths` to the index at `index`, creating it with `params` (set to
/// the relations an index can answer) if it does not exist; an existing index must have been
/// built with the same settings ([`Index::require`]). `now` is the ingestion time, seconds
/// since the Unix epoch. Returns the corpus read (its texts let go, its warnings kept), what
/// was added, and the index.
///
/// Memory holds one batch's texts and features, not the whole input's. An error anywhere (a
/// bad record, a repeated id without `skip_invalid`) rolls the transaction back, so the index
/// is as it was; one this call created stays, empty: other runs may already hold it open, and
/// a removed file would take what they add with it. If another run replaces the file while
/// this one waits for its lock, this one opens it again and starts over, having written
/// nothing.
pub fn add_to_index(
    index: &Path,
    paths: &[PathBuf],
    params: &Params,
    now: i64,
) -> Result<(Corpus, Added, Index)> {
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
        match add_streamed(&mut opened, paths, params, now) {
            Ok((corpus, added)) => return Ok((corpus, added, opened)),
            Err(crate::error::Error::IndexReplaced { .. }) => continue,
            Err(e) => return Err(e),
        }
    }
}

/// Reads `paths` batch by batch and adds each batch inside one write transaction, letting its
/// texts go once they are stored.
fn add_streamed(
    index: &mut Index,
    paths: &[PathBuf],
    params: &Params,
    now: i64,
) -> Result<(Corpus, Added)> {
    index.with_write_lock(|writer| {
        let mut added = Added::default();
        // Ids met earlier in this input: a repeat is left to the reader's duplicate check (an
        // error, or a counted warning under `skip_invalid`), not reported as already indexed.
        let mut seen = std::collections::HashSet::new();
        let (corpus, _) = crate::read::inputs_with(paths, &params.input, &mut |corpus, from| {
            let batch = &mut corpus.docs[from..];
            let fresh: Vec<&Document> =
                batch.iter().filter(|d| seen.insert(d.id.clone())).collect();
            let features = extract(&fresh, params, &crate::progress::NoProgress);
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
    })
}
