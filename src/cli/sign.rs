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

    /// Standard input is a part of this JSONL file, split by another program (a partition of a
    /// distributed job): records and errors name their place in it. With `-` as the only path.
    #[arg(long, value_name = "FILE", requires = "lines_before")]
    pub part_of: Option<std::path::PathBuf>,

    /// Lines of the file before the part on standard input (`--part-of`).
    #[arg(long, value_name = "N", requires = "part_of")]
    pub lines_before: Option<u64>,
}

pub fn run(args: SignArgs) -> neardup::Result<Outcome> {
    let params = args
        .params
        .apply(neardup::Params::default(), args.read.options())?;
    pool(args.threads)?.install(|| {
        let signed = match (&args.part_of, args.lines_before) {
            (Some(file), Some(before)) => {
                if args.read.paths != [std::path::Path::new("-")] {
                    return Err(neardup::Error::Params(
                        "--part-of: the part is read from standard input, give - as the only path"
                            .into(),
                    ));
                }
                signature::sign_part(file, before, Box::new(std::io::stdin()), &params)?
            }
            _ => signature::sign_paths(&args.read.paths, &params)?,
        };
        super::print_warnings(signed.warnings().iter(), args.verbose);
        write_output(args.output.as_deref(), |w| signed.write(w))?;
        Ok(Outcome::Clean)
    })
}
