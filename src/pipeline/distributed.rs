//! The stages of a scan spread over machines that look at one document or one pair
//! (`neardup blank`, `neardup sketch`, `neardup verify`; `docs/SIGNATURES.md`). A distributed
//! job counts what the batch holds (page furniture, document frequencies of terms) and finds
//! the candidate pairs by shuffling the documents' keys; each document and pair is then handled
//! here exactly as [`scan`] handles it, given the counts that concern it.

use super::*;

/// The features of `doc` extracted again with its page furniture blanked, `furniture` being the
/// keys of its sentences that the batch makes furniture, and the furniture's byte ranges; as
/// [`scan`] extracts them (see `furniture.rs`).
pub fn blank_document(doc: &Document, furniture: Vec<u64>, params: &Params) -> (Vec<[u32; 2]>, Features) {
    let text = doc.text.as_str();
    let words = crate::normalize::words(text).len() as u32;
    let furniture = Furniture::of_units(furniture);
    let params = furniture::without_copies(params);
    // Bands are not extracted again, so the sketch is never read.
    let hasher = MinHasher::new(params.perm, params.seed);
    furniture::blanked_features((text, None, words), &furniture, &params, &hasher)
}

/// What a distributed job counted of the batch for one document or one pair, for rewrites:
/// the batch's size (the documents compared, copies left out) and how many of its documents
/// hold each term of the document or pair ([`DocFreq::of_terms`]; terms missing are held by
/// one document).
#[derive(Clone, Debug, Default)]
pub struct BatchCounts {
    /// Documents in the batch.
    pub n: u32,
    /// `(term key, documents holding it)`.
    pub df: Vec<(u64, u32)>,
    /// By kind, `Σ df` over all the batch's terms that two or more documents hold
    /// ([`DocFreq::holdings`]).
    pub holdings: [u64; 5],
}

/// The salient terms of `doc` with its furniture (byte ranges) blanked, as a scan weighs them.
fn terms_of(doc: &Document, furniture: &[[u32; 2]]) -> Vec<salient::Term> {
    let text = doc.text.as_str();
    let blanked;
    let text = if furniture.is_empty() {
        text
    } else {
        blanked = boilerplate::blank(text, furniture);
        &blanked
    };
    salient::terms_of_words(text, &crate::normalize::words(text))
}

/// The document frequencies of `batch` for the terms of `docs`.
fn doc_freq(batch: &BatchCounts, docs: &[&[salient::Term]]) -> DocFreq {
    let kinds: ahash::AHashMap<u64, Kind> = docs
        .iter()
        .flat_map(|terms| terms.iter().map(|t| (t.key(), t.kind())))
        .collect();
    let counted: Vec<(u64, u32, Kind)> = batch
        .df
        .iter()
        .filter_map(|&(key, df)| kinds.get(&key).map(|&kind| (key, df, kind)))
        .collect();
    DocFreq::of_terms(batch.n, batch.holdings, &counted)
}

/// The rewrite sketch of `doc` (its furniture blanked) in a batch counted as `batch`: its
/// heaviest rare terms and its pairs of heavy terms, as a scan finds them.
pub fn sketch_document(
    doc: &Document,
    furniture: &[[u32; 2]],
    batch: &BatchCounts,
    params: &Params,
) -> Sketch {
    let terms = terms_of(doc, furniture);
    let df = doc_freq(batch, &[&terms]);
    let max_df = crate::rewrite::MAX_SKETCH_DF as u32;
    Profile::with_sketch(&terms, &df, params.salient_sketch, max_df).1
}

/// What the rewrite verification of one pair needs beyond the two documents.
#[derive(Clone, Debug, Default)]
pub struct PairBatch {
    /// The batch's counts of both documents' terms.
    pub counts: BatchCounts,
    /// For each document, its sketch's pairs of terms that other documents hold too, with
    /// how many documents hold each, sorted by key.
    pub held: [Vec<(u64, u32)>; 2],
    /// Whether only salient terms proposed the pair.
    pub rewrite_only: bool,
}

/// Verifies one candidate pair of documents `[a, b]` (`a` first in input order) as a scan
/// does: a `duplicate` pair (the same normalized text, `a` the first of its copies) is
/// reported as such, any other by [`Verifier::verify`] with each document's page furniture
/// (byte ranges, [`blank_document`]) blanked. Returns the two documents, for the record, and
/// the pair's report when a wanted relation holds.
///
/// When the scan looks for rewrites, `batch` holds what the batch counted for the pair.
pub fn verify_pair(
    docs: [Document; 2],
    duplicate: bool,
    furniture: [Vec<[u32; 2]>; 2],
    batch: Option<&PairBatch>,
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
    if params.all_pairs {
        return Err(crate::error::Error::Params(
            "verify: --all-pairs compares every pair, not candidates".into(),
        ));
    }
    if params.wants(Relation::Rewrite) && batch.is_none() {
        return Err(crate::error::Error::Params(
            "verify: rewrites need the batch's counts of the pair's terms".into(),
        ));
    }
    let batch = batch.filter(|_| params.wants(Relation::Rewrite));
    let scoring = batch.map(|b| {
        let terms = [
            terms_of(&corpus.docs[0], &furniture[0]),
            terms_of(&corpus.docs[1], &furniture[1]),
        ];
        let df = doc_freq(&b.counts, &[&terms[0], &terms[1]]);
        let max_df = crate::rewrite::MAX_SKETCH_DF as u32;
        let profiles = [0, 1].map(|i| {
            let (mut profile, sketch) =
                Profile::with_sketch(&terms[i], &df, params.salient_sketch, max_df);
            profile.co = sketch.co_held(&b.held[i]);
            profile
        });
        (df, profiles, b.rewrite_only)
    });
    // Features are not read: the sets are shingled from the texts, and a scan keeps them only
    // for --all-pairs.
    let features = [Features::default(), Features::default()];
    let blanked: Vec<Vec<[u32; 2]>> = furniture.into();
    let report = Verifier {
        texts: Texts::new(&corpus, &blanked),
        features: &features,
        params,
        bounds: None,
    }
    .verify(
        (a, b),
        &First::default(),
        scoring.as_ref().map(|(df, [pa, pb], _)| Scored {
            similarity: crate::rewrite::similarity(pa, pb),
            df,
            a: pa,
            b: pb,
        }),
        scoring.as_ref().is_some_and(|s| s.2),
    )?;
    Ok((corpus, report))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A document's sketch from the batch's counts of its own terms is the one a scan finds
    /// with the whole batch's table.
    #[test]
    fn a_sketch_from_the_counts_of_its_terms_is_the_batchs() {
        let texts = [
            "Anna Evstigneeva told the UN Security Council in Kunduz that 23,000 fighters crossed.",
            "Evstigneeva warned the Security Council about 23,000 fighters around Kunduz.",
            "The Security Council met in New York on Tuesday to discuss Kunduz and Mosul.",
            "Officials in Mosul said 4,000 militants were active, Reuters reported on Tuesday.",
        ];
        let corpus = Corpus::from_texts(texts.iter().enumerate().map(|(i, t)| (i.to_string(), *t)));
        let params = Params::default().resolved().unwrap();
        let terms: Vec<Vec<salient::Term>> = texts
            .iter()
            .map(|t| salient::terms_of_words(t, &crate::normalize::words(t)))
            .collect();
        let refs: Vec<&[salient::Term]> = terms.iter().map(Vec::as_slice).collect();
        let df = DocFreq::new(&refs);
        let max_df = crate::rewrite::MAX_SKETCH_DF as u32;
        for (doc, t) in corpus.docs.iter().zip(&terms) {
            let counts = BatchCounts {
                n: texts.len() as u32,
                df: t.iter().map(|t| (t.key(), df.df(t.key()))).collect(),
                holdings: df.holdings(),
            };
            let expected = Profile::with_sketch(t, &df, params.salient_sketch, max_df).1;
            assert_eq!(sketch_document(doc, &[], &counts, &params), expected);
        }
    }
}
