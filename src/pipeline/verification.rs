//! Verification of the candidate pairs, grouped by their first document.

use super::*;

/// How many candidate pairs ahead a worker fetches the profile it will score.
const PREFETCH_AHEAD: usize = 4;

/// How many candidate pairs ahead a worker asks for the texts it will read
/// ([`Corpus::read_ahead`](crate::document::Corpus::read_ahead)).
const READ_AHEAD: usize = 128;

/// Candidate groups verified in one task, at most.
const VERIFY_GROUPS_PER_TASK: usize = 256;

/// The runs of `pairs` with one first document, each with the pairs after it, and `kind`.
fn groups_of(
    pairs: &[CandidatePair],
    kind: bool,
) -> impl Iterator<Item = (&[CandidatePair], &[CandidatePair], bool)> {
    let mut rest = pairs;
    pairs.chunk_by(|x, y| x.0 == y.0).map(move |g| {
        rest = &rest[g.len()..];
        (g, rest, kind)
    })
}

/// Verifies the candidates `by_shingles` and `rewrite_only` (those only salient terms
/// proposed), each sorted by its first document, with the batch's salient profiles when the
/// scan looks for rewrites.
///
/// Candidates are sorted by their first document: each group shares that document's salient
/// profile, loaded once in a probe (see `rewrite::Probe`), and its text, words, shingles and
/// mentions, found once ([`First`]; features keep none of them, see `features`). Pairs only
/// salient terms proposed are mostly not rewrites: they are rejected on their similarity
/// before a text is read. Both kinds of group are verified in one parallel pass, so that no
/// core waits for the other to finish the first kind.
pub(super) fn verify_all(
    verifier: &Verifier,
    batch: Option<&Batch>,
    (by_shingles, rewrite_only): (&[CandidatePair], &[CandidatePair]),
    progress: &dyn Progress,
) -> Result<Vec<PairReport>> {
    let params = verifier.params;
    let groups: Vec<(&[CandidatePair], &[CandidatePair], bool)> = groups_of(by_shingles, false)
        .chain(groups_of(rewrite_only, true))
        .collect();
    // Split finely: rayon splits a range only as often as it was stolen from, and a few
    // large pieces left one core working alone for a fifth of the stage.
    let verified = groups
        .par_iter()
        .with_max_len(VERIFY_GROUPS_PER_TASK)
        .map_init(
            || batch.map(|b| Probe::new(&b.df)),
            |probe, &(group, following, rewrite_only)| {
                let a = group[0].0;
                // `a` read once for its group; in a group of pairs only salient terms proposed,
                // not before one of them turns out to be a rewrite.
                let first = First::default();
                let loaded = probe
                    .as_mut()
                    .zip(batch)
                    .map(|(probe, batch)| (probe.load(&batch.profiles[a.idx()]), batch));
                let mut found = Vec::new();
                // The pairs after the `k`th, in this group or the next ones.
                let upcoming = |k: usize, d: usize| {
                    group
                        .get(k + d)
                        .or_else(|| following.get(k + d - group.len()))
                };
                for (k, &pair) in group.iter().enumerate() {
                    // Pairs proposed by shingles are mostly read; those only salient terms
                    // proposed mostly not, nor those the bounds may reject unread.
                    if !rewrite_only
                        && let Some(&(x, y)) = upcoming(k, READ_AHEAD)
                        && !verifier.bounds.is_some_and(|b| b.bounds_both((x, y)))
                    {
                        let new_group = upcoming(k, READ_AHEAD - 1).is_none_or(|p| p.0 != x);
                        verifier
                            .texts
                            .read_ahead(new_group.then_some(x).into_iter().chain([y]));
                    }
                    let rewrite = match &loaded {
                        Some((loaded, batch)) => {
                            if let Some(p) = upcoming(k, 2 * PREFETCH_AHEAD) {
                                batch.prefetch_profile(p.1.idx());
                            }
                            let ahead =
                                upcoming(k, PREFETCH_AHEAD).map(|p| &batch.profiles[p.1.idx()]);
                            let b = &batch.profiles[pair.1.idx()];
                            let similarity = if rewrite_only {
                                if let Some(p) = ahead {
                                    p.prefetch_ids();
                                }
                                // Below the threshold, such a pair is nothing: not verified.
                                match loaded.similarity_at_least(b, params.rewrite_min_similarity) {
                                    Some(s) => s,
                                    None => continue,
                                }
                            } else {
                                if let Some(p) = ahead {
                                    p.prefetch();
                                }
                                loaded.similarity(b)
                            };
                            Some(Scored {
                                similarity,
                                df: &batch.df,
                                a: &batch.profiles[a.idx()],
                                b,
                            })
                        }
                        None => None,
                    };
                    found.extend(verifier.verify(pair, &first, rewrite, rewrite_only)?);
                }
                progress.inc(group.len() as u64);
                Ok(found)
            },
        )
        .collect::<Result<Vec<Vec<PairReport>>>>()?
        .into_iter()
        .flatten()
        .collect();
    Ok(verified)
}
