//! Whether a candidate pair is the same story: a small logistic model over what the pair shares.
//!
//! A weighted similarity of salient terms ranks same-story pairs well, but as the one test it
//! reports "another shooting in the same city": two local stories share the neighbourhood, the
//! hospital, the police department and an age. What tells the same story is *specific*
//! evidence: names and figures that only these documents hold, and publication dates close
//! together. The decision weighs those, each as a
//! [`Decision`] field the report shows, by the [`WEIGHTS`] of a logistic model fitted on labelled
//! news (`scripts/fit_rewrite_model.py`, whose output is pasted here; `docs/EVALUATION.md` says
//! on what and how well). A pair is a rewrite when its probability reaches
//! `--rewrite-probability` (0.4).
//!
//! Every input is a count or a ratio that does not grow with the batch: "specific" means held
//! by at most [`SPECIFIC_MAX_DF`] documents, not a share of the batch, so that adding unrelated
//! documents changes no decision.

use serde::Serialize;

use crate::features::salient::Kind;

/// A shared term held by at most this many documents of the batch is specific to the pair: the
/// two of it and one more (a third outlet on the same story).
pub const SPECIFIC_MAX_DF: u32 = 3;

/// Shared salient terms of a pair, by kind.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct KindCounts {
    /// Ordinary words rarer than the commonest English words.
    pub words: u32,
    /// Named entities.
    pub entities: u32,
    /// Numbers with what they count, and dates.
    pub numbers: u32,
    /// Quotation 3-grams.
    pub quotes: u32,
    /// Cited outlets and agencies.
    pub sources: u32,
}

impl KindCounts {
    /// Counts one more term of `kind`.
    pub fn add(&mut self, kind: Kind) {
        let count = match kind {
            Kind::Word => &mut self.words,
            Kind::Entity => &mut self.entities,
            Kind::Number => &mut self.numbers,
            Kind::Quote => &mut self.quotes,
            Kind::Source => &mut self.sources,
        };
        *count += 1;
    }

    /// The counts, indexed by [`Kind`].
    fn by_kind(&self) -> [u32; 5] {
        [
            self.words,
            self.entities,
            self.numbers,
            self.quotes,
            self.sources,
        ]
    }

    /// The counts of `by_kind`, indexed by [`Kind`].
    pub(crate) fn of(by_kind: [u32; 5]) -> KindCounts {
        let [words, entities, numbers, quotes, sources] = by_kind;
        KindCounts { words, entities, numbers, quotes, sources }
    }

    fn logs(&self) -> [f64; 5] {
        self.by_kind().map(|n| f64::from(n).ln_1p())
    }
}

/// How many salient terms of each kind two documents of the batch would share by chance, were
/// terms held independently: `E_a × L_b / L̄`, `E_a` the number of `a`'s terms that a third
/// document of the batch drawn at random holds, `L_b` the number of `b`'s terms other documents
/// hold too and `L̄` its mean over the batch (a long document holds more of anything), taken
/// both ways and averaged geometrically. In a batch of one kind of text (a city's crime news,
/// answers to one question, pages remixing one text) two unrelated documents share its common
/// names and figures; the decision weighs what a pair shares beyond that. Documents that hold
/// none of the pair's terms change nothing but `n`, and a term only the two hold is never
/// expected.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct Expected {
    /// Ordinary words.
    #[serde(serialize_with = "six_decimals")]
    pub words: f64,
    /// Named entities.
    #[serde(serialize_with = "six_decimals")]
    pub entities: f64,
    /// Numbers and dates.
    #[serde(serialize_with = "six_decimals")]
    pub numbers: f64,
    /// Quotation 3-grams.
    #[serde(serialize_with = "six_decimals")]
    pub quotes: f64,
    /// Cited outlets and agencies.
    #[serde(serialize_with = "six_decimals")]
    pub sources: f64,
}

/// One document's side of [`Expected`], for one kind of term.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Side {
    /// `Σ (df - 1)` over its terms that other documents hold.
    pub(crate) others: u32,
    /// How many terms those are.
    pub(crate) len: u32,
}

impl Expected {
    /// The expectations, indexed by [`Kind`].
    fn by_kind(&self) -> [f64; 5] {
        [self.words, self.entities, self.numbers, self.quotes, self.sources]
    }

    /// For each [`Kind`]: both documents' [`Side`]s, how many terms they share, and the mean
    /// `len` over the batch; `n` the batch's size.
    pub(crate) fn new(sides: [[Side; 2]; 5], shared: &KindCounts, mean: [f64; 5], n: u32) -> Expected {
        let shared = shared.by_kind();
        let kind = |k: Kind| {
            let k = k as usize;
            if n <= 2 || mean[k] <= 0.0 {
                return 0.0;
            }
            // Each shared term is held by the other one of the pair: a third document holds
            // the rest of the holdings.
            let third = |s: Side| f64::from(s.others.saturating_sub(shared[k])) / f64::from(n - 2);
            let [a, b] = sides[k];
            let ab = third(a) * f64::from(b.len);
            let ba = third(b) * f64::from(a.len);
            (ab * ba).sqrt() / mean[k]
        };
        Expected {
            words: kind(Kind::Word),
            entities: kind(Kind::Entity),
            numbers: kind(Kind::Number),
            quotes: kind(Kind::Quote),
            sources: kind(Kind::Source),
        }
    }
}

/// What two documents' salient terms have in common ([`crate::rewrite::shared_terms`]).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Shared {
    /// Common terms, by kind.
    pub shared: KindCounts,
    /// Of those, the ones at most [`SPECIFIC_MAX_DF`] documents hold.
    pub specific: KindCounts,
    /// How many common terms chance would give two documents of the batch.
    pub expected: Expected,
    /// `Σ 1 / (df - 1)` over the common terms: 1 for a term only the two hold, 1/10 for one
    /// ten other documents hold too.
    pub surprise: f64,
    /// `Σ 1 / (c - 1)` over the pairs of heavy terms both hold together, chance seldom
    /// ([`crate::rewrite::Sketch::co_held`]), `c` counting the documents that hold a pair.
    pub co_surprise: f64,
    /// Salient terms of each kind that other documents hold too, in each document.
    pub held: [KindCounts; 2],
}

/// What the decision on a rewrite candidate saw, and its outcome.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Decision {
    /// Probability that the two documents tell the same story (the pair's `score`).
    #[serde(serialize_with = "six_decimals")]
    pub probability: f64,
    /// Weighted salient-term similarity (weighted Jaccard).
    #[serde(serialize_with = "six_decimals")]
    pub similarity: f64,
    /// Days between the documents' dates, when both have one.
    pub days_apart: Option<u32>,
    /// Whether both come from one source (one outlet's stories share its vocabulary).
    pub same_source: bool,
    /// Salient terms the two share.
    pub shared: KindCounts,
    /// Of those, the ones at most `SPECIFIC_MAX_DF` documents hold.
    pub specific: KindCounts,
    /// How many terms of each kind two documents of the batch would share by chance
    /// ([`Expected`]); the decision weighs the names, figures, quotations and sources shared
    /// beyond it.
    pub expected: Expected,
    /// `Σ 1 / (df - 1)` over the shared terms, `df` counting the documents that hold one: how
    /// few other documents could explain what the two share.
    #[serde(serialize_with = "six_decimals")]
    pub surprise: f64,
    /// `Σ 1 / (c - 1)` over the pairs of their heaviest terms the two hold together and chance
    /// seldom would, `c` counting the documents that hold a pair: names each held by hundreds
    /// of documents are specific together when few others hold them together.
    #[serde(serialize_with = "six_decimals")]
    pub co_surprise: f64,
    /// Salient terms of each kind that other documents hold too, in `a` and in `b`.
    pub held: [KindCounts; 2],
}

/// Rounded as the report rounds every figure.
fn six_decimals<S: serde::Serializer>(x: &f64, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_f64((x * 1e6).round() / 1e6)
}

#[cfg(any(test, feature = "internals"))]
/// Names of the model's inputs, in [`Decision::inputs`] order (the fitting script's names).
pub const INPUTS: [&str; 17] = [
    "ln_similarity",
    "ln_days_apart",
    "no_dates",
    "same_source",
    "shared_words",
    "unlikely_entities",
    "unlikely_numbers",
    "unlikely_quotes",
    "unlikely_sources",
    "specific_words",
    "specific_entities",
    "specific_numbers",
    "specific_quotes",
    "specific_sources",
    "ln_surprise",
    "ln_co_surprise",
    "name_share",
];

/// The model: one weight per input, then the intercept. Fitted by
/// `scripts/fit_rewrite_model.py` on the development halves of ECB+ and GVA, each given the
/// same total weight.
pub const WEIGHTS: [f64; 18] = [
    0.8636,  // ln_similarity
    -0.7613, // ln_days_apart
    -0.4274, // no_dates
    -1.0702, // same_source
    -0.7483, // shared_words
    0.0754,  // unlikely_entities
    0.3236,  // unlikely_numbers
    0.1417,  // unlikely_quotes
    -0.2373, // unlikely_sources
    0.2984,  // specific_words
    0.3062,  // specific_entities
    -0.3797, // specific_numbers
    -0.0868, // specific_quotes
    -0.0508, // specific_sources
    0.7754,  // ln_surprise
    0.9155,  // ln_co_surprise
    2.3136,  // name_share
    2.2177,  // intercept
];

impl Decision {
    /// The model's inputs: logarithms of the counts of shared words and specific terms (a
    /// tenth shared name adds less than a second), how unlikely chance would give the pair as
    /// many shared names, figures, quotations and sources (`unlikely`, with [`Expected`]),
    /// logarithms of the similarity and of the days apart, two indicators and
    /// [`Decision::name_share`].
    pub fn inputs(&self) -> [f64; 17] {
        let (days, no_dates) = match self.days_apart {
            Some(d) => (f64::from(d).ln_1p(), 0.0),
            None => (0.0, 1.0),
        };
        // Words count in full: sharing many ordinary words and little else is a similar topic
        // (their weight is negative). Of the rest, what chance explains is no evidence, and
        // how much the rest is worth depends on what chance gives: 14 numbers shared where 6.5
        // are expected happens to thousands of pairs of a large batch, 3 where 0.1 are to none.
        let (shared, expected) = (self.shared.by_kind(), self.expected.by_kind());
        let [se, sn, sq, ss] = [Kind::Entity, Kind::Number, Kind::Quote, Kind::Source]
            .map(|k| unlikely(shared[k as usize], self.fewer(k), expected[k as usize]));
        let sw = f64::from(self.shared.words).ln_1p();
        let [pw, pe, pn, pq, ps] = self.specific.logs();
        [
            self.similarity.max(1e-6).ln(),
            days,
            no_dates,
            f64::from(u8::from(self.same_source)),
            sw,
            se,
            sn,
            sq,
            ss,
            pw,
            pe,
            pn,
            pq,
            ps,
            self.surprise.ln_1p(),
            self.co_surprise.ln_1p(),
            self.name_share(),
        ]
    }

    /// The share of the names of the document with fewer that the other holds too, beyond
    /// those chance explains ([`Expected`]): a retelling carries its source's names, however
    /// common each is; another story of the same kind shares a few of them, and two documents
    /// of one kind of text (one city's news, pages remixing one text) share its commonest.
    pub fn name_share(&self) -> f64 {
        let beyond = (f64::from(self.shared.entities) - self.expected.entities).max(0.0);
        beyond / f64::from(self.fewer_names())
    }

    /// The names other documents hold too, in the document of the two that has fewer; at
    /// least 1, as the denominator of [`Decision::name_share`].
    pub fn fewer_names(&self) -> u32 {
        self.fewer(Kind::Entity).max(1)
    }

    /// The terms of `kind` other documents hold too, in the document of the two that has fewer:
    /// as many as the pair could share.
    fn fewer(&self, kind: Kind) -> u32 {
        let [a, b] = self.held.map(|h| h.by_kind()[kind as usize]);
        a.min(b)
    }

    /// Sets [`Decision::probability`] from the other fields.
    pub fn decide(&mut self) {
        let x = self.inputs();
        let z = WEIGHTS[x.len()] + x.iter().zip(&WEIGHTS).map(|(x, w)| x * w).sum::<f64>();
        self.probability = 1.0 / (1.0 + (-z).exp());
    }
}

/// The least number of shared terms of a kind taken as expected by chance. A term only the two
/// hold is expected zero times, and sharing one would be infinitely unlikely. Where chance gives
/// a pair little, how little depends on how many unrelated documents the batch holds (ten times
/// as many of them make it ten times less): at 0.02, GVA's precision was 0.88 alone and 0.81 in
/// such a batch; at this floor it moves by 0.02, and the decision still weighs chance where it
/// gives a pair more (a batch of one kind of text; `docs/EVALUATION.md`).
const CHANCE_FLOOR: f64 = 0.2;

/// `-ln P(X ≥ shared)` for `X` binomial over `trials` terms, each shared with probability
/// `expected / trials`: how unlikely chance makes it that a pair shares `shared` or more terms of
/// a kind, when the document with fewer holds `trials` of them and chance gives `expected`
/// ([`Expected`], at least [`CHANCE_FLOOR`]). A count at or below what chance gives weighs about
/// nothing; above it each further term weighs more the fewer are expected, and sharing all of
/// a short list more than a Poisson count would say (it cannot go beyond the list).
fn unlikely(shared: u32, trials: u32, expected: f64) -> f64 {
    if shared == 0 || trials == 0 {
        return 0.0;
    }
    let p = expected.max(CHANCE_FLOOR) / f64::from(trials);
    if p >= 1.0 {
        return 0.0;
    }
    let shared = shared.min(trials);
    let (n, s) = (f64::from(trials), f64::from(shared));
    // ln P(X = s)
    let ln_at = ln_factorial(trials) - ln_factorial(shared) - ln_factorial(trials - shared)
        + s * p.ln()
        + (n - s) * (-p).ln_1p();
    let odds = p / (1.0 - p);
    if s <= n * p {
        // The tail holds most of the mass: one minus the terms below s, each from the next.
        let (mut term, mut below, mut k) = (ln_at.exp(), 0.0, s);
        while k > 0.0 {
            term *= k / ((n - k + 1.0) * odds);
            k -= 1.0;
            below += term;
        }
        return -(1.0 - below).max(f64::MIN_POSITIVE).ln();
    }
    // Above the mean each term is a smaller share of the one before: sum them relative to the
    // first, until they no longer count.
    let (mut ratio, mut sum, mut k) = (1.0, 1.0, s);
    while k < n && ratio > 1e-12 * sum {
        ratio *= (n - k) / (k + 1.0) * odds;
        sum += ratio;
        k += 1.0;
    }
    -(ln_at + sum.ln())
}

/// `ln k!`: from a table up to the counts documents hold, Stirling's series beyond (its error
/// there is below 1e-12). Summing `k` logarithms for every candidate pair cost a tenth of a
/// scan's time.
fn ln_factorial(k: u32) -> f64 {
    const TABLE: usize = 1024;
    static LN_FACTORIAL: std::sync::LazyLock<Vec<f64>> = std::sync::LazyLock::new(|| {
        let mut t = vec![0.0; TABLE];
        for i in 2..TABLE {
            t[i] = t[i - 1] + (i as f64).ln();
        }
        t
    });
    match LN_FACTORIAL.get(k as usize) {
        Some(&v) => v,
        None => {
            let k = f64::from(k);
            k * k.ln() - k + 0.5 * (std::f64::consts::TAU * k).ln() + 1.0 / (12.0 * k)
                - 1.0 / (360.0 * k * k * k)
        }
    }
}

/// Days since 1970-01-01 of a date written as ISO 8601 starts it (`2016-03-28`, with or
/// without a time after it); `None` for any other form.
pub fn days_of(date: &str) -> Option<i64> {
    let b = date.trim().as_bytes();
    if b.len() < 10 || b[4] != b'-' || b[7] != b'-' || b.get(10).is_some_and(u8::is_ascii_digit) {
        return None;
    }
    let num = |r: std::ops::Range<usize>| -> Option<i64> {
        b[r].iter().try_fold(0i64, |n, &c| {
            c.is_ascii_digit().then(|| n * 10 + i64::from(c - b'0'))
        })
    };
    let (y, m, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return None;
    }
    // Days from civil (Howard Hinnant's algorithm), for the proleptic Gregorian calendar.
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Some(era * 146_097 + doe - 719_468)
}

/// Days between two dates, when both are ISO 8601 ([`days_of`]).
pub fn days_apart(a: Option<&str>, b: Option<&str>) -> Option<u32> {
    let (a, b) = (days_of(a?)?, days_of(b?)?);
    u32::try_from((a - b).unsigned_abs()).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_dates_count_days_and_other_forms_do_not() {
        assert_eq!(days_of("1970-01-01"), Some(0));
        assert_eq!(days_of("2000-03-01"), Some(11_017));
        assert_eq!(days_of("2016-03-28T10:00:00Z"), days_of("2016-03-28"));
        assert_eq!(days_apart(Some("2016-02-28"), Some("2016-03-01")), Some(2));
        assert_eq!(days_apart(Some("2015-02-28"), Some("2015-03-01")), Some(1));
        for bad in [
            "",
            "28/03/2016",
            "2016-13-01",
            "2016-3-28",
            "20160-3-28",
            "Mon, 28 Mar 2016",
        ] {
            assert_eq!(days_of(bad), None, "{bad}");
        }
        assert_eq!(days_apart(None, Some("2016-03-28")), None);
    }

    #[test]
    fn chance_leaves_out_the_pairs_own_holdings() {
        let side = |others, len| Side { others, len };
        let shared = KindCounts {
            entities: 4,
            ..KindCounts::default()
        };
        let e = Kind::Entity as usize;
        let mut sides = [[side(0, 0); 2]; 5];
        // Four names only the two hold: none expected.
        sides[e] = [side(4, 4), side(4, 4)];
        assert_eq!(Expected::new(sides, &shared, [4.0; 5], 100).entities, 0.0);
        // Each also held by 49 of the 98 other documents, which hold four names on average:
        // a third document holds two of either's four, by chance.
        sides[e] = [side(4 * 50, 4), side(4 * 50, 4)];
        let two = Expected::new(sides, &shared, [4.0; 5], 100);
        assert!((two.entities - 2.0).abs() < 1e-9, "{two:?}");
        assert_eq!(two.words, 0.0);
        // Twice as many names as the batch's documents hold: twice as many shared by chance.
        let longer = Expected::new(sides, &shared, [2.0; 5], 100).entities;
        assert!((longer - 4.0).abs() < 1e-9, "{longer}");
        // A batch of the two alone has no third document.
        assert_eq!(Expected::new(sides, &shared, [4.0; 5], 2).entities, 0.0);
    }

    #[test]
    fn names_that_chance_explains_weigh_nothing() {
        let mut explained = Decision {
            similarity: 0.1,
            shared: KindCounts {
                words: 20,
                entities: 6,
                numbers: 3,
                ..KindCounts::default()
            },
            held: [KindCounts {
                words: 40,
                entities: 10,
                numbers: 6,
                ..KindCounts::default()
            }; 2],
            ..Decision::default()
        };
        let mut beyond = explained.clone();
        explained.expected = Expected {
            entities: 6.5,
            numbers: 3.0,
            ..Expected::default()
        };
        let mut none = explained.clone();
        none.shared.entities = 0;
        none.shared.numbers = 0;
        for d in [&mut explained, &mut beyond, &mut none] {
            d.decide();
        }
        assert!(beyond.probability > explained.probability);
        // What chance gives about as often as not weighs little; beyond it, much more.
        let (ex, be, no) = (explained.inputs(), beyond.inputs(), none.inputs());
        for k in 5..7 {
            assert_eq!(no[k], 0.0);
            assert!(ex[k] < 1.0 && be[k] > 5.0 * ex[k], "{k}: {ex:?} {be:?}");
        }
    }

    /// `ln k!` as a sum of logarithms.
    fn ln_factorial_oracle(k: u32) -> f64 {
        (2..=k).map(|i| f64::from(i).ln()).sum()
    }

    /// `P(X >= s)` for `X` binomial, summed term by term, each from scratch.
    fn tail_oracle(s: u32, n: u32, p: f64) -> f64 {
        let ln_f = ln_factorial_oracle;
        let pmf = |k: u32| {
            let (k_, n_) = (f64::from(k), f64::from(n));
            (ln_f(n) - ln_f(k) - ln_f(n - k) + k_ * p.ln() + (n_ - k_) * (1.0 - p).ln()).exp()
        };
        (s..=n).map(pmf).sum()
    }

    #[test]
    fn ln_factorial_beyond_its_table_goes_on_smoothly() {
        for k in [0, 1, 2, 10, 1023, 1024, 1025, 5000] {
            let want = ln_factorial_oracle(k);
            assert!((ln_factorial(k) - want).abs() < 1e-9 * want.max(1.0), "{k}");
        }
    }

    #[test]
    fn unlikely_is_the_binomial_tail() {
        for (n, expected) in [(1, 0.3), (5, 0.01), (5, 1.2), (12, 3.4), (40, 6.5), (60, 39.0)] {
            let mut last = 0.0;
            for s in 0..=n {
                let got = unlikely(s, n, expected);
                let p = expected.max(CHANCE_FLOOR) / f64::from(n);
                let want = -tail_oracle(s, n, p).min(1.0).ln();
                assert!((got - want).abs() < 1e-6 * want.max(1.0), "{s} of {n}, {expected}: {got} {want}");
                assert!(got >= last, "grows with what is shared");
                last = got;
            }
        }
        // All five names of the shorter document, where chance gives 1.2: one pair in 1,250;
        // seven of twelve where it gives 3.4, one in 35.
        assert!((unlikely(5, 5, 1.2) - 1_250f64.ln()).abs() < 0.1, "{}", unlikely(5, 5, 1.2));
        assert!((unlikely(7, 12, 3.4) - 35f64.ln()).abs() < 0.1, "{}", unlikely(7, 12, 3.4));
        // Nothing expected is taken as the floor; as many expected as held is no evidence.
        assert_eq!(unlikely(2, 10, 0.0), unlikely(2, 10, CHANCE_FLOOR));
        assert_eq!(unlikely(3, 4, 4.0), 0.0);
        assert!(unlikely(3_000, 3_000, 0.0).is_finite());
        assert!(unlikely(3_000, 5_000, 2_000.0).is_finite());
    }

    #[test]
    fn a_retelling_carries_its_sources_names() {
        let held = |entities| KindCounts {
            words: 40,
            entities,
            ..KindCounts::default()
        };
        let shared = KindCounts {
            words: 10,
            entities: 8,
            ..KindCounts::default()
        };
        // Eight of the nine names of the shorter document, or eight of forty; chance explains
        // two of them.
        let mut retelling = Decision {
            similarity: 0.1,
            shared,
            held: [held(9), held(30)],
            expected: Expected {
                entities: 2.0,
                ..Expected::default()
            },
            ..Decision::default()
        };
        let mut similar = Decision {
            held: [held(40), held(45)],
            ..retelling.clone()
        };
        retelling.decide();
        similar.decide();
        assert!((retelling.name_share() - 6.0 / 9.0).abs() < 1e-12);
        assert!(retelling.probability > similar.probability);
    }

    #[test]
    fn specific_shared_evidence_and_close_dates_raise_the_probability() {
        let mut weak = Decision {
            similarity: 0.08,
            shared: KindCounts {
                words: 4,
                entities: 2,
                ..KindCounts::default()
            },
            ..Decision::default()
        };
        let mut strong = Decision {
            specific: KindCounts {
                entities: 3,
                numbers: 2,
                ..KindCounts::default()
            },
            days_apart: Some(0),
            ..weak.clone()
        };
        weak.days_apart = Some(400);
        weak.decide();
        strong.decide();
        assert!(strong.probability > weak.probability);
        assert!((0.0..=1.0).contains(&weak.probability));
        assert_eq!(INPUTS.len() + 1, WEIGHTS.len());
    }
}
