//! The stages of a scan spread over machines that look at one pair of documents
//! (`neardup verify`; `docs/SIGNATURES.md`). A distributed job has found the candidate pairs by
//! shuffling the documents' keys; each is verified here exactly as [`scan`] verifies it.

use super::*;

/// Verifies one candidate pair of documents `[a, b]` (`a` first in input order) as a scan
/// does: a `duplicate` pair (the same normalized text, `a` the first of its copies) is
/// reported as such, any other by [`Verifier::verify`]. Returns the two documents, for the
/// record, and the pair's report when a wanted relation holds.
///
/// Only the relations found from the two texts alone are verified: `overlap` and `rewrite`
/// read batch statistics (page furniture, document frequencies) that this stage is not given.
pub fn verify_pair(
    docs: [Document; 2],
    duplicate: bool,
    params: &Params,
) -> Result<(Corpus, Option<PairReport>)> {
    let corpus = Corpus {
        docs: docs.into(),
        options: params.input.clone(),
        ..Corpus::default()
    };
    let (a, b) = (DocId(0), DocId(1));
    if duplicate {
        return Ok((corpus, Some(verify::duplicate(a, b))));
    }
    if params.wants(Relation::Overlap) || params.wants(Relation::Rewrite) || params.all_pairs {
        return Err(crate::error::Error::Params(
            "verify: only duplicate and near-duplicate pairs are verified one at a time \
             (overlap and rewrite need the whole batch's statistics; --all-pairs compares \
             every pair)"
                .into(),
        ));
    }
    // Features are not read: the sets are shingled from the texts, and a scan keeps them only
    // for --all-pairs.
    let features = [Features::default(), Features::default()];
    let report = Verifier {
        texts: Texts::new(&corpus, &[]),
        features: &features,
        params,
    }
    .verify((a, b), None, None, false)?;
    Ok((corpus, report))
}
