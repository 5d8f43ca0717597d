//! Exact verification of candidate pairs and their relation.
//!
//! Input: a candidate pair and both documents' [`Features`]. Output: a [`PairReport`] with the
//! exact Jaccard and containments of the shingle sets (never the MinHash estimate), or nothing
//! when the pair is below every threshold. Because every reported figure is exact, LSH and
//! fingerprints can only cost recall, never precision.

use std::borrow::Cow;
use std::cell::OnceCell;

use rayon::prelude::*;

use crate::align::{self, Passage, PassageKind};
use crate::candidates::CandidatePair;
use crate::document::{Corpus, DocId, Document};
use crate::error::Result;
use crate::features::Features;
use crate::features::boilerplate::Texts;
use crate::features::salient::{Mention, mentions_of_words};
use crate::features::shingle::Shingled;
use crate::features::shingle_bits::{Present, ShingleBits};
use crate::params::Params;
use crate::relation::Relation;
use crate::rewrite::decision::{self, Decision};
use crate::rewrite::{self, Evidence, Scored};

/// A verified pair.
#[derive(Clone, Debug, PartialEq)]
pub struct PairReport {
    /// The first document (`a < b` in input order).
    pub a: DocId,
    /// The second document.
    pub b: DocId,
    /// The strongest relation that holds; always set for scanned pairs, `None` when
    /// [`compare`] measures an unrelated pair.
    pub relation: Option<Relation>,
    /// Strength in [0, 1], comparable across relations (1.0 for a duplicate).
    pub score: f64,
    /// Exact shingle Jaccard.
    pub jaccard: f64,
    /// Share of `a`'s shingles found in `b`, and the reverse.
    pub containment: [f64; 2],
    /// Weighted salient-term similarity, when the scan looks for rewrites.
    pub rewrite: Option<f64>,
    /// Shared passages.
    pub passages: Vec<Passage>,
    /// Shared salient features.
    pub evidence: Evidence,
}

/// Exact set statistics of two sorted, distinct shingle sets.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SetOverlap {
    /// Shingles in both.
    pub intersection: usize,
    /// Intersection over union.
    pub jaccard: f64,
    /// Share of `a` in `b`, and of `b` in `a`.
    pub containment: [f64; 2],
}

/// Exact Jaccard and containments by a linear merge of sorted sets.
pub fn set_overlap(a: &[u64], b: &[u64]) -> SetOverlap {
    debug_assert!(a.windows(2).all(|w| w[0] < w[1]) && b.windows(2).all(|w| w[0] < w[1]));
    let (mut i, mut j, mut n) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                n += 1;
                i += 1;
                j += 1;
            }
        }
    }
    SetOverlap::of_sizes(n, a.len(), b.len())
}

impl SetOverlap {
    /// The statistics of two sets of `a` and `b` elements with `shared` in common.
    pub fn of_sizes(shared: usize, a: usize, b: usize) -> SetOverlap {
        let ratio = |x: usize, y: usize| if y == 0 { 0.0 } else { x as f64 / y as f64 };
        SetOverlap {
            intersection: shared,
            jaccard: ratio(shared, a + b - shared),
            containment: [ratio(shared, a), ratio(shared, b)],
        }
    }

    /// The statistics of two texts' distinct shingles.
    pub fn of_shingled(a: &Shingled, b: &Shingled) -> SetOverlap {
        let (a, b) = (&a.occurrences, &b.occurrences);
        SetOverlap::of_sizes(a.shared(b), a.len(), b.len())
    }
}

/// The report for a pair of documents with the same normalized text.
pub fn duplicate(a: DocId, b: DocId) -> PairReport {
    PairReport {
        a,
        b,
        relation: Some(Relation::Duplicate),
        score: 1.0,
        jaccard: 1.0,
        containment: [1.0, 1.0],
        rewrite: None,
        passages: Vec::new(),
        evidence: Evidence::default(),
    }
}

/// The first document of a group of candidate pairs, as verification reads it once for the
/// group, when a pair of the group first needs it (most pairs only salient terms proposed are
/// rejected on their profiles alone): its text, words and shingles, and, once a pair of the
/// group is a rewrite, its salient mentions.
#[derive(Default)]
pub struct First<'c> {
    read: OnceCell<Read<'c>>,
    /// Its shingles' bits ([`Bounds`]), as compared and as given, in presence tables.
    present: OnceCell<Bits<Present>>,
}

struct Read<'c> {
    text: Cow<'c, str>,
    shingled: Shingled,
    mentions: OnceCell<Vec<Mention>>,
}

impl<'c> First<'c> {
    /// The first document `text`, already read, shingled in `k`-grams.
    pub fn of(text: Cow<'c, str>, k: usize) -> First<'c> {
        First {
            read: OnceCell::from(Read::new(text, k)),
            present: OnceCell::new(),
        }
    }

    /// The document read, from `texts` at `a` if it was not yet.
    fn read(&self, texts: &Texts<'c>, a: DocId, k: usize) -> Result<&Read<'c>> {
        if let Some(read) = self.read.get() {
            return Ok(read);
        }
        let read = Read::new(texts.text(a)?, k);
        Ok(self.read.get_or_init(|| read))
    }
}

impl<'c> Read<'c> {
    fn new(text: Cow<'c, str>, k: usize) -> Read<'c> {
        let shingled = Shingled::new(&text, k);
        Read {
            text,
            shingled,
            mentions: OnceCell::new(),
        }
    }

    fn mentions(&self) -> &[Mention] {
        self.mentions
            .get_or_init(|| mentions_of_words(&self.text, &self.shingled.words))
    }
}

/// What verification reads: the texts as the comparisons see them, every document's features
/// and the parameters, the same for every pair of a scan.
#[derive(Clone, Copy)]
pub struct Verifier<'a> {
    /// The texts, furniture blanked.
    pub texts: Texts<'a>,
    /// Every document's features, by position.
    pub features: &'a [Features],
    /// The scan's parameters.
    pub params: &'a Params,
    /// Bounds on what the pairs proposed by shingles share, to reject most of them unread
    /// (`None`: every pair is read).
    pub bounds: Option<&'a Bounds>,
}

impl<'a> Verifier<'a> {
    /// Verifies a candidate pair of distinct texts; `None` when no wanted relation holds.
    /// `first` is `a`, read here or by an earlier pair of the caller's, who verifies the other
    /// pairs of `a` with it.
    /// `rewrite` is given when the scan looks for rewrites: the pair's salient-term similarity
    /// (scored by the caller, who scores many pairs of one document at once, see
    /// [`rewrite::Probe`]) and the batch's document frequencies; `rewrite_only` when only
    /// salient terms proposed the pair, so that its shingles are compared only if it is a
    /// rewrite (most such candidates are not, and the shingle comparison is the costlier
    /// test).
    pub fn verify(
        &self,
        (a, b): (DocId, DocId),
        first: &First<'a>,
        rewrite: Option<Scored>,
        rewrite_only: bool,
    ) -> Result<Option<PairReport>> {
        let Verifier {
            texts,
            features,
            params,
            bounds,
        } = *self;
        let texts = &texts;
        let similarity = rewrite.map_or(0.0, |r| r.similarity);
        // The decision needs only the profiles and the metadata, so a pair only salient terms
        // proposed (most are not rewrites) is rejected before a text is read.
        let decision = rewrite
            .filter(|r| r.similarity >= params.rewrite_min_similarity)
            .map(|r| decide(r, (texts.doc(a), texts.doc(b))))
            .filter(|d| d.probability >= params.rewrite_probability);
        if decision.is_none()
            && (rewrite_only || bounds.is_some_and(|bounds| !bounds.may_relate((a, b), first, params)))
        {
            return Ok(None);
        }
        // Texts are read here, after the cheap rejection above (a text let go during the scan is
        // read again from its file).
        let text_b = texts.text(b)?;
        let tb = text_b.as_ref();
        let k = params.shingle;
        // Brute force keeps every set (it compares every pair); otherwise `b` is shingled here,
        // once, for both the set comparison and the alignment.
        let kept = features[a.idx()]
            .kept_shingles()
            .zip(features[b.idx()].kept_shingles());
        let owned_b = kept.is_none().then(|| Shingled::new(tb, k));
        let read = first.read(texts, a, k)?;
        let sa = &read.shingled;
        let o = match &owned_b {
            Some(sb) => SetOverlap::of_shingled(sa, sb),
            None => {
                let (set_a, set_b) = kept.unwrap_or_default();
                set_overlap(set_a, set_b)
            }
        };
        let BySets {
            near,
            may_overlap,
            contained,
        } = BySets::of(&o, params);
        if !near
            && bounds.is_none_or(|bounds| bounds.may_be_near_as_given((a, b), first, params))
            && let Some(copy) =
                near_duplicate_with_furniture((a, b), texts, rewrite.map(|r| r.similarity), params)?
        {
            return Ok(Some(copy));
        }
        if !near && !may_overlap && decision.is_none() {
            return Ok(None);
        }
        let mut passages = if near || may_overlap {
            match &owned_b {
                Some(sb) => align::passages_of_shingled(sa, sb, params),
                None => align::passages_of_shingled(sa, &Shingled::new(tb, k), params),
            }
        } else {
            Vec::new()
        };
        let shared: usize = passages.iter().map(|p| p.words).sum();
        let shingle_score = o.jaccard.max(o.containment[0]).max(o.containment[1]);
        let by_shingles = if near {
            Some(Relation::NearDuplicate)
        } else if may_overlap && (contained || shared >= params.min_overlap) {
            Some(Relation::Overlap)
        } else {
            None
        };
        // A pair that reuses a passage and tells the same story ranks by the stronger of the two.
        let mut evidence = Evidence::default();
        let (relation, score) = match (by_shingles, decision) {
            (Some(relation), decision) => {
                let p = decision.map_or(0.0, |d| d.probability);
                (relation, shingle_score.max(p))
            }
            // Evidence is gathered for rewrites only: the other relations show their shared
            // passages, and re-reading both texts for every pair would double the cost of a scan.
            (None, Some(decision)) => {
                let b_words = match &owned_b {
                    Some(sb) => Cow::Borrowed(sb.words.as_slice()),
                    None => Cow::Owned(crate::normalize::words(tb)),
                };
                let df = rewrite
                    .map(|r| r.df)
                    .expect("a decision is taken on scored pairs");
                let (found, sentence_pairs) =
                    rewrite::explain((&read.text, read.mentions()), (tb, &b_words), df);
                let probability = decision.probability;
                evidence = Evidence {
                    decision: Some(decision),
                    ..found
                };
                passages = sentence_pairs;
                (Relation::Rewrite, probability)
            }
            (None, None) => return Ok(None),
        };
        debug_assert!(
            passages.iter().all(|p| p.kind == PassageKind::Verbatim)
                || relation == Relation::Rewrite
        );
        Ok(Some(PairReport {
            a,
            b,
            relation: Some(relation),
            score,
            jaccard: o.jaccard,
            containment: o.containment,
            rewrite: rewrite.map(|_| similarity),
            passages,
            evidence,
        }))
    }
}

/// What a pair's shingle sets, or bounds on them, say of the relations decided on the sets.
struct BySets {
    /// A near-duplicate.
    near: bool,
    /// Shared passages may make an overlap: enough shingles are shared for passages of
    /// `min_overlap` words, or the smaller document is contained in the other.
    may_overlap: bool,
    /// The smaller document is contained in the other.
    contained: bool,
}

impl BySets {
    /// Each figure only grows with those of `o`, so that figures that bound the exact ones from
    /// above give `false` only where the exact ones do.
    fn of(o: &SetOverlap, params: &Params) -> BySets {
        let contained = o.containment[0].max(o.containment[1]) >= params.containment;
        // A shared passage of `w` words holds about `w - k + 1` shared shingles: pairs with fewer
        // cannot reach the passage thresholds, and are rejected before the costlier alignment.
        let shared_words_bound = o.intersection + params.shingle - 1;
        BySets {
            near: params.wants(Relation::NearDuplicate) && o.jaccard >= params.threshold,
            may_overlap: params.wants(Relation::Overlap)
                && o.intersection > 0
                && shared_words_bound >= params.min_passage
                && (contained || shared_words_bound >= params.min_overlap),
            contained,
        }
    }
}

/// Upper bounds on the shingles the documents of candidate pairs share ([`ShingleBits`]), for
/// the documents of two pairs or more proposed by shingles: their texts as compared, and as
/// given where furniture was blanked (a near-duplicate with furniture is one as given).
/// Verification then reads and shingles a pair's texts only when the bounds allow a relation:
/// where long runs of words recur by chance, nine in ten passage candidates share no more than
/// stock phrases. A document in a single pair is not bounded: that would read it as often as
/// verifying the pair does.
#[derive(Debug, Default)]
pub struct Bounds {
    of: Vec<Option<Bits>>,
}

#[derive(Debug)]
struct Bits<T = ShingleBits> {
    compared: T,
    /// Of the text as given, where furniture was blanked and the scan looks for
    /// near-duplicates.
    as_given: Option<T>,
}

impl<T> Bits<T> {
    fn as_given(&self) -> &T {
        self.as_given.as_ref().unwrap_or(&self.compared)
    }
}

impl Bounds {
    /// The bounds of the documents of `pairs`, each read once.
    pub fn new(texts: &Texts, pairs: &[CandidatePair], n: usize, params: &Params) -> Result<Bounds> {
        let mut pairs_of = vec![0u8; n];
        for &(a, b) in pairs {
            for d in [a, b] {
                pairs_of[d.idx()] = pairs_of[d.idx()].saturating_add(1);
            }
        }
        let k = params.shingle;
        let with_furniture = params.wants(Relation::NearDuplicate);
        let bounded = |d: &DocId| pairs_of[d.idx()] >= 2;
        let mut of = Vec::with_capacity(n);
        // A stretch of documents at a time, its texts asked ahead (`Corpus::read_ahead`).
        const STRETCH: u32 = 1 << 14;
        for start in (0..n as u32).step_by(STRETCH as usize) {
            let stretch = start..(start + STRETCH).min(n as u32);
            texts.read_ahead(stretch.clone().map(DocId).filter(bounded));
            let bits = stretch
                .into_par_iter()
                .map(|i| {
                    let d = DocId(i);
                    if !bounded(&d) {
                        return Ok(None);
                    }
                    let original = texts.original(d)?;
                    let as_given = (with_furniture && !texts.furniture(d).is_empty())
                        .then(|| ShingleBits::of(&original, k));
                    let compared = ShingleBits::of(&texts.blanked(d, original), k);
                    Ok(Some(Bits { compared, as_given }))
                })
                .collect::<Result<Vec<_>>>()?;
            of.extend(bits);
        }
        Ok(Bounds { of })
    }

    /// Whether both documents of the pair are bounded: their texts were read to find the
    /// bounds, and are read again only if the bounds allow a relation.
    pub fn bounds_both(&self, (a, b): (DocId, DocId)) -> bool {
        self.of((a, b)).is_some()
    }

    /// The bits of both documents, when both are bounded.
    fn of(&self, (a, b): (DocId, DocId)) -> Option<(&Bits, &Bits)> {
        self.of[a.idx()].as_ref().zip(self.of[b.idx()].as_ref())
    }

    /// Whether the pair may be a near-duplicate, as compared or as given, or an overlap:
    /// `false` only where its shingle sets would say so. `first` is the pair's first document.
    fn may_relate(&self, pair: (DocId, DocId), first: &First, params: &Params) -> bool {
        let Some((x, y)) = self.of(pair) else {
            return true;
        };
        let present = &first.present(x).compared;
        let sets = BySets::of(&bound((present, x.compared.len()), &y.compared), params);
        sets.near || sets.may_overlap || self.may_be_near_as_given(pair, first, params)
    }

    /// Whether the pair, furniture blanked in either document, may be a near-duplicate as
    /// given (see [`near_duplicate_with_furniture`]).
    fn may_be_near_as_given(&self, pair: (DocId, DocId), first: &First, params: &Params) -> bool {
        let Some((x, y)) = self.of(pair) else {
            return true;
        };
        if x.as_given.is_none() && y.as_given.is_none() {
            return false;
        }
        let present = first.present(x).as_given();
        bound((present, x.as_given().len()), y.as_given()).jaccard >= params.threshold
    }
}

impl First<'_> {
    /// The presence tables of the bits `x` of this first document, found once for its group.
    fn present(&self, x: &Bits) -> &Bits<Present> {
        self.present.get_or_init(|| Bits {
            compared: Present::of(&x.compared),
            as_given: x.as_given.as_ref().map(Present::of),
        })
    }
}

/// Figures at least the exact ones of the shingle sets of a first document, whose bits are
/// `present` of `len` distinct shingles, and of a document whose bits are `b` (see
/// [`ShingleBits`]).
fn bound((present, len): (&Present, usize), b: &ShingleBits) -> SetOverlap {
    SetOverlap::of_sizes(present.shared_at_most(b).min(len), len, b.len())
}

/// The rewrite decision on a scored pair of documents: what they share, and their dates and
/// sources.
fn decide(scored: Scored, (a, b): (&Document, &Document)) -> Decision {
    let source = crate::features::boilerplate::source_key;
    let common = rewrite::shared_terms(scored.a, scored.b, scored.df);
    let mut d = Decision {
        similarity: scored.similarity,
        days_apart: decision::days_apart(a.date.as_deref(), b.date.as_deref()),
        same_source: source(a).is_some() && source(a) == source(b),
        shared: common.shared,
        specific: common.specific,
        expected: common.expected,
        surprise: common.surprise,
        co_surprise: common.co_surprise,
        held: common.held,
        ..Decision::default()
    };
    d.decide();
    d
}

/// The near-duplicate report of a pair with furniture blanked in either document, when the
/// texts as given, furniture included, are near-duplicates (see [`crate::features::boilerplate`]).
fn near_duplicate_with_furniture(
    (a, b): (DocId, DocId),
    texts: &Texts,
    rewrite: Option<f64>,
    params: &Params,
) -> Result<Option<PairReport>> {
    if !params.wants(Relation::NearDuplicate)
        || (texts.furniture(a).is_empty() && texts.furniture(b).is_empty())
    {
        return Ok(None);
    }
    let k = params.shingle;
    let (sa, sb) = (
        Shingled::new(&texts.original(a)?, k),
        Shingled::new(&texts.original(b)?, k),
    );
    let o = SetOverlap::of_shingled(&sa, &sb);
    if o.jaccard < params.threshold {
        return Ok(None);
    }
    Ok(Some(PairReport {
        a,
        b,
        relation: Some(Relation::NearDuplicate),
        score: o.jaccard.max(o.containment[0]).max(o.containment[1]),
        jaccard: o.jaccard,
        containment: o.containment,
        rewrite,
        passages: align::passages_of_shingled(&sa, &sb, params),
        evidence: Evidence::default(),
    }))
}

/// Everything known about two documents, related or not: the relation `verify` would report (or
/// `None`), the exact figures, the verbatim passages, the salient evidence and the sentence
/// pairs. Salient terms are weighed within the pair alone.
///
/// ```
/// use neardup::{Document, Params, Relation};
/// let doc = |id: &str, text: &str| Document { id: id.into(), text: text.into(), ..Document::default() };
/// let a = doc("a", "Anna Evstigneeva told the council that 23,000 fighters were in Kunduz.");
/// let b = doc("b", "Some 23,000 fighters are in Kunduz, Evstigneeva told the council.");
/// let c = neardup::compare(&a, &b, &Params::default()).unwrap();
/// assert_eq!(c.relation, Some(Relation::Rewrite));
/// assert!(c.evidence.numbers.iter().any(|n| n.starts_with("23,000")));
/// ```
/// `params` is validated first: an invalid one is an error naming the setting.
pub fn compare(a: &Document, b: &Document, params: &Params) -> Result<PairReport> {
    let params = &params.clone().resolved()?;
    // Both texts are given in memory: nothing is read again.
    let held = |d: &Document| Document {
        released: None,
        ..d.clone()
    };
    let corpus = Corpus {
        docs: vec![held(a), held(b)],
        ..Corpus::default()
    };
    let with_rewrite = Params {
        relations: Relation::ALL.to_vec(),
        ..params.clone()
    };
    let features: Vec<Features> = corpus
        .docs
        .iter()
        .map(|d| Features::extract(&d.text, &with_rewrite))
        .collect();
    let terms: Vec<&[crate::features::salient::Term]> =
        features.iter().map(|f| f.salient.as_slice()).collect();
    let df = rewrite::DocFreq::new(&terms);
    let profiles: Vec<rewrite::Profile> = terms
        .iter()
        .map(|t| rewrite::Profile::new(t, &df))
        .collect();
    let similarity = rewrite::similarity(&profiles[0], &profiles[1]);
    let scored = Scored {
        similarity,
        df: &df,
        a: &profiles[0],
        b: &profiles[1],
    };
    let pair = (DocId(0), DocId(1));
    let same_text = !features[0].is_empty() && features[0].text_hash == features[1].text_hash;
    // `a` segmented, shingled and searched for mentions once, for verification and below.
    let first = First::of(Cow::Borrowed(&a.text), params.shingle);
    let verified = if same_text && params.wants(Relation::Duplicate) {
        Some(duplicate(pair.0, pair.1))
    } else {
        let verifier = Verifier {
            texts: Texts::new(&corpus, &[]),
            features: &features,
            params,
            bounds: None,
        };
        verifier
            .verify(pair, &first, Some(scored), false)
            .expect("texts held in memory are never read again")
    };
    // `b` shingled once here, for both the sets and the passages.
    let first = first.read.get().expect("read by First::of");
    let (sa, sb) = (&first.shingled, Shingled::new(&b.text, params.shingle));
    let o = SetOverlap::of_shingled(sa, &sb);
    let mut passages = align::passages_of_shingled(sa, &sb, params);
    let (found, sentence_pairs) =
        rewrite::explain((&a.text, first.mentions()), (&b.text, &sb.words), &df);
    let decision = decide(scored, (a, b));
    passages.extend(sentence_pairs);
    // An unrelated pair's score is its rewrite probability, below the threshold.
    let unrelated_score = decision.probability.min(params.rewrite_probability);
    let evidence = Evidence {
        decision: Some(decision),
        ..found
    };
    Ok(PairReport {
        a: pair.0,
        b: pair.1,
        relation: verified.as_ref().and_then(|v| v.relation),
        score: verified.map_or(unrelated_score, |v| v.score),
        jaccard: o.jaccard,
        containment: o.containment,
        rewrite: Some(similarity),
        passages,
        evidence,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sketch::tests::exact_jaccard;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn set_overlap_matches_btreeset(a in prop::collection::btree_set(0u64..60, 0..40),
                                        b in prop::collection::btree_set(0u64..60, 0..40)) {
            let av: Vec<u64> = a.iter().copied().collect();
            let bv: Vec<u64> = b.iter().copied().collect();
            let o = set_overlap(&av, &bv);
            let inter = a.intersection(&b).count();
            prop_assert_eq!(o.intersection, inter);
            prop_assert!((o.jaccard - exact_jaccard(&av, &bv)).abs() < 1e-12);
            if !a.is_empty() {
                prop_assert!((o.containment[0] - inter as f64 / a.len() as f64).abs() < 1e-12);
            }
        }
    }

    proptest! {
        /// Every pair verified with the bounds is verified as without them: texts drawn from a
        /// few sentences of a small vocabulary, so that pairs share passages, stock phrases or
        /// nothing, some with a sentence blanked as furniture.
        #[test]
        fn bounds_reject_only_what_the_sets_would(
            docs in prop::collection::vec(
                (prop::collection::vec(0usize..6, 1..6), any::<bool>()), 2..8),
        ) {
            const WORDS: [&str; 8] = ["the", "fire", "spread", "north", "crews", "said", "on", "friday"];
            let sentence = |s: usize| -> String {
                (0..12).map(|i| WORDS[(s * 5 + i * (s + 1)) % WORDS.len()]).collect::<Vec<_>>().join(" ") + ". "
            };
            let texts: Vec<String> = docs.iter().map(|(ss, _)| ss.iter().map(|&s| sentence(s)).collect()).collect();
            // The furniture: the document's first sentence, where one is drawn.
            let blanked: Vec<Vec<[u32; 2]>> = docs
                .iter()
                .map(|(ss, furniture)| match furniture {
                    true => vec![[0, sentence(ss[0]).len() as u32 - 1]],
                    false => Vec::new(),
                })
                .collect();
            let corpus = Corpus::from_texts(texts.iter().enumerate().map(|(i, t)| (i.to_string(), t.as_str())));
            let params = Params { threshold: 0.4, min_overlap: 14, ..Params::default() }.resolved().unwrap();
            let texts = Texts::new(&corpus, &blanked);
            let n = docs.len() as u32;
            let pairs: Vec<CandidatePair> =
                (0..n).flat_map(|a| (a + 1..n).map(move |b| (DocId(a), DocId(b)))).collect();
            let features = vec![Features::default(); docs.len()];
            let bounds = Bounds::new(&texts, &pairs, docs.len(), &params).unwrap();
            let verifier = |bounds| Verifier { texts, features: &features, params: &params, bounds };
            for &pair in &pairs {
                let unbounded = verifier(None).verify(pair, &First::default(), None, false).unwrap();
                let bounded = verifier(Some(&bounds)).verify(pair, &First::default(), None, false).unwrap();
                prop_assert_eq!(bounded, unbounded);
            }
        }
    }

    #[test]
    fn relation_names_round_trip() {
        for r in Relation::ALL {
            assert_eq!(r.as_str().parse::<Relation>(), Ok(r));
            assert_eq!(serde_json::to_string(&r).unwrap(), format!("\"{r}\""));
        }
        assert!(
            "copy"
                .parse::<Relation>()
                .unwrap_err()
                .contains("near-duplicate")
        );
    }
}
