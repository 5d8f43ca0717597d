//! The library's one error type.
//!
//! `Display` gives the context only ("cannot read {path}"); the cause is the `#[source]`, so
//! printing the chain with `{:#}`-style walkers never shows it twice.

use std::path::PathBuf;

/// Everything that can go wrong in neardup's library.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A record or document that could not be used; `line` is 1-based when known.
    #[error("{}{}: {message}", .path.display(), line_suffix(.line))]
    Input {
        /// The file the record came from (`<stdin>` for standard input).
        path: PathBuf,
        /// The 1-based line of a JSONL record, when the error belongs to one.
        line: Option<u64>,
        /// What is wrong with it.
        message: String,
    },
    /// Reading or writing a file failed.
    #[error("cannot access {}", .path.display())]
    Io {
        /// The file or folder being accessed.
        path: PathBuf,
        /// The operating system's reason.
        #[source]
        source: std::io::Error,
    },
    /// The index could not be read or written.
    #[error("index {}", .path.display())]
    Index {
        /// The index file.
        path: PathBuf,
        /// SQLite's reason (its own type is not part of this crate's API).
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    /// The file is not a neardup index, or is damaged.
    #[error("{} is not a usable neardup index: {reason}", .path.display())]
    IndexCorrupt {
        /// The file.
        path: PathBuf,
        /// What is wrong with it.
        reason: String,
    },
    /// The index file was removed or replaced by another run while this one waited to write
    /// to it; nothing was written.
    #[error("index {} was removed or replaced by another run while this one waited to write; nothing was written", .path.display())]
    IndexReplaced {
        /// The file.
        path: PathBuf,
    },
    /// The index was written by an incompatible format version.
    #[error("index {} has format v{found}; this build reads v{expected}: {}", .path.display(),
        if found < expected { format!("upgrade it in place, keeping its documents, with `neardup index upgrade --index {}`", .path.display()) }
        else { "use a newer neardup".to_string() })]
    IndexVersion {
        /// The file.
        path: PathBuf,
        /// Its format version.
        found: u32,
        /// The version this build writes.
        expected: u32,
    },
    /// The run's settings differ from those the index was built with.
    #[error("index {} was built with other settings ({difference}); run with the index's settings or build a new index", .path.display())]
    IndexParams {
        /// The file.
        path: PathBuf,
        /// The first setting that differs.
        difference: String,
    },
    /// A parameter is out of range or contradicts another one; the message names the flag.
    #[error("invalid parameter: {0}")]
    Params(String),
}

fn line_suffix(line: &Option<u64>) -> String {
    line.map(|l| format!(":{l}")).unwrap_or_default()
}

/// `Result` with neardup's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// An input error at `path`, optionally at a 1-based `line`.
    pub fn input(path: impl Into<PathBuf>, line: Option<u64>, message: impl Into<String>) -> Self {
        Error::Input {
            path: path.into(),
            line,
            message: message.into(),
        }
    }

    /// An I/O error while accessing `path`.
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            source,
        }
    }
}
