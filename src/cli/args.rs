//! Flag groups shared by `scan`, `check` and `index add`: how to read inputs, the parameters,
//! and where the report goes. Each group converts into the library's types ("parse, then
//! convert"), and validation errors name the flag.

use std::io::IsTerminal;
use std::path::PathBuf;

use clap::Args;
use neardup::report::{self, Format, Report};
use neardup::{Params, ReadOptions, Relation, ScanResult};

use super::{text_width, write_output};

pub fn parse_relation(s: &str) -> Result<Relation, String> {
    s.parse()
}

fn parse_format(s: &str) -> Result<Format, String> {
    s.parse()
}

/// Which fields of a JSONL record hold what.
#[derive(Debug, Args)]
pub struct RecordArgs {
    /// JSONL field holding the document id.
    #[arg(long, default_value = "id")]
    pub id_field: String,

    /// JSONL field holding the document text.
    #[arg(long, default_value = "text")]
    pub text_field: String,
}

impl RecordArgs {
    /// The reading options of these fields, every other at its default.
    pub fn options(&self) -> ReadOptions {
        ReadOptions {
            id_field: self.id_field.clone(),
            text_field: self.text_field.clone(),
            ..ReadOptions::default()
        }
    }
}

/// How to read the inputs.
#[derive(Debug, Args)]
pub struct ReadArgs {
    /// Folders (walked recursively for .txt and .md files), text files, JSONL files (.jsonl,
    /// .ndjson, .jsonl.gz, .jsonl.zst), or - for JSONL on standard input (plain, gzip or zstd).
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    #[command(flatten)]
    pub fields: RecordArgs,

    /// Treat invalid UTF-8 as an error instead of repairing it with a warning.
    #[arg(long)]
    pub strict: bool,

    /// Skip malformed JSONL records (and repeated ids) with a counted warning instead of
    /// failing.
    #[arg(long)]
    pub skip_invalid: bool,

    /// Copy plain JSONL files into memory instead of mapping them. A mapped file must not be
    /// truncated or rewritten in place during the run (appending is safe): use this when
    /// another program may do so.
    #[arg(long)]
    pub no_mmap: bool,
}

impl ReadArgs {
    pub fn options(&self) -> ReadOptions {
        ReadOptions {
            strict: self.strict,
            skip_invalid: self.skip_invalid,
            mmap: !self.no_mmap,
            ..self.fields.options()
        }
    }
}

/// The parameters. Each unset one takes its default, or against an index the value the index
/// was built with.
#[derive(Debug, Args)]
pub struct ParamArgs {
    /// Relations to look for, comma-separated: duplicate, near-duplicate, overlap, rewrite
    /// [default: all four for scan; duplicate,near-duplicate,overlap for check].
    #[arg(long, value_delimiter = ',', value_parser = parse_relation)]
    pub relations: Option<Vec<Relation>>,

    /// Words per shingle [default: 5].
    #[arg(long)]
    pub shingle: Option<usize>,

    /// Values per MinHash signature [default: 128].
    #[arg(long)]
    pub perm: Option<usize>,

    /// Seed of the MinHash sketch [default: 1].
    #[arg(long)]
    pub seed: Option<u64>,

    /// Shingle Jaccard at or above which a pair is a near-duplicate; LSH bands are derived
    /// from it [default: 0.8].
    #[arg(long)]
    pub threshold: Option<f64>,

    /// Words of shared passages that make a pair an overlap [default: 30].
    #[arg(long)]
    pub min_overlap: Option<usize>,

    /// Share of the smaller document contained in the other that makes an overlap
    /// [default: 0.5].
    #[arg(long)]
    pub containment: Option<f64>,

    /// Probability of telling the same story (from shared names, numbers, quotations, rare
    /// words, dates and sources) at or above which a pair is a rewrite [default: 0.4].
    #[arg(long)]
    pub rewrite_probability: Option<f64>,

    /// Weighted salient-term similarity below which a pair is never a rewrite [default: 0.05].
    #[arg(long)]
    pub rewrite_min_similarity: Option<f64>,

    /// Passage fingerprints held by more documents than this are boilerplate [default: 500].
    #[arg(long)]
    pub max_df: Option<usize>,

    /// Compare every pair exactly (no LSH, no fingerprints): for small sets and checks.
    #[arg(long)]
    pub all_pairs: bool,
}

impl ParamArgs {
    /// `base` with every flag that was given applied, validated.
    pub fn apply(&self, base: Params, input: ReadOptions) -> neardup::Result<Params> {
        let p = Params {
            relations: self.relations.clone().unwrap_or(base.relations),
            shingle: self.shingle.unwrap_or(base.shingle),
            perm: self.perm.unwrap_or(base.perm),
            seed: self.seed.unwrap_or(base.seed),
            threshold: self.threshold.unwrap_or(base.threshold),
            min_overlap: self.min_overlap.unwrap_or(base.min_overlap),
            containment: self.containment.unwrap_or(base.containment),
            rewrite_probability: self.rewrite_probability.unwrap_or(base.rewrite_probability),
            rewrite_min_similarity: self
                .rewrite_min_similarity
                .unwrap_or(base.rewrite_min_similarity),
            max_df: self.max_df.unwrap_or(base.max_df),
            all_pairs: self.all_pairs || base.all_pairs,
            input,
            ..base
        };
        p.resolved()
    }
}

/// Where and how the report is written, and what makes the run fail.
#[derive(Debug, Args)]
pub struct OutputArgs {
    /// Output format: text, json, jsonl, csv or html.
    #[arg(long, short = 'f', default_value = "text", value_parser = parse_format)]
    pub format: Format,

    /// Write the report to FILE instead of standard output (replaced atomically).
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Report 0 as the run time, so that runs on the same data give byte-identical reports.
    #[arg(long)]
    pub no_time: bool,

    /// Worker threads (default: one per core). The report is the same at any count.
    #[arg(long, short = 'j')]
    pub threads: Option<usize>,

    /// List every warning on stderr, not only their count, and the time of each stage with the
    /// peak memory so far (where the system tells it).
    #[arg(long, short = 'v')]
    pub verbose: bool,

    /// No progress bar.
    #[arg(long, short = 'q')]
    pub quiet: bool,
}

/// A rayon pool with `threads` workers (default: one per core).
pub fn pool(threads: Option<usize>) -> neardup::Result<rayon::ThreadPool> {
    // More workers than this only spend memory (a stack each) on a machine of any size.
    const MAX_THREADS: usize = 1024;
    if let Some(n) = threads.filter(|n| !(1..=MAX_THREADS).contains(n)) {
        return Err(neardup::Error::Params(format!(
            "--threads must be 1..={MAX_THREADS}, got {n}"
        )));
    }
    let mut pool = rayon::ThreadPoolBuilder::new();
    if let Some(n) = threads {
        pool = pool.num_threads(n);
    }
    pool.build()
        .map_err(|e| neardup::Error::Params(format!("--threads: {e}")))
}

impl OutputArgs {
    /// A rayon pool with `--threads` workers.
    pub fn pool(&self) -> neardup::Result<rayon::ThreadPool> {
        pool(self.threads)
    }

    /// Prints warnings and timings to stderr, then writes the report, whose building (texts
    /// let go are read again for its pairs) began at `started`.
    pub fn emit(
        &self,
        report: &mut Report,
        result: &ScanResult,
        started: std::time::Instant,
    ) -> neardup::Result<()> {
        if self.no_time {
            report.stats.scan.seconds = 0.0;
        }
        let text_on_stdout = self.format == Format::Text && self.output.is_none();
        // A text report on stdout says how many warnings at its foot.
        if self.verbose || !text_on_stdout {
            super::print_warnings(report.warnings.iter().copied(), self.verbose);
        }
        let width = text_width(text_on_stdout && std::io::stdout().is_terminal());
        write_output(self.output.as_deref(), |w| {
            report::write(report, self.format, width, w)
        })?;
        if self.verbose {
            let stages: Vec<String> = result
                .timings
                .iter()
                .copied()
                .chain([neardup::Lap::since("report", started)])
                .map(|lap| match lap.peak_memory {
                    Some(b) => format!("{} {:.2} s (peak {} MB)", lap.stage, lap.seconds, b >> 20),
                    None => format!("{} {:.2} s", lap.stage, lap.seconds),
                })
                .collect();
            eprintln!("neardup: {}", stages.join(", "));
        }
        Ok(())
    }
}

/// Checks that every `--fail-on` relation is looked for.
pub fn check_fail_on(fail_on: &[Relation], params: &Params) -> neardup::Result<()> {
    match fail_on.iter().find(|r| !params.wants(**r)) {
        Some(r) => Err(neardup::Error::Params(format!(
            "--fail-on {r}: the run does not look for it (see --relations)"
        ))),
        None => Ok(()),
    }
}
