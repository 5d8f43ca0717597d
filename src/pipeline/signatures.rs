//! MinHash signatures and LSH candidates alone, for callers that want only those (the Python
//! package's `signatures` and `lsh_candidates`): the values a scan computes before it hashes
//! the bands.

use super::*;
use crate::error::Error;
use crate::features::shingle;
use crate::sketch::{Lsh, band_keys};

/// The MinHash signature of each text, `params.perm` values each, text after text in one
/// vector: the signature a scan computes for it (a text without a shingle gets `u32::MAX`
/// throughout, and a scan never compares it).
pub fn signatures(texts: &[&str], params: &Params) -> Result<Vec<u32>> {
    let params = params.clone().resolved()?;
    let hasher = MinHasher::new(params.perm, params.seed);
    let signed: Vec<Vec<u32>> = texts
        .par_iter()
        .map(|t| {
            hasher.sign(&shingle::positional(
                &crate::normalize::words(t),
                params.shingle,
            ))
        })
        .collect();
    Ok(signed.concat())
}

/// Pairs `(i, j)`, `i < j`, of the signatures in `signatures` (`perm` values each) that share
/// a band at the banding a scan uses for `threshold`: the candidates it would verify, in
/// order. Signatures of texts without a shingle (all `u32::MAX`) propose nothing.
pub fn lsh_candidates(signatures: &[u32], perm: usize, threshold: f64) -> Result<Vec<(u32, u32)>> {
    if perm == 0 || !signatures.len().is_multiple_of(perm) {
        return Err(Error::Params(format!(
            "perm: {} values do not split into signatures of {perm}",
            signatures.len()
        )));
    }
    if !(threshold > 0.0 && threshold <= 1.0) {
        return Err(Error::Params(format!(
            "threshold: {threshold} is not in (0, 1]"
        )));
    }
    let lsh = Lsh::for_threshold(threshold, perm);
    let keys: Vec<Vec<u64>> = signatures
        .par_chunks(perm)
        .map(|s| {
            if s.iter().all(|&v| v == u32::MAX) {
                Vec::new()
            } else {
                band_keys(s, &lsh)
            }
        })
        .collect();
    let refs: Vec<&[u64]> = keys.iter().map(Vec::as_slice).collect();
    let docs: Vec<DocId> = (0..keys.len() as u32).map(DocId).collect();
    Ok(candidates::lsh(&refs, &docs)
        .into_iter()
        .map(|(a, b)| (a.0, b.0))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signatures_propose_what_a_scan_would() {
        let text = "the quick brown fox jumps over the lazy dog near the river bank today";
        let edited = "the quick brown fox jumps over the lazy dog near the river bank tonight";
        let other = "something else entirely about markets and rates in a distant city";
        let texts = [text, other, edited, "", text];
        let params = Params::default();
        let sigs = signatures(&texts, &params).unwrap();
        assert_eq!(sigs.len(), texts.len() * params.perm);
        assert!(sigs[3 * params.perm..4 * params.perm].iter().all(|&v| v == u32::MAX));
        let pairs = lsh_candidates(&sigs, params.perm, 0.5).unwrap();
        assert!(pairs.contains(&(0, 4)) && pairs.contains(&(0, 2)), "{pairs:?}");
        assert!(pairs.iter().all(|&(a, b)| a < b && a != 1 && b != 1 && a != 3 && b != 3));
        assert!(matches!(
            lsh_candidates(&sigs[1..], params.perm, 0.5),
            Err(Error::Params(_))
        ));
        assert!(matches!(lsh_candidates(&sigs, params.perm, 1.5), Err(Error::Params(_))));
    }
}
