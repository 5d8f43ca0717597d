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

    fn logs(&self) -> [f64; 5] {
        [
            self.words,
            self.entities,
            self.numbers,
            self.quotes,
            self.sources,
        ]
        .map(|n| f64::from(n).ln_1p())
    }
}

/// What two documents' salient terms have in common ([`crate::rewrite::shared_terms`]).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Shared {
    /// Common terms, by kind.
    pub shared: KindCounts,
    /// Of those, the ones at most [`SPECIFIC_MAX_DF`] documents hold.
    pub specific: KindCounts,
    /// `Σ 1 / (df - 1)` over the common terms: 1 for a term only the two hold, 1/10 for one
    /// ten other documents hold too.
    pub surprise: f64,
    /// `Σ 1 / (c - 1)` over the pairs of heavy terms both hold together, chance seldom
    /// ([`crate::rewrite::Sketch::co_held`]), `c` counting the documents that hold a pair.
    pub co_surprise: f64,
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
    /// `Σ 1 / (df - 1)` over the shared terms, `df` counting the documents that hold one: how
    /// few other documents could explain what the two share.
    #[serde(serialize_with = "six_decimals")]
    pub surprise: f64,
    /// `Σ 1 / (c - 1)` over the pairs of their heaviest terms the two hold together and chance
    /// seldom would, `c` counting the documents that hold a pair: names each held by hundreds
    /// of documents are specific together when few others hold them together.
    #[serde(serialize_with = "six_decimals")]
    pub co_surprise: f64,
}

/// Rounded as the report rounds every figure.
fn six_decimals<S: serde::Serializer>(x: &f64, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_f64((x * 1e6).round() / 1e6)
}

#[cfg(any(test, feature = "internals"))]
/// Names of the model's inputs, in [`Decision::inputs`] order (the fitting script's names).
pub const INPUTS: [&str; 16] = [
    "ln_similarity",
    "ln_days_apart",
    "no_dates",
    "same_source",
    "shared_words",
    "shared_entities",
    "shared_numbers",
    "shared_quotes",
    "shared_sources",
    "specific_words",
    "specific_entities",
    "specific_numbers",
    "specific_quotes",
    "specific_sources",
    "ln_surprise",
    "ln_co_surprise",
];

/// The model: one weight per input, then the intercept. Fitted by
/// `scripts/fit_rewrite_model.py` on the development halves of ECB+ and GVA, each given the
/// same total weight.
pub const WEIGHTS: [f64; 17] = [
    1.5631,  // ln_similarity
    -0.6353, // ln_days_apart
    -0.0829, // no_dates
    -0.7875, // same_source
    -0.9909, // shared_words
    0.5919,  // shared_entities
    0.4328,  // shared_numbers
    0.3584,  // shared_quotes
    -0.2950, // shared_sources
    0.1092,  // specific_words
    0.3142,  // specific_entities
    -0.1651, // specific_numbers
    -0.0766, // specific_quotes
    -0.1166, // specific_sources
    1.3487,  // ln_surprise
    1.2052,  // ln_co_surprise
    4.6284,  // intercept
];

impl Decision {
    /// The model's inputs: logarithms of the counts (a tenth shared name adds less than a
    /// second), of the similarity and of the days apart, and two indicators.
    pub fn inputs(&self) -> [f64; 16] {
        let (days, no_dates) = match self.days_apart {
            Some(d) => (f64::from(d).ln_1p(), 0.0),
            None => (0.0, 1.0),
        };
        let [sw, se, sn, sq, ss] = self.shared.logs();
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
        ]
    }

    /// Sets [`Decision::probability`] from the other fields.
    pub fn decide(&mut self) {
        let x = self.inputs();
        let z = WEIGHTS[16] + x.iter().zip(&WEIGHTS).map(|(x, w)| x * w).sum::<f64>();
        self.probability = 1.0 / (1.0 + (-z).exp());
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
