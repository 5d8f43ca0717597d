//! `neardup compare A B`: everything known about one pair.

use std::io::IsTerminal;
use std::path::PathBuf;

use clap::Args;
use neardup::index::Index;
use neardup::report::{Format, PairRecord};
use neardup::{Corpus, DocId, Document, NoProgress, Params, ReadOptions};

use super::args::{ParamArgs, RecordArgs};
use super::{Outcome, write_output};

#[derive(Debug, Args)]
pub struct CompareArgs {
    /// The first document: a file, or an id with --from or --index.
    pub a: String,

    /// The second document.
    pub b: String,

    /// Read A and B as ids from this folder or JSONL file.
    #[arg(long, value_name = "PATH", conflicts_with = "index")]
    pub from: Option<PathBuf>,

    /// Read A and B as ids from this index (its settings are used).
    #[arg(long, value_name = "FILE")]
    pub index: Option<PathBuf>,

    #[command(flatten)]
    pub params: ParamArgs,

    /// With --from.
    #[command(flatten)]
    pub fields: RecordArgs,

    /// Output format: text (side by side) or json (the pair record of `scan`).
    #[arg(long, short = 'f', default_value = "text", value_parser = |s: &str| s.parse::<Format>())]
    pub format: Format,

    /// Write to FILE instead of standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
}

pub fn run(args: CompareArgs) -> neardup::Result<Outcome> {
    let read = args.fields.options();
    // With --from, the pair is answered as a scan of that batch answers it: its figures weigh
    // names by how many of the batch's documents hold them, and its furniture is the batch's.
    if let Some(from) = &args.from {
        let corpus = neardup::read::inputs(std::slice::from_ref(from), &read)?;
        let params = args.params.apply(Params::default(), read)?;
        let position = |id: &str| -> neardup::Result<DocId> {
            corpus
                .docs
                .iter()
                .position(|d| d.id == id)
                .map(|i| DocId(i as u32))
                .ok_or_else(|| {
                    neardup::Error::input(from, None, format!("no document with id {id:?}"))
                })
        };
        let (a, b) = (position(&args.a)?, position(&args.b)?);
        let result = neardup::scan(&corpus, &params, &NoProgress)?;
        let scanned = result
            .pairs
            .iter()
            .find(|p| (p.a, p.b) == (a.min(b), a.max(b)))
            .cloned();
        let basis = match &scanned {
            Some(_) => format!(
                "as `neardup scan {}` reports this pair ({} documents)",
                from.display(),
                corpus.docs.len()
            ),
            None => format!(
                "not reported by `neardup scan {}` (below every threshold there); weighed within \
                 the pair alone",
                from.display()
            ),
        };
        let pair = match scanned {
            Some(p) => p,
            None => {
                let mut p = neardup::compare(corpus.doc(a), corpus.doc(b), &params)?;
                (p.a, p.b) = (a, b);
                p
            }
        };
        return show(&args, &corpus, &pair, &basis);
    }
    let (a, b, base) = if let Some(path) = &args.index {
        let index = Index::open(path)?;
        let reader = index.reader();
        let find = |id: &str| -> neardup::Result<Document> {
            reader.find(id)?.ok_or_else(|| {
                neardup::Error::input(
                    path,
                    None,
                    format!("no document with id {id:?} in the index"),
                )
            })
        };
        (find(&args.a)?, find(&args.b)?, index.params().clone())
    } else {
        (
            single(&args.a, &read)?,
            single(&args.b, &read)?,
            Params::default(),
        )
    };
    let params = args.params.apply(base, read)?;
    let pair = neardup::compare(&a, &b, &params)?;
    let corpus = Corpus {
        docs: vec![a, b],
        ..Corpus::default()
    };
    show(
        &args,
        &corpus,
        &pair,
        "weighed within the pair alone (give --from BATCH for a scan's answer)",
    )
}

/// Writes `pair` of `corpus` in the format asked for; the text says on what `basis` its
/// figures were weighed.
fn show(
    args: &CompareArgs,
    corpus: &Corpus,
    pair: &neardup::PairReport,
    basis: &str,
) -> neardup::Result<Outcome> {
    let texts = neardup::report::texts(corpus, &[pair.a, pair.b])?;
    write_output(args.output.as_deref(), |w| match args.format {
        Format::Json => {
            let record = PairRecord::new(corpus, &texts[0], &texts[1], pair);
            serde_json::to_writer_pretty(&mut *w, &record)?;
            writeln!(w)
        }
        Format::Text => {
            let terminal = args.output.is_none() && std::io::stdout().is_terminal();
            let color = terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
            let width = super::text_width(terminal);
            writeln!(w, "{basis}")?;
            neardup::report::compare::write(
                corpus.doc(pair.a),
                corpus.doc(pair.b),
                pair,
                color,
                width,
                w,
            )
        }
        other => Err(std::io::Error::other(format!(
            "compare writes text or json, not {other}"
        ))),
    })?;
    Ok(Outcome::Clean)
}

/// The one document in a file.
fn single(path: &str, read: &ReadOptions) -> neardup::Result<Document> {
    let mut corpus = neardup::read::inputs(&[PathBuf::from(path)], read)?;
    match corpus.docs.len() {
        1 => Ok(corpus.docs.pop().expect("one document")),
        n => Err(neardup::Error::input(
            path,
            None,
            format!(
                "holds {n} documents; to compare two of them, give their ids and --from {path}"
            ),
        )),
    }
}
