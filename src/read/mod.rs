//! Reading inputs into a [`Corpus`].
//!
//! Takes paths (folders, text files, JSONL files, `-` for JSONL on standard input) and returns
//! their documents in a deterministic order: the paths in the order given, each folder walked
//! in sorted order, each JSONL file in line order. Ids are unique across the whole corpus; a
//! repeated id is an error naming both places (or, under `--skip-invalid`, a warning and the
//! later record dropped).

mod dir;
mod jsonl;

use std::path::{Path, PathBuf};

use ahash::AHashMap;

use crate::document::{Corpus, Warning};
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

/// Reads every input into one corpus.
pub fn inputs(paths: &[PathBuf], opts: &ReadOptions) -> Result<Corpus> {
    let mut corpus = Corpus::default();
    for path in paths {
        if path.as_os_str() == "-" {
            let stdin = std::io::stdin().lock();
            jsonl::read(Path::new(STDIN_NAME), Box::new(stdin), opts, &mut corpus)?;
            continue;
        }
        let meta = std::fs::metadata(path).map_err(|e| Error::io(path, e))?;
        if meta.is_dir() {
            dir::read(path, opts, &mut corpus)?;
        } else if is_jsonl(path) {
            jsonl::read_file(path, opts, &mut corpus)?;
        } else {
            let id = path.to_string_lossy().into_owned();
            if let Some(doc) = dir::read_text_file(path, id, opts, &mut corpus)? {
                corpus.docs.push(doc);
            }
        }
    }
    check_unique_ids(&mut corpus, opts)?;
    Ok(corpus)
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

/// Invalid UTF-8 replaced with U+FFFD and a warning, or an error under `--strict`.
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
        reason: format!("invalid UTF-8 at byte {at}, replaced with U+FFFD"),
    });
    Ok(String::from_utf8_lossy(bytes).into_owned())
}

fn check_unique_ids(corpus: &mut Corpus, opts: &ReadOptions) -> Result<()> {
    let mut seen: AHashMap<&str, usize> = AHashMap::with_capacity(corpus.docs.len());
    let mut drop = Vec::new();
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
            drop.push((
                i,
                Warning {
                    path: doc.path.clone(),
                    line: doc.line,
                    reason: message + "; skipped",
                },
            ));
        } else {
            seen.insert(&doc.id, i);
        }
    }
    drop.reverse();
    for (i, w) in drop {
        corpus.docs.remove(i);
        corpus.warnings.push(w);
        corpus.skipped.invalid_records += 1;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

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
