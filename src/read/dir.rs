//! Folders and plain text files.
//!
//! A folder is walked recursively in sorted order (byte order of names, so the same on every
//! platform). `.txt` and `.md` files are read; hidden entries and other extensions are skipped
//! and counted, and so are FIFOs, sockets and devices; files that look binary are skipped with
//! a warning. The id of a file is its path
//! relative to the folder given, with `/` separators.

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::{MAX_TEXT_BYTES, decode, reread};
use crate::document::{Corpus, Document, Reread, Warning};
use crate::error::{Error, Result};
use crate::params::ReadOptions;

/// How many leading bytes are searched for a NUL to call a file binary (as git and ripgrep do).
const BINARY_SNIFF: usize = 8 * 1024;

/// Files read (in parallel) before the documents are handed on as one batch.
const BATCH_FILES: usize = 4096;

pub(super) fn read(
    root: &Path,
    opts: &ReadOptions,
    corpus: &mut Corpus,
    batch: &mut dyn FnMut(&mut Corpus, usize) -> Result<()>,
) -> Result<()> {
    let mut files = Vec::new();
    walk(root, &mut files, corpus)?;
    let batches: Vec<&[PathBuf]> = files.chunks(BATCH_FILES).collect();
    // Each batch's files are asked of the disk on a thread of their own while the batch
    // before is read and its features extracted. Read cold, one file at a time per core, a
    // folder of 30k files took four to five times as long as from the page cache.
    std::thread::scope(|s| {
        let ahead = |i: usize| {
            let b: &[PathBuf] = batches.get(i)?;
            Some(s.spawn(move || reread::read_files_ahead(b)))
        };
        let mut asked = ahead(0);
        for (i, chunk) in batches.iter().enumerate() {
            let asking = asked.take();
            asked = ahead(i + 1);
            // Reading is parallel; collecting keeps the sorted order.
            let results: Vec<Result<Corpus>> = chunk
                .par_iter()
                .map(|path| {
                    let mut local = Corpus::default();
                    let id = relative_id(root, path);
                    let doc = read_text_file(path, id, Named::Walked, opts, &mut local)?;
                    local.docs.extend(doc);
                    Ok(local)
                })
                .collect();
            let from = corpus.docs.len();
            for r in results {
                let local = r?;
                corpus.docs.extend(local.docs);
                corpus.warnings.extend(local.warnings);
                corpus.skipped.binary += local.skipped.binary;
            }
            batch(corpus, from)?;
            // Its own asking ends with it: at most two batches are asked for at once.
            if let Some(h) = asking {
                let _ = h.join();
            }
        }
        Ok(())
    })
}

fn walk(dir: &Path, files: &mut Vec<PathBuf>, corpus: &mut Corpus) -> Result<()> {
    let mut entries = std::fs::read_dir(dir)
        .map_err(|e| Error::io(dir, e))?
        .map(|e| e.map_err(|e| Error::io(dir, e)))
        .collect::<Result<Vec<_>>>()?;
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let path = entry.path();
        let name = entry.file_name();
        if name.to_string_lossy().starts_with('.') {
            corpus.skipped.hidden += 1;
            continue;
        }
        // Follows symlinks, so a link to a folder is walked and a dangling link is an error
        // naming it rather than a silent skip.
        let meta = std::fs::metadata(&path).map_err(|e| Error::io(&path, e))?;
        if meta.is_dir() {
            walk(&path, files, corpus)?;
        } else if !meta.is_file() {
            // A FIFO would block the walk until something writes to it; a device never ends.
            corpus.skipped.not_regular += 1;
        } else if has_text_extension(&path) {
            files.push(path);
        } else {
            corpus.skipped.other_extension += 1;
        }
    }
    Ok(())
}

fn has_text_extension(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("txt") || e.eq_ignore_ascii_case("md"))
}

fn relative_id(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// How a text file came to be read, which decides what a NUL byte in it means.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Named {
    /// Found by walking a folder: a file with a NUL byte near its start is binary, skipped
    /// and counted, as git and ripgrep skip one.
    Walked,
    /// Named by the user: never skipped (a gate must not let a named file pass unread); its
    /// NUL bytes are replaced by spaces, with a warning.
    ByUser,
}

/// The text of a file's bytes, `None` when a walked file looks binary: UTF-16 with a byte
/// order mark is decoded (a UTF-8 one dropped), NUL bytes handled as `named` says, invalid
/// UTF-8 repaired (see [`decode`]). A pure function of the bytes, so that a text let go
/// during the scan reads again the same.
pub(super) fn file_text(
    bytes: Vec<u8>,
    path: &Path,
    named: Named,
    opts: &ReadOptions,
    warnings: &mut Vec<Warning>,
) -> Result<Option<String>> {
    let warn = |warnings: &mut Vec<Warning>, reason: String| {
        warnings.push(Warning {
            path: path.to_path_buf(),
            line: None,
            reason,
        })
    };
    let utf16 = |bytes: &[u8], unit: fn([u8; 2]) -> u16| {
        let units = bytes.chunks_exact(2).map(|c| unit([c[0], c[1]]));
        char::decode_utf16(units)
            .map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER))
            .collect::<String>()
    };
    let text = match bytes.as_slice() {
        [0xFF, 0xFE, rest @ ..] => utf16(rest, u16::from_le_bytes),
        [0xFE, 0xFF, rest @ ..] => utf16(rest, u16::from_be_bytes),
        [0xEF, 0xBB, 0xBF, rest @ ..] => decode(rest.to_vec(), path, None, opts, warnings)?,
        _ if bytes.contains(&0) => {
            if named == Named::Walked && bytes[..bytes.len().min(BINARY_SNIFF)].contains(&0) {
                warn(warnings, "looks binary (NUL byte), skipped".into());
                return Ok(None);
            }
            let nuls = bytes.iter().filter(|&&b| b == 0).count();
            if opts.strict {
                return Err(Error::input(
                    path,
                    None,
                    format!("{nuls} NUL byte(s) (drop --strict to replace them)"),
                ));
            }
            warn(warnings, format!("{nuls} NUL byte(s) replaced by spaces"));
            // Spaces, not removed: offsets still point into the bytes given.
            let spaced: Vec<u8> = bytes
                .into_iter()
                .map(|b| if b == 0 { b' ' } else { b })
                .collect();
            decode(spaced, path, None, opts, warnings)?
        }
        _ => decode(bytes, path, None, opts, warnings)?,
    };
    Ok(Some(text))
}

/// Reads one text file as a document with `id`; `None` (with a warning) when a walked file
/// is binary.
pub(super) fn read_text_file(
    path: &Path,
    id: String,
    named: Named,
    opts: &ReadOptions,
    corpus: &mut Corpus,
) -> Result<Option<Document>> {
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    if bytes.len() >= MAX_TEXT_BYTES {
        return Err(Error::input(path, None, "document is 4 GiB or larger"));
    }
    let Some(text) = file_text(bytes, path, named, opts, &mut corpus.warnings)? else {
        corpus.skipped.binary += 1;
        return Ok(None);
    };
    let title = title_of(&text);
    Ok(Some(Document {
        id,
        path: path.to_path_buf(),
        line: None,
        title,
        reread: Some(Reread::File),
        text: text.into(),
        ..Document::default()
    }))
}

/// The first non-empty line, without Markdown heading marks, as a title.
fn title_of(text: &str) -> Option<String> {
    let line = text.lines().map(str::trim).find(|l| !l.is_empty())?;
    let line = line.trim_start_matches('#').trim();
    let mut title: String = line.chars().take(160).collect();
    if title.len() < line.len() {
        title.push('…');
    }
    (!title.is_empty()).then_some(title)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Past one batch of files (each asked of the disk ahead on its own thread), the documents
    /// come in sorted order, a batch at a time; a file refused in a later batch is an error
    /// naming it, once the batches before it are handed on.
    #[test]
    fn batches_of_files_read_in_order_or_fail_naming_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let n = BATCH_FILES + 5;
        for i in 0..n {
            std::fs::write(dir.path().join(format!("{i:05}.txt")), format!("text {i}")).unwrap();
        }
        let strict = ReadOptions {
            strict: true,
            ..ReadOptions::default()
        };
        let read_all = || {
            let mut corpus = Corpus::default();
            let mut batches = Vec::new();
            let result = read(dir.path(), &strict, &mut corpus, &mut |c, from| {
                batches.push((from, c.docs.len()));
                Ok(())
            });
            (result, corpus, batches)
        };
        let (result, corpus, batches) = read_all();
        result.unwrap();
        assert_eq!(batches, [(0, BATCH_FILES), (BATCH_FILES, n)]);
        for (i, d) in corpus.docs.iter().enumerate() {
            assert_eq!(d.id, format!("{i:05}.txt"));
            assert_eq!(d.text.as_str(), format!("text {i}"));
        }
        // Invalid UTF-8, refused under `strict`.
        std::fs::write(dir.path().join("99999.txt"), b"caf\xe9").unwrap();
        let (result, _, batches) = read_all();
        let e = result.unwrap_err().to_string();
        assert!(e.contains("99999.txt"), "{e}");
        assert_eq!(batches, [(0, BATCH_FILES)]);
    }

    #[test]
    fn titles() {
        assert_eq!(
            title_of("\n\n  Big News \nbody").as_deref(),
            Some("Big News")
        );
        assert_eq!(title_of("# Heading\n").as_deref(), Some("Heading"));
        assert_eq!(title_of("  \n "), None);
        let long = "x".repeat(500);
        assert_eq!(title_of(&long).unwrap().chars().count(), 161);
    }

    #[test]
    fn ids_are_relative_with_slashes() {
        assert_eq!(
            relative_id(Path::new("root"), Path::new("root/a/b.txt")),
            "a/b.txt"
        );
    }
}
