//! The four ways two documents repeat each other: the vocabulary every stage and report shares.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// How two documents repeat each other, from strongest to weakest.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Relation {
    /// Same text after normalization.
    Duplicate,
    /// The same article lightly edited: shingle Jaccard at or above the threshold.
    NearDuplicate,
    /// One reuses passages of the other.
    Overlap,
    /// The same story in other words.
    Rewrite,
}

impl Relation {
    /// All relations, strongest first.
    pub const ALL: [Relation; 4] = [
        Relation::Duplicate,
        Relation::NearDuplicate,
        Relation::Overlap,
        Relation::Rewrite,
    ];

    /// The name used in reports and on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Relation::Duplicate => "duplicate",
            Relation::NearDuplicate => "near-duplicate",
            Relation::Overlap => "overlap",
            Relation::Rewrite => "rewrite",
        }
    }
}

impl fmt::Display for Relation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Relation {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Relation::ALL
            .into_iter()
            .find(|r| r.as_str() == s)
            .ok_or_else(|| {
                format!(
                    "unknown relation {s:?} (expected one of: {})",
                    Relation::ALL.map(Relation::as_str).join(", ")
                )
            })
    }
}
