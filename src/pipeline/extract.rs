//! Feature extraction for a scan: in parallel, once per distinct text, as the inputs are read.

use super::*;

/// The features of `docs` (documents or references to them), in parallel, in order, with the
/// MinHash sketch built once.
pub fn extract<D: std::borrow::Borrow<Document> + Sync>(
    docs: &[D],
    params: &Params,
    progress: &dyn Progress,
) -> Vec<Features> {
    extract_as(docs, params, progress, false)
}

/// [`extract`], with the passage keys an index stores ([`Features::extract_for_index`]).
pub fn extract_for_index<D: std::borrow::Borrow<Document> + Sync>(
    docs: &[D],
    params: &Params,
    progress: &dyn Progress,
) -> Vec<Features> {
    extract_as(docs, params, progress, true)
}

fn extract_as<D: std::borrow::Borrow<Document> + Sync>(
    docs: &[D],
    params: &Params,
    progress: &dyn Progress,
    for_index: bool,
) -> Vec<Features> {
    progress.stage("features", docs.len() as u64);
    let mut features = Vec::with_capacity(docs.len());
    Extractor::new(params, for_index).extend(&mut features, docs, progress);
    features
}

/// Extracts features batch after batch, once per distinct text: a text repeated byte for byte
/// (a crawl's copies of one page, a wire story run unchanged) takes a copy of the features of
/// its first occurrence, which are a pure function of the text. Texts are told apart by their
/// 128-bit xxh3, whose collisions are negligible, so a first occurrence whose text was already
/// let go still serves its copies.
pub(super) struct Extractor<'p> {
    params: &'p Params,
    hasher: MinHasher,
    /// Whether the features are extracted for an index ([`Features::extract_for_index`]).
    for_index: bool,
    /// Position in the features of each distinct text seen so far.
    first: ahash::AHashMap<u128, usize>,
}

impl<'p> Extractor<'p> {
    fn new(params: &'p Params, for_index: bool) -> Extractor<'p> {
        Extractor {
            params,
            hasher: MinHasher::new(params.perm, params.seed),
            for_index,
            first: ahash::AHashMap::new(),
        }
    }

    /// Appends the features of `docs` to `features`, which holds those of the documents before.
    fn extend<D: std::borrow::Borrow<Document> + Sync>(
        &mut self,
        features: &mut Vec<Features>,
        docs: &[D],
        progress: &dyn Progress,
    ) {
        let base = features.len();
        let hashes: Vec<u128> = docs
            .par_iter()
            .map(|d| xxhash_rust::xxh3::xxh3_128(d.borrow().text.bytes()))
            .collect();
        // In input order, so that the first occurrence is the same at any thread count.
        let copy_of: Vec<Option<usize>> = hashes
            .iter()
            .enumerate()
            .map(|(i, &h)| match self.first.entry(h) {
                std::collections::hash_map::Entry::Occupied(e) => Some(*e.get()),
                std::collections::hash_map::Entry::Vacant(e) => {
                    e.insert(base + i);
                    None
                }
            })
            .collect();
        let (params, hasher) = (self.params, &self.hasher);
        let extract = if self.for_index {
            Features::extract_for_index
        } else {
            Features::extract_with
        };
        features.par_extend(docs.par_iter().zip(&copy_of).map(|(d, copy)| {
            let f = if copy.is_some() {
                Features::default()
            } else {
                extract(&d.borrow().text, params, hasher)
            };
            progress.inc(1);
            f
        }));
        for (i, copy) in copy_of.into_iter().enumerate() {
            if let Some(from) = copy {
                features[base + i] = features[from].clone();
            }
        }
    }
}

/// Reads `paths`, extracting each batch's features as it arrives. Once the texts held exceed
/// `max_text_bytes`, every text that can be read again from its file is let go as soon as its
/// features are known (see [`Corpus::text`]): memory then holds, per document, its features
/// and metadata rather than its text, and verification and the report read the texts of the
/// pairs they show again. Standard input and compressed files keep their texts. Below the
/// bound nothing is read twice.
pub fn read_and_extract(
    paths: &[std::path::PathBuf],
    params: &Params,
    max_text_bytes: usize,
    progress: &dyn Progress,
) -> Result<(Corpus, Vec<Features>)> {
    progress.stage("features", 0);
    let mut extractor = Extractor::new(params, false);
    let mut features: Vec<Features> = Vec::new();
    let mut held = 0usize;
    let mut releasing = false;
    let (corpus, dropped) = crate::read::inputs_with(paths, &params.input, &mut |corpus, from| {
        let batch = &corpus.docs[from..];
        extractor.extend(&mut features, batch, progress);
        held += batch.iter().map(|d| d.text.bytes().len()).sum::<usize>();
        if !releasing && held > max_text_bytes {
            releasing = true;
            corpus.release_texts(0);
        } else if releasing {
            corpus.release_texts(from);
        }
        Ok(())
    })?;
    // Repeated ids dropped under --skip-invalid after their batch was extracted.
    crate::read::remove_positions(&mut features, &dropped);
    Ok((corpus, features))
}
