//! Page furniture found and blanked before the comparisons (see [`crate::features::boilerplate`]).

use super::*;

/// Finds the page furniture of the documents `docs` (see [`crate::features::boilerplate`])
/// and extracts again, from their texts with it blanked, the features of those that hold some
/// (the exact text hash and the LSH bands stay the original's: a copy is a copy, chrome and
/// all). Returns the furniture's ranges per document (empty when there is none) and how many
/// sentences are furniture.
pub(super) fn blank_furniture(
    corpus: &Corpus,
    docs: &[DocId],
    features: &mut [Features],
    params: &Params,
) -> Result<(Vec<Vec<[u32; 2]>>, usize)> {
    // Only the documents compared further count: copies of one page would make its every
    // sentence furniture.
    let sources: Vec<Option<u64>> = docs
        .iter()
        .map(|&d| boilerplate::source_key(corpus.doc(d)))
        .collect();
    let furniture = Furniture::find(
        sources
            .iter()
            .zip(docs)
            .map(|(&s, d)| (s, features[d.idx()].sentences.as_slice())),
    );
    let touched: Vec<(DocId, Option<u64>)> = docs
        .iter()
        .zip(&sources)
        .filter(|(d, s)| furniture.touches(**s, &features[d.idx()].sentences))
        .map(|(&d, &s)| (d, s))
        .collect();
    for f in features.iter_mut() {
        f.sentences = Vec::new();
    }
    if touched.is_empty() {
        return Ok((Vec::new(), 0));
    }
    let blanked_params = without_copies(params);
    let hasher = MinHasher::new(params.perm, params.seed);
    let again: Vec<(Vec<[u32; 2]>, Features)> = touched
        .par_iter()
        .map(|&(d, source)| {
            let text = corpus.text(d)?;
            let words = features[d.idx()].words;
            let page = (text.as_ref(), source, words);
            Ok(blanked_features(page, &furniture, &blanked_params, &hasher))
        })
        .collect::<Result<_>>()?;
    let mut blanked = vec![Vec::new(); features.len()];
    for (&(d, _), (ranges, f)) in touched.iter().zip(again) {
        // The copies' keys and the words stay those of the text as given: a copy is a copy,
        // chrome and all.
        let original = std::mem::replace(&mut features[d.idx()], f);
        let f = &mut features[d.idx()];
        f.text_hash = original.text_hash;
        f.bands = original.bands;
        f.words = original.words;
        // Found again with the rest, and no longer needed.
        f.sentences = Vec::new();
        blanked[d.idx()] = ranges;
    }
    Ok((blanked, furniture.len()))
}

/// `params` for extracting features again from a text with its furniture blanked: only what the
/// comparisons of furniture-free text use (the text hash and the LSH bands are kept from the
/// text as given).
pub(super) fn without_copies(params: &Params) -> Params {
    Params {
        relations: params
            .relations
            .iter()
            .copied()
            .filter(|r| matches!(r, Relation::Overlap | Relation::Rewrite))
            .collect(),
        ..params.clone()
    }
}

/// The features of a page (its text, its source and its words) extracted again with its
/// `furniture` blanked, with `params` from [`without_copies`], and the furniture's byte
/// ranges. A template page (more than half furniture) is all furniture, and has no features.
pub(super) fn blanked_features(
    (text, source, words): (&str, Option<u64>, u32),
    furniture: &Furniture,
    params: &Params,
    hasher: &MinHasher,
) -> (Vec<[u32; 2]>, Features) {
    let ranges = furniture.ranges(text, source);
    let f = Features::extract_with(&boilerplate::blank(text, &ranges), params, hasher);
    if boilerplate::is_template(f.words, words) {
        (vec![[0, text.len() as u32]], Features::default())
    } else {
        (ranges, f)
    }
}
