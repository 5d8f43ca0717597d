//! The stages of a scan spread over machines that look at one document or one pair
//! (`neardup blank`, `neardup verify`; `docs/SIGNATURES.md`). A distributed job counts what
//! the batch holds (page furniture) and finds the candidate pairs by shuffling the documents'
//! keys; each document and pair is then handled here exactly as [`scan`] handles it.

use super::*;

/// The features of `doc` extracted again with its page furniture blanked, `furniture` being the
/// keys of its sentences that the batch makes furniture, and the furniture's byte ranges; as
/// [`scan`] extracts them (see `furniture.rs`).
pub fn blank_document(doc: &Document, furniture: Vec<u64>, params: &Params) -> (Vec<[u32; 2]>, Features) {
    let text = doc.text.as_str();
    let words = crate::normalize::words(text).len() as u32;
    let furniture = Furniture::of_units(furniture);
    furniture::blanked_features(text, &furniture, None, words, params)
}

/// Verifies one candidate pair of documents `[a, b]` (`a` first in input order) as a scan
/// does: a `duplicate` pair (the same normalized text, `a` the first of its copies) is
/// reported as such, any other by [`Verifier::verify`] with each document's page furniture
/// (byte ranges, [`blank_document`]) blanked. Returns the two documents, for the record, and
/// the pair's report when a wanted relation holds.
///
/// Rewrites are not verified: their decision reads the whole batch's document frequencies,
/// which this stage is not given.
pub fn verify_pair(
    docs: [Document; 2],
    duplicate: bool,
    furniture: [Vec<[u32; 2]>; 2],
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
    if params.wants(Relation::Rewrite) || params.all_pairs {
        return Err(crate::error::Error::Params(
            "verify: rewrites are not verified one pair at a time (their decision needs the \
             whole batch's document frequencies), nor is --all-pairs (which compares every \
             pair)"
                .into(),
        ));
    }
    // Features are not read: the sets are shingled from the texts, and a scan keeps them only
    // for --all-pairs.
    let features = [Features::default(), Features::default()];
    let blanked: Vec<Vec<[u32; 2]>> = furniture.into();
    let report = Verifier {
        texts: Texts::new(&corpus, &blanked),
        features: &features,
        params,
    }
    .verify((a, b), None, None, false)?;
    Ok((corpus, report))
}
