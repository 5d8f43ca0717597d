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

/// What the batch counted of one document's terms, for rewrites.
#[derive(Clone, Debug, Default)]
pub struct TermCounts {
    /// `(term key, documents holding it)` for its terms that two or more documents hold.
    pub df: Vec<(u64, u32)>,
    /// Its sketch's pairs of terms that other documents hold too, with how many documents
    /// hold each, sorted by key.
    pub held: Vec<(u64, u32)>,
}

/// One candidate partner of a document: the later document of a pair.
#[derive(Clone, Debug)]
pub struct Partner {
    /// The document.
    pub doc: Document,
    /// Whether the two have the same normalized text, the first document being the first of
    /// the copies.
    pub duplicate: bool,
    /// Its page furniture, as byte ranges ([`blank_document`]).
    pub furniture: Vec<[u32; 2]>,
    /// For rewrites: what the batch counted of its terms.
    pub counts: TermCounts,
    /// Whether only salient terms proposed the pair.
    pub rewrite_only: bool,
}

/// Verifies the candidate pairs of one document `a` (first in input order in each) with each
/// of `partners`, as a scan does: a `duplicate` pair is reported as such, any other by
/// [`Verifier::verify`] with each document's page furniture (`furniture`, byte ranges) blanked.
/// `a`'s terms are extracted and weighed once for all its partners. Returns the documents (`a`
/// first, then the partners in order), for the records, and the report of each pair (`a` with
/// partner `i`, `DocId(i + 1)`) that a wanted relation holds.
///
/// When the scan looks for rewrites, `batch` holds what the batch counted of `a`'s terms and
/// its sketch's term pairs that other documents hold ([`TermCounts::held`]); each partner's
/// counts are its own.
pub fn verify_group(
    a: (Document, Vec<[u32; 2]>),
    batch: Option<(BatchCounts, Vec<(u64, u32)>)>,
    partners: Vec<Partner>,
    params: &Params,
) -> Result<(Corpus, Vec<PairReport>)> {
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
    let mut furniture = vec![a.1];
    let mut docs = vec![a.0];
    let mut flags = Vec::with_capacity(partners.len());
    let mut held = Vec::with_capacity(partners.len() + 1);
    let mut counted = Vec::new();
    let batch = batch.map(|(mut b, own_held)| {
        counted = std::mem::take(&mut b.df);
        held.push(own_held);
        b
    });
    for p in partners {
        docs.push(p.doc);
        furniture.push(p.furniture);
        flags.push((p.duplicate, p.rewrite_only));
        counted.extend(p.counts.df);
        held.push(p.counts.held);
    }
    let corpus = Corpus {
        docs,
        options: params.input.clone(),
        ..Corpus::default()
    };
    // One table for the group: ids sort as keys do in any table, so each pair's similarity
    // adds the same weights in the same order as with a table of the pair's terms alone.
    let scoring = batch.map(|b| {
        let terms: Vec<Vec<salient::Term>> = corpus
            .docs
            .iter()
            .zip(&furniture)
            .map(|(d, f)| terms_of(d, f))
            .collect();
        let refs: Vec<&[salient::Term]> = terms.iter().map(Vec::as_slice).collect();
        let counts = BatchCounts {
            n: b.n,
            df: counted,
            holdings: b.holdings,
        };
        let df = doc_freq(&counts, &refs);
        let max_df = crate::rewrite::MAX_SKETCH_DF as u32;
        let profiles: Vec<Profile> = terms
            .iter()
            .zip(&held)
            .map(|(t, held)| {
                let (mut profile, sketch) =
                    Profile::with_sketch(t, &df, params.salient_sketch, max_df);
                profile.co = sketch.co_held(held);
                profile
            })
            .collect();
        (df, profiles)
    });
    // Features are not read: the sets are shingled from the texts, and a scan keeps them only
    // for --all-pairs.
    let features = vec![Features::default(); corpus.docs.len()];
    let verifier = Verifier {
        texts: Texts::new(&corpus, &furniture),
        features: &features,
        params,
    };
    let mut reports = Vec::new();
    for (i, &(duplicate, rewrite_only)) in flags.iter().enumerate() {
        let (a, b) = (DocId(0), DocId(i as u32 + 1));
        if duplicate {
            reports.push(verify::duplicate(a, b));
            continue;
        }
        let scored = scoring.as_ref().map(|(df, profiles)| {
            let (pa, pb) = (&profiles[0], &profiles[i + 1]);
            Scored {
                similarity: crate::rewrite::similarity(pa, pb),
                df,
                a: pa,
                b: pb,
            }
        });
        reports.extend(verifier.verify((a, b), None, scored, rewrite_only)?);
    }
    Ok((corpus, reports))
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXTS: [&str; 4] = [
        "Anna Evstigneeva told the UN Security Council in Kunduz that 23,000 fighters crossed.",
        "Evstigneeva warned the Security Council about 23,000 fighters around Kunduz.",
        "The Security Council met in New York on Tuesday to discuss Kunduz and Mosul.",
        "Officials in Mosul said 4,000 militants were active, Reuters reported on Tuesday.",
    ];

    /// The batch's table of [`TEXTS`], each document's counts of its own terms and the corpus.
    fn batch() -> (DocFreq, Vec<BatchCounts>, Corpus) {
        let corpus = Corpus::from_texts(TEXTS.iter().enumerate().map(|(i, t)| (i.to_string(), *t)));
        let terms: Vec<Vec<salient::Term>> = TEXTS
            .iter()
            .map(|t| salient::terms_of_words(t, &crate::normalize::words(t)))
            .collect();
        let refs: Vec<&[salient::Term]> = terms.iter().map(Vec::as_slice).collect();
        let df = DocFreq::new(&refs);
        let counts = terms
            .iter()
            .map(|t| BatchCounts {
                n: TEXTS.len() as u32,
                df: t.iter().map(|t| (t.key(), df.df(t.key()))).filter(|c| c.1 > 1).collect(),
                holdings: df.holdings(),
            })
            .collect();
        (df, counts, corpus)
    }

    /// A document's sketch from the batch's counts of its own terms is the one a scan finds
    /// with the whole batch's table.
    #[test]
    fn a_sketch_from_the_counts_of_its_terms_is_the_batchs() {
        let (df, counts, corpus) = batch();
        let params = Params::default().resolved().unwrap();
        let max_df = crate::rewrite::MAX_SKETCH_DF as u32;
        for ((doc, counts), text) in corpus.docs.iter().zip(&counts).zip(TEXTS) {
            let t = salient::terms_of_words(text, &crate::normalize::words(text));
            let expected = Profile::with_sketch(&t, &df, params.salient_sketch, max_df).1;
            assert_eq!(sketch_document(doc, &[], counts, &params), expected);
        }
    }

    /// A document verified with all its partners at once reports each pair as it does with the
    /// partner alone: one table for the group weighs every pair as a table of the pair's terms.
    #[test]
    fn a_group_reports_each_pair_as_the_pair_alone() {
        let (_, counts, corpus) = batch();
        let params = Params::default().resolved().unwrap();
        let own = |i: usize| TermCounts {
            df: counts[i].df.clone(),
            held: Vec::new(),
        };
        let partner = |i: usize| Partner {
            doc: corpus.docs[i].clone(),
            duplicate: false,
            furniture: Vec::new(),
            counts: own(i),
            rewrite_only: false,
        };
        let group = |partners: Vec<Partner>| {
            let a = (corpus.docs[0].clone(), Vec::new());
            verify_group(a, Some((counts[0].clone(), Vec::new())), partners, &params).unwrap().1
        };
        let together = group((1..4).map(partner).collect());
        assert!(!together.is_empty());
        let mut alone = Vec::new();
        for i in 1..4 {
            alone.extend(group(vec![partner(i)]).into_iter().map(|mut p| {
                p.b = DocId(i as u32);
                p
            }));
        }
        assert_eq!(together, alone);
    }
}
