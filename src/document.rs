//! Documents as read, before any processing.
//!
//! Ids are unique within a [`Corpus`] (the reader enforces it), and documents are in the order
//! the inputs were read: sorted paths, then file order. [`DocId`]s index that order, so every
//! later stage can work with dense integers and still produce the same output at any thread
//! count.

use std::borrow::Cow;
use std::path::PathBuf;

use serde::Serialize;

use crate::error::Result;
use crate::params::ReadOptions;

/// Dense index of a document in its [`Corpus`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct DocId(pub u32);

impl DocId {
    /// The index as `usize`.
    #[inline]
    pub fn idx(self) -> usize {
        self.0 as usize
    }
}

/// One input document.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Document {
    /// The document's id (design notes: relative path, JSONL `id` field, or `<file>:<line>`).
    pub id: String,
    /// The file it came from (`<stdin>` for standard input).
    pub path: PathBuf,
    /// 1-based line in a JSONL file; `None` for a text file.
    pub line: Option<u64>,
    /// Optional metadata carried through to reports.
    pub title: Option<String>,
    /// The outlet or origin named by the input.
    pub source: Option<String>,
    /// Publication date as given (ISO 8601 sorts correctly; other formats compare as text).
    pub date: Option<String>,
    /// The document's URL.
    pub url: Option<String>,
    /// The original text, exactly as read (after lossy UTF-8 repair, if any); empty once
    /// released (see [`Corpus::text`]).
    pub text: String,
    /// How to read the text again from its file, for a scan that lets texts go once their
    /// features are known; `None` for standard input and compressed files.
    pub reread: Option<Reread>,
    /// Once `text` is let go: the [`crate::hash::text_checksum`] it had, which the text read
    /// again must match.
    pub released: Option<u64>,
}

/// Where a document's text can be read again.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reread {
    /// The whole file at the document's path.
    File,
    /// A JSONL record: its byte offset and length in the (uncompressed) file.
    Record {
        /// Byte offset of the record's line.
        offset: u64,
        /// Its length in bytes, without the line break.
        len: u64,
    },
}

impl Document {
    /// Where the document came from, as `file` or `file:line`, for messages and reports.
    pub fn place(&self) -> Place<'_> {
        Place {
            path: &self.path,
            line: self.line,
        }
    }
}

/// Where a document came from, formatted only when shown: a report of 100k documents built
/// their 100k strings one after another, and the JSONL format never shows them.
#[derive(Clone, Copy, Debug)]
pub struct Place<'a> {
    path: &'a std::path::Path,
    line: Option<u64>,
}

impl std::fmt::Display for Place<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.line {
            Some(l) => write!(f, "{}:{l}", self.path.display()),
            None => write!(f, "{}", self.path.display()),
        }
    }
}

impl Serialize for Place<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// A problem with one input that did not stop the run.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Warning {
    /// The file concerned.
    pub path: PathBuf,
    /// The 1-based line, for JSONL records.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u64>,
    /// What happened and what was done about it.
    pub reason: String,
}

/// Files found in folders but not read, by reason.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Skipped {
    /// Hidden files and folders (name starting with `.`).
    pub hidden: u64,
    /// Files whose extension is not `.txt` or `.md`.
    pub other_extension: u64,
    /// Files that look binary (a NUL byte near the start).
    pub binary: u64,
    /// JSONL records skipped under `--skip-invalid`.
    pub invalid_records: u64,
}

/// The documents of one run, plus what reading them reported.
#[derive(Clone, Debug, Default)]
pub struct Corpus {
    /// The documents, in input order.
    pub docs: Vec<Document>,
    /// Problems that did not stop the run.
    pub warnings: Vec<Warning>,
    /// Counts of what was not read.
    pub skipped: Skipped,
    /// How the documents were read: released texts are read again the same way.
    pub options: ReadOptions,
    /// The files released texts are read again from, kept open.
    pub open_files: crate::read::OpenFiles,
}

impl Corpus {
    /// A corpus from `(id, text)` pairs, for tests and library users with text in memory.
    pub fn from_texts<I, S, T>(texts: I) -> Corpus
    where
        I: IntoIterator<Item = (S, T)>,
        S: Into<String>,
        T: Into<String>,
    {
        let docs = texts
            .into_iter()
            .map(|(id, text)| {
                let id = id.into();
                Document {
                    path: PathBuf::from(&id),
                    id,
                    text: text.into(),
                    ..Document::default()
                }
            })
            .collect();
        Corpus {
            docs,
            ..Corpus::default()
        }
    }

    /// The document with `id`.
    pub fn doc(&self, id: DocId) -> &Document {
        &self.docs[id.idx()]
    }

    /// The text of document `id`: held in memory, or read again from its file if it was
    /// released. A file that changed since it was first read is an error naming it.
    pub fn text(&self, id: DocId) -> Result<Cow<'_, str>> {
        let doc = self.doc(id);
        match (doc.released, doc.reread) {
            (Some(checksum), Some(reread)) => {
                crate::read::reread(doc, reread, checksum, &self.options, &self.open_files)
                    .map(Cow::Owned)
            }
            _ => Ok(Cow::Borrowed(&doc.text)),
        }
    }

    /// Lets go of the texts of `docs[from..]` that can be read again, keeping their checksums
    /// (computed here, so that a scan which never lets go does not pay for them).
    pub fn release_texts(&mut self, from: usize) {
        for d in &mut self.docs[from..] {
            if d.reread.is_some() && d.released.is_none() {
                d.released = Some(crate::hash::text_checksum(&d.text));
                d.text = String::new();
            }
        }
    }
}
