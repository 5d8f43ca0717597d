//! neardup finds which documents repeat each other, and shows why.
//!
//! Four relations (design notes): `duplicate` (same normalized text), `near-duplicate`
//! (word-shingle Jaccard at or above a threshold), `overlap` (shared passages) and `rewrite`
//! (the same story in other words, from shared names, numbers, quotations and cited
//! sources). One pipeline finds them:
//!
//! ```text
//! read ─▶ features (normalize, sketch) ─▶ candidates ─▶ verify (align, rewrite) ─▶ cluster ─▶ report
//! ```
//!
//! Each stage is a module of its own, and dependencies point down the pipeline only
//! (ARCHITECTURE.md lists the layers; a test keeps them). Every stage that touches many
//! documents runs on rayon and gives the same result at any thread count. Everything persisted
//! or compared across runs is hashed with fixed seeds (xxh3), never by `ahash`.
//!
//! # The API, in one page
//!
//! - [`scan`] a [`Corpus`] (from [`Corpus::from_texts`] or [`read::inputs`]), or [`scan_paths`]
//!   to read and scan files with bounded memory: a [`ScanResult`] of [`PairReport`]s and
//!   [`Cluster`]s. [`Report`] turns it into the JSON contract, [`report::write`] into any
//!   format.
//! - [`compare`] two documents: one [`PairReport`], related or not.
//! - [`index::Index`] holds documents for later checks: [`add_to_index`] adds files to one,
//!   [`check`] compares new documents with it ([`CheckResult::failing`] is a CI gate's answer).
//! - [`Params`] holds every setting; each entry point validates it and derives what follows
//!   from it (the LSH banding from the threshold), so a struct literal is enough. A bad value
//!   is an [`Error::Params`] naming it; every other failure is an [`Error`] too.
//!
//! # Example
//!
//! ```
//! use neardup::{Corpus, NoProgress, Params, Relation};
//!
//! let original = "The council met on Tuesday to discuss the budget for next year, and \
//!                 agreed to raise spending on schools and roads by five percent.";
//! let edited = "The council met on Tuesday to discuss the budget for next year, and \
//!               agreed to raise spending on schools and roads by six percent.";
//! let corpus = Corpus::from_texts([("a", original), ("b", edited)]);
//! let params = Params { threshold: 0.6, ..Params::default() };
//! let result = neardup::scan(&corpus, &params, &NoProgress).unwrap();
//! assert_eq!(result.pairs[0].relation, Some(Relation::NearDuplicate));
//! assert!(result.pairs[0].jaccard > 0.6);
//!
//! let invalid = Params { threshold: 1.5, ..Params::default() };
//! assert!(matches!(neardup::scan(&corpus, &invalid, &NoProgress), Err(neardup::Error::Params(_))));
//! ```

#![warn(missing_docs)]

/// Declares the pipeline's stage modules: the crate's own, reachable from outside only with
/// the `internals` feature, for the benchmarks and fuzz targets that measure stages one by one.
/// They are not the API: it is what the crate root exports.
macro_rules! stages {
    ($($name:ident),* $(,)?) => {$(
        #[cfg(feature = "internals")]
        #[doc(hidden)]
        pub mod $name;
        #[cfg(not(feature = "internals"))]
        mod $name;
    )*};
}

stages!(
    align, candidates, cluster, features, hash, normalize, pipeline, rewrite, sketch, verify,
);

pub mod document;
pub mod error;
pub mod index;
#[cfg(test)]
mod layers;
pub mod params;
pub mod progress;
pub mod read;
pub mod relation;
pub mod report;

pub use align::{Passage, PassageKind};
pub use cluster::Cluster;
pub use document::{Corpus, DocId, Document, Warning};
pub use error::{Error, Result};
pub use params::{Params, ReadOptions};
pub use pipeline::{
    CheckResult, CitedSource, Gate, GateResult, Lap, ScanResult, Stats, add_documents,
    add_to_index, check, check_index, lsh_candidates, scan, scan_paths, signatures,
};
pub use progress::{NoProgress, Progress};
pub use relation::Relation;
pub use report::Report;
pub use rewrite::Evidence;
pub use rewrite::decision::{Decision, Expected, KindCounts};
pub use verify::{PairReport, compare};
