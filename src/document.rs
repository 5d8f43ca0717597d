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
    /// Whether `text` was let go, to be read again through `reread` when needed.
    pub released: bool,
}

/// Where a document's text can be read again, and how to tell that it is still the same.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Reread {
    /// For a JSONL record, its byte offset and length in the (uncompressed) file; `None`
    /// for a text file, which is read whole.
    pub record: Option<(u64, u64)>,
    /// [`crate::hash::text_checksum`] of the text as first read.
    pub checksum: u64,
}

impl Document {
    /// Where the document came from, as `file` or `file:line`, for messages.
    pub fn place(&self) -> String {
        match self.line {
            Some(l) => format!("{}:{l}", self.path.display()),
            None => self.path.display().to_string(),
        }
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
            (true, Some(reread)) => crate::read::reread(doc, reread, &self.options).map(Cow::Owned),
            _ => Ok(Cow::Borrowed(&doc.text)),
        }
    }

    /// Lets go of the texts of `docs[from..]` that can be read again.
    pub fn release_texts(&mut self, from: usize) {
        for d in &mut self.docs[from..] {
            if d.reread.is_some() {
                d.text = String::new();
                d.released = true;
            }
        }
    }
}
