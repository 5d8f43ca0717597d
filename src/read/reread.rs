//! Reading a released text again: a corpus lets go of texts it can read again from their
//! files (see [`Corpus::release_texts`]) and reads them back when a pair needs them.

use std::borrow::Cow;
use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::{Arc, PoisonError};

use super::{dir, jsonl};
use crate::document::{Corpus, DocId, Document, OpenFiles, Reread};
use crate::error::{Error, Result};
use crate::hash;
use crate::params::ReadOptions;

impl Corpus {
    /// The text of document `id`: held in memory, or read again from its file if it was
    /// released. A file that changed since it was first read is an error naming it.
    pub fn text(&self, id: DocId) -> Result<Cow<'_, str>> {
        let doc = self.doc(id);
        match (doc.released, doc.reread) {
            (Some(checksum), Some(reread)) => {
                reread_text(doc, reread, checksum, &self.options, &self.open_files).map(Cow::Owned)
            }
            _ => Ok(Cow::Borrowed(doc.text.as_str())),
        }
    }

    /// Asks the system to start reading the let-go texts of `ids` from their files, so that
    /// the reads that follow find them in the page cache. Where the input is larger than the
    /// page cache, each core read one record at a time and the disk served one request per
    /// core; asked ahead, hundreds are in flight at once. Advice only: a file that cannot be
    /// opened here is reported by the read itself.
    pub(crate) fn read_ahead(&self, ids: impl IntoIterator<Item = DocId>) {
        for id in ids {
            let doc = self.doc(id);
            match (doc.released, doc.reread) {
                (Some(_), Some(Reread::Record { offset, len })) => {
                    if let Ok(file) = self.open_files.get(&doc.path) {
                        will_need(&file, offset, len);
                    }
                }
                (Some(_), Some(Reread::File)) => read_files_ahead(std::slice::from_ref(&doc.path)),
                _ => {}
            }
        }
    }
}

/// Asks the system to start reading the whole files at `paths` (see [`Corpus::read_ahead`]);
/// a file that cannot be opened here is reported by the read itself.
pub(super) fn read_files_ahead(paths: &[PathBuf]) {
    // Elsewhere the advice is not given, and opening the files would be for nothing.
    if !cfg!(target_os = "linux") {
        return;
    }
    for path in paths {
        if let Ok(file) = File::open(path) {
            // A length of 0 is to the end of the file.
            will_need(&file, 0, 0);
        }
    }
}

#[cfg(target_os = "linux")]
fn will_need(file: &File, offset: u64, len: u64) {
    use std::os::fd::AsRawFd;
    // SAFETY: advice on an open descriptor; it reads into the page cache and touches no memory
    // of ours. Failing changes nothing but how soon the read is served.
    let _ = unsafe {
        libc::posix_fadvise(
            file.as_raw_fd(),
            offset as libc::off_t,
            len as libc::off_t,
            libc::POSIX_FADV_WILLNEED,
        )
    };
}

#[cfg(not(target_os = "linux"))]
fn will_need(_: &File, _: u64, _: u64) {}

/// Files kept open at most; past it they are closed and opened again as needed, so that a corpus
/// of many shards stays within the limit on open files.
pub(super) const MAX_OPEN_FILES: usize = 64;

impl OpenFiles {
    fn get(&self, path: &Path) -> std::io::Result<Arc<File>> {
        // A panic elsewhere while the lock was held leaves the map whole.
        let mut open = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(file) = open.get(path) {
            return Ok(Arc::clone(file));
        }
        if open.len() >= MAX_OPEN_FILES {
            open.clear();
        }
        let file = Arc::new(File::open(path)?);
        open.insert(path.to_path_buf(), Arc::clone(&file));
        Ok(file)
    }
}

/// Reads `bytes.len()` bytes of `file` at `offset`, without moving a shared file position.
#[cfg(unix)]
fn read_at(file: &File, offset: u64, bytes: &mut [u8]) -> std::io::Result<()> {
    std::os::unix::fs::FileExt::read_exact_at(file, bytes, offset)
}

#[cfg(windows)]
fn read_at(file: &File, mut offset: u64, mut bytes: &mut [u8]) -> std::io::Result<()> {
    while !bytes.is_empty() {
        match std::os::windows::fs::FileExt::seek_read(file, bytes, offset)? {
            0 => return Err(std::io::ErrorKind::UnexpectedEof.into()),
            n => {
                bytes = &mut bytes[n..];
                offset += n as u64;
            }
        }
    }
    Ok(())
}

/// The text of `doc` read again from its file, checked against the checksum taken when it
/// was released.
fn reread_text(
    doc: &Document,
    reread: Reread,
    checksum: u64,
    opts: &ReadOptions,
    files: &OpenFiles,
) -> Result<String> {
    let changed = || {
        Error::input(
            &doc.path,
            doc.line,
            "changed while neardup was scanning it; scan again",
        )
    };
    let text = match reread {
        Reread::File => {
            let bytes = std::fs::read(&doc.path).map_err(|e| Error::io(&doc.path, e))?;
            // Read as first read; a file that became binary has changed.
            dir::file_text(bytes, &doc.path, dir::Named::ByUser, opts, &mut Vec::new())?
                .ok_or_else(changed)?
        }
        Reread::Record { offset, len } => {
            let file = files.get(&doc.path).map_err(|e| Error::io(&doc.path, e))?;
            let mut bytes = vec![0; len as usize];
            match read_at(&file, offset, &mut bytes) {
                Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => return Err(changed()),
                other => other.map_err(|e| Error::io(&doc.path, e))?,
            }
            let line = doc.line.unwrap_or(0);
            // A record that no longer parses has changed, whatever the error.
            jsonl::parse_record(&doc.path, line, &bytes, opts, None)
                .map_err(|_| changed())?
                .0
                .text
                .into_string()
        }
    };
    if hash::text_checksum(text.as_bytes()) != checksum {
        return Err(changed());
    }
    Ok(text)
}
