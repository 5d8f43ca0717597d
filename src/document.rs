//! Documents as read, before any processing.
//!
//! Ids are unique within a [`Corpus`] (the reader enforces it), and documents are in the order
//! the inputs were read: sorted paths, then file order. [`DocId`]s index that order, so every
//! later stage can work with dense integers and still produce the same output at any thread
//! count.

use std::fmt;
use std::fs::File;
use std::ops::Deref;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use ahash::AHashMap;
use memmap2::Mmap;

use serde::Serialize;

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
    pub text: Text,
    /// How to read the text again from its file, for a scan that lets texts go once their
    /// features are known; `None` for standard input and compressed files.
    pub reread: Option<Reread>,
    /// Once `text` is let go: the `crate::hash::text_checksum` it had, which the text read
    /// again must match.
    pub released: Option<u64>,
}

/// A document's text: owned, or borrowed from a read-only map of the input file it is in.
///
/// Reading a JSONL file through a map instead of copying each text out of a read buffer took
/// a near-duplicate scan of 100k documents from 0.95 to 0.83 s: a copy lands in fresh memory,
/// whose page faults (230 MB of it) cost more than the copy itself, while a map shows the page
/// cache's pages as they are. Whoever maps a file must not let it be truncated or
/// rewritten in place while the corpus lives (appending is safe): see `--no-mmap`.
#[derive(Clone, Default)]
pub struct Text(Repr);

#[derive(Clone)]
enum Repr {
    Owned(String),
    /// `map[start..start + len]`, checked to be UTF-8 when the text was made.
    Mapped {
        map: Arc<Mmap>,
        start: usize,
        len: usize,
    },
}

impl Default for Repr {
    fn default() -> Self {
        Repr::Owned(String::new())
    }
}

impl Text {
    /// `s` without a copy if it lies within `map`, else a copy of it.
    pub(crate) fn within(map: &Arc<Mmap>, s: &str) -> Text {
        let start = (s.as_ptr() as usize).wrapping_sub(map.as_ptr() as usize);
        if start <= map.len() && s.len() <= map.len() - start {
            Text(Repr::Mapped {
                map: Arc::clone(map),
                start,
                len: s.len(),
            })
        } else {
            Text::from(s)
        }
    }

    /// The text as an owned string (a copy if it is mapped).
    pub fn into_string(self) -> String {
        match self.0 {
            Repr::Owned(s) => s,
            Repr::Mapped { .. } => self.as_str().to_owned(),
        }
    }

    /// Whether the text is borrowed from a map.
    #[cfg(test)]
    pub(crate) fn is_mapped(&self) -> bool {
        matches!(self.0, Repr::Mapped { .. })
    }

    /// The text's bytes as held, without the UTF-8 check [`Text::as_str`] makes at every look:
    /// for hashing or measuring a text, which needs no `str` (the bytes of a file rewritten
    /// under its map are other bytes, never unsound ones).
    pub(crate) fn bytes(&self) -> &[u8] {
        match &self.0 {
            Repr::Owned(s) => s.as_bytes(),
            Repr::Mapped { map, start, len } => &map[*start..*start + *len],
        }
    }

    /// The text as a string slice.
    pub fn as_str(&self) -> &str {
        match &self.0 {
            Repr::Owned(s) => s,
            // Checked at every look, not assumed from when the text was made: the file under
            // the map may have been rewritten in place since, and a `str` must be UTF-8
            // whatever it holds. The text of a rewritten file is then cut where it stops
            // being UTF-8 (the README's "a report of neither version"), never undefined.
            Repr::Mapped { .. } => {
                let bytes = self.bytes();
                std::str::from_utf8(bytes).unwrap_or_else(|e| {
                    std::str::from_utf8(&bytes[..e.valid_up_to()]).unwrap_or_default()
                })
            }
        }
    }
}

impl Deref for Text {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl AsRef<str> for Text {
    fn as_ref(&self) -> &str {
        self
    }
}

impl From<String> for Text {
    fn from(s: String) -> Text {
        Text(Repr::Owned(s))
    }
}

impl From<&str> for Text {
    fn from(s: &str) -> Text {
        Text(Repr::Owned(s.to_owned()))
    }
}

impl fmt::Debug for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl PartialEq for Text {
    fn eq(&self, other: &Text) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for Text {}

impl PartialEq<str> for Text {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for Text {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
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

impl fmt::Display for Place<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
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
    /// FIFOs, sockets and devices met in a folder.
    pub not_regular: u64,
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
    pub open_files: OpenFiles,
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
                    text: Text::from(text.into()),
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

    /// Lets the pages of the mapped input files go from this process's memory (they stay in the
    /// page cache): between features and verification a scan reads few texts, and the pages
    /// would count in its peak memory while the candidates are found. A text read afterwards
    /// faults its pages back in, unchanged.
    pub(crate) fn drop_mapped_pages(&self) {
        // Documents come in input order, each map's together: advice once per run of them
        // (advice given twice does no harm).
        let mut last: *const u8 = std::ptr::null();
        for d in &self.docs {
            if let Repr::Mapped { map, .. } = &d.text.0
                && map.as_ptr() != last
            {
                last = map.as_ptr();
                // SAFETY: the map is read-only and of a file (never anonymous), so the pages
                // let go are read again from the file's page cache when next touched: the same
                // bytes, under the rule every map here already lives by (the file is not
                // rewritten while mapped; see `--no-mmap`). It is advice; failing changes
                // nothing but memory.
                #[cfg(unix)]
                let _ = unsafe { map.unchecked_advise(memmap2::UncheckedAdvice::DontNeed) };
            }
        }
    }

    /// Lets go of the texts of `docs[from..]` that can be read again, keeping their checksums
    /// (computed here, so that a scan which never lets go does not pay for them).
    pub fn release_texts(&mut self, from: usize) {
        for d in &mut self.docs[from..] {
            if d.reread.is_some() && d.released.is_none() {
                d.released = Some(crate::hash::text_checksum(d.text.bytes()));
                d.text = Text::default();
            }
        }
    }
}

/// Files that released JSONL records are read again from (`read::reread`), kept open between reads: one
/// positioned read of the record instead of an open, a seek, a read and a close (a scan of 1M
/// documents reads hundreds of thousands of records again to verify and report its pairs).
#[derive(Debug, Default)]
pub struct OpenFiles(pub(crate) Mutex<AHashMap<PathBuf, Arc<File>>>);

impl Clone for OpenFiles {
    /// A clone opens its own files when it needs them.
    fn clone(&self) -> Self {
        OpenFiles::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Seek, SeekFrom, Write};

    /// A mapped file rewritten in place under a text gives a shorter text, never a `str` that
    /// is not UTF-8.
    #[test]
    fn a_mapped_text_rewritten_in_place_stays_utf8() {
        let mut file = tempfile::tempfile().unwrap();
        file.write_all("caf\u{e9} au lait".as_bytes()).unwrap();
        // SAFETY (test): the map is read-only, and the rewrite below is what is under test.
        let map = Arc::new(unsafe { Mmap::map(&file) }.unwrap());
        let text = Text::within(&map, std::str::from_utf8(&map[..]).unwrap());
        assert!(text.is_mapped());
        assert_eq!(text.as_str(), "caf\u{e9} au lait");
        file.seek(SeekFrom::Start(4)).unwrap();
        file.write_all(&[0xff]).unwrap();
        assert_eq!(text.as_str(), "caf");
    }
}
