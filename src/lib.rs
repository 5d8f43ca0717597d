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
//! Each stage is a module with a small typed interface; [`pipeline::scan`] composes them, and
//! dependencies point down the pipeline only (ARCHITECTURE.md lists the layers; a test keeps
//! them).
//! Every stage that touches many documents runs on rayon and gives the same result at any
//! thread count. Everything persisted or compared across runs is hashed by [`hash`] (xxh3 with
//! fixed seeds), never by `ahash`.
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
//! let params = Params { threshold: 0.6, ..Params::default() }.resolved().unwrap();
//! let result = neardup::scan(&corpus, &params, &NoProgress).unwrap();
//! assert_eq!(result.pairs[0].relation, Some(Relation::NearDuplicate));
//! assert!(result.pairs[0].jaccard > 0.6);
//! ```

#![warn(missing_docs)]

pub mod align;
pub mod candidates;
pub mod cluster;
pub mod document;
pub mod error;
pub mod features;
pub mod hash;
pub mod index;
#[cfg(test)]
mod layers;
pub mod normalize;
pub mod params;
pub mod pipeline;
pub mod progress;
pub mod read;
pub mod relation;
pub mod report;
pub mod rewrite;
pub mod sketch;
pub mod verify;

pub use document::{Corpus, DocId, Document, Warning};
pub use error::{Error, Result};
pub use params::{Params, ReadOptions};
pub use pipeline::{ScanResult, scan};
pub use progress::{NoProgress, Progress};
pub use relation::Relation;
pub use report::Report;
