//! `neardup scan`: parse the flags into `Params`, read, scan, write the report.

use std::path::PathBuf;

use clap::Args;
use neardup::report::{self, Format, Report};
use neardup::{NoProgress, Params, Progress, ReadOptions, Relation};

use super::{Outcome, write_output};

#[derive(Debug, Args)]
pub struct ScanArgs {
    /// Folders (walked recursively for .txt and .md files), text files, JSONL files (.jsonl,
    /// .jsonl.gz, .jsonl.zst), or - for JSONL on standard input.
    #[arg(required = true, value_name = "PATH")]
    paths: Vec<PathBuf>,

    /// Output format: text, json, jsonl or csv.
    #[arg(long, short = 'f', default_value = "text", value_parser = parse_format)]
    format: Format,

    /// Write the report to FILE instead of standard output (replaced atomically).
    #[arg(long, short = 'o', value_name = "FILE")]
    output: Option<PathBuf>,

    /// Relations to look for, comma-separated: duplicate, near-duplicate, overlap, rewrite.
    #[arg(long, value_delimiter = ',', value_parser = parse_relation)]
    relations: Option<Vec<Relation>>,

    /// Exit with 1 when a pair of one of these relations is found (comma-separated).
    #[arg(long, value_delimiter = ',', value_parser = parse_relation, value_name = "RELATION")]
    fail_on: Vec<Relation>,

    /// Words per shingle.
    #[arg(long, default_value_t = Params::default().shingle)]
    shingle: usize,

    /// MinHash permutations.
    #[arg(long, default_value_t = Params::default().perm)]
    perm: usize,

    /// Seed of the MinHash permutations.
    #[arg(long, default_value_t = Params::default().seed)]
    seed: u64,

    /// Shingle Jaccard at or above which a pair is a near-duplicate; LSH bands are derived
    /// from it.
    #[arg(long, default_value_t = Params::default().threshold)]
    threshold: f64,

    /// Words of shared passages that make a pair an overlap.
    #[arg(long, default_value_t = Params::default().min_overlap)]
    min_overlap: usize,

    /// Share of the smaller document contained in the other that makes an overlap.
    #[arg(long, default_value_t = Params::default().containment)]
    containment: f64,

    /// Weighted salient-term similarity (shared names, numbers, quotations, cited sources) at
    /// or above which a pair is a rewrite of the same story.
    #[arg(long, default_value_t = Params::default().rewrite_threshold)]
    rewrite_threshold: f64,

    /// Passage fingerprints held by more documents than this are treated as boilerplate.
    #[arg(long, default_value_t = Params::default().max_df)]
    max_df: usize,

    /// Compare every pair exactly (no LSH, no fingerprints): for small sets and checks.
    #[arg(long)]
    all_pairs: bool,

    /// JSONL field holding the document id.
    #[arg(long, default_value = "id")]
    id_field: String,

    /// JSONL field holding the document text.
    #[arg(long, default_value = "text")]
    text_field: String,

    /// Treat invalid UTF-8 as an error instead of repairing it with a warning.
    #[arg(long)]
    strict: bool,

    /// Skip malformed JSONL records (and repeated ids) with a counted warning instead of
    /// failing.
    #[arg(long)]
    skip_invalid: bool,

    /// Worker threads (default: one per core). The report is the same at any count.
    #[arg(long, short = 'j')]
    threads: Option<usize>,

    /// List every warning on stderr, not only their count.
    #[arg(long, short = 'v')]
    verbose: bool,

    /// No progress bar.
    #[arg(long, short = 'q')]
    quiet: bool,
}

fn parse_relation(s: &str) -> Result<Relation, String> {
    s.parse()
}

fn parse_format(s: &str) -> Result<Format, String> {
    s.parse()
}

impl ScanArgs {
    fn params(&self) -> neardup::Result<Params> {
        let relations = self
            .relations
            .clone()
            .unwrap_or_else(|| Params::default().relations);
        if let Some(r) = self.fail_on.iter().find(|r| !relations.contains(r)) {
            return Err(neardup::Error::Params(format!(
                "--fail-on {r}: the scan does not look for it (see --relations)"
            )));
        }
        if self.threads == Some(0) {
            return Err(neardup::Error::Params(
                "--threads must be at least 1".into(),
            ));
        }
        Params {
            shingle: self.shingle,
            perm: self.perm,
            seed: self.seed,
            threshold: self.threshold,
            min_overlap: self.min_overlap,
            containment: self.containment,
            max_df: self.max_df,
            rewrite_threshold: self.rewrite_threshold,
            relations,
            all_pairs: self.all_pairs,
            input: ReadOptions {
                id_field: self.id_field.clone(),
                text_field: self.text_field.clone(),
                strict: self.strict,
                skip_invalid: self.skip_invalid,
            },
            ..Params::default()
        }
        .resolved()
    }
}

pub fn run(args: ScanArgs) -> neardup::Result<Outcome> {
    let params = args.params()?;
    let mut pool = rayon::ThreadPoolBuilder::new();
    if let Some(n) = args.threads {
        pool = pool.num_threads(n);
    }
    let pool = pool
        .build()
        .map_err(|e| neardup::Error::Params(format!("--threads: {e}")))?;
    pool.install(|| {
        let corpus = neardup::read::inputs(&args.paths, &params.input)?;
        if corpus.docs.is_empty() {
            let shown: Vec<String> = args.paths.iter().map(|p| p.display().to_string()).collect();
            eprintln!(
                "neardup: no documents found in {} (folders are searched for .txt and .md files)",
                shown.join(", ")
            );
        }
        let bar = super::progress::Bar::for_stderr(args.quiet);
        let progress: &dyn Progress = match &bar {
            Some(b) => b,
            None => &NoProgress,
        };
        let result = neardup::scan(&corpus, &params, progress)?;
        let report = Report::new(&corpus, &params, &result);
        if args.verbose {
            let stages: Vec<String> = result
                .timings
                .iter()
                .map(|(s, t)| format!("{s} {t:.2} s"))
                .collect();
            eprintln!("neardup: {}", stages.join(", "));
        }
        if !report.warnings.is_empty() {
            if args.verbose {
                for w in &report.warnings {
                    let line = w.line.map(|l| format!(":{l}")).unwrap_or_default();
                    eprintln!("neardup: warning: {}{line}: {}", w.path.display(), w.reason);
                }
            } else {
                eprintln!(
                    "neardup: {} warning(s); --verbose lists them",
                    report.warnings.len()
                );
            }
        }
        write_output(args.output.as_deref(), |w| {
            report::write(&report, args.format, w)
        })?;
        let found = result
            .pairs
            .iter()
            .any(|p| args.fail_on.contains(&p.relation));
        Ok(if found {
            Outcome::Found
        } else {
            Outcome::Clean
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::Cli;
    use clap::Parser;

    fn scan_args(args: &[&str]) -> Result<ScanArgs, clap::Error> {
        let mut full = vec!["neardup", "scan"];
        full.extend_from_slice(args);
        Cli::try_parse_from(full).map(|c| match c.command {
            crate::cli::Command::Scan(a) => a,
        })
    }

    #[test]
    fn defaults_match_params() {
        let a = scan_args(&["x"]).unwrap();
        assert_eq!(a.params().unwrap(), Params::default());
        assert_eq!(a.format, Format::Text);
    }

    #[test]
    fn flags_reach_params() {
        let a = scan_args(&[
            "x",
            "--shingle",
            "3",
            "--threshold",
            "0.5",
            "--relations",
            "overlap,duplicate",
            "--fail-on",
            "overlap",
            "--format",
            "json",
            "--id-field",
            "key",
        ])
        .unwrap();
        let p = a.params().unwrap();
        assert_eq!(p.shingle, 3);
        assert_eq!(p.lsh, neardup::params::Lsh::for_threshold(0.5, 128));
        assert_eq!(p.relations, vec![Relation::Duplicate, Relation::Overlap]);
        assert_eq!(p.input.id_field, "key");
        assert_eq!(a.format, Format::Json);
    }

    #[test]
    fn bad_values_name_the_flag() {
        let e = scan_args(&["x", "--relations", "copies"])
            .unwrap_err()
            .to_string();
        assert!(e.contains("unknown relation"), "{e}");
        let e = scan_args(&["x", "--format", "xml"])
            .unwrap_err()
            .to_string();
        assert!(e.contains("unknown format"), "{e}");
        let a = scan_args(&["x", "--relations", "duplicate", "--fail-on", "overlap"]).unwrap();
        assert!(
            a.params()
                .unwrap_err()
                .to_string()
                .contains("--fail-on overlap")
        );
        let a = scan_args(&["x", "--threshold", "2"]).unwrap();
        assert!(a.params().unwrap_err().to_string().contains("--threshold"));
        assert!(scan_args(&[]).is_err());
    }
}
