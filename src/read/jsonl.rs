//! JSONL input: one JSON object a line, plain, gzip (`.gz`) or zstd (`.zst`), or on stdin.
//!
//! Field rules (design notes): the id is the `--id-field` (a string or a number), else
//! `<file>:<line>`; the text is the `--text-field` and must be a string; `title`, `source`,
//! `date` and `url` are carried through when present. Blank lines are not records. A record
//! that breaks these rules is an error naming `file:line`, or under `--skip-invalid` a counted
//! warning.
//!
//! Lines are parsed in parallel in batches; results are taken in line order, so the corpus is
//! the same at any thread count.

use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;

use rayon::prelude::*;
use serde_json::{Map, Value};

use super::{MAX_TEXT_BYTES, decode};
use crate::document::{Corpus, Document, Warning};
use crate::error::{Error, Result};
use crate::params::ReadOptions;

/// Lines parsed per parallel batch: enough to keep the cores busy, few enough to bound memory.
const BATCH_LINES: usize = 4096;

pub(super) fn read_file(path: &Path, opts: &ReadOptions, corpus: &mut Corpus) -> Result<()> {
    let file = File::open(path).map_err(|e| Error::io(path, e))?;
    let name = path.to_string_lossy().to_lowercase();
    let reader: Box<dyn Read> = if name.ends_with(".gz") {
        Box::new(flate2::read::MultiGzDecoder::new(file))
    } else if name.ends_with(".zst") {
        Box::new(zstd::stream::read::Decoder::new(file).map_err(|e| Error::io(path, e))?)
    } else {
        Box::new(file)
    };
    read(path, reader, opts, corpus)
}

pub(super) fn read(
    path: &Path,
    reader: Box<dyn Read + '_>,
    opts: &ReadOptions,
    corpus: &mut Corpus,
) -> Result<()> {
    let mut reader = BufReader::with_capacity(1 << 16, reader);
    let mut line_no = 0u64;
    let mut done = false;
    while !done {
        let mut batch: Vec<(u64, Vec<u8>)> = Vec::with_capacity(BATCH_LINES);
        while batch.len() < BATCH_LINES {
            let mut buf = Vec::new();
            let n = reader.read_until(b'\n', &mut buf).map_err(|e| {
                // A decompression error surfaces here; name where it happened.
                Error::input(path, Some(line_no + 1), format!("cannot read: {e}"))
            })?;
            if n == 0 {
                done = true;
                break;
            }
            line_no += 1;
            if buf.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            batch.push((line_no, buf));
        }
        let parsed: Vec<(u64, Result<Record>)> = batch
            .into_par_iter()
            .map(|(line, bytes)| (line, parse_record(path, line, bytes, opts)))
            .collect();
        for (line, result) in parsed {
            match result {
                Ok((doc, warning)) => {
                    corpus.docs.push(doc);
                    corpus.warnings.extend(warning);
                }
                Err(e) if opts.skip_invalid => {
                    corpus.skipped.invalid_records += 1;
                    let reason = match &e {
                        Error::Input { message, .. } => format!("{message}; skipped"),
                        other => format!("{other}; skipped"),
                    };
                    corpus.warnings.push(Warning {
                        path: path.to_path_buf(),
                        line: Some(line),
                        reason,
                    });
                }
                Err(e) => return Err(e),
            }
        }
    }
    Ok(())
}

/// A parsed record and the warning its decoding raised, if any.
type Record = (Document, Option<Warning>);

fn parse_record(path: &Path, line: u64, bytes: Vec<u8>, opts: &ReadOptions) -> Result<Record> {
    let err = |m: String| Error::input(path, Some(line), m);
    if bytes.len() >= MAX_TEXT_BYTES {
        return Err(err("record is 4 GiB or larger".into()));
    }
    let mut warnings = Vec::new();
    let text = decode(bytes, path, Some(line), opts, &mut warnings)?;
    let value: Value =
        serde_json::from_str(&text).map_err(|e| err(format!("invalid JSON: {e}")))?;
    let Value::Object(mut obj) = value else {
        return Err(err("expected a JSON object".into()));
    };
    let body = match obj.remove(&opts.text_field) {
        Some(Value::String(s)) => s,
        Some(other) => {
            return Err(err(format!(
                "field {:?} must be a string, found {}",
                opts.text_field,
                kind(&other)
            )));
        }
        None => return Err(err(format!("missing text field {:?}", opts.text_field))),
    };
    let id = match obj.remove(&opts.id_field) {
        Some(Value::String(s)) => s,
        Some(Value::Number(n)) => n.to_string(),
        None | Some(Value::Null) => format!("{}:{line}", path.display()),
        Some(other) => {
            return Err(err(format!(
                "field {:?} must be a string or a number, found {}",
                opts.id_field,
                kind(&other)
            )));
        }
    };
    let doc = Document {
        id,
        path: path.to_path_buf(),
        line: Some(line),
        title: take_meta(&mut obj, "title"),
        source: take_meta(&mut obj, "source"),
        date: take_meta(&mut obj, "date"),
        url: take_meta(&mut obj, "url"),
        text: body,
    };
    Ok((doc, warnings.pop()))
}

fn take_meta(obj: &mut Map<String, Value>, key: &str) -> Option<String> {
    match obj.remove(key)? {
        Value::Null => None,
        Value::String(s) => Some(s),
        other => Some(other.to_string()),
    }
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Case {
        name: &'static str,
        line: &'static str,
        expected: std::result::Result<(&'static str, &'static str), &'static str>,
    }

    const BASICS: &[Case] = &[
        Case {
            name: "string id",
            line: r#"{"id":"a","text":"x"}"#,
            expected: Ok(("a", "x")),
        },
        Case {
            name: "number id",
            line: r#"{"id":17,"text":"x"}"#,
            expected: Ok(("17", "x")),
        },
        Case {
            name: "no id",
            line: r#"{"text":"x"}"#,
            expected: Ok(("f.jsonl:7", "x")),
        },
        Case {
            name: "null id",
            line: r#"{"id":null,"text":"x"}"#,
            expected: Ok(("f.jsonl:7", "x")),
        },
        Case {
            name: "empty text",
            line: r#"{"id":"e","text":""}"#,
            expected: Ok(("e", "")),
        },
        Case {
            name: "missing text",
            line: r#"{"id":"a"}"#,
            expected: Err("f.jsonl:7: missing text field \"text\""),
        },
        Case {
            name: "text not a string",
            line: r#"{"id":"a","text":3}"#,
            expected: Err("f.jsonl:7: field \"text\" must be a string, found a number"),
        },
        Case {
            name: "id an array",
            line: r#"{"id":[1],"text":"x"}"#,
            expected: Err("f.jsonl:7: field \"id\" must be a string or a number, found an array"),
        },
        Case {
            name: "not an object",
            line: "[1,2]",
            expected: Err("f.jsonl:7: expected a JSON object"),
        },
        Case {
            name: "truncated",
            line: r#"{"id":"a","text":"x"#,
            expected: Err(
                "f.jsonl:7: invalid JSON: EOF while parsing a string at line 1 column 19",
            ),
        },
    ];

    #[test]
    fn records() {
        let opts = ReadOptions::default();
        for case in BASICS {
            let got = parse_record(
                Path::new("f.jsonl"),
                7,
                case.line.as_bytes().to_vec(),
                &opts,
            )
            .map(|(d, _)| (d.id, d.text))
            .map_err(|e| e.to_string());
            let expected = case
                .expected
                .map(|(i, t)| (i.to_string(), t.to_string()))
                .map_err(str::to_string);
            assert_eq!(got, expected, "case {:?}", case.name);
        }
    }

    #[test]
    fn metadata_and_custom_fields() {
        let opts = ReadOptions {
            id_field: "key".into(),
            text_field: "body".into(),
            ..Default::default()
        };
        let line = r#"{"key":"k","body":"b","title":"T","source":"S","date":"2024-01-02","url":"u","extra":1}"#;
        let (d, w) = parse_record(Path::new("f"), 1, line.as_bytes().to_vec(), &opts).unwrap();
        assert_eq!((d.id.as_str(), d.text.as_str()), ("k", "b"));
        assert_eq!(d.title.as_deref(), Some("T"));
        assert_eq!(d.source.as_deref(), Some("S"));
        assert_eq!(d.date.as_deref(), Some("2024-01-02"));
        assert_eq!(d.url.as_deref(), Some("u"));
        assert!(w.is_none());
    }

    #[test]
    fn invalid_utf8_is_repaired_or_refused() {
        let mut line = br#"{"id":"a","text":"caf"#.to_vec();
        line.extend_from_slice(b"\xff\"}");
        let (d, w) =
            parse_record(Path::new("f"), 2, line.clone(), &ReadOptions::default()).unwrap();
        assert_eq!(d.text, "caf\u{FFFD}");
        assert!(w.unwrap().reason.contains("invalid UTF-8"));
        let strict = ReadOptions {
            strict: true,
            ..Default::default()
        };
        let e = parse_record(Path::new("f"), 2, line, &strict)
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("f:2: invalid UTF-8"), "{e}");
    }
}
