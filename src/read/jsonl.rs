//! JSONL input: one JSON object a line, plain, gzip (`.gz`) or zstd (`.zst`), or on stdin.
//!
//! Field rules (design notes): the id is the `--id-field` (a string or a number), else
//! `<file>:<line>`; the text is the `--text-field` and must be a string; `title`, `source`,
//! `date` and `url` are carried through when present. Blank lines are not records. A record
//! that breaks these rules is an error naming `file:line`, or under `--skip-invalid` a counted
//! warning.
//!
//! The input is read in chunks of whole lines and each chunk's lines are parsed in parallel;
//! results are taken in line order, so the corpus is the same at any thread count. A record is
//! parsed straight into the fields neardup keeps: other fields are skipped without being
//! built, and valid UTF-8 is not copied before parsing.

use std::fmt;
use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;
use std::sync::Arc;

use memmap2::{Mmap, MmapOptions};
use rayon::prelude::*;
use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::Value;

use super::{MAX_TEXT_BYTES, decode_slice};
use crate::document::{Corpus, Document, Reread, Text, Warning};
use crate::error::{Error, Result};
use crate::params::ReadOptions;

/// Bytes read per chunk: enough lines to keep the cores busy, little enough to bound memory.
/// A longer line grows its chunk until it ends.
const CHUNK_BYTES: usize = 8 << 20;

/// Smaller files are copied rather than mapped: a map costs a system call and one of the
/// process's few tens of thousands of maps, more than copying a small file saves, and a
/// shell glob can name that many files.
const MIN_MAPPED_BYTES: u64 = 64 << 10;

pub(super) fn read_file(
    path: &Path,
    opts: &ReadOptions,
    corpus: &mut Corpus,
    batch: &mut dyn FnMut(&mut Corpus, usize) -> Result<()>,
) -> Result<()> {
    let file = File::open(path).map_err(|e| Error::io(path, e))?;
    let name = path.to_string_lossy().to_lowercase();
    let (reader, plain): (Box<dyn Read + Send>, Option<u64>) = if name.ends_with(".gz") {
        (Box::new(flate2::read::MultiGzDecoder::new(file)), None)
    } else if name.ends_with(".zst") {
        let decoder = zstd::stream::read::Decoder::new(file).map_err(|e| Error::io(path, e))?;
        (Box::new(decoder), None)
    } else {
        let meta = file.metadata().map_err(|e| Error::io(path, e))?;
        let len = meta.len();
        if opts.mmap
            && meta.is_file()
            && len >= MIN_MAPPED_BYTES
            && read_mapped(path, &file, len, opts, corpus, batch, CHUNK_BYTES)?
        {
            return Ok(());
        }
        (Box::new(file), Some(len))
    };
    read(path, reader, plain, opts, corpus, batch)
}

/// Reads JSONL from a stream (standard input), decompressing it when its first bytes say it is
/// gzip or zstd, as `zcat` would.
pub(super) fn read_stream(
    path: &Path,
    input: Box<dyn Read + Send>,
    opts: &ReadOptions,
    corpus: &mut Corpus,
    batch: &mut dyn FnMut(&mut Corpus, usize) -> Result<()>,
) -> Result<()> {
    const GZIP: &[u8] = &[0x1f, 0x8b];
    const ZSTD: &[u8] = &[0x28, 0xb5, 0x2f, 0xfd];
    let mut input = BufReader::new(input);
    let head = input.fill_buf().map_err(|e| Error::io(path, e))?;
    let reader: Box<dyn Read + Send> = if head.starts_with(GZIP) {
        Box::new(flate2::read::MultiGzDecoder::new(input))
    } else if head.starts_with(ZSTD) {
        let decoder =
            zstd::stream::read::Decoder::with_buffer(input).map_err(|e| Error::io(path, e))?;
        Box::new(decoder)
    } else {
        Box::new(input)
    };
    read(path, reader, None, opts, corpus, batch)
}

/// Reads the first `len` bytes of a plain file through read-only maps of whole lines, about
/// `chunk` bytes each; texts without escapes are kept as ranges of their chunk's map
/// ([`Text`]), so a chunk stays mapped while a document in it holds its text.
///
/// The next map is made, its pages mapped in one call, while this one is parsed: pages
/// faulted in one at a time by the serial search for line ends cost a twentieth of a
/// near-duplicate scan.
///
/// `false`, having read nothing, when the file cannot be mapped (the process is out of maps,
/// or its file system does not map files), for the caller to copy it instead.
fn read_mapped(
    path: &Path,
    file: &File,
    len: u64,
    opts: &ReadOptions,
    corpus: &mut Corpus,
    batch: &mut dyn FnMut(&mut Corpus, usize) -> Result<()>,
    chunk: usize,
) -> Result<bool> {
    let Ok(mut next) = map_lines(file, 0, len, chunk) else {
        return Ok(false);
    };
    let mut consumed = 0u64;
    let mut line_no = 0u64;
    while let Some((map, cut)) = next.take() {
        let map = Arc::new(map);
        let lines = Chunk {
            bytes: &map[..cut],
            offset: consumed,
            lines_before: line_no,
            map: Some(&map),
        };
        let (mapped, processed) = overlapped(
            || map_lines(file, consumed + cut as u64, len, chunk),
            || lines.process(path, Some(len), opts, corpus, batch),
        );
        line_no = processed?;
        next = mapped
            .map_err(|e| Error::input(path, Some(line_no + 1), format!("cannot map: {e}")))?;
        consumed += cut as u64;
    }
    Ok(true)
}

/// A map of the whole lines of `file` from byte `at` (of `len`), about `chunk` bytes, with the
/// length of those lines; `None` at the end. A line longer than `chunk` doubles the window
/// until it ends; the file's last line may end without a newline.
fn map_lines(
    file: &File,
    at: u64,
    len: u64,
    chunk: usize,
) -> std::io::Result<Option<(Mmap, usize)>> {
    let left = len.saturating_sub(at);
    let mut window = (chunk as u64).min(left);
    while window > 0 {
        // SAFETY: the map is read-only, and the file must not be truncated or rewritten in
        // place while it is mapped (documented with `--no-mmap`, which avoids it).
        let map = unsafe {
            MmapOptions::new()
                .offset(at)
                .len(window as usize)
                .populate()
                .map(file)?
        };
        if window == left {
            return Ok(Some((map, window as usize)));
        }
        match memchr::memrchr(b'\n', &map) {
            Some(i) => return Ok(Some((map, i + 1))),
            None => window = (window * 2).min(left),
        }
    }
    Ok(None)
}

/// Reads JSONL from `reader`; `plain` is the length of the file at `path` when `reader` gives
/// its bytes as they are, so that a record can be read again from its offset.
///
/// The next chunk is read while this one is parsed and processed ([`overlapped`]).
pub(super) fn read(
    path: &Path,
    reader: Box<dyn Read + Send + '_>,
    plain: Option<u64>,
    opts: &ReadOptions,
    corpus: &mut Corpus,
    batch: &mut dyn FnMut(&mut Corpus, usize) -> Result<()>,
) -> Result<()> {
    read_in_chunks(path, reader, plain, 0, opts, corpus, batch, CHUNK_BYTES)
}

/// Reads JSONL from `input` as lines `lines_before + 1..` of the file `path`: a part of a file
/// another program split, so that records and errors name their place in the whole file. Texts
/// are copied (a part is not read again).
pub(super) fn read_part(
    path: &Path,
    lines_before: u64,
    input: Box<dyn Read + Send + '_>,
    opts: &ReadOptions,
    corpus: &mut Corpus,
) -> Result<()> {
    let mut nothing = |_: &mut Corpus, _: usize| Ok(());
    read_in_chunks(
        path,
        input,
        None,
        lines_before,
        opts,
        corpus,
        &mut nothing,
        CHUNK_BYTES,
    )
}

/// [`read`], `chunk` bytes at a time, the first line numbered `lines_before + 1`.
#[allow(clippy::too_many_arguments)] // Each is one of the callers' choices; a struct would only rename them.
fn read_in_chunks(
    path: &Path,
    mut reader: Box<dyn Read + Send + '_>,
    plain: Option<u64>,
    lines_before: u64,
    opts: &ReadOptions,
    corpus: &mut Corpus,
    batch: &mut dyn FnMut(&mut Corpus, usize) -> Result<()>,
    chunk: usize,
) -> Result<()> {
    let mut buf: Vec<u8> = Vec::new();
    let mut next: Vec<u8> = Vec::new();
    // Offset in the input of `buf[0]`, and lines before it.
    let mut consumed = 0u64;
    let mut line_no = lines_before;
    // A read error (a truncated or corrupt gzip or zstd stream) is reported once the whole
    // lines read before it are processed, naming the first line it cut: the bytes read before
    // an error are kept (`read_to_end` appends them), so that line is known.
    let mut failed: Option<std::io::Error> = None;
    let note = |r: std::io::Result<bool>, failed: &mut Option<std::io::Error>| {
        r.unwrap_or_else(|e| {
            *failed = Some(e);
            true
        })
    };
    let mut eof = note(fill(&mut reader, &mut buf, chunk), &mut failed);
    // Bytes at the start of `buf` known to hold no line break.
    let mut searched = 0;
    loop {
        // Whole lines only, unless the input ends without a newline.
        let cut = match memchr::memrchr(b'\n', &buf[searched..]) {
            Some(i) => searched + i + 1,
            None if eof && failed.is_none() => buf.len(),
            None if eof => 0,
            None => {
                // A line longer than a chunk: read on until it ends.
                searched = buf.len();
                eof = note(fill(&mut reader, &mut buf, chunk), &mut failed);
                continue;
            }
        };
        if cut == 0 {
            return match failed {
                Some(e) => Err(Error::input(
                    path,
                    Some(line_no + 1),
                    format!("cannot read: {e}"),
                )),
                None => Ok(()),
            };
        }
        next.clear();
        next.extend_from_slice(&buf[cut..]);
        let lines = Chunk {
            bytes: &buf[..cut],
            offset: consumed,
            lines_before: line_no,
            map: None,
        };
        let (filled, processed) = overlapped(
            || {
                if eof {
                    Ok(true)
                } else {
                    fill(&mut reader, &mut next, chunk)
                }
            },
            || lines.process(path, plain, opts, corpus, batch),
        );
        // A bad record is reported before a read error further on, as if read in turn.
        line_no = processed?;
        eof = note(filled, &mut failed);
        consumed += cut as u64;
        std::mem::swap(&mut buf, &mut next);
        searched = 0;
    }
}

/// Runs `fetch` (reading or mapping the next chunk, which is serial) on another worker while
/// `process` parses this one on this thread, which holds the corpus; both results. On two
/// cores, reading in turn left one idle for a tenth of a scan's first stage.
fn overlapped<T: Send, R>(fetch: impl FnOnce() -> T + Send, process: impl FnOnce() -> R) -> (T, R) {
    let mut fetched = None;
    let processed = rayon::in_place_scope(|s| {
        s.spawn(|_| fetched = Some(fetch()));
        process()
    });
    (fetched.expect("a scope ends after its spawns"), processed)
}

/// Appends up to `chunk` bytes from `reader` to `buf`; whether the input has ended.
/// `read_to_end` fills the buffer's spare capacity without zeroing it first.
fn fill(
    reader: &mut Box<dyn Read + Send + '_>,
    buf: &mut Vec<u8>,
    chunk: usize,
) -> std::io::Result<bool> {
    reader.take(chunk as u64).read_to_end(buf).map(|n| n == 0)
}

/// Whole lines of the input: `bytes`, at byte `offset`, after `lines_before` lines; `map` when
/// `bytes` lie in it, for texts to borrow.
struct Chunk<'a> {
    bytes: &'a [u8],
    offset: u64,
    lines_before: u64,
    map: Option<&'a Arc<Mmap>>,
}

impl Chunk<'_> {
    /// Parses the chunk's records in parallel, adds them to `corpus` in line order and passes
    /// them to `batch`; the number of lines read so far. `plain` as for [`read`].
    fn process(
        &self,
        path: &Path,
        plain: Option<u64>,
        opts: &ReadOptions,
        corpus: &mut Corpus,
        batch: &mut dyn FnMut(&mut Corpus, usize) -> Result<()>,
    ) -> Result<u64> {
        let mut line_no = self.lines_before;
        let mut lines: Vec<(u64, u64, &[u8])> = Vec::new();
        let mut start = 0;
        let cut = self.bytes.len();
        for end in memchr::memchr_iter(b'\n', self.bytes)
            .chain((cut > 0 && self.bytes[cut - 1] != b'\n').then_some(cut))
        {
            line_no += 1;
            let line = &self.bytes[start..end];
            start = end + 1;
            if !line.iter().all(u8::is_ascii_whitespace) {
                lines.push((line_no, self.offset + (end - line.len()) as u64, line));
            }
        }
        let parsed: Vec<(u64, Result<Record>)> = lines
            .into_par_iter()
            .map(|(line, offset, bytes)| {
                let record =
                    parse_record(path, line, bytes, opts, self.map).map(|(mut doc, warning)| {
                        if plain.is_some() {
                            doc.reread = Some(Reread::Record {
                                offset,
                                len: bytes.len() as u64,
                            });
                        }
                        (doc, warning)
                    });
                (line, record)
            })
            .collect();
        // Room, from the first chunk on, for as many records as a plain file holds at this
        // chunk's bytes a record: growing the corpus by doubling moved every document read so
        // far, one thread working while the others waited (3% of a near-duplicate scan). Room
        // not used is never touched, so it costs no memory; room the system refuses (a first
        // chunk of small records before huge ones) is left to doubling.
        if let Some(len) = plain.filter(|_| self.offset == 0 && !parsed.is_empty()) {
            let per_record = self.bytes.len() as u64 / parsed.len() as u64;
            let expected = len / per_record.max(1);
            let _ = corpus
                .docs
                .try_reserve(expected.saturating_add(expected / 20) as usize);
        }
        let from = corpus.docs.len();
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
        batch(corpus, from)?;
        Ok(line_no)
    }
}

/// A parsed record and the warning its decoding raised, if any.
type Record = (Document, Option<Warning>);

/// The record on `line`, whose bytes are `bytes`; its text borrows from `map` when it can.
pub(super) fn parse_record(
    path: &Path,
    line: u64,
    bytes: &[u8],
    opts: &ReadOptions,
    map: Option<&Arc<Mmap>>,
) -> Result<Record> {
    let err = |m: String| Error::input(path, Some(line), m);
    if bytes.len() >= MAX_TEXT_BYTES {
        return Err(err("record is 4 GiB or larger".into()));
    }
    let mut warnings = Vec::new();
    let text = decode_slice(bytes, path, Some(line), opts, &mut warnings)?;
    if text.trim_start().as_bytes().first() != Some(&b'{') {
        // Checked first so that `[1,2]` says what is wrong rather than how serde sees it.
        let bom = match bytes {
            [0xEF, 0xBB, 0xBF, ..] => " (the file starts with a UTF-8 byte order mark: remove it)",
            [0xFF, 0xFE, ..] | [0xFE, 0xFF, ..] => {
                " (the file starts with a UTF-16 byte order mark: JSONL must be UTF-8)"
            }
            _ => "",
        };
        return Err(err(format!("expected a JSON object{bom}")));
    }
    let mut de = serde_json::Deserializer::from_str(&text);
    let fields = FieldsSeed(opts)
        .deserialize(&mut de)
        .and_then(|f| de.end().map(|()| f))
        .map_err(|e| err(format!("invalid JSON: {e}")))?;
    let body = match fields.text {
        Some(TextField::Borrowed(s)) => match map {
            Some(map) => Text::within(map, s),
            None => Text::from(s),
        },
        Some(TextField::Owned(s)) => Text::from(s),
        Some(TextField::Other(other)) => {
            return Err(err(format!(
                "field {:?} must be a string, found {}",
                opts.text_field,
                kind(&other)
            )));
        }
        None => return Err(err(format!("missing text field {:?}", opts.text_field))),
    };
    let id = match fields.id {
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
    let [title, source, date, url] = fields.meta.map(|v| match v? {
        Value::Null => None,
        Value::String(s) => Some(s),
        other => Some(other.to_string()),
    });
    let doc = Document {
        id,
        path: path.to_path_buf(),
        line: Some(line),
        title,
        source,
        date,
        url,
        text: body,
        ..Document::default()
    };
    Ok((doc, warnings.pop()))
}

/// Metadata carried through from a record, in this order.
const META: [&str; 4] = ["title", "source", "date", "url"];

/// The fields of a record that neardup keeps; the last of repeated keys wins, as in a map.
#[derive(Default)]
struct Fields<'de> {
    text: Option<TextField<'de>>,
    id: Option<Value>,
    meta: [Option<Value>; 4],
}

/// Deserializes a record's object into [`Fields`], skipping every other field unbuilt.
struct FieldsSeed<'a>(&'a ReadOptions);

/// Which kept field a key names.
enum Key {
    Text,
    Id,
    Meta(usize),
    Other,
}

impl<'de> DeserializeSeed<'de> for FieldsSeed<'_> {
    type Value = Fields<'de>;
    fn deserialize<D: de::Deserializer<'de>>(
        self,
        d: D,
    ) -> std::result::Result<Fields<'de>, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for FieldsSeed<'_> {
    type Value = Fields<'de>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object")
    }
    fn visit_map<A: MapAccess<'de>>(
        self,
        mut map: A,
    ) -> std::result::Result<Fields<'de>, A::Error> {
        let mut out = Fields::default();
        while let Some(key) = map.next_key_seed(KeySeed(self.0))? {
            match key {
                Key::Text => out.text = Some(map.next_value()?),
                Key::Id => out.id = Some(map.next_value()?),
                Key::Meta(i) => out.meta[i] = Some(map.next_value()?),
                Key::Other => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(out)
    }
}

/// Names a key without allocating it.
struct KeySeed<'a>(&'a ReadOptions);

impl<'de> DeserializeSeed<'de> for KeySeed<'_> {
    type Value = Key;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> std::result::Result<Key, D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for KeySeed<'_> {
    type Value = Key;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a field name")
    }
    fn visit_str<E: de::Error>(self, k: &str) -> std::result::Result<Key, E> {
        Ok(if k == self.0.text_field {
            Key::Text
        } else if k == self.0.id_field {
            Key::Id
        } else if let Some(i) = META.iter().position(|m| *m == k) {
            Key::Meta(i)
        } else {
            Key::Other
        })
    }
}

/// The text field's value: a string borrowed from the record when it has no escapes, or one
/// built; or, for the error, what else it is (its contents skipped, not built).
enum TextField<'de> {
    Borrowed(&'de str),
    Owned(String),
    Other(Value),
}

impl<'de> de::Deserialize<'de> for TextField<'de> {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        d.deserialize_any(TextVisitor)
    }
}

struct TextVisitor;

impl<'de> Visitor<'de> for TextVisitor {
    type Value = TextField<'de>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_borrowed_str<E: de::Error>(self, s: &'de str) -> std::result::Result<Self::Value, E> {
        Ok(TextField::Borrowed(s))
    }
    fn visit_str<E: de::Error>(self, s: &str) -> std::result::Result<Self::Value, E> {
        Ok(TextField::Owned(s.to_owned()))
    }
    fn visit_string<E: de::Error>(self, s: String) -> std::result::Result<Self::Value, E> {
        Ok(TextField::Owned(s))
    }
    fn visit_unit<E: de::Error>(self) -> std::result::Result<Self::Value, E> {
        Ok(TextField::Other(Value::Null))
    }
    fn visit_bool<E: de::Error>(self, b: bool) -> std::result::Result<Self::Value, E> {
        Ok(TextField::Other(Value::Bool(b)))
    }
    fn visit_i64<E: de::Error>(self, n: i64) -> std::result::Result<Self::Value, E> {
        Ok(TextField::Other(n.into()))
    }
    fn visit_u64<E: de::Error>(self, n: u64) -> std::result::Result<Self::Value, E> {
        Ok(TextField::Other(n.into()))
    }
    fn visit_f64<E: de::Error>(self, n: f64) -> std::result::Result<Self::Value, E> {
        Ok(TextField::Other(n.into()))
    }
    fn visit_seq<A: SeqAccess<'de>>(
        self,
        mut seq: A,
    ) -> std::result::Result<Self::Value, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(TextField::Other(Value::Array(Vec::new())))
    }
    fn visit_map<A: MapAccess<'de>>(
        self,
        mut map: A,
    ) -> std::result::Result<Self::Value, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(TextField::Other(Value::Object(serde_json::Map::new())))
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
            let got = parse_record(Path::new("f.jsonl"), 7, case.line.as_bytes(), &opts, None)
                .map(|(d, _)| (d.id, d.text.into_string()))
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
        let (d, w) = parse_record(Path::new("f"), 1, line.as_bytes(), &opts, None).unwrap();
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
        let (d, w) = parse_record(Path::new("f"), 2, &line, &ReadOptions::default(), None).unwrap();
        assert_eq!(d.text, "caf?");
        assert!(w.unwrap().reason.contains("invalid UTF-8"));
        let strict = ReadOptions {
            strict: true,
            ..Default::default()
        };
        let e = parse_record(Path::new("f"), 2, &line, &strict, None)
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("f:2: invalid UTF-8"), "{e}");
    }

    /// Each document's id, line and offset.
    type Docs = Vec<(String, Option<u64>, Option<Reread>)>;

    /// Reads `input` `chunk` bytes at a time: each document's id, line and offset, the number
    /// of batches, or the error.
    fn read_by(
        input: &[u8],
        chunk: usize,
        fail_after: Option<usize>,
    ) -> std::result::Result<(Docs, usize), String> {
        /// Gives `input`, then an error once `fail_after` bytes have been read.
        struct Failing<'a>(&'a [u8], Option<usize>);
        impl std::io::Read for Failing<'_> {
            fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
                let n = match self.1 {
                    Some(0) => return Err(std::io::Error::other("disk on fire")),
                    Some(left) => out.len().min(left).min(self.0.len()),
                    None => out.len().min(self.0.len()),
                };
                out[..n].copy_from_slice(&self.0[..n]);
                self.0 = &self.0[n..];
                self.1 = self.1.map(|left| left - n);
                Ok(n)
            }
        }
        let mut corpus = Corpus::default();
        let mut batches = 0;
        read_in_chunks(
            Path::new("f.jsonl"),
            Box::new(Failing(input, fail_after)),
            Some(input.len() as u64),
            0,
            &ReadOptions::default(),
            &mut corpus,
            &mut |c, from| {
                batches += 1;
                assert!(from <= c.docs.len());
                Ok(())
            },
            chunk,
        )
        .map_err(|e| e.to_string())?;
        let docs = corpus.docs.into_iter().map(|d| (d.id, d.line, d.reread));
        Ok((docs.collect(), batches))
    }

    /// Chunks end mid-line, a line is longer than a chunk, blank lines are counted but not
    /// records, the last line has no newline: every chunk size reads the same records, at the
    /// same lines and offsets; a read error names a line.
    #[test]
    fn records_are_the_same_whatever_the_chunk_size() {
        let long = "word ".repeat(40);
        let input = format!(
            "{{\"id\":\"a\",\"text\":\"x\"}}\n\n  \n{{\"id\":\"b\",\"text\":\"{long}\"}}\n{{\"id\":\"c\",\"text\":\"y\"}}\n{{\"id\":\"d\",\"text\":\"z\"}}"
        );
        let (whole, _) = read_by(input.as_bytes(), CHUNK_BYTES, None).unwrap();
        let ids: Vec<&str> = whole.iter().map(|d| d.0.as_str()).collect();
        assert_eq!(ids, ["a", "b", "c", "d"]);
        assert_eq!(whole[1].1, Some(4));
        let d_at = input.rfind('{').unwrap() as u64;
        let d_len = input.len() as u64 - d_at;
        assert_eq!(
            whole[3].2,
            Some(Reread::Record {
                offset: d_at,
                len: d_len
            })
        );
        for chunk in [1, 2, 7, 16, 50, 300] {
            let (docs, batches) = read_by(input.as_bytes(), chunk, None).unwrap();
            assert_eq!(docs, whole, "chunk {chunk}");
            assert!(
                batches >= 2 || chunk == 300,
                "chunk {chunk}: {batches} batches"
            );
        }
        // Fails inside line 3: the error names a line no later than that (the one after the
        // lines already processed, which depends on where chunks end).
        for chunk in [1, 7, CHUNK_BYTES] {
            let e = read_by(input.as_bytes(), chunk, Some(25)).unwrap_err();
            let line = e
                .strip_prefix("f.jsonl:")
                .and_then(|r| r.strip_suffix(": cannot read: disk on fire"))
                .and_then(|l| l.parse::<u64>().ok());
            assert!(matches!(line, Some(1..=3)), "chunk {chunk}: {e}");
        }
    }

    /// Mapping a file reads the same documents as copying it, at every window size (windows
    /// end mid-line, a line is longer than a window, the last line has no newline); texts
    /// without escapes are borrowed from the map, the others built, and all outlive the
    /// reader's own handle on the maps.
    #[test]
    fn mapped_files_read_like_copied_ones() {
        let long = "word ".repeat(300);
        let mut input = format!(
            "{{\"id\":\"a\",\"text\":\"plain\",\"title\":\"T\"}}\n\n  \n{{\"id\":\"b\",\"text\":\"{long}\"}}\n{{\"id\":\"c\",\"text\":\"caf\\u00e9 \\\"q\\\"\\nline\"}}\n{{\"id\":\"d\",\"text\":\"é ünï\"}}\n{{\"id\":\"e\",\"text\":\"bad "
        )
        .into_bytes();
        input.extend_from_slice(b"\xff\"}\n{\"id\":\"f\",\"text\":\"\"}\n{\"text\":\"last\"}");
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f.jsonl");
        std::fs::write(&path, &input).unwrap();
        let copied = {
            let mut corpus = Corpus::default();
            let reader = Box::new(File::open(&path).unwrap());
            let len = Some(input.len() as u64);
            read(
                &path,
                reader,
                len,
                &ReadOptions::default(),
                &mut corpus,
                &mut |_, _| Ok(()),
            )
            .unwrap();
            corpus
        };
        assert_eq!(copied.docs.len(), 7);
        for window in [1, 2, 7, 16, 50, 300, 4096, CHUNK_BYTES] {
            let mut corpus = Corpus::default();
            let mut batches = 0;
            let file = File::open(&path).unwrap();
            let (opts, len) = (ReadOptions::default(), input.len() as u64);
            let mapped_whole = read_mapped(
                &path,
                &file,
                len,
                &opts,
                &mut corpus,
                &mut |_, _| {
                    batches += 1;
                    Ok(())
                },
                window,
            )
            .unwrap();
            assert!(mapped_whole);
            drop(file);
            assert_eq!(corpus.docs, copied.docs, "window {window}");
            assert_eq!(corpus.warnings, copied.warnings, "window {window}");
            let mapped: Vec<bool> = corpus.docs.iter().map(|d| d.text.is_mapped()).collect();
            // Escapes and repaired UTF-8 are built; an empty text may be either.
            assert_eq!(
                mapped[..5],
                [true, true, false, true, false],
                "window {window}"
            );
            assert!(mapped[6]);
            assert!(
                batches >= 2 || window >= 4096,
                "window {window}: {batches} batches"
            );
        }
    }
}
