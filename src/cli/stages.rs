//! `neardup blank`, `neardup sketch` and `neardup verify`: framed items on standard input, lines out; stages of
//! a scan spread over machines (`docs/SIGNATURES.md`).

use std::io::Write;

use clap::Args;

use super::Outcome;
use super::args::{ParamArgs, RecordArgs};

#[derive(Debug, Args)]
pub struct StageArgs {
    #[command(flatten)]
    pub params: ParamArgs,

    #[command(flatten)]
    pub fields: RecordArgs,

    /// Treat invalid UTF-8 as an error instead of repairing it.
    #[arg(long)]
    pub strict: bool,
}

type Stage =
    fn(std::io::StdinLock<'static>, &neardup::Params, &mut dyn Write) -> neardup::Result<u64>;

/// Runs `stage` from standard input to standard output.
pub fn run(args: StageArgs, stage: Stage) -> neardup::Result<Outcome> {
    let read = neardup::ReadOptions {
        strict: args.strict,
        ..args.fields.options()
    };
    let params = args.params.apply(neardup::Params::default(), read)?;
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    stage(std::io::stdin().lock(), &params, &mut out)?;
    out.flush().map_err(|e| neardup::Error::io("<stdout>", e))?;
    Ok(Outcome::Clean)
}
