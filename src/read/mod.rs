//! Reading inputs into a [`Corpus`].
//!
//! Takes paths (folders, text files, JSONL files, `-` for JSONL on standard input) and returns
//! their documents in a deterministic order: the paths in the order given, each folder walked
//! in sorted order, each JSONL file in line order. Ids are unique across the whole corpus; a
//! repeated id is an error naming both places (or, under `--skip-invalid`, a warning and the
//! later record dropped).

mod dir;
mod jsonl;
mod reread;

use std::fs::File;
use std::path::{Path, PathBuf};

use ahash::AHashMap;

use crate::document::{Corpus, Document, Warning};
use crate::error::{Error, Result};
use crate::params::ReadOptions;

/// The path name used for standard input in ids and messages.
pub const STDIN_NAME: &str = "<stdin>";

/// Texts at or above this size are refused: word offsets are 32-bit.
pub const MAX_TEXT_BYTES: usize = u32::MAX as usize;

/// Whether `path` names a JSONL file (plain, gzip or zstd).
pub fn is_jsonl(path: &Path) -> bool {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    [".jsonl", ".jsonl.gz", ".jsonl.zst", ".ndjson"]
        .iter()
        .any(|ext| name.ends_with(ext))
}

/// Whether `path` is a Parquet file, by its name or the first bytes of a regular file (a pipe's
/// would be lost): read as text, its compressed pages would give a document of noise without a
/// word said.
fn is_parquet(path: &Path, meta: &std::fs::Metadata) -> Result<bool> {
    let named = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("parquet"));
    if named || !meta.is_file() {
        return Ok(named);
    }
    let mut magic = [0u8; 4];
    let read = File::open(path)
        .and_then(|mut f| std::io::Read::read(&mut f, &mut magic))
        .map_err(|e| Error::io(path, e))?;
    Ok(read == 4 && &magic == b"PAR1")
}

/// Reads every input into one corpus.
pub fn inputs(paths: &[PathBuf], opts: &ReadOptions) -> Result<Corpus> {
    let (corpus, _) = inputs_with(paths, opts, &mut |_, _| Ok(()))?;
    Ok(corpus)
}

/// [`inputs`], calling `batch(corpus, from)` each time documents `from..` have been added, so
/// that a caller can process them (and release their texts) while reading goes on. Returns
/// the corpus and the positions, at the time of their batch, of the documents dropped
/// afterwards as repeated ids under `--skip-invalid` (ascending).
pub fn inputs_with(
    paths: &[PathBuf],
    opts: &ReadOptions,
    batch: &mut dyn FnMut(&mut Corpus, usize) -> Result<()>,
) -> Result<(Corpus, Vec<usize>)> {
    let mut corpus = Corpus {
        options: opts.clone(),
        ..Corpus::default()
    };
    for path in paths {
        if path.as_os_str() == "-" {
            let stdin = Box::new(std::io::stdin());
            jsonl::read_stream(Path::new(STDIN_NAME), stdin, opts, &mut corpus, batch)?;
            continue;
        }
        let meta = std::fs::metadata(path).map_err(|e| Error::io(path, e))?;
        if is_device(&meta) {
            // `/dev/zero` never ends; a pipe (`<(...)`, a FIFO) does, and is read.
            return Err(Error::input(
                path,
                None,
                "is a device, not a file or a pipe",
            ));
        }
        if meta.is_dir() {
            dir::read(path, opts, &mut corpus, batch)?;
        } else if is_jsonl(path) {
            jsonl::read_file(path, opts, &mut corpus, batch)?;
        } else if is_parquet(path, &meta)? {
            return Err(Error::input(
                path,
                None,
                "is a Parquet file, which neardup does not read: convert it to JSONL first, \
                 e.g. duckdb -c \"COPY (SELECT id, text FROM 'FILE.parquet') TO 'FILE.jsonl' \
                 (FORMAT json)\"",
            ));
        } else {
            let id = path.to_string_lossy().into_owned();
            if let Some(doc) = dir::read_text_file(path, id, dir::Named::ByUser, opts, &mut corpus)?
            {
                let from = corpus.docs.len();
                corpus.docs.push(doc);
                batch(&mut corpus, from)?;
            }
        }
    }
    let dropped = check_unique_ids(&mut corpus, opts)?;
    Ok((corpus, dropped))
}

/// The records of a part of a JSONL file that another program split (a partition of a
/// distributed job): `input` holds lines `lines_before + 1..` of the file `path`, which name
/// every record and error as they would in the whole file. Ids are not checked for repeats: the
/// other parts may hold them.
pub fn jsonl_part(
    path: &Path,
    lines_before: u64,
    input: Box<dyn std::io::Read + Send + '_>,
    opts: &ReadOptions,
) -> Result<Corpus> {
    let mut corpus = Corpus {
        options: opts.clone(),
        ..Corpus::default()
    };
    jsonl::read_part(path, lines_before, input, opts, &mut corpus)?;
    Ok(corpus)
}

/// The record on `line` of the JSONL file `path`, whose bytes are `bytes`, and the warning its
/// decoding raised (invalid UTF-8 repaired), if any.
pub fn jsonl_record(
    path: &Path,
    line: u64,
    bytes: &[u8],
    opts: &ReadOptions,
) -> Result<(Document, Option<Warning>)> {
    jsonl::parse_record(path, line, bytes, opts, None)
}

/// Decodes bytes as UTF-8: lossily with a warning, or as an error under `--strict`.
fn decode(
    bytes: Vec<u8>,
    path: &Path,
    line: Option<u64>,
    opts: &ReadOptions,
    warnings: &mut Vec<Warning>,
) -> Result<String> {
    match String::from_utf8(bytes) {
        Ok(s) => Ok(s),
        Err(e) => repair(e.as_bytes(), e.utf8_error(), path, line, opts, warnings),
    }
}

/// [`decode`] without copying valid text.
fn decode_slice<'a>(
    bytes: &'a [u8],
    path: &Path,
    line: Option<u64>,
    opts: &ReadOptions,
    warnings: &mut Vec<Warning>,
) -> Result<std::borrow::Cow<'a, str>> {
    match std::str::from_utf8(bytes) {
        Ok(s) => Ok(s.into()),
        Err(e) => repair(bytes, e, path, line, opts, warnings).map(Into::into),
    }
}

/// Invalid UTF-8 replaced byte for byte with '?' and a warning, or an error under `--strict`.
fn repair(
    bytes: &[u8],
    e: std::str::Utf8Error,
    path: &Path,
    line: Option<u64>,
    opts: &ReadOptions,
    warnings: &mut Vec<Warning>,
) -> Result<String> {
    let at = e.valid_up_to();
    if opts.strict {
        return Err(Error::input(
            path,
            line,
            format!("invalid UTF-8 at byte {at} (drop --strict to repair it)"),
        ));
    }
    warnings.push(Warning {
        path: path.to_path_buf(),
        line,
        reason: format!("invalid UTF-8 at byte {at}, each invalid byte replaced with '?'"),
    });
    // One byte for one byte, so that passage offsets still point into the bytes given
    // (U+FFFD takes three).
    let mut text = String::with_capacity(bytes.len());
    for chunk in bytes.utf8_chunks() {
        text.push_str(chunk.valid());
        text.extend(std::iter::repeat_n('?', chunk.invalid().len()));
    }
    Ok(text)
}

/// Whether `meta` is a character or block device.
fn is_device(meta: &std::fs::Metadata) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        meta.file_type().is_char_device() || meta.file_type().is_block_device()
    }
    #[cfg(not(unix))]
    {
        let _ = meta;
        false
    }
}

/// A corpus of documents given in memory (each with its id and text, and what metadata it
/// has), checked as inputs read from files are: a repeated id is an error naming both, or
/// under `opts.skip_invalid` a counted warning, the later one dropped.
pub fn documents(docs: Vec<Document>, opts: &ReadOptions) -> Result<Corpus> {
    let mut corpus = Corpus {
        docs,
        options: opts.clone(),
        ..Corpus::default()
    };
    check_unique_ids(&mut corpus, opts)?;
    Ok(corpus)
}

fn check_unique_ids(corpus: &mut Corpus, opts: &ReadOptions) -> Result<Vec<usize>> {
    let mut seen: AHashMap<&str, usize> = AHashMap::with_capacity(corpus.docs.len());
    let mut dropped = Vec::new();
    let mut warnings = Vec::new();
    for (i, doc) in corpus.docs.iter().enumerate() {
        if let Some(&first) = seen.get(doc.id.as_str()) {
            let message = format!(
                "duplicate id {:?}: also at {}",
                doc.id,
                corpus.docs[first].place()
            );
            if !opts.skip_invalid {
                return Err(Error::input(&doc.path, doc.line, message));
            }
            dropped.push(i);
            warnings.push(Warning {
                path: doc.path.clone(),
                line: doc.line,
                reason: message + "; skipped",
            });
        } else {
            seen.insert(&doc.id, i);
        }
    }
    drop(seen);
    remove_positions(&mut corpus.docs, &dropped);
    corpus.skipped.invalid_records += dropped.len() as u64;
    corpus.warnings.extend(warnings);
    Ok(dropped)
}

/// Removes the items at `positions` (ascending) in one pass.
pub(crate) fn remove_positions<T>(items: &mut Vec<T>, positions: &[usize]) {
    if positions.is_empty() {
        return;
    }
    let mut i = 0;
    items.retain(|_| {
        i += 1;
        positions.binary_search(&(i - 1)).is_err()
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::DocId;

    /// A text let go is read again as it was, from a JSONL record or a text file; a file
    /// changed in between is an error naming it, never another text.
    #[test]
    fn released_texts_are_read_again_or_refused_if_changed() {
        let dir = tempfile::tempdir().unwrap();
        let jsonl = dir.path().join("d.jsonl");
        std::fs::write(
            &jsonl,
            "{\"id\":\"a\",\"text\":\"caf\\u00e9 \\\"one\\\"\\nline\"}\n\n{\"id\":\"b\",\"text\":\"two\"}\n",
        )
        .unwrap();
        let txt = dir.path().join("c.txt");
        std::fs::write(&txt, "three\n").unwrap();
        let (mut corpus, dropped) = inputs_with(
            &[jsonl.clone(), txt.clone()],
            &ReadOptions::default(),
            &mut |_, _| Ok(()),
        )
        .unwrap();
        assert!(dropped.is_empty());
        let held: Vec<String> = corpus.docs.iter().map(|d| d.text.to_string()).collect();
        corpus.release_texts(0);
        assert!(
            corpus
                .docs
                .iter()
                .all(|d| d.released.is_some() && d.text.is_empty())
        );
        // Read ahead or not, the same texts.
        corpus.read_ahead((0..3).map(DocId));
        for (i, text) in held.iter().enumerate() {
            assert_eq!(corpus.text(DocId(i as u32)).unwrap(), text.as_str());
        }
        assert_eq!(held[0], "café \"one\"\nline");

        std::fs::write(
            &jsonl,
            "{\"id\":\"a\",\"text\":\"CAF\u{e9} \\\"one\\\"\\nline\"}\n",
        )
        .unwrap();
        let e = corpus.text(DocId(0)).unwrap_err().to_string();
        assert!(
            e.contains("d.jsonl:1: changed while neardup was scanning it"),
            "{e}"
        );
        std::fs::write(&txt, "four\n").unwrap();
        let e = corpus.text(DocId(2)).unwrap_err().to_string();
        assert!(
            e.contains("c.txt: changed while neardup was scanning it"),
            "{e}"
        );
        std::fs::remove_file(&txt).unwrap();
        // Advice on a file gone is no error; the read that follows is.
        corpus.read_ahead([DocId(2)]);
        assert!(corpus.text(DocId(2)).is_err());
    }

    /// More files than are kept open: each record still read again from its own file.
    #[test]
    fn released_texts_of_many_files_are_read_again() {
        let dir = tempfile::tempdir().unwrap();
        let n = reread::MAX_OPEN_FILES + 6;
        let paths: Vec<PathBuf> = (0..n)
            .map(|i| {
                let path = dir.path().join(format!("{i:03}.jsonl"));
                let record = format!("{{\"id\":\"{i}\",\"text\":\"text of {i}\"}}\n");
                std::fs::write(&path, record).unwrap();
                path
            })
            .collect();
        let (mut corpus, _) =
            inputs_with(&paths, &ReadOptions::default(), &mut |_, _| Ok(())).unwrap();
        corpus.release_texts(0);
        corpus.read_ahead((0..n as u32).map(DocId));
        for round in 0..2 {
            for i in (0..n).rev().chain(0..n) {
                let text = corpus.text(DocId(i as u32)).unwrap();
                assert_eq!(text, format!("text of {i}"), "round {round}");
            }
        }
    }

    #[test]
    fn jsonl_extensions() {
        for (name, expected) in [
            ("a.jsonl", true),
            ("a.JSONL", true),
            ("a.jsonl.gz", true),
            ("a.jsonl.zst", true),
            ("a.ndjson", true),
            ("a.json", false),
            ("a.txt", false),
            ("jsonl", false),
        ] {
            assert_eq!(is_jsonl(Path::new(name)), expected, "{name}");
        }
    }

    #[test]
    fn duplicate_ids_name_both_places() {
        let mut c = Corpus::from_texts([("x", "a"), ("y", "b"), ("x", "c")]);
        c.docs[0].line = Some(3);
        c.docs[2].line = Some(9);
        let err = check_unique_ids(&mut c, &ReadOptions::default())
            .unwrap_err()
            .to_string();
        assert_eq!(err, "x:9: duplicate id \"x\": also at x:3");

        let opts = ReadOptions {
            skip_invalid: true,
            ..ReadOptions::default()
        };
        check_unique_ids(&mut c, &opts).unwrap();
        assert_eq!(c.docs.len(), 2);
        assert_eq!(c.warnings.len(), 1);
        assert_eq!(c.docs[1].text, "b");
    }
}
