//! `neardup check`: compare new documents with an index; exit 1 on a duplicate.

use std::path::PathBuf;

use clap::Args;
use neardup::index::Index;
use neardup::report::Report;
use neardup::{NoProgress, Progress, Relation};

use super::Outcome;
use super::args::{OutputArgs, ParamArgs, ReadArgs, check_fail_on, parse_relation};

#[derive(Debug, Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub read: ReadArgs,

    /// The index file (made by `neardup index add`).
    #[arg(long, value_name = "FILE")]
    pub index: PathBuf,

    #[command(flatten)]
    pub params: ParamArgs,

    #[command(flatten)]
    pub output: OutputArgs,

    /// Relations that fail the check (comma-separated)
    /// [default: duplicate,near-duplicate,overlap].
    #[arg(long, value_delimiter = ',', value_parser = parse_relation, value_name = "RELATION")]
    pub fail_on: Option<Vec<Relation>>,

    /// Add the documents that passed to the index, in the same transaction as the check.
    #[arg(long)]
    pub add: bool,
}

pub fn run(args: CheckArgs) -> neardup::Result<Outcome> {
    let mut index = Index::open(&args.index)?;
    // A check looks for, and fails on, what the index can answer, unless told otherwise.
    let base = neardup::Params {
        relations: neardup::index::RELATIONS.to_vec(),
        ..index.params().clone()
    };
    let params = args.params.apply(base, args.read.options())?;
    let fail_on = args
        .fail_on
        .clone()
        .unwrap_or_else(|| neardup::index::RELATIONS.to_vec());
    check_fail_on(&fail_on, &params)?;
    let now = super::index::now();

    args.output.pool()?.install(|| {
        let corpus = neardup::read::inputs(&args.read.paths, &params.input)?;
        let bar = super::progress::Bar::for_stderr(args.output.quiet);
        let progress: &dyn Progress = match &bar {
            Some(b) => b,
            None => &NoProgress,
        };
        let gate = neardup::Gate {
            fail_on: fail_on.clone(),
            add_at: args.add.then_some(now),
        };
        let mut emit = |checked: &neardup::CheckResult| -> neardup::Result<()> {
            let started = std::time::Instant::now();
            let mut report = Report::new(&checked.corpus, &params, &checked.result)?;
            report.mark_indexed(checked.first_new);
            args.output.emit(&mut report, &checked.result, started)
        };
        let judged = neardup::check_index(&mut index, corpus, &params, &gate, &mut emit, progress)?;
        if let Some(added) = &judged.added {
            eprintln!(
                "neardup: added {} document(s) that passed to {}",
                added.added,
                args.index.display()
            );
        }
        let failed = judged.failed;
        let failed = failed.iter().filter(|&&f| f).count();
        if failed > 0 {
            let relations: Vec<&str> = fail_on.iter().map(|r| r.as_str()).collect();
            eprintln!(
                "neardup: check failed: {failed} new document(s) in a {} pair",
                relations.join(" / ")
            );
        }
        Ok(if failed > 0 {
            Outcome::Found
        } else {
            Outcome::Clean
        })
    })
}
