//! `neardup sign`: each document's features as one JSON line, the map stage of a scan spread
//! over machines (`docs/SIGNATURES.md`).

use clap::Args;
use neardup::report::signature;

use super::Outcome;
use super::args::{ParamArgs, ReadArgs, pool};
use super::write_output;

#[derive(Debug, Args)]
pub struct SignArgs {
    #[command(flatten)]
    pub read: ReadArgs,

    #[command(flatten)]
    pub params: ParamArgs,

    /// Write the records to FILE instead of standard output (replaced atomically).
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<std::path::PathBuf>,

    /// Worker threads (default: one per core). The records are the same at any count.
    #[arg(long, short = 'j')]
    pub threads: Option<usize>,

    /// List every warning on stderr, not only their count.
    #[arg(long, short = 'v')]
    pub verbose: bool,
}

pub fn run(args: SignArgs) -> neardup::Result<Outcome> {
    let params = args
        .params
        .apply(neardup::Params::default(), args.read.options())?;
    pool(args.threads)?.install(|| {
        let signed = signature::sign_paths(&args.read.paths, &params)?;
        super::print_warnings(signed.warnings().iter(), args.verbose);
        write_output(args.output.as_deref(), |w| signed.write(w))?;
        Ok(Outcome::Clean)
    })
}
