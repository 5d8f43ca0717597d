//! `neardup index add|stats|list|remove|upgrade`: build and maintain the index that `check` uses.

use std::path::PathBuf;

use clap::{Args, Subcommand};
use neardup::Params;
use neardup::index::Index;

use super::Outcome;
use super::args::{ParamArgs, ReadArgs};

#[derive(Debug, Args)]
pub struct IndexArgs {
    #[command(subcommand)]
    pub command: IndexCommand,
}

#[derive(Debug, Subcommand)]
pub enum IndexCommand {
    /// Add documents to the index (created, with the given settings, if it does not exist).
    Add(Box<AddArgs>),
    /// Print the index's counters, size and settings.
    Stats(IndexFile),
    /// List the indexed documents.
    List(IndexFile),
    /// Remove documents by id, or those added more than --older-than days ago.
    Remove(RemoveArgs),
    /// Bring an index written by an older neardup to this version's format, in place,
    /// keeping its documents.
    Upgrade(UpgradeArgs),
}

#[derive(Debug, Args)]
pub struct UpgradeArgs {
    /// The index file.
    #[arg(long, value_name = "FILE")]
    pub index: PathBuf,
}

#[derive(Debug, Args)]
pub struct IndexFile {
    /// The index file.
    #[arg(long, value_name = "FILE")]
    pub index: PathBuf,

    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct AddArgs {
    #[command(flatten)]
    pub read: ReadArgs,

    /// The index file.
    #[arg(long, value_name = "FILE")]
    pub index: PathBuf,

    #[command(flatten)]
    pub params: ParamArgs,

    /// Worker threads (default: one per core).
    #[arg(long, short = 'j')]
    pub threads: Option<usize>,
}

#[derive(Debug, Args)]
pub struct RemoveArgs {
    /// Ids of the documents to remove.
    #[arg(value_name = "ID")]
    pub ids: Vec<String>,

    /// The index file.
    #[arg(long, value_name = "FILE")]
    pub index: PathBuf,

    /// Also remove the documents added more than this many days ago.
    #[arg(long, value_name = "DAYS")]
    pub older_than: Option<f64>,
}

/// Seconds since the Unix epoch.
pub fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

pub fn run(args: IndexArgs) -> neardup::Result<Outcome> {
    match args.command {
        IndexCommand::Add(a) => add(*a),
        IndexCommand::Stats(a) => stats(a),
        IndexCommand::List(a) => list(a),
        IndexCommand::Remove(a) => remove(a),
        IndexCommand::Upgrade(a) => upgrade(a),
    }
}

fn add(args: AddArgs) -> neardup::Result<Outcome> {
    let base = Index::open_made(&args.index)?.map_or_else(Params::default, |i| i.params().clone());
    let params = args.params.apply(base, args.read.options())?;
    super::args::pool(args.threads)?.install(|| {
        let (corpus, added, index) =
            neardup::add_to_index(&args.index, &args.read.paths, &params, now())?;
        let total = index.stats()?.documents;
        super::print_warnings(corpus.warnings.iter(), true);
        if !added.already_present.is_empty() {
            // The first few name the problem; thousands of ids would bury the rest of the log.
            let shown = added.already_present.len().min(10);
            let more = match added.already_present.len() - shown {
                0 => String::new(),
                n => format!(" and {n} more"),
            };
            eprintln!(
                "neardup: {} already indexed, left as they were: {}{more}",
                added.already_present.len(),
                added.already_present[..shown].join(", ")
            );
        }
        super::say(|w| {
            writeln!(
                w,
                "added {} document(s) to {}; it holds {total}",
                added.added,
                args.index.display()
            )
        })?;
        Ok(Outcome::Clean)
    })
}

fn stats(args: IndexFile) -> neardup::Result<Outcome> {
    let index = Index::open(&args.index)?;
    let s = index.stats()?;
    super::say(|w| {
        if args.json {
            return writeln!(w, "{}", serde_json::to_string_pretty(&s)?);
        }
        let per_doc = s.bytes.checked_div(s.documents).unwrap_or(0);
        writeln!(
            w,
            "index {} (format v{})",
            args.index.display(),
            s.format_version
        )?;
        writeln!(w, "  documents     {}", s.documents)?;
        writeln!(w, "  band keys     {}", s.band_keys)?;
        writeln!(w, "  fingerprints  {}", s.fingerprints)?;
        writeln!(
            w,
            "  size          {} bytes ({per_doc} per document)",
            s.bytes
        )?;
        if let Some(added) = &s.added {
            writeln!(
                w,
                "  added         {} to {}",
                added.first_utc, added.last_utc
            )?;
        }
        let p = &s.params;
        writeln!(
            w,
            "  settings      shingle {}, perm {}, seed {}, bands x rows {}x{}, passage window {}, {}",
            p.shingle, p.perm, p.seed, p.bands, p.rows, p.winnow_window, p.normalization
        )
    })?;
    Ok(Outcome::Clean)
}

fn list(args: IndexFile) -> neardup::Result<Outcome> {
    let docs = Index::open(&args.index)?.list()?;
    super::say(|w| {
        if args.json {
            return writeln!(w, "{}", serde_json::to_string_pretty(&docs)?);
        }
        for d in docs {
            let meta: Vec<&str> = [d.source.as_deref(), d.date.as_deref()]
                .into_iter()
                .flatten()
                .collect();
            let id = neardup::report::visible(&d.id);
            let meta = neardup::report::visible(&meta.join(" ")).into_owned();
            writeln!(w, "{id}\t{}\t{meta}", d.words)?;
        }
        Ok(())
    })?;
    Ok(Outcome::Clean)
}

fn remove(args: RemoveArgs) -> neardup::Result<Outcome> {
    if args.ids.is_empty() && args.older_than.is_none() {
        return Err(neardup::Error::Params(
            "index remove: give ids, --older-than DAYS, or both".into(),
        ));
    }
    // Every argument is checked before anything is removed.
    if let Some(days) = args.older_than
        && !(days.is_finite() && days >= 0.0)
    {
        return Err(neardup::Error::Params(format!(
            "--older-than must be 0 or more days, got {days}"
        )));
    }
    let mut index = Index::open(&args.index)?;
    let mut removed = index.remove(&args.ids)?;
    if let Some(days) = args.older_than {
        removed += index.remove_added_until(now() - (days * 86_400.0) as i64)?;
    }
    let missing = args.ids.len().saturating_sub(removed.min(args.ids.len()));
    super::say(|w| {
        writeln!(
            w,
            "removed {removed} document(s) from {}",
            args.index.display()
        )
    })?;
    if missing > 0 && args.older_than.is_none() {
        eprintln!("neardup: {missing} of the ids given were not in the index");
    }
    Ok(Outcome::Clean)
}

fn upgrade(args: UpgradeArgs) -> neardup::Result<Outcome> {
    let upgraded = Index::upgrade(&args.index)?;
    let (path, version) = (args.index.display(), neardup::index::FORMAT_VERSION);
    super::say(|w| match upgraded {
        None => writeln!(w, "{path} already has format v{version}"),
        Some(n) => writeln!(
            w,
            "upgraded {path} to format v{version}: {n} document(s) re-keyed"
        ),
    })?;
    Ok(Outcome::Clean)
}
